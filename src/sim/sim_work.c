/*
 * sim_work.c — the simulator's workloads: event scripts, generated from a
 * seed, that do to the vmalloc space what real systems do to it.
 *
 *  boot   a device coming up, from the system hashes to user space
 *         (sim_work_boot.c).
 *  churn  random alloc/free around `live` areas (default 1000), `ops`
 *         events (default 10000), with a per-caller size mix.
 *  leak   one caller (kvmalloc_node) allocating ever larger areas it never
 *         frees, among light churn (default 256 live).
 *  frag   the long-busy-list stress of the kernel's lib/test_vmalloc.c:
 *         `live` one-page areas (default 10000), then `ops` events (default
 *         10000) of large requests allocated and freed in between.
 *
 * This file also owns what every workload draws with: the size classes
 * that more than one workload uses, the size draw, kernel stacks, and the
 * pick of a caller from a table (sim_work_int.h declares them; the random
 * stream, the live pools and the emitters live there).
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
#include "sim_work_int.h"

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

/* ---- sizes -------------------------------------------------------------- */

/* The tables not static here are the boot sequence's too (declared in
 * sim_work_int.h); those boot alone uses are in sim_work_boot.c. */

/* ioremap: one-page register blocks dominate (286 of ~450 ioremap lines in
 * samples/), then 8–64 KiB blocks; MiB windows (SRAM, BARs, serdes) are
 * rare; 64 MiB is the largest seen. */
const struct size_class wl_sz_ioremap[] = {
    {600, true, KIB(4), KIB(4)},   {220, true, KIB(8), KIB(64)},
    {50, false, KIB(8), KIB(512)}, {90, true, KIB(128), MIB(1)},
    {32, true, MIB(2), MIB(16)},   {8, true, MIB(32), MIB(64)},
};
/* Module cores (module_alloc*, move_module, layout_and_allocate lines):
 * 8 KiB to 3 MiB, most between 16 and 300 KiB. */
const struct size_class wl_sz_module[] = {
    {300, false, KIB(8), KIB(32)},
    {450, false, KIB(32), KIB(256)},
    {200, false, KIB(256), MIB(1)},
    {50, false, MIB(1), MIB(3)},
};
/* A page, now and then up to 16 KiB: BPF programs (the bpf_prog_alloc
 * lines in samples/ are all one page), ebtables and wifi driver blobs. */
const struct size_class wl_sz_page[] = {{9, false, KIB(4), KIB(4)},
                                        {1, false, KIB(5), KIB(16)}};
/* BPF JIT images: 1–3 pages. */
const struct size_class wl_sz_bpf_jit[] = {{7, false, KIB(1), KIB(4)},
                                           {3, false, KIB(5), KIB(32)}};
/* BPF maps: hash and array maps bigger than a page. */
static const struct size_class sz_bpf_map[] = {
    {70, false, KIB(8), KIB(64)},
    {25, false, KIB(64), MIB(1)},
    {5, false, MIB(1), MIB(4)},
};
/* n_tty_open: struct n_tty_data, a little over 8 KiB (pages=3). */
const struct size_class wl_sz_tty[] = {{1, false, KIB(9), KIB(12)}};
/* xt_alloc_table_info, ebt_register_table: netfilter rule blobs. */
const struct size_class wl_sz_xt[] = {{1, false, KIB(8), KIB(32)}};
/* pcpu_mem_zalloc: chunk maps (2 pages), sometimes a large one. */
static const struct size_class sz_pcpu_map[] = {{8, false, KIB(8), KIB(8)},
                                                {2, false, KIB(64), KIB(512)}};
/* vmap: xfs buffers (9-page lines), ION/DRM buffers mapped for the CPU. */
const struct size_class wl_sz_vmap[] = {{8, false, KIB(8), KIB(64)},
                                        {2, false, KIB(64), MIB(1)}};
/* vm_map_ram: mostly a few pages (served from per-cpu blocks), sometimes
 * beyond VMAP_MAX_ALLOC pages (an area of its own). */
const struct size_class wl_sz_map_ram[] = {{9, false, KIB(4), KIB(64)},
                                           {1, false, KIB(256), MIB(1)}};

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

/* A size from m, no larger than cap: a class first, then within its range
 * (clipped to cap) a power of two, or an octave and a size inside it. */
uint64_t wl_draw_size(struct gen *g, struct size_mix m, uint64_t cap)
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

uint64_t wl_alloc_sized(struct gen *g, unsigned kind, struct size_mix m,
                        const char *caller)
{
	return emit_alloc(g, kind, wl_draw_size(g, m, kind_cap(g, kind)), 0, caller);
}

/* A vmap'ed kernel stack: THREAD_SIZE 16 KiB on 64-bit (x86_64, arm64;
 * one page when pages are bigger) aligned to THREAD_ALIGN = THREAD_SIZE
 * (x86_64); 8 KiB on 32-bit (arm VMAP_STACK, 5.18+) aligned to twice
 * that, so an overflow shows in one bit of the stack pointer. */
uint64_t wl_alloc_stack(struct gen *g, const char *caller)
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
    {"n_tty_open", VM, SH_SIZES, 0, 40, MIX(wl_sz_tty)},
    {"pcpu_mem_zalloc", VM, SH_SIZES, 0, 15, MIX(sz_pcpu_map)},
    {"bpf_prog_alloc_no_stats", VM, SH_SIZES, 0, 60, MIX(wl_sz_page)},
    {"bpf_jit_binary_alloc", MOD, SH_SIZES, 0, 60, MIX(wl_sz_bpf_jit)},
    {"bpf_map_area_alloc", VM, SH_SIZES, 0, 40, MIX(sz_bpf_map)},
    {"xt_alloc_table_info", VM, SH_SIZES, 0, 15, MIX(wl_sz_xt)},
    {"load_module", VM, SH_SIZES, 0, 10, MIX(wl_sz_module)},
    {"module_alloc", MOD, SH_SIZES, 0, 15, MIX(wl_sz_module)},
    {"of_iomap", IO, SH_SIZES, 0, 40, MIX(wl_sz_ioremap)},
    {"devm_ioremap", IO, SH_SIZES, 0, 50, MIX(wl_sz_ioremap)},
    {"pci_iomap_range", IO, SH_SIZES, 64, 30, MIX(wl_sz_ioremap)},
    {"_xfs_buf_map_pages", VMAP, SH_SIZES, 64, 80, MIX(wl_sz_vmap)},
    {"ion_heap_map_kernel", VMAP, SH_SIZES, 32, 60, MIX(wl_sz_vmap)},
    {NULL, RAM, SH_SIZES, 0, 120, MIX(wl_sz_map_ram)},
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
const struct caller_mix *wl_pick_caller(struct gen *g, const struct caller_mix *t,
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

uint64_t wl_alloc_from(struct gen *g, const struct caller_mix *m)
{
	if (m->shape == SH_STACK)
		return wl_alloc_stack(g, g->fork);
	return wl_alloc_sized(g, m->kind, m->sizes, m->caller);
}

/* ---- churn -------------------------------------------------------------- */

/* One step: below the target every step allocates (the ramp-up); at or
 * above it a coin slightly biased to freeing decides, so the live count
 * stays within a few dozen of the target instead of wandering off. A
 * module-space allocation sometimes ends in a purge: set_memory_ro() on
 * new text flushes lazy areas through vm_unmap_aliases(). */
static void churn_step(struct gen *g, struct pool *live, uint64_t target)
{
	if (live->ids.n < target || rng_chance(&g->r, 7, 16)) {
		const struct caller_mix *m =
		    wl_pick_caller(g, churn_mix, NELEM(churn_mix));
		pool_add(live, wl_alloc_from(g, m));
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
		wl_gen_boot(&g);
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
