/*
 * emit_github.c — the findings of `vmscope check` as GitHub Actions
 * workflow commands: printed by a step, each line becomes an annotation on
 * the run summary and, for a file of the repository, on that file's line
 * in the pull request.
 *
 * Operation: vms_emit_check_github(), one line per finding that is not
 * baselined, inputs in the order given, findings in each result's order
 * (plus one per rule whose findings were not all stored):
 *
 *     ::error file=F,line=L,title=RULE::message
 *
 * with ::warning for warnings and ::notice for info. Cost: O(findings +
 * rules) per input.
 *
 * Choices (docs/ci.md, "GitHub Actions annotations"):
 *  - baselined findings are not printed: GitHub shows at most 10 notices,
 *    10 warnings and 10 errors per step, and a baseline that lists many
 *    accepted findings would crowd out the new ones;
 *  - skipped rules are not printed (the text, JSON and SARIF formats carry
 *    them);
 *  - line= is left out when the finding has no line (0);
 *  - standard input ("-") is no file of the repository: file= and line=
 *    are left out, so the annotation belongs to the run, not to a file;
 *  - a finding whose line is in another file (a --layout boot log) names
 *    that file;
 *  - a rule whose findings were counted past the checker's cap but not
 *    stored gets one more command at the rule's severity, after the
 *    input's findings: "N more findings of this rule were not listed".
 *
 * Escaping follows the runner's rules: in the message '%', CR and LF are
 * %25, %0D and %0A (GitHub shows %0A as a line break); in property values
 * ':' and ',' are %3A and %2C as well. Other bytes that could drive a
 * terminal or a log viewer (C0 controls but tab, DEL, C1 controls, invalid
 * UTF-8) are written as the text "\xNN", as in every vmscope text writer.
 */
#include "vmscope/emit.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "vmscope/check.h"

/* The workflow-command escape of byte c in data, or in a property value. */
static const char *gh_escape(unsigned char c, bool property)
{
	return c == '%'               ? "%25"
	       : c == '\r'            ? "%0D"
	       : c == '\n'            ? "%0A"
	       : property && c == ':' ? "%3A"
	       : property && c == ',' ? "%2C"
	                              : NULL;
}

static const char *gh_data(unsigned char c, const void *ctx)
{
	return gh_escape(c, false);
}

static const char *gh_property(unsigned char c, const void *ctx)
{
	return gh_escape(c, true);
}

/* Writes s escaped as workflow-command data, or as a property value. */
static void put_escaped(FILE *fp, const char *s, bool property)
{
	const struct vms_escape how = {.keep_tab = true,
	                               .special = property ? gh_property : gh_data};
	vms_emit_escaped_as(fp, s, strlen(s), &how);
}

/* Writes "::CMD file=F,line=L,title=RULE::" (file and line when known). */
static void put_head(FILE *fp, unsigned sev, const char *file, uint32_t line, size_t rule)
{
	static const char *const cmd[] = {"error", "warning", "notice"};
	assert(rule < vms_nr_rules && sev < 3);
	fprintf(fp, "::%s ", cmd[sev]);
	if (*file && strcmp(file, "-") != 0) {
		fputs("file=", fp);
		put_escaped(fp, file, true);
		if (line)
			fprintf(fp, ",line=%" PRIu32, line);
		fputc(',', fp);
	}
	fputs("title=", fp);
	put_escaped(fp, vms_rules[rule].id, true);
	fputs("::", fp);
}

static void put_input(FILE *fp, const struct vms_check_result *r, const char *input)
{
	for (size_t j = 0; j < r->findings.n; j++) {
		const struct vms_finding *f = &r->findings.v[j];
		if (f->baselined)
			continue;
		put_head(fp, f->severity, f->file ? f->file : input, f->line, f->rule);
		put_escaped(fp, f->message ? f->message : "", false);
		fputc('\n', fp);
	}
	for (size_t i = 0; i < vms_nr_rules; i++) {
		if (!r->dropped[i])
			continue;
		put_head(fp, vms_rules[i].severity, input, 0, i);
		fprintf(fp, "%" PRIu64 " more findings of this rule were not listed\n",
		        r->dropped[i]);
	}
}

int vms_emit_check_github(FILE *fp, const struct vms_checked *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].result)
			put_input(fp, c[i].result, vms_emit_checked_source(&c[i]));
	return ferror(fp) ? -VMS_EIO : 0;
}
