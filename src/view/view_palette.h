/*
 * view_palette.h — the map's colours (view_palette.c), SDL-free and
 * internal to src/view/: a column's colour by kind or by caller with its
 * shade by coverage, the caller slots the colours are cached by, and the
 * key the renderer's per-model caches are checked against.
 */
#ifndef VMS_VIEW_PALETTE_H
#define VMS_VIEW_PALETTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/view_render.h"

/* rgb faded towards the background: full colour when covered == span, a
 * quarter of the way for a sliver (span > 0). */
uint32_t vms_palette_shade(uint32_t rgb, uint64_t covered, uint64_t span);

/* Which model a cache was built for: its address, its dump's and their
 * arrays and sizes (see vms_render_forget() for the one case this cannot
 * tell apart). */
struct vms_model_key {
	const struct vms_aspace *m;
	const struct vms_dump *d;
	const void *areas, *order;
	size_t n, nr_order;
};
void vms_model_key_of(const struct vms_aspace *m, struct vms_model_key *k);
bool vms_model_key_eq(const struct vms_model_key *a, const struct vms_model_key *b);

/* Caller colours of one model, computed on first use per caller slot: the
 * caller's symbol id, or past the symbols one slot per pseudo name. */
struct vms_callers {
	struct vms_model_key key;
	uint8_t *rgb_of; /* per slot: palette index + 1; 0 not yet known */
	size_t nslots;
};
/* The caller slot of dump area i of m. O(1). */
uint32_t vms_callers_slot(const struct vms_aspace *m, uint32_t i);
/* The name of slot (a caller or a pseudo name), never NULL. */
const char *vms_callers_name(const struct vms_aspace *m, uint32_t slot);
/* Points c at model m, emptying it when it held another. */
void vms_callers_use(struct vms_callers *c, const struct vms_aspace *m);
/* Frees c's colours; c is empty (zeroed) and reusable. */
void vms_callers_fini(struct vms_callers *c);
/* The colour of caller slot: the palette's colours in order for the
 * callers with most bytes in the model (distinct), a hash of the name for
 * the others. c must be in use for m. */
uint32_t vms_callers_rgb(struct vms_callers *c, const struct vms_aspace *m,
                         uint32_t slot);
/* The colours of a column (both colourings): background when empty. */
void vms_callers_cell(struct vms_callers *c, const struct vms_aspace *m,
                      const struct vms_view_cell *cell, uint32_t *by_kind,
                      uint32_t *by_caller);

#endif /* VMS_VIEW_PALETTE_H */
