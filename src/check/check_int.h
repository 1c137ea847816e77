/*
 * check_int.h — internal: what the rule files of src/check/ share: rule
 * indices in catalogue order (rules.c), the run's context, and the one
 * function that records a finding.
 */
#ifndef VMS_CHECK_INT_H
#define VMS_CHECK_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmscope/aspace.h"
#include "vmscope/check.h"

/* Rule indices: the order of vms_rules[] in rules.c. */
enum {
	R_AREA_RANGE = 0,
	R_AREA_UNALIGNED,
	R_SIZE_MISMATCH,
	R_GUARD_PAGE,
	R_VPAGES,
	R_NUMA_PAGES,
	R_IOREMAP_ALIGN,
	R_PHYS_UNALIGNED,
	R_OVERLAP,
	R_DUPLICATE,
	R_UNPURGED_OVERLAP,
	R_OUTSIDE_REGION,
	R_PERCPU_NOT_TOP,
	R_UNSORTED,
	R_EXTRA_PAGE,
	R_VMALLOC_START,
	R_VMALLOC_SIZE,
	R_VMALLOC_CLAMP,
	R_LAYOUT_SIZE,
	R_REGION_OVERLAP,
	R_LARGEST_HOLE,
	R_USAGE,
	R_MEMINFO_MISMATCH,
	R_DUMP_INCOMPLETE,
	R_NR_RULES
};

/* Findings stored per rule; beyond that they are counted only. */
#define VMS_CHECK_CAP 1000

struct chk {
	const struct vms_aspace *m;
	const struct vms_dump *d;
	const struct vms_check_opts *o;
	struct vms_check_result *r;
	bool on[R_NR_RULES];
	uint32_t stored[R_NR_RULES];
	int era; /* kernel major * 100 + minor, 0 unknown */
};

/* Records a finding of rule about area (or -1) at line of file (NULL: the
 * dump's source). The message is formatted into the result. */
void chk_add(struct chk *c, unsigned rule, int64_t area, uint32_t line, const char *file,
             const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A finding about area i at its source line. */
#define chk_area(c, rule, i, ...)                                                        \
	chk_add((c), (rule), (int64_t)(i), (c)->d->src.v[(i)].line, NULL, __VA_ARGS__)

/* The rule groups (check_area.c, check_across.c, check_layout.c). */
void vms_check_areas(struct chk *c);
void vms_check_across(struct chk *c);
void vms_check_layout(struct chk *c);
void vms_check_space(struct chk *c);
/* check_meminfo.c */
void vms_check_meminfo(struct chk *c);

#endif /* VMS_CHECK_INT_H */
