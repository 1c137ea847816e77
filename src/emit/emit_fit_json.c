/*
 * emit_fit_json.c — `vmscope fit --format json`: one object per run (key
 * names are a contract: docs/fit.md "JSON"):
 *
 *   {"tool", <the input's facts>, "layout", "partial",
 *    "request": null | {"kind", "size", "alloc_size", "align",
 *                       "align_given", "count", "window", "allocator"},
 *    "fits": null | bool,
 *    "placements": [{"start", "end", "hole_start", "hole_end", "fit"}],
 *    "failure": null | {"index", "largest_holes", "largest_request",
 *                       "alignment"},
 *    "vmalloc_param": null | {"status", "applies", "vmalloc_end",
 *                             "current", "current_given", "ram_bytes",
 *                             "answers": [...]},
 *    "log_failures": [...]}
 *
 * The placements (up to a million) are streamed one at a time (vms_jw,
 * emit_jansson.h), so memory stays O(one item) beside the result; the
 * rest is small. Addresses are "0x" strings at the dump's width, sizes
 * integers.
 */
#include "emit_jansson.h"
#include "vmscope/emit.h"
#include "vmscope/emit_fit.h"

/* ---- values ------------------------------------------------------------- */

static json_t *jaddr(const struct vms_fit_result *r, uint64_t v)
{
	return vms_json_hex(v, vms_emit_addr_digits(r->model->dump, v));
}

static json_t *place_json(const struct vms_fit_result *r, const struct vms_fit_place *p)
{
	json_t *o = json_object();
	vms_json_set(o, "start", jaddr(r, p->start));
	vms_json_set(o, "end", jaddr(r, p->end));
	vms_json_set(o, "hole_start", jaddr(r, p->hole_start));
	vms_json_set(o, "hole_end", jaddr(r, p->hole_end));
	vms_json_set(o, "fit", json_string(vms_fit_type_name((enum vms_fit_type)p->fit)));
	return o;
}

/* {"name", "start", "end"} of window i, or null. */
static json_t *window_json(const struct vms_fit_result *r, int32_t i)
{
	if (i < 0)
		return json_null();
	const struct vms_window *w = &r->model->windows.v[i];
	json_t *o = json_object();
	vms_json_set(o, "name", vms_json_string(r->model->regions.v[w->region].name));
	vms_json_set(o, "start", jaddr(r, w->start));
	vms_json_set(o, "end", jaddr(r, w->end));
	return o;
}

static json_t *semantics_json(int s)
{
	return s < 0 ? json_null() : json_string(s == VMS_VMALLOC_OLD ? "old" : "new");
}

/* The placements as an array built whole: only the short lists of a
 * vmalloc= answer (the request's own list is streamed). */
static json_t *places_json(const struct vms_fit_result *r,
                           const struct vms_fit_places *pl)
{
	json_t *a = json_array();
	for (size_t i = 0; i < pl->n; i++)
		json_array_append_new(a, place_json(r, &pl->v[i]));
	return a;
}

static json_t *answer_json(const struct vms_fit_result *r,
                           const struct vms_fit_vmalloc *vm, int s)
{
	const struct vms_fit_param *p = &vm->param[s];
	const struct vms_vmalloc_calc *c = &p->calc;
	json_t *o = json_object();
	vms_json_set(o, "semantics", vm->two_semantics ? semantics_json(s) : json_null());
	vms_json_set(o, "found", json_boolean(p->found));
	vms_json_set(o, "vmalloc", p->found ? vms_json_u64(p->value) : json_null());
	vms_json_set(
	    o, "vmalloc_arg",
	    p->found ? json_sprintf("vmalloc=%lluM", (unsigned long long)(p->value >> 20))
	             : json_null());
	vms_json_set(o, "effective", vms_json_u64(c->effective));
	vms_json_set(o, "clamped", json_integer(c->clamped));
	vms_json_set(o, "lowmem_end", jaddr(r, c->lowmem_end));
	vms_json_set(o, "vmalloc_start", jaddr(r, c->vmalloc_start));
	vms_json_set(o, "vmalloc_end", jaddr(r, c->vmalloc_end));
	vms_json_set(o, "vmalloc_size", vms_json_u64(c->vmalloc_end - c->vmalloc_start));
	vms_json_set(o, "ram_limited", json_boolean(c->ram_limited));
	vms_json_set(o, "placements", places_json(r, &p->placed));
	return o;
}

static json_t *vmalloc_json(const struct vms_fit_result *r,
                            const struct vms_fit_vmalloc *vm)
{
	json_t *o = json_object();
	vms_json_set(o, "status",
	             json_string(vms_fit_param_status_name(
	                 (enum vms_fit_param_status)vm->status)));
	vms_json_set(o, "applies", semantics_json(vm->two_semantics ? vm->applies : -1));
	if (vm->status != VMS_FP_COMPUTED)
		return o;
	vms_json_set(o, "vmalloc_end", jaddr(r, vm->vmalloc_end));
	vms_json_set(o, "current", vms_json_u64(vm->current));
	vms_json_set(o, "current_given", json_boolean(vm->current_given));
	vms_json_set(o, "ram_bytes", vms_json_u64(vm->ram_bytes));
	vms_json_set(o, "start_unknown", json_boolean(vm->start_unknown));
	json_t *a = json_array();
	for (int s = 0; s < (vm->two_semantics ? 2 : 1); s++)
		json_array_append_new(a, answer_json(r, vm, s));
	vms_json_set(o, "answers", a);
	return o;
}

/* ---- the request ----------------------------------------------------------- */

static json_t *request_json(const struct vms_fit_result *r)
{
	if (!r->has_request)
		return json_null();
	json_t *o = json_object();
	vms_json_set(o, "kind",
	             json_string(vms_fit_kind_name((enum vms_fit_kind)r->req.kind)));
	vms_json_set(o, "size", vms_json_u64(r->req.size));
	vms_json_set(o, "alloc_size", vms_json_u64(r->size));
	vms_json_set(o, "align", vms_json_u64(r->align));
	vms_json_set(o, "align_given", json_boolean(r->req.align != 0));
	vms_json_set(o, "count", vms_json_u64(r->req.count));
	vms_json_set(o, "window", window_json(r, r->window));
	vms_json_set(o, "allocator", json_string(r->legacy ? "first-fit" : "lowest-fit"));
	return o;
}

static json_t *alignment_json(const struct vms_fit_result *r)
{
	const struct vms_fit_failure *f = &r->fail;
	if (r->align <= r->model->page_size)
		return json_null();
	json_t *o = json_object();
	vms_json_set(o, "align", vms_json_u64(r->align));
	vms_json_set(o, "loss", vms_json_u64(f->align_loss));
	vms_json_set(o, "aligned_skipped_at",
	             f->aligned_skipped ? jaddr(r, f->aligned_at) : json_null());
	vms_json_set(o, "unaligned",
	             f->unaligned_fits ? place_json(r, &f->unaligned) : json_null());
	return o;
}

static json_t *failure_json(const struct vms_fit_result *r)
{
	if (!r->has_request || r->fits)
		return json_null();
	const struct vms_fit_failure *f = &r->fail;
	json_t *o = json_object(), *holes = json_array();
	vms_json_set(o, "index", vms_json_u64(f->index));
	for (size_t i = 0; i < f->nr_holes; i++) {
		json_t *h = window_json(r, (int32_t)f->holes[i].window);
		vms_json_set(h, "largest", vms_json_u64(f->holes[i].size));
		vms_json_set(h, "largest_start",
		             f->holes[i].size ? jaddr(r, f->holes[i].start)
		                              : json_null());
		json_array_append_new(holes, h);
	}
	vms_json_set(o, "largest_holes", holes);
	vms_json_set(o, "largest_request", vms_json_u64(f->largest_request));
	vms_json_set(o, "alignment", alignment_json(r));
	return o;
}

/* ---- failure lines ------------------------------------------------------------ */

static json_t *logfail_json(const struct vms_fit_result *r,
                            const struct vms_fit_logfail *x)
{
	const struct vms_failure *f = x->f;
	json_t *o = json_object();
	vms_json_set(o, "file",
	             vms_json_string(f->file ? f->file : r->model->dump->source));
	vms_json_set(o, "line", json_integer(f->line));
	vms_json_set(o, "kind", json_string(vms_emit_failure_kind_name(f->kind)));
	vms_json_set(o, "printed_size", vms_json_u64(f->size));
	vms_json_set(o, "request", vms_json_u64(x->request));
	vms_json_set(o, "alloc_size", vms_json_u64(x->size));
	vms_json_set(o, "window", window_json(r, x->window));
	vms_json_set(o, "frame", vms_json_string(x->frame));
	vms_json_set(o, "by_range", json_boolean(x->by_range));
	vms_json_set(o, "same_as_line",
	             x->same_as >= 0 ? json_integer(r->logfails.v[x->same_as].f->line)
	                             : json_null());
	bool placed = x->window >= 0 && x->size && x->same_as < 0;
	vms_json_set(o, "fits_now", placed ? json_boolean(x->fits_now) : json_null());
	vms_json_set(o, "place",
	             placed && x->fits_now ? place_json(r, &x->place) : json_null());
	vms_json_set(o, "largest_hole",
	             placed && x->largest.size ? vms_json_u64(x->largest.size)
	                                       : json_null());
	vms_json_set(o, "largest_hole_start",
	             placed && x->largest.size ? jaddr(r, x->largest.start)
	                                       : json_null());
	vms_json_set(o, "largest_request",
	             placed ? vms_json_u64(x->largest_request) : json_null());
	vms_json_set(o, "vmalloc_param",
	             placed && !x->fits_now ? vmalloc_json(r, &x->vm) : json_null());
	return o;
}

static json_t *logfails_json(const struct vms_fit_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->logfails.n; i++)
		json_array_append_new(a, logfail_json(r, &r->logfails.v[i]));
	return a;
}

/* ---- the document ---------------------------------------------------------------- */

static void put_placements(struct vms_jw *w, const struct vms_fit_result *r)
{
	vms_jw_key(w, "placements");
	fputc('[', w->fp);
	for (size_t k = 0; k < r->placed.n; k++) {
		fprintf(w->fp, "%s\n%*s", k ? "," : "", w->indent + 2, "");
		vms_jw_value(w, place_json(r, &r->placed.v[k]), w->indent + 2);
	}
	if (r->placed.n)
		fprintf(w->fp, "\n%*s", w->indent, "");
	fputc(']', w->fp);
}

int vms_emit_fit_json(FILE *fp, const struct vms_fit_result *r,
                      const struct vms_fit_view *v)
{
	(void)v; /* JSON lists everything */
	const struct vms_aspace *m = r->model;
	struct vms_jw w = {.fp = fp, .indent = 2, .first = true};
	fputc('{', fp);
	vms_jw_member(&w, "tool", json_string("vmscope"));
	for (size_t k = 0; k < VMS_JSON_NR_FACTS; k++)
		vms_jw_member(&w, vms_json_fact_keys[k], vms_json_model_fact(m, k));
	vms_jw_member(&w, "layout", vms_json_model_layout(m));
	vms_jw_member(&w, "partial", json_boolean(r->partial));
	vms_jw_member(&w, "request", request_json(r));
	vms_jw_member(&w, "fits", r->has_request ? json_boolean(r->fits) : json_null());
	put_placements(&w, r);
	vms_jw_member(&w, "failure", failure_json(r));
	vms_jw_member(&w, "vmalloc_param",
	              r->has_request && !r->fits ? vmalloc_json(r, &r->vm) : json_null());
	vms_jw_member(&w, "log_failures", logfails_json(r));
	fputs("\n}\n", fp);
	return w.failed || ferror(fp) ? -VMS_EIO : 0;
}
