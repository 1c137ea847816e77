/*
 * parse_meminfo.c — the /proc/meminfo lines a paste often carries beside a
 * dump. Four are facts about the vmalloc space, kept with their line in
 * log->meminfo:
 *
 *   VmallocTotal:   34359738367 kB      (VMALLOC_END - VMALLOC_START) >> 10
 *   VmallocUsed:       41764 kB         what the era made of it (docs/kernel.md)
 *   VmallocChunk:     829276 kB         the largest hole (<= 4.3), else 0
 *   Percpu:              808 kB         populated per-cpu pages (4.19+)
 *
 * Every other line of the file ("MemTotal:  1019732 kB", "HugePages_Total:
 * 0") is known noise (vms_meminfo_noise()), so it is neither a fact nor
 * unread prose. A line is "Key:" with any blanks before a decimal number
 * and an optional unit "kB"; the kernel pads with spaces, pastes use tabs
 * or none at all, and CR line ends are dropped. A value too large for the
 * kernel to print (2^54 kB or more) is a warning and is not kept.
 * Cost: O(line length) per line, one table scan for noise.
 */
#include <stdbool.h>
#include <string.h>

#include "numbers.h"
#include "parse_log.h"
#include "parse_log_int.h"

/* The lines of /proc/meminfo that are no facts of ours (all eras). */
static const char *const noise_keys[] = {
    "MemTotal",
    "MemFree",
    "MemAvailable",
    "MemShared",
    "Buffers",
    "Cached",
    "SwapCached",
    "Active",
    "Inactive",
    "Active(anon)",
    "Inactive(anon)",
    "Active(file)",
    "Inactive(file)",
    "Unevictable",
    "Mlocked",
    "HighTotal",
    "HighFree",
    "LowTotal",
    "LowFree",
    "MmapCopy",
    "SwapTotal",
    "SwapFree",
    "Zswap",
    "Zswapped",
    "Dirty",
    "Writeback",
    "AnonPages",
    "Mapped",
    "Shmem",
    "KReclaimable",
    "Slab",
    "SReclaimable",
    "SUnreclaim",
    "KernelStack",
    "ShadowCallStack",
    "PageTables",
    "SecPageTables",
    "Quicklists",
    "NFS_Unstable",
    "Bounce",
    "WritebackTmp",
    "CommitLimit",
    "Committed_AS",
    "HardwareCorrupted",
    "AnonHugePages",
    "ShmemHugePages",
    "ShmemPmdMapped",
    "FileHugePages",
    "FilePmdMapped",
    "CmaTotal",
    "CmaFree",
    "Unaccepted",
    "Balloon",
    "GPUActive",
    "GPUReclaim",
    "EarlyMemtestBad",
    "HugePages_Total",
    "HugePages_Free",
    "HugePages_Rsvd",
    "HugePages_Surp",
    "Hugepagesize",
    "Hugetlb",
    "DirectMap4k",
    "DirectMap2M",
    "DirectMap4M",
    "DirectMap1G",
};

/* The facts, in struct vms_meminfo order. */
static const char *const fact_keys[] = {"VmallocTotal", "VmallocUsed", "VmallocChunk",
                                        "Percpu"};
enum { NR_FACTS = 4 };

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Length of the "Key:" word at t (the colon excluded), 0 when t does not
 * start with one. */
static size_t key_len(const char *t)
{
	size_t n = 0;
	while (t[n] && t[n] != ':' && !blank(t[n]))
		n++;
	return n && t[n] == ':' ? n : 0;
}

/* Reads " N kB" after the colon at s: true when the rest of the line is
 * exactly that (the unit optional); *at is the number, *ovf set when it
 * does not fit 64 bits. */
static bool value_of(const char *s, uint64_t *v, const char **at, bool *ovf)
{
	while (blank(*s))
		s++;
	if (!vms_is_digit(*s))
		return false;
	*at = s;
	*ovf = false;
	s += vms_scan_dec(s, s + strlen(s), v, ovf);
	while (blank(*s))
		s++;
	if ((s[0] == 'k' || s[0] == 'K') && (s[1] == 'B' || s[1] == 'b'))
		s += 2;
	while (blank(*s))
		s++;
	return *s == '\0';
}

bool vms_meminfo_noise(const struct vms_line *ln)
{
	size_t n = key_len(ln->text);
	uint64_t v;
	const char *at;
	bool ovf;
	if (!n || !value_of(ln->text + n + 1, &v, &at, &ovf))
		return false;
	for (size_t i = 0; i < sizeof(noise_keys) / sizeof(noise_keys[0]); i++)
		if (strlen(noise_keys[i]) == n && memcmp(noise_keys[i], ln->text, n) == 0)
			return true;
	return false;
}

int vms_meminfo_line(struct vms_logparser *p, const struct vms_line *ln)
{
	size_t n = key_len(ln->text);
	int k = -1;
	for (int i = 0; n && i < NR_FACTS && k < 0; i++)
		if (strlen(fact_keys[i]) == n && memcmp(fact_keys[i], ln->text, n) == 0)
			k = i;
	uint64_t v;
	const char *at;
	bool ovf;
	if (k < 0 || !value_of(ln->text + n + 1, &v, &at, &ovf))
		return LOG_NOT_MINE;
	if (ovf || v >= (1ull << 54)) {
		size_t digits = strspn(at, "0123456789");
		digits = digits > 24 ? 24 : digits;
		vms_dump_diag(p->d, ln->no, vms_line_col(ln, at), VMS_SEV_WARNING,
		              "meminfo-bad-value",
		              "%s: %.*s kB is more than any kernel prints (2^54 kB or "
		              "more): the value is not kept",
		              fact_keys[k], (int)digits, at);
		return VMS_LINE_DIAGNOSTIC;
	}
	struct vms_meminfo_line fact = {(uint8_t)k, ln->no, v};
	vms_vec_push(&p->d->log->meminfo_lines, fact);
	struct vms_meminfo *mi = &p->d->log->meminfo;
	struct vms_meminfo_val *val = vms_meminfo_val_of(mi, (enum vms_meminfo_key)k);
	if (val->line && val->kb != v) { /* another copy of meminfo */
		if (!mi->conflict)
			vms_dump_diag(
			    p->d, ln->no, vms_line_col(ln, ln->text), VMS_SEV_WARNING,
			    "meminfo-repeated",
			    "%s: %llu kB here, %llu kB at line %u: two copies of "
			    "/proc/meminfo disagree; the dump is not judged "
			    "against either",
			    fact_keys[k], (unsigned long long)v,
			    (unsigned long long)val->kb, val->line);
		mi->conflict = true;
		return VMS_LINE_DIAGNOSTIC;
	}
	if (!val->line) {
		val->kb = v;
		val->line = ln->no;
	}
	return VMS_LINE_PARSED;
}
