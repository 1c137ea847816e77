/*
 * fuzz_script.c — libFuzzer target for the event-script reader and writer
 * (src/sim/sim_script.c: libcsv in strict mode fed piece by piece, the
 * line/column cursor, comments, the BOM, the live-id set, the error cap).
 *
 * Any bytes are read as a script. Checked (abort() on a violation):
 *  - the line count equals the lines of the input counted here
 *    independently (LF, CRLF and a lone CR end a line, a BOM is skipped, an
 *    unterminated last line counts);
 *  - the return is 0 exactly when no error was stored; at most 1000 errors
 *    and one closing note; every error has a "script-" code, a short
 *    message, a line inside the input and a column of at least 1;
 *  - every event is well formed (op and kind in range, alloc size >= 1,
 *    alignment 0 or a power of two, ids >= 1 except on purges, a caller id
 *    of the table), lines ascend, and replaying the events never allocates
 *    a live id or frees one that is not live;
 *  - when there were no errors: the script is written, read back, and the
 *    events are equal (callers compared by name and length), and writing
 *    that again gives the same bytes.
 *
 * Build and run: `make fuzz` (see tests/fuzz/README.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint64_t sink;

static void fail(const char *why, size_t i)
{
	fprintf(stderr, "fuzz_script: invariant violated (item %zu): %s\n", i, why);
	abort();
}

/* Lines of buf[0..len) by the reader's rule, counted the simple way. */
static uint64_t count_lines(const uint8_t *buf, size_t len)
{
	size_t i = len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	uint64_t lines = 0;
	bool open = false;
	for (; i < len; i++) {
		if (buf[i] == '\n' ||
		    (buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n'))) {
			lines++;
			open = false;
		} else if (buf[i] != '\r') {
			open = true;
		}
	}
	return lines + open;
}

static void check_errors(const struct vms_sim_script *s, int rc)
{
	if ((rc == 0) != (s->errors.n == 0) || (rc && rc != -VMS_EINVAL))
		fail("return code and stored errors disagree", 0);
	if (s->errors.n > 1001)
		fail("more errors stored than the cap", s->errors.n);
	for (size_t i = 0; i < s->errors.n; i++) {
		const struct vms_diag *d = &s->errors.v[i];
		bool note = d->severity == VMS_SEV_NOTE;
		if (note && i + 1 != s->errors.n)
			fail("a note before the last error", i);
		if (!d->code || strncmp(d->code, "script-", 7) != 0 || !d->message)
			fail("an error without a code or a message", i);
		if (strlen(d->message) > 400)
			fail("an error message that quotes too much", i);
		if (d->line < 1 || d->line > s->lines || (!note && d->col < 1))
			fail("an error outside the input", i);
	}
}

/* An id's events, for the replay check. */
struct id_event {
	uint64_t id;
	size_t index;
	uint8_t op;
};

static int by_id_then_index(const void *pa, const void *pb)
{
	const struct id_event *a = pa, *b = pb;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Each id's events, in script order, alternate alloc, free, alloc, ...
 * starting with an alloc: no id is allocated while live or freed while
 * not live. Checked by sorting, independently of the reader's hash set. */
static void check_ids(const struct vms_sim_script *s)
{
	struct id_event *v = calloc(s->ev.n + 1, sizeof(*v));
	size_t n = 0;
	if (!v)
		fail("out of memory", 0);
	for (size_t i = 0; i < s->ev.n; i++)
		if (s->ev.v[i].op != VMS_OP_PURGE)
			v[n++] = (struct id_event){s->ev.v[i].id, i, s->ev.v[i].op};
	qsort(v, n, sizeof(*v), by_id_then_index);
	for (size_t i = 0; i < n; i++) {
		bool first = i == 0 || v[i].id != v[i - 1].id;
		uint8_t want =
		    first || v[i - 1].op == VMS_OP_FREE ? VMS_OP_ALLOC : VMS_OP_FREE;
		if (v[i].op != want)
			fail(want == VMS_OP_ALLOC ? "a free of an id that is not live"
			                          : "an id allocated twice while live",
			     v[i].index);
	}
	free(v);
}

static void check_events(const struct vms_sim_script *s)
{
	uint32_t last = 0;
	for (size_t i = 0; i < s->ev.n; i++) {
		const struct vms_sim_event *e = &s->ev.v[i];
		if (e->op >= VMS_NR_OPS || e->kind >= VMS_NR_SIM_KINDS)
			fail("an op or kind out of range", i);
		if (e->line < last || e->line < 1 || e->line > s->lines)
			fail("event lines out of order or outside the input", i);
		last = e->line;
		if (e->caller >= vms_symtab_count(&s->syms))
			fail("a caller id outside the table", i);
		if (e->op == VMS_OP_ALLOC && (!e->size || (e->align & (e->align - 1))))
			fail("an alloc of size 0 or a bad alignment", i);
		if ((e->op == VMS_OP_PURGE) != (e->id == 0))
			fail("an id of 0 on an alloc or free, or an id on a purge", i);
		sink += e->id ^ e->size;
	}
	check_ids(s);
}

static char *write_out(const struct vms_sim_script *s, size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);
	if (!fp || vms_sim_script_write(fp, s) != 0 || fclose(fp) != 0)
		fail("writing to a memory stream failed", 0);
	return buf;
}

static bool same_caller(const struct vms_sim_script *a, uint32_t x,
                        const struct vms_sim_script *b, uint32_t y)
{
	if (!x || !y)
		return !x && !y;
	const struct vms_sym *p = &a->syms.syms.v[x], *q = &b->syms.syms.v[y];
	return p->len == q->len && memcmp(p->name, q->name, p->len) == 0;
}

static void round_trip(const struct vms_sim_script *s)
{
	size_t len, len2;
	char *text = write_out(s, &len);
	struct vms_sim_script back;
	vms_sim_script_init(&back, "written");
	if (vms_sim_script_read(&back, text, len) != 0)
		fail("the written script does not read back", back.errors.n);
	if (back.ev.n != s->ev.n)
		fail("the written script reads back to another number of events",
		     back.ev.n);
	for (size_t i = 0; i < s->ev.n; i++) {
		const struct vms_sim_event *x = &s->ev.v[i], *y = &back.ev.v[i];
		if (x->op != y->op || x->id != y->id || x->size != y->size ||
		    x->align != y->align || x->kind != y->kind ||
		    !same_caller(s, x->caller, &back, y->caller))
			fail("an event differs after the round trip", i);
	}
	char *again = write_out(&back, &len2);
	if (len2 != len || memcmp(text, again, len) != 0)
		fail("writing the read-back script gives other bytes", 0);
	free(again);
	free(text);
	vms_sim_script_free(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vms_sim_script s;
	vms_sim_script_init(&s, "fuzz");
	int rc = vms_sim_script_read(&s, (const char *)data, size);
	if (s.lines != count_lines(data, size))
		fail("the line count differs from the input's lines", (size_t)s.lines);
	check_errors(&s, rc);
	check_events(&s);
	if (rc == 0)
		round_trip(&s);
	vms_sim_script_free(&s);
	return 0;
}
