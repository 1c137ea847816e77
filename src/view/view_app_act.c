/*
 * view_app_act.c — what an input does in the viewer (view_app_int.h): zoom,
 * pan, fit, region jumps, the compressed axis, guard pages, colours, the
 * search prompt and its matches, selecting an area, a hole or a treemap
 * cell, PNG snapshots, resizing and replay steps; each leaves a trace line
 * where the view changed and marks the window for a redraw.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "vmscope/common.h"
#include "vmscope/view_treemap.h"
#include "view_app_int.h"

/* Window pixel -> map pixel; false outside the map. */
static bool to_map(const struct app *a, int32_t x, int32_t y, uint32_t *mx, uint32_t *my)
{
	int32_t dx = x - a->lay.map_x, dy = y - a->lay.map_y;
	if (dx < 0 || dy < 0 || (uint32_t)dx >= a->lay.map_w ||
	    (uint32_t)dy >= a->lay.map_h)
		return false;
	*mx = (uint32_t)dx;
	*my = (uint32_t)dy;
	return true;
}

/* Without addresses the map is a treemap: a click names the cell's
 * caller, areas and bytes in the status bar. */
static void select_cell(struct app *a, uint32_t mx, uint32_t my)
{
	struct vms_treemap t;
	char msg[512], size[32];
	if (vms_treemap_build(a->model, a->lay.map_w, a->lay.map_h, &t) != 0)
		return;
	ptrdiff_t i = vms_treemap_hit(&t, mx, my);
	if (i < 0) {
		vms_app_say(a, NULL);
		vms_app_trace(a, "select none");
	} else {
		const struct vms_treemap_cell *c = &t.cells[i];
		snprintf(msg, sizeof(msg), "%s%s%s%s (%s): %llu areas, %s",
		         c->other    ? "other callers"
		         : c->caller ? c->caller
		                     : "?",
		         c->module ? " [" : "", c->module ? c->module : "",
		         c->module ? "]" : "", vms_akind_name((enum vms_akind)c->kind),
		         (unsigned long long)c->areas,
		         vms_format_size(c->bytes, size, sizeof(size)));
		vms_app_say(a, msg);
		vms_app_trace(a, "select cell %s", msg);
	}
	vms_treemap_free(&t);
}

static void select_at(struct app *a, int32_t x, int32_t y)
{
	uint32_t mx, my;
	uint64_t addr;
	a->ui.selected_hole = false;
	if (!to_map(a, x, y, &mx, &my))
		return;
	if (!a->model->geometry && a->model->dump->areas.n) {
		select_cell(a, mx, my);
		return;
	}
	if (vms_view_select_at(a->v, mx, my) == 0) {
		const struct vms_area *ar = &a->model->dump->areas.v[a->v->selected];
		const char *caller = vms_dump_sym(a->model->dump, ar->caller);
		vms_app_trace(a, "select area 0x%llx-0x%llx %s",
		              (unsigned long long)ar->start, (unsigned long long)ar->end,
		              caller ? caller : "-");
		return;
	}
	struct vms_view_hole h;
	if (!a->model->geometry || vms_view_addr_at(a->v, mx, my, &addr) != 0 ||
	    vms_view_hole_at(a->v, addr, &h) != 0) {
		vms_app_trace(a, "select none");
		return;
	}
	a->ui.hole_start = h.start;
	a->ui.hole_end = h.end;
	a->ui.selected_hole = true;
	if (!a->report) { /* hole causes come from the report */
		a->report = vms_report_build(a->model, NULL);
		a->ui.report = a->report;
	}
	vms_app_trace(a, "select hole 0x%llx-0x%llx",
	              (unsigned long long)a->ui.hole_start,
	              (unsigned long long)a->ui.hole_end);
}

static void jump_region(struct app *a, int k)
{
	const struct vms_region *r[9];
	size_t n = vms_view_jump_regions(a->v, r, 9);
	if (k < 1 || (size_t)k > n) {
		char msg[64];
		snprintf(msg, sizeof(msg), "no region %d (%zu here)", k, n);
		vms_app_say(a, msg);
		return;
	}
	vms_view_show_range(a->v, r[k - 1]->start, r[k - 1]->end);
	vms_app_say(a, NULL); /* an earlier "no region" is stale */
	vms_app_trace(a, "region %d %s", k, r[k - 1]->name);
}

static void next_match(struct app *a, int dir)
{
	const struct vms_view *v = a->v;
	if (!v->matches.n) {
		vms_app_say(a, a->search_len ? "no matches" : "no search: press / first");
		return;
	}
	uint64_t from = 0;
	if (v->has_selected)
		from = a->model->dump->areas.v[v->selected].start + (dir > 0 ? 1 : 0);
	ptrdiff_t i;
	if (dir > 0) {
		i = vms_view_search_next(v, from);
	} else { /* the last match below from, wrapping to the last */
		i = (ptrdiff_t)v->matches.v[v->matches.n - 1];
		for (size_t k = v->matches.n; k-- > 0;)
			if (a->model->dump->areas.v[v->matches.v[k]].start < from) {
				i = (ptrdiff_t)v->matches.v[k];
				break;
			}
	}
	a->v->has_selected = true;
	a->v->selected = (size_t)i;
	a->ui.selected_hole = false;
	const struct vms_area *ar = &a->model->dump->areas.v[i];
	vms_view_center_on(a->v, ar->start);
	vms_app_trace(a, "match 0x%llx-0x%llx", (unsigned long long)ar->start,
	              (unsigned long long)ar->end);
}

static void save_png(struct app *a)
{
	char path[128];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	char stamp[32];
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	struct stat st;
	snprintf(path, sizeof(path), "vmscope-%s.png", stamp);
	for (int i = 2; stat(path, &st) == 0 && i < 1000; i++)
		snprintf(path, sizeof(path), "vmscope-%s-%d.png", stamp, i);
	char msg[256];
	if (vms_view_save_png(a->v, &a->ui, a->lay.win_w, a->lay.win_h, path) < 0)
		snprintf(msg, sizeof(msg), "cannot save %s: %s", path,
		         vms_render_last_error());
	else
		snprintf(msg, sizeof(msg), "saved %s", path);
	vms_app_say(a, msg);
	vms_app_trace(a, "saved %s", path);
}

static void resize(struct app *a)
{
	int w, h;
	if (SDL_GetRendererOutputSize(a->r, &w, &h) != 0 || w <= 0 || h <= 0)
		return;
	vms_render_layout((uint32_t)w, (uint32_t)h, &a->lay);
	vms_app_new_view(a, a->v);
	vms_app_trace(a, "resize %dx%d", w, h);
	vms_app_trace_view(a);
}

void vms_app_search_key(struct app *a, const SDL_Event *e)
{
	if (e->type == SDL_TEXTINPUT) {
		size_t n = strlen(e->text.text);
		if (a->search_len + n < sizeof(a->search)) {
			memcpy(a->search + a->search_len, e->text.text, n + 1);
			a->search_len += n;
		}
		a->dirty = true;
		return;
	}
	if (e->type != SDL_KEYDOWN)
		return;
	SDL_Keycode k = e->key.keysym.sym;
	if (k == SDLK_BACKSPACE && a->search_len) {
		do /* one UTF-8 character */
			a->search_len--;
		while (a->search_len && (a->search[a->search_len] & 0xc0) == 0x80);
		a->search[a->search_len] = 0;
	} else if (k == SDLK_ESCAPE || k == SDLK_RETURN || k == SDLK_KP_ENTER) {
		a->ui.search_typing = false;
		SDL_StopTextInput();
		if (k == SDLK_ESCAPE) { /* cancelled: the search before stays */
			memcpy(a->search, a->kept, sizeof(a->search));
			a->search_len = strlen(a->search);
			a->ui.search_text = a->search_len ? a->search : NULL;
			a->dirty = true;
			return;
		}
		vms_app_say(a, NULL);
		size_t n = vms_view_search(a->v, a->search);
		vms_app_trace(a, "search '%s' %zu matches", a->search, n);
		if (n) {
			a->v->has_selected = false;
			next_match(a, +1);
		}
		a->ui.search_text = a->search_len ? a->search : NULL;
	}
	a->dirty = true;
}

/* Actions that move along the address axis: nothing to move without
 * addresses (the treemap). */
static bool on_axis(enum vms_action act)
{
	return act == VMS_ACT_ZOOM || act == VMS_ACT_FIT || act == VMS_ACT_PAN ||
	       act == VMS_ACT_REGION || act == VMS_ACT_COMPRESS || act == VMS_ACT_NEXT ||
	       act == VMS_ACT_SEARCH;
}

void vms_app_act(struct app *a, const struct vms_input *in)
{
	uint32_t mx = 0, my = 0;
	if (!a->model->geometry && on_axis(in->act)) {
		if (a->model->dump->areas.n)
			vms_app_say(
			    a,
			    "no addresses to move along: the map is a treemap of sizes");
		a->dirty = true;
		return;
	}
	switch (in->act) {
	case VMS_ACT_QUIT:
		a->quit = true;
		return;
	case VMS_ACT_ZOOM:
		if (in->x < 0 || !to_map(a, in->x, in->y, &mx, &my))
			mx = a->v->width / 2, my = a->v->rows / 2 * a->v->row_h;
		vms_view_zoom(a->v, in->factor, mx, my);
		vms_app_trace_view(a);
		break;
	case VMS_ACT_FIT:
		vms_view_fit(a->v);
		vms_app_trace_view(a);
		break;
	case VMS_ACT_PAN:
		vms_view_pan(a->v, in->dx, in->dy);
		vms_app_trace_view(a);
		break;
	case VMS_ACT_REGION:
		jump_region(a, in->arg);
		vms_app_trace_view(a);
		break;
	case VMS_ACT_GUARDS:
		a->ui.hide_guards = !a->ui.hide_guards;
		vms_app_trace(a, "guards %s", a->ui.hide_guards ? "off" : "on");
		break;
	case VMS_ACT_COLOR:
		a->ui.color_by = a->ui.color_by == VMS_COLOR_BY_KIND ? VMS_COLOR_BY_CALLER
		                                                     : VMS_COLOR_BY_KIND;
		vms_app_trace(a, "color-by %s", a->ui.color_by ? "caller" : "kind");
		break;
	case VMS_ACT_COMPRESS:
		vms_view_set_compressed(a->v, !a->v->compressed, 0, 0);
		vms_app_trace_view(a);
		break;
	case VMS_ACT_SEARCH:
		memcpy(a->kept, a->search, sizeof(a->kept)); /* Esc brings it back */
		a->ui.search_typing = true;
		a->search_len = 0;
		a->search[0] = 0;
		a->ui.search_text = a->search;
		SDL_StartTextInput();
		/* the '/' itself also came as text: not part of the search */
		SDL_FlushEvent(SDL_TEXTINPUT);
		vms_app_trace(a, "prompt");
		break;
	case VMS_ACT_NEXT:
		next_match(a, in->arg);
		break;
	case VMS_ACT_HELP:
		a->ui.help = !a->ui.help;
		break;
	case VMS_ACT_SAVE:
		save_png(a);
		break;
	case VMS_ACT_ESCAPE:
		if (a->ui.help)
			a->ui.help = false;
		else if (a->v->has_selected || a->ui.selected_hole) {
			a->v->has_selected = false;
			a->ui.selected_hole = false;
			vms_app_trace(a, "select none");
		}
		break;
	case VMS_ACT_STEP:
		if (!a->replay)
			break;
		if ((in->arg < 0 && a->pos == 0) ||
		    (in->arg > 0 && a->pos + 1 >= a->series.names.n)) {
			vms_app_say(a, in->arg < 0 ? "the first snapshot"
			                           : "the last snapshot");
			break;
		}
		vms_app_replay_to(a, (ptrdiff_t)a->pos + in->arg);
		vms_app_trace_view(a);
		break;
	case VMS_ACT_SELECT:
		select_at(a, in->x, in->y);
		break;
	case VMS_ACT_HOVER: {
		bool was = a->ui.hover;
		a->ui.hover = to_map(a, in->x, in->y, &mx, &my);
		if (!a->ui.hover && !was)
			return; /* nothing to redraw */
		a->ui.hover_x = mx;
		a->ui.hover_y = my;
		break;
	}
	case VMS_ACT_LEAVE:
		a->ui.hover = false;
		break;
	case VMS_ACT_RESIZE:
		resize(a);
		break;
	case VMS_ACT_REDRAW:
	case VMS_ACT_NONE:
		break;
	}
	a->dirty = true;
}
