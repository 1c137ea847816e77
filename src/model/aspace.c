/*
 * aspace.c — builds the address-space model of a dump (aspace.h): which
 * regions the areas live in and where those came from, the guard page of
 * every area, the areas with trusted geometry sorted by start in the busy
 * tree, and the holes of each allocation window in a free tree.
 *
 * Steps, each O(n) for a sorted dump (sorting is O(n log n) otherwise):
 *  1. regions: the boot log's layout, else the arch profile of the dump's
 *     arch and era (with the machine facts the log gives: RAM, vmalloc=),
 *     else one vmalloc region inferred from the areas (regions_*());
 *  2. guard pages per area from its kind and caller (guard_of());
 *  3. the sorted order of trusted areas and the busy tree over it;
 *  4. per window (the vmalloc region, and the modules region when it lies
 *     apart), the holes between the areas inside, in a free tree.
 *
 * Invariants after vms_aspace_build(): regions ascend by start; order[]
 * holds every area with trusted geometry exactly once, ascending by
 * (start, index); every window's free tree holds exactly the gaps of
 * [start, end) not covered by an area (vms_aspace_validate() recomputes).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aspace_int.h"
#include "rbtree.h"
#include "vmscope/aspace.h"

static const char *const guard_names[VMS_NR_GUARDS] = {
    "guard", "static", "percpu", "vm_map_ram", "unpurged", "no-guard",
};

const char *vms_guard_name(enum vms_guard g)
{
	return (unsigned)g < VMS_NR_GUARDS ? guard_names[g] : "?";
}

static const char *const akind_names[VMS_NR_AKINDS] = {
    "vmalloc",  "ioremap", "vmap",   "user",  "vm_map_ram",
    "unpurged", "percpu",  "module", "other",
};

const char *vms_akind_name(enum vms_akind k)
{
	return (unsigned)k < VMS_NR_AKINDS ? akind_names[k] : "?";
}

/* ---- guard pages ---------------------------------------------------------- */

/*
 * Callers that map without a guard page (docs/kernel.md §3.2, §5.3). An
 * `exact` entry has none only when its size is exactly its pages:
 * kasan_module_alloc() / kasan_alloc_module_shadow() record their own
 * caller (__builtin_return_address(0)), so a module's KASAN shadow
 * (VM_NO_GUARD) prints the module allocator's name.
 */
static const struct {
	const char *caller;
	uint8_t guard;
	bool exact;
	bool module; /* allocates module memory (kind "module") */
} no_guard_callers[] = {
    {"iotable_init", VMS_GUARD_STATIC},
    {"vm_area_add_early", VMS_GUARD_STATIC},
    {"vm_area_register_early", VMS_GUARD_STATIC},
    {"add_static_vm_early", VMS_GUARD_STATIC},
    {"vm_reserve_area_early", VMS_GUARD_STATIC},
    {"pmd_empty_section_gap", VMS_GUARD_STATIC},
    {"pci_reserve_io", VMS_GUARD_STATIC},
    /* vendor arm32 kernels (msm 3.x) list the linear map, section by
     * section, with the flag word "lowmem" */
    {"map_lowmem", VMS_GUARD_STATIC},
    {"map_kernel_segment", VMS_GUARD_STATIC},
    {"map_kernel", VMS_GUARD_STATIC}, /* arm64: the segments record their caller */
    {"pcpu_get_vm_areas", VMS_GUARD_PERCPU},
    {"pcpu_page_first_chunk", VMS_GUARD_PERCPU},
    {"pcpu_embed_first_chunk", VMS_GUARD_PERCPU},
    {"kasan_module_alloc", VMS_GUARD_NO_GUARD, false, true},
    {"kasan_alloc_module_shadow", VMS_GUARD_NO_GUARD, false, true},
    {"module_alloc", VMS_GUARD_NO_GUARD, true, true},
    {"execmem_alloc", VMS_GUARD_NO_GUARD, true, true},
    {"move_module", VMS_GUARD_NO_GUARD, true, true},
    /* module_alloc() inlined into the loader: the caller printed for
     * module memory on some kernels (4.18 x86_64) */
    {"layout_and_allocate", VMS_GUARD_NO_GUARD, true, true},
    {"load_module", VMS_GUARD_NO_GUARD, true, true},
};
#define NR_NO_GUARD (sizeof(no_guard_callers) / sizeof(no_guard_callers[0]))

#define BY_SYM_EXACT  0x80 /* by_sym flag: only when size == pages * page */
#define BY_SYM_MODULE 0x40 /* by_sym flag: a module allocator */
#define BY_SYM_GUARD  0x3f

/* Guard class + 1 of each symbol id that names a no-guard caller (with
 * BY_SYM_EXACT and BY_SYM_MODULE), so the per-area lookup is one read. */
static uint8_t *guard_by_symbol(const struct vms_dump *d)
{
	uint8_t *by = vms_xcalloc((size_t)vms_symtab_count(&d->syms) + 1, 1);
	for (size_t i = 0; i < NR_NO_GUARD; i++) {
		const char *c = no_guard_callers[i].caller;
		uint32_t id = vms_symtab_find(&d->syms, c, strlen(c));
		if (id)
			by[id] =
			    (uint8_t)((no_guard_callers[i].guard + 1) |
			              (no_guard_callers[i].exact ? BY_SYM_EXACT : 0) |
			              (no_guard_callers[i].module ? BY_SYM_MODULE : 0));
	}
	return by;
}

static uint8_t guard_of(const struct vms_area *a, const uint8_t *by_sym, uint64_t page)
{
	if (a->kind == VMS_KIND_VM_MAP_RAM)
		return VMS_GUARD_VM_MAP_RAM;
	if (a->kind == VMS_KIND_UNPURGED)
		return VMS_GUARD_UNPURGED;
	uint8_t by = a->caller ? by_sym[a->caller] : 0;
	if (!by)
		return VMS_GUARD_YES;
	if ((by & BY_SYM_EXACT) &&
	    !(a->has_pages && a->size == (uint64_t)a->pages * page))
		return VMS_GUARD_YES;
	return (uint8_t)((by & BY_SYM_GUARD) - 1);
}

/* Whether [start, end) lies in module space (regions[] are ascending). */
static bool in_modules(const struct vms_aspace *m, const struct vms_area *a)
{
	if (a->geom != VMS_GEOM_TRUSTED)
		return false;
	for (size_t i = 0; i < m->regions.n && m->regions.v[i].start <= a->start; i++) {
		const struct vms_region *r = &m->regions.v[i];
		if (r->kind == VMS_RK_MODULES && a->start < r->end)
			return true;
	}
	return false;
}

static uint8_t kind_of(const struct vms_aspace *m, const struct vms_area *a,
                       uint8_t guard, uint8_t by, bool modules)
{
	if (a->kind == VMS_KIND_VM_MAP_RAM)
		return VMS_AK_VM_MAP_RAM;
	if (a->kind == VMS_KIND_UNPURGED)
		return VMS_AK_UNPURGED;
	if (guard == VMS_GUARD_PERCPU)
		return VMS_AK_PERCPU;
	if ((by & BY_SYM_MODULE) || (modules && in_modules(m, a)))
		return VMS_AK_MODULE;
	if (a->flags & VMS_F_IOREMAP)
		return VMS_AK_IOREMAP;
	if (a->flags & (VMS_F_VMAP | VMS_F_DMA_COHERENT))
		return VMS_AK_VMAP;
	if (a->flags & VMS_F_USER)
		return VMS_AK_USER;
	if (a->flags & VMS_F_VMALLOC)
		return VMS_AK_VMALLOC;
	return VMS_AK_OTHER;
}

uint64_t vms_aspace_ioremap_align(const struct vms_aspace *m, uint64_t request)
{
	return vms_ioremap_align(m->profile, m->kernel_major, m->kernel_minor,
	                         m->page_size, request);
}

uint64_t vms_aspace_guard_bytes(const struct vms_aspace *m, size_t i)
{
	return m->guard[i] == VMS_GUARD_YES ? m->page_size : 0;
}

/* ---- sorted order and the busy tree ------------------------------------- */

static bool trusted(const struct vms_area *a)
{
	return a->geom == VMS_GEOM_TRUSTED && a->end > a->start;
}

struct keyed {
	uint64_t start;
	uint32_t idx;
};

static int cmp_keyed(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* order[] = trusted areas by (start, index): one pass when already sorted. */
static void sort_trusted(struct vms_aspace *m)
{
	const struct vms_dump *d = m->dump;
	m->order = vms_xmalloc((d->areas.n ? d->areas.n : 1) * sizeof(*m->order));
	bool sorted = true;
	uint64_t last = 0;
	size_t n = 0;
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		if (!trusted(a))
			continue;
		sorted &= a->start >= last;
		last = a->start;
		m->order[n++] = (uint32_t)i;
	}
	m->nr_order = n;
	if (sorted)
		return;
	struct keyed *k = vms_xreallocarray(NULL, n, sizeof(*k));
	for (size_t i = 0; i < n; i++)
		k[i] = (struct keyed){d->areas.v[m->order[i]].start, m->order[i]};
	qsort(k, n, sizeof(*k), cmp_keyed);
	for (size_t i = 0; i < n; i++)
		m->order[i] = k[i].idx;
	free(k);
}

/* ---- windows and their holes -------------------------------------------- */

/* One window being swept: its gaps (counted, and written to out when
 * given) and its usage. */
struct sweep {
	uint64_t start, end;  /* the window */
	uint64_t cur;         /* covered up to here */
	struct vms_hole *out; /* where gaps go (NULL: count them only) */
	size_t gaps;
	uint64_t used;
	uint32_t nr;
};

static void sweep_gap(struct sweep *w, uint64_t start, uint64_t end)
{
	if (w->out)
		w->out[w->gaps] = (struct vms_hole){start, end, 0};
	w->gaps++;
}

static void sweep_area(struct sweep *w, const struct vms_area *a)
{
	/* an area reaching across an edge counts with its part inside, so
	 * used + free == the window */
	uint64_t s = a->start > w->start ? a->start : w->start;
	uint64_t e = a->end < w->end ? a->end : w->end;
	if (e > s) {
		w->used += e - s;
		w->nr++;
	}
	if (a->start > w->cur)
		sweep_gap(w, w->cur, a->start);
	if (a->end > w->cur)
		w->cur = a->end < w->end ? a->end : w->end;
}

static void sweep_end(struct sweep *w)
{
	if (w->cur < w->end)
		sweep_gap(w, w->cur, w->end);
}

/*
 * One pass over the sorted areas for all n windows (ascending, disjoint):
 * the gaps of each that no trusted area covers, and its usage. An area
 * spanning two windows counts in both. O(areas + windows).
 */
static void sweep_windows(const struct vms_aspace *m, struct sweep *w, size_t n)
{
	const struct vms_area *areas = m->dump->areas.v;
	size_t first = 0;
	for (size_t k = 0; k < m->nr_order && first < n; k++) {
		const struct vms_area *a = &areas[m->order[k]];
		while (first < n && a->start >= w[first].end)
			sweep_end(&w[first++]);
		for (size_t j = first; j < n && w[j].start < a->end; j++)
			if (a->end > w[j].start)
				sweep_area(&w[j], a);
	}
	for (; first < n; first++)
		sweep_end(&w[first]);
}

static bool overlaps_window(const struct vms_aspace *m, const struct vms_region *r)
{
	for (size_t i = 0; i < m->windows.n; i++)
		if (r->start < m->windows.v[i].end && m->windows.v[i].start < r->end)
			return true;
	return false;
}

static int cmp_window(const void *x, const void *y)
{
	const struct vms_window *a = x, *b = y;
	return (a->start > b->start) - (a->start < b->start);
}

/* Per-cpu chunks sit at VMALLOC_END rounded down to their alignment (an
 * atom, at most a PMD on the arches modelled): a gap above the top one
 * larger than this says the region's end is not this kernel's. */
#define PCPU_SLACK (2ull << 20)

/* The highest end and the lowest start (*low) of the areas in [w->start,
 * w->end) that the allocator placed (static maps sit where machine code
 * put them, outside [VMALLOC_START, VMALLOC_END) too), and whether one is
 * a per-cpu chunk placed top-down. */
static uint64_t areas_top(const struct vms_aspace *m, const struct vms_window *w,
                          uint64_t *low, bool *percpu)
{
	/* only pcpu_get_vm_areas places top-down; the first chunk
	 * (pcpu_page_first_chunk) is registered at VMALLOC_START */
	uint32_t pcpu = vms_symtab_find(&m->dump->syms, "pcpu_get_vm_areas", 17);
	uint64_t top = 0;
	*low = UINT64_MAX;
	*percpu = false;
	for (size_t k = vms_aspace_first_at(m, w->start); k < m->nr_order; k++) {
		const struct vms_area *a = &m->dump->areas.v[m->order[k]];
		if (a->start >= w->end)
			break;
		if (m->guard[m->order[k]] == VMS_GUARD_STATIC)
			continue;
		*low = a->start < *low ? a->start : *low;
		top = a->end > top ? a->end : top;
		*percpu |= pcpu && a->caller == pcpu;
	}
	return top < w->end ? top : w->end;
}

/*
 * Where the vmalloc region's bounds are guesses (a profile without
 * high_memory, a profile end above the per-cpu chunks), the areas bound
 * the window (enum vms_window_bounds). A boot log's bounds are kept.
 */
static void bound_window(struct vms_aspace *m, struct vms_window *w)
{
	const struct vms_region *r = &m->regions.v[w->region];
	if (r->kind != VMS_RK_VMALLOC || r->source == VMS_RS_LOG)
		return;
	if (r->source == VMS_RS_INFERRED) {
		/* the span of the areas; a profile's region that KASLR moved
		 * keeps its size */
		w->bounds = m->profile ? 0 : VMS_WB_SPAN;
		return;
	}
	uint64_t low;
	bool percpu;
	uint64_t top = areas_top(m, w, &low, &percpu);
	if (low == UINT64_MAX)
		return;
	if (r->start_guessed && low > w->start) {
		w->start = low;
		w->bounds |= VMS_WB_LOW_AREA;
	}
	uint64_t slack = PCPU_SLACK > m->page_size ? PCPU_SLACK : m->page_size;
	if (percpu && w->end - top > slack) {
		w->end = top;
		w->bounds |= VMS_WB_HIGH_PERCPU;
	}
}

/* Windows: the vmalloc region, then module space lying apart from it. */
static void choose_windows(struct vms_aspace *m)
{
	static const uint8_t kinds[] = {VMS_RK_VMALLOC, VMS_RK_MODULES};
	for (size_t k = 0; k < sizeof(kinds); k++)
		for (size_t i = 0; i < m->regions.n; i++) {
			const struct vms_region *r = &m->regions.v[i];
			if (r->kind != kinds[k] || r->end <= r->start ||
			    overlaps_window(m, r))
				continue;
			struct vms_window w = {
			    .region = (uint32_t)i, .start = r->start, .end = r->end};
			bound_window(m, &w);
			vms_vec_push(&m->windows, w);
		}
	if (m->windows.n > 1)
		qsort(m->windows.v, m->windows.n, sizeof(*m->windows.v), cmp_window);
}

static void sweep_reset(struct sweep *w, size_t n, const struct vms_aspace *m)
{
	for (size_t i = 0; i < n; i++)
		w[i] = (struct sweep){.start = m->windows.v[i].start,
		                      .end = m->windows.v[i].end,
		                      .cur = m->windows.v[i].start,
		                      .out = w[i].out};
}

/*
 * The free tree of every window from two sweeps: the first counts the
 * gaps, the second writes them straight into each tree's holes (no array
 * of gaps beside the trees: the model's peak memory is the trees).
 */
static void build_windows(struct vms_aspace *m)
{
	size_t n = m->windows.n;
	struct sweep *w = vms_xcalloc(n ? n : 1, sizeof(*w));
	sweep_reset(w, n, m);
	sweep_windows(m, w, n);
	for (size_t i = 0; i < n; i++) {
		vms_free_init(&m->windows.v[i].free);
		w[i].out = vms_free_build_begin(&m->windows.v[i].free, w[i].gaps);
	}
	sweep_reset(w, n, m);
	sweep_windows(m, w, n);
	for (size_t i = 0; i < n; i++) {
		struct vms_window *win = &m->windows.v[i];
		win->used = w[i].used;
		win->nr_areas = w[i].nr;
		/* gaps are ascending, disjoint and apart by construction */
		vms_free_build_end(&win->free, w[i].gaps);
	}
	free(w);
}

static void *busy_thread(void *arg)
{
	struct vms_aspace *m = arg;
	vms_busy_build(&m->busy, m->order, m->nr_order);
	return NULL;
}

/* ---- the model ------------------------------------------------------------ */

static const char *geometry_refused(const struct vms_dump *d)
{
	switch (d->visibility) {
	case VMS_VIS_HASHED:
		return "addresses are hashed (%p, kptr_restrict=0 on 4.15+)";
	case VMS_VIS_RESTRICTED:
		return "addresses are zeroed (kptr_restrict)";
	case VMS_VIS_PTRVAL:
		return "addresses are '(ptrval)' placeholders";
	case VMS_VIS_UNKNOWN:
		return "the input holds no areas";
	default:
		return NULL;
	}
}

/* Why the holes are no free space: a listing cut by /proc/meminfo's
 * count, or printed through a filter. */
static void not_free(struct vms_aspace *m)
{
	const struct vms_dump *d = m->dump;
	const struct vms_listing *l = d->listings.n ? &d->listings.v[0] : NULL;
	if (m->meminfo.incomplete)
		m->not_free = m->meminfo.incomplete;
	else if (l && l->filtered && (d->listings.n == 1 || d->nr_listings))
		m->not_free = vms_arena_printf(
		    &m->arena,
		    "the listing was printed through a filter (line %u: %s): "
		    "areas it did not show are missing",
		    l->marker_line, l->command ? l->command : "?");
}

struct vms_aspace *vms_aspace_build(const struct vms_dump *d, const char *arch)
{
	struct vms_aspace *m = vms_xcalloc(1, sizeof(*m));
	m->dump = d;
	m->page_size = d->page_size ? d->page_size : 4096;
	m->kernel_major = d->kernel_major;
	m->kernel_minor = d->kernel_minor;
	vms_aspace_regions(m, arch);
	vms_aspace_meminfo_total(m);

	m->guard = vms_xmalloc(d->areas.n ? d->areas.n : 1);
	m->kind = vms_xmalloc(d->areas.n ? d->areas.n : 1);
	uint8_t *by_sym = guard_by_symbol(d);
	bool modules = false;
	for (size_t i = 0; i < m->regions.n; i++)
		modules |= m->regions.v[i].kind == VMS_RK_MODULES;
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		uint8_t by = a->caller ? by_sym[a->caller] : 0;
		m->guard[i] = guard_of(a, by_sym, m->page_size);
		m->kind[i] = kind_of(m, a, m->guard[i], by, modules);
	}
	free(by_sym);

	vms_busy_init(&m->busy, d->areas.v, sizeof(struct vms_area));
	m->no_geometry = geometry_refused(d);
	m->geometry = m->no_geometry == NULL;
	if (!m->geometry) {
		m->order = vms_xmalloc(sizeof(*m->order));
		vms_aspace_meminfo_compare(m);
		not_free(m);
		return m;
	}
	sort_trusted(m);
	vms_aspace_meminfo_compare(m);
	not_free(m);
	choose_windows(m);
	/* the busy tree and the free trees read order[] only: build them at
	 * once on two threads (one when threads cannot start) */
	pthread_t t;
	bool threaded =
	    m->nr_order >= (1u << 16) && pthread_create(&t, NULL, busy_thread, m) == 0;
	if (!threaded)
		vms_busy_build(&m->busy, m->order, m->nr_order);
	build_windows(m);
	if (threaded)
		pthread_join(t, NULL);
	return m;
}

void vms_aspace_free(struct vms_aspace *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->windows.n; i++)
		vms_free_release(&m->windows.v[i].free);
	free(m->windows.v);
	vms_busy_free(&m->busy);
	free(m->order);
	free(m->guard);
	free(m->kind);
	free(m->regions.v);
	vms_arena_free(&m->arena);
	free(m);
}

bool vms_region_allocatable(unsigned kind)
{
	return kind == VMS_RK_VMALLOC || kind == VMS_RK_MODULES || kind == VMS_RK_KASAN ||
	       kind == VMS_RK_PCI_IO || kind == VMS_RK_OTHER;
}

const struct vms_region *vms_aspace_region_of(const struct vms_aspace *m, uint64_t addr)
{
	for (size_t i = 0; i < m->regions.n; i++) {
		const struct vms_region *r = &m->regions.v[i];
		if (r->kind != VMS_RK_KERNEL && addr >= r->start && addr < r->end)
			return r;
	}
	return NULL;
}

size_t vms_aspace_first_at(const struct vms_aspace *m, uint64_t addr)
{
	size_t lo = 0, hi = m->nr_order;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->dump->areas.v[m->order[mid]].start < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t vms_aspace_first_over(const struct vms_aspace *m, uint64_t addr)
{
	size_t k = vms_aspace_first_at(m, addr);
	return k > 0 && m->dump->areas.v[m->order[k - 1]].end > addr ? k - 1 : k;
}

const char *vms_aspace_address_hint(const struct vms_aspace *m)
{
	if (m->geometry || m->dump->visibility == VMS_VIS_UNKNOWN)
		return NULL;
	return "for real addresses read /proc/vmallocinfo as root with sysctl "
	       "kernel.kptr_restrict=1 (0 hashes them on 4.15+ unless booted with "
	       "no_hash_pointers, 2 zeroes them)";
}

const struct vms_window *vms_aspace_vmalloc_window(const struct vms_aspace *m)
{
	for (size_t i = 0; i < m->windows.n; i++)
		if (m->regions.v[m->windows.v[i].region].kind == VMS_RK_VMALLOC)
			return &m->windows.v[i];
	return NULL;
}

const struct vms_region *vms_aspace_vmalloc(const struct vms_aspace *m)
{
	for (size_t i = 0; i < m->regions.n; i++)
		if (m->regions.v[i].kind == VMS_RK_VMALLOC)
			return &m->regions.v[i];
	return NULL;
}

size_t vms_aspace_bytes(const struct vms_aspace *m)
{
	size_t n = sizeof(*m) + 2 * m->dump->areas.n /* guard, kind */ +
	           m->nr_order * sizeof(*m->order) + vms_busy_bytes(&m->busy) +
	           m->regions.cap * sizeof(*m->regions.v) + m->arena.total;
	for (size_t i = 0; i < m->windows.n; i++)
		n += sizeof(m->windows.v[i]) + vms_free_bytes(&m->windows.v[i].free);
	return n;
}

/* ---- validation ----------------------------------------------------------- */

static int validate_order(const struct vms_aspace *m, char *why, size_t len)
{
	const struct vms_dump *d = m->dump;
	size_t want = 0;
	for (size_t i = 0; i < d->areas.n; i++)
		want += trusted(&d->areas.v[i]);
	if (want != m->nr_order)
		return vms_rb_fail(why, len, "order holds %zu areas, %zu are trusted",
		                   m->nr_order, want);
	for (size_t k = 1; k < m->nr_order; k++) {
		const struct vms_area *a = &d->areas.v[m->order[k - 1]];
		const struct vms_area *b = &d->areas.v[m->order[k]];
		if (a->start > b->start ||
		    (a->start == b->start && m->order[k - 1] >= m->order[k]))
			return vms_rb_fail(why, len,
			                   "order not ascending at position %zu", k);
	}
	if (m->busy.count != m->nr_order)
		return vms_rb_fail(why, len, "busy tree holds %zu areas, order %zu",
		                   m->busy.count, m->nr_order);
	uint32_t it = vms_busy_first(&m->busy);
	for (size_t k = 0; k < m->nr_order; k++, it = vms_busy_next(&m->busy, it))
		if (it == UINT32_MAX ||
		    d->areas.v[it].start != d->areas.v[m->order[k]].start)
			return vms_rb_fail(why, len,
			                   "busy tree order differs at position %zu", k);
	return 0;
}

static int validate_window(const struct vms_aspace *m, const struct vms_window *w,
                           char *why, size_t len)
{
	int rc = vms_free_validate(&w->free, why, len);
	if (rc)
		return rc;
	struct sweep sw = {.start = w->start, .end = w->end, .cur = w->start};
	sweep_windows(m, &sw, 1); /* count the gaps, then write them */
	struct vms_hole *gaps = vms_xcalloc(sw.gaps ? sw.gaps : 1, sizeof(*gaps));
	sw = (struct sweep){
	    .start = w->start, .end = w->end, .cur = w->start, .out = gaps};
	sweep_windows(m, &sw, 1);
	uint32_t id = vms_free_first(&w->free);
	for (size_t k = 0; k < sw.gaps && !rc; k++, id = vms_free_next(&w->free, id)) {
		const struct vms_hole *h = id ? vms_free_hole(&w->free, id) : NULL;
		if (!h || h->va_start != gaps[k].va_start || h->va_end != gaps[k].va_end)
			rc = vms_rb_fail(why, len,
			                 "window %#llx: hole %zu differs from the gaps",
			                 (unsigned long long)w->start, k);
	}
	if (!rc && id)
		rc = vms_rb_fail(why, len, "window %#llx: more holes than gaps",
		                 (unsigned long long)w->start);
	if (!rc && (sw.used != w->used || sw.nr != w->nr_areas))
		rc = vms_rb_fail(why, len, "window %#llx: usage differs",
		                 (unsigned long long)w->start);
	free(gaps);
	return rc;
}

int vms_aspace_validate(const struct vms_aspace *m, char *why, size_t len)
{
	for (size_t i = 1; i < m->regions.n; i++)
		if (m->regions.v[i - 1].start > m->regions.v[i].start)
			return vms_rb_fail(why, len, "regions not ascending at %zu", i);
	if (!m->geometry)
		return m->busy.count || m->windows.n
		           ? vms_rb_fail(why, len, "trees built without geometry")
		           : 0;
	int rc = vms_busy_validate(&m->busy, why, len);
	if (!rc)
		rc = validate_order(m, why, len);
	for (size_t i = 0; !rc && i < m->windows.n; i++)
		rc = validate_window(m, &m->windows.v[i], why, len);
	return rc;
}
