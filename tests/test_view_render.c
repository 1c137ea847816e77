/*
 * test_view_render.c — the renderer (src/view/view_render.c), headless:
 * the software renderer on an SDL_Surface, no window and no display.
 * Asserts the colours at the pixels of known addresses of the arm32
 * sample: an ioremap area, a guard-page cap when zoomed in, the vmalloc
 * region band, the selection and a search match, the legend with and
 * without a font, and a PNG snapshot read back with SDL2_image.
 */
#include <criterion/criterion.h>
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "vmscope/aspace.h"
#include "vmscope/parse.h"
#include "vmscope/view_render.h"

#define ARM32 "samples/arm32-zynq-xilinx-4.4.0-vmallocinfo.txt"
/* Known areas of the sample. */
#define IOTABLE_START 0xce000000ull /* 16 MiB iotable_init, ioremap */
#define IOTABLE_END   0xcf000000ull
#define OF_IOMAP      0xd0800000ull /* 8 KiB of_iomap: one page + guard */
#define OF_IOMAP_END  0xd0802000ull

struct frame {
	struct vms_dump *d;
	struct vms_aspace *m;
	struct vms_view *v;
	SDL_Surface *s;
	SDL_Renderer *r;
	struct vms_render *rc;
	struct vms_render_geom g;
};

static void setup(void)
{
	setenv("SDL_VIDEODRIVER", "dummy", 1);
}

static struct frame open_frame(uint32_t w, uint32_t h, uint32_t rh, const char *font)
{
	struct frame f = {0};
	cr_assert_eq(vms_parse_file(ARM32, NULL, &f.d), 0);
	f.m = vms_aspace_build(f.d, NULL);
	cr_assert(f.m->geometry);
	f.v = vms_view_new(f.m, w, h, rh);
	cr_assert_not_null(f.v);
	f.s = SDL_CreateRGBSurfaceWithFormat(0, (int)w, (int)h, 32,
	                                     SDL_PIXELFORMAT_ARGB8888);
	cr_assert_not_null(f.s, "%s", SDL_GetError());
	f.r = SDL_CreateSoftwareRenderer(f.s);
	cr_assert_not_null(f.r, "%s", SDL_GetError());
	f.rc = vms_render_new(f.r, font);
	vms_render_geometry(f.v, &f.g);
	return f;
}

static int draw(struct frame *f)
{
	int rc = vms_render_frame(f->rc, f->v);
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

static bool in_legend(const struct frame *f, uint32_t x, uint32_t y)
{
	const SDL_Rect L_ = {f->g.legend_x, f->g.legend_y, f->g.legend_w, f->g.legend_h};
	const SDL_Rect *L = &L_;
	return (int)x >= L->x && (int)x < L->x + L->w && (int)y >= L->y &&
	       (int)y < L->y + L->h + (int)f->v->row_h;
}

/* Pixel of addr (x, top of its row), asserting it is on screen and clear
 * of the legend box. */
static void at(const struct frame *f, uint64_t addr, uint32_t *x, uint32_t *y)
{
	cr_assert_eq(vms_view_pixel_of(f->v, addr, x, y), 0, "%#llx off screen",
	             (unsigned long long)addr);
	cr_assert_not(in_legend(f, *x, *y), "%#llx under the legend",
	              (unsigned long long)addr);
}

static int strip_mid(const struct frame *f, uint32_t y)
{
	return (int)(y + f->g.strip_y + f->g.strip_h / 2);
}

Test(view_render, ioremap_area_has_the_ioremap_colour, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	cr_assert_geq(draw(&f), 0);
	uint32_t x, y;
	at(&f, (IOTABLE_START + IOTABLE_END) / 2, &x, &y);
	cr_assert_eq(pixel(f.s, (int)x, strip_mid(&f, y)),
	             vms_render_akind_rgb[VMS_AK_IOREMAP], "got %06x",
	             pixel(f.s, (int)x, strip_mid(&f, y)));
	/* the gap below the strip stays background */
	cr_assert_eq(pixel(f.s, (int)x, (int)(y + f.v->row_h - 1)), VMS_RENDER_BG);
	close_frame(&f);
}

Test(view_render, guard_cap_shows_when_a_page_is_several_pixels, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	/* fit-all: a page is far below a pixel, no cap */
	cr_assert_gt(f.v->bpp, f.m->page_size);
	vms_view_zoom(f.v, (double)f.v->bpp / 512.0, 0, 0);
	cr_assert_leq(f.v->bpp, f.m->page_size / 4, "bpp %llu",
	              (unsigned long long)f.v->bpp);
	cr_assert_eq(vms_view_center_on(f.v, OF_IOMAP), 0);
	cr_assert_geq(draw(&f), 0);
	uint32_t x, y;
	at(&f, OF_IOMAP_END - f.m->page_size / 2, &x, &y);
	cr_assert_eq(pixel(f.s, (int)x, strip_mid(&f, y)), VMS_RENDER_GUARD, "got %06x",
	             pixel(f.s, (int)x, strip_mid(&f, y)));
	at(&f, OF_IOMAP + f.m->page_size / 2, &x, &y);
	cr_assert_eq(pixel(f.s, (int)x, strip_mid(&f, y)),
	             vms_render_akind_rgb[VMS_AK_IOREMAP]);
	close_frame(&f);
}

Test(view_render, vmalloc_region_band, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	cr_assert_gt(f.g.band_h, 0);
	cr_assert_geq(draw(&f), 0);
	const struct vms_region *vm = vms_aspace_vmalloc(f.m);
	cr_assert_not_null(vm);
	uint32_t x, y;
	at(&f, vm->start + (vm->end - vm->start) / 4, &x, &y);
	cr_assert_eq(pixel(f.s, (int)x, (int)(y + f.g.band_y)),
	             vms_render_region_rgb(VMS_RK_VMALLOC), "got %06x at %u,%u",
	             pixel(f.s, (int)x, (int)(y + f.g.band_y)), x, y);
	cr_assert_neq(vms_render_region_rgb(VMS_RK_VMALLOC), VMS_RENDER_BG);
	close_frame(&f);
}

static size_t count_in_legend(const struct frame *f, bool text_only)
{
	const SDL_Rect L_ = {f->g.legend_x, f->g.legend_y, f->g.legend_w, f->g.legend_h};
	const SDL_Rect *L = &L_;
	int x0 = L->x + (text_only ? 2 * VMS_RENDER_LEGEND_PAD + VMS_RENDER_SWATCH : 0);
	size_t n = 0;
	for (int y = L->y; y < L->y + L->h; y++)
		for (int x = x0; x < L->x + L->w; x++) {
			uint32_t c = pixel(f->s, x, y);
			n += c != VMS_RENDER_BG && c != VMS_RENDER_LEGEND_BG;
		}
	return n;
}

Test(view_render, legend_has_swatches_and_text, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	cr_assert_not_null(vms_render_font(f.rc), "no font found (fonts-dejavu-core)");
	cr_assert_eq(draw(&f), 0);
	cr_assert_geq(count_in_legend(&f, false),
	              (size_t)VMS_NR_AKINDS * VMS_RENDER_SWATCH * VMS_RENDER_SWATCH);
	cr_assert_gt(count_in_legend(&f, true), 50, "no legend text");
	close_frame(&f);
}

Test(view_render, legend_without_a_font_reports_it, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, "/nonexistent/font.ttf");
	cr_assert_null(vms_render_font(f.rc));
	cr_assert_eq(draw(&f), VMS_RENDER_NO_TEXT);
	cr_assert_eq(count_in_legend(&f, true), 0);
	const SDL_Rect L_ = {f.g.legend_x, f.g.legend_y, f.g.legend_w, f.g.legend_h};
	const SDL_Rect *L = &L_;
	int p = VMS_RENDER_LEGEND_PAD;
	cr_assert_eq(pixel(f.s, L->x + p + 1, L->y + p + 1), vms_render_akind_rgb[0]);
	close_frame(&f);
}

Test(view_render, selection_and_matches_are_highlighted, .init = setup)
{
	struct frame f = open_frame(640, 400, 8, NULL);
	uint32_t x, y;
	at(&f, (IOTABLE_START + IOTABLE_END) / 2, &x, &y);
	int top = (int)(y + f.g.strip_y), bottom = top + (int)f.g.strip_h - 1;
	cr_assert_geq(draw(&f), 0);
	cr_assert_eq(pixel(f.s, (int)x, top), vms_render_akind_rgb[VMS_AK_IOREMAP]);
	cr_assert_eq(vms_view_select_at(f.v, x, y), 0);
	cr_assert_geq(draw(&f), 0);
	cr_assert_eq(pixel(f.s, (int)x, top), VMS_RENDER_SELECT);
	cr_assert_eq(pixel(f.s, (int)x, bottom), VMS_RENDER_SELECT);
	cr_assert_eq(pixel(f.s, (int)x, strip_mid(&f, y)),
	             vms_render_akind_rgb[VMS_AK_IOREMAP]);

	cr_assert_gt(vms_view_search(f.v, "iotable_init"), 0);
	f.v->has_selected = false;
	cr_assert_geq(draw(&f), 0);
	cr_assert_eq(pixel(f.s, (int)x, bottom), VMS_RENDER_MATCH);
	cr_assert_eq(pixel(f.s, (int)x, top), vms_render_akind_rgb[VMS_AK_IOREMAP]);
	close_frame(&f);
}

Test(view_render, save_png_reads_back, .init = setup)
{
	struct frame f = open_frame(320, 240, 6, NULL);
	cr_assert_geq(draw(&f), 0);
	char path[] = "/tmp/vmscope-render-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_geq(vms_view_save_png(f.v, path), 0);
	SDL_Surface *raw = IMG_Load(path);
	cr_assert_not_null(raw, "%s", IMG_GetError());
	SDL_Surface *png = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
	cr_assert_not_null(png);
	cr_assert_eq(png->w, 320);
	cr_assert_eq(png->h, 240);
	uint32_t x, y;
	at(&f, (IOTABLE_START + IOTABLE_END) / 2, &x, &y);
	cr_assert_eq(pixel(png, (int)x, strip_mid(&f, y)),
	             vms_render_akind_rgb[VMS_AK_IOREMAP]);
	size_t same = 0;
	for (int py = 0; py < 240; py++)
		for (int px = 0; px < 320; px++)
			same += pixel(png, px, py) == pixel(f.s, px, py);
	cr_assert_eq(same, (size_t)320 * 240, "the PNG differs from the frame");
	SDL_FreeSurface(png);
	SDL_FreeSurface(raw);
	unlink(path);
	close_frame(&f);
}
