#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks the last screen of a run (scripts/run.sh SCREEN=1 keeps it as
# RUN/screen.png) the way a person would read it:
#   tests/check_screen.sh RUN [--serial none|file] [--text] [--scale N]
# * OCR (tesseract) finds "done status=N" with the run's status, and the
#   headline values of the summary;
# * the QR code decodes (make results QR=, into RUN/qr) into meta and summary
#   tables; with --serial file they equal the serial log's byte for byte,
#   with --serial none meta says console_serial,none.
# --text: EGA text mode, no QR code (the status line only). --scale N: meta
# says the font is drawn N times its size.
# Leaves RUN/screen.txt (the OCR text) and RUN/qr/ for a look afterwards.
set -euo pipefail

cd "$(dirname "$0")/.."
run=$1; shift
serial=file text= scale=
while [[ $# -gt 0 ]]; do
	case $1 in
	--serial) serial=$2; shift 2 ;;
	--text) text=1; shift ;;
	--scale) scale=$2; shift 2 ;;
	*) echo "check_screen: unknown option $1"; exit 2 ;;
	esac
done
fail() { echo "check_screen: $*"; exit 1; }

png=$run/screen.png
[[ -s $png ]] || fail "$png missing (no screendump)"
[[ -s $run/status ]] || fail "$run/status missing"
status=$(cat "$run/status")

# OCR on a cleaned copy (grey, doubled when small, black on white: the
# coloured 8x16 text then reads as reliably as print) and on the screen as is.
ocr() {
	local w scale=2
	command -v tesseract >/dev/null || fail "tesseract (tesseract-ocr) not found"
	w=$(pngtopnm "$png" 2>/dev/null | head -c 20 | sed -n '2p' | cut -d' ' -f1 || true)
	[[ ${w:-0} -lt 1600 ]] || scale=1
	pngtopnm "$png" | ppmtopgm | pamscale "$scale" | pamthreshold -simple -threshold 0.25 2>/dev/null |
		pnminvert | pnmtopng >"$run/screen-ocr.png" || fail "netpbm could not clean $png"
	# Both readings count: each one misreads a few digits the other gets.
	{ tesseract "$run/screen-ocr.png" - && tesseract "$png" -; } >"$run/screen.txt" 2>/dev/null ||
		fail "tesseract failed"
}

if [[ -n $text ]]; then
	ocr
	grep -qE "done status[=-]* ?$status\b" "$run/screen.txt" ||
		fail "OCR finds no 'done status=$status' on the text screen (see $run/screen.txt)"
	grep -aq '^console_screen,ega text 80x25' "$run/serial.log" ||
		fail "meta does not say ega text 80x25: $(grep -a console_screen "$run/serial.log" || true)"
	echo "check_screen: EGA text, status $status"
	exit 0
fi

# ---- the QR code -------------------------------------------------------------
rm -rf "$run/qr"
BUILD=${BUILD:-build} QR=$png OUT=$run/qr results/results.sh >"$run/qr.log" 2>&1 ||
	fail "make results QR=$png failed: $(tail -n1 "$run/qr.log")"
for t in meta summary; do
	[[ -s $run/qr/$t.csv ]] || fail "the QR code carries no $t table"
	[[ $(wc -l <"$run/qr/$t.csv") -gt 2 ]] || fail "the QR code's $t table has no rows"
done
if [[ $serial == file ]]; then
	for t in meta summary; do
		cmp -s "$run/qr/$t.csv" "$run/$t.csv" ||
			fail "the QR code's $t differs from serial's: $(diff "$run/qr/$t.csv" "$run/$t.csv" | head -n3 | tr '\n' ' ')"
	done
else
	grep -qE '^console_serial,"?none' "$run/qr/meta.csv" ||
		fail "meta has no console_serial,none: $(grep console_serial "$run/qr/meta.csv" || true)"
fi
grep -q '^console_screen,framebuffer ' "$run/qr/meta.csv" ||
	fail "meta does not name the framebuffer: $(grep console_screen "$run/qr/meta.csv" || true)"
if [[ -n $scale ]]; then
	grep -q "^console_screen,framebuffer .* scale $scale\$" "$run/qr/meta.csv" ||
		fail "meta does not say scale $scale: $(grep console_screen "$run/qr/meta.csv" || true)"
fi

# ---- what a person reads -----------------------------------------------------
ocr
# OCR may read '=' as '-' in the VGA font; the digits it reads reliably.
grep -qE "done status[=-]* ?$status\b" "$run/screen.txt" ||
	fail "OCR finds no 'done status=$status' on the screen (see $run/screen.txt)"
# Every headline value (summary rows, ns) as a word; OCR may miss one or two.
want=0 missed=()
while IFS=, read -r metric value unit _; do
	[[ $unit == ns ]] || continue
	want=$((want + 1))
	grep -qE "(^|[^0-9])$value ns" "$run/screen.txt" || missed+=("$metric=$value")
done < <(tail -n +2 "$run/qr/summary.csv")
[[ $want -gt 0 ]] || fail "no headline values in the summary"
[[ ${#missed[@]} -le 2 ]] ||
	fail "OCR misses ${#missed[@]} of $want headline values: ${missed[*]} (see $run/screen.txt)"
echo "check_screen: status $status, $((want - ${#missed[@]}))/$want headline values read, QR ok"
