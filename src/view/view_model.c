/*
 * view_model.c — the viewer's model without SDL: the address <-> position
 * axis (with the compressed axis's cuts), the wrapped strip of rows, zoom,
 * pan, hit-testing and per-row level of detail (include/vmscope/view.h).
 *
 * Costs: address <-> position O(log cuts); hit O(log n); one row of level
 * of detail O(width log cuts + log n + areas in the row), so a frame is
 * O(rows log n + visible areas) plus its pixels, never one call per area.
 * Building the cuts is O(n) over the model's sorted order.
 *
 * All products of pixels and bpp are taken in 128 bits (a GCC/clang
 * extension) so a 2^64-byte space never overflows.
 */
#include "vmscope/view.h"

#include <stdlib.h>

#include "vmscope/common.h"

typedef unsigned __int128 u128;

#define DEFAULT_THRESHOLD (64ull << 20)

static uint64_t sat64(u128 x)
{
	return x > UINT64_MAX ? UINT64_MAX : (uint64_t)x;
}

static const struct vms_area *area_at(const struct vms_aspace *m, size_t k)
{
	return &m->dump->areas.v[m->order[k]];
}

/* [lo, hi): regions and trusted areas together. */
static void span_of(struct vms_view *v)
{
	const struct vms_aspace *m = v->m;
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t i = 0; i < m->regions.n; i++) {
		const struct vms_region *r = &m->regions.v[i];
		if (r->end <= r->start)
			continue;
		lo = r->start < lo ? r->start : lo;
		hi = r->end > hi ? r->end : hi;
	}
	for (size_t k = 0; k < m->nr_order; k++) {
		const struct vms_area *a = area_at(m, k);
		lo = a->start < lo ? a->start : lo;
		hi = a->end > hi ? a->end : hi;
	}
	if (lo >= hi)
		lo = hi = 0;
	v->lo = lo;
	v->hi = hi;
}

static void add_cut(struct vms_view *v, uint64_t start, uint64_t end, uint64_t *removed)
{
	struct vms_view_cut c = {start, end, start - v->lo - *removed};
	vms_vec_push(&v->cuts, c);
	*removed += (end - start) - v->cut_width;
}

/* The cuts: every hole longer than threshold, before, between and after
 * the trusted areas. len shrinks by what the cuts remove. */
static void build_axis(struct vms_view *v)
{
	const struct vms_aspace *m = v->m;
	uint64_t removed = 0, cursor = v->lo;
	v->cuts.n = 0;
	if (v->compressed) {
		for (size_t k = 0; k < m->nr_order; k++) {
			const struct vms_area *a = area_at(m, k);
			if (a->start > cursor && a->start - cursor > v->threshold)
				add_cut(v, cursor, a->start, &removed);
			cursor = a->end > cursor ? a->end : cursor;
		}
		if (v->hi > cursor && v->hi - cursor > v->threshold)
			add_cut(v, cursor, v->hi, &removed);
	}
	v->len = (v->hi - v->lo) - removed;
	if (v->len == 0)
		v->len = 1;
}

uint64_t vms_view_pos_of(const struct vms_view *v, uint64_t addr)
{
	addr = addr < v->lo ? v->lo : addr > v->hi ? v->hi : addr;
	size_t lo = 0, hi = v->cuts.n; /* the first cut starting after addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->cuts.v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return addr - v->lo;
	const struct vms_view_cut *c = &v->cuts.v[lo - 1];
	if (addr >= c->end)
		return c->pos + v->cut_width + (addr - c->end);
	return c->pos +
	       (uint64_t)((u128)(addr - c->start) * v->cut_width / (c->end - c->start));
}

uint64_t vms_view_addr_of(const struct vms_view *v, uint64_t pos)
{
	pos = pos > v->len ? v->len : pos;
	size_t lo = 0, hi = v->cuts.n; /* the first cut beginning after pos */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->cuts.v[mid].pos <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint64_t addr;
	if (lo == 0) {
		addr = v->lo + pos;
	} else {
		const struct vms_view_cut *c = &v->cuts.v[lo - 1];
		uint64_t in = pos - c->pos;
		if (in >= v->cut_width)
			addr = c->end + (in - v->cut_width);
		else
			addr = c->start +
			       (uint64_t)((u128)in * (c->end - c->start) / v->cut_width);
	}
	return addr > v->hi ? v->hi : addr;
}

static u128 screen_bytes(const struct vms_view *v, uint64_t bpp)
{
	return (u128)v->width * v->rows * bpp;
}

uint64_t vms_view_fit_bpp(const struct vms_view *v)
{
	uint64_t cells = (uint64_t)v->width * v->rows;
	uint64_t bpp = v->len / cells + (v->len % cells != 0);
	return bpp ? bpp : 1;
}

static uint64_t max_origin(const struct vms_view *v)
{
	u128 s = screen_bytes(v, v->bpp);
	return s >= v->len ? 0 : v->len - (uint64_t)s;
}

static void set_origin(struct vms_view *v, u128 origin, bool negative)
{
	uint64_t max = max_origin(v);
	v->origin = negative ? 0 : origin > max ? max : (uint64_t)origin;
}

/*
 * The areas that overlap their successor in start order: only a broken
 * dump has them (nested or overlapping areas). A row's walk starts at
 * the area before the row's first start (vms_aspace_first_over()), which
 * misses such an area when it started earlier and still reaches into the
 * row; the row and the hit-test look them up here. With their running
 * maximum end, a row stops looking back at the first that cannot reach it.
 */
static void find_longs(struct vms_view *v)
{
	const struct vms_aspace *m = v->m;
	uint64_t reach = 0;
	for (size_t k = 0; k + 1 < m->nr_order; k++) {
		const struct vms_area *a = area_at(m, k);
		if (a->end <= area_at(m, k + 1)->start)
			continue;
		reach = a->end > reach ? a->end : reach;
		struct vms_view_long l = {(uint32_t)k, reach};
		vms_vec_push(&v->longs, l);
	}
}

/* The long areas to look at for a row or a hit at addr: those before
 * order position k0 that may reach past addr are longs[*first, return),
 * in ascending order (each must still be checked: the running maximum
 * only says that one at or before it reaches). */
static size_t longs_before(const struct vms_view *v, size_t k0, uint64_t addr,
                           size_t *first)
{
	size_t lo = 0, hi = v->longs.n; /* the longs before k0 */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->longs.v[mid].k < k0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t i = lo; /* walk back while an earlier one may reach addr */
	while (i > 0 && v->longs.v[i - 1].reach > addr)
		i--;
	*first = i;
	return lo;
}

void vms_view_fit(struct vms_view *v)
{
	v->bpp = vms_view_fit_bpp(v);
	v->origin = 0;
}

struct vms_view *vms_view_new(const struct vms_aspace *m, uint32_t width, uint32_t height,
                              uint32_t row_h)
{
	if (!width || !height || !row_h || row_h > height)
		return NULL;
	struct vms_view *v = vms_xcalloc(1, sizeof(*v));
	v->m = m;
	v->width = width;
	v->height = height;
	v->row_h = row_h;
	v->rows = height / row_h;
	v->threshold = DEFAULT_THRESHOLD;
	v->cut_width = DEFAULT_THRESHOLD / 64;
	v->kind_bytes = vms_xcalloc((size_t)width * VMS_NR_AKINDS, sizeof(uint64_t));
	v->edges = vms_xcalloc((size_t)width + 1, sizeof(uint64_t));
	if (m->nr_order) {
		v->spans = vms_xcalloc(m->nr_order, sizeof(*v->spans));
		for (size_t k = 0; k < m->nr_order; k++) {
			const struct vms_area *a = area_at(m, k);
			uint64_t len = a->end - a->start;
			v->spans[k] = (struct vms_view_span){
			    a->start, len >= UINT32_MAX ? UINT32_MAX : (uint32_t)len,
			    m->order[k]};
		}
	}
	find_longs(v);
	span_of(v);
	build_axis(v);
	vms_view_fit(v);
	return v;
}

void vms_view_free(struct vms_view *v)
{
	if (!v)
		return;
	free(v->cuts.v);
	free(v->kind_bytes);
	free(v->edges);
	free(v->spans);
	free(v->longs.v);
	free(v->matches.v);
	free(v->match);
	free(v);
}

void vms_view_set_compressed(struct vms_view *v, bool on, uint64_t threshold,
                             uint64_t width)
{
	uint64_t page = v->m->page_size ? v->m->page_size : 4096;
	v->compressed = on;
	v->threshold = threshold ? threshold : DEFAULT_THRESHOLD;
	v->cut_width = width ? width : v->threshold / 64;
	if (v->cut_width < page)
		v->cut_width = page;
	if (v->cut_width > v->threshold)
		v->cut_width = v->threshold; /* a cut never grows a hole */
	build_axis(v);
	vms_view_fit(v);
}

/* Position of the start of pixel (x, y), unclamped, in 128 bits. */
static u128 pos_at(const struct vms_view *v, uint32_t x, uint32_t y)
{
	return (u128)v->origin + ((u128)(y / v->row_h) * v->width + x) * v->bpp;
}

int vms_view_addr_at(const struct vms_view *v, uint32_t x, uint32_t y, uint64_t *addr)
{
	if (x >= v->width || y >= v->rows * v->row_h)
		return -VMS_ERANGE;
	u128 p = pos_at(v, x, y);
	if (p >= v->len)
		return -VMS_ERANGE;
	*addr = vms_view_addr_of(v, (uint64_t)p);
	return 0;
}

int vms_view_pixel_of(const struct vms_view *v, uint64_t addr, uint32_t *x, uint32_t *y)
{
	if (addr < v->lo || addr >= v->hi)
		return -VMS_ERANGE;
	uint64_t p = vms_view_pos_of(v, addr);
	if (p < v->origin)
		return -VMS_ERANGE;
	uint64_t cell = (p - v->origin) / v->bpp;
	if (cell >= (uint64_t)v->width * v->rows)
		return -VMS_ERANGE;
	*x = (uint32_t)(cell % v->width);
	*y = (uint32_t)(cell / v->width) * v->row_h;
	return 0;
}

void vms_view_range(const struct vms_view *v, uint64_t *start, uint64_t *end)
{
	*start = vms_view_addr_of(v, v->origin);
	*end = vms_view_addr_of(v, sat64((u128)v->origin + screen_bytes(v, v->bpp)));
}

void vms_view_zoom(struct vms_view *v, double factor, uint32_t x, uint32_t y)
{
	if (!(factor > 0) || x >= v->width || y >= v->rows * v->row_h)
		return;
	uint64_t fit = vms_view_fit_bpp(v);
	double nb = (double)v->bpp / factor + 0.5; /* the only floating point */
	uint64_t bpp = nb < 1.0 ? 1 : nb >= (double)fit ? fit : (uint64_t)nb;
	u128 anchor = pos_at(v, x, y);
	u128 off = ((u128)(y / v->row_h) * v->width + x) * bpp;
	v->bpp = bpp;
	set_origin(v, anchor - (anchor >= off ? off : anchor), anchor < off);
}

void vms_view_pan(struct vms_view *v, int64_t dx, int64_t dy)
{
	/* |dy * width + dx| < 2^96, times bpp < 2^64: fits in 128 bits only
	 * as a magnitude, so keep the sign apart. */
	__int128 cells = (__int128)dy * v->width + dx;
	bool back = cells < 0;
	u128 delta = (u128)(back ? -cells : cells) * v->bpp;
	if (back)
		set_origin(v, v->origin - (delta > v->origin ? v->origin : delta), false);
	else
		set_origin(v, (u128)v->origin + delta, false);
}

int vms_view_hit(const struct vms_view *v, uint32_t x, uint32_t y,
                 struct vms_view_hit *hit)
{
	const struct vms_aspace *m = v->m;
	uint64_t a0;
	if (vms_view_addr_at(v, x, y, &a0) < 0 || !m->nr_order)
		return -VMS_ERANGE;
	uint64_t a1 = vms_view_addr_of(v, sat64(pos_at(v, x, y) + v->bpp));
	size_t k = vms_aspace_first_over(m, a0), l0;
	size_t l1 = longs_before(v, k, a0, &l0);
	for (size_t i = l0; i < l1; i++) /* an earlier area reaching here */
		if (area_at(m, v->longs.v[i].k)->end > a0) {
			k = v->longs.v[i].k;
			break;
		}
	if (k >= m->nr_order)
		return -VMS_ERANGE;
	const struct vms_area *a = area_at(m, k);
	if (a->end <= a0 || a->start >= (a1 > a0 ? a1 : a0 + 1))
		return -VMS_ERANGE;
	hit->area = m->order[k];
	uint64_t guard = vms_aspace_guard_bytes(m, hit->area);
	hit->guard = guard && a0 >= a->end - guard;
	return 0;
}

/* Spreads [start, end) of dump area idx over the row's columns, from
 * column *cur: the areas come in ascending start order, so the column of
 * each start is found by moving a cursor forward (amortised O(1) an area,
 * O(width) a row) rather than by a binary search per area. */
static void spread(struct vms_view *v, uint64_t start, uint64_t end, uint32_t idx,
                   unsigned kind, struct vms_view_cell *out, size_t *cur)
{
	const uint64_t *e = v->edges;
	while (*cur < v->width && e[*cur + 1] <= start)
		(*cur)++;
	for (size_t c = *cur; c < v->width && e[c] < end; c++) {
		uint64_t s = start > e[c] ? start : e[c];
		uint64_t t = end < e[c + 1] ? end : e[c + 1];
		if (t <= s)
			continue;
		out[c].covered += t - s;
		v->kind_bytes[c * VMS_NR_AKINDS + kind] += t - s;
		if (t - s > out[c].top_bytes) {
			out[c].top_bytes = t - s;
			out[c].top = idx;
		}
	}
}

void vms_view_row(struct vms_view *v, uint32_t row, struct vms_view_cell *out)
{
	const struct vms_aspace *m = v->m;
	u128 p0 = (u128)v->origin + (u128)row * v->width * v->bpp;
	for (size_t c = 0; c <= v->width; c++)
		v->edges[c] = vms_view_addr_of(v, sat64(p0 + (u128)c * v->bpp));
	for (size_t c = 0; c < v->width; c++)
		out[c] = (struct vms_view_cell){.span = v->edges[c + 1] - v->edges[c],
		                                .kind = VMS_NR_AKINDS,
		                                .top = VMS_VIEW_NO_AREA};
	v->steps++;
	if (!m->nr_order || v->edges[0] == v->edges[v->width])
		return;
	size_t cur = 0, k0 = vms_aspace_first_over(m, v->edges[0]), l0;
	size_t l1 = longs_before(v, k0, v->edges[0], &l0);
	for (size_t i = l0; i < l1; i++) { /* a broken dump's overlaps */
		const struct vms_view_span *sp = &v->spans[v->longs.v[i].k];
		uint64_t end = sp->len == UINT32_MAX ? m->dump->areas.v[sp->area].end
		                                     : sp->start + sp->len;
		v->steps++;
		if (end > v->edges[0])
			spread(v, sp->start, end, sp->area, m->kind[sp->area], out, &cur);
	}
	for (size_t k = k0; k < m->nr_order; k++) {
		const struct vms_view_span *sp = &v->spans[k];
		if (sp->start >= v->edges[v->width])
			break;
		v->steps++;
		uint32_t idx = sp->area;
		uint64_t end = sp->len == UINT32_MAX ? m->dump->areas.v[idx].end
		                                     : sp->start + sp->len;
		spread(v, sp->start, end, idx, m->kind[idx], out, &cur);
	}
	for (size_t c = 0; c < v->width; c++) {
		if (!out[c].covered)
			continue;                 /* its kind bytes are all zero */
		if (out[c].covered > out[c].span) /* overlapping areas */
			out[c].covered = out[c].span;
		uint64_t *kb = &v->kind_bytes[c * VMS_NR_AKINDS], best = 0;
		for (unsigned k = 0; k < VMS_NR_AKINDS; k++) {
			if (kb[k] > best) {
				best = kb[k];
				out[c].kind = (uint8_t)k;
			}
			kb[k] = 0; /* zero again for the next row */
		}
	}
}

int vms_view_show_range(struct vms_view *v, uint64_t start, uint64_t end)
{
	start = start < v->lo ? v->lo : start;
	end = end > v->hi ? v->hi : end;
	if (start >= end)
		return -VMS_ERANGE;
	uint64_t p0 = vms_view_pos_of(v, start), p1 = vms_view_pos_of(v, end);
	uint64_t cells = (uint64_t)v->width * v->rows, n = p1 > p0 ? p1 - p0 : 1;
	uint64_t bpp = n / cells + (n % cells != 0), fit = vms_view_fit_bpp(v);
	v->bpp = bpp < 1 ? 1 : bpp > fit ? fit : bpp;
	set_origin(v, p0, false);
	return 0;
}

void vms_view_follow(struct vms_view *v, const struct vms_view *old)
{
	if (old->compressed != v->compressed || old->threshold != v->threshold)
		vms_view_set_compressed(v, old->compressed, old->threshold,
		                        old->cut_width);
	uint64_t fit = vms_view_fit_bpp(v);
	v->bpp = old->bpp > fit ? fit : old->bpp < 1 ? 1 : old->bpp;
	set_origin(v, vms_view_pos_of(v, vms_view_addr_of(old, old->origin)), false);
}

bool vms_view_auto_compress(struct vms_view *v)
{
	uint64_t covered = 0, span = v->hi - v->lo;
	for (size_t i = 0; i < v->m->windows.n; i++)
		covered += v->m->windows.v[i].used;
	bool on = span > (4ull << 30) && covered < span / 100;
	if (on)
		vms_view_set_compressed(v, true, 0, 0);
	return on;
}
