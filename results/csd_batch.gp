# SPDX-License-Identifier: MIT
# csd call queues, test=batch: per-call cost (what='percall') or IPIs sent per
# batch (what='ipis') vs batch size. Colour = queue (lock, llist), dash = kick
# (empty: IPI only when the queue was empty, always: IPI per call).
# plot.sh passes dat (blocks: batch per_call_ns ipis_per_batch), nline, lines
# ("queue:kick" words), bmin, bmax.
load gpdir . '/common.gp'
set logscale x 2
set xtics 2        # every power of two
set logscale y
set format x '%g'
set xrange [bmin / 1.5 : bmax * 1.5]
set xlabel 'calls queued per batch (log2 scale)'
set key top right
qc(s) = strstrt(s, 'llist') ? C[2] : C[1]
kd(s) = strstrt(s, 'always') ? 2 : 1
# "lock:empty" -> "lock, IPI when queue was empty"
ln(s) = s[1 : strstrt(s, ':') - 1] . (strstrt(s, 'always') ? ', IPI every call' : ', IPI when queue was empty')
if (what eq 'percall') {
	stats dat using 2 nooutput
	set yrange [STATS_min / 1.5 : STATS_max * 1.5]
	eval logtics('y', STATS_min, STATS_max)
	tt = 'csd queue: cost per call vs batch size (src -> dst)'; @TITLE
	set ylabel 'p50 per call (ns, log scale)'
	plot for [i = 1 : nline] dat index (i - 1) using 1:2 with linespoints lw 2 pt 7 ps 0.8 \
	     lc rgb qc(word(lines, i)) dt kd(word(lines, i)) title ln(word(lines, i))
} else {
	tt = 'csd queue: IPIs sent per batch'; @TITLE
	set ylabel 'IPIs per batch (log scale)'
	set yrange [0.5 : bmax * 2]
	set key top left     # the data run from bottom left to top right
	eval logtics('y', 0.5, bmax * 2)
	plot x with lines lc rgb '#999999' dt 3 title 'one IPI per call', \
	     for [i = 1 : nline] dat index (i - 1) using 1:3 with linespoints lw 2 pt 7 ps 0.8 \
	     lc rgb qc(word(lines, i)) dt kd(word(lines, i)) title ln(word(lines, i))
}
