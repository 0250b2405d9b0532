# SPDX-License-Identifier: MIT
# One measure of several runs overlaid: colour = run, dash = variant (method,
# queue:kick). compare.sh passes dat (nb blocks: x y_ns), nb, titles (quoted,
# one per block), runidx and keyidx (one number per block), tt, xl, yl, logy.
load gpdir . '/common.gp'
@TITLE
set logscale x 2
set xtics 2        # every power of two
set format x '%g'
set xlabel xl
set ylabel yl
stats dat using 1 nooutput
set xrange [STATS_min / 1.4 : STATS_max * 1.4]
stats dat using 2 nooutput
if (logy) {
	set logscale y
	set yrange [STATS_min / 1.5 : STATS_max * 1.5]
	eval logtics('y', STATS_min / 1.5, STATS_max * 1.5)
}
set key outside right top samplen 4
plot for [b = 1 : nb] dat index (b - 1) using 1:2 with linespoints lw 2 pt 7 ps 0.7 \
     lc rgb C[(word(runidx, b) + 0 - 1) % 8 + 1] dashtype 0 + word(keyidx, b) title word(titles, b)
