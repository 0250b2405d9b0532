# SPDX-License-Identifier: MIT
# IPI round-trip distribution for one wait mode, grouped by how close the two
# CPUs are. plot.sh passes dat (x relation min p50 p90 p99 max pairs, each the
# median over the pairs of that relation, ns), dots (x, p50 of one pair),
# wmode, ngroups, ylo, yhi and xtics.
load gpdir . '/common.gp'
tt = sprintf('IPI round trip by CPU relation, %s wait', wmode); @TITLE
set logscale y
# keep boxes a sensible width when there are only one or two relations
set xrange [-0.6 - (ngroups < 3 ? 1 : 0) : ngroups - 0.4 + (ngroups < 3 ? 1 : 0)]
set yrange [ylo / 1.6 : yhi * 2.5]
eval logtics('y', ylo / 1.6, yhi * 2.5)
set ylabel 'round trip (ns, log scale)'
set xlabel 'relation of source and destination (closest level they share)' offset 0, -0.8
set grid noxtics ytics mytics
set boxwidth 0.5
set key top left
# dots last: they are the data, the boxes only summarise them
plot dat using 1:4:3:6:5 with candlesticks whiskerbars 0.6 fs solid 0.3 lw 1.5 lc rgb C[1] \
         title 'box p50..p90, whiskers min..p99 (medians over pairs)', \
     dat using 1:4:4:4:4 with candlesticks lw 3 lc rgb C[1], \
     dat using 1:7 with points pt 9 ps 1.3 lc rgb C[2] title 'max (median over pairs)', \
     dots using 1:2 with points pt 7 ps 0.35 lc rgb '#a0404040' title 'p50 of each pair'
