/*
 * test_emit_layout.c — the boot-layout writer (emit_layout.c) against the
 * project's own boot-log parser, which is the arbiter of the round trip:
 *  - every family and era the writer supports: the regions of an arch
 *    profile are written (after the Linux version line), parsed back with
 *    vms_parse_buffer(), and the same regions (name, start, end) come back,
 *    in the kernel's order, with no warning and the arch inferred right;
 *  - every block in samples/ is re-emitted from its parsed regions and
 *    must equal the kernel's own lines (widths, units, inclusive ends);
 *  - the arm32 block of the Raspberry Pi 3 log byte for byte, prefix
 *    spaces included;
 *  - the eras and families that print no block return -VMS_ENODATA and
 *    write nothing.
 * Params hold char arrays only (Criterion copies them into a forked child).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/emit_layout.h"
#include "vmscope/parse.h"
#include "vmscope/profile.h"

#define MAX_REGIONS 32

/* ---- helpers ------------------------------------------------------------- */

struct text {
	char *buf;
	size_t len;
};

static struct text emit_block(const char *family, int major, int minor,
                              const struct vms_region *r, size_t n, bool version, int *rc)
{
	struct text t = {0};
	FILE *fp = open_memstream(&t.buf, &t.len);
	cr_assert_not_null(fp);
	if (version)
		cr_assert_eq(vms_emit_version_line(fp, major, minor, 0, family), 0);
	*rc = vms_emit_layout(fp, family, major, minor, r, n);
	cr_assert_eq(fclose(fp), 0);
	return t;
}

/* The name the parser gives the line a profile region is printed on. */
static const char *parser_name(const char *profile_name)
{
	static const char *const alias[][2] = {
	    {"memory", "lowmem"},
	    {"pci io", "PCI I/O"},
	    {"uncached", "lowmem-uncached"},
	};
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (strcmp(profile_name, alias[i][0]) == 0)
			return alias[i][1];
	return profile_name;
}

static const struct vms_region *profile_region(const struct vms_region *r, size_t n,
                                               const char *parsed_name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(parser_name(r[i].name), parsed_name) == 0)
			return &r[i];
	return NULL;
}

static void assert_no_warning(const struct vms_dump *d, const char *text)
{
	for (size_t i = 0; i < d->diags.n; i++)
		cr_assert(d->diags.v[i].severity == VMS_SEV_NOTE, "line %u: %s [%s]\n%s",
		          d->diags.v[i].line, d->diags.v[i].message, d->diags.v[i].code,
		          text);
}

/* ---- profiles round trip ------------------------------------------------- */

struct rt_case {
	char profile[24]; /* an --arch name */
	int major, minor;
	char family[12];
	char printed[8][16]; /* the parser's names, in the kernel's order */
};

static struct rt_case rt_cases[] = {
    {"arm32",
     3,
     4,
     "arm32",
     {"vector", "fixmap", "vmalloc", "lowmem", "pkmap", "modules"}},
    {"arm32",
     3,
     18,
     "arm32",
     {"vector", "fixmap", "vmalloc", "lowmem", "pkmap", "modules"}},
    {"arm32",
     4,
     4,
     "arm32",
     {"vector", "fixmap", "vmalloc", "lowmem", "pkmap", "modules"}},
    {"arm32-nohighmem",
     4,
     9,
     "arm32",
     {"vector", "fixmap", "vmalloc", "lowmem", "modules"}},
    {"arm32-2g2g",
     5,
     0,
     "arm32",
     {"vector", "fixmap", "vmalloc", "lowmem", "pkmap", "modules"}},
    {"x86_32", 2, 6, "x86_32", {"pkmap", "vmalloc", "lowmem"}},
    {"x86_32-pae", 4, 14, "x86_32", {"pkmap", "vmalloc", "lowmem"}},
    {"x86_32-pae", 5, 4, "x86_32", {"fixmap", "cpu_entry", "pkmap", "vmalloc", "lowmem"}},
    {"arm64", 4, 4, "arm64", {"vmalloc", "vmemmap", "PCI I/O", "modules", "lowmem"}},
    {"arm64", 4, 13, "arm64", {"modules", "vmalloc", "PCI I/O", "vmemmap", "lowmem"}},
    {"arm64-39", 4, 9, "arm64", {"modules", "vmalloc", "PCI I/O", "vmemmap", "lowmem"}},
    {"arm64-42-64k",
     4,
     15,
     "arm64",
     {"modules", "vmalloc", "PCI I/O", "vmemmap", "lowmem"}},
    {"riscv64", 5, 7, "riscv64", {"fixmap", "PCI I/O", "vmemmap", "vmalloc", "lowmem"}},
    {"riscv64",
     5,
     16,
     "riscv64",
     {"fixmap", "PCI I/O", "vmemmap", "vmalloc", "lowmem", "kernel"}},
    {"riscv64",
     6,
     1,
     "riscv64",
     {"fixmap", "PCI I/O", "vmemmap", "vmalloc", "modules", "lowmem", "kernel"}},
    {"riscv64-sv48",
     6,
     6,
     "riscv64",
     {"fixmap", "PCI I/O", "vmemmap", "vmalloc", "modules", "lowmem", "kernel"}},
    {"riscv64-sv57",
     6,
     6,
     "riscv64",
     {"fixmap", "PCI I/O", "vmemmap", "vmalloc", "modules", "lowmem", "kernel"}},
    {"riscv32", 5, 16, "riscv32", {"fixmap", "PCI I/O", "vmemmap", "vmalloc", "lowmem"}},
    {"riscv32", 6, 1, "riscv32", {"fixmap", "PCI I/O", "vmemmap", "vmalloc", "lowmem"}},
    {"ppc32", 5, 16, "ppc32", {"fixmap", "pkmap", "vmalloc", "modules"}},
    {"ppc32", 5, 10, "ppc32", {"fixmap", "pkmap", "vmalloc"}},
    {"ppc32-booke", 6, 1, "ppc32", {"fixmap", "pkmap", "vmalloc"}},
    {"sh", 6, 1, "sh", {"fixmap", "vmalloc", "lowmem", "lowmem-uncached"}},
};

ParameterizedTestParameters(emit_layout, profile_regions_come_back_through_the_parser)
{
	return cr_make_param_array(struct rt_case, rt_cases,
	                           sizeof(rt_cases) / sizeof(rt_cases[0]));
}

ParameterizedTest(struct rt_case *c, emit_layout,
                  profile_regions_come_back_through_the_parser)
{
	const struct vms_profile *p = vms_profile_era(c->profile, c->major, c->minor, -1);
	cr_assert_not_null(p, "no profile %s", c->profile);
	cr_assert_str_eq(p->family, c->family);
	/* a machine with 256 MiB of lowmem: realistic lowmem and vmalloc starts */
	struct vms_machine m = {
	    .kernel_major = c->major,
	    .kernel_minor = c->minor,
	    .lowmem_end = p->page_offset + (256u << 20),
	};
	struct vms_region r[MAX_REGIONS];
	size_t n = vms_profile_regions(p, &m, r, MAX_REGIONS);
	cr_assert_leq(n, MAX_REGIONS);

	int rc;
	struct text t = emit_block(c->family, c->major, c->minor, r, n, true, &rc);
	cr_assert_eq(rc, 0, "%s %d.%d: rc %d", c->profile, c->major, c->minor, rc);
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_buffer(t.buf, t.len, "emitted", NULL, &d), 0);
	assert_no_warning(d, t.buf);
	cr_assert_eq(d->log->kernel_major, c->major);
	cr_assert_eq(d->log->kernel_minor, c->minor);
	cr_assert_str_eq(d->log->arch_hint ? d->log->arch_hint : "(none)", c->family,
	                 "%s", t.buf);

	size_t want = 0;
	while (want < 8 && c->printed[want][0])
		want++;
	cr_assert_eq(d->log->regions.n, want, "%zu regions back, %zu expected:\n%s",
	             d->log->regions.n, want, t.buf);
	for (size_t i = 0; i < want; i++) {
		const struct vms_region *got = &d->log->regions.v[i];
		cr_assert_str_eq(got->name, c->printed[i], "%s", t.buf);
		const struct vms_region *exp = profile_region(r, n, got->name);
		cr_assert_not_null(exp, "%s not in the profile", got->name);
		cr_assert_eq(got->start, exp->start, "%s start %llx, profile %llx\n%s",
		             got->name, (unsigned long long)got->start,
		             (unsigned long long)exp->start, t.buf);
		cr_assert_eq(got->end, exp->end, "%s end %llx, profile %llx\n%s",
		             got->name, (unsigned long long)got->end,
		             (unsigned long long)exp->end, t.buf);
	}
	vms_dump_free(d);

	/* the block alone (no version line) parses to the same regions */
	struct text bare = emit_block(c->family, c->major, c->minor, r, n, false, &rc);
	cr_assert_eq(vms_parse_buffer(bare.buf, bare.len, "bare", NULL, &d), 0);
	cr_assert_eq(d->log->regions.n, want, "%s", bare.buf);
	for (size_t i = 0; i < want; i++)
		cr_assert_str_eq(d->log->regions.v[i].name, c->printed[i], "%s",
		                 bare.buf);
	vms_dump_free(d);
	free(bare.buf);
	free(t.buf);
}

/* ---- the eras and arches without a block --------------------------------- */

struct none_case {
	char family[12];
	int major, minor;
};

static struct none_case none_cases[] = {
    {"x86_64", 2, 6}, {"x86_64", 4, 19},  {"x86_64", 6, 9},   {"x86_64", 0, 0},
    {"arm32", 5, 1},  {"arm32", 6, 1},    {"arm64", 4, 16},   {"arm64", 6, 9},
    {"x86_32", 5, 7}, {"riscv64", 5, 4},  {"riscv32", 4, 19}, {"ppc32", 6, 15},
    {"mips", 5, 10},  {"nonsense", 4, 4},
};

ParameterizedTestParameters(emit_layout, eras_without_a_block_write_nothing)
{
	return cr_make_param_array(struct none_case, none_cases,
	                           sizeof(none_cases) / sizeof(none_cases[0]));
}

ParameterizedTest(struct none_case *c, emit_layout, eras_without_a_block_write_nothing)
{
	struct vms_region r = {.name = "vmalloc",
	                       .kind = VMS_RK_VMALLOC,
	                       .start = 0xffffc90000000000,
	                       .end = 0xffffe90000000000};
	int rc;
	struct text t = emit_block(c->family, c->major, c->minor, &r, 1, false, &rc);
	cr_assert_eq(rc, -VMS_ENODATA, "%s %d.%d: %d", c->family, c->major, c->minor, rc);
	cr_assert_eq(t.len, 0);
	free(t.buf);
}

Test(emit_layout, an_unknown_era_gets_the_last_block_the_family_printed)
{
	struct vms_region r = {.name = "vmalloc",
	                       .kind = VMS_RK_VMALLOC,
	                       .start = 0xffff000008000000,
	                       .end = 0xffff7dffbfff0000};
	int rc;
	struct text t = emit_block("arm64", 0, 0, &r, 1, false, &rc);
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(t.buf, "Virtual kernel memory layout:\n"
	                        "    vmalloc : 0xffff000008000000 - 0xffff7dffbfff0000   "
	                        "(129022 GB)\n");
	free(t.buf);
}

/* ---- byte for byte against the real logs ---------------------------------- */

/* The text of line no (1-based) of buf, into out (without its newline). */
static void file_line(const char *buf, uint32_t no, char *out, size_t cap)
{
	const char *s = buf;
	for (uint32_t i = 1; i < no && s; i++) {
		s = strchr(s, '\n');
		s = s ? s + 1 : NULL;
	}
	cr_assert_not_null(s, "no line %u", no);
	size_t n = strcspn(s, "\r\n");
	cr_assert_lt(n, cap);
	memcpy(out, s, n);
	out[n] = '\0';
}

/* A log line without what the console put before it (a "<5>" level, a
 * "[    0.000000] " timestamp, leading blanks) and with the no-break spaces
 * of a mail paste made blanks again, into out. */
static const char *log_text(const char *s, char *out)
{
	if (s[0] == '<' && strchr(s, '>'))
		s = strchr(s, '>') + 1;
	if (s[0] == '[' && strchr(s, ']'))
		s = strchr(s, ']') + 1;
	size_t o = 0;
	for (; *s; s++) {
		if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
			s++, out[o++] = ' ';
		else
			out[o++] = *s;
	}
	out[o] = '\0';
	while (*out == ' ' || *out == '\t')
		out++;
	return out;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	cr_assert_not_null(fp, "cannot open %s", path);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int c;
	while ((c = fgetc(fp)) != EOF)
		fputc(c, out);
	fclose(out);
	fclose(fp);
	return buf;
}

struct sample_case {
	char path[96];
	char family[12];
	int major, minor;
	int regions; /* lines of the block that are regions (not .text etc.) */
};

static struct sample_case sample_cases[] = {
    {"samples/arm32-rpi3-bcm2709-4.4-dmesg-boot-layout.txt", "arm32", 4, 4, 5},
    {"samples/arm32-allwinner-h3-sun8i-3.4.113-dmesg-boot-layout.txt", "arm32", 3, 4, 6},
    {"samples/arm32-amlogic-s805-odroid-c1plus-3.10.107-dmesg-boot-layout.txt", "arm32",
     3, 10, 6},
    {"samples/arm32-anyka-ak39-camera-dmesg-boot-layout.txt", "arm32", 3, 4, 5},
    {"samples/arm32-marvell-dove-cubox-3.14.4-dmesg-boot-layout.txt", "arm32", 3, 14, 5},
    {"samples/arm32-qcom-mdm9607-jmr540-3.18-kmsg-boot.txt", "arm32", 3, 18, 5},
    {"samples/arm32-strongarm-sa1110-jornada720-4.9.210-boot-layout.txt", "arm32", 4, 9,
     5},
    /* a 5.4 kernel from a KASAN port that still prints the block upstream
     * removed in 5.1: written as the last era that printed it */
    {"samples/arm32-vmsplit2g-5.4.24-kasan-thread-boot-layout.txt", "arm32", 5, 0, 5},
    {"samples/arm64-exynos7880-samsung-a5y17lte-3.18.14-dmesg-boot-layout.txt", "arm64",
     3, 18, 7},
    {"samples/arm64-pine64-4.13-rc7-bootlog-boot-layout.txt", "arm64", 4, 13, 7},
    {"samples/x86_32-xenserver-dom0-2.6.32-xen-dmesg-boot-layout.txt", "x86_32", 2, 6, 4},
    {"samples/riscv64-hifive-unleashed-5.7-rc4-boot-layout.txt", "riscv64", 5, 7, 5},
    {"samples/riscv64-qemu-5.16-rc6-compat-boot-layout.txt", "riscv64", 5, 16, 6},
    {"samples/riscv32-qemu-5.16-rc6-compat-boot-layout.txt", "riscv32", 5, 16, 5},
    {"samples/ppc32-e500-mpc85xx-fragmented-highmem-boot-layout.txt", "ppc32", 4, 19, 4},
    {"samples/ppc32-powermac-g4-5.16.18-bz215781-boot-layout.txt", "ppc32", 5, 16, 5},
    {"samples/sh4-dreamcast-hkt3030-7.1.3-dmesg-boot-layout.txt", "sh", 7, 1, 4},
};

ParameterizedTestParameters(emit_layout, rewrites_every_sample_block_as_the_kernel_did)
{
	return cr_make_param_array(struct sample_case, sample_cases,
	                           sizeof(sample_cases) / sizeof(sample_cases[0]));
}

ParameterizedTest(struct sample_case *c, emit_layout,
                  rewrites_every_sample_block_as_the_kernel_did)
{
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_file(c->path, NULL, &d), 0);
	char *file = slurp(c->path);
	const struct vms_bootlog *log = d->log;
	cr_assert_gt(log->layout_line, 0, "%s: no layout block", c->path);

	/* the regions without the kernel image sections, in file order */
	struct vms_region r[MAX_REGIONS];
	size_t n = 0;
	for (size_t i = 0; i < log->regions.n && n < MAX_REGIONS; i++)
		if (log->regions.v[i].kind != VMS_RK_KERNEL)
			r[n++] = log->regions.v[i];
	cr_assert_eq(n, (size_t)c->regions, "%s: %zu regions", c->path, n);

	int rc;
	struct text t = emit_block(c->family, c->major, c->minor, r, n, false, &rc);
	cr_assert_eq(rc, 0);
	char want[256], *got = t.buf;
	file_line(file, log->layout_line, want, sizeof(want));
	for (size_t i = 0; i <= n; i++) {
		if (i)
			file_line(file, r[i - 1].line, want, sizeof(want));
		size_t gl = strcspn(got, "\n");
		cr_assert_eq(got[gl], '\n');
		got[gl] = '\0';
		char g[256], w[256];
		cr_assert_str_eq(log_text(got, g), log_text(want, w), "%s line %zu",
		                 c->path, i);
		got += gl + 1;
	}
	cr_assert_eq(*got, '\0', "extra output: %s", got);
	free(t.buf);
	free(file);
	vms_dump_free(d);
}

Test(emit_layout, writes_the_rpi3_arm32_block_byte_for_byte)
{
	/* samples/arm32-rpi3-bcm2709-4.4-dmesg-boot-layout.txt lines 27-32,
	 * in shuffled order: the kernel's order comes from the writer */
	const struct vms_region r[] = {
	    {.name = "modules",
	     .kind = VMS_RK_MODULES,
	     .start = 0x7f000000,
	     .end = 0x80000000},
	    {.name = "vmalloc",
	     .kind = VMS_RK_VMALLOC,
	     .start = 0xbb800000,
	     .end = 0xff800000},
	    {.name = "vector",
	     .kind = VMS_RK_VECTOR,
	     .start = 0xffff0000,
	     .end = 0xffff1000},
	    {.name = "lowmem",
	     .kind = VMS_RK_LOWMEM,
	     .start = 0x80000000,
	     .end = 0xbb000000},
	    {.name = "fixmap",
	     .kind = VMS_RK_FIXMAP,
	     .start = 0xffc00000,
	     .end = 0xfff00000},
	};
	int rc;
	struct text t = emit_block("arm32", 4, 4, r, 5, false, &rc);
	cr_assert_eq(rc, 0);
	char *file = slurp("samples/arm32-rpi3-bcm2709-4.4-dmesg-boot-layout.txt");
	const char *head = strstr(file, "Virtual kernel memory layout:\n");
	cr_assert_not_null(head);
	cr_assert_eq(strncmp(head, "Virtual kernel memory layout:\n", 30), 0);
	cr_assert_gt(strlen(head), t.len);
	cr_assert_eq(memcmp(head, t.buf, t.len), 0, "got:\n%s\nwant:\n%.*s", t.buf,
	             (int)t.len, head);
	free(file);
	free(t.buf);
}

Test(emit_layout, prints_riscv_ends_and_units_of_each_era)
{
	const struct vms_region r[] = {
	    {.name = "vmalloc",
	     .kind = VMS_RK_VMALLOC,
	     .start = 0xffffffc800000000,
	     .end = 0xffffffd800000000},
	    {.name = "kernel",
	     .kind = VMS_RK_KERNEL,
	     .start = 0xffffffff80000000,
	     .end = UINT64_MAX},
	    {.name = "fixmap",
	     .kind = VMS_RK_FIXMAP,
	     .start = 0xffffffc6fee00000,
	     .end = 0xffffffc6ff000000},
	};
	int rc;
	struct text old = emit_block("riscv64", 5, 16, r, 3, false, &rc);
	cr_assert_str_eq(old.buf,
	                 "Virtual kernel memory layout:\n"
	                 "      fixmap : 0xffffffc6fee00000 - 0xffffffc6ff000000   "
	                 "(2048 kB)\n"
	                 "     vmalloc : 0xffffffc800000000 - 0xffffffd7ffffffff   "
	                 "(65535 MB)\n"
	                 "      kernel : 0xffffffff80000000 - 0xffffffffffffffff   "
	                 "(2047 MB)\n");
	struct text now = emit_block("riscv64", 6, 1, r, 3, false, &rc);
	cr_assert_str_eq(now.buf,
	                 "Virtual kernel memory layout:\n"
	                 "      fixmap : 0xffffffc6fee00000 - 0xffffffc6ff000000   "
	                 "(2048 kB)\n"
	                 "     vmalloc : 0xffffffc800000000 - 0xffffffd800000000   "
	                 "(  64 GB)\n"
	                 "      kernel : 0xffffffff80000000 - 0xffffffffffffffff   "
	                 "(2047 MB)\n");
	free(old.buf);
	free(now.buf);
}

Test(emit_layout, the_version_line_names_the_kernel_and_the_family)
{
	static const char *const families[] = {"arm32",   "arm64",   "x86_32", "x86_64",
	                                       "riscv32", "riscv64", "ppc32",  "sh"};
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		cr_assert_eq(vms_emit_version_line(fp, 5, 10, 42, families[i]), 0);
		fclose(fp);
		cr_assert_eq(strncmp(buf, "Linux version 5.10.42-", 22), 0, "%s", buf);
		cr_assert(strstr(buf, "vmscope-sim (vmscope@sim) (gcc version 12.2.0"),
		          "%s", buf);
		struct vms_dump *d = NULL;
		cr_assert_eq(vms_parse_buffer(buf, len, "v", NULL, &d), 0);
		cr_assert_eq(d->log->kernel_major, 5);
		cr_assert_eq(d->log->kernel_minor, 10);
		cr_assert_eq(d->log->kernel_patch, 42);
		cr_assert_str_eq(d->log->arch_hint ? d->log->arch_hint : "(none)",
		                 families[i], "%s", buf);
		cr_assert_str_eq(d->log->compiler_text, "gcc version 12.2.0 (GCC)");
		vms_dump_free(d);
		free(buf);
	}
	/* an unknown family: the version, and no arch evidence at all */
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	cr_assert_eq(vms_emit_version_line(fp, 4, 4, 9, "mips"), 0);
	fclose(fp);
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_buffer(buf, len, "v", NULL, &d), 0);
	cr_assert_eq(d->log->kernel_major, 4);
	cr_assert_null(d->log->arch_hint, "%s", d->log->arch_hint);
	vms_dump_free(d);
	free(buf);
}

Test(emit_layout, reports_a_write_error)
{
	FILE *fp = fopen("/dev/full", "w");
	cr_assert_not_null(fp);
	setvbuf(fp, NULL, _IONBF, 0);
	const struct vms_region r = {.name = "vmalloc",
	                             .kind = VMS_RK_VMALLOC,
	                             .start = 0xf0000000,
	                             .end = 0xff000000};
	cr_assert_eq(vms_emit_layout(fp, "arm32", 4, 4, &r, 1), -VMS_EIO);
	cr_assert_eq(vms_emit_version_line(fp, 4, 4, 0, "arm32"), -VMS_EIO);
	fclose(fp);
}
