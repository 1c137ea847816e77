/*
 * parse_failure.c — vmalloc failure messages in a kernel log and the call
 * trace printed after them (docs/kernel.md §4.2):
 *
 *   vmap allocation for size N failed: use vmalloc=<size> to increase size[.]
 *   vmap allocation failed: use vmalloc=<size> to increase size.   (2.6.28, no size)
 *   allocation failed: out of vmalloc space - use vmalloc=<size> ... (2.6.24)
 *   vmalloc_node_range for size N failed: Address range restricted to 0xA - 0xB
 *   COMM: vmalloc error: size N, vm_struct allocation failed, mode:...
 *   COMM: vmalloc: allocation failure: N bytes, mode:...
 *   vmalloc: allocation failure, allocated X of N bytes
 *
 * A failure opens a trace context. While it is open, the lines warn_alloc()
 * and dump_stack() print are claimed: "CPU: .. PID: ..", "Hardware name:",
 * "Call trace:", "Call Trace:", "Backtrace:", "Workqueue:", "Modules linked
 * in:", "<TASK>", "<IRQ>", "</IRQ>", arm32 register lines "r4:c05a0c08 ...",
 * frames in every form (" func+0x1/0x2 [mod]", "? func+...", "[<c0012345>]
 * (func) from [<c0012346>] (caller+0x1/0x2)", "[<ffffffff81234567>] func+...",
 * "func from caller+0x1/0x2"), and the end markers "</TASK>" and
 * "---[ end trace ... ]---" (which close it). Frame function names are
 * collected innermost first ("?" frames are unreliable and skipped); when the
 * context closes, every failure since the previous trace receives the list,
 * so "vmap allocation ..." and the "vmalloc error" that follows share it.
 * Any other line closes the context once frames were seen (or after
 * TRACE_GAP unrelated lines). Cost: O(line length), no regex.
 */
#include "parse_log_int.h"

#include <string.h>

#include "numbers.h"

enum { TRACE_GAP = 4 };

/* ---- small scanners ----------------------------------------------------------- */

static bool is_dig(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_xdig(char c)
{
	return is_dig(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static bool is_sym(char c, bool first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '.' ||
	       c == '$' || (!first && is_dig(c));
}

static const char *skip_bl(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Decimal at s (NUL-terminated text); the end, or NULL when no digit. */
static const char *scan_dec(const char *s, uint64_t *v, bool *ovf)
{
	size_t n = vms_scan_dec(s, s + strlen(s), v, ovf);
	return n ? s + n : NULL;
}

/* "0x" hex at s; the end, or NULL. */
static const char *scan_hex(const char *s, uint64_t *v, bool *ovf)
{
	if (s[0] != '0' || (s[1] | 0x20) != 'x' || !is_xdig(s[2]))
		return NULL;
	return s + 2 + vms_scan_hex(s + 2, s + 2 + strlen(s + 2), v, ovf);
}

/* ---- failure messages ------------------------------------------------------- */

struct fail_form {
	const char *key;   /* searched anywhere in the text */
	uint8_t kind;      /* enum vms_failure_kind */
	const char *after; /* text before the size, after the key; NULL: no size */
};

static const struct fail_form forms[] = {
    {"vmap allocation for size ", VMS_FAIL_VMAP, ""},
    {"vmap allocation failed: use vmalloc=", VMS_FAIL_VMAP, NULL},
    {"allocation failed: out of vmalloc space", VMS_FAIL_VMAP, NULL},
    {"vmalloc_node_range for size ", VMS_FAIL_NODE_RANGE, ""},
    {"vmalloc error: size ", VMS_FAIL_VMALLOC_ERROR, ""},
    {"vmalloc: allocation failure: ", VMS_FAIL_ALLOCATION, ""},
    {"vmalloc: allocation failure, allocated ", VMS_FAIL_ALLOCATION, " of "},
};

/* "Address range restricted to 0xA - 0xB" */
static void failure_range(struct vms_logparser *p, const struct vms_line *ln,
                          struct vms_failure *f, const char *s, bool *bad)
{
	const char *r = strstr(s, "restricted to ");
	bool ovf = false;
	if (!r)
		return;
	r = scan_hex(r + 14, &f->vstart, &ovf);
	if (r && (r = skip_bl(r), *r == '-'))
		r = scan_hex(skip_bl(r + 1), &f->vend, &ovf);
	else
		r = NULL;
	if (!r || ovf) {
		vms_dump_diag(p->d, ln->no, ln->col, VMS_SEV_WARNING, "failure-bad-range",
		              ovf ? "an address of the restricted range does not fit in "
		                    "64 bits (at most 0xffffffffffffffff): range ignored"
		                  : "cannot read the restricted address range of the "
		                    "failure (\"0xSTART - 0xEND\")");
		*bad = true;
		return;
	}
	f->has_range = true;
}

/* Reads the size after the form's key at s; false after a diagnostic. */
static bool failure_size(struct vms_logparser *p, const struct vms_line *ln,
                         const struct fail_form *fm, const char *s, struct vms_failure *f)
{
	bool ovf = false;
	uint64_t v;
	if (!fm->after)
		return true;
	if (*fm->after) { /* "allocated X of N bytes" */
		const char *q = scan_dec(s, &v, &ovf);
		s = q && strncmp(q, fm->after, strlen(fm->after)) == 0
		        ? q + strlen(fm->after)
		        : NULL;
	}
	const char *e = s ? scan_dec(s, &f->size, &ovf) : NULL;
	if (e && !ovf)
		return true;
	f->size = 0;
	vms_dump_diag(p->d, ln->no, s ? vms_line_col(ln, s) : ln->col, VMS_SEV_WARNING,
	              "failure-bad-size",
	              ovf ? "the size of the failed allocation does not fit in 64 bits "
	                    "(at most 18446744073709551615 bytes): size 0 kept"
	                  : "cannot read the size of the failed allocation: size 0 kept");
	return false;
}

static const struct fail_form *failure_form(const char *t, const char **after_key)
{
	if (!strstr(t, "vmalloc") && !strstr(t, "vmap"))
		return NULL;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		const char *k = strstr(t, forms[i].key);
		if (k) {
			*after_key = k + strlen(forms[i].key);
			return &forms[i];
		}
	}
	return NULL;
}

/* A failure message: records it and opens the trace context. */
static int failure_message(struct vms_logparser *p, const struct vms_line *ln)
{
	const char *s;
	const struct fail_form *fm = failure_form(ln->text, &s);
	if (!fm)
		return LOG_NOT_MINE;
	if (p->in_trace && p->callers.n)
		vms_failure_close(p); /* a new failure after a finished trace */
	if (!p->in_trace)
		p->trace_from = p->d->log->failures.n;
	struct vms_failure f = {.kind = fm->kind, .line = ln->no};
	f.text = ln->text; /* borrowed until it is kept */
	bool bad = !failure_size(p, ln, fm, s, &f);
	if (fm->kind == VMS_FAIL_NODE_RANGE)
		failure_range(p, ln, &f, s, &bad);
	if (vms_boot_failure_repeats(p, &f)) { /* a second copy's is kept once */
	} else if (p->d->log->failures.n < VMS_DIAG_CAP) {
		f.text = vms_arena_strndup(&p->d->log->arena, ln->text, ln->len);
		vms_vec_push(&p->d->log->failures, f);
	} else if (!p->failures_dropped++) { /* like messages: counted, not kept */
		p->failures_first_dropped = ln->no;
	}
	p->in_trace = true;
	p->trace_last = ln->no;
	return bad ? VMS_LINE_DIAGNOSTIC : VMS_LINE_PARSED;
}

/* ---- call trace ------------------------------------------------------------- */

static const char *const trace_heads[] = {
    "CPU: ",      "Hardware name:",     "Call trace:", "Call Trace:", "Backtrace:",
    "Workqueue:", "Modules linked in:", "<TASK>",      "<IRQ>",       "</IRQ>",
    "Stack:",     "Exception stack",
};

static bool trace_head(const char *t)
{
	for (size_t i = 0; i < sizeof(trace_heads) / sizeof(trace_heads[0]); i++)
		if (strncmp(t, trace_heads[i], strlen(trace_heads[i])) == 0)
			return true;
	return false;
}

/* arm32 register dump under a frame: "r6:00008000 r5:00000000 r4:c05a0c08" */
static bool register_line(const char *t)
{
	if (t[0] != 'r' || !is_dig(t[1]))
		return false;
	const char *c = strchr(t, ':');
	return c && c - t <= 3 && is_xdig(c[1]) && strlen(c + 1) >= 8;
}

/* Symbol at s (optionally "(sym+0x1/0x2)"); returns the end or NULL. */
static const char *frame_symbol(const char *s, const char **sym, size_t *n, bool *off)
{
	bool paren = *s == '(';
	s += paren;
	if (!is_sym(*s, true))
		return NULL;
	*sym = s;
	while (is_sym(*s, false))
		s++;
	*n = (size_t)(s - *sym);
	*off = false;
	if (s[0] == '+' && s[1] == '0' && s[2] == 'x') {
		uint64_t v;
		bool ovf = false;
		const char *q = scan_hex(s + 1, &v, &ovf);
		const char *r = q && q[0] == '/' ? scan_hex(q + 1, &v, &ovf) : NULL;
		*off = q != NULL;
		s = r ? r : q ? q : s;
	}
	if (paren && s[0] == ' ' && s[1] == '[') /* "(func+0x1/0x2 [module])" */
		s += strcspn(s, "])") + (s[strcspn(s, "])")] == ']');
	if (paren && *s++ != ')')
		return NULL;
	return s;
}

static const char *skip_addr(const char *s, bool *bracketed)
{
	if (s[0] != '[' || s[1] != '<')
		return s;
	const char *q = s + 2;
	while (is_xdig(*q))
		q++;
	if (q[0] != '>' || q[1] != ']')
		return s;
	*bracketed = true;
	return skip_bl(q + 2);
}

static void push_caller(struct vms_logparser *p, const char *sym, size_t n)
{
	if (p->callers.n < TRACE_MAX_CALLERS)
		vms_vec_push(&p->callers, vms_arena_strndup(&p->d->log->arena, sym, n));
}

/* "from [<addr>] (caller+0x1/0x2)" after an arm32 frame; the caller may be
 * wrapped onto the next line. */
static void frame_from(struct vms_logparser *p, const char *s)
{
	bool br = false, off;
	const char *sym;
	size_t n;
	s = skip_bl(skip_addr(skip_bl(s + 4), &br));
	p->trace_tail = NULL;
	p->tail_pending = *s == '\0';
	if (*s && frame_symbol(s, &sym, &n, &off))
		p->trace_tail = vms_arena_strndup(&p->d->log->arena, sym, n);
}

/* "(caller+0x1/0x2)" alone: the wrapped end of "... from [<addr>]". */
static bool frame_wrapped_tail(struct vms_logparser *p, const char *t)
{
	const char *sym;
	size_t n;
	bool off;
	if (!p->tail_pending || !frame_symbol(t, &sym, &n, &off))
		return false;
	p->trace_tail = vms_arena_strndup(&p->d->log->arena, sym, n);
	p->tail_pending = false;
	return true;
}

/* The frame at t: its function (sym, n), whether it is unreliable ("?"),
 * and where the line goes on; NULL when t is not a frame (a bare word is
 * not one: a frame has "[<addr>]" or "+0xOFF"). */
static const char *parse_frame(const char *t, const char **sym, size_t *n,
                               bool *unreliable)
{
	bool br = false, off;
	const char *s = skip_addr(t, &br);
	*unreliable = *s == '?';
	if (*unreliable)
		s = skip_bl(s + 1);
	s = frame_symbol(s, sym, n, &off);
	return s && (br || off) ? skip_bl(s) : NULL;
}

static bool is_from(const char *s)
{
	return strncmp(s, "from", 4) == 0 && (s[4] == ' ' || s[4] == '\0');
}

/* One frame line; false when the text is not a frame. */
static bool frame_line(struct vms_logparser *p, const char *t)
{
	bool unreliable;
	const char *sym;
	size_t n;
	if (t[0] == '(')
		return frame_wrapped_tail(p, t);
	const char *s = parse_frame(t, &sym, &n, &unreliable);
	if (!s)
		return false;
	if (!unreliable)
		push_caller(p, sym, n);
	if (is_from(s))
		frame_from(p, s);
	return true;
}

int vms_frame_functions(const char *t, const char *sym[2], size_t n[2])
{
	bool unreliable, br = false, off;
	const char *s = parse_frame(t, &sym[0], &n[0], &unreliable);
	if (!s || unreliable)
		return 0;
	if (!is_from(s))
		return 1;
	s = skip_bl(skip_addr(skip_bl(s + 4), &br));
	return frame_symbol(s, &sym[1], &n[1], &off) ? 2 : 1;
}

/* Returns the class of a trace line, or LOG_NOT_MINE. */
static int trace_line(struct vms_logparser *p, const struct vms_line *ln)
{
	const char *t = ln->text;
	bool end = strncmp(t, "</TASK>", 7) == 0 ||
	           strncmp(t, "---[ end trace", 14) == 0 ||
	           strncmp(t, "---[ end Kernel panic", 21) == 0;
	if (!end && !trace_head(t) && !register_line(t) && !frame_line(p, t))
		return LOG_NOT_MINE;
	p->trace_last = ln->no;
	if (end)
		vms_failure_close(p);
	return VMS_LINE_PARSED;
}

void vms_failure_close(struct vms_logparser *p)
{
	struct vms_bootlog *log = p->d->log;
	if (p->trace_tail &&
	    (!p->callers.n || strcmp(p->callers.v[p->callers.n - 1], p->trace_tail) != 0))
		push_caller(p, p->trace_tail, strlen(p->trace_tail));
	size_t n = p->callers.n;
	const char **v = NULL;
	if (n) {
		v = vms_arena_alloc(&log->arena, n * sizeof(*v));
		memcpy(v, p->callers.v, n * sizeof(*v));
	}
	for (size_t i = p->trace_from; i < log->failures.n && n; i++) {
		log->failures.v[i].callers = v;
		log->failures.v[i].nr_callers = (uint32_t)n;
	}
	p->callers.n = 0;
	p->trace_tail = NULL;
	p->tail_pending = false;
	p->trace_from = log->failures.n;
	p->in_trace = false;
}

int vms_failure_line(struct vms_logparser *p, const struct vms_line *ln)
{
	int c = failure_message(p, ln);
	if (c >= 0 || !p->in_trace)
		return c;
	if (ln->no - p->trace_last > TRACE_GAP) {
		vms_failure_close(p);
		return LOG_NOT_MINE;
	}
	c = trace_line(p, ln);
	if (c < 0 && (p->callers.n || p->trace_tail))
		vms_failure_close(p);
	return c;
}
