/*
 * baseline.c — known findings that do not fail a run (`check --baseline
 * FILE`, written by `--write-baseline FILE`). The format is in check.h:
 * one "RULE KEY FILE:LINE: message" line per finding; only RULE and KEY
 * match, the rest is for the people reviewing the file.
 *
 * A baseline is a multiset of (rule, key): a finding listed twice covers
 * two findings. Reading is O(text); applying is O(f log b) with the entries
 * sorted once.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

struct entry {
	uint64_t key;
	uint16_t rule;
	bool used;
};

struct vms_baseline {
	VMS_VEC(struct entry) e;
	bool sorted;
};

int vms_baseline_write(FILE *fp, const struct vms_check_result *const *r, size_t n)
{
	fputs("# vmscope check baseline: RULE KEY FILE:LINE: message\n", fp);
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < r[k]->findings.n; i++) {
			const struct vms_finding *f = &r[k]->findings.v[i];
			fprintf(fp, "%s %016llx %s:%u: ", vms_rules[f->rule].id,
			        (unsigned long long)f->key, f->file, f->line);
			/* one line per entry: a newline in a name cannot split it */
			for (const char *s = f->message; *s; s++)
				fputc(*s == '\n' || *s == '\r' ? ' ' : *s, fp);
			fputc('\n', fp);
		}
	return ferror(fp) ? -VMS_EIO : 0;
}

static int fail(char *err, size_t errlen, size_t line, const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "line %zu: %s", line, why);
	return -1;
}

/* Reads "RULE KEY" at the start of s[0..n). */
static int read_entry(const char *s, size_t n, struct entry *e, char *err, size_t errlen,
                      size_t line)
{
	size_t i = 0;
	while (i < n && s[i] != ' ')
		i++;
	char id[64];
	if (i == 0 || i >= sizeof(id))
		return fail(err, errlen, line, "expected a rule ID");
	memcpy(id, s, i);
	id[i] = '\0';
	int rule = vms_rule_lookup(id);
	if (rule < 0)
		return fail(err, errlen, line, "unknown rule ID");
	size_t k = i + 1, digits = 0;
	uint64_t key = 0;
	for (; k < n && digits < 17; k++, digits++) {
		char ch = s[k];
		unsigned v = ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
		             : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
		                                      : 16u;
		if (v == 16)
			break;
		key = key << 4 | v;
	}
	if (digits != 16 || (k < n && s[k] != ' '))
		return fail(err, errlen, line,
		            "expected a 16-digit hex key after the rule");
	*e = (struct entry){.key = key, .rule = (uint16_t)rule};
	return 0;
}

struct vms_baseline *vms_baseline_read(const char *text, size_t len, char *err,
                                       size_t errlen)
{
	struct vms_baseline *b = vms_xcalloc(1, sizeof(*b));
	size_t line = 0;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		const char *s = text + at;
		at += n + 1;
		line++;
		if (n && s[n - 1] == '\r')
			n--;
		if (n == 0 || s[0] == '#')
			continue;
		struct entry e;
		if (read_entry(s, n, &e, err, errlen, line) < 0) {
			vms_baseline_free(b);
			return NULL;
		}
		vms_vec_push(&b->e, e);
	}
	return b;
}

void vms_baseline_free(struct vms_baseline *b)
{
	if (!b)
		return;
	free(b->e.v);
	free(b);
}

static int cmp_entry(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return (a->key > b->key) - (a->key < b->key);
}

/* First unused entry equal to (rule, key), or NULL. */
static struct entry *find(struct vms_baseline *b, uint16_t rule, uint64_t key)
{
	size_t lo = 0, hi = b->e.n;
	struct entry want = {.rule = rule, .key = key};
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_entry(&b->e.v[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < b->e.n && cmp_entry(&b->e.v[lo], &want) == 0; lo++)
		if (!b->e.v[lo].used)
			return &b->e.v[lo];
	return NULL;
}

void vms_baseline_apply(struct vms_baseline *b, struct vms_check_result *r)
{
	if (!b->sorted && b->e.n > 1)
		qsort(b->e.v, b->e.n, sizeof(*b->e.v), cmp_entry);
	b->sorted = true;
	for (size_t i = 0; i < r->findings.n; i++) {
		struct vms_finding *f = &r->findings.v[i];
		struct entry *e = find(b, f->rule, f->key);
		if (!e)
			continue;
		e->used = true;
		f->baselined = true;
		r->nr_baselined++;
	}
}
