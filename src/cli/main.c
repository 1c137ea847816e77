/*
 * main.c — the vmscope front end: global options, then dispatch to one
 * subcommand from a table (the tmux way). Adding a subcommand means adding
 * a cmd_<name>.c, its entry point in cli.h and one row in `commands`.
 *
 * Global options come before the subcommand: --help (-h), --version, -q,
 * -v (the last two are the subcommands' own -q and -v).
 * Exit codes are the subcommand's, except: 2 for a usage error here, and 3
 * when standard output could not be written (checked once at the end).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef VMS_VERSION
#define VMS_VERSION "unknown"
#endif

static const struct vms_cli_cmd commands[] = {
    {"parse", "print normalized records (text, csv, json) and the line accounting",
     vms_cmd_parse},
    {"report", "where the space went: usage by kind, caller and module; holes and why",
     vms_cmd_report},
    {"check", "judge the address space against the kernel's invariants (for CI)",
     vms_cmd_check},
    {"diff", "compare dumps: areas added, removed, resized; growth per caller",
     vms_cmd_diff},
    {"fit", "would N bytes fit, and where? why did an allocation fail?", vms_cmd_fit},
    {"sim", "simulate the kernel's vmap allocator: workloads, scripts, what next",
     vms_cmd_sim},
    {"view", "zoomable map: a dump, live from /proc or a command, a recorded series",
     vms_cmd_view},
};
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *fp)
{
	fputs(
	    "Usage: vmscope [--help] [--version] [-q|-v] COMMAND [OPTIONS] [ARGS]\n"
	    "\n"
	    "Reads Linux /proc/vmallocinfo dumps (live, saved or pasted from a console)\n"
	    "and kernel boot logs.\n"
	    "\n"
	    "Commands:\n",
	    fp);
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(fp, "  %-10s%s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "Options:\n"
	      "  -h, --help     show this help and exit\n"
	      "      --version  print the version and exit\n"
	      "  -q, --quiet    do not print diagnostics on stderr\n"
	      "  -v, --verbose  list every note and repair of the parser (by default\n"
	      "                 one line per kind, with a count)\n"
	      "\n"
	      "Run 'vmscope COMMAND --help' for the options of a command.\n",
	      fp);
}

static const struct vms_cli_cmd *find_command(const char *name)
{
	for (size_t i = 0; i < NR_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Handles the options before the subcommand. Returns -1 to go on with
 * argv[*next], or the exit code. */
static int global_options(int argc, char **argv, struct vms_cli_global *g, int *next)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];
		if (strcmp(o, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
			usage(stdout);
			return VMS_EXIT_OK;
		}
		if (strcmp(o, "--version") == 0) {
			printf("vmscope %s\n", VMS_VERSION);
			return VMS_EXIT_OK;
		}
		if (strcmp(o, "-q") == 0 || strcmp(o, "--quiet") == 0) {
			g->quiet = true;
			continue;
		}
		if (strcmp(o, "-v") == 0 || strcmp(o, "--verbose") == 0) {
			g->verbose = true;
			continue;
		}
		vms_cli_eprintf("vmscope: unrecognized option '%s'", o);
		fputs("Try 'vmscope --help'.\n", stderr);
		return VMS_EXIT_USAGE;
	}
	*next = i;
	return -1;
}

/* A failed write to stdout (full disk, closed pipe) must not exit 0. */
static int check_stdout(int rc)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	fprintf(stderr, "vmscope: error writing standard output%s%s\n", errno ? ": " : "",
	        errno ? strerror(errno) : "");
	return rc ? rc : VMS_EXIT_INPUT;
}

int main(int argc, char **argv)
{
	struct vms_cli_global g = {0};
	int next = 0;
	int rc = global_options(argc, argv, &g, &next);
	if (rc >= 0)
		return check_stdout(rc);
	if (next >= argc) {
		usage(stderr);
		return VMS_EXIT_USAGE;
	}
	const struct vms_cli_cmd *cmd = find_command(argv[next]);
	if (!cmd) {
		vms_cli_eprintf("vmscope: unknown command '%s'", argv[next]);
		fputs("Try 'vmscope --help'.\n", stderr);
		return VMS_EXIT_USAGE;
	}
	return check_stdout(cmd->run(argc - next, argv + next, &g));
}
