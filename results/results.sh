#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# results.sh (behind `make results LOG=capture.txt [OUT=dir]`): turn a serial
# capture (from bare metal, say) into a run folder: serial.log, one CSV per
# table, plots. Prints the folder last. Exit: 0 all tables complete, 1 some
# incomplete, 2 usage or I/O error.
set -euo pipefail

cd "$(dirname "$0")/.."

LOG=${LOG:-}
OUT=${OUT:-}
BUILD=${BUILD:-build}

if [[ -z $LOG ]]; then
	echo "results: no LOG; usage: make results LOG=capture.txt [OUT=dir]" >&2
	exit 2
fi
if [[ ! -f $LOG || ! -r $LOG ]]; then
	echo "results: LOG=$LOG: no such readable file" >&2
	exit 2
fi
vsplit=$BUILD/host/vsplit
[[ -x $vsplit ]] || { echo "results: $vsplit not built (make tools)" >&2; exit 2; }

if [[ -n $OUT ]]; then
	run=$OUT
else
	base=results/runs/$(date -u +%Y%m%d-%H%M%S)-capture
	run=$base
	n=1
	while [[ -e $run ]]; do run=$base.$((n++)); done
fi
mkdir -p "$run"
# Copying onto itself (LOG=dir/serial.log OUT=dir) would truncate the log.
if [[ ! $LOG -ef $run/serial.log ]]; then
	cp -- "$LOG" "$run/serial.log"
fi
if [[ ! -f $run/run.env ]]; then
	{
		echo "source=capture"
		echo "log=$LOG"
		echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	} >"$run/run.env"
fi

rc=0
"$vsplit" "$run/serial.log" "$run" || rc=$?
[[ $rc -le 1 ]] || exit "$rc"

if [[ -x results/plot.sh ]] && command -v gnuplot >/dev/null; then
	RUN=$run results/plot.sh "$run" >"$run/plot.log" 2>&1 ||
		echo "# results: results/plot.sh failed (see $run/plot.log)"
else
	echo "# results: no plots (results/plot.sh or gnuplot missing)"
fi
echo "$run"
exit "$rc"
