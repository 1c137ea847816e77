/*
 * test_sim_roundtrip.c — what `vmscope sim` prints is what the kernel
 * would: for every arch profile row (each era) and every workload, the
 * output (version line, layout block, failure lines, vmallocinfo) parses
 * back to the same areas, era and layout, and `check` finds nothing in
 * it; the same configuration gives the same bytes; a recorded script
 * replays to the same bytes; a run from a real dump keeps its areas.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/aspace.h"
#include "vmscope/check.h"
#include "vmscope/emit.h"
#include "vmscope/emit_layout.h"
#include "vmscope/parse.h"
#include "vmscope/sim.h"

struct run {
	char *text;
	size_t len;
	struct vms_dump *snap;
	uint64_t failures;
	bool layout; /* the era prints a layout block */
};

static struct vms_sim *start(const struct vms_profile *p, int major, int minor)
{
	struct vms_sim_config c = {
	    .profile = p,
	    .kernel_major = major,
	    .kernel_minor = minor,
	    .kernel_patch =
	        major == p->min_major && minor == p->min_minor ? p->min_patch : 0,
	    .policy = -1};
	char why[200] = "";
	struct vms_sim *s = vms_sim_new(&c, why, sizeof(why));
	cr_assert(s, "%s: %s", p->name, why);
	return s;
}

/* The whole output of a run, as cmd_sim.c writes it; true when it has a
 * layout block. */
static bool print(FILE *fp, const struct vms_sim *s, const struct vms_dump *snap)
{
	int major, minor, patch;
	vms_sim_kernel(s, &major, &minor, &patch);
	const char *fam = vms_sim_profile(s)->family;
	cr_assert_eq(vms_emit_version_line(fp, major, minor, patch, fam), 0);
	size_t n;
	const struct vms_region *r = vms_sim_regions(s, &n);
	int rc = vms_emit_layout(fp, fam, major, minor, r, n);
	cr_assert(rc == 0 || rc == -VMS_ENODATA);
	for (size_t i = 0; i < vms_sim_nr_failures(s); i++)
		fprintf(fp, "%s\n", vms_sim_failure(s, i));
	cr_assert_eq(vms_emit_text(fp, snap), 0);
	return rc == 0;
}

static struct run simulate(const struct vms_profile *p, int major, int minor,
                           struct vms_workload_config wl, struct vms_sim_script *record)
{
	struct run r = {0};
	struct vms_sim *s = start(p, major, minor);
	struct vms_sim_script sc;
	vms_sim_script_init(&sc, "t");
	vms_sim_workload_scale(s, &wl);
	cr_assert_eq(vms_workload_generate(&sc, &wl), 0);
	r.failures = vms_sim_run(s, &sc, NULL);
	char why[256] = "";
	cr_assert_eq(vms_sim_validate(s, why, sizeof(why)), 0, "%s: %s", p->name, why);
	r.snap = vms_sim_snapshot(s);
	FILE *fp = open_memstream(&r.text, &r.len);
	r.layout = print(fp, s, r.snap);
	fclose(fp);
	if (record) {
		char *csv;
		size_t n;
		fp = open_memstream(&csv, &n);
		cr_assert_eq(vms_sim_script_write(fp, &sc), 0);
		fclose(fp);
		cr_assert_eq(vms_sim_script_read(record, csv, n), 0);
		free(csv);
	}
	vms_sim_script_free(&sc);
	vms_sim_free(s);
	return r;
}

static void run_free(struct run *r)
{
	free(r->text);
	vms_dump_free(r->snap);
}

static void same_areas(const char *what, const struct vms_dump *a,
                       const struct vms_dump *b)
{
	cr_assert_eq(a->areas.n, b->areas.n, "%s: %zu areas printed, %zu read back", what,
	             a->areas.n, b->areas.n);
	for (size_t i = 0; i < a->areas.n; i++) {
		const struct vms_area *x = &a->areas.v[i], *y = &b->areas.v[i];
		cr_assert(x->start == y->start && x->end == y->end &&
		              x->size == y->size && x->kind == y->kind &&
		              x->flags == y->flags && x->has_pages == y->has_pages &&
		              x->pages == y->pages && x->has_phys == y->has_phys &&
		              x->phys == y->phys && x->offset == y->offset &&
		              x->length == y->length,
		          "%s: area %zu differs (%#llx-%#llx)", what, i,
		          (unsigned long long)x->start, (unsigned long long)x->end);
		const char *cx = vms_area_caller(a, x), *cy = vms_area_caller(b, y);
		cr_assert((!cx && !cy) || (cx && cy && !strcmp(cx, cy)),
		          "%s: area %zu caller", what, i);
	}
}

static void check_clean(const char *what, const struct vms_dump *d, const char *arch)
{
	struct vms_aspace *m = vms_aspace_build(d, arch);
	struct vms_check_opts o = {0};
	struct vms_check_result *f = vms_check_run(m, &o);
	if (f->findings.n)
		cr_log_error("%s: %s (line %u)", what, f->findings.v[0].message,
		             f->findings.v[0].line);
	cr_assert_eq(f->findings.n, 0, "%s: %zu findings", what, f->findings.n);
	cr_assert_eq(vms_dump_nr_errors(d), 0, "%s: parser errors", what);
	vms_check_result_free(f);
	vms_aspace_free(m);
}

static const struct vms_workload_config workloads[] = {
    {.workload = VMS_WL_BOOT, .seed = 1},
    {.workload = VMS_WL_CHURN, .seed = 2, .ops = 3000, .live = 300},
    {.workload = VMS_WL_LEAK, .seed = 3, .ops = 1500},
    {.workload = VMS_WL_FRAG, .seed = 4, .ops = 1500, .live = 600},
};

/* Every profile row (an arch in one era) with every workload. */
Test(sim_roundtrip, every_profile_and_workload, .timeout = 300)
{
	size_t runs = 0;
	for (size_t k = 0; k < vms_nr_profiles; k++) {
		const struct vms_profile *p = &vms_profiles[k];
		if (!vms_profile_find(p, VMS_RK_VMALLOC))
			continue;
		/* the era's first release, so each row's own rules apply (a
		 * row open to any era: the simulator's default) */
		int major = p->min_major, minor = p->min_minor;
		if (!major) {
			struct vms_sim *t = start(p, 0, 0);
			int patch;
			vms_sim_kernel(t, &major, &minor, &patch);
			vms_sim_free(t);
		}
		for (size_t w = 0; w < sizeof(workloads) / sizeof(workloads[0]); w++) {
			char what[160];
			snprintf(what, sizeof(what), "%s %d.%d %s", p->name, major, minor,
			         vms_workload_name(workloads[w].workload));
			struct run r = simulate(p, major, minor, workloads[w], NULL);
			cr_assert_gt(r.snap->areas.n, 0, "%s: no areas", what);
			/* the config the dump does not show (arm32 2G/2G, x86_32
			 * PAE and its ioremap order, ...) comes from --arch, as a
			 * user of the real device would give it; the regions come
			 * from the layout block where the era prints one */
			struct vms_parse_opts o = {.arch = p->name};
			struct vms_dump *d;
			cr_assert_eq(vms_parse_buffer(r.text, r.len, what, &o, &d), 0);
			same_areas(what, r.snap, d);
			cr_assert_eq(d->kernel_major, major, "%s: era read back %d.%d",
			             what, d->kernel_major, d->kernel_minor);
			cr_assert_eq(d->kernel_minor, minor, "%s", what);
			cr_assert_eq(d->log->failures.n, (size_t)r.failures,
			             "%s: failure lines", what);
			if (!r.failures)
				check_clean(what, d, o.arch);
			vms_dump_free(d);
			run_free(&r);
			runs++;
		}
	}
	cr_assert_gt(runs, 40);
}

Test(sim_roundtrip, same_seed_same_bytes_and_record_replays)
{
	const struct vms_profile *p = vms_profile_era("arm32", 4, 19, 0);
	struct vms_workload_config wl = {
	    .workload = VMS_WL_CHURN, .seed = 99, .ops = 5000, .live = 500};
	struct vms_sim_script rec;
	vms_sim_script_init(&rec, "record");
	struct run a = simulate(p, 4, 19, wl, &rec);
	struct run b = simulate(p, 4, 19, wl, NULL);
	cr_assert_eq(a.len, b.len);
	cr_assert_eq(memcmp(a.text, b.text, a.len), 0, "same seed, different output");
	wl.seed = 100;
	struct run c = simulate(p, 4, 19, wl, NULL);
	cr_assert(c.len != a.len || memcmp(a.text, c.text, a.len) != 0, "seed ignored");
	/* the recorded events replay to the same bytes */
	struct vms_sim *s = start(p, 4, 19);
	vms_sim_run(s, &rec, NULL);
	struct vms_dump *snap = vms_sim_snapshot(s);
	char *text;
	size_t len;
	FILE *fp = open_memstream(&text, &len);
	print(fp, s, snap);
	fclose(fp);
	cr_assert_eq(len, a.len);
	cr_assert_eq(memcmp(text, a.text, len), 0, "the replay differs");
	free(text);
	vms_dump_free(snap);
	vms_sim_free(s);
	vms_sim_script_free(&rec);
	run_free(&a);
	run_free(&b);
	run_free(&c);
}

Test(sim_roundtrip, start_from_a_real_dump_keeps_its_areas)
{
	struct vms_dump *lay, *d;
	struct vms_parse_opts o = {0};
	cr_assert_eq(vms_parse_file("samples/arm32-marvell-granite2-boot-layout-240m.txt",
	                            NULL, &lay),
	             0);
	o.layout = lay->log;
	cr_assert_eq(
	    vms_parse_file("samples/arm32-marvell-granite2-ocr-paste-vmallocinfo.txt", &o,
	                   &d),
	    0);
	struct vms_aspace *m = vms_aspace_build(d, NULL);
	struct vms_sim_config c = {.policy = -1, .start_from = d};
	char why[200] = "";
	struct vms_sim *s = vms_sim_new(&c, why, sizeof(why));
	cr_assert(s, "%s", why);
	struct vms_dump *snap = vms_sim_snapshot(s);
	cr_assert_eq(snap->areas.n, m->nr_order, "every trusted area is in the busy set");
	for (size_t k = 0; k < m->nr_order; k++)
		cr_assert_eq(snap->areas.v[k].start, d->areas.v[m->order[k]].start);
	/* the next vmalloc lands in the dump's first hole that holds it:
	 * the vmalloc window's lowest fit on the model itself */
	const struct vms_window *w = vms_aspace_vmalloc_window(m);
	uint64_t at = 0;
	cr_assert(vms_free_lowest(&w->free, 0x11000, 0x1000, w->start, false, &at));
	struct vms_sim_place pl;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMAP, 0x10000, 0, NULL, 1, &pl), 0);
	cr_assert_eq(pl.addr, at);
	char v[200];
	cr_assert_eq(vms_sim_validate(s, v, sizeof(v)), 0, "%s", v);
	vms_dump_free(snap);
	vms_sim_free(s);
	vms_aspace_free(m);
	vms_dump_free(d);
	vms_dump_free(lay);
}

/* A run from samples/NAME (with samples/LAYOUT's boot log when given). */
static struct vms_sim *from_sample(const char *name, const char *layout,
                                   struct vms_dump **d, struct vms_dump **lay)
{
	char path[256];
	struct vms_parse_opts o = {0};
	*lay = NULL;
	if (layout) {
		snprintf(path, sizeof(path), "samples/%s", layout);
		cr_assert_eq(vms_parse_file(path, NULL, lay), 0);
		o.layout = (*lay)->log;
	}
	snprintf(path, sizeof(path), "samples/%s", name);
	cr_assert_eq(vms_parse_file(path, &o, d), 0);
	struct vms_sim_config c = {.policy = -1, .start_from = *d};
	char why[200] = "";
	struct vms_sim *s = vms_sim_new(&c, why, sizeof(why));
	cr_assert(s, "%s: %s", name, why);
	return s;
}

static const struct vms_region *vmalloc_region(const struct vms_sim *s)
{
	size_t n;
	const struct vms_region *r = vms_sim_regions(s, &n);
	for (size_t i = 0; i < n; i++)
		if (r[i].kind == VMS_RK_VMALLOC)
			return &r[i];
	cr_assert_fail("no vmalloc region");
	return NULL;
}

Test(sim_roundtrip, start_from_runs_an_era_the_dump_and_its_profile_allow)
{
	/* the newest era the dump's markers and its profile row both allow:
	 * a 2008 x86_64 dump has its areas where only the <= 2.6.30 row puts
	 * vmalloc space, and they touch (no 2.6.28-2.6.38 extra page): 2.6.27,
	 * not the 4.10 its phys= form alone allows; a ppc32 dump of "6.10 or
	 * later" (its alloc_tag_init area) runs 6.10, the simulator's default
	 * 6.6 being too old; a dump of "4.10 or earlier" runs 4.10 */
	static const struct {
		const char *name;
		int major, minor, patch;
	} c[] = {
	    {"x86_64-2008-clameter-vmallocinfo-intro.txt", 2, 6, 27},
	    {"x86_64-kernel-doc-proc-example-numa4-wrapped-vmallocinfo.txt", 2, 6, 27},
	    {"ppc32-powermac-g4-6.14-rc4-inline-kasan-vmallocinfo.txt", 6, 10, 0},
	    {"arm32-zte-4.1.25-mem128M-vmallocinfo.txt", 4, 10, 0},
	};
	for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		struct vms_dump *d, *lay;
		struct vms_sim *s = from_sample(c[k].name, NULL, &d, &lay);
		int major, minor, patch;
		vms_sim_kernel(s, &major, &minor, &patch);
		cr_assert(major == c[k].major && minor == c[k].minor &&
		              patch == c[k].patch,
		          "%s: kernel %d.%d.%d", c[k].name, major, minor, patch);
		/* its version line and dump are clean as the sample is */
		struct vms_dump *snap = vms_sim_snapshot(s);
		char *text;
		size_t len;
		FILE *fp = open_memstream(&text, &len);
		vms_emit_version_line(fp, major, minor, patch,
		                      vms_sim_profile(s)->family);
		cr_assert_eq(vms_emit_text(fp, snap), 0);
		fclose(fp);
		struct vms_dump *back;
		cr_assert_eq(vms_parse_buffer(text, len, "sim", NULL, &back), 0);
		/* (not the ppc32 one: its alloc_tag_init areas, 6.10+, draw a
		 * guard-page warning on any era before 6.12, and its markers
		 * say no more than 5.4+) */
		if (k != 2)
			check_clean(c[k].name, back, NULL);
		vms_dump_free(back);
		free(text);
		vms_dump_free(snap);
		vms_sim_free(s);
		vms_dump_free(d);
	}
}

Test(sim_roundtrip, start_from_keeps_where_its_regions_came_from)
{
	/* without its boot log a dump's regions are the profile's guesses
	 * (cmd_sim.c prints no layout block for them); with it, the log's */
	struct vms_dump *d, *lay;
	struct vms_sim *s =
	    from_sample("arm32-zte-4.1.25-mem128M-vmallocinfo.txt", NULL, &d, &lay);
	cr_assert_eq(vmalloc_region(s)->source, VMS_RS_PROFILE);
	vms_sim_free(s);
	vms_dump_free(d);
	s = from_sample("arm32-marvell-granite2-ocr-paste-vmallocinfo.txt",
	                "arm32-marvell-granite2-boot-layout-240m.txt", &d, &lay);
	cr_assert_eq(vmalloc_region(s)->source, VMS_RS_LOG);
	cr_assert_null(vmalloc_region(s)->file, "the output is a new log");
	vms_sim_free(s);
	vms_dump_free(d);
	vms_dump_free(lay);
}

Test(sim_roundtrip, start_from_a_boot_log_without_areas)
{
	/* a boot log alone: its layout, its kernel, nothing allocated yet */
	struct vms_dump *d, *lay;
	struct vms_sim *s =
	    from_sample("arm32-rpi3-bcm2709-4.4-dmesg-boot-layout.txt", NULL, &d, &lay);
	int major, minor, patch;
	vms_sim_kernel(s, &major, &minor, &patch);
	cr_assert(major == 4 && minor == 4, "kernel %d.%d", major, minor);
	const struct vms_region *v = vmalloc_region(s);
	cr_assert_eq(v->source, VMS_RS_LOG);
	cr_assert_eq(v->start, 0xbb800000);
	struct vms_sim_stats st;
	vms_sim_get_stats(s, &st);
	cr_assert_eq(st.live, 0);
	struct vms_sim_place pl;
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_VMALLOC, 4096, 0, NULL, 1, &pl), 0);
	cr_assert_eq(pl.addr, 0xbb800000);
	cr_assert_eq(vms_sim_alloc(s, VMS_SK_MODULE, 4096, 0, NULL, 2, &pl), 0);
	cr_assert_eq(pl.addr, 0x7f000000, "the log's module space");
	char why[200];
	cr_assert_eq(vms_sim_validate(s, why, sizeof(why)), 0, "%s", why);
	vms_sim_free(s);
	vms_dump_free(d);
	/* hashed addresses still place nothing: refused */
	cr_assert_eq(
	    vms_parse_file("samples/x86_64-rhcos-4.18.0-80-hashed-vmallocinfo.txt", NULL,
	                   &d),
	    0);
	struct vms_sim_config c = {.policy = -1, .start_from = d};
	cr_assert_null(vms_sim_new(&c, why, sizeof(why)));
	cr_assert(strstr(why, "hashed"), "%s", why);
	vms_dump_free(d);
}
