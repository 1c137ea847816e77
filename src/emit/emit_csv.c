/*
 * emit_csv.c — areas as CSV rows; the only module that uses libcsv.
 *
 * Operations: vms_emit_csv_header(), vms_emit_csv_rows(), vms_emit_csv().
 * Cost: O(areas + repairs) (repairs are grouped by area once).
 *
 * libcsv's csv_fwrite() writes exactly one field and always quotes it
 * (doubling inner quotes), so separators and row ends are written here.
 * Invariants of the output:
 *  - every row has the same 16 columns as the header, in header order;
 *  - a present value is a quoted field (an empty caller would be ""), an
 *    absent value is an empty, unquoted field, so readers can tell them apart
 *    (libcsv's CSV_EMPTY_IS_NULL, Python's csv with care);
 *  - rows end in "\n" (not CRLF) so the files diff cleanly.
 */
#include "vmscope/emit.h"

#include <csv.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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

/* A present value (quoted by libcsv). */
static void field_str(struct row *r, const char *s)
{
	field_sep(r);
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

static void field_numa(struct row *r, const struct vms_area *a)
{
	char buf[256];
	size_t used = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < a->nr_numa && used < sizeof(buf); i++) {
		int n =
		    snprintf(buf + used, sizeof(buf) - used, "%sN%" PRIu32 "=%" PRIu32,
		             i ? " " : "", a->numa[i].node, a->numa[i].pages);
		if (n < 0 || (size_t)n >= sizeof(buf) - used) {
			buf[used] = '\0'; /* keep whole items only */
			break;
		}
		used += (size_t)n;
	}
	if (a->nr_numa)
		field_str(r, buf);
	else
		field_none(r);
}

static const char *repair_code(const struct vms_dump *d, size_t k)
{
	const char *c = d->repairs.v[k].code;
	return c ? c : "repair";
}

/* Space-separated repair codes of area i, written straight to the field. */
static void field_repairs(struct row *r, const struct vms_dump *d,
                          const struct vms_emit_repair_map *m, size_t i)
{
	size_t lo = m->first[i], hi = m->first[i + 1];
	if (lo == hi) {
		field_none(r);
		return;
	}
	size_t len = 0;
	for (size_t k = lo; k < hi; k++)
		len += strlen(repair_code(d, m->idx[k])) + 1;
	char *buf = vms_xmalloc(len);
	buf[0] = '\0';
	for (size_t k = lo; k < hi; k++) {
		if (k > lo)
			strcat(buf, " ");
		strcat(buf, repair_code(d, m->idx[k]));
	}
	field_str(r, buf);
	free(buf);
}

/* start,end,size,kind,caller,offset,length,module */
static void row_head(struct row *r, const struct vms_dump *d, const struct vms_area *a)
{
	field_addr(r, d, a->start);
	field_addr(r, d, a->end);
	field_dec(r, a->size);
	field_str(r, vms_area_kind_name(a->kind));
	field_opt(r, a->caller);
	if (a->has_offset) {
		field_hex(r, a->offset);
		field_hex(r, a->length);
	} else {
		field_none(r);
		field_none(r);
	}
	field_opt(r, a->module);
}

/* pages,phys,flags,numa */
static void row_details(struct row *r, const struct vms_area *a)
{
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
	field_numa(r, a);
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
	struct vms_emit_repair_map m;
	vms_emit_repair_map_build(&m, d);
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		struct row r = {fp, 0};
		row_head(&r, d, a);
		row_details(&r, a);
		field_dec(&r, a->line);
		field_dec(&r, a->last_line);
		field_repairs(&r, d, &m, i);
		field_str(&r, d->source ? d->source : "-");
		fputc('\n', fp);
	}
	vms_emit_repair_map_free(&m);
	return ferror(fp) ? -VMS_EIO : 0;
}

int vms_emit_csv(FILE *fp, const struct vms_dump *d)
{
	vms_emit_csv_header(fp);
	return vms_emit_csv_rows(fp, d);
}
