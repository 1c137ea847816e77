/*
 * emit_report.c — the human text of `vmscope report`: a summary line and
 * the input's facts first, then the details — regions with a bar of each
 * allocation window, usage by kind, the top callers and modules, the holes
 * of each window and why they exist, and the findings in brief. Fits 80
 * columns; the bar takes the terminal's width.
 *
 * The bar: one cell per slice of the window; the glyph says how much of
 * the slice areas cover (Unicode shades, or " .:+#" without UTF-8), the
 * colour (on a terminal) or a letter row (elsewhere) the kind holding most
 * of it. Cost: O(areas + cells) per window.
 */
#include <stdlib.h>
#include <string.h>

#include "emit_int.h"
#include "vmscope/emit.h"
#include "vmscope/emit_report.h"

/* Kind letters and ANSI colours, in enum vms_akind order. */
static const char kind_letter[VMS_NR_AKINDS] = {'v', 'i', 'm', 'u', 'r',
                                                'l', 'p', 'k', 'o'};
static const char *const kind_sgr[VMS_NR_AKINDS] = {
    "32", "33", "34", "35", "36", "90", "31", "94", "37",
};

const char *vms_emit_report_source(const struct vms_report *r)
{
	return vms_emit_source_name(r->dump);
}

static const char *size_str(uint64_t n, char *buf)
{
	return vms_format_size(n, buf, 32);
}

static double share(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void heading(FILE *fp, const struct vms_report_view *v, const char *text)
{
	vms_emit_heading(fp, text, v->color);
	fputc('\n', fp);
}

/* "1 error", "2 errors" */
static void counted(FILE *fp, uint64_t n, const char *what)
{
	fprintf(fp, "%llu %s%s", (unsigned long long)n, what, n == 1 ? "" : "s");
}

static void put_escaped(FILE *fp, const char *s)
{
	vms_emit_escaped(fp, s, strlen(s), false);
}

/* ---- summary ---------------------------------------------------------------- */

static const struct vms_report_window *vmalloc_window(const struct vms_report *r)
{
	for (size_t i = 0; i < r->windows.n; i++)
		if (r->windows.v[i].region->kind == VMS_RK_VMALLOC)
			return &r->windows.v[i];
	return r->windows.n ? &r->windows.v[0] : NULL;
}

/* Two lines: the input with its areas and findings, then the vmalloc
 * window's usage and largest hole (when there are addresses). */
static void summary_line(FILE *fp, const struct vms_report *r)
{
	char a[32], b[32], c[32];
	const struct vms_report_window *w = vmalloc_window(r);
	put_escaped(fp, vms_emit_report_source(r));
	fputs(": ", fp);
	vms_emit_listing_tag(fp, r->dump);
	counted(fp, r->total.count, "area");
	fprintf(fp, ", %s", size_str(r->total.bytes, a));
	if (r->findings) {
		fputs("; ", fp);
		vms_emit_check_counts(fp, r->findings);
	}
	fputc('\n', fp);
	if (r->model->meminfo.incomplete)
		fputs("  free space not known: the dump is incomplete (/proc/meminfo)\n",
		      fp);
	else if (r->model->not_free)
		fputs("  free space not known: the listing was filtered\n", fp);
	if (!w)
		return;
	fprintf(fp, "  %s %.1f%% used (%s of %s), ", w->region->name,
	        share(w->used, w->size), size_str(w->used, b), size_str(w->size, c));
	if (w->largest)
		fprintf(fp, "largest hole %s at 0x%llx", size_str(w->largest, a),
		        (unsigned long long)w->largest_start);
	else
		fputs("no free hole", fp);
	fputs(w->window->bounds ? "; bounds from the areas\n" : "\n", fp);
}

/* Why the window is not its region: one line per bound the areas set. */
static void window_bounds(FILE *fp, const struct vms_report_window *w)
{
	const struct vms_window *mw = w->window;
	char a[32];
	if (mw->bounds & VMS_WB_SPAN)
		fputs(
		    "  bounds: the span of the areas (no layout, no arch profile): free "
		    "space outside it is not known\n",
		    fp);
	if (mw->bounds & VMS_WB_LOW_AREA)
		fprintf(
		    fp,
		    "  bounds: from the lowest area; VMALLOC_START is not known (no boot "
		    "layout, no RAM size) and may lie up to %s lower\n",
		    size_str(mw->start - w->region->start, a));
	if (mw->bounds & VMS_WB_HIGH_PERCPU)
		fprintf(fp,
		        "  bounds: to the highest area, with the per-cpu chunks that are "
		        "placed top-down from VMALLOC_END; the profile's end lies %s "
		        "higher\n",
		        size_str(w->region->end - mw->end, a));
}

static void write_facts(FILE *fp, const struct vms_report *r)
{
	const struct vms_dump *d = r->dump;
	const struct vms_aspace *m = r->model;
	fprintf(fp, "  addresses  %s", vms_visibility_name(d->visibility));
	if (!m->geometry)
		fprintf(fp, ": %s", m->no_geometry);
	fprintf(fp, "\n  kernel     ");
	if (d->kernel_major)
		fprintf(fp, "%d.%d (%s)", d->kernel_major, d->kernel_minor,
		        d->kernel_source ? d->kernel_source : "?");
	else
		fputs("unknown", fp);
	if (d->era) {
		fputs("; era: ", fp);
		put_escaped(fp, d->era);
	}
	fprintf(fp, "\n  arch       %s", m->arch ? m->arch : "unknown");
	if (m->profile)
		fprintf(fp, " (profile %s)", m->profile->name);
	if (m->arch_source) {
		fputs(": ", fp);
		put_escaped(fp, m->arch_source);
	}
	fprintf(fp, "\n  regions    from the %s: ",
	        m->layout_source == VMS_RS_LOG       ? "boot log"
	        : m->layout_source == VMS_RS_PROFILE ? "arch profile"
	                                             : "areas (inferred)");
	put_escaped(fp, m->layout_why ? m->layout_why : "");
	fputc('\n', fp);
}

static const char *const meminfo_era_text[] = {
    "", "what they count is not known (no version, no VmallocChunk)",
    "computed from the areas (<= 4.3)", "printed as 0 (4.4 - 5.2): not compared",
    "VmallocUsed counts vmalloc pages (5.3+)"};

/* The /proc/meminfo facts and the dump's figures beside them. */
static void write_meminfo(FILE *fp, const struct vms_report *r)
{
	const struct vms_meminfo *mi = &r->dump->log->meminfo;
	const struct vms_meminfo_cmp *x = &r->model->meminfo;
	if (!mi->total.line && !mi->used.line && !mi->chunk.line && !mi->percpu.line)
		return;
	fputs("  meminfo   ", fp);
	if (mi->file) {
		fputc(' ', fp);
		put_escaped(fp, mi->file);
		fputc(':', fp);
	}
	if (mi->total.line) {
		fprintf(fp, " VmallocTotal %llu kB (line %u)",
		        (unsigned long long)mi->total.kb, mi->total.line);
		if (x->has_total)
			fprintf(fp, ", region %llu kB%s",
			        (unsigned long long)x->region_kb,
			        x->total_set_start ? " (it placed VMALLOC_START)" : "");
		fputc(';', fp);
	}
	if (mi->used.line) {
		fprintf(fp, " VmallocUsed %llu kB (line %u)",
		        (unsigned long long)mi->used.kb, mi->used.line);
		if (x->compared)
			fprintf(fp, ", the dump %llu kB", (unsigned long long)x->used_kb);
		fputc(';', fp);
	}
	if (mi->chunk.line) {
		fprintf(fp, " VmallocChunk %llu kB (line %u)",
		        (unsigned long long)mi->chunk.kb, mi->chunk.line);
		if (x->has_chunk)
			fprintf(fp, ", the dump %llu kB at 0x%llx",
			        (unsigned long long)x->chunk_kb,
			        (unsigned long long)x->chunk_start);
		fputc(';', fp);
	}
	if (mi->percpu.line)
		fprintf(fp, " Percpu %llu kB (line %u);",
		        (unsigned long long)mi->percpu.kb, mi->percpu.line);
	if (x->era_conflict)
		fprintf(fp,
		        " printed as %s does, not the printed version's kernel: "
		        "another kernel's meminfo? not compared",
		        x->era == VMS_MI_ZERO ? "a 4.4+ kernel" : "a kernel before 4.4");
	else if (x->era != VMS_MI_NONE)
		fprintf(fp, " %s", meminfo_era_text[x->era]);
	if (x->incomplete) {
		fputs("; incomplete: ", fp);
		put_escaped(fp, x->incomplete);
	}
	fputc('\n', fp);
}

/* Writes line[0..len) in lines of at most width columns (bytes), broken
 * at blanks, the continuations indented by indent. */
/* Where to break line[0..len) to fit room bytes: after the first ": "
 * when name_first and the rest then fits in rest bytes (a long file
 * name), else at the blank after the last "; " or ", " in the second
 * half, else the last blank there; 0 when there is none. */
static size_t break_at(const char *line, size_t len, size_t room, size_t rest,
                       bool name_first)
{
	const char *colon = name_first ? memchr(line, ':', room) : NULL;
	if (colon && colon[1] == ' ' && len - (size_t)(colon + 2 - line) <= rest)
		return (size_t)(colon + 1 - line);
	for (size_t cut = room; cut > room / 2; cut--)
		if (line[cut] == ' ' && (line[cut - 1] == ';' || line[cut - 1] == ','))
			return cut;
	for (size_t cut = room; cut > room / 2; cut--)
		if (line[cut] == ' ')
			return cut;
	return 0;
}

static void put_wrapped_line(FILE *fp, const char *line, size_t len, size_t width,
                             size_t indent, bool name_first)
{
	size_t room = width, lead = 0;
	size_t rest = width > indent + 20 ? width - indent : 20;
	while (len > room) {
		size_t cut = break_at(line, len, room, rest, name_first && !lead);
		if (!cut)
			cut = vms_utf8_clip(line, len, room); /* no blank: cut hard */
		fprintf(fp, "%*s%.*s\n", (int)lead, "", (int)cut, line);
		while (cut < len && line[cut] == ' ')
			cut++;
		line += cut;
		len -= cut;
		lead = indent;
		room = rest;
	}
	fprintf(fp, "%*s%.*s\n", (int)lead, "", (int)len, line);
}

/* Writes what write() prints for r, each line wrapped to the terminal's
 * width with continuations indented by indent (name_first: a line that
 * starts with a long file name breaks after it). */
static void wrapped(FILE *fp, void (*write)(FILE *, const struct vms_report *),
                    const struct vms_report *r, const struct vms_report_view *v,
                    size_t indent, bool name_first)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *ms = open_memstream(&buf, &len);
	if (!ms) {
		write(fp, r);
		return;
	}
	write(ms, r);
	fclose(ms);
	size_t width = v->width ? v->width : 80;
	for (char *p = buf, *nl; p < buf + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		if (!nl)
			nl = buf + len;
		put_wrapped_line(fp, p, (size_t)(nl - p), width, indent, name_first);
	}
	free(buf);
}

/* ---- the bar ---------------------------------------------------------------- */

struct cell {
	uint64_t covered;
	uint64_t by_kind[VMS_NR_AKINDS];
};

/* Adds [s, e) of kind k to the cells of width cw from ws; the last cell
 * ends at wend (ws + the span; a window may end at the top of the space,
 * where ws + cells * cw would wrap). */
static void spread(struct cell *c, size_t cells, uint64_t ws, uint64_t wend, uint64_t cw,
                   uint64_t s, uint64_t e, uint8_t k)
{
	for (size_t j = (size_t)((s - ws) / cw); j < cells && s < e; j++) {
		uint64_t cend = j + 1 == cells ? wend : ws + (j + 1) * cw;
		uint64_t part = (e < cend ? e : cend) - s;
		c[j].covered += part;
		c[j].by_kind[k] += part;
		s += part;
	}
}

static uint8_t dominant(const struct cell *c)
{
	uint8_t best = 0;
	for (uint8_t k = 1; k < VMS_NR_AKINDS; k++)
		if (c->by_kind[k] > c->by_kind[best])
			best = k;
	return best;
}

static const char *glyph(const struct cell *c, uint64_t cap, bool unicode)
{
	static const char *const uni[] = {" ", "\u2591", "\u2592", "\u2593", "\u2588"};
	static const char *const ascii[] = {" ", ".", ":", "+", "#"};
	unsigned level = 0;
	if (c->covered)
		level = c->covered >= cap ? 4 : 1 + (unsigned)(3 * c->covered / cap);
	level = level > 4 ? 4 : level;
	return unicode ? uni[level] : ascii[level];
}

static void bar_rows(FILE *fp, const struct cell *c, size_t cells, uint64_t cw,
                     uint64_t last, const struct vms_report_view *v)
{
	fputs("  |", fp);
	for (size_t j = 0; j < cells; j++) {
		uint64_t cap = j + 1 == cells ? last : cw;
		if (v->color && c[j].covered)
			fprintf(fp, "\033[%sm%s" SGR_RESET, kind_sgr[dominant(&c[j])],
			        glyph(&c[j], cap, v->unicode));
		else
			fputs(glyph(&c[j], cap, v->unicode), fp);
	}
	fputs("|\n", fp);
	if (v->color)
		return;
	fputs("   ", fp);
	for (size_t j = 0; j < cells; j++)
		fputc(c[j].covered ? kind_letter[dominant(&c[j])] : ' ', fp);
	fputc('\n', fp);
}

static void legend(FILE *fp, const struct vms_report_view *v)
{
	fputs("  ", fp);
	for (unsigned k = 0; k < VMS_NR_AKINDS; k++) {
		if (v->color)
			fprintf(fp, " \033[%sm%s" SGR_RESET " %s", kind_sgr[k],
			        v->unicode ? "\u2588" : "#",
			        vms_akind_name((enum vms_akind)k));
		else
			fprintf(fp, " %c %s", kind_letter[k],
			        vms_akind_name((enum vms_akind)k));
	}
	fputc('\n', fp);
}

/*
 * The bar of one window: cells of cw = ceil(span / width) bytes (the last
 * one shorter), so a cell is found with one division per area.
 */
static void window_bar(FILE *fp, const struct vms_report *r,
                       const struct vms_report_window *w, const struct vms_report_view *v)
{
	const struct vms_aspace *m = r->model;
	size_t width = v->width > 24 ? v->width - 4 : 20;
	width = width > 160 ? 160 : width;
	uint64_t ws = w->window->start, span = w->size;
	if (span < width)
		return;
	uint64_t cw = span / width + (span % width != 0);
	size_t cells = (size_t)(span / cw + (span % cw != 0));
	uint64_t last = span - (cells - 1) * cw;
	struct cell *c = vms_xcalloc(cells, sizeof(*c));
	for (size_t k = vms_aspace_first_over(m, ws); k < m->nr_order; k++) {
		const struct vms_area *a = &m->dump->areas.v[m->order[k]];
		if (a->start >= w->window->end)
			break;
		uint64_t s = a->start > ws ? a->start : ws;
		uint64_t e = a->end < w->window->end ? a->end : w->window->end;
		if (e > s)
			spread(c, cells, ws, w->window->end, cw, s, e,
			       m->kind[m->order[k]]);
	}
	char a[32], b[32];
	fprintf(fp, "  %s 0x%llx-0x%llx, %s, one cell %s:\n", w->region->name,
	        (unsigned long long)ws, (unsigned long long)w->window->end,
	        size_str(span, a), size_str(cw, b));
	bar_rows(fp, c, cells, cw, last, v);
	free(c);
}

/* ---- tables ----------------------------------------------------------------- */

#define NAME_COLS 38

/* Writes s escaped, cut to cols bytes (ending in "..." when cut) and padded
 * to cols. */
static void put_clipped(FILE *fp, const char *s, int cols)
{
	size_t len = strlen(s), keep = len;
	if (len > (size_t)cols)
		keep = vms_utf8_clip(s, len, (size_t)cols - 3);
	vms_emit_escaped(fp, s, keep, false);
	if (keep < len)
		fputs("...", fp);
	size_t used = keep < len ? keep + 3 : keep;
	fprintf(fp, "%*s", (int)((size_t)cols - used), "");
}

static void regions(FILE *fp, const struct vms_report *r, const struct vms_report_view *v)
{
	char a[32], b[32];
	int dg = vms_emit_addr_digits(r->dump, 0) == 16 ? 18 : 10, nw = 12;
	for (size_t i = 0; i < r->regions.n; i++) {
		const struct vms_region *g = r->regions.v[i].region;
		if (g->end > UINT32_MAX + 1ull)
			dg = 18; /* 64-bit regions (--arch) on a 32-bit dump */
		if (strlen(g->name) > (size_t)nw)
			nw = strlen(g->name) > 24 ? 24 : (int)strlen(g->name);
	}
	heading(fp, v, "Regions");
	if (!r->regions.n) {
		fputs("  none known: no boot log layout, no arch profile, no real "
		      "addresses\n",
		      fp);
		return;
	}
	fprintf(fp, "  %-*s %-*s %-*s %10s %10s %6s %7s\n", nw, "region", dg, "start", dg,
	        "end", "size", "used", "share", "areas");
	for (size_t i = 0; i < r->regions.n; i++) {
		const struct vms_report_region *g = &r->regions.v[i];
		fputs("  ", fp);
		put_clipped(fp, g->region->name, nw);
		fprintf(fp, " 0x%0*llx 0x%0*llx %10s ", dg - 2,
		        (unsigned long long)g->region->start, dg - 2,
		        (unsigned long long)g->region->end,
		        size_str(g->region->end - g->region->start, a));
		if (r->model->geometry)
			fprintf(fp, "%10s %5.1f%% %7llu\n", size_str(g->u.bytes, b),
			        share(g->u.bytes, g->region->end - g->region->start),
			        (unsigned long long)g->u.count);
		else
			fprintf(fp, "%10s %6s %7s\n", "-", "-", "-");
	}
	if (r->outside.count)
		fprintf(fp, "  %-*s %*s %10s %10s %6s %7llu\n", nw, "(outside)",
		        2 * dg + 1, "", "", size_str(r->outside.bytes, b), "",
		        (unsigned long long)r->outside.count);
	for (size_t i = 0; i < r->windows.n; i++)
		window_bar(fp, r, &r->windows.v[i], v);
	if (r->windows.n)
		legend(fp, v);
}

static void usage_row(FILE *fp, const char *name, const struct vms_usage *u,
                      uint64_t total)
{
	char a[32];
	fprintf(fp, "  %-12s %8llu %11s %10llu %6.1f%%\n", name,
	        (unsigned long long)u->count, size_str(u->bytes, a),
	        (unsigned long long)u->pages, share(u->bytes, total));
}

static void kinds(FILE *fp, const struct vms_report *r, const struct vms_report_view *v)
{
	heading(fp, v, "Usage by kind");
	fprintf(fp, "  %-12s %8s %11s %10s %7s\n", "kind", "areas", "bytes", "pages",
	        "share");
	for (unsigned k = 0; k < VMS_NR_AKINDS; k++)
		if (r->kinds[k].count)
			usage_row(fp, vms_akind_name((enum vms_akind)k), &r->kinds[k],
			          r->total.bytes);
	usage_row(fp, "total", &r->total, r->total.bytes);
}

static void group_table(FILE *fp, const struct vms_report *r,
                        const struct vms_report_view *v, bool callers)
{
	const struct vms_report_group *g = callers ? r->callers.v : r->modules.v;
	size_t n = callers ? r->callers.n : r->modules.n;
	struct vms_usage other;
	size_t shown = vms_report_top(g, n, v->top, &other);
	char head[64], a[32];
	snprintf(head, sizeof(head), "%s (%zu of %zu, by bytes)",
	         callers ? "Callers" : "Modules", shown, n);
	heading(fp, v, head);
	fprintf(fp, "  %-*s %7s %11s %9s %6s\n", NAME_COLS,
	        callers ? "caller [module]" : "module", "areas", "bytes", "pages",
	        "share");
	for (size_t i = 0; i < shown; i++) {
		char name[256];
		snprintf(name, sizeof(name), "%s%s%s%s", g[i].name,
		         g[i].module ? " [" : "", g[i].module ? g[i].module : "",
		         g[i].module ? "]" : "");
		fputs("  ", fp);
		put_clipped(fp, name, NAME_COLS);
		fprintf(fp, " %7llu %11s %9llu %5.1f%%\n",
		        (unsigned long long)g[i].u.count, size_str(g[i].u.bytes, a),
		        (unsigned long long)g[i].u.pages,
		        share(g[i].u.bytes, r->total.bytes));
	}
	if (other.count)
		fprintf(fp, "  %-*s %7llu %11s %9llu %5.1f%%\n", NAME_COLS, "[other]",
		        (unsigned long long)other.count, size_str(other.bytes, a),
		        (unsigned long long)other.pages,
		        share(other.bytes, r->total.bytes));
}

/* ---- holes ------------------------------------------------------------------ */

static void hole_lines(FILE *fp, const struct vms_report *r,
                       const struct vms_report_window *w)
{
	const struct vms_free *f = &w->window->free;
	int dg = vms_emit_addr_digits(r->dump, 0);
	for (uint32_t id = vms_free_first(f); id; id = vms_free_next(f, id)) {
		const struct vms_hole *h = vms_free_hole(f, id);
		struct vms_hole_why why;
		char a[32], ev[512];
		vms_report_explain(r, w, h->va_start, h->va_end, &why);
		fprintf(fp, "    0x%0*llx-0x%0*llx %10s  %-13s ", dg,
		        (unsigned long long)h->va_start, dg,
		        (unsigned long long)h->va_end,
		        size_str(h->va_end - h->va_start, a),
		        vms_hole_cause_name((enum vms_hole_cause)why.cause));
		put_escaped(fp, vms_report_evidence(r, &why, ev, sizeof(ev)));
		fputc('\n', fp);
	}
}

static void window_holes(FILE *fp, const struct vms_report *r,
                         const struct vms_report_window *w,
                         const struct vms_report_view *v)
{
	char a[32], b[32], c[32], head[96];
	snprintf(head, sizeof(head), "Holes of %s (0x%llx-0x%llx)", w->region->name,
	         (unsigned long long)w->window->start,
	         (unsigned long long)w->window->end);
	heading(fp, v, head);
	window_bounds(fp, w);
	fputs("  ", fp);
	counted(fp, w->holes, "hole");
	fprintf(fp, ", %s free of %s", size_str(w->free, a), size_str(w->size, b));
	if (w->largest)
		fprintf(fp, "; largest %s at 0x%llx", size_str(w->largest, c),
		        (unsigned long long)w->largest_start);
	fprintf(fp, "; fragmentation %.3f\n", w->fragmentation);
	const char *what =
	    w->region->kind == VMS_RK_MODULES ? "module_alloc()" : "vmalloc()";
	if (w->max_vmalloc)
		fprintf(fp, "  largest %s that fits now: %s at 0x%llx\n", what,
		        size_str(w->max_vmalloc, a),
		        (unsigned long long)w->max_vmalloc_at);
	else
		fprintf(fp, "  no %s of a page fits now\n", what);
	if (w->max_ioremap)
		fprintf(fp,
		        "  largest ioremap() that fits now: %s aligned to %s at 0x%llx\n",
		        size_str(w->max_ioremap, a), size_str(w->max_ioremap_align, b),
		        (unsigned long long)w->max_ioremap_at);
	if (w->holes)
		fprintf(fp, "  %-14s %7s %11s %6s\n", "why", "holes", "bytes", "share");
	for (unsigned k = 0; k < VMS_NR_HOLE_CAUSES; k++)
		if (w->causes[k].count)
			fprintf(fp, "  %-14s %7llu %11s %5.1f%%\n",
			        vms_hole_cause_name((enum vms_hole_cause)k),
			        (unsigned long long)w->causes[k].count,
			        size_str(w->causes[k].bytes, a),
			        share(w->causes[k].bytes, w->free));
	if (v->holes)
		hole_lines(fp, r, w);
}

static void holes(FILE *fp, const struct vms_report *r, const struct vms_report_view *v)
{
	char a[32];
	if (!r->model->geometry) {
		heading(fp, v, "Holes");
		const char *hint = vms_aspace_address_hint(r->model);
		fprintf(fp, "  not available: %s%s%s\n", r->model->no_geometry,
		        hint ? ";\n  " : "", hint ? hint : "");
		return;
	}
	if (r->model->not_free) {
		heading(fp, v, "Holes");
		fputs(r->model->meminfo.incomplete
		          ? "  not available: the dump is incomplete, its holes are no "
		            "free space:\n"
		          : "  not available: the listing was filtered, its holes are no "
		            "free space:\n",
		      fp);
		char line[512];
		int n = snprintf(line, sizeof(line), "  %s", r->model->not_free);
		put_wrapped_line(fp, line,
		                 n > 0 && (size_t)n < sizeof(line) ? (size_t)n : 0,
		                 v->width ? v->width : 80, 2, false);
		return;
	}
	for (size_t i = 0; i < r->windows.n; i++)
		window_holes(fp, r, &r->windows.v[i], v);
	if (!r->windows.n) {
		heading(fp, v, "Holes");
		fputs("  no allocation window: the layout has no vmalloc or module "
		      "region\n",
		      fp);
	}
	if (r->guard_pages)
		fprintf(
		    fp,
		    "  guard pages: %llu (%s) lie inside the areas (their sizes count "
		    "them): not holes\n",
		    (unsigned long long)r->guard_pages,
		    size_str(r->guard_pages * r->model->page_size, a));
}

/* ---- findings --------------------------------------------------------------- */

static void findings(FILE *fp, const struct vms_report *r,
                     const struct vms_report_view *v)
{
	const struct vms_check_result *f = r->findings;
	if (!f)
		return;
	heading(fp, v, "Findings (vmscope check)");
	fputs("  ", fp);
	vms_emit_check_counts(fp, f);
	fputc('\n', fp);
	unsigned shown = 0;
	for (unsigned sev = 0; sev < 3 && shown < 3; sev++)
		for (size_t i = 0; i < f->findings.n && shown < 3; i++) {
			const struct vms_finding *x = &f->findings.v[i];
			if (x->severity != sev)
				continue;
			fputs("  ", fp);
			vms_emit_location(fp, x->file, x->line, 0, v->color);
			vms_emit_label(fp, vms_check_sev_name((enum vms_check_sev)sev),
			               sev, v->color);
			put_escaped(fp, x->message);
			fprintf(fp, " [%s]\n", vms_rules[x->rule].id);
			shown++;
		}
	if (f->counts[0] + f->counts[1] + f->counts[2] > shown)
		fputs("  (vmscope check lists them all)\n", fp);
}

int vms_emit_report_text(FILE *fp, const struct vms_report *const *r, size_t n,
                         const struct vms_report_view *v)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc('\n', fp);
		wrapped(fp, summary_line, r[i], v, 4, true);
		wrapped(fp, write_facts, r[i], v, 13, false);
		wrapped(fp, write_meminfo, r[i], v, 13, false);
		regions(fp, r[i], v);
		kinds(fp, r[i], v);
		group_table(fp, r[i], v, true);
		group_table(fp, r[i], v, false);
		holes(fp, r[i], v);
		findings(fp, r[i], v);
	}
	return ferror(fp) ? -VMS_EIO : 0;
}
