/*
 * view_text.h — what the viewer says about the things on the map, as
 * plain UTF-8 lines, without SDL (docs/view.md "Details, tooltip and
 * help"): the details of a dump area or of a hole for the panel, a
 * one-line tooltip for each, the hole under an address, the last lines of
 * a command's stderr, and the input lines an area was read from.
 *
 * The text reuses the writers' formatters (vms_format_size for sizes,
 * vms_emit_addr_digits for addresses, vms_emit_flag_words for flags, the
 * report's hole causes), and every string that comes from the input
 * (callers, modules, extra words, quoted lines, stderr) is escaped as the
 * CLI escapes it (vms_emit_escaped), so a hostile dump cannot feed control
 * bytes or invalid UTF-8 to the font renderer.
 *
 * Costs: area details O(NUMA entries); hole details O(windows + log n)
 * with a report; the hole lookup O(log n + windows); the tail of a text
 * O(its length); indexing a source O(its length) once, quoting a line
 * O(1).
 */
#ifndef VMS_VIEW_TEXT_H
#define VMS_VIEW_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/view.h"

struct vms_report;

/* Lines of text, each NUL-terminated; a longer line is cut at a UTF-8
 * character boundary. No allocation: a frame fills one on the stack. */
#define VMS_TEXT_LINES    24  /* lines held at most; more are dropped */
#define VMS_TEXT_LINE_MAX 512 /* bytes per line, NUL included */
struct vms_text_lines {
	size_t n; /* lines used */
	char line[VMS_TEXT_LINES][VMS_TEXT_LINE_MAX];
};

/*
 * The text a dump was parsed from, indexed by line so that the details
 * can quote an area's lines: lines end at "\n" (a "\r" before it is
 * dropped), or at "\r" in a text that has no "\n" at all, as the parser
 * reads them. text is borrowed and must outlive the index.
 */
struct vms_text_source {
	const char *text; /* borrowed */
	size_t len;
	VMS_VEC(size_t) starts; /* byte offset of line n + 1 (1-based lines) */
};
/* Indexes text[0..len) into *s (whose previous contents are not freed).
 * O(len). Free with vms_view_text_source_fini(). */
void vms_view_text_source_init(struct vms_text_source *s, const char *text, size_t len);
/* Frees the index; the text stays the caller's. NULL is a no-op. */
void vms_view_text_source_fini(struct vms_text_source *s);
/* Line `line` (1-based) without its line end, its length in *len
 * (borrowed from the text); NULL when the text has no such line. O(1). */
const char *vms_view_text_source_line(const struct vms_text_source *s, uint32_t line,
                                      size_t *len);

/*
 * Fills *out with the details of dump area i of model m (m borrowed):
 *   0xd0800000-0xd0802000
 *   size: 8 KiB (1 page + guard)
 *   kind: ioremap, guard: guard
 *   phys=f8000000
 *   flags: ioremap
 *   caller: of_iomap+0x30/0x38
 *   module: galcore
 *   NUMA: N0=128 N1=128
 *   extra: ...
 *   geometry: mismatch
 *   source: FILE line 2 (or "lines 2-3")
 *   repaired: joined-lines elision
 * then, with src (may be NULL), the source lines quoted, each indented by
 * two spaces (at most 4; a longer entry ends in "  ..."). Pages are
 * pages= when printed, else the size without the guard page in pages
 * (an unpurged area maps none: no count). Lines whose field the dump does
 * not have are left out, never printed empty.
 */
void vms_view_text_area(struct vms_text_lines *out, const struct vms_aspace *m, size_t i,
                        const struct vms_text_source *src);

/*
 * Fills *out with the details of the hole [start, end) of model m:
 *   free 0xf29bb000-0xf9800000
 *   size: 110.3 MiB
 *   window: vmalloc (or "region: lowmem, no allocation window", or
 *           "outside every region")
 * and, with a report r of m (may be NULL) and a hole inside one of its
 * windows, the cause and its evidence:
 *   cause: ioremap-align
 *   the next area, ioremap 0x... is aligned to 8 KiB ...
 * and, when the window's largest vmalloc() or ioremap() that fits now
 * lies in this hole, that request ("largest vmalloc() here: 110.3 MiB at
 * 0xf29bb000"; the ioremap with its alignment). Other holes get no
 * largest request: the report computes those per window only.
 */
void vms_view_text_hole(struct vms_text_lines *out, const struct vms_aspace *m,
                        const struct vms_report *r, uint64_t start, uint64_t end);

/* The tooltip of dump area i, into buf[0..len): "KIND 0xSTART-0xEND SIZE
 * CALLER+0xOFF/0xLEN [MODULE]" (the caller and module when any). Returns
 * buf. */
const char *vms_view_text_tip_area(const struct vms_aspace *m, size_t i, char *buf,
                                   size_t len);
/* The tooltip of the hole [start, end): "free 0xSTART-0xEND SIZE".
 * Returns buf. */
const char *vms_view_text_tip_hole(const struct vms_aspace *m, uint64_t start,
                                   uint64_t end, char *buf, size_t len);

/* The last (at most) n lines of text (NUL-terminated; a last line without
 * its newline counts, trailing empty lines do not), escaped, into *out.
 * n is capped at VMS_TEXT_LINES. O(strlen(text)). */
void vms_view_text_tail(struct vms_text_lines *out, const char *text, size_t n);

/* The hole under an address (vms_view_hole_at()). */
struct vms_view_hole {
	uint64_t start, end; /* half-open */
	int32_t window;      /* index into m->windows, or -1 */
};
/*
 * The hole holding addr in view v: the free space between the trusted
 * areas around it (the neighbours in the model's start order, as
 * vms_view_hit() reads them: the areas of a broken dump that overlap are
 * not merged), bounded by the view's span [v->lo, v->hi) and by the allocation
 * windows: inside a window, exactly one of its free holes (window set);
 * outside, the space up to the nearest windows (window -1). Returns 0 and
 * fills *h, or -VMS_ERANGE when addr lies in a trusted area or outside the
 * span. O(log n + windows).
 */
int vms_view_hole_at(const struct vms_view *v, uint64_t addr, struct vms_view_hole *h);

#endif /* VMS_VIEW_TEXT_H */
