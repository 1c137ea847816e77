/*
 * rbtree.h — a red-black tree whose nodes live in a caller-owned pool and
 * name each other by 32-bit index (struct vms_rbnode, 12 bytes), with an
 * optional augmentation callback. The busy and free vmap trees
 * (vmap_busy.c, vmap_free.c) are built on it.
 *
 * The tree knows nothing of keys: the caller descends to the place where a
 * node belongs and links it there with vms_rb_insert(), which restores the
 * colour rules. Node 0 is "none" and is never written; a node that is in no
 * tree is "cleared" (its parent index is itself).
 *
 * Operations and costs (h = height <= 2 log2(n + 1)):
 *  - insert (link + recolour, at most 2 rotations), erase (at most 3
 *    rotations): O(log n), of which O(h) augmentation updates;
 *  - build from an in-order id list: O(n), n augmentation updates, no
 *    rotation;
 *  - first/last O(h); next/prev O(1) amortised, O(h) worst;
 *  - validate: O(n).
 *
 * Augmentation: a value kept in each node that depends only on the node and
 * its two children's values (the free tree's subtree_max_size). The tree
 * calls update(ctx, id) to recompute node id's value from its children and
 * learn whether it changed: on both nodes of every rotation (lower one
 * first), and up the path from a changed node until a value stays the same.
 * Between operations every node's value is exact.
 *
 * Invariants (vms_rb_validate): the root is black and has no parent; child
 * and parent links agree; no red node has a red child; every path from a
 * node to a missing child passes the same number of black nodes.
 */
#ifndef VMS_RBTREE_H
#define VMS_RBTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/vmap.h"

/* The largest node id: the parent index is stored shifted by one bit. */
#define VMS_RB_MAX_ID ((UINT32_C(1) << 31) - 1)

/* Recomputes node id's augmented value from its children; returns whether
 * the value changed. */
struct vms_rb_aug {
	bool (*update)(void *ctx, uint32_t id);
	void *ctx;
};

static inline uint32_t vms_rb_parent(const struct vms_rbnode *n, uint32_t id)
{
	return n[id].parent_color >> 1;
}

/* Node 0 (a missing child) counts as black. */
static inline bool vms_rb_is_black(const struct vms_rbnode *n, uint32_t id)
{
	return id == 0 || (n[id].parent_color & 1u);
}

/* Marks node id as in no tree. */
static inline void vms_rb_clear(struct vms_rbnode *n, uint32_t id)
{
	n[id].parent_color = id << 1 | 1u;
	n[id].left = n[id].right = 0;
}

/* True when node id is linked into a tree (not cleared). */
static inline bool vms_rb_linked(const struct vms_rbnode *n, uint32_t id)
{
	return vms_rb_parent(n, id) != id;
}

/*
 * Links node id (any content; its augmented value must already hold its
 * own contribution) as the left (left true) or right child of parent, whose
 * side must be empty, or as the root when parent is 0 (*root must be 0);
 * then updates the augmented values up the path and rebalances. aug may be
 * NULL. O(log n).
 */
void vms_rb_insert(struct vms_rbnode *n, uint32_t *root, uint32_t id, uint32_t parent,
                   bool left, const struct vms_rb_aug *aug);
/* Unlinks node id, which must be in the tree at *root, rebalances, and
 * clears it. O(log n). */
void vms_rb_erase(struct vms_rbnode *n, uint32_t *root, uint32_t id,
                  const struct vms_rb_aug *aug);
/* After node id's own contribution changed: recomputes values from id up
 * until one stays the same. O(log n). */
void vms_rb_propagate(struct vms_rbnode *n, uint32_t id, const struct vms_rb_aug *aug);
/*
 * Links count nodes into a new balanced tree in O(n) and returns its root
 * (0 when count is 0). The i-th node in order is (ids ? ids[i] : i) + bias.
 * Every level is full but the deepest; the deepest is red when the tree
 * has more than one level, all others black. update() runs once per node,
 * children before parents. No rotation.
 */
uint32_t vms_rb_build(struct vms_rbnode *n, const uint32_t *ids, uint32_t bias,
                      size_t count, const struct vms_rb_aug *aug);

/* In-order walk; 0 at either end. */
uint32_t vms_rb_first(const struct vms_rbnode *n, uint32_t root);
uint32_t vms_rb_last(const struct vms_rbnode *n, uint32_t root);
uint32_t vms_rb_next(const struct vms_rbnode *n, uint32_t id);
uint32_t vms_rb_prev(const struct vms_rbnode *n, uint32_t id);

/*
 * Checks the red-black invariants of the tree at root over the pool
 * n[0..pool) and stores the number of nodes reached in *count. Returns 0,
 * or -VMS_EINVAL with a one-line reason in why[0..len) (may be NULL).
 * O(n); never loops on a corrupt tree.
 */
int vms_rb_validate(const struct vms_rbnode *n, size_t pool, uint32_t root, size_t *count,
                    char *why, size_t len);
/* Formats a validation failure into why[0..len) (may be NULL) and returns
 * -VMS_EINVAL: the one reason writer of the tree validators. */
int vms_rb_fail(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* VMS_RBTREE_H */
