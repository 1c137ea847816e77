/*
 * parse_regex.c — compile-once PCRE2 pattern sets (see parse_regex.h).
 *
 * A set is compiled under its own pthread_once; the compiled code and the
 * match context stay for the process lifetime (no atexit handler: a library
 * must not run code at its caller's exit, and static pointers keep them
 * reachable for leak checkers). Every PCRE2 allocation is checked; a NULL is reported
 * with the project's out-of-memory message (vms_oom).
 */
#include "parse_regex.h"

#include <stdlib.h>

#include "vmscope/common.h"

enum { MATCH_DATA_PAIRS = 16 };

void vms_regex_compile(struct vms_regex_set *s)
{
	if (s->n > VMS_REGEX_MAX)
		abort(); /* a table too large for the set: program bug */
	for (unsigned i = 0; i < s->n; i++) {
		int err;
		PCRE2_SIZE off;
		uint32_t opt = (s->caseless >> i) & 1 ? PCRE2_CASELESS : 0;
		s->code[i] = pcre2_compile((PCRE2_SPTR)s->src[i], PCRE2_ZERO_TERMINATED,
		                           opt, &err, &off, NULL);
		if (!s->code[i]) {
			if (err == PCRE2_ERROR_HEAPLIMIT || err == PCRE2_ERROR_NOMEMORY)
				vms_oom(0);
			abort(); /* constant patterns: a program bug */
		}
		pcre2_jit_compile(s->code[i], PCRE2_JIT_COMPLETE); /* else interpreted */
	}
	s->mctx = pcre2_match_context_create(NULL);
	if (!s->mctx)
		vms_oom(sizeof(void *));
	pcre2_set_match_limit(s->mctx, s->match_limit);
	pcre2_set_depth_limit(s->mctx, s->match_limit);
}

void vms_regex_ready(struct vms_regex_set *s)
{
	pthread_once(&s->once, s->compile);
}

int vms_regex_match(struct vms_regex_set *s, unsigned i, const char *subject, size_t n,
                    size_t *ov, unsigned nov)
{
	vms_regex_ready(s);
	pcre2_match_data *md = pcre2_match_data_create(MATCH_DATA_PAIRS, NULL);
	if (!md)
		vms_oom(MATCH_DATA_PAIRS * 2 * sizeof(PCRE2_SIZE));
	int rc = pcre2_match(s->code[i], (PCRE2_SPTR)subject, n, 0, 0, md, s->mctx);
	if (rc < 0) {
		rc = 0; /* no match, or the match limit was reached */
	} else if (rc == 0) {
		rc = MATCH_DATA_PAIRS; /* more groups than pairs: all pairs are set */
	}
	const PCRE2_SIZE *v = pcre2_get_ovector_pointer(md);
	for (unsigned k = 0; k < 2 * nov; k++)
		ov[k] =
		    k < 2 * (unsigned)rc && k < 2 * MATCH_DATA_PAIRS ? v[k] : PCRE2_UNSET;
	pcre2_match_data_free(md);
	return rc;
}

long vms_regex_prefix(struct vms_regex_set *s, unsigned i, const char *subject, size_t n)
{
	size_t ov[2];
	return vms_regex_match(s, i, subject, n, ov, 1) ? (long)ov[1] : -1;
}
