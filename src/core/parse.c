/*
 * parse.c — the parse driver: splits the input into lines, strips console
 * prefixes, and hands each line to exactly one owner:
 *
 *   noise (blank, fence, prompt, timestamp only, elision)
 *   the boot-log parser (layout block, command line, Memory:, version,
 *                        vmap failures and their call traces)
 *   the vmallocinfo parser (parse_vmi.c)
 *   otherwise prose / unrelated log text (noise)
 *
 * then runs the whole-dump inference and fills the line accounting. Every
 * line gets exactly one class; the per-line class array costs one byte per
 * line. O(input) time; memory = the input copy + the areas.
 */
#include "vmscope/parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse_lines.h"
#include "parse_log.h"
#include "parse_vmi.h"

enum { CHUNK = 1 << 20 };

struct driver {
	struct vms_dump *d;
	struct vms_logparser *log;
	struct vms_vmi *vmi;
	struct vms_classes cls; /* v[1..n] */
	uint32_t nlines;
	bool capped; /* more than UINT32_MAX - 1 lines: the rest is not read */
};

static void set_noise(struct driver *dr, uint32_t no, enum vms_noise_kind k)
{
	dr->cls.v[no] = VMS_LINE_NOISE;
	dr->d->acct.noise[k]++;
}

static bool starts_with_hex(const struct vms_line *ln)
{
	return ln->len > 2 && ln->text[0] == '0' && (ln->text[1] == 'x' || ln->text[1] == 'X');
}

/* Noise that keeps an entry open (blank, fence, bare timestamp) or breaks it. */
static bool noise_breaks(int kind)
{
	return kind == VMS_NOISE_PROMPT || kind == VMS_NOISE_ELISION;
}

static void one_line(struct driver *dr, struct vms_line *ln)
{
	vms_line_strip(ln);
	if (!starts_with_hex(ln)) {
		int k = vms_line_noise(ln);
		if (k == VMS_NOISE_PROMPT && vms_vmi_line(dr->vmi, ln))
			return; /* "/ # cat proc/vmallocinfo0xbf000000-..." */
		if (k >= 0) {
			if (noise_breaks(k))
				vms_vmi_flush(dr->vmi);
			set_noise(dr, ln->no, (enum vms_noise_kind)k);
			return;
		}
		enum vms_line_class c;
		if (vms_logparser_line(dr->log, ln, &c)) {
			vms_vmi_flush(dr->vmi);
			dr->cls.v[ln->no] = (uint8_t)c;
			return;
		}
	}
	if (vms_vmi_line(dr->vmi, ln))
		return;
	bool logline = (ln->prefix & (VMS_PFX_TIMESTAMP | VMS_PFX_LOGLEVEL | VMS_PFX_SYSLOG));
	set_noise(dr, ln->no, logline ? VMS_NOISE_LOG : VMS_NOISE_PROSE);
}

/* Reads one line p[0..len) (writable, p[len] writable): drops CR and trailing
 * blanks, replaces inner NUL bytes, NUL-terminates, classifies it. */
static void feed_line(struct driver *dr, char *p, size_t len)
{
	if (dr->capped || dr->nlines >= UINT32_MAX - 1) {
		if (!dr->capped)
			vms_dump_diag(dr->d, dr->nlines, 0, VMS_SEV_ERROR, "too-many-lines",
				      "more than %u lines; the rest was not read", dr->nlines);
		dr->capped = true;
		return;
	}
	uint32_t no = ++dr->nlines;
	vms_vec_reserve(&dr->cls, (size_t)no + 1);
	dr->cls.v[no] = VMS_NO_CLASS;
	dr->cls.n = no;
	size_t nuls = 0;
	for (char *z = memchr(p, '\0', len); z; z = memchr(z, '\0', len - (size_t)(z - p))) {
		*z = ' ';
		nuls++;
	}
	if (nuls)
		vms_dump_repair(dr->d, no, 0, -1, "nul-bytes",
				"%zu NUL byte(s) in the line were read as blanks", nuls);
	while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	p[len] = '\0';
	struct vms_line ln = {.no = no, .raw = p, .raw_len = len};
	one_line(dr, &ln);
}

/* Feeds every complete line of buf[0..len); returns the bytes consumed. */
static size_t feed_lines(struct driver *dr, char *buf, size_t len)
{
	char *p = buf, *e = buf + len, *nl;
	while (p < e && (nl = memchr(p, '\n', (size_t)(e - p)))) {
		feed_line(dr, p, (size_t)(nl - p));
		p = nl + 1;
	}
	return (size_t)(p - buf);
}

static void driver_start(struct driver *dr, const char *source)
{
	memset(dr, 0, sizeof(*dr));
	dr->d = vms_dump_new(source);
	vms_vec_reserve(&dr->cls, 1024);
	dr->cls.v[0] = VMS_NO_CLASS;
	vms_lines_init();
	dr->log = vms_logparser_new(dr->d);
	dr->vmi = vms_vmi_new(dr->d, &dr->cls);
}

static void account(struct driver *dr)
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

/* Raises lines whose NUL bytes were replaced from parsed to repaired. */
static void mark_nul_repairs(struct driver *dr)
{
	for (size_t i = 0; i < dr->d->repairs.n; i++) {
		const struct vms_repair *r = &dr->d->repairs.v[i];
		if (strcmp(r->code, "nul-bytes") == 0 && r->line <= dr->nlines &&
		    dr->cls.v[r->line] == VMS_LINE_PARSED)
			dr->cls.v[r->line] = VMS_LINE_REPAIRED;
	}
}

static struct vms_dump *driver_finish(struct driver *dr, const struct vms_parse_opts *opts)
{
	vms_vmi_flush(dr->vmi);
	vms_logparser_finish(dr->log);
	vms_infer_dump(dr->d, dr->vmi, opts);
	mark_nul_repairs(dr);
	account(dr);
	vms_vmi_free(dr->vmi);
	vms_logparser_free(dr->log);
	free(dr->cls.v);
	return dr->d;
}

static int check_opts(const struct vms_parse_opts *o)
{
	if (!o)
		return 0;
	if (o->page_size && (o->page_size < 4096 || (o->page_size & (o->page_size - 1))))
		return -VMS_EINVAL;
	if (o->kernel_major < 0 || o->kernel_minor < 0 || o->kernel_major > 99)
		return -VMS_EINVAL;
	return 0;
}

/*
 * Input arrives in chunks into a buffer the driver owns; complete lines are
 * parsed in place and the partial last line moves to the front. A line
 * longer than the buffer makes it grow, so memory is O(longest line +
 * chunk) beside the areas, whatever the input size.
 */
struct chunker {
	char *buf;
	size_t cap, len;
};

static void chunk_room(struct chunker *c)
{
	if (c->cap - c->len < CHUNK / 2 + 1) {
		c->cap = c->cap ? c->cap * 2 : CHUNK;
		c->buf = vms_xrealloc(c->buf, c->cap);
	}
}

static void chunk_consume(struct driver *dr, struct chunker *c)
{
	size_t used = feed_lines(dr, c->buf, c->len);
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
}

static void chunk_last(struct driver *dr, struct chunker *c)
{
	if (c->len) { /* a last line without newline */
		chunk_room(c);
		feed_line(dr, c->buf, c->len);
	}
	free(c->buf);
}

int vms_parse_buffer(const char *buf, size_t len, const char *source,
		     const struct vms_parse_opts *opts, struct vms_dump **out)
{
	int rc = check_opts(opts);
	if (rc)
		return rc;
	struct driver dr;
	struct chunker c = {0};
	driver_start(&dr, source);
	for (size_t off = 0; off < len;) {
		chunk_room(&c);
		size_t n = len - off < CHUNK / 2 ? len - off : CHUNK / 2;
		memcpy(c.buf + c.len, buf + off, n);
		c.len += n;
		off += n;
		chunk_consume(&dr, &c);
	}
	chunk_last(&dr, &c);
	*out = driver_finish(&dr, opts);
	return 0;
}

int vms_parse_stream(FILE *fp, const char *source, const struct vms_parse_opts *opts,
		     struct vms_dump **out)
{
	int rc = check_opts(opts);
	if (rc)
		return rc;
	struct driver dr;
	struct chunker c = {0};
	driver_start(&dr, source);
	for (;;) {
		chunk_room(&c);
		size_t n = fread(c.buf + c.len, 1, c.cap - c.len - 1, fp);
		if (n == 0)
			break;
		c.len += n;
		chunk_consume(&dr, &c);
	}
	int err = errno;
	bool bad = ferror(fp);
	chunk_last(&dr, &c);
	struct vms_dump *d = driver_finish(&dr, opts);
	if (bad) {
		vms_dump_free(d);
		errno = err;
		return -VMS_EIO;
	}
	*out = d;
	return 0;
}

int vms_parse_file(const char *path, const struct vms_parse_opts *opts,
		   struct vms_dump **out)
{
	if (strcmp(path, "-") == 0)
		return vms_parse_stream(stdin, "-", opts, out);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -VMS_EIO;
	int rc = vms_parse_stream(fp, path, opts, out);
	int err = errno;
	fclose(fp);
	errno = err;
	return rc;
}

int vms_dump_usable(const struct vms_dump *d)
{
	const struct vms_bootlog *l = d->log;
	return d->areas.n || l->regions.n || l->has_cmdline || l->failures.n ||
	       l->version_text || l->memory_text;
}

int vms_parse_kernel_version(const char *s, int *major, int *minor)
{
	char *end;
	if (!s || *s < '0' || *s > '9')
		return -VMS_EINVAL;
	long ma = strtol(s, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9' || ma < 1 || ma > 99)
		return -VMS_EINVAL;
	long mi = strtol(end + 1, &end, 10);
	if (mi < 0 || mi > 99 || (*end && *end != '.' && *end != '-'))
		return -VMS_EINVAL;
	*major = (int)ma;
	*minor = (int)mi;
	return 0;
}
