/*
 * numbers.h — internal: the one family of digit scanners every parser uses.
 *
 * Each scanner reads the longest run of digits at p (never past e), returns
 * how many it read, and stores the value. A run whose value needs more than
 * 64 bits sets *ovf and stores UINT64_MAX, never a wrapped value: callers
 * must check *ovf before using the value, and name the number and the limit
 * it broke when it does not fit. *ovf is only ever set,
 * never cleared, so one flag can collect several fields. Cost: O(digits);
 * runs of 8 or 16 hex digits take a SWAR path (eight digits per step).
 */
#ifndef VMS_NUMBERS_H
#define VMS_NUMBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vmscope/common.h"

/* Value + 1 of each hex digit byte, 0 for every other byte. */
extern const uint8_t vms_hexv1[256];

#define VMS_BYTES(b) (0x0101010101010101ull * (b))

/* High bit of each byte set where that byte is >= c (bytes are ASCII,
 * checked first, so the subtraction never borrows across bytes). */
static inline uint64_t vms_swar_ge(uint64_t x, unsigned c)
{
	return ((x | VMS_BYTES(0x80)) - VMS_BYTES(c)) & VMS_BYTES(0x80);
}

/* Eight hex digits at p at once (SWAR); false unless all eight are hex. */
static inline bool vms_hex8(const char *p, uint64_t *v)
{
	uint64_t x;
	memcpy(&x, p, 8);
	if (x & VMS_BYTES(0x80))
		return false;
	uint64_t digit = vms_swar_ge(x, '0') & ~vms_swar_ge(x, '9' + 1);
	uint64_t alpha = (vms_swar_ge(x, 'a') & ~vms_swar_ge(x, 'f' + 1)) |
	                 (vms_swar_ge(x, 'A') & ~vms_swar_ge(x, 'F' + 1));
	if ((digit | alpha) != VMS_BYTES(0x80))
		return false;
	/* nibble values; the first character is the lowest byte (little endian) */
	uint64_t n = (x & VMS_BYTES(0x0f)) + (alpha >> 7) * 9;
	n = ((n << 4) | (n >> 8)) & 0x00ff00ff00ff00ffull;
	n = ((n << 8) | (n >> 16)) & 0x0000ffff0000ffffull;
	n = ((n << 16) | (n >> 32)) & 0x00000000ffffffffull;
	*v = n;
	return true;
}

/* Any run of hex digits (the general case of vms_scan_hex). */
size_t vms_scan_hex_run(const char *p, const char *e, uint64_t *v, bool *ovf);

/* Hex digits [0-9a-fA-F]. Runs of exactly 16 or 8 digits (every address
 * and phys= the kernel prints) take two or one SWAR steps, short runs one
 * table lookup per digit, all inline; only runs of 16+ digits call out. */
static inline size_t vms_scan_hex(const char *p, const char *e, uint64_t *v, bool *ovf)
{
	const unsigned char *q = (const unsigned char *)p;
	ptrdiff_t room = e - p;
	uint64_t hi, lo, x = 0;
	if (room >= 8 && vms_hexv1[q[7]]) {
		if (room >= 16 && vms_hexv1[q[15]] && (room == 16 || !vms_hexv1[q[16]]) &&
		    vms_hex8(p, &hi) && vms_hex8(p + 8, &lo)) {
			*v = hi << 32 | lo;
			return 16;
		}
		if ((room == 8 || !vms_hexv1[q[8]]) && vms_hex8(p, &lo)) {
			*v = lo;
			return 8;
		}
	}
	size_t n = 0;
	unsigned d;
	while (n < 15 && (ptrdiff_t)n < room && (d = vms_hexv1[q[n]]) != 0) {
		x = x << 4 | (d - 1);
		n++;
	}
	if (n == 15 && room > 15 && vms_hexv1[q[15]])
		return vms_scan_hex_run(p, e, v, ovf); /* 16+ digits: may overflow */
	*v = x;
	return n;
}

/* Any run of decimal digits (the general case of vms_scan_dec). */
size_t vms_scan_dec_run(const char *p, const char *e, uint64_t *v, bool *ovf);

/* Decimal digits [0-9]. Up to 19 digits cannot overflow and are read
 * inline; longer runs call out. */
static inline size_t vms_scan_dec(const char *p, const char *e, uint64_t *v, bool *ovf)
{
	const char *q = p, *lim = e - p > 19 ? p + 19 : e;
	uint64_t x = 0;
	while (q < lim && (unsigned)(*q - '0') < 10)
		x = x * 10 + (uint64_t)(*q++ - '0');
	if (q < e && (unsigned)(*q - '0') < 10)
		return vms_scan_dec_run(p, e, v, ovf);
	*v = x;
	return (size_t)(q - p);
}

/*
 * The kernel's memparse() (lib/cmdline.c), for command-line values such as
 * vmalloc=300M, mem=0x8000000, cma=64m: an unsigned number in C notation
 * (0x hex, leading 0 octal, else decimal) and an optional K/M/G/T/P/E suffix
 * (either case, binary); what follows is left for the caller (*end, e.g.
 * "@0x80000000" after mem=). Returns 0, -VMS_EINVAL when there is no digit
 * (the kernel would read 0), or -VMS_ERANGE when the value needs more than
 * 64 bits (the kernel would wrap it; we never keep a wrapped value).
 */
int vms_memparse(const char *p, const char *e, uint64_t *v, const char **end);

/* Value of the hex digit c, or -1. */
static inline int vms_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static inline bool vms_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

#endif /* VMS_NUMBERS_H */
