/*
 * parse_ident.c — which kernel and which machine: the kernel version and
 * the arch, from every place a log states them.
 *
 * Version, best source first (a better source replaces a weaker one; among
 * equals the later line wins, as the last boot of a log is the one that
 * matters):
 *
 *   Linux version 4.4.9-v7+ (dc4@host) (gcc version 4.9.3 ...) #884 SMP ...
 *   Linux board 4.9.88 #1 SMP PREEMPT ... armv7l GNU/Linux      (uname -a)
 *   RELEASE: 4.18.0-348.el8.x86_64 (crash's banner: as uname -r; MACHINE: as -m)
 *   CPU: 1 PID: 235 Comm: insmod Not tainted 6.0.0-rc4+ #1      (dump_stack)
 *
 * Arch: every piece of evidence is the SET of arches it allows, and the
 * arch is the one arch left when the sets are intersected, strongest first.
 * Evidence shared by two arches never decides alone: a riscv64 toolchain
 * also builds riscv32 kernels, an x86_64 one i386 kernels, and microblaze
 * printed the powerpc32 layout block word for word. When the sets leave no
 * arch at all the evidence disagrees (two machines' logs in one paste): the
 * arch stays unknown and a note says why. The sources:
 *
 *   rank 6  the release string of Linux version / uname -r ("4.18.0-80.el8.x86_64",
 *           "4.4.9-v7+", "6.2.0-1003-nvidia-64k")
 *   rank 5  the compiler of Linux version ("aarch64-linux-gnu-gcc"), the
 *           machine field of uname -a ("armv7l")
 *   rank 4  the release in a "CPU: ... Not tainted <release>" line
 *   rank 3  call-trace frames (el0t_64_sync, entry_SYSCALL_64, ret_fast_syscall)
 *   rank 2  boot messages only one arch family prints ("CPU: AArch64
 *           Processor", "revision 5 (ARMv7)", "KERNEL supported cpus:",
 *           "Hardware name: Generic DT based system"), the address width
 *           of "[<c010e4a0>]" frame addresses, and arm32's unwinder style
 *           "[<c0018e68>] (unwind_backtrace+0x0/0x11c) from [<c0013a6c>]"
 *   rank 1  the layout block (parse_layout.c: style and region names)
 *
 * arch_source and version_source name the evidence with its line. Cost:
 * O(line) per offered line, a few byte compares for most; at most
 * ARCH_MAX_EVIDENCE distinct pieces of evidence are kept.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "numbers.h"
#include "parse_log.h"
#include "parse_log_int.h"

enum version_rank { VR_NONE = 0, VR_CPU, VR_UNAME, VR_LINUX };
enum { EV_LAYOUT = 1, EV_MARKER, EV_FRAME, EV_CPU, EV_MACHINE, EV_RELEASE };

#define ALL_ARCHES ((1u << VMS_NR_ARCH_BITS) - 1)
#define A2(a, b)   (VMS_ARCH(a) | VMS_ARCH(b))
#define BITS64                                                                           \
	(VMS_ARCH(ARM64) | VMS_ARCH(X86_64) | VMS_ARCH(RISCV64) | VMS_ARCH(PPC64) |      \
	 VMS_ARCH(MIPS))

static const char *const arch_names[VMS_NR_ARCH_BITS] = {
    "arm32", "arm64", "x86_32", "x86_64", "riscv32", "riscv64",    "ppc32",
    "ppc64", "sh",    "mips",   "xtensa", "nds32",   "microblaze",
};

/* ---- tables ----------------------------------------------------------------- */

/* Found in a release string (uname -r) or a compiler name. A compiler for a
 * 64-bit target of a bi-arch family builds the 32-bit kernels too. */
static const struct {
	const char *needle;
	uint32_t release, compiler; /* the sets each place allows */
} needles[] = {
    {"aarch64", VMS_ARCH(ARM64), VMS_ARCH(ARM64)},
    {"arm64", VMS_ARCH(ARM64), VMS_ARCH(ARM64)},
    {"-generic-64k", VMS_ARCH(ARM64), VMS_ARCH(ARM64)},
    {"x86_64", VMS_ARCH(X86_64), A2(X86_64, X86_32)},
    {"amd64", VMS_ARCH(X86_64), A2(X86_64, X86_32)},
    {"i686", VMS_ARCH(X86_32), VMS_ARCH(X86_32)},
    {"i586", VMS_ARCH(X86_32), VMS_ARCH(X86_32)},
    {"i386", VMS_ARCH(X86_32), VMS_ARCH(X86_32)},
    {"riscv64", VMS_ARCH(RISCV64), A2(RISCV64, RISCV32)},
    {"riscv32", VMS_ARCH(RISCV32), VMS_ARCH(RISCV32)},
    {"powerpc64", VMS_ARCH(PPC64), A2(PPC64, PPC32)},
    {"ppc64", VMS_ARCH(PPC64), A2(PPC64, PPC32)},
    {"powerpc", VMS_ARCH(PPC32), A2(PPC32, PPC64)},
    {"ppc", VMS_ARCH(PPC32), A2(PPC32, PPC64)},
    {"sh4-", VMS_ARCH(SH), VMS_ARCH(SH)},
    {"sh-linux", VMS_ARCH(SH), VMS_ARCH(SH)},
    {"mips", VMS_ARCH(MIPS), VMS_ARCH(MIPS)},
    {"arm-linux", VMS_ARCH(ARM32), VMS_ARCH(ARM32)},
    {"arm-none", VMS_ARCH(ARM32), VMS_ARCH(ARM32)},
    {"arm-poky", VMS_ARCH(ARM32), VMS_ARCH(ARM32)},
    {"armv7", VMS_ARCH(ARM32), VMS_ARCH(ARM32)},
    {"armv6", VMS_ARCH(ARM32), VMS_ARCH(ARM32)},
    {"armv5", VMS_ARCH(ARM32), VMS_ARCH(ARM32)},
    {"gnueabi", VMS_ARCH(ARM32), VMS_ARCH(ARM32)},
    {"-v7+", VMS_ARCH(ARM32), VMS_ARCH(ARM32)}, /* Raspberry Pi kernels */
    {"-v7l+", VMS_ARCH(ARM32), VMS_ARCH(ARM32)},
    {"-v6+", VMS_ARCH(ARM32), VMS_ARCH(ARM32)},
    {"sun8i", VMS_ARCH(ARM32), VMS_ARCH(ARM32)},
};

/* uname -m values (exact, or a prefix ending in '*'). */
static const struct {
	const char *machine;
	uint32_t set;
} machines[] = {
    {"x86_64", VMS_ARCH(X86_64)},
    {"amd64", VMS_ARCH(X86_64)},
    {"i386", VMS_ARCH(X86_32)},
    {"i486", VMS_ARCH(X86_32)},
    {"i586", VMS_ARCH(X86_32)},
    {"i686", VMS_ARCH(X86_32)},
    {"aarch64", VMS_ARCH(ARM64)},
    {"arm64", VMS_ARCH(ARM64)},
    {"armv*", VMS_ARCH(ARM32)},
    {"riscv64", VMS_ARCH(RISCV64)},
    {"riscv32", VMS_ARCH(RISCV32)},
    {"ppc64*", VMS_ARCH(PPC64)},
    {"ppc", VMS_ARCH(PPC32)},
    {"mips*", VMS_ARCH(MIPS)},
    {"sh4*", VMS_ARCH(SH)},
    {"xtensa", VMS_ARCH(XTENSA)},
    {"microblaze*", VMS_ARCH(MICROBLAZE)},
};

/* Entry and exception code that only one arch has (or one bi-arch family),
 * as it appears in call traces (exact, or a prefix ending in '*'). */
static const struct {
	const char *fn;
	uint32_t set;
} frames[] = {
    {"el0t_64_sync*", VMS_ARCH(ARM64)},
    {"el0t_64_irq*", VMS_ARCH(ARM64)},
    {"el0_svc*", VMS_ARCH(ARM64)},
    {"do_el0_svc", VMS_ARCH(ARM64)},
    {"el0_sync*", VMS_ARCH(ARM64)},
    {"el0_da", VMS_ARCH(ARM64)},
    {"el1_sync*", VMS_ARCH(ARM64)},
    {"el1h_64_sync*", VMS_ARCH(ARM64)},
    {"el1_abort", VMS_ARCH(ARM64)},
    {"el1_da", VMS_ARCH(ARM64)},
    {"invoke_syscall", VMS_ARCH(ARM64)},
    {"__arm64_sys_*", VMS_ARCH(ARM64)},
    {"entry_SYSCALL_64*", VMS_ARCH(X86_64)},
    {"do_syscall_64", VMS_ARCH(X86_64)},
    {"system_call_fastpath", VMS_ARCH(X86_64)},
    {"__x64_sys_*", VMS_ARCH(X86_64)},
    {"entry_SYSENTER_compat*", VMS_ARCH(X86_64)},
    {"entry_INT80_compat", VMS_ARCH(X86_64)},
    {"entry_SYSENTER_32", VMS_ARCH(X86_32)},
    {"entry_INT80_32", VMS_ARCH(X86_32)},
    {"sysenter_past_esp", VMS_ARCH(X86_32)},
    {"do_int80_syscall_32", A2(X86_32, X86_64)},
    {"do_fast_syscall_32", A2(X86_32, X86_64)},
    {"__ia32_sys_*", A2(X86_32, X86_64)},
    {"ret_fast_syscall", VMS_ARCH(ARM32)},
    {"ret_slow_syscall", VMS_ARCH(ARM32)},
    {"vector_swi", VMS_ARCH(ARM32)},
    {"__irq_svc", VMS_ARCH(ARM32)},
    {"__irq_usr", VMS_ARCH(ARM32)},
    {"__dabt_svc", VMS_ARCH(ARM32)},
    {"__dabt_usr", VMS_ARCH(ARM32)},
    {"__pabt_usr", VMS_ARCH(ARM32)},
    {"__und_svc", VMS_ARCH(ARM32)},
    {"__und_usr", VMS_ARCH(ARM32)},
    {"transfer_to_syscall", VMS_ARCH(PPC32)},
    {"system_call_common", VMS_ARCH(PPC64)},
    {"system_call_vectored_common", VMS_ARCH(PPC64)},
    {"system_call_exception", A2(PPC32, PPC64)},
    {"do_trap_ecall_u", A2(RISCV32, RISCV64)},
};

/* Boot messages at the start of a line that one arch family prints. */
static const struct marker {
	const char *start;
	const char *also; /* must appear too, or NULL */
	bool whole;       /* start must end a word ("ARM" is not "ARM64") */
	uint32_t set;
	const char *what;
} markers[] = {
    {"CPU: AArch64 Processor", NULL, false, VMS_ARCH(ARM64), "arm64 CPU line"},
    {"Boot CPU: AArch64 Processor", NULL, false, VMS_ARCH(ARM64), "arm64 CPU line"},
    {"CPU: ", " revision ", false, VMS_ARCH(ARM32), "arm32 CPU line"}, /* + "(ARMv" */
    {"Booting Linux on physical CPU", NULL, false, A2(ARM32, ARM64), "arm boot line"},
    {"KERNEL supported cpus:", NULL, false, A2(X86_32, X86_64), "x86 CPU list"},
    {"BIOS-provided physical RAM map:", NULL, false, A2(X86_32, X86_64),
     "x86 memory map"},
    {"Xen-provided ", NULL, false, A2(X86_32, X86_64), "x86 Xen memory map"},
    {"Hardware name: Generic DT based system", NULL, false, VMS_ARCH(ARM32),
     "arm32 machine name"},
    {"Using ", " machine description", false, A2(PPC32, PPC64), "powerpc machine line"},
    {"Top of RAM: 0x", NULL, false, A2(PPC32, PPC64), "powerpc memory line"},
    {"Architecture: ARM", NULL, true, VMS_ARCH(ARM32), "U-Boot image header"},
    {"Architecture: AArch64", NULL, true, VMS_ARCH(ARM64), "U-Boot image header"},
};

static bool marker_at(const char *t, const struct marker *m)
{
	size_t sl = strlen(m->start);
	if (strncmp(t, m->start, sl) != 0)
		return false;
	char next = t[sl];
	if (m->whole && ((next >= 'A' && next <= 'Z') || (next >= 'a' && next <= 'z') ||
	                 vms_is_digit(next)))
		return false;
	const char *also = m->also ? strstr(t + sl, m->also) : t;
	if (also && m->set == VMS_ARCH(ARM32) && m->also) /* "revision 5 (ARMv7)" */
		also = strstr(also, " (ARMv");
	return also != NULL;
}

/* ---- evidence ---------------------------------------------------------------- */

static bool name_matches(const char *pattern, const char *s, size_t n)
{
	size_t pl = strlen(pattern);
	if (pattern[pl - 1] == '*')
		return n >= pl - 1 && memcmp(pattern, s, pl - 1) == 0;
	return n == pl && memcmp(pattern, s, n) == 0;
}

/* Adds evidence unless the same set was already seen with this rank. */
static void add_ev(struct vms_logparser *p, uint32_t set, uint8_t rank, uint32_t line,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void add_ev(struct vms_logparser *p, uint32_t set, uint8_t rank, uint32_t line,
                   const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	for (unsigned i = 0; i < p->nr_arch_ev; i++)
		if (p->arch_ev[i].set == set && p->arch_ev[i].rank == rank)
			return;
	if (!set || set == ALL_ARCHES || p->nr_arch_ev == ARCH_MAX_EVIDENCE)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p->arch_ev[p->nr_arch_ev++] = (struct vms_arch_ev){
	    set, rank, line, vms_arena_strdup(&p->d->log->arena, buf)};
}

/* The blank- or parenthesis-delimited word of s around at. */
static void word_around(const char *s, const char *at, const char **w, int *n)
{
	const char *b = at, *e = at;
	while (b > s && !strchr(" \t(),", b[-1]))
		b--;
	while (*e && !strchr(" \t(),", *e))
		e++;
	*w = b;
	*n = (int)(e - b);
}

/* Release or compiler text: the first needle found. */
static void needle_ev(struct vms_logparser *p, const char *s, bool compiler, uint8_t rank,
                      uint32_t line, const char *where)
{
	for (size_t i = 0; s && i < sizeof(needles) / sizeof(needles[0]); i++) {
		const char *at = strstr(s, needles[i].needle), *w;
		int n;
		if (!at)
			continue;
		word_around(s, at, &w, &n);
		add_ev(p, compiler ? needles[i].compiler : needles[i].release, rank, line,
		       "%s line %u: %s %.*s", where, line,
		       compiler ? "compiler" : "release", n > 60 ? 60 : n, w);
		return;
	}
}

/* ---- version ----------------------------------------------------------------- */

/* "4.4.9-v7+" -> 4, 4, 9; a part of more than 6 digits ends the reading. */
static void version_numbers(struct vms_bootlog *log, const char *v)
{
	int *f[3] = {&log->kernel_major, &log->kernel_minor, &log->kernel_patch};
	const char *e = v + strlen(v);
	*f[0] = *f[1] = *f[2] = 0;
	for (int i = 0; i < 3; i++) {
		uint64_t x;
		bool ovf = false;
		size_t nd = vms_scan_dec(v, e, &x, &ovf);
		if (!nd || nd > 6)
			break;
		*f[i] = (int)x;
		v += nd;
		if (*v != '.')
			break;
		v++;
	}
}

/* Takes release[0..n) as the version when rank is at least the current
 * source's. */
static bool set_version(struct vms_logparser *p, uint8_t rank, uint32_t line,
                        const char *release, size_t n, const char *source)
{
	struct vms_bootlog *log = p->d->log;
	if (rank < p->version_rank || !n)
		return false;
	log->version_text = vms_arena_strndup(&log->arena, release, n);
	version_numbers(log, log->version_text);
	log->version_line = line;
	log->version_source = source;
	if (rank != VR_LINUX)
		log->compiler_text = NULL;
	p->version_rank = rank;
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The second top-level "( ... )" group after the version is the compiler. */
static void version_compiler(struct vms_bootlog *log, const char *s)
{
	int group = 0, depth = 0;
	const char *open = NULL;
	log->compiler_text = NULL;
	for (; *s && group < 2; s++) {
		if (*s == '(' && depth++ == 0)
			open = s + 1;
		else if (*s == ')' && depth > 0 && --depth == 0 && ++group == 2)
			break;
		else if (*s == '#' && depth == 0)
			return;
	}
	if (group == 2 || (group == 1 && depth > 0 && open)) {
		const char *e = s; /* the closing ')' or the end of a wrapped line */
		while (e > open && is_blank(e[-1]))
			e--;
		log->compiler_text =
		    vms_arena_strndup(&log->arena, open, (size_t)(e - open));
	}
}

void vms_ident_version(struct vms_logparser *p, uint32_t line, const char *full)
{
	struct vms_bootlog *log = p->d->log;
	const char *v = full + strlen("Linux version ");
	size_t n = strcspn(v, " \t");
	char *src = vms_arena_printf(&log->arena, "Linux version line %u", line);
	if (!set_version(p, VR_LINUX, line, v, n, src))
		return;
	version_compiler(log, v + n);
	needle_ev(p, log->version_text, false, EV_RELEASE, line, "Linux version");
	needle_ev(p, log->compiler_text, true, EV_MACHINE, line, "Linux version");
}

/* "CPU: 1 PID: 235 Comm: insmod Not tainted 6.0.0-rc4+ #1", or with
 * "Tainted: G        W  O      6.2-generic-64k" (flags, then the release). */
static void cpu_line(struct vms_logparser *p, const struct vms_line *ln)
{
	const char *t = ln->text, *r = strstr(t, " PID: ");
	const char *comm = r ? strstr(r, " Comm: ") : NULL;
	if (!comm || !vms_is_digit(t[5]))
		return;
	if ((r = strstr(comm, " Not tainted ")) != NULL) {
		r += strlen(" Not tainted ");
	} else if ((r = strstr(comm, " Tainted: ")) != NULL) {
		for (r += strlen(" Tainted: "); (*r >= 'A' && *r <= 'Z') || *r == ' ';)
			r++; /* taint flags */
	}
	if (!r || !vms_is_digit(*r))
		return;
	size_t n = strcspn(r, " \t");
	char *src = vms_arena_printf(
	    &p->d->log->arena, "task line \"CPU: ... Comm: ...\" at line %u", ln->no);
	char *rel = vms_arena_strndup(&p->d->log->arena, r, n);
	set_version(p, VR_CPU, ln->no, r, n, src);
	needle_ev(p, rel, false, EV_CPU, ln->no, "task");
}

/* "Linux board 4.9.88 #1 SMP PREEMPT Mon Jan 1 00:00:00 UTC 2018 armv7l
 * GNU/Linux": host, release, "#...", and the machine among the last words. */
int vms_ident_uname(struct vms_logparser *p, const struct vms_line *ln)
{
	const char *t = ln->text, *host, *rel, *w;
	if (strncmp(t, "Linux ", 6) != 0 || strncmp(t, "Linux version ", 14) == 0)
		return LOG_NOT_MINE;
	host = t + 6;
	rel = host + strcspn(host, " \t");
	rel += strspn(rel, " \t");
	size_t n = strcspn(rel, " \t");
	w = rel + n + strspn(rel + n, " \t");
	if (rel == host || !vms_is_digit(*rel) || !memchr(rel, '.', n) || *w != '#' ||
	    !vms_is_digit(w[1]))
		return LOG_NOT_MINE; /* the build number: "#1 SMP", "#101-Ubuntu" */
	char *src = vms_arena_printf(&p->d->log->arena, "uname -a at line %u", ln->no);
	set_version(p, VR_UNAME, ln->no, rel, n, src);
	for (; *w; w += strspn(w, " \t")) {
		size_t wn = strcspn(w, " \t");
		for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
			if (name_matches(machines[i].machine, w, wn))
				add_ev(p, machines[i].set, EV_MACHINE, ln->no,
				       "uname -a at line %u: machine %.*s", ln->no,
				       (int)wn, w);
		w += wn;
	}
	return VMS_LINE_PARSED;
}

/* ---- other evidence ---------------------------------------------------------- */

static void frame_ev(struct vms_logparser *p, const struct vms_line *ln)
{
	const char *sym[2], *t = ln->text;
	size_t n[2];
	int k = vms_frame_functions(t, sym, n);
	for (int i = 0; i < k; i++)
		for (size_t j = 0; j < sizeof(frames) / sizeof(frames[0]); j++)
			if (name_matches(frames[j].fn, sym[i], n[i]))
				add_ev(p, frames[j].set, EV_FRAME, ln->no,
				       "call trace frame %.*s at line %u",
				       (int)(n[i] > 60 ? 60 : n[i]), sym[i], ln->no);
	if (k && t[0] == '[' && t[1] == '<') { /* "[<c010e4a0>]": the address width */
		size_t nd = strspn(t + 2, "0123456789abcdefABCDEF");
		/* "[<c0018e68>] (unwind_backtrace+0x0/0x11c) from [<c0013a6c>] ...":
		 * arm32's dump_backtrace_entry() prints caller and callee this way
		 * (a print style, like the width: a marker, not a frame's rank) */
		if (strstr(t, ") from [<") || strstr(t, ") from ("))
			add_ev(p, VMS_ARCH(ARM32), EV_MARKER, ln->no,
			       "arm32 unwinder frame \"(%.*s) from [<...>]\" at line %u",
			       (int)(n[0] > 60 ? 60 : n[0]), sym[0], ln->no);
		if (t[2 + nd] == '>' && (nd == 8 || nd == 16))
			add_ev(p, nd == 16 ? BITS64 : ALL_ARCHES & ~BITS64, EV_MARKER,
			       ln->no,
			       "call trace addresses of %zu hex digits at line %u", nd,
			       ln->no);
	}
}

/* How much of a marker line to quote: all of it up to 48 bytes, else up to the
 * last blank before that (never inside a word or a UTF-8 character). */
static int excerpt_len(const char *t, bool *clipped)
{
	size_t n = strlen(t), k;
	*clipped = n > 48;
	if (!*clipped)
		return (int)n;
	k = vms_utf8_clip(t, n, 48);
	for (size_t j = k; j > 24; j--)
		if (t[j] == ' ') {
			k = j;
			break;
		}
	return (int)k;
}

/* crash's banner, printed when it opens a vmcore (and by its "sys"):
 *       RELEASE: 4.18.0-348.el8.x86_64
 *       MACHINE: x86_64  (2095 Mhz)
 * the release as uname -r gives it, the machine as uname -m. */
static void crash_banner(struct vms_logparser *p, const char *t, uint32_t line)
{
	t += strspn(t, " \t");
	bool rel = strncmp(t, "RELEASE: ", 9) == 0,
	     mach = strncmp(t, "MACHINE: ", 9) == 0;
	if (!rel && !mach)
		return;
	t += 9;
	t += strspn(t, " \t");
	size_t n = strcspn(t, " \t");
	if (rel && vms_is_digit(*t) && memchr(t, '.', n)) {
		char *src = vms_arena_printf(
		    &p->d->log->arena, "crash's banner \"RELEASE:\" at line %u", line);
		set_version(p, VR_UNAME, line, t, n, src);
		needle_ev(p, vms_arena_strndup(&p->d->log->arena, t, n), false,
		          EV_RELEASE, line, "crash's RELEASE");
	} else if (mach) {
		for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
			if (name_matches(machines[i].machine, t, n))
				add_ev(p, machines[i].set, EV_MACHINE, line,
				       "crash's banner at line %u: MACHINE %.*s", line,
				       (int)n, t);
	}
}

void vms_ident_evidence(struct vms_logparser *p, const struct vms_line *ln)
{
	const char *t = ln->text;
	crash_banner(p, t, ln->no);
	for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
		if (marker_at(t, &markers[i])) {
			bool clipped;
			int n = excerpt_len(t, &clipped);
			add_ev(p, markers[i].set, EV_MARKER, ln->no,
			       "%s \"%.*s%s\" at line %u", markers[i].what, n, t,
			       clipped ? " ..." : "", ln->no);
		}
	if (strncmp(t, "CPU: ", 5) == 0)
		cpu_line(p, ln);
	else if (strstr(t, "+0x") || (t[0] == '[' && t[1] == '<'))
		frame_ev(p, ln);
}

/* ---- the verdict ------------------------------------------------------------- */

static uint32_t single(uint32_t set)
{
	return set && !(set & (set - 1));
}

static const char *arch_name(uint32_t set)
{
	for (int i = 0; i < VMS_NR_ARCH_BITS; i++)
		if (set == 1u << i)
			return arch_names[i];
	return NULL;
}

const char *vms_machine_arch(const char *machine)
{
	size_t n = strlen(machine);
	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		if (name_matches(machines[i].machine, machine, n))
			return arch_name(machines[i].set);
	return NULL;
}

const char *vms_ident_hint(const struct vms_logparser *p)
{
	uint32_t set = ALL_ARCHES;
	for (unsigned i = 0; i < p->nr_arch_ev; i++)
		set &= p->arch_ev[i].set;
	if (single(set))
		return arch_name(set);
	if (set && !(set & ~A2(RISCV32, RISCV64)))
		return "riscv";
	return NULL;
}

/* Evidence in rank order (stable); returns how many. */
static unsigned ranked(const struct vms_logparser *p, const struct vms_arch_ev **out)
{
	unsigned n = 0;
	for (int r = EV_RELEASE; r >= EV_LAYOUT; r--)
		for (unsigned i = 0; i < p->nr_arch_ev; i++)
			if (p->arch_ev[i].rank == r)
				out[n++] = &p->arch_ev[i];
	return n;
}

/* Names the arches of set ("riscv64 or riscv32") into buf. */
static const char *set_names(uint32_t set, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < VMS_NR_ARCH_BITS; i++)
		if (set & (1u << i))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			         buf[0] ? " or " : "", arch_names[i]);
	return buf;
}

static void conflict(struct vms_logparser *p, const struct vms_arch_ev *a,
                     uint32_t before)
{
	char x[96], y[96];
	vms_dump_diag(p->d, a->line, 0, VMS_SEV_NOTE, "arch-conflict",
	              "%s says %s, but the evidence before it says %s: the arch is left "
	              "unknown",
	              a->what, set_names(a->set, x, sizeof(x)),
	              set_names(before, y, sizeof(y)));
}

void vms_ident_finish(struct vms_logparser *p)
{
	struct vms_bootlog *log = p->d->log;
	const char *why = NULL;
	const struct vms_arch_ev *ev[ARCH_MAX_EVIDENCE];
	uint32_t layout = vms_layout_archs(log, &why);
	if (why)
		add_ev(p, layout, EV_LAYOUT,
		       log->layout_line ? log->layout_line : log->regions.v[0].line,
		       "layout block (%s) at line %u", why,
		       log->layout_line ? log->layout_line : log->regions.v[0].line);
	unsigned n = ranked(p, ev), used = 0;
	const struct vms_arch_ev *narrowed[ARCH_MAX_EVIDENCE];
	uint32_t set = ALL_ARCHES;
	for (unsigned i = 0; i < n && set; i++) {
		if (!(set & ev[i]->set)) {
			if (!p->arch_conflict)
				conflict(p, ev[i], set);
			p->arch_conflict = true;
			set = 0;
		} else if ((set & ev[i]->set) != set) {
			set &= ev[i]->set;
			narrowed[used++] = ev[i];
		}
	}
	log->arch_hint = single(set) ? arch_name(set) : NULL;
	log->arch_source = NULL;
	for (unsigned i = 0; log->arch_hint && i < used; i++)
		log->arch_source =
		    log->arch_source
		        ? vms_arena_printf(&log->arena, "%s; %s", log->arch_source,
		                           narrowed[i]->what)
		        : narrowed[i]->what;
}
