#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make results` on captures as they come from real machines: the committed
# reference run's serial log with CRLF line ends and terminal noise must give
# exactly the CSVs of the original run; a capture cut off inside a table must
# keep the complete tables, name the incomplete one and exit 1.
# Prints ok/not ok lines (counted by scripts/test.sh).
set -uo pipefail
cd "$(dirname "$0")/.."

ref=results/reference/tcg-4cpu-full
tmp=$(mktemp -d "${TMPDIR:-/tmp}/volley-results.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
BUILD=${BUILD:-build}
ok() { echo "ok - results/$1"; }
nok() { echo "not ok - results/$1: $2"; }

# 1. CRLF + noise: ANSI sequences, a login banner, GRUB's screen clears,
#    garbage glued before a marker, noise between tables and after the end.
awk 'BEGIN { printf "\033[2J\033[H  Booting `volley'"'"'\r\nlogin: noise\r\n" }
     /^@table ipi_rtt/ { printf "junk\033[0m" }
     /^@table csd/ { printf "\033[1;1Hstray line from the terminal\r\n" }
     { printf "%s\r\n", $0 }
     END { printf "\033[0mmachine halted\r\n" }' "$ref/serial.log" >"$tmp/crlf.txt"
out=$(LOG=$tmp/crlf.txt OUT=$tmp/crlf BUILD=$BUILD results/results.sh 2>&1)
rc=$?
if [[ $rc -ne 0 ]]; then
	nok crlf-noise "exit $rc: $(tail -n2 <<<"$out")"
else
	bad=()
	for f in "$ref"/*.csv; do
		cmp -s "$f" "$tmp/crlf/${f##*/}" || bad+=("${f##*/}")
	done
	if [[ ${#bad[@]} -eq 0 ]]; then
		ok "crlf-noise-same-csvs ($(ls "$ref"/*.csv | wc -l) tables)"
	else
		nok crlf-noise "differs: ${bad[*]}"
	fi
fi

# 2. Cut off inside the csd table.
awk '{ print } /^@table csd/ { n = NR } n && NR > n + 5 { exit }' \
	"$ref/serial.log" >"$tmp/cut.txt"
out=$(LOG=$tmp/cut.txt OUT=$tmp/cut BUILD=$BUILD results/results.sh 2>&1)
rc=$?
if [[ $rc -eq 1 ]] && grep -q 'table csd incomplete' <<<"$out" &&
	cmp -s "$ref/ipi_rtt.csv" "$tmp/cut/ipi_rtt.csv" && [[ ! -e $tmp/cut/csd.csv ]]; then
	ok truncated-keeps-complete-tables
else
	nok truncated "exit $rc; $(grep -m1 incomplete <<<"$out")"
fi

# 3. The value checker's verdict: printed, kept in vcheck.txt, and a value
#    made wrong in the capture (ipi_rtt row 0's p90 above its max) named.
if grep -q '^# results: vcheck: \(ok\|FAIL\): ' <<<"$(LOG=$tmp/crlf.txt OUT=$tmp/crlf BUILD=$BUILD results/results.sh 2>&1)" &&
	tail -n1 "$tmp/crlf/vcheck.txt" | grep -q '^vcheck: \(ok\|FAIL\): '; then
	ok vcheck-verdict-printed
else
	nok vcheck-verdict "no verdict line, or no vcheck.txt"
fi
awk '/^@table ipi_rtt/ { t = NR } t && NR == t + 2 { n = split($0, f, ","); f[8] = f[10] + 1
	s = f[1]; for (i = 2; i <= n; i++) s = s "," f[i]; print s; next } { print }' \
	"$ref/serial.log" >"$tmp/badvalue.txt"
out=$(LOG=$tmp/badvalue.txt OUT=$tmp/badvalue BUILD=$BUILD results/results.sh 2>&1)
if grep -q '^# results: ipi_rtt row 0 \[.*: order: ' <<<"$out" &&
	grep -q '^# results: vcheck: FAIL: ' <<<"$out"; then
	ok vcheck-names-a-bad-value
else
	nok vcheck-bad-value "no order violation for ipi_rtt row 0: $(grep -m1 vcheck <<<"$out")"
fi

# 4. No LOG, missing file: usage errors.
LOG= BUILD=$BUILD results/results.sh >/dev/null 2>&1
[[ $? -eq 2 ]] && ok no-log-exit2 || nok no-log "exit not 2"
LOG=$tmp/nonexistent BUILD=$BUILD results/results.sh >/dev/null 2>&1
[[ $? -eq 2 ]] && ok missing-log-exit2 || nok missing-log "exit not 2"
