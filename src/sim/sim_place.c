/*
 * sim_place.c — where the simulated kernel puts an area (docs/kernel.md §4):
 *
 *  - modern (5.2+): find_vmap_lowest_match() over the window's augmented
 *    free tree (vms_free_lowest, with the kernel's length adjustment for
 *    alignments above a page);
 *  - legacy (2.6.39–5.1): alloc_vmap_area()'s walk of the busy tree from
 *    the next-fit cache (free_vmap_cache, cached_hole_size, cached_vstart,
 *    cached_align), or from ALIGN(vstart) when the cache is dropped;
 *  - legacy (2.6.28–2.6.38): the same walk without the cache, skipping one
 *    extra page after every area it steps over; before 2.6.28 the vmlist
 *    first fit, which steps over areas without that page; both found on
 *    the free tree (the gaps between busy areas are its holes), with the
 *    walk's result;
 *  - per-cpu chunks: the highest aligned fit below the window's end, as
 *    pcpu_get_vm_areas() scans from VMALLOC_END down.
 *
 * Costs: modern O(log n); legacy with the cache O(log n) to find the start
 * plus one step per area walked over (the kernel's cost too, kept step for
 * step as the walk updates cached_hole_size); without the cache O(log n)
 * when alignments are a page (the kernel walked every area from
 * VMALLOC_START), plus a step per hole large enough but misaligned;
 * top-down O(holes walked from the top).
 */
#include "sim_int.h"

#include "rbtree.h"

/* ALIGN(x, a) into *out; false when it would pass 2^64 (a >= a page, so
 * the saturated UINT64_MAX of vms_align_up() is never a real start). */
static bool align_up(uint64_t x, uint64_t a, uint64_t *out)
{
	*out = vms_align_up(x, a);
	return *out != UINT64_MAX;
}

/*
 * The search length: 5.17+ ("do not adjust the search size for alignment
 * overhead") adds align - 1 only for alignments above a page and not when
 * the window is exactly the size; 5.2-5.16 add asked - 1 always, so a
 * module or an ioremap passes over a hole of exactly its size there.
 */
bool vms_sim_search_adjusted(int major, int minor, uint64_t page, uint64_t align,
                             uint64_t asked, uint64_t span, uint64_t size)
{
	if (major * 100 + minor < 517)
		return asked > 1;
	return align > page && span != size;
}

static int find_modern(struct vms_sim *s, unsigned w, uint64_t size, uint64_t align,
                       uint64_t asked, uint64_t *addr)
{
	const struct sim_window *win = &s->win[w];
	uint64_t at = 0;
	bool adjust = vms_sim_search_adjusted(s->major, s->minor, s->page, align, asked,
	                                      win->end - win->start, size);
	uint32_t id = vms_free_lowest(&win->free, size, align, win->start, adjust, &at);

	if (!id || size > win->end || at > win->end - size)
		return -VMS_ERANGE;
	*addr = at;
	return 0;
}

/* The lowest busy area ending at or after addr, or NO_SLOT. */
static uint32_t first_ending_at_or_after(const struct vms_sim *s, uint64_t addr)
{
	uint32_t i = vms_busy_floor(&s->busy, addr);

	if (i != NO_SLOT && slot_end(s, i) >= addr)
		return i;
	i = i == NO_SLOT ? vms_busy_first(&s->busy) : vms_busy_next(&s->busy, i);
	return i;
}

/* Whether a walk that stepped over the area ending at h's start takes h:
 * ALIGN(va_end + gap, align) + size <= the next area's start. */
static bool walk_fits(const struct vms_hole *h, uint64_t size, uint64_t align,
                      uint64_t gap)
{
	uint64_t a;
	return h->va_start <= UINT64_MAX - gap &&
	       align_up(h->va_start + gap, align, &a) && a <= h->va_end &&
	       h->va_end - a >= size;
}

/*
 * The lowest hole of subtree id starting at or after x that the walk
 * takes (walk_fits), or 0. A subtree whose largest hole is below
 * size + gap holds none and is not entered: O(log n) when every hole that
 * large fits (align <= page), else one step per such hole that does not.
 */
static uint32_t walk_hole(struct vms_sim *s, const struct vms_free *t, uint32_t id,
                          uint64_t x, uint64_t size, uint64_t align, uint64_t gap)
{
	uint64_t need = size > UINT64_MAX - gap ? UINT64_MAX : size + gap;
	while (id && t->hole.v[id].subtree_max_size >= need) {
		const struct vms_hole *h = &t->hole.v[id];
		const struct vms_rbnode *nd = &t->node.v[id];
		s->steps++;
		if (h->va_start >= x) {
			uint32_t r = walk_hole(s, t, nd->left, x, size, align, gap);
			if (r)
				return r;
			if (walk_fits(h, size, align, gap))
				return id;
		}
		id = nd->right;
	}
	return 0;
}

/*
 * The walk without the cache (before 2.6.39) on the free tree: from
 * ALIGN(vstart), the first busy area ending at or after it is stepped over
 * unless the request fits below it; after that the walk takes the first
 * gap between two busy areas where ALIGN(end + gap, align) + size reaches
 * no further than the next start, and the window's holes after that area
 * are exactly those gaps. The same result as the walk over the busy list
 * (tested against it), without its O(n) steps per allocation: 2.6.28-2.6.38
 * walked every area from VMALLOC_START for every allocation.
 */
static int find_uncached(struct vms_sim *s, unsigned w, uint64_t size, uint64_t align,
                         uint64_t gap, uint64_t *addr)
{
	const struct sim_window *win = &s->win[w];
	uint64_t a = 0;
	if (!align_up(win->start, align, &a) || a > win->end || win->end - a < size)
		return -VMS_ERANGE;
	uint32_t first = first_ending_at_or_after(s, a);
	if (first == NO_SLOT ||
	    (slot_start(s, first) >= a && slot_start(s, first) - a >= size)) {
		*addr = a;
		return 0;
	}
	uint32_t id = walk_hole(s, &win->free, win->free.root, slot_end(s, first), size,
	                        align, gap);
	if (!id)
		return -VMS_ERANGE;
	const struct vms_hole *h = vms_free_hole(&win->free, id);
	align_up(h->va_start + gap, align, &a);
	*addr = a;
	return 0;
}

/*
 * The walk of alloc_vmap_area() before the free tree. With the cache
 * (2.6.39+) it starts above the last placed area unless a smaller or more
 * permissive request may fit below, and notes the largest hole it passes
 * (cached_hole_size); without it (2.6.28-2.6.38, with one extra page after
 * every area stepped over, and the vmlist before) find_uncached().
 */
static int find_legacy(struct vms_sim *s, unsigned w, uint64_t size, uint64_t align,
                       uint64_t *addr)
{
	uint64_t vstart = s->win[w].start, vend = s->win[w].end;
	int era = sim_era_code(s->major, s->minor, s->patch);
	uint64_t a = 0;
	uint32_t first;

	if (era < 20639)
		return find_uncached(s, w, size, align, era >= 20628 ? s->page : 0, addr);
	if (s->cache == NO_SLOT || size < s->cached_hole_size ||
	    vstart < s->cached_vstart || align < s->cached_align) {
	nocache:
		s->cached_hole_size = 0;
		s->cache = NO_SLOT;
	}
	s->cached_vstart = vstart;
	s->cached_align = align;
	if (s->cache != NO_SLOT) {
		first = s->cache;
		if (!align_up(slot_end(s, first), align, &a))
			return -VMS_ERANGE;
		if (a < vstart)
			goto nocache;
		if (a + size < a)
			return -VMS_ERANGE;
		/* the walk goes on from the cached area itself: the loop below
		 * steps over it at once (its end is below a + size) */
	} else {
		if (!align_up(vstart, align, &a) || a + size < a)
			return -VMS_ERANGE;
		first = first_ending_at_or_after(s, a);
		if (first == NO_SLOT)
			goto found;
	}
	while (a + size > slot_start(s, first) && a + size <= vend) {
		s->steps++;
		if (a + s->cached_hole_size < slot_start(s, first))
			s->cached_hole_size = slot_start(s, first) - a;
		if (!align_up(slot_end(s, first), align, &a) || a + size < a)
			return -VMS_ERANGE;
		first = vms_busy_next(&s->busy, first);
		if (first == NO_SLOT)
			break;
	}
found:
	if (a + size < a || a + size > vend || a < vstart)
		return -VMS_ERANGE;
	*addr = a;
	return 0;
}

int sim_find(struct vms_sim *s, unsigned w, uint64_t size, uint64_t align, uint64_t asked,
             uint64_t *addr)
{
	if (s->policy == VMS_POLICY_MODERN)
		return find_modern(s, w, size, align, asked, addr);
	return find_legacy(s, w, size, align, addr);
}

int sim_find_top(const struct vms_sim *s, unsigned w, uint64_t size, uint64_t align,
                 uint64_t *addr)
{
	const struct sim_window *win = &s->win[w];
	const struct vms_free *t = &win->free;

	for (uint32_t id = vms_rb_last(t->node.v, t->root); id;
	     id = vms_rb_prev(t->node.v, id)) {
		const struct vms_hole *h = vms_free_hole(t, id);
		uint64_t lo = h->va_start > win->start ? h->va_start : win->start;
		uint64_t hi = h->va_end < win->end ? h->va_end : win->end;
		if (hi <= lo || hi - lo < size)
			continue;
		uint64_t at = (hi - size) & ~(align - 1);
		if (at >= lo) {
			*addr = at;
			return 0;
		}
	}
	return -VMS_ERANGE;
}

enum vms_fit_type sim_take(struct vms_sim *s, unsigned w, uint64_t start, uint64_t size)
{
	struct vms_free *t = &s->win[w].free;
	uint32_t id = vms_free_find(t, start);

	return id ? vms_free_clip(t, id, start, size) : VMS_FIT_NONE;
}

void sim_cache_placed(struct vms_sim *s, uint32_t i)
{
	if (s->policy == VMS_POLICY_LEGACY)
		s->cache = i;
}

/* __free_vmap_area(): an area leaving at or below the cached one moves the
 * cache to the area before it; one ending below cached_vstart drops it. */
void sim_cache_freeing(struct vms_sim *s, uint32_t i)
{
	if (s->policy != VMS_POLICY_LEGACY || s->cache == NO_SLOT)
		return;
	if (slot_end(s, i) < s->cached_vstart) {
		s->cache = NO_SLOT;
	} else if (slot_start(s, i) <= slot_start(s, s->cache)) {
		uint64_t st = slot_start(s, i);
		s->cache = st ? vms_busy_floor(&s->busy, st - 1) : NO_SLOT;
	}
}
