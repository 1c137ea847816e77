/*
 * view_overlay.c — what annotates the map and what surrounds it
 * (view_frame.h):
 *  - on the map: the cuts of the compressed axis (hatched blocks labelled
 *    "≈ size"), the VMS_RENDER_HOLES largest holes of the model's windows
 *    (outlined, labelled when wide enough), live changes (new areas
 *    highlighted, freed ones as ghosts, both fading), the selected hole,
 *    region names where a region starts (rows tall enough for text);
 *  - around it: the ruler (row start addresses every k-th row, so labels
 *    never overlap, and a mark on rows holding a cut), the overview (the
 *    whole space on one line, coloured like the map, the visible range
 *    boxed, region names) and the status bar (title, message, search,
 *    timeline, per-kind totals and their change).
 *
 * Costs per frame: O(log) searches into the cuts, the diff lists and the
 * matches, then the visible items only; O(rows) for the ruler. What is
 * O(n) is cached: kind totals and largest holes per model, the overview
 * per (model, axis, width).
 *
 * Invariants: cut_rows has one entry per row of the last map drawn;
 * caches are used only for the key they were built for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/common.h"
#include "vmscope/report.h"
#include "view_frame.h"

typedef unsigned __int128 u128;

#define STATUS_GAP 16 /* pixels between items of the status bar */
#define MINUS      "\xe2\x88\x92"

struct hole {
	uint64_t start, end;
};

struct ov_key {
	struct vms_model_key model;
	uint64_t threshold, cut_width;
	uint32_t width;
	bool compressed;
};

struct vms_overlay {
	/* per model: kind totals, the largest holes (largest first) */
	struct vms_model_key mkey;
	bool mvalid;
	struct vms_usage kinds[VMS_NR_AKINDS];
	struct hole holes[VMS_RENDER_HOLES];
	size_t nholes;
	/* the overview: a one-row view of the whole space and its columns */
	struct ov_key okey;
	bool ovalid;
	struct vms_view *ov;
	uint32_t *ov_kind, *ov_caller, *ov_band; /* per column */
	uint8_t *ov_cut;                         /* per column: in a cut */
	/* per frame */
	uint8_t *cut_rows; /* per map row: holds a cut */
	size_t cut_rows_cap;
	SDL_Point *pts; /* hatching */
	size_t pts_cap;
	int hexw[16]; /* advance of each hex digit; 0: not measured */
};

struct vms_overlay *vms_overlay_new(void)
{
	return vms_xcalloc(1, sizeof(struct vms_overlay));
}

static void free_overview(struct vms_overlay *o)
{
	vms_view_free(o->ov);
	free(o->ov_kind);
	free(o->ov_caller);
	free(o->ov_band);
	free(o->ov_cut);
	o->ov = NULL;
	o->ov_kind = o->ov_caller = o->ov_band = NULL;
	o->ov_cut = NULL;
	o->ovalid = false;
}

void vms_overlay_forget(struct vms_overlay *o)
{
	free_overview(o);
	o->mvalid = false;
}

void vms_overlay_free(struct vms_overlay *o)
{
	if (!o)
		return;
	free_overview(o);
	free(o->cut_rows);
	free(o->pts);
	free(o);
}

/* ---- per-model cache ----------------------------------------------------- */

/* Keeps holes[] the largest seen, largest first (the lower on a tie). */
static void offer_hole(struct vms_overlay *o, uint64_t start, uint64_t end)
{
	size_t at = o->nholes;
	while (at > 0 && o->holes[at - 1].end - o->holes[at - 1].start < end - start)
		at--;
	if (at >= VMS_RENDER_HOLES)
		return;
	size_t last = o->nholes < VMS_RENDER_HOLES ? o->nholes : VMS_RENDER_HOLES - 1;
	memmove(&o->holes[at + 1], &o->holes[at], (last - at) * sizeof(o->holes[0]));
	o->holes[at] = (struct hole){start, end};
	o->nholes += o->nholes < VMS_RENDER_HOLES;
}

/* Kind totals (every area, printed sizes) and the largest holes of the
 * windows' free trees: O(n), once per model. */
static void model_cache(struct vms_overlay *o, struct vms_frame *f)
{
	const struct vms_aspace *m = f->v->m;
	struct vms_model_key k;
	vms_model_key_of(m, &k);
	if (o->mvalid && vms_model_key_eq(&k, &o->mkey))
		return;
	memset(o->kinds, 0, sizeof(o->kinds));
	for (size_t i = 0; i < m->dump->areas.n; i++) {
		struct vms_usage *u =
		    &o->kinds[m->kind[i] < VMS_NR_AKINDS ? m->kind[i] : VMS_AK_OTHER];
		u->count++;
		u->bytes += m->dump->areas.v[i].size;
	}
	o->nholes = 0;
	for (size_t w = 0; m->geometry && w < m->windows.n; w++) {
		const struct vms_free *t = &m->windows.v[w].free;
		for (uint32_t id = vms_free_first(t); id; id = vms_free_next(t, id)) {
			const struct vms_hole *h = vms_free_hole(t, id);
			offer_hole(o, h->va_start, h->va_end);
		}
	}
	o->mkey = k;
	o->mvalid = true;
	f->stats->model_builds++;
}

/* ---- on the map -------------------------------------------------------------- */

/* The widest row segment of cells [c0, c1): its column and width, and the
 * top of its row. */
static void widest(const struct vms_view *v, uint64_t c0, uint64_t c1, int *x, int *w,
                   int *y)
{
	*x = *y = 0;
	*w = -1;
	for (uint64_t c = c0; c < c1;) {
		uint64_t row = c / v->width, end = (row + 1) * v->width;
		end = end < c1 ? end : c1;
		if ((int)(end - c) > *w) {
			*x = (int)(c % v->width);
			*w = (int)(end - c);
			*y = (int)(row * v->row_h);
		}
		c = end;
	}
}

/* s centred on the widest segment of cells [c0, c1), when it fits. */
static void label_cells(struct vms_frame *f, uint64_t c0, uint64_t c1, const char *s,
                        uint32_t rgb)
{
	int x, w, y, lw = vms_frame_label_w(f, s);
	widest(f->v, c0, c1, &x, &w, &y);
	if (!lw || lw + 4 > w)
		return;
	int mid = y + (int)(f->g.strip_y + f->g.strip_h / 2);
	int ty = mid - f->text->line_h / 2;
	vms_frame_label(f, x + (w - lw) / 2, ty < 0 ? 0 : ty, s, rgb);
}

/* Diagonal hatching of one row segment, into o->pts. */
static size_t hatch(struct vms_overlay *o, size_t n, int x0, int x1, int y0, int h)
{
	size_t need = n + ((size_t)(x1 - x0) / 4 + 1) * (size_t)h;
	if (need > o->pts_cap) {
		o->pts_cap = need * 2;
		o->pts = vms_xreallocarray(o->pts, o->pts_cap, sizeof(*o->pts));
	}
	for (int y = y0; y < y0 + h; y++)
		for (int x = x0 + (((x0 + y) % 4) ? 4 - (x0 + y) % 4 : 0); x < x1; x += 4)
			o->pts[n++] = (SDL_Point){x, y};
	return n;
}

static void draw_cut(struct vms_overlay *o, struct vms_frame *f,
                     const struct vms_view_cut *cut)
{
	const struct vms_view *v = f->v;
	uint64_t c0, c1;
	if (!vms_frame_cells_pos(v, cut->pos, cut->pos + v->cut_width, &c0, &c1))
		return;
	int sy = (int)f->g.strip_y, sh = (int)f->g.strip_h;
	vms_frame_fill_cells(f, c0, c1, sy, sh, VMS_RENDER_CUT, 0xff);
	size_t n = 0;
	for (uint64_t c = c0; c < c1;) {
		uint64_t row = c / v->width, end = (row + 1) * v->width;
		end = end < c1 ? end : c1;
		o->cut_rows[row] = 1;
		n = hatch(o, n, (int)(c % v->width), (int)(c % v->width + (end - c)),
		          (int)(row * v->row_h) + sy, sh);
		c = end;
	}
	uint32_t rgb = VMS_RENDER_CUT_HATCH;
	if (SDL_SetRenderDrawColor(f->r, rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff,
	                           0xff) ||
	    SDL_SetRenderDrawBlendMode(f->r, SDL_BLENDMODE_NONE) ||
	    (n && SDL_RenderDrawPoints(f->r, o->pts, (int)n)))
		f->err = 1;
	char size[32], s[48];
	snprintf(s, sizeof(s), "\xe2\x89\x88 %s",
	         vms_format_size(cut->end - cut->start, size, sizeof(size)));
	label_cells(f, c0, c1, s, VMS_RENDER_TEXT);
}

/* The cuts on screen: a binary search for the first, then each. */
static void draw_cuts(struct vms_overlay *o, struct vms_frame *f)
{
	const struct vms_view *v = f->v;
	if (o->cut_rows_cap < v->rows) {
		o->cut_rows = vms_xreallocarray(o->cut_rows, v->rows, 1);
		o->cut_rows_cap = v->rows;
	}
	memset(o->cut_rows, 0, v->rows);
	size_t lo = 0, hi = v->cuts.n; /* first cut ending after the origin */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->cuts.v[mid].pos + v->cut_width <= v->origin)
			lo = mid + 1;
		else
			hi = mid;
	}
	u128 end = (u128)v->origin + (u128)v->width * v->rows * v->bpp;
	for (size_t k = lo; k < v->cuts.n && v->cuts.v[k].pos < end; k++)
		draw_cut(o, f, &v->cuts.v[k]);
}

/* A hole's outline: its ends, the top line of its first row and the
 * bottom line of its last (a hole over many rows is marked where it
 * starts and ends, not striped across them). */
static void outline(struct vms_frame *f, uint64_t c0, uint64_t c1, uint32_t rgb)
{
	const struct vms_view *v = f->v;
	int sy = (int)f->g.strip_y, sh = (int)f->g.strip_h;
	uint64_t first_end = (c0 / v->width + 1) * v->width;
	uint64_t last_start = (c1 - 1) / v->width * v->width;
	vms_frame_fill_cells(f, c0, c1 < first_end ? c1 : first_end, sy, 1, rgb, 0xff);
	vms_frame_fill_cells(f, c0 > last_start ? c0 : last_start, c1, sy + sh - 1, 1,
	                     rgb, 0xff);
	vms_frame_fill(f, rgb, 0xff, (int)(c0 % v->width),
	               (int)(c0 / v->width * v->row_h) + sy, 1, sh);
	vms_frame_fill(f, rgb, 0xff, (int)((c1 - 1) % v->width),
	               (int)((c1 - 1) / v->width * v->row_h) + sy, 1, sh);
}

/* Whether a cut of the axis lies in [s, e): its label names the hole. */
static bool has_cut(const struct vms_view *v, uint64_t s, uint64_t e)
{
	size_t lo = 0, hi = v->cuts.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->cuts.v[mid].start < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->cuts.n && v->cuts.v[lo].start < e;
}

static void draw_holes(struct vms_overlay *o, struct vms_frame *f)
{
	const struct vms_view *v = f->v;
	uint64_t c0, c1;
	char size[32], s[48];
	for (size_t i = 0; i < o->nholes; i++) {
		const struct hole *h = &o->holes[i];
		if (!vms_frame_cells(v, h->start, h->end, &c0, &c1) || c1 - c0 < 2)
			continue;
		outline(f, c0, c1, VMS_RENDER_HOLE);
		if (has_cut(v, h->start, h->end))
			continue;
		snprintf(s, sizeof(s), "hole %s",
		         vms_format_size(h->end - h->start, size, sizeof(size)));
		label_cells(f, c0, c1, s, VMS_RENDER_HOLE);
	}
	const struct vms_view_ui *ui = f->ui;
	if (ui->selected_hole &&
	    vms_frame_cells(v, ui->hole_start, ui->hole_end, &c0, &c1))
		outline(f, c0, c1, VMS_RENDER_SELECT);
}

/* The areas of idx (address order, dump d) on screen into run. */
static void live_list(struct vms_frame *f, const struct vms_dump *d, const size_t *idx,
                      size_t n, struct vms_runs *runs, size_t nruns)
{
	uint64_t vs, ve, c0, c1;
	vms_view_range(f->v, &vs, &ve);
	for (size_t k = vms_frame_first_listed(d, idx, n, vs); k < n; k++) {
		const struct vms_area *a = &d->areas.v[idx[k]];
		if (a->start >= ve)
			break;
		if (!vms_frame_cells(f->v, a->start, a->end, &c0, &c1))
			continue;
		for (size_t r = 0; r < nruns; r++)
			vms_runs_add(f, &runs[r], c0, c1);
	}
	for (size_t r = 0; r < nruns; r++)
		vms_runs_flush(f, &runs[r]);
}

/* New areas lit up, freed ones as ghosts: the alpha falls linearly to 0
 * at VMS_RENDER_FADE_S. */
static void draw_live(struct vms_frame *f)
{
	const struct vms_view_ui *ui = f->ui;
	double left = 1.0 - ui->change_age_s / VMS_RENDER_FADE_S;
	if (!ui->diff || !(left > 0.0))
		return;
	left = left > 1.0 ? 1.0 : left;
	int sy = (int)f->g.strip_y, sh = (int)f->g.strip_h;
	struct vms_runs added = {.dy = sy,
	                         .h = sh,
	                         .rgb = VMS_RENDER_ADDED,
	                         .alpha = (uint8_t)(200.0 * left + 0.5)};
	live_list(f, f->v->m->dump, ui->diff->added.v, ui->diff->added.n, &added, 1);
	if (!ui->prev)
		return;
	struct vms_runs ghost[3] = {
	    {.dy = sy, .h = sh, .rgb = VMS_RENDER_FREED, .alpha = (uint8_t)(80.0 * left)},
	    {.dy = sy, .h = 1, .rgb = VMS_RENDER_FREED, .alpha = (uint8_t)(255.0 * left)},
	    {.dy = sy + sh - 1,
	     .h = 1,
	     .rgb = VMS_RENDER_FREED,
	     .alpha = (uint8_t)(255.0 * left)},
	};
	live_list(f, ui->prev->dump, ui->diff->freed.v, ui->diff->freed.n, ghost, 3);
}

static const char *region_name(const struct vms_region *reg)
{
	return reg->name ? reg->name : vms_region_kind_name(reg->kind);
}

/* Names where regions start on screen, when a row holds a line of text. */
static void draw_region_names(struct vms_frame *f)
{
	const struct vms_view *v = f->v;
	if (!f->text->font || v->row_h < (uint32_t)f->text->line_h)
		return;
	for (size_t i = 0; i < v->m->regions.n; i++) {
		const struct vms_region *reg = &v->m->regions.v[i];
		uint32_t x, y;
		if (vms_view_pixel_of(v, reg->start, &x, &y) == 0)
			vms_frame_label(f, (int)x, (int)y, region_name(reg),
			                VMS_RENDER_TEXT);
	}
}

void vms_overlay_map(struct vms_overlay *o, struct vms_frame *f)
{
	model_cache(o, f);
	draw_cuts(o, f);
	draw_holes(o, f);
	draw_live(f);
	draw_region_names(f);
}

/* ---- the ruler ------------------------------------------------------------- */

static const char hexdig[] = "0123456789abcdef";

/* addr in digits hex digits, right-aligned at x_right, one cached glyph
 * per digit (labels change at every pan; the glyphs do not). */
static void draw_hex(struct vms_overlay *o, struct vms_frame *f, int x_right, int y,
                     uint64_t addr, int digits)
{
	int d[16], w = 0;
	for (int i = 0; i < digits; i++) {
		d[i] = (int)((addr >> (4 * (digits - 1 - i))) & 0xf);
		w += o->hexw[d[i]];
	}
	int x = x_right - w;
	for (int i = 0; i < digits; i++) {
		char s[2] = {hexdig[d[i]], 0};
		if (vms_text_draw(f->text, x, y, VMS_RENDER_TEXT_DIM, s, 0) < 0)
			f->err = 1;
		x += o->hexw[d[i]];
	}
}

static int addr_digits(const struct vms_view *v)
{
	unsigned bits = v->m->dump->addr_bits;
	if (!bits)
		bits = v->hi > 0xffffffffull + 1 ? 64 : 32;
	return bits > 32 ? 16 : 8;
}

static void draw_ruler(struct vms_overlay *o, struct vms_frame *f)
{
	const struct vms_view *v = f->v;
	const struct vms_render_layout *lay = &f->lay;
	int rw = lay->ruler_w;
	if (!rw)
		return;
	vms_frame_fill(f, VMS_RENDER_BAR_BG, 0xff, 0, lay->map_y, rw, (int)lay->map_h);
	vms_frame_fill(f, VMS_RENDER_RULE, 0xff, rw - 1, lay->map_y, 1, (int)lay->map_h);
	if (!v->m->geometry)
		return;
	int line_h = f->text->font ? f->text->line_h : 12;
	uint32_t every = ((uint32_t)line_h + v->row_h - 1) / v->row_h;
	int digits = addr_digits(v), bottom = lay->map_y + (int)lay->map_h;
	for (int i = 0; f->text->font && i < 16 && !o->hexw[i]; i++) {
		char s[2] = {hexdig[i], 0};
		int h;
		vms_text_size(f->text, s, &o->hexw[i], &h);
	}
	for (uint32_t row = 0; row < v->rows; row++) {
		u128 rp = (u128)v->origin + (u128)row * v->width * v->bpp;
		if (rp >= v->len)
			break;
		int y = lay->map_y + (int)(row * v->row_h);
		if (o->cut_rows[row])
			vms_frame_fill(f, VMS_RENDER_CUT_HATCH, 0xff,
			               rw - 1 - VMS_RENDER_RULER_MARK_W, y,
			               VMS_RENDER_RULER_MARK_W, (int)v->row_h);
		if (row % every)
			continue;
		vms_frame_fill(f, VMS_RENDER_TEXT_DIM, 0xff, rw - VMS_RENDER_RULER_TICK_W,
		               y, VMS_RENDER_RULER_TICK_W - VMS_RENDER_RULER_MARK_W - 1,
		               1);
		if (f->text->font && y + line_h <= bottom)
			draw_hex(o, f, rw - VMS_RENDER_RULER_TICK_W - 2, y,
			         vms_view_addr_of(v, (uint64_t)rp), digits);
	}
}

/* ---- the overview ------------------------------------------------------------- */

static void ov_key_of(const struct vms_frame *f, struct ov_key *k)
{
	memset(k, 0, sizeof(*k));
	vms_model_key_of(f->v->m, &k->model);
	k->compressed = f->v->compressed;
	k->threshold = f->v->compressed ? f->v->threshold : 0;
	k->cut_width = f->v->compressed ? f->v->cut_width : 0;
	k->width = f->lay.win_w;
}

/* One row of the whole space, win_w wide, with the map's axis: O(n). */
static void build_overview(struct vms_overlay *o, struct vms_frame *f)
{
	const struct vms_view *v = f->v;
	uint32_t w = f->lay.win_w;
	free_overview(o);
	o->ov = vms_view_new(v->m, w, 1, 1);
	if (v->compressed)
		vms_view_set_compressed(o->ov, true, v->threshold, v->cut_width);
	o->ov_kind = vms_xcalloc(w, sizeof(uint32_t));
	o->ov_caller = vms_xcalloc(w, sizeof(uint32_t));
	o->ov_band = vms_xcalloc(w, sizeof(uint32_t));
	o->ov_cut = vms_xcalloc(w, 1);
	struct vms_view_cell *cells = vms_xcalloc(w, sizeof(*cells));
	vms_view_row(o->ov, 0, cells);
	for (uint32_t x = 0; x < w; x++) {
		vms_callers_cell(f->callers, v->m, &cells[x], &o->ov_kind[x],
		                 &o->ov_caller[x]);
		o->ov_band[x] = cells[x].span ? VMS_RENDER_BG : VMS_RENDER_BAR_BG;
	}
	free(cells);
	uint64_t c0, c1;
	for (size_t i = 0; i < v->m->regions.n; i++) {
		const struct vms_region *reg = &v->m->regions.v[i];
		if (vms_frame_cells(o->ov, reg->start, reg->end, &c0, &c1))
			for (uint64_t x = c0; x < c1; x++)
				o->ov_band[x] = vms_render_region_rgb(reg->kind);
	}
	for (size_t i = 0; i < o->ov->cuts.n; i++)
		if (vms_frame_cells_pos(o->ov, o->ov->cuts.v[i].pos,
		                        o->ov->cuts.v[i].pos + o->ov->cut_width, &c0,
		                        &c1))
			memset(o->ov_cut + c0, 1, c1 - c0);
	ov_key_of(f, &o->okey);
	o->ovalid = true;
	f->stats->overview_builds++;
}

/* Runs of equal colour of rgb[0..w) as fills of lines [y, y + h). */
static void draw_runs(struct vms_frame *f, const uint32_t *rgb, uint32_t w, int y, int h)
{
	uint32_t run = 0;
	for (uint32_t x = 1; x <= w; x++) {
		if (x < w && rgb[x] == rgb[run])
			continue;
		vms_frame_fill(f, rgb[run], 0xff, (int)run, y, (int)(x - run), h);
		run = x;
	}
}

/* The first x >= x0 where [x, x + w) keeps 6 pixels from every placed
 * name, or -1 when that leaves [x0, x_end). */
static int free_spot(int (*placed)[2], int np, int x0, int w, int x_end)
{
	int x = x0;
	for (bool moved = true; moved;) {
		moved = false;
		for (int i = 0; i < np; i++)
			if (x < placed[i][1] + 6 && placed[i][0] < x + w + 6) {
				x = placed[i][1] + 6;
				moved = true;
			}
	}
	return x + w <= x_end ? x : -1;
}

/* The largest of the first n regions not done yet, then done. */
static size_t next_largest(const struct vms_aspace *m, bool *done, size_t n)
{
	size_t best = n;
	for (size_t i = 0; i < n; i++) {
		const struct vms_region *r = &m->regions.v[i];
		const struct vms_region *b = best < n ? &m->regions.v[best] : NULL;
		if (!done[i] && (!b || r->end - r->start > b->end - b->start))
			best = i;
	}
	done[best] = true;
	return best;
}

/* Region names under the overview: the largest regions first, each at
 * the first spot of its extent that no name placed already takes, with a
 * tick where it starts when the name could be put there. */
static void overview_names(struct vms_overlay *o, struct vms_frame *f, int y)
{
	const struct vms_aspace *m = f->v->m;
	int placed[64][2], np = 0;
	bool done[64] = {false};
	size_t n = m->regions.n < 64 ? m->regions.n : 64;
	for (size_t round = 0; round < n; round++) {
		const struct vms_region *reg = &m->regions.v[next_largest(m, done, n)];
		uint64_t c0, c1;
		const char *name = region_name(reg);
		int tw, th;
		vms_text_size(f->text, name, &tw, &th);
		if (!tw || !vms_frame_cells(o->ov, reg->start, reg->end, &c0, &c1))
			continue;
		int x_end = (int)(c1 + (uint64_t)tw < f->lay.win_w ? c1 + (uint64_t)tw
		                                                   : f->lay.win_w);
		int x = free_spot(placed, np, (int)c0, tw + 3, x_end), tx = x + 3;
		if (x < 0) { /* no room after its start: the name ends at it */
			x = (int)c0 - tw - 2;
			tx = x;
			if (x < 0 || free_spot(placed, np, x, tw + 3, x + tw + 3) != x)
				continue;
		}
		placed[np][0] = x;
		placed[np++][1] = x + tw + 3;
		if (x == (int)c0 || tx == x)
			vms_frame_fill(f, vms_render_region_rgb(reg->kind), 0xff, (int)c0,
			               y, 1, th);
		if (vms_text_draw(f->text, tx, y, VMS_RENDER_TEXT, name, 0) < 0)
			f->err = 1;
	}
}

/* The visible range, boxed around band and bar. */
static void overview_box(struct vms_overlay *o, struct vms_frame *f)
{
	uint64_t vs, ve;
	vms_view_range(f->v, &vs, &ve);
	const struct vms_view *ov = o->ov;
	int w = (int)f->lay.win_w;
	int x0 = (int)(vms_view_pos_of(ov, vs) / ov->bpp);
	int x1 = (int)((vms_view_pos_of(ov, ve) + ov->bpp - 1) / ov->bpp);
	if (x1 - x0 < 3) {
		x0 = (x0 + x1) / 2 - 1;
		x1 = x0 + 3;
	}
	x0 = x0 < 0 ? 0 : x0;
	x1 = x1 > w ? w : x1;
	int y0 = VMS_RENDER_OV_BAND_Y - 1, y1 = VMS_RENDER_OV_BAR_Y + VMS_RENDER_OV_BAR_H;
	uint32_t c = VMS_RENDER_VIEWBOX;
	vms_frame_fill(f, c, 0xff, x0, y0, x1 - x0, 1);
	vms_frame_fill(f, c, 0xff, x0, y1, x1 - x0, 1);
	vms_frame_fill(f, c, 0xff, x0, y0, 1, y1 - y0 + 1);
	vms_frame_fill(f, c, 0xff, x1 - 1, y0, 1, y1 - y0 + 1);
}

static void draw_overview(struct vms_overlay *o, struct vms_frame *f)
{
	const struct vms_render_layout *lay = &f->lay;
	int w = (int)lay->win_w;
	if (!lay->overview_h)
		return;
	vms_frame_fill(f, VMS_RENDER_BAR_BG, 0xff, 0, lay->overview_y, w,
	               lay->overview_h);
	vms_frame_fill(f, VMS_RENDER_RULE, 0xff, 0, lay->overview_y + lay->overview_h - 1,
	               w, 1);
	if (!f->v->m->geometry) {
		const char *why =
		    f->v->m->no_geometry ? f->v->m->no_geometry : "no addresses";
		if (vms_text_draw(f->text, 4, VMS_RENDER_OV_BAR_Y, VMS_RENDER_WARN, why,
		                  w - 8) < 0)
			f->err = 1;
		return;
	}
	struct ov_key k;
	ov_key_of(f, &k);
	if (!o->ovalid || memcmp(&k, &o->okey, sizeof(k)))
		build_overview(o, f);
	bool by_caller = f->ui->color_by == VMS_COLOR_BY_CALLER;
	draw_runs(f, o->ov_band, lay->win_w, VMS_RENDER_OV_BAND_Y, VMS_RENDER_OV_BAND_H);
	draw_runs(f, by_caller ? o->ov_caller : o->ov_kind, lay->win_w,
	          VMS_RENDER_OV_BAR_Y, VMS_RENDER_OV_BAR_H);
	for (uint32_t x = 0; x < lay->win_w; x++)
		if (o->ov_cut[x] &&
		    (by_caller ? o->ov_caller : o->ov_kind)[x] == VMS_RENDER_BG)
			vms_frame_fill(f, VMS_RENDER_CUT_HATCH, 0xff, (int)x,
			               VMS_RENDER_OV_BAR_Y + (int)x % 3, 1,
			               VMS_RENDER_OV_BAR_H - 2);
	overview_box(o, f);
	overview_names(o, f, VMS_RENDER_OV_NAMES_Y);
}

/* ---- the status bar -------------------------------------------------------------- */

/* Draws s at x on the status line, clipped to the bar (and to max_w when
 * > 0); returns where the next item starts. */
static int status_item(struct vms_frame *f, int x, uint32_t rgb, const char *s, int max_w)
{
	int right = (int)f->lay.win_w - 4, y = f->lay.status_y + VMS_RENDER_STATUS_TEXT_Y;
	if (x >= right || !*s)
		return x;
	int room = right - x;
	int w = vms_text_draw(f->text, x, y, rgb, s,
	                      max_w > 0 && max_w < room ? max_w : room);
	if (w < 0)
		f->err = 1;
	return w > 0 ? x + w + STATUS_GAP : x;
}

/* "+3 / −1.2 MiB" */
static void format_delta(const struct vms_usage *now, const struct vms_usage *was,
                         char *buf, size_t len)
{
	char size[32];
	bool less = now->bytes < was->bytes, fewer = now->count < was->count;
	uint64_t db = less ? was->bytes - now->bytes : now->bytes - was->bytes;
	uint64_t dc = fewer ? was->count - now->count : now->count - was->count;
	snprintf(buf, len, "%s%llu / %s%s", fewer ? MINUS : "+", (unsigned long long)dc,
	         less ? MINUS : "+", vms_format_size(db, size, sizeof(size)));
}

static int status_kinds(struct vms_overlay *o, struct vms_frame *f, int x)
{
	const struct vms_usage *prev = f->ui->prev_kinds;
	int y = f->lay.status_y + VMS_RENDER_STATUS_TEXT_Y;
	int sw = f->text->line_h ? f->text->line_h / 2 + 2 : 8;
	for (unsigned k = 0; k < VMS_NR_AKINDS; k++) {
		const struct vms_usage *u = &o->kinds[k];
		bool changed =
		    prev && (prev[k].count != u->count || prev[k].bytes != u->bytes);
		if (!u->count && !changed)
			continue;
		char size[32], delta[64], s[160];
		if (changed)
			format_delta(u, &prev[k], delta, sizeof(delta));
		snprintf(s, sizeof(s), "%s %llu \xc2\xb7 %s%s%s%s", vms_akind_name(k),
		         (unsigned long long)u->count,
		         vms_format_size(u->bytes, size, sizeof(size)),
		         changed ? " (" : "", changed ? delta : "", changed ? ")" : "");
		/* an item is drawn whole or shortened, never cut: the kind and
		 * its count, else an ellipsis says there is more */
		int tw, th, right = (int)f->lay.win_w - 4;
		vms_text_size(f->text, s, &tw, &th);
		if (x + sw + 4 + tw > right) {
			snprintf(s, sizeof(s), "%s %llu", vms_akind_name(k),
			         (unsigned long long)u->count);
			vms_text_size(f->text, s, &tw, &th);
		}
		if (x + sw + 4 + tw > right) {
			status_item(f, x, VMS_RENDER_TEXT_DIM, "\xe2\x80\xa6", 0);
			break;
		}
		vms_frame_fill(f, vms_render_akind_rgb[k], 0xff, x, y + 3, sw, sw);
		x += sw + 4;
		x = status_item(f, x, VMS_RENDER_TEXT, s, 0);
	}
	return x;
}

/* k of n: where the selected area stands among the matches (k 0: it is
 * not one). O(log matches). */
static size_t match_rank(const struct vms_view *v)
{
	if (!v->has_selected || !vms_view_is_match(v, v->selected))
		return 0;
	const struct vms_dump *d = v->m->dump;
	uint64_t start = d->areas.v[v->selected].start;
	for (size_t k = vms_frame_first_listed(d, v->matches.v, v->matches.n, start);
	     k < v->matches.n && d->areas.v[v->matches.v[k]].start <= start; k++)
		if (v->matches.v[k] == v->selected)
			return k + 1;
	return 0;
}

static void draw_timeline(struct vms_frame *f)
{
	const struct vms_view_ui *ui = f->ui;
	int y = f->lay.status_y + VMS_RENDER_TIMELINE_Y, track = (int)f->lay.win_w - 8;
	if (!ui->timeline_n || track <= 0)
		return;
	size_t n = ui->timeline_n, pos = ui->timeline_pos < n ? ui->timeline_pos : n - 1;
	int knob = track / (int)(n < 64 ? n : 64);
	knob = knob < 6 ? 6 : knob > track ? track : knob;
	int x =
	    4 + (n > 1 ? (int)((int64_t)(track - knob) * (int64_t)pos / (int64_t)(n - 1))
	               : 0);
	vms_frame_fill(f, VMS_RENDER_TEXT_DIM, 0xff, 4, y + VMS_RENDER_TIMELINE_H / 2,
	               track, 1);
	vms_frame_fill(f, VMS_RENDER_VIEWBOX, 0xff, x, y, knob, VMS_RENDER_TIMELINE_H);
}

static void draw_status(struct vms_overlay *o, struct vms_frame *f)
{
	const struct vms_render_layout *lay = &f->lay;
	const struct vms_view_ui *ui = f->ui;
	const struct vms_view *v = f->v;
	if (!lay->status_h)
		return;
	vms_frame_fill(f, VMS_RENDER_BAR_BG, 0xff, 0, lay->status_y, (int)lay->win_w,
	               lay->status_h);
	vms_frame_fill(f, VMS_RENDER_RULE, 0xff, 0, lay->status_y, (int)lay->win_w, 1);
	draw_timeline(f);
	char s[256];
	const char *title = ui->title ? ui->title : v->m->dump->source;
	int x = status_item(f, 6, VMS_RENDER_TEXT, title ? title : "",
	                    (int)lay->win_w * 35 / 100);
	if (ui->timeline_n) {
		snprintf(s, sizeof(s), "snapshot %zu of %zu", ui->timeline_pos + 1,
		         ui->timeline_n);
		x = status_item(f, x, VMS_RENDER_TEXT, s, 0);
	}
	if (ui->message)
		x = status_item(f, x, VMS_RENDER_WARN, ui->message, 0);
	if (ui->search_text && *ui->search_text) {
		size_t n = v->matches.n, k = match_rank(v);
		if (!n)
			snprintf(s, sizeof(s), "/%s  no match", ui->search_text);
		else if (k)
			snprintf(s, sizeof(s), "/%s  %zu of %zu", ui->search_text, k, n);
		else
			snprintf(s, sizeof(s), "/%s  %zu match%s", ui->search_text, n,
			         n == 1 ? "" : "es");
		x = status_item(f, x, VMS_RENDER_MATCH, s, 0);
	}
	status_kinds(o, f, x);
}

void vms_overlay_bars(struct vms_overlay *o, struct vms_frame *f)
{
	model_cache(o, f);
	draw_ruler(o, f);
	draw_overview(o, f);
	draw_status(o, f);
}
