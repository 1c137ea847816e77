/*
 * test_view_live.c — the live reader and recorded series
 * (src/view/view_live.c): a command whose dump changes at each call
 * (tests/data/live/rotate.sh) read and diffed snapshot by snapshot; a
 * command that hangs (tests/data/live/hang.sh) killed with its process
 * group and reaped; failing, dying, garbage-printing and oversized
 * commands; missing and unreadable files; the reader thread handing over
 * snapshots and stopping promptly while it sleeps or while a command
 * hangs; recording and replaying a directory in natural order.
 *
 * No test asserts a duration. Waits that could hang are bounded (20 s) so
 * a stuck reader fails its test instead.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vmscope/aspace.h"
#include "vmscope/view.h"
#include "vmscope/view_live.h"

#define LIVE    "tests/data/live"
#define ARM32   "samples/arm32-zynq-xilinx-4.4.0-vmallocinfo.txt"
#define BOUND_S 20 /* seconds a test waits before it calls a wait stuck */

/* ---- helpers ------------------------------------------------------------ */

static char *make_tmpdir(void)
{
	char *t = vms_xstrdup("/tmp/vmscope-live-XXXXXX");
	cr_assert_not_null(mkdtemp(t), "mkdtemp: %s", strerror(errno));
	return t;
}

/* Removes dir and the files in it (one level). */
static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *p = vms_xasprintf("%s/%s", dir, e->d_name);
			if (unlink(p) < 0)
				rmdir(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char *p = vms_xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f, "cannot write %s", p);
	fputs(text, f);
	fclose(f);
	free(p);
}

static size_t file_size(const char *path)
{
	struct stat st;
	cr_assert_eq(stat(path, &st), 0, "cannot stat %s", path);
	return (size_t)st.st_size;
}

static size_t count_entries(const char *dir)
{
	size_t n = 0;
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

/* The two pids hang.sh wrote (shell, background sleep); false until it
 * has written them. */
static bool read_pids(const char *file, pid_t pids[2])
{
	FILE *f = fopen(file, "r");
	int a = 0, b = 0, n = f ? fscanf(f, "%d %d", &a, &b) : 0;
	if (f)
		fclose(f);
	pids[0] = a;
	pids[1] = b;
	return n == 2;
}

static bool wait_pids(const char *file, pid_t pids[2])
{
	for (int i = 0; i < BOUND_S * 100; i++, nap_ms(10))
		if (read_pids(file, pids))
			return true;
	return false;
}

/* Whether pid is gone or dead (a zombie waiting for a reaper that is not
 * us: a reparented grandchild), waiting at most BOUND_S for it to die. */
static bool dies(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	for (int i = 0; i < BOUND_S * 100; i++, nap_ms(10)) {
		if (kill(pid, 0) < 0 && errno == ESRCH)
			return true;
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
		if (f)
			fclose(f);
		buf[n] = 0;
		const char *paren = strrchr(buf, ')');
		if (!f || (paren && (paren[2] == 'Z' || paren[2] == 'X')))
			return true;
	}
	return false;
}

/* Our child is reaped: no process, not even a zombie, has its pid. */
static void assert_reaped(pid_t pid)
{
	errno = 0;
	cr_assert_eq(kill(pid, 0), -1, "process %d is still there", (int)pid);
	cr_assert_eq(errno, ESRCH);
}

/* An added or freed area, as the test expects it. */
struct change {
	uint64_t start;
	const char *caller;
};

static void assert_changes(const struct vms_aspace *m, const size_t *idx, size_t n,
                           const struct change *want, size_t nwant, const char *what)
{
	cr_assert_eq(n, nwant, "%s: %zu areas, expected %zu", what, n, nwant);
	for (size_t i = 0; i < n; i++) {
		const struct vms_area *a = &m->dump->areas.v[idx[i]];
		cr_assert_eq(
		    a->start, want[i].start, "%s %zu: start %#llx, expected %#llx", what,
		    i, (unsigned long long)a->start, (unsigned long long)want[i].start);
		cr_assert_str_eq(vms_area_caller(m->dump, a), want[i].caller, "%s %zu",
		                 what, i);
	}
}

static void assert_same_areas(const struct vms_live_snap *x,
                              const struct vms_live_snap *y)
{
	const struct vms_dump *a = x->dump, *b = y->dump;
	cr_assert_eq(a->areas.n, b->areas.n);
	for (size_t i = 0; i < a->areas.n; i++) {
		const struct vms_area *p = &a->areas.v[i], *q = &b->areas.v[i];
		cr_assert(p->start == q->start && p->end == q->end && p->size == q->size,
		          "area %zu differs", i);
		cr_assert_str_eq(vms_area_caller(a, p), vms_area_caller(b, q));
	}
	cr_assert_eq(x->model->nr_order, y->model->nr_order);
}

/* Counts wake() calls and lets the test wait for the next one. */
struct waker {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned wakes;
};

static void on_wake(void *ctx)
{
	struct waker *w = ctx;
	pthread_mutex_lock(&w->lock);
	w->wakes++;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static unsigned wakes_of(struct waker *w)
{
	pthread_mutex_lock(&w->lock);
	unsigned n = w->wakes;
	pthread_mutex_unlock(&w->lock);
	return n;
}

/* Waits for a wake after `seen` of them; false after BOUND_S. */
static bool wait_wake(struct waker *w, unsigned seen)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += BOUND_S;
	pthread_mutex_lock(&w->lock);
	int rc = 0;
	while (w->wakes <= seen && rc == 0)
		rc = pthread_cond_timedwait(&w->cond, &w->lock, &until);
	bool woke = w->wakes > seen;
	pthread_mutex_unlock(&w->lock);
	return woke;
}

/* vms_live_stop() on another thread, so that a stop that never returns
 * fails the test after BOUND_S instead of hanging it. */
struct stopper {
	struct vms_live *l;
	struct waker done;
};

static void *stop_thread(void *arg)
{
	struct stopper *s = arg;
	vms_live_stop(s->l);
	on_wake(&s->done);
	return NULL;
}

static void stop_or_fail(struct vms_live *l)
{
	struct stopper s = {
	    .l = l, .done = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0}};
	pthread_t t;
	cr_assert_eq(pthread_create(&t, NULL, stop_thread, &s), 0);
	cr_assert(wait_wake(&s.done, 0), "vms_live_stop() did not return in %d s",
	          BOUND_S);
	pthread_join(t, NULL);
}

/* ---- one read ----------------------------------------------------------- */

Test(view_live, rotating_command_diffs_to_the_exact_changes)
{
	char *state = make_tmpdir();
	char *cmd = vms_xasprintf("sh " LIVE "/rotate.sh %s", state);
	struct vms_live_opts o = {.source = cmd, .timeout_ms = 60000};
	struct vms_live_snap s[3];
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(vms_live_read_once(&o, (uint64_t)i + 1, &s[i]), 0,
		             "read %d: %s", i + 1, s[i].error);
		cr_assert_null(s[i].error);
		cr_assert_null(s[i].stderr_text);
		cr_assert_eq(s[i].seq, (uint64_t)i + 1);
		cr_assert(s[i].model && s[i].model->geometry);
		char why[200];
		cr_assert_eq(vms_aspace_validate(s[i].model, why, sizeof why), 0, "%s",
		             why);
	}
	cr_assert_eq(s[0].bytes, file_size(ARM32));
	cr_assert_eq(s[0].model->nr_order, 54);

	static const struct change added12[] = {{0xd0934000, "n_tty_open"},
	                                        {0xd0ab2000, "xt_alloc_table_info"}};
	static const struct change freed12[] = {{0xd080e000, "bpf_prog_alloc"},
	                                        {0xd09d5000, "n_tty_open"}};
	static const struct change added23[] = {{0xd080e000, "bpf_prog_alloc"},
	                                        {0xd0938000, "xt_alloc_table_info"}};
	static const struct change freed23[] = {{0xd0934000, "n_tty_open"}};
	struct vms_view_diff d = {0};
	vms_view_diff_build(s[0].model, s[1].model, &d);
	assert_changes(s[1].model, d.added.v, d.added.n, added12, 2, "added 1->2");
	assert_changes(s[0].model, d.freed.v, d.freed.n, freed12, 2, "freed 1->2");
	vms_view_diff_free(&d);
	vms_view_diff_build(s[1].model, s[2].model, &d);
	assert_changes(s[2].model, d.added.v, d.added.n, added23, 2, "added 2->3");
	assert_changes(s[1].model, d.freed.v, d.freed.n, freed23, 1, "freed 2->3");
	vms_view_diff_free(&d);

	for (int i = 0; i < 3; i++)
		vms_live_snap_clear(&s[i]);
	cr_assert_null(s[0].model);
	free(cmd);
	remove_tree(state);
	free(state);
}

Test(view_live, hanging_command_is_killed_with_its_group_and_reaped)
{
	char *dir = make_tmpdir();
	char *pidfile = vms_xasprintf("%s/pids", dir);
	char *cmd = vms_xasprintf("exec sh " LIVE "/hang.sh %s", pidfile);
	pid_t pids[2];
	/* 300 ms, longer only on a machine so loaded that the script had not
	 * written its pids by then */
	static const uint32_t timeouts[] = {300, 2000, 10000};
	size_t t = 0;
	for (;; t++) {
		struct vms_live_opts o = {.source = cmd, .timeout_ms = timeouts[t]};
		struct vms_live_snap s;
		unlink(pidfile);
		cr_assert_eq(vms_live_read_once(&o, 1, &s), -VMS_EIO);
		char *want = vms_xasprintf("timed out after %u ms; killed", timeouts[t]);
		cr_assert_str_eq(s.error, want);
		free(want);
		cr_assert_null(s.model);
		cr_assert_null(s.dump);
		vms_live_snap_clear(&s);
		if (read_pids(pidfile, pids) ||
		    t + 1 == sizeof timeouts / sizeof *timeouts)
			break;
	}
	cr_assert(read_pids(pidfile, pids), "hang.sh never wrote its pids");
	assert_reaped(pids[0]);
	cr_assert(dies(pids[1]), "the background sleep %d survived", (int)pids[1]);
	free(cmd);
	free(pidfile);
	remove_tree(dir);
	free(dir);
}

struct failing {
	const char *cmd;
	int rc;
	const char *error;  /* exact */
	const char *stderr; /* a substring of stderr_text, or NULL: none */
};

Test(view_live, failing_commands_say_why_and_keep_stderr)
{
	static const struct failing cases[] = {
	    {"echo oops >&2; exit 3", -VMS_EIO, "exited with status 3", "oops"},
	    {"kill -9 $$", -VMS_EIO, "killed by signal 9", NULL},
	    /* a good dump does not make up for a failed command */
	    {"cat " ARM32 "; exit 2", -VMS_EIO, "exited with status 2", NULL},
	    {"true", -VMS_ENODATA, "no vmallocinfo lines in the output (0 lines read)",
	     NULL},
	    {"no-such-command-vmscope", -VMS_EIO, "exited with status 127", "not found"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct failing *c = &cases[i];
		struct vms_live_opts o = {.source = c->cmd, .timeout_ms = 60000};
		struct vms_live_snap s;
		cr_assert_eq(vms_live_read_once(&o, 7, &s), c->rc, "%s", c->cmd);
		cr_assert_str_eq(s.error, c->error, "%s", c->cmd);
		cr_assert_null(s.model, "%s", c->cmd);
		cr_assert_null(s.dump, "%s", c->cmd);
		cr_assert_eq(s.seq, 7);
		if (c->stderr)
			cr_assert(s.stderr_text && strstr(s.stderr_text, c->stderr),
			          "%s: stderr %s", c->cmd, s.stderr_text);
		else
			cr_assert_null(s.stderr_text, "%s", c->cmd);
		vms_live_snap_clear(&s);
	}
}

Test(view_live, garbage_output_gives_no_model)
{
	struct vms_live_opts o = {.source =
	                              "cat " LIVE "/garbage.bin; echo; echo plain words",
	                          .timeout_ms = 60000};
	struct vms_live_snap s;
	cr_assert_eq(vms_live_read_once(&o, 1, &s), -VMS_ENODATA);
	cr_assert(s.error && !strncmp(s.error, "no vmallocinfo lines in the output (",
	                              strlen("no vmallocinfo lines in the output (")),
	          "%s", s.error);
	cr_assert_null(s.model);
	cr_assert_null(s.dump);
	cr_assert_eq(s.bytes, file_size(LIVE "/garbage.bin") + strlen("\nplain words\n"));
	vms_live_snap_clear(&s);

	struct vms_live_opts f = {.path = LIVE "/garbage.bin"};
	cr_assert_eq(vms_live_read_once(&f, 1, &s), -VMS_ENODATA);
	cr_assert(s.error &&
	              strstr(s.error, "no vmallocinfo lines in " LIVE "/garbage.bin ("),
	          "%s", s.error);
	cr_assert_null(s.model);
	vms_live_snap_clear(&s);
}

Test(view_live, missing_and_unreadable_files_say_why)
{
	static const char *const cases[][2] = {
	    {LIVE "/missing.txt",
	     "cannot open " LIVE "/missing.txt: No such file or directory"},
	    {LIVE "/rotate.sh/x", "cannot open " LIVE "/rotate.sh/x: Not a directory"},
	    {LIVE, "cannot read " LIVE ": Is a directory"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct vms_live_opts o = {.path = cases[i][0]};
		struct vms_live_snap s;
		cr_assert_eq(vms_live_read_once(&o, 1, &s), -VMS_EIO, "%s", cases[i][0]);
		cr_assert_str_eq(s.error, cases[i][1]);
		cr_assert_null(s.model);
		cr_assert_null(s.stderr_text);
		vms_live_snap_clear(&s);
	}
}

Test(view_live, reads_over_the_cap_are_refused)
{
	size_t size = file_size(ARM32);
	struct vms_live_opts o = {.source = "cat " ARM32, .max_bytes = 1000};
	struct vms_live_snap s;
	cr_assert_eq(vms_live_read_once(&o, 1, &s), -VMS_EIO);
	cr_assert_str_eq(s.error, "output exceeds 1000 bytes; killed");
	cr_assert_null(s.model);
	vms_live_snap_clear(&s);

	struct vms_live_opts f = {.path = ARM32, .max_bytes = size - 1};
	cr_assert_eq(vms_live_read_once(&f, 1, &s), -VMS_EIO);
	char *want = vms_xasprintf(ARM32 " exceeds %zu bytes", size - 1);
	cr_assert_str_eq(s.error, want);
	free(want);
	vms_live_snap_clear(&s);

	f.max_bytes = size; /* exactly the cap is fine */
	cr_assert_eq(vms_live_read_once(&f, 1, &s), 0, "%s", s.error);
	cr_assert_eq(s.bytes, size);
	vms_live_snap_clear(&s);
}

Test(view_live, stderr_keeps_its_last_bytes_beside_a_good_snapshot)
{
	struct vms_live_opts o = {.source =
	                              "i=0; while [ $i -lt 1000 ]; do "
	                              "echo \"warning $i: something odd\" >&2; "
	                              "i=$((i + 1)); done; echo LAST >&2; cat " ARM32,
	                          .timeout_ms = 60000};
	struct vms_live_snap s;
	cr_assert_eq(vms_live_read_once(&o, 1, &s), 0, "%s", s.error);
	cr_assert_not_null(s.model);
	cr_assert_not_null(s.stderr_text);
	size_t n = strlen(s.stderr_text);
	cr_assert_eq(n, VMS_LIVE_STDERR_MAX);
	cr_assert_str_eq(s.stderr_text + n - 5, "LAST\n");
	cr_assert_null(strstr(s.stderr_text, "warning 0:"),
	               "the oldest lines are dropped");
	vms_live_snap_clear(&s);
}

/* ---- the thread --------------------------------------------------------- */

Test(view_live, thread_hands_over_snapshots_in_order)
{
	char *state = make_tmpdir();
	char *cmd = vms_xasprintf("sh " LIVE "/rotate.sh %s", state);
	struct vms_live_opts o = {.source = cmd, .interval_ms = 50, .timeout_ms = 60000};
	struct waker w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
	struct vms_live *l = vms_live_start(&o, on_wake, &w);
	cr_assert_not_null(l);
	free(cmd); /* the reader keeps its own copy */
	uint64_t last = 0;
	unsigned taken = 0;
	while (last < 3) {
		unsigned seen = wakes_of(&w);
		struct vms_live_snap *s = vms_live_take(l);
		if (!s) {
			cr_assert(wait_wake(&w, seen), "no snapshot in %d s", BOUND_S);
			continue;
		}
		cr_assert_gt(s->seq, last);
		cr_assert_null(s->error, "%s", s->error);
		cr_assert_not_null(s->model);
		cr_assert_gt(s->model->nr_order, 50);
		last = s->seq;
		taken++;
		vms_live_snap_free(s);
	}
	cr_assert_geq(wakes_of(&w), taken);
	stop_or_fail(l);
	remove_tree(state);
	free(state);
}

Test(view_live, stop_is_prompt_while_the_thread_sleeps)
{
	struct vms_live_opts o = {.path = ARM32, .interval_ms = 3600000};
	struct waker w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
	struct vms_live *l = vms_live_start(&o, on_wake, &w);
	cr_assert_not_null(l);
	cr_assert(wait_wake(&w, 0), "no first snapshot in %d s", BOUND_S);
	struct vms_live_snap *s = vms_live_take(l);
	cr_assert(s && s->seq == 1 && s->model);
	cr_assert_null(vms_live_take(l), "one snapshot is taken once");
	vms_live_snap_free(s);
	stop_or_fail(l); /* the next read is an hour away */
	cr_assert_eq(wakes_of(&w), 1);
}

Test(view_live, stop_kills_a_hanging_command)
{
	char *dir = make_tmpdir();
	char *pidfile = vms_xasprintf("%s/pids", dir);
	char *cmd = vms_xasprintf("exec sh " LIVE "/hang.sh %s", pidfile);
	struct vms_live_opts o = {.source = cmd, .timeout_ms = 3600000};
	struct waker w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
	struct vms_live *l = vms_live_start(&o, on_wake, &w);
	cr_assert_not_null(l);
	pid_t pids[2];
	cr_assert(wait_pids(pidfile, pids), "hang.sh did not start in %d s", BOUND_S);
	stop_or_fail(l);
	assert_reaped(pids[0]);
	cr_assert(dies(pids[1]), "the background sleep %d survived", (int)pids[1]);
	cr_assert_eq(wakes_of(&w), 0, "a stopped read is not handed over");
	free(cmd);
	free(pidfile);
	remove_tree(dir);
	free(dir);
}

/* ---- recording and replay ----------------------------------------------- */

Test(view_live, recorded_snapshots_replay_the_same)
{
	char *state = make_tmpdir(), *top = make_tmpdir();
	char *rec = vms_xasprintf("%s/rec", top); /* made by the first read */
	char *cmd = vms_xasprintf("sh " LIVE "/rotate.sh %s", state);
	struct vms_live_opts o = {.source = cmd, .timeout_ms = 60000, .record_dir = rec};
	struct vms_live_snap s[3];
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(vms_live_read_once(&o, (uint64_t)i + 1, &s[i]), 0, "%s",
		             s[i].error);
		cr_assert_null(s[i].record_error, "%s", s[i].record_error);
	}
	cr_assert(vms_series_is_dir(rec));
	cr_assert_eq(count_entries(rec), 3, "no temporary file is left");

	struct vms_series ser;
	cr_assert_eq(vms_series_open(rec, &ser), 0, "%s", ser.error);
	cr_assert_eq(ser.names.n, 3);
	static const char *const names[] = {"snapshot-000001.txt", "snapshot-000002.txt",
	                                    "snapshot-000003.txt"};
	for (size_t k = 0; k < 3; k++) {
		cr_assert_str_eq(ser.names.v[k], names[k]);
		struct vms_live_snap r;
		cr_assert_eq(vms_series_load(&ser, k, NULL, NULL, &r), 0, "%s", r.error);
		cr_assert_eq(r.seq, k + 1);
		cr_assert_eq(r.bytes, s[k].bytes);
		assert_same_areas(&s[k], &r);
		vms_live_snap_clear(&r);
	}
	struct vms_live_snap r;
	cr_assert_eq(vms_series_load(&ser, 3, NULL, NULL, &r), -VMS_ERANGE);
	cr_assert_not_null(r.error);
	cr_assert_null(r.model);
	vms_live_snap_clear(&r);
	vms_series_free(&ser);

	/* A second session into the same directory (its seq starts at 1 again)
	 * goes on after the last file and overwrites nothing. */
	struct vms_live_snap again;
	cr_assert_eq(vms_live_read_once(&o, 1, &again), 0, "%s", again.error);
	cr_assert_null(again.record_error, "%s", again.record_error);
	cr_assert_eq(count_entries(rec), 4);
	cr_assert_eq(vms_series_open(rec, &ser), 0, "%s", ser.error);
	cr_assert_eq(ser.names.n, 4);
	cr_assert_str_eq(ser.names.v[3], "snapshot-000004.txt");
	cr_assert_eq(vms_series_load(&ser, 0, NULL, NULL, &r), 0, "%s", r.error);
	assert_same_areas(&s[0], &r); /* the first file is still the first read */
	vms_live_snap_clear(&r);
	vms_series_free(&ser);
	vms_live_snap_clear(&again);

	for (int i = 0; i < 3; i++)
		vms_live_snap_clear(&s[i]);
	free(cmd);
	remove_tree(rec); /* before top: remove_tree() goes one level deep */
	free(rec);
	remove_tree(top);
	free(top);
	remove_tree(state);
	free(state);
}

Test(view_live, a_failed_recording_keeps_the_snapshot)
{
	struct vms_live_opts o = {.path = ARM32, .record_dir = ARM32 "/rec"};
	struct vms_live_snap s;
	cr_assert_eq(vms_live_read_once(&o, 1, &s), 0, "%s", s.error);
	cr_assert_not_null(s.model);
	cr_assert_null(s.error);
	cr_assert(s.record_error &&
	              !strncmp(s.record_error, "cannot record " ARM32 "/rec:",
	                       strlen("cannot record " ARM32 "/rec:")),
	          "%s", s.record_error);
	vms_live_snap_clear(&s);
}

Test(view_live, series_lists_files_in_natural_order)
{
	char *dir = make_tmpdir();
	static const char *const files[] = {"snapshot-2", "snapshot-10", "snapshot-9",
	                                    ".hidden",    "half.tmp",    "notes~"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		write_file(dir, files[i], "x\n");
	char *sub = vms_xasprintf("%s/snapshot-1", dir); /* a directory: skipped */
	cr_assert_eq(mkdir(sub, 0755), 0);
	struct vms_series s;
	cr_assert_eq(vms_series_open(dir, &s), 0, "%s", s.error);
	cr_assert_eq(s.names.n, 3);
	cr_assert_str_eq(s.names.v[0], "snapshot-2");
	cr_assert_str_eq(s.names.v[1], "snapshot-9");
	cr_assert_str_eq(s.names.v[2], "snapshot-10");
	cr_assert_null(s.error);
	vms_series_free(&s);
	cr_assert_null(s.names.v);
	rmdir(sub);
	free(sub);
	remove_tree(dir);
	free(dir);
}

Test(view_live, natural_order_compares_digit_runs_as_numbers)
{
	static const struct {
		const char *a, *b;
		int sign;
	} cases[] = {
	    {"snapshot-2", "snapshot-10", -1},
	    {"snapshot-000010", "snapshot-9", 1},
	    {"a1", "a01", -1}, /* equal value: the shorter run first */
	    {"a01b", "a1c", 1},
	    {"x99999999999999999999999", "x100000000000000000000000", -1}, /* > 64 bits */
	    {"s-1-2", "s-1-10", -1},
	    {"abc", "abd", -1},
	    {"ab", "abc", -1},
	    {"same-7", "same-7", 0},
	    {"s7", "s-7", 1}, /* '7' > '-' bytewise */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int c = vms_series_name_cmp(cases[i].a, cases[i].b);
		int r = vms_series_name_cmp(cases[i].b, cases[i].a);
		int sign = (c > 0) - (c < 0);
		cr_assert_eq(sign, cases[i].sign, "%s vs %s: %d", cases[i].a, cases[i].b,
		             c);
		cr_assert_eq((r > 0) - (r < 0), -sign, "%s vs %s reversed", cases[i].a,
		             cases[i].b);
	}
}

Test(view_live, empty_or_missing_series_say_why)
{
	char *dir = make_tmpdir();
	struct vms_series s;
	cr_assert_eq(vms_series_open(dir, &s), -VMS_ENODATA);
	char *want = vms_xasprintf("no snapshot files in %s", dir);
	cr_assert_str_eq(s.error, want);
	free(want);
	cr_assert_eq(s.names.n, 0);
	vms_series_free(&s);

	write_file(dir, ".snapshot-000001.txt.tmp", "half");
	cr_assert_eq(vms_series_open(dir, &s), -VMS_ENODATA,
	             "a temporary file is no snapshot");
	vms_series_free(&s);

	cr_assert_eq(vms_series_open(LIVE "/no-such-dir", &s), -VMS_EIO);
	cr_assert_str_eq(s.error,
	                 "cannot read " LIVE "/no-such-dir: No such file or directory");
	cr_assert_eq(s.names.n, 0);
	vms_series_free(&s);

	cr_assert(vms_series_is_dir(dir));
	cr_assert_not(vms_series_is_dir(ARM32));
	cr_assert_not(vms_series_is_dir(LIVE "/no-such-dir"));
	remove_tree(dir);
	free(dir);
}
