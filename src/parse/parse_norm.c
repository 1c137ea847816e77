/*
 * parse_norm.c — byte-level normalisation of one input line, in place, and
 * the column map that turns a byte of the normalised text back into a
 * column of the line as it was read (vms_line_col).
 *
 * What a paste carries that is not text, and what it becomes:
 *
 *   ANSI escape sequences    ESC [ ... m (CSI), ESC ] ... BEL/ST (OSC),
 *                            ESC ( B and other two/three byte escapes: removed
 *   HTML entities            &gt; &lt; &amp; &quot; &apos; &#39; &#x3e; &nbsp;:
 *                            decoded (numeric ones to UTF-8; NUL and other
 *                            control characters but TAB are left encoded)
 *   invisible characters     U+200B..U+200D zero-width, U+2060 word joiner,
 *                            U+FEFF byte-order mark, U+00AD soft hyphen: removed
 *   no-break space U+00A0    two blanks (same byte length: columns unchanged)
 *
 * Every change that moves bytes adds one point (normalised offset, raw
 * offset) to the map; a byte between two points is at the same distance
 * from the last point in both texts, so a decoded "&gt;" maps to its '&'.
 * Normalising only shrinks a line, so it is done in the input buffer.
 *
 * Cost: one strpbrk() over the line to find the first byte that can start a
 * change (most lines have none and cost only that), then O(line) for the
 * rest; O(log points) per column lookup.
 */
#include <string.h>

#include "numbers.h"
#include "parse_lines.h"

/* Bytes that can start a change: ESC, '&', and the lead bytes of U+00A0,
 * U+00AD (C2), U+200B..U+2060 (E2) and U+FEFF (EF). */
static const char triggers[] = "\x1b&\xc2\xe2\xef";

static void map_add(struct vms_colmap *m, size_t at, size_t raw)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->v = vms_xreallocarray(m->v, m->cap, sizeof(*m->v));
	}
	m->v[m->n++] = (struct vms_colpt){(uint32_t)at, (uint32_t)raw};
}

uint32_t vms_line_col(const struct vms_line *ln, const char *at)
{
	size_t off = ln->raw_off + (size_t)(at - ln->raw);
	const struct vms_colmap *m = ln->map;
	if (!m || !m->n || off < m->v[0].at)
		return (uint32_t)off + 1;
	size_t lo = 0, hi = m->n; /* the last point with at <= off */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (m->v[mid].at <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (uint32_t)(m->v[lo].raw + (off - m->v[lo].at)) + 1;
}

/* Length of the escape sequence at s (s[0] == ESC), never past e. */
static size_t ansi_len(const char *s, const char *e)
{
	const char *p = s + 1;
	if (p < e && *p == '[') { /* CSI: parameters, intermediates, final */
		for (p++; p < e && (unsigned char)*p >= 0x20 && (unsigned char)*p <= 0x3f;
		     p++)
			;
		return (size_t)(p - s) +
		       (p < e && (unsigned char)*p >= 0x40 && (unsigned char)*p <= 0x7e);
	}
	if (p < e && *p == ']') { /* OSC: up to BEL or ESC \ */
		for (p++; p < e && *p != '\a' && *p != '\x1b'; p++)
			;
		if (p < e && *p == '\x1b')
			p += p + 1 < e && p[1] == '\\';
		return (size_t)(p - s) + (p < e);
	}
	for (; p < e && (unsigned char)*p >= 0x20 && (unsigned char)*p <= 0x2f; p++)
		;
	return (size_t)(p - s) +
	       (p < e && (unsigned char)*p >= 0x30 && (unsigned char)*p <= 0x7e);
}

static size_t utf8_put(char *out, uint64_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static const struct {
	const char *name; /* without '&' */
	const char *text;
} entities[] = {
    {"gt;", ">"},    {"lt;", "<"},   {"amp;", "&"},
    {"quot;", "\""}, {"apos;", "'"}, {"nbsp;", " "},
};

/* "&#62;" / "&#x3e;": the code point, or 0 when not a numeric entity we
 * decode (NUL, controls other than TAB, surrogates, out of range). */
static uint64_t numeric_entity(const char *s, const char *e, size_t *len)
{
	bool hex = s + 2 < e && (s[2] == 'x' || s[2] == 'X');
	const char *d = s + 2 + hex;
	uint64_t cp = 0;
	bool ovf = false;
	size_t n = hex ? vms_scan_hex(d, e, &cp, &ovf) : vms_scan_dec(d, e, &cp, &ovf);
	if (!n || ovf || d + n >= e || d[n] != ';')
		return 0;
	*len = (size_t)(d + n + 1 - s);
	if ((cp < 0x20 && cp != '\t') || cp == 0x7f || (cp >= 0xd800 && cp < 0xe000) ||
	    cp > 0x10ffff)
		return 0;
	return cp;
}

/* Decodes the entity at s into out; returns the bytes written (0 when s does
 * not start an entity we decode) and its length in *len. */
static size_t entity(const char *s, const char *e, char *out, size_t *len)
{
	if (s + 1 < e && s[1] == '#') {
		uint64_t cp = numeric_entity(s, e, len);
		if (cp == 0xa0)
			cp = ' ';
		return cp ? utf8_put(out, cp) : 0;
	}
	for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++) {
		size_t n = strlen(entities[i].name);
		if ((size_t)(e - s - 1) >= n && memcmp(s + 1, entities[i].name, n) == 0) {
			*len = n + 1;
			out[0] = entities[i].text[0];
			return 1;
		}
	}
	return 0;
}

/* Bytes of an invisible character at s (ZWSP, ZWNJ, ZWJ, WJ, BOM, SHY). */
static size_t invisible_len(const unsigned char *s, const unsigned char *e)
{
	if (e - s >= 2 && s[0] == 0xc2 && s[1] == 0xad)
		return 2;
	if (e - s < 3)
		return 0;
	if (s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x8b && s[2] <= 0x8d)
		return 3;
	if ((s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0xa0) ||
	    (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf))
		return 3;
	return 0;
}

/* One change at s: bytes consumed (0: none) and bytes written to out. */
static size_t change_at(const char *s, const char *e, char *out, size_t *wrote,
                        unsigned *what)
{
	size_t len = 0;
	*wrote = 0;
	if (*s == '\x1b') {
		*what |= VMS_NORM_ANSI;
		return ansi_len(s, e);
	}
	if (*s == '&') {
		*wrote = entity(s, e, out, &len);
		*what |= *wrote ? VMS_NORM_ENTITY : 0;
		return *wrote ? len : 0;
	}
	len = invisible_len((const unsigned char *)s, (const unsigned char *)e);
	*what |= len ? VMS_NORM_INVISIBLE : 0;
	return len;
}

size_t vms_norm_line(char *s, size_t len, struct vms_colmap *m, unsigned *what,
                     unsigned *entities_n)
{
	char *e = s + len, *r = strpbrk(s, triggers), *w;
	m->n = 0;
	*what = 0;
	*entities_n = 0;
	if (!r || r >= e)
		return len;
	for (w = r; r < e;) {
		char out[4];
		size_t wrote, used = 0;
		if (r[0] == '\xc2' && r + 1 < e && r[1] == '\xa0') {
			w[0] = w[1] = ' '; /* NBSP: two blanks, same width */
			w += 2;
			r += 2;
			continue;
		}
		if (strchr(triggers, *r) && *r)
			used = change_at(r, e, out, &wrote, what);
		if (!used) {
			*w++ = *r++;
			continue;
		}
		*entities_n += wrote != 0;
		memcpy(w, out, wrote);
		w += wrote;
		r += used;
		map_add(m, (size_t)(w - s), (size_t)(r - s));
	}
	*w = '\0';
	return (size_t)(w - s);
}
