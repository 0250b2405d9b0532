#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The plotting side's before/after record: draws the committed reference runs,
# synthetic runs (tests/fake_run.sh, up to 200 CPUs), `make results` on a
# reference serial log and two compares, and writes one text per case into
# OUTDIR: the inputs' checksums, what plot.sh/compare.sh printed, summary.txt,
# summary.sh --tsv, compare.txt, every gnuplot call's arguments and the
# checksums of gnuplot's data files and of every SVG drawn (PNGs: names).
#
#   tests/plot_golden.sh OUTDIR        (tests/test_plot.sh diffs OUTDIR
#                                       against tests/golden/)
#   tests/plot_golden.sh --update      rewrite tests/golden/ (only when an
#                                       output is meant to change)
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ ${1:-} == --update ]]; then
	out=$top/tests/golden
	rm -f "$out"/*.txt
else
	out=${1:?usage: tests/plot_golden.sh OUTDIR | --update}
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/volley-golden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

# sums FILE...: "sha256  name" lines, names without their folder
sums() {
	local f
	for f in "$@"; do
		[[ -f $f ]] && printf '%s  %s\n' "$(sha256sum <"$f" | cut -c1-64)" "${f##*/}"
	done
	return 0
}

# record CASE DIR KEEP LOG: the text of one plotted run folder
record() {
	local name=$1 dir=$2 keep=$3 log=$4
	{
		echo "== inputs"
		sums "$dir"/*.csv "$dir"/run.env
		echo "== output"
		sed "s|$tmp|TMP|g" "$log"
		echo "== summary.txt"
		[[ -f $dir/summary.txt ]] && sed "s|$tmp|TMP|g" "$dir/summary.txt"
		echo "== summary --tsv"
		"$top/results/summary.sh" --tsv "$dir" 2>&1 || echo "exit $?"
		echo "== gnuplot calls"
		[[ -f $keep/gp.args ]] && tr -s ' \t' ' ' <"$keep/gp.args"
		echo "== gnuplot data"
		sums "$keep"/[!g]* "$keep"/g[!p]*
		# PNG bytes depend on the fonts fontconfig finds on the machine
		# (libgd): names only. SVG is gnuplot's own text: checksummed.
		echo "== plots"
		for f in "$dir"/*.png; do [[ -f $f ]] && echo "${f##*/}"; done
		sums "$dir"/*.svg
	} >"$out/$name.txt"
}

# plot CASE DIR: plot.sh on DIR, recorded
plot() {
	local name=$1 dir=$2 rc=0
	rm -rf "$tmp/keep-$name"
	VOL_KEEP=$tmp/keep-$name "$top/results/plot.sh" "$dir" >"$tmp/log-$name" 2>&1 || rc=$?
	echo "exit $rc" >>"$tmp/log-$name"
	record "$name" "$dir" "$tmp/keep-$name" "$tmp/log-$name"
}

ref=$top/results/reference
for r in kvm-pvm-2cpu-quick tcg-4cpu-full tcg-16cpu-2pkg-smt; do
	mkdir -p "$tmp/$r"
	cp "$ref/$r"/*.csv "$tmp/$r/"
	[[ -f $ref/$r/run.env ]] && cp "$ref/$r/run.env" "$tmp/$r/"
	plot "ref-$r" "$tmp/$r"
done

for c in "2 kvm" "16 kvm" "4 pvm" "4 tcg" "4 metal" "200 kvm"; do
	set -- $c
	"$top/tests/fake_run.sh" "$tmp/fake-$2-$1" "$1" "$2"
	plot "fake-$2-$1" "$tmp/fake-$2-$1"
done

# tables missing: no tlb, no cpus/floor (no ratio maps, no boundaries), no csd
mkdir -p "$tmp/partial"
cp "$tmp/fake-kvm-16"/*.csv "$tmp/fake-kvm-16/run.env" "$tmp/partial/"
rm -f "$tmp/partial"/{tlb,tlb_ceiling,cpus,floor,csd}.csv
plot partial "$tmp/partial"
mkdir -p "$tmp/metaonly"
cp "$tmp/fake-kvm-2/meta.csv" "$tmp/metaonly/"
plot metaonly "$tmp/metaonly"

# make results on a serial log: vsplit, then plot.sh
rc=0
LOG=$ref/tcg-4cpu-full/serial.log OUT=$tmp/results BUILD=${BUILD:-$top/build} \
	"$top/results/results.sh" >"$tmp/log-results" 2>&1 || rc=$?
echo "exit $rc" >>"$tmp/log-results"
sed -i -e '/^date=/d' -e 's|^log=.*/results/reference/|log=REF/|' "$tmp/results/run.env"
record results-tcg-4cpu-full "$tmp/results" /nonexistent "$tmp/log-results"
sed "s|$tmp|TMP|g" "$tmp/results/plot.log" >>"$out/results-tcg-4cpu-full.txt"

# compare CASE DIR...
compare() {
	local name=$1 rc=0; shift
	rm -rf "$tmp/keep-$name"
	VOL_KEEP=$tmp/keep-$name RUNS="$*" OUT=$tmp/cmp-$name "$top/results/compare.sh" \
		>"$tmp/log-$name" 2>&1 || rc=$?
	echo "exit $rc" >>"$tmp/log-$name"
	{
		echo "== output"
		sed "s|$tmp|TMP|g" "$tmp/log-$name"
		echo "== compare.txt"
		sed "s|$tmp|TMP|g" "$tmp/cmp-$name/compare.txt"
		echo "== gnuplot calls"
		sed "s|$tmp|TMP|g" "$tmp/keep-$name/gp.args" | tr -s ' \t' ' '
		echo "== gnuplot data"
		sums "$tmp/keep-$name"/[!g]* "$tmp/keep-$name"/g[!p]*
		echo "== plots"
		sums "$tmp/cmp-$name"/*.png "$tmp/cmp-$name"/*.svg
	} >"$out/$name.txt"
}
compare compare-ref "$tmp/kvm-pvm-2cpu-quick" "$tmp/tcg-4cpu-full"
compare compare-fake "$tmp/fake-kvm-2" "$tmp/fake-kvm-16" "$tmp/fake-metal-4" "$tmp/fake-kvm-200"
# same labels twice: the folder names tell them apart
compare compare-same "$tmp/fake-kvm-16" "$tmp/partial"
ls "$out"
