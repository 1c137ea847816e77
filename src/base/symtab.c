/*
 * symtab.c — the symbol table of include/vmscope/symtab.h: names in an
 * array indexed by id, ids in an open-addressing hash table (linear probing,
 * power-of-two capacity, grown at load 1/2).
 */
#include "vmscope/symtab.h"

#include <stdlib.h>

void vms_symtab_init(struct vms_symtab *t, struct vms_arena *arena)
{
	memset(t, 0, sizeof(*t));
	t->arena = arena;
}

void vms_symtab_free(struct vms_symtab *t)
{
	free(t->syms.v);
	free(t->slot);
	t->syms.v = NULL;
	t->syms.n = t->syms.cap = 0;
	t->slot = NULL;
	t->cap = 0;
}

static void grow(struct vms_symtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 256;
	uint32_t *slot = vms_xcalloc(cap, sizeof(*slot));
	for (uint32_t id = 1; id < t->syms.n; id++) {
		size_t j = t->syms.v[id].hash & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = id;
	}
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
}

/* Slot of s[0..len): holding its id, or the empty slot where it belongs. */
static size_t probe(const struct vms_symtab *t, const char *s, size_t len, uint32_t h)
{
	size_t j = h & (t->cap - 1);
	for (uint32_t id; (id = t->slot[j]) != 0; j = (j + 1) & (t->cap - 1)) {
		const struct vms_sym *y = &t->syms.v[id];
		if (y->hash == h && y->len == len && memcmp(y->name, s, len) == 0)
			break;
	}
	return j;
}

uint32_t vms_symtab_intern_hashed(struct vms_symtab *t, const char *s, size_t len,
                                  uint32_t h)
{
	if (!t->syms.n)
		vms_vec_push(&t->syms, ((struct vms_sym){"", 0, 0})); /* id 0 */
	if (2 * t->syms.n >= t->cap)
		grow(t);
	size_t j = probe(t, s, len, h);
	if (t->slot[j])
		return t->slot[j];
	if (len > UINT32_MAX || t->syms.n >= UINT32_MAX)
		abort(); /* names come from lines, which are far shorter */
	struct vms_sym y = {vms_arena_strndup(t->arena, s, len), (uint32_t)len, h};
	uint32_t id = (uint32_t)t->syms.n;
	vms_vec_push(&t->syms, y);
	t->slot[j] = id;
	return id;
}

uint32_t vms_symtab_intern(struct vms_symtab *t, const char *s, size_t len)
{
	return vms_symtab_intern_hashed(t, s, len, vms_symtab_hash(s, len));
}

uint32_t vms_symtab_find(const struct vms_symtab *t, const char *s, size_t len)
{
	if (!t->cap)
		return 0;
	return t->slot[probe(t, s, len, vms_symtab_hash(s, len))];
}
