/*
 * view_render.c — draws the viewer's window into an SDL_Renderer: the
 * window's layout, the renderer context, the order of a frame (map,
 * overlay, bars, panel), the map's body — the wrapped rows of the address
 * space, each pixel column coloured by its dominant kind or by the caller
 * of its largest area with an intensity by coverage (view_palette.c), the
 * region bands, guard-page caps, search matches, the selection and the
 * legend — the helpers that put address ranges and labels on the map, and
 * one frame written as PNG on a software renderer (no window, no
 * display). view_overlay.c draws what annotates the map and surrounds it
 * (view_frame.h).
 *
 * Each row of row_h pixels holds, from its top: a region band
 * (VMS_RENDER_BAND_H, when the row is tall enough), the area strip, a
 * gap. The map's colours are cached per view state (model, origin, bpp,
 * axis, size): computing them costs O(rows x log n + visible areas) with
 * vms_view_row(); they go into a texture of one pixel per column and row,
 * and each row of it is stretched over its strip, so drawing costs one
 * copy per row however dense the map — never one draw call per area.
 * Bands and marks are runs of cells, one fill per row they cross. Guard
 * caps walk the visible areas only when a page is at least a pixel (so
 * there are no more of them than pixels); matches and the selection come
 * from their own lists by binary search.
 *
 * Invariants: the view is never changed (a copy of the struct drives
 * vms_view_row(), using the view's scratch buffers); cached colours are
 * used only for the exact view state they were computed for; textures
 * belong to rc->r.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/common.h"
#include "vmscope/view_render.h"
#include "vmscope/view_treemap.h"
#include "view_frame.h"

typedef unsigned __int128 u128;

/* The view state the map's colours were computed for. */
struct map_key {
	struct vms_model_key model;
	uint64_t origin, bpp, len, lo, hi, threshold, cut_width;
	size_t ncuts;
	uint32_t width, rows;
	bool compressed;
};

struct vms_render {
	SDL_Renderer *r; /* borrowed */
	struct vms_text text;
	struct vms_callers callers;
	struct vms_overlay *overlay;
	struct vms_render_stats stats;
	/* the map: both colourings of every cell (row-major, 0xAARRGGBB) for
	 * mkey, and a texture of one pixel per cell holding one of them */
	struct map_key mkey;
	bool mvalid;
	uint32_t *by_kind, *by_caller;
	size_t mcap;
	SDL_Texture *tex; /* tex_w x tex_h, NULL until the first map */
	int tex_w, tex_h;
	const uint32_t *tex_holds;   /* by_kind or by_caller; NULL: stale */
	struct vms_view_cell *cells; /* one row, scratch */
	uint32_t ccap;
	uint64_t *slot_bytes; /* per caller slot: bytes on screen, scratch */
	size_t nslot_bytes;
	uint32_t top_slot[VMS_RENDER_LEGEND_CALLERS]; /* the callers legend */
	size_t ntop;
	struct vms_treemap tm; /* for tm_key at tm_w x tm_h */
	bool tm_valid;
	struct vms_model_key tm_key;
	uint32_t tm_w, tm_h;
};

/* ---- layout ------------------------------------------------------------ */

void vms_render_layout(uint32_t win_w, uint32_t win_h, struct vms_render_layout *lay)
{
	memset(lay, 0, sizeof(*lay));
	lay->win_w = win_w;
	lay->win_h = win_h;
	bool bars = win_h >= VMS_RENDER_BARS_MIN_H;
	lay->ruler_w = win_w >= VMS_RENDER_RULER_MIN_W ? VMS_RENDER_RULER_W : 0;
	lay->overview_y = 0;
	lay->overview_h = bars ? VMS_RENDER_OVERVIEW_H : 0;
	lay->status_h = bars ? VMS_RENDER_STATUS_H : 0;
	lay->map_x = lay->ruler_w;
	lay->map_y = lay->overview_h;
	lay->map_w = win_w > (uint32_t)lay->ruler_w ? win_w - (uint32_t)lay->ruler_w : 1;
	uint32_t bars_h = (uint32_t)(lay->overview_h + lay->status_h);
	lay->map_h = win_h > bars_h ? win_h - bars_h : 1;
	lay->status_y = lay->map_y + (int)lay->map_h;
}

void vms_render_geometry(const struct vms_view *v, const struct vms_view_ui *ui,
                         struct vms_render_geom *g)
{
	uint32_t h = v->row_h;
	g->band_h = h >= 5 ? VMS_RENDER_BAND_H : 0;
	g->band_y = 0;
	g->strip_y = g->band_h;
	g->strip_h = h - g->band_h - (h >= 3 ? VMS_RENDER_ROW_GAP : 0);
	/* Colouring by kind, the status bar is the legend (a swatch, count and
	 * bytes of each kind there is); by caller, a box lists the callers on
	 * screen, when the map is at least twice its size (else it would hide
	 * what it explains). */
	bool callers = ui && ui->color_by == VMS_COLOR_BY_CALLER;
	int p = VMS_RENDER_LEGEND_PAD, line = VMS_RENDER_SWATCH + p;
	g->legend_w = VMS_RENDER_LEGEND_CALLER_W;
	g->legend_h = p + VMS_RENDER_LEGEND_CALLERS * line;
	if (!callers || (int)v->width < 2 * (g->legend_w + p) ||
	    (int)v->height < 2 * (g->legend_h + p))
		g->legend_w = g->legend_h = 0;
	g->legend_x = (int)v->width - g->legend_w - p;
	g->legend_y = (int)v->height - g->legend_h - p;
}

/* ---- context ----------------------------------------------------------- */

struct vms_render *vms_render_new(SDL_Renderer *r, const char *font_path)
{
	struct vms_render *rc = vms_xcalloc(1, sizeof(*rc));
	rc->r = r;
	vms_text_init(&rc->text, r, font_path, VMS_RENDER_FONT_PT);
	rc->overlay = vms_overlay_new();
	return rc;
}

const char *vms_render_font(const struct vms_render *rc)
{
	return rc->text.font_path;
}

uint64_t vms_render_steps(const struct vms_render *rc)
{
	return rc->stats.steps;
}

void vms_render_stats(const struct vms_render *rc, struct vms_render_stats *s)
{
	*s = rc->stats;
}

void vms_render_forget(struct vms_render *rc)
{
	rc->mvalid = false;
	vms_callers_fini(&rc->callers);
	vms_overlay_forget(rc->overlay);
	vms_treemap_free(&rc->tm);
	rc->tm_valid = false;
}

void vms_render_free(struct vms_render *rc)
{
	if (!rc)
		return;
	vms_render_forget(rc);
	vms_overlay_free(rc->overlay);
	vms_text_fini(&rc->text);
	if (rc->tex)
		SDL_DestroyTexture(rc->tex);
	free(rc->by_kind);
	free(rc->by_caller);
	free(rc->cells);
	free(rc->slot_bytes);
	free(rc);
}

/* ---- frame helpers (view_frame.h) -------------------------------------- */

void vms_frame_fill(struct vms_frame *f, uint32_t rgb, uint8_t alpha, int x, int y, int w,
                    int h)
{
	if (vms_fill_alpha(f->r, rgb, alpha, x, y, w, h) != 0)
		f->err = 1;
}

bool vms_frame_cells_pos(const struct vms_view *v, uint64_t ps, uint64_t pe, uint64_t *c0,
                         uint64_t *c1)
{
	u128 screen = (u128)v->width * v->rows * v->bpp;
	u128 end = (u128)v->origin + screen;
	if (pe <= ps || pe <= v->origin || ps >= end)
		return false;
	u128 s = ps < v->origin ? 0 : ps - v->origin;
	u128 e = (pe >= end ? end : pe) - v->origin;
	*c0 = (uint64_t)(s / v->bpp);
	*c1 = (uint64_t)((e + v->bpp - 1) / v->bpp);
	if (*c1 <= *c0)
		*c1 = *c0 + 1;
	return true;
}

bool vms_frame_cells(const struct vms_view *v, uint64_t s, uint64_t e, uint64_t *c0,
                     uint64_t *c1)
{
	if (e <= s || e <= v->lo || s >= v->hi)
		return false;
	return vms_frame_cells_pos(v, vms_view_pos_of(v, s), vms_view_pos_of(v, e), c0,
	                           c1);
}

void vms_frame_fill_cells(struct vms_frame *f, uint64_t c0, uint64_t c1, int dy, int h,
                          uint32_t rgb, uint8_t alpha)
{
	const struct vms_view *v = f->v;
	while (c0 < c1) {
		uint64_t row = c0 / v->width, x0 = c0 % v->width;
		uint64_t x1 =
		    c1 - row * v->width < v->width ? c1 - row * v->width : v->width;
		vms_frame_fill(f, rgb, alpha, (int)x0, (int)(row * v->row_h) + dy,
		               (int)(x1 - x0), h);
		c0 = (row + 1) * v->width;
	}
}

void vms_runs_add(struct vms_frame *f, struct vms_runs *run, uint64_t c0, uint64_t c1)
{
	if (run->c1 && c0 <= run->c1) {
		run->c1 = c1 > run->c1 ? c1 : run->c1;
		return;
	}
	vms_runs_flush(f, run);
	run->c0 = c0;
	run->c1 = c1;
}

void vms_runs_flush(struct vms_frame *f, struct vms_runs *run)
{
	if (run->c1)
		vms_frame_fill_cells(f, run->c0, run->c1, run->dy, run->h, run->rgb,
		                     run->alpha);
	run->c0 = run->c1 = 0;
}

static bool overlaps(const SDL_Rect *a, const SDL_Rect *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
	       b->y < a->y + a->h;
}

void vms_frame_reserve(struct vms_frame *f, int x, int y, int w, int h)
{
	if (f->labels.n < VMS_LABELS_MAX)
		f->labels.box[f->labels.n++] = (SDL_Rect){x, y, w, h};
}

int vms_frame_label_w(struct vms_frame *f, const char *s)
{
	int w, h;
	vms_text_size(f->text, s, &w, &h);
	return w ? w + 4 : 0;
}

bool vms_frame_label(struct vms_frame *f, int x, int y, const char *s, uint32_t rgb)
{
	int w, h;
	vms_text_size(f->text, s, &w, &h);
	SDL_Rect box = {x, y, w + 4, h};
	if (!w || f->labels.n >= VMS_LABELS_MAX || x < 0 || y < 0 ||
	    x + box.w > (int)f->v->width || y + h > (int)f->v->height)
		return false;
	for (int i = 0; i < f->labels.n; i++)
		if (overlaps(&box, &f->labels.box[i]))
			return false;
	f->labels.box[f->labels.n++] = box;
	vms_frame_fill(f, VMS_RENDER_LABEL_BG, 0xff, box.x, box.y, box.w, box.h);
	if (vms_text_draw(f->text, x + 2, y, rgb, s, 0) < 0)
		f->err = 1;
	return true;
}

/* ---- the map's cells ------------------------------------------------------ */

static void map_key_of(const struct vms_view *v, struct map_key *k)
{
	memset(k, 0, sizeof(*k));
	vms_model_key_of(v->m, &k->model);
	k->origin = v->origin;
	k->bpp = v->bpp;
	k->len = v->len;
	k->lo = v->lo;
	k->hi = v->hi;
	k->threshold = v->threshold;
	k->cut_width = v->cut_width;
	k->ncuts = v->cuts.n;
	k->width = v->width;
	k->rows = v->rows;
	k->compressed = v->compressed;
}

/* The callers with the most bytes on screen, most first, into top_slot. */
static void pick_top_callers(struct vms_render *rc)
{
	uint64_t best[VMS_RENDER_LEGEND_CALLERS];
	rc->ntop = 0;
	for (size_t s = 0; s < rc->nslot_bytes; s++) {
		uint64_t b = rc->slot_bytes[s];
		if (!b)
			continue;
		size_t at = rc->ntop;
		while (at > 0 && best[at - 1] < b)
			at--;
		if (at >= VMS_RENDER_LEGEND_CALLERS)
			continue;
		size_t last = rc->ntop < VMS_RENDER_LEGEND_CALLERS
		                  ? rc->ntop
		                  : VMS_RENDER_LEGEND_CALLERS - 1;
		for (size_t j = last; j > at; j--) {
			best[j] = best[j - 1];
			rc->top_slot[j] = rc->top_slot[j - 1];
		}
		best[at] = b;
		rc->top_slot[at] = (uint32_t)s;
		rc->ntop += rc->ntop < VMS_RENDER_LEGEND_CALLERS;
	}
}

/* Room for v's cells and a row of scratch (grown, never shrunk), and the
 * callers' byte counters zeroed. */
static void reserve_map(struct vms_render *rc, const struct vms_view *v)
{
	size_t need = (size_t)v->rows * v->width;
	if (rc->mcap < need) {
		rc->by_kind = vms_xreallocarray(rc->by_kind, need, sizeof(uint32_t));
		rc->by_caller = vms_xreallocarray(rc->by_caller, need, sizeof(uint32_t));
		rc->mcap = need;
	}
	if (rc->ccap < v->width) {
		rc->cells = vms_xreallocarray(rc->cells, v->width, sizeof(*rc->cells));
		rc->ccap = v->width;
	}
	if (rc->nslot_bytes != rc->callers.nslots) {
		free(rc->slot_bytes);
		rc->nslot_bytes = rc->callers.nslots;
		rc->slot_bytes = vms_xcalloc(rc->nslot_bytes, sizeof(uint64_t));
	}
	memset(rc->slot_bytes, 0, rc->nslot_bytes * sizeof(uint64_t));
}

/* Both colourings of every cell of the screen, and the callers legend:
 * one vms_view_row() per row. */
static void build_map(struct vms_render *rc, const struct vms_view *v)
{
	const struct vms_aspace *m = v->m;
	reserve_map(rc, v);
	struct vms_view tmp = *v; /* vms_view_row() counts steps in it */
	for (uint32_t row = 0; row < v->rows; row++) {
		vms_view_row(&tmp, row, rc->cells);
		size_t at = (size_t)row * v->width;
		for (uint32_t x = 0; x < v->width; x++) {
			const struct vms_view_cell *c = &rc->cells[x];
			vms_callers_cell(&rc->callers, m, c, &rc->by_kind[at + x],
			                 &rc->by_caller[at + x]);
			rc->by_kind[at + x] |= 0xff000000u;
			rc->by_caller[at + x] |= 0xff000000u;
			if (c->top != VMS_VIEW_NO_AREA)
				rc->slot_bytes[vms_callers_slot(m, c->top)] +=
				    c->top_bytes;
		}
	}
	rc->stats.steps += tmp.steps - v->steps;
	rc->stats.map_builds++;
	pick_top_callers(rc);
	map_key_of(v, &rc->mkey);
	rc->mvalid = true;
	rc->tex_holds = NULL;
}

/* The texture of one pixel per cell, made and filled with rgb when it
 * does not hold it yet; NULL when SDL fails. */
static SDL_Texture *cells_texture(struct vms_render *rc, struct vms_frame *f,
                                  const uint32_t *rgb)
{
	int w = (int)f->v->width, h = (int)f->v->rows;
	if (rc->tex && (rc->tex_w != w || rc->tex_h != h)) {
		SDL_DestroyTexture(rc->tex);
		rc->tex = NULL;
	}
	if (!rc->tex) {
		rc->tex = SDL_CreateTexture(rc->r, SDL_PIXELFORMAT_ARGB8888,
		                            SDL_TEXTUREACCESS_STATIC, w, h);
		if (!rc->tex || SDL_SetTextureBlendMode(rc->tex, SDL_BLENDMODE_NONE) ||
		    SDL_SetTextureScaleMode(rc->tex, SDL_ScaleModeNearest))
			return NULL;
		rc->tex_w = w;
		rc->tex_h = h;
		rc->tex_holds = NULL;
	}
	if (rc->tex_holds != rgb) {
		if (SDL_UpdateTexture(rc->tex, NULL, rgb, w * (int)sizeof(uint32_t)))
			return NULL;
		rc->tex_holds = rgb;
	}
	return rc->tex;
}

/* The strips: each row of the cells' texture stretched over its strip. A
 * column is one pixel of one colour whatever the areas under it, so this
 * costs O(rows) copies, however dense the map. */
static void draw_cells(struct vms_render *rc, struct vms_frame *f, const uint32_t *rgb)
{
	const struct vms_view *v = f->v;
	SDL_Texture *tex = cells_texture(rc, f, rgb);
	if (!tex) {
		f->err = 1;
		return;
	}
	for (uint32_t row = 0; row < v->rows; row++) {
		SDL_Rect src = {0, (int)row, (int)v->width, 1};
		SDL_Rect dst = {0, (int)(row * v->row_h + f->g.strip_y), (int)v->width,
		                (int)f->g.strip_h};
		if (SDL_RenderCopy(f->r, tex, &src, &dst))
			f->err = 1;
	}
}

/* Region bands: regions in start order, so where guessed regions overlap
 * (an arm32 lowmem reaching into vmalloc space) the innermost — the one
 * starting last — is drawn last and wins. O(regions x (log cuts + rows)). */
static void draw_bands(struct vms_frame *f)
{
	const struct vms_aspace *m = f->v->m;
	uint64_t c0, c1;
	if (!f->g.band_h)
		return;
	for (size_t i = 0; i < m->regions.n; i++) {
		const struct vms_region *reg = &m->regions.v[i];
		if (vms_frame_cells(f->v, reg->start, reg->end, &c0, &c1))
			vms_frame_fill_cells(f, c0, c1, (int)f->g.band_y,
			                     (int)f->g.band_h,
			                     vms_render_region_rgb(reg->kind), 0xff);
	}
}

/* ---- marks ------------------------------------------------------------ */

/* Guard caps: the visible areas, walked only when a page is at least a
 * pixel, so there are no more of them than pixels. */
static void draw_guards(struct vms_render *rc, struct vms_frame *f)
{
	const struct vms_view *v = f->v;
	const struct vms_aspace *m = v->m;
	uint64_t vs, ve, c0, c1;
	if (f->ui->hide_guards || v->bpp > m->page_size)
		return;
	vms_view_range(v, &vs, &ve);
	for (size_t k = vms_aspace_first_over(m, vs); k < m->nr_order; k++) {
		size_t i = m->order[k];
		const struct vms_area *a = &m->dump->areas.v[i];
		if (a->start >= ve)
			break;
		rc->stats.steps++;
		uint64_t guard = vms_aspace_guard_bytes(m, i);
		if (guard && guard >= v->bpp && guard < a->end - a->start &&
		    vms_frame_cells(v, a->end - guard, a->end, &c0, &c1))
			vms_frame_fill_cells(f, c0, c1, (int)f->g.strip_y,
			                     (int)f->g.strip_h, VMS_RENDER_GUARD, 0xff);
	}
}

size_t vms_frame_first_listed(const struct vms_dump *d, const size_t *idx, size_t n,
                              uint64_t addr)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->areas.v[idx[mid]].start < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && d->areas.v[idx[lo - 1]].end > addr ? lo - 1 : lo;
}

static void draw_matches(struct vms_frame *f)
{
	const struct vms_view *v = f->v;
	const struct vms_dump *d = v->m->dump;
	uint64_t vs, ve, c0, c1;
	if (!v->matches.n)
		return;
	vms_view_range(v, &vs, &ve);
	struct vms_runs run = {.dy = (int)(f->g.strip_y + f->g.strip_h) - 1,
	                       .h = 1,
	                       .rgb = VMS_RENDER_MATCH,
	                       .alpha = 0xff};
	for (size_t k = vms_frame_first_listed(d, v->matches.v, v->matches.n, vs);
	     k < v->matches.n; k++) {
		const struct vms_area *a = &d->areas.v[v->matches.v[k]];
		if (a->start >= ve)
			break;
		if (vms_frame_cells(v, a->start, a->end, &c0, &c1))
			vms_runs_add(f, &run, c0, c1);
	}
	vms_runs_flush(f, &run);
}

static void draw_selection(struct vms_frame *f)
{
	const struct vms_view *v = f->v;
	uint64_t c0, c1;
	if (!v->has_selected || v->selected >= v->m->dump->areas.n)
		return;
	const struct vms_area *a = &v->m->dump->areas.v[v->selected];
	if (!vms_frame_cells(v, a->start, a->end, &c0, &c1))
		return;
	/* a white frame: two lines above and below when the strip has room,
	 * and a line at the area's first and last pixel column */
	int sh = (int)f->g.strip_h, t = sh >= 6 ? 2 : 1;
	int top = (int)f->g.strip_y, bottom = top + sh - t;
	vms_frame_fill_cells(f, c0, c1, top, t, VMS_RENDER_SELECT, 0xff);
	vms_frame_fill_cells(f, c0, c1, bottom, t, VMS_RENDER_SELECT, 0xff);
	vms_frame_fill_cells(f, c0, c0 + 1, top, sh, VMS_RENDER_SELECT, 0xff);
	vms_frame_fill_cells(f, c1 - 1, c1, top, sh, VMS_RENDER_SELECT, 0xff);
}

/* ---- legend --------------------------------------------------------------- */

static void legend_line(struct vms_frame *f, int x, int y, int w, uint32_t rgb,
                        const char *label)
{
	int p = VMS_RENDER_LEGEND_PAD, tw, th;
	vms_frame_fill(f, rgb, 0xff, x + p, y, VMS_RENDER_SWATCH, VMS_RENDER_SWATCH);
	vms_text_size(f->text, label, &tw, &th);
	int tx = x + 2 * p + VMS_RENDER_SWATCH;
	if (tw && vms_text_draw(f->text, tx, y + (VMS_RENDER_SWATCH - th) / 2,
	                        VMS_RENDER_TEXT, label, x + w - p - tx) < 0)
		f->err = 1;
}

/* The kinds, or by caller the callers with the most bytes on screen; the
 * box sits at the bottom of the legend's rectangle. */
static void draw_legend(struct vms_render *rc, struct vms_frame *f)
{
	const struct vms_render_geom *g = &f->g;
	bool callers = f->ui->color_by == VMS_COLOR_BY_CALLER;
	int p = VMS_RENDER_LEGEND_PAD, line = VMS_RENDER_SWATCH + p;
	size_t n = callers ? rc->ntop : VMS_NR_AKINDS;
	if (!n || !g->legend_w)
		return;
	int h = p + (int)n * line, y = g->legend_y + g->legend_h - h;
	vms_frame_fill(f, VMS_RENDER_LEGEND_BG, 0xff, g->legend_x, y, g->legend_w, h);
	for (size_t k = 0; k < n; k++) {
		int ly = y + p + (int)k * line;
		if (callers) {
			const char *name = vms_callers_name(f->v->m, rc->top_slot[k]);
			legend_line(
			    f, g->legend_x, ly, g->legend_w,
			    vms_callers_rgb(&rc->callers, f->v->m, rc->top_slot[k]),
			    name);
		} else {
			legend_line(f, g->legend_x, ly, g->legend_w,
			            vms_render_akind_rgb[k],
			            vms_akind_name((enum vms_akind)k));
		}
	}
}

/* ---- frames ------------------------------------------------------------------ */

static void draw_map(struct vms_render *rc, struct vms_frame *f)
{
	const struct vms_view *v = f->v;
	struct map_key k;
	map_key_of(v, &k);
	if (!rc->mvalid || memcmp(&k, &rc->mkey, sizeof(k)))
		build_map(rc, v);
	const struct vms_render_geom *g = &f->g;
	vms_frame_reserve(f, g->legend_x, g->legend_y, g->legend_w, g->legend_h);
	draw_cells(rc, f,
	           f->ui->color_by == VMS_COLOR_BY_CALLER ? rc->by_caller : rc->by_kind);
	draw_bands(f);
	draw_guards(rc, f);
	vms_overlay_map(rc->overlay, f);
	draw_matches(f);
	draw_selection(f);
	draw_legend(rc, f);
}

/* A model without geometry: a treemap of sizes in the map's place. */
static void draw_treemap(struct vms_render *rc, struct vms_frame *f)
{
	struct vms_model_key k;
	vms_model_key_of(f->v->m, &k);
	if (!rc->tm_valid || !vms_model_key_eq(&k, &rc->tm_key) ||
	    rc->tm_w != f->lay.map_w || rc->tm_h != f->lay.map_h) {
		vms_treemap_free(&rc->tm);
		rc->tm_valid =
		    vms_treemap_build(f->v->m, f->lay.map_w, f->lay.map_h, &rc->tm) == 0;
		rc->tm_key = k;
		rc->tm_w = f->lay.map_w;
		rc->tm_h = f->lay.map_h;
		rc->stats.treemap_builds++;
	}
	SDL_RenderSetViewport(f->r, NULL);
	if (vms_treemap_draw(f->text, f->r, f->v->m, &rc->tm, f->ui, &f->lay) != 0)
		f->err = 1;
}

int vms_render_frame(struct vms_render *rc, const struct vms_view *v,
                     const struct vms_view_ui *ui)
{
	static const struct vms_view_ui zero_ui;
	struct vms_frame f = {
	    .r = rc->r,
	    .text = &rc->text,
	    .v = v,
	    .ui = ui ? ui : &zero_ui,
	    .callers = &rc->callers,
	    .stats = &rc->stats,
	};
	int w, h;
	if (SDL_GetRendererOutputSize(rc->r, &w, &h) != 0 || w <= 0 || h <= 0)
		return -VMS_EIO;
	vms_render_layout((uint32_t)w, (uint32_t)h, &f.lay);
	if (v->width != f.lay.map_w || v->height != f.lay.map_h)
		return -VMS_EINVAL;
	vms_render_geometry(v, f.ui, &f.g);
	vms_callers_use(&rc->callers, v->m);
	SDL_Rect map = {f.lay.map_x, f.lay.map_y, (int)f.lay.map_w, (int)f.lay.map_h};
	f.err |= SDL_RenderSetViewport(rc->r, NULL);
	vms_frame_fill(&f, VMS_RENDER_BG, 0xff, 0, 0, w, h);
	f.err |= SDL_RenderSetViewport(rc->r, &map);
	if (v->m->geometry)
		draw_map(rc, &f);
	else
		draw_treemap(rc, &f);
	f.err |= SDL_RenderSetViewport(rc->r, NULL);
	vms_overlay_bars(rc->overlay, &f);
	if (vms_panel_draw(&rc->text, rc->r, v, f.ui, &f.lay) != 0)
		f.err = 1;
	if (f.err)
		return -VMS_EIO;
	return rc->text.font ? 0 : VMS_RENDER_NO_TEXT;
}

int vms_view_save_png(const struct vms_view *v, const struct vms_view_ui *ui,
                      uint32_t win_w, uint32_t win_h, const char *path)
{
	int rc = -VMS_EIO;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, (int)win_w, (int)win_h, 32,
	                                                SDL_PIXELFORMAT_ARGB8888);
	if (!s)
		return rc;
	SDL_Renderer *r = SDL_CreateSoftwareRenderer(s);
	if (!r)
		goto free_surface;
	struct vms_render *ctx = vms_render_new(r, NULL);
	rc = vms_render_frame(ctx, v, ui);
	SDL_RenderPresent(r);
	if (rc >= 0 && IMG_SavePNG(s, path) != 0)
		rc = -VMS_EIO;
	vms_render_free(ctx);
	SDL_DestroyRenderer(r);
free_surface:
	SDL_FreeSurface(s);
	return rc;
}
