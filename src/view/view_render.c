/*
 * view_render.c — draws a view (vmscope/view.h) into an SDL_Renderer:
 * the wrapped rows of the address space, each pixel column coloured by
 * its dominant kind with an intensity by coverage, guard-page caps, the
 * region bands, search matches, the selection and a legend; and writes a
 * frame as PNG on a software renderer (no window, no display).
 *
 * Each row of row_h pixels holds, from its top: a region band
 * (VMS_RENDER_BAND_H, when the row is tall enough), the area strip, a
 * gap. Runs of equal colour are one fill each, so a frame is
 * O(rows x log n + areas walked + pixels) with at most a few draw calls
 * per column, never one per area. Areas are walked (for guard caps,
 * matches, the selection) only when one of these can show.
 *
 * Invariants: the view is never changed (a copy of the struct drives
 * vms_view_row(), using the view's scratch buffers); the label textures
 * belong to rc->r.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/common.h"
#include "vmscope/view_render.h"

typedef unsigned __int128 u128;

struct vms_render {
	SDL_Renderer *r;                    /* borrowed */
	TTF_Font *font;                     /* NULL when no font was found */
	char *font_path;                    /* the font file used, or NULL */
	bool ttf_up;                        /* this context holds a TTF_Init() */
	SDL_Texture *labels[VMS_NR_AKINDS]; /* legend text, made on first use */
	struct vms_view_cell *cells;        /* scratch: cap cells */
	uint32_t cap;
	uint64_t steps; /* work, summed over frames */
};

const uint32_t vms_render_akind_rgb[VMS_NR_AKINDS] = {
    [VMS_AK_VMALLOC] = 0x0072b2,    /* blue */
    [VMS_AK_IOREMAP] = 0xd55e00,    /* vermillion */
    [VMS_AK_VMAP] = 0x009e73,       /* bluish green */
    [VMS_AK_USER] = 0x56b4e9,       /* sky blue */
    [VMS_AK_VM_MAP_RAM] = 0xf0e442, /* yellow */
    [VMS_AK_UNPURGED] = 0x8c8c8c,   /* grey */
    [VMS_AK_PERCPU] = 0xe69f00,     /* orange */
    [VMS_AK_MODULE] = 0xcc79a7,     /* reddish purple */
    [VMS_AK_OTHER] = 0xc8c8c8,      /* light grey */
};

/* Region bands: muted, so the areas stay the eye's first stop. */
static const uint32_t region_rgb[] = {
    [VMS_RK_OTHER] = 0x606060,     [VMS_RK_VMALLOC] = 0x3a6ea5,
    [VMS_RK_MODULES] = 0x9a5a86,   [VMS_RK_LOWMEM] = 0x4f7f4f,
    [VMS_RK_PKMAP] = 0x8a7a3a,     [VMS_RK_FIXMAP] = 0x8a5a3a,
    [VMS_RK_VECTOR] = 0x7a3a3a,    [VMS_RK_VMEMMAP] = 0x3a7a7a,
    [VMS_RK_KASAN] = 0x6a4a8a,     [VMS_RK_PCI_IO] = 0x7a6a5a,
    [VMS_RK_DMA] = 0x5a7a3a,       [VMS_RK_TCM] = 0x5a5a8a,
    [VMS_RK_CPU_ENTRY] = 0x8a3a6a, [VMS_RK_EARLY_IOREMAP] = 0x9a6a3a,
    [VMS_RK_KERNEL] = 0x4a5a6a,
};

static const char *const font_paths[] = {
    "assets/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
};

/* A band is a landmark, not data: its colour is mixed 1:1 with the
 * background so a map of empty rows does not read as striped with areas. */
static uint32_t dim(uint32_t rgb)
{
	uint32_t out = 0;
	for (unsigned sh = 0; sh < 24; sh += 8)
		out |= ((((rgb >> sh) & 0xff) + ((VMS_RENDER_BG >> sh) & 0xff)) / 2)
		       << sh;
	return out;
}

uint32_t vms_render_region_rgb(unsigned region_kind)
{
	if (region_kind >= sizeof(region_rgb) / sizeof(region_rgb[0]) ||
	    !region_rgb[region_kind])
		return dim(region_rgb[VMS_RK_OTHER]);
	return dim(region_rgb[region_kind]);
}

void vms_render_geometry(const struct vms_view *v, struct vms_render_geom *g)
{
	uint32_t h = v->row_h;
	g->band_h = h >= 5 ? VMS_RENDER_BAND_H : 0;
	g->band_y = 0;
	g->strip_y = g->band_h;
	g->strip_h = h - g->band_h - (h >= 3 ? VMS_RENDER_ROW_GAP : 0);
	int p = VMS_RENDER_LEGEND_PAD;
	int line = VMS_RENDER_SWATCH + p;
	g->legend_w = VMS_RENDER_LEGEND_W;
	g->legend_h = p + VMS_NR_AKINDS * line;
	g->legend_x = (int)v->width - g->legend_w - p;
	g->legend_y = (int)v->height - g->legend_h - p;
}

/* ---- context -------------------------------------------------------- */

static void open_font(struct vms_render *rc, const char *font_path)
{
	if (TTF_Init() != 0) /* counted: each context holds one */
		return;
	rc->ttf_up = true;
	size_t n = font_path ? 1 : sizeof(font_paths) / sizeof(font_paths[0]);
	for (size_t i = 0; i < n && !rc->font; i++) {
		const char *p = font_path ? font_path : font_paths[i];
		rc->font = TTF_OpenFont(p, VMS_RENDER_FONT_PT);
		if (rc->font)
			rc->font_path = vms_xstrdup(p);
	}
}

struct vms_render *vms_render_new(SDL_Renderer *r, const char *font_path)
{
	struct vms_render *rc = vms_xcalloc(1, sizeof(*rc));
	rc->r = r;
	open_font(rc, font_path);
	return rc;
}

const char *vms_render_font(const struct vms_render *rc)
{
	return rc->font_path;
}

uint64_t vms_render_steps(const struct vms_render *rc)
{
	return rc->steps;
}

void vms_render_free(struct vms_render *rc)
{
	if (!rc)
		return;
	for (size_t k = 0; k < VMS_NR_AKINDS; k++)
		if (rc->labels[k])
			SDL_DestroyTexture(rc->labels[k]);
	if (rc->font)
		TTF_CloseFont(rc->font);
	if (rc->ttf_up)
		TTF_Quit();
	free(rc->font_path);
	free(rc->cells);
	free(rc);
}

/* ---- drawing helpers ------------------------------------------------ */

static int set_rgb(SDL_Renderer *r, uint32_t rgb)
{
	return SDL_SetRenderDrawColor(r, (rgb >> 16) & 0xff, (rgb >> 8) & 0xff,
	                              rgb & 0xff, 0xff);
}

static int fill(SDL_Renderer *r, uint32_t rgb, int x, int y, int w, int h)
{
	SDL_Rect rect = {x, y, w, h};
	if (w <= 0 || h <= 0)
		return 0;
	return set_rgb(r, rgb) | SDL_RenderFillRect(r, &rect);
}

/* rgb faded towards the background: full colour at full coverage, a
 * quarter of the way at a sliver. */
static uint32_t shade(uint32_t rgb, uint64_t covered, uint64_t span)
{
	uint32_t w = 64 + (uint32_t)((u128)192 * covered / span);
	uint32_t out = 0;
	for (int sh = 0; sh <= 16; sh += 8) {
		int bg = (VMS_RENDER_BG >> sh) & 0xff, c = (rgb >> sh) & 0xff;
		out |= (uint32_t)(bg + (c - bg) * (int)w / 256) << sh;
	}
	return out;
}

static uint32_t cell_rgb(const struct vms_view_cell *c)
{
	if (!c->span || c->kind >= VMS_NR_AKINDS || !c->covered)
		return VMS_RENDER_BG;
	return shade(vms_render_akind_rgb[c->kind], c->covered, c->span);
}

/* Band colour of column x of a row: the innermost region holding its
 * address (the one starting last: guessed regions may overlap, as an
 * arm32 lowmem reaching into vmalloc space); background past the space
 * or outside every region. O(regions). */
static uint32_t band_rgb(const struct vms_view *v, uint32_t x, uint32_t y)
{
	uint64_t addr;
	const struct vms_region *inner = NULL;
	if (vms_view_addr_at(v, x, y, &addr) != 0)
		return VMS_RENDER_BG;
	for (size_t i = 0; i < v->m->regions.n; i++) {
		const struct vms_region *reg = &v->m->regions.v[i];
		if (reg->start > addr)
			break;
		if (addr < reg->end)
			inner = reg;
	}
	return inner ? vms_render_region_rgb(inner->kind) : VMS_RENDER_BG;
}

/* ---- rows ------------------------------------------------------------ */

static int draw_cells(struct vms_render *rc, const struct vms_view *v, uint32_t row,
                      const struct vms_render_geom *g)
{
	int y = (int)(row * v->row_h), err = 0;
	uint32_t run = 0, rgb = cell_rgb(&rc->cells[0]);
	for (uint32_t x = 1; x <= v->width; x++) {
		uint32_t c = x < v->width ? cell_rgb(&rc->cells[x]) : ~0u;
		if (c == rgb)
			continue;
		err |= fill(rc->r, rgb, (int)run, y + (int)g->strip_y, (int)(x - run),
		            (int)g->strip_h);
		run = x, rgb = c;
	}
	if (!g->band_h)
		return err;
	run = 0, rgb = band_rgb(v, 0, (uint32_t)y);
	for (uint32_t x = 1; x <= v->width; x++) {
		uint32_t c = x < v->width ? band_rgb(v, x, (uint32_t)y) : ~0u;
		if (c == rgb)
			continue;
		err |= fill(rc->r, rgb, (int)run, y + (int)g->band_y, (int)(x - run),
		            (int)g->band_h);
		run = x, rgb = c;
	}
	return err;
}

/* Columns [*x0, *x1) of the row starting at position rp showing
 * addresses [s, e); false when none. */
static bool cols_of(const struct vms_view *v, u128 rp, uint64_t s, uint64_t e,
                    uint32_t *x0, uint32_t *x1)
{
	u128 ps = vms_view_pos_of(v, s), pe = vms_view_pos_of(v, e);
	u128 rend = rp + (u128)v->width * v->bpp;
	if (pe <= rp || ps >= rend || pe <= ps)
		return false;
	*x0 = ps <= rp ? 0 : (uint32_t)((ps - rp) / v->bpp);
	*x1 = pe >= rend ? v->width : (uint32_t)((pe - rp + v->bpp - 1) / v->bpp);
	return true;
}

/* Guard cap, match underline and selection outline of one area. */
static int draw_area_marks(struct vms_render *rc, const struct vms_view *v, size_t i,
                           u128 rp, int y, const struct vms_render_geom *g)
{
	const struct vms_area *a = &v->m->dump->areas.v[i];
	uint64_t guard = vms_aspace_guard_bytes(v->m, i);
	uint32_t x0, x1;
	int err = 0, sy = y + (int)g->strip_y, sh = (int)g->strip_h;
	if (guard && guard >= v->bpp && guard < a->end - a->start &&
	    cols_of(v, rp, a->end - guard, a->end, &x0, &x1))
		err |= fill(rc->r, VMS_RENDER_GUARD, (int)x0, sy, (int)(x1 - x0), sh);
	if (!cols_of(v, rp, a->start, a->end, &x0, &x1))
		return err;
	int w = (int)(x1 - x0);
	if (vms_view_is_match(v, i))
		err |= fill(rc->r, VMS_RENDER_MATCH, (int)x0, sy + sh - 1, w, 1);
	if (v->has_selected && v->selected == i) {
		err |= fill(rc->r, VMS_RENDER_SELECT, (int)x0, sy, w, 1);
		err |= fill(rc->r, VMS_RENDER_SELECT, (int)x0, sy + sh - 1, w, 1);
	}
	return err;
}

static int draw_marks(struct vms_render *rc, const struct vms_view *v, uint32_t row,
                      const struct vms_render_geom *g)
{
	const struct vms_aspace *m = v->m;
	u128 rp = (u128)v->origin + (u128)row * v->width * v->bpp;
	if (rp >= v->len)
		return 0;
	u128 rend = rp + (u128)v->width * v->bpp;
	uint64_t a0 = vms_view_addr_of(v, (uint64_t)rp);
	uint64_t a1 = rend >= v->len ? v->hi : vms_view_addr_of(v, (uint64_t)rend);
	int err = 0;
	for (size_t k = vms_aspace_first_over(m, a0); k < m->nr_order; k++) {
		size_t i = m->order[k];
		if (m->dump->areas.v[i].start >= a1)
			break;
		rc->steps++;
		err |= draw_area_marks(rc, v, i, rp, (int)(row * v->row_h), g);
	}
	return err;
}

/* ---- legend ---------------------------------------------------------- */

static SDL_Texture *label(struct vms_render *rc, size_t k)
{
	if (!rc->labels[k]) {
		SDL_Color fg = {(VMS_RENDER_TEXT >> 16) & 0xff,
		                (VMS_RENDER_TEXT >> 8) & 0xff, VMS_RENDER_TEXT & 0xff,
		                0xff};
		SDL_Surface *s = TTF_RenderUTF8_Blended(rc->font, vms_akind_name(k), fg);
		if (!s)
			return NULL;
		rc->labels[k] = SDL_CreateTextureFromSurface(rc->r, s);
		SDL_FreeSurface(s);
	}
	return rc->labels[k];
}

static int draw_legend(struct vms_render *rc, const struct vms_render_geom *g)
{
	const SDL_Rect legend = {g->legend_x, g->legend_y, g->legend_w, g->legend_h};
	const SDL_Rect *L = &legend;
	int p = VMS_RENDER_LEGEND_PAD, line = VMS_RENDER_SWATCH + p, err = 0;
	err |= fill(rc->r, VMS_RENDER_LEGEND_BG, L->x, L->y, L->w, L->h);
	for (size_t k = 0; k < VMS_NR_AKINDS; k++) {
		int y = L->y + p + (int)k * line;
		err |= fill(rc->r, vms_render_akind_rgb[k], L->x + p, y,
		            VMS_RENDER_SWATCH, VMS_RENDER_SWATCH);
		SDL_Texture *t = rc->font ? label(rc, k) : NULL;
		int w, h;
		if (!t || SDL_QueryTexture(t, NULL, NULL, &w, &h) != 0)
			continue;
		SDL_Rect dst = {L->x + 2 * p + VMS_RENDER_SWATCH,
		                y + (VMS_RENDER_SWATCH - h) / 2, w, h};
		if (dst.x + dst.w > L->x + L->w - p)
			dst.w = L->x + L->w - p - dst.x;
		SDL_Rect src = {0, 0, dst.w, h};
		err |= SDL_RenderCopy(rc->r, t, &src, &dst);
	}
	return err;
}

/* ---- frames ---------------------------------------------------------- */

int vms_render_frame(struct vms_render *rc, const struct vms_view *v)
{
	struct vms_view tmp = *v; /* vms_view_row() counts steps in it */
	struct vms_render_geom g;
	vms_render_geometry(v, &g);
	if (rc->cap < v->width) {
		rc->cells = vms_xreallocarray(rc->cells, v->width, sizeof(*rc->cells));
		rc->cap = v->width;
	}
	int err = set_rgb(rc->r, VMS_RENDER_BG) | SDL_RenderClear(rc->r);
	bool marks = v->bpp <= v->m->page_size || v->match || v->has_selected;
	for (uint32_t row = 0; row < v->rows; row++) {
		vms_view_row(&tmp, row, rc->cells);
		err |= draw_cells(rc, v, row, &g);
		if (marks)
			err |= draw_marks(rc, v, row, &g);
	}
	rc->steps += tmp.steps - v->steps;
	err |= draw_legend(rc, &g);
	if (err)
		return -VMS_EIO;
	return rc->font ? 0 : VMS_RENDER_NO_TEXT;
}

int vms_view_save_png(const struct vms_view *v, const char *path)
{
	int rc = -VMS_EIO;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, (int)v->width, (int)v->height,
	                                                32, SDL_PIXELFORMAT_ARGB8888);
	if (!s)
		return rc;
	SDL_Renderer *r = SDL_CreateSoftwareRenderer(s);
	if (!r)
		goto free_surface;
	struct vms_render *ctx = vms_render_new(r, NULL);
	rc = vms_render_frame(ctx, v);
	SDL_RenderPresent(r);
	if (rc >= 0 && IMG_SavePNG(s, path) != 0)
		rc = -VMS_EIO;
	vms_render_free(ctx);
	SDL_DestroyRenderer(r);
free_surface:
	SDL_FreeSurface(s);
	return rc;
}
