/*
 * view_app.h — `vmscope view` as the CLI calls it, free of SDL types: the
 * window and its loop (view_app.c), and one frame written as PNG without a
 * window (view_shot.c) for --screenshot and `report --png`
 * (docs/view.md "The app").
 */
#ifndef VMS_VIEW_APP_H
#define VMS_VIEW_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmscope/aspace.h"
#include "vmscope/parse.h"
#include "vmscope/view_render.h"

/* Pixels per row of the map; the default window. */
#define VMS_VIEW_ROW_H     12
#define VMS_VIEW_DEFAULT_W 1280
#define VMS_VIEW_DEFAULT_H 800

struct vms_view_app_opts {
	/* what to show: a model (a file the CLI loaded), a recorded series
	 * (dir), or a live source (live: path re-read, or source run) */
	const struct vms_aspace *model; /* borrowed, or NULL */
	const char *name;               /* the model's source name (title) */
	const char *text;               /* the model's input bytes (borrowed),
	                                   to quote an area's line; or NULL */
	size_t text_len;
	const char *dir; /* replay this recorded directory */
	bool live;
	const char *path;                   /* live: the file re-read */
	const char *source;                 /* live: the command run each interval */
	uint32_t interval_ms;               /* live: between reads */
	uint32_t timeout_ms;                /* live: a command's limit */
	const char *record_dir;             /* live: keep each snapshot here */
	const struct vms_parse_opts *popts; /* borrowed, may be NULL */
	const char *arch;                   /* --arch, may be NULL */
	/* how */
	uint32_t width, height; /* window (0: the default) */
	const char *focus;      /* --focus REGION|A-B, or NULL */
	enum vms_color_by color_by;
	const char *font; /* NULL: the default search */
	FILE *err;        /* messages (live errors, snapshots saved) */
	FILE *trace;      /* one line per state change (tests), or NULL */
};

/*
 * Opens the window and runs until it is closed or 'q'. Returns 0, or
 * -VMS_EIO with the reason in why[0..len) (no display, SDL failed, a
 * recorded directory that cannot be read, --focus that matches nothing:
 * -VMS_EINVAL).
 */
int vms_view_app_run(const struct vms_view_app_opts *o, char *why, size_t len);

/* One frame to a PNG file, no window. */
struct vms_view_shot {
	const char *path;       /* the PNG to write */
	uint32_t width, height; /* the image (0: the default) */
	const char *focus;      /* NULL: fit-all (compressed when sparse) */
	enum vms_color_by color_by;
	const char *title;                /* status bar title, or NULL */
	const struct vms_view_diff *diff; /* changes to highlight, or NULL */
	const struct vms_aspace *prev;    /* the model diff->freed indexes */
};

/*
 * Renders model m as the viewer's first frame would show it (fit-all,
 * compressed when the space is sparse, or --focus) at the shot's size and
 * writes the PNG. Returns the frame's flags (>= 0: VMS_RENDER_NO_TEXT when
 * no font was found, so the image has no text), -VMS_EINVAL (a bad focus,
 * a size too small) or -VMS_EIO (SDL or the file), with the reason in
 * why[0..len).
 */
int vms_view_screenshot(const struct vms_aspace *m, const struct vms_view_shot *s,
                        char *why, size_t len);

/* SDL's last error text, for messages (view_font.c). */
const char *vms_render_last_error(void);

#endif /* VMS_VIEW_APP_H */
