/*
 * cmd_sim.c — `vmscope sim`: run the simulated vmap allocator of an arch
 * and kernel era on a workload or an event script, from an empty device or
 * from the state of a real dump, and print what the kernel would: the boot
 * layout block (with the version line, the command line and any
 * allocation failures, as a log shows them) and /proc/vmallocinfo.
 *
 * Decisions (docs/simulation.md, docs/cli.md):
 *  - the output is a log and a dump that `vmscope check` accepts and
 *    `vmscope parse` reads back to the same areas;
 *  - the same options and seed give the same output, byte for byte;
 *    --record writes the events run, which --script replays exactly;
 *  - exit 0 when every allocation succeeded, 1 when one failed (the
 *    failure lines are part of the output), 2 usage error, 3 unreadable
 *    or bad input (the script's rows, the --start-from dump);
 *  - an option the device cannot honour is a usage error, never ignored:
 *    a page size or kernel the profile does not have, --pools where the
 *    kernel has no pools, --layout/--cmdline without a dump to describe;
 *  - from a dump, the layout block is its boot log's or none (never the
 *    profile's guess).
 *
 * Cost: O(events log n) for the run (legacy: up to O(n) per allocation
 * from a cold cache, as the kernel), O(n) for the output.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vmscope/emit.h"
#include "vmscope/emit_layout.h"
#include "vmscope/sim.h"

enum {
	OPT_WORKLOAD = 0x200,
	OPT_SCRIPT,
	OPT_START_FROM,
	OPT_SEED,
	OPT_OPS,
	OPT_LIVE,
	OPT_CPUS,
	OPT_POLICY,
	OPT_POOLS,
	OPT_RAM,
	OPT_VMALLOC,
	OPT_EMIT,
	OPT_RECORD,
	OPT_STATS,
};

static const char *const emit_names[] = {"all", "layout", "dump"};
enum sim_emit { EMIT_ALL = 0, EMIT_LAYOUT, EMIT_DUMP };
static const char *const policy_names[] = {"modern", "legacy"};

static const char sim_usage[] =
    "Usage: vmscope sim [OPTIONS]\n"
    "\n"
    "Simulate the kernel's vmap allocator of an arch and era (--arch, --kernel)\n"
    "on a workload or an event script, and print what that kernel would: the\n"
    "boot layout block and /proc/vmallocinfo. The output is a log and a dump\n"
    "that `vmscope check` accepts; the same options give the same output.\n"
    "\n"
    "Options:\n"
    "      --workload W        boot (default), churn, leak, frag\n"
    "      --script FILE       run the events of FILE (CSV: op,id,size,align,\n"
    "                          kind,caller) instead of a workload\n"
    "      --start-from FILE   start from the areas of a real dump (and its\n"
    "                          boot log; --layout, --cmdline), or from a boot\n"
    "                          log alone: what happens next on that device\n"
    "                          (runs only --script or --workload when given)\n"
    "      --seed N            seed of the workload (default 1)\n"
    "      --ops N             operations of the workload (default: its own;\n"
    "                          at most 100000000, held in memory)\n"
    "      --live N            live areas churn and frag keep (default: its own;\n"
    "                          at most 10000000)\n"
    "      --cpus N            online CPUs: lazy_max_pages, vm_map_ram blocks\n"
    "                          (default 4)\n"
    "      --policy P          modern (5.2+ free tree) or legacy (busy-tree\n"
    "                          walk); default: the era's\n"
    "      --pools             6.9+ per-node pools of freed areas\n"
    "      --ram SIZE          RAM of the device (32-bit: where lowmem ends)\n"
    "      --vmalloc SIZE      the vmalloc= boot parameter (arm32, x86_32)\n"
    "      --emit WHAT         all (default), layout, dump\n"
    "      --record FILE       write the events run as a script (replayable)\n"
    "      --stats             print operations, failures, purges, live\n"
    "                          areas, largest hole, time per operation\n";

static const char sim_usage_tail[] =
    "\n"
    "Without --arch the arm32 profile is used (or the --start-from dump's);\n"
    "without --kernel, the profile's era. What the simulator models and what\n"
    "it does not: docs/simulation.md.\n"
    "\n"
    "Exit status: 0 every allocation succeeded, 1 an allocation failed (its\n"
    "kernel message, when the kernel prints one, is in the output), 2 usage\n"
    "error, 3 unreadable or bad input (script rows, the --start-from dump).\n";

struct sim_args {
	struct vms_cli_common c;
	struct vms_workload_config wl;
	bool has_workload;
	const char *script;
	const char *start_from;
	const char *record;
	int policy;
	bool pools, stats;
	bool has_ram, has_vmalloc;
	uint64_t ram, vmalloc;
	enum sim_emit emit;
};

static int size_option(const char *opt, const char *arg, uint64_t *out)
{
	if (vms_parse_size(arg, out) != 0 || !*out)
		return vms_cli_usage_error("sim", "invalid %s '%s' (a size such as 512M)",
		                           opt, arg);
	return 0;
}

static int apply_option(void *args, int opt, const char *arg)
{
	struct sim_args *a = args;
	uint64_t v;
	int i;
	switch (opt) {
	case OPT_WORKLOAD:
		i = vms_workload_lookup(arg);
		if (i < 0)
			return vms_cli_usage_error(
			    "sim", "unknown --workload '%s' (boot, churn, leak, frag)",
			    arg);
		a->wl.workload = (unsigned)i;
		a->has_workload = true;
		return 0;
	case OPT_SCRIPT:
		a->script = arg;
		return 0;
	case OPT_START_FROM:
		a->start_from = arg;
		return 0;
	case OPT_RECORD:
		a->record = arg;
		return 0;
	case OPT_SEED:
		if (vms_cli_count("sim", "--seed", arg, UINT64_MAX, &v))
			return VMS_EXIT_USAGE;
		a->wl.seed = v;
		return 0;
	case OPT_OPS:
		/* the events are held in memory (40 bytes each): 4 GB at most */
		if (vms_cli_count("sim", "--ops", arg, 100000000ull, &v))
			return VMS_EXIT_USAGE;
		a->wl.ops = v;
		return 0;
	case OPT_LIVE:
		/* about 150 bytes per live area and its events: 1.5 GB at most */
		if (vms_cli_count("sim", "--live", arg, 10000000ull, &v))
			return VMS_EXIT_USAGE;
		a->wl.live = v;
		return 0;
	case OPT_CPUS:
		if (vms_cli_count_range("sim", "--cpus", arg, 1, 8192, &v))
			return VMS_EXIT_USAGE;
		a->wl.cpus = (unsigned)v;
		return 0;
	case OPT_POLICY:
		i = vms_cli_choice(arg, policy_names, 2);
		if (i < 0)
			return vms_cli_usage_error(
			    "sim", "invalid --policy '%s' (modern, legacy)", arg);
		a->policy = i;
		return 0;
	case OPT_POOLS:
		a->pools = true;
		return 0;
	case OPT_RAM:
		a->has_ram = true;
		return size_option("--ram", arg, &a->ram) ? VMS_EXIT_USAGE : 0;
	case OPT_VMALLOC:
		a->has_vmalloc = true;
		return size_option("--vmalloc", arg, &a->vmalloc) ? VMS_EXIT_USAGE : 0;
	case OPT_EMIT:
		i = vms_cli_choice(arg, emit_names, 3);
		if (i < 0)
			return vms_cli_usage_error(
			    "sim", "invalid --emit '%s' (all, layout, dump)", arg);
		a->emit = (enum sim_emit)i;
		return 0;
	case OPT_STATS:
		a->stats = true;
		return 0;
	default:
		return -1;
	}
}

static const struct option sim_longopts[] = {
    {"workload", required_argument, NULL, OPT_WORKLOAD},
    {"script", required_argument, NULL, OPT_SCRIPT},
    {"start-from", required_argument, NULL, OPT_START_FROM},
    {"seed", required_argument, NULL, OPT_SEED},
    {"ops", required_argument, NULL, OPT_OPS},
    {"live", required_argument, NULL, OPT_LIVE},
    {"cpus", required_argument, NULL, OPT_CPUS},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"pools", no_argument, NULL, OPT_POOLS},
    {"ram", required_argument, NULL, OPT_RAM},
    {"vmalloc", required_argument, NULL, OPT_VMALLOC},
    {"emit", required_argument, NULL, OPT_EMIT},
    {"record", required_argument, NULL, OPT_RECORD},
    {"stats", no_argument, NULL, OPT_STATS},
    VMS_CLI_COMMON_LONGOPTS,
    {0},
};

static const struct vms_cli_spec sim_spec = {
    "sim", sim_usage, sim_usage_tail, sim_longopts, apply_option,
};

static int load_script(const struct sim_args *a, struct vms_sim_script *sc)
{
	size_t len = 0;
	char *buf = vms_cli_read_file(a->script, &len);
	if (!buf) {
		vms_cli_eprintf("vmscope sim: %s: %s", a->script, strerror(errno));
		return VMS_EXIT_INPUT;
	}
	int rc = vms_sim_script_read(sc, buf, len);
	free(buf);
	if (!rc)
		return VMS_EXIT_OK;
	bool color = vms_cli_use_color(a->c.color, stderr);
	for (size_t i = 0; i < sc->errors.n; i++) {
		const struct vms_diag *e = &sc->errors.v[i];
		vms_emit_location(stderr, strcmp(a->script, "-") ? a->script : "<stdin>",
		                  e->line, e->col, color);
		vms_emit_label(stderr, "error", 0, color);
		vms_emit_escaped(stderr, e->message, strlen(e->message), false);
		fprintf(stderr, " [%s]\n", e->code);
	}
	return VMS_EXIT_INPUT;
}

static int kernel_patch(const struct sim_args *a)
{
	int x, y, z;
	if (a->c.kernel_text && sscanf(a->c.kernel_text, "%d.%d.%d", &x, &y, &z) == 3)
		return z;
	return 0;
}

/* The profiles of family with pages of page bytes, as "a, b" in buf. */
static const char *profiles_with_page(const char *family, uint64_t page, char *buf,
                                      size_t len)
{
	buf[0] = 0;
	for (size_t i = 0; i < vms_nr_profiles; i++) {
		const struct vms_profile *q = &vms_profiles[i];
		if (strcmp(q->family, family) || q->page_size != page ||
		    (i && !strcmp(vms_profiles[i - 1].name, q->name)))
			continue;
		size_t n = strlen(buf);
		snprintf(buf + n, len - n, "%s%s", n ? ", " : "", q->name);
	}
	return buf;
}

/* x86_32 does not clamp vmalloc=: a reserve (vmalloc= + 8 MiB) past
 * VMALLOC_END - PAGE_OFFSET makes MAXMEM wrap, and no kernel boots so. */
static bool x86_32_reserve_wraps(const struct sim_args *a, const struct vms_profile *p)
{
	struct vms_vmalloc_calc calc;
	if (!a->has_vmalloc || strcmp(p->family, "x86_32") != 0)
		return false;
	return a->vmalloc > UINT64_MAX - (16ull << 20) ||
	       (vms_vmalloc_compute(p, VMS_VMALLOC_OLD, true, a->vmalloc, 0, &calc) ==
	            0 &&
	        calc.clamped);
}

/* What the options of a new device ask of profile p that it cannot give:
 * a page size it does not have, a kernel older than its first era, RAM
 * that is not whole pages, an x86_32 vmalloc= that wraps. Returns
 * VMS_EXIT_OK or the usage error. */
static int check_profile(const struct sim_args *a, const struct vms_profile *p)
{
	uint64_t page = a->c.popts.page_size;
	char names[256];
	if (page && page != p->page_size)
		return vms_cli_usage_error(
		    "sim", "--page-size %lluK: the %s profile has %lluK pages%s%s",
		    (unsigned long long)(page >> 10), p->name,
		    (unsigned long long)(p->page_size >> 10),
		    *profiles_with_page(p->family, page, names, sizeof(names))
		        ? "; with that page size: --arch "
		        : " (no profile of that arch has that page size)",
		    names);
	int x, y, z = 99; /* no patch level: any patch of major.minor */
	if (a->c.kernel_text && sscanf(a->c.kernel_text, "%d.%d.%d", &x, &y, &z) != 3)
		z = 99;
	if (a->c.popts.kernel_major &&
	    a->c.popts.kernel_major * 10000 + a->c.popts.kernel_minor * 100 + z <
	        p->min_major * 10000 + p->min_minor * 100 + p->min_patch)
		return vms_cli_usage_error(
		    "sim",
		    "--kernel %s: the %s profile starts at kernel %d.%d (no older "
		    "layout of it is modelled; --start-from a boot log of that "
		    "kernel gives its own)",
		    a->c.kernel_text, p->name, p->min_major, p->min_minor);
	if (a->has_ram && a->ram % p->page_size)
		return vms_cli_usage_error(
		    "sim", "invalid --ram: %llu bytes are not whole %lluK pages",
		    (unsigned long long)a->ram, (unsigned long long)(p->page_size >> 10));
	if (x86_32_reserve_wraps(a, p))
		return vms_cli_usage_error(
		    "sim",
		    "--vmalloc: an x86_32 reserve of vmalloc= + 8 MiB must stay below "
		    "VMALLOC_END - PAGE_OFFSET (the kernel does not clamp it: MAXMEM "
		    "would wrap)");
	return VMS_EXIT_OK;
}

/* --pools where the kernel has none: the legacy walk, or one vmap node
 * (32-bit kernels, and a single CPU: vmap_init_nodes() makes one node per
 * possible CPU on 64-bit only, and node_alloc() skips the pools then). */
static int check_pools(const struct sim_args *a, const struct vms_sim *s)
{
	const char *why = vms_sim_policy(s) == VMS_POLICY_LEGACY
	                      ? "the legacy policy has none (--policy modern)"
	                  : vms_sim_profile(s)->addr_bits != 64
	                      ? "a 32-bit kernel has one vmap node and no pools"
	                  : a->wl.cpus == 1 ? "one CPU means one vmap node and no pools"
	                                    : NULL;
	if (!why)
		return VMS_EXIT_OK;
	return vms_cli_usage_error("sim", "--pools: %s", why);
}

static int make_sim(const struct sim_args *a, struct vms_dump *from, struct vms_sim **out)
{
	const char *name = a->c.profile ? a->c.profile : from ? NULL : "arm32";
	const struct vms_profile *p = NULL;
	if (name) {
		p = vms_profile_era(name, a->c.popts.kernel_major,
		                    a->c.popts.kernel_minor,
		                    a->c.kernel_text ? kernel_patch(a) : -1);
		if (!p)
			return vms_cli_usage_error(
			    "sim", "no profile %s for kernel %s", name,
			    a->c.kernel_text ? a->c.kernel_text : "?");
		/* from a dump, its page size and era are what it says */
		int rc = from ? VMS_EXIT_OK : check_profile(a, p);
		if (rc != VMS_EXIT_OK)
			return rc;
	}
	if (a->has_vmalloc && p && !p->vmalloc_param)
		return vms_cli_usage_error(
		    "sim",
		    "--vmalloc: the %s kernel has no vmalloc= parameter "
		    "(only arm32 and x86_32 have one)",
		    p->family);
	struct vms_sim_config cfg = {
	    .profile = p,
	    .kernel_major = a->c.popts.kernel_major,
	    .kernel_minor = a->c.popts.kernel_minor,
	    .kernel_patch = kernel_patch(a),
	    .policy = a->policy,
	    .cpus = a->wl.cpus,
	    .pools = a->pools,
	    .ram_bytes = a->has_ram ? a->ram : 0,
	    .has_vmalloc = a->has_vmalloc,
	    .vmalloc = a->vmalloc,
	    .start_from = from,
	};
	char why[256];
	*out = vms_sim_new(&cfg, why, sizeof(why));
	if (!*out) {
		vms_cli_eprintf("vmscope sim: %s", why);
		return VMS_EXIT_INPUT;
	}
	return a->pools ? check_pools(a, *out) : VMS_EXIT_OK;
}

/*
 * The layout block of the run. A new device's is the profile's, as its
 * era prints it (or not at all). A dump's only when its boot log gave it
 * (a profile's guess would claim a lowmem and a VMALLOC_START the dump
 * never showed), and then even when the era's mainline kernel prints none:
 * that device did (a vendor or KASAN kernel), in the form of the nearest
 * era that prints one.
 */
static int write_layout(const struct sim_args *a, const struct vms_sim *s, int major,
                        int minor)
{
	size_t n;
	const struct vms_region *r = vms_sim_regions(s, &n);
	const char *family = vms_sim_profile(s)->family;
	int rc = -VMS_ENODATA;
	if (!a->start_from)
		return vms_emit_layout(stdout, family, major, minor, r, n);
	for (size_t i = 0; i < n; i++)
		if (r[i].kind == VMS_RK_VMALLOC && r[i].source != VMS_RS_LOG)
			return -VMS_ENODATA;
	/* major.minor, then older eras, then newer ones */
	for (int v = major * 100 + minor, step = -1; rc == -VMS_ENODATA;) {
		rc = vms_emit_layout(stdout, family, v / 100, v % 100, r, n);
		v += step;
		if (v < 200 && step < 0) {
			step = 1;
			v = major * 100 + minor + 1;
		} else if (v > 999) {
			break;
		}
	}
	return rc;
}

static int write_output(const struct sim_args *a, const struct vms_sim *s)
{
	int major, minor, patch;
	vms_sim_kernel(s, &major, &minor, &patch);
	const struct vms_profile *p = vms_sim_profile(s);
	if (a->emit != EMIT_DUMP) {
		vms_emit_version_line(stdout, major, minor, patch, p->family);
		if (a->has_vmalloc)
			printf("Kernel command line: console=ttyS0 vmalloc=%lluK\n",
			       (unsigned long long)(a->vmalloc >> 10));
		int rc = write_layout(a, s, major, minor);
		if (rc && rc != -VMS_ENODATA)
			return VMS_EXIT_INPUT;
		for (size_t i = 0; i < vms_sim_nr_failures(s); i++)
			printf("%s\n", vms_sim_failure(s, i));
	}
	if (a->emit != EMIT_LAYOUT) {
		struct vms_dump *d = vms_sim_snapshot(s);
		int rc = vms_emit_text(stdout, d);
		vms_dump_free(d);
		if (rc)
			return VMS_EXIT_INPUT;
	}
	return fflush(stdout) || ferror(stdout) ? VMS_EXIT_INPUT : VMS_EXIT_OK;
}

static void print_stats(const struct vms_sim *s)
{
	struct vms_sim_stats st;
	char a[32], b[32];
	int major, minor, patch;
	vms_sim_get_stats(s, &st);
	vms_sim_kernel(s, &major, &minor, &patch);
	fprintf(stderr,
	        "sim: kernel %d.%d.%d, profile %s, %llu KiB pages, lazy_max_pages %llu\n",
	        major, minor, patch, vms_sim_profile(s)->name,
	        (unsigned long long)(vms_sim_page_size(s) >> 10),
	        (unsigned long long)st.lazy_max_pages);
	fprintf(stderr,
	        "sim: %s policy; %llu operations: %llu allocs, %llu frees, %llu purges, "
	        "%llu failures\n",
	        vms_sim_policy_name(vms_sim_policy(s)), (unsigned long long)st.ops,
	        (unsigned long long)st.allocs, (unsigned long long)st.frees,
	        (unsigned long long)st.purges, (unsigned long long)st.failures);
	fprintf(stderr, "sim: %llu live areas (%s), %llu lazily freed (%s)\n",
	        (unsigned long long)st.live, vms_format_size(st.live_bytes, a, 32),
	        (unsigned long long)st.lazy, vms_format_size(st.lazy_bytes, b, 32));
	fprintf(stderr, "sim: vmalloc space free %s, largest hole %s\n",
	        vms_format_size(st.free_bytes, a, 32),
	        vms_format_size(st.largest_hole, b, 32));
	double per = st.ops ? st.seconds / (double)st.ops * 1e9 : 0;
	fprintf(stderr, "sim: %.3f s, %.0f ns per operation (%.0f operations/s)\n",
	        st.seconds, per, st.seconds > 0 ? (double)st.ops / st.seconds : 0.0);
	if (st.bad_frees)
		fprintf(stderr,
		        "sim: %llu frees of ids not live (their allocation failed)\n",
		        (unsigned long long)st.bad_frees);
}

static int run(struct sim_args *a)
{
	struct vms_dump *from = NULL;
	struct vms_sim *s = NULL;
	struct vms_sim_script sc;
	int rc;

	vms_sim_script_init(&sc,
	                    a->script ? a->script : vms_workload_name(a->wl.workload));
	if (a->start_from) {
		rc = vms_cli_load(&a->c, a->start_from, &from);
		if (rc == VMS_EXIT_OK)
			rc = vms_cli_require_usable(from);
		if (rc != VMS_EXIT_OK)
			goto out;
	}
	rc = make_sim(a, from, &s);
	if (rc != VMS_EXIT_OK)
		goto out;
	struct vms_sim_stats st;
	vms_sim_get_stats(s, &st);
	if (st.skipped && !a->c.quiet)
		vms_cli_eprintf(
		    "vmscope sim: warning: %llu area(s) of %s overlap areas placed "
		    "before them and were left out",
		    (unsigned long long)st.skipped, a->start_from);
	if (a->script) {
		rc = load_script(a, &sc);
		if (rc != VMS_EXIT_OK)
			goto out;
	} else if (!a->start_from || a->has_workload) {
		/* from a real dump only what is asked: its state is the point */
		vms_sim_workload_scale(s, &a->wl);
		vms_workload_generate(&sc, &a->wl);
	}
	struct vms_cli_progress prog;
	vms_cli_progress_start_count(&prog, &a->c, "simulating", sc.ev.n, "operations");
	uint64_t failed = vms_sim_run(s, &sc, prog.running ? &prog.bytes : NULL);
	vms_cli_progress_stop(&prog);
	if (a->record) {
		FILE *fp = fopen(a->record, "w");
		bool bad = !fp || vms_sim_script_write(fp, &sc) != 0;
		if (fp && fclose(fp) != 0)
			bad = true;
		if (bad) {
			vms_cli_eprintf("vmscope sim: %s: %s", a->record,
			                errno ? strerror(errno) : "write error");
			rc = VMS_EXIT_INPUT;
			goto out;
		}
	}
	rc = write_output(a, s);
	if (a->stats)
		print_stats(s);
	if (rc == VMS_EXIT_OK && failed)
		rc = VMS_EXIT_FINDINGS;
out:
	vms_sim_free(s);
	vms_sim_script_free(&sc);
	vms_dump_free(from);
	return rc;
}

int vms_cmd_sim(int argc, char **argv, const struct vms_cli_global *g)
{
	struct sim_args a = {.policy = -1, .wl = {.seed = 1}};
	vms_cli_common_init(&a.c, "sim", g);
	int rc = vms_cli_options(argc, argv, &a.c, &sim_spec, &a);
	if (rc >= 0)
		return rc;
	if (optind < argc)
		return vms_cli_usage_error("sim",
		                           "unexpected argument '%s' (the input of a "
		                           "run is --script or --start-from)",
		                           argv[optind]);
	if (a.script && a.has_workload)
		return vms_cli_usage_error("sim",
		                           "--script and --workload exclude each other");
	if (!a.start_from && (a.c.layout || a.c.popts.cmdline))
		return vms_cli_usage_error(
		    "sim", "--layout and --cmdline describe the boot log of "
		           "a --start-from dump (a boot log alone is a "
		           "start too: --start-from LOG); a new device "
		           "takes --arch, --kernel, --ram and --vmalloc");
	if (a.start_from && (a.has_ram || a.has_vmalloc))
		return vms_cli_usage_error("sim",
		                           "--ram and --vmalloc describe a new device; "
		                           "--start-from takes the dump's layout");
	rc = vms_cli_prepare(&a.c);
	if (rc == VMS_EXIT_OK)
		rc = run(&a);
	vms_cli_common_free(&a.c);
	return rc;
}
