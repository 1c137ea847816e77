/*
 * util.c — allocation helpers that abort on out-of-memory, the string arena,
 * and size parsing/formatting shared by every module.
 *
 * The arena is a list of blocks; each allocation is a bump of `used` in the
 * newest block (O(1)); a request larger than a quarter block gets a block of
 * its own. Everything is freed at once by vms_arena_free().
 */
#include "vmscope/common.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
	fprintf(stderr, "vmscope: out of memory (%zu bytes)\n", n);
	abort();
}

void *vms_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *vms_xcalloc(size_t count, size_t n)
{
	void *p = calloc(count ? count : 1, n ? n : 1);
	if (!p)
		oom(count * n);
	return p;
}

void *vms_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

void *vms_xreallocarray(void *p, size_t count, size_t n)
{
	if (n && count > SIZE_MAX / n)
		oom(SIZE_MAX);
	return vms_xrealloc(p, count * n);
}

char *vms_xstrdup(const char *s)
{
	return vms_xstrndup(s, strlen(s));
}

char *vms_xstrndup(const char *s, size_t n)
{
	char *p = vms_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *vms_xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	char *p = vms_xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *vms_xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = vms_xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

const char *vms_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case VMS_OK:
		return "success";
	case VMS_EIO:
		return "input could not be read";
	case VMS_EINVAL:
		return "invalid argument";
	case VMS_ENODATA:
		return "nothing usable in the input";
	case VMS_ERANGE:
		return "value out of range";
	default:
		return "unknown error";
	}
}

/* ---- arena ---------------------------------------------------------------- */

struct vms_arena_block {
	struct vms_arena_block *next;
	size_t cap;
	_Alignas(8) unsigned char data[];
};

enum { ARENA_BLOCK = 64 * 1024 };

void *vms_arena_alloc(struct vms_arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (n == 0)
		n = 8;
	struct vms_arena_block *b = a->head;
	if (!b || b->cap - a->used < n) {
		if (n > ARENA_BLOCK / 4) {
			/* big request: a block of its own, kept behind the head */
			struct vms_arena_block *big = vms_xmalloc(sizeof(*big) + n);
			big->cap = n;
			a->total += n;
			if (b) {
				big->next = b->next;
				b->next = big;
			} else {
				big->next = NULL;
				a->head = big;
				a->used = n;
			}
			return big->data;
		}
		b = vms_xmalloc(sizeof(*b) + ARENA_BLOCK);
		b->cap = ARENA_BLOCK;
		b->next = a->head;
		a->head = b;
		a->used = 0;
		a->total += ARENA_BLOCK;
	}
	void *p = b->data + a->used;
	a->used += n;
	return p;
}

char *vms_arena_strndup(struct vms_arena *a, const char *s, size_t n)
{
	char *p = vms_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *vms_arena_strdup(struct vms_arena *a, const char *s)
{
	return vms_arena_strndup(a, s, strlen(s));
}

char *vms_arena_printf(struct vms_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *tmp = vms_xvasprintf(fmt, ap);
	va_end(ap);
	char *p = vms_arena_strdup(a, tmp);
	free(tmp);
	return p;
}

void vms_arena_adopt(struct vms_arena *dst, struct vms_arena *src)
{
	struct vms_arena_block *b = src->head;
	if (!b)
		return;
	if (!dst->head) {
		*dst = *src;
	} else { /* keep dst's head (its free space), put src's blocks behind it */
		struct vms_arena_block *tail = b;
		while (tail->next)
			tail = tail->next;
		tail->next = dst->head->next;
		dst->head->next = b;
		dst->total += src->total;
	}
	src->head = NULL;
	src->used = src->total = 0;
}

void vms_arena_free(struct vms_arena *a)
{
	struct vms_arena_block *b = a->head;
	while (b) {
		struct vms_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

/* ---- sizes ---------------------------------------------------------------- */

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
