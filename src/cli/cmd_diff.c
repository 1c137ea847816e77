/*
 * cmd_diff.c — `vmscope diff OLD NEW [MORE...]`: what changed between
 * snapshots of one machine's vmalloc space, for leak hunting and for CI.
 *
 * Decisions (documented in docs/diff.md, docs/cli.md and the man page):
 *  - two or more inputs, oldest first ('-' is standard input, once); fewer
 *    is a usage error: there is no default file to compare with;
 *  - each input is parsed, modelled and reported as `report` does; the
 *    parser's errors and warnings go to stderr, its notes one line per code;
 *  - exit 0, or 1 when --fail-on-growth BYTES is given and some caller's
 *    bytes grew by more than BYTES from the first input to the last; 2 on a
 *    usage error; 3 when an input cannot be read or holds nothing usable,
 *    or standard output cannot be written (3 wins over 1).
 *
 * Cost: per input one parse, one model and one report, all kept until the
 * diff is written; then the diff (include/vmscope/diff.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vmscope/aspace.h"
#include "vmscope/check.h"
#include "vmscope/diff.h"
#include "vmscope/emit.h"
#include "vmscope/emit_diff.h"
#include "vmscope/report.h"

enum diff_format { FMT_TEXT = 0, FMT_JSON };
static const char *const format_names[] = {"text", "json"};

struct diff_args {
	struct vms_cli_common c;
	enum diff_format format;
	struct vms_diff_view view;
	bool fail_on_growth;
	uint64_t max_growth; /* --fail-on-growth BYTES */
};

enum { OPT_FORMAT = 0x200, OPT_TOP, OPT_AREAS, OPT_FAIL_ON_GROWTH };

static const char diff_usage[] =
    "Usage: vmscope diff [OPTIONS] OLD NEW [MORE...]\n"
    "  or:  vmscope diff [OPTIONS] PASTE\n"
    "\n"
    "Compare snapshots of one machine's vmalloc space (vmallocinfo dumps,\n"
    "oldest first; '-' is standard input): the areas added, removed and\n"
    "resized, the growth per caller and per kind, and the change of the\n"
    "largest free vmalloc hole. Areas are matched by address when both\n"
    "dumps have real addresses, else by caller and size. More than two\n"
    "inputs make a series: one step per pair of neighbours, and each\n"
    "caller's bytes at every snapshot.\n"
    "\n"
    "Options:\n"
    "      --format FMT        text (default) or json\n"
    "      --top N             callers, and areas per list, to show (default\n"
    "                          10; 0 = all)\n"
    "      --areas             list every added, removed and resized area\n"
    "      --fail-on-growth BYTES  exit 1 when a caller grew by more than\n"
    "                          BYTES from the first input to the last (8192,\n"
    "                          0x2000, 8K, 16M, 1G)\n";

static const char diff_usage_tail[] =
    "\n"
    "How to hunt a leak with diff, and the JSON keys: docs/diff.md.\n"
    "\n"
    "Exit status: 0 compared (no caller above --fail-on-growth), 1 a caller\n"
    "grew by more than --fail-on-growth, 2 usage error, 3 unreadable input or\n"
    "nothing usable.\n";

static int set_size(const char *opt, const char *arg, uint64_t *out)
{
	if (vms_parse_size(arg, out) != 0)
		return vms_cli_usage_error("diff", "invalid %s '%s'", opt, arg);
	return 0;
}

static int apply_option(void *args, int opt, const char *arg)
{
	struct diff_args *a = args;
	uint64_t v;
	int i;
	switch (opt) {
	case OPT_FORMAT:
		if (vms_cli_format("diff", arg, format_names, 2, &i))
			return VMS_EXIT_USAGE;
		a->format = (enum diff_format)i;
		return 0;
	case OPT_TOP:
		if (vms_cli_count("diff", "--top", arg, 1000000, &v))
			return VMS_EXIT_USAGE;
		a->view.top = (size_t)v;
		return 0;
	case OPT_AREAS:
		a->view.areas = true;
		return 0;
	case OPT_FAIL_ON_GROWTH:
		a->fail_on_growth = true;
		return set_size("--fail-on-growth", arg, &a->max_growth) ? VMS_EXIT_USAGE
		                                                         : 0;
	default:
		return -1;
	}
}

static const struct option diff_longopts[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"top", required_argument, NULL, OPT_TOP},
    {"areas", no_argument, NULL, OPT_AREAS},
    {"fail-on-growth", required_argument, NULL, OPT_FAIL_ON_GROWTH},
    VMS_CLI_COMMON_LONGOPTS,
    {0},
};

static const struct vms_cli_spec diff_spec = {
    "diff", diff_usage, diff_usage_tail, diff_longopts, apply_option,
};

/* One input, kept until the diff is written. */
struct snapshot {
	struct vms_dump *dump;
	struct vms_aspace *model;
	struct vms_report *report;
};

/* Says when a dump lists areas twice (check's duplicate rule): a capture
 * appended to itself shows as growth. */
static void warn_duplicates(const struct diff_args *a, const struct snapshot *s)
{
	signed char enable[VMS_CHECK_MAX_RULES];
	memset(enable, 0, sizeof(enable));
	enable[vms_rule_lookup("duplicate")] = 1;
	struct vms_check_opts o = {.enable = enable};
	struct vms_check_result *r = vms_check_run(s->model, &o);
	uint64_t n = r->counts[0] + r->counts[1] + r->counts[2];
	if (n && !a->c.quiet)
		vms_cli_eprintf(
		    "vmscope diff: warning: %s: %llu area%s listed twice (a capture "
		    "appended to itself?): they count as added; 'vmscope check' "
		    "shows them",
		    vms_emit_source_name(s->dump), (unsigned long long)n,
		    n == 1 ? " is" : "s are");
	vms_check_result_free(r);
}

/* Builds the model and report of s->dump (owned by s). */
static int load_one(const struct diff_args *a, struct snapshot *s)
{
	int rc = vms_cli_model(&a->c, s->dump, &s->model);
	if (rc != VMS_EXIT_OK)
		return rc;
	if (!s->dump->areas.n) {
		vms_cli_eprintf("vmscope: %s: no areas to compare (a boot log without a "
		                "vmallocinfo listing?)",
		                vms_emit_source_name(s->dump));
		return VMS_EXIT_INPUT;
	}
	warn_duplicates(a, s);
	s->report = vms_report_build(s->model, NULL);
	return VMS_EXIT_OK;
}

static void free_snapshots(struct snapshot *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		vms_report_free(s[i].report);
		vms_aspace_free(s[i].model);
		vms_dump_free(s[i].dump);
	}
	free(s);
}

/* Writes the diff of s[0..n); returns its exit status. */
static int emit(const struct diff_args *a, struct snapshot *s, size_t n)
{
	const struct vms_report **r = vms_xcalloc(n, sizeof(*r));
	for (size_t i = 0; i < n; i++)
		r[i] = s[i].report;
	struct vms_diff *d = vms_diff_build(r, n);
	struct vms_diff_view v = a->view;
	v.color = a->format == FMT_TEXT && vms_cli_use_color(a->c.color, stdout);
	int rc = a->format == FMT_JSON ? vms_emit_diff_json(stdout, d, &v)
	                               : vms_emit_diff_text(stdout, d, &v);
	int status = VMS_EXIT_OK;
	/* a full disk shows at the flush when the text fits the buffer */
	if (rc != 0 || fflush(stdout) != 0 || ferror(stdout))
		status = VMS_EXIT_INPUT; /* main() names the error */
	else if (a->fail_on_growth && vms_diff_max_growth(d) > a->max_growth)
		status = VMS_EXIT_FINDINGS;
	vms_diff_free(d);
	free(r);
	return status;
}

/* A filtered listing of a paste with several (grep ... vmallocinfo) is
 * left out of the series: the areas its filter hid would count as freed. */
static bool leave_out(const struct diff_args *a, const struct vms_dump *d)
{
	const struct vms_listing *l = d->listings.n ? &d->listings.v[0] : NULL;
	if (!l || !l->filtered)
		return false;
	if (!a->c.quiet)
		vms_cli_eprintf("vmscope diff: %s: listing %u (lines %u-%u) was printed "
		                "through a filter (%s): left out of the series",
		                vms_emit_source_name(d), d->listing_no, l->line_lo,
		                l->line_hi, l->command ? l->command : "?");
	return true;
}

/* The snapshots loaded so far, for the listing callback. */
struct diff_run {
	const struct diff_args *a;
	VMS_VEC(struct snapshot) s;
};

static int diff_listing(void *ctx, struct vms_dump *d, size_t pos)
{
	(void)pos;
	struct diff_run *r = ctx;
	if (!r->a->c.listing && d->nr_listings > 1 && leave_out(r->a, d)) {
		vms_dump_free(d);
		return VMS_EXIT_OK;
	}
	struct snapshot one = {.dump = d};
	vms_vec_push(&r->s, one);
	return load_one(r->a, &r->s.v[r->s.n - 1]);
}

/* Each input in turn, each listing of a paste with several in turn: the
 * snapshots to compare, oldest first. */
static int run(const struct diff_args *a, char **files, size_t n)
{
	struct diff_run r = {.a = a};
	int status = vms_cli_each_listing(&a->c, files, n, true, diff_listing, &r, NULL);
	if (status == VMS_EXIT_OK && r.s.n < 2) {
		vms_cli_eprintf(
		    "vmscope diff: %s holds one listing: needs two inputs, or a "
		    "paste with two listings or more",
		    n ? files[0] : "-");
		status = VMS_EXIT_USAGE;
	}
	if (status == VMS_EXIT_OK)
		status = emit(a, r.s.v, r.s.n);
	free_snapshots(r.s.v, r.s.n);
	return status;
}

int vms_cmd_diff(int argc, char **argv, const struct vms_cli_global *g)
{
	struct diff_args a = {.format = FMT_TEXT, .view = {.top = 10}};
	vms_cli_common_init(&a.c, "diff", g);
	int rc = vms_cli_options(argc, argv, &a.c, &diff_spec, &a);
	if (rc >= 0)
		return rc;
	int nfiles = argc - optind;
	if (nfiles < 1)
		return vms_cli_usage_error("diff",
		                           "needs two inputs or more, oldest first, or a "
		                           "paste with several listings (got none)");
	rc = vms_cli_stdin_once(&a.c, argv + optind, nfiles);
	if (rc == VMS_EXIT_OK)
		rc = vms_cli_prepare(&a.c);
	if (rc == VMS_EXIT_OK)
		rc = run(&a, argv + optind, (size_t)nfiles);
	vms_cli_common_free(&a.c);
	return rc;
}
