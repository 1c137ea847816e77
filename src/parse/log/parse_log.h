/*
 * parse_log.h — internal: the boot-log and console-log parser. The driver
 * (parse.c) offers it every stripped line first; it claims the lines it
 * understands (layout block, command line, Memory:, Linux version, vmap
 * failures and their call traces) and fills d->log.
 */
#ifndef VMS_PARSE_LOG_H
#define VMS_PARSE_LOG_H

#include <stdbool.h>

#include "parse_lines.h"
#include "vmscope/dump.h"

struct vms_logparser;

/* Returns a new log parser writing into d (d->log must exist and d must
 * outlive the parser); free with vms_logparser_free(). */
struct vms_logparser *vms_logparser_new(struct vms_dump *d);
/* Offers one line. Returns 1 and sets *cls when the line is claimed
 * (VMS_LINE_PARSED, VMS_LINE_REPAIRED or VMS_LINE_DIAGNOSTIC), 0 when it is
 * not a boot-log fact (the driver then tries the vmallocinfo parser). */
int vms_logparser_line(struct vms_logparser *p, const struct vms_line *ln,
                       enum vms_line_class *cls);
/* True when nothing read so far can change how a following line that starts
 * a vmallocinfo entry is read: no layout block, call trace or wrapped fact
 * is open (the two-thread parse cuts only where this holds). */
bool vms_logparser_idle(const struct vms_logparser *p);
/* True while a layout block is open: the parser then wants lines starting
 * with "0x" too (arm64 prints "0xA - 0xB (N MB actual)" inside one);
 * otherwise it never takes them. */
bool vms_logparser_in_layout(const struct vms_logparser *p);
/* Line no (width display columns, ending in mark) was cut by an editor or
 * pager. When it holds one of the parser's facts (command line, Linux
 * version, Memory:), the fact is mended (the mark dropped, a value cut short
 * forgotten), a located warning says what is unknown, and 1 is returned;
 * otherwise 0. */
int vms_logparser_cut(struct vms_logparser *p, uint32_t no, uint32_t width, char mark);
/* The arch of a uname(2) machine name ("armv7l", "aarch64"), from the same
 * table that reads "uname -a" in a log; NULL when unknown. */
const char *vms_machine_arch(const char *machine);
/* True for a /proc/meminfo line that holds no fact of ours ("MemTotal:
 * 1019732 kB"): known noise (parse_meminfo.c). */
bool vms_meminfo_noise(const struct vms_line *ln);
/* Ends the input: closes an open layout block or call trace. */
void vms_logparser_finish(struct vms_logparser *p);
void vms_logparser_free(struct vms_logparser *p);

#endif /* VMS_PARSE_LOG_H */
