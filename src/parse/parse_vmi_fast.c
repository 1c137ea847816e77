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

#include "numbers.h"

struct cursor {
	const char *p, *e;
};

/* A name seen on the line, interned only once the whole line is accepted. */
struct name {
	const char *s;
	size_t n;
};

/* Hex digits (at most 16, no overflow). w gets the digit count. */
static bool hex(struct cursor *c, uint64_t *v, uint8_t *w)
{
	bool ovf = false;
	size_t n = vms_scan_hex(c->p, c->e, v, &ovf);
	c->p += n;
	if (w)
		*w = (uint8_t)(n > 255 ? 255 : n);
	return n > 0 && n <= 16 && !ovf;
}

/* Hex digits that fit 32 bits. */
static bool hex32(struct cursor *c, uint32_t *v)
{
	uint64_t x;
	if (!hex(c, &x, NULL) || x > UINT32_MAX)
		return false;
	*v = (uint32_t)x;
	return true;
}

/* Decimal digits; fails on none or on a value over 64 bits. */
static bool dec(struct cursor *c, uint64_t *v)
{
	bool ovf = false;
	size_t n = vms_scan_dec(c->p, c->e, v, &ovf);
	c->p += n;
	return n > 0 && !ovf;
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

/* "sym+0xOFF/0xLEN[ [module]]" or a raw "0x..." caller. */
static bool caller(struct cursor *c, struct vms_area *a, struct name *sym,
                   struct name *mod)
{
	const char *s = c->p;
	if (lit(c, "0x", 2)) { /* raw address */
		uint64_t v;
		if (!hex(c, &v, NULL) || (!at_end(c) && *c->p != ' '))
			return false;
		*sym = (struct name){s, (size_t)(c->p - s)};
		return true;
	}
	while (c->p < c->e && symbyte[(unsigned char)*c->p])
		c->p++;
	size_t n = (size_t)(c->p - s);
	if (!n || !lit(c, "+0x", 3) || !hex32(c, &a->offset) || !lit(c, "/0x", 3) ||
	    !hex32(c, &a->length))
		return false;
	*sym = (struct name){s, n};
	a->has_offset = true;
	if (lit(c, " [", 2)) {
		const char *m = c->p;
		while (c->p < c->e && *c->p != ']' && *c->p != ' ' && *c->p != '[')
			c->p++;
		if (c->p == m || !lit(c, "]", 1))
			return false;
		*mod = (struct name){m, (size_t)(c->p - m - 1)};
	}
	return true;
}

/* Flag words by first letter (vpages vmalloc vmap share 'v'). */
static int flag_at(const struct cursor *c)
{
	static const struct {
		const char *w;
		uint8_t n;
	} flagw[VMS_NR_FLAGS] = {
	    {"ioremap", 7}, {"sparse", 6},        {"vmalloc", 7}, {"vmap", 4},
	    {"user", 4},    {"dma-coherent", 12}, {"vpages", 6},
	};
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
	return memcmp(c->p, flagw[i].w, n) == 0 ? i : -1;
}

/* Words after the caller, in kernel order. Returns false on anything else. */
static bool details(struct cursor *c, struct vms_area *a, struct vms_numa *numa,
                    uint32_t *nn, uint32_t cap)
{
	unsigned next_flag = 0;
	uint64_t v;
	if (lit(c, " pages=", 7)) {
		if (!dec(c, &v) || v > UINT32_MAX)
			return false;
		a->pages = (uint32_t)v;
		a->has_pages = true;
	}
	if (lit(c, " phys=", 6)) {
		uint8_t w;
		bool ox = lit(c, "0x", 2);
		if (!hex(c, &a->phys, &w))
			return false;
		a->phys_form = !ox      ? VMS_PHYS_PLAIN
		               : w <= 8 ? VMS_PHYS_PA32
		                        : VMS_PHYS_PA64;
		a->has_phys = true;
	}
	while (!at_end(c)) {
		if (!lit(c, " ", 1))
			return false;
		int i = flag_at(c);
		if (i >= (int)next_flag) {
			a->flags |= (uint16_t)(1u << i);
			c->p += strlen(vms_flag_name((unsigned)i));
			next_flag = (unsigned)i + 1;
			continue;
		}
		uint64_t node, pages;
		if (*nn == cap || !lit(c, "N", 1) || !dec(c, &node) || !lit(c, "=", 1) ||
		    !dec(c, &pages) || node > UINT32_MAX || pages > UINT32_MAX)
			return false;
		numa[*nn].node = (uint32_t)node;
		numa[*nn].pages = (uint32_t)pages;
		(*nn)++;
		next_flag = VMS_NR_FLAGS;
	}
	return true;
}

/* A caller, or (pcpu first chunk and friends) none: details follow the size. */
static void no_caller_or(struct cursor *c, struct vms_area *a, struct name *sym,
                         struct name *mod)
{
	struct cursor save = *c;
	if (caller(c, a, sym, mod))
		return;
	*c = save;
	c->p--; /* details() expects the blank before each word */
	*sym = *mod = (struct name){NULL, 0};
	a->has_offset = false;
	a->offset = a->length = 0;
}

static bool range(struct cursor *c, struct vms_area *a, struct vms_area_src *s)
{
	return lit(c, "0x", 2) && hex(c, &a->start, &s->w_start) &&
	       (s->w_start == 8 || s->w_start == 16) && lit(c, "-0x", 3) &&
	       hex(c, &a->end, &s->w_end) && s->w_end == s->w_start;
}

static uint32_t intern(struct vms_dump *d, const struct name *x)
{
	return x->s ? vms_dump_intern(d, x->s, x->n) : 0;
}

bool vms_vmi_fast(struct vms_vmi *p, const struct vms_line *ln)
{
	struct cursor c = {ln->text, ln->text + ln->len};
	struct vms_area a = {0};
	struct vms_area_src s = {.line = ln->no, .last_line = ln->no, .col = ln->col};
	struct vms_numa numa[64];
	struct name sym = {NULL, 0}, mod = {NULL, 0};
	uint32_t nn = 0;
	if (!range(&c, &a, &s) || !lit(&c, " ", 1))
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
			no_caller_or(&c, &a, &sym, &mod);
		if (a.kind && !at_end(&c))
			return false;
		if (!a.kind && !details(&c, &a, numa, &nn, 64))
			return false;
	}
	a.caller = intern(p->d, &sym);
	a.module = intern(p->d, &mod);
	vms_vmi_push(p, &a, &s, numa, nn);
	return true;
}
