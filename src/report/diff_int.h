/*
 * diff_int.h — internal: what diff.c (caller and kind deltas, the series)
 * hands diff_match.c (pairing the areas of two dumps).
 */
#ifndef VMS_DIFF_INT_H
#define VMS_DIFF_INT_H

#include <stdlib.h>

#include "vmscope/diff.h"

/* qsort() that accepts an empty array (qsort(NULL, 0, ...) is undefined). */
static inline void vms_diff_sort(void *v, size_t n, size_t size,
                                 int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

/*
 * One snapshot as the matcher sees it: its model (and dump), and the
 * common caller id of each of its symbol ids (callers of all snapshots
 * share one id space, so equal names are equal ids; 0 for no caller).
 */
struct vms_diff_side {
	const struct vms_aspace *model;
	const uint32_t *caller_id; /* indexed by symbol id */
};

/*
 * Fills the area lists of p (added, removed, resized, unchanged, match,
 * why, by_caller) from snapshots a (older) and b (newer): by address when
 * both have geometry, else by caller (diff.h). Lists end up in ascending
 * area order. O(n + m) by address, O((n + m) log(n + m)) by caller.
 */
void vms_diff_match_areas(struct vms_diff_pair *p, const struct vms_diff_side *a,
                          const struct vms_diff_side *b);

#endif /* VMS_DIFF_INT_H */
