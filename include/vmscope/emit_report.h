/*
 * emit_report.h — the writers of `vmscope report` (src/emit/): human text,
 * JSON, the per-caller CSV table and Prometheus textfile metrics. Each takes
 * the reports of one run (one per input, in command-line order), prints
 * only to fp, never exits, and returns 0 or -VMS_EIO on a write error
 * (ferror at the end). Names of JSON keys and metrics are a contract
 * (docs/cli.md, docs/report.md).
 */
#ifndef VMS_EMIT_REPORT_H
#define VMS_EMIT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vmscope/report.h"

/* How a report is shown. */
struct vms_report_view {
	size_t top;     /* rows of the caller and module tables (0 = all) */
	bool holes;     /* list every hole with its cause and evidence */
	bool color;     /* ANSI colours (a terminal, NO_COLOR unset) */
	bool unicode;   /* the region bar in Unicode blocks (else ASCII) */
	unsigned width; /* columns of the terminal (the bar's width follows) */
};

/* The source name of report r for messages and labels ("<stdin>" for "-"). */
const char *vms_emit_report_source(const struct vms_report *r);

/*
 * Text: a summary (source, visibility, era, arch, region source, usage,
 * largest hole, findings) first, then the regions with a bar per window,
 * usage by kind, the top callers and modules, holes per window with the
 * bytes per cause (every hole with --holes) and the three most severe
 * findings. Inputs are separated by a blank line.
 */
int vms_emit_report_text(FILE *fp, const struct vms_report *const *r, size_t n,
                         const struct vms_report_view *v);
/* JSON: an array with one object per input (keys in docs/cli.md). */
int vms_emit_report_json(FILE *fp, const struct vms_report *const *r, size_t n,
                         const struct vms_report_view *v);
/* CSV: a header, then one row per caller (top rows, then "[other]"), per
 * input: file,caller,module,kind,areas,bytes,pages,share. */
int vms_emit_report_csv(FILE *fp, const struct vms_report *const *r, size_t n,
                        const struct vms_report_view *v);
/*
 * Prometheus text exposition format (node_exporter textfile collector):
 * every metric family once with its HELP and TYPE lines, one sample per
 * input (label source) and per kind, caller (top rows plus
 * caller="[other]"), region, cause or severity; label values escaped
 * (backslash, double quote, newline). Metric names in docs/prometheus.md.
 */
int vms_emit_report_prometheus(FILE *fp, const struct vms_report *const *r, size_t n,
                               const struct vms_report_view *v);

#endif /* VMS_EMIT_REPORT_H */
