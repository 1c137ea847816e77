/*
 * parse_split.c — parse a big regular file with two threads, with exactly
 * the result of one thread.
 *
 * A big file is almost always a dump, and a clean dump line read by the
 * fast path (parse_vmi_fast.c) depends on nothing before it as long as
 * nothing is held open: no entry waiting for details, no layout block, call
 * trace or wrapped fact. The split uses exactly that, and nothing else:
 *
 *   [0, cut)   thread 1 reads with the whole driver, as one thread would;
 *   [cut, EOF) thread 2 takes runs of lines the fast path reads on their
 *              own ("0x" first, no NUL, a newline at the end), each run
 *              into its own stretch of one dump of its own, and skips the
 *              lines between runs;
 *   then       thread 1 goes on from the cut: it reads the lines between
 *              runs itself, and adopts a run when its state at the run's
 *              first line is idle (vms_logparser_idle(), and no detail
 *              group waiting in vms_vmi_close()) — otherwise it reads the
 *              run's lines too. It reads on until read() says end of file,
 *              so bytes appended after fstat() are read as from a pipe
 *              (and a file that shrinks ends where it ends).
 *
 * An adopted run is what thread 1 would have built: the same areas in the
 * same order, lines renumbered, every line parsed, and the state after it
 * (the last area may still be reopened by a wrapped detail line) set as the
 * fast path leaves it. Tests compare file and stdin parses with the cut at
 * every line of a messy paste and check that the second thread ran.
 *
 * Cost: each half is O(its bytes); adopting moves thread 2's records once
 * (vms_move: a big run's pages are remapped into the head's array, not
 * copied into fresh pages), then fixes symbol ids (through a table of its
 * names), lines and NUMA indices in place; memory peaks near one copy of
 * the records.
 */
#include "parse_driver.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	WINDOW = 64 * 1024, /* bytes read to find the cut */
};

/* Reads [from, to) of fd (to == UINT64_MAX: until end of file) through dr,
 * which sees it as the continuation of what it read so far. */
static int read_span(int fd, uint64_t from, uint64_t to, struct vms_driver *dr,
                     struct vms_chunker *c)
{
	uint64_t off = from;
	while (off < to && !dr->stopped) {
		vms_chunk_room(c, VMS_CHUNK / 2);
		size_t room = c->cap - c->len - 1;
		size_t want = to - off < room ? (size_t)(to - off) : room;
		ssize_t n = pread(fd, c->buf + c->len, want, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return 0; /* end of file (it may have shrunk): as a pipe ends */
		c->len += (size_t)n;
		off += (uint64_t)n;
		vms_driver_read(dr, (size_t)n);
		vms_chunk_consume(dr, c);
	}
	return 0;
}

/* ---- thread 2: runs of fast-path lines --------------------------------------- */

enum { LEAD = 4 }; /* lines of a run the head may read before adopting it */

/* A run of lines the fast path took: bytes [from, stop), areas (one per
 * line) first .. first + n - 1 of the tail's dump; the byte lengths of its
 * first LEAD lines. */
struct run {
	uint64_t from, stop;
	size_t first, n;
	uint32_t lead[LEAD];
};

struct tail {
	int fd;
	uint64_t from, to; /* the bytes it may read */
	atomic_bool abort; /* the head stopped (binary data): no use going on */
	struct vms_driver dr;
	VMS_VEC(struct run) runs;
};

enum take { TAKE_MORE, TAKE_STOP };

/* Takes the lines of buf[0..n) while the fast path takes them (nul, cr:
 * whether the window holds those bytes at all); *took is
 * the bytes taken (lines are taken whole). TAKE_MORE: every complete line
 * was taken, the rest is the start of a line the next window completes. */
static enum take take_fast(struct vms_driver *dr, char *buf, size_t n, size_t *took,
                           uint32_t *lead, size_t *nlead, bool nul, bool cr)
{
	char *p = buf, *e = buf + n, *nl;
	*took = 0;
	while (p < e && (nl = memchr(p, '\n', (size_t)(e - p)))) {
		uint32_t no = dr->nlines + 1;
		size_t len = (size_t)(nl - p);
		/* the line as the head's feed_line() would hand it on: NULs and
		 * inner CRs call for a repair, blanks and CRs at the end go */
		if (no >= dr->max_lines || (nul && memchr(p, '\0', len)))
			return TAKE_STOP;
		while (len &&
		       (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (!vms_prep_is_dump(p, len) || (cr && memchr(p, '\r', len)))
			return TAKE_STOP;
		char end = p[len];
		p[len] = '\0';
		struct vms_line ln = {.raw = p, .raw_len = len, .no = no};
		ln.text = p;
		ln.len = len;
		ln.col = 1;
		ln.loglevel = -1;
		vms_vec_reserve(&dr->cls, (size_t)no + 1);
		dr->cls.v[no] = VMS_LINE_PARSED;
		bool ok = vms_vmi_fast(dr->vmi, &ln);
		p[len] = end;
		if (!ok)
			return TAKE_STOP;
		dr->nlines = no;
		dr->cls.n = no;
		p = nl + 1;
		*took = (size_t)(p - buf);
		if (lead && *nlead < LEAD)
			lead[(*nlead)++] = (uint32_t)(nl + 1 - ln.raw);
	}
	return TAKE_MORE;
}

/* The window buf[0..n) read at off: extends the open run, records the runs
 * that end in it and skips the lines the fast path refuses, all within the
 * window. Returns the offset to read next: the start of its partial last
 * line, or the end of the window when a line outgrew it (that line is
 * skipped; the head reads it). */
static uint64_t tail_window(struct tail *t, char *buf, size_t n, uint64_t off,
                            struct run *open)
{
	size_t pos = 0;
	/* lines are only searched for NULs and CRs when the window has them */
	bool nul = memchr(buf, '\0', n) != NULL, cr = memchr(buf, '\r', n) != NULL;
	for (;;) {
		size_t took, nlead = open->n < LEAD ? open->n : LEAD;
		size_t areas = t->dr.d->areas.n;
		enum take r = take_fast(&t->dr, buf + pos, n - pos, &took, open->lead,
		                        &nlead, nul, cr);
		if (took && !open->n)
			open->from = off + pos, open->first = areas;
		open->n += t->dr.d->areas.n - areas;
		pos += took;
		if (r == TAKE_MORE && pos)
			return off + pos; /* the run may go on in the next window */
		if (open->n) {
			open->stop = off + pos;
			vms_vec_push(&t->runs, *open);
			memset(open, 0, sizeof(*open));
		}
		/* skip the line the fast path refused (or that outgrew the window) */
		const char *nl = memchr(buf + pos, '\n', n - pos);
		if (!nl)
			return off + n;
		pos = (size_t)(nl + 1 - buf);
	}
}

static void *run_tail(void *arg)
{
	struct tail *t = arg;
	char *buf = vms_xmalloc(VMS_CHUNK + 1);
	uint64_t off = t->from;
	struct run open = {0};
	while (off < t->to && !atomic_load_explicit(&t->abort, memory_order_relaxed)) {
		size_t want = t->to - off < VMS_CHUNK ? (size_t)(t->to - off) : VMS_CHUNK;
		ssize_t n = pread(t->fd, buf, want, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* thread 1 reads whatever the runs do not hold */
		vms_driver_read(&t->dr, (size_t)n);
		off = tail_window(t, buf, (size_t)n, off, &open);
	}
	if (open.n) { /* a run that reached the end of the bytes seen */
		open.stop = off;
		vms_vec_push(&t->runs, open);
	}
	free(buf);
	return NULL;
}

/* ---- adopting runs -------------------------------------------------------- */

/* Ids in head's symbol table of every name in the tail's. */
static uint32_t *map_symbols(struct vms_dump *head, const struct vms_dump *tail)
{
	uint32_t n = vms_symtab_count(&tail->syms);
	uint32_t *map = vms_xcalloc(n, sizeof(*map));
	for (uint32_t id = 1; id < n; id++) {
		const struct vms_sym *y = &tail->syms.syms.v[id];
		map[id] = vms_symtab_intern_hashed(&head->syms, y->name, y->len, y->hash);
	}
	return map;
}

/* Appends run r of the tail to head as lines head->nlines + 1 .. + r->n:
 * the records are moved (vms_move: big runs remap the tail's pages, so the
 * head does not fault its copy in page by page), then ids, lines and NUMA
 * indices fixed in place. */
static void adopt(struct vms_driver *head, struct vms_dump *tail, const struct run *r,
                  const uint32_t *map)
{
	struct vms_dump *d = head->d;
	size_t base = d->areas.n;
	uint32_t line = head->nlines;
	uint32_t numa_from = tail->src.v[r->first].numa;
	uint32_t numa_to = r->first + r->n < tail->src.n
	                       ? tail->src.v[r->first + r->n].numa
	                       : (uint32_t)tail->numa.n;
	uint32_t numa_shift = (uint32_t)d->numa.n - numa_from;
	vms_vec_reserve(&d->areas, base + r->n);
	vms_vec_reserve(&d->src, base + r->n);
	vms_vec_reserve(&d->numa, d->numa.n + (numa_to - numa_from));
	struct vms_area *a = d->areas.v + base;
	struct vms_area_src *s = d->src.v + base;
	vms_move(a, d->areas.v, tail->areas.v + r->first, r->n * sizeof(*a));
	vms_move(s, d->src.v, tail->src.v + r->first, r->n * sizeof(*s));
	for (size_t i = 0; i < r->n; i++) {
		a[i].caller = map[a[i].caller];
		a[i].module = map[a[i].module];
		s[i].line = s[i].last_line = ++line;
		s[i].numa += numa_shift;
	}
	d->areas.n = d->src.n = base + r->n;
	if (numa_to > numa_from) {
		memcpy(d->numa.v + d->numa.n, tail->numa.v + numa_from,
		       (numa_to - numa_from) * sizeof(struct vms_numa));
		d->numa.n += numa_to - numa_from;
	}
	vms_vec_reserve(&head->cls, (size_t)line + 1);
	memset(head->cls.v + head->nlines + 1, VMS_LINE_PARSED, r->n);
	head->nlines = line;
	head->cls.n = line;
	vms_vmi_set_fast_open(head->vmi, true);
}

/* True when head, having read every line before run r, would read the
 * run's lines exactly as the tail did: it holds no partial line, reads LF
 * line ends, no log block is open and the first line starts an entry. */
static bool ready(struct vms_driver *head, const struct vms_chunker *c,
                  const struct run *r)
{
	return r->n && c->len == 0 && c->eol == VMS_EOL_LF &&
	       vms_logparser_idle(head->log) && !head->capped && !head->stopped &&
	       !head->in_line && head->nlines + (uint64_t)r->n <= head->max_lines &&
	       vms_vmi_ready_for_range(head->vmi);
}

/* Head reads the first line of run r itself; r becomes the rest. A detail
 * group left waiting before the run is settled by its first line or two. */
static int read_lead(int fd, struct vms_driver *head, struct vms_chunker *c,
                     struct run *r, size_t k)
{
	int err = read_span(fd, r->from, r->from + r->lead[k], head, c);
	r->from += r->lead[k];
	r->first++;
	r->n--;
	return err;
}

/* ---- the cut and the join -------------------------------------------------- */

/* Offset of the first line that starts at or after near (near itself when
 * it follows a newline), or 0 when there is none within a window. */
static uint64_t find_cut(int fd, uint64_t near)
{
	char *buf = vms_xmalloc(WINDOW + 1);
	uint64_t from = near - 1, cut = 0; /* read the byte before near too */
	ssize_t n = pread(fd, buf, WINDOW + 1, (off_t)from);
	const char *nl = n > 0 ? memchr(buf, '\n', (size_t)n) : NULL;
	if (nl && nl + 1 < buf + n)
		cut = from + (uint64_t)(nl + 1 - buf);
	free(buf);
	return cut;
}

/* Thread 1 after the join: the lines between runs, adopted runs, the rest. */
static int join(int fd, struct vms_driver *head, struct vms_chunker *c, struct tail *t,
                uint64_t cut, uint64_t *adopted)
{
	uint32_t *map = map_symbols(head->d, t->dr.d);
	uint64_t off = cut;
	int err = 0;
	for (size_t k = 0; k < t->runs.n && !err; k++) {
		struct run r = t->runs.v[k];
		err = read_span(fd, off, r.from, head, c);
		for (size_t i = 0; !err && i < LEAD && i + 1 < r.n && !ready(head, c, &r);
		     i++)
			err = read_lead(fd, head, c, &r, i);
		if (err || !ready(head, c, &r)) {
			off = r.from; /* head reads the rest of the run itself */
			continue;
		}
		adopt(head, t->dr.d, &r, map);
		vms_prep_saw_dump(&c->prep);
		c->consumed = r.stop; /* the chunker is empty: it goes on there */
		*adopted += r.n;
		off = r.stop;
	}
	free(map);
	return err ? err : read_span(fd, off, UINT64_MAX, head, c);
}

/* The line ends of the file, as the head's chunker will decide them. */
static enum vms_eol file_eol(int fd, uint64_t size)
{
	char *buf = vms_xmalloc(VMS_EOL_WINDOW);
	size_t want = size < VMS_EOL_WINDOW ? (size_t)size : VMS_EOL_WINDOW, got = 0;
	while (got < want) {
		ssize_t n = pread(fd, buf + got, want - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	enum vms_eol eol = vms_eol_decide(buf, got, got < VMS_EOL_WINDOW);
	free(buf);
	return eol;
}

int vms_parse_split(int fd, uint64_t size, uint64_t near, const char *source,
                    const struct vms_parse_opts *opts, struct vms_dump **out)
{
	uint64_t cut = near && near < size ? find_cut(fd, near) : 0;
	/* the tail splits lines at LF: a CR-only file is read by one thread */
	if (!cut || cut >= size || file_eol(fd, size) != VMS_EOL_LF)
		return 0;
	struct vms_driver head;
	struct vms_chunker c = {.eol = VMS_EOL_LF};
	struct tail t = {.fd = fd, .from = cut, .to = size};
	atomic_init(&t.abort, false);
	vms_driver_start(&head, source, opts);
	vms_driver_start(&t.dr, source, opts);
	/* a dump line is 60-100 bytes: room for the whole file in the head
	 * (it adopts the tail's areas), for its part in the tail */
	vms_vmi_expect(head.vmi, (size_t)(size / 64));
	vms_vmi_expect(t.dr.vmi, (size_t)((size - cut) / 64));
	pthread_t th;
	bool threaded = pthread_create(&th, NULL, run_tail, &t) == 0;
	int err = read_span(fd, 0, cut, &head, &c);
	if (head.stopped || err)
		atomic_store(&t.abort, true);
	if (threaded)
		pthread_join(th, NULL);
	else
		run_tail(&t);
	uint64_t adopted = 0;
	if (!err)
		err = join(fd, &head, &c, &t, cut, &adopted);
	vms_driver_discard(&t.dr);
	free(t.runs.v);
	vms_chunk_last(&head, &c);
	if (err) {
		vms_driver_discard(&head);
		errno = err;
		return -VMS_EIO;
	}
	*out = vms_driver_finish(&head, opts);
	(*out)->split_lines = adopted;
	return 1;
}
