/*
 * test_sim_work.c — the simulator's workloads (src/sim/sim_work.c): names,
 * determinism (same config, same events; another seed, other events; a
 * pinned digest so a host or compiler cannot change the stream), the
 * stream's own rules for every workload (fresh ids, frees only of live
 * ids, purges rare), each workload's counts and shape, and the size mix:
 * page multiples, powers-of-two alignments, an eighth of the window at
 * most, small sizes dominating, scaling with the page size.
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/sim.h"

#define KIB(n) ((uint64_t)(n) << 10)
#define MIB(n) ((uint64_t)(n) << 20)
#define GIB(n) ((uint64_t)(n) << 30)
#define TIB(n) ((uint64_t)(n) << 40)

/* ---- configurations ----------------------------------------------------- */

/* An x86_64 server: 32 TiB vmalloc, 1.5 GiB modules, 8 CPUs. */
static struct vms_workload_config x86_64(unsigned w)
{
	return (struct vms_workload_config){
	    .workload = w,
	    .seed = 42,
	    .addr_bits = 64,
	    .page_size = 4096,
	    .vmalloc_bytes = TIB(32),
	    .module_bytes = MIB(1520),
	    .cpus = 8,
	};
}

/* An arm32 device: the default 240 MiB vmalloc, 14 MiB modules, 4 CPUs. */
static struct vms_workload_config arm32(unsigned w)
{
	return (struct vms_workload_config){
	    .workload = w,
	    .seed = 42,
	    .addr_bits = 32,
	    .page_size = 4096,
	    .vmalloc_bytes = MIB(240),
	    .module_bytes = MIB(14),
	    .cpus = 4,
	};
}

/* An arm64 server with 64 KiB pages and a 128 MiB module region. */
static struct vms_workload_config arm64_64k(unsigned w)
{
	return (struct vms_workload_config){
	    .workload = w,
	    .seed = 7,
	    .addr_bits = 64,
	    .page_size = KIB(64),
	    .vmalloc_bytes = TIB(128),
	    .module_bytes = MIB(128),
	    .cpus = 16,
	};
}

/* A 64-bit machine with a tiny window and no module region apart. */
static struct vms_workload_config tiny64(unsigned w)
{
	return (struct vms_workload_config){
	    .workload = w,
	    .seed = 3,
	    .addr_bits = 64,
	    .page_size = 4096,
	    .vmalloc_bytes = MIB(16),
	    .cpus = 2,
	};
}

static void generate(struct vms_sim_script *s, const struct vms_workload_config *c)
{
	vms_sim_script_init(s, vms_workload_name(c->workload));
	int rc = vms_workload_generate(s, c);
	cr_assert_eq(rc, 0, "%s: rc %d", vms_workload_name(c->workload), rc);
}

static const char *caller_of(const struct vms_sim_script *s,
                             const struct vms_sim_event *e)
{
	const char *n = vms_symtab_name(&s->syms, e->caller);
	return n ? n : "";
}

/* Event i of a and event i of b are equal, field by field (the struct has
 * padding, so memcmp would compare garbage), callers by name. */
static bool same_event(const struct vms_sim_script *a, const struct vms_sim_script *b,
                       size_t i)
{
	const struct vms_sim_event *x = &a->ev.v[i], *y = &b->ev.v[i];
	return x->op == y->op && x->id == y->id && x->size == y->size &&
	       x->align == y->align && x->kind == y->kind &&
	       !strcmp(caller_of(a, x), caller_of(b, y));
}

/* ---- the stream's rules ------------------------------------------------- */

struct stream {
	uint64_t allocs, frees, purges;
	uint64_t live, peak;
	uint64_t by_kind[VMS_NR_SIM_KINDS];
	uint64_t live_by_kind[VMS_NR_SIM_KINDS]; /* at the end */
};

/*
 * Walks s checking what every workload promises: alloc ids are fresh (each
 * larger than any before), frees name an id allocated earlier and not
 * freed since, purges carry id 0; and counts what it saw.
 */
static void analyse(const struct vms_sim_script *s, struct stream *st)
{
	uint64_t max_id = 0;
	for (size_t i = 0; i < s->ev.n; i++)
		max_id = s->ev.v[i].id > max_id ? s->ev.v[i].id : max_id;
	uint8_t *state = calloc(max_id + 1, 1); /* 0 unseen, 1 live, 2 freed */
	uint8_t *kind = calloc(max_id + 1, 1);
	cr_assert(state && kind);
	memset(st, 0, sizeof(*st));
	uint64_t last = 0;
	for (size_t i = 0; i < s->ev.n; i++) {
		const struct vms_sim_event *e = &s->ev.v[i];
		switch (e->op) {
		case VMS_OP_ALLOC:
			cr_assert_gt(e->id, last, "event %zu: id %llu not fresh", i,
			             (unsigned long long)e->id);
			cr_assert_lt(e->kind, VMS_NR_SIM_KINDS);
			last = e->id;
			state[e->id] = 1;
			kind[e->id] = e->kind;
			st->allocs++;
			st->by_kind[e->kind]++;
			st->live_by_kind[e->kind]++;
			st->peak = ++st->live > st->peak ? st->live : st->peak;
			break;
		case VMS_OP_FREE:
			cr_assert(e->id && state[e->id] == 1,
			          "event %zu frees id %llu, not live", i,
			          (unsigned long long)e->id);
			state[e->id] = 2;
			st->live_by_kind[kind[e->id]]--;
			st->live--;
			st->frees++;
			break;
		case VMS_OP_PURGE:
			cr_assert_eq(e->id, 0);
			st->purges++;
			break;
		default:
			cr_assert_fail("event %zu: op %u", i, (unsigned)e->op);
		}
	}
	free(state);
	free(kind);
}

/* Sizes are whole pages (at least one), at most an eighth of their window
 * (the module window for module kind when there is one); alignments are 0
 * or powers of two of at least a page. */
static void check_bounds(const struct vms_sim_script *s,
                         const struct vms_workload_config *c)
{
	uint64_t page = c->page_size, cap = c->vmalloc_bytes / 8;
	uint64_t mod_cap = c->module_bytes ? c->module_bytes / 8 : cap;
	for (size_t i = 0; i < s->ev.n; i++) {
		const struct vms_sim_event *e = &s->ev.v[i];
		if (e->op != VMS_OP_ALLOC)
			continue;
		uint64_t limit = e->kind == VMS_SK_MODULE ? mod_cap : cap;
		cr_assert(e->size >= page && e->size % page == 0,
		          "%s: event %zu size %llu", vms_workload_name(c->workload), i,
		          (unsigned long long)e->size);
		cr_assert_leq(e->size, limit, "%s: event %zu size %llu > %llu",
		              vms_workload_name(c->workload), i,
		              (unsigned long long)e->size, (unsigned long long)limit);
		cr_assert(!e->align || (!(e->align & (e->align - 1)) && e->align >= page),
		          "event %zu align %llu", i, (unsigned long long)e->align);
	}
}

/* FNV-1a over the fields of every event, caller by name. */
static uint64_t digest(const struct vms_sim_script *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < s->ev.n; i++) {
		const struct vms_sim_event *e = &s->ev.v[i];
		uint64_t f[5] = {e->op, e->id, e->size, e->align,
		                 e->op == VMS_OP_ALLOC ? e->kind : 0};
		for (size_t k = 0; k < 5; k++)
			for (unsigned b = 0; b < 64; b += 8)
				h = (h ^ ((f[k] >> b) & 0xff)) * 0x100000001b3ull;
		for (const char *p = caller_of(s, e); *p; p++)
			h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
		h = (h ^ 0xff) * 0x100000001b3ull;
	}
	return h;
}

/* ---- names -------------------------------------------------------------- */

Test(sim_work, names_round_trip_and_unknown_names_are_refused)
{
	for (unsigned w = 0; w < VMS_NR_WORKLOADS; w++)
		cr_assert_eq(vms_workload_lookup(vms_workload_name(w)), (int)w);
	cr_assert_str_eq(vms_workload_name(VMS_WL_FRAG), "frag");
	cr_assert_eq(vms_workload_lookup("CHURN"), VMS_WL_CHURN);
	cr_assert_eq(vms_workload_lookup("Boot"), VMS_WL_BOOT);
	cr_assert_eq(vms_workload_lookup("chur"), -1);
	cr_assert_eq(vms_workload_lookup("churns"), -1);
	cr_assert_eq(vms_workload_lookup(""), -1);
	cr_assert_eq(vms_workload_lookup(NULL), -1);
	cr_assert_str_eq(vms_workload_name(VMS_NR_WORKLOADS), "?");
}

Test(sim_work, bad_configs_are_einval_and_append_nothing)
{
	struct vms_workload_config bad[] = {x86_64(VMS_NR_WORKLOADS),
	                                    x86_64(VMS_WL_CHURN), x86_64(VMS_WL_BOOT)};
	bad[1].page_size = 3000;
	bad[2].addr_bits = 48;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vms_sim_script s;
		vms_sim_script_init(&s, "bad");
		cr_assert_eq(vms_workload_generate(&s, &bad[i]), -VMS_EINVAL,
		             "config %zu", i);
		cr_assert_eq(s.ev.n, 0);
		vms_sim_script_free(&s);
	}
}

/* ---- determinism -------------------------------------------------------- */

Test(sim_work, same_config_gives_identical_events_for_every_workload)
{
	for (unsigned w = 0; w < VMS_NR_WORKLOADS; w++) {
		struct vms_workload_config cfgs[] = {x86_64(w), arm32(w)};
		for (size_t k = 0; k < 2; k++) {
			struct vms_sim_script a, b;
			generate(&a, &cfgs[k]);
			generate(&b, &cfgs[k]);
			cr_assert_eq(a.ev.n, b.ev.n, "%s", vms_workload_name(w));
			cr_assert_gt(a.ev.n, 0);
			for (size_t i = 0; i < a.ev.n; i++)
				cr_assert(same_event(&a, &b, i), "%s: event %zu differs",
				          vms_workload_name(w), i);
			cr_assert_eq(digest(&a), digest(&b));
			vms_sim_script_free(&a);
			vms_sim_script_free(&b);
		}
	}
}

Test(sim_work, another_seed_gives_other_events)
{
	for (unsigned w = 0; w < VMS_NR_WORKLOADS; w++) {
		struct vms_workload_config c1 = x86_64(w), c2 = x86_64(w);
		c2.seed = c1.seed + 1;
		struct vms_sim_script a, b;
		generate(&a, &c1);
		generate(&b, &c2);
		cr_assert_neq(digest(&a), digest(&b), "%s", vms_workload_name(w));
		vms_sim_script_free(&a);
		vms_sim_script_free(&b);
	}
}

/* The stream is pinned: integer arithmetic and a generator of our own
 * give these digests on every host. A deliberate change to the tables or
 * the stream changes them: update them then, and say so in the change. */
Test(sim_work, a_fixed_seed_gives_the_recorded_stream)
{
	static const uint64_t want[VMS_NR_WORKLOADS] = {
	    0x89cea449a68d350aull, /* boot */
	    0xa171e34ff2760806ull, /* churn */
	    0xe242e291a737deabull, /* leak */
	    0x2ecab325ef6fe188ull, /* frag */
	};
	for (unsigned w = 0; w < VMS_NR_WORKLOADS; w++) {
		struct vms_workload_config c = arm32(w);
		c.ops = 2000;
		c.live = 300;
		struct vms_sim_script s;
		generate(&s, &c);
		uint64_t got = digest(&s);
		cr_expect_eq(got, want[w], "%s: digest 0x%016llxull",
		             vms_workload_name(w), (unsigned long long)got);
		vms_sim_script_free(&s);
	}
}

Test(sim_work, appending_keeps_ids_fresh_after_existing_events)
{
	struct vms_workload_config c = x86_64(VMS_WL_CHURN);
	c.ops = 3000;
	c.live = 200;
	struct vms_sim_script s;
	generate(&s, &c);
	size_t first = s.ev.n;
	c.seed = 99;
	cr_assert_eq(vms_workload_generate(&s, &c), 0);
	cr_assert_eq(s.ev.n, 2 * first);
	struct stream st;
	analyse(&s, &st); /* ids of the second batch above all of the first */
	cr_assert_eq(st.allocs + st.frees + st.purges, 6000);
	vms_sim_script_free(&s);
}

/* ---- churn -------------------------------------------------------------- */

Test(sim_work, churn_defaults_keep_about_a_thousand_live_with_every_kind_but_percpu)
{
	for (int k = 0; k < 2; k++) {
		struct vms_workload_config c =
		    k ? arm32(VMS_WL_CHURN) : x86_64(VMS_WL_CHURN);
		struct vms_sim_script s;
		generate(&s, &c);
		cr_assert_eq(s.ev.n, 10000);
		/* the ramp-up: no free before the thousandth allocation */
		for (size_t i = 0, allocs = 0; allocs < 1000; i++) {
			cr_assert_neq(s.ev.v[i].op, VMS_OP_FREE, "ramp-up event %zu", i);
			allocs += s.ev.v[i].op == VMS_OP_ALLOC;
		}
		struct stream st;
		analyse(&s, &st);
		cr_assert_geq(st.peak, 1000);
		cr_assert_leq(st.peak, 1100, "peak %llu", (unsigned long long)st.peak);
		cr_assert_geq(st.live, 900);
		cr_assert_gt(st.frees, 3500);
		cr_assert_leq(st.purges, 20);
		for (unsigned kind = 0; kind < VMS_NR_SIM_KINDS; kind++) {
			if (kind == VMS_SK_PERCPU)
				cr_assert_eq(st.by_kind[kind], 0);
			else
				cr_assert_gt(st.by_kind[kind], 50, "kind %s",
				             vms_sim_kind_name(kind));
		}
		check_bounds(&s, &c);
		vms_sim_script_free(&s);
	}
}

/* The bench's figure: a million operations around 100,000 live areas. Its
 * memory is the events themselves: a few dozen caller names, not one per
 * event, and no more than twice the event array's size. */
Test(sim_work, churn_of_a_million_ops_at_100k_live_stays_small)
{
	struct vms_workload_config c = x86_64(VMS_WL_CHURN);
	c.ops = 1000000;
	c.live = 100000;
	struct vms_sim_script s;
	generate(&s, &c);
	cr_assert_eq(s.ev.n, 1000000);
	struct stream st;
	analyse(&s, &st);
	cr_assert_geq(st.peak, 100000);
	cr_assert_leq(st.peak, 100500, "peak %llu", (unsigned long long)st.peak);
	cr_assert_gt(st.frees, 400000);
	cr_assert_leq(vms_symtab_count(&s.syms), 32);
	cr_assert_leq(s.arena.total, MIB(1));
	cr_assert_leq(s.ev.cap, 2 * s.ev.n);
	vms_sim_script_free(&s);
}

/* Small sizes dominate, as in the dumps: most ioremaps are one page, most
 * vmallocs a few pages; yet the large classes appear. */
Test(sim_work, churn_sizes_are_skewed_small_with_a_tail)
{
	struct vms_workload_config c = x86_64(VMS_WL_CHURN);
	c.ops = 200000;
	struct vms_sim_script s;
	generate(&s, &c);
	uint64_t io = 0, io_one = 0, io_max = 0, vm = 0, vm_small = 0, vm_max = 0;
	for (size_t i = 0; i < s.ev.n; i++) {
		const struct vms_sim_event *e = &s.ev.v[i];
		if (e->op != VMS_OP_ALLOC)
			continue;
		if (e->kind == VMS_SK_IOREMAP) {
			io++;
			io_one += e->size == 4096;
			io_max = e->size > io_max ? e->size : io_max;
		} else if (e->kind == VMS_SK_VMALLOC) {
			vm++;
			vm_small += e->size <= 4 * 4096;
			vm_max = e->size > vm_max ? e->size : vm_max;
		}
	}
	cr_assert_gt(io_one * 2, io, "%llu of %llu ioremaps one page",
	             (unsigned long long)io_one, (unsigned long long)io);
	cr_assert_gt(vm_small * 10, vm * 7, "%llu of %llu vmallocs <= 4 pages",
	             (unsigned long long)vm_small, (unsigned long long)vm);
	cr_assert_geq(io_max, MIB(32));
	cr_assert_geq(vm_max, MIB(1));
	vms_sim_script_free(&s);
}

/* Thread stacks: 16 KiB aligned to 16 KiB on x86_64 (THREAD_ALIGN), a
 * whole 64 KiB page on arm64/64K, 8 KiB aligned to 16 KiB on 32-bit. */
Test(sim_work, stacks_have_thread_size_and_thread_align)
{
	struct {
		struct vms_workload_config c;
		uint64_t size, align;
	} t[] = {
	    {x86_64(VMS_WL_CHURN), KIB(16), KIB(16)},
	    {arm64_64k(VMS_WL_CHURN), KIB(64), KIB(64)},
	    {arm32(VMS_WL_CHURN), KIB(8), KIB(16)},
	};
	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		struct vms_sim_script s;
		generate(&s, &t[k].c);
		uint64_t stacks = 0;
		for (size_t i = 0; i < s.ev.n; i++) {
			const struct vms_sim_event *e = &s.ev.v[i];
			if (e->op != VMS_OP_ALLOC ||
			    strcmp(caller_of(&s, e), "kernel_clone"))
				continue;
			stacks++;
			cr_assert_eq(e->size, t[k].size, "config %zu", k);
			cr_assert_eq(e->align, t[k].align, "config %zu", k);
		}
		cr_assert_gt(stacks, 1000, "config %zu: %llu stacks", k,
		             (unsigned long long)stacks);
		vms_sim_script_free(&s);
	}
}

/* ---- leak --------------------------------------------------------------- */

Test(sim_work, leak_caller_grows_and_is_never_freed_among_churn)
{
	struct vms_workload_config c = arm32(VMS_WL_LEAK);
	struct vms_sim_script s;
	generate(&s, &c);
	cr_assert_eq(s.ev.n, 10000);
	struct stream st;
	analyse(&s, &st);
	uint8_t *leaked = calloc(s.ev.n + 2, 1);
	uint64_t n = 0, first = 0, last = 0, others = 0;
	for (size_t i = 0; i < s.ev.n; i++) {
		const struct vms_sim_event *e = &s.ev.v[i];
		if (e->op == VMS_OP_FREE) {
			cr_assert(!leaked[e->id], "the leak's id %llu was freed",
			          (unsigned long long)e->id);
			continue;
		}
		if (e->op != VMS_OP_ALLOC)
			continue;
		if (strcmp(caller_of(&s, e), "kvmalloc_node")) {
			others++;
			continue;
		}
		cr_assert_eq(e->kind, VMS_SK_VMALLOC);
		cr_assert_geq(e->size, last, "the leak shrank at event %zu", i);
		first = n++ ? first : e->size;
		last = e->size;
		leaked[e->id] = 1;
	}
	cr_assert_geq(n, 1000, "%llu leak allocations", (unsigned long long)n);
	cr_assert_leq(n, 1500);
	cr_assert_eq(first, 4096);
	cr_assert_geq(last, 30 * 4096);
	cr_assert_gt(others, 4000);
	cr_assert_gt(st.frees, 3000);
	/* the churn around it stays light: live = the leak + about 256 */
	cr_assert_leq(st.live, n + 300);
	check_bounds(&s, &c);
	free(leaked);
	vms_sim_script_free(&s);
}

/* ---- frag --------------------------------------------------------------- */

/* lib/test_vmalloc.c long_busy_list_alloc_test: the pointer array, the busy
 * list of one-page areas, then rounds of a large and a one-page request
 * freed again, with the busy list now and then shifting by one. */
static void check_frag(const struct vms_workload_config *c, uint64_t nbusy, uint64_t ops)
{
	struct vms_sim_script s;
	generate(&s, c);
	uint64_t page = c->page_size;
	cr_assert_eq(s.ev.n, 1 + nbusy + ops);
	cr_assert_eq(s.ev.v[0].op, VMS_OP_ALLOC);
	cr_assert_eq(s.ev.v[0].size,
	             (nbusy * (c->addr_bits / 8) + page - 1) / page * page);
	for (size_t i = 0; i < s.ev.n; i++)
		if (s.ev.v[i].op == VMS_OP_ALLOC)
			cr_assert_str_eq(caller_of(&s, &s.ev.v[i]),
			                 "long_busy_list_alloc_test");
	for (size_t i = 1; i <= nbusy; i++)
		cr_assert(s.ev.v[i].op == VMS_OP_ALLOC && s.ev.v[i].size == page,
		          "event %zu", i);
	uint64_t bigs = 0, big_live = 0, busy_frees = 0, purges = 0;
	uint64_t big_id = 0;
	for (size_t i = 1 + nbusy; i < s.ev.n; i++) {
		const struct vms_sim_event *e = &s.ev.v[i];
		if (e->op == VMS_OP_PURGE)
			purges++;
		if (e->op == VMS_OP_ALLOC && e->size > page) {
			cr_assert(e->size >= 16 * page && e->size <= 100 * page,
			          "event %zu", i);
			cr_assert_eq(big_live, 0, "two large requests live at event %zu",
			             i);
			big_live = 1;
			big_id = e->id;
			bigs++;
		} else if (e->op == VMS_OP_FREE && e->id == big_id) {
			big_live = 0;
		} else if (e->op == VMS_OP_FREE && e->id <= s.ev.v[nbusy].id) {
			busy_frees++; /* one of the busy list */
		}
	}
	cr_assert_geq(bigs, ops / 5);
	cr_assert_leq(bigs, ops / 4 + 1);
	cr_assert_gt(busy_frees, 0);
	cr_assert_eq(purges, 0);
	struct stream st;
	analyse(&s, &st);
	cr_assert_leq(st.peak, 1 + nbusy + 2);
	cr_assert_geq(st.live, 1 + nbusy - 1);
	check_bounds(&s, c);
	vms_sim_script_free(&s);
}

Test(sim_work, frag_defaults_are_the_long_busy_list_pattern)
{
	struct vms_workload_config c = x86_64(VMS_WL_FRAG);
	check_frag(&c, 10000, 10000);
}

Test(sim_work, frag_at_100k_live_on_arm32)
{
	struct vms_workload_config c = arm32(VMS_WL_FRAG);
	c.live = 100000;
	c.ops = 20000;
	check_frag(&c, 100000, 20000);
}

/* ---- boot --------------------------------------------------------------- */

static uint64_t count_caller(const struct vms_sim_script *s, const char *caller,
                             unsigned kind)
{
	uint64_t n = 0;
	for (size_t i = 0; i < s->ev.n; i++)
		n += s->ev.v[i].op == VMS_OP_ALLOC && s->ev.v[i].kind == kind &&
		     !strcmp(caller_of(s, &s->ev.v[i]), caller);
	return n;
}

/* Every kind is allocated and some of each is still there at the end (what
 * a running device lists); init-time buffers were freed; one purge. */
static void check_boot_common(const struct vms_sim_script *s, const struct stream *st)
{
	for (unsigned k = 0; k < VMS_NR_SIM_KINDS; k++)
		cr_assert_gt(st->live_by_kind[k], 0, "no %s left after boot",
		             vms_sim_kind_name(k));
	cr_assert_gt(st->frees, st->allocs / 10);
	cr_assert_lt(st->frees, st->allocs);
	cr_assert_eq(st->purges, 1);
	cr_assert_gt(count_caller(s, "load_module", VMS_SK_VMALLOC), 5);
	cr_assert_gt(count_caller(s, "module_alloc", VMS_SK_MODULE), 5);
	cr_assert_gt(count_caller(s, "bpf_jit_binary_alloc", VMS_SK_MODULE), 2);
	cr_assert_gt(count_caller(s, "bpf_prog_alloc_no_stats", VMS_SK_VMALLOC), 2);
	cr_assert_geq(count_caller(s, "pcpu_get_vm_areas", VMS_SK_PERCPU), 2);
	cr_assert_gt(count_caller(s, "n_tty_open", VMS_SK_VMALLOC), 0);
	cr_assert_gt(count_caller(s, "kernel_clone", VMS_SK_VMALLOC), 40);
	cr_assert_gt(count_caller(s, "_request_firmware", VMS_SK_VMALLOC), 0);
}

Test(sim_work, boot_of_a_64_bit_machine_has_hashes_acpi_and_2m_percpu_chunks)
{
	struct vms_workload_config c = x86_64(VMS_WL_BOOT);
	struct vms_sim_script s;
	generate(&s, &c);
	struct stream st;
	analyse(&s, &st);
	cr_assert(s.ev.n >= 800 && s.ev.n <= 2500, "%zu events", s.ev.n);
	check_boot_common(&s, &st);
	cr_assert_geq(count_caller(&s, "alloc_large_system_hash", VMS_SK_VMALLOC), 8);
	cr_assert_gt(count_caller(&s, "acpi_os_map_iomem", VMS_SK_IOREMAP), 10);
	cr_assert_gt(count_caller(&s, "pci_iomap_range", VMS_SK_IOREMAP), 0);
	cr_assert_eq(count_caller(&s, "fork_idle", VMS_SK_VMALLOC), c.cpus - 1);
	for (size_t i = 0; i < s.ev.n; i++) {
		const struct vms_sim_event *e = &s.ev.v[i];
		if (e->op == VMS_OP_ALLOC && e->kind == VMS_SK_PERCPU) {
			cr_assert_eq(e->align, MIB(2));
			cr_assert_eq(e->size % MIB(2), 0);
		}
	}
	check_bounds(&s, &c);
	vms_sim_script_free(&s);
}

Test(sim_work, boot_of_an_arm32_device_is_smaller_and_fits_its_windows)
{
	struct vms_workload_config c = arm32(VMS_WL_BOOT);
	struct vms_sim_script s;
	generate(&s, &c);
	struct stream st;
	analyse(&s, &st);
	cr_assert(s.ev.n >= 250 && s.ev.n <= 900, "%zu events", s.ev.n);
	check_boot_common(&s, &st);
	cr_assert_eq(count_caller(&s, "alloc_large_system_hash", VMS_SK_VMALLOC), 0);
	cr_assert_eq(count_caller(&s, "pci_iomap_range", VMS_SK_IOREMAP), 0);
	cr_assert_gt(count_caller(&s, "of_iomap", VMS_SK_IOREMAP) +
	                 count_caller(&s, "devm_ioremap", VMS_SK_IOREMAP),
	             20);
	uint64_t io = 0, io_max = 0, mod_bytes = 0, mod_live_max = 0;
	for (size_t i = 0; i < s.ev.n; i++) {
		const struct vms_sim_event *e = &s.ev.v[i];
		if (e->op != VMS_OP_ALLOC)
			continue;
		if (e->kind == VMS_SK_IOREMAP) {
			io++;
			io_max = e->size > io_max ? e->size : io_max;
		}
		if (e->kind == VMS_SK_PERCPU)
			cr_assert_eq(e->align, 4096); /* no 2 MiB atom here */
		if (e->kind == VMS_SK_MODULE) {
			mod_bytes += e->size + 4096;
			mod_live_max = e->size > mod_live_max ? e->size : mod_live_max;
		}
	}
	cr_assert_geq(io, 40);
	cr_assert_leq(io_max, MIB(30));
	cr_assert_leq(mod_live_max, MIB(14) / 8);
	/* everything ever put in module space, guard pages included, fits */
	cr_assert_leq(mod_bytes, MIB(14), "%llu bytes of modules",
	              (unsigned long long)mod_bytes);
	check_bounds(&s, &c);
	vms_sim_script_free(&s);
}

Test(sim_work, boot_stops_at_ops_when_given)
{
	struct vms_workload_config c = x86_64(VMS_WL_BOOT);
	c.ops = 150;
	struct vms_sim_script s;
	generate(&s, &c);
	cr_assert_eq(s.ev.n, 150);
	struct stream st;
	analyse(&s, &st);
	/* a prefix of the whole boot */
	struct vms_sim_script whole;
	c.ops = 0;
	generate(&whole, &c);
	cr_assert_gt(whole.ev.n, 150);
	for (size_t i = 0; i < 150; i++)
		cr_assert(same_event(&s, &whole, i), "event %zu differs", i);
	vms_sim_script_free(&s);
	vms_sim_script_free(&whole);
}

/* ---- every workload, every machine -------------------------------------- */

Test(sim_work, every_workload_keeps_its_rules_and_bounds_on_every_machine)
{
	for (unsigned w = 0; w < VMS_NR_WORKLOADS; w++) {
		struct vms_workload_config cfgs[] = {x86_64(w), arm32(w), arm64_64k(w),
		                                     tiny64(w)};
		for (size_t k = 0; k < sizeof(cfgs) / sizeof(cfgs[0]); k++) {
			struct vms_workload_config *c = &cfgs[k];
			if (w == VMS_WL_FRAG)
				c->live = 2000;
			struct vms_sim_script s;
			generate(&s, c);
			struct stream st;
			analyse(&s, &st);
			cr_assert_gt(st.allocs, 0);
			cr_assert_leq(st.purges * 100, s.ev.n, "%s: %llu purges",
			              vms_workload_name(w),
			              (unsigned long long)st.purges);
			check_bounds(&s, c);
			vms_sim_script_free(&s);
		}
	}
}

/* A tiny window keeps every request to an eighth of it: 2 MiB of 16. */
Test(sim_work, a_tiny_window_caps_every_request)
{
	struct vms_workload_config c = tiny64(VMS_WL_BOOT);
	struct vms_sim_script s;
	generate(&s, &c);
	uint64_t at_cap = 0;
	for (size_t i = 0; i < s.ev.n; i++)
		if (s.ev.v[i].op == VMS_OP_ALLOC) {
			cr_assert_leq(s.ev.v[i].size, MIB(2));
			at_cap += s.ev.v[i].size == MIB(2);
		}
	cr_assert_gt(at_cap, 0); /* the large classes are clipped, not dropped */
	vms_sim_script_free(&s);
}
