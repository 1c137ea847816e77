/*
 * intern.c — string interning with open addressing (see intern.h).
 */
#include "intern.h"

#include <stdlib.h>
#include <string.h>

static uint32_t fnv1a(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

void vms_intern_init(struct vms_intern *t, struct vms_arena *arena)
{
	memset(t, 0, sizeof(*t));
	t->arena = arena;
}

static void grow(struct vms_intern *t)
{
	size_t cap = t->cap ? t->cap * 2 : 256;
	const char **slot = vms_xcalloc(cap, sizeof(*slot));
	uint32_t *hash = vms_xcalloc(cap, sizeof(*hash));
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slot[i])
			continue;
		size_t j = t->hash[i] & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = t->slot[i];
		hash[j] = t->hash[i];
	}
	free(t->slot);
	free(t->hash);
	t->slot = slot;
	t->hash = hash;
	t->cap = cap;
}

const char *vms_intern(struct vms_intern *t, const char *s, size_t len)
{
	if (2 * (t->n + 1) > t->cap)
		grow(t);
	uint32_t h = fnv1a(s, len);
	size_t j = h & (t->cap - 1);
	while (t->slot[j]) {
		if (t->hash[j] == h && strncmp(t->slot[j], s, len) == 0 &&
		    t->slot[j][len] == '\0')
			return t->slot[j];
		j = (j + 1) & (t->cap - 1);
	}
	t->slot[j] = vms_arena_strndup(t->arena, s, len);
	t->hash[j] = h;
	t->n++;
	return t->slot[j];
}

void vms_intern_free(struct vms_intern *t)
{
	free(t->slot);
	free(t->hash);
	t->slot = NULL;
	t->hash = NULL;
	t->n = t->cap = 0;
}
