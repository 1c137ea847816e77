/*
 * fuzz_sim.c — libFuzzer target for the simulator driven by an event
 * script (vmscope sim --script): the bytes after a two-byte header are
 * read as a script; when it reads without errors every event runs on a
 * simulator of the profile row, era and policy the header picks, with
 * the invariants recomputed from scratch (vms_sim_validate) every 16
 * events and at the end, the stats checked against the snapshot, and the
 * snapshot written as vmallocinfo text and parsed back: the same number
 * of areas. A violation calls abort().
 *
 * Header: byte 0 picks the profile row (modulo the table), byte 1 the
 * policy (bit 0: legacy), the pools (bit 1) and the CPU count (bits 2-4).
 *
 * Build and run: `make fuzz` (see tests/fuzz/README.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/emit.h"
#include "vmscope/parse.h"
#include "vmscope/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why, const char *detail)
{
	fprintf(stderr, "fuzz_sim: invariant violated: %s: %s\n", why, detail);
	abort();
}

static void check(const struct vms_sim *s)
{
	char why[256] = "";
	if (vms_sim_validate(s, why, sizeof(why)) != 0)
		fail("vms_sim_validate", why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	const struct vms_profile *p = &vms_profiles[data[0] % vms_nr_profiles];
	struct vms_sim_config c = {.profile = p,
	                           .kernel_major = p->min_major,
	                           .kernel_minor = p->min_minor,
	                           .kernel_patch = p->min_patch,
	                           .policy = data[1] & 1,
	                           .pools = (data[1] & 2) != 0,
	                           .cpus = 1u + ((data[1] >> 2) & 7)};
	char why[256];
	struct vms_sim *s = vms_sim_new(&c, why, sizeof(why));
	if (!s)
		return 0; /* a row without a vmalloc region */
	struct vms_sim_script sc;
	vms_sim_script_init(&sc, "fuzz");
	if (vms_sim_script_read(&sc, (const char *)data + 2, size - 2) == 0) {
		for (size_t k = 0; k < sc.ev.n; k++) {
			struct vms_sim_script one = sc;
			one.ev.v = sc.ev.v + k;
			one.ev.n = 1;
			vms_sim_run(s, &one, NULL);
			if (k % 16 == 15)
				check(s);
		}
		check(s);
		struct vms_sim_stats st;
		vms_sim_get_stats(s, &st);
		if (st.largest_hole > st.free_bytes)
			fail("stats", "the largest hole exceeds the free bytes");
		struct vms_dump *snap = vms_sim_snapshot(s);
		char *text = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&text, &len);
		if (!fp || vms_emit_text(fp, snap) != 0)
			fail("emit", "vms_emit_text failed");
		fclose(fp);
		struct vms_dump *back = NULL;
		if (vms_parse_buffer(text, len, "fuzz", NULL, &back) != 0 ||
		    back->areas.n != snap->areas.n)
			fail("round trip",
			     "the snapshot does not parse back to as many areas");
		vms_dump_free(back);
		free(text);
		vms_dump_free(snap);
	}
	vms_sim_script_free(&sc);
	vms_sim_free(s);
	return 0;
}
