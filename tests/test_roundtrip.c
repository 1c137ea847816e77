/*
 * test_roundtrip.c — `parse --format text` prints canonical kernel-format
 * lines; parsing them again must give the same records, with nothing left to
 * repair or diagnose, and printing those must give the same bytes again.
 * Checked on every dump in samples/.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/emit.h"
#include "vmscope/parse.h"

static char *print_text(const struct vms_dump *d, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	cr_assert(f);
	cr_assert_eq(vms_emit_text(f, d), 0);
	fclose(f);
	return buf;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void same_area(const struct vms_dump *d, const struct vms_dump *e,
                      const char *name, size_t i)
{
	const struct vms_area *a = &d->areas.v[i], *b = &e->areas.v[i];
	cr_assert(a->start == b->start && a->end == b->end && a->size == b->size,
	          "%s: area %zu range/size", name, i);
	cr_assert(same_str(vms_area_caller(d, a), vms_area_caller(e, b)),
	          "%s: area %zu caller", name, i);
	cr_assert(same_str(vms_area_module(d, a), vms_area_module(e, b)),
	          "%s: area %zu module", name, i);
	cr_assert(a->has_offset == b->has_offset && a->offset == b->offset &&
	              a->length == b->length,
	          "%s: area %zu offset", name, i);
	cr_assert(a->has_pages == b->has_pages && a->pages == b->pages,
	          "%s: area %zu pages", name, i);
	cr_assert(a->has_phys == b->has_phys && a->phys == b->phys, "%s: area %zu phys",
	          name, i);
	cr_assert_eq(a->flags, b->flags, "%s: area %zu flags", name, i);
	cr_assert_eq(a->kind, b->kind, "%s: area %zu kind", name, i);
	cr_assert_eq(a->geom, b->geom, "%s: area %zu geometry", name, i);
	cr_assert_eq(a->phys_form, b->phys_form, "%s: area %zu phys form", name, i);
	uint32_t na, nb;
	const struct vms_numa *x = vms_dump_numa(d, i, &na),
	                      *y = vms_dump_numa(e, i, &nb);
	cr_assert_eq(na, nb, "%s: area %zu numa", name, i);
	for (uint32_t k = 0; k < na; k++)
		cr_assert(x[k].node == y[k].node && x[k].pages == y[k].pages);
}

static void round_trip(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "samples/%s", name);
	struct vms_dump *d, *e;
	cr_assert_eq(vms_parse_file(path, NULL, &d), 0);
	if (!d->areas.n) {
		vms_dump_free(d);
		return;
	}
	size_t len, len2;
	char *text = print_text(d, &len);
	cr_assert_eq(vms_parse_buffer(text, len, "text", NULL, &e), 0);
	cr_assert_eq(e->areas.n, d->areas.n, "%s: %zu areas after the round trip", name,
	             e->areas.n);
	for (size_t i = 0; i < d->areas.n; i++)
		same_area(d, e, name, i);
	cr_expect_eq(e->repairs.n, 0, "%s: canonical text needed repairs", name);
	size_t bad = 0; /* notes (e.g. "addresses are hashed") are fine */
	for (size_t i = 0; i < e->diags.n; i++)
		bad += e->diags.v[i].severity != VMS_SEV_NOTE;
	cr_expect_eq(bad, 0, "%s: canonical text has diagnostics", name);
	cr_expect_eq(e->acct.by_class[VMS_LINE_PARSED], e->acct.lines, "%s", name);
	cr_expect_eq(e->visibility, d->visibility, "%s: visibility", name);
	char *text2 = print_text(e, &len2);
	cr_expect(len == len2 && memcmp(text, text2, len) == 0, "%s: text not stable",
	          name);
	free(text);
	free(text2);
	vms_dump_free(d);
	vms_dump_free(e);
}

Test(roundtrip, every_sample_prints_and_reparses_identically)
{
	DIR *dir = opendir("samples");
	cr_assert(dir, "run the tests from the repository root");
	struct dirent *de;
	int n = 0;
	while ((de = readdir(dir))) {
		size_t l = strlen(de->d_name);
		if (l > 4 && strcmp(de->d_name + l - 4, ".txt") == 0) {
			round_trip(de->d_name);
			n++;
		}
	}
	closedir(dir);
	cr_expect_gt(n, 20, "samples/ holds the corpus");
}
