/*
 * aspace_int.h — internal: the steps of building the address-space model
 * that live in their own files (aspace_regions.c: where the regions come
 * from).
 */
#ifndef VMS_ASPACE_INT_H
#define VMS_ASPACE_INT_H

#include "vmscope/aspace.h"

/*
 * Sets m->profile, m->arch, m->regions (ascending by start),
 * m->layout_source and m->layout_why from the dump's boot log, else the
 * arch profile (arch: an --arch profile name, or NULL for the dump's arch
 * and era), else the areas. O(regions + areas).
 */
void vms_aspace_regions(struct vms_aspace *m, const char *arch);

/*
 * aspace_meminfo.c. Before the windows: where the vmalloc region came from
 * a profile that guessed VMALLOC_START (high_memory unknown), VmallocTotal
 * places it at VMALLOC_END - total; the region's size is kept for the
 * comparison either way. O(regions).
 */
void vms_aspace_meminfo_total(struct vms_aspace *m);
/* After the sort order: the dump's VmallocUsed/VmallocChunk as the
 * kernel's era computed them, and whether the dump is incomplete.
 * O(areas). */
void vms_aspace_meminfo_compare(struct vms_aspace *m);

#endif /* VMS_ASPACE_INT_H */
