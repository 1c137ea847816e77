/*
 * parse.c — the public parse entry points (buffer, stream, file) over the
 * chunked driver (parse_driver.c), and the small helpers of parse.h. Large
 * regular files are parsed by two threads (parse_split.c).
 */
#include "vmscope/parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "numbers.h"
#include "parse_driver.h"

/* Files at least this big are parsed by two threads. */
#define SPLIT_MIN (8u << 20)

int vms_parse_buffer(const char *buf, size_t len, const char *source,
                     const struct vms_parse_opts *opts, struct vms_dump **out)
{
	int rc = vms_parse_check_opts(opts);
	if (rc)
		return rc;
	struct vms_driver dr;
	struct vms_chunker c = {0};
	vms_driver_start(&dr, source, opts);
	for (size_t off = 0; off < len && !dr.stopped;) {
		size_t n = len - off < VMS_CHUNK / 2 ? len - off : VMS_CHUNK / 2;
		vms_chunk_room(&c, n);
		memcpy(c.buf + c.len, buf + off, n);
		c.len += n;
		off += n;
		vms_driver_read(&dr, n);
		vms_chunk_consume(&dr, &c);
	}
	vms_chunk_last(&dr, &c);
	*out = vms_driver_finish(&dr, opts);
	return 0;
}

int vms_parse_stream(FILE *fp, const char *source, const struct vms_parse_opts *opts,
                     struct vms_dump **out)
{
	int rc = vms_parse_check_opts(opts);
	if (rc)
		return rc;
	struct vms_driver dr;
	struct vms_chunker c = {0};
	vms_driver_start(&dr, source, opts);
	while (!dr.stopped) {
		vms_chunk_room(&c, VMS_CHUNK / 2);
		size_t n = fread(c.buf + c.len, 1, c.cap - c.len - 1, fp);
		if (n == 0)
			break;
		c.len += n;
		vms_driver_read(&dr, n);
		vms_chunk_consume(&dr, &c);
	}
	int err = errno;
	bool bad = ferror(fp);
	vms_chunk_last(&dr, &c);
	struct vms_dump *d = vms_driver_finish(&dr, opts);
	if (bad) {
		vms_dump_free(d);
		errno = err;
		return -VMS_EIO;
	}
	*out = d;
	return 0;
}

int vms_parse_file(const char *path, const struct vms_parse_opts *opts,
                   struct vms_dump **out)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -VMS_EIO;
	struct stat st;
	int rc = vms_parse_check_opts(opts);
	uint64_t near = 0;
	if (!rc && (!opts || opts->threads != 1) && fstat(fileno(fp), &st) == 0 &&
	    S_ISREG(st.st_mode)) {
		uint64_t size = (uint64_t)st.st_size;
		near = opts && opts->split_at ? opts->split_at
		       : size >= SPLIT_MIN    ? size / 2
		                              : 0;
	}
	if (near) {
		rc = vms_parse_split(fileno(fp), (uint64_t)st.st_size, near, path, opts,
		                     out);
		if (rc != 0) {
			int err = errno;
			fclose(fp);
			errno = err;
			return rc < 0 ? rc : 0;
		}
	}
	rc = vms_parse_stream(fp, path, opts, out);
	int err = errno;
	fclose(fp);
	errno = err;
	return rc;
}

/* A fact of the input itself (not from --layout FILE, --cmdline or uname). */
static bool own(const char *file)
{
	return file == NULL;
}

int vms_dump_usable(const struct vms_dump *d)
{
	const struct vms_bootlog *l = d->log;
	bool regions = false, failures = false;
	const struct vms_meminfo *mi = &l->meminfo;
	bool meminfo =
	    (mi->total.line || mi->used.line || mi->chunk.line || mi->percpu.line) &&
	    own(mi->file);
	for (size_t i = 0; i < l->regions.n && !regions; i++)
		regions = own(l->regions.v[i].file);
	for (size_t i = 0; i < l->failures.n && !failures; i++)
		failures = own(l->failures.v[i].file);
	return d->areas.n || regions || failures ||
	       (l->has_cmdline && own(l->cmdline.file)) ||
	       (l->version_text && own(l->version_file)) ||
	       (l->memory_text && own(l->memory_file)) || meminfo;
}

int vms_parse_kernel_version(const char *s, int *major, int *minor)
{
	const char *p = s, *e;
	uint64_t v[3] = {0, 0, 0};
	bool ovf = false;
	if (!s)
		return -VMS_EINVAL;
	e = s + strlen(s);
	for (int i = 0; i < 3; i++) { /* X.Y or X.Y.Z */
		size_t n = vms_scan_dec(p, e, &v[i], &ovf);
		if (!n || ovf)
			return -VMS_EINVAL;
		p += n;
		if (*p != '.' || i == 2)
			break;
		p++;
	}
	/* then the end, or a release suffix: "-rc4", "-21-amd64", "+" */
	if (p == s || (*p && *p != '-' && *p != '+') || (*p == '-' && !p[1]) ||
	    v[0] < 1 || v[0] > 99 || v[1] > 99 || p[-1] == '.' || !strchr(s, '.'))
		return -VMS_EINVAL;
	*major = (int)v[0];
	*minor = (int)v[1];
	return 0;
}
