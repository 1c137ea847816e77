/*
 * test_emit_check.c — the CI writers of check findings (emit.h, "Findings
 * of check"): SARIF 2.1.0, JUnit XML and GitHub Actions workflow commands,
 * on check results built by hand (no model: the writers must not need one).
 *
 * SARIF is parsed back with jansson and checked field by field against the
 * rule catalogue. JUnit is parsed back by the small XML reader below, which
 * rejects what an XML 1.0 parser would (unbalanced or mismatched tags,
 * duplicate attributes, raw '<' or '&' in text, unknown entities, control
 * bytes, invalid UTF-8) and also a raw '>' or quote our writer must escape.
 * GitHub lines are compared exactly.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/check.h"
#include "vmscope/dump.h"
#include "vmscope/emit.h"

#define HELP_BASE "https://github.com/vmscope/vmscope/blob/main/docs/rules.md#"

/* ---- check results by hand ---------------------------------------------- */

static struct vms_check_result *new_result(const char *source)
{
	struct vms_check_result *r = vms_xcalloc(1, sizeof(*r));
	r->source = source;
	return r;
}

static uint16_t rule_ix(const char *id)
{
	int i = vms_rule_lookup(id);
	cr_assert_geq(i, 0, "no rule %s", id);
	return (uint16_t)i;
}

/* Adds a finding of rule id; file NULL means the input itself. */
static void add_in(struct vms_check_result *r, const char *id, enum vms_check_sev sev,
                   uint32_t line, bool baselined, const char *file, const char *msg)
{
	struct vms_finding f = {
	    .rule = rule_ix(id),
	    .severity = (uint8_t)sev,
	    .baselined = baselined,
	    .line = line,
	    .file = file,
	    .area = -1,
	    .key = line * 31u + rule_ix(id),
	    .message = vms_arena_printf(&r->arena, "%s", msg),
	};
	vms_vec_push(&r->findings, f);
	r->counts[sev]++;
}

static void add(struct vms_check_result *r, const char *id, enum vms_check_sev sev,
                uint32_t line, const char *msg)
{
	add_in(r, id, sev, line, false, NULL, msg);
}

static void add_skip(struct vms_check_result *r, const char *id, const char *reason)
{
	struct vms_skip s = {.rule = rule_ix(id),
	                     .reason = vms_arena_printf(&r->arena, "%s", reason)};
	vms_vec_push(&r->skipped, s);
}

static void free_result(struct vms_check_result *r)
{
	vms_arena_free(&r->arena);
	free(r->findings.v);
	free(r->skipped.v);
	free(r);
}

static struct vms_checked checked(const struct vms_check_result *r)
{
	return (struct vms_checked){.dump = NULL, .model = NULL, .result = r};
}

/* ---- capture ------------------------------------------------------------ */

typedef int (*check_writer)(FILE *, const struct vms_checked *, size_t);

static int sarif_writer(FILE *fp, const struct vms_checked *c, size_t n)
{
	return vms_emit_check_sarif(fp, c, n, "9.9.9");
}

/* Runs a writer into memory; returns a new string (free()). */
static char *capture(check_writer fn, const struct vms_checked *c, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	cr_assert_not_null(fp);
	cr_assert_eq(fn(fp, c, n), 0);
	fclose(fp);
	cr_assert_eq(strlen(buf), len, "writer printed a NUL byte");
	return buf;
}

/* ---- SARIF helpers ------------------------------------------------------ */

/* The value at path ("runs/0/tool/driver") below v, or NULL. */
static json_t *at(json_t *v, const char *path)
{
	char key[64];
	while (v && *path) {
		size_t n = strcspn(path, "/");
		cr_assert_lt(n, sizeof(key));
		memcpy(key, path, n);
		key[n] = '\0';
		path += n + (path[n] == '/');
		if (json_is_array(v))
			v = json_array_get(v, strtoul(key, NULL, 10));
		else
			v = json_object_get(v, key);
	}
	return v;
}

static const char *str_at(json_t *v, const char *path)
{
	json_t *s = at(v, path);
	cr_assert(json_is_string(s), "no string at %s", path);
	return json_string_value(s);
}

static long long int_at(json_t *v, const char *path)
{
	json_t *i = at(v, path);
	cr_assert(json_is_integer(i), "no integer at %s", path);
	return json_integer_value(i);
}

/* Writes the SARIF log of c[0..n) and parses it back; json_decref() it. */
static json_t *sarif_of(const struct vms_checked *c, size_t n)
{
	char *text = capture(sarif_writer, c, n);
	json_error_t err;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	cr_assert_not_null(root, "invalid JSON at %d:%d: %s\n%s", err.line, err.column,
	                   err.text, text);
	free(text);
	return root;
}

static json_t *sarif_results(json_t *root)
{
	json_t *res = at(root, "runs/0/results");
	cr_assert(json_is_array(res));
	return res;
}

static const char *sarif_level(enum vms_check_sev s)
{
	return s == VMS_CHECK_ERROR     ? "error"
	       : s == VMS_CHECK_WARNING ? "warning"
	                                : "note";
}

/* ---- SARIF -------------------------------------------------------------- */

Test(emit_check, sarif_driver_lists_the_whole_catalogue_with_its_metadata)
{
	json_t *root = sarif_of(NULL, 0);
	cr_expect_str_eq(str_at(root, "version"), "2.1.0");
	cr_expect_str_eq(str_at(root, "$schema"),
	                 "https://json.schemastore.org/sarif-2.1.0.json");
	cr_assert_eq(json_array_size(at(root, "runs")), 1);
	json_t *drv = at(root, "runs/0/tool/driver");
	cr_expect_str_eq(str_at(drv, "name"), "vmscope");
	cr_expect_str_eq(str_at(drv, "version"), "9.9.9");
	cr_expect_str_eq(str_at(drv, "informationUri"),
	                 "https://github.com/vmscope/vmscope");
	json_t *rules = at(drv, "rules");
	cr_assert_eq(json_array_size(rules), vms_nr_rules);
	static const char *const scopes[] = {"area", "across", "layout", "space"};
	for (size_t i = 0; i < vms_nr_rules; i++) {
		const struct vms_rule *r = &vms_rules[i];
		json_t *d = json_array_get(rules, i);
		char help[256];
		snprintf(help, sizeof(help), HELP_BASE "%s", r->id);
		cr_expect_str_eq(str_at(d, "id"), r->id);
		cr_expect_neq(strlen(str_at(d, "name")), 0);
		cr_expect_str_eq(str_at(d, "shortDescription/text"), r->summary);
		cr_expect_str_eq(str_at(d, "fullDescription/text"), r->description);
		cr_expect_str_eq(str_at(d, "helpUri"), help);
		cr_expect_str_eq(str_at(d, "defaultConfiguration/level"),
		                 sarif_level((enum vms_check_sev)r->severity));
		cr_expect_str_eq(str_at(d, "properties/tags/0"), scopes[r->scope]);
		json_t *en = at(d, "defaultConfiguration/enabled");
		cr_expect(r->enabled ? en == NULL : json_is_false(en), "enabled of %s",
		          r->id);
	}
	cr_expect_str_eq(str_at(drv, "rules/0/name"), "AreaRange");
	cr_expect_eq(json_array_size(sarif_results(root)), 0);
	cr_expect(json_is_true(at(root, "runs/0/invocations/0/executionSuccessful")));
	json_decref(root);
}

Test(emit_check, sarif_results_name_their_driver_rule_and_map_levels)
{
	struct vms_check_result *r = new_result("a.txt");
	add(r, "overlap", VMS_CHECK_ERROR, 3, "areas overlap by 4096 bytes");
	add(r, "guard-page", VMS_CHECK_WARNING, 5, "no guard page");
	add(r, "percpu-not-top", VMS_CHECK_INFO, 9, "per-cpu chunk below the top");
	add(r, "usage", VMS_CHECK_ERROR, 0, "usage 97% (configured as error)");
	struct vms_checked c = checked(r);
	json_t *root = sarif_of(&c, 1);
	json_t *rules = at(root, "runs/0/tool/driver/rules");
	json_t *res = sarif_results(root);
	cr_assert_eq(json_array_size(res), r->findings.n);
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct vms_finding *f = &r->findings.v[i];
		json_t *o = json_array_get(res, i);
		long long ix = int_at(o, "ruleIndex");
		cr_assert(ix >= 0 && (size_t)ix < json_array_size(rules));
		cr_expect_str_eq(str_at(json_array_get(rules, (size_t)ix), "id"),
		                 str_at(o, "ruleId"));
		cr_expect_str_eq(str_at(o, "ruleId"), vms_rules[f->rule].id);
		cr_expect_str_eq(str_at(o, "level"),
		                 sarif_level((enum vms_check_sev)f->severity));
		cr_expect_str_eq(str_at(o, "message/text"), f->message);
		cr_expect_str_eq(
		    str_at(o, "locations/0/physicalLocation/artifactLocation/uri"),
		    "a.txt");
	}
	/* the finding's level wins over the rule's default */
	cr_expect_str_eq(str_at(res, "3/level"), "error");
	json_t *usage = json_array_get(rules, rule_ix("usage"));
	cr_expect_str_eq(str_at(usage, "id"), "usage");
	cr_expect_str_eq(str_at(usage, "defaultConfiguration/level"), "warning");
	json_decref(root);
	free_result(r);
}

Test(emit_check, sarif_start_line_only_when_the_finding_has_a_line)
{
	struct vms_check_result *r = new_result("a.txt");
	add(r, "overlap", VMS_CHECK_ERROR, 7, "x");
	add(r, "vmalloc-start", VMS_CHECK_ERROR, 0, "y");
	add(r, "overlap", VMS_CHECK_ERROR, 1, "z");
	struct vms_checked c = checked(r);
	json_t *root = sarif_of(&c, 1);
	json_t *res = sarif_results(root);
	cr_expect_eq(int_at(res, "0/locations/0/physicalLocation/region/startLine"), 7);
	cr_expect_null(at(res, "1/locations/0/physicalLocation/region"));
	cr_expect_not_null(
	    at(res, "1/locations/0/physicalLocation/artifactLocation/uri"));
	cr_expect_eq(int_at(res, "2/locations/0/physicalLocation/region/startLine"), 1);
	json_decref(root);
	free_result(r);
}

Test(emit_check, sarif_baseline_state_unchanged_for_baselined_new_for_the_rest)
{
	struct vms_check_result *a = new_result("a.txt"), *b = new_result("b.txt");
	add_in(a, "overlap", VMS_CHECK_ERROR, 3, true, NULL, "old overlap");
	add(a, "duplicate", VMS_CHECK_WARNING, 4, "new duplicate");
	add(b, "guard-page", VMS_CHECK_WARNING, 8, "new in the second input");
	struct vms_checked c[] = {checked(a), checked(b)};
	json_t *root = sarif_of(c, 2);
	json_t *res = sarif_results(root);
	cr_assert_eq(json_array_size(res), 3);
	cr_expect_str_eq(str_at(res, "0/baselineState"), "unchanged");
	cr_expect_str_eq(str_at(res, "1/baselineState"), "new");
	cr_expect_str_eq(str_at(res, "2/baselineState"), "new");
	/* a baselined finding keeps its level: the baseline does not hide it */
	cr_expect_str_eq(str_at(res, "0/level"), "error");
	json_decref(root);
	free_result(a);
	free_result(b);
}

Test(emit_check, sarif_has_no_baseline_state_when_nothing_is_baselined)
{
	struct vms_check_result *r = new_result("a.txt");
	add(r, "overlap", VMS_CHECK_ERROR, 3, "x");
	struct vms_checked c = checked(r);
	json_t *root = sarif_of(&c, 1);
	cr_expect_null(at(sarif_results(root), "0/baselineState"));
	json_decref(root);
	free_result(r);
}

Test(emit_check, sarif_control_bytes_and_bad_utf8_survive_as_valid_json)
{
	static const char msg[] = "ctl\x01\x1b[31m \"q\" back\\slash\nnl\ttab \xc3\xa9";
	struct vms_check_result *r = new_result("a.txt");
	add(r, "overlap", VMS_CHECK_ERROR, 1, msg);
	add(r, "overlap", VMS_CHECK_ERROR, 2, "bad \xff\xfe utf8 \xc3");
	struct vms_checked c = checked(r);
	char *text = capture(sarif_writer, &c, 1);
	cr_expect_null(strchr(text, '\x01'), "raw control byte in the SARIF text");
	cr_expect_null(strchr(text, '\x1b'));
	json_error_t err;
	json_t *root = json_loads(text, 0, &err);
	cr_assert_not_null(root, "%s", err.text);
	cr_expect_str_eq(str_at(root, "runs/0/results/0/message/text"), msg);
	cr_expect_str_eq(str_at(root, "runs/0/results/1/message/text"), "bad ?? utf8 ?");
	json_decref(root);
	free(text);
	free_result(r);
}

Test(emit_check, sarif_uri_is_the_name_as_given_percent_encoded)
{
	static const char *const names[] = {"-", "dir/my dump#1.txt", "/var/log/x.txt",
	                                    "c:x%.txt"};
	struct vms_check_result *r[4];
	struct vms_checked c[4];
	for (size_t i = 0; i < 4; i++) {
		r[i] = new_result(names[i]);
		add(r[i], "overlap", VMS_CHECK_ERROR, 1, "x");
		c[i] = checked(r[i]);
	}
	add_in(r[3], "layout-size", VMS_CHECK_WARNING, 12, false, "boot.log",
	       "other file");
	json_t *root = sarif_of(c, 4);
	json_t *res = sarif_results(root);
	static const char *const want[] = {"stdin", "dir/my%20dump%231.txt",
	                                   "file:///var/log/x.txt", "c%3Ax%25.txt",
	                                   "boot.log"};
	cr_assert_eq(json_array_size(res), 5);
	for (size_t i = 0; i < 5; i++)
		cr_expect_str_eq(
		    str_at(json_array_get(res, i),
		           "locations/0/physicalLocation/artifactLocation/uri"),
		    want[i]);
	json_decref(root);
	for (size_t i = 0; i < 4; i++)
		free_result(r[i]);
}

Test(emit_check, sarif_uri_falls_back_to_the_dump_name_without_touching_the_model)
{
	struct vms_dump *d = vms_dump_new("a.txt");
	struct vms_check_result *r = new_result(NULL);
	add(r, "overlap", VMS_CHECK_ERROR, 2, "x");
	struct vms_checked c = {.dump = d, .model = NULL, .result = r};
	json_t *root = sarif_of(&c, 1);
	cr_expect_str_eq(
	    str_at(root,
	           "runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri"),
	    "a.txt");
	json_decref(root);
	free_result(r);
	vms_dump_free(d);
}

Test(emit_check, sarif_skipped_rules_are_note_notifications_of_a_successful_run)
{
	struct vms_check_result *r = new_result("h.txt");
	add_skip(r, "overlap", "addresses are hashed");
	add_skip(r, "usage", "no vmalloc region");
	struct vms_checked c = checked(r);
	json_t *root = sarif_of(&c, 1);
	json_t *inv = at(root, "runs/0/invocations/0");
	cr_expect(json_is_true(at(inv, "executionSuccessful")));
	json_t *notes = at(inv, "toolExecutionNotifications");
	cr_assert_eq(json_array_size(notes), 2);
	json_t *n0 = json_array_get(notes, 0);
	cr_expect_str_eq(str_at(n0, "level"), "note");
	cr_expect_str_eq(str_at(n0, "descriptor/id"), "rule-skipped");
	cr_expect_eq(int_at(n0, "descriptor/index"), 0);
	cr_expect_str_eq(str_at(root, "runs/0/tool/driver/notifications/0/id"),
	                 "rule-skipped");
	cr_expect_str_eq(str_at(n0, "associatedRule/id"), "overlap");
	cr_expect_eq(int_at(n0, "associatedRule/index"), rule_ix("overlap"));
	cr_expect_str_eq(str_at(n0, "message/text"),
	                 "rule overlap skipped: addresses are hashed");
	cr_expect_str_eq(str_at(n0, "locations/0/physicalLocation/artifactLocation/uri"),
	                 "h.txt");
	cr_expect_str_eq(str_at(notes, "1/associatedRule/id"), "usage");
	cr_expect_eq(json_array_size(sarif_results(root)), 0);
	json_decref(root);
	free_result(r);
}

Test(emit_check, sarif_findings_past_the_cap_are_a_warning_notification)
{
	struct vms_check_result *r = new_result("big.txt");
	add(r, "overlap", VMS_CHECK_ERROR, 3, "x");
	r->dropped[rule_ix("overlap")] = 1234;
	struct vms_checked c = checked(r);
	json_t *root = sarif_of(&c, 1);
	json_t *n0 = at(root, "runs/0/invocations/0/toolExecutionNotifications/0");
	cr_assert_not_null(n0);
	cr_expect_str_eq(str_at(n0, "level"), "warning");
	cr_expect_str_eq(str_at(n0, "descriptor/id"), "findings-not-listed");
	cr_expect_eq(int_at(n0, "descriptor/index"), 1);
	cr_expect_str_eq(str_at(root, "runs/0/tool/driver/notifications/1/id"),
	                 "findings-not-listed");
	cr_expect_str_eq(str_at(n0, "associatedRule/id"), "overlap");
	cr_expect_str_eq(str_at(n0, "message/text"),
	                 "rule overlap: 1234 more findings were counted but not listed");
	cr_expect_eq(json_array_size(sarif_results(root)), 1);
	json_decref(root);
	free_result(r);
}

/* ---- a small XML reader for the JUnit tests ----------------------------- */

#define MAX_ATTRS 8

struct xnode {
	char *name;
	char *attr[MAX_ATTRS], *val[MAX_ATTRS];
	int nattr;
	char *text; /* all character data directly inside, unescaped */
	size_t text_len;
	struct xnode **kid;
	size_t nkid;
};

struct xreader {
	const char *p;
	char err[160];
};

static bool xfail(struct xreader *x, const char *what)
{
	if (!x->err[0])
		snprintf(x->err, sizeof(x->err), "%s at \"%.30s\"", what, x->p);
	return false;
}

static bool is_name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
}

static char *xname(struct xreader *x)
{
	const char *s = x->p;
	if (!is_name_char(*s, true))
		return NULL;
	while (is_name_char(*x->p, false))
		x->p++;
	return vms_xstrndup(s, (size_t)(x->p - s));
}

static void skip_ws(struct xreader *x)
{
	while (*x->p == ' ' || *x->p == '\n' || *x->p == '\t' || *x->p == '\r')
		x->p++;
}

/* Appends the unescaped character data up to `stop` (or '<') to *out. */
static bool xchars(struct xreader *x, char stop, char **out, size_t *len)
{
	static const char *const ent[][2] = {
	    {"&amp;", "&"},  {"&lt;", "<"},  {"&gt;", ">"},   {"&quot;", "\""},
	    {"&apos;", "'"}, {"&#9;", "\t"}, {"&#10;", "\n"}, {"&#13;", "\r"}};
	while (*x->p && *x->p != stop && *x->p != '<') {
		const char *add = x->p;
		size_t n = 1;
		if (*x->p == '&') {
			size_t k = 0;
			while (k < sizeof(ent) / sizeof(ent[0]) &&
			       strncmp(x->p, ent[k][0], strlen(ent[k][0])) != 0)
				k++;
			if (k == sizeof(ent) / sizeof(ent[0]))
				return xfail(x, "unknown entity or raw '&'");
			add = ent[k][1];
			x->p += strlen(ent[k][0]) - 1;
		} else if (*x->p == '>' || *x->p == '"') {
			return xfail(x, "raw '>' or '\"' the writer should escape");
		}
		*out = vms_xrealloc(*out, *len + n + 1);
		memcpy(*out + *len, add, n);
		*len += n;
		(*out)[*len] = '\0';
		x->p++;
	}
	return true;
}

static bool xattrs(struct xreader *x, struct xnode *e)
{
	for (;;) {
		const char *before = x->p;
		skip_ws(x);
		if (*x->p == '>' || (x->p[0] == '/' && x->p[1] == '>'))
			return true;
		if (x->p == before)
			return xfail(x, "no blank before an attribute");
		if (e->nattr == MAX_ATTRS)
			return xfail(x, "too many attributes");
		char *name = xname(x);
		if (!name)
			return xfail(x, "bad attribute name");
		e->attr[e->nattr] = name;
		e->val[e->nattr] = vms_xstrdup("");
		size_t len = 0;
		int i = e->nattr++;
		for (int j = 0; j < i; j++)
			if (strcmp(e->attr[j], name) == 0)
				return xfail(x, "duplicate attribute");
		if (x->p[0] != '=' || x->p[1] != '"')
			return xfail(x, "attribute without =\"");
		x->p += 2;
		if (!xchars(x, '"', &e->val[i], &len))
			return false;
		if (*x->p != '"')
			return xfail(x, "'<' inside an attribute value");
		x->p++;
	}
}

static bool xelement(struct xreader *x, struct xnode *e)
{
	if (*x->p != '<')
		return xfail(x, "expected '<'");
	x->p++;
	if (!(e->name = xname(x)))
		return xfail(x, "bad element name");
	if (!xattrs(x, e))
		return false;
	if (*x->p == '/') {
		x->p += 2;
		return true;
	}
	x->p++;
	for (;;) {
		if (!xchars(x, '\0', &e->text, &e->text_len))
			return false;
		if (!*x->p)
			return xfail(x, "unclosed element");
		if (x->p[1] == '/') {
			x->p += 2;
			size_t n = strlen(e->name);
			if (strncmp(x->p, e->name, n) != 0 || x->p[n] != '>')
				return xfail(x, "mismatched end tag");
			x->p += n + 1;
			return true;
		}
		struct xnode *k = vms_xcalloc(1, sizeof(*k));
		e->kid = vms_xreallocarray(e->kid, e->nkid + 1, sizeof(*e->kid));
		e->kid[e->nkid++] = k;
		if (!xelement(x, k))
			return false;
	}
}

static void xfree(struct xnode *e)
{
	if (!e)
		return;
	free(e->name);
	for (int i = 0; i < e->nattr; i++) {
		free(e->attr[i]);
		free(e->val[i]);
	}
	free(e->text);
	for (size_t i = 0; i < e->nkid; i++)
		xfree(e->kid[i]);
	free(e->kid);
	free(e);
}

/* Every byte is valid UTF-8 and XML 1.0 allows it (no C0 but tab, LF, CR). */
static bool xml_bytes_ok(const char *s, char *err, size_t errlen)
{
	for (size_t i = 0, n = strlen(s); i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = vms_utf8_len(s + i, n - i);
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || k == 0) {
			snprintf(err, errlen, "byte 0x%02x at offset %zu", c, i);
			return false;
		}
		i += k;
	}
	return true;
}

/* Parses a whole document; fails the test when it is not well-formed. */
static struct xnode *xml_parse(const char *doc)
{
	static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
	struct xreader x = {.p = doc};
	char err[128];
	cr_assert(xml_bytes_ok(doc, err, sizeof(err)), "%s in:\n%s", err, doc);
	cr_assert_eq(strncmp(doc, decl, strlen(decl)), 0, "no XML declaration");
	x.p += strlen(decl);
	struct xnode *root = vms_xcalloc(1, sizeof(*root));
	bool ok = xelement(&x, root);
	skip_ws(&x);
	if (ok && *x.p)
		ok = xfail(&x, "text after the root element");
	cr_assert(ok, "not well-formed: %s\n%s", x.err, doc);
	return root;
}

static const char *xattr(const struct xnode *e, const char *name)
{
	for (int i = 0; i < e->nattr; i++)
		if (strcmp(e->attr[i], name) == 0)
			return e->val[i];
	return NULL;
}

static size_t xcount(const struct xnode *e, const char *name)
{
	size_t n = 0;
	for (size_t i = 0; i < e->nkid; i++)
		n += strcmp(e->kid[i]->name, name) == 0;
	return n;
}

/* The idx-th child named name; fails the test when there is none. */
static struct xnode *xkid(const struct xnode *e, const char *name, size_t idx)
{
	for (size_t i = 0, k = 0; i < e->nkid; i++)
		if (strcmp(e->kid[i]->name, name) == 0 && k++ == idx)
			return e->kid[i];
	cr_assert_fail("<%s> has no <%s> #%zu", e->name, name, idx);
	return NULL;
}

/* The <testcase> of rule id in suite s, or NULL. */
static struct xnode *xcase(const struct xnode *s, const char *id)
{
	for (size_t i = 0; i < s->nkid; i++) {
		const char *name = xattr(s->kid[i], "name");
		if (name && strcmp(name, id) == 0)
			return s->kid[i];
	}
	return NULL;
}

static void expect_attr(const struct xnode *e, const char *name, const char *want)
{
	const char *got = xattr(e, name);
	cr_assert_not_null(got, "<%s> has no %s=", e->name, name);
	cr_expect_str_eq(got, want, "<%s %s=>", e->name, name);
}

static struct xnode *junit_of(const struct vms_checked *c, size_t n)
{
	char *text = capture(vms_emit_check_junit, c, n);
	struct xnode *root = xml_parse(text);
	free(text);
	return root;
}

static size_t nr_default_rules(void)
{
	size_t n = 0;
	for (size_t i = 0; i < vms_nr_rules; i++)
		n += vms_rules[i].enabled;
	return n;
}

/* ---- JUnit -------------------------------------------------------------- */

Test(emit_check, junit_xml_reader_rejects_what_xml_rejects)
{
	static const char *const bad[] = {
	    "<a><b></a></b>", "<a x=\"1\" x=\"2\"/>", "<a>1 < 2</a>",
	    "<a>&nbsp;</a>",  "<a>\x01</a>",          "<a><b/>",
	    "<a/><b/>",       "<a x=\"1\"y=\"2\"/>",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[128];
		struct xreader x = {.p = bad[i]};
		struct xnode *e = vms_xcalloc(1, sizeof(*e));
		bool ok = xml_bytes_ok(bad[i], err, sizeof(err)) && xelement(&x, e);
		skip_ws(&x);
		cr_expect(!ok || *x.p, "accepted %s", bad[i]);
		xfree(e);
	}
	struct xreader x = {.p = "<a k=\"&lt;&#9;\"><b/>t&amp;</a>"};
	struct xnode *e = vms_xcalloc(1, sizeof(*e));
	cr_assert(xelement(&x, e), "%s", x.err);
	cr_expect_str_eq(xattr(e, "k"), "<\t");
	cr_expect_str_eq(e->text, "t&");
	cr_expect_eq(e->nkid, 1);
	xfree(e);
}

Test(emit_check, junit_has_one_suite_per_input_and_one_case_per_enabled_rule)
{
	struct vms_check_result *a = new_result("a.txt"), *b = new_result("b.txt");
	add(a, "overlap", VMS_CHECK_ERROR, 12, "first overlap");
	add(a, "overlap", VMS_CHECK_ERROR, 14, "second overlap");
	add(a, "guard-page", VMS_CHECK_WARNING, 3, "no guard page");
	add(a, "largest-hole", VMS_CHECK_WARNING, 0, "largest hole 4 MiB");
	add_skip(b, "ioremap-align", "addresses are hashed");
	struct vms_checked c[] = {checked(a), checked(b)};
	struct xnode *root = junit_of(c, 2);
	size_t def = nr_default_rules();

	cr_expect_str_eq(root->name, "testsuites");
	cr_expect_eq(root->nattr, 4);
	expect_attr(root, "name", "vmscope check");
	char buf[32];
	snprintf(buf, sizeof(buf), "%zu", def + 1 + def);
	expect_attr(root, "tests", buf);
	expect_attr(root, "failures", "3");
	expect_attr(root, "skipped", "1");
	cr_assert_eq(root->nkid, 2);
	cr_assert_eq(xcount(root, "testsuite"), 2);

	const char *files[] = {"a.txt", "b.txt"};
	for (size_t s = 0; s < 2; s++) {
		struct xnode *suite = xkid(root, "testsuite", s);
		cr_expect_eq(suite->nattr, 4);
		expect_attr(suite, "name", files[s]);
		size_t want = def + (s == 0); /* largest-hole is off by default */
		snprintf(buf, sizeof(buf), "%zu", want);
		expect_attr(suite, "tests", buf);
		cr_assert_eq(xcount(suite, "testcase"), want);
		/* cases follow the catalogue order, one per rule */
		size_t k = 0;
		for (size_t i = 0; i < vms_nr_rules; i++) {
			if (!vms_rules[i].enabled &&
			    !(s == 0 && i == rule_ix("largest-hole")))
				continue;
			struct xnode *tc = xkid(suite, "testcase", k++);
			cr_expect_eq(tc->nattr, 2);
			expect_attr(tc, "classname", files[s]);
			expect_attr(tc, "name", vms_rules[i].id);
		}
	}
	struct xnode *a_suite = xkid(root, "testsuite", 0);
	expect_attr(a_suite, "failures", "3");
	expect_attr(a_suite, "skipped", "0");
	expect_attr(xkid(root, "testsuite", 1), "failures", "0");
	expect_attr(xkid(root, "testsuite", 1), "skipped", "1");
	cr_expect_null(xcase(a_suite, "usage"), "a default-off rule without findings");
	cr_expect_eq(xcase(a_suite, "area-range")->nkid, 0, "a passing rule is empty");
	xfree(root);
	free_result(a);
	free_result(b);
}

Test(emit_check, junit_failure_lists_each_unbaselined_warning_and_error)
{
	struct vms_check_result *r = new_result("a.txt");
	add(r, "overlap", VMS_CHECK_ERROR, 12, "first overlap");
	add(r, "overlap", VMS_CHECK_WARNING, 14, "second overlap");
	add(r, "overlap", VMS_CHECK_INFO, 15, "just so you know");
	add(r, "guard-page", VMS_CHECK_WARNING, 3, "no guard page");
	add(r, "vmalloc-start", VMS_CHECK_ERROR, 0, "VMALLOC_START is off");
	add_in(r, "layout-size", VMS_CHECK_WARNING, 40, false, "boot.log",
	       "size differs");
	struct vms_checked c = checked(r);
	struct xnode *root = junit_of(&c, 1);
	struct xnode *s = xkid(root, "testsuite", 0);

	struct xnode *f = xkid(xcase(s, "overlap"), "failure", 0);
	cr_expect_eq(f->nattr, 2);
	expect_attr(f, "message", "2 findings");
	expect_attr(f, "type", "error");
	cr_expect_str_eq(f->text, "12: first overlap\n14: second overlap");
	cr_expect_str_eq(xkid(xcase(s, "overlap"), "system-out", 0)->text,
	                 "15: info: just so you know");

	f = xkid(xcase(s, "guard-page"), "failure", 0);
	expect_attr(f, "message", "1 finding");
	expect_attr(f, "type", "warning");
	cr_expect_str_eq(f->text, "3: no guard page");
	cr_expect_str_eq(xkid(xcase(s, "vmalloc-start"), "failure", 0)->text,
	                 "VMALLOC_START is off");
	cr_expect_str_eq(xkid(xcase(s, "layout-size"), "failure", 0)->text,
	                 "boot.log:40: size differs");
	expect_attr(s, "failures", "4");
	xfree(root);
	free_result(r);
}

Test(emit_check, junit_info_and_baselined_findings_pass_and_go_to_system_out)
{
	struct vms_check_result *r = new_result("a.txt");
	add_in(r, "overlap", VMS_CHECK_ERROR, 12, true, NULL, "known overlap");
	add(r, "percpu-not-top", VMS_CHECK_INFO, 0, "chunks not at the top");
	struct vms_checked c = checked(r);
	struct xnode *root = junit_of(&c, 1);
	struct xnode *s = xkid(root, "testsuite", 0);
	expect_attr(root, "failures", "0");
	expect_attr(s, "failures", "0");
	struct xnode *ov = xcase(s, "overlap");
	cr_assert_not_null(ov);
	cr_expect_eq(xcount(ov, "failure"), 0);
	cr_expect_eq(ov->nkid, 1);
	cr_expect_str_eq(xkid(ov, "system-out", 0)->text,
	                 "12: error: known overlap (baseline)");
	struct xnode *pc = xcase(s, "percpu-not-top");
	cr_expect_eq(xcount(pc, "failure"), 0);
	cr_expect_str_eq(xkid(pc, "system-out", 0)->text, "info: chunks not at the top");
	xfree(root);
	free_result(r);
}

Test(emit_check, junit_skipped_rule_carries_its_reason_unless_it_also_fails)
{
	struct vms_check_result *r = new_result("h.txt");
	add_skip(r, "overlap", "addresses are \"hashed\" <ptrval> & co");
	add_skip(r, "usage", "no vmalloc region");
	add_skip(r, "vpages", "partly");
	add(r, "vpages", VMS_CHECK_WARNING, 4, "vpages set on a small array");
	struct vms_checked c = checked(r);
	struct xnode *root = junit_of(&c, 1);
	struct xnode *s = xkid(root, "testsuite", 0);
	struct xnode *sk = xkid(xcase(s, "overlap"), "skipped", 0);
	cr_expect_eq(sk->nattr, 1);
	expect_attr(sk, "message", "addresses are \"hashed\" <ptrval> & co");
	cr_expect_eq(sk->nkid, 0);
	cr_assert_not_null(xcase(s, "usage"), "a skipped rule is enabled for the run");
	expect_attr(xkid(xcase(s, "usage"), "skipped", 0), "message",
	            "no vmalloc region");
	/* a case holds one outcome: failing findings win over a skip */
	struct xnode *vp = xcase(s, "vpages");
	cr_expect_eq(xcount(vp, "failure"), 1);
	cr_expect_eq(xcount(vp, "skipped"), 0);
	expect_attr(s, "failures", "1");
	expect_attr(s, "skipped", "2");
	expect_attr(root, "skipped", "2");
	char buf[32];
	snprintf(buf, sizeof(buf), "%zu", nr_default_rules() + 1);
	expect_attr(s, "tests", buf);
	xfree(root);
	free_result(r);
}

Test(emit_check, junit_escapes_markup_quotes_and_control_bytes)
{
	static const char name[] = "a<b>&\"c'\td.txt";
	struct vms_check_result *r = new_result(name);
	add(r, "overlap", VMS_CHECK_ERROR, 1,
	    "x<y & y>z \"q\" 'a' ctl\x01 del\x7f nl\nbad\xff c1\xc2\x85 "
	    "nonchar\xef\xbf\xbf "
	    "tab\t\xc3\xa9");
	struct vms_checked c = checked(r);
	char *text = capture(vms_emit_check_junit, &c, 1);
	cr_expect_null(strstr(text, "a<b>"), "raw markup from the file name");
	cr_expect_null(strchr(text, '\x7f'));
	cr_expect_not_null(
	    strstr(text, "name=\"a&lt;b&gt;&amp;&quot;c&apos;&#9;d.txt\""));
	struct xnode *root = xml_parse(text);
	struct xnode *s = xkid(root, "testsuite", 0);
	expect_attr(s, "name", name);
	expect_attr(xcase(s, "overlap"), "classname", name);
	cr_expect_str_eq(xkid(xcase(s, "overlap"), "failure", 0)->text,
	                 "1: x<y & y>z \"q\" 'a' ctl\\x01 del\\x7f nl\\x0abad\\xff "
	                 "c1\\xc2\\x85 nonchar\\xef\\xbf\\xbf tab\t\xc3\xa9");
	xfree(root);
	free(text);
	free_result(r);
}

Test(emit_check, junit_counts_findings_past_the_cap_at_the_rule_severity)
{
	struct vms_check_result *r = new_result("big.txt");
	add(r, "guard-page", VMS_CHECK_WARNING, 4, "no guard page");
	add(r, "guard-page", VMS_CHECK_WARNING, 6, "no guard page either");
	add_in(r, "guard-page", VMS_CHECK_WARNING, 9, true, NULL, "known");
	r->dropped[rule_ix("guard-page")] = 5;
	r->dropped[rule_ix("overlap")] = 1;
	r->dropped[rule_ix("percpu-not-top")] = 3;
	r->dropped[rule_ix("largest-hole")] = 2;
	struct vms_checked c = checked(r);
	struct xnode *root = junit_of(&c, 1);
	struct xnode *s = xkid(root, "testsuite", 0);
	struct xnode *f = xkid(xcase(s, "guard-page"), "failure", 0);
	expect_attr(f, "message", "7 findings");
	expect_attr(f, "type", "warning");
	cr_expect_str_eq(f->text, "4: no guard page\n6: no guard page either\n"
	                          "(5 more not listed)");
	/* the count of dropped failing findings is not repeated among the quiet */
	cr_expect_str_eq(xkid(xcase(s, "guard-page"), "system-out", 0)->text,
	                 "9: warning: known (baseline)");
	f = xkid(xcase(s, "overlap"), "failure", 0);
	expect_attr(f, "message", "1 finding");
	expect_attr(f, "type", "error");
	cr_expect_str_eq(f->text, "(1 more not listed)");
	struct xnode *pc = xcase(s, "percpu-not-top");
	cr_expect_eq(xcount(pc, "failure"), 0);
	cr_expect_str_eq(xkid(pc, "system-out", 0)->text, "(3 more not listed)");
	cr_assert_not_null(xcase(s, "largest-hole"), "a rule with findings is enabled");
	expect_attr(xkid(xcase(s, "largest-hole"), "failure", 0), "message",
	            "2 findings");
	expect_attr(s, "failures", "3");
	xfree(root);
	free_result(r);
}

Test(emit_check, junit_names_stdin_and_the_dump_without_a_result_source)
{
	struct vms_dump *d = vms_dump_new("a.txt");
	struct vms_check_result *in = new_result("-"), *anon = new_result(NULL);
	add(in, "overlap", VMS_CHECK_ERROR, 2, "x");
	struct vms_checked c[] = {checked(in),
	                          {.dump = d, .model = NULL, .result = anon}};
	struct xnode *root = junit_of(c, 2);
	expect_attr(xkid(root, "testsuite", 0), "name", "<stdin>");
	expect_attr(xkid(xkid(root, "testsuite", 0), "testcase", 0), "classname",
	            "<stdin>");
	expect_attr(xkid(root, "testsuite", 1), "name", "a.txt");
	xfree(root);
	free_result(in);
	free_result(anon);
	vms_dump_free(d);
}

Test(emit_check, junit_without_inputs_is_an_empty_testsuites)
{
	char *text = capture(vms_emit_check_junit, NULL, 0);
	struct xnode *root = xml_parse(text);
	cr_expect_str_eq(root->name, "testsuites");
	expect_attr(root, "tests", "0");
	expect_attr(root, "failures", "0");
	cr_expect_eq(root->nkid, 0);
	xfree(root);
	free(text);
}

/* ---- GitHub Actions ----------------------------------------------------- */

static void expect_github(const struct vms_checked *c, size_t n, const char *want)
{
	char *got = capture(vms_emit_check_github, c, n);
	cr_expect_str_eq(got, want);
	free(got);
}

Test(emit_check, github_one_command_per_finding_by_severity)
{
	struct vms_check_result *a = new_result("a.txt"), *b = new_result("b.txt");
	add(a, "overlap", VMS_CHECK_ERROR, 12, "areas overlap");
	add(a, "guard-page", VMS_CHECK_WARNING, 3, "no guard page");
	add(a, "percpu-not-top", VMS_CHECK_INFO, 0, "chunks not at the top");
	add(b, "unsorted", VMS_CHECK_WARNING, 7, "not sorted");
	struct vms_checked c[] = {checked(a), checked(b)};
	expect_github(c, 2,
	              "::error file=a.txt,line=12,title=overlap::areas overlap\n"
	              "::warning file=a.txt,line=3,title=guard-page::no guard page\n"
	              "::notice file=a.txt,title=percpu-not-top::chunks not at the top\n"
	              "::warning file=b.txt,line=7,title=unsorted::not sorted\n");
	free_result(a);
	free_result(b);
}

Test(emit_check, github_escapes_percent_newline_and_property_separators)
{
	struct vms_check_result *r = new_result("logs/a,b:c%d.txt");
	add(r, "usage", VMS_CHECK_WARNING, 1, "usage 97% > 90%: a,b::c\nsecond line\r");
	struct vms_checked c = checked(r);
	expect_github(&c, 1,
	              "::warning file=logs/a%2Cb%3Ac%25d.txt,line=1,title=usage::"
	              "usage 97%25 > 90%25: a,b::c%0Asecond line%0D\n");
	free_result(r);
}

Test(emit_check, github_leaves_out_baselined_findings_and_stdin_file)
{
	struct vms_check_result *in = new_result("-");
	add_in(in, "overlap", VMS_CHECK_ERROR, 4, true, NULL, "known");
	add(in, "duplicate", VMS_CHECK_WARNING, 9, "listed twice");
	add_in(in, "layout-size", VMS_CHECK_WARNING, 40, false, "boot.log",
	       "from the log");
	struct vms_checked c = checked(in);
	expect_github(
	    &c, 1,
	    "::warning title=duplicate::listed twice\n"
	    "::warning file=boot.log,line=40,title=layout-size::from the log\n");
	free_result(in);
}

Test(emit_check, github_writes_control_bytes_as_hex_text)
{
	struct vms_check_result *r = new_result("a.txt");
	add(r, "overlap", VMS_CHECK_ERROR, 1,
	    "\x1b[31mred\x1b[0m bad\xff ok\xc3\xa9\ttab");
	struct vms_checked c = checked(r);
	expect_github(&c, 1,
	              "::error file=a.txt,line=1,title=overlap::"
	              "\\x1b[31mred\\x1b[0m bad\\xff ok\xc3\xa9\ttab\n");
	free_result(r);
}

Test(emit_check, github_says_how_many_findings_were_not_listed)
{
	struct vms_check_result *r = new_result("big.txt");
	add(r, "overlap", VMS_CHECK_ERROR, 3, "x");
	r->dropped[rule_ix("overlap")] = 1234;
	r->dropped[rule_ix("percpu-not-top")] = 2;
	struct vms_checked c = checked(r);
	expect_github(
	    &c, 1,
	    "::error file=big.txt,line=3,title=overlap::x\n"
	    "::error file=big.txt,title=overlap::1234 more findings of this rule "
	    "were not listed\n"
	    "::notice file=big.txt,title=percpu-not-top::2 more findings of this "
	    "rule were not listed\n");
	free_result(r);
}

/* ---- all writers -------------------------------------------------------- */

Test(emit_check, writers_report_a_stream_error_as_eio)
{
	struct vms_check_result *r = new_result("a.txt");
	add(r, "overlap", VMS_CHECK_ERROR, 1, "x");
	struct vms_checked c = checked(r);
	check_writer writers[] = {sarif_writer, vms_emit_check_junit,
	                          vms_emit_check_github};
	for (size_t i = 0; i < 3; i++) {
		FILE *fp = fopen("/dev/null", "r"); /* every write fails */
		cr_assert_not_null(fp);
		cr_expect_eq(writers[i](fp, &c, 1), -VMS_EIO, "writer %zu", i);
		fclose(fp);
	}
	free_result(r);
}
