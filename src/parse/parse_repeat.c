/*
 * parse_repeat.c — the same listing pasted twice.
 *
 * A console replay, a dmesg next to its syslog copy, a mail that quotes the
 * dump again: the areas then come as one listing followed by a copy of it
 * (or of its beginning, when the copy was cut). Read twice, every area would
 * overlap its own twin. When the areas from some index r on repeat the
 * areas from 0 record for record (range, size, caller, module, offset,
 * pages, phys, flags, kind, NUMA, extra words) up to the end, the copy is
 * dropped: its areas and their messages go, its lines become noise of kind
 * "repeat", and one note says where the repeat starts and what it repeats.
 * A copy is told from a listing that happens to end with a duplicate of its
 * first area: other lines come between the two (a prompt, a blank line, log
 * text), and the copy holds two areas or more, or the whole listing.
 * A second listing that differs at all is not a copy (it is a later
 * snapshot, and stays). Cost: O(areas) per candidate start; candidates are
 * the areas equal to the first one, so O(areas) in practice.
 */
#include "parse_driver.h"

#include <string.h>

/* Area i and area j hold the same record (their sources may differ). */
static bool same_area(const struct vms_dump *d, size_t i, size_t j)
{
	const struct vms_area *a = &d->areas.v[i], *b = &d->areas.v[j];
	if (a->start != b->start || memcmp(a, b, sizeof(*a)) != 0)
		return false;
	uint32_t na, nb;
	const struct vms_numa *x = vms_dump_numa(d, i, &na),
	                      *y = vms_dump_numa(d, j, &nb);
	if (na != nb || (na && memcmp(x, y, na * sizeof(*x)) != 0))
		return false;
	const char *ea = vms_dump_extra(d, i), *eb = vms_dump_extra(d, j);
	return (!ea && !eb) || (ea && eb && strcmp(ea, eb) == 0);
}

/* The start of a copy of the listing, or 0 when there is none. */
static size_t copy_start(const struct vms_dump *d)
{
	size_t n = d->areas.n;
	for (size_t r = 1; r < n; r++) {
		/* other lines between the copies, and not a lone duplicate */
		if (d->areas.v[r].start != d->areas.v[0].start || !same_area(d, 0, r) ||
		    d->src.v[r].line <= d->src.v[r - 1].last_line + 1 ||
		    (n - r < 2 && r > 1))
			continue;
		size_t i = 1;
		while (r + i < n && same_area(d, i, r + i))
			i++;
		if (r + i == n)
			return r;
	}
	return 0;
}

/* Drops the messages of areas >= r and those of lines made noise. */
static void drop_messages(struct vms_dump *d, size_t r, const struct vms_classes *cls,
                          uint32_t first)
{
	size_t k = 0;
	for (size_t i = 0; i < d->diags.n; i++) {
		const struct vms_diag *g = &d->diags.v[i];
		bool gone = g->area >= (int64_t)r ||
		            (g->area < 0 && g->line >= first && g->line <= cls->n &&
		             cls->v[g->line] == VMS_LINE_NOISE);
		if (gone)
			vms_dump_forget(d, g->code, false, g->severity);
		else
			d->diags.v[k++] = *g;
	}
	d->diags.n = k;
	k = 0;
	for (size_t i = 0; i < d->repairs.n; i++) {
		const struct vms_repair *x = &d->repairs.v[i];
		bool gone = x->area >= (int64_t)r ||
		            (x->area < 0 && x->line >= first && x->line <= cls->n &&
		             cls->v[x->line] == VMS_LINE_NOISE);
		if (gone)
			vms_dump_forget(d, x->code, true, VMS_SEV_NOTE);
		else
			d->repairs.v[k++] = *x;
	}
	d->repairs.n = k;
}

void vms_drop_repeated_listing(struct vms_dump *d, struct vms_classes *cls)
{
	size_t r = copy_start(d), n = d->areas.n;
	if (!r)
		return;
	uint32_t first = d->src.v[r].line, last = d->src.v[n - 1].last_line;
	for (size_t i = r; i < n; i++) /* the copy's lines are noise now */
		for (uint32_t l = d->src.v[i].line; l <= d->src.v[i].last_line; l++)
			if (l <= cls->n && cls->v[l] != VMS_LINE_NOISE &&
			    cls->v[l] != VMS_NO_CLASS) {
				cls->v[l] = VMS_LINE_NOISE;
				d->acct.noise[VMS_NOISE_REPEAT]++;
			}
	drop_messages(d, r, cls, first);
	while (d->areas.n > r)
		vms_dump_pop_area(d);
	vms_dump_diag(d, first, 0, VMS_SEV_NOTE, "repeated-listing",
	              "lines %u-%u repeat the listing of lines %u-%u (%zu of its %zu "
	              "areas, the same record for record): read once",
	              first, last, d->src.v[0].line, d->src.v[r - 1].last_line, n - r, r);
}
