/*
 * test_fit.c — `vmscope fit`'s answers, checked by hand on the seed arm32
 * dump with its boot layout (vmalloc 0xf0000000-0xff000000, VMALLOC_END
 * from the log, kernel 4.10 or earlier: first fit without the 5.2+
 * search-length adjustment, <= 5.13 vmalloc= semantics): where single
 * requests land, an ioremap its alignment moves, K requests spilling into
 * the next hole, failures with their vmalloc= answers worked out with the
 * arithmetic of docs/kernel.md §7.2, module space, the failure lines of
 * an arm32 fixture log and of the arm64 sample, bad requests, a hashed
 * dump, and the placements against a brute-force scan. Then the era's
 * search (a module passing over a hole of exactly its size on 5.2-5.16),
 * the purge of lazily freed areas, failure lines without a dump, and an
 * ioremap found in a call trace.
 *
 * The holes of the seed's vmalloc window used below, in address order
 * (`vmscope report -q --holes --layout SEED_LAYOUT SEED`):
 *   0xf0007000-0xf0008000   4 KiB     0xf00d4000-0xf00da000  24 KiB
 *   0xf00de000-0xf00e0000   8 KiB     0xf00e2000-0xf00ee000  48 KiB
 *   0xf0131000-0xf0132000   4 KiB     0xf03bb000-0xf03bc000   4 KiB
 *   0xf03c7000-0xf03c8000   4 KiB     0xf03cb000-0xf03cc000   4 KiB
 *   0xf03e4000-0xf0418000 208 KiB     ... (all below 0xf29bb000 < 600 KiB)
 *   0xf29bb000-0xf9800000 110.3 MiB   (up to iotable_init's static map)
 *   0xf98c0000-0xfe030000  71.4 MiB   0xfe031000-0xfedec000  13.7 MiB
 * and the first area of the window starts at 0xf0000000 (of_iomap).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/aspace.h"
#include "vmscope/fit.h"
#include "vmscope/parse.h"

#define SEED        "samples/arm32-marvell-granite2-ocr-paste-vmallocinfo.txt"
#define SEED_LAYOUT "samples/arm32-marvell-granite2-boot-layout-240m.txt"
#define FAIL_LOG    "tests/data/fit/granite2-boot-vmap-failed.txt"
#define A64_DUMP    "samples/arm64-nvidia-t241-6.2-64k-modules-N0-vmallocinfo-excerpt.txt"
#define A64_LOG                                                                          \
	"samples/arm64-nvidia-t241-6.2-64k-vmap-allocation-failed-dmesg-quoted.txt"
#define HASHED      "samples/x86_64-rhcos-4.18.0-80-hashed-vmallocinfo.txt"
#define UNPURGED    "tests/data/fit/arm32-5.10-unpurged.txt"
#define IOREMAP_LOG "tests/data/fit/granite2-ioremap-failed.txt"

#define KIB(n) ((uint64_t)(n) << 10)
#define MIB(n) ((uint64_t)(n) << 20)

struct loaded {
	struct vms_dump *layout, *d;
	struct vms_aspace *m;
};

static struct loaded load_era(const char *path, const char *layout, int major, int minor)
{
	struct loaded x = {0};
	struct vms_parse_opts o = {.kernel_major = major, .kernel_minor = minor};
	if (layout) {
		cr_assert_eq(vms_parse_file(layout, NULL, &x.layout), 0);
		o.layout = x.layout->log;
		o.layout_file = layout;
	}
	cr_assert_eq(vms_parse_file(path, &o, &x.d), 0, "cannot parse %s", path);
	x.m = vms_aspace_build(x.d, NULL);
	return x;
}

static struct loaded load(const char *path, const char *layout);

/* A log alone: no areas, no geometry. */
static struct loaded load_log(const char *path)
{
	struct loaded x = {0};
	cr_assert_eq(vms_parse_file(path, NULL, &x.d), 0, "cannot parse %s", path);
	x.m = vms_aspace_build(x.d, NULL);
	return x;
}

static struct loaded load(const char *path, const char *layout)
{
	return load_era(path, layout, 0, 0);
}

static void done(struct loaded *x)
{
	vms_aspace_free(x->m);
	vms_dump_free(x->d);
	vms_dump_free(x->layout);
}

static struct vms_fit_result *fit(const struct loaded *x, uint64_t size,
                                  enum vms_fit_kind kind, uint64_t align, uint64_t count)
{
	struct vms_fit_request q = {
	    .size = size, .kind = kind, .align = align, .count = count};
	struct vms_fit_result *r = NULL;
	cr_assert_eq(vms_fit_run(x->m, &q, &r), 0);
	cr_assert_not_null(r);
	return r;
}

static void assert_place(const struct vms_fit_place *p, uint64_t start, uint64_t size,
                         uint64_t hs, uint64_t he, enum vms_fit_type type)
{
	cr_assert_eq(p->start, start, "placed at 0x%llx, expected 0x%llx",
	             (unsigned long long)p->start, (unsigned long long)start);
	cr_assert_eq(p->end, start + size);
	cr_assert_eq(p->hole_start, hs, "hole starts at 0x%llx, expected 0x%llx",
	             (unsigned long long)p->hole_start, (unsigned long long)hs);
	cr_assert_eq(p->hole_end, he, "hole ends at 0x%llx, expected 0x%llx",
	             (unsigned long long)p->hole_end, (unsigned long long)he);
	cr_assert_eq(p->fit, type, "fit type %s", vms_fit_type_name(p->fit));
}

/* ---- single placements --------------------------------------------------- */

/*
 * vmalloc(4K) takes 8 KiB with its guard page: the 4 KiB hole at
 * 0xf0007000 is too small, the 24 KiB hole at 0xf00d4000 is the lowest
 * that holds it: left edge, the hole keeps 0xf00d6000-0xf00da000.
 */
Test(fit, seed_small_vmalloc_lands_in_lowest_hole_holding_it)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_fit_result *r = fit(&x, KIB(4), VMS_FK_VMALLOC, 0, 1);
	cr_assert(r->fits);
	cr_assert_eq(r->size, KIB(8));
	cr_assert_eq(r->align, KIB(4));
	cr_assert(r->legacy, "the seed's era (<= 4.10) uses the first-fit allocator");
	cr_assert_eq(r->placed.n, 1);
	assert_place(&r->placed.v[0], 0xf00d4000u, KIB(8), 0xf00d4000u, 0xf00da000u,
	             VMS_FIT_LE);
	cr_assert_str_eq(x.m->regions.v[x.m->windows.v[r->window].region].name,
	                 "vmalloc");
	vms_fit_free(r);
	done(&x);
}

/* vmalloc(20K) + guard = 24 KiB: exactly the hole at 0xf00d4000 (FL). */
Test(fit, seed_exact_size_uses_the_whole_hole)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_fit_result *r = fit(&x, KIB(20), VMS_FK_VMAP, 0, 1);
	cr_assert(r->fits);
	assert_place(&r->placed.v[0], 0xf00d4000u, KIB(24), 0xf00d4000u, 0xf00da000u,
	             VMS_FIT_FL);
	vms_fit_free(r);
	done(&x);
}

/*
 * ioremap(40K): the era's rule gives 64 KiB (40 KiB rounded up to a power
 * of two; fls(40960) = 16 on the older rule too). Size 44 KiB with the
 * guard. The 48 KiB hole at 0xf00e2000, where vmalloc(40K) lands, holds
 * 44 KiB but ALIGN(0xf00e2000, 64K) = 0xf00f0000 is past its end; so are
 * all smaller holes up to 0xf03e4000 (208 KiB): ALIGN(0xf03e4000, 64K) =
 * 0xf03f0000, + 44 KiB = 0xf03fb000 <= 0xf0418000. A split (NE).
 */
Test(fit, seed_ioremap_alignment_moves_it)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_fit_result *v = fit(&x, KIB(40), VMS_FK_VMALLOC, 0, 1);
	assert_place(&v->placed.v[0], 0xf00e2000u, KIB(44), 0xf00e2000u, 0xf00ee000u,
	             VMS_FIT_LE);
	struct vms_fit_result *r = fit(&x, KIB(40), VMS_FK_IOREMAP, 0, 1);
	cr_assert(r->fits);
	cr_assert_eq(r->align, KIB(64));
	assert_place(&r->placed.v[0], 0xf03f0000u, KIB(44), 0xf03e4000u, 0xf0418000u,
	             VMS_FIT_NE);
	vms_fit_free(v);
	vms_fit_free(r);
	done(&x);
}

/* --align 64K on a vmalloc(4K): the same hole as the 40K ioremap. */
Test(fit, seed_given_alignment_is_used)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_fit_result *r = fit(&x, KIB(4), VMS_FK_VMALLOC, KIB(64), 1);
	cr_assert_eq(r->align, KIB(64));
	assert_place(&r->placed.v[0], 0xf03f0000u, KIB(8), 0xf03e4000u, 0xf0418000u,
	             VMS_FIT_NE);
	vms_fit_free(r);
	done(&x);
}

/*
 * Four vmalloc(20K), 24 KiB each, each in the state the one before left:
 * #1 fills 0xf00d4000 (24 KiB, FL); the 8 KiB hole at 0xf00de000 is too
 * small, so #2 spills into the 48 KiB hole at 0xf00e2000 (LE, leaving
 * 0xf00e8000-0xf00ee000), #3 fills that rest (FL), and #4 spills past the
 * four 4 KiB holes into 0xf03e4000 (LE).
 */
Test(fit, seed_count_spills_into_the_next_hole)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_fit_result *r = fit(&x, KIB(20), VMS_FK_VMALLOC, 0, 4);
	cr_assert(r->fits);
	cr_assert_eq(r->placed.n, 4);
	assert_place(&r->placed.v[0], 0xf00d4000u, KIB(24), 0xf00d4000u, 0xf00da000u,
	             VMS_FIT_FL);
	assert_place(&r->placed.v[1], 0xf00e2000u, KIB(24), 0xf00e2000u, 0xf00ee000u,
	             VMS_FIT_LE);
	assert_place(&r->placed.v[2], 0xf00e8000u, KIB(24), 0xf00e8000u, 0xf00ee000u,
	             VMS_FIT_FL);
	assert_place(&r->placed.v[3], 0xf03e4000u, KIB(24), 0xf03e4000u, 0xf0418000u,
	             VMS_FIT_LE);
	vms_fit_free(r);
	done(&x);
}

/* ---- failures and vmalloc= ------------------------------------------------- */

/*
 * Four vmalloc(50M), 50 MiB + 4 KiB = 0x3201000 each: #1 at 0xf29bb000
 * (110.3 MiB hole), #2 right after it at 0xf5bbc000 (60.3 MiB left), #3 in
 * the 71.4 MiB hole at 0xf98c0000; #4 finds 10.3, 21.4 and 13.7 MiB: no
 * fit. The vmalloc hole left largest is 0xfe030000 - 0xfcac1000.
 *
 * vmalloc= by hand (first area at 0xf0000000, so new space below it is one
 * hole [VMALLOC_START, 0xf0000000)): #1 then lands there when it holds
 * 0x3201000, i.e. VMALLOC_START <= 0xecdff000, 8 MiB aligned: 0xec800000.
 *  old (<= 5.13): VMALLOC_START = (0xff000000 - R + 8M) & ~(8M - 1) <=
 *    0xec800000 needs 0xff000000 - R < 0xec800000: R > 296 MiB -> 297M
 *    (lowmem ends at 0xff000000 - 297M = 0xec700000). R = 296M gives
 *    0xed000000: 48 MiB, too small.
 *  new (5.14+): VMALLOC_START = ALIGN_DOWN(0xff000000 - R, 8M) needs
 *    0xff000000 - R < 0xed000000: R > 288 MiB -> 289M (lowmem ends at
 *    0xff000000 - 289M - 8M = 0xec700000).
 * Both give vmalloc 0xec800000-0xff000000 = 296 MiB.
 */
Test(fit, seed_count_fails_and_vmalloc_answer_by_hand)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_fit_result *r = fit(&x, MIB(50), VMS_FK_VMALLOC, 0, 4);
	uint64_t each = MIB(50) + KIB(4);
	cr_assert_not(r->fits);
	cr_assert_eq(r->placed.n, 3);
	cr_assert_eq(r->fail.index, 3);
	assert_place(&r->placed.v[0], 0xf29bb000u, each, 0xf29bb000u, 0xf9800000u,
	             VMS_FIT_LE);
	assert_place(&r->placed.v[1], 0xf5bbc000u, each, 0xf5bbc000u, 0xf9800000u,
	             VMS_FIT_LE);
	assert_place(&r->placed.v[2], 0xf98c0000u, each, 0xf98c0000u, 0xfe030000u,
	             VMS_FIT_LE);
	const struct vms_fit_hole *h = &r->fail.holes[r->window];
	cr_assert_eq(h->start, 0xfcac1000u);
	cr_assert_eq(h->size, 0xfe030000u - 0xfcac1000u);
	cr_assert_eq(r->fail.largest_request, h->size - KIB(4));

	const struct vms_fit_vmalloc *vm = &r->vm;
	cr_assert_eq(vm->status, VMS_FP_COMPUTED);
	cr_assert(vm->two_semantics);
	cr_assert_eq(vm->applies, VMS_VMALLOC_OLD);
	cr_assert_eq(vm->vmalloc_end, 0xff000000u);
	cr_assert_not(vm->current_given);
	cr_assert_eq(vm->current, MIB(240));
	const struct vms_fit_param *o = &vm->param[VMS_VMALLOC_OLD];
	const struct vms_fit_param *n = &vm->param[VMS_VMALLOC_NEW];
	cr_assert(o->found && n->found);
	cr_assert_eq(o->value, MIB(297));
	cr_assert_eq(o->calc.lowmem_end, 0xec700000u);
	cr_assert_eq(o->calc.vmalloc_start, 0xec800000u);
	cr_assert_eq(o->calc.vmalloc_end, 0xff000000u);
	cr_assert_eq(n->value, MIB(289));
	cr_assert_eq(n->calc.lowmem_end, 0xec700000u);
	cr_assert_eq(n->calc.vmalloc_start, 0xec800000u);
	/* with the answer: #1 in the new space, the rest where #1..#3 were */
	cr_assert_eq(o->placed.n, 4);
	assert_place(&o->placed.v[0], 0xec800000u, each, 0xec800000u, 0xf0000000u,
	             VMS_FIT_LE);
	cr_assert_eq(o->placed.v[1].start, 0xf29bb000u);
	cr_assert_eq(o->placed.v[2].start, 0xf5bbc000u);
	cr_assert_eq(o->placed.v[3].start, 0xf98c0000u);
	vms_fit_free(r);
	done(&x);
}

/*
 * One vmalloc(120M) = 0x7801000 with its guard: no hole holds it (110.3
 * MiB at most). New space [S, 0xf0000000) must hold it: S <= 0xe87ff000,
 * so S = 0xe8000000. Old: 0xff000000 - R < 0xe8000000: R > 368 MiB ->
 * 369M (lowmem 0xe7f00000, vmalloc 368 MiB). New: 0xff000000 - R <
 * 0xe8800000: R > 360 MiB -> 361M, the same layout.
 */
Test(fit, seed_too_large_vmalloc_answer_by_hand)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_fit_result *r = fit(&x, MIB(120), VMS_FK_VMALLOC, 0, 1);
	cr_assert_not(r->fits);
	cr_assert_eq(r->placed.n, 0);
	cr_assert_eq(r->fail.holes[r->window].start, 0xf29bb000u);
	cr_assert_eq(r->fail.holes[r->window].size, 0xf9800000u - 0xf29bb000u);
	const struct vms_fit_param *o = &r->vm.param[VMS_VMALLOC_OLD];
	const struct vms_fit_param *n = &r->vm.param[VMS_VMALLOC_NEW];
	cr_assert_eq(o->value, MIB(369));
	cr_assert_eq(o->calc.lowmem_end, 0xe7f00000u);
	cr_assert_eq(o->calc.vmalloc_start, 0xe8000000u);
	cr_assert_eq(n->value, MIB(361));
	cr_assert_eq(n->calc.vmalloc_start, 0xe8000000u);
	assert_place(&o->placed.v[0], 0xe8000000u, MIB(120) + KIB(4), 0xe8000000u,
	             0xf0000000u, VMS_FIT_LE);
	vms_fit_free(r);
	done(&x);
}

/*
 * ioremap(108M): 16 MiB alignment (IOREMAP_MAX_ORDER 24 caps 128 MiB).
 * The 110.3 MiB hole holds 108 MiB + 4 KiB from its start 0xf29bb000, but
 * ALIGN(0xf29bb000, 16M) = 0xf3000000 leaves 0xf9800000 - 0xf3000000 =
 * 104 MiB: the alignment costs 0xf3000000 - 0xf29bb000 = 0x645000 bytes.
 * At 16 MiB the largest request is 104 MiB less the guard page. vmalloc=
 * must give a 16 MiB aligned start with 108 MiB + 4 KiB below 0xf0000000:
 * S <= 0xe9000000; old: R > 0xff000000 - 0xe9000000 = 352 MiB -> 353M.
 */
Test(fit, seed_ioremap_alignment_cost_when_it_fails)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_fit_result *r = fit(&x, MIB(108), VMS_FK_IOREMAP, 0, 1);
	cr_assert_not(r->fits);
	cr_assert_eq(r->align, MIB(16));
	cr_assert_eq(r->fail.align_loss, 0xf3000000u - 0xf29bb000u);
	cr_assert_eq(r->fail.largest_request, MIB(104) - KIB(4));
	cr_assert(r->fail.unaligned_fits);
	cr_assert_eq(r->fail.unaligned.start, 0xf29bb000u);
	cr_assert_eq(r->fail.unaligned.hole_end, 0xf9800000u);
	cr_assert_not(r->fail.aligned_skipped, "<= 5.1: no search-length adjustment");
	cr_assert_eq(r->vm.param[VMS_VMALLOC_OLD].value, MIB(353));
	cr_assert_eq(r->vm.param[VMS_VMALLOC_OLD].calc.vmalloc_start, 0xe9000000u);
	cr_assert_eq(r->vm.param[VMS_VMALLOC_OLD].placed.v[0].start, 0xe9000000u);
	vms_fit_free(r);
	done(&x);
}

/*
 * The same dump read as a 5.10 kernel (5.2+ allocator): ioremap(100M) of
 * 100 MiB + 4 KiB at 16 MiB fits at 0xf3000000 (104 MiB there), but the
 * kernel searches for size + align - 1 = 116 MiB + 4 KiB - 1 bytes and no
 * hole is that large: it fails, and the skipped gap is reported.
 */
Test(fit, modern_search_length_adjustment_skips_an_aligned_gap)
{
	struct loaded x = load_era(SEED, SEED_LAYOUT, 5, 10);
	struct vms_fit_result *r = fit(&x, MIB(100), VMS_FK_IOREMAP, 0, 1);
	cr_assert_not(r->legacy);
	cr_assert_not(r->fits);
	cr_assert(r->fail.aligned_skipped);
	cr_assert_eq(r->fail.aligned_at, 0xf3000000u);
	vms_fit_free(r);
	struct loaded y = load(SEED, SEED_LAYOUT);
	r = fit(&y, MIB(100), VMS_FK_IOREMAP, 0, 1);
	cr_assert(r->fits, "<= 5.1 first fit takes the aligned gap");
	cr_assert_eq(r->placed.v[0].start, 0xf3000000u);
	vms_fit_free(r);
	done(&y);
	done(&x);
}

/*
 * module_alloc(12M): module space 0xbf000000-0xbfe00000; its largest hole
 * runs from the last module (0xbf26e000) to the end: 0xb92000 bytes, 11.6
 * MiB. 12 MiB + 4 KiB does not fit, and vmalloc= does not size module
 * space. module(8M) lands at 0xbf26e000.
 */
Test(fit, seed_module_space_and_vmalloc_cannot_help)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_fit_result *r = fit(&x, MIB(12), VMS_FK_MODULE, 0, 1);
	cr_assert_not(r->fits);
	cr_assert_str_eq(x.m->regions.v[x.m->windows.v[r->window].region].name,
	                 "modules");
	cr_assert_eq(r->fail.holes[r->window].start, 0xbf26e000u);
	cr_assert_eq(r->fail.holes[r->window].size, 0xbfe00000u - 0xbf26e000u);
	cr_assert_eq(r->vm.status, VMS_FP_MODULES);
	cr_assert_not(r->vm.param[0].found);
	vms_fit_free(r);
	r = fit(&x, MIB(8), VMS_FK_MODULE, 0, 1);
	cr_assert(r->fits);
	assert_place(&r->placed.v[0], 0xbf26e000u, MIB(8) + KIB(4), 0xbf26e000u,
	             0xbfe00000u, VMS_FIT_LE);
	vms_fit_free(r);
	done(&x);
}

/* Placing works on copies: the model's trees are the same afterwards. */
Test(fit, model_is_not_changed)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	const struct vms_window *w = vms_aspace_vmalloc_window(x.m);
	uint64_t total = w->free.total, count = w->free.count;
	struct vms_fit_result *r = fit(&x, KIB(20), VMS_FK_VMALLOC, 0, 100);
	cr_assert(r->fits);
	cr_assert_eq(w->free.total, total);
	cr_assert_eq(w->free.count, count);
	char why[200];
	cr_assert_eq(vms_aspace_validate(x.m, why, sizeof(why)), 0, "%s", why);
	vms_fit_free(r);
	done(&x);
}

/* ---- the brute force ------------------------------------------------------------ */

/* The lowest aligned fit over a plain list of holes, updated by hand. */
struct plain {
	uint64_t s[512], e[512];
	size_t n;
};

static bool plain_place(struct plain *p, uint64_t size, uint64_t align, uint64_t *at)
{
	for (size_t i = 0; i < p->n; i++) {
		uint64_t a = (p->s[i] + align - 1) & ~(align - 1);
		if (a < p->e[i] && p->e[i] - a >= size) {
			*at = a;
			if (a + size < p->e[i] && a > p->s[i]) { /* split */
				memmove(&p->s[i + 1], &p->s[i],
				        (p->n - i) * sizeof(p->s[0]));
				memmove(&p->e[i + 1], &p->e[i],
				        (p->n - i) * sizeof(p->e[0]));
				p->n++;
				p->e[i] = a;
				p->s[i + 1] = a + size;
			} else if (a > p->s[i])
				p->e[i] = a;
			else if (a + size < p->e[i])
				p->s[i] = a + size;
			else {
				memmove(&p->s[i], &p->s[i + 1],
				        (p->n - i - 1) * sizeof(p->s[0]));
				memmove(&p->e[i], &p->e[i + 1],
				        (p->n - i - 1) * sizeof(p->e[0]));
				p->n--;
			}
			return true;
		}
	}
	return false;
}

/*
 * Seeded random requests (page to 2 MiB, page to 1 MiB alignment, K up to
 * 20) on the seed (first fit): every placement equals the brute-force
 * lowest aligned fit on the hole list, in the same sequence.
 */
Test(fit, placements_match_brute_force)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	const struct vms_window *w = vms_aspace_vmalloc_window(x.m);
	unsigned seed = 12345;
	for (int round = 0; round < 60; round++) {
		struct plain p = {.n = 0};
		for (uint32_t id = vms_free_first(&w->free); id;
		     id = vms_free_next(&w->free, id)) {
			cr_assert_lt(p.n, 500);
			p.s[p.n] = vms_free_hole(&w->free, id)->va_start;
			p.e[p.n++] = vms_free_hole(&w->free, id)->va_end;
		}
		seed = seed * 1103515245u + 12345u;
		uint64_t size = KIB(4) * (1 + (seed >> 8) % 512);
		seed = seed * 1103515245u + 12345u;
		uint64_t align = KIB(4) << ((seed >> 8) % 9);
		seed = seed * 1103515245u + 12345u;
		uint64_t count = 1 + (seed >> 8) % 20;
		struct vms_fit_result *r = fit(&x, size, VMS_FK_VMALLOC, align, count);
		for (uint64_t k = 0; k < count; k++) {
			uint64_t at = 0;
			bool ok = plain_place(&p, size + KIB(4), align, &at);
			cr_assert_eq(ok, k < r->placed.n, "round %d #%llu", round,
			             (unsigned long long)k);
			if (!ok)
				break;
			cr_assert_eq(r->placed.v[k].start, at, "round %d #%llu", round,
			             (unsigned long long)k);
		}
		vms_fit_free(r);
	}
	done(&x);
}

/* ---- failure lines ---------------------------------------------------------------- */

/*
 * tests/data/fit/granite2-boot-vmap-failed.txt: the seed's layout and two
 * incidents. "vmap allocation for size 125833216" (line 13) is 120 MiB +
 * the guard page from vmalloc() (no module frame): the vmalloc window,
 * no fit, vmalloc=369M on these <= 5.13 kernels (as above); line 14 is
 * its warn_alloc() line. Line 23, 12587008 = 12 MiB + 4 KiB from
 * module_alloc: module space, where vmalloc= cannot help.
 */
Test(fit, log_failures_of_the_arm32_fixture)
{
	struct loaded x = load(SEED, FAIL_LOG);
	struct vms_fit_result *r = NULL;
	cr_assert_eq(vms_fit_run(x.m, NULL, &r), 0);
	cr_assert_not(r->has_request);
	cr_assert_eq(r->logfails.n, 4);
	const struct vms_fit_logfail *a = &r->logfails.v[0], *b = &r->logfails.v[1];
	const struct vms_fit_logfail *c = &r->logfails.v[2], *d = &r->logfails.v[3];
	cr_assert_eq(a->f->line, 13);
	cr_assert_eq(a->target, VMS_RK_VMALLOC);
	cr_assert_null(a->frame);
	cr_assert_eq(a->request, MIB(120));
	cr_assert_eq(a->size, MIB(120) + KIB(4));
	cr_assert_not(a->fits_now);
	cr_assert_eq(a->largest.size, 0xf9800000u - 0xf29bb000u);
	cr_assert_eq(a->vm.status, VMS_FP_COMPUTED);
	cr_assert_eq(a->vm.param[VMS_VMALLOC_OLD].value, MIB(369));
	cr_assert_eq(a->vm.applies, VMS_VMALLOC_OLD, "the log says 4.4");
	cr_assert_eq(b->same_as, 0);
	cr_assert_eq(b->request, MIB(120), "warn_alloc prints the size without guard");
	/* the same question: answered once, the answer shared */
	cr_assert(b->vm_borrowed);
	cr_assert_not(a->vm_borrowed);
	cr_assert_eq(b->vm.param[VMS_VMALLOC_OLD].value, MIB(369));
	cr_assert_eq(b->vm.param[VMS_VMALLOC_OLD].placed.v,
	             a->vm.param[VMS_VMALLOC_OLD].placed.v);
	cr_assert_eq(c->target, VMS_RK_MODULES);
	cr_assert_str_eq(c->frame, "module_alloc");
	cr_assert_eq(c->request, MIB(12));
	cr_assert_not(c->fits_now);
	cr_assert_eq(c->vm.status, VMS_FP_MODULES);
	cr_assert_eq(d->same_as, 2);
	vms_fit_free(r);
	done(&x);
}

/*
 * The arm64 sample (6.2, 64 KiB pages): "vmap allocation for size 393216"
 * with module_alloc, move_module and layout_and_allocate in the trace is
 * module space; 393216 is 6 pages with the guard, so the request was
 * 327680 (5 pages), which warn_alloc's "vmalloc error: size 327680"
 * repeats. In the excerpt module space is free from 0xffff800000000000 to
 * the first module at 0xffff800001390000: it fits there now; the largest
 * hole runs from the last module's end 0xffff800001880000 to the end of
 * the 128 MiB window. The excerpt ends in "...": partial.
 */
Test(fit, log_failures_of_the_arm64_sample)
{
	struct loaded x = load(A64_DUMP, A64_LOG);
	struct vms_fit_result *r = NULL;
	cr_assert_eq(vms_fit_run(x.m, NULL, &r), 0);
	cr_assert(r->partial);
	cr_assert_eq(r->logfails.n, 2);
	const struct vms_fit_logfail *a = &r->logfails.v[0], *b = &r->logfails.v[1];
	cr_assert_eq(a->f->kind, VMS_FAIL_VMAP);
	cr_assert_eq(a->request, 327680u);
	cr_assert_eq(a->size, 393216u);
	cr_assert_eq(a->target, VMS_RK_MODULES);
	cr_assert_str_eq(a->frame, "module_alloc");
	cr_assert(a->fits_now);
	cr_assert_eq(a->place.start, 0xffff800000000000u);
	cr_assert_eq(a->place.hole_end, 0xffff800001390000u);
	cr_assert_eq(a->largest.start, 0xffff800001880000u);
	cr_assert_eq(a->largest.size, 0xffff800008000000u - 0xffff800001880000u);
	cr_assert_eq(a->largest_request, a->largest.size - KIB(64));
	cr_assert_eq(b->f->kind, VMS_FAIL_VMALLOC_ERROR);
	cr_assert_eq(b->request, 327680u);
	cr_assert_eq(b->same_as, 0);
	vms_fit_free(r);
	done(&x);
}

Test(fit, no_failures_in_the_seed_layout)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	struct vms_fit_result *r = NULL;
	cr_assert_eq(vms_fit_run(x.m, NULL, &r), 0);
	cr_assert_eq(r->logfails.n, 0);
	cr_assert_not(r->partial);
	vms_fit_free(r);
	done(&x);
}

/* ---- refusals ------------------------------------------------------------------------
 */

Test(fit, bad_requests_are_refused)
{
	struct loaded x = load(SEED, SEED_LAYOUT);
	static const struct vms_fit_request bad[] = {
	    {.size = 0, .count = 1},
	    {.size = 4096, .count = 0},
	    {.size = 4096, .count = 1, .align = KIB(12)},
	    {.size = 4096, .count = 1, .align = 2048},
	    {.size = UINT64_MAX - 4096, .count = 1},
	    {.size = 4096, .count = 1, .kind = VMS_NR_FIT_KINDS},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vms_fit_result *r = (struct vms_fit_result *)1;
		cr_assert_eq(vms_fit_run(x.m, &bad[i], &r), -VMS_EINVAL, "request %zu",
		             i);
		cr_assert_null(r);
	}
	done(&x);
}

Test(fit, hashed_dump_has_no_geometry)
{
	struct loaded x = load(HASHED, NULL);
	struct vms_fit_request q = {.size = 4096, .count = 1};
	struct vms_fit_result *r = NULL;
	cr_assert_eq(vms_fit_run(x.m, &q, &r), -VMS_ENODATA);
	cr_assert_null(r);
	cr_assert_not_null(vms_aspace_address_hint(x.m));
	done(&x);
}

/* ---- the era's search -------------------------------------------------------- */

/*
 * module_alloc(144K) takes 148 KiB with its guard page: the seed's module
 * holes below 0xbf26e000 are all smaller except 0xbf013000-0xbf038000,
 * exactly 148 KiB. 5.17+ search for 148 KiB (module_alloc passes a page,
 * not above a page): FL there. 5.2-5.16 search for 148 KiB + 4 KiB - 1
 * (any alignment above 1): that hole is too short for the search's length
 * and is not on its path, so the module lands in the 11.6 MiB hole at
 * 0xbf26e000. <= 5.1 (first fit, no adjustment) takes the exact hole too.
 */
Test(fit, module_passes_over_an_exact_hole_on_5_10_not_on_5_17)
{
	struct loaded n = load_era(SEED, SEED_LAYOUT, 5, 17);
	struct vms_fit_result *r = fit(&n, KIB(144), VMS_FK_MODULE, 0, 1);
	cr_assert_eq(r->search, VMS_FS_ADJUST_ALIGN);
	cr_assert_eq(r->asked, KIB(4), "module_alloc passes a page");
	cr_assert_not(r->adjusted);
	assert_place(&r->placed.v[0], 0xbf013000u, KIB(148), 0xbf013000u, 0xbf038000u,
	             VMS_FIT_FL);
	vms_fit_free(r);
	done(&n);

	struct loaded o = load_era(SEED, SEED_LAYOUT, 5, 10);
	r = fit(&o, KIB(144), VMS_FK_MODULE, 0, 1);
	cr_assert_eq(r->search, VMS_FS_ADJUST_ASKED);
	cr_assert(r->adjusted, "5.10 adds align - 1 for a page alignment too");
	assert_place(&r->placed.v[0], 0xbf26e000u, KIB(148), 0xbf26e000u, 0xbfe00000u,
	             VMS_FIT_LE);
	vms_fit_free(r);
	/* vmalloc() passes 1: no adjustment on 5.10 either */
	r = fit(&o, KIB(144), VMS_FK_VMALLOC, 0, 1);
	cr_assert_eq(r->asked, 1);
	cr_assert_not(r->adjusted);
	vms_fit_free(r);
	done(&o);

	struct loaded l = load(SEED, SEED_LAYOUT);
	r = fit(&l, KIB(144), VMS_FK_MODULE, 0, 1);
	cr_assert_eq(r->search, VMS_FS_FIRST_FIT);
	cr_assert_eq(r->placed.v[0].start, 0xbf013000u);
	vms_fit_free(r);
	done(&l);
}

/*
 * The largest request follows the search: a module that fails in the
 * seed's module space (12 MiB) leaves the 0xb92000-byte hole at
 * 0xbf26e000. 5.17: all of it but the guard page; 5.10: the search also
 * asks a page - 1 more, so a page less is sure to be found.
 */
Test(fit, largest_request_follows_the_era_search)
{
	struct loaded n = load_era(SEED, SEED_LAYOUT, 5, 17);
	struct vms_fit_result *r = fit(&n, MIB(12), VMS_FK_MODULE, 0, 1);
	cr_assert_not(r->fits);
	cr_assert_eq(r->fail.largest_request, 0xb92000u - KIB(4));
	vms_fit_free(r);
	done(&n);
	struct loaded o = load_era(SEED, SEED_LAYOUT, 5, 10);
	r = fit(&o, MIB(12), VMS_FK_MODULE, 0, 1);
	cr_assert_not(r->fits);
	cr_assert_eq(r->fail.largest_request, 0xb92000u - KIB(8));
	vms_fit_free(r);
	done(&o);
}

/* An era that does not tell (x86_64 vmalloc lines only): the 5.17+ search,
 * and the result says it was guessed. */
Test(fit, unknown_era_uses_the_5_17_search_and_says_so)
{
	struct loaded x = load("tests/data/fit/x86_64-no-era-markers.txt", NULL);
	struct vms_fit_result *r = fit(&x, KIB(4), VMS_FK_MODULE, 0, 1);
	cr_assert_eq(r->search, VMS_FS_ADJUST_ALIGN);
	cr_assert(r->search_guessed);
	cr_assert_not(r->legacy);
	vms_fit_free(r);
	done(&x);
}

/* ---- lazily freed areas ----------------------------------------------------------- */

/*
 * tests/data/fit/arm32-5.10-unpurged.txt: module space holds a module at
 * 0xbf000000-0xbf004000, a 16 KiB hole, an "unpurged vm_area" at
 * 0xbf008000-0xbf00c000 and a module up to the end. module_alloc(20K)
 * takes 24 KiB: no hole holds it, but the kernel purges the lazily freed
 * area and retries: 0xbf004000-0xbf00c000 (32 KiB) then holds it (LE).
 * A second one finds 8 KiB: no fit, even after the purge.
 */
Test(fit, lazily_freed_areas_are_purged_before_a_failure)
{
	struct loaded x = load(UNPURGED, NULL);
	struct vms_fit_result *r = fit(&x, KIB(20), VMS_FK_MODULE, 0, 1);
	cr_assert(r->fits);
	cr_assert_eq(r->lazy_areas, 1);
	cr_assert_eq(r->lazy_bytes, KIB(16));
	assert_place(&r->placed.v[0], 0xbf004000u, KIB(24), 0xbf004000u, 0xbf00c000u,
	             VMS_FIT_LE);
	cr_assert(r->placed.v[0].after_purge);
	vms_fit_free(r);

	r = fit(&x, KIB(20), VMS_FK_MODULE, 0, 2);
	cr_assert_not(r->fits);
	cr_assert_eq(r->fail.index, 1);
	cr_assert_eq(r->fail.holes[r->window].start, 0xbf00a000u, "the purged state");
	cr_assert_eq(r->fail.holes[r->window].size, KIB(8));
	vms_fit_free(r);

	/* one that fits without a purge does not purge */
	r = fit(&x, KIB(4), VMS_FK_MODULE, 0, 1);
	assert_place(&r->placed.v[0], 0xbf004000u, KIB(8), 0xbf004000u, 0xbf008000u,
	             VMS_FIT_LE);
	cr_assert_not(r->placed.v[0].after_purge);
	char why[200];
	cr_assert_eq(vms_aspace_validate(x.m, why, sizeof(why)), 0, "%s", why);
	vms_fit_free(r);
	done(&x);
}

/* ---- failure lines without a dump, and of an ioremap ---------------------------- */

/*
 * The arm64 failure log alone: no areas, so no geometry, but the lines are
 * still explained: module space (from the arch profile), the request
 * without its guard page; what fits now is not known. A request is
 * refused.
 */
Test(fit, failure_lines_without_a_dump)
{
	struct loaded x = load_log(A64_LOG);
	cr_assert_not(x.m->geometry);
	struct vms_fit_result *r = NULL;
	cr_assert_eq(vms_fit_run(x.m, NULL, &r), 0);
	cr_assert_eq(r->logfails.n, 2);
	const struct vms_fit_logfail *a = &r->logfails.v[0];
	cr_assert_eq(a->window, -1);
	cr_assert_geq(a->region, 0);
	cr_assert_eq(x.m->regions.v[a->region].kind, VMS_RK_MODULES);
	cr_assert_eq(a->target, VMS_RK_MODULES);
	cr_assert_eq(a->kind, VMS_FK_MODULE);
	cr_assert_eq(a->request, 327680u);
	cr_assert_not(a->fits_now);
	cr_assert_eq(r->logfails.v[1].same_as, 0);
	vms_fit_free(r);
	struct vms_fit_request q = {.size = 4096, .count = 1};
	r = (struct vms_fit_result *)1;
	cr_assert_eq(vms_fit_run(x.m, &q, &r), -VMS_ENODATA);
	cr_assert_null(r);
	done(&x);
}

/* A log with no failure lines and no dump: nothing to answer. */
Test(fit, nothing_to_explain_without_a_dump)
{
	struct loaded x = load_log(SEED_LAYOUT);
	struct vms_fit_result *r = (struct vms_fit_result *)1;
	cr_assert_eq(vms_fit_run(x.m, NULL, &r), -VMS_ENODATA);
	cr_assert_null(r);
	done(&x);
}

/*
 * tests/data/fit/granite2-ioremap-failed.txt: "vmap allocation for size
 * 67112960" (64 MiB + the guard page) with __arm_ioremap_pfn_caller in
 * the trace: an ioremap of 64 MiB, aligned to 16 MiB (IOREMAP_MAX_ORDER
 * 24). In the seed it would land at ALIGN(0xf29bb000, 16M) = 0xf3000000,
 * not at the hole's start where a vmalloc() of that size goes.
 */
Test(fit, ioremap_in_a_call_trace_is_aligned)
{
	struct loaded x = load(SEED, IOREMAP_LOG);
	struct vms_fit_result *r = NULL;
	cr_assert_eq(vms_fit_run(x.m, NULL, &r), 0);
	cr_assert_eq(r->logfails.n, 1);
	const struct vms_fit_logfail *a = &r->logfails.v[0];
	cr_assert_eq(a->kind, VMS_FK_IOREMAP);
	cr_assert_str_eq(a->frame, "__arm_ioremap_pfn_caller");
	cr_assert_eq(a->target, VMS_RK_VMALLOC);
	cr_assert_eq(a->request, MIB(64));
	cr_assert_eq(a->align, MIB(16));
	cr_assert(a->fits_now);
	assert_place(&a->place, 0xf3000000u, MIB(64) + KIB(4), 0xf29bb000u, 0xf9800000u,
	             VMS_FIT_NE);
	vms_fit_free(r);
	done(&x);
}

Test(fit, names)
{
	cr_assert_str_eq(vms_fit_kind_name(VMS_FK_IOREMAP), "ioremap");
	cr_assert_str_eq(vms_fit_kind_name(VMS_FK_MODULE), "module");
	cr_assert_str_eq(vms_fit_param_status_name(VMS_FP_MODULES), "modules");
	cr_assert_str_eq(vms_fit_kind_name((enum vms_fit_kind)99), "?");
	cr_assert_str_eq(vms_fit_search_name(VMS_FS_ADJUST_ASKED), "lowest-fit-5.2");
	cr_assert_str_eq(vms_fit_search_name((enum vms_fit_search)9), "?");
}
