/*
 * alloc.c — allocation helpers that abort on out-of-memory (so callers have
 * no NULL path), formatted string allocation, and the text of enum vms_err.
 * Every function is O(size of what it allocates).
 */
#define _GNU_SOURCE /* madvise(), mremap() */
#include "vmscope/common.h"

#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void vms_oom(size_t n)
{
	fprintf(stderr, "vmscope: out of memory (%zu bytes)\n", n);
	abort();
}

void *vms_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		vms_oom(n);
	return p;
}

void *vms_xcalloc(size_t count, size_t n)
{
	void *p = calloc(count ? count : 1, n ? n : 1);
	if (!p)
		vms_oom(count * n);
	return p;
}

void *vms_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		vms_oom(n);
	return q;
}

void *vms_xreallocarray(void *p, size_t count, size_t n)
{
	if (n && count > SIZE_MAX / n)
		vms_oom(SIZE_MAX);
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

static size_t page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);
	return ps > 0 ? (size_t)ps : 4096;
}

void vms_release(void *p, size_t n)
{
#ifdef MADV_DONTNEED
	size_t page = page_size();
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
	uintptr_t b = ((uintptr_t)p + n) & ~(uintptr_t)(page - 1);
	if (b > a)
		madvise((void *)a, b - a, MADV_DONTNEED);
#else
	(void)p;
	(void)n;
#endif
}

/* Copies n bytes in blocks, giving src's pages back after each block. */
static void copy_releasing(char *dst, char *src, size_t n)
{
	const size_t block = (size_t)1 << 20;
	for (size_t k = 0; k < n; k += block) {
		size_t m = n - k < block ? n - k : block;
		memcpy(dst + k, src + k, m);
		vms_release(src + k, m);
	}
}

#if defined(__linux__) && defined(MREMAP_FIXED)
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4 /* Linux 5.7 */
#endif
/* Moves the pages at q[0..len) (page-aligned) to p; q reads as zeros after.
 * False when the system refused (then nothing moved). */
static bool remap_pages(char *p, char *q, size_t len)
{
	int f = MREMAP_MAYMOVE | MREMAP_FIXED;
	if (mremap(q, len, len, f | MREMAP_DONTUNMAP, p) != MAP_FAILED)
		return true;
	if (mremap(q, len, len, f, p) == MAP_FAILED) /* before 5.7 */
		return false;
	/* q is a hole now: make it memory again (it belongs to a live block) */
	if (mmap(q, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	         -1, 0) == MAP_FAILED)
		vms_oom(len);
	return true;
}
#else
static bool remap_pages(char *p, char *q, size_t len)
{
	(void)p;
	(void)q;
	(void)len;
	return false;
}
#endif

void vms_move(void *dst, const void *dst_lo, void *src, size_t n)
{
	size_t page = page_size();
	char *d = dst, *s = src;
	/* the whole pages of src, and where their bytes go */
	char *q1 = (char *)(((uintptr_t)s + page - 1) & ~(uintptr_t)(page - 1));
	char *q2 = (char *)(((uintptr_t)s + n) & ~(uintptr_t)(page - 1));
	if (n < ((size_t)4 << 20) || q2 <= q1) {
		copy_releasing(d, s, n);
		return;
	}
	size_t first = (size_t)(q1 - s), mid = (size_t)(q2 - q1);
	char *at = d + first; /* where the moved pages' bytes belong */
	char *p1 = (char *)((uintptr_t)at & ~(uintptr_t)(page - 1));
	size_t shift = (size_t)(at - p1);
	if (p1 < (const char *)dst_lo) { /* that page is not all dst's block's */
		copy_releasing(d, s, n);
		return;
	}
	memcpy(d, s, first);
	/* the pages land at p1, over the shift bytes before `at` that are
	 * already dst's: keep them aside */
	char *keep = vms_xmalloc(shift ? shift : 1);
	memcpy(keep, p1, shift);
	if (!remap_pages(p1, q1, mid)) {
		free(keep);
		copy_releasing(at, q1, n - first);
		return;
	}
	memmove(at, p1, mid); /* in place: no page is new */
	memcpy(p1, keep, shift);
	free(keep);
	copy_releasing(at + mid, q2, n - first - mid);
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
