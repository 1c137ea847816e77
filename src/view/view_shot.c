/*
 * view_shot.c — one frame of the map written as PNG without a window
 * (include/vmscope/view_app.h): the view the app would open with (fit-all
 * or --focus, on the compressed axis when the space is sparse), drawn by the
 * renderer on a software surface. SDL-free itself: the renderer owns SDL.
 */
#include <stdio.h>
#include <string.h>

#include "vmscope/common.h"
#include "vmscope/view.h"
#include "vmscope/view_app.h"

int vms_view_screenshot(const struct vms_aspace *m, const struct vms_view_shot *s,
                        char *why, size_t len)
{
	uint32_t w = s->width ? s->width : VMS_VIEW_DEFAULT_W;
	uint32_t h = s->height ? s->height : VMS_VIEW_DEFAULT_H;
	struct vms_render_layout lay;
	vms_render_layout(w, h, &lay);
	struct vms_view *v = vms_view_new(m, lay.map_w, lay.map_h, VMS_VIEW_ROW_H);
	if (!v) {
		snprintf(why, len, "%ux%u is too small for the map", w, h);
		return -VMS_EINVAL;
	}
	int rc = 0;
	vms_view_auto_compress(v); /* a sparse focus reads as fit-all does */
	if (s->focus && (rc = vms_view_focus(v, s->focus, why, len)) != 0)
		rc = -VMS_EINVAL;
	if (rc == 0) {
		struct vms_view_ui ui = {.color_by = s->color_by,
		                         .title = s->title,
		                         .diff = s->diff,
		                         .prev = s->prev};
		rc = vms_view_save_png(v, &ui, w, h, s->path);
		if (rc < 0)
			snprintf(why, len, "cannot write %s: %s", s->path,
			         vms_render_last_error());
	}
	vms_view_free(v);
	return rc;
}
