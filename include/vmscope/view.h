/*
 * view.h — the viewer's model, free of SDL: which addresses are where on
 * the screen, zoom, pan, hit-testing and the level of detail the renderer
 * draws (docs/view.md "View model").
 *
 * The address space [lo, hi) of a model (the span of its regions and
 * trusted areas) is laid on an axis of positions [0, len): position =
 * address - lo, except that with the compressed axis on, each hole longer
 * than the threshold is a cut that takes only cut_width positions. The
 * screen shows the axis as a wrapped strip: rows of width pixels, each of
 * bpp positions, each row continuing where the last ended; origin is the
 * position of the top-left pixel. All address mapping is integer
 * arithmetic on uint64_t (128-bit intermediates); only the zoom factor is
 * a double, turned into a new integer bpp once.
 *
 * Invariants: 1 <= bpp <= fit_bpp; origin <= max(0, len - screen bytes);
 * cuts sorted by start, disjoint, their positions increasing.
 */
#ifndef VMS_VIEW_H
#define VMS_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/aspace.h"

/* A hole shown shrunk on the compressed axis. */
struct vms_view_cut {
	uint64_t start, end; /* the hole's addresses, half-open */
	uint64_t pos;        /* its first position; it takes cut_width */
};

/* One pixel column of a row, at the level of detail of the zoom. */
struct vms_view_cell {
	uint64_t span;      /* bytes of address space in the column (0: past
	                       the end of the space) */
	uint64_t covered;   /* bytes of trusted areas in it, at most span (the
	                       overlapping areas of a broken dump are not
	                       counted twice) */
	uint8_t kind;       /* enum vms_akind with most bytes; VMS_NR_AKINDS
	                       when nothing is covered */
	uint32_t top;       /* dump index of the area with most bytes in the
	                       column (the first on a tie), or VMS_VIEW_NO_AREA:
	                       what colouring by caller reads */
	uint64_t top_bytes; /* its bytes in the column */
};
#define VMS_VIEW_NO_AREA UINT32_MAX

/* An area as a row reads it: 16 bytes where the dump's record has 56, so
 * a fit-all frame over a million areas streams 16 MB, not 56. */
struct vms_view_span {
	uint64_t start;
	uint32_t len;  /* bytes; UINT32_MAX: 4 GiB or more, read the dump */
	uint32_t area; /* dump index (order[] holds 32-bit ones too) */
};

/* An area that overlaps its successor (a broken dump), by its position
 * in the model's order, with the largest end of those up to it. */
struct vms_view_long {
	uint32_t k;
	uint64_t reach;
};

struct vms_view {
	const struct vms_aspace *m;          /* borrowed */
	uint32_t width, height;              /* viewport, pixels */
	uint32_t row_h;                      /* pixels per row */
	uint32_t rows;                       /* rows on screen: height / row_h */
	uint64_t lo, hi;                     /* the address span, half-open */
	uint64_t len;                        /* positions on the axis (>= 1) */
	uint64_t origin;                     /* position of pixel (0, 0) */
	uint64_t bpp;                        /* positions (bytes) per pixel */
	bool compressed;                     /* holes above threshold are cut */
	uint64_t threshold;                  /* bytes: a longer hole is cut */
	uint64_t cut_width;                  /* positions a cut takes */
	VMS_VEC(struct vms_view_cut) cuts;   /* empty when not compressed */
	uint64_t steps;                      /* work counter: areas visited and
	                                        searches made by vms_view_row() */
	uint64_t *kind_bytes;                /* scratch: width * VMS_NR_AKINDS,
	                                        all zero between rows */
	VMS_VEC(struct vms_view_long) longs; /* areas overlapping the next */
	struct vms_view_span *spans;         /* the trusted areas in the model's
	                                        order, compact (what a row
	                                        reads), or NULL when none */
	uint64_t *edges;                     /* scratch: width + 1 addresses */
	VMS_VEC(size_t)
	matches;           /* search: matching areas (dump
	                      indices), in address order */
	uint8_t *match;    /* search: per dump area, 1 when a
	                      match; NULL when no search */
	bool has_selected; /* an area is selected */
	size_t selected;   /* its dump index (if has_selected) */
};

/* A pixel's hit: the area under it, and whether only its guard page is. */
struct vms_view_hit {
	size_t area; /* index into the dump's areas */
	bool guard;  /* the pixel lies in the area's guard page */
};

/*
 * Returns a new view of m (borrowed; it must outlive the view) for a
 * viewport of width x height pixels with rows of row_h pixels, fitted to
 * the whole space; free with vms_view_free(). NULL when a size is 0 or
 * row_h > height.
 */
struct vms_view *vms_view_new(const struct vms_aspace *m, uint32_t width, uint32_t height,
                              uint32_t row_h);
void vms_view_free(struct vms_view *v);

/* Shows the whole space (origin 0, the smallest bpp that fits). */
void vms_view_fit(struct vms_view *v);
/* The bpp of vms_view_fit(): ceil(len / (width * rows)), at least 1. */
uint64_t vms_view_fit_bpp(const struct vms_view *v);

/*
 * Turns the compressed axis on or off. threshold: holes longer than this
 * many bytes are cut (0: 64 MiB); width: positions each cut takes (0:
 * threshold / 64, at least one page). Rebuilds the cuts (O(n)) and fits.
 */
void vms_view_set_compressed(struct vms_view *v, bool on, uint64_t threshold,
                             uint64_t width);

/* Position of addr on the axis (addr clamped to [lo, hi]); monotonic. A
 * cut's addresses map proportionally into its cut_width. O(log cuts). */
uint64_t vms_view_pos_of(const struct vms_view *v, uint64_t addr);
/* Address at position pos (clamped to len); the inverse of
 * vms_view_pos_of() outside the cuts. O(log cuts). */
uint64_t vms_view_addr_of(const struct vms_view *v, uint64_t pos);

/* Address at the start of pixel (x, y) in *addr. -VMS_ERANGE when the
 * pixel is outside the viewport or past the end of the space. */
int vms_view_addr_at(const struct vms_view *v, uint32_t x, uint32_t y, uint64_t *addr);
/* Pixel (x, y: the top of its row) showing addr. -VMS_ERANGE when addr is
 * outside [lo, hi) or off screen. */
int vms_view_pixel_of(const struct vms_view *v, uint64_t addr, uint32_t *x, uint32_t *y);
/* The visible address range [start, end). */
void vms_view_range(const struct vms_view *v, uint64_t *start, uint64_t *end);

/*
 * Zooms by factor (> 1: in, < 1: out) around pixel (x, y): the position
 * under it stays under it, exactly, unless the new view would leave the
 * space (then the edge wins). bpp stays within [1, fit_bpp]. The double is
 * used only to scale bpp.
 */
void vms_view_zoom(struct vms_view *v, double factor, uint32_t x, uint32_t y);
/* Moves the view by dx pixels and dy rows (positive: towards higher
 * addresses), clamped so the view never leaves the space. */
void vms_view_pan(struct vms_view *v, int64_t dx, int64_t dy);

/*
 * Shows [start, end) (clipped to the space) filling the screen: the
 * smallest bpp at which it fits (within [1, fit bpp]), its start at the
 * top-left pixel unless the space ends first. Returns 0, or -VMS_ERANGE
 * (view unchanged) when the range misses the space. For --focus and the
 * region jumps.
 */
int vms_view_show_range(struct vms_view *v, uint64_t start, uint64_t end);
/*
 * Makes v (a view of a newer snapshot) show what old showed: the same
 * compressed-axis settings, the same bpp (within v's limits) and the
 * address at old's top-left pixel at v's, clamped. Live refreshes keep the
 * view where it is with it.
 */
void vms_view_follow(struct vms_view *v, const struct vms_view *old);

/*
 * Turns the compressed axis on (default threshold and width) when the
 * space is sparse: wider than 4 GiB with its windows' areas covering less
 * than 1% of it (x86_64, arm64, riscv64 vmalloc spaces). Returns whether
 * it did. The viewer's and --screenshot's starting view.
 */
bool vms_view_auto_compress(struct vms_view *v);

/*
 * The first trusted area (by start) overlapping pixel (x, y), in *hit.
 * Returns 0, or -VMS_ERANGE when no area is there. O(log n).
 */
int vms_view_hit(const struct vms_view *v, uint32_t x, uint32_t y,
                 struct vms_view_hit *hit);

/*
 * Level of detail of screen row `row` (0-based): out[0..width) get each
 * column's span, covered bytes and dominant kind, from one binary search
 * and a walk over the areas in the row: O(log n + areas in the row +
 * width). Adds the areas visited and searches to v->steps. A row past the
 * end of the space gets span 0.
 */
void vms_view_row(struct vms_view *v, uint32_t row, struct vms_view_cell *out);

/* ---- Search, selection, live diff (src/view/view_select.c) ----------- */

/*
 * Searches the trusted areas whose caller or module name contains text
 * (case-sensitive substring): v->matches gets their dump indices in
 * address order, replacing any earlier search. NULL or "" clears the
 * search. Returns the number of matches. O(n * name length).
 */
size_t vms_view_search(struct vms_view *v, const char *text);
/* Whether dump area i matches the current search. O(1). */
bool vms_view_is_match(const struct vms_view *v, size_t i);
/*
 * The first match starting at or after from_addr, wrapping to the first
 * match; its dump index, or -1 when there are no matches. O(log matches).
 * For 'n': pass the current match's start + 1.
 */
ptrdiff_t vms_view_search_next(const struct vms_view *v, uint64_t from_addr);

/* Selects the area under pixel (x, y) (vms_view_hit()); returns 0, or
 * -VMS_ERANGE and clears the selection when no area is there. */
int vms_view_select_at(struct vms_view *v, uint32_t x, uint32_t y);
/* The selected area's dump index, or -1 when none. */
ptrdiff_t vms_view_selected(const struct vms_view *v);
/*
 * Pans so that addr is on screen, as near its middle as the space allows;
 * bpp is kept. Returns 0, or -VMS_ERANGE (view unchanged) when addr is
 * outside [lo, hi).
 */
int vms_view_center_on(struct vms_view *v, uint64_t addr);

/*
 * --focus: shows a region by name (the model's region names first, then
 * region kind names; case-insensitive: "vmalloc", "modules", "lowmem") or
 * an address range "A-B" (hex, 0x optional) with vms_view_show_range().
 * Returns 0, or -VMS_EINVAL / -VMS_ERANGE with the reason (naming the
 * regions there are) in why[0..len); the view is then unchanged.
 */
int vms_view_focus(struct vms_view *v, const char *spec, char *why, size_t len);
/* The regions the number keys jump to: those with a size that meet the
 * space, in address order, at most max into out. Returns how many. */
size_t vms_view_jump_regions(const struct vms_view *v, const struct vms_region **out,
                             size_t max);

/* What changed between two snapshots. An area is the same in both when
 * its start, size and caller name are equal; a resized area is freed and
 * added. */
struct vms_view_diff {
	VMS_VEC(size_t)
	added; /* dump indices of the newer model's new areas,
	          in address order */
	VMS_VEC(size_t)
	freed; /* dump indices of the older model's areas gone
	          from the newer, in address order */
};

/*
 * Fills *diff (its previous contents are not freed) with the trusted
 * areas of new_model missing from old_model and those of old_model
 * missing from new_model; both models are borrowed. O(n log n). Free the
 * lists with vms_view_diff_free().
 */
void vms_view_diff_build(const struct vms_aspace *old_model,
                         const struct vms_aspace *new_model, struct vms_view_diff *diff);
/* Frees the lists of diff and empties it; NULL is a no-op. */
void vms_view_diff_free(struct vms_view_diff *diff);

#endif /* VMS_VIEW_H */
