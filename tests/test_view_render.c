/*
 * test_view_render.c — the renderer (src/view/view_render.c,
 * view_overlay.c), headless: the software renderer on an SDL_Surface, no
 * window and no display. Asserts the colours at the pixels of known
 * addresses of the arm32 sample (an ioremap area, a guard-page cap, the
 * vmalloc band, callers' colours, the selection and a match, live
 * changes, a largest hole, a region name), the sparse x86_64 sample's
 * cuts on the compressed axis, and the pixels of the legend, the ruler,
 * the overview, the status bar and its timeline; the layout's arithmetic;
 * that a still view is drawn from the caches; a model without addresses
 * as a treemap; and a PNG snapshot read back with SDL2_image.
 */
#include <criterion/criterion.h>
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmscope/aspace.h"
#include "vmscope/parse.h"
#include "vmscope/report.h"
#include "vmscope/view_render.h"

#define ARM32  "samples/arm32-zynq-xilinx-4.4.0-vmallocinfo.txt"
#define X86_64 "samples/x86_64-qa-thread-vmallocinfo.txt"
#define HASHED "tests/data/diff/x86_64-hashed-new.txt"
/* Known areas of the arm32 sample. */
#define IOTABLE_START 0xce000000ull /* 16 MiB iotable_init, ioremap */
#define IOTABLE_END   0xcf000000ull
#define OF_IOMAP      0xd0800000ull /* 8 KiB of_iomap: one page + guard */
#define OF_IOMAP_END  0xd0802000ull
#define DEVM_BIG      0xd1000000ull /* 16 MiB + 4 KiB devm_ioremap */
#define DEVM_BIG_END  0xd2001000ull
#define DEVM_MID      0xd0880000ull /* 260 KiB devm_ioremap */
#define DEVM_MID_END  0xd08c1000ull

struct frame {
	struct vms_dump *d;
	struct vms_aspace *m;
	struct vms_view *v;
	SDL_Surface *s;
	SDL_Renderer *r;
	struct vms_render *rc;
	struct vms_render_layout lay;
	struct vms_render_geom g;
	struct vms_view_ui ui;
};

static void setup(void)
{
	setenv("SDL_VIDEODRIVER", "dummy", 1);
}

static struct frame open_file(const char *path, uint32_t w, uint32_t h, uint32_t rh,
                              const char *font)
{
	struct frame f = {0};
	cr_assert_eq(vms_parse_file(path, NULL, &f.d), 0, "%s", path);
	f.m = vms_aspace_build(f.d, NULL);
	vms_render_layout(w, h, &f.lay);
	f.v = vms_view_new(f.m, f.lay.map_w, f.lay.map_h, rh);
	cr_assert_not_null(f.v);
	f.s = SDL_CreateRGBSurfaceWithFormat(0, (int)w, (int)h, 32,
	                                     SDL_PIXELFORMAT_ARGB8888);
	cr_assert_not_null(f.s, "%s", SDL_GetError());
	f.r = SDL_CreateSoftwareRenderer(f.s);
	cr_assert_not_null(f.r, "%s", SDL_GetError());
	f.rc = vms_render_new(f.r, font);
	vms_render_geometry(f.v, &f.ui, &f.g);
	return f;
}

static struct frame open_frame(uint32_t w, uint32_t h, uint32_t rh, const char *font)
{
	struct frame f = open_file(ARM32, w, h, rh, font);
	cr_assert(f.m->geometry);
	return f;
}

static int draw(struct frame *f)
{
	vms_render_geometry(f->v, &f->ui, &f->g);
	int rc = vms_render_frame(f->rc, f->v, &f->ui);
	SDL_RenderPresent(f->r);
	return rc;
}

static void close_frame(struct frame *f)
{
	vms_render_free(f->rc);
	SDL_DestroyRenderer(f->r);
	SDL_FreeSurface(f->s);
	vms_view_free(f->v);
	vms_aspace_free(f->m);
	vms_dump_free(f->d);
}

static uint32_t pixel(SDL_Surface *s, int x, int y)
{
	const uint8_t *row = (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch;
	return ((const uint32_t *)row)[x] & 0xffffff;
}

/* The legend box in window coordinates. */
static SDL_Rect legend(const struct frame *f)
{
	return (SDL_Rect){f->lay.map_x + f->g.legend_x, f->lay.map_y + f->g.legend_y,
	                  f->g.legend_w, f->g.legend_h};
}

static bool inside(const SDL_Rect *r, int x, int y)
{
	return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

/* Window pixel of addr (x, top of its row), asserting it is on the map
 * and clear of the legend box. */
static void at(const struct frame *f, uint64_t addr, int *x, int *y)
{
	uint32_t mx, my;
	cr_assert_eq(vms_view_pixel_of(f->v, addr, &mx, &my), 0, "%#llx off screen",
	             (unsigned long long)addr);
	*x = f->lay.map_x + (int)mx;
	*y = f->lay.map_y + (int)my;
	SDL_Rect L = legend(f);
	L.h += (int)f->v->row_h;
	cr_assert_not(inside(&L, *x, *y), "%#llx under the legend",
	              (unsigned long long)addr);
}

static int strip_mid(const struct frame *f, int y)
{
	return y + (int)(f->g.strip_y + f->g.strip_h / 2);
}

/* The colour in the middle of the strip at addr. */
static uint32_t colour_at(const struct frame *f, uint64_t addr)
{
	int x, y;
	at(f, addr, &x, &y);
	return pixel(f->s, x, strip_mid(f, y));
}

/* Pixels of box b (window coordinates) whose colour is rgb. */
static size_t count_rgb(SDL_Surface *s, SDL_Rect b, uint32_t rgb)
{
	size_t n = 0;
	for (int y = b.y; y < b.y + b.h; y++)
		for (int x = b.x; x < b.x + b.w; x++)
			n += pixel(s, x, y) == rgb;
	return n;
}

/* Pixels of box b that are neither of two background colours. */
static size_t count_not(SDL_Surface *s, SDL_Rect b, uint32_t bg1, uint32_t bg2)
{
	size_t n = 0;
	for (int y = b.y; y < b.y + b.h; y++)
		for (int x = b.x; x < b.x + b.w; x++) {
			uint32_t c = pixel(s, x, y);
			n += c != bg1 && c != bg2;
		}
	return n;
}

static SDL_Rect status_box(const struct frame *f)
{
	return (SDL_Rect){0, f->lay.status_y, (int)f->lay.win_w, f->lay.status_h};
}

/* ---- layout ---------------------------------------------------------------- */

Test(view_render, layout_adds_up_to_the_window)
{
	static const uint32_t sizes[][2] = {{1280, 800}, {640, 400}, {479, 400},
	                                    {480, 99},   {1, 1},     {3000, 2000}};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct vms_render_layout L;
		vms_render_layout(sizes[i][0], sizes[i][1], &L);
		cr_assert_eq(L.win_w, sizes[i][0]);
		cr_assert_eq((uint32_t)L.ruler_w + L.map_w, L.win_w > 1 ? L.win_w : 1);
		cr_assert_eq((uint32_t)(L.overview_h + L.status_h) + L.map_h,
		             L.win_h > 1 ? L.win_h : 1);
		cr_assert_eq(L.map_x, L.ruler_w);
		cr_assert_eq(L.map_y, L.overview_y + L.overview_h);
		cr_assert_eq(L.status_y, L.map_y + (int)L.map_h);
		cr_assert_geq(L.map_w, 1);
		cr_assert_geq(L.map_h, 1);
	}
	struct vms_render_layout L;
	vms_render_layout(1280, 800, &L);
	cr_assert_eq(L.ruler_w, VMS_RENDER_RULER_W);
	cr_assert_eq(L.overview_h, VMS_RENDER_OVERVIEW_H);
	cr_assert_eq(L.status_h, VMS_RENDER_STATUS_H);
	cr_assert_eq(L.map_w, 1280 - VMS_RENDER_RULER_W);
	cr_assert_eq(L.map_h, 800 - VMS_RENDER_OVERVIEW_H - VMS_RENDER_STATUS_H);
	vms_render_layout(VMS_RENDER_RULER_MIN_W - 1, 400, &L);
	cr_assert_eq(L.ruler_w, 0, "a narrow window has no ruler");
	cr_assert_eq(L.map_x, 0);
	vms_render_layout(640, VMS_RENDER_BARS_MIN_H - 1, &L);
	cr_assert_eq(L.overview_h + L.status_h, 0, "a low window has no bars");
}

Test(view_render, a_view_of_another_size_is_refused, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	struct vms_view *wrong = vms_view_new(f.m, f.lay.map_w + 1, f.lay.map_h, 8);
	cr_assert_eq(vms_render_frame(f.rc, wrong, NULL), -VMS_EINVAL);
	cr_assert_geq(vms_render_frame(f.rc, f.v, NULL), 0, "ui NULL is a zeroed ui");
	vms_view_free(wrong);
	close_frame(&f);
}

/* ---- the map ------------------------------------------------------------------ */

Test(view_render, ioremap_area_has_the_ioremap_colour, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	cr_assert_geq(draw(&f), 0);
	int x, y;
	at(&f, (IOTABLE_START + IOTABLE_END) / 2, &x, &y);
	cr_assert_eq(pixel(f.s, x, strip_mid(&f, y)),
	             vms_render_akind_rgb[VMS_AK_IOREMAP], "got %06x",
	             pixel(f.s, x, strip_mid(&f, y)));
	/* the gap below the strip stays background */
	cr_assert_eq(pixel(f.s, x, y + (int)f.v->row_h - 1), VMS_RENDER_BG);
	close_frame(&f);
}

Test(view_render, guard_cap_when_zoomed_and_none_when_hidden, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	/* fit-all: a page is far below a pixel, no cap */
	cr_assert_gt(f.v->bpp, f.m->page_size);
	vms_view_zoom(f.v, (double)f.v->bpp / 512.0, 0, 0);
	cr_assert_leq(f.v->bpp, f.m->page_size / 4, "bpp %llu",
	              (unsigned long long)f.v->bpp);
	cr_assert_eq(vms_view_center_on(f.v, OF_IOMAP), 0);
	cr_assert_geq(draw(&f), 0);
	uint64_t guard = OF_IOMAP_END - f.m->page_size / 2;
	cr_assert_eq(colour_at(&f, guard), VMS_RENDER_GUARD, "got %06x",
	             colour_at(&f, guard));
	cr_assert_eq(colour_at(&f, OF_IOMAP + f.m->page_size / 2),
	             vms_render_akind_rgb[VMS_AK_IOREMAP]);
	f.ui.hide_guards = true;
	cr_assert_geq(draw(&f), 0);
	cr_assert_eq(colour_at(&f, guard), vms_render_akind_rgb[VMS_AK_IOREMAP],
	             "hide_guards: got %06x", colour_at(&f, guard));
	close_frame(&f);
}

Test(view_render, vmalloc_region_band, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	cr_assert_gt(f.g.band_h, 0);
	cr_assert_geq(draw(&f), 0);
	const struct vms_region *vm = vms_aspace_vmalloc(f.m);
	cr_assert_not_null(vm);
	int x, y;
	at(&f, vm->start + (vm->end - vm->start) / 4, &x, &y);
	cr_assert_eq(pixel(f.s, x, y + (int)f.g.band_y),
	             vms_render_region_rgb(VMS_RK_VMALLOC), "got %06x at %d,%d",
	             pixel(f.s, x, y + (int)f.g.band_y), x, y);
	cr_assert_neq(vms_render_region_rgb(VMS_RK_VMALLOC), VMS_RENDER_BG);
	close_frame(&f);
}

Test(view_render, legend_has_swatches_and_text, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	cr_assert_not_null(vms_render_font(f.rc), "no font found (fonts-dejavu-core)");
	/* by kind the status bar is the legend: no box over the map */
	cr_assert_eq(draw(&f), 0);
	cr_assert_eq(f.g.legend_w, 0);
	f.ui.color_by = VMS_COLOR_BY_CALLER;
	vms_render_geometry(f.v, &f.ui, &f.g);
	cr_assert_eq(draw(&f), 0);
	SDL_Rect L = legend(&f), text = L;
	cr_assert_gt(L.w, 0);
	int skip = 2 * VMS_RENDER_LEGEND_PAD + VMS_RENDER_SWATCH;
	text.x += skip;
	text.w -= skip;
	cr_assert_geq(count_not(f.s, L, VMS_RENDER_BG, VMS_RENDER_LEGEND_BG),
	              (size_t)4 * VMS_RENDER_SWATCH * VMS_RENDER_SWATCH);
	cr_assert_gt(count_not(f.s, text, VMS_RENDER_BG, VMS_RENDER_LEGEND_BG), 50,
	             "no legend text");
	/* a map too small for it has none */
	struct frame g = open_frame(260, 200, 8, NULL);
	g.ui.color_by = VMS_COLOR_BY_CALLER;
	vms_render_geometry(g.v, &g.ui, &g.g);
	cr_assert_eq(g.g.legend_w, 0);
	close_frame(&g);
	close_frame(&f);
}

Test(view_render, legend_without_a_font_reports_it, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, VMS_RENDER_NO_FONT);
	cr_assert_null(vms_render_font(f.rc));
	f.ui.color_by = VMS_COLOR_BY_CALLER;
	vms_render_geometry(f.v, &f.ui, &f.g);
	cr_assert_eq(draw(&f), VMS_RENDER_NO_TEXT);
	SDL_Rect L = legend(&f), text = L;
	int p = VMS_RENDER_LEGEND_PAD, skip = 2 * p + VMS_RENDER_SWATCH;
	text.x += skip;
	text.w -= skip;
	cr_assert_eq(count_not(f.s, text, VMS_RENDER_BG, VMS_RENDER_LEGEND_BG), 0);
	uint32_t sw = pixel(f.s, L.x + p + 1, L.y + L.h - p - VMS_RENDER_SWATCH + 1);
	cr_assert_neq(sw, VMS_RENDER_LEGEND_BG, "a swatch");
	cr_assert_neq(sw, VMS_RENDER_BG);
	close_frame(&f);
}

Test(view_render, selection_and_matches_are_highlighted, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	int x, y;
	at(&f, (IOTABLE_START + IOTABLE_END) / 2, &x, &y);
	int top = y + (int)f.g.strip_y, bottom = top + (int)f.g.strip_h - 1;
	cr_assert_geq(draw(&f), 0);
	cr_assert_eq(pixel(f.s, x, top), vms_render_akind_rgb[VMS_AK_IOREMAP]);
	cr_assert_eq(vms_view_select_at(f.v, (uint32_t)(x - f.lay.map_x),
	                                (uint32_t)(y - f.lay.map_y)),
	             0);
	cr_assert_geq(draw(&f), 0);
	cr_assert_eq(pixel(f.s, x, top), VMS_RENDER_SELECT);
	cr_assert_eq(pixel(f.s, x, bottom), VMS_RENDER_SELECT);
	cr_assert_eq(pixel(f.s, x, strip_mid(&f, y)),
	             vms_render_akind_rgb[VMS_AK_IOREMAP]);

	cr_assert_gt(vms_view_search(f.v, "iotable_init"), 0);
	f.v->has_selected = false;
	cr_assert_geq(draw(&f), 0);
	cr_assert_eq(pixel(f.s, x, bottom), VMS_RENDER_MATCH);
	cr_assert_eq(pixel(f.s, x, top), vms_render_akind_rgb[VMS_AK_IOREMAP]);
	close_frame(&f);
}

Test(view_render, callers_get_stable_colours_of_their_own, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	cr_assert_eq(vms_render_caller_rgb("devm_ioremap"),
	             vms_render_caller_rgb("devm_ioremap"), "the hash is stable");
	f.ui.color_by = VMS_COLOR_BY_CALLER;
	cr_assert_geq(draw(&f), 0);
	uint32_t a = colour_at(&f, (DEVM_BIG + DEVM_BIG_END) / 2);
	uint32_t b = colour_at(&f, (DEVM_MID + DEVM_MID_END) / 2);
	uint32_t c = colour_at(&f, (IOTABLE_START + IOTABLE_END) / 2);
	cr_assert_eq(a, b, "same caller, same colour: %06x %06x", a, b);
	cr_assert_neq(a, c, "devm_ioremap and iotable_init: two of the largest callers");
	cr_assert_neq(c, vms_render_akind_rgb[VMS_AK_IOREMAP], "not the kind's colour");
	int in_palette = 0;
	for (int i = 0; i < VMS_RENDER_NR_CALLER_RGB; i++)
		in_palette += vms_render_caller_palette[i] == a ||
		              vms_render_caller_palette[i] == c;
	cr_assert_eq(in_palette, 2, "both from the caller palette");
	/* the next frame agrees, and the legend lists callers, the largest on
	 * screen first, in the colour the map gives it */
	cr_assert_geq(draw(&f), 0);
	cr_assert_eq(colour_at(&f, (DEVM_BIG + DEVM_BIG_END) / 2), a);
	SDL_Rect L = legend(&f);
	int p = VMS_RENDER_LEGEND_PAD;
	int first = L.y + L.h - (int)VMS_RENDER_LEGEND_CALLERS * (VMS_RENDER_SWATCH + p);
	cr_assert_eq(L.w, VMS_RENDER_LEGEND_CALLER_W);
	cr_assert_eq(pixel(f.s, L.x + p + 1, first + 1), a, "got %06x",
	             pixel(f.s, L.x + p + 1, first + 1));
	close_frame(&f);
}

/* The callers with most bytes never share a colour (a hash alone gave
 * pxa168fb_probe and of_iomap the same one on the seed dump). */
Test(view_render, the_largest_callers_have_distinct_colours, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	f.ui.color_by = VMS_COLOR_BY_CALLER;
	cr_assert_geq(draw(&f), 0);
	SDL_Rect L = legend(&f);
	int p = VMS_RENDER_LEGEND_PAD, line = VMS_RENDER_SWATCH + p;
	int n = 0;
	uint32_t seen[VMS_RENDER_LEGEND_CALLERS];
	for (int y = L.y + p; y + VMS_RENDER_SWATCH <= L.y + L.h; y += line) {
		uint32_t rgb = pixel(f.s, L.x + p + 1, y + 1);
		if (rgb == VMS_RENDER_LEGEND_BG)
			continue;
		for (int i = 0; i < n; i++)
			cr_assert_neq(seen[i], rgb, "two legend callers share %06x", rgb);
		seen[n++] = rgb;
	}
	cr_assert_geq(n, 4, "the legend lists the callers");
	close_frame(&f);
}

Test(view_render, the_largest_hole_is_outlined, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	struct vms_hole big = {0, 0, 0};
	for (size_t w = 0; w < f.m->windows.n; w++) {
		const struct vms_free *t = &f.m->windows.v[w].free;
		for (uint32_t id = vms_free_first(t); id; id = vms_free_next(t, id)) {
			const struct vms_hole *h = vms_free_hole(t, id);
			if (h->va_end - h->va_start > big.va_end - big.va_start)
				big = *h;
		}
	}
	cr_assert_gt(big.va_end - big.va_start, 4 * f.v->bpp);
	cr_assert_geq(draw(&f), 0);
	int x, y;
	at(&f, big.va_start, &x, &y);
	cr_assert_eq(pixel(f.s, x, y + (int)f.g.strip_y), VMS_RENDER_HOLE,
	             "top line %06x", pixel(f.s, x, y + (int)f.g.strip_y));
	cr_assert_eq(pixel(f.s, x, strip_mid(&f, y)), VMS_RENDER_HOLE, "left end");
	close_frame(&f);
}

Test(view_render, region_names_where_regions_start, .init = setup)
{
	/* rows of 16 px hold a line of text; 8 px rows do not */
	struct frame f = open_frame(800, 600, 16, NULL);
	const struct vms_region *vm = vms_aspace_vmalloc(f.m);
	cr_assert_geq(draw(&f), 0);
	int x, y;
	at(&f, vm->start, &x, &y);
	cr_assert_eq(pixel(f.s, x + 1, y + 1), VMS_RENDER_LABEL_BG, "got %06x",
	             pixel(f.s, x + 1, y + 1));
	SDL_Rect name = {x + 2, y, 40, 12};
	cr_assert_gt(count_not(f.s, name, VMS_RENDER_LABEL_BG, VMS_RENDER_LABEL_BG), 30,
	             "no text in the box");
	close_frame(&f);
}

/* ---- ruler and cuts --------------------------------------------------------------- */

static bool tick_at(const struct frame *f, uint32_t row)
{
	return pixel(f->s, f->lay.ruler_w - VMS_RENDER_RULER_TICK_W,
	             f->lay.map_y + (int)(row * f->v->row_h)) == VMS_RENDER_TEXT_DIM;
}

Test(view_render, ruler_labels_rows_without_overlap, .init = setup)
{
	struct frame f = open_frame(640, 400, 4, NULL);
	cr_assert_geq(draw(&f), 0);
	SDL_Rect text = {0, f.lay.map_y, f.lay.ruler_w - VMS_RENDER_RULER_TICK_W, 12};
	cr_assert_gt(count_not(f.s, text, VMS_RENDER_BAR_BG, VMS_RENDER_BAR_BG), 40,
	             "no address in the gutter");
	cr_assert_gt(count_rgb(f.s, text, VMS_RENDER_TEXT_DIM), 10);
	cr_assert(tick_at(&f, 0));
	cr_assert_not(tick_at(&f, 1), "4-px rows: a label every few rows");
	close_frame(&f);

	f = open_frame(640, 400, 16, NULL);
	cr_assert_geq(draw(&f), 0);
	cr_assert(tick_at(&f, 0));
	cr_assert(tick_at(&f, 1), "16-px rows: a label on every row");
	close_frame(&f);

	f = open_frame(640, 400, 16, VMS_RENDER_NO_FONT);
	cr_assert_eq(draw(&f), VMS_RENDER_NO_TEXT);
	cr_assert(tick_at(&f, 1), "ticks without a font");
	text.h = 16;
	cr_assert_eq(count_not(f.s, text, VMS_RENDER_BAR_BG, VMS_RENDER_BAR_BG), 0);
	close_frame(&f);
}

Test(view_render, cuts_are_hatched_labelled_and_marked_on_the_ruler, .init = setup)
{
	struct frame f = open_file(X86_64, 800, 500, 8, NULL);
	cr_assert(f.m->geometry);
	cr_assert_geq(draw(&f), 0);
	SDL_Rect map = {f.lay.map_x, f.lay.map_y, (int)f.lay.map_w, (int)f.lay.map_h};
	SDL_Rect L = legend(&f);
	size_t plain_text = 0;
	for (int y = map.y; y < map.y + map.h; y++)
		for (int x = map.x; x < map.x + map.w; x++)
			plain_text +=
			    !inside(&L, x, y) && pixel(f.s, x, y) == VMS_RENDER_TEXT;
	cr_assert_eq(plain_text, 0, "no cut label on a linear axis");

	vms_view_set_compressed(f.v, true, 0, 0);
	cr_assert_gt(f.v->cuts.n, 0);
	cr_assert_geq(draw(&f), 0);
	size_t shown = 0;
	for (size_t i = 0; i < f.v->cuts.n; i++) {
		const struct vms_view_cut *c = &f.v->cuts.v[i];
		uint32_t mx, my; /* an eighth into the block: past the outline of
		                    the hole it lies in, before a label */
		if (vms_view_pixel_of(f.v, c->start + (c->end - c->start) / 8, &mx,
		                      &my) != 0)
			continue;
		int x = f.lay.map_x + (int)mx, y = f.lay.map_y + (int)my;
		uint32_t got = pixel(f.s, x, strip_mid(&f, y));
		cr_assert(got == VMS_RENDER_CUT || got == VMS_RENDER_CUT_HATCH,
		          "cut %zu at %d,%d: %06x", i, x, y, got);
		cr_assert_eq(pixel(f.s, f.lay.ruler_w - 1 - VMS_RENDER_RULER_MARK_W, y),
		             VMS_RENDER_CUT_HATCH, "no ruler mark on the cut's row");
		shown++;
	}
	cr_assert_gt(shown, 0);
	size_t label = 0;
	for (int y = map.y; y < map.y + map.h; y++)
		for (int x = map.x; x < map.x + map.w; x++)
			label += !inside(&L, x, y) && pixel(f.s, x, y) == VMS_RENDER_TEXT;
	cr_assert_gt(label, 20, "no \"≈ size\" label on the cuts");
	close_frame(&f);
}

/* ---- overview, caches ---------------------------------------------------------- */

/* The first and last columns of the overview's view box (its top line). */
static void view_box(const struct frame *f, int *x0, int *x1)
{
	int y = f->lay.overview_y + VMS_RENDER_OV_BAND_Y - 1;
	*x0 = -1;
	*x1 = -1;
	for (int x = 0; x < (int)f->lay.win_w; x++)
		if (pixel(f->s, x, y) == VMS_RENDER_VIEWBOX) {
			*x0 = *x0 < 0 ? x : *x0;
			*x1 = x;
		}
}

Test(view_render, overview_boxes_the_visible_range, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	cr_assert_geq(draw(&f), 0);
	int x0, x1;
	view_box(&f, &x0, &x1);
	cr_assert_eq(x0, 0, "fit-all: the box spans the overview");
	cr_assert_eq(x1, 639);
	SDL_Rect bar = {0, VMS_RENDER_OV_BAR_Y + 1, 640, VMS_RENDER_OV_BAR_H - 2};
	cr_assert_gt(count_rgb(f.s, bar, vms_render_akind_rgb[VMS_AK_IOREMAP]), 5,
	             "the overview is coloured like the map");
	SDL_Rect names = {0, VMS_RENDER_OV_NAMES_Y, 640, 12};
	cr_assert_gt(count_not(f.s, names, VMS_RENDER_BAR_BG, VMS_RENDER_BAR_BG), 150,
	             "no region names");

	vms_view_zoom(f.v, 8.0, f.lay.map_w * 3 / 4, f.lay.map_h / 2);
	cr_assert_geq(draw(&f), 0);
	int z0, z1;
	view_box(&f, &z0, &z1);
	cr_assert_gt(z0, 0, "the box moved: %d..%d", z0, z1);
	cr_assert_lt(z1, 639);
	cr_assert_lt(z1 - z0, 640 / 4);
	struct vms_render_stats st;
	vms_render_stats(f.rc, &st);
	cr_assert_eq(st.overview_builds, 1, "the overview is cached");
	close_frame(&f);
}

Test(view_render, a_still_view_is_drawn_from_the_caches, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	struct vms_render_stats a, b, c;
	cr_assert_geq(draw(&f), 0);
	vms_render_stats(f.rc, &a);
	cr_assert_eq(a.map_builds, 1);
	cr_assert_eq(a.overview_builds, 1);
	cr_assert_eq(a.model_builds, 1);
	cr_assert_gt(a.steps, 0);
	f.ui.color_by = VMS_COLOR_BY_CALLER;
	f.ui.change_age_s = 1.0;
	cr_assert_geq(draw(&f), 0);
	vms_render_stats(f.rc, &b);
	cr_assert_eq(b.map_builds, 1, "the ui changed, not the view");
	cr_assert_eq(b.steps, a.steps, "no row walked again");
	vms_view_zoom(f.v, 4.0, 0, 0);
	cr_assert_geq(draw(&f), 0);
	vms_render_stats(f.rc, &b);
	cr_assert_eq(b.map_builds, 2, "a zoom recomputes the map");
	vms_view_pan(f.v, 0, 1);
	cr_assert_geq(draw(&f), 0);
	vms_render_stats(f.rc, &c);
	cr_assert_eq(c.map_builds, 3, "a pan recomputes the map");
	cr_assert_gt(c.steps, b.steps);
	cr_assert_eq(c.overview_builds, 1, "but not the overview");
	cr_assert_eq(c.model_builds, 1);
	vms_render_forget(f.rc);
	cr_assert_geq(draw(&f), 0);
	vms_render_stats(f.rc, &c);
	cr_assert_eq(c.map_builds, 4);
	cr_assert_eq(c.overview_builds, 2);
	cr_assert_eq(c.model_builds, 2);
	close_frame(&f);
}

/* ---- live changes ------------------------------------------------------------------ */

/* The arm32 sample without its DEVM_BIG line, as a second model. */
struct pair {
	struct vms_dump *d;
	struct vms_aspace *m;
	struct vms_view_diff diff;
};

static struct pair without_devm_big(void)
{
	struct pair p = {0};
	FILE *in = fopen(ARM32, "r");
	char path[] = "/tmp/vmscope-live-XXXXXX", line[512];
	int fd = mkstemp(path);
	cr_assert(in && fd >= 0);
	FILE *out = fdopen(fd, "w");
	while (fgets(line, sizeof(line), in))
		if (strncmp(line, "0xd1000000-", 11))
			fputs(line, out);
	fclose(in);
	fclose(out);
	cr_assert_eq(vms_parse_file(path, NULL, &p.d), 0);
	unlink(path);
	p.m = vms_aspace_build(p.d, NULL);
	return p;
}

static void free_pair(struct pair *p)
{
	vms_view_diff_free(&p->diff);
	vms_aspace_free(p->m);
	vms_dump_free(p->d);
}

Test(view_render, added_areas_light_up_and_fade, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	struct pair old = without_devm_big();
	vms_view_diff_build(old.m, f.m, &old.diff);
	cr_assert_eq(old.diff.added.n, 1);
	uint64_t mid = (DEVM_BIG + DEVM_BIG_END) / 2;
	cr_assert_geq(draw(&f), 0);
	uint32_t plain = colour_at(&f, mid);
	f.ui.diff = &old.diff;
	f.ui.prev = old.m;
	f.ui.change_age_s = 0.0;
	cr_assert_geq(draw(&f), 0);
	uint32_t lit = colour_at(&f, mid);
	cr_assert_neq(lit, plain, "no highlight at age 0");
	cr_assert_gt((lit >> 8) & 0xff, (plain >> 8) & 0xff, "the highlight is bright");
	f.ui.change_age_s = VMS_RENDER_FADE_S / 2;
	cr_assert_geq(draw(&f), 0);
	uint32_t half = colour_at(&f, mid);
	cr_assert(half != lit && half != plain, "fading: %06x", half);
	f.ui.change_age_s = VMS_RENDER_FADE_S;
	cr_assert_geq(draw(&f), 0);
	cr_assert_eq(colour_at(&f, mid), plain, "faded out");
	free_pair(&old);
	close_frame(&f);
}

Test(view_render, freed_areas_leave_a_ghost, .init = setup)
{
	/* the view shows the newer snapshot, without DEVM_BIG */
	struct pair now = without_devm_big();
	struct frame f = open_frame(640, 400, 8, NULL);
	struct vms_view *v = vms_view_new(now.m, f.lay.map_w, f.lay.map_h, 8);
	vms_view_free(f.v);
	f.v = v;
	vms_view_diff_build(f.m, now.m, &now.diff);
	cr_assert_eq(now.diff.freed.n, 1);
	uint64_t mid = (DEVM_BIG + DEVM_BIG_END) / 2;
	cr_assert_geq(draw(&f), 0);
	cr_assert_eq(colour_at(&f, mid), VMS_RENDER_BG, "a hole now");
	f.ui.diff = &now.diff;
	f.ui.prev = f.m;
	cr_assert_geq(draw(&f), 0);
	uint32_t ghost = colour_at(&f, mid);
	cr_assert_neq(ghost, VMS_RENDER_BG, "no ghost at age 0");
	cr_assert_gt(ghost >> 16, ghost & 0xff, "the ghost is red: %06x", ghost);
	int x, y;
	at(&f, mid, &x, &y);
	cr_assert_eq(pixel(f.s, x, y + (int)f.g.strip_y), VMS_RENDER_FREED,
	             "its outline");
	f.ui.change_age_s = VMS_RENDER_FADE_S + 1;
	cr_assert_geq(draw(&f), 0);
	cr_assert_eq(colour_at(&f, mid), VMS_RENDER_BG, "faded out");
	free_pair(&now);
	close_frame(&f);
}

/* ---- status bar ------------------------------------------------------------------- */

Test(view_render, status_bar_shows_totals_message_and_search, .init = setup)
{
	struct frame f = open_frame(1024, 400, 8, NULL);
	SDL_Rect bar = status_box(&f);
	cr_assert_geq(draw(&f), 0);
	size_t text = count_rgb(f.s, bar, VMS_RENDER_TEXT);
	cr_assert_gt(text, 100, "no title and totals");
	cr_assert_eq(count_rgb(f.s, bar, VMS_RENDER_WARN), 0);
	cr_assert_gt(count_rgb(f.s, bar, vms_render_akind_rgb[VMS_AK_IOREMAP]), 20,
	             "no ioremap swatch");

	f.ui.message = "source: read failed";
	cr_assert_gt(vms_view_search(f.v, "devm_ioremap"), 0);
	f.ui.search_text = "devm_ioremap";
	cr_assert_geq(draw(&f), 0);
	cr_assert_gt(count_rgb(f.s, bar, VMS_RENDER_WARN), 20, "no message");
	cr_assert_gt(count_rgb(f.s, bar, VMS_RENDER_MATCH), 20, "no search state");

	/* the change against the previous snapshot's totals is added */
	struct vms_usage prev[VMS_NR_AKINDS] = {{0}};
	f.ui.message = NULL;
	f.ui.search_text = NULL;
	f.ui.prev_kinds = prev;
	cr_assert_geq(draw(&f), 0);
	cr_assert_gt(count_rgb(f.s, bar, VMS_RENDER_TEXT), text + 50);
	close_frame(&f);
}

Test(view_render, timeline_only_when_replaying, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	SDL_Rect zone = {0, f.lay.status_y + VMS_RENDER_TIMELINE_Y, 640,
	                 VMS_RENDER_TIMELINE_H};
	cr_assert_geq(draw(&f), 0);
	cr_assert_eq(count_rgb(f.s, zone, VMS_RENDER_VIEWBOX), 0);
	f.ui.timeline_n = 5;
	f.ui.timeline_pos = 4;
	cr_assert_geq(draw(&f), 0);
	cr_assert_gt(count_rgb(f.s, zone, VMS_RENDER_VIEWBOX), 20);
	cr_assert_eq(pixel(f.s, 640 - 6, zone.y + 1), VMS_RENDER_VIEWBOX, "last: right");
	cr_assert_neq(pixel(f.s, 6, zone.y + 1), VMS_RENDER_VIEWBOX);
	f.ui.timeline_pos = 0;
	cr_assert_geq(draw(&f), 0);
	cr_assert_eq(pixel(f.s, 6, zone.y + 1), VMS_RENDER_VIEWBOX, "first: left");
	close_frame(&f);
}

/* ---- no geometry, PNG ---------------------------------------------------------------
 */

Test(view_render, a_model_without_addresses_is_a_treemap, .init = setup)
{
	struct frame f = open_file(HASHED, 640, 400, 8, NULL);
	cr_assert_not(f.m->geometry);
	cr_assert_geq(draw(&f), 0);
	cr_assert_geq(draw(&f), 0);
	struct vms_render_stats st;
	vms_render_stats(f.rc, &st);
	cr_assert_eq(st.treemap_builds, 1, "built once, then cached");
	cr_assert_eq(st.map_builds, 0);
	SDL_Rect map = {f.lay.map_x, f.lay.map_y, (int)f.lay.map_w, (int)f.lay.map_h};
	cr_assert_gt(count_not(f.s, map, VMS_RENDER_BG, VMS_RENDER_BG), 1000);
	cr_assert_gt(count_rgb(f.s, status_box(&f), VMS_RENDER_TEXT), 50);
	close_frame(&f);
}

Test(view_render, save_png_reads_back, .init = setup)
{
	struct frame f = open_frame(640, 300, 6, NULL);
	f.ui.message = "png";
	f.ui.timeline_n = 3;
	cr_assert_geq(draw(&f), 0);
	char path[] = "/tmp/vmscope-render-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(vms_view_save_png(f.v, &f.ui, 641, 300, path), -VMS_EINVAL);
	cr_assert_geq(vms_view_save_png(f.v, &f.ui, 640, 300, path), 0);
	SDL_Surface *raw = IMG_Load(path);
	cr_assert_not_null(raw, "%s", IMG_GetError());
	SDL_Surface *png = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
	cr_assert_not_null(png);
	cr_assert_eq(png->w, 640);
	cr_assert_eq(png->h, 300);
	int x, y;
	at(&f, (IOTABLE_START + IOTABLE_END) / 2, &x, &y);
	cr_assert_eq(pixel(png, x, strip_mid(&f, y)),
	             vms_render_akind_rgb[VMS_AK_IOREMAP]);
	size_t same = 0;
	for (int py = 0; py < 300; py++)
		for (int px = 0; px < 640; px++)
			same += pixel(png, px, py) == pixel(f.s, px, py);
	cr_assert_eq(same, (size_t)640 * 300, "the PNG differs from the frame");
	SDL_FreeSurface(png);
	SDL_FreeSurface(raw);
	unlink(path);
	close_frame(&f);
}
