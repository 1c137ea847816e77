/*
 * view_int.h — what the SDL parts of src/view/ share and nobody else
 * sees: text drawing with a cache of rendered strings (view_font.c), the
 * renderer context's SDL handles, and the treemap and panel entry points
 * the frame calls. Only files built with SDL's flags include it.
 */
#ifndef VMS_VIEW_INT_H
#define VMS_VIEW_INT_H

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmscope/view_render.h"

/* A cache of rendered strings: one texture per (text, colour), kept
 * across frames; emptied whole when it holds VMS_TEXT_CACHE_MAX entries,
 * so a frame's labels are rendered once and a long live session stays
 * bounded. */
#define VMS_TEXT_CACHE_MAX 1024

struct vms_text_entry {
	char *text;
	uint32_t rgb;
	SDL_Texture *tex;
	int w, h;
	struct vms_text_entry *next; /* hash chain */
};

struct vms_text {
	SDL_Renderer *r; /* borrowed */
	TTF_Font *font;  /* NULL: no text is drawn, sizes are 0 */
	char *font_path; /* the font file, or NULL */
	bool ttf_up;     /* this holds one TTF_Init() */
	struct vms_text_entry *bucket[256];
	size_t count;
	int line_h; /* the font's line skip (0 without a font) */
};

/* Opens the font font_path, else (or when it is NULL or not a font) the
 * default list: assets/, then /usr/share/fonts/truetype/dejavu/, at pt
 * points; t->font_path says which. VMS_RENDER_NO_FONT ("") asks for none.
 * No font is not an error: t->font stays NULL. */
void vms_text_init(struct vms_text *t, SDL_Renderer *r, const char *font_path, int pt);
void vms_text_fini(struct vms_text *t);
/* Size of s in pixels when drawn (0 x 0 without a font). */
void vms_text_size(struct vms_text *t, const char *s, int *w, int *h);
/*
 * Draws s with its top-left corner at (x, y) in rgb, clipped to max_w
 * pixels wide (max_w <= 0: no clip). Returns the width drawn (0 without a
 * font), or -1 when SDL fails.
 */
int vms_text_draw(struct vms_text *t, int x, int y, uint32_t rgb, const char *s,
                  int max_w);

/* Fills a rectangle in rgb (w or h <= 0: nothing). 0, or -1 on failure. */
int vms_fill(SDL_Renderer *r, uint32_t rgb, int x, int y, int w, int h);
/* The same, blended: alpha 0..255 over what is drawn. */
int vms_fill_alpha(SDL_Renderer *r, uint32_t rgb, uint8_t alpha, int x, int y, int w,
                   int h);

/*
 * view_panel.c: what is drawn over the map, last: the details panel of
 * the selected area or hole (ui->selected_hole), the hover tooltip, the
 * search prompt, a --source command's stderr box and the help overlay.
 * Returns 0, or -1 when SDL fails.
 */
int vms_panel_draw(struct vms_text *t, SDL_Renderer *r, const struct vms_view *v,
                   const struct vms_view_ui *ui, const struct vms_render_layout *lay);

/*
 * view_treemap_draw.c: a model without geometry (hashed or zeroed
 * addresses) drawn as a treemap of sizes by kind and caller
 * (view_treemap.h) in the map's rectangle of lay, with a banner saying
 * why there is no map and how to get real addresses. tm is laid out for
 * lay->map_w x lay->map_h. Returns 0, or -1 when SDL fails.
 */
struct vms_treemap;
int vms_treemap_draw(struct vms_text *t, SDL_Renderer *r, const struct vms_aspace *m,
                     const struct vms_treemap *tm, const struct vms_view_ui *ui,
                     const struct vms_render_layout *lay);

#endif /* VMS_VIEW_INT_H */
