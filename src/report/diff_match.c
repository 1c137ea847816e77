/*
 * diff_match.c — pairs the areas of two snapshots: which were added,
 * removed, resized or left alone (docs/diff.md "Matching").
 *
 *  - By address (both models have geometry): the models' order[] arrays
 *    (trusted areas by start) are merged in one walk, O(n + m). Equal
 *    starts pair; a pair keeps its identity when the caller (and the kind
 *    of line) is the same, else it is one area freed and another placed
 *    there. Areas outside order[] (untrusted ranges) go to the caller
 *    matcher among themselves.
 *  - By caller: each area gets a key (common caller id, kind of line) and
 *    the two lists are sorted by (key, size, index). Equal (key, size) runs
 *    pair their first min(n, m) areas in input order; the leftovers,
 *    re-sorted by (key, index), pair in input order as resized; what is
 *    left of a key is removed or added. O((n + m) log(n + m)).
 * The lists are sorted by area index at the end, so they read in input
 * order whatever order the matching found them in.
 */
#include <stdlib.h>

#include "diff_int.h"

/* ---- keys ---------------------------------------------------------------- */

/* An area as the caller matcher sorts it. */
struct mkey {
	uint64_t caller; /* common caller id << 33 | module id << 2 | kind */
	uint64_t size;   /* bytes as printed */
	uint64_t start;  /* as printed: a %p hash is stable within one boot */
	uint32_t idx;    /* area index */
};

static uint64_t caller_key(const struct vms_diff_side *s, size_t i)
{
	const struct vms_area *a = &s->model->dump->areas.v[i];
	uint64_t id = a->caller ? s->caller_id[a->caller] : 0;
	uint64_t mod = a->module ? s->caller_id[a->module] : 0;
	return id << 33 | (mod & 0x7fffffffu) << 2 | a->kind;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return (a > b) - (a < b);
}

static int cmp_resize(const void *x, const void *y)
{
	const struct vms_diff_resize *a = x, *b = y;
	return (a->to > b->to) - (a->to < b->to);
}

static int cmp_key_size(const void *x, const void *y)
{
	const struct mkey *a = x, *b = y;
	if (a->caller != b->caller)
		return a->caller < b->caller ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static int cmp_key_index(const void *x, const void *y)
{
	const struct mkey *a = x, *b = y;
	if (a->caller != b->caller)
		return a->caller < b->caller ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static void add_resized(struct vms_diff_pair *p, uint32_t from, uint32_t to)
{
	struct vms_diff_resize r = {from, to};
	vms_vec_push(&p->resized, r);
}

/* ---- by caller ----------------------------------------------------------- */

/* A list of areas of one side being matched. */
struct mlist {
	struct mkey *v;
	size_t n;
};

static struct mlist make_list(const struct vms_diff_side *s, const uint32_t *idx,
                              size_t n)
{
	struct mlist l = {vms_xreallocarray(NULL, n ? n : 1, sizeof(*l.v)), n};
	const struct vms_area *areas = s->model->dump->areas.v;
	for (size_t k = 0; k < n; k++)
		l.v[k] = (struct mkey){caller_key(s, idx[k]), areas[idx[k]].size,
		                       areas[idx[k]].start, idx[k]};
	vms_diff_sort(l.v, n, sizeof(*l.v), cmp_key_size);
	return l;
}

/* Orders by (caller, size): the runs of phase one. */
static int order_key_size(const struct mkey *a, const struct mkey *b)
{
	if (a->caller != b->caller)
		return a->caller < b->caller ? -1 : 1;
	return (a->size > b->size) - (a->size < b->size);
}

/* Orders by caller: the runs of phase two. */
static int order_key(const struct mkey *a, const struct mkey *b)
{
	return (a->caller > b->caller) - (a->caller < b->caller);
}

typedef int (*run_order)(const struct mkey *, const struct mkey *);

/* End of the run of keys equal under order that starts at l->v[i]. */
static size_t run_end(const struct mlist *l, size_t i, run_order order)
{
	size_t j = i + 1;
	while (j < l->n && order(&l->v[i], &l->v[j]) == 0)
		j++;
	return j;
}

/* Which run comes first at positions i of a and j of b: <0 a's, >0 b's,
 * 0 both (equal keys). */
static int next_run(const struct mlist *a, size_t i, const struct mlist *b, size_t j,
                    run_order order)
{
	if (i == a->n)
		return 1;
	if (j == b->n)
		return -1;
	return order(&a->v[i], &b->v[j]);
}

/* Moves l->v[from..to) to the front part of l kept for phase two. */
static void keep_left(struct mlist *l, size_t *left, size_t from, size_t to)
{
	for (size_t k = from; k < to; k++)
		l->v[(*left)++] = l->v[k];
}

static int cmp_start_index(const void *x, const void *y)
{
	const struct mkey *a = x, *b = y;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/*
 * Within two runs of equal (caller, size), a[0..na) and b[0..nb): the
 * areas printed at the same start pair first (a %p hash names one area
 * all boot long; zeroed starts are all equal and pair in input order),
 * then the rest in input order. Unpaired ones move to the front of the
 * runs, in input order; returns the pairs made and the unpaired in *ua,
 * *ub.
 */
static size_t pair_run(struct mkey *a, size_t na, struct mkey *b, size_t nb, size_t *ua,
                       size_t *ub)
{
	vms_diff_sort(a, na, sizeof(*a), cmp_start_index);
	vms_diff_sort(b, nb, sizeof(*b), cmp_start_index);
	size_t i = 0, j = 0, la = 0, lb = 0, pairs = 0;
	while (i < na && j < nb) {
		if (a[i].start == b[j].start) {
			i++, j++, pairs++;
			continue;
		}
		if (a[i].start < b[j].start)
			a[la++] = a[i++];
		else
			b[lb++] = b[j++];
	}
	while (i < na)
		a[la++] = a[i++];
	while (j < nb)
		b[lb++] = b[j++];
	vms_diff_sort(a, la, sizeof(*a), cmp_key_index);
	vms_diff_sort(b, lb, sizeof(*b), cmp_key_index);
	size_t k = la < lb ? la : lb; /* the rest pairs in input order */
	memmove(a, a + k, (la - k) * sizeof(*a));
	memmove(b, b + k, (lb - k) * sizeof(*b));
	*ua = la - k;
	*ub = lb - k;
	return pairs + k;
}

/* Phase one: equal (caller, size) runs pair (pair_run); the rest is kept,
 * compacted to the front of each list. */
static void pair_same_size(struct vms_diff_pair *p, struct mlist *a, struct mlist *b)
{
	size_t i = 0, j = 0, left_a = 0, left_b = 0;
	while (i < a->n || j < b->n) {
		int c = next_run(a, i, b, j, order_key_size);
		size_t ei = c <= 0 ? run_end(a, i, order_key_size) : i;
		size_t ej = c >= 0 ? run_end(b, j, order_key_size) : j;
		size_t ua = ei - i, ub = ej - j;
		if (ua && ub)
			p->unchanged +=
			    pair_run(a->v + i, ei - i, b->v + j, ej - j, &ua, &ub);
		keep_left(a, &left_a, i, i + ua);
		keep_left(b, &left_b, j, j + ub);
		i = ei;
		j = ej;
	}
	a->n = left_a;
	b->n = left_b;
}

/* Phase two: the leftovers of one caller pair in input order as resized;
 * the rest of each run is removed or added. */
static void pair_same_caller(struct vms_diff_pair *p, struct mlist *a, struct mlist *b)
{
	vms_diff_sort(a->v, a->n, sizeof(*a->v), cmp_key_index);
	vms_diff_sort(b->v, b->n, sizeof(*b->v), cmp_key_index);
	size_t i = 0, j = 0;
	while (i < a->n || j < b->n) {
		int c = next_run(a, i, b, j, order_key);
		size_t ei = c <= 0 ? run_end(a, i, order_key) : i;
		size_t ej = c >= 0 ? run_end(b, j, order_key) : j;
		for (; i < ei && j < ej; i++, j++)
			add_resized(p, a->v[i].idx, b->v[j].idx);
		for (; i < ei; i++)
			vms_vec_push(&p->removed, a->v[i].idx);
		for (; j < ej; j++)
			vms_vec_push(&p->added, b->v[j].idx);
	}
}

static void match_by_caller(struct vms_diff_pair *p, const struct vms_diff_side *sa,
                            const uint32_t *ia, size_t na, const struct vms_diff_side *sb,
                            const uint32_t *ib, size_t nb)
{
	struct mlist a = make_list(sa, ia, na), b = make_list(sb, ib, nb);
	pair_same_size(p, &a, &b);
	pair_same_caller(p, &a, &b);
	free(a.v);
	free(b.v);
}

/* ---- by address ---------------------------------------------------------- */

/* Two areas at the same start: the same allocation, resized, or another. */
static void pair_same_start(struct vms_diff_pair *p, const struct vms_diff_side *a,
                            uint32_t i, const struct vms_diff_side *b, uint32_t j)
{
	if (caller_key(a, i) != caller_key(b, j)) {
		vms_vec_push(&p->removed, i);
		vms_vec_push(&p->added, j);
	} else if (a->model->dump->areas.v[i].size != b->model->dump->areas.v[j].size) {
		add_resized(p, i, j);
	} else {
		p->unchanged++;
	}
}

static void walk_starts(struct vms_diff_pair *p, const struct vms_diff_side *a,
                        const struct vms_diff_side *b)
{
	const struct vms_aspace *ma = a->model, *mb = b->model;
	const struct vms_area *va = ma->dump->areas.v, *vb = mb->dump->areas.v;
	size_t i = 0, j = 0;
	while (i < ma->nr_order || j < mb->nr_order) {
		uint32_t x = i < ma->nr_order ? ma->order[i] : 0;
		uint32_t y = j < mb->nr_order ? mb->order[j] : 0;
		if (j == mb->nr_order ||
		    (i < ma->nr_order && va[x].start < vb[y].start)) {
			vms_vec_push(&p->removed, x);
			i++;
		} else if (i == ma->nr_order || vb[y].start < va[x].start) {
			vms_vec_push(&p->added, y);
			j++;
		} else {
			pair_same_start(p, a, x, b, y);
			i++;
			j++;
		}
	}
}

/* The areas of m outside its order[] (untrusted ranges), ascending; their
 * number in *n. */
static uint32_t *untrusted(const struct vms_aspace *m, size_t *n)
{
	size_t total = m->dump->areas.n;
	uint8_t *in = vms_xcalloc(total ? total : 1, 1);
	for (size_t k = 0; k < m->nr_order; k++)
		in[m->order[k]] = 1;
	uint32_t *v = vms_xreallocarray(NULL, total - m->nr_order + 1, sizeof(*v));
	*n = 0;
	for (size_t i = 0; i < total; i++)
		if (!in[i])
			v[(*n)++] = (uint32_t)i;
	free(in);
	return v;
}

/* The address walk found no common ground: fewer than 1 in 100 trusted
 * areas of the smaller dump kept their start, or fewer than 1 in 10 of a
 * dump under 100 areas (one start kept by chance must not decide). */
static bool starts_unrelated(const struct vms_diff_pair *p, const struct vms_diff_side *a,
                             const struct vms_diff_side *b)
{
	size_t small = a->model->nr_order < b->model->nr_order ? a->model->nr_order
	                                                       : b->model->nr_order;
	size_t kept = p->unchanged + p->resized.n;
	return small && (small < 100 ? kept * 10 < small : kept * 100 < small);
}

static void clear_lists(struct vms_diff_pair *p)
{
	p->added.n = p->removed.n = p->resized.n = 0;
	p->unchanged = 0;
}

/* Returns false (lists cleared) when the starts are unrelated. */
static bool match_by_address(struct vms_diff_pair *p, const struct vms_diff_side *a,
                             const struct vms_diff_side *b)
{
	walk_starts(p, a, b);
	if (starts_unrelated(p, a, b)) {
		clear_lists(p);
		return false;
	}
	size_t na, nb;
	uint32_t *ia = untrusted(a->model, &na), *ib = untrusted(b->model, &nb);
	p->by_caller = na + nb;
	match_by_caller(p, a, ia, na, b, ib, nb);
	free(ia);
	free(ib);
	return true;
}

/* Every area index of m, ascending. */
static uint32_t *all_areas(const struct vms_aspace *m)
{
	size_t n = m->dump->areas.n;
	uint32_t *v = vms_xreallocarray(NULL, n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = (uint32_t)i;
	return v;
}

static void match_all_by_caller(struct vms_diff_pair *p, const struct vms_diff_side *a,
                                const struct vms_diff_side *b)
{
	uint32_t *ia = all_areas(a->model), *ib = all_areas(b->model);
	p->match = VMS_DM_CALLER;
	match_by_caller(p, a, ia, a->model->dump->areas.n, b, ib,
	                b->model->dump->areas.n);
	free(ia);
	free(ib);
}

void vms_diff_match_areas(struct vms_diff_pair *p, const struct vms_diff_side *a,
                          const struct vms_diff_side *b)
{
	p->why_input = -1;
	p->why = NULL;
	p->match = VMS_DM_ADDRESS;
	if (!a->model->geometry || !b->model->geometry) {
		bool old_bad = !a->model->geometry;
		p->why_input = (int64_t)(old_bad ? p->from : p->to);
		p->why = old_bad ? a->model->no_geometry : b->model->no_geometry;
		match_all_by_caller(p, a, b);
	} else if (!match_by_address(p, a, b)) {
		p->why = vms_diff_unrelated_starts;
		match_all_by_caller(p, a, b);
	}
	vms_diff_sort(p->added.v, p->added.n, sizeof(*p->added.v), cmp_u32);
	vms_diff_sort(p->removed.v, p->removed.n, sizeof(*p->removed.v), cmp_u32);
	vms_diff_sort(p->resized.v, p->resized.n, sizeof(*p->resized.v), cmp_resize);
}

const char vms_diff_unrelated_starts[] =
    "almost no area keeps its start: the dumps come from different boots "
    "(KASLR moves the vmalloc space) or machines";
