#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks a run's cpus.csv against what the QEMU topology implies.
#   tests/check_cpus.sh RUN [--online IDS] [--offline IDS] [--packages N]
#                           [--threads N] [--x2apic 0|1] [--topo P.C.T,...]
#                           [--llc L,...]
# IDS: comma list of APIC IDs, in cpus-table order (boot CPU first).
# --threads N: N hardware threads per core (max thread + 1).
# --topo: package.core.thread of each online CPU, in cpus-table order.
# --llc: the llc column of each online CPU (L3:0,...), in that order.
set -euo pipefail

run=$1; shift
csv=$run/cpus.csv
[[ -s $csv ]] || { echo "check_cpus: $csv missing"; exit 1; }
fail() { echo "check_cpus: $*"; exit 1; }

col() {	# col NAME ONLINE(0|1): the column's values, comma-joined
	awk -F, -v name="$1" -v on="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["online"] == on { printf "%s%s", sep, $c[name]; sep = "," }
		END { print "" }' "$csv"
}

while [[ $# -gt 0 ]]; do
	case $1 in
	--online)
		got=$(col apic_id 1)
		[[ $got == "$2" ]] || fail "online APIC IDs are '$got', expected '$2'"
		shift 2 ;;
	--offline)
		got=$(col apic_id 0)
		[[ $got == "$2" ]] || fail "offline APIC IDs are '$got', expected '$2'"
		shift 2 ;;
	--packages)
		got=$(col package 1 | tr , '\n' | sort -u | wc -l)
		[[ $got == "$2" ]] || fail "$got packages, expected $2"
		shift 2 ;;
	--threads)
		got=$(col thread 1 | tr , '\n' | sort -n | tail -1)
		[[ $((got + 1)) == "$2" ]] || fail "$((got + 1)) threads per core, expected $2"
		shift 2 ;;
	--topo)
		got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["online"] == 1 { printf "%s%s.%s.%s", sep, $c["package"], $c["core"], $c["thread"]; sep = "," }
			END { print "" }' "$csv")
		[[ $got == "$2" ]] || fail "package.core.thread are '$got', expected '$2'"
		shift 2 ;;
	--llc)
		got=$(col llc 1)
		[[ $got == "$2" ]] || fail "llc is '$got', expected '$2'"
		shift 2 ;;
	--x2apic)
		mode=$(awk -F, '$1 == "apic_mode" { print $2 }' "$run/meta.csv")
		want=$([[ $2 == 1 ]] && echo x2apic || echo xapic)
		[[ $mode == "$want" ]] || fail "apic_mode is '$mode', expected '$want'"
		shift 2 ;;
	*)
		fail "unknown option $1" ;;
	esac
done
# Every online CPU has a start time and every row has all 11 columns.
awk -F, 'NR > 1 && NF != 12 { print "check_cpus: row " NR " has " NF " columns"; bad = 1 }
	 NR > 1 && $9 == 1 && $1 != 0 && $10 !~ /^[0-9]+$/ { print "check_cpus: cpu " $1 " has no start_us"; bad = 1 }
	 END { exit bad }' "$csv"
