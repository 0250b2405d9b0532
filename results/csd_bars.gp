# SPDX-License-Identifier: MIT
# csd call queues, single calls: sync, each (one caller, every other CPU) and
# many-to-one (N senders -> 1), lock vs llist. plot.sh passes datp (prefix of
# one file per queue: x value label), ngroups, nq, queues, ylo, yhi, bw, xtics.
load gpdir . '/common.gp'
tt = 'csd queue: cost per call, lock vs llist'; @TITLE
set style fill solid 0.85 noborder
set boxwidth bw * 0.92 absolute
set xrange [-0.6 : ngroups - 0.4]
set grid noxtics ytics
set ylabel 'p50 per call (ns)'
set xlabel 'sync: one call, wait for it  |  each: one caller -> every other CPU  |  many: N senders -> one target'
if (yhi / ylo > 20) {
	set logscale y
	set yrange [ylo / 2 : yhi * 4]
	eval logtics('y', ylo / 2, yhi * 4)
	set ylabel 'p50 per call (ns, log scale)'
} else {
	set yrange [0 : yhi * 1.18]
}
if (ngroups > 6) { set xtics rotate by -30 left font ',9' }
set key top left
# value labels: upright while there is room, else vertical from the bar top
if (ngroups * nq > 12) {
	plot for [a = 1 : nq] datp . a . '.dat' using 1:2 with boxes lc rgb C[a] title word(queues, a), \
	     for [a = 1 : nq] datp . a . '.dat' using 1:2:3 with labels rotate by 90 left offset 0, 0.4 font ',8'
} else {
	plot for [a = 1 : nq] datp . a . '.dat' using 1:2 with boxes lc rgb C[a] title word(queues, a), \
	     for [a = 1 : nq] datp . a . '.dat' using 1:2:3 with labels center offset 0, 0.7 font ',9'
}
