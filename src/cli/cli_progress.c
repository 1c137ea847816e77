/*
 * cli_progress.c — a progress line on standard error while an input is
 * read, for long runs on a terminal: "vmscope: reading FILE: 42% (40 MiB
 * of 97 MiB)" (bytes only when the size is unknown: a pipe), redrawn in
 * place five times a second by a thread that reads the parser's byte
 * counter (vms_parse_opts.progress), and wiped when the reading ends.
 *
 * It shows only when standard error is a terminal, -q is not given, and
 * the reading lasts longer than half a second (VMSCOPE_PROGRESS_MS sets
 * that delay; 0 draws at once, as the tests do). Nothing else is written
 * to standard error while it runs: diagnostics follow the reading.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "vmscope/emit.h"

static unsigned delay_ms(void)
{
	const char *env = getenv("VMSCOPE_PROGRESS_MS");
	char *end;
	unsigned long v = env && env[0] ? strtoul(env, &end, 10) : 500;
	return env && env[0] && *end ? 500 : (unsigned)(v > 60000 ? 60000 : v);
}

/* One redraw: the line, padded over the previous one. */
static void draw(struct vms_cli_progress *p)
{
	uint64_t done = atomic_load_explicit(&p->bytes, memory_order_relaxed);
	char a[32], b[32];
	int n;
	if (p->unit) {
		uint64_t shown = done < p->total ? done : p->total;
		n = fprintf(stderr, "\rvmscope: %s: %3u%% (%llu of %llu %s)", p->name,
		            (unsigned)(p->total ? shown * 100 / p->total : 0),
		            (unsigned long long)shown, (unsigned long long)p->total,
		            p->unit);
	} else if (p->total) {
		uint64_t shown = done < p->total ? done : p->total;
		n = fprintf(stderr, "\rvmscope: reading %s: %3u%% (%s of %s)", p->name,
		            (unsigned)(shown * 100 / p->total),
		            vms_format_size(shown, a, 32),
		            vms_format_size(p->total, b, 32));
	} else {
		n = fprintf(stderr, "\rvmscope: reading %s: %s", p->name,
		            vms_format_size(done, a, 32));
	}
	if (n > 0 && n < p->width)
		fprintf(stderr, "%*s", p->width - n, "");
	p->width = n > p->width ? n : p->width;
	fflush(stderr);
}

static void *tick(void *arg)
{
	struct vms_cli_progress *p = arg;
	unsigned waited = 0, delay = delay_ms();
	if (!delay)
		draw(p); /* at once, however short the reading */
	while (!atomic_load(&p->stop)) {
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
		waited += 100;
		if (waited >= delay && !atomic_load(&p->stop))
			draw(p);
	}
	if (p->width) /* wipe the line */
		fprintf(stderr, "\r%*s\r", p->width, "");
	return NULL;
}

void vms_cli_progress_start(struct vms_cli_progress *p, const struct vms_cli_common *c,
                            const char *path)
{
	memset(p, 0, sizeof(*p));
	if (c->quiet || isatty(STDERR_FILENO) != 1)
		return;
	struct stat st;
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
		p->total = (uint64_t)st.st_size;
	/* the name as every message shows it, control bytes escaped */
	size_t len = strlen(path);
	p->name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	for (size_t i = 0, k; i < len; i += k) /* no escapes on a line redrawn */
		if ((unsigned char)path[i] < 0x20 || path[i] == 0x7f ||
		    !(k = vms_utf8_len(path + i, len - i))) {
			p->name = "input";
			break;
		}
	atomic_init(&p->bytes, 0);
	atomic_init(&p->stop, false);
	p->running = pthread_create(&p->thread, NULL, tick, p) == 0;
}

void vms_cli_progress_stop(struct vms_cli_progress *p)
{
	if (!p->running)
		return;
	atomic_store(&p->stop, true);
	pthread_join(p->thread, NULL);
	p->running = false;
}

void vms_cli_progress_start_count(struct vms_cli_progress *p,
                                  const struct vms_cli_common *c, const char *name,
                                  uint64_t total, const char *unit)
{
	memset(p, 0, sizeof(*p));
	if (c->quiet || isatty(STDERR_FILENO) != 1)
		return;
	p->name = name;
	p->total = total;
	p->unit = unit;
	atomic_init(&p->bytes, 0);
	atomic_init(&p->stop, false);
	p->running = pthread_create(&p->thread, NULL, tick, p) == 0;
}
