/*
 * test_parse_vmi.c — the vmallocinfo parser: every line form and paste
 * artefact, table-driven (one row per form, expected fields or the expected
 * diagnostic), plus whole-file checks on the seed dumps in samples/.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "vmscope/parse.h"
#include <stdlib.h>

/* Parameters must be pointer-free (Criterion copies them into a child). */
struct vcase {
	char name[48];
	char text[640];
	unsigned nareas; /* expected number of areas */
	unsigned idx;    /* which area the fields below describe */
	unsigned long long start, end, size;
	char caller[48]; /* "" = no caller */
	char module[24];
	unsigned long long pages, phys; /* ~0 = absent */
	unsigned flags;
	unsigned kind;
	unsigned repairs;  /* bits that must be set on the area */
	char repair[32];   /* a repair code that must be reported, or "" */
	char diag[32];     /* a diagnostic code that must be reported, or "" */
	unsigned diag_col; /* its column, 0 = not checked */
};

#define NONE (~0ull)

static struct vcase cases[] = {
    {"canonical-32",
     "0xbf000000-0xbf003000   12288 module_alloc+0x54/0x60 pages=2 vmalloc\n", 1, 0,
     0xbf000000, 0xbf003000, 12288, "module_alloc", "", 2, NONE, VMS_F_VMALLOC},
    {"canonical-64-module-numa",
     "0xffffc90000741000-0xffffc90000745000   16384 "
     "e1000_setup_all_tx_resources+0x97/0x550 "
     "[e1000] pages=3 vmalloc N0=3\n",
     1, 0, 0xffffc90000741000ull, 0xffffc90000745000ull, 16384,
     "e1000_setup_all_tx_resources", "e1000", 3, NONE, VMS_F_VMALLOC},
    {"phys-without-0x",
     "0xffffc20000c0a000-0xffffc20000c0c000    8192 acpi_os_map_memory+0x13/0x1c "
     "phys=cff68000 "
     "ioremap\n",
     1, 0, 0xffffc20000c0a000ull, 0xffffc20000c0c000ull, 8192, "acpi_os_map_memory", "",
     NONE, 0xcff68000, VMS_F_IOREMAP},
    {"phys-with-0x",
     "0xffffb5c0c0000000-0xffffb5c0c0002000    8192 acpi_os_map_iomem+0x19d/0x1c0 "
     "phys=0x00000000f7ff8000 ioremap\n",
     1, 0, 0xffffb5c0c0000000ull, 0xffffb5c0c0002000ull, 8192, "acpi_os_map_iomem", "",
     NONE, 0xf7ff8000, VMS_F_IOREMAP},
    {"raw-hex-caller", "0xc0800000-0xc0802000    8192 0xc0123456 pages=1 vmalloc\n", 1, 0,
     0xc0800000, 0xc0802000, 8192, "0xc0123456", "", 1, NONE, VMS_F_VMALLOC},
    {"no-caller", "0xf0000000-0xf0002000    8192 vmalloc\n", 1, 0, 0xf0000000, 0xf0002000,
     8192, "", "", NONE, NONE, VMS_F_VMALLOC},
    {"vm-map-ram", "0xece7e000-0xece83000   20480 vm_map_ram\n", 1, 0, 0xece7e000,
     0xece83000, 20480, "", "", NONE, NONE, 0, VMS_KIND_VM_MAP_RAM},
    {"unpurged", "0xece7c000-0xece7e000    8192 unpurged vm_area\n", 1, 0, 0xece7c000,
     0xece7e000, 8192, "", "", NONE, NONE, 0, VMS_KIND_UNPURGED},
    {"every-flag",
     "0xf0000000-0xf0002000    8192 x+0x1/0x2 ioremap sparse vmalloc vmap user "
     "dma-coherent "
     "vpages\n",
     1, 0, 0xf0000000, 0xf0002000, 8192, "x", "", NONE, NONE, 0x7f},
    {"dmesg-timestamp",
     "[    5.123456] 0xf0000000-0xf0002000    8192 of_iomap+0x30/0x38 phys=d1d01000 "
     "ioremap\n",
     1, 0, 0xf0000000, 0xf0002000, 8192, "of_iomap", "", NONE, 0xd1d01000, VMS_F_IOREMAP},
    {"crlf", "0xf0000000-0xf0002000    8192 of_iomap+0x30/0x38 phys=d1d01000 ioremap\r\n",
     1, 0, 0xf0000000, 0xf0002000, 8192, "of_iomap", "", NONE, 0xd1d01000, VMS_F_IOREMAP},
    {"tab-separated",
     "0xf00b6000-0xf00b8000\t8192 of_iomap+0x30/0x38 phys=d0630000 ioremap\n", 1, 0,
     0xf00b6000, 0xf00b8000, 8192, "of_iomap", "", NONE, 0xd0630000, VMS_F_IOREMAP},
    {"mail-quote", "> 0xf0000000-0xf0002000    8192 of_iomap+0x30/0x38 ioremap\n", 1, 0,
     0xf0000000, 0xf0002000, 8192, "of_iomap", "", NONE, NONE, VMS_F_IOREMAP},
    {"fenced-with-prompt",
     "```\nroot@granite2:~# cat /proc/vmallocinfo\n0xf0000000-0xf0002000 8192 "
     "of_iomap+0x30/0x38 "
     "ioremap\n```\n",
     1, 0, 0xf0000000, 0xf0002000, 8192, "of_iomap", "", NONE, NONE, VMS_F_IOREMAP},
    {"wrapped-two-lines",
     "0xf03bc000-0xf03be000\n                      8192 devm_ioremap+0x40/0x78 "
     "phys=d07d0000 "
     "ioremap\n",
     1, 0, 0xf03bc000, 0xf03be000, 8192, "devm_ioremap", "", NONE, 0xd07d0000,
     VMS_F_IOREMAP, 0, VMS_R_JOINED_LINES},
    {"detail-before-address",
     "0xf03d2000-0xf03d4000\n   8192 a_fn+0x40/0x78 phys=d4220000 ioremap\n   8192 "
     "b_fn+0x40/0x78 "
     "phys=d0626000 ioremap\n0xf03d4000-0xf03d6000\n0xf03d6000-0xf03d8000\n   8192 "
     "c_fn+0x1/0x2 "
     "ioremap\n",
     3, 1, 0xf03d4000, 0xf03d6000, 8192, "b_fn", "", NONE, 0xd0626000, VMS_F_IOREMAP, 0,
     VMS_R_PAIRED, "paired-orphans"},
    {"glued-on-one-line",
     "0xbf000000-0xbf003000 12288 a_fn+0xc/0x5c pages=2 vmalloc 0xbf005000-0xbf007000 "
     "8192 "
     "b_fn+0xc/0x5c pages=1 vmalloc\n",
     2, 1, 0xbf005000, 0xbf007000, 8192, "b_fn", "", 1, NONE, VMS_F_VMALLOC, 0,
     VMS_R_SPLIT_GLUED, "glued-entries"},
    {"glued-no-separator",
     "/ # cat proc/vmallocinfo0xbf000000-0xbf0b3000 733184 module_alloc+0x54/0x60 "
     "pages=178 "
     "vmalloc0xd085e000-0xd0860000 8192 __arm_ioremap_pfn+0x64/0x144 ioremap\n",
     2, 1, 0xd085e000, 0xd0860000, 8192, "__arm_ioremap_pfn", "", NONE, NONE,
     VMS_F_IOREMAP, 0, VMS_R_SPLIT_GLUED, "leading-text"},
    {"detail-first-glued",
     "0xf001c000-0xf001e000 8192 of_iomap+0x30/0x38 phys=d0625000 ioremap 8192 "
     "of_iomap+0x30/0x38 phys=d0630000 ioremap 0xf001e000-0xf0020000\n",
     2, 1, 0xf001e000, 0xf0020000, 8192, "of_iomap", "", NONE, 0xd0630000, VMS_F_IOREMAP,
     0, VMS_R_PAIRED, "paired-orphans"},
    {"fields-reordered",
     "0xf0558000-0xf055a000 phys=f8150000 ioremap\t8192 "
     "stepper_mod_platform_probe+0x164/0x3cc [stepper_mod_a0]\n",
     1, 0, 0xf0558000, 0xf055a000, 8192, "stepper_mod_platform_probe", "stepper_mod_a0",
     NONE, 0xf8150000, VMS_F_IOREMAP, 0, VMS_R_REORDERED, "fields-reordered"},
    {"underscores-lost",
     "0xbf000000-0xbf003000 12288 module alloc update bounds+0xc/0x5c pages=2 vmalloc\n",
     1, 0, 0xbf000000, 0xbf003000, 12288, "module_alloc_update_bounds", "", 2, NONE,
     VMS_F_VMALLOC, 0, VMS_R_CALLER, "caller-underscores"},
    {"underscores-lost-flag-word",
     "0xf03c8000-0xf03cb000 12288 devm ioremap nocache+0x40/0x78 phys=d0700000 ioremap\n",
     1, 0, 0xf03c8000, 0xf03cb000, 12288, "devm_ioremap_nocache", "", NONE, 0xd0700000,
     VMS_F_IOREMAP, 0, VMS_R_CALLER, "caller-underscores"},
    {"module-with-blank",
     "0xf043e000-0xf0440000 8192 i2c_pxa_probe+0x288/0x4c0 [i2c pxa] phys=d4011000 "
     "ioremap\n",
     1, 0, 0xf043e000, 0xf0440000, 8192, "i2c_pxa_probe", "i2c_pxa", NONE, 0xd4011000,
     VMS_F_IOREMAP, 0, VMS_R_MODULE, "module-underscores"},
    {"stray-token", "0xf00f0000-0xf0131000 2\t266240 atomic_pool_init+0x0/0x13c user\n",
     1, 0, 0xf00f0000, 0xf0131000, 266240, "atomic_pool_init", "", NONE, NONE, VMS_F_USER,
     0, VMS_R_STRAY, "stray-token"},
    {"typo-start", "0xf000000-0xf0002000 8192 of_iomap+0x30/0x38 phys=d1d01000 ioremap\n",
     1, 0, 0xf0000000, 0xf0002000, 8192, "of_iomap", "", NONE, 0xd1d01000, VMS_F_IOREMAP,
     0, VMS_R_START, "start-from-end-size"},
    {"typo-end", "0xf0000000-0xf00020000 8192 of_iomap+0x30/0x38 ioremap\n", 1, 0,
     0xf0000000, 0xf0002000, 8192, "of_iomap", "", NONE, NONE, VMS_F_IOREMAP, 0,
     VMS_R_END, "end-from-start-size"},
    {"size-misread-pages", "0xf0000000-0xf0004000 8193 f+0x1/0x2 pages=3 vmalloc\n", 1, 0,
     0xf0000000, 0xf0004000, 16384, "f", "", 3, NONE, VMS_F_VMALLOC, 0, VMS_R_SIZE,
     "size-from-range"},
    {"end-size-glued",
     "0xffffc90004000000-0xffffc9000500100016781312 pci_iomap_range+0x66/0x80 "
     "phys=e0000000 "
     "ioremap\n",
     1, 0, 0xffffc90004000000ull, 0xffffc90005001000ull, 16781312, "pci_iomap_range", "",
     NONE, 0xe0000000, VMS_F_IOREMAP, 0, VMS_R_END_SIZE_GLUED, "end-size-glued"},
    {"end-size-caller-glued-no-blanks",
     "0xf0000000-0xf00020008192devm_ioremap+0x40/0x78 ioremap\n", 1, 0, 0xf0000000,
     0xf0002000, 8192, "devm_ioremap", "", NONE, NONE, VMS_F_IOREMAP, 0,
     VMS_R_END_SIZE_GLUED, "end-size-glued"},
    {"lone-numa-continuation",
     "0x00000000dea0f2d2-0x00000000909e9fb3 "
     "268439552\nalloc_large_system_hash+0xf1/0x290 "
     "pages=65536 vmalloc vpages N0=32768\nN1=32768\n",
     1, 0, 0xdea0f2d2, 0x909e9fb3, 268439552, "alloc_large_system_hash", "", 65536, NONE,
     VMS_F_VMALLOC | VMS_F_VPAGES, 0, VMS_R_JOINED_LINES},
    {"caller-split-with-elision",
     "0xffffc20000000000-0xffffc20000201000 2101248 alloc_large_system_hash+0x204 ...\n  "
     "/0x2c0 "
     "pages=512 vmalloc N0=128 N1=128 N2=128 N3=128\n",
     1, 0, 0xffffc20000000000ull, 0xffffc20000201000ull, 2101248,
     "alloc_large_system_hash", "", 512, NONE, VMS_F_VMALLOC, 0,
     VMS_R_JOINED_LINES | VMS_R_ELISION, "elision"},
    {"vendor-word-kept",
     "0xc0000000-0xc7a00000 127926272 map_lowmem+0x0/0x240 phys=80000000 lowmem\n", 1, 0,
     0xc0000000, 0xc7a00000, 127926272, "map_lowmem", "", NONE, 0x80000000, 0},
    {"orphan-detail", "8192 of_iomap+0x30/0x38 phys=d0630000 ioremap\n", 0, 0, 0, 0, 0,
     "", "", 0, 0, 0, 0, 0, "", "orphan-detail", 1},
    {"range-only", "0xf03d4000-0xf03d6000\n", 1, 0, 0xf03d4000, 0xf03d6000, 8192, "", "",
     NONE, NONE, 0, 0, 0, "", "range-only", 1},
    {"address-overflow", "0x1ffffffffffffffff-0x2ffffffffffffffff 8192 x+0x1/0x2\n", 0, 0,
     0, 0, 0, "", "", 0, 0, 0, 0, 0, "", "address-overflow", 1},
    {"size-overflow", "0xf0000000-0xf0002000 99999999999999999999999 x+0x1/0x2\n", 1, 0,
     0xf0000000, 0xf0002000, 8192, "x", "", NONE, NONE, 0, 0, 0, "", "number-overflow",
     23},
    {"size-mismatch-unrepairable", "0xf0000000-0xf0004000 8192 foo+0x1/0x2\n", 1, 0,
     0xf0000000, 0xf0004000, 8192, "foo", "", NONE, NONE, 0, 0, 0, "", "size-mismatch",
     1},
};

ParameterizedTestParameters(parse_vmi, line_forms)
{
	return cr_make_param_array(struct vcase, cases, sizeof(cases) / sizeof(cases[0]));
}

static int has_repair(const struct vms_dump *d, const char *code)
{
	for (size_t i = 0; i < d->repairs.n; i++)
		if (strcmp(d->repairs.v[i].code, code) == 0)
			return 1;
	return 0;
}

static const struct vms_diag *find_diag(const struct vms_dump *d, const char *code)
{
	for (size_t i = 0; i < d->diags.n; i++)
		if (strcmp(d->diags.v[i].code, code) == 0)
			return &d->diags.v[i];
	return NULL;
}

static void check_sum(const struct vms_dump *d)
{
	const struct vms_accounting *a = &d->acct;
	uint64_t s = 0, ns = 0;
	for (int i = 0; i < VMS_NR_LINE_CLASSES; i++)
		s += a->by_class[i];
	for (int i = 0; i < VMS_NR_NOISE_KINDS; i++)
		ns += a->noise[i];
	cr_assert_eq(s, a->lines, "classes sum to %llu, not %llu lines",
	             (unsigned long long)s, (unsigned long long)a->lines);
	cr_assert_eq(ns, a->by_class[VMS_LINE_NOISE], "noise kinds do not sum up");
}

static void check_fields(const struct vcase *c, const struct vms_dump *d, size_t i)
{
	const struct vms_area *a = &d->areas.v[i];
	const char *caller = vms_area_caller(d, a), *module = vms_area_module(d, a);
	cr_expect_eq(a->start, c->start, "%s: start 0x%llx", c->name,
	             (unsigned long long)a->start);
	cr_expect_eq(a->end, c->end, "%s: end 0x%llx", c->name,
	             (unsigned long long)a->end);
	cr_expect_eq(a->size, c->size, "%s: size %llu", c->name,
	             (unsigned long long)a->size);
	cr_expect_str_eq(caller ? caller : "", c->caller, "%s: caller", c->name);
	cr_expect_str_eq(module ? module : "", c->module, "%s: module", c->name);
	if (c->pages != NONE)
		cr_expect(a->has_pages && a->pages == c->pages, "%s: pages", c->name);
	if (c->phys != NONE)
		cr_expect(a->has_phys && a->phys == c->phys, "%s: phys", c->name);
	cr_expect_eq(a->flags, c->flags, "%s: flags 0x%x", c->name, a->flags);
	cr_expect_eq(a->kind, c->kind, "%s: kind", c->name);
	cr_expect_eq(d->src.v[i].repairs & c->repairs, c->repairs, "%s: repair bits 0x%x",
	             c->name, d->src.v[i].repairs);
}

ParameterizedTest(struct vcase *c, parse_vmi, line_forms)
{
	struct vms_dump *d;
	cr_assert_eq(vms_parse_buffer(c->text, strlen(c->text), "t", NULL, &d), 0);
	check_sum(d);
	cr_assert_eq(d->areas.n, c->nareas, "%s: %zu areas", c->name, d->areas.n);
	if (c->nareas)
		check_fields(c, d, c->idx);
	if (c->repair[0])
		cr_expect(has_repair(d, c->repair), "%s: repair %s missing", c->name,
		          c->repair);
	if (c->diag[0]) {
		const struct vms_diag *g = find_diag(d, c->diag);
		cr_assert(g, "%s: diagnostic %s missing", c->name, c->diag);
		if (c->diag_col)
			cr_expect_eq(g->col, c->diag_col, "%s: column %u", c->name,
			             g->col);
	} else {
		cr_expect_eq(vms_dump_nr_errors(d), 0, "%s: unexpected errors", c->name);
	}
	vms_dump_free(d);
}

/* ---- whole dumps ---------------------------------------------------------- */

static struct vms_dump *parse_sample(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "samples/%s", name);
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_file(path, NULL, &d), 0, "cannot parse %s", path);
	check_sum(d);
	return d;
}

static size_t count_caller(const struct vms_dump *d, const char *caller)
{
	size_t n = 0;
	uint32_t id = vms_symtab_find(&d->syms, caller, strlen(caller));
	for (size_t i = 0; i < d->areas.n; i++)
		n += id && d->areas.v[i].caller == id;
	return n;
}

Test(parse_vmi, ocr_paste_yields_all_395_areas)
{
	struct vms_dump *d =
	    parse_sample("arm32-marvell-granite2-ocr-paste-vmallocinfo.txt");
	cr_assert_eq(d->areas.n, 395);
	cr_expect_eq(vms_dump_nr_errors(d), 0);
	cr_expect_eq(d->visibility, VMS_VIS_REAL);
	cr_expect_eq(d->addr_bits, 32);
	cr_expect(d->sorted, "the OCR dump is address-sorted once repaired");
	/* no caller keeps a blank: every lost underscore was restored */
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		const char *caller = vms_area_caller(d, a);
		uint32_t line = d->src.v[i].line;
		cr_assert(caller, "area %zu (line %u) has no caller", i, line);
		cr_expect(!strchr(caller, ' '), "caller '%s'", caller);
		cr_expect_eq(a->end - a->start, a->size, "area at line %u", line);
		cr_expect_eq(a->geom, VMS_GEOM_TRUSTED, "area at line %u", line);
	}
	cr_expect_eq(count_caller(d, "module_alloc_update_bounds"), 26);
	cr_expect_eq(d->areas.v[0].start, 0xbf000000);
	cr_expect_eq(d->areas.v[394].start, 0xfee00000);
	cr_expect_str_eq(vms_area_caller(d, &d->areas.v[394]), "pci_reserve_io");
	cr_expect(has_repair(d, "start-from-end-size"));
	cr_expect(has_repair(d, "stray-token"));
	cr_expect(has_repair(d, "paired-orphans"));
	vms_dump_free(d);
}

Test(parse_vmi, collapsed_one_line_paste_yields_125_areas)
{
	struct vms_dump *d =
	    parse_sample("arm32-marvell-collapsed-oneline-paste-vmallocinfo.txt");
	cr_assert_eq(d->areas.n, 125);
	cr_expect_eq(d->areas.v[0].start, 0xbf000000);
	cr_expect_str_eq(vms_area_caller(d, &d->areas.v[0]), "module_alloc");
	cr_expect_eq(d->areas.v[124].start, 0xd1200000);
	cr_expect_eq(d->areas.v[124].size, 1052672);
	cr_expect_eq(d->acct.by_class[VMS_LINE_REPAIRED], 1);
	cr_expect(has_repair(d, "leading-text"));
	cr_expect(has_repair(d, "glued-entries"));
	vms_dump_free(d);
}

Test(parse_vmi, qa_thread_yields_32_areas_with_glued_size_repaired)
{
	struct vms_dump *d = parse_sample("x86_64-qa-thread-vmallocinfo.txt");
	cr_assert_eq(d->areas.n, 32);
	cr_expect_eq(d->areas.v[0].end, 0xffffc90005001000ull);
	cr_expect_eq(d->areas.v[0].size, 16781312);
	cr_expect(d->src.v[0].repairs & VMS_R_END_SIZE_GLUED);
	cr_expect_eq(count_caller(d, "n_tty_open"), 5);
	cr_expect_eq(d->addr_bits, 64);
	cr_expect_str_eq(d->arch, "x86_64");
	vms_dump_free(d);
}

Test(parse_vmi, hashed_dump_keeps_accounting_and_skips_geometry)
{
	struct vms_dump *d =
	    parse_sample("x86_64-rhcos-4.18.0-80-hashed-vmallocinfo.txt");
	cr_assert_eq(d->areas.n, 616);
	cr_expect_eq(d->visibility, VMS_VIS_HASHED);
	cr_expect_eq(d->repairs.n, 0, "hashed addresses must never be 'repaired'");
	for (size_t i = 0; i < d->areas.n; i++)
		cr_expect_neq(d->areas.v[i].geom, VMS_GEOM_TRUSTED, "area %zu", i);
	const struct vms_diag *g = find_diag(d, "addresses-hidden");
	cr_assert(g, "a hashed dump says how to get real addresses");
	cr_expect_eq(g->severity, VMS_SEV_NOTE);
	cr_expect(strstr(g->message, "kptr_restrict=1"), "%s", g->message);
	cr_expect_eq(vms_dump_nr_errors(d), 0);
	vms_dump_free(d);
}

Test(parse_vmi, wrapped_hashed_mail_paste)
{
	struct vms_dump *d = parse_sample(
	    "x86_64-2021-dumazet-numa-hashed-wrapped-old-otrv5-vmallocinfo.txt");
	cr_assert_eq(d->areas.n, 16);
	cr_expect_eq(d->visibility, VMS_VIS_HASHED);
	for (size_t i = 0; i < d->areas.n; i++)
		cr_expect_str_eq(vms_area_caller(d, &d->areas.v[i]),
		                 "alloc_large_system_hash");
	vms_dump_free(d);
}

Test(parse_vmi, restricted_and_ptrval_addresses)
{
	const char *z =
	    "0x00000000-0x00000000    8192 of_iomap+0x30/0x38 ioremap\n"
	    "0x00000000-0x00000000   12288 vmalloc_user+0x1/0x2 pages=2 vmalloc\n";
	struct vms_dump *d;
	cr_assert_eq(vms_parse_buffer(z, strlen(z), "z", NULL, &d), 0);
	cr_expect_eq(d->areas.n, 2);
	cr_expect_eq(d->visibility, VMS_VIS_RESTRICTED);
	cr_expect_eq(d->areas.v[1].size, 12288);
	cr_expect_eq(d->areas.v[1].geom, VMS_GEOM_ZEROED);
	vms_dump_free(d);
	const char *p = "0x(ptrval)-0x(ptrval)    8192 of_iomap+0x30/0x38 ioremap\n";
	cr_assert_eq(vms_parse_buffer(p, strlen(p), "p", NULL, &d), 0);
	cr_expect_eq(d->areas.n, 1);
	cr_expect_eq(d->visibility, VMS_VIS_PTRVAL);
	cr_expect_eq(d->areas.v[0].geom, VMS_GEOM_PTRVAL);
	vms_dump_free(d);
}

Test(parse_vmi, page_size_64k_inferred)
{
	struct vms_dump *d =
	    parse_sample("arm64-nvidia-t241-6.2-64k-modules-N0-vmallocinfo-excerpt.txt");
	cr_expect_eq(d->areas.n, 8);
	cr_expect_eq(d->page_size, 65536);
	cr_expect_str_eq(d->arch, "arm64");
	vms_dump_free(d);
}

/* Without areas to tell it, a 16K/64K flavour's release names the page
 * size; a word that only starts with "64k" does not. */
Test(parse_vmi, page_size_from_a_release_flavour)
{
	static const struct {
		const char *line;
		uint64_t page;
	} releases[] = {
	    {"Linux version 6.2.0-1009-nvidia-64k (b@h) (gcc) #1 SMP\n", 65536},
	    {"Linux version 6.5.0-asahi-16k (b@h) (gcc) #1 SMP\n", 16384},
	    {"Linux version 6.5.0-64kfoo (b@h) (gcc) #1 SMP\n", 4096},
	    {"Linux version 6.5.0-generic (b@h) (gcc) #1 SMP\n", 4096},
	};
	for (size_t i = 0; i < sizeof(releases) / sizeof(releases[0]); i++) {
		struct vms_dump *d = NULL;
		cr_assert_eq(vms_parse_buffer(releases[i].line, strlen(releases[i].line),
		                              "r", NULL, &d),
		             0);
		cr_expect_eq(d->page_size, releases[i].page, "%s", releases[i].line);
		vms_dump_free(d);
	}
	/* areas that tell their page size outvote the release */
	const char *t =
	    "Linux version 6.5.0-generic-64k (b@h) (gcc) #1 SMP\n"
	    "0xffff800080000000-0xffff800080005000   20480 start_kernel+0x1/0x2 "
	    "pages=4 vmalloc\n";
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_buffer(t, strlen(t), "t", NULL, &d), 0);
	cr_expect_eq(d->page_size, 4096);
	vms_dump_free(d);
}

Test(parse_vmi, era_from_markers)
{
	struct vms_dump *d =
	    parse_sample("ppc32-powermac-g4-6.14-rc4-outline-kasan-vmallocinfo.txt");
	/* its alloc_tag_init area (memory allocation profiling) bounds it
	 * best: 6.10 or later, beside the 5.4+ unpurged block */
	cr_expect(strstr(d->era, "6.10 or later"), "era: %s", d->era);
	cr_expect(strstr(d->era, "caller alloc_tag_init (6.10+)"), "era: %s", d->era);
	vms_dump_free(d);
	struct vms_parse_opts o = {.kernel_major = 4, .kernel_minor = 4};
	const char *t = "0xf0000000-0xf0002000 8192 f+0x1/0x2 phys=0x10000000 ioremap\n";
	cr_assert_eq(vms_parse_buffer(t, strlen(t), "t", &o, &d), 0);
	cr_expect(d->kernel_given);
	cr_expect_eq(d->areas.v[0].phys_form, VMS_PHYS_PA32,
	             "--kernel changes interpretation, never the stored form");
	vms_dump_free(d);
}

Test(parse_vmi, every_sample_adds_up)
{
	static const char *const names[] = {
	    "arm32-qcom-mdm9607-jmr540-3.18-vmallocinfo.txt",
	    "arm32-zte-4.1.25-mem128M-vmallocinfo.txt",
	    "arm32-zynq-xilinx-4.4.0-vmallocinfo.txt",
	    "ppc32-powermac-g4-6.14-rc4-inline-kasan-vmallocinfo.txt",
	    "x86_64-2008-clameter-vmallocinfo-intro.txt",
	    "x86_64-kernel-doc-proc-example-numa4-wrapped-vmallocinfo.txt",
	};
	static const size_t want[] = {117, 91, 54, 428, 46, 12};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct vms_dump *d = parse_sample(names[i]);
		cr_expect_eq(d->areas.n, want[i], "%s: %zu areas", names[i], d->areas.n);
		cr_expect_eq(vms_dump_nr_errors(d), 0, "%s has errors", names[i]);
		vms_dump_free(d);
	}
}

/* ---- the fast path ---------------------------------------------------------
 * Clean lines must take the fast path: the tolerant path gives the same
 * records, so only a direct check sees a fast path that silently gave up. */
#include "parse_vmi_int.h"

static bool fast_takes(const char *text)
{
	struct vms_dump *d = vms_dump_new("t");
	struct vms_classes cls = {0};
	vms_vec_reserve(&cls, 4);
	cls.n = 1;
	cls.v[1] = VMS_NO_CLASS;
	struct vms_vmi *p = vms_vmi_new(d, &cls);
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", text);
	buf[strcspn(buf, "\n")] = '\0'; /* the driver hands lines without EOL */
	struct vms_line ln = {.raw = buf, .raw_len = strlen(buf), .no = 1};
	vms_line_strip(&ln);
	bool ok = vms_vmi_fast(p, &ln);
	vms_vmi_free(p);
	free(cls.v);
	vms_dump_free(d);
	return ok;
}

Test(parse_vmi, fast_path_takes_every_canonical_form)
{
	static const char *const clean[] = {
	    "0xbf000000-0xbf003000   12288 module_alloc+0x54/0x60 pages=2 vmalloc",
	    "0xffffc90000741000-0xffffc90000745000   16384 e1000_setup+0x97/0x550 "
	    "[e1000] "
	    "pages=3 vmalloc N0=3",
	    "0xffffc90000004000-0xffffc90000405000 4198400 "
	    "alloc_large_system_hash+0x17a/0x238 "
	    "pages=1024 vmalloc vpages N0=512 N1=512",
	    "0xf0000000-0xf0002000    8192 of_iomap+0x30/0x38 phys=d1d01000 ioremap",
	    "0xffffb5c0c0000000-0xffffb5c0c0002000    8192 acpi_os_map_iomem+0x19d/0x1c0 "
	    "phys=0x00000000f7ff8000 ioremap",
	    "0xf0000000-0xf0002000    8192 x+0x1/0x2 ioremap sparse vmalloc vmap user "
	    "dma-coherent vpages",
	    "0xf0000000-0xf0002000    8192 vmap",
	    "0xc0800000-0xc0802000    8192 0xc0123456 pages=1 vmalloc",
	    "0xfedec000-0xfee00000   81920 pcpu_get_vm_areas+0x0/0x598 vmalloc",
	    "0xece7e000-0xece83000   20480 vm_map_ram",
	    "0xece7c000-0xece7e000    8192 unpurged vm_area",
	};
	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++)
		cr_expect(fast_takes(clean[i]), "fast path refused: %s", clean[i]);
	static const char *const messy[] = {
	    "0xf0558000-0xf055a000 phys=f8150000 ioremap\t8192 x+0x1/0x2",
	    "0xbf000000-0xbf003000 12288 module alloc update bounds+0xc/0x5c pages=2 "
	    "vmalloc",
	    "0xf0000000-0xf0002000 8192 x+0x1/0x2 vmalloc ioremap",
	    "0xf0000000-0xf00020008192 x+0x1/0x2 ioremap",
	    "0xc0000000-0xc7a00000 127926272 map_lowmem+0x0/0x240 phys=80000000 lowmem",
	};
	for (size_t i = 0; i < sizeof(messy) / sizeof(messy[0]); i++)
		cr_expect(!fast_takes(messy[i]), "fast path took a messy line: %s",
		          messy[i]);
}

/* A dump pasted right after a layout block: its first (wrapped) range line
 * is dump text, not a nameless layout line. */
Test(parse_vmi, wrapped_entry_right_after_a_layout_block)
{
	const char *t = "Virtual kernel memory layout:\n"
	                "    vmalloc : 0xf0000000 - 0xff000000   ( 240 MB)\n"
	                "    lowmem  : 0xc0000000 - 0xef800000   ( 760 MB)\n"
	                "0xf0000000-0xf0002000\n"
	                "        8192 of_iomap+0x30/0x38 phys=d1d01000 ioremap\n";
	struct vms_dump *d;
	cr_assert_eq(vms_parse_buffer(t, strlen(t), "t", NULL, &d), 0);
	cr_expect_eq(d->log->regions.n, 2);
	cr_assert_eq(d->areas.n, 1);
	cr_expect_str_eq(vms_area_caller(d, &d->areas.v[0]), "of_iomap");
	cr_expect_eq(d->areas.v[0].size, 8192);
	check_sum(d);
	vms_dump_free(d);
}

/* Differential check of the two paths: a random clean line goes through the
 * fast path; the same entry wrapped after its range goes through the
 * tokenizer and assembler. Both must give the same record. */
static uint64_t rng = 0x243f6a8885a308d3ull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void random_entry(char *range, size_t rn, char *rest, size_t tn)
{
	static const char *const flags[] = {"ioremap", "sparse",       "vmalloc", "vmap",
	                                    "user",    "dma-coherent", "vpages"};
	bool wide = next_rand() & 1;
	uint64_t start = next_rand() & (wide ? ~0xfffull : 0xfffff000ull);
	uint64_t size = ((next_rand() % 4096) + 1) * 4096;
	if (start > (wide ? UINT64_MAX : 0xffffffffull) - size)
		start -= size;
	snprintf(range, rn, wide ? "0x%016llx-0x%016llx" : "0x%08llx-0x%08llx",
	         (unsigned long long)start, (unsigned long long)(start + size));
	int n =
	    snprintf(rest, tn, "%7llu fn_%llx+0x%llx/0x%llx", (unsigned long long)size,
	             (unsigned long long)(next_rand() % 100000),
	             (unsigned long long)(next_rand() % 0x1000),
	             (unsigned long long)(next_rand() % 0x10000 + 1));
	if (next_rand() & 1)
		n += snprintf(rest + n, tn - (size_t)n, " [mod_%u]",
		              (unsigned)(next_rand() % 9));
	if (next_rand() & 1)
		n += snprintf(rest + n, tn - (size_t)n, " pages=%llu",
		              (unsigned long long)(size / 4096 - 1));
	if (next_rand() & 1)
		n += snprintf(rest + n, tn - (size_t)n,
		              next_rand() & 1 ? " phys=0x%016llx" : " phys=%llx",
		              (unsigned long long)(next_rand() & ~0xfffull));
	for (int i = 0; i < 7; i++)
		if (next_rand() % 3 == 0)
			n += snprintf(rest + n, tn - (size_t)n, " %s", flags[i]);
	for (unsigned k = 0, nodes = (unsigned)(next_rand() % 3); k < nodes; k++)
		n += snprintf(rest + n, tn - (size_t)n, " N%u=%u", k,
		              (unsigned)(next_rand() % 5000));
}

Test(parse_vmi, fast_and_tolerant_paths_agree_on_random_lines)
{
	for (int i = 0; i < 2000; i++) {
		char range[64], rest[256], one[400], two[400];
		random_entry(range, sizeof(range), rest, sizeof(rest));
		snprintf(one, sizeof(one), "%s %s\n", range, rest);
		snprintf(two, sizeof(two), "%s\n  %s\n", range, rest);
		cr_assert(fast_takes(one), "fast path refused: %s", one);
		struct vms_dump *a, *b;
		cr_assert_eq(vms_parse_buffer(one, strlen(one), "1", NULL, &a), 0);
		cr_assert_eq(vms_parse_buffer(two, strlen(two), "2", NULL, &b), 0);
		cr_assert_eq(a->areas.n, 1, "%s", one);
		cr_assert_eq(b->areas.n, 1, "%s", two);
		const struct vms_area *x = &a->areas.v[0], *y = &b->areas.v[0];
		cr_assert(x->start == y->start && x->end == y->end && x->size == y->size,
		          "%s", one);
		cr_assert_str_eq(vms_area_caller(a, x), vms_area_caller(b, y));
		cr_assert(x->offset == y->offset && x->length == y->length, "%s", one);
		const char *mx = vms_area_module(a, x), *my = vms_area_module(b, y);
		cr_assert_str_eq(mx ? mx : "", my ? my : "");
		cr_assert(x->has_pages == y->has_pages && x->pages == y->pages, "%s",
		          one);
		cr_assert(x->has_phys == y->has_phys && x->phys == y->phys &&
		              x->phys_form == y->phys_form,
		          "%s", one);
		cr_assert_eq(x->flags, y->flags, "%s", one);
		cr_assert_eq(x->geom, y->geom, "%s", one);
		uint32_t nx, ny;
		const struct vms_numa *px = vms_dump_numa(a, 0, &nx),
		                      *py = vms_dump_numa(b, 0, &ny);
		cr_assert_eq(nx, ny, "%s", one);
		for (uint32_t k = 0; k < nx; k++)
			cr_assert(px[k].node == py[k].node && px[k].pages == py[k].pages);
		vms_dump_free(a);
		vms_dump_free(b);
	}
}

/* ---- the tokenizer is linear ----------------------------------------------
 * A paste that lost every blank and newline is one run; the tokenizer must
 * not rescan the rest of the run for every token in it. Work is counted in
 * bytes examined (vms_tokenizer.work), never timed. */

/* Tokenizes a line of `reps` copies of `unit` and returns the work. */
static uint64_t tokenize_work(const char *unit, size_t reps, size_t *tokens)
{
	size_t ul = strlen(unit), len = ul * reps;
	char *buf = malloc(len + 1);
	cr_assert_not_null(buf);
	for (size_t i = 0; i < reps; i++)
		memcpy(buf + i * ul, unit, ul);
	buf[len] = '\0';
	struct vms_line ln = {.raw = buf, .raw_len = len, .no = 1};
	vms_line_strip(&ln);
	struct vms_tok *toks = malloc(512 * sizeof(*toks));
	struct vms_tokenizer tk = {0};
	*tokens = 0;
	while (tk.pos < ln.len)
		*tokens += vms_vmi_tokenize(&ln, &tk, toks, 512);
	free(toks);
	free(buf);
	return tk.work;
}

Test(parse_vmi, tokenizing_a_line_without_blanks_is_linear)
{
	static const char *const units[] = {
	    /* entries glued without blanks: end+size, caller+flag, next range */
	    "0xf0000000-0xf00020008192fn+0x1/0x2vmalloc",
	    /* text with no range at all */
	    "abcdefghij",
	    /* ranges that are not pointer-width, and "0x" that starts nothing */
	    "0x1-0x20x0x",
	};
	for (size_t u = 0; u < 3; u++) {
		size_t t1, t4;
		uint64_t w1 = tokenize_work(units[u], 20000, &t1);
		uint64_t w4 = tokenize_work(units[u], 80000, &t4);
		size_t bytes = strlen(units[u]) * 20000;
		cr_expect_leq(w1, 3 * bytes, "%s: %llu bytes examined for %zu", units[u],
		              (unsigned long long)w1, bytes);
		cr_expect_leq(w4, 5 * w1, "%s: work %llu -> %llu for 4x the input",
		              units[u], (unsigned long long)w1, (unsigned long long)w4);
		cr_expect_geq(t4, 4 * t1 - 4, "%s: tokens %zu -> %zu", units[u], t1, t4);
	}
}

/* A word that starts like a caller but is not one is kept whole. */
Test(parse_vmi, a_word_that_is_almost_a_caller_is_kept_whole)
{
	const char *t = "0xf0000000-0xf0002000 8192 fn+0x1/0x2vmalloc\n";
	struct vms_dump *d;
	cr_assert_eq(vms_parse_buffer(t, strlen(t), "t", NULL, &d), 0);
	cr_assert_eq(d->areas.n, 1);
	cr_expect_null(vms_area_caller(d, &d->areas.v[0]));
	cr_expect_str_eq(vms_dump_extra(d, 0), "fn+0x1/0x2vmalloc");
	vms_dump_free(d);
}

/* "[...]" glued after an entry is an elision, never a module name. */
Test(parse_vmi, bracketed_elisions_are_not_modules)
{
	static const char *const marks[] = {"[...]", "[..]", "[ ... ]", "[snip]",
	                                    "[\xe2\x80\xa6]"};
	for (size_t i = 0; i < 5; i++) {
		char line[160];
		snprintf(line, sizeof(line),
		         "0xf0000000-0xf0002000 8192 of_iomap+0x30/0x38 %s ioremap\n",
		         marks[i]);
		struct vms_dump *d;
		cr_assert_eq(vms_parse_buffer(line, strlen(line), "t", NULL, &d), 0);
		cr_assert_eq(d->areas.n, 1, "%s", marks[i]);
		cr_expect_null(vms_area_module(d, &d->areas.v[0]), "%s became a module",
		               marks[i]);
		cr_expect(d->src.v[0].repairs & VMS_R_ELISION, "%s", marks[i]);
		cr_expect_eq(d->areas.v[0].flags, VMS_F_IOREMAP, "%s", marks[i]);
		vms_dump_free(d);
	}
}

/* ---- the same listing twice ---------------------------------------------- */

static const char listing[] =
    "0xf0000000-0xf0002000    8192 of_iomap+0x30/0x38 phys=d1d01000 ioremap\n"
    "0xf0002000-0xf0005000   12288 a_fn+0x1/0x2 pages=2 vmalloc\n"
    "0xf0005000-0xf0007000    8192 b_fn+0x1/0x2 pages=1 vmalloc\n"
    "0xf0007000-0xf000a000   12288 c_fn+0x1/0x2 pages=2 vmalloc\n";

static struct vms_dump *parse_listing_twice(const char *between, const char *second)
{
	char *t =
	    vms_xasprintf("/ # cat /proc/vmallocinfo\n%s%s%s", listing, between, second);
	struct vms_dump *d;
	cr_assert_eq(vms_parse_buffer(t, strlen(t), "t", NULL, &d), 0);
	free(t);
	check_sum(d);
	return d;
}

Test(parse_vmi, a_listing_pasted_twice_is_read_once)
{
	struct vms_dump *d = parse_listing_twice("/ # cat /proc/vmallocinfo\n", listing);
	cr_assert_eq(d->areas.n, 4);
	const struct vms_diag *g = find_diag(d, "repeated-listing");
	cr_assert(g, "the repeat is noted");
	cr_expect_eq(g->line, 7);
	cr_expect_eq(g->severity, VMS_SEV_NOTE);
	cr_expect_eq(d->acct.noise[VMS_NOISE_REPEAT], 4);
	cr_expect_eq(d->acct.by_class[VMS_LINE_PARSED], 4);
	cr_expect(d->sorted, "one copy of a sorted listing is sorted");
	vms_dump_free(d);
	/* a copy cut short, after a blank line */
	d = parse_listing_twice("\n",
	                        "0xf0000000-0xf0002000    8192 of_iomap+0x30/0x38 "
	                        "phys=d1d01000 ioremap\n"
	                        "0xf0002000-0xf0005000   12288 a_fn+0x1/0x2 pages=2 "
	                        "vmalloc\n");
	cr_expect_eq(d->areas.n, 4);
	cr_expect_eq(d->acct.noise[VMS_NOISE_REPEAT], 2);
	vms_dump_free(d);
}

Test(parse_vmi, a_later_listing_that_differs_is_kept)
{
	/* the second listing has one more page in c_fn: a later snapshot */
	struct vms_dump *d = parse_listing_twice(
	    "\n",
	    "0xf0000000-0xf0002000    8192 of_iomap+0x30/0x38 phys=d1d01000 ioremap\n"
	    "0xf0002000-0xf0005000   12288 a_fn+0x1/0x2 pages=2 vmalloc\n"
	    "0xf0005000-0xf0007000    8192 b_fn+0x1/0x2 pages=1 vmalloc\n"
	    "0xf0007000-0xf000b000   16384 c_fn+0x1/0x2 pages=3 vmalloc\n");
	cr_expect_eq(d->areas.n, 8);
	cr_expect_null(find_diag(d, "repeated-listing"));
	vms_dump_free(d);
	/* one duplicate of the first line right after the listing is not a copy */
	d = parse_listing_twice("", "0xf0000000-0xf0002000    8192 of_iomap+0x30/0x38 "
	                            "phys=d1d01000 ioremap\n");
	cr_expect_eq(d->areas.n, 5);
	cr_expect_null(find_diag(d, "repeated-listing"));
	vms_dump_free(d);
}
