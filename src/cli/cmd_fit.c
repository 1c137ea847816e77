/*
 * cmd_fit.c — `vmscope fit [FILE] --size N [--ioremap|--vmap|--module]
 * [--align N] [--count K]`: on the model of a real dump, where the next K
 * allocations of N bytes would land, or why they fail and which vmalloc=
 * would make them fit; and, with or without --size, each "vmap allocation
 * for size N failed" line of the log explained.
 *
 * Decisions (docs/fit.md, docs/cli.md):
 *  - one input (a dump, a log, or both in one file); the boot log that
 *    came with a dump is given with --layout LOG, as for every command;
 *  - exit 0 when all K fit, or when only failure lines were explained
 *    (also from a log without a dump, or with hashed addresses: what fits
 *    now is then "not known"); 1 when they do not all fit; 2 on a usage
 *    error (also an --align below the dump's page size, known once it is
 *    read); 3 when the input cannot be read, holds nothing usable, or has
 *    no real addresses and --size is given or there is no failure line
 *    (hashed, zeroed: the model's reason and how to get them);
 *  - the parser's errors and warnings go to stderr, as in `report`.
 *
 * Cost: one parse and one model, O(input); then fit.h's costs.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vmscope/aspace.h"
#include "vmscope/emit.h"
#include "vmscope/emit_fit.h"
#include "vmscope/fit.h"

enum fit_format { FMT_TEXT = 0, FMT_JSON };
static const char *const format_names[] = {"text", "json"};

enum {
	OPT_FORMAT = 0x200,
	OPT_SIZE,
	OPT_ALIGN,
	OPT_COUNT,
	OPT_IOREMAP,
	OPT_VMAP,
	OPT_MODULE
};

#define MAX_COUNT 1000000

static const char fit_usage[] =
    "Usage: vmscope fit [OPTIONS] [FILE] [--size N [--ioremap|--vmap|--module]\n"
    "                   [--align N] [--count K]]\n"
    "\n"
    "On the address space of a real dump (FILE; '-' is standard input; default\n"
    "/proc/vmallocinfo), say where the next K allocations of N bytes would land\n"
    "(the kernel's lowest fit, guard page and alignment included), or why one\n"
    "fails: the largest hole of each window, what the alignment cost, and the\n"
    "smallest vmalloc= that makes them fit with the layout it gives under both\n"
    "arm32 semantics (<= 5.13 and 5.14+). Each \"vmap allocation for size N\n"
    "failed\" line of the log is explained: the window it targeted (module_alloc\n"
    "in the call trace: module space, which vmalloc= cannot grow), the request\n"
    "without its guard page, and what fits now. Give the boot log that came with\n"
    "a dump with --layout LOG.\n"
    "\n"
    "Options:\n"
    "      --size N            bytes to allocate (8192, 0x2000, 8K, 16M, 1G);\n"
    "                          without it only the log's failure lines are\n"
    "                          explained\n"
    "      --ioremap           an ioremap(): aligned to its size rounded to a\n"
    "                          power of two (the era's rule, IOREMAP_MAX_ORDER)\n"
    "      --vmap              a vmap() (the rules of vmalloc(), the default)\n"
    "      --module            a module_alloc(): module space when the arch has\n"
    "                          it apart, else the vmalloc space\n"
    "      --align N           alignment: a power of two >= the page size\n"
    "      --count K           K allocations one after the other (default 1,\n"
    "                          at most 1000000)\n"
    "      --format FMT        text (default) or json\n";

static const char fit_usage_tail[] =
    "\n"
    "The rules and every figure are explained in docs/fit.md.\n"
    "\n"
    "Without a dump (a log alone) or with hashed addresses, the failure lines\n"
    "are still explained, but what fits now is not known.\n"
    "\n"
    "Exit status: 0 all K fit (or the failure lines were explained), 1 they\n"
    "do not all fit, 2 usage error, 3 unreadable input, nothing usable, no\n"
    "real addresses (hashed or zeroed) to place --size in, or output not\n"
    "written.\n";

struct fit_args {
	struct vms_cli_common c;
	enum fit_format format;
	struct vms_fit_request req;
	bool has_size;
	const char *kind_opt; /* the kind option given, for the conflict message */
};

/* --size and --align: a size as users write it. */
static int size_value(const char *opt, const char *arg, uint64_t *out)
{
	if (vms_parse_size(arg, out) != 0 || *out == 0)
		return vms_cli_usage_error("fit",
		                           "invalid %s '%s' (a size above 0: 8192, "
		                           "0x2000, 8K, 16M, 1G)",
		                           opt, arg);
	return 0;
}

static int set_kind(struct fit_args *a, enum vms_fit_kind k, const char *opt)
{
	if (a->kind_opt && strcmp(a->kind_opt, opt) != 0)
		return vms_cli_usage_error("fit", "%s and %s exclude each other",
		                           a->kind_opt, opt);
	a->kind_opt = opt;
	a->req.kind = (uint8_t)k;
	return 0;
}

static int apply_option(void *args, int opt, const char *arg)
{
	struct fit_args *a = args;
	int i;
	switch (opt) {
	case OPT_FORMAT:
		if (vms_cli_format("fit", arg, format_names,
		                   sizeof(format_names) / sizeof(format_names[0]), &i))
			return VMS_EXIT_USAGE;
		a->format = (enum fit_format)i;
		return 0;
	case OPT_SIZE:
		a->has_size = true;
		return size_value("--size", arg, &a->req.size) ? VMS_EXIT_USAGE : 0;
	case OPT_ALIGN:
		if (size_value("--align", arg, &a->req.align))
			return VMS_EXIT_USAGE;
		if (a->req.align & (a->req.align - 1) || a->req.align < VMS_PAGE_SIZE_MIN)
			return vms_cli_usage_error(
			    "fit",
			    "invalid --align '%s' (a power of two >= the page size)",
			    arg);
		return 0;
	case OPT_COUNT:
		return vms_cli_count_range("fit", "--count", arg, 1, MAX_COUNT,
		                           &a->req.count)
		           ? VMS_EXIT_USAGE
		           : 0;
	case OPT_IOREMAP:
		return set_kind(a, VMS_FK_IOREMAP, "--ioremap");
	case OPT_VMAP:
		return set_kind(a, VMS_FK_VMAP, "--vmap");
	case OPT_MODULE:
		return set_kind(a, VMS_FK_MODULE, "--module");
	default:
		return -1;
	}
}

static const struct option fit_longopts[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"size", required_argument, NULL, OPT_SIZE},
    {"align", required_argument, NULL, OPT_ALIGN},
    {"count", required_argument, NULL, OPT_COUNT},
    {"ioremap", no_argument, NULL, OPT_IOREMAP},
    {"vmap", no_argument, NULL, OPT_VMAP},
    {"module", no_argument, NULL, OPT_MODULE},
    VMS_CLI_COMMON_LONGOPTS,
    {0},
};

static const struct vms_cli_spec fit_spec = {
    "fit", fit_usage, fit_usage_tail, fit_longopts, apply_option,
};

/* What needs --size, and the one input. */
static int check_args(const struct fit_args *a, int nfiles)
{
	if (!a->has_size && (a->req.align || a->req.count || a->kind_opt))
		return vms_cli_usage_error("fit", "%s needs --size N",
		                           a->req.align   ? "--align"
		                           : a->req.count ? "--count"
		                                          : a->kind_opt);
	if (nfiles > 1)
		return vms_cli_usage_error(
		    "fit",
		    "one input only (got %d); give the boot log that "
		    "came with a dump with --layout LOG",
		    nfiles);
	return VMS_EXIT_OK;
}

/* The model's refusal: no real addresses, no window. */
static int no_geometry(const struct vms_aspace *m)
{
	const char *hint = vms_aspace_address_hint(m);
	vms_cli_eprintf("vmscope: %s: cannot fit: %s%s%s", vms_emit_source_name(m->dump),
	                m->no_geometry ? m->no_geometry : "no allocation window",
	                hint ? "; " : "", hint ? hint : "");
	return VMS_EXIT_INPUT;
}

static int emit(const struct fit_args *a, const struct vms_fit_result *r)
{
	struct vms_fit_view v = {.color = vms_cli_use_color(a->c.color, stdout),
	                         .max_places = 20};
	int rc = a->format == FMT_JSON ? vms_emit_fit_json(stdout, r, &v)
	                               : vms_emit_fit_text(stdout, r, &v);
	if (rc != 0 || fflush(stdout) != 0 || ferror(stdout))
		return VMS_EXIT_INPUT; /* main() names it */
	return a->req.size && !r->fits ? VMS_EXIT_FINDINGS : VMS_EXIT_OK;
}

static int run(struct fit_args *a, const char *path)
{
	struct vms_dump *d;
	struct vms_aspace *m;
	int rc = vms_cli_load_model(&a->c, path, &d, &m);
	if (rc != VMS_EXIT_OK)
		return rc;
	struct vms_fit_result *r = NULL;
	/* without real addresses only the failure lines can be explained */
	if (!m->geometry && (a->has_size || !d->log->failures.n))
		rc = no_geometry(m);
	else if (a->req.align && a->req.align < m->page_size)
		rc = vms_cli_usage_error(
		    "fit", "--align %llu is below the page size (%llu)",
		    (unsigned long long)a->req.align, (unsigned long long)m->page_size);
	else if (a->req.align && m->dump->addr_bits == 32 && a->req.align >> 31 > 1)
		/* the kernel's align is an unsigned long */
		rc = vms_cli_usage_error(
		    "fit", "--align %llu is past the dump's 32-bit addresses",
		    (unsigned long long)a->req.align);
	else {
		int err = vms_fit_run(m, a->has_size ? &a->req : NULL, &r);
		if (err == -VMS_EINVAL)
			rc = vms_cli_usage_error("fit", "--size %llu is too large",
			                         (unsigned long long)a->req.size);
		else if (err)
			rc = no_geometry(m);
		else
			rc = emit(a, r);
	}
	vms_fit_free(r);
	vms_aspace_free(m);
	vms_dump_free(d);
	return rc;
}

int vms_cmd_fit(int argc, char **argv, const struct vms_cli_global *g)
{
	struct fit_args a = {.format = FMT_TEXT};
	vms_cli_common_init(&a.c, "fit", g);
	int rc = vms_cli_options(argc, argv, &a.c, &fit_spec, &a);
	if (rc >= 0)
		return rc;
	int nfiles = argc - optind;
	rc = check_args(&a, nfiles);
	if (rc == VMS_EXIT_OK)
		rc = vms_cli_stdin_once(&a.c, argv + optind, nfiles);
	if (rc != VMS_EXIT_OK)
		return rc;
	if (!a.req.count)
		a.req.count = 1;
	rc = vms_cli_prepare(&a.c);
	if (rc == VMS_EXIT_OK)
		rc = run(&a, nfiles ? argv[optind] : "/proc/vmallocinfo");
	vms_cli_common_free(&a.c);
	return rc;
}
