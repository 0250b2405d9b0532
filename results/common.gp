# SPDX-License-Identifier: MIT
# Shared look of every volley plot. plot.sh has already chosen the terminal and
# output; it passes `subtitle` (CPU | accelerator | apic mode | CPUs).
set termoption noenhanced      # table and column names are full of underscores
set encoding utf8
set datafile missing "NA"      # HACKING.md: NA marks unknown values
set border 3 lw 1 lc rgb '#444444'
set tics nomirror out scale 0.6
set grid lc rgb '#e0e0e0' lw 1 dt 1
set key noautotitle
# not opaque: an opaque key would silently hide data points under it
set key noopaque box lc rgb '#bbbbbb' samplen 2.5 spacing 1.1
set mxtics default
# Two title lines, what is plotted (tt) then where it was measured, centred
# on the canvas rather than on the plot area, so a key or colour box beside
# the plot cannot push them off the edge. Use: tt = '...'; @TITLE
TITLE = "set label 101 tt at screen 0.5, screen 0.975 center font ',12' front; set label 102 subtitle at screen 0.5, screen 0.935 center font ',10' tc rgb '#333333' front; set tmargin 5"
set key reverse Left
# Colour-blind safe line colours (Okabe-Ito, black last).
array C[8] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000']
# Log axes: gnuplot labels only the decades, too few when the data span one
# decade or less. logtics('y', lo, hi) labels 1, 2, 5 of every decade (only
# the decades over a range wider than 10^4), as plain numbers: eval it after
# set logscale.
fmtt(x) = x >= 1 ? sprintf('%.0f', x) : sprintf('%g', x)
logtics(ax, lo, hi) = sprintf("set format %s ''; do for [e = %d : %d] { do for [i = 1 : %d] { v = (i == 1 ? 1 : i == 2 ? 2 : 5) * 10.0**e; set %stics add (fmtt(v) v) } }", ax, floor(log10(lo)), ceil(log10(hi)), (hi / lo > 1e4 ? 1 : 3), ax)
