/*
 * parse_listings.h — internal: the marks the driver leaves while reading
 * and the cutting of the areas into listings at the end (parse_listings.c).
 */
#ifndef VMS_PARSE_LISTINGS_H
#define VMS_PARSE_LISTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse_lines.h"
#include "parse_vmi.h"
#include "vmscope/parse.h"

enum vms_mark_kind { VMS_MARK_PROMPT, VMS_MARK_PROSE };

/* A line that may separate listings (a run of them without an area
 * between is one mark, at its first line, unless one reads vmallocinfo). */
struct vms_mark {
	uint32_t line;
	size_t areas;     /* areas stored when it was read */
	uint8_t kind;     /* enum vms_mark_kind */
	bool reads;       /* a command reading vmallocinfo (or crash's kmem -v) */
	bool filtered;    /* ... through a filter (grep, awk, head, ...) */
	const char *text; /* the command, or a heading-shaped prose line; NULL
	                     for other prose (dump arena) */
};
struct vms_marks {
	struct vms_mark *v;
	size_t n, cap;
};

/* Records line ln of noise kind noise when it may separate listings. */
void vms_listings_mark(struct vms_marks *m, struct vms_dump *d, const struct vms_line *ln,
                       int noise);
/* A prompt glued to the end of line: the listing ends after it. */
void vms_listings_mark_after(struct vms_marks *m, struct vms_dump *d, uint32_t line);
/* Cuts d's areas into d->listings (at least one when there are areas), the
 * last owning the lines up to nlines. Before inference. */
void vms_listings_find(struct vms_dump *d, const struct vms_marks *marks,
                       const struct vms_parse_opts *opts, uint32_t nlines);
/* Each listing's /proc/meminfo values from its own lines; a copy read in
 * another listing is no conflict (its warning goes, its line is parsed). */
void vms_listings_meminfo(struct vms_dump *d, struct vms_classes *cls);
/* Each listing's line accounting, from the final classes and the noise
 * kinds (nk->v[line - 1]; a noise line beyond them, or without one, was
 * made noise later: a repeated listing's). */
void vms_listings_account(struct vms_dump *d, const struct vms_classes *cls,
                          const struct vms_classes *nk);
/* The listing that owns line (d->listings.n > 0). */
size_t vms_listing_of_line(const struct vms_dump *d, uint32_t line);

#endif /* VMS_PARSE_LISTINGS_H */
