/*
 * view_input.h — SDL events to viewer actions, by one table
 * (view_input.c): the keys, their modes and their help lines in one
 * place, so the help overlay, docs/view.md and the behaviour cannot
 * disagree. Internal to src/view/ (SDL types).
 */
#ifndef VMS_VIEW_INPUT_H
#define VMS_VIEW_INPUT_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vms_action {
	VMS_ACT_NONE = 0,
	VMS_ACT_QUIT,
	VMS_ACT_ZOOM, /* factor, around (x, y) */
	VMS_ACT_FIT,
	VMS_ACT_PAN,    /* by (dx pixels, dy rows) */
	VMS_ACT_REGION, /* arg: 1..9 */
	VMS_ACT_GUARDS,
	VMS_ACT_COLOR,
	VMS_ACT_COMPRESS,
	VMS_ACT_SEARCH, /* open the prompt */
	VMS_ACT_NEXT,   /* arg: +1 next match, -1 previous */
	VMS_ACT_HELP,
	VMS_ACT_SAVE,
	VMS_ACT_ESCAPE, /* close help / prompt, then clear the selection */
	VMS_ACT_STEP,   /* replay: arg snapshots (+1, -1, or +-big for the ends) */
	VMS_ACT_SELECT, /* click at (x, y) */
	VMS_ACT_HOVER,  /* pointer at (x, y) */
	VMS_ACT_LEAVE,  /* pointer left the window */
	VMS_ACT_RESIZE, /* the window's size changed */
	VMS_ACT_REDRAW, /* exposed: draw again */
};

/* Which app state a binding applies in. */
enum vms_input_mode {
	VMS_MODE_ANY = 0,
	VMS_MODE_MAP = 1,    /* not replaying */
	VMS_MODE_REPLAY = 2, /* replaying a recorded series */
};

/* One action decoded from an event, in window pixels. */
struct vms_input {
	enum vms_action act;
	int arg;
	int32_t x, y;   /* ZOOM, SELECT, HOVER: the pointer */
	int64_t dx, dy; /* PAN: pixels and rows */
	double factor;  /* ZOOM */
};

/* What a drag needs to remember between events. */
struct vms_input_state {
	bool down;    /* the left button is held */
	bool dragged; /* it moved past the click slop */
	int32_t down_x, down_y;
	int32_t last_x, last_y;
	int32_t row_h;    /* pixels per row, for vertical drags */
	int32_t pan_step; /* pixels an arrow key moves */
};

/* Zoom per wheel notch and per +/-. */
#define VMS_INPUT_ZOOM 1.25
/* Pixels the pointer may move between press and release of a click. */
#define VMS_INPUT_SLOP 3

/*
 * Decodes one SDL event into *out (act NONE when it means nothing here).
 * replay: the app replays a series (left/right step through it, shift
 * pans). Text input for the search prompt is the app's (SDL_TEXTINPUT).
 * Returns out->act.
 */
enum vms_action vms_input_decode(const SDL_Event *e, struct vms_input_state *st,
                                 bool replay, struct vms_input *out);

/* The help overlay's lines, from the same table (static storage). */
const char *const *vms_input_help(size_t *n);

#endif /* VMS_VIEW_INPUT_H */
