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

#include "vmscope/common.h"

/* Hex digits [0-9a-fA-F]. */
size_t vms_scan_hex(const char *p, const char *e, uint64_t *v, bool *ovf);
/* Decimal digits [0-9]. */
size_t vms_scan_dec(const char *p, const char *e, uint64_t *v, bool *ovf);

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
