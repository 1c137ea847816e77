/*
 * view_treemap.h — what the viewer shows when a dump has no addresses
 * (hashed, zeroed or "(ptrval)": the model's geometry is false): a
 * squarified treemap of the areas' printed sizes, first by kind, then by
 * caller within each kind (docs/view.md "Treemap (no addresses)"). No
 * geometry is invented: a cell's place says nothing about addresses, only
 * its area about bytes.
 *
 * SDL-free (src/view/view_treemap.c) and tested without a display; the
 * drawing is vms_treemap_draw() in src/view/view_treemap_draw.c.
 *
 * Invariants of a built treemap:
 *  - cells[] holds, for each kind with areas (bytes descending, ties by
 *    kind name), its frame, then its caller cells (bytes descending, ties
 *    by name, the merged "other" cell at its place by bytes);
 *  - the frames tile [0, w) x [0, h) exactly, and each kind's caller cells
 *    tile its frame exactly: no gap, no overlap, in whole pixels;
 *  - every area is counted in exactly one caller cell: a frame's bytes and
 *    areas are the sums of its caller cells';
 *  - a cell's area in pixels is its share of its parent's pixels by bytes
 *    within rounding: the layout is made in real numbers, exactly
 *    proportional, and each edge is then rounded to the nearest pixel
 *    (edges shared by two cells are one number, so rounding keeps the
 *    tiling); each side moves by at most 1 px, so
 *    |w*h - bytes * parent pixels / parent bytes| <= w + h + 1;
 *  - a cell with w or h 0 is empty (zero bytes, or too small to round to a
 *    pixel); it sits at its parent's top-left corner and is never hit.
 */
#ifndef VMS_VIEW_TREEMAP_H
#define VMS_VIEW_TREEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/aspace.h"

/* Callers whose cell would be thinner than this (pixels, either side)
 * are merged into one "other (N callers)" cell per kind. */
#define VMS_TREEMAP_MIN_CELL 4

/* One rectangle of the treemap: a kind's frame or a caller cell. */
struct vms_treemap_cell {
	uint32_t x, y, w, h; /* pixels: [x, x + w) x [y, y + h) */
	uint8_t kind;        /* enum vms_akind */
	bool frame;          /* a kind's frame (else a caller cell) */
	bool other;          /* the merged "other (N callers)" cell */
	const char *caller;  /* the caller's name or a label ("[no caller]",
	                        "[vm_map_ram]", "[unpurged]"), borrowed from
	                        the dump or static; NULL for frames and
	                        "other" */
	const char *module;  /* the caller's module (borrowed), or NULL */
	uint32_t caller_id;  /* symbol id of the caller (0: a label, a frame,
	                        "other") */
	uint32_t callers;    /* callers inside: 1 for a caller cell, N for
	                        "other" and a frame */
	uint64_t bytes;      /* printed sizes summed, guard pages included */
	uint64_t areas;      /* areas counted */
	uint32_t parent;     /* caller cells: index of the kind's frame;
	                        frames: their own index */
	uint32_t first, nr;  /* frames: the caller cells are cells[first ..
	                        first + nr); caller cells: 0 */
};

struct vms_treemap {
	uint32_t w, h;                  /* laid out for w x h pixels */
	struct vms_treemap_cell *cells; /* owned; see the invariants above */
	size_t n;                       /* cells, frames included */
	size_t nr_frames;               /* kinds with areas */
	uint64_t bytes, areas;          /* totals over the dump */
	uint64_t passes;                /* caller layouts made (one per kind,
	                                   more when merging thin callers
	                                   needed another pass): for the tests */
};

/*
 * Lays out the areas of m (borrowed; the cells borrow the names of its
 * dump, which must outlive the treemap) in a w x h pixel rectangle: the
 * kinds squarified in it, then the callers (areas grouped by caller and
 * module, as the report's caller rows) squarified in each kind's frame.
 * Callers thinner than VMS_TREEMAP_MIN_CELL are merged into one "other"
 * cell per kind (never a lone caller). Any model works; geometry is not
 * read. Fills *out (a new treemap; free with vms_treemap_free()) and
 * returns 0, or -VMS_EINVAL (out zeroed) when w or h is 0. A dump
 * without areas gives no cells. O(n log n) for n areas, plus O(pixels /
 * MIN_CELL^2) per layout pass.
 */
int vms_treemap_build(const struct vms_aspace *m, uint32_t w, uint32_t h,
                      struct vms_treemap *out);
/* Frees the cells; t is zeroed. NULL or a zeroed treemap: a no-op. */
void vms_treemap_free(struct vms_treemap *t);

/* Index in t->cells of the caller cell holding pixel (x, y), or -1
 * (outside, or no cell there). O(frames + cells of the kind). */
ptrdiff_t vms_treemap_hit(const struct vms_treemap *t, uint32_t x, uint32_t y);

/*
 * Drawing (vms_treemap_draw(), view_int.h): the banner is a box across the
 * top of the map, VMS_TREEMAP_BANNER_BG, with its first line of text at
 * VMS_TREEMAP_PAD pixels from its top-left corner (why there are no
 * addresses), then how to get them, wrapped at blanks to the map's width;
 * VMS_TREEMAP_PAD below. Labels sit VMS_TREEMAP_PAD inside their cell.
 */
#define VMS_TREEMAP_PAD       4
#define VMS_TREEMAP_BANNER_BG 0x101010u /* the banner box */
#define VMS_TREEMAP_WHY       0xffd54au /* its first line (amber) */
#define VMS_TREEMAP_HOW       0xe0e0e0u /* the lines saying how */

#endif /* VMS_VIEW_TREEMAP_H */
