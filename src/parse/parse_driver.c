/*
 * parse_driver.c — the parse driver: reads input in chunks, splits it into
 * lines, strips console prefixes, and hands each line to exactly one owner:
 *
 *   noise (blank, fence, prompt, timestamp only, elision)
 *   the boot-log parser (layout block, command line, Memory:, version,
 *                        vmap failures and their call traces)
 *   the vmallocinfo parser (parse_vmi.c)
 *   otherwise prose / unrelated log text (noise)
 *
 * then runs the whole-dump inference and fills the line accounting. Every
 * line gets exactly one class; the class array costs one byte per line.
 * O(input) time; memory = one chunk (or the longest line) + the areas.
 */
#include "parse_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static void set_noise(struct vms_driver *dr, uint32_t no, enum vms_noise_kind k)
{
	dr->cls.v[no] = VMS_LINE_NOISE;
	dr->d->acct.noise[k]++;
}

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

static void one_line(struct vms_driver *dr, struct vms_line *ln)
{
	vms_line_strip(ln);
	enum vms_line_class c;
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
	}
	/* the log parser rejects "0x" lines in two compares outside a layout
	 * block (arm64 prints "0xA - 0xB (N MB actual)" inside one) */
	if (vms_logparser_line(dr->log, ln, &c)) {
		vms_vmi_flush(dr->vmi);
		dr->cls.v[ln->no] = (uint8_t)c;
		return;
	}
	if (vms_vmi_line(dr->vmi, ln))
		return;
	bool logline =
	    (ln->prefix & (VMS_PFX_TIMESTAMP | VMS_PFX_LOGLEVEL | VMS_PFX_SYSLOG));
	set_noise(dr, ln->no, logline ? VMS_NOISE_LOG : VMS_NOISE_PROSE);
}

/* Reads one line p[0..len) (writable, p[len] writable): drops CR and trailing
 * blanks, replaces inner NUL bytes, NUL-terminates, classifies it. */
static void feed_line(struct vms_driver *dr, char *p, size_t len, bool nul)
{
	if (dr->capped || dr->nlines >= dr->max_lines) {
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
	size_t nuls = 0;
	for (char *z = nul ? memchr(p, '\0', len) : NULL; z;
	     z = memchr(z, '\0', len - (size_t)(z - p))) {
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
static size_t feed_lines(struct vms_driver *dr, char *buf, size_t len)
{
	char *p = buf, *e = buf + len, *nl;
	bool nul = memchr(buf, '\0', len) != NULL; /* binary input: check per line */
	while (p < e && (nl = memchr(p, '\n', (size_t)(e - p)))) {
		feed_line(dr, p, (size_t)(nl - p), nul);
		p = nl + 1;
	}
	return (size_t)(p - buf);
}

void vms_driver_start(struct vms_driver *dr, const char *source,
                      const struct vms_parse_opts *opts)
{
	memset(dr, 0, sizeof(*dr));
	dr->max_lines = opts && opts->max_lines ? opts->max_lines : UINT32_MAX - 1;
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

/* Raises lines whose NUL bytes were replaced from parsed to repaired. */
static void mark_nul_repairs(struct vms_driver *dr)
{
	for (size_t i = 0; i < dr->d->repairs.n; i++) {
		const struct vms_repair *r = &dr->d->repairs.v[i];
		if (strcmp(r->code, "nul-bytes") == 0 && r->line <= dr->nlines &&
		    dr->cls.v[r->line] == VMS_LINE_PARSED)
			dr->cls.v[r->line] = VMS_LINE_REPAIRED;
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

/* uname(2) machine names and the arch names vmscope uses. */
static const char *arch_of_machine(const char *m)
{
	static const struct {
		const char *prefix, *arch;
	} map[] = {
	    {"x86_64", "x86_64"},   {"aarch64", "arm64"}, {"arm64", "arm64"},
	    {"arm", "arm32"},       {"i686", "x86_32"},   {"i586", "x86_32"},
	    {"i486", "x86_32"},     {"i386", "x86_32"},   {"riscv64", "riscv64"},
	    {"riscv32", "riscv32"}, {"ppc64", "ppc64"},   {"ppc", "ppc32"},
	    {"sh", "sh"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strncmp(m, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].arch;
	return NULL;
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
	int v[3] = {0, 0, 0};
	sscanf(u.release, "%d.%d.%d", &v[0], &v[1], &v[2]);
	log->kernel_major = v[0] > 0 && v[0] < 100 ? v[0] : 0;
	log->kernel_minor = log->kernel_major && v[1] >= 0 && v[1] < 1000 ? v[1] : 0;
	log->kernel_patch = log->kernel_major && v[2] >= 0 ? v[2] : 0;
	if (!log->arch_hint)
		log->arch_hint = arch_of_machine(u.machine);
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

struct vms_dump *vms_driver_finish(struct vms_driver *dr,
                                   const struct vms_parse_opts *opts)
{
	struct vms_dump *d = dr->d;
	vms_vmi_flush(dr->vmi);
	vms_logparser_finish(dr->log);
	vms_drop_repeated_listing(d, &dr->cls);
	settle_regions(d->log);
	if (opts && opts->layout)
		vms_bootlog_merge(d->log, opts->layout, opts->layout_file);
	if (opts && opts->running)
		running_facts(d->log);
	uint64_t before = vms_dump_nr_repairs(d) + vms_dump_nr_diags(d, VMS_SEV_ERROR);
	vms_dump_infer(d, opts);
	if (vms_dump_nr_repairs(d) + vms_dump_nr_diags(d, VMS_SEV_ERROR) != before)
		mark_inferred(dr);
	mark_nul_repairs(dr);
	account(dr);
	vms_vmi_free(dr->vmi);
	vms_logparser_free(dr->log);
	free(dr->cls.v);
	return d;
}

void vms_driver_discard(struct vms_driver *dr)
{
	vms_vmi_free(dr->vmi);
	vms_logparser_free(dr->log);
	free(dr->cls.v);
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

void vms_chunk_consume(struct vms_driver *dr, struct vms_chunker *c)
{
	size_t used = feed_lines(dr, c->buf, c->len);
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
}

void vms_chunk_last(struct vms_driver *dr, struct vms_chunker *c)
{
	if (c->len) { /* a last line without newline */
		vms_chunk_room(c, 1);
		feed_line(dr, c->buf, c->len, true);
	}
	free(c->buf);
}
