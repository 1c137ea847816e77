/*
 * emit_junit.c — the findings of `vmscope check` as JUnit XML, the test
 * report format CI servers (GitLab, Jenkins, Azure Pipelines, CircleCI)
 * show as a test tab: each input is a test suite, each rule a test case.
 *
 * Operation: vms_emit_check_junit(). Two passes over the findings: one
 * tallies each rule of each input (failing findings, quiet findings,
 * skip), so <testsuites> can carry the totals before any suite; one writes.
 * Cost: O(inputs x rules + findings + skips) time and O(inputs x rules)
 * memory.
 *
 * Mapping (docs/ci.md, "JUnit XML"):
 *  - <testsuites name="vmscope check" tests failures skipped> holds one
 *    <testsuite name=FILE tests failures skipped> per input, in order;
 *  - a suite has one <testcase classname=FILE name=RULE> per rule enabled
 *    for the run, in vms_rules[] order. The writer cannot see the options,
 *    so a rule counts as enabled when it is on by default, has findings, or
 *    was skipped (a default rule turned off by --disable still shows as a
 *    passing case; a threshold rule that ran and found nothing does not);
 *  - findings at warning or error that are not baselined fail their case:
 *    one <failure message="N findings" type="error|warning"> (the type is
 *    the worst severity) whose text has one line "LINE: message" each;
 *  - info findings and baselined findings do not fail: they are listed in
 *    the case's <system-out> as "LINE: SEVERITY: message", baselined ones
 *    ending in " (baseline)";
 *  - findings the checker counted but did not store (past its cap per
 *    rule) have the rule's severity and count like the others; the list
 *    ends in "(N more not listed)";
 *  - a skipped rule without failing findings is <skipped message=REASON/>;
 *  - a finding whose line is in another file than the input (a boot log
 *    given with --layout) names it: "FILE:LINE: message"; without a line
 *    the "LINE: " part is left out. Standard input is named "<stdin>".
 *
 * Escaping: the document is UTF-8 XML 1.0. & < > " ' are written as the
 * five predefined entities everywhere; bytes XML 1.0 cannot hold or that
 * could drive a terminal (C0 controls, DEL, C1 controls, U+FFFE, U+FFFF,
 * invalid UTF-8) are written as the text "\xNN" (lower-case hex), as in
 * every vmscope text writer. A tab is kept in text and written as &#9; in
 * attributes (where a parser would turn a raw tab into a space); a newline
 * inside a message is "\x0a", so each finding stays one line.
 */
#include "vmscope/emit.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/check.h"

/* What one input did for one rule. */
struct tally {
	uint64_t failing; /* warning/error findings, not baselined, incl. dropped */
	uint64_t quiet;   /* info or baselined findings, incl. dropped info */
	uint64_t dropped; /* findings counted but not stored (the rule's severity) */
	bool error;       /* some failing finding is an error */
	const char *skip; /* the skip reason, or NULL when the rule ran */
};

/* Counts of one suite, or of all of them. */
struct totals {
	size_t tests, failures, skipped;
};

/* ---- escaping ----------------------------------------------------------- */

/* The entity written for byte c, or NULL when c needs none. */
static const char *xml_entity(unsigned char c, bool attr)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&apos;";
	case '\t':
		return attr ? "&#9;" : NULL;
	default:
		return NULL;
	}
}

static const char *xml_text(unsigned char c, const void *ctx)
{
	return xml_entity(c, false);
}

static const char *xml_attr(unsigned char c, const void *ctx)
{
	return xml_entity(c, true);
}

/* Writes s escaped for XML text (attr false) or a quoted attribute value. */
static void xml_put(FILE *fp, const char *s, bool attr)
{
	const struct vms_escape how = {
	    .keep_tab = true, .no_nonchars = true, .special = attr ? xml_attr : xml_text};
	vms_emit_escaped_as(fp, s, strlen(s), &how);
}

/* ---- tallies ------------------------------------------------------------ */

/* The name shown for file name f. */
static const char *shown(const char *f)
{
	return strcmp(f, "-") == 0 ? "<stdin>" : f;
}

static bool fails(const struct vms_finding *f)
{
	return !f->baselined && f->severity != VMS_CHECK_INFO;
}

/* Fills t[0..vms_nr_rules) from r (NULL: nothing ran). */
static void tally_input(const struct vms_check_result *r, struct tally *t)
{
	for (size_t j = 0; r && j < r->findings.n; j++) {
		const struct vms_finding *f = &r->findings.v[j];
		assert(f->rule < vms_nr_rules);
		if (fails(f)) {
			t[f->rule].failing++;
			t[f->rule].error |= f->severity == VMS_CHECK_ERROR;
		} else {
			t[f->rule].quiet++;
		}
	}
	for (size_t j = 0; r && j < r->skipped.n; j++) {
		const struct vms_skip *s = &r->skipped.v[j];
		assert(s->rule < vms_nr_rules);
		t[s->rule].skip = s->reason ? s->reason : "";
	}
	for (size_t i = 0; r && i < vms_nr_rules; i++) {
		uint8_t sev = vms_rules[i].severity;
		t[i].dropped = r->dropped[i];
		if (sev == VMS_CHECK_INFO) {
			t[i].quiet += r->dropped[i];
		} else {
			t[i].failing += r->dropped[i];
			t[i].error |= r->dropped[i] && sev == VMS_CHECK_ERROR;
		}
	}
}

static bool is_enabled(const struct tally *t, size_t rule)
{
	return vms_rules[rule].enabled || t->failing || t->quiet || t->skip;
}

static struct totals suite_totals(const struct tally *t)
{
	struct totals s = {0};
	for (size_t i = 0; i < vms_nr_rules; i++) {
		if (!is_enabled(&t[i], i))
			continue;
		s.tests++;
		if (t[i].failing)
			s.failures++;
		else if (t[i].skip)
			s.skipped++;
	}
	return s;
}

/* ---- writing ------------------------------------------------------------ */

/* One finding as a line: "[FILE:]LINE: [SEV: ]message[ (baseline)]". */
static void put_finding(FILE *fp, const struct vms_finding *f, const char *input,
                        bool with_sev)
{
	const char *file = f->file ? f->file : input;
	if (strcmp(file, input) != 0) {
		xml_put(fp, shown(file), false);
		fputs(f->line ? ":" : ": ", fp);
	}
	if (f->line)
		fprintf(fp, "%" PRIu32 ": ", f->line);
	if (with_sev)
		fprintf(fp, "%s: ", vms_check_sev_name((enum vms_check_sev)f->severity));
	xml_put(fp, f->message ? f->message : "", false);
	if (f->baselined)
		fputs(" (baseline)", fp);
}

/* Writes the findings of rule `rule` in r that fail (or do not), one per
 * line, then how many of them were not stored. */
static void put_lines(FILE *fp, const struct vms_check_result *r, size_t rule,
                      const struct tally *t, const char *input, bool failing)
{
	bool first = true;
	for (size_t j = 0; j < r->findings.n; j++) {
		const struct vms_finding *f = &r->findings.v[j];
		if (f->rule != rule || fails(f) != failing)
			continue;
		if (!first)
			fputc('\n', fp);
		first = false;
		put_finding(fp, f, input, !failing);
	}
	if (t->dropped && (vms_rules[rule].severity != VMS_CHECK_INFO) == failing)
		fprintf(fp, "%s(%" PRIu64 " more not listed)", first ? "" : "\n",
		        t->dropped);
}

static void put_case(FILE *fp, const struct vms_check_result *r, size_t rule,
                     const struct tally *t, const char *input)
{
	fputs("    <testcase classname=\"", fp);
	xml_put(fp, shown(input), true);
	fputs("\" name=\"", fp);
	xml_put(fp, vms_rules[rule].id, true);
	fputc('"', fp);
	if (!t->failing && !t->quiet && !t->skip) {
		fputs("/>\n", fp);
		return;
	}
	fputs(">\n", fp);
	if (t->failing) {
		fprintf(fp,
		        "      <failure message=\"%" PRIu64 " finding%s\" type=\"%s\">",
		        t->failing, t->failing == 1 ? "" : "s",
		        t->error ? "error" : "warning");
		put_lines(fp, r, rule, t, input, true);
		fputs("</failure>\n", fp);
	} else if (t->skip) {
		fputs("      <skipped message=\"", fp);
		xml_put(fp, t->skip, true);
		fputs("\"/>\n", fp);
	}
	if (t->quiet) {
		fputs("      <system-out>", fp);
		put_lines(fp, r, rule, t, input, false);
		fputs("</system-out>\n", fp);
	}
	fputs("    </testcase>\n", fp);
}

static void put_suite(FILE *fp, const struct vms_checked *c, const struct tally *t)
{
	const char *input = vms_emit_checked_source(c);
	struct totals s = suite_totals(t);
	fputs("  <testsuite name=\"", fp);
	xml_put(fp, shown(input), true);
	fprintf(fp, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n", s.tests,
	        s.failures, s.skipped);
	for (size_t i = 0; i < vms_nr_rules; i++)
		if (is_enabled(&t[i], i))
			put_case(fp, c->result, i, &t[i], input);
	fputs("  </testsuite>\n", fp);
}

int vms_emit_check_junit(FILE *fp, const struct vms_checked *c, size_t n)
{
	struct tally *t = vms_xcalloc(n ? n * vms_nr_rules : 1, sizeof(*t));
	struct totals all = {0};
	for (size_t i = 0; i < n; i++) {
		tally_input(c[i].result, &t[i * vms_nr_rules]);
		struct totals s = suite_totals(&t[i * vms_nr_rules]);
		all.tests += s.tests;
		all.failures += s.failures;
		all.skipped += s.skipped;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", fp);
	fprintf(fp,
	        "<testsuites name=\"vmscope check\" tests=\"%zu\" failures=\"%zu\" "
	        "skipped=\"%zu\">\n",
	        all.tests, all.failures, all.skipped);
	for (size_t i = 0; i < n; i++)
		put_suite(fp, &c[i], &t[i * vms_nr_rules]);
	fputs("</testsuites>\n", fp);
	free(t);
	return ferror(fp) ? -VMS_EIO : 0;
}
