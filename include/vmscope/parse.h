/*
 * parse.h — turn text (a vmallocinfo dump, a dmesg or console log, or both
 * mixed in any order) into a struct vms_dump.
 *
 * Every input line ends in exactly one class (parsed, repaired, noise,
 * diagnostic) and the counts add up to the line count; nothing is dropped
 * silently. Cost: O(n) in the input size; memory about the input size plus
 * one struct vms_area per area.
 */
#ifndef VMS_PARSE_H
#define VMS_PARSE_H

#include <stdint.h>
#include <stdio.h>

#include "vmscope/dump.h"

struct vms_parse_opts {
	int kernel_major, kernel_minor; /* --kernel X.Y; 0 = infer */
	uint64_t page_size;             /* --page-size; 0 = infer (default 4 KiB) */
	const char *arch;               /* --arch; NULL = infer */
	unsigned threads;               /* 0 = automatic (2 for big files), 1 = one */
};

/*
 * Parses buf[0..len) (need not be NUL-terminated; may hold NUL bytes).
 * source names the input in diagnostics. opts may be NULL.
 * Returns 0 and a new dump in *out (free with vms_dump_free()), or
 * -VMS_EINVAL for bad options. A dump is returned even when nothing in the
 * text was usable; callers decide (vms_dump_usable()).
 */
int vms_parse_buffer(const char *buf, size_t len, const char *source,
                     const struct vms_parse_opts *opts, struct vms_dump **out);
/* Reads the whole stream, then parses it. -VMS_EIO on a read error. */
int vms_parse_stream(FILE *fp, const char *source, const struct vms_parse_opts *opts,
                     struct vms_dump **out);
/* Opens and parses path ("-" = stdin). -VMS_EIO when it cannot be read;
 * errno is kept for the caller's message. */
int vms_parse_file(const char *path, const struct vms_parse_opts *opts,
                   struct vms_dump **out);

/* True when the dump holds at least one area or one boot-log fact. */
int vms_dump_usable(const struct vms_dump *d);

/*
 * The kernel command-line reader shared by the boot-log parser and the CLI's
 * --cmdline: fills cl from text[0..len) the way the kernel reads its early
 * parameters.
 *
 *  - Words are split on blanks; a double quote starts a quoted run in which
 *    blanks do not split (the kernel's next_arg()): `foo="a b"` is one word,
 *    and quotes around a value or a whole word are removed.
 *  - A bare "--" ends the kernel's parameters (the rest goes to init).
 *  - vmalloc=, mem= and cma= are read; the LAST occurrence of each wins, as
 *    the kernel's early_param handlers overwrite their variable (arm32 adds
 *    a memory bank per mem=: nr_mem counts them).
 *  - Values use the kernel's memparse(): C notation (0x hex, 0 octal,
 *    decimal) and an optional K/M/G/T/P/E suffix. For mem= the text after
 *    the size ("@start", "$start", "#start") is the start address.
 *  - A value that is empty, not a number, or needs more than 64 bits is bad:
 *    that key is then unknown (has_* false), because the kernel would read
 *    0 or a wrapped number. Text after a readable size is bad too, but the
 *    size is kept: the kernel ignores the rest ("vmalloc=300MB" is 300M).
 *
 * On return cl->text is a copy of the text and the option fields are set;
 * cl->line and cl->from_uboot are left as they were. Strings are allocated
 * in arena. Returns 0 when every value was good; otherwise -VMS_EINVAL and,
 * when bad is not NULL, the first bad word (text[off, off + len)), a static
 * reason and the number of bad values. The log parser turns that into the
 * located warning "cmdline-bad-size"; the CLI into a usage error.
 */
struct vms_cmdline_bad {
	size_t off, len;    /* the first bad "key=value" word in text */
	const char *reason; /* static text, e.g. "not a number" */
	unsigned count;     /* bad values in the whole text */
};
int vms_cmdline_parse(const char *text, size_t len, struct vms_arena *arena,
                      struct vms_cmdline *cl, struct vms_cmdline_bad *bad);

/* Parses "X.Y" or "X.Y.Z..." into major/minor; 0 on success, -VMS_EINVAL. */
int vms_parse_kernel_version(const char *s, int *major, int *minor);

#endif /* VMS_PARSE_H */
