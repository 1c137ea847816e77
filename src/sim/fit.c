/*
 * fit.c — `vmscope fit`: K allocations placed on a copy of a window's free
 * tree as the dump's era places them, the reasons one fails, the smallest
 * vmalloc= that places them all, and the failure lines of the log
 * explained against the dump's state (fit.h has the rules).
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
 * trials of O(holes + K log holes); a failure line O(frames + log holes),
 * plus a vmalloc= search when it does not fit now.
 */
#include <stdlib.h>
#include <string.h>

#include "vmscope/fit.h"
#include "vmscope/sim.h"

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

static uint64_t align_up(uint64_t x, uint64_t a)
{
	uint64_t y = (x + a - 1) & ~(a - 1);
	return y < x ? UINT64_MAX : y;
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

/* dst becomes an independent copy of src (free with vms_free_release). */
static void free_copy(struct vms_free *dst, const struct vms_free *src)
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

/* How one allocation is made: alloc_vmap_area()'s arguments, and the era. */
struct rule {
	uint64_t size;  /* guard page included */
	uint64_t align; /* a power of two >= page */
	uint64_t asked; /* the alignment the caller passes (1, page, ...) */
	uint64_t page;
	uint64_t vstart, vend;
	uint8_t search; /* enum vms_fit_search */
	int ver;        /* major * 100 + minor for vms_sim_search_adjusted */
};

/* Whether the era's search asks for size + align - 1 bytes. */
static bool adjusted(const struct rule *r)
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

/*
 * The spot alloc_vmap_area() finds for r in t (adjust: the search length
 * grows by align - 1), without allocating: the hole's id, and the area
 * and its hole in *p. 0 when nothing fits, or when the fit found ends
 * past vend (the kernel does not look further either).
 */
static uint32_t find_spot(const struct vms_free *t, const struct rule *r, bool adjust,
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
static bool place_one(struct vms_free *t, const struct rule *r, struct vms_fit_place *p)
{
	uint32_t id = find_spot(t, r, adjusted(r), p);
	return id && vms_free_clip(t, id, p->start, r->size) != VMS_FIT_NONE;
}

/* The largest hole of t (size 0 when none) and its lowest start. */
static struct vms_fit_hole largest_of(const struct vms_free *t, uint32_t window)
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

/*
 * The largest request (guard page excluded, page-aligned) r's search is
 * sure to place in a hole of t: the aligned room above r->vstart and
 * below r->vend, less, when the search is adjusted, what it asks beyond
 * the area (a hole holding size + align - 1 bytes is always found; a
 * smaller one only when it lies on the search's path). O(holes).
 */
static uint64_t largest_request(const struct vms_free *t, const struct rule *r)
{
	uint64_t best = 0, mask = ~(r->page - 1);
	bool adjust = adjusted(r);
	for (uint32_t id = vms_free_first(t); id; id = vms_free_next(t, id)) {
		const struct vms_hole *h = vms_free_hole(t, id);
		uint64_t lo = h->va_start > r->vstart ? h->va_start : r->vstart;
		uint64_t end = h->va_end < r->vend ? h->va_end : r->vend;
		uint64_t s = align_up(lo, r->align);
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

struct range {
	uint64_t start, end;
};
struct ranges {
	VMS_VEC(struct range) v;
};

/* Appends [s, e) to an ascending list, merging it with the last range
 * when they overlap or touch. */
static void ranges_add(struct ranges *l, uint64_t s, uint64_t e)
{
	if (s >= e)
		return;
	struct range *last = l->v.n ? &l->v.v[l->v.n - 1] : NULL;
	if (last && s <= last->end) {
		last->end = e > last->end ? e : last->end;
		return;
	}
	vms_vec_push(&l->v, ((struct range){s, e}));
}

/* out gets the parts of lazy no range of busy covers (both ascending and
 * disjoint). O(lazy + busy). */
static void ranges_minus(const struct ranges *lazy, const struct ranges *busy,
                         struct ranges *out)
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
                        struct ranges *out, uint32_t *areas)
{
	struct ranges lazy = {0}, busy = {0};
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

/* ---- one request ---------------------------------------------------------- */

/* What a purge gives back in one window, found once per run (at the
 * first failure that needs it). */
struct lazy {
	bool known;
	uint32_t areas;
	struct ranges r;
};

/* K allocations of one rule in one window of the model. */
struct job {
	const struct vms_aspace *m;
	int32_t window;
	struct rule rule;
	uint64_t count;
	struct lazy *lazy; /* the window's (borrowed from the run) */
};

/* The window's lazily freed space, computed on first use. */
static const struct lazy *lazy_of(const struct job *j)
{
	if (!j->lazy->known) {
		lazy_ranges(j->m, &j->m->windows.v[j->window], &j->lazy->r,
		            &j->lazy->areas);
		j->lazy->known = true;
	}
	return j->lazy;
}

/* Gives the window's lazily freed space back to t (the kernel's purge);
 * false when there is none. */
static bool purge(const struct job *j, struct vms_free *t)
{
	const struct lazy *l = lazy_of(j);
	for (size_t i = 0; i < l->r.v.n; i++)
		vms_free_insert(t, l->r.v.v[i].start, l->r.v.v[i].end);
	return l->r.v.n > 0;
}

/*
 * Places up to j->count allocations of r in t, each in the state the one
 * before left, appending them to out (may be NULL). When one fails, the
 * lazily freed space is given back once and it is tried again, as the
 * kernel purges and retries. Returns how many were placed: fewer than
 * count when one failed.
 */
static uint64_t place_all(const struct job *j, struct vms_free *t, const struct rule *r,
                          struct vms_fit_places *out)
{
	bool purged = false;
	uint64_t n = 0;
	struct vms_fit_place p;
	for (; n < j->count; n++) {
		bool ok = place_one(t, r, &p);
		if (!ok && !purged) {
			purged = true;
			ok = purge(j, t) && place_one(t, r, &p);
			p.after_purge = ok;
		}
		if (!ok)
			break;
		if (out)
			vms_vec_push(out, p);
	}
	return n;
}

static struct job make_job(const struct vms_aspace *m, struct lazy *lazy, int32_t window,
                           uint64_t size, uint64_t align, uint64_t asked, uint64_t count)
{
	const struct vms_window *w = &m->windows.v[window];
	struct job j = {.m = m,
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
static void explain_failure(const struct job *j, const struct vms_free *t, uint64_t index,
                            struct vms_fit_failure *f)
{
	const struct vms_aspace *m = j->m;
	const struct rule *r = &j->rule;
	f->index = index;
	f->nr_holes = m->windows.n;
	f->holes = vms_xcalloc(f->nr_holes ? f->nr_holes : 1, sizeof(*f->holes));
	for (size_t i = 0; i < m->windows.n; i++)
		f->holes[i] = largest_of(
		    (int32_t)i == j->window ? t : &m->windows.v[i].free, (uint32_t)i);
	f->largest_request = largest_request(t, r);
	struct vms_fit_place p;
	if (adjusted(r) && find_spot(t, r, false, &p)) {
		f->aligned_skipped = true;
		f->aligned_at = p.start;
	}
	if (r->align <= r->page)
		return;
	const struct vms_fit_hole *big = &f->holes[j->window];
	if (big->size) {
		uint64_t loss = align_up(big->start, r->align) - big->start;
		f->align_loss = loss < big->size ? loss : big->size;
	}
	struct rule paged = *r; /* as vmalloc() would ask: a page, align 1 */
	paged.align = r->page;
	paged.asked = 1;
	f->unaligned_fits = find_spot(t, &paged, adjusted(&paged), &f->unaligned) != 0;
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
static bool trial(const struct job *j, const struct vms_profile *p,
                  enum vms_vmalloc_semantics sem, uint64_t r, uint64_t ram,
                  struct vms_vmalloc_calc *calc, struct vms_fit_places *out)
{
	const struct vms_window *w = &j->m->windows.v[j->window];
	if (vms_vmalloc_compute(p, sem, true, r, ram, calc) != 0 ||
	    calc->vmalloc_start >= w->start)
		return false; /* no new room: it fails as in the dump */
	struct vms_free t;
	free_copy(&t, &w->free);
	struct rule grown = j->rule;
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
static void search(const struct job *j, const struct vms_profile *p,
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

static void vmalloc_answer(const struct job *j, struct vms_fit_vmalloc *vm)
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

/* What the caller of alloc_vmap_area() passes as align: vmalloc() and
 * vmap() 1, module_alloc() a page (MODULE_ALIGN), ioremap its own rule,
 * a given alignment itself. */
static uint64_t asked_of(enum vms_fit_kind k, uint64_t given, uint64_t align,
                         uint64_t page)
{
	if (given)
		return given;
	return k == VMS_FK_IOREMAP ? align : k == VMS_FK_MODULE ? page : 1;
}

static void run_request(struct vms_fit_result *r, struct lazy *lazy)
{
	const struct vms_aspace *m = r->model;
	uint64_t page = m->page_size;
	enum vms_fit_kind kind = (enum vms_fit_kind)r->req.kind;
	r->size = align_up(r->req.size, page) + page;
	r->align = r->req.align             ? r->req.align
	           : kind == VMS_FK_IOREMAP ? vms_aspace_ioremap_align(m, r->req.size)
	                                    : page;
	r->asked = asked_of(kind, r->req.align, r->align, page);
	r->window = vms_fit_window_for(m, kind);
	if (r->window < 0)
		return;
	struct job j =
	    make_job(m, lazy, r->window, r->size, r->align, r->asked, r->req.count);
	r->adjusted = adjusted(&j.rule);
	struct vms_free t;
	free_copy(&t, &m->windows.v[r->window].free);
	uint64_t n = place_all(&j, &t, &j.rule, &r->placed);
	r->fits = n == j.count;
	if (!r->fits) {
		explain_failure(&j, &t, n, &r->fail);
		vmalloc_answer(&j, &r->vm);
	}
	const struct lazy *l = lazy_of(&j); /* the text tells them anyway */
	r->lazy_areas = l->areas;
	for (size_t i = 0; i < l->r.v.n; i++)
		r->lazy_bytes += l->r.v.v[i].end - l->r.v.v[i].start;
	vms_free_release(&t);
}

/* ---- failure lines of the log ------------------------------------------- */

/* Frames that allocate in module space (prefixes: ".constprop.0" and
 * module_alloc_update_bounds of old arm kernels match too). */
static const char *const module_frames[] = {
    "module_alloc", "execmem_alloc", "move_module", "layout_and_allocate", "bpf_jit",
};

/* The first frame of f's call trace that starts with one of the n names
 * (contains one when anywhere), or NULL. */
static const char *frame_of(const struct vms_failure *f, const char *const *names,
                            size_t n, bool anywhere)
{
	for (uint32_t i = 0; i < f->nr_callers; i++)
		for (size_t k = 0; f->callers[i] && k < n; k++)
			if (anywhere
			        ? strstr(f->callers[i], names[k]) != NULL
			        : strncmp(f->callers[i], names[k], strlen(names[k])) == 0)
				return f->callers[i];
	return NULL;
}

/* What the call trace says was allocated, and the frame that says it. */
static enum vms_fit_kind trace_kind(const struct vms_failure *f, const char **frame)
{
	static const char *const ioremap_frames[] = {"ioremap"};
	*frame = frame_of(f, module_frames,
	                  sizeof(module_frames) / sizeof(*module_frames), false);
	if (*frame)
		return VMS_FK_MODULE;
	/* __ioremap_caller, __arm_ioremap_pfn_caller, devm_ioremap, ... */
	*frame = frame_of(f, ioremap_frames, 1, true);
	return *frame ? VMS_FK_IOREMAP : VMS_FK_VMALLOC;
}

/* The window a "restricted to A - B" message names, or -1. */
static int32_t window_by_range(const struct vms_aspace *m, const struct vms_failure *f)
{
	if (!f->has_range)
		return -1;
	for (size_t i = 0; i < m->windows.n; i++) {
		const struct vms_window *w = &m->windows.v[i];
		if (f->vstart < w->end && w->start < f->vend)
			return (int32_t)i;
	}
	return -1;
}

/* Without geometry (no windows): the region a request of kind k targets,
 * as the windows would be chosen (*by_range: the message's range chose
 * it), or -1. */
static int32_t region_for(const struct vms_aspace *m, enum vms_fit_kind k,
                          const struct vms_failure *f, bool *by_range_out)
{
	int32_t vm = -1, mod = -1, by_range = -1;
	for (size_t i = 0; i < m->regions.n; i++) {
		const struct vms_region *g = &m->regions.v[i];
		if (g->kind == VMS_RK_VMALLOC && vm < 0)
			vm = (int32_t)i;
		else if (g->kind == VMS_RK_MODULES && mod < 0)
			mod = (int32_t)i;
		if ((g->kind == VMS_RK_VMALLOC || g->kind == VMS_RK_MODULES) &&
		    f->has_range && by_range < 0 && f->vstart < g->end &&
		    g->start < f->vend)
			by_range = (int32_t)i;
	}
	*by_range_out = by_range >= 0;
	if (by_range >= 0)
		return by_range;
	/* module space inside the vmalloc space (x86_32) is not apart */
	if (mod >= 0 && vm >= 0 && m->regions.v[mod].start < m->regions.v[vm].end &&
	    m->regions.v[vm].start < m->regions.v[mod].end)
		mod = -1;
	return k == VMS_FK_MODULE && mod >= 0 ? mod : vm;
}

/* The same call trace: the parser hands every failure before one trace
 * the same frames (a --layout merge copies them, so compare names). */
static bool same_trace(const struct vms_failure *a, const struct vms_failure *b)
{
	if (!a->nr_callers || a->nr_callers != b->nr_callers)
		return false;
	for (uint32_t k = 0; k < a->nr_callers && a->callers != b->callers; k++)
		if (!a->callers[k] || !b->callers[k] ||
		    strcmp(a->callers[k], b->callers[k]))
			return false;
	return true;
}

static bool same_file(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/*
 * The first line of the incident x belongs to, or -1: "vmap allocation
 * for size N" and the warn_alloc() line after it ("vmalloc error: size
 * N - PAGE") report one request; they follow each other closely (a few
 * lines, MAX_INCIDENT_GAP) and share the call trace printed after both.
 */
#define MAX_INCIDENT_GAP 4
static int32_t same_incident(const struct vms_fit_result *r,
                             const struct vms_fit_logfail *x)
{
	if (!r->logfails.n)
		return -1;
	int32_t i = (int32_t)r->logfails.n - 1;
	const struct vms_fit_logfail *y = &r->logfails.v[i];
	if (y->request != x->request || !same_file(y->f->file, x->f->file) ||
	    x->f->line <= y->f->line || x->f->line - y->f->line > MAX_INCIDENT_GAP ||
	    !same_trace(y->f, x->f))
		return -1;
	return y->same_as >= 0 ? y->same_as : i;
}

/*
 * Where x would land now in its window, purging first when the kernel
 * would (the window's tree is copied only then), and the vmalloc= answer
 * when it does not fit.
 */
static void place_line(const struct vms_fit_result *r, struct lazy *lazy,
                       const struct vms_failure *f, struct vms_fit_logfail *x)
{
	const struct vms_aspace *m = r->model;
	uint64_t page = m->page_size;
	struct job j =
	    make_job(m, lazy, x->window, x->size, x->align,
	             asked_of((enum vms_fit_kind)x->kind, 0, x->align, page), 1);
	if (x->by_range) { /* the request was restricted to that range */
		j.rule.vstart = f->vstart > j.rule.vstart ? f->vstart : j.rule.vstart;
		j.rule.vend = f->vend < j.rule.vend ? f->vend : j.rule.vend;
	}
	const struct vms_free *state = &m->windows.v[x->window].free;
	struct vms_free t = {0};
	bool adjust = adjusted(&j.rule), copied = false;
	x->fits_now = find_spot(state, &j.rule, adjust, &x->place) != 0;
	if (!x->fits_now && lazy_of(&j)->r.v.n) {
		free_copy(&t, state);
		copied = true;
		purge(&j, &t);
		state = &t;
		x->fits_now = find_spot(state, &j.rule, adjust, &x->place) != 0;
		x->place.after_purge = x->fits_now;
	}
	/* the state the kernel searched: purged when a purge was needed */
	x->largest = largest_of(state, (uint32_t)x->window);
	x->largest_request = largest_request(state, &j.rule);
	if (copied)
		vms_free_release(&t);
	if (!x->fits_now)
		vmalloc_answer(&j, &x->vm);
}

/* The same question as an earlier line (window, kind, request, range):
 * its index, or -1. O(lines). */
static int32_t same_question(const struct vms_fit_result *r,
                             const struct vms_fit_logfail *x)
{
	for (size_t i = 0; i < r->logfails.n; i++) {
		const struct vms_fit_logfail *y = &r->logfails.v[i];
		if (y->window == x->window && y->kind == x->kind && y->size == x->size &&
		    y->request == x->request && y->by_range == x->by_range &&
		    !y->vm_borrowed &&
		    (!x->by_range ||
		     (y->f->vstart == x->f->vstart && y->f->vend == x->f->vend)))
			return (int32_t)i;
	}
	return -1;
}

static void explain_line(const struct vms_fit_result *r, struct lazy *lazy,
                         const struct vms_failure *f, struct vms_fit_logfail *x)
{
	const struct vms_aspace *m = r->model;
	uint64_t page = m->page_size;
	*x = (struct vms_fit_logfail){.f = f, .window = -1, .region = -1, .same_as = -1};
	x->kind = (uint8_t)trace_kind(f, &x->frame);
	if (m->geometry) {
		x->window = window_by_range(m, f);
		x->by_range = x->window >= 0;
		if (x->window < 0)
			x->window = vms_fit_window_for(m, (enum vms_fit_kind)x->kind);
		if (x->window >= 0)
			x->region = (int32_t)m->windows.v[x->window].region;
	} else {
		x->region = region_for(m, (enum vms_fit_kind)x->kind, f, &x->by_range);
	}
	if (x->region >= 0)
		x->target = m->regions.v[x->region].kind;
	/* the vmap and node_range messages print the size with the guard;
	 * 2.6.28's first message printed none (size 0: nothing to place) */
	bool guarded = f->kind == VMS_FAIL_VMAP || f->kind == VMS_FAIL_NODE_RANGE;
	x->request = guarded && f->size >= page ? f->size - page : f->size;
	if (x->request && x->request <= UINT64_MAX - 2 * page) {
		x->size = align_up(x->request, page) + page;
		x->align = x->kind == VMS_FK_IOREMAP
		               ? vms_aspace_ioremap_align(m, x->request)
		               : page;
	}
	if (x->window < 0 || !x->size)
		return;
	int32_t same = same_question(r, x);
	if (same < 0) {
		place_line(r, lazy, f, x);
		return;
	}
	/* asked before: the answer is the same (the vmalloc= placements are
	 * the earlier line's, borrowed) */
	const struct vms_fit_logfail *y = &r->logfails.v[same];
	x->fits_now = y->fits_now;
	x->place = y->place;
	x->largest = y->largest;
	x->largest_request = y->largest_request;
	x->vm = y->vm;
	x->vm_borrowed = true;
}

static void explain_log(struct vms_fit_result *r, struct lazy *lazy)
{
	const struct vms_bootlog *log = r->model->dump->log;
	for (size_t i = 0; i < log->failures.n; i++) {
		struct vms_fit_logfail x;
		explain_line(r, lazy, &log->failures.v[i], &x);
		x.same_as = same_incident(r, &x);
		vms_vec_push(&r->logfails, x);
	}
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
	struct lazy *lazy = vms_xcalloc(m->windows.n ? m->windows.n : 1, sizeof(*lazy));
	r->model = m;
	r->window = -1;
	int ver;
	r->search = (uint8_t)era_search(m->dump, &ver, &r->search_guessed);
	r->legacy = r->search == VMS_FS_FIRST_FIT;
	r->partial = m->dump->acct.noise[VMS_NOISE_ELISION] > 0;
	if (req) {
		r->has_request = true;
		r->req = *req;
		run_request(r, lazy);
	}
	if (!req || r->window >= 0)
		explain_log(r, lazy);
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
