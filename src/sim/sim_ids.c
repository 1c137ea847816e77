/*
 * sim_ids.c — the id map of sim_ids.h: open addressing, linear probing,
 * backward-shift removal.
 */
#include <stdlib.h>

#include "sim_ids.h"
#include "vmscope/common.h"

/* splitmix64's finaliser: nearby ids spread over the table. */
static size_t home_of(uint64_t x, size_t cap)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return (size_t)x & (cap - 1);
}

/* The slot of id, or of the free slot where it would go. */
static size_t slot_of(const struct sim_ids *m, uint64_t id)
{
	size_t i = home_of(id, m->cap);
	while (m->key[i] && m->key[i] != id)
		i = (i + 1) & (m->cap - 1);
	return i;
}

uint32_t *sim_ids_get(const struct sim_ids *m, uint64_t id)
{
	if (!m->cap || !id)
		return NULL;
	size_t i = slot_of(m, id);
	return m->key[i] ? &m->val[i] : NULL;
}

static void grow(struct sim_ids *m)
{
	struct sim_ids old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->key = vms_xcalloc(m->cap, sizeof(*m->key));
	m->val = vms_xcalloc(m->cap, sizeof(*m->val));
	for (size_t i = 0; i < old.cap; i++)
		if (old.key[i]) {
			size_t j = slot_of(m, old.key[i]);
			m->key[j] = old.key[i];
			m->val[j] = old.val[i];
		}
	free(old.key);
	free(old.val);
}

void sim_ids_put(struct sim_ids *m, uint64_t id, uint32_t val)
{
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	size_t i = slot_of(m, id);
	m->n += !m->key[i];
	m->key[i] = id;
	m->val[i] = val;
}

/*
 * Backward shift: each entry after the hole moves into it unless its home
 * slot lies in (hole, its slot], so no probe run breaks (entry/home):
 *
 *   slot:  0    1    2    3                    0    1    2    3
 *         X/0  Y/0  Z/1   .    remove X ->    Y/0  Z/1   .    .
 */
bool sim_ids_del(struct sim_ids *m, uint64_t id)
{
	if (!m->cap || !id)
		return false;
	size_t mask = m->cap - 1, hole = slot_of(m, id);
	if (!m->key[hole])
		return false;
	for (size_t j = (hole + 1) & mask; m->key[j]; j = (j + 1) & mask) {
		size_t home = home_of(m->key[j], m->cap);
		bool stays =
		    hole <= j ? hole < home && home <= j : hole < home || home <= j;
		if (stays)
			continue;
		m->key[hole] = m->key[j];
		m->val[hole] = m->val[j];
		hole = j;
	}
	m->key[hole] = 0;
	m->n--;
	return true;
}

void sim_ids_free(struct sim_ids *m)
{
	free(m->key);
	free(m->val);
	*m = (struct sim_ids){0};
}

size_t sim_ids_bytes(const struct sim_ids *m)
{
	return m->cap * (sizeof(*m->key) + sizeof(*m->val));
}
