/*
 * sim_work_int.h — internal: what the workload generators share between
 * sim_work.c (names, the size and caller machinery, churn, leak, frag, the
 * entry point) and sim_work_boot.c (the boot sequence).
 *
 *  - the random stream (splitmix64) and its draws, O(1) each;
 *  - pools of live ids with O(1) random take;
 *  - the generator's state and the three event emitters, which spend the
 *    ops budget (an alloc cut off by it returns id 0, which every free and
 *    pool ignores);
 *  - size classes and caller tables: their types, the size-class tables
 *    both files use (owned by sim_work.c; the others stay static in the
 *    one file that uses them), and the draws over them (sim_work.c).
 *
 * Every draw goes through g->r in program order, so moving code between
 * the files cannot change the stream; only the call order does.
 */
#ifndef VMS_SIM_WORK_INT_H
#define VMS_SIM_WORK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmscope/common.h"
#include "vmscope/sim.h"

#define KIB(n)   ((uint64_t)(n) << 10)
#define MIB(n)   ((uint64_t)(n) << 20)
#define GIB(n)   ((uint64_t)(n) << 30)
#define TIB(n)   ((uint64_t)(n) << 40)
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the random stream -------------------------------------------------- */

/* splitmix64: one add and a finaliser per draw; every seed, 0 included,
 * starts a full-period stream, and nothing in it depends on the host. */
struct rng {
	uint64_t s;
};

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n): draws at or above the largest multiple of n are
 * redrawn, so no value is favoured by the modulo. */
static inline uint64_t rng_below(struct rng *r, uint64_t n)
{
	if (n <= 1)
		return 0;
	uint64_t lim = UINT64_MAX - UINT64_MAX % n, x;
	do
		x = rng_next(r);
	while (x >= lim);
	return x % n;
}

/* Uniform in [lo, hi], lo <= hi < UINT64_MAX. */
static inline uint64_t rng_range(struct rng *r, uint64_t lo, uint64_t hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

/* True with probability num/den. */
static inline bool rng_chance(struct rng *r, unsigned num, unsigned den)
{
	return rng_below(r, den) < num;
}

/* ---- live sets ---------------------------------------------------------- */

/* Ids that may be freed: an array; a random member leaves by moving the
 * last one into its slot, so picking and removing is O(1). The owner
 * frees ids.v. */
struct pool {
	VMS_VEC(uint64_t) ids;
};

/* Id 0 is an allocation cut off by the event budget: nothing to free. */
static inline void pool_add(struct pool *p, uint64_t id)
{
	if (id)
		vms_vec_push(&p->ids, id);
}

/* Removes and returns a random member, 0 when empty. */
static inline uint64_t pool_take(struct pool *p, struct rng *r)
{
	if (!p->ids.n)
		return 0;
	size_t i = (size_t)rng_below(r, p->ids.n);
	uint64_t id = p->ids.v[i];
	p->ids.v[i] = p->ids.v[--p->ids.n];
	return id;
}

/* ---- the generator and its events --------------------------------------- */

struct gen {
	struct vms_sim_script *s;
	struct rng r;
	uint64_t page;    /* bytes, a power of two */
	uint64_t cap;     /* largest request in the vmalloc window, bytes */
	uint64_t mod_cap; /* largest module-kind request, bytes */
	unsigned bits;    /* 32 or 64 */
	unsigned cpus;
	uint64_t next_id;           /* the next fresh id */
	uint64_t left;              /* events still allowed (the ops budget) */
	bool stacks;                /* kernel stacks are vmalloc'ed (VMAP_STACK) */
	unsigned stack_align_shift; /* THREAD_ALIGN = THREAD_SIZE << this */
	const char *fork;           /* the caller of a new task's stack */
	uint64_t atom;              /* the per-cpu atom (chunk alignment) */
};

/* Appends an allocation under a fresh id and returns the id, or 0 (and
 * appends nothing) once the budget is spent. */
static inline uint64_t emit_alloc(struct gen *g, unsigned kind, uint64_t size,
                                  uint64_t align, const char *caller)
{
	if (!g->left)
		return 0;
	g->left--;
	uint64_t id = g->next_id++;
	vms_sim_script_add(g->s, VMS_OP_ALLOC, id, size, align, kind, caller);
	return id;
}

/* Frees id; id 0 (cut off, or an empty pool) frees nothing. The budget is
 * never refilled, so an id cut off is never named by a later free. */
static inline void emit_free(struct gen *g, uint64_t id)
{
	if (!g->left || !id)
		return;
	g->left--;
	vms_sim_script_add(g->s, VMS_OP_FREE, id, 0, 0, VMS_SK_VMALLOC, NULL);
}

static inline void emit_purge(struct gen *g)
{
	if (!g->left)
		return;
	g->left--;
	vms_sim_script_add(g->s, VMS_OP_PURGE, 0, 0, 0, VMS_SK_VMALLOC, NULL);
}

/* ---- sizes -------------------------------------------------------------- */

/* A byte range and its weight among its caller's classes. pow2: a power of
 * two inside the range (a device resource); otherwise log-uniform. */
struct size_class {
	uint16_t weight;
	bool pow2;
	uint64_t lo, hi; /* bytes, before rounding to the page */
};

struct size_mix {
	const struct size_class *c;
	size_t n;
};

/* A mix in a table's initialiser, and as a value in an expression. */
#define MIX(a)                                                                           \
	{                                                                                \
		(a), NELEM(a)                                                            \
	}
#define SIZES(a) ((struct size_mix)MIX(a))

/* The size classes both files draw from (sim_work.c, which explains each).
 * The counts let MIX() work across files. sim_work.c defines the tables
 * with [] under these declarations: a count below the initialiser's is a
 * diagnostic (an error with WERROR=1); one above it would only append
 * zero-weight classes, which are never drawn. Keep them equal. */
extern const struct size_class wl_sz_ioremap[6];
extern const struct size_class wl_sz_module[4];
extern const struct size_class wl_sz_page[2];
extern const struct size_class wl_sz_bpf_jit[2];
extern const struct size_class wl_sz_tty[1];
extern const struct size_class wl_sz_xt[1];
extern const struct size_class wl_sz_vmap[2];
extern const struct size_class wl_sz_map_ram[2];

/* size rounded up to whole pages, at least one page, at most cap (a page
 * multiple). */
static inline uint64_t page_fit(const struct gen *g, uint64_t size, uint64_t cap)
{
	size = (size + g->page - 1) & ~(g->page - 1);
	if (size < g->page)
		size = g->page;
	return size < cap ? size : cap;
}

/* A size from m, no larger than cap, whole pages (sim_work.c). */
uint64_t wl_draw_size(struct gen *g, struct size_mix m, uint64_t cap);
/* An allocation of kind with a size from m under the kind's cap; its id,
 * or 0 once the budget is spent. */
uint64_t wl_alloc_sized(struct gen *g, unsigned kind, struct size_mix m,
                        const char *caller);
/* A vmap'ed kernel stack for caller; 0 when stacks are not vmalloc'ed on
 * this machine (nothing emitted) or the budget is spent. */
uint64_t wl_alloc_stack(struct gen *g, const char *caller);

/* ---- callers ------------------------------------------------------------ */

enum shape { SH_SIZES, SH_STACK };

/* Who allocates, how often, and what. */
struct caller_mix {
	const char *caller; /* NULL: the kind's default (vm_map_ram prints none) */
	uint8_t kind;       /* enum vms_sim_kind */
	uint8_t shape;      /* enum shape */
	uint8_t bits;       /* 32 or 64: only on such machines; 0: on both */
	uint16_t weight;
	struct size_mix sizes; /* SH_SIZES */
};

/* A caller of t[0..n) by weight among those of this machine (sim_work.c);
 * the table must hold one for every machine. */
const struct caller_mix *wl_pick_caller(struct gen *g, const struct caller_mix *t,
                                        size_t n);
/* One allocation as m makes it; its id or 0. */
uint64_t wl_alloc_from(struct gen *g, const struct caller_mix *m);

#define ALLOC_ONE(g, table) wl_alloc_from((g), wl_pick_caller((g), (table), NELEM(table)))

/* ---- workloads ---------------------------------------------------------- */

/* The boot sequence (sim_work_boot.c). */
void wl_gen_boot(struct gen *g);

#endif /* VMS_SIM_WORK_INT_H */
