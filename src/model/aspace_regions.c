/*
 * aspace_regions.c — where the model's regions come from, best source
 * first, and the one line that says so (m->layout_why):
 *
 *   log       the boot log's "Virtual kernel memory layout" block (or the
 *             --layout FILE's): the kernel's own numbers;
 *   profile   the arch profile of the dump's arch and era (profile.h), with
 *             what the log tells of the machine (RAM from "Memory:",
 *             vmalloc= from the command line); on x86_64 4.8+ KASLR moves
 *             vmalloc_base, so areas outside the default base move the
 *             vmalloc region to the 1 GiB boundary below them (inferred);
 *   inferred  one vmalloc region spanning the areas, when the arch is
 *             unknown.
 *
 * Cost: O(regions log regions + areas).
 */
#include <stdlib.h>
#include <string.h>

#include "aspace_int.h"

static int cmp_region(const void *x, const void *y)
{
	const struct vms_region *a = x, *b = y;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return (a->end > b->end) - (a->end < b->end);
}

static void sort_regions(struct vms_aspace *m)
{
	if (m->regions.n > 1)
		qsort(m->regions.v, m->regions.n, sizeof(*m->regions.v), cmp_region);
}

/* The era row of profile name for the dump's kernel (its patch level
 * tells the 2.6.x eras apart), else the newest row of that name. */
static const struct vms_profile *profile_named(const struct vms_dump *d, const char *name,
                                               int major, int minor)
{
	int patch = d->log->kernel_major == major && d->log->kernel_minor == minor
	                ? d->log->kernel_patch
	                : 0;
	const struct vms_profile *p =
	    major ? vms_profile_era(name, major, minor, patch) : NULL;
	return p ? p : vms_profile_by_name(name);
}

/* How many of (at most 4096, evenly sampled) trusted areas lie inside an
 * allocation region of profile p. */
static size_t fit_score(const struct vms_dump *d, const struct vms_profile *p)
{
	struct vms_region r[32];
	struct vms_machine mc = {0};
	size_t nr = vms_profile_regions(p, &mc, r, 32), score = 0;
	nr = nr < 32 ? nr : 32;
	size_t step = d->areas.n > 4096 ? d->areas.n / 4096 : 1;
	for (size_t i = 0; i < d->areas.n; i += step) {
		const struct vms_area *a = &d->areas.v[i];
		if (a->geom != VMS_GEOM_TRUSTED)
			continue;
		for (size_t k = 0; k < nr; k++)
			if (vms_region_allocatable(r[k].kind) && a->start >= r[k].start &&
			    a->end <= r[k].end) {
				score++;
				break;
			}
	}
	return score;
}

/* The variant of the family with the dump's page size (a 64K arm64 dump is
 * not the 4K default) whose regions hold the most areas, same era; p
 * itself when none or it matches. */
static const struct vms_profile *
page_variant(const struct vms_dump *d, const struct vms_profile *p, int major, int minor)
{
	if (!p || !d->page_size_inferred || p->page_size == d->page_size)
		return p;
	const struct vms_profile *best = NULL;
	size_t best_score = 0;
	for (size_t i = 0; i < vms_nr_profiles; i++) {
		const struct vms_profile *q = &vms_profiles[i];
		if (strcmp(q->family, p->family) != 0 || q->page_size != d->page_size)
			continue;
		const struct vms_profile *e = profile_named(d, q->name, major, minor);
		if (!e || e->page_size != d->page_size || e == best)
			continue;
		size_t sc = fit_score(d, e);
		if (!best || sc > best_score) {
			best = e;
			best_score = sc;
		}
	}
	return best ? best : p;
}

/* True when row q's era holds kernel major.minor (any patch level). */
static bool era_holds(const struct vms_profile *q, int major, int minor)
{
	int v = major * 1000 + minor;
	int lo = q->min_major * 1000 + q->min_minor;
	int hi = q->max_major ? q->max_major * 1000 + q->max_minor : 1 << 30;
	return v >= lo && v <= hi;
}

/*
 * The era row of p's name whose allocation regions hold the most areas (p
 * on a tie), among the rows the known version allows: all of them when the
 * version is unknown, the 2.6.x rows when the patch level is (a 2008 x86_64
 * dump has its areas at 0xffffc20000000000, where only the <= 2.6.30 row
 * puts vmalloc space).
 */
static const struct vms_profile *best_era(const struct vms_dump *d,
                                          const struct vms_profile *p, bool patch_known)
{
	if (!p || d->visibility != VMS_VIS_REAL || !d->areas.n ||
	    (d->kernel_major && patch_known))
		return p;
	size_t best = fit_score(d, p);
	const struct vms_profile *choice = p;
	for (size_t i = 0; i < vms_nr_profiles; i++) {
		const struct vms_profile *q = &vms_profiles[i];
		if (q == p || strcmp(q->name, p->name) != 0)
			continue;
		if (d->kernel_major && !era_holds(q, d->kernel_major, d->kernel_minor))
			continue;
		size_t sc = fit_score(d, q);
		if (sc > best) {
			best = sc;
			choice = q;
		}
	}
	return choice;
}

static void choose_profile(struct vms_aspace *m, const char *arch)
{
	const struct vms_dump *d = m->dump;
	/* unknown version: the newest era the markers allow */
	int major = d->kernel_major, minor = d->kernel_minor;
	if (!major && d->era_hi) {
		major = d->era_hi / 100;
		minor = d->era_hi % 100;
	}
	bool patch_known = d->log->kernel_major == major &&
	                   d->log->kernel_minor == minor && d->log->kernel_patch > 0;
	if (arch) {
		m->profile = profile_named(d, arch, major, minor);
	} else if (d->arch) {
		m->profile = vms_profile_for(d->arch, major, minor, d->addr_bits);
		if (m->profile && patch_known)
			m->profile = profile_named(d, m->profile->name, major, minor);
		m->profile = page_variant(d, m->profile, major, minor);
	}
	m->profile = best_era(d, m->profile, patch_known || major != 2);
	m->arch = m->profile ? m->profile->family : d->arch;
	m->arch_source = arch ? "--arch" : d->arch_source;
}

/*
 * Some eras print no module line although their modules have a space of
 * their own (riscv64 5.13-6.0, ppc32 book3s before 5.14): the profile's
 * module region joins the log's regions when the log has none, it
 * overlaps none of them, and areas of the dump lie in it and in no log
 * region (the areas confirm the profile's variant: an e500 log has no
 * such areas, its modules live in vmalloc space). True when it was
 * added.
 */
static bool complete_modules(struct vms_aspace *m)
{
	const struct vms_profile_region *pm =
	    m->profile ? vms_profile_find(m->profile, VMS_RK_MODULES) : NULL;
	if (!pm)
		return false;
	for (size_t i = 0; i < m->regions.n; i++) {
		const struct vms_region *r = &m->regions.v[i];
		if (r->kind == VMS_RK_MODULES ||
		    (r->start < pm->end && pm->start < r->end))
			return false;
	}
	const struct vms_dump *d = m->dump;
	bool confirmed = false;
	for (size_t i = 0; i < d->areas.n && !confirmed; i++) {
		const struct vms_area *a = &d->areas.v[i];
		confirmed = a->geom == VMS_GEOM_TRUSTED && a->start >= pm->start &&
		            a->end <= pm->end;
	}
	if (!confirmed)
		return false;
	struct vms_region r = {.name = pm->name,
	                       .kind = VMS_RK_MODULES,
	                       .source = VMS_RS_PROFILE,
	                       .start = pm->start,
	                       .end = pm->end};
	vms_vec_push(&m->regions, r);
	return true;
}

static bool from_log(struct vms_aspace *m)
{
	const struct vms_bootlog *log = m->dump->log;
	size_t n = 0;
	for (size_t i = 0; i < log->regions.n; i++)
		n += log->regions.v[i].kind != VMS_RK_KERNEL;
	if (!n)
		return false;
	for (size_t i = 0; i < log->regions.n; i++)
		vms_vec_push(&m->regions, log->regions.v[i]);
	const struct vms_region *r0 = &log->regions.v[0];
	const char *file = r0->file;
	m->layout_source = VMS_RS_LOG;
	m->layout_why = vms_arena_printf(
	    &m->arena, "the boot log's layout block (%s%sline %u)", file ? file : "",
	    file ? " " : "", log->layout_line ? log->layout_line : r0->line);
	if (complete_modules(m))
		m->layout_why =
		    vms_arena_printf(&m->arena, "%s; module space from profile %s",
		                     m->layout_why, m->profile->name);
	return true;
}

/* The end of the linear map when the dump lists it (vendor arm32 kernels
 * print map_lowmem's sections, flag word "lowmem"): high_memory. 0 when
 * it does not. */
static uint64_t linear_map_end(const struct vms_dump *d)
{
	uint32_t id = vms_symtab_find(&d->syms, "map_lowmem", 10);
	uint64_t end = 0;
	for (size_t i = 0; id && i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		if (a->caller == id && a->geom == VMS_GEOM_TRUSTED && a->end > end)
			end = a->end;
	}
	return end;
}

/* What the log says of the machine, for the profile's computations. */
static struct vms_machine machine_of(const struct vms_dump *d)
{
	const struct vms_bootlog *log = d->log;
	struct vms_machine mc = {.kernel_major = d->kernel_major,
	                         .kernel_minor = d->kernel_minor};
	if (log->memory_total_kb && log->memory_total_kb < (UINT64_MAX >> 10))
		mc.ram_bytes = log->memory_total_kb << 10;
	if (log->has_cmdline && log->cmdline.has_vmalloc) {
		mc.has_vmalloc = true;
		mc.vmalloc = log->cmdline.vmalloc;
	}
	if (log->has_cmdline && log->cmdline.has_mem && log->cmdline.nr_mem == 1 &&
	    (!mc.ram_bytes || log->cmdline.mem < mc.ram_bytes))
		mc.ram_bytes = log->cmdline.mem;
	mc.lowmem_end = linear_map_end(d);
	return mc;
}

static bool inside_any(const struct vms_aspace *m, uint64_t a)
{
	for (size_t i = 0; i < m->regions.n; i++)
		if (vms_region_allocatable(m->regions.v[i].kind) &&
		    a >= m->regions.v[i].start && a < m->regions.v[i].end)
			return true;
	return false;
}

/* KASLR randomizes the linear map and vmemmap too: drop their default
 * places where they would overlap the moved vmalloc region. */
static void drop_randomized(struct vms_aspace *m, uint64_t start, uint64_t end)
{
	size_t k = 0;
	for (size_t i = 0; i < m->regions.n; i++) {
		const struct vms_region *r = &m->regions.v[i];
		bool moved = r->kind == VMS_RK_LOWMEM || r->kind == VMS_RK_VMEMMAP;
		if (moved && r->start < end && start < r->end)
			continue;
		m->regions.v[k++] = *r;
	}
	m->regions.n = k;
}

/* x86_64 KASLR: vmalloc_base moved; put the region at the 1 GiB boundary
 * below the lowest area that no region holds. */
static bool follow_kaslr(struct vms_aspace *m, struct vms_region *vm)
{
	const struct vms_dump *d = m->dump;
	uint64_t low = UINT64_MAX;
	size_t outside = 0;
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		/* vmalloc_base is randomized inside the kernel half only */
		if (a->geom != VMS_GEOM_TRUSTED || inside_any(m, a->start) ||
		    a->start < 0xffff800000000000ull)
			continue;
		outside++;
		low = a->start < low ? a->start : low;
	}
	if (!outside)
		return false;
	uint64_t size = vm->end - vm->start;
	uint64_t base = low & ~((1ull << 30) - 1);
	if (base + size < base)
		return false;
	vm->start = base;
	vm->end = base + size;
	vm->source = VMS_RS_INFERRED;
	m->layout_source = VMS_RS_INFERRED;
	m->layout_why = vms_arena_printf(
	    &m->arena,
	    "profile %s; KASLR moved vmalloc_base: the vmalloc region is put at the "
	    "1 GiB boundary below the lowest of %zu areas outside the default layout",
	    m->profile->name, outside);
	return true;
}

static bool from_profile(struct vms_aspace *m)
{
	const struct vms_profile *p = m->profile;
	if (!p)
		return false;
	struct vms_machine mc = machine_of(m->dump);
	size_t n = vms_profile_regions(p, &mc, NULL, 0);
	vms_vec_reserve(&m->regions, n);
	m->regions.n = vms_profile_regions(p, &mc, m->regions.v, n);
	m->layout_source = VMS_RS_PROFILE;
	m->layout_why = vms_arena_printf(&m->arena, "arch profile %s (%s)%s%s", p->name,
	                                 p->summary, mc.has_vmalloc ? ", vmalloc= " : "",
	                                 mc.has_vmalloc ? "from the command line" : "");
	sort_regions(m);
	if (p->vstart_rule == VMS_VSTART_RANDOMIZED &&
	    m->dump->visibility == VMS_VIS_REAL)
		for (size_t i = 0; i < m->regions.n; i++)
			if (m->regions.v[i].kind == VMS_RK_VMALLOC) {
				struct vms_region vm = m->regions.v[i];
				m->regions.v[i].kind = VMS_RK_OTHER; /* not "inside" */
				bool moved = follow_kaslr(m, &vm);
				m->regions.v[i] = vm;
				if (moved)
					drop_randomized(m, vm.start, vm.end);
				break;
			}
	sort_regions(m);
	return true;
}

/* One vmalloc region spanning the trusted areas. */
static void from_areas(struct vms_aspace *m)
{
	const struct vms_dump *d = m->dump;
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		if (a->geom != VMS_GEOM_TRUSTED || a->end <= a->start)
			continue;
		lo = a->start < lo ? a->start : lo;
		hi = a->end > hi ? a->end : hi;
	}
	m->layout_source = VMS_RS_INFERRED;
	if (lo >= hi || d->visibility != VMS_VIS_REAL) {
		m->layout_why = "no boot log layout, no arch profile, and no areas with "
		                "real addresses: no regions";
		return;
	}
	struct vms_region r = {.name = "vmalloc",
	                       .kind = VMS_RK_VMALLOC,
	                       .source = VMS_RS_INFERRED,
	                       .start = lo,
	                       .end = hi};
	vms_vec_push(&m->regions, r);
	m->layout_why = "the span of the areas (no layout in the input and the arch "
	                "is unknown: --arch names a profile)";
}

void vms_aspace_regions(struct vms_aspace *m, const char *arch)
{
	choose_profile(m, arch);
	if (from_log(m))
		sort_regions(m);
	else if (!from_profile(m))
		from_areas(m);
}
