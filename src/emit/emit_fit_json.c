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
 * The placements (up to a million, in "placements" and in each vmalloc=
 * answer of the request) are streamed one at a time (vms_jw,
 * emit_jansson.h), so memory stays O(one item) beside the result; the
 * rest is small (a failure line places one area). A member writer
 * (struct sink) fills either a jansson object or a streamed one, so both
 * forms share one list of keys. Addresses are "0x" strings at the dump's
 * width, sizes integers.
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
	vms_json_set(o, "after_purge", json_boolean(p->after_purge));
	return o;
}

/* Where the members of an object go: a jansson object, or a streamed
 * object written as they come. */
struct sink {
	json_t *obj;
	struct vms_jw *w;
};

static void put(struct sink *k, const char *key, json_t *v)
{
	if (k->obj)
		vms_json_set(k->obj, key, v);
	else
		vms_jw_member(k->w, key, v);
}

/* A streamed object as the value just keyed (or an array item): '{', and
 * the writer of its members at indent + 2. */
static struct vms_jw open_object(struct vms_jw *outer, int indent)
{
	fputc('{', outer->fp);
	return (struct vms_jw){.fp = outer->fp, .indent = indent + 2, .first = true};
}

static void close_object(struct vms_jw *outer, struct vms_jw *inner)
{
	if (!inner->first)
		fprintf(inner->fp, "\n%*s", inner->indent - 2, "");
	fputc('}', inner->fp);
	outer->failed |= inner->failed;
}

/* The member key: a list of placements streamed one at a time. */
static void put_place_list(struct vms_jw *w, const char *key,
                           const struct vms_fit_result *r,
                           const struct vms_fit_places *pl)
{
	vms_jw_key(w, key);
	fputc('[', w->fp);
	for (size_t k = 0; k < pl->n; k++) {
		fprintf(w->fp, "%s\n%*s", k ? "," : "", w->indent + 2, "");
		vms_jw_value(w, place_json(r, &pl->v[k]), w->indent + 2);
	}
	if (pl->n)
		fprintf(w->fp, "\n%*s", w->indent, "");
	fputc(']', w->fp);
}

/* The bounds of window w that are not its region's: "low-area",
 * "high-percpu", "span" (docs/fit.md). */
static json_t *bounds_json(const struct vms_window *w)
{
	json_t *a = json_array();
	if (w->bounds & VMS_WB_LOW_AREA)
		json_array_append_new(a, json_string("low-area"));
	if (w->bounds & VMS_WB_HIGH_PERCPU)
		json_array_append_new(a, json_string("high-percpu"));
	if (w->bounds & VMS_WB_SPAN)
		json_array_append_new(a, json_string("span"));
	return a;
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
	vms_json_set(o, "bounds", bounds_json(w));
	vms_json_set(o, "areas", json_integer(w->nr_areas));
	return o;
}

/* A failure line's target: its window, or without geometry the region
 * ({"name", "start", "end"}), or null. */
static json_t *target_json(const struct vms_fit_result *r,
                           const struct vms_fit_logfail *x)
{
	if (x->window >= 0 || x->region < 0)
		return window_json(r, x->window);
	const struct vms_region *g = &r->model->regions.v[x->region];
	json_t *o = json_object();
	vms_json_set(o, "name", vms_json_string(g->name));
	vms_json_set(o, "start", jaddr(r, g->start));
	vms_json_set(o, "end", jaddr(r, g->end));
	return o;
}

static json_t *semantics_json(int s)
{
	return s < 0 ? json_null() : json_string(s == VMS_VMALLOC_OLD ? "old" : "new");
}

/* The placements as an array built whole: only the one of a failure
 * line (the request's lists are streamed). */
static json_t *places_json(const struct vms_fit_result *r,
                           const struct vms_fit_places *pl)
{
	json_t *a = json_array();
	for (size_t i = 0; i < pl->n; i++)
		json_array_append_new(a, place_json(r, &pl->v[i]));
	return a;
}

/* The members of one vmalloc= answer but its placements. */
static void answer_members(struct sink *k, const struct vms_fit_result *r,
                           const struct vms_fit_vmalloc *vm, int s)
{
	const struct vms_fit_param *p = &vm->param[s];
	const struct vms_vmalloc_calc *c = &p->calc;
	put(k, "semantics", vm->two_semantics ? semantics_json(s) : json_null());
	put(k, "found", json_boolean(p->found));
	put(k, "vmalloc", p->found ? vms_json_u64(p->value) : json_null());
	put(k, "vmalloc_arg",
	    p->found ? json_sprintf("vmalloc=%lluM", (unsigned long long)(p->value >> 20))
	             : json_null());
	put(k, "effective", vms_json_u64(c->effective));
	put(k, "clamped", json_integer(c->clamped));
	put(k, "lowmem_end", jaddr(r, c->lowmem_end));
	put(k, "vmalloc_start", jaddr(r, c->vmalloc_start));
	put(k, "vmalloc_end", jaddr(r, c->vmalloc_end));
	put(k, "vmalloc_size", vms_json_u64(c->vmalloc_end - c->vmalloc_start));
	put(k, "ram_limited", json_boolean(c->ram_limited));
}

/* The members of "vmalloc_param" but "answers"; false when there are no
 * answers (vmalloc= was not computed). */
static bool vmalloc_members(struct sink *k, const struct vms_fit_result *r,
                            const struct vms_fit_vmalloc *vm)
{
	put(k, "status",
	    json_string(
	        vms_fit_param_status_name((enum vms_fit_param_status)vm->status)));
	put(k, "applies", semantics_json(vm->two_semantics ? vm->applies : -1));
	if (vm->status != VMS_FP_COMPUTED)
		return false;
	put(k, "vmalloc_end", jaddr(r, vm->vmalloc_end));
	put(k, "current", vms_json_u64(vm->current));
	put(k, "current_given", json_boolean(vm->current_given));
	put(k, "ram_bytes", vms_json_u64(vm->ram_bytes));
	put(k, "start_unknown", json_boolean(vm->start_unknown));
	return true;
}

/* "vmalloc_param" of a failure line, built whole. */
static json_t *vmalloc_json(const struct vms_fit_result *r,
                            const struct vms_fit_vmalloc *vm)
{
	struct sink k = {.obj = json_object()};
	if (!vmalloc_members(&k, r, vm))
		return k.obj;
	json_t *a = json_array();
	for (int s = 0; s < (vm->two_semantics ? 2 : 1); s++) {
		struct sink ak = {.obj = json_object()};
		answer_members(&ak, r, vm, s);
		vms_json_set(ak.obj, "placements", places_json(r, &vm->param[s].placed));
		json_array_append_new(a, ak.obj);
	}
	vms_json_set(k.obj, "answers", a);
	return k.obj;
}

/* "vmalloc_param" of the request, streamed: its answers may hold up to
 * --count placements each. */
static void put_vmalloc_stream(struct vms_jw *w, const struct vms_fit_result *r,
                               const struct vms_fit_vmalloc *vm)
{
	vms_jw_key(w, "vmalloc_param");
	struct vms_jw o = open_object(w, w->indent);
	struct sink k = {.w = &o};
	if (vmalloc_members(&k, r, vm)) {
		vms_jw_key(&o, "answers");
		fputc('[', o.fp);
		int n = vm->two_semantics ? 2 : 1;
		for (int s = 0; s < n; s++) {
			fprintf(o.fp, "%s\n%*s", s ? "," : "", o.indent + 2, "");
			struct vms_jw a = open_object(&o, o.indent + 2);
			struct sink ak = {.w = &a};
			answer_members(&ak, r, vm, s);
			put_place_list(&a, "placements", r, &vm->param[s].placed);
			close_object(&o, &a);
		}
		fprintf(o.fp, "\n%*s]", o.indent, "");
	}
	close_object(w, &o);
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
	vms_json_set(o, "search",
	             json_string(vms_fit_search_name((enum vms_fit_search)r->search)));
	vms_json_set(o, "search_guessed", json_boolean(r->search_guessed));
	vms_json_set(o, "asked", vms_json_u64(r->asked));
	vms_json_set(o, "adjusted", json_boolean(r->adjusted));
	vms_json_set(o, "lazy_areas", json_integer(r->lazy_areas));
	vms_json_set(o, "lazy_bytes", vms_json_u64(r->lazy_bytes));
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
	vms_json_set(o, "window", target_json(r, x));
	vms_json_set(o, "alloc_kind",
	             json_string(vms_fit_kind_name((enum vms_fit_kind)x->kind)));
	vms_json_set(o, "align", x->align ? vms_json_u64(x->align) : json_null());
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
	static const struct vms_fit_places none = {0};
	put_place_list(&w, "placements", r, r->has_request ? &r->placed : &none);
	vms_jw_member(&w, "failure", failure_json(r));
	if (r->has_request && !r->fits)
		put_vmalloc_stream(&w, r, &r->vm);
	else
		vms_jw_member(&w, "vmalloc_param", json_null());
	vms_jw_member(&w, "log_failures", logfails_json(r));
	fputs("\n}\n", fp);
	return w.failed || ferror(fp) ? -VMS_EIO : 0;
}
