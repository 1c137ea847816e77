/*
 * dump_listing.c — one listing of a paste that holds several, taken out as
 * a dump of its own (vms_dump_listing(), dump.h), so that every reader of
 * a dump (model, check, report, diff, fit, view) works on it unchanged.
 */
#include <string.h>

#include "vmscope/dump.h"

static const char *dup(struct vms_dump *d, const char *s)
{
	return s ? vms_arena_strdup(&d->arena, s) : NULL;
}

static uint32_t sym(struct vms_dump *to, const struct vms_dump *from, uint32_t id)
{
	const char *s = id ? vms_dump_sym(from, id) : NULL;
	return s ? vms_dump_intern(to, s, strlen(s)) : 0;
}

static void copy_areas(struct vms_dump *x, const struct vms_dump *d,
                       const struct vms_listing *l)
{
	for (size_t i = l->first; i < l->first + l->n; i++) {
		struct vms_area a = d->areas.v[i];
		a.caller = sym(x, d, a.caller);
		a.module = sym(x, d, a.module);
		uint32_t nn;
		const struct vms_numa *numa = vms_dump_numa(d, i, &nn);
		size_t j = vms_dump_add_area(x, &a, &d->src.v[i], numa, nn);
		const char *extra = vms_dump_extra(d, i);
		if (extra)
			vms_dump_set_extra(x, j, extra, strlen(extra));
	}
}

/* Area index in the listing, -1 for a line's message, or -2 when the
 * message is another listing's. */
static int64_t place(const struct vms_listing *l, int64_t area, uint32_t line)
{
	if (area >= 0)
		return (uint64_t)area >= l->first && (uint64_t)area < l->first + l->n
		           ? area - (int64_t)l->first
		           : -2;
	return line >= l->line_lo && line <= l->line_hi ? -1 : -2;
}

static void copy_messages(struct vms_dump *x, const struct vms_dump *d,
                          const struct vms_listing *l)
{
	for (size_t i = 0; i < d->diags.n; i++) {
		const struct vms_diag *g = &d->diags.v[i];
		int64_t a = place(l, g->area, g->line);
		if (a >= -1)
			vms_dump_area_diag(x, a, g->line, g->col, g->severity, g->code,
			                   "%s", g->message);
	}
	for (size_t i = 0; i < d->repairs.n; i++) {
		const struct vms_repair *r = &d->repairs.v[i];
		int64_t a = place(l, r->area, r->line);
		if (a >= -1)
			vms_dump_repair(x, r->line, r->col, a, r->code, "%s", r->message);
	}
	for (size_t i = 0; i < d->codes.n; i++) {
		const struct vms_code_count *c = &d->codes.v[i];
		if (c->dropped && c->first_dropped >= l->line_lo &&
		    c->first_dropped <= l->line_hi)
			vms_dump_count_dropped(x, c->code, c->repair, c->severity,
			                       c->dropped, c->first_dropped);
	}
}

static void copy_facts(struct vms_dump *x, const struct vms_dump *d,
                       const struct vms_listing *l, bool last)
{
	x->addr_bits = d->addr_bits;
	x->visibility = d->visibility;
	x->page_size = d->page_size;
	x->page_size_inferred = d->page_size_inferred;
	x->kernel_major = d->kernel_major;
	x->kernel_minor = d->kernel_minor;
	x->kernel_given = d->kernel_given;
	x->kernel_source = dup(x, d->kernel_source);
	x->era = dup(x, d->era);
	x->era_lo = d->era_lo;
	x->era_hi = d->era_hi;
	x->arch = dup(x, d->arch);
	x->arch_source = dup(x, d->arch_source);
	x->sorted = d->visibility == VMS_VIS_REAL && l->sorted;
	x->tool = d->tool;
	if (last) {
		x->stopped = dup(x, d->stopped);
		x->stopped_at = d->stopped_at;
	}
	x->acct = l->acct;
	vms_bootlog_merge(x->log, d->log, NULL);
	/* the listing's own meminfo; one from --layout FILE stands for all */
	if (!d->log->meminfo.file && d->listings.n > 1)
		x->log->meminfo = l->meminfo;
}

struct vms_dump *vms_dump_listing(const struct vms_dump *d, size_t k)
{
	const struct vms_listing *l = &d->listings.v[k];
	struct vms_dump *x = vms_dump_new(d->source);
	copy_areas(x, d, l);
	copy_messages(x, d, l);
	copy_facts(x, d, l, k + 1 == d->listings.n);
	struct vms_listing own = *l;
	own.first = 0;
	own.command = dup(x, l->command);
	own.heading = dup(x, l->heading);
	vms_vec_push(&x->listings, own);
	x->listing_no = (uint32_t)k + 1;
	x->nr_listings = (uint32_t)d->listings.n;
	return x;
}
