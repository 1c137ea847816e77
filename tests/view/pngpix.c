/*
 * pngpix.c — prints what the end-to-end test asks of a PNG: "W H" for
 * `pngpix FILE`, and the colour of each pixel as RRGGBB for `pngpix FILE
 * X Y [X Y ...]`, one per line. Reads with SDL2_image, the library the
 * viewer writes with; a test tool, not part of vmscope.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc < 2 || argc % 2) {
		fprintf(stderr, "usage: pngpix FILE [X Y]...\n");
		return 2;
	}
	SDL_Surface *raw = IMG_Load(argv[1]);
	if (!raw) {
		fprintf(stderr, "pngpix: %s: %s\n", argv[1], IMG_GetError());
		return 1;
	}
	SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
	SDL_FreeSurface(raw);
	if (!s)
		return 1;
	if (argc == 2)
		printf("%d %d\n", s->w, s->h);
	for (int i = 2; i + 1 < argc; i += 2) {
		int x = atoi(argv[i]), y = atoi(argv[i + 1]);
		if (x < 0 || y < 0 || x >= s->w || y >= s->h) {
			printf("outside\n");
			continue;
		}
		const uint8_t *row =
		    (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch;
		printf("%06x\n", ((const uint32_t *)row)[x] & 0xffffff);
	}
	SDL_FreeSurface(s);
	return 0;
}
