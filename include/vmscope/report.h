/*
 * report.h — `vmscope report`: where the space of a dump went and why its
 * holes are where they are, computed once from the address-space model
 * (aspace.h) for every writer (text, JSON, CSV, Prometheus; src/emit/).
 *
 *  - Usage: totals by kind (enum vms_akind), by caller and by module —
 *    areas, bytes (as printed: guard pages included) and pages (pages=
 *    where printed, else the area's pages without its guard page; none for
 *    unpurged areas, which map nothing).
 *  - Regions: each region of the model with the bytes of the areas inside
 *    (clipped to the region) and its share.
 *  - Windows (the vmalloc space, module space apart from it): holes, free
 *    bytes, the largest hole and its address (VmallocChunk, which the
 *    kernel stopped computing in 4.4), a fragmentation index, the largest
 *    vmalloc() and ioremap() requests that would succeed now, and the bytes
 *    and count of holes per cause.
 *  - Hole causes: vms_report_explain() gives the most likely reason a hole
 *    exists with its evidence (docs/report.md "Why holes exist").
 *  - Findings: the checker's result, borrowed.
 * A dump without real addresses gets every table that needs none; the
 * windows are empty and the model says why (m->no_geometry).
 *
 * Costs: build O(areas + holes · log areas + callers · log callers); no
 * per-hole storage (holes are explained on demand, O(log areas) each), so
 * a report costs O(callers + modules + regions + windows) beside the model.
 */
#ifndef VMS_REPORT_H
#define VMS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/aspace.h"
#include "vmscope/check.h"
#include "vmscope/common.h"

/* Areas, bytes and pages of a group of areas. */
struct vms_usage {
	uint64_t count;
	uint64_t bytes; /* printed sizes, guard pages included */
	uint64_t pages; /* mapped pages (see above) */
};

/* One caller or module row. */
struct vms_report_group {
	const char *name;   /* the symbol, or a label in brackets: "[vm_map_ram]",
	                       "[unpurged]", "[no caller]", "[built-in]" */
	const char *module; /* callers: the module of its areas, or NULL */
	uint32_t id;        /* symbol id in the dump (0 for a label) */
	uint8_t kind;       /* enum vms_akind of most of its bytes */
	struct vms_usage u;
};

struct vms_report_region {
	const struct vms_region *region; /* borrowed from the model */
	struct vms_usage u;              /* areas starting or reaching inside;
	                                    bytes clipped to the region */
	int32_t window;                  /* index into report windows, or -1 */
};

/* Why a hole exists (docs/report.md "Why holes exist"). */
enum vms_hole_cause {
	VMS_HC_BOUNDARY = 0,  /* at the start or end of its window, or below a
	                         static mapping at a fixed address */
	VMS_HC_IOREMAP_ALIGN, /* padding before an ioremap area's alignment */
	VMS_HC_EXTRA_PAGE,    /* the extra page 2.6.28-2.6.38 left after an area */
	VMS_HC_GUARD,         /* a guard page the area before did not count */
	VMS_HC_FREED,         /* a freed area: lazy neighbour or a common size */
	VMS_HC_PERCPU,        /* below or between per-cpu chunks (top-down) */
	VMS_HC_VM_MAP_RAM,    /* padding before a vm_map_ram block's alignment */
	VMS_HC_UNEXPLAINED,
	VMS_NR_HOLE_CAUSES
};
/* "boundary", "ioremap-align", "extra-page", "guard", "freed", "percpu",
 * "vm_map_ram", "unexplained". */
const char *vms_hole_cause_name(enum vms_hole_cause c);

/* The explanation of one hole. */
struct vms_hole_why {
	uint64_t start, end;   /* the hole, half-open */
	uint8_t cause;         /* enum vms_hole_cause */
	int64_t before, after; /* area indices bounding it, or -1 (window edge) */
	uint64_t align;        /* the alignment that explains it (ioremap-align,
	                          vm_map_ram), else 0 */
	bool capped;           /* ioremap-align: IOREMAP_MAX_ORDER set it */
	bool module_space;     /* freed: between modules in module space */
	bool fixed;            /* boundary: the next area is a static mapping */
	uint64_t same_size;    /* freed: areas of exactly the hole's size */
	int64_t same_example;  /* freed: one of them (area index), or -1 */
};

struct vms_report_window {
	const struct vms_window *window; /* borrowed from the model */
	const struct vms_region *region; /* its region */
	uint64_t size, used, free;       /* bytes */
	uint64_t holes;
	uint64_t largest, largest_start; /* the largest hole (0 when none) */
	/* 1 - largest / free: 0 one hole (or none), towards 1 shattered */
	double fragmentation;
	/* the largest request (guard page excluded) vmalloc() / ioremap()
	 * could place now, where, and the ioremap's alignment; 0 none */
	uint64_t max_vmalloc, max_vmalloc_at;
	uint64_t max_ioremap, max_ioremap_at, max_ioremap_align;
	struct vms_usage causes[VMS_NR_HOLE_CAUSES]; /* holes, bytes; no pages */
};

/* How many areas have one printed size. */
struct vms_size_count {
	uint64_t size, count;
	uint32_t example; /* an area of that size */
};

struct vms_report {
	const struct vms_aspace *model;          /* borrowed */
	const struct vms_dump *dump;             /* model->dump */
	const struct vms_check_result *findings; /* borrowed, may be NULL */
	struct vms_usage total;
	struct vms_usage kinds[VMS_NR_AKINDS];
	VMS_VEC(struct vms_report_group) callers;  /* bytes descending, then name */
	VMS_VEC(struct vms_report_group) modules;  /* the same */
	VMS_VEC(struct vms_report_region) regions; /* the model's, in order */
	struct vms_usage outside;                  /* trusted areas in no region */
	VMS_VEC(struct vms_report_window) windows; /* the model's windows */
	uint64_t guard_pages; /* guard pages inside areas (not holes) */
	/* more one-page gaps than touching pairs between guarded areas: the
	 * mark of 2.6.28-2.6.38 kernels (extra-page) */
	bool extra_page_pattern;
	/* the kernel left the extra page (2.6.28-2.6.38 by its version, or the
	 * era and the pattern): fits start one page after an area */
	bool extra_page;
	/* sizes (printed) shared by 2+ areas, ascending, for hole causes */
	VMS_VEC(struct vms_size_count) sizes;
	struct vms_arena arena; /* owns the report's strings */
};

/*
 * Builds the report of model m (borrowed; it and its dump must outlive the
 * report), with the checker's findings (borrowed, may be NULL). Never
 * fails. Free with vms_report_free().
 */
struct vms_report *vms_report_build(const struct vms_aspace *m,
                                    const struct vms_check_result *findings);
void vms_report_free(struct vms_report *r);

/* Explains hole [start, end) of window w (one of r->windows) into *why.
 * O(log areas + log sizes). */
void vms_report_explain(const struct vms_report *r, const struct vms_report_window *w,
                        uint64_t start, uint64_t end, struct vms_hole_why *why);
/* One line of evidence for *why ("the next area, ioremap 0x... of 2 MiB,
 * is aligned to 2 MiB; the allocator skipped from 0x... to it"), written
 * into buf[0..len); returns buf. */
const char *vms_report_evidence(const struct vms_report *r,
                                const struct vms_hole_why *why, char *buf, size_t len);

/* The top n groups of g[0..count) as a view: rows n..count are summed into
 * *other (zero when none). Returns min(n, count); n == 0 means all. */
size_t vms_report_top(const struct vms_report_group *g, size_t count, size_t n,
                      struct vms_usage *other);

#endif /* VMS_REPORT_H */
