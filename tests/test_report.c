/*
 * test_report.c — `vmscope report`'s figures: hand-checked numbers on the
 * seed arm32 dump with its boot layout, one fixture hole per cause, the
 * sums every report must satisfy on every sample, the largest fits
 * against the model's own allocator search, and a dump without addresses.
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/aspace.h"
#include "vmscope/check.h"
#include "vmscope/parse.h"
#include "vmscope/report.h"

#define SEED        "samples/arm32-marvell-granite2-ocr-paste-vmallocinfo.txt"
#define SEED_LAYOUT "samples/arm32-marvell-granite2-boot-layout-240m.txt"
#define CAUSES      "tests/data/report/causes-arm32-4.14.txt"

struct reported {
	struct vms_dump *layout, *d;
	struct vms_aspace *m;
	struct vms_check_result *f;
	struct vms_report *r;
};

static struct reported load(const char *path, const char *layout)
{
	struct reported x = {0};
	struct vms_parse_opts o = {0};
	if (layout) {
		cr_assert_eq(vms_parse_file(layout, NULL, &x.layout), 0);
		o.layout = x.layout->log;
		o.layout_file = layout;
	}
	cr_assert_eq(vms_parse_file(path, &o, &x.d), 0, "cannot parse %s", path);
	x.m = vms_aspace_build(x.d, NULL);
	struct vms_check_opts co = {0};
	x.f = vms_check_run(x.m, &co);
	x.r = vms_report_build(x.m, x.f);
	return x;
}

static void done(struct reported *x)
{
	vms_report_free(x->r);
	vms_check_result_free(x->f);
	vms_aspace_free(x->m);
	vms_dump_free(x->d);
	vms_dump_free(x->layout);
}

static const struct vms_report_window *window(const struct vms_report *r, unsigned kind)
{
	for (size_t i = 0; i < r->windows.n; i++)
		if (r->windows.v[i].region->kind == kind)
			return &r->windows.v[i];
	cr_assert_fail("no window of kind %u", kind);
	return NULL;
}

static struct vms_hole_why explain(const struct vms_report *r, unsigned kind,
                                   uint64_t start, uint64_t end)
{
	const struct vms_report_window *w = window(r, kind);
	uint32_t id = vms_free_find(&w->window->free, start);
	cr_assert(id, "no hole at 0x%llx", (unsigned long long)start);
	const struct vms_hole *h = vms_free_hole(&w->window->free, id);
	cr_assert_eq(h->va_start, start);
	cr_assert_eq(h->va_end, end, "hole 0x%llx ends at 0x%llx",
	             (unsigned long long)start, (unsigned long long)h->va_end);
	struct vms_hole_why why;
	vms_report_explain(r, w, start, end, &why);
	return why;
}

/*
 * By hand from the dump: the areas of the vmalloc space end with
 * n_tty_open at 0xf29b7000-0xf29bb000 (line 386), then iotable_init's
 * static mapping at 0xf9800000 (line 389): the largest hole is
 * 0xf9800000 - 0xf29bb000 = 0x6e45000 bytes, and the largest vmalloc()
 * is one page less (its guard page). The largest ioremap() on arm32 (16
 * MiB sections when the config allows) starts at ALIGN(0xf29bb000, 16 MiB)
 * = 0xf3000000 and may take 0xf9800000 - 0xf3000000 - 4 KiB.
 */
Test(report, seed_dump_largest_hole_by_hand)
{
	struct reported x = load(SEED, SEED_LAYOUT);
	const struct vms_report_window *w = window(x.r, VMS_RK_VMALLOC);
	cr_assert_eq(w->window->start, 0xf0000000u);
	cr_assert_eq(w->window->end, 0xff000000u);
	cr_assert_eq(w->largest, 0xf9800000u - 0xf29bb000u);
	cr_assert_eq(w->largest_start, 0xf29bb000u);
	cr_assert_eq(w->max_vmalloc, 0xf9800000u - 0xf29bb000u - 4096u);
	cr_assert_eq(w->max_vmalloc_at, 0xf29bb000u);
	cr_assert_eq(w->max_ioremap, 0xf9800000u - 0xf3000000u - 4096u);
	cr_assert_eq(w->max_ioremap_at, 0xf3000000u);
	cr_assert_eq(w->max_ioremap_align, 16u << 20);
	struct vms_hole_why why = explain(x.r, VMS_RK_VMALLOC, 0xf29bb000u, 0xf9800000u);
	cr_assert_eq(why.cause, VMS_HC_BOUNDARY);
	cr_assert(why.fixed, "the hole ends at iotable_init's fixed mapping");
	done(&x);
}

/*
 * Ioremap padding by hand: devm_ioremap_nocache 0xf0590000 of 40960 bytes
 * (line 105) asked for 9 pages, rounded up to 64 KiB: from the hole's
 * start 0xf058c000 the allocator aligned up to 0xf0590000. of_iomap
 * 0xf0008000 of 8192 bytes (line 5, one page asked, 8 KiB aligned on these
 * kernels' fls rule) explains the page at 0xf0007000.
 */
Test(report, seed_dump_ioremap_padding_by_hand)
{
	struct reported x = load(SEED, SEED_LAYOUT);
	struct vms_hole_why a = explain(x.r, VMS_RK_VMALLOC, 0xf058c000u, 0xf0590000u);
	cr_assert_eq(a.cause, VMS_HC_IOREMAP_ALIGN);
	cr_assert_eq(a.align, 0x10000u);
	cr_assert_eq(x.d->areas.v[a.after].start, 0xf0590000u);
	struct vms_hole_why b = explain(x.r, VMS_RK_VMALLOC, 0xf0007000u, 0xf0008000u);
	cr_assert_eq(b.cause, VMS_HC_IOREMAP_ALIGN);
	cr_assert_eq(b.align, 0x2000u);
	struct vms_hole_why p = explain(x.r, VMS_RK_VMALLOC, 0xfe031000u, 0xfedec000u);
	cr_assert_eq(p.cause, VMS_HC_PERCPU, "below pcpu_get_vm_areas at 0xfedec000");
	done(&x);
}

Test(report, seed_dump_usage_by_kind_caller_module)
{
	struct reported x = load(SEED, SEED_LAYOUT);
	cr_assert_eq(x.r->total.count, x.d->areas.n);
	cr_assert_eq(x.r->kinds[VMS_AK_PERCPU].count, 1);
	cr_assert_eq(x.r->kinds[VMS_AK_PERCPU].bytes, 81920);
	/* module_alloc_update_bounds: the 26 areas of module space */
	cr_assert_eq(x.r->kinds[VMS_AK_MODULE].count, 26);
	const struct vms_report_group *top = &x.r->callers.v[0];
	cr_assert_str_eq(top->name, "_CreateKernelVirtualMapping");
	cr_assert_str_eq(top->module, "galcore");
	cr_assert_eq(top->u.count, 5);
	done(&x);
}

/* One fixture hole per cause (tests/data/report/causes-arm32-4.14.txt). */
Test(report, each_cause_on_its_fixture_hole)
{
	struct reported x = load(CAUSES, NULL);
	static const struct {
		unsigned kind;
		uint64_t start, end;
		uint8_t cause;
	} want[] = {
	    {VMS_RK_MODULES, 0xbf003000u, 0xbf005000u, VMS_HC_FREED},
	    {VMS_RK_MODULES, 0xbf007000u, 0xbfe00000u, VMS_HC_BOUNDARY},
	    {VMS_RK_VMALLOC, 0xf0003000u, 0xf0004000u, VMS_HC_IOREMAP_ALIGN},
	    {VMS_RK_VMALLOC, 0xf0009000u, 0xf000a000u, VMS_HC_GUARD},
	    {VMS_RK_VMALLOC, 0xf000c000u, 0xf000e000u, VMS_HC_FREED},
	    {VMS_RK_VMALLOC, 0xf0010000u, 0xf0013000u, VMS_HC_FREED},
	    {VMS_RK_VMALLOC, 0xf0015000u, 0xf0200000u, VMS_HC_VM_MAP_RAM},
	    {VMS_RK_VMALLOC, 0xf0402000u, 0xf0409000u, VMS_HC_UNEXPLAINED},
	    {VMS_RK_VMALLOC, 0xf040b000u, 0xf9800000u, VMS_HC_BOUNDARY},
	    {VMS_RK_VMALLOC, 0xf98c0000u, 0xfedec000u, VMS_HC_PERCPU},
	    /* above the top chunk: its alignment below VMALLOC_END */
	    {VMS_RK_VMALLOC, 0xfee00000u, 0xff000000u, VMS_HC_PERCPU},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct vms_hole_why w =
		    explain(x.r, want[i].kind, want[i].start, want[i].end);
		cr_assert_eq(w.cause, want[i].cause, "hole 0x%llx: %s, want %s",
		             (unsigned long long)want[i].start,
		             vms_hole_cause_name(w.cause),
		             vms_hole_cause_name(want[i].cause));
	}
	char ev[512];
	struct vms_hole_why f = explain(x.r, VMS_RK_VMALLOC, 0xf000c000u, 0xf000e000u);
	cr_assert_eq(f.same_size, 5, "five live areas of 8 KiB in the vmalloc window");
	struct vms_hole_why u = explain(x.r, VMS_RK_VMALLOC, 0xf0010000u, 0xf0013000u);
	cr_assert(strstr(vms_report_evidence(x.r, &u, ev, sizeof(ev)), "lazily freed"),
	          "%s", ev);
	struct vms_hole_why m = explain(x.r, VMS_RK_VMALLOC, 0xf0015000u, 0xf0200000u);
	cr_assert_eq(m.align, 2u << 20);
	const struct vms_report_window *vw = window(x.r, VMS_RK_VMALLOC);
	cr_assert_eq(vw->causes[VMS_HC_BOUNDARY].count, 1);
	cr_assert_eq(vw->causes[VMS_HC_PERCPU].count, 2);
	cr_assert_eq(vw->causes[VMS_HC_FREED].bytes, 0x2000u + 0x3000u);
	done(&x);
}

Test(report, extra_page_only_where_the_era_had_it)
{
	struct reported old = load("tests/data/report/extra-page-2.6.30.txt", NULL);
	struct vms_hole_why w = explain(old.r, VMS_RK_VMALLOC, 0xf0002000u, 0xf0003000u);
	cr_assert_eq(w.cause, VMS_HC_EXTRA_PAGE);
	/* and an allocation there starts one page after the last area */
	cr_assert_eq(window(old.r, VMS_RK_VMALLOC)->max_vmalloc_at, 0xf000a000u);
	done(&old);
	/* the same one-page gap on 4.14 is the next ioremap's alignment or a
	 * guard page, never the extra page */
	struct reported x = load(CAUSES, NULL);
	cr_assert_eq(window(x.r, VMS_RK_VMALLOC)->causes[VMS_HC_EXTRA_PAGE].count, 0);
	cr_assert_not(x.r->extra_page_pattern);
	done(&x);
}

/* The sums every report must satisfy, and the largest fits checked with
 * the model's own lowest-fit search (vms_free_lowest). */
static void check_invariants(const char *path)
{
	struct reported x = load(path, NULL);
	const struct vms_report *r = x.r;
	struct vms_usage k = {0}, c = {0}, mo = {0};
	for (unsigned i = 0; i < VMS_NR_AKINDS; i++)
		k.bytes += r->kinds[i].bytes, k.count += r->kinds[i].count;
	for (size_t i = 0; i < r->callers.n; i++) {
		c.bytes += r->callers.v[i].u.bytes, c.count += r->callers.v[i].u.count;
		if (i)
			cr_assert_geq(r->callers.v[i - 1].u.bytes,
			              r->callers.v[i].u.bytes);
	}
	for (size_t i = 0; i < r->modules.n; i++)
		mo.bytes += r->modules.v[i].u.bytes, mo.count += r->modules.v[i].u.count;
	cr_assert_eq(k.bytes, r->total.bytes, "%s: kinds", path);
	cr_assert_eq(c.count, r->total.count, "%s: callers", path);
	cr_assert_eq(mo.bytes, r->total.bytes, "%s: modules", path);
	cr_assert_eq(r->windows.n, x.m->geometry ? x.m->windows.n : 0, "%s", path);
	uint64_t page = x.m->page_size;
	for (size_t i = 0; i < r->windows.n; i++) {
		const struct vms_report_window *w = &r->windows.v[i];
		uint64_t bytes = 0, holes = 0;
		for (unsigned j = 0; j < VMS_NR_HOLE_CAUSES; j++)
			bytes += w->causes[j].bytes, holes += w->causes[j].count;
		cr_assert_eq(bytes, w->free, "%s: cause bytes", path);
		cr_assert_eq(holes, w->holes, "%s: cause holes", path);
		cr_assert_eq(w->largest, vms_free_largest(&w->window->free), "%s", path);
		/* the window pass walks the areas beside the holes; explaining
		 * each hole on its own (tree lookups) must agree */
		uint64_t per_cause[VMS_NR_HOLE_CAUSES] = {0};
		const struct vms_free *f = &w->window->free;
		for (uint32_t id = vms_free_first(f); id; id = vms_free_next(f, id)) {
			struct vms_hole_why why;
			vms_report_explain(r, w, vms_free_hole(f, id)->va_start,
			                   vms_free_hole(f, id)->va_end, &why);
			per_cause[why.cause]++;
		}
		for (unsigned j = 0; j < VMS_NR_HOLE_CAUSES; j++)
			cr_assert_eq(per_cause[j], w->causes[j].count, "%s: cause %s",
			             path, vms_hole_cause_name(j));
		cr_assert(w->fragmentation >= 0.0 && w->fragmentation <= 1.0);
		if (!w->max_vmalloc)
			continue;
		uint64_t at = 0;
		cr_assert(vms_free_lowest(&w->window->free, w->max_vmalloc + page, page,
		                          w->window->start, false, &at),
		          "%s: max vmalloc does not fit", path);
		/* on 2.6.28-2.6.38 a fit starts one page into the hole */
		uint64_t extra = r->extra_page ? page : 0;
		cr_assert_not(vms_free_lowest(&w->window->free,
		                              w->max_vmalloc + 2 * page + extra, page,
		                              w->window->start, false, &at),
		              "%s: a bigger vmalloc fits", path);
		if (w->max_ioremap) {
			cr_assert_eq(w->max_ioremap_align,
			             vms_aspace_ioremap_align(x.m, w->max_ioremap));
			cr_assert_eq(w->max_ioremap_at % w->max_ioremap_align, 0);
			cr_assert(vms_free_lowest(&w->window->free, w->max_ioremap + page,
			                          w->max_ioremap_align, w->window->start,
			                          false, &at),
			          "%s: max ioremap does not fit", path);
		}
	}
	done(&x);
}

Test(report, every_sample_adds_up)
{
	glob_t g;
	cr_assert_eq(glob("samples/*.txt", 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++)
		check_invariants(g.gl_pathv[i]);
	check_invariants(CAUSES);
	globfree(&g);
}

Test(report, hashed_dump_keeps_the_tables_without_addresses)
{
	struct reported x =
	    load("samples/x86_64-rhcos-4.18.0-80-hashed-vmallocinfo.txt", NULL);
	cr_assert_not(x.m->geometry);
	cr_assert_eq(x.r->windows.n, 0);
	cr_assert_eq(x.r->total.count, x.d->areas.n);
	cr_assert_gt(x.r->callers.n, 5);
	cr_assert_not_null(vms_aspace_address_hint(x.m));
	cr_assert_eq(x.r->kinds[VMS_AK_UNPURGED].pages, 0, "unpurged areas map nothing");
	done(&x);
}

Test(report, top_rows_and_the_rest)
{
	struct vms_report_group g[4] = {
	    {.name = "a", .u = {1, 400, 4}},
	    {.name = "b", .u = {2, 300, 3}},
	    {.name = "c", .u = {3, 200, 2}},
	    {.name = "d", .u = {4, 100, 1}},
	};
	struct vms_usage other;
	cr_assert_eq(vms_report_top(g, 4, 2, &other), 2);
	cr_assert_eq(other.count, 7);
	cr_assert_eq(other.bytes, 300);
	cr_assert_eq(other.pages, 3);
	cr_assert_eq(vms_report_top(g, 4, 0, &other), 4, "0 means all");
	cr_assert_eq(other.count, 0);
	cr_assert_eq(vms_report_top(g, 4, 9, &other), 4);
}

Test(report, ioremap_alignment_by_era)
{
	struct reported x = load(CAUSES, NULL); /* 4.14: round up to a power of two */
	cr_assert_eq(vms_aspace_ioremap_align(x.m, 0x10000), 0x10000);
	cr_assert_eq(vms_aspace_ioremap_align(x.m, 0x11000), 0x20000);
	cr_assert_eq(vms_aspace_ioremap_align(x.m, 100), 0x1000, "a page at least");
	cr_assert_eq(vms_aspace_ioremap_align(x.m, 1ull << 30), 1u << 24,
	             "capped at 16 MiB");
	done(&x);
	struct reported o = load("tests/data/report/extra-page-2.6.30.txt", NULL);
	cr_assert_eq(vms_aspace_ioremap_align(o.m, 0x10000), 0x20000,
	             "fls doubles powers of 2");
	done(&o);
}

/* One kind per area, the first rule that applies (docs/report.md "Kinds"). */
Test(report, kind_of_each_fixture_area)
{
	struct reported x = load(CAUSES, NULL);
	static const uint8_t want[] = {
	    VMS_AK_MODULE,  VMS_AK_MODULE, /* module space, by address */
	    VMS_AK_IOREMAP, VMS_AK_IOREMAP,  VMS_AK_VMALLOC,    VMS_AK_VMALLOC,
	    VMS_AK_VMALLOC, VMS_AK_UNPURGED, VMS_AK_VM_MAP_RAM, VMS_AK_VMALLOC,
	    VMS_AK_VMALLOC, VMS_AK_IOREMAP, /* iotable_init: a static ioremap */
	    VMS_AK_PERCPU,                  /* pcpu_get_vm_areas, by caller */
	};
	cr_assert_eq(x.d->areas.n, sizeof(want));
	for (size_t i = 0; i < sizeof(want); i++)
		cr_assert_eq(x.m->kind[i], want[i], "area %zu (line %u): %s, want %s", i,
		             x.d->src.v[i].line, vms_akind_name(x.m->kind[i]),
		             vms_akind_name(want[i]));
	done(&x);
	/* without addresses module memory is told by its allocator: the
	 * loader's layout_and_allocate on 4.18 */
	struct reported h =
	    load("samples/x86_64-rhcos-4.18.0-80-hashed-vmallocinfo.txt", NULL);
	uint32_t id = vms_symtab_find(&h.d->syms, "layout_and_allocate", 19);
	cr_assert(id);
	size_t seen = 0;
	for (size_t i = 0; i < h.d->areas.n; i++)
		if (h.d->areas.v[i].caller == id) {
			cr_assert_eq(h.m->kind[i], VMS_AK_MODULE);
			seen++;
		}
	cr_assert_eq(h.r->kinds[VMS_AK_MODULE].count, seen);
	done(&h);
}

/*
 * A profile's guessed bounds give way to the areas (reviewed by hand): this
 * ppc32 KASAN kernel's vmalloc space runs from its lowest area 0xf1000000
 * to the per-cpu chunk's end 0xf5110000 (the mail beside the dump says
 * "Address range restricted to 0xf1000000 - 0xf5110000"); its largest hole
 * is 812 KiB at 0xf3b3d000, not the 768 MiB of linear map below.
 */
Test(report, guessed_bounds_give_way_to_the_areas)
{
	struct reported x = load(
	    "samples/ppc32-powermac-g4-6.14-rc4-outline-kasan-vmallocinfo.txt", NULL);
	const struct vms_report_window *w = window(x.r, VMS_RK_VMALLOC);
	cr_assert_eq(w->window->start, 0xf1000000u);
	cr_assert_eq(w->window->end, 0xf5110000u);
	cr_assert_eq(w->window->bounds, VMS_WB_LOW_AREA | VMS_WB_HIGH_PERCPU);
	cr_assert_eq(w->largest, 812u << 10);
	cr_assert_eq(w->largest_start, 0xf3b3d000u);
	cr_assert_eq(w->used + w->free, w->size);
	done(&x);
	/* a boot log's bounds stay */
	struct reported l = load(SEED, SEED_LAYOUT);
	cr_assert_eq(window(l.r, VMS_RK_VMALLOC)->window->bounds, 0);
	done(&l);
}

/* An area across the window's edge counts with its part inside. */
Test(report, area_across_the_edge_counts_once)
{
	static const char text[] =
	    "Virtual kernel memory layout:\n"
	    "    vmalloc : 0xf0000000 - 0xff000000   ( 240 MB)\n"
	    "    lowmem  : 0xc0000000 - 0xef800000   ( 760 MB)\n"
	    "0xeff00000-0xf0100000 2097152 lo+0x0/0x10 pages=511 vmalloc\n";
	struct reported x = {0};
	cr_assert_eq(vms_parse_buffer(text, sizeof(text) - 1, "edge", NULL, &x.d), 0);
	x.m = vms_aspace_build(x.d, NULL);
	x.r = vms_report_build(x.m, NULL);
	const struct vms_report_window *w = window(x.r, VMS_RK_VMALLOC);
	cr_assert_eq(w->used, 1u << 20);
	cr_assert_eq(w->used + w->free, w->size);
	done(&x);
}
