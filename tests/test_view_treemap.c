/*
 * test_view_treemap.c — the treemap shown for dumps without addresses:
 * its layout (src/view/view_treemap.c) checked cell by cell against brute
 * force on the hashed x86_64 sample and on built dumps (every area once,
 * exact tiling counted pixel by pixel, areas proportional within
 * rounding, bounded aspect ratios, hit-testing, the "other" cell,
 * degenerate sizes, a million areas), and its drawing
 * (src/view/view_treemap_draw.c) headless on a software renderer.
 */
#include <criterion/criterion.h>
#include <SDL.h>
#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "vmscope/aspace.h"
#include "vmscope/parse.h"
#include "vmscope/view_treemap.h"
#include "view_int.h"

#define HASHED "samples/x86_64-rhcos-4.18.0-80-hashed-vmallocinfo.txt"

struct model {
	struct vms_dump *d;
	struct vms_aspace *m;
};

static struct model load(const char *path)
{
	struct model l = {0};
	cr_assert_eq(vms_parse_file(path, NULL, &l.d), 0);
	l.m = vms_aspace_build(l.d, NULL);
	return l;
}

static void unload(struct model *l)
{
	vms_aspace_free(l->m);
	vms_dump_free(l->d);
}

/* A built dump with zeroed addresses (as under kptr_restrict=2). */
static struct vms_dump *new_built(void)
{
	return vms_dump_new("built");
}

static void add_mod(struct vms_dump *d, const char *caller, const char *module,
                    uint64_t size, uint16_t flags)
{
	struct vms_area a = {.size = size, .flags = flags};
	if (caller)
		a.caller = vms_dump_intern(d, caller, strlen(caller));
	if (module)
		a.module = vms_dump_intern(d, module, strlen(module));
	struct vms_area_src src = {.line = (uint32_t)d->areas.n + 1,
	                           .last_line = (uint32_t)d->areas.n + 1,
	                           .col = 1,
	                           .w_start = 16,
	                           .w_end = 16};
	vms_dump_add_area(d, &a, &src, NULL, 0);
}

static void add(struct vms_dump *d, const char *caller, uint64_t size, uint16_t flags)
{
	add_mod(d, caller, NULL, size, flags);
}

static struct model built(struct vms_dump *d)
{
	vms_dump_infer(d, NULL);
	return (struct model){d, vms_aspace_build(d, NULL)};
}

/* ---- The invariants, by brute force -------------------------------------- */

static bool inside(const struct vms_treemap_cell *c, const struct vms_treemap_cell *p)
{
	return c->x >= p->x && c->y >= p->y && c->x + c->w <= p->x + p->w &&
	       c->y + c->h <= p->y + p->h;
}

/* |w*h - bytes * pixels / total| <= w + h + 1 (each edge within half a
 * pixel of the exact layout, view_treemap.h), plus float slack. */
static void check_share(const struct vms_treemap_cell *c, double pixels, double total)
{
	double exact = total > 0 ? (double)c->bytes * pixels / total : 0;
	double got = (double)c->w * c->h;
	cr_assert_leq(fabs(got - exact), c->w + c->h + 1 + 1e-9 * pixels,
	              "cell %s (%u x %u) has %.0f px, its share is %.1f",
	              c->caller ? c->caller : "(frame/other)", c->w, c->h, got, exact);
}

/* Per kind: the model's bytes and areas equal the frame's and the sum of
 * its caller cells'; every area counted once; kinds and callers sorted. */
static void check_counts(const struct vms_treemap *t, const struct vms_aspace *m)
{
	uint64_t bytes[VMS_NR_AKINDS] = {0}, areas[VMS_NR_AKINDS] = {0}, total = 0;
	for (size_t i = 0; i < m->dump->areas.n; i++) {
		bytes[m->kind[i]] += m->dump->areas.v[i].size;
		areas[m->kind[i]]++;
		total += m->dump->areas.v[i].size;
	}
	cr_assert_eq(t->areas, m->dump->areas.n);
	cr_assert_eq(t->bytes, total);
	size_t frames = 0, k = 0;
	uint64_t prev = UINT64_MAX;
	for (size_t f = 0; f < t->n; f += 1 + t->cells[f].nr, frames++) {
		const struct vms_treemap_cell *fr = &t->cells[f];
		cr_assert(fr->frame);
		cr_assert_eq(fr->parent, f);
		cr_assert_eq(fr->first, f + 1);
		cr_assert_leq(fr->bytes, prev, "kinds by bytes descending");
		prev = fr->bytes;
		cr_assert_eq(fr->bytes, bytes[fr->kind], "kind %s",
		             vms_akind_name(fr->kind));
		cr_assert_eq(fr->areas, areas[fr->kind]);
		uint64_t b = 0, a = 0, cprev = UINT64_MAX;
		uint32_t callers = 0;
		for (size_t i = fr->first; i < fr->first + fr->nr; i++) {
			const struct vms_treemap_cell *c = &t->cells[i];
			cr_assert_not(c->frame);
			cr_assert_eq(c->parent, f);
			cr_assert_eq(c->kind, fr->kind);
			cr_assert_eq(c->other, c->caller == NULL);
			cr_assert_leq(c->bytes, cprev, "callers by bytes descending");
			cprev = c->bytes;
			b += c->bytes;
			a += c->areas;
			callers += c->callers;
			k++;
		}
		cr_assert_eq(b, fr->bytes);
		cr_assert_eq(a, fr->areas);
		cr_assert_eq(callers, fr->callers);
		areas[fr->kind] = 0; /* each kind once */
	}
	cr_assert_eq(frames, t->nr_frames);
	cr_assert_eq(frames + k, t->n);
	for (unsigned i = 0; i < VMS_NR_AKINDS; i++)
		cr_assert_eq(areas[i], 0, "kind %s has areas but no frame",
		             vms_akind_name(i));
}

/*
 * Paints every caller cell into a grid of owners, asserting no pixel is
 * painted twice; then each frame's pixels are all its own cells' (exact
 * cover), cells lie inside their frame, every pixel of [0,w)x[0,h) is
 * covered when any byte is, and shares are proportional. Returns the grid
 * (cell index + 1 per pixel, 0 uncovered); free().
 */
static uint32_t *check_tiling(const struct vms_treemap *t)
{
	uint32_t *own = calloc((size_t)t->w * t->h, sizeof(*own));
	cr_assert_not_null(own);
	double all = (double)t->w * t->h;
	for (size_t f = 0; f < t->n; f += 1 + t->cells[f].nr) {
		const struct vms_treemap_cell *fr = &t->cells[f];
		check_share(fr, all, (double)t->bytes);
		double px = (double)fr->w * fr->h;
		for (size_t i = fr->first; i < fr->first + fr->nr; i++) {
			const struct vms_treemap_cell *c = &t->cells[i];
			check_share(c, px, (double)fr->bytes);
			if (!c->w || !c->h)
				continue;
			cr_assert(inside(c, fr), "cell %zu outside its frame", i);
			for (uint32_t y = c->y; y < c->y + c->h; y++)
				for (uint32_t x = c->x; x < c->x + c->w; x++) {
					uint32_t *o = &own[(size_t)y * t->w + x];
					cr_assert_eq(*o, 0,
					             "(%u, %u) in cells %u and %zu", x, y,
					             *o - 1, i);
					*o = (uint32_t)i + 1;
				}
		}
		for (uint32_t y = fr->y; y < fr->y + fr->h; y++)
			for (uint32_t x = fr->x; x < fr->x + fr->w; x++) {
				uint32_t o = own[(size_t)y * t->w + x];
				cr_assert(
				    o && t->cells[o - 1].parent == f,
				    "(%u, %u) of frame %zu not covered by its cells", x,
				    y, f);
			}
	}
	size_t covered = 0;
	for (size_t p = 0; p < (size_t)t->w * t->h; p++)
		covered += own[p] != 0;
	cr_assert_eq(covered, t->bytes ? (size_t)t->w * t->h : 0);
	return own;
}

/* Distinct (kind, caller, module, label) groups, by brute force. */
static size_t count_groups(const struct vms_aspace *m)
{
	const struct vms_dump *d = m->dump;
	size_t n = 0;
	uint64_t(*seen)[2] = calloc(d->areas.n + 1, sizeof(*seen));
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		uint64_t k0 = (uint64_t)m->kind[i] << 8 | (a->caller ? 0 : a->kind);
		uint64_t k1 = (uint64_t)a->caller << 32 | a->module;
		size_t j = 0;
		while (j < n && (seen[j][0] != k0 || seen[j][1] != k1))
			j++;
		if (j == n) {
			seen[n][0] = k0;
			seen[n++][1] = k1;
		}
	}
	free(seen);
	return n;
}

static void check_all(const struct vms_treemap *t, const struct vms_aspace *m)
{
	check_counts(t, m);
	free(check_tiling(t));
}

/* ---- Layout ---------------------------------------------------------------- */

Test(view_treemap, hashed_sample_counts_every_area_once_and_tiles_exactly)
{
	struct model l = load(HASHED);
	cr_assert_not(l.m->geometry);
	cr_assert_eq(l.d->areas.n, 616);
	struct vms_treemap t;
	cr_assert_eq(vms_treemap_build(l.m, 900, 600, &t), 0);
	cr_assert_eq(t.w, 900);
	cr_assert_eq(t.nr_frames, 7); /* the report's seven kinds */
	check_counts(&t, l.m);
	uint32_t *own = check_tiling(&t);
	/* every caller is in a cell: its own or an "other" */
	uint32_t callers = 0;
	for (size_t i = 0; i < t.n; i++)
		callers += t.cells[i].frame ? 0 : t.cells[i].callers;
	cr_assert_eq(callers, count_groups(l.m));
	/* the biggest caller (report: netvsc_device_add [hv_netvsc], 17 MiB
	 * of 68) is a named cell of vmalloc with its module */
	bool seen = false;
	for (size_t i = 0; i < t.n; i++)
		if (t.cells[i].caller &&
		    !strcmp(t.cells[i].caller, "netvsc_device_add")) {
			cr_assert_str_eq(t.cells[i].module, "hv_netvsc");
			cr_assert_eq(t.cells[i].areas, 3);
			seen = true;
		}
	cr_assert(seen);
	free(own);
	vms_treemap_free(&t);
	cr_assert_null(t.cells);
	unload(&l);
}

Test(view_treemap, hit_returns_the_cell_holding_each_pixel)
{
	struct model l = load(HASHED);
	struct vms_treemap t;
	cr_assert_eq(vms_treemap_build(l.m, 640, 400, &t), 0);
	uint32_t *own = check_tiling(&t);
	for (uint32_t y = 0; y < t.h; y++)
		for (uint32_t x = 0; x < t.w; x++)
			cr_assert_eq(vms_treemap_hit(&t, x, y),
			             (ptrdiff_t)own[(size_t)y * t.w + x] - 1, "(%u, %u)",
			             x, y);
	cr_assert_eq(vms_treemap_hit(&t, 640, 0), -1);
	cr_assert_eq(vms_treemap_hit(&t, 0, 400), -1);
	cr_assert_eq(vms_treemap_hit(&t, UINT32_MAX, UINT32_MAX), -1);
	free(own);
	vms_treemap_free(&t);
	unload(&l);
}

/* Squarified cells of a good share stay near square: a caller cell of at
 * least 1/50 of the map is at most 3:1, or as long as its frame when the
 * frame is longer; a kind of that share at most 3:1 in a 4:3 map. (Small
 * cells are not bounded: squarifying guarantees no ratio, and a big
 * caller can leave a thin strip to the small ones, as hvfb_probe leaves
 * 8 px of its 331 to acpi_os_map_iomem here.) */
static double aspect(const struct vms_treemap_cell *c)
{
	double a = (double)c->w / c->h;
	return a >= 1 ? a : 1 / a;
}

Test(view_treemap, big_cells_are_near_square)
{
	struct model l = load(HASHED);
	struct vms_treemap t;
	cr_assert_eq(vms_treemap_build(l.m, 800, 600, &t), 0);
	size_t big = 0;
	for (size_t i = 0; i < t.n; i++) {
		const struct vms_treemap_cell *c = &t.cells[i];
		const struct vms_treemap_cell *fr = &t.cells[c->parent];
		if (c->frame) {
			if ((double)c->w * c->h * 50 >= 800.0 * 600)
				cr_assert_leq(aspect(c), 3.0, "frame %s %u x %u",
				              vms_akind_name(c->kind), c->w, c->h);
			continue;
		}
		if ((double)c->w * c->h * 50 < 800.0 * 600)
			continue;
		big++;
		cr_assert_leq(aspect(c), fmax(3.0, aspect(fr)), "%s %u x %u in %u x %u",
		              c->caller ? c->caller : "other", c->w, c->h, fr->w, fr->h);
	}
	cr_assert_geq(big, 7);
	vms_treemap_free(&t);
	unload(&l);
}

Test(view_treemap, layout_is_deterministic_with_ties_by_name)
{
	struct vms_dump *d = new_built();
	/* equal bytes, added in reverse order of name */
	add(d, "zeta", 0x4000, VMS_F_VMALLOC);
	add(d, "beta", 0x4000, VMS_F_VMALLOC);
	add(d, "alpha", 0x4000, VMS_F_VMALLOC);
	add_mod(d, "alpha", "mod", 0x4000, VMS_F_VMALLOC);
	struct model l = built(d);
	struct vms_treemap t, u;
	cr_assert_eq(vms_treemap_build(l.m, 300, 200, &t), 0);
	cr_assert_eq(vms_treemap_build(l.m, 300, 200, &u), 0);
	check_all(&t, l.m);
	cr_assert_eq(t.n, 5);
	const char *want[] = {"alpha", "alpha", "beta", "zeta"};
	for (size_t i = 0; i < 4; i++)
		cr_assert_str_eq(t.cells[1 + i].caller, want[i]);
	cr_assert_null(t.cells[1].module, "no module sorts first");
	cr_assert_str_eq(t.cells[2].module, "mod");
	cr_assert_eq(memcmp(t.cells, u.cells, t.n * sizeof(*t.cells)), 0);
	vms_treemap_free(&t);
	vms_treemap_free(&u);
	unload(&l);
}

Test(view_treemap, lines_without_a_caller_get_their_label)
{
	struct vms_dump *d = new_built();
	add(d, NULL, 0x2000, VMS_F_VMALLOC);
	add(d, "vmalloc_caller", 0x8000, VMS_F_VMALLOC);
	struct model l = built(d);
	struct vms_treemap t;
	cr_assert_eq(vms_treemap_build(l.m, 200, 200, &t), 0);
	check_all(&t, l.m);
	cr_assert_eq(t.n, 3);
	cr_assert_str_eq(t.cells[1].caller, "vmalloc_caller");
	cr_assert_str_eq(t.cells[2].caller, "[no caller]");
	cr_assert_eq(t.cells[2].caller_id, 0);
	vms_treemap_free(&t);
	unload(&l);
}

/* The other cell of frame fr, or NULL; *kept gets the named cells, each
 * asserted at least MIN_CELL wide both ways and no smaller than a merged
 * caller could be. */
static const struct vms_treemap_cell *
other_of(const struct vms_treemap *t, const struct vms_treemap_cell *fr, size_t *kept)
{
	const struct vms_treemap_cell *other = NULL;
	*kept = 0;
	for (size_t i = fr->first; i < fr->first + fr->nr; i++) {
		const struct vms_treemap_cell *c = &t->cells[i];
		if (c->other) {
			cr_assert_null(other, "one other cell per kind");
			cr_assert_geq(c->callers, 2, "never a lone caller in other");
			other = c;
			continue;
		}
		++*kept;
		cr_assert_geq(c->w, VMS_TREEMAP_MIN_CELL, "%s %u x %u", c->caller, c->w,
		              c->h);
		cr_assert_geq(c->h, VMS_TREEMAP_MIN_CELL, "%s %u x %u", c->caller, c->w,
		              c->h);
	}
	return other;
}

/* A caller of 99.25% of a 400 x 300 map leaves a 3-px strip: five callers
 * of 0.15% (240 px each, enough for 4 x 4) come out 3 x 60 in it, so a
 * second layout pass merges them into one "other" cell. */
Test(view_treemap, callers_laid_out_thin_are_merged_on_a_second_pass)
{
	struct vms_dump *d = new_built();
	add(d, "big", 1985 * 4096ull, VMS_F_VMALLOC);
	char name[32];
	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "small_%d", i);
		add(d, name, 3 * 4096ull, VMS_F_VMALLOC);
	}
	struct model l = built(d);
	struct vms_treemap t;
	cr_assert_eq(vms_treemap_build(l.m, 400, 300, &t), 0);
	check_all(&t, l.m);
	cr_assert_eq(t.passes, 2, "the merge pass ran");
	size_t kept;
	const struct vms_treemap_cell *other = other_of(&t, &t.cells[0], &kept);
	cr_assert_not_null(other);
	cr_assert_eq(kept, 1);
	cr_assert_eq(other->callers, 5);
	cr_assert_eq(other->bytes, 5 * 3 * 4096ull);
	cr_assert_eq(other->areas, 5);
	cr_assert_eq(other->w * other->h, 3 * 300);
	vms_treemap_free(&t);
	unload(&l);
}

/* One big caller and 5,000 of a page each in a 400 x 300 map: each small
 * one's share (about 1.8 px) is under 4 x 4, so they go to "other" before
 * any layout, in one pass; callers of 64 pages (116 px) stay apart. */
Test(view_treemap, callers_under_a_min_cell_of_pixels_are_merged_at_once)
{
	struct vms_dump *d = new_built();
	add(d, "big", 60000 * 4096ull, VMS_F_VMALLOC);
	char name[32];
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "medium_%02d", i);
		add(d, name, 64 * 4096ull, VMS_F_VMALLOC);
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "small_%04d", i);
		add(d, name, 4096, VMS_F_VMALLOC);
	}
	struct model l = built(d);
	struct vms_treemap t;
	cr_assert_eq(vms_treemap_build(l.m, 400, 300, &t), 0);
	check_all(&t, l.m);
	cr_assert_eq(t.passes, 1);
	size_t kept;
	const struct vms_treemap_cell *other = other_of(&t, &t.cells[0], &kept);
	cr_assert_not_null(other);
	cr_assert_eq(kept, 21);
	cr_assert_eq(other->callers, 5000);
	cr_assert_eq(other->bytes, 5000 * 4096ull);
	vms_treemap_free(&t);
	unload(&l);
}

/* A 1-px strip: nothing is 4 px thick, so each kind is one cell, "other"
 * when it has several callers; the tiling still holds. */
Test(view_treemap, one_pixel_strips_merge_each_kind_into_one_cell)
{
	struct model l = load(HASHED);
	const uint32_t size[][2] = {{1, 300}, {500, 1}, {1, 1}};
	for (size_t s = 0; s < 3; s++) {
		struct vms_treemap t;
		cr_assert_eq(vms_treemap_build(l.m, size[s][0], size[s][1], &t), 0);
		check_all(&t, l.m);
		for (size_t f = 0; f < t.n; f += 1 + t.cells[f].nr) {
			const struct vms_treemap_cell *fr = &t.cells[f];
			cr_assert_eq(fr->nr, 1, "%s in %ux%u", vms_akind_name(fr->kind),
			             size[s][0], size[s][1]);
			cr_assert_eq(t.cells[f + 1].other, fr->callers > 1);
		}
		vms_treemap_free(&t);
	}
	unload(&l);
}

Test(view_treemap, degenerate_dumps_and_sizes)
{
	struct vms_treemap t;
	/* no area: no cell, no hit */
	struct model l = built(new_built());
	cr_assert_eq(vms_treemap_build(l.m, 100, 100, &t), 0);
	cr_assert_eq(t.n, 0);
	cr_assert_eq(vms_treemap_hit(&t, 5, 5), -1);
	vms_treemap_free(&t);
	/* no pixel: refused */
	cr_assert_eq(vms_treemap_build(l.m, 0, 100, &t), -VMS_EINVAL);
	cr_assert_eq(vms_treemap_build(l.m, 100, 0, &t), -VMS_EINVAL);
	cr_assert_null(t.cells);
	vms_treemap_free(NULL);
	unload(&l);

	/* one area: frame and cell are the whole map */
	struct vms_dump *d = new_built();
	add(d, "only", 0x3000, VMS_F_VMALLOC);
	l = built(d);
	cr_assert_eq(vms_treemap_build(l.m, 123, 45, &t), 0);
	check_all(&t, l.m);
	cr_assert_eq(t.n, 2);
	for (size_t i = 0; i < 2; i++)
		cr_assert(t.cells[i].x == 0 && t.cells[i].y == 0 && t.cells[i].w == 123 &&
		          t.cells[i].h == 45);
	cr_assert_eq(vms_treemap_hit(&t, 122, 44), 1);
	vms_treemap_free(&t);
	unload(&l);

	/* all areas of one caller: one cell with all of them */
	d = new_built();
	for (int i = 0; i < 50; i++)
		add(d, "same", (uint64_t)0x1000 * (1 + i), VMS_F_VMALLOC);
	l = built(d);
	cr_assert_eq(vms_treemap_build(l.m, 64, 64, &t), 0);
	check_all(&t, l.m);
	cr_assert_eq(t.n, 2);
	cr_assert_eq(t.cells[1].areas, 50);
	cr_assert_eq(t.cells[1].w * t.cells[1].h, 64 * 64);
	vms_treemap_free(&t);
	unload(&l);
}

Test(view_treemap, zero_byte_areas_are_counted_in_empty_cells)
{
	struct vms_dump *d = new_built();
	add(d, "sized", 0x4000, VMS_F_VMALLOC);
	add(d, "empty", 0, VMS_F_VMALLOC);
	add(d, "empty_io", 0, VMS_F_IOREMAP);
	struct model l = built(d);
	struct vms_treemap t;
	cr_assert_eq(vms_treemap_build(l.m, 50, 40, &t), 0);
	check_all(&t, l.m);
	cr_assert_eq(t.areas, 3);
	bool empty_io = false;
	for (size_t i = 0; i < t.n; i++)
		if (t.cells[i].kind == VMS_AK_IOREMAP) {
			cr_assert_eq(t.cells[i].w * t.cells[i].h, 0);
			cr_assert_eq(t.cells[i].areas, 1);
			empty_io = true;
		}
	cr_assert(empty_io);
	vms_treemap_free(&t);
	unload(&l);
}

/* A million areas of 20,000 callers in four kinds: the build finishes,
 * counts every area and byte, tiles exactly, and keeps the cells at most
 * one per MIN_CELL^2 pixels (plus one "other" per kind). */
Test(view_treemap, a_million_areas_build, .timeout = 120)
{
	struct vms_dump *d = new_built();
	const uint16_t flags[] = {VMS_F_VMALLOC, VMS_F_IOREMAP, VMS_F_VMAP, VMS_F_USER};
	char name[32];
	uint32_t ids[20000];
	for (int i = 0; i < 20000; i++) {
		int n = snprintf(name, sizeof(name), "caller_%05d", i);
		ids[i] = vms_dump_intern(d, name, (size_t)n);
	}
	uint64_t x = 88172645463325252ull;
	for (size_t i = 0; i < 1000000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint32_t c = (uint32_t)(x % 20000);
		struct vms_area a = {.size = 4096 * (1 + (x >> 40) % 64),
		                     .caller = ids[(c * c) % 20000],
		                     .flags = flags[c % 4]};
		vms_dump_add_area(d, &a, NULL, NULL, 0);
	}
	struct model l = built(d);
	struct vms_treemap t;
	cr_assert_eq(vms_treemap_build(l.m, 1280, 800, &t), 0);
	check_all(&t, l.m);
	cr_assert_eq(t.areas, 1000000);
	cr_assert_leq(t.n - t.nr_frames,
	              1280 * 800 / (VMS_TREEMAP_MIN_CELL * VMS_TREEMAP_MIN_CELL) +
	                  t.nr_frames);
	cr_assert_leq(t.passes, 4 * 8, "at most MAX_PASSES layouts per kind");
	vms_treemap_free(&t);
	unload(&l);
}

/* ---- Drawing, headless ----------------------------------------------------- */

#define OUTSIDE 0xff00ffu /* the window around the map, untouched */

struct canvas {
	struct model l;
	struct vms_treemap tm;
	SDL_Surface *s;
	SDL_Renderer *r;
	struct vms_text t;
	struct vms_render_layout lay;
};

static void setup(void)
{
	setenv("SDL_VIDEODRIVER", "dummy", 1);
}

/* The hashed sample's treemap in a w x h window, the map inset 10 px at
 * the sides and 20 px above and below; font NULL: the default one. */
static struct canvas open_canvas(uint32_t w, uint32_t h, const char *font)
{
	struct canvas c = {.l = load(HASHED)};
	c.lay = (struct vms_render_layout){.win_w = w,
	                                   .win_h = h,
	                                   .map_x = 10,
	                                   .map_y = 20,
	                                   .map_w = w - 20,
	                                   .map_h = h - 40};
	cr_assert_eq(vms_treemap_build(c.l.m, c.lay.map_w, c.lay.map_h, &c.tm), 0);
	c.s = SDL_CreateRGBSurfaceWithFormat(0, (int)w, (int)h, 32,
	                                     SDL_PIXELFORMAT_ARGB8888);
	cr_assert_not_null(c.s, "%s", SDL_GetError());
	c.r = SDL_CreateSoftwareRenderer(c.s);
	cr_assert_not_null(c.r, "%s", SDL_GetError());
	vms_text_init(&c.t, c.r, font, VMS_RENDER_FONT_PT);
	return c;
}

static void paint(struct canvas *c, const struct vms_view_ui *ui)
{
	cr_assert_eq(vms_fill(c->r, OUTSIDE, 0, 0, (int)c->lay.win_w, (int)c->lay.win_h),
	             0);
	cr_assert_eq(vms_treemap_draw(&c->t, c->r, c->l.m, &c->tm, ui, &c->lay), 0);
	SDL_RenderPresent(c->r);
}

static void close_canvas(struct canvas *c)
{
	vms_text_fini(&c->t);
	SDL_DestroyRenderer(c->r);
	SDL_FreeSurface(c->s);
	vms_treemap_free(&c->tm);
	unload(&c->l);
}

static uint32_t pixel(SDL_Surface *s, int x, int y)
{
	const uint8_t *row = (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch;
	return ((const uint32_t *)row)[x] & 0xffffff;
}

/* Hue in degrees, -1 for a grey. */
static double hue(uint32_t c)
{
	double r = c >> 16 & 0xff, g = c >> 8 & 0xff, b = c & 0xff;
	double hi = fmax(r, fmax(g, b)), lo = fmin(r, fmin(g, b)), d = hi - lo;
	if (d < 1)
		return -1;
	double h = hi == r   ? fmod((g - b) / d + 6, 6)
	           : hi == g ? (b - r) / d + 2
	                     : (r - g) / d + 4;
	return h * 60;
}

static const struct vms_treemap_cell *biggest(const struct vms_treemap *t)
{
	const struct vms_treemap_cell *best = NULL;
	for (size_t i = 0; i < t->n; i++)
		if (!t->cells[i].frame && (!best || t->cells[i].bytes > best->bytes))
			best = &t->cells[i];
	return best;
}

/* Rows of the banner box from the map's top, at its left edge. */
static int banner_rows(const struct canvas *c)
{
	int y = c->lay.map_y;
	while (y < c->lay.map_y + (int)c->lay.map_h &&
	       pixel(c->s, c->lay.map_x, y) == VMS_TREEMAP_BANNER_BG)
		y++;
	return y - c->lay.map_y;
}

Test(view_treemap, biggest_cell_has_its_kinds_hue_inside_a_background_border,
     .init = setup)
{
	struct canvas c = open_canvas(800, 600, NULL);
	paint(&c, NULL);
	const struct vms_treemap_cell *b = biggest(&c.tm);
	cr_assert_str_eq(b->caller, "netvsc_device_add");
	int cx = c.lay.map_x + (int)(b->x + b->w / 2),
	    cy = c.lay.map_y + (int)(b->y + b->h / 2);
	cr_assert_gt(cy, c.lay.map_y + banner_rows(&c), "the centre is below the banner");
	uint32_t got = pixel(c.s, cx, cy), want = vms_render_akind_rgb[b->kind];
	double dh = fabs(hue(got) - hue(want));
	cr_assert_leq(fmin(dh, 360 - dh), 3.0, "got %06x, kind %06x", got, want);
	/* a 1-px border of background on the cell's right */
	cr_assert_eq(pixel(c.s, c.lay.map_x + (int)(b->x + b->w - 1), cy), VMS_RENDER_BG);
	/* nothing drawn outside the map */
	cr_assert_eq(pixel(c.s, 0, 0), OUTSIDE);
	cr_assert_eq(pixel(c.s, c.lay.map_x + (int)c.lay.map_w, cy), OUTSIDE);
	cr_assert_eq(pixel(c.s, cx, c.lay.map_y + (int)c.lay.map_h), OUTSIDE);
	close_canvas(&c);
}

Test(view_treemap, banner_box_holds_the_reason_in_text, .init = setup)
{
	struct canvas c = open_canvas(800, 600, NULL);
	cr_assert_not_null(c.t.font, "no font found (fonts-dejavu-core)");
	paint(&c, NULL);
	int rows = banner_rows(&c);
	/* two lines at least: why, then how */
	cr_assert_geq(rows, 2 * c.t.line_h + 2 * VMS_TREEMAP_PAD);
	size_t ink = 0, amber = 0;
	for (int y = c.lay.map_y + VMS_TREEMAP_PAD;
	     y < c.lay.map_y + VMS_TREEMAP_PAD + c.t.line_h; y++)
		for (int x = c.lay.map_x; x < c.lay.map_x + (int)c.lay.map_w; x++) {
			uint32_t p = pixel(c.s, x, y);
			ink += p != VMS_TREEMAP_BANNER_BG;
			amber += (p >> 16 & 0xff) > 0x80 && (p & 0xff) < (p >> 17 & 0x7f);
		}
	cr_assert_gt(ink, 200, "text in the banner's first line");
	cr_assert_gt(amber, 50, "the first line is amber");
	close_canvas(&c);
}

/* Without a font: no banner and no label, only flat cells: the map holds
 * no more colours than cells, frame outlines and the background. */
Test(view_treemap, without_a_font_only_cells_are_drawn, .init = setup)
{
	struct canvas c = open_canvas(800, 600, VMS_RENDER_NO_FONT);
	cr_assert_null(c.t.font);
	paint(&c, NULL);
	cr_assert_eq(banner_rows(&c), 0);
	uint32_t seen[256];
	size_t n = 0;
	for (int y = c.lay.map_y; y < c.lay.map_y + (int)c.lay.map_h; y++)
		for (int x = c.lay.map_x; x < c.lay.map_x + (int)c.lay.map_w; x++) {
			uint32_t p = pixel(c.s, x, y);
			cr_assert_neq(p, VMS_TREEMAP_BANNER_BG);
			size_t i = 0;
			while (i < n && seen[i] != p)
				i++;
			if (i == n) {
				cr_assert_lt(n, 256);
				seen[n++] = p;
			}
		}
	cr_assert_leq(n, c.tm.n + 1, "%zu colours for %zu cells", n, c.tm.n);
	/* where the banner would be, the cell beneath shows */
	const struct vms_treemap_cell *b = biggest(&c.tm);
	cr_assert_eq(b->y, 0);
	cr_assert_eq(pixel(c.s, c.lay.map_x + (int)b->x + 8, c.lay.map_y + 8),
	             pixel(c.s, c.lay.map_x + (int)(b->x + b->w / 2),
	                   c.lay.map_y + (int)(b->y + b->h / 2)));
	close_canvas(&c);
}

Test(view_treemap, hovered_cell_is_outlined, .init = setup)
{
	struct canvas c = open_canvas(800, 600, VMS_RENDER_NO_FONT);
	const struct vms_treemap_cell *b = biggest(&c.tm);
	int left = c.lay.map_x + (int)b->x, mid = c.lay.map_y + (int)(b->y + b->h / 2);
	paint(&c, &(struct vms_view_ui){0});
	cr_assert_neq(pixel(c.s, left, mid), VMS_RENDER_SELECT);
	struct vms_view_ui ui = {.hover = true, .hover_x = b->x + 5, .hover_y = b->y + 5};
	paint(&c, &ui);
	cr_assert_eq(pixel(c.s, left, mid), VMS_RENDER_SELECT);
	cr_assert_eq(pixel(c.s, left + (int)b->w - 1, mid), VMS_RENDER_SELECT);
	close_canvas(&c);
}

/* The picture of the hashed sample written as PNG and read back with
 * SDL2_image (a unique temporary file, removed after). */
Test(view_treemap, snapshot_of_the_hashed_sample_reads_back, .init = setup)
{
	struct canvas c = open_canvas(1000, 700, NULL);
	const struct vms_treemap_cell *b = biggest(&c.tm);
	struct vms_view_ui ui = {.hover = true, .hover_x = b->x + 5, .hover_y = b->y + 5};
	paint(&c, &ui);
	char path[] = "/tmp/vmscope-treemap-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(IMG_SavePNG(c.s, path), 0, "%s", IMG_GetError());
	SDL_Surface *raw = IMG_Load(path);
	unlink(path);
	cr_assert_not_null(raw, "%s", IMG_GetError());
	SDL_Surface *back = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
	cr_assert_not_null(back);
	int cx = c.lay.map_x + (int)(b->x + b->w / 2),
	    cy = c.lay.map_y + (int)(b->y + b->h / 2);
	cr_assert_eq(pixel(back, cx, cy), pixel(c.s, cx, cy));
	SDL_FreeSurface(back);
	SDL_FreeSurface(raw);
	close_canvas(&c);
}
