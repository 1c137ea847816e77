/*
 * parse_regex.h — internal: the one compile-once PCRE2 helper of the parse
 * stage. A module keeps its patterns in a table (struct vms_regex_set) and
 * matches through vms_regex_match(); the table is compiled (JIT when the
 * library has it) the first time any of its patterns is used.
 *
 * Lifetime: compiled code and the match context live for the whole process
 * (pointers held in the set, so leak checkers see them as reachable); the
 * library registers no atexit handler. Compilation runs under the set's
 * pthread_once, so sets may be used from several parsing threads at once.
 * Patterns are constants: a pattern that fails to compile is a program bug
 * (abort). Out of memory aborts with the project's message (vms_oom).
 *
 * Cost: one anchored match per call, bounded by the set's match limit (a
 * hostile line cannot make it backtrack for long); one small allocation for
 * the match data per call.
 */
#ifndef VMS_PARSE_REGEX_H
#define VMS_PARSE_REGEX_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcre2.h>

enum { VMS_REGEX_MAX = 16 };

struct vms_regex_set {
	const char *const *src;          /* n patterns */
	unsigned n;                      /* at most VMS_REGEX_MAX */
	uint32_t caseless;               /* bit i: pattern i is PCRE2_CASELESS */
	uint32_t match_limit;            /* backtracking budget per match */
	pthread_once_t once;             /* PTHREAD_ONCE_INIT */
	void (*compile)(void);           /* calls vms_regex_compile(this set) */
	pcre2_code *code[VMS_REGEX_MAX]; /* compiled patterns, set by compile */
	pcre2_match_context *mctx;       /* match and depth limits */
};

/* Declares `static struct vms_regex_set NAME` for the n patterns of table
 * src, with its compile thunk (pthread_once takes no argument). */
#define VMS_REGEX_SET(name, src_, n_, caseless_, limit_)                                 \
	static void name##_compile(void);                                                \
	static struct vms_regex_set name = {                                             \
	    .src = (src_),                                                               \
	    .n = (n_),                                                                   \
	    .caseless = (caseless_),                                                     \
	    .match_limit = (limit_),                                                     \
	    .once = PTHREAD_ONCE_INIT,                                                   \
	    .compile = name##_compile,                                                   \
	};                                                                               \
	static void name##_compile(void)                                                 \
	{                                                                                \
		vms_regex_compile(&name);                                                \
	}

/* Compiles every pattern of s (called once, through s->compile). */
void vms_regex_compile(struct vms_regex_set *s);
/* Compiles s now if it was not yet (cheap once done). */
void vms_regex_ready(struct vms_regex_set *s);

/*
 * Matches pattern i of s against subject[0..n) at offset 0. Returns the
 * number of pairs set (>= 1) and copies up to nov offset pairs into ov
 * (PCRE2_UNSET for groups that did not take part), or 0 when there is no
 * match or the match limit was reached. ov may be NULL when nov is 0.
 */
int vms_regex_match(struct vms_regex_set *s, unsigned i, const char *subject, size_t n,
                    size_t *ov, unsigned nov);

/* Length of the match of pattern i at the start of subject, or -1. */
long vms_regex_prefix(struct vms_regex_set *s, unsigned i, const char *subject, size_t n);

#endif /* VMS_PARSE_REGEX_H */
