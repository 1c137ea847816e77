/*
 * parse_infer.c — whole-dump inference (vms_dump_infer()): address width,
 * address visibility (real / restricted / hashed / ptrval) and each area's
 * geometry state, the geometric repairs that need them, page size,
 * ordering, kernel era and arch. It reads only the dump (records and their
 * printed widths), so a parsed dump and one built through the API are
 * inferred alike.
 *
 * One survey pass over the areas gathers every count the decisions need
 * (each extra pass over a million areas costs milliseconds); a second pass
 * sets the geometry state and repairs. Repairs follow one rule: start, end
 * and size are three views of one fact; when two agree, the third is
 * corrected and the repair reported. With hashed or restricted addresses the
 * range carries no geometry, so nothing is "repaired" there.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "parse_driver.h"
#include "vmscope/parse.h"

/* Everything the inference needs, gathered in one pass. */
struct survey {
	size_t n8, n16, big;               /* address width */
	size_t zero, ptrval, real, hashed; /* visibility */
	size_t votes[3];                   /* page size 4K / 16K / 64K */
	size_t inconsistent;               /* areas needing a geometric repair */
	bool sorted;                       /* busy areas ascending by start */
	bool phys0x, physplain, extra, sparse, dma, seen_unp, unp_before_busy;
	size_t x86, arm64; /* arch by address range */
	size_t x86_top;    /* areas at or above 0xffffffff80000000: x86_64 module
	                      space, where arm64 never maps vmalloc areas */
};

static const uint64_t page_cand[3] = {4096, 16384, 65536};

static bool consistent(const struct vms_area *a);
static bool looks_hashed(const struct vms_area *a, uint8_t ws, uint8_t we);

static void survey_geometry(struct survey *s, const struct vms_area *a, uint64_t *last)
{
	if (a->kind != VMS_KIND_UNPURGED) {
		s->sorted &= a->start >= *last;
		*last = a->start;
	}
	uint64_t st = a->start;
	s->x86 += (st >= 0xffffc20000000000ull && st < 0xffffe90000000000ull) ||
	          st >= 0xffffffff80000000ull;
	s->x86_top += st >= 0xffffffff80000000ull;
	s->arm64 +=
	    (st >= 0xffff000000000000ull && st < 0xffff800000000000ull + (1ull << 46)) ||
	    (st >= 0xffffff8000000000ull && st < 0xffffffc000000000ull);
}

/* How one area's addresses were printed (docs/kernel.md §1.4). */
static enum vms_geom area_geom(const struct vms_area *a, uint8_t ws, uint8_t we)
{
	if (ws == 0 && we == 0 && a->start == 0 && a->end == 0 && !a->range_only)
		return VMS_GEOM_PTRVAL;
	if (a->start == 0 && a->end == 0)
		return VMS_GEOM_ZEROED;
	if (consistent(a) || a->range_only || !looks_hashed(a, ws, we))
		return VMS_GEOM_TRUSTED;
	return VMS_GEOM_HASHED;
}

static void survey_one(struct survey *s, struct vms_area *a, uint8_t ws, uint8_t we)
{
	s->n8 += ws == 8;
	s->n16 += ws == 16;
	s->big += a->end > UINT32_MAX;
	bool ok = consistent(a);
	a->geom = area_geom(a, ws, we); /* settle_geometry() revises it when needed */
	switch (a->geom) {
	case VMS_GEOM_PTRVAL:
		s->ptrval++;
		break;
	case VMS_GEOM_ZEROED:
		s->zero++;
		break;
	case VMS_GEOM_HASHED:
		s->hashed++;
		break;
	default:
		s->real++;
	}
	s->inconsistent += !ok && !a->range_only;
	if (a->has_pages) /* pages < 2^32: (pages + 1) * 64 KiB fits 64 bits */
		for (int c = 0; c < 3; c++)
			s->votes[c] += a->size == ((uint64_t)a->pages + 1) * page_cand[c];
	s->phys0x |= a->has_phys && a->phys_form != VMS_PHYS_PLAIN;
	s->physplain |= a->has_phys && a->phys_form == VMS_PHYS_PLAIN;
	s->extra |= a->kind != VMS_KIND_AREA;
	s->sparse |= (a->flags & VMS_F_SPARSE) != 0;
	s->dma |= (a->flags & VMS_F_DMA_COHERENT) != 0;
	if (a->kind == VMS_KIND_UNPURGED)
		s->seen_unp = true;
	else if (s->seen_unp)
		s->unp_before_busy = true;
}

/* The survey of areas [from, to), with what joining it to its neighbours
 * needs: the first and last busy (not unpurged) start. */
struct survey_part {
	struct vms_dump *d;
	size_t from, to;
	struct survey s;
	bool busy; /* a busy area was seen */
	uint64_t first, last;
};

static void *survey_range(void *arg)
{
	struct survey_part *p = arg;
	struct survey *s = &p->s;
	memset(s, 0, sizeof(*s));
	s->sorted = true;
	p->busy = false;
	p->first = p->last = 0;
	for (size_t i = p->from; i < p->to; i++) {
		struct vms_area *a = &p->d->areas.v[i];
		const struct vms_area_src *r = &p->d->src.v[i];
		survey_one(s, a, r->w_start, r->w_end);
		survey_geometry(s, a, &p->last);
		if (a->kind != VMS_KIND_UNPURGED && !p->busy)
			p->busy = true, p->first = a->start;
	}
	return NULL;
}

/* Adds part y, which follows part x, to x. */
static void survey_join(struct survey_part *x, const struct survey_part *y)
{
	struct survey *a = &x->s;
	const struct survey *b = &y->s;
	a->n8 += b->n8, a->n16 += b->n16, a->big += b->big;
	a->zero += b->zero, a->ptrval += b->ptrval, a->real += b->real;
	a->hashed += b->hashed;
	for (int c = 0; c < 3; c++)
		a->votes[c] += b->votes[c];
	a->inconsistent += b->inconsistent;
	a->sorted =
	    a->sorted && b->sorted && (!x->busy || !y->busy || y->first >= x->last);
	a->phys0x |= b->phys0x, a->physplain |= b->physplain, a->extra |= b->extra;
	a->sparse |= b->sparse, a->dma |= b->dma;
	a->unp_before_busy |= b->unp_before_busy || (a->seen_unp && y->busy);
	a->seen_unp |= b->seen_unp;
	a->x86 += b->x86, a->arm64 += b->arm64, a->x86_top += b->x86_top;
	if (y->busy)
		x->first = x->busy ? x->first : y->first, x->last = y->last,
		x->busy = true;
}

enum { SURVEY_SPLIT = 1 << 18 }; /* areas from which a second thread helps */

/* Counts what the decisions need and gives each area its geometry state as
 * printed (one pass; a big dump's second half in a second thread, which is
 * a memory-bound pass over tens of megabytes). */
static void survey(struct vms_dump *d, struct survey *s)
{
	size_t n = d->areas.n, h = n >= SURVEY_SPLIT ? n / 2 : n;
	struct survey_part x = {.d = d, .from = 0, .to = h};
	struct survey_part y = {.d = d, .from = h, .to = n};
	pthread_t th;
	bool threaded = h < n && pthread_create(&th, NULL, survey_range, &y) == 0;
	survey_range(&x);
	if (threaded)
		pthread_join(th, NULL);
	else if (h < n)
		survey_range(&y);
	if (h < n)
		survey_join(&x, &y);
	*s = x.s;
}

/* Order and arch again, after repairs moved some starts. */
static void resurvey_geometry(const struct vms_dump *d, struct survey *s)
{
	uint64_t last = 0;
	s->sorted = true;
	s->x86 = s->arm64 = s->x86_top = 0;
	for (size_t i = 0; i < d->areas.n; i++)
		survey_geometry(s, &d->areas.v[i], &last);
}

static void infer_width(struct vms_dump *d, const struct survey *s)
{
	if (!d->areas.n)
		d->addr_bits = 0;
	else if (s->n16 > s->n8 || (s->n16 == s->n8 && s->big))
		d->addr_bits = 64;
	else
		d->addr_bits = 32;
}

static bool consistent(const struct vms_area *a)
{
	return a->end > a->start && a->end - a->start == a->size;
}

/*
 * Hashed pointers (4.15+, kptr_restrict=0) are printed at full width, start
 * and end hashed independently: end - start is noise, and on 64-bit both
 * have the upper 32 bits zero. A misread real line keeps a page-multiple
 * span or shows a width anomaly (OCR dropped or added a digit).
 */
static bool looks_hashed(const struct vms_area *a, uint8_t ws, uint8_t we)
{
	if (ws != we || (ws != 8 && ws != 16))
		return false;
	if (ws == 16)
		return (a->start >> 32) == 0 && (a->end >> 32) == 0;
	return a->end <= a->start || (a->end - a->start) % 4096 != 0;
}

static void infer_visibility(struct vms_dump *d, const struct survey *s)
{
	size_t n = d->areas.n;
	if (n == 0)
		d->visibility = VMS_VIS_UNKNOWN;
	else if (s->ptrval == n)
		d->visibility = VMS_VIS_PTRVAL;
	else if (s->zero == n)
		d->visibility = VMS_VIS_RESTRICTED;
	else if (s->zero + s->ptrval > 0)
		d->visibility = VMS_VIS_MIXED;
	else if (s->real >= s->hashed)
		d->visibility = VMS_VIS_REAL;
	else
		d->visibility = VMS_VIS_HASHED;
}

static void report(struct vms_dump *d, size_t i, uint16_t bit, const char *code,
                   const char *what, uint64_t from, uint64_t to)
{
	struct vms_area_src *r = &d->src.v[i];
	r->repairs |= bit;
	vms_dump_repair(
	    d, r->line, r->col, (int64_t)i, code,
	    "%s 0x%llx -> 0x%llx (start, end and size disagreed; the other two agree)",
	    what, (unsigned long long)from, (unsigned long long)to);
}

/* One area whose start, end and size disagree, in a dump with real addresses. */
static void repair_one(struct vms_dump *d, size_t i, uint64_t ps)
{
	struct vms_area *a = &d->areas.v[i];
	struct vms_area_src *r = &d->src.v[i];
	uint8_t ws = r->w_start, we = r->w_end, want = (uint8_t)(d->addr_bits / 4);
	uint64_t span = a->end - a->start; /* may wrap: only compared */
	if (ws != want && we == want && a->end >= a->size &&
	    (a->end - a->size) % ps == 0) {
		report(d, i, VMS_R_START, "start-from-end-size", "start", a->start,
		       a->end - a->size);
		a->start = a->end - a->size;
	} else if (we != want && ws == want && a->start <= UINT64_MAX - a->size) {
		report(d, i, VMS_R_END, "end-from-start-size", "end", a->end,
		       a->start + a->size);
		a->end = a->start + a->size;
	} else if (a->end > a->start && span % ps == 0 &&
	           (a->size % ps != 0 ||
	            (a->has_pages && (span == ((uint64_t)a->pages + 1) * ps ||
	                              span == (uint64_t)a->pages * ps)))) {
		r->repairs |= VMS_R_SIZE;
		vms_dump_repair(
		    d, r->line, r->col, (int64_t)i, "size-from-range",
		    "size %llu -> %llu (end - start; the size column was misread)",
		    (unsigned long long)a->size, (unsigned long long)span);
		a->size = span;
	} else {
		a->geom = VMS_GEOM_MISMATCH;
		vms_dump_area_diag(
		    d, (int64_t)i, r->line, r->col, VMS_SEV_ERROR, "size-mismatch",
		    "size %llu disagrees with the range 0x%llx-0x%llx and nothing tells "
		    "which of the three is wrong; kept as printed",
		    (unsigned long long)a->size, (unsigned long long)a->start,
		    (unsigned long long)a->end);
	}
}

/* Revises the geometry states survey() gave once the dump's visibility is
 * known, and repairs the real areas that disagree. A clean dump (nothing
 * hashed-looking, nothing inconsistent) needs no second pass. */
static void settle_geometry(struct vms_dump *d, const struct survey *s)
{
	bool repair = d->visibility == VMS_VIS_REAL && s->inconsistent;
	if (!s->hashed && !s->inconsistent)
		return;
	for (size_t i = 0; i < d->areas.n; i++) {
		struct vms_area *a = &d->areas.v[i];
		/* in a dump of real addresses an area that looks hashed is a
		 * misread real one: repair it like the others */
		if (a->geom == VMS_GEOM_HASHED && d->visibility == VMS_VIS_REAL)
			a->geom = VMS_GEOM_TRUSTED;
		if (a->geom != VMS_GEOM_TRUSTED || a->range_only || consistent(a))
			continue;
		if (repair)
			repair_one(d, i, d->page_size); /* MISMATCH when it cannot */
		else
			a->geom = VMS_GEOM_MISMATCH;
	}
}

/*
 * The page size a kernel release names: distributions build 16K and 64K
 * page kernels as flavours whose release ends in a "-16k" / "-64k" word
 * ("6.2.0-1009-nvidia-64k", "5.15.0-generic-64k", "6.5.0-asahi-16k").
 * 0 when it names none.
 */
static uint64_t release_page_size(const char *release)
{
	static const struct {
		const char *word;
		uint64_t size;
	} flavours[] = {{"-64k", 64u << 10}, {"-16k", 16u << 10}};
	for (size_t i = 0; release && i < sizeof(flavours) / sizeof(flavours[0]); i++) {
		const char *p = strstr(release, flavours[i].word);
		if (p) {
			char after = p[strlen(flavours[i].word)];
			if (!after || after == '-' || after == '+' || after == ' ' ||
			    after == '.')
				return flavours[i].size;
		}
	}
	return 0;
}

static void infer_page_size(struct vms_dump *d, const struct survey *s,
                            const struct vms_parse_opts *o)
{
	if (o && o->page_size) {
		d->page_size = o->page_size;
		return;
	}
	int best = 0;
	for (int c = 1; c < 3; c++)
		if (s->votes[c] > s->votes[best])
			best = c;
	d->page_size = page_cand[best];
	d->page_size_inferred = true;
	/* no area tells it: the release may */
	uint64_t named = release_page_size(d->log->version_text);
	if (!s->votes[best] && named) {
		d->page_size = named;
		if (!d->log->version_file)
			vms_dump_diag(d, d->log->version_line, 0, VMS_SEV_NOTE,
			              "page-size-from-release",
			              "page size %llu KiB from the kernel release '%s'",
			              (unsigned long long)(named >> 10),
			              d->log->version_text);
	}
}

/* ---- era --------------------------------------------------------------- */

struct era {
	int lo, hi; /* major*100+minor bounds */
	char why[256];
};

static void era_at_least(struct era *e, int v, const char *why)
{
	if (v > e->lo) {
		e->lo = v;
		size_t n = strlen(e->why);
		snprintf(e->why + n, sizeof(e->why) - n, "%s%s", n ? "; " : "", why);
	}
}

static void era_at_most(struct era *e, int v, const char *why)
{
	if (v < e->hi) {
		e->hi = v;
		size_t n = strlen(e->why);
		snprintf(e->why + n, sizeof(e->why) - n, "%s%s", n ? "; " : "", why);
	}
}

static void era_markers(const struct vms_dump *d, const struct survey *s, struct era *e)
{
	/* gdb's and drgn's scripts print phys= and vm_map_ram lines their own
	 * way whatever the kernel: no marker of its era */
	bool script = d->tool == VMS_TOOL_LX_VMALLOCINFO || d->tool == VMS_TOOL_DRGN;
	if (s->phys0x && !script)
		era_at_least(e, 411, "phys= printed with 0x (4.11+)");
	if (s->physplain && !script)
		era_at_most(e, 410, "phys= printed without 0x (<= 4.10)");
	if (s->extra && !script)
		era_at_least(e, 413, "vm_map_ram / unpurged lines (4.13+)");
	if (s->seen_unp && !s->unp_before_busy)
		era_at_least(e, 504, "unpurged block after the busy areas (5.4+)");
	if (s->unp_before_busy)
		era_at_most(e, 503, "unpurged areas interleaved (<= 5.3)");
	if (s->dma)
		era_at_least(e, 505, "dma-coherent flag (5.5+)");
	if (s->sparse)
		era_at_least(e, 609, "sparse flag (6.9+)");
	/* memory allocation profiling (6.10) reserves its module tags with
	 * this caller (6.12 on; 6.10 is the bound the allocator allows) */
	if (vms_symtab_find(&d->syms, "alloc_tag_init", 14))
		era_at_least(e, 610, "caller alloc_tag_init (6.10+)");
	if (d->visibility == VMS_VIS_HASHED)
		era_at_least(e, 415, "hashed addresses (4.15+)");
	if (d->visibility == VMS_VIS_RESTRICTED)
		era_at_least(e, 308, "zeroed addresses (%pK, 3.8+)");
	if (!d->sorted && d->visibility == VMS_VIS_REAL && d->addr_bits == 64)
		era_at_least(e, 609, "busy areas not sorted: per-node lists (6.9+)");
}

static void infer_era(struct vms_dump *d, const struct survey *s,
                      const struct vms_parse_opts *o)
{
	struct era e = {.lo = 0, .hi = 9999};
	era_markers(d, s, &e);
	d->era_lo = d->era_hi = 0;
	char bits[24] = "";
	if (d->addr_bits)
		snprintf(bits, sizeof(bits), "%u-bit, ", d->addr_bits);
	if (o && o->kernel_major) {
		d->kernel_major = o->kernel_major;
		d->kernel_minor = o->kernel_minor;
		d->kernel_given = true;
		d->kernel_source = "option";
		d->era_lo = d->era_hi = d->kernel_major * 100 + d->kernel_minor;
		d->era = vms_arena_printf(&d->arena, "%skernel %d.%d (--kernel)", bits,
		                          d->kernel_major, d->kernel_minor);
		return;
	}
	if (d->log->kernel_major) {
		bool un =
		    d->log->version_file && !strcmp(d->log->version_file, "uname(2)");
		d->kernel_major = d->log->kernel_major;
		d->kernel_minor = d->log->kernel_minor;
		d->kernel_source = un ? "uname" : "log";
		d->era_lo = d->era_hi = d->kernel_major * 100 + d->kernel_minor;
		d->era = vms_arena_printf(&d->arena, "%skernel %d.%d (%s)", bits,
		                          d->kernel_major, d->kernel_minor,
		                          un ? "uname" : "boot log");
		return;
	}
	if (e.lo <= e.hi) {
		d->era_lo = e.lo;
		d->era_hi = e.hi < 9999 ? e.hi : 0;
	}
	if (e.lo > e.hi)
		d->era = vms_arena_printf(
		    &d->arena, "%skernel unclear (conflicting markers: %s)", bits, e.why);
	else if (e.lo && e.hi < 9999)
		d->era = vms_arena_printf(&d->arena, "%skernel %d.%d to %d.%d (%s)", bits,
		                          e.lo / 100, e.lo % 100, e.hi / 100, e.hi % 100,
		                          e.why);
	else if (e.lo)
		d->era = vms_arena_printf(&d->arena, "%skernel %d.%d or later (%s)", bits,
		                          e.lo / 100, e.lo % 100, e.why);
	else if (e.hi < 9999)
		d->era = vms_arena_printf(&d->arena, "%skernel %d.%d or earlier (%s)",
		                          bits, e.hi / 100, e.hi % 100, e.why);
	else
		d->era = vms_arena_printf(&d->arena, "%skernel unknown (no era markers)",
		                          bits);
}

/* The arch of 64-bit real addresses, when their ranges are one arch's. */
static const char *arch_from_addresses(struct vms_dump *d, const struct survey *s)
{
	/* KASLR puts x86_64 vmalloc space anywhere in the kernel half, where
	 * arm64's lies too; module space at the top tells them apart */
	if (s->x86_top) {
		d->arch_source =
		    vms_arena_printf(&d->arena,
		                     "%zu of %zu areas lie in x86_64 module space "
		                     "(0xffffffff80000000 and up)",
		                     s->x86_top, d->areas.n);
		return "x86_64";
	}
	const char *arch = s->x86 > s->arm64   ? "x86_64"
	                   : s->arm64 > s->x86 ? "arm64"
	                                       : NULL;
	if (arch)
		d->arch_source = vms_arena_printf(
		    &d->arena, "%zu of %zu areas lie in %s vmalloc/module space",
		    s->x86 > s->arm64 ? s->x86 : s->arm64, d->areas.n, arch);
	return arch;
}

/*
 * The arch of a 32-bit dump from callers only one arch has (arch/arm's
 * static maps and ioremap, powerpc's code-patching text area). Address
 * ranges do not decide: arm32 module space (PAGE_OFFSET - 16 MiB) lies
 * inside ppc32's (PAGE_OFFSET - 256 MiB).
 */
static const char *arch_from_callers(struct vms_dump *d)
{
	static const struct {
		const char *caller, *arch;
	} marks[] = {
	    {"iotable_init", "arm32"},          {"pmd_empty_section_gap", "arm32"},
	    {"pci_reserve_io", "arm32"},        {"__arm_ioremap_pfn_caller", "arm32"},
	    {"__arm_ioremap_caller", "arm32"},  {"__arm_ioremap", "arm32"},
	    {"__arm_ioremap_exec", "arm32"},    {"arm_dma_alloc", "arm32"},
	    {"__arm_ioremap_pfn", "arm32"},     {"map_lowmem", "arm32"},
	    {"arm_iommu_alloc_attrs", "arm32"}, {"text_area_cpu_up", "ppc32"},
	    {"__ioremap_at", "ppc32"},
	};
	const char *arch = NULL, *why = NULL;
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		if (!vms_symtab_find(&d->syms, marks[i].caller, strlen(marks[i].caller)))
			continue;
		if (arch && strcmp(arch, marks[i].arch) != 0)
			return NULL; /* callers of two arches: a mixed paste */
		arch = marks[i].arch;
		why = marks[i].caller;
	}
	if (arch)
		d->arch_source = vms_arena_printf(
		    &d->arena, "caller %s, which only %s kernels have", why, arch);
	return arch;
}

/* Why no arch could be named. */
static const char *arch_unknown(const struct vms_dump *d)
{
	if (!d->areas.n)
		return "no boot log naming the arch and no areas";
	if (d->visibility != VMS_VIS_REAL)
		return "no boot log naming the arch, and the addresses are hidden";
	if (d->addr_bits == 32)
		return "no boot log naming the arch and no caller only one arch has; "
		       "32-bit address ranges are shared by arm32, x86_32, ppc32 and "
		       "others (--arch names it)";
	return "no boot log naming the arch, and the address ranges match no "
	       "known layout";
}

static void infer_arch(struct vms_dump *d, const struct survey *s,
                       const struct vms_parse_opts *o)
{
	d->arch = NULL;
	if (o && o->arch) {
		d->arch = vms_arena_strdup(&d->arena, o->arch);
		d->arch_source = "--arch";
	} else if (d->log->arch_hint) {
		d->arch = vms_arena_strdup(&d->arena, d->log->arch_hint);
		d->arch_source = d->log->arch_source ? d->log->arch_source : "boot log";
	} else if (d->addr_bits == 64 && d->visibility == VMS_VIS_REAL) {
		d->arch = arch_from_addresses(d, s);
	} else if (d->addr_bits == 32) {
		d->arch = arch_from_callers(d);
	}
	if (!d->arch)
		d->arch_source = arch_unknown(d);
}

/* Says, once per dump, what hidden addresses mean and how to get real ones. */
static void visibility_note(struct vms_dump *d)
{
	static const char *const how =
	    "; for real addresses read /proc/vmallocinfo as root with "
	    "kernel.kptr_restrict=1 (sysctl -w kernel.kptr_restrict=1), or boot 5.12+ "
	    "kernels with no_hash_pointers";
	const char *what;
	switch (d->visibility) {
	case VMS_VIS_HASHED:
		what =
		    "addresses are hashed (%p hashing, kptr_restrict=0 on 4.15+): sizes, "
		    "callers and flags are kept, the address geometry is not";
		break;
	case VMS_VIS_RESTRICTED:
		what = "addresses are zeroed (kptr_restrict=2, or 1 without CAP_SYSLOG): "
		       "sizes, "
		       "callers and flags are kept, the address geometry is not";
		break;
	case VMS_VIS_PTRVAL:
		what = "addresses are '(ptrval)' (the hashing key was not ready yet): "
		       "sizes, "
		       "callers and flags are kept, the address geometry is not";
		break;
	case VMS_VIS_MIXED:
		what = "some addresses are zeroed or '(ptrval)': the geometry of the "
		       "dump is "
		       "incomplete";
		break;
	default:
		return;
	}
	vms_dump_diag(d, d->src.v[0].line, 0, VMS_SEV_NOTE, "addresses-hidden", "%s%s",
	              what, how);
}

void vms_dump_infer_cut(struct vms_dump *d, const struct vms_parse_opts *o,
                        void (*cut)(struct vms_dump *d, void *ctx), void *ctx)
{
	struct survey s;
	survey(d, &s);
	infer_width(d, &s);
	infer_visibility(d, &s);
	infer_page_size(d, &s, o);
	settle_geometry(d, &s);
	if (d->visibility == VMS_VIS_REAL && s.inconsistent)
		resurvey_geometry(d, &s);
	if (cut) /* the areas as repaired, their visibility known */
		cut(d, ctx);
	if (d->listings.n > 1) { /* several listings: each is sorted or not */
		s.sorted = true;
		for (size_t k = 0; k < d->listings.n; k++)
			s.sorted &= d->listings.v[k].sorted;
	}
	d->sorted = d->visibility == VMS_VIS_REAL && s.sorted;
	visibility_note(d);
	infer_era(d, &s, o);
	infer_arch(d, &s, o);
}

void vms_dump_infer(struct vms_dump *d, const struct vms_parse_opts *o)
{
	vms_dump_infer_cut(d, o, NULL, NULL);
}
