/*
 * emit_diff.c — the human text of `vmscope diff`.
 *
 *   old.txt -> new.txt: matched by address
 *     areas: 30 -> 37 (+9 added, -2 removed, ~1 resized, 27 unchanged)
 *     bytes: 7.3 MiB -> 7.3 MiB (+64 KiB)
 *     largest vmalloc hole: 32.0 TiB at 0x... -> 32.0 TiB at 0x... (-48 KiB)
 *
 *   callers by growth (5 changed):
 *         areas      growth      before       after  caller
 *            +5     +40 KiB      80 KiB     120 KiB  bpf_prog_alloc
 *   ...
 *   new.txt:28: added: 0x...-0x...    8192 bpf_prog_alloc+0x36/0xa0 ... vmalloc
 *
 * A series adds one line per step before the summary, and its caller table
 * has one column per snapshot. Sections with nothing to show are left out;
 * a pair without any change says "no change". Growth is red and shrinkage
 * green with colour. Cost O(callers + shown rows).
 */
#include <inttypes.h>
#include <string.h>

#include "emit_int.h"
#include "vmscope/emit.h"
#include "vmscope/emit_diff.h"

enum {
	COL = 11, /* width of a size column: "+1023.9 KiB" */
	SZ = 40,  /* a size buffer: a sign and vms_format_size()'s 32 bytes */
};

static const struct vms_dump *dump_of(const struct vms_diff *d, size_t s)
{
	return d->reports[s]->dump;
}

static void put_escaped(FILE *fp, const char *s)
{
	if (s)
		vms_emit_escaped(fp, s, strlen(s), false);
}

static void put_source(FILE *fp, const struct vms_diff *d, size_t s)
{
	const struct vms_dump *dm = dump_of(d, s);
	put_escaped(fp, vms_emit_source_name(dm));
	if (dm->nr_listings > 1)
		fprintf(fp, " (listing %" PRIu32 ")", dm->listing_no);
}

/* "+48 KiB", "-16 KiB", "0 B" into buf[0..len), len >= SZ. */
static const char *signed_size(int64_t v, char *buf, size_t len)
{
	uint64_t mag = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
	buf[0] = v > 0 ? '+' : '-';
	vms_format_size(mag, buf + (v != 0), len - 1);
	return buf;
}

static const char *size_text(uint64_t v, char *buf, size_t len)
{
	return vms_format_size(v, buf, len);
}

/* Writes s right-aligned in w columns: red when g > 0, green when g < 0. */
static void put_signed(FILE *fp, const char *s, int w, int64_t g, bool color)
{
	const char *sgr = !color || !g ? "" : g > 0 ? SGR_RED : SGR_GREEN;
	fprintf(fp, "%s%*s%s", sgr, w, s, *sgr ? SGR_RESET : "");
}

static bool pair_changed(const struct vms_diff_pair *p)
{
	return p->added.n || p->removed.n || p->resized.n || p->callers.n || p->nr_kinds;
}

/* Rows to show of n: all with --areas (lists) or --top 0. */
static size_t shown(size_t n, size_t top, bool all)
{
	return all || !top || top > n ? n : top;
}

/* ---- the summary ---------------------------------------------------------- */

static void put_matching(FILE *fp, const struct vms_diff *d,
                         const struct vms_diff_pair *p)
{
	if (p->match == VMS_DM_CALLER) {
		fputs("matched by caller and size (", fp);
		if (p->why_input >= 0) {
			put_source(fp, d, (size_t)p->why_input);
			fputs(": ", fp);
		}
		put_escaped(fp, p->why);
		fputc(')', fp);
		return;
	}
	fputs("matched by address", fp);
	if (p->by_caller)
		fprintf(fp,
		        " (%" PRIu64 " areas without a trusted range by caller and size)",
		        p->by_caller);
}

static void put_hole(FILE *fp, const struct vms_diff *d, size_t s)
{
	const struct vms_diff_hole *h = &d->holes[s];
	char buf[SZ];
	if (!h->known) {
		fputs("unknown", fp);
		return;
	}
	fprintf(fp, "%s", size_text(h->size, buf, sizeof(buf)));
	if (h->size)
		fprintf(fp, " at 0x%0*" PRIx64,
		        vms_emit_addr_digits(dump_of(d, s), h->start), h->start);
}

/* The change of the largest vmalloc hole over p into buf, or NULL when
 * either side does not know it. */
static const char *hole_change(const struct vms_diff *d, const struct vms_diff_pair *p,
                               char *buf, size_t len)
{
	const struct vms_diff_hole *a = &d->holes[p->from], *b = &d->holes[p->to];
	if (!a->known || !b->known)
		return NULL;
	return signed_size(vms_diff_growth(a->size, b->size), buf, len);
}

static void put_holes(FILE *fp, const struct vms_diff *d, const struct vms_diff_pair *p)
{
	char buf[SZ];
	fputs("  largest vmalloc hole: ", fp);
	put_hole(fp, d, p->from);
	fputs(" -> ", fp);
	put_hole(fp, d, p->to);
	if (hole_change(d, p, buf, sizeof(buf)))
		fprintf(fp, " (%s)", buf);
	fputc('\n', fp);
	const struct vms_diff_hole *a = &d->holes[p->from], *b = &d->holes[p->to];
	if (vms_diff_windows_differ(a, b)) {
		int w = vms_emit_addr_digits(dump_of(d, p->from), a->window_end);
		fprintf(fp,
		        "  (the vmalloc window differs: 0x%0*" PRIx64 "-0x%0*" PRIx64
		        " -> 0x%0*" PRIx64 "-0x%0*" PRIx64
		        ", bounded by each dump's areas; the hole's change may come from "
		        "that)\n",
		        w, a->window_start, w, a->window_end, w, b->window_start, w,
		        b->window_end);
	}
}

/* "OLD -> NEW: matched by ..." */
static void put_title(FILE *fp, const struct vms_diff *d, const struct vms_diff_pair *p,
                      bool color)
{
	fputs(color ? SGR_BOLD : "", fp);
	put_source(fp, d, p->from);
	fputs(" -> ", fp);
	put_source(fp, d, p->to);
	fputs(color ? ":" SGR_RESET " " : ": ", fp);
	put_matching(fp, d, p);
	fputc('\n', fp);
}

static void put_summary(FILE *fp, const struct vms_diff *d, const struct vms_diff_pair *p,
                        bool color)
{
	char a[SZ], b[SZ], g[SZ];
	put_title(fp, d, p, color);
	fprintf(fp,
	        "  areas: %" PRIu64 " -> %" PRIu64 " (+%zu added, -%zu removed, ~%zu "
	        "resized, %" PRIu64 " unchanged)\n",
	        p->total.from.count, p->total.to.count, p->added.n, p->removed.n,
	        p->resized.n, p->unchanged);
	int64_t grew = vms_diff_growth(p->total.from.bytes, p->total.to.bytes);
	fprintf(fp, "  bytes: %s -> %s (", size_text(p->total.from.bytes, a, sizeof(a)),
	        size_text(p->total.to.bytes, b, sizeof(b)));
	put_signed(fp, signed_size(grew, g, sizeof(g)), 0, grew, color);
	fputs(")\n", fp);
	put_holes(fp, d, p);
	if (!pair_changed(p))
		fputs("  no change\n", fp);
}

/* "  #2 FILE: +3 -1 ~0 areas, +12 KiB, largest vmalloc hole -16 KiB (by address)" */
static void put_step(FILE *fp, const struct vms_diff *d, const struct vms_diff_pair *p,
                     bool color)
{
	char g[SZ];
	int64_t grew = vms_diff_growth(p->total.from.bytes, p->total.to.bytes);
	fprintf(fp, "  #%zu ", p->to + 1);
	put_source(fp, d, p->to);
	fprintf(fp, ": +%zu -%zu ~%zu areas, ", p->added.n, p->removed.n, p->resized.n);
	put_signed(fp, signed_size(grew, g, sizeof(g)), 0, grew, color);
	if (hole_change(d, p, g, sizeof(g)))
		fprintf(fp, ", largest vmalloc hole %s", g);
	fprintf(fp, " (by %s)\n", vms_diff_match_name(p->match));
}

/* One line per snapshot of a series, with the step that led to it. */
static void put_steps(FILE *fp, const struct vms_diff *d, bool color)
{
	fprintf(fp, "series of %zu snapshots:\n  #1 ", d->n);
	put_source(fp, d, 0);
	fputc('\n', fp);
	for (size_t s = 0; s < d->nr_steps; s++)
		put_step(fp, d, &d->steps[s], color);
	fputc('\n', fp);
}

/* ---- callers and kinds ---------------------------------------------------- */

/* "     +6     +48 KiB         0 B      48 KiB  " */
static void put_delta_cols(FILE *fp, const struct vms_diff_delta *x, bool color)
{
	char buf[SZ];
	int64_t dc = vms_diff_growth(x->from.count, x->to.count);
	int64_t db = vms_diff_growth(x->from.bytes, x->to.bytes);
	char count[SZ];
	snprintf(count, sizeof(count), "%s%" PRId64, dc > 0 ? "+" : "", dc);
	fprintf(fp, "  %9s ", count);
	put_signed(fp, signed_size(db, buf, sizeof(buf)), COL, db, color);
	fprintf(fp, " %*s", COL, size_text(x->from.bytes, buf, sizeof(buf)));
	fprintf(fp, " %*s  ", COL, size_text(x->to.bytes, buf, sizeof(buf)));
}

static void put_caller_name(FILE *fp, const struct vms_diff_caller *c)
{
	put_escaped(fp, c->name);
	if (c->module) {
		fputs(" [", fp);
		put_escaped(fp, c->module);
		fputc(']', fp);
	}
	fputc('\n', fp);
}

static void put_more(FILE *fp, size_t more, const char *what, const char *how)
{
	if (more)
		fprintf(fp, "  ... %zu more %s (%s)\n", more, what, how);
}

static void put_callers(FILE *fp, const struct vms_diff *d, const struct vms_diff_pair *p,
                        const struct vms_diff_view *v)
{
	if (!p->callers.n)
		return;
	size_t n = shown(p->callers.n, v->top, false);
	vms_emit_heading(fp, "callers by growth", v->color);
	fprintf(fp, " (%zu changed):\n", p->callers.n);
	fprintf(fp, "  %9s %*s %*s %*s  caller\n", "areas", COL, "growth", COL, "before",
	        COL, "after");
	for (size_t k = 0; k < n; k++) {
		uint32_t c = p->callers.v[k].caller;
		struct vms_diff_delta x = vms_diff_caller_delta(d, p, c);
		put_delta_cols(fp, &x, v->color);
		put_caller_name(fp, &d->callers.v[c]);
	}
	put_more(fp, p->callers.n - n, "callers", "--top 0 lists all");
}

static void put_series_head(FILE *fp, const struct vms_diff *d, size_t changed,
                            bool color)
{
	vms_emit_heading(fp, "callers by growth, bytes at each snapshot", color);
	fprintf(fp, " (%zu changed):\n", changed);
	for (size_t s = 0; s < d->n; s++) {
		char col[24];
		snprintf(col, sizeof(col), "#%zu", s + 1);
		fprintf(fp, "%*s", COL, col);
	}
	fprintf(fp, " %*s  caller\n", COL, "growth");
}

static void put_series_row(FILE *fp, const struct vms_diff *d,
                           const struct vms_diff_caller *c, bool color)
{
	char buf[SZ];
	for (size_t s = 0; s < d->n; s++)
		fprintf(fp, "%*s", COL, size_text(c->at[s].bytes, buf, sizeof(buf)));
	fputc(' ', fp);
	put_signed(fp, signed_size(c->growth, buf, sizeof(buf)), COL, c->growth, color);
	fputs("  ", fp);
	put_caller_name(fp, c);
}

/* A series: each changed caller's bytes at every snapshot, by growth. */
static void put_series(FILE *fp, const struct vms_diff *d, const struct vms_diff_view *v)
{
	size_t changed = 0, n = 0;
	for (size_t k = 0; k < d->callers.n; k++)
		changed += d->callers.v[k].changed;
	if (!changed)
		return;
	size_t limit = shown(changed, v->top, false);
	put_series_head(fp, d, changed, v->color);
	for (size_t k = 0; k < d->callers.n && n < limit; k++) {
		if (d->callers.v[k].changed) {
			put_series_row(fp, d, &d->callers.v[k], v->color);
			n++;
		}
	}
	put_more(fp, changed - n, "callers", "--top 0 lists all");
}

static void put_kinds(FILE *fp, const struct vms_diff_pair *p, bool color)
{
	if (!p->nr_kinds)
		return;
	vms_emit_heading(fp, "kinds by growth", color);
	fputs(":\n", fp);
	fprintf(fp, "  %9s %*s %*s %*s  kind\n", "areas", COL, "growth", COL, "before",
	        COL, "after");
	for (unsigned k = 0; k < p->nr_kinds; k++) {
		put_delta_cols(fp, &p->kinds[p->kind_order[k]], color);
		fprintf(fp, "%s\n", vms_akind_name((enum vms_akind)p->kind_order[k]));
	}
}

/* ---- areas ---------------------------------------------------------------- */

static void put_area(FILE *fp, const struct vms_dump *dm, uint32_t i, const char *label,
                     unsigned sev, bool color)
{
	vms_emit_location(fp, vms_emit_source_name(dm), dm->src.v[i].line, 0, color);
	vms_emit_label(fp, label, sev, color);
}

static void put_list(FILE *fp, const struct vms_dump *dm, const uint32_t *v, size_t n,
                     const char *label, unsigned sev, const struct vms_diff_view *w)
{
	size_t k, limit = shown(n, w->top, w->areas);
	for (k = 0; k < limit; k++) {
		put_area(fp, dm, v[k], label, sev, w->color);
		vms_emit_area_text(fp, dm, v[k]);
	}
	char what[SZ];
	snprintf(what, sizeof(what), "%s areas", label);
	put_more(fp, n - limit, what, "--areas lists all");
}

static void put_resized(FILE *fp, const struct vms_diff *d, const struct vms_diff_pair *p,
                        const struct vms_diff_view *w)
{
	const struct vms_dump *a = dump_of(d, p->from), *b = dump_of(d, p->to);
	size_t k, limit = shown(p->resized.n, w->top, w->areas);
	for (k = 0; k < limit; k++) {
		const struct vms_diff_resize *r = &p->resized.v[k];
		uint64_t from = a->areas.v[r->from].size, to = b->areas.v[r->to].size;
		char x[SZ], y[SZ], g[SZ];
		put_area(fp, b, r->to, "resized", 1, w->color);
		fprintf(fp, "%s -> %s (%s; was ", size_text(from, x, sizeof(x)),
		        size_text(to, y, sizeof(y)),
		        signed_size(vms_diff_growth(from, to), g, sizeof(g)));
		put_escaped(fp, vms_emit_source_name(a));
		fprintf(fp, ":%" PRIu32 "): ", a->src.v[r->from].line);
		vms_emit_area_text(fp, b, r->to);
	}
	put_more(fp, p->resized.n - limit, "resized areas", "--areas lists all");
}

static void put_areas(FILE *fp, const struct vms_diff *d, const struct vms_diff_pair *p,
                      const struct vms_diff_view *v)
{
	if (!p->added.n && !p->removed.n && !p->resized.n)
		return;
	vms_emit_heading(fp, "areas", v->color);
	fputs(":\n", fp);
	put_list(fp, dump_of(d, p->to), p->added.v, p->added.n, "added", 0, v);
	put_list(fp, dump_of(d, p->from), p->removed.v, p->removed.n, "removed", 2, v);
	put_resized(fp, d, p, v);
}

int vms_emit_diff_text(FILE *fp, const struct vms_diff *d, const struct vms_diff_view *v)
{
	const struct vms_diff_pair *p = d->overall;
	if (d->n > 2)
		put_steps(fp, d, v->color);
	put_summary(fp, d, p, v->color);
	if (d->n > 2)
		put_series(fp, d, v);
	else
		put_callers(fp, d, p, v);
	put_kinds(fp, p, v->color);
	put_areas(fp, d, p, v);
	return ferror(fp) ? -VMS_EIO : 0;
}
