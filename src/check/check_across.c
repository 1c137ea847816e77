/*
 * check_across.c — the rules that judge areas against each other and
 * against the regions: overlaps, duplicates, unpurged areas over busy ones,
 * areas outside every region, per-cpu chunks below other areas, listing
 * order, and the extra page of 2.6.28-2.6.38.
 *
 * One sweep over the model's sorted order (vms_aspace.order) keeps the
 * furthest-reaching busy and unpurged areas seen so far, so every overlap
 * is found in O(n) whatever the input; the order rules read the input
 * order once. Runs only on models with geometry.
 */
#include <stdio.h>

#include "check_int.h"

static bool busy(const struct vms_area *a)
{
	return a->kind != VMS_KIND_UNPURGED;
}

static bool same_area(const struct vms_area *a, const struct vms_area *b)
{
	return a->start == b->start && a->end == b->end && a->size == b->size &&
	       a->kind == b->kind && a->caller == b->caller && a->flags == b->flags &&
	       a->pages == b->pages && a->phys == b->phys;
}

static const char *caller_of(const struct chk *c, const struct vms_area *a)
{
	const char *s = vms_area_caller(c->d, a);
	return s ? s : vms_area_kind_name((enum vms_area_kind)a->kind);
}

/* The furthest-reaching area of one class seen in the sweep. */
struct reach {
	uint64_t end;
	int64_t idx; /* -1: none yet */
};

static void report_overlap(struct chk *c, size_t i, size_t j)
{
	const struct vms_area *a = &c->d->areas.v[i], *b = &c->d->areas.v[j];
	uint64_t lo = b->start, hi = a->end < b->end ? a->end : b->end;
	chk_area(c, R_OVERLAP, j,
	         "area 0x%llx-0x%llx (%s) overlaps 0x%llx-0x%llx (%s) by %llu bytes",
	         (unsigned long long)b->start, (unsigned long long)b->end,
	         caller_of(c, b), (unsigned long long)a->start,
	         (unsigned long long)a->end, caller_of(c, a),
	         (unsigned long long)(hi - lo));
}

static void report_unpurged(struct chk *c, size_t u, size_t b)
{
	const struct vms_area *x = &c->d->areas.v[u], *y = &c->d->areas.v[b];
	chk_area(c, R_UNPURGED_OVERLAP, u,
	         "unpurged area 0x%llx-0x%llx overlaps the busy area 0x%llx-0x%llx (%s)",
	         (unsigned long long)x->start, (unsigned long long)x->end,
	         (unsigned long long)y->start, (unsigned long long)y->end,
	         caller_of(c, y));
}

/* Overlaps, duplicates and unpurged overlaps in one sweep by start. */
static void sweep(struct chk *c)
{
	const struct vms_dump *d = c->d;
	struct reach rb = {0, -1}, ru = {0, -1};
	int64_t prev_busy = -1;
	for (size_t k = 0; k < c->m->nr_order; k++) {
		size_t i = c->m->order[k];
		const struct vms_area *a = &d->areas.v[i];
		if (busy(a)) {
			if (prev_busy >= 0 && same_area(&d->areas.v[prev_busy], a)) {
				if (c->on[R_DUPLICATE])
					chk_area(
					    c, R_DUPLICATE, i,
					    "area 0x%llx-0x%llx (%s) is listed again",
					    (unsigned long long)a->start,
					    (unsigned long long)a->end, caller_of(c, a));
			} else if (rb.idx >= 0 && a->start < rb.end && c->on[R_OVERLAP]) {
				report_overlap(c, (size_t)rb.idx, i);
			}
			if (ru.idx >= 0 && a->start < ru.end && c->on[R_UNPURGED_OVERLAP])
				report_unpurged(c, (size_t)ru.idx, i);
			if (rb.idx < 0 || a->end > rb.end)
				rb = (struct reach){a->end, (int64_t)i};
			prev_busy = (int64_t)i;
		} else {
			if (rb.idx >= 0 && a->start < rb.end && c->on[R_UNPURGED_OVERLAP])
				report_unpurged(c, i, (size_t)rb.idx);
			if (ru.idx < 0 || a->end > ru.end)
				ru = (struct reach){a->end, (int64_t)i};
		}
	}
}

static bool placed(const struct vms_aspace *m, const struct vms_area *a)
{
	for (size_t i = 0; i < m->regions.n; i++) {
		const struct vms_region *r = &m->regions.v[i];
		if (vms_region_allocatable(r->kind) && a->start >= r->start &&
		    a->end <= r->end)
			return true;
	}
	return false;
}

static void check_outside(struct chk *c)
{
	const struct vms_aspace *m = c->m;
	if (m->layout_source == VMS_RS_INFERRED || !m->regions.n)
		return;
	/* vendor arm32 kernels list the linear map itself (map_lowmem) */
	uint32_t lowmem = vms_symtab_find(&c->d->syms, "map_lowmem", 10);
	for (size_t k = 0; k < m->nr_order; k++) {
		size_t i = m->order[k];
		const struct vms_area *a = &c->d->areas.v[i];
		const struct vms_region *r = vms_aspace_region_of(m, a->start);
		if (placed(m, a) ||
		    (lowmem && a->caller == lowmem && r && r->kind == VMS_RK_LOWMEM))
			continue;
		char in[96];
		if (r && vms_region_allocatable(r->kind))
			snprintf(in, sizeof(in), "runs past the end 0x%llx of %s",
			         (unsigned long long)r->end, r->name);
		else if (r)
			snprintf(in, sizeof(in), "lies in %s", r->name);
		else
			snprintf(in, sizeof(in), "lies in no region");
		chk_area(c, R_OUTSIDE_REGION, i,
		         "area 0x%llx-0x%llx (%s) %s, outside the vmalloc and module "
		         "space (regions: %s)",
		         (unsigned long long)a->start, (unsigned long long)a->end,
		         caller_of(c, a), in, vms_region_source_name(m->layout_source));
	}
}

/* Per-cpu chunks come top-down: report the busy areas above the lowest. */
static void check_percpu(struct chk *c)
{
	const struct vms_aspace *m = c->m;
	const struct vms_window *w = vms_aspace_vmalloc_window(m);
	if (!w || m->layout_source == VMS_RS_INFERRED) /* may hold module space */
		return;
	int64_t low = -1;
	for (size_t k = 0; k < m->nr_order && low < 0; k++)
		if (m->guard[m->order[k]] == VMS_GUARD_PERCPU &&
		    c->d->areas.v[m->order[k]].start >= w->start)
			low = m->order[k];
	if (low < 0)
		return;
	const struct vms_area *p = &c->d->areas.v[low];
	size_t above = 0;
	int64_t first = -1;
	for (size_t k = 0; k < m->nr_order; k++) {
		size_t i = m->order[k];
		const struct vms_area *a = &c->d->areas.v[i];
		if (a->start <= p->start || a->start >= w->end || !busy(a) ||
		    m->guard[i] == VMS_GUARD_PERCPU || m->guard[i] == VMS_GUARD_STATIC)
			continue;
		above++;
		first = first < 0 ? (int64_t)i : first;
	}
	if (above)
		chk_area(
		    c, R_PERCPU_NOT_TOP, (size_t)first,
		    "%zu area(s) lie above the per-cpu chunk at 0x%llx, the first at "
		    "0x%llx (%s)",
		    above, (unsigned long long)p->start,
		    (unsigned long long)c->d->areas.v[first].start,
		    caller_of(c, &c->d->areas.v[first]));
}

/* Up to 6.8 the busy list is printed in address order. */
static void check_sorted(struct chk *c)
{
	if (!c->era || c->era >= 609)
		return;
	const struct vms_dump *d = c->d;
	uint64_t last = 0;
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		if (a->geom != VMS_GEOM_TRUSTED || a->kind == VMS_KIND_UNPURGED)
			continue;
		if (a->start < last) {
			chk_area(
			    c, R_UNSORTED, i,
			    "area 0x%llx comes after 0x%llx, but kernel %d.%d lists busy "
			    "areas in address order",
			    (unsigned long long)a->start, (unsigned long long)last,
			    c->m->kernel_major, c->m->kernel_minor);
			return;
		}
		last = a->start;
	}
}

/*
 * 2.6.28-2.6.38 left a page after every area the allocator stepped over.
 * An area still touches the next one when it filled a hole up to it (the
 * simulator's 2.6.3x boots have one such pair in five), so the rule fires
 * when touching pairs are at least as many as one-page gaps: the era's
 * pattern is missing, not one pair.
 */
static void check_extra_page(struct chk *c)
{
	const struct vms_bootlog *log = c->d->log;
	if (c->era != 206 || log->kernel_major != 2 || log->kernel_minor != 6 ||
	    log->kernel_patch < 28 || log->kernel_patch > 38)
		return;
	const struct vms_aspace *m = c->m;
	size_t pairs = 0, gaps = 0;
	int64_t first = -1;
	for (size_t k = 1; k < m->nr_order; k++) {
		size_t i = m->order[k - 1], j = m->order[k];
		const struct vms_area *a = &c->d->areas.v[i], *b = &c->d->areas.v[j];
		if (m->guard[i] != VMS_GUARD_YES || m->guard[j] != VMS_GUARD_YES)
			continue;
		if (a->end < b->start && b->start - a->end == m->page_size)
			gaps++;
		if (a->end != b->start)
			continue;
		pairs++;
		first = first < 0 ? (int64_t)j : first;
	}
	if (pairs && pairs >= gaps)
		chk_area(
		    c, R_EXTRA_PAGE, (size_t)first,
		    "%zu area(s) start exactly where the previous one ends, %zu a page "
		    "after it; kernel 2.6.%d left a page after every area it stepped "
		    "over",
		    pairs, gaps, log->kernel_patch);
}

void vms_check_across(struct chk *c)
{
	if (c->on[R_OVERLAP] || c->on[R_DUPLICATE] || c->on[R_UNPURGED_OVERLAP])
		sweep(c);
	if (c->on[R_OUTSIDE_REGION])
		check_outside(c);
	if (c->on[R_PERCPU_NOT_TOP])
		check_percpu(c);
	if (c->on[R_UNSORTED])
		check_sorted(c);
	if (c->on[R_EXTRA_PAGE])
		check_extra_page(c);
}
