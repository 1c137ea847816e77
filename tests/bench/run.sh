#!/usr/bin/env bash
# run.sh BIN GEN — the performance targets on a 1,000,000-line dump.
#
# Generates the dump with GEN (tests/bench/gen.c) into $BENCH_DIR, then times
# `BIN parse --stats FILE` against `mawk '{s[$3]+=$2} ...'` on the same file in
# the same run, alternating the two so drift of the (noisy, shared) machine
# hits both alike. Prints best and median wall time of $BENCH_RUNS runs, the
# ratio mawk/vmscope, vmscope's peak RSS and RSS/input, the dump's bytes per
# area, and PASS/MISS against
#   - at least 2x faster than mawk,
#   - peak memory <= 1.0 x input size for parse, 1.5 x for report/check.
# `report` and `check` are timed the same way when the binary has them, and
# `check --stats` prints the address-space model's bytes per area.
# Then hostile inputs: a line that lost every blank, a flood of the shortest
# entries on one line (read in windows), and lines the second thread must
# refuse one by one, each at two sizes: time must grow linearly and memory
# stay <= 4 x the input.
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
head -n 17 "$LOG"
PER_AREA=$(sed -n 's/^memory: .*, \([0-9.]*\) per area$/\1/p' "$LOG")
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
echo "dump records: ${PER_AREA:-?} bytes per area"
if [[ " ${EXTRA[*]} " == *" check "* ]]; then
	# "FILE: model: N areas, ...; B bytes (X per area), with the dump Y per area"
	"$BIN" check -q --stats "$FILE" 2>"$LOG" >/dev/null || true
	sed -n 's/.*: model: \(.*\)$/model: \1/p' "$LOG"
fi
echo
echo "--- targets"
for name in parse "${EXTRA[@]}"; do
	read -r best med rss < <(summary "$name")
	lim=1.5
	[ "$name" = parse ] && lim=1.0
	awk -v n="$name" -v m="$med" -v mm="$MAWK_MED" -v r="$rss" -v by="$BYTES" \
		-v lim="$lim" 'BEGIN {
		s = mm / m; q = r * 1024 / by
		printf "%-8s speed  >= 2x mawk (median):  %5.2fx  %s\n", n, s, (s >= 2 ? "PASS" : "MISS")
		printf "%-8s memory <= %.1fx input:        %5.2fx  %s\n", n, lim, q, (q <= lim ? "PASS" : "MISS")
	}'
done
rm -f "$DIR"/*.times "$LOG"

# ---- hostile inputs: linear time, memory <= 4x --------------------------------
# hostile NAME UNIT COUNT: writes COUNT copies of UNIT (awk escapes work) with
# no newline between them, then times `parse --stats` on it and on twice as
# much.
hostile() {
	local name=$1 unit=$2 count=$3 k f bytes
	for k in 1 2; do
		f=$DIR/hostile-$name-$k.txt
		mawk -v u="$unit" -v n=$((count * k)) 'BEGIN { for (i = 0; i < n; i++) printf "%s", u; printf "\n" }' >"$f"
		bytes=$(wc -c <"$f")
		rm -f "$DIR/h.times"
		for ((i = 1; i <= 3; i++)); do
			read -r wall rss rc < <("$GEN" --measure "$LOG" "$BIN" parse --stats "$f")
			echo "$wall $rss" >>"$DIR/h.times"
		done
		read -r best med rss < <(sort -n "$DIR/h.times" | awk '
			{ t[NR] = $1; if ($2 > r) r = $2 } END { printf "%.3f %.3f %d\n", t[1], t[2], r }')
		awk -v n="$name x$k" -v m="$med" -v r="$rss" -v by="$bytes" 'BEGIN {
			q = r * 1024 / by
			printf "%-26s %7.1f MB  median %6.3f s  peak RSS %7.1f MB  %5.2fx input  %s\n",
				n, by / 1e6, m, r / 1024, q, (q <= 4 ? "PASS" : "MISS")
		}'
		rm -f "$f"
	done
}
echo
echo "--- hostile inputs (3 runs each; time should double with the input)"
hostile no-blanks '0xf0000000-0xf00020008192fn+0x1/0x2vmalloc' 500000
hostile short-ranges '0x12345678-0x12345679 ' 1000000
hostile not-ranges '0x1-0x2 ' 2000000
# lines the second thread refuses one by one (an inner CR each)
hostile cr-lines '0xf0000000-0xf0002000 8192 f+0x1/0x2 pages=1 vmalloc\r N0=1\n' 300000
rm -f "$DIR/h.times" "$LOG"
exit 0
