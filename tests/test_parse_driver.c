/*
 * test_parse_driver.c — the line driver (src/parse/parse_driver.c) through
 * vms_parse_buffer and its chunk functions: line ends (LF, CRLF, CR-only
 * input, lone CRs), chunk boundaries anywhere, and the line accounting on
 * whole inputs (fixtures tests/data/log-*.txt). Every parse is checked
 * against tests/fuzz/dump_invariants.h.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/dump_invariants.h"
#include "parse_driver.h"
#include "vmscope/parse.h"

/* ---- helpers ---------------------------------------------------------------- */

static struct vms_dump *parse_bytes(const char *buf, size_t len)
{
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_buffer(buf, len, "test", NULL, &d), 0);
	const char *why = vms_check_dump(d, buf, len);
	cr_assert_null(why, "invariant: %s", why ? why : "");
	return d;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	cr_assert_not_null(fp, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	*len = (size_t)ftell(fp);
	rewind(fp);
	char *buf = malloc(*len + 1);
	cr_assert_eq(fread(buf, 1, *len, fp), *len);
	fclose(fp);
	return buf;
}

/* Parses buf through the chunk functions, step bytes at a time. */
static struct vms_dump *parse_in_steps(const char *buf, size_t len, size_t step)
{
	struct vms_driver dr;
	struct vms_chunker c = {0};
	vms_driver_start(&dr, "test", NULL);
	for (size_t off = 0; off < len; off += step) {
		size_t n = len - off < step ? len - off : step;
		vms_chunk_room(&c, n);
		memcpy(c.buf + c.len, buf + off, n);
		c.len += n;
		vms_chunk_consume(&dr, &c);
	}
	vms_chunk_last(&dr, &c);
	return vms_driver_finish(&dr, NULL);
}

static size_t count_code(const struct vms_dump *d, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < d->diags.n; i++)
		n += strcmp(d->diags.v[i].code, code) == 0;
	for (size_t i = 0; i < d->repairs.n; i++)
		n += strcmp(d->repairs.v[i].code, code) == 0;
	return n;
}

/* ---- line ends -------------------------------------------------------------- */

struct eol_case {
	char in[200];
	unsigned lines;
	unsigned areas;
	char code[16]; /* a note or repair expected ("" for none) */
	unsigned repaired;
};

#define A1 "0xf0000000-0xf0002000    8192 f+0x0/0x10 pages=1 vmalloc"
#define A2 "0xf0002000-0xf0004000    8192 g+0x0/0x10 pages=1 vmalloc"

static struct eol_case eol_cases[] = {
    {A1 "\n" A2 "\n", 2, 2, "", 0},
    {A1 "\r\n" A2 "\r\n", 2, 2, "", 0},
    {A1 "\r\r\n" A2, 2, 2, "", 0},
    {A1 "\r" A2 "\r", 2, 2, "cr-line-ends", 0},
    {A1 "\r" A2 "\r\n" A1, 2, 3, "cr-in-line", 1},
    {A1 "\r\n" A2 "\r" A1 "\n", 2, 3, "cr-in-line", 1},
    {A1 "\rN0=1\n", 1, 1, "cr-in-line", 1},
    {"\r", 1, 0, "cr-line-ends", 0},
    {"\r\n", 1, 0, "", 0},
    {"\n\r", 2, 0, "", 0},
    {"", 0, 0, "", 0},
};

ParameterizedTestParameters(parse_driver, ends_lines_at_lf_crlf_and_cr_only)
{
	return cr_make_param_array(struct eol_case, eol_cases,
	                           sizeof(eol_cases) / sizeof(eol_cases[0]));
}

ParameterizedTest(struct eol_case *c, parse_driver, ends_lines_at_lf_crlf_and_cr_only)
{
	struct vms_dump *d = parse_bytes(c->in, strlen(c->in));
	cr_assert_eq(d->acct.lines, c->lines, "lines %llu",
	             (unsigned long long)d->acct.lines);
	cr_assert_eq(d->areas.n, c->areas, "areas %zu", d->areas.n);
	for (size_t i = 0; i < d->areas.n; i++) {
		cr_assert_null(vms_dump_extra(d, i), "extra '%s'", vms_dump_extra(d, i));
		cr_assert_eq(d->areas.v[i].flags, VMS_F_VMALLOC);
	}
	if (c->code[0])
		cr_assert_geq(count_code(d, c->code), 1, "no %s", c->code);
	cr_assert_eq(count_code(d, "cr-in-line"), c->repaired);
	cr_assert_eq(d->acct.by_class[VMS_LINE_REPAIRED], c->repaired);
	vms_dump_free(d);
}

Test(parse_driver, a_cr_in_a_dump_line_is_a_blank_not_an_extra_word)
{
	size_t len;
	char *buf = slurp("tests/data/log-cr-in-line.txt", &len);
	struct vms_dump *d = parse_bytes(buf, len);
	cr_assert_eq(d->acct.lines, 4);
	cr_assert_eq(d->areas.n, 3);
	const struct vms_area *a = &d->areas.v[1];
	cr_assert_null(vms_dump_extra(d, 1));
	cr_assert_eq(a->flags, VMS_F_VMALLOC);
	uint32_t nr;
	const struct vms_numa *numa = vms_dump_numa(d, 1, &nr);
	cr_assert_eq(nr, 1);
	cr_assert_eq(numa[0].pages, 2);
	cr_assert_null(vms_dump_extra(d, 2));         /* a CR before the LF is dropped */
	cr_assert_eq(count_code(d, "cr-in-line"), 2); /* lines 2 and 4 */
	cr_assert_eq(d->acct.by_class[VMS_LINE_REPAIRED], 1); /* line 2; 4 is noise */
	free(buf);
	vms_dump_free(d);
}

Test(parse_driver, reads_a_cr_only_serial_capture)
{
	size_t len;
	char *buf = slurp("tests/data/log-cr-only-serial-capture.txt", &len);
	struct vms_dump *d = parse_bytes(buf, len);
	cr_assert_eq(d->acct.lines, 6);
	cr_assert_eq(count_code(d, "cr-line-ends"), 1);
	const struct vms_bootlog *log = d->log;
	cr_assert_str_eq(log->version_text, "4.9.88");
	cr_assert(log->cmdline.has_vmalloc);
	cr_assert_eq(log->cmdline.vmalloc, 256u << 20);
	cr_assert_str_eq(log->cmdline.text,
	                 "console=ttymxc0,115200 vmalloc=256M root=/dev/mmcblk1p2");
	const struct vms_region *v = vms_bootlog_region(log, "vmalloc");
	cr_assert_not_null(v);
	cr_assert_eq(v->end, 0xff800000);
	cr_assert_eq(log->regions.n, 2);
	free(buf);
	vms_dump_free(d);
}

/* A CR at the end of one chunk and the LF at the start of the next are one
 * line end: every chunk size gives the parse of the whole buffer. */
Test(parse_driver, chunk_boundaries_never_change_the_result)
{
	static const char *const inputs[] = {
	    A1 "\r\n" A2 "\r\n",
	    A1 "\r" A2 "\r\n" A1 "\r",
	    A1 "\rN0=1\r\n" A2,
	    "\r\n\r\n\r",
	    A1 "\r\r\r\n",
	    "x\r\0y\r\n" A1,
	    "Kernel command line: a\r",
	    "\r",
	};
	static const size_t lens[] = {0, 0, 0, 0, 0, 6 + sizeof(A1) - 1, 0, 0};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		size_t len = lens[i] ? lens[i] : strlen(inputs[i]);
		struct vms_dump *whole = parse_bytes(inputs[i], len);
		uint64_t want = vms_dump_digest(whole);
		for (size_t step = 1; step <= 9; step++) {
			struct vms_dump *d = parse_in_steps(inputs[i], len, step);
			cr_assert_null(vms_check_dump(d, inputs[i], len));
			cr_assert_eq(vms_dump_digest(d), want, "input %zu, step %zu", i,
			             step);
			vms_dump_free(d);
		}
		vms_dump_free(whole);
	}
}

/* The decision window: a CR-only head longer than one chunk read, and an
 * LF beyond the window, keep the input CR-only. */
Test(parse_driver, the_first_window_decides_cr_only_input)
{
	size_t n = VMS_EOL_WINDOW + 100;
	char *buf = malloc(n);
	for (size_t i = 0; i < n; i++)
		buf[i] = i % 10 == 9 ? '\r' : 'a';
	buf[n - 6] = '\r';
	buf[n - 5] = '\n'; /* CRLF: one line end */
	struct vms_dump *d = parse_bytes(buf, n);
	cr_assert_eq(count_code(d, "cr-line-ends"), 1);
	cr_assert_eq(d->acct.lines, vms_inv_count_lines(buf, n));
	cr_assert_gt(d->acct.lines, n / 10 - 1);
	struct vms_dump *s = parse_in_steps(buf, n, 4093);
	cr_assert_eq(vms_dump_digest(s), vms_dump_digest(d));
	vms_dump_free(s);
	vms_dump_free(d);
	buf[50] = '\n'; /* an LF inside the window: LF input, CRs are blanks */
	d = parse_bytes(buf, n);
	cr_assert_eq(d->acct.lines, 3);
	cr_assert_eq(count_code(d, "cr-line-ends"), 0);
	vms_dump_free(d);
	free(buf);
}

/* ---- every log form, whole inputs ------------------------------------------- */

struct form_case {
	char file[48];
	unsigned lines, parsed, repaired, noise, diagnostic;
	char version[16];
	uint64_t vmalloc; /* 0: no vmalloc= known */
	unsigned regions, areas, failures;
	char codes[40]; /* diagnostics or repairs that must be there, blank-separated */
	unsigned metadata, diff;
};

#define MiB(x) ((uint64_t)(x) << 20)
#define V44    "4.4.9-v7+"

static struct form_case form_cases[] = {
    {"log-glued-record.txt", 4, 0, 2, 2, 0, "", MiB(300), 0, 0, 1, "record-split", 0, 0},
    {"log-html-escaped.txt", 6, 0, 5, 1, 0, "", MiB(256), 1, 2, 0, "html-entities", 0, 0},
    {"log-ansi-colored.txt", 9, 8, 0, 1, 0, V44, MiB(512), 5, 0, 0, "", 0, 0},
    {"log-kmsg-records.txt", 7, 3, 1, 3, 0, V44, MiB(384), 5, 0, 1, "layout-unescaped", 2,
     0},
    {"log-logcat-kernel.txt", 11, 9, 0, 2, 0, V44, MiB(400), 5, 0, 1, "", 0, 0},
    {"log-syslog-facility.txt", 8, 7, 0, 1, 0, V44, MiB(320), 4, 0, 0, "", 0, 0},
    {"log-journal-monotonic.txt", 10, 9, 0, 1, 0, V44, MiB(256), 5, 0, 1, "", 0, 0},
    {"log-vendor-prefixes.txt", 8, 8, 0, 0, 0, V44, MiB(288), 5, 0, 0, "", 0, 0},
    {"log-comment-gutter.txt", 10, 9, 0, 1, 0, V44, MiB(272), 5, 1, 0, "", 0, 0},
    {"log-diff-quoted.txt", 13, 4, 0, 9, 0, V44, MiB(480), 0, 2, 0, "", 0, 7},
    {"log-trailing-prompt.txt", 4, 3, 0, 1, 0, "", MiB(256), 0, 2, 0, "", 0, 0},
    {"log-cut-emacs.txt", 6, 1, 0, 0, 5, V44, 0, 0, 2, 0, "line-cut", 0, 0},
    {"log-elisions.txt", 9, 2, 0, 5, 2, "", 0, 0, 3, 0, "orphan-detail range-only", 0, 0},
    {"log-boot-twice-same.txt", 20, 16, 0, 4, 0, V44, MiB(240), 3, 0, 1,
     "boot-repeated failure-repeated", 0, 0},
    {"log-boot-twice-other-cmdline.txt", 19, 11, 0, 5, 3, V44, MiB(496), 3, 0, 0,
     "boot-repeated boot-differs", 0, 0},
};

ParameterizedTestParameters(parse_driver, reads_every_log_form)
{
	return cr_make_param_array(struct form_case, form_cases,
	                           sizeof(form_cases) / sizeof(form_cases[0]));
}

ParameterizedTest(struct form_case *c, parse_driver, reads_every_log_form)
{
	char path[80];
	size_t len;
	snprintf(path, sizeof(path), "tests/data/%s", c->file);
	char *buf = slurp(path, &len);
	struct vms_dump *d = parse_bytes(buf, len);
	const struct vms_accounting *a = &d->acct;
	const struct vms_bootlog *log = d->log;
	cr_assert_eq(a->lines, c->lines, "%s: %llu lines", c->file,
	             (unsigned long long)a->lines);
	cr_assert_eq(a->by_class[VMS_LINE_PARSED], c->parsed, "%s: parsed %llu", c->file,
	             (unsigned long long)a->by_class[VMS_LINE_PARSED]);
	cr_assert_eq(a->by_class[VMS_LINE_REPAIRED], c->repaired, "%s: repaired %llu",
	             c->file, (unsigned long long)a->by_class[VMS_LINE_REPAIRED]);
	cr_assert_eq(a->by_class[VMS_LINE_NOISE], c->noise, "%s: noise %llu", c->file,
	             (unsigned long long)a->by_class[VMS_LINE_NOISE]);
	cr_assert_eq(a->by_class[VMS_LINE_DIAGNOSTIC], c->diagnostic,
	             "%s: diagnostic %llu", c->file,
	             (unsigned long long)a->by_class[VMS_LINE_DIAGNOSTIC]);
	cr_assert_str_eq(log->version_text ? log->version_text : "", c->version, "%s",
	                 c->file);
	cr_assert_eq(log->cmdline.has_vmalloc, c->vmalloc != 0, "%s", c->file);
	cr_assert_eq(log->cmdline.vmalloc,
	             c->vmalloc ? c->vmalloc : log->cmdline.vmalloc);
	cr_assert_eq(log->regions.n, c->regions, "%s: %zu regions", c->file,
	             log->regions.n);
	cr_assert_eq(d->areas.n, c->areas, "%s: %zu areas", c->file, d->areas.n);
	cr_assert_eq(log->failures.n, c->failures, "%s", c->file);
	char codes[sizeof(c->codes)];
	memcpy(codes, c->codes, sizeof(codes));
	for (char *save, *code = strtok_r(codes, " ", &save); code;
	     code = strtok_r(NULL, " ", &save))
		cr_assert_geq(count_code(d, code), 1, "%s: no %s", c->file, code);
	cr_assert_eq(a->noise[VMS_NOISE_METADATA], c->metadata);
	cr_assert_eq(a->noise[VMS_NOISE_DIFF], c->diff);
	free(buf);
	vms_dump_free(d);
}

/* A glued record keeps its line number: the command line ends where its
 * record ends, the failure glued after console text is read, and a line
 * of only noise records is counted once, as noise. */
Test(parse_driver, glued_records_share_their_line)
{
	size_t len;
	char *buf = slurp("tests/data/log-glued-record.txt", &len);
	struct vms_dump *d = parse_bytes(buf, len);
	const struct vms_bootlog *log = d->log;
	cr_assert_str_eq(log->cmdline.text, "console=ttyS0,115200 root=/dev/mmcblk0p2 "
	                                    "vmalloc=300M power_on_threshold=");
	cr_assert_eq(log->failures.v[0].line, 3);
	cr_assert_eq(log->failures.v[0].size, 393216);
	cr_assert_eq(count_code(d, "record-split"), 3);
	const struct vms_repair *r = &d->repairs.v[0];
	cr_assert_eq(r->line, 2);
	cr_assert_eq(r->col, 110); /* the '<' of "<6>[    0.000000]" */
	cr_assert_eq(d->acct.noise[VMS_NOISE_LOG], 2);
	free(buf);
	vms_dump_free(d);
}

/* A command line cut by an editor before its vmalloc= says so, and a value
 * cut short is forgotten rather than read as a smaller size. */
Test(parse_driver, a_cut_command_line_says_what_is_unknown)
{
	size_t len;
	char *buf = slurp("tests/data/log-cut-emacs.txt", &len);
	struct vms_dump *d = parse_bytes(buf, len);
	const struct vms_diag *g = NULL;
	for (size_t i = 0; i < d->diags.n && !g; i++)
		if (d->diags.v[i].line == 2)
			g = &d->diags.v[i];
	cr_assert_not_null(g);
	cr_assert_str_eq(g->code, "line-cut");
	cr_assert_not_null(strstr(g->message, "column 80"), "%s", g->message);
	cr_assert_not_null(strstr(g->message, "vmalloc=/mem= after the cut are unknown"));
	cr_assert_str_eq(d->log->cmdline.text,
	                 "console=ttyS0,115200 root=/dev/mmcblk0p2 ro");
	cr_assert_null(vms_dump_extra(d, 0) ? strchr(vms_dump_extra(d, 0), '$') : NULL);
	free(buf);
	vms_dump_free(d);

	/* the value itself cut: "vmalloc=30$" is not 30 bytes */
	char text[400] = "";
	for (int i = 0; i < 3; i++)
		strcat(text,
		       "[    0.000000] a long line of kernel text that an editor cuts at "
		       "column eighty.$\n"); /* 80 columns */
	strcat(text,
	       "[    0.000000] Kernel command line: console=ttyS0,115200 root=/dev/s "
	       "vmalloc=30$\n");
	d = parse_bytes(text, strlen(text));
	cr_assert(d->log->has_cmdline);
	cr_assert_not(d->log->cmdline.has_vmalloc);
	cr_assert_eq(count_code(d, "line-cut"), 1);
	cr_assert_eq(d->acct.by_class[VMS_LINE_DIAGNOSTIC], 1);
	vms_dump_free(d);
}

/* Columns are those of the line as read, whatever normalisation removed
 * before them (entities, ANSI escapes, invisible characters). */
Test(parse_driver, columns_are_columns_of_the_line_as_read)
{
	const char *in = "&gt; \x1b[1m[    0.000000] \x1b[0mKernel command line: ro "
	                 "vmalloc=&quot;lots&quot;\n";
	struct vms_dump *d = parse_bytes(in, strlen(in));
	const struct vms_diag *g = NULL;
	for (size_t i = 0; i < d->diags.n; i++)
		if (strcmp(d->diags.v[i].code, "cmdline-bad-size") == 0)
			g = &d->diags.v[i];
	cr_assert_not_null(g);
	/* "&gt; " 5, ESC[1m 4, "[    0.000000] " 15, ESC[0m 4, "Kernel command
	 * line: " 21, "ro " 3: the word starts at byte 52 */
	cr_assert_eq(g->col, 53, "col %u", g->col);
	cr_assert_eq(d->acct.by_class[VMS_LINE_DIAGNOSTIC], 1);
	vms_dump_free(d);

	/* the same for a dump line's tokens: a quoted entry with colours and
	 * an entity inside it, whose NUMA count overflows */
	in = "&gt; \x1b[32m0xf0000000-0xf0002000 \x1b[1m8192\x1b[0m f+0x1/0x2 "
	     "&quot;vmalloc&quot; N0=99999999999999999999\x1b[0m\n";
	d = parse_bytes(in, strlen(in));
	g = NULL;
	for (size_t i = 0; i < d->diags.n; i++)
		if (strcmp(d->diags.v[i].code, "number-overflow") == 0)
			g = &d->diags.v[i];
	cr_assert_not_null(g);
	cr_assert_eq(d->areas.n, 1);
	cr_assert_eq(d->src.v[0].col, 11, "range col %u", d->src.v[0].col);
	const char *at = strstr(in, "N0=");
	cr_assert_geq(g->col, (uint32_t)(at - in) + 1, "col %u", g->col);
	cr_assert_leq(g->col, (uint32_t)(at - in) + 4, "col %u", g->col);
	vms_dump_free(d);
}

/* ---- long lines and binary input ------------------------------------------- */

/* n glued 32-bit entries on one line (a paste that lost its line ends),
 * then extra lines after it; returns the buffer and its length. */
static char *glued_line(size_t n, const char *after, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	for (size_t i = 0; i < n; i++) {
		unsigned long long a = 0x80000000ull + i * 0x2000;
		fprintf(f, "0x%08llx-0x%08llx 8192 fn_%zu+0x1/0x2 pages=1 vmalloc ", a,
		        a + 0x2000, i % 97);
	}
	fputs(after, f);
	fclose(f);
	return buf;
}

/* An 11 MB line is read in windows: the buffer never holds more than a
 * window and a chunk, however the bytes arrive, and every entry is found. */
Test(parse_driver, a_long_line_is_read_in_windows_with_a_bounded_buffer)
{
	size_t len, n = 200000;
	char *buf = glued_line(n, "\n" A1 "\n", &len);
	cr_assert_gt(len, 10 * VMS_LINE_WINDOW);
	struct vms_driver dr;
	struct vms_chunker c = {0};
	size_t peak = 0;
	vms_driver_start(&dr, "test", NULL);
	for (size_t off = 0; off < len; off += 65536) {
		size_t k = len - off < 65536 ? len - off : 65536;
		vms_chunk_room(&c, k);
		memcpy(c.buf + c.len, buf + off, k);
		c.len += k;
		vms_chunk_consume(&dr, &c);
		peak = c.cap > peak ? c.cap : peak;
	}
	vms_chunk_last(&dr, &c);
	struct vms_dump *d = vms_driver_finish(&dr, NULL);
	cr_assert_null(vms_check_dump(d, buf, len));
	cr_expect_leq(peak, 2 * (size_t)VMS_LINE_WINDOW + VMS_CHUNK,
	              "the buffer grew to %zu bytes", peak);
	cr_expect_eq(d->areas.n, n + 1, "%zu areas", d->areas.n);
	cr_expect_eq(d->acct.lines, 2);
	cr_expect_eq(count_code(d, "long-line"), 1);
	cr_expect_eq(d->acct.by_class[VMS_LINE_DIAGNOSTIC], 1, "the long line");
	cr_expect_eq(d->acct.by_class[VMS_LINE_PARSED], 1, "the line after it");
	vms_dump_free(d);
	free(buf);
}

/* Window cuts depend on the line's bytes only: any arrival gives the parse
 * of the whole buffer, also for lines of exactly one window and more. */
Test(parse_driver, window_cuts_do_not_depend_on_how_the_bytes_arrive)
{
	size_t len;
	char *buf = glued_line(40000, "tail words\n" A1, &len);
	size_t w = VMS_LINE_WINDOW;
	/* a blank-free line of exactly one window, then one of one more byte */
	char *two = malloc(2 * w + 8);
	memset(two, 'x', 2 * w + 3);
	two[w] = '\n';
	two[2 * w + 2] = '\n';
	struct {
		const char *buf;
		size_t len;
	} in[] = {{buf, len}, {two, 2 * w + 3}};
	static const size_t steps[] = {4096, 65536, 700001, 1 << 20, 3 << 20};
	for (size_t i = 0; i < 2; i++) {
		struct vms_dump *whole = parse_bytes(in[i].buf, in[i].len);
		uint64_t want = vms_dump_digest(whole);
		for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
			struct vms_dump *d =
			    parse_in_steps(in[i].buf, in[i].len, steps[s]);
			cr_assert_null(vms_check_dump(d, in[i].buf, in[i].len));
			cr_expect_eq(vms_dump_digest(d), want, "input %zu, step %zu", i,
			             steps[s]);
			vms_dump_free(d);
		}
		cr_expect_eq(count_code(whole, "long-line"), i ? 2 : 1);
		vms_dump_free(whole);
	}
	free(buf);
	free(two);
}

/* Binary data stops the reading where its line starts; the text before it
 * is read, and the invariants hold for the bytes read. */
Test(parse_driver, binary_data_stops_the_reading_at_its_line)
{
	size_t text_len = 3 * (sizeof(A1 "\n") - 1), len = text_len + 200000;
	char *buf = calloc(1, len);
	memcpy(buf, A1 "\n" A2 "\n" A1 "\n", text_len);
	struct vms_dump *d = parse_bytes(buf, len);
	cr_expect_eq(d->areas.n, 3);
	cr_expect_eq(d->acct.lines, 3);
	cr_assert_not_null(d->stopped);
	cr_expect_eq(d->stopped_at, text_len);
	cr_expect_eq(count_code(d, "binary-input"), 1);
	vms_dump_free(d);
	/* the same with the binary data starting inside a line: that line is
	 * not read */
	memcpy(buf + text_len, "abc", 3);
	d = parse_bytes(buf, len);
	cr_expect_eq(d->acct.lines, 3);
	cr_expect_eq(d->stopped_at, text_len);
	vms_dump_free(d);
	free(buf);
}

/* A stream that never ends (/dev/zero) stops at once. */
Test(parse_driver, dev_zero_stops_at_once)
{
	struct vms_dump *d = NULL;
	cr_assert_eq(vms_parse_file("/dev/zero", NULL, &d), 0);
	cr_expect_eq(d->acct.lines, 0);
	cr_expect_eq(d->stopped_at, 0);
	cr_expect_str_eq(d->stopped, "binary data at byte 0");
	cr_expect_eq(count_code(d, "binary-input"), 1);
	vms_dump_free(d);
}

/* Stray NULs of a serial capture are blanks, not binary data; UTF-16 text is
 * binary, with a hint to convert it. */
Test(parse_driver, stray_nuls_are_text_utf16_is_named)
{
	size_t n = 4000, len;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);
	for (size_t i = 0; i < n; i++) {
		unsigned long long a = 0xf0000000ull + i * 0x2000;
		fprintf(f, "0x%08llx-0x%08llx 8192 f+0x1/0x2 pages=1 vmalloc%s\n", a,
		        a + 0x2000, i % 3 ? "" : " \0\0\0\0");
		if (i % 3 == 0)
			fwrite("\0\0\0\0\0\0", 1, 6, f);
	}
	fclose(f);
	struct vms_dump *d = parse_bytes(buf, len);
	cr_expect_null(d->stopped, "%s", d->stopped);
	cr_expect_eq(d->areas.n, n);
	cr_expect_gt(count_code(d, "nul-bytes"), 0);
	vms_dump_free(d);
	free(buf);

	/* "0x" ... in UTF-16LE with a byte order mark */
	size_t m = 2 + 2 * 8000;
	char *u = malloc(m);
	u[0] = (char)0xff, u[1] = (char)0xfe;
	for (size_t i = 2; i < m; i += 2)
		u[i] = A1 "\n"[(i / 2) % (sizeof(A1 "\n") - 1)], u[i + 1] = 0;
	d = parse_bytes(u, m);
	cr_assert_not_null(d->stopped);
	bool hint = false;
	for (size_t i = 0; i < d->diags.n; i++)
		hint |= strstr(d->diags.v[i].message, "UTF-16") != NULL;
	cr_expect(hint, "the message names UTF-16");
	vms_dump_free(d);
	/* every other byte NUL, the others not text (a program's tables) */
	for (size_t i = 2; i < m; i += 2)
		u[i] = (char)(1 + i % 6), u[i + 1] = 0;
	d = parse_bytes(u, m);
	cr_assert_not_null(d->stopped);
	for (size_t i = 0; i < d->diags.n; i++)
		cr_expect_null(strstr(d->diags.v[i].message, "UTF-16"), "%s",
		               d->diags.v[i].message);
	vms_dump_free(d);
	free(u);
}
