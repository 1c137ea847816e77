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

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "vmscope/dump.h"

/* The page sizes Linux has used (opts.page_size, --page-size): powers of
 * two from 4 KiB (most arches) to 256 KiB (hexagon, powerpc 44x). */
#define VMS_PAGE_SIZE_MIN 4096u
#define VMS_PAGE_SIZE_MAX (256u * 1024)

struct vms_parse_opts {
	int kernel_major, kernel_minor; /* --kernel X.Y; 0 = infer */
	uint64_t page_size;             /* --page-size; 0 = infer (default 4 KiB) */
	const char *arch;               /* --arch; NULL = infer */
	unsigned threads;               /* 0 = automatic (2 for big files), 1 = one */
	/* Boot-log facts from elsewhere (--layout FILE), merged into the dump
	 * before inference so they count as if the input held them (borrowed;
	 * vms_bootlog_merge() rules), and the name of that file. */
	const struct vms_bootlog *layout;
	const char *layout_file;
	/* A kernel command line given by the user (--cmdline): read with
	 * vms_cmdline_parse() and put in the dump's boot log before inference,
	 * in place of any the input has (its file is "--cmdline"). */
	const char *cmdline;
	/* The input is the running system's /proc/vmallocinfo: where the text
	 * states no kernel version or arch, uname(2) supplies them. */
	bool running;
	/* Lines read at most; the rest is reported (too-many-lines), not read.
	 * 0 = the format's limit, 2^32 - 2 (line numbers are 32-bit). */
	uint32_t max_lines;
	/* When set, the parser adds here the bytes it reads, as it reads them
	 * (from every thread: a split parse may count a few bytes twice), for
	 * a progress display on another thread. */
	_Atomic uint64_t *progress;
	/* For tests: parse a regular file with two threads whatever its size,
	 * cutting at the first line that starts at or after this offset
	 * (0 = automatic: files of 8 MiB and more, cut near the middle). */
	uint64_t split_at;
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
/* Opens and parses the file path (no special names: a CLI maps "-" to
 * vms_parse_stream(stdin, ...)). -VMS_EIO when it cannot be read; errno is
 * kept for the caller's message. */
int vms_parse_file(const char *path, const struct vms_parse_opts *opts,
                   struct vms_dump **out);

/*
 * Whole-dump inference and the repairs that need the whole dump: address
 * width, address visibility and each area's geometry state, the geometric
 * repairs (start, end and size are three views of one fact), page size,
 * ordering, kernel era, arch. The parsers run it at the end of a parse; a
 * dump built through the API (the simulator) runs it too, so both are
 * interpreted alike. Options change interpretation only (--kernel, --arch,
 * --page-size), never stored fields. opts may be NULL. O(areas).
 */
void vms_dump_infer(struct vms_dump *d, const struct vms_parse_opts *opts);

/* True when the input itself gave at least one area or one boot-log fact
 * (facts merged from --layout FILE, --cmdline or uname(2) do not count). */
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

/* Parses a kernel version: "X.Y" or "X.Y.Z", optionally followed by a
 * release suffix starting with '-' or '+' ("5.10.0-21-amd64", "6.0.0-rc4+").
 * Stores major and minor; 0 on success, -VMS_EINVAL ("4.4.x", "4", "4."). */
int vms_parse_kernel_version(const char *s, int *major, int *minor);

#endif /* VMS_PARSE_H */
