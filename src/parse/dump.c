/*
 * dump.c — construction, destruction, building and reading of struct
 * vms_dump and struct vms_bootlog, the capped diagnostic store, and the
 * names of every enum in dump.h (the one flag-word table among them).
 *
 * Costs: adding an area is O(1 + NUMA entries) amortised; reading its NUMA
 * entries O(1); its extra words O(log extras) (a sparse table, sorted by
 * area because areas are only ever appended). A diagnostic is O(1) amortised
 * beyond formatting its message; beyond VMS_DIAG_CAP of one code it is a
 * counter bump (the count of stored messages per code is kept in a small
 * table of codes).
 */
#include "vmscope/dump.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ----------------------------------------------------------------- */

static const char *const flag_names[VMS_NR_FLAGS] = {
    "ioremap", "sparse", "vmalloc", "vmap", "user", "dma-coherent", "vpages",
};
static const uint8_t flag_lens[VMS_NR_FLAGS] = {7, 6, 7, 4, 4, 12, 6};

const char *vms_flag_name(unsigned bit)
{
	return bit < VMS_NR_FLAGS ? flag_names[bit] : "?";
}

size_t vms_flag_len(unsigned bit)
{
	return bit < VMS_NR_FLAGS ? flag_lens[bit] : 1;
}

int vms_flag_lookup(const char *w, size_t n)
{
	for (int i = 0; i < VMS_NR_FLAGS; i++)
		if (strlen(flag_names[i]) == n && memcmp(flag_names[i], w, n) == 0)
			return i;
	return -1;
}

static const char *const repair_codes[VMS_NR_REPAIR_BITS] = {
    "joined-lines",    "glued-entries",    "start-from-end-size", "end-from-start-size",
    "size-from-range", "end-size-glued",   "caller-underscores",  "module-underscores",
    "stray-token",     "fields-reordered", "paired-orphans",      "elision",
};

const char *vms_repair_bit_code(unsigned bit)
{
	return bit < VMS_NR_REPAIR_BITS ? repair_codes[bit] : "?";
}

const char *vms_area_kind_name(enum vms_area_kind k)
{
	static const char *const n[] = {"area", "vm_map_ram", "unpurged"};
	return (unsigned)k < 3 ? n[k] : "?";
}

const char *vms_geom_name(enum vms_geom g)
{
	static const char *const n[] = {"trusted", "mismatch", "hashed", "zeroed",
	                                "ptrval"};
	return (unsigned)g < 5 ? n[g] : "?";
}

const char *vms_tool_name(enum vms_tool t)
{
	static const char *const n[] = {"proc", "crash-kmem", "crash-vmlist",
	                                "lx-vmallocinfo", "drgn"};
	return (unsigned)t < VMS_NR_TOOLS ? n[t] : "?";
}

const char *vms_severity_name(enum vms_severity s)
{
	static const char *const n[] = {"error", "warning", "note"};
	return (unsigned)s < 3 ? n[s] : "?";
}

const char *vms_line_class_name(enum vms_line_class c)
{
	static const char *const n[] = {"parsed", "repaired", "noise", "diagnostic"};
	return (unsigned)c < VMS_NR_LINE_CLASSES ? n[c] : "?";
}

const char *vms_noise_kind_name(enum vms_noise_kind k)
{
	static const char *const n[] = {"blank",   "prompt", "fence", "timestamp",
	                                "elision", "prose",  "log",   "metadata",
	                                "diff",    "repeat"};
	return (unsigned)k < VMS_NR_NOISE_KINDS ? n[k] : "?";
}

const char *vms_visibility_name(enum vms_visibility v)
{
	static const char *const n[] = {"unknown", "real",   "restricted",
	                                "hashed",  "ptrval", "mixed"};
	return (unsigned)v <= VMS_VIS_MIXED ? n[v] : "?";
}

/* ---- regions ------------------------------------------------------------- */

static const char *const region_kind_names[VMS_NR_REGION_KINDS] = {
    "other",  "vmalloc", "modules",   "lowmem",        "pkmap",
    "fixmap", "vector",  "vmemmap",   "kasan",         "pci_io",
    "dma",    "tcm",     "cpu_entry", "early_ioremap", "kernel",
};

unsigned vms_size_unit_shift(const char *unit)
{
	switch (unit[0] | 0x20) {
	case 'k':
		return 10;
	case 'm':
		return 20;
	case 'g':
		return 30;
	default:
		return 40;
	}
}

const char *vms_region_kind_name(enum vms_region_kind k)
{
	return (unsigned)k < VMS_NR_REGION_KINDS ? region_kind_names[k] : "?";
}

enum vms_region_kind vms_region_kind_of(const char *name)
{
	static const struct {
		const char *name;
		uint8_t kind;
	} map[] = {
	    {"vmalloc", VMS_RK_VMALLOC},
	    {"modules", VMS_RK_MODULES},
	    {"lowmem", VMS_RK_LOWMEM},
	    {"pkmap", VMS_RK_PKMAP},
	    {"fixmap", VMS_RK_FIXMAP},
	    {"vector", VMS_RK_VECTOR},
	    {"vmemmap", VMS_RK_VMEMMAP},
	    {"kasan", VMS_RK_KASAN},
	    {"PCI I/O", VMS_RK_PCI_IO},
	    {"DMA", VMS_RK_DMA},
	    {"DTCM", VMS_RK_TCM},
	    {"ITCM", VMS_RK_TCM},
	    {"cpu_entry", VMS_RK_CPU_ENTRY},
	    {"early ioremap", VMS_RK_EARLY_IOREMAP},
	};
	if (!name)
		return VMS_RK_OTHER;
	if (name[0] == '.')
		return VMS_RK_KERNEL; /* .text .data .init .bss .rodata */
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(name, map[i].name) == 0)
			return (enum vms_region_kind)map[i].kind;
	if (strncmp(name, "lowmem", 6) == 0) /* sh "lowmem-uncached" */
		return VMS_RK_LOWMEM;
	if (strncmp(name, "vmemmap", 7) == 0) /* arm64 "vmemmap-actual" */
		return VMS_RK_VMEMMAP;
	return VMS_RK_OTHER;
}

const char *vms_region_source_name(enum vms_region_source s)
{
	static const char *const n[] = {"log", "profile", "inferred"};
	return (unsigned)s < 3 ? n[s] : "?";
}

/* ---- construction ---------------------------------------------------------- */

struct vms_bootlog *vms_bootlog_new(void)
{
	return vms_xcalloc(1, sizeof(struct vms_bootlog));
}

void vms_bootlog_free(struct vms_bootlog *log)
{
	if (!log)
		return;
	free(log->regions.v);
	free(log->failures.v);
	free(log->meminfo_lines.v);
	vms_arena_free(&log->arena);
	free(log);
}

struct vms_dump *vms_dump_new(const char *source)
{
	struct vms_dump *d = vms_xcalloc(1, sizeof(*d));
	d->source = vms_arena_strdup(&d->arena, source ? source : "-");
	d->page_size = 4096;
	d->log = vms_bootlog_new();
	vms_symtab_init(&d->syms, &d->arena);
	return d;
}

void vms_dump_free(struct vms_dump *d)
{
	if (!d)
		return;
	free(d->areas.v);
	free(d->src.v);
	free(d->numa.v);
	free(d->extras.v);
	free(d->diags.v);
	free(d->repairs.v);
	free(d->codes.v);
	free(d->listings.v);
	vms_symtab_free(&d->syms);
	vms_bootlog_free(d->log);
	vms_arena_free(&d->arena);
	free(d);
}

/* ---- areas ----------------------------------------------------------------- */

size_t vms_dump_add_area(struct vms_dump *d, const struct vms_area *a,
                         const struct vms_area_src *src, const struct vms_numa *numa,
                         uint32_t nr_numa)
{
	static const struct vms_area_src none;
	size_t i = d->areas.n;
	vms_vec_push(&d->areas, *a);
	struct vms_area_src s = src ? *src : none;
	s.numa = (uint32_t)d->numa.n;
	vms_vec_push(&d->src, s);
	if (nr_numa) {
		vms_vec_reserve(&d->numa, d->numa.n + nr_numa);
		memcpy(d->numa.v + d->numa.n, numa, nr_numa * sizeof(*numa));
		d->numa.n += nr_numa;
	}
	return i;
}

void vms_dump_pop_area(struct vms_dump *d)
{
	if (!d->areas.n)
		return;
	size_t i = --d->areas.n;
	d->src.n--;
	d->numa.n = d->src.v[i].numa;
	if (d->extras.n && d->extras.v[d->extras.n - 1].area == i)
		d->extras.n--;
}

void vms_dump_set_extra(struct vms_dump *d, size_t i, const char *text, size_t len)
{
	struct vms_extra x = {(uint32_t)i, vms_arena_strndup(&d->arena, text, len)};
	vms_vec_push(&d->extras, x);
}

const struct vms_numa *vms_dump_numa(const struct vms_dump *d, size_t i, uint32_t *n)
{
	size_t from = d->src.v[i].numa;
	size_t to = i + 1 < d->src.n ? d->src.v[i + 1].numa : d->numa.n;
	*n = (uint32_t)(to - from);
	return to > from ? d->numa.v + from : NULL;
}

const char *vms_dump_extra(const struct vms_dump *d, size_t i)
{
	size_t lo = 0, hi = d->extras.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->extras.v[mid].area < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->extras.n && d->extras.v[lo].area == i ? d->extras.v[lo].text
	                                                     : NULL;
}

/* ---- diagnostics ------------------------------------------------------------ */

/* The counter of code (a small table: a few dozen codes per dump). */
static struct vms_code_count *code_entry(struct vms_dump *d, const char *code,
                                         bool repair, uint8_t sev)
{
	for (size_t i = 0; i < d->codes.n; i++) {
		struct vms_code_count *x = &d->codes.v[i];
		if (x->repair == repair && x->severity == sev &&
		    (x->code == code || strcmp(x->code, code) == 0))
			return x;
	}
	struct vms_code_count x = {.code = code, .severity = sev, .repair = repair};
	vms_vec_push(&d->codes, x);
	return &d->codes.v[d->codes.n - 1];
}

/* True when one more message of code may be stored; counts it otherwise. */
static bool may_store(struct vms_dump *d, const char *code, bool repair, uint8_t sev,
                      uint32_t line)
{
	struct vms_code_count *x = code_entry(d, code, repair, sev);
	if (x->stored < VMS_DIAG_CAP) {
		x->stored++;
		return true;
	}
	if (!x->dropped++)
		x->first_dropped = line;
	return false;
}

static void diag_va(struct vms_dump *d, int64_t area, uint32_t line, uint32_t col,
                    enum vms_severity sev, const char *code, const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));
static void diag_va(struct vms_dump *d, int64_t area, uint32_t line, uint32_t col,
                    enum vms_severity sev, const char *code, const char *fmt, va_list ap)
{
	d->nr_alerts += sev != VMS_SEV_NOTE;
	if (!may_store(d, code, false, (uint8_t)sev, line))
		return;
	struct vms_diag g = {
	    .line = line,
	    .col = col,
	    .area = area,
	    .severity = (uint8_t)sev,
	    .code = code,
	};
	char *msg = vms_xvasprintf(fmt, ap);
	g.message = vms_arena_strdup(&d->arena, msg);
	free(msg);
	vms_vec_push(&d->diags, g);
}

void vms_dump_diag(struct vms_dump *d, uint32_t line, uint32_t col, enum vms_severity sev,
                   const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_va(d, -1, line, col, sev, code, fmt, ap);
	va_end(ap);
}

void vms_dump_area_diag(struct vms_dump *d, int64_t area, uint32_t line, uint32_t col,
                        enum vms_severity sev, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_va(d, area, line, col, sev, code, fmt, ap);
	va_end(ap);
}

void vms_dump_repair(struct vms_dump *d, uint32_t line, uint32_t col, int64_t area,
                     const char *code, const char *fmt, ...)
{
	if (!may_store(d, code, true, VMS_SEV_NOTE, line))
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = vms_xvasprintf(fmt, ap);
	va_end(ap);
	struct vms_repair r = {
	    .line = line,
	    .col = col,
	    .area = area,
	    .code = code,
	    .message = vms_arena_strdup(&d->arena, msg),
	};
	free(msg);
	vms_vec_push(&d->repairs, r);
}

void vms_dump_count_dropped(struct vms_dump *d, const char *code, bool repair,
                            uint8_t severity, uint64_t n, uint32_t first_line)
{
	struct vms_code_count *x = code_entry(d, code, repair, severity);
	if (!x->dropped)
		x->first_dropped = first_line;
	x->dropped += n;
	if (!repair && severity != VMS_SEV_NOTE)
		d->nr_alerts += n;
}

void vms_dump_forget(struct vms_dump *d, const char *code, bool repair, uint8_t severity)
{
	struct vms_code_count *x = code_entry(d, code, repair, severity);
	if (x->stored)
		x->stored--;
	if (!repair && severity != VMS_SEV_NOTE && d->nr_alerts)
		d->nr_alerts--;
}

uint64_t vms_dump_nr_diags(const struct vms_dump *d, enum vms_severity sev)
{
	uint64_t n = 0;
	for (size_t i = 0; i < d->codes.n; i++)
		if (!d->codes.v[i].repair && d->codes.v[i].severity == sev)
			n += d->codes.v[i].stored + d->codes.v[i].dropped;
	return n;
}

uint64_t vms_dump_nr_repairs(const struct vms_dump *d)
{
	uint64_t n = 0;
	for (size_t i = 0; i < d->codes.n; i++)
		if (d->codes.v[i].repair)
			n += d->codes.v[i].stored + d->codes.v[i].dropped;
	return n;
}

size_t vms_dump_bytes(const struct vms_dump *d)
{
	return sizeof(*d) + d->areas.n * sizeof(*d->areas.v) +
	       d->src.n * sizeof(*d->src.v) + d->numa.n * sizeof(*d->numa.v) +
	       d->extras.n * sizeof(*d->extras.v) + d->diags.n * sizeof(*d->diags.v) +
	       d->repairs.n * sizeof(*d->repairs.v) +
	       d->syms.syms.n * sizeof(struct vms_sym) + d->syms.cap * sizeof(uint32_t) +
	       d->arena.total + d->log->arena.total +
	       d->log->regions.n * sizeof(struct vms_region) +
	       d->log->failures.n * sizeof(struct vms_failure);
}

/* ---- boot log ---------------------------------------------------------------- */

const struct vms_region *vms_bootlog_region(const struct vms_bootlog *log,
                                            const char *name)
{
	for (size_t i = 0; i < log->regions.n; i++)
		if (strcmp(log->regions.v[i].name, name) == 0)
			return &log->regions.v[i];
	return NULL;
}

/* ---- merging boot logs ------------------------------------------------------ */

static const char *copy_str(struct vms_bootlog *dst, const char *s)
{
	return s ? vms_arena_strdup(&dst->arena, s) : NULL;
}

/* The file of a fact copied from src: its own, else src_file. */
static const char *copy_file(struct vms_bootlog *dst, const char *own,
                             const char *src_file)
{
	return copy_str(dst, own ? own : src_file);
}

/* Evidence read in another file names that file: "boot.txt: line 3 ...". */
static const char *copy_source(struct vms_bootlog *dst, const char *source,
                               const char *file)
{
	if (!source || !file)
		return copy_str(dst, source);
	return vms_arena_printf(&dst->arena, "%s: %s", file, source);
}

static void merge_layout(struct vms_bootlog *dst, const struct vms_bootlog *src,
                         const char *file)
{
	dst->regions.n = 0;
	dst->layout_style = src->layout_style;
	dst->layout_line = src->layout_line;
	for (size_t i = 0; i < src->regions.n; i++) {
		struct vms_region r = src->regions.v[i];
		r.name = copy_str(dst, r.name);
		r.label = copy_str(dst, r.label);
		r.file = copy_file(dst, r.file, file);
		vms_vec_push(&dst->regions, r);
	}
}

static void merge_cmdline(struct vms_bootlog *dst, const struct vms_bootlog *src,
                          const char *file)
{
	dst->has_cmdline = true;
	dst->cmdline = src->cmdline;
	dst->cmdline.text = copy_str(dst, src->cmdline.text);
	dst->cmdline.file = copy_file(dst, src->cmdline.file, file);
	dst->cmdline.vmalloc_text = copy_str(dst, src->cmdline.vmalloc_text);
	dst->cmdline.cma_text = copy_str(dst, src->cmdline.cma_text);
	dst->cmdline.mem_text = copy_str(dst, src->cmdline.mem_text);
}

static void merge_version(struct vms_bootlog *dst, const struct vms_bootlog *src,
                          const char *file)
{
	dst->version_text = copy_str(dst, src->version_text);
	dst->compiler_text = copy_str(dst, src->compiler_text);
	dst->version_file = copy_file(dst, src->version_file, file);
	dst->version_line = src->version_line;
	dst->kernel_major = src->kernel_major;
	dst->kernel_minor = src->kernel_minor;
	dst->kernel_patch = src->kernel_patch;
	dst->version_source = copy_source(dst, src->version_source, file);
	if (src->arch_hint) {                    /* the arch goes with its evidence */
		dst->arch_hint = src->arch_hint; /* a static string */
		dst->arch_source = copy_source(dst, src->arch_source, file);
	}
}

static void merge_failures(struct vms_bootlog *dst, const struct vms_bootlog *src,
                           const char *file)
{
	for (size_t i = 0; i < src->failures.n; i++) {
		struct vms_failure f = src->failures.v[i];
		f.text = copy_str(dst, f.text);
		f.file = copy_file(dst, f.file, file);
		if (f.nr_callers) {
			const char **v =
			    vms_arena_alloc(&dst->arena, f.nr_callers * sizeof(*v));
			for (uint32_t k = 0; k < f.nr_callers; k++)
				v[k] = copy_str(dst, f.callers[k]);
			f.callers = v;
		}
		vms_vec_push(&dst->failures, f);
	}
}

void vms_bootlog_merge(struct vms_bootlog *dst, const struct vms_bootlog *src,
                       const char *src_file)
{
	if (src->regions.n || src->layout_line)
		merge_layout(dst, src, src_file);
	if (src->has_cmdline)
		merge_cmdline(dst, src, src_file);
	if (src->memory_text) {
		dst->memory_text = copy_str(dst, src->memory_text);
		dst->memory_file = copy_file(dst, src->memory_file, src_file);
		dst->memory_line = src->memory_line;
		dst->memory_total_kb = src->memory_total_kb;
	}
	if (src->version_text)
		merge_version(dst, src, src_file);
	merge_failures(dst, src, src_file);
	/* meminfo is a snapshot taken with the dump, not a boot fact: the
	 * input's own copy wins over one from --layout */
	const struct vms_meminfo *mi = &src->meminfo, *own = &dst->meminfo;
	bool has_own =
	    own->total.line || own->used.line || own->chunk.line || own->percpu.line;
	if (!has_own &&
	    (mi->total.line || mi->used.line || mi->chunk.line || mi->percpu.line)) {
		dst->meminfo = *mi;
		dst->meminfo.file = copy_file(dst, mi->file, src_file);
	}
}
