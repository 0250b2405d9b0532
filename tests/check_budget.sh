#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_budget.sh RUN SECONDS: the run kept to its budget (bench/plan.c):
# the benchmarks took at most SECONDS plus 25% (a row keeps its minimum
# samples, a part a quarter of its share), every part of the plan printed
# rows, the tlb and ipi_bcast tables have their 1-target and all-targets
# rows (measured first), and ipi_rtt has a row of every relation class the
# plan lists.
set -euo pipefail
run=$1 budget_s=$2
log=$run/serial.log
fail() { echo "check_budget: $*" >&2; exit 1; }

took=$(sed -n 's/^# plan: the benchmarks took \([0-9]*\) ms of budget=.*/\1/p' "$log" | tail -n1)
[[ -n $took ]] || fail "no '# plan: the benchmarks took' line"
(( took <= budget_s * 1250 )) || fail "took $took ms, budget ${budget_s} s (+25%)"

online=$(sed -n 's/^cpus_online,//p' "$run/meta.csv")
all=$((online - 1))
for t in ipi_rtt ipi_bcast csd tlb floor; do
	[[ $(wc -l <"$run/$t.csv") -ge 2 ]] || fail "$t.csv has no rows"
done
for k in 1 "$all"; do
	grep -q "^mask,$k," "$run/ipi_bcast.csv" || fail "ipi_bcast: no mask row at $k targets"
	grep -q "^invlpg,1,$k," "$run/tlb.csv" || fail "tlb: no invlpg 1-page row at $k targets"
done
# every relation class of the plan measured in ipi_rtt
while IFS=, read -r table rel _; do
	[[ $table == pairs ]] || continue
	awk -F, -v r="$rel" 'NR > 1 && $4 == r { f = 1 } END { exit !f }' "$run/ipi_rtt.csv" ||
		fail "ipi_rtt: no $rel pair measured"
done <"$run/plan.csv"
echo "check_budget: took $took ms of ${budget_s} s; bcast and tlb have 1 and $all targets"
