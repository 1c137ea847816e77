/*
 * alloc.c — allocation helpers that abort on out-of-memory (so callers have
 * no NULL path), formatted string allocation, and the text of enum vms_err.
 * Every function is O(size of what it allocates).
 */
#define _DEFAULT_SOURCE /* madvise() */
#include "vmscope/common.h"

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

void vms_release(void *p, size_t n)
{
#ifdef MADV_DONTNEED
	long ps = sysconf(_SC_PAGESIZE);
	size_t page = ps > 0 ? (size_t)ps : 4096;
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
	uintptr_t b = ((uintptr_t)p + n) & ~(uintptr_t)(page - 1);
	if (b > a)
		madvise((void *)a, b - a, MADV_DONTNEED);
#else
	(void)p;
	(void)n;
#endif
}

void vms_prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	long ps = sysconf(_SC_PAGESIZE);
	size_t page = ps > 0 ? (size_t)ps : 4096;
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(page - 1);
	uintptr_t b = ((uintptr_t)p + n) & ~(uintptr_t)(page - 1);
	if (b > a)
		madvise((void *)a, b - a, MADV_POPULATE_WRITE); /* 5.14+; else EINVAL */
#else
	(void)p;
	(void)n;
#endif
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
