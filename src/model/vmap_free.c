/*
 * vmap_free.c — the free tree of vmap.h: holes [va_start, va_end) by
 * address, each node augmented with subtree_max_size, as mm/vmalloc.c keeps
 * free_vmap_area_root; with the kernel's lowest-match search, its fit types
 * and its merge on free.
 *
 * Node ids index both node.v and hole.v. Ids of holes that disappear (a
 * full fit, a merge) are chained on `spare` through node.left and handed
 * out again before the pool grows.
 *
 * Operations: build from sorted ranges O(n) (n augmentation updates, no
 * rotation); insert with merge, clip, find O(log n); lowest fit and alloc
 * O(log n) unless big enough holes lack room once aligned (then up to O(n),
 * as in the kernel: such holes cannot be pruned);
 * first/next O(1) amortised; validate O(pool). 36 bytes per pool id: a
 * 12-byte node and a 24-byte hole (vms_free_bytes()).
 *
 * Invariants (vms_free_validate): the red-black rules (rbtree.h); holes
 * non-empty, ascending, disjoint and never touching; every
 * subtree_max_size exact; count and total agree with the holes; every pool
 * id is either in the tree or on the spare chain.
 *
 * All arithmetic is on uint64_t and checked: a hole may end at UINT64_MAX
 * (ranges are half-open, so the last byte of the space is never free),
 * and an alignment that would carry past 2^64 is no fit.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "rbtree.h"

/* ---- pool and augmentation ------------------------------------------------ */

static uint64_t hole_size(const struct vms_hole *h)
{
	return h->va_end - h->va_start;
}

static uint64_t max_size(const struct vms_free *t, uint32_t id)
{
	return id ? t->hole.v[id].subtree_max_size : 0;
}

/* The subtree_max_size its hole and its children give node id. */
static uint64_t compute_max(const struct vms_free *t, uint32_t id)
{
	uint64_t m = hole_size(&t->hole.v[id]);
	uint64_t l = max_size(t, t->node.v[id].left),
	         r = max_size(t, t->node.v[id].right);
	m = l > m ? l : m;
	return r > m ? r : m;
}

static bool update_max(void *ctx, uint32_t id)
{
	struct vms_free *t = ctx;
	uint64_t m = compute_max(t, id);

	if (t->hole.v[id].subtree_max_size == m)
		return false;
	t->hole.v[id].subtree_max_size = m;
	return true;
}

static struct vms_rb_aug aug_of(struct vms_free *t)
{
	return (struct vms_rb_aug){update_max, t};
}

const char *vms_fit_type_name(enum vms_fit_type f)
{
	switch (f) {
	case VMS_FIT_FL:
		return "FL";
	case VMS_FIT_LE:
		return "LE";
	case VMS_FIT_RE:
		return "RE";
	case VMS_FIT_NE:
		return "NE";
	case VMS_FIT_NONE:
		break;
	}
	return "none";
}

void vms_free_init(struct vms_free *t)
{
	memset(t, 0, sizeof(*t));
}

void vms_free_release(struct vms_free *t)
{
	if (!t)
		return;
	free(t->node.v);
	free(t->hole.v);
	memset(t, 0, sizeof(*t));
}

/* Empties the tree and sets the pool to ids 0..n-1 (0 unused), allocating
 * exactly n when it must grow. */
static void reset_pool(struct vms_free *t, size_t n)
{
	if (n > t->node.cap) {
		t->node.v = vms_xreallocarray(t->node.v, n, sizeof(*t->node.v));
		t->node.cap = n;
	}
	if (n > t->hole.cap) {
		t->hole.v = vms_xreallocarray(t->hole.v, n, sizeof(*t->hole.v));
		t->hole.cap = n;
	}
	t->node.n = t->hole.n = n;
	t->root = t->spare = 0;
	t->count = 0;
	t->total = 0;
	if (n) {
		vms_rb_clear(t->node.v, 0);
		memset(&t->hole.v[0], 0, sizeof(t->hole.v[0]));
	}
}

/* A new hole [start, end) in no tree: a recycled id, else a new one. */
static uint32_t new_hole(struct vms_free *t, uint64_t start, uint64_t end)
{
	uint32_t id = t->spare;

	if (id) {
		t->spare = t->node.v[id].left;
	} else {
		if (!t->node.n) { /* id 0, unused */
			vms_vec_push(&t->node, ((struct vms_rbnode){1, 0, 0}));
			vms_vec_push(&t->hole, ((struct vms_hole){0, 0, 0}));
		}
		assert(t->node.n <= VMS_RB_MAX_ID);
		id = (uint32_t)t->node.n;
		vms_vec_reserve(&t->node, t->node.n + 1);
		vms_vec_reserve(&t->hole, t->hole.n + 1);
		t->node.n++;
		t->hole.n++;
	}
	vms_rb_clear(t->node.v, id);
	t->hole.v[id] = (struct vms_hole){start, end, end - start};
	return id;
}

/* Unlinks hole id and puts its id on the spare chain. */
static void drop_hole(struct vms_free *t, uint32_t id)
{
	struct vms_rb_aug aug = aug_of(t);

	vms_rb_erase(t->node.v, &t->root, id, &aug);
	t->node.v[id].left = t->spare;
	t->spare = id;
	t->hole.v[id] = (struct vms_hole){0, 0, 0};
	t->count--;
}

/* After hole id changed size: fix subtree_max_size from id up. */
static void resized(struct vms_free *t, uint32_t id)
{
	struct vms_rb_aug aug = aug_of(t);
	vms_rb_propagate(t->node.v, id, &aug);
}

/* ---- build and merge -------------------------------------------------------- */

struct vms_hole *vms_free_build_begin(struct vms_free *t, size_t n)
{
	assert(n <= VMS_RB_MAX_ID);
	reset_pool(t, n + 1);
	return t->hole.v + 1;
}

void vms_free_build_end(struct vms_free *t, size_t n)
{
	for (size_t id = 1; id <= n; id++) {
		t->hole.v[id].subtree_max_size = 0;
		t->total += t->hole.v[id].va_end - t->hole.v[id].va_start;
	}
	struct vms_rb_aug aug = aug_of(t);
	t->root = vms_rb_build(t->node.v, NULL, 1, n, &aug);
	t->count = n;
}

int vms_free_build(struct vms_free *t, const uint64_t *starts, const uint64_t *ends,
                   size_t n)
{
	size_t holes = 0;
	for (size_t i = 0; i < n; i++) {
		if (starts[i] >= ends[i] || (i && starts[i] < ends[i - 1])) {
			reset_pool(t, 0);
			return -VMS_EINVAL;
		}
		holes += !i || starts[i] != ends[i - 1];
	}
	struct vms_hole *h = vms_free_build_begin(t, holes) - 1;
	size_t id = 0;
	for (size_t i = 0; i < n; i++) {
		if (!i || starts[i] != ends[i - 1])
			h[++id] = (struct vms_hole){starts[i], 0, 0};
		h[id].va_end = ends[i]; /* touching ranges merge */
	}
	vms_free_build_end(t, holes);
	return 0;
}

/*
 * merge_or_add_vmap_area(): one descent finds where [start, end) belongs
 * and its neighbours, the last holes passed on the right (prev) and on the
 * left (next) of the path:
 *
 *   prev      [start, end)      next
 *   [....)    [..........)      [....)
 *
 * Both touch: prev grows over the range and next, next goes. One touches:
 * it grows. None: a new hole.
 */
int vms_free_insert(struct vms_free *t, uint64_t start, uint64_t end)
{
	uint32_t parent = 0, cur = t->root, prev = 0, next = 0;
	bool left = false;

	if (start >= end)
		return -VMS_EINVAL;
	while (cur) {
		const struct vms_hole *h = &t->hole.v[cur];
		parent = cur;
		left = end <= h->va_start;
		if (!left && start < h->va_end)
			return -VMS_EINVAL;
		if (left)
			next = cur, cur = t->node.v[cur].left;
		else
			prev = cur, cur = t->node.v[cur].right;
	}
	bool below = prev && t->hole.v[prev].va_end == start;
	bool above = next && t->hole.v[next].va_start == end;
	t->total += end - start;
	if (below && above) {
		uint64_t to = t->hole.v[next].va_end;
		drop_hole(t, next);
		t->hole.v[prev].va_end = to;
		resized(t, prev);
	} else if (below) {
		t->hole.v[prev].va_end = end;
		resized(t, prev);
	} else if (above) {
		t->hole.v[next].va_start = start;
		resized(t, next);
	} else {
		uint32_t id = new_hole(t, start, end);
		struct vms_rb_aug aug = aug_of(t);
		vms_rb_insert(t->node.v, &t->root, id, parent, left, &aug);
		t->count++;
	}
	return 0;
}

/* ---- the lowest match --------------------------------------------------------- */

/* What is searched for: size bytes aligned to align; subtrees whose largest
 * hole is below length are not entered. */
struct want {
	uint64_t size, align, length;
};

/*
 * is_within_this_va(): the area fits in hole h at the aligned
 * max(va_start, vstart) when it ends by va_end. An alignment carrying past
 * 2^64 is no fit (the kernel's guard misses the carry when va_start lies
 * above vstart; see vmap.h).
 */
static bool fits_in(const struct vms_hole *h, const struct want *w, uint64_t vstart,
                    uint64_t *addr)
{
	uint64_t from = h->va_start > vstart ? h->va_start : vstart;
	uint64_t mask = w->align - 1;

	if (from > UINT64_MAX - mask)
		return false;
	uint64_t at = (from + mask) & ~mask;
	if (w->size > h->va_end || at > h->va_end - w->size)
		return false;
	*addr = at;
	return true;
}

/*
 * The search's way back up from id, whose subtree held nothing: each
 * ancestor is checked; the first whose right subtree is big enough and
 * which starts at or above vstart has that subtree entered, with vstart
 * moved just past the ancestor's start, so no later climb enters it again. Returns
 * the ancestor the area fits in (*hit), the subtree to descend into, or 0.
 */
static uint32_t climb(const struct vms_free *t, uint32_t id, const struct want *w,
                      uint64_t *vstart, uint64_t *addr, bool *hit)
{
	while ((id = vms_rb_parent(t->node.v, id))) {
		const struct vms_hole *h = &t->hole.v[id];
		if (fits_in(h, w, *vstart, addr)) {
			*hit = true;
			return id;
		}
		if (max_size(t, t->node.v[id].right) >= w->length &&
		    *vstart <= h->va_start) {
			*vstart = h->va_start + 1;
			return t->node.v[id].right;
		}
	}
	return 0;
}

/*
 * find_vmap_lowest_match() (5.13+): go left while the left subtree is big
 * enough and the node starts above vstart; else take this hole if the area
 * fits; else go right if the right subtree is big enough; else climb.
 */
uint32_t vms_free_lowest(const struct vms_free *t, uint64_t size, uint64_t align,
                         uint64_t vstart, bool adjust, uint64_t *addr)
{
	struct want w = {size, align, size};
	uint32_t id = t->root;
	bool hit = false;

	if (!size || !align || (align & (align - 1)))
		return 0;
	if (adjust)
		w.length =
		    size > UINT64_MAX - (align - 1) ? UINT64_MAX : size + align - 1;
	while (id) {
		const struct vms_rbnode *nd = &t->node.v[id];
		const struct vms_hole *h = &t->hole.v[id];
		if (max_size(t, nd->left) >= w.length && vstart < h->va_start)
			id = nd->left;
		else if (fits_in(h, &w, vstart, addr))
			return id;
		else if (max_size(t, nd->right) >= w.length)
			id = nd->right;
		else if ((id = climb(t, id, &w, &vstart, addr, &hit)) && hit)
			return id;
	}
	return 0;
}

/* ---- clip and alloc ------------------------------------------------------------ */

/*
 * va_clip(): [start, end) cut out of hole [s, e) (classify_va_fit_type):
 *
 *   FL  |<------- hole ------->|     the hole goes
 *       |<------- area ------->|
 *
 *   LE  |<------- hole ------->|     [end, e) stays
 *       |<- area ->|
 *
 *   RE  |<------- hole ------->|     [s, start) stays
 *                  |<- area ->|
 *
 *   NE  |<------- hole ------->|     [end, e) stays in the hole's id,
 *            |<- area ->|            [s, start) is a new hole
 */
static enum vms_fit_type classify(const struct vms_hole *h, uint64_t start, uint64_t size)
{
	if (!size || start < h->va_start || start > h->va_end || size > h->va_end - start)
		return VMS_FIT_NONE;
	if (start == h->va_start)
		return start + size == h->va_end ? VMS_FIT_FL : VMS_FIT_LE;
	return start + size == h->va_end ? VMS_FIT_RE : VMS_FIT_NE;
}

/* The new left part of an NE split goes just before hole id in order:
 * as its left child, or right of its predecessor within the left subtree. */
static void link_before(struct vms_free *t, uint32_t id, uint32_t new)
{
	uint32_t left = t->node.v[id].left;
	uint32_t parent = left ? vms_rb_last(t->node.v, left) : id;
	struct vms_rb_aug aug = aug_of(t);

	vms_rb_insert(t->node.v, &t->root, new, parent, !left, &aug);
	t->count++;
}

enum vms_fit_type vms_free_clip(struct vms_free *t, uint32_t id, uint64_t start,
                                uint64_t size)
{
	assert(id && id < t->node.n && vms_rb_linked(t->node.v, id));
	struct vms_hole *h = &t->hole.v[id];
	enum vms_fit_type fit = classify(h, start, size);
	uint64_t s = h->va_start;

	if (fit != VMS_FIT_NONE)
		t->total -= size;
	switch (fit) {
	case VMS_FIT_FL:
		drop_hole(t, id);
		break;
	case VMS_FIT_LE:
		h->va_start = start + size;
		resized(t, id);
		break;
	case VMS_FIT_RE:
		h->va_end = start;
		resized(t, id);
		break;
	case VMS_FIT_NE:
		h->va_start = start + size;
		resized(t, id);
		link_before(t, id, new_hole(t, s, start));
		break;
	case VMS_FIT_NONE:
		break;
	}
	return fit;
}

int vms_free_alloc(struct vms_free *t, uint64_t size, uint64_t align, uint64_t page_size,
                   uint64_t vstart, uint64_t vend, uint64_t *addr, enum vms_fit_type *fit)
{
	uint64_t at = 0;

	if (!size || !align || (align & (align - 1)))
		return -VMS_EINVAL;
	bool adjust = align > page_size && vend - vstart != size;
	uint32_t id = vms_free_lowest(t, size, align, vstart, adjust, &at);
	if (!id || size > vend || at > vend - size)
		return -VMS_ERANGE;
	enum vms_fit_type f = vms_free_clip(t, id, at, size);
	*addr = at;
	if (fit)
		*fit = f;
	return 0;
}

/* ---- queries -------------------------------------------------------------------- */

uint32_t vms_free_find(const struct vms_free *t, uint64_t addr)
{
	uint32_t id = t->root;

	while (id) {
		const struct vms_hole *h = &t->hole.v[id];
		if (addr < h->va_start)
			id = t->node.v[id].left;
		else if (addr >= h->va_end)
			id = t->node.v[id].right;
		else
			return id;
	}
	return 0;
}

uint64_t vms_free_largest(const struct vms_free *t)
{
	return max_size(t, t->root);
}

uint32_t vms_free_first(const struct vms_free *t)
{
	return vms_rb_first(t->node.v, t->root);
}

uint32_t vms_free_next(const struct vms_free *t, uint32_t id)
{
	return vms_rb_next(t->node.v, id);
}

size_t vms_free_bytes(const struct vms_free *t)
{
	return t->node.cap * sizeof(*t->node.v) + t->hole.cap * sizeof(*t->hole.v);
}

/* ---- validate ----------------------------------------------------------------- */

/* Holes in order: non-empty, ascending, apart; exact maxima; the sums. */
static int validate_holes(const struct vms_free *t, char *why, size_t len)
{
	uint64_t total = 0;
	uint32_t prev = 0;

	for (uint32_t id = vms_free_first(t); id; prev = id, id = vms_free_next(t, id)) {
		const struct vms_hole *h = &t->hole.v[id];
		if (h->va_start >= h->va_end)
			return vms_rb_fail(why, len, "hole %u [%#llx, %#llx) is empty",
			                   id, (unsigned long long)h->va_start,
			                   (unsigned long long)h->va_end);
		if (prev && t->hole.v[prev].va_end >= h->va_start)
			return vms_rb_fail(why, len,
			                   "holes out of order: hole %u starts at %#llx, "
			                   "hole %u before it ends at %#llx",
			                   id, (unsigned long long)h->va_start, prev,
			                   (unsigned long long)t->hole.v[prev].va_end);
		if (h->subtree_max_size != compute_max(t, id))
			return vms_rb_fail(
			    why, len,
			    "hole %u: subtree_max_size %#llx, its subtree's "
			    "largest hole %#llx",
			    id, (unsigned long long)h->subtree_max_size,
			    (unsigned long long)compute_max(t, id));
		total += hole_size(h);
	}
	if (total != t->total)
		return vms_rb_fail(why, len, "holes sum to %#llx bytes, total says %#llx",
		                   (unsigned long long)total,
		                   (unsigned long long)t->total);
	return 0;
}

/* Every pool id is in the tree or on the spare chain, once. */
static int validate_spare(const struct vms_free *t, char *why, size_t len)
{
	size_t spare = 0;

	for (uint32_t id = t->spare; id; id = t->node.v[id].left, spare++) {
		if (id >= t->node.n || vms_rb_linked(t->node.v, id) || spare >= t->node.n)
			return vms_rb_fail(why, len, "spare chain broken at id %u", id);
	}
	if (t->node.n && t->count + spare != t->node.n - 1)
		return vms_rb_fail(why, len,
		                   "%zu holes and %zu spare ids in a pool of %zu",
		                   t->count, spare, t->node.n - 1);
	return 0;
}

int vms_free_validate(const struct vms_free *t, char *why, size_t len)
{
	size_t reached;
	int rc = vms_rb_validate(t->node.v, t->node.n, t->root, &reached, why, len);

	if (rc)
		return rc;
	if (t->hole.n != t->node.n)
		return vms_rb_fail(why, len, "%zu holes for %zu nodes", t->hole.n,
		                   t->node.n);
	if (reached != t->count)
		return vms_rb_fail(why, len, "free tree holds %zu holes, count says %zu",
		                   reached, t->count);
	rc = validate_holes(t, why, len);
	return rc ? rc : validate_spare(t, why, len);
}
