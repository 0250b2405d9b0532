#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Put two or more volley runs side by side (bare metal vs KVM, KVM vs TCG,
# xAPIC vs x2APIC ...).
#
#   RUNS="dirA dirB" [OUT=dir] results/compare.sh     (make compare)
#   results/compare.sh dirA dirB ...                  (same, OUT from env)
#
# Draws into OUT (default results/runs/compare-<stamp>), PNG and SVG:
#   compare_headline   headline figures, a group per metric, a bar per run (log y)
#   compare_bcast      broadcast last-ack p50 vs targets, every run and method
#   compare_tlb        TLB shootdown, invlpg, 1 target, p50 vs pages
#   compare_csd        csd per-call p50 vs batch size
# and compare.txt (the headline table). Prints OUT last. The joins are C
# (build/host/vplot compare); this loop draws what it planned.
# Exit: 0 drawn · 1 nothing could be drawn · 2 bad arguments or a run folder
# without meta.csv.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/plot.sh"
# shellcheck disable=SC2034  # read by vol_die in plot.sh
VOL_PROG=compare.sh

runs=("$@")
if [[ ${#runs[@]} -eq 0 ]]; then
	read -r -a runs <<<"${RUNS:-}"
fi
[[ ${#runs[@]} -ge 2 ]] || vol_die 'usage: RUNS="dirA dirB ..." results/compare.sh (two or more run folders)'
for d in "${runs[@]}"; do
	[[ -d $d ]] || vol_die "no such run folder: $d"
	[[ -f $d/meta.csv ]] || vol_die "$d has no meta.csv: not a volley run folder"
done
command -v gnuplot >/dev/null || vol_die "gnuplot not found (apt-get install gnuplot-nox)"
[[ -x $VOL_VPLOT ]] || vol_die "$VOL_VPLOT not built (make tools)"

out=${OUT:-}
[[ -n $out ]] || out=$VOL_RESULTS/runs/compare-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
VOL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/volley-compare.XXXXXX")
trap 'rm -rf "$VOL_TMP"' EXIT
vol_terms

vol_vplot compare "$out" "$VOL_TMP" "${runs[@]}" >"$VOL_TMP/plan"
vol_draw "$out" '' <"$VOL_TMP/plan"
# A volley run and a Linux run (make linux-run): Linux/volley ratios (results/vratio.c).
"$VOL_BUILD/host/vratio" "${runs[@]}" >"$out/summary.txt" 2>&1 || rm -f "$out/summary.txt"
if [[ $VOL_DRAWN == 0 ]]; then
	echo "compare: nothing could be drawn" >&2
	exit 1
fi
[[ -f $out/compare.txt ]] && cat "$out/compare.txt"
[[ -f $out/summary.txt ]] && { echo; cat "$out/summary.txt"; }
echo "$out"
