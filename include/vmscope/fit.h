/*
 * fit.h — `vmscope fit`: on the model of a real dump (aspace.h), where the
 * next K allocations of one size would land, or why they fail and which
 * `vmalloc=` would make them fit; and, for each "vmap allocation for size
 * N failed" (and kin) the log holds, which window the request targeted,
 * how large it was without its guard page, and what would fit now.
 *
 *  - Placement: each allocation takes PAGE_ALIGN(size) plus a guard page,
 *    aligned to a page (ioremap: vms_aspace_ioremap_align(), unless an
 *    alignment is given), in the vmalloc window (module requests: module
 *    space when the model has it apart). It lands where alloc_vmap_area()
 *    of the dump's era puts it: the lowest fit of vms_free_lowest(), whose
 *    search length grows by align - 1 as vms_sim_search_adjusted() says
 *    (5.2-5.16: for any alignment the caller passes above 1, so a module
 *    or an ioremap passes over a hole of exactly its size; 5.17+: above a
 *    page), then the kernel's check against vend; the lowest aligned gap
 *    without any adjustment for <= 5.1 kernels (the busy-tree first fit;
 *    their next-fit cache may place it higher). When one does not fit and
 *    the window holds lazily freed ("unpurged") areas, they are given back
 *    and it is tried once more, as the kernel purges and retries. K
 *    placements are made one after the other in a copy of the window's
 *    free tree: the model is never changed.
 *  - Failure: the largest hole of each window in the state the earlier
 *    placements left, what the alignment cost (the lowest fit with page
 *    alignment only, the aligned spot the adjusted search skipped, the
 *    bytes lost at the start of the largest hole).
 *  - vmalloc=: on profiles that have the parameter, the vmalloc window is
 *    grown at the bottom (VMALLOC_START moves down as lowmem shrinks;
 *    VMALLOC_END stays) by vms_vmalloc_compute() for each whole MiB value,
 *    and the K placements are redone from the dump's state; the smallest
 *    value that places them all is found by bisection (a lower
 *    VMALLOC_START never places fewer), under both arm32 semantics.
 *  - A model without geometry (no dump, or hashed addresses) still has its
 *    failure lines explained: window (from the regions), request; what
 *    fits now is then not known.
 *
 * Costs: one placement O(log holes) (see vms_free_lowest() for when a
 * misaligned search is O(holes)); a copy of a free tree O(holes); the
 * lazily freed ranges of a window O(areas in it), once per request; the
 * vmalloc= search O(log(VMALLOC_END - PAGE_OFFSET in MiB)) trials of
 * O(holes + K log holes) each. Pure: nothing is printed (src/emit/ writes
 * the result).
 */
#ifndef VMS_FIT_H
#define VMS_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/aspace.h"
#include "vmscope/common.h"
#include "vmscope/profile.h"

/* What is allocated: decides the window and the alignment. */
enum vms_fit_kind {
	VMS_FK_VMALLOC = 0, /* vmalloc(): page aligned, vmalloc window */
	VMS_FK_VMAP,        /* vmap(): the same rules */
	VMS_FK_IOREMAP,     /* ioremap(): aligned by the era's rule */
	VMS_FK_MODULE,      /* module_alloc(): module space when apart */
	VMS_NR_FIT_KINDS
};
/* "vmalloc", "vmap", "ioremap", "module". */
const char *vms_fit_kind_name(enum vms_fit_kind k);

struct vms_fit_request {
	uint64_t size;  /* bytes asked for, guard page excluded; > 0 */
	uint8_t kind;   /* enum vms_fit_kind */
	uint64_t align; /* bytes, a power of two >= page; 0: the kernel's */
	uint64_t count; /* K successive allocations, >= 1 */
};

/* How the era's allocator searches (alloc_vmap_area()). */
enum vms_fit_search {
	VMS_FS_FIRST_FIT = 0, /* <= 5.1: the busy-tree walk, lowest aligned
	                         gap, no length adjustment (next-fit cache
	                         not modelled) */
	VMS_FS_ADJUST_ASKED,  /* 5.2-5.16: free tree, length + asked - 1 for
	                         any alignment the caller passes above 1 */
	VMS_FS_ADJUST_ALIGN,  /* 5.17+: free tree, length + align - 1 only
	                         above a page */
	VMS_NR_FIT_SEARCHES
};
/* "first-fit", "lowest-fit-5.2", "lowest-fit-5.17". */
const char *vms_fit_search_name(enum vms_fit_search s);

/* One area placed by the simulated allocator. */
struct vms_fit_place {
	uint64_t start, end;           /* the area, guard page included */
	uint64_t hole_start, hole_end; /* the hole it was cut from */
	uint8_t fit;                   /* enum vms_fit_type */
	/* it fitted only once the window's lazily freed areas were purged
	 * (the kernel purges and retries once) */
	bool after_purge;
};

/* Placements in order (a named vector: the result and each vmalloc=
 * answer hold one). */
struct vms_fit_places {
	struct vms_fit_place *v;
	size_t n, cap;
};

/* The largest hole of one window. */
struct vms_fit_hole {
	uint32_t window;      /* index into the model's windows */
	uint64_t size, start; /* bytes and where (size 0: no hole) */
};

/* Why placement number index failed (the earlier ones stand). */
struct vms_fit_failure {
	uint64_t index; /* 0-based among the K */
	/* every window of the model, the target in its state after the
	 * earlier placements; owned (free with the result) */
	struct vms_fit_hole *holes;
	size_t nr_holes;
	/* the largest request (guard page excluded) the era's search is sure
	 * to place in the target window now at the same alignment; 0 none */
	uint64_t largest_request;
	/* the search was adjusted (5.2+: it asks for size + align - 1 bytes)
	 * and skipped an aligned gap that holds the area, and where */
	bool aligned_skipped;
	uint64_t aligned_at;
	/* alignment above a page: where a page-aligned one would land */
	bool unaligned_fits;
	struct vms_fit_place unaligned;
	/* bytes ALIGN(start, align) - start of the target's largest hole */
	uint64_t align_loss;
};

/* Why vmalloc= was or was not computed. */
enum vms_fit_param_status {
	VMS_FP_COMPUTED = 0, /* param[] hold the answers */
	VMS_FP_MODULES,      /* module space apart: vmalloc= does not size it */
	VMS_FP_NO_PARAM,     /* the arch has no vmalloc= */
	VMS_FP_NO_PROFILE,   /* the arch is unknown */
	VMS_FP_NO_REGION,    /* no vmalloc region to grow */
};
/* "computed", "modules", "no-parameter", "no-profile", "no-region". */
const char *vms_fit_param_status_name(enum vms_fit_param_status s);

/* The smallest vmalloc= under one semantics. */
struct vms_fit_param {
	bool found;                   /* some vmalloc= places all K */
	uint64_t value;               /* bytes, a whole MiB (found) */
	struct vms_vmalloc_calc calc; /* its layout; not found: the largest */
	struct vms_fit_places placed; /* the K in that layout (found); owned */
};

/* The vmalloc= answer for one request that does not fit. */
struct vms_fit_vmalloc {
	uint8_t status;     /* enum vms_fit_param_status */
	bool two_semantics; /* arm32: <= 5.13 and 5.14+ differ (x86_32 not) */
	/* enum vms_vmalloc_semantics of the dump's era, -1 when unknown */
	int8_t applies;
	bool current_given;   /* the command line has vmalloc= */
	uint64_t current;     /* its bytes, else the profile's default */
	uint64_t vmalloc_end; /* VMALLOC_END used (the boot log's when known) */
	uint64_t ram_bytes;   /* RAM assumed (0: enough for any limit) */
	/* the window starts at the lowest area (VMALLOC_START unknown, see
	 * VMS_WB_LOW_AREA): free space may lie below it, so the answers are
	 * upper bounds */
	bool start_unknown;
	struct vms_fit_param param[2]; /* by enum vms_vmalloc_semantics */
};

/* One failure line of the log, explained. */
struct vms_fit_logfail {
	const struct vms_failure *f; /* borrowed from the dump's log */
	/* index into the model's windows, -1 none (always without geometry) */
	int32_t window;
	/* index into the model's regions of the target: the window's region,
	 * or without geometry the region it would be; -1 none */
	int32_t region;
	uint8_t target; /* VMS_RK_MODULES or VMS_RK_VMALLOC */
	/* what the call trace says was allocated: VMS_FK_MODULE (module
	 * space), VMS_FK_IOREMAP (its alignment) or VMS_FK_VMALLOC */
	uint8_t kind;
	/* the call-trace frame that chose the kind (borrowed), or NULL: no
	 * module or ioremap frame (or the message's range chose the window) */
	const char *frame;
	bool by_range;    /* the message's address range chose the window */
	uint64_t request; /* bytes without the guard page */
	uint64_t size;    /* PAGE_ALIGN(request) + guard page */
	uint64_t align;   /* the alignment used (0 when nothing is placed) */
	/* index of an earlier failure line of the same incident (same call
	 * trace and request), -1 */
	int32_t same_as;
	bool fits_now;
	struct vms_fit_place place; /* where it would land now */
	struct vms_fit_hole largest;
	/* the largest request the era's search is sure to place now */
	uint64_t largest_request;
	struct vms_fit_vmalloc vm; /* when it does not fit now */
	/* vm is an earlier line's (the same window, kind, request and
	 * range), not owned */
	bool vm_borrowed;
};

struct vms_fit_result {
	const struct vms_aspace *model; /* borrowed */
	bool has_request;
	struct vms_fit_request req;
	uint64_t size;  /* bytes each allocation takes, guard page included */
	uint64_t align; /* the alignment used */
	uint64_t asked; /* the alignment the caller passes (1: vmalloc, vmap) */
	int32_t window; /* index into the model's windows, -1 none */
	bool legacy;    /* a <= 5.1 allocator: no search-length adjustment */
	uint8_t search; /* enum vms_fit_search of the dump's era */
	/* the era does not tell (unknown, or it spans 5.17): the 5.17+ rule
	 * is used (<= 5.1 and 5.2-5.16 would differ) */
	bool search_guessed;
	bool adjusted; /* this request's search asks for size + align - 1 */
	/* lazily freed areas in the target window (the kernel purges them
	 * before it fails): how many, and their bytes inside it */
	uint32_t lazy_areas;
	uint64_t lazy_bytes;
	bool fits;                                /* all K placed */
	struct vms_fit_places placed;             /* those placed, in order; owned */
	struct vms_fit_failure fail;              /* when !fits */
	struct vms_fit_vmalloc vm;                /* when !fits */
	VMS_VEC(struct vms_fit_logfail) logfails; /* in log order; owned */
	/* the dump skips lines ("..."), or lists far less than /proc/meminfo's
	 * VmallocUsed counts (model->meminfo.incomplete): areas may be missing */
	bool partial;
};

/*
 * Answers req (NULL: only the failure lines of the log) on model m
 * (borrowed; it must outlive the result). Returns 0 with a new result in
 * *out (free with vms_fit_free()), or -VMS_EINVAL for a request of size 0,
 * a count of 0, a size whose pages and guard page pass 2^64, or an
 * alignment that is not a power of two of at least a page (*out NULL);
 * -VMS_ENODATA when m has no geometry and there is a request or no
 * failure line to explain, or, with a request, no window for it. Without
 * geometry the failure lines are explained without "now".
 */
int vms_fit_run(const struct vms_aspace *m, const struct vms_fit_request *req,
                struct vms_fit_result **out);
/* Frees r and everything it owns; NULL is a no-op. */
void vms_fit_free(struct vms_fit_result *r);

/* The window of m a request of kind k goes to (module space when apart,
 * else the vmalloc window), as an index into m->windows, or -1. O(windows). */
int32_t vms_fit_window_for(const struct vms_aspace *m, enum vms_fit_kind k);

#endif /* VMS_FIT_H */
