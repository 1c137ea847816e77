/*
 * test_vmap.c — the vmap trees (src/model/rbtree.c, vmap_busy.c,
 * vmap_free.c): hand cases for every fit type and merge, the kernel's
 * lowest-match search and its edges (big alignments, the top of the address
 * space), seeded random sequences checked against sorted-array models with
 * validate after every operation, corruption that validate must catch, and
 * the cost of build and of each update counted in steps.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/vmap.h"
#include "rbtree.h"

#define PAGE 0x1000ull

/* ---- helpers ----------------------------------------------------------------- */

/* xorshift64*: the same sequence on every host. */
struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ull;
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? rnd(r) % n : 0;
}

static bool chance(struct rng *r, unsigned percent)
{
	return below(r, 100) < percent;
}

struct span {
	uint64_t start, end;
};

static void assert_valid_free(const struct vms_free *t)
{
	char why[256] = "";
	int rc = vms_free_validate(t, why, sizeof(why));
	if (rc)
		cr_assert_fail("free tree invalid: %s", why);
}

static void assert_valid_busy(const struct vms_busy *t)
{
	char why[256] = "";
	int rc = vms_busy_validate(t, why, sizeof(why));
	if (rc)
		cr_assert_fail("busy tree invalid: %s", why);
}

/* The tree's holes, in order, are exactly want[0..n). */
static void assert_holes(const struct vms_free *t, const struct span *want, size_t n)
{
	uint64_t total = 0, largest = 0;
	uint32_t id = vms_free_first(t);

	assert_valid_free(t);
	for (size_t k = 0; k < n; k++, id = vms_free_next(t, id)) {
		if (!id)
			cr_assert_fail("hole %zu of %zu missing", k, n);
		const struct vms_hole *h = vms_free_hole(t, id);
		if (h->va_start != want[k].start || h->va_end != want[k].end)
			cr_assert_fail("hole %zu is [%#llx, %#llx), want [%#llx, %#llx)",
			               k, (unsigned long long)h->va_start,
			               (unsigned long long)h->va_end,
			               (unsigned long long)want[k].start,
			               (unsigned long long)want[k].end);
		uint64_t size = want[k].end - want[k].start;
		total += size;
		largest = size > largest ? size : largest;
	}
	cr_assert_eq(id, 0, "more holes than the %zu expected", n);
	cr_assert_eq(t->count, n);
	cr_assert_eq(t->total, total);
	cr_assert_eq(vms_free_largest(t), largest);
}

static void build_spans(struct vms_free *t, const struct span *s, size_t n)
{
	uint64_t starts[16], ends[16];
	cr_assert(n <= 16);
	for (size_t k = 0; k < n; k++)
		starts[k] = s[k].start, ends[k] = s[k].end;
	vms_free_init(t);
	cr_assert_eq(vms_free_build(t, starts, ends, n), 0);
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- free tree: fit types ------------------------------------------------------ */

static const struct span two[] = {{0x1000, 0x5000}, {0x10000, 0x20000}};

Test(vmap_free, full_fit_removes_the_hole)
{
	struct vms_free t;
	build_spans(&t, two, 2);
	uint32_t id = vms_free_find(&t, 0x1000);
	cr_assert_eq(vms_free_clip(&t, id, 0x1000, 0x4000), VMS_FIT_FL);
	assert_holes(&t, (struct span[]){{0x10000, 0x20000}}, 1);
	vms_free_release(&t);
}

Test(vmap_free, left_edge_fit_keeps_the_right_part)
{
	struct vms_free t;
	build_spans(&t, two, 2);
	uint32_t id = vms_free_find(&t, 0x4fff);
	cr_assert_eq(vms_free_clip(&t, id, 0x1000, 0x1000), VMS_FIT_LE);
	assert_holes(&t, (struct span[]){{0x2000, 0x5000}, {0x10000, 0x20000}}, 2);
	cr_assert_eq(vms_free_find(&t, 0x2000), id, "the hole keeps its id");
	vms_free_release(&t);
}

Test(vmap_free, right_edge_fit_keeps_the_left_part)
{
	struct vms_free t;
	build_spans(&t, two, 2);
	uint32_t id = vms_free_find(&t, 0x10000);
	cr_assert_eq(vms_free_clip(&t, id, 0x18000, 0x8000), VMS_FIT_RE);
	assert_holes(&t, (struct span[]){{0x1000, 0x5000}, {0x10000, 0x18000}}, 2);
	cr_assert_eq(vms_free_largest(&t), 0x8000);
	vms_free_release(&t);
}

Test(vmap_free, no_edge_fit_splits_the_hole_and_keeps_its_id_on_the_right)
{
	struct vms_free t;
	build_spans(&t, two, 2);
	uint32_t id = vms_free_find(&t, 0x10000);
	cr_assert_eq(vms_free_clip(&t, id, 0x12000, 0x1000), VMS_FIT_NE);
	assert_holes(
	    &t, (struct span[]){{0x1000, 0x5000}, {0x10000, 0x12000}, {0x13000, 0x20000}},
	    3);
	cr_assert_eq(vms_free_find(&t, 0x13000), id);
	cr_assert_neq(vms_free_find(&t, 0x10000), id);
	cr_assert_eq(vms_free_find(&t, 0x12000), 0, "the cut is not free");
	vms_free_release(&t);
}

Test(vmap_free, clip_outside_its_hole_changes_nothing)
{
	struct vms_free t;
	build_spans(&t, two, 2);
	uint32_t id = vms_free_find(&t, 0x1000);
	cr_assert_eq(vms_free_clip(&t, id, 0x0, 0x2000), VMS_FIT_NONE);
	cr_assert_eq(vms_free_clip(&t, id, 0x4000, 0x2000), VMS_FIT_NONE);
	cr_assert_eq(vms_free_clip(&t, id, 0x2000, 0), VMS_FIT_NONE);
	cr_assert_eq(vms_free_clip(&t, id, 0x2000, UINT64_MAX), VMS_FIT_NONE);
	assert_holes(&t, two, 2);
	vms_free_release(&t);
}

Test(vmap_free, fit_types_have_the_kernels_names)
{
	cr_assert_str_eq(vms_fit_type_name(VMS_FIT_FL), "FL");
	cr_assert_str_eq(vms_fit_type_name(VMS_FIT_LE), "LE");
	cr_assert_str_eq(vms_fit_type_name(VMS_FIT_RE), "RE");
	cr_assert_str_eq(vms_fit_type_name(VMS_FIT_NE), "NE");
	cr_assert_str_eq(vms_fit_type_name(VMS_FIT_NONE), "none");
}

/* ---- free tree: merge on insert ------------------------------------------------ */

static const struct span gap3[] = {{0x1000, 0x2000}, {0x4000, 0x5000}, {0x8000, 0x9000}};

Test(vmap_free, insert_merges_with_the_hole_below)
{
	struct vms_free t;
	build_spans(&t, gap3, 3);
	cr_assert_eq(vms_free_insert(&t, 0x5000, 0x6000), 0);
	assert_holes(
	    &t, (struct span[]){{0x1000, 0x2000}, {0x4000, 0x6000}, {0x8000, 0x9000}}, 3);
	vms_free_release(&t);
}

Test(vmap_free, insert_merges_with_the_hole_above)
{
	struct vms_free t;
	build_spans(&t, gap3, 3);
	cr_assert_eq(vms_free_insert(&t, 0x7000, 0x8000), 0);
	assert_holes(
	    &t, (struct span[]){{0x1000, 0x2000}, {0x4000, 0x5000}, {0x7000, 0x9000}}, 3);
	vms_free_release(&t);
}

Test(vmap_free, insert_merges_both_neighbours_into_one_hole)
{
	struct vms_free t;
	build_spans(&t, gap3, 3);
	size_t pool = t.node.n;
	cr_assert_eq(vms_free_insert(&t, 0x2000, 0x4000), 0);
	assert_holes(&t, (struct span[]){{0x1000, 0x5000}, {0x8000, 0x9000}}, 2);
	cr_assert_neq(t.spare, 0, "the vanished hole's id is spare");
	/* and the next new hole takes it instead of growing the pool */
	cr_assert_eq(vms_free_insert(&t, 0xa000, 0xb000), 0);
	cr_assert_eq(t.spare, 0);
	cr_assert_eq(t.node.n, pool);
	assert_holes(
	    &t, (struct span[]){{0x1000, 0x5000}, {0x8000, 0x9000}, {0xa000, 0xb000}}, 3);
	vms_free_release(&t);
}

Test(vmap_free, insert_apart_from_both_neighbours_adds_a_hole)
{
	struct vms_free t;
	build_spans(&t, gap3, 3);
	cr_assert_eq(vms_free_insert(&t, 0x2800, 0x3000), 0);
	cr_assert_eq(vms_free_insert(&t, 0x0, 0x800), 0);
	cr_assert_eq(vms_free_insert(&t, 0x10000, 0x11000), 0);
	assert_holes(&t,
	             (struct span[]){{0x0, 0x800},
	                             {0x1000, 0x2000},
	                             {0x2800, 0x3000},
	                             {0x4000, 0x5000},
	                             {0x8000, 0x9000},
	                             {0x10000, 0x11000}},
	             6);
	vms_free_release(&t);
}

Test(vmap_free, insert_refuses_overlap_and_empty_ranges)
{
	struct vms_free t;
	build_spans(&t, gap3, 3);
	static const struct span bad[] = {
	    {0x1800, 0x3000}, /* tail inside a hole */
	    {0x3000, 0x4001}, /* head inside a hole */
	    {0x0, 0x10000},   /* over all of them */
	    {0x4000, 0x5000}, /* the hole itself */
	    {0x4800, 0x4900}, /* inside one */
	    {0x3000, 0x3000}, /* empty */
	    {0x3000, 0x2000}, /* backwards */
	};
	for (size_t k = 0; k < N_OF(bad); k++)
		cr_assert_eq(vms_free_insert(&t, bad[k].start, bad[k].end), -VMS_EINVAL,
		             "case %zu", k);
	assert_holes(&t, gap3, 3);
	vms_free_release(&t);
}

/* ---- free tree: build --------------------------------------------------------- */

Test(vmap_free, build_merges_touching_ranges)
{
	uint64_t s[] = {0x1000, 0x2000, 0x3000, 0x8000};
	uint64_t e[] = {0x2000, 0x3000, 0x4000, 0x9000};
	struct vms_free t;
	vms_free_init(&t);
	cr_assert_eq(vms_free_build(&t, s, e, 4), 0);
	assert_holes(&t, (struct span[]){{0x1000, 0x4000}, {0x8000, 0x9000}}, 2);
	cr_assert_eq(vms_free_build(&t, s, e, 0), 0, "rebuilt empty");
	assert_holes(&t, NULL, 0);
	vms_free_release(&t);
}

Test(vmap_free, build_refuses_unsorted_overlapping_or_empty_ranges)
{
	static const uint64_t s[][2] = {
	    {0x3000, 0x1000}, {0x1000, 0x1800}, {0x1000, 0x5000}};
	static const uint64_t e[][2] = {
	    {0x4000, 0x2000}, {0x2000, 0x2800}, {0x1000, 0x6000}};
	struct vms_free t;
	build_spans(&t, gap3, 3);
	for (size_t k = 0; k < N_OF(s); k++) {
		cr_assert_eq(vms_free_build(&t, s[k], e[k], 2), -VMS_EINVAL, "case %zu",
		             k);
		assert_holes(&t, NULL, 0);
	}
	vms_free_release(&t);
	vms_free_release(NULL);
}

/* ---- free tree: search and alloc ----------------------------------------------------
 */

Test(vmap_free, alloc_takes_the_lowest_fit_above_vstart)
{
	struct vms_free t;
	build_spans(&t, gap3, 3);
	uint64_t at = 0;
	enum vms_fit_type fit = VMS_FIT_NONE;
	cr_assert_eq(vms_free_alloc(&t, 0x800, 1, PAGE, 0x1900, 0x10000, &at, &fit), 0);
	cr_assert_eq(at, 0x4000, "the hole at 0x1000 holds only 0x700 above vstart");
	cr_assert_eq(fit, VMS_FIT_LE);
	cr_assert_eq(vms_free_alloc(&t, 0x800, 1, PAGE, 0x1000, 0x10000, &at, &fit), 0);
	cr_assert_eq(at, 0x1000);
	assert_holes(
	    &t, (struct span[]){{0x1800, 0x2000}, {0x4800, 0x5000}, {0x8000, 0x9000}}, 3);
	vms_free_release(&t);
}

Test(vmap_free, alloc_fails_with_erange_when_nothing_fits_below_vend)
{
	struct vms_free t;
	build_spans(&t, gap3, 3);
	uint64_t at = 0;
	/* nothing is 0x2000 long */
	cr_assert_eq(vms_free_alloc(&t, 0x2000, PAGE, PAGE, 0, UINT64_MAX, &at, NULL),
	             -VMS_ERANGE);
	/* the lowest fit (0x8000) ends past vend */
	cr_assert_eq(vms_free_alloc(&t, 0x1000, PAGE, PAGE, 0x5000, 0x8800, &at, NULL),
	             -VMS_ERANGE);
	/* nothing at or above vstart */
	cr_assert_eq(
	    vms_free_alloc(&t, 0x1000, PAGE, PAGE, 0x9000, UINT64_MAX, &at, NULL),
	    -VMS_ERANGE);
	/* bad requests */
	cr_assert_eq(vms_free_alloc(&t, 0, PAGE, PAGE, 0, UINT64_MAX, &at, NULL),
	             -VMS_EINVAL);
	cr_assert_eq(vms_free_alloc(&t, PAGE, 3 * PAGE, PAGE, 0, UINT64_MAX, &at, NULL),
	             -VMS_EINVAL);
	assert_holes(&t, gap3, 3);
	vms_free_release(&t);
}

/*
 * Holes A [0x2000, 0x4000) (left leaf), B [0x10000, 0x11000) (root),
 * C [0x20000, 0x40000) (right leaf). 0x1000 bytes aligned to 0x2000: A is
 * the lowest fit, but with the kernel's adjusted length 0x2fff the left
 * subtree (largest 0x2000) is never entered, and B fits: the kernel takes B.
 */
static const struct span abc[] = {
    {0x2000, 0x4000}, {0x10000, 0x11000}, {0x20000, 0x40000}};

Test(vmap_free, big_alignment_adjusts_the_search_past_a_lower_fit)
{
	struct vms_free t;
	build_spans(&t, abc, 3);
	uint64_t at = 0;
	cr_assert_eq(vms_free_hole(&t, t.root)->va_start, 0x10000, "B is the root");
	cr_assert_eq(vms_free_lowest(&t, 0x1000, 0x2000, 0, false, &at),
	             vms_free_find(&t, 0x2000));
	cr_assert_eq(at, 0x2000);
	cr_assert_eq(vms_free_lowest(&t, 0x1000, 0x2000, 0, true, &at),
	             vms_free_find(&t, 0x10000));
	cr_assert_eq(at, 0x10000);
	/* alloc_vmap_area() adjusts for align > page in a wider window ... */
	cr_assert_eq(vms_free_alloc(&t, 0x1000, 0x2000, PAGE, 0, 0x100000, &at, NULL), 0);
	cr_assert_eq(at, 0x10000);
	/* ... and not when the window is exactly the size */
	cr_assert_eq(vms_free_alloc(&t, 0x1000, 0x2000, PAGE, 0x2000, 0x3000, &at, NULL),
	             0);
	cr_assert_eq(at, 0x2000);
	/* and not for alignments up to a page */
	cr_assert_eq(vms_free_alloc(&t, 0x1000, 0x2000, 0x2000, 0, 0x100000, &at, NULL),
	             0);
	cr_assert_eq(at, 0x20000, "A's rest [0x3000, 0x4000) is not 0x2000-aligned");
	vms_free_release(&t);
}

/* Two holes: A [0x2000, 0x4000) under the root B [0x10000, 0x10800). With
 * the adjusted length 0x2fff nothing is searched below B, and B is too
 * small: the kernel finds nothing, though A would take the area at 0x2000. */
Test(vmap_free, big_alignment_may_miss_a_fit_in_a_small_hole)
{
	struct vms_free t;
	build_spans(&t, (struct span[]){{0x2000, 0x4000}, {0x10000, 0x10800}}, 2);
	uint64_t at = 0;
	cr_assert_eq(vms_free_hole(&t, t.root)->va_start, 0x10000, "B is the root");
	cr_assert_eq(vms_free_lowest(&t, 0x1000, 0x2000, 0, true, &at), 0);
	cr_assert_eq(vms_free_alloc(&t, 0x1000, 0x2000, PAGE, 0, 0x100000, &at, NULL),
	             -VMS_ERANGE);
	cr_assert_eq(vms_free_lowest(&t, 0x1000, 0x2000, 0, false, &at),
	             vms_free_find(&t, 0x2000));
	cr_assert_eq(at, 0x2000);
	vms_free_release(&t);
}

Test(vmap_free, holes_may_end_at_the_top_of_the_address_space)
{
	struct vms_free t;
	uint64_t top = UINT64_MAX - 0xfff; /* the last page, but one byte */
	build_spans(&t, (struct span[]){{0x1000, 0x2000}, {top - 0x4000, UINT64_MAX}}, 2);
	uint64_t at = 0;
	enum vms_fit_type fit;
	cr_assert_eq(
	    vms_free_alloc(&t, 0x4000, PAGE, PAGE, 0x2000, UINT64_MAX, &at, &fit), 0);
	cr_assert_eq(at, top - 0x4000);
	cr_assert_eq(fit, VMS_FIT_LE);
	/* 0x1000 more do not fit: the hole ends one byte short of 2^64 */
	cr_assert_eq(
	    vms_free_alloc(&t, 0x1000, PAGE, PAGE, 0x2000, UINT64_MAX, &at, &fit),
	    -VMS_ERANGE);
	cr_assert_eq(vms_free_alloc(&t, 0xfff, 1, PAGE, 0x2000, UINT64_MAX, &at, &fit),
	             0);
	cr_assert_eq(at, top);
	cr_assert_eq(fit, VMS_FIT_FL);
	cr_assert_eq(vms_free_insert(&t, top - 0x4000, UINT64_MAX), 0);
	assert_holes(&t, (struct span[]){{0x1000, 0x2000}, {top - 0x4000, UINT64_MAX}},
	             2);
	vms_free_release(&t);
}

/*
 * is_within_this_va() guards ALIGN() wrapping past 2^64 by "start <
 * vstart", which misses the wrap when the hole starts above vstart: here
 * ALIGN(hole start, 2^63) wraps to 0, and the kernel's test would place the
 * area at 0, outside the hole. This tree sees no fit.
 */
Test(vmap_free, alignment_carrying_past_2_64_is_no_fit)
{
	struct vms_free t;
	uint64_t s = UINT64_MAX - 0x3ffff;
	build_spans(&t, (struct span[]){{s, UINT64_MAX}}, 1);
	uint64_t at = 0;
	cr_assert_eq(vms_free_lowest(&t, PAGE, 1ull << 63, 0, false, &at), 0);
	cr_assert_eq(vms_free_lowest(&t, PAGE, 1ull << 63, 0, true, &at), 0);
	cr_assert_eq(vms_free_lowest(&t, PAGE, 1ull << 63, s, false, &at), 0);
	cr_assert_eq(vms_free_lowest(&t, PAGE, PAGE, 0, true, &at), t.root);
	cr_assert_eq(at, s);
	vms_free_release(&t);
}

Test(vmap_free, find_and_walk_an_empty_tree)
{
	struct vms_free t;
	vms_free_init(&t);
	uint64_t at = 0;
	cr_assert_eq(vms_free_first(&t), 0);
	cr_assert_eq(vms_free_find(&t, 0), 0);
	cr_assert_eq(vms_free_largest(&t), 0);
	cr_assert_eq(vms_free_lowest(&t, PAGE, PAGE, 0, false, &at), 0);
	cr_assert_eq(vms_free_alloc(&t, PAGE, PAGE, PAGE, 0, UINT64_MAX, &at, NULL),
	             -VMS_ERANGE);
	assert_valid_free(&t);
	cr_assert_eq(vms_free_insert(&t, 0x1000, 0x2000), 0);
	assert_holes(&t, (struct span[]){{0x1000, 0x2000}}, 1);
	vms_free_release(&t);
}

/* ---- busy tree: hand cases ------------------------------------------------------ */

/* A record as the model keeps them: the key first, other fields after. */
struct rec {
	uint64_t start, end;
	uint32_t tag;
};

static void assert_busy_order(const struct vms_busy *t, const uint32_t *want, size_t n)
{
	uint32_t i = vms_busy_first(t);

	assert_valid_busy(t);
	for (size_t k = 0; k < n; k++, i = vms_busy_next(t, i))
		if (i != want[k])
			cr_assert_fail("position %zu holds record %u, want %u", k, i,
			               want[k]);
	cr_assert_eq(i, UINT32_MAX, "more records than the %zu expected", n);
	cr_assert_eq(t->count, n);
}

Test(vmap_busy, equal_starts_keep_insertion_order)
{
	struct rec r[] = {{0x3000}, {0x1000}, {0x3000}, {0x2000}, {0x3000}, {0x1000}};
	struct vms_busy t;
	vms_busy_init(&t, r, sizeof(r[0]));
	for (uint32_t i = 0; i < N_OF(r); i++)
		vms_busy_insert(&t, i);
	assert_busy_order(&t, (uint32_t[]){1, 5, 3, 0, 2, 4}, 6);
	cr_assert_eq(vms_busy_lower_bound(&t, 0x3000), 0,
	             "the first of the equal starts");
	cr_assert_eq(vms_busy_floor(&t, 0x3000), 4, "the last of the equal starts");
	cr_assert_eq(vms_busy_lower_bound(&t, 0x2001), 0);
	cr_assert_eq(vms_busy_floor(&t, 0x2fff), 3);
	cr_assert_eq(vms_busy_lower_bound(&t, 0), 1);
	cr_assert_eq(vms_busy_floor(&t, UINT64_MAX), 4);
	cr_assert_eq(vms_busy_lower_bound(&t, 0x3001), UINT32_MAX);
	cr_assert_eq(vms_busy_floor(&t, 0xfff), UINT32_MAX);
	vms_busy_erase(&t, 2);
	assert_busy_order(&t, (uint32_t[]){1, 5, 3, 0, 4}, 5);
	cr_assert(!vms_busy_contains(&t, 2));
	cr_assert(vms_busy_contains(&t, 0));
	cr_assert(!vms_busy_contains(&t, 100));
	vms_busy_insert(&t, 2);
	assert_busy_order(&t, (uint32_t[]){1, 5, 3, 0, 4, 2}, 6);
	vms_busy_free(&t);
	vms_busy_free(NULL);
}

Test(vmap_busy, build_from_sorted_order_then_grow_after_rebase)
{
	size_t n = 1000;
	struct rec *r = calloc(2 * n, sizeof(*r));
	uint32_t *order = calloc(2 * n, sizeof(*order));
	cr_assert(r && order);
	for (size_t i = 0; i < n; i++)
		r[i].start = (i / 3) * PAGE, order[i] = (uint32_t)i;
	struct vms_busy t;
	vms_busy_init(&t, r, sizeof(*r));
	cr_assert_eq(vms_busy_first(&t), UINT32_MAX);
	cr_assert_eq(vms_busy_lower_bound(&t, 0), UINT32_MAX);
	vms_busy_build(&t, order, n);
	assert_busy_order(&t, order, n);
	cr_assert_eq(vms_busy_bytes(&t), (n + 1) * 12, "12 bytes per node");
	cr_assert_eq(vms_busy_floor(&t, 5 * PAGE), 17);
	/* the records move; new ones go in between */
	struct rec *moved = malloc(2 * n * sizeof(*r));
	cr_assert(moved);
	memcpy(moved, r, n * sizeof(*r));
	memset(r, 0xff, n * sizeof(*r));
	free(r);
	vms_busy_rebase(&t, moved);
	for (size_t i = n; i < 2 * n; i++) {
		moved[i].start = ((i - n) / 3) * PAGE;
		vms_busy_insert(&t, (uint32_t)i);
	}
	/* expected: old and new merged, old first among equal starts */
	for (size_t i = 0, a = 0, b = n; i < 2 * n; i++)
		order[i] =
		    (uint32_t)(b == 2 * n || (a < n && moved[a].start <= moved[b].start)
		                   ? a++
		                   : b++);
	assert_busy_order(&t, order, 2 * n);
	cr_assert_eq(vms_busy_lower_bound(&t, 2 * PAGE), 6);
	cr_assert_eq(vms_busy_floor(&t, 2 * PAGE), n + 8);
	vms_busy_free(&t);
	free(moved);
	free(order);
}

/* ---- validate catches corruption ------------------------------------------------------
 */

/* Expects validate's verdict -VMS_EINVAL with a reason holding word. */
static void expect_caught(int rc, const char *why, const char *word, int which)
{
	cr_assert_eq(rc, -VMS_EINVAL, "corruption %d not caught", which);
	cr_assert(strstr(why, word) != NULL, "corruption %d: \"%s\" lacks \"%s\"", which,
	          why, word);
}

/*
 * Seven records, built: a perfect tree of ids (record + 1)
 *
 *            4(B)
 *          /      \
 *       2(B)      6(B)
 *      /   \     /   \
 *    1(R) 3(R) 5(R) 7(R)
 */
Test(vmap_validate, busy_tree_corruption_is_caught)
{
	static const char *const word[] = {
	    "root",         "red child", "black heights", "parent",
	    "out of order", "count",     "both sides",    "outside the pool"};
	for (int c = 0; c < (int)N_OF(word); c++) {
		struct rec r[7];
		uint32_t order[7];
		for (uint32_t i = 0; i < 7; i++)
			r[i] = (struct rec){.start = i * PAGE}, order[i] = i;
		struct vms_busy t;
		vms_busy_init(&t, r, sizeof(r[0]));
		vms_busy_build(&t, order, 7);
		assert_valid_busy(&t);
		cr_assert_eq(t.root, 4);
		struct vms_rbnode *n = t.node.v;
		switch (c) {
		case 0: /* red root */
			n[4].parent_color &= ~1u;
			break;
		case 1: /* red over red */
			n[2].parent_color &= ~1u;
			break;
		case 2: /* one more black */
			n[1].parent_color |= 1u;
			break;
		case 3: /* wrong parent */
			n[1].parent_color = 6u << 1;
			break;
		case 4: /* a key moved */
			r[0].start = 0x10 * PAGE;
			break;
		case 5:
			t.count++;
			break;
		case 6: /* one child twice */
			n[2].right = 1;
			break;
		case 7: /* a wild link */
			n[6].right = 99;
			break;
		}
		char why[256] = "";
		expect_caught(vms_busy_validate(&t, why, sizeof(why)), why, word[c], c);
		cr_assert_eq(vms_busy_validate(&t, NULL, 0), -VMS_EINVAL);
		vms_busy_free(&t);
	}
}

Test(vmap_validate, free_tree_corruption_is_caught)
{
	static const char *const word[] = {"subtree_max_size",
	                                   "out of order",
	                                   "empty",
	                                   "red",
	                                   "total",
	                                   "spare",
	                                   "count",
	                                   "pool"};
	for (int c = 0; c < (int)N_OF(word); c++) {
		uint64_t s[7], e[7];
		for (int i = 0; i < 7; i++)
			s[i] = 0x10000 * (uint64_t)(i + 1),
			e[i] = s[i] + 0x1000 * (uint64_t)(i + 1);
		struct vms_free t;
		vms_free_init(&t);
		cr_assert_eq(vms_free_build(&t, s, e, 7), 0);
		assert_valid_free(&t);
		cr_assert_eq(t.root, 4);
		struct vms_hole *h = t.hole.v;
		switch (c) {
		case 0: /* a stale maximum */
			h[4].subtree_max_size--;
			break;
		case 1: /* two holes touch */
			h[2].va_start = h[1].va_end;
			break;
		case 2: /* an empty hole */
			h[1].va_end = h[1].va_start;
			break;
		case 3: /* red over red */
			t.node.v[6].parent_color &= ~1u;
			break;
		case 4:
			t.total += PAGE;
			break;
		case 5: /* a hole in the tree on the chain */
			t.spare = 3;
			break;
		case 6:
			t.count--;
			break;
		case 7: /* an id neither in the tree nor spare */
			vms_vec_push(&t.node,
			             ((struct vms_rbnode){(uint32_t)t.node.n << 1 | 1}));
			vms_vec_push(&t.hole, ((struct vms_hole){0}));
			break;
		}
		char why[256] = "";
		expect_caught(vms_free_validate(&t, why, sizeof(why)), why, word[c], c);
		vms_free_release(&t);
	}
}

/* ---- busy tree: random operations against a sorted array ------------------------------
 */

#define BUSY_CAP 1024

struct busy_model {
	struct rec rec[BUSY_CAP];
	uint32_t ord[BUSY_CAP]; /* records in the tree, in tree order */
	size_t n;
	uint32_t out[BUSY_CAP]; /* records not in the tree */
	size_t nout;
	bool in[BUSY_CAP];
};

/* First position whose key is >= key (strict: > key). */
static size_t busy_pos(const struct busy_model *m, uint64_t key, bool strict)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k = m->rec[m->ord[mid]].start;
		if (k < key || (strict && k == key))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint64_t random_key(struct rng *r)
{
	uint64_t c = below(r, 10);
	return c < 7 ? below(r, 512) * PAGE : c < 9 ? rnd(r) : UINT64_MAX - below(r, 4);
}

static void busy_insert(struct vms_busy *t, struct busy_model *m, struct rng *r)
{
	size_t k = below(r, m->nout);
	uint32_t i = m->out[k];
	m->out[k] = m->out[--m->nout];
	m->rec[i].start = random_key(r);
	vms_busy_insert(t, i);
	size_t pos = busy_pos(m, m->rec[i].start, true);
	memmove(&m->ord[pos + 1], &m->ord[pos], (m->n - pos) * sizeof(m->ord[0]));
	m->ord[pos] = i;
	m->n++;
	m->in[i] = true;
}

static void busy_erase(struct vms_busy *t, struct busy_model *m, struct rng *r)
{
	size_t pos = below(r, m->n);
	uint32_t i = m->ord[pos];
	vms_busy_erase(t, i);
	memmove(&m->ord[pos], &m->ord[pos + 1], (m->n - pos - 1) * sizeof(m->ord[0]));
	m->n--;
	m->out[m->nout++] = i;
	m->in[i] = false;
}

static void busy_query(const struct vms_busy *t, const struct busy_model *m,
                       struct rng *r)
{
	uint64_t addr = rnd(r);
	if (m->n && chance(r, 80))
		addr = m->rec[m->ord[below(r, m->n)]].start + below(r, 3) - 1;
	size_t lb = busy_pos(m, addr, false), ub = busy_pos(m, addr, true);
	uint32_t want_lb = lb < m->n ? m->ord[lb] : UINT32_MAX;
	uint32_t want_fl = ub ? m->ord[ub - 1] : UINT32_MAX;
	uint32_t got_lb = vms_busy_lower_bound(t, addr), got_fl = vms_busy_floor(t, addr);
	if (got_lb != want_lb || got_fl != want_fl)
		cr_assert_fail("at %#llx: lower_bound %u floor %u, want %u %u",
		               (unsigned long long)addr, got_lb, got_fl, want_lb,
		               want_fl);
	uint32_t i = (uint32_t)below(r, BUSY_CAP + 8);
	cr_assert_eq(vms_busy_contains(t, i), i < BUSY_CAP && m->in[i], "record %u", i);
}

Test(vmap_busy, random_operations_match_a_sorted_array)
{
	static struct busy_model m;
	struct rng r = {0x9e3779b97f4a7c15ull};
	struct vms_busy t;
	size_t target = 0, rebuilds = 0, most = 0;

	memset(&m, 0, sizeof(m));
	for (uint32_t i = 0; i < BUSY_CAP; i++)
		m.out[i] = i;
	m.nout = BUSY_CAP;
	vms_busy_init(&t, m.rec, sizeof(m.rec[0]));
	for (long op = 0; op < 100000; op++) {
		if (op % 10000 == 0)
			target = below(&r, BUSY_CAP);
		if (m.nout && (!m.n || chance(&r, m.n < target ? 75 : 25)))
			busy_insert(&t, &m, &r);
		else
			busy_erase(&t, &m, &r);
		if (op % 9973 == 9972) {
			vms_busy_build(&t, m.ord, m.n);
			rebuilds++;
		}
		assert_busy_order(&t, m.ord, m.n);
		busy_query(&t, &m, &r);
		busy_query(&t, &m, &r);
		most = m.n > most ? m.n : most;
	}
	cr_assert_geq(most, BUSY_CAP / 2, "the tree grew big");
	cr_assert_eq(rebuilds, 10);
	vms_busy_free(&t);
}

/* ---- free tree: random allocs, frees and searches against a brute-force scan
 * ------------ */

typedef VMS_VEC(struct span) span_vec;

struct free_stats {
	unsigned long fit[5];   /* by enum vms_fit_type */
	unsigned long merge[4]; /* none, below, above, both */
	unsigned long higher;   /* adjusted searches that passed the lowest fit */
	unsigned long missed;   /* adjusted searches that found nothing, yet one fit */
	unsigned long erange, refused, rebuilt;
};

struct free_run {
	struct vms_free t;
	span_vec holes; /* the model: ascending, apart */
	span_vec used;  /* allocated ranges, any order */
	uint64_t base, span;
	struct rng r;
	struct free_stats st;
};

/* Brute force, independent of fits_in(): where size bytes aligned to align
 * start in h at or above vstart, if they fit. */
static bool model_fits(const struct span *h, uint64_t size, uint64_t align,
                       uint64_t vstart, uint64_t *addr)
{
	uint64_t from = h->start > vstart ? h->start : vstart, at = from;
	if (from % align) {
		if (from - from % align > UINT64_MAX - align)
			return false;
		at = from - from % align + align;
	}
	if (at >= h->end || h->end - at < size)
		return false;
	*addr = at;
	return true;
}

/* h holds len bytes at or above vstart. */
static bool model_holds(const struct span *h, uint64_t len, uint64_t vstart)
{
	uint64_t from = h->start > vstart ? h->start : vstart;
	return from < h->end && h->end - from >= len;
}

/* Position of the first hole starting at or above addr. */
static size_t model_pos(const span_vec *m, uint64_t addr)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->v[mid].start < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Position of the hole holding addr, or SIZE_MAX. */
static size_t model_holding(const span_vec *m, uint64_t addr)
{
	size_t k = model_pos(m, addr);
	if (k < m->n && m->v[k].start == addr)
		return k;
	return k && addr < m->v[k - 1].end ? k - 1 : SIZE_MAX;
}

/*
 * One search, checked against the scan. Without adjust: the lowest fit,
 * exactly. With adjust: a fit, at or above the lowest fit, and at or below
 * the lowest hole holding size + align - 1 bytes above vstart. Returns the
 * hole's id (0: none) and the start in *addr.
 */
static uint32_t check_search(struct free_run *fr, uint64_t size, uint64_t align,
                             uint64_t vstart, bool adjust, uint64_t *addr)
{
	const span_vec *m = &fr->holes;
	uint64_t len = size + align - 1 < size ? UINT64_MAX : size + align - 1;
	uint64_t low_at = 0, at = 0;
	size_t low = SIZE_MAX, hold = SIZE_MAX;
	for (size_t k = 0; k < m->n && (low == SIZE_MAX || hold == SIZE_MAX); k++) {
		if (low == SIZE_MAX && model_fits(&m->v[k], size, align, vstart, &low_at))
			low = k;
		if (hold == SIZE_MAX && model_holds(&m->v[k], len, vstart))
			hold = k;
	}
	uint32_t id = vms_free_lowest(&fr->t, size, align, vstart, adjust, addr);
	size_t k = id ? model_pos(m, vms_free_hole(&fr->t, id)->va_start) : SIZE_MAX;
	bool ok;
	if (!adjust)
		ok = low == SIZE_MAX ? !id : id && k == low && *addr == low_at;
	else if (!id)
		ok = hold == SIZE_MAX;
	else
		ok = k < m->n && model_fits(&m->v[k], size, align, vstart, &at) &&
		     at == *addr && k >= low && (hold == SIZE_MAX || k <= hold);
	if (!ok)
		cr_assert_fail(
		    "size %#llx align %#llx vstart %#llx adjust %d: hole %zu at %#llx, "
		    "lowest fit %zu, lowest holding %zu",
		    (unsigned long long)size, (unsigned long long)align,
		    (unsigned long long)vstart, adjust, k, (unsigned long long)*addr, low,
		    hold);
	fr->st.higher += adjust && id && k > low;
	fr->st.missed += adjust && !id && low != SIZE_MAX;
	return id;
}

/* The model's va_clip(). */
static enum vms_fit_type model_clip(span_vec *m, uint64_t at, uint64_t size)
{
	size_t k = model_holding(m, at);
	cr_assert_neq(k, SIZE_MAX);
	struct span *h = &m->v[k];
	if (h->start == at && h->end == at + size) {
		memmove(h, h + 1, (m->n - k - 1) * sizeof(*h));
		m->n--;
		return VMS_FIT_FL;
	}
	if (h->start == at) {
		h->start = at + size;
		return VMS_FIT_LE;
	}
	if (h->end == at + size) {
		h->end = at;
		return VMS_FIT_RE;
	}
	struct span left = {h->start, at};
	h->start = at + size;
	vms_vec_reserve(m, m->n + 1);
	memmove(&m->v[k + 1], &m->v[k], (m->n - k) * sizeof(m->v[0]));
	m->v[k] = left;
	m->n++;
	return VMS_FIT_NE;
}

/* The model's merge_or_add_vmap_area(); returns the merge kind. */
static int model_insert(span_vec *m, uint64_t s, uint64_t e)
{
	size_t k = model_pos(m, s);
	bool below = k && m->v[k - 1].end == s, above = k < m->n && m->v[k].start == e;
	if (below && above) {
		m->v[k - 1].end = m->v[k].end;
		memmove(&m->v[k], &m->v[k + 1], (m->n - k - 1) * sizeof(m->v[0]));
		m->n--;
	} else if (below) {
		m->v[k - 1].end = e;
	} else if (above) {
		m->v[k].start = s;
	} else {
		vms_vec_reserve(m, m->n + 1);
		memmove(&m->v[k + 1], &m->v[k], (m->n - k) * sizeof(m->v[0]));
		m->v[k] = (struct span){s, e};
		m->n++;
	}
	return below + 2 * above;
}

static uint64_t random_size(struct rng *r)
{
	uint64_t c = below(r, 100);
	if (c < 5)
		return 1 + below(r, 0x20000); /* not a page multiple */
	if (c < 10)
		return (1 + below(r, 4096)) * PAGE;        /* up to 16 MiB */
	return (1 + below(r, 1ull << below(r, 9))) * PAGE; /* mostly small, to 1 MiB */
}

static uint64_t random_align(struct rng *r)
{
	uint64_t c = below(r, 100);
	if (c < 55)
		return PAGE;
	if (c < 85)
		return 1ull << (13 + below(r, 8)); /* 8 KiB .. 1 MiB */
	if (c < 92)
		return 1ull << (21 + below(r, 8)); /* 2 MiB .. 256 MiB */
	if (c < 97)
		return 1ull << below(r, 12); /* below a page */
	return 1ull << (29 + below(r, 35));  /* up to 2^63 */
}

static uint64_t random_addr(struct free_run *fr)
{
	uint64_t a = fr->base + below(&fr->r, fr->span);
	return chance(&fr->r, 60) ? a & ~(PAGE - 1) : a;
}

static void op_alloc(struct free_run *fr)
{
	struct rng *r = &fr->r;
	uint64_t size = random_size(r), align = random_align(r),
	         end = fr->base + fr->span;
	uint64_t vstart = chance(r, 50) ? fr->base : random_addr(fr), vend = end;
	uint64_t c = below(r, 100);
	if (c < 20)
		vend = vstart + below(r, end - vstart + 1);
	else if (c < 25)
		vend = vstart > UINT64_MAX - size ? UINT64_MAX : vstart + size;
	else if (c < 30)
		vend = UINT64_MAX;
	bool adjust = align > PAGE && vend - vstart != size;
	uint64_t at = 0, got = 0;
	uint32_t id = check_search(fr, size, align, vstart, adjust, &at);
	enum vms_fit_type fit = VMS_FIT_NONE;
	int rc = vms_free_alloc(&fr->t, size, align, PAGE, vstart, vend, &got, &fit);
	if (!id || size > vend || at > vend - size) {
		cr_assert_eq(rc, -VMS_ERANGE);
		fr->st.erange++;
		return;
	}
	cr_assert_eq(rc, 0);
	cr_assert_eq(got, at);
	cr_assert_eq(fit, model_clip(&fr->holes, at, size));
	fr->st.fit[fit]++;
	vms_vec_push(&fr->used, ((struct span){at, at + size}));
}

static void op_free(struct free_run *fr)
{
	size_t k = below(&fr->r, fr->used.n);
	struct span u = fr->used.v[k];
	fr->used.v[k] = fr->used.v[--fr->used.n];
	cr_assert_eq(vms_free_insert(&fr->t, u.start, u.end), 0);
	fr->st.merge[model_insert(&fr->holes, u.start, u.end)]++;
}

/* An insert over part of a hole is refused (the comparison after each
 * operation shows nothing changed). */
static void op_overlap(struct free_run *fr)
{
	if (!fr->holes.n)
		return;
	const struct span *h = &fr->holes.v[below(&fr->r, fr->holes.n)];
	uint64_t s = h->start + below(&fr->r, h->end - h->start);
	if (chance(&fr->r, 30) && h->start - fr->base > PAGE)
		s = h->start - 1 - below(&fr->r, PAGE); /* from below the hole */
	uint64_t from = s > h->start ? s : h->start,
	         e = from + 1 + below(&fr->r, 0x10000);
	cr_assert_eq(vms_free_insert(&fr->t, s, e < from ? UINT64_MAX : e), -VMS_EINVAL);
	fr->st.refused++;
}

static void op_find(struct free_run *fr)
{
	uint64_t a = random_addr(fr);
	if (fr->holes.n && chance(&fr->r, 50)) {
		const struct span *h = &fr->holes.v[below(&fr->r, fr->holes.n)];
		a = chance(&fr->r, 50) ? h->start : h->end - chance(&fr->r, 50);
	}
	size_t k = model_holding(&fr->holes, a);
	uint32_t id = vms_free_find(&fr->t, a);
	if (k == SIZE_MAX)
		cr_assert_eq(id, 0, "%#llx is not free", (unsigned long long)a);
	else
		cr_assert(id &&
		              vms_free_hole(&fr->t, id)->va_start == fr->holes.v[k].start,
		          "%#llx", (unsigned long long)a);
}

static void rebuild(struct free_run *fr)
{
	size_t n = fr->holes.n;
	uint64_t *s = malloc((n + 1) * sizeof(*s)), *e = malloc((n + 1) * sizeof(*e));
	cr_assert(s && e);
	for (size_t k = 0; k < n; k++)
		s[k] = fr->holes.v[k].start, e[k] = fr->holes.v[k].end;
	cr_assert_eq(vms_free_build(&fr->t, s, e, n), 0);
	free(s);
	free(e);
	fr->st.rebuilt++;
}

/* n operations in [base, base + span): a few big holes with busy gaps to
 * start with, then allocs, frees, searches, refused inserts, finds, and now
 * and then a rebuild; validate and compare with the model after each. */
static void free_run(struct free_run *fr, long ops)
{
	for (uint64_t k = 0; k < 8; k++) {
		uint64_t s = fr->base + k * (fr->span / 8), gap = (k + 1) * PAGE;
		vms_vec_push(&fr->holes, ((struct span){s, s + fr->span / 8 - gap}));
		vms_vec_push(&fr->used,
		             ((struct span){s + fr->span / 8 - gap, s + fr->span / 8}));
	}
	rebuild(fr);
	for (long op = 0; op < ops; op++) {
		uint64_t c = below(&fr->r, 100);
		if (fr->used.n > 1200 || (c < 35 && fr->used.n))
			op_free(fr);
		else if (c < 80)
			op_alloc(fr);
		else if (c < 90) {
			uint64_t at;
			check_search(fr, random_size(&fr->r), random_align(&fr->r),
			             random_addr(fr), chance(&fr->r, 50), &at);
		} else if (c < 95)
			op_overlap(fr);
		else
			op_find(fr);
		if (op % 10007 == 10006)
			rebuild(fr);
		assert_holes(&fr->t, fr->holes.v, fr->holes.n);
	}
}

static void free_run_done(struct free_run *fr, struct free_stats *sum)
{
	for (int k = 0; k < 5; k++)
		sum->fit[k] += fr->st.fit[k];
	for (int k = 0; k < 4; k++)
		sum->merge[k] += fr->st.merge[k];
	sum->higher += fr->st.higher;
	sum->missed += fr->st.missed;
	sum->erange += fr->st.erange;
	sum->refused += fr->st.refused;
	sum->rebuilt += fr->st.rebuilt;
	vms_free_release(&fr->t);
	free(fr->holes.v);
	free(fr->used.v);
}

Test(vmap_free, random_allocs_frees_and_searches_match_a_brute_force_scan)
{
	/* x86-64's vmalloc start, and a space ending at the top of 2^64 */
	static const uint64_t span = 256ull << 20;
	static const uint64_t bases[] = {0xffffc90000000000ull, UINT64_MAX - span};
	struct free_stats sum = {0};
	for (size_t b = 0; b < N_OF(bases); b++) {
		struct free_run fr = {
		    .base = bases[b], .span = span, .r = {0x2545f4914f6cdd1dull + b}};
		vms_free_init(&fr.t);
		free_run(&fr, 60000);
		free_run_done(&fr, &sum);
	}
	/* every path ran */
	for (int k = VMS_FIT_FL; k <= VMS_FIT_NE; k++)
		cr_assert_gt(sum.fit[k], 100, "fit %s: %lu", vms_fit_type_name(k),
		             sum.fit[k]);
	for (int k = 0; k < 4; k++)
		cr_assert_gt(sum.merge[k], 100, "merge kind %d: %lu", k, sum.merge[k]);
	cr_assert_gt(sum.higher, 0, "an adjusted search passed a lower fit");
	cr_assert_gt(sum.missed, 0, "an adjusted search missed a small fit");
	cr_assert_gt(sum.erange, 100);
	cr_assert_gt(sum.refused, 1000);
	cr_assert_eq(sum.rebuilt, 2 + 2 * 5);
}

/* ---- the red-black tree itself: augmentation and cost
 * ---------------------------------- */

/* Order statistics as the augmentation: each node's subtree size. Counts
 * the update calls. */
struct ost {
	struct vms_rbnode *n;
	uint64_t *key;
	uint32_t *size; /* size[0] = 0 */
	unsigned long updates;
};

static bool ost_update(void *ctx, uint32_t id)
{
	struct ost *o = ctx;
	uint32_t s = 1 + o->size[o->n[id].left] + o->size[o->n[id].right];
	o->updates++;
	if (o->size[id] == s)
		return false;
	o->size[id] = s;
	return true;
}

/* Subtree size recomputed; asserts the stored one; in-order keys ascend. */
static uint32_t ost_check(const struct ost *o, uint32_t id, unsigned depth,
                          unsigned *height)
{
	if (!id)
		return 0;
	*height = depth > *height ? depth : *height;
	uint32_t l = o->n[id].left, r = o->n[id].right;
	if (l && o->key[l] > o->key[id])
		cr_assert_fail("node %u: left key above", id);
	if (r && o->key[r] < o->key[id])
		cr_assert_fail("node %u: right key below", id);
	uint32_t s =
	    1 + ost_check(o, l, depth + 1, height) + ost_check(o, r, depth + 1, height);
	if (s != o->size[id])
		cr_assert_fail("node %u: size %u, subtree %u", id, o->size[id], s);
	return s;
}

static unsigned bits(size_t n)
{
	unsigned b = 0;
	for (; n; n >>= 1)
		b++;
	return b;
}

#define OST_CAP 2048

/* Insert node id by key, after equal keys. */
static void ost_insert(struct ost *o, uint32_t *root, uint32_t id,
                       const struct vms_rb_aug *a)
{
	uint32_t parent = 0;
	bool left = false;
	for (uint32_t cur = *root; cur; cur = left ? o->n[cur].left : o->n[cur].right) {
		parent = cur;
		left = o->key[id] < o->key[cur];
	}
	o->size[id] = 0;
	vms_rb_insert(o->n, root, id, parent, left, a);
}

Test(rbtree, augmented_values_stay_exact_and_updates_stay_logarithmic)
{
	static struct vms_rbnode node[OST_CAP];
	static uint64_t key[OST_CAP];
	static uint32_t size[OST_CAP], in[OST_CAP], walk[OST_CAP];
	struct ost o = {node, key, size, 0};
	struct vms_rb_aug aug = {ost_update, &o};
	struct rng r = {42};
	uint32_t root = 0;
	size_t n = 0, target = 0;

	for (uint32_t id = 0; id < OST_CAP; id++)
		vms_rb_clear(node, id);
	for (long op = 0; op < 50000; op++) {
		if (op % 5000 == 0)
			target = below(&r, OST_CAP - 1);
		bool ins = n < OST_CAP - 1 && (!n || chance(&r, n < target ? 75 : 25));
		size_t before = n;
		o.updates = 0;
		if (ins) {
			uint32_t id = (uint32_t)below(&r, OST_CAP - 1) + 1;
			while (vms_rb_linked(node, id))
				id = id % (OST_CAP - 1) + 1;
			key[id] = below(&r, 300);
			ost_insert(&o, &root, id, &aug);
			in[n++] = id;
		} else {
			size_t k = below(&r, n);
			vms_rb_erase(node, &root, in[k], &aug);
			cr_assert(!vms_rb_linked(node, in[k]));
			in[k] = in[--n];
		}
		/* h <= 2 log2(n + 1) levels; an insert updates at most h + 5
		 * nodes, an erase h + 6 */
		unsigned h_max = 2 * bits((before > n ? before : n) + 1);
		cr_assert_leq(o.updates, h_max + 6, "%lu updates for %zu nodes",
		              o.updates, n);

		size_t count = 0;
		char why[256] = "";
		cr_assert_eq(
		    vms_rb_validate(node, OST_CAP, root, &count, why, sizeof(why)), 0,
		    "%s", why);
		cr_assert_eq(count, n);
		unsigned height = 0;
		cr_assert_eq(ost_check(&o, root, 1, &height), n);
		cr_assert_leq(height, h_max);
		/* the walk both ways */
		size_t m = 0;
		for (uint32_t id = vms_rb_first(node, root); id;
		     id = vms_rb_next(node, id))
			walk[m++] = id;
		cr_assert_eq(m, n);
		for (uint32_t id = vms_rb_last(node, root); id;
		     id = vms_rb_prev(node, id))
			if (walk[--m] != id)
				cr_assert_fail("backward walk differs at %zu", m);
	}
}

/* Building n nodes updates each once and rotates none: O(n) work; every
 * size from 0 to 70 gives a valid tree of the least height. */
Test(rbtree, build_updates_each_node_once_and_is_balanced)
{
	size_t big = 1000000;
	struct vms_rbnode *node = calloc(big + 1, sizeof(*node));
	uint64_t *key = calloc(big + 1, sizeof(*key));
	uint32_t *size = calloc(big + 1, sizeof(*size));
	cr_assert(node && key && size);
	struct ost o = {node, key, size, 0};
	struct vms_rb_aug aug = {ost_update, &o};
	for (size_t n = 0; n <= 70; n++) {
		o.updates = 0;
		uint32_t root = vms_rb_build(node, NULL, 1, n, &aug);
		size_t count = 0;
		char why[256] = "";
		cr_assert_eq(vms_rb_validate(node, n + 1, root, &count, why, sizeof(why)),
		             0, "n %zu: %s", n, why);
		cr_assert_eq(count, n);
		cr_assert_eq(o.updates, n);
		unsigned height = 0;
		cr_assert_eq(ost_check(&o, root, 1, &height), n);
		cr_assert_eq(height, bits(n), "n %zu", n);
		/* in order: ids 1..n */
		uint32_t id = vms_rb_first(node, root);
		for (uint32_t k = 1; k <= n; k++, id = vms_rb_next(node, id))
			cr_assert_eq(id, k);
	}
	o.updates = 0;
	uint32_t root = vms_rb_build(node, NULL, 1, big, &aug);
	cr_assert_eq(o.updates, big);
	size_t count = 0;
	cr_assert_eq(vms_rb_validate(node, big + 1, root, &count, NULL, 0), 0);
	cr_assert_eq(count, big);
	cr_assert_eq(size[root], big);
	free(node);
	free(key);
	free(size);
}

/* A million holes: built in one pass, valid, 36 bytes each (a 12-byte node
 * and a 24-byte hole, plus the unused id 0). */
Test(vmap_free, build_of_a_million_holes_is_valid_at_36_bytes_per_hole)
{
	size_t n = 1000000;
	uint64_t *s = malloc(n * sizeof(*s)), *e = malloc(n * sizeof(*e));
	cr_assert(s && e);
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		s[i] = 0xffffc90000000000ull + i * 0x10000;
		e[i] = s[i] + (1 + i % 7) * PAGE;
		total += e[i] - s[i];
	}
	struct vms_free t;
	vms_free_init(&t);
	cr_assert_eq(vms_free_build(&t, s, e, n), 0);
	assert_valid_free(&t);
	cr_assert_eq(t.count, n);
	cr_assert_eq(t.total, total);
	cr_assert_eq(vms_free_largest(&t), 7 * PAGE);
	cr_assert_eq(vms_free_bytes(&t), (n + 1) * 36);
	cr_assert_eq(vms_free_bytes(&t) / n, 36);
	/* the lowest 7-page hole above the middle */
	uint64_t at = 0;
	uint32_t id = vms_free_lowest(&t, 7 * PAGE, PAGE, s[n / 2], false, &at);
	cr_assert(id);
	cr_assert_eq(at, s[n / 2 + 6 - (n / 2) % 7]);
	free(s);
	free(e);
	vms_free_release(&t);
}

/* Max augmentation over val[]: what subtree_max_size is to the free tree. */
struct maxaug {
	const struct vms_rbnode *n;
	const uint64_t *val;
	uint64_t *max; /* max[0] = 0 */
};

static bool max_update(void *ctx, uint32_t id)
{
	struct maxaug *a = ctx;
	uint64_t m = a->val[id], l = a->max[a->n[id].left], r = a->max[a->n[id].right];
	m = l > m ? l : m;
	m = r > m ? r : m;
	if (a->max[id] == m)
		return false;
	a->max[id] = m;
	return true;
}

/*
 * Fifteen nodes; erasing 4, which holds the largest value, moves its
 * successor 5 (a leaf holding the second largest) into its place. 5's value
 * comes out the same as before, yet the root above still counted 4's: the
 * update must not stop at 5.
 *
 *              8                      8
 *           /     \                /     \
 *         4(100)   12    ==>    5(50)     12
 *        /   \                 /   \
 *       2     6               2     6
 *      / \   / \             / \     \
 *     1   3 5(50) 7         1   3     7
 */
Test(rbtree, erase_recomputes_above_a_successor_whose_value_did_not_change)
{
	struct vms_rbnode node[16];
	uint64_t val[16] = {0}, max[16] = {0};
	for (uint32_t id = 1; id < 16; id++)
		val[id] = id;
	val[4] = 100;
	val[5] = 50;
	struct maxaug m = {node, val, max};
	struct vms_rb_aug aug = {max_update, &m};
	uint32_t root = vms_rb_build(node, NULL, 1, 15, &aug);
	cr_assert_eq(root, 8);
	cr_assert_eq(max[8], 100);
	vms_rb_erase(node, &root, 4, &aug);
	cr_assert_eq(node[8].left, 5, "the successor took the erased node's place");
	cr_assert_eq(max[5], 50);
	cr_assert_eq(max[8], 50, "the root no longer counts the erased node");
	size_t count = 0;
	cr_assert_eq(vms_rb_validate(node, 16, root, &count, NULL, 0), 0);
	cr_assert_eq(count, 14);
}
