/*
 * dump.c — construction, destruction and small accessors of struct vms_dump
 * and struct vms_bootlog, plus the names of every enum in dump.h.
 */
#include "vmscope/dump.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const flag_names[VMS_NR_FLAGS] = {
    "ioremap", "sparse", "vmalloc", "vmap", "user", "dma-coherent", "vpages",
};

const char *vms_flag_name(unsigned bit)
{
	return bit < VMS_NR_FLAGS ? flag_names[bit] : "?";
}

const char *vms_area_kind_name(enum vms_area_kind k)
{
	switch (k) {
	case VMS_KIND_AREA:
		return "area";
	case VMS_KIND_VM_MAP_RAM:
		return "vm_map_ram";
	case VMS_KIND_UNPURGED:
		return "unpurged";
	}
	return "?";
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
	static const char *const n[] = {"blank",     "prompt",   "fence",
	                                "timestamp", "elision",  "prose",
	                                "log",       "metadata", "diff"};
	return (unsigned)k < VMS_NR_NOISE_KINDS ? n[k] : "?";
}

const char *vms_visibility_name(enum vms_visibility v)
{
	static const char *const n[] = {"unknown", "real",   "restricted",
	                                "hashed",  "ptrval", "mixed"};
	return (unsigned)v <= VMS_VIS_MIXED ? n[v] : "?";
}

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
	vms_arena_free(&log->arena);
	free(log);
}

struct vms_dump *vms_dump_new(const char *source)
{
	struct vms_dump *d = vms_xcalloc(1, sizeof(*d));
	d->source = vms_arena_strdup(&d->arena, source ? source : "-");
	d->page_size = 4096;
	d->log = vms_bootlog_new();
	return d;
}

void vms_dump_free(struct vms_dump *d)
{
	if (!d)
		return;
	free(d->areas.v);
	free(d->diags.v);
	free(d->repairs.v);
	vms_bootlog_free(d->log);
	vms_arena_free(&d->arena);
	free(d);
}

void vms_dump_take_log(struct vms_dump *dst, struct vms_dump *src)
{
	vms_bootlog_free(dst->log);
	dst->log = src->log;
	src->log = vms_bootlog_new();
}

void vms_dump_diag(struct vms_dump *d, uint32_t line, uint32_t col, enum vms_severity sev,
                   const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = vms_xvasprintf(fmt, ap);
	va_end(ap);
	struct vms_diag g = {
	    .line = line,
	    .col = col,
	    .severity = (uint8_t)sev,
	    .code = code,
	    .message = vms_arena_strdup(&d->arena, msg),
	};
	free(msg);
	vms_vec_push(&d->diags, g);
}

void vms_dump_repair(struct vms_dump *d, uint32_t line, uint32_t col, int64_t area,
                     const char *code, const char *fmt, ...)
{
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

size_t vms_dump_nr_errors(const struct vms_dump *d)
{
	size_t n = 0;
	for (size_t i = 0; i < d->diags.n; i++)
		n += d->diags.v[i].severity == VMS_SEV_ERROR;
	return n;
}

const struct vms_region *vms_bootlog_region(const struct vms_bootlog *log,
                                            const char *name)
{
	for (size_t i = 0; i < log->regions.n; i++)
		if (strcmp(log->regions.v[i].name, name) == 0)
			return &log->regions.v[i];
	return NULL;
}
