/*
 * check_meminfo.c — the rules on /proc/meminfo lines beside the dump, from
 * the model's comparison (aspace.h, struct vms_meminfo_cmp):
 *
 *   meminfo-mismatch  VmallocTotal against the vmalloc region's size (a
 *                     region the areas only span is not judged); up to
 *                     4.3, VmallocUsed and VmallocChunk against the dump's
 *                     figures, computed as get_vmalloc_info() did;
 *   dump-incomplete   the dump lists far less than VmallocUsed counts.
 *
 * Findings sit on the meminfo line they are about. A dump that is
 * incomplete gets that finding only: its sums and holes are bound to
 * differ. Where the era prints 0 (4.4 - 5.2) nothing is judged. O(1).
 */
#include <inttypes.h>

#include "check_int.h"

/* |a - b| <= 1: the kB of an inclusive VMALLOC_END (x86_64, riscv) is one
 * byte short of the half-open size. */
static bool near(uint64_t a, uint64_t b)
{
	return a == b || a == b + 1 || b == a + 1;
}

static const struct vms_region *vmalloc_region(const struct chk *c)
{
	return vms_aspace_vmalloc(c->m);
}

static void total_rule(struct chk *c, const struct vms_meminfo *mi)
{
	const struct vms_meminfo_cmp *x = &c->m->meminfo;
	const struct vms_region *r = vmalloc_region(c);
	if (!x->has_total || !r || r->source == VMS_RS_INFERRED ||
	    near(x->region_kb, mi->total.kb))
		return;
	chk_add(c, R_MEMINFO_MISMATCH, -1, mi->total.line, mi->file,
	        "VmallocTotal %" PRIu64 " kB differs from the vmalloc region "
	        "0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 " kB, from the %s)",
	        mi->total.kb, r->start, r->end, x->region_kb,
	        r->source == VMS_RS_LOG ? "boot log" : "arch profile");
}

void vms_check_meminfo(struct chk *c)
{
	const struct vms_meminfo *mi = &c->d->log->meminfo;
	const struct vms_meminfo_cmp *x = &c->m->meminfo;
	if (c->on[R_MEMINFO_MISMATCH])
		total_rule(c, mi);
	if (c->on[R_MEMINFO_MISMATCH] && x->era_conflict) {
		const struct vms_bootlog *log = c->d->log;
		chk_add(c, R_MEMINFO_MISMATCH, -1, mi->used.line, mi->file,
		        "VmallocUsed %" PRIu64 " kB and VmallocChunk %" PRIu64 " kB are "
		        "what %s prints, but the Linux version (line %u) is %s: "
		        "meminfo of another kernel? (nothing compared)",
		        mi->used.kb, mi->chunk.kb,
		        x->era == VMS_MI_ZERO ? "a 4.4+ kernel" : "a kernel before 4.4",
		        log->version_line, log->version_text);
		return;
	}
	if (x->incomplete) {
		if (c->on[R_DUMP_INCOMPLETE])
			chk_add(c, R_DUMP_INCOMPLETE, -1, mi->used.line, mi->file, "%s",
			        x->incomplete);
		return;
	}
	if (!c->on[R_MEMINFO_MISMATCH] || x->era != VMS_MI_SPACE || !x->compared)
		return;
	if (x->used_kb != mi->used.kb)
		chk_add(c, R_MEMINFO_MISMATCH, -1, mi->used.line, mi->file,
		        "VmallocUsed %" PRIu64 " kB, but the areas starting in the "
		        "vmalloc region add up to %" PRIu64 " kB",
		        mi->used.kb, x->used_kb);
	if (x->has_chunk && mi->chunk.line && !near(x->chunk_kb, mi->chunk.kb))
		chk_add(c, R_MEMINFO_MISMATCH, -1, mi->chunk.line, mi->file,
		        "VmallocChunk %" PRIu64 " kB, but the largest hole of the "
		        "vmalloc region is %" PRIu64 " kB at 0x%" PRIx64,
		        mi->chunk.kb, x->chunk_kb, x->chunk_start);
}
