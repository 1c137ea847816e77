/*
 * emit_json.c — the JSON documents of `parse` (a dump) and `check` (the
 * findings, layout and model of each input); with emit_sarif.c the only
 * modules that use jansson.
 *
 * Operations: vms_emit_json() (one dump, one object),
 * vms_emit_json_array() (several dumps, one array) and
 * vms_emit_check_json() (one object for the whole run, findings first). Keys come in a
 * fixed order (goldens stay stable), two-space indentation. The document is streamed:
 * each small value is a jansson tree dumped on its own, the long lists are written item
 * by item, so memory is O(one item) and time O(areas + diagnostics + repairs + regions).
 *
 * Invariants of the output (docs/cli.md, "JSON"):
 *  - every key of the JSON contract (docs/cli.md, "JSON") is present, with null
 *    for absent values rather than a missing key;
 *  - addresses are lower-case "0x" strings (start/end/region bounds padded
 *    to the dump's address width, phys unpadded);
 *  - an unsigned value above INT64_MAX (json_int_t is long long) is written
 *    as a "0x..." string instead of an integer, never truncated;
 *  - strings are valid UTF-8: each byte that does not start a valid UTF-8
 *    sequence is replaced by '?'.
 */
#include "vmscope/emit.h"
#include "emit_jansson.h"
#include "vmscope/aspace.h"
#include "vmscope/check.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- values ------------------------------------------------------------- */

json_t *vms_json_string(const char *s)
{
	if (!s)
		return json_null();
	json_t *v = json_string(s);
	if (v)
		return v;
	char *copy = vms_xstrdup(s);
	size_t len = strlen(copy);
	for (char *p = copy; *p;) {
		size_t n = vms_utf8_len(p, len - (size_t)(p - copy));
		if (n == 0)
			*p++ = '?';
		else
			p += n;
	}
	v = json_string(copy);
	free(copy);
	return v ? v : json_null();
}

static json_t *jstr(const char *s)
{
	return vms_json_string(s);
}

static json_t *jhex(uint64_t v, int digits)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "0x%0*" PRIx64, digits, v);
	return json_string(buf);
}

/* An integer when it fits json_int_t, else a "0x..." string. */
static json_t *ju64(uint64_t v)
{
	if (v <= (uint64_t)INT64_MAX)
		return json_integer((json_int_t)v);
	return jhex(v, 0);
}

static json_t *jopt_u64(bool has, uint64_t v)
{
	return has ? ju64(v) : json_null();
}

/* Sets key to v in o; takes ownership of v. */
static void set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v ? v : json_null());
}

/* ---- areas -------------------------------------------------------------- */

static json_t *area_flags(unsigned flags)
{
	json_t *a = json_array();
	for (unsigned bit = 0; bit < VMS_NR_FLAGS; bit++)
		if (flags & (1u << bit))
			json_array_append_new(a, json_string(vms_flag_name(bit)));
	return a;
}

/* {"0": pages, "1": pages}; a node listed twice has its counts added. */
static json_t *area_numa(const struct vms_dump *d, size_t i)
{
	json_t *o = json_object();
	uint32_t nr;
	const struct vms_numa *numa = vms_dump_numa(d, i, &nr);
	for (uint32_t k = 0; k < nr; k++) {
		char key[16];
		snprintf(key, sizeof(key), "%" PRIu32, numa[k].node);
		json_t *old = json_object_get(o, key);
		json_int_t prev = old ? json_integer_value(old) : 0;
		set(o, key, json_integer(prev + (json_int_t)numa[k].pages));
	}
	return o;
}

/* The repair codes of area i, from its repair bits (in bit order). */
static json_t *area_repairs(const struct vms_dump *d, size_t i)
{
	json_t *a = json_array();
	for (unsigned bit = 0; bit < VMS_NR_REPAIR_BITS; bit++)
		if (d->src.v[i].repairs & (1u << bit))
			json_array_append_new(a, json_string(vms_repair_bit_code(bit)));
	return a;
}

static json_t *area_json(const struct vms_dump *d, size_t i)
{
	const struct vms_area *a = &d->areas.v[i];
	const struct vms_area_src *r = &d->src.v[i];
	int w = vms_emit_addr_digits(d, a->start > a->end ? a->start : a->end);
	json_t *o = json_object();
	set(o, "start", jhex(a->start, w));
	set(o, "end", jhex(a->end, w));
	set(o, "size", ju64(a->size));
	set(o, "kind", json_string(vms_area_kind_name(a->kind)));
	set(o, "caller", jstr(vms_area_caller(d, a)));
	set(o, "offset", jopt_u64(a->has_offset, a->offset));
	set(o, "length", jopt_u64(a->has_offset, a->length));
	set(o, "module", jstr(vms_area_module(d, a)));
	set(o, "pages", jopt_u64(a->has_pages, a->pages));
	set(o, "phys", a->has_phys ? jhex(a->phys, 0) : json_null());
	set(o, "flags", area_flags(a->flags));
	set(o, "numa", area_numa(d, i));
	set(o, "extra", jstr(vms_dump_extra(d, i)));
	set(o, "line", json_integer(r->line));
	set(o, "last_line", json_integer(r->last_line));
	set(o, "col", json_integer(r->col));
	set(o, "range_only", json_boolean(a->range_only));
	set(o, "geometry", json_string(vms_geom_name(a->geom)));
	set(o, "repairs", area_repairs(d, i));
	return o;
}

/* ---- boot log ----------------------------------------------------------- */

static int layout_digits(const struct vms_dump *d, const struct vms_bootlog *log)
{
	if (d->addr_bits)
		return vms_emit_addr_digits(d, 0);
	for (size_t i = 0; i < log->regions.n; i++)
		if (log->regions.v[i].start > UINT32_MAX)
			return 16;
	return 8;
}

static json_t *region_json(const struct vms_region *r, int w)
{
	json_t *o = json_object();
	set(o, "name", jstr(r->name));
	set(o, "start", jhex(r->start, w));
	set(o, "end", jhex(r->end, w));
	set(o, "kind", json_string(vms_region_kind_name(r->kind)));
	set(o, "source", json_string(vms_region_source_name(r->source)));
	set(o, "printed_size", jopt_u64(r->has_printed, r->printed));
	set(o, "printed_unit",
	    r->has_printed && r->printed_unit[0] ? jstr(r->printed_unit) : json_null());
	set(o, "end_inclusive", json_boolean(r->end_inclusive));
	set(o, "file", jstr(r->file));
	set(o, "line", json_integer(r->line));
	return o;
}

static json_t *layout_json(const struct vms_dump *d, const struct vms_bootlog *log)
{
	json_t *o = json_object();
	json_t *regions = json_array();
	int w = layout_digits(d, log);
	for (size_t i = 0; i < log->regions.n; i++)
		json_array_append_new(regions, region_json(&log->regions.v[i], w));
	set(o, "source",
	    log->regions.n ? json_string(vms_region_source_name(log->regions.v[0].source))
	                   : json_null());
	set(o, "style", jstr(vms_emit_layout_style_name(log->layout_style)));
	set(o, "line", log->layout_line ? json_integer(log->layout_line) : json_null());
	set(o, "regions", regions);
	return o;
}

static json_t *cmdline_json(const struct vms_bootlog *log)
{
	if (!log->has_cmdline)
		return json_null();
	const struct vms_cmdline *c = &log->cmdline;
	json_t *o = json_object();
	set(o, "text", jstr(c->text));
	set(o, "file", jstr(c->file));
	set(o, "line", c->line ? json_integer(c->line) : json_null());
	set(o, "from_uboot", json_boolean(c->from_uboot));
	set(o, "vmalloc", jopt_u64(c->has_vmalloc, c->vmalloc));
	set(o, "vmalloc_text", jstr(c->vmalloc_text));
	set(o, "mem", jopt_u64(c->has_mem, c->mem));
	set(o, "mem_text", jstr(c->mem_text));
	set(o, "mem_start", jopt_u64(c->has_mem_start, c->mem_start));
	set(o, "cma", jstr(c->cma_text));
	return o;
}

static json_t *memory_json(const struct vms_bootlog *log)
{
	if (!log->memory_text)
		return json_null();
	json_t *o = json_object();
	set(o, "text", jstr(log->memory_text));
	set(o, "file", jstr(log->memory_file));
	set(o, "line", json_integer(log->memory_line));
	set(o, "total_kb", jopt_u64(log->memory_total_kb != 0, log->memory_total_kb));
	return o;
}

static json_t *version_json(const struct vms_bootlog *log)
{
	if (!log->version_text)
		return json_null();
	json_t *o = json_object();
	set(o, "text", jstr(log->version_text));
	set(o, "major", json_integer(log->kernel_major));
	set(o, "minor", json_integer(log->kernel_minor));
	set(o, "patch", json_integer(log->kernel_patch));
	set(o, "compiler", jstr(log->compiler_text));
	set(o, "arch_hint", jstr(log->arch_hint));
	set(o, "source", jstr(log->version_source));
	set(o, "file", jstr(log->version_file));
	set(o, "line", json_integer(log->version_line));
	return o;
}

static json_t *failure_json(const struct vms_dump *d, const struct vms_failure *f)
{
	json_t *o = json_object();
	set(o, "kind", json_string(vms_emit_failure_kind_name(f->kind)));
	set(o, "size", ju64(f->size));
	set(o, "line", json_integer(f->line));
	if (f->has_range) {
		int w =
		    vms_emit_addr_digits(d, f->vend > f->vstart ? f->vend : f->vstart);
		json_t *r = json_object();
		set(r, "start", jhex(f->vstart, w));
		set(r, "end", jhex(f->vend, w));
		set(o, "range", r);
	} else {
		set(o, "range", json_null());
	}
	json_t *callers = json_array();
	for (uint32_t i = 0; i < f->nr_callers; i++)
		json_array_append_new(callers, jstr(f->callers[i]));
	set(o, "callers", callers);
	set(o, "file", jstr(f->file));
	set(o, "text", jstr(f->text));
	return o;
}

/* ---- diagnostics, repairs, accounting ----------------------------------- */

static json_t *diag_json(const struct vms_dump *d, const struct vms_diag *g)
{
	json_t *o = json_object();
	set(o, "file", jstr(vms_emit_source_name(d)));
	set(o, "line", json_integer(g->line));
	set(o, "col", json_integer(g->col));
	set(o, "severity", json_string(vms_severity_name(g->severity)));
	set(o, "code", jstr(g->code));
	set(o, "message", jstr(g->message));
	return o;
}

static json_t *repair_json(const struct vms_repair *r)
{
	json_t *o = json_object();
	set(o, "line", json_integer(r->line));
	set(o, "col", json_integer(r->col));
	set(o, "area", r->area >= 0 ? json_integer(r->area) : json_null());
	set(o, "code", jstr(r->code));
	set(o, "message", jstr(r->message));
	return o;
}

/* Messages counted beyond VMS_DIAG_CAP, per code. */
static json_t *not_stored_json(const struct vms_dump *d)
{
	json_t *a = json_array();
	for (size_t i = 0; i < d->codes.n; i++) {
		const struct vms_code_count *x = &d->codes.v[i];
		if (!x->dropped)
			continue;
		json_t *o = json_object();
		set(o, "code", jstr(x->code));
		set(o, "severity",
		    json_string(x->repair ? "repair" : vms_severity_name(x->severity)));
		set(o, "count", ju64(x->dropped));
		set(o, "first_line", json_integer(x->first_dropped));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *accounting_json(const struct vms_accounting *ac)
{
	json_t *o = json_object();
	set(o, "lines", ju64(ac->lines));
	for (unsigned c = 0; c < VMS_NR_LINE_CLASSES; c++)
		set(o, vms_line_class_name(c), ju64(ac->by_class[c]));
	json_t *noise = json_object();
	for (unsigned k = 0; k < VMS_NR_NOISE_KINDS; k++)
		set(noise, vms_noise_kind_name(k), ju64(ac->noise[k]));
	set(o, "noise_kinds", noise);
	return o;
}

/* ---- the document, streamed ------------------------------------------- */

/*
 * The document is written piece by piece so that memory stays O(one area)
 * however long the dump: small values are built as jansson trees and dumped
 * one at a time, re-indented to their depth; the long lists (areas,
 * diagnostics, repairs, failures) are written item by item. The bytes are
 * those jansson would write for the whole tree with JSON_INDENT(2).
 */
struct jw {
	FILE *fp;
	int indent;  /* spaces before the keys of the object being written */
	bool first;  /* no key written yet in this object */
	bool failed; /* jansson could not encode a value */
};

bool vms_json_put_indented(FILE *fp, json_t *v, int indent)
{
	char *text =
	    json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	json_decref(v);
	if (!text) {
		fputs("null", fp);
		return false;
	}
	for (const char *p = text; *p; p++) {
		fputc(*p, fp);
		if (*p == '\n')
			fprintf(fp, "%*s", indent, "");
	}
	free(text);
	return true;
}

/* Writes v (taking ownership) as jansson would at depth `indent`. */
static void put_value(struct jw *w, json_t *v, int indent)
{
	if (!vms_json_put_indented(w->fp, v, indent))
		w->failed = true;
}

/* Starts the next member: separator, newline, indentation, "key": . */
static void put_key(struct jw *w, const char *key)
{
	fprintf(w->fp, "%s\n%*s\"%s\": ", w->first ? "" : ",", w->indent, "", key);
	w->first = false;
}

static void put_member(struct jw *w, const char *key, json_t *v)
{
	put_key(w, key);
	put_value(w, v ? v : json_null(), w->indent);
}

/* One item of a streamed list: returns a new value for item i. */
typedef json_t *(*item_fn)(const struct vms_dump *d, size_t i, const void *ctx);

static void put_list(struct jw *w, const char *key, size_t n, item_fn fn,
                     const struct vms_dump *d, const void *ctx)
{
	put_key(w, key);
	fputc('[', w->fp);
	for (size_t i = 0; i < n; i++) {
		fprintf(w->fp, "%s\n%*s", i ? "," : "", w->indent + 2, "");
		put_value(w, fn(d, i, ctx), w->indent + 2);
	}
	if (n)
		fprintf(w->fp, "\n%*s", w->indent, "");
	fputc(']', w->fp);
}

static json_t *area_item(const struct vms_dump *d, size_t i, const void *ctx)
{
	return area_json(d, i);
}

static json_t *failure_item(const struct vms_dump *d, size_t i, const void *ctx)
{
	return failure_json(d, &d->log->failures.v[i]);
}

static json_t *diag_item(const struct vms_dump *d, size_t i, const void *ctx)
{
	return diag_json(d, &d->diags.v[i]);
}

static json_t *repair_item(const struct vms_dump *d, size_t i, const void *ctx)
{
	return repair_json(&d->repairs.v[i]);
}

static json_t *kernel_json(const struct vms_dump *d)
{
	if (!d->kernel_major)
		return json_null();
	json_t *o = json_object();
	set(o, "major", json_integer(d->kernel_major));
	set(o, "minor", json_integer(d->kernel_minor));
	set(o, "inferred", json_boolean(!d->kernel_given));
	set(o, "source", jstr(d->kernel_source));
	return o;
}

static void put_header(struct jw *w, const struct vms_dump *d)
{
	put_member(w, "source", jstr(d->source));
	put_member(w, "arch", jstr(d->arch));
	put_member(w, "arch_source", jstr(d->arch_source));
	put_member(w, "kernel", kernel_json(d));
	put_member(w, "era", jstr(d->era));
	put_member(w, "page_size", ju64(d->page_size));
	put_member(w, "page_size_inferred", json_boolean(d->page_size_inferred));
	put_member(w, "addr_bits", json_integer(d->addr_bits));
	put_member(w, "address_visibility",
	           json_string(vms_visibility_name(d->visibility)));
	put_member(w, "sorted", json_boolean(d->sorted));
}

/* Writes the document of d as an object whose keys sit at `indent`. */
static void put_dump(struct jw *w, const struct vms_dump *d)
{
	static const struct vms_bootlog empty_log;
	const struct vms_bootlog *log = d->log ? d->log : &empty_log;
	fputc('{', w->fp);
	w->first = true;
	put_header(w, d);
	put_list(w, "areas", d->areas.n, area_item, d, NULL);
	put_member(w, "layout", layout_json(d, log));
	put_member(w, "cmdline", cmdline_json(log));
	put_member(w, "memory", memory_json(log));
	put_member(w, "version", version_json(log));
	put_list(w, "failures", d->log ? log->failures.n : 0, failure_item, d, NULL);
	put_list(w, "diagnostics", d->diags.n, diag_item, d, NULL);
	put_list(w, "repairs", d->repairs.n, repair_item, d, NULL);
	put_member(w, "not_stored", not_stored_json(d));
	put_member(w, "accounting", accounting_json(&d->acct));
	fprintf(w->fp, "\n%*s}", w->indent - 2, "");
}

int vms_emit_json(FILE *fp, const struct vms_dump *d)
{
	struct jw w = {.fp = fp, .indent = 2};
	put_dump(&w, d);
	fputc('\n', fp);
	return w.failed || ferror(fp) ? -VMS_EIO : 0;
}

int vms_emit_json_array(FILE *fp, const struct vms_dump *const *dumps, size_t n)
{
	struct jw w = {.fp = fp, .indent = 4};
	fputc('[', fp);
	for (size_t i = 0; i < n; i++) {
		fprintf(fp, "%s\n  ", i ? "," : "");
		put_dump(&w, dumps[i]);
	}
	fputs(n ? "\n]\n" : "]\n", fp);
	return w.failed || ferror(fp) ? -VMS_EIO : 0;
}

/* ---- check -------------------------------------------------------------- */

static json_t *model_layout_json(const struct vms_aspace *m)
{
	json_t *o = json_object();
	int w = m->dump->addr_bits == 64 ? 16 : 8;
	for (size_t i = 0; i < m->regions.n; i++)
		if (m->regions.v[i].end > UINT32_MAX + 1ull)
			w = 16;
	set(o, "source", json_string(vms_region_source_name(m->layout_source)));
	set(o, "why", jstr(m->layout_why));
	set(o, "profile", jstr(m->profile ? m->profile->name : NULL));
	json_t *regions = json_array();
	for (size_t i = 0; i < m->regions.n; i++)
		json_array_append_new(regions, region_json(&m->regions.v[i], w));
	set(o, "regions", regions);
	return o;
}

static json_t *windows_json(const struct vms_aspace *m)
{
	json_t *a = json_array();
	int w = m->dump->addr_bits == 64 ? 16 : 8;
	for (size_t i = 0; i < m->windows.n; i++) {
		const struct vms_window *win = &m->windows.v[i];
		json_t *o = json_object();
		set(o, "region", jstr(m->regions.v[win->region].name));
		set(o, "start", jhex(win->start, w));
		set(o, "end", jhex(win->end, w));
		set(o, "areas", json_integer(win->nr_areas));
		set(o, "used", ju64(win->used));
		set(o, "holes", ju64(win->free.count));
		set(o, "free", ju64(win->free.total));
		set(o, "largest_hole", ju64(vms_free_largest(&win->free)));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *model_json(const struct vms_aspace *m)
{
	json_t *o = json_object();
	size_t n = m->dump->areas.n, b = vms_aspace_bytes(m);
	set(o, "geometry", json_boolean(m->geometry));
	set(o, "no_geometry", jstr(m->no_geometry));
	set(o, "areas", ju64(n));
	set(o, "busy_tree", ju64(m->nr_order));
	set(o, "bytes", ju64(b));
	set(o, "bytes_per_area", json_real(n ? (double)b / (double)n : 0.0));
	return o;
}

static json_t *finding_json(const struct vms_dump *d, const struct vms_finding *f)
{
	json_t *o = json_object();
	set(o, "rule", json_string(vms_rules[f->rule].id));
	set(o, "severity", json_string(vms_check_sev_name(f->severity)));
	set(o, "file", jstr(f->file));
	set(o, "line", f->line ? json_integer(f->line) : json_null());
	set(o, "message", jstr(f->message));
	set(o, "area",
	    f->area >= 0 ? jhex(d->areas.v[f->area].start, vms_emit_addr_digits(d, 0))
	                 : json_null());
	char key[20];
	snprintf(key, sizeof(key), "%016" PRIx64, f->key);
	set(o, "key", json_string(key));
	set(o, "baselined", json_boolean(f->baselined));
	return o;
}

static json_t *counts_json(const uint64_t *counts, uint64_t baselined)
{
	json_t *o = json_object();
	for (unsigned s = 0; s < 3; s++)
		set(o, vms_check_sev_name((enum vms_check_sev)s), ju64(counts[s]));
	set(o, "baselined", ju64(baselined));
	return o;
}

static json_t *input_json(const struct vms_checked *c)
{
	const struct vms_dump *d = c->dump;
	const struct vms_check_result *r = c->result;
	json_t *o = json_object();
	set(o, "file", jstr(d->source));
	set(o, "arch", jstr(c->model->arch));
	set(o, "arch_source", jstr(c->model->arch_source));
	set(o, "kernel", kernel_json(d));
	set(o, "era", jstr(d->era));
	set(o, "address_visibility", json_string(vms_visibility_name(d->visibility)));
	set(o, "layout", model_layout_json(c->model));
	set(o, "windows", windows_json(c->model));
	set(o, "model", model_json(c->model));
	set(o, "counts", counts_json(r->counts, r->nr_baselined));
	json_t *skipped = json_array();
	for (size_t i = 0; i < r->skipped.n; i++) {
		json_t *s = json_object();
		set(s, "rule", json_string(vms_rules[r->skipped.v[i].rule].id));
		set(s, "reason", jstr(r->skipped.v[i].reason));
		json_array_append_new(skipped, s);
	}
	set(o, "skipped", skipped);
	json_t *dropped = json_object();
	for (size_t i = 0; i < vms_nr_rules && i < VMS_CHECK_MAX_RULES; i++)
		if (r->dropped[i])
			set(dropped, vms_rules[i].id, ju64(r->dropped[i]));
	set(o, "not_stored", dropped);
	return o;
}

int vms_emit_check_json(FILE *fp, const struct vms_checked *c, size_t n)
{
	struct jw w = {.fp = fp, .indent = 2};
	uint64_t counts[3] = {0}, baselined = 0;
	size_t nf = 0;
	for (size_t i = 0; i < n; i++) {
		for (unsigned s = 0; s < 3; s++)
			counts[s] += c[i].result->counts[s];
		baselined += c[i].result->nr_baselined;
		nf += c[i].result->findings.n;
	}
	fputc('{', fp);
	w.first = true;
	put_member(&w, "tool", json_string("vmscope"));
	put_member(&w, "counts", counts_json(counts, baselined));
	put_key(&w, "findings");
	fputc('[', fp);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < c[i].result->findings.n; j++, k++) {
			fprintf(fp, "%s\n    ", k ? "," : "");
			put_value(
			    &w, finding_json(c[i].dump, &c[i].result->findings.v[j]), 4);
		}
	fputs(nf ? "\n  ]" : "]", fp);
	if (n == 1)
		put_member(&w, "layout", model_layout_json(c[0].model));
	put_key(&w, "inputs");
	fputc('[', fp);
	for (size_t i = 0; i < n; i++) {
		fprintf(fp, "%s\n    ", i ? "," : "");
		put_value(&w, input_json(&c[i]), 4);
	}
	fputs(n ? "\n  ]\n}\n" : "]\n}\n", fp);
	return w.failed || ferror(fp) ? -VMS_EIO : 0;
}
