/*
 * cli.h — what the subcommands of the vmscope front end share: the command
 * table entry, exit codes, global options, the common options of
 * docs/cli.md, colour handling, and loading one input into a
 * dump (parse + --layout + --cmdline + diagnostics on stderr).
 *
 * Only src/cli/ prints to the terminal and chooses exit codes; the helpers
 * here print their own one-line messages and return the exit code to use.
 */
#ifndef VMS_CLI_H
#define VMS_CLI_H

#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vmscope/dump.h"
#include "vmscope/parse.h"

/* Exit codes (docs/cli.md, "Exit status"). */
enum vms_exit {
	VMS_EXIT_OK = 0,
	VMS_EXIT_FINDINGS = 1, /* check: findings at/above --fail-on */
	VMS_EXIT_USAGE = 2,    /* unknown option, bad value */
	VMS_EXIT_INPUT = 3,    /* unreadable or unusable input, output error */
};

/* Options given before the subcommand name. */
struct vms_cli_global {
	bool quiet;   /* -q */
	bool verbose; /* -v */
};

/* One subcommand: run gets argv with argv[0] = the subcommand name. */
struct vms_cli_cmd {
	const char *name;
	const char *summary; /* one line for `vmscope --help` */
	int (*run)(int argc, char **argv, const struct vms_cli_global *g);
};

enum vms_color_mode { VMS_COLOR_AUTO = 0, VMS_COLOR_ALWAYS, VMS_COLOR_NEVER };

/* Options every input-reading subcommand accepts. */
struct vms_cli_common {
	const char *cmd;              /* subcommand name, for messages */
	const char *layout;           /* --layout FILE, or NULL */
	const char *cmdline;          /* --cmdline STR, or NULL */
	struct vms_parse_opts popts;  /* --arch, --kernel, --page-size, --layout */
	struct vms_dump *layout_dump; /* --layout FILE, parsed once (prepare) */
	const char *profile;          /* --arch profile name, or NULL */
	const char *kernel_text;      /* --kernel as given, or NULL */
	enum vms_color_mode color;
	bool quiet;       /* -q: no diagnostics (wins over -v) */
	bool verbose;     /* -v: every note and repair, one line each */
	uint32_t listing; /* --listing N (1-based), or 0 */
	bool no_stdout;   /* the command writes nothing on stdout (view): the
	                     notes are never held back */
	/* On a terminal, the parser's notes grouped by code, held back until
	 * the command's output is written (vms_cli_prepare() opens it when
	 * stdout is a terminal, vms_cli_common_free() prints it); else NULL. */
	FILE *held;
	char *held_text;
	size_t held_len;
};

/*
 * Long-option ids of the common options (values above any short option
 * character) and the matching struct option entries, for a subcommand's own
 * table: { ..., VMS_CLI_COMMON_LONGOPTS, {0} }.
 */
enum {
	VMS_OPT_LAYOUT = 0x100,
	VMS_OPT_CMDLINE,
	VMS_OPT_ARCH,
	VMS_OPT_KERNEL,
	VMS_OPT_PAGE_SIZE,
	VMS_OPT_COLOR,
	VMS_OPT_HELP,
	VMS_OPT_LISTING,
};
#define VMS_CLI_COMMON_LONGOPTS                                                          \
	{"layout", required_argument, NULL, VMS_OPT_LAYOUT},                             \
	    {"cmdline", required_argument, NULL, VMS_OPT_CMDLINE},                       \
	    {"arch", required_argument, NULL, VMS_OPT_ARCH},                             \
	    {"kernel", required_argument, NULL, VMS_OPT_KERNEL},                         \
	    {"page-size", required_argument, NULL, VMS_OPT_PAGE_SIZE},                   \
	    {"color", optional_argument, NULL, VMS_OPT_COLOR},                           \
	    {"colour", optional_argument, NULL, VMS_OPT_COLOR},                          \
	    {"quiet", no_argument, NULL, 'q'}, {"verbose", no_argument, NULL, 'v'},      \
	    {"listing", required_argument, NULL, VMS_OPT_LISTING},                       \
	{                                                                                \
		"help", no_argument, NULL, VMS_OPT_HELP                                  \
	}

/* Help text lines for the common options (for a subcommand's --help). */
extern const char vms_cli_common_help[];
/* Prints a subcommand's --help on stdout: usage, the common options, the
 * arch profile names (--arch), then tail. */
void vms_cli_print_help(const char *usage, const char *tail);

/* Initialises c for subcommand cmd with the global options applied. */
void vms_cli_common_init(struct vms_cli_common *c, const char *cmd,
                         const struct vms_cli_global *g);

/*
 * Applies one option returned by getopt_long. Returns 0 when handled, 1 when
 * opt is not a common option (the subcommand handles it), or VMS_EXIT_USAGE
 * after printing the message for a bad value. Help is not handled here.
 */
int vms_cli_common_option(struct vms_cli_common *c, int opt, const char *arg);

/*
 * Prints a formatted message on stderr with every control byte and invalid
 * UTF-8 byte in it escaped (\x1b): file names and option values are the
 * user's and may hold any byte; no message has one of its own. Ends it with
 * a newline.
 */
void vms_cli_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Prints "vmscope CMD: MESSAGE" (escaped, as vms_cli_eprintf) and "Try
 * 'vmscope CMD --help'." on stderr and returns VMS_EXIT_USAGE.
 */
int vms_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* What vms_cli_options() needs of a subcommand. */
struct vms_cli_spec {
	const char *cmd;               /* "report", for messages */
	const char *usage, *tail;      /* --help: usage, the arch profiles, tail */
	const struct option *longopts; /* its own options, VMS_CLI_COMMON_LONGOPTS, {0} */
	/* Applies one of the command's own options to args: 0 done, -1 not
	 * one of its options, VMS_CLI_STOP to exit 0 at once (it printed
	 * what was asked), else the exit code after a message. */
	int (*apply)(void *args, int opt, const char *arg);
};
#define VMS_CLI_STOP 0x1000

/*
 * Reads the options of argv (argv[0] = the subcommand) with getopt_long:
 * the common ones into c, --help printed from spec, the rest handed to
 * spec->apply(args, ...). Returns -1 to go on (files start at optind), or
 * the exit code (0 after --help or VMS_CLI_STOP).
 */
int vms_cli_options(int argc, char **argv, struct vms_cli_common *c,
                    const struct vms_cli_spec *spec, void *args);

/* The value of --format: the index of arg among names[0..n) in *out, or
 * VMS_EXIT_USAGE after "invalid --format 'x' (a, b, c)". */
int vms_cli_format(const char *cmd, const char *arg, const char *const *names, size_t n,
                   int *out);

/* A count option (--top N): decimal digits only, at most max, in *out;
 * else VMS_EXIT_USAGE after "invalid OPT 'x' (0-max)". */
int vms_cli_count(const char *cmd, const char *opt, const char *arg, uint64_t max,
                  uint64_t *out);
/* The same with a lower bound: "invalid OPT 'x' (min-max)". */
int vms_cli_count_range(const char *cmd, const char *opt, const char *arg, uint64_t min,
                        uint64_t max, uint64_t *out);

/* Reports the option getopt_long rejected (argv[optind - 1], opt '?' or
 * ':') and returns VMS_EXIT_USAGE. */
int vms_cli_bad_option(const char *cmd, char **argv, int opt);

/* True when diagnostics on stream should be coloured: always, never, or
 * auto = stream is a terminal and NO_COLOR is unset or empty. */
bool vms_cli_use_color(enum vms_color_mode mode, FILE *stream);

/*
 * Reads what the options name once for every input: --layout FILE is parsed
 * here (its diagnostics printed once) and its boot-log facts handed to every
 * later parse, before inference. When standard output is a terminal (and
 * neither -q, -v nor no_stdout), the notes of every input are held back
 * from here on (c->held), so the command's output comes first. Returns
 * VMS_EXIT_OK, or the exit code after a message. Call vms_cli_common_free()
 * after it in any case, once the command's output is written.
 */
int vms_cli_prepare(struct vms_cli_common *c);
/* Prints the notes held back (after flushing stdout), then frees what
 * vms_cli_prepare() made. */
void vms_cli_common_free(struct vms_cli_common *c);

/*
 * Loads one input: parses path ("-" = stdin) with c->popts (which carry the
 * --layout facts, see vms_cli_prepare(), and --cmdline), and prints the
 * diagnostics on stderr unless quiet: errors and warnings one by one, then
 * the notes and repairs grouped by code (one line per code; into c->held
 * when it is open), or with -v every message in line order. Returns
 * VMS_EXIT_OK with a new dump in *out (free with vms_dump_free(); it may be
 * unusable, see vms_dump_usable()), VMS_EXIT_INPUT after printing
 * "vmscope: FILE: reason", or VMS_EXIT_USAGE when the parser rejected the
 * options.
 */
int vms_cli_load(const struct vms_cli_common *c, const char *path, struct vms_dump **out);

struct vms_aspace;
/*
 * Loads path (vms_cli_load()), requires it usable (vms_cli_require_usable())
 * and builds its address-space model with the --arch profile. Returns
 * VMS_EXIT_OK with a new dump in *d and its model in *m (free the model,
 * then the dump), or the exit code with nothing to free.
 */
int vms_cli_load_model(const struct vms_cli_common *c, const char *path,
                       struct vms_dump **d, struct vms_aspace **m);

/*
 * Loads path (vms_cli_load()) and takes it apart into its listings (a
 * paste with several: vms_dump_listing()): *out gets a new array of n new
 * dumps, the input itself when it holds one listing (or none), else each
 * listing in order, or only listing --listing N. Returns VMS_EXIT_OK, or
 * the exit code with nothing to free (--listing beyond the input's
 * listings is a usage error). Free each dump, then the array.
 */
int vms_cli_load_listings(const struct vms_cli_common *c, const char *path,
                          struct vms_dump ***out, size_t *n);

/*
 * A command's work on one listing: the dump is now fn's (it frees it);
 * pos counts the listings handed out before it and the inputs that could
 * not be read (one each), so numbers follow the command line.
 */
typedef int (*vms_cli_listing_fn)(void *ctx, struct vms_dump *d, size_t pos);

/*
 * Loads each of files[0..n) in turn (vms_cli_load_listings()) and hands
 * each of its listings to fn. Stops after a usage error, or with stop
 * after any error (the listings left are freed unread). Returns the worst
 * exit status of the loads and of fn; *count gets the positions handed
 * out.
 */
int vms_cli_each_listing(const struct vms_cli_common *c, char **files, size_t n,
                         bool stop, vms_cli_listing_fn fn, void *ctx, size_t *count);

/*
 * Loads path for a command that reads one state of the space (fit, view,
 * sim --from): --listing N, else the last listing not printed through a
 * filter (else the last), said in a note on stderr when there are several
 * (unless -q). The input itself when it holds one listing.
 */
int vms_cli_load_one(const struct vms_cli_common *c, const char *path,
                     struct vms_dump **out);

/* Requires d usable and builds its model with the --arch profile: as
 * vms_cli_load_model(), for a dump already loaded (d is not freed). */
int vms_cli_model(const struct vms_cli_common *c, struct vms_dump *d,
                  struct vms_aspace **m);

/*
 * Returns VMS_EXIT_OK when d is usable (vms_dump_usable()), else prints
 * "vmscope: FILE: nothing usable ..." and returns VMS_EXIT_INPUT.
 */
int vms_cli_require_usable(const struct vms_dump *d);

/* Index of arg among names[0..n), or -1: the value of an option that
 * takes one word of a list (--format, --color). */
int vms_cli_choice(const char *arg, const char *const *names, size_t n);

/* The exit status of two outcomes together: usage (2) beats input (3)
 * beats findings (1) beats ok. */
int vms_cli_worse(int a, int b);

/* VMS_EXIT_OK, or VMS_EXIT_USAGE after a message when standard input ('-')
 * is named more than once among files[0..n) and --layout. */
int vms_cli_stdin_once(const struct vms_cli_common *c, char **files, int n);

/* True when stream's text may hold UTF-8 (the locale's LC_ALL, LC_CTYPE
 * or LANG names UTF-8): the report's Unicode bar, else ASCII. */
bool vms_cli_use_utf8(void);
/* Columns of the terminal on stream (COLUMNS, else the tty's width), 80
 * when not a terminal or unknown; at least 40. */
unsigned vms_cli_columns(FILE *stream);

/*
 * A progress line on stderr while one input is read (cli_progress.c):
 * start() before the parse (pass &p->bytes as vms_parse_opts.progress;
 * nothing shows unless stderr is a terminal and the reading is long),
 * stop() after it, which wipes the line.
 */
struct vms_cli_progress {
	_Atomic uint64_t bytes; /* the parser's counter (or items done) */
	atomic_bool stop;
	uint64_t total; /* the file's size, 0 when unknown (a pipe) */
	const char *name;
	int width;        /* of the longest line drawn, to wipe it */
	const char *unit; /* counting items ("operations"), not bytes, or NULL */
	bool running;
	pthread_t thread;
};
void vms_cli_progress_start(struct vms_cli_progress *p, const struct vms_cli_common *c,
                            const char *path);
/* The same for a count of items (unit, e.g. "operations") out of total:
 * "vmscope: NAME: 42% (420000 of 1000000 operations)". */
void vms_cli_progress_start_count(struct vms_cli_progress *p,
                                  const struct vms_cli_common *c, const char *name,
                                  uint64_t total, const char *unit);
void vms_cli_progress_stop(struct vms_cli_progress *p);

/* Reads the whole file path ("-": standard input) into a new buffer (free
 * with free()), its length in *len. NULL with errno set when it cannot be
 * read. For small inputs the parser does not read (scripts, baselines). */
char *vms_cli_read_file(const char *path, size_t *len);

/* Subcommands. */
int vms_cmd_parse(int argc, char **argv, const struct vms_cli_global *g);
int vms_cmd_check(int argc, char **argv, const struct vms_cli_global *g);
int vms_cmd_report(int argc, char **argv, const struct vms_cli_global *g);
int vms_cmd_diff(int argc, char **argv, const struct vms_cli_global *g);
int vms_cmd_view(int argc, char **argv, const struct vms_cli_global *g);
int vms_cmd_fit(int argc, char **argv, const struct vms_cli_global *g);
int vms_cmd_sim(int argc, char **argv, const struct vms_cli_global *g);

#endif /* VMS_CLI_H */
