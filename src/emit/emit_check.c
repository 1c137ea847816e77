/*
 * emit_check.c — the human text of `vmscope check`: one compiler-style line
 * per finding, one line per reason rules were skipped for, and a summary
 * line per input naming the counts and where the regions came from.
 *
 *   dump.txt:5: error: the printed range and size disagree: ... [size-mismatch]
 *   dump.txt: info: skipped overlap, duplicate, ...: addresses are hashed ...
 *   dump.txt: 1 error, 0 warnings, 0 info; regions: log (the boot log's ...)
 *
 * Cost O(findings + skipped rules). Input text (file names, messages naming
 * callers) is escaped, as in every writer.
 */
#include <inttypes.h>
#include <string.h>

#include "vmscope/aspace.h"
#include "vmscope/check.h"
#include "emit_int.h"
#include "vmscope/emit.h"

const char *vms_emit_checked_source(const struct vms_checked *c)
{
	if (c->result && c->result->source)
		return c->result->source;
	return c->dump && c->dump->source ? c->dump->source : "-";
}

static void put_finding(FILE *fp, const struct vms_finding *f, bool color)
{
	vms_emit_location(fp, strcmp(f->file, "-") == 0 ? "<stdin>" : f->file, f->line, 0,
	                  color);
	vms_emit_label(fp, vms_check_sev_name(f->severity), f->severity, color);
	vms_emit_escaped(fp, f->message, strlen(f->message), false);
	fprintf(fp, " [%s]%s\n", vms_rules[f->rule].id,
	        f->baselined ? " (baseline)" : "");
}

/* One line per distinct reason, naming the rules it skipped. */
static void put_skipped(FILE *fp, const char *file, const struct vms_check_result *r,
                        bool color)
{
	for (size_t i = 0; i < r->skipped.n; i++) {
		const char *why = r->skipped.v[i].reason;
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(r->skipped.v[k].reason, why) == 0;
		if (seen)
			continue;
		vms_emit_location(fp, file, 0, 0, color);
		vms_emit_label(fp, "info", VMS_CHECK_INFO, color);
		fputs("skipped", fp);
		for (size_t k = i, nth = 0; k < r->skipped.n; k++)
			if (strcmp(r->skipped.v[k].reason, why) == 0)
				fprintf(fp, "%s %s", nth++ ? "," : "",
				        vms_rules[r->skipped.v[k].rule].id);
		fputs(": ", fp);
		vms_emit_escaped(fp, why, strlen(why), false);
		fputc('\n', fp);
	}
}

void vms_emit_check_counts(FILE *fp, const struct vms_check_result *r)
{
	fprintf(fp, "%" PRIu64 " error%s, %" PRIu64 " warning%s, %" PRIu64 " info",
	        r->counts[0], r->counts[0] == 1 ? "" : "s", r->counts[1],
	        r->counts[1] == 1 ? "" : "s", r->counts[2]);
}

static void put_summary(FILE *fp, const struct vms_checked *c, bool color)
{
	const struct vms_check_result *r = c->result;
	const char *file = vms_emit_source_name(c->dump);
	uint64_t dropped = 0;
	for (size_t i = 0; i < vms_nr_rules && i < VMS_CHECK_MAX_RULES; i++)
		dropped += r->dropped[i];
	vms_emit_location(fp, file, 0, 0, color);
	vms_emit_listing_tag(fp, c->dump);
	vms_emit_check_counts(fp, r);
	if (r->nr_baselined)
		fprintf(fp, " (%" PRIu64 " in the baseline)", r->nr_baselined);
	if (dropped)
		fprintf(fp, " (%" PRIu64 " not listed: at most 1000 per rule)", dropped);
	fprintf(fp, "; regions: %s (", vms_region_source_name(c->model->layout_source));
	const char *why = c->model->layout_why ? c->model->layout_why : "";
	vms_emit_escaped(fp, why, strlen(why), false);
	fputs(")\n", fp);
}

int vms_emit_check_text(FILE *fp, const struct vms_checked *c, size_t n, bool color)
{
	for (size_t i = 0; i < n; i++) {
		const struct vms_check_result *r = c[i].result;
		for (size_t k = 0; k < r->findings.n; k++)
			put_finding(fp, &r->findings.v[k], color);
		put_skipped(fp, vms_emit_source_name(c[i].dump), r, color);
		put_summary(fp, &c[i], color);
	}
	return ferror(fp) ? -VMS_EIO : 0;
}
