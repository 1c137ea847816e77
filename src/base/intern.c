/*
 * intern.c — string interning with open addressing (see intern.h).
 */
#include "intern.h"

#include <stdlib.h>
#include <string.h>

struct vms_intern_slot {
	const char *s; /* NULL = empty */
	uint32_t h, len;
};

void vms_intern_init(struct vms_intern *t, struct vms_arena *arena)
{
	memset(t, 0, sizeof(*t));
	t->arena = arena;
}

static void grow(struct vms_intern *t)
{
	size_t cap = t->cap ? t->cap * 2 : 256;
	struct vms_intern_slot *slot = vms_xcalloc(cap, sizeof(*slot));
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slot[i].s)
			continue;
		size_t j = t->slot[i].h & (cap - 1);
		while (slot[j].s)
			j = (j + 1) & (cap - 1);
		slot[j] = t->slot[i];
	}
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
}

const char *vms_intern(struct vms_intern *t, const char *s, size_t len)
{
	return vms_intern_hashed(t, s, len, vms_intern_hash(s, len));
}

const char *vms_intern_hashed(struct vms_intern *t, const char *s, size_t len, uint32_t h)
{
	if (2 * (t->n + 1) > t->cap)
		grow(t);
	size_t j = h & (t->cap - 1);
	while (t->slot[j].s) {
		if (t->slot[j].h == h && t->slot[j].len == len &&
		    memcmp(t->slot[j].s, s, len) == 0)
			return t->slot[j].s;
		j = (j + 1) & (t->cap - 1);
	}
	t->slot[j].s = vms_arena_strndup(t->arena, s, len);
	t->slot[j].h = h;
	t->slot[j].len = (uint32_t)len;
	t->n++;
	return t->slot[j].s;
}

void vms_intern_free(struct vms_intern *t)
{
	free(t->slot);
	t->slot = NULL;
	t->n = t->cap = 0;
}
