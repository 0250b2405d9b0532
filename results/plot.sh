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
# All parsing is awk (one pass per table, columns looked up by header name so
# a reordered or extended table still plots); gnuplot only reads small
# whitespace-separated files. This file doubles as the shell library of
# summary.sh and compare.sh: sourcing it defines the vol_* helpers only.
set -euo pipefail

VOL_RESULTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VOL_DRAWN=0 VOL_FAILED=0 VOL_LIBGD=0

# ---- awk library: prepended to every awk program ---------------------------
# hdr() maps column names of the current file; col() reads one by name, so the
# scripts follow HACKING.md's names rather than positions. rowk() is the
# cycles->ns factor: 1e9/tsc_hz from meta, else this row's p50_ns/p50.
VOL_AWK='
BEGIN { FS = "," }
function hdr(   i, h) {
	split("", C)
	for (i = 1; i <= NF; i++) { h = $i; gsub(/^[ \t"]+|[ \t"]+$/, "", h); C[h] = i }
}
function col(name) { return (name in C) ? $(C[name]) : "NA" }
function na(x) { return x == "" || x == "NA" || x == "nan" || x == "-" }
function rowk(   p, pn) {
	if (K > 0) return K
	p = col("p50"); pn = col("p50_ns")
	return (!na(p) && !na(pn) && p > 0) ? pn / p : 0
}
# a stats column in ns; p50 prefers the kernel'"'"'s own p50_ns
function ns(name,   c, k) {
	if (name == "p50" && !na(col("p50_ns"))) return col("p50_ns") + 0
	c = col(name); k = rowk()
	return (na(c) || k == 0) ? "NA" : c * k
}
# quantile of A[1..n] by nearest rank, as the kernel'"'"'s stats do. Iterative
# quickselect with a three-way partition: linear on average, no recursion (the
# eval stack of mawk is small), and integer ns columns hold many equal values.
# Reorders A; callers that want min and max take them while filling A.
function quant(A, n, p,   k, lo, hi, pv, lt, gt, i, t) {
	if (n < 1) return "NA"
	k = int(p * n + 0.999999); if (k < 1) k = 1; if (k > n) k = n
	lo = 1; hi = n
	while (lo < hi) {
		pv = A[int((lo + hi) / 2)]; lt = lo; gt = hi; i = lo
		while (i <= gt) {
			if (A[i] < pv) { t = A[lt]; A[lt] = A[i]; A[i] = t; lt++; i++ }
			else if (A[i] > pv) { t = A[gt]; A[gt] = A[i]; A[i] = t; gt-- }
			else i++
		}
		if (k < lt) hi = lt - 1
		else if (k > gt) lo = gt + 1
		else return pv
	}
	return A[k]
}
function fmtns(x) {
	if (x == "NA") return "NA"
	if (x >= 1e7) return sprintf("%.0fM", x / 1e6)
	if (x >= 1e5) return sprintf("%.0fk", x / 1e3)
	if (x >= 1e4) return sprintf("%.1fk", x / 1e3)
	return sprintf("%d", x + 0.5)
}
{ sub(/\r$/, "") }
FNR == 1 { hdr(); next }
'

vol_note() { echo "plot: $*"; }
vol_die() { echo "${VOL_PROG:-plot}: $*" >&2; exit 2; }

# gnuplot single-quoted string: only '' needs escaping there.
vol_gq() { local s=${1//\'/\'\'}; printf "'%s'" "$s"; }

# A table is usable when its file exists and has at least one data row.
vol_has() { [[ -f $1 ]] && [[ $(awk 'NR > 1 && NF { n++ } END { print n + 0 }' "$1") -gt 0 ]]; }

# vol_load DIR: META[] from meta.csv, RENV[] from run.env (parsed, never
# sourced: it comes from a run folder someone may have handed us).
vol_load() {
	local dir=$1 k v
	declare -gA META=() RENV=()
	[[ -d $dir ]] || vol_die "no such run folder: $dir"
	[[ -f $dir/meta.csv ]] || vol_die "$dir has no meta.csv: not a volley run folder (split the serial log first: make results LOG=...)"
	while IFS=$'\t' read -r k v; do
		[[ -n $k ]] && META[$k]=$v
	done < <(awk '{ sub(/\r$/, "") } NR == 1 && $0 ~ /^key,/ { next }
		{ i = index($0, ","); if (!i) next
		  k = substr($0, 1, i - 1); v = substr($0, i + 1)
		  # the CSV writer quotes values that hold commas (cmdline)
		  if (v ~ /^".*"$/) { v = substr(v, 2, length(v) - 2); gsub(/""/, "\"", v) }
		  gsub(/\t/, " ", v); print k "\t" v }' "$dir/meta.csv")
	if [[ -f $dir/run.env ]]; then
		while IFS=$'\t' read -r k v; do
			[[ -n $k ]] && RENV[$k]=$v
		done < <(awk '{ sub(/\r$/, "") } /^[ \t]*(#|$)/ { next }
			{ sub(/^[ \t]*(export[ \t]+)?/, ""); i = index($0, "="); if (!i) next
			  k = substr($0, 1, i - 1); v = substr($0, i + 1)
			  if (v ~ /^'"'"'.*'"'"'$/ || v ~ /^".*"$/) v = substr(v, 2, length(v) - 2)
			  print k "\t" v }' "$dir/run.env")
	fi
	VOL_NCPUS=${META[nr_cpus]:-}
	if [[ -z $VOL_NCPUS || $VOL_NCPUS == NA ]] && vol_has "$dir/cpus.csv"; then
		VOL_NCPUS=$(awk 'NR > 1 && NF { n++ } END { print n + 0 }' "$dir/cpus.csv")
	fi
	[[ -n $VOL_NCPUS && $VOL_NCPUS != NA ]] || VOL_NCPUS=${RENV[smp]%%,*}
	[[ -n $VOL_NCPUS ]] || VOL_NCPUS='?'
	# cycles -> ns; 0 means unknown and rowk() falls back to p50_ns/p50
	VOL_K=$(awk -v h="${META[tsc_hz]:-NA}" 'BEGIN { print (h + 0 > 0) ? 1e9 / h : 0 }')
}

# What ran the image, in words; kvm_kind=pvm matters because there every
# exit, rdtsc included, goes through a nested software hypervisor.
vol_accel() {
	local a=${RENV[accel]:-} kind=${RENV[kvm_kind]:-} hv=${META[hypervisor]:-NA}
	if [[ -z $a ]]; then
		case $hv in
		KVMKVMKVM*) a=kvm ;;
		TCGTCGTCGTCG*) a=tcg ;;
		none|'') a=metal ;;
		NA) a=unknown ;;
		*) a=other ;;
		esac
	fi
	case $a in
	kvm) case $kind in
		pvm) echo "KVM on kvm_pvm (nested, software)" ;;
		hw) echo "KVM (hardware-assisted)" ;;
		*) echo "KVM" ;;
		esac ;;
	tcg) echo "TCG (emulated)" ;;
	metal) echo "bare metal" ;;
	other) echo "hypervisor $hv" ;;
	*) echo "$a" ;;
	esac
}

# Short label for one run in compare plots.
vol_label() {
	local a=${RENV[accel]:-} kind=${RENV[kvm_kind]:-} hv=${META[hypervisor]:-NA}
	if [[ -z $a ]]; then
		case $hv in KVMKVMKVM*) a=kvm ;; TCGTCGTCGTCG*) a=tcg ;; none) a=metal ;; *) a=${hv,,} ;; esac
	fi
	[[ $a == kvm && $kind == pvm ]] && a=kvm-pvm
	echo "$a ${META[apic_mode]:-?apic} ${VOL_NCPUS}cpu"
}

# Second title line of every plot.
vol_subtitle() {
	local brand=${META[cpu_brand]:-${META[cpu_vendor]:-unknown CPU}}
	# "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz" -> "Intel Xeon Gold 6248 @ 2.50GHz"
	brand=$(echo "$brand" | sed 's/([RrCc])//g; s/(TM)//g; s/ CPU / /; s/ Processor//' | tr -s ' ' | sed 's/^ //; s/ $//')
	local hv=${META[hypervisor]:-NA}
	local s
	s="$brand | $(vol_accel)"
	# the CPUID signature only when the accelerator name does not already say it
	case ${RENV[accel]:-}:$hv in
	*:none|*:NA|*:|kvm:KVMKVMKVM*|tcg:TCGTCGTCGTCG*|:KVMKVMKVM*|:TCGTCGTCGTCG*) ;;
	*) s+=" [$hv]" ;;
	esac
	echo "$s | ${META[apic_mode]:-apic ?} | $VOL_NCPUS CPUs"
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

# ---- the plots ---------------------------------------------------------------
# Each plot_* function prepares data in $VOL_TMP and calls vol_gp; it returns
# 0 when it drew, 3 when its table is missing (already noted), 1 on failure.

# Common gnuplot assignments: titles come from the run's meta.
plot_vars() {
	printf "subtitle=%s; " "$(vol_gq "$(vol_subtitle)")"
}

# ipi_rtt heat maps (one per wait mode) and IPI/cache-line ratio maps.
plot_ipi_heat() {
	local dir=$1 w n drew=0
	if ! vol_has "$dir/ipi_rtt.csv"; then vol_note "skip ipi_rtt heat maps: no ipi_rtt.csv"; return 3; fi
	local cpus=/dev/null floor=/dev/null
	vol_has "$dir/cpus.csv" && cpus=$dir/cpus.csv
	vol_has "$dir/floor.csv" && floor=$dir/floor.csv
	awk -v K="$VOL_K" -v T="$VOL_TMP" -v CPUS="$cpus" -v FLOOR="$floor" "$VOL_AWK"'
	FILENAME == CPUS { pk[col("cpu") + 0] = col("package") "/" col("node"); next }
	FILENAME == FLOOR {
		if (col("test") != "cacheline_rtt" || na(col("src")) || na(col("dst"))) next
		# ratio in cycles when both sides have them: no ns rounding
		if (!na(col("p50"))) cl[(col("src") + 0) * 4096 + col("dst")] = col("p50") + 0
		next
	}
	{
		w = col("wait"); s = col("src"); d = col("dst")
		if (na(s) || na(d) || na(w)) next
		s += 0; d += 0
		if (!(w in seenw)) { seenw[w] = ++nw; wl[nw] = w }
		v = ns("p50"); if (v == "NA") next
		# integer keys (wait, src, dst): mawk hashes them far faster than
		# SUBSEP strings, which matters at 200 x 200 CPUs x waits. Keys stay
		# below 2^31: larger ones become "%.6g" strings in mawk and collide.
		i = (seenw[w] * 4096 + s) * 4096 + d
		val[i] = v; if (!na(col("p50"))) cyc[i] = col("p50") + 0
		used[s] = 1; used[d] = 1
		if (s > maxc) maxc = s; if (d > maxc) maxc = d
	}
	function heat(kind, w,   i, j, x, y, v, r, n, A, lo, hi, lg, f, pr, lbl, out, gpi, tail, tics, step, wk) {
		out = T "/" kind "_" w ".mat"; lbl = T "/" kind "_" w ".lbl"; gpi = T "/" kind "_" w ".gpi"
		n = 0; pb = 0; wk = seenw[w] * 4096
		for (y = 0; y < N; y++) for (x = 0; x < N; x++) {
			v = "NaN"; i = (wk + id[x]) * 4096 + id[y]
			if (kind == "heat" && (i in val)) v = val[i]
			if (kind == "ratio" && (i in cyc)) {
				# a pair measured one way only stands for both directions
				j = id[x] * 4096 + id[y]; r = (j in cl) ? cl[j] : 0
				if (!r) { j = id[y] * 4096 + id[x]; r = (j in cl) ? cl[j] : 0 }
				if (r > 0) v = cyc[i] / r
			}
			M[x, y] = v
			if (v != "NaN") {
				A[++n] = v + 0
				if (n == 1 || v + 0 < lo) lo = v + 0
				if (n == 1 || v + 0 > hi) hi = v + 0
			}
		}
		if (n == 0) return 0
		med = quant(A, n, 0.5)
		# a colour scale at least +-12% wide: a 1% spread must not look like 2x
		if (hi < lo * 1.25) { f = sqrt(lo * hi); lo = f / 1.12; hi = f * 1.12 }
		lg = (hi / lo > 20) ? 1 : 0
		for (y = 0; y < N; y++) {
			tail = ""
			for (x = 0; x < N; x++) tail = tail (x ? " " : "") M[x, y]
			print tail > out
		}
		close(out)
		# per-cell numbers only while the cells are big enough to hold them
		if (N <= 12) {
			for (y = 0; y < N; y++) for (x = 0; x < N; x++) {
				if (M[x, y] == "NaN") continue
				v = M[x, y] + 0
				f = lg ? log(v / lo) / log(hi / lo) : (v - lo) / (hi - lo)
				printf "%d %d \"%s\" %d\n", x, y, (kind == "ratio" ? sprintf("%.1f", v) : fmtns(v)), (f < 0.6 ? 16777215 : 0) > lbl
			}
			close(lbl)
		}
		# tics: every CPU up to 24, then a power-of-two step (<= 20 labels)
		step = 1; while (N / step > 24 && step < 1024) step *= 2
		tics = ""
		for (i = 0; i < N; i += step) tics = tics (tics == "" ? "" : ", ") "\"" id[i] "\" " i
		printf "N = %d; npairs = %d; median = %.6g; cblo = %.6g; cbhi = %.6g; cblog = %d; haslbl = %d\n", N, n, med, lo, hi, lg, (N <= 12) > gpi
		printf "set xtics (%s) out nomirror\nset ytics (%s) out nomirror\n", tics, tics > gpi
		# package / node boundaries along the (sorted) CPU axis
		for (i = 1; i < N; i++)
			if ((id[i] in pk) && (id[i - 1] in pk) && pk[id[i]] != pk[id[i - 1]]) {
				printf "set arrow from %g, graph 0 to %g, graph 1 nohead front lc rgb \"#ffffff\" lw 1.5 dt 2\n", i - 0.5, i - 0.5 > gpi
				printf "set arrow from graph 0, first %g to graph 1, first %g nohead front lc rgb \"#ffffff\" lw 1.5 dt 2\n", i - 0.5, i - 0.5 > gpi
				pb = 1
			}
		printf "haspkg = %d\n", pb > gpi
		close(gpi)
		return 1
	}
	END {
		# dense index over the CPUs that appear, in CPU order (cpus= may skip some)
		N = 0
		for (c = 0; c <= maxc; c++) if (c in used) id[N++] = c
		for (i = 1; i <= nw; i++) {
			if (heat("heat", wl[i])) print "heat " wl[i]
			if (heat("ratio", wl[i])) print "ratio " wl[i]
		}
	}' "$cpus" "$floor" "$dir/ipi_rtt.csv" >"$VOL_TMP/heat.list"
	while read -r kind w; do
		n=ipi_rtt_heatmap_$w
		[[ $kind == ratio ]] && n=ipi_rtt_ratio_$w
		vol_gp "$dir" "$n" ipi_heat.gp 960 900 "$(plot_vars) kind='$kind'; wmode=$(vol_gq "$w"); \
			mat='$VOL_TMP/${kind}_$w.mat'; lbl='$VOL_TMP/${kind}_$w.lbl'; load '$VOL_TMP/${kind}_$w.gpi'" && drew=1
	done <"$VOL_TMP/heat.list"
	grep -q '^ratio' "$VOL_TMP/heat.list" || vol_note "skip ipi_rtt ratio maps: no cacheline_rtt rows in floor.csv"
	[[ $drew == 1 ]] || return 1
}

# ipi_rtt distribution per wait mode, grouped by CPU relation.
plot_ipi_dist() {
	local dir=$1 w drew=0
	if ! vol_has "$dir/ipi_rtt.csv"; then vol_note "skip ipi_rtt distributions: no ipi_rtt.csv"; return 3; fi
	awk -v K="$VOL_K" -v T="$VOL_TMP" "$VOL_AWK"'
	BEGIN { split("min p50 p90 p99 max", st, " ") }
	{
		w = col("wait"); r = col("relation"); if (na(w)) next
		if (na(r)) r = "unknown"
		if (!(w in seenw)) { seenw[w] = 1; wl[++nw] = w }
		if (!((w, r) in gi)) { gi[w, r] = ++ng; cnt[w, r] = 0 }
		k = ++cnt[w, r]
		# integer keys (group, stat, row): far faster than SUBSEP strings in mawk
		b = gi[w, r] * 8 * 1048576 + k     # < 2^31 up to 255 groups
		for (s = 1; s <= 5; s++) P[b + s * 1048576] = ns(st[s])
	}
	END {
		nr = split("self smt core package node unknown", rl, " ")
		for (i = 1; i <= nw; i++) {
			w = wl[i]; f = T "/dist_" w ".dat"; d = T "/dist_" w ".dots"; x = 0; tics = ""; lo = 0; hi = 0
			for (j = 1; j <= nr; j++) {
				r = rl[j]; if (!((w, r) in cnt)) continue
				n = cnt[w, r]; line = sprintf("%d %s", x, r)
				for (s = 1; s <= 5; s++) {
					m = 0; split("", A); b = (gi[w, r] * 8 + s) * 1048576
					for (k = 1; k <= n; k++) if (P[b + k] != "NA") {
						A[++m] = P[b + k] + 0
						if (lo == 0 || A[m] < lo) lo = A[m]
						if (A[m] > hi) hi = A[m]
					}
					q = (m ? quant(A, m, 0.5) : "NaN")
					line = line " " q
				}
				print line, n > f
				# every pair as a dot (at most ~1500 per relation, evenly picked)
				stepk = (n > 1500) ? n / 1500 : 1; b = (gi[w, r] * 8 + 2) * 1048576
				for (kk = 1; kk <= n; kk += stepk) {
					k = int(kk); if (P[b + k] == "NA") continue
					printf "%.4f %s\n", x - 0.3 + 0.6 * ((k * 0.618034) % 1), P[b + k] > d
				}
				tics = tics (tics == "" ? "" : ", ") sprintf("\"%s\\n%d pairs\" %d", r, n, x)
				x++
			}
			close(f); close(d)
			if (x) {
				printf "ngroups = %d; ylo = %.6g; yhi = %.6g\nset xtics (%s)\n", x, lo, hi, tics > (T "/dist_" w ".gpi")
				close(T "/dist_" w ".gpi")
				print w
			}
		}
	}' "$dir/ipi_rtt.csv" >"$VOL_TMP/dist.list"
	while read -r w; do
		vol_gp "$dir" "ipi_rtt_dist_$w" ipi_dist.gp 900 600 "$(plot_vars) wmode=$(vol_gq "$w"); \
			dat='$VOL_TMP/dist_$w.dat'; dots='$VOL_TMP/dist_$w.dots'; load '$VOL_TMP/dist_$w.gpi'" && drew=1
	done <"$VOL_TMP/dist.list"
	[[ $drew == 1 ]] || return 1
}

# Broadcast: last ack vs targets, one line per method.
plot_bcast() {
	local dir=$1
	if ! vol_has "$dir/ipi_bcast.csv"; then vol_note "skip ipi_bcast: no ipi_bcast.csv"; return 3; fi
	awk -v K="$VOL_K" -v T="$VOL_TMP" "$VOL_AWK"'
	{
		m = col("method"); t = col("targets"); v = ns("p50")
		if (na(m) || na(t) || v == "NA") next
		if (!(m in seen)) { seen[m] = 1; ml[++nm] = m }
		cnt[m]++; X[m, cnt[m]] = t + 0; Y[m, cnt[m]] = v; Z[m, cnt[m]] = ns("p90")
		if (xmax == "" || t + 0 > xmax) xmax = t + 0
		if (xmin == "" || t + 0 < xmin) xmin = t + 0
	}
	END {
		# fixed method order so colours mean the same thing in every run
		no = split("shorthand mask logical", ord, " "); k = 0
		for (i = 1; i <= no; i++) if (ord[i] in seen) mo[++k] = ord[i]
		for (i = 1; i <= nm; i++) if (ml[i] != "shorthand" && ml[i] != "mask" && ml[i] != "logical") mo[++k] = ml[i]
		names = ""
		for (i = 1; i <= k; i++) {
			m = mo[i]; n = cnt[m]
			# sort by targets (insertion: a handful of rows)
			for (a = 2; a <= n; a++) for (b = a; b > 1 && X[m, b - 1] > X[m, b]; b--) {
				t = X[m, b]; X[m, b] = X[m, b - 1]; X[m, b - 1] = t
				t = Y[m, b]; Y[m, b] = Y[m, b - 1]; Y[m, b - 1] = t
				t = Z[m, b]; Z[m, b] = Z[m, b - 1]; Z[m, b - 1] = t
			}
			for (a = 1; a <= n; a++) print X[m, a], Y[m, a], (Z[m, a] == "NA" ? Y[m, a] : Z[m, a]) > (T "/bcast.dat")
			print "\n" > (T "/bcast.dat")
			names = names (i > 1 ? " " : "") m
		}
		if (k) printf "nmeth = %d; methods = \"%s\"; xmin = %g; xmax = %g\n", k, names, xmin, xmax > (T "/bcast.gpi")
	}' "$dir/ipi_bcast.csv"
	if [[ ! -s $VOL_TMP/bcast.gpi ]]; then vol_note "skip ipi_bcast: no usable rows"; return 3; fi
	vol_gp "$dir" ipi_bcast bcast.gp 900 600 "$(plot_vars) dat='$VOL_TMP/bcast.dat'; load '$VOL_TMP/bcast.gpi'"
}

# csd: per-call cost and IPIs per batch vs batch size, and the single-shot bars.
plot_csd() {
	local dir=$1 drew=0
	if ! vol_has "$dir/csd.csv"; then vol_note "skip csd: no csd.csv"; return 3; fi
	awk -v K="$VOL_K" -v T="$VOL_TMP" "$VOL_AWK"'
	function percall(   v) {
		v = col("per_call_ns"); if (!na(v)) return v + 0
		v = ns("p50"); if (v == "NA") return "NA"
		return na(col("batch")) || col("batch") + 0 < 1 ? v : v / col("batch")
	}
	{
		t = col("test"); q = col("queue"); kk = col("kick"); if (na(t)) next
		v = percall(); if (v == "NA") next
		if (t == "batch") {
			key = q " " kk
			if (!(key in seen)) { seen[key] = 1 }
			n = ++cnt[key]; B[key, n] = col("batch") + 0; V[key, n] = v; I[key, n] = col("ipis_per_batch")
			if (bmax == "" || B[key, n] > bmax) bmax = B[key, n]
			if (bmin == "" || B[key, n] < bmin) bmin = B[key, n]
			next
		}
		# bars: one group per test (+kick, +senders when they vary), one bar per queue
		g = t
		if (kk != "empty" && !na(kk)) g = g " kick=" kk
		if (t == "many" && !na(col("senders"))) g = g " " col("senders") "→1"
		if (t == "each") g = g (na(col("senders")) ? "" : " →" col("senders"))
		if (!(g in gseen)) { gseen[g] = 1; gl[++ng] = g; gs[g] = (t == "sync" ? 1 : t == "each" ? 2 : 3) * 100000 + col("senders") }
		if (!(q in qseen)) { qseen[q] = 1 }
		bar[g, q] = v
	}
	END {
		# lines in a fixed order: queue sets the colour, kick the dash
		nk = 0; legend = ""
		split("lock llist", qo, " "); split("empty always", ko, " ")
		for (a = 1; a <= 2; a++) for (b = 1; b <= 2; b++) {
			key = qo[a] " " ko[b]; if (!(key in cnt)) continue
			n = cnt[key]
			for (i = 2; i <= n; i++) for (j = i; j > 1 && B[key, j - 1] > B[key, j]; j--) {
				t = B[key, j]; B[key, j] = B[key, j - 1]; B[key, j - 1] = t
				t = V[key, j]; V[key, j] = V[key, j - 1]; V[key, j - 1] = t
				t = I[key, j]; I[key, j] = I[key, j - 1]; I[key, j - 1] = t
			}
			for (i = 1; i <= n; i++) print B[key, i], V[key, i], (na(I[key, i]) ? "NaN" : I[key, i]) > (T "/csd_batch.dat")
			print "\n" > (T "/csd_batch.dat")
			nk++; legend = legend (nk > 1 ? " " : "") qo[a] ":" ko[b]
		}
		if (nk) printf "nline = %d; lines = \"%s\"; bmin = %g; bmax = %g\n", nk, legend, bmin, bmax > (T "/csd_batch.gpi")
		# groups sorted: sync, each, then many by senders
		for (i = 2; i <= ng; i++) for (j = i; j > 1 && gs[gl[j - 1]] > gs[gl[j]]; j--) { t = gl[j]; gl[j] = gl[j - 1]; gl[j - 1] = t }
		nq = 0; split("lock llist", qo2, " ")
		for (a = 1; a <= 2; a++) if (qo2[a] in qseen) ql[++nq] = qo2[a]
		for (q in qseen) if (q != "lock" && q != "llist") ql[++nq] = q
		if (ng) {
			tics = ""; lo = 0; hi = 0
			for (i = 1; i <= ng; i++) {
				for (a = 1; a <= nq; a++) {
					x = i - 1 + (a - (nq + 1) / 2) * (0.8 / nq)
					v = ((gl[i], ql[a]) in bar) ? bar[gl[i], ql[a]] : "NaN"
					printf "%.4f %s \"%s\"\n", x, v, (v == "NaN" ? "" : fmtns(v)) > (T "/csd_bars_" a ".dat")
					if (v != "NaN") { if (lo == 0 || v < lo) lo = v; if (v > hi) hi = v }
				}
				tics = tics (i > 1 ? ", " : "") sprintf("\"%s\" %d", gl[i], i - 1)
			}
			qn = ""; for (a = 1; a <= nq; a++) qn = qn (a > 1 ? " " : "") ql[a]
			printf "ngroups = %d; nq = %d; queues = \"%s\"; ylo = %.6g; yhi = %.6g; bw = %.4f\nset xtics (%s)\n", ng, nq, qn, lo, hi, 0.8 / nq, tics > (T "/csd_bars.gpi")
		}
	}' "$dir/csd.csv"
	if [[ -s $VOL_TMP/csd_batch.gpi ]]; then
		vol_gp "$dir" csd_batch csd_batch.gp 900 600 "$(plot_vars) what='percall'; dat='$VOL_TMP/csd_batch.dat'; load '$VOL_TMP/csd_batch.gpi'" && drew=1
		vol_gp "$dir" csd_ipis csd_batch.gp 900 600 "$(plot_vars) what='ipis'; dat='$VOL_TMP/csd_batch.dat'; load '$VOL_TMP/csd_batch.gpi'" && drew=1
	else
		vol_note "skip csd_batch, csd_ipis: no test=batch rows in csd.csv"
	fi
	if [[ -s $VOL_TMP/csd_bars.gpi ]]; then
		vol_gp "$dir" csd_bars csd_bars.gp 1000 600 "$(plot_vars) datp='$VOL_TMP/csd_bars_'; load '$VOL_TMP/csd_bars.gpi'" && drew=1
	else
		vol_note "skip csd_bars: no sync/many/each rows in csd.csv"
	fi
	[[ $drew == 1 ]] || return 1
}

# TLB shootdown: p50 vs pages, a line per target count, invlpg vs full.
plot_tlb() {
	local dir=$1 ceil=/dev/null
	if ! vol_has "$dir/tlb.csv"; then vol_note "skip tlb: no tlb.csv"; return 3; fi
	vol_has "$dir/tlb_ceiling.csv" && ceil=$dir/tlb_ceiling.csv
	awk -v K="$VOL_K" -v T="$VOL_TMP" -v CEIL="$ceil" "$VOL_AWK"'
	FILENAME == CEIL { if (!na(col("targets"))) { cp[col("targets") + 0] = col("ceiling_pages"); hasceil = 1 } next }
	{
		s = col("strategy"); p = col("pages"); t = col("targets"); v = ns("p50")
		if (na(s) || na(p) || na(t) || v == "NA") next
		p += 0; t += 0
		tset[t] = 1; sset[s] = 1; V[s, t, p] = v; pset[p] = 1
		if (col("verify") == "fail") print p, v > (T "/tlb_fail.dat")
		if (t > tmax) tmax = t
	}
	END {
		# target counts and page counts in order (integers: scan, no sort needed
		# beyond the largest value, which is small)
		nt = 0; for (t = 0; t <= tmax; t++) if (t in tset) tl[++nt] = t
		np = 0; for (p in pset) pl[++np] = p + 0
		for (i = 2; i <= np; i++) for (j = i; j > 1 && pl[j - 1] > pl[j]; j--) { x = pl[j]; pl[j] = pl[j - 1]; pl[j - 1] = x }
		no = split("invlpg full invpcid invlpgb", so, " "); ns_ = 0; snames = ""
		for (i = 1; i <= no; i++) if (so[i] in sset) { sl[++ns_] = so[i]; snames = snames (ns_ > 1 ? " " : "") so[i] }
		# one block per (strategy, targets): index = (s-1)*nt + (t-1)
		for (a = 1; a <= ns_; a++) for (i = 1; i <= nt; i++) {
			for (j = 1; j <= np; j++) if ((sl[a], tl[i], pl[j]) in V) print pl[j], V[sl[a], tl[i], pl[j]] > (T "/tlb.dat")
			print "\n" > (T "/tlb.dat")
		}
		# crossover: the kernel'"'"'s tlb_ceiling, else the same rule on our data
		for (i = 1; i <= nt; i++) {
			t = tl[i]; c = "NA"
			if (hasceil) { if (t in cp) c = cp[t] }
			else if (("invlpg" in sset) && ("full" in sset))
				for (j = 1; j <= np; j++)
					if (((("full", t, pl[j]) in V) && (("invlpg", t, pl[j]) in V)) && V["full", t, pl[j]] < V["invlpg", t, pl[j]]) { c = pl[j]; break }
			if (na(c)) continue
			y = (("invlpg", t, c + 0) in V) ? V["invlpg", t, c + 0] : (("full", t, c + 0) in V ? V["full", t, c + 0] : "")
			if (y != "") { printf "%g %g %d\n", c, y, i - 1 > (T "/tlb_ceil.dat"); nc++ }
		}
		tn = ""; for (i = 1; i <= nt; i++) tn = tn (i > 1 ? " " : "") tl[i]
		printf "nt = %d; nstrat = %d; strats = \"%s\"; targets = \"%s\"; pmin = %g; pmax = %g; nceil = %d\n", nt, ns_, snames, tn, pl[1], pl[np], nc > (T "/tlb.gpi")
	}' "$ceil" "$dir/tlb.csv"
	# gnuplot cannot choose a file in an expression: give it files that
	# exist, a NaN row standing for "none"
	local fail=1
	[[ -s $VOL_TMP/tlb_ceil.dat ]] || echo 'NaN NaN 0' >"$VOL_TMP/tlb_ceil.dat"
	[[ -s $VOL_TMP/tlb_fail.dat ]] || { echo 'NaN NaN' >"$VOL_TMP/tlb_fail.dat"; fail=0; }
	vol_gp "$dir" tlb tlb.gp 1000 650 "$(plot_vars) dat='$VOL_TMP/tlb.dat'; ceil='$VOL_TMP/tlb_ceil.dat'; \
		fail='$VOL_TMP/tlb_fail.dat'; hasfail=$fail; load '$VOL_TMP/tlb.gpi'"
}

# The floor: what every cross-CPU operation stands on.
plot_floor() {
	local dir=$1
	if ! vol_has "$dir/floor.csv"; then vol_note "skip floor: no floor.csv"; return 3; fi
	awk -v K="$VOL_K" -v T="$VOL_TMP" "$VOL_AWK"'
	{
		t = col("test"); v = ns("p50"); if (na(t) || v == "NA") next
		n = ++cnt[t]; A[t, n] = v + 0
	}
	END {
		no = split("cacheline_rtt rdtsc rdtscp icr_write self_ipi", o, " "); x = 0; tics = ""
		for (i = 1; i <= no; i++) {
			t = o[i]; if (!(t in cnt)) continue
			n = cnt[t]; split("", B); mn = mx = A[t, 1]
			for (k = 1; k <= n; k++) { B[k] = A[t, k]; if (B[k] < mn) mn = B[k]; if (B[k] > mx) mx = B[k] }
			med = quant(B, n, 0.5)
			lab = (n > 1) ? sprintf("%s\\n(median of %d pairs)", t, n) : t
			printf "%d %g %g %g \"%s\"\n", x, med, mn, mx, fmtns(med) " ns" > (T "/floor.dat")
			tics = tics (x ? ", " : "") sprintf("\"%s\" %d", lab, x)
			if (lo == "" || mn < lo) lo = mn; if (hi == "" || mx > hi) hi = mx
			x++
		}
		if (x) printf "nbars = %d; ylo = %g; yhi = %g\nset xtics (%s)\n", x, lo, hi, tics > (T "/floor.gpi")
	}' "$dir/floor.csv"
	if [[ ! -s $VOL_TMP/floor.gpi ]]; then vol_note "skip floor: no known tests in floor.csv"; return 3; fi
	vol_gp "$dir" floor floor.gp 900 600 "$(plot_vars) dat='$VOL_TMP/floor.dat'; load '$VOL_TMP/floor.gpi'"
}

plot_main() {
	VOL_PROG=plot.sh
	local dir=${1:-${RUN:-}} p rc drew=0 failed=0
	[[ -n $dir ]] || vol_die "usage: results/plot.sh RUN_DIR (or RUN=dir); no run folder given"
	vol_load "$dir"
	command -v gnuplot >/dev/null || vol_die "gnuplot not found (apt-get install gnuplot-nox)"
	VOL_DRAWN=0 VOL_FAILED=0
	VOL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/volley-plot.XXXXXX")
	trap 'rm -rf "$VOL_TMP"' EXIT
	vol_terms
	# a redraw must not leave last time's plot of a table that is gone now
	rm -f "$dir"/ipi_rtt_heatmap_*.{png,svg} "$dir"/ipi_rtt_ratio_*.{png,svg} \
		"$dir"/ipi_rtt_dist_*.{png,svg} "$dir"/{ipi_bcast,csd_batch,csd_ipis,csd_bars,tlb,floor}.{png,svg}
	for p in plot_ipi_heat plot_ipi_dist plot_bcast plot_csd plot_tlb plot_floor; do
		rc=0; "$p" "$dir" || rc=$?
		case $rc in 0) drew=1 ;; 3) ;; *) failed=1 ;; esac
	done
	"$VOL_RESULTS/summary.sh" "$dir" || echo "plot: summary.sh failed" >&2
	if [[ $drew == 0 ]]; then
		echo "plot: nothing could be drawn in $dir" >&2
		exit 1
	fi
	echo "plot: $VOL_DRAWN plots (PNG+SVG) in $dir$([[ $failed == 1 ]] && echo "; $VOL_FAILED failed, see above")"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	plot_main "$@"
fi
