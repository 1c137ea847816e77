/*
 * view_select.c — what the user picks out on the map, without SDL: search
 * by caller or module name ('/' and 'n'), the selected area (click),
 * centring the view on an address, and the live diff between two
 * snapshots (include/vmscope/view.h).
 *
 * Costs: a search is one pass over the model's sorted order, O(n * name
 * length); "is area i a match" is O(1) from a flag per dump area; the next
 * match is one binary search over the matches; the diff sorts both
 * snapshots' trusted areas by (start, size, caller) and merges them,
 * O(n log n).
 *
 * Invariants: v->matches is in address order (the model's order) and
 * v->match[i] is 1 exactly for the areas in it; the selection, when set,
 * names a trusted area of v->m.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "vmscope/common.h"
#include "vmscope/view.h"

typedef unsigned __int128 u128;

static const struct vms_area *dump_area(const struct vms_aspace *m, size_t i)
{
	return &m->dump->areas.v[i];
}

static bool name_has(const struct vms_dump *d, uint32_t id, const char *text)
{
	const char *name = vms_dump_sym(d, id);
	return name && strstr(name, text);
}

size_t vms_view_search(struct vms_view *v, const char *text)
{
	const struct vms_aspace *m = v->m;
	const struct vms_dump *d = m->dump;
	v->matches.n = 0;
	free(v->match);
	v->match = NULL;
	if (!text || !*text)
		return 0;
	v->match = vms_xcalloc(d->areas.n ? d->areas.n : 1, 1);
	for (size_t k = 0; k < m->nr_order; k++) {
		size_t i = m->order[k];
		const struct vms_area *a = dump_area(m, i);
		if (!name_has(d, a->caller, text) && !name_has(d, a->module, text))
			continue;
		v->match[i] = 1;
		vms_vec_push(&v->matches, i);
	}
	return v->matches.n;
}

bool vms_view_is_match(const struct vms_view *v, size_t i)
{
	return v->match && i < v->m->dump->areas.n && v->match[i];
}

ptrdiff_t vms_view_search_next(const struct vms_view *v, uint64_t from_addr)
{
	size_t lo = 0, hi = v->matches.n; /* the first match at or after */
	if (!hi)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (dump_area(v->m, v->matches.v[mid])->start < from_addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (ptrdiff_t)v->matches.v[lo < v->matches.n ? lo : 0];
}

int vms_view_select_at(struct vms_view *v, uint32_t x, uint32_t y)
{
	struct vms_view_hit h;
	v->has_selected = false;
	if (vms_view_hit(v, x, y, &h) < 0)
		return -VMS_ERANGE;
	v->has_selected = true;
	v->selected = h.area;
	return 0;
}

ptrdiff_t vms_view_selected(const struct vms_view *v)
{
	return v->has_selected ? (ptrdiff_t)v->selected : -1;
}

int vms_view_center_on(struct vms_view *v, uint64_t addr)
{
	if (addr < v->lo || addr >= v->hi)
		return -VMS_ERANGE;
	u128 screen = (u128)v->width * v->rows * v->bpp;
	uint64_t max = screen >= v->len ? 0 : v->len - (uint64_t)screen;
	u128 half = (u128)v->width * v->rows / 2 * v->bpp;
	uint64_t p = vms_view_pos_of(v, addr);
	uint64_t o = half >= p ? 0 : p - (uint64_t)half;
	v->origin = o > max ? max : o;
	return 0;
}

/* ---- Live diff ---------------------------------------------------------- */

struct key {
	uint64_t start, size;
	const char *caller; /* "" when none */
	size_t area;        /* dump index */
};

static int key_cmp(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	int c = strcmp(a->caller, b->caller);
	if (c)
		return c;
	return a->area < b->area ? -1 : a->area > b->area;
}

/* Returns a new array of m's trusted areas sorted by key; free with free(). */
static struct key *keys_of(const struct vms_aspace *m)
{
	struct key *k = vms_xcalloc(m->nr_order ? m->nr_order : 1, sizeof(*k));
	for (size_t j = 0; j < m->nr_order; j++) {
		const struct vms_area *a = dump_area(m, m->order[j]);
		const char *c = vms_area_caller(m->dump, a);
		k[j] = (struct key){a->start, a->size, c ? c : "", m->order[j]};
	}
	qsort(k, m->nr_order, sizeof(*k), key_cmp);
	return k;
}

/* Equal as the diff sees it: the area index is not part of identity. */
static int same_cmp(const struct key *a, const struct key *b)
{
	struct key x = *a, y = *b;
	x.area = y.area = 0;
	return key_cmp(&x, &y);
}

void vms_view_diff_build(const struct vms_aspace *old_model,
                         const struct vms_aspace *new_model, struct vms_view_diff *diff)
{
	struct key *o = keys_of(old_model), *n = keys_of(new_model);
	size_t no = old_model->nr_order, nn = new_model->nr_order, i = 0, j = 0;
	*diff = (struct vms_view_diff){0};
	while (i < no || j < nn) {
		int c = i == no ? 1 : j == nn ? -1 : same_cmp(&o[i], &n[j]);
		if (c < 0)
			vms_vec_push(&diff->freed, o[i++].area);
		else if (c > 0)
			vms_vec_push(&diff->added, n[j++].area);
		else
			i++, j++;
	}
	free(o);
	free(n);
}

void vms_view_diff_free(struct vms_view_diff *diff)
{
	if (!diff)
		return;
	free(diff->added.v);
	free(diff->freed.v);
	*diff = (struct vms_view_diff){0};
}

/* ---- focus and region jumps ------------------------------------------ */

/* An address of a --focus range: hex, with or without 0x. */
static bool parse_addr(const char *s, size_t n, uint64_t *out)
{
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2, n -= 2;
	if (!n || n > 16)
		return false;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		int c = s[i], d = c >= '0' && c <= '9'   ? c - '0'
		                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
		                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                                         : -1;
		if (d < 0)
			return false;
		x = x << 4 | (uint64_t)d;
	}
	*out = x;
	return true;
}

static bool same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		int x = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
		int y = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;
		if (x != y)
			return false;
	}
	return *a == *b;
}

size_t vms_view_jump_regions(const struct vms_view *v, const struct vms_region **out,
                             size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < v->m->regions.n && n < max; i++) {
		const struct vms_region *r = &v->m->regions.v[i];
		if (r->end > r->start && r->end > v->lo && r->start < v->hi)
			out[n++] = r;
	}
	return n;
}

int vms_view_focus(struct vms_view *v, const char *spec, char *why, size_t len)
{
	const char *dash = strchr(spec, '-');
	uint64_t a, b;
	if (!v->m->geometry) {
		snprintf(why, len, "--focus needs real addresses: %s",
		         v->m->no_geometry ? v->m->no_geometry : "the dump has none");
		return -VMS_EINVAL;
	}
	if (dash && strspn(spec, "0123456789abcdefABCDEFxX-") == strlen(spec) &&
	    (!parse_addr(spec, (size_t)(dash - spec), &a) ||
	     !parse_addr(dash + 1, strlen(dash + 1), &b))) {
		snprintf(why, len, "'%s': an address is not 1-16 hex digits", spec);
		return -VMS_EINVAL;
	}
	if (dash && parse_addr(spec, (size_t)(dash - spec), &a) &&
	    parse_addr(dash + 1, strlen(dash + 1), &b)) {
		if (b <= a) {
			snprintf(why, len, "'%s': the end is not above the start", spec);
			return -VMS_EINVAL;
		}
		if (vms_view_show_range(v, a, b) == 0)
			return 0;
		snprintf(why, len, "'%s' lies outside the space shown (0x%llx-0x%llx)",
		         spec, (unsigned long long)v->lo, (unsigned long long)v->hi);
		return -VMS_ERANGE;
	}
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < v->m->regions.n; i++) {
			const struct vms_region *r = &v->m->regions.v[i];
			const char *name = pass ? vms_region_kind_name(r->kind) : r->name;
			if (name && same_name(name, spec) && r->end > r->start &&
			    vms_view_show_range(v, r->start, r->end) == 0)
				return 0;
		}
	size_t off = (size_t)snprintf(why, len, "no region '%s' (regions:", spec);
	for (size_t i = 0; i < v->m->regions.n && off < len; i++)
		off += (size_t)snprintf(why + off, len - off, " %s",
		                        v->m->regions.v[i].name);
	if (off < len)
		snprintf(why + off, len - off, "%s; or give a range A-B)",
		         v->m->regions.n ? "" : " none");
	return -VMS_EINVAL;
}
