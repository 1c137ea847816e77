/*
 * emit_diag.c — compiler-style diagnostics, the line-accounting summary
 * (`parse --stats`), and helpers shared by the other writers.
 *
 * Operations:
 *  - vms_emit_diags(): diagnostics and repairs merged and ordered by
 *    (line, column, input order), one "FILE:LINE:COL: sev: msg [code]" line
 *    each; O(r log r) for r = diagnostics + repairs.
 *  - vms_emit_diags_as(): the same for a part (errors and warnings, notes
 *    and repairs), or the notes and repairs grouped by code: one line per
 *    code with its count, a sentence from a table and the first one as the
 *    example; O(r log r + r * c) for c codes (a few dozen at most).
 *  - vms_emit_stats(): human summary of struct vms_accounting and friends;
 *    O(areas + diagnostics).
 *
 * Invariants: what is asked for is shown whole: vms_emit_diags() shows
 * every message, and a group's count includes every note of its code, the
 * counted ones too (quiet modes are the caller's choice, by not calling
 * these); messages that were only counted (beyond VMS_DIAG_CAP per code)
 * are summed up in one line per code; input text inside a message is escaped
 * (vms_emit_escaped), so a hostile input cannot drive the terminal.
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

void vms_emit_listing_tag(FILE *fp, const struct vms_dump *d)
{
	if (d->nr_listings < 2 || !d->listings.n)
		return;
	const struct vms_listing *l = &d->listings.v[0];
	fprintf(fp,
	        "listing %" PRIu32 " of %" PRIu32 " (lines %" PRIu32 "-%" PRIu32 "%s): ",
	        d->listing_no, d->nr_listings, l->line_lo, l->line_hi,
	        l->filtered ? ", filtered" : "");
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

static bool is_note(const struct vms_dump *d, const struct msg_ref *m)
{
	return m->is_repair || d->diags.v[m->index].severity == VMS_SEV_NOTE;
}

/* The message and code of m (a repair's code defaults to "repair"). */
static const char *msg_text(const struct vms_dump *d, const struct msg_ref *m,
                            const char **code)
{
	if (m->is_repair) {
		const struct vms_repair *r = &d->repairs.v[m->index];
		*code = r->code ? r->code : "repair";
		return r->message;
	}
	const struct vms_diag *g = &d->diags.v[m->index];
	*code = g->code ? g->code : "diagnostic";
	return g->message;
}

static void put_msg(FILE *fp, const struct vms_dump *d, const struct msg_ref *m,
                    bool color)
{
	vms_emit_location(fp, vms_emit_source_name(d), m->line, m->col, color);
	const char *code;
	const char *msg = msg_text(d, m, &code);
	if (m->is_repair) {
		put_severity(fp, VMS_SEV_NOTE, color);
		fputs("repaired: ", fp);
	} else {
		put_severity(fp, d->diags.v[m->index].severity, color);
	}
	put_text(fp, msg);
	fprintf(fp, " [%s]\n", code);
}

static bool is_note_count(const struct vms_code_count *x)
{
	return x->repair || x->severity == VMS_SEV_NOTE;
}

/* "FILE:LINE: note: 1234 more ... [code]" for each code over the cap, of
 * the kinds shown (errors and warnings, notes and repairs). */
static void put_dropped(FILE *fp, const struct vms_dump *d, bool color, bool alerts,
                        bool notes)
{
	for (size_t i = 0; i < d->codes.n; i++) {
		const struct vms_code_count *x = &d->codes.v[i];
		if (!x->dropped || !(is_note_count(x) ? notes : alerts))
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

/* ---- notes grouped by code ---------------------------------------------- */

/*
 * The sentence of a group of notes with one code: what N of them say
 * together, in the plural (a group of one prints its message as is), and
 * the start of the message the example leaves out because the sentence
 * says it already. Codes not listed here read "N notes, e.g. ..." (or "N
 * repairs"); the parser's codes are listed in docs/formats.md.
 */
static const struct note_sentence {
	const char *code;
	const char *plural;
	const char *strip; /* or NULL */
} sentences[] = {
    /* repairs of vmallocinfo entries */
    {"joined-lines", "entries wrapped over several lines were joined", NULL},
    {"glued-entries", "lines held several entries glued together and were split", NULL},
    {"start-from-end-size", "starts were recomputed from the end and the size", NULL},
    {"end-from-start-size", "ends were recomputed from the start and the size", NULL},
    {"size-from-range", "sizes were recomputed from the range", NULL},
    {"end-size-glued", "sizes glued to their end address were split off", NULL},
    {"caller-underscores", "callers had underscores restored",
     "restored underscores in caller: "},
    {"module-underscores", "module names had underscores restored",
     "restored underscores in module: "},
    {"stray-token", "stray tokens were dropped", "dropped "},
    {"fields-reordered", "entries had their fields out of kernel order", NULL},
    {"paired-orphans", "addresses were paired with details printed apart from them",
     NULL},
    {"elision", "'...' elisions inside entries were dropped", NULL},
    {"leading-text", "lines had text before their first entry (ignored)",
     "ignored text before the first entry: "},
    {"extra-words", "entries had words the kernel format does not have (kept)",
     "kept words the kernel format does not have: "},
    /* repairs of lines */
    {"html-entities", "lines had HTML entities decoded", NULL},
    {"record-split", "kernel log records glued to the one before were split off", NULL},
    {"cr-in-line", "lines held carriage returns (overwritten text), read as blanks",
     NULL},
    {"cmdline-joined", "wrapped pieces of the kernel command line were joined", NULL},
    {"memory-joined", "wrapped pieces of the Memory: line were joined", NULL},
    {"version-joined", "wrapped pieces of the Linux version line were joined", NULL},
    {"layout-unescaped", "layout blocks on one line were split at escaped newlines",
     NULL},
    /* notes of the boot log */
    {"layout-ptrval", "layout lines had hidden (ptrval) addresses: no region recorded",
     NULL},
    {"layout-repeated", "more layout blocks replaced the one before", NULL},
    {"boot-repeated", "copies of a boot were read once", NULL},
    {"boot-another", "more kernels boot in the input: the last boot's facts are kept",
     NULL},
    {"failure-repeated",
     "allocation failures repeated by a copy of the boot were "
     "kept once",
     NULL},
    {"repeated-listing", "repeated listings were read once", NULL},
    {"listing-start", "more listings follow the first (each read as a snapshot)", NULL},
};

static const struct note_sentence *sentence_of(const char *code)
{
	for (size_t i = 0; i < sizeof(sentences) / sizeof(sentences[0]); i++)
		if (strcmp(sentences[i].code, code) == 0)
			return &sentences[i];
	return NULL;
}

/* The notes (or repairs) of one code. */
struct note_group {
	const char *code;
	bool repair;
	uint64_t count;              /* stored and only counted */
	const struct msg_ref *first; /* first in line order; NULL if none stored */
	uint32_t first_dropped;      /* line of the first one only counted */
};

/* The group of (code, repair) among g[0..*n), added at the end if new. */
static struct note_group *group_of(struct note_group *g, size_t *n, const char *code,
                                   bool repair)
{
	for (size_t i = *n; i-- > 0;) /* the latest first: codes come in runs */
		if (g[i].repair == repair &&
		    (g[i].code == code || strcmp(g[i].code, code) == 0))
			return &g[i];
	g[*n] = (struct note_group){.code = code, .repair = repair};
	return &g[(*n)++];
}

/* Groups the notes and repairs of v[0..n) (in line order) by code, in the
 * order each code first appears, adding what was only counted. Returns a
 * new array (free()) of *ng groups. */
static struct note_group *group_notes(const struct vms_dump *d, const struct msg_ref *v,
                                      size_t n, size_t *ng)
{
	struct note_group *g = vms_xcalloc(n + d->codes.n + 1, sizeof(*g));
	*ng = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_note(d, &v[i]))
			continue;
		const char *code;
		msg_text(d, &v[i], &code);
		struct note_group *x = group_of(g, ng, code, v[i].is_repair);
		if (!x->count++)
			x->first = &v[i];
	}
	for (size_t i = 0; i < d->codes.n; i++) {
		const struct vms_code_count *c = &d->codes.v[i];
		if (!c->dropped || !is_note_count(c))
			continue;
		struct note_group *x = group_of(g, ng, c->code, c->repair);
		x->count += c->dropped;
		x->first_dropped = c->first_dropped;
	}
	return g;
}

/* "FILE: note: 137 callers had underscores restored, e.g. line 3:29:
 * 'a b' -> 'a_b' [caller-underscores]"; a group of one as its message. */
static void put_group(FILE *fp, const struct vms_dump *d, const struct note_group *g,
                      bool color)
{
	if (g->count == 1 && g->first) {
		put_msg(fp, d, g->first, color);
		return;
	}
	vms_emit_location(fp, vms_emit_source_name(d), 0, 0, color);
	put_severity(fp, VMS_SEV_NOTE, color);
	const struct note_sentence *s = sentence_of(g->code);
	fprintf(fp, "%" PRIu64 " %s", g->count,
	        s           ? s->plural
	        : g->repair ? "repairs"
	                    : "notes");
	if (g->first) {
		const char *code, *msg = msg_text(d, g->first, &code);
		size_t skip = s && s->strip && msg ? strlen(s->strip) : 0;
		if (skip && strncmp(msg, s->strip, skip) != 0)
			skip = 0;
		fprintf(fp, ", e.g. line %" PRIu32, g->first->line);
		if (g->first->col)
			fprintf(fp, ":%" PRIu32, g->first->col);
		fputs(": ", fp);
		put_text(fp, msg ? msg + skip : NULL);
	} else {
		fprintf(fp, ", from line %" PRIu32 " on", g->first_dropped);
	}
	fprintf(fp, " [%s]\n", g->code);
}

static void put_groups(FILE *fp, const struct vms_dump *d, const struct msg_ref *v,
                       size_t n, bool color)
{
	size_t ng;
	struct note_group *g = group_notes(d, v, n, &ng);
	for (size_t i = 0; i < ng; i++)
		put_group(fp, d, &g[i], color);
	free(g);
}

int vms_emit_diags_as(FILE *fp, const struct vms_dump *d, bool color, unsigned show)
{
	bool alerts = show & VMS_DIAGS_ALERTS, notes = show & VMS_DIAGS_NOTES;
	size_t n;
	struct msg_ref *v = collect_msgs(d, &n);
	for (size_t i = 0; i < n; i++)
		if (is_note(d, &v[i]) ? notes : alerts)
			put_msg(fp, d, &v[i], color);
	put_dropped(fp, d, color, alerts, notes);
	if (!notes && (show & VMS_DIAGS_NOTE_GROUPS))
		put_groups(fp, d, v, n, color);
	free(v);
	return ferror(fp) ? -VMS_EIO : 0;
}

int vms_emit_diags(FILE *fp, const struct vms_dump *d, bool color)
{
	return vms_emit_diags_as(fp, d, color, VMS_DIAGS_ALERTS | VMS_DIAGS_NOTES);
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

/* The listings of a paste with several, one line each. */
static void put_listings(FILE *fp, const struct vms_dump *d)
{
	if (d->listings.n < 2)
		return;
	fprintf(fp, "listings:     %zu\n", d->listings.n);
	for (size_t k = 0; k < d->listings.n; k++) {
		const struct vms_listing *l = &d->listings.v[k];
		fprintf(
		    fp,
		    "  %-3zu lines %" PRIu32 "-%" PRIu32 ", %zu areas, opened by %s%s\n",
		    k + 1, l->line_lo, l->line_hi, l->n, vms_listing_open_name(l->opened),
		    l->filtered ? ", filtered" : "");
	}
}

int vms_emit_stats(FILE *fp, const struct vms_dump *d)
{
	fputs("source:       ", fp);
	put_text(fp, vms_emit_source_name(d));
	fputc('\n', fp);
	put_classes(fp, d);
	put_areas(fp, d);
	put_listings(fp, d);
	put_inference(fp, d);
	put_bootlog(fp, d->log);
	put_sum(fp, &d->acct);
	return ferror(fp) ? -VMS_EIO : 0;
}
