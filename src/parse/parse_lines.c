/*
 * parse_lines.c — the prefixes that consoles, log collectors and pastes put
 * in front of kernel text, and the noise classifier shared by the
 * vmallocinfo and boot-log parsers.
 *
 * vms_line_strip() peels, in any order and combination:
 *
 *   "<5>"                              printk level (also "<13>" syslog PRI)
 *   "kern  :warn  : "                  dmesg -x facility and level
 *   "[    0.000000] ", "[0.5]"         dmesg timestamp; also "[ 1.0@0]" and
 *                                      "[ 1.0,0]" (Android CPU), "[  +0.000123]"
 *                                      (dmesg -d), "[ 1.5 <    0.1>]" (journal
 *                                      short-delta), "[Mon Jan  1 00:00:00
 *                                      2023]" (dmesg -T), "[Nov30 10:00]" (-H)
 *   "[    T1] ", "[  C2] "             printk caller id (CONFIG_PRINTK_CALLER)
 *   "[0:        swapper:    0] "       CPU:task:pid tag (Samsung, Exynos)
 *   "(0)[0:swapper/0]", "-(1)[1:init]" CPU and pid:task tags (MediaTek)
 *   "6,1234,5678901,-;"                /dev/kmsg record header
 *   "Jan  1 00:00:00 host kernel: "    syslog / journalctl short, -precise,
 *                                      -iso, -full, -unix; an optional
 *                                      facility.level ("kern.warn") before
 *                                      the tag (BusyBox, rsyslog); a bare
 *                                      "host kernel: " after a timestamp
 *                                      (journalctl short-monotonic)
 *   "1 2026-11-30T10:00:01Z host kernel - - - "   RFC 5424 after "<PRI>"
 *   "2026-11-30T10:00:01,123456+01:00 "  dmesg --time-format=iso
 *   "11-30 10:00:01.123     0     0 I         : "  logcat threadtime (also
 *                                      the time and brief forms)
 *   "kernel: "                         bare journal tag
 *   "> ", ">>", "> > ", ">>   "        mail quoting
 *   "# ", "#[", "// ", " * "           comment markers, before any log prefix
 *
 * then counts the blanks (space, tab, UTF-8 no-break space) left before the
 * text. Cost: O(prefix length); a line starting with "0x" (the dump case, a
 * million lines in the benchmark) returns after two byte compares and never
 * touches a regex. Every regex is anchored, runs only on lines whose first
 * byte can start its form, and has a match limit.
 *
 * vms_line_noise(): blank, timestamp-only, markdown fence, shell prompt,
 * elision ("...", "[... 200 lines snipped ...]", "--- 8< ---"), or the kind
 * the preparer decided (kmsg metadata, diff); -1 otherwise. Regexes run
 * only on lines shorter than NOISE_MAX_LEN, so a hostile 10 MB line costs
 * O(1) here.
 *
 * Invariants: text points inside raw and text[len] == '\0'; col is the
 * column of text[0] in the line as read (vms_line_col); a line made only of
 * prefixes has len == 0 and its prefix bits set; a line starting with "0x"
 * is never noise.
 */
#include "parse_lines.h"

#include <string.h>

#include "numbers.h"
#include "parse_regex.h"

enum {
	NOISE_MAX_LEN = 4096,   /* longer lines are never prompts/fences/elisions */
	MATCH_LIMIT = 100000,   /* PCRE2 backtracking budget per match */
	MAX_TS_DIGITS = 12,     /* digits on each side of the timestamp dot */
	MAX_LOGLEVEL_PRI = 191, /* largest syslog PRI (facility 23, level 7) */
	MAX_TAG = 64,           /* bytes inside a CPU/task tag */
};

/* Prefixes that say "this is a kernel log record". */
#define LOG_PREFIXES                                                                     \
	(VMS_PFX_LOGLEVEL | VMS_PFX_TIMESTAMP | VMS_PFX_SYSLOG | VMS_PFX_KMSG |          \
	 VMS_PFX_LOGCAT)

/* ---- regexes ---------------------------------------------------------------- */

enum lines_re {
	RE_SYSLOG,
	RE_HOSTTAG,
	RE_RFC5424,
	RE_LOGCAT,
	RE_FACILITY,
	RE_ISO_TS,
	RE_HUMAN_TS,
	RE_FENCE,
	RE_ELISION,
	RE_PROMPT,
	NR_RE
};

#define MONTH   "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
#define WEEKDAY "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
#define KTAG    "(?:kernel|vmunix|klogd)(?:\\[[0-9]{1,10}\\])?: ?"

static const char *const re_src[NR_RE] = {
    /* date and time (BSD, ISO 8601, journalctl short-full, short-unix), an
     * optional host, an optional facility.level, the kernel's tag */
    [RE_SYSLOG] =
        "^(?:" MONTH " [ 0-9]?[0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]{1,9})?"
        "|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
        "(?:[.,][0-9]{1,9})?(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
        "|" WEEKDAY " [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}"
        "(?:\\.[0-9]{1,9})? [A-Za-z][A-Za-z0-9+-]{1,7}"
        "|[0-9]{9,11}\\.[0-9]{1,9})"
        " (?:[^\\s:]{1,255} )?(?:[a-z0-9]{1,12}\\.[a-z]{1,8} )?" KTAG,
    /* journalctl short-monotonic: "[ 1.5] host kernel: " (timestamp gone) */
    [RE_HOSTTAG] = "^[^\\s:\\[\\]]{1,255} " KTAG,
    /* RFC 5424 after "<PRI>": VERSION TIMESTAMP HOST APP PROCID MSGID SD */
    [RE_RFC5424] = "^1 (?:-|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                   "(?:\\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})) \\S{1,255} \\S{1,48} "
                   "\\S{1,128} \\S{1,32} "
                   "(?:-|(?:\\[(?:[^\\]\"\\\\]|\"(?:[^\"\\\\]|\\\\.)*\")*\\])+)(?: |$)",
    /* logcat threadtime (group 1 = level) or time/brief (group 2 = level) */
    [RE_LOGCAT] =
        "^(?:(?:[0-9]{4}-)?[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}"
        "(?:\\s+[a-z_][\\w.]{0,31})?(?:\\s+[0-9]{1,10}){2} ([VDIWEFA]) "
        "[^:]{0,64}?: ?"
        "|(?:(?:[0-9]{4}-)?[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}"
        "\\.[0-9]{3} )?([VDIWEFA])/[^(]{0,64}?\\(\\s*[0-9]{1,10}\\): ?)",
    /* dmesg -x: "kern  :warn  : " (group 1 = level) */
    [RE_FACILITY] = "^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv"
                    "|ftp|local[0-7])\\s*:(emerg|alert|crit|err|warn|notice|info|debug)"
                    "\\s*: ?",
    /* dmesg --time-format=iso */
    [RE_ISO_TS] = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2},[0-9]{6}"
                  "[+-][0-9]{2}:[0-9]{2} ",
    /* dmesg -T "[Mon Jan  1 00:00:00 2023] ", dmesg -H "[Nov30 10:00] " */
    [RE_HUMAN_TS] = "^\\[(?:" WEEKDAY " [A-Z][a-z]{2} [ 0-9]?[0-9] [0-9]{2}:[0-9]{2}"
                    ":[0-9]{2} [0-9]{4}|" MONTH "\\s?[ 0-9]?[0-9] [0-9]{2}:[0-9]{2}"
                    "(?::[0-9]{2})?)\\] ?",
    [RE_FENCE] = "^(?:`{3,}|~{3,})[^`]*$",
    /* a whole line that only says "something was left out here" */
    [RE_ELISION] =
        "^(?:(?:\\.{3,}|\\xe2\\x80\\xa6)+"
        "|[\\[(<{]\\s*(?:(?:\\.{2,}|\\xe2\\x80\\xa6)[^\\[\\](){}<>]{0,80}"
        "|[^\\[\\](){}<>]{0,40}\\b(?:snip|snipped|cut|trimmed|omitted|elided|skipped"
        "|removed)\\b[^\\[\\](){}<>]{0,80})\\s*[\\])>}]"
        "|[-=~*#\\s]*(?:8<|>8|\\xe2\\x9c\\x82|\\bsnip\\b|\\bsnipped\\b|\\bcut here\\b)"
        "[-=~*#\\s\\w.]{0,80}"
        "|\\*?snip\\*?)$",
    /* a prompt (then a command or nothing), or a prompt-less command; never
     * U-Boot's "=> setenv bootargs ...", which the boot-log parser reads */
    [RE_PROMPT] =
        "^(?!.*\\bsetenv\\s+bootargs\\s)(?:(?:"
        "\\[[^\\]\\s]{1,64}(?:\\s[^\\]]{0,128})?\\]\\s?[#$%]" /* [root@anyka ~]$ */
        "|[\\w.+-]{1,64}@[\\w.-]{1,64}(?:[: ][^\\s#$]{0,256})?\\s?[#$%]" /* u@h:~# */
        "|[\\w.-]{1,64}:[^\\s#$]{0,256}\\s?[#$]"                         /* otrv5:~# */
        "|[~/][^\\s#$]{0,256}\\s?[#$]"                                   /* / # */
        "|[\\w-]{1,32}-[0-9][0-9.]{0,8}[#$]"                             /* sh-4.2# */
        "|[#$%]|=>|U-Boot>|crash>|\\(gdb\\)"                             /* debuggers */
        ")(?:\\s.*)?"
        "|(?:sudo\\s+)?(?:cat|less|more|head|tail|grep|egrep|fgrep|sort|awk|tac|xxd)"
        "\\s.*(?:/proc/|/sys/|vmallocinfo|kmsg|dmesg|meminfo)"
        "|(?:sudo\\s+)?(?:dmesg|journalctl|logcat)(?:\\s.*)?"
        "|adb\\s+(?:shell|logcat)(?:\\s.*)?"
        "|(?:sudo\\s+)?drgn\\s.*vmallocinfo.*" /* drgn ... contrib/vmallocinfo.py */
        ")$",
};

VMS_REGEX_SET(lines_re, re_src, NR_RE, 1u << RE_ELISION, MATCH_LIMIT)

void vms_lines_init(void)
{
	vms_regex_ready(&lines_re);
}

/* Length of the match of regex r at the start of s[0..n), or -1 (no match,
 * or the match limit was hit: treated as no match). */
static long re_prefix_len(enum lines_re r, const char *s, size_t n)
{
	return vms_regex_prefix(&lines_re, r, s, n);
}

/* ---- small scanners --------------------------------------------------------- */

/* Skips spaces, tabs and UTF-8 no-break spaces (each counts 1). */
static const char *skip_blanks(const char *p, uint32_t *count)
{
	uint32_t n = 0;
	for (;;) {
		if (*p == ' ' || *p == '\t' || *p == '\v' || *p == '\f') {
			p++;
		} else if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xa0) {
			p += 2;
		} else {
			break;
		}
		n++;
	}
	*count = n;
	return p;
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

/* Decimal digits at p, at most max of them and not followed by another
 * digit; the end, or NULL. */
static const char *digits(const char *p, const char *e, size_t max, uint64_t *v)
{
	bool ovf = false;
	size_t n = vms_scan_dec(p, e, v, &ovf);
	return n && n <= max && !ovf ? p + n : NULL;
}

/* ---- one prefix ----------------------------------------------------------------- */

/* "<N>" with N a syslog PRI; the log level is its low three bits. */
static const char *strip_loglevel(struct vms_line *ln, const char *p, const char *e)
{
	uint64_t v;
	const char *q = digits(p + 1, e, 3, &v);
	if (!q || *q != '>' || v > MAX_LOGLEVEL_PRI)
		return NULL;
	ln->prefix |= VMS_PFX_LOGLEVEL;
	ln->loglevel = (int)(v & 7);
	if (q[1] == '1' && q[2] == ' ') { /* RFC 5424 after its PRI */
		long m = re_prefix_len(RE_RFC5424, q + 1, (size_t)(e - q - 1));
		if (m > 0) {
			ln->prefix |= VMS_PFX_SYSLOG;
			return q + 1 + m;
		}
	}
	return q + 1;
}

/* "[    T1]", "[  C2]": printk caller id. */
static const char *strip_caller_id(struct vms_line *ln, const char *p, const char *e)
{
	const char *q = skip_spaces(p + 1);
	uint64_t v;
	if (*q != 'T' && *q != 'C')
		return NULL;
	q = digits(q + 1, e, 10, &v);
	if (!q || *q != ']')
		return NULL;
	ln->prefix |= VMS_PFX_CALLER;
	return q[1] == ' ' ? q + 2 : q + 1;
}

/* "[0:        swapper:    0]": CPU, task (may hold ':'), pid. */
static const char *strip_cpu_task(struct vms_line *ln, const char *p, const char *e)
{
	uint64_t v;
	const char *q = digits(skip_spaces(p + 1), e, 4, &v);
	const char *close = q && *q == ':' ? memchr(q, ']', (size_t)(e - q)) : NULL;
	if (!close || close - q > MAX_TAG)
		return NULL;
	const char *d = close;
	while (d > q && vms_is_digit(d[-1]))
		d--;
	const char *colon = d;
	while (colon > q && colon[-1] == ' ')
		colon--;
	if (d == close || colon <= q + 1 || colon[-1] != ':')
		return NULL;
	ln->prefix |= VMS_PFX_CALLER;
	return close[1] == ' ' ? close + 2 : close + 1;
}

/* "(0)[0:swapper/0]" and "-(1)[1:init]": CPU, then pid:task. */
static const char *strip_cpu_pid(struct vms_line *ln, const char *p, const char *e)
{
	uint64_t v;
	const char *q = digits(p + (*p == '-') + 1, e, 4, &v);
	if (!q || q[0] != ')' || q[1] != '[')
		return NULL;
	q = digits(q + 2, e, 7, &v);
	const char *close = q && *q == ':' ? memchr(q, ']', (size_t)(e - q)) : NULL;
	if (!close || close - q > MAX_TAG || close == q + 1)
		return NULL;
	ln->prefix |= VMS_PFX_CALLER;
	return close[1] == ' ' ? close + 2 : close + 1;
}

/* Up to MAX_TS_DIGITS digits to *val; returns the end, or NULL. */
static const char *ts_part(const char *p, const char *e, double *val, double *scale)
{
	uint64_t v;
	const char *q = digits(p, e, MAX_TS_DIGITS, &v);
	if (!q)
		return NULL;
	*val = (double)v;
	*scale = 1;
	for (const char *s = p; s < q; s++)
		*scale *= 10;
	return q;
}

/* After the fraction: "@0" / ",0" (Android CPU) or " <    0.000123>"
 * (journalctl short-delta). */
static const char *ts_suffix(const char *q, const char *e)
{
	uint64_t v;
	if (*q == '@' || *q == ',') {
		const char *r = digits(q + 1, e, 4, &v);
		return r ? r : q;
	}
	if (q[0] == ' ' && q[1] == '<') {
		const char *r = skip_spaces(q + 2);
		r = digits(r, e, MAX_TS_DIGITS, &v);
		r = r && *r == '.' ? digits(r + 1, e, MAX_TS_DIGITS, &v) : NULL;
		return r && *r == '>' ? r + 1 : q;
	}
	return q;
}

/* "[    0.000000]", "[0.5]", "[  1.17@0]", "[  +0.000123]", then one blank. */
static const char *strip_timestamp(struct vms_line *ln, const char *p, const char *e)
{
	const char *q = skip_spaces(p + 1);
	double ip, fp, iscale, fscale;
	q += *q == '+';
	q = ts_part(q, e, &ip, &iscale);
	if (!q || *q != '.')
		return NULL;
	q = ts_part(q + 1, e, &fp, &fscale);
	if (!q)
		return NULL;
	q = ts_suffix(q, e);
	if (*q != ']')
		return NULL;
	ln->prefix |= VMS_PFX_TIMESTAMP;
	ln->timestamp = ip + fp / fscale;
	return q[1] == ' ' ? q + 2 : q + 1;
}

static const char *strip_bracket(struct vms_line *ln, const char *p, const char *e)
{
	const char *q = skip_spaces(p + 1);
	if (*q == 'T' || *q == 'C')
		return strip_caller_id(ln, p, e);
	if (p[1] >= 'A' && p[1] <= 'Z') {
		long m = re_prefix_len(RE_HUMAN_TS, p, (size_t)(e - p));
		if (m <= 0)
			return NULL;
		ln->prefix |= VMS_PFX_TIMESTAMP;
		ln->timestamp = 0; /* wall clock, not seconds since boot */
		return p + m;
	}
	const char *r = strip_timestamp(ln, p, e);
	return r ? r : strip_cpu_task(ln, p, e);
}

/* ">", ">>", "> > ", ">>   ": every '>' and the blanks between them, then
 * one separating blank; further blanks are indentation of the quoted text. */
static const char *strip_quote(struct vms_line *ln, const char *p)
{
	for (;;) {
		uint32_t n;
		const char *q = skip_blanks(p, &n);
		if (*q != '>')
			break;
		p = q + 1;
	}
	ln->prefix |= VMS_PFX_QUOTE;
	return *p == ' ' ? p + 1 : p;
}

/* "6,1234,5678901,-;" or "4,77,1000,c,caller=T1;": /dev/kmsg. */
static const char *strip_kmsg(struct vms_line *ln, const char *p, const char *e)
{
	uint64_t pri, seq, usec;
	const char *q = digits(p, e, 4, &pri);
	q = q && *q == ',' ? digits(q + 1, e, 20, &seq) : NULL;
	q = q && *q == ',' ? digits(q + 1, e, 20, &usec) : NULL;
	const char *semi = q && *q == ',' ? memchr(q, ';', (size_t)(e - q)) : NULL;
	if (!semi || semi - q > MAX_TAG || memchr(q, ' ', (size_t)(semi - q)))
		return NULL;
	ln->prefix |= VMS_PFX_KMSG | VMS_PFX_LOGLEVEL | VMS_PFX_TIMESTAMP;
	ln->loglevel = (int)(pri & 7);
	ln->timestamp = (double)usec / 1e6;
	return semi + 1;
}

/* logcat's level letter as a printk level. */
static int logcat_level(char c)
{
	static const char letters[] = "AFEWIDV"; /* index = printk level, about */
	static const int level[] = {0, 2, 3, 4, 6, 7, 7};
	const char *l = strchr(letters, c);
	return l && c ? level[l - letters] : -1;
}

static const char *strip_logcat(struct vms_line *ln, const char *p, const char *e)
{
	size_t ov[6];
	if (!vms_regex_match(&lines_re, RE_LOGCAT, p, (size_t)(e - p), ov, 3))
		return NULL;
	size_t lv = ov[2] != PCRE2_UNSET ? ov[2] : ov[4];
	ln->prefix |= VMS_PFX_LOGCAT;
	ln->loglevel = lv != PCRE2_UNSET ? logcat_level(p[lv]) : ln->loglevel;
	return p + ov[1];
}

static const char *strip_facility(struct vms_line *ln, const char *p, const char *e)
{
	static const char *const levels[] = {"emerg", "alert",  "crit", "err",
	                                     "warn",  "notice", "info", "debug"};
	size_t ov[4];
	if (!vms_regex_match(&lines_re, RE_FACILITY, p, (size_t)(e - p), ov, 2))
		return NULL;
	for (int i = 0; i < 8; i++)
		if (strncmp(p + ov[2], levels[i], ov[3] - ov[2]) == 0 &&
		    strlen(levels[i]) == ov[3] - ov[2])
			ln->loglevel = i;
	ln->prefix |= VMS_PFX_LOGLEVEL;
	return p + ov[1];
}

/* A regex prefix that sets bits; NULL when it does not match. */
static const char *strip_re(struct vms_line *ln, enum lines_re r, unsigned bits,
                            const char *p, const char *e)
{
	long m = re_prefix_len(r, p, (size_t)(e - p));
	if (m <= 0)
		return NULL;
	ln->prefix |= bits;
	return p + m;
}

/* Lines that begin with a digit: kmsg, logcat, ISO/unix syslog, dmesg iso. */
static const char *strip_digit(struct vms_line *ln, const char *p, const char *e)
{
	const char *q;
	if ((q = strip_kmsg(ln, p, e)) != NULL)
		return q;
	if (e - p < 16)
		return NULL;
	if ((q = strip_re(ln, RE_SYSLOG, VMS_PFX_SYSLOG, p, e)) != NULL)
		return q;
	if ((q = strip_logcat(ln, p, e)) != NULL)
		return q;
	if ((q = strip_re(ln, RE_ISO_TS, VMS_PFX_TIMESTAMP, p, e)) != NULL)
		ln->timestamp = 0; /* wall clock */
	return q;
}

/* Lines that begin with a letter: syslog, "kernel: ", dmesg -x, logcat
 * brief, and "host kernel: " after a timestamp. */
static const char *strip_word(struct vms_line *ln, const char *p, const char *e)
{
	const char *q;
	if (strncmp(p, "kernel:", 7) == 0) {
		ln->prefix |= VMS_PFX_SYSLOG;
		return p[7] == ' ' ? p + 8 : p + 7;
	}
	if (p[1] == '/' && (q = strip_logcat(ln, p, e)) != NULL)
		return q;
	if (e - p >= 16 && p[0] <= 'W' &&
	    (q = strip_re(ln, RE_SYSLOG, VMS_PFX_SYSLOG, p, e)))
		return q;
	if (!(ln->prefix & LOG_PREFIXES) && p[0] >= 'a' && p[0] <= 'u')
		return strip_facility(ln, p, e);
	return NULL;
}

/* "# ", "#[ts]", "// ", "* " (not the powerpc layout "* 0xA..0xB : name"). */
static const char *strip_comment(struct vms_line *ln, const char *p)
{
	const char *q = NULL;
	if (p[0] == '#' && (p[1] == '[' || p[1] == '<'))
		q = p + 1;
	else if (p[0] == '#' && p[1] == ' ' && p[2] && p[2] != ' ')
		q = p + 2;
	else if (p[0] == '/' && p[1] == '/' && (p[2] == ' ' || p[2] == '['))
		q = p + 2 + (p[2] == ' ');
	else if (p[0] == '*' && (p[1] == ' ' || !p[1]))
		q = p + 1 + (p[1] == ' ');
	if (!q || (p[0] == '*' && q[0] == '0' && q[1] == 'x' && strstr(q, "..")))
		return NULL;
	ln->prefix |= VMS_PFX_COMMENT;
	return q;
}

/* One prefix at p, or NULL when p starts the text. */
static const char *strip_one(struct vms_line *ln, const char *p, const char *e)
{
	const char *q;
	if ((ln->prefix & (VMS_PFX_TIMESTAMP | VMS_PFX_SYSLOG)) == VMS_PFX_TIMESTAMP &&
	    *p != '[' && *p != '<' &&
	    (q = strip_re(ln, RE_HOSTTAG, VMS_PFX_SYSLOG, p, e)) != NULL)
		return q;
	if (vms_is_digit(*p))
		return strip_digit(ln, p, e);
	if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		return strip_word(ln, p, e);
	switch (*p) {
	case '<':
		return strip_loglevel(ln, p, e);
	case '[':
		return strip_bracket(ln, p, e);
	case '(':
	case '-':
		return p[*p == '-'] == '(' ? strip_cpu_pid(ln, p, e) : NULL;
	case '>':
		return strip_quote(ln, p);
	case '#':
	case '/':
	case '*':
		return ln->prefix & LOG_PREFIXES ? NULL : strip_comment(ln, p);
	default:
		return NULL;
	}
}

void vms_line_strip_from(struct vms_line *ln, const char *from)
{
	const char *p = from, *e = ln->raw + ln->raw_len;
	ln->loglevel = -1;
	ln->timestamp = 0;
	ln->indent = 0;
	if (p[0] != '0' || p[1] != 'x') {
		for (;;) {
			uint32_t blanks;
			const char *q = skip_blanks(p, &blanks);
			const char *next = *q ? strip_one(ln, q, e) : NULL;
			if (!next) {
				ln->indent = blanks;
				p = q;
				break;
			}
			p = next;
		}
	}
	if (ln->indent)
		ln->prefix |= VMS_PFX_INDENT;
	ln->text = p;
	ln->len = (size_t)(e - p);
	ln->col = vms_line_col(ln, p);
}

void vms_line_strip(struct vms_line *ln)
{
	ln->prefix = 0;
	ln->noise = 0;
	vms_line_strip_from(ln, ln->raw);
}

/* ---- noise ------------------------------------------------------------------ */

static bool re_whole(enum lines_re r, const char *s, size_t n)
{
	return re_prefix_len(r, s, n) >= 0;
}

int vms_line_noise(const struct vms_line *ln)
{
	const char *t = ln->text;
	if (ln->noise)
		return ln->noise - 1;
	if (ln->len == 0) {
		unsigned log = LOG_PREFIXES | VMS_PFX_CALLER;
		return ln->prefix & log ? VMS_NOISE_TIMESTAMP : VMS_NOISE_BLANK;
	}
	if ((t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) || ln->len > NOISE_MAX_LEN)
		return -1;
	if ((t[0] == '`' || t[0] == '~') && re_whole(RE_FENCE, t, ln->len))
		return VMS_NOISE_FENCE;
	if (re_whole(RE_ELISION, t, ln->len))
		return VMS_NOISE_ELISION;
	if (re_whole(RE_PROMPT, t, ln->len))
		return VMS_NOISE_PROMPT;
	return -1;
}
