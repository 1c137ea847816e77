/*
 * test_profile.c — the arch profile table (src/model/profile.c) and the
 * vmalloc= recomputation (src/model/profile_arm32.c): the table's own
 * invariants on every row, the lookups by name, family and era, the --help
 * lines, the arm32 vmalloc= arithmetic in both kernel semantics with its
 * clamps, the x86_32 rule, and the layouts of the boot logs in samples/
 * reproduced from what each log says of the machine (the numbers were read
 * off the logs by hand; no file is opened here).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/common.h"
#include "vmscope/profile.h"

#define MIB(n) ((uint64_t)(n) << 20)
#define KIB(n) ((uint64_t)(n) << 10)

static bool same_name(const struct vms_profile *a, const struct vms_profile *b)
{
	return strcmp(a->name, b->name) == 0;
}

static long lo_of(const struct vms_profile *p)
{
	return p->min_major * 1000000L + p->min_minor * 1000L + p->min_patch;
}

static long hi_of(const struct vms_profile *p)
{
	if (!p->max_major)
		return 999000000L;
	return p->max_major * 1000000L + p->max_minor * 1000L +
	       (p->max_patch ? p->max_patch : 999);
}

static const struct vms_profile *era(const char *name, int major, int minor)
{
	const struct vms_profile *p = vms_profile_era(name, major, minor, -1);
	cr_assert_not_null(p, "no row %s for %d.%d", name, major, minor);
	return p;
}

static const struct vms_profile_region *region(const struct vms_profile *p, unsigned kind)
{
	const struct vms_profile_region *r = vms_profile_find(p, kind);
	cr_assert_not_null(r, "%s has no region of kind %u", p->name, kind);
	return r;
}

/* ---- the table's invariants ---------------------------------------------- */

Test(profile, every_row_has_ascending_disjoint_regions_and_one_vmalloc)
{
	cr_assert_gt(vms_nr_profiles, 50);
	for (size_t i = 0; i < vms_nr_profiles; i++) {
		const struct vms_profile *p = &vms_profiles[i];
		size_t nvm = 0, nlow = 0;
		cr_assert_gt(p->nr_regions, 0, "%s", p->name);
		for (size_t j = 0; j < p->nr_regions; j++) {
			const struct vms_profile_region *r = &p->regions[j];
			cr_assert_lt(r->start, r->end, "%s %s", p->name, r->name);
			cr_assert_lt(r->kind, VMS_NR_REGION_KINDS, "%s %s", p->name,
			             r->name);
			if (j)
				cr_assert_leq(p->regions[j - 1].end, r->start,
				              "%s: %s overlaps or precedes %s", p->name,
				              r->name, p->regions[j - 1].name);
			if (p->addr_bits == 32)
				cr_assert_leq(r->end, 1ull << 32, "%s %s", p->name,
				              r->name);
			nvm += r->kind == VMS_RK_VMALLOC;
			nlow += r->kind == VMS_RK_LOWMEM;
			cr_assert(!r->start_from_lowmem || r->kind == VMS_RK_VMALLOC);
		}
		cr_assert_eq(nvm, 1, "%s has %zu vmalloc regions", p->name, nvm);
		cr_assert_eq(nlow, 1, "%s has %zu lowmem regions", p->name, nlow);
	}
}

Test(profile, page_sizes_are_powers_of_two_and_ioremap_orders_sane)
{
	for (size_t i = 0; i < vms_nr_profiles; i++) {
		const struct vms_profile *p = &vms_profiles[i];
		cr_assert(p->addr_bits == 32 || p->addr_bits == 64, "%s", p->name);
		cr_assert(p->page_size >= 4096 &&
		              (p->page_size & (p->page_size - 1)) == 0,
		          "%s page size %llu", p->name, (unsigned long long)p->page_size);
		unsigned shift = (unsigned)__builtin_ctzll(p->page_size);
		cr_assert_leq(p->ioremap_max_order_lo, p->ioremap_max_order_hi, "%s",
		              p->name);
		cr_assert_geq(p->ioremap_max_order_lo, shift, "%s", p->name);
		cr_assert_leq(p->ioremap_max_order_hi, 30, "%s", p->name);
		/* PAGE_OFFSET is where the linear map starts */
		cr_assert_eq(p->page_offset, region(p, VMS_RK_LOWMEM)->start, "%s",
		             p->name);
	}
}

Test(profile, eras_of_one_name_are_adjacent_rows_that_do_not_overlap)
{
	for (size_t i = 0; i < vms_nr_profiles; i++) {
		const struct vms_profile *p = &vms_profiles[i];
		cr_assert_leq(lo_of(p), hi_of(p), "%s", p->name);
		for (size_t j = i + 1; j < vms_nr_profiles; j++) {
			const struct vms_profile *q = &vms_profiles[j];
			if (!same_name(p, q))
				continue;
			cr_assert(same_name(&vms_profiles[j - 1], q),
			          "rows of %s are not adjacent", p->name);
			cr_assert_str_eq(p->family, q->family);
			cr_assert(hi_of(p) < lo_of(q) || hi_of(q) < lo_of(p),
			          "%s: eras of rows %zu and %zu overlap", p->name, i, j);
		}
	}
}

Test(profile, every_family_has_a_row_named_like_it)
{
	static const char *const families[] = {"arm32",   "arm64",   "x86_32", "x86_64",
	                                       "riscv32", "riscv64", "ppc32",  "sh"};
	for (size_t i = 0; i < sizeof(families) / sizeof(*families); i++) {
		const struct vms_profile *p = vms_profile_by_name(families[i]);
		cr_assert_not_null(p, "no default row for %s", families[i]);
		cr_assert_str_eq(p->family, families[i]);
	}
	for (size_t i = 0; i < vms_nr_profiles; i++) {
		const struct vms_profile *d = vms_profile_by_name(vms_profiles[i].family);
		cr_assert_not_null(d, "family %s has no default", vms_profiles[i].family);
		cr_assert_eq(d->addr_bits, vms_profiles[i].addr_bits, "%s",
		             vms_profiles[i].name);
	}
}

Test(profile, vmalloc_param_only_on_arm32_and_x86_32)
{
	for (size_t i = 0; i < vms_nr_profiles; i++) {
		const struct vms_profile *p = &vms_profiles[i];
		bool want = !strcmp(p->family, "arm32") || !strcmp(p->family, "x86_32");
		cr_assert_eq(p->vmalloc_param, want, "%s", p->name);
		cr_assert_eq(p->vmalloc_default != 0, want, "%s", p->name);
		cr_assert_eq(region(p, VMS_RK_VMALLOC)->start_from_lowmem,
		             want || !strcmp(p->family, "ppc32"), "%s", p->name);
	}
}

/* ---- lookups ------------------------------------------------------------- */

Test(profile, by_name_gives_the_newest_era_or_null)
{
	const struct vms_profile *p = vms_profile_by_name("arm32");
	cr_assert_not_null(p);
	cr_assert_eq(p->min_major, 5);
	cr_assert_eq(p->min_minor, 11);
	cr_assert_eq(p->max_major, 0);
	p = vms_profile_by_name("arm64");
	cr_assert_eq(p->min_major * 100 + p->min_minor, 609);
	cr_assert_eq(vms_profile_by_name("arm64-48-16k")->page_size, KIB(16));
	cr_assert_eq(vms_profile_by_name("arm64-52-64k")->page_size, KIB(64));
	cr_assert_null(vms_profile_by_name("arm"));
	cr_assert_null(vms_profile_by_name("ARM32"));
	cr_assert_null(vms_profile_by_name(""));
	cr_assert_null(vms_profile_by_name(NULL));
}

Test(profile, for_picks_the_era_of_the_kernel)
{
	/* arm32: VMALLOC_END 0xff000000 up to 4.3, 0xff800000 from 4.4 */
	const struct vms_profile *p = vms_profile_for("arm32", 4, 3, 32);
	cr_assert_eq(region(p, VMS_RK_VMALLOC)->end, 0xff000000);
	p = vms_profile_for("arm32", 4, 4, 0);
	cr_assert_eq(region(p, VMS_RK_VMALLOC)->end, 0xff800000);
	p = vms_profile_for("arm32", 3, 14, 32);
	cr_assert_eq(region(p, VMS_RK_FIXMAP)->start, 0xfff00000);
	cr_assert_eq(p->ioremap_max_order_hi, 24);
	cr_assert_eq(p->ioremap_max_order_lo, 24);
	p = vms_profile_for("arm32", 4, 19, 32);
	cr_assert_eq(p->ioremap_max_order_lo, 19);
	cr_assert_eq(p->ioremap_max_order_hi, 24);
	cr_assert_eq(vms_profile_era("arm32-lpae", 4, 19, -1)->ioremap_max_order_hi, 19);
	/* arm64: the BPF JIT region went away in 5.16 */
	cr_assert_not_null(
	    vms_profile_find(vms_profile_for("arm64", 5, 15, 64), VMS_RK_OTHER));
	cr_assert_null(
	    vms_profile_find(vms_profile_for("arm64", 5, 16, 64), VMS_RK_OTHER));
	/* a kernel before the first era gets the first era */
	p = vms_profile_for("arm64", 3, 18, 64);
	cr_assert_eq(p->min_major * 100 + p->min_minor, 406);
	/* unknown kernel: newest */
	cr_assert_eq(vms_profile_for("x86_64", 0, 0, 64), vms_profile_by_name("x86_64"));
	/* word size and family must match */
	cr_assert_null(vms_profile_for("x86_64", 5, 10, 32));
	cr_assert_null(vms_profile_for("arm64-39", 5, 10, 64));
	cr_assert_null(vms_profile_for("mips", 5, 10, 32));
	cr_assert_null(vms_profile_for(NULL, 5, 10, 32));
}

Test(profile, patch_level_splits_the_2_6_eras)
{
	/* x86_64 moved vmalloc from 0xffffc2... to 0xffffc9... in 2.6.31 */
	const struct vms_profile *p = vms_profile_era("x86_64", 2, 6, 25);
	cr_assert_eq(region(p, VMS_RK_VMALLOC)->start, 0xffffc20000000000);
	p = vms_profile_era("x86_64", 2, 6, 31);
	cr_assert_eq(region(p, VMS_RK_VMALLOC)->start, 0xffffc90000000000);
	/* patch unknown: the newest era of 2.6 */
	p = vms_profile_for("x86_64", 2, 6, 64);
	cr_assert_eq(region(p, VMS_RK_VMALLOC)->start, 0xffffc90000000000);
	/* x86_32 rounded VMALLOC_START up to 8 MiB before 2.6.27 */
	cr_assert_eq(vms_profile_era("x86_32", 2, 6, 26)->vstart_rule,
	             VMS_VSTART_ROUNDUP_8M);
	cr_assert_eq(vms_profile_era("x86_32", 2, 6, 27)->vstart_rule,
	             VMS_VSTART_PLUS_8M);
}

Test(profile, help_lists_every_name_once)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	cr_assert_not_null(fp);
	vms_profile_help(fp);
	fclose(fp);
	char *all = malloc(len + 2); /* with a newline before the first line */
	cr_assert_not_null(all);
	all[0] = '\n';
	memcpy(all + 1, buf, len + 1);
	size_t names = 0;
	for (size_t i = 0; i < vms_nr_profiles; i++) {
		if (i && same_name(&vms_profiles[i - 1], &vms_profiles[i]))
			continue;
		names++;
		char want[64];
		snprintf(want, sizeof(want), "\n  %s ", vms_profiles[i].name);
		char *hit = strstr(all, want);
		cr_assert_not_null(hit, "help lacks %s", vms_profiles[i].name);
		cr_assert_null(strstr(hit + 1, want), "%s listed twice",
		               vms_profiles[i].name);
		/* the line ends with the newest era's summary */
		const char *sum = vms_profile_by_name(vms_profiles[i].name)->summary;
		char *eol = strchr(hit + 1, '\n');
		cr_assert(eol && (size_t)(eol - hit) > strlen(sum) &&
		              strncmp(eol - strlen(sum), sum, strlen(sum)) == 0,
		          "%s: summary", vms_profiles[i].name);
	}
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	cr_assert_eq(lines, names);
	cr_assert_geq(names, 20);
	free(all);
	free(buf);
}

/* ---- the vmalloc= arithmetic ---------------------------------------------- */

Test(profile, semantics_switch_at_5_14)
{
	cr_assert_eq(vms_vmalloc_semantics_of(5, 13), VMS_VMALLOC_OLD);
	cr_assert_eq(vms_vmalloc_semantics_of(5, 14), VMS_VMALLOC_NEW);
	cr_assert_eq(vms_vmalloc_semantics_of(4, 19), VMS_VMALLOC_OLD);
	cr_assert_eq(vms_vmalloc_semantics_of(2, 6), VMS_VMALLOC_OLD);
	cr_assert_eq(vms_vmalloc_semantics_of(6, 1), VMS_VMALLOC_NEW);
	cr_assert_eq(vms_vmalloc_semantics_of(0, 0), VMS_VMALLOC_NEW);
}

Test(profile, vstart_rules)
{
	cr_assert_eq(vms_vstart_of(VMS_VSTART_ROUND_8M, 0xec400000), 0xec800000);
	cr_assert_eq(vms_vstart_of(VMS_VSTART_ROUND_8M, 0xef800000), 0xf0000000);
	cr_assert_eq(vms_vstart_of(VMS_VSTART_ROUND_8M, 0xc2800000), 0xc3000000);
	cr_assert_eq(vms_vstart_of(VMS_VSTART_PLUS_8M, 0xf75fe000), 0xf7dfe000);
	cr_assert_eq(vms_vstart_of(VMS_VSTART_ROUNDUP_8M, 0xf75fe000), 0xf8000000);
	cr_assert_eq(vms_vstart_of(VMS_VSTART_ROUNDUP_8M, 0xf7800000), 0xf8000000);
	cr_assert_eq(vms_vstart_of(VMS_VSTART_ROUND_16M, 0xf0000000), 0xf1000000);
	cr_assert_eq(vms_vstart_of(VMS_VSTART_ROUND_16M, 0xe8ff0000), 0xe9000000);
	cr_assert_eq(vms_vstart_of(VMS_VSTART_FIXED, 1234), 1234);
}

/* vmalloc=300M on a 3G/1G split in the four combinations of docs/kernel.md
 * §7.2: semantics x VMALLOC_END. */
Test(profile, vmalloc_300m_worked_example_in_both_semantics)
{
	static const struct {
		int major, minor; /* picks VMALLOC_END */
		enum vms_vmalloc_semantics sem;
		uint64_t lowmem_end, vstart, vend, mib;
	} cases[] = {
	    {3, 14, VMS_VMALLOC_OLD, 0xec400000, 0xec800000, 0xff000000, 296},
	    {4, 4, VMS_VMALLOC_OLD, 0xecc00000, 0xed000000, 0xff800000, 296},
	    {5, 15, VMS_VMALLOC_NEW, 0xec400000, 0xec800000, 0xff800000, 304},
	    {3, 14, VMS_VMALLOC_NEW, 0xebc00000, 0xec000000, 0xff000000, 304},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct vms_vmalloc_calc k;
		const struct vms_profile *p =
		    era("arm32", cases[i].major, cases[i].minor);
		cr_assert_eq(vms_vmalloc_compute(p, cases[i].sem, true, MIB(300), 0, &k),
		             0);
		cr_assert_eq(k.requested, MIB(300));
		cr_assert_eq(k.effective, MIB(300));
		cr_assert_eq(k.clamped, 0);
		cr_assert(!k.ram_limited);
		cr_assert_eq(k.lowmem_end, cases[i].lowmem_end, "case %zu: %llx", i,
		             (unsigned long long)k.lowmem_end);
		cr_assert_eq(k.vmalloc_start, cases[i].vstart, "case %zu", i);
		cr_assert_eq(k.vmalloc_end, cases[i].vend, "case %zu", i);
		cr_assert_eq(k.vmalloc_end - k.vmalloc_start, MIB(cases[i].mib),
		             "case %zu", i);
	}
}

Test(profile, default_gives_exactly_240_mib_in_both_semantics)
{
	for (int sem = VMS_VMALLOC_OLD; sem <= VMS_VMALLOC_NEW; sem++)
		for (size_t i = 0; i < vms_nr_profiles; i++) {
			const struct vms_profile *p = &vms_profiles[i];
			struct vms_vmalloc_calc k;
			if (strcmp(p->family, "arm32"))
				continue;
			cr_assert_eq(vms_vmalloc_compute(p, sem, false, 0, 0, &k), 0);
			cr_assert_eq(k.requested, MIB(240));
			cr_assert_eq(k.clamped, 0);
			cr_assert_eq(k.vmalloc_end - k.vmalloc_start, MIB(240), "%s",
			             p->name);
			cr_assert_eq(k.lowmem_end, k.vmalloc_end - MIB(248));
			/* and the table says the same */
			cr_assert_eq(region(p, VMS_RK_VMALLOC)->start, k.vmalloc_start);
			cr_assert_eq(region(p, VMS_RK_LOWMEM)->end, k.lowmem_end);
		}
}

Test(profile, too_small_is_raised_to_16_mib_and_too_big_cut)
{
	struct vms_vmalloc_calc k;
	const struct vms_profile *old = era("arm32", 3, 14), *neu = era("arm32", 5, 15);
	cr_assert_eq(vms_vmalloc_compute(old, VMS_VMALLOC_OLD, true, MIB(1), 0, &k), 0);
	cr_assert_eq(k.clamped, -1);
	cr_assert_eq(k.effective, MIB(16));
	cr_assert_eq(k.clamp_limit, MIB(16));
	cr_assert_eq(k.lowmem_end, 0xff000000 - MIB(16));
	cr_assert_eq(k.vmalloc_start, 0xfe800000); /* old code: 16 MiB gives 8 MiB */
	cr_assert_eq(vms_vmalloc_compute(neu, VMS_VMALLOC_NEW, true, MIB(1), 0, &k), 0);
	cr_assert_eq(k.clamped, -1);
	cr_assert_eq(k.vmalloc_end - k.vmalloc_start, MIB(16));
	/* old cut: VMALLOC_END - (PAGE_OFFSET + 32M) = 976 MiB */
	cr_assert_eq(vms_vmalloc_compute(old, VMS_VMALLOC_OLD, true, MIB(2000), 0, &k),
	             0);
	cr_assert_eq(k.clamped, 1);
	cr_assert_eq(k.clamp_limit, MIB(976));
	cr_assert_eq(k.effective, MIB(976));
	cr_assert_eq(k.lowmem_end, 0xc2000000);
	/* new cut: VMALLOC_END - (PAGE_OFFSET + 32M + 8M) */
	cr_assert_eq(vms_vmalloc_compute(neu, VMS_VMALLOC_NEW, true, MIB(2000), 0, &k),
	             0);
	cr_assert_eq(k.clamped, 1);
	cr_assert_eq(k.clamp_limit, 0xff800000 - 0xc2800000);
	cr_assert_eq(k.lowmem_end, 0xc2000000);
	cr_assert_eq(vms_vmalloc_compute(old, VMS_VMALLOC_NEW, true, MIB(2000), 0, &k),
	             0);
	cr_assert_eq(k.clamp_limit, MIB(968));
	/* at the limits nothing is clamped */
	cr_assert_eq(vms_vmalloc_compute(old, VMS_VMALLOC_OLD, true, MIB(16), 0, &k), 0);
	cr_assert_eq(k.clamped, 0);
	cr_assert_eq(vms_vmalloc_compute(old, VMS_VMALLOC_OLD, true, MIB(976), 0, &k), 0);
	cr_assert_eq(k.clamped, 0);
}

/* The rule of docs/kernel.md §7.2 for every R from 16 to 900 MiB: old code
 * rounds R down to 8 MiB (a multiple loses 8 MiB), new code rounds it up. */
Test(profile, old_rounds_down_new_rounds_up_for_every_size)
{
	const struct vms_profile *p = era("arm32", 4, 19);
	for (uint64_t r = MIB(16); r <= MIB(900); r += KIB(256)) {
		struct vms_vmalloc_calc k;
		uint64_t rem = r % MIB(8);
		cr_assert_eq(vms_vmalloc_compute(p, VMS_VMALLOC_OLD, true, r, 0, &k), 0);
		cr_assert_eq(k.vmalloc_end - k.vmalloc_start, rem ? r - rem : r - MIB(8),
		             "old %llu", (unsigned long long)r);
		cr_assert_eq(vms_vmalloc_compute(p, VMS_VMALLOC_NEW, true, r, 0, &k), 0);
		cr_assert_eq(k.vmalloc_end - k.vmalloc_start, rem ? r - rem + MIB(8) : r,
		             "new %llu", (unsigned long long)r);
		cr_assert_eq(k.lowmem_end, 0xff800000 - r - MIB(8));
	}
}

Test(profile, small_ram_ends_lowmem_below_the_limit)
{
	struct vms_vmalloc_calc k;
	const struct vms_profile *p = era("arm32", 4, 9);
	cr_assert_eq(
	    vms_vmalloc_compute(p, VMS_VMALLOC_OLD, true, MIB(300), MIB(128), &k), 0);
	cr_assert(k.ram_limited);
	cr_assert_eq(k.lowmem_end, 0xc8000000);
	cr_assert_eq(k.vmalloc_start, 0xc8800000);
	/* RAM exactly at the limit is not "limited" */
	cr_assert_eq(
	    vms_vmalloc_compute(p, VMS_VMALLOC_OLD, false, 0, MIB(760) + MIB(8), &k), 0);
	cr_assert(!k.ram_limited);
	cr_assert_eq(k.lowmem_end, 0xf0000000);
	/* RAM beyond 4 GiB on a 32-bit profile is just enough RAM */
	cr_assert_eq(vms_vmalloc_compute(p, VMS_VMALLOC_NEW, false, 0, 1ull << 33, &k),
	             0);
	cr_assert(!k.ram_limited);
}

Test(profile, compute_refuses_profiles_without_vmalloc_param)
{
	struct vms_vmalloc_calc k;
	cr_assert_eq(vms_vmalloc_compute(vms_profile_by_name("arm64"), VMS_VMALLOC_NEW,
	                                 true, MIB(384), 0, &k),
	             -VMS_EINVAL);
	cr_assert_eq(vms_vmalloc_compute(vms_profile_by_name("ppc32"), VMS_VMALLOC_NEW,
	                                 false, 0, 0, &k),
	             -VMS_EINVAL);
	cr_assert_eq(vms_vmalloc_compute(NULL, VMS_VMALLOC_NEW, false, 0, 0, &k),
	             -VMS_EINVAL);
}

/* x86_32: __VMALLOC_RESERVE = vmalloc= + 8 MiB (2.6.27+), 128 MiB default;
 * lowmem ends at VMALLOC_END - reserve; VMALLOC_START = lowmem end + 8 MiB.
 * The default case is the 4.15+ PAE layout of docs/kernel.md §6.2. */
Test(profile, x86_32_vmalloc_adds_8_mib_to_the_reserve)
{
	struct vms_vmalloc_calc k;
	const struct vms_profile *pae = era("x86_32-pae", 4, 15);
	cr_assert_eq(vms_vmalloc_compute(pae, VMS_VMALLOC_NEW, false, 0, 0, &k), 0);
	cr_assert_eq(k.vmalloc_end, 0xff5fe000);
	cr_assert_eq(k.lowmem_end, 0xf75fe000);
	cr_assert_eq(k.vmalloc_start, 0xf7dfe000);
	cr_assert_eq(k.vmalloc_end - k.vmalloc_start, MIB(120));
	cr_assert_eq(vms_vmalloc_compute(pae, VMS_VMALLOC_OLD, true, MIB(256), 0, &k), 0);
	cr_assert_eq(k.lowmem_end, 0xff5fe000 - MIB(264));
	cr_assert_eq(k.vmalloc_end - k.vmalloc_start, MIB(256));
	cr_assert_eq(k.clamped, 0);
	/* before 2.6.27: no +8 MiB, start rounded up to 8 MiB */
	const struct vms_profile *old = vms_profile_era("x86_32-pae", 2, 6, 20);
	cr_assert_eq(vms_vmalloc_compute(old, VMS_VMALLOC_OLD, true, MIB(256), 0, &k), 0);
	cr_assert_eq(k.lowmem_end, 0xff9fe000 - MIB(256));
	cr_assert_eq(k.vmalloc_start, 0xf0800000);
	/* a reserve larger than the space leaves no lowmem */
	cr_assert_eq(vms_vmalloc_compute(pae, VMS_VMALLOC_OLD, true, 1ull << 32, 0, &k),
	             0);
	cr_assert_eq(k.clamped, 1);
	cr_assert_eq(k.lowmem_end, 0xc0000000);
	/* the Xen 2.6.32 log: 760 MiB of RAM, vmalloc from 0xf0000000 */
	cr_assert_eq(vms_vmalloc_compute(vms_profile_era("x86_32-pae", 2, 6, 32),
	                                 VMS_VMALLOC_OLD, false, 0, MIB(760), &k),
	             0);
	cr_assert(k.ram_limited);
	cr_assert_eq(k.lowmem_end, 0xef800000);
	cr_assert_eq(k.vmalloc_start, 0xf0000000);
}

/* ---- regions for a machine ----------------------------------------------- */

static const struct vms_region *find_out(const struct vms_region *v, size_t n,
                                         const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

Test(profile, regions_without_facts_are_bounds)
{
	struct vms_region out[16];
	const struct vms_profile *p = era("arm32", 4, 9);
	size_t n = vms_profile_regions(p, NULL, out, 16);
	cr_assert_eq(n, p->nr_regions);
	const struct vms_region *vm = find_out(out, n, "vmalloc");
	const struct vms_region *lm = find_out(out, n, "lowmem");
	cr_assert_eq(vm->start, 0xc0800000); /* widest: PAGE_OFFSET + 8 MiB */
	cr_assert_eq(vm->end, 0xff800000);
	cr_assert_eq(lm->end, 0xf0000000); /* largest lowmem */
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(out[i].source, VMS_RS_PROFILE);
		cr_assert_null(out[i].file);
		cr_assert_eq(out[i].line, 0);
		cr_assert(!out[i].has_printed);
	}
	/* ppc32: PAGE_OFFSET + 16 MiB */
	p = vms_profile_by_name("ppc32");
	n = vms_profile_regions(p, NULL, out, 16);
	cr_assert_eq(find_out(out, n, "vmalloc")->start, 0xc1000000);
}

Test(profile, regions_past_cap_are_counted_not_written)
{
	struct vms_region out[3];
	memset(out, 0x5a, sizeof(out));
	const struct vms_profile *p = vms_profile_by_name("arm32");
	cr_assert_eq(vms_profile_regions(p, NULL, NULL, 0), p->nr_regions);
	cr_assert_eq(vms_profile_regions(p, NULL, out, 2), p->nr_regions);
	cr_assert_str_eq(out[0].name, "modules");
	cr_assert_str_eq(out[1].name, "pkmap");
	cr_assert_eq(out[2].start, 0x5a5a5a5a5a5a5a5aull);
	cr_assert_eq(vms_profile_regions(NULL, NULL, out, 3), 0);
}

Test(profile, regions_follow_the_kernels_semantics)
{
	struct vms_region out[16];
	const struct vms_profile *p = era("arm32", 5, 15); /* VMALLOC_END 0xff800000 */
	struct vms_machine m = {.kernel_major = 5,
	                        .kernel_minor = 15,
	                        .has_vmalloc = true,
	                        .vmalloc = MIB(300)};
	size_t n = vms_profile_regions(p, &m, out, 16);
	cr_assert_eq(find_out(out, n, "vmalloc")->start, 0xec800000); /* 304 MiB */
	cr_assert_eq(find_out(out, n, "lowmem")->end, 0xec400000);
	m.kernel_minor = 13;
	n = vms_profile_regions(p, &m, out, 16);
	cr_assert_eq(find_out(out, n, "vmalloc")->start, 0xed000000); /* 296 MiB */
	/* kernel unknown: the semantics of the row's era */
	m.kernel_major = m.kernel_minor = 0;
	n = vms_profile_regions(era("arm32", 4, 9), &m, out, 16);
	cr_assert_eq(find_out(out, n, "vmalloc")->start, 0xed000000);
	/* a known lowmem end wins over everything */
	m.lowmem_end = 0xd0000000;
	n = vms_profile_regions(p, &m, out, 16);
	cr_assert_eq(find_out(out, n, "vmalloc")->start, 0xd0800000);
	cr_assert_eq(find_out(out, n, "lowmem")->end, 0xd0000000);
}

/* What a boot log in samples/ tells, and the layout it prints. */
struct sample {
	const char *file; /* samples/ file the numbers were read from */
	const char *profile;
	int major, minor;
	uint64_t ram, vmalloc, lowmem_end; /* 0: not known */
	struct {
		const char *name;
		uint64_t start, end;
	} want[7];
};

static const struct sample samples[] = {
    {"arm32-marvell-granite2-bootargs-vmalloc300m-layout.txt (3.x, 2 MiB fixmap)",
     "arm32",
     3,
     16,
     0,
     MIB(300),
     0,
     {{"vector", 0xffff0000, 0xffff1000},
      {"fixmap", 0xffc00000, 0xffe00000},
      {"vmalloc", 0xec800000, 0xff000000},
      {"lowmem", 0xc0000000, 0xec400000},
      {"pkmap", 0xbfe00000, 0xc0000000},
      {"modules", 0xbf000000, 0xbfe00000}}},
    {"arm32-marvell-granite2-boot-layout-240m.txt (default vmalloc=, RAM past the limit)",
     "arm32",
     3,
     16,
     MIB(1024),
     0,
     0,
     {{"fixmap", 0xffc00000, 0xffe00000},
      {"vmalloc", 0xf0000000, 0xff000000},
      {"lowmem", 0xc0000000, 0xef800000},
      {"pkmap", 0xbfe00000, 0xc0000000},
      {"modules", 0xbf000000, 0xbfe00000}}},
    {"arm32-rpi3-bcm2709-4.4 (VMSPLIT_2G, no HIGHMEM, Memory: .../966656K = 944 MiB)",
     "arm32-2g2g-nohighmem",
     4,
     4,
     KIB(966656),
     0,
     0,
     {{"vector", 0xffff0000, 0xffff1000},
      {"fixmap", 0xffc00000, 0xfff00000},
      {"vmalloc", 0xbb800000, 0xff800000},
      {"lowmem", 0x80000000, 0xbb000000},
      {"modules", 0x7f000000, 0x80000000}}},
    {"arm32-strongarm-sa1110-jornada720-4.9.210 (mem=128m)",
     "arm32-nohighmem",
     4,
     9,
     MIB(128),
     0,
     0,
     {{"vector", 0xffff0000, 0xffff1000},
      {"fixmap", 0xffc00000, 0xfff00000},
      {"vmalloc", 0xc8800000, 0xff800000},
      {"lowmem", 0xc0000000, 0xc8000000},
      {"modules", 0xbf000000, 0xc0000000}}},
    {"arm32-anyka-ak39-camera 3.4.35 (Memory: 40MB)",
     "arm32-nohighmem",
     3,
     4,
     MIB(40),
     0,
     0,
     {{"vector", 0xffff0000, 0xffff1000},
      {"fixmap", 0xfff00000, 0xfffe0000},
      {"vmalloc", 0xc3000000, 0xff000000},
      {"lowmem", 0xc0000000, 0xc2800000},
      {"modules", 0xbf000000, 0xc0000000}}},
    {"arm32-vmsplit2g-5.4.24 (RAM spans 1008 MiB; Memory: counts 901 MiB)",
     "arm32-2g2g",
     5,
     4,
     MIB(1008),
     0,
     0,
     {{"fixmap", 0xffc00000, 0xfff00000},
      {"vmalloc", 0xbf800000, 0xff800000},
      {"lowmem", 0x80000000, 0xbf000000},
      {"pkmap", 0x7fe00000, 0x80000000},
      {"modules", 0x7f000000, 0x7fe00000}}},
    {"arm32-allwinner-h3-sun8i-3.4.113 (Memory: 512MB)",
     "arm32",
     3,
     4,
     MIB(512),
     0,
     0,
     {{"fixmap", 0xfff00000, 0xfffe0000},
      {"vmalloc", 0xe0800000, 0xff000000},
      {"lowmem", 0xc0000000, 0xe0000000},
      {"pkmap", 0xbfe00000, 0xc0000000},
      {"modules", 0xbf000000, 0xbfe00000}}},
    {"arm32-amlogic-s805-odroid-c1plus-3.10.107 (827 MB, highmem)",
     "arm32",
     3,
     10,
     MIB(827),
     0,
     0,
     {{"fixmap", 0xfff00000, 0xfffe0000},
      {"vmalloc", 0xf0000000, 0xff000000},
      {"lowmem", 0xc0000000, 0xef800000},
      {"pkmap", 0xbfe00000, 0xc0000000},
      {"modules", 0xbf000000, 0xbfe00000}}},
    {"arm32-marvell-dove-cubox-3.14.4 (778240K = 760 MiB)",
     "arm32-nohighmem",
     3,
     14,
     KIB(778240),
     0,
     0,
     {{"fixmap", 0xfff00000, 0xfffe0000},
      {"vmalloc", 0xf0000000, 0xff000000},
      {"lowmem", 0xc0000000, 0xef800000},
      {"modules", 0xbf000000, 0xc0000000}}},
    {"arm32-qcom-mdm9607-jmr540-3.18 (RAM spans 256 MiB)",
     "arm32-nohighmem",
     3,
     18,
     MIB(256),
     0,
     0,
     {{"fixmap", 0xffc00000, 0xfff00000},
      {"vmalloc", 0xd0800000, 0xff000000},
      {"lowmem", 0xc0000000, 0xd0000000},
      {"modules", 0xbf000000, 0xc0000000}}},
    {"arm64-pine64-4.13-rc7 (48-bit VA, 4K)",
     "arm64",
     4,
     13,
     0,
     0,
     0xffff800080000000,
     {{"modules", 0xffff000000000000, 0xffff000008000000},
      {"vmalloc", 0xffff000008000000, 0xffff7dffbfff0000},
      {"PCI I/O", 0xffff7dfffee00000, 0xffff7dffffe00000},
      {"vmemmap", 0xffff7e0000000000, 0xffff800000000000},
      {"memory", 0xffff800000000000, 0xffff800080000000}}},
    {"riscv64-hifive-unleashed-5.7-rc4 (ends printed inclusive)",
     "riscv64",
     5,
     7,
     0,
     0,
     0xffffffe1ffe00000,
     {{"fixmap", 0xffffffcefee00000, 0xffffffceff000000},
      {"pci io", 0xffffffceff000000, 0xffffffcf00000000},
      {"vmemmap", 0xffffffcf00000000, 0xffffffd000000000},
      {"vmalloc", 0xffffffd000000000, 0xffffffe000000000},
      {"lowmem", 0xffffffe000000000, 0xffffffe1ffe00000}}},
    {"riscv64-qemu-5.16-rc6",
     "riscv64",
     5,
     16,
     0,
     0,
     0xffffffe003e00000,
     {{"vmalloc", 0xffffffd000000000, 0xffffffe000000000},
      {"lowmem", 0xffffffe000000000, 0xffffffe003e00000}}},
    {"riscv32-qemu-5.16-rc6",
     "riscv32",
     5,
     16,
     0,
     0,
     0xc3c00000,
     {{"fixmap", 0x9dc00000, 0x9e000000},
      {"pci io", 0x9e000000, 0x9f000000},
      {"vmemmap", 0x9f000000, 0xa0000000},
      {"vmalloc", 0xa0000000, 0xc0000000},
      {"lowmem", 0xc0000000, 0xc3c00000}}},
    {"ppc32-e500-mpc85xx (lowmem 768 MiB; ioremap_bot 0xff3fe000)",
     "ppc32-booke",
     5,
     19,
     0,
     0,
     0xf0000000,
     {{"pkmap", 0xff400000, 0xff800000}, {"fixmap", 0xffbbf000, 0xfffff000}}},
    {"ppc32-powermac-g4-5.16.18",
     "ppc32",
     5,
     16,
     0,
     0,
     0,
     {{"pkmap", 0xff400000, 0xff800000},
      {"fixmap", 0xffbbf000, 0xfffff000},
      {"modules", 0xb0000000, 0xc0000000}}},
    {"sh4-dreamcast-hkt3030-7.1.3",
     "sh",
     7,
     1,
     0,
     0,
     0x8d000000,
     {{"fixmap", 0xdfff7000, 0xdffff000},
      {"vmalloc", 0xc0000000, 0xdfff5000},
      {"uncached", 0xa0000000, 0xc0000000}}},
    {"x86_32-xenserver-dom0-2.6.32 (lowmem 760 MiB)",
     "x86_32-pae",
     2,
     6,
     0,
     0,
     0xef800000,
     {{"lowmem", 0xc0000000, 0xef800000}}},
};

Test(profile, sample_layouts_are_reproduced)
{
	for (size_t s = 0; s < sizeof(samples) / sizeof(*samples); s++) {
		const struct sample *x = &samples[s];
		const struct vms_profile *p = era(x->profile, x->major, x->minor);
		struct vms_machine m = {.kernel_major = x->major,
		                        .kernel_minor = x->minor,
		                        .ram_bytes = x->ram,
		                        .has_vmalloc = x->vmalloc != 0,
		                        .vmalloc = x->vmalloc,
		                        .lowmem_end = x->lowmem_end};
		struct vms_region out[16];
		size_t n = vms_profile_regions(p, &m, out, 16);
		cr_assert_leq(n, 16);
		for (size_t i = 0; i < 7 && x->want[i].name; i++) {
			const struct vms_region *r = find_out(out, n, x->want[i].name);
			cr_assert_not_null(r, "%s: no %s", x->file, x->want[i].name);
			cr_assert_eq(r->start, x->want[i].start, "%s: %s starts at %llx",
			             x->file, r->name, (unsigned long long)r->start);
			cr_assert_eq(r->end, x->want[i].end, "%s: %s ends at %llx",
			             x->file, r->name, (unsigned long long)r->end);
		}
	}
}

/* The logs that print a vmalloc start next to the lowmem end they follow. */
Test(profile, vmalloc_start_follows_the_printed_lowmem_end)
{
	static const struct {
		const char *profile;
		int major, minor;
		uint64_t lowmem_end, vstart;
	} cases[] = {
	    {"ppc32-booke", 5, 19, 0xf0000000, 0xf1000000},
	    {"ppc32", 5, 16, 0xe8000000, 0xe9000000},
	    {"x86_32-pae", 2, 6, 0xef800000, 0xf0000000},
	    {"x86_32-pae", 4, 15, 0xf75fe000, 0xf7dfe000},
	    {"arm32", 3, 4, 0xe0000000, 0xe0800000},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct vms_region out[16];
		struct vms_machine m = {.lowmem_end = cases[i].lowmem_end};
		size_t n = vms_profile_regions(
		    era(cases[i].profile, cases[i].major, cases[i].minor), &m, out, 16);
		cr_assert_eq(find_out(out, n, "vmalloc")->start, cases[i].vstart,
		             "case %zu", i);
	}
}
