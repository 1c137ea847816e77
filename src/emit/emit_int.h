/*
 * emit_int.h — internal: what the text writers of src/emit/ share: the
 * ANSI SGR sequences (one palette) and the bold section heading.
 */
#ifndef VMS_EMIT_INT_H
#define VMS_EMIT_INT_H

#include <stdbool.h>
#include <stdio.h>

/* ANSI SGR sequences: gcc's palette for diagnostics (bold colours), plain
 * colours for figures (growth red, shrinking green). */
#define SGR_BOLD        "\033[1m"
#define SGR_BOLD_RED    "\033[1;31m"
#define SGR_BOLD_YELLOW "\033[1;33m"
#define SGR_BOLD_CYAN   "\033[1;36m"
#define SGR_RED         "\033[31m"
#define SGR_GREEN       "\033[32m"
#define SGR_RESET       "\033[0m"

/* Writes "\n" then text (bold with color): a section heading, without
 * the newline after it. */
void vms_emit_heading(FILE *fp, const char *text, bool color);

struct vms_check_result;
/* Writes "N error(s), N warning(s), N info" of a check result. */
void vms_emit_check_counts(FILE *fp, const struct vms_check_result *r);

#endif /* VMS_EMIT_INT_H */
