/*
 * emit.h — writers that turn a parsed struct vms_dump into text for people
 * and programs: canonical vmallocinfo lines, CSV rows, a JSON document,
 * compiler-style diagnostics and the line-accounting summary.
 *
 * Every writer prints only to the FILE * it is given, never exits, and
 * treats the dump as read-only. They return 0, or -VMS_EIO when the stream
 * reported a write error (checked with ferror() at the end, so a caller can
 * print one message). Cost: O(areas + diagnostics + repairs) each, plus
 * O(r log r) to order diagnostics and repairs by line in vms_emit_diags().
 *
 * Nothing from the input reaches a terminal raw: the text and diagnostic
 * writers escape control bytes and invalid UTF-8 as \xNN (vms_emit_escaped);
 * JSON escapes them itself.
 *
 * Formats (docs/cli.md describes them for users):
 *  - text: one line per area exactly as the kernel of the inferred era
 *    prints it, so the output parses back into the same records;
 *  - csv:  a header row, then one row per area (libcsv quoting: every
 *    present field quoted, absent fields empty, rows end in "\n");
 *  - json: one object per dump (an array for several), keys in a fixed
 *    order, two-space indentation.
 */
#ifndef VMS_EMIT_H
#define VMS_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vmscope/dump.h"

/* ---- Canonical vmallocinfo text (emit_text.c) --------------------------- */

/*
 * Writes area i of d as the kernel prints it, newline included:
 * "0x%0*x-0x%0*x %7u [caller+0xoff/0xlen [module]] [pages=N] [phys=...]
 * [flag words in kernel order] [N<node>=<pages>...] [extra words]", or
 * "range size vm_map_ram" / "range size unpurged vm_area". The address width
 * (8 or 16 hex digits) comes from d->addr_bits; phys= follows the area's
 * printed form, or the era of --kernel when one was given. (ptrval) dumps
 * print the kernel's placeholder. Control bytes from the input (in extra
 * words, module names) are escaped as \xNN.
 */
int vms_emit_area_text(FILE *fp, const struct vms_dump *d, size_t i);

/* Writes every area of d with vms_emit_area_text(), in input order. */
int vms_emit_text(FILE *fp, const struct vms_dump *d);

/* ---- CSV (emit_csv.c; the only user of libcsv) -------------------------- */

/*
 * Columns: start,end,size,kind,caller,offset,length,module,pages,phys,flags,
 * numa,line,last_line,repairs,source. Addresses and offsets are "0x" hex,
 * sizes and counts decimal; flags are space-separated words in kernel order,
 * numa is "N0=3 N1=2", repairs the space-separated repair codes of the area.
 */
int vms_emit_csv_header(FILE *fp);
/* Writes one row per area of d (no header). */
int vms_emit_csv_rows(FILE *fp, const struct vms_dump *d);
/* Header then rows. */
int vms_emit_csv(FILE *fp, const struct vms_dump *d);

/* ---- JSON (emit_json.c; the only user of the JSON library) -------------- */

/*
 * Writes the JSON document of one dump followed by a newline. Integers above
 * INT64_MAX (sizes near 2^64) are written as "0x..." strings, never
 * truncated. Strings that are not valid UTF-8 have each bad byte replaced by
 * '?'. The key set is the JSON contract of docs/cli.md plus documented extras.
 */
int vms_emit_json(FILE *fp, const struct vms_dump *d);
/* Writes a JSON array holding the document of each of the n dumps. */
int vms_emit_json_array(FILE *fp, const struct vms_dump *const *dumps, size_t n);

/* ---- Diagnostics and statistics (emit_diag.c) --------------------------- */

/* Name shown for d->source in messages: "<stdin>" for "-". Borrowed. */
const char *vms_emit_source_name(const struct vms_dump *d);
/* For one listing of a paste with several (vms_dump_listing()), writes
 * "listing 2 of 3 (lines 40-80[, filtered]): " on fp; else nothing. */
void vms_emit_listing_tag(FILE *fp, const struct vms_dump *d);

/*
 * Writes every diagnostic and repair of d, ordered by line then column,
 * compiler style: "FILE:LINE:COL: error|warning|note: message [code]";
 * repairs read "FILE:LINE:COL: note: repaired: message [code]". The column is
 * left out when it is 0 (whole line). With color, ANSI SGR escapes like
 * gcc's: bold location, red error, yellow warning, cyan note.
 */
int vms_emit_diags(FILE *fp, const struct vms_dump *d, bool color);

/* What vms_emit_diags_as() writes: flags. */
enum vms_diag_show {
	VMS_DIAGS_ALERTS = 1u << 0, /* errors and warnings, one line each */
	VMS_DIAGS_NOTES = 1u << 1,  /* notes and repairs, one line each */
	/* notes and repairs, one line per code (ignored with NOTES) */
	VMS_DIAGS_NOTE_GROUPS = 1u << 2,
};
/*
 * Writes a part of what vms_emit_diags() writes, chosen by show (enum
 * vms_diag_show): the messages of the kinds asked for, one per line in
 * line order, then the "N more ... counted, not shown" line of each of
 * their codes over the cap. ALERTS | NOTES is vms_emit_diags() exactly.
 *
 * With NOTE_GROUPS (and not NOTES), the notes and repairs come after, one
 * line per code in the order the codes first appear, counting every one
 * of the code (those only counted too):
 *   "FILE: note: 137 callers had underscores restored, e.g. line 3:29:
 *    'module alloc update bounds' -> 'module_alloc_update_bounds'
 *    [caller-underscores]"
 * the sentence from a table of codes ("N notes" / "N repairs" for a code
 * without one), the example the first of the code in line order, with its
 * column when it has one. A code with one message prints it as
 * vms_emit_diags() does. Colour as vms_emit_diags().
 */
int vms_emit_diags_as(FILE *fp, const struct vms_dump *d, bool color, unsigned show);

/*
 * Writes the line accounting as human text: total lines, each class with its
 * count, the noise breakdown, areas by kind, repairs, diagnostics by
 * severity, address visibility, era, kernel, boot-log facts, and a last line
 * "lines: N = parsed P + repaired R + noise S + diagnostic D" ("!=" and
 * "(accounting mismatch)" if the sum does not hold).
 */
int vms_emit_stats(FILE *fp, const struct vms_dump *d);

/* ---- Helpers shared by the writers -------------------------------------- */

/* Writes the repair codes of area i (from its repair bits, in bit order)
 * into buf separated by sep, without a leading separator. Returns buf. */
const char *vms_emit_repair_codes(const struct vms_dump *d, size_t i, const char *sep,
                                  char *buf, size_t len);

/* Hex digits used for addresses of d: 16 for 64-bit dumps, 8 for 32-bit,
 * and for an unknown width 16 if v does not fit 32 bits, else 8. */
int vms_emit_addr_digits(const struct vms_dump *d, uint64_t v);

/* Writes the flag words of flags (enum vms_flag) in kernel order into buf,
 * separated by sep (e.g. " "), without a leading separator. Returns buf. */
const char *vms_emit_flag_words(unsigned flags, const char *sep, char *buf, size_t len);

/*
 * Writes s[0..n) with every byte that could act on a terminal escaped: C0
 * controls (tab kept when keep_tab), DEL, C1 controls (U+0080..U+009F) and
 * bytes that are not valid UTF-8 become "\xNN"; valid UTF-8 is kept whole.
 */
void vms_emit_escaped(FILE *fp, const char *s, size_t n, bool keep_tab);
/* How vms_emit_escaped_as() escapes, for formats with rules of their own
 * (XML entities, workflow-command percent escapes). */
struct vms_escape {
	bool keep_tab;    /* a tab is written as is (unless special maps it) */
	bool no_nonchars; /* U+FFFE and U+FFFF are escaped too (XML) */
	/* the replacement text of byte c, or NULL to apply the rules above;
	 * asked first, for every byte */
	const char *(*special)(unsigned char c, const void *ctx);
	const void *ctx;
};
/* Writes s[0..n) as vms_emit_escaped() does, with the format's own
 * replacements first (how->special). */
void vms_emit_escaped_as(FILE *fp, const char *s, size_t n, const struct vms_escape *how);

/* Writes "FILE:LINE:COL: " (LINE, COL left out when 0; FILE escaped),
 * bold with color, as every compiler-style line starts. */
void vms_emit_location(FILE *fp, const char *file, uint32_t line, uint32_t col,
                       bool color);
/* Writes "NAME: " coloured as severity sev (0 red, 1 yellow, 2 cyan). */
void vms_emit_label(FILE *fp, const char *name, unsigned sev, bool color);
/* Name of an enum vms_layout_style ("arm32", ...) or NULL for NONE. */
const char *vms_emit_layout_style_name(unsigned style);
/* Name of an enum vms_failure_kind ("vmap", "node_range", ...). */
const char *vms_emit_failure_kind_name(unsigned kind);

/* ---- Findings of check (emit_check.c, emit_sarif.c, emit_junit.c) ------- */

struct vms_aspace;
struct vms_check_result;

/* One checked input: its dump, model and findings (all borrowed). */
struct vms_checked {
	const struct vms_dump *dump;
	const struct vms_aspace *model;
	const struct vms_check_result *result;
};

/* The input's name as given ("-" for standard input; borrowed). */
const char *vms_emit_checked_source(const struct vms_checked *c);

/*
 * Compiler-style findings of each input, ordered by line:
 * "FILE:LINE: error|warning|info: message [rule]" (no LINE when 0), a
 * "FILE: info: rule skipped: reason [rule]" line per skipped rule, then
 * per input one summary line "FILE: N errors, N warnings, N info" with the
 * region source. Baselined findings are marked "(baseline)". With color,
 * ANSI SGR escapes like gcc's.
 */
int vms_emit_check_text(FILE *fp, const struct vms_checked *c, size_t n, bool color);
/* JSON: one object per input {"file", "findings": [...], "skipped",
 * "counts", "layout": {"source", "regions"}, "model": {...}} in an array. */
int vms_emit_check_json(FILE *fp, const struct vms_checked *c, size_t n);
/*
 * SARIF 2.1.0: one run whose tool.driver carries every rule of the
 * catalogue (id, shortDescription, fullDescription, helpUri into
 * docs/rules.md, defaultConfiguration.level) and one result per finding
 * with its level (error, warning, note), message, ruleId, ruleIndex and a
 * physicalLocation (artifactLocation.uri = the file, region.startLine when
 * the finding has a line). Baselined findings carry baselineState
 * "unchanged". tool_version is the program's version.
 */
int vms_emit_check_sarif(FILE *fp, const struct vms_checked *c, size_t n,
                         const char *tool_version);
/*
 * JUnit XML: one <testsuite> per input, one <testcase> per enabled rule
 * (classname = the file, name = the rule id); a rule with findings at
 * warning or error that are not baselined gets one <failure> whose body
 * lists them; a skipped rule gets <skipped message=reason/>. XML-escaped.
 */
int vms_emit_check_junit(FILE *fp, const struct vms_checked *c, size_t n);
/*
 * GitHub Actions workflow commands, one per finding:
 * "::error file=F,line=L,title=RULE::message" (warning, notice for info),
 * with the workflow-command escapes (%25, %0D, %0A; and %3A, %2C in
 * properties).
 */
int vms_emit_check_github(FILE *fp, const struct vms_checked *c, size_t n);

#endif /* VMS_EMIT_H */
