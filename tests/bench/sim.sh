#!/usr/bin/env bash
# sim.sh BIN GEN — the simulator's performance targets (issue 8), run by
# `make bench` after run.sh:
#
#   - 1,000,000 operations with 100,000 live areas (the churn workload on
#     x86_64 6.6): at most 1 s of simulation, ops/s printed; the reference
#     measured in the same run is mawk reading the same 1,000,000 events
#     (the recorded script), so the ratio says how far from "as fast as
#     reading the events" the allocator is;
#   - modern (augmented free tree) against legacy (busy-tree walk with the
#     next-fit cache) on the kernel's long-busy-list pattern (the frag
#     workload) at 10,000 and 100,000 live areas, same events, printing
#     legacy/modern: the kernel's own move to the free tree cut that test
#     by 3-7x.
#
# Times are the simulator's own (--stats: time spent in operations), wall
# time and peak RSS of the whole command beside them. A MISS does not
# fail; the script exits non-zero only when a command fails.
#
# Environment: BENCH_RUNS (3 here), BENCH_DIR (build/bench).
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 BIN GEN" >&2
	exit 2
fi
BIN=$1
GEN=$2
RUNS=${BENCH_SIM_RUNS:-3}
DIR=${BENCH_DIR:-build/bench}
LOG=$DIR/sim.log
mkdir -p "$DIR"

# run_sim ARGS... : one run; prints "simseconds wall rss"
run_sim() {
	local wall rss rc secs
	read -r wall rss rc < <("$GEN" --measure "$LOG" "$BIN" sim --emit layout --stats "$@")
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		echo "bench: 'vmscope sim $*' failed with status $rc:" >&2
		tail -n 20 "$LOG" >&2
		return 1
	fi
	secs=$(sed -n 's/^sim: \([0-9.]*\) s, .*/\1/p' "$LOG")
	echo "$secs $wall $rss"
}

# median of the first column of stdin, with the max of the third
med() {
	sort -n | awk '{ t[NR] = $1; w[NR] = $2; if ($3 > r) r = $3 }
		END { m = (NR + 1) / 2; printf "%.3f %.3f %d\n", t[int(m)], w[int(m)], r }'
}

CHURN=(--arch x86_64 --kernel 6.6 --workload churn --ops 1000000 --live 100000 --seed 1)
echo
echo "--- simulator: ${CHURN[*]}"
"$BIN" sim "${CHURN[@]}" --emit layout --stats --record "$DIR/churn.csv" >/dev/null 2>"$LOG" || true
grep '^sim:' "$LOG"
EVENTS=$(($(wc -l <"$DIR/churn.csv") - 1))
rm -f "$DIR/sim.times" "$DIR/awk.times"
for ((i = 1; i <= RUNS; i++)); do
	run_sim "${CHURN[@]}" >>"$DIR/sim.times"
	read -r wall rss rc < <("$GEN" --measure "$LOG" mawk -F, '{n[$1]++} END{print n["alloc"]}' "$DIR/churn.csv")
	echo "$wall $wall $rss" >>"$DIR/awk.times"
done
read -r S W R < <(med <"$DIR/sim.times")
read -r A _ _ < <(med <"$DIR/awk.times")
awk -v s="$S" -v w="$W" -v r="$R" -v a="$A" -v e="$EVENTS" 'BEGIN {
	printf "%-40s %8.3f s  (%.0f ops/s, %.0f ns/op)  wall %.3f s  peak RSS %.1f MB\n",
		"simulate (median of runs)", s, e / s, s * 1e9 / e, w, r / 1024
	printf "%-40s %8.3f s  ratio sim/mawk %.2f\n", "mawk reading the same events", a, s / a
	printf "target: 1,000,000 operations <= 1 s: %.3f s  %s\n", s, (s <= 1 ? "PASS" : "MISS")
}'

echo
echo "--- modern vs legacy, long busy list (frag workload, x86_64 5.1 events)"
for live in 10000 100000; do
	FRAG=(--arch x86_64 --kernel 5.1 --workload frag --live "$live" --seed 1)
	rm -f "$DIR/m.times" "$DIR/l.times"
	for ((i = 1; i <= RUNS; i++)); do
		run_sim "${FRAG[@]}" --policy modern >>"$DIR/m.times"
		run_sim "${FRAG[@]}" --policy legacy >>"$DIR/l.times"
	done
	read -r M _ _ < <(med <"$DIR/m.times")
	read -r L _ _ < <(med <"$DIR/l.times")
	awk -v n="$live" -v m="$M" -v l="$L" 'BEGIN {
		printf "%7d live: modern %8.3f s  legacy %8.3f s  legacy/modern %6.2fx\n", n, m, l,
			(m > 0 ? l / m : 0)
	}'
done
rm -f "$DIR"/sim.times "$DIR"/awk.times "$DIR"/m.times "$DIR"/l.times "$LOG" "$DIR/churn.csv"
exit 0
