/*
 * rbtree.c — the index-linked red-black tree of rbtree.h: insert fixup,
 * erase with rebalancing, O(n) build, in-order walk and validation, with
 * augmentation updates on every rotation and up every changed path.
 *
 * Written from the textbook algorithm (insertion: recolour while the uncle
 * is red, else one or two rotations; deletion: splice out the node or its
 * successor, then push the missing black up or absorb it with at most three
 * rotations). Node 0 stands for a missing child and is never written, so
 * the deletion fixup carries the parent of the "doubly black" position
 * explicitly instead of storing it in a sentinel.
 *
 * Costs and invariants: see rbtree.h.
 */
#include <stdarg.h>
#include <stdio.h>

#include "rbtree.h"

static bool update(const struct vms_rb_aug *aug, uint32_t id)
{
	return aug && aug->update ? aug->update(aug->ctx, id) : false;
}

static void set_parent(struct vms_rbnode *n, uint32_t id, uint32_t parent)
{
	n[id].parent_color = parent << 1 | (n[id].parent_color & 1u);
}

static void set_black(struct vms_rbnode *n, uint32_t id)
{
	n[id].parent_color |= 1u;
}

static void set_red(struct vms_rbnode *n, uint32_t id)
{
	n[id].parent_color &= ~1u;
}

/* Makes new take old's place under parent (or as the root). */
static void replace_child(struct vms_rbnode *n, uint32_t *root, uint32_t parent,
                          uint32_t old, uint32_t new)
{
	if (!parent)
		*root = new;
	else if (n[parent].left == old)
		n[parent].left = new;
	else
		n[parent].right = new;
}

/* Hangs subtree v (may be 0) where u hung; u's own links are left as they
 * are. */
static void transplant(struct vms_rbnode *n, uint32_t *root, uint32_t u, uint32_t v)
{
	uint32_t p = vms_rb_parent(n, u);
	replace_child(n, root, p, u, v);
	if (v)
		set_parent(n, v, p);
}

/*
 * Rotation at x. A left rotation (left true) lifts x's right child y into
 * x's place; y's left subtree b moves under x. The in-order sequence
 * a x b y c is unchanged; only x and y have new subtrees, so only their
 * augmented values change (x first: it is now y's child). A right rotation
 * is the mirror image.
 *
 *       x                   y
 *      / \                 / \
 *     a   y      ==>      x   c
 *        / \             / \
 *       b   c           a   b
 */
static void rotate(struct vms_rbnode *n, uint32_t *root, uint32_t x, bool left,
                   const struct vms_rb_aug *aug)
{
	uint32_t *x_side = left ? &n[x].right : &n[x].left;
	uint32_t y = *x_side;
	uint32_t *y_side = left ? &n[y].left : &n[y].right;
	uint32_t b = *y_side, p = vms_rb_parent(n, x);

	*x_side = b;
	if (b)
		set_parent(n, b, x);
	*y_side = x;
	set_parent(n, x, y);
	set_parent(n, y, p);
	replace_child(n, root, p, x, y);
	update(aug, x);
	update(aug, y);
}

/*
 * z is red and may have a red parent p. With a red uncle u, recolour and
 * move the problem up to the grandparent g:
 *
 *         g(B)                g(R)   <- new z
 *        /    \              /    \
 *      p(R)   u(R)   ==>   p(B)   u(B)
 *       |                   |
 *      z(R)                z(R)
 *
 * With a black uncle, an inner z is first rotated outside (rotation at p),
 * then a rotation at g lifts p, which turns black over two red children:
 *
 *         g(B)               p(B)
 *        /    \             /    \
 *      p(R)   u(B)  ==>   z(R)   g(R)
 *      /                            \
 *    z(R)                           u(B)
 */
static void insert_fixup(struct vms_rbnode *n, uint32_t *root, uint32_t z,
                         const struct vms_rb_aug *aug)
{
	uint32_t p;

	while ((p = vms_rb_parent(n, z)) && !vms_rb_is_black(n, p)) {
		uint32_t g = vms_rb_parent(n, p); /* p is red, so not the root */
		bool p_left = n[g].left == p;
		uint32_t u = p_left ? n[g].right : n[g].left;

		if (!vms_rb_is_black(n, u)) {
			set_black(n, p);
			set_black(n, u);
			set_red(n, g);
			z = g;
			continue;
		}
		if (z == (p_left ? n[p].right : n[p].left)) {
			rotate(n, root, p, p_left, aug);
			z = p;
			p = vms_rb_parent(n, z);
		}
		set_black(n, p);
		set_red(n, g);
		rotate(n, root, g, !p_left, aug);
		break;
	}
	set_black(n, *root);
}

void vms_rb_insert(struct vms_rbnode *n, uint32_t *root, uint32_t id, uint32_t parent,
                   bool left, const struct vms_rb_aug *aug)
{
	n[id].parent_color = parent << 1; /* red */
	n[id].left = n[id].right = 0;
	if (!parent)
		*root = id;
	else if (left)
		n[parent].left = id;
	else
		n[parent].right = id;
	if (aug) {
		update(aug, id);
		vms_rb_propagate(n, parent, aug);
	}
	insert_fixup(n, root, id, aug);
}

void vms_rb_propagate(struct vms_rbnode *n, uint32_t id, const struct vms_rb_aug *aug)
{
	while (id && update(aug, id))
		id = vms_rb_parent(n, id);
}

/*
 * Recomputes values from id up, stopping at the first value that stays the
 * same, but not before passing node must (0: none). must is a successor
 * that took an erased node's place: its old value described another
 * subtree, so "unchanged" there says nothing about its ancestors, which
 * still count the erased node.
 */
static void augment_up(struct vms_rbnode *n, uint32_t id, uint32_t must,
                       const struct vms_rb_aug *aug)
{
	bool passed = must == 0;

	for (; id; id = vms_rb_parent(n, id)) {
		bool changed = update(aug, id);
		if (passed && !changed)
			return;
		passed = passed || id == must;
	}
}

/*
 * The position x (maybe a missing child) under xp lacks one black. w is
 * x's sibling, "near" and "far" w's children on x's side and away from it
 * (shown for x on the left; the other side is the mirror image).
 *  1. w red: rotate at xp so x's sibling is black, then go on.
 *  2. w black with two black children: make w red; xp now lacks the black.
 *  3. w black, far black, near red: rotate at w so far becomes red.
 *  4. w black, far red: rotate at xp; w takes xp's colour, xp and far turn
 *     black, and x's side gains the missing black:
 *
 *       xp(?)                  w(?)
 *      /    \                 /    \
 *     x     w(B)     ==>    xp(B)  far(B)
 *          /   \           /   \
 *       near   far(R)     x    near
 */
static void erase_fixup(struct vms_rbnode *n, uint32_t *root, uint32_t x, uint32_t xp,
                        const struct vms_rb_aug *aug)
{
	while (x != *root && vms_rb_is_black(n, x)) {
		bool x_left = n[xp].left == x;
		uint32_t w = x_left ? n[xp].right : n[xp].left;

		if (!vms_rb_is_black(n, w)) { /* 1 */
			set_black(n, w);
			set_red(n, xp);
			rotate(n, root, xp, x_left, aug);
			w = x_left ? n[xp].right : n[xp].left;
		}
		uint32_t near = x_left ? n[w].left : n[w].right;
		uint32_t far = x_left ? n[w].right : n[w].left;
		if (vms_rb_is_black(n, near) && vms_rb_is_black(n, far)) { /* 2 */
			set_red(n, w);
			x = xp;
			xp = vms_rb_parent(n, x);
			continue;
		}
		if (vms_rb_is_black(n, far)) { /* 3 */
			set_black(n, near);
			set_red(n, w);
			rotate(n, root, w, !x_left, aug);
			w = x_left ? n[xp].right : n[xp].left;
			far = x_left ? n[w].right : n[w].left;
		}
		/* 4 */
		n[w].parent_color = (n[w].parent_color & ~1u) | (n[xp].parent_color & 1u);
		set_black(n, xp);
		set_black(n, far);
		rotate(n, root, xp, x_left, aug);
		return;
	}
	if (x)
		set_black(n, x);
}

/*
 * Splicing out z. With at most one child c, c takes z's place. With two,
 * z's successor y (leftmost in z's right subtree) is unhooked from its
 * place (its right subtree x moves up) and takes z's place and colour:
 *
 *         z                  y
 *        / \                / \
 *       a   r      ==>     a   r
 *          /                  /
 *         y                  x
 *          \
 *           x
 *
 * The black removed is y's (or z's) own colour; it is missing at x's
 * position under xp.
 */
void vms_rb_erase(struct vms_rbnode *n, uint32_t *root, uint32_t z,
                  const struct vms_rb_aug *aug)
{
	uint32_t x, xp, must = 0;
	bool removed_black;

	if (!n[z].left || !n[z].right) {
		x = n[z].left ? n[z].left : n[z].right;
		xp = vms_rb_parent(n, z);
		removed_black = vms_rb_is_black(n, z);
		transplant(n, root, z, x);
	} else {
		uint32_t y = n[z].right;
		while (n[y].left)
			y = n[y].left;
		removed_black = vms_rb_is_black(n, y);
		x = n[y].right;
		xp = y;
		if (vms_rb_parent(n, y) != z) {
			xp = vms_rb_parent(n, y);
			transplant(n, root, y, x);
			n[y].right = n[z].right;
			set_parent(n, n[y].right, y);
		}
		transplant(n, root, z, y);
		n[y].left = n[z].left;
		set_parent(n, n[y].left, y);
		n[y].parent_color = (n[y].parent_color & ~1u) | (n[z].parent_color & 1u);
		must = y;
	}
	vms_rb_clear(n, z);
	if (aug)
		augment_up(n, xp, must, aug);
	if (removed_black)
		erase_fixup(n, root, x, xp, aug);
}

/* ---- build -------------------------------------------------------------- */

struct build {
	struct vms_rbnode *n;
	const uint32_t *ids;
	uint32_t bias;
	unsigned red_level; /* 1 = root; 0 = none red */
	const struct vms_rb_aug *aug;
};

/* Links positions [lo, hi) as a subtree at level under parent. */
static uint32_t build_range(const struct build *b, size_t lo, size_t hi, unsigned level,
                            uint32_t parent)
{
	if (lo >= hi)
		return 0;
	size_t mid = lo + (hi - lo) / 2;
	uint32_t id = (b->ids ? b->ids[mid] : (uint32_t)mid) + b->bias;
	struct vms_rbnode *n = b->n;

	n[id].parent_color = parent << 1 | (level != b->red_level);
	n[id].left = build_range(b, lo, mid, level + 1, id);
	n[id].right = build_range(b, mid + 1, hi, level + 1, id);
	update(b->aug, id);
	return id;
}

/*
 * Splitting at the middle makes the halves differ by at most one node, so
 * every level but the deepest is full (by induction: the halves' heights
 * differ only when the smaller one is a perfect tree). Paths to a missing
 * child therefore all pass the levels 1..h-1 and maybe one level-h node;
 * colouring level h red, the rest black, gives every path h-1 blacks.
 */
uint32_t vms_rb_build(struct vms_rbnode *n, const uint32_t *ids, uint32_t bias,
                      size_t count, const struct vms_rb_aug *aug)
{
	unsigned height = 0;
	for (size_t m = count; m; m >>= 1)
		height++;
	struct build b = {n, ids, bias, height > 1 ? height : 0, aug};
	return build_range(&b, 0, count, 1, 0);
}

/* ---- walk --------------------------------------------------------------- */

uint32_t vms_rb_first(const struct vms_rbnode *n, uint32_t root)
{
	if (root)
		while (n[root].left)
			root = n[root].left;
	return root;
}

uint32_t vms_rb_last(const struct vms_rbnode *n, uint32_t root)
{
	if (root)
		while (n[root].right)
			root = n[root].right;
	return root;
}

uint32_t vms_rb_next(const struct vms_rbnode *n, uint32_t id)
{
	if (n[id].right)
		return vms_rb_first(n, n[id].right);
	uint32_t p;
	while ((p = vms_rb_parent(n, id)) && n[p].right == id)
		id = p;
	return p;
}

uint32_t vms_rb_prev(const struct vms_rbnode *n, uint32_t id)
{
	if (n[id].left)
		return vms_rb_last(n, n[id].left);
	uint32_t p;
	while ((p = vms_rb_parent(n, id)) && n[p].left == id)
		id = p;
	return p;
}

/* ---- validate ----------------------------------------------------------- */

int vms_rb_fail(char *why, size_t len, const char *fmt, ...)
{
	if (why && len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return -VMS_EINVAL;
}

struct check {
	const struct vms_rbnode *n;
	size_t pool, count;
	char *why;
	size_t len;
	int rc;
};

/* Longer than any red-black path in a pool of VMS_RB_MAX_ID nodes. */
#define MAX_DEPTH 64

/* Black height of the subtree at id hanging under parent, or -1 (c->rc
 * set). */
static int check_node(struct check *c, uint32_t id, uint32_t parent, unsigned depth)
{
	if (!id)
		return 1;
	if (id >= c->pool)
		c->rc = vms_rb_fail(c->why, c->len, "node %u is outside the pool of %zu",
		                    id, c->pool);
	else if (depth > MAX_DEPTH)
		c->rc =
		    vms_rb_fail(c->why, c->len, "tree deeper than %d levels at node %u",
		                MAX_DEPTH, id);
	else if (vms_rb_parent(c->n, id) != parent)
		c->rc = vms_rb_fail(c->why, c->len,
		                    "node %u names parent %u but hangs under %u", id,
		                    vms_rb_parent(c->n, id), parent);
	else if (c->n[id].left && c->n[id].left == c->n[id].right)
		c->rc = vms_rb_fail(c->why, c->len, "node %u has node %u on both sides",
		                    id, c->n[id].left);
	if (c->rc)
		return -1;
	c->count++;
	uint32_t l = c->n[id].left, r = c->n[id].right;
	int lh = check_node(c, l, id, depth + 1);
	int rh = lh < 0 ? -1 : check_node(c, r, id, depth + 1);
	if (rh < 0)
		return -1;
	bool black = vms_rb_is_black(c->n, id);
	if (lh != rh)
		c->rc = vms_rb_fail(
		    c->why, c->len,
		    "black heights differ under node %u (%d left, %d right)", id, lh, rh);
	else if (!black && (!vms_rb_is_black(c->n, l) || !vms_rb_is_black(c->n, r)))
		c->rc = vms_rb_fail(c->why, c->len, "red node %u has a red child", id);
	return c->rc ? -1 : lh + black;
}

int vms_rb_validate(const struct vms_rbnode *n, size_t pool, uint32_t root, size_t *count,
                    char *why, size_t len)
{
	struct check c = {n, pool, 0, why, len, 0};

	*count = 0;
	if (root && root < pool && !vms_rb_is_black(n, root))
		return vms_rb_fail(why, len, "root %u is red", root);
	check_node(&c, root, 0, 1);
	*count = c.count;
	return c.rc;
}
