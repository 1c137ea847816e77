/*
 * parse_driver.h — internal: the line driver shared by the public entry
 * points (parse.c) and the two-thread file parser (parse_split.c).
 */
#ifndef VMS_PARSE_DRIVER_H
#define VMS_PARSE_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

#include "parse_lines.h"
#include "parse_listings.h"
#include "parse_log.h"
#include "parse_vmi.h"
#include "vmscope/parse.h"

enum {
	VMS_CHUNK = 1 << 20,
	VMS_LINE_WINDOW = 1 << 20, /* longer lines are read in windows */
	VMS_BIN_SPAN = 4096,       /* binary data: bytes after a NUL judged */
};

/* Where binary data stopped the reading (reported when the input ends). */
struct vms_binary {
	uint64_t at, line_at; /* input bytes: where it begins, where its line does */
	size_t n, bad;        /* the span judged and its bad bytes */
	bool utf16;           /* a NUL in every other byte */
};

struct vms_driver {
	struct vms_dump *d;
	struct vms_logparser *log;
	struct vms_vmi *vmi;
	struct vms_classes cls; /* v[1..n] */
	uint32_t nlines;
	uint32_t max_lines; /* opts.max_lines, or the format's limit */
	bool capped;        /* more than max_lines lines: the rest is not read */
	bool stopped;       /* binary data: nothing more is read */
	struct vms_binary bin;
	/* the physical line being read in windows (longer than VMS_LINE_WINDOW) */
	bool in_line;               /* line nlines goes on in the next window */
	bool line_fixed;            /* a window of it was repaired */
	bool line_windowed;         /* it is read in windows (a long-line warning) */
	int line_noise;             /* noise kind of its first noise record, or -1 */
	_Atomic uint64_t *progress; /* opts.progress, or NULL */
	struct vms_marks marks;     /* lines that may separate listings */
	struct vms_classes nk;      /* noise kind of each noise line (0xff:
	                               none), up to the last one */
};

/* Counts n bytes read into the progress counter, when there is one. */
static inline void vms_driver_read(struct vms_driver *dr, size_t n)
{
	if (dr->progress)
		atomic_fetch_add_explicit(dr->progress, n, memory_order_relaxed);
}

/*
 * Input arrives in chunks into a buffer the driver owns; complete lines are
 * parsed in place and the partial last line moves to the front. A line
 * longer than VMS_LINE_WINDOW is read in windows of that size, cut at a
 * blank where there is one (one line number, one class, a long-line
 * warning), so the buffer stays O(window + chunk) on any input.
 *
 * Binary data stops the reading: a NUL from which the next VMS_BIN_SPAN
 * bytes hold more than an eighth of NUL or control bytes that text does
 * not hold (all C0 bytes but BEL, BS, TAB, LF, VT, FF, CR and ESC). Only
 * NULs are looked at (one memchr per chunk for text), a serial capture's
 * stray NULs are far below it, and the rule depends on the bytes alone. The
 * lines before the one it starts in are read; an error (binary-input) and
 * dump->stopped say where it began.
 *
 * Line ends: LF and CRLF end a line. When the first VMS_EOL_WINDOW bytes of
 * the input hold a CR and no LF (old Mac files, some serial captures) the
 * input is "CR-only": then CR, LF and CRLF all end a line. Otherwise a lone
 * CR inside a line is read as a blank and CRs before the LF are dropped.
 * A zeroed chunker is ready to use.
 */
enum vms_eol { VMS_EOL_UNDECIDED = 0, VMS_EOL_LF, VMS_EOL_CR };

/* The line ends of an input whose first bytes are buf[0..len) (eof: that is
 * all of it): UNDECIDED while fewer than VMS_EOL_WINDOW bytes without an LF
 * were seen. */
enum vms_eol vms_eol_decide(const char *buf, size_t len, bool eof);

struct vms_chunker {
	char *buf;
	size_t cap, len;
	/* binary data: buf[0..judged) holds none; win_bad bytes text does not
	 * hold in buf[win_lo..win_hi), the span of the last NUL judged */
	size_t judged, win_lo, win_hi, win_bad;
	uint64_t consumed;    /* input bytes before buf[0] */
	uint8_t eol;          /* enum vms_eol, decided on the first window */
	struct vms_prep prep; /* context across lines (parse_prep.c) */
};

/* Starts a driver with a new dump named source (opts may be NULL). */
void vms_driver_start(struct vms_driver *dr, const char *source,
                      const struct vms_parse_opts *opts);
/* Makes room for at least want more bytes (and a NUL) after c->len. */
void vms_chunk_room(struct vms_chunker *c, size_t want);
/* Parses every complete line in the chunk and keeps the partial rest (all
 * of it while the first VMS_EOL_WINDOW bytes have not decided the line
 * ends; a CR at the end of a CR-only chunk waits for a possible LF). */
void vms_chunk_consume(struct vms_driver *dr, struct vms_chunker *c);
/* Ends the input: parses the lines still held (a short input waits for its
 * line ends to be decided) and a last line without a line end, notes a
 * CR-only input, and frees the chunk buffer and the preparer's context. */
void vms_chunk_last(struct vms_driver *dr, struct vms_chunker *c);
/* Ends the input: flushes the parsers, infers, accounts. Returns the dump
 * (the caller owns it) and frees the driver's state. */
struct vms_dump *vms_driver_finish(struct vms_driver *dr,
                                   const struct vms_parse_opts *opts);
/* Frees a driver and its dump without finishing. */
void vms_driver_discard(struct vms_driver *dr);
/* Parses the regular file fd (size bytes at fstat time) with two threads,
 * with exactly the result of one (see parse_split.c), cutting at the first
 * line that starts at or after offset near. Returns 1 and *out, 0 when no
 * cut was found there (the caller parses it in one thread), or -VMS_EIO. */
int vms_parse_split(int fd, uint64_t size, uint64_t near, const char *source,
                    const struct vms_parse_opts *opts, struct vms_dump **out);

/* Drops a second copy of the listing (parse_repeat.c): its areas and
 * messages go, its lines become noise of kind repeat, a note says so. Runs
 * before inference, on the lines' classes. */
void vms_drop_repeated_listing(struct vms_dump *d, struct vms_classes *cls);

/* vms_dump_infer() calling cut(d, ctx) once the areas' geometry is
 * settled (repaired, visibility known), before sortedness and the era. */
void vms_dump_infer_cut(struct vms_dump *d, const struct vms_parse_opts *o,
                        void (*cut)(struct vms_dump *d, void *ctx), void *ctx);

/* Validates options: 0 or -VMS_EINVAL. */
int vms_parse_check_opts(const struct vms_parse_opts *o);

#endif /* VMS_PARSE_DRIVER_H */
