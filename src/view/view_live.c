/*
 * view_live.c — the live reader of `vmscope view --live` and the replay of
 * without SDL (include/vmscope/view_live.h); the replay of a recorded
 * directory is view_series.c.
 *
 *  - A read: the bytes of a file, or of a command's stdout, into one
 *    buffer (capped), then vms_parse_buffer() and vms_aspace_build(): a
 *    snapshot. O(bytes) plus the parse.
 *  - A command: fork, then /bin/sh -c CMD in its own process group, stdin
 *    /dev/null, stdout and stderr on close-on-exec pipes drained with
 *    poll() until both end and the command exits, or the deadline passes,
 *    or the reader is stopped (a byte on its cancel pipe). Then the group
 *    gets SIGTERM, SIGKILL after VMS_LIVE_GRACE_MS, and the command is
 *    reaped. The command is reaped only at the very end, so its pid, and
 *    so the group id, cannot be taken by another process while we signal
 *    it. We only read from the command (its stdin is /dev/null), so no
 *    write of ours can raise SIGPIPE.
 *  - The thread: read, hand over (replacing an untaken snapshot), call
 *    wake(), sleep on a condition variable (CLOCK_MONOTONIC) until the next
 *    start; vms_live_stop() sets the flag, signals, writes the cancel pipe
 *    and joins.
 *
 * Invariants: a snapshot has a model exactly when it has a dump, and then
 * no error; the reader owns at most one pending snapshot, guarded by its
 * mutex, and the app owns every snapshot it took.
 */
/* pipe2(): pipes made close-on-exec at once, while other threads may fork */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmscope/common.h"
#include "vmscope/view_live.h"

extern char **environ;

#define READ_CHUNK ((size_t)64 << 10) /* bytes asked of one read() */
#define TICK_MS    5                  /* polling step while waiting for exit */
#ifndef NSIG
#define NSIG 65 /* signals 1..64 */
#endif

typedef VMS_VEC(char) text_buf;

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000,
	                      .tv_nsec = (long)(ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

/* The text of errno value e (strerror() is not thread-safe). */
static const char *errno_text(int e, char *buf, size_t len)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
	return strerror_r(e, buf, len); /* the GNU one: may return a static string */
#else
	if (strerror_r(e, buf, len))
		snprintf(buf, len, "error %d", e);
	return buf;
#endif
}

/* "VERB NAME: REASON" from errno value e, as a new string. */
static char *errno_msg(const char *verb, const char *name, int e)
{
	char buf[128];
	return vms_xasprintf("%s %s: %s", verb, name, errno_text(e, buf, sizeof buf));
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Reads what fd has into b, at most max + 1 bytes in all (one more than
 * allowed tells an overflow). read()'s return. */
static ssize_t read_some(int fd, text_buf *b, size_t max)
{
	size_t room = max + 1 - b->n;
	if (room > READ_CHUNK)
		room = READ_CHUNK;
	vms_vec_reserve(b, b->n + room);
	ssize_t r = read(fd, b->v + b->n, room);
	if (r > 0)
		b->n += (size_t)r;
	return r;
}

/* ---- Files -------------------------------------------------------------- */

static int read_file(const char *path, size_t max, text_buf *b, char **error)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*error = errno_msg("cannot open", path, errno);
		return -VMS_EIO;
	}
	int rc = 0;
	for (;;) {
		ssize_t r = read_some(fd, b, max);
		if (r == 0)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*error = errno_msg("cannot read", path, errno);
			rc = -VMS_EIO;
			break;
		}
		if (b->n > max) {
			*error = vms_xasprintf("%s exceeds %zu bytes", path, max);
			rc = -VMS_EIO;
			break;
		}
	}
	close(fd);
	return rc;
}

/* ---- Commands ----------------------------------------------------------- */

/* A running command and what it printed. */
struct cmd_run {
	pid_t pid;                      /* the shell; leader of its group */
	int out, err;                   /* our pipe ends; -1 once ended */
	text_buf *text;                 /* stdout */
	size_t max;                     /* cap on stdout, bytes */
	char tail[VMS_LIVE_STDERR_MAX]; /* stderr's last bytes */
	size_t tail_n;
	bool tail_cut; /* bytes before the tail were dropped */
};

enum run_end { RUN_DONE, RUN_TIMEOUT, RUN_CANCEL, RUN_TOO_BIG, RUN_ERROR };

/*
 * In the child of fork(), until exec: only async-signal-safe calls (the
 * parent has threads). The descriptors are first copied above 2, so that
 * no dup2() overwrites another one still to be copied (an app started
 * with 0-2 closed gets its pipes there); all copies are close-on-exec.
 */
static void child_exec(char *const argv[], int in, int out, int err)
{
	struct sigaction dfl;
	sigset_t none;
	setpgid(0, 0);
	in = fcntl(in, F_DUPFD_CLOEXEC, 3);
	out = fcntl(out, F_DUPFD_CLOEXEC, 3);
	err = fcntl(err, F_DUPFD_CLOEXEC, 3);
	if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
	    dup2(err, 2) < 0)
		_exit(127);
	/* ignored signals stay ignored across exec, and a handler of the app
	 * must not run here: every signal to its default, then unblocked */
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve("/bin/sh", argv, environ);
	_exit(127);
}

static int cmd_spawn(const char *cmd, struct cmd_run *r, char **error)
{
	int po[2], pe[2], nul, e;
	char *argv[] = {"sh", "-c", (char *)cmd, NULL};
	sigset_t all, old;
	pid_t pid;
	if (pipe2(po, O_CLOEXEC))
		goto fail;
	if (pipe2(pe, O_CLOEXEC))
		goto close_po;
	nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (nul < 0)
		goto close_pe;
	/* no handler of the app may run in the child before exec */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid == 0)
		child_exec(argv, nul, po[1], pe[1]);
	e = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(nul);
	close(po[1]);
	close(pe[1]);
	if (pid < 0) {
		close(po[0]);
		close(pe[0]);
		errno = e;
		goto fail;
	}
	setpgid(pid, pid); /* the child does it too: whichever runs first */
	r->pid = pid;
	r->out = po[0];
	r->err = pe[0];
	return 0;
close_pe:
	e = errno;
	close(pe[0]);
	close(pe[1]);
	errno = e;
close_po:
	e = errno;
	close(po[0]);
	close(po[1]);
	errno = e;
fail:
	*error = errno_msg("cannot run", "/bin/sh", errno);
	return -VMS_EIO;
}

/* Whether the command has exited, leaving it unreaped (a failed wait
 * counts as exited: nothing is left to wait for). */
static bool cmd_exited(pid_t pid)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return errno != EINTR;
	return si.si_pid != 0;
}

/* Keeps the last VMS_LIVE_STDERR_MAX bytes of stderr. */
static void tail_add(struct cmd_run *r, const char *p, size_t n)
{
	const size_t cap = sizeof r->tail;
	if (n >= cap) {
		r->tail_cut |= n > cap || r->tail_n;
		memcpy(r->tail, p + n - cap, cap);
		r->tail_n = cap;
		return;
	}
	if (r->tail_n + n > cap) {
		size_t drop = r->tail_n + n - cap;
		memmove(r->tail, r->tail + drop, r->tail_n - drop);
		r->tail_n -= drop;
		r->tail_cut = true;
	}
	memcpy(r->tail + r->tail_n, p, n);
	r->tail_n += n;
}

/* Reads what is ready on one pipe; closes it at its end. False when
 * stdout passed its cap. */
static bool cmd_drain(struct cmd_run *r, int *fd)
{
	ssize_t got;
	if (fd == &r->out) {
		got = read_some(*fd, r->text, r->max);
		if (r->text->n > r->max)
			return false;
	} else {
		char buf[4096];
		got = read(*fd, buf, sizeof buf);
		if (got > 0)
			tail_add(r, buf, (size_t)got);
	}
	if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN))
		close_fd(fd);
	return true;
}

/*
 * Reads both pipes until they end and the command exits (RUN_DONE), the
 * deadline passes, cancel_fd (-1: none) becomes readable, stdout passes
 * r->max bytes, or poll() fails.
 */
static enum run_end cmd_pump(struct cmd_run *r, uint64_t deadline, int cancel_fd)
{
	for (;;) {
		uint64_t now = now_ms();
		if (now >= deadline)
			return RUN_TIMEOUT;
		uint64_t left = deadline - now;
		int wait = left > INT_MAX ? INT_MAX : (int)left;
		if (r->out < 0 && r->err < 0) {
			if (cmd_exited(r->pid))
				return RUN_DONE;
			wait = wait > TICK_MS ? TICK_MS : wait; /* output closed,
			                                           still running */
		}
		struct pollfd p[3];
		nfds_t n = 0;
		int *fds[2] = {&r->out, &r->err};
		for (int i = 0; i < 2; i++)
			if (*fds[i] >= 0)
				p[n++] = (struct pollfd){.fd = *fds[i], .events = POLLIN};
		if (cancel_fd >= 0)
			p[n++] = (struct pollfd){.fd = cancel_fd, .events = POLLIN};
		int k = poll(p, n, wait);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return RUN_ERROR;
		for (nfds_t i = 0; i < n; i++) {
			if (!p[i].revents)
				continue;
			if (p[i].fd == cancel_fd)
				return RUN_CANCEL;
			int *fd = p[i].fd == r->out ? &r->out : &r->err;
			if (!cmd_drain(r, fd))
				return RUN_TOO_BIG;
		}
	}
}

/* SIGTERM to the command's group, SIGKILL after the grace (at once when
 * the command is gone by then). The command stays unreaped. */
static void cmd_kill(pid_t pid)
{
	if (kill(-pid, SIGTERM) < 0)
		kill(pid, SIGTERM);
	uint64_t until = now_ms() + VMS_LIVE_GRACE_MS;
	while (!cmd_exited(pid) && now_ms() < until)
		sleep_ms(TICK_MS);
	if (kill(-pid, SIGKILL) < 0)
		kill(pid, SIGKILL);
}

/* stderr's tail as a new string starting on a UTF-8 character, or NULL. */
static char *tail_text(const struct cmd_run *r)
{
	size_t skip = 0;
	while (r->tail_cut && skip < r->tail_n && skip < 3 &&
	       ((unsigned char)r->tail[skip] & 0xc0) == 0x80)
		skip++;
	return r->tail_n > skip ? vms_xstrndup(r->tail + skip, r->tail_n - skip) : NULL;
}

/* Why a command that ran gave no snapshot, or NULL when it succeeded. */
static char *cmd_verdict(enum run_end end, int wait_errno, int status, uint32_t timeout,
                         size_t max)
{
	switch (end) {
	case RUN_TIMEOUT:
		return vms_xasprintf("timed out after %u ms; killed", (unsigned)timeout);
	case RUN_CANCEL:
		return vms_xstrdup("stopped; killed");
	case RUN_TOO_BIG:
		return vms_xasprintf("output exceeds %zu bytes; killed", max);
	case RUN_ERROR:
		return vms_xstrdup("cannot poll the command's output; killed");
	case RUN_DONE:
		break;
	}
	if (wait_errno)
		return errno_msg("cannot wait for", "the command", wait_errno);
	if (WIFEXITED(status) && WEXITSTATUS(status))
		return vms_xasprintf("exited with status %d", WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return vms_xasprintf("killed by signal %d", WTERMSIG(status));
	return NULL;
}

static int run_command(const char *cmd, uint32_t timeout, int cancel_fd, size_t max,
                       text_buf *text, struct vms_live_snap *out)
{
	struct cmd_run *r = vms_xcalloc(1, sizeof *r);
	r->text = text;
	r->max = max;
	if (cmd_spawn(cmd, r, &out->error)) {
		free(r);
		return -VMS_EIO;
	}
	timeout = timeout ? timeout : VMS_LIVE_TIMEOUT_MS;
	enum run_end end = cmd_pump(r, now_ms() + timeout, cancel_fd);
	if (end != RUN_DONE)
		cmd_kill(r->pid);
	close_fd(&r->out);
	close_fd(&r->err);
	int status = 0, wait_errno = 0;
	while (waitpid(r->pid, &status, 0) < 0)
		if (errno != EINTR) {
			wait_errno = errno;
			break;
		}
	out->stderr_text = tail_text(r);
	out->error = cmd_verdict(end, wait_errno, status, timeout, max);
	free(r);
	return out->error ? -VMS_EIO : 0;
}

/* ---- Snapshots ---------------------------------------------------------- */

/* Parses text and builds the model into out; name is the dump's source. */
static int snap_build(const text_buf *text, const char *name, bool command,
                      const struct vms_parse_opts *popts, const char *arch,
                      struct vms_live_snap *out)
{
	struct vms_dump *d = NULL;
	if (vms_parse_buffer(text->v ? text->v : "", text->n, name, popts, &d)) {
		out->error = vms_xstrdup("bad parse options");
		return -VMS_EINVAL;
	}
	if (!vms_dump_usable(d)) {
		out->error = vms_xasprintf(
		    "no vmallocinfo lines in %s (%llu line%s read%s%s)",
		    command ? "the output" : name, (unsigned long long)d->acct.lines,
		    d->acct.lines == 1 ? "" : "s", d->stopped ? "; " : "",
		    d->stopped ? d->stopped : "");
		vms_dump_free(d);
		return -VMS_ENODATA;
	}
	out->dump = d;
	out->model = vms_aspace_build(d, arch);
	return 0;
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* The number after the highest DIR/snapshot-N.txt, at least 1: a
 * recording into a directory that already holds one goes on after it
 * rather than overwriting it. O(files). */
static unsigned long long next_index(const char *dir)
{
	unsigned long long next = 1;
	DIR *d = opendir(dir);
	if (!d)
		return next;
	for (struct dirent *e; (e = readdir(d));) {
		const char *p = e->d_name;
		if (strncmp(p, "snapshot-", 9) != 0 || p[9] < '0' || p[9] > '9')
			continue;
		char *end;
		errno = 0;
		unsigned long long n = strtoull(p + 9, &end, 10);
		if (!errno && !strcmp(end, ".txt") && n >= next && n < ULLONG_MAX)
			next = n + 1;
	}
	closedir(d);
	return next;
}

/* Writes text as DIR/snapshot-NNNNNN.txt, NNNNNN after the last one there,
 * through a hidden temporary file linked to its name (link() never
 * replaces a file: a name taken meanwhile moves on to the next); on
 * failure, out->record_error says why. */
static void snap_record(const char *dir, uint64_t seq, const text_buf *text,
                        struct vms_live_snap *out)
{
	char *tmp =
	    vms_xasprintf("%s/.snapshot-%06llu.txt.tmp", dir, (unsigned long long)seq);
	char *final = NULL;
	const char *failed = tmp;
	int fd = -1;
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		failed = dir;
		goto fail;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 || !write_all(fd, text->v, text->n))
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	for (unsigned long long n = next_index(dir);; n++) {
		free(final);
		final = vms_xasprintf("%s/snapshot-%06llu.txt", dir, n);
		failed = final;
		if (link(tmp, final) == 0) {
			unlink(tmp);
			goto free_names;
		}
		if (errno != EEXIST)
			goto fail;
	}
fail:
	out->record_error = errno_msg("cannot record", failed, errno);
	close_fd(&fd);
	unlink(tmp);
free_names:
	free(final);
	free(tmp);
}

/* One read of o into out; cancel_fd (-1: none) stops a command. */
static int live_read(const struct vms_live_opts *o, uint64_t seq, int cancel_fd,
                     struct vms_live_snap *out)
{
	memset(out, 0, sizeof *out);
	out->seq = seq;
	size_t max = o->max_bytes ? o->max_bytes : VMS_LIVE_MAX_BYTES;
	max = max < SIZE_MAX - 1 ? max : SIZE_MAX - 1;
	const char *name = o->source ? o->source : o->path ? o->path : VMS_LIVE_PATH;
	text_buf text = {0};
	int rc = o->source
	             ? run_command(o->source, o->timeout_ms, cancel_fd, max, &text, out)
	             : read_file(name, max, &text, &out->error);
	if (rc == 0)
		rc = snap_build(&text, name, o->source != NULL, o->popts, o->arch, out);
	if (rc == 0 && o->record_dir)
		snap_record(o->record_dir, seq, &text, out);
	out->bytes = text.n;
	out->t_ms = now_ms();
	out->wall = time(NULL);
	if (out->model && text.v) /* kept for quoting; the dump is built */
		out->text = text.v;
	else
		free(text.v);
	return rc;
}

int vms_live_read_once(const struct vms_live_opts *o, uint64_t seq,
                       struct vms_live_snap *out)
{
	return live_read(o, seq, -1, out);
}

void vms_live_snap_clear(struct vms_live_snap *s)
{
	if (!s)
		return;
	vms_aspace_free(s->model); /* it borrows the dump */
	vms_dump_free(s->dump);
	free(s->error);
	free(s->record_error);
	free(s->stderr_text);
	free(s->text);
	memset(s, 0, sizeof *s);
}

void vms_live_snap_free(struct vms_live_snap *s)
{
	vms_live_snap_clear(s);
	free(s);
}

/* ---- The reader thread -------------------------------------------------- */

struct vms_live {
	struct vms_live_opts o; /* its strings are the copies below */
	char *path, *source, *record_dir, *arch;
	void (*wake)(void *ctx);
	void *ctx;
	pthread_t thread;
	pthread_mutex_t lock;          /* guards pending and stopping */
	pthread_cond_t cond;           /* signalled on stop (CLOCK_MONOTONIC) */
	struct vms_live_snap *pending; /* finished, not yet taken */
	bool stopping;
	int cancel[2]; /* stop writes a byte: a running command is killed */
};

/* Makes s the pending snapshot; false (s freed) when stopping. */
static bool live_hand_over(struct vms_live *l, struct vms_live_snap *s)
{
	struct vms_live_snap *old = NULL;
	pthread_mutex_lock(&l->lock);
	bool go = !l->stopping;
	if (go) {
		old = l->pending;
		l->pending = s;
		s = NULL;
	}
	pthread_mutex_unlock(&l->lock);
	vms_live_snap_free(old); /* outside the lock: take() never waits on it */
	vms_live_snap_free(s);
	return go;
}

/* Waits until until_ms (CLOCK_MONOTONIC); false when stopping. */
static bool live_sleep(struct vms_live *l, uint64_t until_ms)
{
	struct timespec ts = {.tv_sec = (time_t)(until_ms / 1000),
	                      .tv_nsec = (long)(until_ms % 1000) * 1000000};
	pthread_mutex_lock(&l->lock);
	while (!l->stopping && now_ms() < until_ms)
		if (pthread_cond_timedwait(&l->cond, &l->lock, &ts) == ETIMEDOUT)
			break;
	bool go = !l->stopping;
	pthread_mutex_unlock(&l->lock);
	return go;
}

static void *live_thread(void *arg)
{
	struct vms_live *l = arg;
	uint32_t interval = l->o.interval_ms ? l->o.interval_ms : VMS_LIVE_INTERVAL_MS;
	for (uint64_t seq = 1;; seq++) {
		uint64_t start = now_ms();
		struct vms_live_snap *s = vms_xmalloc(sizeof *s);
		live_read(&l->o, seq, l->cancel[0], s);
		if (!live_hand_over(l, s))
			break;
		if (l->wake)
			l->wake(l->ctx);
		if (!live_sleep(l, start + interval))
			break;
	}
	return NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? vms_xstrdup(s) : NULL;
}

static void live_free(struct vms_live *l)
{
	vms_live_snap_free(l->pending);
	free(l->path);
	free(l->source);
	free(l->record_dir);
	free(l->arch);
	free(l);
}

struct vms_live *vms_live_start(const struct vms_live_opts *o, void (*wake)(void *ctx),
                                void *ctx)
{
	struct vms_live *l = vms_xcalloc(1, sizeof *l);
	pthread_condattr_t ca;
	sigset_t all, old;
	l->o = *o;
	l->o.path = l->path = dup_or_null(o->path);
	l->o.source = l->source = dup_or_null(o->source);
	l->o.record_dir = l->record_dir = dup_or_null(o->record_dir);
	l->o.arch = l->arch = dup_or_null(o->arch);
	l->wake = wake;
	l->ctx = ctx;
	if (pipe2(l->cancel, O_CLOEXEC))
		goto free_live;
	if (pthread_condattr_init(&ca))
		goto close_cancel;
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	int e = pthread_cond_init(&l->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (e)
		goto close_cancel;
	if (pthread_mutex_init(&l->lock, NULL))
		goto destroy_cond;
	/* the thread inherits the mask: signals go to the app's threads */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&l->thread, NULL, live_thread, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e)
		goto destroy_lock;
	return l;
destroy_lock:
	pthread_mutex_destroy(&l->lock);
destroy_cond:
	pthread_cond_destroy(&l->cond);
close_cancel:
	close(l->cancel[0]);
	close(l->cancel[1]);
free_live:
	live_free(l);
	return NULL;
}

struct vms_live_snap *vms_live_take(struct vms_live *l)
{
	if (!l)
		return NULL;
	pthread_mutex_lock(&l->lock);
	struct vms_live_snap *s = l->pending;
	l->pending = NULL;
	pthread_mutex_unlock(&l->lock);
	return s;
}

void vms_live_stop(struct vms_live *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->lock);
	l->stopping = true;
	pthread_cond_signal(&l->cond);
	pthread_mutex_unlock(&l->lock);
	ssize_t w;
	do
		w = write(l->cancel[1], "x", 1); /* our own pipe: both ends open */
	while (w < 0 && errno == EINTR);
	pthread_join(l->thread, NULL);
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->cond);
	close(l->cancel[0]);
	close(l->cancel[1]);
	live_free(l);
}
