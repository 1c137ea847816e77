/*
 * report_holes.c — the windows of `vmscope report`: free bytes, the
 * largest hole (VmallocChunk), fragmentation, the largest vmalloc() and
 * ioremap() that would succeed now, and why each hole exists.
 *
 * Hole causes (docs/report.md "Why holes exist"), the first that fits:
 *
 *   one page     extra-page  2.6.28-2.6.38 advanced past an area it skipped
 *                            by one more page: ALIGN(va_end + PAGE_SIZE)
 *                guard       the area before prints size == pages * PAGE:
 *                            its guard page is this "hole"
 *   ...|hole|IO  ioremap-align  the next area is an ioremap whose alignment
 *                            (its size rounded to a power of two, capped at
 *                            IOREMAP_MAX_ORDER) puts it at ALIGN(hole start)
 *   ...|hole|VM  vm_map_ram  the next area is a vm_map_ram block, aligned to
 *                            its own size (VMAP_BLOCK_SIZE); or both
 *                            neighbours are blocks (a freed block)
 *   PC|hole|     percpu      above the highest per-cpu chunk at the top:
 *                            chunks sit at VMALLOC_END rounded down
 *   |hole...     boundary    the hole touches the window's start or end
 *   ..|hole|PC   percpu      per-cpu chunks are placed top-down from
 *                            VMALLOC_END: the space below or between them
 *   ..|hole|ST   boundary    the next area is a static mapping at a fixed
 *                            address (iotable_init): not reached yet
 *   ..|hole|..   freed       a lazily freed (unpurged) neighbour; any hole
 *                            between modules in module space (init sections
 *                            are freed after loading); or the hole is
 *                            exactly the size of 2+ live areas
 *   otherwise    unexplained
 *
 * Costs: the window pass is O(holes · (log areas + log sizes)) plus
 * O(holes) for the fits; explaining one hole is O(log areas + log sizes).
 */
#include <string.h>

#include "report_int.h"

static const char *const cause_names[VMS_NR_HOLE_CAUSES] = {
    "boundary", "ioremap-align", "extra-page", "guard",
    "freed",    "percpu",        "vm_map_ram", "unexplained",
};

const char *vms_hole_cause_name(enum vms_hole_cause c)
{
	return (unsigned)c < VMS_NR_HOLE_CAUSES ? cause_names[c] : "?";
}

/* ---- neighbours and causes ------------------------------------------------ */

static const struct vms_area *area(const struct vms_report *r, int64_t i)
{
	return i >= 0 ? &r->dump->areas.v[i] : NULL;
}

static uint8_t kind(const struct vms_report *r, int64_t i)
{
	return i >= 0 ? r->model->kind[i] : VMS_AK_OTHER;
}

/*
 * Whether the kernel that wrote the dump was 2.6.28-2.6.38: its version
 * says so (*sure), or the era's markers allow it and the areas show the
 * pattern (more one-page gaps between guarded areas than touching pairs:
 * those kernels never placed an area right after one it skipped).
 */
static bool extra_page_era(const struct vms_report *r, bool *sure)
{
	const struct vms_dump *d = r->dump;
	*sure = false;
	if (d->kernel_major) {
		if (d->kernel_major * 100 + d->kernel_minor != 206)
			return false;
		int p = d->log->kernel_patch;
		*sure = p >= 28 && p <= 38;
		return *sure || (!p && r->extra_page_pattern);
	}
	return (!d->era_lo || d->era_lo <= 206) && (!d->era_hi || d->era_hi >= 206) &&
	       r->extra_page_pattern;
}

/*
 * Whether an ioremap of printed size a->size explains the hole [start,
 * end) before it: some alignment the kernel could have given it puts
 * ALIGN(start) exactly at end. The candidates: the 4.9+ rule (the request,
 * size less the guard page, rounded up to a power of two) and the older
 * fls() rule on either request the size allows, by the dump's era, each
 * capped at either IOREMAP_MAX_ORDER the arch and era allow. The largest
 * that explains the hole wins (*align; *capped when the cap made it).
 */
static bool ioremap_explains(const struct vms_report *r, const struct vms_area *a,
                             uint64_t start, uint64_t end, uint64_t *align, bool *capped)
{
	const struct vms_aspace *m = r->model;
	uint64_t page = m->page_size;
	if (a->size < 2 * page)
		return false;
	int era = m->kernel_major * 100 + m->kernel_minor;
	unsigned shift = vms_log2_floor(page);
	unsigned orders[3] = {
	    vms_log2_ceil(a->size - page), vms_log2_floor(a->size - page) + 1,
	    a->size > 2 * page ? vms_log2_floor(a->size - 2 * page) + 1 : shift};
	unsigned caps[2] = {m->profile ? m->profile->ioremap_max_order_lo : shift + 7,
	                    m->profile ? m->profile->ioremap_max_order_hi : 30};
	*align = 0;
	for (size_t k = era >= 409 ? 0 : era ? 1 : 0; k < (era >= 409 ? 1 : 3); k++)
		for (size_t c = 0; c < 2; c++) {
			unsigned o = orders[k] < shift ? shift : orders[k];
			unsigned capped_o = o > caps[c] ? caps[c] : o;
			uint64_t al = 1ull << capped_o;
			if (al > *align && vms_align_up(start, al) == end &&
			    end - start < al) {
				*align = al;
				*capped = capped_o < o;
			}
		}
	return *align != 0;
}

/* The live areas of exactly size bytes, when 2+ share it. */
static const struct vms_size_count *common_size(const struct vms_report *r, uint64_t size)
{
	size_t lo = 0, hi = r->sizes.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->sizes.v[mid].size < size)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->sizes.n && r->sizes.v[lo].size == size ? &r->sizes.v[lo] : NULL;
}

static bool one_page_cause(const struct vms_report *r, struct vms_hole_why *w)
{
	const struct vms_area *b = area(r, w->before);
	uint64_t page = r->model->page_size;
	if (w->end - w->start != page || !b)
		return false;
	if (r->extra_page && r->model->guard[w->before] != VMS_GUARD_VM_MAP_RAM) {
		w->cause = VMS_HC_EXTRA_PAGE;
		return true;
	}
	if (r->model->guard[w->before] == VMS_GUARD_YES && b->has_pages &&
	    b->size == (uint64_t)b->pages * page) {
		w->cause = VMS_HC_GUARD;
		return true;
	}
	return false;
}

static bool align_cause(const struct vms_report *r, struct vms_hole_why *w)
{
	const struct vms_area *n = area(r, w->after);
	if (!n)
		return false;
	if (kind(r, w->after) == VMS_AK_IOREMAP &&
	    r->model->guard[w->after] == VMS_GUARD_YES &&
	    ioremap_explains(r, n, w->start, w->end, &w->align, &w->capped)) {
		w->cause = VMS_HC_IOREMAP_ALIGN;
		return true;
	}
	if (kind(r, w->after) != VMS_AK_VM_MAP_RAM)
		return false;
	if (vms_is_pow2(n->size) && vms_align_up(w->start, n->size) == w->end &&
	    w->end - w->start < n->size) {
		w->align = n->size;
		w->cause = VMS_HC_VM_MAP_RAM;
		return true;
	}
	if (kind(r, w->before) == VMS_AK_VM_MAP_RAM) {
		w->cause = VMS_HC_VM_MAP_RAM;
		return true;
	}
	return false;
}

static void classify(const struct vms_report *r, const struct vms_report_window *win,
                     struct vms_hole_why *w)
{
	const struct vms_size_count *same;
	if (align_cause(r, w) || one_page_cause(r, w))
		return;
	if (w->end == win->window->end && kind(r, w->before) == VMS_AK_PERCPU)
		w->cause = VMS_HC_PERCPU; /* the top chunk's alignment below the end */
	else if (w->start == win->window->start || w->end == win->window->end)
		w->cause = VMS_HC_BOUNDARY;
	else if (kind(r, w->after) == VMS_AK_PERCPU ||
	         kind(r, w->before) == VMS_AK_PERCPU)
		w->cause = VMS_HC_PERCPU;
	else if (w->after >= 0 && r->model->guard[w->after] == VMS_GUARD_STATIC) {
		w->cause = VMS_HC_BOUNDARY;
		w->fixed = true;
	} else if (kind(r, w->after) == VMS_AK_UNPURGED ||
	           kind(r, w->before) == VMS_AK_UNPURGED)
		w->cause = VMS_HC_FREED;
	else if (win->region->kind == VMS_RK_MODULES) {
		w->cause = VMS_HC_FREED;
		w->module_space = true;
	} else if ((same = common_size(r, w->end - w->start)) != NULL) {
		w->cause = VMS_HC_FREED;
		w->same_size = same->count;
		w->same_example = same->example;
	} else
		w->cause = VMS_HC_UNEXPLAINED;
}

/* Explains [start, end) between the areas before and after it (indices
 * or -1): the part shared by the window pass and vms_report_explain(). */
static void explain_between(const struct vms_report *r,
                            const struct vms_report_window *win, uint64_t start,
                            uint64_t end, int64_t before, int64_t after,
                            struct vms_hole_why *why)
{
	*why = (struct vms_hole_why){.start = start,
	                             .end = end,
	                             .before = start > win->window->start ? before : -1,
	                             .after = end < win->window->end ? after : -1,
	                             .same_example = -1};
	classify(r, win, why);
}

void vms_report_explain(const struct vms_report *r, const struct vms_report_window *win,
                        uint64_t start, uint64_t end, struct vms_hole_why *why)
{
	const struct vms_busy *busy = &r->model->busy;
	uint32_t b = start ? vms_busy_floor(busy, start - 1) : UINT32_MAX;
	uint32_t a = vms_busy_lower_bound(busy, end);
	explain_between(r, win, start, end, b == UINT32_MAX ? -1 : (int64_t)b,
	                a == UINT32_MAX ? -1 : (int64_t)a, why);
}

/* ---- evidence --------------------------------------------------------------- */

/* Whether the dump's kernel is older than 4.13 (lazily freed areas are
 * then not listed), by its version or its era's upper bound. */
static bool before_4_13(const struct vms_dump *d)
{
	int v = d->kernel_major * 100 + d->kernel_minor;
	return v ? v < 413 : d->era_hi && d->era_hi < 413;
}

/* "ioremap 0x...-0x... (devm_ioremap, 2 MiB)" */
static const char *describe(const struct vms_report *r, int64_t i, char *buf, size_t len)
{
	const struct vms_area *a = area(r, i);
	char sz[32];
	const char *caller = vms_area_caller(r->dump, a);
	snprintf(buf, len, "%s 0x%llx-0x%llx (%s%s%s, line %u)",
	         vms_akind_name((enum vms_akind)r->model->kind[i]),
	         (unsigned long long)a->start, (unsigned long long)a->end,
	         caller ? caller : "", caller ? ", " : "",
	         vms_format_size(a->size, sz, sizeof(sz)), r->dump->src.v[i].line);
	return buf;
}

static void boundary_evidence(const struct vms_report *r, const struct vms_hole_why *w,
                              char *buf, size_t len)
{
	char nb[160];
	if (w->fixed)
		snprintf(
		    buf, len,
		    "up to %s, a static mapping at a fixed address the allocator did "
		    "not choose; allocation fills from the bottom and has not "
		    "reached it",
		    describe(r, w->after, nb, sizeof(nb)));
	else if (w->before < 0 && w->after < 0)
		snprintf(buf, len, "the whole window is free");
	else if (w->before < 0)
		snprintf(buf, len, "from the start of the window to the first area, %s",
		         describe(r, w->after, nb, sizeof(nb)));
	else
		snprintf(buf, len,
		         "from the last area, %s, to the end of the window: never "
		         "allocated (allocation is lowest-address first)",
		         describe(r, w->before, nb, sizeof(nb)));
}

const char *vms_report_evidence(const struct vms_report *r, const struct vms_hole_why *w,
                                char *buf, size_t len)
{
	char nb[160], sz[32];
	switch (w->cause) {
	case VMS_HC_BOUNDARY:
		boundary_evidence(r, w, buf, len);
		break;
	case VMS_HC_IOREMAP_ALIGN:
		snprintf(buf, len,
		         "the next area, %s, is aligned to %s (its size rounded to a "
		         "power of two): the allocator skipped from 0x%llx to it",
		         describe(r, w->after, nb, sizeof(nb)),
		         vms_format_size(w->align, sz, sizeof(sz)),
		         (unsigned long long)w->start);
		break;
	case VMS_HC_VM_MAP_RAM:
		if (w->align)
			snprintf(buf, len,
			         "the next area, %s, is a vm_map_ram block aligned to "
			         "its size "
			         "(%s)",
			         describe(r, w->after, nb, sizeof(nb)),
			         vms_format_size(w->align, sz, sizeof(sz)));
		else
			snprintf(
			    buf, len,
			    "between vm_map_ram blocks: a freed block (%s before it)",
			    describe(r, w->before, nb, sizeof(nb)));
		break;
	case VMS_HC_EXTRA_PAGE: {
		bool sure;
		extra_page_era(r, &sure);
		snprintf(
		    buf, len,
		    "one page after %s: 2.6.28-2.6.38 kernels left a page after each "
		    "area they skipped (ALIGN(va_end + PAGE_SIZE))%s",
		    describe(r, w->before, nb, sizeof(nb)),
		    sure ? ""
		         : "; the version is not known, but the era allows it and few "
		           "areas touch");
		break;
	}
	case VMS_HC_GUARD:
		snprintf(
		    buf, len,
		    "the guard page of %s, whose printed size (pages=%u) leaves it out: "
		    "the kernel holds this page, it is not free (check reports "
		    "guard-page)",
		    describe(r, w->before, nb, sizeof(nb)), area(r, w->before)->pages);
		break;
	case VMS_HC_PERCPU:
		if (w->after < 0) {
			snprintf(
			    buf, len,
			    "above the highest per-cpu chunk, %s: chunks are placed at "
			    "VMALLOC_END rounded down to their alignment",
			    describe(r, w->before, nb, sizeof(nb)));
			break;
		}
		snprintf(
		    buf, len,
		    "per-cpu chunks are placed top-down from VMALLOC_END, other areas "
		    "bottom-up: %s %s",
		    kind(r, w->after) == VMS_AK_PERCPU ? "below" : "above",
		    describe(r, kind(r, w->after) == VMS_AK_PERCPU ? w->after : w->before,
		             nb, sizeof(nb)));
		break;
	case VMS_HC_FREED:
		if (w->module_space)
			snprintf(
			    buf, len,
			    "between modules: a module's init sections are freed once it "
			    "has loaded, and an unloaded module frees all of its space");
		else if (w->same_size)
			snprintf(
			    buf, len,
			    "exactly the size of %llu live areas, e.g. %s: a freed one "
			    "leaves this hole",
			    (unsigned long long)w->same_size,
			    describe(r, w->same_example, nb, sizeof(nb)));
		else
			snprintf(buf, len,
			         "next to a lazily freed area, %s: purged, they merge",
			         describe(r,
			                  kind(r, w->before) == VMS_AK_UNPURGED
			                      ? w->before
			                      : w->after,
			                  nb, sizeof(nb)));
		break;
	default:
		snprintf(
		    buf, len,
		    "no neighbour, alignment or common size explains it: most likely "
		    "a freed area of a size no live area has%s",
		    before_4_13(r->dump) ? " (before 4.13 lazily freed areas are not "
		                           "listed: one may still occupy it)"
		                         : "");
	}
	return buf;
}

/* ---- the largest fits -------------------------------------------------------- */

/* The largest vmalloc() request a hole holds: page-aligned start, the
 * request plus its guard page inside. */
static uint64_t vmalloc_fit(uint64_t start, uint64_t end, uint64_t page, uint64_t *at)
{
	uint64_t s = vms_align_up(start, page);
	if (s >= end || end - s <= page)
		return 0;
	*at = s;
	return (end - s - page) & ~(page - 1);
}

/*
 * The largest ioremap() request [start, end) holds: per power-of-two size
 * class the alignment is fixed, so the class's largest member that fits
 * after aligning is a candidate; a bigger class only needs more alignment.
 */
static uint64_t ioremap_fit(const struct vms_aspace *m, uint64_t start, uint64_t end,
                            uint64_t *at, uint64_t *align)
{
	uint64_t page = m->page_size, best = 0;
	for (unsigned k = vms_log2_floor(page); k < 63; k++) {
		uint64_t cls = 1ull << k;
		uint64_t al = vms_aspace_ioremap_align(m, cls);
		uint64_t s = vms_align_up(start, al);
		if (s >= end || end - s <= page)
			break;
		uint64_t room = (end - s - page) & ~(page - 1);
		uint64_t fit = room < cls ? room : cls;
		if (fit && vms_aspace_ioremap_align(m, fit) <= al && fit > best) {
			best = fit;
			*at = s;
			*align = vms_aspace_ioremap_align(m, fit);
		}
		if (room < cls)
			break;
	}
	return best;
}

/* ---- windows ----------------------------------------------------------------- */

static void window_hole(const struct vms_report *r, struct vms_report_window *w,
                        const struct vms_hole *h, const struct vms_hole_why *why,
                        bool ioremap)
{
	uint64_t size = h->va_end - h->va_start, at = 0, al = 0;
	w->causes[why->cause].count++;
	w->causes[why->cause].bytes += size;
	if (size > w->largest) {
		w->largest = size;
		w->largest_start = h->va_start;
	}
	uint64_t page = r->model->page_size;
	/* 2.6.28-2.6.38 start one page after the area they skip */
	uint64_t from = h->va_start;
	if (r->extra_page && why->before >= 0)
		from = h->va_start + page < h->va_end ? h->va_start + page : h->va_end;
	if (size > w->max_vmalloc + page) {
		uint64_t fit = vmalloc_fit(from, h->va_end, page, &at);
		if (fit > w->max_vmalloc) {
			w->max_vmalloc = fit;
			w->max_vmalloc_at = at;
		}
	}
	if (ioremap && size > w->max_ioremap + page) {
		uint64_t fit = ioremap_fit(r->model, from, h->va_end, &at, &al);
		if (fit > w->max_ioremap) {
			w->max_ioremap = fit;
			w->max_ioremap_at = at;
			w->max_ioremap_align = al;
		}
	}
}

static void fill_window(struct vms_report *r, struct vms_report_window *w)
{
	const struct vms_aspace *m = r->model;
	const struct vms_free *f = &w->window->free;
	bool ioremap = w->region->kind == VMS_RK_VMALLOC;
	w->size = w->window->end - w->window->start;
	w->used = w->window->used;
	w->free = f->total;
	w->holes = f->count;
	/* holes and areas both ascend: walk order[] beside the holes for the
	 * neighbours instead of two tree lookups per hole */
	size_t k = vms_aspace_first_at(m, w->window->start);
	for (uint32_t id = vms_free_first(f); id; id = vms_free_next(f, id)) {
		const struct vms_hole *h = vms_free_hole(f, id);
		while (k < m->nr_order && m->dump->areas.v[m->order[k]].start < h->va_end)
			k++;
		struct vms_hole_why why;
		explain_between(r, w, h->va_start, h->va_end,
		                k ? (int64_t)m->order[k - 1] : -1,
		                k < m->nr_order ? (int64_t)m->order[k] : -1, &why);
		window_hole(r, w, h, &why, ioremap);
	}
	w->fragmentation = w->free ? 1.0 - (double)w->largest / (double)w->free : 0.0;
}

/* More one-page gaps than touching pairs between guarded areas in the
 * sorted order (ioremap areas after the gap left out: their alignment may
 * explain it): the mark of 2.6.28-2.6.38 (see extra_page_era). O(n). */
static bool one_page_pattern(const struct vms_aspace *m)
{
	uint64_t touching = 0, one_page = 0;
	for (size_t k = 1; k < m->nr_order; k++) {
		uint32_t p = m->order[k - 1], n = m->order[k];
		/* an ioremap's own alignment may explain its gap */
		if (m->guard[p] != VMS_GUARD_YES || m->guard[n] != VMS_GUARD_YES ||
		    m->kind[n] == VMS_AK_IOREMAP)
			continue;
		uint64_t end = m->dump->areas.v[p].end, start = m->dump->areas.v[n].start;
		touching += start == end;
		one_page += start == end + m->page_size;
	}
	return one_page > touching;
}

void vms_report_windows(struct vms_report *r)
{
	const struct vms_aspace *m = r->model;
	r->extra_page_pattern = one_page_pattern(m);
	bool sure;
	r->extra_page = extra_page_era(r, &sure);
	/* an incomplete or filtered dump's holes are no free space: no windows */
	for (size_t i = 0; !m->not_free && i < m->windows.n; i++) {
		const struct vms_window *mw = &m->windows.v[i];
		struct vms_report_window w = {.window = mw,
		                              .region = &m->regions.v[mw->region]};
		vms_vec_push(&r->windows, w);
		r->regions.v[mw->region].window = (int32_t)i;
	}
	for (size_t i = 0; i < r->windows.n; i++)
		fill_window(r, &r->windows.v[i]);
}
