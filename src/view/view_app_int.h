/*
 * view_app_int.h — the state of the viewer's app and what its two files
 * share: view_app.c (models, snapshots, the window and the loop) and
 * view_app_act.c (what an input does). Internal to src/view/ (SDL types).
 *
 * Invariants: a->v always views a->model; a->prev (when set) is the
 * snapshot a->diff's freed indices refer to and outlives the diff;
 * a->report, when built, is the current model's.
 */
#ifndef VMS_VIEW_APP_INT_H
#define VMS_VIEW_APP_INT_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/report.h"
#include "vmscope/view.h"
#include "vmscope/view_app.h"
#include "vmscope/view_live.h"
#include "vmscope/view_text.h"
#include "view_input.h"

struct app {
	const struct vms_view_app_opts *o;
	SDL_Window *win;
	SDL_Renderer *r;
	struct vms_render *rc;
	struct vms_render_layout lay;
	struct vms_view *v;
	struct vms_view_ui ui;
	struct vms_input_state in;

	const struct vms_aspace *model;   /* shown: o->model, cur->model or empty */
	struct vms_live_snap *cur, *prev; /* live / replay snapshots (owned) */
	struct vms_dump *empty_dump;      /* before the first snapshot */
	struct vms_aspace *empty_model;
	struct vms_report *report;  /* of model, built when a hole is picked */
	struct vms_text_source src; /* the model's input text, line index */
	struct vms_view_diff diff;
	bool has_diff;
	uint64_t change_ms; /* SDL ticks when the diff was made */
	struct vms_usage prev_kinds[VMS_NR_AKINDS];

	struct vms_live *live;
	Uint32 wake_event;
	struct vms_series series;
	bool replay;
	size_t pos; /* replay: the snapshot shown */

	char search[256];
	size_t search_len;
	char kept[256]; /* the search before the prompt opened */
	char title[512];
	char message[1024];
	char *err_text; /* a failed read's stderr, shown in its box */
	bool dirty, quit;
};

/* One trace line (VMSCOPE_VIEW_TRACE), when tracing. */
void vms_app_trace(struct app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The visible range as a trace line. */
void vms_app_trace_view(struct app *a);
/* Shows msg in the status bar and, when it is new, on the error stream;
 * NULL clears it. */
void vms_app_say(struct app *a, const char *msg);
/* A new view of a->model the size of the map; follows old when given. */
void vms_app_new_view(struct app *a, const struct vms_view *old);
/* Frees the current model's report (hole causes). */
void vms_app_drop_report(struct app *a);
/* Replay: shows snapshot k (clamped), diffed against k - 1. */
void vms_app_replay_to(struct app *a, ptrdiff_t k);
/* What a decoded input does (view_app_act.c). */
void vms_app_act(struct app *a, const struct vms_input *in);
/* A key or text while the search prompt is open (view_app_act.c). */
void vms_app_search_key(struct app *a, const SDL_Event *e);

#endif /* VMS_VIEW_APP_INT_H */
