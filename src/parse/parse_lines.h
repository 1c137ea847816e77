/*
 * parse_lines.h — internal: one input line after console/paste prefixes are
 * stripped, and the noise classifier shared by the vmallocinfo and the
 * boot-log parsers.
 *
 * The driver (parse.c) copies the input, turns every end of line into a NUL
 * (CR and trailing blanks removed), so text is always NUL-terminated at
 * text[len]. NUL bytes inside a line are replaced by spaces beforehand (with a
 * warning), so str* functions and the len agree.
 */
#ifndef VMS_PARSE_LINES_H
#define VMS_PARSE_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/dump.h"

/* Bytes at the start of an input that decide its line ends: a CR and no LF
 * in them make the input CR-only (parse_driver.h; dump_invariants.h counts
 * lines with the same rule). */
enum { VMS_EOL_WINDOW = 64 * 1024 };

enum vms_prefix_bits {
	VMS_PFX_LOGLEVEL = 1u << 0,  /* "<5>" */
	VMS_PFX_TIMESTAMP = 1u << 1, /* "[    0.000000] " */
	VMS_PFX_SYSLOG = 1u << 2,    /* "Jan  1 00:00:00 host kernel: " */
	VMS_PFX_QUOTE = 1u << 3,     /* "> ", ">> " mail quoting */
	VMS_PFX_INDENT = 1u << 4,    /* leading blanks were removed */
};

struct vms_line {
	const char *raw; /* whole line, NUL-terminated, no EOL */
	size_t raw_len;
	const char *text; /* after prefixes and leading blanks, NUL-terminated */
	size_t len;
	uint32_t no;      /* 1-based line number */
	uint32_t col;     /* 1-based column of text[0] within raw */
	unsigned prefix;  /* enum vms_prefix_bits */
	int loglevel;     /* 0..7, or -1 */
	double timestamp; /* seconds, valid with VMS_PFX_TIMESTAMP */
	uint32_t indent;  /* blanks removed before text (tabs count 1) */
};

/* Fills ln->text/len/col/prefix/... from ln->raw. Cheap when the line starts
 * with "0x" (the common dump case). */
void vms_line_strip(struct vms_line *ln);

/* Returns the noise kind of a line that is recognisably noise (blank, fence,
 * prompt, timestamp only, elision), or -1. Prose is decided by the caller. */
int vms_line_noise(const struct vms_line *ln);

/* Compiles the shared regexes once; safe to call many times. */
void vms_lines_init(void);

#endif /* VMS_PARSE_LINES_H */
