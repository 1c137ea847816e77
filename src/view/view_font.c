/*
 * view_font.c — text for the viewer's SDL parts: the font found at run
 * time (a path given, assets/, then the system's DejaVu), strings
 * rendered once with SDL2_ttf and kept as textures keyed by (text,
 * colour), and the fills every drawing file uses.
 *
 * Invariants: every cached texture belongs to t->r; the cache never holds
 * more than VMS_TEXT_CACHE_MAX entries (it is emptied whole, which keeps
 * the code trivial and costs one re-render of the labels of a frame).
 */
#include <stdlib.h>
#include <string.h>

#include "vmscope/common.h"
#include "view_int.h"
#include "vmscope/view_app.h"

static const char *const font_paths[] = {
    "assets/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
};

void vms_text_init(struct vms_text *t, SDL_Renderer *r, const char *font_path, int pt)
{
	memset(t, 0, sizeof(*t));
	t->r = r;
	if (TTF_Init() != 0) /* counted: each vms_text holds one */
		return;
	t->ttf_up = true;
	/* the font asked for, else the defaults: the caller compares
	 * t->font_path with what it asked for to say so */
	size_t n =
	    font_path && !*font_path ? 0 : sizeof(font_paths) / sizeof(font_paths[0]);
	for (size_t i = font_path ? 0 : 1; i <= n && !t->font; i++) {
		const char *p = i ? font_paths[i - 1] : font_path;
		t->font = TTF_OpenFont(p, pt);
		if (t->font)
			t->font_path = vms_xstrdup(p);
	}
	if (t->font)
		t->line_h = TTF_FontLineSkip(t->font);
}

static void clear_cache(struct vms_text *t)
{
	for (size_t b = 0; b < sizeof(t->bucket) / sizeof(t->bucket[0]); b++) {
		struct vms_text_entry *e = t->bucket[b];
		while (e) {
			struct vms_text_entry *next = e->next;
			if (e->tex)
				SDL_DestroyTexture(e->tex);
			free(e->text);
			free(e);
			e = next;
		}
		t->bucket[b] = NULL;
	}
	t->count = 0;
}

void vms_text_fini(struct vms_text *t)
{
	clear_cache(t);
	if (t->font)
		TTF_CloseFont(t->font);
	if (t->ttf_up)
		TTF_Quit();
	free(t->font_path);
	memset(t, 0, sizeof(*t));
}

/* FNV-1a of the text and the colour. */
static size_t bucket_of(const char *s, uint32_t rgb)
{
	uint32_t h = 2166136261u ^ rgb;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h % 256;
}

/* The cached entry of (s, rgb), rendered on first use; NULL without a
 * font, for an empty string, or when SDL fails. */
static struct vms_text_entry *entry(struct vms_text *t, const char *s, uint32_t rgb)
{
	if (!t->font || !*s)
		return NULL;
	size_t b = bucket_of(s, rgb);
	for (struct vms_text_entry *e = t->bucket[b]; e; e = e->next)
		if (e->rgb == rgb && !strcmp(e->text, s))
			return e;
	if (t->count >= VMS_TEXT_CACHE_MAX) {
		clear_cache(t);
		b = bucket_of(s, rgb);
	}
	SDL_Color fg = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, 0xff};
	SDL_Surface *surf = TTF_RenderUTF8_Blended(t->font, s, fg);
	if (!surf)
		return NULL;
	SDL_Texture *tex = SDL_CreateTextureFromSurface(t->r, surf);
	int w = surf->w, h = surf->h;
	SDL_FreeSurface(surf);
	if (!tex)
		return NULL;
	struct vms_text_entry *e = vms_xcalloc(1, sizeof(*e));
	e->text = vms_xstrdup(s);
	e->rgb = rgb;
	e->tex = tex;
	e->w = w;
	e->h = h;
	e->next = t->bucket[b];
	t->bucket[b] = e;
	t->count++;
	return e;
}

void vms_text_size(struct vms_text *t, const char *s, int *w, int *h)
{
	*w = *h = 0;
	if (t->font && *s && TTF_SizeUTF8(t->font, s, w, h) != 0)
		*w = *h = 0;
}

int vms_text_draw(struct vms_text *t, int x, int y, uint32_t rgb, const char *s,
                  int max_w)
{
	struct vms_text_entry *e = entry(t, s, rgb);
	if (!e)
		return 0;
	int w = max_w > 0 && e->w > max_w ? max_w : e->w;
	SDL_Rect src = {0, 0, w, e->h}, dst = {x, y, w, e->h};
	return SDL_RenderCopy(t->r, e->tex, &src, &dst) != 0 ? -1 : w;
}

int vms_fill(SDL_Renderer *r, uint32_t rgb, int x, int y, int w, int h)
{
	return vms_fill_alpha(r, rgb, 0xff, x, y, w, h);
}

int vms_fill_alpha(SDL_Renderer *r, uint32_t rgb, uint8_t alpha, int x, int y, int w,
                   int h)
{
	if (w <= 0 || h <= 0)
		return 0;
	SDL_Rect rect = {x, y, w, h};
	int err = SDL_SetRenderDrawBlendMode(r, alpha == 0xff ? SDL_BLENDMODE_NONE
	                                                      : SDL_BLENDMODE_BLEND);
	err |= SDL_SetRenderDrawColor(r, (rgb >> 16) & 0xff, (rgb >> 8) & 0xff,
	                              rgb & 0xff, alpha);
	err |= SDL_RenderFillRect(r, &rect);
	return err ? -1 : 0;
}

const char *vms_render_last_error(void)
{
	const char *e = SDL_GetError();
	return e && *e ? e : "unknown SDL error";
}
