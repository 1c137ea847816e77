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

json_t *vms_json_hex(uint64_t v, int digits)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "0x%0*" PRIx64, digits, v);
	return json_string(buf);
}

json_t *vms_json_u64(uint64_t v)
{
	if (v <= (uint64_t)INT64_MAX)
		return json_integer((json_int_t)v);
	return vms_json_hex(v, 0);
}

static json_t *jopt_u64(bool has, uint64_t v)
{
	return has ? vms_json_u64(v) : json_null();
}

void vms_json_set(json_t *o, const char *key, json_t *v)
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
		vms_json_set(o, key, json_integer(prev + (json_int_t)numa[k].pages));
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
	vms_json_set(o, "start", vms_json_hex(a->start, w));
	vms_json_set(o, "end", vms_json_hex(a->end, w));
	vms_json_set(o, "size", vms_json_u64(a->size));
	vms_json_set(o, "kind", json_string(vms_area_kind_name(a->kind)));
	vms_json_set(o, "caller", jstr(vms_area_caller(d, a)));
	vms_json_set(o, "offset", jopt_u64(a->has_offset, a->offset));
	vms_json_set(o, "length", jopt_u64(a->has_offset, a->length));
	vms_json_set(o, "module", jstr(vms_area_module(d, a)));
	vms_json_set(o, "pages", jopt_u64(a->has_pages, a->pages));
	vms_json_set(o, "phys", a->has_phys ? vms_json_hex(a->phys, 0) : json_null());
	vms_json_set(o, "flags", area_flags(a->flags));
	vms_json_set(o, "numa", area_numa(d, i));
	vms_json_set(o, "extra", jstr(vms_dump_extra(d, i)));
	vms_json_set(o, "line", json_integer(r->line));
	vms_json_set(o, "last_line", json_integer(r->last_line));
	vms_json_set(o, "col", json_integer(r->col));
	vms_json_set(o, "range_only", json_boolean(a->range_only));
	vms_json_set(o, "geometry", json_string(vms_geom_name(a->geom)));
	vms_json_set(o, "repairs", area_repairs(d, i));
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
	vms_json_set(o, "name", jstr(r->name));
	vms_json_set(o, "start", vms_json_hex(r->start, w));
	vms_json_set(o, "end", vms_json_hex(r->end, w));
	vms_json_set(o, "kind", json_string(vms_region_kind_name(r->kind)));
	vms_json_set(o, "source", json_string(vms_region_source_name(r->source)));
	vms_json_set(o, "printed_size", jopt_u64(r->has_printed, r->printed));
	vms_json_set(o, "printed_unit",
	             r->has_printed && r->printed_unit[0] ? jstr(r->printed_unit)
	                                                  : json_null());
	vms_json_set(o, "end_inclusive", json_boolean(r->end_inclusive));
	vms_json_set(o, "file", jstr(r->file));
	vms_json_set(o, "line", json_integer(r->line));
	return o;
}

static json_t *layout_json(const struct vms_dump *d, const struct vms_bootlog *log)
{
	json_t *o = json_object();
	json_t *regions = json_array();
	int w = layout_digits(d, log);
	for (size_t i = 0; i < log->regions.n; i++)
		json_array_append_new(regions, region_json(&log->regions.v[i], w));
	vms_json_set(o, "source",
	             log->regions.n
	                 ? json_string(vms_region_source_name(log->regions.v[0].source))
	                 : json_null());
	vms_json_set(o, "style", jstr(vms_emit_layout_style_name(log->layout_style)));
	vms_json_set(o, "line",
	             log->layout_line ? json_integer(log->layout_line) : json_null());
	vms_json_set(o, "regions", regions);
	return o;
}

static json_t *cmdline_json(const struct vms_bootlog *log)
{
	if (!log->has_cmdline)
		return json_null();
	const struct vms_cmdline *c = &log->cmdline;
	json_t *o = json_object();
	vms_json_set(o, "text", jstr(c->text));
	vms_json_set(o, "file", jstr(c->file));
	vms_json_set(o, "line", c->line ? json_integer(c->line) : json_null());
	vms_json_set(o, "from_uboot", json_boolean(c->from_uboot));
	vms_json_set(o, "vmalloc", jopt_u64(c->has_vmalloc, c->vmalloc));
	vms_json_set(o, "vmalloc_text", jstr(c->vmalloc_text));
	vms_json_set(o, "mem", jopt_u64(c->has_mem, c->mem));
	vms_json_set(o, "mem_text", jstr(c->mem_text));
	vms_json_set(o, "mem_start", jopt_u64(c->has_mem_start, c->mem_start));
	vms_json_set(o, "cma", jstr(c->cma_text));
	return o;
}

static json_t *memory_json(const struct vms_bootlog *log)
{
	if (!log->memory_text)
		return json_null();
	json_t *o = json_object();
	vms_json_set(o, "text", jstr(log->memory_text));
	vms_json_set(o, "file", jstr(log->memory_file));
	vms_json_set(o, "line", json_integer(log->memory_line));
	vms_json_set(o, "total_kb",
	             jopt_u64(log->memory_total_kb != 0, log->memory_total_kb));
	return o;
}

static json_t *version_json(const struct vms_bootlog *log)
{
	if (!log->version_text)
		return json_null();
	json_t *o = json_object();
	vms_json_set(o, "text", jstr(log->version_text));
	vms_json_set(o, "major", json_integer(log->kernel_major));
	vms_json_set(o, "minor", json_integer(log->kernel_minor));
	vms_json_set(o, "patch", json_integer(log->kernel_patch));
	vms_json_set(o, "compiler", jstr(log->compiler_text));
	vms_json_set(o, "arch_hint", jstr(log->arch_hint));
	vms_json_set(o, "source", jstr(log->version_source));
	vms_json_set(o, "file", jstr(log->version_file));
	vms_json_set(o, "line", json_integer(log->version_line));
	return o;
}

static json_t *failure_json(const struct vms_dump *d, const struct vms_failure *f)
{
	json_t *o = json_object();
	vms_json_set(o, "kind", json_string(vms_emit_failure_kind_name(f->kind)));
	vms_json_set(o, "size", vms_json_u64(f->size));
	vms_json_set(o, "line", json_integer(f->line));
	if (f->has_range) {
		int w =
		    vms_emit_addr_digits(d, f->vend > f->vstart ? f->vend : f->vstart);
		json_t *r = json_object();
		vms_json_set(r, "start", vms_json_hex(f->vstart, w));
		vms_json_set(r, "end", vms_json_hex(f->vend, w));
		vms_json_set(o, "range", r);
	} else {
		vms_json_set(o, "range", json_null());
	}
	json_t *callers = json_array();
	for (uint32_t i = 0; i < f->nr_callers; i++)
		json_array_append_new(callers, jstr(f->callers[i]));
	vms_json_set(o, "callers", callers);
	vms_json_set(o, "file", jstr(f->file));
	vms_json_set(o, "text", jstr(f->text));
	return o;
}

/* ---- diagnostics, repairs, accounting ----------------------------------- */

static json_t *diag_json(const struct vms_dump *d, const struct vms_diag *g)
{
	json_t *o = json_object();
	vms_json_set(o, "file", jstr(vms_emit_source_name(d)));
	vms_json_set(o, "line", json_integer(g->line));
	vms_json_set(o, "col", json_integer(g->col));
	vms_json_set(o, "severity", json_string(vms_severity_name(g->severity)));
	vms_json_set(o, "code", jstr(g->code));
	vms_json_set(o, "message", jstr(g->message));
	return o;
}

static json_t *repair_json(const struct vms_repair *r)
{
	json_t *o = json_object();
	vms_json_set(o, "line", json_integer(r->line));
	vms_json_set(o, "col", json_integer(r->col));
	vms_json_set(o, "area", r->area >= 0 ? json_integer(r->area) : json_null());
	vms_json_set(o, "code", jstr(r->code));
	vms_json_set(o, "message", jstr(r->message));
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
		vms_json_set(o, "code", jstr(x->code));
		vms_json_set(
		    o, "severity",
		    json_string(x->repair ? "repair" : vms_severity_name(x->severity)));
		vms_json_set(o, "count", vms_json_u64(x->dropped));
		vms_json_set(o, "first_line", json_integer(x->first_dropped));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *accounting_json(const struct vms_accounting *ac)
{
	json_t *o = json_object();
	vms_json_set(o, "lines", vms_json_u64(ac->lines));
	for (unsigned c = 0; c < VMS_NR_LINE_CLASSES; c++)
		vms_json_set(o, vms_line_class_name(c), vms_json_u64(ac->by_class[c]));
	json_t *noise = json_object();
	for (unsigned k = 0; k < VMS_NR_NOISE_KINDS; k++)
		vms_json_set(noise, vms_noise_kind_name(k), vms_json_u64(ac->noise[k]));
	vms_json_set(o, "noise_kinds", noise);
	return o;
}

/* One listing of the input (dump.h, struct vms_listing); its meminfo
 * when the input has several (each then has its own). */
json_t *vms_json_listing(const struct vms_dump *d, size_t k)
{
	const struct vms_listing *l = &d->listings.v[k];
	json_t *o = json_object();
	vms_json_set(o, "number", vms_json_u64(d->listing_no ? d->listing_no : k + 1));
	vms_json_set(o, "of",
	             vms_json_u64(d->nr_listings ? d->nr_listings : d->listings.n));
	vms_json_set(o, "first_area", vms_json_u64(l->first));
	vms_json_set(o, "areas", vms_json_u64(l->n));
	json_t *lines = json_array();
	json_array_append_new(lines, json_integer(l->line_lo));
	json_array_append_new(lines, json_integer(l->line_hi));
	vms_json_set(o, "lines", lines);
	json_t *area_lines = json_array();
	json_array_append_new(area_lines, json_integer(l->first_line));
	json_array_append_new(area_lines, json_integer(l->last_line));
	vms_json_set(o, "area_lines", area_lines);
	vms_json_set(o, "opened_by", json_string(vms_listing_open_name(l->opened)));
	vms_json_set(o, "marker_line",
	             l->marker_line ? json_integer(l->marker_line) : json_null());
	vms_json_set(o, "command", jstr(l->command));
	vms_json_set(o, "heading", jstr(l->heading));
	vms_json_set(o, "filtered", json_boolean(l->filtered));
	vms_json_set(o, "sorted", json_boolean(l->sorted));
	json_t *ac = json_object();
	vms_json_set(ac, "lines", vms_json_u64(l->acct.lines));
	for (unsigned c = 0; c < VMS_NR_LINE_CLASSES; c++)
		vms_json_set(ac, vms_line_class_name(c),
		             vms_json_u64(l->acct.by_class[c]));
	vms_json_set(o, "accounting", ac);
	if (d->listings.n > 1 || d->nr_listings > 1)
		vms_json_set(o, "meminfo", vms_json_meminfo(&l->meminfo));
	return o;
}

static json_t *listings_json(const struct vms_dump *d)
{
	json_t *a = json_array();
	for (size_t k = 0; k < d->listings.n; k++)
		json_array_append_new(a, vms_json_listing(d, k));
	return a;
}

/* ---- the document, streamed ------------------------------------------- */

/*
 * The document is written piece by piece so that memory stays O(one area)
 * however long the dump: small values are built as jansson trees and dumped
 * one at a time, re-indented to their depth; the long lists (areas,
 * diagnostics, repairs, failures) are written item by item. The bytes are
 * those jansson would write for the whole tree with JSON_INDENT(2).
 */
bool vms_json_put_indented(FILE *fp, json_t *v, int indent)
{
	char *text =
	    json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	json_decref(v);
	if (!text) {
		fputs("null", fp);
		return false;
	}
	/* whole lines at once: a million areas make tens of millions of bytes */
	static const char spaces[] = "                                ";
	for (const char *p = text, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			fputs(p, fp);
			break;
		}
		fwrite(p, 1, (size_t)(nl - p) + 1, fp);
		for (int left = indent; left > 0; left -= (int)sizeof(spaces) - 1)
			fwrite(spaces, 1,
			       left < (int)sizeof(spaces) - 1 ? (size_t)left
			                                      : sizeof(spaces) - 1,
			       fp);
	}
	free(text);
	return true;
}

void vms_jw_value(struct vms_jw *w, json_t *v, int indent)
{
	if (!vms_json_put_indented(w->fp, v, indent))
		w->failed = true;
}

void vms_jw_key(struct vms_jw *w, const char *key)
{
	fprintf(w->fp, "%s\n%*s\"%s\": ", w->first ? "" : ",", w->indent, "", key);
	w->first = false;
}

void vms_jw_member(struct vms_jw *w, const char *key, json_t *v)
{
	vms_jw_key(w, key);
	vms_jw_value(w, v ? v : json_null(), w->indent);
}

/* One item of a streamed list: returns a new value for item i. */
typedef json_t *(*item_fn)(const struct vms_dump *d, size_t i, const void *ctx);

static void put_list(struct vms_jw *w, const char *key, size_t n, item_fn fn,
                     const struct vms_dump *d, const void *ctx)
{
	vms_jw_key(w, key);
	fputc('[', w->fp);
	for (size_t i = 0; i < n; i++) {
		fprintf(w->fp, "%s\n%*s", i ? "," : "", w->indent + 2, "");
		vms_jw_value(w, fn(d, i, ctx), w->indent + 2);
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

json_t *vms_json_kernel(const struct vms_dump *d)
{
	if (!d->kernel_major)
		return json_null();
	json_t *o = json_object();
	vms_json_set(o, "major", json_integer(d->kernel_major));
	vms_json_set(o, "minor", json_integer(d->kernel_minor));
	vms_json_set(o, "inferred", json_boolean(!d->kernel_given));
	vms_json_set(o, "source", jstr(d->kernel_source));
	return o;
}

/* A meminfo value: {"kb", "line"}, or null when its line is absent. */
static json_t *meminfo_val(const struct vms_meminfo_val *v)
{
	if (!v->line)
		return json_null();
	json_t *o = json_object();
	vms_json_set(o, "kb", vms_json_u64(v->kb));
	vms_json_set(o, "line", json_integer(v->line));
	return o;
}

json_t *vms_json_meminfo(const struct vms_meminfo *mi)
{
	if (!mi->total.line && !mi->used.line && !mi->chunk.line && !mi->percpu.line)
		return json_null();
	json_t *o = json_object();
	vms_json_set(o, "file", vms_json_string(mi->file));
	vms_json_set(o, "vmalloc_total", meminfo_val(&mi->total));
	vms_json_set(o, "vmalloc_used", meminfo_val(&mi->used));
	vms_json_set(o, "vmalloc_chunk", meminfo_val(&mi->chunk));
	vms_json_set(o, "percpu", meminfo_val(&mi->percpu));
	vms_json_set(o, "conflict", json_boolean(mi->conflict));
	return o;
}

static void put_header(struct vms_jw *w, const struct vms_dump *d)
{
	vms_jw_member(w, "source", jstr(d->source));
	vms_jw_member(w, "tool", json_string(vms_tool_name(d->tool)));
	vms_jw_member(w, "arch", jstr(d->arch));
	vms_jw_member(w, "arch_source", jstr(d->arch_source));
	vms_jw_member(w, "kernel", vms_json_kernel(d));
	vms_jw_member(w, "era", jstr(d->era));
	vms_jw_member(w, "page_size", vms_json_u64(d->page_size));
	vms_jw_member(w, "page_size_inferred", json_boolean(d->page_size_inferred));
	vms_jw_member(w, "addr_bits", json_integer(d->addr_bits));
	vms_jw_member(w, "address_visibility",
	              json_string(vms_visibility_name(d->visibility)));
	vms_jw_member(w, "sorted", json_boolean(d->sorted));
}

/* Writes the document of d as an object whose keys sit at `indent`. */
static void put_dump(struct vms_jw *w, const struct vms_dump *d)
{
	static const struct vms_bootlog empty_log;
	const struct vms_bootlog *log = d->log ? d->log : &empty_log;
	fputc('{', w->fp);
	w->first = true;
	put_header(w, d);
	put_list(w, "areas", d->areas.n, area_item, d, NULL);
	vms_jw_member(w, "layout", layout_json(d, log));
	vms_jw_member(w, "cmdline", cmdline_json(log));
	vms_jw_member(w, "memory", memory_json(log));
	vms_jw_member(w, "version", version_json(log));
	vms_jw_member(w, "meminfo", vms_json_meminfo(&log->meminfo));
	vms_jw_member(w, "listings", listings_json(d));
	put_list(w, "failures", d->log ? log->failures.n : 0, failure_item, d, NULL);
	put_list(w, "diagnostics", d->diags.n, diag_item, d, NULL);
	put_list(w, "repairs", d->repairs.n, repair_item, d, NULL);
	vms_jw_member(w, "not_stored", not_stored_json(d));
	vms_jw_member(w, "accounting", accounting_json(&d->acct));
	fprintf(w->fp, "\n%*s}", w->indent - 2, "");
}

int vms_emit_json(FILE *fp, const struct vms_dump *d)
{
	struct vms_jw w = {.fp = fp, .indent = 2};
	put_dump(&w, d);
	fputc('\n', fp);
	return w.failed || ferror(fp) ? -VMS_EIO : 0;
}

int vms_emit_json_array(FILE *fp, const struct vms_dump *const *dumps, size_t n)
{
	struct vms_jw w = {.fp = fp, .indent = 4};
	fputc('[', fp);
	for (size_t i = 0; i < n; i++) {
		fprintf(fp, "%s\n  ", i ? "," : "");
		put_dump(&w, dumps[i]);
	}
	fputs(n ? "\n]\n" : "]\n", fp);
	return w.failed || ferror(fp) ? -VMS_EIO : 0;
}

/* ---- check -------------------------------------------------------------- */

const char *const vms_json_fact_keys[VMS_JSON_NR_FACTS] = {
    "file", "arch", "arch_source", "kernel", "era", "address_visibility", "listing",
};

json_t *vms_json_model_fact(const struct vms_aspace *m, size_t k)
{
	const struct vms_dump *d = m->dump;
	switch (k) {
	case 0:
		return jstr(d->source);
	case 1:
		return jstr(m->arch);
	case 2:
		return jstr(m->arch_source);
	case 3:
		return vms_json_kernel(d);
	case 4:
		return jstr(d->era);
	case 5:
		return json_string(vms_visibility_name(d->visibility));
	default: /* one listing of a paste with several, or null */
		return d->nr_listings > 1 && d->listings.n ? vms_json_listing(d, 0)
		                                           : json_null();
	}
}

json_t *vms_json_model_facts(const struct vms_aspace *m)
{
	json_t *o = json_object();
	for (size_t k = 0; k < VMS_JSON_NR_FACTS; k++)
		vms_json_set(o, vms_json_fact_keys[k], vms_json_model_fact(m, k));
	return o;
}

json_t *vms_json_model_layout(const struct vms_aspace *m)
{
	json_t *o = json_object();
	int w = m->dump->addr_bits == 64 ? 16 : 8;
	for (size_t i = 0; i < m->regions.n; i++)
		if (m->regions.v[i].end > UINT32_MAX + 1ull)
			w = 16;
	vms_json_set(o, "source", json_string(vms_region_source_name(m->layout_source)));
	vms_json_set(o, "why", jstr(m->layout_why));
	vms_json_set(o, "profile", jstr(m->profile ? m->profile->name : NULL));
	json_t *regions = json_array();
	for (size_t i = 0; i < m->regions.n; i++)
		json_array_append_new(regions, region_json(&m->regions.v[i], w));
	vms_json_set(o, "regions", regions);
	return o;
}

static json_t *windows_json(const struct vms_aspace *m)
{
	json_t *a = json_array();
	int w = m->dump->addr_bits == 64 ? 16 : 8;
	for (size_t i = 0; i < m->windows.n; i++) {
		const struct vms_window *win = &m->windows.v[i];
		json_t *o = json_object();
		vms_json_set(o, "region", jstr(m->regions.v[win->region].name));
		vms_json_set(o, "start", vms_json_hex(win->start, w));
		vms_json_set(o, "end", vms_json_hex(win->end, w));
		vms_json_set(o, "areas", json_integer(win->nr_areas));
		vms_json_set(o, "used", vms_json_u64(win->used));
		vms_json_set(o, "holes", vms_json_u64(win->free.count));
		vms_json_set(o, "free", vms_json_u64(win->free.total));
		vms_json_set(o, "largest_hole",
		             vms_json_u64(vms_free_largest(&win->free)));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *model_json(const struct vms_aspace *m)
{
	json_t *o = json_object();
	size_t n = m->dump->areas.n, b = vms_aspace_bytes(m);
	vms_json_set(o, "geometry", json_boolean(m->geometry));
	vms_json_set(o, "no_geometry", jstr(m->no_geometry));
	vms_json_set(o, "areas", vms_json_u64(n));
	vms_json_set(o, "busy_tree", vms_json_u64(m->nr_order));
	vms_json_set(o, "bytes", vms_json_u64(b));
	vms_json_set(o, "bytes_per_area", json_real(n ? (double)b / (double)n : 0.0));
	return o;
}

static json_t *finding_json(const struct vms_dump *d, const struct vms_finding *f)
{
	json_t *o = json_object();
	vms_json_set(o, "rule", json_string(vms_rules[f->rule].id));
	vms_json_set(o, "severity", json_string(vms_check_sev_name(f->severity)));
	vms_json_set(o, "file", jstr(f->file));
	vms_json_set(o, "line", f->line ? json_integer(f->line) : json_null());
	vms_json_set(o, "message", jstr(f->message));
	vms_json_set(o, "area",
	             f->area >= 0 ? vms_json_hex(d->areas.v[f->area].start,
	                                         vms_emit_addr_digits(d, 0))
	                          : json_null());
	char key[20];
	snprintf(key, sizeof(key), "%016" PRIx64, f->key);
	vms_json_set(o, "key", json_string(key));
	vms_json_set(o, "baselined", json_boolean(f->baselined));
	return o;
}

static json_t *counts_json(const uint64_t *counts, uint64_t baselined)
{
	json_t *o = json_object();
	for (unsigned s = 0; s < 3; s++)
		vms_json_set(o, vms_check_sev_name((enum vms_check_sev)s),
		             vms_json_u64(counts[s]));
	vms_json_set(o, "baselined", vms_json_u64(baselined));
	return o;
}

static json_t *input_json(const struct vms_checked *c)
{
	const struct vms_check_result *r = c->result;
	json_t *o = vms_json_model_facts(c->model);
	vms_json_set(o, "layout", vms_json_model_layout(c->model));
	vms_json_set(o, "windows", windows_json(c->model));
	vms_json_set(o, "model", model_json(c->model));
	vms_json_set(o, "counts", counts_json(r->counts, r->nr_baselined));
	json_t *skipped = json_array();
	for (size_t i = 0; i < r->skipped.n; i++) {
		json_t *s = json_object();
		vms_json_set(s, "rule", json_string(vms_rules[r->skipped.v[i].rule].id));
		vms_json_set(s, "reason", jstr(r->skipped.v[i].reason));
		json_array_append_new(skipped, s);
	}
	vms_json_set(o, "skipped", skipped);
	json_t *dropped = json_object();
	for (size_t i = 0; i < vms_nr_rules && i < VMS_CHECK_MAX_RULES; i++)
		if (r->dropped[i])
			vms_json_set(dropped, vms_rules[i].id,
			             vms_json_u64(r->dropped[i]));
	vms_json_set(o, "not_stored", dropped);
	return o;
}

int vms_emit_check_json(FILE *fp, const struct vms_checked *c, size_t n)
{
	struct vms_jw w = {.fp = fp, .indent = 2};
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
	vms_jw_member(&w, "tool", json_string("vmscope"));
	vms_jw_member(&w, "counts", counts_json(counts, baselined));
	vms_jw_key(&w, "findings");
	fputc('[', fp);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < c[i].result->findings.n; j++, k++) {
			fprintf(fp, "%s\n    ", k ? "," : "");
			vms_jw_value(
			    &w, finding_json(c[i].dump, &c[i].result->findings.v[j]), 4);
		}
	fputs(nf ? "\n  ]" : "]", fp);
	if (n == 1)
		vms_jw_member(&w, "layout", vms_json_model_layout(c[0].model));
	vms_jw_key(&w, "inputs");
	fputc('[', fp);
	for (size_t i = 0; i < n; i++) {
		fprintf(fp, "%s\n    ", i ? "," : "");
		vms_jw_value(&w, input_json(&c[i]), 4);
	}
	fputs(n ? "\n  ]\n}\n" : "]\n}\n", fp);
	return w.failed || ferror(fp) ? -VMS_EIO : 0;
}
