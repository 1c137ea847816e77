/*
 * view_palette.c — the colours of the map, without SDL: the kinds'
 * Okabe–Ito palette, the region bands, the callers' palette picked by a
 * stable hash of the name (cached per caller slot of a model), the shade
 * of a column by coverage; and the key the renderer's per-model caches
 * are checked against (view_palette.h).
 *
 * Costs: a column's colours O(1), a caller's first colour O(name length).
 * Invariant: a struct vms_callers holds colours of the model its key
 * names only.
 */
#include <stdlib.h>
#include <string.h>

#include "vmscope/common.h"
#include "view_palette.h"

typedef unsigned __int128 u128;

const uint32_t vms_render_akind_rgb[VMS_NR_AKINDS] = {
    [VMS_AK_VMALLOC] = 0x0072b2,    /* blue */
    [VMS_AK_IOREMAP] = 0xd55e00,    /* vermillion */
    [VMS_AK_VMAP] = 0x009e73,       /* bluish green */
    [VMS_AK_USER] = 0x56b4e9,       /* sky blue */
    [VMS_AK_VM_MAP_RAM] = 0xf0e442, /* yellow */
    [VMS_AK_UNPURGED] = 0x8c8c8c,   /* grey */
    [VMS_AK_PERCPU] = 0xe69f00,     /* orange */
    [VMS_AK_MODULE] = 0xcc79a7,     /* reddish purple */
    [VMS_AK_OTHER] = 0xc8c8c8,      /* light grey */
};

/* Twelve hues that stay apart on the dark background, in an order that
 * puts unlike colours next to each other (not the kinds' order). */
const uint32_t vms_render_caller_palette[VMS_RENDER_NR_CALLER_RGB] = {
    0x4e79a7, 0xf28e2b, 0x59a14f, 0xe15759, 0xedc948, 0xb07aa1,
    0x76b7b2, 0xff9da7, 0x9c755f, 0x8cd17d, 0xa0cbe8, 0xd37295,
};

/* Region bands: muted, so the areas stay the eye's first stop. */
static const uint32_t region_rgb[] = {
    [VMS_RK_OTHER] = 0x606060,     [VMS_RK_VMALLOC] = 0x3a6ea5,
    [VMS_RK_MODULES] = 0x9a5a86,   [VMS_RK_LOWMEM] = 0x4f7f4f,
    [VMS_RK_PKMAP] = 0x8a7a3a,     [VMS_RK_FIXMAP] = 0x8a5a3a,
    [VMS_RK_VECTOR] = 0x7a3a3a,    [VMS_RK_VMEMMAP] = 0x3a7a7a,
    [VMS_RK_KASAN] = 0x6a4a8a,     [VMS_RK_PCI_IO] = 0x7a6a5a,
    [VMS_RK_DMA] = 0x5a7a3a,       [VMS_RK_TCM] = 0x5a5a8a,
    [VMS_RK_CPU_ENTRY] = 0x8a3a6a, [VMS_RK_EARLY_IOREMAP] = 0x9a6a3a,
    [VMS_RK_KERNEL] = 0x4a5a6a,
};

/* Names of the caller slots past the symbols, as the report names them. */
static const char *const pseudo_callers[] = {"[vm_map_ram]", "[unpurged]", "[no caller]"};
#define NR_PSEUDO (sizeof(pseudo_callers) / sizeof(pseudo_callers[0]))

/* A band is a landmark, not data: its colour is mixed 1:1 with the
 * background so a map of empty rows does not read as striped with areas. */
static uint32_t dim(uint32_t rgb)
{
	uint32_t out = 0;
	for (unsigned sh = 0; sh < 24; sh += 8)
		out |= ((((rgb >> sh) & 0xff) + ((VMS_RENDER_BG >> sh) & 0xff)) / 2)
		       << sh;
	return out;
}

uint32_t vms_render_region_rgb(unsigned region_kind)
{
	if (region_kind >= sizeof(region_rgb) / sizeof(region_rgb[0]) ||
	    !region_rgb[region_kind])
		return dim(region_rgb[VMS_RK_OTHER]);
	return dim(region_rgb[region_kind]);
}

uint32_t vms_render_caller_rgb(const char *name)
{
	uint32_t h = 2166136261u; /* FNV-1a, then a final mix */
	for (const char *s = name ? name : pseudo_callers[2]; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return vms_render_caller_palette[h % VMS_RENDER_NR_CALLER_RGB];
}

uint32_t vms_palette_shade(uint32_t rgb, uint64_t covered, uint64_t span)
{
	uint32_t w = 64 + (uint32_t)((u128)192 * covered / span);
	uint32_t out = 0;
	for (int sh = 0; sh <= 16; sh += 8) {
		int bg = (VMS_RENDER_BG >> sh) & 0xff, c = (rgb >> sh) & 0xff;
		out |= (uint32_t)(bg + (c - bg) * (int)w / 256) << sh;
	}
	return out;
}

void vms_model_key_of(const struct vms_aspace *m, struct vms_model_key *k)
{
	memset(k, 0, sizeof(*k)); /* padding too: keys are compared whole */
	k->m = m;
	k->d = m->dump;
	k->areas = m->dump->areas.v;
	k->order = m->order;
	k->n = m->dump->areas.n;
	k->nr_order = m->nr_order;
}

bool vms_model_key_eq(const struct vms_model_key *a, const struct vms_model_key *b)
{
	return !memcmp(a, b, sizeof(*a));
}

uint32_t vms_callers_slot(const struct vms_aspace *m, uint32_t i)
{
	const struct vms_area *a = &m->dump->areas.v[i];
	if (a->caller)
		return a->caller;
	uint32_t nsym = vms_symtab_count(&m->dump->syms);
	return nsym + (a->kind == VMS_KIND_VM_MAP_RAM ? 0
	               : a->kind == VMS_KIND_UNPURGED ? 1
	                                              : 2);
}

const char *vms_callers_name(const struct vms_aspace *m, uint32_t slot)
{
	uint32_t nsym = vms_symtab_count(&m->dump->syms);
	if (slot >= nsym)
		return pseudo_callers[slot - nsym < NR_PSEUDO ? slot - nsym : 2];
	const char *s = vms_dump_sym(m->dump, slot);
	return s ? s : pseudo_callers[2];
}

/* The callers with the most bytes in the model get the palette's colours
 * in order, so the ones a user sees most never share one; the others take
 * a colour by the hash of their name. O(n + slots x palette). */
static void rank_callers(struct vms_callers *c, const struct vms_aspace *m)
{
	uint64_t *bytes = vms_xcalloc(c->nslots, sizeof(*bytes));
	for (size_t k = 0; k < m->nr_order; k++)
		bytes[vms_callers_slot(m, m->order[k])] +=
		    m->dump->areas.v[m->order[k]].size;
	for (uint8_t rank = 0; rank < VMS_RENDER_NR_CALLER_RGB; rank++) {
		size_t best = c->nslots;
		for (size_t i = 0; i < c->nslots; i++)
			if (bytes[i] && !c->rgb_of[i] &&
			    (best == c->nslots || bytes[i] > bytes[best]))
				best = i;
		if (best == c->nslots)
			break;
		c->rgb_of[best] = (uint8_t)(rank + 1);
	}
	free(bytes);
}

void vms_callers_use(struct vms_callers *c, const struct vms_aspace *m)
{
	struct vms_model_key k;
	vms_model_key_of(m, &k);
	if (c->rgb_of && vms_model_key_eq(&k, &c->key))
		return;
	free(c->rgb_of);
	c->key = k;
	c->nslots = vms_symtab_count(&m->dump->syms) + NR_PSEUDO;
	c->rgb_of = vms_xcalloc(c->nslots, 1);
	rank_callers(c, m);
}

void vms_callers_fini(struct vms_callers *c)
{
	free(c->rgb_of);
	memset(c, 0, sizeof(*c));
}

static uint32_t caller_rgb(struct vms_callers *c, const struct vms_aspace *m, uint32_t i)
{
	return vms_callers_rgb(c, m, vms_callers_slot(m, i));
}

uint32_t vms_callers_rgb(struct vms_callers *c, const struct vms_aspace *m, uint32_t slot)
{
	if (!c->rgb_of[slot]) {
		uint32_t rgb = vms_render_caller_rgb(vms_callers_name(m, slot));
		uint8_t k = 0;
		while (vms_render_caller_palette[k] != rgb)
			k++;
		c->rgb_of[slot] = (uint8_t)(k + 1);
	}
	return vms_render_caller_palette[c->rgb_of[slot] - 1];
}

void vms_callers_cell(struct vms_callers *c, const struct vms_aspace *m,
                      const struct vms_view_cell *cell, uint32_t *by_kind,
                      uint32_t *by_caller)
{
	*by_kind = *by_caller = VMS_RENDER_BG;
	if (!cell->span || !cell->covered)
		return;
	if (cell->kind < VMS_NR_AKINDS)
		*by_kind = vms_palette_shade(vms_render_akind_rgb[cell->kind],
		                             cell->covered, cell->span);
	if (cell->top != VMS_VIEW_NO_AREA)
		*by_caller = vms_palette_shade(caller_rgb(c, m, cell->top), cell->covered,
		                               cell->span);
}
