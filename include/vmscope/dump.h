/*
 * dump.h — what the parsers produce: one record per vmalloc area, the boot
 * log facts found beside them (layout, command line, failures), every
 * diagnostic and repair, and the line accounting.
 *
 * A struct vms_dump owns everything reachable from it: strings and small
 * arrays live in its arena, the big arrays are VMS_VEC vectors. Free the whole
 * thing with vms_dump_free(). Readers treat a dump as read-only.
 *
 * Invariants after a successful parse:
 *  - areas are in input order (not sorted); area.line is the first source
 *    line that contributed to the area, area.last_line the last;
 *  - accounting.parsed + repaired + noise + diagnostic == accounting.lines;
 *  - every repair and diagnostic names a line (1-based) and column (1-based,
 *    0 when the whole line is meant).
 */
#ifndef VMS_DUMP_H
#define VMS_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/common.h"

/* Flag words of a vmallocinfo line (kernel.md §1.2), in printing order. */
enum vms_flag {
	VMS_F_IOREMAP = 1u << 0,
	VMS_F_SPARSE = 1u << 1,
	VMS_F_VMALLOC = 1u << 2,
	VMS_F_VMAP = 1u << 3,
	VMS_F_USER = 1u << 4,
	VMS_F_DMA_COHERENT = 1u << 5,
	VMS_F_VPAGES = 1u << 6,
};
#define VMS_NR_FLAGS 7
/* Name of flag bit i (0..VMS_NR_FLAGS-1), as the kernel prints it. */
const char *vms_flag_name(unsigned bit);

/* What kind of line produced the area. */
enum vms_area_kind {
	VMS_KIND_AREA = 0,   /* a vm_struct: "range size [caller] ..." */
	VMS_KIND_VM_MAP_RAM, /* "range size vm_map_ram" (4.13+) */
	VMS_KIND_UNPURGED,   /* "range size unpurged vm_area" (4.13+) */
};
const char *vms_area_kind_name(enum vms_area_kind k);

/* What was repaired in an area (bit set; details in dump.repairs). */
enum vms_repair_bits {
	VMS_R_JOINED_LINES = 1u << 0,   /* entry wrapped over several lines */
	VMS_R_SPLIT_GLUED = 1u << 1,    /* several entries glued on one line */
	VMS_R_START = 1u << 2,          /* start recomputed as end - size */
	VMS_R_END = 1u << 3,            /* end recomputed as start + size */
	VMS_R_SIZE = 1u << 4,           /* size recomputed as end - start */
	VMS_R_END_SIZE_GLUED = 1u << 5, /* "0x...end<size>" split */
	VMS_R_CALLER = 1u << 6,         /* underscores restored / caller joined */
	VMS_R_MODULE = 1u << 7,         /* module name rebuilt */
	VMS_R_STRAY = 1u << 8,          /* a stray token dropped */
	VMS_R_REORDERED = 1u << 9,      /* fields out of kernel order */
	VMS_R_PAIRED = 1u << 10,        /* orphan address + detail paired */
	VMS_R_ELISION = 1u << 11,       /* "..." inside the entry dropped */
};

struct vms_numa {
	uint32_t node;  /* NUMA node id */
	uint32_t pages; /* small pages on that node */
};

struct vms_area {
	uint64_t start;        /* first byte */
	uint64_t end;          /* one past the last byte, guard page included */
	uint64_t size;         /* bytes as printed (after repair), incl. guard */
	const char *caller;    /* symbol, or "0x..." raw address; NULL if none */
	const char *module;    /* "[module]" name without brackets, or NULL */
	uint64_t offset;       /* +0xOFF of the caller (valid if has_offset) */
	uint64_t length;       /* /0xLEN of the caller (valid if has_offset) */
	uint64_t pages;        /* pages= value (valid if has_pages) */
	uint64_t phys;         /* phys= value (valid if has_phys) */
	const char *extra;     /* unknown trailing words kept verbatim, or NULL */
	struct vms_numa *numa; /* nr_numa entries, arena-owned */
	uint32_t nr_numa;
	uint32_t line;       /* first source line (1-based) */
	uint32_t last_line;  /* last source line */
	uint32_t col;        /* column of the range (1-based) */
	uint32_t repairs;    /* enum vms_repair_bits */
	uint16_t flags;      /* enum vms_flag */
	uint8_t kind;        /* enum vms_area_kind */
	uint8_t phys_digits; /* hex digits printed after "phys=0x"; 0 = unknown */
	bool has_offset : 1;
	bool has_pages : 1;
	bool has_phys : 1;
	bool phys_0x : 1;    /* phys printed with "0x" (4.11+ %pa form) */
	bool range_only : 1; /* no size or details were found: size = end-start */
};

enum vms_severity { VMS_SEV_ERROR = 0, VMS_SEV_WARNING, VMS_SEV_NOTE };
const char *vms_severity_name(enum vms_severity s);

/* A located diagnostic about the input (not a kernel invariant). */
struct vms_diag {
	uint32_t line, col;
	uint8_t severity;    /* enum vms_severity */
	const char *code;    /* stable id, e.g. "orphan-detail" (static string) */
	const char *message; /* arena-owned */
};

/* A repair: what was changed, where, and in which area (index or -1). */
struct vms_repair {
	uint32_t line, col;
	int64_t area;        /* index into dump.areas.v, or -1 */
	const char *code;    /* stable id, e.g. "start-from-end-size" (static) */
	const char *message; /* arena-owned, says what changed */
};

/* How one input line ended (exactly one per line). */
enum vms_line_class {
	VMS_LINE_PARSED = 0,
	VMS_LINE_REPAIRED,
	VMS_LINE_NOISE,
	VMS_LINE_DIAGNOSTIC,
	VMS_NR_LINE_CLASSES
};
/* Why a noise line is noise. */
enum vms_noise_kind {
	VMS_NOISE_BLANK = 0,
	VMS_NOISE_PROMPT,    /* shell prompt, "cat /proc/vmallocinfo" */
	VMS_NOISE_FENCE,     /* markdown ``` fence */
	VMS_NOISE_TIMESTAMP, /* only a dmesg timestamp / log level */
	VMS_NOISE_ELISION,   /* "...", "[...]" */
	VMS_NOISE_PROSE,     /* text that is not a dump line */
	VMS_NOISE_LOG,       /* a kernel log line not about the address space */
	VMS_NOISE_METADATA,  /* /dev/kmsg " KEY=value" lines after a record */
	VMS_NOISE_DIFF,      /* unified-diff headers and removed ("-") lines */
	VMS_NR_NOISE_KINDS
};
const char *vms_line_class_name(enum vms_line_class c);
const char *vms_noise_kind_name(enum vms_noise_kind k);

struct vms_accounting {
	uint64_t lines;                         /* input lines */
	uint64_t by_class[VMS_NR_LINE_CLASSES]; /* sums to lines */
	uint64_t noise[VMS_NR_NOISE_KINDS];     /* sums to by_class[NOISE] */
};

/* How addresses were printed (kernel.md §1.4). */
enum vms_visibility {
	VMS_VIS_UNKNOWN = 0, /* no areas */
	VMS_VIS_REAL,
	VMS_VIS_RESTRICTED, /* all zeros (kptr_restrict, no CAP_SYSLOG) */
	VMS_VIS_HASHED,     /* %p hashing (4.15+, kptr_restrict=0) */
	VMS_VIS_PTRVAL,     /* literal (ptrval) / (____ptrval____) */
	VMS_VIS_MIXED,
};
const char *vms_visibility_name(enum vms_visibility v);

/* ---- Boot and console log facts ---------------------------------------- */

/* One line of a "Virtual kernel memory layout" block. */
struct vms_region {
	const char *name;     /* "vmalloc", "lowmem", ".text", "vmemmap", ... */
	uint64_t start, end;  /* half-open; inclusive ends are converted (+1) */
	uint64_t printed;     /* printed size, in printed_unit */
	char printed_unit[4]; /* "kB", "KB", "MB", "GB", "" when not printed */
	bool end_inclusive;   /* the log printed an inclusive end (riscv, ppc) */
	bool has_printed;
	uint32_t line;
	const char *label; /* name as printed when name was normalised
	                      ("vmalloc & ioremap" for "vmalloc"), else NULL */
};

enum vms_layout_style {
	VMS_LAYOUT_NONE = 0,
	VMS_LAYOUT_ARM32,  /* "Virtual kernel memory layout:" arm */
	VMS_LAYOUT_X86_32, /* "virtual kernel memory layout:" x86_32 */
	VMS_LAYOUT_ARM64,  /* arm64, both orders */
	VMS_LAYOUT_RISCV,  /* riscv 32/64 */
	VMS_LAYOUT_PPC32,  /* "Kernel virtual memory layout:" "* a..b : n" */
	VMS_LAYOUT_SH,     /* sh, two lowmem lines */
	VMS_LAYOUT_OTHER,
};

struct vms_cmdline {
	const char *text; /* the whole command line, arena-owned */
	uint32_t line;
	bool from_uboot; /* "setenv bootargs ..." */
	bool has_vmalloc, has_mem;
	uint64_t vmalloc;         /* vmalloc= in bytes */
	uint64_t mem;             /* mem= in bytes */
	const char *vmalloc_text; /* as written, e.g. "300M" */
	const char *cma_text;     /* cma= as written, or NULL */
	const char *mem_text;     /* mem= as written, e.g. "128M@0x80000000" */
	bool has_mem_start;       /* mem= gave a start ("@", "$" or "#" start) */
	uint64_t mem_start;       /* that start address */
	uint32_t nr_mem;          /* mem= words read (arm32 adds one bank each) */
};

enum vms_failure_kind {
	VMS_FAIL_VMAP = 0,      /* "vmap allocation for size N failed" */
	VMS_FAIL_NODE_RANGE,    /* "vmalloc_node_range for size N failed: ... A - B" */
	VMS_FAIL_VMALLOC_ERROR, /* "vmalloc error: size N, ..." */
	VMS_FAIL_ALLOCATION,    /* "vmalloc: allocation failure: N bytes" */
};

struct vms_failure {
	uint8_t kind;  /* enum vms_failure_kind */
	uint64_t size; /* bytes, as printed */
	bool has_range;
	uint64_t vstart, vend; /* restricted range (NODE_RANGE) */
	const char **callers;  /* call trace function names, innermost first */
	uint32_t nr_callers;
	uint32_t line;
	const char *text; /* the message line as found */
};

struct vms_bootlog {
	struct vms_arena arena; /* owns every string below */
	/* layout */
	uint8_t layout_style; /* enum vms_layout_style */
	uint32_t layout_line; /* line of the header, 0 if none */
	VMS_VEC(struct vms_region) regions;
	/* command line (the last one found wins; all are counted) */
	bool has_cmdline;
	struct vms_cmdline cmdline;
	/* "Memory: ..." */
	const char *memory_text;
	uint32_t memory_line;
	uint64_t memory_total_kb; /* total RAM the line states, 0 if unknown */
	/* "Linux version ..." */
	const char *version_text;  /* e.g. "4.4.9-v7+" */
	const char *compiler_text; /* e.g. "gcc version 4.9.3 ..." or NULL */
	uint32_t version_line;
	int kernel_major, kernel_minor, kernel_patch; /* 0 when unknown */
	const char *arch_hint; /* "arm32", "arm64", "x86_64", ... or NULL */
	/* where the version and the arch were read, e.g. "Linux version line
	 * 12", "uname -a at line 3", "call trace frame el0t_64_sync at line
	 * 40"; several pieces of evidence are joined with "; ". NULL when
	 * unknown. Arena-owned. */
	const char *version_source;
	const char *arch_source;
	/* failures */
	VMS_VEC(struct vms_failure) failures;
};

/* ---- The dump ----------------------------------------------------------- */

struct vms_dump {
	const char *source;     /* file name as given ("-" for stdin) */
	struct vms_arena arena; /* owns strings/arrays of areas, diags, repairs */
	VMS_VEC(struct vms_area) areas;
	VMS_VEC(struct vms_diag) diags;
	VMS_VEC(struct vms_repair) repairs;
	struct vms_accounting acct;
	/* what the parser inferred (or was told) */
	unsigned addr_bits; /* 32 or 64; 0 when no areas */
	uint8_t visibility; /* enum vms_visibility */
	uint64_t page_size; /* bytes */
	bool page_size_inferred;
	int kernel_major, kernel_minor; /* 0.0 when unknown */
	bool kernel_given;              /* --kernel overrode the inference */
	const char *era;                /* one-line description of the inferred era */
	const char *arch;               /* "arm32", "x86_64", ...; NULL when unknown */
	bool sorted;                    /* areas (busy part) ascending by start */
	struct vms_bootlog *log;        /* boot/console facts; never NULL after parse */
};

/* Returns a new empty dump named source; free with vms_dump_free(). */
struct vms_dump *vms_dump_new(const char *source);
/* Returns a new empty boot log; free with vms_bootlog_free(). */
struct vms_bootlog *vms_bootlog_new(void);
void vms_bootlog_free(struct vms_bootlog *log);
/* Frees the dump and everything it owns. vms_dump_free(NULL) is a no-op. */
void vms_dump_free(struct vms_dump *d);

/* Replaces dst's boot log with src's (takes ownership of src's log and
 * leaves src with an empty one). Used for --layout FILE. */
void vms_dump_take_log(struct vms_dump *dst, struct vms_dump *src);

/* Adds a diagnostic / repair; message is formatted into the dump's arena. */
void vms_dump_diag(struct vms_dump *d, uint32_t line, uint32_t col, enum vms_severity sev,
                   const char *code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void vms_dump_repair(struct vms_dump *d, uint32_t line, uint32_t col, int64_t area,
                     const char *code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Number of diagnostics of severity error. */
size_t vms_dump_nr_errors(const struct vms_dump *d);

/* Finds a layout region by exact name; NULL when absent. Borrowed. */
const struct vms_region *vms_bootlog_region(const struct vms_bootlog *log,
                                            const char *name);

#endif /* VMS_DUMP_H */
