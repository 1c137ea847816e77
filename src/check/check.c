/*
 * check.c — runs the rule catalogue on one model (vms_check_run): decides
 * which rules are on, skips the rules that need real addresses on a dump
 * without them (once each, with the reason), runs the rule groups, and
 * keeps the findings in line order with a stable key for baselines.
 *
 * Findings are capped per rule at VMS_CHECK_CAP stored messages (as the
 * parser caps its diagnostics); beyond that they are counted, and one info
 * line says how many were not listed. Cost: O(areas + regions) plus
 * O(f log f) to order f findings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

_Static_assert(R_NR_RULES == 24, "rule indices follow rules.c");

/* FNV-1a over the rule id and the message: the same finding on the same
 * input has the same key whatever line it moved to. */
static uint64_t finding_key(const char *rule, const char *msg)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (const char *s = rule; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	h = (h ^ 0xff) * 0x100000001b3ull;
	for (const char *s = msg; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

void chk_add(struct chk *c, unsigned rule, int64_t area, uint32_t line, const char *file,
             const char *fmt, ...)
{
	struct vms_check_result *r = c->r;
	uint8_t sev = vms_rules[rule].severity;
	r->counts[sev]++;
	if (c->stored[rule] >= VMS_CHECK_CAP) {
		r->dropped[rule]++;
		return;
	}
	c->stored[rule]++;
	va_list ap;
	va_start(ap, fmt);
	const char *msg = vms_arena_vprintf(&r->arena, fmt, ap);
	va_end(ap);
	struct vms_finding f = {
	    .rule = (uint16_t)rule,
	    .severity = sev,
	    .line = line,
	    .file = file ? file : c->d->source,
	    .area = area,
	    .key = finding_key(vms_rules[rule].id, msg),
	    .message = msg,
	};
	vms_vec_push(&r->findings, f);
}

static int cmp_finding(const void *x, const void *y)
{
	const struct vms_finding *a = x, *b = y;
	int fc = strcmp(a->file, b->file);
	if (fc)
		return fc;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return (a->area > b->area) - (a->area < b->area);
}

static void skip(struct chk *c, unsigned rule, const char *why)
{
	struct vms_skip s = {.rule = (uint16_t)rule,
	                     .reason = vms_arena_strdup(&c->r->arena, why)};
	vms_vec_push(&c->r->skipped, s);
	c->on[rule] = false;
}

static void decide(struct chk *c)
{
	const struct vms_check_opts *o = c->o;
	for (unsigned i = 0; i < R_NR_RULES; i++) {
		bool on = vms_rules[i].enabled;
		if (i == R_LARGEST_HOLE)
			on = o && o->min_largest_hole;
		if (i == R_USAGE)
			on = o && o->max_usage_pct;
		if (o && o->enable && o->enable[i] >= 0)
			on = o->enable[i] > 0;
		c->on[i] = on;
	}
	if (c->m->geometry)
		return;
	for (unsigned i = 0; i < R_NR_RULES; i++)
		if (c->on[i] && vms_rules[i].needs_addresses && c->d->areas.n)
			skip(c, i, c->m->no_geometry);
}

struct vms_check_result *vms_check_run(const struct vms_aspace *m,
                                       const struct vms_check_opts *opts)
{
	struct vms_check_result *r = vms_xcalloc(1, sizeof(*r));
	r->source = m->dump->source;
	struct chk c = {.m = m, .d = m->dump, .o = opts, .r = r};
	c.era = m->kernel_major * 100 + m->kernel_minor;
	decide(&c);
	vms_check_areas(&c);
	if (m->geometry)
		vms_check_across(&c);
	vms_check_layout(&c);
	if (m->geometry)
		vms_check_space(&c);
	vms_check_meminfo(&c);
	if (r->findings.n > 1)
		qsort(r->findings.v, r->findings.n, sizeof(*r->findings.v), cmp_finding);
	return r;
}

void vms_check_result_free(struct vms_check_result *r)
{
	if (!r)
		return;
	free(r->findings.v);
	free(r->skipped.v);
	vms_arena_free(&r->arena);
	free(r);
}

bool vms_check_fails(const struct vms_check_result *r, enum vms_check_sev at)
{
	for (size_t i = 0; i < r->findings.n; i++)
		if (!r->findings.v[i].baselined && r->findings.v[i].severity <= at)
			return true;
	for (unsigned i = 0; i < R_NR_RULES; i++)
		if (r->dropped[i] && vms_rules[i].severity <= at)
			return true;
	return false;
}
