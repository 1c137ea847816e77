/*
 * parse_boots.c — the same boot twice in one log.
 *
 * Pastes often hold a boot twice: dmesg and then its syslog copy, a serial
 * console that replays the ring buffer, two `dmesg` runs. The facts of the
 * later copy are kept (the last fact wins everywhere in the boot-log
 * parser); this module says that a copy was seen and which facts differ.
 *
 * Boots: a boot starts at its "Linux version" line (facts before the first
 * one, like U-Boot's bootargs, belong to it), or at a second "Kernel command
 * line:" within one boot (a copy without its version line). When a new boot
 * starts, the one before is kept as a snapshot (struct vms_boot). The new
 * boot is a COPY when both version lines are equal, character for character
 * (same kernel build), or when it has none: note "boot-repeated" at its
 * first line. Otherwise another kernel booted: note "boot-another". While
 * a copy is read, each fact is compared with the snapshot as it comes:
 *
 *   command line   another text                -> warning boot-differs
 *   Memory:        another total               -> warning boot-differs
 *   layout region  same name, another range    -> warning boot-differs
 *   failure        same kind, size and text    -> dropped, note failure-repeated
 *
 * The warnings are located at the later copy's line, so that line counts as
 * a diagnostic. Cost: O(1) per fact, O(regions) per region line and
 * O(failures of one boot) per failure; one snapshot is kept.
 */
#include <string.h>

#include "parse_log_int.h"

static bool in_boot(uint32_t line, uint32_t start)
{
	return line && line >= start;
}

/* The layout block of the current boot, copied into the arena. */
static void snapshot_regions(struct vms_logparser *p, struct vms_boot *b, uint32_t start)
{
	struct vms_bootlog *log = p->d->log;
	if (!log->regions.n || !in_boot(log->regions.v[0].line, start))
		return;
	b->nregions = log->regions.n;
	b->regions = vms_arena_alloc(&log->arena, b->nregions * sizeof(*b->regions));
	memcpy(b->regions, log->regions.v, b->nregions * sizeof(*b->regions));
}

/* The current boot ends; its facts become the snapshot; a boot starts at
 * next_start. */
static void close_boot(struct vms_logparser *p, uint32_t next_start)
{
	struct vms_bootlog *log = p->d->log;
	struct vms_boot *b = &p->prev;
	uint32_t s = p->boot_start ? p->boot_start : 1;
	if (p->in_trace)
		vms_failure_close(p); /* a new boot ends any call trace */
	*b = (struct vms_boot){.start = s};
	if (p->version_full && in_boot(log->version_line, s)) {
		b->version = p->version_full;
		b->version_line = log->version_line;
	}
	if (log->has_cmdline && !log->cmdline.from_uboot &&
	    in_boot(log->cmdline.line, s)) {
		b->cmdline = log->cmdline.text;
		b->cmdline_line = log->cmdline.line;
	}
	if (in_boot(log->memory_line, s)) {
		b->memory_kb = log->memory_total_kb;
		b->memory_line = log->memory_line;
	}
	snapshot_regions(p, b, s);
	b->fail_from = p->boot_fail_from;
	b->fail_to = log->failures.n;
	p->have_prev = true;
	p->boot_start = next_start;
	p->boot_kernel_facts = p->boot_kcmdline = false;
	p->boot_fail_from = log->failures.n;
}

/* Length of the release in "Linux version 4.4.9-v7+ (...)", at most 40. */
static int release_len(const char *version)
{
	size_t n = strcspn(version + 14, " \t");
	return n > 40 ? 40 : (int)n;
}

void vms_boot_version(struct vms_logparser *p, const struct vms_line *ln,
                      const char *full)
{
	if (!p->boot_kernel_facts) { /* the first boot, or U-Boot's facts before it */
		p->boot_start = p->boot_start ? p->boot_start : ln->no;
		p->boot_kernel_facts = true;
		return;
	}
	close_boot(p, ln->no);
	p->boot_kernel_facts = true;
	const struct vms_boot *a = &p->prev;
	p->prev_copy = !a->version || strcmp(a->version, full) == 0;
	if (p->prev_copy)
		vms_dump_diag(
		    p->d, ln->no, 0, VMS_SEV_NOTE, "boot-repeated",
		    "this boot repeats the one at line %u (the same kernel build): "
		    "a second copy of the log; its facts are read once and "
		    "those that differ are reported",
		    a->start);
	else
		vms_dump_diag(p->d, ln->no, 0, VMS_SEV_NOTE, "boot-another",
		              "another kernel boots here (%.*s, after %.*s at line %u): "
		              "the facts of the later boot are kept",
		              release_len(full), full + 14, release_len(a->version),
		              a->version + 14, a->version_line);
}

static bool same_text(const char *a, const char *b, size_t bn)
{
	while (bn && (*b == ' ' || *b == '\t'))
		b++, bn--;
	while (bn && (b[bn - 1] == ' ' || b[bn - 1] == '\t'))
		bn--;
	return strlen(a) == bn && memcmp(a, b, bn) == 0;
}

void vms_boot_cmdline(struct vms_logparser *p, const struct vms_line *ln,
                      const char *text, size_t n)
{
	if (p->boot_kcmdline) { /* a second one in one boot: a copy begins */
		close_boot(p, ln->no);
		p->prev_copy = true;
		vms_dump_diag(
		    p->d, ln->no, 0, VMS_SEV_NOTE, "boot-repeated",
		    "a second \"Kernel command line:\" in one boot: a copy of the "
		    "boot that began at line %u starts here; its facts are read "
		    "once and those that differ are reported",
		    p->prev.start);
	}
	p->boot_kcmdline = p->boot_kernel_facts = true;
	const struct vms_boot *a = &p->prev;
	if (!p->have_prev || !p->prev_copy || !a->cmdline ||
	    same_text(a->cmdline, text, n))
		return;
	vms_dump_diag(
	    p->d, ln->no, vms_line_col(ln, text), VMS_SEV_WARNING, "boot-differs",
	    "the second copy of the boot (line %u) has a different command "
	    "line: '%.60s' at line %u, '%.60s' here; the later one is kept",
	    p->boot_start, a->cmdline, a->cmdline_line, text + strspn(text, " \t"));
}

void vms_boot_memory(struct vms_logparser *p, const struct vms_line *ln, uint64_t kb)
{
	const struct vms_boot *a = &p->prev;
	p->boot_kernel_facts = true;
	if (!p->have_prev || !p->prev_copy || !a->memory_line || !a->memory_kb || !kb ||
	    a->memory_kb == kb)
		return;
	vms_dump_diag(p->d, ln->no, ln->col, VMS_SEV_WARNING, "boot-differs",
	              "the second copy of the boot (line %u) has a different Memory: "
	              "total: %llu kB at line %u, %llu kB here; the later one is kept",
	              p->boot_start, (unsigned long long)a->memory_kb, a->memory_line,
	              (unsigned long long)kb);
}

void vms_boot_region(struct vms_logparser *p, const struct vms_line *ln,
                     const struct vms_region *r)
{
	const struct vms_boot *a = &p->prev;
	if (!p->have_prev || !p->prev_copy)
		return;
	for (size_t i = 0; i < a->nregions; i++) {
		const struct vms_region *o = &a->regions[i];
		if (strcmp(o->name, r->name) != 0)
			continue;
		if (o->start != r->start || o->end != r->end)
			vms_dump_diag(
			    p->d, ln->no, ln->col, VMS_SEV_WARNING, "boot-differs",
			    "the second copy of the boot (line %u) has a different "
			    "layout: %s 0x%llx-0x%llx at line %u, 0x%llx-0x%llx here; "
			    "the later one is kept",
			    p->boot_start, r->name, (unsigned long long)o->start,
			    (unsigned long long)o->end, o->line,
			    (unsigned long long)r->start, (unsigned long long)r->end);
		return;
	}
}

bool vms_boot_failure_repeats(struct vms_logparser *p, const struct vms_failure *f)
{
	const struct vms_bootlog *log = p->d->log;
	const struct vms_boot *a = &p->prev;
	if (!p->have_prev || !p->prev_copy)
		return false;
	for (size_t i = a->fail_from; i < a->fail_to && i < log->failures.n; i++) {
		const struct vms_failure *o = &log->failures.v[i];
		if (o->kind == f->kind && o->size == f->size &&
		    strcmp(o->text, f->text) == 0) {
			vms_dump_diag(
			    p->d, f->line, 0, VMS_SEV_NOTE, "failure-repeated",
			    "the same failure as line %u in the first copy of the "
			    "boot: kept once",
			    o->line);
			return true;
		}
	}
	return false;
}

bool vms_boot_new_layout(const struct vms_logparser *p)
{
	const struct vms_bootlog *log = p->d->log;
	uint32_t prev = log->layout_line ? log->layout_line
	                : log->regions.n ? log->regions.v[0].line
	                                 : 0;
	return p->have_prev && prev && prev < p->boot_start;
}

void vms_boot_fact(struct vms_logparser *p)
{
	p->boot_kernel_facts = true;
}
