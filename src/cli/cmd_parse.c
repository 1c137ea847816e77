/*
 * cmd_parse.c — `vmscope parse [FILE...]`: the recovered records of each
 * input in canonical text, CSV or JSON, and/or the line accounting.
 *
 * Decisions (documented in docs/cli.md and the man page):
 *  - --stats alone prints only the accounting, on stdout; with an explicit
 *    --format the records go to stdout and the accounting to stderr, so a
 *    machine-readable stdout stays clean;
 *  - several FILEs: text gets a "==> FILE <==" header per file (as head(1)),
 *    csv one header row and a source column, json one array of documents;
 *    stats a blank line between files;
 *  - a file that cannot be read is reported and skipped, a file with nothing
 *    usable is still printed (its accounting explains why); either makes the
 *    exit status 3 once every file has been handled. A usage error (2) stops
 *    at once.
 *
 * Cost: one parse per FILE (O(input)); json with several FILEs keeps all the
 * dumps until the array is written, the other formats one at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vmscope/emit.h"

enum parse_format { FMT_TEXT = 0, FMT_CSV, FMT_JSON };

struct parse_args {
	struct vms_cli_common c;
	enum parse_format format;
	bool format_given;
	bool stats;
};

enum { OPT_FORMAT = 0x200, OPT_STATS };

static const char parse_usage[] =
    "Usage: vmscope parse [OPTIONS] [FILE...]\n"
    "\n"
    "Parse vmallocinfo dumps, dmesg or console logs (FILE; '-' is standard\n"
    "input; default /proc/vmallocinfo) and print the recovered records.\n"
    "Diagnostics and repairs go to stderr, compiler style.\n"
    "\n"
    "Options:\n"
    "      --format FMT        text (canonical vmallocinfo lines, default),\n"
    "                          csv, or json\n"
    "      --stats             print the line accounting; alone, only the\n"
    "                          accounting is printed (stdout); with --format,\n"
    "                          records go to stdout and the accounting to stderr\n";

static const char parse_usage_tail[] =
    "\n"
    "With several FILEs: text has a '==> FILE <==' header per file, csv one\n"
    "header row (the source column names the file), json an array.\n"
    "\n"
    "Exit status: 0 ok, 2 usage error, 3 unreadable input, binary data, or\n"
    "nothing usable.\n";

static int apply_option(void *args, int opt, const char *arg)
{
	static const char *const names[] = {"text", "csv", "json"};
	struct parse_args *a = args;
	int i;
	switch (opt) {
	case OPT_FORMAT:
		if (vms_cli_format("parse", arg, names, 3, &i))
			return VMS_EXIT_USAGE;
		a->format = (enum parse_format)i;
		a->format_given = true;
		return 0;
	case OPT_STATS:
		a->stats = true;
		return 0;
	default:
		return -1;
	}
}

static const struct option parse_longopts[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"stats", no_argument, NULL, OPT_STATS},
    VMS_CLI_COMMON_LONGOPTS,
    {0},
};

static const struct vms_cli_spec parse_spec = {
    "parse", parse_usage, parse_usage_tail, parse_longopts, apply_option,
};

static bool stats_only(const struct parse_args *a)
{
	return a->stats && !a->format_given;
}

/* Writes the records (and stats) of one dump; idx/n for multi-file framing.
 * Returns 0, or -VMS_EIO when standard output could not be written (main()
 * says so once, at the end). */
static int print_dump(const struct parse_args *a, const struct vms_dump *d, size_t idx,
                      size_t n)
{
	int rc = 0;
	if (stats_only(a)) {
		if (idx)
			putchar('\n');
		return vms_emit_stats(stdout, d);
	}
	if (a->format == FMT_TEXT) {
		if (n > 1) {
			const char *name = vms_emit_source_name(d);
			fputs(idx ? "\n==> " : "==> ", stdout);
			vms_emit_escaped(stdout, name, strlen(name), false);
			fputs(" <==\n", stdout);
		}
		rc = vms_emit_text(stdout, d);
	} else if (a->format == FMT_CSV) {
		rc = vms_emit_csv_rows(stdout, d);
	} else if (n == 1) {
		rc = vms_emit_json(stdout, d);
	}
	if (a->stats)
		vms_emit_stats(stderr, d);
	return rc;
}

static int run(const struct parse_args *a, char **files, size_t n)
{
	bool json_array = a->format == FMT_JSON && n > 1 && !stats_only(a);
	struct vms_dump **kept = vms_xcalloc(n, sizeof(*kept));
	size_t nkept = 0;
	int status = VMS_EXIT_OK;
	bool out_ok = true;
	if (a->format == FMT_CSV && !stats_only(a))
		out_ok = vms_emit_csv_header(stdout) == 0;
	for (size_t i = 0; i < n && status != VMS_EXIT_USAGE && out_ok; i++) {
		struct vms_dump *d = NULL;
		int rc = vms_cli_load(&a->c, files[i], &d);
		status = vms_cli_worse(status, rc);
		if (rc != VMS_EXIT_OK)
			continue;
		status = vms_cli_worse(status, vms_cli_require_usable(d));
		out_ok = print_dump(a, d, nkept, n) == 0; /* no use going on */
		if (json_array)
			kept[nkept] = d;
		else
			vms_dump_free(d);
		nkept++;
	}
	if (json_array && status != VMS_EXIT_USAGE && out_ok)
		out_ok = vms_emit_json_array(stdout, (const struct vms_dump *const *)kept,
		                             nkept) == 0;
	if (!out_ok)
		status =
		    vms_cli_worse(status, VMS_EXIT_INPUT); /* main() names the error */
	for (size_t i = 0; json_array && i < nkept; i++)
		vms_dump_free(kept[i]);
	free(kept);
	return status;
}

int vms_cmd_parse(int argc, char **argv, const struct vms_cli_global *g)
{
	static char default_file[] = "/proc/vmallocinfo";
	static char *default_files[] = {default_file};
	struct parse_args a = {.format = FMT_TEXT};
	vms_cli_common_init(&a.c, "parse", g);
	int rc = vms_cli_options(argc, argv, &a.c, &parse_spec, &a);
	if (rc >= 0)
		return rc;
	rc = vms_cli_stdin_once(&a.c, argv + optind, argc - optind);
	if (rc != VMS_EXIT_OK)
		return rc;
	rc = vms_cli_prepare(&a.c);
	if (rc == VMS_EXIT_OK)
		rc = optind >= argc ? run(&a, default_files, 1)
		                    : run(&a, argv + optind, (size_t)(argc - optind));
	vms_cli_common_free(&a.c);
	return rc;
}
