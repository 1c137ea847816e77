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

#endif /* VMS_ASPACE_INT_H */
