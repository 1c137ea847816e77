/*
 * diff.h — `vmscope diff`: what changed between snapshots of one machine's
 * vmalloc space, for leak hunting (bpf_jit, seccomp, n_tty_open, a
 * driver's ioremap that is never unmapped).
 *
 * A diff is built from the reports (report.h) of N >= 2 dumps, oldest
 * first. For a pair of snapshots it holds:
 *  - the areas added, removed and resized, as area indices into each dump;
 *  - per-caller deltas of areas, bytes and pages, sorted by byte growth
 *    (largest first, then by name), and the same per kind (enum vms_akind);
 *  - the largest free hole of the vmalloc space before and after.
 * Two dumps make one pair. More make a series: one pair per step (i to
 * i + 1) and the overall pair first to last, plus each caller's usage at
 * every snapshot.
 *
 * Matching areas (docs/diff.md "Matching"):
 *  - by address, when both dumps have real addresses (model geometry): the
 *    trusted areas of both, in start order, are walked together. Same start,
 *    same caller and same size: unchanged; same start and caller, another
 *    size: resized; same start, another caller: removed and added; a start
 *    in one only: removed or added. Areas whose own range cannot be
 *    trusted (a size that disagrees with it) are matched by caller, below.
 *  - by caller, when either dump has hashed, zeroed or "(ptrval)"
 *    addresses, or when fewer than 1 in 100 areas of the smaller dump (none
 *    when it has less than 100) keep their start: dumps of two boots, whose
 *    vmalloc space KASLR placed apart, or of two machines. Areas with the
 *    same caller and size are paired in input order; what is left of one
 *    caller is paired in input order as resized; the rest is added or
 *    removed. A caller is its symbol name, or for vm_map_ram and unpurged
 *    lines the kind of line.
 * Callers are matched across dumps by name (symbol ids differ between
 * dumps), as the reports name them ("[vm_map_ram]", "[unpurged]", "[no
 * caller]" for areas without one).
 *
 * Costs: by address O(n + m); by caller O((n + m) log(n + m)); the caller
 * tables O(C · N + C log C) for C callers over N snapshots. Memory: the
 * area lists (4 or 8 bytes per changed area) and N usages per caller.
 */
#ifndef VMS_DIFF_H
#define VMS_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/common.h"
#include "vmscope/report.h"

/* How the areas of a pair were matched. */
enum vms_diff_match {
	VMS_DM_ADDRESS = 0, /* by start address (both dumps have real ones) */
	VMS_DM_CALLER,      /* by caller and size, in input order */
};
/* "address", "caller". */
const char *vms_diff_match_name(enum vms_diff_match m);

/* Usage of a group before and after. */
struct vms_diff_delta {
	struct vms_usage from, to;
};

/* The `why` of a pair matched by caller although both dumps have real
 * addresses, because (almost) no area keeps its start. */
extern const char vms_diff_unrelated_starts[];

/* b - a as a signed number, saturated at INT64_MIN / INT64_MAX. */
int64_t vms_diff_growth(uint64_t a, uint64_t b);

/* An area of both dumps whose size changed. */
struct vms_diff_resize {
	uint32_t from, to; /* area indices in the older and the newer dump */
};

/* One caller's change between the two snapshots of a pair. */
struct vms_diff_row {
	uint32_t caller; /* index into the diff's callers */
	int64_t count;   /* areas, to - from */
	int64_t bytes;   /* bytes, to - from (saturated) */
	uint32_t rank;   /* the caller's place in name order (the tie-break) */
};

/* The largest free hole of the vmalloc space of one snapshot. */
struct vms_diff_hole {
	bool known;     /* real addresses and a vmalloc window */
	uint64_t size;  /* bytes (0: no hole, the window is full) */
	uint64_t start; /* its first byte */
	/* the window it was measured in: the model may bound it by the areas
	 * (enum vms_window_bounds), so two snapshots' windows can differ */
	uint64_t window_start, window_end;
};
/* True when both snapshots' holes are known and their windows differ: the
 * hole's change may then come from the bounds, not from allocations. */
bool vms_diff_windows_differ(const struct vms_diff_hole *a,
                             const struct vms_diff_hole *b);

/* What changed from snapshot `from` to snapshot `to`. */
struct vms_diff_pair {
	size_t from, to; /* input indices, from < to */
	uint8_t match;   /* enum vms_diff_match */
	/* VMS_DM_CALLER: why (static or the model's no_geometry text), and
	 * the input without real addresses (-1 when both have them but their
	 * starts are unrelated: vms_diff_unrelated_starts); else NULL and -1 */
	int64_t why_input;
	const char *why;
	/* areas (both dumps) matched by caller although the pair matched by
	 * address: ranges that cannot be trusted */
	uint64_t by_caller;
	VMS_VEC(uint32_t) added;                 /* areas of `to`, ascending */
	VMS_VEC(uint32_t) removed;               /* areas of `from`, ascending */
	VMS_VEC(struct vms_diff_resize) resized; /* by ascending `to` area */
	uint64_t unchanged;                      /* areas in both, same size */
	struct vms_diff_delta total;
	struct vms_diff_delta kinds[VMS_NR_AKINDS];
	/* the kinds whose usage changed, by byte growth (largest first, then
	 * enum order): kind_order[0..nr_kinds) */
	uint8_t kind_order[VMS_NR_AKINDS];
	uint8_t nr_kinds;
	/* the callers whose areas, bytes or pages changed, by byte growth
	 * (largest first), then name */
	VMS_VEC(struct vms_diff_row) callers;
};

/* One caller over every snapshot. */
struct vms_diff_caller {
	const char *name;     /* as the reports name it; owned by the diff */
	const char *module;   /* its module (a row is one name in one module,
	                         as in the report), borrowed; or NULL */
	uint8_t kind;         /* enum vms_akind of the report row with the
	                         most bytes */
	uint64_t kind_bytes;  /* the bytes of that row */
	bool changed;         /* its usage differs between two consecutive
	                         snapshots */
	struct vms_usage *at; /* its usage in each snapshot (zero where absent);
	                         n entries, owned by the diff */
	int64_t growth;       /* bytes, last - first (saturated) */
	uint32_t rank;        /* its place in name order */
};

struct vms_diff {
	const struct vms_report **reports; /* n, borrowed, oldest first */
	size_t n;
	struct vms_diff_hole *holes; /* one per snapshot */
	/* every caller of any snapshot, by growth first to last (largest
	 * first), then by name */
	VMS_VEC(struct vms_diff_caller) callers;
	/* steps[0..n-1): snapshot i to i + 1 */
	struct vms_diff_pair *steps;
	size_t nr_steps;
	/* first to last: steps[0] for two snapshots, its own pair for more */
	struct vms_diff_pair *overall;
	struct vms_arena arena; /* owns the caller names and usages */
};

/*
 * Builds the diff of the n >= 2 reports r[0..n) (borrowed, oldest first;
 * they, their models and dumps must outlive the diff). Never fails.
 * Returns a new diff; free with vms_diff_free().
 */
struct vms_diff *vms_diff_build(const struct vms_report *const *r, size_t n);
/* Frees d and all it owns; vms_diff_free(NULL) is a no-op. */
void vms_diff_free(struct vms_diff *d);

/* The largest growth of one caller's bytes from the first snapshot to the
 * last (0 when none grew). O(1): the callers are sorted. */
uint64_t vms_diff_max_growth(const struct vms_diff *d);

/* Usage of caller row `caller` of d in the two snapshots of pair p. */
struct vms_diff_delta vms_diff_caller_delta(const struct vms_diff *d,
                                            const struct vms_diff_pair *p,
                                            uint32_t caller);

#endif /* VMS_DIFF_H */
