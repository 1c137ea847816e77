/*
 * test_parse_log.c — the boot/console log parser (parse_log.c,
 * parse_layout.c, parse_failure.c), driven line by line the way the parse
 * driver does: strip, skip recognised noise, offer the rest. Table-driven
 * cases per log form (params hold char arrays only: Criterion copies them
 * into a forked child, where pointers would dangle), one
 * defect per fixture in tests/data/log-*.txt, and whole-file checks on the
 * real samples with numbers read off the files.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_lines.h"
#include "parse_log.h"

/* ---- a miniature driver ----------------------------------------------------- */

enum { NOT_CLAIMED = -1, NOISE = -2 };

struct logrun {
	struct vms_dump *d;
	struct vms_logparser *p;
	struct vms_prep prep; /* the driver's line preparer */
	uint32_t no;
	int last;         /* class of the last line, NOT_CLAIMED or NOISE */
	uint32_t claimed; /* lines claimed */
};

static void run_begin(struct logrun *r)
{
	memset(r, 0, sizeof(*r));
	vms_lines_init();
	r->d = vms_dump_new("test");
	r->p = vms_logparser_new(r->d);
}

static void run_end(struct logrun *r)
{
	vms_prep_free(&r->prep);
	vms_logparser_free(r->p);
	vms_dump_free(r->d);
}

/* Offers one record; returns its class, NOT_CLAIMED or NOISE. */
static int run_record(struct logrun *r, const struct vms_line *ln)
{
	bool range = ln->text[0] == '0' && ln->text[1] == 'x';
	if (!range && vms_line_noise(ln) >= 0)
		return NOISE;
	enum vms_line_class cls;
	return vms_logparser_line(r->p, ln, &cls) ? (int)cls : NOT_CLAIMED;
}

/* Offers one line, record by record, through the driver's line preparer;
 * the copy is freed at once, so the parser must not keep pointers into it
 * (ASan checks that). The line's class is its worst claimed record's. */
static int run_line(struct logrun *r, const char *raw, size_t n)
{
	char *copy = malloc(n + 1);
	memcpy(copy, raw, n);
	while (n && (copy[n - 1] == '\r' || copy[n - 1] == ' ' || copy[n - 1] == '\t'))
		n--;
	copy[n] = '\0';
	unsigned ents;
	struct vms_line ln;
	int c = NOISE;
	vms_prep_line(&r->prep, copy, n, ++r->no, &ents);
	while (vms_prep_next(&r->prep, &ln)) {
		int k = run_record(r, &ln);
		if (k >= 0 ? c < 0 || k > c : c == NOISE)
			c = k; /* claimed beats not claimed beats noise */
	}
	r->claimed += c >= 0;
	r->last = c;
	free(copy);
	return c;
}

static void run_text(struct logrun *r, const char *text)
{
	const char *s = text;
	for (;;) {
		const char *nl = strchr(s, '\n');
		run_line(r, s, nl ? (size_t)(nl - s) : strlen(s));
		if (!nl)
			break;
		s = nl + 1;
	}
}

static void run_file(struct logrun *r, const char *path)
{
	FILE *fp = fopen(path, "rb");
	cr_assert_not_null(fp, "cannot open %s", path);
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&buf, &cap, fp)) >= 0)
		run_line(r, buf, n && buf[n - 1] == '\n' ? (size_t)n - 1 : (size_t)n);
	free(buf);
	fclose(fp);
	vms_logparser_finish(r->p);
}

static const struct vms_diag *find_diag(const struct vms_dump *d, const char *code)
{
	for (size_t i = 0; i < d->diags.n; i++)
		if (strcmp(d->diags.v[i].code, code) == 0)
			return &d->diags.v[i];
	return NULL;
}

static size_t count_diags(const struct vms_dump *d, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < d->diags.n; i++)
		n += strcmp(d->diags.v[i].code, code) == 0;
	return n;
}

static const struct vms_repair *find_repair(const struct vms_dump *d, const char *code)
{
	for (size_t i = 0; i < d->repairs.n; i++)
		if (strcmp(d->repairs.v[i].code, code) == 0)
			return &d->repairs.v[i];
	return NULL;
}

/* ---- layout lines ----------------------------------------------------------- */

struct layout_case {
	char lines[240]; /* header and lines; the last line's region is checked */
	char name[24];
	uint64_t start, end;
	uint64_t printed;
	char unit[4];
	bool inclusive;
	char label[24];
	uint8_t style;
	char diag[32]; /* expected diagnostic code, or "" for none */
};

#define ARM_HDR "Virtual kernel memory layout:\n"
#define X86_HDR "virtual kernel memory layout:\n"
#define PPC_HDR "Kernel virtual memory layout:\n"

static struct layout_case layout_cases[] = {
    {ARM_HDR "    vmalloc : 0xf0000000 - 0xff000000   ( 240 MB)", "vmalloc", 0xf0000000,
     0xff000000, 240, "MB", false, "", VMS_LAYOUT_ARM32, ""},
    {ARM_HDR "    DMA     : 0xffc00000 - 0xffe00000   (   2 MB)", "DMA", 0xffc00000,
     0xffe00000, 2, "MB", false, "", VMS_LAYOUT_ARM32, ""},
    {ARM_HDR "    DTCM    : 0xfffe8000 - 0xfffec000   (  16 kB)", "DTCM", 0xfffe8000,
     0xfffec000, 16, "kB", false, "", VMS_LAYOUT_ARM32, ""},
    {ARM_HDR "      .init : 0xc08d2000 - 0xc0924ec0   ( 332 kB)", ".init", 0xc08d2000,
     0xc0924ec0, 332, "kB", false, "", VMS_LAYOUT_ARM32, ""},
    {ARM_HDR "       .bss : 0xc09968ac - 0xc0ac9e80   (1230 kB)", ".bss", 0xc09968ac,
     0xc0ac9e80, 1230, "kB", false, "", VMS_LAYOUT_ARM32, ""},
    {ARM_HDR "vector: 0xffff0000 - 0xffff1000 (4 kB)", "vector", 0xffff0000, 0xffff1000,
     4, "kB", false, "", VMS_LAYOUT_ARM32, ""},
    {ARM_HDR "\xc2\xa0\xc2\xa0 lowmem\xc2\xa0 : 0xc0000000 - 0xc8000000\xc2\xa0 \xc2\xa0 "
             "( 128 MB)",
     "lowmem", 0xc0000000, 0xc8000000, 128, "MB", false, "", VMS_LAYOUT_ARM32, ""},
    {ARM_HDR "    timers  : 0xfff00000 - 0xfff01000   (   4 kB)", "timers", 0xfff00000,
     0xfff01000, 4, "kB", false, "", VMS_LAYOUT_ARM32, ""},
    {ARM_HDR "    vmalloc : 0xf0000000 - 0xff000000   ( 250 MB)", "vmalloc", 0xf0000000,
     0xff000000, 250, "MB", false, "", VMS_LAYOUT_ARM32, "layout-size-mismatch"},
    {X86_HDR "  cpu_entry : 0xff800000 - 0xffc00000   (4096 kB)", "cpu_entry", 0xff800000,
     0xffc00000, 4096, "kB", false, "", VMS_LAYOUT_X86_32, ""},
    {X86_HDR "    pkmap   : 0xff400000 - 0xff600000   (2048 kB)", "pkmap", 0xff400000,
     0xff600000, 2048, "kB", false, "", VMS_LAYOUT_X86_32, ""},
    {ARM_HDR "    vmalloc : 0xffffff8000000000 - 0xffffffbdffff0000   (   247 GB)",
     "vmalloc", 0xffffff8000000000, 0xffffffbdffff0000, 247, "GB", false, "",
     VMS_LAYOUT_ARM64, ""},
    {ARM_HDR "    fixed   : 0xffffffbffbdfe000 - 0xffffffbffbdff000   (     4 KB)",
     "fixmap", 0xffffffbffbdfe000, 0xffffffbffbdff000, 4, "KB", false, "fixed",
     VMS_LAYOUT_ARM64, ""},
    {ARM_HDR "    memory  : 0xffff800000000000 - 0xffff800080000000   (  2048 MB)",
     "lowmem", 0xffff800000000000, 0xffff800080000000, 2048, "MB", false, "memory",
     VMS_LAYOUT_ARM64, ""},
    {ARM_HDR "    PCI I/O : 0xffff7dfffee00000 - 0xffff7dffffe00000   (    16 MB)",
     "PCI I/O", 0xffff7dfffee00000, 0xffff7dffffe00000, 16, "MB", false, "",
     VMS_LAYOUT_ARM64, ""},
    {ARM_HDR "    kasan   : 0xffff000000000000 - 0xffff200000000000   ( 32768 GB)",
     "kasan", 0xffff000000000000, 0xffff200000000000, 32768, "GB", false, "",
     VMS_LAYOUT_ARM64, ""},
    {ARM_HDR
     "    vmemmap : 0xffff7e0000000000 - 0xffff800000000000   (  2048 GB maximum)\n"
     "              0xffff7e0000000000 - 0xffff7e0002000000   (    32 MB actual)",
     "vmemmap-actual", 0xffff7e0000000000, 0xffff7e0002000000, 32, "MB", false, "",
     VMS_LAYOUT_ARM64, ""},
    {ARM_HDR
     "    vmemmap : 0xffff7e0000000000 - 0xffff800000000000   (  2048 GB maximum)",
     "vmemmap", 0xffff7e0000000000, 0xffff800000000000, 2048, "GB", false, "",
     VMS_LAYOUT_ARM64, ""},
    {ARM_HDR "      pci io : 0x9e000000 - 0x9f000000   (  16 MB)", "PCI I/O", 0x9e000000,
     0x9f000000, 16, "MB", false, "pci io", VMS_LAYOUT_RISCV, ""},
    {ARM_HDR "      pci io : 0x9e000000 - 0x9f000000   (  16 MB)\n"
             "     vmalloc : 0xa0000000 - 0xbfffffff   ( 511 MB)",
     "vmalloc", 0xa0000000, 0xc0000000, 511, "MB", true, "", VMS_LAYOUT_RISCV, ""},
    {ARM_HDR "      pci io : 0xffffffceff000000 - 0xffffffcf00000000   (  16 MB)\n"
             "      kernel : 0xffffffff80000000 - 0xffffffffffffffff   (2047 MB)",
     "kernel", 0xffffffff80000000, UINT64_MAX, 2047, "MB", true, "", VMS_LAYOUT_RISCV,
     ""},
    {ARM_HDR "      pci io : 0x9e000000 - 0x9f000000   (  16 MB)\n"
             "      lowmem : 0xc0000000 - 0xc3c00000   (  60 MB)",
     "lowmem", 0xc0000000, 0xc3c00000, 60, "MB", false, "", VMS_LAYOUT_RISCV, ""},
    {PPC_HDR "  * 0xe9000000..0xff115000  : vmalloc & ioremap", "vmalloc", 0xe9000000,
     0xff115000, 0, "", false, "vmalloc & ioremap", VMS_LAYOUT_PPC32, ""},
    {PPC_HDR "  * 0xff400000..0xff800000  : highmem PTEs", "pkmap", 0xff400000,
     0xff800000, 0, "", false, "highmem PTEs", VMS_LAYOUT_PPC32, ""},
    {PPC_HDR "  * 0xff115000..0xff400000  : early ioremap", "early ioremap", 0xff115000,
     0xff400000, 0, "", false, "", VMS_LAYOUT_PPC32, ""},
    {PPC_HDR "  * 0xf8000000..0xfc000000  : kasan shadow mem", "kasan", 0xf8000000,
     0xfc000000, 0, "", false, "kasan shadow mem", VMS_LAYOUT_PPC32, ""},
    {PPC_HDR "  * 0xb0000000..0xc0000000  : modules", "modules", 0xb0000000, 0xc0000000,
     0, "", false, "", VMS_LAYOUT_PPC32, ""},
    {X86_HDR "    lowmem  : 0x8c000000 - 0x8d000000   (  16 MB) (cached)\n"
             "            : 0xa0000000 - 0xc0000000   ( 512 MB) (uncached)",
     "lowmem-uncached", 0xa0000000, 0xc0000000, 512, "MB", false, "", VMS_LAYOUT_SH, ""},
    {X86_HDR "    lowmem  : 0x8c000000 - 0x8d000000   (  16 MB) (cached)", "lowmem",
     0x8c000000, 0x8d000000, 16, "MB", false, "", VMS_LAYOUT_SH, ""},
    {"<5>[    0.000000] Virtual kernel memory layout:\n"
     "<5>[    0.000000]     vmalloc : 0xd0800000 - 0xff000000   ( 744 MB)",
     "vmalloc", 0xd0800000, 0xff000000, 744, "MB", false, "", VMS_LAYOUT_ARM32, ""},
    {"[    0.000000] Virtual kernel memory layout:\n"
     "                   vmalloc : 0xf0000000 - 0xff000000   ( 240 MB)",
     "vmalloc", 0xf0000000, 0xff000000, 240, "MB", false, "", VMS_LAYOUT_ARM32, ""},
};

ParameterizedTestParameters(parse_log, reads_every_layout_line_form)
{
	return cr_make_param_array(struct layout_case, layout_cases,
	                           sizeof(layout_cases) / sizeof(layout_cases[0]));
}

ParameterizedTest(struct layout_case *c, parse_log, reads_every_layout_line_form)
{
	struct logrun r;
	run_begin(&r);
	run_text(&r, c->lines);
	vms_logparser_finish(r.p);
	const struct vms_bootlog *log = r.d->log;
	cr_assert_eq(r.claimed, r.no, "%s: %u of %u lines claimed", c->lines, r.claimed,
	             r.no);
	cr_assert_geq(log->regions.n, 1);
	const struct vms_region *g = &log->regions.v[log->regions.n - 1];
	cr_assert_str_eq(g->name, c->name);
	cr_assert_eq(g->start, c->start, "%s: start %#llx", c->name,
	             (unsigned long long)g->start);
	cr_assert_eq(g->end, c->end, "%s: end %#llx", c->name,
	             (unsigned long long)g->end);
	cr_assert_eq(g->has_printed, c->unit[0] != '\0');
	cr_assert_eq(g->printed, c->printed);
	cr_assert_str_eq(g->printed_unit, c->unit);
	cr_assert_eq(g->end_inclusive, c->inclusive);
	cr_assert_str_eq(g->label ? g->label : "", c->label);
	cr_assert_eq(log->layout_style, c->style, "style %u", log->layout_style);
	cr_assert_eq(g->line, r.no);
	cr_assert_eq(vms_bootlog_region(log, c->name),
	             &log->regions.v[log->regions.n - 1]);
	if (c->diag[0]) {
		cr_assert_not_null(find_diag(r.d, c->diag), "expected %s", c->diag);
		cr_assert_eq(r.last, VMS_LINE_DIAGNOSTIC);
	} else {
		cr_assert_eq(r.d->diags.n, 0, "unexpected %s", r.d->diags.v[0].code);
		cr_assert_eq(r.last, VMS_LINE_PARSED);
	}
	run_end(&r);
}

/* ---- command lines ---------------------------------------------------------- */

struct cmdline_case {
	char lines[320];
	char text[200];
	bool uboot;
	bool has_vmalloc;
	uint64_t vmalloc;
	char vmalloc_text[16];
	bool has_mem;
	uint64_t mem;
	char cma[16];
	int cls; /* class of the last line */
};

static struct cmdline_case cmdline_cases[] = {
    {"[    0.000000] Kernel command line: console=ttyS0 vmalloc=300M root=/dev/sda1",
     "console=ttyS0 vmalloc=300M root=/dev/sda1", false, true, 300u << 20, "300M", false,
     0, "", VMS_LINE_PARSED},
    {"Command line: BOOT_IMAGE=/vmlinuz root=/dev/sda1 mem=4G",
     "BOOT_IMAGE=/vmlinuz root=/dev/sda1 mem=4G", false, false, 0, "", true, 4ull << 30,
     "", VMS_LINE_PARSED},
    {"mmc dev 1;ext2load mmc 1:2 0x400000 /boot/ulmage;setenv bootargs \\$bootargs "
     "root=/dev/mmcblk1p2 rootwait vmalloc=300M;bootm 0x400000 - 0xf00000",
     "\\$bootargs root=/dev/mmcblk1p2 rootwait vmalloc=300M", true, true, 300u << 20,
     "300M", false, 0, "", VMS_LINE_PARSED},
    {"=> setenv bootargs \"root=/dev/ram rw console=ttySIF0 vmalloc=256m\"",
     "root=/dev/ram rw console=ttySIF0 vmalloc=256m", true, true, 256u << 20, "256m",
     false, 0, "", VMS_LINE_PARSED},
    {"bootargs=console=ttyS0 vmalloc=0x10000000 cma=64M",
     "console=ttyS0 vmalloc=0x10000000 cma=64M", true, true, 0x10000000, "0x10000000",
     false, 0, "64M", VMS_LINE_PARSED},
    {"Kernel command line: vmalloc=100M vmalloc=200M", "vmalloc=100M vmalloc=200M", false,
     true, 200u << 20, "200M", false, 0, "", VMS_LINE_PARSED},
    {"Kernel command line: root=/dev/hda2 mem=128m@0xc0000000 cma=16M@0x0",
     "root=/dev/hda2 mem=128m@0xc0000000 cma=16M@0x0", false, false, 0, "", true,
     128u << 20, "16M@0x0", VMS_LINE_PARSED},
    {"Kernel command line: ro root=/dev/sda5 zswap.max_pool_percent=16\n"
     "zswap.zpool=z3fold slub_debug=FZP page_poison=1\n"
     "netconsole=6666@192.168.2.5/eth0,6666@192.168.2.2/70:85:C2:30:EC:01",
     "ro root=/dev/sda5 zswap.max_pool_percent=16 zswap.zpool=z3fold slub_debug=FZP "
     "page_poison=1 netconsole=6666@192.168.2.5/eth0,6666@192.168.2.2/70:85:C2:30:EC:01",
     false, false, 0, "", false, 0, "", VMS_LINE_REPAIRED},
    {"Kernel command line: console=ttyS0 vmalloc=lots", "console=ttyS0 vmalloc=lots",
     false, false, 0, "", false, 0, "", VMS_LINE_DIAGNOSTIC},
    {"Kernel command line: console=ttyS0\n[    0.000000] quiet=1 ro", "console=ttyS0",
     false, false, 0, "", false, 0, "", NOT_CLAIMED},
    {"Kernel command line: console=ttyS0\nPID hash table entries: 512 (order: -1, 2048 "
     "bytes)",
     "console=ttyS0", false, false, 0, "", false, 0, "", NOT_CLAIMED},
    {"Kernel command line: console=ttyS0\n0xf0000000-0xf0002000 8192 vmalloc pages=1",
     "console=ttyS0", false, false, 0, "", false, 0, "", NOT_CLAIMED},
    {"Kernel command line: console=ttyS0\n  indented=1", "console=ttyS0", false, false, 0,
     "", false, 0, "", NOT_CLAIMED},
};

ParameterizedTestParameters(parse_log, reads_command_lines)
{
	return cr_make_param_array(struct cmdline_case, cmdline_cases,
	                           sizeof(cmdline_cases) / sizeof(cmdline_cases[0]));
}

ParameterizedTest(struct cmdline_case *c, parse_log, reads_command_lines)
{
	struct logrun r;
	run_begin(&r);
	run_text(&r, c->lines);
	int last = r.last;
	vms_logparser_finish(r.p);
	const struct vms_cmdline *cl = &r.d->log->cmdline;
	cr_assert(r.d->log->has_cmdline);
	cr_assert_str_eq(cl->text, c->text);
	cr_assert_eq(cl->from_uboot, c->uboot);
	cr_assert_eq(cl->has_vmalloc, c->has_vmalloc);
	cr_assert_eq(cl->vmalloc, c->vmalloc);
	cr_assert_str_eq(cl->vmalloc_text ? cl->vmalloc_text : "", c->vmalloc_text);
	cr_assert_eq(cl->has_mem, c->has_mem);
	cr_assert_eq(cl->mem, c->mem);
	cr_assert_str_eq(cl->cma_text ? cl->cma_text : "", c->cma);
	cr_assert_eq(cl->line, 1);
	cr_assert_eq(last, c->cls, "last line class %d", last);
	if (c->cls == VMS_LINE_REPAIRED)
		cr_assert_not_null(find_repair(r.d, "cmdline-joined"));
	if (c->cls == VMS_LINE_DIAGNOSTIC)
		cr_assert_not_null(find_diag(r.d, "cmdline-bad-size"));
	run_end(&r);
}

/* ---- Linux version and Memory: -------------------------------------------- */

struct version_case {
	char lines[300];
	char version[48];
	int major, minor, patch;
	char compiler[120];
	char arch[12];
};

static struct version_case version_cases[] = {
    {"[    0.000000] Linux version 4.4.9-v7+ (dc4@dc4-XPS13-9333) (gcc version 4.9.3 "
     "(crosstool-NG crosstool-ng-1.22.0-88-g8460611) ) #884 SMP Fri May 6 17:28:59 BST "
     "2016",
     "4.4.9-v7+", 4, 4, 9,
     "gcc version 4.9.3 (crosstool-NG crosstool-ng-1.22.0-88-g8460611)", "arm32"},
    {"Linux version 2.6.32.43-0.4.1.xs1.8.0.835.170778xen (geeko@buildhost) (gcc version "
     "4.1.2 20080704 (Red Hat 4.1.2-51)) #1 SMP Wed May 29 18:06:30 EDT 2013",
     "2.6.32.43-0.4.1.xs1.8.0.835.170778xen", 2, 6, 32,
     "gcc version 4.1.2 20080704 (Red Hat 4.1.2-51)", ""},
    /* a riscv64 toolchain builds riscv32 kernels too (the riscv32 sample's
     * series was built with both): alone it names no arch */
    {"Linux version 5.16.0-rc6-00017-g750f87086bdd-dirty (guoren@guoren-Z87-HD3) "
     "(riscv64-unknown-linux-gnu-gcc (GCC) 10.2.0, GNU ld (GNU Binutils) 2.37) #96 SMP",
     "5.16.0-rc6-00017-g750f87086bdd-dirty", 5, 16, 0,
     "riscv64-unknown-linux-gnu-gcc (GCC) 10.2.0, GNU ld (GNU Binutils) 2.37", ""},
    {"Linux version 7.1.3 (root@36e03078f113) (sh4-linux-gcc (GCC) 15.2.0, GNU ld (GNU "
     "Binutils) 2.45.1) #7 PREEMPT Sun Jul  5 08:49:31 UTC 2026",
     "7.1.3", 7, 1, 3, "sh4-linux-gcc (GCC) 15.2.0, GNU ld (GNU Binutils) 2.45.1", "sh"},
    {"Linux version 4.9.210 (stefan@spnub1804work) (gcc version 7.4.0\n"
     "(Ubuntu/Linaro 7.4.0-1ubuntu1~18.04.1) ) #2 Tue Jan 21 09:37:28 UTC 2020",
     "4.9.210", 4, 9, 210, "gcc version 7.4.0 (Ubuntu/Linaro 7.4.0-1ubuntu1~18.04.1)",
     ""},
    {"Linux version 5.4.24 (vrsana@c-vsana-linux1) (gcc version 7.5.0)", "5.4.24", 5, 4,
     24, "gcc version 7.5.0", ""},
    {"Linux version 6.2.0-1003-nvidia-64k (buildd@bos02-arm64-001) "
     "(aarch64-linux-gnu-gcc-11 "
     "(Ubuntu 11.3.0-1ubuntu1~22.04) 11.3.0, GNU ld 2.38) #3-Ubuntu SMP",
     "6.2.0-1003-nvidia-64k", 6, 2, 0,
     "aarch64-linux-gnu-gcc-11 (Ubuntu 11.3.0-1ubuntu1~22.04) 11.3.0, GNU ld 2.38",
     "arm64"},
    {"Linux version 4.18.0-80.11.2.el8_0.x86_64 (mockbuild@x86-vm-08) (gcc version "
     "8.2.1)",
     "4.18.0-80.11.2.el8_0.x86_64", 4, 18, 0, "gcc version 8.2.1", "x86_64"},
};

ParameterizedTestParameters(parse_log, reads_linux_version_lines)
{
	return cr_make_param_array(struct version_case, version_cases,
	                           sizeof(version_cases) / sizeof(version_cases[0]));
}

ParameterizedTest(struct version_case *c, parse_log, reads_linux_version_lines)
{
	struct logrun r;
	run_begin(&r);
	run_text(&r, c->lines);
	vms_logparser_finish(r.p);
	const struct vms_bootlog *log = r.d->log;
	cr_assert_eq(r.claimed, r.no);
	cr_assert_str_eq(log->version_text, c->version);
	cr_assert_eq(log->kernel_major, c->major);
	cr_assert_eq(log->kernel_minor, c->minor);
	cr_assert_eq(log->kernel_patch, c->patch);
	cr_assert_str_eq(log->compiler_text ? log->compiler_text : "", c->compiler);
	cr_assert_str_eq(log->arch_hint ? log->arch_hint : "", c->arch);
	cr_assert_eq(log->version_line, 1);
	if (r.no > 1)
		cr_assert_not_null(find_repair(r.d, "version-joined"));
	run_end(&r);
}

struct memory_case {
	char lines[300];
	uint64_t total_kb;
	uint32_t claimed;
};

static struct memory_case memory_cases[] = {
    {"<4>[    0.000000] Memory: 150412K/256000K available (7276K kernel code, 813K "
     "rwdata, "
     "3116K rodata, 284K init, 1145K bss, 105588K reserved)",
     256000, 1},
    {"Memory: 512MB = 512MB total\nMemory: 371664k/371664k available, 152624k reserved, "
     "0K "
     "highmem",
     512 * 1024, 2},
    {"Memory: 64MB 16MB 747MB = 827MB total", 827 * 1024, 1},
    {"[    0.000000] Memory: 902460K/922624K available (6391K kernel code, 295K\n"
     "rwdata, 1908K rodata, 1024K init, 233K bss, 20164K reserved, 0K\n"
     "cma-reserved, 0K highmem)\n"
     "[    0.000000] Virtual kernel memory layout:",
     922624, 4},
    {"Memory: 614664K/2097152K available (8828K kernel code, 488K rwdata, 1664K\n"
     "rodata, 1316K init, 381K bss, 1482488K reserved, 0K cma-reserved, 0K highmem)\n"
     "Some other line (unrelated)",
     2097152, 2},
    {"maple (null): detected Visual Memory: function 0xE: at (3, 1)", 0, 0},
    {"Memory policy: Data cache writeback", 0, 0},
};

ParameterizedTestParameters(parse_log, reads_memory_lines)
{
	return cr_make_param_array(struct memory_case, memory_cases,
	                           sizeof(memory_cases) / sizeof(memory_cases[0]));
}

ParameterizedTest(struct memory_case *c, parse_log, reads_memory_lines)
{
	struct logrun r;
	run_begin(&r);
	run_text(&r, c->lines);
	vms_logparser_finish(r.p);
	cr_assert_eq(r.d->log->memory_total_kb, c->total_kb);
	cr_assert_eq(r.claimed, c->claimed, "claimed %u", r.claimed);
	cr_assert_eq(r.d->log->memory_text == NULL, c->claimed == 0);
	run_end(&r);
}

/* ---- failures --------------------------------------------------------------- */

struct failure_case {
	char lines[700];
	unsigned nr_failures;
	uint8_t kind; /* of the first failure */
	uint64_t size;
	bool has_range;
	uint64_t vstart, vend;
	unsigned nr_callers;
	char first[40], last[40];
	uint32_t claimed;
};

static struct failure_case failure_cases[] = {
    {"vmap allocation for size 393216 failed: use vmalloc=<size> to increase size", 1,
     VMS_FAIL_VMAP, 393216, false, 0, 0, 0, "", "", 1},
    {"vmap allocation for size 8392704 failed: use vmalloc=<size> to increase size.", 1,
     VMS_FAIL_VMAP, 8392704, false, 0, 0, 0, "", "", 1},
    {"vmap allocation failed: use vmalloc=<size> to increase size.", 1, VMS_FAIL_VMAP, 0,
     false, 0, 0, 0, "", "", 1},
    {"vmalloc_node_range for size 33558528 failed: Address range restricted to "
     "0xf1000000 - "
     "0xf5110000",
     1, VMS_FAIL_NODE_RANGE, 33558528, true, 0xf1000000, 0xf5110000, 0, "", "", 1},
    {"insmod: vmalloc error: size 327680, vm_struct allocation failed, "
     "mode:0xcc0(GFP_KERNEL)",
     1, VMS_FAIL_VMALLOC_ERROR, 327680, false, 0, 0, 0, "", "", 1},
    {"vmalloc error: size 4096, failed to map pages", 1, VMS_FAIL_VMALLOC_ERROR, 4096,
     false, 0, 0, 0, "", "", 1},
    {"insmod: vmalloc: allocation failure: 8388608 bytes, mode:0x24000c2", 1,
     VMS_FAIL_ALLOCATION, 8388608, false, 0, 0, 0, "", "", 1},
    {"vmalloc: allocation failure, allocated 4096 of 8192 bytes", 1, VMS_FAIL_ALLOCATION,
     8192, false, 0, 0, 0, "", "", 1},
    {"vmap allocation for size 393216 failed: use vmalloc=<size> to increase size\n"
     "systemd-udevd: vmalloc error: size 327680, vm_struct allocation failed\n"
     "CPU: 32 PID: 2910 Comm: systemd-udevd Tainted: G OE 6.2-generic-64k\n"
     "Hardware name: NVIDIA T241\n"
     "Call trace:\n"
     " dump_backtrace+0xe0/0x130\n"
     " warn_alloc+0x11c/0x1b0\n"
     " module_alloc+0x118/0x160\n"
     "Unrelated line after the trace",
     2, VMS_FAIL_VMAP, 393216, false, 0, 0, 3, "dump_backtrace", "module_alloc", 8},
    {"vmap allocation for size 8192 failed: use vmalloc=<size> to increase size\n"
     "Call Trace:\n"
     " [<ffffffff8108e8b5>] dump_stack+0x19/0x1b\n"
     " [<ffffffff81176a5e>] ? printk+0x10/0x12\n"
     " [<ffffffff81176a6e>] warn_alloc+0x10/0x12 [mymod]\n"
     "---[ end trace 0123456789abcdef ]---\n"
     " dump_stack+0x19/0x1b",
     1, VMS_FAIL_VMAP, 8192, false, 0, 0, 2, "dump_stack", "warn_alloc", 6},
    {"vmap allocation for size 99999999999999999999999 failed: use vmalloc=<size>", 1,
     VMS_FAIL_VMAP, 0, false, 0, 0, 0, "", "", 1},
    {"vmalloc_node_range for size 8192 failed: Address range restricted to "
     "0x1ffffffffffffffff - 0x2",
     1, VMS_FAIL_NODE_RANGE, 8192, false, 0, 0, 0, "", "", 1},
    {"Call trace:\n dump_backtrace+0xe0/0x130", 0, 0, 0, false, 0, 0, 0, "", "", 0},
};

ParameterizedTestParameters(parse_log, reads_failures_and_their_traces)
{
	return cr_make_param_array(struct failure_case, failure_cases,
	                           sizeof(failure_cases) / sizeof(failure_cases[0]));
}

ParameterizedTest(struct failure_case *c, parse_log, reads_failures_and_their_traces)
{
	struct logrun r;
	run_begin(&r);
	run_text(&r, c->lines);
	vms_logparser_finish(r.p);
	const struct vms_bootlog *log = r.d->log;
	cr_assert_eq(log->failures.n, c->nr_failures);
	cr_assert_eq(r.claimed, c->claimed, "claimed %u", r.claimed);
	if (!c->nr_failures) {
		run_end(&r);
		return;
	}
	const struct vms_failure *f = &log->failures.v[0];
	cr_assert_eq(f->kind, c->kind);
	cr_assert_eq(f->size, c->size);
	cr_assert_eq(f->has_range, c->has_range);
	cr_assert_eq(f->vstart, c->has_range ? c->vstart : f->vstart);
	cr_assert_eq(f->vend, c->has_range ? c->vend : f->vend);
	cr_assert_eq(f->line, 1);
	cr_assert_not_null(f->text);
	for (size_t i = 0; i < log->failures.n; i++)
		cr_assert_eq(log->failures.v[i].nr_callers, c->nr_callers);
	if (c->nr_callers) {
		cr_assert_str_eq(f->callers[0], c->first);
		cr_assert_str_eq(f->callers[f->nr_callers - 1], c->last);
	}
	run_end(&r);
}

/* ---- fixtures: one defect or form per file -------------------------------- */

Test(parse_log, splits_a_layout_block_pasted_on_one_line_with_escaped_newlines)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "tests/data/log-escaped-oneline.txt");
	const struct vms_bootlog *log = r.d->log;
	cr_assert_eq(log->regions.n, 6);
	const struct vms_region *v = vms_bootlog_region(log, "vmalloc");
	cr_assert_not_null(v);
	cr_assert_eq(v->start, 0xf0800000);
	cr_assert_eq(v->end, 0xff800000);
	cr_assert_eq(v->line, 2);
	const struct vms_repair *rp = find_repair(r.d, "layout-unescaped");
	cr_assert_not_null(rp);
	cr_assert_eq(rp->line, 2);
	cr_assert_eq(log->layout_line, 2);
	cr_assert_eq(log->memory_total_kb, 1048576);
	cr_assert_eq(r.d->diags.n, 0);
	run_end(&r);
}

Test(parse_log, splits_an_rsyslog_escaped_block_behind_a_syslog_prefix)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "tests/data/log-escaped-rsyslog.txt");
	const struct vms_region *v = vms_bootlog_region(r.d->log, "vmalloc");
	cr_assert_not_null(v);
	cr_assert_eq(v->start, 0xe0800000);
	cr_assert_eq(v->end, 0xff000000);
	cr_assert_eq(r.d->log->regions.n, 3);
	cr_assert_eq(r.claimed, 1);
	run_end(&r);
}

Test(parse_log, tolerates_hand_notes_inside_a_block_but_leaves_them_unclaimed)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "tests/data/log-handnote-in-block.txt");
	const struct vms_bootlog *log = r.d->log;
	cr_assert_eq(log->regions.n, 4, "regions %zu", log->regions.n);
	cr_assert_not_null(vms_bootlog_region(log, "lowmem"));
	/* the SLUB line ends the block: modules after it is not part of it */
	cr_assert_null(vms_bootlog_region(log, "modules"));
	cr_assert_eq(r.claimed, 5); /* header + 4 regions; the note is left as prose */
	run_end(&r);
}

Test(parse_log, warns_when_a_printed_size_disagrees_with_the_range)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "tests/data/log-size-mismatch.txt");
	const struct vms_diag *g = find_diag(r.d, "layout-size-mismatch");
	cr_assert_not_null(g);
	cr_assert_eq(g->line, 3);
	cr_assert_eq(g->severity, VMS_SEV_WARNING);
	cr_assert_eq(g->col, 20);
	cr_assert_eq(r.d->diags.n, 1);
	cr_assert_eq(vms_bootlog_region(r.d->log, "vmalloc")->printed, 250);
	run_end(&r);
}

Test(parse_log, reports_reversed_overflowing_and_oversized_layout_values)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "tests/data/log-layout-bad-values.txt");
	const struct vms_bootlog *log = r.d->log;
	cr_assert_not_null(find_diag(r.d, "layout-reversed-range"));
	cr_assert_not_null(find_diag(r.d, "layout-bad-address"));
	cr_assert_not_null(find_diag(r.d, "layout-bad-size"));
	cr_assert_null(vms_bootlog_region(log, "vmalloc"));
	cr_assert_null(vms_bootlog_region(log, "lowmem"));
	const struct vms_region *m = vms_bootlog_region(log, "modules");
	cr_assert_not_null(m);
	cr_assert_not(m->has_printed);
	cr_assert_eq(vms_dump_nr_errors(r.d), 2);
	/* overflow messages name the number and the limit it broke */
	const char *msg = find_diag(r.d, "layout-bad-address")->message;
	cr_assert_not_null(strstr(msg, "end address 0x1ef80000000000000"), "%s", msg);
	cr_assert_not_null(strstr(msg, "0xffffffffffffffff"), "%s", msg);
	msg = find_diag(r.d, "layout-bad-size")->message;
	cr_assert_not_null(strstr(msg, "modules (99999999999999999999999 MB)"), "%s",
	                   msg);
	cr_assert_not_null(strstr(msg, "18446744073709551615"), "%s", msg);
	run_end(&r);
}

Test(parse_log, failure_overflow_messages_name_the_limit)
{
	struct logrun r;
	run_begin(&r);
	run_text(&r,
	         "vmap allocation for size 99999999999999999999999 failed: use "
	         "vmalloc=<size>\n"
	         "vmalloc_node_range for size 8192 failed: Address range restricted to "
	         "0x1ffffffffffffffff - 0x2");
	vms_logparser_finish(r.p);
	const struct vms_diag *g = find_diag(r.d, "failure-bad-size");
	cr_assert_not_null(g);
	cr_assert_eq(g->col, 26); /* the digits */
	cr_assert_not_null(strstr(g->message, "18446744073709551615 bytes"), "%s",
	                   g->message);
	g = find_diag(r.d, "failure-bad-range");
	cr_assert_not_null(g);
	cr_assert_not_null(strstr(g->message, "0xffffffffffffffff"), "%s", g->message);
	run_end(&r);
}

Test(parse_log, skips_hashed_ptrval_sections_with_a_note)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "tests/data/log-layout-ptrval.txt");
	cr_assert_eq(r.d->log->regions.n, 5);
	cr_assert_null(vms_bootlog_region(r.d->log, ".text"));
	const struct vms_diag *g = find_diag(r.d, "layout-ptrval");
	cr_assert_not_null(g);
	cr_assert_eq(g->severity, VMS_SEV_NOTE);
	cr_assert_eq(r.claimed, r.no);
	run_end(&r);
}

Test(parse_log, accepts_known_region_lines_without_a_header)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "tests/data/log-headerless-layout.txt");
	const struct vms_bootlog *log = r.d->log;
	cr_assert_eq(log->regions.n, 2);
	cr_assert_eq(log->layout_line, 0);
	cr_assert_eq(vms_bootlog_region(log, "vmalloc")->start, 0xf0000000);
	cr_assert_eq(log->layout_style, VMS_LAYOUT_ARM32);
	cr_assert_eq(r.claimed, 2);
	run_end(&r);
}

Test(parse_log, a_second_layout_block_replaces_the_first)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "tests/data/log-layout-repeated.txt");
	const struct vms_bootlog *log = r.d->log;
	cr_assert_eq(log->regions.n, 2);
	cr_assert_eq(log->layout_line, 4);
	cr_assert_eq(vms_bootlog_region(log, "vmalloc")->start, 0xec800000);
	cr_assert_not_null(find_diag(r.d, "layout-repeated"));
	run_end(&r);
}

Test(parse_log, joins_a_command_line_wrapped_over_three_lines)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "tests/data/log-cmdline-wrapped.txt");
	const struct vms_cmdline *c = &r.d->log->cmdline;
	cr_assert_str_eq(c->text, "console=ttyS0,115200 root=/dev/mmcblk0p2 rootwait "
	                          "vmalloc=512M mem=1G@0x80000000 cma=64M");
	cr_assert(c->has_vmalloc);
	cr_assert_eq(c->vmalloc, 512u << 20);
	cr_assert_eq(c->mem, 1ull << 30);
	cr_assert_str_eq(c->cma_text, "64M");
	cr_assert_eq(r.claimed, 3);
	size_t joined = 0;
	for (size_t i = 0; i < r.d->repairs.n; i++)
		joined += strcmp(r.d->repairs.v[i].code, "cmdline-joined") == 0;
	cr_assert_eq(joined, 2);
	run_end(&r);
}

Test(parse_log, locates_a_bad_vmalloc_size_on_the_command_line)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "tests/data/log-cmdline-bad-size.txt");
	const struct vms_diag *g = find_diag(r.d, "cmdline-bad-size");
	cr_assert_not_null(g);
	cr_assert_eq(g->col, 36); /* the "vmalloc=lots" word */
	cr_assert_not(r.d->log->cmdline.has_vmalloc);
	cr_assert_not(r.d->log->cmdline.has_mem); /* "mem=" alone is not a value */
	run_end(&r);
}

Test(parse_log, collects_an_arm32_backtrace_with_a_wrapped_frame)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "tests/data/log-arm32-vmap-failure-backtrace.txt");
	const struct vms_bootlog *log = r.d->log;
	cr_assert_eq(log->failures.n, 2);
	const struct vms_failure *f = &log->failures.v[0];
	cr_assert_eq(f->kind, VMS_FAIL_VMAP);
	cr_assert_eq(f->size, 8392704);
	cr_assert_eq(log->failures.v[1].kind, VMS_FAIL_ALLOCATION);
	cr_assert_eq(log->failures.v[1].size, 8388608);
	static const char *const want[] = {
	    "unwind_backtrace",     "show_stack", "dump_stack", "warn_alloc",
	    "__vmalloc_node_range", "vmalloc",    "big_init"};
	cr_assert_eq(f->nr_callers, 7, "callers %u", f->nr_callers);
	for (unsigned i = 0; i < 7; i++)
		cr_assert_str_eq(f->callers[i], want[i]);
	cr_assert_eq(log->failures.v[1].callers, f->callers);
	cr_assert_eq(r.claimed, 12); /* all but the usb line */
	cr_assert_eq(r.last, NOT_CLAIMED);
	run_end(&r);
}

Test(parse_log, collects_an_x86_trace_between_task_markers)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "tests/data/log-x86_64-node-range-failure-trace.txt");
	const struct vms_bootlog *log = r.d->log;
	cr_assert_eq(log->failures.n, 2);
	const struct vms_failure *f = &log->failures.v[0];
	cr_assert_eq(f->kind, VMS_FAIL_NODE_RANGE);
	cr_assert_eq(f->size, 33558528);
	cr_assert(f->has_range);
	cr_assert_eq(f->vstart, 0xffffffffc0000000);
	cr_assert_eq(f->vend, 0xffffffffff000000);
	static const char *const want[] = {"dump_stack_lvl", "warn_alloc",
	                                   "__vmalloc_node_range_noprof", "execmem_alloc",
	                                   "load_module"};
	cr_assert_eq(f->nr_callers, 5);
	for (unsigned i = 0; i < 5; i++)
		cr_assert_str_eq(f->callers[i], want[i]);
	cr_assert_eq(log->failures.v[1].kind, VMS_FAIL_VMALLOC_ERROR);
	cr_assert_eq(log->failures.v[1].nr_callers, 5);
	cr_assert_eq(r.claimed, 13);
	run_end(&r);
}

/* ---- whole samples ---------------------------------------------------------- */

struct sample_case {
	char file[100];
	uint8_t style;
	uint64_t vstart, vend; /* the vmalloc region */
	unsigned nr_regions;
	char version[48];
	char arch[12];
	bool has_vmalloc;
	uint64_t vmalloc;
	bool has_mem;
	uint64_t mem;
	uint64_t memory_kb;
};

static struct sample_case sample_cases[] = {
    {"arm32-allwinner-h3-sun8i-3.4.113-dmesg-boot-layout.txt", VMS_LAYOUT_ARM32,
     0xe0800000, 0xff000000, 10, "3.4.113-sun8i", "arm32", false, 0, false, 0,
     512 * 1024},
    {"arm32-amlogic-s805-odroid-c1plus-3.10.107-dmesg-boot-layout.txt", VMS_LAYOUT_ARM32,
     0xf0000000, 0xff000000, 10, "3.10.107", "arm32", false, 0, false, 0, 827 * 1024},
    {"arm32-marvell-dove-cubox-3.14.4-dmesg-boot-layout.txt", VMS_LAYOUT_ARM32,
     0xf0000000, 0xff000000, 9, "3.14.4", "arm32", false, 0, false, 0, 778240},
    {"arm32-anyka-ak39-camera-dmesg-boot-layout.txt", VMS_LAYOUT_ARM32, 0xc3000000,
     0xff000000, 9, "3.4.35", "arm32", false, 0, true, 64u << 20, 40 * 1024},
    {"arm32-rpi3-bcm2709-4.4-dmesg-boot-layout.txt", VMS_LAYOUT_ARM32, 0xbb800000,
     0xff800000, 9, "4.4.9-v7+", "arm32", false, 0, false, 0, 966656},
    {"arm32-qcom-mdm9607-jmr540-3.18-kmsg-boot.txt", VMS_LAYOUT_ARM32, 0xd0800000,
     0xff000000, 9, "3.18.20", "arm32", false, 0, false, 0, 256000},
    {"arm32-vmsplit2g-5.4.24-kasan-thread-boot-layout.txt", VMS_LAYOUT_ARM32, 0xbf800000,
     0xff800000, 9, "5.4.24", "arm32", false, 0, false, 0, 922624},
    {"arm32-strongarm-sa1110-jornada720-4.9.210-boot-layout.txt", VMS_LAYOUT_ARM32,
     0xc8800000, 0xff800000, 9, "4.9.210", "arm32", false, 0, true, 128u << 20, 131072},
    {"arm32-marvell-granite2-boot-layout-240m.txt", VMS_LAYOUT_ARM32, 0xf0000000,
     0xff000000, 10, "", "arm32", false, 0, false, 0, 0},
    {"arm32-marvell-granite2-bootargs-vmalloc300m-layout.txt", VMS_LAYOUT_ARM32,
     0xec800000, 0xff000000, 10, "", "arm32", true, 300u << 20, false, 0, 0},
    {"x86_32-xenserver-dom0-2.6.32-xen-dmesg-boot-layout.txt", VMS_LAYOUT_X86_32,
     0xf0000000, 0xff3fe000, 7, "2.6.32.43-0.4.1.xs1.8.0.835.170778xen", "x86_32", false,
     0, false, 0, 778240},
    {"arm64-exynos7880-samsung-a5y17lte-3.18.14-dmesg-boot-layout.txt", VMS_LAYOUT_ARM64,
     0xffffff8000000000, 0xffffffbdffff0000, 10, "3.18.14-g406953af719-dirty", "arm64",
     true, 384u << 20, false, 0, 3117056},
    {"arm64-pine64-4.13-rc7-bootlog-boot-layout.txt", VMS_LAYOUT_ARM64,
     0xffff000008000000, 0xffff7dffbfff0000, 12, "4.13.0-rc7", "arm64", false, 0, false,
     0, 2097152},
    {"riscv32-qemu-5.16-rc6-compat-boot-layout.txt", VMS_LAYOUT_RISCV, 0xa0000000,
     0xc0000000, 5, "5.16.0-rc6-00017-g750f87086bdd-dirty", "riscv32", false, 0, false, 0,
     61440},
    {"riscv64-qemu-5.16-rc6-compat-boot-layout.txt", VMS_LAYOUT_RISCV, 0xffffffd000000000,
     0xffffffe000000000, 6, "5.16.0-rc6-00017-g750f87086bdd-dirty", "riscv64", false, 0,
     false, 0, 63488},
    {"riscv64-hifive-unleashed-5.7-rc4-boot-layout.txt", VMS_LAYOUT_RISCV,
     0xffffffd000000000, 0xffffffe000000000, 5, "5.7.0-rc4-00001-g3742e19-dirty",
     "riscv64", false, 0, false, 0, 8386560},
    {"ppc32-powermac-g4-5.16.18-bz215781-boot-layout.txt", VMS_LAYOUT_PPC32, 0xe9000000,
     0xff115000, 5, "", "ppc32", false, 0, false, 0, 2097152},
    {"ppc32-e500-mpc85xx-fragmented-highmem-boot-layout.txt", VMS_LAYOUT_PPC32,
     0xf1000000, 0xff3fe000, 4, "", "ppc32", false, 0, false, 0, 3118080},
    {"sh4-dreamcast-hkt3030-7.1.3-dmesg-boot-layout.txt", VMS_LAYOUT_SH, 0xc0000000,
     0xdfff5000, 7, "7.1.3", "sh", false, 0, false, 0, 16384},
};

ParameterizedTestParameters(parse_log, reads_real_boot_logs)
{
	return cr_make_param_array(struct sample_case, sample_cases,
	                           sizeof(sample_cases) / sizeof(sample_cases[0]));
}

ParameterizedTest(struct sample_case *c, parse_log, reads_real_boot_logs)
{
	char path[160];
	snprintf(path, sizeof(path), "samples/%s", c->file);
	struct logrun r;
	run_begin(&r);
	run_file(&r, path);
	const struct vms_bootlog *log = r.d->log;
	cr_assert_eq(log->layout_style, c->style, "%s: style %u", c->file,
	             log->layout_style);
	cr_assert_neq(log->layout_line, 0);
	const struct vms_region *v = vms_bootlog_region(log, "vmalloc");
	cr_assert_not_null(v, "%s: no vmalloc region", c->file);
	cr_assert_eq(v->start, c->vstart, "%s: vmalloc start %#llx", c->file,
	             (unsigned long long)v->start);
	cr_assert_eq(v->end, c->vend, "%s: vmalloc end %#llx", c->file,
	             (unsigned long long)v->end);
	cr_assert_eq(log->regions.n, c->nr_regions, "%s: %zu regions", c->file,
	             log->regions.n);
	cr_assert_str_eq(log->version_text ? log->version_text : "", c->version);
	cr_assert_str_eq(log->arch_hint ? log->arch_hint : "", c->arch);
	cr_assert_eq(log->cmdline.has_vmalloc, c->has_vmalloc);
	cr_assert_eq(log->cmdline.vmalloc, c->vmalloc);
	cr_assert_eq(log->cmdline.has_mem, c->has_mem);
	cr_assert_eq(log->cmdline.mem, c->mem);
	cr_assert_eq(log->memory_total_kb, c->memory_kb, "%s: memory %llu kB", c->file,
	             (unsigned long long)log->memory_total_kb);
	cr_assert_null(find_diag(r.d, "layout-size-mismatch"),
	               "%s: size mismatch at line %u", c->file,
	               find_diag(r.d, "layout-size-mismatch")
	                   ? find_diag(r.d, "layout-size-mismatch")->line
	                   : 0);
	cr_assert_eq(vms_dump_nr_errors(r.d), 0);
	run_end(&r);
}

Test(parse_log, reads_the_sh4_lowmem_pair_and_the_riscv64_kernel_region)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "samples/sh4-dreamcast-hkt3030-7.1.3-dmesg-boot-layout.txt");
	const struct vms_region *u = vms_bootlog_region(r.d->log, "lowmem-uncached");
	cr_assert_not_null(u);
	cr_assert_eq(u->start, 0xa0000000);
	cr_assert_eq(u->end, 0xc0000000);
	cr_assert_eq(vms_bootlog_region(r.d->log, "lowmem")->end, 0x8d000000);
	run_end(&r);

	run_begin(&r);
	run_file(&r, "samples/riscv64-qemu-5.16-rc6-compat-boot-layout.txt");
	const struct vms_region *k = vms_bootlog_region(r.d->log, "kernel");
	cr_assert_not_null(k);
	cr_assert_eq(k->end, UINT64_MAX);
	cr_assert(k->end_inclusive);
	const struct vms_region *vm = vms_bootlog_region(r.d->log, "vmemmap");
	cr_assert_eq(vm->end, 0xffffffd000000000);
	cr_assert(vm->end_inclusive);
	cr_assert_not(vms_bootlog_region(r.d->log, "lowmem")->end_inclusive);
	run_end(&r);
}

Test(parse_log, reads_the_pine64_arm64_layout_in_the_4_6_order)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "samples/arm64-pine64-4.13-rc7-bootlog-boot-layout.txt");
	const struct vms_bootlog *log = r.d->log;
	cr_assert_str_eq(log->regions.v[0].name, "modules");
	cr_assert_eq(log->regions.v[0].start, 0xffff000000000000);
	cr_assert_eq(vms_bootlog_region(log, ".rodata")->start, 0xffff0000087c0000);
	cr_assert_eq(vms_bootlog_region(log, "fixmap")->end, 0xffff7dfffec00000);
	cr_assert_eq(vms_bootlog_region(log, "vmemmap-actual")->end, 0xffff7e0002000000);
	cr_assert_eq(vms_bootlog_region(log, "lowmem")->end, 0xffff800080000000);
	cr_assert_str_eq(log->cmdline.text,
	                 "root=/dev/mmcblk0p2 console=ttyS0,115200 rootwait rw");
	run_end(&r);
}

Test(parse_log, reads_the_granite2_blocks_with_blank_lines_and_a_fence_inside)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "samples/arm32-marvell-granite2-boot-layout-240m.txt");
	const struct vms_bootlog *log = r.d->log;
	cr_assert_eq(log->layout_line, 5);
	cr_assert_eq(vms_bootlog_region(log, ".bss")->end, 0xc06a8af4);
	cr_assert_eq(vms_bootlog_region(log, "fixmap")->start, 0xffc00000);
	cr_assert_eq(r.claimed, 11);
	run_end(&r);

	run_begin(&r);
	run_file(&r, "samples/arm32-marvell-granite2-bootargs-vmalloc300m-layout.txt");
	log = r.d->log;
	cr_assert(log->cmdline.from_uboot);
	cr_assert_str_eq(log->cmdline.vmalloc_text, "300M");
	cr_assert_eq(vms_bootlog_region(log, "lowmem")->end, 0xec400000);
	cr_assert_eq(r.claimed, 12);
	run_end(&r);
}

Test(parse_log, joins_the_wrapped_ppc32_command_line_of_bug_215781)
{
	struct logrun r;
	run_begin(&r);
	run_file(&r, "samples/ppc32-powermac-g4-5.16.18-bz215781-boot-layout.txt");
	const struct vms_bootlog *log = r.d->log;
	cr_assert_str_eq(
	    log->cmdline.text,
	    "ro root=/dev/sda5 zswap.max_pool_percent=16 zswap.zpool=z3fold "
	    "slub_debug=FZP page_poison=1 "
	    "netconsole=6666@192.168.2.5/eth0,6666@192.168.2.2/70:85:C2:30:EC:01");
	cr_assert_eq(vms_bootlog_region(log, "modules")->start, 0xb0000000);
	cr_assert_str_eq(vms_bootlog_region(log, "vmalloc")->label, "vmalloc & ioremap");
	cr_assert_str_eq(
	    log->memory_text,
	    "Memory: 614664K/2097152K available (8828K kernel code, 488K rwdata, "
	    "1664K rodata, 1316K init, 381K bss, 1482488K reserved, 0K cma-reserved, "
	    "0K highmem)");
	run_end(&r);
}

Test(parse_log, reads_the_quoted_nvidia_vmap_failure_and_its_trace)
{
	struct logrun r;
	run_begin(&r);
	run_file(
	    &r,
	    "samples/arm64-nvidia-t241-6.2-64k-vmap-allocation-failed-dmesg-quoted.txt");
	const struct vms_bootlog *log = r.d->log;
	cr_assert_eq(log->failures.n, 2);
	const struct vms_failure *v = &log->failures.v[0], *e = &log->failures.v[1];
	cr_assert_eq(v->kind, VMS_FAIL_VMAP);
	cr_assert_eq(v->size, 393216);
	cr_assert_eq(v->line, 3);
	cr_assert_eq(e->kind, VMS_FAIL_VMALLOC_ERROR);
	cr_assert_eq(e->size, 327680);
	cr_assert_eq(e->line, 4);
	cr_assert_eq(v->nr_callers, 18);
	cr_assert_eq(e->nr_callers, 18);
	cr_assert_str_eq(v->callers[0], "dump_backtrace");
	cr_assert_str_eq(v->callers[6], "module_alloc");
	cr_assert_str_eq(v->callers[7], "move_module");
	cr_assert_str_eq(v->callers[17], "el0t_64_sync");
	cr_assert_eq(r.claimed, 23); /* all but the two lines before the failure */
	run_end(&r);
}

/* ---- hostile input ---------------------------------------------------------- */

static void put(char *dst, const char *s)
{
	memcpy(dst, s, strlen(s));
}

Test(parse_log, survives_hostile_lines)
{
	struct logrun r;
	run_begin(&r);
	size_t n = 10u << 20;
	char *big = malloc(n + 1);
	memset(big, 'f', n);
	put(big, "Virtual kernel memory layout:\\x0a vmalloc : 0x");
	big[n] = '\0';
	run_line(&r, big, n);
	put(big, "Kernel command line: vmalloc=");
	run_line(&r, big, n);
	put(big, "Memory: 1K/2K (((((((((((((((");
	run_line(&r, big, n);
	run_line(&r, big, n);
	memset(big, '(', n);
	put(big, "Linux version 1.2.3 ");
	run_line(&r, big, n);
	memset(big, 'x', n);
	put(big, "vmap allocation for size 1");
	run_line(&r, big, n);
	/* many escaped pieces: linear splitting, the block is cut at 256 regions */
	const char *piece = "\\x0a    vmalloc : 0xf0000000 - 0xff000000   ( 240 MB)";
	size_t pl = strlen(piece), off = strlen("Virtual kernel memory layout:");
	put(big, "Virtual kernel memory layout:");
	for (; off + pl < n; off += pl)
		memcpy(big + off, piece, pl);
	big[off] = '\0';
	run_line(&r, big, off);
	cr_assert_eq(r.d->log->regions.n, 256);
	cr_assert_not_null(find_diag(r.d, "layout-too-many-regions"));
	/* many bad sizes on one command line: one diagnostic */
	put(big, "Kernel command line:");
	for (off = 20; off + 10 < n; off += 10)
		memcpy(big + off, " vmalloc=x", 10);
	big[off] = '\0';
	size_t nd = count_diags(r.d, "cmdline-bad-size");
	run_line(&r, big, off);
	cr_assert_eq(count_diags(r.d, "cmdline-bad-size"), nd + 1);
	free(big);
	run_text(&r, "Virtual kernel memory layout:\n"
	             "    vmalloc : 0xffffffffffffffff - 0xffffffffffffffff   "
	             "(18446744073709551615 "
	             "MB)\n"
	             "    lowmem  : 0x0 - 0xffffffffffffffff   (17592186044415 MB)\n"
	             "\x01\x02\xff garbage \xc2\n");
	vms_logparser_finish(r.p);
	cr_assert_eq(r.d->log->regions.n, 2);
	cr_assert_eq(vms_bootlog_region(r.d->log, "lowmem")->printed, 17592186044415ull);
	cr_assert_eq(r.d->log->failures.n, 1);
	cr_assert(r.d->log->has_cmdline);
	cr_assert_not_null(find_diag(r.d, "layout-size-mismatch")); /* the vmalloc line */
	run_end(&r);
}

Test(parse_log, leaves_dump_lines_and_prose_alone)
{
	struct logrun r;
	run_begin(&r);
	run_text(
	    &r,
	    "0xf0000000-0xf0002000    8192 foo+0x0/0x10 pages=1 vmalloc\n"
	    "OF: fdt: Ignoring memory range 0x80000000 - 0x80400000\n"
	    "asv_table_ver : 3\n"
	    "exynos-snapshot physical / virtual memory layout:\n"
	    "log_kevents : phys:0x46000000 / virt:0xffffff80f6000000 / size:0x800000\n"
	    "Loading modules backported from Linux version next-20150129-0-g828f79f\n"
	    "CPU: ARMv7 Processor [410fc075] revision 5 (ARMv7), cr=10c5387d\n"
	    "timers  : 0xfff00000 - 0xfff01000   (   4 kB)");
	vms_logparser_finish(r.p);
	cr_assert_eq(r.claimed, 0);
	cr_assert_eq(r.d->log->regions.n, 0);
	cr_assert_null(r.d->log->version_text);
	run_end(&r);
}

/* ---- version and arch from every place a log states them ----------------- */

struct ident_case {
	char lines[400];
	char version[40];
	char vsource[40]; /* a part of version_source */
	char arch[12];
	char asource[80]; /* a part of arch_source */
	bool conflict;
};

#define VER47     "Linux version 4.4.9-v7+ (dc4@host) (gcc version 4.9.3) #884 SMP"
#define TRACE_X86 " entry_SYSCALL_64_after_hwframe+0x63/0xcd"

static struct ident_case ident_cases[] = {
    {"CPU: 1 PID: 235 Comm: insmod Not tainted 6.0.0-rc4+ #1", "6.0.0-rc4+",
     "task line \"CPU: ... Comm: ...\" at line 1", "", "", false},
    {"CPU: 32 PID: 2910 Comm: systemd-udevd Tainted: G           OE      6.2-generic-64k",
     "6.2-generic-64k", "at line 1", "arm64", "task line 1: release 6.2-generic-64k",
     false},
    {"CPU: 0 UID: 0 PID: 1 Comm: Web Content Not tainted 6.12.0 #1", "6.12.0",
     "task line \"CPU: ... Comm: ...\" at line 1", "", "", false},
    {"root@board:~# uname -a\nLinux board 4.9.88 #1 SMP PREEMPT Mon Jan 1 00:00:00 UTC "
     "2018 "
     "armv7l GNU/Linux",
     "4.9.88", "uname -a at line 2", "arm32", "uname -a at line 2: machine armv7l",
     false},
    {"Linux host 5.15.0-91-generic #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023 x86_64 "
     "x86_64 x86_64 GNU/Linux",
     "5.15.0-91-generic", "uname -a at line 1", "x86_64", "machine x86_64", false},
    {"CPU: 0 PID: 1 Comm: init Not tainted 9.9.9 #1\n" VER47 "\n"
     "Linux board 8.8.8 #1 SMP armv7l GNU/Linux",
     "4.4.9-v7+", "Linux version line 2", "arm32", "release 4.4.9-v7+", false},
    {"Linux kernel 5.10 # is what we run", "", "", "", "", false},
    {" el0t_64_sync+0x1a0/0x1a4", "", "", "arm64",
     "call trace frame el0t_64_sync at line 1", false},
    {TRACE_X86, "", "", "x86_64", "frame entry_SYSCALL_64_after_hwframe", false},
    {"[<c00d64f0>] (SyS_write) from [<c000dc80>] (ret_fast_syscall+0x0/0x38)", "", "",
     "arm32", "frame ret_fast_syscall at line 1", false},
    {" do_int80_syscall_32+0x1/0x2", "", "", "", "", false},
    {" do_int80_syscall_32+0x1/0x2\n entry_SYSENTER_32+0x1/0x2", "", "", "x86_32",
     "entry_SYSENTER_32", false},
    {"Hardware name: Generic DT based system", "", "", "arm32", "Generic DT based",
     false},
    {"Booting Linux on physical CPU 0x0", "", "", "", "", false},
    {"Booting Linux on physical CPU 0x0\nCPU: AArch64 Processor [410fd034] revision 4",
     "", "", "arm64", "arm64 CPU line", false},
    {" el0t_64_sync+0x1a0/0x1a4\n" TRACE_X86, "", "", "", "", true},
    {"Virtual kernel memory layout:\n    vmalloc : 0xf0000000 - 0xff000000   ( 240 MB)\n"
     "    lowmem  : 0xc0000000 - 0xef800000   ( 760 MB)",
     "", "", "", "", false},
    {"Virtual kernel memory layout:\n    vector  : 0xffff0000 - 0xffff1000   (   4 kB)\n"
     "    vmalloc : 0xf0000000 - 0xff000000   ( 240 MB)",
     "", "", "arm32", "layout block (arm32 style, vector region) at line 1", false},
    {"virtual kernel memory layout:\n    pkmap   : 0xff800000 - 0xffc00000   (4096 kB)\n"
     "    vmalloc : 0xf8000000 - 0xff7fe000   ( 119 MB)",
     "", "", "", "", false},
    {"virtual kernel memory layout:\n  cpu_entry : 0xff800000 - 0xffc00000   (4096 kB)",
     "", "", "x86_32", "cpu_entry region", false},
    {"Linux version 5.16.0 (u@h) (riscv64-unknown-linux-gnu-gcc (GCC) 10.2.0) #96 SMP\n"
     "Virtual kernel memory layout:\n      pci io : 0x9e000000 - 0x9f000000   (  16 MB)",
     "5.16.0", "Linux version line 1", "riscv32", "32-bit addresses", false},
    {"Linux version 5.15.0 (u@h) (x86_64-linux-gnu-gcc-11 (Ubuntu) 11.4.0) #1 SMP",
     "5.15.0", "Linux version line 1", "", "", false},
    {"     Architecture: ARM64", "", "", "", "", false},
    {"     Architecture: AArch64", "", "", "arm64", "U-Boot image header", false},
    {"Linux version 4.18.0-80.11.2.el8_0.x86_64 (mockbuild@x86-vm-08) (gcc version "
     "8.2.1)",
     "4.18.0-80.11.2.el8_0.x86_64", "Linux version line 1", "x86_64",
     "release 4.18.0-80.11.2.el8_0.x86_64", false},
};

ParameterizedTestParameters(parse_log, reads_version_and_arch_from_every_place)
{
	return cr_make_param_array(struct ident_case, ident_cases,
	                           sizeof(ident_cases) / sizeof(ident_cases[0]));
}

ParameterizedTest(struct ident_case *c, parse_log,
                  reads_version_and_arch_from_every_place)
{
	struct logrun r;
	run_begin(&r);
	run_text(&r, c->lines);
	vms_logparser_finish(r.p);
	const struct vms_bootlog *log = r.d->log;
	cr_assert_str_eq(log->version_text ? log->version_text : "", c->version, "%s",
	                 c->lines);
	if (c->vsource[0])
		cr_assert_not_null(strstr(log->version_source, c->vsource), "'%s'",
		                   log->version_source);
	cr_assert_str_eq(log->arch_hint ? log->arch_hint : "", c->arch, "%s", c->lines);
	cr_assert_eq(log->arch_source == NULL, log->arch_hint == NULL);
	if (c->asource[0])
		cr_assert_not_null(strstr(log->arch_source, c->asource), "'%s'",
		                   log->arch_source);
	cr_assert_eq(count_diags(r.d, "arch-conflict"), c->conflict ? 1 : 0);
	vms_logparser_finish(r.p); /* idempotent: the driver may call it twice */
	cr_assert_eq(count_diags(r.d, "arch-conflict"), c->conflict ? 1 : 0);
	cr_assert_str_eq(log->arch_hint ? log->arch_hint : "", c->arch);
	run_end(&r);
}

/* ---- the same boot twice ---------------------------------------------------- */

struct boot_case {
	char file[48];
	char note[16]; /* boot-repeated or boot-another */
	uint32_t note_line;
	unsigned differs;    /* boot-differs warnings */
	uint32_t first_diff; /* line of the first of them */
	unsigned failures;
	unsigned repeated; /* failure-repeated notes */
	uint32_t cmdline_line;
	uint64_t vmalloc;
	bool layout_note; /* layout-repeated */
};

static struct boot_case boot_cases[] = {
    {"log-boot-twice-same.txt", "boot-repeated", 13, 0, 0, 1, 1, 14, 240u << 20, false},
    {"log-boot-twice-other-cmdline.txt", "boot-repeated", 13, 3, 14, 0, 0, 14, 496u << 20,
     false},
    {"log-boot-another-kernel.txt", "boot-another", 9, 0, 0, 0, 0, 10, 496u << 20, false},
    {"log-boot-copy-no-version.txt", "boot-repeated", 3, 1, 3, 0, 0, 3, 256u << 20,
     false},
    {"log-layout-repeated.txt", "", 0, 0, 0, 0, 0, 0, 0, true},
};

ParameterizedTestParameters(parse_log, tells_a_second_copy_of_a_boot)
{
	return cr_make_param_array(struct boot_case, boot_cases,
	                           sizeof(boot_cases) / sizeof(boot_cases[0]));
}

ParameterizedTest(struct boot_case *c, parse_log, tells_a_second_copy_of_a_boot)
{
	char path[80];
	snprintf(path, sizeof(path), "tests/data/%s", c->file);
	struct logrun r;
	run_begin(&r);
	run_file(&r, path);
	const struct vms_bootlog *log = r.d->log;
	const struct vms_diag *g = c->note[0] ? find_diag(r.d, c->note) : NULL;
	if (c->note[0]) {
		cr_assert_not_null(g, "%s: no %s", c->file, c->note);
		cr_assert_eq(g->line, c->note_line, "%s: %s at %u", c->file, c->note,
		             g->line);
		cr_assert_eq(g->severity, VMS_SEV_NOTE);
	}
	cr_assert_eq(count_diags(r.d, "boot-repeated") + count_diags(r.d, "boot-another"),
	             c->note[0] ? 1 : 0);
	cr_assert_eq(count_diags(r.d, "boot-differs"), c->differs, "%s", c->file);
	if (c->differs)
		cr_assert_eq(find_diag(r.d, "boot-differs")->line, c->first_diff);
	cr_assert_eq(log->failures.n, c->failures);
	cr_assert_eq(count_diags(r.d, "failure-repeated"), c->repeated);
	if (c->cmdline_line) {
		cr_assert_eq(log->cmdline.line, c->cmdline_line);
		cr_assert_eq(log->cmdline.vmalloc, c->vmalloc);
	}
	cr_assert_eq(find_diag(r.d, "layout-repeated") != NULL, c->layout_note);
	run_end(&r);
}
