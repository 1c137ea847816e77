/*
 * parse_vmi_int.h — internal to the vmallocinfo parser: what the fast path
 * (parse_vmi_fast.c) shares with the assembler (parse_vmi.c).
 */
#ifndef VMS_PARSE_VMI_INT_H
#define VMS_PARSE_VMI_INT_H

#include "intern.h"
#include "parse_vmi.h"
#include "vmscope/common.h"

/* Interned copy of s[0..n), owned by the dump's arena. */
const char *vms_vmi_name(struct vms_vmi *p, const char *s, size_t n);
/* The same with the FNV-1a hash of s[0..n) (intern.h) already computed. */
const char *vms_vmi_name_hashed(struct vms_vmi *p, const char *s, size_t n, uint32_t h);
/* Appends a finished area (numa copied), records its printed hex widths and
 * classes its lines. */
void vms_vmi_push(struct vms_vmi *p, const struct vms_area *a,
                  const struct vms_numa *numa, uint32_t nr_numa, uint8_t ws, uint8_t we);
/* Parses a clean kernel-format line directly; false = use the tolerant path
 * (nothing was changed then). */
bool vms_vmi_fast(struct vms_vmi *p, const struct vms_line *ln);

enum { MAX_TOKS = 512, MAX_WORDS = 8, NO_CLASS = VMS_NO_CLASS };

struct seg {
	struct vms_area a; /* the record so far (numa, extra, repairs: below) */
	bool open, has_range, has_size, has_caller, half_caller, bad, ptrval, warned;
	uint8_t w1, w2; /* hex digits of start and end */
	uint32_t repairs, rank;
	uint64_t glued_size, glued_end;
	VMS_VEC(struct vms_numa) numa;
	VMS_VEC(char) extra;
	VMS_VEC(struct vms_repair) fixes; /* area index filled in at emit */
};

struct vms_vmi {
	struct vms_dump *d;
	struct vms_classes *cls;
	struct seg cur, pending;
	struct vms_intern names;
	VMS_VEC(uint8_t) widths; /* 2 per area: start and end hex digits */
	struct vms_tok *toks;    /* MAX_TOKS, one line (or chunk of a line) */
	bool glued_line;         /* the line being fed holds several ranges */
	bool fast_open;          /* the last area came from the fast path, last line */
};

/* Shared by the segment code (parse_vmi.c) and the feeders
 * (parse_vmi_feed.c). */
void vms_vmi_mark(struct vms_vmi *p, uint32_t line, enum vms_line_class c);
void vms_seg_reset(struct seg *s);
void vms_seg_fix(struct vms_vmi *p, struct seg *s, uint32_t line, uint32_t col,
                 uint32_t bit, const char *code, const char *msg);
void vms_seg_touch(struct vms_vmi *p, struct seg *s, uint32_t line, uint32_t col);
void vms_seg_extra(struct seg *s, const char *w, size_t n);
void vms_seg_rank(struct vms_vmi *p, struct seg *s, uint32_t rank,
                  const struct vms_tok *t, uint32_t line);
/* Closes the open segment: emits it, holds it as pending, or diagnoses it. */
void vms_vmi_close(struct vms_vmi *p);

#endif /* VMS_PARSE_VMI_INT_H */
