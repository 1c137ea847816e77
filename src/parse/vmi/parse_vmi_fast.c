/*
 * parse_vmi_fast.c — the fast path for clean vmallocinfo lines.
 *
 * Almost every line of a real dump is exactly what the kernel printed
 * (docs/kernel.md §1.2):
 *
 *   0x<hex>-0x<hex> <size>[ caller+0xOFF/0xLEN[ [module]]][ pages=N][ phys=X]
 *   [ ioremap][ sparse][ vmalloc][ vmap][ user][ dma-coherent][ vpages][ N<n>=<p>]...
 *   0x<hex>-0x<hex> <size> vm_map_ram | unpurged vm_area
 *
 * This strict scanner reads such a line in one pass with no tokens and no
 * segment state. Anything else (wrapped, glued, reordered, a lost underscore,
 * a stray token, an overflowing number, a byte a paste added) returns false
 * and the line goes through the tolerant tokenizer and assembler instead,
 * which produce the same record for clean input (a differential test keeps
 * the two paths in step). Cost: O(line length), no allocation beyond the
 * area itself; names are interned only once the whole line is accepted.
 *
 * Debuggers print the same fields their own way (vms_vmi_debugger): the
 * kernel's gdb script lx-vmallocinfo (scripts/gdb/linux/vmalloc.py) and
 * drgn's contrib/vmallocinfo.py write "0x%x-0x%x %10d" and then the caller
 * as gdb shows a pointer ("<alloc_large_system_hash+378>", decimal offset)
 * or as a bare symbol name ("alloc_large_system_hash"), "phys=0x%x" unpadded.
 * The kernel never prints either caller; the ten-wide size field is asked
 * for too, so a kernel line that lost its offsets is not read as one. Lines
 * of theirs without a caller are the kernel's form and take the fast path.
 *
 * The line is NUL-terminated at text[len] (parse_lines.h), and NUL is none
 * of the bytes any field accepts, so every scan stops at the end of the line
 * without a bound check of its own.
 */
#include "parse_vmi_int.h"

#include <string.h>

#include "numbers.h"

/* A name seen on the line, interned only once the whole line is accepted. */
struct name {
	const char *s;
	size_t n;
};

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

/* The literal s at *p: advances past it. Compares byte by byte and stops at
 * the first difference, so it never reads past the line's NUL. */
static inline bool lit(const char **p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((*p)[i] != s[i])
			return false;
	*p += n;
	return true;
}
#define LIT(p, s) lit(&(p), (s), sizeof(s) - 1)

/* Hex digits at *p, at most `max` of them (16 or 8). */
static inline bool hex(const char **p, const char *e, uint64_t *v, size_t max, uint8_t *w)
{
	bool ovf = false;
	size_t n = vms_scan_hex(*p, e, v, &ovf);
	*p += n;
	if (w)
		*w = (uint8_t)(n > 255 ? 255 : n);
	return n > 0 && n <= max && !ovf;
}

/* Decimal digits at *p; false on none or on 64-bit overflow. */
static inline bool dec(const char **p, const char *e, uint64_t *v)
{
	bool ovf = false;
	size_t n = vms_scan_dec(*p, e, v, &ovf);
	*p += n;
	return n > 0 && !ovf;
}

/* Exactly 8 or 16 hex digits at *p (the widths the kernel prints an
 * address at), in one or two SWAR steps; any other run is not the fast
 * path's. Reads at most up to the NUL at e. */
static inline bool addr(const char **p, const char *e, uint64_t *v, uint8_t *w)
{
	const char *q = *p;
	uint64_t hi, lo;
	if (e - q < 8 || !vms_hex8(q, &hi))
		return false;
	if (e - q >= 16 && vms_hex8(q + 8, &lo)) {
		if (vms_hexv1[(unsigned char)q[16]])
			return false;
		*v = hi << 32 | lo;
		*w = 16;
	} else {
		if (vms_hexv1[(unsigned char)q[8]])
			return false;
		*v = hi;
		*w = 8;
	}
	*p = q + *w;
	return true;
}

/* A caller's offset or length: 1 to 8 hex digits, one lookup each. */
static inline bool short_hex(const char **p, uint64_t *v)
{
	const unsigned char *q = (const unsigned char *)*p;
	uint64_t x = 0;
	unsigned d, n = 0;
	while (n < 9 && (d = vms_hexv1[q[n]]) != 0)
		x = x << 4 | (d - 1), n++;
	*v = x;
	*p += n;
	return n && n <= 8;
}

/* "0xSTART-0xEND" at 8 or 16 digits each, the same on both sides. */
static bool range(const char **p, const char *e, struct vms_area *a,
                  struct vms_area_src *s)
{
	return LIT(*p, "0x") && addr(p, e, &a->start, &s->w_start) && LIT(*p, "-0x") &&
	       addr(p, e, &a->end, &s->w_end) && s->w_end == s->w_start;
}

/* "sym+0xOFF/0xLEN[ [module]]" or a raw "0x..." caller. */
static bool caller(const char **pp, const char *e, struct vms_area *a, struct name *sym,
                   struct name *mod)
{
	const char *p = *pp, *s = p;
	uint64_t off, len;
	if (LIT(p, "0x")) { /* raw address */
		if (!hex(&p, e, &off, 16, NULL) || (*p && *p != ' '))
			return false;
		*sym = (struct name){s, (size_t)(p - s)};
		*pp = p;
		return true;
	}
	while (symbyte[(unsigned char)*p])
		p++;
	size_t n = (size_t)(p - s);
	if (!n || !LIT(p, "+0x") || !short_hex(&p, &off) || !LIT(p, "/0x") ||
	    !short_hex(&p, &len))
		return false;
	struct name m = {NULL, 0};
	if (LIT(p, " [")) { /* module names are [A-Za-z0-9_] (the kernel's) */
		m.s = p;
		while (symbyte[(unsigned char)*p] && *p != '.' && *p != '$')
			p++;
		if (p == m.s || *p != ']' || (p - m.s == 4 && !memcmp(m.s, "snip", 4)))
			return false; /* "[snip]" is a paste's elision (tolerant path) */
		m.n = (size_t)(p++ - m.s);
	}
	*sym = (struct name){s, n};
	*mod = m;
	a->offset = (uint32_t)off;
	a->length = (uint32_t)len;
	a->has_offset = true;
	*pp = p;
	return true;
}

/* Bit index of the flag word at p (followed by a blank or the end), or -1;
 * *len is its length. */
static int flag_at(const char *p, size_t *len)
{
	int i;
	switch (*p) {
	case 'i':
		i = 0;
		break;
	case 's':
		i = 1;
		break;
	case 'v': /* vpages vmalloc vmap */
		i = p[1] == 'p' ? 6 : p[1] == 'm' && p[2] == 'a' && p[3] == 'l' ? 2 : 3;
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
	const char *w = vms_flag_name((unsigned)i);
	const char *q = p;
	*len = vms_flag_len((unsigned)i);
	return lit(&q, w, *len) && (*q == ' ' || *q == '\0') ? i : -1;
}

/* " N<node>=<pages>" entries; false on anything else. */
static bool numa_entry(const char **p, const char *e, struct vms_numa *nm)
{
	uint64_t node, pages;
	if (!LIT(*p, "N") || !dec(p, e, &node) || !LIT(*p, "=") || !dec(p, e, &pages) ||
	    node > UINT32_MAX || pages > UINT32_MAX)
		return false;
	nm->node = (uint32_t)node;
	nm->pages = (uint32_t)pages;
	return true;
}

/* Words after the caller, in kernel order. Returns false on anything else. */
static bool details(const char **pp, const char *e, struct vms_area *a,
                    struct vms_numa *numa, uint32_t *nn, uint32_t cap)
{
	const char *p = *pp;
	unsigned next_flag = 0;
	uint64_t v;
	if (LIT(p, " pages=")) {
		if (!dec(&p, e, &v) || v > UINT32_MAX)
			return false;
		a->pages = (uint32_t)v;
		a->has_pages = true;
	}
	if (LIT(p, " phys=")) {
		uint8_t w;
		bool ox = LIT(p, "0x");
		if (!hex(&p, e, &a->phys, 16, &w))
			return false;
		a->phys_form = !ox      ? VMS_PHYS_PLAIN
		               : w <= 8 ? VMS_PHYS_PA32
		                        : VMS_PHYS_PA64;
		a->has_phys = true;
	}
	while (*p) {
		if (*p++ != ' ')
			return false;
		size_t len = 0;
		int i = flag_at(p, &len);
		if (i >= (int)next_flag) {
			a->flags |= (uint16_t)(1u << i);
			p += len;
			next_flag = (unsigned)i + 1;
			continue;
		}
		if (*nn == cap || !numa_entry(&p, e, &numa[*nn]))
			return false;
		(*nn)++;
		next_flag = VMS_NR_FLAGS;
	}
	*pp = p;
	return true;
}

static uint32_t intern(struct vms_dump *d, const struct name *x)
{
	return x->s ? vms_dump_intern(d, x->s, x->n) : 0;
}

bool vms_vmi_fast(struct vms_vmi *p, const struct vms_line *ln)
{
	const char *c = ln->text, *e = ln->text + ln->len;
	struct vms_area a = {0};
	struct vms_area_src s = {.line = ln->no, .last_line = ln->no, .col = ln->col};
	struct vms_numa numa[64];
	struct name sym = {NULL, 0}, mod = {NULL, 0};
	uint32_t nn = 0;
	if (!range(&c, e, &a, &s) || *c != ' ')
		return false;
	while (*c == ' ')
		c++;
	if (!dec(&c, e, &a.size))
		return false;
	if (*c) {
		/* one blank, then a word (the kernel prints single spaces here) */
		if (c[0] != ' ' || c[1] == ' ' || !c[1])
			return false;
		c++;
		if (LIT(c, "vm_map_ram"))
			a.kind = VMS_KIND_VM_MAP_RAM;
		else if (LIT(c, "unpurged vm_area"))
			a.kind = VMS_KIND_UNPURGED;
		else if (!caller(&c, e, &a, &sym, &mod))
			c--; /* no caller (pcpu first chunk and friends): details follow
			      */
		if (a.kind ? *c != '\0' : !details(&c, e, &a, numa, &nn, 64))
			return false;
	}
	a.caller = intern(p->d, &sym);
	a.module = intern(p->d, &mod);
	vms_vmi_push(p, &a, &s, numa, nn);
	return true;
}

/* ---- debuggers' lines ------------------------------------------------------ */

/* The "%10d" of the debuggers: `blanks` before `digits` digits, one of
 * them the separator (a size of ten digits or more has only that one). */
static bool wide_size(size_t blanks, size_t digits)
{
	return blanks + digits == 11 || (digits >= 10 && blanks == 1);
}

/* gdb's pointer annotation "<sym+dec>" or "<sym>": the name. */
static bool gdb_caller(const char **pp, struct name *sym)
{
	const char *p = *pp, *s;
	if (*p++ != '<')
		return false;
	for (s = p; symbyte[(unsigned char)*p];)
		p++;
	size_t n = (size_t)(p - s);
	if (*p == '+') {
		if (!vms_is_digit(*++p))
			return false;
		while (vms_is_digit(*p))
			p++;
	}
	if (!n || *p != '>' || (p[1] != ' ' && p[1] != '\0'))
		return false;
	*sym = (struct name){s, n};
	*pp = p + 1;
	return true;
}

/* drgn's bare symbol name (never a digit first: "0x..." is a raw caller). */
static bool bare_caller(const char **pp, struct name *sym)
{
	const char *p = *pp, *s = p;
	if (vms_is_digit(*p))
		return false;
	while (symbyte[(unsigned char)*p])
		p++;
	if (p == s || (*p != ' ' && *p != '\0'))
		return false;
	*sym = (struct name){s, (size_t)(p - s)};
	*pp = p;
	return true;
}

enum vms_tool vms_vmi_debugger(struct vms_vmi *p, const struct vms_line *ln)
{
	const char *c = ln->text, *e = ln->text + ln->len, *b;
	struct vms_area a = {0};
	struct vms_area_src s = {.line = ln->no, .last_line = ln->no, .col = ln->col};
	struct vms_numa numa[64];
	struct name sym = {NULL, 0};
	uint32_t nn = 0;
	enum vms_tool tool = VMS_TOOL_LX_VMALLOCINFO;
	/* "0x%x": no padding, so any width up to 16 digits on either side */
	if (!LIT(c, "0x") || !hex(&c, e, &a.start, 16, &s.w_start) || !LIT(c, "-0x") ||
	    !hex(&c, e, &a.end, 16, &s.w_end) || *c != ' ')
		return VMS_TOOL_PROC;
	for (b = c; *c == ' ';)
		c++;
	size_t blanks = (size_t)(c - b);
	b = c;
	if (!dec(&c, e, &a.size) || *c++ != ' ' ||
	    !wide_size(blanks, (size_t)(c - b - 1)))
		return VMS_TOOL_PROC;
	if (!gdb_caller(&c, &sym)) {
		/* ten digits and one blank is also the kernel's "%7ld": a bare
		 * word there is not taken as drgn's caller */
		if (c - b - 1 >= 10 || !bare_caller(&c, &sym))
			return VMS_TOOL_PROC;
		tool = VMS_TOOL_DRGN;
	}
	if (!details(&c, e, &a, numa, &nn, 64))
		return VMS_TOOL_PROC;
	/* "phys=0x%x" has no width to tell phys_addr_t: the address width says */
	if (a.has_phys)
		a.phys_form = s.w_start > 8 ? VMS_PHYS_PA64 : VMS_PHYS_PA32;
	a.caller = intern(p->d, &sym);
	vms_vmi_push(p, &a, &s, numa, nn);
	return tool;
}
