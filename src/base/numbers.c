/*
 * numbers.c — sizes as users write them ("8K", "0x2000", "16M") and as
 * people read them ("296 MiB").
 */
#include "numbers.h"

#include <ctype.h>
#include <string.h>

#include "vmscope/common.h"
#include <stdio.h>
#include <stdlib.h>

/* ---- digit scanners ------------------------------------------------------ */

const uint8_t vms_hexv1[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
    ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
    ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
    ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

size_t vms_scan_hex_run(const char *p, const char *e, uint64_t *v, bool *ovf)
{
	size_t n = 0;
	uint64_t x = 0, w;
	bool over = false;
	while (e - (p + n) >= 8 && vms_hex8(p + n, &w)) {
		over |= (x >> 32) != 0;
		x = x << 32 | w;
		n += 8;
	}
	unsigned d;
	while (p + n < e && (d = vms_hexv1[(unsigned char)p[n]]) != 0) {
		over |= (x >> 60) != 0;
		x = x << 4 | (d - 1);
		n++;
	}
	if (over)
		*ovf = true;
	*v = over ? UINT64_MAX : x;
	return n;
}

size_t vms_scan_dec_run(const char *p, const char *e, uint64_t *v, bool *ovf)
{
	size_t n = 0;
	uint64_t x = 0;
	bool over = false;
	/* 19 digits always fit; only later ones can overflow */
	while (p + n < e && n < 19 && vms_is_digit(p[n]))
		x = x * 10 + (uint64_t)(p[n++] - '0');
	while (p + n < e && vms_is_digit(p[n])) {
		uint64_t d = (uint64_t)(p[n++] - '0');
		over |= x > (UINT64_MAX - d) / 10;
		x = x * 10 + d;
	}
	if (over)
		*ovf = true;
	*v = over ? UINT64_MAX : x;
	return n;
}

int vms_memparse(const char *p, const char *e, uint64_t *v, const char **end)
{
	const char *q = p;
	bool ovf = false;
	size_t n;
	uint64_t x = 0;
	*end = p;
	if (e - q > 2 && q[0] == '0' && (q[1] == 'x' || q[1] == 'X') &&
	    vms_hexval(q[2]) >= 0) {
		n = vms_scan_hex(q + 2, e, &x, &ovf);
		q += 2 + n;
	} else if (q < e && q[0] == '0') {
		for (n = 0; q + n < e && q[n] >= '0' && q[n] <= '7'; n++) {
			ovf |= (x >> 61) != 0;
			x = x << 3 | (uint64_t)(q[n] - '0');
		}
		q += n;
	} else {
		n = vms_scan_dec(q, e, &x, &ovf);
		q += n;
	}
	if (q == p)
		return -VMS_EINVAL;
	static const char suffixes[] = "kmgtpe";
	const char *s = q < e ? strchr(suffixes, *q | 0x20) : NULL;
	if (s && *q) {
		unsigned shift = 10 * (unsigned)(s - suffixes + 1);
		ovf |= !ovf && (x >> (64 - shift)) != 0;
		x <<= ovf ? 0 : shift;
		q++;
	}
	*end = q;
	*v = ovf ? UINT64_MAX : x;
	return ovf ? -VMS_ERANGE : 0;
}

/* ---- sizes ----------------------------------------------------------------- */

int vms_parse_size(const char *s, uint64_t *out)
{
	if (!s)
		return -VMS_EINVAL;
	const char *p = s, *e = s + strlen(s);
	bool ovf = false;
	uint64_t v;
	size_t n;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		n = vms_scan_hex(p + 2, e, &v, &ovf), p += 2;
	else
		n = vms_scan_dec(p, e, &v, &ovf); /* decimal, leading zeros or not */
	if (!n)
		return -VMS_EINVAL;
	p += n;
	static const char units[] = "KMGTPE";
	const char *u = *p ? strchr(units, toupper((unsigned char)*p)) : NULL;
	unsigned shift = u ? 10 * (unsigned)(u - units + 1) : 0;
	if (u) {
		p++;
		p += *p == 'i' || *p == 'I';
	}
	p += *p == 'B' || *p == 'b';
	if (*p)
		return -VMS_EINVAL; /* blanks, signs and other words included */
	if (ovf || (shift && v > (UINT64_MAX >> shift)))
		return -VMS_ERANGE;
	*out = v << shift;
	return 0;
}

unsigned vms_log2_floor(uint64_t x)
{
	return x ? 63u - (unsigned)__builtin_clzll(x) : 0;
}

unsigned vms_log2_ceil(uint64_t x)
{
	return x > 1 ? vms_log2_floor(x - 1) + 1 : 0;
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
