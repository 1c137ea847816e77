/*
 * test_view_app.c — the viewer's app (src/view/view_app.c) in this
 * process, with SDL's dummy video driver (a window without a display): a
 * thread feeds it SDL events the way a user's keys and mouse arrive and
 * reads its trace (VMSCOPE_VIEW_TRACE lines, docs/view.md "Trace") to
 * assert what it shows after each. Under ASan this is the app's leak and
 * lifetime check: views, snapshots, diffs, the reader thread.
 * The real window under Xvfb is tests/view/e2e.sh.
 */
#include <criterion/criterion.h>
#include <SDL.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vmscope/common.h"
#include "vmscope/parse.h"
#include "vmscope/view_app.h"

#define ZYNQ "samples/arm32-zynq-xilinx-4.4.0-vmallocinfo.txt"

struct driver {
	char trace_path[96];
	FILE *trace;
	const char *steps; /* which script to play */
	bool ok;           /* the script ran to its end */
	char failed[1200]; /* else what it waited for in vain */
	char dir[64];      /* scratch directory (the app's cwd) */
};

static void setup(void)
{
	setenv("SDL_VIDEODRIVER", "dummy", 1);
	setenv("SDL_RENDER_DRIVER", "software", 1);
}

/* Waits (at most 20 s) for a trace line after *from that contains want;
 * copies it to line and moves *from past it. */
static bool wait_for(struct driver *d, long *from, const char *want, char *line,
                     size_t len)
{
	for (int i = 0; i < 2000; i++) {
		FILE *f = fopen(d->trace_path, "r");
		if (f && fseek(f, *from, SEEK_SET) == 0) {
			char buf[1024];
			while (fgets(buf, sizeof(buf), f)) {
				long at = ftell(f);
				if (strstr(buf, want)) {
					snprintf(line, len, "%s", buf);
					*from = at;
					fclose(f);
					return true;
				}
			}
		}
		if (f)
			fclose(f);
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	snprintf(d->failed, sizeof(d->failed), "no trace line with '%s'", want);
	return false;
}

static void push_key(SDL_Keycode k, uint16_t mod)
{
	SDL_Event e = {0};
	e.type = SDL_KEYDOWN;
	e.key.keysym.sym = k;
	e.key.keysym.mod = mod;
	SDL_PushEvent(&e);
}

static void push_text(const char *t)
{
	SDL_Event e = {0};
	e.type = SDL_TEXTINPUT;
	snprintf(e.text.text, sizeof(e.text.text), "%s", t);
	SDL_PushEvent(&e);
}

static void push_click(int x, int y)
{
	SDL_Event e = {0};
	e.type = SDL_MOUSEBUTTONDOWN;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.x = x;
	e.button.y = y;
	SDL_PushEvent(&e);
	e.type = SDL_MOUSEBUTTONUP;
	SDL_PushEvent(&e);
}

static void push_quit(void)
{
	SDL_Event e = {0};
	e.type = SDL_QUIT;
	SDL_PushEvent(&e);
}

/* The dump: fit, a click on the iotable_init ioremap, search, next,
 * colour by caller, a snapshot, Esc, quit. */
static bool play_dump(struct driver *d)
{
	long at = 0;
	char line[1024], ready[1024];
	int mx, my, mw, mh;
	unsigned long long vs, ve, bpp;
	if (!wait_for(d, &at, "ready ", ready, sizeof(ready)) ||
	    sscanf(ready, "ready %*ux%*u map %d,%d %dx%d", &mx, &my, &mw, &mh) != 4 ||
	    !wait_for(d, &at, "view 0x", line, sizeof(line)) ||
	    sscanf(line, "view 0x%llx-0x%llx bpp %llu", &vs, &ve, &bpp) != 3)
		return false;
	/* the middle of the 16 MiB ioremap at 0xce000000, rows of 12 px */
	unsigned long long cell = (0xce800000ull - vs) / bpp;
	push_click(mx + (int)(cell % (unsigned)mw),
	           my + (int)(cell / (unsigned)mw) * 12 + 6);
	if (!wait_for(d, &at, "select area 0xce000000-0xcf000000 iotable_init", line,
	              sizeof(line)))
		return false;
	push_key(SDLK_SLASH, 0);
	if (!wait_for(d, &at, "prompt", line, sizeof(line)))
		return false;
	push_text("of_io");
	push_text("map");
	push_key(SDLK_RETURN, 0);
	if (!wait_for(d, &at, "search 'of_iomap' ", line, sizeof(line)) ||
	    !wait_for(d, &at, "match 0x", line, sizeof(line)))
		return false;
	char first[1024];
	snprintf(first, sizeof(first), "%s", line);
	push_key(SDLK_n, 0);
	if (!wait_for(d, &at, "match 0x", line, sizeof(line)) || !strcmp(line, first)) {
		snprintf(d->failed, sizeof(d->failed), "n did not move: %s", line);
		return false;
	}
	push_key(SDLK_c, 0);
	push_key(SDLK_z, 0);
	push_key(SDLK_s, 0);
	if (!wait_for(d, &at, "color-by caller", line, sizeof(line)) ||
	    !wait_for(d, &at, "compressed", line, sizeof(line)) ||
	    !wait_for(d, &at, "saved vmscope-", line, sizeof(line)))
		return false;
	push_key(SDLK_ESCAPE, 0);
	if (!wait_for(d, &at, "select none", line, sizeof(line)))
		return false;
	return true;
}

/* Live from a command whose output changes each call. */
static bool play_live(struct driver *d)
{
	long at = 0;
	char line[1024];
	return wait_for(d, &at, "ready ", line, sizeof(line)) &&
	       wait_for(d, &at, "snapshot 2 areas 54 added 2 freed 2", line,
	                sizeof(line)) &&
	       wait_for(d, &at, "snapshot 3 areas 55 added 2 freed 1", line,
	                sizeof(line));
}

static void *drive(void *arg)
{
	struct driver *d = arg;
	d->ok = !strcmp(d->steps, "dump") ? play_dump(d) : play_live(d);
	push_quit(); /* whatever happened: the app must end */
	return NULL;
}

/* Runs the app with d driving it; in_dir: in d's scratch directory (where
 * 's' writes its snapshot). */
static int run_app(struct driver *d, struct vms_view_app_opts *o, bool in_dir, char *why,
                   size_t len)
{
	snprintf(d->dir, sizeof(d->dir), "/tmp/vmscope-app-XXXXXX");
	cr_assert_not_null(mkdtemp(d->dir));
	if (in_dir)
		cr_assert_eq(chdir(d->dir), 0);
	snprintf(d->trace_path, sizeof(d->trace_path), "%s/trace", d->dir);
	d->trace = fopen(d->trace_path, "w");
	cr_assert_not_null(d->trace);
	o->trace = d->trace;
	o->width = 900;
	o->height = 600;
	pthread_t t;
	cr_assert_eq(pthread_create(&t, NULL, drive, d), 0);
	int rc = vms_view_app_run(o, why, len);
	pthread_join(t, NULL);
	fclose(d->trace);
	return rc;
}

static void clean(struct driver *d)
{
	char *cmd = vms_xasprintf("rm -rf '%s'", d->dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

Test(view_app, a_dump_driven_by_events, .init = setup)
{
	struct vms_dump *dump;
	cr_assert_eq(vms_parse_file(ZYNQ, NULL, &dump), 0);
	struct vms_aspace *m = vms_aspace_build(dump, NULL);
	struct driver d = {.steps = "dump"};
	char why[256] = "", cwd[512];
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	struct vms_view_app_opts o = {.model = m, .name = ZYNQ};
	int rc = run_app(&d, &o, true, why, sizeof(why));
	cr_assert_eq(rc, 0, "%s", why);
	cr_assert(d.ok, "%s", d.failed);
	char *png = vms_xasprintf("ls %s/vmscope-*.png >/dev/null", d.dir);
	cr_assert_eq(system(png), 0, "the snapshot is in the app's directory");
	free(png);
	cr_assert_eq(chdir(cwd), 0);
	clean(&d);
	vms_aspace_free(m);
	vms_dump_free(dump);
}

Test(view_app, live_snapshots_are_diffed, .init = setup)
{
	char state[] = "/tmp/vmscope-state-XXXXXX";
	cr_assert_not_null(mkdtemp(state));
	char *cmd = vms_xasprintf("sh tests/data/live/rotate.sh %s", state);
	struct driver d = {.steps = "live"};
	char why[256] = "";
	struct vms_view_app_opts o = {
	    .live = true, .source = cmd, .interval_ms = 50, .timeout_ms = 20000};
	int rc = run_app(&d, &o, false, why, sizeof(why));
	cr_assert_eq(rc, 0, "%s", why);
	cr_assert(d.ok, "%s", d.failed);
	clean(&d);
	char *rm = vms_xasprintf("rm -rf '%s'", state);
	cr_assert_eq(system(rm), 0);
	free(rm);
	free(cmd);
}

Test(view_app, an_unreadable_series_is_refused, .init = setup)
{
	struct driver d = {.steps = "none"};
	char why[256] = "";
	struct vms_view_app_opts o = {.dir = "tests/data/no-such-dir"};
	snprintf(d.dir, sizeof(d.dir), "/tmp/vmscope-app-XXXXXX");
	cr_assert_not_null(mkdtemp(d.dir));
	int rc = vms_view_app_run(&o, why, sizeof(why));
	cr_assert_eq(rc, -VMS_EIO);
	cr_assert(strstr(why, "cannot read tests/data/no-such-dir"), "%s", why);
	clean(&d);
}
