/*
 * fit_log.c — `vmscope fit`: the failure lines of the log ("vmap
 * allocation for size N failed", the warn_alloc() "vmalloc error: size N"
 * after it, and kin) explained against the dump's state: what was asked,
 * in which window, whether and where it would land now, the largest hole
 * and request, and the vmalloc= that would place it (fit.h has the rules;
 * the placing is fit.c's, shared through fit_int.h).
 *
 * Decisions: what was allocated is read from the call trace (a module
 * frame, else an ioremap frame, else vmalloc); the window is the one the
 * message's "restricted to A - B" range names, else the kind's; without
 * geometry only the region is found and nothing is placed. The vmap and
 * node_range messages print the size with the guard page, the others
 * without. Each line is placed alone (count 1) in the dump's state, a copy
 * of the window's tree made only when the kernel would have purged first;
 * the largest hole and request are of the state the kernel searched. A
 * line asking what an earlier one asked borrows its answer (vm_borrowed:
 * the earlier line owns the vmalloc= placements), and lines of one
 * incident (a few lines apart, the same request and call trace) point to
 * its first line (same_as).
 *
 * Costs: a line O(frames + windows) to find its target and its incident
 * (only the line before is compared), O(lines) to find an earlier line
 * asking the same; a new question O(log holes) to place, O(holes) for the
 * largest hole and request, plus a copy of the tree (O(holes)) when a
 * purge is needed and a vmalloc= search when it does not fit now.
 */
#include <string.h>

#include "fit_int.h"

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
static void place_line(const struct vms_fit_result *r, struct fit_lazy *lazy,
                       const struct vms_failure *f, struct vms_fit_logfail *x)
{
	const struct vms_aspace *m = r->model;
	uint64_t page = m->page_size;
	struct fit_job j =
	    fit_make_job(m, lazy, x->window, x->size, x->align,
	                 fit_asked_of((enum vms_fit_kind)x->kind, 0, x->align, page), 1);
	if (x->by_range) { /* the request was restricted to that range */
		j.rule.vstart = f->vstart > j.rule.vstart ? f->vstart : j.rule.vstart;
		j.rule.vend = f->vend < j.rule.vend ? f->vend : j.rule.vend;
	}
	const struct vms_free *state = &m->windows.v[x->window].free;
	struct vms_free t = {0};
	bool adjust = fit_adjusted(&j.rule), copied = false;
	x->fits_now = fit_find_spot(state, &j.rule, adjust, &x->place) != 0;
	if (!x->fits_now && fit_lazy_of(&j)->r.v.n) {
		fit_free_copy(&t, state);
		copied = true;
		fit_purge(&j, &t);
		state = &t;
		x->fits_now = fit_find_spot(state, &j.rule, adjust, &x->place) != 0;
		x->place.after_purge = x->fits_now;
	}
	/* the state the kernel searched: purged when a purge was needed */
	x->largest = fit_largest_of(state, (uint32_t)x->window);
	x->largest_request = fit_largest_request(state, &j.rule);
	if (copied)
		vms_free_release(&t);
	if (!x->fits_now)
		fit_vmalloc_answer(&j, &x->vm);
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

static void explain_line(const struct vms_fit_result *r, struct fit_lazy *lazy,
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
		x->size = vms_align_up(x->request, page) + page;
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

void fit_explain_log(struct vms_fit_result *r, struct fit_lazy *lazy)
{
	const struct vms_bootlog *log = r->model->dump->log;
	for (size_t i = 0; i < log->failures.n; i++) {
		struct vms_fit_logfail x;
		explain_line(r, lazy, &log->failures.v[i], &x);
		x.same_as = same_incident(r, &x);
		vms_vec_push(&r->logfails, x);
	}
}
