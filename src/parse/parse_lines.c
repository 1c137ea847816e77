/*
 * parse_lines.c — console/paste prefix stripping and the noise classifier
 * shared by the vmallocinfo and boot-log parsers.
 *
 * Operations
 *  - vms_line_strip(): peels, in any order and combination, the prefixes that
 *    console captures and mail pastes put in front of kernel text:
 *      "<5>"                          printk log level (also "<13>" syslog PRI)
 *      "[    0.000000] ", "[0.5]"     dmesg timestamp (also "[ 1.0@0]" Android,
 *                                     "[  +0.000123]" dmesg -d, "[Mon Jan  1
 *                                     00:00:00 2023]" dmesg -T, and a caller
 *                                     id "[    T1]" glued after a timestamp)
 *      "Jan  1 00:00:00 host kernel: " syslog / journal short form
 *      "2023-01-01T00:00:00.1+00:00 host kernel: " RFC 3339 syslog
 *      "kernel: "                     bare journal tag
 *      "> ", ">>", "> > ", ">>   "    mail quoting
 *    then counts the blanks (space, tab, UTF-8 no-break space) left before
 *    the text. Cost: O(prefix length); a line starting with "0x" (the dump
 *    case, a million lines in the benchmark) returns after two byte compares
 *    and never touches a regex.
 *  - vms_line_noise(): blank, timestamp-only, markdown fence, shell prompt,
 *    elision ("...", "[...]", "<snip>"), or -1. Regexes (PCRE2, JIT) run only
 *    on lines shorter than NOISE_MAX_LEN and with a match limit, so a hostile
 *    10 MB line costs O(1) here.
 *  - vms_lines_init(): compiles the regexes now (parse_regex.c compiles each
 *    set once and keeps it for the process lifetime).
 *
 * Invariants: text points inside raw and text[len] == '\0'; col is the
 * 1-based byte column of text[0] in raw; a line made only of prefixes has
 * len == 0 and its prefix bits set; a line starting with "0x" is never noise.
 */
#include "parse_lines.h"

#include <string.h>

#include "parse_regex.h"

enum {
	NOISE_MAX_LEN = 4096,   /* longer lines are never prompts/fences/elisions */
	MATCH_LIMIT = 100000,   /* PCRE2 backtracking budget per match */
	MAX_TS_DIGITS = 12,     /* digits on each side of the timestamp dot */
	MAX_LOGLEVEL_PRI = 191, /* largest syslog PRI (facility 23, level 7) */
};

/* ---- regexes ---------------------------------------------------------------- */

enum lines_re { RE_SYSLOG, RE_HUMAN_TS, RE_FENCE, RE_ELISION, RE_PROMPT, NR_RE };

static const char *const re_src[NR_RE] = {
    /* "Jan  1 00:00:00 host kernel: " or RFC 3339 "2023-01-01T00:00:00.12+00:00 ..." */
    [RE_SYSLOG] = "^(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-9]?[0-9]"
                  " [0-9]{2}:[0-9]{2}:[0-9]{2}"
                  "|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
                  "(?:[.,][0-9]{1,9})?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)"
                  " [^\\s:]{1,255}+ (?:kernel|vmunix|klogd)(?:\\[[0-9]{1,10}\\])?: ?",
    /* dmesg -T: "[Mon Jan  1 00:00:00 2023] " */
    [RE_HUMAN_TS] = "^\\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ 0-9]?[0-9]"
                    " [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}\\] ?",
    [RE_FENCE] = "^(?:`{3,}|~{3,})[^`]*$",
    [RE_ELISION] = "^(?:\\.{3,}|(?:\\xe2\\x80\\xa6)+"
                   "|\\[\\s*(?:\\.{3,}|\\xe2\\x80\\xa6|snip|snipped)\\s*\\]"
                   "|\\(\\s*(?:\\.{3,}|\\xe2\\x80\\xa6|snip|snipped)\\s*\\)"
                   "|<\\s*(?:\\.{3,}|snip|snipped)\\s*>"
                   "|-+\\s*(?:8<\\s*-+\\s*)?snip\\s*-+|snip)$",
    /* a prompt (then a command or nothing), or a prompt-less command; never
     * U-Boot's "=> setenv bootargs ...", which the boot-log parser reads */
    [RE_PROMPT] =
        "^(?!.*\\bsetenv\\s+bootargs\\s)(?:(?:"
        "\\[[^\\]\\s]{1,64}(?:\\s[^\\]]{0,128})?\\]\\s?[#$%]" /* [root@anyka ~]$ */
        "|[\\w.+-]{1,64}@[\\w.-]{1,64}(?:[: ][^\\s#$]{0,256})?\\s?[#$%]" /* u@h:~# */
        "|[\\w.-]{1,64}:[^\\s#$]{0,256}\\s?[#$]"                         /* otrv5:~# */
        "|[~/][^\\s#$]{0,256}\\s?[#$]"                                   /* / # */
        "|[\\w-]{1,32}-[0-9][0-9.]{0,8}[#$]"                             /* sh-4.2# */
        "|[#$%]|=>|U-Boot>"
        ")(?:\\s.*)?"
        "|(?:sudo\\s+)?(?:cat|less|more|head|tail|grep|egrep|fgrep|sort|awk|tac|xxd)"
        "\\s.*(?:/proc/|/sys/|vmallocinfo|kmsg|dmesg|meminfo)"
        "|(?:sudo\\s+)?(?:dmesg|journalctl)(?:\\s.*)?"
        "|adb\\s+(?:shell|logcat)(?:\\s.*)?"
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

/* ---- prefixes --------------------------------------------------------------- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

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

/* "<N>" with N a syslog PRI; the log level is its low three bits. */
static const char *strip_loglevel(struct vms_line *ln, const char *p)
{
	unsigned v = 0;
	int nd = 0;
	while (nd < 3 && is_digit(p[1 + nd]))
		v = v * 10 + (unsigned)(p[1 + nd++] - '0');
	if (nd == 0 || p[1 + nd] != '>' || v > MAX_LOGLEVEL_PRI)
		return NULL;
	ln->prefix |= VMS_PFX_LOGLEVEL;
	ln->loglevel = (int)(v & 7);
	return p + nd + 2;
}

/* Reads up to MAX_TS_DIGITS digits; returns the end, or NULL when none. */
static const char *scan_digits(const char *p, double *val, double *scale)
{
	int nd = 0;
	while (nd < MAX_TS_DIGITS && is_digit(p[nd])) {
		*val = *val * 10 + (p[nd] - '0');
		*scale *= 10;
		nd++;
	}
	return nd && !is_digit(p[nd]) ? p + nd : NULL;
}

/* "[ T123]" / "[  C2]" printk caller id right after a timestamp. */
static const char *skip_caller_id(const char *p)
{
	if (p[0] != '[')
		return p;
	const char *q = p + 1;
	while (*q == ' ')
		q++;
	if (*q != 'T' && *q != 'C')
		return p;
	int nd = 0;
	while (nd < 10 && is_digit(q[1 + nd]))
		nd++;
	return nd && q[1 + nd] == ']' ? q + nd + 2 : p;
}

/* "[    0.000000]", "[0.5]", "[  1.17@0]", "[  +0.000123]", then one blank. */
static const char *strip_timestamp(struct vms_line *ln, const char *p)
{
	const char *q = p + 1;
	while (*q == ' ')
		q++;
	if (*q == '+')
		q++;
	double ip = 0, fp = 0, iscale = 1, fscale = 1;
	q = scan_digits(q, &ip, &iscale);
	if (!q || *q != '.')
		return NULL;
	q = scan_digits(q + 1, &fp, &fscale);
	if (!q)
		return NULL;
	if (*q == '@' || *q == ',') { /* Android "[ 1.17@0]": CPU number */
		int nd = 0;
		while (nd < 4 && is_digit(q[1 + nd]))
			nd++;
		q += nd ? nd + 1 : 0;
	}
	if (*q != ']')
		return NULL;
	ln->prefix |= VMS_PFX_TIMESTAMP;
	ln->timestamp = ip + fp / fscale;
	q = skip_caller_id(q + 1);
	return *q == ' ' ? q + 1 : q;
}

static const char *strip_bracket(struct vms_line *ln, const char *p, size_t n)
{
	if (p[1] >= 'A' && p[1] <= 'Z') {
		long m = re_prefix_len(RE_HUMAN_TS, p, n);
		if (m <= 0)
			return NULL;
		ln->prefix |= VMS_PFX_TIMESTAMP;
		ln->timestamp = 0; /* wall clock, not seconds since boot */
		return p + m;
	}
	return strip_timestamp(ln, p);
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

static const char *strip_syslog(struct vms_line *ln, const char *p, size_t n)
{
	if (strncmp(p, "kernel:", 7) == 0) {
		ln->prefix |= VMS_PFX_SYSLOG;
		return p[7] == ' ' ? p + 8 : p + 7;
	}
	if (n < 16 || !((p[0] >= 'A' && p[0] <= 'S') || (is_digit(p[0]) && p[4] == '-')))
		return NULL;
	long m = re_prefix_len(RE_SYSLOG, p, n);
	if (m <= 0)
		return NULL;
	ln->prefix |= VMS_PFX_SYSLOG;
	return p + m;
}

/* One prefix at p, or NULL when p starts the text. */
static const char *strip_one(struct vms_line *ln, const char *p)
{
	size_t n = ln->raw_len - (size_t)(p - ln->raw);
	switch (*p) {
	case '<':
		return strip_loglevel(ln, p);
	case '[':
		return strip_bracket(ln, p, n);
	case '>':
		return strip_quote(ln, p);
	default:
		return strip_syslog(ln, p, n);
	}
}

void vms_line_strip(struct vms_line *ln)
{
	const char *p = ln->raw;
	ln->prefix = 0;
	ln->loglevel = -1;
	ln->timestamp = 0;
	ln->indent = 0;
	if (p[0] != '0' || p[1] != 'x') {
		for (;;) {
			uint32_t blanks;
			const char *q = skip_blanks(p, &blanks);
			const char *next = *q ? strip_one(ln, q) : NULL;
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
	ln->len = ln->raw_len - (size_t)(p - ln->raw);
	ln->col = (uint32_t)(p - ln->raw) + 1;
}

/* ---- noise ------------------------------------------------------------------ */

static bool re_whole(enum lines_re r, const char *s, size_t n)
{
	return re_prefix_len(r, s, n) >= 0;
}

int vms_line_noise(const struct vms_line *ln)
{
	const char *t = ln->text;
	if (ln->len == 0) {
		unsigned log = VMS_PFX_LOGLEVEL | VMS_PFX_TIMESTAMP | VMS_PFX_SYSLOG;
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
