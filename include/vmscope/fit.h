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
 *    space when the model has it apart). It lands at the lowest fit, as
 *    alloc_vmap_area() finds it: vms_free_alloc() for 5.2+ kernels (whose
 *    search length grows by align - 1 above a page), the lowest aligned
 *    gap without that adjustment for <= 5.1 kernels (the busy-tree
 *    first-fit; their next-fit cache may place it higher). K placements
 *    are made one after the other in a copy of the window's free tree: the
 *    model is never changed.
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
 *
 * Costs: one placement O(log holes) (see vms_free_lowest() for when a
 * misaligned search is O(holes)); a copy of a free tree O(holes); the
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

/* One area placed by the simulated allocator. */
struct vms_fit_place {
	uint64_t start, end;           /* the area, guard page included */
	uint64_t hole_start, hole_end; /* the hole it was cut from */
	uint8_t fit;                   /* enum vms_fit_type */
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
	/* the largest request (guard page excluded) the target window holds
	 * now at the same alignment; 0 none */
	uint64_t largest_request;
	/* alignment above a page: an aligned gap exists that the 5.2+ search
	 * skipped (it asks for size + align - 1 bytes), and where */
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
	int32_t window;              /* index into the model's windows, -1 none */
	uint8_t target;              /* VMS_RK_MODULES or VMS_RK_VMALLOC */
	/* the call-trace frame that chose the window (borrowed), or NULL:
	 * no module frame (or the message's range chose it) */
	const char *frame;
	bool by_range;    /* the message's address range chose the window */
	uint64_t request; /* bytes without the guard page */
	uint64_t size;    /* PAGE_ALIGN(request) + guard page */
	/* index of an earlier failure line of the same incident (same call
	 * trace and request), -1 */
	int32_t same_as;
	bool fits_now;
	struct vms_fit_place place; /* where it would land now */
	struct vms_fit_hole largest;
	uint64_t largest_request;  /* the largest request that fits now */
	struct vms_fit_vmalloc vm; /* when it does not fit now */
};

struct vms_fit_result {
	const struct vms_aspace *model; /* borrowed */
	bool has_request;
	struct vms_fit_request req;
	uint64_t size;  /* bytes each allocation takes, guard page included */
	uint64_t align; /* the alignment used */
	int32_t window; /* index into the model's windows, -1 none */
	bool legacy;    /* a <= 5.1 allocator: no search-length adjustment */
	bool fits;      /* all K placed */
	struct vms_fit_places placed;             /* those placed, in order; owned */
	struct vms_fit_failure fail;              /* when !fits */
	struct vms_fit_vmalloc vm;                /* when !fits */
	VMS_VEC(struct vms_fit_logfail) logfails; /* in log order; owned */
	/* the dump skips lines ("..."): areas may be missing */
	bool partial;
};

/*
 * Answers req (NULL: only the failure lines of the log) on model m
 * (borrowed; it must outlive the result), which must have geometry.
 * Returns 0 with a new result in *out (free with vms_fit_free()), or
 * -VMS_EINVAL for a request of size 0, a count of 0, a size whose pages
 * and guard page pass 2^64, or an alignment that is not a power of two
 * of at least a page (*out NULL); -VMS_ENODATA when m has no geometry or,
 * with a request, no window for it.
 */
int vms_fit_run(const struct vms_aspace *m, const struct vms_fit_request *req,
                struct vms_fit_result **out);
/* Frees r and everything it owns; NULL is a no-op. */
void vms_fit_free(struct vms_fit_result *r);

/* The window of m a request of kind k goes to (module space when apart,
 * else the vmalloc window), as an index into m->windows, or -1. O(windows). */
int32_t vms_fit_window_for(const struct vms_aspace *m, enum vms_fit_kind k);

#endif /* VMS_FIT_H */
