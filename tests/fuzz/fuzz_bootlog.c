/*
 * fuzz_bootlog.c — libFuzzer target for the boot-log / console-log parser
 * (parse_log.c: layout blocks of every arch, command lines, "Memory:",
 * "Linux version", vmap failures and their call traces).
 *
 * The target drives vms_logparser_* directly, line by line, the way the
 * driver does: the input is copied, split at its line ends (dump_invariants.h:
 * LF, or CR/LF/CRLF in a CR-only input), CR and trailing blanks are cut, NUL
 * bytes and inner CRs become spaces, and each line goes through the line
 * preparer (vms_prep_line/vms_prep_next: normalisation, glued records,
 * context prefixes, prefixes, trailing prompts and cut marks) before its
 * records are offered. Feeding the log parser directly keeps every
 * input byte on the log parser's paths instead of the vmallocinfo parser's.
 *
 * Checked after every line and at the end (abort() on a violation):
 *  - a claimed line reports class parsed, repaired or diagnostic;
 *  - every record's text lies inside its line, NUL-terminated at text[len],
 *    and its columns (vms_line_col) lie inside the line as read;
 *  - every region, command line, failure and diagnostic names a line that
 *    was offered, with non-NULL strings (dump_invariants.h).
 *
 * Build and run: `make fuzz` (see tests/fuzz/README.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_log.h"
#include "vmscope/dump.h"

#include "dump_invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static void fail(const char *why, uint32_t line)
{
	fprintf(stderr, "fuzz_bootlog: invariant violated at line %u: %s\n", line, why);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	vms_lines_init();
	return 0;
}

/* Cuts CR and trailing blanks; NUL bytes and CRs inside become spaces. */
static size_t clean_line(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\0')
			s[i] = ' ';
	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\r')
			s[i] = ' ';
	s[n] = '\0';
	return n;
}

static void check_record(const struct vms_line *ln, const char *line, size_t len,
                         size_t raw_len)
{
	if (!ln->text || ln->raw < line || ln->text < ln->raw ||
	    ln->text + ln->len > line + len)
		fail("record text outside its line", ln->no);
	if (ln->text[ln->len] != '\0')
		fail("record text not NUL-terminated at len", ln->no);
	if (ln->col < 1 || ln->col > raw_len + 1)
		fail("record col outside the line as read", ln->no);
	if (vms_line_col(ln, ln->text + ln->len) > raw_len + 1)
		fail("column of the end of the text outside the line as read", ln->no);
	if (ln->loglevel < -1 || ln->loglevel > 7)
		fail("loglevel out of range", ln->no);
}

/* Offers the records of one line, prepared as the driver does. */
static void offer(struct vms_logparser *p, struct vms_prep *pp, char *s, size_t n,
                  uint32_t no)
{
	struct vms_line ln;
	unsigned ents;
	size_t len = clean_line(s, n);

	vms_prep_line(pp, s, len, no, &ents);
	while (vms_prep_next(pp, &ln)) {
		enum vms_line_class cls = VMS_NR_LINE_CLASSES;
		check_record(&ln, s, len, n);
		vms_inv_sink += (uint64_t)vms_line_noise(&ln);
		if (vms_logparser_line(p, &ln, &cls) && cls != VMS_LINE_PARSED &&
		    cls != VMS_LINE_REPAIRED && cls != VMS_LINE_DIAGNOSTIC)
			fail("claimed line with a class other than "
			     "parsed/repaired/diagnostic",
			     no);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	struct vms_dump *d = vms_dump_new("fuzz");
	struct vms_logparser *p = vms_logparser_new(d);
	struct vms_prep pp = {0};
	uint64_t lines = vms_inv_count_lines((const char *)data, size);
	uint32_t *lens = vms_inv_line_lengths((const char *)data, size, lines);
	size_t start = 0;
	uint32_t no = 0;
	const char *why;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	int cr_only = vms_inv_cr_only(copy, size);
	for (size_t i = 0; i <= size;) {
		size_t eol = i < size ? vms_inv_eol(copy, size, i, cr_only) : 1;
		if (!eol) {
			i++;
			continue;
		}
		if (i == size && start == size)
			break; /* no text after the last line end */
		offer(p, &pp, copy + start, i - start, ++no);
		i += eol;
		start = i;
	}
	vms_logparser_finish(p);
	if (no != lines)
		fail("harness line count disagrees with vms_inv_count_lines", no);

	if ((why = vms_inv_bootlog(d->log, lines)) != NULL ||
	    (why = vms_inv_notes(d, lines, lens)) != NULL)
		fail(why, 0);

	vms_prep_free(&pp);
	vms_logparser_free(p);
	vms_dump_free(d);
	free(lens);
	free(copy);
	return 0;
}
