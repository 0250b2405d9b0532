#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# soak.sh: N boots in a row with the make-run knobs (default ARGS="quick"),
# each must end with status 0; prints ok/not ok per boot and the total.
set -euo pipefail

n=${N:-20}
args=${ARGS:-quick}
base=${BUILD:-build}/soak
mkdir -p "$base"
passed=0 failed=0
for i in $(seq 1 "$n"); do
	out=$base/$i
	rm -rf "$out"
	start=$(date +%s)
	rc=0
	QUIET=1 OUT=$out ARGS=$args scripts/run.sh >"$base.$i.log" 2>&1 || rc=$?
	secs=$(($(date +%s) - start))
	if [[ $rc -eq 0 ]]; then
		echo "ok - soak/$i ($secs s)"
		passed=$((passed + 1))
	else
		echo "not ok - soak/$i: status $rc ($secs s); see $out/serial.log"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
