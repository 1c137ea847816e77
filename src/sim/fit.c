/*
 * fit.c — `vmscope fit`: K allocations placed on a copy of a window's free
 * tree as the dump's era places them, the reasons one fails, and the
 * smallest vmalloc= that places them all (fit.h has the rules); and the
 * placing helpers (fit_int.h) with which fit_log.c explains the failure
 * lines of the log against the dump's state.
 *
 * Placing never touches the model: each run copies the window's free tree
 * (its node and hole vectors and scalars, O(holes)) and allocates in the
 * copy. The search is the simulator's (vms_free_lowest with the length
 * adjustment vms_sim_search_adjusted() gives the era, then the kernel's
 * vend check and vms_free_clip); <= 5.1 is the same search never
 * adjusted, which is the busy-tree first fit from a cold cache. When one
 * fails, the window's lazily freed areas are given back once (the
 * kernel's purge and retry) and it is tried again. The vmalloc= search
 * grows the copy at the bottom:
 *
 *     new VMALLOC_START   old VMALLOC_START                  VMALLOC_END
 *     |<---- new hole --->|area|..hole..|area|....|hole|area|
 *
 * (vms_free_insert merges the new space with a hole at the old start), so
 * a lower VMALLOC_START only adds room below everything: the placements of
 * identical requests never get fewer, and bisection over whole MiB finds
 * the smallest vmalloc=.
 *
 * Costs: a placement O(log holes) (vms_free_lowest's exceptions aside);
 * the lazily freed ranges O(areas of the window), at the first failure; a
 * failure's analysis O(holes · windows); the vmalloc= search O(log MiB)
 * trials of O(holes + K log holes).
 */
#include <stdlib.h>
#include <string.h>

#include "fit_int.h"

#define MIB ((uint64_t)1 << 20)

static const char *const kind_names[VMS_NR_FIT_KINDS] = {"vmalloc", "vmap", "ioremap",
                                                         "module"};

const char *vms_fit_kind_name(enum vms_fit_kind k)
{
	return (unsigned)k < VMS_NR_FIT_KINDS ? kind_names[k] : "?";
}

const char *vms_fit_param_status_name(enum vms_fit_param_status s)
{
	static const char *const names[] = {"computed", "modules", "no-parameter",
	                                    "no-profile", "no-region"};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

const char *vms_fit_search_name(enum vms_fit_search s)
{
	static const char *const names[VMS_NR_FIT_SEARCHES] = {
	    "first-fit", "lowest-fit-5.2", "lowest-fit-5.17"};
	return (unsigned)s < VMS_NR_FIT_SEARCHES ? names[s] : "?";
}

/* ---- the dump's era ------------------------------------------------------ */

/* major * 100 + minor when known, else the era's bound on side hi/lo. */
static int era_bound(const struct vms_dump *d, bool hi)
{
	if (d->kernel_major)
		return d->kernel_major * 100 + d->kernel_minor;
	return hi ? d->era_hi : d->era_lo;
}

/* The era's search, and a version of it for vms_sim_search_adjusted()
 * (*ver, major * 100 + minor). An era that does not tell (unknown, or
 * spanning one of the changes) gets the 5.17+ search; *guessed says so. */
static enum vms_fit_search era_search(const struct vms_dump *d, int *ver, bool *guessed)
{
	int hi = era_bound(d, true), lo = era_bound(d, false);
	*guessed = false;
	*ver = hi;
	if (hi && hi < 502)
		return VMS_FS_FIRST_FIT;
	if (hi && hi < 517 && lo >= 502)
		return VMS_FS_ADJUST_ASKED;
	*guessed = lo < 517;
	*ver = lo >= 517 ? lo : 517;
	return VMS_FS_ADJUST_ALIGN;
}

/* The vmalloc= semantics of the dump's era, -1 when it spans both. */
static int8_t era_semantics(const struct vms_dump *d)
{
	int hi = era_bound(d, true), lo = era_bound(d, false);
	if (hi && hi < 514)
		return VMS_VMALLOC_OLD;
	if (lo >= 514)
		return VMS_VMALLOC_NEW;
	return -1;
}

/* ---- allocating in a copy ------------------------------------------------ */

void fit_free_copy(struct vms_free *dst, const struct vms_free *src)
{
	*dst = *src;
	dst->node.v = NULL;
	dst->hole.v = NULL;
	dst->node.cap = dst->hole.cap = 0;
	if (src->node.n) {
		dst->node.v = vms_xreallocarray(NULL, src->node.n, sizeof(*src->node.v));
		memcpy(dst->node.v, src->node.v, src->node.n * sizeof(*src->node.v));
		dst->node.cap = src->node.n;
	}
	if (src->hole.n) {
		dst->hole.v = vms_xreallocarray(NULL, src->hole.n, sizeof(*src->hole.v));
		memcpy(dst->hole.v, src->hole.v, src->hole.n * sizeof(*src->hole.v));
		dst->hole.cap = src->hole.n;
	}
}

bool fit_adjusted(const struct fit_rule *r)
{
	if (r->search == VMS_FS_FIRST_FIT)
		return false;
	return vms_sim_search_adjusted(r->ver / 100, r->ver % 100, r->page, r->align,
	                               r->asked, r->vend - r->vstart, r->size);
}

/* The fit type of [at, at + size) inside the hole [hs, he). */
static enum vms_fit_type fit_type(uint64_t hs, uint64_t he, uint64_t at, uint64_t end)
{
	if (at == hs)
		return end == he ? VMS_FIT_FL : VMS_FIT_LE;
	return end == he ? VMS_FIT_RE : VMS_FIT_NE;
}

uint32_t fit_find_spot(const struct vms_free *t, const struct fit_rule *r, bool adjust,
                       struct vms_fit_place *p)
{
	uint64_t at = 0;
	uint32_t id = vms_free_lowest(t, r->size, r->align, r->vstart, adjust, &at);
	if (!id || r->size > r->vend || at > r->vend - r->size)
		return 0;
	const struct vms_hole *h = vms_free_hole(t, id);
	*p = (struct vms_fit_place){
	    .start = at,
	    .end = at + r->size,
	    .hole_start = h->va_start,
	    .hole_end = h->va_end,
	    .fit = (uint8_t)fit_type(h->va_start, h->va_end, at, at + r->size)};
	return id;
}

/* Allocates r in t as the era's allocator does; false when it fails. */
static bool place_one(struct vms_free *t, const struct fit_rule *r,
                      struct vms_fit_place *p)
{
	uint32_t id = fit_find_spot(t, r, fit_adjusted(r), p);
	return id && vms_free_clip(t, id, p->start, r->size) != VMS_FIT_NONE;
}

struct vms_fit_hole fit_largest_of(const struct vms_free *t, uint32_t window)
{
	struct vms_fit_hole h = {.window = window, .size = vms_free_largest(t)};
	for (uint32_t id = vms_free_first(t); h.size && id; id = vms_free_next(t, id)) {
		const struct vms_hole *x = vms_free_hole(t, id);
		if (x->va_end - x->va_start == h.size) {
			h.start = x->va_start;
			break;
		}
	}
	return h;
}

uint64_t fit_largest_request(const struct vms_free *t, const struct fit_rule *r)
{
	uint64_t best = 0, mask = ~(r->page - 1);
	bool adjust = fit_adjusted(r);
	for (uint32_t id = vms_free_first(t); id; id = vms_free_next(t, id)) {
		const struct vms_hole *h = vms_free_hole(t, id);
		uint64_t lo = h->va_start > r->vstart ? h->va_start : r->vstart;
		uint64_t end = h->va_end < r->vend ? h->va_end : r->vend;
		uint64_t s = vms_align_up(lo, r->align);
		if (s >= end || end - s <= r->page)
			continue;
		uint64_t room = (end - s - r->page) & mask;
		if (adjust) {
			uint64_t extra = r->page + (r->align - 1);
			room = end - lo > extra ? (end - lo - extra) & mask : 0;
		}
		best = room > best ? room : best;
	}
	return best;
}

/* ---- lazily freed areas ----------------------------------------------------- */

/* Appends [s, e) to an ascending list, merging it with the last range
 * when they overlap or touch. */
static void ranges_add(struct fit_ranges *l, uint64_t s, uint64_t e)
{
	if (s >= e)
		return;
	struct fit_range *last = l->v.n ? &l->v.v[l->v.n - 1] : NULL;
	if (last && s <= last->end) {
		last->end = e > last->end ? e : last->end;
		return;
	}
	vms_vec_push(&l->v, ((struct fit_range){s, e}));
}

/* out gets the parts of lazy no range of busy covers (both ascending and
 * disjoint). O(lazy + busy). */
static void ranges_minus(const struct fit_ranges *lazy, const struct fit_ranges *busy,
                         struct fit_ranges *out)
{
	size_t j = 0;
	for (size_t i = 0; i < lazy->v.n; i++) {
		uint64_t cur = lazy->v.v[i].start, end = lazy->v.v[i].end;
		while (j < busy->v.n && busy->v.v[j].end <= cur)
			j++;
		for (size_t k = j; k < busy->v.n && busy->v.v[k].start < end; k++) {
			if (busy->v.v[k].start > cur)
				ranges_add(out, cur, busy->v.v[k].start);
			if (busy->v.v[k].end > cur)
				cur = busy->v.v[k].end;
		}
		if (cur < end)
			ranges_add(out, cur, end);
	}
}

/*
 * The space of window w that lazily freed ("unpurged vm_area") areas hold
 * and no other area does: what a purge gives back, in out (ascending,
 * disjoint); *areas counts those areas. O(areas of the window).
 */
static void lazy_ranges(const struct vms_aspace *m, const struct vms_window *w,
                        struct fit_ranges *out, uint32_t *areas)
{
	struct fit_ranges lazy = {0}, busy = {0};
	*areas = 0;
	for (size_t k = vms_aspace_first_over(m, w->start); k < m->nr_order; k++) {
		uint32_t i = m->order[k];
		const struct vms_area *a = &m->dump->areas.v[i];
		if (a->start >= w->end)
			break;
		uint64_t s = a->start > w->start ? a->start : w->start;
		uint64_t e = a->end < w->end ? a->end : w->end;
		if (s >= e)
			continue;
		if (m->kind[i] == VMS_AK_UNPURGED)
			++*areas;
		ranges_add(m->kind[i] == VMS_AK_UNPURGED ? &lazy : &busy, s, e);
	}
	ranges_minus(&lazy, &busy, out);
	free(lazy.v.v);
	free(busy.v.v);
}

const struct fit_lazy *fit_lazy_of(const struct fit_job *j)
{
	if (!j->lazy->known) {
		lazy_ranges(j->m, &j->m->windows.v[j->window], &j->lazy->r,
		            &j->lazy->areas);
		j->lazy->known = true;
	}
	return j->lazy;
}

bool fit_purge(const struct fit_job *j, struct vms_free *t)
{
	const struct fit_lazy *l = fit_lazy_of(j);
	for (size_t i = 0; i < l->r.v.n; i++)
		vms_free_insert(t, l->r.v.v[i].start, l->r.v.v[i].end);
	return l->r.v.n > 0;
}

/* ---- one request ---------------------------------------------------------- */

/*
 * Places up to j->count allocations of r in t, each in the state the one
 * before left, appending them to out (may be NULL). When one fails, the
 * lazily freed space is given back once and it is tried again, as the
 * kernel purges and retries. Returns how many were placed: fewer than
 * count when one failed.
 */
static uint64_t place_all(const struct fit_job *j, struct vms_free *t,
                          const struct fit_rule *r, struct vms_fit_places *out)
{
	bool purged = false;
	uint64_t n = 0;
	struct vms_fit_place p;
	for (; n < j->count; n++) {
		bool ok = place_one(t, r, &p);
		if (!ok && !purged) {
			purged = true;
			ok = fit_purge(j, t) && place_one(t, r, &p);
			p.after_purge = ok;
		}
		if (!ok)
			break;
		if (out)
			vms_vec_push(out, p);
	}
	return n;
}

struct fit_job fit_make_job(const struct vms_aspace *m, struct fit_lazy *lazy,
                            int32_t window, uint64_t size, uint64_t align, uint64_t asked,
                            uint64_t count)
{
	const struct vms_window *w = &m->windows.v[window];
	struct fit_job j = {.m = m,
	                    .window = window,
	                    .count = count,
	                    .lazy = &lazy[window],
	                    .rule = {.size = size,
	                             .align = align,
	                             .asked = asked,
	                             .page = m->page_size,
	                             .vstart = w->start,
	                             .vend = w->end}};
	bool guessed;
	j.rule.search = (uint8_t)era_search(m->dump, &j.rule.ver, &guessed);
	return j;
}

int32_t vms_fit_window_for(const struct vms_aspace *m, enum vms_fit_kind k)
{
	/* x86_32 has no module space apart: its modules are vmalloc()ed */
	for (size_t i = 0; k == VMS_FK_MODULE && i < m->windows.n; i++)
		if (m->regions.v[m->windows.v[i].region].kind == VMS_RK_MODULES)
			return (int32_t)i;
	for (size_t i = 0; i < m->windows.n; i++)
		if (m->regions.v[m->windows.v[i].region].kind == VMS_RK_VMALLOC)
			return (int32_t)i;
	return -1;
}

/* Why placement index failed in state t (the target window after the
 * earlier placements, purged when the kernel would have). */
static void explain_failure(const struct fit_job *j, const struct vms_free *t,
                            uint64_t index, struct vms_fit_failure *f)
{
	const struct vms_aspace *m = j->m;
	const struct fit_rule *r = &j->rule;
	f->index = index;
	f->nr_holes = m->windows.n;
	f->holes = vms_xcalloc(f->nr_holes ? f->nr_holes : 1, sizeof(*f->holes));
	for (size_t i = 0; i < m->windows.n; i++)
		f->holes[i] = fit_largest_of(
		    (int32_t)i == j->window ? t : &m->windows.v[i].free, (uint32_t)i);
	f->largest_request = fit_largest_request(t, r);
	struct vms_fit_place p;
	if (fit_adjusted(r) && fit_find_spot(t, r, false, &p)) {
		f->aligned_skipped = true;
		f->aligned_at = p.start;
	}
	if (r->align <= r->page)
		return;
	const struct vms_fit_hole *big = &f->holes[j->window];
	if (big->size) {
		uint64_t loss = vms_align_up(big->start, r->align) - big->start;
		f->align_loss = loss < big->size ? loss : big->size;
	}
	struct fit_rule paged = *r; /* as vmalloc() would ask: a page, align 1 */
	paged.align = r->page;
	paged.asked = 1;
	f->unaligned_fits =
	    fit_find_spot(t, &paged, fit_adjusted(&paged), &f->unaligned) != 0;
}

/* ---- vmalloc= -------------------------------------------------------------- */

/* The profile of m with VMALLOC_END as the boot log printed it: the
 * recomputation must grow the window the dump has. regions is owned by
 * the caller (free()). */
static struct vms_profile profile_with_end(const struct vms_aspace *m, uint64_t end,
                                           struct vms_profile_region **regions)
{
	struct vms_profile p = *m->profile;
	*regions =
	    vms_xreallocarray(NULL, p.nr_regions ? p.nr_regions : 1, sizeof(**regions));
	memcpy(*regions, p.regions, p.nr_regions * sizeof(**regions));
	for (size_t i = 0; i < p.nr_regions; i++)
		if ((*regions)[i].kind == VMS_RK_VMALLOC)
			(*regions)[i].end = end;
	p.regions = *regions;
	return p;
}

/* The region of kind kind printed by the boot log, or NULL. */
static const struct vms_region *log_region(const struct vms_aspace *m, unsigned kind)
{
	for (size_t i = 0; i < m->regions.n; i++)
		if (m->regions.v[i].kind == kind && m->regions.v[i].source == VMS_RS_LOG)
			return &m->regions.v[i];
	return NULL;
}

/*
 * RAM from PAGE_OFFSET for the recomputation (0: enough for any limit).
 * A logged lowmem that ends below the limit of the vmalloc= in effect
 * ends where RAM ends; one at the limit says RAM reaches at least there,
 * which a larger vmalloc= only lowers: enough. Without a layout, the
 * "Memory:" total, as the model itself takes it.
 */
static uint64_t ram_for(const struct vms_aspace *m, const struct vms_profile *p,
                        const struct vms_fit_vmalloc *vm)
{
	const struct vms_bootlog *log = m->dump->log;
	const struct vms_region *lm = log_region(m, VMS_RK_LOWMEM);
	enum vms_vmalloc_semantics sem =
	    vm->applies < 0 ? VMS_VMALLOC_NEW : (enum vms_vmalloc_semantics)vm->applies;
	struct vms_vmalloc_calc c;
	if (lm)
		return vms_vmalloc_compute(p, sem, vm->current_given, vm->current, 0,
		                           &c) == 0 &&
		               lm->end < c.lowmem_end && lm->end > p->page_offset
		           ? lm->end - p->page_offset
		           : 0;
	return log->memory_total_kb < (UINT64_MAX >> 10) ? log->memory_total_kb << 10 : 0;
}

/* Whether vmalloc=R (bytes) under sem places all of j, growing the window
 * at the bottom to the VMALLOC_START it gives; the layout in *calc, the
 * placements in out (may be NULL; emptied when they do not all fit). */
static bool trial(const struct fit_job *j, const struct vms_profile *p,
                  enum vms_vmalloc_semantics sem, uint64_t r, uint64_t ram,
                  struct vms_vmalloc_calc *calc, struct vms_fit_places *out)
{
	const struct vms_window *w = &j->m->windows.v[j->window];
	if (vms_vmalloc_compute(p, sem, true, r, ram, calc) != 0 ||
	    calc->vmalloc_start >= w->start)
		return false; /* no new room: it fails as in the dump */
	struct vms_free t;
	fit_free_copy(&t, &w->free);
	struct fit_rule grown = j->rule;
	grown.vstart = calc->vmalloc_start;
	bool ok = vms_free_insert(&t, calc->vmalloc_start, w->start) == 0 &&
	          place_all(j, &t, &grown, out) == j->count;
	vms_free_release(&t);
	if (!ok && out)
		out->n = 0;
	return ok;
}

/* The smallest whole-MiB vmalloc= under sem that places all of j, found
 * by bisection over [16 MiB (the kernel's floor), VMALLOC_END -
 * PAGE_OFFSET]; a larger value never gives a higher VMALLOC_START. */
static void search(const struct fit_job *j, const struct vms_profile *p,
                   enum vms_vmalloc_semantics sem, uint64_t vmalloc_end, uint64_t ram,
                   struct vms_fit_param *a)
{
	uint64_t lo = 16, hi = vmalloc_end > p->page_offset
	                           ? (vmalloc_end - p->page_offset) / MIB
	                           : 0;
	if (hi < lo || !trial(j, p, sem, hi * MIB, ram, &a->calc, NULL)) {
		/* even the largest does not: say what that largest is */
		vms_vmalloc_compute(p, sem, true, (hi < lo ? lo : hi) * MIB, ram,
		                    &a->calc);
		return;
	}
	struct vms_vmalloc_calc c;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (trial(j, p, sem, mid * MIB, ram, &c, NULL))
			hi = mid;
		else
			lo = mid + 1;
	}
	a->found = true;
	a->value = lo * MIB;
	trial(j, p, sem, a->value, ram, &a->calc, &a->placed);
}

void fit_vmalloc_answer(const struct fit_job *j, struct vms_fit_vmalloc *vm)
{
	const struct vms_aspace *m = j->m;
	const struct vms_bootlog *log = m->dump->log;
	memset(vm, 0, sizeof(*vm));
	vm->applies = era_semantics(m->dump);
	const struct vms_region *vr = &m->regions.v[m->windows.v[j->window].region];
	const struct vms_profile_region *pv =
	    m->profile ? vms_profile_find(m->profile, VMS_RK_VMALLOC) : NULL;
	if (vr->kind != VMS_RK_VMALLOC)
		vm->status = VMS_FP_MODULES;
	else if (!m->profile)
		vm->status = VMS_FP_NO_PROFILE;
	else if (!m->profile->vmalloc_param)
		vm->status = VMS_FP_NO_PARAM;
	else if (!pv)
		vm->status = VMS_FP_NO_REGION;
	if (vm->status != VMS_FP_COMPUTED)
		return;
	vm->current_given = log->has_cmdline && log->cmdline.has_vmalloc;
	vm->current =
	    vm->current_given ? log->cmdline.vmalloc : m->profile->vmalloc_default;
	const struct vms_region *lv = log_region(m, VMS_RK_VMALLOC);
	vm->vmalloc_end = lv ? lv->end : pv->end;
	struct vms_profile_region *regions;
	struct vms_profile p = profile_with_end(m, vm->vmalloc_end, &regions);
	vm->ram_bytes = ram_for(m, &p, vm);
	/* x86_32 has one rule: only param[0] is computed */
	vm->two_semantics = p.vstart_rule == VMS_VSTART_ROUND_8M;
	vm->start_unknown = (m->windows.v[j->window].bounds & VMS_WB_LOW_AREA) != 0;
	for (int s = 0; s < (vm->two_semantics ? 2 : 1); s++)
		search(j, &p, (enum vms_vmalloc_semantics)s, vm->vmalloc_end,
		       vm->ram_bytes, &vm->param[s]);
	free(regions);
}

uint64_t fit_asked_of(enum vms_fit_kind k, uint64_t given, uint64_t align, uint64_t page)
{
	if (given)
		return given;
	return k == VMS_FK_IOREMAP ? align : k == VMS_FK_MODULE ? page : 1;
}

static void run_request(struct vms_fit_result *r, struct fit_lazy *lazy)
{
	const struct vms_aspace *m = r->model;
	uint64_t page = m->page_size;
	enum vms_fit_kind kind = (enum vms_fit_kind)r->req.kind;
	r->size = vms_align_up(r->req.size, page) + page;
	r->align = r->req.align             ? r->req.align
	           : kind == VMS_FK_IOREMAP ? vms_aspace_ioremap_align(m, r->req.size)
	                                    : page;
	r->asked = fit_asked_of(kind, r->req.align, r->align, page);
	r->window = vms_fit_window_for(m, kind);
	if (r->window < 0)
		return;
	struct fit_job j =
	    fit_make_job(m, lazy, r->window, r->size, r->align, r->asked, r->req.count);
	r->adjusted = fit_adjusted(&j.rule);
	struct vms_free t;
	fit_free_copy(&t, &m->windows.v[r->window].free);
	uint64_t n = place_all(&j, &t, &j.rule, &r->placed);
	r->fits = n == j.count;
	if (!r->fits) {
		explain_failure(&j, &t, n, &r->fail);
		fit_vmalloc_answer(&j, &r->vm);
	}
	const struct fit_lazy *l = fit_lazy_of(&j); /* the text tells them anyway */
	r->lazy_areas = l->areas;
	for (size_t i = 0; i < l->r.v.n; i++)
		r->lazy_bytes += l->r.v.v[i].end - l->r.v.v[i].start;
	vms_free_release(&t);
}

/* ---- entry points ------------------------------------------------------------ */

static int check_request(const struct vms_aspace *m, const struct vms_fit_request *q)
{
	uint64_t page = m->page_size;
	if (!q->size || !q->count || q->size > UINT64_MAX - 2 * page ||
	    q->kind >= VMS_NR_FIT_KINDS)
		return -VMS_EINVAL;
	if (q->align && ((q->align & (q->align - 1)) || q->align < page))
		return -VMS_EINVAL;
	return 0;
}

int vms_fit_run(const struct vms_aspace *m, const struct vms_fit_request *req,
                struct vms_fit_result **out)
{
	*out = NULL;
	if (!m->geometry && (req || !m->dump->log->failures.n))
		return -VMS_ENODATA;
	if (req && check_request(m, req) != 0)
		return -VMS_EINVAL;
	struct vms_fit_result *r = vms_xcalloc(1, sizeof(*r));
	struct fit_lazy *lazy =
	    vms_xcalloc(m->windows.n ? m->windows.n : 1, sizeof(*lazy));
	r->model = m;
	r->window = -1;
	int ver;
	r->search = (uint8_t)era_search(m->dump, &ver, &r->search_guessed);
	r->legacy = r->search == VMS_FS_FIRST_FIT;
	r->partial = m->dump->acct.noise[VMS_NOISE_ELISION] > 0 || m->not_free;
	if (req) {
		r->has_request = true;
		r->req = *req;
		run_request(r, lazy);
	}
	if (!req || r->window >= 0)
		fit_explain_log(r, lazy);
	for (size_t i = 0; i < m->windows.n; i++)
		free(lazy[i].r.v.v);
	free(lazy);
	if (req && r->window < 0) {
		vms_fit_free(r);
		return -VMS_ENODATA;
	}
	*out = r;
	return 0;
}

static void vm_free(struct vms_fit_vmalloc *vm)
{
	free(vm->param[0].placed.v);
	free(vm->param[1].placed.v);
}

void vms_fit_free(struct vms_fit_result *r)
{
	if (!r)
		return;
	free(r->placed.v);
	free(r->fail.holes);
	vm_free(&r->vm);
	for (size_t i = 0; i < r->logfails.n; i++)
		if (!r->logfails.v[i].vm_borrowed)
			vm_free(&r->logfails.v[i].vm);
	free(r->logfails.v);
	free(r);
}
