/*
 * test_view_model.c — the SDL-free view model (src/view/view_model.c):
 * zoom around the pointer, pan limits, hit-testing at area edges and in
 * guard pages, per-column level of detail against brute force, the
 * compressed axis on a sparse x86_64 dump, and fit-all, on real samples
 * and hand-built dumps.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "vmscope/aspace.h"
#include "vmscope/parse.h"
#include "vmscope/view.h"

#define ARM32  "samples/arm32-zynq-xilinx-4.4.0-vmallocinfo.txt"
#define X86_64 "samples/x86_64-qa-thread-vmallocinfo.txt"

struct loaded {
	struct vms_dump *d;
	struct vms_aspace *m;
	struct vms_view *v;
};

static struct loaded load(const char *path, uint32_t w, uint32_t h, uint32_t rh)
{
	struct loaded x = {0};
	cr_assert_eq(vms_parse_file(path, NULL, &x.d), 0, "cannot parse %s", path);
	x.m = vms_aspace_build(x.d, NULL);
	cr_assert(x.m->geometry && x.m->nr_order > 0);
	x.v = vms_view_new(x.m, w, h, rh);
	cr_assert_not_null(x.v);
	return x;
}

static struct loaded load_text(const char *text, uint32_t w, uint32_t h, uint32_t rh)
{
	struct loaded x = {0};
	cr_assert_eq(vms_parse_buffer(text, strlen(text), "hand", NULL, &x.d), 0);
	x.m = vms_aspace_build(x.d, NULL);
	x.v = vms_view_new(x.m, w, h, rh);
	cr_assert_not_null(x.v);
	return x;
}

static void done(struct loaded *x)
{
	vms_view_free(x->v);
	vms_aspace_free(x->m);
	vms_dump_free(x->d);
}

static const struct vms_area *area(const struct loaded *x, size_t k)
{
	return &x->d->areas.v[x->m->order[k]];
}

Test(view_model, fit_all_shows_every_area)
{
	struct loaded x = load(ARM32, 640, 400, 4);
	for (size_t k = 0; k < x.m->nr_order; k++) {
		uint32_t px, py;
		struct vms_view_hit h;
		cr_assert_eq(vms_view_pixel_of(x.v, area(&x, k)->start, &px, &py), 0);
		cr_assert_eq(vms_view_hit(x.v, px, py, &h), 0, "area %zu not hit", k);
		cr_assert_eq(vms_view_pixel_of(x.v, area(&x, k)->end - 1, &px, &py), 0);
	}
	uint64_t s, e;
	vms_view_range(x.v, &s, &e);
	cr_assert_eq(s, x.v->lo);
	cr_assert_eq(e, x.v->hi);
	done(&x);
}

Test(view_model, zoom_keeps_the_address_under_the_pointer)
{
	struct loaded x = load(ARM32, 800, 600, 3);
	static const uint32_t pts[][2] = {{400, 300}, {17, 451}, {799, 120}, {3, 3}};
	static const double f[] = {2.0, 7.5, 1000.0, 0.5, 3.0, 1e9};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		const uint32_t *p = pts[i % 4];
		uint64_t before, after;
		cr_assert_eq(vms_view_addr_at(x.v, p[0], p[1], &before), 0);
		uint64_t bpp = x.v->bpp;
		vms_view_zoom(x.v, f[i], p[0], p[1]);
		if (f[i] > 1)
			cr_assert(x.v->bpp < bpp || x.v->bpp == 1);
		cr_assert_eq(vms_view_addr_at(x.v, p[0], p[1], &after), 0);
		uint32_t qx, qy;
		cr_assert_eq(vms_view_pixel_of(x.v, before, &qx, &qy), 0);
		cr_assert_eq(qx, p[0], "zoom %g: x %u", f[i], qx);
		cr_assert_eq(qy, p[1] / 3 * 3);
		cr_assert_leq(after > before ? after - before : before - after, x.v->bpp);
	}
	cr_assert_eq(x.v->bpp, 1);
	done(&x);
}

Test(view_model, pan_stays_inside_the_space)
{
	struct loaded x = load(ARM32, 800, 600, 3);
	vms_view_pan(x.v, 0, 1000);
	cr_assert_eq(x.v->origin, 0, "fit-all cannot pan");
	vms_view_zoom(x.v, 64, 400, 300);
	vms_view_pan(x.v, INT64_MIN / 4, 0);
	cr_assert_eq(x.v->origin, 0);
	uint64_t s, e;
	vms_view_range(x.v, &s, &e);
	cr_assert_eq(s, x.v->lo);
	vms_view_pan(x.v, 0, INT64_MAX / 4);
	vms_view_range(x.v, &s, &e);
	cr_assert_eq(e, x.v->hi);
	cr_assert_eq(x.v->origin + (uint64_t)800 * 200 * x.v->bpp, x.v->len);
	uint64_t o = x.v->origin;
	vms_view_pan(x.v, -5, -1);
	cr_assert_eq(x.v->origin, o - (uint64_t)(800 + 5) * x.v->bpp);
	done(&x);
}

/* Two areas with guard pages and a hole, at one byte per pixel. */
Test(view_model, hit_testing_at_edges_and_guard_pages)
{
	struct loaded x =
	    load_text("0xf0000000-0xf0003000 12288 a+0x0/0x10 pages=2 vmalloc\n"
	              "0xf0005000-0xf0007000 8192 b+0x0/0x10 pages=1 vmalloc\n",
	              4096, 64, 1);
	vms_view_zoom(x.v, 1e12, 0, 0);
	cr_assert_eq(x.v->bpp, 1);
	cr_assert_eq(x.v->origin, 0);
	struct {
		uint64_t addr;
		int hit;
		size_t area;
		bool guard;
	} c[] = {
	    {0xf0000000, 0, 0, false},  {0xf0001fff, 0, 0, false},
	    {0xf0002000, 0, 0, true},   {0xf0002fff, 0, 0, true},
	    {0xf0003000, -1, 0, false}, {0xf0004fff, -1, 0, false},
	    {0xf0005000, 0, 1, false},  {0xf0006fff, 0, 1, true},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint32_t px, py;
		cr_assert_eq(vms_view_pixel_of(x.v, c[i].addr, &px, &py), 0);
		struct vms_view_hit h;
		int rc = vms_view_hit(x.v, px, py, &h);
		cr_assert_eq(rc < 0 ? -1 : 0, c[i].hit, "at %#llx",
		             (unsigned long long)c[i].addr);
		if (rc == 0) {
			cr_assert_eq(h.area, c[i].area);
			cr_assert_eq(h.guard, c[i].guard, "guard at %#llx",
			             (unsigned long long)c[i].addr);
		}
	}
	done(&x);
}

static void check_lod(struct loaded *x)
{
	struct vms_view *v = x->v;
	struct vms_view_cell *out = calloc(v->width, sizeof(*out));
	for (uint32_t r = 0; r < v->rows; r++) {
		uint64_t steps = v->steps;
		vms_view_row(v, r, out);
		size_t inrow = 0;
		for (uint32_t c = 0; c < v->width; c++) {
			uint64_t a0, a1 = a0 = 0, cov = 0, kb[VMS_NR_AKINDS] = {0};
			uint64_t top_bytes = 0;
			uint32_t top = VMS_VIEW_NO_AREA;
			if (out[c].span) {
				cr_assert_eq(vms_view_addr_at(v, c, r * v->row_h, &a0),
				             0);
				a1 = a0 + out[c].span;
			}
			for (size_t k = 0; k < x->m->nr_order; k++) {
				const struct vms_area *a = area(x, k);
				uint64_t s = a->start > a0 ? a->start : a0;
				uint64_t t = a->end < a1 ? a->end : a1;
				if (t > s) {
					cov += t - s;
					kb[x->m->kind[x->m->order[k]]] += t - s;
					if (t - s > top_bytes)
						top_bytes = t - s, top = x->m->order[k];
				}
				if (c == 0 && a->start < v->edges[v->width] &&
				    a->end > v->edges[0])
					inrow++;
			}
			cr_assert_eq(out[c].covered, cov, "row %u col %u", r, c);
			cr_assert_eq(out[c].top_bytes, top_bytes, "row %u col %u", r, c);
			cr_assert_eq(out[c].top, top, "row %u col %u", r, c);
			if (cov)
				cr_assert_eq(kb[out[c].kind] > 0, true);
			for (unsigned k = 0; cov && k < VMS_NR_AKINDS; k++)
				cr_assert_leq(kb[k], kb[out[c].kind]);
		}
		cr_assert_leq(v->steps - steps, inrow + 2, "row %u walked too much", r);
	}
	free(out);
}

Test(view_model, lod_coverage_matches_brute_force)
{
	struct loaded x = load(ARM32, 97, 60, 3);
	uint64_t total = 0;
	struct vms_view_cell *out = calloc(97, sizeof(*out));
	for (uint32_t r = 0; r < x.v->rows; r++) {
		vms_view_row(x.v, r, out);
		for (uint32_t c = 0; c < 97; c++)
			total += out[c].covered;
	}
	free(out);
	uint64_t want = 0;
	for (size_t k = 0; k < x.m->nr_order; k++)
		want += area(&x, k)->end - area(&x, k)->start;
	cr_assert_eq(total, want, "fit-all covers every byte once");
	check_lod(&x);
	vms_view_zoom(x.v, 50, 40, 31);
	check_lod(&x);
	done(&x);
}

Test(view_model, compressed_axis_shrinks_x86_64_holes)
{
	struct loaded x = load(X86_64, 1280, 800, 4);
	uint64_t plain = x.v->len, plain_bpp = x.v->bpp;
	vms_view_set_compressed(x.v, true, 0, 0);
	cr_assert_gt(x.v->cuts.n, 0);
	cr_assert_lt(x.v->len, plain / 100, "len %llu of %llu",
	             (unsigned long long)x.v->len, (unsigned long long)plain);
	cr_assert_lt(x.v->bpp, plain_bpp);
	uint64_t prev = 0;
	for (size_t k = 0; k < x.m->nr_order; k++) {
		const struct vms_area *a = area(&x, k);
		uint64_t p = vms_view_pos_of(x.v, a->start);
		cr_assert_eq(vms_view_addr_of(x.v, p), a->start, "area %zu", k);
		cr_assert_geq(p, prev);
		prev = p;
	}
	for (size_t i = 0; i < x.v->cuts.n; i++) {
		const struct vms_view_cut *c = &x.v->cuts.v[i];
		cr_assert_gt(c->end - c->start, x.v->threshold);
		cr_assert_eq(vms_view_pos_of(x.v, c->start), c->pos);
		cr_assert_eq(vms_view_pos_of(x.v, c->end), c->pos + x.v->cut_width);
		if (i)
			cr_assert_gt(c->pos, x.v->cuts.v[i - 1].pos);
	}
	check_lod(&x);
	vms_view_set_compressed(x.v, false, 0, 0);
	cr_assert_eq(x.v->cuts.n, 0);
	cr_assert_eq(x.v->len, plain);
	done(&x);
}

/* Brute-force count of trusted areas whose caller or module contains s. */
static size_t count_named(const struct loaded *x, const char *s)
{
	size_t n = 0;
	for (size_t k = 0; k < x->m->nr_order; k++) {
		const char *c = vms_area_caller(x->d, area(x, k));
		const char *mod = vms_area_module(x->d, area(x, k));
		n += (c && strstr(c, s)) || (mod && strstr(mod, s));
	}
	return n;
}

Test(view_model, search_by_caller_matches_a_brute_force_count)
{
	struct loaded x = load(ARM32, 640, 400, 4);
	static const char *const q[] = {"of_iomap", "devm_ioremap", "ioremap", "_",
	                                "no such"};
	for (size_t t = 0; t < sizeof(q) / sizeof(q[0]); t++) {
		size_t want = count_named(&x, q[t]);
		cr_assert_eq(vms_view_search(x.v, q[t]), want, "%s", q[t]);
		cr_assert_eq(x.v->matches.n, want);
		size_t flagged = 0;
		for (size_t i = 0; i < x.d->areas.n; i++)
			flagged += vms_view_is_match(x.v, i);
		cr_assert_eq(flagged, want, "%s: flags", q[t]);
		for (size_t j = 1; j < x.v->matches.n; j++)
			cr_assert_leq(x.d->areas.v[x.v->matches.v[j - 1]].start,
			              x.d->areas.v[x.v->matches.v[j]].start);
	}
	cr_assert_gt(count_named(&x, "of_iomap"), 0, "the sample has of_iomap areas");
	cr_assert_gt(count_named(&x, "devm_ioremap"), 0);
	cr_assert_eq(vms_view_search(x.v, ""), 0);
	cr_assert_eq(x.v->matches.n, 0);
	cr_assert_not(vms_view_is_match(x.v, x.m->order[0]));
	cr_assert_eq(vms_view_search_next(x.v, 0), -1);
	done(&x);
}

Test(view_model, search_next_walks_the_matches_and_wraps)
{
	struct loaded x = load(ARM32, 640, 400, 4);
	size_t n = vms_view_search(x.v, "of_iomap");
	cr_assert_geq(n, 2);
	const struct vms_area *a = x.d->areas.v;
	ptrdiff_t i = vms_view_search_next(x.v, 0);
	cr_assert_eq(i, (ptrdiff_t)x.v->matches.v[0]);
	for (size_t j = 1; j < n; j++) {
		i = vms_view_search_next(x.v, a[i].start + 1);
		cr_assert_eq(i, (ptrdiff_t)x.v->matches.v[j]);
	}
	i = vms_view_search_next(x.v, a[i].start + 1);
	cr_assert_eq(i, (ptrdiff_t)x.v->matches.v[0], "wraps to the first");
	cr_assert_eq(vms_view_search_next(x.v, UINT64_MAX), (ptrdiff_t)x.v->matches.v[0]);
	done(&x);
}

Test(view_model, select_at_an_area_and_clear_on_a_hole)
{
	struct loaded x =
	    load_text("0xf0000000-0xf0003000 12288 a+0x0/0x10 pages=2 vmalloc\n"
	              "0xf0005000-0xf0007000 8192 b+0x0/0x10 pages=1 vmalloc\n",
	              4096, 64, 1);
	vms_view_zoom(x.v, 1e12, 0, 0);
	cr_assert_eq(vms_view_selected(x.v), -1);
	uint32_t px, py;
	cr_assert_eq(vms_view_pixel_of(x.v, 0xf0005800, &px, &py), 0);
	cr_assert_eq(vms_view_select_at(x.v, px, py), 0);
	cr_assert_eq(vms_view_selected(x.v), 1);
	cr_assert_eq(vms_view_pixel_of(x.v, 0xf0004000, &px, &py), 0);
	cr_assert_lt(vms_view_select_at(x.v, px, py), 0);
	cr_assert_eq(vms_view_selected(x.v), -1, "a hole clears the selection");
	done(&x);
}

Test(view_model, center_on_puts_the_address_on_screen)
{
	struct loaded x = load(ARM32, 800, 600, 3);
	vms_view_zoom(x.v, 1e6, 0, 0);
	uint64_t bpp = x.v->bpp;
	size_t last = x.m->nr_order - 1;
	uint64_t targets[] = {area(&x, last)->start, area(&x, last / 2)->end - 1,
	                      area(&x, 0)->start, x.v->lo, x.v->hi - 1};
	for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
		uint32_t px, py;
		cr_assert_eq(vms_view_center_on(x.v, targets[t]), 0);
		cr_assert_eq(vms_view_pixel_of(x.v, targets[t], &px, &py), 0, "%#llx",
		             (unsigned long long)targets[t]);
		cr_assert_eq(x.v->bpp, bpp);
	}
	/* Away from the edges the address lands in the middle row. */
	uint64_t mid = x.v->lo + (x.v->hi - x.v->lo) / 2;
	uint32_t px, py;
	cr_assert_eq(vms_view_center_on(x.v, mid), 0);
	cr_assert_eq(vms_view_pixel_of(x.v, mid, &px, &py), 0);
	cr_assert_eq(py / x.v->row_h, x.v->rows / 2);
	uint64_t o = x.v->origin;
	cr_assert_lt(vms_view_center_on(x.v, x.v->hi), 0);
	cr_assert_eq(x.v->origin, o);
	done(&x);
}

/* old: a kept, b freed, c resized, e's caller changed; new lists the
 * areas in another order so dump indices differ from address order. */
Test(view_model, live_diff_of_two_hand_built_dumps)
{
	struct loaded o =
	    load_text("0xf0000000-0xf0002000 8192 a+0x0/0x10 pages=1 vmalloc\n"
	              "0xf0004000-0xf0006000 8192 b+0x0/0x10 pages=1 vmalloc\n"
	              "0xf0008000-0xf000a000 8192 c+0x0/0x10 pages=1 vmalloc\n"
	              "0xf000c000-0xf000e000 8192 e+0x0/0x10 pages=1 vmalloc\n",
	              640, 400, 4);
	struct loaded n =
	    load_text("0xf0010000-0xf0012000 8192 d+0x0/0x10 pages=1 vmalloc\n"
	              "0xf0008000-0xf000b000 12288 c+0x0/0x10 pages=2 vmalloc\n"
	              "0xf0000000-0xf0002000 8192 a+0x0/0x10 pages=1 vmalloc\n"
	              "0xf000c000-0xf000e000 8192 f+0x0/0x10 pages=1 vmalloc\n",
	              640, 400, 4);
	cr_assert_eq(o.m->nr_order, 4);
	cr_assert_eq(n.m->nr_order, 4);
	struct vms_view_diff df;
	vms_view_diff_build(o.m, n.m, &df);
	static const size_t freed[] = {1, 2, 3}, added[] = {1, 3, 0};
	cr_assert_eq(df.freed.n, 3);
	cr_assert_eq(df.added.n, 3);
	for (size_t i = 0; i < 3; i++) {
		cr_assert_eq(df.freed.v[i], freed[i], "freed[%zu]", i);
		cr_assert_eq(df.added.v[i], added[i], "added[%zu]", i);
	}
	vms_view_diff_free(&df);
	cr_assert_eq(df.added.n, 0);
	vms_view_diff_build(n.m, n.m, &df);
	cr_assert_eq(df.added.n + df.freed.n, 0, "a snapshot equals itself");
	vms_view_diff_free(&df);
	vms_view_diff_free(NULL);
	done(&o);
	done(&n);
}

Test(view_model, show_range_fills_the_screen_with_the_range)
{
	struct loaded x = load(ARM32, 640, 400, 4);
	const struct vms_area *a = area(&x, x.m->nr_order / 2);
	cr_assert_eq(vms_view_show_range(x.v, a->start, a->end), 0);
	uint64_t s, e, n = a->end - a->start, cells = 640ull * 100;
	vms_view_range(x.v, &s, &e);
	cr_assert_eq(s, a->start, "the range starts at the top-left pixel");
	cr_assert_geq(e, a->end, "the whole range is on screen");
	uint64_t want = n / cells + (n % cells != 0);
	cr_assert_eq(x.v->bpp, want ? want : 1, "the smallest bpp");
	/* A range past the space leaves the view as it was. */
	uint64_t bpp = x.v->bpp, origin = x.v->origin;
	cr_assert_eq(vms_view_show_range(x.v, x.v->hi, x.v->hi + 4096), -VMS_ERANGE);
	cr_assert_eq(x.v->bpp, bpp);
	cr_assert_eq(x.v->origin, origin);
	/* The whole space is fit-all. */
	cr_assert_eq(vms_view_show_range(x.v, 0, UINT64_MAX), 0);
	cr_assert_eq(x.v->bpp, vms_view_fit_bpp(x.v));
	cr_assert_eq(x.v->origin, 0);
	done(&x);
}

Test(view_model, follow_keeps_a_refreshed_view_where_it_was)
{
	struct loaded x = load(X86_64, 800, 600, 4);
	struct loaded y = load(X86_64, 800, 600, 4);
	vms_view_set_compressed(x.v, true, 0, 0);
	const struct vms_area *a = area(&x, x.m->nr_order / 3);
	vms_view_zoom(x.v, 64, 400, 300);
	cr_assert_eq(vms_view_center_on(x.v, a->start), 0);
	vms_view_follow(y.v, x.v);
	cr_assert(y.v->compressed);
	cr_assert_eq(y.v->cuts.n, x.v->cuts.n);
	cr_assert_eq(y.v->bpp, x.v->bpp);
	cr_assert_eq(y.v->origin, x.v->origin);
	uint32_t px, py, qx, qy;
	cr_assert_eq(vms_view_pixel_of(x.v, a->start, &px, &py), 0);
	cr_assert_eq(vms_view_pixel_of(y.v, a->start, &qx, &qy), 0);
	cr_assert_eq(px, qx);
	cr_assert_eq(py, qy);
	done(&x);
	done(&y);
}

Test(view_model, focus_on_a_region_or_a_range)
{
	struct loaded x = load(ARM32, 640, 400, 4);
	const struct vms_region *vm = vms_aspace_vmalloc(x.m);
	cr_assert_not_null(vm);
	char why[512] = "";
	uint64_t s, e;
	cr_assert_eq(vms_view_focus(x.v, "VMALLOC", why, sizeof(why)), 0, "%s", why);
	vms_view_range(x.v, &s, &e);
	cr_assert_eq(s, vm->start > x.v->lo ? vm->start : x.v->lo);
	cr_assert_geq(e, vm->end < x.v->hi ? vm->end : x.v->hi);
	cr_assert_eq(vms_view_focus(x.v, "0xd0800000-d0802000", why, sizeof(why)), 0,
	             "%s", why);
	vms_view_range(x.v, &s, &e);
	cr_assert_eq(s, 0xd0800000);
	cr_assert_eq(x.v->bpp, 1, "8 KiB fits in 64000 pixels at a byte each");
	uint64_t bpp = x.v->bpp, origin = x.v->origin;
	cr_assert_eq(vms_view_focus(x.v, "nonesuch", why, sizeof(why)), -VMS_EINVAL);
	cr_assert(strstr(why, "no region 'nonesuch' (regions:"), "%s", why);
	cr_assert(strstr(why, vm->name), "the regions are named: %s", why);
	cr_assert_eq(vms_view_focus(x.v, "0x2000-0x1000", why, sizeof(why)), -VMS_EINVAL);
	cr_assert_eq(vms_view_focus(x.v, "0x10-0x20", why, sizeof(why)), -VMS_ERANGE);
	cr_assert(strstr(why, "outside the space"), "%s", why);
	cr_assert_eq(x.v->bpp, bpp, "a failed focus leaves the view");
	cr_assert_eq(x.v->origin, origin);
	const struct vms_region *r[9];
	size_t n = vms_view_jump_regions(x.v, r, 9);
	cr_assert_geq(n, 1);
	for (size_t i = 1; i < n; i++)
		cr_assert_geq(r[i]->start, r[i - 1]->start, "address order");
	done(&x);
}

Test(view_model, sparse_spaces_start_compressed)
{
	struct loaded x = load(X86_64, 800, 600, 4);
	struct loaded y = load(ARM32, 800, 600, 4);
	cr_assert(vms_view_auto_compress(x.v), "x86_64: terabytes holding megabytes");
	cr_assert(x.v->compressed);
	cr_assert_gt(x.v->cuts.n, 0);
	cr_assert_not(vms_view_auto_compress(y.v), "arm32: a dense gigabyte");
	cr_assert_not(y.v->compressed);
	done(&x);
	done(&y);
}

Test(view_model, an_area_holding_another_is_drawn_and_hit_to_its_end)
{
	/* a broken dump: a 1 MiB area holding a 64 KiB one; the rows after
	 * the inner one ends are still the outer one's */
	struct loaded x =
	    load_text("0xd0900000-0xd0a00000 1048576 outer+0x10/0x20 pages=255 vmalloc\n"
	              "0xd0950000-0xd0960000   65536 inner+0x1/0x2 ioremap\n"
	              "0xd0a00000-0xd0a02000    8192 after+0x1/0x2 pages=1 vmalloc\n",
	              64, 64, 1);
	cr_assert_eq(x.v->longs.n, 1, "the outer area overlaps its successor");
	vms_view_show_range(x.v, 0xd0900000, 0xd0a02000);
	struct vms_view_cell out[64];
	uint64_t covered = 0;
	for (uint32_t r = 0; r < x.v->rows; r++) {
		vms_view_row(x.v, r, out);
		for (int c = 0; c < 64; c++) {
			uint64_t a;
			if (!out[c].span ||
			    vms_view_addr_at(x.v, (uint32_t)c, r, &a) != 0)
				continue;
			covered += out[c].covered;
			cr_assert_leq(out[c].covered, out[c].span);
			if (a >= 0xd0960000 && a + out[c].span <= 0xd0a00000) {
				cr_assert_eq(out[c].covered, out[c].span,
				             "0x%llx: the outer area goes on",
				             (unsigned long long)a);
				struct vms_view_hit h;
				cr_assert_eq(vms_view_hit(x.v, (uint32_t)c, r, &h), 0);
				cr_assert_eq(h.area, 0, "the outer area is under 0x%llx",
				             (unsigned long long)a);
			}
		}
	}
	cr_assert_eq(covered, 0xd0a02000 - 0xd0900000, "every byte counted once");
	done(&x);
}
