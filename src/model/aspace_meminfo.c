/*
 * aspace_meminfo.c — the model against the /proc/meminfo lines of its input
 * (log->meminfo; docs/kernel.md §10, docs/report.md "/proc/meminfo"):
 *
 *  - VmallocTotal is (VMALLOC_END - VMALLOC_START) >> 10. Where the vmalloc
 *    region comes from a profile that could only guess VMALLOC_START (no
 *    high_memory), it places the start at VMALLOC_END - total; otherwise
 *    the region's size is kept beside it for the checker.
 *  - VmallocUsed / VmallocChunk mean what the kernel's era made of them
 *    (enum vms_meminfo_era). Up to 4.3 get_vmalloc_info() walked the areas
 *    in address order, skipped those starting below VMALLOC_START, stopped
 *    at the first starting at or above VMALLOC_END, summed their sizes and
 *    took the largest gap from one area's end to the next start, the tail
 *    to VMALLOC_END included; this file does the same on the dump. From
 *    5.3 VmallocUsed counts vmalloc'ed pages: the dump's pages= of its
 *    vmalloc areas.
 *  - A dump that lists less than VMS_MEMINFO_COMPLETE_PCT percent of what
 *    VmallocUsed counts is incomplete.
 *
 * Cost: O(regions) before the windows, O(areas) after the sort.
 */
#include <inttypes.h>
#include <string.h>

#include "aspace_int.h"

const char *vms_meminfo_era_name(enum vms_meminfo_era e)
{
	static const char *const n[] = {"none", "unknown", "space", "zero", "pages"};
	return (unsigned)e <= VMS_MI_PAGES ? n[e] : "?";
}

static struct vms_region *vmalloc_region(struct vms_aspace *m)
{
	for (size_t i = 0; i < m->regions.n; i++)
		if (m->regions.v[i].kind == VMS_RK_VMALLOC)
			return &m->regions.v[i];
	return NULL;
}

/* True when a trusted area starts in [lo, hi). */
static bool area_in(const struct vms_dump *d, uint64_t lo, uint64_t hi)
{
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		if (a->geom == VMS_GEOM_TRUSTED && a->start >= lo && a->start < hi)
			return true;
	}
	return false;
}

void vms_aspace_meminfo_total(struct vms_aspace *m)
{
	const struct vms_meminfo *mi = &m->dump->log->meminfo;
	struct vms_region *r = vmalloc_region(m);
	struct vms_meminfo_cmp *c = &m->meminfo;
	if (!mi->total.line || !r)
		return;
	uint64_t bytes = mi->total.kb << 10, start = r->end - bytes;
	bool fits =
	    bytes && bytes <= r->end && start >= r->start && start % m->page_size == 0;
	if (r->source == VMS_RS_PROFILE && r->start_guessed && fits &&
	    !area_in(m->dump, r->start, start)) {
		r->start = start;
		r->start_guessed = false;
		c->total_set_start = true;
		m->layout_why = vms_arena_printf(
		    &m->arena,
		    "%s; VMALLOC_START = VMALLOC_END - VmallocTotal (%s%sline %u)",
		    m->layout_why, mi->file ? mi->file : "", mi->file ? " " : "",
		    mi->total.line);
	}
	c->has_total = true;
	c->region_kb = (r->end - r->start) >> 10;
}

/* The era of VmallocUsed/Chunk: the values first, the version after. */
static uint8_t era_of(const struct vms_aspace *m, const struct vms_meminfo *mi)
{
	int v = m->kernel_major * 100 + m->kernel_minor;
	if (!mi->used.line)
		return VMS_MI_NONE;
	if (!mi->used.kb && !mi->chunk.kb)
		return VMS_MI_ZERO; /* a computing kernel never prints 0 used */
	if (mi->chunk.line && mi->chunk.kb)
		return VMS_MI_SPACE; /* no kernel since 4.4 prints a chunk */
	if (mi->chunk.line && mi->used.kb)
		return VMS_MI_PAGES; /* used but no chunk: only 5.3+ prints that */
	if (!v)
		return VMS_MI_UNKNOWN;
	if (v < 404)
		return VMS_MI_SPACE;
	return v >= 503 ? VMS_MI_PAGES : VMS_MI_UNKNOWN;
}

/* get_vmalloc_info() of <= 4.3 on the dump's areas. */
static void space_figures(struct vms_aspace *m, const struct vms_region *r)
{
	struct vms_meminfo_cmp *c = &m->meminfo;
	uint64_t used = 0, prev = r->start, largest = 0, at = r->start;
	for (size_t k = vms_aspace_first_at(m, r->start); k < m->nr_order; k++) {
		const struct vms_area *a = &m->dump->areas.v[m->order[k]];
		if (a->start >= r->end)
			break;
		if (a->kind == VMS_KIND_UNPURGED)
			continue; /* VM_LAZY_FREE: skipped by 3.10-4.3 */
		used += a->size;
		if (a->start > prev && a->start - prev > largest) {
			largest = a->start - prev;
			at = prev;
		}
		prev = a->end > prev ? a->end : prev;
	}
	if (r->end > prev && r->end - prev > largest) {
		largest = r->end - prev;
		at = prev;
	}
	c->compared = true;
	c->used_kb = used >> 10;
	/* a region spanning the areas does not know VMALLOC_START/END */
	c->has_chunk = r->source != VMS_RS_INFERRED;
	c->chunk_kb = largest >> 10;
	c->chunk_start = at;
}

/* VmallocUsed of 5.3+: the pages of the vmalloc areas, in kB. */
static void pages_figure(struct vms_aspace *m)
{
	const struct vms_dump *d = m->dump;
	uint64_t pages = 0;
	bool printed = false; /* a format without pages= (crash's kmem -v
	                         table) cannot be compared */
	for (size_t i = 0; i < d->areas.n; i++) {
		printed |= d->areas.v[i].has_pages;
		if (d->areas.v[i].flags & VMS_F_VMALLOC && d->areas.v[i].has_pages)
			pages += d->areas.v[i].pages;
	}
	if (!printed)
		return;
	m->meminfo.compared = true;
	m->meminfo.used_kb = pages * (m->page_size >> 10);
}

void vms_aspace_meminfo_compare(struct vms_aspace *m)
{
	const struct vms_meminfo *mi = &m->dump->log->meminfo;
	struct vms_meminfo_cmp *c = &m->meminfo;
	const struct vms_region *r = vmalloc_region(m);
	c->era = era_of(m, mi);
	/* values of one era beside a printed version of another: 0 and 0 from
	 * a kernel that computed them (<= 4.2), or a chunk from one that no
	 * longer did (>= 4.5; 4.3 and 4.4 are left open: the release that
	 * stopped computing is not pinned, docs/kernel.md) */
	const struct vms_bootlog *log = m->dump->log;
	int v = m->kernel_major * 100 + m->kernel_minor;
	if (log->version_text && v &&
	    ((c->era == VMS_MI_ZERO && v <= 402) || (c->era == VMS_MI_SPACE && v >= 405)))
		c->era_conflict = true;
	if (!m->dump->areas.n || mi->conflict || c->era_conflict)
		return; /* nothing to compare, two copies that disagree, or
		           meminfo of another kernel */
	if (c->era == VMS_MI_SPACE && m->geometry && r)
		space_figures(m, r);
	else if (c->era == VMS_MI_PAGES)
		pages_figure(m);
	if (!c->compared || c->used_kb * 100 >= mi->used.kb * VMS_MEMINFO_COMPLETE_PCT)
		return;
	c->incomplete = vms_arena_printf(
	    &m->arena,
	    "the dump lists %" PRIu64 " kB of what VmallocUsed (%s%sline %u) counts as "
	    "%" PRIu64 " kB, under %d%%: areas are missing (a cut paste?)",
	    c->used_kb, mi->file ? mi->file : "", mi->file ? " " : "", mi->used.line,
	    mi->used.kb, VMS_MEMINFO_COMPLETE_PCT);
}
