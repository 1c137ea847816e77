/*
 * cli_common.c — what every input-reading subcommand shares: the common
 * options (--layout, --cmdline, --arch, --kernel, --page-size, --color, -q,
 * -v), usage-error messages, the colour decision, and loading one input
 * into a dump with its diagnostics printed.
 *
 * Diagnostics (docs/cli.md, "Verbosity"): errors and warnings one by one,
 * notes and repairs one line per code; -v every one, -q none. When stdout
 * is a terminal the grouped notes are written to memory and printed after
 * the command's output (vms_cli_common_free()), so the first screen is the
 * summary; the library only writes where it is told to.
 *
 * Operations are O(1) apart from vms_cli_load(), which is one or two parses
 * (O(input)) and one pass over the diagnostics.
 *
 * Invariants: every user mistake ends in one message line plus "Try
 * 'vmscope CMD --help'." and VMS_EXIT_USAGE; every unreadable input in
 * "vmscope: FILE: reason" and VMS_EXIT_INPUT. No parsing of dump text
 * happens here: that is the library's job.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmscope/aspace.h"
#include "vmscope/emit.h"
#include "vmscope/profile.h"

const char vms_cli_common_help[] =
    "      --layout FILE       take the boot-log facts (layout, command line,\n"
    "                          version, failures) from FILE instead\n"
    "      --cmdline STR       use STR as the kernel command line (vmalloc=,\n"
    "                          mem=, cma= are read from it)\n"
    "      --arch A            arch profile (names listed below): the address\n"
    "                          space layout when no boot log prints it\n"
    "      --kernel X.Y        kernel version (overrides the inferred era)\n"
    "      --page-size N       page size: a power of two >= 4096 (4K, 16K, 64K)\n"
    "      --color[=WHEN]      colour diagnostics: auto (default), always (also\n"
    "                          a bare --color), never\n"
    "  -q, --quiet             do not print diagnostics on stderr\n"
    "  -v, --verbose           list every note and repair of the parser (by\n"
    "                          default one line per kind, with a count)\n"
    "      --listing N         of a paste with several listings, only the\n"
    "                          Nth (default: each in turn; fit and view: the\n"
    "                          last not filtered); an input of one listing is\n"
    "                          read whole\n"
    "      --help              show this help and exit\n";

void vms_cli_common_init(struct vms_cli_common *c, const char *cmd,
                         const struct vms_cli_global *g)
{
	memset(c, 0, sizeof(*c));
	c->cmd = cmd;
	c->color = VMS_COLOR_AUTO;
	c->quiet = g && g->quiet;
	c->verbose = g && g->verbose;
}

static void eprint_escaped(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));
static void eprint_escaped(const char *fmt, va_list ap)
{
	char *msg = vms_xvasprintf(fmt, ap);
	vms_emit_escaped(stderr, msg, strlen(msg), true);
	free(msg);
}

void vms_cli_eprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	eprint_escaped(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int vms_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "vmscope %s: ", cmd);
	va_start(ap, fmt);
	eprint_escaped(fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'vmscope %s --help'.\n", cmd);
	return VMS_EXIT_USAGE;
}

int vms_cli_bad_option(const char *cmd, char **argv, int opt)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";
	bool is_long = strncmp(arg, "--", 2) == 0;
	if (opt == ':' && is_long)
		return vms_cli_usage_error(cmd, "option '%s' requires an argument", arg);
	if (opt == ':')
		return vms_cli_usage_error(cmd, "option requires an argument -- '%c'",
		                           optopt);
	if (is_long && optopt)
		return vms_cli_usage_error(cmd, "option '%.*s' doesn't allow an argument",
		                           (int)strcspn(arg, "="), arg);
	if (is_long)
		return vms_cli_usage_error(cmd, "unrecognized option '%s'", arg);
	return vms_cli_usage_error(cmd, "invalid option -- '%c'", optopt);
}

int vms_cli_choice(const char *arg, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(arg, names[i]) == 0)
			return (int)i;
	return -1;
}

static int set_color(struct vms_cli_common *c, const char *arg)
{
	static const char *const names[] = {"auto", "always", "never"};
	int i = vms_cli_choice(arg, names, 3);
	if (i >= 0) {
		c->color = (enum vms_color_mode)i;
		return 0;
	}
	return vms_cli_usage_error(
	    c->cmd, "invalid --color value '%s' (auto, always, never)", arg);
}

void vms_cli_print_help(const char *usage, const char *tail)
{
	fputs(usage, stdout);
	fputs(vms_cli_common_help, stdout);
	fputs("\nArch profiles (--arch):\n", stdout);
	vms_profile_help(stdout);
	fputs(tail, stdout);
}

/* --arch names a profile of the table; the parser gets its family. */
static int set_arch(struct vms_cli_common *c, const char *arg)
{
	const struct vms_profile *p = vms_profile_by_name(arg);
	if (p) {
		c->popts.arch = p->family;
		c->profile = p->name;
		return 0;
	}
	return vms_cli_usage_error(c->cmd,
	                           "unknown --arch '%s' (see 'vmscope %s --help' for the "
	                           "profile names)",
	                           arg, c->cmd);
}

static int set_kernel(struct vms_cli_common *c, const char *arg)
{
	int major, minor;
	if (vms_parse_kernel_version(arg, &major, &minor) != 0)
		return vms_cli_usage_error(
		    c->cmd,
		    "invalid --kernel '%s' (expected X.Y or X.Y.Z, "
		    "e.g. 4.19 or 5.10.0-21-amd64)",
		    arg);
	c->popts.kernel_major = major;
	c->popts.kernel_minor = minor;
	c->kernel_text = arg;
	return 0;
}

static int set_page_size(struct vms_cli_common *c, const char *arg)
{
	uint64_t v;
	if (vms_parse_size(arg, &v) != 0 || v < VMS_PAGE_SIZE_MIN ||
	    v > VMS_PAGE_SIZE_MAX || (v & (v - 1)) != 0)
		return vms_cli_usage_error(
		    c->cmd,
		    "invalid --page-size '%s' (a power of two from 4K "
		    "to 256K, e.g. 4K, 16K, 64K)",
		    arg);
	c->popts.page_size = v;
	return 0;
}

/* Checks --cmdline STR now, with the library's reader (the one the boot-log
 * parser uses), so a bad vmalloc= or mem= is a usage error up front. */
static int set_cmdline(struct vms_cli_common *c, const char *arg)
{
	if (!arg[strspn(arg, " \t")])
		return vms_cli_usage_error(c->cmd, "--cmdline needs a command line "
		                                   "(e.g. --cmdline 'vmalloc=300M')");
	struct vms_arena ar = {0};
	struct vms_cmdline cl = {0};
	struct vms_cmdline_bad bad = {0};
	int rc = 0;
	if (vms_cmdline_parse(arg, strlen(arg), &ar, &cl, &bad) != 0)
		rc = vms_cli_usage_error(c->cmd, "invalid value in --cmdline: '%.*s': %s",
		                         (int)bad.len, arg + bad.off, bad.reason);
	vms_arena_free(&ar);
	if (rc == 0)
		c->popts.cmdline = arg;
	return rc;
}

int vms_cli_common_option(struct vms_cli_common *c, int opt, const char *arg)
{
	switch (opt) {
	case VMS_OPT_LAYOUT:
		if (c->layout)
			return vms_cli_usage_error(
			    c->cmd, "--layout given twice ('%s', '%s')", c->layout, arg);
		c->layout = arg;
		return 0;
	case VMS_OPT_CMDLINE:
		return set_cmdline(c, arg);
	case VMS_OPT_ARCH:
		return set_arch(c, arg);
	case VMS_OPT_KERNEL:
		return set_kernel(c, arg);
	case VMS_OPT_PAGE_SIZE:
		return set_page_size(c, arg);
	case VMS_OPT_COLOR: /* bare --color means always, as in GNU tools */
		return set_color(c, arg ? arg : "always");
	case VMS_OPT_LISTING: {
		char *end;
		errno = 0;
		unsigned long v = strtoul(arg, &end, 10);
		if (errno || end == arg || *end || arg[0] == '-' || v == 0 ||
		    v > UINT32_MAX)
			return vms_cli_usage_error(
			    c->cmd,
			    "invalid --listing '%s' (expected a listing "
			    "number, 1 for the first)",
			    arg);
		c->listing = (uint32_t)v;
		return 0;
	}
	case 'q':
		c->quiet = true;
		return 0;
	case 'v':
		c->verbose = true;
		return 0;
	default:
		return 1;
	}
}

int vms_cli_options(int argc, char **argv, struct vms_cli_common *c,
                    const struct vms_cli_spec *spec, void *args)
{
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":qv", spec->longopts, NULL)) != -1) {
		int rc = vms_cli_common_option(c, opt, optarg);
		if (rc == 0)
			continue;
		if (rc != 1)
			return rc;
		if (opt == VMS_OPT_HELP) {
			vms_cli_print_help(spec->usage, spec->tail);
			return VMS_EXIT_OK;
		}
		rc = spec->apply(args, opt, optarg);
		if (rc < 0)
			return vms_cli_bad_option(spec->cmd, argv, opt);
		if (rc)
			return rc == VMS_CLI_STOP ? VMS_EXIT_OK : rc;
	}
	return -1;
}

int vms_cli_format(const char *cmd, const char *arg, const char *const *names, size_t n,
                   int *out)
{
	int i = vms_cli_choice(arg, names, n);
	if (i >= 0) {
		*out = i;
		return 0;
	}
	char list[160] = "";
	for (size_t k = 0; k < n; k++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
		         k ? ", " : "", names[k]);
	return vms_cli_usage_error(cmd, "invalid --format '%s' (%s)", arg, list);
}

int vms_cli_count_range(const char *cmd, const char *opt, const char *arg, uint64_t min,
                        uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = arg;
	bool big = false;
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t d = (uint64_t)(*p - '0');
		big |= v > (UINT64_MAX - d) / 10; /* no wrap past 2^64 */
		v = big ? v : v * 10 + d;
	}
	if (p == arg || *p || big || v < min || v > max)
		return vms_cli_usage_error(cmd, "invalid %s '%s' (%llu-%llu)", opt, arg,
		                           (unsigned long long)min,
		                           (unsigned long long)max);
	*out = v;
	return 0;
}

int vms_cli_count(const char *cmd, const char *opt, const char *arg, uint64_t max,
                  uint64_t *out)
{
	return vms_cli_count_range(cmd, opt, arg, 0, max, out);
}

bool vms_cli_use_utf8(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (!v || !v[0])
			continue; /* the first one set decides, as setlocale does */
		return strstr(v, "UTF-8") || strstr(v, "utf-8") || strstr(v, "UTF8") ||
		       strstr(v, "utf8");
	}
	return false;
}

unsigned vms_cli_columns(FILE *stream)
{
	unsigned cols = 0;
	const char *env = getenv("COLUMNS");
	if (env && env[0]) {
		char *end;
		unsigned long v = strtoul(env, &end, 10);
		if (!*end && v > 0)
			cols = v < 10000 ? (unsigned)v : 9999;
	}
	struct winsize ws;
	if (!cols && isatty(fileno(stream)) == 1 &&
	    ioctl(fileno(stream), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		cols = ws.ws_col;
	if (!cols)
		cols = 80;
	return cols < 40 ? 40 : cols;
}

bool vms_cli_use_color(enum vms_color_mode mode, FILE *stream)
{
	if (mode != VMS_COLOR_AUTO)
		return mode == VMS_COLOR_ALWAYS;
	const char *no_color = getenv("NO_COLOR");
	if (no_color && no_color[0])
		return false;
	const char *term = getenv("TERM");
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(stream)) == 1;
}

/* ---- loading ------------------------------------------------------------ */

static const char *display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Parses path ("-" is standard input), or prints why it could not and
 * returns the exit code. opts are c's, without the --layout facts when
 * bare (the layout file itself is parsed bare). */
static int parse_input(const struct vms_cli_common *c, const char *path, bool bare,
                       struct vms_dump **out)
{
	struct vms_parse_opts o = c->popts;
	if (bare)
		o.layout = NULL, o.layout_file = NULL;
	o.running = strcmp(path, "/proc/vmallocinfo") == 0;
	struct vms_cli_progress progress;
	vms_cli_progress_start(&progress, c, path);
	o.progress = &progress.bytes;
	errno = 0;
	int rc = strcmp(path, "-") == 0 ? vms_parse_stream(stdin, "-", &o, out)
	                                : vms_parse_file(path, &o, out);
	int err = errno;
	vms_cli_progress_stop(&progress);
	if (rc == 0)
		return VMS_EXIT_OK;
	if (rc == -VMS_EINVAL)
		return vms_cli_usage_error(
		    c->cmd, "the parser rejected the options%s%s%s",
		    c->popts.arch ? " (--arch '" : "", c->popts.arch ? c->popts.arch : "",
		    c->popts.arch ? "')" : "");
	if (rc == -VMS_EIO && err) {
		vms_cli_eprintf("vmscope: %s: %s%s", display_name(path), strerror(err),
		                o.running && (err == EACCES || err == EPERM)
		                    ? " (reading it needs root)"
		                    : "");
	} else {
		vms_cli_eprintf("vmscope: %s: %s", display_name(path), vms_strerror(rc));
	}
	return VMS_EXIT_INPUT;
}

static void print_diags(const struct vms_cli_common *c, const struct vms_dump *d)
{
	if (c->quiet)
		return;
	bool color = vms_cli_use_color(c->color, stderr);
	if (c->verbose) {
		vms_emit_diags(stderr, d, color);
	} else if (c->held) {
		vms_emit_diags_as(stderr, d, color, VMS_DIAGS_ALERTS);
		vms_emit_diags_as(c->held, d, color, VMS_DIAGS_NOTE_GROUPS);
	} else {
		vms_emit_diags_as(stderr, d, color,
		                  VMS_DIAGS_ALERTS | VMS_DIAGS_NOTE_GROUPS);
	}
}

/* The notes held back until the output is written: on a terminal only
 * (elsewhere the order stays that of the reading). */
static void hold_notes(struct vms_cli_common *c)
{
	if (c->held || c->quiet || c->verbose || c->no_stdout ||
	    isatty(STDOUT_FILENO) != 1)
		return;
	c->held = open_memstream(&c->held_text, &c->held_len); /* NULL: now */
}

static void print_held(struct vms_cli_common *c)
{
	if (!c->held)
		return;
	fflush(stdout);
	if (fclose(c->held) == 0 && c->held_len)
		fwrite(c->held_text, 1, c->held_len, stderr);
	free(c->held_text);
	c->held = NULL;
	c->held_text = NULL;
	c->held_len = 0;
}

int vms_cli_prepare(struct vms_cli_common *c)
{
	hold_notes(c);
	if (!c->layout || c->layout_dump)
		return VMS_EXIT_OK;
	int rc = parse_input(c, c->layout, true, &c->layout_dump);
	if (rc != VMS_EXIT_OK)
		return rc;
	print_diags(c, c->layout_dump);
	if (c->layout_dump->stopped) { /* as for any input: exit 3 */
		vms_cli_eprintf("vmscope: %s: %s: the rest was not read",
		                vms_emit_source_name(c->layout_dump),
		                c->layout_dump->stopped);
		return VMS_EXIT_INPUT;
	}
	const struct vms_bootlog *log = c->layout_dump->log;
	if (!c->quiet && !log->layout_style && !log->has_cmdline && !log->memory_text &&
	    !log->version_text && !log->failures.n)
		vms_cli_eprintf(
		    "vmscope %s: warning: --layout %s: no boot-log facts found (no "
		    "memory layout, command line, Memory: or Linux version line)",
		    c->cmd, c->layout);
	c->popts.layout = log;
	c->popts.layout_file = c->layout;
	return VMS_EXIT_OK;
}

void vms_cli_common_free(struct vms_cli_common *c)
{
	print_held(c);
	vms_dump_free(c->layout_dump);
	c->layout_dump = NULL;
	c->popts.layout = NULL;
}

int vms_cli_load(const struct vms_cli_common *c, const char *path, struct vms_dump **out)
{
	struct vms_dump *d = NULL;
	int rc = parse_input(c, path, false, &d);
	if (rc != VMS_EXIT_OK)
		return rc;
	print_diags(c, d);
	*out = d;
	return VMS_EXIT_OK;
}

int vms_cli_model(const struct vms_cli_common *c, struct vms_dump *d,
                  struct vms_aspace **m)
{
	*m = NULL;
	int rc = vms_cli_require_usable(d);
	if (rc == VMS_EXIT_OK)
		*m = vms_aspace_build(d, c->profile);
	return rc;
}

int vms_cli_load_model(const struct vms_cli_common *c, const char *path,
                       struct vms_dump **d, struct vms_aspace **m)
{
	*d = NULL;
	*m = NULL;
	int rc = vms_cli_load_one(c, path, d);
	if (rc == VMS_EXIT_OK)
		rc = vms_cli_model(c, *d, m);
	if (rc != VMS_EXIT_OK) {
		vms_dump_free(*d);
		*d = NULL;
	}
	return rc;
}

/* --listing N beyond the input's listings. */
static int no_such_listing(const struct vms_cli_common *c, const struct vms_dump *d)
{
	size_t n = d->listings.n;
	return vms_cli_usage_error(c->cmd, "--listing %u: %s holds %zu listing%s",
	                           c->listing, vms_emit_source_name(d), n,
	                           n == 1 ? "" : "s");
}

/* Loads path and checks --listing against its listings. */
static int load_checked(const struct vms_cli_common *c, const char *path,
                        struct vms_dump **out)
{
	int rc = vms_cli_load(c, path, out);
	if (rc != VMS_EXIT_OK)
		return rc;
	size_t nl = (*out)->listings.n; /* --listing skips inputs of one listing */
	if (c->listing && nl > 1 && c->listing > nl) {
		rc = no_such_listing(c, *out);
		vms_dump_free(*out);
		*out = NULL;
	}
	return rc;
}

int vms_cli_load_listings(const struct vms_cli_common *c, const char *path,
                          struct vms_dump ***out, size_t *n)
{
	struct vms_dump *d = NULL;
	int rc = load_checked(c, path, &d);
	if (rc != VMS_EXIT_OK)
		return rc;
	size_t nl = d->listings.n;
	if (nl < 2) {
		*out = vms_xcalloc(1, sizeof(**out));
		(*out)[0] = d;
		*n = 1;
		return VMS_EXIT_OK;
	}
	size_t from = c->listing ? c->listing - 1 : 0, to = c->listing ? c->listing : nl;
	*out = vms_xcalloc(to - from, sizeof(**out));
	for (size_t k = from; k < to; k++)
		(*out)[k - from] = vms_dump_listing(d, k);
	*n = to - from;
	vms_dump_free(d);
	return VMS_EXIT_OK;
}

int vms_cli_each_listing(const struct vms_cli_common *c, char **files, size_t n,
                         bool stop, vms_cli_listing_fn fn, void *ctx, size_t *count)
{
	int status = VMS_EXIT_OK;
	size_t pos = 0;
	for (size_t i = 0; i < n && status != VMS_EXIT_USAGE; i++) {
		if (stop && status != VMS_EXIT_OK)
			break;
		struct vms_dump **dumps = NULL;
		size_t nd = 0; /* a paste with several listings: each in turn */
		status = vms_cli_worse(status,
		                       vms_cli_load_listings(c, files[i], &dumps, &nd));
		pos += !nd;
		for (size_t k = 0; k < nd; k++, pos++) {
			if (stop && status != VMS_EXIT_OK)
				vms_dump_free(dumps[k]);
			else
				status = vms_cli_worse(status, fn(ctx, dumps[k], pos));
		}
		free(dumps);
	}
	if (count)
		*count = pos;
	return status;
}

int vms_cli_load_one(const struct vms_cli_common *c, const char *path,
                     struct vms_dump **out)
{
	struct vms_dump *d = NULL;
	int rc = load_checked(c, path, &d);
	if (rc != VMS_EXIT_OK)
		return rc;
	size_t nl = d->listings.n;
	if (nl < 2) {
		*out = d;
		return VMS_EXIT_OK;
	}
	/* the last listing not printed through a filter, or the last */
	size_t k = nl - 1;
	while (!c->listing && k && d->listings.v[k].filtered)
		k--;
	if (d->listings.v[k].filtered)
		k = nl - 1;
	if (c->listing)
		k = c->listing - 1;
	const struct vms_listing *l = &d->listings.v[k];
	if (!c->listing && !c->quiet)
		vms_cli_eprintf("vmscope %s: %s holds %zu listings; reading listing %zu "
		                "(lines %u-%u%s); --listing N picks another",
		                c->cmd, vms_emit_source_name(d), nl, k + 1, l->line_lo,
		                l->line_hi,
		                k + 1 < nl ? ", the last one not filtered" : "");
	*out = vms_dump_listing(d, k);
	vms_dump_free(d);
	return VMS_EXIT_OK;
}

int vms_cli_require_usable(const struct vms_dump *d)
{
	if (d->stopped) { /* the binary-input error says more (unless -q) */
		vms_cli_eprintf("vmscope: %s: %s: the rest was not read",
		                vms_emit_source_name(d), d->stopped);
		return VMS_EXIT_INPUT;
	}
	if (vms_dump_usable(d))
		return VMS_EXIT_OK;
	vms_cli_eprintf("vmscope: %s: nothing usable (no vmallocinfo lines or boot-log "
	                "facts found)",
	                vms_emit_source_name(d));
	return VMS_EXIT_INPUT;
}

int vms_cli_worse(int a, int b)
{
	if (a == VMS_EXIT_USAGE || b == VMS_EXIT_USAGE)
		return VMS_EXIT_USAGE;
	return a > b ? a : b;
}

int vms_cli_stdin_once(const struct vms_cli_common *c, char **files, int n)
{
	/* standard input can be read once: '-' twice (or with --layout -)
	 * would find the second one empty */
	int dashes = c->layout && strcmp(c->layout, "-") == 0;
	for (int i = 0; i < n; i++)
		dashes += strcmp(files[i], "-") == 0;
	if (dashes > 1)
		return vms_cli_usage_error(c->cmd,
		                           "standard input ('-') given more than once");
	return VMS_EXIT_OK;
}

char *vms_cli_read_file(const char *path, size_t *len)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!fp)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = vms_xmalloc(cap);
	for (size_t got; (got = fread(buf + n, 1, cap - n, fp)) > 0;) {
		n += got;
		if (n == cap)
			buf = vms_xrealloc(buf, cap *= 2);
	}
	int err = ferror(fp) ? (errno ? errno : EIO) : 0;
	if (fp != stdin)
		fclose(fp);
	if (err) {
		free(buf);
		errno = err;
		return NULL;
	}
	*len = n;
	return buf;
}
