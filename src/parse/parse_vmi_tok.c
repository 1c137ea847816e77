/*
 * parse_vmi_tok.c — cuts one stripped line of a vmallocinfo paste into
 * tokens (see parse_vmi.h for the token kinds).
 *
 * The tokenizer is a hand-written scanner because it is the hot path of a
 * 1,000,000-line dump (one pass, no allocation, O(line length)). It is
 * tolerant by design: an address range is recognised even when glued to the
 * word before it ("vmalloc0xd085e000-0x..."), a caller keeps its "+0x/0x"
 * even with "..." glued after it, "[i2c pxa]" is one module token, and
 * numbers that do not fit 64 bits are flagged rather than wrapped.
 */
#include "parse_vmi.h"

#include <string.h>

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_sym(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
	       c == '_' || c == '.' || c == '$';
}

/* Reads hex digits at p (up to e); returns digit count, sets *v and *ovf. */
static size_t scan_hex(const char *p, const char *e, uint64_t *v, bool *ovf)
{
	size_t n = 0;
	uint64_t x = 0;
	int d;
	while (p + n < e && (d = hexval(p[n])) >= 0) {
		if (x >> 60)
			*ovf = true;
		x = (x << 4) | (uint64_t)d;
		n++;
	}
	*v = x;
	return n;
}

static size_t scan_dec(const char *p, const char *e, uint64_t *v, bool *ovf)
{
	size_t n = 0;
	uint64_t x = 0;
	while (p + n < e && is_digit(p[n])) {
		uint64_t d = (uint64_t)(p[n] - '0');
		if (x > (UINT64_MAX - d) / 10)
			*ovf = true;
		x = x * 10 + d;
		n++;
	}
	*v = x;
	return n;
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
	size_t n = scan_hex(p, e, v, ovf);
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

/*
 * Tries "0xA-0xB" at p. On success fills t and returns its length. When the
 * end has more digits than the start and the extra ones are decimal (a size
 * glued to the end, "0xffffc9000500100016781312"), the end keeps the start's
 * width and the rest becomes t->glued_size.
 */
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
	if ((t->w1 == 8 || t->w1 == 16) && m > t->w1 && !pv) {
		size_t extra = m - t->w1;
		bool dec = true;
		for (size_t i = 0; i < extra; i++)
			dec &= is_digit(r[t->w1 + i]);
		bool o = false, o2 = false;
		uint64_t sz = 0, end;
		if (dec && extra <= 19)
			scan_dec(r + t->w1, r + m, &sz, &o);
		scan_hex(r, r + t->w1, &end, &o2);
		if (dec && !o && sz) {
			/* keep both readings; the assembler picks one */
			t->glued_size = sz;
			t->glued_end = end;
			if (ovf2) {
				t->b = end;
				ovf2 = false;
			}
		}
	}
	t->type = VMS_T_RANGE;
	t->overflow = ovf || ovf2;
	t->ptrval = pv;
	return (size_t)(r + m - p);
}

/* Finds a glued range inside a word: "vmalloc0xd085e000-0x...". */
static const char *find_glued_range(const char *p, const char *e)
{
	for (const char *q = p + 1; q + 5 < e; q++) {
		if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
			struct vms_tok t;
			if (scan_range(q, e, &t))
				return q;
		}
	}
	return NULL;
}

static const char *const flag_words[VMS_NR_FLAGS] = {
    "ioremap", "sparse", "vmalloc", "vmap", "user", "dma-coherent", "vpages",
};

static int word_is(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(p, w, n) == 0;
}

/* "sym+0xOFF/0xLEN" (or without "/0xLEN"); "..." glued at the end is cut. */
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
	size_t k = scan_hex(q + 2, e, &t->a, &ovf);
	if (!k)
		return 0;
	q += 2 + k;
	t->s = p;
	t->slen = (uint32_t)(plus - p);
	t->overflow = ovf;
	if (q == e) {
		t->type = VMS_T_CALLER_HALF;
		return 1;
	}
	if (e - q < 4 || q[0] != '/' || q[1] != '0' || q[2] != 'x')
		return 0;
	k = scan_hex(q + 3, e, &t->b, &t->overflow);
	if (!k || q + 3 + k != e)
		return 0;
	t->type = VMS_T_CALLER;
	return 1;
}

/* "key=value" tokens: pages=, phys=, N<n>=. */
static int scan_keyed(const char *p, size_t n, struct vms_tok *t)
{
	const char *e = p + n;
	bool ovf = false;
	if (n > 6 && memcmp(p, "pages=", 6) == 0) {
		if (scan_dec(p + 6, e, &t->a, &ovf) != n - 6)
			return 0;
		t->type = VMS_T_PAGES;
	} else if (n > 5 && memcmp(p, "phys=", 5) == 0) {
		const char *q = p + 5;
		t->phys_0x = e - q > 2 && q[0] == '0' && q[1] == 'x';
		if (t->phys_0x)
			q += 2;
		size_t k = scan_hex(q, e, &t->a, &ovf);
		if (k != (size_t)(e - q))
			return 0;
		t->w1 = k > 255 ? 255 : (uint8_t)k;
		t->type = VMS_T_PHYS;
	} else if (n > 3 && p[0] == 'N' && is_digit(p[1])) {
		size_t k = scan_dec(p + 1, e, &t->a, &ovf);
		if (p[1 + k] != '=' || scan_dec(p + 2 + k, e, &t->b, &ovf) != n - 2 - k ||
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
		if (scan_hex(p + 2, p + n, &t->a, &ovf) == n - 2) {
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
		if (scan_hex(p + 3, p + m, &t->b, &ovf) == m - 3 && m > 3) {
			t->type = VMS_T_LEN_HALF;
			t->overflow = ovf;
			return;
		}
	}
	for (unsigned i = 0; i < VMS_NR_FLAGS; i++) {
		if (word_is(p, n, flag_words[i])) {
			t->type = VMS_T_FLAG;
			t->a = i;
			return;
		}
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

/* "[module]" possibly with blanks inside (OCR lost underscores). */
static size_t scan_module(const char *p, const char *e, struct vms_tok *t)
{
	const char *q = p + 1;
	while (q < e && *q != ']' && *q != '[' && (size_t)(q - p) < 128)
		q++;
	if (q >= e || *q != ']' || q == p + 1)
		return 0;
	t->type = VMS_T_MODULE;
	t->s = p + 1;
	t->slen = (uint32_t)(q - p - 1);
	return (size_t)(q + 1 - p);
}

static size_t next_token(const char *p, const char *e, struct vms_tok *t)
{
	size_t n;
	if ((n = scan_range(p, e, t)))
		return n;
	if (*p == '[' && (n = scan_module(p, e, t)))
		return n;
	if (is_digit(*p)) {
		bool ovf = false;
		n = scan_dec(p, e, &t->a, &ovf);
		if (p + n == e || is_blank(p[n])) {
			t->type = VMS_T_NUM;
			t->overflow = ovf;
			t->s = p;
			t->slen = (uint32_t)n;
			return n;
		}
	}
	const char *w = p;
	while (w < e && !is_blank(*w))
		w++;
	const char *g = find_glued_range(p, w);
	if (g)
		w = g;
	classify_word(p, (size_t)(w - p), t);
	return (size_t)(w - p);
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

uint32_t vms_vmi_tokenize(const struct vms_line *ln, size_t *pos, struct vms_tok *toks,
                          uint32_t cap)
{
	const char *p = ln->text + *pos, *e = ln->text + ln->len;
	uint32_t n = 0;
	bool blank_before = true;
	while (p < e) {
		if (is_blank(*p)) {
			p++;
			blank_before = true;
			continue;
		}
		if (n == cap)
			break;
		struct vms_tok *t = &toks[n];
		memset(t, 0, sizeof(*t));
		t->col = (uint32_t)(ln->col + (uint32_t)(p - ln->text));
		t->glued_left = !blank_before;
		size_t k = next_token(p, e, t);
		if (k == 0)
			k = 1; /* cannot happen; keeps the loop finite */
		t->raw = p;
		t->raw_len = (uint32_t)k;
		p += k;
		n++;
		blank_before = false;
	}
	*pos = (size_t)(p - ln->text);
	return merge_unpurged(toks, n);
}
