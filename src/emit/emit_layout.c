/*
 * emit_layout.c — the "Virtual kernel memory layout:" block and the
 * "Linux version" line, as the kernel of an arch and era prints them, for
 * the simulator's boot log (emit_layout.h).
 *
 * One table row per block format: the family and the eras that printed it,
 * the header, the line shape, the hex and size widths, and its lines in
 * the kernel's order. A line names the regions it prints (the parser's
 * name and the arch profile's), else the region kind it takes, how its
 * size is printed (MLK/MLM/MLG floor, or riscv's print_ml choosing the
 * unit), and whether the kernel prints the end inclusive. Regions are
 * matched to lines by name first, then by kind, each region at most once.
 * Cost: O(lines * regions) per block, with the few dozen regions a layout
 * has.
 *
 * Formats and where each was read (kernel sources through the public
 * code index, and the logs in samples/; "UNVERIFIED" = the release of the
 * change was not seen):
 *   arm32    arch/arm/mm/init.c mem_init(): "    %-8s: 0x%08lx - 0x%08lx
 *            (%4ld kB|MB)"; up to 3.5 with the "DMA" consistent-memory
 *            line (removed with the dma-mapping rework of 3.6), from 3.6
 *            with DTCM/ITCM instead (the 3.6 boundary UNVERIFIED: the
 *            consistent DMA region's removal); removed in 5.1 by
 *            1c31d4e96b8c ("ARM: 8820/1: mm: Stop printing the virtual
 *            memory layout", docs/kernel.md §8.1). Byte for byte as in
 *            samples/arm32-rpi3-bcm2709-4.4-dmesg-* (the 5.4.24 log in
 *            samples/ is a KASAN port that still printed it).
 *   x86_32   arch/x86/mm/init_32.c mem_init(): lower-case header, fixmap,
 *            cpu_entry (4.15+), pkmap in kB, vmalloc, lowmem; removed by
 *            681ff0181bbf (posted March 2020, taken as 5.7); first release
 *            UNVERIFIED (printed by 2.6.32: samples/x86_32-xenserver-*).
 *   arm64    arch/arm64/mm/init.c mem_init(): "0x%16lx", sizes "%6ld";
 *            before 4.6 vmalloc first (order of the 3.18 log in
 *            samples/arm64-exynos7880-*), from 4.6 modules and vmalloc
 *            first, then fixed, PCI I/O, vmemmap, memory (the 4.13 log in
 *            samples/arm64-pine64-*); removed by 071929dbdd86 ("arm64:
 *            Stop printing the virtual memory layout"), taken as 4.16
 *            (release UNVERIFIED).
 *   riscv    arch/riscv/mm/init.c print_vm_layout() (CONFIG_DEBUG_VM):
 *            "%12s : 0x%08lx - 0x%08lx   (%4ld kB|MB)"; the address-map
 *            dumper was posted in November 2019 on 5.4-rc6, taken as 5.5
 *            (UNVERIFIED, and so is a "pci io" line before 5.7); vmemmap and vmalloc ends
 * inclusive (END - 1) and fixed units until 5.16 (the 5.7 and 5.16 logs in samples/);
 * from 5.17 print_ml() picks kB/MB/GB/TB and those ends are exclusive (Alexandre Ghiti's
 * sv48 series and "riscv: Make vmalloc/vmemmap end equal to the start of the next
 *            region", both posted late 2021, UNVERIFIED releases);
 *            riscv64 "kernel" line (inclusive ADDRESS_SPACE_END) from 5.13
 *            (kernel mapping moved out of the linear map, April 2021),
 *            "modules" from 6.1 (Xianting Tian, July 2022, UNVERIFIED).
 *   ppc32    arch/powerpc/mm/mem.c mem_init(): "  * 0x%08lx..0x%08lx  :
 *            name", exclusive ends, no sizes; "modules" from 5.14 (posted
 *            June 2021, UNVERIFIED; present in the 5.16 log); removed in
 *            6.15 by 2bf3caa7cc3b (pull "powerpc-6.15-1").
 *   sh       arch/sh/mm/init.c mem_init(): lower-case header, lowmem
 *            "(cached)" and an unnamed "(uncached)" line; still printed
 *            (samples/sh4-dreamcast-*-7.1.3).
 *   x86_64 never printed such a block.
 * The kernel image sections (.text, .init, ...) are never written: the
 * simulator has no image. arm64 prints hex with "%16lx" (blank-padded);
 * this writer pads with zeros, which is the same for every address a
 * 64-bit kernel has (16 digits) and stays readable for any other value.
 */
#include "vmscope/emit_layout.h"

#include <assert.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/common.h"

#define ERA(major, minor) ((major)*100 + (minor))

/* How a line prints its size. */
enum size_rule {
	SZ_NONE = 0, /* no size (ppc32) */
	SZ_K,        /* MLK: (end - start) >> 10, "kB" */
	SZ_KU,       /* arm64's MLK: "KB" */
	SZ_M,        /* MLM: >> 20, "MB" */
	SZ_G,        /* MLG: >> 30, "GB" */
	SZ_AUTO,     /* riscv print_ml(): TB, GB, MB when >= 10 of them, else kB */
	SZ_AUTO32,   /* the same on a 32-bit kernel: no TB */
};

enum line_flags {
	L_INCL = 1, /* the kernel prints the last byte (end - 1) */
	L_CONT = 2, /* only right after the line before it: the parser names an
	               unnamed line after the previous region ("vmemmap-actual",
	               "lowmem-uncached") */
};

/* One line of a block. */
struct layout_line {
	const char *prefix; /* text before the range ("    vmalloc : "), or for
	                       the ppc32 star lines the name after it */
	const char *names;  /* region names it prints, '|'-separated, the
	                       parser's spelling first */
	uint8_t kind;       /* else the first region of this kind
	                       (VMS_RK_OTHER: by name only) */
	uint8_t size;       /* enum size_rule */
	uint8_t flags;      /* enum line_flags */
	int from, to;       /* eras that print it, ERA(); 0 = open; from < 0:
	                       never (a 64-bit-only line on a 32-bit kernel) */
	const char *qual;   /* inside the size parentheses: " maximum" */
	const char *tail;   /* after them: " (cached)" */
};

enum line_style {
	ST_COLON, /* "<prefix>0x%0*lx - 0x%0*lx   (%*ld XB)" */
	ST_STAR,  /* ppc32 "  * 0x%08lx..0x%08lx  : name" */
};

/* One block format: a family's lines in one range of eras. */
struct layout_fmt {
	const char *family;
	int from, to; /* ERA(); 0 = open */
	const char *header;
	uint8_t style;       /* enum line_style */
	uint8_t addr_digits; /* "%08lx" or "%16lx" */
	uint8_t size_width;  /* "%4ld" or "%6ld" */
	const struct layout_line *lines;
	size_t nr_lines;
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct layout_line arm32_dma[] = {
    {"    vector  : ", "vector", VMS_RK_VECTOR, SZ_K},
    {"    fixmap  : ", "fixmap", VMS_RK_FIXMAP, SZ_K},
    {"    DMA     : ", "DMA", VMS_RK_DMA, SZ_M},
    {"    vmalloc : ", "vmalloc", VMS_RK_VMALLOC, SZ_M},
    {"    lowmem  : ", "lowmem|memory", VMS_RK_LOWMEM, SZ_M},
    {"    pkmap   : ", "pkmap", VMS_RK_PKMAP, SZ_M},
    {"    modules : ", "modules", VMS_RK_MODULES, SZ_M},
};

static const struct layout_line arm32_tcm[] = {
    {"    vector  : ", "vector", VMS_RK_VECTOR, SZ_K},
    {"    DTCM    : ", "DTCM", VMS_RK_OTHER, SZ_K},
    {"    ITCM    : ", "ITCM", VMS_RK_OTHER, SZ_K},
    {"    fixmap  : ", "fixmap", VMS_RK_FIXMAP, SZ_K},
    {"    vmalloc : ", "vmalloc", VMS_RK_VMALLOC, SZ_M},
    {"    lowmem  : ", "lowmem|memory", VMS_RK_LOWMEM, SZ_M},
    {"    pkmap   : ", "pkmap", VMS_RK_PKMAP, SZ_M},
    {"    modules : ", "modules", VMS_RK_MODULES, SZ_M},
};

static const struct layout_line x86_32_lines[] = {
    {"    fixmap  : ", "fixmap", VMS_RK_FIXMAP, SZ_K},
    {"  cpu_entry : ", "cpu_entry", VMS_RK_CPU_ENTRY, SZ_K, 0, ERA(4, 15)},
    {"    pkmap   : ", "pkmap", VMS_RK_PKMAP, SZ_K},
    {"    vmalloc : ", "vmalloc", VMS_RK_VMALLOC, SZ_M},
    {"    lowmem  : ", "lowmem|memory", VMS_RK_LOWMEM, SZ_M},
};

static const struct layout_line sh_lines[] = {
    {"    fixmap  : ", "fixmap", VMS_RK_FIXMAP, SZ_K},
    {"    pkmap   : ", "pkmap", VMS_RK_PKMAP, SZ_K},
    {"    vmalloc : ", "vmalloc", VMS_RK_VMALLOC, SZ_M},
    {"    lowmem  : ", "lowmem|memory", VMS_RK_LOWMEM, SZ_M, 0, 0, 0, "", " (cached)"},
    {"            : ", "lowmem-uncached|uncached", VMS_RK_OTHER, SZ_M, L_CONT, 0, 0, "",
     " (uncached)"},
};

static const struct layout_line arm64_old[] = {
    {"    kasan   : ", "kasan", VMS_RK_KASAN, SZ_G},
    {"    vmalloc : ", "vmalloc", VMS_RK_VMALLOC, SZ_G},
    {"    vmemmap : ", "vmemmap", VMS_RK_VMEMMAP, SZ_G, 0, 0, 0, " maximum"},
    {"              ", "vmemmap-actual", VMS_RK_OTHER, SZ_M, L_CONT, 0, 0, " actual"},
    {"    PCI I/O : ", "PCI I/O|pci io", VMS_RK_PCI_IO, SZ_M},
    {"    fixed   : ", "fixmap|fixed", VMS_RK_FIXMAP, SZ_KU},
    {"    modules : ", "modules", VMS_RK_MODULES, SZ_M},
    {"    memory  : ", "lowmem|memory", VMS_RK_LOWMEM, SZ_M},
};

static const struct layout_line arm64_46[] = {
    {"    kasan   : ", "kasan", VMS_RK_KASAN, SZ_G},
    {"    modules : ", "modules", VMS_RK_MODULES, SZ_M},
    {"    vmalloc : ", "vmalloc", VMS_RK_VMALLOC, SZ_G},
    {"    fixed   : ", "fixmap|fixed", VMS_RK_FIXMAP, SZ_KU},
    {"    PCI I/O : ", "PCI I/O|pci io", VMS_RK_PCI_IO, SZ_M},
    {"    vmemmap : ", "vmemmap", VMS_RK_VMEMMAP, SZ_G, 0, 0, 0, " maximum"},
    {"              ", "vmemmap-actual", VMS_RK_OTHER, SZ_M, L_CONT, 0, 0, " actual"},
    {"    memory  : ", "lowmem|memory", VMS_RK_LOWMEM, SZ_M},
};

/* riscv, one list per era and word size: u is the era's unit rule (fixmap
 * printed in kB until 5.16), i the inclusive flag of VMEMMAP_END and
 * VMALLOC_END (until 5.16), w64 whether the 64-bit-only lines exist. */
#define RV_FIX(u)     ((u) == SZ_M ? SZ_K : (u))
#define RV_64(w64, e) ((w64) ? (e) : -1)
#define RV_LINES(u, i, w64)                                                              \
	{"      fixmap : ", "fixmap", VMS_RK_FIXMAP, RV_FIX(u)},                         \
	    {"      pci io : ", "PCI I/O|pci io", VMS_RK_PCI_IO, u},                     \
	    {"     vmemmap : ", "vmemmap", VMS_RK_VMEMMAP, u, i},                        \
	    {"     vmalloc : ", "vmalloc", VMS_RK_VMALLOC, u, i},                        \
	    {"     modules : ", "modules", VMS_RK_MODULES, u, 0, RV_64(w64, ERA(6, 1))}, \
	    {"      lowmem : ", "lowmem|memory", VMS_RK_LOWMEM, u},                      \
	    {"       kasan : ", "kasan", VMS_RK_KASAN, u, 0, RV_64(w64, 0)},             \
	    {"      kernel : ",     "kernel", VMS_RK_OTHER, u, L_INCL,                   \
	     RV_64(w64, ERA(5, 13))},

static const struct layout_line rv64_old[] = {RV_LINES(SZ_M, L_INCL, 1)};
static const struct layout_line rv64_new[] = {RV_LINES(SZ_AUTO, 0, 1)};
static const struct layout_line rv32_old[] = {RV_LINES(SZ_M, L_INCL, 0)};
static const struct layout_line rv32_new[] = {RV_LINES(SZ_AUTO32, 0, 0)};

static const struct layout_line ppc32_lines[] = {
    {"kasan shadow mem", "kasan", VMS_RK_KASAN},
    {"fixmap", "fixmap", VMS_RK_FIXMAP},
    {"highmem PTEs", "pkmap|highmem PTEs", VMS_RK_PKMAP},
    {"consistent mem", "consistent mem", VMS_RK_OTHER},
    {"early ioremap", "early ioremap", VMS_RK_EARLY_IOREMAP},
    {"vmalloc & ioremap", "vmalloc", VMS_RK_VMALLOC},
    {"modules", "modules", VMS_RK_MODULES, SZ_NONE, 0, ERA(5, 14)},
};

#define UPPER  "Virtual kernel memory layout:"
#define LOWER  "virtual kernel memory layout:"
#define FMT(l) l, NELEM(l)

static const struct layout_fmt formats[] = {
    {"arm32", 0, ERA(3, 5), UPPER, ST_COLON, 8, 4, FMT(arm32_dma)},
    {"arm32", ERA(3, 6), ERA(5, 0), UPPER, ST_COLON, 8, 4, FMT(arm32_tcm)},
    {"x86_32", 0, ERA(5, 6), LOWER, ST_COLON, 8, 4, FMT(x86_32_lines)},
    {"arm64", 0, ERA(4, 5), UPPER, ST_COLON, 16, 6, FMT(arm64_old)},
    {"arm64", ERA(4, 6), ERA(4, 15), UPPER, ST_COLON, 16, 6, FMT(arm64_46)},
    {"riscv64", ERA(5, 5), ERA(5, 16), UPPER, ST_COLON, 8, 4, FMT(rv64_old)},
    {"riscv64", ERA(5, 17), 0, UPPER, ST_COLON, 8, 4, FMT(rv64_new)},
    {"riscv32", ERA(5, 5), ERA(5, 16), UPPER, ST_COLON, 8, 4, FMT(rv32_old)},
    {"riscv32", ERA(5, 17), 0, UPPER, ST_COLON, 8, 4, FMT(rv32_new)},
    {"ppc32", 0, ERA(6, 14), "Kernel virtual memory layout:", ST_STAR, 8, 0,
     FMT(ppc32_lines)},
    {"sh", 0, 0, LOWER, ST_COLON, 8, 4, FMT(sh_lines)},
};

/* ---- choosing the format ------------------------------------------------- */

static bool in_era(int era, int from, int to)
{
	return era >= from && (!to || era <= to);
}

/* The format of family for era (0: unknown, the newest that printed). */
static const struct layout_fmt *format_for(const char *family, int era)
{
	const struct layout_fmt *newest = NULL;
	for (size_t i = 0; i < NELEM(formats); i++) {
		const struct layout_fmt *f = &formats[i];
		if (strcmp(f->family, family) != 0)
			continue;
		if (era && in_era(era, f->from, f->to))
			return f;
		newest = f;
	}
	return era ? NULL : newest;
}

/* Whether line l exists in era (0: unknown, every line the family has). A
 * negative from marks a line the family never prints (riscv32). */
static bool line_in_era(const struct layout_line *l, int era)
{
	if (l->from < 0)
		return false;
	return !era || in_era(era, l->from, l->to);
}

/* ---- matching regions to lines ------------------------------------------- */

/* Whether name is one of the '|'-separated names of line l. */
static bool has_name(const struct layout_line *l, const char *name)
{
	size_t n = name ? strlen(name) : 0;
	for (const char *p = l->names; name && *p;) {
		size_t k = strcspn(p, "|");
		if (k == n && memcmp(p, name, n) == 0)
			return true;
		p += k + (p[k] == '|');
	}
	return false;
}

/*
 * pick[k] = the region line k prints, or -1: first every line takes a
 * region bearing one of its names, then the lines left take the first
 * unused region of their kind, so "memory" (a profile's name) still finds
 * the arm64 memory line and an odd name never steals a line.
 */
static void match(const struct layout_fmt *f, int era, const struct vms_region *r,
                  size_t n, long *pick, bool *used)
{
	for (size_t k = 0; k < f->nr_lines; k++) {
		pick[k] = -1;
		if (!line_in_era(&f->lines[k], era))
			continue;
		for (size_t i = 0; i < n && pick[k] < 0; i++)
			if (!used[i] && has_name(&f->lines[k], r[i].name)) {
				pick[k] = (long)i;
				used[i] = true;
			}
	}
	for (size_t k = 0; k < f->nr_lines; k++) {
		const struct layout_line *l = &f->lines[k];
		if (pick[k] >= 0 || !line_in_era(l, era) || l->kind == VMS_RK_OTHER)
			continue;
		for (size_t i = 0; i < n && pick[k] < 0; i++)
			if (!used[i] && r[i].kind == l->kind) {
				pick[k] = (long)i;
				used[i] = true;
			}
	}
}

/* ---- printing ------------------------------------------------------------- */

/* The end as printed: the last byte where the kernel prints it, except
 * the top of a 64-bit space, which the model stores as UINT64_MAX (2^64
 * does not fit) and the kernel prints as ~0UL. */
static uint64_t printed_end(const struct layout_line *l, uint64_t start, uint64_t end)
{
	if (!(l->flags & L_INCL) || end == UINT64_MAX || end <= start)
		return end;
	return end - 1;
}

/* The size and its unit as the kernel computes them from what it prints. */
static const char *size_of(unsigned rule, uint64_t span, uint64_t *v)
{
	static const struct {
		unsigned shift;
		const char *unit;
	} auto_units[] = {{40, "TB"}, {30, "GB"}, {20, "MB"}};
	switch (rule) {
	case SZ_K:
		*v = span >> 10;
		return "kB";
	case SZ_KU:
		*v = span >> 10;
		return "KB";
	case SZ_M:
		*v = span >> 20;
		return "MB";
	case SZ_G:
		*v = span >> 30;
		return "GB";
	default: /* print_ml(): the biggest unit that still shows 10 of them */
		for (size_t i = rule == SZ_AUTO32 ? 1 : 0; i < NELEM(auto_units); i++)
			if ((span >> auto_units[i].shift) >= 10) {
				*v = span >> auto_units[i].shift;
				return auto_units[i].unit;
			}
		*v = span >> 10;
		return "kB";
	}
}

static void print_line(FILE *fp, const struct layout_fmt *f, const struct layout_line *l,
                       const struct vms_region *r)
{
	uint64_t end = printed_end(l, r->start, r->end), v;
	int w = f->addr_digits;
	if (f->style == ST_STAR) {
		fprintf(fp, "  * 0x%0*" PRIx64 "..0x%0*" PRIx64 "  : %s\n", w, r->start,
		        w, end, l->prefix);
		return;
	}
	const char *unit = size_of(l->size, end - r->start, &v);
	fprintf(fp, "%s0x%0*" PRIx64 " - 0x%0*" PRIx64 "   (%*" PRIu64 " %s%s)%s\n",
	        l->prefix, w, r->start, w, end, f->size_width, v, unit,
	        l->qual ? l->qual : "", l->tail ? l->tail : "");
}

int vms_emit_layout(FILE *fp, const char *family, int major, int minor,
                    const struct vms_region *r, size_t n)
{
	int era = ERA(major, minor);
	const struct layout_fmt *f = family ? format_for(family, era) : NULL;
	if (!f)
		return -VMS_ENODATA;
	long pick[16];
	assert(f->nr_lines <= NELEM(pick));
	bool *used = vms_xcalloc(n ? n : 1, sizeof(*used));
	match(f, era, r, n, pick, used);
	free(used);
	fprintf(fp, "%s\n", f->header);
	bool last = false;
	for (size_t k = 0; k < f->nr_lines; k++) {
		bool show = pick[k] >= 0 && (!(f->lines[k].flags & L_CONT) || last);
		if (show)
			print_line(fp, f, &f->lines[k], &r[pick[k]]);
		last = show;
	}
	return ferror(fp) ? -VMS_EIO : 0;
}

/* ---- Linux version ---------------------------------------------------------- */

/* The release tag that tells the parser's arch inference (parse_ident.c)
 * this family and no other: each holds exactly one of its needles. */
static const struct {
	const char *family, *tag;
} version_tags[] = {
    {"arm32", "armv7"},   {"arm64", "arm64"},     {"x86_32", "i686"},
    {"x86_64", "x86_64"}, {"riscv32", "riscv32"}, {"riscv64", "riscv64"},
    {"ppc32", "ppc"},     {"sh", "sh4"},
};

int vms_emit_version_line(FILE *fp, int major, int minor, int patch, const char *family)
{
	const char *tag = NULL;
	for (size_t i = 0; family && i < NELEM(version_tags); i++)
		if (strcmp(version_tags[i].family, family) == 0)
			tag = version_tags[i].tag;
	fprintf(
	    fp,
	    "Linux version %d.%d.%d-%s%svmscope-sim (vmscope@sim) (gcc version 12.2.0 "
	    "(GCC)) #1 SMP Thu Jan 1 00:00:00 UTC 1970\n",
	    major, minor, patch, tag ? tag : "", tag ? "-" : "");
	return ferror(fp) ? -VMS_EIO : 0;
}
