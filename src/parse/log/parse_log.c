/*
 * parse_log.c — the boot/console log parser: the dispatcher that the parse
 * driver offers every stripped line, plus the one-line facts.
 *
 * Order per line: a pending continuation of the previous fact, the layout
 * block (parse_layout.c), failures and their call traces (parse_failure.c),
 * then the facts handled here:
 *
 *   Linux version 4.4.9-v7+ (dc4@host) (gcc version 4.9.3 (...) ) #884 SMP ...
 *   Linux board 4.9.88 #1 SMP PREEMPT ... armv7l GNU/Linux        (uname -a)
 *       -> version_text, kernel_major/minor/patch, compiler_text, and
 *          arch evidence (parse_ident.c reads them, and gathers the
 *          evidence every other offered line gives)
 *   Kernel command line: ...      Command line: ... (x86)
 *   ... ;setenv bootargs \$bootargs ... vmalloc=300M;bootm ...   (U-Boot)
 *   => setenv bootargs "root=/dev/ram rw"      bootargs=... (printenv)
 *       -> cmdline text, vmalloc= (bytes and text), mem=, cma= (text)
 *   Memory: 150412K/256000K available (...)    Memory: 512MB = 512MB total
 *       -> memory_text, memory_total_kb ("= N MB total" beats "A/B available")
 *   VmallocTotal:   34359738367 kB   (and VmallocUsed, VmallocChunk, Percpu)
 *       -> log->meminfo (parse_meminfo.c)
 *
 * Wrapped facts: a Memory: or Linux version line whose parentheses are not
 * closed, and a command line followed by a line made only of "key=value"
 * words, take the NEXT line when it carries no log prefix (timestamp, level,
 * syslog). The joined line is classed repaired ("memory-joined",
 * "version-joined", "cmdline-joined").
 *
 * Every boot fact also goes to parse_boots.c first, which tells a second
 * copy of the same boot from the first.
 *
 * Line classes: parsed; repaired for joined or unescaped lines; diagnostic
 * when the line produced a warning or an error (notes do not count). Cost:
 * O(line length) per line; a line starting with "0x" outside a layout block
 * returns at once.
 */
#include "parse_log.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "numbers.h"
#include "parse_log_int.h"
#include "vmscope/parse.h"

struct vms_logparser *vms_logparser_new(struct vms_dump *d)
{
	struct vms_logparser *p = vms_xcalloc(1, sizeof(*p));
	p->d = d;
	return p;
}

void vms_logparser_free(struct vms_logparser *p)
{
	if (!p)
		return;
	free(p->callers.v);
	free(p);
}

int vms_log_class(struct vms_dump *d, uint64_t alerts_before, bool repaired)
{
	if (d->nr_alerts > alerts_before)
		return VMS_LINE_DIAGNOSTIC;
	return repaired ? VMS_LINE_REPAIRED : VMS_LINE_PARSED;
}

static bool starts(const char *s, const char *lit)
{
	return strncmp(s, lit, strlen(lit)) == 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* '(' minus ')' in s[0..n). */
static int paren_depth(const char *s, size_t n)
{
	int depth = 0;
	for (size_t i = 0; i < n; i++)
		depth += (s[i] == '(') - (s[i] == ')');
	return depth;
}

static void cont_open(struct vms_logparser *p, const struct vms_line *ln, uint8_t kind,
                      int depth)
{
	p->cont = ln->len < CONT_MAX_TEXT ? kind : CONT_NONE;
	p->cont_last = ln->no;
	p->cont_lines = 0;
	p->cont_depth = depth;
}

/* ---- Linux version (the reading is parse_ident.c's) ------------------------- */

static int version_line(struct vms_logparser *p, const struct vms_line *ln)
{
	struct vms_bootlog *log = p->d->log;
	char *full = vms_arena_strndup(&log->arena, ln->text, ln->len);
	vms_boot_version(p, ln, full);
	vms_ident_version(p, ln->no, full);
	p->version_full = full;
	int depth = paren_depth(ln->text, ln->len);
	if (depth > 0)
		cont_open(p, ln, CONT_VERSION, depth);
	return VMS_LINE_PARSED;
}

/* ---- Memory: ---------------------------------------------------------------- */

/* "= 827MB total" or "A/BK available": total RAM in KiB, 0 when absent or
 * too big to be a memory size (2^50 KiB or more: *bad then points at the
 * number, *bad_len its length). */
static uint64_t memory_total(const char *s, bool *from_total, const char **bad,
                             size_t *bad_len)
{
	const char *t = strstr(s, "MB total"), *e = s + strlen(s);
	uint64_t v;
	bool ovf = false;
	*from_total = false;
	*bad = NULL;
	if (t) {
		const char *b = t;
		while (b > s && vms_is_digit(b[-1]))
			b--;
		if (b < t && t - b < 12) {
			vms_scan_dec(b, t, &v, &ovf);
			*from_total = true;
			return v << 10;
		}
		if (b < t)
			*bad = b, *bad_len = (size_t)(t - b) + 2;
	}
	const char *slash = strchr(s, '/');
	if (slash && vms_is_digit(slash[1])) {
		size_t nd = vms_scan_dec(slash + 1, e, &v, &ovf);
		char unit = slash[1 + nd];
		if ((unit == 'K' || unit == 'k') && !ovf && v < (1ull << 50))
			return v;
		if (unit == 'K' || unit == 'k')
			*bad = slash + 1, *bad_len = nd + 1;
	}
	return 0;
}

static void memory_extract(struct vms_logparser *p, const char *full)
{
	struct vms_bootlog *log = p->d->log;
	bool from_total;
	const char *bad;
	size_t bad_len;
	uint64_t kb = memory_total(full, &from_total, &bad, &bad_len);
	if (kb && (from_total || !p->memory_from_total))
		log->memory_total_kb = kb;
	p->memory_from_total |= from_total && kb;
	log->memory_text = full;
}

static int memory_line(struct vms_logparser *p, const struct vms_line *ln)
{
	struct vms_bootlog *log = p->d->log;
	bool from_total;
	const char *bad;
	size_t bad_len;
	vms_boot_memory(p, ln, memory_total(ln->text, &from_total, &bad, &bad_len));
	log->memory_line = ln->no;
	memory_extract(p, vms_arena_strndup(&log->arena, ln->text, ln->len));
	int depth = paren_depth(ln->text, ln->len);
	if (depth > 0)
		cont_open(p, ln, CONT_MEMORY, depth);
	if (!bad)
		return VMS_LINE_PARSED;
	vms_dump_diag(p->d, ln->no, vms_line_col(ln, bad), VMS_SEV_WARNING,
	              "memory-bad-size",
	              "Memory: total '%.*s' is not a memory size (2^50 KiB or more): "
	              "the total is unknown",
	              (int)vms_utf8_clip(bad, bad_len, 40), bad);
	return VMS_LINE_DIAGNOSTIC;
}

/* ---- command line ----------------------------------------------------------- */

/* Reads the command line s[0..n) of line ln into c; warns about the first
 * bad value (one diagnostic per line, located at its word). */
static void cmdline_read(struct vms_logparser *p, const struct vms_line *ln,
                         const char *s, size_t n, struct vms_cmdline *c)
{
	struct vms_cmdline_bad bad;
	if (vms_cmdline_parse(s, n, &p->d->log->arena, c, &bad) == 0)
		return;
	vms_dump_diag(p->d, ln->no, vms_line_col(ln, s + bad.off), VMS_SEV_WARNING,
	              "cmdline-bad-size", "%.*s%s: %s",
	              (int)(bad.len > 60 ? 60 : bad.len), s + bad.off,
	              bad.len > 60 ? "..." : "", bad.reason);
}

static int cmdline_set(struct vms_logparser *p, const struct vms_line *ln, const char *s,
                       size_t n, bool uboot)
{
	struct vms_bootlog *log = p->d->log;
	uint64_t nd = p->d->nr_alerts;
	while (n && is_blank(*s))
		s++, n--;
	while (n && is_blank(s[n - 1]))
		n--;
	log->has_cmdline = true;
	log->cmdline.line = ln->no;
	log->cmdline.from_uboot = uboot;
	cmdline_read(p, ln, s, n, &log->cmdline);
	cont_open(p, ln, CONT_CMDLINE, 0);
	return vms_log_class(p->d, nd, false);
}

/* U-Boot "setenv bootargs VALUE" up to an unquoted ';'; quotes removed. */
static int uboot_bootargs(struct vms_logparser *p, const struct vms_line *ln,
                          const char *s)
{
	s += strlen("setenv bootargs");
	while (is_blank(*s))
		s++;
	char q = (*s == '"' || *s == '\'') ? *s++ : '\0';
	const char *e = s;
	while (*e && (q ? *e != q : *e != ';'))
		e++;
	if (e == s)
		return LOG_NOT_MINE; /* "setenv bootargs" alone deletes the variable */
	return cmdline_set(p, ln, s, (size_t)(e - s), true);
}

/* ---- continuations ---------------------------------------------------------- */

/* A wrapped command line goes on with words like "key=value" or "ro". */
static bool cmdline_words(const char *s)
{
	bool eq = false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return false; /* a dump line, never a command line */
	while (*s) {
		while (is_blank(*s))
			s++;
		if (!*s)
			break;
		if (*s == '=' || *s == ':')
			return false;
		while (*s && !is_blank(*s) && *s != '=') {
			char c = *s++;
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
				return false;
		}
		if (*s == '=') {
			eq = true;
			while (*s && !is_blank(*s))
				s++;
		}
	}
	return eq;
}

static char *joined(struct vms_logparser *p, const char *a, const struct vms_line *ln)
{
	return vms_arena_printf(&p->d->log->arena, "%s %.*s", a, (int)ln->len, ln->text);
}

static int cont_join(struct vms_logparser *p, const struct vms_line *ln)
{
	struct vms_bootlog *log = p->d->log;
	uint64_t nd = p->d->nr_alerts;
	static const char *const what[] = {"", "command line", "Memory: line",
	                                   "Linux version line"};
	if (p->cont == CONT_CMDLINE) {
		struct vms_cmdline piece = {0};
		const char *all = joined(p, log->cmdline.text, ln);
		cmdline_read(p, ln, ln->text, ln->len,
		             &piece); /* warnings of this line */
		vms_cmdline_parse(all, strlen(all), &log->arena, &log->cmdline, NULL);
	} else if (p->cont == CONT_MEMORY) {
		memory_extract(p, joined(p, log->memory_text, ln));
	} else {
		p->version_full = joined(p, p->version_full, ln);
		vms_ident_version(p, log->version_line, p->version_full);
	}
	static const char *const code[] = {"", "cmdline-joined", "memory-joined",
	                                   "version-joined"};
	vms_dump_repair(p->d, ln->no, ln->col, -1, code[p->cont],
	                "line joined to the %s wrapped before it", what[p->cont]);
	p->cont_last = ln->no;
	p->cont_lines++;
	p->cont_depth += paren_depth(ln->text, ln->len);
	if (p->cont != CONT_CMDLINE && p->cont_depth <= 0)
		p->cont = CONT_NONE;
	return vms_log_class(p->d, nd, true);
}

static int cont_line(struct vms_logparser *p, const struct vms_line *ln)
{
	unsigned logpfx = VMS_PFX_TIMESTAMP | VMS_PFX_LOGLEVEL | VMS_PFX_SYSLOG;
	bool ok = ln->no == p->cont_last + 1 && !(ln->prefix & logpfx) && ln->len &&
	          ln->len < CONT_MAX_TEXT && p->cont_lines < CONT_MAX_LINES;
	if (ok && p->cont == CONT_CMDLINE)
		ok = !ln->indent && cmdline_words(ln->text);
	if (!ok) {
		p->cont = CONT_NONE;
		return LOG_NOT_MINE;
	}
	return cont_join(p, ln);
}

/* ---- dispatch --------------------------------------------------------------- */

static bool memory_start(const char *t)
{
	if (!starts(t, "Memory:"))
		return false;
	t += 7;
	while (is_blank(*t))
		t++;
	return *t >= '0' && *t <= '9';
}

static int fact_line(struct vms_logparser *p, const struct vms_line *ln)
{
	const char *t = ln->text;
	const char *u;
	if (starts(t, "Linux version ") && t[14] >= '0' && t[14] <= '9')
		return version_line(p, ln);
	if (starts(t, "Kernel command line:")) {
		vms_boot_cmdline(p, ln, t + 20, ln->len - 20);
		return cmdline_set(p, ln, t + 20, ln->len - 20, false);
	}
	if (starts(t, "Command line:"))
		return cmdline_set(p, ln, t + 13, ln->len - 13, false);
	if (starts(t, "bootargs="))
		return cmdline_set(p, ln, t + 9, ln->len - 9, true);
	if ((u = strstr(t, "setenv bootargs")) && (u[15] == ' ' || u[15] == '\t'))
		return uboot_bootargs(p, ln, u);
	if (memory_start(t))
		return memory_line(p, ln);
	int c = vms_meminfo_line(p, ln);
	return c != LOG_NOT_MINE ? c : vms_ident_uname(p, ln);
}

static int dispatch(struct vms_logparser *p, const struct vms_line *ln)
{
	int c;
	if (p->cont && (c = cont_line(p, ln)) >= 0)
		return c;
	if ((c = vms_layout_line(p, ln)) >= 0)
		return c;
	if ((c = vms_failure_line(p, ln)) >= 0)
		return c;
	return fact_line(p, ln);
}

int vms_logparser_line(struct vms_logparser *p, const struct vms_line *ln,
                       enum vms_line_class *cls)
{
	if (ln->text[0] == '0' && ln->text[1] == 'x' && !p->in_layout)
		return 0; /* the dump case: not a boot-log fact */
	uint64_t nd = p->d->nr_alerts;
	vms_ident_evidence(p, ln);
	int c = dispatch(p, ln);
	if (c < 0)
		return 0;
	int worst = vms_log_class(p->d, nd, c == VMS_LINE_REPAIRED);
	*cls = (enum vms_line_class)(c == VMS_LINE_DIAGNOSTIC ? c : worst);
	return 1;
}

bool vms_logparser_in_layout(const struct vms_logparser *p)
{
	return p->in_layout;
}

bool vms_logparser_idle(const struct vms_logparser *p)
{
	return !p->in_layout && !p->in_trace && p->cont == CONT_NONE;
}

/* ---- lines cut by an editor or pager ---------------------------------------- */

/* s without a trailing mark, as a new arena string. */
static const char *without_mark(struct vms_logparser *p, const char *s, char mark)
{
	size_t n = strlen(s);
	n -= n && s[n - 1] == mark;
	return vms_arena_strndup(&p->d->log->arena, s, n);
}

/* The command line lost its end: reread it without the mark, and forget a
 * vmalloc=/mem= value that is the last word (it may be cut short). */
static void cmdline_cut(struct vms_logparser *p, uint32_t width, char mark)
{
	struct vms_cmdline *c = &p->d->log->cmdline;
	const char *text = without_mark(p, c->text, mark);
	vms_cmdline_parse(text, strlen(text), &p->d->log->arena, c, NULL);
	const char *last = strrchr(text, ' ');
	last = last ? last + 1 : text;
	bool vm = starts(last, "vmalloc="), mem = starts(last, "mem=");
	if (vm) {
		c->has_vmalloc = false;
		c->vmalloc_text = NULL;
	}
	if (mem) {
		c->has_mem = c->has_mem_start = false;
		c->mem_text = NULL;
	}
	vms_dump_diag(
	    p->d, c->line, 0, VMS_SEV_WARNING, "line-cut",
	    "command line cut at column %u by an editor or pager: vmalloc=/mem= "
	    "after the cut are unknown%s%.40s%s",
	    width, vm || mem ? "; its last word, cut short, is ignored: " : "",
	    vm || mem ? last : "", vm || mem ? "" : "");
}

int vms_logparser_cut(struct vms_logparser *p, uint32_t no, uint32_t width, char mark)
{
	struct vms_bootlog *log = p->d->log;
	const char *what = NULL;
	if (log->has_cmdline && log->cmdline.line == no) {
		cmdline_cut(p, width, mark);
		return 1;
	}
	if (log->version_line == no && p->version_full) {
		p->version_full = without_mark(p, p->version_full, mark);
		vms_ident_version(p, no, p->version_full);
		what = "Linux version line";
	} else if (log->memory_line == no && log->memory_text) {
		log->memory_text = without_mark(p, log->memory_text, mark);
		what = "Memory: line";
	}
	if (!what)
		return 0;
	vms_dump_diag(p->d, no, 0, VMS_SEV_WARNING, "line-cut",
	              "%s cut at column %u by an editor or pager: the text after the cut "
	              "is unknown",
	              what, width);
	return 1;
}

void vms_logparser_finish(struct vms_logparser *p)
{
	vms_layout_close(p);
	if (p->in_trace)
		vms_failure_close(p);
	p->cont = CONT_NONE;
	vms_ident_finish(p);
	if (p->failures_dropped)
		vms_dump_diag(p->d, p->failures_first_dropped, 0, VMS_SEV_NOTE,
		              "failures-capped",
		              "%" PRIu64 " more allocation failures from here on were "
		              "counted, not stored (the first %u are)",
		              p->failures_dropped, (unsigned)VMS_DIAG_CAP);
}
