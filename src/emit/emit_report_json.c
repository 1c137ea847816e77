/*
 * emit_report_json.c — `vmscope report --format json`: an array with one
 * object per input holding every figure of the text report (key names are
 * a contract: docs/cli.md "report JSON"). Each input's object is streamed
 * member by member, so --holes on a million holes never builds the list
 * whole. Addresses are "0x..." strings at the dump's width, sizes integers.
 */
#include <string.h>

#include "emit_jansson.h"
#include "vmscope/emit.h"
#include "vmscope/emit_report.h"

static int addr_digits(const struct vms_report *r)
{
	return vms_emit_addr_digits(r->dump, 0);
}

static json_t *jaddr(const struct vms_report *r, uint64_t v)
{
	return vms_json_hex(v, addr_digits(r));
}

static double ratio(uint64_t part, uint64_t whole)
{
	return whole ? (double)part / (double)whole : 0.0;
}

static json_t *usage_json(const struct vms_usage *u, uint64_t total)
{
	json_t *o = json_object();
	vms_json_set(o, "areas", vms_json_u64(u->count));
	vms_json_set(o, "bytes", vms_json_u64(u->bytes));
	vms_json_set(o, "pages", vms_json_u64(u->pages));
	vms_json_set(o, "share", json_real(ratio(u->bytes, total)));
	return o;
}

static json_t *kinds_json(const struct vms_report *r)
{
	json_t *a = json_array();
	for (unsigned k = 0; k < VMS_NR_AKINDS; k++) {
		json_t *o = usage_json(&r->kinds[k], r->total.bytes);
		json_object_set_new(o, "kind",
		                    json_string(vms_akind_name((enum vms_akind)k)));
		json_array_append_new(a, o);
	}
	return a;
}

/* {"rows": [...top n...], "other": {...}, "count": all rows} */
static json_t *groups_json(const struct vms_report *r, const struct vms_report_group *g,
                           size_t n, size_t top, bool callers)
{
	struct vms_usage other;
	size_t shown = vms_report_top(g, n, top, &other);
	json_t *rows = json_array();
	for (size_t i = 0; i < shown; i++) {
		json_t *o = usage_json(&g[i].u, r->total.bytes);
		json_object_set_new(o, callers ? "caller" : "module",
		                    vms_json_string(g[i].name));
		if (callers) {
			json_object_set_new(o, "module", vms_json_string(g[i].module));
			json_object_set_new(
			    o, "kind",
			    json_string(vms_akind_name((enum vms_akind)g[i].kind)));
		}
		json_array_append_new(rows, o);
	}
	json_t *o = json_object();
	vms_json_set(o, "count", vms_json_u64(n));
	vms_json_set(o, "rows", rows);
	vms_json_set(o, "other", usage_json(&other, r->total.bytes));
	return o;
}

static json_t *regions_json(const struct vms_report *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->regions.n; i++) {
		const struct vms_report_region *g = &r->regions.v[i];
		uint64_t size = g->region->end - g->region->start;
		json_t *o = json_object();
		vms_json_set(o, "name", vms_json_string(g->region->name));
		vms_json_set(o, "kind",
		             json_string(vms_region_kind_name(g->region->kind)));
		vms_json_set(o, "start", jaddr(r, g->region->start));
		vms_json_set(o, "end", jaddr(r, g->region->end));
		vms_json_set(o, "size", vms_json_u64(size));
		vms_json_set(o, "usage",
		             r->model->geometry ? usage_json(&g->u, size) : json_null());
		vms_json_set(o, "window", json_boolean(g->window >= 0));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *causes_json(const struct vms_report_window *w)
{
	json_t *o = json_object();
	for (unsigned k = 0; k < VMS_NR_HOLE_CAUSES; k++) {
		json_t *c = json_object();
		vms_json_set(c, "holes", vms_json_u64(w->causes[k].count));
		vms_json_set(c, "bytes", vms_json_u64(w->causes[k].bytes));
		vms_json_set(o, vms_hole_cause_name((enum vms_hole_cause)k), c);
	}
	return o;
}

static json_t *fit_json(const struct vms_report *r, uint64_t size, uint64_t at,
                        uint64_t align)
{
	if (!size)
		return json_null();
	json_t *o = json_object();
	vms_json_set(o, "size", vms_json_u64(size));
	vms_json_set(o, "start", jaddr(r, at));
	if (align)
		vms_json_set(o, "align", vms_json_u64(align));
	return o;
}

static json_t *window_json(const struct vms_report *r, const struct vms_report_window *w)
{
	json_t *o = json_object();
	vms_json_set(o, "region", vms_json_string(w->region->name));
	vms_json_set(o, "start", jaddr(r, w->window->start));
	vms_json_set(o, "end", jaddr(r, w->window->end));
	json_t *b = json_array();
	static const char *const bounds[] = {"low-area", "high-percpu", "span"};
	for (unsigned k = 0; k < 3; k++)
		if (w->window->bounds & (1u << k))
			json_array_append_new(b, json_string(bounds[k]));
	vms_json_set(o, "bounds", b);
	vms_json_set(o, "size", vms_json_u64(w->size));
	vms_json_set(o, "used", vms_json_u64(w->used));
	vms_json_set(o, "free", vms_json_u64(w->free));
	vms_json_set(o, "holes", vms_json_u64(w->holes));
	vms_json_set(o, "largest_hole", vms_json_u64(w->largest));
	vms_json_set(o, "largest_hole_start",
	             w->largest ? jaddr(r, w->largest_start) : json_null());
	vms_json_set(o, "fragmentation", json_real(w->fragmentation));
	vms_json_set(o, "max_vmalloc", fit_json(r, w->max_vmalloc, w->max_vmalloc_at, 0));
	vms_json_set(
	    o, "max_ioremap",
	    fit_json(r, w->max_ioremap, w->max_ioremap_at, w->max_ioremap_align));
	vms_json_set(o, "causes", causes_json(w));
	return o;
}

static json_t *hole_json(const struct vms_report *r, const struct vms_hole_why *why)
{
	char ev[512];
	json_t *o = json_object();
	vms_json_set(o, "start", jaddr(r, why->start));
	vms_json_set(o, "end", jaddr(r, why->end));
	vms_json_set(o, "size", vms_json_u64(why->end - why->start));
	vms_json_set(o, "cause",
	             json_string(vms_hole_cause_name((enum vms_hole_cause)why->cause)));
	vms_json_set(o, "evidence",
	             vms_json_string(vms_report_evidence(r, why, ev, sizeof(ev))));
	vms_json_set(o, "before_line",
	             why->before >= 0 ? json_integer(r->dump->src.v[why->before].line)
	                              : json_null());
	vms_json_set(o, "after_line",
	             why->after >= 0 ? json_integer(r->dump->src.v[why->after].line)
	                             : json_null());
	return o;
}

/* "holes": every hole of every window, streamed. */
static void put_holes(struct vms_jw *w, const struct vms_report *r)
{
	vms_jw_key(w, "holes");
	fputc('[', w->fp);
	bool first = true;
	for (size_t i = 0; i < r->windows.n; i++) {
		const struct vms_report_window *win = &r->windows.v[i];
		const struct vms_free *f = &win->window->free;
		for (uint32_t id = vms_free_first(f); id; id = vms_free_next(f, id)) {
			const struct vms_hole *h = vms_free_hole(f, id);
			struct vms_hole_why why;
			vms_report_explain(r, win, h->va_start, h->va_end, &why);
			json_t *o = hole_json(r, &why);
			json_object_set_new(o, "region",
			                    vms_json_string(win->region->name));
			fprintf(w->fp, "%s\n%*s", first ? "" : ",", w->indent + 2, "");
			vms_jw_value(w, o, w->indent + 2);
			first = false;
		}
	}
	if (!first)
		fprintf(w->fp, "\n%*s", w->indent, "");
	fputc(']', w->fp);
}

static json_t *findings_json(const struct vms_report *r)
{
	const struct vms_check_result *f = r->findings;
	if (!f)
		return json_null();
	json_t *o = json_object(), *top = json_array();
	for (unsigned s = 0; s < 3; s++)
		vms_json_set(o, vms_check_sev_name((enum vms_check_sev)s),
		             vms_json_u64(f->counts[s]));
	for (unsigned sev = 0; sev < 3 && json_array_size(top) < 3; sev++)
		for (size_t i = 0; i < f->findings.n && json_array_size(top) < 3; i++) {
			const struct vms_finding *x = &f->findings.v[i];
			if (x->severity != sev)
				continue;
			json_t *e = json_object();
			vms_json_set(e, "rule", json_string(vms_rules[x->rule].id));
			vms_json_set(e, "severity", json_string(vms_check_sev_name(sev)));
			vms_json_set(e, "file", vms_json_string(x->file));
			vms_json_set(e, "line",
			             x->line ? json_integer(x->line) : json_null());
			vms_json_set(e, "message", vms_json_string(x->message));
			json_array_append_new(top, e);
		}
	vms_json_set(o, "most_severe", top);
	return o;
}

static json_t *windows_json(const struct vms_report *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->windows.n; i++)
		json_array_append_new(a, window_json(r, &r->windows.v[i]));
	return a;
}

/* "meminfo": the /proc/meminfo facts and the dump's figures beside them,
 * or null when the input has none. */
static json_t *meminfo_json(const struct vms_report *r)
{
	const struct vms_meminfo *mi = &r->dump->log->meminfo;
	const struct vms_meminfo_cmp *x = &r->model->meminfo;
	json_t *o = vms_json_meminfo(mi);
	if (json_is_null(o))
		return o;
	vms_json_set(o, "era", json_string(vms_meminfo_era_name(x->era)));
	vms_json_set(o, "era_conflict", json_boolean(x->era_conflict));
	vms_json_set(o, "region_kb",
	             x->has_total ? vms_json_u64(x->region_kb) : json_null());
	vms_json_set(o, "total_set_start", json_boolean(x->total_set_start));
	vms_json_set(o, "dump_used_kb",
	             x->compared ? vms_json_u64(x->used_kb) : json_null());
	vms_json_set(o, "dump_chunk_kb",
	             x->has_chunk ? vms_json_u64(x->chunk_kb) : json_null());
	vms_json_set(o, "dump_chunk_start",
	             x->has_chunk ? jaddr(r, x->chunk_start) : json_null());
	vms_json_set(o, "incomplete", vms_json_string(x->incomplete));
	return o;
}

static void put_input(struct vms_jw *w, const struct vms_report *r,
                      const struct vms_report_view *v)
{
	const struct vms_aspace *m = r->model;
	for (size_t k = 0; k < VMS_JSON_NR_FACTS; k++)
		vms_jw_member(w, vms_json_fact_keys[k], vms_json_model_fact(m, k));
	vms_jw_member(w, "geometry", json_boolean(m->geometry));
	vms_jw_member(w, "no_geometry", vms_json_string(m->no_geometry));
	vms_jw_member(w, "not_free", vms_json_string(m->not_free));
	vms_jw_member(w, "address_hint", vms_json_string(vms_aspace_address_hint(m)));
	vms_jw_member(w, "layout", vms_json_model_layout(m));
	vms_jw_member(w, "total", usage_json(&r->total, r->total.bytes));
	vms_jw_member(w, "kinds", kinds_json(r));
	vms_jw_member(w, "callers",
	              groups_json(r, r->callers.v, r->callers.n, v->top, true));
	vms_jw_member(w, "modules",
	              groups_json(r, r->modules.v, r->modules.n, v->top, false));
	vms_jw_member(w, "regions", regions_json(r));
	vms_jw_member(w, "outside",
	              m->geometry ? usage_json(&r->outside, r->total.bytes)
	                          : json_null());
	vms_jw_member(w, "windows", windows_json(r));
	vms_jw_member(w, "guard_pages", vms_json_u64(r->guard_pages));
	if (v->holes && m->geometry)
		put_holes(w, r);
	vms_jw_member(w, "meminfo", meminfo_json(r));
	vms_jw_member(w, "findings", findings_json(r));
}

int vms_emit_report_json(FILE *fp, const struct vms_report *const *r, size_t n,
                         const struct vms_report_view *v)
{
	struct vms_jw w = {.fp = fp, .indent = 4};
	fputc('[', fp);
	for (size_t i = 0; i < n; i++) {
		fprintf(fp, "%s\n  {", i ? "," : "");
		w.first = true;
		put_input(&w, r[i], v);
		fputs("\n  }", fp);
	}
	fputs(n ? "\n]\n" : "]\n", fp);
	return w.failed || ferror(fp) ? -VMS_EIO : 0;
}
