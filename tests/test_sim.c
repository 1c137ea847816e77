/*
 * test_sim.c — the simulated allocator against oracles: every allocation
 * of random runs checked against a brute-force scan of the same state
 * (modern lowest fit, legacy walk from the next-fit cache, 2.6.28–2.6.38
 * extra page, per-cpu top-down), the invariants after every operation
 * (vms_sim_validate, and vms_aspace_validate on the snapshot's model),
 * modern and legacy compared (where they agree, and the exact case where
 * they differ), the kernel rules one by one (ioremap alignment by era,
 * guard pages, lazy freeing and purge-and-retry, vm_map_ram blocks, the
 * 6.9+ pools, nested pages arrays), and the failure line of each era.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_int.h"
#include "vmscope/aspace.h"
#include "vmscope/emit.h"
#include "vmscope/parse.h"

/* ---- helpers ------------------------------------------------------------------ */

static struct vms_sim *new_sim(const char *arch, int major, int minor, int patch,
                               int policy)
{
	const struct vms_profile *p = vms_profile_era(arch, major, minor, patch);
	cr_assert(p, "no profile %s %d.%d", arch, major, minor);
	struct vms_sim_config c = {.profile = p,
	                           .kernel_major = major,
	                           .kernel_minor = minor,
	                           .kernel_patch = patch,
	                           .policy = policy};
	char why[200] = "";
	struct vms_sim *s = vms_sim_new(&c, why, sizeof(why));
	cr_assert(s, "vms_sim_new: %s", why);
	return s;
}

static void assert_valid(const struct vms_sim *s)
{
	char why[256] = "";
	cr_assert_eq(vms_sim_validate(s, why, sizeof(why)), 0, "%s", why);
}

/* The snapshot as the model sees it: valid, every listed area trusted. */
static void assert_model_valid(const struct vms_sim *s)
{
	struct vms_dump *d = vms_sim_snapshot(s);
	struct vms_aspace *m = vms_aspace_build(d, vms_sim_profile(s)->name);
	char why[256] = "";
	cr_assert(m->geometry);
	cr_assert_eq(vms_aspace_validate(m, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(m->nr_order, d->areas.n);
	vms_aspace_free(m);
	vms_dump_free(d);
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* The lowest aligned fit of size at or above from in window w, scanning
 * the busy areas in address order (gap = the extra page of 2.6.28–2.6.38
 * after every area stepped over); UINT64_MAX when none. */
static uint64_t brute_lowest_busy(const struct vms_sim *s, unsigned w, uint64_t from,
                                  uint64_t size, uint64_t align, uint64_t gap)
{
	uint64_t vend = s->win[w].end, a = from;
	for (uint32_t i = vms_busy_first(&s->busy); i != NO_SLOT;
	     i = vms_busy_next(&s->busy, i)) {
		/* the kernel steps over an area that ends exactly at a too
		 * (its walk starts at the first area ending at or after a),
		 * which matters only with the extra page */
		if (slot_end(s, i) < a || (!gap && slot_end(s, i) == a))
			continue;
		if (a + size <= slot_start(s, i))
			break;
		a = align_up(slot_end(s, i) + gap, align);
	}
	return a + size <= vend ? a : UINT64_MAX;
}

/* The lowest aligned fit over the window's holes; *bound gets the lowest
 * hole start that holds size + align - 1 (the kernel's adjusted search
 * returns no higher). */
static uint64_t brute_lowest_free(const struct vms_sim *s, unsigned w, uint64_t size,
                                  uint64_t align, uint64_t *bound)
{
	const struct sim_window *x = &s->win[w];
	uint64_t best = UINT64_MAX;
	*bound = UINT64_MAX;
	for (uint32_t h = vms_free_first(&x->free); h; h = vms_free_next(&x->free, h)) {
		const struct vms_hole *o = vms_free_hole(&x->free, h);
		uint64_t lo = o->va_start > x->start ? o->va_start : x->start;
		uint64_t hi = o->va_end < x->end ? o->va_end : x->end;
		uint64_t a = align_up(lo, align);
		if (best == UINT64_MAX && a >= lo && a + size <= hi)
			best = a;
		if (*bound == UINT64_MAX && hi - lo >= size + align - 1)
			*bound = align_up(lo, align);
	}
	return best;
}

/* The highest aligned fit (per-cpu chunks). */
static uint64_t brute_highest_free(const struct vms_sim *s, unsigned w, uint64_t size,
                                   uint64_t align)
{
	const struct sim_window *x = &s->win[w];
	uint64_t best = UINT64_MAX;
	for (uint32_t h = vms_free_first(&x->free); h; h = vms_free_next(&x->free, h)) {
		const struct vms_hole *o = vms_free_hole(&x->free, h);
		if (o->va_end - o->va_start < size)
			continue;
		uint64_t a = (o->va_end - size) & ~(align - 1);
		if (a >= o->va_start)
			best = a;
	}
	return best;
}

/* What the oracle expects of the next allocation, computed before it. */
struct expect {
	bool known;
	uint64_t lo, hi; /* the start lies in [lo, hi] */
};

static struct expect oracle(const struct vms_sim *s, unsigned kind, uint64_t size,
                            uint64_t align, uint64_t asked)
{
	struct expect e = {0};
	unsigned w = kind == VMS_SK_MODULE && s->modules_win >= 0
	                 ? (unsigned)s->modules_win
	                 : s->vmalloc_win;
	if (kind == VMS_SK_PERCPU) {
		e.lo = e.hi = brute_highest_free(s, w, size, align);
		e.known = e.lo != UINT64_MAX;
		return e;
	}
	if (s->policy == VMS_POLICY_MODERN) {
		uint64_t bound;
		e.lo = brute_lowest_free(s, w, size, align, &bound);
		/* before 5.17 the search length grows by asked - 1 whenever
		 * asked > 1; from 5.17 only for alignments above a page */
		bool adjust =
		    s->major * 100 + s->minor < 517
		        ? asked > 1
		        : align > s->page && s->win[w].end - s->win[w].start != size;
		e.hi = adjust ? bound : e.lo;
		/* no hole holds size + align - 1: find_vmap_lowest_match()
		 * still tries, with the real size, the holes on its way down
		 * (is_within_this_va()), so any fit at or above lo may come */
		if (adjust && bound == UINT64_MAX)
			e.hi = UINT64_MAX - 1;
		e.known = e.lo != UINT64_MAX;
		return e;
	}
	int era = s->major * 10000 + s->minor * 100 + s->patch;
	uint64_t vstart = s->win[w].start, from = align_up(vstart, align);
	bool cached = era >= 20639 && s->cache != NO_SLOT &&
	              size >= s->cached_hole_size && vstart >= s->cached_vstart &&
	              align >= s->cached_align;
	if (cached && align_up(slot_end(s, s->cache), align) >= vstart)
		from = align_up(slot_end(s, s->cache), align);
	uint64_t gap = era >= 20628 && era < 20639 ? s->page : 0;
	e.lo = e.hi = brute_lowest_busy(s, w, from, size, align, gap);
	e.known = e.lo != UINT64_MAX;
	return e;
}

static const unsigned kinds[] = {VMS_SK_VMALLOC, VMS_SK_VMALLOC,   VMS_SK_VMALLOC,
                                 VMS_SK_IOREMAP, VMS_SK_VMAP,      VMS_SK_MODULE,
                                 VMS_SK_PERCPU,  VMS_SK_VM_MAP_RAM};

/*
 * A random run of n operations checked against the oracle at every
 * allocation and validated after every operation.
 */
static void random_run(struct vms_sim *s, uint64_t seed, int n, uint64_t max_pages)
{
	uint64_t live[4096];
	size_t nlive = 0;
	uint64_t next_id = 1, checked = 0;
	rng_state = seed;
	for (int op = 0; op < n; op++) {
		uint64_t r = rnd() % 100;
		if (r < 55 || nlive < 4) {
			unsigned kind = kinds[rnd() % (sizeof(kinds) / sizeof(kinds[0]))];
			uint64_t pages = 1 + rnd() % (rnd() % 4 == 0 ? max_pages : 4);
			uint64_t size = pages * s->page - (rnd() % 2 ? 0 : s->page / 2);
			uint64_t align = rnd() % 8 == 0 ? s->page << (rnd() % 5) : 0;
			if (kind == VMS_SK_PERCPU)
				align = s->page << (rnd() % 3);
			/* what vms_sim_alloc will ask for */
			uint64_t req = align_up(size, s->page);
			bool guard = kind != VMS_SK_VM_MAP_RAM && kind != VMS_SK_PERCPU;
			uint64_t total = req + (guard ? s->page : 0);
			uint64_t al = align ? align
			              : kind == VMS_SK_IOREMAP
			                  ? vms_ioremap_align(s->profile, s->major,
			                                      s->minor, s->page, size)
			                  : s->page;
			bool block =
			    kind == VMS_SK_VM_MAP_RAM && req / s->page <= s->addr_bits;
			uint64_t asked = align                    ? align
			                 : kind == VMS_SK_IOREMAP ? al
			                 : kind == VMS_SK_MODULE  ? s->page
			                                          : 1;
			struct expect e = oracle(s, kind, total, al, asked);
			struct vms_sim_place pl;
			int rc = vms_sim_alloc(s, kind, size, align, NULL, next_id, &pl);
			if (!rc && !block && !pl.purged && !pl.from_pool) {
				cr_assert(
				    e.known,
				    "op %d: placed at %#llx, the oracle found no fit", op,
				    (unsigned long long)pl.addr);
				cr_assert(
				    pl.addr >= e.lo && pl.addr <= e.hi,
				    "op %d (%s %llu align %llu): placed at %#llx, oracle "
				    "[%#llx, %#llx]",
				    op, vms_sim_kind_name(kind),
				    (unsigned long long)total, (unsigned long long)al,
				    (unsigned long long)pl.addr, (unsigned long long)e.lo,
				    (unsigned long long)e.hi);
				cr_assert_eq(pl.addr % al, 0);
				cr_assert_eq(pl.size, total);
				checked++;
			}
			if (rc && !pl.purged && !block)
				cr_assert(!e.known || s->policy == VMS_POLICY_MODERN,
				          "op %d: failed, the oracle fits it at %#llx",
				          op, (unsigned long long)e.lo);
			if (!rc && nlive < 4096)
				live[nlive++] = next_id;
			next_id++;
		} else if (r < 97) {
			size_t k = rnd() % nlive;
			cr_assert_eq(vms_sim_free_id(s, live[k]), 0);
			live[k] = live[--nlive];
		} else {
			vms_sim_purge(s);
		}
		/* the simulator's own invariants and the model's
		 * (vms_aspace_validate on the snapshot) after every operation */
		assert_valid(s);
		assert_model_valid(s);
	}
	cr_assert_gt(checked, (uint64_t)n / 4, "only %llu placements checked",
	             (unsigned long long)checked);
}

/* ---- oracles ------------------------------------------------------------------- */

Test(sim, modern_oracle_arm32)
{
	struct vms_sim *s = new_sim("arm32", 6, 1, 0, -1);
	cr_assert_eq(vms_sim_policy(s), VMS_POLICY_MODERN);
	random_run(s, 1, 1500, 64);
	vms_sim_free(s);
}

Test(sim, modern_oracle_x86_64)
{
	struct vms_sim *s = new_sim("x86_64", 5, 15, 0, -1);
	random_run(s, 7, 1500, 600);
	vms_sim_free(s);
}

Test(sim, modern_oracle_small_window)
{
	/* a window the run fills: failures, purge and retry, FL fits */
	const struct vms_profile *p = vms_profile_era("arm32", 5, 10, 0);
	struct vms_sim_config c = {.profile = p,
	                           .kernel_major = 5,
	                           .kernel_minor = 10,
	                           .policy = -1,
	                           .has_vmalloc = true,
	                           .vmalloc = 16u << 20};
	char why[200];
	struct vms_sim *s = vms_sim_new(&c, why, sizeof(why));
	cr_assert(s, "%s", why);
	random_run(s, 3, 2000, 300);
	struct vms_sim_stats st;
	vms_sim_get_stats(s, &st);
	cr_assert_gt(st.failures, 0, "the 16 MiB window never filled");
	cr_assert_gt(st.purges, 0);
	vms_sim_free(s);
}

Test(sim, legacy_oracle_arm32_4_4)
{
	struct vms_sim *s = new_sim("arm32", 4, 4, 0, -1);
	cr_assert_eq(vms_sim_policy(s), VMS_POLICY_LEGACY);
	random_run(s, 11, 1500, 64);
	vms_sim_free(s);
}

Test(sim, legacy_oracle_x86_64_3_10)
{
	struct vms_sim *s = new_sim("x86_64", 3, 10, 0, -1);
	random_run(s, 5, 1500, 600);
	vms_sim_free(s);
}

Test(sim, legacy_oracle_extra_page_2_6_32)
{
	struct vms_sim *s = new_sim("x86_64", 2, 6, 32, -1);
	random_run(s, 9, 800, 64);
	vms_sim_free(s);
}

Test(sim, legacy_oracle_vmlist_2_6_20_with_modules_apart)
{
	/* before 2.6.28: the first fit over the vmlist, no extra page */
	struct vms_sim *s = new_sim("arm32", 2, 6, 20, -1);
	cr_assert_eq(vms_sim_policy(s), VMS_POLICY_LEGACY);
	cr_assert_geq(s->modules_win, 0);
	random_run(s, 13, 1500, 64);
	vms_sim_free(s);
}

Test(sim, legacy_oracle_extra_page_full_window_x86_32)
{
	/* 2.6.32 on x86_32: modules share the vmalloc window, a 16 MiB window
	 * fills (failures, purges), every allocation walks from VMALLOC_START */
	const struct vms_profile *p = vms_profile_era("x86_32", 2, 6, 32);
	struct vms_sim_config c = {.profile = p,
	                           .kernel_major = 2,
	                           .kernel_minor = 6,
	                           .kernel_patch = 32,
	                           .policy = -1,
	                           .has_vmalloc = true,
	                           .vmalloc = 16u << 20};
	char why[200];
	struct vms_sim *s = vms_sim_new(&c, why, sizeof(why));
	cr_assert(s, "%s", why);
	cr_assert_lt(s->modules_win, 0);
	random_run(s, 17, 2000, 200);
	struct vms_sim_stats st;
	vms_sim_get_stats(s, &st);
	cr_assert_gt(st.failures, 0, "the 16 MiB window never filled");
	vms_sim_free(s);
}

/* A busy list of n one-page areas (n even), every other one freed and
 * purged: holes that hold one page. Returns the end of the last live area. */
static uint64_t long_busy_list(struct vms_sim *s, uint64_t n)
{
	struct vms_sim_place pl;
	uint64_t end = 0;
	for (uint64_t id = 1; id <= n; id++) {
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, s->page, 0, NULL, id, &pl),
		             0);
		end = id == n - 1 ? pl.addr + pl.size : end;
	}
	for (uint64_t id = 2; id <= n; id += 2)
		cr_assert_eq(vms_sim_free_id(s, id), 0);
	vms_sim_purge(s);
	return end;
}

Test(sim, uncached_legacy_search_costs_log_n_not_the_walk)
{
	/* 2.6.28-2.6.38 walked every area from VMALLOC_START for every
	 * allocation; the simulator finds the same place on its free tree
	 * (the placement is checked against the walk by the oracle tests):
	 * here each 3-page request passes 10000 areas and their holes (4
	 * pages, the extra page included: one short) in a few dozen node
	 * visits */
	struct vms_sim *s = new_sim("x86_64", 2, 6, 32, -1);
	uint64_t n = 20000, page = s->page;
	uint64_t at = long_busy_list(s, n) + page, before = s->steps;
	struct vms_sim_place pl;
	for (uint64_t k = 0; k < 1000; k++) {
		cr_assert_eq(
		    vms_sim_alloc(s, VMS_SK_VMALLOC, 3 * page, 0, NULL, n + 1 + k, &pl),
		    0);
		cr_assert_eq(pl.addr, at, "request %llu", (unsigned long long)k);
		at += 4 * page + page; /* the area, its guard, the extra page */
	}
	uint64_t per = (s->steps - before) / 1000;
	cr_assert_lt(per, 80, "%llu nodes visited per allocation",
	             (unsigned long long)per);
	assert_valid(s);
	vms_sim_free(s);
	/* with the cache (2.6.39-5.1) the walk is kept, cost and all: a
	 * request smaller than the largest hole seen drops the cache and
	 * walks from VMALLOC_START over every area */
	s = new_sim("x86_64", 4, 4, 0, -1);
	at = long_busy_list(s, n);
	s->cached_hole_size = 4 * page;
	before = s->steps;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 2 * page, 0, NULL, n + 1, &pl), 0);
	cr_assert_eq(pl.addr, at);
	cr_assert_geq(s->steps - before, n / 2, "the walk steps over every area");
	vms_sim_free(s);
}

/* ---- modern and legacy compared ------------------------------------------ */

Test(sim, modern_and_legacy_agree_without_frees)
{
	/* with nothing freed and no alignment above a page both are a lowest
	 * fit that bumps up the space: the legacy cache always starts where
	 * the lowest fit is (alignments above a page: the next test) */
	struct vms_sim *m = new_sim("arm32", 4, 19, 0, VMS_POLICY_MODERN);
	struct vms_sim *l = new_sim("arm32", 4, 19, 0, VMS_POLICY_LEGACY);
	rng_state = 42;
	for (uint64_t id = 1; id <= 400; id++) {
		unsigned kind = kinds[rnd() % 6];
		uint64_t size = (1 + rnd() % 40) * 4096 - 100;
		if (kind == VMS_SK_IOREMAP)
			size = 1 + rnd() % 4096; /* aligned to one page */
		struct vms_sim_place a, b;
		int ra = vms_sim_alloc(m, kind, size, 0, NULL, id, &a);
		int rb = vms_sim_alloc(l, kind, size, 0, NULL, id, &b);
		cr_assert_eq(ra, rb);
		cr_assert_eq(a.addr, b.addr, "id %llu %s: modern %#llx, legacy %#llx",
		             (unsigned long long)id, vms_sim_kind_name(kind),
		             (unsigned long long)a.addr, (unsigned long long)b.addr);
	}
	vms_sim_free(m);
	vms_sim_free(l);
}

/*
 * Where they differ: a hole exactly as large as the request, below the
 * next-fit cache. The legacy walk drops the cache only when the request
 * is smaller than cached_hole_size (strictly), so an exact fit below is
 * passed over and the area goes above the cache; the free tree finds the
 * lowest fit, the hole.
 */
Test(sim, modern_and_legacy_differ_on_exact_hole_below_cache)
{
	uint64_t got[2][6];
	for (int pol = 0; pol < 2; pol++) {
		struct vms_sim *s = new_sim("arm32", 4, 19, 0, pol);
		uint64_t base = s->win[s->vmalloc_win].start;
		for (uint64_t id = 1; id <= 4; id++) /* A B C D: 8 KiB each */
			cr_assert_eq(
			    vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, id, NULL), 0);
		cr_assert_eq(vms_sim_free_id(s, 2), 0); /* B */
		vms_sim_purge(s);
		struct vms_sim_place pl;
		/* 16 KiB: B's 8 KiB hole is too small (the legacy walk records
		 * cached_hole_size = 8 KiB on the way) */
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 3 * 4096, 0, NULL, 5, &pl),
		             0);
		got[pol][0] = pl.addr - base;
		/* 8 KiB: exactly B's hole */
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 6, &pl), 0);
		got[pol][1] = pl.addr - base;
		assert_valid(s);
		vms_sim_free(s);
	}
	/* both put the 16 KiB area after D */
	cr_assert_eq(got[VMS_POLICY_MODERN][0], 0x8000);
	cr_assert_eq(got[VMS_POLICY_LEGACY][0], 0x8000);
	/* modern: B's hole; legacy: next fit above the cache */
	cr_assert_eq(got[VMS_POLICY_MODERN][1], 0x2000);
	cr_assert_eq(got[VMS_POLICY_LEGACY][1], 0xc000);
}

/*
 * The other difference: an alignment above a page. The free tree searches
 * for size + align - 1 bytes (find_vmap_lowest_match's adjusted length),
 * so a hole that holds the aligned area but not that many bytes is passed
 * over; the legacy walk tries the aligned start in every hole.
 */
Test(sim, modern_and_legacy_differ_on_aligned_fit_in_a_small_hole)
{
	uint64_t got[2];
	for (int pol = 0; pol < 2; pol++) {
		struct vms_sim *s = new_sim("arm32", 4, 19, 0, pol);
		uint64_t base = s->win[s->vmalloc_win].start;
		cr_assert_eq(base % 0x10000, 0);
		/* A at base (8K), B 0x1f000 bytes, C (8K) at base + 0x21000 */
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 1, NULL), 0);
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMAP, 0x1e000, 0, NULL, 2, NULL), 0);
		struct vms_sim_place pl;
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 3, &pl), 0);
		cr_assert_eq(pl.addr, base + 0x21000);
		cr_assert_eq(vms_sim_free_id(s, 2), 0);
		vms_sim_purge(s);
		/* 64 KiB ioremap: 0x11000 bytes aligned to 64 KiB fit at
		 * base + 0x10000 in the 0x1f000-byte hole, but the hole is
		 * smaller than 0x11000 + 0xffff */
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_IOREMAP, 0x10000, 0, NULL, 4, &pl),
		             0);
		got[pol] = pl.addr - base;
		vms_sim_free(s);
	}
	cr_assert_eq(got[VMS_POLICY_LEGACY], 0x10000);
	cr_assert_eq(got[VMS_POLICY_MODERN], 0x30000, "the next 64 KiB boundary above C");
}

/*
 * 5.2-5.16 add align - 1 to the search length for every align above 1:
 * module_alloc() passes a page, so a module passes over a hole of exactly
 * its size; 5.17+ (no adjustment up to a page) takes it.
 */
Test(sim, modules_skip_exact_holes_before_5_17)
{
	static const int minors[2] = {10, 17};
	uint64_t got[2];
	for (int k = 0; k < 2; k++) {
		struct vms_sim *s = new_sim("x86_64", 5, minors[k], 0, -1);
		cr_assert(s->modules_win >= 0);
		uint64_t base = s->win[s->modules_win].start;
		for (uint64_t id = 1; id <= 3; id++)
			cr_assert_eq(
			    vms_sim_alloc(s, VMS_SK_MODULE, 4096, 0, NULL, id, NULL), 0);
		cr_assert_eq(vms_sim_free_id(s, 2), 0);
		vms_sim_purge(s);
		struct vms_sim_place pl;
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_MODULE, 4096, 0, NULL, 4, &pl), 0);
		got[k] = pl.addr - base;
		/* a vmalloc() (align 1) takes such a hole on either */
		cr_assert_eq(vms_sim_free_id(s, 1), 0);
		vms_sim_purge(s);
		vms_sim_free(s);
	}
	cr_assert_eq(got[0], 0x6000, "5.10: after the third module");
	cr_assert_eq(got[1], 0x2000, "5.17: the second module's hole");
}

Test(sim, legacy_smaller_request_drops_cache)
{
	/* a request smaller than the largest hole seen below the cache
	 * searches from VMALLOC_START again and takes the hole */
	struct vms_sim *s = new_sim("arm32", 4, 19, 0, VMS_POLICY_LEGACY);
	uint64_t base = s->win[s->vmalloc_win].start;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 1, NULL), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 2 * 4096, 0, NULL, 2, NULL),
	             0); /* 12K */
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 3, NULL), 0);
	cr_assert_eq(vms_sim_free_id(s, 2), 0);
	vms_sim_purge(s);
	struct vms_sim_place pl;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4 * 4096, 0, NULL, 4, &pl), 0);
	cr_assert_eq(pl.addr - base, 0x7000); /* above C; hole of 12K seen */
	cr_assert_eq(s->cached_hole_size, 0x3000);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 5, &pl), 0);
	cr_assert_eq(pl.addr - base, 0x2000, "8K < 12K: the cache is dropped");
	vms_sim_free(s);
}

/* ---- kernel rules ------------------------------------------------------------ */

Test(sim, extra_page_between_areas_2_6_32)
{
	struct vms_sim *s = new_sim("x86_64", 2, 6, 32, -1);
	uint64_t base = s->win[s->vmalloc_win].start;
	struct vms_sim_place a, b, c;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 1, &a), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 2, &b), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 8192, 0, NULL, 3, &c), 0);
	cr_assert_eq(a.addr, base);
	cr_assert_eq(b.addr, base + 0x3000, "8K area, then one extra page");
	cr_assert_eq(c.addr, base + 0x6000);
	vms_sim_free(s);
	/* 2.6.39+: adjacent */
	s = new_sim("x86_64", 2, 6, 39, -1);
	base = s->win[s->vmalloc_win].start;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 1, &a), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 2, &b), 0);
	cr_assert_eq(b.addr, base + 0x2000);
	vms_sim_free(s);
}

Test(sim, guard_page_by_kind)
{
	struct vms_sim *s = new_sim("arm32", 5, 10, 0, -1);
	struct vms_sim_place pl;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 100, 0, NULL, 1, &pl), 0);
	cr_assert_eq(pl.size, 8192);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMAP, 8192, 0, NULL, 2, &pl), 0);
	cr_assert_eq(pl.size, 12288);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_PERCPU, 32768, 0, NULL, 3, &pl), 0);
	cr_assert_eq(pl.size, 32768, "per-cpu chunks have no guard page");
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VM_MAP_RAM, 128 << 12, 0, NULL, 4, &pl), 0);
	cr_assert_eq(pl.size, 128 << 12, "a large vm_map_ram has no guard page");
	cr_assert_not(pl.in_block);
	vms_sim_free(s);
}

Test(sim, ioremap_alignment_by_era)
{
	/* 64 KiB: 4.9+ aligns to 64 KiB; before, 2^fls(0x10000) = 128 KiB */
	struct vms_sim *o = new_sim("arm32", 4, 4, 0, -1),
	               *n = new_sim("arm32", 4, 19, 0, -1);
	struct vms_sim_place a, b;
	cr_assert_eq(vms_sim_alloc(o, VMS_SK_VMALLOC, 4096, 0, NULL, 1, NULL), 0);
	cr_assert_eq(vms_sim_alloc(n, VMS_SK_VMALLOC, 4096, 0, NULL, 1, NULL), 0);
	cr_assert_eq(vms_sim_alloc(o, VMS_SK_IOREMAP, 0x10000, 0, NULL, 2, &a), 0);
	cr_assert_eq(vms_sim_alloc(n, VMS_SK_IOREMAP, 0x10000, 0, NULL, 2, &b), 0);
	cr_assert_eq(a.align, 0x20000);
	cr_assert_eq(b.align, 0x10000);
	cr_assert_eq(a.addr % 0x20000, 0);
	cr_assert_eq(a.size, 0x11000);
	/* capped at IOREMAP_MAX_ORDER (arm32: 16 MiB at most) */
	cr_assert_eq(vms_sim_alloc(n, VMS_SK_IOREMAP, 64u << 20, 0, NULL, 3, &b), 0);
	cr_assert_eq(b.align, 16u << 20);
	vms_sim_free(o);
	vms_sim_free(n);
}

Test(sim, percpu_chunks_top_down)
{
	struct vms_sim *s = new_sim("x86_64", 5, 10, 0, -1);
	uint64_t end = s->win[s->vmalloc_win].end;
	struct vms_sim_place a, b;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_PERCPU, 2u << 20, 2u << 20, NULL, 1, &a), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_PERCPU, 2u << 20, 2u << 20, NULL, 2, &b), 0);
	cr_assert_eq(a.addr, (end - (2u << 20)) & ~(uint64_t)((2u << 20) - 1));
	cr_assert_eq(b.addr, a.addr - (2u << 20));
	vms_sim_free(s);
}

Test(sim, lazy_free_keeps_space_until_purge)
{
	struct vms_sim *s = new_sim("arm32", 5, 10, 0, -1);
	uint64_t base = s->win[s->vmalloc_win].start;
	struct vms_sim_place pl;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 1, &pl), 0);
	cr_assert_eq(vms_sim_free_id(s, 1), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 2, &pl), 0);
	cr_assert_eq(pl.addr, base + 0x2000, "the lazy area still blocks its space");
	vms_sim_purge(s);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 3, &pl), 0);
	cr_assert_eq(pl.addr, base);
	/* lazy_max_pages with 4 CPUs: fls(4) * 32 MiB = 96 MiB */
	struct vms_sim_stats st;
	vms_sim_get_stats(s, &st);
	cr_assert_eq(st.lazy_max_pages, 3 * 8192);
	vms_sim_free(s);
}

Test(sim, purge_when_lazy_pages_pass_the_threshold)
{
	const struct vms_profile *p = vms_profile_era("arm32", 5, 10, 0);
	struct vms_sim_config c = {
	    .profile = p, .kernel_major = 5, .kernel_minor = 10, .policy = -1, .cpus = 1};
	char why[100];
	struct vms_sim *s = vms_sim_new(&c, why, sizeof(why));
	cr_assert(s);
	/* 1 CPU: 8192 pages (32 MiB); 4 MiB areas (1025 pages with guard) */
	for (uint64_t id = 1; id <= 9; id++)
		cr_assert_eq(
		    vms_sim_alloc(s, VMS_SK_VMALLOC, 4u << 20, 0, NULL, id, NULL), 0);
	struct vms_sim_stats st;
	for (uint64_t id = 1; id <= 7; id++)
		cr_assert_eq(vms_sim_free_id(s, id), 0);
	vms_sim_get_stats(s, &st);
	cr_assert_eq(st.purges, 0);
	cr_assert_eq(st.lazy, 7);
	cr_assert_eq(vms_sim_free_id(s, 8), 0); /* 8 * 1025 > 8192 */
	vms_sim_get_stats(s, &st);
	cr_assert_eq(st.purges, 1);
	cr_assert_eq(st.lazy, 0);
	assert_valid(s);
	vms_sim_free(s);
}

Test(sim, failure_purges_and_retries_then_reports)
{
	const struct vms_profile *p = vms_profile_era("arm32", 4, 19, 0);
	struct vms_sim_config c = {.profile = p,
	                           .kernel_major = 4,
	                           .kernel_minor = 19,
	                           .policy = -1,
	                           .has_vmalloc = true,
	                           .vmalloc = 16u << 20};
	char why[100];
	struct vms_sim *s = vms_sim_new(&c, why, sizeof(why));
	cr_assert(s, "%s", why);
	uint64_t win = s->win[s->vmalloc_win].end - s->win[s->vmalloc_win].start;
	struct vms_sim_place pl;
	/* vmap: a vmalloc this large would need a pages array beside it */
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMAP, win - 4096, 0, NULL, 1, &pl), 0);
	cr_assert_eq(pl.fit, 0, "legacy: no fit type");
	cr_assert_eq(vms_sim_free_id(s, 1), 0); /* lazy: the space stays taken */
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 2, &pl), 0);
	cr_assert(pl.purged, "the failed search purged and retried");
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMAP, win, 0, NULL, 3, &pl), -VMS_ERANGE);
	cr_assert_eq(pl.fail, VMS_SIM_NO_SPACE);
	cr_assert_eq(vms_sim_nr_failures(s), 1);
	char want[200];
	snprintf(
	    want, sizeof(want),
	    "vmap allocation for size %llu failed: use vmalloc=<size> to increase size",
	    (unsigned long long)(win + 4096));
	cr_assert_str_eq(vms_sim_failure(s, 0), want);
	vms_sim_free(s);
}

Test(sim, failure_text_by_era)
{
	char b[200];
	cr_assert_str_eq(
	    vms_sim_failure_text(3, 10, 0, 8192, 0, 0, b, sizeof(b)),
	    "vmap allocation for size 8192 failed: use vmalloc=<size> to increase "
	    "size.");
	cr_assert_str_eq(
	    vms_sim_failure_text(2, 6, 20, 8192, 0, 0, b, sizeof(b)),
	    "allocation failed: out of vmalloc space - use vmalloc=<size> to "
	    "increase size.");
	cr_assert_str_eq(
	    vms_sim_failure_text(2, 6, 30, 8192, 0, 0, b, sizeof(b)),
	    "vmap allocation for size 8192 failed: use vmalloc=<size> to increase "
	    "size.");
	cr_assert_str_eq(
	    vms_sim_failure_text(5, 10, 0, 8192, 0, 0, b, sizeof(b)),
	    "vmap allocation for size 8192 failed: use vmalloc=<size> to increase "
	    "size");
	cr_assert_str_eq(
	    vms_sim_failure_text(6, 12, 0, 8192, 0xf0000000, 0xff800000, b, sizeof(b)),
	    "vmalloc_node_range for size 8192 failed: Address range restricted to "
	    "0xf0000000 - 0xff800000");
	/* the log parser reads each back as a failure of that size */
	const char *lines[] = {
	    "vmap allocation for size 8192 failed: use vmalloc=<size> to "
	    "increase size.\n",
	    "vmalloc_node_range for size 8192 failed: Address range "
	    "restricted to 0xf0000000 - 0xff800000\n"};
	for (int i = 0; i < 2; i++) {
		struct vms_dump *d;
		cr_assert_eq(vms_parse_buffer(lines[i], strlen(lines[i]), "t", NULL, &d),
		             0);
		cr_assert_eq(d->log->failures.n, 1, "%s", lines[i]);
		cr_assert_eq(d->log->failures.v[0].size, 8192);
		vms_dump_free(d);
	}
}

Test(sim, vm_map_ram_blocks)
{
	struct vms_sim *s = new_sim("arm32", 5, 10, 0, -1);
	uint64_t bsize = s->block_bytes;
	cr_assert_eq(bsize, 2u << 20, "32-bit, 4 CPUs: 512 pages");
	struct vms_sim_place a, b, c;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VM_MAP_RAM, 4096, 0, NULL, 1, &a), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VM_MAP_RAM, 3 * 4096, 0, NULL, 2, &b), 0);
	cr_assert(a.in_block && b.in_block);
	cr_assert_eq(a.addr % bsize, 0, "a block is aligned to its size");
	cr_assert_eq(b.addr, a.addr + 4096, "pieces are handed out in order");
	cr_assert_eq(b.size, 4 * 4096, "2^order pages");
	/* fill the block: the next piece needs a new block */
	uint64_t id = 3;
	for (uint64_t left = 512 - 5; left >= 32; left -= 32)
		cr_assert_eq(
		    vms_sim_alloc(s, VMS_SK_VM_MAP_RAM, 32 * 4096, 0, NULL, id++, NULL),
		    0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VM_MAP_RAM, 32 * 4096, 0, NULL, id++, &c),
	             0);
	cr_assert_eq(c.addr, a.addr + bsize);
	struct vms_dump *d = vms_sim_snapshot(s);
	cr_assert_eq(d->areas.n, 2, "two blocks, one vm_map_ram line each");
	cr_assert_eq(d->areas.v[0].kind, VMS_KIND_VM_MAP_RAM);
	cr_assert_eq(d->areas.v[0].size, bsize);
	vms_dump_free(d);
	/* the first block goes (lazily) once every page was handed out and
	 * freed: free all its pieces */
	for (uint64_t k = 1; k < id - 1; k++)
		cr_assert_eq(vms_sim_free_id(s, k), 0);
	struct vms_sim_stats st;
	vms_sim_get_stats(s, &st);
	cr_assert_eq(st.lazy, 0,
	             "27 of 512 pages were never handed out: the block stays");
	cr_assert_eq(st.live, 2);
	assert_valid(s);
	vms_sim_free(s);
}

Test(sim, pools_reuse_a_freed_area_of_the_same_size)
{
	const struct vms_profile *p = vms_profile_era("x86_64", 6, 9, 0);
	struct vms_sim_config c = {.profile = p,
	                           .kernel_major = 6,
	                           .kernel_minor = 9,
	                           .policy = -1,
	                           .pools = true};
	char why[100];
	struct vms_sim *s = vms_sim_new(&c, why, sizeof(why));
	cr_assert(s);
	struct vms_sim_place a, b;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 1, NULL), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 3 * 4096, 0, NULL, 2, &a), 0);
	cr_assert_eq(vms_sim_free_id(s, 1), 0);
	cr_assert_eq(vms_sim_free_id(s, 2), 0);
	vms_sim_purge(s); /* both go to their pools, not to the free tree */
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 3 * 4096, 0, NULL, 3, &b), 0);
	cr_assert(b.from_pool);
	cr_assert_eq(b.addr, a.addr, "the same area again, not the lowest fit");
	assert_valid(s);
	vms_sim_free(s);
	/* without pools: the lowest fit */
	c.pools = false;
	s = vms_sim_new(&c, why, sizeof(why));
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 1, NULL), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 3 * 4096, 0, NULL, 2, &a), 0);
	cr_assert_eq(vms_sim_free_id(s, 1), 0);
	cr_assert_eq(vms_sim_free_id(s, 2), 0);
	vms_sim_purge(s);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 3 * 4096, 0, NULL, 3, &b), 0);
	cr_assert_eq(b.addr, s->win[s->vmalloc_win].start);
	vms_sim_free(s);
}

Test(sim, vm_map_ram_blocks_keep_their_list_order)
{
	/* vb_alloc() takes the first block of the free list with room, and a
	 * block that fills leaves the list with list_del_rcu(): the others
	 * keep their order */
	struct vms_sim *s = new_sim("arm32", 5, 10, 0, -1);
	uint64_t id = 1, page = s->page, b[3];
	struct vms_sim_place pl;
	/* pieces of 2^order pages, in order; a new block when none has room */
	static const unsigned pieces[3][17] = {
	    {32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 16,
	     8}, /* b0: 8 free */
	    {32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 16}, /* b1: 16 */
	    {32}}; /* b2: 480 */
	for (int k = 0; k < 3; k++)
		for (int n = 0; n < 17 && pieces[k][n]; n++) {
			cr_assert_eq(vms_sim_alloc(s, VMS_SK_VM_MAP_RAM,
			                           pieces[k][n] * page, 0, NULL, id++,
			                           &pl),
			             0);
			if (!n)
				b[k] = pl.addr;
		}
	cr_assert_eq(b[1], b[0] + s->block_bytes);
	cr_assert_eq(b[2], b[1] + s->block_bytes);
	/* the list is b0, b1, b2: 8 pages fill b0 */
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VM_MAP_RAM, 8 * page, 0, NULL, id++, &pl),
	             0);
	cr_assert_eq(pl.addr, b[0] + 504 * page);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VM_MAP_RAM, 16 * page, 0, NULL, id++, &pl),
	             0);
	cr_assert_eq(pl.addr, b[1] + 496 * page, "b1 comes before b2");
	assert_valid(s);
	vms_sim_free(s);
}

Test(sim, a_failed_search_purges_unmapped_vm_map_ram_blocks)
{
	/* purge_vmap_area_lazy() before the retry also frees the blocks none
	 * of whose pieces is mapped (purge_fragmented_blocks_allcpus()) */
	const struct vms_profile *p = vms_profile_era("arm32", 4, 19, 0);
	struct vms_sim_config c = {.profile = p,
	                           .kernel_major = 4,
	                           .kernel_minor = 19,
	                           .policy = -1,
	                           .has_vmalloc = true,
	                           .vmalloc = 16u << 20};
	char why[100];
	struct vms_sim *s = vms_sim_new(&c, why, sizeof(why));
	cr_assert(s, "%s", why);
	const struct sim_window *w = &s->win[s->vmalloc_win];
	struct vms_sim_place pl;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VM_MAP_RAM, 4096, 0, NULL, 1, &pl), 0);
	cr_assert_eq(pl.addr, w->start);
	cr_assert_eq(vms_sim_free_id(s, 1), 0);
	struct vms_sim_stats st;
	vms_sim_get_stats(s, &st);
	cr_assert_eq(st.live, 1, "511 pages never handed out: the block stays");
	/* the whole window: only with the block gone */
	cr_assert_eq(
	    vms_sim_alloc(s, VMS_SK_VMAP, w->end - w->start - 4096, 0, NULL, 2, &pl), 0);
	cr_assert(pl.purged);
	cr_assert_eq(pl.addr, w->start);
	/* a block with a piece still mapped stays */
	cr_assert_eq(vms_sim_free_id(s, 2), 0);
	vms_sim_purge(s);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VM_MAP_RAM, 4096, 0, NULL, 3, &pl), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VM_MAP_RAM, 4096, 0, NULL, 4, &pl), 0);
	cr_assert_eq(vms_sim_free_id(s, 3), 0);
	cr_assert_eq(
	    vms_sim_alloc(s, VMS_SK_VMAP, w->end - w->start - 4096, 0, NULL, 5, &pl),
	    -VMS_ERANGE);
	cr_assert(pl.purged);
	vms_sim_get_stats(s, &st);
	cr_assert_eq(st.live, 1);
	assert_valid(s);
	vms_sim_free(s);
}

/* A 6.9+ x86_64 simulator with pools (64-bit, 4 CPUs: several vmap nodes). */
static struct vms_sim *pooled_sim(const char *arch, unsigned cpus)
{
	const struct vms_profile *p = vms_profile_era(arch, 6, 9, 0);
	struct vms_sim_config c = {.profile = p,
	                           .kernel_major = 6,
	                           .kernel_minor = 9,
	                           .policy = -1,
	                           .cpus = cpus,
	                           .pools = true};
	char why[100];
	struct vms_sim *s = vms_sim_new(&c, why, sizeof(why));
	cr_assert(s, "%s", why);
	return s;
}

/* Allocates n areas of pages pages (guard excluded) under ids from, frees
 * them (the last first) and purges: they go to their pool. Returns the
 * first's address. */
static uint64_t pool_some(struct vms_sim *s, uint64_t from, int n, uint64_t pages)
{
	struct vms_sim_place pl;
	uint64_t first = 0;
	for (int k = 0; k < n; k++) {
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, pages * s->page, 0, NULL,
		                           from + (uint64_t)k, &pl),
		             0);
		first = k ? first : pl.addr;
	}
	/* freed highest first: the pools see them in address order anyway */
	for (int k = n; k-- > 0;)
		cr_assert_eq(vms_sim_free_id(s, from + (uint64_t)k), 0);
	vms_sim_purge(s);
	return first;
}

Test(sim, pools_only_where_the_kernel_has_vmap_nodes)
{
	/* vmap_init_nodes(): several nodes on 64-bit with more than one CPU
	 * only; node_alloc() skips the pools with one node */
	static const struct {
		const char *arch;
		unsigned cpus;
		bool pools;
	} c[] = {{"x86_64", 4, true},
	         {"x86_64", 1, false},
	         {"arm32", 4, false},
	         {"arm64-48-64k", 2, true}};
	for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		struct vms_sim *s = pooled_sim(c[k].arch, c[k].cpus);
		uint64_t at = pool_some(s, 1, 2, 3);
		struct vms_sim_place pl;
		cr_assert_eq(
		    vms_sim_alloc(s, VMS_SK_VMALLOC, 3 * s->page, 0, NULL, 9, &pl), 0);
		cr_assert_eq(pl.from_pool, c[k].pools, "%s, %u CPUs", c[k].arch,
		             c[k].cpus);
		cr_assert_eq(pl.addr, c[k].pools ? at + 4 * s->page : at,
		             "%s: the last pooled (highest) area, else the lowest fit",
		             c[k].arch);
		assert_valid(s);
		vms_sim_free(s);
	}
	/* the legacy walk has no nodes either */
	const struct vms_profile *p = vms_profile_era("x86_64", 6, 9, 0);
	struct vms_sim_config lc = {.profile = p,
	                            .kernel_major = 6,
	                            .kernel_minor = 9,
	                            .policy = VMS_POLICY_LEGACY,
	                            .pools = true};
	char why[100];
	struct vms_sim *s = vms_sim_new(&lc, why, sizeof(why));
	uint64_t at = pool_some(s, 1, 2, 3);
	struct vms_sim_place pl;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 3 * s->page, 0, NULL, 9, &pl), 0);
	cr_assert(!pl.from_pool);
	cr_assert_eq(pl.addr, at);
	vms_sim_free(s);
}

Test(sim, pools_hand_out_the_highest_and_decay_the_newest)
{
	/* purge_vmap_node() walks the lazy list in address order and pushes
	 * each area on its pool's head; decay_va_pool_node() gives the first
	 * quarter of the list (the head) back to the free tree */
	struct vms_sim *s = pooled_sim("x86_64", 4);
	uint64_t base = pool_some(s, 1, 4, 1); /* 4 areas of 2 pages */
	uint64_t two = 2 * s->page;
	vms_sim_purge(s); /* decays 4 >> 2 = 1: the highest, base + 3 * two */
	struct vms_sim_place pl;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, s->page, 0, NULL, 10, &pl), 0);
	cr_assert(pl.from_pool);
	cr_assert_eq(pl.addr, base + 2 * two, "the highest left in the pool");
	/* the decayed area is free space again: a lowest fit of another size
	 * finds it (and the free space above it) */
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 2 * s->page, 0, NULL, 11, &pl), 0);
	cr_assert(!pl.from_pool);
	cr_assert_eq(pl.addr, base + 3 * two);
	assert_valid(s);
	vms_sim_free(s);
}

Test(sim, pools_rotate_an_unaligned_head_and_skip_percpu_chunks)
{
	struct vms_sim *s = pooled_sim("x86_64", 4);
	uint64_t base = pool_some(s, 1, 2, 1); /* base and base + 8K */
	cr_assert_eq(base % (16 * 1024), 0);
	struct vms_sim_place pl;
	/* the head (base + 8K) is not 16K-aligned: node_pool_del_va() moves it
	 * to the tail and the request goes to the free tree */
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, s->page, 16 * 1024, NULL, 10, &pl),
	             0);
	cr_assert(!pl.from_pool);
	cr_assert_eq(pl.addr % (16 * 1024), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, s->page, 0, NULL, 11, &pl), 0);
	cr_assert(pl.from_pool);
	cr_assert_eq(pl.addr, base, "base came to the head");
	/* a per-cpu chunk of a pooled size takes no pooled area
	 * (pcpu_get_vm_areas() scans the free tree from the top) ... */
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_PERCPU, 2 * s->page, 0, NULL, 12, &pl), 0);
	cr_assert(!pl.from_pool);
	cr_assert_eq(pl.addr + 2 * s->page, s->win[s->vmalloc_win].end);
	/* ... and, freed, goes back to the free tree, not to a pool */
	cr_assert_eq(vms_sim_free_id(s, 12), 0);
	vms_sim_purge(s);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_PERCPU, 2 * s->page, 0, NULL, 13, &pl), 0);
	cr_assert_eq(pl.addr + 2 * s->page, s->win[s->vmalloc_win].end);
	assert_valid(s);
	vms_sim_free(s);
}

Test(sim, a_failed_search_empties_the_pools_before_its_retry)
{
	/* reclaim_and_purge_vmap_areas(): full decay, and the lazy areas go
	 * to the free tree, not to the pools */
	const struct vms_profile *p = vms_profile_era("arm64-48-64k", 6, 9, 0);
	struct vms_sim_config c = {.profile = p,
	                           .kernel_major = 6,
	                           .kernel_minor = 9,
	                           .policy = -1,
	                           .pools = true};
	char why[100];
	struct vms_sim *s = vms_sim_new(&c, why, sizeof(why));
	cr_assert(s, "%s", why);
	const struct sim_window *w = &s->win[s->vmalloc_win];
	uint64_t span = w->end - w->start, page = s->page;
	struct vms_sim_place pl;
	/* the window taken up to its last 4 pages, and two 2-page areas
	 * pooled in those */
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMAP, span - 5 * page, 0, NULL, 1, &pl), 0);
	cr_assert_eq(pool_some(s, 2, 2, 1), w->end - 4 * page);
	struct vms_sim_stats st;
	vms_sim_get_stats(s, &st);
	cr_assert_eq(st.free_bytes, 0, "pooled areas are no free space");
	/* 3 pages: no pool of that size, no hole: only the retry after the
	 * full purge finds the pooled space */
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 2 * page, 0, NULL, 5, &pl), 0);
	cr_assert(pl.purged);
	cr_assert(!pl.from_pool);
	cr_assert_eq(pl.addr, w->end - 4 * page);
	/* nothing was left in a pool: a 2-page request finds no area */
	vms_sim_get_stats(s, &st);
	cr_assert_eq(st.free_bytes, page);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, page, 0, NULL, 6, &pl),
	             -VMS_ERANGE);
	assert_valid(s);
	vms_sim_free(s);
}

Test(sim, before_2_6_28_a_free_is_immediate)
{
	/* the vmlist: vfree() unlinked the area at once; no lazy list, no
	 * purge, a failure is final */
	struct vms_sim *s = new_sim("x86_64", 2, 6, 20, -1);
	uint64_t base = s->win[s->vmalloc_win].start;
	struct vms_sim_place pl;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 1, &pl), 0);
	cr_assert_eq(pl.addr, base);
	cr_assert_eq(vms_sim_free_id(s, 1), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 2, &pl), 0);
	cr_assert_eq(pl.addr, base, "the space came back with the free");
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMAP, 1ull << 62, 0, NULL, 3, &pl),
	             -VMS_ERANGE);
	cr_assert(!pl.purged);
	struct vms_sim_stats st;
	vms_sim_get_stats(s, &st);
	cr_assert_eq(st.lazy, 0);
	cr_assert_eq(st.purges, 0);
	cr_assert_str_eq(vms_sim_failure(s, 0),
	                 "allocation failed: out of vmalloc space - "
	                 "use vmalloc=<size> to increase size.");
	assert_valid(s);
	vms_sim_free(s);
	/* 2.6.28: lazy */
	s = new_sim("x86_64", 2, 6, 28, -1);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 1, &pl), 0);
	cr_assert_eq(vms_sim_free_id(s, 1), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 2, &pl), 0);
	cr_assert_neq(pl.addr, s->win[s->vmalloc_win].start);
	vms_sim_free(s);
}

Test(sim, pages_array_is_vmalloced_beside_a_large_area)
{
	/* 64-bit: 513 pages need 4104 bytes of page pointers: a second area
	 * with the same caller, and "vpages" on the first */
	struct vms_sim *s = new_sim("x86_64", 5, 10, 0, -1);
	cr_assert_eq(
	    vms_sim_alloc(s, VMS_SK_VMALLOC, 513 * 4096, 0, "big_table", 1, NULL), 0);
	struct vms_dump *d = vms_sim_snapshot(s);
	cr_assert_eq(d->areas.n, 2);
	cr_assert(d->areas.v[0].flags & VMS_F_VPAGES);
	cr_assert_eq(d->areas.v[0].pages, 513);
	cr_assert_eq(d->areas.v[1].size, 3 * 4096);
	cr_assert_str_eq(vms_area_caller(d, &d->areas.v[1]), "big_table");
	vms_dump_free(d);
	cr_assert_eq(vms_sim_free_id(s, 1), 0);
	struct vms_sim_stats st;
	vms_sim_get_stats(s, &st);
	cr_assert_eq(st.live, 0, "freeing the area frees its pages array");
	cr_assert_eq(st.lazy, 2);
	vms_sim_free(s);
}

Test(sim, bad_arguments)
{
	struct vms_sim *s = new_sim("arm32", 5, 10, 0, -1);
	struct vms_sim_place pl;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 0, 0, NULL, 1, &pl), -VMS_EINVAL);
	cr_assert_eq(pl.fail, VMS_SIM_BAD_ARG);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 3 * 4096, NULL, 1, &pl),
	             -VMS_EINVAL);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 1, &pl), 0);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 1, &pl), -VMS_EINVAL,
	             "id 1 is live");
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 0, &pl), -VMS_EINVAL,
	             "id 0");
	cr_assert_eq(vms_sim_free_id(s, 99), -VMS_EINVAL);
	struct vms_sim_stats st;
	vms_sim_get_stats(s, &st);
	cr_assert_eq(st.bad_frees, 1);
	cr_assert_eq(st.failures, 0, "bad arguments are no allocation failures");
	vms_sim_free(s);
}

Test(sim, a_size_past_the_address_width_is_a_failed_allocation)
{
	/* the kernel's vmalloc(), vmap() and ioremap() return NULL for a size
	 * that does not page-align with its guard page in an unsigned long;
	 * a run counts the failure (exit 1), with no allocator line */
	static const struct {
		const char *arch;
		uint64_t size;
	} bad[] = {
	    {"x86_64", UINT64_MAX},
	    {"x86_64", UINT64_MAX - 4095},          /* page-aligns to 2^64 */
	    {"x86_64", UINT64_MAX - 8190},          /* the guard page wraps */
	    {"arm32", 5ull << 30},                  /* no 32-bit unsigned long */
	    {"arm64-48-64k", UINT64_MAX - 0x10000}, /* 64 KiB pages */
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		struct vms_sim *s = new_sim(bad[k].arch, 6, 1, 0, -1);
		for (unsigned kind = 0; kind < VMS_NR_SIM_KINDS; kind++) {
			struct vms_sim_place pl;
			cr_assert_eq(
			    vms_sim_alloc(s, kind, bad[k].size, 0, NULL, kind + 1, &pl),
			    -VMS_EINVAL, "%s %s %#llx", bad[k].arch,
			    vms_sim_kind_name(kind), (unsigned long long)bad[k].size);
			cr_assert_eq(pl.fail, VMS_SIM_BAD_ARG);
		}
		struct vms_sim_stats st;
		vms_sim_get_stats(s, &st);
		cr_assert_eq(st.failures, VMS_NR_SIM_KINDS, "%s", bad[k].arch);
		cr_assert_eq(st.live, 0);
		cr_assert_eq(vms_sim_nr_failures(s), 0,
		             "no line: the allocator never ran");
		assert_valid(s);
		vms_sim_free(s);
	}
	/* the largest size that does align is an ordinary failure (no space) */
	struct vms_sim *s = new_sim("x86_64", 6, 1, 0, -1);
	struct vms_sim_place pl;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMAP, UINT64_MAX - 12286, 0, NULL, 1, &pl),
	             -VMS_ERANGE);
	cr_assert_eq(pl.fail, VMS_SIM_NO_SPACE);
	cr_assert_eq(pl.size, UINT64_MAX - 4095);
	cr_assert_eq(vms_sim_nr_failures(s), 1);
	vms_sim_free(s);
}

Test(sim, callers_print_as_symbols_that_read_back)
{
	/* a script's caller may be any text: the line shows a kernel symbol
	 * ([A-Za-z0-9_.$], never a leading digit: "0x1234+0x10/0x20" would
	 * read back as an address) that parses back to the same name */
	static const char *const in[] = {"0x1234", "123abc", "a b,c", "probe",
	                                 "\x1b[31m"};
	static const char *const out[] = {"_0x1234", "_123abc", "a_b_c", "probe",
	                                  "__31m"};
	struct vms_sim *s = new_sim("arm32", 4, 19, 0, -1);
	for (uint64_t k = 0; k < 5; k++)
		cr_assert_eq(
		    vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, in[k], k + 1, NULL), 0);
	struct vms_dump *d = vms_sim_snapshot(s);
	char *text;
	size_t len;
	FILE *fp = open_memstream(&text, &len);
	cr_assert_eq(vms_emit_text(fp, d), 0);
	fclose(fp);
	struct vms_dump *back;
	cr_assert_eq(vms_parse_buffer(text, len, "t", NULL, &back), 0);
	cr_assert_eq(back->areas.n, 5);
	for (size_t k = 0; k < 5; k++) {
		const struct vms_area *a = &back->areas.v[k];
		cr_assert_str_eq(vms_area_caller(back, a), out[k]);
		cr_assert(a->has_offset, "%s: +0xOFF/0xLEN read back", out[k]);
	}
	free(text);
	vms_dump_free(back);
	vms_dump_free(d);
	vms_sim_free(s);
}

Test(sim, ids_up_to_2_64_minus_1)
{
	/* every id from 1 up is the user's: UINT64_MAX is no sentinel */
	struct vms_sim *s = new_sim("x86_64", 6, 1, 0, -1);
	struct vms_sim_place pl;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, UINT64_MAX, &pl), 0);
	uint64_t max_at = pl.addr;
	/* enough ids to grow and rehash the map several times */
	for (uint64_t id = 1; id <= 3000; id++)
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL,
		                           id % 2 ? id : UINT64_MAX - id, NULL),
		             0, "id %llu", (unsigned long long)id);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, UINT64_MAX, &pl),
	             -VMS_EINVAL, "UINT64_MAX is still live");
	/* delete and reinsert around it: tombstones never shadow a live id */
	for (uint64_t id = 1; id <= 3000; id += 2)
		cr_assert_eq(vms_sim_free_id(s, id), 0);
	for (uint64_t id = 1; id <= 3000; id += 4)
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, id, NULL),
		             0);
	cr_assert_eq(vms_sim_free_id(s, UINT64_MAX), 0);
	cr_assert_eq(vms_sim_free_id(s, UINT64_MAX), -VMS_EINVAL, "freed once");
	cr_assert_eq(vms_sim_free_id(s, UINT64_MAX - 2), 0);
	cr_assert_eq(vms_sim_free_id(s, 5), 0);
	cr_assert_eq(vms_sim_free_id(s, 3), -VMS_EINVAL);
	struct vms_sim_stats st;
	vms_sim_get_stats(s, &st);
	cr_assert_eq(st.bad_frees, 2);
	cr_assert_eq(st.live, 1 + 1500 + 750 - 3);
	/* the lazily freed UINT64_MAX area is the one placed first */
	vms_sim_purge(s);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, UINT64_MAX, &pl), 0);
	cr_assert_eq(pl.addr, max_at);
	assert_valid(s);
	vms_sim_free(s);
}

Test(sim, unpurged_and_vm_map_ram_lines_by_era)
{
	for (int era = 0; era < 3; era++) {
		static const int v[3][2] = {{4, 9}, {4, 14}, {5, 10}};
		struct vms_sim *s = new_sim("arm32", v[era][0], v[era][1], 0, -1);
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 1, NULL), 0);
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 2, NULL), 0);
		cr_assert_eq(vms_sim_alloc(s, VMS_SK_VM_MAP_RAM, 4096, 0, NULL, 3, NULL),
		             0);
		cr_assert_eq(vms_sim_free_id(s, 1), 0);
		struct vms_dump *d = vms_sim_snapshot(s);
		if (era == 0) {
			/* <= 4.12: neither lazily freed areas nor blocks are listed */
			cr_assert_eq(d->areas.n, 1);
		} else {
			cr_assert_eq(d->areas.n, 3);
			/* 4.13-5.3 in address order; 5.4+ unpurged lines last */
			size_t up = era == 1 ? 0 : 2;
			cr_assert_eq(d->areas.v[up].kind, VMS_KIND_UNPURGED, "era %d",
			             era);
		}
		vms_dump_free(d);
		vms_sim_free(s);
	}
}
