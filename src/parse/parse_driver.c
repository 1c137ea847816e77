/*
 * parse_driver.c — the parse driver: reads input in chunks, splits it into
 * lines, has the preparer (parse_prep.c) normalise each line and cut it into
 * kernel records without their console prefixes, and hands each record to
 * exactly one owner:
 *
 *   noise (blank, fence, prompt, timestamp only, elision, metadata, diff)
 *   the boot-log parser (layout block, command line, Memory:, version,
 *                        vmap failures and their call traces)
 *   the vmallocinfo parser (parse_vmi.c)
 *   otherwise prose / unrelated log text (noise)
 *
 * then runs the whole-dump inference and fills the line accounting. Every
 * line gets exactly one class, also when it holds several records
 * (one_record); the class array costs one byte per line.
 * O(input) time; memory = one chunk (or the longest line) + the areas.
 */
#include "parse_driver.h"

#include <stdlib.h>
#include <string.h>

static bool starts_with_hex(const struct vms_line *ln)
{
	return ln->len > 2 && ln->text[0] == '0' &&
	       (ln->text[1] == 'x' || ln->text[1] == 'X');
}

/* Noise that keeps an entry open (blank, fence, bare timestamp) or breaks it. */
static bool noise_breaks(int kind)
{
	return kind == VMS_NOISE_PROMPT || kind == VMS_NOISE_ELISION;
}

/* one_line() results besides a noise kind (>= 0). */
enum { OWN_VMI = -1, OWN_LOG = -2 };

/* Offers one record to its owner: returns its noise kind, or which parser
 * took it (that parser set the line's class). */
static int one_line(struct vms_driver *dr, struct vms_line *ln)
{
	enum vms_line_class c;
	/* the context may call a line noise whatever it holds (a removed diff
	 * line "-0xf0000000-..."), so ask before the "0x" shortcut */
	int k = ln->noise || !starts_with_hex(ln) ? vms_line_noise(ln) : -1;
	if (k == VMS_NOISE_PROMPT && vms_vmi_line(dr->vmi, ln))
		return OWN_VMI; /* "/ # cat proc/vmallocinfo0xbf000000-..." */
	if (k >= 0) {
		if (noise_breaks(k))
			vms_vmi_flush(dr->vmi);
		return k;
	}
	/* the log parser rejects "0x" lines in two compares outside a layout
	 * block (arm64 prints "0xA - 0xB (N MB actual)" inside one) */
	if (vms_logparser_line(dr->log, ln, &c)) {
		vms_vmi_flush(dr->vmi);
		dr->cls.v[ln->no] = (uint8_t)c;
		return OWN_LOG;
	}
	if (vms_vmi_line(dr->vmi, ln))
		return OWN_VMI;
	unsigned log = VMS_PFX_TIMESTAMP | VMS_PFX_LOGLEVEL | VMS_PFX_SYSLOG |
	               VMS_PFX_KMSG | VMS_PFX_LOGCAT;
	return ln->prefix & log ? VMS_NOISE_LOG : VMS_NOISE_PROSE;
}

static bool is_data(uint8_t c)
{
	return c == VMS_LINE_PARSED || c == VMS_LINE_REPAIRED || c == VMS_LINE_DIAGNOSTIC;
}

/* The worse of two classes, where only data classes count. */
static uint8_t worst(uint8_t a, uint8_t b)
{
	if (!is_data(a))
		return b;
	return is_data(b) && b > a ? b : a;
}

/*
 * One record of a physical line. A line has one class whatever its records
 * are: data beats noise, the worst data class wins, and the noise kind is
 * counted once, at the end of the line, only when every record was noise.
 * A record may only claim a line whose earlier records were all noise when
 * the class is clear again (the parsers set a class only on an unset line).
 */
static void one_record(struct vms_driver *dr, struct vms_line *ln, int *noise)
{
	uint8_t *cls = &dr->cls.v[ln->no];
	uint8_t before = *cls;
	if (before == VMS_LINE_NOISE)
		*cls = VMS_NO_CLASS;
	int own = one_line(dr, ln);
	if (own >= 0 && *noise < 0)
		*noise = own;
	if (own >= 0 && !is_data(before))
		*cls = VMS_LINE_NOISE;
	else
		*cls = worst(before, *cls);
}

/* A line an editor or pager cut: the log parser says what it meant for its
 * facts; any other data line gets a warning. */
static void cut_line(struct vms_driver *dr, uint32_t no, const struct vms_prep *pp,
                     bool mark_dropped)
{
	size_t nd = dr->d->diags.n;
	if (!vms_logparser_cut(dr->log, no, pp->width, pp->cut_mark) &&
	    is_data(dr->cls.v[no]))
		vms_dump_diag(dr->d, no, 0, VMS_SEV_WARNING, "line-cut",
		              "line cut at column %u by an editor or pager (the '%c' in "
		              "that column is its mark%s): the text after it is unknown",
		              pp->width, pp->cut_mark,
		              mark_dropped ? ", dropped" : ", read as text here");
	if (dr->d->diags.n > nd && is_data(dr->cls.v[no]))
		dr->cls.v[no] = VMS_LINE_DIAGNOSTIC;
}

/* Offers the records of a line the preparer had to look at. */
static void prep_records(struct vms_driver *dr, struct vms_prep *pp, char *p, size_t len,
                         uint32_t no)
{
	unsigned ents;
	int noise = -1;
	struct vms_line ln = {0};
	if (vms_prep_line(pp, p, len, no, &ents) & VMS_NORM_ENTITY)
		vms_dump_repair(dr->d, no, 0, -1, "html-entities",
		                "%u HTML entit%s (&gt; &lt; &amp; ...) decoded", ents,
		                ents == 1 ? "y" : "ies");
	while (vms_prep_next(pp, &ln)) {
		if (ln.part)
			vms_dump_repair(
			    dr->d, no, vms_line_col(&ln, ln.raw), -1, "record-split",
			    "a kernel log record glued to the one before starts "
			    "here: read as a line of its own");
		one_record(dr, &ln, &noise);
	}
	if (dr->cls.v[no] == VMS_LINE_NOISE)
		dr->d->acct.noise[noise]++;
	if (pp->cut_confirmed) {
		for (int i = 0; i < 2; i++)
			if (pp->cut_prev[i])
				cut_line(dr, pp->cut_prev[i], pp, false);
		cut_line(dr, no, pp, true);
	}
}

/* Prepares physical line p[0..len) and offers its records; a plain dump
 * line ("0x...", one record, no prefix) takes the short way. */
static void prep_line(struct vms_driver *dr, struct vms_prep *pp, char *p, size_t len,
                      uint32_t no)
{
	struct vms_line ln;
	if (!vms_prep_dump(pp, &ln, p, len, no)) {
		prep_records(dr, pp, p, len, no);
		return;
	}
	int own = one_line(dr, &ln);
	if (own >= 0) {
		dr->cls.v[no] = VMS_LINE_NOISE;
		dr->d->acct.noise[own]++;
	}
}

enum { LINE_NUL = 1, LINE_CR = 2 }; /* what the chunk holding the line has */

static void read_as_blanks(struct vms_driver *dr, uint32_t no, char *p, size_t len,
                           char byte, const char *code, const char *what)
{
	size_t n = 0;
	for (char *z = memchr(p, byte, len); z;
	     z = memchr(z, byte, len - (size_t)(z - p))) {
		*z = ' ';
		n++;
	}
	if (n)
		vms_dump_repair(dr->d, no, 0, -1, code,
		                "%zu %s in the line read as blanks", n, what);
}

/* Reads one line p[0..len) (writable, p[len] writable): drops CRs and blanks
 * at its end, reads inner NUL bytes and lone CRs as blanks, NUL-terminates,
 * classifies it. */
static void feed_line(struct vms_driver *dr, struct vms_chunker *c, char *p, size_t len,
                      unsigned has)
{
	if (dr->capped || dr->nlines >= UINT32_MAX - 1) {
		if (!dr->capped)
			vms_dump_diag(
			    dr->d, dr->nlines, 0, VMS_SEV_ERROR, "too-many-lines",
			    "more than %u lines; the rest was not read", dr->nlines);
		dr->capped = true;
		return;
	}
	uint32_t no = ++dr->nlines;
	vms_vec_reserve(&dr->cls, (size_t)no + 1);
	dr->cls.v[no] = VMS_NO_CLASS;
	dr->cls.n = no;
	if (has & LINE_NUL)
		read_as_blanks(dr, no, p, len, '\0', "nul-bytes", "NUL byte(s)");
	while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (has & LINE_CR)
		read_as_blanks(
		    dr, no, p, len, '\r', "cr-in-line",
		    "carriage return(s) (a serial capture's overwritten text)");
	p[len] = '\0';
	prep_line(dr, &c->prep, p, len, no);
}

/* Decides the line ends on the first VMS_EOL_WINDOW bytes of the input
 * (nothing was consumed yet); false while more input is needed. */
static bool decide_eol(struct vms_chunker *c, bool eof)
{
	size_t w = c->len < VMS_EOL_WINDOW ? c->len : VMS_EOL_WINDOW;
	if (memchr(c->buf, '\n', w))
		c->eol = VMS_EOL_LF;
	else if (c->len < VMS_EOL_WINDOW && !eof)
		return false;
	else
		c->eol = memchr(c->buf, '\r', w) ? VMS_EOL_CR : VMS_EOL_LF;
	return true;
}

/* CR-only input: the end of the line at p (CR, LF or CRLF), or NULL when
 * there is none yet (a CR at the end of the chunk may be half a CRLF). */
static char *cr_line_end(char *p, char *e, bool eof, size_t *eol_len)
{
	while (p < e && *p != '\r' && *p != '\n')
		p++;
	if (p == e || (*p == '\r' && p + 1 == e && !eof))
		return NULL;
	*eol_len = *p == '\r' && p + 1 < e && p[1] == '\n' ? 2 : 1;
	return p;
}

/* Feeds every complete line of the chunk; returns the bytes consumed. */
static size_t feed_lines(struct vms_driver *dr, struct vms_chunker *c, bool eof)
{
	char *buf = c->buf, *p = buf, *e = buf + c->len, *nl;
	if (c->eol == VMS_EOL_UNDECIDED && !decide_eol(c, eof))
		return 0;
	/* binary input or stray CRs: checked per line only when the chunk has them */
	unsigned has = memchr(buf, '\0', c->len) ? LINE_NUL : 0;
	if (c->eol == VMS_EOL_LF) {
		has |= memchr(buf, '\r', c->len) ? LINE_CR : 0;
		while (p < e && (nl = memchr(p, '\n', (size_t)(e - p)))) {
			feed_line(dr, c, p, (size_t)(nl - p), has);
			p = nl + 1;
		}
		return (size_t)(p - buf);
	}
	size_t skip;
	while ((nl = cr_line_end(p, e, eof, &skip)) != NULL) {
		feed_line(dr, c, p, (size_t)(nl - p), has);
		p = nl + skip;
	}
	return (size_t)(p - buf);
}

void vms_driver_start(struct vms_driver *dr, const char *source)
{
	memset(dr, 0, sizeof(*dr));
	dr->d = vms_dump_new(source);
	vms_vec_reserve(&dr->cls, 1024);
	dr->cls.v[0] = VMS_NO_CLASS;
	vms_lines_init();
	dr->log = vms_logparser_new(dr->d);
	dr->vmi = vms_vmi_new(dr->d, &dr->cls);
}

static void account(struct vms_driver *dr)
{
	struct vms_accounting *a = &dr->d->acct;
	a->lines = dr->nlines;
	for (uint32_t i = 1; i <= dr->nlines; i++) {
		uint8_t c = dr->cls.v[i];
		if (c >= VMS_NR_LINE_CLASSES) { /* never classified: cannot happen */
			c = VMS_LINE_NOISE;
			a->noise[VMS_NOISE_PROSE]++;
		}
		a->by_class[c]++;
	}
}

/* Repairs the driver makes to a whole line before any parser reads it. */
static const char *const line_repairs[] = {"nul-bytes", "cr-in-line", "html-entities",
                                           "record-split"};

static bool is_line_repair(const char *code)
{
	for (size_t i = 0; i < sizeof(line_repairs) / sizeof(line_repairs[0]); i++)
		if (strcmp(code, line_repairs[i]) == 0)
			return true;
	return false;
}

/* Raises lines read after a line repair from parsed to repaired. */
static void mark_line_repairs(struct vms_driver *dr)
{
	for (size_t i = 0; i < dr->d->repairs.n; i++) {
		const struct vms_repair *r = &dr->d->repairs.v[i];
		if (r->line <= dr->nlines && dr->cls.v[r->line] == VMS_LINE_PARSED &&
		    is_line_repair(r->code))
			dr->cls.v[r->line] = VMS_LINE_REPAIRED;
	}
}

struct vms_dump *vms_driver_finish(struct vms_driver *dr,
                                   const struct vms_parse_opts *opts)
{
	vms_vmi_flush(dr->vmi);
	vms_logparser_finish(dr->log);
	vms_infer_dump(dr->d, dr->vmi, opts);
	mark_line_repairs(dr);
	account(dr);
	vms_vmi_free(dr->vmi);
	vms_logparser_free(dr->log);
	free(dr->cls.v);
	return dr->d;
}

void vms_driver_flush(struct vms_driver *dr)
{
	vms_vmi_flush(dr->vmi);
	vms_logparser_finish(dr->log);
}

bool vms_driver_log_empty(const struct vms_driver *dr)
{
	const struct vms_bootlog *l = dr->d->log;
	return !l->regions.n && !l->has_cmdline && !l->failures.n && !l->version_text &&
	       !l->memory_text && !l->layout_line;
}

void vms_driver_discard(struct vms_driver *dr)
{
	vms_vmi_free(dr->vmi);
	vms_logparser_free(dr->log);
	free(dr->cls.v);
	vms_dump_free(dr->d);
}

static void merge_notes(struct vms_dump *d, struct vms_dump *s, uint32_t off,
                        size_t areas)
{
	for (size_t i = 0; i < s->diags.n; i++) {
		struct vms_diag g = s->diags.v[i];
		g.line += g.line ? off : 0;
		vms_vec_push(&d->diags, g);
	}
	for (size_t i = 0; i < s->repairs.n; i++) {
		struct vms_repair r = s->repairs.v[i];
		r.line += r.line ? off : 0;
		r.area += r.area >= 0 ? (int64_t)areas : 0;
		vms_vec_push(&d->repairs, r);
	}
}

void vms_driver_merge(struct vms_driver *dst, struct vms_driver *src)
{
	struct vms_dump *d = dst->d, *s = src->d;
	uint32_t off = dst->nlines;
	size_t areas = d->areas.n;
	vms_vec_reserve(&d->areas, d->areas.n + s->areas.n);
	for (size_t i = 0; i < s->areas.n; i++) {
		struct vms_area a = s->areas.v[i];
		a.line += off;
		a.last_line += off;
		d->areas.v[d->areas.n++] = a;
	}
	vms_vmi_adopt(dst->vmi, src->vmi);
	merge_notes(d, s, off, areas);
	vms_vec_reserve(&dst->cls, (size_t)off + src->nlines + 1);
	memcpy(dst->cls.v + off + 1, src->cls.v + 1, src->nlines);
	dst->nlines += src->nlines;
	dst->cls.n = dst->nlines;
	for (int k = 0; k < VMS_NR_NOISE_KINDS; k++)
		d->acct.noise[k] += s->acct.noise[k];
	vms_arena_adopt(&d->arena, &s->arena);
	vms_driver_discard(src);
}

int vms_parse_check_opts(const struct vms_parse_opts *o)
{
	if (!o)
		return 0;
	if (o->page_size && (o->page_size < 4096 || (o->page_size & (o->page_size - 1))))
		return -VMS_EINVAL;
	if (o->kernel_major < 0 || o->kernel_minor < 0 || o->kernel_major > 99)
		return -VMS_EINVAL;
	return 0;
}

void vms_chunk_room(struct vms_chunker *c, size_t want)
{
	if (c->cap - c->len < want + 1) {
		size_t cap = c->cap ? c->cap * 2 : 4096;
		while (cap - c->len < want + 1)
			cap *= 2;
		c->cap = cap;
		c->buf = vms_xrealloc(c->buf, c->cap);
	}
}

void vms_chunk_consume(struct vms_driver *dr, struct vms_chunker *c)
{
	size_t used = feed_lines(dr, c, false);
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
}

void vms_chunk_last(struct vms_driver *dr, struct vms_chunker *c)
{
	size_t used = c->len ? feed_lines(dr, c, true) : 0;
	if (used < c->len) { /* a last line without a line end */
		vms_chunk_room(c, 1);
		unsigned has = memchr(c->buf + used, '\0', c->len - used) ? LINE_NUL : 0;
		has |= c->eol == VMS_EOL_LF ? LINE_CR : 0;
		feed_line(dr, c, c->buf + used, c->len - used, has);
	}
	if (c->eol == VMS_EOL_CR)
		vms_dump_diag(
		    dr->d, 1, 0, VMS_SEV_NOTE, "cr-line-ends",
		    "the input ends its lines with CR alone (an old Mac file or a "
		    "serial capture): CR, LF and CRLF were all read as line ends");
	vms_prep_free(&c->prep);
	free(c->buf);
}
