/*
 * view_app.c — the viewer's window and loop (include/vmscope/view_app.h):
 * one model at a time shown through a view (view.h), drawn by the
 * renderer (view_render.h), driven by the input table (view_input.h); in
 * live mode a reader thread (view_live.h) hands finished snapshots over
 * and wakes the loop with an SDL user event, in replay mode the snapshots
 * of a recorded directory are loaded as the timeline moves.
 *
 * The loop sleeps in SDL_WaitEventTimeout and draws only when something
 * changed (dirty), or while a change highlight fades. Reading never
 * happens on this thread except a replay step (one file).
 *
 * What an input does is view_app_act.c; the state both share is
 * view_app_int.h.
 */
#include <SDL.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmscope/common.h"
#include "view_app_int.h"

/* Redraw period while a change highlight fades; idle wake-up period. */
#define FRAME_MS 33
#define IDLE_MS  500

/* ---- trace and messages ------------------------------------------------ */

void vms_app_trace(struct app *a, const char *fmt, ...)
{
	if (!a->o->trace)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(a->o->trace, fmt, ap);
	va_end(ap);
	fputc('\n', a->o->trace);
	fflush(a->o->trace);
}

/* Shows msg in the status bar and, when it is new, on the error stream. */
void vms_app_say(struct app *a, const char *msg)
{
	if (!msg || !*msg) {
		a->message[0] = 0;
		a->ui.message = NULL;
		return;
	}
	if (strcmp(a->message, msg) != 0 && a->o->err) {
		fprintf(a->o->err, "vmscope view: %s\n", msg);
		fflush(a->o->err);
	}
	snprintf(a->message, sizeof(a->message), "%s", msg);
	a->ui.message = a->message;
	vms_app_trace(a, "message %s", msg);
}

void vms_app_trace_view(struct app *a)
{
	uint64_t s, e;
	vms_view_range(a->v, &s, &e);
	vms_app_trace(a, "view 0x%llx-0x%llx bpp %llu%s", (unsigned long long)s,
	              (unsigned long long)e, (unsigned long long)a->v->bpp,
	              a->v->compressed ? " compressed" : "");
}

/* ---- models ------------------------------------------------------------ */

static void kinds_of(const struct vms_aspace *m, struct vms_usage *out)
{
	memset(out, 0, sizeof(*out) * VMS_NR_AKINDS);
	for (size_t i = 0; m && i < m->dump->areas.n; i++) {
		out[m->kind[i]].count++;
		out[m->kind[i]].bytes += m->dump->areas.v[i].size;
	}
}

void vms_app_drop_report(struct app *a)
{
	vms_report_free(a->report);
	a->report = NULL;
	a->ui.report = NULL;
}

/* Indexes the lines of the shown model's input, for the details panel's
 * quote: the snapshot's bytes, or the file the CLI loaded. */
static void set_source(struct app *a, const char *text, size_t len)
{
	vms_view_text_source_fini(&a->src);
	memset(&a->src, 0, sizeof(a->src));
	a->ui.source = NULL;
	if (!text)
		return;
	vms_view_text_source_init(&a->src, text, len);
	a->ui.source = &a->src;
}

/* A new view of a->model the size of the map; follows old when given. */
void vms_app_new_view(struct app *a, const struct vms_view *old)
{
	struct vms_view *v =
	    vms_view_new(a->model, a->lay.map_w, a->lay.map_h,
	                 a->lay.map_h >= VMS_VIEW_ROW_H ? VMS_VIEW_ROW_H : a->lay.map_h);
	if (old) {
		vms_view_follow(v, old);
	} else {
		vms_view_auto_compress(v);
		char why[256]; /* a focus that fits only the first model */
		if (a->o->focus && a->model != a->empty_model &&
		    vms_view_focus(v, a->o->focus, why, sizeof(why)) != 0)
			vms_app_say(a, why);
	}
	if (a->search_len)
		vms_view_search(v, a->search);
	if (old && old->has_selected) { /* the same area, by start */
		uint64_t start = old->m->dump->areas.v[old->selected].start;
		size_t k = vms_aspace_first_at(a->model, start);
		if (k < a->model->nr_order &&
		    a->model->dump->areas.v[a->model->order[k]].start == start) {
			v->has_selected = true;
			v->selected = a->model->order[k];
		}
	}
	vms_view_free(a->v);
	a->v = v;
	a->in.row_h = (int32_t)v->row_h;
	a->in.pan_step = (int32_t)(v->width / 8 ? v->width / 8 : 1);
	a->dirty = true;
}

static void set_title(struct app *a, const struct vms_live_snap *s)
{
	const char *name = a->o->name     ? a->o->name
	                   : a->replay    ? a->o->dir
	                   : a->o->source ? a->o->source
	                                  : a->o->path;
	if (!s) {
		snprintf(a->title, sizeof(a->title), "%s", name ? name : "");
	} else {
		char when[32] = "";
		struct tm tm;
		if (s->wall && localtime_r(&s->wall, &tm))
			strftime(when, sizeof(when), " %H:%M:%S", &tm);
		snprintf(a->title, sizeof(a->title), "%s%s #%llu", name ? name : "", when,
		         (unsigned long long)s->seq);
	}
	a->ui.title = a->title;
}

/*
 * Takes snapshot s (owned from now): shows its model when it has one,
 * diffed against the one shown before; else its error, keeping the map.
 */
static void take_snapshot(struct app *a, struct vms_live_snap *s)
{
	free(a->err_text);
	a->err_text = NULL;
	a->ui.source_stderr = NULL;
	if (!s->model) {
		char msg[1024]; /* no read number: the same failure is said once */
		snprintf(msg, sizeof(msg), "%s: %s (%s)",
		         a->o->source ? a->o->source : a->o->path,
		         s->error ? s->error : "nothing usable",
		         a->cur ? "showing the last good snapshot" : "no snapshot yet");
		vms_app_say(a, msg);
		vms_app_trace(a, "snapshot %llu failed", (unsigned long long)s->seq);
		if (s->stderr_text && *s->stderr_text) /* shown until the next read */
			a->ui.source_stderr = a->err_text = vms_xstrdup(s->stderr_text);
		vms_live_snap_free(s);
		a->dirty = true;
		return;
	}
	vms_app_say(a, NULL);
	if (s->stderr_text && *s->stderr_text)
		a->ui.source_stderr = s->stderr_text;
	if (a->has_diff)
		vms_view_diff_free(&a->diff);
	a->has_diff = false;
	struct vms_live_snap *gone = a->prev; /* freed once nothing reads it */
	a->prev = a->cur;
	a->cur = s;
	vms_app_drop_report(a);
	a->ui.selected_hole = false;
	if (a->prev && a->prev->model) {
		vms_view_diff_build(a->prev->model, s->model, &a->diff);
		/* nothing changed: nothing to highlight, no fade to animate */
		a->has_diff = a->diff.added.n || a->diff.freed.n;
		a->change_ms = SDL_GetTicks64();
		kinds_of(a->prev->model, a->prev_kinds);
		a->ui.diff = a->has_diff ? &a->diff : NULL;
		a->ui.prev = a->prev->model;
		a->ui.prev_kinds = a->prev_kinds;
		vms_app_trace(a, "snapshot %llu areas %zu added %zu freed %zu",
		              (unsigned long long)s->seq, s->model->nr_order,
		              a->diff.added.n, a->diff.freed.n);
	} else {
		a->ui.diff = NULL;
		a->ui.prev = NULL;
		a->ui.prev_kinds = NULL;
		vms_app_trace(a, "snapshot %llu areas %zu", (unsigned long long)s->seq,
		              s->model->nr_order);
	}
	bool first = a->model != s->model && (a->model == a->empty_model || !a->model);
	a->model = s->model;
	set_source(a, s->text, s->bytes);
	set_title(a, s);
	vms_app_new_view(a, first ? NULL : a->v);
	if (first)
		vms_app_trace_view(a);
	if (a->replay) {
		a->ui.timeline_pos = a->pos;
		a->ui.timeline_n = a->series.names.n;
	}
	if (gone) {
		vms_live_snap_free(gone);
		vms_render_forget(a->rc); /* no cache may outlive a freed model */
	}
}

/* Replay: shows snapshot k (clamped), diffed against k - 1. */
void vms_app_replay_to(struct app *a, ptrdiff_t k)
{
	k = k < 0                            ? 0
	    : (size_t)k >= a->series.names.n ? (ptrdiff_t)a->series.names.n - 1
	                                     : k;
	if (a->cur && (size_t)k == a->pos)
		return;
	/* the shown snapshots stay alive until the new one is shown: the new
	 * view follows the old one, and the selection is found again by the
	 * old model's address */
	struct vms_live_snap *old_cur = a->cur, *old_prev = a->prev;
	a->prev = a->cur = NULL;
	if (a->has_diff)
		vms_view_diff_free(&a->diff);
	a->has_diff = false;
	a->ui.diff = NULL;
	a->ui.prev = NULL;
	a->ui.prev_kinds = NULL;
	a->pos = (size_t)k;
	if (k > 0) {
		struct vms_live_snap *p = vms_xcalloc(1, sizeof(*p));
		vms_series_load(&a->series, (size_t)k - 1, a->o->popts, a->o->arch, p);
		a->cur = p; /* becomes prev below */
	}
	struct vms_live_snap *s = vms_xcalloc(1, sizeof(*s));
	vms_series_load(&a->series, (size_t)k, a->o->popts, a->o->arch, s);
	if (s->model) {
		take_snapshot(a, s);
	} else { /* a file of the directory that is not a dump */
		char msg[1024];
		snprintf(msg, sizeof(msg), "snapshot %zu of %zu: %s", (size_t)k + 1,
		         a->series.names.n, s->error ? s->error : "nothing usable");
		vms_live_snap_free(a->cur);
		a->cur = NULL;
		vms_live_snap_free(s);
		vms_app_drop_report(a);
		a->ui.selected_hole = false;
		a->model = a->empty_model;
		set_source(a, NULL, 0);
		vms_app_new_view(a, NULL);
		a->ui.timeline_pos = a->pos;
		a->ui.timeline_n = a->series.names.n;
		vms_app_say(a, msg);
	}
	vms_live_snap_free(old_cur);
	vms_live_snap_free(old_prev);
	vms_render_forget(a->rc); /* no cache may outlive a freed model */
}

/* ---- live --------------------------------------------------------------- */

static void wake(void *ctx)
{
	struct app *a = ctx;
	SDL_Event e = {0};
	e.type = a->wake_event;
	SDL_PushEvent(&e); /* thread-safe */
}

static void poll_live(struct app *a)
{
	struct vms_live_snap *s = vms_live_take(a->live);
	if (s)
		take_snapshot(a, s);
}

/* ---- setup and loop --------------------------------------------------- */

static int open_window(struct app *a, char *why, size_t len)
{
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		snprintf(why, len,
		         "cannot open a window: %s (no display? --screenshot needs none)",
		         vms_render_last_error());
		return -VMS_EIO;
	}
	/* Without a display SDL falls back to drivers whose windows nobody
	 * sees; only an explicit SDL_VIDEODRIVER may ask for them (tests). */
	const char *drv = SDL_GetCurrentVideoDriver(), *asked = getenv("SDL_VIDEODRIVER");
	if (drv && (!strcmp(drv, "offscreen") || !strcmp(drv, "dummy")) &&
	    !(asked && !strcmp(asked, drv))) {
		snprintf(why, len,
		         "cannot open a window: no display (SDL found only its '%s' "
		         "driver; set DISPLAY or WAYLAND_DISPLAY, or use --screenshot, "
		         "which needs none)",
		         drv);
		return -VMS_EIO;
	}
	uint32_t w = a->o->width ? a->o->width : VMS_VIEW_DEFAULT_W;
	uint32_t h = a->o->height ? a->o->height : VMS_VIEW_DEFAULT_H;
	a->win =
	    SDL_CreateWindow("vmscope", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
	                     (int)w, (int)h, SDL_WINDOW_RESIZABLE);
	if (a->win)
		a->r = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_ACCELERATED);
	if (a->win && !a->r) /* no GPU: the software renderer draws the same */
		a->r = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
	if (!a->r) {
		snprintf(why, len, "cannot open a window: %s", vms_render_last_error());
		return -VMS_EIO;
	}
	a->rc = vms_render_new(a->r, a->o->font);
	const char *used = vms_render_font(a->rc);
	if (!a->o->font && !used)
		vms_app_say(
		    a, "no font found: the map has no text (install fonts-dejavu-core "
		       "or give --font FILE)");
	if (a->o->font && (!used || strcmp(used, a->o->font) != 0)) {
		char msg[512];
		snprintf(msg, sizeof(msg),
		         "--font %s is not a font SDL2_ttf can open; %s", a->o->font,
		         used ? "the default font is used" : "no text is drawn");
		vms_app_say(a, msg);
	}
	a->wake_event = SDL_RegisterEvents(1);
	int ow, oh;
	SDL_GetRendererOutputSize(a->r, &ow, &oh);
	vms_render_layout((uint32_t)ow, (uint32_t)oh, &a->lay);
	return 0;
}

static int start_content(struct app *a, char *why, size_t len)
{
	const struct vms_view_app_opts *o = a->o;
	vms_parse_buffer("", 0, "(waiting)", o->popts, &a->empty_dump);
	a->empty_model = vms_aspace_build(a->empty_dump, o->arch);
	/* what the banner says while there is nothing to draw (a string the
	 * model does not own: it frees its arena, not this) */
	a->empty_model->no_geometry = "no snapshot to draw yet: the status bar says why";
	a->model = o->model ? o->model : a->empty_model;
	if (o->model)
		set_source(a, o->text, o->text_len);
	set_title(a, NULL);
	if (o->model && o->focus) { /* a bad focus of a file is a usage error */
		struct vms_view *probe = vms_view_new(
		    o->model, a->lay.map_w, a->lay.map_h,
		    VMS_VIEW_ROW_H < a->lay.map_h ? VMS_VIEW_ROW_H : a->lay.map_h);
		vms_view_auto_compress(probe);
		int rc = vms_view_focus(probe, o->focus, why, len);
		vms_view_free(probe);
		if (rc != 0)
			return -VMS_EINVAL;
	}
	vms_app_new_view(a, NULL);
	if (o->dir) {
		a->replay = true; /* the series is freed whatever happens */
		if (vms_series_open(o->dir, &a->series) < 0) {
			snprintf(why, len, "%s", a->series.error);
			return -VMS_EIO;
		}
		vms_app_replay_to(a, 0);
		vms_app_trace(a, "replay %zu snapshots", a->series.names.n);
	} else if (o->live) {
		struct vms_live_opts lo = {.path = o->path,
		                           .source = o->source,
		                           .interval_ms = o->interval_ms,
		                           .timeout_ms = o->timeout_ms,
		                           .record_dir = o->record_dir,
		                           .popts = o->popts,
		                           .arch = o->arch};
		a->live = vms_live_start(&lo, wake, a);
		vms_app_say(a, "reading the first snapshot…");
	}
	return 0;
}

static void draw(struct app *a)
{
	if (a->has_diff) {
		uint64_t age = SDL_GetTicks64() - a->change_ms;
		a->ui.change_age_s = (double)age / 1000.0;
	}
	a->ui.search_text = a->ui.search_typing || a->search_len ? a->search : NULL;
	if (vms_render_frame(a->rc, a->v, &a->ui) < 0)
		vms_app_say(a, vms_render_last_error());
	SDL_RenderPresent(a->r);
	a->dirty = false;
}

static bool fading(const struct app *a)
{
	return a->has_diff && a->ui.change_age_s < VMS_RENDER_FADE_S;
}

static void loop(struct app *a)
{
	bool first = true;
	while (!a->quit) {
		if (a->dirty || fading(a)) {
			draw(a);
			if (first) {
				vms_app_trace(a, "ready %ux%u map %d,%d %ux%u",
				              a->lay.win_w, a->lay.win_h, a->lay.map_x,
				              a->lay.map_y, a->lay.map_w, a->lay.map_h);
				vms_app_trace_view(a);
				first = false;
			}
		}
		SDL_Event e;
		if (!SDL_WaitEventTimeout(&e, fading(a) ? FRAME_MS : IDLE_MS))
			continue;
		do {
			if (e.type == a->wake_event) {
				poll_live(a);
				continue;
			}
			if (a->ui.search_typing &&
			    (e.type == SDL_TEXTINPUT || e.type == SDL_KEYDOWN)) {
				vms_app_search_key(a, &e);
				continue;
			}
			struct vms_input in;
			if (vms_input_decode(&e, &a->in, a->replay, &in) != VMS_ACT_NONE)
				vms_app_act(a, &in);
		} while (!a->quit && SDL_PollEvent(&e));
	}
}

static void close_app(struct app *a)
{
	vms_live_stop(a->live);
	if (a->has_diff)
		vms_view_diff_free(&a->diff);
	vms_app_drop_report(a);
	vms_view_text_source_fini(&a->src);
	vms_view_free(a->v);
	vms_live_snap_free(a->prev);
	vms_live_snap_free(a->cur);
	free(a->err_text);
	if (a->replay)
		vms_series_free(&a->series);
	vms_aspace_free(a->empty_model);
	vms_dump_free(a->empty_dump);
	vms_render_free(a->rc);
	if (a->r)
		SDL_DestroyRenderer(a->r);
	if (a->win)
		SDL_DestroyWindow(a->win);
	SDL_Quit();
}

int vms_view_app_run(const struct vms_view_app_opts *o, char *why, size_t len)
{
	struct app a = {.o = o};
	a.ui.color_by = o->color_by;
	a.ui.help_lines = vms_input_help(&a.ui.help_n);
	int rc = open_window(&a, why, len);
	if (rc == 0)
		rc = start_content(&a, why, len);
	if (rc == 0)
		loop(&a);
	close_app(&a);
	return rc;
}
