/*
 * sim_work_boot.c — the boot workload: the events of a device coming up,
 * generated from a seed (sim_work.c has the other workloads and the entry
 * point, vms_workload_generate()).
 *
 * In order: on 64-bit NUMA machines the system hashes; per-cpu chunks;
 * idle and kernel-thread stacks; an ioremap storm of probing drivers (with
 * ACPI maps on 64-bit), some deferred and retried late; module loads
 * (image copy, core, init section) ending in a purge; firmware,
 * filesystems (vmap, vm_map_ram), swap; then user space: BPF programs,
 * processes, ttys, netfilter tables. Init-time buffers are freed on the
 * way; what remains is what a running device lists. A few hundred events
 * on a 32-bit device, one to two thousand on a 64-bit machine ("big": 64
 * bits and a largest request, an eighth of the window, of 128 MiB or more).
 *
 * The steps draw from the one stream in a fixed order, so the sequence is
 * as deterministic as the rest of the generator. Invariants: every free
 * names an area made earlier in boot and not freed since: a step frees
 * what it made itself (deferred probes, image copies, firmware, replaced
 * tables), a module's init section goes when the next module loads, and
 * the rest goes through the transient pool, which is empty when boot
 * ends. The ops budget may cut the sequence anywhere (a cut-off id is 0
 * and never freed).
 *
 * Cost: O(events) time; memory O(transient areas) besides the script.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "vmscope/sim.h"
#include "sim_work_int.h"

/* ---- sizes and callers of boot alone ------------------------------------ */

/* ioremap_wc: framebuffers and prefetchable BARs. */
static const struct size_class sz_fb[] = {{1, true, MIB(1), MIB(16)}};
/* ACPI tables and operation regions: mostly a page. */
static const struct size_class sz_acpi[] = {{8, false, KIB(4), KIB(4)},
                                            {2, false, KIB(5), KIB(64)}};
/* Module init sections, freed once the module's init has run. */
static const struct size_class sz_mod_init[] = {{1, false, KIB(4), KIB(32)}};
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

#define VM   VMS_SK_VMALLOC
#define IO   VMS_SK_IOREMAP
#define VMAP VMS_SK_VMAP
#define RAM  VMS_SK_VM_MAP_RAM

/* Drivers mapping their registers at probe. */
static const struct caller_mix dev_ioremap[] = {
    {"of_iomap", IO, SH_SIZES, 0, 40, MIX(wl_sz_ioremap)},
    {"devm_ioremap", IO, SH_SIZES, 0, 40, MIX(wl_sz_ioremap)},
    {"devm_ioremap_nocache", IO, SH_SIZES, 32, 10, MIX(wl_sz_ioremap)},
    {"__arm_ioremap_pfn", IO, SH_SIZES, 32, 5, MIX(wl_sz_ioremap)},
    {"pci_iomap_range", IO, SH_SIZES, 64, 30, MIX(wl_sz_ioremap)},
    {"ioremap_wc", IO, SH_SIZES, 0, 3, MIX(sz_fb)},
};

/* What a module's init allocates for itself. */
static const struct caller_mix mod_own[] = {
    {"xt_alloc_table_info", VM, SH_SIZES, 0, 3, MIX(wl_sz_xt)},
    {"ebt_register_table", VM, SH_SIZES, 0, 2, MIX(wl_sz_page)},
    {"deflate_init", VM, SH_SIZES, 0, 2, MIX(sz_driver)},
    {"crypto_scomp_init_tfm", VM, SH_SIZES, 0, 2, MIX(sz_driver)},
    {"RtmpOSNetDevOpsAlloc", VM, SH_SIZES, 32, 2, MIX(wl_sz_page)},
    {"netvsc_device_add", VM, SH_SIZES, 64, 1, MIX(sz_driver)},
};

/* Filesystems mounting and buffers mapped for the CPU: raw flash
 * (ubi/ubifs) and ION buffers on 32-bit devices, xfs buffers on 64-bit
 * machines, vm_map_ram on both. */
static const struct caller_mix storage[] = {
    {"ubi_attach_mtd_dev", VM, SH_SIZES, 32, 2, MIX(sz_flash)},
    {"ubi_read_volume_table", VM, SH_SIZES, 32, 1, MIX(wl_sz_xt)},
    {"ubifs_mount", VM, SH_SIZES, 32, 3, MIX(sz_flash)},
    {"ubifs_lpt_init", VM, SH_SIZES, 32, 2, MIX(sz_driver)},
    {"ion_heap_map_kernel", VMAP, SH_SIZES, 32, 2, MIX(wl_sz_vmap)},
    {"_xfs_buf_map_pages", VMAP, SH_SIZES, 64, 6, MIX(wl_sz_vmap)},
    {NULL, RAM, SH_SIZES, 0, 3, MIX(wl_sz_map_ram)},
};

#undef VM
#undef IO
#undef VMAP
#undef RAM

/* ---- the sequence ------------------------------------------------------- */

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
		wl_alloc_stack(g, "fork_idle");
	uint64_t n = 5 * (uint64_t)g->cpus + 30 + rng_below(&g->r, 20);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t id = wl_alloc_stack(g, g->fork);
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
		uint64_t id = wl_alloc_sized(g, VMS_SK_IOREMAP, SIZES(sz_acpi),
		                             "acpi_os_map_iomem");
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
	uint64_t core = wl_draw_size(g, SIZES(wl_sz_module), g->mod_cap);
	uint64_t image = emit_alloc(
	    g, VMS_SK_VMALLOC, page_fit(g, core + core / 2, g->cap), 0, "load_module");
	emit_alloc(g, VMS_SK_MODULE, core, 0, "module_alloc");
	uint64_t init = 0;
	if (rng_chance(&g->r, 3, 4))
		init =
		    wl_alloc_sized(g, VMS_SK_MODULE, SIZES(sz_mod_init), "module_alloc");
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
		emit_free(g, wl_alloc_sized(g, VMS_SK_VMALLOC, SIZES(sz_fw),
		                            "_request_firmware"));
	for (uint64_t i = 0; i < b->reprobe; i++)
		ALLOC_ONE(g, dev_ioremap);
	wl_alloc_sized(g, VMS_SK_VM_MAP_RAM, SIZES(wl_sz_map_ram), NULL);
	wl_alloc_sized(g, VMS_SK_VMAP, SIZES(wl_sz_vmap),
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
	uint64_t size = wl_draw_size(g, SIZES(wl_sz_page), g->cap);
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
	uint64_t jit = wl_alloc_sized(g, VMS_SK_MODULE, SIZES(wl_sz_bpf_jit),
	                              "bpf_jit_binary_alloc");
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
		uint64_t id = wl_alloc_stack(g, g->fork);
		if (rng_chance(&g->r, 7, 10))
			pool_add(&b->transient, id);
		maybe_exit(b);
	}
	n = b->big ? 8 + rng_below(&g->r, 17) : 3 + rng_below(&g->r, 6);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t id =
		    wl_alloc_sized(g, VMS_SK_VMALLOC, SIZES(wl_sz_tty), "n_tty_open");
		if (rng_chance(&g->r, 3, 10))
			pool_add(&b->transient, id);
	}
	for (unsigned t = 0; t < (b->big ? 8u : 4u); t++) {
		uint64_t id = wl_alloc_sized(g, VMS_SK_VMALLOC, SIZES(wl_sz_xt),
		                             "xt_alloc_table_info");
		if (rng_chance(&g->r, 1, 2)) {
			wl_alloc_sized(g, VMS_SK_VMALLOC, SIZES(wl_sz_xt),
			               "xt_alloc_table_info");
			emit_free(g, id);
		}
	}
	while (b->transient.ids.n)
		emit_free(g, pool_take(&b->transient, &g->r));
}

void wl_gen_boot(struct gen *g)
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
