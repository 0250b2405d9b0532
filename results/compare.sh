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
# and compare.txt (the headline table). Prints OUT last.
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

out=${OUT:-}
[[ -n $out ]] || out=$VOL_RESULTS/runs/compare-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
VOL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/volley-compare.XXXXXX")
trap 'rm -rf "$VOL_TMP"' EXIT
vol_terms

# Per run, in a subshell so one run's META cannot leak into the next:
# its label, its headline metrics and its curve points, all in ns.
extract() {
	local i=$1 dir=$2
	vol_load "$dir"
	vol_label >"$VOL_TMP/label.$i"
	"$VOL_RESULTS/summary.sh" --tsv "$dir" >"$VOL_TMP/m.$i" || true
	local f
	for f in ipi_bcast tlb csd; do
		[[ -f $dir/$f.csv ]] || continue
		awk -v K="$VOL_K" -v F="$f" "$VOL_AWK"'
		F == "ipi_bcast" { v = ns("p50"); if (v != "NA") print col("method"), col("targets") + 0, v }
		F == "tlb" && col("strategy") == "invlpg" && col("targets") == "1" {
			v = ns("p50"); if (v != "NA") print "invlpg", col("pages") + 0, v }
		F == "csd" && col("test") == "batch" {
			v = col("per_call_ns")
			if (na(v)) { v = ns("p50"); if (v != "NA") v = v / col("batch") }
			if (v != "NA") print col("queue") ":" col("kick"), col("batch") + 0, v }
		' "$dir/$f.csv" | sort -k1,1 -k2,2n >"$VOL_TMP/$f.$i"
	done
}
n=${#runs[@]}
for ((i = 0; i < n; i++)); do
	(extract "$i" "${runs[i]}")
done

# Labels must tell runs apart: add the folder name when two are the same.
declare -a label
for ((i = 0; i < n; i++)); do
	label[i]=$(tr -d '"' <"$VOL_TMP/label.$i")
done
for ((i = 0; i < n; i++)); do
	for ((j = 0; j < n; j++)); do
		if [[ $i != "$j" && ${label[i]} == "${label[j]%% (*}" ]]; then
			label[i]="${label[i]} ($(basename "${runs[i]}"))"
			break
		fi
	done
done
labels="" vs=""
for ((i = 0; i < n; i++)); do
	labels+="\"${label[i]}\" "
	vs+="${vs:+  vs  }${label[i]}"
done

drawn=0

# ---- headline bars: a group per metric, a bar per run ------------------------
for ((i = 0; i < n; i++)); do
	awk -F'\t' -v r="$i" '{ print r "\t" $0 }' "$VOL_TMP/m.$i"
done >"$VOL_TMP/all.tsv"
if [[ -s $VOL_TMP/all.tsv ]]; then
	awk -F'\t' -v N="$n" -v T="$VOL_TMP" '
	# short tic labels: the group says the metric, the key says the run
	function short(id,   s) {
		s = id
		if (s ~ /^ipi_/) { sub(/^ipi_/, "", s); return "IPI RTT\\n" s }
		if (s ~ /^bcast_/) { sub(/^bcast_/, "", s); return "bcast all\\n" s }
		if (s ~ /^csd_sync_/) { sub(/^csd_sync_/, "", s); return "csd sync\\n" s }
		if (s ~ /^csd_batch_/) { sub(/^csd_batch_/, "", s); sub(/_/, " ", s); return "csd/call\\n" s }
		if (s == "tlb_1p_1t") return "TLB 1pg\\n1 target"
		if (s == "cacheline_rtt") return "cache-line\\nRTT"
		gsub(/_/, " ", s); return s
	}
	# groups in the order summary.txt uses, whichever run has them
	function rank(id) {
		return (id ~ /^ipi_/ ? 1 : id ~ /^bcast_/ ? 2 : id ~ /^csd_sync/ ? 3 : id ~ /^csd_batch/ ? 4 : \
			id ~ /^tlb/ ? 5 : id == "cacheline_rtt" ? 6 : 7) * 1000 + FNR
	}
	{
		r = $1; id = $2; v[r, id] = $3
		if (!(id in seen)) { seen[id] = rank(id); ids[++ng] = id }
		else if (rank(id) < seen[id]) seen[id] = rank(id)
	}
	END {
		for (i = 2; i <= ng; i++) for (j = i; j > 1 && seen[ids[j - 1]] > seen[ids[j]]; j--) { t = ids[j]; ids[j] = ids[j - 1]; ids[j - 1] = t }
		w = 0.8 / N; tics = ""
		for (g = 1; g <= ng; g++) {
			for (r = 0; r < N; r++) {
				x = g - 1 + (r - (N - 1) / 2) * w
				val = ((r, ids[g]) in v) ? v[r, ids[g]] : "NaN"
				print x, val > (T "/bars." r)
				if (val != "NaN") { if (lo == "" || val < lo) lo = val; if (hi == "" || val > hi) hi = val }
			}
			tics = tics (g > 1 ? ", " : "") sprintf("\"%s\" %d", short(ids[g]), g - 1)
		}
		printf "ngroups = %d; ylo = %g; yhi = %g; bw = %g\nset xtics (%s)\n", ng, lo, hi, w, tics > (T "/bars.gpi")
		# the same numbers as a table, for the terminal and for diffing
		printf "%-28s", "metric (p50 ns)" > (T "/compare.txt")
		for (r = 0; r < N; r++) printf " %14s", "run" r + 1 > (T "/compare.txt")
		print "" > (T "/compare.txt")
		for (g = 1; g <= ng; g++) {
			printf "%-28s", ids[g] > (T "/compare.txt")
			for (r = 0; r < N; r++) printf " %14s", ((r, ids[g]) in v) ? sprintf("%.0f", v[r, ids[g]]) : "-" > (T "/compare.txt")
			print "" > (T "/compare.txt")
		}
	}' "$VOL_TMP/all.tsv"
	{
		for ((i = 0; i < n; i++)); do echo "run$((i + 1)) = ${label[i]}: ${runs[i]}"; done
		echo
		cat "$VOL_TMP/compare.txt"
	} >"$out/compare.txt"
	width=$(awk -v g="$(grep -o 'ngroups = [0-9]*' "$VOL_TMP/bars.gpi" | awk '{ print $3 }')" -v n="$n" \
		'BEGIN { w = 160 + g * (40 + 18 * n); print (w < 900) ? 900 : (w > 2400 ? 2400 : w) }')
	vol_gp "$out" compare_headline compare_bars.gp "$width" 650 \
		"subtitle=$(vol_gq "$vs"); nruns=$n; labels=$(vol_gq "$labels"); datp='$VOL_TMP/bars.'; load '$VOL_TMP/bars.gpi'" &&
		drawn=$((drawn + 1)) || true
else
	echo "compare: skip compare_headline: no headline figures in any run"
fi

# ---- overlaid curves ------------------------------------------------------------
# curves NAME TABLE "title" "xlabel" "ylabel" LOGY: one block per (run, key),
# colour = run, dash = key (method, queue:kick).
curves() {
	local name=$1 tab=$2 title=$3 xl=$4 yl=$5 logy=$6 i k nb=0 titles="" runidx="" keyidx="" keys
	: >"$VOL_TMP/$name.dat"
	keys=$(cat "$VOL_TMP/$tab".* 2>/dev/null | awk '{ print $1 }' | sort -u | tr '\n' ' ')
	for ((i = 0; i < n; i++)); do
		[[ -s $VOL_TMP/$tab.$i ]] || continue
		local ki=0
		for k in $keys; do
			ki=$((ki + 1))
			awk -v k="$k" '$1 == k { print $2, $3 }' "$VOL_TMP/$tab.$i" >"$VOL_TMP/blk"
			[[ -s $VOL_TMP/blk ]] || continue
			{ cat "$VOL_TMP/blk"; printf '\n\n'; } >>"$VOL_TMP/$name.dat"
			nb=$((nb + 1))
			if [[ $(wc -w <<<"$keys") -gt 1 ]]; then titles+="\"${label[i]}: $k\" "; else titles+="\"${label[i]}\" "; fi
			runidx+="$((i + 1)) "
			keyidx+="$ki "
		done
	done
	if [[ $nb == 0 ]]; then
		echo "compare: skip $name: no $tab rows in any run"
		return 0
	fi
	vol_gp "$out" "$name" compare_lines.gp 1000 620 \
		"subtitle=$(vol_gq "$vs"); tt=$(vol_gq "$title"); xl=$(vol_gq "$xl"); yl=$(vol_gq "$yl"); \
		logy=$logy; nb=$nb; titles=$(vol_gq "$titles"); runidx='$runidx'; keyidx='$keyidx'; dat='$VOL_TMP/$name.dat'" &&
		drawn=$((drawn + 1))
	return 0
}
curves compare_bcast ipi_bcast 'Broadcast IPI: last ack p50 vs targets' 'targets (log2 scale)' 'last ack, p50 (ns, log scale)' 1
curves compare_tlb tlb 'TLB shootdown, invlpg, 1 target: p50 vs pages' 'pages changed (log2 scale)' 'p50 (ns, log scale)' 1
curves compare_csd csd 'csd queue: cost per call vs batch size' 'calls queued per batch (log2 scale)' 'p50 per call (ns, log scale)' 1

if [[ $drawn == 0 ]]; then
	echo "compare: nothing could be drawn" >&2
	exit 1
fi
[[ -f $out/compare.txt ]] && cat "$out/compare.txt"
echo "$out"
