/*
 * gen.c — benchmark helper: writes a deterministic, realistic 64-bit
 * /proc/vmallocinfo dump, and measures a command's wall time and peak RSS.
 *
 *   bench-gen OUT LINES [SEED]       write LINES lines to OUT ("-" = stdout)
 *   bench-gen --measure LOG CMD ...  run CMD with stdout+stderr to LOG; print
 *                                    "WALL_SECONDS PEAK_RSS_KB EXIT_STATUS"
 *
 * The dump looks like a 4.13-5.3 x86_64 kernel's (docs/kernel.md §1.2-1.3):
 * address-sorted, non-overlapping areas from 0xffffc90000000000 up, with
 * vmalloc areas (pages=, vmalloc, vpages when the page array needs more than
 * a page, N0=/N1=), module callers ("sym+0x../0x.. [mod]"), ioremap with
 * phys=0x%016 aligned to the power of two of the mapping, vmap,
 * vm_map_ram and "unpurged vm_area" lines interleaved at their addresses.
 * vm_struct sizes are (pages + 1) * 4096 (guard page); the two vm-less
 * kinds have no guard page. About 97 bytes a line on average, so a million
 * lines make ~97 MB. The generator is a seeded xorshift64*: the same
 * arguments always give the same bytes.
 *
 * --measure exists because /usr/bin/time is not installed everywhere: the
 * peak RSS comes from wait4()'s rusage, the wall time from CLOCK_MONOTONIC.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE              4096ull
#define VMALLOC_START     0xffffc90000000000ull
#define IOREMAP_MAX_ALIGN (1ull << 30) /* x86_64 4.1+: IOREMAP_MAX_ORDER = PUD_SHIFT */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, n). */
static uint64_t below(uint64_t n)
{
	return rng() % n;
}

struct caller {
	const char *sym; /* "name+0xOFF/0xLEN" */
	const char *mod; /* module name or NULL */
};

static const struct caller vmalloc_callers[] = {
    {"alloc_large_system_hash+0x17a/0x238", NULL},
    {"bpf_prog_alloc_no_stats+0x39/0xe0", NULL},
    {"n_tty_open+0x16/0xa0", NULL},
    {"seccomp_prepare_filter+0x8b/0x2a0", NULL},
    {"kvmalloc_node+0x4b/0x90", NULL},
    {"dup_task_struct+0x50/0x1e0", NULL},
    {"load_module+0x10e5/0x2bd0", NULL},
    {"xt_alloc_table_info+0x3c/0x80", NULL},
    {"pcpu_mem_zalloc+0x2b/0x70", NULL},
    {"relay_open_buf.part.0+0x124/0x300", NULL},
    {"swap_cgroup_swapon+0x2d/0x150", NULL},
    {"module_alloc+0x8b/0xd0", NULL},
};

static const struct caller module_callers[] = {
    {"drm_ht_create+0x4c/0x90", "drm"},
    {"nf_ct_alloc_hashtable+0x51/0xb0", "nf_conntrack"},
    {"kvm_arch_vcpu_create+0x97/0x330", "kvm"},
    {"xfs_buf_allocate_memory+0x1b4/0x2c0", "xfs"},
    {"i915_gem_object_pin_map+0x11e/0x1e0", "i915"},
    {"ttm_bo_kmap+0x108/0x280", "ttm"},
    {"btrfs_alloc_bitmap+0x23/0x40", "btrfs"},
    {"zs_create_pool+0x1f2/0x3a0", "zsmalloc"},
};

static const struct caller ioremap_callers[] = {
    {"acpi_os_map_iomem+0x1ac/0x1e0", NULL}, {"pci_iomap_range+0x6d/0xb0", NULL},
    {"devm_ioremap+0x45/0x80", NULL},        {"memremap+0xa4/0x190", NULL},
    {"pci_ioremap_bar+0x45/0x60", NULL},
};

static const struct caller vmap_callers[] = {
    {"dma_common_contiguous_remap+0x9a/0xd0", NULL},
    {"vmap_pfn+0x32/0x90", NULL},
    {"__i915_gem_object_map+0x2e8/0x3c0", "i915"},
    {"ttm_bo_vmap+0x1a1/0x230", "ttm"},
};

#define PICK(arr) (&(arr)[below(sizeof(arr) / sizeof((arr)[0]))])

/* Pages of a vmalloc-like area: mostly small, a tail of large ones. */
static uint64_t pick_pages(void)
{
	uint64_t r = below(1000);

	if (r < 600)
		return 1 + below(4);
	if (r < 900)
		return 5 + below(60);
	if (r < 990)
		return 64 + below(448);
	return 512 + below(3585);
}

/* Smallest power of two >= x (x > 0). */
static uint64_t pow2_ceil(uint64_t x)
{
	uint64_t p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

static void put_caller(FILE *out, const struct caller *c)
{
	fprintf(out, " %s", c->sym);
	if (c->mod)
		fprintf(out, " [%s]", c->mod);
}

static void put_numa(FILE *out, uint64_t pages)
{
	if (below(3) == 0 && pages > 1) {
		uint64_t n0 = pages / 2;
		fprintf(out, " N0=%" PRIu64 " N1=%" PRIu64, n0, pages - n0);
	} else {
		fprintf(out, " N0=%" PRIu64, pages);
	}
}

/* Writes one area starting at or after *addr; advances *addr past it. */
static void put_area(FILE *out, uint64_t *addr)
{
	uint64_t r = below(100), pages = pick_pages(), start, size;
	const struct caller *c = NULL;
	int kind; /* 0 vmalloc, 1 module, 2 ioremap, 3 vmap, 4 unpurged, 5 ram */

	kind = r < 53 ? 0 : r < 67 ? 1 : r < 84 ? 2 : r < 92 ? 3 : r < 96 ? 4 : 5;
	start = *addr + below(4) * PAGE;
	size = (kind >= 4 ? pages : pages + 1) * PAGE;
	if (kind == 2) {
		uint64_t align = pow2_ceil(pages * PAGE);
		if (align > IOREMAP_MAX_ALIGN)
			align = IOREMAP_MAX_ALIGN;
		start = (start + align - 1) & ~(align - 1);
	}
	fprintf(out, "0x%016" PRIx64 "-0x%016" PRIx64 " %7" PRIu64, start, start + size,
	        size);
	switch (kind) {
	case 0:
	case 1:
		c = kind == 0 ? PICK(vmalloc_callers) : PICK(module_callers);
		put_caller(out, c);
		fprintf(out, " pages=%" PRIu64 " vmalloc%s", pages,
		        pages * 8 > PAGE ? " vpages" : "");
		put_numa(out, pages);
		break;
	case 2:
		put_caller(out, PICK(ioremap_callers));
		fprintf(out, " phys=0x%016" PRIx64 " ioremap",
		        (uint64_t)(0xf0000000ull + below(0x8000000) * PAGE));
		break;
	case 3:
		put_caller(out, PICK(vmap_callers));
		fputs(" vmap", out);
		break;
	case 4:
		fputs(" unpurged vm_area", out);
		break;
	default:
		fputs(" vm_map_ram", out);
		break;
	}
	fputc('\n', out);
	*addr = start + size;
}

static int generate(const char *path, uint64_t lines)
{
	FILE *out = strcmp(path, "-") ? fopen(path, "w") : stdout;
	uint64_t addr = VMALLOC_START;
	static char buf[1 << 20];

	if (!out) {
		fprintf(stderr, "bench-gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	setvbuf(out, buf, _IOFBF, sizeof(buf));
	for (uint64_t i = 0; i < lines; i++)
		put_area(out, &addr);
	if (fflush(out) != 0 || (out != stdout && fclose(out) != 0)) {
		fprintf(stderr, "bench-gen: %s: write error\n", path);
		return 1;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv with stdout+stderr to log; prints wall, peak RSS, status. */
static int measure(const char *log, char **argv)
{
	struct rusage ru;
	int status, fd;
	double t0 = now();
	pid_t pid = fork();

	if (pid < 0) {
		perror("bench-gen: fork");
		return 1;
	}
	if (pid == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("bench-gen: wait4");
		return 1;
	}
	printf("%.3f %ld %d\n", now() - t0, ru.ru_maxrss,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

int main(int argc, char **argv)
{
	char *end;
	uint64_t lines;

	if (argc >= 4 && strcmp(argv[1], "--measure") == 0)
		return measure(argv[2], argv + 3);
	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: bench-gen OUT LINES [SEED]\n"
		                "       bench-gen --measure LOG CMD [ARG...]\n");
		return 2;
	}
	lines = strtoull(argv[2], &end, 10);
	if (*argv[2] == '\0' || *end != '\0') {
		fprintf(stderr, "bench-gen: bad line count '%s'\n", argv[2]);
		return 2;
	}
	if (argc == 4)
		rng_state ^= strtoull(argv[3], NULL, 0) * 0x9e3779b97f4a7c15ull;
	if (rng_state == 0)
		rng_state = 1;
	return generate(argv[1], lines);
}
