#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Draw every plot a volley run folder supports, as PNG and SVG, then write
# summary.txt (results/summary.sh).
#
#   results/plot.sh DIR          (the runner calls it this way)
#   RUN=DIR results/plot.sh      (make plot RUN=DIR)
#
# Exit: 0 at least one plot drawn · 1 nothing could be drawn · 2 no folder or
# no meta.csv. A plot whose table is missing is skipped with a one-line note.
#
# The data side is C: build/host/vplot reads the tables by column name,
# writes gnuplot's data files and prints the plan this loop follows (see
# results/vplot.c). This file doubles as the shell library of compare.sh:
# sourcing it defines the vol_* helpers only.
set -euo pipefail

VOL_RESULTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VOL_BUILD=${BUILD:-build}
[[ $VOL_BUILD == /* ]] || VOL_BUILD=$VOL_RESULTS/../$VOL_BUILD
VOL_VPLOT=${VPLOT:-$VOL_BUILD/host/vplot}
VOL_DRAWN=0 VOL_FAILED=0 VOL_LIBGD=0

vol_die() { echo "${VOL_PROG:-plot}: $*" >&2; exit 2; }

vol_vplot() {
	[[ -x $VOL_VPLOT ]] || vol_die "$VOL_VPLOT not built (make tools)"
	"$VOL_VPLOT" "$@"
}

# The PNG terminal: cairo when this gnuplot has it, else libgd (gnuplot-nox
# builds may lack cairo).
vol_terms() {
	local t
	t=$(gnuplot -e 'set terminal' 2>&1 </dev/null || true)
	if grep -q 'pngcairo' <<<"$t"; then
		VOL_PNG="pngcairo noenhanced font 'DejaVu Sans,10' linewidth 1.2" VOL_LIBGD=0
	else
		VOL_LIBGD=1
		VOL_PNG="png noenhanced font 'DejaVu Sans,10'"
	fi
	VOL_SVG="svg dynamic noenhanced font 'DejaVu Sans,10' background '#ffffff'"
}

# gnuplot single-quoted string: only '' needs escaping there.
vol_gq() { local s=${1//\'/\'\'}; printf "'%s'" "$s"; }

# VOL_KEEP=DIR (tests): log every gnuplot call's arguments to DIR/gp.args,
# the temporary folder's path written as TMP, and keep gnuplot's data files.
vol_keep() {
	[[ -n ${VOL_KEEP:-} ]] || return 0
	mkdir -p "$VOL_KEEP"
	printf '%s\n' "$1" >>"$VOL_KEEP/gp.args"
	local f
	for f in "$VOL_TMP"/*; do
		case ${f##*/} in
		*.mat|*.lbl|*.gpi|*.dat|*.dots|bars.*) cp -- "$f" "$VOL_KEEP/" ;;
		esac
	done
}

# vol_gp OUTDIR NAME SCRIPT.gp WIDTH HEIGHT "gnuplot assignments"
# Draws NAME.png and NAME.svg; the script only plots, the terminal is ours.
vol_gp() {
	local out=$1 name=$2 gp=$3 w=$4 h=$5 vars=$6 rc=0
	[[ -n ${VOL_PNG:-} ]] || vol_terms
	vol_keep "$name $gp $w $h ${vars//$VOL_TMP/TMP}"
	# one gnuplot per plot: the PNG, then the same plot replotted as SVG
	if ! gnuplot -e "set terminal $VOL_PNG size $w,$h; set output $(vol_gq "$out/$name.png"); \
		gpdir=$(vol_gq "$VOL_RESULTS"); libgd=$VOL_LIBGD; $vars" "$VOL_RESULTS/$gp" \
		-e "set terminal $VOL_SVG size $w,$h; set output $(vol_gq "$out/$name.svg"); replot; unset output" \
		>"$VOL_TMP/gp.log" 2>&1 || [[ ! -s $out/$name.png || ! -s $out/$name.svg ]]; then
		rc=1
		VOL_FAILED=$((VOL_FAILED + 1))
		rm -f "$out/$name.png" "$out/$name.svg"    # no half-drawn plot left behind
		echo "plot: gnuplot failed on $name:" >&2
		grep -v 'warning' "$VOL_TMP/gp.log" | tail -n 5 >&2 || true
	fi
	[[ $rc != 0 ]] || VOL_DRAWN=$((VOL_DRAWN + 1))
	return $rc
}

# vol_draw OUTDIR PREFIX <PLAN: follows vplot's plan (begin, draw, note,
# skip, end lines); notes are printed after PREFIX. Sets VOL_GROUPS_DREW and
# VOL_GROUPS_FAILED: groups with a plot drawn, groups that drew none.
vol_draw() {
	local out=$1 prefix=$2 what a b c d e gdrew=0 gskip=0
	VOL_GROUPS_DREW=0 VOL_GROUPS_FAILED=0
	while IFS=$'\t' read -r what a b c d e; do
		case $what in
		begin) gdrew=0 gskip=0 ;;
		draw) vol_gp "$out" "$a" "$b" "$c" "$d" "$e" && gdrew=1 || true ;;
		note) echo "$prefix$a" ;;
		skip) gskip=1 ;;
		end)
			if [[ $gdrew == 1 ]]; then VOL_GROUPS_DREW=$((VOL_GROUPS_DREW + 1))
			elif [[ $gskip == 0 ]]; then VOL_GROUPS_FAILED=$((VOL_GROUPS_FAILED + 1)); fi ;;
		esac
	done
}

plot_main() {
	VOL_PROG=plot.sh
	local dir=${1:-${RUN:-}}
	[[ -n $dir ]] || vol_die "usage: results/plot.sh RUN_DIR (or RUN=dir); no run folder given"
	[[ -x $VOL_VPLOT ]] || vol_die "$VOL_VPLOT not built (make tools)"
	VOL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/volley-plot.XXXXXX")
	trap 'rm -rf "$VOL_TMP"' EXIT
	vol_vplot plot "$dir" "$VOL_TMP" >"$VOL_TMP/plan" || exit
	command -v gnuplot >/dev/null || vol_die "gnuplot not found (apt-get install gnuplot-nox)"
	vol_terms
	# a redraw must not leave last time's plot of a table that is gone now
	rm -f "$dir"/ipi_rtt_heatmap_*.{png,svg} "$dir"/ipi_rtt_ratio_*.{png,svg} \
		"$dir"/ipi_rtt_dist_*.{png,svg} "$dir"/{ipi_bcast,csd_batch,csd_ipis,csd_bars,tlb,floor}.{png,svg}
	vol_draw "$dir" 'plot: ' <"$VOL_TMP/plan"
	"$VOL_RESULTS/summary.sh" "$dir" || echo "plot: summary.sh failed" >&2
	if [[ $VOL_GROUPS_DREW == 0 ]]; then
		echo "plot: nothing could be drawn in $dir" >&2
		exit 1
	fi
	echo "plot: $VOL_DRAWN plots (PNG+SVG) in $dir$([[ $VOL_GROUPS_FAILED -gt 0 ]] && echo "; $VOL_FAILED failed, see above")"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	plot_main "$@"
fi
