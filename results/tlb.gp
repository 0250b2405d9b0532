# SPDX-License-Identifier: MIT
# TLB shootdown: p50 vs pages changed, a line per target count (colour), one
# dash per strategy (invlpg solid, full dashed, ...), the crossover where a
# full flush gets cheaper (tlb_ceiling) circled. plot.sh passes dat (blocks
# per strategy x target count: pages p50_ns), ceil (pages p50 target-index),
# fail (pages p50 of verify=fail rows), hasfail, nt, nstrat, strats,
# targets, pmin, pmax, nceil.
load gpdir . '/common.gp'
tt = 'TLB shootdown: change PTEs, flush, IPI the targets, wait for all'; @TITLE
set logscale x 2
set xtics 2        # every power of two
set logscale y
set format x '%g'
stats dat using 2 nooutput
set yrange [STATS_min / 1.3 : STATS_max * 1.3]
eval logtics('y', STATS_min, STATS_max)
set xrange [pmin / 1.5 : pmax * 1.5]
set xlabel 'pages changed (log2 scale)'
set ylabel 'p50 (ns, log scale)'
set key outside right top vertical
set palette defined (0 '#08519c', 0.4 '#6a51a3', 0.75 '#cb181d', 1 '#f16913')
unset colorbox
fr(i) = nt > 1 ? (i - 1.0) / (nt - 1) : 0
tname(i) = word(targets, i) . (word(targets, i) eq '1' ? ' target' : ' targets')
plot for [s = 1 : nstrat] for [i = 1 : nt] dat index ((s - 1) * nt + i - 1) using 1:2 \
         with linespoints lw (s == 1 ? 2 : 1.5) dt s pt 7 ps 0.5 lc palette frac fr(i) \
         title (s == 1 ? tname(i) : ''), \
     for [s = 1 : nstrat] NaN with lines lw 2 dt s lc rgb '#000000' title (word(strats, s) eq 'full' ? 'full flush' : word(strats, s)), \
     ceil using 1:2 with points pt 6 ps 2.2 lw 2 lc rgb '#000000' \
         title (nceil > 0 ? 'tlb_ceiling: full < invlpg' : ''), \
     fail using 1:2 with points pt 2 ps 2 lw 2 lc rgb '#ff0000' title (hasfail ? 'verify=fail' : '')
