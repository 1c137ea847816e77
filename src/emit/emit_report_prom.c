/*
 * emit_report_prom.c — `vmscope report --format prometheus`: the reports of
 * one run as metrics in the Prometheus text exposition format 0.0.4, for
 * node_exporter's textfile collector (docs/prometheus.md lists every
 * metric, the collector recipe and alert rules).
 *
 * Operation: vms_emit_report_prometheus(). The output is a fixed list of
 * metric families (the table `families` below, in that order); each is
 * written once, "# HELP" and "# TYPE" first, then its samples for every
 * input in command-line order. A family with no sample for any input (no
 * input has real addresses, no findings were computed) still has its two
 * header lines, so the shape of the file does not depend on the inputs;
 * parsers drop empty families. Cost: O(inputs · (kinds + top callers +
 * modules + regions² + windows · causes)), memory O(inputs · regions) for
 * the label values.
 *
 * Contract (docs/prometheus.md; scripts and alert rules depend on it):
 *  - every metric is a gauge named vmscope_*, in base units (bytes) or a
 *    count or a ratio in [0, 1]; no timestamps (the collector forbids
 *    them); integers are written exactly, the ratio with %.6g;
 *  - every sample has a label source, the input's name ("<stdin>" for
 *    standard input); an input named like an earlier one gets "#2", "#3"
 *    appended, and so does a region named like an earlier region of its
 *    input, so no two samples have the same name and labels;
 *  - kinds, causes and severities are written for every value, zero or
 *    not, so a series never vanishes while its input is collected;
 *  - the caller and module families hold the view's top rows (view->top,
 *    0 = all), then one row "[other]" with the rest (zero when nothing is
 *    left): the rows of an input always add up to its total;
 *  - a dump without real addresses (hashed, zeroed, "(ptrval)") has no
 *    samples in the families that need addresses (region usage, windows).
 *
 * Label values: the input text (callers, modules, file names) is first made
 * terminal-safe as in every vmscope writer (control bytes but newline and
 * invalid UTF-8 become the text "\xNN"; in such a name a backslash becomes
 * "\x5c", so the mapping stays one-to-one: put_value()), then escaped as
 * the format says: backslash as \\, double quote as \", newline as \n.
 */
#include "vmscope/emit_report.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/emit.h"

/* The label values of one input, computed once. */
struct input {
	const struct vms_report *r;
	char *source;   /* unique among the inputs */
	char **regions; /* per r->regions: unique among the input's regions */
};

/* What a family writer is given. */
struct prom {
	FILE *fp;
	const char *family; /* name of the family being written */
	const struct vms_report_view *view;
	const struct input *in; /* the input being written */
};

struct label {
	const char *name, *value;
};

/* ---- label values ------------------------------------------------------- */

/*
 * Stage 1, for a name that is not printable ASCII or holds the text "\x":
 * control bytes but newline and invalid UTF-8 become "\xNN", a backslash
 * "\x5c", a newline stays for stage 2. Every other name is kept as it is.
 * A stage-1 result holds "\x" or a byte past ASCII, which a kept name
 * never does, and reads back to its name, so two names never share a
 * label value (no duplicate series); names without such bytes read as in
 * every other writer.
 */
static const char *stage1(unsigned char c, const void *ctx)
{
	return c == '\n' ? "\n" : c == '\\' ? "\\x5c" : NULL;
}

/* Stage 2: the format's own escapes. */
static const char *prom_escape(unsigned char c, const void *ctx)
{
	return c == '\\' ? "\\\\" : c == '"' ? "\\\"" : c == '\n' ? "\\n" : NULL;
}

/* Whether s is kept as it is by stage 1. */
static bool is_plain(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p >= 0x7f)
			return false;
	return strstr(s, "\\x") == NULL;
}

/* Writes s as the inside of a quoted label value. */
static void put_value(FILE *fp, const char *s)
{
	const struct vms_escape format = {.special = prom_escape};
	if (is_plain(s)) {
		vms_emit_escaped_as(fp, s, strlen(s), &format);
		return;
	}
	const struct vms_escape safe = {.special = stage1};
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		vms_oom(0);
	vms_emit_escaped_as(m, s, strlen(s), &safe);
	if (fclose(m) != 0)
		vms_oom(len);
	vms_emit_escaped_as(fp, buf, len, &format);
	free(buf);
}

/* ---- samples ------------------------------------------------------------ */

/* Writes "family{source="...",name="value",...} value\n". */
static void put_sample(struct prom *p, const struct label *l, size_t n, const char *value)
{
	fprintf(p->fp, "%s{source=\"", p->family);
	put_value(p->fp, p->in->source);
	for (size_t i = 0; i < n; i++) {
		fprintf(p->fp, "\",%s=\"", l[i].name);
		put_value(p->fp, l[i].value ? l[i].value : "");
	}
	fprintf(p->fp, "\"} %s\n", value);
}

static void put_u64(struct prom *p, const struct label *l, size_t n, uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	put_sample(p, l, n, buf);
}

static void put_ratio(struct prom *p, const struct label *l, size_t n, double v)
{
	char buf[32];
	if (isfinite(v))
		snprintf(buf, sizeof(buf), "%.6g", v);
	else
		snprintf(buf, sizeof(buf), "NaN");
	put_sample(p, l, n, buf);
}

/* ---- families ----------------------------------------------------------- */

static const struct vms_report *rep(const struct prom *p)
{
	return p->in->r;
}

/* Whether the input's addresses are real (windows and region usage). */
static bool has_geometry(const struct prom *p)
{
	return rep(p)->model->geometry;
}

/* The kernel as the log names it ("4.4.9-v7+"), else the era "X.Y". */
static const char *kernel_label(const struct vms_report *r, char *buf, size_t len)
{
	if (r->dump->log && r->dump->log->version_text)
		return r->dump->log->version_text;
	if (!r->model->kernel_major)
		return "unknown";
	snprintf(buf, len, "%d.%d", r->model->kernel_major, r->model->kernel_minor);
	return buf;
}

static void fam_info(struct prom *p, int unused)
{
	const struct vms_report *r = rep(p);
	char kernel[32];
	const struct label l[] = {
	    {"arch", r->model->arch ? r->model->arch : "unknown"},
	    {"kernel", kernel_label(r, kernel, sizeof(kernel))},
	    {"visibility", vms_visibility_name(r->dump->visibility)},
	    {"layout_source", vms_region_source_name(r->model->layout_source)},
	};
	put_u64(p, l, 4, 1);
}

static void fam_page_size(struct prom *p, int unused)
{
	put_u64(p, NULL, 0, rep(p)->model->page_size);
}

static void fam_used(struct prom *p, int unused)
{
	put_u64(p, NULL, 0, rep(p)->total.bytes);
}

/* The figures of a struct vms_usage. */
enum ufield { U_AREAS, U_BYTES, U_PAGES };

static uint64_t usage_field(const struct vms_usage *u, int f)
{
	return f == U_AREAS ? u->count : f == U_BYTES ? u->bytes : u->pages;
}

/* One sample per kind. */
static void fam_kinds(struct prom *p, int f)
{
	for (unsigned k = 0; k < VMS_NR_AKINDS; k++) {
		const struct label l[] = {{"kind", vms_akind_name(k)}};
		put_u64(p, l, 1, usage_field(&rep(p)->kinds[k], f));
	}
}

/* The top rows of callers (labels caller and module) or modules (label
 * module), then "[other]". */
static void groups(struct prom *p, bool callers, int f)
{
	const struct vms_report *r = rep(p);
	const struct vms_report_group *g = callers ? r->callers.v : r->modules.v;
	size_t count = callers ? r->callers.n : r->modules.n;
	struct vms_usage other = {0};
	size_t top = vms_report_top(g, count, p->view ? p->view->top : 0, &other);
	for (size_t i = 0; i <= top; i++) {
		const char *name = i < top ? g[i].name : "[other]";
		const struct vms_usage *u = i < top ? &g[i].u : &other;
		const struct label l[] = {
		    {callers ? "caller" : "module", name},
		    {"module", i < top && g[i].module ? g[i].module : ""},
		};
		put_u64(p, l, callers ? 2 : 1, usage_field(u, f));
	}
}

static void fam_callers(struct prom *p, int f)
{
	groups(p, true, f);
}

static void fam_modules(struct prom *p, int f)
{
	groups(p, false, f);
}

static void fam_region_size(struct prom *p, int unused)
{
	const struct vms_report *r = rep(p);
	for (size_t i = 0; i < r->regions.n; i++) {
		const struct vms_region *g = r->regions.v[i].region;
		const struct label l[] = {{"region", p->in->regions[i]}};
		put_u64(p, l, 1, g->end - g->start);
	}
}

static void fam_region_used(struct prom *p, int unused)
{
	const struct vms_report *r = rep(p);
	if (!has_geometry(p))
		return;
	for (size_t i = 0; i < r->regions.n; i++) {
		const struct label l[] = {{"region", p->in->regions[i]}};
		put_u64(p, l, 1, r->regions.v[i].u.bytes);
	}
}

/* The label of window w: its region's. */
static const char *window_label(const struct prom *p, const struct vms_report_window *w)
{
	uint32_t i = w->window->region;
	assert(i < rep(p)->regions.n);
	return p->in->regions[i];
}

/* The per-window figures exported as they are. */
enum wfield { W_FREE, W_LARGEST, W_MAX_VMALLOC, W_MAX_IOREMAP, W_FRAGMENTATION };

static uint64_t window_field(const struct vms_report_window *w, int f)
{
	switch ((enum wfield)f) {
	case W_FREE:
		return w->free;
	case W_LARGEST:
		return w->largest;
	case W_MAX_VMALLOC:
		return w->max_vmalloc;
	case W_MAX_IOREMAP:
		return w->max_ioremap;
	case W_FRAGMENTATION:
		break;
	}
	return 0;
}

/* One sample per window of field f (enum wfield; W_FRAGMENTATION is a
 * ratio, the others byte counts). */
static void fam_windows(struct prom *p, int f)
{
	const struct vms_report *r = rep(p);
	if (!has_geometry(p))
		return;
	for (size_t i = 0; i < r->windows.n; i++) {
		const struct vms_report_window *w = &r->windows.v[i];
		const struct label l[] = {{"region", window_label(p, w)}};
		if (f == W_FRAGMENTATION)
			put_ratio(p, l, 1, w->fragmentation);
		else
			put_u64(p, l, 1, window_field(w, f));
	}
}

/* Holes (U_AREAS) or their bytes (U_BYTES) per window and cause. */
static void fam_causes(struct prom *p, int f)
{
	const struct vms_report *r = rep(p);
	if (!has_geometry(p))
		return;
	for (size_t i = 0; i < r->windows.n; i++) {
		const struct vms_report_window *w = &r->windows.v[i];
		for (unsigned c = 0; c < VMS_NR_HOLE_CAUSES; c++) {
			const struct label l[] = {{"region", window_label(p, w)},
			                          {"cause", vms_hole_cause_name(c)}};
			put_u64(p, l, 2, usage_field(&w->causes[c], f));
		}
	}
}

static void fam_findings(struct prom *p, int unused)
{
	const struct vms_check_result *f = rep(p)->findings;
	if (!f)
		return;
	for (unsigned s = VMS_CHECK_ERROR; s <= VMS_CHECK_INFO; s++) {
		const struct label l[] = {{"severity", vms_check_sev_name(s)}};
		put_u64(p, l, 1, f->counts[s]);
	}
}

/* A metric family: its name, HELP text, and the writer of one input's
 * samples with its argument (an enum ufield or wfield, else unused). */
struct family {
	const char *name;
	const char *help;
	void (*samples)(struct prom *p, int arg);
	int arg;
};

/* The contract: names, order and meaning (docs/prometheus.md). */
static const struct family families[] = {
    {"vmscope_report_info",
     "Facts about the input: arch, kernel, address visibility, where the region "
     "bounds came from (always 1).",
     fam_info, 0},
    {"vmscope_page_size_bytes", "Page size of the dump.", fam_page_size, 0},
    {"vmscope_used_bytes", "Bytes of all areas, guard pages included.", fam_used, 0},
    {"vmscope_area_bytes", "Bytes of the areas of a kind, guard pages included.",
     fam_kinds, U_BYTES},
    {"vmscope_areas", "Number of areas of a kind.", fam_kinds, U_AREAS},
    {"vmscope_area_pages", "Pages mapped by the areas of a kind.", fam_kinds, U_PAGES},
    {"vmscope_caller_bytes",
     "Bytes of the areas of a caller (the top callers, then caller=\"[other]\").",
     fam_callers, U_BYTES},
    {"vmscope_caller_areas",
     "Number of areas of a caller (the top callers, then caller=\"[other]\").",
     fam_callers, U_AREAS},
    {"vmscope_module_bytes",
     "Bytes of the areas of a module (the top modules, then module=\"[other]\").",
     fam_modules, U_BYTES},
    {"vmscope_module_areas",
     "Number of areas of a module (the top modules, then module=\"[other]\").",
     fam_modules, U_AREAS},
    {"vmscope_region_size_bytes", "Size of a region of the kernel address space.",
     fam_region_size, 0},
    {"vmscope_region_used_bytes", "Bytes of the areas inside a region.", fam_region_used,
     0},
    {"vmscope_free_bytes", "Free bytes (all holes) of an allocation window.", fam_windows,
     W_FREE},
    {"vmscope_largest_free_hole_bytes", "Largest free hole of an allocation window.",
     fam_windows, W_LARGEST},
    {"vmscope_fragmentation_ratio",
     "1 - largest hole / free bytes of an allocation window (0: one hole).", fam_windows,
     W_FRAGMENTATION},
    {"vmscope_max_vmalloc_bytes",
     "Largest vmalloc() request that would succeed now, guard page excluded.",
     fam_windows, W_MAX_VMALLOC},
    {"vmscope_max_ioremap_bytes",
     "Largest ioremap() request that would succeed now, with its alignment.", fam_windows,
     W_MAX_IOREMAP},
    {"vmscope_holes", "Number of free holes of an allocation window by likely cause.",
     fam_causes, U_AREAS},
    {"vmscope_hole_bytes", "Bytes of the free holes of an allocation window by cause.",
     fam_causes, U_BYTES},
    {"vmscope_findings", "Findings of vmscope check by severity.", fam_findings, 0},
};
#define NR_FAMILIES (sizeof(families) / sizeof(families[0]))

/* ---- label set-up ------------------------------------------------------- */

static bool taken(const char *s, char *const *labels, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(labels[i], s) == 0)
			return true;
	return false;
}

/*
 * Labels for names[0..n): names[i] itself, or "name#k" for its k-th
 * occurrence (k >= 2; the next free k should a name already look like
 * that). Returns a new array of new strings (free with free_labels()).
 * O(n²) comparisons: inputs and regions are few.
 */
static char **unique_labels(const char *const *names, size_t n)
{
	char **out = vms_xcalloc(n ? n : 1, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		size_t k = 1;
		for (size_t j = 0; j < i; j++)
			k += strcmp(names[j], names[i]) == 0;
		out[i] =
		    k == 1 ? vms_xstrdup(names[i]) : vms_xasprintf("%s#%zu", names[i], k);
		while (taken(out[i], out, i)) {
			free(out[i]);
			out[i] = vms_xasprintf("%s#%zu", names[i], ++k);
		}
	}
	return out;
}

static void free_labels(char **labels, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
}

static char **region_labels(const struct vms_report *r)
{
	const char **names = vms_xcalloc(r->regions.n ? r->regions.n : 1, sizeof(*names));
	for (size_t k = 0; k < r->regions.n; k++)
		names[k] =
		    r->regions.v[k].region->name ? r->regions.v[k].region->name : "";
	char **labels = unique_labels(names, r->regions.n);
	free(names);
	return labels;
}

/* The inputs with their labels; free with inputs_free(). */
static struct input *inputs_new(const struct vms_report *const *r, size_t n)
{
	struct input *in = vms_xcalloc(n ? n : 1, sizeof(*in));
	const char **names = vms_xcalloc(n ? n : 1, sizeof(*names));
	for (size_t i = 0; i < n; i++)
		names[i] = vms_emit_report_source(r[i]);
	char **sources = unique_labels(names, n);
	for (size_t i = 0; i < n; i++) {
		in[i].r = r[i];
		in[i].source = sources[i];
		in[i].regions = region_labels(r[i]);
	}
	free(sources); /* the strings moved into in[] */
	free(names);
	return in;
}

static void inputs_free(struct input *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free_labels(in[i].regions, in[i].r->regions.n);
		free(in[i].source);
	}
	free(in);
}

int vms_emit_report_prometheus(FILE *fp, const struct vms_report *const *r, size_t n,
                               const struct vms_report_view *v)
{
	struct input *in = inputs_new(r, n);
	for (size_t f = 0; f < NR_FAMILIES; f++) {
		struct prom p = {fp, families[f].name, v, NULL};
		fprintf(fp, "# HELP %s %s\n# TYPE %s gauge\n", p.family, families[f].help,
		        p.family);
		for (size_t i = 0; i < n; i++) {
			p.in = &in[i];
			families[f].samples(&p, families[f].arg);
		}
	}
	inputs_free(in, n);
	return ferror(fp) ? -VMS_EIO : 0;
}
