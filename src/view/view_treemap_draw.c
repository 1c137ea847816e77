/*
 * view_treemap_draw.c — draws the treemap of a model without addresses
 * (view_treemap.h, laid out by view_treemap.c) in the map's rectangle:
 * each caller cell filled with its kind's colour, a little lighter or
 * darker by a hash of its name so neighbours part, with a 1-px border of
 * background; kinds parted by two pixels of background, each frame
 * tagged at its top-left with "kind  bytes · areas"; "caller [module]"
 * and "12.3 MiB · 7" (bytes and areas) inside the cells they fit; the
 * hovered cell outlined; and a banner across the top saying why there is
 * no address map and how to get one (labels keep below it). Without a
 * font: the cells only.
 *
 * Cost: one fill per cell (cells are at most pixels / MIN_CELL^2, see
 * view_treemap.c), labels through the text cache (view_font.c), the
 * banner's words measured once per frame.
 */
#include <stdio.h>
#include <string.h>

#include "vmscope/view_treemap.h"
#include "view_int.h"

#define MAX_BANNER_LINES 8
#define MIN_LABEL_W      24 /* pixels of text room under which no label */
#define TEXT_DARK        0x141414u
#define TEXT_LIGHT       0xf5f5f5u
#define TAG_LIGHTEN      96 /* of 255 towards white: a kind tag's text */

/* Colour c moved towards white (f > 0) or black (f < 0) by |f| / 255;
 * the hue stays (each channel's distance to the end is scaled alike). */
static uint32_t tint(uint32_t c, int f)
{
	uint32_t out = 0;
	for (int sh = 16; sh >= 0; sh -= 8) {
		int v = (int)(c >> sh & 0xff);
		v = f >= 0 ? v + (255 - v) * f / 255 : v * (255 + f) / 255;
		out |= (uint32_t)v << sh;
	}
	return out;
}

/* FNV-1a of a name (NULL: h unchanged) continuing from h. */
static uint32_t name_hash(const char *s, uint32_t h)
{
	for (; s && *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

/* A caller cell's fill: its kind's colour, one of five shades by a hash
 * of caller and module; "other" darkest. */
static uint32_t cell_rgb(const struct vms_treemap_cell *c)
{
	static const int shade[] = {-40, -20, 0, 20, 40};
	uint32_t base = vms_render_akind_rgb[c->kind];
	if (c->other)
		return tint(base, -80);
	uint32_t h = name_hash(c->module, name_hash(c->caller, 2166136261u));
	return tint(base, shade[(h ^ h >> 16) % 5]);
}

/* Dark text on light fills, light text on dark ones. */
static uint32_t text_on(uint32_t bg)
{
	uint32_t luma =
	    ((bg >> 16 & 0xff) * 299 + (bg >> 8 & 0xff) * 587 + (bg & 0xff) * 114) / 1000;
	return luma > 140 ? TEXT_DARK : TEXT_LIGHT;
}

/* A 1-px outline just inside (x, y, w, h). */
static int outline(SDL_Renderer *r, uint32_t rgb, int x, int y, int w, int h)
{
	if (w <= 0 || h <= 0)
		return 0;
	int err = vms_fill(r, rgb, x, y, w, 1) | vms_fill(r, rgb, x, y + h - 1, w, 1);
	return err | vms_fill(r, rgb, x, y, 1, h) | vms_fill(r, rgb, x + w - 1, y, 1, h);
}

/* The name line of a cell: "caller [module]" or "other (N callers)". */
static void cell_name(const struct vms_treemap_cell *c, char *buf, size_t len)
{
	if (c->other)
		snprintf(buf, len, "other (%u callers)", c->callers);
	else if (c->module)
		snprintf(buf, len, "%s [%s]", c->caller, c->module);
	else
		snprintf(buf, len, "%s", c->caller);
}

/* Labels of cell c at (x, y) in the window, below top (the banner's
 * bottom): the name, clipped to the cell, when one line fits; bytes and
 * areas when two lines fit and the line is whole. */
static int draw_label(struct vms_text *t, const struct vms_treemap_cell *c, int x, int y,
                      int top, uint32_t fill)
{
	int pad = VMS_TREEMAP_PAD, room_w = (int)c->w - 1 - 2 * pad;
	int y0 = y > top ? y : top, room_h = y + (int)c->h - 1 - y0 - 2 * pad;
	if (room_w < MIN_LABEL_W || room_h < t->line_h)
		return 0;
	char name[512], size[64], line[96];
	cell_name(c, name, sizeof(name));
	uint32_t ink = text_on(fill);
	if (vms_text_draw(t, x + pad, y0 + pad, ink, name, room_w) < 0)
		return -1;
	if (room_h < 2 * t->line_h)
		return 0;
	snprintf(line, sizeof(line), "%s \xc2\xb7 %llu",
	         vms_format_size(c->bytes, size, sizeof(size)),
	         (unsigned long long)c->areas);
	int w, h;
	vms_text_size(t, line, &w, &h);
	if (w > room_w)
		return 0;
	return vms_text_draw(t, x + pad, y0 + pad + t->line_h, ink, line, 0) < 0 ? -1 : 0;
}

/* Whether the first n bytes of s (n < 512) fit in max_w pixels. */
static bool fits(struct vms_text *t, const char *s, size_t n, int max_w)
{
	char part[512];
	int w, h;
	memcpy(part, s, n);
	part[n] = '\0';
	vms_text_size(t, part, &w, &h);
	return w <= max_w;
}

/*
 * Splits s (shorter than 512 bytes) into lines of at most max_w pixels at
 * blanks, the most whole words each (a word wider than max_w stands
 * alone, clipped when drawn): copies them into buf, NUL-terminated, and
 * points line[i] at each. Returns the number of lines, at most
 * MAX_BANNER_LINES.
 */
static size_t wrap(struct vms_text *t, const char *s, int max_w, char *buf, size_t len,
                   const char **line)
{
	size_t n = 0;
	while (*s && n < MAX_BANNER_LINES) {
		size_t cut = 0, end = 0;
		for (;;) {
			while (s[end] && s[end] != ' ')
				end++;
			if (cut && !fits(t, s, end, max_w))
				break;
			cut = end;
			if (!s[end])
				break;
			end++;
		}
		if (cut + 1 > len)
			break;
		memcpy(buf, s, cut);
		buf[cut] = '\0';
		line[n++] = buf;
		buf += cut + 1;
		len -= cut + 1;
		for (s += cut; *s == ' '; s++)
			;
	}
	return n;
}

/* The banner's lines: why there is no address map (nwhy lines), then
 * how to get one, wrapped to the map's width; h: the box's height. */
struct banner {
	char why[512], how[512], buf[2048];
	const char *line[2 * MAX_BANNER_LINES];
	size_t n, nwhy;
	int h;
};

static void banner_lines(struct vms_text *t, const struct vms_aspace *m, int max_w,
                         struct banner *b)
{
	snprintf(b->why, sizeof(b->why),
	         "No address map: %s. Cells are bytes by kind and caller.",
	         m->no_geometry ? m->no_geometry : "no addresses");
	const char *hint = vms_aspace_address_hint(m);
	snprintf(b->how, sizeof(b->how), "%s", hint ? hint : "");
	if (b->how[0] >= 'a' && b->how[0] <= 'z')
		b->how[0] = (char)(b->how[0] - 'a' + 'A');
	size_t half = sizeof(b->buf) / 2;
	b->nwhy = wrap(t, b->why, max_w, b->buf, half, b->line);
	b->n = b->nwhy + wrap(t, b->how, max_w, b->buf + half, half, b->line + b->nwhy);
	b->h = (int)b->n * t->line_h + 2 * VMS_TREEMAP_PAD;
}

static int draw_banner(struct vms_text *t, SDL_Renderer *r, const struct banner *b,
                       const struct vms_render_layout *lay)
{
	int pad = VMS_TREEMAP_PAD, max_w = (int)lay->map_w - 2 * pad;
	int err = vms_fill(r, VMS_TREEMAP_BANNER_BG, lay->map_x, lay->map_y,
	                   (int)lay->map_w, b->h);
	for (size_t i = 0; i < b->n && !err; i++)
		err = vms_text_draw(t, lay->map_x + pad,
		                    lay->map_y + pad + (int)i * t->line_h,
		                    i < b->nwhy ? VMS_TREEMAP_WHY : VMS_TREEMAP_HOW,
		                    b->line[i], max_w) < 0;
	return err ? -1 : 0;
}

/* The fills of the caller cells, then the frames' outlines: a second
 * pixel of background on their right and bottom. */
static int draw_cells(SDL_Renderer *r, const struct vms_treemap *tm, int ox, int oy)
{
	int err = 0;
	for (size_t i = 0; i < tm->n && !err; i++) {
		const struct vms_treemap_cell *c = &tm->cells[i];
		if (c->frame)
			continue;
		int w = c->w > 2 ? (int)c->w - 1 : (int)c->w;
		int h = c->h > 2 ? (int)c->h - 1 : (int)c->h;
		err = vms_fill(r, cell_rgb(c), ox + (int)c->x, oy + (int)c->y, w, h);
	}
	/* the cells' own border is the first pixel: kinds part by two */
	for (size_t i = 0; i < tm->n && !err; i++) {
		const struct vms_treemap_cell *c = &tm->cells[i];
		if (!c->frame || c->w < 4 || c->h < 4)
			continue;
		int x = ox + (int)c->x, y = oy + (int)c->y, w = (int)c->w, h = (int)c->h;
		err = vms_fill(r, VMS_RENDER_BG, x + w - 2, y, 1, h) |
		      vms_fill(r, VMS_RENDER_BG, x, y + h - 2, w, 1);
	}
	return err ? -1 : 0;
}

/*
 * The labels of frame f: its tag at its top-left corner (below top, the
 * banner's bottom), "kind  bytes · areas" or the kind alone, whichever
 * fits whole, in the kind's colour on the background; then each caller
 * cell's labels, below the tag where they would meet it.
 */
static int draw_frame_labels(struct vms_text *t, SDL_Renderer *r,
                             const struct vms_treemap *tm, size_t f, int ox, int oy,
                             int top)
{
	const struct vms_treemap_cell *fr = &tm->cells[f];
	int pad = VMS_TREEMAP_PAD, x = ox + (int)fr->x, y = oy + (int)fr->y;
	int y0 = y > top ? y : top, bottom = y + (int)fr->h - 2;
	int tag_x1 = x, tag_y1 = y0; /* the tag's right and bottom edges */
	char size[64], tag[128];
	snprintf(tag, sizeof(tag), "%s  %s \xc2\xb7 %llu", vms_akind_name(fr->kind),
	         vms_format_size(fr->bytes, size, sizeof(size)),
	         (unsigned long long)fr->areas);
	int tw, th, room_w = (int)fr->w - 2 - 2 * pad;
	vms_text_size(t, tag, &tw, &th);
	if (tw > room_w) { /* the kind's name alone */
		snprintf(tag, sizeof(tag), "%s", vms_akind_name(fr->kind));
		vms_text_size(t, tag, &tw, &th);
	}
	if (tw <= room_w && bottom - y0 >= 2 * t->line_h + 2 * pad) {
		tag_x1 = x + tw + 2 * pad;
		tag_y1 = y0 + t->line_h + pad;
		uint32_t ink = tint(vms_render_akind_rgb[fr->kind], TAG_LIGHTEN);
		if (vms_fill(r, VMS_RENDER_BG, x, y0, tw + 2 * pad, tag_y1 - y0) ||
		    vms_text_draw(t, x + pad, y0 + pad / 2, ink, tag, 0) < 0)
			return -1;
	}
	for (size_t i = fr->first; i < fr->first + fr->nr; i++) {
		const struct vms_treemap_cell *c = &tm->cells[i];
		int cx = ox + (int)c->x, cy = oy + (int)c->y;
		int ctop = cx < tag_x1 && cy < tag_y1 ? tag_y1 : top;
		if (draw_label(t, c, cx, cy, ctop, cell_rgb(c)) < 0)
			return -1;
	}
	return 0;
}

int vms_treemap_draw(struct vms_text *t, SDL_Renderer *r, const struct vms_aspace *m,
                     const struct vms_treemap *tm, const struct vms_view_ui *ui,
                     const struct vms_render_layout *lay)
{
	int ox = lay->map_x, oy = lay->map_y;
	SDL_Rect old, map = {ox, oy, (int)lay->map_w, (int)lay->map_h};
	bool clipped = SDL_RenderIsClipEnabled(r);
	SDL_RenderGetClipRect(r, &old);
	int err = SDL_RenderSetClipRect(r, &map);
	err |= vms_fill(r, VMS_RENDER_BG, ox, oy, map.w, map.h);
	err |= draw_cells(r, tm, ox, oy);
	if (ui && ui->hover && !err) {
		ptrdiff_t i = vms_treemap_hit(tm, ui->hover_x, ui->hover_y);
		if (i >= 0) {
			const struct vms_treemap_cell *c = &tm->cells[i];
			err = outline(r, VMS_RENDER_SELECT, ox + (int)c->x,
			              oy + (int)c->y, (int)c->w, (int)c->h);
		}
	}
	if (t->font && !err) {
		/* labels keep below the banner, drawn last over the cells */
		struct banner b = {.n = 0};
		banner_lines(t, m, (int)lay->map_w - 2 * VMS_TREEMAP_PAD, &b);
		for (size_t f = 0; f < tm->n && !err; f += 1 + tm->cells[f].nr)
			err = draw_frame_labels(t, r, tm, f, ox, oy, oy + b.h);
		err = err || draw_banner(t, r, &b, lay);
	}
	err |= SDL_RenderSetClipRect(r, clipped ? &old : NULL);
	return err ? -1 : 0;
}
