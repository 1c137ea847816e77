/*
 * emit_layout.h — the boot-log lines the kernel prints about its address
 * space, written back from regions (src/emit/emit_layout.c): the "Virtual
 * kernel memory layout:" block of an arch and era, and a "Linux version"
 * line. The simulator prints both before its vmallocinfo dump, so that a
 * simulated run reads like a device's console log and vmscope's own
 * boot-log parser (src/parse/log/) gives the same regions back.
 *
 * Each function prints only to fp, never exits, and returns 0 or -VMS_EIO
 * on a write error (ferror at the end).
 */
#ifndef VMS_EMIT_LAYOUT_H
#define VMS_EMIT_LAYOUT_H

#include <stddef.h>
#include <stdio.h>

#include "vmscope/dump.h"

/*
 * Writes the "Virtual kernel memory layout:" block that the kernel of
 * family (a dump arch name: "arm32", "x86_32", "arm64", "riscv32",
 * "riscv64", "ppc32", "sh", ...) and era major.minor (0.0: unknown, the
 * last era that printed one) prints at boot, for regions r[0..n) (struct
 * vms_region from dump.h; names as the parser normalises them, "vmalloc",
 * "lowmem", "modules", "pkmap", "fixmap", "vector", ..., or as the arch
 * profiles name them, "memory", "pci io", "uncached"; a region is matched
 * to a line by name, else by kind). Each line is formatted as that kernel
 * formats it: widths, units (kB/KB/MB/GB/TB, floor as MLK/MLM/MLG), the
 * inclusive ends riscv printed until 5.16, the kernel's order. Lines the
 * kernel prints for regions r does not hold are left out (the kernel
 * image sections, the arm64 "actual" vmemmap line unless r holds
 * "vmemmap-actual"), and so are regions the era prints no line for.
 * No dmesg timestamps. The eras and the sources each format was read
 * from are listed in emit_layout.c. O(n * lines).
 *
 * Returns 0; -VMS_ENODATA when that arch and era print no such block
 * (x86_64 never; arm32 from 5.1, arm64 from 4.16, x86_32 from 5.7, ppc32
 * from 6.15, riscv before 5.5) or the family is unknown, having written
 * nothing; -VMS_EIO on a write error.
 */
int vms_emit_layout(FILE *fp, const char *family, int major, int minor,
                    const struct vms_region *r, size_t n);

/*
 * Writes a plausible first boot line for kernel major.minor.patch of
 * family:
 *
 *   Linux version 6.1.0-arm64-vmscope-sim (vmscope@sim) (gcc version 12.2.0 (GCC)) #1 SMP
 * ...
 *
 * The log parser reads it as the kernel version, and the family tag in the
 * release ("armv7", "arm64", "i686", "x86_64", "riscv32", "riscv64",
 * "ppc", "sh4") is the evidence its arch inference takes for exactly that
 * family (an unknown family gets no tag, and so no arch evidence). The
 * build date is fixed, so a run prints the same bytes every time.
 * Returns 0 or -VMS_EIO.
 */
int vms_emit_version_line(FILE *fp, int major, int minor, int patch, const char *family);

#endif /* VMS_EMIT_LAYOUT_H */
