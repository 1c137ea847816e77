/*
 * sim.c — the simulated vmap allocator's state and operations (sim.h):
 * slots for areas, the busy tree over them, one free tree per window, ids,
 * lazy freeing and purge, vm_map_ram blocks, the 6.9+ pools, the kernel's
 * failure line, the snapshot as a dump, and validation from scratch.
 *
 * Where an area goes is sim_place.c's; this file decides what an area is
 * (its size with or without a guard page, its alignment, its window, how
 * its line prints) and keeps the books.
 *
 * Ownership: the simulator owns its slots, trees, names (symbol table in
 * its arena) and failure lines. Slots are reused through a free chain, so
 * a long run with a bounded live set stays bounded in memory.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rbtree.h"
#include "sim_int.h"
#include "vmscope/aspace.h"

static const char *const policy_names[] = {"modern", "legacy"};

const char *vms_sim_policy_name(unsigned p)
{
	return p < 2 ? policy_names[p] : "?";
}

/* ---- ids ------------------------------------------------------------------ */

/* A deleted entry keeps its key (any id, UINT64_MAX included: a script may
 * use every id from 1 up) and takes the value TOMB, which no slot has. */
#define TOMB NO_SLOT

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static void idmap_grow(struct sim_idmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	if (m->n * 4 < m->cap)
		cap = m->cap; /* mostly tombstones: rehash in place */
	uint64_t *key = vms_xcalloc(cap, sizeof(*key));
	uint32_t *val = vms_xcalloc(cap, sizeof(*val));
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->key[i] || m->val[i] == TOMB)
			continue;
		size_t j = mix64(m->key[i]) & (cap - 1);
		while (key[j])
			j = (j + 1) & (cap - 1);
		key[j] = m->key[i];
		val[j] = m->val[i];
	}
	free(m->key);
	free(m->val);
	m->key = key;
	m->val = val;
	m->cap = cap;
	m->tombs = 0;
}

/* Position of id in the map, or SIZE_MAX. */
static size_t idmap_find(const struct sim_idmap *m, uint64_t id)
{
	if (!m->cap)
		return SIZE_MAX;
	for (size_t j = mix64(id) & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
		if (!m->key[j])
			return SIZE_MAX;
		if (m->key[j] == id && m->val[j] != TOMB)
			return j;
	}
}

static void idmap_put(struct sim_idmap *m, uint64_t id, uint32_t slot)
{
	if ((m->n + m->tombs + 1) * 2 > m->cap)
		idmap_grow(m);
	size_t j = mix64(id) & (m->cap - 1);
	while (m->key[j] && m->val[j] != TOMB)
		j = (j + 1) & (m->cap - 1);
	if (m->key[j])
		m->tombs--;
	m->key[j] = id;
	m->val[j] = slot;
	m->n++;
}

static void idmap_del(struct sim_idmap *m, size_t pos)
{
	m->val[pos] = TOMB;
	m->n--;
	m->tombs++;
}

/* ---- slots ------------------------------------------------------------------- */

static uint32_t slot_new(struct vms_sim *s)
{
	if (s->unused) {
		uint32_t i = s->unused - 1;
		s->unused = s->slot.v[i].link;
		memset(&s->slot.v[i], 0, sizeof(s->slot.v[i]));
		return i;
	}
	const void *old = s->key.v;
	vms_vec_reserve(&s->slot, s->slot.n + 1);
	vms_vec_reserve(&s->key, s->slot.n + 1);
	if (s->key.v != old)
		vms_busy_rebase(&s->busy, s->key.v);
	memset(&s->slot.v[s->slot.n], 0, sizeof(s->slot.v[0]));
	s->key.v[s->slot.n] = 0;
	s->key.n = s->slot.n + 1;
	return (uint32_t)s->slot.n++;
}

/*
 * The busy tree. The legacy walk searches it, so legacy runs keep it at
 * every step. The free tree alone places areas under the modern policy,
 * so there the busy tree is a cache: dropped at the first allocation or
 * purge and rebuilt in O(n log n) when something reads it (a fixed
 * placement, the snapshot, validation), which keeps an allocation to the
 * free tree's O(log n) and spares each one a descent through n areas.
 */
struct keyed {
	uint64_t start;
	uint32_t i;
};

static int cmp_keyed(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	return a->start < b->start ? -1 : a->start > b->start;
}

static void busy_sync(struct vms_sim *s)
{
	if (s->busy_in_sync)
		return;
	size_t cap = s->slot.n ? s->slot.n : 1, n = 0;
	struct keyed *k = vms_xmalloc(cap * sizeof(*k));
	for (uint32_t i = 0; i < s->slot.n; i++) {
		unsigned st = s->slot.v[i].state;
		if (st == S_LIVE || st == S_LAZY || st == S_POOLED) {
			s->key.v[i] = s->slot.v[i].a.start;
			k[n++] = (struct keyed){s->slot.v[i].a.start, i};
		}
	}
	qsort(k, n, sizeof(*k), cmp_keyed); /* starts are distinct: areas never overlap */
	uint32_t *order = vms_xmalloc(cap * sizeof(*order));
	for (size_t j = 0; j < n; j++)
		order[j] = k[j].i;
	free(k);
	vms_busy_build(&s->busy, order, n);
	free(order);
	s->busy_in_sync = true;
}

/* The busy tree of a simulator readers see as const: rebuilding the cache
 * changes no state of the run. */
static void busy_sync_const(const struct vms_sim *s)
{
	busy_sync((struct vms_sim *)s);
}

/* Enters slot i in the busy tree under its start (or drops the cache). */
static void busy_insert(struct vms_sim *s, uint32_t i)
{
	if (s->policy == VMS_POLICY_MODERN)
		s->busy_in_sync = false;
	if (!s->busy_in_sync)
		return;
	s->key.v[i] = s->slot.v[i].a.start;
	vms_busy_insert(&s->busy, i);
}

static void busy_erase(struct vms_sim *s, uint32_t i)
{
	if (s->policy == VMS_POLICY_MODERN)
		s->busy_in_sync = false;
	if (s->busy_in_sync)
		vms_busy_erase(&s->busy, i);
}

static void slot_release(struct vms_sim *s, uint32_t i)
{
	s->slot.v[i].state = S_UNUSED;
	s->slot.v[i].link = s->unused;
	s->unused = i + 1;
}

/* ---- names and records ---------------------------------------------------- */

static const char *default_caller(const struct vms_sim *s, unsigned kind)
{
	const char *fam = s->profile->family;
	switch (kind) {
	case VMS_SK_IOREMAP:
		return !strcmp(fam, "arm32") ? "__arm_ioremap_pfn_caller"
		                             : "devm_ioremap";
	case VMS_SK_VMAP:
		return "vmap";
	case VMS_SK_PERCPU:
		return "pcpu_get_vm_areas";
	case VMS_SK_MODULE:
		return s->major * 100 + s->minor >= 610 ? "execmem_alloc"
		                                        : "module_alloc";
	default:
		return "kvmalloc_node";
	}
}

/*
 * The id of a caller name as a vmallocinfo line can print it: a kernel
 * symbol is one word of [A-Za-z0-9_.$], so any other byte of a script's
 * caller becomes '_' (a name with a blank would read back as two fields),
 * and a name that starts with a digit gets a '_' in front (no symbol does:
 * "0x1234+0x10/0x20" would read back as an address, not a caller).
 */
static uint32_t intern_symbol(struct vms_sim *s, const char *name)
{
	size_t n = strlen(name), o = name[0] >= '0' && name[0] <= '9';
	char buf[256] = "_";
	if (n + o >= sizeof(buf))
		n = sizeof(buf) - 1 - o;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '$';
		buf[o + i] = ok ? (char)c : '_';
	}
	return vms_symtab_intern(&s->syms, buf, n + o);
}

/* A plausible +0xOFF/0xLEN for a caller, the same for every area of it. */
static void caller_offset(struct vms_area *a, const char *name)
{
	uint32_t h = vms_symtab_hash(name, strlen(name));
	a->length = 0x40 + ((h % 0x3c0) & ~3u);
	a->offset = ((h >> 12) % (a->length / 4)) * 4;
	a->has_offset = 1;
}

static bool era_at_least(const struct vms_sim *s, int major, int minor)
{
	return s->major * 100 + s->minor >= major * 100 + minor;
}

static unsigned phys_form(const struct vms_sim *s)
{
	if (!era_at_least(s, 4, 11))
		return VMS_PHYS_PLAIN;
	return s->addr_bits == 64 ? VMS_PHYS_PA64 : VMS_PHYS_PA32;
}

/* Fills the record of an allocated area as its line prints it. */
static void fill_record(struct vms_sim *s, struct sim_slot *sl, unsigned kind,
                        uint64_t request, const char *caller)
{
	struct vms_area *a = &sl->a;
	uint64_t pages = request / s->page;

	sl->skind = (uint8_t)kind;
	if (kind == VMS_SK_VM_MAP_RAM) {
		a->kind = VMS_KIND_VM_MAP_RAM;
		return;
	}
	if (kind == VMS_SK_PERCPU)
		caller = "pcpu_get_vm_areas";
	else if (!caller || !*caller)
		caller = default_caller(s, kind);
	a->caller = intern_symbol(s, caller);
	caller_offset(a, vms_symtab_name(&s->syms, a->caller));
	switch (kind) {
	case VMS_SK_IOREMAP:
		a->flags = VMS_F_IOREMAP;
		a->has_phys = 1;
		a->phys = s->next_phys;
		a->phys_form = phys_form(s) & 3;
		s->next_phys += (request + 0xffff) & ~(uint64_t)0xffff;
		break;
	case VMS_SK_VMAP:
		a->flags = VMS_F_VMAP;
		break;
	case VMS_SK_PERCPU:
		a->flags = VMS_F_VMALLOC;
		a->offset = 0;
		break;
	default: /* vmalloc, module */
		a->flags = VMS_F_VMALLOC;
		a->has_pages = 1;
		a->pages = pages > UINT32_MAX ? UINT32_MAX : (uint32_t)pages;
		break;
	}
}

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

static int era_code(int major, int minor, int patch)
{
	return major * 10000 + minor * 100 + patch;
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
	int v = era_code(s->major, s->minor, s->patch);
	if (d->era_hi && v > era_code(d->era_hi / 100, d->era_hi % 100, 99))
		set_era(s, d->era_hi / 100, d->era_hi % 100,
		        d->era_hi == 206 ? 39 : 0); /* the newest 2.6 is 2.6.39 */
	if (d->era_lo && era_code(s->major, s->minor, 99) <
	                     era_code(d->era_lo / 100, d->era_lo % 100, 0))
		set_era(s, d->era_lo / 100, d->era_lo % 100, 0);
	/* 2.6.28-2.6.38 left a page after every area they stepped over: a
	 * dump whose areas touch as often as they leave that page is from
	 * before (the vmlist) or after (the cache), as check's extra-page
	 * rule says */
	v = era_code(s->major, s->minor, s->patch);
	if (v >= era_code(2, 6, 28) && v <= era_code(2, 6, 38) && touches(m)) {
		int lo = era_code(p->min_major, p->min_minor, p->min_patch);
		int hi = p->max_major ? era_code(p->max_major, p->max_minor,
		                                 p->max_patch ? p->max_patch : 99)
		                      : INT32_MAX;
		if (era_code(2, 6, 27) >= lo && (!d->era_lo || d->era_lo <= 206))
			set_era(s, 2, 6, 27);
		else if (era_code(2, 6, 39) <= hi)
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
	s->policy = c->policy >= 0          ? (unsigned)c->policy
	            : era_at_least(s, 5, 2) ? VMS_POLICY_MODERN
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
	free(s->ids.key);
	free(s->ids.val);
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

static void lazy_add(struct vms_sim *s, uint32_t i);

int vms_sim_place_at(struct vms_sim *s, const struct vms_area *a, const char *caller,
                     const char *module, unsigned kind, uint64_t id)
{
	busy_sync(s);
	if (a->end <= a->start || overlaps_busy(s, a->start, a->end) ||
	    (id && idmap_find(&s->ids, id) != SIZE_MAX))
		return -VMS_EINVAL;
	bool part;
	uint8_t w = window_of(s, a->start, a->end, &part);
	take_range(s, a->start, a->end);
	uint32_t i = slot_new(s);
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
		idmap_put(&s->ids, id, i);
	if (a->kind == VMS_KIND_UNPURGED)
		lazy_add(s, i);
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

/* ---- lazy freeing and purge ------------------------------------------------ */

void vms_sim_purge(struct vms_sim *s);

static void lazy_add(struct vms_sim *s, uint32_t i)
{
	struct sim_slot *sl = &s->slot.v[i];
	sl->state = S_LAZY;
	vms_vec_push(&s->lazy, i);
	s->lazy_pages += (sl->a.end - sl->a.start) / s->page;
	s->st.lazy++;
	s->st.lazy_bytes += sl->a.end - sl->a.start;
}

/* Lazy freeing came with the vmap layer of 2.6.28; before, vfree()
 * unlinked the area from vmlist at once and there was nothing to purge. */
static bool lazy_era(const struct vms_sim *s)
{
	return era_code(s->major, s->minor, s->patch) >= era_code(2, 6, 28);
}

static void give_back(struct vms_sim *s, uint32_t i);

/* free_vmap_area_noflush(): the area keeps its space until the lazy pages
 * pass lazy_max_pages(), then everything lazy is purged; before 2.6.28 it
 * goes back at once. */
static void free_lazily(struct vms_sim *s, uint32_t i)
{
	struct sim_slot *sl = &s->slot.v[i];
	uint32_t array = sl->block ? 0 : sl->link; /* its pages array + 1 */

	s->st.live--;
	s->st.live_bytes -= sl->a.end - sl->a.start;
	if (array)
		sl->link = 0;
	if (lazy_era(s))
		lazy_add(s, i);
	else
		give_back(s, i);
	if (array)
		free_lazily(s, array - 1);
	if (s->lazy_pages > s->lazy_max_pages)
		vms_sim_purge(s);
}

/* purge_vmap_node(): a purged area goes to the pool of its size when
 * node_alloc() could have handed it out (the vmalloc window, not a per-cpu
 * chunk: pcpu_get_vm_areas() takes no node id) and it is at most
 * MAX_VA_SIZE_PAGES (256) pages. */
static bool poolable(const struct vms_sim *s, const struct sim_slot *sl)
{
	return s->cfg.pools && sl->win == s->vmalloc_win && !sl->fixed &&
	       sl->skind != VMS_SK_PERCPU && (sl->a.end - sl->a.start) / s->page <= 256;
}

/* Gives the space of busy slot i back: to its window's free tree (merging
 * with the holes beside it), and drops it from the busy tree. */
static void give_back(struct vms_sim *s, uint32_t i)
{
	struct sim_slot *sl = &s->slot.v[i];
	sim_cache_freeing(s, i);
	busy_erase(s, i);
	for (unsigned w = 0; w < s->nr_win; w++) {
		uint64_t lo =
		    sl->a.start > s->win[w].start ? sl->a.start : s->win[w].start;
		uint64_t hi = sl->a.end < s->win[w].end ? sl->a.end : s->win[w].end;
		if (lo < hi)
			vms_free_insert(&s->win[w].free, lo, hi);
	}
	slot_release(s, i);
}

/*
 * decay_va_pool_node(): each pool is a list with the last area pooled at
 * its head (the top of the vector); a regular purge hands the first
 * quarter of each list (len >> 2, the most recently pooled) back to the
 * free tree, a full one (reclaim before a retry, the shrinker) all.
 */
static void decay_pools(struct vms_sim *s, bool full)
{
	for (size_t p = 0; p < 256; p++) {
		size_t n = full ? s->pool[p].n : s->pool[p].n >> 2;
		for (size_t k = 0; k < n; k++)
			give_back(s, s->pool[p].v[--s->pool[p].n]);
	}
}

/* Lazy slots in address order (6.9+: the lazy list is an address-sorted
 * rb_list, and purge_vmap_node() walks it in order). O(k log k). */
static void sort_lazy_by_start(struct vms_sim *s)
{
	size_t n = s->lazy.n;
	struct keyed *k = vms_xmalloc((n ? n : 1) * sizeof(*k));
	for (size_t j = 0; j < n; j++)
		k[j] = (struct keyed){slot_start(s, s->lazy.v[j]), s->lazy.v[j]};
	qsort(k, n, sizeof(*k), cmp_keyed); /* lazy areas never overlap */
	for (size_t j = 0; j < n; j++)
		s->lazy.v[j] = k[j].i;
	free(k);
}

/*
 * __purge_vmap_area_lazy(): every lazily freed area leaves the lazy list.
 * Without pools they go back to the free tree in the order of the purge
 * list, a LIFO (llist) in the legacy eras, whose cache sees the order (the
 * free tree does not). With pools
 * (6.9+) the pools decay first, then the areas are walked in address
 * order and each poolable one is pushed on its pool's head (so the
 * highest-address one is handed out first); a full purge (full_decay: the
 * reclaim before a retry) empties the pools and pools nothing.
 */
static void purge(struct vms_sim *s, bool full)
{
	s->st.purges++;
	if (s->cfg.pools) {
		decay_pools(s, full);
		sort_lazy_by_start(s);
	}
	for (size_t k = 0; k < s->lazy.n; k++) {
		uint32_t i = s->lazy.v[s->cfg.pools ? k : s->lazy.n - 1 - k];
		struct sim_slot *sl = &s->slot.v[i];
		if (!full && poolable(s, sl)) {
			sl->state = S_POOLED;
			vms_vec_push(&s->pool[(sl->a.end - sl->a.start) / s->page - 1],
			             i);
		} else {
			give_back(s, i);
		}
	}
	s->lazy.n = 0;
	s->lazy_pages = 0;
	s->st.lazy = 0;
	s->st.lazy_bytes = 0;
}

void vms_sim_purge(struct vms_sim *s)
{
	purge(s, false);
}

/* ---- allocation ------------------------------------------------------------ */

static void record_failure(struct vms_sim *s, uint64_t size, const struct sim_window *w)
{
	char buf[256];
	vms_sim_failure_text(s->major, s->minor, s->patch, size, w->start, w->end, buf,
	                     sizeof(buf));
	vms_vec_push(&s->failures, vms_arena_strdup(&s->arena, buf));
	s->st.failures++;
}

/* Takes the block at k off the free list (vbq->free), keeping the order
 * vb_alloc() walks it in. */
static void block_unlist(struct vms_sim *s, size_t k)
{
	memmove(s->blocks.v + k, s->blocks.v + k + 1,
	        (s->blocks.n - k - 1) * sizeof(s->blocks.v[0]));
	s->blocks.n--;
}

/*
 * purge_fragmented_blocks_allcpus(), before the retry of a failed search:
 * a block on the free list none of whose pieces is still mapped (every
 * page either never handed out or freed) goes, lazily, so the purge that
 * follows frees its space.
 */
static void purge_fragmented_blocks(struct vms_sim *s)
{
	uint32_t bpages = (uint32_t)(s->block_bytes / s->page);
	for (size_t k = 0; k < s->blocks.n;) {
		uint32_t b = s->blocks.v[k];
		struct sim_slot *bl = &s->slot.v[b];
		if (bl->bfree + bl->bdirty != bpages || bl->bdirty == bpages) {
			k++;
			continue;
		}
		block_unlist(s, k);
		bl->bfree = 0;
		bl->bdirty = bpages;
		s->st.live--;
		s->st.live_bytes -= bl->a.end - bl->a.start;
		lazy_add(s, b);
	}
}

/* A pooled area of exactly this size (node_alloc(): the vmalloc window,
 * not a per-cpu chunk), or NO_SLOT. node_pool_del_va() looks at the head
 * of the pool only: when it is not aligned enough it moves it to the tail
 * and the request goes to the free tree. */
static uint32_t from_pool(struct vms_sim *s, unsigned w, unsigned kind, uint64_t size,
                          uint64_t align)
{
	uint64_t pages = size / s->page;
	if (!s->cfg.pools || w != s->vmalloc_win || kind == VMS_SK_PERCPU || !pages ||
	    pages > 256 || size % s->page)
		return NO_SLOT;
	size_t q = pages - 1, n = s->pool[q].n;
	if (!n)
		return NO_SLOT;
	uint32_t i = s->pool[q].v[n - 1];
	if (slot_start(s, i) & (align - 1)) {
		memmove(s->pool[q].v + 1, s->pool[q].v, (n - 1) * sizeof(uint32_t));
		s->pool[q].v[0] = i;
		return NO_SLOT;
	}
	s->pool[q].n--;
	return i;
}

/* Places an area of size bytes (guard included) in window w; returns the
 * new live slot or NO_SLOT, with the placement in *pl. */
static uint32_t place(struct vms_sim *s, unsigned w, unsigned kind, uint64_t size,
                      uint64_t align, uint64_t asked, struct vms_sim_place *pl)
{
	uint64_t at = 0;
	uint32_t i = from_pool(s, w, kind, size, align);
	if (i != NO_SLOT) {
		pl->from_pool = true;
		at = slot_start(s, i);
		memset(&s->slot.v[i].a, 0, sizeof(struct vms_area));
		s->slot.v[i].a.start = at;
		s->slot.v[i].a.end = at + size;
		s->slot.v[i].a.size = size;
		s->slot.v[i].state = S_LIVE;
		s->slot.v[i].skind = (uint8_t)kind;
		pl->addr = at;
		return i;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		int rc = kind == VMS_SK_PERCPU ? sim_find_top(s, w, size, align, &at)
		                               : sim_find(s, w, size, align, asked, &at);
		if (!rc)
			break;
		if (attempt || pl->purged || !lazy_era(s)) {
			pl->fail = VMS_SIM_NO_SPACE;
			return NO_SLOT;
		}
		/* purge_vmap_area_lazy() (6.9+: reclaim_and_purge_vmap_areas())
		 * once, then retry: unmapped vm_map_ram blocks go too, and
		 * 6.9+ empties the pools */
		purge_fragmented_blocks(s);
		purge(s, true);
		pl->purged = true;
	}
	enum vms_fit_type fit = sim_take(s, w, at, size);
	pl->fit = s->policy == VMS_POLICY_MODERN ? (uint8_t)fit : 0;
	i = slot_new(s);
	struct sim_slot *sl = &s->slot.v[i];
	sl->a.start = at;
	sl->a.end = at + size;
	sl->a.size = size;
	sl->a.geom = VMS_GEOM_TRUSTED;
	sl->win = (uint8_t)w;
	sl->state = S_LIVE;
	sl->skind = (uint8_t)kind;
	busy_insert(s, i);
	if (kind != VMS_SK_PERCPU)
		sim_cache_placed(s, i);
	pl->addr = at;
	return i;
}

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static void count_live(struct vms_sim *s, uint32_t i)
{
	s->st.live++;
	s->st.live_bytes += slot_end(s, i) - slot_start(s, i);
}

/* vm_map_ram() of at most VMAP_MAX_ALLOC pages: a piece of a per-cpu
 * block (vb_alloc: 2^order pages handed out in order; a new block when no
 * block on the free list has room). */
static int alloc_in_block(struct vms_sim *s, uint64_t pages, uint64_t id,
                          struct vms_sim_place *pl)
{
	uint32_t need = 1u << vms_log2_ceil(pages);
	uint32_t bpages = (uint32_t)(s->block_bytes / s->page);
	uint32_t b = NO_SLOT;
	size_t k;

	for (k = 0; k < s->blocks.n; k++)
		if (s->slot.v[s->blocks.v[k]].bfree >= need) {
			b = s->blocks.v[k];
			break;
		}
	if (b == NO_SLOT) {
		b = place(s, s->vmalloc_win, VMS_SK_VM_MAP_RAM, s->block_bytes,
		          s->block_bytes, s->block_bytes, pl);
		if (b == NO_SLOT)
			return -VMS_ERANGE;
		s->slot.v[b].block = true;
		s->slot.v[b].a.kind = VMS_KIND_VM_MAP_RAM;
		s->slot.v[b].bfree = bpages;
		count_live(s, b);
		vms_vec_push(&s->blocks, b);
		k = s->blocks.n - 1;
	}
	uint32_t i = slot_new(s);
	struct sim_slot *bl = &s->slot.v[b], *sl = &s->slot.v[i];
	sl->a.start = bl->a.start + (uint64_t)(bpages - bl->bfree) * s->page;
	sl->a.size = (uint64_t)need * s->page;
	sl->a.end = sl->a.start + sl->a.size;
	sl->a.kind = VMS_KIND_VM_MAP_RAM;
	sl->state = S_SUB;
	sl->skind = VMS_SK_VM_MAP_RAM;
	sl->link = b;
	sl->id = id;
	sl->win = bl->win;
	bl->bfree -= need;
	if (!bl->bfree) /* list_del_rcu(): the others keep their order */
		block_unlist(s, k);
	idmap_put(&s->ids, id, i);
	pl->in_block = true;
	pl->addr = sl->a.start;
	pl->size = sl->a.size;
	pl->align = (uint64_t)need * s->page;
	return 0;
}

int vms_sim_alloc(struct vms_sim *s, unsigned kind, uint64_t size, uint64_t align,
                  const char *caller, uint64_t id, struct vms_sim_place *out)
{
	struct vms_sim_place tmp = {0}, *pl = out ? out : &tmp;
	memset(pl, 0, sizeof(*pl));
	s->st.ops++;
	s->st.allocs++;
	if (kind >= VMS_NR_SIM_KINDS || !size || (align && !is_pow2(align)) || !id ||
	    idmap_find(&s->ids, id) != SIZE_MAX) {
		pl->fail = VMS_SIM_BAD_ARG;
		return -VMS_EINVAL;
	}
	/* a size the kernel cannot page-align with its guard page in an
	 * unsigned long: its size checks return NULL (a failed allocation,
	 * with no line of the allocator's) */
	uint64_t max = s->addr_bits < 64 ? (1ull << s->addr_bits) - 1 : UINT64_MAX;
	if (size > max - (s->page - 1) - s->page) {
		pl->fail = VMS_SIM_BAD_ARG;
		s->st.failures++;
		return -VMS_EINVAL;
	}
	uint64_t req = (size + s->page - 1) & ~(s->page - 1);
	unsigned w = kind == VMS_SK_MODULE && s->modules_win >= 0
	                 ? (unsigned)s->modules_win
	                 : s->vmalloc_win;
	pl->vstart = s->win[w].start;
	pl->vend = s->win[w].end;
	if (kind == VMS_SK_VM_MAP_RAM && req / s->page <= s->addr_bits) {
		int rc = alloc_in_block(s, req / s->page, id, pl);
		if (rc) {
			record_failure(s, s->block_bytes, &s->win[w]);
			return rc;
		}
		return 0;
	}
	bool guard = kind != VMS_SK_VM_MAP_RAM && kind != VMS_SK_PERCPU;
	uint64_t total = req + (guard ? s->page : 0);
	/* what the kernel's caller passes as align: vmalloc() and vmap() 1,
	 * module_alloc() a page (MODULE_ALIGN), ioremap its own rule */
	if (!align)
		align =
		    kind == VMS_SK_IOREMAP
		        ? vms_ioremap_align(s->profile, s->major, s->minor, s->page, size)
		    : kind == VMS_SK_MODULE ? s->page
		                            : 1;
	uint64_t asked = align;
	if (align < s->page)
		align = s->page;
	pl->align = align;
	pl->size = total;
	uint32_t i = place(s, w, kind, total, align, asked, pl);
	if (i == NO_SLOT) {
		record_failure(s, total, &s->win[w]);
		return -VMS_ERANGE;
	}
	fill_record(s, &s->slot.v[i], kind, req, caller);
	s->slot.v[i].id = id;
	idmap_put(&s->ids, id, i);
	count_live(s, i);
	/* a pages array above one page is itself vmalloc'ed, after the area,
	 * by the same caller; the area then prints "vpages" */
	uint64_t array = (req / s->page) * (s->addr_bits / 8);
	if ((kind == VMS_SK_VMALLOC || kind == VMS_SK_MODULE) && array > s->page) {
		struct vms_sim_place sub = {0};
		uint64_t sreq = (array + s->page - 1) & ~(s->page - 1);
		uint32_t c = place(s, s->vmalloc_win, VMS_SK_VMALLOC, sreq + s->page,
		                   s->page, 1, &sub);
		if (c == NO_SLOT) {
			/* the kernel frees the area and fails the vmalloc */
			record_failure(s, sreq + s->page, &s->win[s->vmalloc_win]);
			size_t pos = idmap_find(&s->ids, id);
			idmap_del(&s->ids, pos);
			free_lazily(s, i);
			pl->fail = VMS_SIM_NO_SPACE;
			return -VMS_ERANGE;
		}
		const char *name = vms_symtab_name(&s->syms, s->slot.v[i].a.caller);
		fill_record(s, &s->slot.v[c], VMS_SK_VMALLOC, sreq, name);
		count_live(s, c);
		s->slot.v[i].link = c + 1;
		s->slot.v[i].a.flags |= VMS_F_VPAGES;
		pl->purged |= sub.purged;
	}
	return 0;
}

int vms_sim_free_id(struct vms_sim *s, uint64_t id)
{
	s->st.ops++;
	s->st.frees++;
	size_t pos = idmap_find(&s->ids, id);
	if (pos == SIZE_MAX) {
		s->st.bad_frees++;
		return -VMS_EINVAL;
	}
	uint32_t i = s->ids.val[pos];
	idmap_del(&s->ids, pos);
	struct sim_slot *sl = &s->slot.v[i];
	if (sl->state == S_SUB) {
		/* vb_free(): the block goes when every page was handed out and
		 * freed */
		uint32_t b = sl->link;
		struct sim_slot *bl = &s->slot.v[b];
		bl->bdirty += (uint32_t)(sl->a.size / s->page);
		slot_release(s, i);
		if (bl->bdirty >= s->block_bytes / s->page)
			free_lazily(s, b);
		return 0;
	}
	free_lazily(s, i);
	return 0;
}

uint64_t vms_sim_run(struct vms_sim *s, const struct vms_sim_script *sc,
                     _Atomic uint64_t *progress)
{
	struct timespec t0, t1;
	uint64_t before = s->st.failures;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t k = 0; k < sc->ev.n; k++) {
		const struct vms_sim_event *e = &sc->ev.v[k];
		switch (e->op) {
		case VMS_OP_ALLOC:
			vms_sim_alloc(s, e->kind, e->size, e->align,
			              vms_symtab_name(&sc->syms, e->caller), e->id, NULL);
			break;
		case VMS_OP_FREE:
			vms_sim_free_id(s, e->id);
			break;
		default:
			s->st.ops++;
			vms_sim_purge(s);
			break;
		}
		if (progress)
			atomic_store_explicit(progress, k + 1, memory_order_relaxed);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s->st.seconds +=
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return s->st.failures - before;
}

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
	           s->ids.cap * (sizeof(uint64_t) + sizeof(uint32_t)) +
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
	busy_sync_const(s);
	struct vms_dump *d = vms_dump_new("sim");
	bool listed = era_at_least(s, 4, 13); /* vm_map_ram and unpurged lines */
	bool lazy_last = era_at_least(s, 5, 4);

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
	busy_sync_const(s);
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
