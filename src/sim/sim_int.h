/*
 * sim_int.h — internal: the simulator's state, shared by sim.c (areas,
 * ids, lazy freeing, purge, snapshot, validation) and sim_place.c (where
 * an area goes: the modern lowest fit, the legacy busy-tree walk, per-cpu
 * chunks top-down, vm_map_ram blocks).
 */
#ifndef VMS_SIM_INT_H
#define VMS_SIM_INT_H

#include "sim_ids.h"
#include "vmscope/sim.h"

/* What a slot holds. */
enum sim_state {
	S_UNUSED = 0, /* on the slot free chain */
	S_LIVE,       /* a busy area (in the busy tree) */
	S_LAZY,       /* freed, not purged: still in the busy tree */
	S_POOLED,     /* 6.9+: purged into a size pool, still not free space */
	S_SUB,        /* a small vm_map_ram inside a block (not in the tree) */
};

/* An area of the simulated address space. */
struct sim_slot {
	struct vms_area a;
	uint64_t id;     /* the user's id; 0 for areas made on the side
	                    (vm_map_ram blocks, pages arrays, start-from) */
	uint32_t link;   /* S_SUB: its block; vmalloc: its pages-array area
	                    (0 none, else slot + 1); S_UNUSED: next unused */
	uint32_t bfree;  /* vm_map_ram block: pages never handed out */
	uint32_t bdirty; /* vm_map_ram block: pages handed out and freed */
	uint8_t skind;   /* enum vms_sim_kind */
	uint8_t state;   /* enum sim_state */
	uint8_t win;     /* window index, WIN_NONE outside every window */
	bool fixed;      /* placed at a fixed address */
	bool block;      /* a vm_map_ram block (its pieces are S_SUB) */
};

#define WIN_NONE 0xff
#define NO_SLOT  UINT32_MAX

struct sim_window {
	uint64_t start, end; /* [VSTART, VEND) */
	bool modules;        /* the modules window */
	struct vms_free free;
};

/* id -> slot, open addressing: key 0 is an empty entry (ids are never 0),
 * value NO_SLOT a deleted one (its key stays; every other id, UINT64_MAX
 * included, is the user's). */

struct vms_sim {
	struct vms_sim_config cfg; /* as given, but cpus 0 made 4 and pools
	                              false where the kernel has none */
	const struct vms_profile *profile;
	int major, minor, patch;
	unsigned policy;
	uint64_t page;
	unsigned addr_bits;
	uint64_t lazy_max_pages, lazy_pages;

	VMS_VEC(struct vms_region) regions;
	struct vms_arena arena; /* region names, failure lines */
	struct vms_symtab syms; /* caller and module names */

	struct sim_window win[2];
	unsigned nr_win;
	unsigned vmalloc_win; /* index of the vmalloc window */
	int modules_win;      /* index, or -1: modules go to vmalloc space */

	VMS_VEC(struct sim_slot) slot;
	uint32_t unused; /* first unused slot + 1, 0 none */
	/* the busy tree's keys: key.v[i] = slot i's start, in an array of
	 * their own so a descent touches 8 bytes per level, not a slot */
	VMS_VEC(uint64_t) key;
	struct vms_busy busy;
	bool busy_in_sync;           /* the busy tree holds every busy slot (always
	                                under the legacy policy; a cache under the
	                                modern one: sim.c busy_sync()) */
	struct sim_ids ids;          /* user id -> slot */
	VMS_VEC(uint32_t) lazy;      /* lazily freed slots, in free order */
	VMS_VEC(uint32_t) blocks;    /* vm_map_ram blocks with free pages */
	VMS_VEC(uint32_t) pool[256]; /* 6.9+: purged areas of i + 1 pages */
	uint64_t block_bytes;        /* VMAP_BLOCK_SIZE */

	/* legacy next-fit cache (2.6.39–5.1) */
	uint32_t cache; /* slot, NO_SLOT none */
	uint64_t cached_hole_size, cached_vstart, cached_align;
	uint64_t steps; /* areas the legacy walks stepped over and free-tree
	                   nodes their searches visited (tests count work) */

	uint64_t next_phys;
	VMS_VEC(const char *) failures;
	struct vms_sim_stats st;
};

/* Slot helpers (sim.c). */
static inline uint64_t slot_start(const struct vms_sim *s, uint32_t i)
{
	return s->slot.v[i].a.start;
}
static inline uint64_t slot_end(const struct vms_sim *s, uint32_t i)
{
	return s->slot.v[i].a.end;
}

/*
 * Where an area of size bytes (guard included) aligned to align goes in
 * window w under the simulator's policy (sim_place.c): returns 0 with the
 * start in *addr, or -VMS_ERANGE. asked is the alignment the caller
 * passed to alloc_vmap_area() (1 for vmalloc and vmap, a page for
 * module_alloc, the ioremap alignment): before 5.17 the free-tree search
 * adds asked - 1 to its length whenever it is above 1. The free tree is
 * not changed (sim_take() commits); the legacy walk updates its cache
 * bookkeeping (cached_hole_size, cached_vstart, cached_align) as the
 * kernel's search does.
 */
int sim_find(struct vms_sim *s, unsigned w, uint64_t size, uint64_t align, uint64_t asked,
             uint64_t *addr);
/* Where a per-cpu chunk goes: the highest aligned fit below the window's
 * end (pcpu_get_vm_areas scans from the top), or -VMS_ERANGE. */
int sim_find_top(const struct vms_sim *s, unsigned w, uint64_t size, uint64_t align,
                 uint64_t *addr);
/* Takes [start, start + size) out of window w's free space (it must lie
 * in one hole); returns the fit type. */
enum vms_fit_type sim_take(struct vms_sim *s, unsigned w, uint64_t start, uint64_t size);
/* The legacy cache after an area was placed at slot i / is leaving. */
void sim_cache_placed(struct vms_sim *s, uint32_t i);
void sim_cache_freeing(struct vms_sim *s, uint32_t i);

/* ---- shared by the simulator's files ------------------------------------ */

/* A kernel version as one comparable number: 2.6.28 is 20628. */
static inline int sim_era_code(int major, int minor, int patch)
{
	return major * 10000 + minor * 100 + patch;
}

/* A slot keyed by its start, for sorting by address (sim_cmp_keyed). */
struct sim_keyed {
	uint64_t start;
	uint32_t i;
};
int sim_cmp_keyed(const void *x, const void *y);

/* Slots (sim_slots.c): a zeroed slot (reused, or a new one; the busy
 * tree follows its key array), and giving one back. */
uint32_t sim_slot_new(struct vms_sim *s);
void sim_slot_release(struct vms_sim *s, uint32_t i);

/* The busy tree (sim_slots.c): kept at every step under the legacy
 * policy, a cache under the modern one (rebuilt by sim_busy_sync() when
 * read; the const form for readers: rebuilding changes no state of the
 * run). Insert and erase keep it, or drop the cache. */
void sim_busy_sync(struct vms_sim *s);
void sim_busy_sync_const(const struct vms_sim *s);
void sim_busy_insert(struct vms_sim *s, uint32_t i);
void sim_busy_erase(struct vms_sim *s, uint32_t i);

/* Books and eras (sim.c): the run's kernel is major.minor or later; the
 * era frees lazily (2.6.28+); slot i freed lazily; its space given back
 * (free tree, or a pool); a live area counted; a caller name as a
 * vmallocinfo line can print it. */
bool sim_era_at_least(const struct vms_sim *s, int major, int minor);
bool sim_lazy_era(const struct vms_sim *s);
void sim_lazy_add(struct vms_sim *s, uint32_t i);
void sim_give_back(struct vms_sim *s, uint32_t i);
void sim_count_live(struct vms_sim *s, uint32_t i);
uint32_t sim_intern_symbol(struct vms_sim *s, const char *name);

#endif /* VMS_SIM_INT_H */
