/*
 * aspace.h — the address-space model every command reads (check, report,
 * diff, fit, sim, view): a dump's areas placed in the kernel's virtual
 * address space the way the kernel keeps them.
 *
 *  - Regions: from the boot log (source "log"), else from the arch profile
 *    of the dump's arch and era ("profile"), else inferred from the areas
 *    ("inferred"); the model says which, and why.
 *  - Guard pages: per area, whether its last page is a guard page and, when
 *    not, which kernel path made it without one (docs/kernel.md §3).
 *  - The busy tree of areas by start, and one free tree of holes (augmented
 *    with subtree_max_size) per allocation window: the vmalloc region and
 *    the modules region when it lies apart, in address order. Holes are the space between
 * an area's end (guard page included) and the next area's start.
 *  - Only areas with trusted geometry enter the trees. A dump whose
 *    addresses are hashed, zeroed or "(ptrval)" builds no geometry at all
 *    (geometry false, with the reason), and everything that needs no
 *    address still works.
 *
 * The model borrows the dump (which must outlive it and not change) and
 * owns the rest. Build: O(n) for a sorted dump, O(n log n) otherwise.
 */
#ifndef VMS_ASPACE_H
#define VMS_ASPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/dump.h"
#include "vmscope/profile.h"
#include "vmscope/vmap.h"

/* Whether an area ends in a guard page, and why not when it does not. */
enum vms_guard {
	VMS_GUARD_YES = 0,    /* vmalloc, vmap, ioremap: the last page */
	VMS_GUARD_STATIC,     /* iotable_init, vm_area_add_early, ARM reserved
	                         maps (pmd_empty_section_gap, pci_reserve_io) */
	VMS_GUARD_PERCPU,     /* pcpu_get_vm_areas chunks */
	VMS_GUARD_VM_MAP_RAM, /* vm_map_ram blocks */
	VMS_GUARD_UNPURGED,   /* lazily freed, not yet purged */
	VMS_GUARD_NO_GUARD,   /* VM_NO_GUARD: size == pages * PAGE_SIZE */
	VMS_NR_GUARDS
};
/* "guard", "static", "percpu", "vm_map_ram", "unpurged", "no-guard". */
const char *vms_guard_name(enum vms_guard g);

/*
 * What an area is used for: one kind per area, the classes `report`,
 * `diff` and the viewer count and colour by (docs/report.md "Kinds"). The
 * first that applies wins: vm_map_ram and unpurged lines by their kind;
 * per-cpu chunks by their caller (pcpu_get_vm_areas, the first chunk);
 * module memory by its allocator (module_alloc, execmem_alloc, the KASAN
 * module shadow) or by lying in module space; then the flag words ioremap,
 * vmap (dma-coherent counts as vmap: it is a vmap() of DMA pages), user
 * (vmalloc_user) and vmalloc; "other" for an area with none of these.
 */
enum vms_akind {
	VMS_AK_VMALLOC = 0,
	VMS_AK_IOREMAP,
	VMS_AK_VMAP,
	VMS_AK_USER,
	VMS_AK_VM_MAP_RAM,
	VMS_AK_UNPURGED,
	VMS_AK_PERCPU,
	VMS_AK_MODULE,
	VMS_AK_OTHER,
	VMS_NR_AKINDS
};
/* "vmalloc", "ioremap", "vmap", "user", "vm_map_ram", "unpurged",
 * "percpu", "module", "other". */
const char *vms_akind_name(enum vms_akind k);

/*
 * Where a window's bounds come from when not from its region: the areas
 * bound it where the region's bounds are guesses, so no free space is
 * claimed that the kernel may not have (a linear map below a guessed
 * VMALLOC_START, space above the per-cpu chunks that VMALLOC_END of
 * another era or config would cut).
 */
enum vms_window_bounds {
	VMS_WB_LOW_AREA = 1u << 0,    /* starts at the lowest area the
	                                 allocator placed (static maps left
	                                 out): the
	                                 region's start was the lowest the
	                                 kernel could have (high_memory unknown) */
	VMS_WB_HIGH_PERCPU = 1u << 1, /* ends at the highest area the
	                                 allocator placed (static maps left
	                                 out), a pcpu_get_vm_areas chunk
	                                 among them:
	                                 chunks are placed top-down from
	                                 VMALLOC_END, and the profile's end
	                                 lies more than 2 MiB above */
	VMS_WB_SPAN = 1u << 2,        /* the region is the span of the areas
	                                 (inferred): no free space beyond */
};

/*
 * What /proc/meminfo's VmallocUsed and VmallocChunk mean on the dump's
 * kernel (docs/kernel.md §10), read from the values first (only kernels
 * before the 4.4 removal print a non-zero VmallocChunk; 0 and 0 means
 * nothing was computed) and from the version where the values leave it
 * open.
 */
enum vms_meminfo_era {
	VMS_MI_NONE = 0, /* no VmallocUsed line */
	VMS_MI_UNKNOWN,  /* read, but neither the values nor the version
	                    tell the era */
	VMS_MI_SPACE,    /* <= 4.3: bytes of the areas in [VMALLOC_START,
	                    VMALLOC_END) and the largest hole there */
	VMS_MI_ZERO,     /* 4.4 - 5.2: both printed as 0 */
	VMS_MI_PAGES,    /* 5.3+: VmallocUsed = vmalloc'ed pages, Chunk 0 */
};
/* "none", "unknown", "space", "zero", "pages". */
const char *vms_meminfo_era_name(enum vms_meminfo_era e);

/* The dump's areas against the input's /proc/meminfo (aspace_meminfo.c). */
struct vms_meminfo_cmp {
	uint8_t era;          /* enum vms_meminfo_era */
	bool era_conflict;    /* the values are of an era the printed kernel
	                         version is not (meminfo of another kernel):
	                         nothing is compared */
	bool has_total;       /* VmallocTotal was read ... */
	uint64_t region_kb;   /* ... and the vmalloc region's size >> 10 */
	bool total_set_start; /* it placed the profile's guessed VMALLOC_START */
	bool compared;        /* the dump's figures below were computed */
	uint64_t used_kb;     /* what the kernel would print for the dump:
	                         VMS_MI_SPACE: sizes in the region >> 10;
	                         VMS_MI_PAGES: pages= of vmalloc areas, kB */
	bool has_chunk;       /* VMS_MI_SPACE with kernel bounds: */
	uint64_t chunk_kb;    /* the largest hole there >> 10 */
	uint64_t chunk_start; /* ... and where it starts */
	/* the dump lists far less than VmallocUsed counts (under
	 * VMS_MEMINFO_COMPLETE_PCT percent): a cut paste; its holes are no
	 * free space. The reason, or NULL. */
	const char *incomplete;
};
/* Percent of VmallocUsed a complete dump accounts for, at least. */
#define VMS_MEMINFO_COMPLETE_PCT 75

/* An allocation window with its free tree (the vmalloc space, modules). */
struct vms_window {
	uint32_t region;      /* index into regions */
	uint8_t bounds;       /* enum vms_window_bounds; 0: the region's */
	uint64_t start, end;  /* the window, half-open */
	struct vms_free free; /* its holes */
	uint64_t used;        /* bytes of areas inside (clipped to it) */
	uint32_t nr_areas;    /* areas inside */
};

struct vms_aspace {
	const struct vms_dump *dump;       /* borrowed */
	const struct vms_profile *profile; /* NULL when the arch is unknown */
	const char *arch;                  /* family name, or NULL */
	const char *arch_source;           /* evidence, or why unknown (borrowed/owned) */
	uint64_t page_size;
	int kernel_major, kernel_minor; /* the dump's era (0.0 unknown) */

	/* regions, in ascending start order */
	uint8_t layout_source;  /* enum vms_region_source of the vmalloc region */
	const char *layout_why; /* one line: where the regions came from */
	VMS_VEC(struct vms_region) regions;

	/* geometry */
	bool geometry;           /* addresses are real: the trees are built */
	const char *no_geometry; /* why not (and how to get real addresses) */
	/* why the holes are no free space, or NULL: the dump is incomplete
	 * (meminfo.incomplete) or a filtered listing (grep ... vmallocinfo) */
	const char *not_free;
	uint8_t *guard;  /* per area: enum vms_guard */
	uint8_t *kind;   /* per area: enum vms_akind */
	uint32_t *order; /* trusted areas sorted by (start, index) */
	size_t nr_order;
	struct vms_busy busy; /* trusted areas by start */
	VMS_VEC(struct vms_window) windows;

	struct vms_meminfo_cmp meminfo; /* era NONE and no total: none read */

	struct vms_arena arena; /* owns strings of the model */
};

/*
 * Builds the model of dump d (borrowed; it must outlive the model). arch
 * names an --arch profile to use (NULL: the dump's inferred arch and era).
 * Returns a new model; free with vms_aspace_free(). Never fails: what
 * cannot be known is said (layout_why, no_geometry).
 */
struct vms_aspace *vms_aspace_build(const struct vms_dump *d, const char *arch);
void vms_aspace_free(struct vms_aspace *m);

/* True for the region kinds areas may be allocated in: the vmalloc space,
 * module space, and ranges arches reserve (KASAN shadow, PCI I/O, regions
 * of no known kind). */
bool vms_region_allocatable(unsigned kind);
/* The region holding addr (lowest start first), or NULL. O(regions). */
const struct vms_region *vms_aspace_region_of(const struct vms_aspace *m, uint64_t addr);
/* The vmalloc region, or NULL. */
const struct vms_region *vms_aspace_vmalloc(const struct vms_aspace *m);
/* The window of the vmalloc region (windows are in address order, so
 * module space below it comes first), or NULL. */
const struct vms_window *vms_aspace_vmalloc_window(const struct vms_aspace *m);
/*
 * The alignment __get_vm_area_node() gives an ioremap of request bytes
 * (docs/kernel.md §5.1) on this model's arch and era: 4.9+ rounds the
 * page-aligned request up to a power of two, earlier kernels take
 * 2^fls(request) (twice the size for an exact power of two; the era
 * unknown: the 4.9+ rule); both floored at a page and capped at
 * IOREMAP_MAX_ORDER, the largest the arch and era allow when the kernel
 * config decides (a fit found with it holds under either). O(1).
 */
uint64_t vms_aspace_ioremap_align(const struct vms_aspace *m, uint64_t request);
/* Position in order[] of the first trusted area starting at or after
 * addr (nr_order when none). O(log n). */
size_t vms_aspace_first_at(const struct vms_aspace *m, uint64_t addr);
/* Where to start walking the areas that reach into [addr, ...): the
 * position of vms_aspace_first_at(), or the one before it when that area
 * reaches past addr. O(log n). */
size_t vms_aspace_first_over(const struct vms_aspace *m, uint64_t addr);
/* How to get real addresses when the dump has none (one sentence), or
 * NULL when it has them. */
const char *vms_aspace_address_hint(const struct vms_aspace *m);
/* Guard bytes at the end of area i (page_size or 0). */
uint64_t vms_aspace_guard_bytes(const struct vms_aspace *m, size_t i);

/*
 * Recomputes the model's invariants from scratch: the busy tree and every
 * free tree (vms_busy_validate, vms_free_validate), the sort order, and that
 * each window's holes are exactly the gaps between its areas. Returns 0, or
 * -VMS_EINVAL with a reason in why[0..len). O(n).
 */
int vms_aspace_validate(const struct vms_aspace *m, char *why, size_t len);

/* Bytes the model owns (not the dump): for the bench and --stats. */
size_t vms_aspace_bytes(const struct vms_aspace *m);

#endif /* VMS_ASPACE_H */
