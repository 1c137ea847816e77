/*
 * parse_cmdline.c — the one kernel command-line reader (vms_cmdline_parse,
 * contract in vmscope/parse.h), used by the boot-log parser for every
 * "Kernel command line:", "Command line:" and U-Boot bootargs line, and by
 * the CLI for --cmdline.
 *
 * Words follow the kernel's next_arg() (kernel/params.c): blanks split
 * words except inside double quotes; a word that starts with a quote, or a
 * value that starts with one, loses the opening and the closing quote. A
 * bare "--" ends the kernel's own parameters (parse_args() hands the rest to
 * init). Each known key keeps its last value, as the early_param handlers
 * (arm's early_vmalloc(), early_mem(); arm64's early_mem(); the CMA
 * early_cma()) overwrite one variable per occurrence. Values are read with
 * vms_memparse(), the kernel's memparse() without wrapping.
 *
 * Cost: O(len); one arena string per kept value.
 */
#include <string.h>

#include "numbers.h"
#include "vmscope/parse.h"

/* One word: its extent as written, and key/value after quote removal. */
struct cl_word {
	const char *p, *e;    /* the word as written, quotes included */
	const char *key, *ke; /* "vmalloc" */
	const char *val, *ve; /* "300M"; NULL when the word has no '=' */
};

static const char R_EMPTY[] = "no value after '='";
static const char R_NAN[] = "not a number (the kernel's memparse() would read 0)";
static const char R_RANGE[] = "does not fit in 64 bits (more than 16 EiB; the kernel "
                              "would wrap it): ignored";
static const char R_JUNK[] = "text after the size, which the kernel ignores";
static const char R_START[] = "the start address after the size is not a number";
static const char R_START_RANGE[] = "the start address after the size does not fit "
                                    "in 64 bits: ignored";

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Reads the word at s (blanks skipped); NULL when only blanks are left. */
static const char *next_word(const char *s, const char *e, struct cl_word *w)
{
	while (s < e && is_space(*s))
		s++;
	if (s == e)
		return NULL;
	bool quoted = *s == '"', in_quote = quoted;
	const char *a = s + quoted, *q = a, *eq = NULL;
	for (; q < e && (in_quote || !is_space(*q)); q++) {
		if (!eq && *q == '=' && q > a)
			eq = q;
		if (*q == '"')
			in_quote = !in_quote;
	}
	*w = (struct cl_word){.p = s, .e = q, .key = a, .ke = eq ? eq : q};
	if (eq) {
		const char *v = eq + 1, *ve = q;
		if (v < ve && *v == '"') {
			v++;
			ve -= ve > v && ve[-1] == '"';
		}
		ve -= quoted && ve > v && ve[-1] == '"';
		w->val = v;
		w->ve = ve;
	}
	return q;
}

static bool key_is(const struct cl_word *w, const char *k)
{
	size_t n = strlen(k);
	return (size_t)(w->ke - w->key) == n && memcmp(w->key, k, n) == 0;
}

static void note_bad(struct vms_cmdline_bad *bad, const char *text,
                     const struct cl_word *w, const char *reason)
{
	if (bad->count++ == 0) {
		bad->off = (size_t)(w->p - text);
		bad->len = (size_t)(w->e - w->p);
		bad->reason = reason;
	}
}

/* memparse of [v, e): the reason it is bad, or NULL; *rest after the size. */
static const char *size_of(const char *v, const char *e, uint64_t *x, const char **rest)
{
	*rest = v;
	if (v == e)
		return R_EMPTY;
	int rc = vms_memparse(v, e, x, rest);
	return rc == -VMS_EINVAL ? R_NAN : rc == -VMS_ERANGE ? R_RANGE : NULL;
}

static const char *read_vmalloc(struct vms_cmdline *cl, struct vms_arena *ar,
                                const struct cl_word *w)
{
	uint64_t x;
	const char *rest, *why = size_of(w->val, w->ve, &x, &rest);
	cl->has_vmalloc = why == NULL;
	if (why)
		return why;
	cl->vmalloc = x;
	cl->vmalloc_text = vms_arena_strndup(ar, w->val, (size_t)(w->ve - w->val));
	return rest < w->ve ? R_JUNK : NULL;
}

/* "mem=SIZE[@|$|#START]" (x86 also has "mem=nopentium", not a size). */
static const char *read_mem(struct vms_cmdline *cl, struct vms_arena *ar,
                            const struct cl_word *w)
{
	uint64_t x;
	const char *rest;
	if (w->ve - w->val == 9 && memcmp(w->val, "nopentium", 9) == 0)
		return NULL;
	const char *why = size_of(w->val, w->ve, &x, &rest);
	cl->has_mem = why == NULL;
	cl->has_mem_start = false;
	cl->nr_mem++;
	if (why)
		return why;
	cl->mem = x;
	cl->mem_text = vms_arena_strndup(ar, w->val, (size_t)(w->ve - w->val));
	if (rest < w->ve && (*rest == '@' || *rest == '$' || *rest == '#')) {
		const char *why_start = size_of(rest + 1, w->ve, &cl->mem_start, &rest);
		if (why_start)
			return why_start == R_RANGE ? R_START_RANGE : R_START;
		cl->has_mem_start = true;
	}
	return rest < w->ve ? R_JUNK : NULL;
}

int vms_cmdline_parse(const char *text, size_t len, struct vms_arena *arena,
                      struct vms_cmdline *cl, struct vms_cmdline_bad *bad)
{
	const char *s = text, *e = text + len;
	struct cl_word w;
	struct vms_cmdline_bad local = {0};
	uint32_t line = cl->line;
	bool uboot = cl->from_uboot;
	*cl = (struct vms_cmdline){.line = line, .from_uboot = uboot};
	cl->text = vms_arena_strndup(arena, text, len);
	bad = bad ? bad : &local;
	*bad = (struct vms_cmdline_bad){0};
	while ((s = next_word(s, e, &w)) != NULL) {
		const char *why = NULL;
		if (!w.val && w.e - w.p == 2 && memcmp(w.p, "--", 2) == 0)
			break; /* the rest of the line is for init */
		if (!w.val)
			continue;
		if (key_is(&w, "vmalloc"))
			why = read_vmalloc(cl, arena, &w);
		else if (key_is(&w, "mem"))
			why = read_mem(cl, arena, &w);
		else if (key_is(&w, "cma"))
			cl->cma_text =
			    vms_arena_strndup(arena, w.val, (size_t)(w.ve - w.val));
		if (why)
			note_bad(bad, text, &w, why);
	}
	return bad->count ? -VMS_EINVAL : 0;
}
