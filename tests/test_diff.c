/*
 * test_diff.c — `vmscope diff` on pairs made by editing real dumps
 * (tests/data/diff/):
 *  - x86_64-old.txt: the clean block of samples/x86_64-qa-thread-vmallocinfo.txt;
 *    x86_64-new.txt: four bpf_prog_alloc areas (seccomp filters) and an
 *    n_tty_open area added at the tail, three bpf_jit_binary_alloc images in
 *    module space, zs_cpu_notifier's ioremap removed, the e1000 rx ring's
 *    place taken by a bpf_prog_alloc area, the n_tty_open area at
 *    0xffffc9000072b000 grown from 16 KiB to 20 KiB;
 *    x86_64-mid.txt: halfway (two bpf_prog_alloc, one image, no zs ioremap);
 *    x86_64-new-unsorted.txt: new in shuffled order (6.9+ prints areas
 *    unsorted); x86_64-new-kaslr.txt: new after a reboot, the vmalloc
 *    space at 0xffffb1e4c0000000 and module space at 0xffffffffc0396000;
 *  - x86_64-hashed-old.txt: samples/x86_64-rhcos-4.18.0-80-hashed-vmallocinfo.txt;
 *    x86_64-hashed-new.txt: three bpf_prog_alloc and three
 *    bpf_jit_binary_alloc areas added after the last of theirs, the last two
 *    _do_fork stacks removed, the last n_tty_open grown to 20 KiB.
 * Every expected list and figure is exact; self-diffs are empty.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/aspace.h"
#include "vmscope/diff.h"
#include "vmscope/emit_diff.h"
#include "vmscope/parse.h"
#include "vmscope/report.h"

#define DATA "tests/data/diff/"

/* One loaded snapshot. */
struct snap {
	struct vms_dump *d;
	struct vms_aspace *m;
	struct vms_report *r;
};

static struct snap from_dump(struct vms_dump *d)
{
	struct snap s = {d, vms_aspace_build(d, NULL), NULL};
	s.r = vms_report_build(s.m, NULL);
	return s;
}

static struct snap load(const char *path)
{
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_file(path, NULL, &d), 0, "cannot parse %s", path);
	return from_dump(d);
}

static struct snap load_text(const char *text)
{
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_buffer(text, strlen(text), "mem", NULL, &d), 0);
	return from_dump(d);
}

static void unload(struct snap *s)
{
	vms_report_free(s->r);
	vms_aspace_free(s->m);
	vms_dump_free(s->d);
}

static struct vms_diff *diff2(const struct snap *a, const struct snap *b)
{
	const struct vms_report *r[2] = {a->r, b->r};
	return vms_diff_build(r, 2);
}

static uint32_t line_of(const struct snap *s, uint32_t area)
{
	return s->d->src.v[area].line;
}

/* The source lines of areas v[0..n) of s equal want[0..nw). */
static void expect_lines(const struct snap *s, const uint32_t *v, size_t n,
                         const uint32_t *want, size_t nw, const char *what)
{
	cr_expect_eq(n, nw, "%s: %zu areas, want %zu", what, n, nw);
	for (size_t k = 0; k < n && k < nw; k++)
		cr_expect_eq(line_of(s, v[k]), want[k], "%s[%zu]: line %u, want %u", what,
		             k, line_of(s, v[k]), want[k]);
}

struct want_row {
	const char *name;
	int64_t count, bytes;
};

static void expect_rows(const struct vms_diff *d, const struct vms_diff_pair *p,
                        const struct want_row *w, size_t n)
{
	cr_assert_eq(p->callers.n, n, "%zu changed callers, want %zu", p->callers.n, n);
	for (size_t k = 0; k < n; k++) {
		const struct vms_diff_row *r = &p->callers.v[k];
		cr_expect_str_eq(d->callers.v[r->caller].name, w[k].name, "row %zu", k);
		cr_expect_eq(r->count, w[k].count, "%s: count %lld", w[k].name,
		             (long long)r->count);
		cr_expect_eq(r->bytes, w[k].bytes, "%s: bytes %lld", w[k].name,
		             (long long)r->bytes);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- real addresses ------------------------------------------------------ */

Test(diff, address_pair_lists_exactly_the_edited_areas)
{
	struct snap a = load(DATA "x86_64-old.txt"), b = load(DATA "x86_64-new.txt");
	struct vms_diff *d = diff2(&a, &b);
	const struct vms_diff_pair *p = d->overall;
	cr_assert_eq(d->nr_steps, 1);
	cr_assert_eq(p, &d->steps[0], "two snapshots: the overall pair is the step");
	cr_expect_eq(p->match, VMS_DM_ADDRESS);
	cr_expect_eq(p->why_input, -1);
	cr_expect_eq(p->by_caller, 0);
	/* line 28: the e1000 rx ring's start, another caller: removed + added */
	static const uint32_t added[] = {28, 30, 31, 32, 33, 34, 35, 36, 37};
	static const uint32_t removed[] = {14, 29};
	expect_lines(&b, p->added.v, p->added.n, added, N(added), "added");
	expect_lines(&a, p->removed.v, p->removed.n, removed, N(removed), "removed");
	cr_assert_eq(p->resized.n, 1);
	cr_expect_eq(line_of(&a, p->resized.v[0].from), 22);
	cr_expect_eq(line_of(&b, p->resized.v[0].to), 21);
	cr_expect_eq(b.d->areas.v[p->resized.v[0].to].size, 20480);
	cr_expect_eq(p->unchanged, 27);
	cr_expect_eq(p->total.from.count, 30);
	cr_expect_eq(p->total.to.count, 37);
	cr_expect_eq(vms_diff_growth(p->total.from.bytes, p->total.to.bytes), 65536);
	vms_diff_free(d);
	unload(&a);
	unload(&b);
}

Test(diff, address_pair_caller_deltas_sorted_by_growth)
{
	struct snap a = load(DATA "x86_64-old.txt"), b = load(DATA "x86_64-new.txt");
	struct vms_diff *d = diff2(&a, &b);
	static const struct want_row rows[] = {
	    {"bpf_prog_alloc", 5, 40960},    {"bpf_jit_binary_alloc", 3, 24576},
	    {"n_tty_open", 1, 20480},        {"e1000_setup_all_rx_resources", -1, -8192},
	    {"zs_cpu_notifier", -1, -12288},
	};
	expect_rows(d, d->overall, rows, N(rows));
	cr_expect_eq(vms_diff_max_growth(d), 40960);
	cr_expect_str_eq(d->callers.v[0].name, "bpf_prog_alloc");
	vms_diff_free(d);
	unload(&a);
	unload(&b);
}

Test(diff, address_pair_kind_deltas_and_hole_change)
{
	struct snap a = load(DATA "x86_64-old.txt"), b = load(DATA "x86_64-new.txt");
	struct vms_diff *d = diff2(&a, &b);
	const struct vms_diff_pair *p = d->overall;
	cr_assert_eq(p->nr_kinds, 3);
	static const uint8_t order[] = {VMS_AK_VMALLOC, VMS_AK_MODULE, VMS_AK_IOREMAP};
	static const int64_t bytes[] = {53248, 24576, -12288};
	static const int64_t count[] = {5, 3, -1};
	for (unsigned k = 0; k < 3; k++) {
		const struct vms_diff_delta *x = &p->kinds[p->kind_order[k]];
		cr_expect_eq(p->kind_order[k], order[k], "kind %u", k);
		cr_expect_eq(vms_diff_growth(x->from.bytes, x->to.bytes), bytes[k]);
		cr_expect_eq(vms_diff_growth(x->from.count, x->to.count), count[k]);
	}
	/* the tail hole: four bpf_prog_alloc and an n_tty_open area moved it */
	const struct vms_diff_hole *h0 = &d->holes[0], *h1 = &d->holes[1];
	cr_assert(h0->known && h1->known);
	cr_expect_eq(h0->start, 0xffffc9000074b000ull);
	cr_expect_eq(h1->start, 0xffffc90000757000ull);
	cr_expect_eq(vms_diff_growth(h0->size, h1->size), -49152);
	vms_diff_free(d);
	unload(&a);
	unload(&b);
}

/* Sorted (start, size) of the areas of s listed in v[0..n). */
static uint64_t *ranges(const struct snap *s, const uint32_t *v, size_t n)
{
	uint64_t *out = calloc(2 * n + 1, sizeof(*out));
	for (size_t k = 0; k < n; k++) {
		out[2 * k] = s->d->areas.v[v[k]].start;
		out[2 * k + 1] = s->d->areas.v[v[k]].size;
	}
	/* insertion sort by start: the lists are short */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && out[2 * j - 2] > out[2 * j]; j--) {
			uint64_t t0 = out[2 * j], t1 = out[2 * j + 1];
			out[2 * j] = out[2 * j - 2], out[2 * j + 1] = out[2 * j - 1];
			out[2 * j - 2] = t0, out[2 * j - 1] = t1;
		}
	return out;
}

Test(diff, unsorted_input_gives_the_same_changes)
{
	struct snap a = load(DATA "x86_64-old.txt"), b = load(DATA "x86_64-new.txt");
	struct snap u = load(DATA "x86_64-new-unsorted.txt");
	cr_assert(!u.d->sorted, "the fixture must be unsorted");
	struct vms_diff *d1 = diff2(&a, &b), *d2 = diff2(&a, &u);
	const struct vms_diff_pair *p = d1->overall, *q = d2->overall;
	cr_assert_eq(q->match, VMS_DM_ADDRESS);
	cr_assert_eq(q->added.n, p->added.n);
	cr_assert_eq(q->removed.n, p->removed.n);
	cr_assert_eq(q->resized.n, p->resized.n);
	cr_expect_eq(q->unchanged, p->unchanged);
	uint64_t *x = ranges(&b, p->added.v, p->added.n);
	uint64_t *y = ranges(&u, q->added.v, q->added.n);
	cr_expect_arr_eq(x, y, 2 * p->added.n * sizeof(*x));
	cr_expect_eq(q->removed.v[0], p->removed.v[0]);
	cr_expect_eq(q->removed.v[1], p->removed.v[1]);
	cr_expect_eq(q->resized.v[0].from, p->resized.v[0].from);
	cr_expect_eq(u.d->areas.v[q->resized.v[0].to].start, 0xffffc9000072b000ull);
	cr_expect_eq(q->callers.n, p->callers.n);
	for (size_t k = 0; k < p->callers.n && k < q->callers.n; k++)
		cr_expect_eq(q->callers.v[k].bytes, p->callers.v[k].bytes);
	free(x);
	free(y);
	vms_diff_free(d1);
	vms_diff_free(d2);
	unload(&a);
	unload(&b);
	unload(&u);
}

/* Two boots: KASLR placed the vmalloc space (and module space) elsewhere,
 * so no start matches; the areas are matched by caller instead. */
Test(diff, unrelated_starts_of_two_boots_match_by_caller)
{
	struct snap a = load(DATA "x86_64-old.txt"),
	            b = load(DATA "x86_64-new-kaslr.txt");
	cr_assert(b.m->geometry);
	struct vms_diff *d = diff2(&a, &b);
	const struct vms_diff_pair *p = d->overall;
	cr_expect_eq(p->match, VMS_DM_CALLER);
	cr_expect_eq(p->why_input, -1);
	cr_expect_eq(p->why, vms_diff_unrelated_starts);
	/* by caller the resized n_tty_open area is one added (20 KiB, no
	 * leftover of its size) and the new tail one pairs with it */
	static const uint32_t added[] = {21, 28, 30, 31, 32, 33, 35, 36, 37};
	static const uint32_t removed[] = {14, 29};
	expect_lines(&b, p->added.v, p->added.n, added, N(added), "added");
	expect_lines(&a, p->removed.v, p->removed.n, removed, N(removed), "removed");
	cr_expect_eq(p->resized.n, 0);
	cr_expect_eq(p->unchanged, 28);
	cr_expect_eq(vms_diff_max_growth(d), 40960, "caller deltas need no matching");
	cr_expect(d->holes[1].known);
	cr_expect_eq(d->holes[1].start, 0xffffb1e4c0757000ull);
	vms_diff_free(d);
	unload(&a);
	unload(&b);
}

/* ---- hashed addresses ----------------------------------------------------- */

Test(diff, hashed_pair_matches_by_caller_and_size)
{
	struct snap a = load(DATA "x86_64-hashed-old.txt");
	struct snap b = load(DATA "x86_64-hashed-new.txt");
	struct vms_diff *d = diff2(&a, &b);
	const struct vms_diff_pair *p = d->overall;
	cr_expect_eq(p->match, VMS_DM_CALLER);
	cr_expect_eq(p->why_input, 0);
	cr_expect_str_eq(p->why, a.m->no_geometry);
	static const uint32_t added[] = {213, 214, 215, 605, 606, 607};
	static const uint32_t removed[] = {435, 436};
	expect_lines(&b, p->added.v, p->added.n, added, N(added), "added");
	expect_lines(&a, p->removed.v, p->removed.n, removed, N(removed), "removed");
	cr_assert_eq(p->resized.n, 1);
	cr_expect_eq(line_of(&a, p->resized.v[0].from), 272);
	cr_expect_eq(line_of(&b, p->resized.v[0].to), 275);
	cr_expect_eq(p->unchanged, 613);
	static const struct want_row rows[] = {
	    {"bpf_jit_binary_alloc", 3, 24576}, /* ties by name */
	    {"bpf_prog_alloc", 3, 24576},
	    {"n_tty_open", 0, 4096},
	    {"_do_fork", -2, -40960},
	};
	expect_rows(d, p, rows, N(rows));
	cr_expect(!d->holes[0].known && !d->holes[1].known);
	vms_diff_free(d);
	unload(&a);
	unload(&b);
}

Test(diff, real_and_hashed_pair_matches_by_caller_and_names_the_hashed_one)
{
	struct snap a = load(DATA "x86_64-old.txt");
	struct snap b = load(DATA "x86_64-hashed-old.txt");
	struct vms_diff *d = diff2(&a, &b);
	cr_expect_eq(d->overall->match, VMS_DM_CALLER);
	cr_expect_eq(d->overall->why_input, 1);
	cr_expect(d->holes[0].known && !d->holes[1].known);
	vms_diff_free(d);
	unload(&a);
	unload(&b);
}

/* Zeroed addresses (kptr_restrict): equal (caller, size) pair in input
 * order, leftovers of a caller pair in order as resized, the rest of a
 * caller is added or removed; vm_map_ram and unpurged lines are callers of
 * their own. */
Test(diff, caller_matching_pairs_equal_sizes_then_leftovers_in_order)
{
#define Z "0x0000000000000000-0x0000000000000000 "
	struct snap a = load_text(Z "8192 foo+0x1/0x2 pages=1 vmalloc\n"    /* 1 */
	                          Z "16384 foo+0x1/0x2 pages=3 vmalloc\n"   /* 2 */
	                          Z "8192 foo+0x1/0x2 pages=1 vmalloc\n"    /* 3 */
	                          Z "12288 bar+0x1/0x2 pages=2 vmalloc\n"   /* 4 */
	                          Z "24576 foo+0x1/0x2 pages=5 vmalloc\n"   /* 5 */
	                          Z "4096 unpurged vm_area\n");             /* 6 */
	struct snap b = load_text(Z "8192 foo+0x1/0x2 pages=1 vmalloc\n"    /* 1 */
	                          Z "20480 foo+0x1/0x2 pages=4 vmalloc\n"   /* 2 */
	                          Z "32768 foo+0x1/0x2 pages=7 vmalloc\n"   /* 3 */
	                          Z "12288 baz+0x1/0x2 pages=2 vmalloc\n"   /* 4 */
	                          Z "4096 vm_map_ram\n"                     /* 5 */
	                          Z "4096 unpurged vm_area\n"               /* 6 */
	                          Z "40960 foo+0x1/0x2 pages=9 vmalloc\n"); /* 7 */
#undef Z
	struct vms_diff *d = diff2(&a, &b);
	const struct vms_diff_pair *p = d->overall;
	cr_expect_eq(p->match, VMS_DM_CALLER);
	cr_expect_eq(p->unchanged, 2, "foo 8192 (1-1) and the unpurged area");
	/* foo's leftovers: old 2, 3, 5; new 2, 3, 7 */
	cr_assert_eq(p->resized.n, 3);
	static const uint32_t from[] = {2, 3, 5}, to[] = {2, 3, 7};
	for (size_t k = 0; k < 3; k++) {
		cr_expect_eq(line_of(&a, p->resized.v[k].from), from[k]);
		cr_expect_eq(line_of(&b, p->resized.v[k].to), to[k]);
	}
	static const uint32_t added[] = {4, 5}, removed[] = {4};
	expect_lines(&b, p->added.v, p->added.n, added, N(added), "added");
	expect_lines(&a, p->removed.v, p->removed.n, removed, N(removed), "removed");
	vms_diff_free(d);
	unload(&a);
	unload(&b);
}

/* An area whose range disagrees with its size stays out of the address
 * walk and is matched by caller among its like. */
Test(diff, untrusted_ranges_of_a_real_dump_match_by_caller)
{
	static const char text[] =
	    "0xf0000000-0xf0002000    8192 of_iomap+0x30/0x38 phys=0xd1d01000 ioremap\n"
	    "0xf0004000-0xf0007000    8192 of_iomap+0x30/0x38 phys=0xd1d02000 ioremap\n";
	struct snap a = load_text(text), b = load_text(text);
	cr_assert_eq(a.m->nr_order, 1, "the fixture needs one untrusted range");
	struct vms_diff *d = diff2(&a, &b);
	const struct vms_diff_pair *p = d->overall;
	cr_expect_eq(p->match, VMS_DM_ADDRESS);
	cr_expect_eq(p->by_caller, 2);
	cr_expect_eq(p->unchanged, 2);
	cr_expect_eq(p->added.n + p->removed.n + p->resized.n, 0);
	vms_diff_free(d);
	unload(&a);
	unload(&b);
}

/* ---- self-diffs and series ----------------------------------------------- */

Test(diff, a_dump_against_itself_shows_no_change)
{
	static const char *const files[] = {
	    DATA "x86_64-old.txt",
	    DATA "x86_64-hashed-old.txt",
	    "samples/arm32-marvell-granite2-ocr-paste-vmallocinfo.txt",
	    "samples/arm32-zte-4.1.25-mem128M-vmallocinfo.txt",
	    "samples/ppc32-powermac-g4-6.14-rc4-outline-kasan-vmallocinfo.txt",
	};
	for (size_t f = 0; f < N(files); f++) {
		struct snap a = load(files[f]), b = load(files[f]);
		struct vms_diff *d = diff2(&a, &b);
		const struct vms_diff_pair *p = d->overall;
		cr_expect_eq(p->added.n + p->removed.n + p->resized.n, 0, "%s", files[f]);
		cr_expect_eq(p->unchanged, a.d->areas.n, "%s", files[f]);
		cr_expect_eq(p->callers.n, 0, "%s", files[f]);
		cr_expect_eq(p->nr_kinds, 0, "%s", files[f]);
		cr_expect_eq(vms_diff_max_growth(d), 0, "%s", files[f]);
		cr_expect_eq(d->holes[0].size, d->holes[1].size, "%s", files[f]);
		for (size_t k = 0; k < d->callers.n; k++)
			cr_expect(!d->callers.v[k].changed, "%s", files[f]);
		vms_diff_free(d);
		unload(&a);
		unload(&b);
	}
}

Test(diff, series_keeps_each_caller_at_every_snapshot)
{
	struct snap s[3] = {load(DATA "x86_64-old.txt"), load(DATA "x86_64-mid.txt"),
	                    load(DATA "x86_64-new.txt")};
	const struct vms_report *r[3] = {s[0].r, s[1].r, s[2].r};
	struct vms_diff *d = vms_diff_build(r, 3);
	cr_assert_eq(d->nr_steps, 2);
	cr_expect_eq(d->overall->from, 0);
	cr_expect_eq(d->overall->to, 2);
	cr_expect_eq(d->steps[0].added.n, 3);
	cr_expect_eq(d->steps[0].removed.n, 1);
	cr_expect_eq(d->steps[1].added.n, 6);
	cr_expect_eq(d->steps[1].removed.n, 1);
	cr_expect_eq(d->steps[1].resized.n, 1);
	cr_expect_eq(d->overall->added.n, 9);
	cr_expect_eq(d->overall->removed.n, 2);
	cr_expect_eq(d->overall->resized.n, 1);
	static const struct {
		const char *name;
		uint64_t bytes[3];
	} want[] = {
	    {"bpf_prog_alloc", {81920, 98304, 122880}},
	    {"bpf_jit_binary_alloc", {0, 8192, 24576}},
	    {"n_tty_open", {81920, 81920, 102400}},
	};
	for (size_t k = 0; k < N(want); k++) {
		const struct vms_diff_caller *c = &d->callers.v[k];
		cr_expect_str_eq(c->name, want[k].name);
		cr_expect(c->changed);
		for (size_t t = 0; t < 3; t++)
			cr_expect_eq(c->at[t].bytes, want[k].bytes[t], "%s at #%zu",
			             c->name, t + 1);
		cr_expect_eq(c->growth, (int64_t)(want[k].bytes[2] - want[k].bytes[0]));
	}
	vms_diff_free(d);
	for (size_t k = 0; k < 3; k++)
		unload(&s[k]);
}

Test(diff, growth_saturates_instead_of_wrapping)
{
	cr_expect_eq(vms_diff_growth(0, UINT64_MAX), INT64_MAX);
	cr_expect_eq(vms_diff_growth(UINT64_MAX, 0), INT64_MIN);
	cr_expect_eq(vms_diff_growth(5, 3), -2);
	cr_expect_eq(vms_diff_growth(3, 5), 2);
}

/* ---- writers ----------------------------------------------------------------- */

static char *emit(const struct vms_diff *d, bool json, const struct vms_diff_view *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int rc = json ? vms_emit_diff_json(fp, d, v) : vms_emit_diff_text(fp, d, v);
	fclose(fp);
	cr_assert_eq(rc, 0);
	return buf;
}

Test(diff, json_carries_the_contract_keys)
{
	struct snap a = load(DATA "x86_64-old.txt"), b = load(DATA "x86_64-new.txt");
	struct vms_diff *d = diff2(&a, &b);
	struct vms_diff_view v = {.top = 1};
	char *text = emit(d, true, &v);
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);
	cr_assert(j, "not JSON: %s", err.text);
	cr_expect_str_eq(json_string_value(json_object_get(j, "matching")), "address");
	cr_expect_eq(json_integer_value(json_object_get(j, "max_growth")), 40960);
	json_t *changes = json_object_get(j, "changes");
	cr_expect_eq(json_integer_value(json_object_get(changes, "added")), 9);
	json_t *areas = json_object_get(j, "areas");
	cr_expect_eq(json_integer_value(json_object_get(areas, "delta")), 7);
	cr_expect_eq(json_array_size(json_object_get(j, "added")), 9,
	             "lists are complete");
	cr_expect_eq(json_array_size(json_object_get(j, "callers")), 5);
	json_t *top = json_array_get(json_object_get(j, "callers"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(top, "caller")),
	                 "bpf_prog_alloc");
	json_t *bytes = json_object_get(top, "bytes");
	cr_expect_eq(json_integer_value(json_object_get(bytes, "delta")), 40960);
	json_t *hole = json_object_get(j, "largest_vmalloc_hole");
	cr_expect_eq(json_integer_value(json_object_get(hole, "delta")), -49152);
	json_t *rs = json_array_get(json_object_get(j, "resized"), 0);
	cr_expect_eq(json_integer_value(json_object_get(rs, "delta")), 4096);
	cr_expect(json_is_null(json_object_get(j, "series")));
	cr_expect_eq(json_array_size(json_object_get(j, "steps")), 0);
	json_decref(j);
	free(text);
	vms_diff_free(d);
	unload(&a);
	unload(&b);
}

Test(diff, text_summary_names_matching_counts_and_hole)
{
	struct snap a = load(DATA "x86_64-old.txt"), b = load(DATA "x86_64-new.txt");
	struct vms_diff *d = diff2(&a, &b);
	struct vms_diff_view v = {.top = 2};
	char *text = emit(d, false, &v);
	cr_expect(strstr(text, "x86_64-old.txt -> " DATA "x86_64-new.txt: matched by "
	                       "address\n"));
	cr_expect(strstr(text, "  areas: 30 -> 37 (+9 added, -2 removed, ~1 resized, 27 "
	                       "unchanged)\n"));
	cr_expect(strstr(text, " -> 32.0 TiB at 0xffffc90000757000 (-48 KiB)\n"));
	cr_expect(strstr(text, "  ... 3 more callers (--top 0 lists all)\n"));
	cr_expect(strstr(text, "  ... 7 more added areas (--areas lists all)\n"));
	cr_expect(strstr(text,
	                 DATA "x86_64-new.txt:21: resized: 16 KiB -> 20 KiB (+4 KiB; "
	                      "was " DATA "x86_64-old.txt:22): 0xffffc9000072b000-"));
	cr_expect(!strchr(text, '\033'), "no colour unless asked");
	free(text);
	vms_diff_free(d);
	unload(&a);
	unload(&b);
}

/* One function name in two modules is two rows (as in the report): a
 * driver's growth is not hidden by its twin's shrinking, and the areas of
 * one module do not pair with the other's. */
Test(diff, one_name_in_two_modules_is_two_callers)
{
	static const char base[] =
	    "0xffffc90000000000-0xffffc90000002000    8192 foo+0x1/0x2 pages=1 vmalloc\n";
	char old[512], new[512];
	snprintf(
	    old, sizeof(old),
	    "%s0xffffc90000100000-0xffffc90000201000 1052672 xx_probe+0x10/0x20 [modA] "
	    "pages=256 vmalloc\n",
	    base);
	snprintf(
	    new, sizeof(new),
	    "%s0xffffc90000100000-0xffffc90000201000 1052672 xx_probe+0x10/0x20 [modB] "
	    "pages=256 vmalloc\n",
	    base);
	struct snap a = load_text(old), b = load_text(new);
	struct vms_diff *d = diff2(&a, &b);
	cr_assert_eq(d->overall->added.n, 1, "same start, other module: added");
	cr_assert_eq(d->overall->removed.n, 1);
	cr_assert_eq(d->overall->callers.n, 2);
	cr_assert_eq(vms_diff_max_growth(d), 1052672);
	const struct vms_diff_caller *top = &d->callers.v[0];
	cr_assert_str_eq(top->name, "xx_probe");
	cr_assert_str_eq(top->module, "modB");
	vms_diff_free(d);
	unload(&a);
	unload(&b);
}

/* Lazily freed areas and vm_map_ram blocks come and go in batches: shown,
 * never counted by --fail-on-growth. */
Test(diff, transient_rows_do_not_count_as_growth)
{
	struct snap a = load_text("0xffffc90000000000-0xffffc90000002000    8192 "
	                          "foo+0x1/0x2 pages=1 vmalloc\n");
	struct snap b = load_text(
	    "0xffffc90000000000-0xffffc90000002000    8192 foo+0x1/0x2 pages=1 vmalloc\n"
	    "0xffffc90000100000-0xffffc90000300000 2097152 unpurged vm_area\n"
	    "0xffffc90000400000-0xffffc90000402000    8192 bar+0x1/0x2 pages=1 "
	    "vmalloc\n");
	struct vms_diff *d = diff2(&a, &b);
	cr_assert_eq(d->callers.v[0].growth, 2097152, "[unpurged] is still listed first");
	cr_assert_eq(vms_diff_max_growth(d), 8192, "bar, not [unpurged]");
	vms_diff_free(d);
	unload(&a);
	unload(&b);
}

/* A dump without its per-cpu chunk keeps the profile's VMALLOC_END; the
 * dump with it is bounded at the chunk: the hole's change then comes from
 * the bounds, and the diff says so. */
Test(diff, windows_bounded_differently_are_told)
{
	FILE *fp = fopen(
	    "samples/ppc32-powermac-g4-6.14-rc4-outline-kasan-vmallocinfo.txt", "r");
	cr_assert_not_null(fp);
	char *text = NULL, line[1024];
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	while (fgets(line, sizeof(line), fp))
		if (!strstr(line, "pcpu_get_vm_areas"))
			fputs(line, out);
	fclose(out);
	fclose(fp);
	struct snap a = load_text(text);
	struct snap b =
	    load("samples/ppc32-powermac-g4-6.14-rc4-outline-kasan-vmallocinfo.txt");
	struct vms_diff *d = diff2(&a, &b);
	cr_assert(vms_diff_windows_differ(&d->holes[0], &d->holes[1]));
	cr_assert_eq(d->holes[1].window_end, 0xf5110000u);
	cr_assert_gt(d->holes[0].window_end, 0xf5110000u);
	vms_diff_free(d);
	struct vms_diff *same = diff2(&b, &b);
	cr_assert_not(vms_diff_windows_differ(&same->holes[0], &same->holes[1]));
	vms_diff_free(same);
	unload(&a);
	unload(&b);
	free(text);
}

/* A %p hash names one area all boot long: the area that went away from a
 * hashed dump is the one named, not the last of its (caller, size). */
Test(diff, hashed_starts_name_the_area_that_went_away)
{
	FILE *fp = fopen(DATA "x86_64-hashed-old.txt", "r");
	cr_assert_not_null(fp);
	char *text = NULL, line[1024];
	size_t len = 0;
	unsigned n = 0;
	FILE *out = open_memstream(&text, &len);
	while (fgets(line, sizeof(line), fp))
		if (++n != 20) /* line 20: a _do_fork area among many equal ones */
			fputs(line, out);
	fclose(out);
	fclose(fp);
	struct snap a = load(DATA "x86_64-hashed-old.txt"), b = load_text(text);
	struct vms_diff *d = diff2(&a, &b);
	cr_assert_eq(d->overall->removed.n, 1);
	cr_assert_eq(d->overall->added.n, 0);
	cr_assert_eq(line_of(&a, d->overall->removed.v[0]), 20);
	vms_diff_free(d);
	unload(&a);
	unload(&b);
	free(text);
}
