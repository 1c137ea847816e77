/*
 * profile_arm32.c — the vmalloc= recomputation: where lowmem ends and
 * vmalloc starts for a given vmalloc= (or its default) and RAM size, as the
 * kernel computes them, and the VMALLOC_START rules of every profile.
 *
 * arm32 (arch/arm/mm/mmu.c), two semantics:
 *
 *   old (<= 5.13)   early_vmalloc(): R raised to 16 MiB, cut to
 *                   VMALLOC_END - (PAGE_OFFSET + 32 MiB);
 *                   vmalloc_min = VMALLOC_END - R, or without vmalloc=
 *                   VMALLOC_END - 240 MiB - VMALLOC_OFFSET;
 *                   lowmem limit = vmalloc_min
 *   new (5.14+)     R raised to 16 MiB, cut to VMALLOC_END - (PAGE_OFFSET +
 *                   32 MiB + VMALLOC_OFFSET); vmalloc_size = R (240 MiB
 *                   without vmalloc=); lowmem limit = VMALLOC_END -
 *                   vmalloc_size - VMALLOC_OFFSET
 *
 * then adjust_lowmem_bounds() (sanity_check_meminfo() up to 4.x) ends
 * lowmem at the lower of the limit and the end of RAM, high_memory is not
 * rounded, and VMALLOC_START = (high_memory + 8 MiB) & ~(8 MiB - 1):
 *
 *      PAGE_OFFSET        high_memory  VMALLOC_START          VMALLOC_END
 *      |------ lowmem ---------|  <8M..16M>  |------ vmalloc ------|
 *
 * So the old code yields R rounded down to 8 MiB (R - 8 MiB when R is a
 * multiple of 8 MiB: vmalloc=300M gives 296 MiB) and the new one R rounded
 * up (304 MiB); without vmalloc= both give exactly 240 MiB.
 *
 * x86_32 (arch/x86/mm/pgtable_32.c, init_32.c): vmalloc=R sets
 * __VMALLOC_RESERVE = R + VMALLOC_OFFSET (2.6.27+; R before), 128 MiB
 * without it; lowmem ends at most at VMALLOC_END - __VMALLOC_RESERVE
 * (MAXMEM) and VMALLOC_START = high_memory + 8 MiB, so vmalloc is R.
 *
 * Everything is O(1); the arithmetic is 64-bit, so RAM beyond 4 GiB on a
 * 32-bit profile is simply "enough".
 */
#include "vmscope/common.h"
#include "vmscope/profile.h"

#define MIB(n)         ((uint64_t)(n) << 20)
#define VMALLOC_OFFSET MIB(8)

uint64_t vms_vstart_of(enum vms_vstart_rule rule, uint64_t lowmem_end)
{
	switch (rule) {
	case VMS_VSTART_ROUND_8M:
		return (lowmem_end + MIB(8)) & ~(MIB(8) - 1);
	case VMS_VSTART_PLUS_8M:
		return lowmem_end + MIB(8);
	case VMS_VSTART_ROUNDUP_8M:
		return (lowmem_end + 2 * MIB(8) - 1) & ~(MIB(8) - 1);
	case VMS_VSTART_ROUND_16M:
		return (lowmem_end + MIB(16)) & ~(MIB(16) - 1);
	case VMS_VSTART_FIXED:
	case VMS_VSTART_RANDOMIZED:
		break;
	}
	return lowmem_end;
}

enum vms_vmalloc_semantics vms_vmalloc_semantics_of(int major, int minor)
{
	if (!major)
		return VMS_VMALLOC_NEW;
	return major > 5 || (major == 5 && minor >= 14) ? VMS_VMALLOC_NEW
	                                                : VMS_VMALLOC_OLD;
}

/* Ends lowmem at the end of RAM when RAM ends below the limit. */
static void limit_by_ram(const struct vms_profile *p, uint64_t ram_bytes,
                         struct vms_vmalloc_calc *out)
{
	if (ram_bytes && ram_bytes < out->lowmem_end - p->page_offset) {
		out->lowmem_end = p->page_offset + ram_bytes;
		out->ram_limited = true;
	}
	out->vmalloc_start =
	    vms_vstart_of((enum vms_vstart_rule)p->vstart_rule, out->lowmem_end);
}

/* early_vmalloc(): the 16 MiB floor and the cut below the top. */
static void arm32_clamp(const struct vms_profile *p, enum vms_vmalloc_semantics sem,
                        struct vms_vmalloc_calc *out)
{
	uint64_t top =
	    p->page_offset + MIB(32) + (sem == VMS_VMALLOC_NEW ? VMALLOC_OFFSET : 0);
	uint64_t max = out->vmalloc_end > top ? out->vmalloc_end - top : 0;
	out->effective = out->requested;
	if (out->effective < MIB(16)) {
		out->effective = MIB(16);
		out->clamped = -1;
		out->clamp_limit = MIB(16);
	} else if (out->effective > max) {
		out->effective = max;
		out->clamped = 1;
		out->clamp_limit = max;
	}
}

static void arm32_compute(const struct vms_profile *p, enum vms_vmalloc_semantics sem,
                          bool has_r, struct vms_vmalloc_calc *out)
{
	if (has_r)
		arm32_clamp(p, sem, out);
	else
		out->effective = out->requested;
	/* the old default subtracts VMALLOC_OFFSET itself, vmalloc=R does not */
	uint64_t gap = sem == VMS_VMALLOC_NEW || !has_r ? VMALLOC_OFFSET : 0;
	out->lowmem_end = out->vmalloc_end - out->effective - gap;
}

static void x86_32_compute(const struct vms_profile *p, bool has_r,
                           struct vms_vmalloc_calc *out)
{
	uint64_t reserve = out->requested;
	if (has_r && p->vstart_rule != VMS_VSTART_ROUNDUP_8M)
		reserve += VMALLOC_OFFSET;
	out->effective = out->requested;
	uint64_t room = out->vmalloc_end - p->page_offset;
	if (reserve > room) { /* MAXMEM would be negative: no lowmem at all */
		reserve = room;
		out->clamped = 1;
		out->clamp_limit = room;
	}
	out->lowmem_end = out->vmalloc_end - reserve;
}

int vms_vmalloc_compute(const struct vms_profile *p, enum vms_vmalloc_semantics sem,
                        bool has_r, uint64_t r, uint64_t ram_bytes,
                        struct vms_vmalloc_calc *out)
{
	const struct vms_profile_region *vm = vms_profile_find(p, VMS_RK_VMALLOC);
	if (!p || !p->vmalloc_param || !vm || !out)
		return -VMS_EINVAL;
	*out = (struct vms_vmalloc_calc){
	    .requested = has_r ? r : p->vmalloc_default,
	    .vmalloc_end = vm->end,
	};
	if (p->vstart_rule == VMS_VSTART_ROUND_8M)
		arm32_compute(p, sem, has_r, out);
	else
		x86_32_compute(p, has_r, out);
	limit_by_ram(p, ram_bytes, out);
	return 0;
}
