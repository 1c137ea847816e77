/*
 * parse_vmi.c — the segments of the vmallocinfo assembler: opening, finishing,
 * pairing and emitting entries (tokens arrive through parse_vmi_feed.c).
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

void vms_vmi_mark(struct vms_vmi *p, uint32_t line, enum vms_line_class c)
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
		vms_vmi_mark(p, l, c);
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
void vms_seg_reset(struct seg *s)
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

void vms_seg_fix(struct vms_vmi *p, struct seg *s, uint32_t line, uint32_t col,
                 uint32_t bit, const char *code, const char *msg)
{
	struct vms_repair r = {.line = line, .col = col, .area = -1, .code = code};
	r.message = vms_arena_strdup(&p->d->arena, msg);
	vms_vec_push(&s->fixes, r);
	s->repairs |= bit;
}

void vms_seg_touch(struct vms_vmi *p, struct seg *s, uint32_t line, uint32_t col)
{
	if (!s->open) {
		s->open = true;
		s->a.line = line;
		s->a.col = col;
	}
	if (line > s->a.last_line)
		s->a.last_line = line;
	if (p->glued_line)
		s->repairs |= VMS_R_SPLIT_GLUED;
}

void vms_seg_extra(struct seg *s, const char *w, size_t n)
{
	vms_vec_reserve(&s->extra, s->extra.n + n + 2);
	if (s->extra.n)
		s->extra.v[s->extra.n++] = ' ';
	memcpy(s->extra.v + s->extra.n, w, n);
	s->extra.n += n;
}

/* Fields must come in kernel order: caller, module, pages, phys, flags, numa. */
void vms_seg_rank(struct vms_vmi *p, struct seg *s, uint32_t rank,
                  const struct vms_tok *t, uint32_t line)
{
	if (rank < s->rank && !(s->repairs & VMS_R_REORDERED))
		vms_seg_fix(p, s, line, t->col, VMS_R_REORDERED, "fields-reordered",
		            "fields were out of kernel order; read in any order");
	if (rank > s->rank)
		s->rank = rank;
}

/* ---- finishing a segment ------------------------------------------------ */

static void seg_diag(struct vms_vmi *p, struct seg *s, enum vms_severity sev,
                     const char *code, const char *msg)
{
	vms_dump_diag(p->d, s->a.line, s->a.col, sev, code, "%s", msg);
	if (sev != VMS_SEV_NOTE) {
		s->warned = true;
		mark_span(p, s->a.line, s->a.last_line, VMS_LINE_DIAGNOSTIC);
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
	struct vms_area a = s->a;
	if (!s->has_caller)
		a.caller = NULL;
	a.has_offset = s->has_caller && s->a.caller[0] != '0';
	a.range_only = !s->has_size;
	if (s->extra.n) {
		a.extra = vms_arena_strndup(&p->d->arena, s->extra.v, s->extra.n);
		vms_dump_diag(p->d, s->a.line, s->a.col, VMS_SEV_NOTE, "extra-words",
		              "kept words the kernel format does not have: '%.60s'",
		              a.extra);
	}
	if (a.last_line > a.line) {
		char *m = vms_xasprintf("entry wrapped over %u lines; joined",
		                        a.last_line - a.line + 1);
		vms_seg_fix(p, s, a.line, a.col, VMS_R_JOINED_LINES, "joined-lines", m);
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
	char *what = s->has_size && s->has_caller
	                 ? vms_xasprintf("size %llu, caller %s",
	                                 (unsigned long long)s->a.size, s->a.caller)
	             : s->has_size
	                 ? vms_xasprintf("size %llu", (unsigned long long)s->a.size)
	             : s->has_caller ? vms_xasprintf("caller %s", s->a.caller)
	                             : vms_xstrdup("fields only");
	char *m = vms_xasprintf("details without an address range (%s) were dropped; "
	                        "the address line is missing or unreadable",
	                        what);
	seg_diag(p, s, VMS_SEV_ERROR, "orphan-detail", m);
	free(what);
	free(m);
}

static void flush_pending(struct vms_vmi *p)
{
	if (p->pending.open)
		drop_orphan_detail(p, &p->pending);
	vms_seg_reset(&p->pending);
}

/* Moves the pending detail group's fields into the range-only segment s. */
static void pair_with_pending(struct vms_vmi *p, struct seg *s)
{
	struct seg *d = &p->pending;
	struct vms_area r = s->a; /* the range side; the details come from d */
	s->a = d->a;
	s->a.start = r.start;
	s->a.end = r.end;
	s->a.col = r.col;
	s->a.flags |= r.flags;
	if (!d->a.has_pages) {
		s->a.has_pages = r.has_pages;
		s->a.pages = r.pages;
	}
	if (!d->a.has_phys) {
		s->a.has_phys = r.has_phys;
		s->a.phys = r.phys;
		s->a.phys_0x = r.phys_0x;
		s->a.phys_digits = r.phys_digits;
	}
	if (!d->a.kind)
		s->a.kind = r.kind;
	s->a.line = d->a.line < r.line ? d->a.line : r.line;
	s->a.last_line = d->a.last_line > r.last_line ? d->a.last_line : r.last_line;
	s->has_size = true;
	s->has_caller = d->has_caller;
	uint32_t rline = r.line;
	s->repairs |= d->repairs;
	for (size_t i = 0; i < d->numa.n; i++)
		vms_vec_push(&s->numa, d->numa.v[i]);
	if (d->extra.n)
		vms_seg_extra(s, d->extra.v, d->extra.n);
	for (size_t i = 0; i < d->fixes.n; i++)
		vms_vec_push(&s->fixes, d->fixes.v[i]);
	char *m = vms_xasprintf("details came before their address (%u line(s) earlier); "
	                        "paired because the size %llu matches the range",
	                        rline - d->a.line, (unsigned long long)d->a.size);
	vms_seg_fix(p, s, rline, s->a.col, VMS_R_PAIRED, "paired-orphans", m);
	free(m);
	vms_seg_reset(d);
}

static bool range_only(const struct seg *s)
{
	return s->has_range && !s->has_size && !s->glued_size && !s->has_caller;
}

static void finish_range(struct vms_vmi *p, struct seg *s)
{
	if (!s->has_size && s->glued_size) {
		s->has_size = true;
		s->a.size = s->glued_size;
		s->a.end = s->glued_end;
		s->w2 = s->w1;
		char *m =
		    vms_xasprintf("size %llu was glued to the end address; split it off",
		                  (unsigned long long)s->a.size);
		vms_seg_fix(p, s, s->a.line, s->a.col, VMS_R_END_SIZE_GLUED,
		            "end-size-glued", m);
		free(m);
	}
	if (!s->has_size) {
		s->a.size = s->a.end >= s->a.start ? s->a.end - s->a.start : 0;
		seg_diag(
		    p, s, VMS_SEV_WARNING, "range-only",
		    s->has_caller || s->a.flags || s->a.has_pages
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
void vms_vmi_close(struct vms_vmi *p)
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
	           s->a.end >= s->a.start && p->pending.a.size == s->a.end - s->a.start) {
		pair_with_pending(p, s);
		emit_area(p, s);
	} else {
		flush_pending(p);
		finish_range(p, s);
	}
	vms_seg_reset(&p->cur);
}

void vms_vmi_flush(struct vms_vmi *p)
{
	p->fast_open = false;
	vms_vmi_close(p);
	flush_pending(p);
}
