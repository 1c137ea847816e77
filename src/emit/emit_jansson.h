/*
 * emit_jansson.h — internal: the jansson helpers the JSON and SARIF writers
 * share (emit_json.c defines them). Only those two files include it: they
 * are the ones built with jansson's flags.
 */
#ifndef VMS_EMIT_JANSSON_H
#define VMS_EMIT_JANSSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* A new JSON string of s (null for NULL); each byte that does not start a
 * valid UTF-8 sequence becomes '?'. */
json_t *vms_json_string(const char *s);

/*
 * Writes v (taking ownership) as jansson writes it with JSON_INDENT(2),
 * re-indented as if it sat `indent` spaces deep, so a document can be
 * streamed piece by piece. Returns false (after writing "null") when
 * jansson could not encode it.
 */
bool vms_json_put_indented(FILE *fp, json_t *v, int indent);

#endif /* VMS_EMIT_JANSSON_H */
