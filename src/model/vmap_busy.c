/*
 * vmap_busy.c — the busy tree of vmap.h: areas by start, as the kernel's
 * vmap_area_root keeps them, over records in an array the caller owns.
 *
 * Record i is node i + 1 of the pool; its key (the area's start) is read at
 * base + i * stride, never stored. Nodes of records that are not in the
 * tree are cleared (vms_rb_clear), which makes vms_busy_contains() O(1).
 *
 * Operations: build from a sorted index list O(n) (plus O(pool) to clear
 * the pool); insert (after equal keys), erase, lower_bound, floor
 * O(log n); first/next O(1) amortised; validate O(pool). 12 bytes per
 * pool node (vms_busy_bytes()).
 *
 * Invariants (vms_busy_validate): the red-black rules (rbtree.h); in-order
 * keys never decrease; count is the number of nodes in the tree and of
 * linked nodes in the pool.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "rbtree.h"

void vms_busy_init(struct vms_busy *t, const void *base, size_t stride)
{
	memset(t, 0, sizeof(*t));
	t->base = base;
	t->stride = stride;
}

void vms_busy_rebase(struct vms_busy *t, const void *base)
{
	t->base = base;
}

void vms_busy_free(struct vms_busy *t)
{
	if (!t)
		return;
	free(t->node.v);
	t->node.v = NULL;
	t->node.n = t->node.cap = 0;
	t->root = 0;
	t->count = 0;
}

/* Grows the pool to hold node id; new nodes are in no tree. exact: no
 * spare capacity (a build knows its size). */
static void reserve(struct vms_busy *t, uint32_t id, bool exact)
{
	size_t need = (size_t)id + 1;

	assert(id <= VMS_RB_MAX_ID);
	if (need <= t->node.n)
		return;
	if (exact && need > t->node.cap) {
		t->node.v = vms_xreallocarray(t->node.v, need, sizeof(*t->node.v));
		t->node.cap = need;
	}
	vms_vec_reserve(&t->node, need);
	for (size_t k = t->node.n; k < need; k++)
		vms_rb_clear(t->node.v, (uint32_t)k);
	t->node.n = need;
}

static uint64_t key_of(const struct vms_busy *t, uint32_t id)
{
	return vms_busy_key(t, id - 1);
}

void vms_busy_build(struct vms_busy *t, const uint32_t *order, size_t n)
{
	uint32_t max = 0;

	for (size_t k = 0; k < n; k++)
		max = order[k] > max ? order[k] : max;
	if (n)
		reserve(t, max + 1, true);
	for (size_t k = 0; k < t->node.n; k++)
		vms_rb_clear(t->node.v, (uint32_t)k);
	t->root = vms_rb_build(t->node.v, order, 1, n, NULL);
	t->count = n;
}

void vms_busy_insert(struct vms_busy *t, uint32_t i)
{
	uint32_t id = i + 1, parent = 0, cur = t->root;
	bool left = false;

	reserve(t, id, false);
	assert(!vms_rb_linked(t->node.v, id));
	uint64_t key = vms_busy_key(t, i);
	while (cur) {
		parent = cur;
		left = key < key_of(t, cur);
		cur = left ? t->node.v[cur].left : t->node.v[cur].right;
	}
	vms_rb_insert(t->node.v, &t->root, id, parent, left, NULL);
	t->count++;
}

void vms_busy_erase(struct vms_busy *t, uint32_t i)
{
	assert(vms_busy_contains(t, i));
	vms_rb_erase(t->node.v, &t->root, i + 1, NULL);
	t->count--;
}

bool vms_busy_contains(const struct vms_busy *t, uint32_t i)
{
	return (size_t)i + 1 < t->node.n && vms_rb_linked(t->node.v, i + 1);
}

uint32_t vms_busy_lower_bound(const struct vms_busy *t, uint64_t addr)
{
	uint32_t best = 0;

	for (uint32_t cur = t->root; cur;) {
		if (key_of(t, cur) >= addr) {
			best = cur;
			cur = t->node.v[cur].left;
		} else {
			cur = t->node.v[cur].right;
		}
	}
	return best ? best - 1 : UINT32_MAX;
}

uint32_t vms_busy_floor(const struct vms_busy *t, uint64_t addr)
{
	uint32_t best = 0;

	for (uint32_t cur = t->root; cur;) {
		if (key_of(t, cur) <= addr) {
			best = cur;
			cur = t->node.v[cur].right;
		} else {
			cur = t->node.v[cur].left;
		}
	}
	return best ? best - 1 : UINT32_MAX;
}

uint32_t vms_busy_first(const struct vms_busy *t)
{
	uint32_t id = vms_rb_first(t->node.v, t->root);
	return id ? id - 1 : UINT32_MAX;
}

uint32_t vms_busy_next(const struct vms_busy *t, uint32_t i)
{
	uint32_t id = vms_rb_next(t->node.v, i + 1);
	return id ? id - 1 : UINT32_MAX;
}

int vms_busy_validate(const struct vms_busy *t, char *why, size_t len)
{
	size_t reached, linked = 0;
	int rc = vms_rb_validate(t->node.v, t->node.n, t->root, &reached, why, len);

	if (rc)
		return rc;
	if (reached != t->count)
		return vms_rb_fail(why, len, "busy tree holds %zu nodes, count says %zu",
		                   reached, t->count);
	for (size_t k = 1; k < t->node.n; k++)
		linked += vms_rb_linked(t->node.v, (uint32_t)k);
	if (linked != t->count)
		return vms_rb_fail(why, len, "%zu pool nodes are linked, count says %zu",
		                   linked, t->count);
	uint32_t prev = 0;
	for (uint32_t id = vms_rb_first(t->node.v, t->root); id;
	     prev = id, id = vms_rb_next(t->node.v, id))
		if (prev && key_of(t, id) < key_of(t, prev))
			return vms_rb_fail(
			    why, len,
			    "busy tree out of order: record %u (%#llx) after "
			    "record %u (%#llx)",
			    id - 1, (unsigned long long)key_of(t, id), prev - 1,
			    (unsigned long long)key_of(t, prev));
	return 0;
}

size_t vms_busy_bytes(const struct vms_busy *t)
{
	return t->node.cap * sizeof(*t->node.v);
}
