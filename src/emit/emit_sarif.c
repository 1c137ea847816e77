/*
 * emit_sarif.c — the findings of `vmscope check` as one SARIF 2.1.0 log, the
 * format code-scanning services read (GitHub code scanning through
 * upload-sarif, Azure DevOps, editor viewers); with emit_json.c the only
 * module that uses jansson.
 *
 * Operation: vms_emit_check_sarif(). The log holds one run for all inputs:
 *  - runs[0].tool.driver: name, version, informationUri, every rule of the
 *    catalogue in vms_rules[] order (id, name, descriptions, helpUri,
 *    defaultConfiguration, scope tag) and two notification descriptors;
 *  - runs[0].invocations[0]: executionSuccessful true (findings are the
 *    tool's output, not its failure) and toolExecutionNotifications: a
 *    "note" per skipped rule of each input (descriptor "rule-skipped") and
 *    a "warning" per rule whose findings were counted past the checker's
 *    cap but not stored (descriptor "findings-not-listed"), each with
 *    associatedRule pointing into driver.rules;
 *  - runs[0].results: one result per finding, inputs in the order given,
 *    findings in each result's order.
 * Cost: O(rules + findings + skips) time. The results are streamed, each
 * built as a small jansson tree and dumped re-indented to its depth, so
 * memory is O(rules + skips + one finding) however many findings there are.
 *
 * Invariants of the output (docs/ci.md, "SARIF"):
 *  - result.ruleIndex indexes driver.rules and that rule's id is ruleId
 *    (the driver lists the whole catalogue, so ruleIndex == vms_rules index);
 *  - levels are "error", "warning" and "note" (for info);
 *  - artifactLocation.uri is a URI reference: the file name as given, with
 *    every byte outside RFC 3986's unreserved, sub-delims, '@' and '/'
 *    percent-encoded (':' too, so no name reads as a scheme); an absolute
 *    path becomes a file:// URI; standard input ("-") is "stdin";
 *  - region.startLine is present only when the finding has a line (> 0);
 *  - baselineState appears only when some finding of the log is baselined
 *    (the writer cannot see whether a baseline file was given): "unchanged"
 *    for baselined findings, "new" for the others;
 *  - strings are valid UTF-8 (a byte that does not start a valid sequence
 *    becomes '?'); control bytes are escaped by jansson as \uXXXX.
 */
#include "vmscope/emit.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emit_jansson.h"
#include "vmscope/check.h"

#define SARIF_SCHEMA    "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_VERSION   "2.1.0"
#define TOOL_NAME       "vmscope"
#define TOOL_URI        "https://github.com/vmscope/vmscope"
#define RULES_DOC_URI   TOOL_URI "/blob/main/docs/rules.md#"
#define SKIP_DESCRIPTOR "rule-skipped"
#define DROP_DESCRIPTOR "findings-not-listed"

/* ---- values ------------------------------------------------------------- */

/* A JSON string of s ("" for NULL). */
static json_t *jstr(const char *s)
{
	return vms_json_string(s ? s : "");
}

/* {"text": s} */
static json_t *jtext(const char *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "text", jstr(s));
	return o;
}

static const char *level_name(unsigned sev)
{
	static const char *const names[] = {"error", "warning", "note"};
	assert(sev < 3);
	return names[sev];
}

static const char *scope_name(unsigned scope)
{
	static const char *const names[] = {"area", "across", "layout", "space"};
	return scope < 4 ? names[scope] : "other";
}

/* True for the bytes a URI path segment may hold as they are. */
static bool uri_keeps(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c && strchr("-._~!$&'()*+,;=@/", c) != NULL;
}

/*
 * The artifactLocation.uri of file name `name` (as the user gave it):
 * "stdin" for "-", "file://" + path for an absolute path, else the name
 * itself as a relative reference; percent-encoded. Returns a new string.
 */
static char *file_uri(const char *name)
{
	if (!name || !*name || strcmp(name, "-") == 0)
		return vms_xstrdup("stdin");
	size_t len = strlen(name);
	char *out = vms_xmalloc(7 + 3 * len + 1), *o = out;
	if (name[0] == '/')
		o += sprintf(o, "file://");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (uri_keeps(*p))
			*o++ = (char)*p;
		else
			o += sprintf(o, "%%%02X", *p);
	}
	*o = '\0';
	return out;
}

/* {"physicalLocation": {"artifactLocation": {"uri"}, ["region"]}} */
static json_t *location(const char *file, uint32_t line)
{
	char *uri = file_uri(file);
	json_t *art = json_object();
	json_object_set_new(art, "uri", json_string(uri));
	free(uri);
	json_t *phys = json_object();
	json_object_set_new(phys, "artifactLocation", art);
	if (line > 0) {
		json_t *region = json_object();
		json_object_set_new(region, "startLine", json_integer(line));
		json_object_set_new(phys, "region", region);
	}
	json_t *loc = json_object();
	json_object_set_new(loc, "physicalLocation", phys);
	return loc;
}

static json_t *locations(const char *file, uint32_t line)
{
	json_t *a = json_array();
	json_array_append_new(a, location(file, line));
	return a;
}

/* {"id", "index"}: a reportingDescriptorReference. */
static json_t *descriptor_ref(const char *id, size_t index)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "index", json_integer((json_int_t)index));
	return o;
}

/* ---- tool.driver -------------------------------------------------------- */

/* "guard-page" -> "GuardPage": SARIF's name is an identifier for people. */
static json_t *rule_name(const char *id)
{
	char buf[64];
	size_t n = 0;
	bool upper = true;
	for (const char *p = id; *p && n + 1 < sizeof(buf); p++) {
		if (*p == '-') {
			upper = true;
			continue;
		}
		buf[n++] = upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		upper = false;
	}
	buf[n] = '\0';
	return json_string(buf);
}

static json_t *rule_json(const struct vms_rule *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "name", rule_name(r->id));
	json_object_set_new(o, "shortDescription", jtext(r->summary));
	json_object_set_new(o, "fullDescription", jtext(r->description));
	char *uri = vms_xasprintf("%s%s", RULES_DOC_URI, r->id);
	json_object_set_new(o, "helpUri", json_string(uri));
	free(uri);
	json_t *conf = json_object();
	json_object_set_new(conf, "level", json_string(level_name(r->severity)));
	if (!r->enabled)
		json_object_set_new(conf, "enabled", json_false());
	json_object_set_new(o, "defaultConfiguration", conf);
	json_t *tags = json_array();
	json_array_append_new(tags, json_string(scope_name(r->scope)));
	json_t *props = json_object();
	json_object_set_new(props, "tags", tags);
	json_object_set_new(o, "properties", props);
	return o;
}

static json_t *notification_descriptor(const char *id, const char *summary)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "name", rule_name(id));
	json_object_set_new(o, "shortDescription", jtext(summary));
	return o;
}

static json_t *driver_json(const char *tool_version)
{
	json_t *d = json_object();
	json_object_set_new(d, "name", json_string(TOOL_NAME));
	if (tool_version)
		json_object_set_new(d, "version", jstr(tool_version));
	json_object_set_new(d, "informationUri", json_string(TOOL_URI));
	json_t *rules = json_array();
	for (size_t i = 0; i < vms_nr_rules; i++)
		json_array_append_new(rules, rule_json(&vms_rules[i]));
	json_object_set_new(d, "rules", rules);
	json_t *notes = json_array();
	json_array_append_new(
	    notes, notification_descriptor(SKIP_DESCRIPTOR,
	                                   "A rule could not run on this input"));
	json_array_append_new(
	    notes, notification_descriptor(DROP_DESCRIPTOR,
	                                   "Findings were counted but not listed"));
	json_object_set_new(d, "notifications", notes);
	json_t *tool = json_object();
	json_object_set_new(tool, "driver", d);
	return tool;
}

/* ---- invocation and results --------------------------------------------- */

/* A notification about rule `rule` on input `file`; descriptor is the
 * index of its notification descriptor. Takes ownership of msg. */
static json_t *notification(const char *level, size_t descriptor, size_t rule, char *msg,
                            const char *file)
{
	static const char *const ids[] = {SKIP_DESCRIPTOR, DROP_DESCRIPTOR};
	json_t *o = json_object();
	json_object_set_new(o, "level", json_string(level));
	json_object_set_new(o, "message", jtext(msg));
	free(msg);
	json_object_set_new(o, "descriptor", descriptor_ref(ids[descriptor], descriptor));
	json_object_set_new(o, "associatedRule",
	                    descriptor_ref(vms_rules[rule].id, rule));
	json_object_set_new(o, "locations", locations(file, 0));
	return o;
}

/* Appends the notifications of one input: its skipped rules, then the
 * rules whose findings were not all stored. */
static void input_notifications(json_t *notes, const struct vms_check_result *r,
                                const char *file)
{
	for (size_t j = 0; j < r->skipped.n; j++) {
		const struct vms_skip *s = &r->skipped.v[j];
		assert(s->rule < vms_nr_rules);
		char *msg = vms_xasprintf("rule %s skipped: %s", vms_rules[s->rule].id,
		                          s->reason ? s->reason : "");
		json_array_append_new(notes, notification("note", 0, s->rule, msg, file));
	}
	for (size_t i = 0; i < vms_nr_rules; i++) {
		if (!r->dropped[i])
			continue;
		char *msg =
		    vms_xasprintf("rule %s: %" PRIu64 " more findings were counted "
		                  "but not listed",
		                  vms_rules[i].id, r->dropped[i]);
		json_array_append_new(notes, notification("warning", 1, i, msg, file));
	}
}

static json_t *invocations_json(const struct vms_checked *c, size_t n)
{
	json_t *notes = json_array();
	for (size_t i = 0; i < n; i++)
		if (c[i].result)
			input_notifications(notes, c[i].result,
			                    vms_emit_checked_source(&c[i]));
	json_t *inv = json_object();
	json_object_set_new(inv, "executionSuccessful", json_true());
	json_object_set_new(inv, "toolExecutionNotifications", notes);
	json_t *a = json_array();
	json_array_append_new(a, inv);
	return a;
}

static json_t *result_json(const struct vms_finding *f, const char *input, bool baseline)
{
	assert(f->rule < vms_nr_rules);
	json_t *o = json_object();
	json_object_set_new(o, "ruleId", json_string(vms_rules[f->rule].id));
	json_object_set_new(o, "ruleIndex", json_integer(f->rule));
	json_object_set_new(o, "level", json_string(level_name(f->severity)));
	json_object_set_new(o, "message", jtext(f->message ? f->message : ""));
	json_object_set_new(o, "locations",
	                    locations(f->file ? f->file : input, f->line));
	if (baseline)
		json_object_set_new(o, "baselineState",
		                    json_string(f->baselined ? "unchanged" : "new"));
	return o;
}

/* True when any finding of the n inputs is baselined. */
static bool any_baselined(const struct vms_checked *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct vms_check_result *r = c[i].result;
		for (size_t j = 0; r && j < r->findings.n; j++)
			if (r->findings.v[j].baselined)
				return true;
	}
	return false;
}

/* ---- the log, streamed -------------------------------------------------- */

static bool put_value(FILE *fp, json_t *v, int indent)
{
	return vms_json_put_indented(fp, v, indent);
}

int vms_emit_check_sarif(FILE *fp, const struct vms_checked *c, size_t n,
                         const char *tool_version)
{
	bool ok = true, baseline = any_baselined(c, n), first = true;
	fputs("{\n  \"$schema\": \"" SARIF_SCHEMA "\",\n"
	      "  \"version\": \"" SARIF_VERSION "\",\n"
	      "  \"runs\": [\n    {\n      \"tool\": ",
	      fp);
	ok &= put_value(fp, driver_json(tool_version), 6);
	fputs(",\n      \"invocations\": ", fp);
	ok &= put_value(fp, invocations_json(c, n), 6);
	fputs(",\n      \"results\": [", fp);
	for (size_t i = 0; i < n; i++) {
		const struct vms_check_result *r = c[i].result;
		for (size_t j = 0; r && j < r->findings.n; j++) {
			fputs(first ? "\n        " : ",\n        ", fp);
			first = false;
			json_t *v = result_json(&r->findings.v[j],
			                        vms_emit_checked_source(&c[i]), baseline);
			ok &= put_value(fp, v, 8);
		}
	}
	fputs(first ? "]\n    }\n  ]\n}\n" : "\n      ]\n    }\n  ]\n}\n", fp);
	return !ok || ferror(fp) ? -VMS_EIO : 0;
}
