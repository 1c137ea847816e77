/*
 * sim_work.c — the simulator's workloads: event scripts, generated from a
 * seed, that do to the vmalloc space what real systems do to it.
 *
 *  boot   a device coming up: on 64-bit NUMA machines the system hashes,
 *         per-cpu chunks, idle and kernel-thread stacks, an ioremap storm of
 *         probing drivers (with ACPI maps on 64-bit), module loads (image
 *         copy, core, init section), firmware, filesystems (vmap,
 *         vm_map_ram), swap, then user space: BPF programs, processes,
 *         ttys, netfilter tables. Init-time buffers are freed on the way;
 *         what remains is what a running device lists. A few hundred events
 *         on a 32-bit device, one to two thousand on a 64-bit machine.
 *  churn  random alloc/free around `live` areas (default 1000), `ops`
 *         events (default 10000), with a per-caller size mix.
 *  leak   one caller (kvmalloc_node) allocating ever larger areas it never
 *         frees, among light churn (default 256 live).
 *  frag   the long-busy-list stress of the kernel's lib/test_vmalloc.c:
 *         `live` one-page areas (default 10000), then `ops` events (default
 *         10000) of large requests allocated and freed in between.
 *
 * Sizes come from tables read off the real dumps in samples/: per caller a
 * few size classes with weights; a class is a byte range drawn log-uniform
 * (each octave as likely as the next, so small sizes dominate as in the
 * dumps) or as a power of two (device resources behind ioremap). Each size
 * is rounded up to the page and kept to an eighth of its window, so a
 * 240 MiB arm32 window gets the sizes of such a device and a 32 TiB x86_64
 * window those of a server. Requests exclude the guard page (the simulator
 * adds it).
 *
 * Determinism: one splitmix64 stream seeded from the config, integer
 * arithmetic only, tables walked in a fixed order, so the same config gives
 * the same events byte for byte on every host.
 *
 * Invariants: ids are fresh (ascending in emission order, never reused);
 * every free names an id allocated earlier in the stream and not freed
 * since (the generator keeps its own live sets: it cannot know whether the
 * simulator placed an area); purges are rare, since the simulator purges by
 * itself once lazy pages pass lazy_max_pages().
 *
 * Cost: O(events) time; memory O(live) besides the script (live sets are
 * arrays with swap-remove, so a random free is O(1)).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/common.h"
#include "vmscope/sim.h"

#define KIB(n)   ((uint64_t)(n) << 10)
#define MIB(n)   ((uint64_t)(n) << 20)
#define GIB(n)   ((uint64_t)(n) << 30)
#define TIB(n)   ((uint64_t)(n) << 40)
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- names -------------------------------------------------------------- */

static const char *const wl_names[VMS_NR_WORKLOADS] = {"boot", "churn", "leak", "frag"};

const char *vms_workload_name(unsigned w)
{
	return w < VMS_NR_WORKLOADS ? wl_names[w] : "?";
}

/* ASCII only: a locale must not change which names match. */
static int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

int vms_workload_lookup(const char *s)
{
	if (!s)
		return -1;
	for (unsigned w = 0; w < VMS_NR_WORKLOADS; w++) {
		const char *n = wl_names[w];
		size_t i = 0;
		while (n[i] && lower((unsigned char)s[i]) == n[i])
			i++;
		if (!n[i] && !s[i])
			return (int)w;
	}
	return -1;
}

/* ---- the random stream -------------------------------------------------- */

/* splitmix64: one add and a finaliser per draw; every seed, 0 included,
 * starts a full-period stream, and nothing in it depends on the host. */
struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n): draws at or above the largest multiple of n are
 * redrawn, so no value is favoured by the modulo. */
static uint64_t rng_below(struct rng *r, uint64_t n)
{
	if (n <= 1)
		return 0;
	uint64_t lim = UINT64_MAX - UINT64_MAX % n, x;
	do
		x = rng_next(r);
	while (x >= lim);
	return x % n;
}

/* Uniform in [lo, hi], lo <= hi < UINT64_MAX. */
static uint64_t rng_range(struct rng *r, uint64_t lo, uint64_t hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

/* True with probability num/den. */
static bool rng_chance(struct rng *r, unsigned num, unsigned den)
{
	return rng_below(r, den) < num;
}

/* ---- live sets ---------------------------------------------------------- */

/* Ids that may be freed: an array; a random member leaves by moving the
 * last one into its slot, so picking and removing is O(1). */
struct pool {
	VMS_VEC(uint64_t) ids;
};

/* Id 0 is an allocation cut off by the event budget: nothing to free. */
static void pool_add(struct pool *p, uint64_t id)
{
	if (id)
		vms_vec_push(&p->ids, id);
}

/* Removes and returns a random member, 0 when empty. */
static uint64_t pool_take(struct pool *p, struct rng *r)
{
	if (!p->ids.n)
		return 0;
	size_t i = (size_t)rng_below(r, p->ids.n);
	uint64_t id = p->ids.v[i];
	p->ids.v[i] = p->ids.v[--p->ids.n];
	return id;
}

/* ---- the generator and its events --------------------------------------- */

struct gen {
	struct vms_sim_script *s;
	struct rng r;
	uint64_t page;    /* bytes, a power of two */
	uint64_t cap;     /* largest request in the vmalloc window, bytes */
	uint64_t mod_cap; /* largest module-kind request, bytes */
	unsigned bits;    /* 32 or 64 */
	unsigned cpus;
	uint64_t next_id;           /* the next fresh id */
	uint64_t left;              /* events still allowed (the ops budget) */
	bool stacks;                /* kernel stacks are vmalloc'ed (VMAP_STACK) */
	unsigned stack_align_shift; /* THREAD_ALIGN = THREAD_SIZE << this */
	const char *fork;           /* the caller of a new task's stack */
	uint64_t atom;              /* the per-cpu atom (chunk alignment) */
};

/* Appends an allocation under a fresh id and returns the id, or 0 (and
 * appends nothing) once the budget is spent. */
static uint64_t emit_alloc(struct gen *g, unsigned kind, uint64_t size, uint64_t align,
                           const char *caller)
{
	if (!g->left)
		return 0;
	g->left--;
	uint64_t id = g->next_id++;
	vms_sim_script_add(g->s, VMS_OP_ALLOC, id, size, align, kind, caller);
	return id;
}

/* Frees id; id 0 (cut off, or an empty pool) frees nothing. The budget is
 * never refilled, so an id cut off is never named by a later free. */
static void emit_free(struct gen *g, uint64_t id)
{
	if (!g->left || !id)
		return;
	g->left--;
	vms_sim_script_add(g->s, VMS_OP_FREE, id, 0, 0, VMS_SK_VMALLOC, NULL);
}

static void emit_purge(struct gen *g)
{
	if (!g->left)
		return;
	g->left--;
	vms_sim_script_add(g->s, VMS_OP_PURGE, 0, 0, 0, VMS_SK_VMALLOC, NULL);
}

/* ---- sizes -------------------------------------------------------------- */

/* A byte range and its weight among its caller's classes. pow2: a power of
 * two inside the range (a device resource); otherwise log-uniform. */
struct size_class {
	uint16_t weight;
	bool pow2;
	uint64_t lo, hi; /* bytes, before rounding to the page */
};

struct size_mix {
	const struct size_class *c;
	size_t n;
};

/* A mix in a table's initialiser, and as a value in an expression. */
#define MIX(a)                                                                           \
	{                                                                                \
		(a), NELEM(a)                                                            \
	}
#define SIZES(a) ((struct size_mix)MIX(a))

/* ioremap: one-page register blocks dominate (286 of ~450 ioremap lines in
 * samples/), then 8–64 KiB blocks; MiB windows (SRAM, BARs, serdes) are
 * rare; 64 MiB is the largest seen. */
static const struct size_class sz_ioremap[] = {
    {600, true, KIB(4), KIB(4)},   {220, true, KIB(8), KIB(64)},
    {50, false, KIB(8), KIB(512)}, {90, true, KIB(128), MIB(1)},
    {32, true, MIB(2), MIB(16)},   {8, true, MIB(32), MIB(64)},
};
/* ioremap_wc: framebuffers and prefetchable BARs. */
static const struct size_class sz_fb[] = {{1, true, MIB(1), MIB(16)}};
/* ACPI tables and operation regions: mostly a page. */
static const struct size_class sz_acpi[] = {{8, false, KIB(4), KIB(4)},
                                            {2, false, KIB(5), KIB(64)}};
/* Module cores (module_alloc*, move_module, layout_and_allocate lines):
 * 8 KiB to 3 MiB, most between 16 and 300 KiB. */
static const struct size_class sz_module[] = {
    {300, false, KIB(8), KIB(32)},
    {450, false, KIB(32), KIB(256)},
    {200, false, KIB(256), MIB(1)},
    {50, false, MIB(1), MIB(3)},
};
/* Module init sections, freed once the module's init has run. */
static const struct size_class sz_mod_init[] = {{1, false, KIB(4), KIB(32)}};
/* A page, now and then up to 16 KiB: BPF programs (the bpf_prog_alloc
 * lines in samples/ are all one page), ebtables and wifi driver blobs. */
static const struct size_class sz_page[] = {{9, false, KIB(4), KIB(4)},
                                            {1, false, KIB(5), KIB(16)}};
/* BPF JIT images: 1–3 pages. */
static const struct size_class sz_bpf_jit[] = {{7, false, KIB(1), KIB(4)},
                                               {3, false, KIB(5), KIB(32)}};
/* BPF maps: hash and array maps bigger than a page. */
static const struct size_class sz_bpf_map[] = {
    {70, false, KIB(8), KIB(64)},
    {25, false, KIB(64), MIB(1)},
    {5, false, MIB(1), MIB(4)},
};
/* n_tty_open: struct n_tty_data, a little over 8 KiB (pages=3). */
static const struct size_class sz_tty[] = {{1, false, KIB(9), KIB(12)}};
/* xt_alloc_table_info, ebt_register_table: netfilter rule blobs. */
static const struct size_class sz_xt[] = {{1, false, KIB(8), KIB(32)}};
/* pcpu_mem_zalloc: chunk maps (2 pages), sometimes a large one. */
static const struct size_class sz_pcpu_map[] = {{8, false, KIB(8), KIB(8)},
                                                {2, false, KIB(64), KIB(512)}};
/* vmap: xfs buffers (9-page lines), ION/DRM buffers mapped for the CPU. */
static const struct size_class sz_vmap[] = {{8, false, KIB(8), KIB(64)},
                                            {2, false, KIB(64), MIB(1)}};
/* vm_map_ram: mostly a few pages (served from per-cpu blocks), sometimes
 * beyond VMAP_MAX_ALLOC pages (an area of its own). */
static const struct size_class sz_map_ram[] = {{9, false, KIB(4), KIB(64)},
                                               {1, false, KIB(256), MIB(1)}};
/* Driver and filesystem buffers allocated at probe or mount. */
static const struct size_class sz_driver[] = {
    {6, false, KIB(8), KIB(64)},
    {3, false, KIB(64), KIB(512)},
    {1, false, KIB(512), MIB(4)},
};
/* ubi/ubifs on raw flash: 128 KiB eraseblock buffers. */
static const struct size_class sz_flash[] = {{1, false, KIB(128), KIB(128)}};
/* Firmware images, held while a driver loads them. */
static const struct size_class sz_fw[] = {{1, false, KIB(64), MIB(2)}};

/* The index of a class of m, by weight. */
static size_t pick_class(struct rng *r, struct size_mix m)
{
	uint64_t total = 0;
	for (size_t i = 0; i < m.n; i++)
		total += m.c[i].weight;
	uint64_t x = rng_below(r, total);
	size_t i = 0;
	while (x >= m.c[i].weight)
		x -= m.c[i++].weight;
	return i;
}

/* size rounded up to whole pages, at least one page, at most cap (a page
 * multiple). */
static uint64_t page_fit(const struct gen *g, uint64_t size, uint64_t cap)
{
	size = (size + g->page - 1) & ~(g->page - 1);
	if (size < g->page)
		size = g->page;
	return size < cap ? size : cap;
}

/* A size from m, no larger than cap: a class first, then within its range
 * (clipped to cap) a power of two, or an octave and a size inside it. */
static uint64_t draw_size(struct gen *g, struct size_mix m, uint64_t cap)
{
	const struct size_class *c = &m.c[pick_class(&g->r, m)];
	uint64_t hi = c->hi < cap ? c->hi : cap;
	uint64_t lo = c->lo < hi ? c->lo : hi;
	unsigned a, b;
	if (c->pow2) {
		a = vms_log2_ceil(lo);
		b = vms_log2_floor(hi);
		a = a < b ? a : b;
		return page_fit(g, (uint64_t)1 << rng_range(&g->r, a, b), cap);
	}
	a = vms_log2_floor(lo);
	b = vms_log2_floor(hi);
	uint64_t x = (uint64_t)1 << rng_range(&g->r, a, b);
	uint64_t y = x + (x - 1);
	x = x > lo ? x : lo;
	y = y < hi ? y : hi;
	return page_fit(g, rng_range(&g->r, x, y), cap);
}

static uint64_t kind_cap(const struct gen *g, unsigned kind)
{
	return kind == VMS_SK_MODULE ? g->mod_cap : g->cap;
}

static uint64_t alloc_sized(struct gen *g, unsigned kind, struct size_mix m,
                            const char *caller)
{
	return emit_alloc(g, kind, draw_size(g, m, kind_cap(g, kind)), 0, caller);
}

/* A vmap'ed kernel stack: THREAD_SIZE 16 KiB on 64-bit (x86_64, arm64;
 * one page when pages are bigger) aligned to THREAD_ALIGN = THREAD_SIZE
 * (x86_64); 8 KiB on 32-bit (arm VMAP_STACK, 5.18+) aligned to twice
 * that, so an overflow shows in one bit of the stack pointer. */
static uint64_t alloc_stack(struct gen *g, const char *caller)
{
	if (!g->stacks)
		return 0; /* stacks come from the page allocator */
	uint64_t size = g->bits == 64 ? KIB(16) : KIB(8);
	size = size > g->page ? size : g->page;
	size = size < g->cap ? size : g->cap;
	uint64_t align = size << g->stack_align_shift;
	return emit_alloc(g, VMS_SK_VMALLOC, size, align, caller);
}

/* ---- callers ------------------------------------------------------------ */

enum shape { SH_SIZES, SH_STACK };

/* Who allocates, how often, and what. */
struct caller_mix {
	const char *caller; /* NULL: the kind's default (vm_map_ram prints none) */
	uint8_t kind;       /* enum vms_sim_kind */
	uint8_t shape;      /* enum shape */
	uint8_t bits;       /* 32 or 64: only on such machines; 0: on both */
	uint16_t weight;
	struct size_mix sizes; /* SH_SIZES */
};

#define VM   VMS_SK_VMALLOC
#define IO   VMS_SK_IOREMAP
#define VMAP VMS_SK_VMAP
#define RAM  VMS_SK_VM_MAP_RAM
#define MOD  VMS_SK_MODULE

/* A running system: thread stacks come and go most, then vm_map_ram and
 * vmap users (filesystems), BPF programs and maps, drivers binding and
 * unbinding. No per-cpu chunks: the kernel creates and destroys those a
 * few times in a system's life, not per operation. */
static const struct caller_mix churn_mix[] = {
    {"kernel_clone", VM, SH_STACK, 0, 260, {0}},
    {"n_tty_open", VM, SH_SIZES, 0, 40, MIX(sz_tty)},
    {"pcpu_mem_zalloc", VM, SH_SIZES, 0, 15, MIX(sz_pcpu_map)},
    {"bpf_prog_alloc_no_stats", VM, SH_SIZES, 0, 60, MIX(sz_page)},
    {"bpf_jit_binary_alloc", MOD, SH_SIZES, 0, 60, MIX(sz_bpf_jit)},
    {"bpf_map_area_alloc", VM, SH_SIZES, 0, 40, MIX(sz_bpf_map)},
    {"xt_alloc_table_info", VM, SH_SIZES, 0, 15, MIX(sz_xt)},
    {"load_module", VM, SH_SIZES, 0, 10, MIX(sz_module)},
    {"module_alloc", MOD, SH_SIZES, 0, 15, MIX(sz_module)},
    {"of_iomap", IO, SH_SIZES, 0, 40, MIX(sz_ioremap)},
    {"devm_ioremap", IO, SH_SIZES, 0, 50, MIX(sz_ioremap)},
    {"pci_iomap_range", IO, SH_SIZES, 64, 30, MIX(sz_ioremap)},
    {"_xfs_buf_map_pages", VMAP, SH_SIZES, 64, 80, MIX(sz_vmap)},
    {"ion_heap_map_kernel", VMAP, SH_SIZES, 32, 60, MIX(sz_vmap)},
    {NULL, RAM, SH_SIZES, 0, 120, MIX(sz_map_ram)},
};

/* Drivers mapping their registers at probe. */
static const struct caller_mix dev_ioremap[] = {
    {"of_iomap", IO, SH_SIZES, 0, 40, MIX(sz_ioremap)},
    {"devm_ioremap", IO, SH_SIZES, 0, 40, MIX(sz_ioremap)},
    {"devm_ioremap_nocache", IO, SH_SIZES, 32, 10, MIX(sz_ioremap)},
    {"__arm_ioremap_pfn", IO, SH_SIZES, 32, 5, MIX(sz_ioremap)},
    {"pci_iomap_range", IO, SH_SIZES, 64, 30, MIX(sz_ioremap)},
    {"ioremap_wc", IO, SH_SIZES, 0, 3, MIX(sz_fb)},
};

/* What a module's init allocates for itself. */
static const struct caller_mix mod_own[] = {
    {"xt_alloc_table_info", VM, SH_SIZES, 0, 3, MIX(sz_xt)},
    {"ebt_register_table", VM, SH_SIZES, 0, 2, MIX(sz_page)},
    {"deflate_init", VM, SH_SIZES, 0, 2, MIX(sz_driver)},
    {"crypto_scomp_init_tfm", VM, SH_SIZES, 0, 2, MIX(sz_driver)},
    {"RtmpOSNetDevOpsAlloc", VM, SH_SIZES, 32, 2, MIX(sz_page)},
    {"netvsc_device_add", VM, SH_SIZES, 64, 1, MIX(sz_driver)},
};

/* Filesystems mounting and buffers mapped for the CPU: raw flash
 * (ubi/ubifs) and ION buffers on 32-bit devices, xfs buffers on 64-bit
 * machines, vm_map_ram on both. */
static const struct caller_mix storage[] = {
    {"ubi_attach_mtd_dev", VM, SH_SIZES, 32, 2, MIX(sz_flash)},
    {"ubi_read_volume_table", VM, SH_SIZES, 32, 1, MIX(sz_xt)},
    {"ubifs_mount", VM, SH_SIZES, 32, 3, MIX(sz_flash)},
    {"ubifs_lpt_init", VM, SH_SIZES, 32, 2, MIX(sz_driver)},
    {"ion_heap_map_kernel", VMAP, SH_SIZES, 32, 2, MIX(sz_vmap)},
    {"_xfs_buf_map_pages", VMAP, SH_SIZES, 64, 6, MIX(sz_vmap)},
    {NULL, RAM, SH_SIZES, 0, 3, MIX(sz_map_ram)},
};

#undef VM
#undef IO
#undef VMAP
#undef RAM
#undef MOD

/* The weight of a caller on this machine: 0 when its width differs, or
 * for stacks where they are not vmalloc'ed. */
static uint64_t caller_weight(const struct gen *g, const struct caller_mix *m)
{
	if ((m->bits && m->bits != g->bits) || (m->shape == SH_STACK && !g->stacks))
		return 0;
	return m->weight;
}

/* A caller by weight among those of this machine's width. */
static const struct caller_mix *pick_caller(struct gen *g, const struct caller_mix *t,
                                            size_t n)
{
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += caller_weight(g, &t[i]);
	uint64_t x = rng_below(&g->r, total);
	for (size_t i = 0;; i++) {
		uint64_t w = caller_weight(g, &t[i]);
		if (x < w)
			return &t[i];
		x -= w;
	}
}

static uint64_t alloc_from(struct gen *g, const struct caller_mix *m)
{
	if (m->shape == SH_STACK)
		return alloc_stack(g, g->fork);
	return alloc_sized(g, m->kind, m->sizes, m->caller);
}

#define ALLOC_ONE(g, table) alloc_from((g), pick_caller((g), (table), NELEM(table)))

/* ---- churn -------------------------------------------------------------- */

/* One step: below the target every step allocates (the ramp-up); at or
 * above it a coin slightly biased to freeing decides, so the live count
 * stays within a few dozen of the target instead of wandering off. A
 * module-space allocation sometimes ends in a purge: set_memory_ro() on
 * new text flushes lazy areas through vm_unmap_aliases(). */
static void churn_step(struct gen *g, struct pool *live, uint64_t target)
{
	if (live->ids.n < target || rng_chance(&g->r, 7, 16)) {
		const struct caller_mix *m = pick_caller(g, churn_mix, NELEM(churn_mix));
		pool_add(live, alloc_from(g, m));
		if (m->kind == VMS_SK_MODULE && rng_chance(&g->r, 1, 256))
			emit_purge(g);
		return;
	}
	emit_free(g, pool_take(live, &g->r));
}

static void gen_churn(struct gen *g, uint64_t target)
{
	struct pool live = {0};
	while (g->left)
		churn_step(g, &live, target);
	free(live.ids.v);
}

/* ---- leak --------------------------------------------------------------- */

#define LEAK_CALLER "kvmalloc_node"

/* An eighth of the steps allocate for the leaking caller, one page more
 * every 32 allocations (a table that grows and whose old copies are never
 * freed); the rest is churn. On a small window it ends in failures, as
 * such a leak does. */
static void gen_leak(struct gen *g, uint64_t target)
{
	struct pool live = {0};
	uint64_t k = 0;
	while (g->left) {
		if (!rng_chance(&g->r, 1, 8)) {
			churn_step(g, &live, target);
			continue;
		}
		uint64_t pages = 1 + k++ / 32;
		uint64_t size = pages <= g->cap / g->page ? pages * g->page : g->cap;
		emit_alloc(g, VMS_SK_VMALLOC, size, 0, LEAK_CALLER);
	}
	free(live.ids.v);
}

/* ---- frag --------------------------------------------------------------- */

#define FRAG_CALLER "long_busy_list_alloc_test"

/* One round of the test's loop: a large request and a one-page one, both
 * freed again. The kernel's large request is 100 pages; here it is that a
 * quarter of the time and 16–64 pages otherwise, so the holes left by
 * purges come in several sizes. Every 16 rounds or so one page of the busy
 * list is freed and another allocated: the list's holes move, as on a
 * system that keeps running (the kernel test keeps its list fixed). */
static void frag_round(struct gen *g, struct pool *busy)
{
	uint64_t pages = rng_chance(&g->r, 1, 4) ? 100 : rng_range(&g->r, 16, 64);
	uint64_t big = emit_alloc(g, VMS_SK_VMALLOC, page_fit(g, pages * g->page, g->cap),
	                          0, FRAG_CALLER);
	uint64_t one = emit_alloc(g, VMS_SK_VMALLOC, g->page, 0, FRAG_CALLER);
	emit_free(g, big);
	emit_free(g, one);
	if (busy->ids.n && rng_chance(&g->r, 1, 16)) {
		emit_free(g, pool_take(busy, &g->r));
		pool_add(busy, emit_alloc(g, VMS_SK_VMALLOC, g->page, 0, FRAG_CALLER));
	}
}

static void gen_frag(struct gen *g, uint64_t nbusy)
{
	struct pool busy = {0};
	uint64_t width = g->bits / 8;
	/* the test's array of pointers to the busy list: vmalloc(n * sizeof(void *)) */
	uint64_t arr = nbusy < g->cap / width ? nbusy * width : g->cap;
	emit_alloc(g, VMS_SK_VMALLOC, page_fit(g, arr, g->cap), 0, FRAG_CALLER);
	for (uint64_t i = 0; i < nbusy && g->left; i++)
		pool_add(&busy, emit_alloc(g, VMS_SK_VMALLOC, g->page, 0, FRAG_CALLER));
	while (g->left)
		frag_round(g, &busy);
	free(busy.ids.v);
}

/* ---- boot --------------------------------------------------------------- */

struct boot {
	struct gen *g;
	bool big;              /* a 64-bit machine: NUMA hashes, ACPI, PCI, more */
	uint64_t unit;         /* percpu unit size, bytes */
	uint64_t reprobe;      /* probes deferred, to be retried */
	struct pool transient; /* freed before boot ends: exits, closes, reloads */
};

/* Frees a random transient area now and then, so exits interleave with
 * the work that follows instead of coming in one batch. */
static void maybe_exit(struct boot *b)
{
	if (b->transient.ids.n > 4 && rng_chance(&b->g->r, 1, 3))
		emit_free(b->g, pool_take(&b->transient, &b->g->r));
}

/* alloc_large_system_hash() tables on a 64-bit NUMA machine, where hashdist
 * sends them to __vmalloc (dentry, inode, TCP established and bind, UDP,
 * UDP-Lite, futex, mount, mountpoint, ...): 8 MiB down to 8 KiB as
 * printed on x86_64. Elsewhere they come from memblock or the page
 * allocator and are not listed. */
static void boot_hashes(struct boot *b)
{
	static const uint8_t order[] = {23, 22, 21, 20, 18, 18, 16, 15, 14, 13};
	if (!b->big)
		return;
	for (size_t i = 0; i < NELEM(order); i++) {
		uint64_t size = (uint64_t)1 << (order[i] - rng_below(&b->g->r, 2));
		emit_alloc(b->g, VMS_SK_VMALLOC, page_fit(b->g, size, b->g->cap), 0,
		           "alloc_large_system_hash");
	}
}

/* A dynamic per-cpu chunk: one unit per CPU, rounded to the atom (2 MiB
 * PMD on x86_64, which also aligns it; a page elsewhere), plus its
 * allocation maps, vmalloc'ed by pcpu_mem_zalloc() when over a page. */
static void boot_percpu(struct boot *b)
{
	struct gen *g = b->g;
	uint64_t atom = g->atom <= g->cap ? g->atom : g->page;
	uint64_t size = b->unit * g->cpus;
	size = (size + atom - 1) & ~(atom - 1);
	size = size <= g->cap ? size : g->cap & ~(atom - 1);
	emit_alloc(g, VMS_SK_PERCPU, size, atom, "pcpu_get_vm_areas");
	uint64_t map = b->unit / 32; /* a bit per 4-byte allocation unit */
	if (map <= g->page)
		return;
	emit_alloc(g, VMS_SK_VMALLOC, page_fit(g, map, g->cap), 0, "pcpu_mem_zalloc");
	emit_alloc(g, VMS_SK_VMALLOC, page_fit(g, map + 8, g->cap), 0, "pcpu_mem_zalloc");
}

/* The secondary CPUs' idle threads, then kernel threads: five per CPU
 * (cpuhp, migration, ksoftirqd, two kworkers) and a few dozen global
 * ones; async init workers among them exit again. */
static void boot_kthreads(struct boot *b)
{
	struct gen *g = b->g;
	for (unsigned cpu = 1; cpu < g->cpus; cpu++)
		alloc_stack(g, "fork_idle");
	uint64_t n = 5 * (uint64_t)g->cpus + 30 + rng_below(&g->r, 20);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t id = alloc_stack(g, g->fork);
		if (rng_chance(&g->r, 1, 8))
			pool_add(&b->transient, id);
		maybe_exit(b);
	}
}

/* ACPI (64-bit servers): tables and operation regions mapped, read and
 * mostly unmapped again (acpi_os_unmap_iomem); a few stay. */
static void boot_acpi(struct boot *b)
{
	struct gen *g = b->g;
	uint64_t n = 20 + rng_below(&g->r, 30);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t id =
		    alloc_sized(g, VMS_SK_IOREMAP, SIZES(sz_acpi), "acpi_os_map_iomem");
		if (rng_chance(&g->r, 4, 5))
			emit_free(g, id);
	}
}

/* The ioremap storm of drivers probing. A probe that defers
 * (-EPROBE_DEFER) gives its mappings back when devres unwinds and is
 * retried later (boot_late). */
static void boot_ioremaps(struct boot *b)
{
	struct gen *g = b->g;
	struct pool deferred = {0};
	if (b->big)
		boot_acpi(b);
	uint64_t n = b->big ? 60 + rng_below(&g->r, 141) : 40 + rng_below(&g->r, 51);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t id = ALLOC_ONE(g, dev_ioremap);
		if (rng_chance(&g->r, 1, 12))
			pool_add(&deferred, id);
	}
	b->reprobe = deferred.ids.n;
	while (deferred.ids.n)
		emit_free(g, pool_take(&deferred, &g->r));
	free(deferred.ids.v);
}

/* One module load: load_module() copies the .ko into vmalloc space (bigger
 * than the core: symbols, relocations), lays out the core and the init
 * section in module space, then frees the copy. The init section goes
 * after init has run, from a workqueue after a grace period (do_free_init):
 * here when the next module loads. */
static void load_one_module(struct boot *b, uint64_t *init_pending)
{
	struct gen *g = b->g;
	uint64_t core = draw_size(g, SIZES(sz_module), g->mod_cap);
	uint64_t image = emit_alloc(
	    g, VMS_SK_VMALLOC, page_fit(g, core + core / 2, g->cap), 0, "load_module");
	emit_alloc(g, VMS_SK_MODULE, core, 0, "module_alloc");
	uint64_t init = 0;
	if (rng_chance(&g->r, 3, 4))
		init = alloc_sized(g, VMS_SK_MODULE, SIZES(sz_mod_init), "module_alloc");
	emit_free(g, image);
	emit_free(g, *init_pending);
	*init_pending = init;
	if (rng_chance(&g->r, 1, 4))
		ALLOC_ONE(g, mod_own);
}

/* Modules, then one purge: making their text read-only (set_memory_ro)
 * flushes the lazy areas through vm_unmap_aliases(). */
static void boot_modules(struct boot *b)
{
	struct gen *g = b->g;
	uint64_t n = b->big ? 30 + rng_below(&g->r, 71) : 10 + rng_below(&g->r, 21);
	uint64_t init_pending = 0;
	for (uint64_t i = 0; i < n; i++)
		load_one_module(b, &init_pending);
	emit_free(g, init_pending);
	emit_purge(g);
}

/* Firmware loads (the image is freed once the driver has consumed it, by
 * release_firmware), the deferred probes retried, filesystems mounted,
 * swap turned on. A vm_map_ram mapping (the journal's) and a vmap (the xfs
 * log buffer; an ION display buffer on a 32-bit phone) stay for good. */
static void boot_late(struct boot *b)
{
	struct gen *g = b->g;
	uint64_t n = 2 + rng_below(&g->r, 5);
	for (uint64_t i = 0; i < n; i++)
		emit_free(
		    g, alloc_sized(g, VMS_SK_VMALLOC, SIZES(sz_fw), "_request_firmware"));
	for (uint64_t i = 0; i < b->reprobe; i++)
		ALLOC_ONE(g, dev_ioremap);
	alloc_sized(g, VMS_SK_VM_MAP_RAM, SIZES(sz_map_ram), NULL);
	alloc_sized(g, VMS_SK_VMAP, SIZES(sz_vmap),
	            g->bits == 64 ? "_xfs_buf_map_pages" : "ion_heap_map_kernel");
	n = b->big ? 8 + rng_below(&g->r, 17) : 4 + rng_below(&g->r, 9);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t id = ALLOC_ONE(g, storage);
		if (rng_chance(&g->r, 1, 4))
			pool_add(&b->transient, id);
	}
	if (rng_chance(&g->r, b->big ? 3 : 1, 4)) {
		/* swap_map: a byte per swap page; the swap cgroup map: two */
		uint64_t bytes = b->big ? GIB(rng_range(&g->r, 1, 16))
		                        : MIB(64) << rng_below(&g->r, 4);
		uint64_t pages = bytes / g->page;
		emit_alloc(g, VMS_SK_VMALLOC, page_fit(g, pages, g->cap), 0,
		           "sys_swapon");
		emit_alloc(g, VMS_SK_VMALLOC, page_fit(g, 2 * pages, g->cap), 0,
		           "swap_cgroup_swapon");
	}
}

/* A BPF program from the init system: the program (bpf_prog_realloc
 * copies it when the verifier grows it; constant blinding works on a clone
 * freed after the JIT), then its JIT image in module space. A fifth are
 * reloaded before boot ends. */
static void boot_bpf_prog(struct boot *b)
{
	struct gen *g = b->g;
	uint64_t size = draw_size(g, SIZES(sz_page), g->cap);
	uint64_t prog = emit_alloc(g, VMS_SK_VMALLOC, size, 0, "bpf_prog_alloc_no_stats");
	if (rng_chance(&g->r, 1, 4)) {
		uint64_t grown =
		    emit_alloc(g, VMS_SK_VMALLOC, page_fit(g, size + g->page, g->cap), 0,
		               "bpf_prog_realloc");
		emit_free(g, prog);
		prog = grown;
	}
	uint64_t clone = 0;
	if (rng_chance(&g->r, 1, 8))
		clone = emit_alloc(g, VMS_SK_VMALLOC, size, 0, "bpf_jit_blind_constants");
	uint64_t jit =
	    alloc_sized(g, VMS_SK_MODULE, SIZES(sz_bpf_jit), "bpf_jit_binary_alloc");
	emit_free(g, clone);
	if (rng_chance(&g->r, 1, 5)) {
		pool_add(&b->transient, prog);
		pool_add(&b->transient, jit);
	}
}

/* User space: BPF programs, processes (most short-lived), ttys (getty,
 * ssh), the netfilter tables (iptables-restore replaces each once in two);
 * then whatever was transient has gone. */
static void boot_userspace(struct boot *b)
{
	struct gen *g = b->g;
	uint64_t n = b->big ? 20 + rng_below(&g->r, 41) : 4 + rng_below(&g->r, 9);
	for (uint64_t i = 0; i < n; i++)
		boot_bpf_prog(b);
	n = b->big ? 100 + rng_below(&g->r, 201) : 40 + rng_below(&g->r, 61);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t id = alloc_stack(g, g->fork);
		if (rng_chance(&g->r, 7, 10))
			pool_add(&b->transient, id);
		maybe_exit(b);
	}
	n = b->big ? 8 + rng_below(&g->r, 17) : 3 + rng_below(&g->r, 6);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t id = alloc_sized(g, VMS_SK_VMALLOC, SIZES(sz_tty), "n_tty_open");
		if (rng_chance(&g->r, 3, 10))
			pool_add(&b->transient, id);
	}
	for (unsigned t = 0; t < (b->big ? 8u : 4u); t++) {
		uint64_t id =
		    alloc_sized(g, VMS_SK_VMALLOC, SIZES(sz_xt), "xt_alloc_table_info");
		if (rng_chance(&g->r, 1, 2)) {
			alloc_sized(g, VMS_SK_VMALLOC, SIZES(sz_xt),
			            "xt_alloc_table_info");
			emit_free(g, id);
		}
	}
	while (b->transient.ids.n)
		emit_free(g, pool_take(&b->transient, &g->r));
}

static void gen_boot(struct gen *g)
{
	struct boot b = {.g = g, .big = g->bits == 64 && g->cap >= MIB(128)};
	/* the percpu unit: ~256 KiB on x86_64 (pcpu-alloc: u262144), 20–40
	 * KiB on 32-bit devices (their chunks are 80–100 KiB on 4 CPUs) */
	b.unit = b.big ? rng_range(&g->r, KIB(192), KIB(320))
	               : rng_range(&g->r, KIB(20), KIB(40));
	b.unit = (b.unit + g->page - 1) & ~(g->page - 1);
	boot_hashes(&b);
	boot_percpu(&b);
	boot_kthreads(&b);
	boot_ioremaps(&b);
	boot_modules(&b);
	boot_percpu(&b); /* the modules' per-cpu data filled the first chunk */
	boot_late(&b);
	boot_userspace(&b);
	if (b.big)
		boot_percpu(&b);
	free(b.transient.ids.v);
}

/* ---- entry -------------------------------------------------------------- */

/* The largest single request: an eighth of the window (devices make no
 * bigger ones, and the window must hold the rest), whole pages, at least
 * one. */
static uint64_t window_cap(uint64_t bytes, uint64_t page)
{
	uint64_t c = (bytes / 8) & ~(page - 1);
	return c ? c : page;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* What the arch and era change in the events (see the config's family). */
static void era_of_machine(struct gen *g, const struct vms_workload_config *c)
{
	const char *f = c->family;
	int era = c->kernel_major * 100 + c->kernel_minor;
	g->stacks = true;
	g->stack_align_shift = g->bits == 64 ? 0 : 1;
	g->fork = "kernel_clone";
	g->atom = g->bits == 64 && g->page == KIB(4) ? MIB(2) : g->page;
	if (!f)
		return;
	bool x86 = !strcmp(f, "x86_64"), arm64 = !strcmp(f, "arm64");
	g->stacks = (x86 && era >= 409) || (arm64 && era >= 414) ||
	            (!strcmp(f, "arm32") && era >= 518);
	/* arm64 and arm32 align a vmap stack to twice its size, x86_64 to
	 * its size */
	g->stack_align_shift = x86 ? 0 : 1;
	g->fork = era && era < 510 ? "_do_fork" : "kernel_clone";
	g->atom = x86 && g->page == KIB(4) ? MIB(2) : g->page;
}

/* Fills g from c with the defaults: 4 KiB pages, 64-bit, a 240 MiB
 * (32-bit) or 32 TiB (64-bit) vmalloc window, 4 CPUs. Ids continue after
 * the largest one already in s, so appending keeps them unique. */
static int gen_init(struct gen *g, struct vms_sim_script *s,
                    const struct vms_workload_config *c)
{
	uint64_t page = c->page_size ? c->page_size : KIB(4);
	unsigned bits = c->addr_bits ? c->addr_bits : 64;
	if (c->workload >= VMS_NR_WORKLOADS || (page & (page - 1)) ||
	    (bits != 32 && bits != 64))
		return -VMS_EINVAL;
	uint64_t window = c->vmalloc_bytes ? c->vmalloc_bytes
	                  : bits == 32     ? MIB(240)
	                                   : TIB(32);
	*g = (struct gen){.s = s, .r = {c->seed}, .page = page, .bits = bits};
	g->cap = window_cap(window, page);
	g->mod_cap = c->module_bytes ? window_cap(c->module_bytes, page) : g->cap;
	g->cpus = c->cpus ? c->cpus : 4;
	g->cpus = g->cpus < 8192 ? g->cpus : 8192; /* NR_CPUS at most */
	g->next_id = 1;
	for (size_t i = 0; i < s->ev.n; i++)
		if (s->ev.v[i].id >= g->next_id)
			g->next_id = s->ev.v[i].id + 1;
	g->left = UINT64_MAX;
	era_of_machine(g, c);
	return 0;
}

int vms_workload_generate(struct vms_sim_script *s, const struct vms_workload_config *c)
{
	struct gen g;
	int rc = gen_init(&g, s, c);
	if (rc)
		return rc;
	switch (c->workload) {
	case VMS_WL_BOOT:
		g.left = c->ops ? c->ops : UINT64_MAX; /* a cut-off boot when asked */
		gen_boot(&g);
		break;
	case VMS_WL_CHURN:
		g.left = c->ops ? c->ops : 10000;
		gen_churn(&g, c->live ? c->live : 1000);
		break;
	case VMS_WL_LEAK:
		g.left = c->ops ? c->ops : 10000;
		gen_leak(&g, c->live ? c->live : 256);
		break;
	default: /* VMS_WL_FRAG; gen_init refused anything else */
		g.left = sat_add(sat_add(1, c->live ? c->live : 10000),
		                 c->ops ? c->ops : 10000);
		gen_frag(&g, c->live ? c->live : 10000);
		break;
	}
	return 0;
}
