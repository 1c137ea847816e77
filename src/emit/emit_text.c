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
 * phys= with or without "0x" (area.phys_form: the 4.11+ %pa form is padded
 * to 8 or 16 digits; --kernel picks the form of its era instead), and the
 * line kinds vm_map_ram / unpurged vm_area (4.13+). Hashed and restricted
 * addresses print exactly as recorded; a (ptrval) dump prints the kernel's
 * placeholder. Line numbers, columns and repair marks are not part of the
 * text and do not survive a round trip. Words from the input that are not
 * kernel-format (extra words, odd module names) are escaped
 * (vms_emit_escaped), so a hostile dump cannot drive the terminal.
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

/* The names of the bits set in bits (of nbits), joined by sep into buf;
 * only whole names are kept when buf is too small. */
static const char *join_bits(unsigned bits, unsigned nbits, const char *(*name)(unsigned),
                             const char *sep, char *buf, size_t len)
{
	size_t used = 0;
	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (unsigned bit = 0; bit < nbits; bit++) {
		if (!(bits & (1u << bit)))
			continue;
		int n =
		    snprintf(buf + used, len - used, "%s%s", used ? sep : "", name(bit));
		if (n < 0 || (size_t)n >= len - used) {
			buf[used] = '\0';
			break;
		}
		used += (size_t)n;
	}
	return buf;
}

const char *vms_emit_repair_codes(const struct vms_dump *d, size_t i, const char *sep,
                                  char *buf, size_t len)
{
	return join_bits(d->src.v[i].repairs, VMS_NR_REPAIR_BITS, vms_repair_bit_code,
	                 sep, buf, len);
}

/* Length of the valid UTF-8 character at s[0..n) that is not a C1 control
 * (U+0080..U+009F, encoded C2 80..C2 9F) nor, with no_nonchars, U+FFFE or
 * U+FFFF (not allowed in XML), or 0. */
static size_t utf8_ok(const unsigned char *s, size_t n, bool no_nonchars)
{
	size_t k = vms_utf8_len((const char *)s, n);
	if (k == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		return 0;
	if (no_nonchars && k == 3 && s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe)
		return 0;
	return k;
}

void vms_emit_escaped_as(FILE *fp, const char *s, size_t n, const struct vms_escape *how)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n, *run = p;
	while (p < e) {
		const char *sub = how->special ? how->special(*p, how->ctx) : NULL;
		size_t k = sub                       ? 0
		           : *p >= 0x20 && *p < 0x7f ? 1
		           : *p >= 0x80 ? utf8_ok(p, (size_t)(e - p), how->no_nonchars)
		           : *p == '\t' && how->keep_tab ? 1
		                                         : 0;
		if (k) {
			p += k;
			continue;
		}
		fwrite(run, 1, (size_t)(p - run), fp);
		if (sub)
			fputs(sub, fp);
		else
			fprintf(fp, "\\x%02x", *p);
		run = ++p;
	}
	fwrite(run, 1, (size_t)(p - run), fp);
}

void vms_emit_escaped(FILE *fp, const char *s, size_t n, bool keep_tab)
{
	const struct vms_escape how = {.keep_tab = keep_tab};
	vms_emit_escaped_as(fp, s, n, &how);
}

const char *vms_emit_flag_words(unsigned flags, const char *sep, char *buf, size_t len)
{
	return join_bits(flags, VMS_NR_FLAGS, vms_flag_name, sep, buf, len);
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

/* " word", escaped. */
static void put_word(FILE *fp, const char *s)
{
	fputc(' ', fp);
	vms_emit_escaped(fp, s, strlen(s), false);
}

/* " caller+0xoff/0xlen [module]" (%pS), or a raw caller as recorded. */
static void put_caller(FILE *fp, const struct vms_dump *d, const struct vms_area *a)
{
	const char *caller = vms_area_caller(d, a), *module = vms_area_module(d, a);
	if (caller) {
		put_word(fp, caller);
		if (a->has_offset)
			fprintf(fp, "+0x%" PRIx32 "/0x%" PRIx32, a->offset, a->length);
	}
	if (module) {
		fputs(" [", fp);
		vms_emit_escaped(fp, module, strlen(module), false);
		fputc(']', fp);
	}
}

/* " phys=..." as printed: "%llx" (<= 4.10) or "%pa" (4.11+), or in the
 * form of the --kernel era when one was given (an interpretation of the
 * stored value, which keeps its printed form). */
static void put_phys(FILE *fp, const struct vms_dump *d, const struct vms_area *a)
{
	if (!a->has_phys)
		return;
	unsigned form = a->phys_form;
	if (d->kernel_given) {
		bool pa = d->kernel_major * 100 + d->kernel_minor >= 411;
		form = !pa                      ? VMS_PHYS_PLAIN
		       : form != VMS_PHYS_PLAIN ? form
		       : d->addr_bits == 64     ? VMS_PHYS_PA64
		                                : VMS_PHYS_PA32;
	}
	if (form == VMS_PHYS_PLAIN)
		fprintf(fp, " phys=%" PRIx64, a->phys);
	else
		fprintf(fp, " phys=0x%0*" PRIx64, form == VMS_PHYS_PA64 ? 16 : 8,
		        a->phys);
}

static void put_details(FILE *fp, const struct vms_dump *d, size_t i)
{
	const struct vms_area *a = &d->areas.v[i];
	char words[96];
	put_caller(fp, d, a);
	if (a->has_pages)
		fprintf(fp, " pages=%" PRIu32, a->pages);
	put_phys(fp, d, a);
	if (a->flags)
		fprintf(fp, " %s",
		        vms_emit_flag_words(a->flags, " ", words, sizeof(words)));
	uint32_t nr;
	const struct vms_numa *numa = vms_dump_numa(d, i, &nr);
	for (uint32_t k = 0; k < nr; k++)
		fprintf(fp, " N%" PRIu32 "=%" PRIu32, numa[k].node, numa[k].pages);
	const char *extra = vms_dump_extra(d, i);
	if (extra && extra[0])
		put_word(fp, extra);
}

int vms_emit_area_text(FILE *fp, const struct vms_dump *d, size_t i)
{
	const struct vms_area *a = &d->areas.v[i];
	put_range(fp, d, a);
	switch (a->kind) {
	case VMS_KIND_VM_MAP_RAM:
		fputs(" vm_map_ram", fp);
		break;
	case VMS_KIND_UNPURGED:
		fputs(" unpurged vm_area", fp);
		break;
	default:
		put_details(fp, d, i);
		break;
	}
	fputc('\n', fp);
	return ferror(fp) ? -VMS_EIO : 0;
}

int vms_emit_text(FILE *fp, const struct vms_dump *d)
{
	for (size_t i = 0; i < d->areas.n; i++)
		vms_emit_area_text(fp, d, i);
	return ferror(fp) ? -VMS_EIO : 0;
}
