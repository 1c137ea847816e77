/*
 * test_view_text.c — the viewer's words (src/view/view_text.c), without a
 * display: the exact details of known areas of real samples (an 8 KiB
 * of_iomap, a 16 MiB static iotable_init, a wrapped NUMA entry, a glued
 * entry), holes of the arm32 seed with their report causes, the hole
 * under an address at every edge and against a brute-force scan, the
 * tooltips, the tail of a stderr text and the source line index.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/aspace.h"
#include "vmscope/parse.h"
#include "vmscope/report.h"
#include "vmscope/view_text.h"

#define ZYNQ        "samples/arm32-zynq-xilinx-4.4.0-vmallocinfo.txt"
#define NUMA        "samples/x86_64-kernel-doc-proc-example-numa4-wrapped-vmallocinfo.txt"
#define SEED        "samples/arm32-marvell-granite2-ocr-paste-vmallocinfo.txt"
#define SEED_LAYOUT "samples/arm32-marvell-granite2-boot-layout-240m.txt"

struct loaded {
	struct vms_dump *layout, *d;
	struct vms_aspace *m;
	struct vms_report *r;
	struct vms_view *v;
	char *text; /* the file's bytes */
	size_t len;
	struct vms_text_source src;
};

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	cr_assert_not_null(fp, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static struct loaded load(const char *path, const char *layout)
{
	struct loaded x = {0};
	struct vms_parse_opts o = {0};
	if (layout) {
		cr_assert_eq(vms_parse_file(layout, NULL, &x.layout), 0);
		o.layout = x.layout->log;
		o.layout_file = layout;
	}
	cr_assert_eq(vms_parse_file(path, &o, &x.d), 0, "cannot parse %s", path);
	x.m = vms_aspace_build(x.d, NULL);
	cr_assert(x.m->geometry);
	x.r = vms_report_build(x.m, NULL);
	x.v = vms_view_new(x.m, 600, 400, 8);
	cr_assert_not_null(x.v);
	x.text = slurp(path, &x.len);
	vms_view_text_source_init(&x.src, x.text, x.len);
	return x;
}

static void done(struct loaded *x)
{
	vms_view_text_source_fini(&x->src);
	free(x->text);
	vms_view_free(x->v);
	vms_report_free(x->r);
	vms_aspace_free(x->m);
	vms_dump_free(x->d);
	vms_dump_free(x->layout);
}

/* Dump index of the area starting at start. */
static size_t area_at(const struct vms_dump *d, uint64_t start)
{
	for (size_t i = 0; i < d->areas.n; i++)
		if (d->areas.v[i].start == start &&
		    d->areas.v[i].geom == VMS_GEOM_TRUSTED)
			return i;
	cr_assert_fail("no area at %#llx", (unsigned long long)start);
	return 0;
}

static void expect_lines(const struct vms_text_lines *got, const char *const *want,
                         size_t n)
{
	for (size_t k = 0; k < n && k < got->n; k++)
		cr_expect_str_eq(got->line[k], want[k], "line %zu", k);
	cr_assert_eq(got->n, n, "%zu lines, want %zu", got->n, n);
}

/* ---- areas ------------------------------------------------------------- */

Test(view_text, of_iomap_details_with_its_source_line)
{
	struct loaded x = load(ZYNQ, NULL);
	struct vms_text_lines L;
	vms_view_text_area(&L, x.m, area_at(x.d, 0xd0800000), &x.src);
	static const char *const want[] = {
	    "0xd0800000-0xd0802000",
	    "size: 8 KiB (1 page + guard)",
	    "kind: ioremap, guard: guard",
	    "phys=f8000000",
	    "flags: ioremap",
	    "caller: of_iomap+0x30/0x38",
	    "source: " ZYNQ " line 2",
	    "  0xd0800000-0xd0802000    8192 of_iomap+0x30/0x38 phys=f8000000 ioremap",
	};
	expect_lines(&L, want, sizeof(want) / sizeof(want[0]));
	done(&x);
}

Test(view_text, static_mapping_has_no_guard_and_no_quote_without_source)
{
	struct loaded x = load(ZYNQ, NULL);
	struct vms_text_lines L;
	vms_view_text_area(&L, x.m, area_at(x.d, 0xce000000), NULL);
	static const char *const want[] = {
	    "0xce000000-0xcf000000",
	    "size: 16 MiB (4096 pages)",
	    "kind: ioremap, guard: static",
	    "phys=e000000",
	    "flags: ioremap",
	    "caller: iotable_init+0x0/0xb4",
	    "source: " ZYNQ " line 1",
	};
	expect_lines(&L, want, sizeof(want) / sizeof(want[0]));
	done(&x);
}

Test(view_text, wrapped_numa_entry_gives_counts_and_both_lines)
{
	struct loaded x = load(NUMA, NULL);
	struct vms_text_lines L;
	vms_view_text_area(&L, x.m, area_at(x.d, 0xffffc20000000000), &x.src);
	static const char *const want[] = {
	    "0xffffc20000000000-0xffffc20000201000",
	    "size: 2.0 MiB (512 pages + guard)",
	    "kind: vmalloc, guard: guard",
	    "flags: vmalloc",
	    "caller: alloc_large_system_hash+0x204/0x2c0",
	    "NUMA: N0=128 N1=128 N2=128 N3=128",
	    "source: " NUMA " lines 2-3",
	    "repaired: joined-lines elision",
	    "  0xffffc20000000000-0xffffc20000201000 2101248 "
	    "alloc_large_system_hash+0x204 ...",
	    "    /0x2c0 pages=512 vmalloc N0=128 N1=128 N2=128 N3=128",
	};
	expect_lines(&L, want, sizeof(want) / sizeof(want[0]));
	done(&x);
}

Test(view_text, module_has_its_own_line_and_is_in_the_tooltip)
{
	struct loaded x = load(NUMA, NULL);
	size_t i = area_at(x.d, 0xffffc20000347000);
	struct vms_text_lines L;
	vms_view_text_area(&L, x.m, i, NULL);
	cr_assert_eq(L.n, 9);
	cr_expect_str_eq(L.line[4], "caller: xt_alloc_table_info+0xfe/0x130");
	cr_expect_str_eq(L.line[5], "module: x_tables");
	cr_expect_str_eq(L.line[6], "NUMA: N0=4");
	char tip[128];
	cr_expect_str_eq(vms_view_text_tip_area(x.m, i, tip, sizeof(tip)),
	                 "vmalloc 0xffffc20000347000-0xffffc2000034c000 20 KiB "
	                 "xt_alloc_table_info+0xfe/0x130 [x_tables]");
	done(&x);
}

Test(view_text, glued_entry_is_quoted_alone)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_text_lines L;
	/* line 3 holds several entries; this one is the second */
	vms_view_text_area(&L, x.m, area_at(x.d, 0xbf005000), &x.src);
	cr_assert_geq(L.n, 2);
	cr_expect_str_eq(L.line[L.n - 3], "source: " SEED " line 3");
	cr_expect_str_eq(L.line[L.n - 1], "  ...0xbf005000-0xbf007000 8192 "
	                                  "module_alloc_update_bounds+0xc/0x5c pages=1 "
	                                  "vmalloc ...");
	/* the first entry of the line: no leading "..." */
	vms_view_text_area(&L, x.m, area_at(x.d, 0xbf000000), &x.src);
	cr_expect_str_eq(L.line[L.n - 1], "  0xbf000000-0xbf003000 12288 module alloc "
	                                  "update bounds+0xc/0x5c pages=2 vmalloc ...");
	done(&x);
}

Test(view_text, input_words_are_escaped)
{
	struct vms_dump *d = vms_dump_new("built");
	const char caller[] = "evil\x1b[2J\xff";
	struct vms_area a = {.start = 0xd0000000,
	                     .end = 0xd0002000,
	                     .size = 0x2000,
	                     .flags = VMS_F_VMALLOC,
	                     .caller = vms_dump_intern(d, caller, sizeof(caller) - 1)};
	vms_dump_add_area(d, &a, NULL, NULL, 0);
	vms_dump_infer(d, NULL);
	struct vms_aspace *m = vms_aspace_build(d, "arm32");
	struct vms_text_lines L;
	vms_view_text_area(&L, m, 0, NULL);
	bool found = false;
	for (size_t k = 0; k < L.n; k++)
		found |= !strcmp(L.line[k], "caller: evil\\x1b[2J\\xff");
	cr_assert(found, "caller not escaped");
	/* a built area has no source line: none printed */
	for (size_t k = 0; k < L.n; k++)
		cr_expect_neq(strncmp(L.line[k], "source:", 7), 0);
	vms_aspace_free(m);
	vms_dump_free(d);
}

/* ---- holes ------------------------------------------------------------- */

Test(view_text, ioremap_align_hole_has_its_cause_and_evidence)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_view_hole h;
	cr_assert_eq(vms_view_hole_at(x.v, 0xf0007800, &h), 0);
	cr_assert_eq(h.start, 0xf0007000);
	cr_assert_eq(h.end, 0xf0008000);
	struct vms_text_lines L;
	vms_view_text_hole(&L, x.m, x.r, h.start, h.end);
	static const char *const want[] = {
	    "free 0xf0007000-0xf0008000",
	    "size: 4 KiB",
	    "window: vmalloc",
	    "cause: ioremap-align",
	    "the next area, ioremap 0xf0008000-0xf000a000 (of_iomap, 8 KiB, line 5), is "
	    "aligned to 8 KiB (its size rounded to a power of two): the allocator "
	    "skipped "
	    "from 0xf0007000 to it",
	};
	expect_lines(&L, want, sizeof(want) / sizeof(want[0]));
	done(&x);
}

Test(view_text, largest_hole_holds_the_largest_requests)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_view_hole h;
	cr_assert_eq(vms_view_hole_at(x.v, 0xf5000000, &h), 0);
	cr_assert_eq(h.start, 0xf29bb000);
	cr_assert_eq(h.end - h.start, 0x6e45000);
	cr_assert_geq(h.window, 0);
	cr_assert_eq(x.m->regions.v[x.m->windows.v[h.window].region].kind,
	             VMS_RK_VMALLOC);
	struct vms_text_lines L;
	vms_view_text_hole(&L, x.m, x.r, h.start, h.end);
	static const char *const want[] = {
	    "free 0xf29bb000-0xf9800000",
	    "size: 110.3 MiB",
	    "window: vmalloc",
	    "cause: boundary",
	    "up to ioremap 0xf9800000-0xf98c0000 (iotable_init, 768 KiB, line 389), a "
	    "static mapping at a fixed address the allocator did not choose; allocation "
	    "fills from the bottom and has not reached it",
	    "largest vmalloc() here: 110.3 MiB at 0xf29bb000",
	    "largest ioremap() here: 104.0 MiB aligned to 16 MiB at 0xf3000000",
	};
	expect_lines(&L, want, sizeof(want) / sizeof(want[0]));
	/* without a report: no cause */
	vms_view_text_hole(&L, x.m, NULL, h.start, h.end);
	expect_lines(&L, want, 3);
	done(&x);
}

Test(view_text, hole_outside_the_windows_names_its_region)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_view_hole h;
	/* lowmem: between the modules window and the vmalloc window */
	cr_assert_eq(vms_view_hole_at(x.v, 0xc1000000, &h), 0);
	cr_assert_eq(h.start, 0xbfe00000);
	cr_assert_eq(h.end, 0xf0000000);
	cr_assert_eq(h.window, -1);
	struct vms_text_lines L;
	vms_view_text_hole(&L, x.m, x.r, h.start, h.end);
	static const char *const want[] = {
	    "free 0xbfe00000-0xf0000000",
	    "size: 770 MiB",
	    "region: pkmap, no allocation window",
	};
	expect_lines(&L, want, sizeof(want) / sizeof(want[0]));
	done(&x);
}

Test(view_text, hole_at_the_edges_of_areas_and_of_the_space)
{
	struct loaded x = load(ZYNQ, NULL);
	struct vms_view_hole h;
	/* 0xd0808000-0xd080a000 then 0xd080e000-0xd0810000, in the window */
	cr_assert_eq(vms_view_hole_at(x.v, 0xd080dfff, &h), 0, "byte before a start");
	cr_expect_eq(h.start, 0xd080a000);
	cr_expect_eq(h.end, 0xd080e000);
	cr_expect_geq(h.window, 0);
	cr_assert_eq(vms_view_hole_at(x.v, 0xd080a000, &h), 0, "an area's end");
	cr_expect_eq(h.start, 0xd080a000);
	cr_expect_eq(h.end, 0xd080e000);
	cr_expect_eq(vms_view_hole_at(x.v, 0xd080e000, &h), -VMS_ERANGE,
	             "an area's start");
	cr_expect_eq(vms_view_hole_at(x.v, 0xd0809fff, &h), -VMS_ERANGE,
	             "an area's end - 1");
	/* before the first area (0xce000000, static, outside the window):
	 * from the end of the modules window */
	cr_assert_eq(vms_view_hole_at(x.v, 0xcdffffff, &h), 0);
	cr_expect_eq(h.start, 0xbfe00000);
	cr_expect_eq(h.end, 0xce000000);
	cr_expect_eq(h.window, -1);
	/* the empty modules window at the span's start */
	cr_assert_eq(vms_view_hole_at(x.v, x.v->lo, &h), 0);
	cr_expect_eq(h.start, 0xbf000000);
	cr_expect_eq(h.end, 0xbfe00000);
	cr_expect_eq(h.window, 0);
	/* after the last area (ends at 0xff800000) to the span's end */
	cr_assert_eq(vms_view_hole_at(x.v, 0xff800000, &h), 0);
	cr_expect_eq(h.start, 0xff800000);
	cr_expect_eq(h.end, x.v->hi);
	cr_expect_eq(h.window, -1);
	cr_assert_eq(vms_view_hole_at(x.v, x.v->hi - 1, &h), 0);
	cr_expect_eq(h.end, x.v->hi);
	/* outside the span */
	cr_expect_eq(vms_view_hole_at(x.v, x.v->hi, &h), -VMS_ERANGE);
	cr_expect_eq(vms_view_hole_at(x.v, x.v->lo - 1, &h), -VMS_ERANGE);
	done(&x);
}

Test(view_text, every_free_hole_of_the_model_is_found_whole)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	size_t holes = 0;
	for (size_t k = 0; k < x.m->windows.n; k++) {
		const struct vms_free *f = &x.m->windows.v[k].free;
		for (uint32_t id = vms_free_first(f); id;
		     id = vms_free_next(f, id), holes++) {
			const struct vms_hole *fh = vms_free_hole(f, id);
			uint64_t probe[] = {fh->va_start, fh->va_end - 1,
			                    fh->va_start +
			                        (fh->va_end - fh->va_start) / 2};
			for (size_t p = 0; p < 3; p++) {
				struct vms_view_hole h;
				cr_assert_eq(vms_view_hole_at(x.v, probe[p], &h), 0);
				cr_assert_eq(h.start, fh->va_start, "%#llx",
				             (unsigned long long)probe[p]);
				cr_assert_eq(h.end, fh->va_end);
				cr_assert_eq(h.window, (int32_t)k);
			}
		}
	}
	cr_assert_eq(holes, 26 + 39); /* as `vmscope report` counts them */
	done(&x);
}

/* The hole at addr by brute force: every trusted area and window. */
static int brute_hole(const struct vms_view *v, uint64_t addr, struct vms_view_hole *h)
{
	const struct vms_aspace *m = v->m;
	if (addr < v->lo || addr >= v->hi)
		return -1;
	h->start = v->lo;
	h->end = v->hi;
	h->window = -1;
	for (size_t i = 0; i < m->dump->areas.n; i++) {
		const struct vms_area *a = &m->dump->areas.v[i];
		if (a->geom != VMS_GEOM_TRUSTED || a->end <= a->start)
			continue;
		if (a->start <= addr && addr < a->end)
			return -1;
		if (a->end <= addr && a->end > h->start)
			h->start = a->end;
		if (a->start > addr && a->start < h->end)
			h->end = a->start;
	}
	for (size_t k = 0; k < m->windows.n; k++) {
		const struct vms_window *w = &m->windows.v[k];
		bool in = w->start <= addr && addr < w->end;
		uint64_t lo = in ? w->start : w->end <= addr ? w->end : 0;
		uint64_t hi = in ? w->end : w->start > addr ? w->start : UINT64_MAX;
		h->start = lo > h->start ? lo : h->start;
		h->end = hi < h->end ? hi : h->end;
		h->window = in ? (int32_t)k : h->window;
	}
	return 0;
}

Test(view_text, hole_lookup_agrees_with_a_brute_force_scan)
{
	const char *const files[] = {ZYNQ, NUMA, SEED};
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	for (size_t f = 0; f < 3; f++) {
		struct loaded x = load(files[f], f == 2 ? SEED_LAYOUT : NULL);
		size_t found = 0;
		for (int n = 0; n < 3000; n++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			uint64_t span = x.v->hi - x.v->lo;
			/* half anywhere, half near an area's edge */
			uint64_t addr = x.v->lo + (seed >> 11) % span;
			if (n & 1) {
				const struct vms_area *a =
				    &x.d->areas
				         .v[x.m->order[(seed >> 7) % x.m->nr_order]];
				addr = (seed & 64 ? a->end : a->start) +
				       (seed >> 40) % 3 - 1;
			}
			struct vms_view_hole got, want;
			int g = vms_view_hole_at(x.v, addr, &got);
			int w = brute_hole(x.v, addr, &want);
			cr_assert_eq(g == 0, w == 0, "%s %#llx", files[f],
			             (unsigned long long)addr);
			if (g != 0)
				continue;
			found++;
			cr_assert_eq(got.start, want.start, "%#llx",
			             (unsigned long long)addr);
			cr_assert_eq(got.end, want.end, "%#llx",
			             (unsigned long long)addr);
			cr_assert_eq(got.window, want.window);
		}
		cr_assert_gt(found, 100, "%s: too few holes probed", files[f]);
		done(&x);
	}
}

/* ---- tooltips ---------------------------------------------------------- */

Test(view_text, tooltips_of_an_area_and_a_hole)
{
	struct loaded x = load(ZYNQ, NULL);
	char tip[128];
	size_t i = area_at(x.d, 0xd0800000);
	cr_expect_str_eq(vms_view_text_tip_area(x.m, i, tip, sizeof(tip)),
	                 "ioremap 0xd0800000-0xd0802000 8 KiB of_iomap+0x30/0x38");
	cr_expect_str_eq(
	    vms_view_text_tip_area(x.m, area_at(x.d, 0xce000000), tip, sizeof(tip)),
	    "ioremap 0xce000000-0xcf000000 16 MiB iotable_init+0x0/0xb4");
	cr_expect_str_eq(
	    vms_view_text_tip_hole(x.m, 0xd080a000, 0xd080e000, tip, sizeof(tip)),
	    "free 0xd080a000-0xd080e000 16 KiB");
	cr_expect_str_eq(vms_view_text_tip_hole(x.m, 0xf29bb000, 0xf29bb000 + 0x6e45000,
	                                        tip, sizeof(tip)),
	                 "free 0xf29bb000-0xf9800000 110.3 MiB");
	/* a small buffer is cut, NUL-terminated */
	cr_expect_str_eq(vms_view_text_tip_area(x.m, i, tip, 10), "ioremap 0");
	done(&x);
}

/* ---- the tail of a text and the source index --------------------------- */

Test(view_text, tail_keeps_the_last_lines_escaped)
{
	struct vms_text_lines L;
	vms_view_text_tail(&L, "one\ntwo\r\nthree\tx\nfour \x1b[31mred\n\n", 3);
	static const char *const want[] = {"two", "three x", "four \\x1b[31mred"};
	expect_lines(&L, want, 3);
	vms_view_text_tail(&L, "only, no newline", 6);
	expect_lines(&L, (const char *const[]){"only, no newline"}, 1);
	vms_view_text_tail(&L, "a\nb\n", 6);
	expect_lines(&L, (const char *const[]){"a", "b"}, 2);
	vms_view_text_tail(&L, NULL, 6);
	cr_expect_eq(L.n, 0);
	vms_view_text_tail(&L, "\n\n", 6);
	cr_expect_eq(L.n, 0);
}

Test(view_text, source_index_finds_lines_with_any_line_end)
{
	struct vms_text_source s;
	size_t n;
	const char lf[] = "a\r\nbb\n\nccc";
	vms_view_text_source_init(&s, lf, sizeof(lf) - 1);
	cr_assert_eq(s.starts.n, 4);
	const char *p = vms_view_text_source_line(&s, 2, &n);
	cr_expect(p && n == 2 && !memcmp(p, "bb", 2));
	p = vms_view_text_source_line(&s, 1, &n);
	cr_expect(p && n == 1 && p[0] == 'a', "the CR of a CRLF is dropped");
	p = vms_view_text_source_line(&s, 3, &n);
	cr_expect(p && n == 0);
	p = vms_view_text_source_line(&s, 4, &n);
	cr_expect(p && n == 3 && !memcmp(p, "ccc", 3), "a last line without its end");
	cr_expect_null(vms_view_text_source_line(&s, 5, &n));
	cr_expect_null(vms_view_text_source_line(&s, 0, &n));
	vms_view_text_source_fini(&s);
	const char cr[] = "x\ry\r";
	vms_view_text_source_init(&s, cr, sizeof(cr) - 1);
	cr_assert_eq(s.starts.n, 2, "CR-only text: lines end at CR");
	p = vms_view_text_source_line(&s, 2, &n);
	cr_expect(p && n == 1 && p[0] == 'y');
	vms_view_text_source_fini(&s);
	vms_view_text_source_fini(NULL);
}
