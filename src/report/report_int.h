/*
 * report_int.h — internal: what the files of src/report/ share (report.c:
 * usage and regions; report_holes.c: windows, holes and their causes).
 */
#ifndef VMS_REPORT_INT_H
#define VMS_REPORT_INT_H

#include "vmscope/report.h"

/* Pages area i maps: pages= when printed, none for an unpurged area, else
 * its pages without the guard page. O(1). */
uint64_t vms_report_area_pages(const struct vms_aspace *m, size_t i);

/* Fills r->windows (and the window index of each region) from the model's
 * windows: holes, largest hole, fragmentation, largest fits, causes. */
void vms_report_windows(struct vms_report *r);

#endif /* VMS_REPORT_INT_H */
