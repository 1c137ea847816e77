/*
 * profile.h — arch profiles: the one table of what each architecture's
 * kernel address space looks like, per kernel era, when no boot log prints
 * it: the regions (vmalloc, modules, lowmem, pkmap, fixmap, vmemmap, kasan,
 * PCI I/O, ...), the page size, IOREMAP_MAX_ORDER, where VMALLOC_START comes
 * from, and whether `vmalloc=` applies. Also the arm32 `vmalloc=`
 * recomputation in both kernel semantics (<= 5.13 and 5.14+), and the
 * x86_32 one.
 *
 * Every fact here is the kernel's (docs/kernel.md §5–§7; the table and the
 * release each fact was read in: docs/profiles.md); nothing is guessed per
 * dump. The table is constant data; lookups are O(profiles).
 */
#ifndef VMS_PROFILE_H
#define VMS_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmscope/dump.h"

/* How VMALLOC_START follows from the end of the linear map (high_memory). */
enum vms_vstart_rule {
	VMS_VSTART_FIXED = 0,  /* a constant of the era (64-bit arches) */
	VMS_VSTART_ROUND_8M,   /* arm32: (high_memory + 8 MiB) & ~(8 MiB - 1) */
	VMS_VSTART_PLUS_8M,    /* x86_32 2.6.27+: high_memory + 8 MiB, no rounding */
	VMS_VSTART_ROUND_16M,  /* ppc32: (high_memory + 16 MiB) & ~(16 MiB - 1) */
	VMS_VSTART_RANDOMIZED, /* x86_64 4.8+ KASLR: vmalloc_base is 1 GiB aligned,
	                          the table's start is the default base */
	VMS_VSTART_ROUNDUP_8M, /* x86_32 up to 2.6.26:
	                          (high_memory + 2 * 8 MiB - 1) & ~(8 MiB - 1) */
};

/* VMALLOC_START for a linear map ending at lowmem_end (high_memory) under
 * rule; lowmem_end itself for the rules that do not follow lowmem. O(1). */
uint64_t vms_vstart_of(enum vms_vstart_rule rule, uint64_t lowmem_end);

/* One region of a profile (constant data). A profile's regions are
 * ascending and disjoint. */
struct vms_profile_region {
	const char *name; /* as boot logs name it: "vmalloc", "modules", ... */
	uint8_t kind;     /* enum vms_region_kind */
	/* half-open; a region that reaches the top of a 64-bit space ends at
	 * UINT64_MAX (2^64 does not fit), so its last byte is left out */
	uint64_t start, end;
	/* start follows from high_memory (lowmem end) by the profile's
	 * vstart rule; start is then the value for the largest lowmem */
	bool start_from_lowmem;
};

/* An arch profile for one kernel era (constant data). */
struct vms_profile {
	const char *name;         /* the --arch name: "arm32", "arm32-2g2g", ... */
	const char *family;       /* the dump's arch name: "arm32", "x86_64", ... */
	const char *summary;      /* one line for --help: "3G/1G split, HIGHMEM" */
	int min_major, min_minor; /* first kernel of this era (0.0: any) */
	int max_major, max_minor; /* last kernel of this era (0.0: any) */
	/* 2.6.x eras split inside a minor release: the first and last patch
	 * level of the era (0: any patch of min/max_major.minor) */
	int min_patch, max_patch;
	unsigned addr_bits;   /* 32 or 64 */
	uint64_t page_size;   /* bytes */
	uint64_t page_offset; /* PAGE_OFFSET: start of the linear map */
	/* IOREMAP_MAX_ORDER as a range: the kernel config (SMP, LPAE) decides
	 * on some eras and a dump does not tell it (arm32 4.0+: 24 on !SMP
	 * && !LPAE, else 19); lo == hi when certain */
	unsigned ioremap_max_order_lo, ioremap_max_order_hi;
	uint8_t vstart_rule; /* enum vms_vstart_rule */
	bool vmalloc_param;  /* the vmalloc= boot parameter applies */
	/* bytes the kernel reserves without vmalloc=: arm32 240 MiB
	 * (vmalloc_size), x86_32 128 MiB (__VMALLOC_RESERVE); 0 n/a */
	uint64_t vmalloc_default;
	const struct vms_profile_region *regions;
	size_t nr_regions;
};

/* The table: every profile, in --help order. */
extern const struct vms_profile vms_profiles[];
extern const size_t vms_nr_profiles;

/* The profile named name (an --arch name), newest era, or NULL.
 * O(profiles). */
const struct vms_profile *vms_profile_by_name(const char *name);
/*
 * The profile of family (a dump's arch name: "arm32", ...) for kernel
 * major.minor (0.0 = unknown: the newest era) and addr_bits (0 = any),
 * the family's default variant (arm32 3G/1G with HIGHMEM; x86_64 4-level;
 * arm64 48-bit 4K; riscv64 sv39; ppc32 book3s/32). A kernel older than the
 * family's first era gets the first era. NULL when the family is unknown
 * or its word size is not addr_bits. O(profiles).
 */
const struct vms_profile *vms_profile_for(const char *family, int major, int minor,
                                          unsigned addr_bits);
/*
 * The row named name (an --arch name) for kernel major.minor.patch: as
 * vms_profile_for(), with the patch level deciding between 2.6.x eras
 * (patch < 0: unknown, the newest era of that minor). NULL when no row has
 * that name. O(profiles).
 */
const struct vms_profile *vms_profile_era(const char *name, int major, int minor,
                                          int patch);
/* The first region of kind kind (enum vms_region_kind) of p, or NULL. */
const struct vms_profile_region *vms_profile_find(const struct vms_profile *p,
                                                  unsigned kind);
/* Writes the --help lines "  NAME  summary", one per profile name (the
 * summary of its newest era), in table order. */
void vms_profile_help(FILE *fp);

/* What is known about the machine, for computing a profile's regions. */
struct vms_machine {
	int kernel_major, kernel_minor; /* 0.0 unknown */
	uint64_t lowmem_end;            /* high_memory, virtual; 0 unknown */
	/* bytes of RAM from PHYS_OFFSET, holes included (lowmem ends where
	 * RAM ends; a "Memory:" total leaves out no-map carve-outs and can
	 * be smaller); 0 unknown */
	uint64_t ram_bytes;
	bool has_vmalloc; /* vmalloc= given */
	uint64_t vmalloc; /* its bytes */
};

/*
 * Writes the regions of profile p for machine m (NULL: nothing known) into
 * out[0..cap) with source VMS_RS_PROFILE, line 0 and file NULL, and returns
 * how many there are (which may exceed cap: nothing past cap is written).
 * The lowmem region ends at m->lowmem_end when given. A vmalloc region
 * whose start follows from lowmem gets it from m->lowmem_end, else, when
 * vmalloc= or the RAM size is known, from the vmalloc= computation below
 * (arm32, x86_32: with m->ram_bytes; the semantics of m's kernel, else of
 * p's era) or from RAM alone (other 32-bit arches), else the widest start
 * the kernel could have (the lowest address it can be: PAGE_OFFSET plus
 * VMALLOC_OFFSET). In that last case lowmem keeps its largest end and the
 * two regions overlap: both are bounds. O(regions).
 */
size_t vms_profile_regions(const struct vms_profile *p, const struct vms_machine *m,
                           struct vms_region *out, size_t cap);

/*
 * The alignment __get_vm_area_node() gives an ioremap of request bytes
 * (docs/kernel.md §5.1) on profile p (NULL: the generic
 * IOREMAP_MAX_ORDER) for kernel major.minor with pages of page bytes:
 * 4.9+ rounds the page-aligned request up to a power of two, earlier
 * kernels take 2^fls(request) (twice the size for an exact power of two;
 * era 0.0 unknown: the 4.9+ rule); both floored at a page and capped at
 * IOREMAP_MAX_ORDER, the largest the profile allows when the kernel
 * config decides. O(1).
 */
uint64_t vms_ioremap_align(const struct vms_profile *p, int major, int minor,
                           uint64_t page, uint64_t request);

/* The two arm32 vmalloc= semantics (arch/arm/mm/mmu.c). */
enum vms_vmalloc_semantics {
	VMS_VMALLOC_OLD = 0, /* <= 5.13: vmalloc_min = VMALLOC_END - R */
	VMS_VMALLOC_NEW,     /* 5.14+: vmalloc_size = R, limit adds VMALLOC_OFFSET */
};

/* The layout the kernel derives from vmalloc= (or its default). */
struct vms_vmalloc_calc {
	uint64_t requested;     /* R as given (or the default) */
	uint64_t effective;     /* R after the 16 MiB / too-big clamps */
	int clamped;            /* 0, -1 raised to the minimum, +1 cut to the max */
	uint64_t clamp_limit;   /* the bound that applied (bytes) */
	uint64_t lowmem_end;    /* high_memory (virtual) */
	uint64_t vmalloc_start; /* VMALLOC_START */
	uint64_t vmalloc_end;   /* VMALLOC_END */
	bool ram_limited;       /* lowmem ends at the end of RAM, below the limit */
};

/*
 * Recomputes an arm32 layout as early_vmalloc() and adjust_lowmem_bounds()
 * do under semantics sem: vmalloc= R (has_r false: the default), RAM of
 * ram_bytes from PAGE_OFFSET (0: enough RAM for the limit to apply), on
 * profile p (PAGE_OFFSET, VMALLOC_END of its era). Returns 0, or
 * -VMS_EINVAL when p has no vmalloc= parameter.
 * Example: R = 300M, 3G/1G, VMALLOC_END 0xff000000: old -> lowmem end
 * 0xec400000, vmalloc 0xec800000-0xff000000 (296 MiB); new -> 304 MiB.
 * On an x86_32 profile it does what parse_vmalloc() and MAXMEM do instead
 * (sem ignored): lowmem ends at most at VMALLOC_END - __VMALLOC_RESERVE,
 * the reserve being R + 8 MiB (2.6.27+; R before) or 128 MiB by default,
 * and VMALLOC_START follows the profile's rule; there are no clamps. O(1).
 */
int vms_vmalloc_compute(const struct vms_profile *p, enum vms_vmalloc_semantics sem,
                        bool has_r, uint64_t r, uint64_t ram_bytes,
                        struct vms_vmalloc_calc *out);
/* The semantics of kernel major.minor (unknown 0.0: new). */
enum vms_vmalloc_semantics vms_vmalloc_semantics_of(int major, int minor);

#endif /* VMS_PROFILE_H */
