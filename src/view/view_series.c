/*
 * view_series.c — the replay side of `vmscope view`: a recorded directory
 * as a series of snapshots (include/vmscope/view_live.h), its regular
 * files in natural order (digit runs compared as numbers, so
 * snapshot-9 < snapshot-10), hidden and temporary files skipped; each
 * load is one read of a file by the live reader. SDL-free.
 *
 * Costs: opening is O(files log files) comparisons; a load is a read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vmscope/common.h"
#include "vmscope/view_live.h"

/* ---- Recorded series ---------------------------------------------------- */

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Compares the digit runs at *a and *b by value, then the shorter first;
 * moves both past their runs when equal. */
static int digits_cmp(const unsigned char **a, const unsigned char **b)
{
	const unsigned char *p = *a, *q = *b;
	while (*p == '0')
		p++;
	while (*q == '0')
		q++;
	size_t np = 0, nq = 0;
	while (is_digit(p[np]))
		np++;
	while (is_digit(q[nq]))
		nq++;
	if (np != nq)
		return np < nq ? -1 : 1;
	int c = memcmp(p, q, np);
	if (c)
		return c;
	size_t ra = (size_t)(p + np - *a), rb = (size_t)(q + nq - *b);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	*a = p + np;
	*b = q + nq;
	return 0;
}

int vms_series_name_cmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	while (*p && *q) {
		if (is_digit(*p) && is_digit(*q)) {
			int c = digits_cmp(&p, &q);
			if (c)
				return c;
			continue;
		}
		if (*p != *q)
			return *p < *q ? -1 : 1;
		p++;
		q++;
	}
	return *p == *q ? 0 : *p < *q ? -1 : 1;
}

static int name_qsort_cmp(const void *a, const void *b)
{
	return vms_series_name_cmp(*(char *const *)a, *(char *const *)b);
}

/* Hidden files and the temporary files of editors and of our recorder. */
static bool skipped_name(const char *name)
{
	static const char *const ends[] = {"~", ".tmp", ".swp"};
	size_t n = strlen(name);
	if (name[0] == '.')
		return true;
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		size_t k = strlen(ends[i]);
		if (n >= k && !strcmp(name + n - k, ends[i]))
			return true;
	}
	return false;
}

static void series_names_free(struct vms_series *s)
{
	for (size_t i = 0; i < s->names.n; i++)
		free(s->names.v[i]);
	free(s->names.v);
	memset(&s->names, 0, sizeof s->names);
}

int vms_series_open(const char *dir, struct vms_series *s)
{
	memset(s, 0, sizeof *s);
	DIR *d = opendir(dir);
	int err;
	if (!d)
		goto fail;
	struct dirent *e;
	for (errno = 0; (e = readdir(d)); errno = 0) {
		struct stat st;
		if (!skipped_name(e->d_name) && !fstatat(dirfd(d), e->d_name, &st, 0) &&
		    S_ISREG(st.st_mode))
			vms_vec_push(&s->names, vms_xstrdup(e->d_name));
	}
	err = errno;
	closedir(d);
	if (err) {
		series_names_free(s);
		errno = err;
		goto fail;
	}
	if (!s->names.n) {
		s->error = vms_xasprintf("no snapshot files in %s", dir);
		return -VMS_ENODATA;
	}
	qsort(s->names.v, s->names.n, sizeof *s->names.v, name_qsort_cmp);
	s->dir = vms_xstrdup(dir);
	return 0;
fail:
	err = errno;
	s->error = vms_xasprintf("cannot read %s: %s", dir, strerror(err));
	errno = err;
	return -VMS_EIO;
}

int vms_series_load(const struct vms_series *s, size_t k,
                    const struct vms_parse_opts *popts, const char *arch,
                    struct vms_live_snap *out)
{
	if (k >= s->names.n) {
		memset(out, 0, sizeof *out);
		out->seq = k + 1;
		out->error = vms_xasprintf("no snapshot %zu: %s holds %zu", k + 1,
		                           s->dir ? s->dir : "the series", s->names.n);
		return -VMS_ERANGE;
	}
	char *path = vms_xasprintf("%s/%s", s->dir, s->names.v[k]);
	struct vms_live_opts o = {.path = path, .popts = popts, .arch = arch};
	int rc = vms_live_read_once(&o, k + 1, out);
	struct stat st;
	if (stat(path, &st) == 0)
		out->wall = st.st_mtime;
	free(path);
	return rc;
}

void vms_series_free(struct vms_series *s)
{
	if (!s)
		return;
	series_names_free(s);
	free(s->dir);
	free(s->error);
	memset(s, 0, sizeof *s);
}

bool vms_series_is_dir(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
