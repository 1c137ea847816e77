/*
 * test_parse_split.c — a file parsed by two threads gives exactly what one
 * thread (standard input) gives, wherever the cut falls: areas, sources,
 * messages, line classes, inference and boot-log facts (dump_equal.h).
 *
 * The hard cases sit at the cut: a glued entry whose trailing details wait
 * for the range-only line after the cut, wrapped entries, a layout block and
 * a call trace running across it, a wrapped command line, NUL bytes, CRs,
 * prose and noise. Every line start of a messy paste is tried as the cut
 * (opts.split_at), and each test checks that the second thread really ran
 * where it could (dump.split_lines).
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump_equal.h"
#include "parse_driver.h"
#include "vmscope/parse.h"

/* Writes text to a new temporary file; returns its path (free()). */
static char *temp_file(const char *text, size_t len)
{
	char *path = strdup("/tmp/vmscope-split-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static struct vms_dump *parse_stdin_way(const char *text, size_t len,
                                        const struct vms_parse_opts *o)
{
	FILE *f = fmemopen((void *)text, len, "r");
	cr_assert_not_null(f);
	struct vms_dump *d;
	cr_assert_eq(vms_parse_stream(f, "t", o, &d), 0);
	fclose(f);
	return d;
}

/* A paste with every kind of line that carries state from one line to the
 * next, with clean runs between them (where the second thread can work). */
static const char messy[] =
    "0xffffc90000000000-0xffffc90000002000    8192 a+0x0/0x10 pages=1 vmalloc\n"
    "0xffffc90000002000-0xffffc90000004000    8192 a+0x0/0x10 pages=1 vmalloc\n"
    /* glued entry: its trailing details wait for the next range-only line */
    "0xffffc90000004000-0xffffc90000007000 12288 fn_a+0x10/0x40 pages=2 vmalloc "
    "4096 fn_b+0x1/0x2 ioremap\n"
    "0xffffc90000007000-0xffffc90000008000\n"
    "0xffffc90000008000-0xffffc9000000a000    8192 b+0x0/0x10 pages=1 vmalloc\n"
    "0xffffc9000000a000-0xffffc9000000c000    8192 b+0x0/0x10 pages=1 vmalloc\n"
    /* a wrapped entry after a clean line */
    "0xffffc9000000c000-0xffffc9000000e000\n"
    "        8192 wrapped_fn+0x1/0x2 pages=1 vmalloc\n"
    "0xffffc9000000e000-0xffffc90000010000    8192 c+0x0/0x10 pages=1 vmalloc\n"
    "    8192 c_more+0x1/0x2 phys=d0000000 ioremap\n"
    "0xffffc90000010000-0xffffc90000012000    8192 d+0x0/0x10 pages=1 vmalloc\n"
    "Virtual kernel memory layout:\n"
    "    vector  : 0xffff0000 - 0xffff1000   (   4 kB)\n"
    "    fixmap  : 0xfff00000 - 0xfffe0000   ( 896 kB)\n"
    "0xffffc90000012000-0xffffc90000014000    8192 e+0x0/0x10 pages=1 vmalloc\n"
    "    vmalloc : 0xf0000000 - 0xff000000   ( 240 MB)\n"
    "    lowmem  : 0xc0000000 - 0xef800000   ( 760 MB)\n"
    "0xffffc90000014000-0xffffc90000016000    8192 f+0x0/0x10 pages=1 vmalloc\n"
    "vmap allocation for size 8392704 failed: use vmalloc=<size> to increase size\n"
    "CPU: 0 PID: 1 Comm: swapper Not tainted 4.4.0 #1\n"
    "Call trace:\n"
    "0xffffc90000016000-0xffffc90000018000    8192 g+0x0/0x10 pages=1 vmalloc\n"
    " __vmalloc_node_range+0x1/0x2\n"
    " module_alloc+0x3/0x4\n"
    "0xffffc90000018000-0xffffc9000001a000    8192 h+0x0/0x10 pages=1 vmalloc\n"
    "Kernel command line: console=ttyS0,115200 root=/dev/mmcblk0p2\n"
    "rootwait vmalloc=300M\n"
    "0xffffc9000001a000-0xffffc9000001c000    8192 i+0x0/0x10 pages=1 vmalloc\n"
    "some prose between the lines\n"
    "\n"
    "0xffffc9000001c000-0xffffc9000001e000    8192 j+0x0/0x10 pages=1 vmalloc\n"
    "0xffffc9000001e000-0xffffc90000020000    8192 k+0x0/0x10 pages=1 vm\0alloc\n"
    "0xffffc90000020000-0xffffc90000022000    8192 l+0x0/0x10 pages=1 vmalloc\r\n"
    "0xffffc90000022000-0xffffc90000024000    8192 m+0x0/0x10 pages=1 vmalloc \n"
    "   8192 orphan_detail+0x1/0x2 ioremap\n"
    "0xffffc90000024000-0xffffc90000026000    8192 n+0x0/0x10 pages=1 vmalloc\n"
    "...\n"
    "0xffffc90000026000-0xffffc90000028000    8192 o+0x0/0x10 pages=1 vmalloc\n"
    "0xffffc90000028000-0xffffc9000002a000    8192 p+0x0/0x10 [mod] pages=1 vmalloc\n"
    "0xffffc9000002a000-0xffffc9000002c000    8192 q+0x0/0x10 pages=1 vmalloc\n"
    "0xffffc9000002c000-0xffffc9000002e000    8192 r+0x0/0x10 pages=1 vmalloc";

/* Context the preparer carries from line to line, around clean runs: a diff
 * hunk (a dump line ends it: the "-0x" line after it is data), a line-number
 * gutter, /dev/kmsg records and their continuation lines (a dump line ends
 * them too), lines an editor cut at one width ('$' in the
 * last column, confirmed by the third), CRLF and trailing blanks, an inner
 * CR, HTML entities and a record glued to the one before. */
static const char prep_messy[] =
    "diff --git a/vmallocinfo b/vmallocinfo\n"
    "--- a/vmallocinfo\n"
    "+++ b/vmallocinfo\n"
    "@@ -1,3 +1,3 @@\n"
    " 0xf0000000-0xf0002000    8192 of_iomap+0x30/0x38 phys=d0630000 ioremap\n"
    "-0xf0002000-0xf0005000   12288 module_alloc+0x54/0x60 pages=2 vmalloc\n"
    "+0xf0002000-0xf0006000   16384 module_alloc+0x54/0x60 pages=3 vmalloc\n"
    "0xf0006000-0xf0008000    8192 a+0x0/0x10 pages=1 vmalloc\n"
    "0xf0008000-0xf000a000    8192 a+0x0/0x10 pages=1 vmalloc\n"
    "-0xf000a000-0xf000c000    8192 ctx+0x0/0x10 pages=1 vmalloc\n"
    "     1\t0xf000c000-0xf000e000    8192 g1+0x0/0x10 pages=1 vmalloc\n"
    "     2\t0xf000e000-0xf0010000    8192 g2+0x0/0x10 pages=1 vmalloc\n"
    "0xf0010000-0xf0012000    8192 b+0x0/0x10 pages=1 vmalloc\n"
    "     3\t0xf0012000-0xf0014000    8192 g3+0x0/0x10 pages=1 vmalloc\n"
    "6,3,512345,-;usb 1-1: new high-speed USB device number 2 using ehci-platform\n"
    " SUBSYSTEM=usb\n"
    "0xf0014000-0xf0016000    8192 c+0x0/0x10 pages=1 vmalloc\n"
    " DEVICE=c189:1\n"
    "0xf0016000-0xf0018000    8192 c+0x0/0x10 pages=1 vmalloc\n"
    "0xf0018000-0xf001a000    8192 cut_one+0x54/0x60 pages=1 vmalloc N0=1 N1=$\n"
    "0xf001a000-0xf001c000    8192 d+0x0/0x10 pages=1 vmalloc\n"
    "0xf001c000-0xf001e000    8192 cut_two+0x54/0x60 pages=1 vmalloc N0=1 N1=$\n"
    "0xf001e000-0xf0020000    8192 d+0x0/0x10 pages=1 vmalloc\n"
    "0xf0020000-0xf0022000    8192 cut_thr+0x54/0x60 pages=1 vmalloc N0=1 N1=$\n"
    "0xf0022000-0xf0024000    8192 e+0x0/0x10 pages=1 vmalloc\r\n"
    "0xf0024000-0xf0026000    8192 e+0x0/0x10 pages=1 vmalloc  \t\r\n"
    "0xf0026000-0xf0028000    8192 f+0x0/0x10 pages=1\rvmalloc\n"
    "0xf0028000-0xf002a000    8192 f+0x0/0x10 pages=1 vmalloc\n"
    "&gt; 0xf002a000-0xf002c000    8192 q+0x0/0x10 pages=1 vmalloc\n"
    "0xf002c000-0xf002e000    8192 h+0x0/0x10 pages=1 vmalloc\n"
    "[    1.000000] usb 1-1: new device[    1.000001] vmap allocation for size "
    "8192 failed: use vmalloc=<size> to increase size\n"
    "0xf002e000-0xf0030000    8192 i+0x0/0x10 pages=1 vmalloc\n"
    "0xf0030000-0xf0032000    8192 i+0x0/0x10 pages=1 vmalloc\n"
    "0xf0032000-0xf0034000    8192 j+0x0/0x10 pages=1 vmalloc #\n"
    "0xf0034000-0xf0036000    8192 k+0x0/0x10 pages=1 vmalloc\n";

/* Parses text as a file cut at every line start and compares each with the
 * one-thread parse; returns how many cuts let the second thread run. */
static size_t every_cut(const char *text, size_t len, size_t min_areas)
{
	char *path = temp_file(text, len);
	struct vms_dump *ref = parse_stdin_way(text, len, NULL);
	cr_assert_geq(ref->areas.n, min_areas);
	size_t cuts = 0, split_ran = 0;
	for (size_t at = 1; at < len; at++) {
		if (text[at - 1] != '\n')
			continue;
		struct vms_parse_opts o = {.split_at = at};
		struct vms_dump *d;
		cr_assert_eq(vms_parse_file(path, &o, &d), 0);
		char what[64];
		snprintf(what, sizeof(what), "cut at byte %zu", at);
		assert_same_dump(ref, d, what);
		cuts++;
		split_ran += d->split_lines > 0;
		vms_dump_free(d);
	}
	cr_expect_geq(cuts, 30);
	vms_dump_free(ref);
	unlink(path);
	free(path);
	return split_ran;
}

Test(parse_split, every_cut_of_a_messy_paste_gives_the_one_thread_result)
{
	struct vms_dump *ref = parse_stdin_way(messy, sizeof(messy) - 1, NULL);
	cr_assert_geq(ref->log->regions.n, 2);
	vms_dump_free(ref);
	size_t ran = every_cut(messy, sizeof(messy) - 1, 20);
	/* the second thread takes clean lines until one it cannot read alone */
	cr_expect_geq(ran, 15, "the second thread ran at %zu cuts", ran);
}

Test(parse_split, every_cut_through_the_preparers_context_gives_the_one_thread_result)
{
	struct vms_dump *ref = parse_stdin_way(prep_messy, sizeof(prep_messy) - 1, NULL);
	/* the context is really there: a diff, a confirmed cut, entities, a
	 * glued record, an inner CR */
	static const char *const codes[] = {"line-cut", "html-entities", "record-split",
	                                    "cr-in-line"};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		bool seen = false;
		for (size_t k = 0; k < ref->repairs.n; k++)
			seen |= strcmp(ref->repairs.v[k].code, codes[i]) == 0;
		for (size_t k = 0; k < ref->diags.n; k++)
			seen |= strcmp(ref->diags.v[k].code, codes[i]) == 0;
		cr_expect(seen, "the paste has no %s", codes[i]);
	}
	cr_expect_gt(ref->acct.noise[VMS_NOISE_DIFF], 0);
	vms_dump_free(ref);
	size_t ran = every_cut(prep_messy, sizeof(prep_messy) - 1, 20);
	cr_expect_geq(ran, 10, "the second thread ran at %zu cuts", ran);
}

/* A CR-only file is read by one thread (the second splits at LF), with the
 * same result; a CRLF file is split. */
Test(parse_split, cr_only_files_are_read_by_one_thread_crlf_files_are_split)
{
	static const char line[] =
	    "0xf0000000-0xf0002000    8192 a+0x0/0x10 pages=1 vmalloc";
	for (int crlf = 0; crlf < 2; crlf++) {
		char *text = NULL;
		size_t len;
		FILE *f = open_memstream(&text, &len);
		for (int i = 0; i < 4000; i++)
			fprintf(f, "%s%s", line, crlf ? "\r\n" : "\r");
		fclose(f);
		char *path = temp_file(text, len);
		struct vms_dump *ref = parse_stdin_way(text, len, NULL), *d;
		struct vms_parse_opts o = {.split_at = len / 2};
		cr_assert_eq(vms_parse_file(path, &o, &d), 0);
		cr_expect_eq(ref->areas.n, 4000);
		assert_same_dump(ref, d, crlf ? "CRLF" : "CR only");
		if (crlf)
			cr_expect_gt(d->split_lines, 1000);
		else
			cr_expect_eq(d->split_lines, 0);
		vms_dump_free(ref);
		vms_dump_free(d);
		unlink(path);
		free(path);
		free(text);
	}
}

/* ~10 MB of dump with paste artefacts sprinkled everywhere. */
static char *write_big(size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	unsigned long long a = 0xffffc90000000000ull;
	for (unsigned i = 0; i < 110000; i++, a += 0x3000) {
		switch (i % 997) {
		case 0: /* wrapped */
			fprintf(f,
			        "0x%016llx-0x%016llx\n      12288 wrapped_fn+0x1/0x2 "
			        "pages=2 vmalloc\n",
			        a, a + 0x3000);
			break;
		case 1: /* glued pair */
			fprintf(f,
			        "0x%016llx-0x%016llx 4096 g_fn+0x1/0x2 "
			        "0x%016llx-0x%016llx 8192 "
			        "h_fn+0x3/0x4 ioremap\n",
			        a, a + 0x1000, a + 0x1000, a + 0x3000);
			break;
		case 2: /* lost underscores, prose, an orphan detail */
			fprintf(
			    f,
			    "0x%016llx-0x%016llx 12288 lost under score+0x5/0x6 vmalloc\n"
			    "some prose in between\n8192 orphan_fn+0x1/0x2 ioremap\n",
			    a, a + 0x3000);
			break;
		default:
			fprintf(f,
			        "0x%016llx-0x%016llx   12288 fn_%u+0x10/0x40 pages=2 "
			        "vmalloc N0=2\n",
			        a, a + 0x3000, i % 50);
		}
	}
	fclose(f);
	return buf;
}

Test(parse_split, a_big_file_is_split_and_gives_the_one_thread_result)
{
	size_t len;
	char *text = write_big(&len);
	cr_assert_gt(len, 8u << 20, "the file must be big enough to be split");
	char *path = temp_file(text, len);
	struct vms_dump *ref = parse_stdin_way(text, len, NULL);
	struct vms_parse_opts one = {.threads = 1};
	struct vms_dump *x, *y;
	cr_assert_eq(vms_parse_file(path, &one, &x), 0);
	cr_assert_eq(vms_parse_file(path, NULL, &y), 0);
	cr_expect_eq(x->split_lines, 0);
	cr_expect_gt(y->split_lines, 1000, "the second thread read %llu lines",
	             (unsigned long long)y->split_lines);
	cr_expect_gt(ref->repairs.n, 300);
	cr_expect_gt(ref->diags.n, 100);
	assert_same_dump(ref, x, "one thread");
	assert_same_dump(ref, y, "two threads");
	vms_dump_free(ref);
	vms_dump_free(x);
	vms_dump_free(y);
	unlink(path);
	free(path);
	free(text);
}

/* Binary data after a big dump stops both paths at the same byte, after the
 * second thread's runs were adopted (the bytes they held are counted). */
Test(parse_split, binary_data_after_a_split_dump_stops_at_the_same_byte)
{
	size_t len;
	char *text = write_big(&len);
	char *buf = malloc(len + 100000);
	memcpy(buf, text, len);
	memcpy(buf + len, "prose before it\n0x", 19);
	memset(buf + len + 19, 0, 100000 - 19);
	char *path = temp_file(buf, len + 100000);
	struct vms_dump *ref = parse_stdin_way(buf, len + 100000, NULL), *d;
	cr_assert_eq(vms_parse_file(path, NULL, &d), 0);
	cr_expect_gt(d->split_lines, 1000);
	cr_assert_not_null(ref->stopped);
	cr_expect_eq(ref->stopped_at, len + 16, "stopped at %llu",
	             (unsigned long long)ref->stopped_at);
	assert_same_dump(ref, d, "binary tail");
	vms_dump_free(ref);
	vms_dump_free(d);
	unlink(path);
	free(path);
	free(buf);
	free(text);
}

/* Bytes appended after the size was taken are read, as from a pipe. */
Test(parse_split, lines_beyond_the_size_seen_at_open_are_read)
{
	size_t len = sizeof(messy) - 1;
	char *path = temp_file(messy, len);
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f);
	struct vms_dump *d;
	size_t seen = len / 2; /* as if the rest was written after fstat */
	cr_assert_eq(vms_parse_split(fileno(f), seen, seen / 2, path, NULL, &d), 1);
	fclose(f);
	struct vms_dump *ref = parse_stdin_way(messy, len, NULL);
	assert_same_dump(ref, d, "appended");
	vms_dump_free(ref);
	vms_dump_free(d);
	unlink(path);
	free(path);
}

/* The line limit is the same on both paths: lines beyond it are counted in
 * one diagnostic, never renumbered into the range (a limit the second half
 * would cross makes the first thread read on alone). */
Test(parse_split, the_line_limit_is_the_same_on_both_paths)
{
	static const uint32_t limits[] = {40000, 70000, 200000};
	size_t len;
	char *text = write_big(&len);
	char *path = temp_file(text, len);
	for (size_t i = 0; i < 3; i++) {
		struct vms_parse_opts o = {.max_lines = limits[i]};
		struct vms_dump *ref = parse_stdin_way(text, len, &o), *d;
		cr_assert_eq(vms_parse_file(path, &o, &d), 0);
		char what[32];
		snprintf(what, sizeof(what), "limit %u", limits[i]);
		assert_same_dump(ref, d, what);
		if (ref->acct.lines >= limits[i])
			cr_expect_eq(ref->acct.lines, limits[i], "%s", what);
		/* the cut is near line 55000: a limit before it leaves nothing to
		 * the second thread, later ones leave it the runs they can hold */
		cr_expect_eq(d->split_lines > 0, limits[i] > 60000,
		             "%s: split %llu lines", what,
		             (unsigned long long)d->split_lines);
		vms_dump_free(ref);
		vms_dump_free(d);
	}
	unlink(path);
	free(path);
	free(text);
}

/* The byte counter for a progress display covers the whole input, on one
 * thread and on two (a split parse may count a few bytes twice). */
Test(split, progress_counts_every_byte)
{
	const char *path = "samples/x86_64-qa-thread-vmallocinfo.txt";
	FILE *fp = fopen(path, "rb");
	cr_assert_not_null(fp);
	fseek(fp, 0, SEEK_END);
	uint64_t size = (uint64_t)ftell(fp);
	fclose(fp);
	for (int split = 0; split < 2; split++) {
		_Atomic uint64_t bytes = 0;
		struct vms_parse_opts o = {.progress = &bytes,
		                           .split_at = split ? size / 2 : 0};
		if (!split)
			o.threads = 1;
		struct vms_dump *d = NULL;
		cr_assert_eq(vms_parse_file(path, &o, &d), 0);
		if (split)
			cr_assert_gt(d->split_lines, 0, "the second thread did not run");
		uint64_t got = atomic_load(&bytes);
		cr_assert_geq(got, size, "%s: %llu of %llu bytes counted",
		              split ? "split" : "one", (unsigned long long)got,
		              (unsigned long long)size);
		cr_assert_leq(got, size + size / 2, "split: counted far too much");
		vms_dump_free(d);
	}
}
