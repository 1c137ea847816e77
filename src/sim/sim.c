/*
 * sim.c — the simulated vmap allocator's operations (sim.h): allocation,
 * lazy freeing and purge, vm_map_ram blocks, the 6.9+ pools, and a run of
 * a script's events.
 *
 * Where an area goes is sim_place.c's; this file decides what an area is
 * (its size with or without a guard page, its alignment, its window, how
 * its line prints) and keeps the books. Starting a simulator is
 * sim_new.c's, reading one sim_view.c's, the ids, slots and busy tree
 * sim_slots.c's.
 *
 * Ownership: the simulator owns its slots, trees, names (symbol table in
 * its arena) and failure lines.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rbtree.h"
#include "sim_int.h"
#include "vmscope/aspace.h"

static const char *const policy_names[] = {"modern", "legacy"};

const char *vms_sim_policy_name(unsigned p)
{
	return p < 2 ? policy_names[p] : "?";
}

/* ---- names and records ---------------------------------------------------- */

static const char *default_caller(const struct vms_sim *s, unsigned kind)
{
	const char *fam = s->profile->family;
	switch (kind) {
	case VMS_SK_IOREMAP:
		return !strcmp(fam, "arm32") ? "__arm_ioremap_pfn_caller"
		                             : "devm_ioremap";
	case VMS_SK_VMAP:
		return "vmap";
	case VMS_SK_PERCPU:
		return "pcpu_get_vm_areas";
	case VMS_SK_MODULE:
		return s->major * 100 + s->minor >= 610 ? "execmem_alloc"
		                                        : "module_alloc";
	default:
		return "kvmalloc_node";
	}
}

/*
 * The id of a caller name as a vmallocinfo line can print it: a kernel
 * symbol is one word of [A-Za-z0-9_.$], so any other byte of a script's
 * caller becomes '_' (a name with a blank would read back as two fields),
 * and a name that starts with a digit gets a '_' in front (no symbol does:
 * "0x1234+0x10/0x20" would read back as an address, not a caller).
 */
uint32_t sim_intern_symbol(struct vms_sim *s, const char *name)
{
	size_t n = strlen(name), o = name[0] >= '0' && name[0] <= '9';
	char buf[256] = "_";
	if (n + o >= sizeof(buf))
		n = sizeof(buf) - 1 - o;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '$';
		buf[o + i] = ok ? (char)c : '_';
	}
	return vms_symtab_intern(&s->syms, buf, n + o);
}

/* A plausible +0xOFF/0xLEN for a caller, the same for every area of it. */
static void caller_offset(struct vms_area *a, const char *name)
{
	uint32_t h = vms_symtab_hash(name, strlen(name));
	a->length = 0x40 + ((h % 0x3c0) & ~3u);
	a->offset = ((h >> 12) % (a->length / 4)) * 4;
	a->has_offset = 1;
}

bool sim_era_at_least(const struct vms_sim *s, int major, int minor)
{
	return s->major * 100 + s->minor >= major * 100 + minor;
}

static unsigned phys_form(const struct vms_sim *s)
{
	if (!sim_era_at_least(s, 4, 11))
		return VMS_PHYS_PLAIN;
	return s->addr_bits == 64 ? VMS_PHYS_PA64 : VMS_PHYS_PA32;
}

/* Fills the record of an allocated area as its line prints it. */
static void fill_record(struct vms_sim *s, struct sim_slot *sl, unsigned kind,
                        uint64_t request, const char *caller)
{
	struct vms_area *a = &sl->a;
	uint64_t pages = request / s->page;

	sl->skind = (uint8_t)kind;
	if (kind == VMS_SK_VM_MAP_RAM) {
		a->kind = VMS_KIND_VM_MAP_RAM;
		return;
	}
	if (kind == VMS_SK_PERCPU)
		caller = "pcpu_get_vm_areas";
	else if (!caller || !*caller)
		caller = default_caller(s, kind);
	a->caller = sim_intern_symbol(s, caller);
	caller_offset(a, vms_symtab_name(&s->syms, a->caller));
	switch (kind) {
	case VMS_SK_IOREMAP:
		a->flags = VMS_F_IOREMAP;
		a->has_phys = 1;
		a->phys = s->next_phys;
		a->phys_form = phys_form(s) & 3;
		s->next_phys += (request + 0xffff) & ~(uint64_t)0xffff;
		break;
	case VMS_SK_VMAP:
		a->flags = VMS_F_VMAP;
		break;
	case VMS_SK_PERCPU:
		a->flags = VMS_F_VMALLOC;
		a->offset = 0;
		break;
	default: /* vmalloc, module */
		a->flags = VMS_F_VMALLOC;
		a->has_pages = 1;
		a->pages = pages > UINT32_MAX ? UINT32_MAX : (uint32_t)pages;
		break;
	}
}

/* ---- lazy freeing and purge ------------------------------------------------ */

void vms_sim_purge(struct vms_sim *s);

void sim_lazy_add(struct vms_sim *s, uint32_t i)
{
	struct sim_slot *sl = &s->slot.v[i];
	sl->state = S_LAZY;
	vms_vec_push(&s->lazy, i);
	s->lazy_pages += (sl->a.end - sl->a.start) / s->page;
	s->st.lazy++;
	s->st.lazy_bytes += sl->a.end - sl->a.start;
}

/* Lazy freeing came with the vmap layer of 2.6.28; before, vfree()
 * unlinked the area from vmlist at once and there was nothing to purge. */
bool sim_lazy_era(const struct vms_sim *s)
{
	return sim_era_code(s->major, s->minor, s->patch) >= sim_era_code(2, 6, 28);
}

/* free_vmap_area_noflush(): the area keeps its space until the lazy pages
 * pass lazy_max_pages(), then everything lazy is purged; before 2.6.28 it
 * goes back at once. */
static void free_lazily(struct vms_sim *s, uint32_t i)
{
	struct sim_slot *sl = &s->slot.v[i];
	uint32_t array = sl->block ? 0 : sl->link; /* its pages array + 1 */

	s->st.live--;
	s->st.live_bytes -= sl->a.end - sl->a.start;
	if (array)
		sl->link = 0;
	if (sim_lazy_era(s))
		sim_lazy_add(s, i);
	else
		sim_give_back(s, i);
	if (array)
		free_lazily(s, array - 1);
	if (s->lazy_pages > s->lazy_max_pages)
		vms_sim_purge(s);
}

/* purge_vmap_node(): a purged area goes to the pool of its size when
 * node_alloc() could have handed it out (the vmalloc window, not a per-cpu
 * chunk: pcpu_get_vm_areas() takes no node id) and it is at most
 * MAX_VA_SIZE_PAGES (256) pages. */
static bool poolable(const struct vms_sim *s, const struct sim_slot *sl)
{
	return s->cfg.pools && sl->win == s->vmalloc_win && !sl->fixed &&
	       sl->skind != VMS_SK_PERCPU && (sl->a.end - sl->a.start) / s->page <= 256;
}

/* Gives the space of busy slot i back: to its window's free tree (merging
 * with the holes beside it), and drops it from the busy tree. */
void sim_give_back(struct vms_sim *s, uint32_t i)
{
	struct sim_slot *sl = &s->slot.v[i];
	sim_cache_freeing(s, i);
	sim_busy_erase(s, i);
	for (unsigned w = 0; w < s->nr_win; w++) {
		uint64_t lo =
		    sl->a.start > s->win[w].start ? sl->a.start : s->win[w].start;
		uint64_t hi = sl->a.end < s->win[w].end ? sl->a.end : s->win[w].end;
		if (lo < hi)
			vms_free_insert(&s->win[w].free, lo, hi);
	}
	sim_slot_release(s, i);
}

/*
 * decay_va_pool_node(): each pool is a list with the last area pooled at
 * its head (the top of the vector); a regular purge hands the first
 * quarter of each list (len >> 2, the most recently pooled) back to the
 * free tree, a full one (reclaim before a retry, the shrinker) all.
 */
static void decay_pools(struct vms_sim *s, bool full)
{
	for (size_t p = 0; p < 256; p++) {
		size_t n = full ? s->pool[p].n : s->pool[p].n >> 2;
		for (size_t k = 0; k < n; k++)
			sim_give_back(s, s->pool[p].v[--s->pool[p].n]);
	}
}

/* Lazy slots in address order (6.9+: the lazy list is an address-sorted
 * rb_list, and purge_vmap_node() walks it in order). O(k log k). */
static void sort_lazy_by_start(struct vms_sim *s)
{
	size_t n = s->lazy.n;
	struct sim_keyed *k = vms_xmalloc((n ? n : 1) * sizeof(*k));
	for (size_t j = 0; j < n; j++)
		k[j] = (struct sim_keyed){slot_start(s, s->lazy.v[j]), s->lazy.v[j]};
	qsort(k, n, sizeof(*k), sim_cmp_keyed); /* lazy areas never overlap */
	for (size_t j = 0; j < n; j++)
		s->lazy.v[j] = k[j].i;
	free(k);
}

/*
 * __purge_vmap_area_lazy(): every lazily freed area leaves the lazy list.
 * Without pools they go back to the free tree in the order of the purge
 * list, a LIFO (llist) in the legacy eras, whose cache sees the order (the
 * free tree does not). With pools
 * (6.9+) the pools decay first, then the areas are walked in address
 * order and each poolable one is pushed on its pool's head (so the
 * highest-address one is handed out first); a full purge (full_decay: the
 * reclaim before a retry) empties the pools and pools nothing.
 */
static void purge(struct vms_sim *s, bool full)
{
	s->st.purges++;
	if (s->cfg.pools) {
		decay_pools(s, full);
		sort_lazy_by_start(s);
	}
	for (size_t k = 0; k < s->lazy.n; k++) {
		uint32_t i = s->lazy.v[s->cfg.pools ? k : s->lazy.n - 1 - k];
		struct sim_slot *sl = &s->slot.v[i];
		if (!full && poolable(s, sl)) {
			sl->state = S_POOLED;
			vms_vec_push(&s->pool[(sl->a.end - sl->a.start) / s->page - 1],
			             i);
		} else {
			sim_give_back(s, i);
		}
	}
	s->lazy.n = 0;
	s->lazy_pages = 0;
	s->st.lazy = 0;
	s->st.lazy_bytes = 0;
}

void vms_sim_purge(struct vms_sim *s)
{
	purge(s, false);
}

/* ---- allocation ------------------------------------------------------------ */

static void record_failure(struct vms_sim *s, uint64_t size, const struct sim_window *w)
{
	char buf[256];
	vms_sim_failure_text(s->major, s->minor, s->patch, size, w->start, w->end, buf,
	                     sizeof(buf));
	vms_vec_push(&s->failures, vms_arena_strdup(&s->arena, buf));
	s->st.failures++;
}

/* Takes the block at k off the free list (vbq->free), keeping the order
 * vb_alloc() walks it in. */
static void block_unlist(struct vms_sim *s, size_t k)
{
	memmove(s->blocks.v + k, s->blocks.v + k + 1,
	        (s->blocks.n - k - 1) * sizeof(s->blocks.v[0]));
	s->blocks.n--;
}

/*
 * purge_fragmented_blocks_allcpus(), before the retry of a failed search:
 * a block on the free list none of whose pieces is still mapped (every
 * page either never handed out or freed) goes, lazily, so the purge that
 * follows frees its space.
 */
static void purge_fragmented_blocks(struct vms_sim *s)
{
	uint32_t bpages = (uint32_t)(s->block_bytes / s->page);
	for (size_t k = 0; k < s->blocks.n;) {
		uint32_t b = s->blocks.v[k];
		struct sim_slot *bl = &s->slot.v[b];
		if (bl->bfree + bl->bdirty != bpages || bl->bdirty == bpages) {
			k++;
			continue;
		}
		block_unlist(s, k);
		bl->bfree = 0;
		bl->bdirty = bpages;
		s->st.live--;
		s->st.live_bytes -= bl->a.end - bl->a.start;
		sim_lazy_add(s, b);
	}
}

/* A pooled area of exactly this size (node_alloc(): the vmalloc window,
 * not a per-cpu chunk), or NO_SLOT. node_pool_del_va() looks at the head
 * of the pool only: when it is not aligned enough it moves it to the tail
 * and the request goes to the free tree. */
static uint32_t from_pool(struct vms_sim *s, unsigned w, unsigned kind, uint64_t size,
                          uint64_t align)
{
	uint64_t pages = size / s->page;
	if (!s->cfg.pools || w != s->vmalloc_win || kind == VMS_SK_PERCPU || !pages ||
	    pages > 256 || size % s->page)
		return NO_SLOT;
	size_t q = pages - 1, n = s->pool[q].n;
	if (!n)
		return NO_SLOT;
	uint32_t i = s->pool[q].v[n - 1];
	if (slot_start(s, i) & (align - 1)) {
		memmove(s->pool[q].v + 1, s->pool[q].v, (n - 1) * sizeof(uint32_t));
		s->pool[q].v[0] = i;
		return NO_SLOT;
	}
	s->pool[q].n--;
	return i;
}

/* Places an area of size bytes (guard included) in window w; returns the
 * new live slot or NO_SLOT, with the placement in *pl. */
static uint32_t place(struct vms_sim *s, unsigned w, unsigned kind, uint64_t size,
                      uint64_t align, uint64_t asked, struct vms_sim_place *pl)
{
	uint64_t at = 0;
	uint32_t i = from_pool(s, w, kind, size, align);
	if (i != NO_SLOT) {
		pl->from_pool = true;
		at = slot_start(s, i);
		memset(&s->slot.v[i].a, 0, sizeof(struct vms_area));
		s->slot.v[i].a.start = at;
		s->slot.v[i].a.end = at + size;
		s->slot.v[i].a.size = size;
		s->slot.v[i].state = S_LIVE;
		s->slot.v[i].skind = (uint8_t)kind;
		pl->addr = at;
		return i;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		int rc = kind == VMS_SK_PERCPU ? sim_find_top(s, w, size, align, &at)
		                               : sim_find(s, w, size, align, asked, &at);
		if (!rc)
			break;
		if (attempt || pl->purged || !sim_lazy_era(s)) {
			pl->fail = VMS_SIM_NO_SPACE;
			return NO_SLOT;
		}
		/* purge_vmap_area_lazy() (6.9+: reclaim_and_purge_vmap_areas())
		 * once, then retry: unmapped vm_map_ram blocks go too, and
		 * 6.9+ empties the pools */
		purge_fragmented_blocks(s);
		purge(s, true);
		pl->purged = true;
	}
	enum vms_fit_type fit = sim_take(s, w, at, size);
	pl->fit = s->policy == VMS_POLICY_MODERN ? (uint8_t)fit : 0;
	i = sim_slot_new(s);
	struct sim_slot *sl = &s->slot.v[i];
	sl->a.start = at;
	sl->a.end = at + size;
	sl->a.size = size;
	sl->a.geom = VMS_GEOM_TRUSTED;
	sl->win = (uint8_t)w;
	sl->state = S_LIVE;
	sl->skind = (uint8_t)kind;
	sim_busy_insert(s, i);
	if (kind != VMS_SK_PERCPU)
		sim_cache_placed(s, i);
	pl->addr = at;
	return i;
}

void sim_count_live(struct vms_sim *s, uint32_t i)
{
	s->st.live++;
	s->st.live_bytes += slot_end(s, i) - slot_start(s, i);
}

/* vm_map_ram() of at most VMAP_MAX_ALLOC pages: a piece of a per-cpu
 * block (vb_alloc: 2^order pages handed out in order; a new block when no
 * block on the free list has room). */
static int alloc_in_block(struct vms_sim *s, uint64_t pages, uint64_t id,
                          struct vms_sim_place *pl)
{
	uint32_t need = 1u << vms_log2_ceil(pages);
	uint32_t bpages = (uint32_t)(s->block_bytes / s->page);
	uint32_t b = NO_SLOT;
	size_t k;

	for (k = 0; k < s->blocks.n; k++)
		if (s->slot.v[s->blocks.v[k]].bfree >= need) {
			b = s->blocks.v[k];
			break;
		}
	if (b == NO_SLOT) {
		b = place(s, s->vmalloc_win, VMS_SK_VM_MAP_RAM, s->block_bytes,
		          s->block_bytes, s->block_bytes, pl);
		if (b == NO_SLOT)
			return -VMS_ERANGE;
		s->slot.v[b].block = true;
		s->slot.v[b].a.kind = VMS_KIND_VM_MAP_RAM;
		s->slot.v[b].bfree = bpages;
		sim_count_live(s, b);
		vms_vec_push(&s->blocks, b);
		k = s->blocks.n - 1;
	}
	uint32_t i = sim_slot_new(s);
	struct sim_slot *bl = &s->slot.v[b], *sl = &s->slot.v[i];
	sl->a.start = bl->a.start + (uint64_t)(bpages - bl->bfree) * s->page;
	sl->a.size = (uint64_t)need * s->page;
	sl->a.end = sl->a.start + sl->a.size;
	sl->a.kind = VMS_KIND_VM_MAP_RAM;
	sl->state = S_SUB;
	sl->skind = VMS_SK_VM_MAP_RAM;
	sl->link = b;
	sl->id = id;
	sl->win = bl->win;
	bl->bfree -= need;
	if (!bl->bfree) /* list_del_rcu(): the others keep their order */
		block_unlist(s, k);
	sim_ids_put(&s->ids, id, i);
	pl->in_block = true;
	pl->addr = sl->a.start;
	pl->size = sl->a.size;
	pl->align = (uint64_t)need * s->page;
	return 0;
}

int vms_sim_alloc(struct vms_sim *s, unsigned kind, uint64_t size, uint64_t align,
                  const char *caller, uint64_t id, struct vms_sim_place *out)
{
	struct vms_sim_place tmp = {0}, *pl = out ? out : &tmp;
	memset(pl, 0, sizeof(*pl));
	s->st.ops++;
	s->st.allocs++;
	if (kind >= VMS_NR_SIM_KINDS || !size || (align && !vms_is_pow2(align)) || !id ||
	    sim_ids_get(&s->ids, id)) {
		pl->fail = VMS_SIM_BAD_ARG;
		return -VMS_EINVAL;
	}
	/* a size the kernel cannot page-align with its guard page in an
	 * unsigned long: its size checks return NULL (a failed allocation,
	 * with no line of the allocator's) */
	uint64_t max = s->addr_bits < 64 ? (1ull << s->addr_bits) - 1 : UINT64_MAX;
	if (size > max - (s->page - 1) - s->page) {
		pl->fail = VMS_SIM_BAD_ARG;
		s->st.failures++;
		return -VMS_EINVAL;
	}
	uint64_t req = (size + s->page - 1) & ~(s->page - 1);
	unsigned w = kind == VMS_SK_MODULE && s->modules_win >= 0
	                 ? (unsigned)s->modules_win
	                 : s->vmalloc_win;
	pl->vstart = s->win[w].start;
	pl->vend = s->win[w].end;
	if (kind == VMS_SK_VM_MAP_RAM && req / s->page <= s->addr_bits) {
		int rc = alloc_in_block(s, req / s->page, id, pl);
		if (rc) {
			record_failure(s, s->block_bytes, &s->win[w]);
			return rc;
		}
		return 0;
	}
	bool guard = kind != VMS_SK_VM_MAP_RAM && kind != VMS_SK_PERCPU;
	uint64_t total = req + (guard ? s->page : 0);
	/* what the kernel's caller passes as align: vmalloc() and vmap() 1,
	 * module_alloc() a page (MODULE_ALIGN), ioremap its own rule */
	if (!align)
		align =
		    kind == VMS_SK_IOREMAP
		        ? vms_ioremap_align(s->profile, s->major, s->minor, s->page, size)
		    : kind == VMS_SK_MODULE ? s->page
		                            : 1;
	uint64_t asked = align;
	if (align < s->page)
		align = s->page;
	pl->align = align;
	pl->size = total;
	uint32_t i = place(s, w, kind, total, align, asked, pl);
	if (i == NO_SLOT) {
		record_failure(s, total, &s->win[w]);
		return -VMS_ERANGE;
	}
	fill_record(s, &s->slot.v[i], kind, req, caller);
	s->slot.v[i].id = id;
	sim_ids_put(&s->ids, id, i);
	sim_count_live(s, i);
	/* a pages array above one page is itself vmalloc'ed, after the area,
	 * by the same caller; the area then prints "vpages" */
	uint64_t array = (req / s->page) * (s->addr_bits / 8);
	if ((kind == VMS_SK_VMALLOC || kind == VMS_SK_MODULE) && array > s->page) {
		struct vms_sim_place sub = {0};
		uint64_t sreq = (array + s->page - 1) & ~(s->page - 1);
		uint32_t c = place(s, s->vmalloc_win, VMS_SK_VMALLOC, sreq + s->page,
		                   s->page, 1, &sub);
		if (c == NO_SLOT) {
			/* the kernel frees the area and fails the vmalloc */
			record_failure(s, sreq + s->page, &s->win[s->vmalloc_win]);
			sim_ids_del(&s->ids, id);
			free_lazily(s, i);
			pl->fail = VMS_SIM_NO_SPACE;
			return -VMS_ERANGE;
		}
		const char *name = vms_symtab_name(&s->syms, s->slot.v[i].a.caller);
		fill_record(s, &s->slot.v[c], VMS_SK_VMALLOC, sreq, name);
		sim_count_live(s, c);
		s->slot.v[i].link = c + 1;
		s->slot.v[i].a.flags |= VMS_F_VPAGES;
		pl->purged |= sub.purged;
	}
	return 0;
}

int vms_sim_free_id(struct vms_sim *s, uint64_t id)
{
	s->st.ops++;
	s->st.frees++;
	const uint32_t *slot = sim_ids_get(&s->ids, id);
	if (!slot) {
		s->st.bad_frees++;
		return -VMS_EINVAL;
	}
	uint32_t i = *slot;
	sim_ids_del(&s->ids, id);
	struct sim_slot *sl = &s->slot.v[i];
	if (sl->state == S_SUB) {
		/* vb_free(): the block goes when every page was handed out and
		 * freed */
		uint32_t b = sl->link;
		struct sim_slot *bl = &s->slot.v[b];
		bl->bdirty += (uint32_t)(sl->a.size / s->page);
		sim_slot_release(s, i);
		if (bl->bdirty >= s->block_bytes / s->page)
			free_lazily(s, b);
		return 0;
	}
	free_lazily(s, i);
	return 0;
}

uint64_t vms_sim_run(struct vms_sim *s, const struct vms_sim_script *sc,
                     _Atomic uint64_t *progress)
{
	struct timespec t0, t1;
	uint64_t before = s->st.failures;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t k = 0; k < sc->ev.n; k++) {
		const struct vms_sim_event *e = &sc->ev.v[k];
		switch (e->op) {
		case VMS_OP_ALLOC:
			vms_sim_alloc(s, e->kind, e->size, e->align,
			              vms_symtab_name(&sc->syms, e->caller), e->id, NULL);
			break;
		case VMS_OP_FREE:
			vms_sim_free_id(s, e->id);
			break;
		default:
			s->st.ops++;
			vms_sim_purge(s);
			break;
		}
		if (progress)
			atomic_store_explicit(progress, k + 1, memory_order_relaxed);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s->st.seconds +=
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return s->st.failures - before;
}
