/*
 * test_parse_split.c — a big file parsed by two threads gives exactly what
 * one thread gives: areas, repairs, diagnostics, line classes, inference.
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmscope/parse.h"

/* ~10 MB of dump with paste artefacts sprinkled everywhere (also around the
 * middle, where the file is cut). */
static void write_big(FILE *f)
{
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
}

static void same_dump(const struct vms_dump *x, const struct vms_dump *y)
{
	cr_assert_eq(x->areas.n, y->areas.n);
	for (size_t i = 0; i < x->areas.n; i++) {
		const struct vms_area *a = &x->areas.v[i], *b = &y->areas.v[i];
		const struct vms_area_src *r = &x->src.v[i], *s = &y->src.v[i];
		cr_assert(a->start == b->start && a->end == b->end && a->size == b->size,
		          "area %zu", i);
		cr_assert(r->line == s->line && r->last_line == s->last_line,
		          "area %zu lines", i);
		const char *ca = vms_area_caller(x, a), *cb = vms_area_caller(y, b);
		cr_assert_str_eq(ca ? ca : "", cb ? cb : "");
		cr_assert_eq(r->repairs, s->repairs, "area %zu repairs", i);
		cr_assert_eq(a->flags, b->flags);
		uint32_t na, nb;
		vms_dump_numa(x, i, &na);
		vms_dump_numa(y, i, &nb);
		cr_assert_eq(na, nb);
	}
	cr_assert_eq(x->diags.n, y->diags.n);
	for (size_t i = 0; i < x->diags.n; i++) {
		cr_assert_eq(x->diags.v[i].line, y->diags.v[i].line);
		cr_assert_str_eq(x->diags.v[i].code, y->diags.v[i].code);
	}
	cr_assert_eq(x->repairs.n, y->repairs.n);
	for (size_t i = 0; i < x->repairs.n; i++) {
		cr_assert_eq(x->repairs.v[i].line, y->repairs.v[i].line);
		cr_assert_eq(x->repairs.v[i].area, y->repairs.v[i].area);
		cr_assert_str_eq(x->repairs.v[i].message, y->repairs.v[i].message);
	}
	cr_assert(memcmp(&x->acct, &y->acct, sizeof(x->acct)) == 0, "accounting differs");
	cr_assert_eq(x->visibility, y->visibility);
	cr_assert_str_eq(x->era, y->era);
}

/* Writes a big file (write_big, then middle, then write_big again when
 * twice), parses it with one and with two threads, and removes it. */
static void parse_both(const char *middle, bool twice, struct vms_dump **x,
                       struct vms_dump **y)
{
	char path[] = "/tmp/vmscope-split-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	write_big(f);
	fputs(middle, f);
	if (twice)
		write_big(f);
	long size = ftell(f);
	fclose(f);
	cr_assert_gt(size, 8L << 20, "the file must be big enough to be split");
	struct vms_parse_opts one = {.threads = 1}, two = {.threads = 0};
	cr_assert_eq(vms_parse_file(path, &one, x), 0);
	cr_assert_eq(vms_parse_file(path, &two, y), 0);
	unlink(path);
}

Test(parse_split, two_threads_give_the_one_thread_result)
{
	struct vms_dump *x, *y;
	parse_both("", false, &x, &y);
	cr_expect_gt(x->repairs.n, 300);
	cr_expect_gt(x->diags.n, 100);
	same_dump(x, y);
	vms_dump_free(x);
	vms_dump_free(y);
}

/* Boot-log facts in the second half need the first half's context: such a
 * file is parsed again with one thread, and the result is the same. */
Test(parse_split, log_facts_in_the_second_half_fall_back_to_one_thread)
{
	struct vms_dump *x, *y;
	parse_both("Kernel command line: console=ttyS0 vmalloc=300M\n"
	           "Virtual kernel memory layout:\n"
	           "    vmalloc : 0xec800000 - 0xff000000   ( 296 MB)\n"
	           "    lowmem  : 0xc0000000 - 0xec400000   ( 708 MB)\n",
	           true, &x, &y);
	cr_expect_eq(x->log->regions.n, 2, "one thread: %zu regions", x->log->regions.n);
	cr_expect_eq(y->log->regions.n, 2, "two threads: %zu regions", y->log->regions.n);
	cr_expect(y->log->has_cmdline && y->log->cmdline.vmalloc == 300u << 20);
	same_dump(x, y);
	vms_dump_free(x);
	vms_dump_free(y);
}
