/*
 * check_area.c — the rules that judge one area at a time: its range, page
 * alignment, size column, guard page, vpages flag, NUMA counts, ioremap
 * alignment and phys= (docs/rules.md has the kernel background of each).
 *
 * One pass over the areas, O(areas) plus O(repairs) to find the printed
 * values of areas whose range the parser had to repair.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

/* Real addresses: the range is the kernel's, even when the size disagrees. */
static bool real(const struct vms_area *a)
{
	return a->geom == VMS_GEOM_TRUSTED || a->geom == VMS_GEOM_MISMATCH;
}

static void check_range(struct chk *c, size_t i, const struct vms_area *a)
{
	uint64_t page = c->m->page_size;
	if (c->on[R_AREA_RANGE] && a->end <= a->start) {
		chk_area(c, R_AREA_RANGE, i,
		         "area 0x%llx-0x%llx ends at or before its start",
		         (unsigned long long)a->start, (unsigned long long)a->end);
		return;
	}
	if (c->on[R_AREA_UNALIGNED] && ((a->start | a->end) & (page - 1)))
		chk_area(
		    c, R_AREA_UNALIGNED, i,
		    "area 0x%llx-0x%llx is not aligned to the %llu-byte page "
		    "(%s off by 0x%llx)",
		    (unsigned long long)a->start, (unsigned long long)a->end,
		    (unsigned long long)page, a->start & (page - 1) ? "start" : "end",
		    (unsigned long long)((a->start & (page - 1)) ? a->start & (page - 1)
		                                                 : a->end & (page - 1)));
	if (c->on[R_SIZE_MISMATCH] && a->geom == VMS_GEOM_MISMATCH)
		chk_area(
		    c, R_SIZE_MISMATCH, i,
		    "area 0x%llx-0x%llx spans %llu bytes but its size column says %llu",
		    (unsigned long long)a->start, (unsigned long long)a->end,
		    (unsigned long long)(a->end - a->start), (unsigned long long)a->size);
}

/* The parser's geometric repairs: the printed line broke size == end -
 * start, which is itself a finding (the typo'd start of a paste). */
static void check_repaired(struct chk *c)
{
	const struct vms_dump *d = c->d;
	static const char *const codes[] = {"start-from-end-size", "end-from-start-size",
	                                    "size-from-range"};
	for (size_t k = 0; k < d->repairs.n; k++) {
		const struct vms_repair *rp = &d->repairs.v[k];
		if (rp->area < 0 || (size_t)rp->area >= d->areas.n)
			continue;
		for (size_t j = 0; j < sizeof(codes) / sizeof(codes[0]); j++)
			if (strcmp(rp->code, codes[j]) == 0)
				chk_area(c, R_SIZE_MISMATCH, (size_t)rp->area,
				         "the printed range and size disagree: %s",
				         rp->message);
	}
}

static bool is_vmalloc_with_pages(const struct vms_area *a)
{
	return a->kind == VMS_KIND_AREA && a->has_pages && (a->flags & VMS_F_VMALLOC);
}

static void check_guard(struct chk *c, size_t i, const struct vms_area *a)
{
	if (!is_vmalloc_with_pages(a))
		return;
	uint64_t page = c->m->page_size;
	uint64_t pages = a->pages;
	uint8_t g = c->m->guard[i];
	if (g == VMS_GUARD_NO_GUARD) {
		if (a->size != pages * page)
			chk_area(c, R_GUARD_PAGE, i,
			         "size %llu of a VM_NO_GUARD area is not pages %llu x "
			         "%llu = %llu",
			         (unsigned long long)a->size, (unsigned long long)pages,
			         (unsigned long long)page,
			         (unsigned long long)(pages * page));
		return;
	}
	if (g != VMS_GUARD_YES)
		return;
	uint64_t want = (pages + 1) * page;
	if (a->size == want)
		return;
	/* Areas populated after their reservation print fewer pages than they
	 * span: alloc_tag_init's module tags (6.12/6.13; release UNVERIFIED),
	 * vrealloc() (6.12+). A bigger size is only wrong on a kernel known
	 * older than 6.10, a margin below both. */
	int hi = c->era ? c->era : c->d->era_hi;
	if (a->size > want && (!hi || hi >= 610))
		return;
	chk_area(c, R_GUARD_PAGE, i,
	         "size %llu is not (pages %llu + 1 guard page) x %llu = %llu%s",
	         (unsigned long long)a->size, (unsigned long long)pages,
	         (unsigned long long)page, (unsigned long long)want,
	         a->size == pages * page ? ": no guard page" : "");
}

static void check_vpages(struct chk *c, size_t i, const struct vms_area *a)
{
	unsigned ptr = c->d->addr_bits / 8;
	if (!is_vmalloc_with_pages(a) || !ptr)
		return;
	bool big = (uint64_t)a->pages * ptr > c->m->page_size;
	bool has = a->flags & VMS_F_VPAGES;
	if (big == has)
		return;
	chk_area(
	    c, R_VPAGES, i,
	    "%u pages need a %llu-byte page array, which %s one page, but vpages is %s",
	    a->pages, (unsigned long long)a->pages * ptr,
	    big ? "does not fit in" : "fits in", has ? "set" : "not set");
}

static void check_numa(struct chk *c, size_t i, const struct vms_area *a)
{
	uint32_t n;
	const struct vms_numa *nu = vms_dump_numa(c->d, i, &n);
	if (!n || !a->has_pages)
		return;
	uint64_t sum = 0;
	for (uint32_t k = 0; k < n; k++)
		sum += nu[k].pages;
	if (sum != a->pages)
		chk_area(c, R_NUMA_PAGES, i,
		         "the N<node>= counts add up to %llu, pages=%u",
		         (unsigned long long)sum, a->pages);
}

/*
 * The alignment __get_vm_area_node() gave an ioremap area, as a lower
 * bound: 4.9+ rounds the page-aligned request (size minus the guard page)
 * up to a power of two; before, fls() of the unaligned request, of which
 * only (size - 2 pages, size - 1 page] is known. Both are capped at the
 * smallest IOREMAP_MAX_ORDER the arch and era allow.
 */
static uint64_t ioremap_align(const struct chk *c, const struct vms_area *a)
{
	uint64_t page = c->m->page_size;
	unsigned shift = vms_log2_floor(page);
	unsigned max = c->m->profile ? c->m->profile->ioremap_max_order_lo : shift + 7;
	if (a->size < 2 * page)
		return page;
	unsigned now = vms_log2_ceil(a->size - page);
	unsigned old =
	    a->size > 2 * page ? vms_log2_floor(a->size - 2 * page) + 1 : shift;
	unsigned order = c->era >= 409 ? now : c->era ? old : (now < old ? now : old);
	order = order < shift ? shift : order > max ? max : order;
	return 1ull << order;
}

static void check_ioremap(struct chk *c, size_t i, const struct vms_area *a)
{
	if (a->kind != VMS_KIND_AREA || !(a->flags & VMS_F_IOREMAP) ||
	    c->m->guard[i] != VMS_GUARD_YES || a->geom != VMS_GEOM_TRUSTED)
		return;
	uint64_t align = ioremap_align(c, a);
	if (a->start & (align - 1))
		chk_area(c, R_IOREMAP_ALIGN, i,
		         "ioremap area 0x%llx of %llu bytes is not aligned to 0x%llx "
		         "(its size rounded to a power of two%s)",
		         (unsigned long long)a->start, (unsigned long long)a->size,
		         (unsigned long long)align,
		         c->m->profile ? ", capped at IOREMAP_MAX_ORDER" : "");
}

static void check_phys(struct chk *c, size_t i, const struct vms_area *a)
{
	if (a->has_phys && (a->phys & (c->m->page_size - 1)))
		chk_area(c, R_PHYS_UNALIGNED, i, "phys=0x%llx is not page-aligned",
		         (unsigned long long)a->phys);
}

void vms_check_areas(struct chk *c)
{
	const struct vms_dump *d = c->d;
	bool geom = c->m->geometry;
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		if (geom && real(a))
			check_range(c, i, a);
		if (c->on[R_GUARD_PAGE])
			check_guard(c, i, a);
		if (c->on[R_VPAGES])
			check_vpages(c, i, a);
		if (c->on[R_NUMA_PAGES])
			check_numa(c, i, a);
		if (geom && c->on[R_IOREMAP_ALIGN])
			check_ioremap(c, i, a);
		if (c->on[R_PHYS_UNALIGNED])
			check_phys(c, i, a);
	}
	if (geom && c->on[R_SIZE_MISMATCH])
		check_repaired(c);
}
