/*
 * parse_listings.c — several listings in one paste (docs/formats.md,
 * "Several listings in one paste").
 *
 * Forum posts and bug reports hold two or more /proc/vmallocinfo outputs:
 * before and after a test, two boots, a grep'd copy. Read as one list they
 * would look unsorted (and so like 6.9+ per-node lists) and every area
 * present in both would overlap its twin. While reading, the driver marks
 * the lines that can separate listings (vms_listings_mark()): prompts and
 * command lines (the command kept: a grep, awk, head... filters), and prose
 * (kept when it is heading-shaped). At the end (vms_listings_find()) the
 * areas, in input order, are cut into listings. A new listing starts at
 * area i (not the first of the current one) when
 *
 *   - a prompt or command line lies between area i-1 and area i; or
 *   - the addresses start again (start(i) <= start(i-1)) and
 *       - prose or a heading lies between them, or
 *       - the kernel version is known and before 6.9 (one sorted list), or
 *       - an area of the run that starts at i (up to the next restart or
 *         prompt) overlaps an area already in the current listing (an
 *         area identical to one there is the plainest case).
 *
 * Otherwise a restart is the next list of 6.9+ per-node output: the nodes'
 * lists fill each other's gaps and never overlap, and the run joins the
 * listing. The overlap test keeps the listing's areas in sorted levels of
 * doubling size (a binary counter: a run is merged into the levels below
 * it), each with its prefix maximum of ends, so one area is tested in
 * O(log^2 n) and every area is merged O(log n) times: O(n log^2 n) in all,
 * and nothing at all for a listing that never restarts.
 *
 * The listings partition the input's lines: listing k owns its opening
 * line up to the line before the next listing's opening line; the opening
 * line is the first heading after the listing before, else the last line
 * that reads vmallocinfo, else the first prompt, else the first area's
 * line. Each listing gets its own line accounting (vms_listings_account())
 * and its own /proc/meminfo values, read from its lines.
 */
#include "parse_listings.h"

#include <stdlib.h>
#include <string.h>

#include "parse_regex.h"

/* ---- marks ------------------------------------------------------------------ */

enum {
	MARK_TEXT_MAX = 160, /* bytes of a command or heading kept */
	HEADING_MAX = 200,   /* longer prose is no heading */
};

enum listings_re { RE_FILTER, RE_HEADING, NR_RE };

static const char *const re_src[NR_RE] = {
    /* a command that shows part of the listing: a filter in a pipeline,
     * or one reading the file itself */
    [RE_FILTER] = "^.*\\b(?:grep|egrep|fgrep|rg|ag|ack|awk|gawk|mawk|sed|head|tail|"
                  "sort|uniq|cut|perl|python3?)\\b",
    /* "After insmod:", "## boot 2", "=== before ===", "**after**" */
    [RE_HEADING] = "^(?:#{1,6}\\s+\\S.*"
                   "|[=*#~_-]{2,}\\s*\\S.*?\\s*[=*#~_-]{2,}"
                   "|\\*\\*[^*]+\\*\\*:?"
                   "|[^:]*\\S\\s*:\\s*(?:\\*\\*)?)$",
};

VMS_REGEX_SET(listings_re, re_src, NR_RE, 0, 100000)

static bool re_match(enum listings_re r, const char *s, size_t n)
{
	return vms_regex_prefix(&listings_re, r, s, n) >= 0;
}

/* s[0..n) names the vmallocinfo file (or a debugger's command for it). */
static bool reads_vmallocinfo(const char *s, size_t n)
{
	static const char *const words[] = {"vmallocinfo", "kmem -v", "kmem  -v"};
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		size_t k = strlen(words[w]);
		for (size_t i = 0; i + k <= n; i++)
			if (memcmp(s + i, words[w], k) == 0)
				return true;
	}
	return false;
}

static const char *keep_text(struct vms_dump *d, const char *s, size_t n)
{
	return vms_arena_strndup(&d->arena, s, n < MARK_TEXT_MAX ? n : MARK_TEXT_MAX);
}

/* A new mark at line, or (merge) the last one when no area came since it
 * and it is of the same sort (a run of prompts, of prose) and reads
 * nothing: a run of other commands costs one mark. */
static struct vms_mark *mark_at(struct vms_marks *m, const struct vms_dump *d,
                                uint32_t line, uint8_t kind, bool merge)
{
	if (merge && m->n) {
		struct vms_mark *last = &m->v[m->n - 1];
		if (last->areas == d->areas.n && last->kind == kind && !last->reads)
			return last;
	}
	struct vms_mark x = {.line = line, .areas = d->areas.n, .kind = kind};
	vms_vec_push(m, x);
	return &m->v[m->n - 1];
}

void vms_listings_mark(struct vms_marks *m, struct vms_dump *d, const struct vms_line *ln,
                       int noise)
{
	if (noise == VMS_NOISE_PROMPT) {
		/* a line reading the listing is a mark of its own */
		bool reads = reads_vmallocinfo(ln->text, ln->len);
		struct vms_mark *k = mark_at(m, d, ln->no, VMS_MARK_PROMPT, !reads);
		k->reads = reads;
		k->filtered = reads && re_match(RE_FILTER, ln->text, ln->len);
		k->text = keep_text(d, ln->text, ln->len);
	} else if (noise == VMS_NOISE_PROSE && ln->len <= HEADING_MAX) {
		struct vms_mark *k = mark_at(m, d, ln->no, VMS_MARK_PROSE, true);
		if (!k->text && re_match(RE_HEADING, ln->text, ln->len))
			k->text = keep_text(d, ln->text, ln->len);
	}
}

void vms_listings_mark_after(struct vms_marks *m, struct vms_dump *d, uint32_t line)
{
	mark_at(m, d, line + 1, VMS_MARK_PROMPT, true);
}

/* ---- the overlap set -------------------------------------------------------- */

struct iv {
	uint64_t start, end, maxend; /* maxend: the largest end up to here */
};

enum { LEVELS = 48 }; /* 2^47 runs: more than any input holds */

/* Sorted levels; level k holds nothing or the areas of up to 2^k runs. */
struct ivset {
	struct iv *lv[LEVELS];
	size_t n[LEVELS];
};

static void ivset_clear(struct ivset *s)
{
	for (size_t k = 0; k < LEVELS; k++) {
		free(s->lv[k]);
		s->lv[k] = NULL;
		s->n[k] = 0;
	}
}

static bool iv_valid(const struct vms_area *a)
{
	return a->end > a->start;
}

/* Some interval of the set meets [start, end). */
static bool ivset_meets(const struct ivset *s, uint64_t start, uint64_t end)
{
	for (size_t k = 0; k < LEVELS; k++) {
		size_t lo = 0, hi = s->n[k]; /* the intervals starting before end */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (s->lv[k][mid].start < end)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo && s->lv[k][lo - 1].maxend > start)
			return true;
	}
	return false;
}

static void fill_maxend(struct iv *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i].maxend =
		    i && v[i - 1].maxend > v[i].end ? v[i - 1].maxend : v[i].end;
}

/* Adds the valid areas of [from, to), which ascend by start. */
static void ivset_add(struct ivset *s, const struct vms_dump *d, size_t from, size_t to)
{
	size_t n = 0;
	struct iv *run = vms_xreallocarray(NULL, to - from + 1, sizeof(*run));
	for (size_t i = from; i < to; i++)
		if (iv_valid(&d->areas.v[i]))
			run[n++] = (struct iv){d->areas.v[i].start, d->areas.v[i].end, 0};
	size_t k = 0;
	while (k + 1 < LEVELS && s->lv[k]) { /* merge the carry into full levels */
		struct iv *a = s->lv[k], *m;
		size_t na = s->n[k], i = 0, j = 0, o = 0;
		m = vms_xreallocarray(NULL, na + n + 1, sizeof(*m));
		while (i < na || j < n)
			m[o++] = j == n || (i < na && a[i].start <= run[j].start)
			             ? a[i++]
			             : run[j++];
		free(a);
		free(run);
		s->lv[k] = NULL;
		s->n[k] = 0;
		run = m;
		n = o;
		k++;
	}
	fill_maxend(run, n);
	free(s->lv[k]); /* only past the last level's worth of runs */
	s->lv[k] = run;
	s->n[k] = n;
}

/* ---- cutting the areas into listings ---------------------------------------- */

struct cutter {
	struct vms_dump *d;
	const struct vms_marks *marks;
	size_t mk;       /* marks before mk are behind the current area */
	bool old_kernel; /* a version before 6.9 is known: one sorted list */
	struct ivset set;
	size_t in_set; /* areas [cur.first, in_set) are in the set */
	struct vms_listing cur;
};

/* What lies between area i-1 and area i (or before area 0). */
struct between {
	const struct vms_mark *prompt;  /* the first prompt */
	const struct vms_mark *reads;   /* the last prompt reading vmallocinfo */
	const struct vms_mark *heading; /* the first prose or heading */
};

static struct between marks_before(struct cutter *c, size_t i)
{
	struct between b = {0};
	uint32_t line = c->d->src.v[i].line;
	while (c->mk < c->marks->n && c->marks->v[c->mk].line <= line) {
		const struct vms_mark *m = &c->marks->v[c->mk++];
		if (i && m->line <= c->d->src.v[i - 1].last_line)
			continue; /* inside the area before (cannot be, but) */
		if (m->kind == VMS_MARK_PROMPT) {
			if (!b.prompt)
				b.prompt = m;
			if (m->reads)
				b.reads = m;
		} else if (!b.heading) {
			b.heading = m;
		}
	}
	return b;
}

/* The opening line, command and heading of a listing from what lies
 * before its first area. */
static void opening(struct vms_listing *l, const struct between *b, uint32_t line)
{
	const struct vms_mark *open = b->heading ? b->heading
	                              : b->reads ? b->reads
	                                         : b->prompt;
	l->marker_line = open ? open->line : 0;
	l->line_lo = open ? open->line : line;
	const struct vms_mark *cmd = b->reads ? b->reads : b->prompt;
	l->command = cmd ? cmd->text : NULL;
	l->filtered = b->reads && b->reads->filtered;
	l->heading = b->heading ? b->heading->text : NULL;
}

static void close_listing(struct cutter *c, size_t end)
{
	const struct vms_dump *d = c->d;
	struct vms_listing *l = &c->cur;
	l->n = end - l->first;
	l->first_line = d->src.v[l->first].line;
	l->last_line = d->src.v[end - 1].last_line;
	l->sorted = true;
	for (size_t i = l->first + 1; i < end; i++)
		if (d->areas.v[i].start < d->areas.v[i - 1].start)
			l->sorted = false;
	vms_vec_push(&c->d->listings, *l);
	ivset_clear(&c->set);
}

/* Addresses start again at area i (only real addresses say so). */
static bool restarts(const struct vms_dump *d, size_t i)
{
	return d->visibility == VMS_VIS_REAL &&
	       d->areas.v[i].start <= d->areas.v[i - 1].start;
}

/* The end of the run that starts at i: the next restart or prompt. */
static size_t run_end(struct cutter *c, size_t i)
{
	const struct vms_dump *d = c->d;
	size_t k = c->mk, j = i + 1;
	for (; j < d->areas.n && !restarts(d, j); j++) {
		while (k < c->marks->n &&
		       c->marks->v[k].line <= d->src.v[j - 1].last_line)
			k++;
		if (k < c->marks->n && c->marks->v[k].line <= d->src.v[j].line &&
		    c->marks->v[k].kind == VMS_MARK_PROMPT)
			break;
	}
	return j;
}

/* Why area i opens a new listing, or VMS_LO_FIRST when it does not. */
static enum vms_listing_open why_new(struct cutter *c, size_t i, const struct between *b)
{
	const struct vms_dump *d = c->d;
	if (b->prompt)
		return VMS_LO_PROMPT;
	if (!restarts(d, i))
		return VMS_LO_FIRST;
	if (b->heading)
		return VMS_LO_HEADING;
	if (c->old_kernel)
		return VMS_LO_VERSION;
	/* the runs before i join the set; then the run from i is tested */
	size_t from = c->in_set > c->cur.first ? c->in_set : c->cur.first;
	ivset_add(&c->set, d, from, i);
	c->in_set = i;
	size_t end = run_end(c, i);
	for (size_t j = i; j < end; j++) {
		const struct vms_area *a = &d->areas.v[j];
		if (iv_valid(a) && ivset_meets(&c->set, a->start, a->end))
			return VMS_LO_OVERLAP;
	}
	return VMS_LO_FIRST;
}

/* Why a listing opened, for its note. */
static const char *const open_why[VMS_NR_LISTING_OPENS] = {
    [VMS_LO_FIRST] = "the first",
    [VMS_LO_PROMPT] = "after a prompt",
    [VMS_LO_HEADING] = "after a heading, the addresses starting again",
    [VMS_LO_OVERLAP] = "the addresses start again over areas already listed",
    [VMS_LO_VERSION] = "the addresses start again, and the kernel prints one sorted "
                       "list before 6.9",
};

static bool version_before_609(const struct vms_dump *d, const struct vms_parse_opts *o)
{
	int v = o && o->kernel_major   ? o->kernel_major * 100 + o->kernel_minor
	        : d->log->kernel_major ? d->log->kernel_major * 100 + d->log->kernel_minor
	                               : 0;
	return v && v < 609;
}

void vms_listings_find(struct vms_dump *d, const struct vms_marks *marks,
                       const struct vms_parse_opts *opts, uint32_t nlines)
{
	d->listings.n = 0;
	if (!d->areas.n)
		return;
	struct cutter c = {
	    .d = d, .marks = marks, .old_kernel = version_before_609(d, opts)};
	struct between b = marks_before(&c, 0);
	opening(&c.cur, &b, 1);
	c.cur.line_lo = 1;
	c.cur.opened = VMS_LO_FIRST;
	for (size_t i = 1; i < d->areas.n; i++) {
		b = marks_before(&c, i);
		enum vms_listing_open why = why_new(&c, i, &b);
		if (why == VMS_LO_FIRST)
			continue;
		close_listing(&c, i);
		c.cur = (struct vms_listing){.first = i, .opened = (uint8_t)why};
		c.in_set = i;
		opening(&c.cur, &b, d->src.v[i].line);
	}
	close_listing(&c, d->areas.n);
	for (size_t k = 0; k + 1 < d->listings.n; k++)
		d->listings.v[k].line_hi = d->listings.v[k + 1].line_lo - 1;
	d->listings.v[d->listings.n - 1].line_hi = nlines;
	for (size_t k = 1; k < d->listings.n; k++) {
		const struct vms_listing *l = &d->listings.v[k];
		vms_dump_area_diag(
		    d, (int64_t)l->first, l->first_line, 0, VMS_SEV_NOTE, "listing-start",
		    "listing %zu of %zu starts here (%s%s%s): read as a snapshot of "
		    "its own (check, report and diff take each in turn)%s",
		    k + 1, d->listings.n, open_why[l->opened], l->command ? ": " : "",
		    l->command ? l->command : "",
		    l->filtered
		        ? "; printed through a filter, its holes are no free space"
		        : "");
	}
}

/* ---- per listing: lines and meminfo ----------------------------------------- */

/* The listing that owns line (listings partition the lines). */
size_t vms_listing_of_line(const struct vms_dump *d, uint32_t line)
{
	size_t lo = 0, hi = d->listings.n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->listings.v[mid].line_lo <= line)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void vms_listings_account(struct vms_dump *d, const struct vms_classes *cls,
                          const struct vms_classes *nk)
{
	for (size_t k = 0; k < d->listings.n; k++) {
		struct vms_listing *l = &d->listings.v[k];
		memset(&l->acct, 0, sizeof(l->acct));
		for (uint32_t line = l->line_lo; line <= l->line_hi && line <= cls->n;
		     line++) {
			uint8_t c = cls->v[line];
			if (c >= VMS_NR_LINE_CLASSES)
				c = VMS_LINE_NOISE;
			l->acct.lines++;
			l->acct.by_class[c]++;
			if (c != VMS_LINE_NOISE)
				continue;
			uint8_t kind = line <= nk->n ? nk->v[line - 1] : VMS_NO_CLASS;
			l->acct
			    .noise[kind < VMS_NR_NOISE_KINDS ? kind : VMS_NOISE_REPEAT]++;
		}
	}
}

void vms_listings_meminfo(struct vms_dump *d, struct vms_classes *cls)
{
	const struct vms_bootlog *log = d->log;
	if (d->listings.n < 2)
		return;
	for (size_t k = 0; k < d->listings.n; k++)
		memset(&d->listings.v[k].meminfo, 0, sizeof(d->listings.v[k].meminfo));
	/* the lines and the listings both ascend: one walk gives each line its
	 * listing; the first copy of a value is kept, another one conflicts */
	bool any_conflict = false;
	size_t k = 0;
	for (size_t i = 0; i < log->meminfo_lines.n; i++) {
		const struct vms_meminfo_line *f = &log->meminfo_lines.v[i];
		while (k + 1 < d->listings.n && d->listings.v[k + 1].line_lo <= f->line)
			k++;
		struct vms_meminfo *mi = &d->listings.v[k].meminfo;
		struct vms_meminfo_val *v = vms_meminfo_val_of(mi, f->key);
		if (!v->line)
			*v = (struct vms_meminfo_val){f->kb, f->line};
		else if (v->kb != f->kb)
			any_conflict = mi->conflict = true;
	}
	/* copies in different listings are no conflict: the warning a second
	 * copy got while reading goes, unless its own listing disagrees, and
	 * every copy's line is read when its listing has no conflict */
	size_t o = 0;
	for (size_t i = 0; i < d->diags.n; i++) {
		const struct vms_diag *g = &d->diags.v[i];
		if (strcmp(g->code, "meminfo-repeated") == 0 &&
		    !d->listings.v[vms_listing_of_line(d, g->line)].meminfo.conflict)
			vms_dump_forget(d, g->code, false, g->severity);
		else
			d->diags.v[o++] = *g;
	}
	d->diags.n = o;
	d->log->meminfo.conflict = any_conflict;
	for (size_t i = 0; i < log->meminfo_lines.n; i++) {
		uint32_t line = log->meminfo_lines.v[i].line;
		if (line <= cls->n && cls->v[line] == VMS_LINE_DIAGNOSTIC &&
		    !d->listings.v[vms_listing_of_line(d, line)].meminfo.conflict)
			cls->v[line] = VMS_LINE_PARSED;
	}
}

const char *vms_listing_open_name(enum vms_listing_open o)
{
	static const char *const names[VMS_NR_LISTING_OPENS] = {
	    "first", "prompt", "heading", "overlap", "version"};
	return (unsigned)o < VMS_NR_LISTING_OPENS ? names[o] : "?";
}
