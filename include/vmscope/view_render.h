/*
 * view_render.h — the viewer's renderer: draws the whole window — an
 * overview strip of the space, the address ruler, the map of a view
 * (vmscope/view.h) with its marks, a legend and the status bar — into an
 * SDL_Renderer, and writes one frame as a PNG without a window
 * (docs/view.md "Renderer"). SDL stays confined to src/view/: this
 * header names SDL_Renderer only by a forward declaration, and the
 * renderer's state is opaque; a caller includes SDL.h itself.
 *
 * The palette and the layout constants live here, in one place, so the
 * tests can find the pixels of the strip, the band, the legend, the
 * ruler, the overview and the status bar.
 */
#ifndef VMS_VIEW_RENDER_H
#define VMS_VIEW_RENDER_H

#include "vmscope/view.h"

struct SDL_Renderer;
struct vms_usage;
struct vms_report;
struct vms_text_source;

/* ---- What the app shows besides the map (SDL-free plain data) -------- */

enum vms_color_by {
	VMS_COLOR_BY_KIND = 0, /* the Okabe-Ito colour of the area's kind */
	VMS_COLOR_BY_CALLER,   /* a colour hashed from the caller's name */
};

/* Seconds the live change highlight takes to fade out. */
#define VMS_RENDER_FADE_S 4.0
/*
 * The state of the app the renderer draws besides the view: owned by the
 * app (view_app.c) or a test, borrowed for one frame. A zeroed struct is
 * a plain map: colours by kind, guard caps on, no overlay.
 */
struct vms_view_ui {
	enum vms_color_by color_by;    /* 'c' */
	bool hide_guards;              /* 'g' toggles the guard caps */
	bool help;                     /* 'h' / '?': the help overlay */
	bool hover;                    /* the pointer is over the map: tooltip */
	uint32_t hover_x, hover_y;     /* its pixel, in map coordinates */
	bool search_typing;            /* '/': the prompt is open */
	const char *search_text;       /* the prompt's text or the last search */
	const char *title;             /* the source and when it was read, for
	                                  the status bar; NULL: the dump's name */
	const char *message;           /* a message line (a live source's error),
	                                  or NULL */
	const char *source_stderr;     /* what a --source command wrote to its
	                                  stderr last time (shown in a box), or
	                                  NULL */
	bool selected_hole;            /* a hole is selected (not an area) */
	uint64_t hole_start, hole_end; /* the selected hole, half-open */
	/* live and replay: what changed since the previous snapshot */
	const struct vms_view_diff *diff;     /* NULL: nothing to highlight */
	const struct vms_aspace *prev;        /* the model diff->freed indexes */
	double change_age_s;                  /* seconds since that diff: the
	                                         highlight fades over
	                                         VMS_RENDER_FADE_S */
	const struct vms_usage *prev_kinds;   /* per-kind totals of the previous
	                                         snapshot (VMS_NR_AKINDS), or
	                                         NULL: the status bar shows the
	                                         change */
	size_t timeline_pos, timeline_n;      /* replay: snapshot pos of n
	                                         (pos 0-based, shown as pos + 1;
	                                         n 0: no timeline) */
	const struct vms_report *report;      /* the current model's report, for
	                                         hole causes in the details
	                                         panel; NULL: none shown */
	const struct vms_text_source *source; /* the model's input text, to
	                                         quote a selected area's line
	                                         (view_text.h), or NULL */
	const char *const *help_lines;        /* the help overlay's lines (the
	                                         key table, view_input.c) */
	size_t help_n;
};

/* ---- Layout of the window --------------------------------------------- */

/*
 * The window: an overview strip of the whole space on top, the address
 * ruler on the left, the map (the view's viewport) in the middle, the
 * status bar at the bottom. vms_render_layout() computes it from the
 * window size; a view drawn into that window must be map_w x map_h.
 */
struct vms_render_layout {
	uint32_t win_w, win_h;
	int map_x, map_y;           /* the map's top-left pixel in the window */
	uint32_t map_w, map_h;      /* the view's viewport */
	int overview_y, overview_h; /* full width */
	int ruler_w;                /* 0 when the window is too narrow */
	int status_y, status_h;     /* full width */
};
/*
 * The layout of a win_w x win_h window: overview_h + map_h + status_h ==
 * win_h and ruler_w + map_w == win_w, with the map at least 1 x 1. A
 * window narrower than VMS_RENDER_RULER_MIN_W has no ruler; one lower
 * than VMS_RENDER_BARS_MIN_H has neither overview nor status bar. O(1).
 */
void vms_render_layout(uint32_t win_w, uint32_t win_h, struct vms_render_layout *lay);

#define VMS_RENDER_RULER_W     124 /* fits 16 hex digits, a tick, a mark */
#define VMS_RENDER_RULER_MIN_W 480 /* narrower windows: no ruler */
#define VMS_RENDER_OVERVIEW_H  36
#define VMS_RENDER_STATUS_H    24
#define VMS_RENDER_BARS_MIN_H  100 /* lower windows: no overview, status */

/* Inside the overview strip, from its top: the region band, the bar of
 * the whole space (coloured like the map), the line of region names. The
 * visible range is a box around band and bar. */
#define VMS_RENDER_OV_BAND_Y  2
#define VMS_RENDER_OV_BAND_H  3
#define VMS_RENDER_OV_BAR_Y   5
#define VMS_RENDER_OV_BAR_H   12
#define VMS_RENDER_OV_NAMES_Y 19
/* Inside the status bar, from its top: a separator line, the timeline's
 * zone (replay only), the text line. */
#define VMS_RENDER_TIMELINE_Y    1
#define VMS_RENDER_TIMELINE_H    6
#define VMS_RENDER_STATUS_TEXT_Y 8
/* Inside the ruler, from its right edge: the cut mark, the tick. */
#define VMS_RENDER_RULER_MARK_W 3
#define VMS_RENDER_RULER_TICK_W 8

/* Layout, in pixels, relative to the top of each row of row_h pixels:
 * the region band on top, then the area strip, then a gap. */
#define VMS_RENDER_BAND_H          2  /* region band height (when row_h >= 5) */
#define VMS_RENDER_ROW_GAP         1  /* empty pixels at the bottom of a row */
#define VMS_RENDER_LEGEND_PAD      4  /* legend margin and inner padding */
#define VMS_RENDER_SWATCH          10 /* legend swatch side */
#define VMS_RENDER_LEGEND_W        120
#define VMS_RENDER_LEGEND_CALLER_W 200 /* colouring by caller: names */
#define VMS_RENDER_LEGEND_CALLERS  8   /* callers listed, most bytes first */
#define VMS_RENDER_FONT_PT         11
#define VMS_RENDER_HOLES           5 /* the largest holes outlined and labelled */

/* Colours, 0xRRGGBB. Areas use the Okabe–Ito palette (safe for the
 * common colour-vision deficiencies), one colour per enum vms_akind. */
#define VMS_RENDER_BG        0x1e1e1eu /* background, free space */
#define VMS_RENDER_BAR_BG    0x2b2b2bu /* ruler, overview, status bar */
#define VMS_RENDER_RULE      0x444444u /* separator lines */
#define VMS_RENDER_GUARD     0x000000u /* guard-page cap */
#define VMS_RENDER_SELECT    0xffffffu /* selected area or hole: outline */
#define VMS_RENDER_MATCH     0xff00ffu /* search match: underline */
#define VMS_RENDER_LEGEND_BG 0x303030u /* legend box */
#define VMS_RENDER_LABEL_BG  0x121212u /* box behind labels on the map */
#define VMS_RENDER_TEXT      0xe0e0e0u /* legend, status text */
#define VMS_RENDER_TEXT_DIM  0x9a9a9au /* ruler addresses, ticks */
#define VMS_RENDER_WARN      0xffb000u /* the status bar's message */
#define VMS_RENDER_CUT       0x4a4640u /* a cut of the compressed axis */
#define VMS_RENDER_CUT_HATCH 0x8a8478u /* its hatching, its ruler mark */
#define VMS_RENDER_HOLE      0x9ad0ffu /* outline of a largest hole */
#define VMS_RENDER_VIEWBOX   0xffffffu /* the overview's visible range */
#define VMS_RENDER_ADDED     0xb4ffb4u /* live: a new area (fading) */
#define VMS_RENDER_FREED     0xff4040u /* live: a freed area's ghost */
extern const uint32_t vms_render_akind_rgb[VMS_NR_AKINDS];
/* Region band colour of an enum vms_region_kind (unknown kinds: grey). */
uint32_t vms_render_region_rgb(unsigned region_kind);

/* Colouring by caller: a fixed list of distinguishable colours, picked by
 * a stable hash of the caller's name, so a caller keeps its colour across
 * frames, snapshots and runs. */
#define VMS_RENDER_NR_CALLER_RGB 12
extern const uint32_t vms_render_caller_palette[VMS_RENDER_NR_CALLER_RGB];
/* The colour of a caller name (areas without one are named as the report
 * names them: "[vm_map_ram]", "[unpurged]", "[no caller]"). O(length). */
uint32_t vms_render_caller_rgb(const char *name);

/* Where things are drawn in a view of this size (pixels). */
struct vms_render_geom {
	uint32_t band_y, band_h;   /* region band, from a row's top (h 0: none) */
	uint32_t strip_y, strip_h; /* area strip, from a row's top */
	int legend_x, legend_y;    /* the legend box at its largest, in the
	                              map (the view's viewport) */
	int legend_w, legend_h;
};
/* The geometry of v's rows and of the legend for ui's colouring (ui NULL:
 * by kind). The map's pixel (x, y) is the window's (map_x + x, map_y + y). */
void vms_render_geometry(const struct vms_view *v, const struct vms_view_ui *ui,
                         struct vms_render_geom *g);

/* Returned (>= 0) by vms_render_frame() and vms_view_save_png(). */
enum vms_render_flags {
	VMS_RENDER_NO_TEXT = 1u << 0, /* no font: swatches and marks only */
};

/* A renderer's state (opaque): the SDL_Renderer (borrowed), the font and
 * its label textures, and the caches that keep a frame free of O(n)
 * work. */
struct vms_render;
/*
 * Returns a new renderer context drawing into r (borrowed; it must outlive
 * the context); free with vms_render_free(). font_path: the font, else
 * (NULL, or not a font) assets/DejaVuSans.ttf, then
 * /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf (vms_render_font() says
 * which); VMS_RENDER_NO_FONT: none. No usable font is not an error: frames
 * report VMS_RENDER_NO_TEXT.
 */
#define VMS_RENDER_NO_FONT ""
struct vms_render *vms_render_new(struct SDL_Renderer *r, const char *font_path);
void vms_render_free(struct vms_render *rc);
/* The font file used (borrowed, valid until the context is freed), or
 * NULL when none was found. */
const char *vms_render_font(const struct vms_render *rc);
/* Work done by the frames so far: vms_view_row() steps plus areas walked
 * for guard caps. */
uint64_t vms_render_steps(const struct vms_render *rc);

/* What the caches did, summed over the context's frames. */
struct vms_render_stats {
	uint64_t steps;           /* as vms_render_steps() */
	uint64_t map_builds;      /* the map's cells recomputed (the view or
	                             the model changed) */
	uint64_t overview_builds; /* the overview recomputed: O(n) */
	uint64_t model_builds;    /* per-model caches (kind totals, largest
	                             holes, caller colours) recomputed: O(n) */
	uint64_t treemap_builds;  /* treemap layouts (models without
	                             geometry) */
};
void vms_render_stats(const struct vms_render *rc, struct vms_render_stats *s);

/*
 * Drops every cache of rc. The caches are keyed by the model's address
 * (and its dump's, and their sizes); call this when a model was freed and
 * another built, before the next frame, if the new one may have been
 * given the old one's memory. O(1) plus the frees.
 */
void vms_render_forget(struct vms_render *rc);

/*
 * Draws one frame of the whole window into rc's renderer; its output size
 * (SDL_GetRendererOutputSize) is the window, whose vms_render_layout()
 * says where things go; v must be map_w x map_h. ui (borrowed; NULL: a
 * zeroed one) is what the app shows besides the view.
 *
 * The map: each row's pixel columns coloured by their dominant kind or,
 * by caller, the caller of their largest area (intensity by coverage);
 * region bands and, when rows are tall enough, region names; guard-page
 * caps (unless ui->hide_guards) once a guard page is at least one pixel;
 * the cuts of the compressed axis as hatched blocks labelled with the
 * hole's size; the VMS_RENDER_HOLES largest holes outlined and labelled;
 * live changes (ui->diff) fading over VMS_RENDER_FADE_S; search matches,
 * the selected area or hole; the legend. Around it: the ruler (row start
 * addresses, rows holding a cut), the overview (the whole space with the
 * visible range boxed, region names) and the status bar (title, per-kind
 * totals and their change, the message, the search, the timeline). Then
 * the panel (vms_panel_draw()). A model without geometry is drawn as a
 * treemap in the map's place.
 *
 * v is not changed (its scratch buffers are used). Does not present.
 * Returns flags (enum vms_render_flags), -VMS_EINVAL when v's size is not
 * the layout's map, or -VMS_EIO when SDL fails. Cost: O(rows x (log n +
 * regions) + visible areas + pixels) when the view changed, O(pixels +
 * visible marks) when only the ui did; O(n) once per model (kind totals,
 * largest holes) and per (model, axis, width) for the overview.
 */
int vms_render_frame(struct vms_render *rc, const struct vms_view *v,
                     const struct vms_view_ui *ui);

/*
 * Renders one frame of v and ui (NULL: zeroed) on a software renderer (no
 * window, no display) in a win_w x win_h window, v being its map
 * (vms_render_layout()), and writes it to path as PNG. Returns flags as
 * vms_render_frame(), -VMS_EINVAL as it, or -VMS_EIO when SDL fails or
 * the file cannot be written.
 */
int vms_view_save_png(const struct vms_view *v, const struct vms_view_ui *ui,
                      uint32_t win_w, uint32_t win_h, const char *path);

#endif /* VMS_VIEW_RENDER_H */
