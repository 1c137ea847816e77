/*
 * emit_diff_json.c — the JSON document of `vmscope diff` (keys: docs/diff.md
 * "JSON"; a contract: add keys freely, never rename these).
 *
 *   {"tool", "files", "max_growth",
 *    <the overall pair: "from", "to", "matching", "matching_why",
 *     "matched_by_caller", "changes", "areas", "bytes", "pages",
 *     "largest_vmalloc_hole", "callers", "kinds", "added", "removed",
 *     "resized">,
 *    "steps": [<a pair> per step of a series; [] for two snapshots],
 *    "series": null | {"files", "callers": [{"caller", "module", "kind",
 *                                            "areas", "bytes", "growth"}]}}
 *
 * The long lists (callers, areas) are written item by item, each item a
 * small jansson tree dumped on its own and re-indented to its depth
 * (vms_jw_value, emit_jansson.h), so memory stays O(one item) however many areas
 * changed; time O(callers · snapshots + changed areas). Addresses are "0x"
 * strings, sizes integers (a "0x" string above INT64_MAX), deltas signed
 * integers; strings are valid UTF-8 (bad bytes become '?').
 */
#include "emit_jansson.h"
#include "vmscope/emit.h"
#include "vmscope/emit_diff.h"

/* ---- values ------------------------------------------------------------- */

/* {"from": a, "to": b, "delta": b - a}. */
static json_t *change(uint64_t a, uint64_t b)
{
	json_t *o = json_object();
	vms_json_set(o, "from", vms_json_u64(a));
	vms_json_set(o, "to", vms_json_u64(b));
	vms_json_set(o, "delta", json_integer(vms_diff_growth(a, b)));
	return o;
}

/* "areas", "bytes" and "pages" of a delta into o. */
static void set_delta(json_t *o, const struct vms_diff_delta *x)
{
	vms_json_set(o, "areas", change(x->from.count, x->to.count));
	vms_json_set(o, "bytes", change(x->from.bytes, x->to.bytes));
	vms_json_set(o, "pages", change(x->from.pages, x->to.pages));
}

static const struct vms_dump *dump_of(const struct vms_diff *d, size_t s)
{
	return d->reports[s]->dump;
}

static json_t *area_json(const struct vms_diff *d, size_t s, uint32_t i)
{
	const struct vms_dump *dm = dump_of(d, s);
	const struct vms_area *a = &dm->areas.v[i];
	int w = vms_emit_addr_digits(dm, a->start > a->end ? a->start : a->end);
	json_t *o = json_object();
	vms_json_set(o, "file", vms_json_string(dm->source));
	vms_json_set(o, "line", json_integer(dm->src.v[i].line));
	vms_json_set(o, "start", vms_json_hex(a->start, w));
	vms_json_set(o, "end", vms_json_hex(a->end, w));
	vms_json_set(o, "size", vms_json_u64(a->size));
	vms_json_set(o, "caller", vms_json_string(vms_area_caller(dm, a)));
	vms_json_set(o, "module", vms_json_string(vms_area_module(dm, a)));
	vms_json_set(
	    o, "kind",
	    json_string(vms_akind_name((enum vms_akind)d->reports[s]->model->kind[i])));
	return o;
}

static json_t *hole_json(const struct vms_diff *d, size_t s)
{
	const struct vms_diff_hole *h = &d->holes[s];
	if (!h->known)
		return json_null();
	json_t *o = json_object();
	int w = vms_emit_addr_digits(dump_of(d, s), h->window_end);
	vms_json_set(o, "size", vms_json_u64(h->size));
	vms_json_set(o, "start", h->size ? vms_json_hex(h->start, w) : json_null());
	vms_json_set(o, "window_start", vms_json_hex(h->window_start, w));
	vms_json_set(o, "window_end", vms_json_hex(h->window_end, w));
	return o;
}

static json_t *holes_json(const struct vms_diff *d, const struct vms_diff_pair *p)
{
	const struct vms_diff_hole *a = &d->holes[p->from], *b = &d->holes[p->to];
	json_t *o = json_object();
	vms_json_set(o, "from", hole_json(d, p->from));
	vms_json_set(o, "to", hole_json(d, p->to));
	vms_json_set(o, "delta",
	             a->known && b->known
	                 ? json_integer(vms_diff_growth(a->size, b->size))
	                 : json_null());
	return o;
}

static json_t *changes_json(const struct vms_diff_pair *p)
{
	json_t *o = json_object();
	vms_json_set(o, "added", vms_json_u64(p->added.n));
	vms_json_set(o, "removed", vms_json_u64(p->removed.n));
	vms_json_set(o, "resized", vms_json_u64(p->resized.n));
	vms_json_set(o, "unchanged", vms_json_u64(p->unchanged));
	return o;
}

static json_t *kinds_json(const struct vms_diff_pair *p)
{
	json_t *a = json_array();
	for (unsigned k = 0; k < p->nr_kinds; k++) {
		json_t *o = json_object();
		vms_json_set(
		    o, "kind",
		    json_string(vms_akind_name((enum vms_akind)p->kind_order[k])));
		set_delta(o, &p->kinds[p->kind_order[k]]);
		json_array_append_new(a, o);
	}
	return a;
}

/* ---- streaming ------------------------------------------------------------ */

/* Returns a new value for item k of a list. */
typedef json_t *(*item_fn)(const struct vms_diff *d, const struct vms_diff_pair *p,
                           size_t k);

static void put_list(struct vms_jw *w, const char *key, size_t n, item_fn fn,
                     const struct vms_diff *d, const struct vms_diff_pair *p)
{
	vms_jw_key(w, key);
	fputc('[', w->fp);
	for (size_t k = 0; k < n; k++) {
		fprintf(w->fp, "%s\n%*s", k ? "," : "", w->indent + 2, "");
		vms_jw_value(w, fn(d, p, k), w->indent + 2);
	}
	if (n)
		fprintf(w->fp, "\n%*s", w->indent, "");
	fputc(']', w->fp);
}

static json_t *caller_item(const struct vms_diff *d, const struct vms_diff_pair *p,
                           size_t k)
{
	uint32_t c = p->callers.v[k].caller;
	const struct vms_diff_caller *row = &d->callers.v[c];
	struct vms_diff_delta x = vms_diff_caller_delta(d, p, c);
	json_t *o = json_object();
	vms_json_set(o, "caller", vms_json_string(row->name));
	vms_json_set(o, "module", vms_json_string(row->module));
	vms_json_set(o, "kind", json_string(vms_akind_name((enum vms_akind)row->kind)));
	set_delta(o, &x);
	return o;
}

static json_t *added_item(const struct vms_diff *d, const struct vms_diff_pair *p,
                          size_t k)
{
	return area_json(d, p->to, p->added.v[k]);
}

static json_t *removed_item(const struct vms_diff *d, const struct vms_diff_pair *p,
                            size_t k)
{
	return area_json(d, p->from, p->removed.v[k]);
}

static json_t *resized_item(const struct vms_diff *d, const struct vms_diff_pair *p,
                            size_t k)
{
	const struct vms_diff_resize *r = &p->resized.v[k];
	json_t *o = json_object();
	vms_json_set(o, "from", area_json(d, p->from, r->from));
	vms_json_set(o, "to", area_json(d, p->to, r->to));
	vms_json_set(
	    o, "delta",
	    json_integer(vms_diff_growth(dump_of(d, p->from)->areas.v[r->from].size,
	                                 dump_of(d, p->to)->areas.v[r->to].size)));
	return o;
}

/* The members of pair p into the object being written. */
static void put_pair(struct vms_jw *w, const struct vms_diff *d,
                     const struct vms_diff_pair *p)
{
	vms_jw_member(w, "from", vms_json_string(dump_of(d, p->from)->source));
	vms_jw_member(w, "to", vms_json_string(dump_of(d, p->to)->source));
	vms_jw_member(w, "matching", json_string(vms_diff_match_name(p->match)));
	vms_jw_member(w, "matching_why", p->why ? vms_json_string(p->why) : json_null());
	vms_jw_member(w, "matched_by_caller", vms_json_u64(p->by_caller));
	vms_jw_member(w, "changes", changes_json(p));
	json_t *t = json_object();
	set_delta(t, &p->total);
	vms_jw_member(w, "areas", json_incref(json_object_get(t, "areas")));
	vms_jw_member(w, "bytes", json_incref(json_object_get(t, "bytes")));
	vms_jw_member(w, "pages", json_incref(json_object_get(t, "pages")));
	json_decref(t);
	vms_jw_member(w, "largest_vmalloc_hole", holes_json(d, p));
	put_list(w, "callers", p->callers.n, caller_item, d, p);
	vms_jw_member(w, "kinds", kinds_json(p));
	put_list(w, "added", p->added.n, added_item, d, p);
	put_list(w, "removed", p->removed.n, removed_item, d, p);
	put_list(w, "resized", p->resized.n, resized_item, d, p);
}

/* ---- series --------------------------------------------------------------- */

static json_t *series_item(const struct vms_diff *d, const struct vms_diff_pair *p,
                           size_t k)
{
	const struct vms_diff_caller *c = &d->callers.v[k];
	json_t *o = json_object(), *areas = json_array(), *bytes = json_array();
	for (size_t s = 0; s < d->n; s++) {
		json_array_append_new(areas, vms_json_u64(c->at[s].count));
		json_array_append_new(bytes, vms_json_u64(c->at[s].bytes));
	}
	vms_json_set(o, "caller", vms_json_string(c->name));
	vms_json_set(o, "module", vms_json_string(c->module));
	vms_json_set(o, "kind", json_string(vms_akind_name((enum vms_akind)c->kind)));
	vms_json_set(o, "areas", areas);
	vms_json_set(o, "bytes", bytes);
	vms_json_set(o, "growth", json_integer(c->growth));
	return o;
}

static json_t *files_json(const struct vms_diff *d)
{
	json_t *a = json_array();
	for (size_t s = 0; s < d->n; s++)
		json_array_append_new(a, vms_json_string(dump_of(d, s)->source));
	return a;
}

/* "series": {"files", "callers"}: every caller that changed in some step,
 * by growth. The callers that never changed are left out. */
static void put_series(struct vms_jw *w, const struct vms_diff *d)
{
	vms_jw_key(w, "series");
	if (d->n < 3) {
		fputs("null", w->fp);
		return;
	}
	struct vms_jw in = {w->fp, w->indent + 2, true, false};
	fputc('{', w->fp);
	vms_jw_member(&in, "files", files_json(d));
	vms_jw_key(&in, "callers");
	fputc('[', w->fp);
	size_t n = 0;
	for (size_t k = 0; k < d->callers.n; k++) {
		if (!d->callers.v[k].changed)
			continue;
		fprintf(w->fp, "%s\n%*s", n++ ? "," : "", in.indent + 2, "");
		vms_jw_value(&in, series_item(d, NULL, k), in.indent + 2);
	}
	if (n)
		fprintf(w->fp, "\n%*s", in.indent, "");
	fprintf(w->fp, "]\n%*s}", w->indent, "");
	w->failed |= in.failed;
}

/* "steps": one object per step of a series ([] for two snapshots). */
static void put_steps(struct vms_jw *w, const struct vms_diff *d)
{
	size_t n = d->n > 2 ? d->nr_steps : 0;
	vms_jw_key(w, "steps");
	fputc('[', w->fp);
	for (size_t s = 0; s < n; s++) {
		struct vms_jw in = {w->fp, w->indent + 4, true, false};
		fprintf(w->fp, "%s\n%*s{", s ? "," : "", w->indent + 2, "");
		put_pair(&in, d, &d->steps[s]);
		fprintf(w->fp, "\n%*s}", w->indent + 2, "");
		w->failed |= in.failed;
	}
	if (n)
		fprintf(w->fp, "\n%*s", w->indent, "");
	fputc(']', w->fp);
}

int vms_emit_diff_json(FILE *fp, const struct vms_diff *d, const struct vms_diff_view *v)
{
	struct vms_jw w = {.fp = fp, .indent = 2, .first = true};
	fputc('{', fp);
	vms_jw_member(&w, "tool", json_string("vmscope"));
	vms_jw_member(&w, "files", files_json(d));
	vms_jw_member(&w, "max_growth", vms_json_u64(vms_diff_max_growth(d)));
	put_pair(&w, d, d->overall);
	put_steps(&w, d);
	put_series(&w, d);
	fputs("\n}\n", fp);
	return w.failed || ferror(fp) ? -VMS_EIO : 0;
}
