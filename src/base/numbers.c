/*
 * numbers.c — sizes as users write them ("8K", "0x2000", "16M") and as
 * people read them ("296 MiB").
 */
#include "vmscope/common.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int vms_parse_size(const char *s, uint64_t *out)
{
	if (!s || !*s)
		return -VMS_EINVAL;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '-' || *s == '+')
		return -VMS_EINVAL;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	if (end == s)
		return -VMS_EINVAL;
	if (errno == ERANGE)
		return -VMS_ERANGE;
	unsigned shift = 0;
	switch (toupper((unsigned char)*end)) {
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	case 'T':
		shift = 40;
		break;
	case 'P':
		shift = 50;
		break;
	case 'E':
		shift = 60;
		break;
	case '\0':
		break;
	default:
		return -VMS_EINVAL;
	}
	if (shift) {
		end++;
		if (*end == 'i' || *end == 'I')
			end++;
		if (*end == 'B' || *end == 'b')
			end++;
	} else if (*end == 'B' || *end == 'b') {
		end++;
	}
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -VMS_EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -VMS_ERANGE;
	*out = (uint64_t)v << shift;
	return 0;
}

const char *vms_format_size(uint64_t n, char *buf, size_t len)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	unsigned u = 0;
	while (u < 6 && n >= ((uint64_t)1024 << (10 * u)))
		u++;
	if (u == 0) {
		snprintf(buf, len, "%llu B", (unsigned long long)n);
	} else if (n % ((uint64_t)1 << (10 * u)) == 0) {
		snprintf(buf, len, "%llu %s", (unsigned long long)(n >> (10 * u)),
		         unit[u]);
	} else {
		double v = (double)n / (double)((uint64_t)1 << (10 * u));
		snprintf(buf, len, "%.1f %s", v, unit[u]);
	}
	return buf;
}
