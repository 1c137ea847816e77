/*
 * test_check.c — the invariant checker on one fixture per defect
 * (tests/data/check/RULE.txt): each fixture raises its rule at the line
 * that holds the defect and no other rule; the clean fixtures raise
 * nothing; hashed dumps skip the address rules once with the reason; the
 * threshold rules, --disable/--enable and baselines work as documented.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/aspace.h"
#include "vmscope/check.h"
#include "vmscope/parse.h"

#define DATA "tests/data/check/"

struct checked {
	struct vms_dump *d;
	struct vms_aspace *m;
	struct vms_check_result *r;
};

static struct checked run_file(const char *path, const struct vms_check_opts *o)
{
	struct checked c = {0};
	cr_assert_eq(vms_parse_file(path, NULL, &c.d), 0, "cannot parse %s", path);
	c.m = vms_aspace_build(c.d, NULL);
	char why[160] = "";
	cr_assert_eq(vms_aspace_validate(c.m, why, sizeof(why)), 0, "%s: %s", path, why);
	c.r = vms_check_run(c.m, o);
	return c;
}

static void done(struct checked *c)
{
	vms_check_result_free(c->r);
	vms_aspace_free(c->m);
	vms_dump_free(c->d);
}

static size_t count_rule(const struct vms_check_result *r, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < r->findings.n; i++)
		n += strcmp(vms_rules[r->findings.v[i].rule].id, rule) == 0;
	return n;
}

struct defect {
	char rule[24];
	unsigned line; /* line of the first finding */
	char also[24]; /* another rule the defect also breaks, or "" */
};

ParameterizedTestParameters(check, each_fixture_raises_its_rule_at_its_line)
{
	static struct defect cases[] = {
	    {"area-unaligned", 4, ""},  {"size-mismatch", 4, ""},
	    {"guard-page", 4, ""},      {"vpages", 4, ""},
	    {"numa-pages", 4, ""},      {"ioremap-align", 4, ""},
	    {"phys-unaligned", 4, ""},  {"overlap", 4, ""},
	    {"duplicate", 4, ""},       {"unpurged-overlap", 4, ""},
	    {"percpu-not-top", 5, ""},  {"unsorted", 4, ""},
	    {"extra-page", 4, ""},      {"vmalloc-start", 7, ""},
	    {"vmalloc-size", 7, ""},    {"vmalloc-clamp", 2, ""},
	    {"layout-size", 7, ""},     {"region-overlap", 7, ""},
	    {"outside-region", 11, ""},
	};
	return cr_make_param_array(struct defect, cases,
	                           sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct defect *t, check, each_fixture_raises_its_rule_at_its_line)
{
	char path[128];
	snprintf(path, sizeof(path), DATA "%s.txt", t->rule);
	struct checked c = run_file(path, NULL);
	cr_assert_geq(c.r->findings.n, 1, "%s: no finding", t->rule);
	const struct vms_finding *f = &c.r->findings.v[0];
	cr_expect_str_eq(vms_rules[f->rule].id, t->rule, "%s: first finding is %s: %s",
	                 t->rule, vms_rules[f->rule].id, f->message);
	cr_expect_eq(f->line, t->line, "%s: line %u, want %u", t->rule, f->line, t->line);
	for (size_t i = 0; i < c.r->findings.n; i++) {
		const char *id = vms_rules[c.r->findings.v[i].rule].id;
		cr_expect(strcmp(id, t->rule) == 0 || strcmp(id, t->also) == 0,
		          "%s: unexpected %s: %s", t->rule, id,
		          c.r->findings.v[i].message);
	}
	done(&c);
}

Test(check, clean_inputs_raise_nothing)
{
	static const char *const files[] = {DATA "clean.txt", DATA "layout-clean.txt",
	                                    DATA "clean-x86_64-kaslr.txt",
	                                    DATA "clean-arm32-ram-hole.txt"};
	for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		struct checked c = run_file(files[k], NULL);
		for (size_t i = 0; i < c.r->findings.n; i++)
			cr_expect(0, "%s: %s: %s", files[k],
			          vms_rules[c.r->findings.v[i].rule].id,
			          c.r->findings.v[i].message);
		cr_expect_eq(c.r->counts[0] + c.r->counts[1] + c.r->counts[2], 0);
		done(&c);
	}
}

Test(check, seed_dump_typo_start_is_caught_and_static_maps_keep_no_guard)
{
	struct checked c =
	    run_file("samples/arm32-marvell-granite2-ocr-paste-vmallocinfo.txt", NULL);
	bool typo = false;
	for (size_t i = 0; i < c.r->findings.n; i++) {
		const struct vms_finding *f = &c.r->findings.v[i];
		if (strcmp(vms_rules[f->rule].id, "size-mismatch") == 0 && f->line == 5)
			typo = strstr(f->message, "0xf000000") != NULL;
		if (f->area >= 0) {
			const char *caller = vms_area_caller(c.d, &c.d->areas.v[f->area]);
			bool exempt =
			    caller && (strcmp(caller, "iotable_init") == 0 ||
			               strcmp(caller, "pcpu_get_vm_areas") == 0 ||
			               strcmp(caller, "pci_reserve_io") == 0);
			cr_expect(
			    !(exempt && strcmp(vms_rules[f->rule].id, "guard-page") == 0),
			    "guard-page finding on %s", caller);
		}
	}
	cr_expect(typo, "the typo'd start 0xf000000 on line 5 is not reported");
	done(&c);
}

Test(check, hashed_dump_skips_address_rules_once_with_the_reason)
{
	struct checked c =
	    run_file("samples/x86_64-rhcos-4.18.0-80-hashed-vmallocinfo.txt", NULL);
	cr_assert(!c.m->geometry);
	cr_assert_eq(c.m->busy.count, 0);
	size_t needs = 0;
	for (size_t i = 0; i < vms_nr_rules; i++)
		needs += vms_rules[i].needs_addresses && vms_rules[i].enabled;
	cr_expect_eq(c.r->skipped.n, needs);
	for (size_t i = 0; i < c.r->skipped.n; i++) {
		cr_expect(vms_rules[c.r->skipped.v[i].rule].needs_addresses);
		cr_expect(strstr(c.r->skipped.v[i].reason, "hashed") != NULL, "%s",
		          c.r->skipped.v[i].reason);
		for (size_t k = 0; k < i; k++)
			cr_expect_neq(c.r->skipped.v[k].rule, c.r->skipped.v[i].rule);
	}
	for (size_t i = 0; i < c.r->findings.n; i++)
		cr_expect(!vms_rules[c.r->findings.v[i].rule].needs_addresses);
	done(&c);
}

Test(check, disable_and_enable_follow_the_options)
{
	signed char en[VMS_CHECK_MAX_RULES];
	memset(en, -1, sizeof(en));
	en[vms_rule_lookup("overlap")] = 0;
	struct vms_check_opts o = {.enable = en};
	struct checked c = run_file(DATA "overlap.txt", &o);
	cr_expect_eq(count_rule(c.r, "overlap"), 0);
	done(&c);
	struct checked d = run_file(DATA "overlap.txt", NULL);
	cr_expect_eq(count_rule(d.r, "overlap"), 1);
	done(&d);
}

Test(check, thresholds_enable_largest_hole_and_usage)
{
	struct vms_check_opts o = {.min_largest_hole = 1ull << 40, .max_usage_pct = 1};
	struct checked c = run_file(DATA "outside-region.txt", &o);
	cr_expect_eq(count_rule(c.r, "largest-hole"), 1);
	cr_expect_eq(count_rule(c.r, "usage"), 0, "one page of 240 MiB is not 1%%");
	done(&c);
	struct checked d = run_file(DATA "outside-region.txt", NULL);
	cr_expect_eq(count_rule(d.r, "largest-hole"), 0, "off without a threshold");
	done(&d);
}

Test(check, space_rules_measure_the_vmalloc_window_not_module_space)
{
	struct vms_check_opts o = {.min_largest_hole = 1ull << 40};
	struct checked c = run_file(DATA "outside-region.txt", &o);
	cr_assert_geq(c.m->windows.n, 2, "modules and vmalloc are two windows");
	cr_assert_eq(count_rule(c.r, "largest-hole"), 1);
	for (size_t i = 0; i < c.r->findings.n; i++)
		if (strcmp(vms_rules[c.r->findings.v[i].rule].id, "largest-hole") == 0)
			cr_expect(strstr(c.r->findings.v[i].message, "of vmalloc is") !=
			              NULL,
			          "%s", c.r->findings.v[i].message);
	done(&c);
}

Test(check, every_sample_builds_a_model_that_validates)
{
	glob_t g;
	cr_assert_eq(glob("samples/*.txt", 0, NULL, &g), 0);
	cr_assert_gt(g.gl_pathc, 20);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct checked c = run_file(g.gl_pathv[i], NULL); /* validates */
		cr_expect_eq(c.m->geometry,
		             c.d->visibility == VMS_VIS_REAL ||
		                 c.d->visibility == VMS_VIS_MIXED,
		             "%s", g.gl_pathv[i]);
		cr_expect(c.m->layout_why != NULL, "%s", g.gl_pathv[i]);
		done(&c);
	}
	globfree(&g);
}

Test(check, baseline_marks_known_findings_and_survives_a_round_trip)
{
	struct checked c = run_file(DATA "overlap.txt", NULL);
	cr_assert_eq(c.r->findings.n, 1);
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	const struct vms_check_result *rs[] = {c.r};
	cr_assert_eq(vms_baseline_write(fp, rs, 1), 0);
	fclose(fp);
	char err[96];
	struct vms_baseline *b = vms_baseline_read(text, len, err, sizeof(err));
	cr_assert_not_null(b, "%s", err);
	struct checked again = run_file(DATA "overlap.txt", NULL);
	cr_expect(vms_check_fails(again.r, VMS_CHECK_ERROR));
	vms_baseline_apply(b, again.r);
	cr_expect(again.r->findings.v[0].baselined);
	cr_expect_eq(again.r->nr_baselined, 1);
	cr_expect(!vms_check_fails(again.r, VMS_CHECK_ERROR));
	vms_baseline_free(b);
	free(text);
	done(&again);
	done(&c);
}

Test(check, baseline_reader_names_the_bad_line)
{
	char err[96] = "";
	const char text[] = "# comment\noverlap 00000000000000ff a:1: x\nnope 0 x\n";
	cr_expect_null(vms_baseline_read(text, sizeof(text) - 1, err, sizeof(err)));
	cr_expect(strstr(err, "line 3") != NULL, "%s", err);
	const char short_key[] = "overlap 12ab a:1: x\n";
	cr_expect_null(
	    vms_baseline_read(short_key, sizeof(short_key) - 1, err, sizeof(err)));
	cr_expect(strstr(err, "line 1") != NULL, "%s", err);
}

Test(check, rule_ids_are_unique_and_documented)
{
	FILE *fp = fopen("docs/rules.md", "r");
	cr_assert_not_null(fp, "docs/rules.md is missing");
	char *doc = NULL;
	size_t cap = 0;
	ssize_t n = getdelim(&doc, &cap, '\0', fp);
	fclose(fp);
	cr_assert_gt(n, 0);
	for (size_t i = 0; i < vms_nr_rules; i++) {
		for (size_t k = 0; k < i; k++)
			cr_expect_str_neq(vms_rules[i].id, vms_rules[k].id);
		char head[64];
		snprintf(head, sizeof(head), "## %s\n", vms_rules[i].id);
		cr_expect(strstr(doc, head) != NULL, "docs/rules.md has no '## %s'",
		          vms_rules[i].id);
	}
	free(doc);
}
