/*
 * fit_int.h — internal: what the two files of `vmscope fit` share. fit.c
 * owns the request (its K placements, why one fails, the vmalloc= search)
 * and the helpers below; fit_log.c explains the failure lines of the log
 * with them. Shared: how one allocation is made (a rule), K of them in one
 * window (a job), the searches that place a rule in a copy of a window's
 * free tree, and the lazily freed ranges a purge gives back (found once
 * per window and run, owned by the run).
 *
 * Nothing here changes the model: every placement is made in a copy
 * (fit_free_copy()), and a state searched without placing is only read.
 */
#ifndef VMS_FIT_INT_H
#define VMS_FIT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmscope/fit.h"
#include "vmscope/sim.h"

/* How one allocation is made: alloc_vmap_area()'s arguments, and the era. */
struct fit_rule {
	uint64_t size;  /* guard page included */
	uint64_t align; /* a power of two >= page */
	uint64_t asked; /* the alignment the caller passes (1, page, ...) */
	uint64_t page;
	uint64_t vstart, vend;
	uint8_t search; /* enum vms_fit_search */
	int ver;        /* major * 100 + minor for vms_sim_search_adjusted */
};

/* [start, end), bytes. */
struct fit_range {
	uint64_t start, end;
};
/* Ascending and disjoint; the vector owns its storage (free(v.v)). */
struct fit_ranges {
	VMS_VEC(struct fit_range) v;
};

/* What a purge gives back in one window, found once per run (at the
 * first failure that needs it). */
struct fit_lazy {
	bool known;
	uint32_t areas;
	struct fit_ranges r;
};

/* K allocations of one rule in one window of the model. */
struct fit_job {
	const struct vms_aspace *m;
	int32_t window;
	struct fit_rule rule;
	uint64_t count;
	struct fit_lazy *lazy; /* the window's (borrowed from the run) */
};

/* ---- fit.c: the search helpers ------------------------------------------- */

/* dst becomes an independent copy of src (free with vms_free_release).
 * O(holes). */
void fit_free_copy(struct vms_free *dst, const struct vms_free *src);

/* Whether the era's search asks for size + align - 1 bytes. */
bool fit_adjusted(const struct fit_rule *r);

/*
 * The spot alloc_vmap_area() finds for r in t (adjust: the search length
 * grows by align - 1), without allocating: the hole's id, and the area
 * and its hole in *p. 0 when nothing fits, or when the fit found ends
 * past vend (the kernel does not look further either). O(log holes), as
 * vms_free_lowest().
 */
uint32_t fit_find_spot(const struct vms_free *t, const struct fit_rule *r, bool adjust,
                       struct vms_fit_place *p);

/* The largest hole of t (size 0 when none) and its lowest start. */
struct vms_fit_hole fit_largest_of(const struct vms_free *t, uint32_t window);

/*
 * The largest request (guard page excluded, page-aligned) r's search is
 * sure to place in a hole of t: the aligned room above r->vstart and
 * below r->vend, less, when the search is adjusted, what it asks beyond
 * the area (a hole holding size + align - 1 bytes is always found; a
 * smaller one only when it lies on the search's path). O(holes).
 */
uint64_t fit_largest_request(const struct vms_free *t, const struct fit_rule *r);

/* What the caller of alloc_vmap_area() passes as align: vmalloc() and
 * vmap() 1, module_alloc() a page (MODULE_ALIGN), ioremap its own rule,
 * a given alignment itself. */
uint64_t fit_asked_of(enum vms_fit_kind k, uint64_t given, uint64_t align, uint64_t page);

/* count allocations of size bytes (guard included) in window of m, with
 * the window's bounds and the era's search; lazy is the run's array of
 * one fit_lazy per window. */
struct fit_job fit_make_job(const struct vms_aspace *m, struct fit_lazy *lazy,
                            int32_t window, uint64_t size, uint64_t align, uint64_t asked,
                            uint64_t count);

/* The window's lazily freed space, computed on first use (O(areas of the
 * window)); borrowed from the run. */
const struct fit_lazy *fit_lazy_of(const struct fit_job *j);

/* Gives the window's lazily freed space back to t (the kernel's purge);
 * false when there is none. */
bool fit_purge(const struct fit_job *j, struct vms_free *t);

/* The vmalloc= that places all of j, in *vm (overwritten; its placements
 * are owned by vm), or the reason there is none. */
void fit_vmalloc_answer(const struct fit_job *j, struct vms_fit_vmalloc *vm);

/* ---- fit_log.c: the failure lines of the log -------------------------------- */

/* Appends to r->logfails one explanation per failure line of the dump's
 * log, in log order. */
void fit_explain_log(struct vms_fit_result *r, struct fit_lazy *lazy);

#endif /* VMS_FIT_INT_H */
