/*
 * view_text.c — the viewer's words about the map, without SDL
 * (vmscope/view_text.h): details of an area or a hole for the panel, the
 * tooltips, the hole under an address, the tail of a command's stderr,
 * and the input lines an area came from.
 *
 * Each text is written to a memory stream with the writers' own
 * formatters (sizes, address widths, flag words, escaping) and then cut
 * into lines, so the viewer and the CLI say a thing the same way and
 * nothing from the input reaches the font unescaped. The hole lookup
 * walks the model's sorted order from one binary search.
 *
 * Costs: area details O(NUMA entries + quoted bytes); hole details
 * O(windows + log n); the hole lookup O(log n + windows); the tail
 * O(text); the source index O(text) once, then O(1) a line.
 *
 * Invariants: every line handed out is NUL-terminated valid UTF-8 of at
 * most VMS_TEXT_LINE_MAX - 1 bytes; out->n <= VMS_TEXT_LINES.
 */
#include "vmscope/view_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/emit.h"
#include "vmscope/report.h"

/* Quoted source lines per area at most (a wrapped entry spans several). */
#define QUOTE_LINES 4

/* ---- lines ------------------------------------------------------------- */

/* A text being written: a memory stream, cut into lines at the end. */
struct writer {
	FILE *fp;
	char *buf;
	size_t size;
};

static void open_writer(struct writer *w)
{
	w->buf = NULL;
	w->size = 0;
	w->fp = open_memstream(&w->buf, &w->size);
	if (!w->fp)
		vms_oom(0);
}

static void push_line(struct vms_text_lines *out, const char *s, size_t n)
{
	if (out->n >= VMS_TEXT_LINES)
		return;
	n = vms_utf8_clip(s, n, VMS_TEXT_LINE_MAX - 1);
	memcpy(out->line[out->n], s, n);
	out->line[out->n++][n] = '\0';
}

/* Closes the stream and appends its lines ("\n"-separated) to *out. */
static void close_writer(struct writer *w, struct vms_text_lines *out)
{
	if (fclose(w->fp) != 0)
		vms_oom(w->size);
	const char *p = w->buf, *e = w->buf + w->size;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *end = nl ? nl : e;
		push_line(out, p, (size_t)(end - p));
		p = nl ? nl + 1 : e;
	}
	free(w->buf);
}

/* Closes the stream and copies its text into buf[0..len), cut at a UTF-8
 * character boundary. */
static void close_writer_into(struct writer *w, char *buf, size_t len)
{
	if (fclose(w->fp) != 0)
		vms_oom(w->size);
	if (len) {
		size_t n = vms_utf8_clip(w->buf, w->size, len - 1);
		memcpy(buf, w->buf, n);
		buf[n] = '\0';
	}
	free(w->buf);
}

/* A tab shows as a blank (the escaping would print \x09). */
static const char *tab_as_blank(unsigned char c, const void *ctx)
{
	(void)ctx;
	return c == '\t' ? " " : NULL;
}

/* Input text, escaped as the CLI escapes it (tabs as blanks); at most
 * VMS_TEXT_LINE_MAX bytes of it are read. */
static void put_input(FILE *fp, const char *s, size_t n)
{
	static const struct vms_escape how = {.special = tab_as_blank};
	vms_emit_escaped_as(fp, s, vms_utf8_clip(s, n, VMS_TEXT_LINE_MAX), &how);
}

static void put_input_str(FILE *fp, const char *s)
{
	put_input(fp, s, strlen(s));
}

/* "0xSTART-0xEND" in the dump's address width. */
static void put_range(FILE *fp, const struct vms_dump *d, uint64_t start, uint64_t end)
{
	int w = vms_emit_addr_digits(d, start > end ? start : end);
	fprintf(fp, "0x%0*" PRIx64 "-0x%0*" PRIx64, w, start, w, end);
}

static const char *size_str(uint64_t n, char buf[static 32])
{
	return vms_format_size(n, buf, 32);
}

/* ---- the source lines -------------------------------------------------- */

void vms_view_text_source_init(struct vms_text_source *s, const char *text, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->text = text;
	s->len = len;
	char eol =
	    len && !memchr(text, '\n', len) && memchr(text, '\r', len) ? '\r' : '\n';
	size_t at = 0;
	while (at < len) {
		vms_vec_push(&s->starts, at);
		const char *nl = memchr(text + at, eol, len - at);
		at = nl ? (size_t)(nl - text) + 1 : len;
	}
}

void vms_view_text_source_fini(struct vms_text_source *s)
{
	if (!s)
		return;
	free(s->starts.v);
	memset(s, 0, sizeof(*s));
}

const char *vms_view_text_source_line(const struct vms_text_source *s, uint32_t line,
                                      size_t *len)
{
	if (!line || line > s->starts.n)
		return NULL;
	size_t a = s->starts.v[line - 1];
	size_t b = line < s->starts.n ? s->starts.v[line] : s->len;
	while (b > a && (s->text[b - 1] == '\n' || s->text[b - 1] == '\r'))
		b--;
	*len = b - a;
	return s->text + a;
}

/* ---- an area ----------------------------------------------------------- */

/* "size: 8 KiB (1 page + guard)": pages= when printed, else the size
 * without the guard page; an unpurged area maps nothing. */
static void put_size(FILE *fp, const struct vms_aspace *m, size_t i)
{
	const struct vms_area *a = &m->dump->areas.v[i];
	uint64_t g = vms_aspace_guard_bytes(m, i), pages;
	char sz[32];
	fprintf(fp, "size: %s", size_str(a->size, sz));
	if (a->has_pages)
		pages = a->pages;
	else if (m->kind[i] != VMS_AK_UNPURGED && m->page_size)
		pages = a->size > g ? (a->size - g) / m->page_size : 0;
	else
		pages = UINT64_MAX;
	if (pages != UINT64_MAX)
		fprintf(fp, " (%" PRIu64 " page%s%s)", pages, pages == 1 ? "" : "s",
		        g ? " + guard" : "");
	else if (g)
		fputs(" (+ guard)", fp);
	fputc('\n', fp);
}

/* "phys=..." in the form it was printed: "%llx" (<= 4.10) or "%pa". */
static void put_phys(FILE *fp, const struct vms_area *a)
{
	if (!a->has_phys)
		return;
	if (a->phys_form == VMS_PHYS_PLAIN)
		fprintf(fp, "phys=%" PRIx64 "\n", a->phys);
	else
		fprintf(fp, "phys=0x%0*" PRIx64 "\n",
		        a->phys_form == VMS_PHYS_PA64 ? 16 : 8, a->phys);
}

/* "caller: sym+0xOFF/0xLEN" and "module: name", when the area has them. */
static void put_caller(FILE *fp, const struct vms_dump *d, const struct vms_area *a)
{
	const char *caller = vms_area_caller(d, a), *module = vms_area_module(d, a);
	if (caller) {
		fputs("caller: ", fp);
		put_input_str(fp, caller);
		if (a->has_offset)
			fprintf(fp, "+0x%" PRIx32 "/0x%" PRIx32, a->offset, a->length);
		fputc('\n', fp);
	}
	if (module) {
		fputs("module: ", fp);
		put_input_str(fp, module);
		fputc('\n', fp);
	}
}

/* "NUMA: N0=3 N1=2" and the extra words, when any. */
static void put_numa_extra(FILE *fp, const struct vms_dump *d, size_t i)
{
	uint32_t nr;
	const struct vms_numa *numa = vms_dump_numa(d, i, &nr);
	if (nr) {
		fputs("NUMA:", fp);
		for (uint32_t k = 0; k < nr; k++)
			fprintf(fp, " N%" PRIu32 "=%" PRIu32, numa[k].node,
			        numa[k].pages);
		fputc('\n', fp);
	}
	const char *extra = vms_dump_extra(d, i);
	if (extra && extra[0]) {
		fputs("extra: ", fp);
		put_input_str(fp, extra);
		fputc('\n', fp);
	}
}

/* The entry of area i on a line that holds several (glued): from its
 * column to the next entry's, "..." marking what is left out. */
static void put_glued(FILE *fp, const struct vms_dump *d, size_t i, const char *text,
                      size_t n)
{
	const struct vms_area_src *s = &d->src.v[i];
	size_t from = s->col ? s->col - 1 : 0, to = n;
	if (i + 1 < d->src.n && d->src.v[i + 1].line == s->line &&
	    d->src.v[i + 1].col > s->col)
		to = d->src.v[i + 1].col - 1 < n ? d->src.v[i + 1].col - 1 : n;
	from = from < to ? from : 0;
	while (to > from && (text[to - 1] == ' ' || text[to - 1] == '\t'))
		to--;
	fputs(from ? "..." : "", fp);
	put_input(fp, text + from, to - from);
	fputs(to < n ? " ..." : "", fp);
}

/* "source: FILE line N" (or "lines N-M"), the repairs, and the lines
 * themselves when the text is at hand. */
static void put_source(FILE *fp, const struct vms_dump *d, size_t i,
                       const struct vms_text_source *src)
{
	const struct vms_area_src *s = &d->src.v[i];
	if (!s->line)
		return;
	fputs("source: ", fp);
	put_input_str(fp, vms_emit_source_name(d));
	if (s->last_line > s->line)
		fprintf(fp, " lines %" PRIu32 "-%" PRIu32 "\n", s->line, s->last_line);
	else
		fprintf(fp, " line %" PRIu32 "\n", s->line);
	if (s->repairs) {
		char codes[256];
		fprintf(fp, "repaired: %s\n",
		        vms_emit_repair_codes(d, i, " ", codes, 256));
	}
	for (uint32_t l = s->line; src && l <= s->last_line; l++) {
		size_t n;
		const char *text = vms_view_text_source_line(src, l, &n);
		if (!text)
			break;
		if (l - s->line == QUOTE_LINES) {
			fputs("  ...\n", fp);
			break;
		}
		fputs("  ", fp);
		if (l == s->line && (s->repairs & VMS_R_SPLIT_GLUED))
			put_glued(fp, d, i, text, n);
		else
			put_input(fp, text, n);
		fputc('\n', fp);
	}
}

void vms_view_text_area(struct vms_text_lines *out, const struct vms_aspace *m, size_t i,
                        const struct vms_text_source *src)
{
	const struct vms_dump *d = m->dump;
	const struct vms_area *a = &d->areas.v[i];
	struct writer w;
	char words[96];
	out->n = 0;
	open_writer(&w);
	put_range(w.fp, d, a->start, a->end);
	fputc('\n', w.fp);
	put_size(w.fp, m, i);
	fprintf(w.fp, "kind: %s, guard: %s\n", vms_akind_name((enum vms_akind)m->kind[i]),
	        vms_guard_name((enum vms_guard)m->guard[i]));
	put_phys(w.fp, a);
	if (a->flags)
		fprintf(w.fp, "flags: %s\n",
		        vms_emit_flag_words(a->flags, " ", words, sizeof(words)));
	put_caller(w.fp, d, a);
	put_numa_extra(w.fp, d, i);
	if (a->geom != VMS_GEOM_TRUSTED)
		fprintf(w.fp, "geometry: %s\n", vms_geom_name((enum vms_geom)a->geom));
	put_source(w.fp, d, i, src);
	close_writer(&w, out);
}

/* ---- a hole ------------------------------------------------------------ */

/* Index of the window holding addr, or -1. O(windows). */
static int32_t window_of(const struct vms_aspace *m, uint64_t addr)
{
	for (size_t k = 0; k < m->windows.n; k++)
		if (addr >= m->windows.v[k].start && addr < m->windows.v[k].end)
			return (int32_t)k;
	return -1;
}

/* The report's row of model window k, or NULL. */
static const struct vms_report_window *
report_window(const struct vms_report *r, const struct vms_aspace *m, int32_t k)
{
	for (size_t j = 0; r && k >= 0 && j < r->windows.n; j++)
		if (r->windows.v[j].window == &m->windows.v[k])
			return &r->windows.v[j];
	return NULL;
}

/* The cause, its evidence, and the window's largest requests when they
 * lie in [start, end). */
static void put_cause(FILE *fp, const struct vms_report *r,
                      const struct vms_report_window *rw, uint64_t start, uint64_t end)
{
	struct vms_hole_why why;
	char ev[512], a[32], b[32];
	int dg = vms_emit_addr_digits(r->dump, end);
	vms_report_explain(r, rw, start, end, &why);
	fprintf(fp, "cause: %s\n", vms_hole_cause_name((enum vms_hole_cause)why.cause));
	put_input_str(fp, vms_report_evidence(r, &why, ev, sizeof(ev)));
	fputc('\n', fp);
	if (rw->max_vmalloc && rw->max_vmalloc_at >= start && rw->max_vmalloc_at < end)
		fprintf(fp, "largest vmalloc() here: %s at 0x%0*" PRIx64 "\n",
		        size_str(rw->max_vmalloc, a), dg, rw->max_vmalloc_at);
	if (rw->max_ioremap && rw->max_ioremap_at >= start && rw->max_ioremap_at < end)
		fprintf(fp,
		        "largest ioremap() here: %s aligned to %s at 0x%0*" PRIx64 "\n",
		        size_str(rw->max_ioremap, a), size_str(rw->max_ioremap_align, b),
		        dg, rw->max_ioremap_at);
}

void vms_view_text_hole(struct vms_text_lines *out, const struct vms_aspace *m,
                        const struct vms_report *r, uint64_t start, uint64_t end)
{
	struct writer w;
	char sz[32];
	out->n = 0;
	open_writer(&w);
	fputs("free ", w.fp);
	put_range(w.fp, m->dump, start, end);
	fprintf(w.fp, "\nsize: %s\n", size_str(end - start, sz));
	int32_t k = window_of(m, start);
	const struct vms_region *reg = vms_aspace_region_of(m, start);
	if (k >= 0)
		fprintf(w.fp, "window: %s\n", m->regions.v[m->windows.v[k].region].name);
	else if (reg)
		fprintf(w.fp, "region: %s, no allocation window\n", reg->name);
	else
		fputs("outside every region\n", w.fp);
	const struct vms_report_window *rw = report_window(r, m, k);
	if (rw)
		put_cause(w.fp, r, rw, start, end);
	close_writer(&w, out);
}

/* ---- tooltips ---------------------------------------------------------- */

const char *vms_view_text_tip_area(const struct vms_aspace *m, size_t i, char *buf,
                                   size_t len)
{
	const struct vms_dump *d = m->dump;
	const struct vms_area *a = &d->areas.v[i];
	struct writer w;
	char sz[32];
	open_writer(&w);
	fprintf(w.fp, "%s ", vms_akind_name((enum vms_akind)m->kind[i]));
	put_range(w.fp, d, a->start, a->end);
	fprintf(w.fp, " %s", size_str(a->size, sz));
	const char *caller = vms_area_caller(d, a), *module = vms_area_module(d, a);
	if (caller) {
		fputc(' ', w.fp);
		put_input_str(w.fp, caller);
		if (a->has_offset)
			fprintf(w.fp, "+0x%" PRIx32 "/0x%" PRIx32, a->offset, a->length);
	}
	if (module) {
		fputs(" [", w.fp);
		put_input_str(w.fp, module);
		fputc(']', w.fp);
	}
	close_writer_into(&w, buf, len);
	return buf;
}

const char *vms_view_text_tip_hole(const struct vms_aspace *m, uint64_t start,
                                   uint64_t end, char *buf, size_t len)
{
	int w = vms_emit_addr_digits(m->dump, end);
	char sz[32];
	snprintf(buf, len, "free 0x%0*" PRIx64 "-0x%0*" PRIx64 " %s", w, start, w, end,
	         size_str(end - start, sz));
	return buf;
}

/* ---- the tail of a text ------------------------------------------------ */

void vms_view_text_tail(struct vms_text_lines *out, const char *text, size_t n)
{
	out->n = 0;
	size_t len = text ? strlen(text) : 0;
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	if (n > VMS_TEXT_LINES)
		n = VMS_TEXT_LINES;
	if (!len || !n)
		return;
	size_t from = len, lines = 0; /* back over n line ends */
	while (from && lines < n) {
		from--;
		if (text[from] == '\n' && ++lines == n) {
			from++;
			break;
		}
	}
	struct writer w;
	open_writer(&w);
	const char *p = text + from, *e = text + len;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *end = nl ? nl : e;
		size_t k = (size_t)(end - p);
		put_input(w.fp, p, k && p[k - 1] == '\r' ? k - 1 : k);
		fputc('\n', w.fp);
		p = nl ? nl + 1 : e;
	}
	close_writer(&w, out);
}

/* ---- the hole under an address ----------------------------------------- */

int vms_view_hole_at(const struct vms_view *v, uint64_t addr, struct vms_view_hole *h)
{
	const struct vms_aspace *m = v->m;
	const struct vms_area *areas = m->dump->areas.v;
	if (addr < v->lo || addr >= v->hi)
		return -VMS_ERANGE;
	size_t k = vms_aspace_first_at(m, addr); /* first starting at or after */
	uint64_t start = v->lo, end = v->hi;
	if (k < m->nr_order)
		end = areas[m->order[k]].start;
	if (k > 0) {
		const struct vms_area *before = &areas[m->order[k - 1]];
		if (before->end > addr)
			return -VMS_ERANGE;
		start = before->end > start ? before->end : start;
	}
	if (end <= addr)
		return -VMS_ERANGE; /* an area starts at addr */
	/* a window bounds its holes; the space outside stops at the windows */
	h->window = -1;
	for (size_t j = 0; j < m->windows.n; j++) {
		const struct vms_window *w = &m->windows.v[j];
		if (w->end <= addr) {
			start = w->end > start ? w->end : start;
		} else if (w->start > addr) {
			end = w->start < end ? w->start : end;
		} else {
			h->window = (int32_t)j;
			start = w->start > start ? w->start : start;
			end = w->end < end ? w->end : end;
		}
	}
	h->start = start;
	h->end = end;
	return 0;
}
