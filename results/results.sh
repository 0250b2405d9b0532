#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# results.sh (behind `make results LOG=capture.txt [OUT=dir]`): turn a serial
# capture (from bare metal, say) into a run folder: serial.log, one CSV per
# table, plots, and the value checker's verdict (build/host/vcheck, in
# vcheck.txt; its violations and verdict line are printed too; it does not
# change the exit status: a capture is kept either way).
# `make results QR=photo.png` (or QR=folder of photos) does the same from
# photos of the QR code on volley's end screen, decoded by zbarimg
# (zbar-tools): the code carries the meta, summary (and cpus) tables in the
# serial stream's own format. Prints the folder last.
# Exit: 0 all tables complete, 1 some incomplete, 2 usage or I/O error.
set -euo pipefail

cd "$(dirname "$0")/.."

LOG=${LOG:-}
QR=${QR:-}
OUT=${OUT:-}
BUILD=${BUILD:-build}

if [[ -z $LOG && -z $QR ]]; then
	echo "results: no LOG or QR; usage: make results LOG=capture.txt|QR=photo.png|QR=photos/ [OUT=dir]" >&2
	exit 2
fi
if [[ -n $LOG && -n $QR ]]; then
	echo "results: LOG= and QR= together; give one" >&2
	exit 2
fi
qr_log=
if [[ -n $QR ]]; then
	command -v zbarimg >/dev/null ||
		{ echo "results: zbarimg (zbar-tools) not found; run scripts/deps.sh" >&2; exit 2; }
	photos=()
	if [[ -d $QR ]]; then
		while IFS= read -r -d '' f; do photos+=("$f"); done < <(find "$QR" -maxdepth 1 -type f \
			\( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.pgm' \
			-o -iname '*.ppm' -o -iname '*.gif' -o -iname '*.bmp' -o -iname '*.tif*' \) -print0 | sort -z)
	elif [[ -f $QR && -r $QR ]]; then
		photos=("$QR")
	else
		echo "results: QR=$QR: no such readable file or folder" >&2
		exit 2
	fi
	[[ ${#photos[@]} -gt 0 ]] || { echo "results: QR=$QR: no images in it" >&2; exit 2; }
	qr_log=$(mktemp "${TMPDIR:-/tmp}/volley-qr.XXXXXX")
	trap 'rm -f "$qr_log"' EXIT
	decoded=0
	for f in "${photos[@]}"; do
		# --raw: the payload's bytes as they are; one code per photo is enough.
		if zbarimg --quiet --raw -Sdisable -Sqrcode.enable "$f" >>"$qr_log" 2>/dev/null; then
			decoded=$((decoded + 1))
		else
			echo "# results: $f: no QR code found" >&2
		fi
	done
	[[ $decoded -gt 0 ]] || { echo "results: no QR code decoded from QR=$QR" >&2; exit 2; }
	LOG=$qr_log
fi
if [[ ! -f $LOG || ! -r $LOG ]]; then
	echo "results: LOG=$LOG: no such readable file" >&2
	exit 2
fi
vsplit=$BUILD/host/vsplit
vcheck=$BUILD/host/vcheck
[[ -x $vsplit ]] || { echo "results: $vsplit not built (make tools)" >&2; exit 2; }
[[ -x $vcheck ]] || { echo "results: $vcheck not built (make tools)" >&2; exit 2; }

if [[ -n $OUT ]]; then
	run=$OUT
else
	base=results/runs/$(date -u +%Y%m%d-%H%M%S)-$([[ -n $QR ]] && echo qr || echo capture)
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
		if [[ -n $QR ]]; then
			echo "source=qr"
			echo "qr=$QR"
		else
			echo "source=capture"
			echo "log=$LOG"
		fi
		echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	} >"$run/run.env"
fi

rc=0
"$vsplit" "$run/serial.log" "$run" || rc=$?
[[ $rc -le 1 ]] || exit "$rc"

# The values: one line per violation, then the verdict.
"$vcheck" "$run" >"$run/vcheck.txt" 2>&1 || true
if [[ $(wc -l <"$run/vcheck.txt") -gt 21 ]]; then
	head -n 20 "$run/vcheck.txt" | sed 's/^/# results: /'
	echo "# results: ... (all of them in $run/vcheck.txt)"
	tail -n 1 "$run/vcheck.txt" | sed 's/^/# results: /'
else
	sed 's/^/# results: /' "$run/vcheck.txt"
fi

if [[ -n $QR ]]; then
	# meta, summary, errors and cpus only: there is nothing to plot.
	results/summary.sh "$run" >/dev/null 2>&1 || true
elif [[ -x results/plot.sh ]] && command -v gnuplot >/dev/null; then
	RUN=$run results/plot.sh "$run" >"$run/plot.log" 2>&1 ||
		echo "# results: results/plot.sh failed (see $run/plot.log)"
else
	echo "# results: no plots (results/plot.sh or gnuplot missing)"
fi
echo "$run"
exit "$rc"
