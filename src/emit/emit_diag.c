/*
 * emit_diag.c — compiler-style diagnostics, the line-accounting summary
 * (`parse --stats`), and helpers shared by the other writers.
 *
 * Operations:
 *  - vms_emit_diags(): diagnostics and repairs merged and ordered by
 *    (line, column, input order), one "FILE:LINE:COL: sev: msg [code]" line
 *    each; O(r log r) for r = diagnostics + repairs.
 *  - vms_emit_stats(): human summary of struct vms_accounting and friends;
 *    O(areas + diagnostics).
 *
 * Invariants: everything the dump holds is shown; nothing is filtered here
 * (quiet modes are the caller's choice, by not calling these); messages that
 * were only counted (beyond VMS_DIAG_CAP per code) are summed up in one
 * line per code; input text inside a message is escaped (vms_emit_escaped),
 * so a hostile input cannot drive the terminal.
 */
#include "emit_int.h"
#include "vmscope/emit.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *vms_emit_source_name(const struct vms_dump *d)
{
	if (!d->source || strcmp(d->source, "-") == 0)
		return "<stdin>";
	return d->source;
}

const char *vms_emit_layout_style_name(unsigned style)
{
	static const char *const n[] = {NULL,    "arm32", "x86_32", "arm64",
	                                "riscv", "ppc32", "sh",     "other"};
	return style < sizeof(n) / sizeof(n[0]) ? n[style] : "other";
}

const char *vms_emit_failure_kind_name(unsigned kind)
{
	static const char *const n[] = {"vmap", "node_range", "vmalloc_error",
	                                "allocation"};
	return kind < sizeof(n) / sizeof(n[0]) ? n[kind] : "unknown";
}

/* ---- diagnostics -------------------------------------------------------- */

/* One printable message: a diagnostic or a repair, with its input order. */
struct msg_ref {
	uint32_t line, col;
	size_t order; /* position in diags, then repairs */
	bool is_repair;
	size_t index;
};

static int msg_cmp(const void *pa, const void *pb)
{
	const struct msg_ref *a = pa, *b = pb;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static struct msg_ref *collect_msgs(const struct vms_dump *d, size_t *n)
{
	size_t total = d->diags.n + d->repairs.n;
	struct msg_ref *v = vms_xcalloc(total ? total : 1, sizeof(*v));
	for (size_t i = 0; i < d->diags.n; i++)
		v[i] =
		    (struct msg_ref){d->diags.v[i].line, d->diags.v[i].col, i, false, i};
	for (size_t i = 0; i < d->repairs.n; i++) {
		const struct vms_repair *r = &d->repairs.v[i];
		v[d->diags.n + i] =
		    (struct msg_ref){r->line, r->col, d->diags.n + i, true, i};
	}
	qsort(v, total, sizeof(*v), msg_cmp);
	*n = total;
	return v;
}

void vms_emit_heading(FILE *fp, const char *text, bool color)
{
	fprintf(fp, "\n%s%s%s", color ? SGR_BOLD : "", text, color ? SGR_RESET : "");
}

void vms_emit_location(FILE *fp, const char *file, uint32_t line, uint32_t col,
                       bool color)
{
	fputs(color ? SGR_BOLD : "", fp);
	vms_emit_escaped(fp, file, strlen(file), false);
	if (line)
		fprintf(fp, ":%" PRIu32, line);
	if (line && col)
		fprintf(fp, ":%" PRIu32, col);
	fputs(color ? ":" SGR_RESET " " : ": ", fp);
}

void vms_emit_label(FILE *fp, const char *name, unsigned sev, bool color)
{
	static const char *const sgr[] = {SGR_BOLD_RED, SGR_BOLD_YELLOW, SGR_BOLD_CYAN};
	if (color && sev < 3)
		fprintf(fp, "%s%s:" SGR_RESET " ", sgr[sev], name);
	else
		fprintf(fp, "%s: ", name);
}

static void put_severity(FILE *fp, unsigned sev, bool color)
{
	vms_emit_label(fp, vms_severity_name((enum vms_severity)sev), sev, color);
}

static void put_text(FILE *fp, const char *s)
{
	if (s)
		vms_emit_escaped(fp, s, strlen(s), true);
}

static void put_msg(FILE *fp, const struct vms_dump *d, const struct msg_ref *m,
                    bool color)
{
	vms_emit_location(fp, vms_emit_source_name(d), m->line, m->col, color);
	const char *msg, *code;
	if (m->is_repair) {
		const struct vms_repair *r = &d->repairs.v[m->index];
		put_severity(fp, VMS_SEV_NOTE, color);
		fputs("repaired: ", fp);
		msg = r->message;
		code = r->code ? r->code : "repair";
	} else {
		const struct vms_diag *g = &d->diags.v[m->index];
		put_severity(fp, g->severity, color);
		msg = g->message;
		code = g->code ? g->code : "diagnostic";
	}
	put_text(fp, msg);
	fprintf(fp, " [%s]\n", code);
}

/* "FILE:LINE: note: 1234 more ... [code]" for each code over the cap. */
static void put_dropped(FILE *fp, const struct vms_dump *d, bool color, bool notes)
{
	for (size_t i = 0; i < d->codes.n; i++) {
		const struct vms_code_count *x = &d->codes.v[i];
		if (!x->dropped || (!notes && (x->repair || x->severity == VMS_SEV_NOTE)))
			continue;
		vms_emit_location(fp, vms_emit_source_name(d), x->first_dropped, 0,
		                  color);
		put_severity(fp, VMS_SEV_NOTE, color);
		fprintf(fp,
		        "%" PRIu64 " more %s%s like this from here on were counted, not "
		        "shown (at most %u per code) [%s]\n",
		        x->dropped,
		        x->repair ? "repairs" : vms_severity_name(x->severity),
		        x->repair ? "" : "s", VMS_DIAG_CAP, x->code);
	}
}

/* Errors and warnings only, then one line counting what was left out. */
static void put_alerts(FILE *fp, const struct vms_dump *d, const struct msg_ref *v,
                       size_t n, bool color)
{
	uint64_t hidden = 0;
	for (size_t i = 0; i < n; i++) {
		if (!v[i].is_repair && d->diags.v[v[i].index].severity != VMS_SEV_NOTE)
			put_msg(fp, d, &v[i], color);
		else
			hidden++;
	}
	for (size_t i = 0; i < d->codes.n; i++)
		if (d->codes.v[i].repair || d->codes.v[i].severity == VMS_SEV_NOTE)
			hidden += d->codes.v[i].dropped;
	put_dropped(fp, d, color, false);
	if (!hidden)
		return;
	vms_emit_location(fp, vms_emit_source_name(d), 0, 0, color);
	put_severity(fp, VMS_SEV_NOTE, color);
	fprintf(fp,
	        "%" PRIu64 " note%s and repair%s of the parser not shown "
	        "('vmscope parse' shows them)\n",
	        hidden, hidden == 1 ? "" : "s", hidden == 1 ? "" : "s");
}

int vms_emit_diags_ex(FILE *fp, const struct vms_dump *d, bool color, bool notes)
{
	size_t n;
	struct msg_ref *v = collect_msgs(d, &n);
	if (notes) {
		for (size_t i = 0; i < n; i++)
			put_msg(fp, d, &v[i], color);
		put_dropped(fp, d, color, true);
	} else {
		put_alerts(fp, d, v, n, color);
	}
	free(v);
	return ferror(fp) ? -VMS_EIO : 0;
}

int vms_emit_diags(FILE *fp, const struct vms_dump *d, bool color)
{
	return vms_emit_diags_ex(fp, d, color, true);
}

/* ---- statistics --------------------------------------------------------- */

static void put_classes(FILE *fp, const struct vms_dump *d)
{
	const struct vms_accounting *ac = &d->acct;
	fprintf(fp, "lines:        %" PRIu64 "\n", ac->lines);
	for (unsigned c = 0; c < VMS_NR_LINE_CLASSES; c++) {
		fprintf(fp, "  %-12s%8" PRIu64 "\n", vms_line_class_name(c),
		        ac->by_class[c]);
		if (c != VMS_LINE_NOISE)
			continue;
		for (unsigned k = 0; k < VMS_NR_NOISE_KINDS; k++)
			if (ac->noise[k])
				fprintf(fp, "    %-10s%8" PRIu64 "\n",
				        vms_noise_kind_name(k), ac->noise[k]);
	}
	if (d->stopped)
		fprintf(fp, "stopped:      %s (the rest was not read)\n", d->stopped);
}

static void put_areas(FILE *fp, const struct vms_dump *d)
{
	size_t kinds[3] = {0};
	for (size_t i = 0; i < d->areas.n; i++)
		kinds[d->areas.v[i].kind < 3 ? d->areas.v[i].kind : 0]++;
	fprintf(fp, "areas:        %zu", d->areas.n);
	if (kinds[VMS_KIND_VM_MAP_RAM] || kinds[VMS_KIND_UNPURGED])
		fprintf(fp, " (vm_struct %zu, vm_map_ram %zu, unpurged %zu)", kinds[0],
		        kinds[VMS_KIND_VM_MAP_RAM], kinds[VMS_KIND_UNPURGED]);
	fputc('\n', fp);
	size_t bytes = vms_dump_bytes(d);
	fprintf(fp, "memory:       %zu bytes", bytes);
	if (d->areas.n)
		fprintf(fp, ", %.1f per area", (double)bytes / (double)d->areas.n);
	fputc('\n', fp);
	if (d->split_lines)
		fprintf(fp, "threads:      2 (the second read %" PRIu64 " lines)\n",
		        d->split_lines);
	fprintf(fp, "repairs:      %" PRIu64 "\n", vms_dump_nr_repairs(d));
	uint64_t sev[3];
	for (unsigned s = 0; s < 3; s++)
		sev[s] = vms_dump_nr_diags(d, (enum vms_severity)s);
	fprintf(fp,
	        "diagnostics:  %" PRIu64 " (errors %" PRIu64 ", warnings %" PRIu64
	        ", notes %" PRIu64 ")\n",
	        sev[0] + sev[1] + sev[2], sev[VMS_SEV_ERROR], sev[VMS_SEV_WARNING],
	        sev[VMS_SEV_NOTE]);
}

static void put_inference(FILE *fp, const struct vms_dump *d)
{
	fprintf(fp, "addresses:    %s", vms_visibility_name(d->visibility));
	if (d->addr_bits)
		fprintf(fp, ", %u-bit", d->addr_bits);
	fprintf(fp, "\npage size:    %" PRIu64 "%s\n", d->page_size,
	        d->page_size_inferred ? " (inferred)" : "");
	/* the sources quote input lines and name files: escaped */
	if (d->kernel_major) {
		fprintf(fp, "kernel:       %d.%d (", d->kernel_major, d->kernel_minor);
		put_text(fp, d->kernel_given          ? "--kernel"
		             : d->log->version_source ? d->log->version_source
		                                      : "boot log");
		fputs(")\n", fp);
	} else {
		fputs("kernel:       unknown\n", fp);
	}
	fputs("era:          ", fp);
	put_text(fp, d->era ? d->era : "unknown");
	fputs("\narch:         ", fp);
	put_text(fp, d->arch ? d->arch : "unknown");
	fputs(" (", fp);
	put_text(fp, d->arch_source ? d->arch_source : "no evidence");
	fputs(")\n", fp);
	fprintf(fp, "order:        %s\n",
	        !d->areas.n ? "no areas"
	        : d->sorted ? "sorted"
	                    : "not sorted");
}

/* Where a fact was read: "line 3" in the input, "boot.txt line 3" in
 * another file, "--cmdline" or "uname(2)" when it has no line. */
static void put_where(FILE *fp, const char *file, uint32_t line)
{
	if (file && !line) {
		put_text(fp, file);
		return;
	}
	if (file) {
		put_text(fp, file);
		fputc(' ', fp);
	}
	fprintf(fp, "line %" PRIu32, line);
}

static void put_bootlog(FILE *fp, const struct vms_bootlog *log)
{
	if (!log)
		return;
	if (log->regions.n) {
		const char *style = vms_emit_layout_style_name(log->layout_style);
		fprintf(fp, "layout:       %zu regions (%s, ", log->regions.n,
		        style ? style : "none");
		put_where(fp, log->regions.v[0].file, log->layout_line);
		fputs(")\n", fp);
	}
	if (log->has_cmdline) {
		const struct vms_cmdline *c = &log->cmdline;
		fputs("cmdline:      ", fp);
		put_where(fp, c->file, c->line);
		if (c->has_vmalloc) {
			fputs(", vmalloc=", fp);
			put_text(fp, c->vmalloc_text ? c->vmalloc_text : "?");
		}
		fputc('\n', fp);
	}
	if (log->version_text) {
		fputs("version:      ", fp);
		put_text(fp, log->version_text);
		fputs(" (", fp);
		put_where(fp, log->version_file, log->version_line);
		fputs(")\n", fp);
	}
	if (log->failures.n)
		fprintf(fp, "failures:     %zu\n", log->failures.n);
}

static void put_sum(FILE *fp, const struct vms_accounting *ac)
{
	uint64_t sum = 0;
	for (unsigned c = 0; c < VMS_NR_LINE_CLASSES; c++)
		sum += ac->by_class[c];
	fprintf(fp,
	        "lines: %" PRIu64 " %s parsed %" PRIu64 " + repaired %" PRIu64
	        " + noise %" PRIu64 " + diagnostic %" PRIu64 "%s\n",
	        ac->lines, sum == ac->lines ? "=" : "!=", ac->by_class[VMS_LINE_PARSED],
	        ac->by_class[VMS_LINE_REPAIRED], ac->by_class[VMS_LINE_NOISE],
	        ac->by_class[VMS_LINE_DIAGNOSTIC],
	        sum == ac->lines ? "" : " (accounting mismatch)");
}

int vms_emit_stats(FILE *fp, const struct vms_dump *d)
{
	fputs("source:       ", fp);
	put_text(fp, vms_emit_source_name(d));
	fputc('\n', fp);
	put_classes(fp, d);
	put_areas(fp, d);
	put_inference(fp, d);
	put_bootlog(fp, d->log);
	put_sum(fp, &d->acct);
	return ferror(fp) ? -VMS_EIO : 0;
}
