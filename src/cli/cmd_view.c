/*
 * cmd_view.c — `vmscope view [FILE|DIR] [--live] [--source CMD] [--interval
 * MS] [--timeout MS] [--record DIR] [--screenshot OUT.png] [--size WxH]
 * [--focus R|A-B] [--color-by kind|caller] [--font FILE]`: the zoomable
 * map of one dump, of a live source, or of a recorded series; or one
 * frame as PNG without a window.
 *
 * Decisions (docs/view.md, docs/cli.md):
 *  - FILE is loaded as by every command (diagnostics on stderr) and must
 *    be usable; a DIR is replayed; with --live (or --source) nothing is
 *    read here: the reader thread re-reads FILE (default
 *    /proc/vmallocinfo) or runs the command each interval;
 *  - --screenshot draws the first frame the window would show and exits:
 *    of FILE; of one read of the live source; of a DIR's last snapshot
 *    with its changes against the one before;
 *  - exit 0 when the window was closed or the PNG written; 2 on a usage
 *    error (also a --focus that names nothing); 3 when the input cannot be
 *    read or holds nothing usable, when no window can be opened (no
 *    display: --screenshot needs none), or the PNG cannot be written.
 *  - VMSCOPE_VIEW_TRACE=FILE appends one line per state change of the
 *    window (what it shows, the selection, searches, snapshots): the
 *    end-to-end test reads it; docs/view.md lists the lines.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vmscope/emit.h"
#include "vmscope/view_app.h"
#include "vmscope/view_live.h"

enum {
	OPT_LIVE = 0x200,
	OPT_SOURCE,
	OPT_INTERVAL,
	OPT_TIMEOUT,
	OPT_RECORD,
	OPT_SCREENSHOT,
	OPT_SIZE,
	OPT_FOCUS,
	OPT_COLOR_BY,
	OPT_FONT,
};

static const char *const color_by_names[] = {"kind", "caller"};

#define MIN_INTERVAL    50
#define MAX_INTERVAL    3600000
#define DEFAULT_TIMEOUT 10000
#define MAX_SIDE        16384

static const char view_usage[] =
    "Usage: vmscope view [OPTIONS] [FILE|DIR]\n"
    "\n"
    "A zoomable map of the kernel's virtual address space: areas by kind (or by\n"
    "caller), guard pages, free holes, regions, a compressed axis for sparse\n"
    "64-bit spaces; a treemap of sizes when the addresses are hashed. FILE is a\n"
    "dump ('-' is standard input; default /proc/vmallocinfo); a DIR recorded by\n"
    "--record is replayed with a timeline. Press h in the window for the keys.\n"
    "\n"
    "Options:\n"
    "      --live              re-read FILE (default /proc/vmallocinfo) every\n"
    "                          interval, highlighting new and freed areas\n"
    "      --source CMD        live from a command's output, run with /bin/sh\n"
    "                          each interval ('adb shell cat /proc/vmallocinfo',\n"
    "                          'ssh board cat /proc/vmallocinfo'); implies --live\n"
    "      --interval MS       between live reads (default 1000, 50-3600000)\n"
    "      --timeout MS        a --source command running longer is killed\n"
    "                          (default 10000)\n"
    "      --record DIR        live: keep each snapshot read in DIR\n"
    "                          (snapshot-000001.txt, ...), for replay\n"
    "      --screenshot PNG    write the first frame as PNG and exit (no window,\n"
    "                          no display needed); of a DIR, its last snapshot\n"
    "                          with its changes\n"
    "      --size WxH          the window or the image (default 1280x800; each\n"
    "                          side 64-16384)\n"
    "      --focus R|A-B       show a region by name (vmalloc, modules, ...) or\n"
    "                          an address range (hex) instead of everything\n"
    "      --color-by WHAT     kind (default) or caller\n"
    "      --font FILE         a TrueType font for the labels (default:\n"
    "                          assets/DejaVuSans.ttf, then the system's DejaVu)\n";

static const char view_usage_tail[] =
    "\n"
    "The map, its keys, live mode and replay are described in docs/view.md.\n"
    "\n"
    "Exit status: 0 the window was closed or the PNG written, 2 usage error,\n"
    "3 unreadable or unusable input, no window (no display), or the PNG not\n"
    "written.\n";

struct view_args {
	struct vms_cli_common c;
	struct vms_view_app_opts o;
	const char *screenshot;
	uint64_t interval, timeout;
};

static int size_option(struct view_args *a, const char *arg)
{
	unsigned long w, h;
	char *end;
	errno = 0;
	w = strtoul(arg, &end, 10);
	if (end != arg && (*end == 'x' || *end == 'X') && end[1] >= '0' &&
	    end[1] <= '9') {
		const char *hs = end + 1;
		h = strtoul(hs, &end, 10);
		if (!*end && !errno && w >= 64 && h >= 64 && w <= MAX_SIDE &&
		    h <= MAX_SIDE) {
			a->o.width = (uint32_t)w;
			a->o.height = (uint32_t)h;
			return 0;
		}
	}
	return vms_cli_usage_error("view", "invalid --size '%s' (WxH, each 64-%d)", arg,
	                           MAX_SIDE);
}

static int apply_option(void *args, int opt, const char *arg)
{
	struct view_args *a = args;
	int i;
	switch (opt) {
	case OPT_LIVE:
		a->o.live = true;
		return 0;
	case OPT_SOURCE:
		if (!*arg)
			return vms_cli_usage_error("view", "--source needs a command");
		a->o.source = arg;
		a->o.live = true;
		return 0;
	case OPT_INTERVAL:
		return vms_cli_count_range("view", "--interval", arg, MIN_INTERVAL,
		                           MAX_INTERVAL, &a->interval)
		           ? VMS_EXIT_USAGE
		           : 0;
	case OPT_TIMEOUT:
		return vms_cli_count_range("view", "--timeout", arg, 1, MAX_INTERVAL,
		                           &a->timeout)
		           ? VMS_EXIT_USAGE
		           : 0;
	case OPT_RECORD:
		a->o.record_dir = arg;
		return 0;
	case OPT_SCREENSHOT:
		a->screenshot = arg;
		return 0;
	case OPT_SIZE:
		return size_option(a, arg) ? VMS_EXIT_USAGE : 0;
	case OPT_FOCUS:
		a->o.focus = arg;
		return 0;
	case OPT_COLOR_BY:
		if ((i = vms_cli_choice(arg, color_by_names, 2)) < 0)
			return vms_cli_usage_error(
			    "view", "invalid --color-by '%s' (kind, caller)", arg);
		a->o.color_by = (enum vms_color_by)i;
		return 0;
	case OPT_FONT: {
		FILE *f = fopen(arg, "rb");
		if (!f)
			return vms_cli_usage_error("view", "cannot read --font %s: %s",
			                           arg, strerror(errno));
		fclose(f);
		a->o.font = arg;
		return 0;
	}
	default:
		return -1;
	}
}

static const struct option view_longopts[] = {
    {"live", no_argument, NULL, OPT_LIVE},
    {"source", required_argument, NULL, OPT_SOURCE},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"record", required_argument, NULL, OPT_RECORD},
    {"screenshot", required_argument, NULL, OPT_SCREENSHOT},
    {"size", required_argument, NULL, OPT_SIZE},
    {"focus", required_argument, NULL, OPT_FOCUS},
    {"color-by", required_argument, NULL, OPT_COLOR_BY},
    {"font", required_argument, NULL, OPT_FONT},
    VMS_CLI_COMMON_LONGOPTS,
    {0},
};

static const struct vms_cli_spec view_spec = {
    "view", view_usage, view_usage_tail, view_longopts, apply_option,
};

static int check_args(const struct view_args *a, int nfiles, const char *path)
{
	if (nfiles > 1)
		return vms_cli_usage_error("view", "one input only (got %d)", nfiles);
	if (a->o.source && nfiles)
		return vms_cli_usage_error("view",
		                           "--source and FILE exclude each other");
	if (!a->o.live && (a->o.record_dir || a->interval || a->timeout))
		return vms_cli_usage_error("view", "%s needs --live or --source",
		                           a->o.record_dir ? "--record"
		                           : a->interval   ? "--interval"
		                                           : "--timeout");
	if (a->timeout && !a->o.source)
		return vms_cli_usage_error("view", "--timeout needs --source");
	if (path && strcmp(path, "-") != 0 && vms_series_is_dir(path) && a->o.live)
		return vms_cli_usage_error(
		    "view", "'%s' is a directory: replay it without --live", path);
	if (a->o.live && path && !strcmp(path, "-"))
		return vms_cli_usage_error("view",
		                           "--live cannot re-read standard input");
	return VMS_EXIT_OK;
}

/* One PNG of model m; prev and diff: the changes to show. */
static int shoot(const struct view_args *a, const struct vms_aspace *m, const char *title,
                 const struct vms_aspace *prev, const struct vms_view_diff *diff)
{
	char why[512];
	struct vms_view_shot s = {.path = a->screenshot,
	                          .width = a->o.width,
	                          .height = a->o.height,
	                          .focus = a->o.focus,
	                          .color_by = a->o.color_by,
	                          .title = title,
	                          .prev = prev,
	                          .diff = diff};
	int rc = vms_view_screenshot(m, &s, why, sizeof(why));
	if (rc >= 0 && (rc & VMS_RENDER_NO_TEXT) && !a->c.quiet)
		vms_cli_eprintf("vmscope view: warning: no font found (install "
		                "fonts-dejavu-core or give --font): %s has no text",
		                a->screenshot);
	if (rc >= 0)
		return VMS_EXIT_OK;
	if (rc == -VMS_EINVAL)
		return vms_cli_usage_error("view", "%s", why);
	vms_cli_eprintf("vmscope view: %s", why);
	return VMS_EXIT_INPUT;
}

/* --screenshot of a live source: one read. */
static int shoot_live(const struct view_args *a)
{
	struct vms_live_opts lo = {.path = a->o.path,
	                           .source = a->o.source,
	                           .timeout_ms = a->o.timeout_ms,
	                           .record_dir = a->o.record_dir,
	                           .popts = a->o.popts,
	                           .arch = a->o.arch};
	struct vms_live_snap s = {0};
	vms_live_read_once(&lo, 1, &s);
	int rc;
	if (!s.model) {
		vms_cli_eprintf("vmscope view: %s: %s",
		                a->o.source ? a->o.source : a->o.path,
		                s.error ? s.error : "nothing usable");
		if (s.stderr_text && *s.stderr_text) { /* its lines, as it wrote them */
			size_t n = strlen(s.stderr_text);
			while (n && (s.stderr_text[n - 1] == '\n' ||
			             s.stderr_text[n - 1] == '\r'))
				s.stderr_text[--n] = 0;
			vms_cli_eprintf("vmscope view: %s wrote on stderr: %s",
			                a->o.source, s.stderr_text);
		}
		rc = VMS_EXIT_INPUT;
	} else {
		rc = shoot(a, s.model, a->o.source ? a->o.source : a->o.path, NULL, NULL);
	}
	vms_live_snap_clear(&s);
	return rc;
}

/* --screenshot of a recorded DIR: its last snapshot, changes included. */
static int shoot_dir(const struct view_args *a, const char *dir)
{
	struct vms_series ser = {0};
	int rc = vms_series_open(dir, &ser);
	if (rc < 0) {
		vms_cli_eprintf("vmscope view: %s", ser.error);
		vms_series_free(&ser);
		return VMS_EXIT_INPUT;
	}
	struct vms_live_snap last = {0}, before = {0};
	vms_series_load(&ser, ser.names.n - 1, a->o.popts, a->o.arch, &last);
	if (ser.names.n > 1)
		vms_series_load(&ser, ser.names.n - 2, a->o.popts, a->o.arch, &before);
	if (!last.model) {
		vms_cli_eprintf("vmscope view: %s: the last snapshot: %s", dir,
		                last.error ? last.error : "nothing usable");
		rc = VMS_EXIT_INPUT;
	} else {
		struct vms_view_diff d = {0};
		bool diffed = before.model != NULL;
		if (diffed)
			vms_view_diff_build(before.model, last.model, &d);
		rc = shoot(a, last.model, dir, before.model, diffed ? &d : NULL);
		vms_view_diff_free(&d);
	}
	vms_live_snap_clear(&last);
	vms_live_snap_clear(&before);
	vms_series_free(&ser);
	return rc;
}

static int run_window(struct view_args *a)
{
	char why[512];
	FILE *trace = NULL;
	const char *tp = getenv("VMSCOPE_VIEW_TRACE");
	if (tp && *tp && !(trace = fopen(tp, "a"))) {
		vms_cli_eprintf("vmscope view: VMSCOPE_VIEW_TRACE: %s: %s", tp,
		                strerror(errno));
		return VMS_EXIT_INPUT;
	}
	a->o.err = stderr;
	a->o.trace = trace;
	int rc = vms_view_app_run(&a->o, why, sizeof(why));
	if (trace)
		fclose(trace);
	if (rc == -VMS_EINVAL)
		return vms_cli_usage_error("view", "%s", why);
	if (rc < 0) {
		vms_cli_eprintf("vmscope view: %s", why);
		return VMS_EXIT_INPUT;
	}
	return VMS_EXIT_OK;
}

static int run(struct view_args *a, const char *path)
{
	a->o.popts = &a->c.popts;
	a->o.arch = a->c.profile;
	a->o.interval_ms = a->interval ? (uint32_t)a->interval : 1000;
	a->o.timeout_ms = a->timeout ? (uint32_t)a->timeout : DEFAULT_TIMEOUT;
	if (a->o.live) {
		a->o.path = path ? path : "/proc/vmallocinfo";
		return a->screenshot ? shoot_live(a) : run_window(a);
	}
	if (path && strcmp(path, "-") != 0 && vms_series_is_dir(path)) {
		a->o.dir = path;
		return a->screenshot ? shoot_dir(a, path) : run_window(a);
	}
	struct vms_dump *d;
	struct vms_aspace *m;
	int rc = vms_cli_load_model(&a->c, path ? path : "/proc/vmallocinfo", &d, &m);
	if (rc != VMS_EXIT_OK)
		return rc;
	a->o.model = m;
	a->o.name = vms_emit_source_name(d);
	char *text = NULL;
	if (!a->screenshot && path && strcmp(path, "-") != 0) /* to quote lines */
		text = vms_cli_read_file(path, &a->o.text_len);
	a->o.text = text;
	rc = a->screenshot ? shoot(a, m, a->o.name, NULL, NULL) : run_window(a);
	free(text);
	vms_aspace_free(m);
	vms_dump_free(d);
	return rc;
}

int vms_cmd_view(int argc, char **argv, const struct vms_cli_global *g)
{
	struct view_args a = {0};
	vms_cli_common_init(&a.c, "view", g);
	a.c.no_stdout = true; /* a window: its notes are printed before it opens */
	int rc = vms_cli_options(argc, argv, &a.c, &view_spec, &a);
	if (rc >= 0)
		return rc;
	int nfiles = argc - optind;
	const char *path = nfiles ? argv[optind] : NULL;
	rc = check_args(&a, nfiles, path);
	if (rc == VMS_EXIT_OK)
		rc = vms_cli_stdin_once(&a.c, argv + optind, nfiles);
	if (rc != VMS_EXIT_OK)
		return rc;
	rc = vms_cli_prepare(&a.c);
	if (rc == VMS_EXIT_OK)
		rc = run(&a, path);
	vms_cli_common_free(&a.c);
	return rc;
}
