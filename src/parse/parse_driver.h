/*
 * parse_driver.h — internal: the line driver shared by the public entry
 * points (parse.c) and the two-thread file parser (parse_split.c).
 */
#ifndef VMS_PARSE_DRIVER_H
#define VMS_PARSE_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

#include "parse_lines.h"
#include "parse_log.h"
#include "parse_vmi.h"
#include "vmscope/parse.h"

enum { VMS_CHUNK = 1 << 20 };

struct vms_driver {
	struct vms_dump *d;
	struct vms_logparser *log;
	struct vms_vmi *vmi;
	struct vms_classes cls; /* v[1..n] */
	uint32_t nlines;
	bool capped; /* more than UINT32_MAX - 1 lines: the rest is not read */
};

/*
 * Input arrives in chunks into a buffer the driver owns; complete lines are
 * parsed in place and the partial last line moves to the front. A line
 * longer than the buffer makes it grow, so memory is O(longest line +
 * chunk) beside the areas, whatever the input size.
 *
 * Line ends: LF and CRLF end a line. When the first VMS_EOL_WINDOW bytes of
 * the input hold a CR and no LF (old Mac files, some serial captures) the
 * input is "CR-only": then CR, LF and CRLF all end a line. Otherwise a lone
 * CR inside a line is read as a blank and CRs before the LF are dropped.
 * A zeroed chunker is ready to use.
 */
enum vms_eol { VMS_EOL_UNDECIDED = 0, VMS_EOL_LF, VMS_EOL_CR };

struct vms_chunker {
	char *buf;
	size_t cap, len;
	uint8_t eol;          /* enum vms_eol, decided on the first window */
	struct vms_prep prep; /* context across lines (parse_prep.c) */
};

/* Starts a driver with a new dump named source. */
void vms_driver_start(struct vms_driver *dr, const char *source);
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
/* Flushes both parsers (end of this driver's input, before a merge). */
void vms_driver_flush(struct vms_driver *dr);
/* Appends everything src read (a later part of the same input) to dst,
 * renumbering lines, and frees src. Both must be flushed; src must hold no
 * boot-log facts (vms_driver_log_empty). */
void vms_driver_merge(struct vms_driver *dst, struct vms_driver *src);
bool vms_driver_log_empty(const struct vms_driver *dr);
/* Frees a driver and its dump without finishing. */
void vms_driver_discard(struct vms_driver *dr);
/* Parses the regular file fd of size bytes with two threads. Returns 1 and
 * *out, or 0 when the file cannot be split safely (the caller parses it
 * sequentially), or -VMS_EIO. */
int vms_parse_split(int fd, uint64_t size, const char *source,
                    const struct vms_parse_opts *opts, struct vms_dump **out);

/* Validates options: 0 or -VMS_EINVAL. */
int vms_parse_check_opts(const struct vms_parse_opts *o);

#endif /* VMS_PARSE_DRIVER_H */
