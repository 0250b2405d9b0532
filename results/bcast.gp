# SPDX-License-Identifier: MIT
# Broadcast IPI: time until the last target acked vs number of targets, one
# line per method. plot.sh passes dat (blocks per method: targets p50 p90,
# ns), nmeth, methods, xmin, xmax.
load gpdir . '/common.gp'
tt = 'Broadcast IPI: time until the last target acked'; @TITLE
set logscale x 2
set xtics 2        # every power of two
set format x '%g'
set xrange [xmin / 1.5 : xmax * 1.5]
# log y: from one target to hundreds, and across hypervisors, decades apart
set logscale y
stats dat using 3 nooutput
ymax = STATS_max
stats dat using 2 nooutput
set yrange [STATS_min / 1.3 : ymax * 1.3]
eval logtics('y', STATS_min, ymax)
set xlabel 'targets (log2 scale)'
set ylabel 'last ack, p50 (ns, log scale)'
set key top left
set label 1 'line: p50; bar: up to p90' at graph 0.99, graph 0.03 right font ',9' tc rgb '#555555'
plot for [i = 1 : nmeth] dat index (i - 1) using 1:2:2:3 with yerrorlines lw 2 pt (word("7 5 9 11 13", (i - 1) % 5 + 1) + 0) ps 1.1 \
     lc rgb C[(i - 1) % 8 + 1] title word(methods, i)
