/*
 * test_parse_cmdline.c — the one kernel command-line reader
 * (vms_cmdline_parse, src/parse/log/parse_cmdline.c), table-driven: word
 * splitting and quotes as the kernel's next_arg(), the last value wins,
 * memparse() values, mem= start addresses, the "--" end of kernel
 * parameters, and the first bad word with its reason. Params hold char
 * arrays only (Criterion copies them into a forked child, where pointers
 * would dangle).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "vmscope/parse.h"

struct cl_case {
	char text[160];
	bool has_vmalloc;
	uint64_t vmalloc;
	char vmalloc_text[24];
	bool has_mem;
	uint64_t mem;
	bool has_start;
	uint64_t start;
	char cma[24];
	unsigned bad;      /* bad values */
	char bad_word[40]; /* the first bad word as written */
	char reason[24];   /* a word of its reason */
};

#define M(x) ((uint64_t)(x) << 20)

static struct cl_case cl_cases[] = {
    {"console=ttyS0 vmalloc=300M root=/dev/sda1", true, M(300), "300M", false, 0, false,
     0, "", 0, "", ""},
    {"vmalloc=100M vmalloc=0x10000000", true, 0x10000000, "0x10000000", false, 0, false,
     0, "", 0, "", ""},
    {"vmalloc=0400M", true, M(256), "0400M", false, 0, false, 0, "", 0, "", ""},
    {"vmalloc=1e", true, 1ull << 60, "1e", false, 0, false, 0, "", 0, "", ""},
    {"\"vmalloc=256m\" quiet", true, M(256), "256m", false, 0, false, 0, "", 0, "", ""},
    {"vmalloc=\"512K\" foo=\"a b vmalloc=1M\"", true, 512 << 10, "512K", false, 0, false,
     0, "", 0, "", ""},
    {"mem=128m@0xc0000000 cma=16M@0x0", false, 0, "", true, M(128), true, 0xc0000000,
     "16M@0x0", 0, "", ""},
    {"mem=4G$0x100000000 mem=2G", false, 0, "", true, 2ull << 30, false, 0, "", 0, "",
     ""},
    {"mem=64M#0x1000", false, 0, "", true, M(64), true, 0x1000, "", 0, "", ""},
    {"mem=nopentium", false, 0, "", false, 0, false, 0, "", 0, "", ""},
    {"vmalloc=300M -- vmalloc=1M mem=1M", true, M(300), "300M", false, 0, false, 0, "", 0,
     "", ""},
    {"vmalloc=lots mem=", false, 0, "", false, 0, false, 0, "", 2, "vmalloc=lots",
     "number"},
    {"vmalloc=100M vmalloc=lots", false, 0, "", false, 0, false, 0, "", 1, "vmalloc=lots",
     "number"},
    {"vmalloc=300MB", true, M(300), "300MB", false, 0, false, 0, "", 1, "vmalloc=300MB",
     "ignores"},
    {"mem=99999999999999999999", false, 0, "", false, 0, false, 0, "", 1,
     "mem=99999999999999999999", "64 bits"},
    {"vmalloc=16E", false, 0, "", false, 0, false, 0, "", 1, "vmalloc=16E", "64 bits"},
    {"mem=128M@zz", false, 0, "", true, M(128), false, 0, "", 1, "mem=128M@zz", "start"},
    {"mem=1G@0xffffffffffffffffff", false, 0, "", true, M(1024), false, 0, "", 1,
     "mem=1G@0xffffffffffffffffff", "64 bits"},
    {"vmalloc mem root=/dev/sda =vmalloc=1M", false, 0, "", false, 0, false, 0, "", 0, "",
     ""},
    {"", false, 0, "", false, 0, false, 0, "", 0, "", ""},
};

ParameterizedTestParameters(parse_cmdline, reads_values_as_the_kernel_does)
{
	return cr_make_param_array(struct cl_case, cl_cases,
	                           sizeof(cl_cases) / sizeof(cl_cases[0]));
}

ParameterizedTest(struct cl_case *c, parse_cmdline, reads_values_as_the_kernel_does)
{
	struct vms_arena ar = {0};
	struct vms_cmdline cl = {.line = 7, .from_uboot = true};
	struct vms_cmdline_bad bad;
	int rc = vms_cmdline_parse(c->text, strlen(c->text), &ar, &cl, &bad);
	cr_assert_str_eq(cl.text, c->text);
	cr_assert_eq(cl.line, 7);
	cr_assert(cl.from_uboot);
	cr_assert_eq(cl.has_vmalloc, c->has_vmalloc, "%s", c->text);
	cr_assert_eq(cl.vmalloc, c->has_vmalloc ? c->vmalloc : cl.vmalloc);
	cr_assert_str_eq(cl.has_vmalloc ? cl.vmalloc_text : "", c->vmalloc_text);
	cr_assert_eq(cl.has_mem, c->has_mem, "%s", c->text);
	cr_assert_eq(cl.mem, c->has_mem ? c->mem : cl.mem, "%s: mem %#llx", c->text,
	             (unsigned long long)cl.mem);
	cr_assert_eq(cl.has_mem_start, c->has_start);
	cr_assert_eq(cl.mem_start, c->has_start ? c->start : cl.mem_start);
	cr_assert_str_eq(cl.cma_text ? cl.cma_text : "", c->cma);
	cr_assert_eq(bad.count, c->bad, "%s: %u bad", c->text, bad.count);
	cr_assert_eq(rc, c->bad ? -VMS_EINVAL : 0);
	if (c->bad) {
		cr_assert_eq(bad.len, strlen(c->bad_word));
		cr_assert_eq(memcmp(c->text + bad.off, c->bad_word, bad.len), 0);
		cr_assert_not_null(strstr(bad.reason, c->reason), "%s: reason '%s'",
		                   c->text, bad.reason);
	}
	vms_arena_free(&ar);
}

Test(parse_cmdline, counts_mem_banks_and_works_without_a_result)
{
	struct vms_arena ar = {0};
	struct vms_cmdline cl = {0};
	const char *t = "mem=64M@0x0 mem=64M@0x8000000 vmalloc=x";
	cr_assert_eq(vms_cmdline_parse(t, strlen(t), &ar, &cl, NULL), -VMS_EINVAL);
	cr_assert_eq(cl.nr_mem, 2);
	cr_assert_eq(cl.mem_start, 0x8000000);
	cr_assert_str_eq(cl.mem_text, "64M@0x8000000");
	cr_assert_not(cl.has_vmalloc);
	vms_arena_free(&ar);
}

Test(parse_cmdline, reads_only_len_bytes)
{
	struct vms_arena ar = {0};
	struct vms_cmdline cl = {0};
	const char *t = "vmalloc=256M vmalloc=1M";
	cr_assert_eq(vms_cmdline_parse(t, 12, &ar, &cl, NULL), 0);
	cr_assert_eq(cl.vmalloc, M(256));
	cr_assert_str_eq(cl.text, "vmalloc=256M");
	vms_arena_free(&ar);
}
