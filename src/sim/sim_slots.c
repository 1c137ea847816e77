/*
 * sim_slots.c — the simulator's bookkeeping structures: the slots of areas
 * (reused through a free chain, so a long run with a bounded live set
 * stays bounded in memory), and the busy tree over them, which is a cache
 * under the modern policy (sim_int.h).
 */
#include <stdlib.h>
#include <string.h>

#include "sim_int.h"

/* ---- slots ------------------------------------------------------------------- */

uint32_t sim_slot_new(struct vms_sim *s)
{
	if (s->unused) {
		uint32_t i = s->unused - 1;
		s->unused = s->slot.v[i].link;
		memset(&s->slot.v[i], 0, sizeof(s->slot.v[i]));
		return i;
	}
	const void *old = s->key.v;
	vms_vec_reserve(&s->slot, s->slot.n + 1);
	vms_vec_reserve(&s->key, s->slot.n + 1);
	if (s->key.v != old)
		vms_busy_rebase(&s->busy, s->key.v);
	memset(&s->slot.v[s->slot.n], 0, sizeof(s->slot.v[0]));
	s->key.v[s->slot.n] = 0;
	s->key.n = s->slot.n + 1;
	return (uint32_t)s->slot.n++;
}

/*
 * The busy tree. The legacy walk searches it, so legacy runs keep it at
 * every step. The free tree alone places areas under the modern policy,
 * so there the busy tree is a cache: dropped at the first allocation or
 * purge and rebuilt in O(n log n) when something reads it (a fixed
 * placement, the snapshot, validation), which keeps an allocation to the
 * free tree's O(log n) and spares each one a descent through n areas.
 */

int sim_cmp_keyed(const void *x, const void *y)
{
	const struct sim_keyed *a = x, *b = y;
	return a->start < b->start ? -1 : a->start > b->start;
}

void sim_busy_sync(struct vms_sim *s)
{
	if (s->busy_in_sync)
		return;
	size_t cap = s->slot.n ? s->slot.n : 1, n = 0;
	struct sim_keyed *k = vms_xmalloc(cap * sizeof(*k));
	for (uint32_t i = 0; i < s->slot.n; i++) {
		unsigned st = s->slot.v[i].state;
		if (st == S_LIVE || st == S_LAZY || st == S_POOLED) {
			s->key.v[i] = s->slot.v[i].a.start;
			k[n++] = (struct sim_keyed){s->slot.v[i].a.start, i};
		}
	}
	qsort(k, n, sizeof(*k),
	      sim_cmp_keyed); /* starts are distinct: areas never overlap */
	uint32_t *order = vms_xmalloc(cap * sizeof(*order));
	for (size_t j = 0; j < n; j++)
		order[j] = k[j].i;
	free(k);
	vms_busy_build(&s->busy, order, n);
	free(order);
	s->busy_in_sync = true;
}

/* The busy tree of a simulator readers see as const: rebuilding the cache
 * changes no state of the run. */
void sim_busy_sync_const(const struct vms_sim *s)
{
	sim_busy_sync((struct vms_sim *)s);
}

/* Enters slot i in the busy tree under its start (or drops the cache). */
void sim_busy_insert(struct vms_sim *s, uint32_t i)
{
	if (s->policy == VMS_POLICY_MODERN)
		s->busy_in_sync = false;
	if (!s->busy_in_sync)
		return;
	s->key.v[i] = s->slot.v[i].a.start;
	vms_busy_insert(&s->busy, i);
}

void sim_busy_erase(struct vms_sim *s, uint32_t i)
{
	if (s->policy == VMS_POLICY_MODERN)
		s->busy_in_sync = false;
	if (s->busy_in_sync)
		vms_busy_erase(&s->busy, i);
}

void sim_slot_release(struct vms_sim *s, uint32_t i)
{
	s->slot.v[i].state = S_UNUSED;
	s->slot.v[i].link = s->unused;
	s->unused = i + 1;
}
