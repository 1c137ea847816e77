/*
 * view_input.c — SDL events to viewer actions (view_input.h): keys by one
 * table (key, modifiers, mode, action, argument, help), the mouse by
 * rules (wheel zooms around the pointer, a drag pans, a press and release
 * within VMS_INPUT_SLOP pixels is a click, motion hovers).
 *
 * Invariants: every key the app reacts to is a row of `keys`; the help
 * lines are made from the rows that have a label, in table order.
 */
#include "view_input.h"

#include <stdlib.h>

struct binding {
	SDL_Keycode key;
	uint16_t mods; /* KMOD_SHIFT / KMOD_CTRL that must be held (either side) */
	uint8_t mode;  /* enum vms_input_mode */
	enum vms_action act;
	int arg;
	const char *help; /* "keys\twhat" (the overlay aligns the tab), on the
	                     first row of a group, or NULL */
};

/* Horizontal pan per arrow key: an eighth of a screen width, set by the
 * app through st->pan_step; rows per up/down and per page. */
#define PAGE_ROWS 16
/* A row's mode that no state has: the mouse rows, help text only. */
#define MOUSE_ONLY 0xff

static const struct binding keys[] = {
    {SDLK_PLUS, 0, 0, VMS_ACT_ZOOM, +1, "+  -\tzoom in / out around the centre"},
    {SDLK_EQUALS, 0, 0, VMS_ACT_ZOOM, +1, NULL},
    {SDLK_KP_PLUS, 0, 0, VMS_ACT_ZOOM, +1, NULL},
    {SDLK_MINUS, 0, 0, VMS_ACT_ZOOM, -1, NULL},
    {SDLK_KP_MINUS, 0, 0, VMS_ACT_ZOOM, -1, NULL},
    {SDLK_0, 0, 0, VMS_ACT_FIT, 0, "0\tfit the whole space"},
    {SDLK_LEFT, 0, VMS_MODE_MAP, VMS_ACT_PAN, -1,
     "arrows\tpan (PgUp/PgDn: a page of rows)"},
    {SDLK_RIGHT, 0, VMS_MODE_MAP, VMS_ACT_PAN, +1, NULL},
    {SDLK_LEFT, KMOD_SHIFT, VMS_MODE_REPLAY, VMS_ACT_PAN, -1, NULL},
    {SDLK_RIGHT, KMOD_SHIFT, VMS_MODE_REPLAY, VMS_ACT_PAN, +1, NULL},
    {SDLK_UP, 0, 0, VMS_ACT_PAN, -2, NULL},
    {SDLK_DOWN, 0, 0, VMS_ACT_PAN, +2, NULL},
    {SDLK_PAGEUP, 0, 0, VMS_ACT_PAN, -3, NULL},
    {SDLK_PAGEDOWN, 0, 0, VMS_ACT_PAN, +3, NULL},
    {SDLK_1, 0, 0, VMS_ACT_REGION, 1, "1-9\tjump to region 1-9 (in address order)"},
    {SDLK_2, 0, 0, VMS_ACT_REGION, 2, NULL},
    {SDLK_3, 0, 0, VMS_ACT_REGION, 3, NULL},
    {SDLK_4, 0, 0, VMS_ACT_REGION, 4, NULL},
    {SDLK_5, 0, 0, VMS_ACT_REGION, 5, NULL},
    {SDLK_6, 0, 0, VMS_ACT_REGION, 6, NULL},
    {SDLK_7, 0, 0, VMS_ACT_REGION, 7, NULL},
    {SDLK_8, 0, 0, VMS_ACT_REGION, 8, NULL},
    {SDLK_9, 0, 0, VMS_ACT_REGION, 9, NULL},
    {SDLK_z, 0, 0, VMS_ACT_COMPRESS, 0, "z\tcompressed axis on / off"},
    {SDLK_g, 0, 0, VMS_ACT_GUARDS, 0, "g\tguard pages on / off"},
    {SDLK_c, 0, 0, VMS_ACT_COLOR, 0, "c\tcolour by kind / by caller"},
    {SDLK_SLASH, 0, 0, VMS_ACT_SEARCH, 0,
     "/\tsearch a caller or module (Enter; Esc cancels)"},
    {SDLK_n, 0, 0, VMS_ACT_NEXT, +1, "n  N\tnext / previous match"},
    {SDLK_n, KMOD_SHIFT, 0, VMS_ACT_NEXT, -1, NULL},
    {SDLK_LEFT, 0, VMS_MODE_REPLAY, VMS_ACT_STEP, -1,
     "left right\treplay: previous / next snapshot (shift: pan)"},
    {SDLK_RIGHT, 0, VMS_MODE_REPLAY, VMS_ACT_STEP, +1, NULL},
    {SDLK_HOME, 0, VMS_MODE_REPLAY, VMS_ACT_STEP, -1000000000,
     "Home End\treplay: first / last snapshot"},
    {SDLK_END, 0, VMS_MODE_REPLAY, VMS_ACT_STEP, +1000000000, NULL},
    {SDLK_s, 0, 0, VMS_ACT_SAVE, 0, "s\tsave a PNG snapshot in the current directory"},
    {SDLK_h, 0, 0, VMS_ACT_HELP, 0, "h  ?\tthis help"},
    {SDLK_QUESTION, 0, 0, VMS_ACT_HELP, 0, NULL},
    {SDLK_ESCAPE, 0, 0, VMS_ACT_ESCAPE, 0,
     "Esc\tclose the help, else clear the selection"},
    {SDLK_q, 0, 0, VMS_ACT_QUIT, 0, "q\tquit"},
    /* the mouse, for the help only (decoded by rules below) */
    {SDLK_UNKNOWN, 0, MOUSE_ONLY, VMS_ACT_NONE, 0,
     "wheel\tzoom in / out around the pointer"},
    {SDLK_UNKNOWN, 0, MOUSE_ONLY, VMS_ACT_NONE, 0, "drag\tpan"},
    {SDLK_UNKNOWN, 0, MOUSE_ONLY, VMS_ACT_NONE, 0,
     "click\tselect an area or a hole: its details"},
    {SDLK_UNKNOWN, 0, MOUSE_ONLY, VMS_ACT_NONE, 0, "hover\ta one-line tooltip"},
};

#define NR_KEYS (sizeof(keys) / sizeof(keys[0]))

/* The modifiers that count: shift and ctrl, either side. */
static uint16_t mods_of(uint16_t m)
{
	return (uint16_t)((m & KMOD_SHIFT ? KMOD_SHIFT : 0) |
	                  (m & KMOD_CTRL ? KMOD_CTRL : 0));
}

static enum vms_action from_key(const SDL_KeyboardEvent *k,
                                const struct vms_input_state *st, bool replay,
                                struct vms_input *out)
{
	uint16_t held = mods_of(k->keysym.mod);
	uint8_t mode = replay ? VMS_MODE_REPLAY : VMS_MODE_MAP;
	const struct binding *best = NULL;
	for (size_t i = 0; i < NR_KEYS; i++) {
		const struct binding *b = &keys[i];
		if (b->key != k->keysym.sym || (b->mode && b->mode != mode))
			continue;
		if (b->mods == held) {
			best = b;
			break;
		}
		/* '?' and '+' arrive with shift held on most layouts. */
		if (!best && !b->mods && held == KMOD_SHIFT &&
		    (b->key == SDLK_QUESTION || b->key == SDLK_PLUS ||
		     b->key == SDLK_EQUALS))
			best = b;
	}
	if (!best)
		return out->act = VMS_ACT_NONE;
	out->act = best->act;
	out->arg = best->arg;
	if (best->act == VMS_ACT_ZOOM) {
		out->factor = best->arg > 0 ? VMS_INPUT_ZOOM : 1 / VMS_INPUT_ZOOM;
		out->x = out->y = -1; /* the app takes the map's centre */
	} else if (best->act == VMS_ACT_PAN) {
		int a = abs(best->arg), s = best->arg < 0 ? -1 : 1;
		if (a == 1)
			out->dx = (int64_t)s * st->pan_step;
		else
			out->dy = (int64_t)s * (a == 2 ? 1 : PAGE_ROWS);
	}
	return out->act;
}

static enum vms_action from_button(const SDL_Event *e, struct vms_input_state *st,
                                   struct vms_input *out)
{
	const SDL_MouseButtonEvent *b = &e->button;
	if (b->button != SDL_BUTTON_LEFT)
		return VMS_ACT_NONE;
	if (e->type == SDL_MOUSEBUTTONDOWN) {
		st->down = true;
		st->dragged = false;
		st->down_x = st->last_x = b->x;
		st->down_y = st->last_y = b->y;
		return VMS_ACT_NONE;
	}
	bool click = st->down && !st->dragged;
	st->down = false;
	if (!click)
		return VMS_ACT_NONE;
	out->x = b->x;
	out->y = b->y;
	return out->act = VMS_ACT_SELECT;
}

/* A drag moves the map with the pointer: right drags show lower
 * addresses, so the pan is the opposite of the motion. Vertical motion
 * counts in whole rows, the remainder kept for the next event. */
static enum vms_action from_motion(const SDL_MouseMotionEvent *mo,
                                   struct vms_input_state *st, struct vms_input *out)
{
	out->x = mo->x;
	out->y = mo->y;
	if (!st->down)
		return out->act = VMS_ACT_HOVER;
	if (abs(mo->x - st->down_x) > VMS_INPUT_SLOP ||
	    abs(mo->y - st->down_y) > VMS_INPUT_SLOP)
		st->dragged = true;
	if (!st->dragged)
		return VMS_ACT_NONE;
	int32_t rh = st->row_h > 0 ? st->row_h : 1;
	out->dx = -(int64_t)(mo->x - st->last_x);
	out->dy = -(int64_t)((mo->y - st->last_y) / rh);
	st->last_x = mo->x;
	st->last_y += (int32_t)(-out->dy) * rh;
	if (!out->dx && !out->dy)
		return VMS_ACT_NONE;
	return out->act = VMS_ACT_PAN;
}

enum vms_action vms_input_decode(const SDL_Event *e, struct vms_input_state *st,
                                 bool replay, struct vms_input *out)
{
	*out = (struct vms_input){0};
	switch (e->type) {
	case SDL_QUIT:
		return out->act = VMS_ACT_QUIT;
	case SDL_KEYDOWN:
		return from_key(&e->key, st, replay, out);
	case SDL_MOUSEWHEEL: {
		int dy =
		    e->wheel.y * (e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -1 : 1);
		if (!dy)
			return VMS_ACT_NONE;
		int x, y;
		SDL_GetMouseState(&x, &y);
		out->x = x;
		out->y = y;
		out->factor = dy > 0 ? VMS_INPUT_ZOOM : 1 / VMS_INPUT_ZOOM;
		for (int i = 1; i < abs(dy) && i < 8; i++)
			out->factor *= dy > 0 ? VMS_INPUT_ZOOM : 1 / VMS_INPUT_ZOOM;
		return out->act = VMS_ACT_ZOOM;
	}
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		return from_button(e, st, out);
	case SDL_MOUSEMOTION:
		return from_motion(&e->motion, st, out);
	case SDL_WINDOWEVENT:
		switch (e->window.event) {
		case SDL_WINDOWEVENT_SIZE_CHANGED:
			return out->act = VMS_ACT_RESIZE;
		case SDL_WINDOWEVENT_LEAVE:
			st->down = false;
			return out->act = VMS_ACT_LEAVE;
		case SDL_WINDOWEVENT_EXPOSED:
			return out->act = VMS_ACT_REDRAW;
		default:
			return VMS_ACT_NONE;
		}
	default:
		return VMS_ACT_NONE;
	}
}

const char *const *vms_input_help(size_t *n)
{
	static const char *lines[NR_KEYS];
	static size_t count;
	if (!count)
		for (size_t i = 0; i < NR_KEYS; i++)
			if (keys[i].help)
				lines[count++] = keys[i].help;
	*n = count;
	return lines;
}
