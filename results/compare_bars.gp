# SPDX-License-Identifier: MIT
# Headline figures of several runs: a group per metric, a bar per run, log y
# (the figures span orders of magnitude: rdtsc vs a broadcast under TCG).
# compare.sh passes datp (prefix of one file per run: x value), nruns,
# labels (quoted run labels), ngroups, ylo, yhi, bw, xtics.
load gpdir . '/common.gp'
tt = 'Headline figures, p50 (ns)'; @TITLE
set style fill solid 0.85 noborder
set boxwidth bw * 0.92 absolute
set xrange [-0.6 : ngroups - 0.4]
set logscale y
set yrange [ylo / 2 : yhi * 3]
eval logtics('y', ylo / 2, yhi * 3)
set grid noxtics ytics
set ylabel 'p50 (ns, log scale)'
set xtics font ',9'
set bmargin 5
set key horizontal center top at screen 0.5, screen 0.895   # under the two title lines
set tmargin 7
plot for [r = 0 : nruns - 1] datp . r using 1:2 with boxes lc rgb C[r % 8 + 1] title word(labels, r + 1)
