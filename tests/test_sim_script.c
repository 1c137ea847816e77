/*
 * test_sim_script.c — event scripts (sim_script.c): the names of ops and
 * kinds, good scripts in every form the reader accepts (header, comments,
 * blank lines, case, blanks, size forms, quoted callers), every error with
 * its exact line and column (table-driven; params hold char arrays only,
 * as Criterion copies them into a forked child), line counting through
 * CRLF, lone CR, a BOM, quoted fields holding newlines and a missing final
 * newline, the write/read round trip of awkward callers, a generated
 * script of 100,000 rows, the error cap, and hostile inputs of megabytes
 * (bounded messages, no quadratic buffer growth to wait for).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/sim.h"

/* ---- helpers --------------------------------------------------------------- */

static int read_text(struct vms_sim_script *s, const char *text, size_t len)
{
	vms_sim_script_init(s, "test.csv");
	return vms_sim_script_read(s, text, len);
}

static const char *caller_of(const struct vms_sim_script *s,
                             const struct vms_sim_event *e)
{
	return e->caller ? vms_symtab_name(&s->syms, e->caller) : NULL;
}

static void assert_event(const struct vms_sim_script *s, size_t i, unsigned op,
                         uint64_t id, uint64_t size, uint64_t align, unsigned kind,
                         const char *caller, uint32_t line)
{
	cr_assert_lt(i, s->ev.n, "event %zu of %zu", i, s->ev.n);
	const struct vms_sim_event *e = &s->ev.v[i];
	cr_assert_eq(e->op, op, "event %zu op %u", i, e->op);
	cr_assert_eq(e->id, id, "event %zu id %llu", i, (unsigned long long)e->id);
	cr_assert_eq(e->size, size, "event %zu size %llu", i,
	             (unsigned long long)e->size);
	cr_assert_eq(e->align, align, "event %zu align", i);
	cr_assert_eq(e->kind, kind, "event %zu kind %u", i, e->kind);
	if (caller)
		cr_assert_str_eq(caller_of(s, e) ? caller_of(s, e) : "(default)", caller,
		                 "event %zu", i);
	else
		cr_assert_eq(e->caller, 0, "event %zu caller %s", i, caller_of(s, e));
	cr_assert_eq(e->line, line, "event %zu line %u", i, e->line);
}

static void dump_errors(const struct vms_sim_script *s)
{
	for (size_t i = 0; i < s->errors.n; i++)
		fprintf(stderr, "%u:%u: %s [%s]\n", s->errors.v[i].line,
		        s->errors.v[i].col, s->errors.v[i].message, s->errors.v[i].code);
}

static void assert_error(const struct vms_sim_script *s, size_t i, const char *code,
                         uint32_t line, uint32_t col, const char *needle)
{
	if (i >= s->errors.n)
		dump_errors(s);
	cr_assert_lt(i, s->errors.n, "error %zu of %zu", i, s->errors.n);
	const struct vms_diag *d = &s->errors.v[i];
	cr_assert_str_eq(d->code, code, "%s", d->message);
	cr_assert_eq(d->line, line, "%s: line %u, want %u", d->message, d->line, line);
	cr_assert_eq(d->col, col, "%s: column %u, want %u", d->message, d->col, col);
	cr_assert_eq(d->severity, VMS_SEV_ERROR);
	if (needle)
		cr_assert(strstr(d->message, needle), "'%s' not in '%s'", needle,
		          d->message);
}

static char *write_script(const struct vms_sim_script *s, size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);
	cr_assert_not_null(fp);
	cr_assert_eq(vms_sim_script_write(fp, s), 0);
	cr_assert_eq(fclose(fp), 0);
	return buf;
}

/* The same events (op, id, size, align, kind, caller by name). */
static void assert_same_events(const struct vms_sim_script *a,
                               const struct vms_sim_script *b)
{
	cr_assert_eq(a->ev.n, b->ev.n);
	for (size_t i = 0; i < a->ev.n; i++) {
		const struct vms_sim_event *x = &a->ev.v[i], *y = &b->ev.v[i];
		cr_assert(x->op == y->op && x->id == y->id && x->size == y->size &&
		              x->align == y->align && x->kind == y->kind,
		          "event %zu differs", i);
		const char *cx = caller_of(a, x), *cy = caller_of(b, y);
		cr_assert((!cx && !cy) || (cx && cy && strcmp(cx, cy) == 0),
		          "event %zu caller '%s' != '%s'", i, cx ? cx : "", cy ? cy : "");
	}
}

/* ---- names ----------------------------------------------------------------- */

Test(sim_script, names_and_lookups_of_ops_and_kinds)
{
	static const char *const ops[] = {"alloc", "free", "purge"};
	static const char *const kinds[] = {"vmalloc",    "ioremap", "vmap",
	                                    "vm_map_ram", "percpu",  "module"};
	for (unsigned i = 0; i < VMS_NR_OPS; i++) {
		cr_assert_str_eq(vms_sim_op_name(i), ops[i]);
		cr_assert_eq(vms_sim_op_lookup(ops[i], strlen(ops[i])), (int)i);
	}
	for (unsigned i = 0; i < VMS_NR_SIM_KINDS; i++) {
		cr_assert_str_eq(vms_sim_kind_name(i), kinds[i]);
		cr_assert_eq(vms_sim_kind_lookup(kinds[i], strlen(kinds[i])), (int)i);
	}
	cr_assert_eq(vms_sim_op_lookup("PuRgE", 5), VMS_OP_PURGE);
	cr_assert_eq(vms_sim_kind_lookup("VM_MAP_RAM", 10), VMS_SK_VM_MAP_RAM);
	cr_assert_eq(vms_sim_op_lookup("allocate", 5), VMS_OP_ALLOC); /* only s[0..n) */
	cr_assert_eq(vms_sim_op_lookup("alloc", 4), -1);
	cr_assert_eq(vms_sim_op_lookup("allocx", 6), -1);
	cr_assert_eq(vms_sim_kind_lookup("", 0), -1);
	cr_assert_eq(vms_sim_kind_lookup(NULL, 0), -1);
	cr_assert_str_eq(vms_sim_op_name(VMS_NR_OPS), "?");
	cr_assert_str_eq(vms_sim_kind_name(99), "?");
}

Test(sim_script, add_clears_the_fields_an_op_does_not_use)
{
	struct vms_sim_script s;
	vms_sim_script_init(&s, "api");
	vms_sim_script_add(&s, VMS_OP_ALLOC, 7, 8192, 4096, VMS_SK_IOREMAP, "drv_probe");
	vms_sim_script_add(&s, VMS_OP_ALLOC, 8, 4096, 0, VMS_SK_VMAP, "");
	vms_sim_script_add(&s, VMS_OP_FREE, 7, 99, 64, VMS_SK_MODULE, "ignored");
	vms_sim_script_add(&s, VMS_OP_PURGE, 3, 1, 1, VMS_SK_PERCPU, NULL);
	assert_event(&s, 0, VMS_OP_ALLOC, 7, 8192, 4096, VMS_SK_IOREMAP, "drv_probe", 0);
	assert_event(&s, 1, VMS_OP_ALLOC, 8, 4096, 0, VMS_SK_VMAP, NULL, 0);
	assert_event(&s, 2, VMS_OP_FREE, 7, 0, 0, 0, NULL, 0);
	assert_event(&s, 3, VMS_OP_PURGE, 0, 0, 0, 0, NULL, 0);
	vms_sim_script_free(&s);
	vms_sim_script_free(NULL);
}

/* ---- good scripts ------------------------------------------------------------ */

static const char good[] = "# a workload, recorded\n"                          /* 1 */
                           "op,id,size,align,kind,caller\n"                    /* 2 */
                           "alloc,1,8192,,vmalloc,alloc_large_system_hash\n"   /* 3 */
                           "\n"                                                /* 4 */
                           "   # indented comment, with \"a quote\n"           /* 5 */
                           "ALLOC , 2 ,\t16K , 0x1000 , IoReMaP , drv_probe\n" /* 6 */
                           "alloc,3,0x2000,8K,vm_map_ram,\"a, b\"\n"           /* 7 */
                           "alloc,4,1M,,,\n"                                   /* 8 */
                           "alloc,5,4096\n"                                    /* 9 */
                           "   \t  \n"                                         /* 10 */
                           "free,2\n"                                          /* 11 */
                           "FREE,3,,,,\n"                                      /* 12 */
                           "purge\n"                                           /* 13 */
                           "purge,,,,,\n"                                      /* 14 */
                           "alloc,6,2M,2M,percpu,\"  pcpu_get_vm_areas \"\n"   /* 15 */
                           "alloc,7,12288,0,module,\"\"\n"                     /* 16 */
                           "alloc,8,64K,,vmap,\"say \"\"hi\"\"\"\n";           /* 17 */

static void check_good(const struct vms_sim_script *s)
{
	assert_event(s, 0, VMS_OP_ALLOC, 1, 8192, 0, VMS_SK_VMALLOC,
	             "alloc_large_system_hash", 3);
	assert_event(s, 1, VMS_OP_ALLOC, 2, 16384, 4096, VMS_SK_IOREMAP, "drv_probe", 6);
	assert_event(s, 2, VMS_OP_ALLOC, 3, 8192, 8192, VMS_SK_VM_MAP_RAM, "a, b", 7);
	assert_event(s, 3, VMS_OP_ALLOC, 4, 1 << 20, 0, VMS_SK_VMALLOC, NULL, 8);
	assert_event(s, 4, VMS_OP_ALLOC, 5, 4096, 0, VMS_SK_VMALLOC, NULL, 9);
	assert_event(s, 5, VMS_OP_FREE, 2, 0, 0, 0, NULL, 11);
	assert_event(s, 6, VMS_OP_FREE, 3, 0, 0, 0, NULL, 12);
	assert_event(s, 7, VMS_OP_PURGE, 0, 0, 0, 0, NULL, 13);
	assert_event(s, 8, VMS_OP_PURGE, 0, 0, 0, 0, NULL, 14);
	assert_event(s, 9, VMS_OP_ALLOC, 6, 2 << 20, 2 << 20, VMS_SK_PERCPU,
	             "  pcpu_get_vm_areas ", 15);
	assert_event(s, 10, VMS_OP_ALLOC, 7, 12288, 0, VMS_SK_MODULE, NULL, 16);
	assert_event(s, 11, VMS_OP_ALLOC, 8, 65536, 0, VMS_SK_VMAP, "say \"hi\"", 17);
	cr_assert_eq(s->ev.n, 12);
	cr_assert_eq(s->errors.n, 0);
}

Test(sim_script, reads_every_form_of_a_good_script)
{
	struct vms_sim_script s;
	cr_assert_eq(read_text(&s, good, strlen(good)), 0);
	check_good(&s);
	cr_assert_eq(s.lines, 17);
	vms_sim_script_free(&s);
}

/* The good script with its line ends replaced by end (LF kept inside
 * quotes: there are none in it). */
static char *with_line_ends(const char *text, const char *end, size_t *len)
{
	char *out = malloc(strlen(text) * 2 + 1), *o = out;
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			memcpy(o, end, strlen(end));
			o += strlen(end);
		} else {
			*o++ = *p;
		}
	}
	*len = (size_t)(o - out);
	return out;
}

Test(sim_script, counts_lines_in_crlf_and_cr_only_files)
{
	static const char *const ends[] = {"\r\n", "\r"};
	for (size_t k = 0; k < 2; k++) {
		size_t len;
		char *text = with_line_ends(good, ends[k], &len);
		struct vms_sim_script s;
		cr_assert_eq(read_text(&s, text, len), 0, "line end %zu", k);
		check_good(&s);
		cr_assert_eq(s.lines, 17);
		vms_sim_script_free(&s);
		free(text);
	}
	/* an error's column does not count the CR of the line before */
	static const char bad[] = "alloc,1,8K\r\nalloc,2,8Q\r\nfree,1\r\n";
	struct vms_sim_script s;
	cr_assert_eq(read_text(&s, bad, strlen(bad)), -VMS_EINVAL);
	assert_error(&s, 0, "script-size", 2, 9, "'8Q'");
	cr_assert_eq(s.errors.n, 1);
	assert_event(&s, 1, VMS_OP_FREE, 1, 0, 0, 0, NULL, 3);
	cr_assert_eq(s.lines, 3);
	vms_sim_script_free(&s);
}

Test(sim_script, skips_a_utf8_bom_without_counting_it_as_a_column)
{
	static const char text[] = "\xef\xbb\xbfop,id,size,align,kind,caller\n"
	                           "alloc,1,4K\n";
	struct vms_sim_script s;
	cr_assert_eq(read_text(&s, text, strlen(text)), 0);
	assert_event(&s, 0, VMS_OP_ALLOC, 1, 4096, 0, VMS_SK_VMALLOC, NULL, 2);
	cr_assert_eq(s.lines, 2);
	vms_sim_script_free(&s);

	static const char bad[] = "\xef\xbb\xbf"
	                          "allocate,1,4K";
	cr_assert_eq(read_text(&s, bad, strlen(bad)), -VMS_EINVAL);
	assert_error(&s, 0, "script-op", 1, 1, "'allocate'");
	vms_sim_script_free(&s);

	cr_assert_eq(read_text(&s, "\xef\xbb\xbf", 3), 0);
	cr_assert_eq(s.lines, 0);
	cr_assert_eq(s.ev.n, 0);
	vms_sim_script_free(&s);
}

Test(sim_script, counts_the_lines_inside_quoted_fields)
{
	static const char text[] = "alloc,1,4K,,vmalloc,\"two\n"     /* 1 */
	                           "lines\"\n"                       /* 2 */
	                           "alloc,2,4K\n"                    /* 3 */
	                           "alloc,3,4K,,\"vm\n"              /* 4 */
	                           "\r\n"                            /* 5 */
	                           "ap\"\n"                          /* 6 */
	                           "free,9\n"                        /* 7 */
	                           "alloc,4,4K,,vmap,\"a\rb\",\"x\n" /* 8, 9 */
	                           "y\",,\n"                         /* 10 */
	                           "alloc,5,8Q,,,\"\n"               /* 11 */
	                           "\"\n";                           /* 12 */
	struct vms_sim_script s;
	cr_assert_eq(read_text(&s, text, strlen(text)), -VMS_EINVAL);
	assert_event(&s, 0, VMS_OP_ALLOC, 1, 4096, 0, VMS_SK_VMALLOC, "two\nlines", 1);
	assert_event(&s, 1, VMS_OP_ALLOC, 2, 4096, 0, VMS_SK_VMALLOC, NULL, 3);
	cr_assert_eq(s.ev.n, 2);
	assert_error(&s, 0, "script-kind", 4, 13, "'vm\\x0a\\x0d\\x0aap'");
	assert_error(&s, 1, "script-id", 7, 6, "free of id 9");
	/* a lone CR inside quotes ends a line too: the 7th field is on line 9 */
	assert_error(&s, 2, "script-fields", 9, 4, "9 fields");
	assert_error(&s, 3, "script-size", 11, 9, "'8Q'");
	cr_assert_eq(s.errors.n, 4);
	cr_assert_eq(s.lines, 12);
	vms_sim_script_free(&s);
}

Test(sim_script, reads_a_last_line_without_a_newline)
{
	static const char text[] = "alloc,1,4K\nfree,1";
	struct vms_sim_script s;
	cr_assert_eq(read_text(&s, text, strlen(text)), 0);
	assert_event(&s, 1, VMS_OP_FREE, 1, 0, 0, 0, NULL, 2);
	cr_assert_eq(s.lines, 2);
	vms_sim_script_free(&s);

	static const char bad[] = "alloc,1,4K\npurge,now";
	cr_assert_eq(read_text(&s, bad, strlen(bad)), -VMS_EINVAL);
	assert_error(&s, 0, "script-fields", 2, 7, "'now'");
	cr_assert_eq(s.lines, 2);
	vms_sim_script_free(&s);

	cr_assert_eq(read_text(&s, "", 0), 0);
	cr_assert_eq(s.lines, 0);
	vms_sim_script_free(&s);
	cr_assert_eq(read_text(&s, "\n\n# only comments\n", 18), 0);
	cr_assert_eq(s.lines, 3);
	cr_assert_eq(s.ev.n, 0);
	vms_sim_script_free(&s);
}

Test(sim_script, knows_the_header_only_as_the_first_row)
{
	static const char text[] = "# comment first\n"
	                           "\n"
	                           " OP , Id , SIZE , align , Kind , CALLER \n"
	                           "alloc,1,4K\n"
	                           "op,id,size,align,kind,caller\n";
	struct vms_sim_script s;
	cr_assert_eq(read_text(&s, text, strlen(text)), -VMS_EINVAL);
	cr_assert_eq(s.ev.n, 1);
	assert_error(&s, 0, "script-op", 5, 1, "unknown op 'op'");
	cr_assert_eq(s.errors.n, 1);
	vms_sim_script_free(&s);

	/* a header of other columns is no header */
	static const char partial[] = "op,id,size\nalloc,1,4K\n";
	cr_assert_eq(read_text(&s, partial, strlen(partial)), -VMS_EINVAL);
	assert_error(&s, 0, "script-op", 1, 1, "'op'");
	cr_assert_eq(s.ev.n, 1);
	vms_sim_script_free(&s);
}

/* ---- every error, located ---------------------------------------------------- */

struct error_case {
	char text[96];
	char code[24];
	unsigned line, col;
	char needle[64];
};

static struct error_case error_cases[] = {
    {"allox,1,8K\n", "script-op", 1, 1, "unknown op 'allox' (alloc, free or purge)"},
    {"  ,1,8K\n", "script-op", 1, 3, "missing op"},
    {"\"\"\n", "script-op", 1, 1, "missing op"},
    {"alloc\x01,1,8K\n", "script-op", 1, 1, "'alloc\\x01'"},
    {"alloc,1,8Q\n", "script-size", 1, 9, "size '8Q' is not a size"},
    {"alloc,1,-8K\n", "script-size", 1, 9, "'-8K'"},
    {"alloc,1,0\n", "script-size", 1, 9, "size 0"},
    {"alloc,1, 0x0 \n", "script-size", 1, 10, "size 0"},
    {"alloc,1\n", "script-size", 1, 8, "missing size"},
    {"alloc,1,,\n", "script-size", 1, 9, "missing size"},
    {"alloc,1,99999999999999999999\n", "script-size", 1, 9, "does not fit in 64 bits"},
    {"alloc,1,20E\n", "script-size", 1, 9, "does not fit in 64 bits"},
    {"alloc,1,8K,3000\n", "script-align", 1, 12, "alignment 3000 is not a power of two"},
    {"alloc,1,8K,12K\n", "script-align", 1, 12, "alignment 12288"},
    {"alloc,1,8K,four\n", "script-align", 1, 12, "alignment 'four' is not a size"},
    {"alloc,0,8K\n", "script-id", 1, 7, "id '0' is not an id"},
    {"alloc,0x10,8K\n", "script-id", 1, 7, "id '0x10'"},
    {"alloc,+3,8K\n", "script-id", 1, 7, "id '+3'"},
    {"alloc, 1 2 ,8K\n", "script-id", 1, 8, "id '1 2'"},
    {"alloc,18446744073709551616,8K\n", "script-id", 1, 7, "does not fit in 64 bits"},
    {"alloc,,8K\n", "script-id", 1, 7, "missing id: 'alloc' needs"},
    {"alloc,1,8K\nalloc,1,4K\n", "script-id", 2, 7,
     "id 1 is allocated again while live (allocated at line 1"},
    {"free,3\n", "script-id", 1, 6, "free of id 3, which is not live"},
    {"alloc,1,8K\nfree,1\nfree,1\n", "script-id", 3, 6, "free of id 1"},
    {"free\n", "script-id", 1, 5, "missing id: 'free' needs"},
    {"alloc,1,8K\nfree,1,8K\n", "script-fields", 2, 8,
     "size '8K' on a free row (a free row is 'free,ID')"},
    {"alloc,1,8K\nfree,1,,,,cb\n", "script-fields", 2, 11, "caller 'cb' on a free row"},
    {"purge,1\n", "script-fields", 1, 7,
     "id '1' on a purge row (a purge row is 'purge')"},
    {"purge,,,,vmalloc\n", "script-fields", 1, 10, "kind 'vmalloc'"},
    {"alloc,1,8K,,vmalloc,foo,extra\n", "script-fields", 1, 25, "7 fields"},
    {"purge,,,,,,,,\n", "script-fields", 1, 12, "9 fields"},
    {"alloc,1,8K,,vmallok\n", "script-kind", 1, 13, "unknown kind 'vmallok'"},
    {"alloc,1,8K,, vm map ram ,x\n", "script-kind", 1, 14, "'vm map ram'"},
    {"alloc,1,8K,,vmalloc,a\0b\n", "script-caller", 1, 21, "'a\\x00b' holds a NUL byte"},
    {"alloc,\"1\"x,8K\n", "script-csv", 1, 10, "'x' after the closing quote"},
    {"alloc,1\"2,8K\n", "script-csv", 1, 8, "stray quote"},
    {"alloc,1,8K,,vmalloc,\"a\" \"b\"\n", "script-csv", 1, 25, "stray quote"},
    {"alloc,1,8K,,vmalloc,\"open\nstill\n", "script-csv", 1, 21, "never closed"},
};

ParameterizedTestParameters(sim_script, locates_every_kind_of_error)
{
	return cr_make_param_array(struct error_case, error_cases,
	                           sizeof(error_cases) / sizeof(error_cases[0]));
}

/* The length of a case's text: up to its last newline (some hold a NUL). */
static size_t case_len(const char *text, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < cap; i++)
		if (text[i] == '\n')
			n = i + 1;
	return n;
}

ParameterizedTest(struct error_case *c, sim_script, locates_every_kind_of_error)
{
	struct vms_sim_script s;
	size_t len = case_len(c->text, sizeof(c->text));
	cr_assert_eq(read_text(&s, c->text, len), -VMS_EINVAL);
	assert_error(&s, 0, c->code, c->line, c->col, c->needle);
	cr_assert_eq(s.errors.n, 1, "one error expected");
	/* the bad row adds no event: only the good rows before it */
	for (size_t i = 0; i < s.ev.n; i++)
		cr_assert_lt(s.ev.v[i].line, c->line);
	vms_sim_script_free(&s);
}

Test(sim_script, reports_each_bad_field_of_a_row)
{
	static const char text[] = "alloc,x,0,3,bogus,\"a\0\"\n";
	struct vms_sim_script s;
	cr_assert_eq(read_text(&s, text, sizeof(text) - 1), -VMS_EINVAL);
	assert_error(&s, 0, "script-id", 1, 7, "'x'");
	assert_error(&s, 1, "script-size", 1, 9, "size 0");
	assert_error(&s, 2, "script-align", 1, 11, "alignment 3");
	assert_error(&s, 3, "script-kind", 1, 13, "'bogus'");
	assert_error(&s, 4, "script-caller", 1, 19, "NUL");
	cr_assert_eq(s.errors.n, 5);
	cr_assert_eq(s.ev.n, 0);
	vms_sim_script_free(&s);
}

Test(sim_script, goes_on_after_a_broken_quote_at_the_next_line)
{
	static const char text[] = "alloc,1,4K\n"
	                           "alloc,2,\"4K\"junk,\"never,closed\n"
	                           "alloc,3,4K\n"
	                           "free,1\n";
	struct vms_sim_script s;
	cr_assert_eq(read_text(&s, text, strlen(text)), -VMS_EINVAL);
	assert_error(&s, 0, "script-csv", 2, 13, "'j' after the closing quote");
	cr_assert_eq(s.errors.n, 1);
	assert_event(&s, 0, VMS_OP_ALLOC, 1, 4096, 0, VMS_SK_VMALLOC, NULL, 1);
	assert_event(&s, 1, VMS_OP_ALLOC, 3, 4096, 0, VMS_SK_VMALLOC, NULL, 3);
	assert_event(&s, 2, VMS_OP_FREE, 1, 0, 0, 0, NULL, 4);
	vms_sim_script_free(&s);
}

Test(sim_script, a_bad_alloc_row_still_reserves_its_id)
{
	/* its free is then neither a second error nor an event (its alloc
	 * was dropped); another alloc of the id takes the reservation over */
	static const char text[] = "alloc,4,4K,,nonsense\nfree,4\n"
	                           "alloc,5,0\nalloc,5,8K\nalloc,5,4K\n";
	struct vms_sim_script s;
	cr_assert_eq(read_text(&s, text, strlen(text)), -VMS_EINVAL);
	assert_error(&s, 0, "script-kind", 1, 13, "'nonsense'");
	assert_error(&s, 1, "script-size", 3, 9, "size 0");
	assert_error(&s, 2, "script-id", 5, 7,
	             "allocated again while live (allocated at line 4");
	cr_assert_eq(s.errors.n, 3);
	cr_assert_eq(s.ev.n, 1);
	assert_event(&s, 0, VMS_OP_ALLOC, 5, 8192, 0, VMS_SK_VMALLOC, NULL, 4);
	vms_sim_script_free(&s);
}

Test(sim_script, a_bad_free_row_leaves_its_id_live)
{
	/* so the events stay a sequence that could run: no second alloc of 1 */
	static const char text[] = "alloc,1,4K\nfree,1,junk\nalloc,1,4K\nfree,1\n";
	struct vms_sim_script s;
	cr_assert_eq(read_text(&s, text, strlen(text)), -VMS_EINVAL);
	assert_error(&s, 0, "script-fields", 2, 8, "size 'junk'");
	assert_error(&s, 1, "script-id", 3, 7,
	             "allocated again while live (allocated at line 1");
	cr_assert_eq(s.errors.n, 2);
	cr_assert_eq(s.ev.n, 2);
	assert_event(&s, 1, VMS_OP_FREE, 1, 0, 0, 0, NULL, 4);
	vms_sim_script_free(&s);
}

Test(sim_script, reuses_an_id_once_it_is_freed)
{
	static const char text[] = "alloc,5,4K\nfree,5\nalloc,5,8K\nfree,5\nalloc,5,4K\n";
	struct vms_sim_script s;
	cr_assert_eq(read_text(&s, text, strlen(text)), 0);
	cr_assert_eq(s.ev.n, 5);
	vms_sim_script_free(&s);
}

/* ---- round trip ----------------------------------------------------------------- */

Test(sim_script, write_then_read_gives_the_same_events)
{
	static const char *const callers[] = {
	    "plain_caller",
	    "with,comma",
	    "say \"hi\"",
	    " leading blank",
	    "trailing tab\t",
	    "x y z",
	    "ünïcödé→✓ 漢字",
	    "two\nlines",
	    "cr\rinside",
	    "\"",
	    ",",
	    "  ",
	    "#not-a-comment",
	    "op",
	    NULL,
	    "",
	};
	struct vms_sim_script a, b, c;
	vms_sim_script_init(&a, "made");
	uint64_t id = 1;
	for (size_t i = 0; i < sizeof(callers) / sizeof(callers[0]); i++) {
		for (unsigned k = 0; k < VMS_NR_SIM_KINDS; k++) {
			uint64_t align = k % 2 ? (uint64_t)4096 << k : 0;
			vms_sim_script_add(&a, VMS_OP_ALLOC, id, 4096 * (i + 1) + k,
			                   align, k, callers[i]);
			if ((id + i) % 3 == 0)
				vms_sim_script_add(&a, VMS_OP_FREE, id, 0, 0, 0, NULL);
			id++;
		}
		if (i % 4 == 0)
			vms_sim_script_add(&a, VMS_OP_PURGE, 0, 0, 0, 0, NULL);
	}
	vms_sim_script_add(&a, VMS_OP_ALLOC, UINT64_MAX, UINT64_MAX, (uint64_t)1 << 63,
	                   VMS_SK_MODULE, "edge");

	size_t len;
	char *text = write_script(&a, &len);
	cr_assert_eq(strncmp(text, "op,id,size,align,kind,caller\n", 29), 0);
	cr_assert(strstr(text, "\nalloc,1,4096,,vmalloc,plain_caller\n"), "%s", text);
	cr_assert(strstr(text, ",\"with,comma\"\n"));
	cr_assert(strstr(text, ",\"say \"\"hi\"\"\"\n"));
	cr_assert(strstr(text, ",x y z\n"), "plain fields are not quoted");
	cr_assert(strstr(text, "\npurge,,,,,\n"));
	cr_assert(strstr(text, "\nfree,3,,,,\n"));
	cr_assert(strstr(text, "\nalloc,18446744073709551615,18446744073709551615,"
	                       "9223372036854775808,module,edge\n"));

	cr_assert_eq(read_text(&b, text, len), 0);
	assert_same_events(&a, &b);
	/* the lines are the rows' lines: the header is line 1 */
	cr_assert_eq(b.ev.v[0].line, 2);

	size_t len2;
	char *again = write_script(&b, &len2);
	cr_assert_eq(len2, len);
	cr_assert_eq(memcmp(again, text, len), 0, "a second write differs");

	/* and a script read from hand-written text survives the trip too */
	vms_sim_script_init(&c, "good");
	cr_assert_eq(vms_sim_script_read(&c, good, strlen(good)), 0);
	size_t len3;
	char *third = write_script(&c, &len3);
	vms_sim_script_free(&b);
	cr_assert_eq(read_text(&b, third, len3), 0);
	assert_same_events(&c, &b);

	free(third);
	free(again);
	free(text);
	vms_sim_script_free(&a);
	vms_sim_script_free(&b);
	vms_sim_script_free(&c);
}

Test(sim_script, reports_a_write_error)
{
	struct vms_sim_script s;
	vms_sim_script_init(&s, "x");
	for (int i = 1; i <= 100; i++)
		vms_sim_script_add(&s, VMS_OP_ALLOC, (uint64_t)i, 4096, 0, 0, "caller");
	FILE *fp = fopen("/dev/full", "w");
	cr_assert_not_null(fp);
	setvbuf(fp, NULL, _IONBF, 0);
	cr_assert_eq(vms_sim_script_write(fp, &s), -VMS_EIO);
	fclose(fp);
	vms_sim_script_free(&s);
}

/* ---- size and hostility ----------------------------------------------------------- */

Test(sim_script, reads_a_generated_script_of_100000_rows)
{
	enum { ROWS = 100000, LIVE = 1000 };
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	fputs("op,id,size,align,kind,caller\n", fp);
	static const char *const kinds[] = {"vmalloc",    "ioremap", "vmap",
	                                    "vm_map_ram", "percpu",  "module"};
	/* allocations of ids 1.., each freed LIVE rows later; a purge every
	 * 997 rows; callers cycle through 50 names */
	uint64_t next = 1, freed = 1;
	for (int row = 0; row < ROWS; row++) {
		if (row % 997 == 996)
			fputs("purge\n", fp);
		else if (next - freed >= LIVE && row % 2)
			fprintf(fp, "free,%llu\n", (unsigned long long)freed++);
		else {
			fprintf(fp, "alloc,%llu,%lluK,,%s,caller_%llu+0x%x/0x100\n",
			        (unsigned long long)next,
			        (unsigned long long)(next % 64 + 1), kinds[next % 6],
			        (unsigned long long)(next % 50), (unsigned)(next % 256));
			next++;
		}
	}
	fclose(fp);

	struct vms_sim_script s;
	cr_assert_eq(read_text(&s, text, len), 0);
	cr_assert_eq(s.ev.n, ROWS);
	cr_assert_eq(s.lines, ROWS + 1);
	cr_assert_eq(vms_symtab_count(&s.syms), 6400 + 1); /* lcm(50, 256) names */
	uint64_t allocs = 0, frees = 0, purges = 0;
	for (size_t i = 0; i < s.ev.n; i++) {
		const struct vms_sim_event *e = &s.ev.v[i];
		cr_assert_eq(e->line, i + 2);
		allocs += e->op == VMS_OP_ALLOC;
		frees += e->op == VMS_OP_FREE;
		purges += e->op == VMS_OP_PURGE;
		if (e->op == VMS_OP_ALLOC) {
			cr_assert_eq(e->size, (e->id % 64 + 1) * 1024);
			cr_assert_eq(e->kind, e->id % 6);
			char want[64];
			snprintf(want, sizeof(want), "caller_%llu+0x%x/0x100",
			         (unsigned long long)(e->id % 50),
			         (unsigned)(e->id % 256));
			cr_assert_str_eq(caller_of(&s, e), want);
		}
	}
	cr_assert_eq(allocs, next - 1);
	cr_assert_eq(frees, freed - 1);
	cr_assert_eq(purges, ROWS / 997);
	vms_sim_script_free(&s);
	free(text);
}

Test(sim_script, caps_the_errors_it_stores_and_counts_the_rest)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	for (int i = 0; i < 1500; i++)
		fprintf(fp, "frob,%d\n", i);
	fclose(fp);
	struct vms_sim_script s;
	cr_assert_eq(read_text(&s, text, len), -VMS_EINVAL);
	cr_assert_eq(s.errors.n, 1001);
	assert_error(&s, 999, "script-op", 1000, 1, "'frob'");
	const struct vms_diag *last = &s.errors.v[1000];
	cr_assert_str_eq(last->code, "script-more-errors");
	cr_assert_eq(last->severity, VMS_SEV_NOTE);
	cr_assert_eq(last->line, 1001);
	cr_assert(strstr(last->message, "500 more errors"), "%s", last->message);
	vms_sim_script_free(&s);
	free(text);
}

static char *repeat(const char *head, char fill, size_t n, const char *tail, size_t *len)
{
	size_t hl = strlen(head), tl = strlen(tail);
	char *s = malloc(hl + n + tl + 1);
	memcpy(s, head, hl);
	memset(s + hl, fill, n);
	memcpy(s + hl + n, tail, tl + 1);
	*len = hl + n + tl;
	return s;
}

Test(sim_script, survives_hostile_megabytes_with_short_messages)
{
	enum { MB = 1 << 20 };
	struct {
		const char *head;
		char fill;
		const char *tail;
		const char *code;
		unsigned col;
	} cases[] = {
	    {"alloc,1,4K,,vmalloc,\"", 'x', "\"\n", "script-caller",
	     21},                                                     /* 4 MB caller */
	    {"", 'Z', ",1,4K\n", "script-op", 1},                     /* 4 MB op */
	    {"alloc,1,4K", ',', "\n", "script-fields", 15},           /* 4M fields */
	    {"alloc,1,", '7', "\n", "script-size", 9},                /* 4M digits */
	    {"alloc,1,4K,,vmalloc,\"", '\n', "\n", "script-csv", 21}, /* 4M lines */
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		size_t len;
		char *text =
		    repeat(cases[k].head, cases[k].fill, 4 * MB, cases[k].tail, &len);
		struct vms_sim_script s;
		cr_assert_eq(read_text(&s, text, len), -VMS_EINVAL, "case %zu", k);
		assert_error(&s, 0, cases[k].code, 1, cases[k].col, NULL);
		cr_assert_eq(s.errors.n, 1, "case %zu", k);
		cr_assert_lt(strlen(s.errors.v[0].message), 300, "case %zu: %s", k,
		             s.errors.v[0].message);
		vms_sim_script_free(&s);
		free(text);
	}
}
