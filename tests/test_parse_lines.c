/*
 * test_parse_lines.c — prefix stripping and noise classification of single
 * lines (src/parse/parse_lines.c), table-driven. Params hold char arrays only
 * (Criterion copies them into a forked child: no pointers, toolchain.md §5).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse_lines.h"

static struct vms_line strip(const char *raw)
{
	struct vms_line ln = {.raw = raw, .raw_len = strlen(raw), .no = 1};
	vms_line_strip(&ln);
	return ln;
}

/* ---- stripping ------------------------------------------------------------ */

struct strip_case {
	char raw[160];
	char text[120];
	unsigned prefix;
	int loglevel;
	double timestamp;
	unsigned indent;
};

#define LL VMS_PFX_LOGLEVEL
#define TS VMS_PFX_TIMESTAMP
#define SL VMS_PFX_SYSLOG
#define QT VMS_PFX_QUOTE
#define IN VMS_PFX_INDENT

static struct strip_case strip_cases[] = {
    {"0xf0000000-0xf0002000 8192 foo+0x0/0x10", "0xf0000000-0xf0002000 8192 foo+0x0/0x10",
     0, -1, 0, 0},
    {"[    0.000000] Virtual kernel memory layout:", "Virtual kernel memory layout:", TS,
     -1, 0, 0},
    {"[    0.000000]     vector  : 0xffff0000", "vector  : 0xffff0000", TS | IN, -1, 0,
     4},
    {"[0.000000]Linux version 4.4", "Linux version 4.4", TS, -1, 0, 0},
    {"[  123.456789] usb 1-1: new", "usb 1-1: new", TS, -1, 123.456789, 0},
    {"[    1.170000@0] init: x", "init: x", TS, -1, 1.17, 0},
    {"[    1.170000] ", "", TS, -1, 1.17, 0},
    {"[   64.242492]", "", TS, -1, 64.242492, 0},
    {"[  +0.000123] delta", "delta", TS, -1, 0.000123, 0},
    {"[    0.000000][    T0] Booting", "Booting", TS, -1, 0, 0},
    {"[Mon Jan  1 00:00:00 2023] Memory: 1K", "Memory: 1K", TS, -1, 0, 0},
    {"<5>[    0.000000] Kernel command line: x", "Kernel command line: x", LL | TS, 5, 0,
     0},
    {"<6>Linux version 3.18", "Linux version 3.18", LL, 6, 0, 0},
    {"<4>", "", LL, 4, 0, 0},
    {"<14>kernel: x", "x", LL | SL, 6, 0, 0},
    {"Jan  1 00:00:00 host kernel: [    5.000000] vmap allocation", "vmap allocation",
     SL | TS, -1, 5, 0},
    {"Feb 13 12:01:02 my-host.lan kernel: Memory: 5K", "Memory: 5K", SL, -1, 0, 0},
    {"2023-01-01T00:00:00.123456+00:00 host kernel: Call trace:", "Call trace:", SL, -1,
     0, 0},
    {"2023-01-01 00:00:00 host kernel: x", "x", SL, -1, 0, 0},
    {"kernel: Linux version 6.1", "Linux version 6.1", SL, -1, 0, 0},
    {"> 0xc0000000-0xc0002000 8192 x", "0xc0000000-0xc0002000 8192 x", QT, -1, 0, 0},
    {">> foo", "foo", QT, -1, 0, 0},
    {"> > foo", "foo", QT, -1, 0, 0},
    {">>   [   64.242515] Call trace:", "Call trace:", QT | TS, -1, 64.242515, 0},
    {">>   [   64.242516]  dump_backtrace+0xe0/0x130", "dump_backtrace+0xe0/0x130",
     QT | TS | IN, -1, 64.242516, 1},
    {">    indented", "indented", QT | IN, -1, 0, 3},
    {"                   vector  : 0xffff0000", "vector  : 0xffff0000", IN, -1, 0, 19},
    {"\t\tpages=2", "pages=2", IN, -1, 0, 2},
    {"\xc2\xa0\xc2\xa0 vector", "vector", IN, -1, 0, 3},
    {"  [    0.5] x", "x", TS, -1, 0.5, 0},
    {"[...]", "[...]", 0, -1, 0, 0},
    {"[root@anyka ~]$ dmesg", "[root@anyka ~]$ dmesg", 0, -1, 0, 0},
    {"[<c0012345>] (foo) from [<c0012346>] (bar)",
     "[<c0012345>] (foo) from [<c0012346>] (bar)", 0, -1, 0, 0},
    {"[drm] Initialized", "[drm] Initialized", 0, -1, 0, 0},
    {"<snip>", "<snip>", 0, -1, 0, 0},
    {"<TASK>", "<TASK>", 0, -1, 0, 0},
    {"<999>x", "<999>x", 0, -1, 0, 0},
    {"[ 99999999999999.5] x", "[ 99999999999999.5] x", 0, -1, 0, 0},
    {"March 1 text", "March 1 text", 0, -1, 0, 0},
    {"", "", 0, -1, 0, 0},
};

ParameterizedTestParameters(parse_lines, strips_console_and_paste_prefixes)
{
	return cr_make_param_array(struct strip_case, strip_cases,
	                           sizeof(strip_cases) / sizeof(strip_cases[0]));
}

ParameterizedTest(struct strip_case *c, parse_lines, strips_console_and_paste_prefixes)
{
	struct vms_line ln = strip(c->raw);
	cr_assert_str_eq(ln.text, c->text, "raw '%s'", c->raw);
	cr_assert_eq(ln.len, strlen(c->text), "raw '%s'", c->raw);
	cr_assert_eq(ln.prefix, c->prefix, "raw '%s': prefix %#x, want %#x", c->raw,
	             ln.prefix, c->prefix);
	cr_assert_eq(ln.loglevel, c->loglevel, "raw '%s'", c->raw);
	cr_assert_eq(ln.indent, c->indent, "raw '%s': indent %u", c->raw, ln.indent);
	cr_assert_eq(ln.col, (uint32_t)(ln.text - ln.raw) + 1);
	if (c->prefix & TS)
		cr_assert(fabs(ln.timestamp - c->timestamp) < 1e-9, "raw '%s': ts %f",
		          c->raw, ln.timestamp);
}

Test(parse_lines, dump_line_is_returned_unchanged_at_column_one)
{
	struct vms_line ln = strip("0x0-0x1 1");
	cr_assert_eq(ln.text, ln.raw);
	cr_assert_eq(ln.col, 1);
	cr_assert_eq(ln.prefix, 0);
}

Test(parse_lines, hostile_long_line_is_stripped_in_bounded_time)
{
	size_t n = 10u << 20;
	char *raw = malloc(n + 1);
	memset(raw, '<', n);
	raw[n] = '\0';
	for (size_t i = 0; i + 3 <= n; i += 3)
		memcpy(raw + i, "<1>", 3);
	struct vms_line ln = strip(raw);
	cr_assert(ln.prefix & VMS_PFX_LOGLEVEL);
	cr_assert_eq(ln.text[ln.len], '\0');
	cr_assert_eq(vms_line_noise(&ln), ln.len ? -1 : VMS_NOISE_TIMESTAMP);
	memset(raw, '/', n);
	ln = strip(raw);
	cr_assert_eq(ln.len, n);
	cr_assert_eq(vms_line_noise(&ln), -1);
	free(raw);
}

/* ---- noise ---------------------------------------------------------------- */

struct noise_case {
	char raw[120];
	int kind;
};

static struct noise_case noise_cases[] = {
    {"", VMS_NOISE_BLANK},
    {"   \t", VMS_NOISE_BLANK},
    {">", VMS_NOISE_BLANK},
    {"[    0.000000] ", VMS_NOISE_TIMESTAMP},
    {"<5>[    0.000000]", VMS_NOISE_TIMESTAMP},
    {"Jan  1 00:00:00 host kernel: ", VMS_NOISE_TIMESTAMP},
    {"```", VMS_NOISE_FENCE},
    {"```text", VMS_NOISE_FENCE},
    {"``` console", VMS_NOISE_FENCE},
    {"~~~", VMS_NOISE_FENCE},
    {"root@granite2:~# cat /proc/vmallocinfo", VMS_NOISE_PROMPT},
    {"/ # cat /proc/vmallocinfo", VMS_NOISE_PROMPT},
    {"[root@anyka ~]$ dmesg", VMS_NOISE_PROMPT},
    {"otrv5:~# grep alloc_large_system_hash /proc/vmallocinfo", VMS_NOISE_PROMPT},
    {"root@localhost:~# cat /proc/vmallocinfo | more", VMS_NOISE_PROMPT},
    {"$ dmesg", VMS_NOISE_PROMPT},
    {"# cat /proc/vmallocinfo", VMS_NOISE_PROMPT},
    {"cat /proc/vmallocinfo", VMS_NOISE_PROMPT},
    {"> cat /proc/vmallocinfo", VMS_NOISE_PROMPT},
    {"sudo cat /proc/vmallocinfo", VMS_NOISE_PROMPT},
    {"dmesg", VMS_NOISE_PROMPT},
    {"dmesg | grep -i vmalloc", VMS_NOISE_PROMPT},
    {"sh-4.2# cat /proc/vmallocinfo", VMS_NOISE_PROMPT},
    {"user@host ~ $ dmesg", VMS_NOISE_PROMPT},
    {"=> mmc rescan ; fatload mmc 0:2 0x80200000 uImage", VMS_NOISE_PROMPT},
    {"root@granite2:~#", VMS_NOISE_PROMPT},
    {"...", VMS_NOISE_ELISION},
    {"\xe2\x80\xa6", VMS_NOISE_ELISION},
    {"[...]", VMS_NOISE_ELISION},
    {"[ ... ]", VMS_NOISE_ELISION},
    {"<snip>", VMS_NOISE_ELISION},
    {"-- snip --", VMS_NOISE_ELISION},
    {"[snip]", VMS_NOISE_ELISION},
    {"    ...", VMS_NOISE_ELISION},
    {"0xf0000000-0xf0002000 8192 foo", -1},
    {"0x...-0x... cat /proc/vmallocinfo", -1},
    {"Linux version 4.4.9-v7+ (dc4@dc4-XPS13-9333) (gcc version 4.9.3)", -1},
    {"#1 SMP PREEMPT Sun Sep 2 02:32:16 CEST 2018", -1},
    {"more than 300 entries follow", -1},
    {"CPU: 32 PID: 2910 Comm: systemd-udevd", -1},
    {"ACPI: $foo", -1},
    {"... MOUNT_ROOT_RDONLY - 00000000", -1},
    {"vmalloc : 0xf0000000 - 0xff000000 (240 MB)", -1},
    {"Kernel command line: root=/dev/sda1 #", -1},
    {"cat: /proc/vmallocinfo: Permission denied", -1},
};

ParameterizedTestParameters(parse_lines, classifies_noise)
{
	return cr_make_param_array(struct noise_case, noise_cases,
	                           sizeof(noise_cases) / sizeof(noise_cases[0]));
}

ParameterizedTest(struct noise_case *c, parse_lines, classifies_noise)
{
	struct vms_line ln = strip(c->raw);
	cr_assert_eq(vms_line_noise(&ln), c->kind, "raw '%s': got %d, want %d", c->raw,
	             vms_line_noise(&ln), c->kind);
}

Test(parse_lines, init_is_idempotent)
{
	vms_lines_init();
	vms_lines_init();
	struct vms_line ln = strip("```");
	cr_assert_eq(vms_line_noise(&ln), VMS_NOISE_FENCE);
}
