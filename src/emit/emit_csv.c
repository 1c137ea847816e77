/*
 * emit_csv.c — areas as CSV rows (`parse --format csv`) and the caller
 * table of `report --format csv`; the only module that uses libcsv.
 *
 * Operations: vms_emit_csv_header(), vms_emit_csv_rows(), vms_emit_csv();
 * vms_emit_report_csv(). Cost: O(areas + repairs) (repairs are grouped by
 * area once); the report table O(callers) per input.
 *
 * libcsv's csv_fwrite() writes exactly one field and always quotes it
 * (doubling inner quotes), so separators and row ends are written here.
 * Invariants of the output:
 *  - every row has the same columns as the header, in header order (16
 *    for areas, 8 for the report table);
 *  - a present value is a quoted field (an empty caller would be ""), an
 *    absent value is an empty, unquoted field, so readers can tell them apart
 *    (libcsv's CSV_EMPTY_IS_NULL, Python's csv with care);
 *  - rows end in "\n" (not CRLF) so the files diff cleanly;
 *  - control bytes from the input are escaped as \xNN (vms_emit_escaped), as
 *    in every text writer, so a CSV shown on a terminal cannot drive it.
 */
#include "vmscope/emit.h"

#include <csv.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/emit_report.h"

static const char *const columns[] = {
    "start", "end",  "size",  "kind", "caller", "offset",    "length",  "module",
    "pages", "phys", "flags", "numa", "line",   "last_line", "repairs", "source",
};
#define NR_COLUMNS (sizeof(columns) / sizeof(columns[0]))

/* One row being written: counts fields to place separators. */
struct row {
	FILE *fp;
	unsigned nfield;
};

static void field_sep(struct row *r)
{
	if (r->nfield++)
		fputc(',', r->fp);
}

static bool needs_escape(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			return true;
	return false;
}

/* A present value (quoted by libcsv). */
static void field_str(struct row *r, const char *s)
{
	field_sep(r);
	char *esc = NULL;
	size_t len = 0;
	FILE *m = needs_escape(s) ? open_memstream(&esc, &len) : NULL;
	if (m) {
		vms_emit_escaped(m, s, strlen(s), true);
		fclose(m);
		csv_fwrite(r->fp, esc, len);
		free(esc);
		return;
	}
	csv_fwrite(r->fp, s, strlen(s));
}

/* An absent value: an empty unquoted field. */
static void field_none(struct row *r)
{
	field_sep(r);
}

static void field_opt(struct row *r, const char *s)
{
	if (s)
		field_str(r, s);
	else
		field_none(r);
}

static void field_dec(struct row *r, uint64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	field_str(r, buf);
}

static void field_hex(struct row *r, uint64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	field_str(r, buf);
}

static void field_addr(struct row *r, const struct vms_dump *d, uint64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "0x%0*" PRIx64, vms_emit_addr_digits(d, v), v);
	field_str(r, buf);
}

/* "N0=3 N1=2": every entry (the field grows as needed). */
static void field_numa(struct row *r, const struct vms_dump *d, size_t i)
{
	uint32_t nr;
	const struct vms_numa *numa = vms_dump_numa(d, i, &nr);
	if (!nr) {
		field_none(r);
		return;
	}
	char *buf = vms_xmalloc((size_t)nr * 24 + 1);
	size_t used = 0;
	for (uint32_t k = 0; k < nr; k++)
		used += (size_t)sprintf(buf + used, "%sN%" PRIu32 "=%" PRIu32,
		                        k ? " " : "", numa[k].node, numa[k].pages);
	field_str(r, buf);
	free(buf);
}

/* Space-separated repair codes of area i. */
static void field_repairs(struct row *r, const struct vms_dump *d, size_t i)
{
	char buf[512];
	if (!d->src.v[i].repairs)
		field_none(r);
	else
		field_str(r, vms_emit_repair_codes(d, i, " ", buf, sizeof(buf)));
}

/* start,end,size,kind,caller,offset,length,module */
static void row_head(struct row *r, const struct vms_dump *d, const struct vms_area *a)
{
	field_addr(r, d, a->start);
	field_addr(r, d, a->end);
	field_dec(r, a->size);
	field_str(r, vms_area_kind_name(a->kind));
	field_opt(r, vms_area_caller(d, a));
	if (a->has_offset) {
		field_hex(r, a->offset);
		field_hex(r, a->length);
	} else {
		field_none(r);
		field_none(r);
	}
	field_opt(r, vms_area_module(d, a));
}

/* pages,phys,flags,numa */
static void row_details(struct row *r, const struct vms_dump *d, size_t i)
{
	const struct vms_area *a = &d->areas.v[i];
	char words[96];
	if (a->has_pages)
		field_dec(r, a->pages);
	else
		field_none(r);
	if (a->has_phys)
		field_hex(r, a->phys);
	else
		field_none(r);
	if (a->flags)
		field_str(r, vms_emit_flag_words(a->flags, " ", words, sizeof(words)));
	else
		field_none(r);
	field_numa(r, d, i);
}

int vms_emit_csv_header(FILE *fp)
{
	struct row r = {fp, 0};
	for (size_t i = 0; i < NR_COLUMNS; i++)
		field_str(&r, columns[i]);
	fputc('\n', fp);
	return ferror(fp) ? -VMS_EIO : 0;
}

int vms_emit_csv_rows(FILE *fp, const struct vms_dump *d)
{
	for (size_t i = 0; i < d->areas.n; i++) {
		struct row r = {fp, 0};
		row_head(&r, d, &d->areas.v[i]);
		row_details(&r, d, i);
		field_dec(&r, d->src.v[i].line);
		field_dec(&r, d->src.v[i].last_line);
		field_repairs(&r, d, i);
		field_str(&r, d->source ? d->source : "-");
		fputc('\n', fp);
	}
	return ferror(fp) ? -VMS_EIO : 0;
}

int vms_emit_csv(FILE *fp, const struct vms_dump *d)
{
	int rc = vms_emit_csv_header(fp);
	int rc2 = vms_emit_csv_rows(fp, d);
	return rc ? rc : rc2;
}

/* ---- the caller table of `vmscope report` -------------------------------- */

static const char *const report_columns[] = {
    "file", "caller", "module", "kind", "areas", "bytes", "pages", "share",
};
#define NR_REPORT_COLUMNS (sizeof(report_columns) / sizeof(report_columns[0]))

/* areas,bytes,pages,share: share is bytes / total as a fraction, 4 digits
 * (0.0000 when the input has no bytes at all). */
static void usage_fields(struct row *r, const struct vms_usage *u, uint64_t total)
{
	char buf[32];
	field_dec(r, u->count);
	field_dec(r, u->bytes);
	field_dec(r, u->pages);
	snprintf(buf, sizeof(buf), "%.4f",
	         total ? (double)u->bytes / (double)total : 0.0);
	field_str(r, buf);
}

/* One input: its top callers, then "[other]" when rows were left out (no
 * module, no kind: absent fields). */
static void report_rows(FILE *fp, const struct vms_report *rep, size_t top)
{
	const char *file = vms_emit_report_source(rep);
	struct vms_usage other;
	size_t shown = vms_report_top(rep->callers.v, rep->callers.n, top, &other);
	for (size_t i = 0; i < shown; i++) {
		const struct vms_report_group *g = &rep->callers.v[i];
		struct row r = {fp, 0};
		field_str(&r, file);
		field_str(&r, g->name);
		field_opt(&r, g->module);
		field_str(&r, vms_akind_name(g->kind));
		usage_fields(&r, &g->u, rep->total.bytes);
		fputc('\n', fp);
	}
	if (!other.count)
		return;
	struct row r = {fp, 0};
	field_str(&r, file);
	field_str(&r, "[other]");
	field_none(&r);
	field_none(&r);
	usage_fields(&r, &other, rep->total.bytes);
	fputc('\n', fp);
}

int vms_emit_report_csv(FILE *fp, const struct vms_report *const *r, size_t n,
                        const struct vms_report_view *v)
{
	struct row head = {fp, 0};
	for (size_t i = 0; i < NR_REPORT_COLUMNS; i++)
		field_str(&head, report_columns[i]);
	fputc('\n', fp);
	for (size_t i = 0; i < n; i++)
		report_rows(fp, r[i], v ? v->top : 0);
	return ferror(fp) ? -VMS_EIO : 0;
}
