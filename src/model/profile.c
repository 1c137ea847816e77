/*
 * profile.c — the arch profile table: what each architecture's kernel
 * address space looks like, per kernel era, when no boot log prints it,
 * and the lookups over it (by --arch name, by a dump's family and kernel,
 * the --help lines) and the regions of a profile for what is known of a
 * machine (lowmem end, RAM, vmalloc=).
 *
 * The table is one constant array, vms_profiles[]. Rows of one name are the
 * eras of one variant, oldest first; a family's default variant is named
 * like the family. Region lists are built by the macros below from the
 * kernel's own definitions (each macro names the kernel file it follows),
 * so a row states its inputs (PAGE_OFFSET, VMALLOC_END, page shift, VA
 * bits) and the arithmetic is the kernel's. Facts and the release that
 * each era boundary was read in are listed in docs/profiles.md; what could
 * not be verified is marked UNVERIFIED here and there.
 *
 * Invariants (tests/test_profile.c checks them on every row): regions are
 * ascending and disjoint, page sizes are powers of two, a name's eras do
 * not overlap, every family has a row named like it.
 *
 * Cost: lookups O(rows) (107 rows); vms_profile_regions O(regions).
 */
#include <string.h>

#include "vmscope/common.h"
#include "vmscope/profile.h"

#define KIB(n)   ((uint64_t)(n) << 10)
#define MIB(n)   ((uint64_t)(n) << 20)
#define GIB(n)   ((uint64_t)(n) << 30)
#define P2(n)    ((uint64_t)1 << (n))
#define NEG(x)   ((uint64_t)0 - (uint64_t)(x)) /* -(x) in 64-bit arithmetic */
#define TOP64    UINT64_MAX                    /* 2^64, see profile.h */
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A region, and one whose start follows from lowmem (vstart rule). */
#define REG(nm, k, s, e)                                                                 \
	{                                                                                \
		nm, VMS_RK_##k, (s), (e), false                                          \
	}
#define VREG(nm, k, s, e)                                                                \
	{                                                                                \
		nm, VMS_RK_##k, (s), (e), true                                           \
	}

/* ---- arm (32-bit) -------------------------------------------------------
 * arch/arm/include/asm/{memory.h,pgtable.h,fixmap.h}, arch/arm/mm/mmu.c:
 *   MODULES_VADDR = PAGE_OFFSET - 16 MiB; MODULES_END = PAGE_OFFSET - 2 MiB
 *   with HIGHMEM (pkmap takes the top PMD), else PAGE_OFFSET (Thumb-2
 *   kernels start modules at PAGE_OFFSET - 8 MiB: not modelled);
 *   largest lowmem = VMALLOC_END - 240 MiB - VMALLOC_OFFSET (default
 *   vmalloc=), VMALLOC_START = lowmem end + 8 MiB rounded down to 8 MiB;
 *   vector page 0xffff0000 (high vectors).
 * Eras (VMALLOC_END, fixmap):
 *   A  ..3.14      0xff000000, fixmap 0xfff00000-0xfffe0000 (FIXADDR_TOP)
 *   B  3.15-3.17   0xff000000, fixmap 0xffc00000-0xffe00000 (32 CPUs)
 *   C  3.18-4.3    0xff000000, fixmap 0xffc00000-0xfff00000 (3 MiB)
 *   E  4.4-5.10    0xff800000
 *   F  5.11+       0xff800000, DT blob 0xff800000-0xffc00000, fixmap from
 *                  0xffc80000 (ARM 9012/1, 7a1be318f579)
 * A, B, C boundaries: from logs in samples/ (3.14.4 old fixmap, a vendor
 * 3.x with the 2 MiB one, 3.18.20 the 3 MiB one); commit releases
 * UNVERIFIED. VMALLOC_END: 0xff000000 read in a 4.2-based tree
 * (arch/arm/include/asm/pgtable.h), 0xff800000 in the 4.4.9 log in samples/;
 * 4.3 UNVERIFIED. Before ~3.4 VMALLOC_END was per machine (mach/vmalloc.h):
 * era A's 0xff000000 is the common value, not the only one.
 * IOREMAP_MAX_ORDER: 24 (16 MiB supersections) up to 3.19; from 4.0 only on
 * !SMP && !LPAE, else the generic 19 (Sergey Dyasly, Jan 2015; the release
 * is UNVERIFIED and a 4.2-based vendor tree still has 24, so 4.0-4.3 keep
 * the 19..24 range too). A dump cannot tell SMP, hence 19..24; LPAE is 19.
 * The PCI I/O window (0xfee00000, 2 MiB, inside vmalloc space, only with
 * PCI) and the KASAN shadow (5.11+, only with KASAN) are not listed.
 */
#define A32_LOW_HM(po)                                                                   \
	REG("modules", MODULES, (po)-MIB(16), (po)-MIB(2)),                              \
	    REG("pkmap", PKMAP, (po)-MIB(2), (po))
#define A32_LOW_NOHM(po) REG("modules", MODULES, (po)-MIB(16), (po))
#define A32_MID(po, vend)                                                                \
	REG("lowmem", LOWMEM, (po), (vend)-MIB(248)),                                    \
	    VREG("vmalloc", VMALLOC, (vend)-MIB(240), (vend))
#define A32_TOP(fs, fe)                                                                  \
	REG("fixmap", FIXMAP, (fs), (fe)), REG("vector", VECTOR, 0xffff0000, 0xffff1000)
#define A32_REGS(id, po, LOW, vend, ...)                                                 \
	static const struct vms_profile_region id[] = {LOW(po), A32_MID(po, vend),       \
	                                               __VA_ARGS__}
/* The five region lists of one split / HIGHMEM choice, one per era. */
#define A32_SET(id, po, LOW)                                                             \
	A32_REGS(id##_a, po, LOW, 0xff000000, A32_TOP(0xfff00000, 0xfffe0000));          \
	A32_REGS(id##_b, po, LOW, 0xff000000, A32_TOP(0xffc00000, 0xffe00000));          \
	A32_REGS(id##_c, po, LOW, 0xff000000, A32_TOP(0xffc00000, 0xfff00000));          \
	A32_REGS(id##_e, po, LOW, 0xff800000, A32_TOP(0xffc00000, 0xfff00000));          \
	A32_REGS(id##_f, po, LOW, 0xff800000, REG("fdt", OTHER, 0xff800000, 0xffc00000), \
	         A32_TOP(0xffc80000, 0xfff00000))

A32_SET(a32_3g_hm, 0xc0000000, A32_LOW_HM);
A32_SET(a32_3g, 0xc0000000, A32_LOW_NOHM);
A32_SET(a32_2g_hm, 0x80000000, A32_LOW_HM);
A32_SET(a32_2g, 0x80000000, A32_LOW_NOHM);
A32_SET(a32_1g_hm, 0x40000000, A32_LOW_HM);

/* ---- x86_32 --------------------------------------------------------------
 * arch/x86/include/asm/pgtable_32_types.h (pgtable_32_areas.h 4.15+),
 * arch/x86/mm/{init_32.c,pgtable_32.c}:
 *   VMALLOC_END = PKMAP_BASE - 2 * PAGE_SIZE; modules live in vmalloc
 *   space; largest lowmem (MAXMEM) = VMALLOC_END - PAGE_OFFSET -
 *   __VMALLOC_RESERVE (128 MiB default); VMALLOC_START = lowmem end + 8 MiB
 *   (2.6.27+), rounded up to 8 MiB before.
 * PKMAP_BASE and the fixmap depend on NR_CPUS and the config, so these are
 * typical values: the 4.15+ PAE row is the layout printed by a real 4.15+
 * kernel (docs/kernel.md §6.2); the others are derived from the PKMAP_BASE
 * formula for a ~1-2 MiB boot fixmap (UNVERIFIED against a native log; the
 * 2.6.32 log in samples/ is a Xen dom0 with the top lowered by 4 MiB:
 * pkmap 0xff400000, VMALLOC_END 0xff3fe000). IOREMAP_MAX_ORDER = PMD_SHIFT
 * (22, PAE 21) from 4.1 (Toshi Kani's huge I/O mapping series), 19 before.
 */
#define X32_REGS(id, vend, ...)                                                          \
	static const struct vms_profile_region id[] = {                                  \
	    REG("lowmem", LOWMEM, 0xc0000000, (vend)-MIB(128)),                          \
	    VREG("vmalloc", VMALLOC, (vend)-MIB(120), (vend)), __VA_ARGS__}
X32_REGS(x32_old, 0xff7fe000, REG("pkmap", PKMAP, 0xff800000, 0xffc00000));
X32_REGS(x32_cea, 0xff3fe000, REG("pkmap", PKMAP, 0xff400000, 0xff800000));
X32_REGS(x32pae_old, 0xff9fe000, REG("pkmap", PKMAP, 0xffa00000, 0xffc00000));
X32_REGS(x32pae_cea, 0xff5fe000, REG("pkmap", PKMAP, 0xff600000, 0xff800000),
         REG("cpu_entry", CPU_ENTRY, 0xffa00000, 0xffb39000),
         REG("fixmap", FIXMAP, 0xfff14000, 0xfffff000));

/* ---- x86_64 --------------------------------------------------------------
 * arch/x86/include/asm/{page_64_types.h,pgtable_64_types.h},
 * Documentation/arch/x86/x86_64/mm.rst:
 *   ..2.6.30   direct map 0xffff810000000000 (64 TiB), vmalloc
 *              0xffffc20000000000 (32 TiB), vmemmap 0xffffe20000000000
 *   2.6.31+    direct map 0xffff880000000000, vmalloc 0xffffc90000000000,
 *              vmemmap 0xffffea0000000000 (1 TiB)
 *   4.8+       KASLR (RANDOMIZE_MEMORY) randomizes the three bases; the
 *              table has the defaults (vmalloc_base 1 GiB aligned)
 *   4.20+      direct map 0xffff888000000000 (LDT remap below it)
 *   5-level    4.14+: vmalloc 0xffa0000000000000 (12.5 PiB), vmemmap
 *              0xffd4000000000000, direct map 0xff10000000000000 (4.20+:
 *              0xff11000000000000)
 * VMALLOC_END is inclusive (...ffff); the half-open end is the next byte,
 * and the kernel never uses the last page. Modules: 0xffffffffa0000000
 * (0xffffffffc0000000 with the 1 GiB KASLR image) to 0xffffffffff000000.
 * The 2.6.31 boundary and the 2.6.2x module end are UNVERIFIED.
 * IOREMAP_MAX_ORDER = PUD_SHIFT (30) from 4.1, 19 before. KASAN shadow
 * (0xffffec0000000000, only with KASAN) not listed.
 */
#define X64_MODULES REG("modules", MODULES, 0xffffffffa0000000, 0xffffffffff000000)
static const struct vms_profile_region x64_26[] = {
    REG("lowmem", LOWMEM, 0xffff810000000000, 0xffffc10000000000),
    REG("vmalloc", VMALLOC, 0xffffc20000000000, 0xffffe20000000000),
    REG("vmemmap", VMEMMAP, 0xffffe20000000000, 0xffffe30000000000), X64_MODULES};
static const struct vms_profile_region x64_l4[] = {
    REG("lowmem", LOWMEM, 0xffff880000000000, 0xffffc80000000000),
    REG("vmalloc", VMALLOC, 0xffffc90000000000, 0xffffe90000000000),
    REG("vmemmap", VMEMMAP, 0xffffea0000000000, 0xffffeb0000000000), X64_MODULES};
static const struct vms_profile_region x64_l4_420[] = {
    REG("lowmem", LOWMEM, 0xffff888000000000, 0xffffc88000000000),
    REG("vmalloc", VMALLOC, 0xffffc90000000000, 0xffffe90000000000),
    REG("vmemmap", VMEMMAP, 0xffffea0000000000, 0xffffeb0000000000), X64_MODULES};
static const struct vms_profile_region x64_l5[] = {
    REG("lowmem", LOWMEM, 0xff10000000000000, 0xff90000000000000),
    REG("vmalloc", VMALLOC, 0xffa0000000000000, 0xffd2000000000000),
    REG("vmemmap", VMEMMAP, 0xffd4000000000000, 0xffd6000000000000), X64_MODULES};
static const struct vms_profile_region x64_l5_420[] = {
    REG("lowmem", LOWMEM, 0xff11000000000000, 0xff91000000000000),
    REG("vmalloc", VMALLOC, 0xffa0000000000000, 0xffd2000000000000),
    REG("vmemmap", VMEMMAP, 0xffd4000000000000, 0xffd6000000000000), X64_MODULES};

/* ---- arm64 ---------------------------------------------------------------
 * arch/arm64/include/asm/{memory.h,pgtable.h}; va = VA_BITS, ps =
 * PAGE_SHIFT, pud = PUD_SHIFT (folded into PGDIR_SHIFT on 2- and 3-level
 * tables), 64 = sizeof(struct page) (STRUCT_PAGE_MAX_SHIFT 6). No KASAN.
 * Era boundaries 4.9 (the base), 5.0, 5.4, 5.11 and 5.16 as listed, with
 * the commits, by Huang Shijie in the 2022 vmcoreinfo thread on LKML; 4.6
 * (kernel image moved into vmalloc space, vmemmap below the linear map)
 * and 6.5 UNVERIFIED; 6.9 from Ard Biesheuvel's series.
 * V1 4.6-4.20 (linear map in the top half; the 4.13 log in samples/):
 *    VA_START = -(1 << va), PAGE_OFFSET = -(1 << (va - 1)),
 *    VMEMMAP_SIZE = 1 << (va - 1 - ps + 6), VMEMMAP_START = PAGE_OFFSET -
 *    VMEMMAP_SIZE, PCI I/O 16 MiB ending 2 MiB below it, modules 128 MiB
 *    at VA_START, VMALLOC_END = PAGE_OFFSET - PUD_SIZE - VMEMMAP_SIZE - 64K.
 *    5.0-5.3: a 128 MiB BPF JIT region first (91fc957c9b1d), modules after.
 * V2 5.4-5.10 (the VA flip, 14c127c957c1): PAGE_OFFSET = -(1 << va), PAGE_END =
 *    -(1 << (va_min - 1)) with va_min = min(va, 48), VMEMMAP_SIZE =
 *    (PAGE_END - PAGE_OFFSET) >> (ps - 6), VMEMMAP_START = -VMEMMAP_SIZE -
 *    2 MiB, BPF JIT 128 MiB at PAGE_END, modules 128 MiB after it,
 *    VMALLOC_END = -PUD_SIZE - VMEMMAP_SIZE - 64K.
 * V3 5.11-5.15 (9ad7c6d5e75b, f4693c2716b3): VMEMMAP_START =
 *    -(1 << (va - (ps - 6))), PCI I/O ends 8 MiB below it, VMALLOC_END =
 *    VMEMMAP_START - 256 MiB (also read in a 5.11-era memory.h).
 * V4 5.16-6.4: the BPF JIT region is gone (b89ddf4cca43, "arm64/bpf: Remove
 *    128MB limit for BPF JIT programs"; also backported to 5.10.y stable,
 *    where modules then start at PAGE_END too); modules at PAGE_END.
 * V5 6.5-6.8: modules 2 GiB (MODULES_VSIZE SZ_2G; release UNVERIFIED).
 * V6 6.9+ (Ard Biesheuvel's VA reorganisation): VMEMMAP_END = -1 GiB,
 *    VMEMMAP_START = VMEMMAP_END - VMEMMAP_SIZE, PCI I/O 8 MiB above
 *    VMEMMAP_END, VMALLOC_END = VMEMMAP_START - 8 MiB (52-bit kernels on
 *    48-bit hardware reach further into the unused vmemmap: not modelled).
 * The kernel image lives inside the vmalloc region from 4.6 (vmap lines).
 * IOREMAP_MAX_ORDER = PUD_SHIFT with 4K pages, else PMD_SHIFT (read in
 * 5.x/6.x); its first release is UNVERIFIED, so V1 has the generic
 * 7 + PAGE_SHIFT as the low end of its range.
 */
#define A64_VAMIN(va)    ((va) > 48 ? 48 : (va))
#define A64_PO(va)       NEG(P2(va))
#define A64_PE(va)       NEG(P2(A64_VAMIN(va) - 1))
#define A64_VMS(va, ps)  ((A64_PE(va) - A64_PO(va)) >> ((ps)-6))
#define A64_VMS1(va, ps) P2((va)-1 - (ps) + 6)
#define A64_VM3(va, ps)  NEG(P2((va) - ((ps)-6)))
#define A64_VM6(va, ps)  (NEG(GIB(1)) - A64_VMS(va, ps))

#define A64_V1(id, va, ps, pud, bpf, ...)                                                \
	static const struct vms_profile_region id[] = {                                  \
	    __VA_ARGS__ REG("modules", MODULES, NEG(P2(va)) + (bpf),                     \
	                    NEG(P2(va)) + (bpf) + MIB(128)),                             \
	    REG("vmalloc", VMALLOC, NEG(P2(va)) + (bpf) + MIB(128),                      \
	        NEG(P2((va)-1)) - P2(pud) - A64_VMS1(va, ps) - KIB(64)),                 \
	    REG("PCI I/O", PCI_IO, NEG(P2((va)-1)) - A64_VMS1(va, ps) - MIB(18),         \
	        NEG(P2((va)-1)) - A64_VMS1(va, ps) - MIB(2)),                            \
	    REG("vmemmap", VMEMMAP, NEG(P2((va)-1)) - A64_VMS1(va, ps),                  \
	        NEG(P2((va)-1))),                                                        \
	    REG("memory", LOWMEM, NEG(P2((va)-1)), TOP64)}
#define A64_V2(id, va, ps, pud)                                                          \
	static const struct vms_profile_region id[] = {                                  \
	    REG("memory", LOWMEM, A64_PO(va), A64_PE(va)),                               \
	    REG("bpf jit", OTHER, A64_PE(va), A64_PE(va) + MIB(128)),                    \
	    REG("modules", MODULES, A64_PE(va) + MIB(128), A64_PE(va) + MIB(256)),       \
	    REG("vmalloc", VMALLOC, A64_PE(va) + MIB(256),                               \
	        NEG(P2(pud)) - A64_VMS(va, ps) - KIB(64)),                               \
	    REG("PCI I/O", PCI_IO, NEG(A64_VMS(va, ps)) - MIB(20),                       \
	        NEG(A64_VMS(va, ps)) - MIB(4)),                                          \
	    REG("vmemmap", VMEMMAP, NEG(A64_VMS(va, ps)) - MIB(2), NEG(MIB(2)))}
/* V3..V5 share the top: vmalloc to VMEMMAP_START - 256 MiB, PCI I/O, vmemmap. */
#define A64_V35(id, va, ps, bpf, mods, ...)                                              \
	static const struct vms_profile_region id[] = {                                  \
	    REG("memory", LOWMEM, A64_PO(va), A64_PE(va)),                               \
	    __VA_ARGS__ REG("modules", MODULES, A64_PE(va) + (bpf),                      \
	                    A64_PE(va) + (bpf) + (mods)),                                \
	    REG("vmalloc", VMALLOC, A64_PE(va) + (bpf) + (mods),                         \
	        A64_VM3(va, ps) - MIB(256)),                                             \
	    REG("PCI I/O", PCI_IO, A64_VM3(va, ps) - MIB(24), A64_VM3(va, ps) - MIB(8)), \
	    REG("vmemmap", VMEMMAP, A64_VM3(va, ps), A64_VM3(va, ps) + A64_VMS(va, ps))}
#define A64_V6(id, va, ps)                                                               \
	static const struct vms_profile_region id[] = {                                  \
	    REG("memory", LOWMEM, A64_PO(va), A64_PE(va)),                               \
	    REG("modules", MODULES, A64_PE(va), A64_PE(va) + GIB(2)),                    \
	    REG("vmalloc", VMALLOC, A64_PE(va) + GIB(2), A64_VM6(va, ps) - MIB(8)),      \
	    REG("vmemmap", VMEMMAP, A64_VM6(va, ps), NEG(GIB(1))),                       \
	    REG("PCI I/O", PCI_IO, NEG(GIB(1)) + MIB(8), NEG(GIB(1)) + MIB(24))}
/* The region lists of one VA size / page size, per era (_1 only where the
 * combination existed before 5.4). */
#define A64_SET5(id, va, ps, pud)                                                        \
	A64_V2(id##_2, va, ps, pud);                                                     \
	A64_V35(id##_3, va, ps, MIB(128), MIB(128),                                      \
	        REG("bpf jit", OTHER, A64_PE(va), A64_PE(va) + MIB(128)), );             \
	A64_V35(id##_4, va, ps, 0, MIB(128), );                                          \
	A64_V35(id##_5, va, ps, 0, GIB(2), );                                            \
	A64_V6(id##_6, va, ps)
#define A64_SET(id, va, ps, pud)                                                         \
	A64_V1(id##_0, va, ps, pud, 0, );                                                \
	A64_V1(id##_1, va, ps, pud, MIB(128),                                            \
	       REG("bpf jit", OTHER, NEG(P2(va)), NEG(P2(va)) + MIB(128)), );            \
	A64_SET5(id, va, ps, pud)

A64_SET(a64_39_4k, 39, 12, 30);
A64_SET(a64_42_64k, 42, 16, 29);
A64_SET(a64_47_16k, 47, 14, 36);
A64_SET(a64_48_4k, 48, 12, 30);
A64_SET(a64_48_16k, 48, 14, 36);
A64_SET(a64_48_64k, 48, 16, 42);
A64_SET5(a64_52_64k, 52, 16, 42);

/* ---- riscv ---------------------------------------------------------------
 * arch/riscv/include/asm/{page.h,pgtable.h}, Documentation/arch/riscv/
 * vm-layout.rst, and the 5.7 / 5.16 logs in samples/ (which print these
 * ends inclusive): VMALLOC_START = PAGE_OFFSET - VMALLOC_SIZE (half the
 * kernel VA), vmemmap, PCI I/O and fixmap below it.
 *   sv39 ..5.16  PAGE_OFFSET 0xffffffe000000000; from 5.13 the kernel and
 *                modules are mapped in the top 4 GiB (Alexandre Ghiti's
 *                move out of the linear map; release UNVERIFIED)
 *   5.17+        sv39 PAGE_OFFSET 0xffffffd800000000, sv48 0xffffaf8000000000
 *                (runtime fallback to sv39); 5.18+ sv57 0xff60000000000000
 *                (releases UNVERIFIED). Later 6.x kernels moved the sv39
 *                linear map down to 0xffffffd600000000 (release
 *                UNVERIFIED, not modelled).
 * riscv32: PAGE_OFFSET 0xc0000000, vmalloc the 512 MiB below it (5.16 log).
 * KASAN shadow (only with KASAN) not listed. IOREMAP_MAX_ORDER: generic 19.
 */
#define RV_TOP(low)                                                                      \
	REG("lowmem", LOWMEM, (low), 0xffffffff00000000),                                \
	    REG("modules", MODULES, 0xffffffff00000000, 0xffffffff80000000),             \
	    REG("kernel", KERNEL, 0xffffffff80000000, TOP64)
static const struct vms_profile_region rv39_old[] = {
    REG("fixmap", FIXMAP, 0xffffffcefee00000, 0xffffffceff000000),
    REG("pci io", PCI_IO, 0xffffffceff000000, 0xffffffcf00000000),
    REG("vmemmap", VMEMMAP, 0xffffffcf00000000, 0xffffffd000000000),
    REG("vmalloc", VMALLOC, 0xffffffd000000000, 0xffffffe000000000),
    REG("lowmem", LOWMEM, 0xffffffe000000000, TOP64)};
static const struct vms_profile_region rv39_513[] = {
    REG("fixmap", FIXMAP, 0xffffffcefee00000, 0xffffffceff000000),
    REG("pci io", PCI_IO, 0xffffffceff000000, 0xffffffcf00000000),
    REG("vmemmap", VMEMMAP, 0xffffffcf00000000, 0xffffffd000000000),
    REG("vmalloc", VMALLOC, 0xffffffd000000000, 0xffffffe000000000),
    RV_TOP(0xffffffe000000000)};
static const struct vms_profile_region rv39[] = {
    REG("fixmap", FIXMAP, 0xffffffc6fee00000, 0xffffffc6ff000000),
    REG("pci io", PCI_IO, 0xffffffc6ff000000, 0xffffffc700000000),
    REG("vmemmap", VMEMMAP, 0xffffffc700000000, 0xffffffc800000000),
    REG("vmalloc", VMALLOC, 0xffffffc800000000, 0xffffffd800000000),
    REG("lowmem", LOWMEM, 0xffffffd800000000, 0xfffffff700000000),
    REG("modules", MODULES, 0xffffffff00000000, 0xffffffff80000000),
    REG("kernel", KERNEL, 0xffffffff80000000, TOP64)};
static const struct vms_profile_region rv48[] = {
    REG("fixmap", FIXMAP, 0xffff8d7ffee00000, 0xffff8d7fff000000),
    REG("pci io", PCI_IO, 0xffff8d7fff000000, 0xffff8d8000000000),
    REG("vmemmap", VMEMMAP, 0xffff8d8000000000, 0xffff8f8000000000),
    REG("vmalloc", VMALLOC, 0xffff8f8000000000, 0xffffaf8000000000),
    REG("lowmem", LOWMEM, 0xffffaf8000000000, 0xffffef8000000000),
    REG("modules", MODULES, 0xffffffff00000000, 0xffffffff80000000),
    REG("kernel", KERNEL, 0xffffffff80000000, TOP64)};
static const struct vms_profile_region rv57[] = {
    REG("fixmap", FIXMAP, 0xff1bfffffee00000, 0xff1bffffff000000),
    REG("pci io", PCI_IO, 0xff1bffffff000000, 0xff1c000000000000),
    REG("vmemmap", VMEMMAP, 0xff1c000000000000, 0xff20000000000000),
    REG("vmalloc", VMALLOC, 0xff20000000000000, 0xff60000000000000),
    REG("lowmem", LOWMEM, 0xff60000000000000, 0xffdf000000000000),
    REG("modules", MODULES, 0xffffffff00000000, 0xffffffff80000000),
    REG("kernel", KERNEL, 0xffffffff80000000, TOP64)};
static const struct vms_profile_region rv32[] = {
    REG("fixmap", FIXMAP, 0x9dc00000, 0x9e000000),
    REG("pci io", PCI_IO, 0x9e000000, 0x9f000000),
    REG("vmemmap", VMEMMAP, 0x9f000000, 0xa0000000),
    REG("vmalloc", VMALLOC, 0xa0000000, 0xc0000000),
    REG("lowmem", LOWMEM, 0xc0000000, P2(32))};

/* ---- powerpc (32-bit) ----------------------------------------------------
 * arch/powerpc/include/asm/book3s/32/pgtable.h, nohash/32/pgtable.h,
 * arch/powerpc/mm/mem.c, and the e500 and PowerMac logs in samples/:
 *   VMALLOC_START = (high_memory + 16 MiB) & ~(16 MiB - 1); VMALLOC_END =
 *   ioremap_bot, which early ioremaps move down from IOREMAP_TOP
 *   (0xff400000 in both logs), so the table's end is the widest; lowmem at
 *   most CONFIG_LOWMEM_SIZE (768 MiB default); pkmap ("highmem PTEs")
 *   0xff400000-0xff800000; fixmap to FIXADDR_TOP 0xfffff000 (its start
 *   depends on the config: both logs 0xffbbf000). book3s/32 kernels with
 *   STRICT_KERNEL_RWX put modules in the 256 MiB below PAGE_OFFSET (5.16
 *   and 6.14 in samples/; first release UNVERIFIED); others (booke, 8xx)
 *   load them in vmalloc space. No vmalloc= parameter (only arm, unicore32
 *   and x86_32 have one). IOREMAP_MAX_ORDER: generic 19.
 */
#define PPC_REGS                                                                         \
	REG("lowmem", LOWMEM, 0xc0000000, 0xf0000000),                                   \
	    VREG("vmalloc", VMALLOC, 0xf1000000, 0xff400000),                            \
	    REG("pkmap", PKMAP, 0xff400000, 0xff800000),                                 \
	    REG("fixmap", FIXMAP, 0xffbbf000, 0xfffff000)
static const struct vms_profile_region ppc32_s[] = {
    REG("modules", MODULES, 0xb0000000, 0xc0000000), PPC_REGS};
static const struct vms_profile_region ppc32_e[] = {PPC_REGS};

/* ---- sh (32-bit, sh3/sh4 with MMU) ---------------------------------------
 * arch/sh/include/asm/pgtable_32.h and the 7.1.3 log in samples/: lowmem
 * is the cached P1 segment from PAGE_OFFSET 0x80000000 (512 MiB), P2
 * 0xa0000000 the uncached alias, vmalloc from P3SEG 0xc0000000 to
 * FIXADDR_START - 2 pages; FIXADDR_TOP 0xdffff000 (P4SEG - PAGE_SIZE), the
 * fixmap's start depends on the config (32 KiB in the log). No vmalloc=.
 */
static const struct vms_profile_region sh_r[] = {
    REG("lowmem", LOWMEM, 0x80000000, 0xa0000000),
    REG("uncached", OTHER, 0xa0000000, 0xc0000000),
    REG("vmalloc", VMALLOC, 0xc0000000, 0xdfff5000),
    REG("fixmap", FIXMAP, 0xdfff7000, 0xdffff000)};

/* ---- the table ----------------------------------------------------------- */

#define ERA(a, b, c, d, e, f)                                                            \
	.min_major = a, .min_minor = b, .min_patch = c, .max_major = d, .max_minor = e,  \
	.max_patch = f
#define REGS(r) .regions = r, .nr_regions = NELEM(r)

/* arm32: one row per era of a variant; io: IOREMAP_MAX_ORDER from 4.0. */
#define A32_ROW(nm, sum, era, regs, lo, hi, po)                                          \
	{                                                                                \
		.name = nm, .family = "arm32", .summary = sum, era, .addr_bits = 32,     \
		.page_size = KIB(4), .page_offset = po, .ioremap_max_order_lo = lo,      \
		.ioremap_max_order_hi = hi, .vstart_rule = VMS_VSTART_ROUND_8M,          \
		.vmalloc_param = true, .vmalloc_default = MIB(240), REGS(regs)           \
	}
#define A32_ROWS(nm, sum, id, po, lo, hi)                                                \
	A32_ROW(nm, sum, ERA(0, 0, 0, 3, 14, 0), id##_a, 24, 24, po),                    \
	    A32_ROW(nm, sum, ERA(3, 15, 0, 3, 17, 0), id##_b, 24, 24, po),               \
	    A32_ROW(nm, sum, ERA(3, 18, 0, 3, 19, 0), id##_c, 24, 24, po),               \
	    A32_ROW(nm, sum, ERA(4, 0, 0, 4, 3, 0), id##_c, lo, hi, po),                 \
	    A32_ROW(nm, sum, ERA(4, 4, 0, 5, 10, 0), id##_e, lo, hi, po),                \
	    A32_ROW(nm, sum, ERA(5, 11, 0, 0, 0, 0), id##_f, lo, hi, po)

#define X32_ROW(nm, sum, era, regs, io, rule)                                            \
	{                                                                                \
		.name = nm, .family = "x86_32", .summary = sum, era, .addr_bits = 32,    \
		.page_size = KIB(4), .page_offset = 0xc0000000,                          \
		.ioremap_max_order_lo = io, .ioremap_max_order_hi = io,                  \
		.vstart_rule = rule, .vmalloc_param = true, .vmalloc_default = MIB(128), \
		REGS(regs)                                                               \
	}
#define X32_ROWS(nm, sum, old, cea, pmd)                                                 \
	X32_ROW(nm, sum, ERA(0, 0, 0, 2, 6, 26), old, 19, VMS_VSTART_ROUNDUP_8M),        \
	    X32_ROW(nm, sum, ERA(2, 6, 27, 4, 0, 0), old, 19, VMS_VSTART_PLUS_8M),       \
	    X32_ROW(nm, sum, ERA(4, 1, 0, 4, 14, 0), old, pmd, VMS_VSTART_PLUS_8M),      \
	    X32_ROW(nm, sum, ERA(4, 15, 0, 0, 0, 0), cea, pmd, VMS_VSTART_PLUS_8M)

#define X64_ROW(nm, sum, era, regs, po, io, rule)                                        \
	{                                                                                \
		.name = nm, .family = "x86_64", .summary = sum, era, .addr_bits = 64,    \
		.page_size = KIB(4), .page_offset = po, .ioremap_max_order_lo = io,      \
		.ioremap_max_order_hi = io, .vstart_rule = rule, REGS(regs)              \
	}

#define A64_ROW(nm, sum, era, regs, ps, lo, hi, po)                                      \
	{                                                                                \
		.name = nm, .family = "arm64", .summary = sum, era, .addr_bits = 64,     \
		.page_size = P2(ps), .page_offset = po, .ioremap_max_order_lo = lo,      \
		.ioremap_max_order_hi = hi, REGS(regs)                                   \
	}
#define A64_ROWS5(nm, sum, id, va, ps, io)                                               \
	A64_ROW(nm, sum, ERA(5, 4, 0, 5, 10, 0), id##_2, ps, io, io, A64_PO(va)),        \
	    A64_ROW(nm, sum, ERA(5, 11, 0, 5, 15, 0), id##_3, ps, io, io, A64_PO(va)),   \
	    A64_ROW(nm, sum, ERA(5, 16, 0, 6, 4, 0), id##_4, ps, io, io, A64_PO(va)),    \
	    A64_ROW(nm, sum, ERA(6, 5, 0, 6, 8, 0), id##_5, ps, io, io, A64_PO(va)),     \
	    A64_ROW(nm, sum, ERA(6, 9, 0, 0, 0, 0), id##_6, ps, io, io, A64_PO(va))
#define A64_ROWS(nm, sum, id, va, ps, io)                                                \
	A64_ROW(nm, sum, ERA(4, 6, 0, 4, 20, 0), id##_0, ps, 7 + (ps), io,               \
	        NEG(P2((va)-1))),                                                        \
	    A64_ROW(nm, sum, ERA(5, 0, 0, 5, 3, 0), id##_1, ps, 7 + (ps), io,            \
	            NEG(P2((va)-1))),                                                    \
	    A64_ROWS5(nm, sum, id, va, ps, io)

#define RV_ROW(nm, fam, sum, era, regs, bits, po)                                        \
	{                                                                                \
		.name = nm, .family = fam, .summary = sum, era, .addr_bits = bits,       \
		.page_size = KIB(4), .page_offset = po, .ioremap_max_order_lo = 19,      \
		.ioremap_max_order_hi = 19, REGS(regs)                                   \
	}

#define ANY ERA(0, 0, 0, 0, 0, 0)

const struct vms_profile vms_profiles[] = {
    A32_ROWS("arm32", "3G/1G split, HIGHMEM (pkmap below PAGE_OFFSET)", a32_3g_hm,
             0xc0000000, 19, 24),
    A32_ROWS("arm32-nohighmem", "3G/1G split, no HIGHMEM (modules up to PAGE_OFFSET)",
             a32_3g, 0xc0000000, 19, 24),
    A32_ROWS("arm32-2g2g", "2G/2G split (PAGE_OFFSET 0x80000000), HIGHMEM", a32_2g_hm,
             0x80000000, 19, 24),
    A32_ROWS("arm32-2g2g-nohighmem", "2G/2G split, no HIGHMEM", a32_2g, 0x80000000, 19,
             24),
    A32_ROWS("arm32-1g3g", "1G/3G split (PAGE_OFFSET 0x40000000), HIGHMEM", a32_1g_hm,
             0x40000000, 19, 24),
    A32_ROWS("arm32-lpae", "3G/1G split, LPAE, HIGHMEM (ioremap order 19 from 4.0)",
             a32_3g_hm, 0xc0000000, 19, 19),

    X32_ROWS("x86_32", "3G/1G split, HIGHMEM, 2-level paging (typical top of space)",
             x32_old, x32_cea, 22),
    X32_ROWS("x86_32-pae", "3G/1G split, HIGHMEM, PAE (typical top of space)", x32pae_old,
             x32pae_cea, 21),

    X64_ROW("x86_64", "4-level paging, vmalloc 0xffffc20000000000 (32 TiB)",
            ERA(0, 0, 0, 2, 6, 30), x64_26, 0xffff810000000000, 19, VMS_VSTART_FIXED),
    X64_ROW("x86_64", "4-level paging, vmalloc 0xffffc90000000000 (32 TiB)",
            ERA(2, 6, 31, 4, 0, 0), x64_l4, 0xffff880000000000, 19, VMS_VSTART_FIXED),
    X64_ROW("x86_64", "4-level paging, vmalloc 0xffffc90000000000 (32 TiB)",
            ERA(4, 1, 0, 4, 7, 0), x64_l4, 0xffff880000000000, 30, VMS_VSTART_FIXED),
    X64_ROW("x86_64", "4-level paging, KASLR vmalloc_base (default 0xffffc90000000000)",
            ERA(4, 8, 0, 4, 19, 0), x64_l4, 0xffff880000000000, 30,
            VMS_VSTART_RANDOMIZED),
    X64_ROW("x86_64", "4-level paging, KASLR vmalloc_base (default 0xffffc90000000000)",
            ERA(4, 20, 0, 0, 0, 0), x64_l4_420, 0xffff888000000000, 30,
            VMS_VSTART_RANDOMIZED),
    X64_ROW("x86_64-5level",
            "5-level paging (LA57), KASLR vmalloc_base "
            "(default 0xffa0000000000000)",
            ERA(4, 14, 0, 4, 19, 0), x64_l5, 0xff10000000000000, 30,
            VMS_VSTART_RANDOMIZED),
    X64_ROW("x86_64-5level",
            "5-level paging (LA57), KASLR vmalloc_base "
            "(default 0xffa0000000000000)",
            ERA(4, 20, 0, 0, 0, 0), x64_l5_420, 0xff11000000000000, 30,
            VMS_VSTART_RANDOMIZED),

    A64_ROWS("arm64", "48-bit VA, 4K pages", a64_48_4k, 48, 12, 30),
    A64_ROWS("arm64-39", "39-bit VA, 4K pages", a64_39_4k, 39, 12, 30),
    A64_ROWS("arm64-42-64k", "42-bit VA, 64K pages", a64_42_64k, 42, 16, 29),
    A64_ROWS("arm64-47-16k", "47-bit VA, 16K pages", a64_47_16k, 47, 14, 25),
    A64_ROWS("arm64-48-16k", "48-bit VA, 16K pages", a64_48_16k, 48, 14, 25),
    A64_ROWS("arm64-48-64k", "48-bit VA, 64K pages", a64_48_64k, 48, 16, 29),
    A64_ROWS5("arm64-52-64k", "52-bit VA, 64K pages (5.4+)", a64_52_64k, 52, 16, 29),

    RV_ROW("riscv32", "riscv32", "riscv32, PAGE_OFFSET 0xc0000000", ANY, rv32, 32,
           0xc0000000),
    RV_ROW("riscv64", "riscv64", "sv39, PAGE_OFFSET 0xffffffe000000000",
           ERA(0, 0, 0, 5, 12, 0), rv39_old, 64, 0xffffffe000000000),
    RV_ROW("riscv64", "riscv64",
           "sv39, PAGE_OFFSET 0xffffffe000000000, modules in the top 4 GiB",
           ERA(5, 13, 0, 5, 16, 0), rv39_513, 64, 0xffffffe000000000),
    RV_ROW("riscv64", "riscv64", "sv39, PAGE_OFFSET 0xffffffd800000000",
           ERA(5, 17, 0, 0, 0, 0), rv39, 64, 0xffffffd800000000),
    RV_ROW("riscv64-sv48", "riscv64", "sv48, PAGE_OFFSET 0xffffaf8000000000 (5.17+)",
           ERA(5, 17, 0, 0, 0, 0), rv48, 64, 0xffffaf8000000000),
    RV_ROW("riscv64-sv57", "riscv64", "sv57, PAGE_OFFSET 0xff60000000000000 (5.18+)",
           ERA(5, 18, 0, 0, 0, 0), rv57, 64, 0xff60000000000000),

    {.name = "ppc32",
     .family = "ppc32",
     .summary = "book3s/32 (PowerMac), modules below PAGE_OFFSET",
     ANY,
     .addr_bits = 32,
     .page_size = KIB(4),
     .page_offset = 0xc0000000,
     .ioremap_max_order_lo = 19,
     .ioremap_max_order_hi = 19,
     .vstart_rule = VMS_VSTART_ROUND_16M,
     REGS(ppc32_s)},
    {.name = "ppc32-booke",
     .family = "ppc32",
     .summary = "booke/e500/8xx, modules in vmalloc space",
     ANY,
     .addr_bits = 32,
     .page_size = KIB(4),
     .page_offset = 0xc0000000,
     .ioremap_max_order_lo = 19,
     .ioremap_max_order_hi = 19,
     .vstart_rule = VMS_VSTART_ROUND_16M,
     REGS(ppc32_e)},

    {.name = "sh",
     .family = "sh",
     .summary = "sh3/sh4 with MMU, P1 lowmem, P3 vmalloc",
     ANY,
     .addr_bits = 32,
     .page_size = KIB(4),
     .page_offset = 0x80000000,
     .ioremap_max_order_lo = 19,
     .ioremap_max_order_hi = 19,
     REGS(sh_r)},
};
const size_t vms_nr_profiles = NELEM(vms_profiles);

/* ---- lookups ------------------------------------------------------------- */

/* Kernel versions as one ordered number; patch 999 = any patch. */
static long ver(int major, int minor, int patch)
{
	return (long)major * 1000000L + (long)minor * 1000L + patch;
}
static long era_lo(const struct vms_profile *p)
{
	return ver(p->min_major, p->min_minor, p->min_patch);
}
static long era_hi(const struct vms_profile *p)
{
	if (!p->max_major)
		return ver(999, 0, 0);
	return ver(p->max_major, p->max_minor, p->max_patch ? p->max_patch : 999);
}

/*
 * The row named name (or, name NULL, of family's default variant) that
 * holds kernel [lo, hi]: the newest such row; a kernel before every era
 * gets the oldest row, after every era the newest.
 */
static const struct vms_profile *pick(const char *name, long lo, long hi)
{
	const struct vms_profile *best = NULL, *oldest = NULL, *newest = NULL;
	for (size_t i = 0; i < vms_nr_profiles; i++) {
		const struct vms_profile *p = &vms_profiles[i];
		if (strcmp(p->name, name) != 0)
			continue;
		if (!oldest || era_lo(p) < era_lo(oldest))
			oldest = p;
		if (!newest || era_lo(p) > era_lo(newest))
			newest = p;
		if (era_lo(p) <= hi && lo <= era_hi(p) &&
		    (!best || era_lo(p) > era_lo(best)))
			best = p;
	}
	if (best || !oldest)
		return best;
	return hi < era_lo(oldest) ? oldest : newest;
}

const struct vms_profile *vms_profile_by_name(const char *name)
{
	return name ? pick(name, ver(999, 0, 0), ver(999, 0, 0)) : NULL;
}

const struct vms_profile *vms_profile_era(const char *name, int major, int minor,
                                          int patch)
{
	if (!name)
		return NULL;
	if (!major)
		return vms_profile_by_name(name);
	if (patch < 0)
		return pick(name, ver(major, minor, 0), ver(major, minor, 999));
	return pick(name, ver(major, minor, patch), ver(major, minor, patch));
}

const struct vms_profile *vms_profile_for(const char *family, int major, int minor,
                                          unsigned addr_bits)
{
	if (!family)
		return NULL;
	const struct vms_profile *p = vms_profile_era(family, major, minor, -1);
	if (!p || strcmp(p->family, family) != 0)
		return NULL;
	return !addr_bits || p->addr_bits == addr_bits ? p : NULL;
}

const struct vms_profile_region *vms_profile_find(const struct vms_profile *p,
                                                  unsigned kind)
{
	for (size_t i = 0; p && i < p->nr_regions; i++)
		if (p->regions[i].kind == kind)
			return &p->regions[i];
	return NULL;
}

void vms_profile_help(FILE *fp)
{
	size_t width = 0;
	for (size_t i = 0; i < vms_nr_profiles; i++) {
		size_t n = strlen(vms_profiles[i].name);
		width = n > width ? n : width;
	}
	for (size_t i = 0; i < vms_nr_profiles; i++) {
		const struct vms_profile *p = &vms_profiles[i];
		if (i && strcmp(vms_profiles[i - 1].name, p->name) == 0)
			continue;
		const struct vms_profile *last = vms_profile_by_name(p->name);
		fprintf(fp, "  %-*s  %s\n", (int)width, p->name, last->summary);
	}
}

/* ---- regions for a machine ------------------------------------------------ */

/* The lowest lowmem end the kernel can have: (almost) no RAM. */
static uint64_t widest_vstart(const struct vms_profile *p)
{
	return vms_vstart_of((enum vms_vstart_rule)p->vstart_rule, p->page_offset);
}

/* The semantics for m's kernel, else for p's era (a row spanning 5.14: new). */
static enum vms_vmalloc_semantics semantics_for(const struct vms_profile *p,
                                                const struct vms_machine *m)
{
	if (m->kernel_major)
		return vms_vmalloc_semantics_of(m->kernel_major, m->kernel_minor);
	if (p->max_major && era_hi(p) < ver(5, 14, 0))
		return VMS_VMALLOC_OLD;
	return VMS_VMALLOC_NEW;
}

/* high_memory as far as m tells it; 0 when unknown. */
static uint64_t lowmem_end_for(const struct vms_profile *p, const struct vms_machine *m)
{
	if (m->lowmem_end)
		return m->lowmem_end;
	if (!m->has_vmalloc && !m->ram_bytes)
		return 0;
	struct vms_vmalloc_calc k;
	if (p->vmalloc_param &&
	    vms_vmalloc_compute(p, semantics_for(p, m), m->has_vmalloc, m->vmalloc,
	                        m->ram_bytes, &k) == 0)
		return k.lowmem_end;
	const struct vms_profile_region *lm = vms_profile_find(p, VMS_RK_LOWMEM);
	const struct vms_profile_region *vm = vms_profile_find(p, VMS_RK_VMALLOC);
	if (!m->ram_bytes || !lm || !vm || !vm->start_from_lowmem)
		return 0;
	return m->ram_bytes < lm->end - lm->start ? lm->start + m->ram_bytes : lm->end;
}

size_t vms_profile_regions(const struct vms_profile *p, const struct vms_machine *m,
                           struct vms_region *out, size_t cap)
{
	static const struct vms_machine nothing;
	if (!p)
		return 0;
	if (!m)
		m = &nothing;
	uint64_t lowmem_end = lowmem_end_for(p, m);
	for (size_t i = 0; i < p->nr_regions && i < cap; i++) {
		const struct vms_profile_region *r = &p->regions[i];
		struct vms_region *o = &out[i];
		memset(o, 0, sizeof(*o));
		o->name = r->name;
		o->kind = r->kind;
		o->source = VMS_RS_PROFILE;
		o->start = r->start;
		o->end = r->end;
		if (r->kind == VMS_RK_LOWMEM && m->lowmem_end)
			o->end = m->lowmem_end;
		else if (r->kind == VMS_RK_LOWMEM && lowmem_end && r->start < lowmem_end)
			o->end = lowmem_end;
		if (r->start_from_lowmem) {
			o->start =
			    lowmem_end
			        ? vms_vstart_of((enum vms_vstart_rule)p->vstart_rule,
			                        lowmem_end)
			        : widest_vstart(p);
			o->start_guessed = !lowmem_end;
		}
	}
	return p->nr_regions;
}

uint64_t vms_ioremap_align(const struct vms_profile *p, int major, int minor,
                           uint64_t page, uint64_t request)
{
	unsigned shift = vms_log2_floor(page);
	unsigned max = p ? p->ioremap_max_order_hi : shift + 7;
	int era = major * 100 + minor;
	uint64_t req =
	    request + (page - 1) < request ? request : (request + page - 1) & ~(page - 1);
	unsigned order = era && era < 409 ? vms_log2_floor(request ? request : 1) + 1
	                                  : vms_log2_ceil(req);
	order = order < shift ? shift : order > max ? max : order;
	return 1ull << order;
}
