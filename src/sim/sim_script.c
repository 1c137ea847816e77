/*
 * sim_script.c — event scripts: the CSV rows "op,id,size,align,kind,caller"
 * a simulation runs (read by `vmscope sim --script`, written by --record),
 * and the names of ops and allocation kinds. The only module of src/sim/
 * that uses libcsv.
 *
 * Reading (vms_sim_script_read) is libcsv in strict mode, fed by this
 * module so that every field and every error has its exact line and
 * column:
 *  - the input goes to csv_parse() in pieces that each end at a ',', CR or
 *    LF byte; libcsv reports fields and rows only while it reads such a
 *    byte, so every callback knows the offset of the byte that ended its
 *    field, and a field starts after the previous one ended;
 *  - offsets become lines and columns through one cursor that only moves
 *    forward (LF, CRLF and a lone CR each end a line; a UTF-8 BOM is
 *    skipped and not counted as a column), so quoted fields that hold
 *    newlines, CRLF files and a missing final newline are all counted
 *    exactly;
 *  - comment lines (first non-blank byte '#') are skipped before libcsv
 *    sees them, so a quote in a comment can never open a field; blank
 *    lines are rows without fields (CSV_REPALL_NL) and skipped too;
 *  - after a strict-mode error libcsv is restarted at the next line, so one
 *    broken quote costs one error, not the rest of the file.
 * Each bad row is one or more located errors (one per bad field, in column
 * order) and adds no event; errors are stored up to SCRIPT_MAX_ERRORS, the
 * rest counted in one closing note. Ids are checked against a hash set of
 * live ids (open addressing, O(1) expected per row). A bad alloc row still
 * reserves its id (its free is then neither an error nor an event) and a
 * bad free row frees nothing, so the events read are always a sequence
 * the simulator can run, errors or not.
 *
 * Cost: O(len) time. libcsv's field buffer grows by a fixed block, which is
 * quadratic on a huge field; the block is raised before every piece so the
 * buffer at least doubles when it grows. Memory: the input is not copied;
 * a row keeps at most SCRIPT_FIELD_MAX bytes of each of its first seven
 * fields; libcsv's buffer holds the longest field (at most twice it).
 *
 * Writing (vms_sim_script_write) puts plain fields as they are and quotes
 * with csv_fwrite() only a caller that needs it (a comma, a quote, a line
 * break, blanks at either end), so any script reads back to the same
 * events.
 */
#include "vmscope/sim.h"

#include <assert.h>
#include <csv.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "numbers.h"
#include "sim_ids.h"

#define SCRIPT_COLUMNS    6    /* op,id,size,align,kind,caller */
#define SCRIPT_MAX_ERRORS 1000 /* errors stored; the rest are counted */
/* bytes a field may hold (a kernel symbol with its offset fits:
 * KSYM_NAME_LEN is 512) */
#define SCRIPT_FIELD_MAX 1024
#define SNIP_MAX         40 /* input bytes quoted in a message */

static const char *const columns[SCRIPT_COLUMNS] = {"op",    "id",   "size",
                                                    "align", "kind", "caller"};

/* ---- names ---------------------------------------------------------------- */

static const char *const op_names[VMS_NR_OPS] = {"alloc", "free", "purge"};
static const char *const kind_names[VMS_NR_SIM_KINDS] = {
    "vmalloc", "ioremap", "vmap", "vm_map_ram", "percpu", "module"};

/* ASCII case-insensitive s[0..n) == lit (no locale: "I" is always "i"). */
static bool word_is(const char *s, size_t n, const char *lit)
{
	size_t i = 0;
	for (; i < n && lit[i]; i++) {
		unsigned char a = (unsigned char)s[i], b = (unsigned char)lit[i];
		if ((a >= 'A' && a <= 'Z' ? a + 32 : a) !=
		    (b >= 'A' && b <= 'Z' ? b + 32 : b))
			return false;
	}
	return i == n && !lit[i];
}

static int lookup(const char *const *names, int nr, const char *s, size_t n)
{
	for (int i = 0; s && i < nr; i++)
		if (word_is(s, n, names[i]))
			return i;
	return -1;
}

const char *vms_sim_op_name(unsigned op)
{
	return op < VMS_NR_OPS ? op_names[op] : "?";
}

int vms_sim_op_lookup(const char *s, size_t n)
{
	return lookup(op_names, VMS_NR_OPS, s, n);
}

const char *vms_sim_kind_name(unsigned k)
{
	return k < VMS_NR_SIM_KINDS ? kind_names[k] : "?";
}

int vms_sim_kind_lookup(const char *s, size_t n)
{
	return lookup(kind_names, VMS_NR_SIM_KINDS, s, n);
}

/* ---- the script object ---------------------------------------------------- */

void vms_sim_script_init(struct vms_sim_script *s, const char *source)
{
	memset(s, 0, sizeof(*s));
	s->source = source;
	vms_symtab_init(&s->syms, &s->arena);
}

void vms_sim_script_free(struct vms_sim_script *s)
{
	if (!s)
		return;
	vms_symtab_free(&s->syms);
	vms_arena_free(&s->arena);
	free(s->ev.v);
	free(s->errors.v);
	s->ev.v = NULL;
	s->errors.v = NULL;
	s->ev.n = s->ev.cap = s->errors.n = s->errors.cap = 0;
}

/* Appends e with the fields its op does not use cleared, so that a script
 * reads back equal to what was written (a free has no size, a purge no
 * id). */
static void push_event(struct vms_sim_script *s, struct vms_sim_event e)
{
	assert(e.op < VMS_NR_OPS && e.kind < VMS_NR_SIM_KINDS);
	if (e.op != VMS_OP_ALLOC) {
		e.size = e.align = 0;
		e.kind = 0;
		e.caller = 0;
	}
	if (e.op == VMS_OP_PURGE)
		e.id = 0;
	vms_vec_push(&s->ev, e);
}

void vms_sim_script_add(struct vms_sim_script *s, unsigned op, uint64_t id, uint64_t size,
                        uint64_t align, unsigned kind, const char *caller)
{
	struct vms_sim_event e = {
	    .id = id,
	    .size = size,
	    .align = align,
	    .caller = caller && *caller
	                  ? vms_symtab_intern(&s->syms, caller, strlen(caller))
	                  : 0,
	    .op = (uint8_t)op,
	    .kind = (uint8_t)kind,
	};
	push_event(s, e);
}

/* ---- live ids ------------------------------------------------------------- */

/* The ids allocated and not yet freed (sim_ids.h), each with the line of
 * its allocation and whether that row was bad (the id is then only
 * reserved): line << 1 | bad. */
static uint32_t live_val(uint32_t line, bool bad)
{
	return line << 1 | (bad ? 1u : 0u); /* lines < 2^31: a script of 2 GiB+ */
}

/* ---- the reader ------------------------------------------------------------ */

/* One field of the current row: a copy of at most SCRIPT_FIELD_MAX bytes. */
struct field {
	size_t off;  /* of its copy in reader.text (NUL-terminated) */
	size_t len;  /* bytes copied */
	size_t full; /* bytes the field has */
	size_t at;   /* input offset of its first non-blank byte */
};

struct reader {
	struct vms_sim_script *s;
	const char *buf;
	size_t len, base; /* base: after a UTF-8 BOM */
	struct csv_parser csv;
	/* where libcsv is: term is the offset of the byte being read when it
	 * calls back (len at the end), from where the next field starts */
	size_t term, from;
	bool at_row_start;
	bool seen_row; /* a row was read: no header after it */
	/* the row being read: its first SCRIPT_COLUMNS + 1 fields, all counted */
	struct field f[SCRIPT_COLUMNS + 1];
	size_t nf;
	VMS_VEC(char) text;
	/* the line cursor: lines counted up to offset off */
	size_t off, line_start;
	uint32_t line;
	struct sim_ids live; /* live_val() per id */
	uint64_t nerr, dropped;
	uint32_t first_dropped;
};

enum {
	CSV_OPTIONS = CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_EMPTY_IS_NULL,
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Moves the cursor to offset off (never backwards) and returns its line. */
static uint32_t line_at(struct reader *r, size_t off)
{
	assert(off >= r->off);
	for (; r->off < off; r->off++) {
		char c = r->buf[r->off];
		bool ends =
		    c == '\n' ||
		    (c == '\r' && (r->off + 1 == r->len || r->buf[r->off + 1] != '\n'));
		if (ends) {
			r->line += r->line < UINT32_MAX;
			r->line_start = r->off + 1;
		}
	}
	return r->line;
}

static uint32_t col_at(struct reader *r, size_t off)
{
	line_at(r, off);
	size_t c = off - r->line_start + 1;
	return c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

/* s[0..n) quoted for a message: at most SNIP_MAX bytes (never cutting a
 * UTF-8 character), control bytes, NUL and invalid UTF-8 as \xNN, "..."
 * when cut. Into out (at least 4 * SNIP_MAX + 8 bytes). */
static const char *snip(const char *s, size_t n, char *out)
{
	size_t keep = vms_utf8_clip(s, n, SNIP_MAX), o = 0;
	for (size_t i = 0; i < keep;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c >= 0x80 ? vms_utf8_len(s + i, keep - i) : 1;
		if (c >= 0x80 && k) {
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
			continue;
		}
		if (c < 0x20 || c == 0x7f || c >= 0x80)
			o += (size_t)sprintf(out + o, "\\x%02x", c);
		else
			out[o++] = (char)c;
		i++;
	}
	if (keep < n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/* Records an error at input offset at (its line and column). */
static void error_at(struct reader *r, size_t at, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void error_at(struct reader *r, size_t at, const char *code, const char *fmt, ...)
{
	uint32_t line = line_at(r, at);
	r->nerr++;
	if (r->s->errors.n >= SCRIPT_MAX_ERRORS) {
		if (!r->dropped++)
			r->first_dropped = line;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	struct vms_diag d = {
	    .line = line,
	    .col = col_at(r, at),
	    .area = -1,
	    .severity = VMS_SEV_ERROR,
	    .code = code,
	    .message = vms_arena_vprintf(&r->s->arena, fmt, ap),
	};
	va_end(ap);
	vms_vec_push(&r->s->errors, d);
}

/* ---- fields ----------------------------------------------------------------- */

/* Field i of the row, blanks trimmed, NUL-terminated in place; "" when the
 * row has no such field. */
static const char *field_text(struct reader *r, size_t i, size_t *n)
{
	if (i >= r->nf) {
		*n = 0;
		return "";
	}
	char *s = r->text.v + r->f[i].off;
	size_t len = r->f[i].len;
	while (len && is_blank(*s))
		s++, len--;
	while (len && is_blank(s[len - 1]))
		len--;
	s[len] = '\0';
	*n = len;
	return s;
}

/* Where field i starts, or for a missing field the end of the row. */
static size_t field_at(const struct reader *r, size_t i)
{
	return i < r->nf ? r->f[i].at : r->term;
}

static bool too_long(struct reader *r, size_t i, const char *code, const char *what)
{
	if (i >= r->nf || r->f[i].full <= SCRIPT_FIELD_MAX)
		return false;
	error_at(r, r->f[i].at, code,
	         "%s of %zu bytes is too long (a field holds at most %d)", what,
	         r->f[i].full, SCRIPT_FIELD_MAX);
	return true;
}

/* The id in field 1: an unsigned decimal integer >= 1. */
static bool field_id(struct reader *r, unsigned op, uint64_t *id)
{
	char q[4 * SNIP_MAX + 8];
	size_t n;
	const char *s = field_text(r, 1, &n);
	bool ovf = false;
	if (too_long(r, 1, "script-id", "id"))
		return false;
	if (!n) {
		error_at(r, field_at(r, 1), "script-id",
		         "missing id: '%s' needs the id of its allocation (1 or more)",
		         vms_sim_op_name(op));
		return false;
	}
	if (vms_scan_dec(s, s + n, id, &ovf) != n || ovf || *id == 0) {
		error_at(r, r->f[1].at, "script-id", "id '%s' %s", snip(s, n, q),
		         ovf ? "does not fit in 64 bits"
		             : "is not an id (an unsigned decimal integer of 1 or more)");
		return false;
	}
	return true;
}

/* A size in field i (vms_parse_size forms); empty is 0 when optional. */
static bool field_size(struct reader *r, size_t i, const char *code, const char *what,
                       bool required, uint64_t *v)
{
	char q[4 * SNIP_MAX + 8];
	size_t n;
	const char *s = field_text(r, i, &n);
	*v = 0;
	if (too_long(r, i, code, what))
		return false;
	if (!n) {
		if (required)
			error_at(
			    r, field_at(r, i), code,
			    "missing %s: an alloc row is op,id,size[,align,kind,caller]",
			    what);
		return !required;
	}
	int rc = vms_parse_size(s, v);
	if (rc == -VMS_ERANGE)
		error_at(r, r->f[i].at, code, "%s '%s' does not fit in 64 bits", what,
		         snip(s, n, q));
	else if (rc)
		error_at(r, r->f[i].at, code,
		         "%s '%s' is not a size (bytes as 8192, 0x2000, 8K, 16M or 1G)",
		         what, snip(s, n, q));
	return rc == 0;
}

/* The caller in field 5, taken as it is: libcsv trimmed an unquoted one, a
 * quoted one keeps its blanks and line breaks (the writer quotes such
 * names, so they read back the same). No NUL (callers are C strings
 * further on), at most SCRIPT_FIELD_MAX bytes. */
static bool field_caller(struct reader *r, uint32_t *id)
{
	char q[4 * SNIP_MAX + 8];
	*id = 0;
	if (r->nf <= 5 || !r->f[5].len)
		return true;
	if (too_long(r, 5, "script-caller", "caller"))
		return false;
	const char *s = r->text.v + r->f[5].off;
	size_t n = r->f[5].len;
	if (memchr(s, '\0', n)) {
		error_at(r, r->f[5].at, "script-caller",
		         "caller '%s' holds a NUL byte (a caller is a symbol name)",
		         snip(s, n, q));
		return false;
	}
	*id = vms_symtab_intern(&r->s->syms, s, n);
	return true;
}

/* Fields first..nf-1 must be empty or blank (free and purge rows, whose
 * form is given for the message). */
static bool fields_empty(struct reader *r, size_t first, const char *op, const char *form)
{
	char q[4 * SNIP_MAX + 8];
	size_t n;
	for (size_t i = first; i < r->nf && i < SCRIPT_COLUMNS; i++) {
		const char *s = field_text(r, i, &n);
		if (n) {
			error_at(r, r->f[i].at, "script-fields",
			         "%s '%s' on a %s row (a %s row is '%s')", columns[i],
			         snip(s, n, q), op, op, form);
			return false;
		}
	}
	return true;
}

/* ---- rows ------------------------------------------------------------------- */

static bool is_header(struct reader *r)
{
	size_t n;
	if (r->nf != SCRIPT_COLUMNS)
		return false;
	for (size_t i = 0; i < SCRIPT_COLUMNS; i++) {
		const char *s = field_text(r, i, &n);
		if (!word_is(s, n, columns[i]))
			return false;
	}
	return true;
}

/* The id of an alloc row: not live (a reservation by a bad row is taken
 * over). Returns true when it is live (an error). */
static bool alloc_id(struct reader *r, struct vms_sim_event *e, bool *ok)
{
	*ok = field_id(r, VMS_OP_ALLOC, &e->id);
	const uint32_t *live = *ok ? sim_ids_get(&r->live, e->id) : NULL;
	if (!live || (*live & 1))
		return false;
	error_at(r, r->f[1].at, "script-id",
	         "id %" PRIu64
	         " is allocated again while live (allocated at line %" PRIu32
	         ", not freed since)",
	         e->id, *live >> 1);
	return true;
}

/* The alignment in field 3: empty or 0 for the default, else a power of
 * two. */
static void alloc_align(struct reader *r, uint64_t *align)
{
	if (field_size(r, 3, "script-align", "alignment", false, align) &&
	    (*align & (*align - 1)))
		error_at(r, r->f[3].at, "script-align",
		         "alignment %" PRIu64
		         " is not a power of two (0 or empty for the kind's default)",
		         *align);
}

/* The kind in field 4: empty for vmalloc. */
static void alloc_kind(struct reader *r, uint8_t *kind)
{
	char q[4 * SNIP_MAX + 8];
	size_t n;
	const char *s = field_text(r, 4, &n);
	int k = n ? vms_sim_kind_lookup(s, n) : VMS_SK_VMALLOC;
	if (!too_long(r, 4, "script-kind", "kind") && k < 0)
		error_at(
		    r, r->f[4].at, "script-kind",
		    "unknown kind '%s' (vmalloc, ioremap, vmap, vm_map_ram, percpu or "
		    "module; empty for vmalloc)",
		    snip(s, n, q));
	*kind = (uint8_t)(k < 0 ? 0 : k);
}

static void row_alloc(struct reader *r, struct vms_sim_event *e)
{
	uint64_t errors = r->nerr;
	bool id_ok;
	bool live = alloc_id(r, e, &id_ok);
	if (field_size(r, 2, "script-size", "size", true, &e->size) && !e->size)
		error_at(r, r->f[2].at, "script-size",
		         "size 0: an allocation asks for at least one byte");
	alloc_align(r, &e->align);
	alloc_kind(r, &e->kind);
	field_caller(r, &e->caller);
	/* a bad row still reserves its id, so that its free is not a second
	 * error (and adds no event either) */
	if (id_ok && !live)
		sim_ids_put(&r->live, e->id, live_val(e->line, r->nerr != errors));
	if (r->nerr == errors)
		push_event(r->s, *e);
}

/* A free row frees its id only when the row is good, so the events stay
 * a sequence the kernel could run even when the script has errors. */
static void row_free(struct reader *r, struct vms_sim_event *e)
{
	uint64_t errors = r->nerr;
	const uint32_t *live = NULL;
	if (field_id(r, VMS_OP_FREE, &e->id) && !(live = sim_ids_get(&r->live, e->id)))
		error_at(r, r->f[1].at, "script-id",
		         "free of id %" PRIu64
		         ", which is not live (never allocated, or already freed)",
		         e->id);
	fields_empty(r, 2, "free", "free,ID");
	if (r->nerr != errors)
		return;
	bool reserved = *live & 1; /* its alloc row was bad: no event */
	sim_ids_del(&r->live, e->id);
	if (!reserved)
		push_event(r->s, *e);
}

/* A row of libcsv's: an event, the header, or errors. */
static void row_done(struct reader *r)
{
	char q[4 * SNIP_MAX + 8];
	size_t n;
	struct vms_sim_event e = {.line = line_at(r, r->f[0].at)};
	if (!r->seen_row) {
		r->seen_row = true;
		if (is_header(r))
			return;
	}
	const char *op = field_text(r, 0, &n);
	int k = vms_sim_op_lookup(op, n);
	if (k < 0 && n)
		error_at(r, r->f[0].at, "script-op",
		         "unknown op '%s' (alloc, free or purge)", snip(op, n, q));
	else if (k < 0)
		error_at(r, r->f[0].at, "script-op",
		         "missing op: a row starts with alloc, free or purge");
	if (k < 0)
		return;
	if (r->nf > SCRIPT_COLUMNS) {
		error_at(
		    r, r->f[SCRIPT_COLUMNS].at, "script-fields",
		    "%zu fields: a row has at most %d (op,id,size,align,kind,caller)",
		    r->nf, SCRIPT_COLUMNS);
		return;
	}
	e.op = (uint8_t)k;
	if (k == VMS_OP_ALLOC)
		row_alloc(r, &e);
	else if (k == VMS_OP_FREE)
		row_free(r, &e);
	else if (fields_empty(r, 1, "purge", "purge"))
		push_event(r->s, e);
}

/* ---- libcsv ----------------------------------------------------------------- */

static void row_reset(struct reader *r)
{
	r->nf = 0;
	r->text.n = 0;
}

/* libcsv: a field ended at the byte at r->term (s is NULL for an empty
 * unquoted field, not NUL-terminated otherwise). */
static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	size_t at = r->from;
	while (at < r->term && is_blank(r->buf[at]))
		at++;
	if (r->nf <= SCRIPT_COLUMNS) {
		size_t keep = len <= SCRIPT_FIELD_MAX ? len : SCRIPT_FIELD_MAX;
		struct field *f = &r->f[r->nf];
		*f = (struct field){r->text.n, keep, len, at};
		vms_vec_reserve(&r->text, r->text.n + keep + 1);
		if (keep)
			memcpy(r->text.v + r->text.n, s, keep);
		r->text.v[r->text.n + keep] = '\0';
		r->text.n += keep + 1;
	}
	r->nf++;
	r->from = r->term + 1;
	r->at_row_start = false;
}

/* libcsv: a row ended (c: the CR or LF, -1 at the end of the input); with
 * CSV_REPALL_NL blank lines and the LF of a CRLF are rows without fields. */
static void on_row(int c, void *data)
{
	struct reader *r = data;
	(void)c;
	if (r->nf)
		row_done(r);
	row_reset(r);
	r->from = r->term + 1;
	r->at_row_start = true;
}

static void csv_start(struct reader *r)
{
	if (csv_init(&r->csv, CSV_OPTIONS) != 0)
		vms_oom(sizeof(r->csv));
	/* out of memory aborts (common.h), so libcsv never fails for it */
	csv_set_realloc_func(&r->csv, vms_xrealloc);
	csv_set_free_func(&r->csv, free);
}

/* Offset just past the line ending at or after at (LF, CRLF or CR). */
static size_t next_line(const struct reader *r, size_t at)
{
	while (at < r->len && r->buf[at] != '\n' && r->buf[at] != '\r')
		at++;
	if (at < r->len && r->buf[at] == '\r' && at + 1 < r->len &&
	    r->buf[at + 1] == '\n')
		at++;
	return at < r->len ? at + 1 : r->len;
}

/* At the start of a row: skips a comment line; returns whether it did. */
static bool skip_comment(struct reader *r, size_t *pos)
{
	size_t q = *pos;
	while (q < r->len && is_blank(r->buf[q]))
		q++;
	if (q == r->len || r->buf[q] != '#')
		return false;
	*pos = r->from = next_line(r, q);
	return true;
}

/* Offset just past the next ',', CR or LF at or after pos (or len). */
static size_t next_piece(const struct reader *r, size_t pos)
{
	while (pos < r->len) {
		char c = r->buf[pos++];
		if (c == ',' || c == '\n' || c == '\r')
			break;
	}
	return pos;
}

/* libcsv stopped at the byte at offset at (strict mode): one error, the
 * row is dropped, and reading starts again at the next line. */
static size_t csv_broken(struct reader *r, size_t at)
{
	char q[4 * SNIP_MAX + 8];
	if (r->buf[at] == '"')
		error_at(r, at, "script-csv",
		         "stray quote: a quote may only open a field, close it, or be "
		         "doubled inside a quoted field (\"a \"\"b\"\"\")");
	else
		error_at(
		    r, at, "script-csv",
		    "'%s' after the closing quote of a field (a quoted field ends at "
		    "its closing quote, then ',' or the end of the line)",
		    snip(r->buf + at, 1, q));
	csv_free(&r->csv);
	csv_start(r);
	row_reset(r);
	r->at_row_start = true;
	r->from = next_line(r, at);
	return r->from;
}

static void feed(struct reader *r)
{
	size_t pos = r->base;
	while (pos < r->len) {
		if (r->at_row_start && skip_comment(r, &pos))
			continue;
		size_t end = next_piece(r, pos), piece = end - pos;
		/* grow libcsv's field buffer geometrically: at least the piece
		 * and at least what it holds, never its default 128 bytes */
		size_t blk =
		    piece + 1 > r->csv.entry_size ? piece + 1 : r->csv.entry_size;
		csv_set_blk_size(&r->csv, blk < 128 ? 128 : blk);
		r->term = end - 1;
		r->at_row_start = false;
		size_t got = csv_parse(&r->csv, r->buf + pos, piece, on_field, on_row, r);
		pos = got == piece ? end : csv_broken(r, pos + got);
	}
	r->term = r->len;
	if (csv_fini(&r->csv, on_field, on_row, r) != 0) {
		size_t at = r->from;
		while (at < r->len && is_blank(r->buf[at]))
			at++;
		error_at(r, at, "script-csv",
		         "quoted field never closed: it runs to the end of the input");
		row_reset(r);
	}
	csv_free(&r->csv);
}

/* Ids live after the events s already holds (a second read continues). */
static void seed_live(struct reader *r)
{
	for (size_t i = 0; i < r->s->ev.n; i++) {
		const struct vms_sim_event *e = &r->s->ev.v[i];
		if (e->op == VMS_OP_ALLOC)
			sim_ids_put(&r->live, e->id, live_val(e->line, false));
		else if (e->op == VMS_OP_FREE)
			sim_ids_del(&r->live, e->id);
	}
}

int vms_sim_script_read(struct vms_sim_script *s, const char *buf, size_t len)
{
	struct reader r = {
	    .s = s, .buf = buf, .len = len, .line = 1, .at_row_start = true};
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		r.base = r.off = r.line_start = 3;
	r.from = r.base;
	seed_live(&r);
	csv_start(&r);
	feed(&r);
	line_at(&r, len);
	s->lines += len > r.base ? r.line - (r.line_start == len) : 0;
	if (r.dropped) {
		struct vms_diag d = {
		    .line = r.first_dropped,
		    .area = -1,
		    .severity = VMS_SEV_NOTE,
		    .code = "script-more-errors",
		    .message =
		        vms_arena_printf(&s->arena,
		                         "%" PRIu64 " more errors not shown (%d shown); "
		                         "the first of them is on this line",
		                         r.dropped, SCRIPT_MAX_ERRORS),
		};
		vms_vec_push(&s->errors, d);
	}
	free(r.text.v);
	sim_ids_free(&r.live);
	return r.nerr ? -VMS_EINVAL : 0;
}

/* ---- the writer -------------------------------------------------------------- */

/* Whether a caller must be quoted to read back as it is. */
static bool needs_quotes(const char *s, size_t n)
{
	if (n && (is_blank(s[0]) || is_blank(s[n - 1])))
		return true;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return true;
	return false;
}

static void put_number(FILE *fp, uint64_t v)
{
	fprintf(fp, ",%" PRIu64, v);
}

static void put_event(FILE *fp, const struct vms_sim_script *s,
                      const struct vms_sim_event *e)
{
	fputs(vms_sim_op_name(e->op), fp);
	if (e->op == VMS_OP_PURGE) {
		fputs(",,,,,\n", fp);
		return;
	}
	put_number(fp, e->id);
	if (e->op == VMS_OP_FREE) {
		fputs(",,,,\n", fp);
		return;
	}
	put_number(fp, e->size);
	if (e->align)
		put_number(fp, e->align);
	else
		fputc(',', fp);
	fprintf(fp, ",%s,", vms_sim_kind_name(e->kind));
	if (e->caller && e->caller < s->syms.syms.n) {
		const struct vms_sym *c = &s->syms.syms.v[e->caller];
		if (needs_quotes(c->name, c->len))
			csv_fwrite(fp, c->name, c->len);
		else
			fwrite(c->name, 1, c->len, fp);
	}
	fputc('\n', fp);
}

int vms_sim_script_write(FILE *fp, const struct vms_sim_script *s)
{
	for (size_t i = 0; i < SCRIPT_COLUMNS; i++)
		fprintf(fp, "%s%s", i ? "," : "", columns[i]);
	fputc('\n', fp);
	for (size_t i = 0; i < s->ev.n; i++)
		put_event(fp, s, &s->ev.v[i]);
	return ferror(fp) ? -VMS_EIO : 0;
}
