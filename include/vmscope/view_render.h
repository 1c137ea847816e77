/*
 * view_render.h — the viewer's renderer: draws a view (vmscope/view.h)
 * into an SDL_Renderer, and writes one frame as a PNG without a window
 * (docs/view.md "Renderer"). SDL stays confined to src/view/: this
 * header names SDL_Renderer only by a forward declaration, and the
 * renderer's state is opaque; a caller includes SDL.h itself.
 *
 * The palette and the layout constants live here, in one place, so the
 * tests can find the pixel of the strip, the band and the legend.
 */
#ifndef VMS_VIEW_RENDER_H
#define VMS_VIEW_RENDER_H

#include "vmscope/view.h"

struct SDL_Renderer;
struct vms_usage;
struct vms_report;

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
	const struct vms_view_diff *diff;   /* NULL: nothing to highlight */
	const struct vms_aspace *prev;      /* the model diff->freed indexes */
	double change_age_s;                /* seconds since that diff: the
	                                       highlight fades over
	                                       VMS_RENDER_FADE_S */
	const struct vms_usage *prev_kinds; /* per-kind totals of the previous
	                                       snapshot (VMS_NR_AKINDS), or
	                                       NULL: the status bar shows the
	                                       change */
	size_t timeline_pos, timeline_n;    /* replay: snapshot pos of n
	                                       (n 0: no timeline) */
	const struct vms_report *report;    /* the current model's report, for
	                                       hole causes in the details
	                                       panel; NULL: none shown */
	const char *const *help_lines;      /* the help overlay's lines (the
	                                       key table, view_input.c) */
	size_t help_n;
};

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
/* The layout of a win_w x win_h window (at least 1 x 1 for the map). */
void vms_render_layout(uint32_t win_w, uint32_t win_h, struct vms_render_layout *lay);

/* Layout, in pixels, relative to the top of each row of row_h pixels:
 * the region band on top, then the area strip, then a gap. */
#define VMS_RENDER_BAND_H     2  /* region band height (when row_h >= 5) */
#define VMS_RENDER_ROW_GAP    1  /* empty pixels at the bottom of a row */
#define VMS_RENDER_LEGEND_PAD 4  /* legend margin and inner padding */
#define VMS_RENDER_SWATCH     10 /* legend swatch side */
#define VMS_RENDER_LEGEND_W   120
#define VMS_RENDER_FONT_PT    11

/* Colours, 0xRRGGBB. Areas use the Okabe–Ito palette (safe for the
 * common colour-vision deficiencies), one colour per enum vms_akind. */
#define VMS_RENDER_BG        0x1e1e1eu /* background, free space */
#define VMS_RENDER_GUARD     0x000000u /* guard-page cap */
#define VMS_RENDER_SELECT    0xffffffu /* selected area: outline */
#define VMS_RENDER_MATCH     0xff00ffu /* search match: underline */
#define VMS_RENDER_LEGEND_BG 0x303030u /* legend box */
#define VMS_RENDER_TEXT      0xe0e0e0u /* legend text */
extern const uint32_t vms_render_akind_rgb[VMS_NR_AKINDS];
/* Region band colour of an enum vms_region_kind (unknown kinds: grey). */
uint32_t vms_render_region_rgb(unsigned region_kind);

/* Where things are drawn in a view of this size (pixels). */
struct vms_render_geom {
	uint32_t band_y, band_h;   /* region band, from a row's top (h 0: none) */
	uint32_t strip_y, strip_h; /* area strip, from a row's top */
	int legend_x, legend_y;    /* the legend box, in the viewport */
	int legend_w, legend_h;
};
void vms_render_geometry(const struct vms_view *v, struct vms_render_geom *g);

/* Returned (>= 0) by vms_render_frame() and vms_view_save_png(). */
enum vms_render_flags {
	VMS_RENDER_NO_TEXT = 1u << 0, /* no font: legend has swatches only */
};

/* A renderer's state (opaque): the SDL_Renderer (borrowed), the legend
 * font and its label textures, the per-row scratch. */
struct vms_render;
/*
 * Returns a new renderer context drawing into r (borrowed; it must outlive
 * the context); free with vms_render_free(). font_path: the legend font;
 * NULL searches assets/DejaVuSans.ttf, then
 * /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf. No usable font is not
 * an error: font stays NULL and frames report VMS_RENDER_NO_TEXT.
 */
struct vms_render *vms_render_new(struct SDL_Renderer *r, const char *font_path);
void vms_render_free(struct vms_render *rc);
/* The font file the legend uses (borrowed, valid until the context is
 * freed), or NULL when none was found. */
const char *vms_render_font(const struct vms_render *rc);
/* Work done by the frames so far: vms_view_row() steps plus areas walked
 * for guard caps, matches and the selection. */
uint64_t vms_render_steps(const struct vms_render *rc);

/*
 * Draws one frame of v into rc's renderer, whose output should be
 * v->width x v->height: background, each row's pixel columns coloured by
 * their dominant kind (intensity by coverage), guard-page caps once a
 * guard page is at least one pixel wide, the region bands, search matches
 * and the selection, and the legend. v is not changed (its scratch
 * buffers are used). Does not present. Returns flags (enum
 * vms_render_flags), or -VMS_EIO when SDL fails. O(rows x log n + areas
 * walked + pixels).
 */
int vms_render_frame(struct vms_render *rc, const struct vms_view *v);

/*
 * Renders one frame of v on a software renderer (no window, no display)
 * at the view's size and writes it to path as PNG. Returns flags as
 * vms_render_frame(), or -VMS_EIO when SDL fails or the file cannot be
 * written.
 */
int vms_view_save_png(const struct vms_view *v, const char *path);

#endif /* VMS_VIEW_RENDER_H */
