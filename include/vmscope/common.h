/*
 * common.h — error codes, allocation helpers, growable arrays and a string
 * arena shared by every vmscope module.
 *
 * Allocation never fails from the caller's point of view: vms_xmalloc() and
 * friends abort with a message on out-of-memory, which removes that error
 * path from the rest of the library.
 *
 * The arena hands out strings and small arrays that live exactly as long as
 * the object owning the arena (a dump, a boot log); it frees everything in
 * one call. Allocation is O(1) amortised; blocks grow geometrically.
 */
#ifndef VMS_COMMON_H
#define VMS_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Core functions return 0 or one of these (negated). */
enum vms_err {
	VMS_OK = 0,
	VMS_EIO = 1,     /* the input could not be read */
	VMS_EINVAL = 2,  /* a bad argument (programmer or user value) */
	VMS_ENODATA = 3, /* the input held nothing usable */
	VMS_ERANGE = 4,  /* a value does not fit */
};

/* Human text for an enum vms_err (positive or negative); never NULL. */
const char *vms_strerror(int err);

/* Prints the out-of-memory message for an n-byte request and aborts; also
 * for allocations made inside libraries (PCRE2) that return NULL. */
void vms_oom(size_t n) __attribute__((noreturn));
/* Abort with a message when memory runs out. Never return NULL. */
void *vms_xmalloc(size_t n);
void *vms_xcalloc(size_t count, size_t n);
void *vms_xrealloc(void *p, size_t n);
/*
 * Gives the memory pages lying wholly inside p[0..n) back to the system
 * (their contents are lost; the range stays allocated and reads as zeros).
 * For big arrays whose contents were just copied elsewhere, so a copy does
 * not double the peak memory. Pages shared with anything outside the range
 * are kept. A no-op where the system cannot do it.
 */
void vms_release(void *p, size_t n);
/*
 * Moves n bytes from src to dst (two distinct blocks; dst_lo is the start of
 * dst's block, which nothing before it may be touched of): afterwards dst
 * holds the bytes and src's pages are given back (src reads as zeros or
 * stale bytes). Big moves remap src's whole pages into dst instead of
 * copying them, so dst's pages are not faulted in one by one and the peak
 * memory stays one copy; otherwise, or where the system cannot, a copy in
 * blocks that gives src's pages back as it goes. O(n) either way.
 */
void vms_move(void *dst, const void *dst_lo, void *src, size_t n);
/* Grows an array of count elements of size n, with overflow checks. */
void *vms_xreallocarray(void *p, size_t count, size_t n);
char *vms_xstrdup(const char *s);
char *vms_xstrndup(const char *s, size_t n);
/* Returns a new string formatted like printf; free with free(). */
char *vms_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *vms_xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/*
 * Growable array: `VMS_VEC(T) v = {0};` then vms_vec_push(&v, x). The element
 * storage is owned by the vector; free with free(v.v).
 */
#define VMS_VEC(T)                                                                       \
	struct {                                                                         \
		T *v;                                                                    \
		size_t n, cap;                                                           \
	}
#define vms_vec_reserve(vec, need)                                                       \
	do {                                                                             \
		if ((need) > (vec)->cap) {                                               \
			size_t c_ = (vec)->cap ? (vec)->cap * 2 : 16;                    \
			while (c_ < (need))                                              \
				c_ *= 2;                                                 \
			(vec)->v = vms_xreallocarray((vec)->v, c_, sizeof(*(vec)->v));   \
			(vec)->cap = c_;                                                 \
		}                                                                        \
	} while (0)
#define vms_vec_push(vec, x)                                                             \
	do {                                                                             \
		vms_vec_reserve((vec), (vec)->n + 1);                                    \
		(vec)->v[(vec)->n++] = (x);                                              \
	} while (0)

/* String arena: many small allocations freed together. */
struct vms_arena_block;
struct vms_arena {
	struct vms_arena_block *head; /* newest block first */
	size_t used;                  /* bytes used in head */
	size_t total;                 /* bytes reserved in all blocks */
};

/* Returns n bytes aligned to 8, owned by the arena. */
void *vms_arena_alloc(struct vms_arena *a, size_t n);
/* Returns a NUL-terminated copy of s[0..n), owned by the arena. */
char *vms_arena_strndup(struct vms_arena *a, const char *s, size_t n);
char *vms_arena_strdup(struct vms_arena *a, const char *s);
char *vms_arena_printf(struct vms_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *vms_arena_vprintf(struct vms_arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Moves every block of src into dst (pointers stay valid); src is empty. */
void vms_arena_adopt(struct vms_arena *dst, struct vms_arena *src);
/* Frees every block; the arena is empty and reusable afterwards. */
void vms_arena_free(struct vms_arena *a);

/*
 * Parses a size as users write it on a command line: "8192", "0x2000",
 * "8K", "16M", "1G", "300m", "8KiB", "2T", "4096B". Decimal (leading zeros
 * are decimal, never octal) or 0x hex, then an optional binary suffix
 * (K = 1024 ... E = 2^60, any case, optional "i" and "B"). Nothing else: no
 * sign, no blank on either side. Returns 0 and stores the value, or
 * -VMS_EINVAL (not a size) / -VMS_ERANGE (more than 64 bits). (Kernel
 * command-line values follow the kernel's own rules: vms_memparse().)
 */
int vms_parse_size(const char *s, uint64_t *out);

/* Length (1..4) of the valid UTF-8 character at p[0..n), or 0 when the
 * bytes there are not valid UTF-8 (overlong, surrogate, cut short). */
size_t vms_utf8_len(const char *p, size_t n);
/* The longest prefix of s[0..len) of at most max bytes that does not end
 * in the middle of a UTF-8 character: for "%.*s" snippets of input text. */
size_t vms_utf8_clip(const char *s, size_t len, size_t max);

/* floor(log2(x)) and ceil(log2(x)) for x > 0 (0 for x == 0). */
unsigned vms_log2_floor(uint64_t x);
unsigned vms_log2_ceil(uint64_t x);

/* True when x is a power of two (0 is not). */
static inline bool vms_is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* ALIGN(x, a) for a power of two a, saturating: UINT64_MAX when the
 * result would pass 2^64 (never an aligned value for a >= 2). */
static inline uint64_t vms_align_up(uint64_t x, uint64_t a)
{
	uint64_t y = (x + a - 1) & ~(a - 1);
	return y < x ? UINT64_MAX : y;
}

/* Formats n bytes as "8 KiB", "296 MiB", "1.5 GiB" into buf (>= 32 bytes). */
const char *vms_format_size(uint64_t n, char *buf, size_t len);

#endif /* VMS_COMMON_H */
