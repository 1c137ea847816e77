/*
 * vmap.h — the kernel's vmap trees, as mm/vmalloc.c keeps them: a red-black
 * tree of busy areas keyed by start, and a red-black tree of free holes
 * augmented with subtree_max_size (the largest hole in each subtree), so the
 * lowest-address fit for (size, align, vstart, vend) is found in O(log n) the
 * way find_vmap_lowest_match() finds it.
 *
 * Both trees are built on one red-black tree (src/model/rbtree.h) whose nodes
 * live in a pool and name each other by 32-bit index (0 is "none"), so a
 * tree over a growing array of records needs no pointers into it and costs
 * 12 bytes per node.
 *
 * Costs: build from sorted input O(n); insert, erase, lowest fit (see
 * vms_free_lowest for when it is not), clip and merge O(log n); validate
 * O(n). Memory: vms_busy_bytes() (12 bytes per node) / vms_free_bytes()
 * (36 bytes per hole: a node and a struct vms_hole).
 *
 * Invariants (checked from scratch by the validate functions):
 *  - red-black rules: the root is black, no red node has a red child, every
 *    path from a node down to a missing child passes the same number of black
 *    nodes; parent links agree with child links;
 *  - busy tree: in-order keys never decrease (equal starts are allowed: a
 *    broken dump may list an area twice; ties keep insertion order);
 *  - free tree: holes are non-empty, in-order ascending and disjoint, no two
 *    holes touch (a freed range merges with its neighbours), and every node's
 *    subtree_max_size is the largest hole size in its subtree.
 */
#ifndef VMS_VMAP_H
#define VMS_VMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/common.h"

/* One node of the index-linked red-black tree (12 bytes). */
struct vms_rbnode {
	uint32_t parent_color; /* parent index << 1 | 1 when black */
	uint32_t left, right;  /* child indices; 0 = none */
};

/* ---- Busy tree: areas by start ------------------------------------------ */

/*
 * The busy tree names records by their index in an array the caller owns
 * (node id = index + 1) and reads each record's key, a uint64_t start, at
 * base + index * stride (the start of struct vms_area is its first field,
 * so a tree over dump->areas.v uses stride sizeof(struct vms_area)). Keys
 * of records in the tree must not change; when the array moves (grows),
 * call vms_busy_rebase().
 */
struct vms_busy {
	VMS_VEC(struct vms_rbnode) node; /* node.v[id]; id 0 unused */
	uint32_t root;
	size_t count;
	const char *base; /* the records' array */
	size_t stride;    /* bytes from one record's key to the next */
};

void vms_busy_init(struct vms_busy *t, const void *base, size_t stride);
void vms_busy_rebase(struct vms_busy *t, const void *base);
void vms_busy_free(struct vms_busy *t);
/* Key (start) of record i. */
static inline uint64_t vms_busy_key(const struct vms_busy *t, uint32_t i)
{
	uint64_t k;
	__builtin_memcpy(&k, t->base + (size_t)i * t->stride, sizeof(k));
	return k;
}
/*
 * Builds the tree from scratch over the n distinct indices order[0..n),
 * whose keys ascend (ties allowed; they keep this order), in O(n) plus
 * O(pool) to clear the pool: a balanced tree coloured so that the
 * red-black rules hold. Any previous content is dropped.
 */
void vms_busy_build(struct vms_busy *t, const uint32_t *order, size_t n);
/* Inserts record i (after any equal keys). O(log n). */
void vms_busy_insert(struct vms_busy *t, uint32_t i);
/* Removes record i, which must be in the tree. O(log n). */
void vms_busy_erase(struct vms_busy *t, uint32_t i);
/* True when record i is in the tree. O(1). */
bool vms_busy_contains(const struct vms_busy *t, uint32_t i);
/* Index of the first record with key >= addr, or UINT32_MAX. O(log n). */
uint32_t vms_busy_lower_bound(const struct vms_busy *t, uint64_t addr);
/* Index of the last record with key <= addr, or UINT32_MAX. O(log n). */
uint32_t vms_busy_floor(const struct vms_busy *t, uint64_t addr);
/* In-order iteration: the first index, and the index after i; UINT32_MAX at
 * the end. O(1) amortised per step. */
uint32_t vms_busy_first(const struct vms_busy *t);
uint32_t vms_busy_next(const struct vms_busy *t, uint32_t i);
/* Recomputes every invariant; returns 0, or -VMS_EINVAL with a one-line
 * reason in why[0..len) (may be NULL). O(n). */
int vms_busy_validate(const struct vms_busy *t, char *why, size_t len);
/* Bytes the tree owns. */
size_t vms_busy_bytes(const struct vms_busy *t);

/* ---- Free tree: holes with subtree_max_size ------------------------------ */

/* A free hole [va_start, va_end) and the largest hole size in its subtree. */
struct vms_hole {
	uint64_t va_start, va_end;
	uint64_t subtree_max_size; /* bytes */
};

/* How an allocation was cut out of its hole (mm/vmalloc.c's fit types). */
enum vms_fit_type {
	VMS_FIT_NONE = 0,
	VMS_FIT_FL, /* full: the hole is used up */
	VMS_FIT_LE, /* left edge: the hole keeps its right part */
	VMS_FIT_RE, /* right edge: the hole keeps its left part */
	VMS_FIT_NE, /* no edge: the hole splits in two */
};
/* "FL", "LE", "RE", "NE", or "none". */
const char *vms_fit_type_name(enum vms_fit_type f);

struct vms_free {
	VMS_VEC(struct vms_rbnode) node; /* node.v[id]; id 0 unused */
	VMS_VEC(struct vms_hole) hole;   /* hole.v[id]; same ids */
	uint32_t root;
	uint32_t spare; /* first recycled id (chained through node.left), 0 none */
	size_t count;   /* holes in the tree */
	uint64_t total; /* bytes in all holes */
};

void vms_free_init(struct vms_free *t);
void vms_free_release(struct vms_free *t);
/*
 * Builds the tree from n holes given as ascending, disjoint, non-empty
 * [starts[i], ends[i]) ranges (touching ranges are merged), in O(n). Any
 * previous content is dropped. Returns 0, or -VMS_EINVAL when the ranges
 * are not ascending and disjoint (the tree is then empty).
 */
int vms_free_build(struct vms_free *t, const uint64_t *starts, const uint64_t *ends,
                   size_t n);
/*
 * Builds the tree from n holes written in place, without the arrays of
 * vms_free_build(): vms_free_build_begin() drops any previous content,
 * makes room for n holes and returns where to write them (n entries:
 * va_start, va_end; ascending, disjoint, non-empty and not touching);
 * vms_free_build_end() links the n holes written, in O(n).
 */
struct vms_hole *vms_free_build_begin(struct vms_free *t, size_t n);
void vms_free_build_end(struct vms_free *t, size_t n);
/*
 * Gives [start, end) back: merges it with the hole just below and/or above
 * when they touch (merge_or_add_vmap_area), else inserts a new hole.
 * Returns 0, or -VMS_EINVAL when the range is empty or overlaps a hole (the
 * tree is unchanged). O(log n).
 */
int vms_free_insert(struct vms_free *t, uint64_t start, uint64_t end);
/*
 * The kernel's lowest-address search (find_vmap_lowest_match): the hole
 * in which an area of size bytes aligned to align (a power of two) can
 * start at or above vstart. The search prunes subtrees whose
 * subtree_max_size is below size, or below size + align - 1 when
 * adjust is true (the kernel adjusts for alignments above a page unless the
 * window is exactly size long; a sum past 2^64 counts as 2^64 - 1). Returns
 * the hole's id and the aligned start in *addr, or 0. The result is the
 * lowest fitting hole when adjust is false (0: nothing fits); with adjust
 * it is a fitting hole at or above the lowest fitting one and no higher
 * than the lowest hole holding size + align - 1 bytes above vstart, and 0
 * only when no hole holds that many (a smaller hole may still have fitted:
 * the kernel then fails too). An aligned start that would carry past 2^64
 * is no fit. Returns 0 for size 0 or an align that is not a power of two.
 * O(log n) when every hole of the searched length above vstart has room
 * for the aligned area (always with adjust, and with page-aligned holes and
 * align <= page); else, like the kernel's, up to O(n): big enough but
 * misaligned holes cannot be pruned.
 */
uint32_t vms_free_lowest(const struct vms_free *t, uint64_t size, uint64_t align,
                         uint64_t vstart, bool adjust, uint64_t *addr);
/*
 * Allocates as alloc_vmap_area() does in [vstart, vend): the lowest fit
 * (adjust chosen as the kernel does: align > page_size and
 * vend - vstart != size), -VMS_ERANGE when it ends past vend or nothing fits
 * (the kernel does not look further when the fit it found ends past vend),
 * -VMS_EINVAL for size 0 or an align that is not a power of two; else clips
 * it out of its hole and returns 0 with the start in *addr and the fit type
 * in *fit (may be NULL). O(log n), as vms_free_lowest().
 */
int vms_free_alloc(struct vms_free *t, uint64_t size, uint64_t align, uint64_t page_size,
                   uint64_t vstart, uint64_t vend, uint64_t *addr,
                   enum vms_fit_type *fit);
/*
 * Removes [start, start + size) from hole id, which must be in the tree
 * (va_clip): returns the fit type, or VMS_FIT_NONE (tree unchanged) when the
 * range is empty or not inside the hole. As in the kernel, an NE split
 * leaves the right part in hole id and puts the left part in a new id; an
 * FL fit frees id for reuse. O(log n).
 */
enum vms_fit_type vms_free_clip(struct vms_free *t, uint32_t id, uint64_t start,
                                uint64_t size);
/* Id of the hole containing addr, or 0. O(log n). */
uint32_t vms_free_find(const struct vms_free *t, uint64_t addr);
/* Size of the largest hole (the root's subtree_max_size), 0 when empty. */
uint64_t vms_free_largest(const struct vms_free *t);
/* In-order iteration over hole ids; 0 at the end. */
uint32_t vms_free_first(const struct vms_free *t);
uint32_t vms_free_next(const struct vms_free *t, uint32_t id);
/* The hole with id (borrowed; valid until the tree changes). */
static inline const struct vms_hole *vms_free_hole(const struct vms_free *t, uint32_t id)
{
	return &t->hole.v[id];
}
/* Recomputes every invariant, count and total; returns 0, or -VMS_EINVAL
 * with a one-line reason in why[0..len) (may be NULL). O(n). */
int vms_free_validate(const struct vms_free *t, char *why, size_t len);
/* Bytes the tree owns. */
size_t vms_free_bytes(const struct vms_free *t);

#endif /* VMS_VMAP_H */
