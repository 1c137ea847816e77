/*
 * test_parse_debuggers.c — debuggers' outputs as input (docs/formats.md,
 * "Debugger outputs"): crash's "kmem -v" table in both forms, the kernel's
 * gdb script lx-vmallocinfo and drgn's contrib/vmallocinfo.py, each from a
 * fixture in tests/data/debuggers/ written in the tool's exact syntax (the
 * source file followed is named in the fixture's first line). Each is
 * checked for its exact records, the tool recognised, the one note saying
 * what the format lacks, and every line accounted for; line-level cases say
 * where a debugger's syntax ends and the kernel's begins. Also the version
 * from "Tainted:" task lines and arm32's unwinder frames as arch evidence.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/dump_invariants.h"
#include "vmscope/parse.h"

/* ---- helpers ---------------------------------------------------------------- */

static struct vms_dump *parse_text(const char *buf, size_t len)
{
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_buffer(buf, len, "test", NULL, &d), 0);
	const char *why = vms_check_dump(d, buf, len);
	cr_assert_null(why, "invariant: %s", why ? why : "");
	return d;
}

static struct vms_dump *parse_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	cr_assert_not_null(fp, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	size_t len = (size_t)ftell(fp);
	rewind(fp);
	char *buf = malloc(len + 1);
	cr_assert_eq(fread(buf, 1, len, fp), len);
	fclose(fp);
	struct vms_dump *d = parse_text(buf, len);
	free(buf);
	return d;
}

/* Number of stored diagnostics of code, and the first one in *first. */
static size_t count_diag(const struct vms_dump *d, const char *code,
                         const struct vms_diag **first)
{
	size_t n = 0;
	for (size_t i = 0; i < d->diags.n; i++)
		if (strcmp(d->diags.v[i].code, code) == 0 && n++ == 0 && first)
			*first = &d->diags.v[i];
	return n;
}

static const char *caller_of(const struct vms_dump *d, size_t i)
{
	const char *c = vms_area_caller(d, &d->areas.v[i]);
	return c ? c : "";
}

/* ---- whole outputs, one fixture per tool and width ---------------------------- */

struct want_area {
	uint64_t start, end, size;
	char caller[32]; /* "" for none */
	int pages;       /* -1 for none */
	uint64_t phys;   /* 0 for none */
	uint16_t flags;
	uint8_t kind;
};

struct tool_case {
	char path[64];
	uint8_t tool;
	char note[24];      /* the one note about the format */
	uint32_t note_line; /* its line: the header or the first line in its syntax */
	uint32_t lines;     /* every line: */
	uint32_t parsed;    /*   header and rows, or area lines */
	uint32_t prompt;    /*   the debugger's prompt */
	uint32_t prose;     /*   the fixture's comment line */
	unsigned addr_bits;
	size_t nareas;
	struct want_area a[6];
};

#define VMA  VMS_F_VMALLOC
#define IOR  VMS_F_IOREMAP
#define VPG  VMS_F_VPAGES
#define RAM  VMS_KIND_VM_MAP_RAM
#define NONE -1
#define DDIR "tests/data/debuggers/"

static struct tool_case tool_cases[] = {
    {DDIR "crash-kmem-x86_64.txt",
     VMS_TOOL_CRASH_KMEM,
     "format-crash-kmem",
     3,
     7,
     5,
     1,
     1,
     64,
     4,
     {{0xffffc90000000000, 0xffffc90000005000, 20480, "", NONE, 0, 0, 0},
      {0xffffc90000005000, 0xffffc90000007000, 8192, "", NONE, 0, 0, 0},
      {0xffffc90000008000, 0xffffc9000000d000, 20480, "", NONE, 0, 0, 0},
      {0xffffffffc0000000, 0xffffffffc0201000, 2101248, "", NONE, 0, 0, 0}}},
    {DDIR "crash-kmem-arm32.txt",
     VMS_TOOL_CRASH_KMEM,
     "format-crash-kmem",
     3,
     6,
     4,
     1,
     1,
     32,
     3,
     {{0xf7dfe000, 0xf7e00000, 8192, "", NONE, 0, 0, 0},
      {0xf7e00000, 0xf7e05000, 20480, "", NONE, 0, 0, 0},
      {0xf8151000, 0xf8352000, 2101248, "", NONE, 0, 0, 0}}},
    {DDIR "crash-vmlist-i386.txt",
     VMS_TOOL_CRASH_VMLIST,
     "format-crash-kmem",
     3,
     6,
     4,
     1,
     1,
     32,
     3,
     {{0xf8800000, 0xf8802000, 8192, "", NONE, 0, 0, 0},
      {0xf8803000, 0xf8813000, 65536, "", NONE, 0, 0, 0},
      {0xf8814000, 0xf8b15000, 3149824, "", NONE, 0, 0, 0}}},
    {DDIR "crash-vmlist-x86_64.txt",
     VMS_TOOL_CRASH_VMLIST,
     "format-crash-kmem",
     3,
     5,
     3,
     1,
     1,
     64,
     2,
     {{0xffffc20000000000, 0xffffc20000005000, 20480, "", NONE, 0, 0, 0},
      {0xffffc20000005000, 0xffffc2000000a000, 20480, "", NONE, 0, 0, 0}}},
    {DDIR "lx-vmallocinfo-x86_64.txt",
     VMS_TOOL_LX_VMALLOCINFO,
     "format-lx-vmallocinfo",
     3,
     7,
     5,
     1,
     1,
     64,
     5,
     {{0xffffc90000000000, 0xffffc90000005000, 20480, "alloc_large_system_hash", 4, 0,
       VMA, 0},
      {0xffffc90000005000, 0xffffc90000007000, 8192, "acpi_os_map_iomem", NONE,
       0xfed00000, IOR, 0},
      {0xffffc90000008000, 0xffffc9000000c000, 16384, "", NONE, 0, 0, RAM},
      {0xffffc9000000c000, 0xffffc90000011000, 20480, "bpf_prog_alloc_no_stats", 4, 0,
       VMA | VPG, 0},
      {0xffffffffc0000000, 0xffffffffc0201000, 2101248, "module_alloc", 512, 0, VMA | VPG,
       0}}},
    {DDIR "lx-vmallocinfo-arm32.txt",
     VMS_TOOL_LX_VMALLOCINFO,
     "format-lx-vmallocinfo",
     3,
     6,
     4,
     1,
     1,
     32,
     4,
     {{0xf0000000, 0xf0002000, 8192, "of_iomap", NONE, 0xd0100000, IOR, 0},
      {0xf0002000, 0xf0004000, 8192, "of_iomap", NONE, 0xd0110000, IOR, 0},
      {0xf0800000, 0xf0821000, 135168, "n_tty_open", 32, 0, VMA, 0},
      {0xbf000000, 0xbf006000, 24576, "load_module", 5, 0, VMA, 0}}},
    {DDIR "drgn-x86_64.txt",
     VMS_TOOL_DRGN,
     "format-drgn",
     3,
     8,
     6,
     1,
     1,
     64,
     6,
     {{0xffffc90000000000, 0xffffc90000005000, 20480, "alloc_large_system_hash", 4, 0,
       VMA, 0},
      {0xffffc90000005000, 0xffffc90000007000, 8192, "acpi_os_map_iomem", NONE,
       0xfed00000, IOR, 0},
      {0xffffc90000008000, 0xffffc9000000c000, 16384, "", NONE, 0, 0, RAM},
      {0xffffc9000000c000, 0xffffc90000011000, 20480, "0xffffffffc0a1b2c3", 4, 0,
       VMA | VPG, 0},
      {0xffffc90000011000, 0xffffc90000016000, 20480, "vmap", 4, 0, VMS_F_VMAP, 0},
      {0xffffffffc0000000, 0xffffffffc0201000, 2101248, "module_alloc", 512, 0, VMA | VPG,
       0}}},
    {DDIR "drgn-arm32.txt",
     VMS_TOOL_DRGN,
     "format-drgn",
     2,
     4,
     3,
     0,
     1,
     32,
     3,
     {{0xf0000000, 0xf0002000, 8192, "of_iomap", NONE, 0xd0100000, IOR, 0},
      {0xf0800000, 0xf0821000, 135168, "n_tty_open", 32, 0, VMA, 0},
      {0xbf000000, 0xbf006000, 24576, "load_module", 5, 0, VMA, 0}}},
};

ParameterizedTestParameters(parse_debuggers, reads_each_tool_output)
{
	return cr_make_param_array(struct tool_case, tool_cases,
	                           sizeof(tool_cases) / sizeof(tool_cases[0]));
}

static void check_area(const struct vms_dump *d, size_t i, const struct want_area *w,
                       const char *path)
{
	const struct vms_area *a = &d->areas.v[i];
	cr_assert_eq(a->start, w->start, "%s area %zu start %#llx", path, i,
	             (unsigned long long)a->start);
	cr_assert_eq(a->end, w->end, "%s area %zu end", path, i);
	cr_assert_eq(a->size, w->size, "%s area %zu size", path, i);
	cr_assert_str_eq(caller_of(d, i), w->caller, "%s area %zu caller", path, i);
	cr_assert_eq(a->has_offset, 0, "%s area %zu: no offset/length is claimed", path,
	             i);
	cr_assert_eq(a->module, 0, "%s area %zu module", path, i);
	cr_assert_eq(a->has_pages, w->pages != NONE, "%s area %zu has_pages", path, i);
	if (w->pages != NONE)
		cr_assert_eq(a->pages, (uint32_t)w->pages, "%s area %zu pages", path, i);
	cr_assert_eq(a->has_phys, w->phys != 0, "%s area %zu has_phys", path, i);
	cr_assert_eq(a->phys, w->phys, "%s area %zu phys", path, i);
	cr_assert_eq(a->flags, w->flags, "%s area %zu flags %#x", path, i, a->flags);
	cr_assert_eq(a->kind, w->kind, "%s area %zu kind", path, i);
	cr_assert_eq(a->range_only, 0, "%s area %zu: the size was printed", path, i);
	cr_assert_eq(a->geom, VMS_GEOM_TRUSTED, "%s area %zu geometry", path, i);
	cr_assert_eq(vms_dump_extra(d, i), NULL, "%s area %zu: no word left over", path,
	             i);
}

ParameterizedTest(struct tool_case *c, parse_debuggers, reads_each_tool_output)
{
	struct vms_dump *d = parse_file(c->path);
	cr_assert_eq(d->tool, c->tool, "%s: tool %s", c->path, vms_tool_name(d->tool));
	cr_assert_eq(d->areas.n, c->nareas, "%s: %zu areas", c->path, d->areas.n);
	for (size_t i = 0; i < c->nareas; i++)
		check_area(d, i, &c->a[i], c->path);
	cr_assert_eq(d->addr_bits, c->addr_bits, "%s: %u-bit", c->path, d->addr_bits);
	/* the format's gaps are said once, at its first line, as a note */
	const struct vms_diag *note = NULL;
	cr_assert_eq(count_diag(d, c->note, &note), 1, "%s: one %s note", c->path,
	             c->note);
	cr_assert_eq(note->severity, VMS_SEV_NOTE);
	cr_assert_eq(note->line, c->note_line, "%s: note at line %u", c->path,
	             note->line);
	cr_assert_eq(d->diags.n, 1, "%s: nothing else said (%zu diagnostics)", c->path,
	             d->diags.n);
	cr_assert_eq(d->repairs.n, 0, "%s: nothing repaired", c->path);
	/* every line: header and rows parsed, prompt and comment noise */
	const struct vms_accounting *ac = &d->acct;
	cr_assert_eq(ac->lines, c->lines, "%s: %llu lines", c->path,
	             (unsigned long long)ac->lines);
	cr_assert_eq(ac->by_class[VMS_LINE_PARSED], c->parsed, "%s: parsed %llu", c->path,
	             (unsigned long long)ac->by_class[VMS_LINE_PARSED]);
	cr_assert_eq(ac->noise[VMS_NOISE_PROMPT], c->prompt, "%s: prompt", c->path);
	cr_assert_eq(ac->noise[VMS_NOISE_PROSE], c->prose, "%s: prose", c->path);
	cr_assert_eq(ac->by_class[VMS_LINE_NOISE], c->prompt + c->prose, "%s: noise",
	             c->path);
	cr_assert_eq(c->parsed + c->prompt + c->prose, c->lines, "%s: the table adds up",
	             c->path);
	vms_dump_free(d);
}

/* ---- drgn prints /proc's format --------------------------------------------------- */

/* The areas of tests/data/debuggers/drgn-arm32.txt as a 4.11+ kernel
 * prints them in /proc/vmallocinfo. */
static const char proc_arm32[] =
    "0xf0000000-0xf0002000    8192 of_iomap+0x30/0x38 phys=0xd0100000 ioremap\n"
    "0xf0800000-0xf0821000  135168 n_tty_open+0x24/0x3a8 pages=32 vmalloc\n"
    "0xbf000000-0xbf006000   24576 load_module+0xcf4/0x1b2c pages=5 vmalloc\n";

Test(parse_debuggers, drgn_output_reads_as_the_same_proc_text)
{
	struct vms_dump *g = parse_file(DDIR "drgn-arm32.txt");
	struct vms_dump *k = parse_text(proc_arm32, sizeof(proc_arm32) - 1);
	cr_assert_eq(g->tool, VMS_TOOL_DRGN);
	cr_assert_eq(k->tool, VMS_TOOL_PROC);
	cr_assert_eq(count_diag(k, "format-drgn", NULL), 0, "/proc text is not drgn's");
	cr_assert_eq(g->areas.n, k->areas.n);
	for (size_t i = 0; i < g->areas.n; i++) {
		struct vms_area a = g->areas.v[i], b = k->areas.v[i];
		cr_assert_str_eq(caller_of(g, i), caller_of(k, i), "area %zu caller", i);
		/* what drgn does not print: the caller's offset and length */
		cr_assert(b.has_offset && !a.has_offset);
		a.caller = b.caller = 0;
		a.offset = b.offset = a.length = b.length = 0;
		a.has_offset = b.has_offset = 0;
		cr_assert(memcmp(&a, &b, sizeof(a)) == 0, "area %zu differs", i);
		cr_assert_eq(g->src.v[i].w_start, k->src.v[i].w_start);
	}
	vms_dump_free(g);
	vms_dump_free(k);
}

/* ---- where each syntax ends --------------------------------------------------- */

struct line_case {
	char in[200];
	uint8_t tool;    /* dump.tool */
	uint32_t areas;  /* areas read */
	char caller[32]; /* the first area's caller, "" for none */
	char extra[32];  /* its extra words, "" for none */
	uint32_t parsed; /* lines parsed */
	uint32_t prose;  /* lines read as prose */
};

static struct line_case line_cases[] = {
    /* gdb's callers with any size, also one of ten digits and one blank */
    {"0xffffc90000000000-0xffffc90040001000 1073745920 <big_table_alloc+12> "
     "pages=262144 vmalloc",
     VMS_TOOL_LX_VMALLOCINFO, 1, "big_table_alloc", "", 1, 0},
    {"0xf0000000-0xf0002000       8192 <vmalloc_init> vmalloc", VMS_TOOL_LX_VMALLOCINFO,
     1, "vmalloc_init", "", 1, 0},
    /* a bare word after the kernel's "%7ld" is an extra word, not drgn's caller */
    {"0xf0000000-0xf0002000    8192 foo pages=1 vmalloc", VMS_TOOL_PROC, 1, "", "foo", 1,
     0},
    /* ten digits after one blank is the kernel's width too: not drgn's */
    {"0xffffc90000000000-0xffffc90040001000 1073745920 big_alloc pages=262144 vmalloc",
     VMS_TOOL_PROC, 1, "", "big_alloc", 1, 0},
    /* drgn's width with the kernel's caller form: the kernel's line */
    {"0xf0000000-0xf0002000       8192 f+0x1/0x2 pages=1 vmalloc", VMS_TOOL_PROC, 1, "f",
     "", 1, 0},
    /* crash rows need no header; the column count says which crash */
    {"f7048e00   f7048e40   f7dfe000 - f7e00000     8192", VMS_TOOL_CRASH_KMEM, 1, "", "",
     1, 0},
    {"c7e16b40   f8800000 - f8802000    8192", VMS_TOOL_CRASH_VMLIST, 1, "", "", 1, 0},
    /* a header alone is the table's: parsed, no area */
    {"VMAP_AREA  VM_STRUCT     ADDRESS RANGE        SIZE", VMS_TOOL_CRASH_KMEM, 0, "", "",
     1, 0},
    /* not rows: a word too many, no dash, a size that is not decimal */
    {"f7048e00 f7048e40 f7dfe000 - f7e00000 8192 extra", VMS_TOOL_PROC, 0, "", "", 0, 1},
    {"f7048e00   f7048e40   f7dfe000 f7e00000     8192", VMS_TOOL_PROC, 0, "", "", 0, 1},
    {"f7048e00   f7dfe000 - f7e00000     0x2000", VMS_TOOL_PROC, 0, "", "", 0, 1},
    {"VMAP_AREA VM_STRUCT ADDRESS", VMS_TOOL_PROC, 0, "", "", 0, 1},
    /* nor prose of the same shape, a size that is not end - start, or
     * addresses of two widths */
    {"add 1 - 2 1", VMS_TOOL_PROC, 0, "", "", 0, 1},
    {"c7e16b40   f8800000 - f8802000    4096", VMS_TOOL_PROC, 0, "", "", 0, 1},
    {"c7e16b40   ffffc20000000000 - ffffc20000002000    8192", VMS_TOOL_PROC, 0, "", "",
     0, 1},
};

ParameterizedTestParameters(parse_debuggers, line_forms)
{
	return cr_make_param_array(struct line_case, line_cases,
	                           sizeof(line_cases) / sizeof(line_cases[0]));
}

ParameterizedTest(struct line_case *c, parse_debuggers, line_forms)
{
	struct vms_dump *d = parse_text(c->in, strlen(c->in));
	cr_assert_eq(d->tool, c->tool, "'%s': tool %s", c->in, vms_tool_name(d->tool));
	cr_assert_eq(d->areas.n, c->areas, "'%s': %zu areas", c->in, d->areas.n);
	if (c->areas) {
		cr_assert_str_eq(caller_of(d, 0), c->caller, "'%s'", c->in);
		const char *x = vms_dump_extra(d, 0);
		cr_assert_str_eq(x ? x : "", c->extra, "'%s'", c->in);
	}
	cr_assert_eq(d->acct.by_class[VMS_LINE_PARSED], c->parsed, "'%s': parsed", c->in);
	cr_assert_eq(d->acct.noise[VMS_NOISE_PROSE], c->prose, "'%s': prose", c->in);
	vms_dump_free(d);
}

Test(parse_debuggers, prompts_of_the_debuggers_are_noise)
{
	static const char in[] = "crash> kmem -v\n"
	                         "(gdb) lx-vmallocinfo\n"
	                         "sudo drgn -c vmcore contrib/vmallocinfo.py\n"
	                         "drgn is a programmable debugger\n";
	struct vms_dump *d = parse_text(in, sizeof(in) - 1);
	cr_assert_eq(d->acct.noise[VMS_NOISE_PROMPT], 3);
	cr_assert_eq(d->acct.noise[VMS_NOISE_PROSE], 1, "prose naming drgn stays prose");
	vms_dump_free(d);
}

Test(parse_debuggers, two_tools_in_one_paste_each_get_their_note)
{
	static const char in[] =
	    "VMAP_AREA  VM_STRUCT     ADDRESS RANGE        SIZE\n"
	    "f7048e00   f7048e40   f7dfe000 - f7e00000     8192\n"
	    "0xf0000000-0xf0002000       8192 of_iomap phys=0xd0100000 ioremap\n"
	    "0xf0800000-0xf0821000     135168 n_tty_open pages=32 vmalloc\n"
	    "0xbf000000-0xbf006000      24576 load_module pages=5 vmalloc\n";
	struct vms_dump *d = parse_text(in, sizeof(in) - 1);
	const struct vms_diag *crash = NULL, *drgn = NULL;
	cr_assert_eq(count_diag(d, "format-crash-kmem", &crash), 1);
	cr_assert_eq(count_diag(d, "format-drgn", &drgn), 1);
	cr_assert_eq(crash->line, 1);
	cr_assert_eq(drgn->line, 3);
	cr_assert_eq(d->tool, VMS_TOOL_DRGN, "three drgn lines beat two crash lines");
	cr_assert_eq(d->areas.n, 4);
	vms_dump_free(d);
}

Test(parse_debuggers, a_script_is_no_era_marker)
{
	/* phys=0x and vm_map_ram would say 4.13+ in /proc; the scripts print
	 * them so for any kernel */
	struct vms_dump *d = parse_file(DDIR "lx-vmallocinfo-x86_64.txt");
	cr_assert_eq(d->era_lo, 0, "era from %d", d->era_lo);
	cr_assert_eq(d->era_hi, 0);
	vms_dump_free(d);
}

/* ---- the version from Tainted: lines, arm32 from its unwinder ---------------------- */

struct ident_case {
	char in[200];
	char version[32]; /* "" when none */
	int major, minor, patch;
	char arch[8];    /* "" when unknown */
	char source[80]; /* start of arch_source, "" when unknown */
};

static struct ident_case ident_cases[] = {
    {"CPU: 0 PID: 812 Comm: dd Tainted: G           O 3.10.53-custom #1",
     "3.10.53-custom", 3, 10, 53, "", ""},
    {"[  812.000000] CPU: 2 UID: 0 PID: 1 Comm: swapper/0 Tainted: G        W          "
     "6.13.0-rc1 #1",
     "6.13.0-rc1", 6, 13, 0, "", ""},
    {"CPU: 0 PID: 812 Comm: dd Not tainted 3.10.53-custom #1", "3.10.53-custom", 3, 10,
     53, "", ""},
    /* Tainted lines without a version: 6.12+'s own taint line, a cut line */
    {"Tainted: [W]=WARN, [O]=OOT_MODULE", "", 0, 0, 0, "", ""},
    {"CPU: 0 PID: 812 Comm: dd Tainted: G           O", "", 0, 0, 0, "", ""},
    /* arm32's unwinder: "[<where>] (function) from [<from>] (caller)" */
    {"[<c0018e68>] (unwind_backtrace+0x0/0x11c) from [<c0013a6c>] "
     "(show_stack+0x10/0x14)",
     "", 0, 0, 0, "arm32", "arm32 unwinder frame \"(unwind_backtrace) from [<...>]\""},
    {"[    1.000000] [<c010e4a0>] (unwind_backtrace) from [<c010b1e8>] "
     "(show_stack+0x10/0x14)",
     "", 0, 0, 0, "arm32", "arm32 unwinder frame \"(unwind_backtrace) from"},
    /* x86 frames are not arm32's */
    {"[  100.000000]  ? srso_return_thunk+0x5/0x5f", "", 0, 0, 0, "", ""},
    {" [<ffffffff8108e8b5>] dump_stack+0x19/0x1b", "", 0, 0, 0, "", ""},
};

ParameterizedTestParameters(parse_debuggers, version_and_arch_from_task_and_frames)
{
	return cr_make_param_array(struct ident_case, ident_cases,
	                           sizeof(ident_cases) / sizeof(ident_cases[0]));
}

ParameterizedTest(struct ident_case *c, parse_debuggers,
                  version_and_arch_from_task_and_frames)
{
	struct vms_dump *d = parse_text(c->in, strlen(c->in));
	const struct vms_bootlog *log = d->log;
	cr_assert_str_eq(log->version_text ? log->version_text : "", c->version, "'%s'",
	                 c->in);
	cr_assert_eq(log->kernel_major, c->major, "'%s'", c->in);
	cr_assert_eq(log->kernel_minor, c->minor, "'%s'", c->in);
	cr_assert_eq(log->kernel_patch, c->patch, "'%s'", c->in);
	cr_assert_str_eq(log->arch_hint ? log->arch_hint : "", c->arch, "'%s'", c->in);
	const char *src = log->arch_source ? log->arch_source : "";
	cr_assert(strncmp(src, c->source, strlen(c->source)) == 0, "'%s': source '%s'",
	          c->in, src);
	cr_assert_eq(c->source[0] != 0, src[0] != 0, "'%s': source '%s'", c->in, src);
	vms_dump_free(d);
}

/* A gdb or drgn caller has no offset to keep, whatever line follows: a
 * next line that is not a continuation used to re-emit the area with an
 * offset of +0x0/0x0. */
Test(parse_debuggers, no_offset_is_invented_after_a_following_line)
{
	static const char *const texts[] = {
	    "0xffffc90000000000-0xffffc90000005000      20480 "
	    "<alloc_large_system_hash+378> pages=4 vmalloc\nthanks\n",
	    "0xffffc90000000000-0xffffc90000005000      20480 "
	    "<alloc_large_system_hash+378> pages=4 vmalloc\n(gdb) \n",
	    "0xffffc90000000000-0xffffc90000005000      20480 module_alloc pages=4 "
	    "vmalloc\n$ exit\n",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct vms_dump *d = parse_text(texts[i], strlen(texts[i]));
		cr_assert_eq(d->areas.n, 1, "text %zu", i);
		cr_assert_not(d->areas.v[0].has_offset, "text %zu: an invented offset",
		              i);
		cr_assert_neq(d->areas.v[0].caller, 0, "text %zu: the caller is kept", i);
		vms_dump_free(d);
	}
}

/* crash's banner before its kmem -v table: RELEASE gives the version as
 * uname -r does, MACHINE the arch as uname -m does. */
Test(parse_debuggers, crash_banner_names_the_kernel_and_the_machine)
{
	static const char text[] =
	    "      KERNEL: /usr/lib/debug/lib/modules/4.18.0-348.el8.x86_64/vmlinux\n"
	    "    DUMPFILE: /var/crash/127.0.0.1-2021-11-30-12:00:00/vmcore\n"
	    "        CPUS: 4\n"
	    "     RELEASE: 4.18.0-348.el8.x86_64\n"
	    "     VERSION: #1 SMP Mon Oct 4 12:17:22 UTC 2021\n"
	    "     MACHINE: x86_64  (2095 Mhz)\n"
	    "crash> kmem -v\n"
	    "VMAP_AREA         VM_STRUCT                 ADDRESS RANGE                "
	    "SIZE\n"
	    "ffff88810a4c1e40  ffff88810a4c3b00  ffffc90000000000 - ffffc90000005000   "
	    "20480\n";
	struct vms_dump *d = parse_text(text, sizeof(text) - 1);
	cr_assert_eq(d->areas.n, 1);
	cr_assert_str_eq(d->log->version_text, "4.18.0-348.el8.x86_64");
	cr_assert_eq(d->log->version_line, 4);
	cr_assert_str_eq(d->arch, "x86_64");
	cr_assert(strstr(d->arch_source, "line 4") || strstr(d->arch_source, "line 6"),
	          "%s", d->arch_source);
	vms_dump_free(d);
	/* a RELEASE: word elsewhere without a release is nothing */
	static const char other[] = "RELEASE: soon\nMACHINE: coffee\n";
	d = parse_text(other, sizeof(other) - 1);
	cr_assert_null(d->log->version_text);
	vms_dump_free(d);
}

/* A crash row wrapped after END (a mail client at 72 columns): read with
 * its size recomputed, said as a repair; its size alone on the next line
 * stays prose. A prose line of the same shape but no kernel addresses is
 * no row. */
Test(parse_debuggers, a_crash_row_that_lost_its_size_is_read)
{
	static const char text[] =
	    "VMAP_AREA         VM_STRUCT                 ADDRESS RANGE                "
	    "SIZE\n"
	    "ffff88810a4c1e40  ffff88810a4c3b00  ffffc90000000000 - ffffc90000005000\n"
	    "  20480\n"
	    "ffff88810a4c1f00  ffff88810a4c3c00  ffffc90000005000 - ffffc90000007000    "
	    "8192\n"
	    "12345678 00000001 - 00000002\n";
	struct vms_dump *d = parse_text(text, sizeof(text) - 1);
	cr_assert_eq(d->areas.n, 2);
	cr_assert_eq(d->areas.v[0].start, 0xffffc90000000000ull);
	cr_assert_eq(d->areas.v[0].size, 20480);
	cr_assert_eq(d->src.v[0].repairs, VMS_R_SIZE);
	size_t said = 0;
	for (size_t i = 0; i < d->repairs.n; i++)
		said += !strcmp(d->repairs.v[i].code, "size-from-range");
	cr_assert_eq(said, 1);
	cr_assert_eq(d->tool, VMS_TOOL_CRASH_KMEM);
	cr_assert_eq(d->acct.by_class[VMS_LINE_REPAIRED], 1);
	cr_assert_eq(d->acct.noise[VMS_NOISE_PROSE], 2, "the lone size and the prose");
	vms_dump_free(d);
}
