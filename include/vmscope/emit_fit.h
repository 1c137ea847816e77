/*
 * emit_fit.h — the writers of `vmscope fit` (src/emit/): human text and
 * JSON for a struct vms_fit_result (fit.h). Each prints only to fp, never
 * exits, and returns 0 or -VMS_EIO on a write error (ferror at the end).
 * JSON key names are a contract (docs/fit.md "JSON").
 */
#ifndef VMS_EMIT_FIT_H
#define VMS_EMIT_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vmscope/fit.h"

/* How a fit result is shown. */
struct vms_fit_view {
	bool color;        /* ANSI colours (a terminal, NO_COLOR unset) */
	size_t max_places; /* text: placements listed (0 = all); the rest
	                      is counted */
};

/*
 * Text: a headline (the input, the request, fits or not), the window
 * (with what of its bounds is guessed) and the rule of each allocation:
 * the era's search, what it means for the answer (the <= 5.1 next-fit
 * cache, the 5.2+ search length), the lazily freed areas a purge gives
 * back; one line per placement (marked when it needed the purge); when
 * one fails, the largest hole of every window, what the alignment cost,
 * and the smallest vmalloc= under each semantics with its layout (or why
 * vmalloc= cannot help); then each failure line of the log explained
 * (target window, what was allocated, request without the guard page,
 * what fits now, or without real addresses why that is not known). Input
 * strings are escaped. O(shown placements + windows + failure lines).
 */
int vms_emit_fit_text(FILE *fp, const struct vms_fit_result *r,
                      const struct vms_fit_view *v);

/*
 * JSON: one object with the input's facts, "request", "fits",
 * "placements" (all of them, streamed), "failure", "vmalloc_param" (its
 * answers' placements streamed too) and "log_failures" (docs/fit.md
 * "JSON"). Memory O(one placement) beside the result.
 */
int vms_emit_fit_json(FILE *fp, const struct vms_fit_result *r,
                      const struct vms_fit_view *v);

#endif /* VMS_EMIT_FIT_H */
