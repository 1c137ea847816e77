/*
 * view_treemap.c — the layout of the treemap shown for a dump without
 * addresses (view_treemap.h): kinds, then callers within each kind,
 * squarified (Bruls, Huizing, van Wijk 2000) in whole pixels.
 *
 * Build: the areas are sorted once by (kind, module, caller) and counted
 * into caller groups, O(n log n); each kind's groups are sorted by bytes,
 * O(g log g). The squarify pass is linear: rows are grown greedily along
 * the shorter side of the space left while the row's worst aspect ratio
 * improves. It runs in real numbers, where every cell's area is exactly
 * its share; then each edge is rounded to the nearest pixel. An edge two
 * cells share is one number rounded once, so the cells still tile their
 * parent exactly, and each side moves by at most a pixel.
 *
 * Merging: callers whose exact area is under MIN_CELL^2 pixels cannot be
 * MIN_CELL wide both ways and go into "other" before any layout, which
 * bounds a layout to pixels / MIN_CELL^2 cells; then, while a kept caller
 * comes out thinner than MIN_CELL, it and every smaller caller join
 * "other" and the kind is laid out again (at most MAX_PASSES times; the
 * thin cells are the tail, so one or two passes is the rule).
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/view_treemap.h"

#define MAX_PASSES 8

/* Labels of callers that are not a symbol, by the line's kind (the names
 * the report's caller rows use). */
static const char *const pseudo_names[] = {
    [VMS_KIND_AREA] = "[no caller]",
    [VMS_KIND_VM_MAP_RAM] = "[vm_map_ram]",
    [VMS_KIND_UNPURGED] = "[unpurged]",
};

static const char *label_of(const struct vms_area *a)
{
	return a->kind <= VMS_KIND_UNPURGED ? pseudo_names[a->kind] : "[no caller]";
}

/* A rectangle in whole pixels. */
struct box {
	uint32_t x, y, w, h;
};

/* ---- Squarify ------------------------------------------------------------ */

static uint32_t round_px(double v)
{
	return (uint32_t)floor(v + 0.5);
}

/* The rectangle [x0, x1) x [y0, y1) rounded edge by edge. */
static struct box rounded(double x0, double y0, double x1, double y1)
{
	uint32_t a = round_px(x0), b = round_px(y0);
	return (struct box){a, b, round_px(x1) - a, round_px(y1) - b};
}

/* The worst aspect ratio in a row of total s along a side of length len,
 * k pixels per byte, holding items from vmax down to vmin. */
static double worst_ratio(double vmax, double vmin, double s, double len, double k)
{
	double t = s * k / len; /* the row's thickness */
	return fmax(vmax * len / s / t, t / (vmin * len / s));
}

/* The end of a row: how many items from i it takes (at least one), the
 * items being val[i..n), all > 0, in descending order. */
static size_t row_end(const uint64_t *val, size_t i, size_t n, double len, double k)
{
	double s = (double)val[i];
	double worst = worst_ratio(s, s, s, len, k);
	size_t j = i + 1;
	for (; j < n && val[j]; j++) {
		double s2 = s + (double)val[j];
		double w2 = worst_ratio((double)val[i], (double)val[j], s2, len, k);
		if (w2 > worst)
			break;
		worst = w2;
		s = s2;
	}
	return j;
}

/*
 * Squarifies val[0..n) (bytes, descending; zeros last) in r: out[i] is
 * item i's rectangle. A row lies along the shorter side of the space left
 * and takes its share of the other side; the last row takes all that is
 * left, and a row's last item ends at the row's end, so no sliver is lost
 * to floating point. Zero items, and all items of an empty r, are empty
 * boxes at r's corner. O(n).
 *
 *   +-----+---------+     first row (items 0, 1) along the left side,
 *   |  0  |         |     the space left is the rectangle to its right;
 *   +-----+    2    |     the next row lies along its shorter side
 *   |  1  |         |
 *   +-----+---------+
 */
static void squarify(const uint64_t *val, size_t n, struct box r, struct box *out)
{
	double x0 = r.x, y0 = r.y, x1 = (double)r.x + r.w, y1 = (double)r.y + r.h;
	double rest = 0;
	for (size_t i = 0; i < n; i++)
		rest += (double)val[i];
	size_t i = 0;
	while (i < n && val[i] && x1 > x0 && y1 > y0 && rest > 0) {
		bool across = x1 - x0 >= y1 - y0; /* row is a column at the left */
		double len = across ? y1 - y0 : x1 - x0;
		double k = (x1 - x0) * (y1 - y0) / rest;
		size_t j = row_end(val, i, n, len, k);
		double s = 0;
		for (size_t q = i; q < j; q++)
			s += (double)val[q];
		bool last = j == n || !val[j];
		double far = across ? x1 : y1, near = across ? x0 : y0;
		double edge = last ? far : fmin(near + s / rest * (far - near), far);
		double start = across ? y0 : x0, end = across ? y1 : x1;
		double pos = start, cum = 0;
		for (size_t q = i; q < j; q++) {
			cum += (double)val[q];
			double next = q + 1 == j ? end : fmin(start + cum / s * len, end);
			out[q] = across ? rounded(x0, pos, edge, next)
			                : rounded(pos, y0, next, edge);
			pos = next;
		}
		if (across)
			x0 = edge;
		else
			y0 = edge;
		rest -= s;
		i = j;
	}
	for (; i < n; i++)
		out[i] = (struct box){r.x, r.y, 0, 0};
}

/* ---- Caller groups ------------------------------------------------------- */

/* An area's sort key: (kind, label, module) then (caller, index). */
struct akey {
	uint64_t hi, lo;
};

static int cmp_akey(const void *x, const void *y)
{
	const struct akey *a = x, *b = y;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* The areas of one caller (and module) within one kind. */
struct group {
	const char *name, *module; /* borrowed */
	uint32_t caller;           /* symbol id, 0 for a label */
	uint8_t kind;
	uint64_t bytes, areas;
};

/* Names with NULL first. */
static int cmp_name(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

static int cmp_group(const void *x, const void *y)
{
	const struct group *a = x, *b = y;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	int c = strcmp(a->name, b->name);
	return c ? c : cmp_name(a->module, b->module);
}

static struct akey area_key(const struct vms_aspace *m, size_t i)
{
	const struct vms_area *a = &m->dump->areas.v[i];
	uint64_t label = a->caller ? 3 : a->kind;
	return (struct akey){(uint64_t)m->kind[i] << 34 | label << 32 | a->module,
	                     (uint64_t)a->caller << 32 | i};
}

/* Whether sorted key i starts a group (its kind, label, module or caller
 * differs from the key before). */
static bool new_group(const struct akey *key, size_t i)
{
	return !i || key[i].hi != key[i - 1].hi || key[i].lo >> 32 != key[i - 1].lo >> 32;
}

/* The caller groups of m's areas, sorted by kind, then bytes descending,
 * then name; *ng gets their number. Returns a new array (free()). */
static struct group *caller_groups(const struct vms_aspace *m, size_t *ng)
{
	const struct vms_dump *d = m->dump;
	size_t n = d->areas.n;
	assert(n <= UINT32_MAX); /* the index is the key's low half */
	struct akey *key = vms_xmalloc((n ? n : 1) * sizeof(*key));
	for (size_t i = 0; i < n; i++)
		key[i] = area_key(m, i);
	qsort(key, n, sizeof(*key), cmp_akey);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += new_group(key, i);
	struct group *g = vms_xmalloc((k ? k : 1) * sizeof(*g));
	k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct vms_area *a = &d->areas.v[(uint32_t)key[i].lo];
		if (new_group(key, i))
			g[k++] = (struct group){
			    .name = a->caller ? vms_area_caller(d, a) : label_of(a),
			    .module = vms_area_module(d, a),
			    .caller = a->caller,
			    .kind = (uint8_t)(key[i].hi >> 34),
			};
		g[k - 1].bytes += a->size;
		g[k - 1].areas++;
	}
	free(key);
	qsort(g, k, sizeof(*g), cmp_group);
	*ng = k;
	return g;
}

/* ---- Building ------------------------------------------------------------ */

/* The kinds with areas, bytes descending, ties by name. */
struct kind_sum {
	uint8_t kind;
	uint64_t bytes, areas;
	size_t first, n; /* its groups */
};

static int cmp_kind(const void *x, const void *y)
{
	const struct kind_sum *a = x, *b = y;
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return strcmp(vms_akind_name(a->kind), vms_akind_name(b->kind));
}

/* Scratch for one kind's layout: values, who they are (a group, or -1
 * for "other") and their boxes; room for every group plus "other". */
struct scratch {
	uint64_t *val;
	ptrdiff_t *who;
	struct box *box;
};

/* Lays out groups g[0..keep) and, when keep < n, one "other" cell of the
 * rest at its place by bytes (after equals); returns the cells laid out. */
static size_t lay_kind(const struct group *g, size_t n, size_t keep, struct box frame,
                       struct scratch *s)
{
	uint64_t other = 0;
	for (size_t i = keep; i < n; i++)
		other += g[i].bytes;
	size_t k = 0;
	bool placed = keep == n;
	for (size_t i = 0; i < keep; i++) {
		if (!placed && g[i].bytes < other) {
			s->val[k] = other;
			s->who[k++] = -1;
			placed = true;
		}
		s->val[k] = g[i].bytes;
		s->who[k++] = (ptrdiff_t)i;
	}
	if (!placed) {
		s->val[k] = other;
		s->who[k++] = -1;
	}
	squarify(s->val, k, frame, s->box);
	return k;
}

/* The number of g[0..n) kept apart from "other" in frame: the layout in
 * s is the one for it. */
static size_t merge_thin(const struct group *g, size_t n, uint64_t bytes,
                         struct box frame, struct scratch *s, uint64_t *passes)
{
	double px = (double)frame.w * frame.h, min_area = VMS_TREEMAP_MIN_CELL;
	min_area *= min_area;
	size_t keep = 0;
	while (keep < n &&
	       (!px || !bytes || (double)g[keep].bytes * px / (double)bytes >= min_area))
		keep++;
	if (n - keep == 1)
		keep = n;
	for (unsigned pass = 0;; pass++) {
		size_t k = lay_kind(g, n, keep, frame, s);
		++*passes;
		size_t thin = keep;
		for (size_t q = 0; q < k; q++) {
			ptrdiff_t w = s->who[q];
			if (w >= 0 && (size_t)w < thin &&
			    (s->box[q].w < VMS_TREEMAP_MIN_CELL ||
			     s->box[q].h < VMS_TREEMAP_MIN_CELL))
				thin = (size_t)w;
		}
		if (thin == keep || n - thin < 2 || pass + 1 == MAX_PASSES)
			return keep;
		keep = thin;
	}
}

/* Appends kind ks's frame (box f) and its caller cells to t. */
static void add_kind(struct vms_treemap *t, const struct kind_sum *ks,
                     const struct group *g, struct box f, struct scratch *s)
{
	size_t keep = merge_thin(g, ks->n, ks->bytes, f, s, &t->passes);
	size_t k = keep + (keep < ks->n);
	uint32_t fi = (uint32_t)t->n;
	t->cells[t->n++] = (struct vms_treemap_cell){.x = f.x,
	                                             .y = f.y,
	                                             .w = f.w,
	                                             .h = f.h,
	                                             .kind = ks->kind,
	                                             .frame = true,
	                                             .callers = (uint32_t)ks->n,
	                                             .bytes = ks->bytes,
	                                             .areas = ks->areas,
	                                             .parent = fi,
	                                             .first = fi + 1,
	                                             .nr = (uint32_t)k};
	for (size_t q = 0; q < k; q++) {
		struct vms_treemap_cell *c = &t->cells[t->n++];
		const struct box *b = &s->box[q];
		*c = (struct vms_treemap_cell){.x = b->x,
		                               .y = b->y,
		                               .w = b->w,
		                               .h = b->h,
		                               .kind = ks->kind,
		                               .parent = fi};
		if (s->who[q] < 0) {
			c->other = true;
			c->callers = (uint32_t)(ks->n - keep);
			for (size_t i = keep; i < ks->n; i++) {
				c->bytes += g[i].bytes;
				c->areas += g[i].areas;
			}
			continue;
		}
		const struct group *gr = &g[s->who[q]];
		c->caller = gr->name;
		c->module = gr->module;
		c->caller_id = gr->caller;
		c->callers = 1;
		c->bytes = gr->bytes;
		c->areas = gr->areas;
	}
}

/* The kinds with areas from the sorted groups; returns their number. */
static size_t kind_sums(const struct group *g, size_t ng, struct kind_sum *ks)
{
	size_t nk = 0;
	for (size_t i = 0; i < ng; i++) {
		if (!nk || ks[nk - 1].kind != g[i].kind)
			ks[nk++] = (struct kind_sum){.kind = g[i].kind, .first = i};
		ks[nk - 1].bytes += g[i].bytes;
		ks[nk - 1].areas += g[i].areas;
		ks[nk - 1].n++;
	}
	qsort(ks, nk, sizeof(*ks), cmp_kind);
	return nk;
}

int vms_treemap_build(const struct vms_aspace *m, uint32_t w, uint32_t h,
                      struct vms_treemap *out)
{
	memset(out, 0, sizeof(*out));
	if (!w || !h)
		return -VMS_EINVAL;
	out->w = w;
	out->h = h;
	size_t ng;
	struct group *g = caller_groups(m, &ng);
	struct kind_sum ks[VMS_NR_AKINDS] = {{.kind = 0}};
	size_t nk = kind_sums(g, ng, ks);
	uint64_t kval[VMS_NR_AKINDS] = {0};
	struct box kbox[VMS_NR_AKINDS];
	for (size_t i = 0; i < nk; i++) {
		kval[i] = ks[i].bytes;
		out->bytes += ks[i].bytes;
		out->areas += ks[i].areas;
	}
	squarify(kval, nk, (struct box){0, 0, w, h}, kbox);
	out->cells = vms_xmalloc((ng + 2 * nk + 1) * sizeof(*out->cells));
	struct scratch s = {vms_xmalloc((ng + 1) * sizeof(*s.val)),
	                    vms_xmalloc((ng + 1) * sizeof(*s.who)),
	                    vms_xmalloc((ng + 1) * sizeof(*s.box))};
	for (size_t i = 0; i < nk; i++)
		add_kind(out, &ks[i], g + ks[i].first, kbox[i], &s);
	out->nr_frames = nk;
	out->cells =
	    vms_xrealloc(out->cells, (out->n ? out->n : 1) * sizeof(*out->cells));
	free(s.val);
	free(s.who);
	free(s.box);
	free(g);
	return 0;
}

void vms_treemap_free(struct vms_treemap *t)
{
	if (!t)
		return;
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

static bool holds(const struct vms_treemap_cell *c, uint32_t x, uint32_t y)
{
	return x >= c->x && x - c->x < c->w && y >= c->y && y - c->y < c->h;
}

ptrdiff_t vms_treemap_hit(const struct vms_treemap *t, uint32_t x, uint32_t y)
{
	for (size_t f = 0; f < t->n; f += 1 + t->cells[f].nr) {
		const struct vms_treemap_cell *fr = &t->cells[f];
		if (!holds(fr, x, y))
			continue;
		for (size_t i = fr->first; i < fr->first + fr->nr; i++)
			if (holds(&t->cells[i], x, y))
				return (ptrdiff_t)i;
		return -1;
	}
	return -1;
}
