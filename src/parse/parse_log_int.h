/*
 * parse_log_int.h — internal to the boot-log parser (parse_log.c,
 * parse_layout.c, parse_failure.c): the parser state shared by the three
 * files and the entry points each file offers the dispatcher in parse_log.c.
 *
 * State across lines (all of it lives here):
 *  - an open layout block (after a header line, or after a header-less
 *    layout line with a well-known region name) stays open while layout
 *    lines follow with at most LAYOUT_MAX_GAP other lines between them;
 *  - an open call-trace context (after a failure message) stays open while
 *    trace lines follow; closing it gives every failure since the previous
 *    trace the collected caller list;
 *  - a pending continuation (wrapped command line, Memory: or Linux version
 *    line) accepts the very next input line only.
 */
#ifndef VMS_PARSE_LOG_INT_H
#define VMS_PARSE_LOG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse_lines.h"
#include "vmscope/dump.h"

enum {
	LAYOUT_MAX_GAP = 4,        /* lines allowed between two layout lines */
	LAYOUT_MAX_REGIONS = 256,  /* regions per block before it is cut */
	LAYOUT_MAX_LINE = 512,     /* longer text is never one layout line */
	TRACE_MAX_CALLERS = 128,   /* frames kept per call trace */
	CONT_MAX_LINES = 8,        /* continuation lines joined to one fact */
	CONT_MAX_TEXT = 64 * 1024, /* facts longer than this are never joined */
};

enum log_cont {
	CONT_NONE = 0,
	CONT_CMDLINE,
	CONT_MEMORY,
	CONT_VERSION,
};

struct vms_logparser {
	struct vms_dump *d;
	/* layout block */
	bool in_layout;
	bool layout_header;   /* the block began with a header line */
	uint32_t layout_last; /* last line that belonged to the block */
	size_t block_first;   /* index of the block's first region */
	/* call trace after failures */
	bool in_trace;
	uint32_t trace_last;           /* last line of the failure/trace context */
	size_t trace_from;             /* first failure waiting for a trace */
	VMS_VEC(const char *) callers; /* arena strings, innermost first */
	const char *trace_tail;        /* "from" function of the last arm32 frame */
	bool tail_pending;             /* that function is wrapped onto the next line */
	/* wrapped fact */
	uint8_t cont;             /* enum log_cont */
	uint32_t cont_last;       /* line the continuation must follow */
	uint32_t cont_lines;      /* lines joined so far */
	int cont_depth;           /* unclosed '(' so far (Memory:, version) */
	const char *version_full; /* whole (joined) Linux version line */
	bool memory_from_total;   /* memory_total_kb came from "N MB total" */
};

/* Result of a line handler: not ours, or claimed with a line class. */
enum { LOG_NOT_MINE = -1 };

/* parse_layout.c */
int vms_layout_line(struct vms_logparser *p, const struct vms_line *ln);
void vms_layout_close(struct vms_logparser *p);
const char *vms_layout_arch(const struct vms_bootlog *log);

/* parse_failure.c */
int vms_failure_line(struct vms_logparser *p, const struct vms_line *ln);
void vms_failure_close(struct vms_logparser *p);

/* parse_log.c: severity-aware class of a claimed line. */
int vms_log_class(struct vms_dump *d, size_t ndiags_before, bool repaired);

#endif /* VMS_PARSE_LOG_INT_H */
