/*
 * rules.c — the rule catalogue: one constant table of every rule `vmscope
 * check` knows, with its stable ID, default severity, scope, whether it
 * needs real addresses, whether it runs by default, and its descriptions
 * (docs/rules.md holds the kernel background and an example of each; the
 * SARIF writer copies the descriptions into its rule metadata).
 *
 * IDs are a contract (CI baselines and --disable lists name them): add
 * rules freely, never rename one. Lookups are O(rules).
 */
#include <string.h>

#include "vmscope/check.h"

#define AREA   VMS_SCOPE_AREA
#define ACROSS VMS_SCOPE_ACROSS
#define LAYOUT VMS_SCOPE_LAYOUT
#define SPACE  VMS_SCOPE_SPACE
#define ERR    VMS_CHECK_ERROR
#define WARN   VMS_CHECK_WARNING
#define INFO   VMS_CHECK_INFO

const struct vms_rule vms_rules[] = {
    /* ---- per area ---- */
    {"area-range", ERR, AREA, true, true, "An area ends at or before its start",
     "The end of every busy vmap area lies above its start: the kernel "
     "allocates [va_start, va_end) with va_end > va_start and never wraps "
     "past the top of the address space."},
    {"area-unaligned", ERR, AREA, true, true,
     "An area's start or end is not page-aligned",
     "The vmap allocator hands out whole pages: every area's start and end "
     "are multiples of PAGE_SIZE."},
    {"size-mismatch", ERR, AREA, true, true, "The size column differs from end - start",
     "vmallocinfo prints an area's range and its size (vm->size), which "
     "are the same fact: end - start equals the size."},
    {"guard-page", WARN, AREA, false, true,
     "A vmalloc area's size is not (pages + 1) x PAGE_SIZE",
     "An area made by vmalloc() is its pages plus one unmapped guard page, "
     "so size == (pages + 1) * PAGE_SIZE. Static maps (iotable_init, "
     "vm_area_add_early), per-cpu chunks, vm_map_ram blocks, VM_NO_GUARD "
     "areas and unpurged areas have no guard page; huge-page vmalloc rounds "
     "the pages, not the relation. A size above the relation is accepted "
     "unless the kernel is known to be older than 6.10 (areas populated after "
     "their reservation: module allocation tags, vrealloc)."},
    {"vpages", WARN, AREA, false, true, "The vpages flag disagrees with the page count",
     "The page array of a vmalloc area is itself vmalloc'ed (flag vpages) "
     "exactly when it does not fit in one page: pages * sizeof(void *) > "
     "PAGE_SIZE."},
    {"numa-pages", ERR, AREA, false, true, "The N<node>= counts do not add up to pages=",
     "On NUMA kernels each vmalloc area prints how many of its pages sit on "
     "each node; the counts add up to its nr_pages."},
    {"ioremap-align", WARN, AREA, true, true,
     "An ioremap area is not aligned to its power of two",
     "__get_vm_area_node() aligns VM_IOREMAP areas to the request size "
     "rounded up to a power of two (fls() of the unaligned size before "
     "4.9, get_count_order() of the page-aligned size from 4.9), capped at "
     "IOREMAP_MAX_ORDER of the arch and floored at PAGE_SIZE."},
    {"phys-unaligned", WARN, AREA, false, true, "An area's phys= is not page-aligned",
     "ioremap() and the static maps record the physical address of the "
     "first mapped page (the offset inside the page is added back to the "
     "returned pointer), so phys= is page-aligned."},
    /* ---- across areas ---- */
    {"overlap", ERR, ACROSS, true, true, "Two busy areas overlap",
     "Busy vmap areas never overlap: the allocator hands out free space "
     "only, and vm_area_add_early() refuses an overlap. A dump read while "
     "areas came and went can hold stale lines; a live overlap is a bug."},
    {"duplicate", WARN, ACROSS, true, true, "The same area is listed twice",
     "Each busy area appears once. Before 6.9 the file was produced in "
     "chunks with the lock dropped between reads, so a line can repeat when "
     "the list changed meanwhile."},
    {"unpurged-overlap", ERR, ACROSS, true, true, "An unpurged area overlaps a busy one",
     "A lazily freed area keeps its range until it is purged; the allocator "
     "does not reuse that range before then, so an unpurged area never "
     "overlaps a busy one."},
    {"outside-region", WARN, ACROSS, true, true,
     "An area lies outside every known region",
     "Areas are allocated inside an allocation window: the vmalloc space, "
     "the module space, or another range the arch reserves (KASAN shadow, "
     "PCI I/O, and regions the layout names without a known kind). An area "
     "outside all of them means the layout is not what the model assumes, "
     "or the line is wrong."},
    {"percpu-not-top", INFO, ACROSS, true, true,
     "Per-cpu chunks do not sit at the top of the vmalloc space",
     "pcpu_get_vm_areas() places per-cpu chunks top-down from VMALLOC_END, "
     "so they are the highest areas of the vmalloc space unless the space "
     "was full there."},
    {"unsorted", WARN, ACROSS, true, true, "Areas are not in address order",
     "Up to 6.8 vmallocinfo walks the address-sorted list of busy areas "
     "(vm_map_ram lines sit at their address; unpurged lines come after, "
     "from 5.4); 6.9+ prints per-node runs that need not be sorted."},
    {"extra-page", INFO, ACROSS, true, true,
     "Areas are adjacent where 2.6.28-2.6.38 left a page between them",
     "From 2.6.28 to 2.6.38 the allocator skipped one page past every area "
     "it stepped over (ALIGN(va_end + PAGE_SIZE)), so an area placed after "
     "another did not touch it; touching pairs as common as one-page gaps "
     "mean the dump is not of that era."},
    /* ---- layout ---- */
    {"vmalloc-start", ERR, LAYOUT, false, true,
     "VMALLOC_START does not follow from the end of lowmem",
     "arm32: VMALLOC_START = (high_memory + 8 MiB) rounded down to 8 MiB; "
     "x86_32 (2.6.27+): high_memory + 8 MiB without rounding; ppc32: "
     "(high_memory + 16 MiB) rounded down to 16 MiB."},
    {"vmalloc-size", WARN, LAYOUT, false, true,
     "The vmalloc size differs from what vmalloc= gives",
     "On arm32 the vmalloc= boot parameter sets the vmalloc size; the "
     "kernel derives the lowmem limit from it and VMALLOC_START is rounded "
     "to 8 MiB, so the size printed differs from the request by the "
     "rounding of its era (296 MiB for vmalloc=300M up to 5.13, 304 MiB "
     "from 5.14)."},
    {"vmalloc-clamp", WARN, LAYOUT, false, true, "vmalloc= lies outside its clamp",
     "early_vmalloc() raises a vmalloc= below 16 MiB to 16 MiB and cuts one "
     "that leaves less than 32 MiB of lowmem, printing \"vmalloc area too "
     "small/big, limiting to N MB\"."},
    {"layout-size", WARN, LAYOUT, false, true,
     "A printed layout size differs from its range",
     "The boot log prints each region as start - end (size) with the size "
     "computed from the range ((end - start) >> 10 or >> 20, truncated)."},
    {"region-overlap", ERR, LAYOUT, false, true, "Two layout regions overlap",
     "The regions of the kernel's virtual memory layout are disjoint, "
     "except for the PCI I/O window and static maps that live inside the "
     "vmalloc space and the kernel image inside lowmem."},
    /* ---- thresholds ---- */
    {"largest-hole", WARN, SPACE, true, false,
     "The largest free hole is below the threshold",
     "The largest free hole of the vmalloc space (the VmallocChunk figure "
     "the kernel stopped computing in 4.4) bounds the largest allocation "
     "that can still succeed. Enabled by --min-largest-hole SIZE."},
    {"usage", WARN, SPACE, true, false, "vmalloc space usage is above the threshold",
     "Bytes of busy areas inside the vmalloc space against its size. "
     "Enabled by --max-usage PERCENT."},
    /* ---- /proc/meminfo beside the dump ---- */
    {"meminfo-mismatch", WARN, SPACE, false, true,
     "/proc/meminfo's Vmalloc lines disagree with the dump or the layout",
     "VmallocTotal is (VMALLOC_END - VMALLOC_START) >> 10. Up to 4.3 "
     "get_vmalloc_info() also gave VmallocUsed, the sizes of the areas "
     "starting in [VMALLOC_START, VMALLOC_END), and VmallocChunk, the "
     "largest gap there from an area's end to the next start (the tail "
     "included), both >> 10; from 4.4 they print 0 (VmallocUsed counts "
     "vmalloc pages again from 5.3)."},
    {"dump-incomplete", WARN, SPACE, false, true,
     "The dump lists far less than /proc/meminfo's VmallocUsed counts",
     "Where VmallocUsed counts what vmallocinfo lists (the area bytes up to "
     "4.3, the pages= of vmalloc areas from 5.3), a dump that accounts for "
     "less than 75% of it misses areas: a cut paste or a `head`. Its holes "
     "are not free space."},
};

const size_t vms_nr_rules = sizeof(vms_rules) / sizeof(vms_rules[0]);

int vms_rule_lookup(const char *id)
{
	for (size_t i = 0; i < vms_nr_rules; i++)
		if (strcmp(vms_rules[i].id, id) == 0)
			return (int)i;
	return -1;
}

const char *vms_check_sev_name(enum vms_check_sev s)
{
	static const char *const names[] = {"error", "warning", "info"};
	return (unsigned)s < 3 ? names[s] : "?";
}

int vms_check_sev_lookup(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, vms_check_sev_name((enum vms_check_sev)i)) == 0)
			return i;
	return -1;
}
