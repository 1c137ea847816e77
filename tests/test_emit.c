/*
 * test_emit.c — the writers of emit.h on hand-built dumps: canonical text
 * per kernel era, CSV quoting and columns, JSON contract keys and edge
 * values, diagnostics format and colour, and the accounting summary.
 *
 * Output is captured with open_memstream() and compared with exact strings
 * (JSON by substrings: jansson stays confined to emit_json.c).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/dump.h"
#include "vmscope/emit.h"

/* ---- fixtures ----------------------------------------------------------- */

static struct vms_dump *new_dump(unsigned bits)
{
	struct vms_dump *d = vms_dump_new("t.txt");
	d->addr_bits = bits;
	d->visibility = VMS_VIS_REAL;
	return d;
}

/* Adds an area through the builder API; the pointer is valid until the
 * next area is added. */
static struct vms_area *add_area(struct vms_dump *d, uint64_t start, uint64_t end,
                                 uint64_t size)
{
	struct vms_area a = {.start = start, .end = end, .size = size};
	uint32_t line = (uint32_t)d->areas.n + 1;
	struct vms_area_src s = {.line = line, .last_line = line, .col = 1};
	size_t i = vms_dump_add_area(d, &a, &s, NULL, 0);
	return &d->areas.v[i];
}

static uint32_t sym(struct vms_dump *d, const char *name)
{
	return vms_dump_intern(d, name, strlen(name));
}

static void set_caller(struct vms_dump *d, struct vms_area *a, const char *name,
                       uint32_t off, uint32_t len)
{
	a->caller = sym(d, name);
	a->offset = off;
	a->length = len;
	a->has_offset = true;
}

/* NUMA entries of the last area added. */
static void set_numa(struct vms_dump *d, uint32_t n, const uint32_t *pages)
{
	for (uint32_t i = 0; i < n; i++)
		vms_vec_push(&d->numa, ((struct vms_numa){.node = i, .pages = pages[i]}));
}

/* Extra words of the last area added. */
static void set_extra(struct vms_dump *d, const char *words)
{
	vms_dump_set_extra(d, d->areas.n - 1, words, strlen(words));
}

typedef int (*writer_fn)(FILE *, const struct vms_dump *);

/* Runs a writer into memory; returns a new string (free()). */
static char *capture(writer_fn fn, const struct vms_dump *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	cr_assert_not_null(fp);
	cr_assert_eq(fn(fp, d), 0);
	fclose(fp);
	return buf;
}

static char *capture_diags(const struct vms_dump *d, bool color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	cr_assert_eq(vms_emit_diags(fp, d, color), 0);
	fclose(fp);
	return buf;
}

static void expect_text(const struct vms_dump *d, const char *want)
{
	char *got = capture(vms_emit_text, d);
	cr_expect_str_eq(got, want);
	free(got);
}

static void expect_contains(const char *hay, const char *needle)
{
	cr_expect_not_null(strstr(hay, needle), "missing [%s] in:\n%s", needle, hay);
}

/* ---- canonical text ----------------------------------------------------- */

Test(emit_text, x86_64_vmalloc_line_has_16_digits_and_numa)
{
	struct vms_dump *d = new_dump(64);
	struct vms_area *a = add_area(d, 0xffffc90000004000, 0xffffc90000405000, 4198400);
	set_caller(d, a, "alloc_large_system_hash", 0x17a, 0x238);
	a->pages = 1024;
	a->has_pages = true;
	a->flags = VMS_F_VMALLOC | VMS_F_VPAGES;
	set_numa(d, 1, (const uint32_t[]){1024});
	expect_text(
	    d, "0xffffc90000004000-0xffffc90000405000 4198400 "
	       "alloc_large_system_hash+0x17a/0x238 pages=1024 vmalloc vpages N0=1024\n");
	vms_dump_free(d);
}

Test(emit_text, arm32_old_phys_has_no_0x_and_size_is_right_aligned)
{
	struct vms_dump *d = new_dump(32);
	struct vms_area *a = add_area(d, 0xf0000000, 0xf0002000, 8192);
	set_caller(d, a, "devm_ioremap", 0x38, 0x7c);
	a->phys = 0x40000000;
	a->has_phys = true;
	a->flags = VMS_F_IOREMAP;
	expect_text(d, "0xf0000000-0xf0002000    8192 devm_ioremap+0x38/0x7c "
	               "phys=40000000 ioremap\n");
	vms_dump_free(d);
}

Test(emit_text, phys_pa_form_is_padded_to_its_phys_addr_t_width)
{
	struct vms_dump *d64 = new_dump(64);
	struct vms_area *a = add_area(d64, 0xffffc90000000000, 0xffffc90000002000, 8192);
	a->phys = 0xfed00000;
	a->has_phys = true;
	a->phys_form = VMS_PHYS_PA64;
	a->flags = VMS_F_IOREMAP;
	expect_text(d64, "0xffffc90000000000-0xffffc90000002000    8192 "
	                 "phys=0x00000000fed00000 ioremap\n");
	vms_dump_free(d64);

	struct vms_dump *d32 = new_dump(32);
	a = add_area(d32, 0xf0800000, 0xf0802000, 8192);
	a->phys = 0x3f200000;
	a->has_phys = true;
	a->phys_form = VMS_PHYS_PA32;
	struct vms_area *lpae = add_area(d32, 0xf0900000, 0xf0902000, 8192);
	lpae->phys = 0x3f201000;
	lpae->has_phys = true;
	lpae->phys_form = VMS_PHYS_PA64; /* ARM LPAE: 64-bit phys_addr_t */
	expect_text(d32, "0xf0800000-0xf0802000    8192 phys=0x3f200000\n"
	                 "0xf0900000-0xf0902000    8192 phys=0x000000003f201000\n");
	vms_dump_free(d32);
}

Test(emit_text, kernel_option_prints_phys_in_its_era_without_changing_the_record)
{
	struct vms_dump *d = new_dump(32);
	struct vms_area *a = add_area(d, 0xf0800000, 0xf0802000, 8192);
	a->phys = 0x3f200000;
	a->has_phys = true;
	a->phys_form = VMS_PHYS_PLAIN;
	d->kernel_given = true;
	d->kernel_major = 4;
	d->kernel_minor = 19;
	expect_text(d, "0xf0800000-0xf0802000    8192 phys=0x3f200000\n");
	cr_expect_eq(d->areas.v[0].phys_form, VMS_PHYS_PLAIN);
	d->kernel_minor = 4;
	d->areas.v[0].phys_form = VMS_PHYS_PA32;
	expect_text(d, "0xf0800000-0xf0802000    8192 phys=3f200000\n");
	vms_dump_free(d);
}

Test(emit_text, flag_words_follow_kernel_order)
{
	struct vms_dump *d = new_dump(32);
	struct vms_area *a = add_area(d, 0xe0000000, 0xe0002000, 8192);
	a->flags = VMS_F_VPAGES | VMS_F_USER | VMS_F_IOREMAP | VMS_F_DMA_COHERENT |
	           VMS_F_VMAP | VMS_F_SPARSE | VMS_F_VMALLOC;
	expect_text(d, "0xe0000000-0xe0002000    8192 ioremap sparse vmalloc vmap user "
	               "dma-coherent vpages\n");
	vms_dump_free(d);
}

Test(emit_text, vm_map_ram_and_unpurged_kinds)
{
	struct vms_dump *d = new_dump(32);
	add_area(d, 0xece7e000, 0xece83000, 20480)->kind = VMS_KIND_VM_MAP_RAM;
	add_area(d, 0xece7c000, 0xece7e000, 8192)->kind = VMS_KIND_UNPURGED;
	expect_text(d, "0xece7e000-0xece83000   20480 vm_map_ram\n"
	               "0xece7c000-0xece7e000    8192 unpurged vm_area\n");
	vms_dump_free(d);
}

Test(emit_text, module_raw_caller_no_caller_and_extra_words)
{
	struct vms_dump *d = new_dump(64);
	struct vms_area *a = add_area(d, 0xffffffffa0000000, 0xffffffffa0005000, 20480);
	set_caller(d, a, "load_module", 0x0, 0x10);
	a->module = sym(d, "nf_conntrack");
	a = add_area(d, 0xffffffffa0005000, 0xffffffffa0007000, 8192);
	a->caller = sym(d, "0xffffffffa0001234");
	a = add_area(d, 0xffffffffa0007000, 0xffffffffa0009000, 8192);
	a->pages = 1;
	a->has_pages = true;
	a->flags = VMS_F_VMALLOC;
	set_extra(d, "huge");
	expect_text(
	    d, "0xffffffffa0000000-0xffffffffa0005000   20480 load_module+0x0/0x10 "
	       "[nf_conntrack]\n"
	       "0xffffffffa0005000-0xffffffffa0007000    8192 0xffffffffa0001234\n"
	       "0xffffffffa0007000-0xffffffffa0009000    8192 pages=1 vmalloc huge\n");
	vms_dump_free(d);
}

Test(emit_text, hashed_restricted_and_ptrval_addresses_print_as_recorded)
{
	struct vms_dump *d = new_dump(64);
	d->visibility = VMS_VIS_HASHED;
	add_area(d, 0x00000000deadbeef, 0x0000000012345678, 8192);
	expect_text(d, "0x00000000deadbeef-0x0000000012345678    8192\n");
	d->visibility = VMS_VIS_RESTRICTED;
	d->areas.v[0].start = d->areas.v[0].end = 0;
	expect_text(d, "0x0000000000000000-0x0000000000000000    8192\n");
	d->visibility = VMS_VIS_PTRVAL;
	expect_text(d, "0x(____ptrval____)-0x(____ptrval____)    8192\n");
	d->addr_bits = 32;
	expect_text(d, "0x(ptrval)-0x(ptrval)    8192\n");
	vms_dump_free(d);
}

Test(emit_text, unknown_width_follows_the_values)
{
	struct vms_dump *d = new_dump(0);
	add_area(d, 0x1000, 0x3000, 8192);
	add_area(d, 0x100000000, 0x100002000, 8192);
	expect_text(d, "0x00001000-0x00003000    8192\n"
	               "0x0000000100000000-0x0000000100002000    8192\n");
	vms_dump_free(d);
}

/* ---- CSV ---------------------------------------------------------------- */

static const char csv_header[] =
    "\"start\",\"end\",\"size\",\"kind\",\"caller\",\"offset\",\"length\",\"module\","
    "\"pages\",\"phys\",\"flags\",\"numa\",\"line\",\"last_line\",\"repairs\","
    "\"source\"\n";

Test(emit_csv, header_then_one_quoted_row_with_empty_absent_fields)
{
	struct vms_dump *d = new_dump(32);
	struct vms_area *a = add_area(d, 0xf0000000, 0xf0003000, 12288);
	set_caller(d, a, "weird,na\"me", 0x10, 0x20);
	a->pages = 2;
	a->has_pages = true;
	a->flags = VMS_F_VMALLOC | VMS_F_USER;
	set_numa(d, 2, (const uint32_t[]){1, 1});
	char *got = capture(vms_emit_csv, d);
	char want[1024];
	snprintf(want, sizeof(want),
	         "%s\"0xf0000000\",\"0xf0003000\",\"12288\",\"area\",\"weird,na\"\"me\","
	         "\"0x10\",\"0x20\",,\"2\",,\"vmalloc user\",\"N0=1 N1=1\",\"1\",\"1\",,"
	         "\"t.txt\"\n",
	         csv_header);
	cr_expect_str_eq(got, want);
	free(got);
	vms_dump_free(d);
}

Test(emit_csv, repairs_come_from_the_area_bits_and_phys_is_hex)
{
	struct vms_dump *d = new_dump(32);
	add_area(d, 0xf0000000, 0xf0002000, 8192);
	struct vms_area *a = add_area(d, 0xf0002000, 0xf0004000, 8192);
	a->phys = 0x8b520000;
	a->has_phys = true;
	a->kind = VMS_KIND_AREA;
	d->src.v[1].repairs = VMS_R_START | VMS_R_JOINED_LINES;
	vms_dump_repair(d, 9, 1, -1, "orphan", "not an area");
	char *got = capture(vms_emit_csv_rows, d);
	cr_expect_str_eq(
	    got, "\"0xf0000000\",\"0xf0002000\",\"8192\",\"area\",,,,,,,,,"
	         "\"1\",\"1\",,\"t.txt\"\n"
	         "\"0xf0002000\",\"0xf0004000\",\"8192\",\"area\",,,,,,"
	         "\"0x8b520000\",,,\"2\",\"2\",\"joined-lines start-from-end-size\","
	         "\"t.txt\"\n");
	free(got);
	vms_dump_free(d);
}

Test(emit_csv, control_bytes_from_the_input_are_escaped)
{
	struct vms_dump *d = new_dump(32);
	add_area(d, 0xf0000000, 0xf0002000, 8192)->caller = sym(d, "evil\x1b]0;x\x07");
	char *got = capture(vms_emit_csv_rows, d);
	expect_contains(got, "\"evil\\x1b]0;x\\x07\"");
	cr_expect_null(strchr(got, '\033'));
	free(got);
	vms_dump_free(d);
}

/* ---- JSON --------------------------------------------------------------- */

Test(emit_json, areas_carry_the_contract_keys)
{
	struct vms_dump *d = new_dump(64);
	struct vms_area *a = add_area(d, 0xffffc90000004000, 0xffffc90000405000, 4198400);
	set_caller(d, a, "alloc_large_system_hash", 0x17a, 0x238);
	a->flags = VMS_F_VMALLOC;
	set_numa(d, 2, (const uint32_t[]){3, 2});
	char *got = capture(vms_emit_json, d);
	expect_contains(got, "\"source\": \"t.txt\"");
	expect_contains(got, "\"start\": \"0xffffc90000004000\"");
	expect_contains(got, "\"end\": \"0xffffc90000405000\"");
	expect_contains(got, "\"size\": 4198400");
	expect_contains(got, "\"kind\": \"area\"");
	expect_contains(got, "\"caller\": \"alloc_large_system_hash\"");
	expect_contains(got, "\"offset\": 378");
	expect_contains(got, "\"flags\": [\n        \"vmalloc\"\n      ]");
	expect_contains(got, "\"numa\": {\n        \"0\": 3,\n        \"1\": 2\n      }");
	expect_contains(got, "\"phys\": null");
	expect_contains(got, "\"line\": 1");
	expect_contains(got, "\"address_visibility\": \"real\"");
	cr_expect_eq(got[strlen(got) - 1], '\n');
	free(got);
	vms_dump_free(d);
}

Test(emit_json, values_above_int64_max_become_hex_strings)
{
	struct vms_dump *d = new_dump(64);
	struct vms_area *a =
	    add_area(d, 0xffffffffffffe000, 0xfffffffffffff000, UINT64_MAX);
	a->pages = UINT32_MAX;
	a->has_pages = true;
	char *got = capture(vms_emit_json, d);
	expect_contains(got, "\"size\": \"0xffffffffffffffff\"");
	expect_contains(got, "\"pages\": 4294967295");
	free(got);
	vms_dump_free(d);
}

Test(emit_json, invalid_utf8_is_replaced_not_dropped)
{
	struct vms_dump *d = new_dump(32);
	add_area(d, 0xf0000000, 0xf0002000, 8192)->caller =
	    sym(d, "bad\xff\xc3 name\xe2\x82\xac");
	char *got = capture(vms_emit_json, d);
	expect_contains(got, "\"caller\": \"bad?? name\xe2\x82\xac\"");
	free(got);
	vms_dump_free(d);
}

Test(emit_json, absent_facts_are_null_and_layout_source_null)
{
	struct vms_dump *d = new_dump(32);
	char *got = capture(vms_emit_json, d);
	expect_contains(got, "\"kernel\": null");
	expect_contains(got, "\"cmdline\": null");
	expect_contains(got, "\"version\": null");
	expect_contains(got, "\"layout\": {\n    \"source\": null");
	expect_contains(got, "\"areas\": []");
	free(got);
	vms_dump_free(d);
}

Test(emit_json, boot_log_layout_cmdline_and_failures)
{
	struct vms_dump *d = new_dump(32);
	struct vms_bootlog *log = d->log;
	struct vms_region r = {.name = "vmalloc",
	                       .kind = VMS_RK_VMALLOC,
	                       .start = 0xbb800000,
	                       .end = 0xff800000,
	                       .printed = 1088,
	                       .has_printed = true,
	                       .line = 31};
	memcpy(r.printed_unit, "MB", 3);
	vms_vec_push(&log->regions, r);
	log->layout_style = VMS_LAYOUT_ARM32;
	log->has_cmdline = true;
	log->cmdline = (struct vms_cmdline){.text = "vmalloc=300M",
	                                    .line = 20,
	                                    .has_vmalloc = true,
	                                    .vmalloc = 300u << 20,
	                                    .vmalloc_text = "300M"};
	struct vms_failure f = {.kind = VMS_FAIL_VMAP, .size = 8192, .line = 40};
	vms_vec_push(&log->failures, f);
	d->kernel_major = 4;
	d->kernel_minor = 4;
	char *got = capture(vms_emit_json, d);
	expect_contains(got, "\"source\": \"log\"");
	expect_contains(got, "\"style\": \"arm32\"");
	expect_contains(
	    got, "\"name\": \"vmalloc\",\n        \"start\": \"0xbb800000\",\n"
	         "        \"end\": \"0xff800000\",\n        \"kind\": \"vmalloc\",\n"
	         "        \"source\": \"log\",\n        \"printed_size\": 1088,\n"
	         "        \"printed_unit\": \"MB\"");
	expect_contains(got, "\"vmalloc\": 314572800");
	expect_contains(got, "\"kind\": \"vmap\"");
	expect_contains(got, "\"range\": null");
	expect_contains(got, "\"inferred\": true");
	free(got);
	vms_dump_free(d);
}

Test(emit_json, accounting_diagnostics_and_repairs)
{
	struct vms_dump *d = new_dump(32);
	d->acct.lines = 4;
	d->acct.by_class[VMS_LINE_PARSED] = 1;
	d->acct.by_class[VMS_LINE_REPAIRED] = 1;
	d->acct.by_class[VMS_LINE_NOISE] = 1;
	d->acct.by_class[VMS_LINE_DIAGNOSTIC] = 1;
	d->acct.noise[VMS_NOISE_PROMPT] = 1;
	vms_dump_diag(d, 4, 7, VMS_SEV_WARNING, "bad-size", "size %s", "x");
	vms_dump_repair(d, 2, 1, -1, "stray-token", "dropped 'x'");
	char *got = capture(vms_emit_json, d);
	expect_contains(
	    got, "\"accounting\": {\n    \"lines\": 4,\n    \"parsed\": 1,\n"
	         "    \"repaired\": 1,\n    \"noise\": 1,\n    \"diagnostic\": 1,\n"
	         "    \"noise_kinds\": {\n      \"blank\": 0,\n      \"prompt\": 1");
	expect_contains(got,
	                "\"file\": \"t.txt\",\n      \"line\": 4,\n      \"col\": 7,\n"
	                "      \"severity\": \"warning\",\n      \"code\": \"bad-size\"");
	expect_contains(got, "\"area\": null,\n      \"code\": \"stray-token\"");
	free(got);
	vms_dump_free(d);
}

Test(emit_json, several_dumps_make_an_array)
{
	struct vms_dump *a = new_dump(32), *b = vms_dump_new("second.txt");
	const struct vms_dump *both[] = {a, b};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	cr_assert_eq(vms_emit_json_array(fp, both, 2), 0);
	fclose(fp);
	cr_expect_eq(buf[0], '[');
	expect_contains(buf, "\"source\": \"t.txt\"");
	expect_contains(buf, "\"source\": \"second.txt\"");
	free(buf);
	vms_dump_free(a);
	vms_dump_free(b);
}

/* ---- diagnostics -------------------------------------------------------- */

static struct vms_dump *diag_dump(const char *source)
{
	struct vms_dump *d = vms_dump_new(source);
	vms_dump_diag(d, 5, 3, VMS_SEV_ERROR, "bad-range", "end before start");
	vms_dump_repair(d, 2, 12, 0, "start-from-end-size", "start 0x%x -> 0x%x",
	                0xf000000, 0xf0000000);
	vms_dump_diag(d, 5, 0, VMS_SEV_NOTE, "hint", "whole line");
	vms_dump_diag(d, 1, 1, VMS_SEV_WARNING, "tab", "tab in line");
	return d;
}

Test(emit_diags, compiler_style_ordered_by_line_and_column)
{
	struct vms_dump *d = diag_dump("dump.txt");
	char *got = capture_diags(d, false);
	cr_expect_str_eq(got,
	                 "dump.txt:1:1: warning: tab in line [tab]\n"
	                 "dump.txt:2:12: note: repaired: start 0xf000000 -> 0xf0000000 "
	                 "[start-from-end-size]\n"
	                 "dump.txt:5: note: whole line [hint]\n"
	                 "dump.txt:5:3: error: end before start [bad-range]\n");
	free(got);
	vms_dump_free(d);
}

Test(emit_diags, color_only_when_asked)
{
	struct vms_dump *d = diag_dump("-");
	char *plain = capture_diags(d, false);
	char *color = capture_diags(d, true);
	cr_expect_null(strchr(plain, '\033'));
	expect_contains(plain, "<stdin>:5:3: error: ");
	expect_contains(color,
	                "\033[1m<stdin>:5:3:\033[0m \033[1;31merror:\033[0m end before");
	expect_contains(color, "\033[1;33mwarning:\033[0m");
	expect_contains(color, "\033[1;36mnote:\033[0m repaired: ");
	free(plain);
	free(color);
	vms_dump_free(d);
}

Test(emit_diags, control_bytes_from_the_input_never_reach_the_terminal)
{
	struct vms_dump *d = vms_dump_new("t.txt");
	vms_dump_diag(d, 1, 30, VMS_SEV_WARNING, "cmdline-bad-size",
	              "vmalloc=%s is not a size", "\x1b]0;pwned\x07\x1b[2J300M");
	char *got = capture_diags(d, false);
	cr_expect_null(strchr(got, '\033'));
	cr_expect_null(strchr(got, '\007'));
	expect_contains(got, "vmalloc=\\x1b]0;pwned\\x07\\x1b[2J300M is not a size");
	free(got);
	vms_dump_free(d);
}

Test(emit_diags, messages_beyond_the_cap_are_counted_in_one_line)
{
	struct vms_dump *d = vms_dump_new("t.txt");
	for (unsigned i = 1; i <= VMS_DIAG_CAP + 5; i++)
		vms_dump_diag(d, i, 1, VMS_SEV_ERROR, "orphan-detail", "line %u", i);
	cr_assert_eq(d->diags.n, VMS_DIAG_CAP);
	cr_expect_eq(vms_dump_nr_errors(d), VMS_DIAG_CAP + 5);
	char *got = capture_diags(d, false);
	char want[160];
	snprintf(want, sizeof(want),
	         "t.txt:%u: note: 5 more errors like this from here on were counted, "
	         "not shown (at most %u per code) [orphan-detail]\n",
	         VMS_DIAG_CAP + 1, VMS_DIAG_CAP);
	expect_contains(got, want);
	free(got);
	got = capture(vms_emit_json, d);
	expect_contains(got,
	                "\"not_stored\": [\n    {\n      \"code\": \"orphan-detail\",\n"
	                "      \"severity\": \"error\",\n      \"count\": 5,");
	free(got);
	vms_dump_free(d);
}

/* ---- stats -------------------------------------------------------------- */

static void fill_acct(struct vms_dump *d, uint64_t lines)
{
	d->acct.lines = lines;
	d->acct.by_class[VMS_LINE_PARSED] = 5;
	d->acct.by_class[VMS_LINE_REPAIRED] = 2;
	d->acct.by_class[VMS_LINE_NOISE] = 2;
	d->acct.by_class[VMS_LINE_DIAGNOSTIC] = 1;
	d->acct.noise[VMS_NOISE_BLANK] = 1;
	d->acct.noise[VMS_NOISE_PROMPT] = 1;
}

Test(emit_stats, counts_breakdown_and_sum_line)
{
	struct vms_dump *d = new_dump(32);
	fill_acct(d, 10);
	add_area(d, 0xf0000000, 0xf0002000, 8192);
	add_area(d, 0xf0002000, 0xf0004000, 8192)->kind = VMS_KIND_UNPURGED;
	vms_dump_diag(d, 3, 1, VMS_SEV_ERROR, "x", "y");
	char *got = capture(vms_emit_stats, d);
	expect_contains(got, "source:       t.txt\n");
	expect_contains(got, "  parsed             5\n");
	expect_contains(got, "  noise              2\n    blank            1\n"
	                     "    prompt           1\n  diagnostic         1\n");
	expect_contains(got, "areas:        2 (vm_struct 1, vm_map_ram 0, unpurged 1)\n");
	expect_contains(got, "diagnostics:  1 (errors 1, warnings 0, notes 0)\n");
	expect_contains(got, "addresses:    real, 32-bit\n");
	const char *last = "lines: 10 = parsed 5 + repaired 2 + noise 2 + diagnostic 1\n";
	size_t n = strlen(got), m = strlen(last);
	cr_assert_geq(n, m);
	cr_expect_str_eq(got + n - m, last);
	free(got);
	vms_dump_free(d);
}

Test(emit_stats, a_broken_sum_is_reported_not_hidden)
{
	struct vms_dump *d = new_dump(32);
	fill_acct(d, 11);
	char *got = capture(vms_emit_stats, d);
	expect_contains(got,
	                "lines: 11 != parsed 5 + repaired 2 + noise 2 + diagnostic 1 "
	                "(accounting mismatch)\n");
	free(got);
	vms_dump_free(d);
}

/* ---- helpers ------------------------------------------------------------ */

Test(emit_helpers, repair_codes_follow_bit_order_and_truncate_whole_codes)
{
	struct vms_dump *d = new_dump(32);
	add_area(d, 0xf0000000, 0xf0002000, 8192);
	d->src.v[0].repairs = VMS_R_ELISION | VMS_R_JOINED_LINES | VMS_R_CALLER;
	char buf[64];
	cr_expect_str_eq(vms_emit_repair_codes(d, 0, ",", buf, sizeof(buf)),
	                 "joined-lines,caller-underscores,elision");
	char small[20];
	cr_expect_str_eq(vms_emit_repair_codes(d, 0, ",", small, sizeof(small)),
	                 "joined-lines");
	vms_dump_free(d);
}

Test(emit_helpers, escaping_keeps_utf8_and_shows_controls)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	const char s[] = "a\x1b[2Jb\tc\xc3\xa9\xc2\x9b\xff\x7f\xe2\x82";
	vms_emit_escaped(fp, s, sizeof(s) - 1, true);
	vms_emit_escaped(fp, "\t", 1, false);
	fclose(fp);
	cr_expect_str_eq(buf, "a\\x1b[2Jb\tc\xc3\xa9\\xc2\\x9b\\xff\\x7f\\xe2\\x82\\x09");
	free(buf);
}

Test(emit_helpers, utf8_snippets_never_cut_a_character)
{
	const char s[] = "ab\xe2\x82\xac"; /* "ab€" */
	cr_expect_eq(vms_utf8_clip(s, 5, 5), 5);
	cr_expect_eq(vms_utf8_clip(s, 5, 4), 2);
	cr_expect_eq(vms_utf8_clip(s, 5, 3), 2);
	cr_expect_eq(vms_utf8_clip(s, 5, 2), 2);
	cr_expect_eq(vms_utf8_clip("abcdef", 6, 3), 3);
	cr_expect_eq(vms_utf8_clip("ab\x80\x80\x80\x80x", 7, 4), 4,
	             "not UTF-8: cut as bytes");
	cr_expect_eq(vms_utf8_len("\xc3\xa9", 2), 2);
	cr_expect_eq(vms_utf8_len("\xc0\xaf", 2), 0, "overlong");
	cr_expect_eq(vms_utf8_len("\xed\xa0\x80", 3), 0, "surrogate");
	cr_expect_eq(vms_utf8_len("\xe2\x82", 2), 0, "cut short");
}

Test(emit_helpers, flag_words_truncate_whole_words)
{
	char buf[16];
	vms_emit_flag_words(VMS_F_IOREMAP | VMS_F_VMALLOC | VMS_F_VPAGES, ",", buf,
	                    sizeof(buf));
	cr_expect_str_eq(buf, "ioremap,vmalloc");
}
