/*
 * check_layout.c — the rules on the boot layout and vmalloc= (VMALLOC_START
 * from the end of lowmem, the size vmalloc= gives in both arm32 semantics,
 * the vmalloc= clamp, printed sizes against ranges, overlapping regions),
 * and the two threshold rules on the whole space (largest free hole,
 * usage). These read the regions the boot log printed, so they run on a
 * hashed dump too. O(regions^2) for overlaps, O(regions) otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "check_int.h"

#define MIB (1024ull * 1024)

static const struct vms_region *log_region(const struct chk *c, uint8_t kind, bool last)
{
	const struct vms_bootlog *log = c->d->log;
	const struct vms_region *found = NULL;
	for (size_t i = 0; i < log->regions.n; i++)
		if (log->regions.v[i].kind == kind && (!found || last))
			found = &log->regions.v[i];
	return found;
}

static const char *family(const struct chk *c)
{
	switch (c->d->log->layout_style) {
	case VMS_LAYOUT_ARM32:
		return "arm32";
	case VMS_LAYOUT_X86_32:
		return "x86_32";
	case VMS_LAYOUT_PPC32:
		return "ppc32";
	default:
		return c->m->arch ? c->m->arch : "";
	}
}

/* The profile row of the layout's family and era; for arm32 the variant
 * whose PAGE_OFFSET is where the printed lowmem starts (2G/2G, 1G/3G). */
static const struct vms_profile *layout_profile(const struct chk *c)
{
	const char *fam = family(c);
	int major = c->m->kernel_major, minor = c->m->kernel_minor;
	int patch = c->d->log->kernel_major == major && c->d->log->kernel_minor == minor
	                ? c->d->log->kernel_patch
	                : -1;
	const struct vms_profile *p = c->m->profile;
	if (p && strcmp(p->family, fam) == 0 && c->m->layout_source != VMS_RS_LOG)
		return p;
	const struct vms_region *lm = log_region(c, VMS_RK_LOWMEM, false);
	for (size_t i = 0; lm && i < vms_nr_profiles; i++) {
		const struct vms_profile *q = &vms_profiles[i];
		if (strcmp(q->family, fam) != 0 || q->page_offset != lm->start)
			continue;
		const struct vms_profile *e =
		    vms_profile_era(q->name, major, minor, patch);
		if (e && e->page_offset == lm->start)
			return e;
	}
	return p && strcmp(p->family, fam) == 0 ? p
	                                        : vms_profile_for(fam, major, minor, 32);
}

static const char *vstart_how(enum vms_vstart_rule rule)
{
	switch (rule) {
	case VMS_VSTART_ROUND_8M:
		return "(lowmem end + 8 MiB) rounded down to 8 MiB";
	case VMS_VSTART_PLUS_8M:
		return "lowmem end + 8 MiB";
	case VMS_VSTART_ROUND_16M:
		return "(lowmem end + 16 MiB) rounded down to 16 MiB";
	case VMS_VSTART_ROUNDUP_8M:
		return "(lowmem end + 16 MiB - 1) rounded down to 8 MiB";
	default:
		return NULL;
	}
}

static void check_vstart(struct chk *c)
{
	const struct vms_region *lm = log_region(c, VMS_RK_LOWMEM, false);
	const struct vms_region *vm = log_region(c, VMS_RK_VMALLOC, false);
	const struct vms_profile *p = layout_profile(c);
	if (!lm || !vm || lm->end > vm->start || !p)
		return;
	const char *how = vstart_how((enum vms_vstart_rule)p->vstart_rule);
	if (!how)
		return;
	uint64_t want = vms_vstart_of((enum vms_vstart_rule)p->vstart_rule, lm->end);
	if (want == vm->start)
		return;
	chk_add(c, R_VMALLOC_START, -1, vm->line, vm->file,
	        "vmalloc starts at 0x%llx, but lowmem ends at 0x%llx and %s is 0x%llx",
	        (unsigned long long)vm->start, (unsigned long long)lm->end, how,
	        (unsigned long long)want);
}

static const struct vms_profile *arm32_profile(const struct chk *c)
{
	if (strcmp(family(c), "arm32") != 0)
		return NULL;
	const struct vms_profile *p = layout_profile(c);
	return p && p->vmalloc_param ? p : NULL;
}

static void check_clamp(struct chk *c, const struct vms_profile *p)
{
	const struct vms_cmdline *cl = &c->d->log->cmdline;
	struct vms_vmalloc_calc k, other;
	enum vms_vmalloc_semantics sem =
	    vms_vmalloc_semantics_of(c->m->kernel_major, c->m->kernel_minor);
	if (vms_vmalloc_compute(p, sem, true, cl->vmalloc, 0, &k) < 0 || !k.clamped)
		return;
	/* unknown version: only what both semantics clamp (their maxima differ
	 * by VMALLOC_OFFSET) */
	if (!c->m->kernel_major &&
	    (vms_vmalloc_compute(p, !sem, true, cl->vmalloc, 0, &other) < 0 ||
	     !other.clamped))
		return;
	chk_add(c, R_VMALLOC_CLAMP, -1, cl->line, cl->file,
	        "vmalloc=%s is %s the %s of %llu MiB; the kernel uses %llu MiB",
	        cl->vmalloc_text ? cl->vmalloc_text : "?",
	        k.clamped < 0 ? "below" : "above", k.clamped < 0 ? "minimum" : "maximum",
	        (unsigned long long)(k.clamp_limit / MIB),
	        (unsigned long long)(k.effective / MIB));
}

/* The vmalloc start vmalloc= gives under semantics sem on RAM of ram
 * bytes; 0 when it cannot be computed. */
static uint64_t start_for(const struct vms_profile *p, enum vms_vmalloc_semantics sem,
                          uint64_t r, uint64_t ram)
{
	struct vms_vmalloc_calc k;
	if (vms_vmalloc_compute(p, sem, true, r, ram, &k) < 0)
		return 0;
	return k.vmalloc_start;
}

/* Compares the printed vmalloc start with what vmalloc= gives. Without the
 * RAM size, a lowmem that ends below the limit may be the end of RAM: then
 * nothing can be said. */
static void check_vsize(struct chk *c, const struct vms_profile *p)
{
	const struct vms_bootlog *log = c->d->log;
	const struct vms_cmdline *cl = &log->cmdline;
	const struct vms_region *vm = log_region(c, VMS_RK_VMALLOC, false);
	const struct vms_region *lm = log_region(c, VMS_RK_LOWMEM, false);
	uint64_t ram =
	    log->memory_total_kb < (UINT64_MAX >> 10) ? log->memory_total_kb << 10 : 0;
	const struct vms_profile_region *pv = vms_profile_find(p, VMS_RK_VMALLOC);
	/* older arm32 machines set VMALLOC_END per board (mach/vmalloc.h):
	 * the profile's computation does not apply to another end */
	if (!vm || !pv || pv->end != vm->end)
		return;
	uint64_t old = start_for(p, VMS_VMALLOC_OLD, cl->vmalloc, ram);
	uint64_t neu = start_for(p, VMS_VMALLOC_NEW, cl->vmalloc, ram);
	bool known = c->m->kernel_major != 0;
	enum vms_vmalloc_semantics sem =
	    vms_vmalloc_semantics_of(c->m->kernel_major, c->m->kernel_minor);
	uint64_t want = sem == VMS_VMALLOC_OLD ? old : neu;
	if (!want || vm->start == want || (!known && vm->start == (old ^ neu ^ want)))
		return;
	/* lowmem ending below the limit with VMALLOC_START following from it:
	 * RAM (or its bank below a hole) ended there, as adjust_lowmem_bounds()
	 * allows, unless the other semantics explains the start exactly */
	uint64_t other = sem == VMS_VMALLOC_OLD ? neu : old;
	if (lm && lm->end + 8 * MIB <= want && vm->start != other &&
	    vm->start == vms_vstart_of(VMS_VSTART_ROUND_8M, lm->end))
		return;
	uint64_t end = vm->end;
	char kv[40] = "kernel unknown";
	if (known)
		snprintf(kv, sizeof(kv), "kernel %d.%d computes the %s",
		         c->m->kernel_major, c->m->kernel_minor,
		         sem == VMS_VMALLOC_OLD ? "first" : "second");
	chk_add(
	    c, R_VMALLOC_SIZE, -1, vm->line, vm->file,
	    "vmalloc is %llu MiB (0x%llx-0x%llx), but vmalloc=%s gives %llu MiB up to "
	    "5.13 and %llu MiB from 5.14 (%s; VMALLOC_START is rounded to 8 MiB)",
	    (unsigned long long)((end - vm->start) / MIB), (unsigned long long)vm->start,
	    (unsigned long long)end, cl->vmalloc_text ? cl->vmalloc_text : "?",
	    (unsigned long long)(old && old < end ? (end - old) / MIB : 0),
	    (unsigned long long)(neu && neu < end ? (end - neu) / MIB : 0), kv);
}

/* The parser judged each printed size against its range (floor or
 * ceiling in the printed unit, of the range as printed); the rule reports
 * the regions it found wrong. */
static void check_sizes(struct chk *c)
{
	const struct vms_bootlog *log = c->d->log;
	for (size_t i = 0; i < log->regions.n; i++) {
		const struct vms_region *r = &log->regions.v[i];
		if (!r->size_mismatch)
			continue;
		unsigned sh = vms_size_unit_shift(r->printed_unit);
		chk_add(c, R_LAYOUT_SIZE, -1, r->line, r->file,
		        "%s 0x%llx-0x%llx spans %llu %s, but the log prints %llu %s",
		        r->name, (unsigned long long)r->start, (unsigned long long)r->end,
		        (unsigned long long)((r->end - r->start) >> sh), r->printed_unit,
		        (unsigned long long)r->printed, r->printed_unit);
	}
}

/* Regions that legitimately lie inside another. */
static bool nested_ok(const struct vms_region *a, const struct vms_region *b)
{
	static const uint8_t inner[] = {VMS_RK_PCI_IO, VMS_RK_KERNEL,
	                                VMS_RK_EARLY_IOREMAP, VMS_RK_TCM};
	for (size_t k = 0; k < sizeof(inner); k++)
		if (a->kind == inner[k] || b->kind == inner[k])
			return true;
	return a->kind == b->kind;
}

static void check_overlaps(struct chk *c)
{
	const struct vms_bootlog *log = c->d->log;
	for (size_t i = 0; i < log->regions.n; i++)
		for (size_t j = i + 1; j < log->regions.n; j++) {
			const struct vms_region *a = &log->regions.v[i],
			                        *b = &log->regions.v[j];
			if (a->start >= b->end || b->start >= a->end || nested_ok(a, b))
				continue;
			chk_add(c, R_REGION_OVERLAP, -1, b->line, b->file,
			        "%s 0x%llx-0x%llx overlaps %s 0x%llx-0x%llx", b->name,
			        (unsigned long long)b->start, (unsigned long long)b->end,
			        a->name, (unsigned long long)a->start,
			        (unsigned long long)a->end);
		}
}

void vms_check_layout(struct chk *c)
{
	const struct vms_bootlog *log = c->d->log;
	if (c->on[R_VMALLOC_START])
		check_vstart(c);
	const struct vms_profile *p = arm32_profile(c);
	if (p && log->has_cmdline && log->cmdline.has_vmalloc) {
		if (c->on[R_VMALLOC_CLAMP])
			check_clamp(c, p);
		if (c->on[R_VMALLOC_SIZE])
			check_vsize(c, p);
	}
	if (c->on[R_LAYOUT_SIZE])
		check_sizes(c);
	if (c->on[R_REGION_OVERLAP])
		check_overlaps(c);
}

void vms_check_space(struct chk *c)
{
	const struct vms_aspace *m = c->m;
	const struct vms_window *w = vms_aspace_vmalloc_window(m);
	if (!w)
		return;
	const struct vms_region *r = &m->regions.v[w->region];
	uint64_t largest = vms_free_largest(&w->free);
	if (c->on[R_LARGEST_HOLE] && largest < c->o->min_largest_hole)
		chk_add(
		    c, R_LARGEST_HOLE, -1, r->line, r->file,
		    "the largest free hole of %s is %llu bytes, below the threshold %llu",
		    r->name, (unsigned long long)largest,
		    (unsigned long long)c->o->min_largest_hole);
	uint64_t size = w->end - w->start;
	if (c->on[R_USAGE] && size &&
	    (long double)w->used * 100 > (long double)size * c->o->max_usage_pct)
		chk_add(
		    c, R_USAGE, -1, r->line, r->file,
		    "%s is %.1f%% used (%llu of %llu bytes), above the threshold %u%%",
		    r->name, (double)((long double)w->used * 100 / size),
		    (unsigned long long)w->used, (unsigned long long)size,
		    c->o->max_usage_pct);
}
