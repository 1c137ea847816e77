/*
 * check.h — the invariant checker: the rule catalogue (stable IDs, default
 * severities, descriptions; docs/rules.md gives each one's kernel
 * background) and vms_check_run(), which judges one address-space model and
 * returns its findings.
 *
 * Findings are broken kernel invariants, never input mistakes (those stay
 * the parser's diagnostics). A rule that needs real addresses on a dump
 * without them (hashed, zeroed, (ptrval)) is skipped once with the reason,
 * not silently. Cost: O(areas + regions) per run after the model is built.
 */
#ifndef VMS_CHECK_H
#define VMS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmscope/common.h"

struct vms_aspace;

enum vms_check_sev {
	VMS_CHECK_ERROR = 0,
	VMS_CHECK_WARNING,
	VMS_CHECK_INFO,
};
/* "error", "warning", "info". */
const char *vms_check_sev_name(enum vms_check_sev s);
/* Severity named s, or -1. */
int vms_check_sev_lookup(const char *s);

/* What a rule looks at (for grouping in docs and SARIF). */
enum vms_rule_scope {
	VMS_SCOPE_AREA = 0, /* one area */
	VMS_SCOPE_ACROSS,   /* several areas */
	VMS_SCOPE_LAYOUT,   /* the boot layout and vmalloc= */
	VMS_SCOPE_SPACE,    /* thresholds on the whole space */
};

/* One rule of the catalogue (constant data). */
struct vms_rule {
	const char *id;          /* stable: "overlap", "guard-page", ... */
	uint8_t severity;        /* enum vms_check_sev, the default */
	uint8_t scope;           /* enum vms_rule_scope */
	bool needs_addresses;    /* skipped on hashed, zeroed, (ptrval) dumps */
	bool enabled;            /* on by default */
	const char *summary;     /* one line (SARIF shortDescription) */
	const char *description; /* a paragraph (SARIF fullDescription) */
};

extern const struct vms_rule vms_rules[];
extern const size_t vms_nr_rules;
/* Index of rule id in vms_rules, or -1. */
int vms_rule_lookup(const char *id);

/* One finding. */
struct vms_finding {
	uint16_t rule;       /* index into vms_rules */
	uint8_t severity;    /* enum vms_check_sev (the rule's, or as configured) */
	bool baselined;      /* listed in the --baseline file: does not fail */
	uint32_t line;       /* input line, 0 when none */
	const char *file;    /* input name the line is in (borrowed from the
	                        dump or its boot log) */
	int64_t area;        /* area index in the dump, or -1 */
	uint64_t key;        /* stable identity for baselines (no line numbers) */
	const char *message; /* one line naming the numbers; result-owned */
};

/* A rule that could not run on this input, and why (said once). */
struct vms_skip {
	uint16_t rule;
	const char *reason; /* result-owned */
};

struct vms_check_opts {
	/* per rule (index in vms_rules): -1 default, 0 disabled, 1 enabled */
	signed char *enable;       /* NULL: all defaults; else vms_nr_rules entries */
	uint64_t min_largest_hole; /* largest-hole threshold in bytes (0: rule off) */
	unsigned max_usage_pct;    /* usage threshold in percent (0: rule off) */
};

/* Rules a catalogue may hold (room for the ones to come). */
#define VMS_CHECK_MAX_RULES 64

/* The findings on one input. */
struct vms_check_result {
	const char *source; /* the dump's input name (borrowed) */
	struct vms_arena arena;
	VMS_VEC(struct vms_finding) findings; /* ordered by file, line, rule */
	VMS_VEC(struct vms_skip) skipped;
	uint64_t counts[3];    /* findings per severity, baselined and dropped
	                          ones included */
	uint64_t nr_baselined; /* findings matched by the baseline */
	/* per rule: findings counted but not stored (beyond 1000 a rule) */
	uint64_t dropped[VMS_CHECK_MAX_RULES];
};

/*
 * Runs every enabled rule on model m (opts may be NULL: defaults).
 * Returns a new result; free with vms_check_result_free().
 */
struct vms_check_result *vms_check_run(const struct vms_aspace *m,
                                       const struct vms_check_opts *opts);
void vms_check_result_free(struct vms_check_result *r);
/* True when r has a finding at severity at or worse that is not
 * baselined (the exit status 1 of `check --fail-on`). */
bool vms_check_fails(const struct vms_check_result *r, enum vms_check_sev at);

/* ---- Baselines (baseline.c) ------------------------------------------------
 * A baseline lists known findings so that they do not fail a run. It is
 * text, one finding per line: "RULE KEY FILE:LINE: message", KEY being the
 * finding's 16-hex-digit key (rule and message, never the line, so an
 * unrelated edit does not invalidate it); lines starting with '#' and blank
 * lines are comments. A known finding is matched by rule and key, as many
 * times as the baseline lists it. */
struct vms_baseline;

/* Writes the baseline of the n results. Returns 0 or -VMS_EIO. */
int vms_baseline_write(FILE *fp, const struct vms_check_result *const *r, size_t n);
/* Reads a baseline from text[0..len). Returns a new baseline (free with
 * vms_baseline_free()), or NULL with "line N: reason" in err[0..errlen). */
struct vms_baseline *vms_baseline_read(const char *text, size_t len, char *err,
                                       size_t errlen);
void vms_baseline_free(struct vms_baseline *b);
/* Marks the findings of r the baseline lists as baselined (each entry
 * matches one finding) and counts them in r->nr_baselined. */
void vms_baseline_apply(struct vms_baseline *b, struct vms_check_result *r);

#endif /* VMS_CHECK_H */
