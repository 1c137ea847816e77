/*
 * parse_layout.c — the "Virtual kernel memory layout" block of a boot log
 * (docs/kernel.md §8), in every form the kernel printed it:
 *
 *   arm32    "Virtual kernel memory layout:"  "    vmalloc : 0xA - 0xB   ( 240 MB)"
 *   arm64    same header; 64-bit addresses; "fixed", "PCI I/O", "memory",
 *            "vmemmap : a - b (N GB maximum)" + "          a - b (N MB actual)"
 *   riscv    same header; "      pci io : ..."; ends like 0x9fffffff are
 *            INCLUSIVE and are stored half-open (end + 1, end_inclusive)
 *   x86_32   "virtual kernel memory layout:" (lower case)
 *   sh       lower case; "lowmem : a - b (16 MB) (cached)" then a line with an
 *            empty name ": a - b (512 MB) (uncached)" named "lowmem-uncached"
 *   powerpc32 "Kernel virtual memory layout:" "  * 0xA..0xB  : vmalloc & ioremap"
 *            (ends are exclusive: each end equals the next region's start)
 *
 * Each region line gives a struct vms_region; printed sizes are checked
 * against the range (floor, as MLK/MLM/MLG print, or rounded up, as
 * MLK_ROUNDUP prints .text/.init/...). A block pasted on one line with
 * escaped newlines ("\x0a", "#012", "\012", "\n") is split and reported as
 * a repair. Names are trimmed and a few are normalised so that callers can
 * find them (see name_map); the printed name is then kept in region.label.
 *
 * Block state: a header opens the block; it stays open while layout lines
 * follow with at most LAYOUT_MAX_GAP lines between them (blank lines, fences
 * and hand notes like "high memory = 0xef80,0000" are tolerated, never
 * claimed); any other line closes it. A second header replaces the regions
 * of the first block (note "layout-repeated"). Cost: O(line length), one
 * anchored JIT regex per candidate line of at most LAYOUT_MAX_LINE bytes.
 */
#include "parse_log_int.h"

#include <string.h>

#include "numbers.h"
#include "parse_regex.h"

/* ---- regexes ---------------------------------------------------------------- */

enum layout_re { RE_COLON, RE_STAR, RE_NOTE, NR_LRE };

/* Capture groups of RE_COLON / RE_STAR. */
enum { G_NAME = 1, G_START, G_END, G_SIZE, G_UNIT, G_QUAL, G_TAIL };
enum { GS_START = 1, GS_END, GS_NAME };

#define HEXADDR "0x([0-9a-fA-F]{1,64}|\\(_*ptrval_*\\))"

static const char *const lre_src[NR_LRE] = {
    [RE_COLON] =
        "^(?:([A-Za-z_.][\\w ./&-]{0,47}?)\\s*:|:|)\\s*" HEXADDR "\\s*-\\s*" HEXADDR
        "(?:\\s*\\(\\s*([0-9]{1,24})\\s*([kKMGT]B)(?:\\s+([A-Za-z]{1,16}))?\\s*\\))?"
        "(?:\\s*\\(([A-Za-z]{1,16})\\))?\\s*$",
    [RE_STAR] = "^\\*\\s*0x([0-9a-fA-F]{1,64})\\s*\\.\\.\\s*0x([0-9a-fA-F]{1,64})\\s*:"
                "\\s*(\\S.{0,63}?)\\s*$",
    /* a hand note: "high memory = 0xef80,0000" */
    [RE_NOTE] = "^[A-Za-z][\\w .]{0,40}=\\s*\\S[^:]{0,200}$",
};

VMS_REGEX_SET(layout_re, lre_src, NR_LRE, 0, 100000)

/* One region line cut into its fields (offsets into the line text). */
struct layout_fields {
	const char *s;        /* the text matched */
	PCRE2_SIZE ov[2 * 8]; /* ovector copy; PCRE2_UNSET when absent */
	bool star;            /* powerpc "* a..b : name" form */
};

static bool layout_match(enum layout_re r, const char *s, size_t n,
                         struct layout_fields *f)
{
	size_t ov[16];
	if (!vms_regex_match(&layout_re, r, s, n, ov, f ? 8 : 0))
		return false;
	if (f) {
		memcpy(f->ov, ov, sizeof(f->ov));
		f->s = s;
	}
	return true;
}

static bool has(const struct layout_fields *f, int g)
{
	return f->ov[2 * g] != PCRE2_UNSET;
}

static const char *gp(const struct layout_fields *f, int g)
{
	return has(f, g) ? f->s + f->ov[2 * g] : f->s;
}

static size_t gl(const struct layout_fields *f, int g)
{
	return has(f, g) ? f->ov[2 * g + 1] - f->ov[2 * g] : 0;
}

static bool geq(const struct layout_fields *f, int g, const char *lit)
{
	return gl(f, g) == strlen(lit) && strncmp(gp(f, g), lit, gl(f, g)) == 0;
}

/* ---- numbers ---------------------------------------------------------------- */

/* The digits of group g as a number (the regex admits digits only). */
static uint64_t group_value(const struct layout_fields *f, int g, bool hex, bool *ovf)
{
	uint64_t v;
	const char *p = gp(f, g), *e = p + gl(f, g);
	if (hex)
		vms_scan_hex(p, e, &v, ovf);
	else
		vms_scan_dec(p, e, &v, ovf);
	return v;
}

/* MLK/MLM/MLG print (end - start) >> shift; MLK_ROUNDUP rounds up. */
static bool size_agrees(uint64_t start, uint64_t end, uint64_t printed, unsigned shift)
{
	uint64_t span = end - start;
	uint64_t fl = span >> shift;
	uint64_t ce = fl + ((span & (((uint64_t)1 << shift) - 1)) != 0);
	return printed == fl || printed == ce;
}

/* ---- names and style -------------------------------------------------------- */

static const struct {
	const char *printed;
	const char *name;
	uint8_t style; /* VMS_LAYOUT_NONE = any style */
} name_map[] = {
    {"vmalloc & ioremap", "vmalloc", VMS_LAYOUT_NONE},
    {"kasan shadow mem", "kasan", VMS_LAYOUT_NONE},
    {"highmem PTEs", "pkmap", VMS_LAYOUT_NONE},
    {"pci io", "PCI I/O", VMS_LAYOUT_NONE},
    {"fixed", "fixmap", VMS_LAYOUT_ARM64},
    {"memory", "lowmem", VMS_LAYOUT_ARM64},
};

/* Names accepted on a layout line outside any block (a pasted single line). */
static const char *const known_names[] = {
    "vector", "fixmap", "vmalloc", "lowmem", "pkmap", "modules", "vmalloc & ioremap",
};

static bool is_known_name(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(known_names) / sizeof(known_names[0]); i++)
		if (strlen(known_names[i]) == n && strncmp(known_names[i], s, n) == 0)
			return true;
	return false;
}

static void refine_style(struct vms_bootlog *log, const struct layout_fields *f,
                         uint64_t end)
{
	uint8_t *st = &log->layout_style;
	if (*st == VMS_LAYOUT_PPC32 || *st == VMS_LAYOUT_RISCV || *st == VMS_LAYOUT_SH)
		return;
	if (*st == VMS_LAYOUT_X86_32) {
		if (!gl(f, G_NAME) || has(f, G_TAIL))
			*st = VMS_LAYOUT_SH;
		return;
	}
	if (geq(f, G_NAME, "pci io") || geq(f, G_NAME, "kernel"))
		*st = VMS_LAYOUT_RISCV;
	else if (end > UINT32_MAX + (uint64_t)1 || geq(f, G_NAME, "PCI I/O") ||
	         geq(f, G_NAME, "fixed") || geq(f, G_NAME, ".rodata"))
		*st = VMS_LAYOUT_ARM64;
	else if (*st == VMS_LAYOUT_NONE)
		*st = VMS_LAYOUT_ARM32;
}

/* Sets r->name (and r->label when the printed name was normalised). */
static void region_name(struct vms_logparser *p, struct vms_region *r,
                        const struct layout_fields *f, int g)
{
	struct vms_bootlog *log = p->d->log;
	const char *s = gp(f, g);
	size_t n = gl(f, g);
	if (n == 0) {
		const char *prev = log->regions.n > p->block_first
		                       ? log->regions.v[log->regions.n - 1].name
		                       : "unnamed";
		const char *q = has(f, G_TAIL)   ? gp(f, G_TAIL)
		                : has(f, G_QUAL) ? gp(f, G_QUAL)
		                                 : "2";
		size_t qn = has(f, G_TAIL)   ? gl(f, G_TAIL)
		            : has(f, G_QUAL) ? gl(f, G_QUAL)
		                             : 1;
		r->name = vms_arena_printf(&log->arena, "%s-%.*s", prev, (int)qn, q);
		return;
	}
	r->name = vms_arena_strndup(&log->arena, s, n);
	for (size_t i = 0; i < sizeof(name_map) / sizeof(name_map[0]); i++) {
		if (strcmp(r->name, name_map[i].printed) == 0 &&
		    (!name_map[i].style || name_map[i].style == log->layout_style)) {
			r->label = r->name;
			r->name = name_map[i].name;
			return;
		}
	}
}

static bool has_region(const struct vms_bootlog *log, const char *name, const char *label)
{
	for (size_t i = 0; i < log->regions.n; i++) {
		const struct vms_region *r = &log->regions.v[i];
		if (strcmp(r->name, name) == 0 &&
		    (!label || (r->label && strcmp(r->label, label) == 0)))
			return true;
	}
	return false;
}

/* Region names only one arch prints in a style that others share (riscv
 * prints neither sections nor pkmap, and riscv32 no modules). */
static const struct {
	uint8_t style;
	const char *name, *label;
	uint32_t set;
	const char *why;
} arch_names_by_style[] = {
    {VMS_LAYOUT_ARM32, "vector", NULL, VMS_ARCH(ARM32), "arm32 style, vector region"},
    {VMS_LAYOUT_ARM32, "DTCM", NULL, VMS_ARCH(ARM32), "arm32 style, DTCM region"},
    {VMS_LAYOUT_ARM32, "ITCM", NULL, VMS_ARCH(ARM32), "arm32 style, ITCM region"},
    {VMS_LAYOUT_ARM32, "pkmap", NULL, VMS_ARCH(ARM32), "arm32 style, pkmap region"},
    {VMS_LAYOUT_ARM32, "modules", NULL, VMS_ARCH(ARM32), "arm32 style, modules region"},
    {VMS_LAYOUT_ARM32, ".text", NULL, VMS_ARCH(ARM32), "arm32 style, .text region"},
    {VMS_LAYOUT_ARM64, "PCI I/O", NULL, VMS_ARCH(ARM64), "arm64 style, PCI I/O region"},
    {VMS_LAYOUT_ARM64, "fixmap", "fixed", VMS_ARCH(ARM64), "arm64 style, fixed region"},
    {VMS_LAYOUT_ARM64, "lowmem", "memory", VMS_ARCH(ARM64), "arm64 style, memory region"},
    {VMS_LAYOUT_ARM64, ".rodata", NULL, VMS_ARCH(ARM64), "arm64 style, .rodata region"},
    {VMS_LAYOUT_ARM64, ".text", NULL, VMS_ARCH(ARM64), "arm64 style, .text region"},
    {VMS_LAYOUT_X86_32, "cpu_entry", NULL, VMS_ARCH(X86_32),
     "x86_32 style, cpu_entry region"},
    {VMS_LAYOUT_PPC32, "modules", NULL, VMS_ARCH(PPC32),
     "powerpc32 style, modules region"},
    {VMS_LAYOUT_PPC32, "kasan", "kasan shadow mem", VMS_ARCH(PPC32),
     "powerpc32 style, kasan shadow region"},
};

/* What a style alone allows: the arches that print a block like it. */
static uint32_t style_archs(const struct vms_bootlog *log, const char **why)
{
	bool wide = false;
	for (size_t i = 0; i < log->regions.n; i++)
		wide |= log->regions.v[i].end > UINT32_MAX + (uint64_t)1;
	switch (log->layout_style) {
	case VMS_LAYOUT_ARM32:
		*why = "arm32 style, printed by arm32 and riscv32 alike";
		return VMS_ARCH(ARM32) | VMS_ARCH(RISCV32);
	case VMS_LAYOUT_ARM64:
		*why = "arm64 style, printed by arm64 and riscv64 alike";
		return VMS_ARCH(ARM64) | VMS_ARCH(RISCV64);
	case VMS_LAYOUT_RISCV:
		*why = wide ? "riscv style, 64-bit addresses"
		            : "riscv style, 32-bit addresses";
		return wide ? VMS_ARCH(RISCV64) : VMS_ARCH(RISCV32);
	case VMS_LAYOUT_X86_32:
		*why = "lower-case header, printed by x86_32, xtensa and nds32 alike";
		return VMS_ARCH(X86_32) | VMS_ARCH(XTENSA) | VMS_ARCH(NDS32);
	case VMS_LAYOUT_SH:
		*why = "sh style, lowmem (cached)";
		return VMS_ARCH(SH);
	case VMS_LAYOUT_PPC32:
		*why = "powerpc32 style, printed by powerpc32 and microblaze alike";
		return VMS_ARCH(PPC32) | VMS_ARCH(MICROBLAZE);
	default:
		*why = NULL;
		return (1u << VMS_NR_ARCH_BITS) - 1;
	}
}

uint32_t vms_layout_archs(const struct vms_bootlog *log, const char **why)
{
	if (!log->regions.n) {
		*why = NULL;
		return (1u << VMS_NR_ARCH_BITS) - 1;
	}
	for (size_t i = 0;
	     i < sizeof(arch_names_by_style) / sizeof(arch_names_by_style[0]); i++)
		if (arch_names_by_style[i].style == log->layout_style &&
		    has_region(log, arch_names_by_style[i].name,
		               arch_names_by_style[i].label)) {
			*why = arch_names_by_style[i].why;
			return arch_names_by_style[i].set;
		}
	return style_archs(log, why);
}

/* ---- one region ------------------------------------------------------------- */

/* Reads start and end; returns 0, 1 for "(ptrval)" or -1 after a diagnostic. */
static int region_range(struct vms_logparser *p, const struct vms_line *ln,
                        const struct layout_fields *f, uint32_t col, uint64_t *a,
                        uint64_t *b)
{
	int gs = f->star ? GS_START : G_START, ge = f->star ? GS_END : G_END;
	if (gp(f, gs)[0] == '(' || gp(f, ge)[0] == '(') {
		vms_dump_diag(
		    p->d, ln->no, col, VMS_SEV_NOTE, "layout-ptrval",
		    "layout line with hidden addresses (ptrval): no region recorded");
		return 1;
	}
	bool ovf_a = false, ovf_b = false;
	*a = group_value(f, gs, true, &ovf_a);
	*b = group_value(f, ge, true, &ovf_b);
	if (ovf_a || ovf_b) {
		int g = ovf_a ? gs : ge;
		vms_dump_diag(
		    p->d, ln->no, col, VMS_SEV_ERROR, "layout-bad-address",
		    "layout %s address 0x%.*s%s does not fit in 64 bits (at most "
		    "0xffffffffffffffff): line ignored",
		    ovf_a ? "start" : "end", gl(f, g) > 24 ? 24 : (int)gl(f, g), gp(f, g),
		    gl(f, g) > 24 ? "..." : "");
		return -1;
	}
	if (*b < *a) {
		vms_dump_diag(p->d, ln->no, col, VMS_SEV_ERROR, "layout-reversed-range",
		              "layout range ends (0x%llx) before it starts (0x%llx)",
		              (unsigned long long)*b, (unsigned long long)*a);
		return -1;
	}
	return 0;
}

static void region_size(struct vms_logparser *p, const struct vms_line *ln,
                        const struct layout_fields *f, uint32_t col, struct vms_region *r,
                        uint64_t end_printed)
{
	if (f->star || !has(f, G_SIZE))
		return;
	bool ovf = false;
	r->printed = group_value(f, G_SIZE, false, &ovf);
	if (ovf) {
		r->printed = 0;
		vms_dump_diag(
		    p->d, ln->no, col, VMS_SEV_WARNING, "layout-bad-size",
		    "printed size of %s (%.*s %.2s) does not fit in 64 bits (at "
		    "most 18446744073709551615): kept without it",
		    r->name, (int)gl(f, G_SIZE), gp(f, G_SIZE), gp(f, G_UNIT));
		return;
	}
	r->has_printed = true;
	memcpy(r->printed_unit, gp(f, G_UNIT), 2);
	r->printed_unit[2] = '\0';
	unsigned shift = vms_size_unit_shift(r->printed_unit);
	r->size_mismatch = !size_agrees(r->start, end_printed, r->printed, shift);
	if (r->size_mismatch)
		vms_dump_diag(p->d, ln->no, col, VMS_SEV_WARNING, "layout-size-mismatch",
		              "%s: printed size %llu %s, but 0x%llx - 0x%llx is %llu %s",
		              r->name, (unsigned long long)r->printed, r->printed_unit,
		              (unsigned long long)r->start,
		              (unsigned long long)end_printed,
		              (unsigned long long)((end_printed - r->start) >> shift),
		              r->printed_unit);
}

/* Records the region of a matched line; returns the line class. */
static int region_add(struct vms_logparser *p, const struct vms_line *ln,
                      const struct layout_fields *f, uint32_t col)
{
	struct vms_bootlog *log = p->d->log;
	uint64_t a, b;
	int rc = region_range(p, ln, f, col, &a, &b);
	if (rc)
		return rc > 0 ? VMS_LINE_PARSED : VMS_LINE_DIAGNOSTIC;
	if (!f->star)
		refine_style(log, f, b);
	struct vms_region r = {.start = a, .end = b, .line = ln->no};
	if (log->layout_style == VMS_LAYOUT_RISCV && (b & 0xfff) == 0xfff) {
		r.end_inclusive = true; /* print_mlm(name, b, t) with t inclusive */
		r.end = b == UINT64_MAX ? UINT64_MAX : b + 1;
	}
	region_name(p, &r, f, f->star ? GS_NAME : G_NAME);
	region_size(p, ln, f, col, &r, b);
	vms_boot_region(p, ln, &r);
	vms_vec_push(&log->regions, r);
	return VMS_LINE_PARSED;
}

/* ---- block ------------------------------------------------------------------ */

static const struct {
	const char *text;
	uint8_t style;
} headers[] = {
    {"Virtual kernel memory layout:", VMS_LAYOUT_NONE},
    {"virtual kernel memory layout:", VMS_LAYOUT_X86_32},
    {"Kernel virtual memory layout:", VMS_LAYOUT_PPC32},
};

/* Returns the header index when text starts with one, else -1. */
static int header_of(const char *t)
{
	for (int i = 0; i < (int)(sizeof(headers) / sizeof(headers[0])); i++)
		if (strncmp(t, headers[i].text, strlen(headers[i].text)) == 0)
			return i;
	return -1;
}

static uint8_t style_from_arch(const char *arch, uint8_t style)
{
	if (!arch)
		return style;
	if (strncmp(arch, "riscv", 5) == 0)
		return VMS_LAYOUT_RISCV;
	if (strcmp(arch, "sh") == 0 && style == VMS_LAYOUT_X86_32)
		return VMS_LAYOUT_SH;
	if (strcmp(arch, "arm64") == 0 && style == VMS_LAYOUT_NONE)
		return VMS_LAYOUT_ARM64;
	return style;
}

static void block_open(struct vms_logparser *p, const struct vms_line *ln, int h)
{
	struct vms_bootlog *log = p->d->log;
	bool new_boot = vms_boot_new_layout(p); /* the boot note says it all */
	vms_boot_fact(p);
	if ((log->regions.n || log->layout_line) && !new_boot) {
		uint32_t prev =
		    log->layout_line ? log->layout_line : log->regions.v[0].line;
		vms_dump_diag(
		    p->d, ln->no, ln->col, VMS_SEV_NOTE, "layout-repeated",
		    "another layout block: it replaces the one %u line(s) earlier",
		    (unsigned)(ln->no - prev));
	}
	log->regions.n = 0;
	log->layout_line = ln->no;
	log->layout_style = style_from_arch(vms_ident_hint(p), headers[h].style);
	p->in_layout = true;
	p->layout_header = true;
	p->layout_last = ln->no;
	p->block_first = 0;
}

void vms_layout_close(struct vms_logparser *p)
{
	p->in_layout = false;
}

/* Matches one layout line s[0..n) (no-break spaces were made blanks by
 * the line preparer). */
static bool layout_fields_of(const char *s, size_t n, struct layout_fields *f)
{
	if (n == 0 || n >= LAYOUT_MAX_LINE)
		return false;
	f->star = s[0] == '*';
	return layout_match(f->star ? RE_STAR : RE_COLON, s, n, f);
}

/* Records the region of s[0..n) at column col; -1 when not a layout line. */
static int layout_piece(struct vms_logparser *p, const struct vms_line *ln, const char *s,
                        size_t n, uint32_t col)
{
	struct layout_fields f;
	if (!layout_fields_of(s, n, &f))
		return -1;
	/* a line with neither name nor ':' is only the arm64 "actual" vmemmap
	 * continuation, which always prints its size; "0xA-0xB ..." right after
	 * a block is a dump line */
	if (!f.star && !gl(&f, G_NAME) && f.s[0] != ':' && !has(&f, G_SIZE))
		return -1;
	if (!p->in_layout) {
		int g = f.star ? GS_NAME : G_NAME;
		if (p->d->log->layout_line || !is_known_name(gp(&f, g), gl(&f, g)) ||
		    (!f.star && !has(&f, G_SIZE)))
			return -1; /* stray lines never add to a block with a header */
		p->in_layout = true;
		p->layout_header = false;
		p->block_first = p->d->log->regions.n;
		vms_boot_fact(p);
		if (f.star)
			p->d->log->layout_style = VMS_LAYOUT_PPC32;
	}
	if (p->d->log->regions.n - p->block_first >= LAYOUT_MAX_REGIONS) {
		vms_dump_diag(p->d, ln->no, col, VMS_SEV_WARNING,
		              "layout-too-many-regions",
		              "more than %d regions in one layout block: block ended",
		              LAYOUT_MAX_REGIONS);
		vms_layout_close(p);
		return VMS_LINE_DIAGNOSTIC;
	}
	return region_add(p, ln, &f, col);
}

/* Finds the next escaped newline in [s, e); sets *skip to its length.
 * O(distance to it), so splitting a whole line is O(line length). */
static const char *next_escape(const char *s, const char *e, size_t *skip)
{
	static const char *const esc[] = {"\\x0a", "\\x0A", "#012", "\\012", "\\n"};
	for (const char *q = s; q < e; q++) {
		if (*q != '\\' && *q != '#')
			continue;
		for (size_t i = 0; i < sizeof(esc) / sizeof(esc[0]); i++) {
			size_t el = strlen(esc[i]);
			if ((size_t)(e - q) >= el && memcmp(q, esc[i], el) == 0) {
				*skip = el;
				return q;
			}
		}
	}
	return NULL;
}

/* A whole block on one line: header "\x0a" line "\x0a" line ... The first
 * piece that is not a layout line ends the block and the rest of the line
 * is ignored (one diagnostic). */
static int layout_escaped(struct vms_logparser *p, const struct vms_line *ln,
                          const char *s)
{
	const char *e = ln->text + ln->len;
	int cls = VMS_LINE_REPAIRED;
	unsigned pieces = 0;
	while (s < e && p->in_layout) {
		size_t skip = 0;
		const char *q = next_escape(s, e, &skip);
		const char *pe = q ? q : e;
		while (s < pe && (*s == ' ' || *s == '\t'))
			s++;
		if (s < pe) {
			uint32_t col = vms_line_col(ln, s);
			int c = layout_piece(p, ln, s, (size_t)(pe - s), col);
			if (c < 0) {
				vms_dump_diag(
				    p->d, ln->no, col, VMS_SEV_WARNING,
				    "layout-escaped-junk",
				    "escaped layout block ends in text that is not a "
				    "layout line: the rest of the line is ignored");
				vms_layout_close(p);
				c = VMS_LINE_DIAGNOSTIC;
			}
			cls = c == VMS_LINE_DIAGNOSTIC ? c : cls;
			pieces++;
		}
		s = q ? q + skip : e;
	}
	vms_dump_repair(
	    p->d, ln->no, ln->col, -1, "layout-unescaped",
	    "layout block on one line: split at escaped newlines into %u lines", pieces);
	return cls;
}

static bool is_hand_note(const struct vms_line *ln)
{
	return ln->len < 256 && layout_match(RE_NOTE, ln->text, ln->len, NULL);
}

int vms_layout_line(struct vms_logparser *p, const struct vms_line *ln)
{
	int h = header_of(ln->text);
	if (h >= 0) {
		const char *rest = ln->text + strlen(headers[h].text);
		while (*rest == ' ' || *rest == '\t')
			rest++;
		block_open(p, ln, h);
		return *rest ? layout_escaped(p, ln, rest) : VMS_LINE_PARSED;
	}
	if (p->in_layout && ln->no - p->layout_last > LAYOUT_MAX_GAP + 1)
		vms_layout_close(p);
	int c = layout_piece(p, ln, ln->text, ln->len, ln->col);
	if (c >= 0) {
		p->layout_last = ln->no;
		return c;
	}
	if (p->in_layout && !is_hand_note(ln))
		vms_layout_close(p);
	return LOG_NOT_MINE;
}
