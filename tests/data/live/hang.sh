#!/bin/sh
# hang.sh PIDFILE — a command that never finishes (tests/test_view_live.c):
# starts a background sleep, which stays in the shell's process group,
# writes "SHELL_PID SLEEP_PID" to PIDFILE, then becomes a sleep itself.
# The reader must kill both: the background sleep lives longer, so it is
# still there if only the shell was waited for.
sleep 600 &
echo "$$ $!" >"$1"
exec sleep 30
