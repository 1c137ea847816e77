/*
 * parse_vmi_fast.c — the fast path for clean vmallocinfo lines.
 *
 * Almost every line of a real dump is exactly what the kernel printed:
 *
 *   0x<hex>-0x<hex> <size>[ caller+0xOFF/0xLEN[ [module]]][ pages=N][ phys=X]
 *   [ ioremap][ sparse][ vmalloc][ vmap][ user][ dma-coherent][ vpages][ N<n>=<p>]...
 *   0x<hex>-0x<hex> <size> vm_map_ram | unpurged vm_area
 *
 * This strict scanner reads such a line in one pass with no tokens and no
 * segment state. Anything else (wrapped, glued, reordered, a lost underscore,
 * a stray token, an overflowing number) returns false and the line goes
 * through the tolerant tokenizer and assembler instead, which produce the
 * same record for clean input. Cost: O(line length), no allocation except
 * the area itself.
 */
#include "parse_vmi_int.h"

#include <string.h>

struct cursor {
	const char *p, *e;
};

/* Digit value + 1 of '0'-'9' and 'a'-'f'; 0 for every other byte. */
static const uint8_t hexv1[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
    ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
    ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

/* Lower-case hex digits; fails on none or more than 16 digits. The line is
 * NUL-terminated, so the scan stops at the end without a bound check. */
#define BYTES(b) (0x0101010101010101ull * (b))

/*
 * Eight lower-case hex digits at once (SWAR): every byte must be '0'-'9' or
 * 'a'-'f'. The high bit of each byte of ge(x, c) says "byte >= c" (bytes
 * are ASCII, checked first, so the subtraction never borrows across bytes).
 */
static inline uint64_t ge(uint64_t x, unsigned c)
{
	return ((x | BYTES(0x80)) - BYTES(c)) & BYTES(0x80);
}

static inline bool hex8(const char *p, uint64_t *v)
{
	uint64_t x;
	memcpy(&x, p, 8);
	if (x & BYTES(0x80))
		return false;
	uint64_t digit = ge(x, '0') & ~ge(x, '9' + 1);
	uint64_t alpha = ge(x, 'a') & ~ge(x, 'f' + 1);
	if ((digit | alpha) != BYTES(0x80))
		return false;
	/* nibble values; the first character is the lowest byte (little endian) */
	uint64_t n = (x & BYTES(0x0f)) + (alpha >> 7) * 9;
	n = ((n << 4) | (n >> 8)) & 0x00ff00ff00ff00ffull;
	n = ((n << 8) | (n >> 16)) & 0x0000ffff0000ffffull;
	n = ((n << 16) | (n >> 32)) & 0x00000000ffffffffull;
	*v = n;
	return true;
}

/* Lower-case hex digits; fails on none or more than 16 digits. The line is
 * NUL-terminated, so the scan stops at the end without a bound check; the
 * common 8- and 16-digit fields take the SWAR path. */
static bool hex(struct cursor *c, uint64_t *v, uint8_t *w)
{
	uint64_t hi, lo;
	size_t room = (size_t)(c->e - c->p);
	if (room >= 16 && !hexv1[(unsigned char)c->p[16]] && hex8(c->p, &hi) &&
	    hex8(c->p + 8, &lo)) {
		*v = hi << 32 | lo;
		c->p += 16;
		if (w)
			*w = 16;
		return true;
	}
	if (room >= 8 && !hexv1[(unsigned char)c->p[8]] && hex8(c->p, &lo)) {
		*v = lo;
		c->p += 8;
		if (w)
			*w = 8;
		return true;
	}
	uint64_t x = 0;
	const unsigned char *s = (const unsigned char *)c->p, *q = s;
	uint8_t d;
	while ((d = hexv1[*q]) != 0) {
		x = (x << 4) | (uint64_t)(d - 1);
		q++;
	}
	c->p = (const char *)q;
	size_t n = (size_t)(q - s);
	*v = x;
	if (w)
		*w = (uint8_t)n;
	return n > 0 && n <= 16;
}

/* Decimal digits; fails on none or on a value over 64 bits. Up to 19 digits
 * cannot overflow, so only the 20th digit is checked. */
static bool dec(struct cursor *c, uint64_t *v)
{
	uint64_t x = 0;
	const char *s = c->p;
	while (*c->p >= '0' && *c->p <= '9' && c->p - s < 19)
		x = x * 10 + (uint64_t)(*c->p++ - '0');
	if (*c->p >= '0' && *c->p <= '9') {
		uint64_t d = (uint64_t)(*c->p++ - '0');
		if (x > (UINT64_MAX - d) / 10 || (*c->p >= '0' && *c->p <= '9'))
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return c->p > s;
}

static inline bool lit(struct cursor *c, const char *s, size_t n)
{
	if ((size_t)(c->e - c->p) < n)
		return false;
	for (size_t i = 0; i < n; i++) /* unrolled: s and n are constants */
		if (c->p[i] != s[i])
			return false;
	c->p += n;
	return true;
}

static bool at_end(const struct cursor *c)
{
	return c->p == c->e;
}

/* One blank (and only one: the kernel prints single spaces after the size). */
static bool sep(struct cursor *c)
{
	return lit(c, " ", 1) && !at_end(c) && *c->p != ' ';
}

/* Bytes of a kernel symbol name: [A-Za-z0-9_.$]. */
static const uint8_t symbyte[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
    ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1,
    ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1,
    ['z'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1,
    ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['_'] = 1,
    ['.'] = 1, ['$'] = 1,
};

static bool caller(struct vms_vmi *p, struct cursor *c, struct vms_area *a)
{
	const char *s = c->p;
	if (lit(c, "0x", 2)) { /* raw address */
		uint64_t v;
		if (!hex(c, &v, NULL) || (!at_end(c) && *c->p != ' '))
			return false;
		a->caller = vms_vmi_name(p, s, (size_t)(c->p - s));
		return true;
	}
	while (symbyte[(unsigned char)*c->p]) /* stops at the line's NUL */
		c->p++;
	size_t n = (size_t)(c->p - s);
	if (!n || !lit(c, "+0x", 3) || !hex(c, &a->offset, NULL) || !lit(c, "/0x", 3) ||
	    !hex(c, &a->length, NULL))
		return false;
	a->caller = vms_vmi_name_hashed(p, s, n, vms_intern_hash(s, n));
	a->has_offset = true;
	if (lit(c, " [", 2)) {
		const char *m = c->p;
		while (c->p < c->e && *c->p != ']' && *c->p != ' ' && *c->p != '[')
			c->p++;
		if (c->p == m || !lit(c, "]", 1))
			return false;
		a->module = vms_vmi_name(p, m, (size_t)(c->p - m - 1));
	}
	return true;
}

static const struct {
	const char *w;
	uint8_t n;
} flagw[VMS_NR_FLAGS] = {
    {"ioremap", 7}, {"sparse", 6},        {"vmalloc", 7}, {"vmap", 4},
    {"user", 4},    {"dma-coherent", 12}, {"vpages", 6},
};

/* The flag word at the cursor (index into flagw), or -1. */
static int flag_at(const struct cursor *c)
{
	int i;
	switch (*c->p) {
	case 'i':
		i = 0;
		break;
	case 's':
		i = 1;
		break;
	case 'v': /* vpages vmalloc vmap: all at least 4 bytes */
		if (c->e - c->p < 4)
			return -1;
		i = c->p[1] == 'p' ? 6 : c->p[3] == 'l' ? 2 : 3;
		break;
	case 'u':
		i = 4;
		break;
	case 'd':
		i = 5;
		break;
	default:
		return -1;
	}
	size_t n = flagw[i].n;
	if ((size_t)(c->e - c->p) < n || (c->p + n != c->e && c->p[n] != ' '))
		return -1;
	for (size_t k = 1; k < n; k++)
		if (c->p[k] != flagw[i].w[k])
			return -1;
	return i;
}

/* Words after the caller, in kernel order. Returns false on anything else. */
static bool details(struct vms_vmi *p, struct cursor *c, struct vms_area *a,
                    struct vms_numa *numa, uint32_t *nn, uint32_t cap)
{
	unsigned next_flag = 0;
	if (lit(c, " pages=", 7)) {
		if (!dec(c, &a->pages))
			return false;
		a->has_pages = true;
	}
	if (lit(c, " phys=", 6)) {
		uint8_t w;
		a->phys_0x = lit(c, "0x", 2);
		if (!hex(c, &a->phys, &w))
			return false;
		a->phys_digits = a->phys_0x ? w : 0;
		a->has_phys = true;
	}
	while (!at_end(c)) {
		if (!lit(c, " ", 1))
			return false;
		int i = flag_at(c);
		bool found = i >= (int)next_flag;
		if (found) {
			a->flags |= (uint16_t)(1u << i);
			c->p += flagw[i].n;
			next_flag = (unsigned)i + 1;
		}
		if (found)
			continue;
		uint64_t node, pages;
		if (*nn == cap || !lit(c, "N", 1) || !dec(c, &node) || !lit(c, "=", 1) ||
		    !dec(c, &pages) || node > UINT32_MAX || pages > UINT32_MAX)
			return false;
		numa[*nn].node = (uint32_t)node;
		numa[*nn].pages = (uint32_t)pages;
		(*nn)++;
		next_flag = VMS_NR_FLAGS;
	}
	(void)p;
	return true;
}

/* A caller, or (pcpu first chunk and friends) none: details follow the size. */
static void no_caller_or(struct vms_vmi *p, struct cursor *c, struct vms_area *a)
{
	struct cursor save = *c;
	if (caller(p, c, a))
		return;
	*c = save;
	c->p--; /* details() expects the blank before each word */
	a->caller = a->module = NULL;
	a->has_offset = false;
	a->offset = a->length = 0;
}

static bool range(struct cursor *c, struct vms_area *a, uint8_t *ws, uint8_t *we)
{
	return lit(c, "0x", 2) && hex(c, &a->start, ws) && (*ws == 8 || *ws == 16) &&
	       lit(c, "-0x", 3) && hex(c, &a->end, we) && *we == *ws;
}

bool vms_vmi_fast(struct vms_vmi *p, const struct vms_line *ln)
{
	struct cursor c = {ln->text, ln->text + ln->len};
	struct vms_area a = {0};
	struct vms_numa numa[64];
	uint32_t nn = 0;
	uint8_t ws, we;
	if (!range(&c, &a, &ws, &we) || !lit(&c, " ", 1))
		return false;
	while (c.p < c.e && *c.p == ' ')
		c.p++;
	if (!dec(&c, &a.size))
		return false;
	if (!at_end(&c)) {
		if (!sep(&c))
			return false;
		if (lit(&c, "vm_map_ram", 10))
			a.kind = VMS_KIND_VM_MAP_RAM;
		else if (lit(&c, "unpurged vm_area", 16))
			a.kind = VMS_KIND_UNPURGED;
		else
			no_caller_or(p, &c, &a);
		if (a.kind && !at_end(&c))
			return false;
		if (!a.kind && !details(p, &c, &a, numa, &nn, 64))
			return false;
	}
	a.line = a.last_line = ln->no;
	a.col = ln->col;
	vms_vmi_push(p, &a, numa, nn, ws, we);
	return true;
}
