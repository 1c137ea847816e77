/*
 * parse_vmi_tools.c — what debuggers print in place of /proc/vmallocinfo,
 * for users who have a vmcore and no /proc: crash's "kmem -v" table, and
 * the verdict on which tool printed the areas, said once per input.
 *
 * crash (memory.c: dump_vmap_area(), and dump_vmlist() before vmap_area)
 * prints hex without "0x" ("%lx", not zero-filled) in columns of pointer
 * width, then the size, which is end - start:
 *
 *      VMAP_AREA         VM_STRUCT                 ADDRESS RANGE                SIZE
 *   ffff888003f0e300  ffff888003f0e2c0  ffffc90000000000 - ffffc90000005000    20480
 *
 *   VM_STRUCT                 ADDRESS RANGE               SIZE
 *   ffff88003fc2d0c0  ffffc90000000000 - ffffc90000005000   20480
 *
 * A header line is read as the table's (class parsed) and a row as an area
 * with its range and size; the vmap_area and vm_struct addresses are the
 * debugger's objects, not the layout, and are not kept. A row is known by
 * its shape alone (a header-less paste of rows is read too): two or one
 * hex words, "HEX - HEX", a decimal size, nothing else; every address of
 * one width (8 or 16 digits) and the size end - start, as crash prints.
 *
 * The gdb script lx-vmallocinfo and drgn's contrib/vmallocinfo.py print
 * the kernel's own line format with their own callers; their lines are
 * read by vms_vmi_debugger() (parse_vmi_fast.c) and counted here.
 *
 * The verdict (vms_vmi_tools): the tool with the most lines in its own
 * syntax names the dump (dump.tool), and every tool found gets one note at
 * its first line saying what its format lacks. Cost: O(line) per line, a
 * byte compare for most; O(tools) at the end.
 */
#include "parse_vmi_int.h"

#include <string.h>

#include "numbers.h"

enum { MAX_ROW_WORDS = 7 }; /* one more than a row has: a longer line is not one */

struct word {
	const char *s;
	size_t n;
};

/* The blank-separated words of s (at most max; *more when there were more). */
static size_t split_words(const char *s, struct word *w, size_t max, bool *more)
{
	size_t n = 0;
	*more = false;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return n;
		if (n == max) {
			*more = true;
			return n;
		}
		w[n].s = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		w[n].n = (size_t)(s - w[n].s);
		n++;
	}
}

static bool word_is(const struct word *w, const char *lit)
{
	return w->n == strlen(lit) && memcmp(w->s, lit, w->n) == 0;
}

/* A "%lx" kernel address: 8 or 16 hex digits (kernel addresses have their
 * top digit set on every split), nothing else. */
static bool hex_word(const struct word *w, uint64_t *v)
{
	bool ovf = false;
	return (w->n == 8 || w->n == 16) &&
	       vms_scan_hex(w->s, w->s + w->n, v, &ovf) == w->n;
}

static bool dec_word(const struct word *w, uint64_t *v)
{
	bool ovf = false;
	return w->n && vms_scan_dec(w->s, w->s + w->n, v, &ovf) == w->n && !ovf;
}

/* "VMAP_AREA VM_STRUCT ADDRESS RANGE SIZE" (kmem) or without VMAP_AREA
 * (vmlist); VMS_TOOL_PROC when the words are not a header. */
static enum vms_tool header(const struct word *w, size_t n)
{
	static const char *const cols[] = {"VMAP_AREA", "VM_STRUCT", "ADDRESS", "RANGE",
	                                   "SIZE"};
	if (n != 5 && n != 4)
		return VMS_TOOL_PROC;
	const char *const *c = cols + (5 - n);
	for (size_t i = 0; i < n; i++)
		if (!word_is(&w[i], c[i]))
			return VMS_TOOL_PROC;
	return n == 5 ? VMS_TOOL_CRASH_KMEM : VMS_TOOL_CRASH_VMLIST;
}

/*
 * A row: [VMAP_AREA] VM_STRUCT START - END SIZE, every address of one
 * width, and the size end - start (crash computes it so): "add 1 - 2 3" in
 * prose is no row. Else a row that lost its size (a mail client or an
 * editor wrapped the line after END; *cut set): crash's size is end -
 * start, so nothing is lost, but without the size to check every number
 * must be a kernel address (the top half of the space), so "12345678
 * 00000001 - 00000002" in prose is no row. The size left alone on the next
 * line stays prose (the reading of a line never depends on the one before,
 * so both threads of a split parse agree).
 */
static enum vms_tool row(const struct word *w, size_t n, struct vms_area *a, bool *cut)
{
	for (int sized = 1; sized >= 0; sized--) { /* with the size first */
		size_t objs = n >= 4 + (size_t)sized ? n - 3 - (size_t)sized : 0;
		uint64_t obj;
		if ((objs != 1 && objs != 2) || !hex_word(&w[0], &obj) ||
		    (objs == 2 && (!hex_word(&w[1], &obj) || w[1].n != w[0].n)))
			continue;
		size_t width = w[0].n;
		const struct word *r = w + objs; /* the range */
		uint64_t kernel = width == 16 ? 0xffff000000000000ull : 0x80000000ull;
		if (!hex_word(&r[0], &a->start) || !word_is(&r[1], "-") ||
		    !hex_word(&r[2], &a->end) || r[0].n != width || r[2].n != width ||
		    a->end <= a->start)
			continue;
		if (sized ? !dec_word(&r[3], &a->size) || a->size != a->end - a->start
		          : (width != 8 && width != 16) || obj < kernel ||
		                a->start < kernel)
			continue;
		a->size = a->end - a->start;
		*cut = !sized;
		return objs == 2 ? VMS_TOOL_CRASH_KMEM : VMS_TOOL_CRASH_VMLIST;
	}
	return VMS_TOOL_PROC;
}

void vms_vmi_tool_seen(struct vms_vmi *p, enum vms_tool t, uint32_t no)
{
	if (!p->tool_lines[t]++)
		p->tool_first[t] = no;
}

bool vms_vmi_crash(struct vms_vmi *p, const struct vms_line *ln)
{
	const char *t = ln->text;
	if (t[0] != 'V' && !vms_hexv1[(unsigned char)t[0]])
		return false;
	struct word w[MAX_ROW_WORDS];
	bool more;
	size_t n = split_words(t, w, MAX_ROW_WORDS, &more);
	struct vms_area a = {0};
	bool cut = false;
	enum vms_tool tool = more          ? VMS_TOOL_PROC
	                     : t[0] == 'V' ? header(w, n)
	                                   : row(w, n, &a, &cut);
	if (tool == VMS_TOOL_PROC)
		return false;
	vms_vmi_flush(p); /* the table ends any entry open before it */
	vms_vmi_tool_seen(p, tool, ln->no);
	if (t[0] == 'V') {
		if (p->cls->v[ln->no] == NO_CLASS)
			p->cls->v[ln->no] = VMS_LINE_PARSED;
		return true;
	}
	size_t k = n - (cut ? 3 : 4);
	struct vms_area_src s = {
	    .line = ln->no,
	    .last_line = ln->no,
	    .col = vms_line_col(ln, w[k].s),
	    .w_start = (uint8_t)w[k].n,
	    .w_end = (uint8_t)w[k + 2].n,
	    .repairs = cut ? VMS_R_SIZE : 0,
	};
	if (p->cls->v[ln->no] == NO_CLASS)
		p->cls->v[ln->no] = cut ? VMS_LINE_REPAIRED : VMS_LINE_PARSED;
	size_t idx = p->d->areas.n;
	vms_vmi_push(p, &a, &s, NULL, 0);
	if (cut)
		vms_dump_repair(p->d, ln->no, s.col, (int64_t)idx, "size-from-range",
		                "crash table row without its size (wrapped?): size %llu "
		                "= end - start",
		                (unsigned long long)a.size);
	return true;
}

/* ---- the verdict ------------------------------------------------------------- */

static const struct {
	const char *code;
	const char *what;  /* the tool and its format */
	const char *lacks; /* what the areas lack */
} tool_notes[VMS_NR_TOOLS] = {
    [VMS_TOOL_CRASH_KMEM] = {"format-crash-kmem",
                             "crash's 'kmem -v' table (VMAP_AREA VM_STRUCT ADDRESS "
                             "RANGE SIZE)",
                             "the areas have their ranges and sizes only; the table "
                             "prints no callers, pages, phys or flags, and no "
                             "vm_map_ram areas"},
    [VMS_TOOL_CRASH_VMLIST] = {"format-crash-kmem",
                               "an older crash's 'kmem -v' table (VM_STRUCT ADDRESS "
                               "RANGE SIZE)",
                               "the areas have their ranges and sizes only; the table "
                               "prints no callers, pages, phys or flags"},
    [VMS_TOOL_LX_VMALLOCINFO] = {"format-lx-vmallocinfo",
                                 "the kernel's gdb script lx-vmallocinfo",
                                 "callers are kept by name (it prints "
                                 "'<symbol+decimal offset>', no length or module), "
                                 "phys= is unpadded, and it prints no NUMA counts and "
                                 "no sparse flag"},
    [VMS_TOOL_DRGN] = {"format-drgn", "drgn's contrib/vmallocinfo.py",
                       "callers are bare symbol names (no offset, length or module), "
                       "phys= is unpadded, and it prints no NUMA counts"},
};

void vms_vmi_tools(struct vms_vmi *p)
{
	struct vms_dump *d = p->d;
	uint32_t most = 0;
	d->tool = VMS_TOOL_PROC;
	for (int t = VMS_TOOL_PROC + 1; t < VMS_NR_TOOLS; t++) {
		uint32_t n = p->tool_lines[t];
		if (!n)
			continue;
		if (n > most) {
			most = n;
			d->tool = (uint8_t)t;
		}
		vms_dump_diag(d, p->tool_first[t], 0, VMS_SEV_NOTE, tool_notes[t].code,
		              "%u line%s in the format of %s from line %u: %s", n,
		              n == 1 ? "" : "s", tool_notes[t].what, p->tool_first[t],
		              tool_notes[t].lacks);
	}
}
