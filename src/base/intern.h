/*
 * intern.h — internal: a string interning table. Equal strings get the same
 * arena-owned pointer, so a million areas share a few hundred caller names.
 * Lookup and insert are O(1) expected (open addressing, load <= 1/2).
 */
#ifndef VMS_INTERN_H
#define VMS_INTERN_H

#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include "vmscope/common.h"

struct vms_intern_slot;
struct vms_intern {
	struct vms_arena *arena;      /* borrowed: where strings are copied */
	struct vms_intern_slot *slot; /* cap entries */
	size_t n, cap;
};

/* Starts an empty table copying strings into arena (borrowed). */
void vms_intern_init(struct vms_intern *t, struct vms_arena *arena);
/* Returns the interned copy of s[0..len), NUL-terminated, owned by the arena. */
const char *vms_intern(struct vms_intern *t, const char *s, size_t len);
/* The same with vms_intern_hash(s, len) already computed. */
const char *vms_intern_hashed(struct vms_intern *t, const char *s, size_t len,
                              uint32_t h);

/* The table's hash: 8 bytes at a time (multiply-xorshift), then the tail. */
static inline uint32_t vms_intern_hash(const char *s, size_t len)
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
/* Frees the table (not the strings, which belong to the arena). */
void vms_intern_free(struct vms_intern *t);

#endif /* VMS_INTERN_H */
