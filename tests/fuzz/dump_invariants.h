/*
 * dump_invariants.h — checks that must hold for the result of ANY parse, used
 * by the libFuzzer targets (which abort on a violation) and by the hostile
 * input unit tests (which assert on it).
 *
 * Line counting (agreed with src/parse/parse_driver.c, docs/formats.md "Line
 * ends"): the input is split at '\n' (a CR before it belongs to the line);
 * a last line without a line end still counts; an empty input has 0 lines.
 * So "a\nb" and "a\nb\n" both have 2 lines and "\n" has 1. An input whose
 * first VMS_EOL_WINDOW bytes hold a CR and no LF is CR-only: there CR, LF
 * and CRLF each end a line ("a\rb\r\nc" has 3 lines).
 *
 * vms_check_dump() returns NULL when every invariant holds, otherwise a
 * static string naming the first one violated (for abort() or cr_assert).
 * Cost: O(input + dump); it allocates one array of line lengths.
 *
 * Header-only on purpose: the fuzz targets are built from one C file plus
 * the library sources, and the unit tests from tests/test_*.c; both include this.
 */
#ifndef VMS_DUMP_INVARIANTS_H
#define VMS_DUMP_INVARIANTS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse_lines.h"
#include "vmscope/dump.h"

/* Keeps touched data alive so the optimiser cannot delete the parse. */
static volatile uint64_t vms_inv_sink;

/* True when buf[0..len) is a CR-only input (see the file comment). */
static inline int vms_inv_cr_only(const char *buf, size_t len)
{
	size_t w = len < VMS_EOL_WINDOW ? len : VMS_EOL_WINDOW;
	return memchr(buf, '\r', w) && !memchr(buf, '\n', w);
}

/* Length of the line end at buf[k] (1 or 2 for CRLF), or 0 when buf[k]
 * does not end a line. */
static inline size_t vms_inv_eol(const char *buf, size_t len, size_t k, int cr_only)
{
	if (buf[k] == '\n')
		return 1;
	if (!cr_only || buf[k] != '\r')
		return 0;
	return k + 1 < len && buf[k + 1] == '\n' ? 2 : 1;
}

/* Counts the lines of buf[0..len); stores the length of each of the first
 * max lines (line end excluded) in lens when lens is not NULL. */
static inline uint64_t vms_inv_lines(const char *buf, size_t len, uint32_t *lens,
                                     uint64_t max)
{
	int cr = vms_inv_cr_only(buf, len);
	uint64_t n = 0;
	size_t start = 0, k = 0;
	while (k < len) {
		size_t e = vms_inv_eol(buf, len, k, cr);
		if (!e) {
			k++;
			continue;
		}
		if (lens && n < max)
			lens[n] =
			    k - start > UINT32_MAX ? UINT32_MAX : (uint32_t)(k - start);
		n++;
		k += e;
		start = k;
	}
	if (start < len) {
		if (lens && n < max)
			lens[n] = len - start > UINT32_MAX ? UINT32_MAX
			                                   : (uint32_t)(len - start);
		n++;
	}
	return n;
}

/* Number of lines of buf[0..len) (see the file comment). */
static inline uint64_t vms_inv_count_lines(const char *buf, size_t len)
{
	return vms_inv_lines(buf, len, NULL, 0);
}

/* Length in bytes of every line (without its line end); lens[0] is line 1. */
static inline uint32_t *vms_inv_line_lengths(const char *buf, size_t len, uint64_t lines)
{
	uint32_t *lens = calloc(lines ? lines : 1, sizeof(*lens));

	if (!lens)
		abort();
	vms_inv_lines(buf, len, lens, lines);
	return lens;
}

/* Touches every byte of a string the dump hands out (ASan sees bad ones). */
static inline void vms_inv_touch(const char *s)
{
	if (s)
		vms_inv_sink += strlen(s);
}

/* A line/col pair: line in [lo, lines], col 0 or within the line (+1 for
 * "just after the end"). */
static inline int vms_inv_loc_ok(uint64_t line, uint64_t col, uint64_t lo, uint64_t lines,
                                 const uint32_t *lens)
{
	if (line < lo || line > lines)
		return 0;
	if (line == 0)
		return 1;
	return col <= (uint64_t)lens[line - 1] + 1;
}

static inline const char *vms_inv_accounting(const struct vms_dump *d, uint64_t lines)
{
	uint64_t sum = 0, noise = 0;

	if (d->acct.lines != lines)
		return "accounting.lines differs from the number of input lines";
	for (int c = 0; c < VMS_NR_LINE_CLASSES; c++)
		sum += d->acct.by_class[c];
	if (sum != lines)
		return "accounting classes do not add up to the line count";
	for (int k = 0; k < VMS_NR_NOISE_KINDS; k++)
		noise += d->acct.noise[k];
	if (noise != d->acct.by_class[VMS_LINE_NOISE])
		return "noise kinds do not add up to the noise class";
	return NULL;
}

static inline const char *vms_inv_area(const struct vms_dump *d, size_t i, uint64_t lines,
                                       const uint32_t *lens)
{
	const struct vms_area *a = &d->areas.v[i];
	const struct vms_area_src *s = &d->src.v[i];
	if (s->line < 1 || s->line > lines || s->last_line < 1 || s->last_line > lines)
		return "area line/last_line outside [1, lines]";
	if (s->line > s->last_line)
		return "area line > last_line";
	/* col is the range's column, which may be on a later line than
	 * the first (details pasted before their address): bound it by the
	 * longest line of the area's span. */
	uint32_t widest = 0;
	for (uint64_t l = s->line; l <= s->last_line; l++)
		widest = lens[l - 1] > widest ? lens[l - 1] : widest;
	if (s->col < 1 || s->col > (uint64_t)widest + 1)
		return "area column outside its lines";
	if (a->kind > VMS_KIND_UNPURGED)
		return "area kind out of range";
	if (a->geom > VMS_GEOM_PTRVAL)
		return "area geometry state out of range";
	if (a->flags >= (1u << VMS_NR_FLAGS))
		return "area flags out of range";
	if (s->repairs >= (1u << VMS_NR_REPAIR_BITS))
		return "area repair bits out of range";
	if (s->numa > d->numa.n || (i && s->numa < d->src.v[i - 1].numa))
		return "area NUMA index out of order";
	if (a->caller >= vms_symtab_count(&d->syms) ||
	    a->module >= vms_symtab_count(&d->syms))
		return "area symbol id outside the symbol table";
	if (a->has_offset && !a->caller)
		return "area has an offset but no caller";
	vms_inv_touch(vms_area_caller(d, a));
	vms_inv_touch(vms_area_module(d, a));
	vms_inv_touch(vms_dump_extra(d, i));
	uint32_t nr;
	const struct vms_numa *numa = vms_dump_numa(d, i, &nr);
	for (uint32_t k = 0; k < nr; k++)
		vms_inv_sink += numa[k].node + numa[k].pages;
	vms_inv_sink += a->start ^ a->end ^ a->size ^ a->pages ^ a->phys;
	return NULL;
}

static inline const char *vms_inv_notes(const struct vms_dump *d, uint64_t lines,
                                        const uint32_t *lens)
{
	for (size_t i = 0; i < d->diags.n; i++) {
		const struct vms_diag *g = &d->diags.v[i];
		if (!vms_inv_loc_ok(g->line, g->col, 0, lines, lens))
			return "diagnostic line/col outside the input";
		if (g->area < -1 || g->area >= (int64_t)d->areas.n)
			return "diagnostic names an area that does not exist";
		if (g->severity > VMS_SEV_NOTE)
			return "diagnostic severity out of range";
		if (!g->code || !*g->code || !g->message)
			return "diagnostic without code or message";
		vms_inv_touch(g->code);
		vms_inv_touch(g->message);
	}
	for (size_t i = 0; i < d->repairs.n; i++) {
		const struct vms_repair *r = &d->repairs.v[i];
		if (!vms_inv_loc_ok(r->line, r->col, 0, lines, lens))
			return "repair line/col outside the input";
		if (r->area < -1 || r->area >= (int64_t)d->areas.n)
			return "repair names an area that does not exist";
		if (!r->code || !*r->code || !r->message)
			return "repair without code or message";
		vms_inv_touch(r->code);
		vms_inv_touch(r->message);
	}
	return NULL;
}

static inline const char *vms_inv_bootlog(const struct vms_bootlog *log, uint64_t lines)
{
	if (log->layout_style > VMS_LAYOUT_OTHER)
		return "layout_style out of range";
	if (log->layout_line > lines)
		return "layout_line beyond the input";
	for (size_t i = 0; i < log->regions.n; i++) {
		const struct vms_region *r = &log->regions.v[i];
		if (!r->name)
			return "region without a name";
		if (r->line < 1 || r->line > lines)
			return "region line outside [1, lines]";
		if (!memchr(r->printed_unit, '\0', sizeof(r->printed_unit)))
			return "region printed_unit not NUL-terminated";
		vms_inv_touch(r->name);
		vms_inv_sink += r->start ^ r->end ^ r->printed;
	}
	if (log->has_cmdline) {
		const struct vms_cmdline *c = &log->cmdline;
		if (!c->text)
			return "command line without text";
		if (c->line < 1 || c->line > lines)
			return "command line line outside [1, lines]";
		if (c->has_vmalloc && !c->vmalloc_text)
			return "vmalloc= found but vmalloc_text == NULL";
		vms_inv_touch(c->text);
		vms_inv_touch(c->vmalloc_text);
		vms_inv_touch(c->cma_text);
	}
	if (log->memory_text && (log->memory_line < 1 || log->memory_line > lines))
		return "Memory: line outside [1, lines]";
	if (log->version_text && (log->version_line < 1 || log->version_line > lines))
		return "Linux version line outside [1, lines]";
	vms_inv_touch(log->memory_text);
	vms_inv_touch(log->version_text);
	vms_inv_touch(log->compiler_text);
	vms_inv_touch(log->arch_hint);
	for (size_t i = 0; i < log->failures.n; i++) {
		const struct vms_failure *f = &log->failures.v[i];
		if (f->kind > VMS_FAIL_ALLOCATION)
			return "failure kind out of range";
		if (f->line < 1 || f->line > lines)
			return "failure line outside [1, lines]";
		if (!f->text)
			return "failure without text";
		if (f->nr_callers && !f->callers)
			return "failure nr_callers > 0 but callers == NULL";
		for (uint32_t k = 0; k < f->nr_callers; k++) {
			if (!f->callers[k])
				return "failure caller == NULL";
			vms_inv_touch(f->callers[k]);
		}
		vms_inv_touch(f->text);
	}
	return NULL;
}

static inline const char *vms_inv_summary(const struct vms_dump *d)
{
	if (!d->source || !d->log)
		return "dump without source or boot log";
	if (d->page_size == 0 || (d->page_size & (d->page_size - 1)))
		return "page_size is not a power of two";
	if (d->areas.n && d->addr_bits != 32 && d->addr_bits != 64)
		return "areas present but addr_bits is neither 32 nor 64";
	if (!d->areas.n && d->addr_bits != 0)
		return "no areas but addr_bits != 0";
	if (d->visibility > VMS_VIS_MIXED)
		return "visibility out of range";
	vms_inv_touch(d->source);
	vms_inv_touch(d->era);
	vms_inv_touch(d->arch);
	return NULL;
}

/* Checks everything above on the dump parsed from buf[0..len); a dump that
 * stopped at binary data holds the lines of the bytes before it. */
static inline const char *vms_check_dump(const struct vms_dump *d, const char *buf,
                                         size_t len)
{
	uint64_t lines;
	const char *why;
	uint32_t *lens;

	if (!d)
		return "no dump returned";
	if (d->stopped && d->stopped_at > len)
		return "stopped beyond the end of the input";
	if (d->stopped)
		len = (size_t)d->stopped_at;
	lines = vms_inv_count_lines(buf, len);
	if ((why = vms_inv_summary(d)) || (why = vms_inv_accounting(d, lines)))
		return why;
	lens = vms_inv_line_lengths(buf, len, lines);
	if (d->src.n != d->areas.n)
		why = "src and areas differ in length";
	for (size_t i = 0; i < d->areas.n && !why; i++)
		why = vms_inv_area(d, i, lines, lens);
	for (size_t i = 1; i < d->extras.n && !why; i++)
		if (d->extras.v[i].area <= d->extras.v[i - 1].area)
			why = "extra words not sorted by area";
	if (!why)
		why = vms_inv_notes(d, lines, lens);
	free(lens);
	if (!why)
		why = vms_inv_bootlog(d->log, lines);
	return why;
}

/* An order-sensitive digest of what the parse produced, for determinism
 * checks (FNV-1a over the numeric fields and the strings). */
static inline uint64_t vms_inv_mix(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}

static inline uint64_t vms_inv_mix_str(uint64_t h, const char *s)
{
	if (!s)
		return vms_inv_mix(h, 0x5a5a);
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return vms_inv_mix(h, 0);
}

static inline uint64_t vms_dump_digest(const struct vms_dump *d)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (int c = 0; c < VMS_NR_LINE_CLASSES; c++)
		h = vms_inv_mix(h, d->acct.by_class[c]);
	h = vms_inv_mix(h, d->areas.n);
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		const struct vms_area_src *s = &d->src.v[i];
		h = vms_inv_mix(h, a->start);
		h = vms_inv_mix(h, a->end);
		h = vms_inv_mix(h, a->size);
		h = vms_inv_mix(h, a->pages);
		h = vms_inv_mix(h, ((uint64_t)s->line << 32) | s->last_line);
		h = vms_inv_mix(h, ((uint64_t)a->flags << 40) |
		                       ((uint64_t)a->kind << 32) |
		                       ((uint64_t)a->geom << 24) | s->repairs);
		h = vms_inv_mix_str(h, vms_area_caller(d, a));
		h = vms_inv_mix_str(h, vms_area_module(d, a));
	}
	h = vms_inv_mix(h, d->diags.n);
	for (size_t i = 0; i < d->diags.n; i++) {
		h = vms_inv_mix(h,
		                ((uint64_t)d->diags.v[i].line << 32) | d->diags.v[i].col);
		h = vms_inv_mix_str(h, d->diags.v[i].code);
		h = vms_inv_mix_str(h, d->diags.v[i].message);
	}
	h = vms_inv_mix(h, d->repairs.n);
	h = vms_inv_mix(h, d->log->regions.n);
	h = vms_inv_mix(h, d->log->failures.n);
	return vms_inv_mix(h, ((uint64_t)d->addr_bits << 8) | d->visibility);
}

#endif /* VMS_DUMP_INVARIANTS_H */
