/*
 * parse_vmi.c — assembles vmallocinfo tokens into areas (see parse_vmi.h).
 *
 * A segment is one entry under construction. Tokens from consecutive dump
 * lines flow into the open segment; a new segment starts at every address
 * range, and at a size when the open segment already has one. So
 *
 *   "0xA-0xB"            / "   8192 caller ... ioremap"   (wrapped)   -> 1 area
 *   "... vmalloc 0xC-0xD 8192 ..."                        (glued)     -> split
 *   "8192 caller ... ioremap 0xE-0xF" / "0xF-0xG 8192 .." (detail first)
 *
 * The last case leaves a detail-only segment followed by a range-only one;
 * they are paired only when they are adjacent and the size agrees with the
 * range (one segment of look-behind: `pending`). Everything else that stays
 * incomplete becomes a located diagnostic; nothing is dropped silently.
 *
 * Line classes: a dump line is marked parsed when it is read and raised to
 * repaired / diagnostic when the entry it belongs to is finished.
 */
#include "parse_vmi_int.h"

#include <stdlib.h>
#include <string.h>

#include "intern.h"

enum { MAX_TOKS = 512, MAX_WORDS = 8, NO_CLASS = VMS_NO_CLASS };

struct seg {
	bool open, has_range, has_size, has_caller, half_caller, bad;
	bool has_pages, has_phys, phys_0x, ptrval, warned;
	uint8_t w1, w2, kind, phys_digits;
	uint16_t flags;
	uint32_t line, last_line, col, size_line, size_col;
	uint32_t repairs, rank;
	uint64_t start, end, size, glued_size, glued_end, offset, length, pages, phys;
	const char *caller; /* pointer into the input, or arena-owned */
	uint32_t caller_len;
	const char *module;
	uint32_t module_len;
	VMS_VEC(struct vms_numa) numa;
	VMS_VEC(char) extra;
	VMS_VEC(struct vms_repair) fixes; /* area index filled in at emit */
};

struct vms_vmi {
	struct vms_dump *d;
	struct vms_classes *cls;
	struct seg cur, pending;
	struct vms_intern names;
	VMS_VEC(uint8_t) widths; /* 2 per area: start and end hex digits */
	struct vms_tok *toks;    /* MAX_TOKS, one line (or chunk of a line) */
	bool glued_line;         /* the line being fed holds several ranges */
	bool fast_open;          /* the last area came from the fast path, last line */
};

static void mark(struct vms_vmi *p, uint32_t line, enum vms_line_class c)
{
	if (line == 0 || line > p->cls->n)
		return;
	uint8_t *x = &p->cls->v[line];
	if (*x == NO_CLASS || *x == VMS_LINE_NOISE)
		return; /* not a dump line (noise between wrapped parts) */
	if (c > *x)
		*x = (uint8_t)c;
}

static void mark_span(struct vms_vmi *p, uint32_t a, uint32_t b, enum vms_line_class c)
{
	for (uint32_t l = a; l <= b && l != 0; l++)
		mark(p, l, c);
}

struct vms_vmi *vms_vmi_new(struct vms_dump *d, struct vms_classes *cls)
{
	struct vms_vmi *p = vms_xcalloc(1, sizeof(*p));
	p->d = d;
	p->cls = cls;
	p->toks = vms_xmalloc(MAX_TOKS * sizeof(*p->toks));
	vms_intern_init(&p->names, &d->arena);
	return p;
}

static void seg_free(struct seg *s)
{
	free(s->numa.v);
	free(s->extra.v);
	free(s->fixes.v);
}

void vms_vmi_free(struct vms_vmi *p)
{
	if (!p)
		return;
	seg_free(&p->cur);
	seg_free(&p->pending);
	vms_intern_free(&p->names);
	free(p->widths.v);
	free(p->toks);
	free(p);
}

void vms_vmi_adopt(struct vms_vmi *a, const struct vms_vmi *b)
{
	vms_vec_reserve(&a->widths, a->widths.n + b->widths.n);
	memcpy(a->widths.v + a->widths.n, b->widths.v, b->widths.n);
	a->widths.n += b->widths.n;
}

void vms_vmi_widths(const struct vms_vmi *p, size_t i, uint8_t *ws, uint8_t *we)
{
	*ws = p->widths.v[2 * i];
	*we = p->widths.v[2 * i + 1];
}

void vms_vmi_mark_area(struct vms_vmi *p, size_t i, enum vms_line_class c)
{
	const struct vms_area *a = &p->d->areas.v[i];
	mark_span(p, a->line, a->last_line, c);
}

/* Resets s for reuse, keeping its vector buffers. */
static void seg_reset(struct seg *s)
{
	struct seg keep = *s;
	memset(s, 0, sizeof(*s));
	s->numa = keep.numa;
	s->numa.n = 0;
	s->extra = keep.extra;
	s->extra.n = 0;
	s->fixes = keep.fixes;
	s->fixes.n = 0;
}

static void seg_fix(struct vms_vmi *p, struct seg *s, uint32_t line, uint32_t col,
                    uint32_t bit, const char *code, const char *msg)
{
	struct vms_repair r = {.line = line, .col = col, .area = -1, .code = code};
	r.message = vms_arena_strdup(&p->d->arena, msg);
	vms_vec_push(&s->fixes, r);
	s->repairs |= bit;
}

static void seg_touch(struct vms_vmi *p, struct seg *s, uint32_t line, uint32_t col)
{
	if (!s->open) {
		s->open = true;
		s->line = line;
		s->col = col;
	}
	if (line > s->last_line)
		s->last_line = line;
	if (p->glued_line)
		s->repairs |= VMS_R_SPLIT_GLUED;
}

static void extra_add(struct seg *s, const char *w, size_t n)
{
	vms_vec_reserve(&s->extra, s->extra.n + n + 2);
	if (s->extra.n)
		s->extra.v[s->extra.n++] = ' ';
	memcpy(s->extra.v + s->extra.n, w, n);
	s->extra.n += n;
}

/* Fields must come in kernel order: caller, module, pages, phys, flags, numa. */
static void seg_rank(struct vms_vmi *p, struct seg *s, uint32_t rank,
                     const struct vms_tok *t, uint32_t line)
{
	if (rank < s->rank && !(s->repairs & VMS_R_REORDERED))
		seg_fix(p, s, line, t->col, VMS_R_REORDERED, "fields-reordered",
		        "fields were out of kernel order; read in any order");
	if (rank > s->rank)
		s->rank = rank;
}

/* ---- finishing a segment ------------------------------------------------ */

static void seg_diag(struct vms_vmi *p, struct seg *s, enum vms_severity sev,
                     const char *code, const char *msg)
{
	vms_dump_diag(p->d, s->line, s->col, sev, code, "%s", msg);
	if (sev != VMS_SEV_NOTE) {
		s->warned = true;
		mark_span(p, s->line, s->last_line, VMS_LINE_DIAGNOSTIC);
	}
}

const char *vms_vmi_name(struct vms_vmi *p, const char *s, size_t n)
{
	return vms_intern(&p->names, s, n);
}

const char *vms_vmi_name_hashed(struct vms_vmi *p, const char *s, size_t n, uint32_t h)
{
	return vms_intern_hashed(&p->names, s, n, h);
}

void vms_vmi_expect(struct vms_vmi *p, size_t n)
{
	vms_vec_reserve(&p->d->areas, n);
	vms_vec_reserve(&p->widths, 2 * n);
}

void vms_vmi_push(struct vms_vmi *p, const struct vms_area *a,
                  const struct vms_numa *numa, uint32_t nr_numa, uint8_t ws, uint8_t we)
{
	if (p->d->areas.n == p->d->areas.cap)
		vms_vec_reserve(&p->d->areas, p->d->areas.n + 1);
	struct vms_area *b = &p->d->areas.v[p->d->areas.n++];
	*b = *a;
	if (nr_numa) {
		size_t bytes = nr_numa * sizeof(struct vms_numa);
		b->numa = vms_arena_alloc(&p->d->arena, bytes);
		memcpy(b->numa, numa, bytes);
		b->nr_numa = nr_numa;
	}
	vms_vec_reserve(&p->widths, p->widths.n + 2);
	p->widths.v[p->widths.n++] = ws;
	p->widths.v[p->widths.n++] = we;
	mark_span(p, a->line, a->last_line,
	          a->repairs ? VMS_LINE_REPAIRED : VMS_LINE_PARSED);
}

static void emit_area(struct vms_vmi *p, struct seg *s)
{
	struct vms_area a = {0};
	a.start = s->start;
	a.end = s->end;
	a.size = s->size;
	a.caller = s->has_caller ? s->caller : NULL;
	a.module = s->module;
	a.offset = s->offset;
	a.length = s->length;
	a.has_offset = s->has_caller && s->caller[0] != '0';
	a.pages = s->pages;
	a.has_pages = s->has_pages;
	a.phys = s->phys;
	a.has_phys = s->has_phys;
	a.phys_0x = s->phys_0x;
	a.phys_digits = s->phys_digits;
	a.flags = s->flags;
	a.kind = s->kind;
	a.line = s->line;
	a.last_line = s->last_line;
	a.col = s->col;
	a.range_only = !s->has_size;
	if (s->extra.n)
		a.extra = vms_arena_strndup(&p->d->arena, s->extra.v, s->extra.n);
	if (a.last_line > a.line) {
		char *m = vms_xasprintf("entry wrapped over %u lines; joined",
		                        a.last_line - a.line + 1);
		seg_fix(p, s, a.line, a.col, VMS_R_JOINED_LINES, "joined-lines", m);
		free(m);
	}
	a.repairs |= s->repairs;
	int64_t idx = (int64_t)p->d->areas.n;
	for (size_t i = 0; i < s->fixes.n; i++) {
		s->fixes.v[i].area = idx;
		vms_vec_push(&p->d->repairs, s->fixes.v[i]);
	}
	vms_vmi_push(p, &a, s->numa.v, (uint32_t)s->numa.n, s->w1, s->w2);
	if (s->warned)
		mark_span(p, a.line, a.last_line, VMS_LINE_DIAGNOSTIC);
}

static void drop_orphan_detail(struct vms_vmi *p, struct seg *s)
{
	char *m = vms_xasprintf(
	    "details without an address range (size %llu%s%.*s) were dropped; "
	    "the address line is missing or unreadable",
	    (unsigned long long)s->size, s->has_caller ? ", caller " : "",
	    s->has_caller ? (int)s->caller_len : 0, s->has_caller ? s->caller : "");
	if (!s->has_size)
		m[strlen("details without an address range (size ")] = '\0';
	seg_diag(p, s, VMS_SEV_ERROR, "orphan-detail", m);
	free(m);
}

static void flush_pending(struct vms_vmi *p)
{
	if (p->pending.open)
		drop_orphan_detail(p, &p->pending);
	seg_reset(&p->pending);
}

/* Moves the pending detail group's fields into the range-only segment s. */
static void pair_with_pending(struct vms_vmi *p, struct seg *s)
{
	struct seg *d = &p->pending;
	uint32_t rline = s->line;
	s->has_size = true;
	s->size = d->size;
	s->has_caller = d->has_caller;
	s->caller = d->caller;
	s->caller_len = d->caller_len;
	s->offset = d->offset;
	s->length = d->length;
	s->module = d->module;
	s->module_len = d->module_len;
	s->has_pages |= d->has_pages;
	s->pages = d->has_pages ? d->pages : s->pages;
	s->has_phys |= d->has_phys;
	s->phys = d->has_phys ? d->phys : s->phys;
	s->phys_0x |= d->phys_0x;
	s->phys_digits = d->has_phys ? d->phys_digits : s->phys_digits;
	s->flags |= d->flags;
	s->kind = d->kind ? d->kind : s->kind;
	s->repairs |= d->repairs;
	for (size_t i = 0; i < d->numa.n; i++)
		vms_vec_push(&s->numa, d->numa.v[i]);
	if (d->extra.n)
		extra_add(s, d->extra.v, d->extra.n);
	for (size_t i = 0; i < d->fixes.n; i++)
		vms_vec_push(&s->fixes, d->fixes.v[i]);
	if (d->line < s->line)
		s->line = d->line;
	if (d->last_line > s->last_line)
		s->last_line = d->last_line;
	char *m = vms_xasprintf("details came before their address (%u line(s) earlier); "
	                        "paired because the size %llu matches the range",
	                        rline - d->line, (unsigned long long)d->size);
	seg_fix(p, s, rline, s->col, VMS_R_PAIRED, "paired-orphans", m);
	free(m);
	seg_reset(d);
}

static bool range_only(const struct seg *s)
{
	return s->has_range && !s->has_size && !s->glued_size && !s->has_caller;
}

static void finish_range(struct vms_vmi *p, struct seg *s)
{
	if (!s->has_size && s->glued_size) {
		s->has_size = true;
		s->size = s->glued_size;
		s->end = s->glued_end;
		s->w2 = s->w1;
		char *m =
		    vms_xasprintf("size %llu was glued to the end address; split it off",
		                  (unsigned long long)s->size);
		seg_fix(p, s, s->line, s->col, VMS_R_END_SIZE_GLUED, "end-size-glued", m);
		free(m);
	}
	if (!s->has_size) {
		s->size = s->end >= s->start ? s->end - s->start : 0;
		seg_diag(
		    p, s, VMS_SEV_WARNING, "range-only",
		    s->has_caller || s->flags || s->has_pages
		        ? "entry without a readable size; kept with size end - start"
		        : "address range without size or details; kept with size end "
		          "- start");
	}
	if (s->half_caller)
		seg_diag(p, s, VMS_SEV_WARNING, "caller-incomplete",
		         "caller has an offset but its length (/0x...) never came");
	if (s->has_range)
		emit_area(p, s);
}

/* Closes the open segment: emits it, holds it as pending, or diagnoses it. */
static void close_seg(struct vms_vmi *p)
{
	struct seg *s = &p->cur;
	if (!s->open)
		return;
	if (s->bad) {
		flush_pending(p);
	} else if (!s->has_range) {
		flush_pending(p);
		struct seg tmp = p->pending;
		p->pending = *s;
		*s = tmp;
	} else if (range_only(s) && p->pending.open && p->pending.has_size &&
	           s->end >= s->start && p->pending.size == s->end - s->start) {
		pair_with_pending(p, s);
		emit_area(p, s);
	} else {
		flush_pending(p);
		finish_range(p, s);
	}
	seg_reset(&p->cur);
}

void vms_vmi_flush(struct vms_vmi *p)
{
	p->fast_open = false;
	close_seg(p);
	flush_pending(p);
}

/* ---- feeding tokens ------------------------------------------------------ */

static void tok_overflow(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	vms_dump_diag(p->d, line, t->col, VMS_SEV_ERROR, "number-overflow",
	              "number '%.*s' does not fit in 64 bits", t->slen ? (int)t->slen : 0,
	              t->slen ? t->s : "");
	mark(p, line, VMS_LINE_DIAGNOSTIC);
}

static void on_range(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	close_seg(p);
	struct seg *s = &p->cur;
	seg_touch(p, s, line, t->col);
	s->has_range = true;
	s->start = t->a;
	s->end = t->b;
	s->w1 = t->w1;
	s->w2 = t->w2;
	s->ptrval = t->ptrval;
	s->glued_size = t->glued_size;
	s->glued_end = t->glued_end;
	if (t->overflow) {
		s->bad = true;
		vms_dump_diag(p->d, line, t->col, VMS_SEV_ERROR, "address-overflow",
		              "address range does not fit in 64 bits; entry dropped");
		mark(p, line, VMS_LINE_DIAGNOSTIC);
	}
}

static void on_num(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	struct seg *s = &p->cur;
	if (t->overflow) {
		tok_overflow(p, t, line);
		return;
	}
	if (s->open && s->has_range && !s->has_size && !s->has_caller) {
		seg_touch(p, s, line, t->col);
		s->has_size = true;
		s->size = t->a;
		s->size_line = line;
		if (s->rank)
			seg_rank(p, s, 0, t, line);
		return;
	}
	if (s->open && s->has_range && s->has_size && !s->has_caller && !s->ptrval &&
	    s->end - s->start != s->size && t->a == s->end - s->start) {
		char *m =
		    vms_xasprintf("dropped stray token '%llu' before the size %llu",
		                  (unsigned long long)s->size, (unsigned long long)t->a);
		seg_fix(p, s, line, t->col, VMS_R_STRAY, "stray-token", m);
		free(m);
		s->size = t->a;
		return;
	}
	close_seg(p);
	seg_touch(p, s, line, t->col);
	s->has_size = true;
	s->size = t->a;
	s->size_line = line;
}

/* The tokenizer rebuilt the caller from words (OCR lost underscores). */
static void caller_fix(struct vms_vmi *p, struct seg *s, const struct vms_tok *t,
                       uint32_t line)
{
	char *m = vms_xasprintf("restored underscores in caller: '%.*s' -> '%.*s'",
	                        (int)t->orig_len, t->orig, (int)t->slen, t->s);
	seg_fix(p, s, line, t->orig_col, VMS_R_CALLER, "caller-underscores", m);
	free(m);
}

static void on_caller(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	struct seg *s = &p->cur;
	if (!s->open || s->has_caller) {
		close_seg(p);
		seg_touch(p, s, line, t->col);
	}
	seg_touch(p, s, line, t->col);
	seg_rank(p, s, 1, t, line);
	s->has_caller = true;
	s->caller = vms_vmi_name(p, t->s, t->slen);
	s->caller_len = t->slen;
	s->offset = t->type == VMS_T_HEX ? 0 : t->a;
	s->length = t->b;
	s->half_caller = t->type == VMS_T_CALLER_HALF;
	if (t->orig)
		caller_fix(p, s, t, line);
	if (t->overflow)
		tok_overflow(p, t, line);
}

static void on_module(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	struct seg *s = &p->cur;
	seg_touch(p, s, line, t->col);
	seg_rank(p, s, 2, t, line);
	if (memchr(t->s, ' ', t->slen) || memchr(t->s, '\t', t->slen)) {
		char *m = vms_arena_strndup(&p->d->arena, t->s, t->slen);
		for (char *c = m; *c; c++)
			if (*c == ' ' || *c == '\t')
				*c = '_';
		char *msg =
		    vms_xasprintf("restored underscores in module: '[%.*s]' -> '[%s]'",
		                  (int)t->slen, t->s, m);
		seg_fix(p, s, line, t->col, VMS_R_MODULE, "module-underscores", msg);
		free(msg);
		s->module = vms_vmi_name(p, m, t->slen);
	} else {
		s->module = vms_vmi_name(p, t->s, t->slen);
	}
	s->module_len = t->slen;
}

/* pages=, phys=, N=, flags, kinds: start a detail-only segment if none. */
static struct seg *detail_seg(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	struct seg *s = &p->cur;
	if (!s->open)
		seg_touch(p, s, line, t->col);
	seg_touch(p, s, line, t->col);
	return s;
}

static void on_field(struct vms_vmi *p, const struct vms_tok *t, uint32_t line)
{
	struct seg *s = detail_seg(p, t, line);
	if (t->overflow) {
		tok_overflow(p, t, line);
		return;
	}
	switch (t->type) {
	case VMS_T_PAGES:
		seg_rank(p, s, 3, t, line);
		s->has_pages = true;
		s->pages = t->a;
		break;
	case VMS_T_PHYS:
		seg_rank(p, s, 4, t, line);
		s->has_phys = true;
		s->phys = t->a;
		s->phys_0x = t->phys_0x;
		s->phys_digits = t->phys_0x ? t->w1 : 0;
		break;
	case VMS_T_FLAG:
		seg_rank(p, s, 5 + (uint32_t)t->a, t, line);
		s->flags |= (uint16_t)(1u << t->a);
		break;
	case VMS_T_NUMA:
		seg_rank(p, s, 20, t, line);
		if (t->a > UINT32_MAX || t->b > UINT32_MAX) {
			tok_overflow(p, t, line);
			break;
		}
		struct vms_numa nm = {(uint32_t)t->a, (uint32_t)t->b};
		vms_vec_push(&s->numa, nm);
		break;
	case VMS_T_MAP_RAM:
		s->kind = VMS_KIND_VM_MAP_RAM;
		break;
	case VMS_T_UNPURGED:
		s->kind = VMS_KIND_UNPURGED;
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
	seg_touch(p, s, line, t->col);
	if (t->type == VMS_T_ELISION) {
		if (!(s->repairs & VMS_R_ELISION))
			seg_fix(p, s, line, t->col, VMS_R_ELISION, "elision",
			        "dropped a '...' elision inside the entry");
		return;
	}
	if (t->type == VMS_T_LEN_HALF && s->half_caller) {
		s->length = t->b;
		s->half_caller = false;
		return;
	}
	if (t->type != VMS_T_SKIP)
		extra_add(s, t->s, t->slen);
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
	uint32_t end = p->toks[k].col - ln->col;
	vms_dump_repair(p->d, ln->no, t[0].col, -1, "leading-text",
	                "ignored text before the first entry: '%.*s'",
	                (int)(end > 60 ? 60 : end), ln->text + (t[0].col - ln->col));
}

/* The kernel order rank of the last field an area has (see seg_rank). */
static uint32_t area_rank(const struct vms_area *a)
{
	if (a->nr_numa)
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
	struct vms_area *a = &p->d->areas.v[--p->d->areas.n];
	struct seg *s = &p->cur;
	p->widths.n -= 2;
	seg_reset(s);
	s->open = s->has_range = s->has_size = true;
	s->start = a->start;
	s->end = a->end;
	s->size = a->size;
	s->w1 = p->widths.v[p->widths.n];
	s->w2 = p->widths.v[p->widths.n + 1];
	s->line = s->last_line = a->line;
	s->col = a->col;
	s->has_caller = a->caller != NULL;
	s->caller = a->caller;
	s->caller_len = a->caller ? (uint32_t)strlen(a->caller) : 0;
	s->offset = a->offset;
	s->length = a->length;
	s->module = a->module;
	s->module_len = a->module ? (uint32_t)strlen(a->module) : 0;
	s->has_pages = a->has_pages;
	s->pages = a->pages;
	s->has_phys = a->has_phys;
	s->phys = a->phys;
	s->phys_0x = a->phys_0x;
	s->phys_digits = a->phys_digits;
	s->flags = a->flags;
	s->kind = a->kind;
	s->rank = area_rank(a);
	for (uint32_t i = 0; i < a->nr_numa; i++)
		vms_vec_push(&s->numa, a->numa[i]);
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
			mark(p, ln->no, VMS_LINE_REPAIRED);
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

int vms_vmi_line(struct vms_vmi *p, const struct vms_line *ln)
{
	if (!p->cur.open && !p->pending.open && ln->len > 2 && ln->text[0] == '0') {
		if (p->cls->v[ln->no] == NO_CLASS)
			p->cls->v[ln->no] = VMS_LINE_PARSED;
		if (vms_vmi_fast(p, ln)) {
			p->fast_open = true;
			return 1;
		}
		p->cls->v[ln->no] = NO_CLASS;
	}
	bool fast_open = p->fast_open;
	p->fast_open = false;
	size_t pos = 0;
	uint32_t first, n = vms_vmi_tokenize(ln, &pos, p->toks, MAX_TOKS);
	join_callers(p, ln, n);
	uint32_t ranges = count_ranges(p->toks, n, &first);
	if (!ranges && n && fast_open && !p->cur.open && p->toks[0].type != VMS_T_NUM) {
		reopen_last(p);
		if (!detail_line(p, p->toks, n)) { /* not a continuation after all */
			close_seg(p);
			vms_vmi_flush(p);
			return 0;
		}
	}
	if (n == 0 || (!ranges && !detail_line(p, p->toks, n)) ||
	    (ranges && pos == ln->len && !plausible(p->toks, n))) {
		vms_vmi_flush(p);
		return 0;
	}
	if (p->cls->v[ln->no] == NO_CLASS)
		p->cls->v[ln->no] = VMS_LINE_PARSED;
	p->glued_line = ranges > 1 || pos < ln->len;
	uint32_t total = ranges;
	feed_line(p, ln, n, ranges, first);
	while (pos < ln->len) { /* very long lines: further chunks */
		n = vms_vmi_tokenize(ln, &pos, p->toks, MAX_TOKS);
		join_callers(p, ln, n);
		total += count_ranges(p->toks, n, &first);
		for (uint32_t i = 0; i < n; i++)
			feed(p, &p->toks[i], ln->no);
	}
	if (total > 1) {
		vms_dump_repair(p->d, ln->no, 0, -1, "glued-entries",
		                "%u entries were glued on one line; split them", total);
		mark(p, ln->no, VMS_LINE_REPAIRED);
	}
	p->glued_line = false;
	return 1;
}
