/*
 * test_parse_regex.c — the compile-once PCRE2 helper (src/parse/parse_regex.c):
 * groups that did not take part are PCRE2_UNSET, the match limit turns
 * catastrophic backtracking into "no match", caseless bits apply per
 * pattern, and two threads racing to the first use get the same results.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>

/* the Makefile gives PCRE2's code unit width to src/parse/ only */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "parse_regex.h"

static const char *const pats[] = {
    "^([a-z]+)(?:=([0-9]+))?",
    "^(?:(?:a+)+x|a+y)$",
    "^snip$",
};
VMS_REGEX_SET(test_re, pats, 3, 1u << 2, 10000)

Test(parse_regex, reports_groups_and_unset_groups)
{
	size_t ov[6];
	cr_assert_eq(vms_regex_match(&test_re, 0, "key=42 rest", 11, ov, 3), 3);
	cr_assert_eq(ov[0], 0);
	cr_assert_eq(ov[1], 6);
	cr_assert_eq(ov[4], 4);
	cr_assert_eq(vms_regex_match(&test_re, 0, "key rest", 8, ov, 3), 2);
	cr_assert_eq(ov[3], 3);
	cr_assert_eq(ov[4], PCRE2_UNSET);
	cr_assert_eq(vms_regex_match(&test_re, 0, "42", 2, ov, 3), 0);
	cr_assert_eq(vms_regex_prefix(&test_re, 0, "abc=1x", 6), 5);
	cr_assert_eq(vms_regex_prefix(&test_re, 0, "=1", 2), -1);
}

static const char *const slow_pats[] = {"^(?:(?:a+)+x|a+y)$"};
VMS_REGEX_SET(slow_re, slow_pats, 1, 0, 100000000)

Test(parse_regex, match_limit_turns_backtracking_into_no_match)
{
	char s[20];
	memset(s, 'a', sizeof(s));
	s[sizeof(s) - 1] = 'y';
	/* the first alternative backtracks 2^19 ways before the second matches */
	cr_assert_eq(vms_regex_match(&test_re, 1, s, sizeof(s), NULL, 0), 0);
	cr_assert_eq(vms_regex_match(&slow_re, 0, s, sizeof(s), NULL, 0), 1);
	cr_assert_eq(vms_regex_match(&test_re, 1, s + 17, 3, NULL, 0), 1);
}

Test(parse_regex, caseless_bit_applies_to_its_pattern_only)
{
	cr_assert_eq(vms_regex_prefix(&test_re, 2, "SNIP", 4), 4);
	cr_assert_eq(vms_regex_prefix(&test_re, 0, "KEY", 3), -1);
}

static const char *const race_pats[] = {"^[0-9]+"};
VMS_REGEX_SET(race_re, race_pats, 1, 0, 1000)

static void *race(void *arg)
{
	long *len = arg;
	*len = vms_regex_prefix(&race_re, 0, "12345x", 6);
	return NULL;
}

Test(parse_regex, first_use_from_two_threads_compiles_once)
{
	pthread_t t[2];
	long len[2] = {0, 0};
	for (int i = 0; i < 2; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, race, &len[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	cr_assert_eq(len[0], 5);
	cr_assert_eq(len[1], 5);
	cr_assert_not_null(race_re.code[0]);
}
