/*
 * parse_vmi_feed.c — feeds the vmallocinfo assembler: decides whether a line
 * belongs to the dump at all (a range with dump fields, a detail line, a
 * continuation), rebuilds callers whose underscores were lost, and hands
 * every token to the open segment (see parse_vmi.c for the segment rules).
 * O(tokens) per line.
 */
#include "parse_vmi_int.h"

#include "numbers.h"

#include <stdlib.h>
#include <string.h>

/* ---- feeding tokens ------------------------------------------------------ */

/* A number that does not fit where it goes: the diagnostic names the token
 * as found and the limit; the value is never kept. */
static void tok_overflow(struct vms_vmi *p, const struct vms_tok *t, uint32_t line,
                         const char *what, unsigned bits, const char *why)
{
	vms_dump_diag(p->d, line, t->col, VMS_SEV_ERROR, "number-overflow",
	              "%s in '%.*s' does not fit in %u bits%s; dropped", what,
	              (int)vms_utf8_clip(t->raw, t->raw_len, 64), t->raw, bits, why);
	vms_vmi_mark(p, line, VMS_LINE_DIAGNOSTIC);
}

static void on_range(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	vms_vmi_close(p);
	struct seg *s = &p->cur;
	vms_seg_touch(p, s, line, t->col);
	s->has_range = true;
	s->a.start = t->a;
	s->a.end = t->b;
	s->s.w_start = t->w1;
	s->s.w_end = t->w2;
	s->ptrval = t->ptrval;
	s->glued_size = t->glued_size;
	s->glued_end = t->glued_end;
	if (t->overflow) {
		s->bad = true;
		vms_dump_diag(
		    p->d, line, t->col, VMS_SEV_ERROR, "address-overflow",
		    "address range '%.*s' does not fit in 64 bits; entry dropped",
		    (int)vms_utf8_clip(t->raw, t->raw_len, 64), t->raw);
		vms_vmi_mark(p, line, VMS_LINE_DIAGNOSTIC);
	}
}

static void on_num(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	struct seg *s = &p->cur;
	if (t->overflow) {
		tok_overflow(p, t, line, "number", 64, "");
		return;
	}
	if (s->open && s->has_range && !s->has_size && !s->has_caller) {
		vms_seg_touch(p, s, line, t->col);
		s->has_size = true;
		s->a.size = t->a;
		if (s->rank)
			vms_seg_rank(s, 0, t, line);
		return;
	}
	if (s->open && s->has_range && s->has_size && !s->has_caller && !s->ptrval &&
	    s->a.end - s->a.start != s->a.size && t->a == s->a.end - s->a.start) {
		vms_seg_fix(s, line, t->col, VMS_R_STRAY, "stray-token",
		            "dropped stray token '%llu' before the size %llu",
		            (unsigned long long)s->a.size, (unsigned long long)t->a);
		s->a.size = t->a;
		return;
	}
	vms_vmi_close(p);
	vms_seg_touch(p, s, line, t->col);
	s->has_size = true;
	s->a.size = t->a;
}

/* The tokenizer rebuilt the caller from words (OCR lost underscores). */
static void caller_fix(struct seg *s, const struct vms_tok *t, uint32_t line)
{
	vms_seg_fix(s, line, t->orig_col, VMS_R_CALLER, "caller-underscores",
	            "restored underscores in caller: '%.*s' -> '%.*s'", (int)t->orig_len,
	            t->orig, (int)t->slen, t->s);
}

static void on_caller(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	struct seg *s = &p->cur;
	if (s->has_caller) /* a second caller: the details of the next entry */
		vms_vmi_close(p);
	vms_seg_touch(p, s, line, t->col);
	vms_seg_rank(s, 1, t, line);
	s->has_caller = true;
	s->a.caller = vms_dump_intern(p->d, t->s, t->slen);
	s->a.offset = s->a.length = 0;
	s->half_caller = t->type == VMS_T_CALLER_HALF;
	s->bad_offset = false;
	if (t->orig)
		caller_fix(s, t, line);
	if (t->type == VMS_T_HEX)
		return;
	/* the kernel prints a symbol's offset and size; both fit 32 bits in
	 * any real kernel, so a longer one is garbled text */
	if (t->overflow || t->a > UINT32_MAX || t->b > UINT32_MAX) {
		tok_overflow(p, t, line, "caller offset or length", 32,
		             " (a kernel symbol is never that large)");
		s->bad_offset = true;
		return;
	}
	s->a.offset = (uint32_t)t->a;
	s->a.length = (uint32_t)t->b;
}

static void on_module(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	struct seg *s = &p->cur;
	vms_seg_touch(p, s, line, t->col);
	vms_seg_rank(s, 2, t, line);
	if (!memchr(t->s, ' ', t->slen) && !memchr(t->s, '\t', t->slen)) {
		s->a.module = vms_dump_intern(p->d, t->s, t->slen);
		return;
	}
	char *m = vms_xstrndup(t->s, t->slen);
	for (char *c = m; *c; c++)
		if (*c == ' ' || *c == '\t')
			*c = '_';
	vms_seg_fix(s, line, t->col, VMS_R_MODULE, "module-underscores",
	            "restored underscores in module: '[%.*s]' -> '[%s]'", (int)t->slen,
	            t->s, m);
	s->a.module = vms_dump_intern(p->d, m, t->slen);
	free(m);
}

/* pages=, phys=, N=, flags, kinds: start a detail-only segment if none. */
static struct seg *detail_seg(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	struct seg *s = &p->cur;
	if (!s->open)
		vms_seg_touch(p, s, line, t->col);
	vms_seg_touch(p, s, line, t->col);
	return s;
}

static void on_field(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	struct seg *s = detail_seg(p, t, line);
	if (t->overflow) { /* past 64 bits: named with the field's own limit */
		if (t->type == VMS_T_PAGES)
			tok_overflow(p, t, line, "page count", 32,
			             " (the kernel's nr_pages is an unsigned int)");
		else if (t->type == VMS_T_NUMA)
			tok_overflow(p, t, line, "NUMA node or page count", 32,
			             " (the kernel prints an unsigned int)");
		else
			tok_overflow(p, t, line,
			             t->type == VMS_T_PHYS ? "phys=" : "number", 64, "");
		return;
	}
	switch (t->type) {
	case VMS_T_PAGES:
		vms_seg_rank(s, 3, t, line);
		if (t->a > UINT32_MAX) {
			tok_overflow(p, t, line, "page count", 32,
			             " (the kernel's nr_pages is an unsigned int)");
			break;
		}
		s->a.has_pages = true;
		s->a.pages = (uint32_t)t->a;
		break;
	case VMS_T_PHYS:
		vms_seg_rank(s, 4, t, line);
		s->a.has_phys = true;
		s->a.phys = t->a;
		s->a.phys_form = !t->phys_0x  ? VMS_PHYS_PLAIN
		                 : t->w1 <= 8 ? VMS_PHYS_PA32
		                              : VMS_PHYS_PA64;
		break;
	case VMS_T_FLAG:
		vms_seg_rank(s, 5 + (uint32_t)t->a, t, line);
		s->a.flags |= (uint16_t)(1u << t->a);
		break;
	case VMS_T_NUMA:
		vms_seg_rank(s, 20, t, line);
		if (t->a > UINT32_MAX || t->b > UINT32_MAX) {
			tok_overflow(p, t, line,
			             t->a > UINT32_MAX ? "NUMA node" : "page count", 32,
			             " (the kernel prints an unsigned int)");
			break;
		}
		struct vms_numa nm = {(uint32_t)t->a, (uint32_t)t->b};
		vms_vec_push(&s->numa, nm);
		break;
	case VMS_T_MAP_RAM:
		s->a.kind = VMS_KIND_VM_MAP_RAM;
		break;
	case VMS_T_UNPURGED:
		s->a.kind = VMS_KIND_UNPURGED;
		break;
	default:
		break;
	}
}

static void on_word(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	struct seg *s = &p->cur;
	if (!s->open)
		return; /* leading text: reported by the line feeder */
	vms_seg_touch(p, s, line, t->col);
	if (t->type == VMS_T_ELISION) {
		if (!(s->s.repairs & VMS_R_ELISION))
			vms_seg_fix(s, line, t->col, VMS_R_ELISION, "elision",
			            "dropped a '...' elision inside the entry");
		return;
	}
	if (t->type == VMS_T_LEN_HALF && s->half_caller) {
		s->half_caller = false;
		if (t->overflow || t->b > UINT32_MAX) {
			tok_overflow(p, t, line, "caller length", 32,
			             " (a kernel symbol is never that large)");
			s->bad_offset = true;
			return;
		}
		s->a.length = (uint32_t)t->b;
		return;
	}
	if (t->type != VMS_T_SKIP)
		vms_seg_extra(s, t->s, t->slen);
}

static void feed(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	switch (t->type) {
	case VMS_T_RANGE:
		on_range(p, t, line);
		break;
	case VMS_T_NUM:
		on_num(p, t, line);
		break;
	case VMS_T_CALLER:
	case VMS_T_CALLER_HALF:
		on_caller(p, t, line);
		break;
	case VMS_T_HEX:
		if (p->cur.open && p->cur.has_size && !p->cur.has_caller && !p->cur.rank)
			on_caller(p, t, line);
		else
			on_word(p, t, line);
		break;
	case VMS_T_MODULE:
		on_module(p, t, line);
		break;
	case VMS_T_PAGES:
	case VMS_T_PHYS:
	case VMS_T_FLAG:
	case VMS_T_NUMA:
	case VMS_T_MAP_RAM:
	case VMS_T_UNPURGED:
		on_field(p, t, line);
		break;
	case VMS_T_SKIP:
		break;
	default:
		on_word(p, t, line);
		break;
	}
}

/* ---- lines ---------------------------------------------------------------- */

static bool is_detail(uint8_t type)
{
	return type != VMS_T_RANGE && type != VMS_T_NUM && type != VMS_T_WORD &&
	       type != VMS_T_ELISION && type != VMS_T_HEX;
}

static bool page_multiple(uint64_t v)
{
	return v >= 4096 && v % 4096 == 0;
}

/* Is a line without any address range still part of the dump? */
static bool detail_line(const struct vms_vmi *p, const struct vms_tok *t, uint32_t n)
{
	if (t[0].type == VMS_T_NUM) {
		if (n == 1)
			return p->cur.open && p->cur.has_range && !p->cur.has_size;
		return page_multiple(t[0].a) &&
		       (is_detail(t[1].type) || t[1].type == VMS_T_HEX ||
		        t[1].type == VMS_T_SKIP);
	}
	if (!p->cur.open || !is_detail(t[0].type))
		return false;
	uint32_t words = 0;
	for (uint32_t i = 0; i < n; i++)
		words += t[i].type == VMS_T_WORD || t[i].type == VMS_T_NUM;
	return words * 2 <= n;
}

/*
 * "8192 module alloc update bounds+0xc/0x5c": words (flag words too: "devm
 * ioremap nocache+0x40/0x78") between a size and a caller are the caller's
 * own pieces; rebuild the symbol with '_' and mark the pieces consumed.
 */
static void join_callers(struct vms_vmi *p, const struct vms_line *ln, uint32_t n)
{
	struct vms_tok *t = p->toks;
	for (uint32_t j = 1; j < n; j++) {
		if ((t[j].type != VMS_T_CALLER && t[j].type != VMS_T_CALLER_HALF) ||
		    t[j].glued_left)
			continue;
		uint32_t k = j;
		while (k > 0 && j - k < MAX_WORDS &&
		       (t[k - 1].type == VMS_T_WORD || t[k - 1].type == VMS_T_FLAG) &&
		       !t[k].glued_left)
			k--;
		bool after_size =
		    k > 0 ? t[k - 1].type == VMS_T_NUM
		          : p->cur.open && p->cur.has_size && !p->cur.has_caller;
		if (k == j || !after_size)
			continue;
		const char *from = t[k].s;
		size_t len = (size_t)(t[j].s + t[j].slen - from);
		char *sym = vms_arena_strndup(&p->d->arena, from, len);
		for (char *c = sym; *c; c++)
			if (*c == ' ' || *c == '\t')
				*c = '_';
		t[j].orig = from;
		t[j].orig_len = (uint32_t)len;
		t[j].orig_col = t[k].col;
		t[j].s = sym;
		t[j].slen = (uint32_t)strlen(sym);
		for (uint32_t i = k; i < j; i++)
			t[i].type = VMS_T_SKIP;
	}
	(void)ln;
}

static void leading_text(struct vms_vmi *p, const struct vms_line *ln, uint32_t k)
{
	const struct vms_tok *t = p->toks;
	const char *from = t[0].raw, *to = t[k].raw;
	while (to > from && (to[-1] == ' ' || to[-1] == '\t'))
		to--;
	vms_dump_repair(p->d, ln->no, t[0].col, -1, "leading-text",
	                "ignored text before the first entry: '%.*s'",
	                (int)vms_utf8_clip(from, (size_t)(to - from), 60), from);
}

/* The kernel order rank of the last field an area has (see vms_seg_rank). */
static uint32_t area_rank(const struct vms_area *a, uint32_t nr_numa)
{
	if (nr_numa)
		return 20;
	for (int b = VMS_NR_FLAGS - 1; b >= 0; b--)
		if (a->flags & (1u << b))
			return 5 + (uint32_t)b;
	return a->has_phys ? 4 : a->has_pages ? 3 : a->module ? 2 : a->caller ? 1 : 0;
}

/*
 * The fast path finished the previous line as an area, but this line is its
 * continuation (a wrapped entry): take the area back as the open segment.
 */
static void reopen_last(struct vms_vmi *p)
{
	struct vms_dump *d = p->d;
	size_t i = d->areas.n - 1;
	struct seg *s = &p->cur;
	vms_seg_reset(s);
	s->a = d->areas.v[i];
	s->s = d->src.v[i];
	s->s.repairs = 0;
	uint32_t nr;
	const struct vms_numa *nm = vms_dump_numa(d, i, &nr);
	for (uint32_t k = 0; k < nr; k++)
		vms_vec_push(&s->numa, nm[k]);
	s->open = s->has_range = s->has_size = true;
	s->has_caller = s->a.caller != 0;
	/* a caller read without an offset (gdb's "<sym+decimal>", drgn's bare
	 * name) stays without one when the area is emitted again */
	s->bad_offset = s->has_caller && !s->a.has_offset;
	s->rank = area_rank(&s->a, nr);
	vms_dump_pop_area(d);
}

static void feed_line(struct vms_vmi *p, const struct vms_line *ln, uint32_t n,
                      uint32_t ranges, uint32_t first)
{
	uint32_t i = 0;
	if (ranges && first > 0) {
		bool text = true;
		for (uint32_t k = 0; k < first; k++)
			text &= p->toks[k].type == VMS_T_WORD ||
			        p->toks[k].type == VMS_T_ELISION;
		if (text) {
			vms_vmi_flush(p);
			leading_text(p, ln, first);
			vms_vmi_mark(p, ln->no, VMS_LINE_REPAIRED);
			i = first;
		}
	}
	for (; i < n; i++)
		feed(p, &p->toks[i], ln->no);
}

/*
 * A line with an address range is a dump line only if something else on it
 * looks like a dump field (a size, a caller, a flag...), or if the range is
 * alone on the line (a wrapped entry). "0x000000260000-0x000000460000 : "A""
 * (MTD partitions) and "PMP0 : 0x80000000-0x8001ffff (A)" are log text.
 */
static bool plausible(const struct vms_tok *t, uint32_t n)
{
	bool words = false;
	for (uint32_t i = 0; i < n; i++) {
		if (t[i].type == VMS_T_NUM || t[i].glued_size || is_detail(t[i].type) ||
		    t[i].type == VMS_T_HEX || t[i].type == VMS_T_SKIP)
			return true;
		words |= t[i].type == VMS_T_WORD || t[i].type == VMS_T_ELISION;
	}
	return !words;
}

static uint32_t count_ranges(const struct vms_tok *t, uint32_t n, uint32_t *first)
{
	uint32_t ranges = 0;
	*first = n;
	for (uint32_t i = 0; i < n; i++)
		if (t[i].type == VMS_T_RANGE && ranges++ == 0)
			*first = i;
	return ranges;
}

/* The line starts with "0x<hex>-0x": its first token is a range. */
static bool starts_with_range(const struct vms_line *ln)
{
	const char *s = ln->text;
	if (s[0] != '0' || s[1] != 'x')
		return false;
	size_t i = 2;
	while (vms_hexv1[(unsigned char)s[i]])
		i++;
	return i > 2 && s[i] == '-' && s[i + 1] == '0' && s[i + 2] == 'x';
}

bool vms_vmi_try_fast(struct vms_vmi *p, const struct vms_line *ln)
{
	/* a range closes the open entry before anything else happens
	 * (on_range), so closing it here changes nothing, and lets a clean
	 * line after a messy one take the fast path again; with no entry open
	 * the fast path's own scan is the check */
	if (p->cur.open) {
		if (!starts_with_range(ln))
			return false;
		vms_vmi_close(p);
	} else if (ln->text[0] != '0' || ln->text[1] != 'x') {
		return false;
	}
	if (p->pending.open)
		return false;
	uint8_t *cls = &p->cls->v[ln->no], before = *cls;
	if (before == NO_CLASS)
		*cls = VMS_LINE_PARSED;
	enum vms_tool tool = VMS_TOOL_PROC;
	if (vms_vmi_fast(p, ln) || (tool = vms_vmi_debugger(p, ln)) != VMS_TOOL_PROC) {
		if (tool != VMS_TOOL_PROC)
			vms_vmi_tool_seen(p, tool, ln->no);
		p->fast_open = true;
		return true;
	}
	*cls = before; /* as it was: an earlier record of the line may own it */
	return false;
}

/* A line that starts like a dump line ("0x..-0x.. SIZE") with a range the
 * kernel cannot have printed (widths other than its 8 or 16 digits, give or
 * take the one a paste loses or doubles): said, never read silently as
 * prose. True when it was. */
static bool odd_range(struct vms_vmi *p, const struct vms_line *ln)
{
	const char *t = ln->text;
	size_t a = 2, b;
	if (t[0] != '0' || t[1] != 'x')
		return false;
	while (vms_hexv1[(unsigned char)t[a]])
		a++;
	if (a == 2 || t[a] != '-' || t[a + 1] != '0' || t[a + 2] != 'x')
		return false;
	for (b = a + 3; vms_hexv1[(unsigned char)t[b]];)
		b++;
	/* then a size, as in a dump line ("0x...-0x... : name" is an MTD
	 * partition, and other logs print ranges too) */
	size_t c = b;
	while (t[c] == ' ' || t[c] == '\t')
		c++;
	if (b == a + 3 || c == b || !vms_is_digit(t[c]))
		return false;
	while (vms_is_digit(t[c]))
		c++;
	if (t[c] && t[c] != ' ' && t[c] != '\t')
		return false;
	vms_dump_diag(p->d, ln->no, ln->col, VMS_SEV_WARNING, "range-width",
	              "address range '%.*s' has %zu and %zu hex digits, but the kernel "
	              "prints addresses at 8 or 16 (0x%%p): not read as an entry",
	              (int)vms_utf8_clip(t, b, 80), t, a - 2, b - a - 3);
	p->cls->v[ln->no] = VMS_LINE_DIAGNOSTIC;
	return true;
}

int vms_vmi_line(struct vms_vmi *p, const struct vms_line *ln)
{
	if (vms_vmi_try_fast(p, ln) || vms_vmi_crash(p, ln))
		return 1;
	bool fast_open = p->fast_open;
	p->fast_open = false;
	struct vms_tokenizer tk = {0};
	uint32_t first, n = vms_vmi_tokenize(ln, &tk, p->toks, MAX_TOKS);
	join_callers(p, ln, n);
	uint32_t ranges = count_ranges(p->toks, n, &first);
	if (!ranges && odd_range(p, ln)) {
		vms_vmi_flush(p);
		return 1;
	}
	if (!ranges && n && fast_open && !p->cur.open && p->toks[0].type != VMS_T_NUM) {
		reopen_last(p);
		if (!detail_line(p, p->toks, n)) { /* not a continuation after all */
			vms_vmi_close(p);
			vms_vmi_flush(p);
			return 0;
		}
	}
	if (n == 0 || (!ranges && !detail_line(p, p->toks, n)) ||
	    (ranges && tk.pos == ln->len && !plausible(p->toks, n))) {
		vms_vmi_flush(p);
		return 0;
	}
	if (p->cls->v[ln->no] == NO_CLASS)
		p->cls->v[ln->no] = VMS_LINE_PARSED;
	p->glued_line = ranges > 1 || tk.pos < ln->len;
	uint32_t total = ranges;
	feed_line(p, ln, n, ranges, first);
	while (tk.pos < ln->len) { /* very long lines: further chunks */
		n = vms_vmi_tokenize(ln, &tk, p->toks, MAX_TOKS);
		join_callers(p, ln, n);
		total += count_ranges(p->toks, n, &first);
		for (uint32_t i = 0; i < n; i++)
			feed(p, &p->toks[i], ln->no);
	}
	if (total > 1) {
		vms_dump_repair(p->d, ln->no, 0, -1, "glued-entries",
		                "%u entries were glued on one line; split them", total);
		vms_vmi_mark(p, ln->no, VMS_LINE_REPAIRED);
	}
	p->glued_line = false;
	p->tok_work += tk.work;
	return 1;
}
