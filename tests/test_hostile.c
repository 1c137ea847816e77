/*
 * test_hostile.c — the parser against hostile input: numbers near and beyond 2^64 in dump
 * lines, layout blocks, command lines and failure messages; pages= near 2^31; 10 MB
 * lines; NUL bytes; binary garbage; 100,000 empty lines, glued entries, continuation
 * lines, trace frames and layout headers; degenerate fragments.
 *
 * Every test parses with vms_parse_buffer and asserts that it returns 0 and
 * that the invariants of tests/fuzz/dump_invariants.h hold (line accounting
 * adds up to the number of '\n'-separated lines, every location is inside
 * the input, strings are non-NULL), then what the input should produce: the
 * diagnostic code, the number of areas or regions, and that a hostile number
 * gives a diagnostic rather than a wrong value (an area that ends before it
 * starts only in a hashed dump or with a diagnostic on its line). Big inputs
 * are generated at run time from a seeded xorshift; nothing is timed.
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/parse.h"

#include "fuzz/dump_invariants.h"

#define MB (1024u * 1024u)

/* ---- helpers ---------------------------------------------------------------- */

static struct vms_dump *parse_buf(const char *buf, size_t len)
{
	struct vms_dump *d = NULL;
	int rc = vms_parse_buffer(buf, len, "hostile", NULL, &d);
	const char *why;

	cr_assert_eq(rc, 0, "vms_parse_buffer returned %d (%s)", rc, vms_strerror(rc));
	cr_assert_not_null(d, "vms_parse_buffer returned 0 but no dump");
	why = vms_check_dump(d, buf, len);
	cr_assert_null(why, "dump invariant violated: %s", why ? why : "");
	return d;
}

static struct vms_dump *parse_str(const char *s)
{
	return parse_buf(s, strlen(s));
}

/* Diagnostics with this code (on this line; line 0 = any line). */
static size_t count_diags(const struct vms_dump *d, const char *code, uint32_t line)
{
	size_t n = 0;

	for (size_t i = 0; i < d->diags.n; i++)
		if (strcmp(d->diags.v[i].code, code) == 0 &&
		    (line == 0 || d->diags.v[i].line == line))
			n++;
	return n;
}

static size_t count_repairs(const struct vms_dump *d, const char *code)
{
	size_t n = 0;

	for (size_t i = 0; i < d->repairs.n; i++)
		n += strcmp(d->repairs.v[i].code, code) == 0;
	return n;
}

/* All diagnostic codes, for assertion messages. */
static const char *diag_codes(const struct vms_dump *d)
{
	static char buf[512];
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < d->diags.n && off + 64 < sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%u:%s",
		                        i ? " " : "", d->diags.v[i].line,
		                        d->diags.v[i].code);
	return d->diags.n ? buf : "(none)";
}

static bool has_diag_on(const struct vms_dump *d, uint32_t line)
{
	for (size_t i = 0; i < d->diags.n; i++)
		if (d->diags.v[i].line == line && d->diags.v[i].severity != VMS_SEV_NOTE)
			return true;
	return false;
}

static bool has_repair_on(const struct vms_dump *d, uint32_t line)
{
	for (size_t i = 0; i < d->repairs.n; i++)
		if (d->repairs.v[i].line == line)
			return true;
	return false;
}

static const struct vms_region *region_named(const struct vms_dump *d, const char *name)
{
	return vms_bootlog_region(d->log, name);
}

/* An area that ends before it starts is only acceptable in a hashed dump, or
 * when it is kept "as printed" with an error or warning on its line. */
static void assert_no_silent_wrapped_area(const struct vms_dump *d)
{
	if (d->visibility == VMS_VIS_HASHED)
		return;
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		uint32_t line = d->src.v[i].line;
		cr_assert(
		    a->end >= a->start || has_diag_on(d, line),
		    "area %zu (line %u) ends before it starts without a diagnostic: "
		    "0x%llx-0x%llx (visibility %s)",
		    i, line, (unsigned long long)a->start, (unsigned long long)a->end,
		    vms_visibility_name(d->visibility));
	}
}

/* Parses `good` real 64-bit lines, then `bad`, then one more good line: the
 * dump is plainly real, so the hostile line is judged on its own. */
static struct vms_dump *parse_among_real_lines(const char *bad)
{
	static const char good[] =
	    "0xffffc90000000000-0xffffc90000002000    8192 a+0x0/0x10 pages=1 vmalloc\n"
	    "0xffffc90000002000-0xffffc90000004000    8192 a+0x0/0x10 pages=1 vmalloc\n";
	static const char tail[] =
	    "0xffffc90000004000-0xffffc90000006000    8192 a+0x0/0x10 pages=1 vmalloc\n";
	char *buf = vms_xasprintf("%s%s\n%s", good, bad, tail);
	struct vms_dump *d = parse_str(buf);

	free(buf);
	cr_assert_eq(d->visibility, VMS_VIS_REAL, "the context lines make the dump real");
	return d;
}

/* Line 3 (the hostile one) gave no area, or one flagged by a diagnostic. */
static void assert_line3_diagnosed(const struct vms_dump *d)
{
	size_t from3 = 0;

	for (size_t i = 0; i < d->areas.n; i++)
		from3 += d->src.v[i].line == 3;
	cr_assert_eq(d->areas.n, 3 + from3, "the three good lines give three areas");
	cr_assert_leq(from3, 1, "one hostile line, at most one area");
	cr_assert(has_diag_on(d, 3), "the hostile line needs a diagnostic (diags: %s)",
	          diag_codes(d));
	cr_assert_geq(d->acct.by_class[VMS_LINE_DIAGNOSTIC], 1,
	              "the hostile line is classified 'diagnostic'");
	assert_no_silent_wrapped_area(d);
}

static void assert_line_not_parsed_silently(const struct vms_dump *d)
{
	cr_assert_eq(d->acct.by_class[VMS_LINE_PARSED], 0,
	             "a hostile line was classified 'parsed' without a diagnostic "
	             "(diags: %s)",
	             diag_codes(d));
}

static uint64_t xs_state;

static uint64_t xs(void)
{
	uint64_t x = xs_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	xs_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* Appends s to buf at *off (buf has room: callers size it generously). */
static void put(char *buf, size_t *off, const char *s)
{
	size_t n = strlen(s);
	memcpy(buf + *off, s, n);
	*off += n;
}

/* ---- numbers near and beyond 2^64 ---------------------------------------- */

Test(hostile, address_range_all_ones_to_zero_is_diagnosed)
{
	struct vms_dump *d = parse_among_real_lines(
	    "0xffffffffffffffff-0x0000000000000000 4096 foo+0x0/0x10 pages=0 vmalloc");
	assert_line3_diagnosed(d);
	vms_dump_free(d);
}

Test(hostile, range_ending_exactly_at_2_pow_64_is_diagnosed)
{
	/* 2^64 prints as 0: start + size wraps to exactly 0. */
	struct vms_dump *d = parse_among_real_lines(
	    "0xfffffffffffff000-0x0000000000000000 4096 foo+0x0/0x10 vmalloc");
	assert_line3_diagnosed(d);
	vms_dump_free(d);
}

Test(hostile, address_with_17_hex_digits_is_an_overflow_diagnostic)
{
	struct vms_dump *d = parse_among_real_lines(
	    "0x1ffffffffffffffff-0x20000000000000000 8192 foo+0x0/0x10 pages=1 vmalloc");
	assert_line3_diagnosed(d);
	cr_assert_eq(d->areas.n, 3, "the overflowing range gives no area");
	cr_assert_eq(count_diags(d, "address-overflow", 3), 1, "diags: %s",
	             diag_codes(d));
	vms_dump_free(d);
}

Test(hostile, end_address_with_17_hex_digits_is_not_truncated_silently)
{
	/* The extra digit is decimal, so it looks like a glued size of 0. */
	struct vms_dump *d = parse_among_real_lines(
	    "0xfffffffffffff000-0x10000000000000000 4096 foo+0x0/0x10 vmalloc");
	assert_line3_diagnosed(d);
	vms_dump_free(d);
}

Test(hostile, end_address_too_wide_on_32_bit_is_not_truncated_silently)
{
	struct vms_dump *d =
	    parse_str("0xc0000000-0xc0002000 8192 a+0x0/0x10 vmalloc\n"
	              "0xc0002000-0xc0004000 8192 a+0x0/0x10 vmalloc\n"
	              "0xc0004000-0x100000000 8192 foo+0x0/0x10 vmalloc\n");
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		if (d->src.v[i].line != 3 || has_diag_on(d, 3))
			continue;
		cr_assert(has_repair_on(d, 3), "line 3 became 0x%llx-0x%llx silently",
		          (unsigned long long)a->start, (unsigned long long)a->end);
		cr_assert_eq(a->end - a->start, a->size, "a repaired area is consistent");
	}
	vms_dump_free(d);
}

Test(hostile, one_64_bit_line_with_high_addresses_is_not_called_hashed)
{
	/* Hashed 64-bit pointers print with the upper 32 bits zero (docs/kernel.md
	 * §1.4); 0xffffc9... cannot be a hash, so the size mismatch is an
	 * input problem to report, not a reason to skip geometry. */
	struct vms_dump *d =
	    parse_str("0xffffc90000000000-0xffffc90000004000 8192 foo+0x0/0x10 pages=1 "
	              "vmalloc\n");
	cr_assert_neq(d->visibility, VMS_VIS_HASHED,
	              "upper 32 bits set: the address is not a %%p hash");
	cr_assert(has_diag_on(d, 1) || d->repairs.n > 0,
	          "start, end and size disagree: needs a repair or a diagnostic");
	vms_dump_free(d);
}

Test(hostile, size_overflowing_u64_gives_a_diagnostic_not_a_wrong_size)
{
	struct vms_dump *d = parse_str("0xf0000000-0xf0002000 99999999999999999999999 "
	                               "foo+0x0/0x10 pages=1 vmalloc\n");
	cr_assert_eq(count_diags(d, "number-overflow", 1), 1, "diags: %s", diag_codes(d));
	cr_assert_leq(d->areas.n, 1, "one line, at most one area");
	for (size_t i = 0; i < d->areas.n; i++)
		cr_assert_eq(d->areas.v[i].size, 8192,
		             "the overflowing size must not survive (size %llu)",
		             (unsigned long long)d->areas.v[i].size);
	assert_line_not_parsed_silently(d);
	vms_dump_free(d);
}

Test(hostile, size_of_exactly_2_pow_64_overflows)
{
	struct vms_dump *d = parse_str(
	    "0xf0000000-0xf0002000 18446744073709551616 foo+0x0/0x10 vmalloc\n");
	cr_assert_eq(count_diags(d, "number-overflow", 1), 1, "diags: %s", diag_codes(d));
	for (size_t i = 0; i < d->areas.n; i++)
		cr_assert_eq(d->areas.v[i].size, 8192, "size 2^64 must not wrap to 0");
	vms_dump_free(d);
}

/* pages= is "%d" in the kernel: 2^31 cannot be printed by a real kernel.
 * Either the value is kept exactly (and check reports the guard-page rule) or
 * it is diagnosed; it must never be truncated or sign-flipped. */
static void assert_pages_kept_or_diagnosed(const char *text, uint64_t pages)
{
	struct vms_dump *d = parse_str(text);
	cr_assert_leq(d->areas.n, 1, "one line, at most one area");
	if (d->areas.n == 1 && d->areas.v[0].has_pages)
		cr_assert_eq(d->areas.v[0].pages, pages,
		             "pages=%llu was changed to %llu without a diagnostic",
		             (unsigned long long)pages,
		             (unsigned long long)d->areas.v[0].pages);
	else
		cr_assert_gt(d->diags.n, 0, "pages=%llu dropped without a diagnostic",
		             (unsigned long long)pages);
	assert_no_silent_wrapped_area(d);
	vms_dump_free(d);
}

Test(hostile, pages_2_pow_31_is_kept_exactly_or_diagnosed)
{
	assert_pages_kept_or_diagnosed(
	    "0xf0000000-0xf0002000 8192 foo+0x0/0x10 pages=2147483648 vmalloc\n",
	    2147483648ull);
}

Test(hostile, pages_99999999999_is_kept_exactly_or_diagnosed)
{
	assert_pages_kept_or_diagnosed(
	    "0xf0000000-0xf0002000 8192 foo+0x0/0x10 pages=99999999999 vmalloc\n",
	    99999999999ull);
}

Test(hostile, pages_beyond_u64_is_an_overflow_diagnostic)
{
	struct vms_dump *d = parse_str("0xf0000000-0xf0002000 8192 foo+0x0/0x10 "
	                               "pages=99999999999999999999999 vmalloc\n");
	cr_assert_eq(count_diags(d, "number-overflow", 1), 1, "diags: %s", diag_codes(d));
	for (size_t i = 0; i < d->areas.n; i++)
		cr_assert(!d->areas.v[i].has_pages,
		          "an overflowing pages= must not be kept");
	vms_dump_free(d);
}

Test(hostile, numa_counts_beyond_u32_are_overflow_diagnostics)
{
	struct vms_dump *d =
	    parse_str("0xf0000000-0xf0002000 8192 foo+0x0/0x10 pages=1 vmalloc "
	              "N0=4294967296 N4294967296=1 N1=99999999999999999999999\n");
	cr_assert_eq(count_diags(d, "number-overflow", 1), 3, "diags: %s", diag_codes(d));
	cr_assert_eq(d->numa.n, 0, "no overflowing N<node>= may be kept");
	vms_dump_free(d);
}

Test(hostile, caller_offset_and_phys_beyond_u64_are_diagnosed)
{
	struct vms_dump *d = parse_str(
	    "0xf0000000-0xf0002000 8192 foo+0xfffffffffffffffff/0x10 pages=1 vmalloc\n"
	    "0xf0002000-0xf0004000 8192 bar+0x0/0x10 phys=0x1ffffffffffffffff ioremap\n");
	cr_assert_geq(count_diags(d, "number-overflow", 1), 1, "line 1: %s",
	              diag_codes(d));
	cr_assert_geq(count_diags(d, "number-overflow", 2), 1, "line 2: %s",
	              diag_codes(d));
	for (size_t i = 0; i < d->areas.n; i++)
		cr_assert(!d->areas.v[i].has_phys,
		          "an overflowing phys= must not be kept");
	vms_dump_free(d);
}

/* ---- huge lines --------------------------------------------------------- */

Test(hostile, ten_mb_line_of_A_is_one_line_and_no_area)
{
	size_t len = 10 * MB;
	char *buf = malloc(len);
	struct vms_dump *d;

	cr_assert_not_null(buf);
	memset(buf, 'A', len);
	d = parse_buf(buf, len);
	cr_assert_eq(d->acct.lines, 1, "one line without newline");
	cr_assert_eq(d->areas.n, 0, "10 MB of 'A' holds no area");
	/* read in windows: its long-line warning makes it a diagnostic line */
	cr_assert_eq(count_diags(d, "long-line", 1), 1);
	cr_assert_eq(d->acct.by_class[VMS_LINE_DIAGNOSTIC], 1);
	vms_dump_free(d);
	free(buf);
}

Test(hostile, ten_mb_line_of_random_tokens_keeps_the_accounting)
{
	static const char *const words[] = {"0xf0000000-0xf0002000",
	                                    "8192",
	                                    "foo+0x10/0x20",
	                                    "[mod]",
	                                    "pages=1",
	                                    "phys=0x3f200000",
	                                    "ioremap",
	                                    "vmalloc",
	                                    "N0=1",
	                                    "...",
	                                    "0x",
	                                    "-",
	                                    "vm_map_ram",
	                                    "unpurged",
	                                    "vm_area",
	                                    "0xffffffffffffffff",
	                                    "[",
	                                    "]",
	                                    "99999999999999999999",
	                                    "/0x40",
	                                    "hello",
	                                    "(ptrval)"};
	size_t cap = 10 * MB + 64, off = 0;
	char *buf = malloc(cap);
	struct vms_dump *d;

	cr_assert_not_null(buf);
	xs_state = 0x5eed0001;
	while (off < 10 * MB) {
		put(buf, &off, words[xs() % (sizeof(words) / sizeof(words[0]))]);
		buf[off++] = xs() % 7 ? ' ' : '\t';
	}
	d = parse_buf(buf, off);
	cr_assert_eq(d->acct.lines, 1, "one line without newline");
	for (size_t i = 0; i < d->areas.n; i++)
		cr_assert_eq(d->src.v[i].line, 1, "every area comes from line 1");
	vms_dump_free(d);
	free(buf);
}

Test(hostile, hundred_thousand_glued_entries_on_one_line_are_split_in_windows)
{
	size_t n = 100000, off = 0;
	char *buf = malloc(n * 80 + 2);
	char item[96];
	struct vms_dump *d;

	cr_assert_not_null(buf);
	for (size_t i = 0; i < n; i++) { /* 32-bit addresses: 8 digits each */
		uint64_t a = 0x80000000ull + i * 0x2000;
		snprintf(item, sizeof(item),
		         "0x%08llx-0x%08llx 8192 f+0x1/0x2 pages=1 vmalloc ",
		         (unsigned long long)a, (unsigned long long)(a + 0x2000));
		put(buf, &off, item);
	}
	buf[off++] = '\n';
	d = parse_buf(buf, off);
	cr_assert_eq(d->areas.n, n, "expected %zu areas, got %zu", n, d->areas.n);
	/* 5.2 MB: read in windows of 1 MiB cut at blanks, each window's glued
	 * entries split (one repair each), and the line says it was windowed */
	size_t windows = count_repairs(d, "glued-entries");
	cr_assert(windows >= off / MB && windows <= 2 * off / MB + 1,
	          "%zu glued-entries repairs for %zu bytes", windows, off);
	cr_assert_eq(count_diags(d, "long-line", 1), 1, "one long-line warning");
	cr_assert_eq(d->acct.lines, 1);
	cr_assert_eq(d->acct.by_class[VMS_LINE_DIAGNOSTIC], 1, "the line has a warning");
	for (size_t i = 0; i < n; i++)
		cr_assert(d->src.v[i].repairs & VMS_R_SPLIT_GLUED, "area %zu split", i);
	vms_dump_free(d);
	free(buf);
}

/* ---- NUL bytes and binary garbage ------------------------------------------ */

Test(hostile, nul_bytes_inside_a_line_do_not_cut_it)
{
	static const char text[] = "0xf0000000-0xf0002000 8192 foo+0x0/0x10\0pages=1 "
	                           "vmalloc\n\0\0\0\n0xf0002000-0xf0004000\0 8192\n";
	struct vms_dump *d = parse_buf(text, sizeof(text) - 1);

	cr_assert_eq(d->acct.lines, 3, "NUL is not a line end");
	cr_assert_eq(d->areas.n, 2, "both areas survive the NUL bytes (diags: %s)",
	             diag_codes(d));
	cr_assert(d->areas.v[0].has_pages && d->areas.v[0].pages == 1,
	          "pages=1 after the NUL is still read");
	cr_assert(d->areas.v[0].flags & VMS_F_VMALLOC, "the flag after the NUL is read");
	cr_assert_eq(count_repairs(d, "nul-bytes"), 3,
	             "each line with NUL bytes is reported");
	cr_assert_eq(d->acct.by_class[VMS_LINE_PARSED], 0,
	             "lines with NUL bytes are not plain 'parsed'");
	vms_dump_free(d);
}

Test(hostile, one_mb_of_binary_garbage)
{
	size_t len = MB;
	char *buf = malloc(len);
	struct vms_dump *d;

	cr_assert_not_null(buf);
	xs_state = 0x5eed0002;
	for (size_t i = 0; i < len; i += 8) {
		uint64_t r = xs();
		memcpy(buf + i, &r, len - i < 8 ? len - i : 8);
	}
	d = parse_buf(buf, len);
	assert_no_silent_wrapped_area(d);
	vms_dump_free(d);
	free(buf);
}

Test(hostile, binary_garbage_parses_the_same_twice)
{
	size_t len = 256 * 1024;
	char *buf = malloc(len);
	struct vms_dump *a, *b;

	cr_assert_not_null(buf);
	xs_state = 0x5eed0003;
	for (size_t i = 0; i < len; i++) {
		uint64_t r = xs();
		/* bias towards printable text and newlines: more parser paths */
		buf[i] = r % 5 == 0 ? (char)(r >> 8) : "0x-f 9\nNp=[]a."[(r >> 8) % 15];
	}
	a = parse_buf(buf, len);
	b = parse_buf(buf, len);
	cr_assert_eq(vms_dump_digest(a), vms_dump_digest(b), "two parses differ");
	vms_dump_free(a);
	vms_dump_free(b);
	free(buf);
}

/* ---- many lines, degenerate fragments ------------------------------------- */

Test(hostile, hundred_thousand_empty_lines_are_blank_noise)
{
	size_t n = 100000;
	char *buf = malloc(n);
	struct vms_dump *d;

	cr_assert_not_null(buf);
	memset(buf, '\n', n);
	d = parse_buf(buf, n);
	cr_assert_eq(d->acct.lines, n, "lines: %llu", (unsigned long long)d->acct.lines);
	cr_assert_eq(d->acct.by_class[VMS_LINE_NOISE], n, "every empty line is noise");
	cr_assert_eq(d->acct.noise[VMS_NOISE_BLANK], n,
	             "every empty line is blank noise");
	cr_assert_eq(d->areas.n, 0);
	cr_assert_eq(d->diags.n, 0, "blank lines are not diagnostics (%s)",
	             diag_codes(d));
	vms_dump_free(d);
	free(buf);
}

Test(hostile, empty_input_has_zero_lines)
{
	struct vms_dump *d = parse_buf("", 0);
	cr_assert_eq(d->acct.lines, 0);
	cr_assert_eq(d->areas.n, 0);
	vms_dump_free(d);
}

Test(hostile, last_line_without_newline_counts)
{
	struct vms_dump *d = parse_str("0xf0000000-0xf0002000 8192 foo+0x0/0x10 vmalloc\n"
	                               "0xf0002000-0xf0004000 8192 foo+0x0/0x10 vmalloc");
	cr_assert_eq(d->acct.lines, 2);
	cr_assert_eq(d->areas.n, 2);
	cr_assert_eq(d->src.v[1].line, 2);
	vms_dump_free(d);
}

/* A lone fragment gives no area, whatever else it gives. */
static void assert_fragment_gives_no_area(const char *frag)
{
	struct vms_dump *d = parse_str(frag);
	cr_assert_eq(d->areas.n, 0, "fragment '%s' became %zu area(s)", frag, d->areas.n);
	vms_dump_free(d);
}

Test(hostile, lone_fragments_give_no_area)
{
	static const char *const frags[] = {
	    "0x\n",
	    "0x-0x\n",
	    "0x-0x 0\n",
	    "0x-\n",
	    "-0x\n",
	    "[module\n",
	    "[\n",
	    "]\n",
	    "phys=\n",
	    "N0=\n",
	    "N=\n",
	    "pages=\n",
	    "pages=-1\n",
	    "+0x/0x\n",
	    "/0x\n",
	    "...\n",
	    "0x0x0x0x\n",
	    "--\n",
	    "0x-0x-0x-0x-0x\n",
	    "8192\n",
	    "vmalloc\n",
	    "ioremap vmap user\n",
	    "unpurged\n",
	    "vm_area\n",
	    "(ptrval)\n",
	    "0x(ptrval)-\n",
	};
	for (size_t i = 0; i < sizeof(frags) / sizeof(frags[0]); i++)
		assert_fragment_gives_no_area(frags[i]);
}

Test(hostile, unterminated_module_bracket_keeps_the_area)
{
	struct vms_dump *d = parse_str(
	    "0xbf009000-0xbf00d000 16384 foo+0x1/0x2 [my_mod pages=3 vmalloc\n");
	cr_assert_eq(d->areas.n, 1, "the range and size are intact (diags: %s)",
	             diag_codes(d));
	cr_assert_eq(d->areas.v[0].start, 0xbf009000ull);
	cr_assert_eq(d->areas.v[0].size, 16384);
	vms_dump_free(d);
}

Test(hostile, hundred_thousand_lines_of_each_fragment)
{
	static const char *const frags[] = {"0x-0x\n", "[module\n", "phys=\n",
	                                    "8192 foo+0x0/0x10 pages=1 vmalloc\n"};
	size_t n = 100000;

	for (size_t f = 0; f < sizeof(frags) / sizeof(frags[0]); f++) {
		size_t fl = strlen(frags[f]), off = 0;
		char *buf = malloc(n * fl);
		struct vms_dump *d;

		cr_assert_not_null(buf);
		for (size_t i = 0; i < n; i++)
			put(buf, &off, frags[f]);
		d = parse_buf(buf, off);
		cr_assert_eq(d->acct.lines, n);
		cr_assert_eq(d->areas.n, 0, "'%.*s' x %zu gave %zu areas", (int)fl - 1,
		             frags[f], n, d->areas.n);
		vms_dump_free(d);
		free(buf);
	}
}

Test(hostile, deeply_repeated_ellipsis)
{
	size_t n = 200000, off = 0;
	char *buf = malloc(n * 7 + 128);
	struct vms_dump *d;

	cr_assert_not_null(buf);
	put(buf, &off, "0xf0000000-0xf0002000 8192 foo+0x0/0x10 ");
	for (size_t i = 0; i < n; i++)
		put(buf, &off, "... ");
	put(buf, &off, "pages=1 vmalloc\n");
	for (size_t i = 0; i < n; i++)
		put(buf, &off, "...");
	buf[off++] = '\n';
	d = parse_buf(buf, off);
	cr_assert_eq(d->acct.lines, 2);
	cr_assert_eq(d->areas.n, 1, "the entry around the elisions survives (diags: %s)",
	             diag_codes(d));
	cr_assert(d->src.v[0].repairs & VMS_R_ELISION, "the elision is reported");
	cr_assert_eq(count_repairs(d, "elision"), 1, "one elision repair, not %zu",
	             count_repairs(d, "elision"));
	vms_dump_free(d);
	free(buf);
}

Test(hostile, hundred_thousand_continuation_lines_after_one_range)
{
	size_t n = 100000, off = 0;
	char *buf = malloc(n * 10 + 128);
	struct vms_dump *d;

	cr_assert_not_null(buf);
	put(buf, &off, "0xf0000000-0xf0002000 8192 foo+0x0/0x10\n");
	for (size_t i = 0; i < n; i++)
		put(buf, &off, "pages=1\n");
	d = parse_buf(buf, off);
	cr_assert_eq(d->acct.lines, n + 1);
	cr_assert_leq(d->areas.n, 1, "one range, at most one area");
	vms_dump_free(d);
	free(buf);
}

/* ---- boot-log lines with hostile numbers ----------------------------------- */

Test(hostile, layout_address_and_size_beyond_u64_are_diagnosed)
{
	struct vms_dump *d = parse_str(
	    "Virtual kernel memory layout:\n"
	    "    vector  : 0xffff0000 - 0xffff1000   (   4 kB)\n"
	    "    vmalloc : 0xe0800000 - 0xff000000   ( 488 MB)\n"
	    "    modules : 0xbf000000 - 0xbfe00000   (  14 MB)\n"
	    "      .data : 0x1ffffffffffffffff - 0x2ffffffffffffffff   ( 449 kB)\n"
	    "      .bss  : 0xc09968ac - 0xc0ac9e80   (99999999999999999999999 kB)\n"
	    "    lowmem  : 0xffffffffffffffff - 0x0000000000000000   ( 512 MB)\n");
	const struct vms_region *vm = region_named(d, "vmalloc");
	const struct vms_region *bss = region_named(d, ".bss");

	cr_assert_not_null(vm, "the good vmalloc line is kept");
	cr_assert_eq(vm->start, 0xe0800000ull);
	cr_assert_eq(vm->end, 0xff000000ull);
	cr_assert_null(region_named(d, ".data"), "an address past 2^64 gives no region");
	cr_assert_eq(count_diags(d, "layout-bad-address", 5), 1, "diags: %s",
	             diag_codes(d));
	cr_assert_eq(count_diags(d, "layout-bad-size", 6), 1, "diags: %s", diag_codes(d));
	if (bss)
		cr_assert(!bss->has_printed, "an overflowing printed size is not kept");
	cr_assert(has_diag_on(d, 7), "a reversed range needs a diagnostic (diags: %s)",
	          diag_codes(d));
	vms_dump_free(d);
}

Test(hostile, cmdline_vmalloc_beyond_u64_is_diagnosed_not_kept)
{
	struct vms_dump *d = parse_str(
	    "Kernel command line: console=ttyS0 vmalloc=99999999999999999999G mem=-1\n"
	    "Kernel command line: vmalloc=16777216T\n");
	cr_assert(d->log->has_cmdline, "the command line itself is kept");
	cr_assert(!d->log->cmdline.has_vmalloc, "vmalloc= of 2^64 or more is not a size");
	cr_assert_eq(count_diags(d, "cmdline-bad-size", 1), 1, "diags: %s",
	             diag_codes(d));
	cr_assert_eq(count_diags(d, "cmdline-bad-size", 2), 1, "diags: %s",
	             diag_codes(d));
	vms_dump_free(d);
}

Test(hostile, failure_sizes_and_ranges_beyond_u64_are_diagnosed)
{
	struct vms_dump *d = parse_str(
	    "[ 1.0] vmap allocation for size 99999999999999999999999 failed: use "
	    "vmalloc=<size> to increase size\n"
	    "[ 1.1] vmalloc: allocation failure: 18446744073709551616 bytes\n"
	    "[ 1.2] insmod: vmalloc_node_range for size 8392704 failed: Address range "
	    "restricted to 0x1ffffffffffffffff - 0xc0000000\n");
	cr_assert_eq(d->log->failures.n, 3, "each failure line is kept as a failure");
	cr_assert_eq(count_diags(d, "failure-bad-size", 1), 1, "diags: %s",
	             diag_codes(d));
	cr_assert_eq(count_diags(d, "failure-bad-size", 2), 1, "diags: %s",
	             diag_codes(d));
	cr_assert_eq(count_diags(d, "failure-bad-range", 3), 1, "diags: %s",
	             diag_codes(d));
	cr_assert(!d->log->failures.v[2].has_range, "an overflowing range is not kept");
	cr_assert_eq(d->log->failures.v[2].size, 8392704, "the readable size is kept");
	vms_dump_free(d);
}

Test(hostile, hundred_thousand_call_trace_frames_after_one_failure)
{
	size_t n = 100000, off = 0;
	char *buf = malloc(n * 40 + 256);
	char frame[64];
	struct vms_dump *d;

	cr_assert_not_null(buf);
	put(buf, &off,
	    "[ 1.0] vmap allocation for size 393216 failed: use vmalloc=<size> "
	    "to increase size\n[ 1.0] Call trace:\n");
	for (size_t i = 0; i < n; i++) {
		snprintf(frame, sizeof(frame), "[ 1.0]  frame_%zu+0x10/0x20\n", i);
		put(buf, &off, frame);
	}
	d = parse_buf(buf, off);
	cr_assert_eq(d->acct.lines, n + 2);
	cr_assert_eq(d->log->failures.n, 1, "one failure, however long its trace");
	cr_assert_leq(d->log->failures.v[0].nr_callers, n,
	              "at most one caller per frame");
	vms_dump_free(d);
	free(buf);
}

Test(hostile, hundred_thousand_layout_headers)
{
	static const char hdr[] = "Virtual kernel memory layout:\n";
	size_t n = 100000, off = 0;
	char *buf = malloc(n * sizeof(hdr) + 128);
	struct vms_dump *d;

	cr_assert_not_null(buf);
	for (size_t i = 0; i < n; i++)
		put(buf, &off, hdr);
	put(buf, &off, "    vmalloc : 0xe0800000 - 0xff000000   ( 488 MB)\n");
	d = parse_buf(buf, off);
	cr_assert_eq(d->acct.lines, n + 1);
	cr_assert_eq(d->log->regions.n, 1, "only the last block's region remains");
	cr_assert_eq(d->log->regions.v[0].line, n + 1);
	vms_dump_free(d);
	free(buf);
}

/* ---- fuzzer findings, kept as regressions ----------------------------------
 * The sh layout's second lowmem line has no name: the capture group is unset
 * and its text pointer used to be computed from PCRE2_UNSET (pointer
 * overflow; clang's UBSan in `make asan` reports it). */
Test(hostile, fuzz_regression_unnamed_layout_line)
{
	struct vms_dump *d =
	    parse_str("virtual kernel memory layout:\n"
	              "    lowmem  : 0x8c000000 - 0x8d000000   (  16 MB) (cached)\n"
	              "            : 0xa0000000 - 0xc0000000   ( 512 MB) (uncached)\n");
	cr_assert_eq(d->log->regions.n, 2);
	cr_expect_str_eq(d->log->regions.v[1].name, "lowmem-uncached");
	cr_expect_eq(d->log->regions.v[1].start, 0xa0000000);
	cr_expect_eq(d->log->regions.v[1].end, 0xc0000000);
	vms_dump_free(d);
}

/* ---- memory is bounded by the input ------------------------------------
 * Whatever the input, the dump costs at most 4x its bytes (vms_dump_bytes():
 * records, side tables, strings, messages). Messages beyond the per-code cap
 * are counted, not stored; ranges not printed at pointer width make no
 * areas. Counted, never timed. */

/* Parses `reps` copies of `unit` (the whole input is `head` + copies) and
 * checks the dump's size against the input's. */
static void assert_bounded(const char *unit, size_t reps, size_t want_areas)
{
	size_t ul = strlen(unit), len = ul * reps;
	char *buf = malloc(len);
	cr_assert_not_null(buf);
	for (size_t i = 0; i < reps; i++)
		memcpy(buf + i * ul, unit, ul);
	struct vms_dump *d = parse_buf(buf, len);
	size_t bytes = vms_dump_bytes(d);
	cr_expect_leq(bytes, 4 * len, "'%.30s' x %zu: %zu bytes of dump for %zu of input",
	              unit, reps, bytes, len);
	cr_expect_eq(d->areas.n, want_areas, "'%.30s': %zu areas", unit, d->areas.n);
	cr_expect_leq(d->diags.n + d->repairs.n, 16 * VMS_DIAG_CAP,
	              "messages are capped per code");
	vms_dump_free(d);
	free(buf);
}

Test(hostile, short_ranges_glued_or_not_cost_no_areas)
{
	assert_bounded("0x1-0x2 ", 1000000, 0);
	assert_bounded("0x1-0x2\n", 1000000, 0);
	assert_bounded("0x1-0x20x3-0x4", 500000, 0);
}

Test(hostile, the_shortest_lines_that_make_areas_stay_within_4x)
{
	assert_bounded("0x12345678-0x12345679 ", 400000, 400000);
	assert_bounded("0x12345678-0x12345679\n", 400000, 400000);
	assert_bounded("0x1234567-0x12345679\n", 400000, 400000);
	assert_bounded("0x12345678-0x12345679 1\n", 400000, 400000);
}

Test(hostile, repaired_and_diagnosed_entries_stay_within_4x)
{
	/* wrapped entries (a repair each), orphan details (an error each),
	 * end+size glued (a repair each), unknown words (a note each) */
	assert_bounded("0x12345678-0x1234a678\n8192 f+0x1/0x2\n", 200000, 200000);
	assert_bounded("8192 f+0x1/0x2 ioremap\n", 400000, 0);
	assert_bounded("0x12345678-0x1234a6788192 f+0x1/0x2\n", 200000, 200000);
	assert_bounded("0x12345678-0x1234a678 8192 f+0x1/0x2 vmalloc wx yz\n", 200000,
	               200000);
}

/* A dump-like line whose range the kernel cannot have printed is said (a
 * warning, class diagnostic), never dropped as prose; a log's other ranges
 * (MTD partitions) are not dump lines. */
Test(hostile, odd_width_ranges_are_said_not_dropped)
{
	struct vms_dump *d =
	    parse_str("0xf0000000-0xf0002000    8192 a+0x1/0x2\n"
	              "0x100000000-0x100002000    8192 foo+0x1/0x2 pages=1 vmalloc\n"
	              "0x1000-0x3000 8192 x\n"
	              "0x000000140000-0x000000280000 : \"mibib\"\n");
	cr_assert_eq(d->areas.n, 1);
	cr_assert_eq(count_diags(d, "range-width", 2), 1, "%s", diag_codes(d));
	cr_assert_eq(count_diags(d, "range-width", 3), 1, "%s", diag_codes(d));
	cr_assert_eq(count_diags(d, "range-width", 4), 0, "%s", diag_codes(d));
	cr_assert_eq(d->acct.by_class[VMS_LINE_DIAGNOSTIC], 2);
	cr_assert_eq(d->acct.by_class[VMS_LINE_NOISE], 1);
	vms_dump_free(d);
}

/* A 32-bit field past even 64 bits is named with its own limit. */
Test(hostile, thirty_two_bit_fields_name_their_limit_past_64_bits)
{
	static const char *const lines[] = {
	    "0xf0000000-0xf0002000 8192 f+0x1/0x2 pages=18446744073709551616 vmalloc\n",
	    "0xf0000000-0xf0002000 8192 f+0x1/0x2 vmalloc N1=18446744073709551616\n",
	    "0xf0000000-0xf0002000 8192 f+0x1/0x2 vmalloc N18446744073709551616=1\n",
	    "0xf0000000-0xf0002000 8192 foo+0x1ffffffffffffffff/0x2 vmalloc\n",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct vms_dump *d = parse_str(lines[i]);
		size_t n = 0;
		for (size_t k = 0; k < d->diags.n; k++)
			if (strcmp(d->diags.v[k].code, "number-overflow") == 0) {
				n++;
				cr_assert_not_null(
				    strstr(d->diags.v[k].message, "fit in 32 bits"), "%s",
				    d->diags.v[k].message);
			}
		cr_assert_eq(n, 1, "line %zu: %s", i, diag_codes(d));
		vms_dump_free(d);
	}
}

/* A Memory: total past any memory size is said, not silently dropped. */
Test(hostile, memory_total_beyond_any_size_is_diagnosed)
{
	static const char *const lines[] = {
	    "Memory: 1K/18446744073709551616K available (1K kernel code)\n",
	    "Memory: 1K/99999999999999999999999K available (1K kernel code)\n",
	    "Memory: 17592186044415MB = 17592186044415MB total\n",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct vms_dump *d = parse_str(lines[i]);
		cr_assert_eq(count_diags(d, "memory-bad-size", 1), 1, "%s",
		             diag_codes(d));
		cr_assert_eq(d->log->memory_total_kb, 0);
		cr_assert_eq(d->acct.by_class[VMS_LINE_DIAGNOSTIC], 1);
		vms_dump_free(d);
	}
	struct vms_dump *d =
	    parse_str("Memory: 150412K/256000K available (7276K kernel code)\n");
	cr_assert_eq(d->log->memory_total_kb, 256000);
	cr_assert_eq(d->diags.n, 0, "%s", diag_codes(d));
	vms_dump_free(d);
}

/* Failures are kept up to the message cap and counted beyond it, so a log
 * that repeats one failure a million times stays small. */
Test(hostile, failures_beyond_the_cap_are_counted_not_stored)
{
	static const char unit[] = "vmalloc error: size 1\n";
	size_t reps = 200000, ul = sizeof(unit) - 1, len = ul * reps;
	char *buf = malloc(len);
	cr_assert_not_null(buf);
	for (size_t i = 0; i < reps; i++)
		memcpy(buf + i * ul, unit, ul);
	struct vms_dump *d = parse_buf(buf, len);
	cr_assert_eq(d->log->failures.n, VMS_DIAG_CAP);
	cr_assert_eq(count_diags(d, "failures-capped", VMS_DIAG_CAP + 1), 1, "%s",
	             diag_codes(d));
	cr_assert_leq(vms_dump_bytes(d), len, "%zu bytes of dump", vms_dump_bytes(d));
	vms_dump_free(d);
	free(buf);
}
