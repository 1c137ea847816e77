/*
 * text.c — UTF-8 facts the writers and message builders share: how long
 * the valid sequence at a byte is, and where to cut a snippet so that no
 * character is cut in the middle. O(bytes looked at).
 */
#include "vmscope/common.h"

size_t vms_utf8_len(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	if (!n)
		return 0;
	unsigned c = s[0], cp, min;
	size_t k;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		k = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		k = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4, min = 0x10000;
	else
		return 0;
	if (n < k)
		return 0;
	cp = c & (0x7fu >> k);
	for (size_t j = 1; j < k; j++) {
		if ((s[j] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[j] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

size_t vms_utf8_clip(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	/* s[max] exists: if it continues a character, find where that
	 * character starts (at most 3 bytes back) and cut before it */
	size_t n = max;
	for (int i = 0; i < 3 && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; i++)
		n--;
	if (n < max && ((unsigned char)s[n] & 0xc0) != 0x80) {
		size_t k = vms_utf8_len(s + n, len - n);
		if (k > 1 && n + k > max)
			return n;
	}
	return max;
}
