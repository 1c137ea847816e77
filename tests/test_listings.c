/*
 * test_listings.c — several /proc/vmallocinfo listings in one paste
 * (parse_listings.c, docs/formats.md "Several listings in one paste").
 *
 * Each case is a small paste written by hand, with the exact listings it
 * must be cut into: their areas (first, n), what opened each (a prompt, a
 * heading over restarting addresses, a restart over areas already listed,
 * a kernel version before 6.9), the lines each owns, and the command or
 * heading before it. Cases that must stay ONE listing: a plain sorted
 * list, prose without a restart, 6.9+ per-node lists that fill each
 * other's gaps, and addresses that are not real (zeroed, hashed). Then
 * each listing's own /proc/meminfo, vms_dump_listing(), and a 200000-area
 * paste where every area starts again below the one before.
 *
 * Areas are x86_64-looking (vmalloc_base 0xffffc90000000000) or arm32
 * ones, each with size == end - start and pages == size / 4096 - 1.
 * Every listing check also asserts that the listings partition the areas
 * and the lines (check_partition()).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/dump_invariants.h"
#include "vmscope/parse.h"

/* ---- area lines ----------------------------------------------------------------- */

/* x86_64: a sorted listing A0 < A1 < A2 < A3 (A3 after a hole) */
#define A0 "0xffffc90000000000-0xffffc90000002000     8192 foo+0x0/0x10 pages=1 vmalloc\n"
#define A1 "0xffffc90000002000-0xffffc90000005000    12288 bar+0x0/0x10 pages=2 vmalloc\n"
#define A2 "0xffffc90000005000-0xffffc90000007000     8192 baz+0x0/0x10 pages=1 vmalloc\n"
#define A3 "0xffffc90000008000-0xffffc9000000d000    20480 qux+0x0/0x10 pages=4 vmalloc\n"
/* A2 with a shell prompt glued to its end */
#define A2_GLUED                                                                         \
	"0xffffc90000005000-0xffffc90000007000     8192 baz+0x0/0x10 pages=1 vmalloc "   \
	"root@board:~#\n"
/* starts below A1, overlaps A0 and A1 */
#define A01                                                                              \
	"0xffffc90000001000-0xffffc90000003000     8192 mid+0x0/0x10 pages=1 vmalloc\n"
/* ioremap areas (4.11+ %pa phys) */
#define I0                                                                               \
	"0xffffc90000010000-0xffffc90000015000    20480 pci_iomap+0x0/0x10 "             \
	"phys=0x00000000fed00000 ioremap\n"
#define I1                                                                               \
	"0xffffc90000016000-0xffffc90000018000     8192 acpi_os_map_iomem+0x0/0x10 "     \
	"phys=0x00000000fee00000 ioremap\n"

/* 6.9+ per-node style: node 0's list N0 N1 N2 and node 1's M0 M1 M2 fill
 * each other's gaps and never overlap */
#define N0 "0xffffc90000000000-0xffffc90000002000     8192 n0+0x0/0x10 pages=1 vmalloc\n"
#define N1 "0xffffc90000004000-0xffffc90000006000     8192 n1+0x0/0x10 pages=1 vmalloc\n"
#define N2 "0xffffc90000008000-0xffffc9000000a000     8192 n2+0x0/0x10 pages=1 vmalloc\n"
#define M0 "0xffffc90000002000-0xffffc90000004000     8192 m0+0x0/0x10 pages=1 vmalloc\n"
#define M1 "0xffffc90000006000-0xffffc90000008000     8192 m1+0x0/0x10 pages=1 vmalloc\n"
#define M2 "0xffffc9000000a000-0xffffc9000000c000     8192 m2+0x0/0x10 pages=1 vmalloc\n"
/* a third list that overlaps N1 (not a node's: a listing of its own) */
#define O0       "0xffffc90000001000-0xffffc90000003000     8192 o0+0x0/0x10 pages=1 vmalloc\n"
#define O1       "0xffffc90000005000-0xffffc90000007000     8192 o1+0x0/0x10 pages=1 vmalloc\n"
#define PER_NODE N0 N1 N2 M0 M1 M2

/* arm32 (4.1-looking: phys without 0x) */
#define R0 "0xbf000000-0xbf002000    8192 module_alloc+0x50/0x58 pages=1 vmalloc\n"
#define R1 "0xbf004000-0xbf013000   61440 module_alloc+0x50/0x58 pages=14 vmalloc\n"
#define R2 "0xf0000000-0xf0100000 1048576 iotable_init+0x0/0xc phys=400000 ioremap\n"

/* kptr_restrict=2: every address zeroed */
#define Z1  "0x0000000000000000-0x0000000000000000    8192 foo+0x0/0x10 pages=1 vmalloc\n"
#define Z5  Z1 Z1 Z1 Z1 Z1
#define Z25 Z5 Z5 Z5 Z5 Z5
#define ZC  "0x0000000000000000-0x0000000000000000   12288 bar+0x0/0x10 pages=2 vmalloc\n"

/* %p hashing: addresses are noise (some "restart", one repeats) */
#define H0 "0x0000000052e6b438-0x00000000f2a74de4     8192 foo+0x0/0x10 pages=1 vmalloc\n"
#define H1 "0x00000000269e0d37-0x000000006513270e    12288 bar+0x0/0x10 pages=2 vmalloc\n"
#define H2 "0x00000000a6a3a450-0x000000000c5c7fd0     8192 baz+0x0/0x10 pages=1 vmalloc\n"
#define H3 "0x000000001d2c3b4a-0x0000000099e8f7a6    12288 bar+0x0/0x10 pages=2 vmalloc\n"
#define H4 "0x00000000036f7e21-0x00000000b5a4c3d2     8192 baz+0x0/0x10 pages=1 vmalloc\n"

#define CAT        "root@board:~# cat /proc/vmallocinfo"
#define GREP       "$ grep ioremap /proc/vmallocinfo"
#define ARM_FILTER "/ # cat /proc/vmallocinfo | grep ioremap"
#define LINUX_5_10                                                                       \
	"Linux version 5.10.0-23-amd64 (debian-kernel@lists.debian.org) (gcc-10 "        \
	"(Debian 10.2.1-6) 10.2.1 20210110, GNU ld (GNU Binutils for Debian) 2.35.2) "   \
	"#1 "                                                                            \
	"SMP Debian 5.10.179-1 (2023-05-12)"
#define LINUX_6_9 "Linux version 6.9.0 (builder@host) (gcc (GCC) 13.2.0) #1 SMP PREEMPT"

/* ---- helpers -------------------------------------------------------------------- */

static struct vms_dump *parse_opts(const char *buf, const struct vms_parse_opts *o)
{
	struct vms_dump *d = NULL;
	size_t len = strlen(buf);
	cr_assert_eq(vms_parse_buffer(buf, len, "test", o, &d), 0);
	cr_assert_not_null(d);
	const char *why = vms_check_dump(d, buf, len);
	cr_assert_null(why, "invariant: %s", why ? why : "");
	return d;
}

static struct vms_dump *parse_text(const char *buf)
{
	return parse_opts(buf, NULL);
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

/* The listings partition the areas and the lines: in order, contiguous,
 * the first from area 0 and line 1, the last to the last area and line;
 * each owns its areas' lines, counts its lines, and is sorted exactly
 * when its starts never go down (real addresses). */
static void check_partition(const struct vms_dump *d, const char *name)
{
	if (!d->areas.n) {
		cr_assert_eq(d->listings.n, 0, "%s: listings without areas", name);
		return;
	}
	cr_assert_geq(d->listings.n, 1, "%s: no listing", name);
	size_t areas = 0;
	uint64_t lines = 0;
	for (size_t k = 0; k < d->listings.n; k++) {
		const struct vms_listing *l = &d->listings.v[k];
		cr_assert_eq(l->first, areas,
		             "%s: listing %zu starts at area %zu, not %zu", name, k + 1,
		             l->first, areas);
		cr_assert_gt(l->n, 0, "%s: listing %zu is empty", name, k + 1);
		uint32_t lo = k ? d->listings.v[k - 1].line_hi + 1 : 1;
		cr_assert_eq(l->line_lo, lo, "%s: listing %zu owns lines from %u, not %u",
		             name, k + 1, l->line_lo, lo);
		cr_assert_leq(l->line_lo, l->first_line, "%s: listing %zu", name, k + 1);
		cr_assert_leq(l->first_line, l->last_line, "%s: listing %zu", name,
		              k + 1);
		cr_assert_leq(l->last_line, l->line_hi, "%s: listing %zu", name, k + 1);
		cr_assert_eq(l->first_line, d->src.v[l->first].line, "%s: listing %zu",
		             name, k + 1);
		cr_assert_eq(l->last_line, d->src.v[l->first + l->n - 1].last_line,
		             "%s: listing %zu", name, k + 1);
		cr_assert_eq(l->acct.lines, (uint64_t)(l->line_hi - l->line_lo + 1),
		             "%s: listing %zu counts %llu lines", name, k + 1,
		             (unsigned long long)l->acct.lines);
		if (d->visibility == VMS_VIS_REAL) {
			bool sorted = true;
			for (size_t i = l->first + 1; i < l->first + l->n; i++)
				sorted &= d->areas.v[i].start >= d->areas.v[i - 1].start;
			cr_assert_eq(l->sorted, sorted, "%s: listing %zu sorted %d", name,
			             k + 1, l->sorted);
		}
		areas += l->n;
		lines += l->acct.lines;
	}
	cr_assert_eq(areas, d->areas.n, "%s: listings hold %zu of %zu areas", name, areas,
	             d->areas.n);
	cr_assert_eq(d->listings.v[d->listings.n - 1].line_hi, d->acct.lines,
	             "%s: the last listing ends at line %u of %llu", name,
	             d->listings.v[d->listings.n - 1].line_hi,
	             (unsigned long long)d->acct.lines);
	cr_assert_eq(lines, d->acct.lines, "%s: listings count %llu of %llu lines", name,
	             (unsigned long long)lines, (unsigned long long)d->acct.lines);
}

static const char *opened_name(uint8_t o)
{
	return vms_listing_open_name((enum vms_listing_open)o);
}

/* ---- the cases ------------------------------------------------------------------ */

struct want_listing {
	size_t first, n;
	uint8_t opened; /* enum vms_listing_open */
	uint32_t line_lo, line_hi;
	uint32_t marker_line; /* 0: none */
	bool filtered;
	const char *command; /* NULL: none */
	const char *heading; /* NULL: none */
};

struct listing_case {
	const char *name;
	const char *text;
	struct {
		int major, minor; /* opts.kernel_major/minor; 0: none */
	} kernel;
	struct {
		size_t nareas;
		uint8_t visibility; /* enum vms_visibility */
		int sorted;         /* d->sorted: 0 or 1, -1 not checked */
		const char *era;    /* a substring of d->era, or NULL */
		size_t nl;          /* listings */
	} e;
	struct want_listing l[3];
};

#define FIRST   VMS_LO_FIRST
#define PROMPT  VMS_LO_PROMPT
#define HEADING VMS_LO_HEADING
#define OVERLAP VMS_LO_OVERLAP
#define VERSION VMS_LO_VERSION
#define REAL    VMS_VIS_REAL

/* Each case: name, text, {--kernel}, {areas, visibility, d->sorted, era,
 * listings}, then per listing {first, n, opened, line_lo, line_hi,
 * marker_line, filtered, command, heading}. */
static const struct listing_case cases[] = {
    /* 1. one plain sorted listing */
    {"one sorted listing",
     A0 A1 A2 A3,
     {0, 0},
     {4, REAL, 1, NULL, 1},
     {{0, 4, FIRST, 1, 4, 0, false, NULL, NULL}}},
    /* 2. a shell prompt reading vmallocinfo before each listing; the last
     * prompt (no command) belongs to the last listing */
    {"prompt",
     CAT "\n" A0 A1 A2 CAT "\n" A0 A1 A3 "root@board:~# \n",
     {0, 0},
     {6, REAL, 1, NULL, 2},
     {{0, 3, FIRST, 1, 4, 1, false, CAT, NULL},
      {3, 3, PROMPT, 5, 9, 5, false, CAT, NULL}}},
    /* 2b. a prompt with any command separates, addresses need not restart */
    {"prompt without restart",
     A0 A1 "root@board:~# echo 3 > /proc/sys/vm/drop_caches\n" A2 A3,
     {0, 0},
     {4, REAL, 1, NULL, 2},
     {{0, 2, FIRST, 1, 2, 0, false, NULL, NULL},
      {2, 2, PROMPT, 3, 5, 3, false, "root@board:~# echo 3 > /proc/sys/vm/drop_caches",
       NULL}}},
    /* 3. a grep of the file: the listing is filtered, the command kept */
    {"grep",
     A0 A1 A2 GREP "\n" I0 I1,
     {0, 0},
     {5, REAL, 1, NULL, 2},
     {{0, 3, FIRST, 1, 3, 0, false, NULL, NULL},
      {3, 2, PROMPT, 4, 6, 4, true, GREP, NULL}}},
    /* 3b. arm32: headings, then a pipe through grep */
    {"arm32 headings and a pipe",
     "=== before ===\n" R0 R1 R2 "=== after ===\n" R0 R2 ARM_FILTER "\n" R2,
     {0, 0},
     {6, REAL, 1, NULL, 3},
     {{0, 3, FIRST, 1, 4, 1, false, NULL, "=== before ==="},
      {3, 2, HEADING, 5, 7, 5, false, NULL, "=== after ==="},
      {5, 1, PROMPT, 8, 9, 8, true, ARM_FILTER, NULL}}},
    /* 4. a heading, the addresses starting again: the blank line before it
     * stays with the first listing */
    {"heading",
     A0 A1 A2 "\nAfter insmod:\n" A0 A1 A3,
     {0, 0},
     {6, REAL, 1, NULL, 2},
     {{0, 3, FIRST, 1, 4, 0, false, NULL, NULL},
      {3, 3, HEADING, 5, 8, 5, false, NULL, "After insmod:"}}},
    /* 5. no line between: the second starts again over the same areas */
    {"overlap, identical",
     A0 A1 A2 A0 A1 A2,
     {0, 0},
     {6, REAL, 1, NULL, 2},
     {{0, 3, FIRST, 1, 3, 0, false, NULL, NULL},
      {3, 3, OVERLAP, 4, 6, 0, false, NULL, NULL}}},
    /* 5b. the restarted run meets the first only partly */
    {"overlap, partial",
     A0 A1 A2 A3 A01 A3,
     {0, 0},
     {6, REAL, 1, NULL, 2},
     {{0, 4, FIRST, 1, 4, 0, false, NULL, NULL},
      {4, 2, OVERLAP, 5, 6, 0, false, NULL, NULL}}},
    /* 5c. a per-node listing (two runs joined), then a run over the first
     * node's areas: the set held both runs */
    {"per-node, then overlap",
     PER_NODE O0 O1,
     {0, 0},
     {8, REAL, 0, "6.9", 2},
     {{0, 6, FIRST, 1, 6, 0, false, NULL, NULL},
      {6, 2, OVERLAP, 7, 8, 0, false, NULL, NULL}}},
    /* 6. 6.9+ per-node lists: one listing, not sorted, era 6.9+ */
    {"per-node",
     PER_NODE,
     {0, 0},
     {6, REAL, 0, "6.9", 1},
     {{0, 6, FIRST, 1, 6, 0, false, NULL, NULL}}},
    /* 6b. the kernel says 6.9: the same */
    {"per-node, 6.9 by Linux version",
     LINUX_6_9 "\n" PER_NODE,
     {0, 0},
     {6, REAL, 0, "6.9", 1},
     {{0, 6, FIRST, 1, 7, 0, false, NULL, NULL}}},
    {"per-node, --kernel 6.9",
     PER_NODE,
     {6, 9},
     {6, REAL, 0, "6.9", 1},
     {{0, 6, FIRST, 1, 6, 0, false, NULL, NULL}}},
    /* 7. a kernel before 6.9 prints one sorted list: two listings */
    {"version 5.10 line",
     LINUX_5_10 "\n" PER_NODE,
     {0, 0},
     {6, REAL, 1, "5.10", 2},
     {{0, 3, FIRST, 1, 4, 0, false, NULL, NULL},
      {3, 3, VERSION, 5, 7, 0, false, NULL, NULL}}},
    {"version --kernel 5.4",
     PER_NODE,
     {5, 4},
     {6, REAL, 1, "5.4", 2},
     {{0, 3, FIRST, 1, 3, 0, false, NULL, NULL},
      {3, 3, VERSION, 4, 6, 0, false, NULL, NULL}}},
    /* 8. prose between areas without a restart: one listing */
    {"heading without restart",
     A0 A1 "After insmod:\n" A2 A3,
     {0, 0},
     {4, REAL, 1, NULL, 1},
     {{0, 4, FIRST, 1, 5, 0, false, NULL, NULL}}},
    {"prose without restart",
     A0 A1 "\nsome words about the board\n\n" A2 A3,
     {0, 0},
     {4, REAL, 1, NULL, 1},
     {{0, 4, FIRST, 1, 7, 0, false, NULL, NULL}}},
    /* 11. a prompt glued to the end of an area line ends the listing */
    {"glued prompt",
     A0 A1 A2_GLUED A0 A3,
     {0, 0},
     {5, REAL, 1, NULL, 2},
     {{0, 3, FIRST, 1, 3, 0, false, NULL, NULL},
      {3, 2, PROMPT, 4, 5, 4, false, NULL, NULL}}},
    /* ... even when the next listing does not start again */
    {"glued prompt without restart",
     A0 A1 A2_GLUED A3,
     {0, 0},
     {4, REAL, 1, NULL, 2},
     {{0, 3, FIRST, 1, 3, 0, false, NULL, NULL},
      {3, 1, PROMPT, 4, 4, 4, false, NULL, NULL}}},
    /* 12. zeroed addresses: no restart is judged */
    {"zeroed",
     Z25 Z25,
     {0, 0},
     {50, VMS_VIS_RESTRICTED, 0, NULL, 1},
     {{0, 50, FIRST, 1, 50, 0, false, NULL, NULL}}},
    {"zeroed, --kernel 5.4",
     Z25,
     {5, 4},
     {25, VMS_VIS_RESTRICTED, 0, NULL, 1},
     {{0, 25, FIRST, 1, 25, 0, false, NULL, NULL}}},
    /* hashed: not even with a heading between */
    {"hashed",
     H0 H1 H2 "After insmod:\n" H0 H3 H4,
     {0, 0},
     {6, VMS_VIS_HASHED, 0, NULL, 1},
     {{0, 6, FIRST, 1, 7, 0, false, NULL, NULL}}},
    /* ... but a prompt still separates */
    {"zeroed with a prompt",
     CAT "\n" Z5 CAT "\n" ZC ZC ZC,
     {0, 0},
     {8, VMS_VIS_RESTRICTED, 0, NULL, 2},
     {{0, 5, FIRST, 1, 6, 1, false, CAT, NULL},
      {5, 3, PROMPT, 7, 10, 7, false, CAT, NULL}}},
};

#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

static void check_case(const struct listing_case *c, const struct vms_dump *d)
{
	cr_assert_eq(d->areas.n, c->e.nareas, "%s: %zu areas, expected %zu", c->name,
	             d->areas.n, c->e.nareas);
	cr_assert_eq(d->visibility, c->e.visibility, "%s: visibility %s", c->name,
	             vms_visibility_name((enum vms_visibility)d->visibility));
	check_partition(d, c->name);
	cr_assert_eq(d->listings.n, c->e.nl, "%s: %zu listings, expected %zu", c->name,
	             d->listings.n, c->e.nl);
	if (c->e.sorted >= 0)
		cr_assert_eq(d->sorted, c->e.sorted == 1, "%s: sorted %d", c->name,
		             d->sorted);
	if (c->e.era)
		cr_assert(d->era && strstr(d->era, c->e.era), "%s: era '%s' lacks '%s'",
		          c->name, d->era ? d->era : "(null)", c->e.era);
	for (size_t k = 0; k < c->e.nl; k++) {
		const struct want_listing *w = &c->l[k];
		const struct vms_listing *l = &d->listings.v[k];
		cr_assert_eq(l->first, w->first,
		             "%s: listing %zu first %zu, expected %zu", c->name, k + 1,
		             l->first, w->first);
		cr_assert_eq(l->n, w->n, "%s: listing %zu n %zu, expected %zu", c->name,
		             k + 1, l->n, w->n);
		cr_assert_eq(l->opened, w->opened,
		             "%s: listing %zu opened %s, expected %s", c->name, k + 1,
		             opened_name(l->opened), opened_name(w->opened));
		cr_assert_eq(l->line_lo, w->line_lo,
		             "%s: listing %zu line_lo %u, expected %u", c->name, k + 1,
		             l->line_lo, w->line_lo);
		cr_assert_eq(l->line_hi, w->line_hi,
		             "%s: listing %zu line_hi %u, expected %u", c->name, k + 1,
		             l->line_hi, w->line_hi);
		cr_assert_eq(l->marker_line, w->marker_line,
		             "%s: listing %zu marker_line %u, expected %u", c->name,
		             k + 1, l->marker_line, w->marker_line);
		cr_assert_eq(l->filtered, w->filtered, "%s: listing %zu filtered %d",
		             c->name, k + 1, l->filtered);
		if (w->command)
			cr_assert(l->command && strcmp(l->command, w->command) == 0,
			          "%s: listing %zu command '%s', expected '%s'", c->name,
			          k + 1, l->command ? l->command : "(null)", w->command);
		else
			cr_assert_null(l->command, "%s: listing %zu command '%s'",
			               c->name, k + 1, l->command);
		if (w->heading)
			cr_assert(l->heading && strcmp(l->heading, w->heading) == 0,
			          "%s: listing %zu heading '%s', expected '%s'", c->name,
			          k + 1, l->heading ? l->heading : "(null)", w->heading);
		else
			cr_assert_null(l->heading, "%s: listing %zu heading '%s'",
			               c->name, k + 1, l->heading);
	}
}

/* The cases by index (the table holds pointers, so the parameters do not). */
ParameterizedTestParameters(listings, cut_as_expected)
{
	static size_t idx[NR_CASES];
	for (size_t i = 0; i < NR_CASES; i++)
		idx[i] = i;
	return cr_make_param_array(size_t, idx, NR_CASES);
}

ParameterizedTest(size_t *i, listings, cut_as_expected)
{
	const struct listing_case *c = &cases[*i];
	struct vms_parse_opts o = {.kernel_major = c->kernel.major,
	                           .kernel_minor = c->kernel.minor};
	struct vms_dump *d = parse_opts(c->text, c->kernel.major ? &o : NULL);
	check_case(c, d);
	vms_dump_free(d);
}

/* A listing's note names it; none for the first. */
Test(listings, each_later_listing_has_its_start_note)
{
	struct vms_dump *d = parse_text(A0 A1 A2 GREP "\n" I0 I1);
	cr_assert_eq(d->listings.n, 2);
	const struct vms_diag *g = NULL;
	cr_assert_eq(count_diag(d, "listing-start", &g), 1, "one note for listing 2");
	cr_assert_eq(g->line, 5, "at its first area's line, not %u", g->line);
	cr_assert_eq(g->area, 3, "about its first area, not %lld", (long long)g->area);
	vms_dump_free(d);
	d = parse_text(A0 A1 A2 A3);
	cr_assert_eq(count_diag(d, "listing-start", NULL), 0, "one listing, no note");
	vms_dump_free(d);
}

/* ---- /proc/meminfo per listing -------------------------------------------------- */

#define MI_TOTAL "VmallocTotal:   34359738367 kB\n"
#define MI_CHUNK "VmallocChunk:          0 kB\n"
#define MI_GREP  "root@board:~# grep Vmalloc /proc/meminfo\n"

/* 9. one copy after each listing: each listing's own, and no warning */
static const char mem_two[] =
    CAT "\n" A0 A1 MI_GREP MI_TOTAL "VmallocUsed:         100 kB\n" MI_CHUNK CAT
        "\n" A0 A2 MI_GREP MI_TOTAL "VmallocUsed:         200 kB\n" MI_CHUNK;

Test(listings, each_listing_has_its_own_meminfo)
{
	struct vms_dump *d = parse_text(mem_two);
	check_partition(d, "mem_two");
	cr_assert_eq(d->listings.n, 2, "%zu listings", d->listings.n);
	const struct vms_listing *a = &d->listings.v[0], *b = &d->listings.v[1];
	cr_assert_eq(a->line_hi, 7, "the first owns its meminfo lines (to %u)",
	             a->line_hi);
	cr_assert_eq(b->line_lo, 8);
	cr_assert_eq(a->meminfo.used.kb, 100, "listing 1 used %llu kB",
	             (unsigned long long)a->meminfo.used.kb);
	cr_assert_eq(a->meminfo.used.line, 6);
	cr_assert_eq(a->meminfo.total.kb, 34359738367ull);
	cr_assert_eq(a->meminfo.total.line, 5);
	cr_assert_eq(a->meminfo.chunk.line, 7);
	cr_assert_eq(b->meminfo.used.kb, 200, "listing 2 used %llu kB",
	             (unsigned long long)b->meminfo.used.kb);
	cr_assert_eq(b->meminfo.used.line, 13);
	cr_assert_eq(b->meminfo.total.line, 12);
	cr_assert_eq(b->meminfo.chunk.line, 14);
	cr_assert_not(a->meminfo.conflict);
	cr_assert_not(b->meminfo.conflict);
	cr_assert_eq(count_diag(d, "meminfo-repeated", NULL), 0,
	             "copies in different listings are no conflict");
	cr_assert_not(d->log->meminfo.conflict);
	cr_assert_eq(d->acct.by_class[VMS_LINE_DIAGNOSTIC], 0,
	             "the second copy's line is parsed, not a diagnostic");
	cr_assert_eq(a->acct.by_class[VMS_LINE_DIAGNOSTIC] +
	                 b->acct.by_class[VMS_LINE_DIAGNOSTIC],
	             0);
	vms_dump_free(d);
}

/* 9b. two different copies inside one listing are a conflict (the other
 * listing's copy is not) */
static const char mem_conflict[] =
    A0 A1 "VmallocUsed:         100 kB\n"
          "VmallocUsed:         150 kB\n" CAT "\n" A0 A2 "VmallocUsed:         200 kB\n";

Test(listings, differing_copies_in_one_listing_conflict)
{
	struct vms_dump *d = parse_text(mem_conflict);
	check_partition(d, "mem_conflict");
	cr_assert_eq(d->listings.n, 2, "%zu listings", d->listings.n);
	const struct vms_listing *a = &d->listings.v[0], *b = &d->listings.v[1];
	cr_assert(a->meminfo.conflict, "listing 1 holds 100 and 150 kB");
	cr_assert_eq(a->meminfo.used.kb, 100, "the first value is kept");
	cr_assert_eq(a->meminfo.used.line, 3);
	cr_assert_not(b->meminfo.conflict, "listing 2 holds one copy");
	cr_assert_eq(b->meminfo.used.kb, 200);
	cr_assert_eq(b->meminfo.used.line, 8);
	const struct vms_diag *g = NULL;
	cr_assert_eq(count_diag(d, "meminfo-repeated", &g), 1, "the warning is kept");
	cr_assert_eq(g->line, 4, "on the second copy in listing 1, not line %u", g->line);
	cr_assert_eq(g->severity, VMS_SEV_WARNING);
	cr_assert(d->log->meminfo.conflict);
	vms_dump_free(d);
}

/* ---- vms_dump_listing() --------------------------------------------------------- */

static const char two_listings[] = CAT "\n" A0 A1 A2 CAT "\n" A0 A1 A3 "root@board:~# \n";

Test(listings, dump_listing_takes_one_listing_out)
{
	struct vms_dump *d = parse_text(two_listings);
	cr_assert_eq(d->listings.n, 2, "%zu listings", d->listings.n);
	static const size_t n[2] = {3, 3};
	static const uint64_t first_start[2] = {0xffffc90000000000, 0xffffc90000000000};
	static const uint64_t last_start[2] = {0xffffc90000005000, 0xffffc90000008000};
	static const uint32_t first_line[2] = {2, 6};
	for (size_t k = 0; k < 2; k++) {
		struct vms_dump *x = vms_dump_listing(d, k);
		cr_assert_not_null(x);
		cr_assert_eq(x->areas.n, n[k], "listing %zu: %zu areas", k + 1,
		             x->areas.n);
		cr_assert_eq(x->src.n, x->areas.n);
		cr_assert_eq(x->areas.v[0].start, first_start[k], "listing %zu", k + 1);
		cr_assert_eq(x->areas.v[x->areas.n - 1].start, last_start[k],
		             "listing %zu", k + 1);
		cr_assert_eq(x->src.v[0].line, first_line[k],
		             "listing %zu: lines are kept", k + 1);
		cr_assert_str_eq(vms_area_caller(x, &x->areas.v[0]), "foo");
		cr_assert_eq(x->listing_no, k + 1, "listing_no %u", x->listing_no);
		cr_assert_eq(x->nr_listings, 2, "nr_listings %u", x->nr_listings);
		cr_assert_eq(x->listings.n, 1, "%zu listings in the taken dump",
		             x->listings.n);
		const struct vms_listing *l = &x->listings.v[0], *o = &d->listings.v[k];
		cr_assert_eq(l->first, 0);
		cr_assert_eq(l->n, n[k]);
		cr_assert_eq(l->line_lo, o->line_lo);
		cr_assert_eq(l->line_hi, o->line_hi);
		cr_assert_eq(l->opened, o->opened);
		cr_assert_str_eq(l->command, CAT);
		cr_assert_neq(l->command, o->command,
		              "the command is the new dump's copy");
		cr_assert_eq(x->acct.lines, (uint64_t)(o->line_hi - o->line_lo + 1),
		             "listing %zu: its own lines", k + 1);
		cr_assert(x->sorted);
		cr_assert_eq(x->addr_bits, 64);
		cr_assert_eq(count_diag(x, "listing-start", NULL), k == 1 ? 1u : 0u,
		             "listing %zu: only its own notes", k + 1);
		vms_dump_free(x);
	}
	vms_dump_free(d);
}

Test(listings, dump_listing_has_its_own_meminfo)
{
	struct vms_dump *d = parse_text(mem_two);
	cr_assert_eq(d->listings.n, 2);
	static const uint64_t used[2] = {100, 200};
	static const uint32_t line[2] = {6, 13};
	for (size_t k = 0; k < 2; k++) {
		struct vms_dump *x = vms_dump_listing(d, k);
		const struct vms_meminfo *mi = &x->log->meminfo;
		cr_assert_eq(mi->used.kb, used[k], "listing %zu: used %llu kB", k + 1,
		             (unsigned long long)mi->used.kb);
		cr_assert_eq(mi->used.line, line[k], "listing %zu: line %u", k + 1,
		             mi->used.line);
		cr_assert_eq(mi->total.kb, 34359738367ull);
		cr_assert_not(mi->conflict);
		cr_assert_eq(count_diag(x, "meminfo-repeated", NULL), 0);
		cr_assert_eq(x->areas.n, 2);
		vms_dump_free(x);
	}
	vms_dump_free(d);
}

/* A diagnostic about an area goes with its listing, renumbered. */
static const char diag_in_second[] = CAT
    "\n" A0 A1 CAT "\n" A0
    "0xffffc90000002000-0xffffc90000005000     8192 bar+0x0/0x10 pages=1 vmalloc\n" A2;

Test(listings, dump_listing_keeps_only_its_messages)
{
	struct vms_dump *d = parse_text(diag_in_second);
	cr_assert_eq(d->listings.n, 2, "%zu listings", d->listings.n);
	const struct vms_diag *g = NULL;
	cr_assert_eq(count_diag(d, "size-mismatch", &g), 1);
	cr_assert_eq(g->line, 6);
	cr_assert_eq(g->area, 3);
	struct vms_dump *x = vms_dump_listing(d, 0);
	cr_assert_eq(x->areas.n, 2);
	cr_assert_eq(count_diag(x, "size-mismatch", NULL), 0,
	             "listing 1 has no mismatch");
	vms_dump_free(x);
	x = vms_dump_listing(d, 1);
	cr_assert_eq(x->areas.n, 3);
	g = NULL;
	cr_assert_eq(count_diag(x, "size-mismatch", &g), 1,
	             "listing 2 keeps its warning");
	cr_assert_eq(g->line, 6, "on its line, not %u", g->line);
	cr_assert_eq(g->area, 1, "about its area 1, not %lld", (long long)g->area);
	vms_dump_free(x);
	vms_dump_free(d);
}

/* ---- many runs ------------------------------------------------------------------ */

enum { STRESS_AREAS = 200000 };

/* STRESS_AREAS areas, each starting below the one before (every area a
 * restart, no two overlapping: slot i of 16 KiB holds 8 or 12 KiB), then
 * the lines of extra. */
static char *descending(const char *extra, size_t *len)
{
	size_t cap = (size_t)STRESS_AREAS * 96 + strlen(extra) + 1, n = 0;
	char *buf = malloc(cap);
	cr_assert_not_null(buf);
	const uint64_t base = 0xffffc90000000000ull;
	for (size_t i = 0; i < STRESS_AREAS; i++) {
		uint64_t start = base + (uint64_t)(STRESS_AREAS - i) * 0x4000;
		uint64_t size = i % 2 ? 0x3000 : 0x2000;
		n += (size_t)snprintf(
		    buf + n, cap - n,
		    "0x%016llx-0x%016llx %8llu f%zu+0x0/0x10 pages=%llu "
		    "vmalloc\n",
		    (unsigned long long)start, (unsigned long long)(start + size),
		    (unsigned long long)size, i % 7,
		    (unsigned long long)(size / 4096 - 1));
		cr_assert_lt(n, cap);
	}
	size_t e = strlen(extra);
	memcpy(buf + n, extra, e + 1);
	*len = n + e;
	return buf;
}

Test(listings, every_area_a_restart_without_overlap_is_one_listing)
{
	size_t len;
	char *buf = descending("", &len);
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_buffer(buf, len, "stress", NULL, &d), 0);
	cr_assert_eq(d->areas.n, STRESS_AREAS, "%zu areas", d->areas.n);
	cr_assert_eq(d->visibility, VMS_VIS_REAL);
	cr_assert_eq(d->listings.n, 1, "%zu listings", d->listings.n);
	const struct vms_listing *l = &d->listings.v[0];
	cr_assert_eq(l->first, 0);
	cr_assert_eq(l->n, STRESS_AREAS);
	cr_assert_eq(l->opened, VMS_LO_FIRST);
	cr_assert_eq(l->line_lo, 1);
	cr_assert_eq(l->line_hi, STRESS_AREAS);
	cr_assert_not(l->sorted);
	cr_assert_not(d->sorted);
	check_partition(d, "stress");
	vms_dump_free(d);
	free(buf);
}

/* The same, then a run that starts below everything and reaches the very
 * first area (merged the most times): a listing of its own. */
Test(listings, a_run_over_the_first_of_many_runs_is_a_new_listing)
{
	char extra[256];
	snprintf(
	    extra, sizeof(extra),
	    "0xffffc90000000000-0xffffc90000002000     8192 low+0x0/0x10 pages=1 "
	    "vmalloc\n"
	    "0x%016llx-0x%016llx     8192 high+0x0/0x10 pages=1 vmalloc\n",
	    (unsigned long long)(0xffffc90000000000ull + (uint64_t)STRESS_AREAS * 0x4000),
	    (unsigned long long)(0xffffc90000000000ull + (uint64_t)STRESS_AREAS * 0x4000 +
	                         0x2000));
	size_t len;
	char *buf = descending(extra, &len);
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_buffer(buf, len, "stress", NULL, &d), 0);
	cr_assert_eq(d->areas.n, STRESS_AREAS + 2, "%zu areas", d->areas.n);
	cr_assert_eq(d->listings.n, 2, "%zu listings", d->listings.n);
	cr_assert_eq(d->listings.v[0].n, STRESS_AREAS);
	const struct vms_listing *l = &d->listings.v[1];
	cr_assert_eq(l->first, STRESS_AREAS);
	cr_assert_eq(l->n, 2);
	cr_assert_eq(l->opened, VMS_LO_OVERLAP, "opened %s", opened_name(l->opened));
	cr_assert_eq(l->line_lo, STRESS_AREAS + 1);
	check_partition(d, "stress + overlap");
	vms_dump_free(d);
	free(buf);
}
