/*
 * test_meminfo.c — /proc/meminfo beside a dump: the Vmalloc and Percpu
 * lines read as facts with their lines (odd spacing, CRLF), the other
 * meminfo lines as known noise, the era read from the values, the dump's
 * VmallocUsed / VmallocChunk as get_vmalloc_info() of <= 4.3 computed
 * them, the rules meminfo-mismatch and dump-incomplete, VmallocTotal
 * placing a profile's guessed VMALLOC_START, and a report that claims no
 * free space for an incomplete dump.
 *
 * The 3.18 fixtures are the first 12 lines of
 * samples/arm32-qcom-mdm9607-jmr540-3.18-vmallocinfo.txt under the layout
 * of its boot log (vmalloc 0xd0800000-0xff000000). By hand: the two
 * map_lowmem lines start below VMALLOC_START and are skipped; the ten
 * others are 8 x 8192 + 16384 + 36864 = 118784 bytes = 116 kB
 * (VmallocUsed); the gaps are 0x2000 (0xd0804000-0xd0806000), 0x6000,
 * 0x4000 and the tail 0xff000000 - 0xd0829000 = 779972608 bytes = 761692
 * kB (VmallocChunk); VmallocTotal = 0x2e800000 bytes = 761856 kB. The cut
 * fixture keeps 7 lines (5 areas in the region, 40 kB) under the meminfo
 * of all 117 lines (31712 kB used). The 6.1 fixture's vmalloc areas have
 * pages= 4 + 4 + 33 + 256 + 1 = 298 pages = 1192 kB.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/aspace.h"
#include "vmscope/check.h"
#include "vmscope/parse.h"
#include "vmscope/report.h"

#define DIR "tests/data/meminfo/"

struct loaded {
	struct vms_dump *d;
	struct vms_aspace *m;
	struct vms_check_result *f;
	struct vms_report *r;
};

static struct loaded load(const char *name)
{
	struct loaded x = {0};
	char path[256];
	snprintf(path, sizeof(path), DIR "%s", name);
	cr_assert_eq(vms_parse_file(path, NULL, &x.d), 0, "cannot parse %s", path);
	x.m = vms_aspace_build(x.d, NULL);
	x.f = vms_check_run(x.m, NULL);
	x.r = vms_report_build(x.m, x.f);
	return x;
}

static void done(struct loaded *x)
{
	vms_report_free(x->r);
	vms_check_result_free(x->f);
	vms_aspace_free(x->m);
	vms_dump_free(x->d);
}

/* Findings of rule id, and the line of the first in *line. */
static size_t findings(const struct loaded *x, const char *id, uint32_t *line)
{
	int rule = vms_rule_lookup(id);
	cr_assert_geq(rule, 0, "no rule %s", id);
	size_t n = 0;
	for (size_t i = 0; i < x->f->findings.n; i++)
		if (x->f->findings.v[i].rule == rule && n++ == 0 && line)
			*line = x->f->findings.v[i].line;
	return n;
}

static void assert_val(const struct vms_meminfo_val *v, uint64_t kb, uint32_t line)
{
	cr_assert_eq(v->kb, kb, "kb %llu, expected %llu", (unsigned long long)v->kb,
	             (unsigned long long)kb);
	cr_assert_eq(v->line, line, "line %u, expected %u", v->line, line);
}

Test(meminfo, facts_with_their_lines_and_matching_figures)
{
	struct loaded x = load("arm32-3.18-match.txt");
	const struct vms_meminfo *mi = &x.d->log->meminfo;
	assert_val(&mi->total, 761856, 24);
	assert_val(&mi->used, 116, 25);
	assert_val(&mi->chunk, 761692, 26);
	cr_assert_eq(mi->percpu.line, 0);
	cr_assert_null(mi->file);
	const struct vms_meminfo_cmp *c = &x.m->meminfo;
	cr_assert_eq(c->era, VMS_MI_SPACE);
	cr_assert(c->compared && c->has_chunk && c->has_total);
	cr_assert_eq(c->used_kb, 116);
	cr_assert_eq(c->chunk_kb, 761692);
	cr_assert_eq(c->chunk_start, 0xd0829000);
	cr_assert_eq(c->region_kb, 761856);
	cr_assert_null(c->incomplete);
	cr_assert_eq(findings(&x, "meminfo-mismatch", NULL), 0);
	cr_assert_eq(findings(&x, "dump-incomplete", NULL), 0);
	/* MemTotal and MemFree are known noise, not prose */
	cr_assert_eq(x.d->acct.noise[VMS_NOISE_PROSE], 0);
	cr_assert_geq(x.d->acct.noise[VMS_NOISE_LOG], 2);
	cr_assert_gt(x.r->windows.n, 0);
	done(&x);
}

Test(meminfo, mismatching_total_used_and_chunk_are_findings)
{
	struct loaded x = load("arm32-3.18-mismatch.txt");
	uint32_t line = 0;
	cr_assert_eq(findings(&x, "meminfo-mismatch", &line), 3);
	cr_assert_eq(line, 22); /* VmallocTotal, then Used (23), Chunk (24) */
	cr_assert_eq(findings(&x, "dump-incomplete", NULL), 0);
	int rule = vms_rule_lookup("meminfo-mismatch");
	cr_assert_eq(vms_rules[rule].severity, VMS_CHECK_WARNING);
	bool chunk = false;
	for (size_t i = 0; i < x.f->findings.n; i++)
		chunk |= x.f->findings.v[i].line == 24 &&
		         strstr(x.f->findings.v[i].message, "700000 kB") &&
		         strstr(x.f->findings.v[i].message, "761692 kB at 0xd0829000");
	cr_assert(chunk, "the VmallocChunk finding names both figures");
	done(&x);
}

Test(meminfo, zeros_from_4_4_are_not_judged)
{
	struct loaded x = load("arm32-4.4-zero.txt");
	const struct vms_meminfo *mi = &x.d->log->meminfo;
	assert_val(&mi->used, 0, 24);
	assert_val(&mi->chunk, 0, 25);
	cr_assert_eq(x.m->meminfo.era, VMS_MI_ZERO);
	cr_assert_not(x.m->meminfo.compared);
	cr_assert_null(x.m->meminfo.incomplete);
	cr_assert_eq(findings(&x, "meminfo-mismatch", NULL), 0);
	cr_assert_eq(findings(&x, "dump-incomplete", NULL), 0);
	done(&x);
}

Test(meminfo, pages_from_5_3_against_pages_of_vmalloc_areas)
{
	struct loaded x = load("x86_64-6.1-pages.txt");
	const struct vms_meminfo *mi = &x.d->log->meminfo;
	assert_val(&mi->total, 34359738367ull, 11);
	assert_val(&mi->used, 1192, 12);
	assert_val(&mi->chunk, 0, 13);
	assert_val(&mi->percpu, 1234, 14);
	const struct vms_meminfo_cmp *c = &x.m->meminfo;
	cr_assert_eq(c->era, VMS_MI_PAGES);
	cr_assert(c->compared);
	cr_assert_eq(c->used_kb, 1192);
	cr_assert_not(c->has_chunk);
	cr_assert_null(c->incomplete);
	/* 32 TiB - 1 byte (inclusive VMALLOC_END) against a 32 TiB region */
	cr_assert_eq(findings(&x, "meminfo-mismatch", NULL), 0);
	cr_assert_eq(findings(&x, "dump-incomplete", NULL), 0);
	done(&x);
}

Test(meminfo, cut_dump_is_incomplete_and_claims_no_free_space)
{
	struct loaded x = load("arm32-3.18-cut.txt");
	const struct vms_meminfo_cmp *c = &x.m->meminfo;
	cr_assert_eq(c->used_kb, 40);
	cr_assert_not_null(c->incomplete);
	uint32_t line = 0;
	cr_assert_eq(findings(&x, "dump-incomplete", &line), 1);
	cr_assert_eq(line, 18);
	/* the sums are bound to differ: no mismatch on top */
	cr_assert_eq(findings(&x, "meminfo-mismatch", NULL), 0);
	/* no window, so no hole and no free byte is reported */
	cr_assert_eq(x.r->windows.n, 0);
	for (size_t i = 0; i < x.r->regions.n; i++)
		cr_assert_eq(x.r->regions.v[i].window, -1);
	/* the model still has its windows (check, fit and the viewer use them) */
	cr_assert_gt(x.m->windows.n, 0);
	done(&x);
}

Test(meminfo, odd_spacing_and_crlf)
{
	struct loaded x = load("arm32-3.18-crlf-spacing.txt");
	const struct vms_meminfo *mi = &x.d->log->meminfo;
	assert_val(&mi->total, 761856, 23);
	assert_val(&mi->used, 116, 24);
	assert_val(&mi->chunk, 761692, 25);
	cr_assert_eq(x.d->acct.noise[VMS_NOISE_PROSE], 0);
	cr_assert_eq(x.d->acct.by_class[VMS_LINE_DIAGNOSTIC], 0);
	cr_assert_eq(findings(&x, "meminfo-mismatch", NULL), 0);
	done(&x);
}

Test(meminfo, meminfo_without_a_dump)
{
	struct loaded x = load("meminfo-only-3.x.txt");
	cr_assert(vms_dump_usable(x.d));
	cr_assert_eq(x.d->areas.n, 0);
	const struct vms_meminfo *mi = &x.d->log->meminfo;
	assert_val(&mi->total, 892928, 31);
	assert_val(&mi->used, 41764, 32);
	assert_val(&mi->chunk, 829276, 33);
	/* 3 facts, 30 known noise lines, nothing unread */
	cr_assert_eq(x.d->acct.by_class[VMS_LINE_PARSED], 3);
	cr_assert_eq(x.d->acct.noise[VMS_NOISE_LOG], 30);
	cr_assert_eq(x.d->acct.noise[VMS_NOISE_PROSE], 0);
	cr_assert_not(x.m->meminfo.compared);
	cr_assert_null(x.m->meminfo.incomplete);
	cr_assert_eq(findings(&x, "dump-incomplete", NULL), 0);
	cr_assert_eq(findings(&x, "meminfo-mismatch", NULL), 0);
	done(&x);
}

Test(meminfo, total_places_a_guessed_vmalloc_start)
{
	struct loaded x = load("arm32-3.18-profile-total.txt");
	const struct vms_region *r = vms_aspace_vmalloc(x.m);
	cr_assert_not_null(r);
	cr_assert_eq(r->source, VMS_RS_PROFILE);
	cr_assert_eq(r->start, 0xd0800000);
	cr_assert_eq(r->end, 0xff000000);
	cr_assert_not(r->start_guessed);
	cr_assert(x.m->meminfo.total_set_start);
	cr_assert_not_null(strstr(x.m->layout_why, "VmallocTotal (line 13)"));
	/* the window is the region now, not bounded by the lowest area */
	const struct vms_window *w = vms_aspace_vmalloc_window(x.m);
	cr_assert_eq(w->bounds & VMS_WB_LOW_AREA, 0);
	cr_assert_eq(x.m->meminfo.used_kb, 116);
	cr_assert_eq(x.m->meminfo.chunk_kb, 761692);
	cr_assert_eq(findings(&x, "meminfo-mismatch", NULL), 0);
	done(&x);
}

/* One line at a time: the value parsed or the line left to others. */
struct line_case {
	char text[48];
	int which; /* 0 total, 1 used, 2 chunk, 3 percpu, -1 none */
	uint64_t kb;
	bool warned;
};

ParameterizedTestParameters(meminfo, lines)
{
	static struct line_case cases[] = {
	    {"VmallocTotal:   34359738367 kB\n", 0, 34359738367ull, false},
	    {"VmallocUsed:\t\t41764 kB\n", 1, 41764, false},
	    {"VmallocChunk:829276kB\n", 2, 829276, false},
	    {"Percpu:              808 kB\r\n", 3, 808, false},
	    {"VmallocUsed: 12 KB   \n", 1, 12, false},
	    {"VmallocUsed: 99999999999999999999 kB\n", -1, 0, true},
	    {"VmallocUsed: 12 MB\n", -1, 0, false},
	    {"VmallocUsedX: 12 kB\n", -1, 0, false},
	    {"VmallocUsed is 12 kB\n", -1, 0, false},
	};
	return cr_make_param_array(struct line_case, cases,
	                           sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct line_case *lc, meminfo, lines)
{
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_buffer(lc->text, strlen(lc->text), "t", NULL, &d), 0);
	const struct vms_meminfo *mi = &d->log->meminfo;
	const struct vms_meminfo_val *v[4] = {&mi->total, &mi->used, &mi->chunk,
	                                      &mi->percpu};
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(v[i]->line, i == lc->which ? 1u : 0u, "%s: value %d",
		             lc->text, i);
		if (i == lc->which)
			cr_assert_eq(v[i]->kb, lc->kb, "%s", lc->text);
	}
	cr_assert_eq(d->acct.by_class[VMS_LINE_DIAGNOSTIC], lc->warned ? 1u : 0u, "%s",
	             lc->text);
	vms_dump_free(d);
}

/* Two copies of /proc/meminfo that disagree: said once, the first values
 * kept, and the dump judged against neither (the second copy alone would
 * have called it incomplete). */
Test(meminfo, two_copies_that_disagree_are_not_judged)
{
	struct loaded x = load("arm32-3.18-twice.txt");
	const struct vms_meminfo *mi = &x.d->log->meminfo;
	cr_assert(mi->conflict);
	assert_val(&mi->used, 116, 25);
	size_t n = 0;
	for (size_t i = 0; i < x.d->diags.n; i++)
		if (!strcmp(x.d->diags.v[i].code, "meminfo-repeated")) {
			n++;
			cr_assert_eq(x.d->diags.v[i].line, 29);
			cr_assert_eq(x.d->diags.v[i].severity, VMS_SEV_WARNING);
		}
	cr_assert_eq(n, 1, "said once");
	cr_assert_not(x.m->meminfo.compared);
	cr_assert_null(x.m->meminfo.incomplete);
	cr_assert_eq(findings(&x, "dump-incomplete", NULL), 0);
	cr_assert_eq(findings(&x, "meminfo-mismatch", NULL), 0);
	done(&x);
}

/* crash's kmem -v table prints no pages=: a 5.3+ VmallocUsed (pages) is not
 * compared with it, so the table is not called incomplete. */
Test(meminfo, a_format_without_pages_is_not_compared)
{
	struct loaded x = load("x86_64-6.1-crash-kmem.txt");
	cr_assert_gt(x.d->areas.n, 0);
	cr_assert_eq(x.m->meminfo.era, VMS_MI_PAGES);
	cr_assert_not(x.m->meminfo.compared);
	cr_assert_null(x.m->meminfo.incomplete);
	cr_assert_eq(findings(&x, "dump-incomplete", NULL), 0);
	done(&x);
}

/* A meminfo from --layout does not replace the input's own copy, taken
 * with the dump. */
Test(meminfo, the_inputs_own_copy_wins_over_the_layouts)
{
	struct vms_dump *log = NULL, *d = NULL;
	const char lay[] = "VmallocTotal:     761856 kB\nVmallocUsed:       31712 kB\n"
	                   "VmallocChunk:     700000 kB\n";
	cr_assert_eq(vms_parse_buffer(lay, sizeof(lay) - 1, "log", NULL, &log), 0);
	struct vms_parse_opts o = {.layout = log->log, .layout_file = "log"};
	cr_assert_eq(vms_parse_file(DIR "arm32-3.18-match.txt", &o, &d), 0);
	assert_val(&d->log->meminfo.used, 116, 25);
	cr_assert_null(d->log->meminfo.file, "the input's own");
	vms_dump_free(d);
	/* without a copy of its own, the input takes the layout's */
	const char dump[] = "0xd0800000-0xd0802000    8192 of_iomap+0x30/0x38 "
	                    "phys=b000000 ioremap\n";
	cr_assert_eq(vms_parse_buffer(dump, sizeof(dump) - 1, "dump", &o, &d), 0);
	assert_val(&d->log->meminfo.used, 31712, 2);
	cr_assert_str_eq(d->log->meminfo.file, "log");
	vms_dump_free(d);
	vms_dump_free(log);
}

/* Zeros (4.4+) beside a printed 3.18 version: meminfo of another kernel,
 * said, and nothing compared. */
Test(meminfo, values_of_another_era_than_the_version_are_said)
{
	struct loaded x = load("arm32-3.18-zeros.txt");
	cr_assert_eq(x.m->meminfo.era, VMS_MI_ZERO);
	cr_assert(x.m->meminfo.era_conflict);
	cr_assert_not(x.m->meminfo.compared);
	uint32_t line = 0;
	cr_assert_eq(findings(&x, "meminfo-mismatch", &line), 1);
	cr_assert_eq(line, 25, "on the VmallocUsed line");
	cr_assert_eq(findings(&x, "dump-incomplete", NULL), 0);
	done(&x);
	/* the same values with no version: 4.4 - 5.2, no finding */
	struct loaded y = load("arm32-4.4-zero.txt");
	cr_assert_not(y.m->meminfo.era_conflict);
	cr_assert_eq(findings(&y, "meminfo-mismatch", NULL), 0);
	done(&y);
}

/* VmallocUsed without a VmallocChunk beside it (printed 0): only 5.3+
 * prints that, with or without a version. */
Test(meminfo, used_without_a_chunk_is_the_pages_era)
{
	const char text[] =
	    "VmallocTotal:   34359738367 kB\nVmallocUsed:        4136 kB\n"
	    "VmallocChunk:          0 kB\n";
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_buffer(text, sizeof(text) - 1, "grep", NULL, &d), 0);
	struct vms_aspace *m = vms_aspace_build(d, NULL);
	cr_assert_eq(m->meminfo.era, VMS_MI_PAGES);
	vms_aspace_free(m);
	vms_dump_free(d);
}
