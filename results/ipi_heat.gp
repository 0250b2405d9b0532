# SPDX-License-Identifier: MIT
# IPI round-trip heat map over ordered CPU pairs (kind='heat'), or the ratio
# IPI RTT p50 / cache-line RTT p50 per pair (kind='ratio'). plot.sh passes:
# mat (NxN matrix, row = destination, column = source, NaN = not measured),
# lbl (per-cell labels, only for small N), wmode, and the .gpi settings:
# N, npairs, median, cblo, cbhi, cblog, haslbl, haspkg, xtics/ytics, and
# when they apply hasl3 (shared-L3 boundaries drawn) and binned (B: beyond
# 256 CPUs a cell is the median of the measured pairs of B x B CPUs).
load gpdir . '/common.gp'
unset grid
unset key
set bmargin 5
set size square
set xrange [-0.5 : N - 0.5]
set yrange [N - 0.5 : -0.5]          # CPU 0 top left, as a matrix reads
set cbrange [cblo : cbhi]
set format cb '%g'
if (cblog) { set logscale cb; eval logtics('cb', cblo, cbhi) }
# viridis: perceptually even, readable in grey
set palette defined (0 '#440154', 1 '#472c7a', 2 '#3b518b', 3 '#2c718e', 4 '#21908d', \
	5 '#27ad81', 6 '#5cc863', 7 '#aadc32', 8 '#fde725')
set xlabel 'source CPU (sends the IPI, times the round trip)'
set ylabel 'destination CPU (' . wmode . ' wait)'
set xtics rotate by 0
# grey shows through where a pair was not measured (the diagonal, cpus=, pairs=)
set object 1 rectangle from graph 0, 0 to graph 1, 1 behind fc rgb '#cfcfcf' fs solid noborder
pk = haspkg ? '; dashed: package/node boundary' : ''
if (exists('hasl3')) { if (hasl3) { pk = pk . '; dotted: shared L3' } }
if (exists('binned')) { pk = pk . sprintf('; a cell: median of %dx%d CPU pairs', binned, binned) }
if (kind eq 'heat') {
	tt = sprintf('IPI round trip p50, %s wait, %d ordered pairs (median %.0f ns)', wmode, npairs, median); @TITLE
	set cblabel 'p50 round trip (ns' . (cblog ? ', log scale)' : ')')
} else {
	tt = sprintf('IPI round trip / cache-line round trip, %s wait, %d pairs (median %.1fx)', wmode, npairs, median); @TITLE
	set cblabel 'IPI RTT p50 / cache-line RTT p50 (x' . (cblog ? ', log scale)' : ')')
}
# libgd PNGs paint unmeasured cells white, cairo and SVG let the grey through
set label 1 (libgd ? 'grey/blank' : 'grey') . ': not measured' . pk at screen 0.5, screen 0.018 center font ',9' tc rgb '#555555'
if (haslbl) {
	plot mat matrix with image, \
	     lbl using 1:2:3:4 with labels tc rgb variable font ',9'
} else {
	plot mat matrix with image
}
