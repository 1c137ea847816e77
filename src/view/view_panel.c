/*
 * view_panel.c — what is drawn over the map, last (vms_panel_draw() in
 * view_int.h): the details panel of the selected area or hole at the top
 * right, the tooltip beside the pointer, the search prompt at the bottom,
 * a --source command's stderr above it, and the help overlay in the
 * middle. The words come from view_text.c (SDL-free); this file only
 * lays them out.
 *
 * Every box is one text_box(): a semi-opaque fill with a 1-px border and
 * rows of text. Lines longer than the box are wrapped at a blank (or cut
 * at a character when a word alone is too wide), each row's break found
 * by a binary search over its character offsets, so a line costs
 * O(rows x log length) measurements; all the rows a frame draws are
 * cached textures (view_font.c). Without a font the boxes keep the size
 * their text would have at VMS_PANEL_CHAR_W x VMS_PANEL_LINE_H pixels a
 * character, and only the boxes are drawn.
 *
 * Invariants: nothing is drawn outside the map rectangle (the renderer's
 * clip is set to it and restored); the tooltip box lies wholly inside the
 * map whenever the map is larger than the box (it flips to the other
 * side of the pointer at the right and bottom edges).
 */
#include <stdio.h>
#include <string.h>

#include "vmscope/common.h"
#include "vmscope/view_text.h"
#include "view_int.h"

/* Colours, 0xRRGGBB, and the boxes' opacity. */
#define VMS_PANEL_BG     0x262626u /* box fill */
#define VMS_PANEL_ALPHA  0xec      /* semi-opaque: the map shows through */
#define VMS_PANEL_BORDER 0x6a6a6au /* 1-px box border */
#define VMS_PANEL_HEAD   0xffffffu /* the first line of the details */
#define VMS_PANEL_WARN   0xf0a040u /* the stderr box's title */
#define VMS_PANEL_DIM    0xa0a0a0u /* the prompt's match count */

/* Sizes, pixels. */
#define VMS_PANEL_PAD      6   /* inside a box */
#define VMS_PANEL_MARGIN   8   /* between a box and the map's edge */
#define VMS_PANEL_DETAIL_W 460 /* the details panel at most */
#define VMS_PANEL_TIP_DX   14  /* tooltip offset from the pointer */
#define VMS_PANEL_TIP_DY   18
#define VMS_PANEL_CHAR_W   7  /* without a font: a character's width */
#define VMS_PANEL_LINE_H   14 /* without a font: a line's height */
#define VMS_PANEL_STDERR   6  /* stderr lines shown */
#define VMS_PANEL_ROWS     64 /* rows a box holds at most */
#define VMS_PANEL_INDENT   12 /* a wrapped line's later rows */

/* One piece of text in a box: a line, or a part of a wrapped line, or
 * one column of a line with a tab. */
struct row {
	const char *s;
	size_t len;
	int x;       /* pixels from the box's text edge */
	bool head;   /* a piece of the first line, drawn in the head colour */
	bool joined; /* on the same line as the row before (a second column) */
};

struct rows {
	size_t n;     /* rows */
	size_t lines; /* lines they take: rows not joined */
	struct row v[VMS_PANEL_ROWS];
	int w; /* the widest line, pixels */
};

static int line_h(const struct vms_text *t)
{
	return t->font && t->line_h > 0 ? t->line_h : VMS_PANEL_LINE_H;
}

/* Width of s[0..n) in pixels (n < VMS_TEXT_LINE_MAX); without a font,
 * VMS_PANEL_CHAR_W a character. */
static int width_of(struct vms_text *t, const char *s, size_t n)
{
	if (!t->font) {
		int chars = 0;
		for (size_t k = 0; k < n; k++)
			chars += ((unsigned char)s[k] & 0xc0) != 0x80;
		return chars * VMS_PANEL_CHAR_W;
	}
	char buf[VMS_TEXT_LINE_MAX];
	int w, h;
	memcpy(buf, s, n);
	buf[n] = '\0';
	vms_text_size(t, buf, &w, &h);
	return w;
}

/* Bytes of the longest prefix of s[0..len) (at least one character)
 * that is max_w pixels wide at most: a binary search over character
 * offsets. */
static size_t fit_prefix(struct vms_text *t, const char *s, size_t len, int max_w)
{
	size_t off[VMS_TEXT_LINE_MAX], n = 0;
	if (!len)
		return 0;
	for (size_t k = 1; k <= len; k++)
		if (k == len || ((unsigned char)s[k] & 0xc0) != 0x80)
			off[n++] = k; /* the end of character n */
	size_t lo = 0, hi = n;        /* characters that fit: lo yes, hi + 1 no */
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		if (width_of(t, s, off[mid - 1]) <= max_w)
			lo = mid;
		else
			hi = mid - 1;
	}
	return off[lo ? lo - 1 : 0];
}

static void add_row(struct vms_text *t, struct rows *out, struct row row)
{
	if (out->n >= VMS_PANEL_ROWS)
		return;
	out->v[out->n++] = row;
	out->lines += !row.joined;
	int w = row.x + width_of(t, row.s, row.len);
	out->w = w > out->w ? w : out->w;
}

/* Rows of s[0..len) in max_w pixels from x: the first joined to the row
 * before when asked, each wrapped at a blank (or cut inside a word that
 * alone is too wide); the rows after the first start at cont_x. */
static void wrap(struct vms_text *t, struct rows *out, const char *s, size_t len,
                 struct row first, int cont_x, int max_w)
{
	struct row row = first;
	do {
		int room =
		    max_w - row.x > VMS_PANEL_CHAR_W ? max_w - row.x : VMS_PANEL_CHAR_W;
		size_t k = fit_prefix(t, s, len, room), next = k;
		if (k < len) {
			size_t b = k;
			while (b > 0 && s[b] != ' ')
				b--;
			if (b > 0)
				k = next = b;
			while (next < len && s[next] == ' ')
				next++;
		}
		row.s = s;
		row.len = k;
		add_row(t, out, row);
		s += next;
		len -= next;
		row = (struct row){.x = cont_x, .head = first.head};
	} while (len && out->n < VMS_PANEL_ROWS);
}

/* The tab column of lines[0..n): past the widest text before a tab, at
 * most half of max_w; 0 when no line has a tab. */
static int tab_column(struct vms_text *t, const char *const *lines, size_t n, int max_w)
{
	int x = 0;
	for (size_t i = 0; i < n; i++) {
		const char *tab = strchr(lines[i], '\t');
		int w = tab ? width_of(t, lines[i], (size_t)(tab - lines[i])) : 0;
		x = w > x ? w : x;
	}
	x = x ? x + 2 * VMS_PANEL_INDENT : 0;
	return x < max_w / 2 ? x : max_w / 2;
}

/* The rows of lines[0..n) in max_w pixels. A line wraps at blanks, its
 * later rows indented; a tab splits a line into two columns, the second
 * at one column for all lines (help's "key<TAB>what it does"). */
static void wrap_lines(struct vms_text *t, const char *const *lines, size_t n, int max_w,
                       struct rows *out)
{
	int tab_x = tab_column(t, lines, n, max_w);
	out->n = out->lines = 0;
	out->w = 0;
	for (size_t i = 0; i < n && out->n < VMS_PANEL_ROWS; i++) {
		const char *s = lines[i], *tab = strchr(s, '\t');
		size_t len = strnlen(s, VMS_TEXT_LINE_MAX - 1);
		struct row first = {.head = i == 0};
		if (tab && (size_t)(tab - s) < len) {
			size_t left = (size_t)(tab - s);
			wrap(t, out, s, left, first, VMS_PANEL_INDENT, tab_x);
			first.x = tab_x;
			first.joined = true;
			s += left + 1;
			len -= left + 1;
			wrap(t, out, s, len, first, tab_x, max_w);
		} else {
			wrap(t, out, s, len, first, VMS_PANEL_INDENT, max_w);
		}
	}
}

/* Width and height of the box around rows, at most max_h high. */
static void box_size(const struct vms_text *t, const struct rows *rows, int max_h, int *w,
                     int *h)
{
	*w = rows->w + 2 * VMS_PANEL_PAD;
	*h = (int)rows->lines * line_h(t) + 2 * VMS_PANEL_PAD;
	*h = *h > max_h ? max_h : *h;
}

/* The one box: fill, border, and the rows that fit inside, the first
 * line's rows in head, the others in rgb. */
static int text_box(struct vms_text *t, SDL_Renderer *r, const struct rows *rows, int x,
                    int y, int w, int h, uint32_t head, uint32_t rgb)
{
	int err = vms_fill_alpha(r, VMS_PANEL_BG, VMS_PANEL_ALPHA, x, y, w, h);
	err |= vms_fill(r, VMS_PANEL_BORDER, x, y, w, 1);
	err |= vms_fill(r, VMS_PANEL_BORDER, x, y + h - 1, w, 1);
	err |= vms_fill(r, VMS_PANEL_BORDER, x, y + 1, 1, h - 2);
	err |= vms_fill(r, VMS_PANEL_BORDER, x + w - 1, y + 1, 1, h - 2);
	int lh = line_h(t), ty = y + VMS_PANEL_PAD - lh;
	for (size_t i = 0; t->font && rows && i < rows->n; i++) {
		const struct row *row = &rows->v[i];
		ty += row->joined ? 0 : lh;
		int room = w - 2 * VMS_PANEL_PAD - row->x;
		if (ty + lh > y + h - VMS_PANEL_PAD + 1)
			break;
		if (room <= 0 || !row->len)
			continue;
		char buf[VMS_TEXT_LINE_MAX];
		memcpy(buf, row->s, row->len);
		buf[row->len] = '\0';
		if (vms_text_draw(t, x + VMS_PANEL_PAD + row->x, ty,
		                  row->head ? head : rgb, buf, room) < 0)
			err = -1;
	}
	return err ? -1 : 0;
}

static int min_int(int a, int b)
{
	return a < b ? a : b;
}

/* ---- the boxes --------------------------------------------------------- */

/* The details of the selected area or hole, at the top right; *box gets
 * where (0 x 0 when none). */
static int draw_details(struct vms_text *t, SDL_Renderer *r, const struct vms_view *v,
                        const struct vms_view_ui *ui, const SDL_Rect *map, SDL_Rect *box)
{
	struct vms_text_lines lines;
	*box = (SDL_Rect){0, 0, 0, 0};
	if (v->has_selected)
		vms_view_text_area(&lines, v->m, v->selected, ui->source);
	else if (ui->selected_hole && ui->hole_end > ui->hole_start)
		vms_view_text_hole(&lines, v->m, ui->report, ui->hole_start,
		                   ui->hole_end);
	else
		return 0;
	const char *ptr[VMS_TEXT_LINES];
	for (size_t i = 0; i < lines.n; i++)
		ptr[i] = lines.line[i];
	struct rows rows;
	int room = map->w - 2 * VMS_PANEL_MARGIN, w, h;
	wrap_lines(t, ptr, lines.n, min_int(room, VMS_PANEL_DETAIL_W) - 2 * VMS_PANEL_PAD,
	           &rows);
	box_size(t, &rows, map->h - 2 * VMS_PANEL_MARGIN, &w, &h);
	*box = (SDL_Rect){map->x + map->w - VMS_PANEL_MARGIN - w,
	                  map->y + VMS_PANEL_MARGIN, w, h};
	return text_box(t, r, &rows, box->x, box->y, w, h, VMS_PANEL_HEAD,
	                VMS_RENDER_TEXT);
}

/* One coordinate of the tooltip: after the pointer, or before it when the
 * box would pass the edge, and inside [0, room - size] when it can be. */
static int tip_at(int pointer, int offset, int size, int room)
{
	int at = pointer + offset;
	if (at + size > room)
		at = pointer - VMS_PANEL_MARGIN / 2 - size;
	if (at + size > room)
		at = room - size;
	return at < 0 ? 0 : at;
}

/* The tooltip of the area or hole under the pointer. */
static int draw_tip(struct vms_text *t, SDL_Renderer *r, const struct vms_view *v,
                    const struct vms_view_ui *ui, const SDL_Rect *map)
{
	char tip[VMS_TEXT_LINE_MAX];
	struct vms_view_hit hit;
	struct vms_view_hole hole;
	uint64_t addr;
	if (!ui->hover || ui->hover_x >= v->width || ui->hover_y >= v->height)
		return 0;
	if (vms_view_hit(v, ui->hover_x, ui->hover_y, &hit) == 0)
		vms_view_text_tip_area(v->m, hit.area, tip, sizeof(tip));
	else if (vms_view_addr_at(v, ui->hover_x, ui->hover_y, &addr) == 0 &&
	         vms_view_hole_at(v, addr, &hole) == 0)
		vms_view_text_tip_hole(v->m, hole.start, hole.end, tip, sizeof(tip));
	else
		return 0;
	const char *line = tip;
	struct rows rows;
	int w, h;
	wrap_lines(t, &line, 1, map->w - 2 * VMS_PANEL_PAD, &rows);
	box_size(t, &rows, map->h, &w, &h);
	int x = tip_at((int)ui->hover_x, VMS_PANEL_TIP_DX, w, map->w);
	int y = tip_at((int)ui->hover_y, VMS_PANEL_TIP_DY, h, map->h);
	return text_box(t, r, &rows, map->x + x, map->y + y, w, h, VMS_RENDER_TEXT,
	                VMS_RENDER_TEXT);
}

/* Height of the search prompt's box (0 when closed). */
static int prompt_h(const struct vms_text *t, const struct vms_view_ui *ui)
{
	return ui->search_typing ? line_h(t) + 2 * VMS_PANEL_PAD : 0;
}

/* Bytes to skip at the front of s[0..len) (whole characters) so that
 * the rest is max_w pixels wide at most: a binary search over character
 * starts; the typed end of a long prompt stays in view. */
static size_t cut_front(struct vms_text *t, const char *s, size_t len, int max_w)
{
	size_t off[VMS_TEXT_LINE_MAX], n = 0;
	for (size_t k = 0; k < len; k++)
		if (((unsigned char)s[k] & 0xc0) != 0x80)
			off[n++] = k; /* the start of character n */
	size_t lo = 0, hi = n;        /* characters skipped: hi enough, lo not */
	if (!n || width_of(t, s, len) <= max_w)
		return 0;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (width_of(t, s + off[mid], len - off[mid]) <= max_w)
			hi = mid;
		else
			lo = mid;
	}
	return hi < n ? off[hi] : len;
}

/* "/text" and a cursor, then the match count, at the bottom left. */
static int draw_prompt(struct vms_text *t, SDL_Renderer *r, const struct vms_view *v,
                       const struct vms_view_ui *ui, const SDL_Rect *map)
{
	char text[VMS_TEXT_LINE_MAX] = "/", count[48];
	const char *typed = ui->search_text ? ui->search_text : "";
	size_t len = 1 + vms_utf8_clip(typed, strlen(typed), sizeof(text) - 2);
	memcpy(text + 1, typed, len - 1);
	text[len] = '\0';
	snprintf(count, sizeof(count), "%zu match%s", v->matches.n,
	         v->matches.n == 1 ? "" : "es");
	int lh = line_h(t), cw = width_of(t, count, strlen(count));
	int room = map->w - 2 * VMS_PANEL_MARGIN - 2 * VMS_PANEL_PAD - cw - 3 * lh;
	size_t skip = cut_front(t, text, len, room);
	struct rows rows = {0};
	add_row(t, &rows, (struct row){.s = text + skip, .len = len - skip});
	int w = rows.w + 3 * lh + cw + 2 * VMS_PANEL_PAD, h = prompt_h(t, ui);
	int x = map->x + VMS_PANEL_MARGIN, y = map->y + map->h - VMS_PANEL_MARGIN - h;
	int err = text_box(t, r, &rows, x, y, min_int(w, map->w - 2 * VMS_PANEL_MARGIN),
	                   h, VMS_RENDER_TEXT, VMS_RENDER_TEXT);
	int cx = x + VMS_PANEL_PAD + rows.w + 1;
	if (t->font) /* the cursor is text: none without a font */
		err |= vms_fill(r, VMS_RENDER_TEXT, cx, y + VMS_PANEL_PAD, 2, lh);
	if (vms_text_draw(t, cx + 2 * lh, y + VMS_PANEL_PAD, VMS_PANEL_DIM, count, 0) < 0)
		err = -1;
	return err ? -1 : 0;
}

/* The last lines a --source command wrote to its stderr, above the
 * prompt's place. */
static int draw_stderr(struct vms_text *t, SDL_Renderer *r, const struct vms_view_ui *ui,
                       const SDL_Rect *map)
{
	struct vms_text_lines tail;
	vms_view_text_tail(&tail, ui->source_stderr, VMS_PANEL_STDERR);
	const char *ptr[VMS_TEXT_LINES + 1] = {"source stderr:"};
	for (size_t i = 0; i < tail.n; i++)
		ptr[i + 1] = tail.line[i];
	struct rows rows;
	int w, h, below = prompt_h(t, ui);
	wrap_lines(t, ptr, tail.n + 1, map->w - 2 * VMS_PANEL_MARGIN - 2 * VMS_PANEL_PAD,
	           &rows);
	box_size(t, &rows, map->h - 2 * VMS_PANEL_MARGIN - below, &w, &h);
	int y = map->y + map->h - VMS_PANEL_MARGIN - below -
	        (below ? VMS_PANEL_MARGIN : 0) - h;
	return text_box(t, r, &rows, map->x + VMS_PANEL_MARGIN, y, w, h, VMS_PANEL_WARN,
	                VMS_RENDER_TEXT);
}

/* The help lines in a box in the middle of the map. */
static int draw_help(struct vms_text *t, SDL_Renderer *r, const struct vms_view_ui *ui,
                     const SDL_Rect *map)
{
	struct rows rows;
	int w, h;
	size_t n = ui->help_lines ? ui->help_n : 0;
	wrap_lines(t, ui->help_lines, n,
	           map->w - 2 * VMS_PANEL_MARGIN - 2 * VMS_PANEL_PAD, &rows);
	box_size(t, &rows, map->h - 2 * VMS_PANEL_MARGIN, &w, &h);
	return text_box(t, r, &rows, map->x + (map->w - w) / 2, map->y + (map->h - h) / 2,
	                w, h, VMS_RENDER_TEXT, VMS_RENDER_TEXT);
}

/* ---- the frame's last layer -------------------------------------------- */

int vms_panel_draw(struct vms_text *t, SDL_Renderer *r, const struct vms_view *v,
                   const struct vms_view_ui *ui, const struct vms_render_layout *lay)
{
	const SDL_Rect map = {lay->map_x, lay->map_y, (int)lay->map_w, (int)lay->map_h};
	SDL_Rect saved;
	bool clipped = SDL_RenderIsClipEnabled(r);
	SDL_RenderGetClipRect(r, &saved);
	if (map.w <= 0 || map.h <= 0 || SDL_RenderSetClipRect(r, &map) != 0)
		return map.w <= 0 || map.h <= 0 ? 0 : -1;
	SDL_Rect details;
	int err = draw_details(t, r, v, ui, &map, &details);
	if (ui->source_stderr && ui->source_stderr[0])
		err |= draw_stderr(t, r, ui, &map);
	if (ui->search_typing)
		err |= draw_prompt(t, r, v, ui, &map);
	/* no tooltip under the help, nor over the details being read */
	SDL_Point at = {map.x + (int)ui->hover_x, map.y + (int)ui->hover_y};
	if (ui->help)
		err |= draw_help(t, r, ui, &map);
	else if (!SDL_PointInRect(&at, &details))
		err |= draw_tip(t, r, v, ui, &map);
	err |= SDL_RenderSetClipRect(r, clipped ? &saved : NULL);
	return err ? -1 : 0;
}
