/*
 * report.c — the usage side of `vmscope report`: totals by kind, caller and
 * module, and the bytes of each region, from the model of one dump. The
 * windows and their holes are report_holes.c's.
 *
 * Callers are counted in a table keyed by caller and module (one function
 * name in two modules is two rows), modules in an array by symbol id, in
 * one pass over the areas; then packed and sorted by bytes: O(areas + rows
 * log rows). Regions read the model's sorted order: O(regions · log areas +
 * the areas inside each).
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* Labels of the caller rows that are not a symbol. */
enum { PSEUDO_VM_MAP_RAM = 0, PSEUDO_UNPURGED, PSEUDO_NONE, NR_PSEUDO };
static const char *const pseudo_names[NR_PSEUDO] = {"[vm_map_ram]", "[unpurged]",
                                                    "[no caller]"};
static const char no_module_name[] = "[no module]";

uint64_t vms_report_area_pages(const struct vms_aspace *m, size_t i)
{
	const struct vms_area *a = &m->dump->areas.v[i];
	if (a->has_pages)
		return a->pages;
	if (m->kind[i] == VMS_AK_UNPURGED)
		return 0;
	uint64_t g = vms_aspace_guard_bytes(m, i);
	return a->size > g ? (a->size - g) / m->page_size : 0;
}

static void add_usage(struct vms_usage *u, uint64_t bytes, uint64_t pages)
{
	u->count++;
	u->bytes += bytes;
	u->pages += pages;
}

/* Key of area a in the caller table: its caller and module (one function
 * name in two modules is two rows), or a label for lines without one. */
static uint64_t caller_key(const struct vms_area *a, size_t nsym)
{
	uint64_t caller = a->caller;
	if (!caller)
		caller = nsym + 1 +
		         (a->kind == VMS_KIND_VM_MAP_RAM ? PSEUDO_VM_MAP_RAM
		          : a->kind == VMS_KIND_UNPURGED ? PSEUDO_UNPURGED
		                                         : PSEUDO_NONE);
	return (uint64_t)a->module << 32 | caller;
}

static int cmp_group(const void *x, const void *y)
{
	const struct vms_report_group *a = x, *b = y;
	if (a->u.bytes != b->u.bytes)
		return a->u.bytes > b->u.bytes ? -1 : 1;
	if (a->u.count != b->u.count)
		return a->u.count > b->u.count ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* One slot of a counting table: the usage and its first area. */
struct slot {
	struct vms_usage u;
	uint32_t first;
};

/*
 * Slots by a 64-bit key, open addressing (a slot with no areas is empty):
 * the caller table (key: module and caller) and the table of printed sizes
 * (key: the size). cap is a power of two, at least twice the keys.
 */
struct key_table {
	struct keyed {
		uint64_t key;
		struct slot s;
	} * v;
	size_t cap, n;
};

static struct keyed *key_slot(struct key_table *t, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (t->cap - 1);
	while (t->v[i].s.u.count && t->v[i].key != key)
		i = (i + 1) & (t->cap - 1);
	return &t->v[i];
}

static void key_grow(struct key_table *t)
{
	struct key_table g = {vms_xcalloc(t->cap * 2, sizeof(*g.v)), t->cap * 2, t->n};
	for (size_t i = 0; i < t->cap; i++)
		if (t->v[i].s.u.count)
			*key_slot(&g, t->v[i].key) = t->v[i];
	free(t->v);
	*t = g;
}

/* The slot of key, made (no areas yet, first = area) when new; the caller
 * adds to it before the next key_add. */
static struct slot *key_add(struct key_table *t, uint64_t key, uint32_t area)
{
	struct keyed *k = key_slot(t, key);
	if (k->s.u.count)
		return &k->s;
	if ((t->n + 1) * 2 > t->cap) {
		key_grow(t);
		k = key_slot(t, key);
	}
	k->key = key;
	k->s.first = area;
	t->n++;
	return &k->s;
}

static void key_init(struct key_table *t)
{
	t->cap = 256;
	t->n = 0;
	t->v = vms_xcalloc(t->cap, sizeof(*t->v));
}

static void push_group(struct vms_report *r, const struct slot *t, const char *name,
                       uint32_t id, bool callers)
{
	const struct vms_dump *d = r->dump;
	struct vms_report_group g = {
	    .name = name,
	    .module = callers ? vms_area_module(d, &d->areas.v[t->first]) : NULL,
	    .id = id,
	    .kind = r->model->kind[t->first],
	    .u = t->u,
	};
	if (callers)
		vms_vec_push(&r->callers, g);
	else
		vms_vec_push(&r->modules, g);
}

/* The caller rows from the keyed table, sorted. */
static void pack_callers(struct vms_report *r, const struct key_table *t)
{
	size_t nsym = vms_symtab_count(&r->dump->syms);
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->v[i].s.u.count)
			continue;
		uint32_t caller = (uint32_t)t->v[i].key;
		bool sym = caller >= 1 && caller <= nsym;
		push_group(r, &t->v[i].s,
		           sym ? vms_dump_sym(r->dump, caller)
		               : pseudo_names[caller - nsym - 1],
		           sym ? caller : 0, true);
	}
	if (r->callers.n)
		qsort(r->callers.v, r->callers.n, sizeof(*r->callers.v), cmp_group);
}

/* The module rows from the table by module id, sorted. */
static void pack_modules(struct vms_report *r, const struct slot *t, size_t n)
{
	for (size_t id = 0; id < n; id++)
		if (t[id].u.count)
			push_group(r, &t[id],
			           id ? vms_dump_sym(r->dump, (uint32_t)id)
			              : no_module_name,
			           (uint32_t)id, false);
	if (r->modules.n)
		qsort(r->modules.v, r->modules.n, sizeof(*r->modules.v), cmp_group);
}

/* Totals, kinds, callers and modules: one pass over the areas. */
static void count_usage(struct vms_report *r)
{
	const struct vms_aspace *m = r->model;
	const struct vms_dump *d = r->dump;
	size_t nsym = vms_symtab_count(&d->syms);
	struct key_table callers;
	key_init(&callers);
	struct slot *modules = vms_xcalloc(nsym + 1, sizeof(*modules));
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		uint64_t pages = vms_report_area_pages(m, i);
		add_usage(&r->total, a->size, pages);
		add_usage(&r->kinds[m->kind[i]], a->size, pages);
		struct slot *c = key_add(&callers, caller_key(a, nsym), (uint32_t)i);
		add_usage(&c->u, a->size, pages);
		struct slot *mo = &modules[a->module];
		if (!mo->u.count)
			mo->first = (uint32_t)i;
		add_usage(&mo->u, a->size, pages);
		r->guard_pages += vms_aspace_guard_bytes(m, i) ? 1 : 0;
	}
	pack_callers(r, &callers);
	pack_modules(r, modules, nsym + 1);
	free(callers.v);
	free(modules);
}

static void clip_into(struct vms_usage *u, const struct vms_aspace *m, size_t i,
                      const struct vms_region *g)
{
	const struct vms_area *a = &m->dump->areas.v[i];
	uint64_t s = a->start > g->start ? a->start : g->start;
	uint64_t e = a->end < g->end ? a->end : g->end;
	if (e > s)
		add_usage(u, e - s, vms_report_area_pages(m, i));
}

/* Usage of one region: the areas inside (clipped), the one reaching in
 * from below included. */
static void region_usage(const struct vms_aspace *m, struct vms_report_region *rr)
{
	const struct vms_region *g = rr->region;
	for (size_t k = vms_aspace_first_over(m, g->start); k < m->nr_order; k++) {
		size_t i = m->order[k];
		if (m->dump->areas.v[i].start >= g->end)
			break;
		clip_into(&rr->u, m, i, g);
	}
}

static void count_regions(struct vms_report *r)
{
	const struct vms_aspace *m = r->model;
	for (size_t i = 0; i < m->regions.n; i++) {
		struct vms_report_region rr = {.region = &m->regions.v[i], .window = -1};
		if (m->geometry)
			region_usage(m, &rr);
		vms_vec_push(&r->regions, rr);
	}
	if (!m->geometry)
		return;
	for (size_t k = 0; k < m->nr_order; k++) {
		size_t i = m->order[k];
		if (!vms_aspace_region_of(m, m->dump->areas.v[i].start))
			add_usage(&r->outside, m->dump->areas.v[i].size,
			          vms_report_area_pages(m, i));
	}
}

static int cmp_size_count(const void *x, const void *y)
{
	const struct vms_size_count *a = x, *b = y;
	return (a->size > b->size) - (a->size < b->size);
}

/* Printed sizes two or more areas of the vmalloc window share (vm_struct
 * areas only, per-cpu chunks left out: the sizes an allocation there could
 * free; holes between modules have a cause of their own), ascending, for
 * the "freed" cause. O(n + distinct sizes log distinct sizes). */
static void count_sizes(struct vms_report *r)
{
	const struct vms_aspace *m = r->model;
	const struct vms_window *w = vms_aspace_vmalloc_window(m);
	struct key_table t;
	key_init(&t);
	for (size_t k = w ? vms_aspace_first_at(m, w->start) : m->nr_order;
	     k < m->nr_order; k++) {
		uint32_t i = m->order[k];
		const struct vms_area *a = &r->dump->areas.v[i];
		if (a->start >= w->end)
			break;
		if (a->kind == VMS_KIND_AREA && m->kind[i] != VMS_AK_PERCPU)
			key_add(&t, a->size, i)->u.count++;
	}
	for (size_t i = 0; i < t.cap; i++)
		if (t.v[i].s.u.count >= 2) {
			struct vms_size_count c = {t.v[i].key, t.v[i].s.u.count,
			                           t.v[i].s.first};
			vms_vec_push(&r->sizes, c);
		}
	free(t.v);
	if (r->sizes.n)
		qsort(r->sizes.v, r->sizes.n, sizeof(*r->sizes.v), cmp_size_count);
}

struct vms_report *vms_report_build(const struct vms_aspace *m,
                                    const struct vms_check_result *findings)
{
	struct vms_report *r = vms_xcalloc(1, sizeof(*r));
	r->model = m;
	r->dump = m->dump;
	r->findings = findings;
	count_usage(r);
	count_regions(r);
	if (m->geometry) {
		count_sizes(r);
		vms_report_windows(r);
	}
	return r;
}

void vms_report_free(struct vms_report *r)
{
	if (!r)
		return;
	free(r->callers.v);
	free(r->modules.v);
	free(r->regions.v);
	free(r->windows.v);
	free(r->sizes.v);
	vms_arena_free(&r->arena);
	free(r);
}

size_t vms_report_top(const struct vms_report_group *g, size_t count, size_t n,
                      struct vms_usage *other)
{
	*other = (struct vms_usage){0};
	size_t shown = n && n < count ? n : count;
	for (size_t i = shown; i < count; i++) {
		other->count += g[i].u.count;
		other->bytes += g[i].u.bytes;
		other->pages += g[i].u.pages;
	}
	return shown;
}
