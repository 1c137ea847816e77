/*
 * parse_vmi.h — internal: the paste-tolerant /proc/vmallocinfo parser.
 *
 * Clean kernel-format lines take a strict fast path (parse_vmi_fast.c) that
 * fills an area directly. Everything else goes through two stages, which
 * give the same record for clean input. The tokenizer (parse_vmi_tok.c) cuts
 * one stripped line into
 * tokens: address ranges (also glued to text before them), decimal numbers,
 * callers, modules, pages=, phys=, flag words, N<node>=<pages>, kind words.
 * The assembler (parse_vmi_feed.c feeding parse_vmi.c) groups the token
 * stream into segments, one per
 * entry, across lines (wrapped entries) and within lines (glued entries),
 * pairs an orphan address with an orphan detail group when the sizes agree,
 * and appends finished areas to the dump. Both are O(tokens).
 *
 * Geometric repairs that need to know whether addresses are real or hashed
 * (start/end/size disagreement) are done afterwards by vms_dump_infer()
 * (parse_infer.c), which looks at the whole dump.
 *
 * Caller and module names become ids of the dump's symbol table.
 */
#ifndef VMS_PARSE_VMI_H
#define VMS_PARSE_VMI_H

#include <stdbool.h>
#include <stdint.h>

#include "parse_lines.h"
#include "vmscope/dump.h"

enum vms_tok_type {
	VMS_T_RANGE,       /* 0xA-0xB */
	VMS_T_NUM,         /* decimal number */
	VMS_T_HEX,         /* lone 0x... (raw caller) */
	VMS_T_CALLER,      /* sym+0xOFF/0xLEN */
	VMS_T_CALLER_HALF, /* sym+0xOFF (length on a later line) */
	VMS_T_LEN_HALF,    /* /0xLEN */
	VMS_T_MODULE,      /* [name] */
	VMS_T_PAGES,       /* pages=N */
	VMS_T_PHYS,        /* phys=HEX or phys=0xHEX */
	VMS_T_FLAG,        /* ioremap, vmalloc, ... (value = bit index) */
	VMS_T_NUMA,        /* N<node>=<pages> */
	VMS_T_MAP_RAM,     /* vm_map_ram */
	VMS_T_UNPURGED,    /* unpurged vm_area */
	VMS_T_ELISION,     /* ... */
	VMS_T_WORD,        /* anything else */
	VMS_T_SKIP,        /* consumed by a neighbour (caller words) */
};

struct vms_tok {
	uint8_t type;        /* enum vms_tok_type */
	bool overflow;       /* a number did not fit 64 bits */
	bool ptrval;         /* (ptrval) address */
	bool phys_0x;        /* phys= had 0x */
	bool glued_left;     /* no blank before the token */
	uint8_t w1, w2;      /* hex digits of range start / end */
	uint32_t col;        /* 1-based column in the raw line */
	uint64_t a, b;       /* range start/end; number; offset/len; node/pages */
	uint64_t glued_size; /* size digits glued to the range end (0 = none) */
	uint64_t glued_end;  /* the end without those digits */
	const char *s;       /* symbol / module / word text (not NUL-ended) */
	uint32_t slen;
	const char *raw; /* the token as found in the line (not NUL-ended) */
	uint32_t raw_len;
	const char *orig; /* caller rebuilt from words: the text as found */
	uint32_t orig_len, orig_col;
};

/*
 * Where the tokenizer is in one line: the offset of the next byte, and what
 * it learnt about the blank-free run it is in (where the run ends, where the
 * next range glued inside it starts), so that no byte is scanned twice for
 * the same question however many tokens the run holds: tokenizing is O(line
 * length). `work` counts the bytes the scans examined (the tests check it
 * grows linearly). Zero it (`= {0}`) before each line.
 */
struct vms_tokenizer {
	size_t pos;        /* next byte of ln->text to read */
	size_t run_end;    /* end of the blank-free run at pos (valid if > pos) */
	size_t glued;      /* start of the next glued range in the run, or run_end */
	size_t glued_from; /* glued is the answer for searches from here on */
	uint64_t work;     /* bytes examined by the scans */
};

/* Tokenizes ln->text from tk->pos. Returns the number of tokens written to
 * toks (at most cap) and advances tk->pos; the line is done when
 * tk->pos == ln->len. */
uint32_t vms_vmi_tokenize(const struct vms_line *ln, struct vms_tokenizer *tk,
                          struct vms_tok *toks, uint32_t cap);

struct vms_vmi;

/* The class of every line read so far: v[1..n], values of enum
 * vms_line_class or VMS_NO_CLASS. Owned by the driver. */
#define VMS_NO_CLASS 0xff
struct vms_classes {
	uint8_t *v;
	size_t n, cap;
};

/* Returns a new assembler writing areas, repairs and diagnostics into d and
 * line classes into cls (borrowed; it grows as the driver reads lines).
 * Free with vms_vmi_free(). */
struct vms_vmi *vms_vmi_new(struct vms_dump *d, struct vms_classes *cls);
/* Offers one line. Returns 1 when the line is a dump line (its class is set
 * now or when its entry completes), 0 when it is not (the caller classifies
 * it; the open entry is closed). */
int vms_vmi_line(struct vms_vmi *p, const struct vms_line *ln);
/* The dump's short way: when the line starts with an address range, closes
 * the open entry (as the range would) and, unless a detail group is held,
 * reads the line with vms_vmi_fast(). True when it took the line (its class
 * is set, the last area may be reopened by a detail line that follows);
 * false leaves the line to vms_vmi_line(). */
bool vms_vmi_try_fast(struct vms_vmi *p, const struct vms_line *ln);
/* Parses a clean kernel-format line directly (only with nothing held):
 * appends its area and marks the line's class like vms_vmi_line() would, or
 * returns false having changed nothing (the tolerant path then reads it).
 * What it takes depends on nothing read before: the two-thread parse hands
 * it lines of the second half on their own. */
bool vms_vmi_fast(struct vms_vmi *p, const struct vms_line *ln);
/* Closes the open entry (call on a context break and at the end). */
void vms_vmi_flush(struct vms_vmi *p);
void vms_vmi_free(struct vms_vmi *p);
/* Reserves room for about n areas at once (a big file of known size). */
void vms_vmi_expect(struct vms_vmi *p, size_t n);
/* Does what a line starting with an address range does first (closes the
 * open entry) and returns true when nothing is held after that, so the
 * line reads the same as on its own (vms_vmi_fast()). */
bool vms_vmi_ready_for_range(struct vms_vmi *p);
/* The last area came from the fast path on the last line read (a following
 * detail line may still reopen it). */
void vms_vmi_set_fast_open(struct vms_vmi *p, bool open);

/* Decides which tool printed the areas (dump.tool) from the lines read in
 * a debugger's syntax, and says once per tool found what its format lacks
 * (notes format-crash-kmem, format-lx-vmallocinfo, format-drgn). Call once,
 * after the last line and before inference. */
void vms_vmi_tools(struct vms_vmi *p);

/* Marks the source lines of area i with at least class c. */
void vms_vmi_mark_area(struct vms_vmi *p, size_t i, enum vms_line_class c);

#endif /* VMS_PARSE_VMI_H */
