# SPDX-License-Identifier: MIT
# The floor under every cross-CPU operation. plot.sh passes dat (x p50 lo hi
# label: for cacheline_rtt the median over pairs and the range over pairs),
# nbars, ylo, yhi, xtics.
load gpdir . '/common.gp'
tt = 'Floor: cache-line round trip, timestamp cost, ICR write, self-IPI (p50)'; @TITLE
set style fill solid 0.85 noborder
unset key
set bmargin 4
set boxwidth 0.6
set xrange [-0.6 : nbars - 0.4]
set logscale y
set yrange [ylo / 3 : yhi * 6]
eval logtics('y', ylo / 3, yhi * 6)
set grid noxtics ytics mytics
set ylabel 'p50 (ns, log scale)'
set label 1 'whisker: range over pairs' at graph 0.99, graph 0.97 right font ',9' tc rgb '#555555'
plot dat using 1:2 with boxes lc rgb C[1], \
     dat using 1:3:(0):($4 - $3) with vectors nohead lw 1.5 lc rgb '#333333', \
     dat using 1:($4 > $2 ? $4 : $2):5 with labels offset 0, 1 font ',9'
