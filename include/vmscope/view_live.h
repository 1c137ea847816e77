/*
 * view_live.h — the live reader behind `vmscope view --live`, and the
 * replay of what it recorded, free of SDL (docs/view.md "Live reader and
 * recorded series").
 *
 * A read takes the text of a vmallocinfo dump from a file (re-read each
 * time: /proc/vmallocinfo) or from a shell command (`ssh board cat
 * /proc/vmallocinfo`) run under a deadline, parses it and builds its
 * model: one snapshot. A reader thread does that at once and then every
 * interval, and hands the newest snapshot to the app, which takes it when
 * it likes (it never waits for a read). Snapshots can be recorded into a
 * directory, one file per snapshot holding the exact bytes read, and a
 * recorded directory replayed as a series.
 *
 * Nothing here prints or exits: a failed read is a snapshot with no model
 * and the reason as text. A command runs in its own process group; on a
 * timeout, or when the reader stops, the whole group is killed and the
 * command reaped (no zombies, no orphans).
 */
#ifndef VMS_VIEW_LIVE_H
#define VMS_VIEW_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "vmscope/aspace.h"
#include "vmscope/common.h"
#include "vmscope/parse.h"

/* Defaults for the zero values of struct vms_live_opts. */
#define VMS_LIVE_PATH        "/proc/vmallocinfo"
#define VMS_LIVE_INTERVAL_MS 1000u
#define VMS_LIVE_TIMEOUT_MS  10000u
#define VMS_LIVE_MAX_BYTES   ((size_t)256 << 20)
/* A command's stderr kept in a snapshot: its last bytes, at most this. */
#define VMS_LIVE_STDERR_MAX 4096u
/* After SIGTERM, a command's group has this long before SIGKILL. */
#define VMS_LIVE_GRACE_MS 200u

struct vms_live_opts {
	const char *path;       /* file re-read each time, used when source is
	                           NULL (NULL: VMS_LIVE_PATH) */
	const char *source;     /* a shell command run as /bin/sh -c each time,
	                           or NULL */
	uint32_t interval_ms;   /* between the starts of two reads (0:
	                           VMS_LIVE_INTERVAL_MS) */
	uint32_t timeout_ms;    /* a command running longer is killed (0:
	                           VMS_LIVE_TIMEOUT_MS); files have none */
	const char *record_dir; /* keep each usable snapshot's raw bytes
	                           there, or NULL */
	const struct vms_parse_opts *popts; /* borrowed, may be NULL */
	const char *arch;                   /* for vms_aspace_build(), may be NULL */
	size_t max_bytes; /* cap on one read, bytes (0: VMS_LIVE_MAX_BYTES) */
};

/* One read: its model, or why there is none. */
struct vms_live_snap {
	struct vms_dump *dump;    /* owned; NULL when the read failed or
	                             held nothing usable */
	struct vms_aspace *model; /* owned, borrows dump; NULL with dump */
	char *error;              /* why there is no model, or NULL:
	                             "timed out after 300 ms; killed",
	                             "exited with status 3", "killed by signal
	                             9", "cannot open PATH: REASON", "no
	                             vmallocinfo lines in the output (12
	                             lines read)", "output exceeds N bytes;
	                             killed" */
	char *record_error;       /* why a usable snapshot was not recorded,
	                             or NULL (the model is still there) */
	char *stderr_text;        /* a command's stderr, its last
	                             VMS_LIVE_STDERR_MAX bytes, or NULL */
	uint64_t seq;             /* 1 for the first read */
	uint64_t t_ms;            /* CLOCK_MONOTONIC, ms, at the read's end */
	time_t wall;              /* wall clock at the read's end (replay:
	                             the file's modification time) */
	size_t bytes;             /* bytes read (a command's stdout) */
	char *text;               /* those bytes when there is a model (the
	                             details panel quotes an area's line from
	                             them), else NULL */
};

/*
 * Reads once, synchronously: runs o->source (else reads o->path) and
 * parses what it gave with o->popts (o borrowed), builds the model with
 * o->arch, and when the snapshot is usable and o->record_dir is set,
 * records its bytes as RECORD_DIR/snapshot-NNNNNN.txt (seq, at least 6
 * digits; the directory is made when missing, one level; the file written
 * under a hidden temporary name and renamed, so a reader never sees half
 * of it; a file of that name is replaced). seq and the times go into
 * *out, which is overwritten (not freed: clear it with
 * vms_live_snap_clear()).
 *
 * A command runs as /bin/sh -c SOURCE in its own process group, stdin
 * from /dev/null, every signal at its default and unblocked, stdout and
 * stderr read until both end and the command exits, or o->timeout_ms
 * passes: then its group gets SIGTERM, SIGKILL VMS_LIVE_GRACE_MS later,
 * and is reaped. Its exit status counts: a command that fails or dies
 * gives no model, whatever it printed. The app must not ignore SIGCHLD
 * (the exit status would be lost) and should open its own descriptors
 * close-on-exec (others are inherited by the command).
 *
 * Returns 0 (out->model set), -VMS_EIO (the read or command failed),
 * -VMS_ENODATA (nothing usable in the text) or -VMS_EINVAL (bad parse
 * options); out->error says why in each failure.
 */
int vms_live_read_once(const struct vms_live_opts *o, uint64_t seq,
                       struct vms_live_snap *out);

/* Frees what *s owns and zeroes it (for a snapshot on the stack or in an
 * array); NULL is a no-op. */
void vms_live_snap_clear(struct vms_live_snap *s);
/* Frees what s owns and s (a snapshot from vms_live_take()); NULL is a
 * no-op. */
void vms_live_snap_free(struct vms_live_snap *s);

/* A reader thread (opaque). */
struct vms_live;

/*
 * Starts a thread that reads (vms_live_read_once(), seq 1, 2, ...) at
 * once, then every o->interval_ms from the start of the previous read
 * (at once when a read took longer). Each finished snapshot becomes the
 * pending one, replacing (and freeing) one not yet taken, and then
 * wake(ctx) is called on the reader's thread without a lock held: the app
 * pushes an event from it (it must not call vms_live_stop()). wake may be
 * NULL. A failed read is handed over too: its error is news. o's strings are copied;
 * o->popts is borrowed and must outlive the reader. The thread runs with
 * every signal blocked. Returns a new reader; stop and free it with
 * vms_live_stop(). NULL when the thread cannot be made.
 */
struct vms_live *vms_live_start(const struct vms_live_opts *o, void (*wake)(void *ctx),
                                void *ctx);
/* The pending snapshot, or NULL when there is none; the caller owns it
 * (vms_live_snap_free()). Takes a mutex briefly; never waits for a read. */
struct vms_live_snap *vms_live_take(struct vms_live *l);
/*
 * Stops the reader and frees it with any pending snapshot. Prompt: it
 * wakes the thread from its wait, and a running command's group is
 * killed (SIGTERM, SIGKILL VMS_LIVE_GRACE_MS later) and reaped; a read
 * of a file is let finish. wake is not called again once it returns.
 * NULL is a no-op.
 */
void vms_live_stop(struct vms_live *l);

/* A recorded directory to replay: its snapshot files in order. */
struct vms_series {
	char *dir;             /* owned copy of the directory's path */
	VMS_VEC(char *) names; /* owned file names, in natural order */
	char *error;           /* why vms_series_open() failed ("cannot read
	                          DIR: REASON", "no snapshot files in DIR"),
	                          or NULL */
};

/*
 * Lists the regular files of dir (symbolic links followed; hidden files,
 * names starting with '.', and temporary ones, ending in "~", ".tmp" or
 * ".swp", skipped) in natural order: runs of digits compare as numbers
 * (snapshot-2 < snapshot-9 < snapshot-10), the rest bytewise. Fills *s
 * (its previous contents are not freed); free it with vms_series_free()
 * whatever the return. Returns 0, -VMS_ENODATA when dir holds no such
 * file, or -VMS_EIO when dir cannot be read (errno kept); on failure the
 * list is empty and s->error says why. O(n log n) comparisons.
 */
int vms_series_open(const char *dir, struct vms_series *s);
/*
 * Loads file k of s (0-based) as a snapshot: read, parsed with popts
 * (borrowed, may be NULL), its model built with arch (may be NULL); seq
 * is k + 1, wall the file's modification time. *out is overwritten (clear
 * it with vms_live_snap_clear()). Returns what vms_live_read_once() does,
 * or -VMS_ERANGE (and out->error) when k is past the end.
 */
int vms_series_load(const struct vms_series *s, size_t k,
                    const struct vms_parse_opts *popts, const char *arch,
                    struct vms_live_snap *out);
/* Frees what s owns and empties it; NULL is a no-op. */
void vms_series_free(struct vms_series *s);

/* True when path names a directory (symbolic links followed): how the CLI
 * tells a recorded series from a dump file. */
bool vms_series_is_dir(const char *path);

/*
 * Compares two names in natural order, as vms_series_open() sorts: digit
 * runs by their value (then the shorter run first: "1" < "01"), other
 * bytes as unsigned chars. Returns < 0, 0 or > 0 as strcmp() does.
 */
int vms_series_name_cmp(const char *a, const char *b);

#endif /* VMS_VIEW_LIVE_H */
