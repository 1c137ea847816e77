/*
 * parse_log_int.h — internal to the boot-log parser (parse_log.c,
 * parse_layout.c, parse_failure.c, parse_ident.c, parse_boots.c): the parser
 * state shared by these files and the entry points each offers the
 * dispatcher in parse_log.c.
 *
 * State across lines (all of it lives here):
 *  - an open layout block (after a header line, or after a header-less
 *    layout line with a well-known region name) stays open while layout
 *    lines follow with at most LAYOUT_MAX_GAP other lines between them;
 *  - an open call-trace context (after a failure message) stays open while
 *    trace lines follow; closing it gives every failure since the previous
 *    trace the collected caller list;
 *  - a pending continuation (wrapped command line, Memory: or Linux version
 *    line) accepts the very next input line only;
 *  - the evidence for the kernel version and the arch (parse_ident.c): the
 *    best version source so far, and every distinct arch evidence;
 *  - the boot being read and a snapshot of the one before it
 *    (parse_boots.c), to tell a repeated boot from the first copy.
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

/* The arches the evidence can name; a piece of evidence is a set of them
 * (bit i = arch i, names in parse_ident.c). */
enum vms_arch_bit {
	VMS_A_ARM32,
	VMS_A_ARM64,
	VMS_A_X86_32,
	VMS_A_X86_64,
	VMS_A_RISCV32,
	VMS_A_RISCV64,
	VMS_A_PPC32,
	VMS_A_PPC64,
	VMS_A_SH,
	VMS_A_MIPS,
	VMS_A_XTENSA,
	VMS_A_NDS32,
	VMS_A_MICROBLAZE,
	VMS_NR_ARCH_BITS
};
#define VMS_ARCH(a) (1u << VMS_A_##a)

/* One piece of arch evidence: the arches it allows, how strong it is, and
 * where it was found. */
struct vms_arch_ev {
	uint32_t set;
	uint8_t rank; /* higher is read first */
	uint32_t line;
	const char *what; /* "call trace frame el0t_64_sync", arena */
};
enum { ARCH_MAX_EVIDENCE = 16 };

/* What one boot stated (parse_boots.c): a snapshot of the boot before the
 * current one. Strings are arena-owned; a fact is absent when its line is 0. */
struct vms_boot {
	uint32_t start;      /* first line of the boot (its Linux version) */
	const char *version; /* the whole Linux version line, or NULL */
	uint32_t version_line;
	const char *cmdline; /* the kernel command line */
	uint32_t cmdline_line;
	uint64_t memory_kb; /* Memory: total */
	uint32_t memory_line;
	struct vms_region *regions; /* the layout block, copied */
	size_t nregions;
	size_t fail_from, fail_to; /* its failures: log->failures.v[from..to) */
};

enum log_cont {
	CONT_NONE = 0,
	CONT_CMDLINE,
	CONT_MEMORY,
	CONT_VERSION,
};

struct vms_logparser {
	struct vms_dump *d;
	/* failures beyond VMS_DIAG_CAP: counted, not stored */
	uint64_t failures_dropped;
	uint32_t failures_first_dropped;
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
	/* kernel version and arch evidence (parse_ident.c) */
	uint8_t version_rank; /* source of version_text: 0 none, see parse_ident.c */
	struct vms_arch_ev arch_ev[ARCH_MAX_EVIDENCE];
	unsigned nr_arch_ev;
	bool arch_conflict; /* the note was given */
	/* boots (parse_boots.c) */
	uint32_t boot_start;    /* first line of the current boot, 0 = none yet */
	bool boot_kernel_facts; /* the current boot stated a kernel fact */
	bool boot_kcmdline;     /* ... a "Kernel command line:" */
	size_t boot_fail_from;  /* its first failure */
	bool have_prev;         /* prev holds the boot before */
	bool prev_copy;         /* the current boot repeats prev (same build) */
	struct vms_boot prev;
	bool memory_from_total; /* memory_total_kb came from "N MB total" */
};

/* Result of a line handler: not ours, or claimed with a line class. */
enum { LOG_NOT_MINE = -1 };

/* parse_layout.c */
int vms_layout_line(struct vms_logparser *p, const struct vms_line *ln);
void vms_layout_close(struct vms_logparser *p);

/* parse_failure.c */
int vms_failure_line(struct vms_logparser *p, const struct vms_line *ln);
void vms_failure_close(struct vms_logparser *p);

/* parse_failure.c: the functions a call-trace frame line names (the frame's
 * and, for arm32 "(a) from [<..>] (b+0x1/0x2)", the caller's), reliable
 * frames only; returns how many (0..2). */
int vms_frame_functions(const char *t, const char *sym[2], size_t n[2]);

/* parse_layout.c: the arches the layout block allows (all when there is no
 * block), with a description of why in *why (static text or NULL). */
uint32_t vms_layout_archs(const struct vms_bootlog *log, const char **why);

/* parse_ident.c: version and arch from every place a log states them. */
void vms_ident_version(struct vms_logparser *p, uint32_t line, const char *full);
int vms_ident_uname(struct vms_logparser *p, const struct vms_line *ln);
void vms_ident_evidence(struct vms_logparser *p, const struct vms_line *ln);
/* The arch the evidence so far names ("arm64"), a family when it names
 * several of one family ("riscv"), or NULL. */
const char *vms_ident_hint(const struct vms_logparser *p);
void vms_ident_finish(struct vms_logparser *p);

/* parse_boots.c: the same boot twice. Called before the fact is recorded. */
void vms_boot_version(struct vms_logparser *p, const struct vms_line *ln,
                      const char *full);
void vms_boot_cmdline(struct vms_logparser *p, const struct vms_line *ln,
                      const char *text, size_t n);
void vms_boot_memory(struct vms_logparser *p, const struct vms_line *ln, uint64_t kb);
void vms_boot_region(struct vms_logparser *p, const struct vms_line *ln,
                     const struct vms_region *r);
/* True when failure f repeats one of the first copy's (and notes it). */
bool vms_boot_failure_repeats(struct vms_logparser *p, const struct vms_failure *f);
/* True when a layout header at this point starts the block of a new boot. */
bool vms_boot_new_layout(const struct vms_logparser *p);
void vms_boot_fact(struct vms_logparser *p);

/* parse_meminfo.c: a VmallocTotal/Used/Chunk or Percpu line of
 * /proc/meminfo, into log->meminfo. */
int vms_meminfo_line(struct vms_logparser *p, const struct vms_line *ln);

/* parse_log.c: severity-aware class of a claimed line. */
int vms_log_class(struct vms_dump *d, uint64_t alerts_before, bool repaired);

#endif /* VMS_PARSE_LOG_INT_H */
