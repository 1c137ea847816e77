/*
 * arena.c — the string arena: many small allocations freed together.
 *
 * The arena is a list of blocks; each allocation is a bump of `used` in the
 * newest block (O(1)); a request larger than a quarter block gets a block of
 * its own. Everything is freed at once by vms_arena_free().
 */
#include "vmscope/common.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct vms_arena_block {
	struct vms_arena_block *next;
	size_t cap;
	_Alignas(8) unsigned char data[];
};

enum { ARENA_BLOCK = 64 * 1024 };

void *vms_arena_alloc(struct vms_arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (n == 0)
		n = 8;
	struct vms_arena_block *b = a->head;
	if (!b || b->cap - a->used < n) {
		if (n > ARENA_BLOCK / 4) {
			/* big request: a block of its own, kept behind the head */
			struct vms_arena_block *big = vms_xmalloc(sizeof(*big) + n);
			big->cap = n;
			a->total += n;
			if (b) {
				big->next = b->next;
				b->next = big;
			} else {
				big->next = NULL;
				a->head = big;
				a->used = n;
			}
			return big->data;
		}
		b = vms_xmalloc(sizeof(*b) + ARENA_BLOCK);
		b->cap = ARENA_BLOCK;
		b->next = a->head;
		a->head = b;
		a->used = 0;
		a->total += ARENA_BLOCK;
	}
	void *p = b->data + a->used;
	a->used += n;
	return p;
}

char *vms_arena_strndup(struct vms_arena *a, const char *s, size_t n)
{
	char *p = vms_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *vms_arena_strdup(struct vms_arena *a, const char *s)
{
	return vms_arena_strndup(a, s, strlen(s));
}

char *vms_arena_vprintf(struct vms_arena *a, const char *fmt, va_list ap)
{
	char *tmp = vms_xvasprintf(fmt, ap);
	char *p = vms_arena_strdup(a, tmp);
	free(tmp);
	return p;
}

char *vms_arena_printf(struct vms_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = vms_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void vms_arena_adopt(struct vms_arena *dst, struct vms_arena *src)
{
	struct vms_arena_block *b = src->head;
	if (!b)
		return;
	if (!dst->head) {
		*dst = *src;
	} else { /* keep dst's head (its free space), put src's blocks behind it */
		struct vms_arena_block *tail = b;
		while (tail->next)
			tail = tail->next;
		tail->next = dst->head->next;
		dst->head->next = b;
		dst->total += src->total;
	}
	src->head = NULL;
	src->used = src->total = 0;
}

void vms_arena_free(struct vms_arena *a)
{
	struct vms_arena_block *b = a->head;
	while (b) {
		struct vms_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}
