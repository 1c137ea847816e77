/*
 * fuzz_view.c — libFuzzer target for the viewer's SDL-free parts on any
 * dump: the bytes after a four-byte header are parsed, modelled and
 * viewed at the size, row height, axis and zoom the header picks; then
 * every row's level of detail, hit-testing and the hole under pixels, a
 * search, a focus, the treemap of sizes, the details text of areas and
 * holes, and the diff of the model with itself are run, with their
 * invariants checked. A violation calls abort().
 *
 * Header: byte 0 the width (1-256), byte 1 the height (1-256), byte 2 the
 * row height (1-16) and the compressed axis (bit 7), byte 3 the zoom
 * steps (around the middle) and pan rows.
 *
 * Build and run: `make fuzz` (see tests/fuzz/README.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/parse.h"
#include "vmscope/view.h"
#include "vmscope/view_text.h"
#include "vmscope/view_treemap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why)
{
	fprintf(stderr, "fuzz_view: invariant violated: %s\n", why);
	abort();
}

/* Every row: covered within the span, the top area real and overlapping
 * its column, and the work bounded by the areas the row holds. */
static void check_rows(struct vms_view *v)
{
	struct vms_view_cell *out = calloc(v->width, sizeof(*out));
	const struct vms_dump *d = v->m->dump;
	for (uint32_t r = 0; r < v->rows; r++) {
		vms_view_row(v, r, out);
		for (uint32_t c = 0; c < v->width; c++) {
			if (out[c].covered > out[c].span)
				fail("a column covers more than its span");
			if (out[c].covered && out[c].kind >= VMS_NR_AKINDS)
				fail("a covered column without a kind");
			if (out[c].top != VMS_VIEW_NO_AREA &&
			    (out[c].top >= d->areas.n || !out[c].top_bytes ||
			     out[c].top_bytes > out[c].covered))
				fail("a column's top area is not real");
		}
	}
	free(out);
}

static void check_picks(struct vms_view *v)
{
	struct vms_text_lines lines;
	for (uint32_t y = 0; y < v->rows * v->row_h; y += v->row_h)
		for (uint32_t x = 0; x < v->width; x += 7) {
			struct vms_view_hit h;
			uint64_t addr;
			if (vms_view_hit(v, x, y, &h) == 0) {
				const struct vms_area *a = &v->m->dump->areas.v[h.area];
				if (h.area >= v->m->dump->areas.n || a->end <= a->start)
					fail("a hit on no area");
				vms_view_text_area(&lines, v->m, h.area, NULL);
				if (!lines.n)
					fail("an area without details");
			} else if (vms_view_addr_at(v, x, y, &addr) == 0) {
				struct vms_view_hole hole;
				if (vms_view_hole_at(v, addr, &hole) == 0) {
					if (hole.start > addr || hole.end <= addr)
						fail(
						    "the hole does not hold its address");
					vms_view_text_hole(&lines, v->m, NULL, hole.start,
					                   hole.end);
				}
			}
		}
}

static void check_treemap(const struct vms_aspace *m, uint32_t w, uint32_t h)
{
	struct vms_treemap t;
	if (vms_treemap_build(m, w, h, &t) != 0)
		fail("the treemap refused a non-empty size");
	for (size_t i = 0; i < t.n; i++) {
		const struct vms_treemap_cell *c = &t.cells[i];
		if ((uint64_t)c->x + c->w > w || (uint64_t)c->y + c->h > h)
			fail("a treemap cell outside the map");
	}
	(void)vms_treemap_hit(&t, w / 2, h / 2);
	vms_treemap_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	uint32_t w = 1u + data[0], h = 1u + data[1], rh = 1u + (data[2] & 15u);
	bool compressed = data[2] & 0x80;
	struct vms_dump *d = NULL;
	if (vms_parse_buffer((const char *)data + 4, size - 4, "fuzz", NULL, &d) != 0) {
		vms_dump_free(d);
		return 0;
	}
	struct vms_aspace *m = vms_aspace_build(d, NULL);
	struct vms_view *v = vms_view_new(m, w, h, rh > h ? h : rh);
	if (!v)
		fail("no view of a valid size");
	if (compressed)
		vms_view_set_compressed(v, true, 1u << 16, 0);
	for (int i = 0; i < (data[3] & 7); i++)
		vms_view_zoom(v, 3.0, w / 2, (v->rows / 2) * v->row_h);
	vms_view_pan(v, 0, (int64_t)(data[3] >> 3) - 16);
	if (v->bpp < 1 || v->bpp > vms_view_fit_bpp(v))
		fail("bpp outside [1, fit]");
	check_rows(v);
	check_picks(v);
	size_t n = vms_view_search(v, "a");
	for (size_t k = 0; k < n; k++)
		if (!vms_view_is_match(v, v->matches.v[k]))
			fail("a match that is not one");
	char why[256];
	(void)vms_view_focus(v, "vmalloc", why, sizeof(why));
	(void)vms_view_focus(v, "0x1000-0xffffffffffff0000", why, sizeof(why));
	struct vms_view_diff diff = {0};
	vms_view_diff_build(m, m, &diff);
	if (diff.added.n || diff.freed.n)
		fail("a model differs from itself");
	vms_view_diff_free(&diff);
	check_treemap(m, w, h);
	vms_view_free(v);
	vms_aspace_free(m);
	vms_dump_free(d);
	return 0;
}
