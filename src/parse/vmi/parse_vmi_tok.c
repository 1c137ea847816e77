/*
 * parse_vmi_tok.c — cuts one stripped line of a vmallocinfo paste into
 * tokens (see parse_vmi.h for the token kinds).
 *
 * The tokenizer is a hand-written scanner: one pass, no allocation. It is
 * tolerant by design: an address range is recognised even when glued to the
 * word before it ("vmalloc0xd085e000-0x..."), a caller keeps its "+0x/0x"
 * even with "..." glued after it, "[i2c pxa]" is one module token, "[...]"
 * is an elision, never a module, and numbers that do not fit are flagged
 * (value UINT64_MAX), never wrapped.
 *
 * Cost: O(line length) whatever the line holds. A line that lost every
 * blank is one long run; the end of the run and the position of the next
 * range glued inside it are found once and kept in struct vms_tokenizer, so
 * each token costs its own length, not the rest of the run
 * (vms_tokenizer.work counts the bytes the scans examine; a test checks it
 * grows linearly).
 *
 * A range is an address range only when its addresses are printed at
 * pointer width (8 or 16 hex digits, one digit of slack for a paste that
 * lost or doubled one, at least one side exact) or as "(ptrval)": that is
 * how %p prints them (docs/kernel.md §1.2, §1.4). "0x1-0x2" is not a dump
 * range, so a flood of such words costs no areas: an area costs at most
 * about four times the bytes of the shortest line that makes one. A range
 * too big for 64 bits stays a range, to be dropped with a diagnostic.
 */
#include "parse_vmi.h"

#include <string.h>

#include "numbers.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static bool is_sym(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || vms_is_digit(c) ||
	       c == '_' || c == '.' || c == '$';
}

/* "(ptrval)" or "(____ptrval____)", possibly after blanks. Returns length. */
static size_t scan_ptrval(const char *p, const char *e)
{
	const char *q = p;
	while (q < e && *q == ' ')
		q++;
	static const char *const forms[] = {"(ptrval)", "(____ptrval____)"};
	for (int i = 0; i < 2; i++) {
		size_t l = strlen(forms[i]);
		if ((size_t)(e - q) >= l && memcmp(q, forms[i], l) == 0)
			return (size_t)(q - p) + l;
	}
	return 0;
}

/* One side of a range after "0x": hex digits or a ptrval form. */
static size_t scan_addr(const char *p, const char *e, uint64_t *v, uint8_t *w, bool *ovf,
                        bool *ptrval)
{
	size_t n = vms_scan_hex(p, e, v, ovf);
	if (n) {
		*w = n > 255 ? 255 : (uint8_t)n;
		return n;
	}
	n = scan_ptrval(p, e);
	if (n) {
		*ptrval = true;
		*v = 0;
		*w = 0;
	}
	return n;
}

/* A width %p prints (8 or 16 digits), give or take the digit a paste lost
 * or doubled. */
static bool near_pointer_width(unsigned w)
{
	return (w >= 7 && w <= 9) || (w >= 15 && w <= 17);
}

/* Overflowing ranges stay ranges: the entry is dropped with a diagnostic
 * that says why, at no cost of an area. */
static bool plausible_widths(const struct vms_tok *t, bool ovf)
{
	if (t->ptrval || ovf)
		return true;
	return near_pointer_width(t->w1) && near_pointer_width(t->w2) &&
	       (t->w1 == 8 || t->w1 == 16 || t->w2 == 8 || t->w2 == 16);
}

/*
 * The end has more digits than the start: a size glued to the end
 * ("0xffffc9000500100016781312": end at the start's width, then decimal).
 * When blanks were lost too, the caller follows, and its first letters may
 * be hex ("...0xf00020008192devm_ioremap+..."): the size is the decimal run
 * right after the end's digits, and the token ends with it. Keeps both
 * readings (t->b and glued_end); the assembler picks one. Returns the
 * length of the end field to keep (m, or the end and the size).
 */
static size_t glued_size(const char *r, size_t m, struct vms_tok *t, bool *ovf2)
{
	size_t k = 0;
	while (t->w1 + k < m && vms_is_digit(r[t->w1 + k]))
		k++;
	bool o = false, o2 = false;
	uint64_t sz = 0, end;
	if (!k || k > 19 || (vms_scan_dec(r + t->w1, r + t->w1 + k, &sz, &o), o) || !sz)
		return m;
	vms_scan_hex(r, r + t->w1, &end, &o2);
	t->glued_size = sz;
	t->glued_end = end;
	if (t->w1 + k < m) { /* the caller's hex-looking letters: not the end */
		t->b = end;
		*ovf2 = false;
		t->w2 = t->w1;
		return t->w1 + k;
	}
	t->w2 = t->w1;
	if (*ovf2) {
		t->b = end;
		*ovf2 = false;
	}
	return m;
}

/* Tries "0xA-0xB" at p. On success fills t and returns its length. */
static size_t scan_range(const char *p, const char *e, struct vms_tok *t)
{
	if (e - p < 6 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
		return 0;
	const char *q = p + 2;
	bool ovf = false, pv = false;
	size_t n = scan_addr(q, e, &t->a, &t->w1, &ovf, &pv);
	if (!n || q + n + 2 >= e || q[n] != '-' || q[n + 1] != '0' ||
	    (q[n + 2] != 'x' && q[n + 2] != 'X'))
		return 0;
	const char *r = q + n + 3;
	bool ovf2 = false;
	size_t m = scan_addr(r, e, &t->b, &t->w2, &ovf2, &pv);
	if (!m)
		return 0;
	t->glued_size = 0;
	t->ptrval = pv;
	if ((t->w1 == 8 || t->w1 == 16) && m > t->w1 && !pv)
		m = glued_size(r, m, t, &ovf2);
	if (!plausible_widths(t, ovf || ovf2))
		return 0;
	t->type = VMS_T_RANGE;
	t->overflow = ovf || ovf2;
	return (size_t)(r + m - p);
}

static bool word_is(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(p, w, n) == 0;
}

/* "sym+0xOFF/0xLEN" (or without "/0xLEN"); "..." glued at the end is cut.
 * t is written only when the word is a caller. */
static int scan_caller(const char *p, size_t n, struct vms_tok *t)
{
	while (n >= 3 && memcmp(p + n - 3, "...", 3) == 0)
		n -= 3;
	const char *plus = memchr(p, '+', n);
	if (!plus || plus == p)
		return 0;
	for (const char *c = p; c < plus; c++)
		if (!is_sym(*c))
			return 0;
	const char *e = p + n, *q = plus + 1;
	if (e - q < 3 || q[0] != '0' || q[1] != 'x')
		return 0;
	bool ovf = false;
	uint64_t off, len = 0;
	size_t k = vms_scan_hex(q + 2, e, &off, &ovf);
	if (!k)
		return 0;
	q += 2 + k;
	uint8_t type = VMS_T_CALLER_HALF;
	if (q != e) {
		if (e - q < 4 || q[0] != '/' || q[1] != '0' || q[2] != 'x')
			return 0;
		k = vms_scan_hex(q + 3, e, &len, &ovf);
		if (!k || q + 3 + k != e)
			return 0;
		type = VMS_T_CALLER;
	}
	t->type = type;
	t->s = p;
	t->slen = (uint32_t)(plus - p);
	t->a = off;
	t->b = len;
	t->overflow = ovf;
	return 1;
}

/* "key=value" tokens: pages=, phys=, N<n>=. */
static int scan_keyed(const char *p, size_t n, struct vms_tok *t)
{
	const char *e = p + n;
	bool ovf = false;
	if (n > 6 && memcmp(p, "pages=", 6) == 0) {
		if (vms_scan_dec(p + 6, e, &t->a, &ovf) != n - 6)
			return 0;
		t->type = VMS_T_PAGES;
	} else if (n > 5 && memcmp(p, "phys=", 5) == 0) {
		const char *q = p + 5;
		t->phys_0x = e - q > 2 && q[0] == '0' && q[1] == 'x';
		if (t->phys_0x)
			q += 2;
		size_t k = vms_scan_hex(q, e, &t->a, &ovf);
		if (k != (size_t)(e - q))
			return 0;
		t->w1 = k > 255 ? 255 : (uint8_t)k;
		t->type = VMS_T_PHYS;
	} else if (n > 3 && p[0] == 'N' && vms_is_digit(p[1])) {
		size_t k = vms_scan_dec(p + 1, e, &t->a, &ovf);
		if (p[1 + k] != '=' ||
		    vms_scan_dec(p + 2 + k, e, &t->b, &ovf) != n - 2 - k ||
		    n - 2 - k == 0)
			return 0;
		t->type = VMS_T_NUMA;
	} else {
		return 0;
	}
	t->overflow = ovf;
	return 1;
}

/* Classifies the blank-free word p[0..n). */
static void classify_word(const char *p, size_t n, struct vms_tok *t)
{
	t->s = p;
	t->slen = (uint32_t)n;
	if (word_is(p, n, "...") || word_is(p, n, "\xe2\x80\xa6")) {
		t->type = VMS_T_ELISION;
		return;
	}
	if (n > 2 && p[0] == '0' && p[1] == 'x') {
		bool ovf = false;
		if (vms_scan_hex(p + 2, p + n, &t->a, &ovf) == n - 2) {
			t->type = VMS_T_HEX;
			t->overflow = ovf;
			return;
		}
	}
	if (n > 3 && p[0] == '/' && p[1] == '0' && p[2] == 'x') {
		bool ovf = false;
		size_t m = n;
		while (m > 3 && p[m - 1] == '.')
			m--;
		if (m > 3 && vms_scan_hex(p + 3, p + m, &t->b, &ovf) == m - 3) {
			t->type = VMS_T_LEN_HALF;
			t->overflow = ovf;
			return;
		}
	}
	int flag = vms_flag_lookup(p, n);
	if (flag >= 0) {
		t->type = VMS_T_FLAG;
		t->a = (uint64_t)flag;
		return;
	}
	if (word_is(p, n, "vm_map_ram")) {
		t->type = VMS_T_MAP_RAM;
		return;
	}
	if (memchr(p, '=', n) && scan_keyed(p, n, t))
		return;
	if (memchr(p, '+', n) && scan_caller(p, n, t))
		return;
	t->type = VMS_T_WORD;
}

/* "[...]", "[..]", "[ ... ]", "[…]", "[snip]": an elision in brackets. */
static bool is_elision(const char *s, size_t n)
{
	while (n && is_blank(*s))
		s++, n--;
	while (n && is_blank(s[n - 1]))
		n--;
	if (word_is(s, n, "snip") || word_is(s, n, "\xe2\x80\xa6"))
		return true;
	size_t dots = 0;
	while (dots < n && s[dots] == '.')
		dots++;
	return n >= 2 && dots == n;
}

/* "[module]" possibly with blanks inside (OCR lost underscores). */
static size_t scan_module(const char *p, const char *e, struct vms_tok *t)
{
	const char *q = p + 1;
	while (q < e && *q != ']' && *q != '[' && (size_t)(q - p) < 128)
		q++;
	if (q >= e || *q != ']' || q == p + 1)
		return 0;
	t->type = is_elision(p + 1, (size_t)(q - p - 1)) ? VMS_T_ELISION : VMS_T_MODULE;
	t->s = t->type == VMS_T_MODULE ? p + 1 : p;
	t->slen = t->type == VMS_T_MODULE ? (uint32_t)(q - p - 1) : (uint32_t)(q + 1 - p);
	return (size_t)(q + 1 - p);
}

/* End of the blank-free run at text[pos] (kept while pos is inside it). */
static size_t run_end(const struct vms_line *ln, struct vms_tokenizer *tk)
{
	if (tk->run_end > tk->pos)
		return tk->run_end;
	size_t w = tk->pos;
	while (w < ln->len && !is_blank(ln->text[w]))
		w++;
	tk->work += w - tk->pos;
	tk->run_end = w;
	tk->glued = tk->glued_from = 0; /* a new run: nothing known yet */
	return w;
}

/* Start of the first range glued inside the run after pos (pos itself is
 * not a range start), or the run's end. Each byte of the run is searched at
 * most once: the answer holds until pos passes it. */
static size_t next_glued(const struct vms_line *ln, struct vms_tokenizer *tk, size_t end)
{
	if (tk->glued_from && tk->glued > tk->pos)
		return tk->glued; /* searched from before pos: nothing until there */
	const char *s = ln->text, *e = s + end;
	size_t q = tk->pos + 1;
	for (; q + 5 < end; q++) {
		if (s[q] != '0' || (s[q + 1] != 'x' && s[q + 1] != 'X'))
			continue;
		struct vms_tok t;
		if (scan_range(s + q, e, &t))
			break;
	}
	tk->work += (q < end ? q : end) - tk->pos;
	tk->glued = q + 5 < end ? q : end;
	tk->glued_from = tk->pos + 1;
	return tk->glued;
}

static size_t next_token(const struct vms_line *ln, struct vms_tokenizer *tk,
                         struct vms_tok *t)
{
	const char *p = ln->text + tk->pos, *e = ln->text + ln->len;
	size_t n;
	if ((n = scan_range(p, e, t)))
		return n;
	if (*p == '[' && (n = scan_module(p, e, t)))
		return n;
	if (vms_is_digit(*p)) {
		bool ovf = false;
		n = vms_scan_dec(p, e, &t->a, &ovf);
		if (p + n == e || is_blank(p[n])) {
			t->type = VMS_T_NUM;
			t->overflow = ovf;
			t->s = p;
			t->slen = (uint32_t)n;
			return n;
		}
	}
	size_t end = run_end(ln, tk);
	size_t w = next_glued(ln, tk, end);
	classify_word(p, w - tk->pos, t);
	return w - tk->pos;
}

/* "unpurged vm_area" (or "unpurged vm area") becomes one token. */
static uint32_t merge_unpurged(struct vms_tok *toks, uint32_t n)
{
	uint32_t o = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct vms_tok *t = &toks[i];
		if (t->type == VMS_T_WORD && word_is(t->s, t->slen, "unpurged")) {
			uint32_t k = 0;
			if (i + 1 < n && toks[i + 1].type == VMS_T_WORD &&
			    word_is(toks[i + 1].s, toks[i + 1].slen, "vm_area"))
				k = 1;
			else if (i + 2 < n && toks[i + 1].type == VMS_T_WORD &&
			         word_is(toks[i + 1].s, toks[i + 1].slen, "vm") &&
			         toks[i + 2].type == VMS_T_WORD &&
			         word_is(toks[i + 2].s, toks[i + 2].slen, "area"))
				k = 2;
			if (k) {
				t->type = VMS_T_UNPURGED;
				i += k;
			}
		}
		toks[o++] = *t;
	}
	return o;
}

uint32_t vms_vmi_tokenize(const struct vms_line *ln, struct vms_tokenizer *tk,
                          struct vms_tok *toks, uint32_t cap)
{
	uint32_t n = 0;
	bool blank_before = tk->pos == 0 || is_blank(ln->text[tk->pos - 1]);
	while (tk->pos < ln->len) {
		if (is_blank(ln->text[tk->pos])) {
			tk->pos++;
			blank_before = true;
			continue;
		}
		if (n == cap)
			break;
		struct vms_tok *t = &toks[n];
		memset(t, 0, sizeof(*t));
		/* the column as read: normalising may have moved the text */
		t->col = ln->map && ln->map->n ? vms_line_col(ln, ln->text + tk->pos)
		                               : (uint32_t)(ln->col + tk->pos);
		t->glued_left = !blank_before;
		size_t k = next_token(ln, tk, t);
		if (k == 0)
			k = 1; /* cannot happen; keeps the loop finite */
		t->raw = ln->text + tk->pos;
		t->raw_len = (uint32_t)k;
		tk->pos += k;
		n++;
		blank_before = false;
	}
	return merge_unpurged(toks, n);
}
