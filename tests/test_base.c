/*
 * test_base.c — memory primitives of src/base/alloc.c: vms_move() moves
 * bytes between two blocks, remapping whole pages for big moves, and must
 * give exactly what memcpy gives at every alignment of source and
 * destination, keep the destination block's bytes before the destination,
 * and leave the source block usable. And the flag-word table.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/common.h"
#include "vmscope/dump.h"

/* A pattern no two nearby offsets share. */
static unsigned char pat(size_t i)
{
	return (unsigned char)(i * 2654435761u >> 13);
}

/* Moves n bytes from src + soff to dst + doff (blocks of n + 3 pages) and
 * checks the result byte for byte. */
static void check_move(size_t n, size_t soff, size_t doff)
{
	size_t cap = n + 3 * 4096 * 16; /* room for 64 KiB pages too */
	unsigned char *src = malloc(cap), *dst = malloc(cap);
	cr_assert(src && dst);
	for (size_t i = 0; i < cap; i++)
		src[i] = pat(i), dst[i] = (unsigned char)~pat(i);
	vms_move(dst + doff, dst, src + soff, n);
	for (size_t i = 0; i < doff; i++)
		cr_assert_eq(dst[i], (unsigned char)~pat(i),
		             "n %zu src+%zu dst+%zu: byte %zu before", n, soff, doff, i);
	for (size_t i = 0; i < n; i++)
		if (dst[doff + i] != pat(soff + i))
			cr_assert_fail("n %zu src+%zu dst+%zu: byte %zu moved wrong", n,
			               soff, doff, i);
	for (size_t i = doff + n; i < cap; i++)
		cr_assert_eq(dst[i], (unsigned char)~pat(i), "n %zu: byte %zu after", n,
		             i);
	/* the source block is still memory (it may read as zeros) */
	memset(src, 0x5a, cap);
	cr_assert_eq(src[cap - 1], 0x5a);
	free(src);
	free(dst);
}

Test(base, small_moves_copy)
{
	check_move(0, 0, 0);
	check_move(1, 3, 5);
	check_move(100000, 17, 4093);
}

/* Big moves take the remapping path: every phase of source and
 * destination against the page, records of 56 and 20 bytes. */
Test(base, big_moves_are_exact_at_every_alignment)
{
	static const size_t offs[] = {0, 8, 56, 4000, 4096, 4096 + 20, 12345};
	size_t n = (6u << 20) + 56 * 7;
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		for (size_t j = 0; j < sizeof(offs) / sizeof(offs[0]); j += 2)
			check_move(n, offs[i], offs[j]);
}

/* The flag-word table's lengths are the names' (the fast path skips words
 * by them). */
Test(base, flag_lengths_match_names)
{
	for (unsigned b = 0; b < VMS_NR_FLAGS; b++)
		cr_assert_eq(vms_flag_len(b), strlen(vms_flag_name(b)), "flag %u", b);
}

/* ---- inference over a big built dump ----------------------------------------- */

#include "vmscope/parse.h"

/* n busy 64-bit areas, ascending; kinds and order changed by the caller. */
static struct vms_dump *big_dump(size_t n)
{
	struct vms_dump *d = vms_dump_new("built");
	for (size_t i = 0; i < n; i++) {
		uint64_t s = 0xffffc90000000000ull + i * 0x2000;
		struct vms_area a = {.start = s, .end = s + 0x2000, .size = 0x2000};
		struct vms_area_src src = {.line = (uint32_t)i + 1,
		                           .last_line = (uint32_t)i + 1,
		                           .col = 1,
		                           .w_start = 16,
		                           .w_end = 16};
		vms_dump_add_area(d, &a, &src, NULL, 0);
	}
	return d;
}

/* A big dump's survey runs in two halves: what only shows across the
 * middle (order, an unpurged area before busy ones) is still seen. */
Test(base, inference_sees_across_the_middle_of_a_big_dump)
{
	size_t n = 600000;
	struct vms_dump *d = big_dump(n);
	vms_dump_infer(d, NULL);
	cr_assert(d->sorted);
	cr_assert_eq(d->addr_bits, 64);
	vms_dump_free(d);

	/* each half ascending, the second below the first */
	d = big_dump(n);
	for (size_t i = n / 2; i < n; i++)
		d->areas.v[i].start -= 0x100000000ull,
		    d->areas.v[i].end -= 0x100000000ull;
	vms_dump_infer(d, NULL);
	cr_assert(!d->sorted, "the order breaks at the middle");
	vms_dump_free(d);

	/* unpurged areas at the end of the first half, busy ones after them
	 * only in the second: interleaved (<= 5.3); at the end of the second
	 * half: a block after the busy areas (5.4+) */
	for (int late = 0; late < 2; late++) {
		d = big_dump(n);
		size_t end = late ? n : n / 2;
		for (size_t i = end - 1000; i < end; i++)
			d->areas.v[i].kind = VMS_KIND_UNPURGED;
		vms_dump_infer(d, NULL);
		cr_assert_not_null(d->era);
		cr_assert(strstr(d->era, late ? "5.4+" : "<= 5.3") != NULL, "%s", d->era);
		vms_dump_free(d);
	}
}
