/*
 * test_emit_diag.c — the parser's diagnostics as the CLI prints them
 * (vms_emit_diags_as()): errors and warnings one by one, notes and repairs
 * grouped by code (count, sentence, first example), and the verbose path,
 * which must stay byte for byte what vms_emit_diags() always printed.
 *
 * Dumps are built by hand with vms_dump_diag() / vms_dump_repair(), so the
 * order of insertion can differ from the order of lines; output is
 * captured with open_memstream() and compared with exact strings.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/dump.h"
#include "vmscope/emit.h"

#define GROUPS  VMS_DIAGS_NOTE_GROUPS
#define ALERTS  VMS_DIAGS_ALERTS
#define VERBOSE (VMS_DIAGS_ALERTS | VMS_DIAGS_NOTES)

/* What vms_emit_diags_as(show) writes for d; a new string (free()). */
static char *show(const struct vms_dump *d, bool color, unsigned what)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	cr_assert_not_null(fp);
	cr_assert_eq(vms_emit_diags_as(fp, d, color, what), 0);
	fclose(fp);
	return buf;
}

static char *show_all(const struct vms_dump *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	cr_assert_not_null(fp);
	cr_assert_eq(vms_emit_diags(fp, d, false), 0);
	fclose(fp);
	return buf;
}

static void expect_show(const struct vms_dump *d, unsigned what, const char *want)
{
	char *got = show(d, false, what);
	cr_expect_str_eq(got, want);
	free(got);
}

static void underscores(struct vms_dump *d, uint32_t line, uint32_t col, const char *from,
                        const char *to)
{
	vms_dump_repair(d, line, col, 0, "caller-underscores",
	                "restored underscores in caller: '%s' -> '%s'", from, to);
}

static void joined(struct vms_dump *d, uint32_t line)
{
	vms_dump_repair(d, line, 1, 0, "joined-lines",
	                "entry wrapped over 2 lines; joined");
}

/* A paste in small: repairs of two codes out of line order, a note, a
 * warning and an error. */
static struct vms_dump *paste(void)
{
	struct vms_dump *d = vms_dump_new("paste.txt");
	underscores(d, 12, 29, "module alloc update bounds",
	            "module_alloc_update_bounds");
	joined(d, 7);
	underscores(d, 3, 40, "of iomap", "of_iomap");
	vms_dump_diag(d, 9, 0, VMS_SEV_WARNING, "line-cut", "line cut at column 80");
	underscores(d, 3, 12, "pcpu get vm areas", "pcpu_get_vm_areas");
	joined(d, 20);
	vms_dump_diag(d, 15, 4, VMS_SEV_NOTE, "extra-words",
	              "kept words the kernel format does not have: 'lowmem'");
	vms_dump_diag(d, 2, 0, VMS_SEV_ERROR, "size-mismatch", "size 9999 disagrees");
	joined(d, 30);
	return d;
}

Test(emit_diag, counts_each_code_once_with_its_first_example)
{
	struct vms_dump *d = paste();
	expect_show(
	    d, GROUPS,
	    "paste.txt: note: 3 callers had underscores restored, e.g. line 3:12: "
	    "'pcpu get vm areas' -> 'pcpu_get_vm_areas' [caller-underscores]\n"
	    "paste.txt: note: 3 entries wrapped over several lines were joined, "
	    "e.g. line 7:1: entry wrapped over 2 lines; joined [joined-lines]\n"
	    "paste.txt:15:4: note: kept words the kernel format does not have: "
	    "'lowmem' [extra-words]\n");
	vms_dump_free(d);
}

Test(emit_diag, the_example_is_the_first_by_line_and_column_not_by_insertion)
{
	struct vms_dump *d = vms_dump_new("t.txt");
	underscores(d, 9, 1, "late one", "late_one");
	underscores(d, 4, 7, "second one", "second_one");
	underscores(d, 4, 2, "first one", "first_one");
	char *got = show(d, false, GROUPS);
	cr_expect(strstr(got, "3 callers had underscores restored, e.g. line 4:2: 'first "
	                      "one' -> 'first_one'") != NULL,
	          "%s", got);
	free(got);
	vms_dump_free(d);
}

Test(emit_diag, groups_come_in_the_order_their_codes_first_appear)
{
	struct vms_dump *d = vms_dump_new("t.txt");
	joined(d, 50); /* inserted first, appears last */
	joined(d, 60);
	vms_dump_repair(d, 5, 0, -1, "zz-late", "late");
	vms_dump_repair(d, 5, 0, -1, "zz-late", "late again");
	vms_dump_repair(d, 5, 0, -1, "aa-early", "same place, inserted after");
	vms_dump_repair(d, 6, 0, -1, "aa-early", "early again");
	char *got = show(d, false, GROUPS);
	const char *late = strstr(got, "[zz-late]");
	const char *early = strstr(got, "[aa-early]");
	const char *lines = strstr(got, "[joined-lines]");
	cr_assert(late && early && lines, "%s", got);
	/* same line and column: the order of insertion decides, not the name */
	cr_expect(late < early && early < lines, "%s", got);
	char *again = show(d, false, GROUPS);
	cr_expect_str_eq(again, got);
	free(again);
	free(got);
	vms_dump_free(d);
}

Test(emit_diag, sentences_come_from_the_table_and_strip_what_they_say)
{
	struct vms_dump *d = vms_dump_new("t.txt");
	vms_dump_repair(d, 1, 5, 0, "module-underscores",
	                "restored underscores in module: '[i2c pxa]' -> '[i2c_pxa]'");
	vms_dump_repair(d, 2, 5, 1, "module-underscores",
	                "restored underscores in module: '[a b]' -> '[a_b]'");
	vms_dump_repair(d, 3, 0, -1, "glued-entries",
	                "16 entries were glued on one line");
	vms_dump_repair(d, 4, 0, -1, "glued-entries", "2 entries were glued on one line");
	/* a message that does not start as the table expects keeps its text */
	vms_dump_repair(d, 5, 9, 2, "caller-underscores", "joined the caller 'a b'");
	vms_dump_repair(d, 6, 9, 3, "caller-underscores", "joined the caller 'c d'");
	expect_show(d, GROUPS,
	            "t.txt: note: 2 module names had underscores restored, e.g. line "
	            "1:5: '[i2c pxa]' -> '[i2c_pxa]' [module-underscores]\n"
	            "t.txt: note: 2 lines held several entries glued together and were "
	            "split, e.g. line 3: 16 entries were glued on one line "
	            "[glued-entries]\n"
	            "t.txt: note: 2 callers had underscores restored, e.g. line 5:9: "
	            "joined the caller 'a b' [caller-underscores]\n");
	vms_dump_free(d);
}

Test(emit_diag, codes_without_a_sentence_read_n_notes_or_n_repairs)
{
	struct vms_dump *d = vms_dump_new("t.txt");
	vms_dump_diag(d, 1, 0, VMS_SEV_NOTE, "zz-new-note", "something about line %d", 1);
	vms_dump_diag(d, 8, 0, VMS_SEV_NOTE, "zz-new-note", "something about line %d", 8);
	vms_dump_repair(d, 2, 3, -1, "zz-new-repair", "fixed a thing");
	vms_dump_repair(d, 4, 3, -1, "zz-new-repair", "fixed another thing");
	expect_show(d, GROUPS,
	            "t.txt: note: 2 notes, e.g. line 1: something about line 1 "
	            "[zz-new-note]\n"
	            "t.txt: note: 2 repairs, e.g. line 2:3: fixed a thing "
	            "[zz-new-repair]\n");
	vms_dump_free(d);
}

Test(emit_diag, a_code_seen_once_prints_its_message_as_the_verbose_line)
{
	struct vms_dump *d = vms_dump_new("t.txt");
	vms_dump_repair(d, 5, 807, 3, "start-from-end-size",
	                "start 0xf000000 -> 0xf0000000");
	vms_dump_diag(d, 6, 0, VMS_SEV_NOTE, "zz-once", "only once");
	char *grouped = show(d, false, GROUPS);
	char *verbose = show(d, false, VERBOSE);
	cr_expect_str_eq(grouped,
	                 "t.txt:5:807: note: repaired: start 0xf000000 -> 0xf0000000 "
	                 "[start-from-end-size]\n"
	                 "t.txt:6: note: only once [zz-once]\n");
	cr_expect_str_eq(grouped, verbose);
	free(grouped);
	free(verbose);
	vms_dump_free(d);
}

Test(emit_diag, errors_and_warnings_stay_one_per_line_before_the_groups)
{
	struct vms_dump *d = paste();
	vms_dump_diag(d, 10, 0, VMS_SEV_WARNING, "line-cut", "line cut at column 80");
	vms_dump_diag(d, 11, 0, VMS_SEV_WARNING, "line-cut", "line cut at column 80");
	const char *alerts = "paste.txt:2: error: size 9999 disagrees [size-mismatch]\n"
	                     "paste.txt:9: warning: line cut at column 80 [line-cut]\n"
	                     "paste.txt:10: warning: line cut at column 80 [line-cut]\n"
	                     "paste.txt:11: warning: line cut at column 80 [line-cut]\n";
	expect_show(d, ALERTS, alerts);
	char *groups = show(d, false, GROUPS);
	char *both = show(d, false, ALERTS | GROUPS);
	char *want = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&want, &len);
	fprintf(fp, "%s%s", alerts, groups);
	fclose(fp);
	cr_expect_str_eq(both, want);
	cr_expect_null(strstr(groups, "warning"), "%s", groups);
	cr_expect_null(strstr(groups, "error"), "%s", groups);
	free(want);
	free(both);
	free(groups);
	vms_dump_free(d);
}

/* The verbose path is what every command printed before the grouping:
 * each message in line order, then the counted-only lines. */
Test(emit_diag, verbose_is_the_per_line_output_unchanged)
{
	struct vms_dump *d = paste();
	for (unsigned i = 0; i < VMS_DIAG_CAP + 2; i++)
		joined(d, 100 + i);
	char *verbose = show(d, false, VERBOSE);
	char *classic = show_all(d);
	cr_expect_str_eq(verbose, classic);
	/* NOTES wins over NOTE_GROUPS */
	char *notes_win = show(d, false, VERBOSE | GROUPS);
	cr_expect_str_eq(notes_win, classic);
	const char *head =
	    "paste.txt:2: error: size 9999 disagrees [size-mismatch]\n"
	    "paste.txt:3:12: note: repaired: restored underscores in caller: 'pcpu get "
	    "vm "
	    "areas' -> 'pcpu_get_vm_areas' [caller-underscores]\n"
	    "paste.txt:3:40: note: repaired: restored underscores in caller: 'of iomap' "
	    "-> "
	    "'of_iomap' [caller-underscores]\n"
	    "paste.txt:7:1: note: repaired: entry wrapped over 2 lines; joined "
	    "[joined-lines]\n"
	    "paste.txt:9: warning: line cut at column 80 [line-cut]\n"
	    "paste.txt:12:29: note: repaired: restored underscores in caller: 'module "
	    "alloc update bounds' -> 'module_alloc_update_bounds' [caller-underscores]\n"
	    "paste.txt:15:4: note: kept words the kernel format does not have: 'lowmem' "
	    "[extra-words]\n"
	    "paste.txt:20:1: note: repaired: entry wrapped over 2 lines; joined "
	    "[joined-lines]\n";
	cr_expect_eq(strncmp(verbose, head, strlen(head)), 0, "%s", verbose);
	char tail[200];
	snprintf(
	    tail, sizeof(tail),
	    "paste.txt:%u: note: 5 more repairs like this from here on were counted, "
	    "not shown (at most %u per code) [joined-lines]\n",
	    100 + VMS_DIAG_CAP - 3, VMS_DIAG_CAP);
	size_t vl = strlen(verbose), tl = strlen(tail);
	cr_expect(vl > tl && strcmp(verbose + vl - tl, tail) == 0, "%s",
	          verbose + vl - tl);
	size_t nl = 0;
	for (const char *p = verbose; *p; p++)
		nl += *p == '\n';
	/* the error, the warning, 3 callers, extra-words, the joined lines
	 * stored, the counted line */
	cr_expect_eq(nl, 6 + VMS_DIAG_CAP + 1);
	free(notes_win);
	free(classic);
	free(verbose);
	vms_dump_free(d);
}

Test(emit_diag, the_count_includes_what_was_only_counted)
{
	struct vms_dump *d = vms_dump_new("t.txt");
	for (unsigned i = 1; i <= VMS_DIAG_CAP + 5; i++)
		underscores(d, i, 9, "a b", "a_b");
	cr_assert_eq(d->repairs.n, VMS_DIAG_CAP);
	char *got = show(d, false, ALERTS | GROUPS);
	char want[200];
	snprintf(want, sizeof(want),
	         "t.txt: note: %u callers had underscores restored, e.g. line 1:9: 'a b' "
	         "-> 'a_b' [caller-underscores]\n",
	         VMS_DIAG_CAP + 5);
	cr_expect_str_eq(got, want);
	free(got);
	vms_dump_free(d);
}

Test(emit_diag, a_code_with_nothing_stored_says_where_it_starts)
{
	struct vms_dump *d = vms_dump_new("t.txt");
	struct vms_code_count c = {.code = "joined-lines",
	                           .severity = VMS_SEV_NOTE,
	                           .repair = true,
	                           .dropped = 3,
	                           .first_dropped = 7};
	vms_vec_push(&d->codes, c);
	expect_show(d, GROUPS,
	            "t.txt: note: 3 entries wrapped over several lines were joined, from "
	            "line 7 on [joined-lines]\n");
	vms_dump_free(d);
}

Test(emit_diag, grouped_lines_are_coloured_as_the_per_line_ones)
{
	struct vms_dump *d = paste();
	char *plain = show(d, false, GROUPS);
	char *color = show(d, true, GROUPS);
	cr_expect_null(strchr(plain, '\033'));
	cr_expect(strstr(color,
	                 "\033[1mpaste.txt:\033[0m \033[1;36mnote:\033[0m 3 callers "
	                 "had underscores restored") != NULL,
	          "%s", color);
	free(plain);
	free(color);
	vms_dump_free(d);
}

Test(emit_diag, the_example_is_escaped)
{
	struct vms_dump *d = vms_dump_new("t.txt");
	underscores(d, 1, 1, "a\x1b[2Jb c", "a_b");
	underscores(d, 2, 1, "x y", "x_y");
	char *got = show(d, false, GROUPS);
	cr_expect_null(strchr(got, '\033'));
	cr_expect(strstr(got, "'a\\x1b[2Jb c' -> 'a_b'") != NULL, "%s", got);
	free(got);
	vms_dump_free(d);
}

Test(emit_diag, nothing_to_show_writes_nothing)
{
	struct vms_dump *d = vms_dump_new("t.txt");
	vms_dump_diag(d, 1, 0, VMS_SEV_WARNING, "line-cut", "cut");
	expect_show(d, GROUPS, "");
	joined(d, 2);
	expect_show(d, ALERTS, "t.txt:1: warning: cut [line-cut]\n");
	vms_dump_free(d);
}
