/*
 * sim_new.c — starting a simulator (sim.h vms_sim_new): the regions of the
 * arch profile for the device (RAM, vmalloc=) or of a real dump's model,
 * the windows (vmalloc space, module space when apart; x86_64's inclusive
 * VMALLOC_END), the era of the run, and the fixed placements: a dump's
 * trusted areas as the initial busy set (vms_sim_place_at). Costs: O(n log
 * n) from a dump of n areas.
 */
#include <stdlib.h>
#include <string.h>

#include "sim_int.h"
#include "vmscope/aspace.h"

/* ---- construction ------------------------------------------------------------ */

static void add_window(struct vms_sim *s, uint64_t start, uint64_t end, bool modules)
{
	struct sim_window *w = &s->win[s->nr_win++];
	w->start = start;
	w->end = end;
	w->modules = modules;
	vms_free_init(&w->free);
	if (end > start)
		vms_free_insert(&w->free, start, end);
}

/*
 * The end of the vmalloc window an area may reach: x86_64 defines
 * VMALLOC_END inclusive (...e8ffffffffff) and the allocator requires
 * va_end <= VMALLOC_END, so the last page of the region is never used
 * (and per-cpu chunks, aligned down from VMALLOC_END, end 2 MiB below the
 * region's end, as real dumps show).
 */
static uint64_t usable_end(const struct vms_sim *s, uint64_t start, uint64_t end)
{
	if (!strcmp(s->profile->family, "x86_64") && end - start > s->page)
		return end - s->page;
	return end;
}

/* A region of the run: its source kept (a dump's layout may be the boot
 * log's, the profile's or inferred; a new device's is the profile's), its
 * file and line dropped (the output is a new log). */
static void copy_region(struct vms_sim *s, const struct vms_region *r)
{
	struct vms_region c = *r;
	c.name = vms_arena_strdup(&s->arena, r->name);
	c.label = r->label ? vms_arena_strdup(&s->arena, r->label) : NULL;
	c.file = NULL;
	c.line = 0;
	vms_vec_push(&s->regions, c);
}

/* Windows from the regions: the vmalloc space, and module space when it
 * lies apart (x86_32 keeps modules in vmalloc space). */
static bool windows_from_regions(struct vms_sim *s)
{
	const struct vms_region *vm = NULL, *mod = NULL;
	for (size_t i = 0; i < s->regions.n; i++) {
		const struct vms_region *r = &s->regions.v[i];
		if (r->kind == VMS_RK_VMALLOC && !vm)
			vm = r;
		else if (r->kind == VMS_RK_MODULES && !mod)
			mod = r;
	}
	if (!vm || vm->end <= vm->start)
		return false;
	add_window(s, vm->start, usable_end(s, vm->start, vm->end), false);
	s->vmalloc_win = 0;
	s->modules_win = -1;
	if (mod && mod->end > mod->start &&
	    (mod->end <= vm->start || mod->start >= vm->end)) {
		add_window(s, mod->start, mod->end, true);
		s->modules_win = 1;
	}
	return true;
}

static void set_era(struct vms_sim *s, int major, int minor, int patch)
{
	s->major = major;
	s->minor = minor;
	s->patch = patch;
}

/* Windows from a dump's model: its vmalloc window (bounded by its areas
 * where the region's bounds are guesses) and its modules window; a model
 * without areas has none, and its regions give them. */
static bool dump_windows(struct vms_sim *s, const struct vms_aspace *m)
{
	const struct vms_window *vw = vms_aspace_vmalloc_window(m);
	if (!vw)
		return !m->geometry && windows_from_regions(s);
	add_window(s, vw->start, usable_end(s, vw->start, vw->end), false);
	s->vmalloc_win = 0;
	s->modules_win = -1;
	for (size_t i = 0; i < m->windows.n; i++) {
		const struct vms_window *x = &m->windows.v[i];
		if (x != vw && m->regions.v[x->region].kind == VMS_RK_MODULES &&
		    s->nr_win < 2) {
			add_window(s, x->start, x->end, true);
			s->modules_win = (int)s->nr_win - 1;
		}
	}
	return true;
}

static void pick_era(struct vms_sim *s, const struct vms_sim_config *c)
{
	const struct vms_profile *p = s->profile;
	if (c->kernel_major) {
		s->major = c->kernel_major;
		s->minor = c->kernel_minor;
		s->patch = c->kernel_patch;
	} else if (p->max_major) {
		s->major = p->max_major;
		s->minor = p->max_minor;
		s->patch = p->max_patch;
	} else if (p->min_major * 100 + p->min_minor > 606) {
		s->major = p->min_major;
		s->minor = p->min_minor;
	} else {
		/* an open-ended newest era: a long-term release inside it */
		s->major = 6;
		s->minor = 6;
	}
}

static unsigned fls_u(unsigned x)
{
	unsigned n = 0;
	while (x) {
		n++;
		x >>= 1;
	}
	return n;
}

/* VMAP_BLOCK_SIZE: VMAP_BBMAP_BITS pages, with NR_CPUS taken as the CPU
 * count rounded up to a power of two (docs/kernel.md §4.5). */
static uint64_t block_bytes(const struct vms_sim *s)
{
	uint64_t space = s->addr_bits == 64 ? 128ull << 30 : 128ull << 20;
	uint64_t cpus = 1;
	while (cpus < s->cfg.cpus)
		cpus <<= 1;
	uint64_t bits = space / s->page / cpus / 16;
	uint64_t lo = 2 * (uint64_t)s->addr_bits;
	bits = bits < lo ? lo : bits;
	bits = bits > 1024 ? 1024 : bits;
	return bits * s->page;
}

static void place_dump(struct vms_sim *s, const struct vms_aspace *m);

/* Whether a dump's areas with guard pages touch at least as often as
 * they leave one free page between them (check_across.c, extra-page). */
static bool touches(const struct vms_aspace *m)
{
	const struct vms_dump *d = m->dump;
	size_t pairs = 0, gaps = 0;
	for (size_t k = 1; k < m->nr_order; k++) {
		uint32_t i = m->order[k - 1], j = m->order[k];
		const struct vms_area *a = &d->areas.v[i], *b = &d->areas.v[j];
		if (m->guard[i] != VMS_GUARD_YES || m->guard[j] != VMS_GUARD_YES)
			continue;
		gaps += a->end < b->start && b->start - a->end == m->page_size;
		pairs += a->end == b->start;
	}
	return pairs && pairs >= gaps;
}

/*
 * The era of a run from a dump whose version --kernel does not give: the
 * dump's own when its log says it, else the newest its profile row and
 * its format both allow (a dump without 0x in phys= is 4.10 or older; a
 * 2008 x86_64 dump with vmalloc space at 0xffffc20000000000 has the
 * <= 2.6.30 row), never older than its format allows. The row's newest
 * era is s's on entry (pick_era); the model chose the row for the newest
 * era the format allows, so the two agree.
 */
static void dump_era(struct vms_sim *s, const struct vms_aspace *m)
{
	const struct vms_dump *d = m->dump;
	const struct vms_profile *p = s->profile;
	if (m->kernel_major) {
		set_era(s, m->kernel_major, m->kernel_minor,
		        d->log->kernel_major == m->kernel_major &&
		                d->log->kernel_minor == m->kernel_minor
		            ? d->log->kernel_patch
		            : 0);
		return;
	}
	int v = sim_era_code(s->major, s->minor, s->patch);
	if (d->era_hi && v > sim_era_code(d->era_hi / 100, d->era_hi % 100, 99))
		set_era(s, d->era_hi / 100, d->era_hi % 100,
		        d->era_hi == 206 ? 39 : 0); /* the newest 2.6 is 2.6.39 */
	if (d->era_lo && sim_era_code(s->major, s->minor, 99) <
	                     sim_era_code(d->era_lo / 100, d->era_lo % 100, 0))
		set_era(s, d->era_lo / 100, d->era_lo % 100, 0);
	/* 2.6.28-2.6.38 left a page after every area they stepped over: a
	 * dump whose areas touch as often as they leave that page is from
	 * before (the vmlist) or after (the cache), as check's extra-page
	 * rule says */
	v = sim_era_code(s->major, s->minor, s->patch);
	if (v >= sim_era_code(2, 6, 28) && v <= sim_era_code(2, 6, 38) && touches(m)) {
		int lo = sim_era_code(p->min_major, p->min_minor, p->min_patch);
		int hi = p->max_major ? sim_era_code(p->max_major, p->max_minor,
		                                     p->max_patch ? p->max_patch : 99)
		                      : INT32_MAX;
		if (sim_era_code(2, 6, 27) >= lo && (!d->era_lo || d->era_lo <= 206))
			set_era(s, 2, 6, 27);
		else if (sim_era_code(2, 6, 39) <= hi)
			set_era(s, 2, 6, 39);
	}
}

struct vms_sim *vms_sim_new(const struct vms_sim_config *c, char *why, size_t len)
{
	struct vms_sim *s = vms_xcalloc(1, sizeof(*s));
	struct vms_aspace *m = NULL;

	s->cfg = *c;
	if (!s->cfg.cpus)
		s->cfg.cpus = 4;
	vms_symtab_init(&s->syms, &s->arena);
	vms_busy_init(&s->busy, NULL, sizeof(uint64_t));
	s->busy_in_sync = true; /* empty */
	s->cache = NO_SLOT;
	s->profile = c->profile;
	if (c->start_from) {
		m = vms_aspace_build(c->start_from, c->profile ? c->profile->name : NULL);
		/* a boot log without areas is a device with nothing allocated
		 * yet; hashed or zeroed addresses can place nothing */
		if (!m->geometry && c->start_from->areas.n && !c->layout_only) {
			snprintf(why, len, "cannot start from %s: %s",
			         c->start_from->source, m->no_geometry);
			goto fail;
		}
		if (m->profile)
			s->profile = m->profile;
	}
	if (!s->profile) {
		snprintf(why, len, "%s",
		         c->start_from ? "the dump's arch is unknown: give --arch"
		                       : "no arch profile");
		goto fail;
	}
	pick_era(s, c);
	if (m && !c->kernel_major)
		dump_era(s, m);
	s->page = m ? m->page_size : s->profile->page_size;
	s->addr_bits = s->profile->addr_bits;
	s->policy = c->policy >= 0              ? (unsigned)c->policy
	            : sim_era_at_least(s, 5, 2) ? VMS_POLICY_MODERN
	                                        : VMS_POLICY_LEGACY;
	/* pools live in the vmap nodes of the modern allocator, and a kernel
	 * has several nodes only on 64-bit with more than one CPU */
	s->cfg.pools = c->pools && s->policy == VMS_POLICY_MODERN &&
	               s->profile->addr_bits == 64 && s->cfg.cpus > 1;
	s->lazy_max_pages = fls_u(s->cfg.cpus) * ((32ull << 20) / s->page);
	s->block_bytes = block_bytes(s);
	s->next_phys = s->addr_bits == 64 ? 0xfe000000ull : 0x10000000ull;

	if (m) {
		for (size_t i = 0; i < m->regions.n; i++)
			copy_region(s, &m->regions.v[i]);
		if (!dump_windows(s, m)) {
			snprintf(why, len, "%s has no vmalloc window",
			         c->start_from->source);
			goto fail;
		}
		if (!c->layout_only && m->geometry)
			place_dump(s, m);
		vms_aspace_free(m);
		return s;
	}

	struct vms_machine mach = {.kernel_major = s->major,
	                           .kernel_minor = s->minor,
	                           .ram_bytes = c->ram_bytes,
	                           .has_vmalloc = c->has_vmalloc,
	                           .vmalloc = c->vmalloc};
	struct vms_vmalloc_calc calc;
	if (!mach.has_vmalloc && s->profile->vmalloc_param &&
	    vms_vmalloc_compute(s->profile, vms_vmalloc_semantics_of(s->major, s->minor),
	                        false, 0, c->ram_bytes, &calc) == 0)
		mach.lowmem_end = calc.lowmem_end; /* the kernel's default reserve */
	struct vms_region buf[32];
	size_t n = vms_profile_regions(s->profile, &mach, buf, 32);
	for (size_t i = 0; i < n && i < 32; i++)
		copy_region(s, &buf[i]);
	if (!windows_from_regions(s)) {
		snprintf(why, len, "profile %s has no vmalloc region", s->profile->name);
		goto fail;
	}
	return s;
fail:
	vms_aspace_free(m);
	vms_sim_free(s);
	return NULL;
}

void vms_sim_free(struct vms_sim *s)
{
	if (!s)
		return;
	for (unsigned w = 0; w < s->nr_win; w++)
		vms_free_release(&s->win[w].free);
	vms_busy_free(&s->busy);
	free(s->slot.v);
	free(s->key.v);
	sim_ids_free(&s->ids);
	free(s->lazy.v);
	free(s->blocks.v);
	for (size_t i = 0; i < 256; i++)
		free(s->pool[i].v);
	free(s->failures.v);
	free(s->regions.v);
	vms_symtab_free(&s->syms);
	vms_arena_free(&s->arena);
	free(s);
}

/* ---- fixed placements ------------------------------------------------------ */

/* The window [start, end) lies in, WIN_NONE when outside all; *part is set
 * when it reaches over a window's edge. */
static uint8_t window_of(const struct vms_sim *s, uint64_t start, uint64_t end,
                         bool *part)
{
	*part = false;
	for (unsigned w = 0; w < s->nr_win; w++) {
		const struct sim_window *x = &s->win[w];
		if (start >= x->start && end <= x->end)
			return (uint8_t)w;
		if (start < x->end && end > x->start)
			*part = true;
	}
	return WIN_NONE;
}

static bool overlaps_busy(const struct vms_sim *s, uint64_t start, uint64_t end)
{
	uint32_t i = vms_busy_floor(&s->busy, start);
	if (i != NO_SLOT && slot_end(s, i) > start)
		return true;
	i = i == NO_SLOT ? vms_busy_first(&s->busy) : vms_busy_next(&s->busy, i);
	return i != NO_SLOT && slot_start(s, i) < end;
}

/* Takes whatever part of [start, end) lies in each window out of its
 * free space (the part is free: nothing busy overlaps it). */
static void take_range(struct vms_sim *s, uint64_t start, uint64_t end)
{
	for (unsigned w = 0; w < s->nr_win; w++) {
		uint64_t lo = start > s->win[w].start ? start : s->win[w].start;
		uint64_t hi = end < s->win[w].end ? end : s->win[w].end;
		if (lo < hi)
			sim_take(s, w, lo, hi - lo);
	}
}

int vms_sim_place_at(struct vms_sim *s, const struct vms_area *a, const char *caller,
                     const char *module, unsigned kind, uint64_t id)
{
	sim_busy_sync(s);
	if (a->end <= a->start || overlaps_busy(s, a->start, a->end) ||
	    (id && sim_ids_get(&s->ids, id)))
		return -VMS_EINVAL;
	bool part;
	uint8_t w = window_of(s, a->start, a->end, &part);
	take_range(s, a->start, a->end);
	uint32_t i = sim_slot_new(s);
	struct sim_slot *sl = &s->slot.v[i];
	sl->a = *a;
	sl->a.caller = caller ? vms_symtab_intern(&s->syms, caller, strlen(caller)) : 0;
	sl->a.module = module ? vms_symtab_intern(&s->syms, module, strlen(module)) : 0;
	sl->a.geom = VMS_GEOM_TRUSTED;
	sl->a.range_only = 0;
	sl->id = id;
	sl->skind = (uint8_t)(kind < VMS_NR_SIM_KINDS ? kind : VMS_SK_VMALLOC);
	sl->win = w;
	sl->fixed = true;
	sl->block = a->kind == VMS_KIND_VM_MAP_RAM;
	sl->state = S_LIVE;
	s->key.v[i] = a->start; /* the tree is in sync (busy_sync above) */
	vms_busy_insert(&s->busy, i);
	if (id)
		sim_ids_put(&s->ids, id, i);
	if (a->kind == VMS_KIND_UNPURGED)
		sim_lazy_add(s, i);
	else {
		s->st.live++;
		s->st.live_bytes += a->end - a->start;
	}
	return 0;
}

static unsigned sim_kind_of(uint8_t akind)
{
	switch (akind) {
	case VMS_AK_IOREMAP:
		return VMS_SK_IOREMAP;
	case VMS_AK_VMAP:
		return VMS_SK_VMAP;
	case VMS_AK_VM_MAP_RAM:
		return VMS_SK_VM_MAP_RAM;
	case VMS_AK_PERCPU:
		return VMS_SK_PERCPU;
	case VMS_AK_MODULE:
		return VMS_SK_MODULE;
	default:
		return VMS_SK_VMALLOC;
	}
}

/* The trusted areas of a dump's model become the initial busy set, in
 * address order; an area that overlaps one already placed (a broken dump)
 * is left out. */
static void place_dump(struct vms_sim *s, const struct vms_aspace *m)
{
	const struct vms_dump *d = m->dump;
	for (size_t k = 0; k < m->nr_order; k++) {
		uint32_t i = m->order[k];
		const struct vms_area *a = &d->areas.v[i];
		if (vms_sim_place_at(s, a, vms_area_caller(d, a), vms_area_module(d, a),
		                     sim_kind_of(m->kind[i]), 0) != 0)
			s->st.skipped++;
	}
}
