/*
 * diff.c — builds a diff from the reports of N snapshots: the caller table
 * over the whole series (usage at every snapshot, growth first to last),
 * and per pair of snapshots the area lists (diff_match.c), the totals, the
 * kinds and the callers that changed, sorted by growth.
 *
 * Callers are matched across snapshots by name and module, as the report
 * keeps them apart: every name (caller or module) is interned into one
 * symbol table, whose ids then also give every dump's symbols a common id
 * for the area matcher. Costs: O(C · N) to fill
 * the table, O(C log C) per sort (C callers, N snapshots), plus the
 * matching of each pair (diff.h).
 *
 * Invariants: callers are sorted by growth (largest first), then name;
 * each pair's rows list exactly the callers whose usage differs between its
 * two snapshots; for two snapshots overall == steps.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"
#include "vmscope/symtab.h"

const char *vms_diff_match_name(enum vms_diff_match m)
{
	return m == VMS_DM_CALLER ? "caller" : "address";
}

int64_t vms_diff_growth(uint64_t a, uint64_t b)
{
	if (b >= a)
		return b - a > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)(b - a);
	return a - b > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)(a - b);
}

static bool usage_eq(const struct vms_usage *a, const struct vms_usage *b)
{
	return a->count == b->count && a->bytes == b->bytes && a->pages == b->pages;
}

/* ---- the caller table ---------------------------------------------------- */

/*
 * Callers while the table is filled. names interns every caller and
 * module name (their ids are the common ids the area matcher uses); keys
 * interns "name\x1fmodule", one per row: rows are indexed by key id - 1.
 */
struct table {
	struct vms_symtab names, keys;
	VMS_VEC(struct vms_diff_caller) rows;
};

static struct vms_diff_caller *row_of(struct vms_diff *d, struct table *t,
                                      const struct vms_report_group *g)
{
	vms_symtab_intern(&t->names, g->name, strlen(g->name));
	if (g->module)
		vms_symtab_intern(&t->names, g->module, strlen(g->module));
	char *key =
	    vms_arena_printf(&d->arena, "%s\x1f%s", g->name, g->module ? g->module : "");
	uint32_t id = vms_symtab_intern(&t->keys, key, strlen(key));
	while (t->rows.n < id) {
		struct vms_diff_caller c = {
		    .name = vms_arena_strdup(&d->arena, g->name),
		    .module = g->module,
		    .at = vms_arena_alloc(&d->arena, d->n * sizeof(struct vms_usage)),
		};
		memset(c.at, 0, d->n * sizeof(struct vms_usage));
		vms_vec_push(&t->rows, c);
	}
	return &t->rows.v[id - 1];
}

/* Adds the report rows of snapshot s (a key twice in one report adds). */
static void add_snapshot(struct vms_diff *d, struct table *t, size_t s)
{
	const struct vms_report *r = d->reports[s];
	for (size_t k = 0; k < r->callers.n; k++) {
		const struct vms_report_group *g = &r->callers.v[k];
		struct vms_diff_caller *c = row_of(d, t, g);
		c->at[s].count += g->u.count;
		c->at[s].bytes += g->u.bytes;
		c->at[s].pages += g->u.pages;
		if (g->u.bytes >= c->kind_bytes) {
			c->kind_bytes = g->u.bytes;
			c->kind = g->kind;
		}
	}
}

static int cmp_caller(const void *x, const void *y)
{
	const struct vms_diff_caller *a = x, *b = y;
	if (a->growth != b->growth)
		return a->growth > b->growth ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int cmp_name(const void *x, const void *y)
{
	const struct vms_diff_caller *const *a = x, *const *b = y;
	int c = strcmp((*a)->name, (*b)->name);
	return c ? c
	         : strcmp((*a)->module ? (*a)->module : "",
	                  (*b)->module ? (*b)->module : "");
}

/* Growth, the changed flag and the place in name order of every caller;
 * then the table is sorted by growth. */
static void finish_callers(struct vms_diff *d)
{
	size_t n = d->callers.n;
	struct vms_diff_caller **by_name =
	    vms_xreallocarray(NULL, n ? n : 1, sizeof(*by_name));
	for (size_t k = 0; k < n; k++)
		by_name[k] = &d->callers.v[k];
	vms_diff_sort(by_name, n, sizeof(*by_name), cmp_name);
	for (size_t k = 0; k < n; k++)
		by_name[k]->rank = (uint32_t)k;
	free(by_name);
	for (size_t k = 0; k < d->callers.n; k++) {
		struct vms_diff_caller *c = &d->callers.v[k];
		c->growth = vms_diff_growth(c->at[0].bytes, c->at[d->n - 1].bytes);
		for (size_t s = 0; s + 1 < d->n; s++)
			c->changed |= !usage_eq(&c->at[s], &c->at[s + 1]);
	}
	vms_diff_sort(d->callers.v, d->callers.n, sizeof(*d->callers.v), cmp_caller);
}

/* Common caller id of every symbol of dump s (0 where not a caller). */
static uint32_t *caller_ids(const struct table *t, const struct vms_dump *dump)
{
	uint32_t n = vms_symtab_count(&dump->syms);
	uint32_t *ids = vms_xcalloc(n, sizeof(*ids));
	for (uint32_t id = 1; id < n; id++) {
		const struct vms_sym *s = &dump->syms.syms.v[id];
		ids[id] = vms_symtab_find(&t->names, s->name, s->len);
	}
	return ids;
}

/* ---- pairs --------------------------------------------------------------- */

static int cmp_row(const void *x, const void *y)
{
	const struct vms_diff_row *a = x, *b = y;
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return (a->rank > b->rank) - (a->rank < b->rank);
}

static void pair_callers(const struct vms_diff *d, struct vms_diff_pair *p)
{
	for (size_t k = 0; k < d->callers.n; k++) {
		const struct vms_usage *at = d->callers.v[k].at;
		if (usage_eq(&at[p->from], &at[p->to]))
			continue;
		struct vms_diff_row r = {
		    .caller = (uint32_t)k,
		    .count = vms_diff_growth(at[p->from].count, at[p->to].count),
		    .bytes = vms_diff_growth(at[p->from].bytes, at[p->to].bytes),
		    .rank = d->callers.v[k].rank,
		};
		vms_vec_push(&p->callers, r);
	}
	vms_diff_sort(p->callers.v, p->callers.n, sizeof(*p->callers.v), cmp_row);
}

static void pair_kinds(const struct vms_diff *d, struct vms_diff_pair *p)
{
	const struct vms_report *a = d->reports[p->from], *b = d->reports[p->to];
	p->total = (struct vms_diff_delta){a->total, b->total};
	p->nr_kinds = 0;
	for (unsigned k = 0; k < VMS_NR_AKINDS; k++) {
		p->kinds[k] = (struct vms_diff_delta){a->kinds[k], b->kinds[k]};
		if (usage_eq(&a->kinds[k], &b->kinds[k]))
			continue;
		/* insertion by growth: nine kinds at most */
		int64_t g = vms_diff_growth(a->kinds[k].bytes, b->kinds[k].bytes);
		size_t at = p->nr_kinds++;
		for (; at > 0; at--) {
			const struct vms_diff_delta *o = &p->kinds[p->kind_order[at - 1]];
			if (vms_diff_growth(o->from.bytes, o->to.bytes) >= g)
				break;
			p->kind_order[at] = p->kind_order[at - 1];
		}
		p->kind_order[at] = (uint8_t)k;
	}
}

static void build_pair(const struct vms_diff *d, struct vms_diff_pair *p, size_t from,
                       size_t to, uint32_t *const *ids)
{
	p->from = from;
	p->to = to;
	struct vms_diff_side a = {d->reports[from]->model, ids[from]};
	struct vms_diff_side b = {d->reports[to]->model, ids[to]};
	vms_diff_match_areas(p, &a, &b);
	pair_kinds(d, p);
	pair_callers(d, p);
}

/* ---- holes --------------------------------------------------------------- */

static struct vms_diff_hole vmalloc_hole(const struct vms_report *r)
{
	const struct vms_window *w = vms_aspace_vmalloc_window(r->model);
	struct vms_diff_hole h = {0};
	for (size_t k = 0; w && k < r->windows.n; k++)
		if (r->windows.v[k].window == w)
			h = (struct vms_diff_hole){true, r->windows.v[k].largest,
			                           r->windows.v[k].largest_start,
			                           w->start, w->end};
	return h;
}

bool vms_diff_windows_differ(const struct vms_diff_hole *a, const struct vms_diff_hole *b)
{
	return a->known && b->known &&
	       (a->window_start != b->window_start || a->window_end != b->window_end);
}

/* ---- the diff ------------------------------------------------------------ */

static void build_callers(struct vms_diff *d, uint32_t **ids)
{
	struct table t = {0};
	vms_symtab_init(&t.names, &d->arena);
	vms_symtab_init(&t.keys, &d->arena);
	for (size_t s = 0; s < d->n; s++)
		add_snapshot(d, &t, s);
	for (size_t s = 0; s < d->n; s++)
		ids[s] = caller_ids(&t, d->reports[s]->dump);
	d->callers.v = t.rows.v;
	d->callers.n = t.rows.n;
	d->callers.cap = t.rows.cap;
	vms_symtab_free(&t.names);
	vms_symtab_free(&t.keys);
	finish_callers(d);
}

struct vms_diff *vms_diff_build(const struct vms_report *const *r, size_t n)
{
	assert(n >= 2);
	struct vms_diff *d = vms_xcalloc(1, sizeof(*d));
	d->n = n;
	d->reports = vms_xcalloc(n, sizeof(*d->reports));
	d->holes = vms_xcalloc(n, sizeof(*d->holes));
	for (size_t s = 0; s < n; s++) {
		d->reports[s] = r[s];
		d->holes[s] = vmalloc_hole(r[s]);
	}
	uint32_t **ids = vms_xcalloc(n, sizeof(*ids));
	build_callers(d, ids);
	d->nr_steps = n - 1;
	d->steps = vms_xcalloc(n > 2 ? n : 1, sizeof(*d->steps));
	for (size_t s = 0; s + 1 < n; s++)
		build_pair(d, &d->steps[s], s, s + 1, ids);
	d->overall = &d->steps[n > 2 ? n - 1 : 0];
	if (n > 2)
		build_pair(d, d->overall, 0, n - 1, ids);
	for (size_t s = 0; s < n; s++)
		free(ids[s]);
	free(ids);
	return d;
}

static void free_pair(struct vms_diff_pair *p)
{
	free(p->added.v);
	free(p->removed.v);
	free(p->resized.v);
	free(p->callers.v);
}

void vms_diff_free(struct vms_diff *d)
{
	if (!d)
		return;
	for (size_t s = 0; s < d->nr_steps; s++)
		free_pair(&d->steps[s]);
	if (d->n > 2)
		free_pair(d->overall);
	free(d->steps);
	free(d->callers.v);
	free(d->holes);
	free(d->reports);
	vms_arena_free(&d->arena);
	free(d);
}

/* Rows that are no allocation of their own: lazily freed areas waiting
 * for a purge, and per-CPU vm_map_ram blocks (shared, reused). */
static bool transient(const struct vms_diff_caller *c)
{
	return c->kind == VMS_AK_UNPURGED || c->kind == VMS_AK_VM_MAP_RAM;
}

uint64_t vms_diff_max_growth(const struct vms_diff *d)
{
	for (size_t k = 0; k < d->callers.n && d->callers.v[k].growth > 0; k++)
		if (!transient(&d->callers.v[k]))
			return (uint64_t)d->callers.v[k].growth;
	return 0;
}

struct vms_diff_delta vms_diff_caller_delta(const struct vms_diff *d,
                                            const struct vms_diff_pair *p,
                                            uint32_t caller)
{
	const struct vms_usage *at = d->callers.v[caller].at;
	return (struct vms_diff_delta){at[p->from], at[p->to]};
}
