#!/usr/bin/env bash
# e2e.sh BIN PNGPIX — `vmscope view` in a real window: an Xvfb server
# started here, the app driven by real X input events (xdotool: keys,
# wheel, drag, clicks, typing), and what it shows asserted after each step
# from its trace (VMSCOPE_VIEW_TRACE: the visible range, the selection,
# searches, snapshots; docs/view.md "Trace") and from the pixels of the
# PNG snapshot it saves on 's' (PNGPIX reads them).
#
# Three sessions: a dump (zoom, pan, fit, click on a known area and on a
# hole, search, next match, colour by caller, snapshot, quit); live from a
# --source command whose output changes on each call, recorded; the
# recording replayed with the timeline keys. Prints "N passed, M failed"
# last and exits 1 when anything failed.
set -u

if [ $# -ne 2 ]; then
	echo "usage: bash tests/view/e2e.sh BIN PNGPIX" >&2
	exit 2
fi
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
BIN=$(abs "$1")
PNGPIX=$(abs "$2")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
for t in Xvfb xdotool; do
	if ! command -v $t >/dev/null; then
		echo "e2e: $t is missing (make deps installs xvfb and xdotool)" >&2
		echo "0 passed, 1 failed"
		exit 1
	fi
done

TMP=$(mktemp -d)
XPID= APP=
cleanup() {
	[ -n "$APP" ] && kill "$APP" 2>/dev/null
	[ -n "$XPID" ] && kill "$XPID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

pass=0 fail=0
ok() {
	pass=$((pass + 1))
	echo "ok   $1"
}
not_ok() {
	fail=$((fail + 1))
	echo "FAIL $1: $2"
	[ -f "$TMP/trace" ] && sed 's/^/     trace: /' "$TMP/trace" | tail -n 8
	[ -f "$TMP/err" ] && sed 's/^/     stderr: /' "$TMP/err" | tail -n 5
}

# ---- the X server ---------------------------------------------------------
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp 3>"$TMP/display" \
	2>"$TMP/xvfb.log" &
XPID=$!
for _ in $(seq 100); do
	[ -s "$TMP/display" ] && break
	sleep 0.1
done
if [ ! -s "$TMP/display" ]; then
	not_ok xvfb "Xvfb did not start: $(tail -n 3 "$TMP/xvfb.log")"
	echo "$pass passed, $fail failed"
	exit 1
fi
export DISPLAY=:$(head -n 1 "$TMP/display")
export SDL_VIDEODRIVER=x11
unset SDL_RENDER_DRIVER NO_COLOR
cd "$TMP" || exit 2

# ---- helpers ---------------------------------------------------------------
# wait_trace REGEX [SECONDS]: until a trace line after the mark matches.
MARK=0
wait_trace() {
	local i
	for i in $(seq $((${2:-15} * 10))); do
		if tail -n +$((MARK + 1)) "$TMP/trace" 2>/dev/null | grep -qE "$1"; then
			return 0
		fi
		if [ -n "$APP" ] && ! kill -0 "$APP" 2>/dev/null; then
			return 1
		fi
		sleep 0.1
	done
	return 1
}
# last_trace REGEX: the last trace line after the mark that matches.
last_trace() { tail -n +$((MARK + 1)) "$TMP/trace" | grep -E "$1" | tail -n 1; }
mark() { MARK=$(wc -l <"$TMP/trace"); }

# start ARGS...: runs vmscope view ARGS, waits for its first frame and
# finds its window.
start() {
	: >"$TMP/trace"
	MARK=0
	VMSCOPE_VIEW_TRACE="$TMP/trace" "$BIN" view --size 1000x700 "$@" \
		>"$TMP/out" 2>"$TMP/err" &
	APP=$!
	if ! wait_trace '^ready ' 20; then
		return 1
	fi
	WID=$(xdotool search --sync --onlyvisible --pid "$APP" 2>/dev/null | head -n 1)
	[ -n "$WID" ] || WID=$(xdotool search --sync --name vmscope | head -n 1)
	xdotool windowmove --sync "$WID" 0 0 >/dev/null 2>&1
	xdotool windowfocus --sync "$WID" >/dev/null 2>&1
	# ready W H map X Y W H
	read -r _ WW WH _ MX MY MW MH < <(grep '^ready ' "$TMP/trace" | tr 'x,' '  ')
	return 0
}
key() { xdotool key --window "$WID" --delay 30 "$@"; }
# at X Y: moves the pointer to window pixel X Y.
at() { xdotool mousemove --window "$WID" --sync "$1" "$2"; }

# stop: 'q' and the exit status.
stop() {
	key q 2>/dev/null # its key-up may find the window gone
	local i rc=
	for i in $(seq 100); do
		kill -0 "$APP" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$APP" 2>/dev/null; then
		kill "$APP"
		not_ok "$1-quit" "q did not close the window"
	else
		wait "$APP"
		rc=$?
		[ "$rc" = 0 ] && ok "$1-quit" || not_ok "$1-quit" "exit status $rc"
	fi
	APP=
}

# view_of LINE: sets VS VE BPP from a "view 0xS-0xE bpp N" line.
view_of() {
	local r
	r=$(echo "$1" | sed -E 's/^view (0x[0-9a-f]+)-(0x[0-9a-f]+) bpp ([0-9]+).*/\1 \2 \3/')
	read -r VS VE BPP <<<"$r"
}

# pixel_of ADDR: window pixel (PX, PY) of the middle of the strip showing
# ADDR at the current view (uncompressed axis, VS and BPP), row_h 12.
pixel_of() {
	local cell=$((($1 - VS) / BPP))
	PX=$((MX + cell % MW))
	PY=$((MY + cell / MW * 12 + 6))
}

# ---- 1. a dump -------------------------------------------------------------
SAMPLE=$ROOT/samples/arm32-zynq-xilinx-4.4.0-vmallocinfo.txt
if ! start "$SAMPLE"; then
	not_ok dump-start "no first frame: $(tail -n 3 "$TMP/err")"
else
	ok dump-start
	view_of "$(last_trace '^view ')"
	FIT_BPP=$BPP FIT_VS=$VS
	[ "$WW" = 1000 ] && [ "$WH" = 700 ] && ok dump-size || not_ok dump-size "$WW x $WH"

	# wheel up at the map's centre: zoomed in around the pointer
	mark
	at $((MX + MW / 2)) $((MY + MH / 2))
	xdotool click --window "$WID" 4
	if wait_trace '^view ' && view_of "$(last_trace '^view ')" && [ "$BPP" -lt "$FIT_BPP" ]; then
		ok dump-wheel-zoom
	else
		not_ok dump-wheel-zoom "bpp $BPP, fit $FIT_BPP"
	fi

	# arrow right: the view moves towards higher addresses
	mark
	OLD_VS=$VS
	key Right
	if wait_trace '^view ' && view_of "$(last_trace '^view ')" && ((VS > OLD_VS)); then
		ok dump-pan-key
	else
		not_ok dump-pan-key "start $VS, was $OLD_VS"
	fi

	# drag to the right: back towards lower addresses
	mark
	OLD_VS=$VS
	at $((MX + 300)) $((MY + 100))
	xdotool mousedown --window "$WID" 1
	at $((MX + 340)) $((MY + 100))
	at $((MX + 400)) $((MY + 100))
	xdotool mouseup --window "$WID" 1
	if wait_trace '^view ' && view_of "$(last_trace '^view ')" && ((VS < OLD_VS)); then
		ok dump-drag
	else
		not_ok dump-drag "start $VS, was $OLD_VS"
	fi

	# 0: fit all again
	mark
	key 0
	if wait_trace '^view ' && view_of "$(last_trace '^view ')" && [ "$BPP" = "$FIT_BPP" ] &&
		[ "$VS" = "$FIT_VS" ]; then
		ok dump-fit
	else
		not_ok dump-fit "bpp $BPP start $VS"
	fi

	# a click on the 16 MiB iotable_init ioremap at 0xce000000, a few
	# pixels after its first column: selected. The pixels read back later
	# are there too, left of the details panel (its height follows the
	# sample's path, which wraps when the checkout's path is long).
	mark
	pixel_of $((0xce000000))
	IO_X=$((PX + 3)) IO_Y=$PY
	at "$PX" "$PY"
	xdotool click --window "$WID" 1
	if wait_trace '^select area 0xce000000-0xcf000000 iotable_init'; then
		ok dump-click-area
	else
		not_ok dump-click-area "$(last_trace '^select')"
	fi

	# '/' of_iomap Enter: matches, the first one selected; n: the next
	mark
	key slash
	xdotool type --window "$WID" --delay 40 of_iomap
	key Return
	if wait_trace "^search 'of_iomap' [1-9][0-9]* matches" &&
		wait_trace '^match 0x'; then
		ok dump-search
	else
		not_ok dump-search "$(last_trace '^search|^match')"
	fi
	FIRST=$(last_trace '^match ')
	mark
	key n
	if wait_trace '^match 0x' && [ "$(last_trace '^match ')" != "$FIRST" ]; then
		ok dump-search-next
	else
		not_ok dump-search-next "$(last_trace '^match ')"
	fi

	# Esc clears the selection; a click on the ioremap again, then s
	key Escape
	key 0
	mark
	at "$IO_X" "$IO_Y"
	xdotool click --window "$WID" 1
	wait_trace '^select area 0xce000000'
	mark
	key s
	if wait_trace '^saved vmscope-.*\.png'; then
		PNG=$(last_trace '^saved ' | sed 's/^saved //')
		if [ "$("$PNGPIX" "$PNG")" = "1000 700" ]; then
			ok dump-snapshot-size
		else
			not_ok dump-snapshot-size "$("$PNGPIX" "$PNG" 2>&1)"
		fi
		# the ioremap's colour (Okabe-Ito vermillion) in the middle of the
		# strip; the selection outline (white) on the strip's first line
		read -r MID TOP < <("$PNGPIX" "$PNG" "$IO_X" "$IO_Y" "$IO_X" "$((IO_Y - 4))" | tr '\n' ' ')
		[ "$MID" = d55e00 ] && ok dump-snapshot-ioremap || not_ok dump-snapshot-ioremap "$MID"
		[ "$TOP" = ffffff ] && ok dump-snapshot-selected || not_ok dump-snapshot-selected "$TOP"
	else
		not_ok dump-snapshot "$(last_trace '^saved|^message')"
	fi

	# c: colour by caller, the same pixel changes colour in the next snapshot
	mark
	key c
	wait_trace '^color-by caller'
	key s
	if wait_trace '^saved .*png' && PNG2=$(last_trace '^saved ' | sed 's/^saved //') &&
		[ "$PNG2" != "$PNG" ] && C2=$("$PNGPIX" "$PNG2" "$IO_X" "$IO_Y") &&
		[ "$C2" != d55e00 ] && [ "$C2" != 1e1e1e ]; then
		ok dump-color-by-caller
	else
		not_ok dump-color-by-caller "pixel ${C2:-?}"
	fi

	# a click on a hole: selected with its range
	mark
	pixel_of $((0xcf800000))
	at "$PX" "$PY"
	xdotool click --window "$WID" 1
	if wait_trace '^select (hole|none)'; then
		ok dump-click-hole
	else
		not_ok dump-click-hole "$(last_trace '^select')"
	fi
	stop dump
fi

# ---- 2. live from a command, recorded ---------------------------------------
mkdir -p "$TMP/state" "$TMP/rec"
if ! start --source "sh $ROOT/tests/data/live/rotate.sh $TMP/state" --interval 300 \
	--record "$TMP/rec"; then
	not_ok live-start "no first frame: $(tail -n 3 "$TMP/err")"
else
	ok live-start
	# snapshot 2 frees two areas and adds two; 3 frees one and adds two
	if wait_trace '^snapshot 2 areas [0-9]+ added 2 freed 2$' 20; then
		ok live-snapshot-2
	else
		not_ok live-snapshot-2 "$(last_trace '^snapshot')"
	fi
	if wait_trace '^snapshot 3 areas [0-9]+ added 2 freed 1$' 20; then
		ok live-snapshot-3
	else
		not_ok live-snapshot-3 "$(last_trace '^snapshot')"
	fi
	stop live
	N=$(ls "$TMP/rec" | wc -l)
	[ "$N" -ge 3 ] && ok live-recorded || not_ok live-recorded "$N files"
fi

# ---- 3. the recording replayed ----------------------------------------------
if ! start "$TMP/rec"; then
	not_ok replay-start "no first frame: $(tail -n 3 "$TMP/err")"
else
	if wait_trace '^replay [0-9]+ snapshots'; then
		ok replay-start
	else
		not_ok replay-start "$(last_trace '^replay')"
	fi
	mark
	key Right
	if wait_trace '^snapshot 2 areas [0-9]+ added 2 freed 2$'; then
		ok replay-step
	else
		not_ok replay-step "$(last_trace '^snapshot')"
	fi
	mark
	key Left
	if wait_trace '^snapshot 1 areas [0-9]+$'; then
		ok replay-step-back
	else
		not_ok replay-step-back "$(last_trace '^snapshot')"
	fi
	stop replay
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
