#!/usr/bin/env bash
# run.sh — CLI tests for vmscope: golden output on every sample, plus the
# behaviour cases of tests/cli/cases.txt and tests/cli/cases-*.txt (exit
# codes, messages, colour).
#
#   bash tests/cli/run.sh BIN            compare against tests/golden/
#   bash tests/cli/run.sh --update BIN   rewrite the goldens (review the diff!)
#
# Goldens, for every samples/NAME.txt (stdout only; stderr is not compared):
#   tests/golden/NAME.json    vmscope parse -q --format json samples/NAME.txt
#   tests/golden/NAME.stats   vmscope parse -q --stats samples/NAME.txt
#   tests/golden/NAME.text    vmscope parse -q --format text samples/NAME.txt
#   tests/golden/NAME.check   vmscope check -q samples/NAME.txt
#   tests/golden/NAME.check.json  vmscope check -q --format json samples/NAME.txt
#   tests/golden/NAME.check.review  why each finding of NAME.check is true
#                             (written by hand; required when there is one)
#   tests/golden/NAME.report       vmscope report -q --holes samples/NAME.txt
#   tests/golden/NAME.report.json  vmscope report -q --format json --holes ...
#   tests/golden/NAME.report.prom  vmscope report -q --format prometheus ...
#   tests/golden/REPORT-REVIEW.md  a reviewed note per sample ("## NAME")
#   tests/golden/sim-*.txt        vmscope sim on fixed runs (SIM-REVIEW.md)
#   tests/golden/exit-codes.txt   "GOLDEN RC" for each of them
#
# Environment: VMSCOPE_GOLDEN_DIR and VMSCOPE_CLI_CASES override the golden
# directory and the case table (used to test this script itself). Works with
# no terminal and CI=true. The last line is always "N passed, M failed"; the
# exit status is 1 when anything failed.
set -u

update=0
if [ "${1:-}" = "--update" ]; then
	update=1
	shift
fi
if [ $# -ne 1 ]; then
	echo "usage: bash tests/cli/run.sh [--update] BIN" >&2
	exit 2
fi
case $1 in
/*) BIN=$1 ;;
*) BIN=$PWD/$1 ;;
esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
GOLDEN=${VMSCOPE_GOLDEN_DIR:-tests/golden}
# the case table: tests/cli/cases.txt, then tests/cli/cases-*.txt (one per
# command that has its own)
if [ -n "${VMSCOPE_CLI_CASES:-}" ]; then
	CASE_FILES=("$VMSCOPE_CLI_CASES")
else
	CASE_FILES=(tests/cli/cases.txt)
	for f in tests/cli/cases-*.txt; do
		[ -e "$f" ] && CASE_FILES+=("$f")
	done
fi

export LC_ALL=C
unset NO_COLOR COLUMNS
export TERM=dumb

if [ ! -x "$BIN" ]; then
	echo "run.sh: $BIN: not an executable" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmscope-cli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
TIMEOUT=()
if command -v timeout >/dev/null 2>&1; then
	TIMEOUT=(timeout 60)
fi
pass=0
fail=0

ok() {
	pass=$((pass + 1))
	echo "ok   $1"
}

not_ok() {
	fail=$((fail + 1))
	echo "FAIL $1: $2"
}

# ---- goldens ---------------------------------------------------------------

declare -A want_rc=()
rc_file=$GOLDEN/exit-codes.txt
if [ -f "$rc_file" ]; then
	while read -r g r; do
		[ -n "${g:-}" ] && want_rc[$g]=$r
	done <"$rc_file"
fi
new_rc=()

# golden NAME ARGS...: runs BIN ARGS, compares stdout with $GOLDEN/NAME.
golden() {
	local name=$1 rc
	shift
	"${TIMEOUT[@]}" "$BIN" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ge 124 ]; then
		not_ok "$name" "exit $rc (crash or timeout): $(tail -n 3 "$tmp/err")"
		return
	fi
	if [ $update = 1 ]; then
		cp "$tmp/out" "$GOLDEN/$name"
		new_rc+=("$name $rc")
		ok "$name (updated)"
		return
	fi
	if [ ! -f "$GOLDEN/$name" ] || [ -z "${want_rc[$name]:-}" ]; then
		not_ok "$name" "no golden (run 'make golden' and review the diff)"
	elif ! cmp -s "$GOLDEN/$name" "$tmp/out"; then
		not_ok "$name" "output differs from $GOLDEN/$name"
		diff -u "$GOLDEN/$name" "$tmp/out" | head -n 40 | sed 's/^/    /'
	elif [ "${want_rc[$name]}" != "$rc" ]; then
		not_ok "$name" "exit $rc, golden says ${want_rc[$name]}"
		sed -n '1,3s/^/    stderr: /p' "$tmp/err"
	else
		ok "$name"
	fi
}

run_goldens() {
	local f base
	[ $update = 1 ] && mkdir -p "$GOLDEN"
	for f in samples/*.txt; do
		[ -e "$f" ] || continue
		base=$(basename "$f" .txt)
		golden "$base.json" parse -q --format json "$f"
		golden "$base.stats" parse -q --stats "$f"
		golden "$base.text" parse -q --format text "$f"
		golden "$base.check" check -q "$f"
		golden "$base.check.json" check -q --format json "$f"
		golden "$base.report" report -q --holes "$f"
		golden "$base.report.json" report -q --format json --holes "$f"
		golden "$base.report.prom" report -q --format prometheus "$f"
		if [ $update = 0 ] && ! grep -q "^## $base\$" "$GOLDEN/REPORT-REVIEW.md" 2>/dev/null; then
			not_ok "$base.report.review" "no review note in $GOLDEN/REPORT-REVIEW.md"
		fi
		if [ $update = 0 ] && grep -q '\]$' "$GOLDEN/$base.check" 2>/dev/null &&
			[ ! -f "$GOLDEN/$base.check.review" ]; then
			not_ok "$base.check.review" "findings on a real dump need a review note"
		fi
	done
	# the simulator's whole output on fixed runs (reviewed in
	# $GOLDEN/SIM-REVIEW.md): a device booting in two eras, and what
	# happens next on the seed board
	golden sim-arm32-4.4-boot.txt sim --arch arm32 --kernel 4.4 --seed 7
	golden sim-x86_64-6.6-boot.txt sim --arch x86_64 --kernel 6.6 --seed 7
	golden sim-seed-next.txt sim -q --start-from \
		samples/arm32-marvell-granite2-ocr-paste-vmallocinfo.txt \
		--layout samples/arm32-marvell-granite2-boot-layout-240m.txt \
		--script tests/data/sim/seed-next.csv
	if [ $update = 1 ]; then
		printf '%s\n' "${new_rc[@]}" | sort >"$rc_file"
	fi
}

# ---- behaviour cases -------------------------------------------------------

trim() {
	local s=$1
	s=${s#"${s%%[![:space:]]*}"}
	s=${s%"${s##*[![:space:]]}"}
	printf '%s' "$s"
}

# check KIND ARG: one check on $tmp/out or $tmp/err; prints a reason on failure.
check() {
	local c=$1 stream file re n
	stream=${c%%[~!:#]*}
	case $stream in
	out) file=$tmp/out ;;
	err) file=$tmp/err ;;
	*)
		echo "unknown check '$c'"
		return 1
		;;
	esac
	c=${c#"$stream"}
	case $c in
	'!~'*)
		re=${c#'!~'}
		grep -qE -- "$re" "$file" && echo "$stream matches /$re/" && return 1
		;;
	'~'*)
		re=${c#'~'}
		grep -qE -- "$re" "$file" || { echo "$stream lacks /$re/" && return 1; }
		;;
	'#'*)
		re=${c#'#'}
		n=${re##*=}
		re=${re%=*}
		[ "$(grep -cE -- "$re" "$file")" = "$n" ] ||
			{ echo "$stream: /$re/ not on exactly $n lines" && return 1; }
		;;
	:empty) [ -s "$file" ] && echo "$stream is not empty" && return 1 ;;
	:esc) grep -q $'\033' "$file" || { echo "$stream has no escape codes" && return 1; } ;;
	:noesc) grep -q $'\033' "$file" && echo "$stream has escape codes" && return 1 ;;
	:json)
		command -v python3 >/dev/null 2>&1 || return 0
		python3 -c 'import json,sys; json.load(sys.stdin)' <"$file" 2>/dev/null ||
			{ echo "$stream is not one JSON document" && return 1; }
		;;
	*)
		echo "unknown check '$stream$c'"
		return 1
		;;
	esac
	return 0
}

# run_one ARGS: runs BIN with the case's modifiers; sets rc.
run_one() {
	if [ "$pty" = 1 ]; then
		local cmd
		cmd=$(printf '%q ' env "${envs[@]}" "$BIN" "$@")
		"${TIMEOUT[@]}" script -qec "$cmd" /dev/null <"$stdin" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		tr -d '\r' <"$tmp/out" >"$tmp/out.lf" && mv "$tmp/out.lf" "$tmp/out"
	else
		env "${envs[@]}" "${TIMEOUT[@]}" "$BIN" "$@" <"$stdin" >"$outfile" 2>"$tmp/err"
		rc=$?
	fi
}

# run_case NAME RC ARGS FIELD...
run_case() {
	local name=$1 want=$2 args=$3 f why reasons=""
	shift 3
	local -a checks=()
	envs=(TERM=dumb)
	stdin=/dev/null
	outfile=$tmp/out
	pty=0
	: >"$tmp/out"
	for f in "$@"; do
		case $f in
		env:*) envs+=("${f#env:}") ;;
		stdin:*) stdin=${f#stdin:} ;;
		stdout:*) outfile=${f#stdout:} ;;
		input:*)
			printf '%b' "${f#input:}" >"$tmp/input"
			stdin=$tmp/input
			;;
		pty) pty=1 ;;
		*) checks+=("$f") ;;
		esac
	done
	if [ "$pty" = 1 ] && ! command -v script >/dev/null 2>&1; then
		echo "skip $name (no script(1) for a pseudo-terminal)"
		return
	fi
	eval "set -- $args"
	run_one "$@"
	case ",$want," in
	*",$rc,"*) ;;
	*) reasons="exit $rc, want $want" ;;
	esac
	for f in "${checks[@]}"; do
		why=$(check "$f") || reasons="${reasons:+$reasons; }$why"
	done
	if [ -z "$reasons" ]; then
		ok "$name"
	else
		not_ok "$name" "$reasons"
		sed -n '1,6s/^/    stderr: /p' "$tmp/err"
	fi
}

run_cases() {
	local CASES=$1 line name rc args
	local -a fields
	[ -f "$CASES" ] || {
		not_ok "$CASES" "case table missing"
		return
	}
	while IFS= read -r line || [ -n "$line" ]; do
		case $(trim "$line") in '' | '#'*) continue ;; esac
		fields=()
		while [[ $line == *' | '* ]]; do
			fields+=("$(trim "${line%%' | '*}")")
			line=${line#*' | '}
		done
		fields+=("$(trim "$line")")
		if [ ${#fields[@]} -lt 3 ]; then
			not_ok "${fields[0]}" "malformed case line"
			continue
		fi
		name=${fields[0]}
		rc=${fields[1]}
		args=${fields[2]}
		run_case "$name" "$rc" "$args" "${fields[@]:3}"
	done <"$CASES"
}

run_goldens
for f in "${CASE_FILES[@]}"; do
	run_cases "$f"
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
