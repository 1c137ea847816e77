/*
 * parse_vmi_int.h — internal to the vmallocinfo parser: what the fast path
 * (parse_vmi_fast.c) shares with the assembler (parse_vmi.c).
 */
#ifndef VMS_PARSE_VMI_INT_H
#define VMS_PARSE_VMI_INT_H

#include "intern.h"
#include "parse_vmi.h"

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

#endif /* VMS_PARSE_VMI_INT_H */
