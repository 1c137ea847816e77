/*
 * cmd_check.c — `vmscope check [FILE...]`: builds the address-space model
 * of each input and runs the rule catalogue on it, for people and for CI.
 *
 * Decisions (documented in docs/cli.md, docs/ci.md and the man page):
 *  - findings go to stdout in the chosen format; the parser's errors and
 *    warnings go to stderr one by one, its notes and repairs one line per
 *    code, as every command prints them (-v lists each, -q none): a CI log
 *    grows with the kinds of repair, not with the size of the paste;
 *  - several inputs are checked in one run and reported together (one
 *    SARIF run, one JUnit document, one JSON array); each finding names its
 *    file and line;
 *  - exit 0 when no finding at or above --fail-on (default error) is left
 *    after the baseline, 1 when one is, 2 on a usage error, 3 when an input
 *    cannot be read or yields nothing usable (3 wins over 1: a CI job must
 *    not pass on a capture it could not read).
 *
 * Cost: per input one parse, one model build and one check, O(input); all
 * inputs are kept until the report is written (formats that frame the
 * whole run need them).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vmscope/aspace.h"
#include "vmscope/check.h"
#include "vmscope/emit.h"

enum check_format { FMT_TEXT = 0, FMT_JSON, FMT_SARIF, FMT_JUNIT, FMT_GITHUB };
static const char *const format_names[] = {"text", "json", "sarif", "junit", "github"};

struct check_args {
	struct vms_cli_common c;
	enum check_format format;
	enum vms_check_sev fail_on;
	signed char enable[VMS_CHECK_MAX_RULES];
	struct vms_check_opts opts;
	const char *baseline;
	const char *write_baseline;
	bool stats;
};

enum {
	OPT_FORMAT = 0x200,
	OPT_FAIL_ON,
	OPT_DISABLE,
	OPT_ENABLE,
	OPT_BASELINE,
	OPT_WRITE_BASELINE,
	OPT_MIN_HOLE,
	OPT_MAX_USAGE,
	OPT_LIST_RULES,
	OPT_STATS,
};

static const char check_usage[] =
    "Usage: vmscope check [OPTIONS] [FILE...]\n"
    "\n"
    "Rebuild the kernel address space of each input (vmallocinfo dump, boot\n"
    "log, or both; '-' is standard input; default /proc/vmallocinfo) and judge\n"
    "it against the invariants of the kernel's allocator. Findings go to\n"
    "stdout; the parser's diagnostics to stderr (notes one line per kind).\n"
    "\n"
    "Options:\n"
    "      --format FMT        text (default), json, sarif (2.1.0), junit,\n"
    "                          github (workflow annotations)\n"
    "      --fail-on SEV       exit 1 on findings at SEV or worse: error\n"
    "                          (default), warning, info\n"
    "      --disable RULE[,RULE...]  do not run these rules (repeatable)\n"
    "      --enable RULE[,RULE...]   run these rules, also the ones off by\n"
    "                          default (repeatable)\n"
    "      --baseline FILE     findings listed in FILE do not fail the run\n"
    "      --write-baseline FILE  write every finding of this run to FILE\n"
    "      --min-largest-hole SIZE  enable largest-hole: warn when the largest\n"
    "                          free hole of the vmalloc space is below SIZE\n"
    "      --max-usage PCT     enable usage: warn when more than PCT percent of\n"
    "                          the vmalloc space is used\n"
    "      --list-rules        list the rules (ID, severity, default) and exit\n"
    "      --stats             print the model's figures (areas, holes, bytes\n"
    "                          per area) on stderr\n";

static const char check_usage_tail[] =
    "\n"
    "Rules are described in docs/rules.md; CI recipes in docs/ci.md.\n"
    "\n"
    "Exit status: 0 no finding at or above --fail-on (after the baseline),\n"
    "1 findings, 2 usage error, 3 unreadable input or nothing usable.\n";

/* --disable / --enable with a comma-separated list of rule IDs. */
static int set_rules(struct check_args *a, const char *arg, signed char value)
{
	char *copy = vms_xstrdup(arg), *save = NULL;
	int rc = 0;
	for (char *id = strtok_r(copy, ",", &save); id && !rc;
	     id = strtok_r(NULL, ",", &save)) {
		int r = vms_rule_lookup(id);
		if (r < 0)
			rc = vms_cli_usage_error(
			    "check", "unknown rule '%s' (vmscope check --list-rules)",
			    id);
		else
			a->enable[r] = value;
	}
	if (!rc && !arg[0])
		rc = vms_cli_usage_error("check", "empty rule list");
	free(copy);
	return rc;
}

static int set_number(const char *opt, const char *arg, uint64_t max, uint64_t *out)
{
	if (vms_parse_size(arg, out) != 0 || *out > max)
		return vms_cli_usage_error("check", "invalid %s '%s'", opt, arg);
	return 0;
}

static void list_rules(void)
{
	for (size_t i = 0; i < vms_nr_rules; i++)
		printf("%-18s %-8s %-3s %s\n", vms_rules[i].id,
		       vms_check_sev_name((enum vms_check_sev)vms_rules[i].severity),
		       vms_rules[i].enabled ? "on" : "off", vms_rules[i].summary);
}

static int apply_option(void *args, int opt, const char *arg)
{
	struct check_args *a = args;
	uint64_t v;
	int i;
	switch (opt) {
	case OPT_FORMAT:
		if (vms_cli_format("check", arg, format_names,
		                   sizeof(format_names) / sizeof(format_names[0]), &i))
			return VMS_EXIT_USAGE;
		a->format = (enum check_format)i;
		return 0;
	case OPT_LIST_RULES:
		list_rules();
		return VMS_CLI_STOP;
	case OPT_FAIL_ON: {
		int s = vms_check_sev_lookup(arg);
		if (s < 0)
			return vms_cli_usage_error(
			    "check", "invalid --fail-on '%s' (error, warning, info)",
			    arg);
		a->fail_on = (enum vms_check_sev)s;
		return 0;
	}
	case OPT_DISABLE:
		return set_rules(a, arg, 0);
	case OPT_ENABLE:
		return set_rules(a, arg, 1);
	case OPT_BASELINE:
		a->baseline = arg;
		return 0;
	case OPT_WRITE_BASELINE:
		a->write_baseline = arg;
		return 0;
	case OPT_MIN_HOLE:
		if (set_number("--min-largest-hole", arg, UINT64_MAX, &v))
			return VMS_EXIT_USAGE;
		a->opts.min_largest_hole = v;
		return 0;
	case OPT_MAX_USAGE:
		if (set_number("--max-usage", arg, 100, &v) || v == 0)
			return vms_cli_usage_error(
			    "check", "invalid --max-usage '%s' (1-100)", arg);
		a->opts.max_usage_pct = (unsigned)v;
		return 0;
	case OPT_STATS:
		a->stats = true;
		return 0;
	default:
		return -1;
	}
}

static const struct option check_longopts[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"disable", required_argument, NULL, OPT_DISABLE},
    {"enable", required_argument, NULL, OPT_ENABLE},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"write-baseline", required_argument, NULL, OPT_WRITE_BASELINE},
    {"min-largest-hole", required_argument, NULL, OPT_MIN_HOLE},
    {"max-usage", required_argument, NULL, OPT_MAX_USAGE},
    {"list-rules", no_argument, NULL, OPT_LIST_RULES},
    {"stats", no_argument, NULL, OPT_STATS},
    VMS_CLI_COMMON_LONGOPTS,
    {0},
};

static const struct vms_cli_spec check_spec = {
    "check", check_usage, check_usage_tail, check_longopts, apply_option,
};

/* Everything kept for one input until the report is written. */
struct checked_input {
	struct vms_dump *dump;
	struct vms_aspace *model;
	struct vms_check_result *result;
};

static void print_stats(const struct checked_input *in)
{
	const struct vms_aspace *m = in->model;
	size_t holes = 0;
	for (size_t i = 0; i < m->windows.n; i++)
		holes += m->windows.v[i].free.count;
	size_t areas = in->dump->areas.n;
	size_t mb = vms_aspace_bytes(m), db = vms_dump_bytes(in->dump);
	vms_cli_eprintf("%s: model: %zu areas, %zu in the busy tree, %zu windows, %zu "
	                "holes; %zu bytes (%.1f per area), with the dump %.1f per area",
	                vms_emit_source_name(in->dump), areas, m->nr_order, m->windows.n,
	                holes, mb, areas ? (double)mb / areas : 0.0,
	                areas ? (double)(mb + db) / areas : 0.0);
}

static struct vms_baseline *load_baseline(const char *path, int *status)
{
	size_t len = 0;
	char *text = vms_cli_read_file(path, &len);
	if (!text) {
		vms_cli_eprintf("vmscope: %s: %s", path, strerror(errno));
		*status = VMS_EXIT_INPUT;
		return NULL;
	}
	char err[160];
	struct vms_baseline *b = vms_baseline_read(text, len, err, sizeof(err));
	free(text);
	if (!b) {
		vms_cli_eprintf("vmscope: %s: %s", path, err);
		*status = VMS_EXIT_INPUT;
	}
	return b;
}

static int write_baseline(const char *path, struct checked_input *in, size_t n)
{
	FILE *fp = fopen(path, "w");
	if (!fp) {
		vms_cli_eprintf("vmscope: %s: %s", path, strerror(errno));
		return VMS_EXIT_INPUT;
	}
	const struct vms_check_result **r = vms_xcalloc(n ? n : 1, sizeof(*r));
	for (size_t i = 0; i < n; i++)
		r[i] = in[i].result;
	int rc = vms_baseline_write(fp, r, n);
	free(r);
	if (fclose(fp) != 0 || rc) {
		vms_cli_eprintf("vmscope: %s: write error", path);
		return VMS_EXIT_INPUT;
	}
	return VMS_EXIT_OK;
}

static int emit(const struct check_args *a, struct checked_input *in, size_t n)
{
	struct vms_checked *c = vms_xcalloc(n ? n : 1, sizeof(*c));
	for (size_t i = 0; i < n; i++)
		c[i] = (struct vms_checked){in[i].dump, in[i].model, in[i].result};
	int rc;
	switch (a->format) {
	case FMT_JSON:
		rc = vms_emit_check_json(stdout, c, n);
		break;
	case FMT_SARIF:
		rc = vms_emit_check_sarif(stdout, c, n, VMS_VERSION);
		break;
	case FMT_JUNIT:
		rc = vms_emit_check_junit(stdout, c, n);
		break;
	case FMT_GITHUB:
		rc = vms_emit_check_github(stdout, c, n);
		break;
	default:
		rc = vms_emit_check_text(stdout, c, n,
		                         vms_cli_use_color(a->c.color, stdout));
	}
	free(c);
	return rc;
}

/* Checks in->dump (owned by in) into *in. Returns its exit status. */
static int check_one(struct check_args *a, struct vms_baseline *b,
                     struct checked_input *in)
{
	int rc = vms_cli_model(&a->c, in->dump, &in->model);
	if (rc != VMS_EXIT_OK)
		return rc;
	a->opts.enable = a->enable;
	in->result = vms_check_run(in->model, &a->opts);
	if (b)
		vms_baseline_apply(b, in->result);
	if (a->stats)
		print_stats(in);
	return VMS_EXIT_OK;
}

/* The inputs checked so far, for the listing callback. */
struct check_run {
	struct check_args *a;
	struct vms_baseline *b;
	VMS_VEC(struct checked_input) in;
	bool fails;
};

static int check_listing(void *ctx, struct vms_dump *d, size_t pos)
{
	(void)pos;
	struct check_run *r = ctx;
	struct checked_input in = {.dump = d};
	int rc = check_one(r->a, r->b, &in);
	if (!in.result) {
		vms_aspace_free(in.model);
		vms_dump_free(d);
		return rc;
	}
	r->fails |= vms_check_fails(in.result, r->a->fail_on);
	vms_vec_push(&r->in, in);
	return rc;
}

static int run(struct check_args *a, char **files, size_t n)
{
	int status = VMS_EXIT_OK;
	struct vms_baseline *b = a->baseline ? load_baseline(a->baseline, &status) : NULL;
	if (status != VMS_EXIT_OK)
		return status;
	struct check_run r = {.a = a, .b = b};
	status = vms_cli_each_listing(&a->c, files, n, false, check_listing, &r, NULL);
	struct checked_input *in = r.in.v;
	size_t kept = r.in.n;
	if (status != VMS_EXIT_USAGE) {
		/* a full disk shows at the flush when the text fits the buffer */
		if (emit(a, in, kept) != 0 || fflush(stdout) != 0 || ferror(stdout))
			status = vms_cli_worse(
			    status, VMS_EXIT_INPUT); /* main() names the error */
		if (a->write_baseline)
			status = vms_cli_worse(
			    status, write_baseline(a->write_baseline, in, kept));
	}
	if (status == VMS_EXIT_OK && r.fails)
		status = VMS_EXIT_FINDINGS;
	for (size_t i = 0; i < kept; i++) {
		vms_check_result_free(in[i].result);
		vms_aspace_free(in[i].model);
		vms_dump_free(in[i].dump);
	}
	free(in);
	vms_baseline_free(b);
	return status;
}

int vms_cmd_check(int argc, char **argv, const struct vms_cli_global *g)
{
	static char default_file[] = "/proc/vmallocinfo";
	static char *default_files[] = {default_file};
	struct check_args a = {.format = FMT_TEXT, .fail_on = VMS_CHECK_ERROR};
	memset(a.enable, -1, sizeof(a.enable));
	vms_cli_common_init(&a.c, "check", g);
	int rc = vms_cli_options(argc, argv, &a.c, &check_spec, &a);
	if (rc >= 0)
		return rc;
	rc = vms_cli_stdin_once(&a.c, argv + optind, argc - optind);
	if (rc != VMS_EXIT_OK)
		return rc;
	/* the threshold rules need their threshold */
	if (a.enable[vms_rule_lookup("largest-hole")] > 0 && !a.opts.min_largest_hole)
		return vms_cli_usage_error("check", "--enable largest-hole needs "
		                                    "--min-largest-hole SIZE");
	if (a.enable[vms_rule_lookup("usage")] > 0 && !a.opts.max_usage_pct)
		return vms_cli_usage_error("check",
		                           "--enable usage needs --max-usage PCT");
	rc = vms_cli_prepare(&a.c);
	if (rc == VMS_EXIT_OK)
		rc = optind >= argc ? run(&a, default_files, 1)
		                    : run(&a, argv + optind, (size_t)(argc - optind));
	vms_cli_common_free(&a.c);
	return rc;
}
