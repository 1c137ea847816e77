/*
 * parse_infer.c — whole-dump inference after every line is read: address
 * width, address visibility (real / restricted / hashed / ptrval), the
 * geometric repairs that need it, page size, ordering, kernel era and arch.
 *
 * One survey pass over the areas gathers every count the decisions need
 * (a million areas are 120 MB: each extra pass costs ~10 ms); a second pass
 * runs only when some area needs a geometric repair. Repairs follow one rule: start, end
 * and size are three views of one fact; when two agree, the third is corrected and the
 * repair reported. With hashed or restricted addresses the range carries no
 * geometry, so nothing is "repaired" there.
 */
#include "parse_vmi.h"

#include <stdio.h>
#include <string.h>

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
	s->arm64 +=
	    (st >= 0xffff000000000000ull && st < 0xffff800000000000ull + (1ull << 46)) ||
	    (st >= 0xffffff8000000000ull && st < 0xffffffc000000000ull);
}

static void survey_one(struct survey *s, const struct vms_area *a, uint8_t ws, uint8_t we)
{
	s->n8 += ws == 8;
	s->n16 += ws == 16;
	s->big += a->end > UINT32_MAX;
	bool ok = consistent(a);
	if (ws == 0 && we == 0)
		s->ptrval++;
	else if (a->start == 0 && a->end == 0)
		s->zero++;
	else if (ok || a->range_only || !looks_hashed(a, ws, we))
		s->real++;
	else
		s->hashed++;
	s->inconsistent += !ok && !a->range_only;
	if (a->has_pages && a->pages < UINT64_MAX / 65536)
		for (int c = 0; c < 3; c++)
			s->votes[c] += a->size == (a->pages + 1) * page_cand[c];
	s->phys0x |= a->has_phys && a->phys_0x;
	s->physplain |= a->has_phys && !a->phys_0x;
	s->extra |= a->kind != VMS_KIND_AREA;
	s->sparse |= (a->flags & VMS_F_SPARSE) != 0;
	s->dma |= (a->flags & VMS_F_DMA_COHERENT) != 0;
	if (a->kind == VMS_KIND_UNPURGED)
		s->seen_unp = true;
	else if (s->seen_unp)
		s->unp_before_busy = true;
}

static void survey(const struct vms_dump *d, const struct vms_vmi *p, struct survey *s)
{
	uint64_t last = 0;
	memset(s, 0, sizeof(*s));
	s->sorted = true;
	for (size_t i = 0; i < d->areas.n; i++) {
		uint8_t ws, we;
		vms_vmi_widths(p, i, &ws, &we);
		survey_one(s, &d->areas.v[i], ws, we);
		survey_geometry(s, &d->areas.v[i], &last);
	}
}

/* Order and arch again, after repairs moved some starts. */
static void resurvey_geometry(const struct vms_dump *d, struct survey *s)
{
	uint64_t last = 0;
	s->sorted = true;
	s->x86 = s->arm64 = 0;
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

static void report(struct vms_dump *d, struct vms_vmi *p, size_t i, uint32_t bit,
                   const char *code, const char *what, uint64_t from, uint64_t to)
{
	struct vms_area *a = &d->areas.v[i];
	a->repairs |= bit;
	vms_dump_repair(
	    d, a->line, a->col, (int64_t)i, code,
	    "%s 0x%llx -> 0x%llx (start, end and size disagreed; the other two agree)",
	    what, (unsigned long long)from, (unsigned long long)to);
	vms_vmi_mark_area(p, i, VMS_LINE_REPAIRED);
}

/* One area whose start, end and size disagree, in a dump with real addresses. */
static void repair_one(struct vms_dump *d, struct vms_vmi *p, size_t i, uint64_t ps)
{
	struct vms_area *a = &d->areas.v[i];
	uint8_t ws, we, want = (uint8_t)(d->addr_bits / 4);
	vms_vmi_widths(p, i, &ws, &we);
	uint64_t span = a->end - a->start; /* may wrap: only compared */
	if (ws != want && we == want && a->end >= a->size &&
	    (a->end - a->size) % ps == 0) {
		report(d, p, i, VMS_R_START, "start-from-end-size", "start", a->start,
		       a->end - a->size);
		a->start = a->end - a->size;
	} else if (we != want && ws == want && a->start <= UINT64_MAX - a->size) {
		report(d, p, i, VMS_R_END, "end-from-start-size", "end", a->end,
		       a->start + a->size);
		a->end = a->start + a->size;
	} else if (a->end > a->start && span % ps == 0 &&
	           (a->size % ps != 0 ||
	            (a->has_pages && a->pages < UINT64_MAX / ps &&
	             (span == (a->pages + 1) * ps || span == a->pages * ps)))) {
		a->repairs |= VMS_R_SIZE;
		vms_dump_repair(
		    d, a->line, a->col, (int64_t)i, "size-from-range",
		    "size %llu -> %llu (end - start; the size column was misread)",
		    (unsigned long long)a->size, (unsigned long long)span);
		vms_vmi_mark_area(p, i, VMS_LINE_REPAIRED);
		a->size = span;
	} else {
		vms_dump_diag(
		    d, a->line, a->col, VMS_SEV_ERROR, "size-mismatch",
		    "size %llu disagrees with the range 0x%llx-0x%llx and nothing tells "
		    "which of the three is wrong; kept as printed",
		    (unsigned long long)a->size, (unsigned long long)a->start,
		    (unsigned long long)a->end);
		vms_vmi_mark_area(p, i, VMS_LINE_DIAGNOSTIC);
	}
}

static void repair_geometry(struct vms_dump *d, struct vms_vmi *p)
{
	for (size_t i = 0; i < d->areas.n; i++) {
		const struct vms_area *a = &d->areas.v[i];
		if (!a->range_only && !consistent(a))
			repair_one(d, p, i, d->page_size);
	}
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
	if (s->phys0x)
		era_at_least(e, 411, "phys= printed with 0x (4.11+)");
	if (s->physplain)
		era_at_most(e, 410, "phys= printed without 0x (<= 4.10)");
	if (s->extra)
		era_at_least(e, 413, "vm_map_ram / unpurged lines (4.13+)");
	if (s->seen_unp && !s->unp_before_busy)
		era_at_least(e, 504, "unpurged block after the busy areas (5.4+)");
	if (s->unp_before_busy)
		era_at_most(e, 503, "unpurged areas interleaved (<= 5.3)");
	if (s->dma)
		era_at_least(e, 505, "dma-coherent flag (5.5+)");
	if (s->sparse)
		era_at_least(e, 609, "sparse flag (6.9+)");
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
	char bits[24] = "";
	if (d->addr_bits)
		snprintf(bits, sizeof(bits), "%u-bit, ", d->addr_bits);
	if (o && o->kernel_major) {
		d->kernel_major = o->kernel_major;
		d->kernel_minor = o->kernel_minor;
		d->kernel_given = true;
		d->era = vms_arena_printf(&d->arena, "%skernel %d.%d (--kernel)", bits,
		                          d->kernel_major, d->kernel_minor);
		bool ox = d->kernel_major * 100 + d->kernel_minor >= 411;
		for (size_t i = 0; i < d->areas.n; i++)
			d->areas.v[i].phys_0x = ox;
		return;
	}
	if (d->log->kernel_major) {
		d->kernel_major = d->log->kernel_major;
		d->kernel_minor = d->log->kernel_minor;
		d->era = vms_arena_printf(&d->arena, "%skernel %d.%d (boot log)", bits,
		                          d->kernel_major, d->kernel_minor);
		return;
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

static const char *arch_from_addresses(const struct vms_dump *d, const struct survey *s)
{
	if (d->addr_bits != 64 || d->visibility != VMS_VIS_REAL)
		return NULL;
	if (s->x86 > s->arm64)
		return "x86_64";
	if (s->arm64 > s->x86)
		return "arm64";
	return NULL;
}

static void infer_arch(struct vms_dump *d, const struct survey *s,
                       const struct vms_parse_opts *o)
{
	if (o && o->arch)
		d->arch = vms_arena_strdup(&d->arena, o->arch);
	else if (d->log->arch_hint)
		d->arch = vms_arena_strdup(&d->arena, d->log->arch_hint);
	else
		d->arch = arch_from_addresses(d, s);
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
	vms_dump_diag(d, d->areas.v[0].line, 0, VMS_SEV_NOTE, "addresses-hidden", "%s%s",
	              what, how);
}

void vms_infer_dump(struct vms_dump *d, struct vms_vmi *p, const struct vms_parse_opts *o)
{
	struct survey s;
	survey(d, p, &s);
	infer_width(d, &s);
	infer_visibility(d, &s);
	infer_page_size(d, &s, o);
	if (d->visibility == VMS_VIS_REAL && s.inconsistent) {
		repair_geometry(d, p);
		resurvey_geometry(d, &s);
	}
	d->sorted = d->visibility == VMS_VIS_REAL && s.sorted;
	visibility_note(d);
	infer_era(d, &s, o);
	infer_arch(d, &s, o);
}
