/*
 * parse_prep.c — the line preparer: turns one physical input line into the
 * kernel records it holds (struct vms_line), with the context that only a
 * run of lines reveals.
 *
 * Per line, in this order:
 *
 *   1. Truncation mark. Emacs puts '$' in the last column of a line wider
 *      than the window; less --rscroll and vim (listchars "extends") put
 *      '>'. A '$' or '>' ending a line of display width W counts as
 *      evidence for W; once VMS_CUT_EVIDENCE lines of one width end in the
 *      same mark, later such lines lose the mark (VMS_TAIL_CUT) and the
 *      confirming line names the earlier ones (pp->cut_prev). The evidence is a
 *      counter per width and mark (allocated on the first candidate).
 *   2. Normalisation (parse_norm.c), except on lines starting with "0x".
 *   3. Context prefixes, first record only: /dev/kmsg metadata (" SUBSYSTEM="
 *      and " DEVICE=" lines after a kmsg record: noise "metadata"), the first column of a
 *      unified-diff hunk (after "@@ -a,b +c,d @@", counted; removed lines
 *      are noise "diff", as are the headers), a line-number gutter ("123:"
 *      from grep -n, "  123 | " and "  123: " from editors, "     1\t" from
 *      cat -n when the numbers run on, "123-" of grep -n context lines after
 *      "123:" ones).
 *   4. Prefixes (vms_line_strip_from, parse_lines.c).
 *   5. Records glued into one line: an embedded "[    0.000000]" (six
 *      decimals, as printk prints) or "<6>[    0.000000]" after the text has
 *      begun ends the record; the rest is the next record (part 1, 2, ...),
 *      prepared from step 4 on. The byte where the next record starts is
 *      replaced by a NUL while the record before it is handed out.
 *   6. Last record only: a shell prompt glued to the end of the line
 *      ("... vmalloc root@board:~#", "... $") is cut off (VMS_TAIL_PROMPT).
 *
 * Lines starting with "0x" (the dump's hot path) skip steps 2, 3 and 5;
 * steps 1 and 6 look at their last byte only. Cost: O(line) per line; the
 * regexes are anchored (the prompt one runs on at most the last
 * PROMPT_WINDOW bytes) and bounded by a match limit.
 */
#include <stdlib.h>
#include <string.h>

#include "numbers.h"
#include "parse_lines.h"
#include "parse_regex.h"

enum {
	PROMPT_WINDOW = 200, /* bytes at the end of a line searched for a prompt */
	MAX_GUTTER = 9,      /* digits of a line number */
};

enum gutter_form { GUT_NONE = 0, GUT_COLON, GUT_BAR, GUT_TAB, GUT_DASH };

/* ---- regexes ---------------------------------------------------------------- */

enum prep_re { RE_TAIL_PROMPT, RE_HUNK, NR_PREP_RE };

static const char *const prep_src[NR_PREP_RE] = {
    /* a prompt at the end, after a blank (or the start of the window) */
    [RE_TAIL_PROMPT] =
        "(?:^|\\s)(?:[\\w.+-]{1,64}@[\\w.-]{1,64}(?::[^\\s#$]{0,128})?\\s?[#$%]"
        "|\\[[^\\]\\s]{1,64}(?:\\s[^\\]]{0,64})?\\]\\s?[#$%]"
        "|[\\w-]{1,32}-[0-9][0-9.]{0,8}[#$]"
        "|(?:[~/][^\\s#$]{0,128}\\s)?[#$])$",
    [RE_HUNK] =
        "^@@ -[0-9]{1,10}(?:,([0-9]{1,10}))? \\+[0-9]{1,10}(?:,([0-9]{1,10}))? @@",
};

VMS_REGEX_SET(prep_re, prep_src, NR_PREP_RE, 0, 100000)

/* ---- 1. truncation marks ---------------------------------------------------- */

/* Columns on screen: tabs to the next multiple of 8, UTF-8 characters 1. */
static uint32_t display_width(const char *s, size_t n)
{
	uint32_t w = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t')
			w = (w / 8 + 1) * 8;
		else if ((c & 0xc0) != 0x80)
			w++;
	}
	return w;
}

static struct vms_cut_seen *cut_seen(struct vms_prep *pp, char mark, uint32_t width,
                                     bool create)
{
	int m = mark == '>';
	if (!pp->cuts[m] && create)
		pp->cuts[m] = vms_xcalloc(VMS_CUT_MAX_WIDTH + 1, sizeof(*pp->cuts[m]));
	return pp->cuts[m] ? &pp->cuts[m][width] : NULL;
}

bool vms_prep_is_cut(const struct vms_prep *pp, uint32_t width, char mark)
{
	int m = mark == '>';
	return (mark == '$' || mark == '>') && width <= VMS_CUT_MAX_WIDTH &&
	       pp->cuts[m] && pp->cuts[m][width].count >= VMS_CUT_EVIDENCE;
}

/* Records a '$'/'>' in the last column; drops it once confirmed. (The
 * column before it may hold a blank: then, until confirmed, the '$' reads
 * as a trailing prompt.) */
static void cut_evidence(struct vms_prep *pp)
{
	char *b = pp->buf;
	size_t n = pp->len;
	char mark = n >= 2 ? b[n - 1] : 0;
	if (mark != '$' && mark != '>')
		return;
	uint32_t w = display_width(b, n);
	if (w < VMS_CUT_MIN_WIDTH || w > VMS_CUT_MAX_WIDTH)
		return;
	pp->cut_mark = mark;
	pp->width = w;
	struct vms_cut_seen *c = cut_seen(pp, mark, w, true);
	if (c->count < 2)
		c->first[c->count] = pp->no;
	if (++c->count < VMS_CUT_EVIDENCE)
		return;
	pp->cut_confirmed = true;
	if (c->count == VMS_CUT_EVIDENCE)
		memcpy(pp->cut_prev, c->first, sizeof(pp->cut_prev));
	b[--pp->len] = '\0';
}

/* ---- 3. context prefixes ---------------------------------------------------- */

static bool starts(const char *s, const char *lit)
{
	return strncmp(s, lit, strlen(lit)) == 0;
}

/* " SUBSYSTEM=..." / " DEVICE=..." after a /dev/kmsg record: the only keys
 * the kernel prints there (dev_printk's subsystem and device). */
static bool kmsg_metadata(const char *p)
{
	return starts(p, " SUBSYSTEM=") || starts(p, " DEVICE=");
}

static void set_noise(struct vms_line *ln, enum vms_noise_kind k)
{
	ln->noise = (uint8_t)(k + 1);
}

/* "@@ -a,b +c,d @@": opens a hunk of b old and d new lines. */
static bool hunk_header(struct vms_prep *pp, const char *p)
{
	size_t ov[6];
	if (p[0] != '@' || p[1] != '@' ||
	    !vms_regex_match(&prep_re, RE_HUNK, p, strlen(p), ov, 3))
		return false;
	uint64_t v[2] = {1, 1};
	bool ovf = false;
	for (int g = 0; g < 2; g++)
		if (ov[2 + 2 * g] != PCRE2_UNSET)
			vms_scan_dec(p + ov[2 + 2 * g], p + ov[3 + 2 * g], &v[g], &ovf);
	pp->hunk_old = v[0] > UINT32_MAX ? UINT32_MAX : (uint32_t)v[0];
	pp->hunk_new = v[1] > UINT32_MAX ? UINT32_MAX : (uint32_t)v[1];
	pp->diff = VMS_DIFF_HUNK;
	return true;
}

/* A line of an open hunk: its first column is the diff's. */
static const char *hunk_line(struct vms_prep *pp, struct vms_line *ln, const char *p)
{
	char c = *p;
	if (c == '\\') { /* "\ No newline at end of file" */
		set_noise(ln, VMS_NOISE_DIFF);
		return p;
	}
	bool old = c == ' ' || c == '-' || !c, new = c == ' ' || c == '+' || !c;
	if ((!old && !new) || (old && !pp->hunk_old) || (new && !pp->hunk_new)) {
		pp->diff = VMS_DIFF_NONE;
		return NULL;
	}
	pp->hunk_old -= old;
	pp->hunk_new -= new;
	if (!pp->hunk_old && !pp->hunk_new)
		pp->diff = VMS_DIFF_HEADERS; /* another hunk may follow */
	ln->prefix |= VMS_PFX_DIFF;
	if (c == '-')
		set_noise(ln, VMS_NOISE_DIFF); /* the removed side */
	return c ? p + 1 : p;
}

static bool diff_header(const struct vms_prep *pp, const char *p)
{
	if (starts(p, "diff --git ") || (pp->prev_minus && starts(p, "+++ ")))
		return true;
	return pp->diff == VMS_DIFF_HEADERS &&
	       (starts(p, "index ") || starts(p, "--- ") || starts(p, "+++ ") ||
	        starts(p, "new file mode ") || starts(p, "deleted file mode "));
}

/* Unified diff: headers and hunk headers are noise; hunk lines lose their
 * first column. Returns where the line goes on. */
static const char *diff(struct vms_prep *pp, struct vms_line *ln, const char *p)
{
	const char *q;
	bool minus = starts(p, "--- ");
	if (pp->diff == VMS_DIFF_HUNK && (q = hunk_line(pp, ln, p)) != NULL)
		minus = false;
	else if (hunk_header(pp, p) || diff_header(pp, p)) {
		pp->diff = pp->diff == VMS_DIFF_NONE ? VMS_DIFF_HEADERS : pp->diff;
		set_noise(ln, VMS_NOISE_DIFF);
		q = p;
	} else {
		pp->diff = pp->diff == VMS_DIFF_HUNK ? VMS_DIFF_NONE : pp->diff;
		q = p;
	}
	pp->prev_minus = minus;
	return q;
}

/* What follows a cat -n number that makes it a gutter on its own. */
static bool log_start(const char *s)
{
	return (s[0] == '[' && (s[1] == ' ' || vms_is_digit(s[1]))) ||
	       (s[0] == '<' && vms_is_digit(s[1])) || (s[0] == '0' && s[1] == 'x');
}

/* The marker after a line number: its form and where the text begins. */
static enum gutter_form gutter_mark(const char *q, const char **text)
{
	const char *r = q;
	if (*q == ':' && !vms_is_digit(q[1]) && q[1]) {
		*text = q + 1 + (q[1] == ' ');
		return GUT_COLON;
	}
	if (*q == '\t') {
		*text = q + 1;
		return GUT_TAB;
	}
	if (*q == '-' && q[1] && !vms_is_digit(q[1])) {
		*text = q + 1;
		return GUT_DASH;
	}
	while (*r == ' ')
		r++;
	size_t bar = *r == '|' ? 1 : starts(r, "\xe2\x94\x82") ? 3 : 0; /* | or U+2502 */
	if (!bar)
		return GUT_NONE;
	*text = r + bar + (r[bar] == ' ');
	return GUT_BAR;
}

/* A line number in front of the text ("123:", "  123 | ", "     1\t"). */
static const char *gutter(struct vms_prep *pp, struct vms_line *ln, const char *p)
{
	const char *q = p, *text = NULL;
	uint64_t n = 0;
	bool ovf = false;
	while (*q == ' ')
		q++;
	size_t nd = *q >= '1' && *q <= '9' ? vms_scan_dec(q, q + strlen(q), &n, &ovf) : 0;
	enum gutter_form f =
	    nd && nd <= MAX_GUTTER ? gutter_mark(q + nd, &text) : GUT_NONE;
	bool ok = f == GUT_COLON || f == GUT_BAR;
	if (f == GUT_TAB)
		ok = n == 1 || (pp->gutter == GUT_TAB && n == pp->gutter_no + 1) ||
		     log_start(text);
	if (f == GUT_DASH)
		ok = (pp->gutter == GUT_COLON || pp->gutter == GUT_DASH) &&
		     n > pp->gutter_no;
	if (f == GUT_DASH && q != p)
		ok = false; /* grep -n context lines have no leading blanks */
	pp->gutter = ok || f == GUT_TAB ? (uint8_t)f : GUT_NONE;
	pp->gutter_no = (uint32_t)n;
	if (!ok)
		return p;
	ln->prefix |= VMS_PFX_GUTTER;
	return text;
}

/* Steps 3 for the first record; returns where prefix stripping starts. */
static const char *context(struct vms_prep *pp, struct vms_line *ln)
{
	const char *p = ln->raw;
	if (pp->dump) { /* "0x...": no hunk, gutter or metadata line */
		pp->diff = pp->diff == VMS_DIFF_HUNK ? VMS_DIFF_NONE : pp->diff;
		pp->gutter = GUT_NONE;
		pp->kmsg = pp->prev_minus = false;
		return p;
	}
	if (pp->kmsg && kmsg_metadata(p)) {
		set_noise(ln, VMS_NOISE_METADATA);
		return p;
	}
	pp->kmsg = false;
	if (pp->diff || *p == '@' || *p == '-' || *p == '+' || *p == 'd')
		p = diff(pp, ln, p);
	else
		pp->prev_minus = false;
	return ln->noise ? p : gutter(pp, ln, p);
}

/* ---- 5. glued records ------------------------------------------------------- */

/* "[    0.000000]" with exactly six decimals, optionally "@cpu". */
static bool printk_ts(const char *s, const char *e)
{
	uint64_t v;
	bool ovf = false;
	const char *q = s + 1;
	while (*q == ' ')
		q++;
	size_t n = vms_scan_dec(q, e, &v, &ovf);
	if (!n || n > 12 || q[n] != '.')
		return false;
	q += n + 1;
	if (vms_scan_dec(q, e, &v, &ovf) != 6)
		return false;
	q += 6;
	if (*q == '@')
		q += 1 + vms_scan_dec(q + 1, e, &v, &ovf);
	return *q == ']';
}

/* Offset in the line of a record glued after the text began, or 0. */
static size_t next_record(const struct vms_prep *pp, const struct vms_line *ln)
{
	const char *e = ln->text + ln->len, *q = ln->text + (ln->len > 0);
	while ((q = memchr(q, '[', (size_t)(e - q))) != NULL) {
		if (printk_ts(q, e)) {
			const char *lt = q - 1; /* "<6>" just before? */
			while (lt > ln->text && vms_is_digit(lt[-1]) && q - lt < 5)
				lt--;
			bool level = q[-1] == '>' && lt < q - 1 && lt > ln->text + 1 &&
			             lt[-1] == '<';
			return (size_t)((level ? lt - 1 : q) - pp->buf);
		}
		q++;
	}
	return 0;
}

/* Ends the record before offset b; the next one starts there. */
static void split_at(struct vms_prep *pp, struct vms_line *ln, size_t b)
{
	pp->cut_at = b;
	pp->cut_byte = pp->buf[b];
	pp->buf[b] = '\0';
	size_t s = (size_t)(ln->raw - pp->buf), t = (size_t)(ln->text - pp->buf);
	ln->raw_len = b - s;
	ln->len = b - t;
	while (ln->len && (ln->text[ln->len - 1] == ' ' || ln->text[ln->len - 1] == '\t'))
		pp->buf[t + --ln->len] = '\0'; /* blanks before the glued record */
	pp->pos = b;
	pp->part++;
}

/* ---- 6. tail ---------------------------------------------------------------- */

static void tail(struct vms_prep *pp, struct vms_line *ln)
{
	if (pp->cut_confirmed)
		ln->tail |= VMS_TAIL_CUT;
	char last = ln->len ? ln->text[ln->len - 1] : 0;
	if (last != '#' && last != '$' && last != '%')
		return;
	const char *w =
	    ln->len > PROMPT_WINDOW ? ln->text + ln->len - PROMPT_WINDOW : ln->text;
	while (w > ln->text && w[-1] != ' ' && w[-1] != '\t' && *w)
		w++; /* start the window at a blank, so "^" is a word start */
	size_t ov[2];
	const char *e = ln->text + ln->len;
	if (!*w || !vms_regex_match(&prep_re, RE_TAIL_PROMPT, w, (size_t)(e - w), ov, 1))
		return;
	size_t keep = (size_t)(w + ov[0] - ln->text);
	while (keep && (ln->text[keep - 1] == ' ' || ln->text[keep - 1] == '\t'))
		keep--;
	if (!keep)
		return; /* the whole line is a prompt: the noise classifier's */
	pp->buf[(size_t)(ln->text - pp->buf) + keep] = '\0';
	ln->len = keep;
	ln->tail |= VMS_TAIL_PROMPT;
}

/* ---- the line and its records ----------------------------------------------- */

unsigned vms_prep_line(struct vms_prep *pp, char *buf, size_t len, uint32_t no,
                       unsigned *entities_n)
{
	unsigned what = 0;
	pp->buf = buf;
	pp->len = len;
	pp->no = no;
	pp->pos = 0;
	pp->part = 0;
	pp->cut_byte = 0;
	pp->done = false;
	pp->cut_mark = 0;
	pp->width = 0;
	pp->cut_confirmed = false;
	memset(pp->cut_prev, 0, sizeof(pp->cut_prev));
	pp->map.n = 0;
	*entities_n = 0;
	pp->dump = buf[0] == '0' && buf[1] == 'x';
	cut_evidence(pp);
	/* dump lines are normalised lazily by the dump parser (its fast path
	 * takes only lines without any byte that normalisation would change) */
	if (!pp->dump)
		pp->len = vms_norm_line(buf, pp->len, &pp->map, &what, entities_n);
	return what;
}

bool vms_prep_next(struct vms_prep *pp, struct vms_line *ln)
{
	if (pp->done)
		return false;
	if (pp->cut_byte) {
		pp->buf[pp->cut_at] = pp->cut_byte;
		pp->cut_byte = 0;
	}
	size_t s = pp->pos;
	*ln = (struct vms_line){.raw = pp->buf + s,
	                        .raw_len = pp->len - s,
	                        .no = pp->no,
	                        .map = pp->map.n ? &pp->map : NULL,
	                        .raw_off = (uint32_t)s,
	                        .part = pp->part};
	const char *from = pp->part ? ln->raw : context(pp, ln);
	vms_line_strip_from(ln, from);
	size_t b = pp->dump || ln->noise ? 0 : next_record(pp, ln);
	if (b) {
		split_at(pp, ln, b);
	} else {
		if (!ln->noise)
			tail(pp, ln);
		pp->done = true;
	}
	pp->kmsg |= (ln->prefix & VMS_PFX_KMSG) || ln->noise == VMS_NOISE_METADATA + 1;
	return true;
}

void vms_prep_free(struct vms_prep *pp)
{
	free(pp->map.v);
	free(pp->cuts[0]);
	free(pp->cuts[1]);
	memset(pp, 0, sizeof(*pp));
}
