/*
 * cmd_report.c — `vmscope report [FILE...]`: where the space of each input
 * went (usage by kind, caller, module; regions), its holes and why they
 * exist, and the checker's findings in brief — for people (text with a
 * bar per window), scripts (JSON, CSV) and monitoring (Prometheus).
 *
 * Decisions (docs/cli.md, docs/report.md):
 *  - the report is information, not a verdict: exit 0 whatever the
 *    findings (`check` is the command that fails a CI job); 2 on a usage
 *    error, 3 when an input cannot be read or yields nothing usable (the
 *    other inputs are still reported);
 *  - the parser's errors and warnings go to stderr, its notes one line per
 *    code, as in `check` (after the report when stdout is a terminal);
 *  - the checker runs with its defaults so the summary can count findings.
 *
 * Cost: per input one parse, one model, one check and one report, O(input);
 * every input is kept until the output is written (one JSON array, one
 * Prometheus family per metric across inputs).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vmscope/aspace.h"
#include "vmscope/check.h"
#include "vmscope/emit.h"
#include "vmscope/emit_report.h"
#include "vmscope/report.h"
#include "vmscope/view_app.h"

enum report_format { FMT_TEXT = 0, FMT_JSON, FMT_CSV, FMT_PROMETHEUS };
static const char *const format_names[] = {"text", "json", "csv", "prometheus"};

enum { OPT_FORMAT = 0x200, OPT_TOP, OPT_HOLES, OPT_PNG };

static const char report_usage[] =
    "Usage: vmscope report [OPTIONS] [FILE...]\n"
    "\n"
    "Summarise the kernel address space of each input (vmallocinfo dump, boot\n"
    "log, or both; '-' is standard input; default /proc/vmallocinfo): where the\n"
    "space went (by kind, caller, module and region), the holes of each\n"
    "allocation window with the largest one (VmallocChunk), a fragmentation\n"
    "index, the largest vmalloc() and ioremap() that would succeed now, why\n"
    "each hole exists, and the findings of `vmscope check` in brief.\n"
    "\n"
    "Options:\n"
    "      --format FMT        text (default), json, csv (the caller table),\n"
    "                          prometheus (node_exporter textfile metrics)\n"
    "      --top N             rows of the caller and module tables (default\n"
    "                          10; 0 = all); the rest is summed as [other]\n"
    "      --holes             list every hole with its cause and evidence\n"
    "      --png FILE          also draw the map of each input as the viewer's\n"
    "                          first frame (vmscope view --screenshot): FILE for\n"
    "                          one input, FILE-1.png, FILE-2.png, ... for several\n";

static const char report_usage_tail[] =
    "\n"
    "Every figure and hole cause is explained in docs/report.md; metrics in\n"
    "docs/prometheus.md. Colours follow --color and NO_COLOR; the bar uses\n"
    "Unicode blocks when the locale is UTF-8.\n"
    "\n"
    "Exit status: 0 reported (findings do not change it; see vmscope check),\n"
    "2 usage error, 3 unreadable input, nothing usable, or the --png not\n"
    "written.\n";

struct report_args {
	struct vms_cli_common c;
	enum report_format format;
	struct vms_report_view view;
	const char *png; /* --png FILE, or NULL */
};

static int apply_option(void *args, int opt, const char *arg)
{
	struct report_args *a = args;
	uint64_t v;
	int i;
	switch (opt) {
	case OPT_FORMAT:
		if (vms_cli_format("report", arg, format_names,
		                   sizeof(format_names) / sizeof(format_names[0]), &i))
			return VMS_EXIT_USAGE;
		a->format = (enum report_format)i;
		return 0;
	case OPT_TOP:
		if (vms_cli_count("report", "--top", arg, 1000000, &v))
			return VMS_EXIT_USAGE;
		a->view.top = (size_t)v;
		return 0;
	case OPT_HOLES:
		a->view.holes = true;
		return 0;
	case OPT_PNG:
		if (!*arg)
			return vms_cli_usage_error("report", "--png needs a file name");
		a->png = arg;
		return 0;
	default:
		return -1;
	}
}

static const struct option report_longopts[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"top", required_argument, NULL, OPT_TOP},
    {"holes", no_argument, NULL, OPT_HOLES},
    {"png", required_argument, NULL, OPT_PNG},
    VMS_CLI_COMMON_LONGOPTS,
    {0},
};

static const struct vms_cli_spec report_spec = {
    "report", report_usage, report_usage_tail, report_longopts, apply_option,
};

/* Everything kept for one input until the output is written. */
struct reported_input {
	struct vms_dump *dump;
	struct vms_aspace *model;
	struct vms_check_result *findings;
	struct vms_report *report;
	size_t input; /* its position among the inputs (--png names) */
};

static void *check_thread(void *arg)
{
	struct reported_input *in = arg;
	struct vms_check_opts opts = {0};
	in->findings = vms_check_run(in->model, &opts);
	return NULL;
}

/* Reports in->dump (owned by in). */
static int report_one(const struct report_args *a, struct reported_input *in)
{
	int rc = vms_cli_model(&a->c, in->dump, &in->model);
	if (rc != VMS_EXIT_OK)
		return rc;
	/* the checker and the report only read the model: on a big dump run
	 * them at once on two threads (one when a thread cannot start) */
	pthread_t t;
	bool threaded = in->dump->areas.n >= (1u << 16) &&
	                pthread_create(&t, NULL, check_thread, in) == 0;
	if (!threaded)
		check_thread(in);
	in->report = vms_report_build(in->model, NULL);
	if (threaded)
		pthread_join(t, NULL);
	in->report->findings = in->findings;
	return VMS_EXIT_OK;
}

static int emit(const struct report_args *a, struct reported_input *in, size_t n)
{
	const struct vms_report **r = vms_xcalloc(n ? n : 1, sizeof(*r));
	for (size_t i = 0; i < n; i++)
		r[i] = in[i].report;
	int rc;
	switch (a->format) {
	case FMT_JSON:
		rc = vms_emit_report_json(stdout, r, n, &a->view);
		break;
	case FMT_CSV:
		rc = vms_emit_report_csv(stdout, r, n, &a->view);
		break;
	case FMT_PROMETHEUS:
		rc = vms_emit_report_prometheus(stdout, r, n, &a->view);
		break;
	default:
		rc = vms_emit_report_text(stdout, r, n, &a->view);
	}
	free(r);
	return rc;
}

/* --png: input i of n (counting those that could not be read, so the
 * numbers follow the command line) to FILE, or FILE-(i+1).png (".png"
 * dropped from FILE first) when there are several. */
static int draw_png(const struct report_args *a, const struct reported_input *in,
                    size_t i, size_t n)
{
	char *path;
	size_t len = strlen(a->png);
	if (n == 1)
		path = vms_xstrdup(a->png);
	else
		path = vms_xasprintf(
		    "%.*s-%zu.png",
		    (int)(len > 4 && !strcmp(a->png + len - 4, ".png") ? len - 4 : len),
		    a->png, i + 1);
	char why[512];
	struct vms_view_shot s = {.path = path, .title = vms_emit_source_name(in->dump)};
	int rc = vms_view_screenshot(in->model, &s, why, sizeof(why));
	if (rc < 0)
		vms_cli_eprintf("vmscope report: %s", why);
	else if ((rc & VMS_RENDER_NO_TEXT) && !a->c.quiet)
		vms_cli_eprintf("vmscope report: warning: no font found (install "
		                "fonts-dejavu-core): %s has no text",
		                path);
	free(path);
	return rc < 0 ? VMS_EXIT_INPUT : VMS_EXIT_OK;
}

/* The inputs reported so far, for the listing callback. */
struct report_run {
	const struct report_args *a;
	VMS_VEC(struct reported_input) in;
};

static int report_listing(void *ctx, struct vms_dump *d, size_t pos)
{
	struct report_run *r = ctx;
	struct reported_input in = {.dump = d, .input = pos};
	int rc = report_one(r->a, &in);
	if (!in.report) {
		vms_aspace_free(in.model);
		vms_dump_free(d);
		return rc;
	}
	vms_vec_push(&r->in, in);
	return rc;
}

static int run(struct report_args *a, char **files, size_t n)
{
	struct report_run r = {.a = a};
	size_t pngs = 0;
	int status =
	    vms_cli_each_listing(&a->c, files, n, false, report_listing, &r, &pngs);
	struct reported_input *in = r.in.v;
	size_t kept = r.in.n;
	/* nothing to write when no input was usable, but an empty list for
	 * programs (JSON) */
	if (status != VMS_EXIT_USAGE && (kept || a->format == FMT_JSON) &&
	    (emit(a, in, kept) != 0 || fflush(stdout) != 0 || ferror(stdout)))
		status = vms_cli_worse(status, VMS_EXIT_INPUT); /* main() names it */
	for (size_t i = 0; a->png && i < kept; i++)
		status = vms_cli_worse(status, draw_png(a, &in[i], in[i].input, pngs));
	for (size_t i = 0; i < kept; i++) {
		vms_report_free(in[i].report);
		vms_check_result_free(in[i].findings);
		vms_aspace_free(in[i].model);
		vms_dump_free(in[i].dump);
	}
	free(in);
	return status;
}

int vms_cmd_report(int argc, char **argv, const struct vms_cli_global *g)
{
	static char default_file[] = "/proc/vmallocinfo";
	static char *default_files[] = {default_file};
	struct report_args a = {.format = FMT_TEXT, .view = {.top = 10}};
	vms_cli_common_init(&a.c, "report", g);
	int rc = vms_cli_options(argc, argv, &a.c, &report_spec, &a);
	if (rc >= 0)
		return rc;
	rc = vms_cli_stdin_once(&a.c, argv + optind, argc - optind);
	if (rc != VMS_EXIT_OK)
		return rc;
	a.view.color = vms_cli_use_color(a.c.color, stdout);
	a.view.unicode = vms_cli_use_utf8();
	a.view.width = vms_cli_columns(stdout);
	rc = vms_cli_prepare(&a.c);
	if (rc == VMS_EXIT_OK) {
		bool none = optind >= argc;
		rc = run(&a, none ? default_files : argv + optind,
		         none ? 1 : (size_t)(argc - optind));
	}
	vms_cli_common_free(&a.c);
	return rc;
}
