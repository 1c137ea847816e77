/*
 * test_parse_lines.c — prefix stripping and noise classification of single
 * lines (src/parse/parse_lines.c), table-driven. Params hold char arrays only
 * (Criterion copies them into a forked child, where pointers would dangle).
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
	char raw[200];
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
#define CA VMS_PFX_CALLER
#define KM VMS_PFX_KMSG
#define LC VMS_PFX_LOGCAT
#define CM VMS_PFX_COMMENT

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
    {"[    0.000000][    T0] Booting", "Booting", TS | VMS_PFX_CALLER, -1, 0, 0},
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
    /* syslog with facility.level, journalctl forms, RFC 5424 */
    {"Nov 30 10:00:01 board kern.warn kernel: [    1.234000] text", "text", SL | TS, -1,
     1.234, 0},
    {"Nov 30 10:00:01 board user.info kernel: text", "text", SL, -1, 0, 0},
    {"Nov 30 10:00:01 kernel: text", "text", SL, -1, 0, 0},
    {"Nov 30 10:00:01.123456 host kernel: precise", "precise", SL, -1, 0, 0},
    {"2026-11-30T10:00:01+0100 host kernel: iso", "iso", SL, -1, 0, 0},
    {"Sun 2026-11-30 10:00:01 CET host kernel: full", "full", SL, -1, 0, 0},
    {"1701342001.123456 host kernel: unix", "unix", SL, -1, 0, 0},
    {"[ 1234.567890] host kernel: monotonic", "monotonic", TS | SL, -1, 1234.56789, 0},
    {"[ 1234.567890 <    0.000123>] host kernel: delta", "delta", TS | SL, -1, 1234.56789,
     0},
    {"<13>1 2026-11-30T10:00:01.5Z host kernel - - - rfc5424", "rfc5424", LL | SL, 5, 0,
     0},
    {"<6>1 2026-11-30T10:00:01Z host kernel 1 - [m x=\"a]b\"] sd", "sd", LL | SL, 6, 0,
     0},
    {"kern  :warn  : [    0.000000] x", "x", LL | TS, 4, 0, 0},
    {"2026-11-30T10:00:01,123456+01:00 iso dmesg", "iso dmesg", TS, -1, 0, 0},
    {"[Nov30 10:00] reltime", "reltime", TS, -1, 0, 0},
    /* logcat -b kernel, /dev/kmsg */
    {"11-30 10:00:01.123     0     0 I         : Booting Linux", "Booting Linux", LC, 6,
     0, 0},
    {"2026-11-30 10:00:01.123     0     0 W healthd : battery", "battery", LC, 4, 0, 0},
    {"11-30 10:00:01.123 E/kernel  (    0): time form", "time form", LC, 3, 0, 0},
    {"I/        (    0): brief form", "brief form", LC, 6, 0, 0},
    {"6,1234,5678901,-;Linux version 4.4", "Linux version 4.4", KM | LL | TS, 6, 5.678901,
     0},
    {"4,77,1000,c,caller=T1;continued", "continued", KM | LL | TS, 4, 0.001, 0},
    /* caller ids and CPU/task tags, with or without a timestamp */
    {"[    T1] caller", "caller", CA, -1, 0, 0},
    {"[  C2] cpu caller", "cpu caller", CA, -1, 0, 0},
    {"[    0.000000] [0:        swapper:    0] samsung", "samsung", TS | CA, -1, 0, 0},
    {"[1:   kworker/u8:2:   123] comm with colon", "comm with colon", CA, -1, 0, 0},
    {"[    0.000000] (0)[0:swapper/0]mediatek", "mediatek", TS | CA, -1, 0, 0},
    {"[    1.234567]-(1)[1:init]dash", "dash", TS | CA, -1, 1.234567, 0},
    {"(0)[0:swapper/0]no ts", "no ts", CA, -1, 0, 0},
    {"[    0.000000,0] comma cpu", "comma cpu", TS, -1, 0, 0},
    /* comments; never the powerpc layout star */
    {"# [    0.000000] shell", "shell", CM | TS, -1, 0, 0},
    {"#[    0.000000] glued", "glued", CM | TS, -1, 0, 0},
    {"// [    0.000000] code", "code", CM | TS, -1, 0, 0},
    {" * 0xf0000000-0xf0002000 8192 a", "0xf0000000-0xf0002000 8192 a", CM, -1, 0, 0},
    {"  * 0xe9000000..0xff115000  : modules", "* 0xe9000000..0xff115000  : modules", IN,
     -1, 0, 2},
    {"#1 SMP PREEMPT", "#1 SMP PREEMPT", 0, -1, 0, 0},
    {"[    0.000000] # not a comment", "# not a comment", TS, -1, 0, 0},
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
    {"[..]", VMS_NOISE_ELISION},
    {"[... 200 lines snipped ...]", VMS_NOISE_ELISION},
    {"(... 12 lines omitted ...)", VMS_NOISE_ELISION},
    {"[200 lines snipped]", VMS_NOISE_ELISION},
    {"--- 8< ---", VMS_NOISE_ELISION},
    {"-----8<-----", VMS_NOISE_ELISION},
    {"-- >8 --", VMS_NOISE_ELISION},
    {"-- cut here --", VMS_NOISE_ELISION},
    {"*snip*", VMS_NOISE_ELISION},
    {"<...>", VMS_NOISE_ELISION},
    {"[\xe2\x80\xa6]", VMS_NOISE_ELISION},
    {"> [...]", VMS_NOISE_ELISION},
    {"------------[ cut here ]------------", -1},
    {"[drm] cut the cord", -1},
    {"[...] and more text", -1},
    {"logcat -b kernel", VMS_NOISE_PROMPT},
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

/* ---- the preparer: normalisation, glued records, context, tails ---------- */

struct prep_case {
	char lines[300]; /* the last line's records are checked */
	unsigned parts;  /* records in the last line */
	unsigned part;   /* the record checked */
	char text[120];
	unsigned prefix;
	int noise;
	unsigned tail;
	unsigned col; /* column of text[0] in the line as read */
};

#define DF VMS_PFX_DIFF
#define GU VMS_PFX_GUTTER
#define PR VMS_TAIL_PROMPT

static struct prep_case prep_cases[] = {
    /* bytes that are not text */
    {"&gt; [    0.000000] Kernel command line: a=&quot;b&quot;", 1, 0,
     "Kernel command line: a=\"b\"", QT | TS, -1, 0, 21},
    {"\x1b[32m[    1.000000] \x1b[0mVirtual kernel memory layout:", 1, 0,
     "Virtual kernel memory layout:", TS, -1, 0, 25},
    {"a&#39;b &#x3e; c &#8230; d &#0; e &amp;gt;", 1, 0,
     "a'b > c \xe2\x80\xa6 d &#0; e &gt;", 0, -1, 0, 1},
    {"\xef\xbb\xbf[    0.000000] Linux\xe2\x80\x8b version 4.4", 1, 0,
     "Linux version 4.4", TS, -1, 0, 19},
    {"\xc2\xa0\xc2\xa0vmalloc : x", 1, 0, "vmalloc : x", IN, -1, 0, 5},
    {"\x1b]0;title\x07\x1b(B[    2.000000] osc", 1, 0, "osc", TS, -1, 0, 29},
    /* records glued into one line */
    {"Kernel command line: root=/dev/sda power_on_threshold=<6>[    0.000000] PID hash",
     2, 0, "Kernel command line: root=/dev/sda power_on_threshold=", 0, -1, 0, 1},
    {"Kernel command line: root=/dev/sda power_on_threshold=<6>[    0.000000] PID hash",
     2, 1, "PID hash", LL | TS, -1, 0, 73},
    {"[    1.000000] foo[    2.000000] bar [    3.000000] baz", 3, 2, "baz", TS, -1, 0,
     53},
    {"[    1.000000] foo [    2.000000@1] bar", 2, 0, "foo", TS, -1, 0, 16},
    /* digits and '>' at the very start are no "<N>": nothing before the line is read */
    {"6>[    1.000000] x", 2, 1, "x", TS, -1, 0, 18},
    {"[    1.000000] took [0.5] s, [ 12.34] more", 1, 0, "took [0.5] s, [ 12.34] more",
     TS, -1, 0, 16},
    {"0xf0000000-0xf0002000 8192 a[    1.000000] b", 1, 0,
     "0xf0000000-0xf0002000 8192 a[    1.000000] b", 0, -1, 0, 1},
    /* line numbers */
    {"12:[    0.000000] Linux version 4.4", 1, 0, "Linux version 4.4", GU | TS, -1, 0,
     19},
    {"12:foo\n13-[    0.000000] bar", 1, 0, "bar", GU | TS, -1, 0, 19},
    {"  123 | [    0.000000] editor", 1, 0, "editor", GU | TS, -1, 0, 24},
    {"  123: text", 1, 0, "text", GU, -1, 0, 8},
    {"     1\t0xf0000000-0xf0002000 8192 a\n     2\t8192 of_iomap", 1, 0, "8192 of_iomap",
     GU, -1, 0, 8},
    {"    57\t8192 not a gutter", 1, 0, "57\t8192 not a gutter", IN, -1, 0, 5},
    {"    57\t[    1.000000] cat -n of a log", 1, 0, "cat -n of a log", GU | TS, -1, 0,
     23},
    {"12:34:56 time", 1, 0, "12:34:56 time", 0, -1, 0, 1},
    {"1:0:0:0: Direct-Access", 1, 0, "1:0:0:0: Direct-Access", 0, -1, 0, 1},
    /* unified diffs */
    {"--- a/x\n+++ b/x", 1, 0, "+++ b/x", 0, VMS_NOISE_DIFF, 0, 1},
    {"@@ -1,2 +1,2 @@\n-[    0.000000] Kernel command line: vmalloc=100M", 1, 0,
     "Kernel command line: vmalloc=100M", DF | TS, VMS_NOISE_DIFF, 0, 17},
    {"@@ -1,2 +1,2 @@\n+0xf0000000-0xf0002000 8192 a", 1, 0,
     "0xf0000000-0xf0002000 8192 a", DF, -1, 0, 2},
    {"@@ -1 +1 @@\n-a\n+b\n+c", 1, 0, "+c", 0, -1, 0, 1},
    {"@@ -1,3 +1,3 @@\n [    1.000000] context\n\n x", 1, 0, "x", DF, -1, 0, 2},
    {"- item\n+ item", 1, 0, "+ item", 0, -1, 0, 1},
    {"--- 8< ---", 1, 0, "--- 8< ---", 0, VMS_NOISE_ELISION, 0, 1},
    /* /dev/kmsg metadata */
    {"6,1,2,-;usb 1-1: new device\n SUBSYSTEM=usb\n DEVICE=c189:1", 1, 0, "DEVICE=c189:1",
     IN, VMS_NOISE_METADATA, 0, 2},
    {" SUBSYSTEM=usb", 1, 0, "SUBSYSTEM=usb", IN, -1, 0, 2},
    /* prompts glued to the end */
    {"0xf0000000-0xf0002000 8192 foo vmalloc root@board:~#", 1, 0,
     "0xf0000000-0xf0002000 8192 foo vmalloc", 0, -1, PR, 1},
    {"[    0.000000] Kernel command line: root=/dev/sda1 $", 1, 0,
     "Kernel command line: root=/dev/sda1", TS, -1, PR, 16},
    {"text [root@anyka ~]$", 1, 0, "text", 0, -1, PR, 1},
    {"a / #", 1, 0, "a", 0, -1, PR, 1},
    {"root@board:~#", 1, 0, "root@board:~#", 0, VMS_NOISE_PROMPT, 0, 1},
    {"cost 5$", 1, 0, "cost 5$", 0, -1, 0, 1},
};

ParameterizedTestParameters(parse_lines, prepares_lines_with_their_context)
{
	return cr_make_param_array(struct prep_case, prep_cases,
	                           sizeof(prep_cases) / sizeof(prep_cases[0]));
}

ParameterizedTest(struct prep_case *c, parse_lines, prepares_lines_with_their_context)
{
	struct vms_prep pp = {0};
	char buf[sizeof(c->lines)];
	const char *s = c->lines;
	uint32_t no = 0;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s), raw_len = n;
		memcpy(buf, s, n);
		buf[n] = '\0';
		unsigned ents, parts = 0;
		struct vms_line ln;
		vms_prep_line(&pp, buf, n, ++no, &ents);
		while (vms_prep_next(&pp, &ln)) {
			cr_assert_eq(ln.part, parts);
			cr_assert_eq(ln.text[ln.len], '\0');
			cr_assert_leq(vms_line_col(&ln, ln.text + ln.len), raw_len + 1);
			if (!nl && parts++ == c->part) {
				cr_assert_str_eq(ln.text, c->text, "'%s'", c->lines);
				cr_assert_eq(ln.prefix, c->prefix, "'%s': prefix %#x",
				             c->lines, ln.prefix);
				cr_assert_eq(vms_line_noise(&ln), c->noise,
				             "'%s': noise %d", c->lines,
				             vms_line_noise(&ln));
				cr_assert_eq(ln.tail, c->tail, "'%s': tail %u", c->lines,
				             ln.tail);
				cr_assert_eq(ln.col, c->col, "'%s': col %u", c->lines,
				             ln.col);
				cr_assert_eq(vms_line_col(&ln, ln.text), ln.col);
			} else if (!nl) {
				continue;
			}
		}
		if (!nl) {
			cr_assert_eq(parts, c->parts, "'%s': %u records", c->lines,
			             parts);
			break;
		}
		s = nl + 1;
	}
	vms_prep_free(&pp);
}

Test(parse_lines, columns_map_back_through_every_normalisation)
{
	struct vms_prep pp = {0};
	char buf[] = "a&gt;b\x1b[1mc&#x26;d\xe2\x80\x8b"
	             "e\xc2\xa0"
	             "f";
	unsigned ents;
	struct vms_line ln;
	cr_assert_eq(vms_prep_line(&pp, buf, strlen(buf), 1, &ents),
	             VMS_NORM_ENTITY | VMS_NORM_ANSI | VMS_NORM_INVISIBLE);
	cr_assert_eq(ents, 2);
	cr_assert(vms_prep_next(&pp, &ln));
	cr_assert_str_eq(ln.text, "a>bc&de  f");
	static const uint32_t want[] = {1, 2, 6, 11, 12, 18, 22, 23, 24, 25};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_assert_eq(vms_line_col(&ln, ln.text + i), want[i], "byte %zu: col %u",
		             i, vms_line_col(&ln, ln.text + i));
	cr_assert_not(vms_prep_next(&pp, &ln));
	vms_prep_free(&pp);
}

/* Three lines of one display width ending in '$' confirm an editor's cut:
 * the third line loses its mark and names the two before it. */
Test(parse_lines, confirms_a_fixed_width_cut_on_evidence)
{
	struct vms_prep pp = {0};
	char line[120];
	struct vms_line ln;
	unsigned ents;
	for (uint32_t no = 1; no <= 5; no++) {
		memset(line, 'a' + (int)no, 79);
		line[0] = 'x';
		line[79] = no == 4 ? '>' : '$';
		line[80] = '\0';
		vms_prep_line(&pp, line, 80, no, &ents);
		cr_assert(vms_prep_next(&pp, &ln));
		cr_assert_eq(pp.width, 80);
		bool cut = no == 3 || no == 5;
		cr_assert_eq(pp.cut_confirmed, cut, "line %u", no);
		cr_assert_eq((ln.tail & VMS_TAIL_CUT) != 0, cut);
		cr_assert_eq(ln.len, cut ? 79 : 80, "line %u: len %zu", no, ln.len);
		cr_assert_eq(pp.cut_prev[0], no == 3 ? 1 : 0);
		cr_assert_eq(pp.cut_prev[1], no == 3 ? 2 : 0);
	}
	cr_assert(vms_prep_is_cut(&pp, 80, '$'));
	cr_assert_not(vms_prep_is_cut(&pp, 80, '>'));
	cr_assert_not(vms_prep_is_cut(&pp, 79, '$'));
	/* narrow lines never count: "<TASK>" and the like */
	char narrow[] = "short$";
	vms_prep_line(&pp, narrow, 6, 6, &ents);
	cr_assert(vms_prep_next(&pp, &ln));
	cr_assert_eq(pp.width, 0);
	vms_prep_free(&pp);
}
