/* SPDX-License-Identifier: MIT */
/*
 * Summary statistics of TSC samples (pure: kernel and host tests).
 * Integer arithmetic only (the kernel has no FPU state); no allocation: the
 * caller's sample buffer is sorted in place.
 */
#ifndef VOLLEY_CORE_STATS_H
#define VOLLEY_CORE_STATS_H

#include <stddef.h>
#include <stdint.h>

/* All values in the samples' unit (TSC cycles). */
struct stats {
	uint64_t samples;	/* n */
	uint64_t min, p50, p90, p99, max;	/* nearest-rank, see below */
	uint64_t mean;		/* rounded to nearest */
	uint64_t stddev;	/* population (divide by n), rounded */
	/*
	 * Distribution-free 95% confidence interval of the median: the order
	 * statistics of ranks ci_rank and n + 1 - ci_rank (1-based), see
	 * stats_median_ci_rank(). ci_rank == 0: too few samples (n < 6), the
	 * interval is unknown and p50_lo = p50_hi = 0.
	 */
	uint64_t p50_lo, p50_hi;
	uint64_t ci_rank;
};

/* The STATS block of every stats table (HACKING.md). */
#define STATS_HEADER \
	"samples,min,p50,p90,p99,max,mean,stddev,batch_mean,ts_dominated," \
	"p50_lo,p50_hi,p50_ns"

/* "Not measured" for stats_format's batch_mean and rdtsc_cost. */
#define STATS_NA	UINT64_MAX

/*
 * Sorts v[0..n) ascending in place: heapsort, O(n log n) worst case, O(1)
 * extra memory (no scratch buffer, no recursion: safe on a small kernel stack).
 */
void stats_sort(uint64_t *v, size_t n);

/*
 * Sorts v (stats_sort) and fills st. n == 0 gives samples 0 and every other
 * field 0 (stats_format prints them as NA).
 *
 * stddev is exact (before the final rounding of the square root) while
 * (max - min) < 2^(63 - bits(n)), e.g. spreads below 2^41 cycles for 4M
 * samples; beyond that the deviations are scaled down by a power of two and
 * the result is accurate to that power of two.
 */
void stats_compute(uint64_t *v, size_t n, struct stats *st);

/*
 * The lower rank j (1-based) of a distribution-free 95% confidence interval
 * of the median of n samples: [x(j), x(n+1-j)] of the sorted samples covers
 * the population median with probability P(j <= B <= n-j), B ~ Bin(n, 1/2)
 * (the number of samples below the median), and j is the largest rank with
 * that probability >= 0.95. 0 when no j qualifies (n < 6: even [min, max]
 * covers it with less than 95%). Exact binomial arithmetic for every n, in
 * 60-bit fixed point (no normal approximation); O(sqrt(n)) steps.
 */
size_t stats_median_ci_rank(size_t n);

/*
 * Nearest-rank percentile of sorted[0..n): the smallest sample such that at
 * least pct_x10/1000 of all samples are <= it, i.e. sorted[ceil(n * pct_x10 /
 * 1000) - 1], with the rank clamped to [1, n]. pct_x10 = 500 is the median
 * (the lower median for even n), 990 is p99, 0 gives the min, >= 1000 the max.
 * Always an actual sample, never an interpolation. n == 0 returns 0.
 */
uint64_t stats_percentile(const uint64_t *sorted, size_t n, unsigned pct_x10);

/*
 * Order-preserving map of signed differences (one-way times on two clocks
 * may come out negative) onto uint64_t and back, so that stats_sort and
 * stats_percentile serve them too.
 */
static inline uint64_t stats_s2u(int64_t v)
{
	return (uint64_t)v ^ (1ull << 63);
}

static inline int64_t stats_u2s(uint64_t v)
{
	return (int64_t)(v ^ (1ull << 63));
}

/*
 * cycles * 1e9 / tsc_hz, rounded to nearest, in 128-bit arithmetic (no
 * overflow for any cycles); saturates at UINT64_MAX. tsc_hz == 0 gives 0.
 */
uint64_t cycles_to_ns(uint64_t cycles, uint64_t tsc_hz);

/*
 * Writes the STATS_HEADER columns as values (no newline) into buf, like
 * fmt_buf: always terminated, returns the length it wanted to write.
 *   batch_mean: STATS_NA -> "NA".
 *   ts_dominated: 1 when rdtsc_cost * 20 > p50 (one timestamp costs more than
 *     5% of the median), else 0; "NA" when rdtsc_cost is STATS_NA.
 *   p50_lo, p50_hi: "NA" when st->ci_rank is 0.
 *   p50_ns: cycles_to_ns(p50, tsc_hz); "NA" when tsc_hz is 0 (unknown).
 *   st->samples == 0: every column but samples is NA.
 */
int stats_format(char *buf, size_t size, const struct stats *st,
		 uint64_t batch_mean, uint64_t rdtsc_cost, uint64_t tsc_hz);

#endif
