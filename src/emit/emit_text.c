/*
 * emit_text.c — canonical /proc/vmallocinfo lines from parsed areas.
 *
 * Operations: vms_emit_area_text() (one line), vms_emit_text() (all areas),
 * and the small formatting helpers the other writers share (address width,
 * flag words). Cost: O(1) per area plus its NUMA entries.
 *
 * Invariant (the round-trip property): the line written for an area is the
 * line the kernel of the area's era would print, field for field, so parsing
 * the output yields the same records. The era shows in the record itself:
 * address width from d->addr_bits (8 or 16 hex digits, as %p pads),
 * phys= with or without "0x" (area.phys_0x, 4.11+ %pa form, padded to the
 * observed digit count), and the line kinds vm_map_ram / unpurged vm_area
 * (4.13+). Hashed and restricted addresses print exactly as recorded; a
 * (ptrval) dump prints the kernel's placeholder. Line numbers, columns and
 * repair marks are not part of the text and do not survive a round trip.
 */
#include "vmscope/emit.h"

#include <inttypes.h>
#include <string.h>

int vms_emit_addr_digits(const struct vms_dump *d, uint64_t v)
{
	if (d && d->addr_bits == 64)
		return 16;
	if (d && d->addr_bits == 32)
		return 8;
	return v > UINT32_MAX ? 16 : 8;
}

const char *vms_emit_flag_words(unsigned flags, const char *sep, char *buf, size_t len)
{
	size_t used = 0;
	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (unsigned bit = 0; bit < VMS_NR_FLAGS; bit++) {
		if (!(flags & (1u << bit)))
			continue;
		int n = snprintf(buf + used, len - used, "%s%s", used ? sep : "",
		                 vms_flag_name(bit));
		if (n < 0 || (size_t)n >= len - used) {
			buf[used] = '\0'; /* keep whole words only */
			break;
		}
		used += (size_t)n;
	}
	return buf;
}

/* True when the dump's addresses were printed as (ptrval) placeholders and
 * this area carries no real value. */
static int is_ptrval(const struct vms_dump *d, const struct vms_area *a)
{
	return d->visibility == VMS_VIS_PTRVAL && a->start == 0 && a->end == 0;
}

/* "0xSTART-0xEND SIZE" with %p padding and the %7ld size column. */
static void put_range(FILE *fp, const struct vms_dump *d, const struct vms_area *a)
{
	int w = vms_emit_addr_digits(d, a->start > a->end ? a->start : a->end);
	if (is_ptrval(d, a)) {
		const char *pv = w == 16 ? "(____ptrval____)" : "(ptrval)";
		fprintf(fp, "0x%s-0x%s", pv, pv);
	} else {
		fprintf(fp, "0x%0*" PRIx64 "-0x%0*" PRIx64, w, a->start, w, a->end);
	}
	fprintf(fp, " %7" PRIu64, a->size);
}

/* " caller+0xoff/0xlen [module]" (%pS), or a raw caller as recorded. */
static void put_caller(FILE *fp, const struct vms_area *a)
{
	if (a->caller) {
		fprintf(fp, " %s", a->caller);
		if (a->has_offset)
			fprintf(fp, "+0x%" PRIx64 "/0x%" PRIx64, a->offset, a->length);
	}
	if (a->module)
		fprintf(fp, " [%s]", a->module);
}

/* " phys=..." in the area's era form: "%llx" (<= 4.10) or "%pa" (4.11+). */
static void put_phys(FILE *fp, const struct vms_dump *d, const struct vms_area *a)
{
	if (!a->has_phys)
		return;
	if (!a->phys_0x) {
		fprintf(fp, " phys=%" PRIx64, a->phys);
		return;
	}
	int w = a->phys_digits ? a->phys_digits : (d->addr_bits == 64 ? 16 : 8);
	fprintf(fp, " phys=0x%0*" PRIx64, w, a->phys);
}

static void put_details(FILE *fp, const struct vms_dump *d, const struct vms_area *a)
{
	char words[96];
	put_caller(fp, a);
	if (a->has_pages)
		fprintf(fp, " pages=%" PRIu64, a->pages);
	put_phys(fp, d, a);
	if (a->flags)
		fprintf(fp, " %s",
		        vms_emit_flag_words(a->flags, " ", words, sizeof(words)));
	for (uint32_t i = 0; i < a->nr_numa; i++)
		fprintf(fp, " N%" PRIu32 "=%" PRIu32, a->numa[i].node, a->numa[i].pages);
	if (a->extra && a->extra[0])
		fprintf(fp, " %s", a->extra);
}

int vms_emit_area_text(FILE *fp, const struct vms_dump *d, const struct vms_area *a)
{
	put_range(fp, d, a);
	switch (a->kind) {
	case VMS_KIND_VM_MAP_RAM:
		fputs(" vm_map_ram", fp);
		break;
	case VMS_KIND_UNPURGED:
		fputs(" unpurged vm_area", fp);
		break;
	default:
		put_details(fp, d, a);
		break;
	}
	fputc('\n', fp);
	return ferror(fp) ? -VMS_EIO : 0;
}

int vms_emit_text(FILE *fp, const struct vms_dump *d)
{
	for (size_t i = 0; i < d->areas.n; i++)
		vms_emit_area_text(fp, d, &d->areas.v[i]);
	return ferror(fp) ? -VMS_EIO : 0;
}
