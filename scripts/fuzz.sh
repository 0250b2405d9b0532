#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz.sh SECONDS [TARGET...]: build the libFuzzer targets of tests/fuzz/ with
# clang (ASan+UBSan) and run each for SECONDS on a scratch copy of its seed
# corpus (tests/fuzz/corpus/<name>/; the committed seeds are never written).
# Prints "ok - fuzz/NAME (N runs)" or "not ok - fuzz/NAME" per target; a
# crash leaves its input in build/fuzz/NAME/ (add it to the corpus once fixed).
set -euo pipefail

secs=${1:-30}; shift || true
build=${BUILD:-build}/fuzz
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(cmdline mb2 acpi split)

declare -A srcs=(
	[cmdline]="core/cmdline.c core/fmt.c core/str.c"
	[mb2]="core/mb2.c core/fmt.c core/str.c"
	[acpi]="core/acpi_tables.c core/fmt.c core/str.c"
	[split]="results/split.c core/fmt.c core/str.c"
)

rt=$(clang -print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.fuzzer-x86_64.a
if ! command -v clang >/dev/null || [[ ! -f $rt ]]; then
	echo "not ok - fuzz: clang or its libFuzzer runtime is missing (scripts/deps.sh)"
	exit 1
fi

rc=0
for t in "${targets[@]}"; do
	[[ -n ${srcs[$t]:-} ]] || { echo "not ok - fuzz/$t: unknown target"; rc=1; continue; }
	mkdir -p "$build/$t/corpus"
	bin=$build/$t/fuzz_$t
	# shellcheck disable=SC2086
	if ! clang -g -O1 -fsanitize=fuzzer,address,undefined -I. \
		tests/fuzz/fuzz_$t.c ${srcs[$t]} -o "$bin" 2>"$build/$t/build.log"; then
		echo "not ok - fuzz/$t: does not build (see $build/$t/build.log)"
		rc=1
		continue
	fi
	log=$build/$t/run.log
	if (cd "$build/$t" && ./fuzz_$t -max_total_time="$secs" -max_len=8192 \
		-print_final_stats=1 corpus "$OLDPWD/tests/fuzz/corpus/$t") >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok - fuzz/$t (${runs:-?} runs in ${secs} s)"
	else
		echo "not ok - fuzz/$t: crash; input and log in $build/$t/"
		tail -20 "$log" | sed 's/^/#   /'
		rc=1
	fi
done
exit $rc
