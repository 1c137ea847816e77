/*
 * dump.h — what the parsers produce and every later stage reads: one compact
 * record per vmalloc area, where each came from, the boot-log facts found
 * beside them (layout, command line, failures), every diagnostic and repair,
 * and the line accounting.
 *
 * The records are built for millions of areas and for many readers (the
 * address-space model, check, report, diff, the simulator, the viewer):
 *  - struct vms_area (56 bytes) holds what the kernel keeps: range, size,
 *    pages, phys, flags, kind, caller and module as symbol ids, the caller's
 *    offset and length, and whether the geometry can be trusted;
 *  - struct vms_area_src (20 bytes, same index) holds where it came from:
 *    lines, column, repairs, printed hex widths, its NUMA entries;
 *  - NUMA counts live in one side array, unknown extra words in a sparse
 *    side table (both by area index);
 *  - callers and modules are ids into the dump's symbol table (symtab.h):
 *    equal names, equal ids.
 * A dump can be built through the API (vms_dump_add_area()), as the
 * simulator and the tests do, and inferred like a parsed one
 * (vms_dump_infer()).
 *
 * A struct vms_dump owns everything reachable from it: strings and small
 * arrays live in its arena, the big arrays are VMS_VEC vectors. Free the whole
 * thing with vms_dump_free(). Readers treat a dump as read-only.
 *
 * Invariants after a successful parse:
 *  - areas are in input order (not sorted); src.v[i] belongs to areas.v[i]
 *    and src.n == areas.n; src line is the first source line that
 *    contributed to the area, last_line the last (0 for built areas);
 *  - NUMA entries of area i are numa.v[src.v[i].numa .. next area's numa);
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
#include "vmscope/symtab.h"

/* Flag words of a vmallocinfo line (docs/kernel.md §1.2), in printing order. */
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
/* Name of flag bit i (0..VMS_NR_FLAGS-1), as the kernel prints it ("?"
 * otherwise). The one table of flag words. */
const char *vms_flag_name(unsigned bit);
/* strlen(vms_flag_name(bit)), from a table. */
size_t vms_flag_len(unsigned bit);
/* Bit index of the flag word w[0..n), or -1. */
int vms_flag_lookup(const char *w, size_t n);

/* What kind of line produced the area. */
enum vms_area_kind {
	VMS_KIND_AREA = 0,   /* a vm_struct: "range size [caller] ..." */
	VMS_KIND_VM_MAP_RAM, /* "range size vm_map_ram" (4.13+) */
	VMS_KIND_UNPURGED,   /* "range size unpurged vm_area" (4.13+) */
};
const char *vms_area_kind_name(enum vms_area_kind k);

/* Whether an area's range can be used as geometry (set by inference). */
enum vms_geom {
	VMS_GEOM_TRUSTED = 0, /* real addresses, end - start == size */
	VMS_GEOM_MISMATCH,    /* real, but size disagrees with the range and
	                         nothing told which one is wrong */
	VMS_GEOM_HASHED,      /* %p hashing: start and end are noise */
	VMS_GEOM_ZEROED,      /* all-zero addresses (kptr_restrict) */
	VMS_GEOM_PTRVAL,      /* "(ptrval)" placeholders */
};
const char *vms_geom_name(enum vms_geom g);

/* What was repaired in an area (bit set in vms_area_src.repairs; the
 * located messages are in dump.repairs). */
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
#define VMS_NR_REPAIR_BITS 12
/* Stable code of repair bit i ("joined-lines", ...), the code its located
 * repair message carries; "?" out of range. */
const char *vms_repair_bit_code(unsigned bit);

/* How phys= was printed (it tells the era: docs/kernel.md §1.2). */
enum vms_phys_form {
	VMS_PHYS_PLAIN = 0, /* "%llx": no 0x, no padding (<= 4.10) */
	VMS_PHYS_PA32,      /* "%pa": 0x + 8 digits (4.11+, 32-bit phys_addr_t) */
	VMS_PHYS_PA64,      /* "%pa": 0x + 16 digits (4.11+, 64-bit phys_addr_t) */
};

/* One vmalloc area: what the kernel keeps about it (56 bytes). */
struct vms_area {
	uint64_t start;    /* first byte */
	uint64_t end;      /* one past the last byte, guard page included */
	uint64_t size;     /* bytes as printed (after repair), incl. guard page */
	uint64_t phys;     /* phys= value (valid if has_phys) */
	uint32_t caller;   /* symbol id of the caller ("sym" or raw "0x..."); 0 none */
	uint32_t module;   /* symbol id of the [module] (no brackets); 0 none */
	uint32_t offset;   /* +0xOFF of the caller (valid if has_offset) */
	uint32_t length;   /* /0xLEN of the caller (valid if has_offset) */
	uint32_t pages;    /* pages= (valid if has_pages); the kernel's nr_pages */
	uint16_t flags;    /* enum vms_flag */
	uint16_t kind : 2; /* enum vms_area_kind */
	uint16_t geom : 3; /* enum vms_geom */
	uint16_t phys_form : 2;  /* enum vms_phys_form (valid if has_phys) */
	uint16_t has_offset : 1; /* caller printed as sym+0xOFF/0xLEN */
	uint16_t has_pages : 1;
	uint16_t has_phys : 1;
	uint16_t range_only : 1; /* no size or details were found: size = end-start */
};

/* Where area i came from (same index as the area; 20 bytes). */
struct vms_area_src {
	uint32_t line;      /* first source line (1-based); 0 for built areas */
	uint32_t last_line; /* last source line */
	uint32_t col;       /* 1-based column of the range on its line */
	uint32_t numa;      /* index of its first entry in dump.numa */
	uint16_t repairs;   /* enum vms_repair_bits */
	uint8_t w_start;    /* hex digits printed for start (0: none, ptrval) */
	uint8_t w_end;      /* hex digits printed for end */
};

struct vms_numa {
	uint32_t node;  /* NUMA node id */
	uint32_t pages; /* small pages on that node */
};

/* Words the kernel format does not have, kept after an entry. */
struct vms_extra {
	uint32_t area;    /* index of the area */
	const char *text; /* the words as found, arena-owned */
};

enum vms_severity { VMS_SEV_ERROR = 0, VMS_SEV_WARNING, VMS_SEV_NOTE };
const char *vms_severity_name(enum vms_severity s);

/* A located diagnostic about the input (not a kernel invariant). */
struct vms_diag {
	uint32_t line, col;
	int64_t area;        /* index into dump.areas.v, or -1 */
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
	VMS_NOISE_REPEAT,    /* a second copy of a listing already read */
	VMS_NR_NOISE_KINDS
};
const char *vms_line_class_name(enum vms_line_class c);
const char *vms_noise_kind_name(enum vms_noise_kind k);

struct vms_accounting {
	uint64_t lines;                         /* input lines */
	uint64_t by_class[VMS_NR_LINE_CLASSES]; /* sums to lines */
	uint64_t noise[VMS_NR_NOISE_KINDS];     /* sums to by_class[NOISE] */
};

/* How addresses were printed (docs/kernel.md §1.4). */
enum vms_visibility {
	VMS_VIS_UNKNOWN = 0, /* no areas */
	VMS_VIS_REAL,
	VMS_VIS_RESTRICTED, /* all zeros (kptr_restrict, no CAP_SYSLOG) */
	VMS_VIS_HASHED,     /* %p hashing (4.15+, kptr_restrict=0) */
	VMS_VIS_PTRVAL,     /* literal (ptrval) / (____ptrval____) */
	VMS_VIS_MIXED,
};
const char *vms_visibility_name(enum vms_visibility v);

/* Which tool printed the areas (docs/formats.md, "Debugger outputs"): the
 * kernel itself, or a debugger reading a vmcore or a live kernel. */
enum vms_tool {
	VMS_TOOL_PROC = 0,       /* /proc/vmallocinfo (or no area said otherwise) */
	VMS_TOOL_CRASH_KMEM,     /* crash "kmem -v": VMAP_AREA VM_STRUCT table */
	VMS_TOOL_CRASH_VMLIST,   /* older crash "kmem -v": VM_STRUCT table */
	VMS_TOOL_LX_VMALLOCINFO, /* the kernel's gdb script lx-vmallocinfo */
	VMS_TOOL_DRGN,           /* drgn's contrib/vmallocinfo.py */
	VMS_NR_TOOLS
};
/* "proc", "crash-kmem", "crash-vmlist", "lx-vmallocinfo", "drgn"; "?"
 * otherwise. */
const char *vms_tool_name(enum vms_tool t);

/* ---- Boot and console log facts ---------------------------------------- */

/* One line of a "Virtual kernel memory layout" block. */
/* What a region of the address space is (from its name). */
enum vms_region_kind {
	VMS_RK_OTHER = 0,
	VMS_RK_VMALLOC,       /* vmalloc / ioremap space */
	VMS_RK_MODULES,       /* module space */
	VMS_RK_LOWMEM,        /* the linear map ("lowmem", arm64 "memory") */
	VMS_RK_PKMAP,         /* highmem kmap window */
	VMS_RK_FIXMAP,        /* fixmap ("fixed") */
	VMS_RK_VECTOR,        /* arm32 vector page */
	VMS_RK_VMEMMAP,       /* struct page array */
	VMS_RK_KASAN,         /* KASAN shadow */
	VMS_RK_PCI_IO,        /* PCI I/O window */
	VMS_RK_DMA,           /* arm32 consistent DMA (<= 3.4) */
	VMS_RK_TCM,           /* DTCM / ITCM */
	VMS_RK_CPU_ENTRY,     /* x86_32 cpu_entry area */
	VMS_RK_EARLY_IOREMAP, /* ppc32 early ioremap */
	VMS_RK_KERNEL,        /* kernel image sections: .text .data .init .bss ... */
	VMS_NR_REGION_KINDS
};
const char *vms_region_kind_name(enum vms_region_kind k);
/* Kind of a region from its (normalised) name. */
enum vms_region_kind vms_region_kind_of(const char *name);

/* Where a region's bounds come from. */
enum vms_region_source {
	VMS_RS_LOG = 0,  /* printed by the kernel (boot log) */
	VMS_RS_PROFILE,  /* an arch profile (no log) */
	VMS_RS_INFERRED, /* inferred from the areas of the dump */
};
const char *vms_region_source_name(enum vms_region_source s);

struct vms_region {
	const char *name;     /* "vmalloc", "lowmem", ".text", "vmemmap", ... */
	uint8_t kind;         /* enum vms_region_kind */
	uint8_t source;       /* enum vms_region_source */
	const char *file;     /* input it was read from when not the dump's own
	                         (--layout FILE), else NULL */
	uint64_t start, end;  /* half-open; inclusive ends are converted (+1) */
	uint64_t printed;     /* printed size, in printed_unit */
	char printed_unit[4]; /* "kB", "KB", "MB", "GB", "" when not printed */
	bool end_inclusive;   /* the log printed an inclusive end (riscv, ppc) */
	bool has_printed;
	bool size_mismatch; /* the printed size is neither the floor nor the
	                       ceiling of the printed range in its unit */
	bool start_guessed; /* profile: the start is the lowest the kernel
	                       could have (high_memory unknown), a bound */
	uint32_t line;
	const char *label; /* name as printed when name was normalised
	                      ("vmalloc & ioremap" for "vmalloc"), else NULL */
};

/* log2 of a printed size unit: 10 for "kB"/"KB", 20 "MB", 30 "GB", 40
 * otherwise (the layout blocks print no bigger unit). */
unsigned vms_size_unit_shift(const char *unit);

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
	const char *file; /* input it was read from when not the dump's own, or NULL */
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
	const char *file; /* input it was read from when not the dump's own, or NULL */
	const char *text; /* the message line as found */
};

/* One value of a /proc/meminfo line, as printed. */
struct vms_meminfo_val {
	uint64_t kb;   /* kB as printed ("VmallocTotal:   34359738367 kB") */
	uint32_t line; /* its line; 0 when the line was not found */
};

/* Which meminfo value a line holds. */
enum vms_meminfo_key { VMS_MK_TOTAL, VMS_MK_USED, VMS_MK_CHUNK, VMS_MK_PERCPU };

/* One meminfo line as read. */
struct vms_meminfo_line {
	uint8_t key; /* enum vms_meminfo_key */
	uint32_t line;
	uint64_t kb;
};

/* The /proc/meminfo lines about the vmalloc space (docs/kernel.md §10):
 * VmallocTotal is (VMALLOC_END - VMALLOC_START) >> 10; VmallocUsed and
 * VmallocChunk are what the kernel's era made of them (0 from 4.4,
 * VmallocUsed vmalloc pages again from 5.3); Percpu the populated per-cpu
 * pages (4.19+, likely). */
struct vms_meminfo {
	struct vms_meminfo_val total, used, chunk, percpu;
	const char *file; /* input they were read from when not the dump's own
	                     (--layout FILE, used only when the input has no
	                     meminfo lines of its own), else NULL */
	bool conflict;    /* a line came twice with different values (two
	                     copies of /proc/meminfo): nothing is judged */
};

/* The value of mi that a line of key k sets. */
static inline struct vms_meminfo_val *vms_meminfo_val_of(struct vms_meminfo *mi,
                                                         enum vms_meminfo_key k)
{
	return k == VMS_MK_TOTAL   ? &mi->total
	       : k == VMS_MK_USED  ? &mi->used
	       : k == VMS_MK_CHUNK ? &mi->chunk
	                           : &mi->percpu;
}

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
	const char *memory_file; /* when not the dump's own input, else NULL */
	uint32_t memory_line;
	uint64_t memory_total_kb; /* total RAM the line states, 0 if unknown */
	/* "Linux version ..." */
	const char *version_text;  /* e.g. "4.4.9-v7+" */
	const char *compiler_text; /* e.g. "gcc version 4.9.3 ..." or NULL */
	const char *version_file;  /* when not the dump's own input, else NULL */
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
	/* /proc/meminfo (the first value of each line is kept; a different
	 * later one sets conflict) */
	struct vms_meminfo meminfo;
	/* every meminfo value read, in input order (a paste with several
	 * listings gives each its own copy: parse_listings.c) */
	VMS_VEC(struct vms_meminfo_line) meminfo_lines;
};

/* ---- Listings ------------------------------------------------------------ */

/* What opened a listing (docs/formats.md, "Several listings in one paste"). */
enum vms_listing_open {
	VMS_LO_FIRST = 0, /* the first listing of the input */
	VMS_LO_PROMPT,    /* a shell or debugger prompt, or a command line */
	VMS_LO_HEADING,   /* a heading ("After insmod:", "=== boot 2 ===") and
	                     addresses starting again from the bottom */
	VMS_LO_OVERLAP,   /* addresses starting again over areas of the listing
	                     before (an area identical to one already there) */
	VMS_LO_VERSION,   /* addresses starting again where the kernel version
	                     (before 6.9) prints one sorted list */
	VMS_NR_LISTING_OPENS
};
/* "first", "prompt", "heading", "overlap", "version". */
const char *vms_listing_open_name(enum vms_listing_open o);

/*
 * One listing of a paste that holds several (a snapshot of the space). The
 * listings of an input partition its lines: listing k owns the lines from
 * its opening line (the prompt or heading before it, else its first area's
 * line; 1 for the first) up to the next listing's opening line.
 */
struct vms_listing {
	size_t first, n;            /* its areas: areas.v[first .. first + n) */
	uint32_t line_lo;           /* first line it owns */
	uint32_t line_hi;           /* last line it owns */
	uint32_t first_line;        /* its first area's line */
	uint32_t last_line;         /* its last area's last line */
	uint32_t marker_line;       /* the prompt/heading line before it, or 0 */
	uint8_t opened;             /* enum vms_listing_open */
	bool sorted;                /* its areas ascend by start */
	bool filtered;              /* a command that filters (grep, awk, head, ...)
	                               printed it: not every area is shown */
	const char *command;        /* the command line before it, or NULL */
	const char *heading;        /* the heading before it, or NULL */
	struct vms_accounting acct; /* its lines, by class and noise kind */
	struct vms_meminfo meminfo; /* the meminfo values among its lines
	                               (with two listings or more) */
};

/* ---- The dump ----------------------------------------------------------- */

/*
 * Diagnostics and repairs are stored up to VMS_DIAG_CAP per code; beyond
 * that they are counted (as compilers cap errors), so a hostile input of a
 * million bad lines costs counters, not a million messages. Line classes
 * and per-area repair bits are never capped.
 */
#define VMS_DIAG_CAP 1000

/* How many messages of one code (and severity) there were. */
struct vms_code_count {
	const char *code;       /* static string */
	uint8_t severity;       /* enum vms_severity; repairs count as notes */
	bool repair;            /* a repair, not a diagnostic */
	uint32_t stored;        /* messages stored (at most VMS_DIAG_CAP) */
	uint64_t dropped;       /* messages counted but not stored */
	uint32_t first_dropped; /* line of the first one not stored */
};

struct vms_dump {
	const char *source;     /* file name as given ("-" for stdin) */
	struct vms_arena arena; /* owns strings/arrays of areas, diags, repairs */
	struct vms_symtab syms; /* caller and module names (ids in the areas) */
	VMS_VEC(struct vms_area) areas;
	VMS_VEC(struct vms_area_src) src; /* src.v[i] describes areas.v[i] */
	VMS_VEC(struct vms_numa) numa;    /* NUMA entries of all areas, in order */
	VMS_VEC(struct vms_extra) extras; /* sorted by area index */
	VMS_VEC(struct vms_diag) diags;
	VMS_VEC(struct vms_repair) repairs;
	VMS_VEC(struct vms_code_count) codes; /* per message code, in order seen */
	uint64_t nr_alerts; /* warnings and errors so far, stored or only counted */
	struct vms_accounting acct;
	/* what inference found (or was told) */
	unsigned addr_bits; /* 32 or 64; 0 when no areas */
	uint8_t visibility; /* enum vms_visibility */
	uint64_t page_size; /* bytes */
	bool page_size_inferred;
	int kernel_major, kernel_minor; /* 0.0 when unknown */
	bool kernel_given;              /* --kernel overrode the inference */
	const char *kernel_source;      /* "option", "log", ... or NULL */
	const char *era;                /* one-line description of the inferred era */
	/* the era as bounds, major * 100 + minor: the version when known, else
	 * what the markers allow; 0 = unbounded on that side */
	int era_lo, era_hi;
	const char *arch;        /* "arm32", "x86_64", ...; NULL when unknown */
	const char *arch_source; /* the evidence for arch, or why unknown */
	bool sorted;             /* areas (busy part) ascending by start */
	uint8_t tool;            /* enum vms_tool: whose syntax most lines in a
	                            debugger's syntax had (a note per tool) */
	uint64_t split_lines;    /* lines a second thread read (0: one thread) */
	/* why reading stopped before the end of the input ("binary data at
	 * byte N"), or NULL; the lines of bytes [0, stopped_at) were read */
	const char *stopped;
	uint64_t stopped_at;
	struct vms_bootlog *log; /* boot/console facts; never NULL */
	/* the listings of the input, in order: one when the areas are one
	 * listing, none without areas (parse_listings.c) */
	VMS_VEC(struct vms_listing) listings;
	/* a dump made of one listing of a paste with several
	 * (vms_dump_listing()): its 1-based number and how many there are;
	 * 0 and 0 otherwise. listings.v[0] then describes it. */
	uint32_t listing_no, nr_listings;
};

/* Returns a new empty dump named source; free with vms_dump_free(). */
struct vms_dump *vms_dump_new(const char *source);
/* Frees the dump and everything it owns. vms_dump_free(NULL) is a no-op. */
void vms_dump_free(struct vms_dump *d);
/* Returns a new empty boot log; free with vms_bootlog_free(). */
struct vms_bootlog *vms_bootlog_new(void);
void vms_bootlog_free(struct vms_bootlog *log);
/* Copies every fact of src into dst (strings into dst's arena), fact by
 * fact: a fact src has (layout, command line, Memory:, version) replaces
 * dst's; failures are appended. Regions copied from src name src_file as
 * their file when they have none. */
void vms_bootlog_merge(struct vms_bootlog *dst, const struct vms_bootlog *src,
                       const char *src_file);

/* ---- Building a dump ---------------------------------------------------- */

/* Id of a caller or module name (added when new); see symtab.h. */
static inline uint32_t vms_dump_intern(struct vms_dump *d, const char *s, size_t len)
{
	return vms_symtab_intern(&d->syms, s, len);
}
/* Name of symbol id (borrowed); NULL for 0. */
static inline const char *vms_dump_sym(const struct vms_dump *d, uint32_t id)
{
	return vms_symtab_name(&d->syms, id);
}

/*
 * Appends a copy of area a with its source (src may be NULL: a built area
 * with no source line) and its nr_numa NUMA entries (copied). src->numa is
 * ignored (the dump places the entries). Returns the new area's index.
 * The caller and module ids must come from this dump's table. O(1 + nr_numa)
 * amortised.
 */
size_t vms_dump_add_area(struct vms_dump *d, const struct vms_area *a,
                         const struct vms_area_src *src, const struct vms_numa *numa,
                         uint32_t nr_numa);
/* Removes the last area (and its NUMA entries and extra words). */
void vms_dump_pop_area(struct vms_dump *d);
/* Keeps words the kernel format does not have for area i (the last area
 * added, or a later one: extras stay sorted by area). */
void vms_dump_set_extra(struct vms_dump *d, size_t i, const char *text, size_t len);

/* ---- Reading a dump ----------------------------------------------------- */

/* Caller / module name of an area (borrowed); NULL when none. */
static inline const char *vms_area_caller(const struct vms_dump *d,
                                          const struct vms_area *a)
{
	return vms_dump_sym(d, a->caller);
}
static inline const char *vms_area_module(const struct vms_dump *d,
                                          const struct vms_area *a)
{
	return vms_dump_sym(d, a->module);
}
/* The NUMA entries of area i (borrowed) and their number in *n. O(1). */
const struct vms_numa *vms_dump_numa(const struct vms_dump *d, size_t i, uint32_t *n);
/* The extra words of area i (borrowed), or NULL. O(log extras). */
const char *vms_dump_extra(const struct vms_dump *d, size_t i);

/* Adds a diagnostic / repair (area: index or -1); message is formatted into
 * the dump's arena, or only counted (d->codes) beyond VMS_DIAG_CAP. */
void vms_dump_diag(struct vms_dump *d, uint32_t line, uint32_t col, enum vms_severity sev,
                   const char *code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void vms_dump_area_diag(struct vms_dump *d, int64_t area, uint32_t line, uint32_t col,
                        enum vms_severity sev, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
void vms_dump_repair(struct vms_dump *d, uint32_t line, uint32_t col, int64_t area,
                     const char *code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Takes back one stored message of code (the parser dropped it with what
 * it was about: a repeated listing's areas). */
void vms_dump_forget(struct vms_dump *d, const char *code, bool repair, uint8_t severity);

/* Counts n more messages of code that were not stored, the first of them
 * at first_line (a listing taken out of a dump: vms_dump_listing()). */
void vms_dump_count_dropped(struct vms_dump *d, const char *code, bool repair,
                            uint8_t severity, uint64_t n, uint32_t first_line);

/* A new dump holding listing k of d (d->listings.v[k]) as if it had been
 * the whole input: its areas (with their sources, NUMA entries and extra
 * words), the messages about them or about the lines the listing owns
 * (messages only counted are kept where their first one was), the
 * inference d made (the era, arch, page size; sorted is the listing's
 * own), the boot-log facts, and the listing's own /proc/meminfo values.
 * listing_no and nr_listings say which it is; listings.v[0] describes it
 * (first 0). Free with vms_dump_free(). O(areas of the listing + messages
 * of d). */
struct vms_dump *vms_dump_listing(const struct vms_dump *d, size_t k);

/* Number of diagnostics of severity sev, stored or counted. */
uint64_t vms_dump_nr_diags(const struct vms_dump *d, enum vms_severity sev);
/* Number of diagnostics of severity error, stored or counted. */
static inline uint64_t vms_dump_nr_errors(const struct vms_dump *d)
{
	return vms_dump_nr_diags(d, VMS_SEV_ERROR);
}
/* Number of repairs, stored or counted. */
uint64_t vms_dump_nr_repairs(const struct vms_dump *d);

/* Bytes of memory the dump owns (vectors at their length, arena, symbol
 * table): what its records cost, for the bench and the memory tests. */
size_t vms_dump_bytes(const struct vms_dump *d);

/* Finds a layout region by exact name; NULL when absent. Borrowed. */
const struct vms_region *vms_bootlog_region(const struct vms_bootlog *log,
                                            const char *name);

#endif /* VMS_DUMP_H */
