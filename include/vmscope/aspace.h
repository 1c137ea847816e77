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

/* An allocation window with its free tree (the vmalloc space, modules). */
struct vms_window {
	uint32_t region;      /* index into regions */
	uint64_t start, end;  /* the window, half-open */
	struct vms_free free; /* its holes */
	uint64_t used;        /* bytes of areas inside */
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
	uint8_t *guard;          /* per area: enum vms_guard */
	uint32_t *order;         /* trusted areas sorted by (start, index) */
	size_t nr_order;
	struct vms_busy busy; /* trusted areas by start */
	VMS_VEC(struct vms_window) windows;

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
