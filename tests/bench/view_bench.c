/*
 * view_bench.c — frame time of the viewer's renderer on a big dump,
 * headless (the software renderer on a surface, SDL_VIDEODRIVER=dummy):
 *
 *   view-bench FILE [FRAMES]
 *
 * Builds FILE's model, then draws FRAMES frames (default 60) at 1280x800
 * in each scene: fit-all on the linear and the compressed axis, a deep
 * zoom (a page per pixel) in the middle of the areas, the same coloured
 * by caller with a selection, the hover tooltip and a search, and a
 * pan sweep (every frame a different origin). The view is moved between
 * frames where the scene says so, so caches keyed by the view do not hide
 * the cost. Prints, per scene, the median and worst frame in ms, the
 * renderer's work counter per frame, and the ratio of the median to a
 * reference measured in the same run: a frame that only clears the
 * surface and fills every row once (the pixel cost any frame pays).
 * Then the peak RSS and the model's bytes.
 */
#define _GNU_SOURCE
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "vmscope/aspace.h"
#include "vmscope/parse.h"
#include "vmscope/view.h"
#include "vmscope/view_render.h"

#define W     1280
#define H     800
#define ROW_H 12

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct scene {
	const char *name;
	void (*setup)(struct vms_view *v, struct vms_view_ui *ui);
	void (*step)(struct vms_view *v, int i); /* between frames, or NULL */
};

static void fit_linear(struct vms_view *v, struct vms_view_ui *ui)
{
	vms_view_set_compressed(v, false, 0, 0);
	vms_view_fit(v);
}

static void fit_compressed(struct vms_view *v, struct vms_view_ui *ui)
{
	vms_view_set_compressed(v, true, 0, 0);
}

static void deep(struct vms_view *v, struct vms_view_ui *ui)
{
	const struct vms_aspace *m = v->m;
	vms_view_set_compressed(v, false, 0, 0);
	const struct vms_area *a = &m->dump->areas.v[m->order[m->nr_order / 2]];
	v->bpp = m->page_size / 64 ? m->page_size / 64 : 1; /* 64 px a page */
	vms_view_center_on(v, a->start);
}

/* Nearly fit-all, every frame different (fit, then one byte a pixel
 * less): the map is rebuilt each frame over all the areas. */
static void refit_step(struct vms_view *v, int i)
{
	uint64_t fit = vms_view_fit_bpp(v);
	v->bpp = (i & 1) && fit > 1 ? fit - 1 : fit;
}

static void caller_sel(struct vms_view *v, struct vms_view_ui *ui)
{
	deep(v, ui);
	v->bpp = v->m->page_size; /* a page a pixel */
	vms_view_center_on(v, v->m->dump->areas.v[v->m->order[v->m->nr_order / 2]].start);
	ui->color_by = VMS_COLOR_BY_CALLER;
	vms_view_select_at(v, v->width / 2, v->rows / 2 * v->row_h);
	ui->hover = true;
	ui->hover_x = v->width / 3;
	ui->hover_y = v->rows / 3 * v->row_h;
	vms_view_search(v, "alloc");
}

static void sweep_step(struct vms_view *v, int i)
{
	vms_view_pan(v, 0, (i & 1) ? 37 : -23);
}

static void sweep(struct vms_view *v, struct vms_view_ui *ui)
{
	fit_linear(v, ui);
	vms_view_zoom(v, 64, v->width / 2, v->rows / 2 * v->row_h);
}

static const struct scene scenes[] = {
    {"fit-all linear", fit_linear, NULL},
    {"fit-all compressed", fit_compressed, NULL},
    {"fit-all, redrawn cold each frame", fit_linear, refit_step},
    {"deep zoom (64 px a page)", deep, NULL},
    {"caller colours+selection+search", caller_sel, NULL},
    {"pan sweep at 64x zoom", sweep, sweep_step},
};

/* The reference frame: clear, then one fill per row. */
static void reference(SDL_Renderer *r, int rows)
{
	SDL_SetRenderDrawColor(r, 0x1e, 0x1e, 0x1e, 0xff);
	SDL_RenderClear(r);
	SDL_SetRenderDrawColor(r, 0x00, 0x72, 0xb2, 0xff);
	for (int i = 0; i < rows; i++) {
		SDL_Rect rc = {0, i * ROW_H + 2, W, ROW_H - 3};
		SDL_RenderFillRect(r, &rc);
	}
	SDL_RenderPresent(r);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: view-bench FILE [FRAMES]\n");
		return 2;
	}
	int frames = argc > 2 ? atoi(argv[2]) : 60;
	if (frames < 1)
		frames = 1;
	setenv("SDL_VIDEODRIVER", "dummy", 0);
	struct vms_dump *d;
	double t0 = now_ms();
	if (vms_parse_file(argv[1], NULL, &d) != 0) {
		fprintf(stderr, "view-bench: cannot read %s\n", argv[1]);
		return 1;
	}
	struct vms_aspace *m = vms_aspace_build(d, NULL);
	double t1 = now_ms();
	printf("view: %zu areas (%zu placed), parse+model %.0f ms, model %zu bytes "
	       "(%.0f per area)\n",
	       d->areas.n, m->nr_order, t1 - t0, vms_aspace_bytes(m),
	       (double)vms_aspace_bytes(m) / (double)(d->areas.n ? d->areas.n : 1));
	struct vms_render_layout lay;
	vms_render_layout(W, H, &lay);
	SDL_Surface *s =
	    SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *r = s ? SDL_CreateSoftwareRenderer(s) : NULL;
	if (!r) {
		fprintf(stderr, "view-bench: %s\n", SDL_GetError());
		return 1;
	}
	struct vms_render *rc = vms_render_new(r, NULL);
	double *t = calloc((size_t)frames, sizeof(*t));

	for (int i = 0; i < frames; i++) {
		double a = now_ms();
		reference(r, (int)(lay.map_h / ROW_H));
		t[i] = now_ms() - a;
	}
	qsort(t, (size_t)frames, sizeof(*t), cmp_double);
	double ref = t[frames / 2];
	printf("view: reference frame (clear + a fill per row): median %.2f ms\n", ref);
	printf("view: %-34s %9s %9s %12s %8s\n", "scene, 1280x800", "median", "worst",
	       "steps/frame", "x ref");
	double worst_median = 0;
	for (size_t k = 0; k < sizeof(scenes) / sizeof(scenes[0]); k++) {
		struct vms_view *v = vms_view_new(m, lay.map_w, lay.map_h, ROW_H);
		struct vms_view_ui ui = {0};
		scenes[k].setup(v, &ui);
		uint64_t steps0 = vms_render_steps(rc);
		for (int i = 0; i < frames; i++) {
			if (scenes[k].step)
				scenes[k].step(v, i);
			double a = now_ms();
			vms_render_frame(rc, v, &ui);
			SDL_RenderPresent(r);
			t[i] = now_ms() - a;
		}
		uint64_t steps = (vms_render_steps(rc) - steps0) / (uint64_t)frames;
		qsort(t, (size_t)frames, sizeof(*t), cmp_double);
		double med = t[frames / 2];
		worst_median = med > worst_median ? med : worst_median;
		printf("view: %-34s %6.2f ms %6.2f ms %12llu %7.1fx\n", scenes[k].name,
		       med, t[frames - 1], (unsigned long long)steps, med / ref);
		vms_view_free(v);
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("view: peak RSS %ld MB\n", ru.ru_maxrss / 1024);
	printf(
	    "view: target <= 8 ms median frame at any zoom: %s (worst median %.2f ms)\n",
	    worst_median <= 8.0 ? "PASS" : "MISS", worst_median);
	free(t);
	vms_render_free(rc);
	SDL_DestroyRenderer(r);
	SDL_FreeSurface(s);
	vms_aspace_free(m);
	vms_dump_free(d);
	return 0;
}
