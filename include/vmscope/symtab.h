/*
 * symtab.h — a symbol table: names (callers, modules) as dense uint32_t ids.
 *
 * Equal names get equal ids, so per-caller totals and diffs are array
 * lookups and comparing two areas' callers is one integer compare. Id 0 is
 * "no name"; real ids start at 1 and are dense (1..n), in order of first
 * appearance. The strings live in an arena the caller owns (a dump's), the
 * table itself in memory freed by vms_symtab_free().
 *
 * Cost: vms_symtab_intern() is O(length) expected (open addressing on a
 * 32-bit hash, load <= 1/2); vms_symtab_name() is O(1). Memory: 16 bytes per
 * name plus 8 bytes per hash slot, plus the strings.
 */
#ifndef VMS_SYMTAB_H
#define VMS_SYMTAB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vmscope/common.h"

struct vms_sym {
	const char *name; /* NUL-terminated, arena-owned */
	uint32_t len;     /* bytes, without the NUL */
	uint32_t hash;    /* vms_symtab_hash(name, len) */
};

struct vms_symtab {
	struct vms_arena *arena;      /* borrowed: where names are copied */
	VMS_VEC(struct vms_sym) syms; /* syms.v[id], syms.v[0] unused */
	uint32_t *slot;               /* ids, 0 = empty; cap slots */
	size_t cap;
};

/* Starts an empty table copying names into arena (borrowed). */
void vms_symtab_init(struct vms_symtab *t, struct vms_arena *arena);
/* Frees the table (not the names, which belong to the arena). */
void vms_symtab_free(struct vms_symtab *t);

/* The table's hash: 8 bytes at a time (multiply-xorshift), then the tail. */
static inline uint32_t vms_symtab_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	return (uint32_t)h;
}

/* Returns the id of s[0..len) (need not be NUL-terminated), adding it when
 * new. len 0 is a valid (empty) name with an id of its own. */
uint32_t vms_symtab_intern(struct vms_symtab *t, const char *s, size_t len);
/* The same with vms_symtab_hash(s, len) already computed. */
uint32_t vms_symtab_intern_hashed(struct vms_symtab *t, const char *s, size_t len,
                                  uint32_t h);
/* Returns the id of s[0..len), or 0 when it is not in the table. */
uint32_t vms_symtab_find(const struct vms_symtab *t, const char *s, size_t len);

/* Name of id (borrowed, valid while the arena lives); NULL for 0 or an id
 * out of range. */
static inline const char *vms_symtab_name(const struct vms_symtab *t, uint32_t id)
{
	return id && id < t->syms.n ? t->syms.v[id].name : NULL;
}

/* Number of ids in use plus one: valid ids are 1 .. vms_symtab_count() - 1,
 * so an array of this many counters is indexed by id directly. */
static inline uint32_t vms_symtab_count(const struct vms_symtab *t)
{
	return t->syms.n ? (uint32_t)t->syms.n : 1;
}

#endif /* VMS_SYMTAB_H */
