/*
 * emit_diff.h — the writers of `vmscope diff` (src/emit/): human text and
 * JSON for a struct vms_diff (diff.h). Each prints only to fp, never
 * exits, and returns 0 or -VMS_EIO on a write error (ferror at the end).
 * JSON key names are a contract (docs/diff.md "JSON").
 */
#ifndef VMS_EMIT_DIFF_H
#define VMS_EMIT_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vmscope/diff.h"

/* How a diff is shown. */
struct vms_diff_view {
	size_t top; /* caller rows, and area lines per list (0 = all) */
	bool areas; /* list every added, removed and resized area */
	bool color; /* ANSI colours (a terminal, NO_COLOR unset) */
};

/*
 * Text: a summary of the first and last snapshot (files, matching, areas
 * +added -removed ~resized, bytes, largest vmalloc hole before -> after),
 * for a series one line per step; the callers by growth (for a series a
 * table of their bytes at each snapshot), the kinds that changed, then the
 * areas added, removed and resized first to last, compiler style
 * ("FILE:LINE: added: <the area as the kernel prints it>"). Tables and
 * lists stop after v->top rows unless v->areas (for the lists) or
 * v->top == 0. Input strings are escaped. O(shown rows + callers).
 */
int vms_emit_diff_text(FILE *fp, const struct vms_diff *d, const struct vms_diff_view *v);

/*
 * JSON: one object; the overall pair's figures and lists at the top, the
 * steps of a series under "steps", each caller's usage per snapshot under
 * "series" (null for two snapshots). Lists are complete (v->top and
 * v->areas are for people) and streamed item by item: memory O(one item).
 */
int vms_emit_diff_json(FILE *fp, const struct vms_diff *d, const struct vms_diff_view *v);

#endif /* VMS_EMIT_DIFF_H */
