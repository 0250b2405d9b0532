#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Headline figures of one volley run, in ns.
#
#   results/summary.sh DIR          write DIR/summary.txt
#   results/summary.sh --tsv DIR    print id<TAB>value_ns<TAB>label lines
#                                   (what compare.sh puts side by side)
#
# One awk pass over whichever tables exist; a missing table just leaves its
# lines out. Exit 2 when DIR or its meta.csv is missing.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/plot.sh"
# shellcheck disable=SC2034  # read by vol_die in plot.sh
VOL_PROG=summary.sh

tsv=0
if [[ ${1:-} == --tsv ]]; then tsv=1; shift; fi
dir=${1:-${RUN:-}}
[[ -n $dir ]] || vol_die "usage: results/summary.sh [--tsv] RUN_DIR"
vol_load "$dir"

# Files in a fixed order; awk tells them apart by base name.
files=()
for t in ipi_rtt ipi_bcast csd tlb floor errors; do
	[[ -f $dir/$t.csv ]] && files+=("$dir/$t.csv")
done

# metrics: id TAB value TAB label; then "E" lines (errors) and "T" lines
# (ts_dominated counts per table).
metrics() {
	[[ ${#files[@]} -gt 0 ]] || return 0
	awk -v K="$VOL_K" "$VOL_AWK"'
	FNR == 2 { t = FILENAME; sub(/.*\//, "", t); sub(/\.csv$/, "", t); tabs[t] = 1 }
	t != "errors" && col("ts_dominated") == "1" { tsd[t]++ }
	t == "ipi_rtt" {
		w = col("wait"); v = ns("p50"); if (na(w) || v == "NA") next
		if (!(w in ni)) wl[++nw] = w
		I[w, ++ni[w]] = v
	}
	t == "ipi_bcast" {
		m = col("method"); v = ns("p50"); if (na(m) || v == "NA") next
		tg = col("targets") + 0
		if (!(m in bt) || tg > bt[m]) { bt[m] = tg; bv[m] = v }
	}
	t == "csd" {
		x = col("test"); q = col("queue"); kk = col("kick")
		if (x == "sync" && !((q) in sy)) { v = ns("p50"); if (v != "NA") sy[q] = v }
		if (x == "batch") {
			b = col("batch") + 0; v = col("per_call_ns")
			if (na(v)) { v = ns("p50"); if (v != "NA" && b > 0) v = v / b }
			if (v != "NA" && (!((q, kk) in cb) || b > cb[q, kk])) { cb[q, kk] = b; cv[q, kk] = v }
		}
	}
	t == "tlb" {
		if (col("pages") == "1" && col("targets") == "1") { v = ns("p50"); if (v != "NA") tl[col("strategy")] = v }
	}
	t == "floor" {
		x = col("test"); v = ns("p50"); if (na(x) || v == "NA") next
		F[x, ++nf[x]] = v
	}
	t == "errors" { ne++; E[ne] = $0 }
	function out(id, v, label) { if (v != "NA" && v != "") printf "%s\t%.6g\t%s\n", id, v, label }
	END {
		no = split("spin hlt mwait", wo, " ")
		for (i = 1; i <= no; i++) if (wo[i] in ni) wl2[++n2] = wo[i]
		for (i = 1; i <= nw; i++) if (wl[i] != "spin" && wl[i] != "hlt" && wl[i] != "mwait") wl2[++n2] = wl[i]
		for (i = 1; i <= n2; i++) {
			w = wl2[i]; split("", A); for (k = 1; k <= ni[w]; k++) A[k] = I[w, k]
			out("ipi_" w, quant(A, ni[w], 0.5), sprintf("IPI round trip, %s wait (median of %d pairs)", w, ni[w]))
		}
		no = split("shorthand mask logical", mo, " ")
		for (i = 1; i <= no; i++) if (mo[i] in bt)
			out("bcast_" mo[i], bv[mo[i]], sprintf("broadcast, %s, to %d targets: last ack", mo[i], bt[mo[i]]))
		for (m in bt) if (m != "shorthand" && m != "mask" && m != "logical")
			out("bcast_" m, bv[m], sprintf("broadcast, %s, to %d targets: last ack", m, bt[m]))
		split("lock llist", qo, " "); split("empty always", ko, " ")
		for (a = 1; a <= 2; a++) if (qo[a] in sy) out("csd_sync_" qo[a], sy[qo[a]], "csd sync call, " qo[a] " queue")
		for (a = 1; a <= 2; a++) for (b = 1; b <= 2; b++) if ((qo[a], ko[b]) in cb)
			out("csd_batch_" qo[a] "_" ko[b], cv[qo[a], ko[b]], sprintf("csd per call at batch %d, %s queue, kick %s", cb[qo[a], ko[b]], qo[a], ko[b]))
		if ("invlpg" in tl) out("tlb_1p_1t", tl["invlpg"], "TLB shootdown, 1 page, 1 target (invlpg)")
		else for (s in tl) { out("tlb_1p_1t", tl[s], "TLB shootdown, 1 page, 1 target (" s ")"); break }
		no = split("cacheline_rtt rdtsc rdtscp icr_write self_ipi", fo, " ")
		for (i = 1; i <= no; i++) {
			x = fo[i]; if (!(x in nf)) continue
			split("", A); for (k = 1; k <= nf[x]; k++) A[k] = F[x, k]
			out(x, quant(A, nf[x], 0.5), (nf[x] > 1) ? sprintf("%s (median of %d pairs)", x, nf[x]) : x)
		}
		for (i = 1; i <= ne; i++) print "E\t" E[i]
		for (x in tsd) print "T\t" x "\t" tsd[x]
	}' "${files[@]}"
}

if [[ $tsv == 1 ]]; then
	metrics | grep -v '^[ET]	' || true
	exit 0
fi

m=$(metrics)
{
	hz=${META[tsc_hz]:-NA}
	ghz=$(awk -v h="$hz" 'BEGIN { if (h + 0 > 0) printf "%.3f GHz", h / 1e9; else print "unknown" }')
	echo "volley run summary: $dir"
	printf '%-12s %s\n' \
		cpu "${META[cpu_brand]:-?} (${META[cpu_vendor]:-?})" \
		accelerator "$(vol_accel) [hypervisor ${META[hypervisor]:-NA}]" \
		apic "${META[apic_mode]:-?}, $VOL_NCPUS CPUs" \
		tsc "$ghz (source ${META[tsc_source]:-?}, invariant ${META[tsc_invariant]:-?})" \
		firmware "${META[firmware]:-${RENV[firmware]:-?}}" \
		version "${META[version]:-?}" \
		cmdline "${META[cmdline]:-}"
	echo
	echo "headline figures (p50, ns)"
	if grep -qv '^[ET]	' <<<"$m"; then
		grep -v '^[ET]	' <<<"$m" | awk -F'\t' '{ printf "  %-58s %12.0f ns\n", $3, $2 }'
	else
		echo "  (no stats tables in this run)"
	fi
	echo
	ne=$(awk -F'\t' '$1 == "E" { n++ } END { print n + 0 }' <<<"$m")
	if [[ ! -f $dir/errors.csv ]]; then
		echo "errors: no errors.csv"
	elif [[ $ne == 0 ]]; then
		echo "errors: none"
	else
		echo "errors: $ne row(s) (where,cpu,what,waited_us):"
		awk -F'\t' '$1 == "E" { print "  " $2 }' <<<"$m"
	fi
	tsd=$(awk -F'\t' '$1 == "T" { s += $3; l = l (l ? ", " : "") $2 " " $3 } END { if (s) print s " rows (" l ")" }' <<<"$m")
	if [[ -n $tsd ]]; then
		echo "WARNING: ts_dominated=1 in $tsd: rdtsc costs more than 5% of their p50, so those p50s are largely the timestamp; read batch_mean for them."
	fi
	if [[ -f $dir/summary.csv ]] && vol_has "$dir/summary.csv"; then
		echo
		echo "kernel summary table (summary.csv):"
		awk '{ sub(/\r$/, "") } NR > 1 && NF { print "  " $0 }' "$dir/summary.csv"
	fi
} >"$dir/summary.txt"
