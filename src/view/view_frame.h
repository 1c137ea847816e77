/*
 * view_frame.h — what the renderer's two files share while drawing one
 * frame (internal to src/view/, SDL types): the frame's state, the key
 * the per-model caches are checked against, the colouring of a column,
 * the helpers that put an address range on the screen, and the
 * overlay's entry points.
 *
 * view_render.c owns the context, the order of a frame and the map's
 * body (areas, bands, guard caps, matches, selection, legend);
 * view_overlay.c draws what annotates it (cuts, largest holes, live
 * changes, region names) and what surrounds it (ruler, overview, status
 * bar), each with its cache.
 */
#ifndef VMS_VIEW_FRAME_H
#define VMS_VIEW_FRAME_H

#include "view_int.h"
#include "view_palette.h"

/* Labels drawn so far in a frame (map coordinates): a label that would
 * overlap one of them, or leave the map, is not drawn. */
#define VMS_LABELS_MAX 128
struct vms_labels {
	SDL_Rect box[VMS_LABELS_MAX];
	int n;
};

/* One frame being drawn. */
struct vms_frame {
	SDL_Renderer *r;                /* borrowed */
	struct vms_text *text;          /* the context's */
	const struct vms_view *v;       /* the map */
	const struct vms_view_ui *ui;   /* never NULL */
	struct vms_render_layout lay;   /* the window */
	struct vms_render_geom g;       /* rows and legend */
	struct vms_labels labels;       /* placed on the map */
	struct vms_callers *callers;    /* the context's */
	struct vms_render_stats *stats; /* the context's counters */
	int err;                        /* nonzero once an SDL call failed */
};

/* Rectangles on the frame; failures are kept in f->err. */
void vms_frame_fill(struct vms_frame *f, uint32_t rgb, uint8_t alpha, int x, int y, int w,
                    int h);
/* Cells [*c0, *c1) of the screen (row-major: row c / width, column c %
 * width) showing positions [ps, pe), at least one when the range reaches
 * the screen; false when it does not. O(1). */
bool vms_frame_cells_pos(const struct vms_view *v, uint64_t ps, uint64_t pe, uint64_t *c0,
                         uint64_t *c1);
/* The same for addresses [s, e). O(log cuts). */
bool vms_frame_cells(const struct vms_view *v, uint64_t s, uint64_t e, uint64_t *c0,
                     uint64_t *c1);
/* Fills cells [c0, c1) over lines [dy, dy + h) of their rows (map
 * coordinates): one rectangle per row. */
void vms_frame_fill_cells(struct vms_frame *f, uint64_t c0, uint64_t c1, int dy, int h,
                          uint32_t rgb, uint8_t alpha);

/* The first of the dump areas idx[0..n) (in address order) that may reach
 * addr: the first starting at or after it, or the one before when that
 * one reaches past addr. O(log n). */
size_t vms_frame_first_listed(const struct vms_dump *d, const size_t *idx, size_t n,
                              uint64_t addr);

/* Cell ranges coming in ascending order, merged into runs so that many
 * areas in a pixel cost one fill: add them, then flush. */
struct vms_runs {
	uint64_t c0, c1; /* the open run; empty when c1 == 0 */
	int dy, h;       /* lines of each row filled */
	uint32_t rgb;
	uint8_t alpha;
};
void vms_runs_add(struct vms_frame *f, struct vms_runs *run, uint64_t c0, uint64_t c1);
void vms_runs_flush(struct vms_frame *f, struct vms_runs *run);

/* Draws s in rgb on a VMS_RENDER_LABEL_BG box whose top-left is (x, y) in
 * the map, unless it leaves the map or overlaps an earlier label; returns
 * whether it was drawn (never without a font). */
bool vms_frame_label(struct vms_frame *f, int x, int y, const char *s, uint32_t rgb);
/* Width of the box vms_frame_label() draws for s (0 without a font). */
int vms_frame_label_w(struct vms_frame *f, const char *s);
/* Reserves a rectangle of the map (the legend) against later labels. */
void vms_frame_reserve(struct vms_frame *f, int x, int y, int w, int h);

/* ---- view_overlay.c ------------------------------------------------- */

/* The overlay's caches (opaque): the overview, per-model kind totals and
 * largest holes, the rows holding a cut, scratch for hatching. */
struct vms_overlay;
struct vms_overlay *vms_overlay_new(void);
void vms_overlay_free(struct vms_overlay *o);
/* Drops every cache (vms_render_forget()). */
void vms_overlay_forget(struct vms_overlay *o);
/* On the map, with the renderer's viewport on it: the cuts, the largest
 * holes, live changes, the selected hole, region names. */
void vms_overlay_map(struct vms_overlay *o, struct vms_frame *f);
/* Around the map, with the viewport on the window: the ruler (after
 * vms_overlay_map(), whose cuts it marks), the overview, the status bar. */
void vms_overlay_bars(struct vms_overlay *o, struct vms_frame *f);

#endif /* VMS_VIEW_FRAME_H */
