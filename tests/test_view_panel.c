/*
 * test_view_panel.c — what is drawn over the map (src/view/view_panel.c),
 * headless: vms_panel_draw() alone on a cleared SDL_Surface through the
 * software renderer, the map placed inside a larger window. Asserts the
 * details box only with a selection (and taller with a hole's cause),
 * the tooltip beside the pointer and flipped whole inside the map at its
 * right and bottom edges, nothing outside the map, the help box centred
 * and growing with its lines, the search prompt with its cursor and
 * match count, the stderr box, and boxes without text when there is no
 * font.
 */
#include <criterion/criterion.h>
#include <SDL.h>
#include <stdlib.h>

#include "vmscope/aspace.h"
#include "vmscope/parse.h"
#include "vmscope/report.h"
#include "vmscope/view_text.h"
#include "view_int.h"

#define ZYNQ     "samples/arm32-zynq-xilinx-4.4.0-vmallocinfo.txt"
#define OF_IOMAP 0xd0800000ull
#define IOTABLE  0xce000000ull /* 16 MiB, ioremap, static */
#define CLEAR    0x102030u     /* what the surface is cleared to */

/* The window: the map inside, away from every edge. */
#define WIN_W 680
#define WIN_H 480
#define MAP_X 40
#define MAP_Y 30
#define MAP_W 600
#define MAP_H 400

struct frame {
	struct vms_dump *d;
	struct vms_aspace *m;
	struct vms_report *rep;
	struct vms_view *v;
	SDL_Surface *s;
	SDL_Renderer *r;
	struct vms_text t;
	struct vms_render_layout lay;
	struct vms_view_ui ui;
};

struct bbox {
	int x0, y0, x1, y1; /* inclusive */
	long count;         /* pixels not CLEAR */
};

static void setup(void)
{
	setenv("SDL_VIDEODRIVER", "dummy", 1);
}

static void open_frame(struct frame *f, const char *font)
{
	memset(f, 0, sizeof(*f));
	cr_assert_eq(vms_parse_file(ZYNQ, NULL, &f->d), 0);
	f->m = vms_aspace_build(f->d, NULL);
	f->rep = vms_report_build(f->m, NULL);
	f->v = vms_view_new(f->m, MAP_W, MAP_H, 8);
	cr_assert_not_null(f->v);
	f->s =
	    SDL_CreateRGBSurfaceWithFormat(0, WIN_W, WIN_H, 32, SDL_PIXELFORMAT_ARGB8888);
	cr_assert_not_null(f->s, "%s", SDL_GetError());
	f->r = SDL_CreateSoftwareRenderer(f->s);
	cr_assert_not_null(f->r, "%s", SDL_GetError());
	vms_text_init(&f->t, f->r, font, VMS_RENDER_FONT_PT);
	if (!font)
		cr_assert_not_null(f->t.font, "no font found (fonts-dejavu-core)");
	f->lay = (struct vms_render_layout){.win_w = WIN_W,
	                                    .win_h = WIN_H,
	                                    .map_x = MAP_X,
	                                    .map_y = MAP_Y,
	                                    .map_w = MAP_W,
	                                    .map_h = MAP_H};
	f->ui.report = f->rep;
}

static void close_frame(struct frame *f)
{
	vms_text_fini(&f->t);
	SDL_DestroyRenderer(f->r);
	SDL_FreeSurface(f->s);
	vms_view_free(f->v);
	vms_report_free(f->rep);
	vms_aspace_free(f->m);
	vms_dump_free(f->d);
}

static void draw(struct frame *f)
{
	SDL_SetRenderDrawBlendMode(f->r, SDL_BLENDMODE_NONE);
	SDL_SetRenderDrawColor(f->r, CLEAR >> 16, (CLEAR >> 8) & 0xff, CLEAR & 0xff,
	                       0xff);
	SDL_RenderSetClipRect(f->r, NULL);
	SDL_RenderClear(f->r);
	cr_assert_eq(vms_panel_draw(&f->t, f->r, f->v, &f->ui, &f->lay), 0);
	SDL_RenderPresent(f->r);
}

static uint32_t pixel(const SDL_Surface *s, int x, int y)
{
	const uint8_t *row = (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch;
	return ((const uint32_t *)row)[x] & 0xffffff;
}

/* The box of the pixels not CLEAR in [x0, x1) x [y0, y1). */
static struct bbox drawn(const SDL_Surface *s, int x0, int y0, int x1, int y1)
{
	struct bbox b = {x1, y1, -1, -1, 0};
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++) {
			if (pixel(s, x, y) == CLEAR)
				continue;
			b.count++;
			b.x0 = x < b.x0 ? x : b.x0;
			b.y0 = y < b.y0 ? y : b.y0;
			b.x1 = x > b.x1 ? x : b.x1;
			b.y1 = y > b.y1 ? y : b.y1;
		}
	return b;
}

static struct bbox drawn_all(const struct frame *f)
{
	return drawn(f->s, 0, 0, WIN_W, WIN_H);
}

/* Pixels of exactly rgb inside b. */
static long count_rgb(const SDL_Surface *s, const struct bbox *b, uint32_t rgb)
{
	long n = 0;
	for (int y = b->y0; y <= b->y1; y++)
		for (int x = b->x0; x <= b->x1; x++)
			n += pixel(s, x, y) == rgb;
	return n;
}

/* Distinct colours in the whole surface (at most 64 counted). */
static size_t colours(const SDL_Surface *s)
{
	uint32_t seen[64];
	size_t n = 0;
	for (int y = 0; y < WIN_H; y++)
		for (int x = 0; x < WIN_W && n < 64; x++) {
			uint32_t c = pixel(s, x, y);
			size_t k = 0;
			while (k < n && seen[k] != c)
				k++;
			if (k == n)
				seen[n++] = c;
		}
	return n;
}

static size_t area_at(const struct vms_dump *d, uint64_t start)
{
	for (size_t i = 0; i < d->areas.n; i++)
		if (d->areas.v[i].start == start)
			return i;
	cr_assert_fail("no area at %#llx", (unsigned long long)start);
	return 0;
}

/* Nothing was drawn outside the map. */
static void assert_inside_map(const struct frame *f)
{
	struct bbox b = drawn_all(f);
	cr_assert_gt(b.count, 0, "nothing drawn");
	cr_assert_geq(b.x0, MAP_X);
	cr_assert_geq(b.y0, MAP_Y);
	cr_assert_lt(b.x1, MAP_X + MAP_W);
	cr_assert_lt(b.y1, MAP_Y + MAP_H);
}

/* ---- details ----------------------------------------------------------- */

Test(view_panel, details_box_only_when_something_is_selected, .init = setup)
{
	struct frame f;
	open_frame(&f, NULL);
	draw(&f);
	cr_assert_eq(drawn_all(&f).count, 0, "a box without a selection");

	f.v->has_selected = true;
	f.v->selected = area_at(f.d, OF_IOMAP);
	draw(&f);
	assert_inside_map(&f);
	struct bbox b = drawn_all(&f);
	/* at the top right of the map */
	cr_expect_gt(b.x0, MAP_X + MAP_W / 3);
	cr_expect_gt(b.x1, MAP_X + MAP_W - 20);
	cr_expect_lt(b.y0, MAP_Y + 20);
	cr_expect_lt(b.y1, MAP_Y + MAP_H / 2);
	cr_expect_gt(count_rgb(f.s, &b, VMS_RENDER_TEXT), 40, "no text in the details");
	cr_expect_gt(count_rgb(f.s, &b, 0xffffff), 3, "no heading in the details");
	close_frame(&f);
}

Test(view_panel, details_quote_the_input_line_when_given_the_text, .init = setup)
{
	struct frame f;
	open_frame(&f, NULL);
	f.v->has_selected = true;
	f.v->selected = area_at(f.d, OF_IOMAP);
	draw(&f);
	struct bbox plain = drawn_all(&f);
	FILE *fp = fopen(ZYNQ, "rb");
	cr_assert_not_null(fp);
	static char text[1 << 16];
	size_t len = fread(text, 1, sizeof(text), fp);
	fclose(fp);
	struct vms_text_source src;
	vms_view_text_source_init(&src, text, len);
	f.ui.source = &src;
	draw(&f);
	struct bbox quoted = drawn_all(&f);
	/* the quote is at least one more line */
	cr_expect_geq((quoted.y1 - quoted.y0) - (plain.y1 - plain.y0), f.t.line_h);
	vms_view_text_source_fini(&src);
	close_frame(&f);
}

Test(view_panel, hole_details_grow_with_the_reports_cause, .init = setup)
{
	struct frame f;
	open_frame(&f, NULL);
	f.ui.selected_hole = true;
	f.ui.hole_start = 0xd080a000; /* a freed-size hole of the window */
	f.ui.hole_end = 0xd080e000;
	draw(&f);
	assert_inside_map(&f);
	struct bbox with = drawn_all(&f);
	cr_expect_gt(count_rgb(f.s, &with, VMS_RENDER_TEXT), 40);
	f.ui.report = NULL; /* three lines instead of five (or more, wrapped) */
	draw(&f);
	struct bbox without = drawn_all(&f);
	cr_expect_geq((with.y1 - with.y0) - (without.y1 - without.y0), 2 * f.t.line_h);
	close_frame(&f);
}

/* ---- tooltip ----------------------------------------------------------- */

Test(view_panel, tooltip_flips_to_stay_whole_inside_the_map, .init = setup)
{
	struct frame f;
	open_frame(&f, NULL);
	/* zoom into the 16 MiB iotable_init area: every pixel hits it, so
	 * every tooltip has the same text and size */
	f.v->bpp = 256;
	cr_assert_eq(vms_view_center_on(f.v, IOTABLE + 8 * 1024 * 1024), 0);
	struct vms_view_hit hit;
	cr_assert_eq(vms_view_hit(f.v, 0, 0, &hit), 0);
	cr_assert_eq(hit.area, area_at(f.d, IOTABLE));
	cr_assert_eq(vms_view_hit(f.v, MAP_W - 1, MAP_H - 1, &hit), 0);
	cr_assert_eq(hit.area, area_at(f.d, IOTABLE));
	f.ui.hover = true;

	f.ui.hover_x = MAP_W / 4;
	f.ui.hover_y = MAP_H / 4;
	draw(&f);
	assert_inside_map(&f);
	struct bbox mid = drawn_all(&f);
	int w = mid.x1 - mid.x0, h = mid.y1 - mid.y0;
	cr_expect_gt(mid.x0, MAP_X + (int)f.ui.hover_x, "right of the pointer");
	cr_expect_gt(mid.y0, MAP_Y + (int)f.ui.hover_y, "below the pointer");
	cr_expect_gt(count_rgb(f.s, &mid, VMS_RENDER_TEXT), 40, "no text in the tooltip");

	const uint32_t at[][2] = {
	    {MAP_W - 3, MAP_H / 4}, {MAP_W / 4, MAP_H - 3}, {MAP_W - 3, MAP_H - 3}};
	for (size_t k = 0; k < 3; k++) {
		f.ui.hover_x = at[k][0];
		f.ui.hover_y = at[k][1];
		draw(&f);
		assert_inside_map(&f);
		struct bbox b = drawn_all(&f);
		cr_expect_eq(b.x1 - b.x0, w, "cut at (%u, %u)", at[k][0], at[k][1]);
		cr_expect_eq(b.y1 - b.y0, h, "cut at (%u, %u)", at[k][0], at[k][1]);
		bool right = at[k][0] > MAP_W / 2, bottom = at[k][1] > MAP_H / 2;
		if (right)
			cr_expect_lt(b.x1, MAP_X + (int)f.ui.hover_x,
			             "left of the pointer");
		else
			cr_expect_gt(b.x0, MAP_X + (int)f.ui.hover_x);
		if (bottom)
			cr_expect_lt(b.y1, MAP_Y + (int)f.ui.hover_y,
			             "above the pointer");
		else
			cr_expect_gt(b.y0, MAP_Y + (int)f.ui.hover_y);
	}
	close_frame(&f);
}

Test(view_panel, tooltip_over_a_hole_and_none_off_the_space, .init = setup)
{
	struct frame f;
	open_frame(&f, NULL);
	f.ui.hover = true;
	/* a pixel over free space: a hole's tooltip */
	uint32_t x, y;
	cr_assert_eq(vms_view_pixel_of(f.v, 0xf0000000, &x, &y), 0);
	struct vms_view_hit hit;
	cr_assert_neq(vms_view_hit(f.v, x, y, &hit), 0, "not free space");
	f.ui.hover_x = x;
	f.ui.hover_y = y;
	draw(&f);
	cr_expect_gt(drawn_all(&f).count, 0, "no tooltip over a hole");
	/* the pointer outside the map: nothing */
	f.ui.hover_x = MAP_W + 5;
	draw(&f);
	cr_expect_eq(drawn_all(&f).count, 0);
	close_frame(&f);
}

Test(view_panel, no_tooltip_over_the_details_being_read, .init = setup)
{
	struct frame f;
	open_frame(&f, NULL);
	f.v->has_selected = true;
	f.v->selected = area_at(f.d, OF_IOMAP);
	draw(&f);
	struct bbox alone = drawn_all(&f);
	f.ui.hover = true;
	f.ui.hover_x = (uint32_t)((alone.x0 + alone.x1) / 2 - MAP_X);
	f.ui.hover_y = (uint32_t)((alone.y0 + alone.y1) / 2 - MAP_Y);
	draw(&f);
	struct bbox over = drawn_all(&f);
	cr_expect_eq(over.count, alone.count, "a tooltip over the details");
	f.ui.hover_y = (uint32_t)(alone.y1 + 4 - MAP_Y); /* just below them */
	draw(&f);
	cr_expect_gt(drawn_all(&f).count, alone.count, "no tooltip beside the details");
	close_frame(&f);
}

/* ---- help, prompt, stderr ---------------------------------------------- */

Test(view_panel, help_box_is_centred_and_grows_with_its_lines, .init = setup)
{
	struct frame f;
	open_frame(&f, NULL);
	static const char *const lines[] = {
	    "Keys",          "h, ?   this help",  "q      quit",
	    "/      search", "n      next match", "c      colour by caller",
	};
	f.ui.help = true;
	f.ui.help_lines = lines;
	f.ui.help_n = 3;
	f.ui.hover = true; /* no tooltip under the help */
	f.ui.hover_x = 10;
	f.ui.hover_y = 10;
	draw(&f);
	assert_inside_map(&f);
	struct bbox three = drawn_all(&f);
	cr_expect_leq(abs((three.x0 + three.x1) / 2 - (MAP_X + MAP_W / 2)), 1);
	cr_expect_leq(abs((three.y0 + three.y1) / 2 - (MAP_Y + MAP_H / 2)), 1);
	cr_expect_gt(count_rgb(f.s, &three, VMS_RENDER_TEXT), 40);
	f.ui.help_n = 6;
	draw(&f);
	struct bbox six = drawn_all(&f);
	cr_expect_eq((six.y1 - six.y0) - (three.y1 - three.y0), 3 * f.t.line_h);
	close_frame(&f);
}

/* A column of b holding at least n pixels of rgb. */
static bool has_column(const SDL_Surface *s, const struct bbox *b, uint32_t rgb, int n)
{
	for (int x = b->x0; x <= b->x1; x++) {
		int k = 0;
		for (int y = b->y0; y <= b->y1; y++)
			k += pixel(s, x, y) == rgb;
		if (k >= n)
			return true;
	}
	return false;
}

Test(view_panel, search_prompt_at_the_bottom_with_cursor_and_count, .init = setup)
{
	struct frame f;
	open_frame(&f, NULL);
	f.ui.search_typing = true;
	f.ui.search_text = "of_iomap";
	cr_assert_gt(vms_view_search(f.v, "o"), 9); /* two digits */
	draw(&f);
	assert_inside_map(&f);
	struct bbox b = drawn_all(&f);
	cr_expect_lt(b.x0, MAP_X + 20, "at the left");
	cr_expect_gt(b.y1, MAP_Y + MAP_H - 20, "at the bottom");
	cr_expect_lt(b.y1 - b.y0, 3 * f.t.line_h, "one line");
	cr_expect_gt(count_rgb(f.s, &b, VMS_RENDER_TEXT), 30);
	cr_expect(has_column(f.s, &b, VMS_RENDER_TEXT, f.t.line_h), "no cursor");
	/* fewer matches, fewer digits: a narrower box */
	vms_view_search(f.v, NULL);
	draw(&f);
	struct bbox none = drawn_all(&f);
	cr_expect_lt(none.x1 - none.x0, b.x1 - b.x0);
	/* closed: nothing */
	f.ui.search_typing = false;
	draw(&f);
	cr_expect_eq(drawn_all(&f).count, 0);
	close_frame(&f);
}

Test(view_panel, stderr_box_shows_its_last_lines, .init = setup)
{
	struct frame f;
	open_frame(&f, NULL);
	f.ui.source_stderr = "ssh: connect to host board port 22: No route to host\n";
	draw(&f);
	assert_inside_map(&f);
	struct bbox one = drawn_all(&f);
	cr_expect_lt(one.x0, MAP_X + 20);
	cr_expect_gt(one.y1, MAP_Y + MAP_H - 20);
	cr_expect_gt(count_rgb(f.s, &one, VMS_RENDER_TEXT), 30);
	f.ui.source_stderr = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
	draw(&f);
	struct bbox many = drawn_all(&f);
	/* the title and the last six lines: five rows more than one line */
	cr_expect_eq((many.y1 - many.y0) - (one.y1 - one.y0), 5 * f.t.line_h);
	close_frame(&f);
}

/* ---- without a font ---------------------------------------------------- */

Test(view_panel, without_a_font_only_boxes_are_drawn, .init = setup)
{
	static const char *const lines[] = {"Keys", "q  quit"};
	struct frame f;
	open_frame(&f, VMS_RENDER_NO_FONT);
	cr_assert_null(f.t.font);
	f.v->has_selected = true;
	f.v->selected = area_at(f.d, OF_IOMAP);
	f.ui.search_typing = true;
	f.ui.search_text = "x";
	f.ui.source_stderr = "error\n";
	f.ui.help = true;
	f.ui.help_lines = lines;
	f.ui.help_n = 2;
	draw(&f);
	assert_inside_map(&f);
	struct bbox b = drawn_all(&f);
	cr_expect_eq(count_rgb(f.s, &b, VMS_RENDER_TEXT), 0, "text without a font");
	cr_expect_eq(count_rgb(f.s, &b, 0xffffff), 0, "text without a font");
	/* the clear colour, box fills over it, borders, overlaps: no glyph
	 * antialiasing */
	cr_expect_leq(colours(f.s), 6, "%zu colours", colours(f.s));
	close_frame(&f);

	open_frame(&f, NULL);
	f.v->has_selected = true;
	f.v->selected = area_at(f.d, OF_IOMAP);
	draw(&f);
	cr_expect_gt(colours(f.s), 12, "text is antialiased");
	close_frame(&f);
}
