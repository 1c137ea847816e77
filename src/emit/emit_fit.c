/*
 * emit_fit.c — the human text of `vmscope fit`: the request and where each
 * of its allocations lands, or why one fails (largest holes, alignment,
 * the smallest vmalloc= under both semantics with the layout it gives),
 * then the failure lines of the log explained. Fits 80 columns except
 * where an address or a file name is long.
 *
 *   FILE: 4 x vmalloc(50 MiB): does not fit (the 4th fails)
 *     window     vmalloc 0xf0000000-0xff000000 (240 MiB)
 *     each       50 MiB + 4 KiB guard page = 52432896 bytes
 *     align      4 KiB
 *     #1   0xf29bb000-0xf5bbc000  hole 0xf29bb000-0xf9800000 (110.3 MiB)  LE
 *     ...
 *     #4   no fit
 *     largest hole of each window: ...
 *     smallest vmalloc= that makes it fit ...: one row per semantics
 *
 * Cost: O(shown placements + windows + failure lines).
 */
#include <string.h>

#include "emit_int.h"
#include "vmscope/emit.h"
#include "vmscope/emit_fit.h"

/* ---- small writers ---------------------------------------------------------- */

static const char *size_str(uint64_t n, char *buf)
{
	return vms_format_size(n, buf, 32);
}

/* "0x" and v at the dump's address width. */
static void put_addr(FILE *fp, const struct vms_fit_result *r, uint64_t v)
{
	fprintf(fp, "0x%0*llx", vms_emit_addr_digits(r->model->dump, v),
	        (unsigned long long)v);
}

/* "0xA-0xB" */
static void put_range(FILE *fp, const struct vms_fit_result *r, uint64_t a, uint64_t b)
{
	put_addr(fp, r, a);
	fputc('-', fp);
	put_addr(fp, r, b);
}

static void put_escaped(FILE *fp, const char *s)
{
	vms_emit_escaped(fp, s, strlen(s), false);
}

/* text in colour sgr when color */
static void put_sgr(FILE *fp, bool color, const char *sgr, const char *text)
{
	fprintf(fp, "%s%s%s", color ? sgr : "", text, color ? SGR_RESET : "");
}

static const char *ordinal_suffix(uint64_t n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
}

static const struct vms_window *window_of(const struct vms_fit_result *r, int32_t i)
{
	return i >= 0 ? &r->model->windows.v[i] : NULL;
}

static const char *window_name(const struct vms_fit_result *r, int32_t i)
{
	return r->model->regions.v[window_of(r, i)->region].name;
}

/* "vmalloc 0xf0000000-0xff000000 (240 MiB)" */
static void put_window(FILE *fp, const struct vms_fit_result *r, int32_t i)
{
	const struct vms_window *w = window_of(r, i);
	char a[32];
	fprintf(fp, "%s ", window_name(r, i));
	put_range(fp, r, w->start, w->end);
	fprintf(fp, " (%s)", size_str(w->end - w->start, a));
}

/* "0xA-0xB  hole 0xC-0xD (S)  LE" */
static void put_place(FILE *fp, const struct vms_fit_result *r,
                      const struct vms_fit_place *p)
{
	char a[32];
	put_range(fp, r, p->start, p->end);
	fputs("  hole ", fp);
	put_range(fp, r, p->hole_start, p->hole_end);
	fprintf(fp, " (%s)  %s\n", size_str(p->hole_end - p->hole_start, a),
	        vms_fit_type_name((enum vms_fit_type)p->fit));
}

/* The placements, the first max (0: all) of them and a count of the rest. */
static void put_places(FILE *fp, const struct vms_fit_result *r,
                       const struct vms_fit_places *pl, size_t max, const char *indent)
{
	size_t shown = max && pl->n > max ? max : pl->n;
	for (size_t i = 0; i < shown; i++) {
		fprintf(fp, "%s#%-3zu ", indent, i + 1);
		put_place(fp, r, &pl->v[i]);
		if (pl->v[i].after_purge)
			fprintf(fp,
			        "%s     (no room before: after the kernel's purge of the "
			        "lazily\n%s     freed areas)\n",
			        indent, indent);
	}
	if (shown < pl->n)
		fprintf(fp, "%s(%zu more; --format json lists all)\n", indent,
		        pl->n - shown);
}

/* ---- the request -------------------------------------------------------------- */

static void headline(FILE *fp, const struct vms_fit_result *r,
                     const struct vms_fit_view *v)
{
	char a[32];
	put_escaped(fp, vms_emit_source_name(r->model->dump));
	fputs(": ", fp);
	if (r->req.count > 1)
		fprintf(fp, "%llu x ", (unsigned long long)r->req.count);
	fprintf(fp, "%s(%s): ", vms_fit_kind_name((enum vms_fit_kind)r->req.kind),
	        size_str(r->req.size, a));
	if (r->fits) {
		put_sgr(fp, v->color, SGR_GREEN, r->req.count > 1 ? "all fit" : "fits");
		fputc('\n', fp);
		return;
	}
	put_sgr(fp, v->color, SGR_BOLD_RED, "does not fit");
	if (r->req.count > 1)
		fprintf(fp, " (the %llu%s fails)", (unsigned long long)r->fail.index + 1,
		        ordinal_suffix(r->fail.index + 1));
	fputc('\n', fp);
}

/* Whether no area of the dump lies in any window although it has some:
 * the regions are likely another kernel's (a wrong --arch). */
static bool areas_elsewhere(const struct vms_aspace *m)
{
	for (size_t i = 0; i < m->windows.n; i++)
		if (m->windows.v[i].nr_areas)
			return false;
	return m->nr_order > 0;
}

/* What the window's bounds do not tell (its bounds are not the region's),
 * and a model whose areas all lie outside its windows. */
static void bounds_note(FILE *fp, const struct vms_aspace *m, const struct vms_window *w,
                        const char *indent)
{
	if (w->bounds & VMS_WB_SPAN)
		fprintf(fp,
		        "\n%sonly the span of the areas (no layout, arch unknown: give\n"
		        "%s--layout LOG or --arch): free space outside it is not known,\n"
		        "%sso a \"does not fit\" may be wrong",
		        indent, indent, indent);
	else if (w->bounds & VMS_WB_LOW_AREA)
		fprintf(fp,
		        "\n%sfrom the lowest area (VMALLOC_START not known: give the\n"
		        "%sboot log with --layout): the kernel would use free space\n"
		        "%sbelow it first",
		        indent, indent, indent);
	if (areas_elsewhere(m))
		fprintf(fp,
		        "\n%sno area of the dump lies in any window: are the regions\n"
		        "%sthis kernel's? (check --arch and --layout)",
		        indent, indent);
	if (w->bounds & VMS_WB_HIGH_PERCPU)
		fprintf(fp, "\n%sup to the per-cpu chunks (VMALLOC_END not known)",
		        indent);
}

/* The allocator of the dump's era, and what it means for the answer. */
static void allocator_lines(FILE *fp, const struct vms_fit_result *r)
{
	static const char *const searches[VMS_NR_FIT_SEARCHES] = {
	    "first fit over the busy areas (kernels up to 5.1), from the\n"
	    "             bottom. Not modelled: these kernels start from the area\n"
	    "             they allocated last (the next-fit cache) unless a hole\n"
	    "             they passed below it is larger than the request, so an\n"
	    "             area may land higher than shown, and one that fits only\n"
	    "             in a hole of exactly its size below that area can fail",
	    "lowest fit in the free tree (5.2-5.16)",
	    "lowest fit in the free tree (5.17+)"};
	fprintf(fp, "  allocator  %s", searches[r->search]);
	if (r->search_guessed)
		fputs("; the era is not known:\n"
		      "             5.2-5.16 also skip a hole of exactly the size of a\n"
		      "             module or an ioremap, <= 5.1 searches by first fit",
		      fp);
	fputc('\n', fp);
	if (r->adjusted) {
		char a[32];
		fprintf(fp,
		        "  search     for size + align - 1 bytes, align %s as the caller "
		        "passes\n"
		        "             it (5.2-5.16: above 1; 5.17+: above a page), so a "
		        "hole\n"
		        "             that holds the area may be passed over\n",
		        size_str(r->asked, a));
	}
	if (r->lazy_areas) {
		char a[32];
		fprintf(fp,
		        "  lazy       %u lazily freed area%s (%s) in the window: the "
		        "kernel\n"
		        "             purges them and retries before an allocation "
		        "fails\n",
		        r->lazy_areas, r->lazy_areas == 1 ? "" : "s",
		        size_str(r->lazy_bytes, a));
	}
}

static void rule_lines(FILE *fp, const struct vms_fit_result *r)
{
	char a[32], b[32], c[32];
	const struct vms_aspace *m = r->model;
	fputs("  window     ", fp);
	put_window(fp, r, r->window);
	if (r->req.kind == VMS_FK_MODULE &&
	    m->regions.v[window_of(r, r->window)->region].kind != VMS_RK_MODULES)
		fputs(";\n             no module space apart: modules are vmalloc()ed",
		      fp);
	bounds_note(fp, m, window_of(r, r->window), "             ");
	fprintf(fp, "\n  each       %s + %s guard page = %llu bytes\n",
	        size_str(r->size - m->page_size, a), size_str(m->page_size, b),
	        (unsigned long long)r->size);
	fprintf(fp, "  align      %s%s\n", size_str(r->align, c),
	        r->req.align ? " (--align)"
	        : r->req.kind == VMS_FK_IOREMAP
	            ? " (ioremap: the size rounded up to a power of two,\n"
	              "             capped at IOREMAP_MAX_ORDER)"
	            : "");
	allocator_lines(fp, r);
}

static void holes_lines(FILE *fp, const struct vms_fit_result *r)
{
	char a[32];
	const struct vms_fit_failure *f = &r->fail;
	fputs("  largest hole of each window:\n", fp);
	for (size_t i = 0; i < f->nr_holes; i++) {
		const struct vms_fit_hole *h = &f->holes[i];
		fprintf(fp, "    %-10s ", window_name(r, (int32_t)h->window));
		if (!h->size) {
			fputs("no hole\n", fp);
			continue;
		}
		fprintf(fp, "%s at ", size_str(h->size, a));
		put_addr(fp, r, h->start);
		if ((int32_t)h->window == r->window)
			fprintf(fp, "; the largest request that fits: %s",
			        f->largest_request ? size_str(f->largest_request, a)
			                           : "none");
		fputc('\n', fp);
	}
}

static void align_lines(FILE *fp, const struct vms_fit_result *r)
{
	char a[32], b[32];
	const struct vms_fit_failure *f = &r->fail;
	if (r->align > r->model->page_size)
		fprintf(fp,
		        "  alignment  %s: it costs %s at the start of the largest "
		        "hole\n",
		        size_str(r->align, a), size_str(f->align_loss, b));
	if (f->aligned_skipped) {
		fprintf(fp, "%san aligned gap exists at ",
		        r->align > r->model->page_size ? "             "
		                                       : "  search     ");
		put_addr(fp, r, f->aligned_at);
		fputs(
		    ", but the kernel searches for\n"
		    "             size + align - 1 bytes and finds no hole that large\n",
		    fp);
	}
	if (r->align <= r->model->page_size)
		return;
	if (f->unaligned_fits) {
		fputs("             aligned to a page only it would land at ", fp);
		put_addr(fp, r, f->unaligned.start);
		fputs("\n             (hole ", fp);
		put_range(fp, r, f->unaligned.hole_start, f->unaligned.hole_end);
		fputs(")\n", fp);
	} else
		fputs("             aligned to a page only it would not fit either\n",
		      fp);
}

/* ---- vmalloc= ---------------------------------------------------------------- */

/* "300M" for a whole MiB (the answers are), else the bytes. */
static void put_param(FILE *fp, uint64_t v)
{
	if (v % (1u << 20) == 0)
		fprintf(fp, "%lluM", (unsigned long long)(v >> 20));
	else
		fprintf(fp, "%llu", (unsigned long long)v);
}

static void why_no_vmalloc(FILE *fp, const struct vms_fit_result *r,
                           const struct vms_fit_vmalloc *vm, int32_t window,
                           const char *indent)
{
	const struct vms_aspace *m = r->model;
	switch (vm->status) {
	case VMS_FP_MODULES:
		fprintf(fp, "%svmalloc= cannot help: module space, ", indent);
		put_window(fp, r, window);
		fprintf(fp,
		        ",\n%shas a fixed size (MODULES_VADDR..MODULES_END); vmalloc= "
		        "only sizes\n%sthe vmalloc space\n",
		        indent, indent);
		if (m->arch && strcmp(m->arch, "arm32") == 0)
			fprintf(
			    fp,
			    "%s(a kernel with CONFIG_ARM_MODULE_PLTS loads a module that "
			    "does not\n%sfit there into the vmalloc space instead)\n",
			    indent, indent);
		break;
	case VMS_FP_NO_PARAM:
		fprintf(
		    fp,
		    "%svmalloc= cannot help: %s kernels have no vmalloc= parameter\n"
		    "%s(only arm32 and x86_32 have one); the vmalloc space is fixed\n",
		    indent, m->arch ? m->arch : "these", indent);
		break;
	case VMS_FP_NO_PROFILE:
		fprintf(fp,
		        "%svmalloc= not computed: the arch is not known (give --arch)\n",
		        indent);
		break;
	default:
		fprintf(fp,
		        "%svmalloc= not computed: the profile has no vmalloc region\n",
		        indent);
	}
}

static const char *const sem_labels[2] = {"<= 5.13", "5.14+"};

static void param_row(FILE *fp, const struct vms_fit_result *r,
                      const struct vms_fit_vmalloc *vm, int s, const char *indent)
{
	char a[32];
	const struct vms_fit_param *p = &vm->param[s];
	const struct vms_vmalloc_calc *c = &p->calc;
	/* one rule (x86_32): no semantics column */
	char label[32] = "";
	if (vm->two_semantics)
		snprintf(label, sizeof(label), "%s%s", sem_labels[s],
		         vm->applies == s ? " (this era)" : "");
	int pad = vm->two_semantics ? 20 : 0; /* the column and a blank */
	fprintf(fp, "%s%-*s", indent, pad, label);
	if (!p->found) {
		fputs("none fits: even the largest, vmalloc=", fp);
		put_param(fp, c->effective);
		fprintf(fp, ",\n%s%*sgives %s\n", indent, pad, "",
		        size_str(c->vmalloc_end - c->vmalloc_start, a));
		return;
	}
	fputs("vmalloc=", fp);
	put_param(fp, p->value);
	fputs(": lowmem ends at ", fp);
	put_addr(fp, r, c->lowmem_end);
	fprintf(fp, "%s,\n%s%*svmalloc ", c->ram_limited ? " (the end of RAM)" : "",
	        indent, pad, "");
	put_range(fp, r, c->vmalloc_start, c->vmalloc_end);
	fprintf(fp, " (%s)\n", size_str(c->vmalloc_end - c->vmalloc_start, a));
}

static void vmalloc_lines(FILE *fp, const struct vms_fit_result *r,
                          const struct vms_fit_vmalloc *vm, int32_t window,
                          const char *indent, size_t max_places)
{
	char a[32];
	if (vm->status != VMS_FP_COMPUTED) {
		why_no_vmalloc(fp, r, vm, window, indent);
		return;
	}
	fprintf(fp, "%ssmallest vmalloc= that makes it fit (VMALLOC_END ", indent);
	put_addr(fp, r, vm->vmalloc_end);
	fprintf(fp,
	        " stays,\n%sVMALLOC_START moves down as lowmem shrinks; now: ", indent);
	if (vm->current_given) {
		fputs("vmalloc=", fp);
		put_param(fp, vm->current);
	} else if (!vm->two_semantics) /* x86_32: __VMALLOC_RESERVE, not the size */
		fprintf(fp, "the default reserve, %s", size_str(vm->current, a));
	else
		fprintf(fp, "the default, %s", size_str(vm->current, a));
	fputs(vm->two_semantics && vm->applies < 0
	          ? "; the dump's era does not tell which\n"
	          : "):\n",
	      fp);
	if (vm->two_semantics && vm->applies < 0)
		fprintf(fp, "%ssemantics applies):\n", indent);
	char in2[16];
	snprintf(in2, sizeof(in2), "%s  ", indent);
	for (int s = 0; s < (vm->two_semantics ? 2 : 1); s++)
		param_row(fp, r, vm, s, in2);
	if (vm->start_unknown)
		fprintf(
		    fp,
		    "%snote: VMALLOC_START is not known (no boot layout): the window\n"
		    "%sstarts at the lowest area and free space below it may exist, so\n"
		    "%sa smaller vmalloc= may do\n",
		    indent, indent, indent);
	/* where they land with the answer of the era (the newer one when
	 * the era spans both) */
	int s = vm->two_semantics && vm->applies != VMS_VMALLOC_OLD ? 1 : 0;
	if (!vm->param[s].found || !max_places)
		return;
	fprintf(fp, "%swith vmalloc=", indent);
	put_param(fp, vm->param[s].value);
	fputs(":\n", fp);
	put_places(fp, r, &vm->param[s].placed, max_places, in2);
}

static void request_text(FILE *fp, const struct vms_fit_result *r,
                         const struct vms_fit_view *v)
{
	headline(fp, r, v);
	rule_lines(fp, r);
	put_places(fp, r, &r->placed, v->max_places, "  ");
	if (r->fits)
		return;
	fprintf(fp, "  #%-3llu no fit%s\n", (unsigned long long)r->fail.index + 1,
	        r->lazy_bytes ? ", even once the lazily freed areas are purged" : "");
	holes_lines(fp, r);
	align_lines(fp, r);
	vmalloc_lines(fp, r, &r->vm, r->window, "  ", v->max_places);
}

/* ---- failure lines ------------------------------------------------------------ */

static void failure_message(FILE *fp, const struct vms_fit_result *r,
                            const struct vms_failure *f)
{
	unsigned long long n = (unsigned long long)f->size;
	switch (f->kind) {
	case VMS_FAIL_VMAP:
		if (n)
			fprintf(fp, "vmap allocation for size %llu failed\n", n);
		else
			fputs("vmap allocation failed (no size printed)\n", fp);
		break;
	case VMS_FAIL_NODE_RANGE:
		fprintf(fp, "vmalloc_node_range for size %llu failed (range ", n);
		put_range(fp, r, f->vstart, f->vend);
		fputs(")\n", fp);
		break;
	case VMS_FAIL_VMALLOC_ERROR:
		fprintf(fp, "vmalloc error: size %llu\n", n);
		break;
	default:
		fprintf(fp, "vmalloc: allocation failure: %llu bytes\n", n);
	}
}

/* "modules 0xbf000000-0xbfe00000 (14 MiB)": the window, or without
 * geometry the region it would be. */
static void put_target(FILE *fp, const struct vms_fit_result *r,
                       const struct vms_fit_logfail *x)
{
	if (x->window >= 0) {
		put_window(fp, r, x->window);
		return;
	}
	const struct vms_region *g = &r->model->regions.v[x->region];
	char a[32];
	fprintf(fp, "%s ", g->name);
	put_range(fp, r, g->start, g->end);
	fprintf(fp, " (%s)", size_str(g->end - g->start, a));
}

static void target_line(FILE *fp, const struct vms_fit_result *r,
                        const struct vms_fit_logfail *x)
{
	char a[32];
	fputs("    window   ", fp);
	put_target(fp, r, x);
	fputs(":\n             ", fp);
	if (x->by_range)
		fputs("the range the message names", fp);
	else if (x->frame && x->kind == VMS_FK_MODULE) {
		put_escaped(fp, x->frame);
		fputs(x->target == VMS_RK_MODULES
		          ? " in the call trace"
		          : " in the call trace (modules are vmalloc()ed here)",
		      fp);
	} else if (x->frame) {
		put_escaped(fp, x->frame);
		fputs(" in the call trace: an ioremap", fp);
		if (x->align)
			fprintf(fp, ",\n             aligned to %s",
			        size_str(x->align, a));
	} else
		fputs(x->f->nr_callers ? "no module frame in the call trace: vmalloc()"
		                       : "no call trace: taken for a vmalloc()",
		      fp);
	fputc('\n', fp);
}

static void request_line(FILE *fp, const struct vms_fit_result *r,
                         const struct vms_fit_logfail *x)
{
	char a[32], b[32];
	const struct vms_failure *f = x->f;
	fprintf(fp, "    request  %s", size_str(x->request, a));
	if (f->kind == VMS_FAIL_VMAP || f->kind == VMS_FAIL_NODE_RANGE)
		fprintf(fp, " (%llu less the %s guard page)\n",
		        (unsigned long long)f->size, size_str(r->model->page_size, b));
	else
		fputs(" (as printed: the caller's size)\n", fp);
}

/* Why the failure may fit now although it failed then. */
static void why_it_fits(FILE *fp, const struct vms_fit_result *r,
                        const struct vms_fit_logfail *x)
{
	if (x->place.after_purge)
		fputs("             once the lazily freed areas are purged, as the\n"
		      "             kernel does before it fails;\n",
		      fp);
	fputs("             space was freed after the failure, or the dump is of\n"
	      "             another moment",
	      fp);
	fputs(r->partial ? ", or it misses areas ('...')\n" : "\n", fp);
}

static void now_lines(FILE *fp, const struct vms_fit_result *r,
                      const struct vms_fit_logfail *x, const struct vms_fit_view *v)
{
	char a[32], b[32];
	fputs("    now      ", fp);
	if (x->fits_now) {
		put_sgr(fp, v->color, SGR_GREEN, "fits");
		fputs(" at ", fp);
		put_addr(fp, r, x->place.start);
		fputs(", in hole\n             ", fp);
		put_range(fp, r, x->place.hole_start, x->place.hole_end);
		fprintf(fp, " (%s):\n",
		        size_str(x->place.hole_end - x->place.hole_start, a));
		why_it_fits(fp, r, x);
	} else {
		put_sgr(fp, v->color, SGR_BOLD_RED, "does not fit");
		fputc('\n', fp);
	}
	fputs("    largest  ", fp);
	if (x->largest.size) {
		fprintf(fp, "hole %s at ", size_str(x->largest.size, a));
		put_addr(fp, r, x->largest.start);
		fprintf(fp, ": a request up to %s fits\n",
		        size_str(x->largest_request, b));
	} else
		fputs("no hole in the window\n", fp);
}

/* text escaped and wrapped at spaces to lines of at most 80 columns, the
 * first starting at column col, the others after indent. */
static void put_wrapped(FILE *fp, const char *text, size_t col, const char *indent)
{
	const size_t width = 80;
	while (*text) {
		size_t n = strlen(text), room = width > col ? width - col : 1, cut = n;
		if (n > room) {
			for (cut = room; cut > 0 && text[cut] != ' '; cut--)
				;
			if (!cut) /* one long word: up to the next blank */
				cut = strcspn(text, " ");
		}
		vms_emit_escaped(fp, text, cut, false);
		text += cut;
		text += strspn(text, " ");
		if (*text) {
			fprintf(fp, "\n%s", indent);
			col = strlen(indent);
		}
	}
	fputc('\n', fp);
}

/* Without real addresses (a log alone, a hashed dump): where the regions
 * came from, and why what fits now is not known. */
static void no_geometry_lines(FILE *fp, const struct vms_fit_result *r)
{
	const struct vms_aspace *m = r->model;
	const char *hint = vms_aspace_address_hint(m);
	fputs("  regions    ", fp);
	put_wrapped(fp, m->layout_why ? m->layout_why : "unknown", 13, "             ");
	fputs("  addresses  ", fp);
	put_wrapped(fp, m->no_geometry ? m->no_geometry : "unknown", 13, "             ");
	if (hint) {
		fputs("             ", fp);
		put_wrapped(fp, hint, 13, "             ");
	}
	fputs(m->dump->areas.n
	          ? "             what fits now is not known\n"
	          : "             what fits now is not known: give the vmallocinfo dump\n"
	            "             with the log (vmscope fit --layout LOG DUMP)\n",
	      fp);
}

static void logfail_text(FILE *fp, const struct vms_fit_result *r,
                         const struct vms_fit_logfail *x, const struct vms_fit_view *v)
{
	const struct vms_failure *f = x->f;
	const char *file = f->file ? f->file : vms_emit_source_name(r->model->dump);
	fputs("  ", fp);
	vms_emit_location(fp, file, f->line, 0, v->color);
	failure_message(fp, r, f);
	if (x->same_as >= 0) {
		fprintf(fp, "    the same request as line %u (the same call trace)\n",
		        r->logfails.v[x->same_as].f->line);
		return;
	}
	if (x->region < 0) {
		fputs("    no allocation window in the model\n", fp);
		return;
	}
	target_line(fp, r, x);
	if (!x->size) {
		fputs("    request  unknown (the message has no size)\n", fp);
		return;
	}
	request_line(fp, r, x);
	if (x->window < 0) {
		fputs("    now      not known (no real addresses)\n", fp);
		return;
	}
	now_lines(fp, r, x, v);
	if (!x->fits_now)
		vmalloc_lines(fp, r, &x->vm, x->window, "    ", v->max_places);
	else if (x->target == VMS_RK_MODULES)
		fputs(
		    "    vmalloc= would not have helped: module space has a fixed size\n",
		    fp);
}

static void partial_note(FILE *fp, const struct vms_fit_result *r)
{
	if (r->partial && r->model->meminfo.incomplete)
		fputs("  note: the dump lists far less than /proc/meminfo's VmallocUsed\n"
		      "  counts: areas are missing, so a hole shown free may be taken\n",
		      fp);
	else if (r->partial && r->model->not_free)
		fputs("  note: the listing was printed through a filter (grep ...):\n"
		      "  areas are missing, so a hole shown free may be taken\n",
		      fp);
	else if (r->partial)
		fputs("  note: the dump skips lines ('...'): areas may be missing, so a\n"
		      "  hole shown free may be taken\n",
		      fp);
}

static void log_text(FILE *fp, const struct vms_fit_result *r,
                     const struct vms_fit_view *v)
{
	size_t n = r->logfails.n;
	if (r->has_request && !n)
		return;
	if (r->has_request) {
		vms_emit_heading(fp, "Allocation failures in the log", v->color);
		fputc('\n', fp);
	} else {
		put_escaped(fp, vms_emit_source_name(r->model->dump));
		if (n)
			fprintf(fp, ": %zu allocation failure%s in the log\n", n,
			        n == 1 ? "" : "s");
		else
			fputs(": no allocation failures in the log\n", fp);
		if (n)
			partial_note(fp, r);
	}
	if (n && !r->model->geometry)
		no_geometry_lines(fp, r);
	for (size_t i = 0; i < n; i++)
		logfail_text(fp, r, &r->logfails.v[i], v);
}

int vms_emit_fit_text(FILE *fp, const struct vms_fit_result *r,
                      const struct vms_fit_view *v)
{
	if (r->has_request) {
		request_text(fp, r, v);
		partial_note(fp, r);
	}
	log_text(fp, r, v);
	return ferror(fp) ? -VMS_EIO : 0;
}
