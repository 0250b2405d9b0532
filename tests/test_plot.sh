#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Host test of the plotting side: synthetic runs (tests/fake_run.sh) at 2 and
# 16 CPUs go through results/plot.sh and results/compare.sh; every expected
# PNG/SVG must exist and be non-empty, and the error paths must give the
# documented exit codes. Prints one `ok - plot/NAME` or `not ok - plot/NAME`
# line per check; exits 1 if any failed.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
plot=$top/results/plot.sh
compare=$top/results/compare.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/volley-test-plot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0

ok() { echo "ok - plot/$1"; }
notok() { echo "not ok - plot/$1${2:+ # $2}"; failed=$((failed + 1)); }
check() { # NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	if "$@"; then ok "$name"; else notok "$name"; fi
}
# a real PNG / SVG, not an empty or truncated file
is_png() { [[ -s $1 ]] && [[ $(head -c 4 "$1" | od -An -c | tr -d ' ') == '211PNG' ]]; }
is_svg() { [[ -s $1 ]] && grep -q '</svg>' "$1"; }
# run a command, keep its exit code and output without tripping set -e
run() { local rc=0; "$@" >"$tmp/out" 2>&1 || rc=$?; echo "$rc"; }

plots="ipi_rtt_heatmap_spin ipi_rtt_heatmap_hlt ipi_rtt_ratio_spin ipi_rtt_ratio_hlt
	ipi_rtt_dist_spin ipi_rtt_dist_hlt ipi_bcast csd_batch csd_ipis csd_bars tlb floor"

for n in 2 16; do
	d=$tmp/run$n
	check "fake_run-$n" "$top/tests/fake_run.sh" "$d" "$n" kvm
	rc=$(run "$plot" "$d")
	check "plot.sh-$n-exit0" test "$rc" = 0
	[[ $rc == 0 ]] || sed 's/^/# /' "$tmp/out"
	for p in $plots; do
		check "$n/$p.png" is_png "$d/$p.png"
		check "$n/$p.svg" is_svg "$d/$p.svg"
	done
	check "$n/summary.txt" grep -q 'IPI round trip, spin wait' "$d/summary.txt"
	check "$n/summary-accel" grep -q 'KVM (hardware-assisted)' "$d/summary.txt"
done

# make plot passes the folder as RUN=, not as an argument
rm -f "$tmp/run2/tlb.png"
rc=$(RUN=$tmp/run2 run "$plot")
check "run-env-exit0" test "$rc" = 0
check "run-env-redraws" is_png "$tmp/run2/tlb.png"

# pvm: the nested software KVM must be named, and ts_dominated rows warned
"$top/tests/fake_run.sh" "$tmp/pvm" 4 pvm
rc=$(run "$plot" "$tmp/pvm")
check "pvm-exit0" test "$rc" = 0
check "pvm-summary-names-pvm" grep -q 'kvm_pvm' "$tmp/pvm/summary.txt"
check "pvm-summary-ts-warning" grep -q '^WARNING: ts_dominated=1' "$tmp/pvm/summary.txt"

# TCG fake has an errors row: it must reach summary.txt
"$top/tests/fake_run.sh" "$tmp/tcg" 4 tcg
rc=$(run "$plot" "$tmp/tcg")
check "tcg-exit0" test "$rc" = 0
check "tcg-summary-errors" grep -q '^errors: 1 row' "$tmp/tcg/summary.txt"

# a missing table: that plot is skipped with a note, the rest still drawn
cp -r "$tmp/run16" "$tmp/notlb"
rm -f "$tmp/notlb/tlb.csv" "$tmp/notlb/tlb_ceiling.csv"
rc=$(run "$plot" "$tmp/notlb")
check "missing-table-exit0" test "$rc" = 0
check "missing-table-note" grep -q 'skip tlb' "$tmp/out"
check "missing-table-no-stale-plot" test ! -e "$tmp/notlb/tlb.png"
check "missing-table-others-drawn" is_png "$tmp/notlb/ipi_bcast.png"

# only meta.csv: nothing to draw -> exit 1
mkdir -p "$tmp/metaonly"
cp "$tmp/run2/meta.csv" "$tmp/metaonly/"
rc=$(run "$plot" "$tmp/metaonly")
check "nothing-drawable-exit1" test "$rc" = 1

# no meta.csv -> exit 2 and say so
mkdir -p "$tmp/nometa"
cp "$tmp/run2/ipi_rtt.csv" "$tmp/nometa/"
rc=$(run "$plot" "$tmp/nometa")
check "no-meta-exit2" test "$rc" = 2
check "no-meta-message" grep -q 'no meta.csv' "$tmp/out"
rc=$(run "$plot" "$tmp/does-not-exist")
check "no-folder-exit2" test "$rc" = 2
check "no-folder-message" grep -q 'no such run folder' "$tmp/out"
rc=$(RUN='' run "$plot")
check "no-argument-exit2" test "$rc" = 2

# compare: two runs side by side, output folder printed last
rc=$(RUNS="$tmp/run2 $tmp/run16" OUT="$tmp/cmp" run "$compare")
check "compare-exit0" test "$rc" = 0
[[ $rc == 0 ]] || sed 's/^/# /' "$tmp/out"
check "compare-prints-out-last" test "$(tail -n 1 "$tmp/out")" = "$tmp/cmp"
for p in compare_headline compare_bcast compare_tlb compare_csd; do
	check "compare/$p.png" is_png "$tmp/cmp/$p.png"
	check "compare/$p.svg" is_svg "$tmp/cmp/$p.svg"
done
rc=$(RUNS="$tmp/run2 $tmp/nometa" OUT="$tmp/cmp2" run "$compare")
check "compare-no-meta-exit2" test "$rc" = 2

# before/after: every output the same bytes as the awk version wrote
# (tests/golden/, recorded by tests/plot_golden.sh)
"$top/tests/plot_golden.sh" "$tmp/golden" >/dev/null 2>"$tmp/golden.err" || sed 's/^/# /' "$tmp/golden.err"
for g in "$top"/tests/golden/*.txt; do
	c=${g##*/}
	if cmp -s "$g" "$tmp/golden/$c"; then ok "golden/${c%.txt}"; else
		notok "golden/${c%.txt}"
		diff "$g" "$tmp/golden/$c" 2>&1 | head -n 20 | sed 's/^/# /' || true
	fi
done

# pairs=sample:K: only some pairs measured. Every cell of the heat map is
# its pair's p50_ns, and a pair not measured is NaN (drawn as "not
# measured"), never 0 or a neighbour's value.
d=$tmp/sampled
"$top/tests/fake_run.sh" "$d" 64 kvm
awk -F, 'NR == 1 || $1 == 0 || $2 == 0 || ($1 * 7 + $2 * 13) % 5 == 0' "$d/ipi_rtt.csv" >"$d/x" && mv "$d/x" "$d/ipi_rtt.csv"
rc=$(VOL_KEEP=$tmp/keep-sampled run "$plot" "$d")
check sampled-exit0 test "$rc" = 0
check sampled-heatmap is_png "$d/ipi_rtt_heatmap_spin.png"
cells() { # MAT: one "x y value" line per cell
	awk '{ for (x = 1; x <= NF; x++) print x - 1, NR - 1, $x }' "$1"
}
expect() { # the spin pairs of ipi_rtt.csv as "src dst p50_ns", NaN elsewhere
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["wait"] == "spin" { v[$c["src"] " " $c["dst"]] = $c["p50_ns"] }
		END { for (y = 0; y < 64; y++) for (x = 0; x < 64; x++)
			print x, y, ((x " " y) in v) ? v[x " " y] : "NaN" }' "$1"
}
check sampled-cells-are-pairs cmp -s <(cells "$tmp/keep-sampled/heat_spin.mat") <(expect "$d/ipi_rtt.csv")
check sampled-has-unmeasured grep -q NaN "$tmp/keep-sampled/heat_spin.mat"

# Columns added to every stats table (p50_lo,p50_hi after ts_dominated, as
# DESIGN.md orders them) change no plot: the tables are read by name.
d=$tmp/extracols
cp -r "$tmp/run16" "$d"
for f in "$d"/{ipi_rtt,ipi_bcast,csd,tlb,floor}.csv; do
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "ts_dominated") c = i }
		{ $c = $c OFS (NR == 1 ? "p50_lo" OFS "p50_hi" : "1" OFS "2"); print }' "$f" >"$f.x"
	mv "$f.x" "$f"
done
rc=$(run "$plot" "$d")
check extra-columns-exit0 test "$rc" = 0
same=1
for f in "$tmp/run16"/*.png "$tmp/run16"/*.svg "$tmp/run16/summary.txt"; do
	[[ ${f##*/} == summary.txt ]] && { cmp -s <(sed 1d "$f") <(sed 1d "$d/summary.txt") || same=0; continue; }
	cmp -s "$f" "$d/${f##*/}" || { same=0; echo "# differs: ${f##*/}"; }
done
check extra-columns-same-plots test "$same" = 1

# Beyond 256 CPUs per side the heat map bins blocks of CPUs: at 300 CPUs a
# cell is the nearest-rank median of the measured pairs of 2 x 2 CPUs.
d=$tmp/run300
"$top/tests/fake_run.sh" "$d" 300 kvm
rm -f "$d"/{csd,tlb,tlb_ceiling,ipi_bcast}.csv
rc=$(VOL_KEEP=$tmp/keep-300 run "$plot" "$d")
check binned-exit0 test "$rc" = 0
check binned-heatmap is_png "$d/ipi_rtt_heatmap_spin.png"
check binned-gpi grep -q '^N = 150; npairs = 89700;' "$tmp/keep-300/heat_spin.gpi"
check binned-note grep -q '^binned = 2$' "$tmp/keep-300/heat_spin.gpi"
# cell (x 3, y 1): sources 6, 7 and destinations 2, 3; cell (0, 0): the
# diagonal block, pairs 0->1 and 1->0 only
want=$(awk -F, '$3 == "spin" && ($1 == 6 || $1 == 7) && ($2 == 2 || $2 == 3) { print $15 }' "$d/ipi_rtt.csv" | sort -n | sed -n 2p)
want0=$(awk -F, '$3 == "spin" && $1 + $2 == 1 { print $15 }' "$d/ipi_rtt.csv" | sort -n | sed -n 1p)
check binned-cell-median test "$(awk 'NR == 2 { print $4 }' "$tmp/keep-300/heat_spin.mat")" = "$want"
check binned-diagonal-cell test "$(awk 'NR == 1 { print $1 }' "$tmp/keep-300/heat_spin.mat")" = "$want0"

echo "# test_plot: $failed failed"
[[ $failed == 0 ]]
