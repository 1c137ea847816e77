/*
 * sim_ids.h — internal: a map from the user's allocation ids (uint64_t,
 * never 0) to a 32-bit value, for the simulator (id -> slot) and the event
 * script reader (id -> the line of its allocation, live ids only).
 *
 * Open addressing with linear probing at load at most 1/2, removal by
 * backward shift (no tombstones, so a long run of alloc/free pairs never
 * degrades it); key 0 marks a free slot. Costs: get, put and del O(1)
 * expected; 12 bytes per slot, twice the ids at most.
 */
#ifndef VMS_SIM_IDS_H
#define VMS_SIM_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_ids {
	uint64_t *key; /* 0: free slot */
	uint32_t *val;
	size_t cap, n; /* cap a power of two, or 0 */
};

/* The value of id (a pointer into the map, valid until the next put or
 * del), or NULL when id is not in it. */
uint32_t *sim_ids_get(const struct sim_ids *m, uint64_t id);
/* Sets the value of id (id != 0), adding it when new. */
void sim_ids_put(struct sim_ids *m, uint64_t id, uint32_t val);
/* Removes id; false when it was not in the map. */
bool sim_ids_del(struct sim_ids *m, uint64_t id);
void sim_ids_free(struct sim_ids *m);
/* Bytes the map owns. */
size_t sim_ids_bytes(const struct sim_ids *m);

#endif /* VMS_SIM_IDS_H */
