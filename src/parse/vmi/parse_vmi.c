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

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	return p;
}

static void seg_free(struct seg *s)
{
	free(s->numa.v);
	free(s->extra.v);
	free(s->fixes.v);
	free(s->msgs.v);
}

void vms_vmi_free(struct vms_vmi *p)
{
	if (!p)
		return;
	seg_free(&p->cur);
	seg_free(&p->pending);
	free(p->toks);
	free(p);
}

void vms_vmi_mark_area(struct vms_vmi *p, size_t i, enum vms_line_class c)
{
	const struct vms_area_src *s = &p->d->src.v[i];
	mark_span(p, s->line, s->last_line, c);
}

bool vms_vmi_ready_for_range(struct vms_vmi *p)
{
	if (p->cur.open)
		vms_vmi_close(p);
	return !p->pending.open;
}

void vms_vmi_set_fast_open(struct vms_vmi *p, bool open)
{
	p->fast_open = open;
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
	s->msgs = keep.msgs;
	s->msgs.n = 0;
}

/* Appends the message of a fix to s->msgs (NUL-terminated); its offset. */
static size_t seg_msg(struct seg *s, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static size_t seg_msg(struct seg *s, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	size_t off = s->msgs.n, len = n > 0 ? (size_t)n : 0;
	vms_vec_reserve(&s->msgs, off + len + 1);
	vsnprintf(s->msgs.v + off, len + 1, fmt, ap);
	s->msgs.n += len + 1;
	return off;
}

void vms_seg_fix(struct seg *s, uint32_t line, uint32_t col, uint32_t bit,
                 const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct seg_fix f = {line, col, code, seg_msg(s, fmt, ap)};
	va_end(ap);
	vms_vec_push(&s->fixes, f);
	s->s.repairs |= (uint16_t)bit;
}

/* Moves the fixes of b (messages included) to the end of a's. */
static void seg_take_fixes(struct seg *a, const struct seg *b)
{
	size_t base = a->msgs.n;
	if (b->msgs.n) {
		vms_vec_reserve(&a->msgs, base + b->msgs.n);
		memcpy(a->msgs.v + base, b->msgs.v, b->msgs.n);
		a->msgs.n += b->msgs.n;
	}
	for (size_t i = 0; i < b->fixes.n; i++) {
		struct seg_fix f = b->fixes.v[i];
		f.msg += base;
		vms_vec_push(&a->fixes, f);
	}
}

void vms_seg_touch(struct vms_vmi *p, struct seg *s, uint32_t line, uint32_t col)
{
	if (!s->open) {
		s->open = true;
		s->s.line = line;
		s->s.col = col;
	}
	if (line > s->s.last_line)
		s->s.last_line = line;
	if (p->glued_line)
		s->s.repairs |= VMS_R_SPLIT_GLUED;
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
void vms_seg_rank(struct seg *s, uint32_t rank, const struct vms_tok *t, uint32_t line)
{
	if (rank < s->rank && !(s->s.repairs & VMS_R_REORDERED))
		vms_seg_fix(s, line, t->col, VMS_R_REORDERED, "fields-reordered",
		            "fields were out of kernel order; read in any order");
	if (rank > s->rank)
		s->rank = rank;
}

/* ---- finishing a segment ------------------------------------------------ */

static void seg_diag(struct vms_vmi *p, struct seg *s, enum vms_severity sev,
                     const char *code, const char *msg)
{
	vms_dump_diag(p->d, s->s.line, s->s.col, sev, code, "%s", msg);
	if (sev != VMS_SEV_NOTE) {
		s->warned = true;
		mark_span(p, s->s.line, s->s.last_line, VMS_LINE_DIAGNOSTIC);
	}
}

void vms_vmi_expect(struct vms_vmi *p, size_t n)
{
	vms_vec_reserve(&p->d->areas, n);
	vms_vec_reserve(&p->d->src, n);
}

void vms_vmi_push(struct vms_vmi *p, const struct vms_area *a,
                  const struct vms_area_src *s, const struct vms_numa *numa,
                  uint32_t nr_numa)
{
	vms_dump_add_area(p->d, a, s, numa, nr_numa);
	mark_span(p, s->line, s->last_line,
	          s->repairs ? VMS_LINE_REPAIRED : VMS_LINE_PARSED);
}

static void emit_area(struct vms_vmi *p, struct seg *s)
{
	struct vms_dump *d = p->d;
	struct vms_area a = s->a;
	if (!s->has_caller)
		a.caller = 0;
	a.has_offset =
	    s->has_caller && !s->bad_offset && vms_dump_sym(d, a.caller)[0] != '0';
	a.range_only = !s->has_size;
	if (s->s.last_line > s->s.line)
		vms_seg_fix(s, s->s.line, s->s.col, VMS_R_JOINED_LINES, "joined-lines",
		            "entry wrapped over %u lines; joined",
		            s->s.last_line - s->s.line + 1);
	size_t idx = d->areas.n;
	vms_vmi_push(p, &a, &s->s, s->numa.v, (uint32_t)s->numa.n);
	if (s->extra.n) {
		vms_dump_set_extra(d, idx, s->extra.v, s->extra.n);
		vms_dump_area_diag(
		    d, (int64_t)idx, s->s.line, s->s.col, VMS_SEV_NOTE, "extra-words",
		    "kept words the kernel format does not have: '%.*s'",
		    (int)vms_utf8_clip(s->extra.v, s->extra.n, 60), s->extra.v);
	}
	for (size_t i = 0; i < s->fixes.n; i++) {
		const struct seg_fix *f = &s->fixes.v[i];
		vms_dump_repair(d, f->line, f->col, (int64_t)idx, f->code, "%s",
		                s->msgs.v + f->msg);
	}
	if (s->warned)
		mark_span(p, s->s.line, s->s.last_line, VMS_LINE_DIAGNOSTIC);
}

static void drop_orphan_detail(struct vms_vmi *p, struct seg *s)
{
	const char *caller = s->has_caller ? vms_dump_sym(p->d, s->a.caller) : NULL;
	char *what =
	    s->has_size && caller ? vms_xasprintf("size %llu, caller %s",
	                                          (unsigned long long)s->a.size, caller)
	    : s->has_size ? vms_xasprintf("size %llu", (unsigned long long)s->a.size)
	    : caller      ? vms_xasprintf("caller %s", caller)
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
	struct vms_area_src rs = s->s;
	s->a = d->a;
	s->a.start = r.start;
	s->a.end = r.end;
	s->a.flags |= r.flags;
	if (!d->a.has_pages) {
		s->a.has_pages = r.has_pages;
		s->a.pages = r.pages;
	}
	if (!d->a.has_phys) {
		s->a.has_phys = r.has_phys;
		s->a.phys = r.phys;
		s->a.phys_form = r.phys_form;
	}
	if (!d->a.kind)
		s->a.kind = r.kind;
	s->s.line = d->s.line < rs.line ? d->s.line : rs.line;
	s->s.last_line = d->s.last_line > rs.last_line ? d->s.last_line : rs.last_line;
	s->s.repairs |= d->s.repairs;
	s->has_size = true;
	s->has_caller = d->has_caller;
	for (size_t i = 0; i < d->numa.n; i++)
		vms_vec_push(&s->numa, d->numa.v[i]);
	if (d->extra.n)
		vms_seg_extra(s, d->extra.v, d->extra.n);
	seg_take_fixes(s, d);
	vms_seg_fix(s, rs.line, rs.col, VMS_R_PAIRED, "paired-orphans",
	            "details came before their address (%u line(s) earlier); "
	            "paired because the size %llu matches the range",
	            rs.line - d->s.line, (unsigned long long)d->a.size);
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
		s->s.w_end = s->s.w_start;
		vms_seg_fix(s, s->s.line, s->s.col, VMS_R_END_SIZE_GLUED,
		            "end-size-glued",
		            "size %llu was glued to the end address; split it off",
		            (unsigned long long)s->a.size);
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
