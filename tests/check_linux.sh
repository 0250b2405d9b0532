#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_linux.sh RUN [--compare VOLLEY_RUN]: the values of a Linux-side run
# (make linux-run) make sense, tlbbench's verify can fail, and a compare with a
# volley run draws its plots and states its ratios. Used by tests/boot.cfg's
# linux-tcg case; prints what failed, exits 1 on any failure.
#
# Checked: meta says side,linux with kernel, clocksource, preempt, tsc_hz;
# every stats row has samples and min <= p50 <= p90 <= p99 <= max (and
# p50_lo <= p50 <= p50_hi when the columns are there), p50_ns = p50 / tsc_hz;
# csd rows lost nothing, calls > 0, IPIs per batch not above the batch (kick
# empty: Linux's llist); every tlb row verified; the plots exist; the value
# checker build/host/vcheck passes when it is built. --compare: when
# VOLLEY_RUN is missing, one is booted (make run SMP=2 ARGS=quick ACCEL=tcg).
set -euo pipefail
cd "$(dirname "$0")/.."

run=${1:?usage: tests/check_linux.sh RUN [--compare VOLLEY_RUN]}
vrun=
[[ ${2:-} == --compare ]] && vrun=${3:?--compare wants a run folder}
BUILD=${BUILD:-build}
fails=0
fail() {
	echo "check_linux: $*"
	fails=$((fails + 1))
}

# ---- meta ---------------------------------------------------------------------
for k in side kernel clocksource preempt tsc_hz kernel_cmdline ipi_rtt_path csd_ipis_counted; do
	grep -q "^$k," "$run/meta.csv" || fail "meta has no $k"
done
grep -q '^side,linux$' "$run/meta.csv" || fail "meta side is not linux"
hz=$(sed -n 's/^tsc_hz,//p' "$run/meta.csv")
[[ $hz =~ ^[0-9]+$ && $hz -gt 0 ]] || fail "tsc_hz '$hz' is not a positive number"

# ---- every stats table ---------------------------------------------------------
for t in csd ipi_rtt floor tlb; do
	f=$run/$t.csv
	[[ -f $f ]] || { fail "no $t.csv"; continue; }
	out=$(awk -F, -v T="$t" -v HZ="$hz" '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	function v(n) { return (n in c) ? $(c[n]) : "" }
	{
		rows++
		if (v("samples") + 0 == 0) { print T " row " NR - 1 ": no samples: " $0; next }
		if (!(v("min") + 0 <= v("p50") + 0 && v("p50") + 0 <= v("p90") + 0 &&
		      v("p90") + 0 <= v("p99") + 0 && v("p99") + 0 <= v("max") + 0))
			print T " row " NR - 1 ": percentiles out of order: " $0
		if (("p50_lo" in c) && !(v("p50_lo") + 0 <= v("p50") + 0 && v("p50") + 0 <= v("p50_hi") + 0))
			print T " row " NR - 1 ": p50 outside [p50_lo, p50_hi]: " $0
		want = v("p50") * 1e9 / HZ
		if (v("p50_ns") + 0 < want - 1 || v("p50_ns") + 0 > want + 1)
			print T " row " NR - 1 ": p50_ns " v("p50_ns") " is not p50/tsc_hz (" want ")"
		bm = v("batch_mean")
		if (bm != "" && bm != "NA" && (bm + 0 <= 0 || bm + 0 > v("max") + 0))
			print T " row " NR - 1 ": batch_mean " bm " not in (0, max]"
		if (T == "csd") {
			if (v("lost") != "0") print T " row " NR - 1 ": lost " v("lost")
			if (v("calls") + 0 <= 0) print T " row " NR - 1 ": no calls"
			ipb = v("ipis_per_batch")
			if (ipb != "NA" && ipb + 0 > v("batch") * 1.05 + 0.05)
				print T " row " NR - 1 ": " ipb " IPIs per batch of " v("batch")
			if (v("wait") != "spin" && v("wait") != "hlt") print T " row " NR - 1 ": wait " v("wait")
		}
		if (T == "tlb" && v("verify") != "ok") print T " row " NR - 1 ": verify " v("verify")
	}
	END { if (!rows) print T ": no rows" }' "$f")
	[[ -z $out ]] || while IFS= read -r l; do fail "$l"; done <<<"$out"
done
# every test of the csd table and both wait states
for w in "sync,.*,spin," "sync,.*,hlt," "^batch," "^many," "^each,.*,spin," "^each,.*,hlt,"; do
	grep -qE "$w" "$run/csd.csv" || fail "csd has no row matching /$w/"
done
for n in 1 2 4 8 16 32 64; do
	grep -qE "^batch,llist,empty,[0-9]+,[0-9]+,spin,1,$n," "$run/csd.csv" || fail "csd has no batch $n row"
done
for op in madvise mprotect munmap; do
	grep -q "^$op,1,1," "$run/tlb.csv" || fail "tlb has no $op 1 page 1 target row"
done
[[ $(awk -F, 'NR > 1' "$run/errors.csv" | wc -l) -eq 0 ]] || fail "errors.csv has rows"
for p in csd_batch floor tlb ipi_rtt_dist_spin; do
	[[ -s $run/$p.png ]] || fail "no plot $p.png"
done
[[ -s $run/summary.txt ]] || fail "no summary.txt"
if [[ -x $BUILD/host/vcheck ]]; then
	"$BUILD/host/vcheck" "$run" >"$run/vcheck.log" 2>&1 || fail "vcheck: $(tail -n1 "$run/vcheck.log")"
fi

# ---- tlbbench's verify can fail: skip the operation, on this host --------------
tb=$BUILD/linux/tlbbench
if [[ -x $tb ]]; then
	rc=0
	"$tb" --iters=8 --warmup=1 --pages=1,4 --targets=1 --inject=noop >"$run/tlb_inject.log" 2>&1 || rc=$?
	[[ $rc -eq 1 ]] || fail "tlbbench --inject=noop exited $rc, want 1"
	[[ $(grep -c ',fail$' "$run/tlb_inject.log") -eq 6 ]] ||
		fail "tlbbench --inject=noop: want 6 verify=fail rows, got $(grep -c ',fail$' "$run/tlb_inject.log")"
else
	fail "$tb not built"
fi

# ---- compare with a volley run of the same build -------------------------------
if [[ -n $vrun ]]; then
	if [[ ! -f $vrun/meta.csv ]]; then
		vrun=$run.volley
		SMP=2 ACCEL=tcg ARGS=quick QUIET=1 OUT=$vrun scripts/run.sh >/dev/null 2>&1 ||
			fail "the volley run for the compare failed (status $?)"
	fi
	cmp=$run/compare
	rm -rf "$cmp"
	if RUNS="$vrun $run" OUT=$cmp BUILD=$BUILD results/compare.sh >"$run/compare.log" 2>&1; then
		for p in compare_headline compare_csd compare_tlb; do
			[[ -s $cmp/$p.png ]] || fail "compare drew no $p.png"
		done
		# the like-for-like rows with a ratio: both sides measured them
		for r in "csd sync, target spinning" "IPI round trip, target halted" \
			"broadcast to all: on_each_cpu" "shootdown, 1 page, 1 target  "; do
			grep -qE "^  $r +[0-9]+ +[0-9]+ +[0-9.e+-]+\$" "$cmp/summary.txt" ||
				fail "compare summary has no ratio for '$r'"
		done
		# a ratio is linux/volley of the two printed values
		bad=$(awk '/^  [a-zA-Z].* [0-9]+ +[0-9]+ +[0-9.e+-]+$/ {
			n = NF; r = $n / 1; l = $(n - 1); v = $(n - 2)
			if (v > 0 && (r < l / v * 0.99 - 0.001 || r > l / v * 1.01 + 0.001)) print }' "$cmp/summary.txt")
		[[ -z $bad ]] || fail "compare ratios do not match their values: $bad"
	else
		fail "compare failed: $(tail -n1 "$run/compare.log")"
	fi
fi

if [[ $fails -gt 0 ]]; then
	echo "check_linux: $fails problem(s) in $run"
	exit 1
fi
echo "check_linux: $run ok"
