#!/usr/bin/env bash
# run.sh BIN GEN — the DESIGN.md performance targets on a 1,000,000-line dump.
#
# Generates the dump with GEN (tests/bench/gen.c) into $BENCH_DIR, then times
# `BIN parse --stats FILE` against `mawk '{s[$3]+=$2} ...'` on the same file in
# the same run, alternating the two so drift of the (noisy, shared) machine
# hits both alike. Prints best and median wall time of $BENCH_RUNS runs, the
# ratio mawk/vmscope, vmscope's peak RSS and RSS/input, and PASS/MISS against
#   - at least 2x faster than mawk,
#   - peak memory <= 2.5 x input size.
# `report` and `check` are timed the same way when the binary has them.
#
# A MISS does not fail: the figures are the result. The script exits non-zero
# only when the binary (or mawk, or the generator) fails.
#
# Environment: BENCH_LINES (1000000), BENCH_RUNS (5), BENCH_DIR (build/bench).
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 BIN GEN" >&2
	exit 2
fi
BIN=$1
GEN=$2
LINES=${BENCH_LINES:-1000000}
RUNS=${BENCH_RUNS:-5}
DIR=${BENCH_DIR:-build/bench}
MAWK_PROG='{s[$3]+=$2} END{for(k in s) n++; print n}'

command -v mawk >/dev/null || { echo "bench: mawk is not installed (make deps)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "bench: $BIN is not an executable" >&2; exit 1; }

mkdir -p "$DIR"
FILE=$DIR/vmallocinfo-$LINES.txt
LOG=$DIR/last.log
"$GEN" "$FILE" "$LINES"
BYTES=$(wc -c <"$FILE")
NLINES=$(wc -l <"$FILE")
printf 'input: %s  %d lines  %d bytes (%.1f MB)\n' "$FILE" "$NLINES" "$BYTES" \
	"$(awk -v b="$BYTES" 'BEGIN{print b/1e6}')"

# measure NAME CMD... : one run; appends "wall rss" to $DIR/NAME.times.
# Exit status 0 is required, except for check (1 = findings).
measure() {
	local name=$1 wall rss rc
	shift
	read -r wall rss rc < <("$GEN" --measure "$LOG" "$@")
	if [ "$rc" -ne 0 ] && ! { [ "$name" = check ] && [ "$rc" -eq 1 ]; }; then
		echo "bench: '$*' failed with status $rc; its output:" >&2
		tail -n 20 "$LOG" >&2
		return 1
	fi
	echo "$wall $rss" >>"$DIR/$name.times"
}

# summary NAME : prints "best median maxrss" of $DIR/NAME.times.
summary() {
	sort -n "$DIR/$1.times" | awk '
		{ t[NR] = $1; if ($2 > r) r = $2 }
		END {
			m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
			printf "%.3f %.3f %d\n", t[1], m, r
		}'
}

# Warm-up: fills the page cache, proves the binary works, shows the accounting.
echo "--- $BIN parse --stats (warm-up run, output below)"
if ! "$BIN" parse --stats "$FILE" >"$LOG" 2>&1; then
	tail -n 20 "$LOG" >&2
	echo "bench: $BIN parse --stats failed" >&2
	exit 1
fi
head -n 15 "$LOG"
mawk "$MAWK_PROG" "$FILE" >/dev/null

# Optional subcommands: timed only when they run (exit 0, or 1 for check).
EXTRA=()
for sub in report check; do
	rc=0
	"$BIN" "$sub" "$FILE" >/dev/null 2>&1 || rc=$?
	if [ "$rc" -eq 0 ] || { [ "$sub" = check ] && [ "$rc" -eq 1 ]; }; then
		EXTRA+=("$sub")
	else
		echo "--- $sub: not timed (exit status $rc)"
	fi
done

rm -f "$DIR"/*.times
for ((i = 1; i <= RUNS; i++)); do
	measure parse "$BIN" parse --stats "$FILE"
	measure mawk mawk "$MAWK_PROG" "$FILE"
	for sub in "${EXTRA[@]}"; do
		measure "$sub" "$BIN" "$sub" "$FILE"
	done
done

read -r MAWK_BEST MAWK_MED _ < <(summary mawk)
echo
echo "--- results ($RUNS runs each, wall seconds; ratio = mawk / vmscope)"
printf '%-28s %8s %8s %9s %9s %10s %8s\n' command best median "x(best)" "x(median)" "peak RSS" "RSS/in"
printf '%-28s %8.3f %8.3f %9s %9s %10s %8s\n' "mawk '{s[\$3]+=\$2}'" \
	"$MAWK_BEST" "$MAWK_MED" - - - -
for name in parse "${EXTRA[@]}"; do
	read -r best med rss < <(summary "$name")
	label="vmscope $name"
	[ "$name" = parse ] && label="vmscope parse --stats"
	awk -v l="$label" -v b="$best" -v m="$med" -v r="$rss" -v by="$BYTES" \
		-v mb="$MAWK_BEST" -v mm="$MAWK_MED" 'BEGIN {
		printf "%-28s %8.3f %8.3f %9.2f %9.2f %7.1f MB %8.2f\n", l, b, m,
			mb / b, mm / m, r / 1024, r * 1024 / by
	}'
done
echo
echo "--- targets (DESIGN.md, Performance targets)"
for name in parse "${EXTRA[@]}"; do
	read -r best med rss < <(summary "$name")
	awk -v n="$name" -v m="$med" -v mm="$MAWK_MED" -v r="$rss" -v by="$BYTES" 'BEGIN {
		s = mm / m; q = r * 1024 / by
		printf "%-8s speed  >= 2x mawk (median):  %5.2fx  %s\n", n, s, (s >= 2 ? "PASS" : "MISS")
		printf "%-8s memory <= 2.5x input:        %5.2fx  %s\n", n, q, (q <= 2.5 ? "PASS" : "MISS")
	}'
done
rm -f "$DIR"/*.times "$LOG"
exit 0
