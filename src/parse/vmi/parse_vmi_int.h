/*
 * parse_vmi_int.h — internal to the vmallocinfo parser: the segment state
 * shared by the segment code (parse_vmi.c), the feeders (parse_vmi_feed.c)
 * and the fast path (parse_vmi_fast.c).
 */
#ifndef VMS_PARSE_VMI_INT_H
#define VMS_PARSE_VMI_INT_H

#include "parse_vmi.h"
#include "vmscope/common.h"

enum { MAX_TOKS = 512, MAX_WORDS = 8, NO_CLASS = VMS_NO_CLASS };

/* A repair found while an entry is open; stored when the entry is emitted. */
struct seg_fix {
	uint32_t line, col;
	const char *code; /* static */
	size_t msg;       /* offset of its message in seg.msgs */
};

/* One entry under construction. */
struct seg {
	struct vms_area a;     /* the record so far */
	struct vms_area_src s; /* lines, column, widths, repairs */
	bool open, has_range, has_size, has_caller, half_caller, bad, ptrval, warned;
	bool bad_offset; /* the caller's offset or length did not fit: not kept */
	uint32_t rank;   /* kernel-order rank of the last field */
	uint64_t glued_size, glued_end; /* "0x..end<size>" reading of the range */
	VMS_VEC(struct vms_numa) numa;
	VMS_VEC(char) extra;
	VMS_VEC(struct seg_fix) fixes;
	VMS_VEC(char) msgs; /* NUL-separated fix messages */
};

struct vms_vmi {
	struct vms_dump *d;
	struct vms_classes *cls;
	struct seg cur, pending;
	struct vms_tok *toks; /* MAX_TOKS, one line (or chunk of a line) */
	bool glued_line;      /* the line being fed holds several ranges */
	bool fast_open;       /* the last area came from the fast path, last line */
	uint64_t tok_work;    /* bytes the tokenizer's scans examined (tests) */
	/* lines in a debugger's own syntax, per enum vms_tool (not PROC), and
	 * the first of them (parse_vmi_tools.c) */
	uint32_t tool_lines[VMS_NR_TOOLS], tool_first[VMS_NR_TOOLS];
};

/* Counts line `no` as evidence of tool t (parse_vmi_tools.c). */
void vms_vmi_tool_seen(struct vms_vmi *p, enum vms_tool t, uint32_t no);
/* A line that the kernel's fast path refused, in the syntax of the gdb
 * script lx-vmallocinfo or of drgn's vmallocinfo.py (only with nothing
 * held): appends its area like vms_vmi_fast() and returns the tool, or
 * returns VMS_TOOL_PROC having changed nothing. Depends on nothing read
 * before (parse_vmi_fast.c). */
enum vms_tool vms_vmi_debugger(struct vms_vmi *p, const struct vms_line *ln);
/* A line of crash's "kmem -v" table (header or row): true when it was one
 * (its class is set, a row's area appended after closing the open entry). */
bool vms_vmi_crash(struct vms_vmi *p, const struct vms_line *ln);

/* Appends a finished area (NUMA entries copied) and classes its lines. */
void vms_vmi_push(struct vms_vmi *p, const struct vms_area *a,
                  const struct vms_area_src *s, const struct vms_numa *numa,
                  uint32_t nr_numa);

/* Shared by the segment code (parse_vmi.c) and the feeders
 * (parse_vmi_feed.c). */
void vms_vmi_mark(struct vms_vmi *p, uint32_t line, enum vms_line_class c);
void vms_seg_reset(struct seg *s);
void vms_seg_fix(struct seg *s, uint32_t line, uint32_t col, uint32_t bit,
                 const char *code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void vms_seg_touch(struct vms_vmi *p, struct seg *s, uint32_t line, uint32_t col);
void vms_seg_extra(struct seg *s, const char *w, size_t n);
void vms_seg_rank(struct seg *s, uint32_t rank, const struct vms_tok *t, uint32_t line);
/* Closes the open segment: emits it, holds it as pending, or diagnoses it. */
void vms_vmi_close(struct vms_vmi *p);

#endif /* VMS_PARSE_VMI_INT_H */
