/*
 * emit_jansson.h — internal: the jansson helpers the JSON writers share
 * (emit_json.c defines them). Only the files built with jansson's flags
 * include it: emit_json.c, emit_sarif.c, emit_report_json.c,
 * emit_diff_json.c.
 */
#ifndef VMS_EMIT_JANSSON_H
#define VMS_EMIT_JANSSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A new JSON string of s (null for NULL); each byte that does not start a
 * valid UTF-8 sequence becomes '?'. */
json_t *vms_json_string(const char *s);

/* "0x" and v in at least digits hex digits. */
json_t *vms_json_hex(uint64_t v, int digits);
/* An integer when v fits json_int_t, else a "0x..." string. */
json_t *vms_json_u64(uint64_t v);
/* Sets key to v in o (null for NULL); takes ownership of v. */
void vms_json_set(json_t *o, const char *key, json_t *v);

struct vms_dump;
struct vms_aspace;
struct vms_meminfo;
/* {"major", "minor", "inferred", "source"} of the dump's kernel, or null. */
json_t *vms_json_kernel(const struct vms_dump *d);
/* The /proc/meminfo facts of a boot log: {"file", "vmalloc_total",
 * "vmalloc_used", "vmalloc_chunk", "percpu" ({"kb", "line"} or null),
 * "conflict"}, or null when there are none. */
json_t *vms_json_meminfo(const struct vms_meminfo *mi);
/* Listing k of d (dump.h, struct vms_listing) as an object. */
json_t *vms_json_listing(const struct vms_dump *d, size_t k);
/* What every command says of an input first, in this order: "file",
 * "arch", "arch_source", "kernel", "era", "address_visibility": the key
 * and value of fact k (< VMS_JSON_NR_FACTS), or all in one object. */
#define VMS_JSON_NR_FACTS 7
extern const char *const vms_json_fact_keys[VMS_JSON_NR_FACTS];
json_t *vms_json_model_fact(const struct vms_aspace *m, size_t k);
json_t *vms_json_model_facts(const struct vms_aspace *m);
/* The model's layout: {"source", "why", "profile", "regions": [...]}. */
json_t *vms_json_model_layout(const struct vms_aspace *m);

/*
 * Writes v (taking ownership) as jansson writes it with JSON_INDENT(2),
 * re-indented as if it sat `indent` spaces deep, so a document can be
 * streamed piece by piece. Returns false (after writing "null") when
 * jansson could not encode it.
 */
bool vms_json_put_indented(FILE *fp, json_t *v, int indent);

/*
 * A JSON document streamed member by member (lists of a million items are
 * never built whole): the writer of one object at a time.
 */
struct vms_jw {
	FILE *fp;
	int indent;  /* spaces before the keys of the object being written */
	bool first;  /* no key written yet in this object */
	bool failed; /* jansson could not encode a value */
};
/* Writes v (taking ownership) as jansson would at depth indent. */
void vms_jw_value(struct vms_jw *w, json_t *v, int indent);
/* Starts the next member: separator, newline, indentation, "key": . */
void vms_jw_key(struct vms_jw *w, const char *key);
/* A whole member (v owned; NULL writes null). */
void vms_jw_member(struct vms_jw *w, const char *key, json_t *v);

#endif /* VMS_EMIT_JANSSON_H */
