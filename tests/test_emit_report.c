/*
 * test_emit_report.c — the machine-readable writers of `vmscope report`:
 * Prometheus textfile metrics and the per-caller CSV table, on reports of
 * real samples and of a hand-built dump with hostile names.
 *
 * The Prometheus output is read back by a parser of the text exposition
 * format 0.0.4 written here (metric and label name grammar, the three
 * label-value escapes, HELP and TYPE before a family's samples, each
 * family once, no two samples with the same name and labels, values that
 * parse as floats), then its values are compared with the report struct.
 * The CSV is split by a small quoted-field reader (libcsv stays confined
 * to emit_csv.c) and compared row by row.
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/aspace.h"
#include "vmscope/check.h"
#include "vmscope/emit_report.h"
#include "vmscope/parse.h"
#include "vmscope/report.h"

#define ARM32        "samples/arm32-marvell-granite2-ocr-paste-vmallocinfo.txt"
#define ARM32_LAYOUT "samples/arm32-marvell-granite2-boot-layout-240m.txt"
#define X86          "samples/x86_64-qa-thread-vmallocinfo.txt"
#define HASHED       "samples/x86_64-rhcos-4.18.0-80-hashed-vmallocinfo.txt"

/* ---- reports of samples ------------------------------------------------- */

/* One input: everything a report borrows, freed together. */
struct loaded {
	struct vms_dump *layout, *d;
	struct vms_aspace *m;
	struct vms_check_result *c;
	struct vms_report *r;
};

static void build(struct loaded *l)
{
	l->m = vms_aspace_build(l->d, NULL);
	l->c = vms_check_run(l->m, NULL);
	l->r = vms_report_build(l->m, l->c);
}

/* Parses path (with the boot log layout, or NULL) and builds its report. */
static struct loaded load(const char *path, const char *layout)
{
	struct loaded l = {0};
	struct vms_parse_opts o = {0};
	if (layout) {
		cr_assert_eq(vms_parse_file(layout, NULL, &l.layout), 0, "%s", layout);
		o.layout = l.layout->log;
		o.layout_file = layout;
	}
	cr_assert_eq(vms_parse_file(path, &o, &l.d), 0, "cannot parse %s", path);
	build(&l);
	return l;
}

static void unload(struct loaded *l)
{
	vms_report_free(l->r);
	vms_check_result_free(l->c);
	vms_aspace_free(l->m);
	vms_dump_free(l->d);
	vms_dump_free(l->layout);
}

/* The three samples: arm32 with its boot log, x86_64, hashed x86_64. */
static void load_samples(struct loaded *l)
{
	l[0] = load(ARM32, ARM32_LAYOUT);
	l[1] = load(X86, NULL);
	l[2] = load(HASHED, NULL);
	cr_assert(l[0].m->geometry && l[1].m->geometry, "the samples have addresses");
	cr_assert(!l[2].m->geometry, "the hashed sample has none");
}

/* Runs a writer on reports l[0..n) into a string (free with free()). */
typedef int (*writer)(FILE *, const struct vms_report *const *, size_t,
                      const struct vms_report_view *);
static char *write_all(writer w, const struct loaded *l, size_t n, size_t top)
{
	const struct vms_report *r[8];
	cr_assert_leq(n, 8);
	for (size_t i = 0; i < n; i++)
		r[i] = l[i].r;
	struct vms_report_view v = {.top = top};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	cr_assert_not_null(fp);
	cr_assert_eq(w(fp, r, n, &v), 0);
	cr_assert_eq(fclose(fp), 0);
	return buf;
}

/* ---- a parser of the text exposition format ----------------------------- */

#define MAX_LABELS 8

struct plabel {
	char *name, *value; /* value decoded */
};

struct psample {
	char *name;
	struct plabel l[MAX_LABELS];
	size_t nl;
	char *text; /* the value as written */
	double value;
	char *key; /* name and sorted labels: equal keys are duplicates */
};

struct pfamily {
	char *name;
	bool help, type;
};

struct expo {
	VMS_VEC(struct psample) samples;
	VMS_VEC(struct pfamily) families;
	ptrdiff_t cur; /* the family being read, or -1 */
	unsigned line;
	char err[512]; /* the first error, "" when valid */
};

static bool fail(struct expo *e, const char *what, const char *s)
{
	if (!e->err[0])
		snprintf(e->err, sizeof(e->err), "line %u: %s: %.200s", e->line, what, s);
	return false;
}

static bool name_start(char c, bool colon)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (colon && c == ':');
}

static bool name_char(char c, bool colon)
{
	return name_start(c, colon) || (c >= '0' && c <= '9');
}

/* A metric name (colon true) or label name at *p; a new string or NULL. */
static char *read_name(const char **p, bool colon)
{
	const char *s = *p;
	if (!name_start(*s, colon))
		return NULL;
	while (name_char(*s, colon))
		s++;
	char *out = vms_xstrndup(*p, (size_t)(s - *p));
	*p = s;
	return out;
}

/* A quoted label value at *p (opening quote included), decoded. */
static char *read_value(const char **p)
{
	const char *s = *p;
	if (*s++ != '"')
		return NULL;
	char *out = vms_xmalloc(strlen(s) + 1), *o = out;
	for (; *s && *s != '"'; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		s++;
		if (*s != '\\' && *s != '"' && *s != 'n') {
			free(out);
			return NULL;
		}
		*o++ = *s == 'n' ? '\n' : *s;
	}
	if (*s != '"') {
		free(out);
		return NULL;
	}
	*o = '\0';
	*p = s + 1;
	return out;
}

static struct pfamily *family(struct expo *e, const char *name)
{
	for (size_t i = 0; i < e->families.n; i++)
		if (strcmp(e->families.v[i].name, name) == 0)
			return &e->families.v[i];
	return NULL;
}

/* "# HELP name text", "# TYPE name type", or any other comment. */
static bool read_comment(struct expo *e, const char *line)
{
	bool help = strncmp(line, "# HELP ", 7) == 0,
	     type = strncmp(line, "# TYPE ", 7) == 0;
	if (!help && !type)
		return true;
	const char *p = line + 7;
	char *name = read_name(&p, true);
	struct pfamily *f = name ? family(e, name) : NULL;
	bool bad = !name || *p != ' ', twice = f && f != &e->families.v[e->cur];
	if (bad || twice || f)
		free(name);
	if (bad || twice)
		return fail(e, bad ? "bad HELP/TYPE line" : "family appears twice", line);
	if (!f) {
		vms_vec_push(&e->families, ((struct pfamily){.name = name}));
		e->cur = (ptrdiff_t)e->families.n - 1;
		f = &e->families.v[e->cur];
	}
	if ((help && f->help) || (type && f->type))
		return fail(e, "second HELP or TYPE", line);
	if (type && strcmp(p + 1, "gauge") != 0 && strcmp(p + 1, "counter") != 0 &&
	    strcmp(p + 1, "untyped") != 0 && strcmp(p + 1, "summary") != 0 &&
	    strcmp(p + 1, "histogram") != 0)
		return fail(e, "unknown type", line);
	f->help |= help;
	f->type |= type;
	return true;
}

/* {name="value",...} at *p into s. */
static bool read_labels(struct expo *e, const char **p, struct psample *s)
{
	if (**p != '{')
		return true;
	(*p)++;
	while (**p != '}') {
		if (s->nl == MAX_LABELS)
			return fail(e, "too many labels", *p);
		struct plabel *l = &s->l[s->nl];
		l->name = read_name(p, false);
		if (!l->name || strncmp(l->name, "__", 2) == 0 || *(*p)++ != '=')
			return fail(e, "bad label name", *p);
		s->nl++;
		l->value = read_value(p);
		if (!l->value)
			return fail(e, "bad label value", *p);
		for (size_t k = 0; k + 1 < s->nl; k++)
			if (strcmp(s->l[k].name, l->name) == 0)
				return fail(e, "label twice", l->name);
		if (**p == ',')
			(*p)++;
		else if (**p != '}')
			return fail(e, "expected , or }", *p);
	}
	(*p)++;
	return true;
}

static int cmp_label(const void *x, const void *y)
{
	return strcmp(((const struct plabel *)x)->name, ((const struct plabel *)y)->name);
}

/* The identity of a sample: its name and labels sorted by name. */
static char *sample_key(const struct psample *s)
{
	struct plabel l[MAX_LABELS];
	memcpy(l, s->l, s->nl * sizeof(*l));
	qsort(l, s->nl, sizeof(*l), cmp_label);
	char *key = vms_xstrdup(s->name);
	for (size_t i = 0; i < s->nl; i++) {
		char *k = vms_xasprintf("%s\x01%s\x02%s", key, l[i].name,
		                        l[i].value ? l[i].value : "");
		free(key);
		key = k;
	}
	return key;
}

static bool read_number(struct expo *e, const char *p, struct psample *s)
{
	char *end;
	if (*p++ != ' ')
		return fail(e, "no value", p);
	s->text = vms_xstrdup(p);
	if (strcmp(p, "NaN") == 0 || strcmp(p, "+Inf") == 0 || strcmp(p, "-Inf") == 0) {
		s->value = strcmp(p, "NaN") == 0 ? NAN
		           : p[0] == '+'         ? INFINITY
		                                 : -INFINITY;
		return true;
	}
	s->value = strtod(p, &end);
	if (end == p || *end)
		return fail(e, "value is not a float (or has a timestamp)", p);
	return true;
}

static bool read_sample(struct expo *e, const char *line)
{
	const char *p = line;
	struct psample s = {.name = read_name(&p, true)};
	if (!s.name)
		return fail(e, "bad metric name", line);
	bool ok = read_labels(e, &p, &s) && read_number(e, p, &s);
	if (ok && (e->cur < 0 || strcmp(e->families.v[e->cur].name, s.name) != 0))
		ok = fail(e, "sample outside its family", line);
	if (ok && !(e->families.v[e->cur].help && e->families.v[e->cur].type))
		ok = fail(e, "sample before HELP and TYPE", line);
	s.key = sample_key(&s);
	vms_vec_push(&e->samples, s);
	return ok;
}

static int cmp_key(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void check_duplicates(struct expo *e)
{
	size_t n = e->samples.n;
	char **keys = vms_xcalloc(n ? n : 1, sizeof(*keys));
	for (size_t i = 0; i < n; i++)
		keys[i] = e->samples.v[i].key;
	qsort(keys, n, sizeof(*keys), cmp_key);
	for (size_t i = 1; i < n; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0)
			fail(e, "duplicate sample", keys[i]);
	free(keys);
}

/* Parses text; e->err says what is wrong ("" when nothing). */
static void expo_parse(struct expo *e, const char *text)
{
	*e = (struct expo){.cur = -1};
	size_t len = strlen(text);
	if (len && text[len - 1] != '\n')
		fail(e, "no newline at the end", "");
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = vms_xstrndup(p, n);
		e->line++;
		if (line[0] == '#')
			read_comment(e, line);
		else
			read_sample(e, line);
		free(line);
		p += n + (nl != NULL);
	}
	check_duplicates(e);
}

static void expo_free(struct expo *e)
{
	for (size_t i = 0; i < e->samples.n; i++) {
		struct psample *s = &e->samples.v[i];
		for (size_t k = 0; k < s->nl; k++)
			free(s->l[k].name), free(s->l[k].value);
		free(s->name), free(s->text), free(s->key);
	}
	for (size_t i = 0; i < e->families.n; i++)
		free(e->families.v[i].name);
	free(e->samples.v);
	free(e->families.v);
}

/* ---- looking samples up ------------------------------------------------- */

static const char *label(const struct psample *s, const char *name)
{
	for (size_t k = 0; k < s->nl; k++)
		if (strcmp(s->l[k].name, name) == 0)
			return s->l[k].value;
	return NULL;
}

/* Whether s is name with label source and the NULL-ended pairs kv (and
 * no other label). */
static bool matches(const struct psample *s, const char *name, const char *source,
                    const char *const *kv)
{
	size_t n = 1;
	if (strcmp(s->name, name) != 0 || !label(s, "source") ||
	    strcmp(label(s, "source"), source) != 0)
		return false;
	for (; kv && kv[0]; kv += 2, n++)
		if (!label(s, kv[0]) || strcmp(label(s, kv[0]), kv[1]) != 0)
			return false;
	return n == s->nl;
}

/* The one sample that matches (fails the test when not exactly one). */
static const struct psample *find(const struct expo *e, const char *name,
                                  const char *source, const char *const *kv)
{
	const struct psample *hit = NULL;
	for (size_t i = 0; i < e->samples.n; i++) {
		if (!matches(&e->samples.v[i], name, source, kv))
			continue;
		cr_assert_null(hit, "%s of %s: two samples", name, source);
		hit = &e->samples.v[i];
	}
	cr_assert_not_null(hit, "%s of %s%s%s: no sample", name, source, kv ? " " : "",
	                   kv ? kv[1] : "");
	return hit;
}

/* The sample's value as the exact integer written. */
static uint64_t u64_of(const struct expo *e, const char *name, const char *source,
                       const char *const *kv)
{
	const struct psample *s = find(e, name, source, kv);
	char *end;
	uint64_t v = strtoull(s->text, &end, 10);
	cr_assert(*end == '\0' && s->text[0] != '-', "%s: not an integer: %s", name,
	          s->text);
	return v;
}

/* Samples of family name for source, and the sum of their values. */
static size_t count_of(const struct expo *e, const char *name, const char *source,
                       double *sum)
{
	size_t n = 0;
	double total = 0;
	for (size_t i = 0; i < e->samples.n; i++) {
		const struct psample *s = &e->samples.v[i];
		if (strcmp(s->name, name) == 0 && strcmp(label(s, "source"), source) == 0)
			n++, total += s->value;
	}
	if (sum)
		*sum = total;
	return n;
}

/* Every family of the contract, in order. */
static const char *const family_names[] = {
    "vmscope_report_info",
    "vmscope_page_size_bytes",
    "vmscope_used_bytes",
    "vmscope_area_bytes",
    "vmscope_areas",
    "vmscope_area_pages",
    "vmscope_caller_bytes",
    "vmscope_caller_areas",
    "vmscope_module_bytes",
    "vmscope_module_areas",
    "vmscope_region_size_bytes",
    "vmscope_region_used_bytes",
    "vmscope_free_bytes",
    "vmscope_largest_free_hole_bytes",
    "vmscope_fragmentation_ratio",
    "vmscope_max_vmalloc_bytes",
    "vmscope_max_ioremap_bytes",
    "vmscope_holes",
    "vmscope_hole_bytes",
    "vmscope_findings",
};
#define NR_FAMILY_NAMES (sizeof(family_names) / sizeof(family_names[0]))

/* Parses the Prometheus output of l[0..n) and asserts it is valid. */
static void parse_prom(struct expo *e, const struct loaded *l, size_t n, size_t top)
{
	char *text = write_all(vms_emit_report_prometheus, l, n, top);
	expo_parse(e, text);
	cr_assert_str_empty(e->err, "%s", e->err);
	cr_assert_gt(e->samples.n, 0, "no samples");
	free(text);
}

/* ---- Prometheus: format ------------------------------------------------- */

Test(emit_report, prometheus_output_of_the_samples_is_valid_exposition_text)
{
	struct loaded l[3];
	load_samples(l);
	struct expo e;
	parse_prom(&e, l, 3, 5);
	cr_assert_eq(e.families.n, NR_FAMILY_NAMES, "%zu families", e.families.n);
	for (size_t i = 0; i < NR_FAMILY_NAMES; i++)
		cr_expect_str_eq(e.families.v[i].name, family_names[i]);
	for (size_t i = 0; i < e.samples.n; i++) {
		const struct psample *s = &e.samples.v[i];
		cr_expect(isfinite(s->value), "%s: %s", s->name, s->text);
		cr_expect(s->value >= 0, "%s: %s", s->name, s->text);
		cr_expect(label(s, "source") != NULL, "%s has no source", s->name);
	}
	expo_free(&e);
	for (size_t i = 0; i < 3; i++)
		unload(&l[i]);
}

Test(emit_report, the_parser_of_the_test_rejects_what_the_format_forbids)
{
	static const char *const bad[] = {
	    "x 1\n",                                         /* no HELP, TYPE */
	    "# HELP x h\n# TYPE x gauge\nx{a=\"1\\t\"} 1\n", /* bad escape */
	    "# HELP x h\n# TYPE x gauge\nx{a=\"1\"} 1\nx{a=\"1\"} 2\n", /* dup */
	    "# HELP x h\n# TYPE x gauge\n# HELP y h\n# TYPE y gauge\n# HELP x h\n",
	    "# HELP x h\n# TYPE x gauge\nx 1 1700000000\n",       /* timestamp */
	    "# HELP x h\n# TYPE x gauge\nx{1a=\"1\"} 1\n",        /* label name */
	    "# HELP x h\n# TYPE x gauge\nx 1",                    /* no newline */
	    "# HELP x h\n# TYPE x gauge\nx{a=\"1\",a=\"2\"} 1\n", /* label twice */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct expo e;
		expo_parse(&e, bad[i]);
		cr_expect_str_not_empty(e.err, "accepted: %s", bad[i]);
		expo_free(&e);
	}
	struct expo e;
	expo_parse(&e,
	           "# HELP x h\n# TYPE x gauge\nx{a=\"q\\\"b\\\\n\\n\",b=\"\"} 1.5e3\n");
	cr_assert_str_empty(e.err, "%s", e.err);
	cr_expect_str_eq(label(&e.samples.v[0], "a"), "q\"b\\n\n");
	cr_expect_float_eq(e.samples.v[0].value, 1500.0, 1e-9);
	expo_free(&e);
}

/* ---- Prometheus: values ------------------------------------------------- */

static void expect_kinds(const struct expo *e, const struct vms_report *r,
                         const char *src)
{
	double sum;
	cr_expect_eq(count_of(e, "vmscope_area_bytes", src, &sum), VMS_NR_AKINDS);
	cr_expect_eq((uint64_t)sum, r->total.bytes, "%s: kinds add up", src);
	cr_expect_eq(u64_of(e, "vmscope_used_bytes", src, NULL), r->total.bytes);
	for (unsigned k = 0; k < VMS_NR_AKINDS; k++) {
		const char *kv[] = {"kind", vms_akind_name(k), NULL};
		cr_expect_eq(u64_of(e, "vmscope_area_bytes", src, kv), r->kinds[k].bytes);
		cr_expect_eq(u64_of(e, "vmscope_areas", src, kv), r->kinds[k].count);
		cr_expect_eq(u64_of(e, "vmscope_area_pages", src, kv), r->kinds[k].pages);
	}
}

/* The top rows of callers (or modules), then "[other]": they add up. */
static void expect_groups(const struct expo *e, const struct vms_report *r,
                          const char *src, bool callers, size_t top)
{
	const struct vms_report_group *g = callers ? r->callers.v : r->modules.v;
	size_t count = callers ? r->callers.n : r->modules.n;
	const char *bytes = callers ? "vmscope_caller_bytes" : "vmscope_module_bytes";
	const char *areas = callers ? "vmscope_caller_areas" : "vmscope_module_areas";
	size_t shown = top && top < count ? top : count;
	double sum_b, sum_a;
	cr_expect_eq(count_of(e, bytes, src, &sum_b), shown + 1, "%s of %s", bytes, src);
	cr_expect_eq(count_of(e, areas, src, &sum_a), shown + 1);
	cr_expect_eq((uint64_t)sum_b, r->total.bytes, "%s: %s add up", src, bytes);
	cr_expect_eq((uint64_t)sum_a, r->total.count);
	for (size_t i = 0; i < shown; i++) {
		const char *mod = g[i].module ? g[i].module : "";
		const char *kv_c[] = {"caller", g[i].name, "module", mod, NULL};
		const char *kv_m[] = {"module", g[i].name, NULL};
		const char *const *kv = callers ? kv_c : kv_m;
		cr_expect_eq(u64_of(e, bytes, src, kv), g[i].u.bytes, "%s", g[i].name);
		cr_expect_eq(u64_of(e, areas, src, kv), g[i].u.count, "%s", g[i].name);
	}
	const char *kv_c[] = {"caller", "[other]", "module", "", NULL};
	const char *kv_m[] = {"module", "[other]", NULL};
	struct vms_usage other;
	vms_report_top(g, count, top, &other);
	cr_expect_eq(u64_of(e, bytes, src, callers ? kv_c : kv_m), other.bytes);
}

static void expect_regions(const struct expo *e, const struct vms_report *r,
                           const char *src)
{
	cr_expect_eq(count_of(e, "vmscope_region_size_bytes", src, NULL), r->regions.n);
	for (size_t i = 0; i < r->regions.n; i++) {
		const struct vms_region *g = r->regions.v[i].region;
		const char *kv[] = {"region", g->name, NULL};
		cr_expect_eq(u64_of(e, "vmscope_region_size_bytes", src, kv),
		             g->end - g->start);
		cr_expect_eq(u64_of(e, "vmscope_region_used_bytes", src, kv),
		             r->regions.v[i].u.bytes, "%s", g->name);
	}
}

static void expect_windows(const struct expo *e, const struct vms_report *r,
                           const char *src)
{
	cr_assert_gt(r->windows.n, 0, "%s has windows", src);
	for (size_t i = 0; i < r->windows.n; i++) {
		const struct vms_report_window *w = &r->windows.v[i];
		const char *kv[] = {"region", w->region->name, NULL};
		cr_expect_eq(u64_of(e, "vmscope_free_bytes", src, kv), w->free);
		cr_expect_eq(u64_of(e, "vmscope_largest_free_hole_bytes", src, kv),
		             w->largest);
		cr_expect_eq(u64_of(e, "vmscope_max_vmalloc_bytes", src, kv),
		             w->max_vmalloc);
		cr_expect_eq(u64_of(e, "vmscope_max_ioremap_bytes", src, kv),
		             w->max_ioremap);
		cr_expect_float_eq(find(e, "vmscope_fragmentation_ratio", src, kv)->value,
		                   w->fragmentation, 1e-5);
		for (unsigned c = 0; c < VMS_NR_HOLE_CAUSES; c++) {
			const char *kc[] = {"region", w->region->name, "cause",
			                    vms_hole_cause_name(c), NULL};
			cr_expect_eq(u64_of(e, "vmscope_holes", src, kc),
			             w->causes[c].count);
			cr_expect_eq(u64_of(e, "vmscope_hole_bytes", src, kc),
			             w->causes[c].bytes);
		}
	}
}

static void expect_findings(const struct expo *e, const struct vms_report *r,
                            const char *src)
{
	for (unsigned s = 0; s < 3; s++) {
		const char *kv[] = {"severity", vms_check_sev_name(s), NULL};
		cr_expect_eq(u64_of(e, "vmscope_findings", src, kv),
		             r->findings->counts[s]);
	}
}

Test(emit_report, prometheus_values_are_the_reports)
{
	struct loaded l[3];
	load_samples(l);
	for (size_t top = 0; top <= 5; top += 5) {
		struct expo e;
		parse_prom(&e, l, 3, top);
		for (size_t i = 0; i < 3; i++) {
			const struct vms_report *r = l[i].r;
			const char *src = vms_emit_report_source(r);
			expect_kinds(&e, r, src);
			expect_groups(&e, r, src, true, top);
			expect_groups(&e, r, src, false, top);
			expect_findings(&e, r, src);
			if (i < 2) {
				expect_regions(&e, r, src);
				expect_windows(&e, r, src);
			}
		}
		expo_free(&e);
	}
	for (size_t i = 0; i < 3; i++)
		unload(&l[i]);
}

Test(emit_report, the_arm32_sample_has_its_boot_log_facts_and_its_largest_hole)
{
	struct loaded l = load(ARM32, ARM32_LAYOUT);
	struct expo e;
	parse_prom(&e, &l, 1, 10);
	const struct psample *info = find(
	    &e, "vmscope_report_info", ARM32,
	    (const char *const[]){"arch", "arm32", "kernel", label(e.samples.v, "kernel"),
	                          "visibility", "real", "layout_source", "log", NULL});
	cr_expect_str_eq(info->text, "1");
	const struct vms_window *vw = vms_aspace_vmalloc_window(l.m);
	cr_assert_not_null(vw);
	uint64_t largest = 0;
	for (size_t i = 0; i < l.r->windows.n; i++)
		if (l.r->windows.v[i].window == vw)
			largest = l.r->windows.v[i].largest;
	cr_expect_gt(largest, 0);
	cr_expect_eq(u64_of(&e, "vmscope_largest_free_hole_bytes", ARM32,
	                    (const char *const[]){"region", "vmalloc", NULL}),
	             largest);
	cr_expect_eq(u64_of(&e, "vmscope_region_size_bytes", ARM32,
	                    (const char *const[]){"region", "vmalloc", NULL}),
	             240u << 20, "vmalloc=240M per the boot log");
	expo_free(&e);
	unload(&l);
}

Test(emit_report, a_hashed_dump_has_no_address_samples_but_every_family)
{
	struct loaded l = load(HASHED, NULL);
	struct expo e;
	parse_prom(&e, &l, 1, 0);
	cr_expect_eq(e.families.n, NR_FAMILY_NAMES, "the same families");
	static const char *const need_addresses[] = {
	    "vmscope_region_used_bytes",
	    "vmscope_free_bytes",
	    "vmscope_largest_free_hole_bytes",
	    "vmscope_fragmentation_ratio",
	    "vmscope_max_vmalloc_bytes",
	    "vmscope_max_ioremap_bytes",
	    "vmscope_holes",
	    "vmscope_hole_bytes",
	};
	for (size_t i = 0; i < sizeof(need_addresses) / sizeof(need_addresses[0]); i++)
		cr_expect_eq(count_of(&e, need_addresses[i], HASHED, NULL), 0, "%s",
		             need_addresses[i]);
	find(&e, "vmscope_report_info", HASHED,
	     (const char *const[]){"arch", label(e.samples.v, "arch"), "kernel",
	                           label(e.samples.v, "kernel"), "visibility", "hashed",
	                           "layout_source", label(e.samples.v, "layout_source"),
	                           NULL});
	/* the label rows stay as they are, with every caller listed */
	const char *kv[] = {"caller", "[vm_map_ram]", "module", "", NULL};
	cr_expect_gt(u64_of(&e, "vmscope_caller_areas", HASHED, kv), 0);
	const char *kv_other[] = {"caller", "[other]", "module", "", NULL};
	cr_expect_eq(u64_of(&e, "vmscope_caller_bytes", HASHED, kv_other), 0);
	expo_free(&e);
	unload(&l);
}

Test(emit_report, the_same_input_twice_gets_a_second_source_label)
{
	struct loaded l[2] = {load(X86, NULL), load(X86, NULL)};
	struct expo e;
	parse_prom(&e, l, 2, 3);
	cr_expect_eq(u64_of(&e, "vmscope_used_bytes", X86, NULL), l[0].r->total.bytes);
	cr_expect_eq(u64_of(&e, "vmscope_used_bytes", X86 "#2", NULL),
	             l[1].r->total.bytes);
	expo_free(&e);
	unload(&l[0]);
	unload(&l[1]);
}

Test(emit_report, every_sample_gives_valid_metrics_that_add_up)
{
	glob_t g;
	cr_assert_eq(glob("samples/*.txt", 0, NULL, &g), 0);
	cr_assert_gt(g.gl_pathc, 10);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct loaded l = load(g.gl_pathv[i], NULL);
		struct expo e;
		parse_prom(&e, &l, 1, 3);
		const char *src = vms_emit_report_source(l.r);
		expect_kinds(&e, l.r, src);
		expect_groups(&e, l.r, src, true, 3);
		expect_groups(&e, l.r, src, false, 3);
		if (l.m->geometry)
			expect_regions(&e, l.r, src);
		expo_free(&e);
		unload(&l);
	}
	globfree(&g);
}

Test(emit_report, a_region_name_met_twice_gets_a_second_label)
{
	struct loaded l = load(X86, NULL);
	/* the same report with its vmalloc region listed once more at the end
	 * (the windows keep their region indices) */
	struct vms_report twice = *l.r;
	size_t n = l.r->regions.n, vm = n;
	twice.regions.v = vms_xcalloc(n + 1, sizeof(*twice.regions.v));
	memcpy(twice.regions.v, l.r->regions.v, n * sizeof(*twice.regions.v));
	for (size_t i = 0; i < n; i++)
		if (strcmp(l.r->regions.v[i].region->name, "vmalloc") == 0)
			vm = i;
	cr_assert_lt(vm, n);
	cr_assert_geq(l.r->regions.v[vm].window, 0);
	twice.regions.v[n] = l.r->regions.v[vm];
	twice.regions.n = n + 1;
	struct loaded fake = l;
	fake.r = &twice;
	struct expo e;
	parse_prom(&e, &fake, 1, 3);
	const char *kv[] = {"region", "vmalloc", NULL};
	const char *kv2[] = {"region", "vmalloc#2", NULL};
	uint64_t size = l.r->regions.v[vm].region->end - l.r->regions.v[vm].region->start;
	cr_expect_eq(u64_of(&e, "vmscope_region_size_bytes", X86, kv), size);
	cr_expect_eq(u64_of(&e, "vmscope_region_size_bytes", X86, kv2), size);
	cr_expect_eq(u64_of(&e, "vmscope_largest_free_hole_bytes", X86, kv),
	             l.r->windows.v[l.r->regions.v[vm].window].largest,
	             "the window keeps the first label");
	expo_free(&e);
	free(twice.regions.v);
	unload(&l);
}

/* ---- hostile names ------------------------------------------------------ */

static const char evil_caller[] = "evil\"caller\\with\nnewline";
static const char esc_caller[] = "esc\x1b[31mred";
static const char lit_caller[] = "esc\\x1b[31mred"; /* the text of the escape */
static const char evil_module[] = "mod\"q\\";
static const char evil_source[] = "dump \"1\"\\x\n.txt";

/* Area i of a built x86_64 dump: 3 pages of vmalloc, caller and module
 * ids given. */
static void add_built(struct vms_dump *d, size_t i, uint32_t caller, uint32_t module)
{
	uint64_t s = 0xffffc90000000000ull + i * 0x4000;
	struct vms_area a = {.start = s,
	                     .end = s + 0x3000,
	                     .size = 0x3000,
	                     .caller = caller,
	                     .module = module,
	                     .pages = 2,
	                     .has_pages = 1,
	                     .flags = VMS_F_VMALLOC};
	struct vms_area_src src = {.line = (uint32_t)i + 1,
	                           .last_line = (uint32_t)i + 1,
	                           .col = 1,
	                           .w_start = 16,
	                           .w_end = 16};
	vms_dump_add_area(d, &a, &src, NULL, 0);
}

static struct loaded load_hostile(void)
{
	struct loaded l = {.d = vms_dump_new(evil_source)};
	uint32_t evil = vms_dump_intern(l.d, evil_caller, strlen(evil_caller));
	uint32_t esc = vms_dump_intern(l.d, esc_caller, strlen(esc_caller));
	uint32_t lit = vms_dump_intern(l.d, lit_caller, strlen(lit_caller));
	uint32_t mod = vms_dump_intern(l.d, evil_module, strlen(evil_module));
	for (size_t i = 0; i < 3; i++)
		add_built(l.d, i, evil, mod);
	add_built(l.d, 3, esc, 0);
	add_built(l.d, 4, lit, 0);
	vms_dump_infer(l.d, NULL);
	build(&l);
	cr_assert_eq(l.r->callers.n, 3);
	return l;
}

Test(emit_report, hostile_names_come_out_escaped_and_parse)
{
	struct loaded l = load_hostile();
	char *text = write_all(vms_emit_report_prometheus, &l, 1, 0);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		cr_expect(*p >= 0x20 || *p == '\n', "raw byte 0x%02x in the output", *p);
	cr_expect(strstr(text, "caller=\"evil\\\"caller\\\\with\\nnewline\"") != NULL,
	          "%s", text);
	struct expo e;
	expo_parse(&e, text);
	cr_assert_str_empty(e.err, "%s", e.err);
	/* a name with the text "\x" shows its backslash as "\x5c" */
	const char *src = "dump \"1\"\\x5cx\n.txt";
	const char *kv[] = {"caller", evil_caller, "module", evil_module, NULL};
	cr_expect_eq(u64_of(&e, "vmscope_caller_bytes", src, kv), 3 * 0x3000);
	/* a control byte is the text "\x1b", as every vmscope writer shows it;
	 * the caller spelling that text has a label of its own */
	const char *kv_esc[] = {"caller", "esc\\x1b[31mred", "module", "", NULL};
	cr_expect_eq(u64_of(&e, "vmscope_caller_areas", src, kv_esc), 1);
	const char *kv_lit[] = {"caller", "esc\\x5cx1b[31mred", "module", "", NULL};
	cr_expect_eq(u64_of(&e, "vmscope_caller_areas", src, kv_lit), 1);
	const char *kv_mod[] = {"module", evil_module, NULL};
	cr_expect_eq(u64_of(&e, "vmscope_module_areas", src, kv_mod), 3);
	expo_free(&e);
	free(text);
	unload(&l);
}

Test(emit_report, a_write_error_is_reported)
{
	struct loaded l = load(X86, NULL);
	FILE *fp = fopen("/dev/full", "w");
	if (!fp)
		cr_skip_test("no /dev/full");
	setvbuf(fp, NULL, _IONBF, 0);
	const struct vms_report *r = l.r;
	struct vms_report_view v = {0};
	cr_expect_eq(vms_emit_report_prometheus(fp, &r, 1, &v), -VMS_EIO);
	cr_expect_eq(vms_emit_report_csv(fp, &r, 1, &v), -VMS_EIO);
	fclose(fp);
	unload(&l);
}

/* ---- CSV ---------------------------------------------------------------- */

#define MAX_FIELDS 16

/*
 * Splits one CSV record: a quoted field ("" is a quote inside), or an
 * unquoted one; an empty unquoted field is absent (NULL). Returns the
 * number of fields; fields are new strings. Fails the test on a stray
 * quote.
 */
static size_t split_csv(const char *line, char **f)
{
	size_t n = 0;
	const char *p = line;
	for (;;) {
		cr_assert_lt(n, MAX_FIELDS);
		char *out = vms_xmalloc(strlen(p) + 1), *o = out;
		bool quoted = *p == '"';
		if (quoted) {
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++)
				*o++ = *p == '"' ? *p++ : *p;
			cr_assert_eq(*p++, '"', "unterminated field in %s", line);
		} else {
			for (; *p && *p != ','; p++) {
				cr_assert_neq(*p, '"', "stray quote in %s", line);
				*o++ = *p;
			}
		}
		*o = '\0';
		if (!quoted && o == out) {
			free(out);
			out = NULL;
		}
		f[n++] = out;
		if (*p != ',')
			break;
		p++;
	}
	cr_assert_eq(*p, '\0', "junk after a field in %s", line);
	return n;
}

struct csv {
	char *f[512][MAX_FIELDS];
	size_t rows;
};

/* Reads every record of text (one per line) into c. */
static void csv_read(struct csv *c, char *text)
{
	c->rows = 0;
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		cr_assert_lt(c->rows, 512);
		cr_assert_eq(split_csv(line, c->f[c->rows]), 8, "row %zu: %s", c->rows,
		             line);
		c->rows++;
	}
}

static void csv_free(struct csv *c)
{
	for (size_t i = 0; i < c->rows; i++)
		for (size_t k = 0; k < 8; k++)
			free(c->f[i][k]);
}

static uint64_t num(const char *s)
{
	cr_assert_not_null(s);
	return strtoull(s, NULL, 10);
}

/* Row f against group g (or "[other]" when g is NULL) of report r. */
static void expect_row(char **f, const struct vms_report *r,
                       const struct vms_report_group *g, const struct vms_usage *u)
{
	cr_expect_str_eq(f[0], vms_emit_report_source(r));
	cr_expect_str_eq(f[1], g ? g->name : "[other]");
	if (g && g->module)
		cr_expect_str_eq(f[2], g->module);
	else
		cr_expect_null(f[2], "no module: an absent field");
	if (g)
		cr_expect_str_eq(f[3], vms_akind_name(g->kind));
	else
		cr_expect_null(f[3]);
	cr_expect_eq(num(f[4]), u->count);
	cr_expect_eq(num(f[5]), u->bytes);
	cr_expect_eq(num(f[6]), u->pages);
	const char *dot = strchr(f[7], '.');
	cr_assert_not_null(dot, "share %s", f[7]);
	cr_expect_eq(strlen(dot + 1), 4, "share %s has 4 digits", f[7]);
	double want = r->total.bytes ? (double)u->bytes / (double)r->total.bytes : 0;
	cr_expect_float_eq(strtod(f[7], NULL), want, 0.00005 + 1e-12, "share %s", f[7]);
}

/* The rows of report r from row *k on: its top callers, then "[other]"
 * when some were left out; they add up to the total. */
static void expect_input(struct csv *c, size_t *k, const struct vms_report *r, size_t top)
{
	struct vms_usage other;
	size_t shown = vms_report_top(r->callers.v, r->callers.n, top, &other);
	uint64_t bytes = 0, areas = 0;
	for (size_t i = 0; i < shown + (other.count > 0); i++, (*k)++) {
		cr_assert_lt(*k, c->rows);
		const struct vms_report_group *g = i < shown ? &r->callers.v[i] : NULL;
		expect_row(c->f[*k], r, g, g ? &g->u : &other);
		bytes += num(c->f[*k][5]);
		areas += num(c->f[*k][4]);
	}
	cr_expect_eq(bytes, r->total.bytes);
	cr_expect_eq(areas, r->total.count);
}

Test(emit_report, csv_rows_are_the_top_callers_then_other_per_input)
{
	struct loaded l[3];
	load_samples(l);
	for (size_t top = 0; top <= 3; top += 3) {
		char *text = write_all(vms_emit_report_csv, l, 3, top);
		struct csv *c = vms_xcalloc(1, sizeof(*c));
		csv_read(c, text);
		static const char *const head[] = {"file",  "caller", "module", "kind",
		                                   "areas", "bytes",  "pages",  "share"};
		for (size_t i = 0; i < 8; i++)
			cr_expect_str_eq(c->f[0][i], head[i]);
		size_t k = 1;
		for (size_t i = 0; i < 3; i++)
			expect_input(c, &k, l[i].r, top);
		cr_expect_eq(k, c->rows, "no row after the last input");
		csv_free(c);
		free(c);
		free(text);
	}
	for (size_t i = 0; i < 3; i++)
		unload(&l[i]);
}

Test(emit_report, csv_hostile_names_stay_one_record_each)
{
	struct loaded l = load_hostile();
	char *text = write_all(vms_emit_report_csv, &l, 1, 0);
	struct csv *c = vms_xcalloc(1, sizeof(*c));
	csv_read(c, text);
	cr_assert_eq(c->rows, 4, "header and three callers");
	cr_expect_str_eq(c->f[1][0], "dump \"1\"\\x\\x0a.txt");
	cr_expect_str_eq(c->f[1][1], "evil\"caller\\with\\x0anewline");
	cr_expect_str_eq(c->f[1][2], evil_module);
	cr_expect_str_eq(c->f[1][7], "0.6000");
	cr_expect_str_eq(c->f[2][1], "esc\\x1b[31mred");
	cr_expect_str_eq(c->f[2][7], "0.2000");
	csv_free(c);
	free(c);
	free(text);
	unload(&l);
}
