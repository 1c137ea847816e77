/*
 * test_base.c — memory primitives of src/base/alloc.c: vms_move() moves
 * bytes between two blocks, remapping whole pages for big moves, and must
 * give exactly what memcpy gives at every alignment of source and
 * destination, keep the destination block's bytes before the destination,
 * and leave the source block usable.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/common.h"

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
