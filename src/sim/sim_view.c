/*
 * sim_view.c — reading a simulator: the failure lines, the stats, the
 * regions and era, its memory, the kernel's failure line of each era, the
 * snapshot of what /proc/vmallocinfo would list (sim.h), and validation
 * of every invariant from scratch. O(n) each for the snapshot and
 * validation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rbtree.h"
#include "sim_int.h"

/* ---- reading the state ------------------------------------------------------ */

size_t vms_sim_nr_failures(const struct vms_sim *s)
{
	return s->failures.n;
}

const char *vms_sim_failure(const struct vms_sim *s, size_t i)
{
	return i < s->failures.n ? s->failures.v[i] : NULL;
}

void vms_sim_get_stats(const struct vms_sim *s, struct vms_sim_stats *st)
{
	*st = s->st;
	st->lazy_max_pages = s->lazy_max_pages;
	st->largest_hole = vms_free_largest(&s->win[s->vmalloc_win].free);
	st->free_bytes = s->win[s->vmalloc_win].free.total;
}

const struct vms_region *vms_sim_regions(const struct vms_sim *s, size_t *n)
{
	*n = s->regions.n;
	return s->regions.v;
}

void vms_sim_kernel(const struct vms_sim *s, int *major, int *minor, int *patch)
{
	*major = s->major;
	*minor = s->minor;
	*patch = s->patch;
}

const struct vms_profile *vms_sim_profile(const struct vms_sim *s)
{
	return s->profile;
}

uint64_t vms_sim_page_size(const struct vms_sim *s)
{
	return s->page;
}

unsigned vms_sim_policy(const struct vms_sim *s)
{
	return s->policy;
}

size_t vms_sim_bytes(const struct vms_sim *s)
{
	size_t n = sizeof(*s) + s->slot.cap * sizeof(s->slot.v[0]) +
	           s->key.cap * sizeof(uint64_t) + vms_busy_bytes(&s->busy) +
	           sim_ids_bytes(&s->ids) +
	           (s->lazy.cap + s->blocks.cap) * sizeof(uint32_t) + s->arena.total;
	for (unsigned w = 0; w < s->nr_win; w++)
		n += vms_free_bytes(&s->win[w].free);
	for (size_t p = 0; p < 256; p++)
		n += s->pool[p].cap * sizeof(uint32_t);
	return n;
}

const char *vms_sim_failure_text(int major, int minor, int patch, uint64_t size,
                                 uint64_t vstart, uint64_t vend, char *buf, size_t len)
{
	int era = major * 100 + minor;
	bool vmlist =
	    major == 2 && (minor < 6 || (minor == 6 && patch > 0 && patch < 28));
	if (era >= 611)
		snprintf(buf, len,
		         "vmalloc_node_range for size %llu failed: Address range "
		         "restricted to "
		         "%#llx - %#llx",
		         (unsigned long long)size, (unsigned long long)vstart,
		         (unsigned long long)vend);
	else if (vmlist)
		snprintf(buf, len,
		         "allocation failed: out of vmalloc space - use vmalloc=<size> "
		         "to increase size.");
	else
		snprintf(buf, len,
		         "vmap allocation for size %llu failed: use vmalloc=<size> to "
		         "increase size%s",
		         (unsigned long long)size, era && era < 419 ? "." : "");
	return buf;
}

/* ---- snapshot ---------------------------------------------------------------- */

static void copy_out(const struct vms_sim *s, struct vms_dump *d, uint32_t i,
                     unsigned kind)
{
	struct vms_area a = s->slot.v[i].a;
	a.kind = kind & 3;
	a.geom = VMS_GEOM_TRUSTED;
	a.size = a.end - a.start;
	if (kind != VMS_KIND_AREA) {
		/* "vm_map_ram" and "unpurged vm_area" lines carry nothing else */
		uint64_t start = a.start, end = a.end;
		memset(&a, 0, sizeof(a));
		a.start = start;
		a.end = end;
		a.size = end - start;
		a.kind = kind & 3;
	} else {
		const char *c = vms_symtab_name(&s->syms, a.caller);
		const char *m = vms_symtab_name(&s->syms, a.module);
		a.caller = c ? vms_dump_intern(d, c, strlen(c)) : 0;
		a.module = m ? vms_dump_intern(d, m, strlen(m)) : 0;
	}
	vms_dump_add_area(d, &a, NULL, NULL, 0);
}

struct vms_dump *vms_sim_snapshot(const struct vms_sim *s)
{
	sim_busy_sync_const(s);
	struct vms_dump *d = vms_dump_new("sim");
	bool listed = sim_era_at_least(s, 4, 13); /* vm_map_ram and unpurged lines */
	bool lazy_last = sim_era_at_least(s, 5, 4);

	d->addr_bits = s->addr_bits;
	d->page_size = s->page;
	d->kernel_major = s->major;
	d->kernel_minor = s->minor;
	d->visibility = VMS_VIS_REAL;
	d->arch = s->profile->family;
	d->sorted = true;
	for (uint32_t i = vms_busy_first(&s->busy); i != NO_SLOT;
	     i = vms_busy_next(&s->busy, i)) {
		const struct sim_slot *sl = &s->slot.v[i];
		if (sl->state == S_LIVE) {
			bool map_ram = sl->block || sl->a.kind == VMS_KIND_VM_MAP_RAM;
			if (!map_ram)
				copy_out(s, d, i, sl->a.kind);
			else if (listed)
				copy_out(s, d, i, VMS_KIND_VM_MAP_RAM);
		} else if (sl->state == S_LAZY && listed && !lazy_last) {
			copy_out(s, d, i, VMS_KIND_UNPURGED);
		}
	}
	if (listed && lazy_last)
		for (uint32_t i = vms_busy_first(&s->busy); i != NO_SLOT;
		     i = vms_busy_next(&s->busy, i))
			if (s->slot.v[i].state == S_LAZY)
				copy_out(s, d, i, VMS_KIND_UNPURGED);
	return d;
}

/* ---- validation ------------------------------------------------------------------ */

static int validate_window(const struct vms_sim *s, unsigned w, char *why, size_t len)
{
	const struct sim_window *x = &s->win[w];
	uint64_t cur = x->start;
	uint32_t h = vms_free_first(&x->free);
	uint32_t i = vms_busy_floor(&s->busy, x->start);

	i = i == NO_SLOT ? vms_busy_first(&s->busy) : i;
	for (;; i = vms_busy_next(&s->busy, i)) {
		uint64_t next = x->end;
		if (i != NO_SLOT && slot_start(s, i) < x->end) {
			if (slot_end(s, i) <= x->start)
				continue;
			next = slot_start(s, i) > x->start ? slot_start(s, i) : x->start;
		} else {
			i = NO_SLOT;
		}
		if (next > cur) {
			const struct vms_hole *hole =
			    h ? vms_free_hole(&x->free, h) : NULL;
			if (!hole || hole->va_start != cur || hole->va_end != next)
				return vms_rb_fail(
				    why, len,
				    "window %u: the space %#llx-%#llx is not one hole", w,
				    (unsigned long long)cur, (unsigned long long)next);
			h = vms_free_next(&x->free, h);
		}
		if (i == NO_SLOT)
			break;
		cur = slot_end(s, i) < x->end ? slot_end(s, i) : x->end;
	}
	if (h)
		return vms_rb_fail(
		    why, len, "window %u: a hole at %#llx lies under an area", w,
		    (unsigned long long)vms_free_hole(&x->free, h)->va_start);
	return 0;
}

int vms_sim_validate(const struct vms_sim *s, char *why, size_t len)
{
	sim_busy_sync_const(s);
	int rc = vms_busy_validate(&s->busy, why, len);
	if (rc)
		return rc;
	uint64_t prev_end = 0, live = 0, lazy = 0;
	bool any = false;
	for (uint32_t i = vms_busy_first(&s->busy); i != NO_SLOT;
	     i = vms_busy_next(&s->busy, i)) {
		const struct sim_slot *sl = &s->slot.v[i];
		if (sl->state != S_LIVE && sl->state != S_LAZY && sl->state != S_POOLED)
			return vms_rb_fail(why, len, "slot %u in the busy tree is %u", i,
			                   sl->state);
		if (sl->a.end <= sl->a.start || (any && sl->a.start < prev_end))
			return vms_rb_fail(why, len,
			                   "area %#llx-%#llx overlaps the one before",
			                   (unsigned long long)sl->a.start,
			                   (unsigned long long)sl->a.end);
		if (!sl->fixed &&
		    (sl->win == WIN_NONE || sl->a.start < s->win[sl->win].start ||
		     sl->a.end > s->win[sl->win].end))
			return vms_rb_fail(why, len,
			                   "area %#llx-%#llx is outside its window",
			                   (unsigned long long)sl->a.start,
			                   (unsigned long long)sl->a.end);
		live += sl->state == S_LIVE;
		lazy += sl->state == S_LAZY;
		prev_end = sl->a.end;
		any = true;
	}
	if (live != s->st.live || lazy != s->st.lazy || lazy != s->lazy.n)
		return vms_rb_fail(
		    why, len, "counts: %llu live, %llu lazy in the tree; %llu, %llu kept",
		    (unsigned long long)live, (unsigned long long)lazy,
		    (unsigned long long)s->st.live, (unsigned long long)s->st.lazy);
	for (unsigned w = 0; w < s->nr_win; w++) {
		rc = vms_free_validate(&s->win[w].free, why, len);
		if (rc)
			return rc;
		rc = validate_window(s, w, why, len);
		if (rc)
			return rc;
	}
	return 0;
}

void vms_sim_workload_scale(const struct vms_sim *s, struct vms_workload_config *wl)
{
	int patch;
	wl->addr_bits = s->profile->addr_bits;
	wl->page_size = s->page;
	wl->family = s->profile->family;
	vms_sim_kernel(s, &wl->kernel_major, &wl->kernel_minor, &patch);
	wl->cpus = wl->cpus ? wl->cpus : 4;
	for (size_t i = 0; i < s->regions.n; i++) {
		const struct vms_region *r = &s->regions.v[i];
		if (r->kind == VMS_RK_VMALLOC && !wl->vmalloc_bytes)
			wl->vmalloc_bytes = r->end - r->start;
		else if (r->kind == VMS_RK_MODULES && !wl->module_bytes)
			wl->module_bytes = r->end - r->start;
	}
}
