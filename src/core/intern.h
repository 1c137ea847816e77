/*
 * intern.h — internal: a string interning table. Equal strings get the same
 * arena-owned pointer, so a million areas share a few hundred caller names.
 * Lookup and insert are O(1) expected (open addressing, FNV-1a, load <= 1/2).
 */
#ifndef VMS_INTERN_H
#define VMS_INTERN_H

#include <stddef.h>
#include <stdint.h>

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
/* The same with the FNV-1a hash of s[0..len) already computed
 * (vms_intern_hash). */
const char *vms_intern_hashed(struct vms_intern *t, const char *s, size_t len,
                              uint32_t h);
#define VMS_FNV_BASIS      2166136261u
#define VMS_FNV_STEP(h, c) (((h) ^ (unsigned char)(c)) * 16777619u)
/* Frees the table (not the strings, which belong to the arena). */
void vms_intern_free(struct vms_intern *t);

#endif /* VMS_INTERN_H */
