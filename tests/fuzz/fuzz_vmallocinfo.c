/*
 * fuzz_vmallocinfo.c — libFuzzer target for the whole text parser
 * (vms_parse_buffer: line splitting, prefix stripping, the vmallocinfo line
 * parser with its repairs, and the boot-log parser it shares lines with).
 *
 * Every input is parsed, the result is checked against the invariants of
 * dump_invariants.h (line accounting, line/column bounds, non-NULL strings,
 * ranges of enums), then written to a file and parsed again the way big
 * files are, by two threads cut at an offset the input picks, and compared
 * by digest: the split must change nothing, and hidden state between parses
 * shows up too. Then the address-space model is built and validated from
 * scratch (trees, order, holes), the checker runs on it, and the report is
 * built and written in every format (its sums checked: kinds against the
 * total, hole causes against the free bytes). A violation calls abort(),
 * which libFuzzer reports as a crash and saves as an artifact.
 *
 * Options: an input starting with the byte 0xFF selects parse options from
 * its next three bytes (page size, kernel era, arch); the text starts after
 * them. Any other input is parsed with opts == NULL, like the CLI default.
 *
 * Build and run: `make fuzz` (see tests/fuzz/README.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "vmscope/aspace.h"
#include "vmscope/check.h"
#include "vmscope/emit_report.h"
#include "vmscope/parse.h"
#include "vmscope/report.h"

#include "dump_invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why, const struct vms_dump *d)
{
	fprintf(stderr, "fuzz_vmallocinfo: invariant violated: %s\n", why);
	if (d)
		fprintf(stderr, "  lines=%llu areas=%zu diags=%zu repairs=%zu\n",
		        (unsigned long long)d->acct.lines, d->areas.n, d->diags.n,
		        d->repairs.n);
	abort();
}

/* Decodes the optional 0xFF option header; returns bytes consumed. */
static size_t pick_opts(const uint8_t *data, size_t size, struct vms_parse_opts *o)
{
	static const uint64_t pages[] = {0, 4096, 16384, 65536};
	static const int eras[][2] = {{0, 0}, {2, 6}, {3, 10}, {4, 13},
	                              {5, 4}, {6, 9}, {6, 16}, {99, 99}};
	static const char *const arches[] = {NULL,     "arm32",   "arm64", "x86_32",
	                                     "x86_64", "riscv64", "ppc32", "bogus"};

	if (size < 4 || data[0] != 0xFF)
		return 0;
	o->page_size = pages[data[1] & 3];
	o->kernel_major = eras[data[2] & 7][0];
	o->kernel_minor = eras[data[2] & 7][1];
	o->arch = arches[data[3] & 7];
	return 4;
}

/* The report of the model: its sums, and every writer on it. */
static void report(const struct vms_aspace *m, const struct vms_check_result *f,
                   const struct vms_dump *d)
{
	struct vms_report *r = vms_report_build(m, f);
	uint64_t bytes = 0;
	for (unsigned k = 0; k < VMS_NR_AKINDS; k++)
		bytes += r->kinds[k].bytes;
	if (bytes != r->total.bytes || r->total.count != d->areas.n)
		fail("report kinds do not add up to the total", d);
	for (size_t i = 0; i < r->windows.n; i++) {
		uint64_t free_bytes = 0;
		for (unsigned c = 0; c < VMS_NR_HOLE_CAUSES; c++)
			free_bytes += r->windows.v[i].causes[c].bytes;
		if (free_bytes != r->windows.v[i].free)
			fail("report hole causes do not add up to the free bytes", d);
	}
	FILE *out = fopen("/dev/null", "w");
	if (!out)
		fail("cannot open /dev/null", d);
	const struct vms_report *one[1] = {r};
	struct vms_report_view v = {
	    .top = 3, .holes = true, .unicode = true, .width = 60};
	if (vms_emit_report_text(out, one, 1, &v) ||
	    vms_emit_report_json(out, one, 1, &v) ||
	    vms_emit_report_csv(out, one, 1, &v) ||
	    vms_emit_report_prometheus(out, one, 1, &v))
		fail("a report writer failed on /dev/null", d);
	fclose(out);
	vms_report_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vms_parse_opts opts = {0};
	size_t skip = pick_opts(data, size, &opts);
	const char *buf = (const char *)data + skip;
	size_t len = size - skip;
	struct vms_dump *d = NULL, *again = NULL;
	const char *why;
	int rc;

	rc = vms_parse_buffer(buf, len, "fuzz", skip ? &opts : NULL, &d);
	if (rc != 0) {
		/* Only bad options may be refused. */
		if (!skip || rc != -VMS_EINVAL)
			fail("vms_parse_buffer failed on text input", NULL);
		vms_dump_free(d);
		return 0;
	}
	if ((why = vms_check_dump(d, buf, len)) != NULL)
		fail(why, d);

	/* the same bytes as a file, split by two threads where the input says */
	char path[] = "/tmp/vmscope-fuzz-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		fail("cannot write the input to a temporary file", d);
	close(fd);
	struct vms_parse_opts split = opts;
	split.split_at = len > 1 ? 1 + (vms_dump_digest(d) ^ len) % (len - 1) : 0;
	rc = vms_parse_file(path, &split, &again);
	unlink(path);
	if (rc != 0 || !again)
		fail("the two-thread parse of the same input failed", d);
	if (vms_dump_digest(d) != vms_dump_digest(again))
		fail("the two-thread parse differs from the one-thread parse", d);

	/* the model and the checker on whatever the parser made of it */
	struct vms_aspace *m = vms_aspace_build(d, NULL);
	char reason[160];
	if (vms_aspace_validate(m, reason, sizeof(reason)) != 0)
		fail(reason, d);
	struct vms_check_result *r = vms_check_run(m, NULL);
	for (size_t i = 0; i < r->findings.n; i++)
		if (!r->findings.v[i].message || r->findings.v[i].rule >= vms_nr_rules)
			fail("a finding without a message or rule", d);
	report(m, r, d);
	vms_check_result_free(r);
	vms_aspace_free(m);

	vms_inv_sink += vms_dump_digest(d);
	vms_dump_free(again);
	vms_dump_free(d);
	return 0;
}
