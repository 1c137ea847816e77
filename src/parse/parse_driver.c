/*
 * parse_driver.c — the parse driver: reads input in chunks, splits it into
 * lines, has the preparer (parse_prep.c) normalise each line and cut it into
 * kernel records without their console prefixes, and hands each record to
 * exactly one owner:
 *
 *   noise (blank, fence, prompt, timestamp only, elision, metadata, diff)
 *   the boot-log parser (layout block, command line, Memory:, version,
 *                        vmap failures and their call traces)
 *   the vmallocinfo parser (parse_vmi.c; debuggers' outputs too:
 *                           parse_vmi_tools.c)
 *   otherwise prose / unrelated log text (noise)
 *
 * then runs the whole-dump inference and fills the line accounting. Every
 * line gets exactly one class, also when it holds several records
 * (one_record) or is read in windows (feed_windows); the class array costs
 * one byte per line. Binary data ends the reading (judge).
 * O(input) time; memory = one chunk and one line window + the areas.
 */
#include "parse_driver.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static bool starts_with_hex(const struct vms_line *ln)
{
	return ln->len > 2 && ln->text[0] == '0' &&
	       (ln->text[1] == 'x' || ln->text[1] == 'X');
}

/* Noise that keeps an entry open (blank, fence, bare timestamp) or breaks
 * it (a prompt breaks it too, in one_line()). */
static bool noise_breaks(int kind)
{
	return kind == VMS_NOISE_ELISION;
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
	if (k == VMS_NOISE_PROMPT) { /* it ends the entry and may end a listing */
		vms_vmi_flush(dr->vmi);
		vms_listings_mark(&dr->marks, dr->d, ln, k);
		/* "/ # cat proc/vmallocinfo0xbf000000-..." */
		return vms_vmi_line(dr->vmi, ln) ? OWN_VMI : k;
	}
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
	if (vms_meminfo_noise(ln))
		return VMS_NOISE_LOG; /* kernel output, not about the space */
	if (vms_vmi_line(dr->vmi, ln)) {
		if (ln->tail & VMS_TAIL_PROMPT)
			vms_listings_mark_after(&dr->marks, dr->d, ln->no);
		return OWN_VMI;
	}
	unsigned log = VMS_PFX_TIMESTAMP | VMS_PFX_LOGLEVEL | VMS_PFX_SYSLOG |
	               VMS_PFX_KMSG | VMS_PFX_LOGCAT;
	if (ln->prefix & log)
		return VMS_NOISE_LOG;
	vms_listings_mark(&dr->marks, dr->d, ln, VMS_NOISE_PROSE);
	return VMS_NOISE_PROSE;
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
	uint64_t nd = dr->d->nr_alerts;
	if (!vms_logparser_cut(dr->log, no, pp->width, pp->cut_mark) &&
	    is_data(dr->cls.v[no]))
		vms_dump_diag(dr->d, no, 0, VMS_SEV_WARNING, "line-cut",
		              "line cut at column %u by an editor or pager (the '%c' in "
		              "that column is its mark%s): the text after it is unknown",
		              pp->width, pp->cut_mark,
		              mark_dropped ? ", dropped" : ", read as text here");
	if (dr->d->nr_alerts > nd && is_data(dr->cls.v[no]))
		dr->cls.v[no] = VMS_LINE_DIAGNOSTIC;
}

/* Offers the records of a line (or of a window of a long line) the
 * preparer had to look at. Returns true when the text itself was repaired
 * (entities decoded, records split). */
static bool prep_records(struct vms_driver *dr, struct vms_prep *pp, char *p, size_t len,
                         uint32_t no)
{
	unsigned ents;
	bool fixed = false;
	struct vms_line ln = {0};
	if (vms_prep_line(pp, p, len, no, &ents) & VMS_NORM_ENTITY) {
		vms_dump_repair(dr->d, no, 0, -1, "html-entities",
		                "%u HTML entit%s (&gt; &lt; &amp; ...) decoded", ents,
		                ents == 1 ? "y" : "ies");
		fixed = true;
	}
	while (vms_prep_next(pp, &ln)) {
		if (ln.part) {
			vms_dump_repair(
			    dr->d, no, vms_line_col(&ln, ln.raw), -1, "record-split",
			    "a kernel log record glued to the one before starts "
			    "here: read as a line of its own");
			fixed = true;
		}
		one_record(dr, &ln, &dr->line_noise);
	}
	if (pp->cut_confirmed) {
		for (int i = 0; i < 2; i++)
			if (pp->cut_prev[i])
				cut_line(dr, pp->cut_prev[i], pp, false);
		cut_line(dr, no, pp, true);
	}
	return fixed;
}

/*
 * Prepares physical line p[0..len) and offers its records. A clean dump line
 * takes the short way: it starts with "0x", ends in nothing the preparer
 * would look at, and the fast path reads it as it is (nothing in a line the
 * fast path takes would be normalised). Any other line, and any window of a
 * long line but its first, is normalised and cut into records first.
 * Returns true when the line itself was repaired.
 */
static bool prep_line(struct vms_driver *dr, struct vms_prep *pp, char *p, size_t len,
                      uint32_t no, bool first)
{
	struct vms_line ln;
	if (first && vms_prep_dump(pp, &ln, p, len, no) &&
	    !vms_logparser_in_layout(dr->log) && vms_vmi_try_fast(dr->vmi, &ln))
		return false;
	return prep_records(dr, pp, p, len, no);
}

enum { LINE_NUL = 1, LINE_CR = 2 }; /* what the chunk holding the line has */

/* Reads every `byte` in p[0..len) as a blank; true when there was one. */
static bool read_as_blanks(struct vms_driver *dr, uint32_t no, char *p, size_t len,
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
	return n > 0;
}

/* Starts physical line nlines + 1; false when the line limit is reached. */
static bool begin_line(struct vms_driver *dr, bool windowed)
{
	if (dr->capped || dr->nlines >= dr->max_lines) {
		if (!dr->capped)
			vms_dump_diag(
			    dr->d, dr->nlines, 0, VMS_SEV_ERROR, "too-many-lines",
			    "more than %u lines; the rest was not read", dr->nlines);
		dr->capped = true;
		return false;
	}
	uint32_t no = ++dr->nlines;
	vms_vec_reserve(&dr->cls, (size_t)no + 1);
	dr->cls.v[no] = VMS_NO_CLASS;
	dr->cls.n = no;
	dr->line_fixed = false;
	dr->line_windowed = windowed;
	dr->line_noise = -1;
	if (windowed)
		vms_dump_diag(dr->d, no, 0, VMS_SEV_WARNING, "long-line",
		              "line longer than %u bytes (a paste that lost its line "
		              "ends?): read in windows of that size cut at blanks; an "
		              "entry or fact a window edge cuts is read in two parts",
		              (unsigned)VMS_LINE_WINDOW);
	return true;
}

/* Ends the physical line: its class and its noise kind. */
static void end_line(struct vms_driver *dr)
{
	uint8_t *cls = &dr->cls.v[dr->nlines];
	/* a line the driver repaired is "repaired" at least (the parsers raise
	 * the class later, never lower it); decided here, not from the stored
	 * messages, which may be capped */
	if (dr->line_fixed && *cls == VMS_LINE_PARSED)
		*cls = VMS_LINE_REPAIRED;
	if (dr->line_windowed) /* its long-line warning, whatever it held */
		*cls = VMS_LINE_DIAGNOSTIC;
	if (*cls == VMS_LINE_NOISE && dr->line_noise >= 0) {
		dr->d->acct.noise[dr->line_noise]++;
		vms_vec_reserve(&dr->nk, (size_t)dr->nlines + 1);
		while (dr->nk.n < dr->nlines) /* lines without a noise kind */
			dr->nk.v[dr->nk.n++] = VMS_NO_CLASS;
		dr->nk.v[dr->nk.n++] = (uint8_t)dr->line_noise; /* line nk.n - 1 */
	}
	dr->in_line = false;
}

/*
 * Reads line p[0..len) (writable, p[len] writable), or a window of a long
 * line (more: the line goes on in the next call): reads NUL bytes and inner
 * CRs as blanks, drops CRs and blanks at the end of the line, NUL-terminates
 * (p[len] is given back after), classifies.
 */
static void feed_line(struct vms_driver *dr, struct vms_chunker *c, char *p, size_t len,
                      unsigned has, bool more)
{
	bool first = !dr->in_line;
	if (first && !begin_line(dr, more))
		return;
	dr->in_line = true;
	uint32_t no = dr->nlines;
	bool fixed = false;
	if (has & LINE_NUL)
		fixed |= read_as_blanks(dr, no, p, len, '\0', "nul-bytes", "NUL byte(s)");
	while (!more && len &&
	       (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (has & LINE_CR)
		fixed |= read_as_blanks(
		    dr, no, p, len, '\r', "cr-in-line",
		    "carriage return(s) (a serial capture's overwritten text)");
	char end = p[len];
	p[len] = '\0';
	fixed |= prep_line(dr, &c->prep, p, len, no, first);
	p[len] = end;
	dr->line_fixed |= fixed;
	if (!more)
		end_line(dr);
}

/* Where to end a window of the long line at p (at least VMS_LINE_WINDOW
 * bytes): after the last blank in its second half, else at the window's
 * end (never inside a UTF-8 character). */
static size_t window_end(const char *p)
{
	for (size_t k = VMS_LINE_WINDOW; k > VMS_LINE_WINDOW / 2; k--)
		if (p[k - 1] == ' ' || p[k - 1] == '\t')
			return k;
	return vms_utf8_clip(p, VMS_LINE_WINDOW, VMS_LINE_WINDOW);
}

/* Feeds the windows of a line in p[0..n) while at least a window of it is
 * left; returns the bytes fed. The cuts depend on the line's bytes only, so
 * a line that arrives in pieces is cut where a whole one would be. */
static size_t feed_windows(struct vms_driver *dr, struct vms_chunker *c, char *p,
                           size_t n, unsigned has)
{
	size_t done = 0;
	while (n - done >= VMS_LINE_WINDOW && !dr->capped) {
		size_t k = window_end(p + done);
		feed_line(dr, c, p + done, k, has, true);
		done += k;
	}
	return done;
}

enum vms_eol vms_eol_decide(const char *buf, size_t len, bool eof)
{
	size_t w = len < VMS_EOL_WINDOW ? len : VMS_EOL_WINDOW;
	if (memchr(buf, '\n', w))
		return VMS_EOL_LF;
	if (len < VMS_EOL_WINDOW && !eof)
		return VMS_EOL_UNDECIDED;
	return memchr(buf, '\r', w) ? VMS_EOL_CR : VMS_EOL_LF;
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

/* Feeds every complete line of the chunk, and the windows of a line longer
 * than VMS_LINE_WINDOW; returns the bytes consumed. */
static size_t feed_lines(struct vms_driver *dr, struct vms_chunker *c, bool eof)
{
	char *buf = c->buf, *p = buf, *e = buf + c->len, *nl;
	if (c->eol == VMS_EOL_UNDECIDED &&
	    (c->eol = (uint8_t)vms_eol_decide(c->buf, c->len, eof)) == VMS_EOL_UNDECIDED)
		return 0;
	/* NUL bytes or stray CRs: checked per line only when the chunk has them */
	unsigned has = memchr(buf, '\0', c->len) ? LINE_NUL : 0;
	if (c->eol == VMS_EOL_LF) {
		has |= memchr(buf, '\r', c->len) ? LINE_CR : 0;
		while (p < e && (nl = memchr(p, '\n', (size_t)(e - p)))) {
			p += feed_windows(dr, c, p, (size_t)(nl - p), has);
			feed_line(dr, c, p, (size_t)(nl - p), has, false);
			p = nl + 1;
		}
	} else {
		size_t skip;
		while ((nl = cr_line_end(p, e, eof, &skip)) != NULL) {
			p += feed_windows(dr, c, p, (size_t)(nl - p), has);
			feed_line(dr, c, p, (size_t)(nl - p), has, false);
			p = nl + skip;
		}
	}
	p += feed_windows(dr, c, p, (size_t)(e - p), has);
	return (size_t)(p - buf);
}

void vms_driver_start(struct vms_driver *dr, const char *source,
                      const struct vms_parse_opts *opts)
{
	memset(dr, 0, sizeof(*dr));
	dr->max_lines = opts && opts->max_lines ? opts->max_lines : UINT32_MAX - 1;
	dr->progress = opts ? opts->progress : NULL;
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

/* Gives the lines of areas that inference repaired or could not repair the
 * class they earned (inference itself knows nothing of lines). The area
 * bits are read, not the messages, which may have been capped. */
static void mark_inferred(struct vms_driver *dr)
{
	struct vms_dump *d = dr->d;
	for (size_t i = 0; i < d->areas.n; i++) {
		if (d->src.v[i].repairs & (VMS_R_START | VMS_R_END | VMS_R_SIZE))
			vms_vmi_mark_area(dr->vmi, i, VMS_LINE_REPAIRED);
		if (d->areas.v[i].geom == VMS_GEOM_MISMATCH)
			vms_vmi_mark_area(dr->vmi, i, VMS_LINE_DIAGNOSTIC);
	}
}

/* The running system's version and arch, for its own /proc/vmallocinfo,
 * where the text itself states none (it never does). */
static void running_facts(struct vms_bootlog *log)
{
	struct utsname u;
	if (log->version_text || uname(&u) != 0)
		return;
	log->version_text = vms_arena_strdup(&log->arena, u.release);
	log->version_file = "uname(2)";
	log->version_source = "uname(2) of the running system";
	int v[3] = {0, 0, 0};
	sscanf(u.release, "%d.%d.%d", &v[0], &v[1], &v[2]);
	log->kernel_major = v[0] > 0 && v[0] < 100 ? v[0] : 0;
	log->kernel_minor = log->kernel_major && v[1] >= 0 && v[1] < 1000 ? v[1] : 0;
	log->kernel_patch = log->kernel_major && v[2] >= 0 ? v[2] : 0;
	if (!log->arch_hint && (log->arch_hint = vms_machine_arch(u.machine)) != NULL)
		log->arch_source =
		    vms_arena_printf(&log->arena, "uname(2) machine %s", u.machine);
}

/* The command line the user gave (--cmdline), in place of the input's. */
static void given_cmdline(struct vms_bootlog *log, const char *text)
{
	memset(&log->cmdline, 0, sizeof(log->cmdline));
	vms_cmdline_parse(text, strlen(text), &log->arena, &log->cmdline, NULL);
	log->cmdline.file = "--cmdline";
	log->has_cmdline = true;
}

/* Kinds and sources of the regions the input's own log printed. */
static void settle_regions(struct vms_bootlog *log)
{
	for (size_t i = 0; i < log->regions.n; i++) {
		struct vms_region *r = &log->regions.v[i];
		r->kind = (uint8_t)vms_region_kind_of(r->name);
		r->source = VMS_RS_LOG;
	}
}

struct cut_ctx {
	struct vms_driver *dr;
	const struct vms_parse_opts *opts;
};

static void cut_listings(struct vms_dump *d, void *ctx)
{
	struct cut_ctx *c = ctx;
	vms_listings_find(d, &c->dr->marks, c->opts, c->dr->nlines);
	vms_listings_meminfo(d, &c->dr->cls);
}

struct vms_dump *vms_driver_finish(struct vms_driver *dr,
                                   const struct vms_parse_opts *opts)
{
	struct vms_dump *d = dr->d;
	vms_vmi_flush(dr->vmi);
	vms_logparser_finish(dr->log);
	vms_drop_repeated_listing(d, &dr->cls);
	vms_vmi_tools(dr->vmi);
	settle_regions(d->log);
	if (opts && opts->layout)
		vms_bootlog_merge(d->log, opts->layout, opts->layout_file);
	if (opts && opts->cmdline)
		given_cmdline(d->log, opts->cmdline);
	if (opts && opts->running)
		running_facts(d->log);
	uint64_t before = vms_dump_nr_repairs(d) + vms_dump_nr_diags(d, VMS_SEV_ERROR);
	struct cut_ctx cc = {dr, opts};
	vms_dump_infer_cut(d, opts, cut_listings, &cc);
	if (vms_dump_nr_repairs(d) + vms_dump_nr_diags(d, VMS_SEV_ERROR) != before)
		mark_inferred(dr);
	account(dr);
	vms_listings_account(d, &dr->cls, &dr->nk);
	vms_vmi_free(dr->vmi);
	vms_logparser_free(dr->log);
	free(dr->cls.v);
	free(dr->marks.v);
	free(dr->nk.v);
	return d;
}

void vms_driver_discard(struct vms_driver *dr)
{
	vms_vmi_free(dr->vmi);
	vms_logparser_free(dr->log);
	free(dr->cls.v);
	free(dr->marks.v);
	free(dr->nk.v);
	vms_dump_free(dr->d);
}

int vms_parse_check_opts(const struct vms_parse_opts *o)
{
	if (!o)
		return 0;
	if (o->page_size &&
	    (o->page_size < VMS_PAGE_SIZE_MIN || o->page_size > VMS_PAGE_SIZE_MAX ||
	     (o->page_size & (o->page_size - 1))))
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

/* Bytes text does not hold: NUL and the C0 controls but BEL, BS, TAB, LF,
 * VT, FF, CR and ESC. */
static bool not_text(unsigned char b)
{
	return b < 0x20 && (b < 0x07 || (b > 0x0d && b != 0x1b));
}

/* Binary data starts at buf[b] (input byte consumed + b), its line at k:
 * nothing from k on is read. The message is given when the input ends
 * (vms_chunk_last), after those of the lines before it. */
static void stop_binary(struct vms_driver *dr, struct vms_chunker *c, size_t b, size_t k,
                        size_t span)
{
	const unsigned char *q = (const unsigned char *)c->buf + b;
	size_t nul[2] = {0, 0}, text[2] = {0, 0};
	for (size_t i = 0; i < span; i++) {
		nul[i & 1] += q[i] == 0;
		text[i & 1] += (q[i] >= 0x20 && q[i] < 0x7f) || q[i] == '\n' ||
		               q[i] == '\r' || q[i] == '\t';
	}
	/* ASCII text in UTF-16: every other byte NUL, the others text */
	int z = nul[0] > nul[1] ? 0 : 1;
	bool utf16 = nul[z] > span * 2 / 5 && text[!z] > span * 2 / 5;
	dr->stopped = true;
	dr->bin = (struct vms_binary){
	    .at = c->consumed + b,
	    .line_at = c->consumed + k,
	    .n = span,
	    .bad = c->win_bad,
	    .utf16 = utf16,
	};
	c->len = c->judged = k;
}

static void report_binary(struct vms_driver *dr)
{
	const struct vms_binary *b = &dr->bin;
	dr->d->stopped_at = b->line_at;
	dr->d->stopped =
	    vms_arena_printf(&dr->d->arena, "binary data at byte %" PRIu64, b->at);
	/* about the input, not a line (the line it starts in may hold nothing) */
	vms_dump_diag(dr->d, 0, 0, VMS_SEV_ERROR, "binary-input",
	              "binary data from byte %" PRIu64 " on (%zu of the %zu bytes "
	              "from there are NUL or control bytes): reading stopped, the "
	              "text before it was read%s",
	              b->at, b->bad, b->n,
	              b->utf16 ? "; this looks like UTF-16 text: convert it first "
	                         "(iconv -f UTF-16 -t UTF-8)"
	                       : "");
}

/* Where the line holding buf[b] starts in the buffer (0 when it began in
 * an earlier window). */
static size_t line_start(const struct vms_chunker *c, size_t b)
{
	while (b && c->buf[b - 1] != '\n' &&
	       (c->buf[b - 1] != '\r' || c->eol == VMS_EOL_LF))
		b--;
	return b;
}

/*
 * Looks for binary data in the bytes not judged yet: a NUL from which the
 * next VMS_BIN_SPAN bytes of the input hold more than VMS_BIN_SPAN / 8
 * bytes text does not hold. The rule depends on the bytes only, never on
 * how they arrive: a NUL whose span is not all here waits (with its line)
 * for more input, or for its end. The span's count slides from NUL to NUL,
 * so a capture with many stray NULs costs one pass. Returns how many bytes
 * of the buffer may be read as lines now.
 */
static size_t judge(struct vms_driver *dr, struct vms_chunker *c, bool eof)
{
	const unsigned char *q = (const unsigned char *)c->buf;
	while (c->judged < c->len) {
		const unsigned char *z = memchr(q + c->judged, 0, c->len - c->judged);
		if (!z) {
			c->judged = c->len;
			break;
		}
		size_t b = (size_t)(z - q), hi = b + VMS_BIN_SPAN;
		if (hi > c->len) {
			if (!eof)
				return line_start(c, b); /* wait for the whole span */
			hi = c->len;
		}
		if (c->win_hi <= b || c->win_lo > b)
			c->win_lo = c->win_hi = b, c->win_bad = 0;
		for (; c->win_lo < b; c->win_lo++)
			c->win_bad -= not_text(q[c->win_lo]);
		for (; c->win_hi < hi; c->win_hi++)
			c->win_bad += not_text(q[c->win_hi]);
		if (c->win_bad > VMS_BIN_SPAN / 8) {
			stop_binary(dr, c, b, line_start(c, b), hi - b);
			break;
		}
		c->judged = b + 1;
	}
	return c->len;
}

/* Reads the lines of buf[0..limit) and keeps the rest for later. */
static void consume_to(struct vms_driver *dr, struct vms_chunker *c, size_t limit,
                       bool eof)
{
	size_t len = c->len;
	c->len = limit;
	size_t used = feed_lines(dr, c, eof);
	c->len = len;
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	c->judged -= used < c->judged ? used : c->judged;
	if (c->win_lo < used) /* the span left the buffer: counted again */
		c->win_lo = c->win_hi = c->win_bad = 0;
	else
		c->win_lo -= used, c->win_hi -= used;
	c->consumed += used;
}

void vms_chunk_consume(struct vms_driver *dr, struct vms_chunker *c)
{
	if (dr->stopped)
		c->len = c->judged; /* nothing after binary data is read */
	consume_to(dr, c, dr->stopped ? c->len : judge(dr, c, false), false);
}

void vms_chunk_last(struct vms_driver *dr, struct vms_chunker *c)
{
	if (!dr->stopped)
		judge(dr, c, true);
	else
		c->len = c->judged;
	size_t used = c->len ? feed_lines(dr, c, true) : 0;
	if (used < c->len) { /* a last line without a line end */
		vms_chunk_room(c, 1);
		unsigned has = memchr(c->buf + used, '\0', c->len - used) ? LINE_NUL : 0;
		has |= c->eol == VMS_EOL_LF ? LINE_CR : 0;
		feed_line(dr, c, c->buf + used, c->len - used, has, false);
	} else if (dr->in_line) { /* a long line's last window ended the input */
		end_line(dr);
	}
	if (dr->stopped)
		report_binary(dr);
	if (c->eol == VMS_EOL_CR)
		vms_dump_diag(
		    dr->d, 1, 0, VMS_SEV_NOTE, "cr-line-ends",
		    "the input ends its lines with CR alone (an old Mac file or a "
		    "serial capture): CR, LF and CRLF were all read as line ends");
	vms_prep_free(&c->prep);
	free(c->buf);
}
