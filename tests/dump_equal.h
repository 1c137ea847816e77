/*
 * dump_equal.h — asserts that two dumps hold the same result, field by
 * field: areas (names compared as strings: symbol ids are per dump), their
 * sources and NUMA entries, extra words, every stored message and the
 * per-code counts, the accounting, what inference decided, and the boot-log
 * facts. Used where two ways of parsing the same input must agree (file and
 * stdin, one and two threads, any cut). Header-only, for Criterion tests.
 */
#ifndef VMS_TEST_DUMP_EQUAL_H
#define VMS_TEST_DUMP_EQUAL_H

#include <criterion/criterion.h>
#include <string.h>

#include "vmscope/dump.h"

static inline const char *deq_s(const char *s)
{
	return s ? s : "(null)";
}

static inline void deq_areas(const struct vms_dump *x, const struct vms_dump *y,
                             const char *what)
{
	cr_assert_eq(x->areas.n, y->areas.n, "%s: %zu vs %zu areas", what, x->areas.n,
	             y->areas.n);
	for (size_t i = 0; i < x->areas.n; i++) {
		struct vms_area a = x->areas.v[i], b = y->areas.v[i];
		cr_assert_str_eq(deq_s(vms_area_caller(x, &a)),
		                 deq_s(vms_area_caller(y, &b)), "%s: area %zu caller",
		                 what, i);
		cr_assert_str_eq(deq_s(vms_area_module(x, &a)),
		                 deq_s(vms_area_module(y, &b)), "%s: area %zu module",
		                 what, i);
		a.caller = a.module = b.caller = b.module = 0;
		cr_assert(memcmp(&a, &b, sizeof(a)) == 0, "%s: area %zu differs", what,
		          i);
		struct vms_area_src r = x->src.v[i], s = y->src.v[i];
		r.numa = s.numa = 0;
		cr_assert(memcmp(&r, &s, sizeof(r)) == 0,
		          "%s: area %zu source differs (lines %u-%u vs %u-%u)", what, i,
		          r.line, r.last_line, s.line, s.last_line);
		uint32_t nx, ny;
		const struct vms_numa *px = vms_dump_numa(x, i, &nx);
		const struct vms_numa *py = vms_dump_numa(y, i, &ny);
		cr_assert(nx == ny && (!nx || memcmp(px, py, nx * sizeof(*px)) == 0),
		          "%s: area %zu NUMA differs", what, i);
		cr_assert_str_eq(deq_s(vms_dump_extra(x, i)), deq_s(vms_dump_extra(y, i)),
		                 "%s: area %zu extra", what, i);
	}
}

static inline void deq_messages(const struct vms_dump *x, const struct vms_dump *y,
                                const char *what)
{
	cr_assert_eq(x->diags.n, y->diags.n, "%s: %zu vs %zu diagnostics", what,
	             x->diags.n, y->diags.n);
	for (size_t i = 0; i < x->diags.n; i++) {
		const struct vms_diag *a = &x->diags.v[i], *b = &y->diags.v[i];
		cr_assert(a->line == b->line && a->col == b->col && a->area == b->area &&
		              a->severity == b->severity,
		          "%s: diagnostic %zu (%s line %u vs %s line %u)", what, i,
		          a->code, a->line, b->code, b->line);
		cr_assert_str_eq(a->code, b->code, "%s: diagnostic %zu", what, i);
		cr_assert_str_eq(a->message, b->message, "%s: diagnostic %zu", what, i);
	}
	cr_assert_eq(x->repairs.n, y->repairs.n, "%s: %zu vs %zu repairs", what,
	             x->repairs.n, y->repairs.n);
	for (size_t i = 0; i < x->repairs.n; i++) {
		const struct vms_repair *a = &x->repairs.v[i], *b = &y->repairs.v[i];
		cr_assert(a->line == b->line && a->col == b->col && a->area == b->area,
		          "%s: repair %zu (%s line %u vs %s line %u)", what, i, a->code,
		          a->line, b->code, b->line);
		cr_assert_str_eq(a->code, b->code, "%s: repair %zu", what, i);
		cr_assert_str_eq(a->message, b->message, "%s: repair %zu", what, i);
	}
	cr_assert_eq(x->codes.n, y->codes.n, "%s: message codes", what);
	for (size_t i = 0; i < x->codes.n; i++) {
		const struct vms_code_count *a = &x->codes.v[i], *b = &y->codes.v[i];
		cr_assert_str_eq(a->code, b->code, "%s: code %zu", what, i);
		cr_assert(a->stored == b->stored && a->dropped == b->dropped &&
		              a->first_dropped == b->first_dropped,
		          "%s: counts of %s", what, a->code);
	}
}

static inline void deq_log(const struct vms_bootlog *x, const struct vms_bootlog *y,
                           const char *what)
{
	cr_assert_eq(x->regions.n, y->regions.n, "%s: regions", what);
	for (size_t i = 0; i < x->regions.n; i++) {
		const struct vms_region *a = &x->regions.v[i], *b = &y->regions.v[i];
		cr_assert_str_eq(a->name, b->name, "%s: region %zu", what, i);
		cr_assert(a->start == b->start && a->end == b->end &&
		              a->line == b->line && a->kind == b->kind &&
		              a->source == b->source,
		          "%s: region %s", what, a->name);
	}
	cr_assert_eq(x->layout_line, y->layout_line, "%s: layout line", what);
	cr_assert_eq(x->has_cmdline, y->has_cmdline, "%s: command line", what);
	if (x->has_cmdline) {
		cr_assert_str_eq(x->cmdline.text, y->cmdline.text, "%s: cmdline", what);
		cr_assert(x->cmdline.vmalloc == y->cmdline.vmalloc &&
		              x->cmdline.line == y->cmdline.line,
		          "%s: cmdline values", what);
	}
	cr_assert_str_eq(deq_s(x->version_text), deq_s(y->version_text), "%s", what);
	cr_assert_str_eq(deq_s(x->memory_text), deq_s(y->memory_text), "%s", what);
	cr_assert_str_eq(deq_s(x->arch_hint), deq_s(y->arch_hint), "%s", what);
	cr_assert_eq(x->failures.n, y->failures.n, "%s: failures", what);
	for (size_t i = 0; i < x->failures.n; i++) {
		const struct vms_failure *a = &x->failures.v[i], *b = &y->failures.v[i];
		cr_assert(a->size == b->size && a->line == b->line &&
		              a->nr_callers == b->nr_callers,
		          "%s: failure %zu", what, i);
		for (uint32_t k = 0; k < a->nr_callers; k++)
			cr_assert_str_eq(a->callers[k], b->callers[k], "%s: failure %zu",
			                 what, i);
	}
}

/* Asserts x and y are the same result; `what` names the comparison. */
static inline void assert_same_dump(const struct vms_dump *x, const struct vms_dump *y,
                                    const char *what)
{
	deq_areas(x, y, what);
	deq_messages(x, y, what);
	cr_assert(memcmp(&x->acct, &y->acct, sizeof(x->acct)) == 0,
	          "%s: accounting differs", what);
	cr_assert(x->addr_bits == y->addr_bits && x->visibility == y->visibility &&
	              x->page_size == y->page_size && x->sorted == y->sorted &&
	              x->kernel_major == y->kernel_major &&
	              x->kernel_minor == y->kernel_minor,
	          "%s: inference differs", what);
	cr_assert_str_eq(deq_s(x->era), deq_s(y->era), "%s: era", what);
	cr_assert_str_eq(deq_s(x->arch), deq_s(y->arch), "%s: arch", what);
	cr_assert_str_eq(deq_s(x->arch_source), deq_s(y->arch_source), "%s", what);
	cr_assert_str_eq(deq_s(x->stopped), deq_s(y->stopped), "%s: stopped", what);
	cr_assert_eq(x->stopped_at, y->stopped_at, "%s: stopped at", what);
	deq_log(x->log, y->log, what);
}

#endif /* VMS_TEST_DUMP_EQUAL_H */
