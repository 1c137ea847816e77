/*
 * parse_lines.h — internal: one input line on its way to the parsers.
 *
 * The driver (parse_driver.c) cuts the input into physical lines (line ends,
 * NUL bytes and lone CRs handled there: the bytes are writable and
 * NUL-terminated, trailing blanks removed). The line preparer (parse_prep.c)
 * then, with context kept across lines,
 *
 *   - normalises the bytes in place (parse_norm.c: ANSI escapes, HTML
 *     entities, invisible characters, no-break spaces), keeping a map back
 *     to the columns as read: always report columns with vms_line_col();
 *   - cuts the physical line into records where a kernel log record was
 *     glued into the middle of another ("...=<6>[    0.000000] PID hash"):
 *     each record is one struct vms_line with the same line number;
 *   - removes what surrounds the kernel text: listing and diff columns,
 *     comment markers, console and paste prefixes (vms_line_strip,
 *     parse_lines.c), a shell prompt glued to the end of the line, an
 *     editor's or pager's truncation mark in the last column.
 *
 * vms_line_noise() (parse_lines.c) then tells the noise lines apart.
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
	VMS_PFX_LOGLEVEL = 1u << 0,  /* "<5>", "kern  :warn  : " (dmesg -x) */
	VMS_PFX_TIMESTAMP = 1u << 1, /* "[    0.000000] " */
	VMS_PFX_SYSLOG = 1u << 2,    /* syslog, journal, RFC 5424 header */
	VMS_PFX_QUOTE = 1u << 3,     /* "> ", ">> " mail quoting */
	VMS_PFX_INDENT = 1u << 4,    /* leading blanks were removed */
	VMS_PFX_CALLER = 1u << 5, /* "[    T1] ", "[0:  swapper:    0] ", "(0)[0:init]" */
	VMS_PFX_KMSG = 1u << 6,   /* /dev/kmsg record "6,1234,5678901,-;" */
	VMS_PFX_LOGCAT = 1u << 7, /* logcat "11-30 10:00:01.123 0 0 I tag : " */
	VMS_PFX_COMMENT = 1u << 8, /* "# ", "// ", " * " */
	VMS_PFX_GUTTER = 1u << 9,  /* line number: grep -n, cat -n, editors */
	VMS_PFX_DIFF = 1u << 10,   /* first column of a unified-diff hunk */
};

/* What the preparer removed at the end of a line. */
enum vms_line_tail {
	VMS_TAIL_PROMPT = 1u << 0, /* a shell prompt glued to the end */
	VMS_TAIL_CUT = 1u << 1,    /* an editor/pager truncation mark ('$', '>') */
};

/* What vms_norm_line() changed. */
enum vms_norm_bits {
	VMS_NORM_ANSI = 1u << 0,      /* escape sequences removed */
	VMS_NORM_ENTITY = 1u << 1,    /* HTML entities decoded */
	VMS_NORM_INVISIBLE = 1u << 2, /* zero-width characters, BOM removed */
};

/* Normalised offset -> offset in the line as read: one point per change. */
struct vms_colpt {
	uint32_t at, raw;
};
struct vms_colmap {
	struct vms_colpt *v; /* ascending at */
	uint32_t n, cap;
};

struct vms_line {
	const char *raw; /* this record: NUL-terminated (normalised bytes) */
	size_t raw_len;
	const char *text; /* after prefixes, NUL-terminated at text[len] */
	size_t len;
	uint32_t no;      /* 1-based line number (shared by the records of a line) */
	uint32_t col;     /* column of text[0] in the line as read (1-based) */
	unsigned prefix;  /* enum vms_prefix_bits */
	int loglevel;     /* 0..7, or -1 */
	double timestamp; /* seconds, valid with VMS_PFX_TIMESTAMP */
	uint32_t indent;  /* blanks removed before text (tabs count 1) */
	/* set by the preparer; zero when a caller only runs vms_line_strip() */
	const struct vms_colmap *map; /* NULL: the bytes are as read */
	uint32_t raw_off;             /* raw[0]'s offset in the (normalised) line */
	uint16_t part;                /* 0, or the record's index in a split line */
	uint8_t tail;                 /* enum vms_line_tail */
	uint8_t noise;                /* 0, or 1 + a noise kind the context decided */
};

/* Column (1-based) in the line as read of the byte at of ln's text. */
uint32_t vms_line_col(const struct vms_line *ln, const char *at);

/* Fills ln->text/len/col/prefix/... from ln->raw. Cheap when the line starts
 * with "0x" (the common dump case). */
void vms_line_strip(struct vms_line *ln);
/* The same, starting at from (inside ln->raw, after context prefixes). */
void vms_line_strip_from(struct vms_line *ln, const char *from);

/* Returns the noise kind of a line that is recognisably noise (blank, fence,
 * prompt, timestamp only, elision, metadata, diff), or -1. Prose is decided
 * by the caller. */
int vms_line_noise(const struct vms_line *ln);

/* Compiles the shared regexes now; safe to call many times. */
void vms_lines_init(void);

/* Normalises s[0..len) in place (see parse_norm.c), NUL-terminates it and
 * returns the new length; fills m (reused; m->n = 0 when nothing moved),
 * what (enum vms_norm_bits) and the number of entities decoded. */
size_t vms_norm_line(char *s, size_t len, struct vms_colmap *m, unsigned *what,
                     unsigned *entities_n);

/* ---- the preparer (parse_prep.c) ----------------------------------------- */

enum {
	VMS_CUT_MIN_WIDTH = 40,   /* narrower lines are never "cut by a window" */
	VMS_CUT_MAX_WIDTH = 1024, /* wider ones neither */
	VMS_CUT_EVIDENCE = 3,     /* lines of one width ending in one mark */
};

/* Where a unified diff is: outside, in its headers, inside a hunk. */
enum vms_diff_state { VMS_DIFF_NONE = 0, VMS_DIFF_HEADERS, VMS_DIFF_HUNK };

/* Per width and mark: lines seen, and the first ones before confirmation. */
struct vms_cut_seen {
	uint32_t count;
	uint32_t first[2];
};

/* Context across the lines of one input. A zeroed struct is ready. */
struct vms_prep {
	struct vms_colmap map; /* of the current line */
	/* the current physical line */
	char *buf;
	size_t len, pos; /* pos: start of the next record */
	uint32_t no;
	size_t cut_at; /* where a NUL replaced the first byte of the next record */
	char cut_byte;
	uint16_t part;
	bool done, dump;
	char cut_mark;        /* '$' or '>' glued in the last column, or 0 */
	uint32_t width;       /* display width of the line as read */
	bool cut_confirmed;   /* the mark was a cut: it was dropped */
	uint32_t cut_prev[2]; /* earlier lines that this one confirmed */
	/* context: diff hunk, line-number gutter, /dev/kmsg records */
	uint8_t diff;                /* enum vms_diff_state */
	uint32_t hunk_old, hunk_new; /* lines left in the hunk */
	uint8_t gutter;              /* form of the last line number seen */
	uint32_t gutter_no;
	bool kmsg;       /* the last line was a /dev/kmsg record or its metadata */
	bool prev_minus; /* the last line began with "--- " */
	/* fixed-width cut evidence, per mark ('$', '>') and display width */
	struct vms_cut_seen *cuts[2]; /* VMS_CUT_MAX_WIDTH + 1 each, or NULL */
};

/* True when buf[0..len) (a line without its end, trailing blanks dropped)
 * starts with "0x" and ends in no byte the preparer would look at: then it
 * is one record without a prefix, and nothing in it needs normalising for
 * the fast path. */
static inline bool vms_prep_is_dump(const char *buf, size_t len)
{
	char last = len ? buf[len - 1] : 0;
	return buf[0] == '0' && buf[1] == 'x' && last != '$' && last != '>' &&
	       last != '#' && last != '%';
}

/* What a dump line does to the context: it ends a diff hunk and a run of
 * gutter numbers or /dev/kmsg records. Any number of dump lines in a row do
 * what one does (the two-thread split relies on it). */
static inline void vms_prep_saw_dump(struct vms_prep *pp)
{
	if (pp->diff == VMS_DIFF_HUNK)
		pp->diff = VMS_DIFF_NONE;
	pp->gutter = 0;
	pp->kmsg = pp->prev_minus = false;
}

/* The dump's hot path: when vms_prep_is_dump(), fills ln (one record, no
 * prefix) at the cost of a few stores and returns true; else false (use
 * vms_prep_line). */
static inline bool vms_prep_dump(struct vms_prep *pp, struct vms_line *ln, char *buf,
                                 size_t len, uint32_t no)
{
	if (!vms_prep_is_dump(buf, len))
		return false;
	vms_prep_saw_dump(pp);
	*ln = (struct vms_line){.raw = buf,
	                        .raw_len = len,
	                        .text = buf,
	                        .len = len,
	                        .no = no,
	                        .col = 1,
	                        .loglevel = -1};
	return true;
}
/* Begins physical line buf[0..len) (writable, NUL at len): normalises it
 * unless it starts with "0x". Returns enum vms_norm_bits and the number of
 * entities decoded in *entities_n. */
unsigned vms_prep_line(struct vms_prep *pp, char *buf, size_t len, uint32_t no,
                       unsigned *entities_n);
/* Fills ln with the next record of the line; false when there is none. The
 * record's text stays valid until the next call. */
bool vms_prep_next(struct vms_prep *pp, struct vms_line *ln);
/* True when lines of this display width ending in mark were cut by an
 * editor or pager (at least VMS_CUT_EVIDENCE of them). */
bool vms_prep_is_cut(const struct vms_prep *pp, uint32_t width, char mark);
/* Frees what the context holds; it is zeroed and ready again. */
void vms_prep_free(struct vms_prep *pp);

#endif /* VMS_PARSE_LINES_H */
