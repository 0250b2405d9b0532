/* SPDX-License-Identifier: MIT */
/* Host tests for core/stats.c: sort, percentiles, mean/stddev, ns, format. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "tests/unit/check.h"
#include "core/stats.h"

#define ARRAY_N(a) (sizeof(a) / sizeof((a)[0]))

/* xorshift64*: deterministic, so a failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void shuffle(uint64_t *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rng() % i;
		uint64_t t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

TEST(small_known)
{
	uint64_t v[] = { 5, 1, 3, 2, 4 };
	struct stats st;

	stats_compute(v, ARRAY_N(v), &st);
	CHECK_EQ(st.samples, 5);
	CHECK_EQ(st.min, 1);
	CHECK_EQ(st.max, 5);
	CHECK_EQ(st.p50, 3);	/* rank ceil(2.5) = 3 */
	CHECK_EQ(st.p90, 5);	/* rank ceil(4.5) = 5 */
	CHECK_EQ(st.p99, 5);
	CHECK_EQ(st.mean, 3);
	CHECK_EQ(st.stddev, 1);	/* sqrt(2) = 1.41 */
	for (int i = 0; i < 5; i++)
		CHECK_EQ(v[i], i + 1);	/* sorted in place */
}

TEST(empty)
{
	uint64_t v[1] = { 42 };
	struct stats st = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

	stats_compute(v, 0, &st);
	CHECK_EQ(st.samples, 0);
	CHECK_EQ(st.min, 0);
	CHECK_EQ(st.max, 0);
	CHECK_EQ(st.mean, 0);
	CHECK_EQ(st.stddev, 0);
	CHECK_EQ(v[0], 42);
	CHECK_EQ(stats_percentile(v, 0, 500), 0);
}

TEST(one_sample)
{
	uint64_t v[] = { 1234 };
	struct stats st;

	stats_compute(v, 1, &st);
	CHECK_EQ(st.samples, 1);
	CHECK_EQ(st.min, 1234);
	CHECK_EQ(st.p50, 1234);
	CHECK_EQ(st.p90, 1234);
	CHECK_EQ(st.p99, 1234);
	CHECK_EQ(st.max, 1234);
	CHECK_EQ(st.mean, 1234);
	CHECK_EQ(st.stddev, 0);
	CHECK_EQ(stats_percentile(v, 1, 0), 1234);
	CHECK_EQ(stats_percentile(v, 1, 1000), 1234);
}

TEST(two_samples)
{
	uint64_t v[] = { 20, 10 };
	struct stats st;

	stats_compute(v, 2, &st);
	CHECK_EQ(st.p50, 10);	/* lower median: rank ceil(1.0) = 1 */
	CHECK_EQ(st.p90, 20);	/* rank ceil(1.8) = 2 */
	CHECK_EQ(st.p99, 20);
	CHECK_EQ(st.mean, 15);
	CHECK_EQ(st.stddev, 5);
	CHECK_EQ(stats_percentile(v, 2, 0), 10);
	CHECK_EQ(stats_percentile(v, 2, 1), 10);	/* rank ceil(0.002) */
	CHECK_EQ(stats_percentile(v, 2, 501), 20);	/* rank ceil(1.002) */
	CHECK_EQ(stats_percentile(v, 2, 5000), 20);	/* clamped */
}

TEST(hundred)
{
	uint64_t v[100];
	struct stats st;

	for (int i = 0; i < 100; i++)
		v[i] = i + 1;
	shuffle(v, 100);
	stats_compute(v, 100, &st);
	CHECK_EQ(st.min, 1);
	CHECK_EQ(st.p50, 50);
	CHECK_EQ(st.p90, 90);
	CHECK_EQ(st.p99, 99);
	CHECK_EQ(st.max, 100);
	CHECK_EQ(st.mean, 51);		/* 50.5 rounds up */
	CHECK_EQ(st.stddev, 29);	/* sqrt(833.25) = 28.87 */
	CHECK_EQ(stats_percentile(v, 100, 1), 1);	/* rank ceil(0.1) */
	CHECK_EQ(stats_percentile(v, 100, 10), 1);	/* rank 1 exactly */
	CHECK_EQ(stats_percentile(v, 100, 11), 2);	/* rank ceil(1.1) */
	CHECK_EQ(stats_percentile(v, 100, 995), 100);	/* rank ceil(99.5) */
	CHECK_EQ(stats_percentile(v, 100, 999), 100);
	CHECK_EQ(stats_percentile(v, 100, 1000), 100);
}

TEST(ranks_across_thousands)
{
	/* Exercises the q*pct + ceil(r*pct/1000) split for n >= 1000. */
	static uint64_t v[2501];

	for (size_t n = 1; n <= 2501; n += (n < 20 ? 1 : 37)) {
		for (size_t i = 0; i < n; i++)
			v[i] = i + 1;	/* v[k] = k+1: value == rank */
		for (unsigned p = 0; p <= 1000; p += 7) {
			/* ceil(n*p/1000) in plain 64-bit: small enough here. */
			uint64_t want = (n * p + 999) / 1000;

			if (want < 1)
				want = 1;
			if (stats_percentile(v, n, p) != want) {
				CHECK_EQ(stats_percentile(v, n, p), want);
				printf("#   n=%zu p=%u\n", n, p);
				return;
			}
		}
	}
	for (size_t i = 0; i < 1001; i++)
		v[i] = i + 1;
	CHECK_EQ(stats_percentile(v, 1001, 500), 501);	/* ceil(500.5) */
	CHECK_EQ(stats_percentile(v, 1001, 900), 901);	/* ceil(900.9) */
	CHECK_EQ(stats_percentile(v, 1001, 990), 991);	/* ceil(990.99) */
	CHECK_EQ(stats_percentile(v, 1000, 990), 990);	/* exactly 990 */
}

TEST(duplicates)
{
	uint64_t a[] = { 7, 7, 7, 7 };
	uint64_t b[] = { 1, 100, 1, 1, 1, 1, 1, 1, 1, 1 };
	struct stats st;

	stats_compute(a, 4, &st);
	CHECK_EQ(st.min, 7);
	CHECK_EQ(st.p50, 7);
	CHECK_EQ(st.p99, 7);
	CHECK_EQ(st.max, 7);
	CHECK_EQ(st.mean, 7);
	CHECK_EQ(st.stddev, 0);

	stats_compute(b, 10, &st);
	CHECK_EQ(st.p50, 1);
	CHECK_EQ(st.p90, 1);	/* rank 9 */
	CHECK_EQ(st.p99, 100);	/* rank ceil(9.9) = 10 */
	CHECK_EQ(st.mean, 11);	/* 10.9 */
	CHECK_EQ(st.stddev, 30);	/* sqrt(882.09) = 29.7 */
}

TEST(stddev_exact)
{
	uint64_t v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };	/* sigma = 2 exactly */
	uint64_t w[] = { 0, 0, 6, 6 };			/* sigma = 3 exactly */
	uint64_t x[] = { 0, 1 };			/* sigma = 0.5: rounds up */
	uint64_t y[] = { 0, 0, 0, 1 };			/* sigma = 0.433: down */
	struct stats st;

	stats_compute(v, ARRAY_N(v), &st);
	CHECK_EQ(st.mean, 5);
	CHECK_EQ(st.stddev, 2);
	stats_compute(w, ARRAY_N(w), &st);
	CHECK_EQ(st.mean, 3);
	CHECK_EQ(st.stddev, 3);
	stats_compute(x, ARRAY_N(x), &st);
	CHECK_EQ(st.stddev, 1);
	stats_compute(y, ARRAY_N(y), &st);
	CHECK_EQ(st.stddev, 0);
}

TEST(stddev_large_exact)
{
	/* Half the samples at a, half at a + 2s: sigma = s exactly. */
	enum { N = 100000 };
	static uint64_t v[N];
	const uint64_t a = 1000000007ull, s = 123456789ull;
	struct stats st;

	for (size_t i = 0; i < N; i++)
		v[i] = i & 1 ? a + 2 * s : a;
	stats_compute(v, N, &st);
	CHECK_EQ(st.mean, a + s);
	CHECK_EQ(st.stddev, s);
}

TEST(near_2_63)
{
	const uint64_t b = 1ull << 63;
	uint64_t v[] = { b + 2, b + 4, b + 4, b + 4, b + 5, b + 5, b + 7, b + 9 };
	uint64_t top[] = { UINT64_MAX - 9, UINT64_MAX - 7, UINT64_MAX - 5,
			   UINT64_MAX - 5, UINT64_MAX - 4, UINT64_MAX - 4,
			   UINT64_MAX - 4, UINT64_MAX - 2 };
	uint64_t wide[] = { 0, UINT64_MAX };
	uint64_t half[] = { b - 1, b, b, b + 1 };
	struct stats st;

	stats_compute(v, ARRAY_N(v), &st);
	CHECK(st.min == b + 2);
	CHECK(st.max == b + 9);
	CHECK(st.p50 == b + 4);
	CHECK(st.mean == b + 5);
	CHECK_EQ(st.stddev, 2);

	stats_compute(top, ARRAY_N(top), &st);
	CHECK(st.max == UINT64_MAX - 2);
	CHECK(st.mean == UINT64_MAX - 5);	/* sum overflows 64 bits */
	CHECK_EQ(st.stddev, 2);

	stats_compute(half, ARRAY_N(half), &st);
	CHECK(st.mean == b);
	CHECK_EQ(st.stddev, 1);		/* sqrt(0.5) = 0.71 */

	/* Spread 2^64: scaled, accurate to 2^shift (here 8). */
	stats_compute(wide, 2, &st);
	CHECK(st.mean == b);
	CHECK(st.stddev >= b - 16 && st.stddev <= b + 16);
	CHECK(st.p50 == 0);
	CHECK(st.max == UINT64_MAX);
}

TEST(wide_spread_scaled)
{
	/* Spreads beyond 2^(62 - bits(n)) take the scaled path. */
	enum { N = 1024 };
	static uint64_t v[N];
	struct stats st;

	for (size_t i = 0; i < N; i++)
		v[i] = i & 1 ? 1ull << 62 : 0;	/* sigma = 2^61 exactly */
	stats_compute(v, N, &st);
	CHECK(st.mean == 1ull << 61);
	CHECK(st.stddev == 1ull << 61);
	for (size_t i = 0; i < N; i++)
		v[i] = i & 1 ? UINT64_MAX : 0;	/* sigma = 2^63 - 1/2 */
	stats_compute(v, N, &st);
	CHECK(st.mean == 1ull << 63);
	CHECK(st.stddev >= (1ull << 63) - (1ull << 14) &&
	      st.stddev <= (1ull << 63) + (1ull << 14));
	for (size_t i = 0; i < N; i++)	/* three levels, uneven counts */
		v[i] = (i % 3) * (1ull << 62);
	stats_compute(v, N, &st);
	/* Exact sigma (rational arithmetic) is 3766342355005389765.x. */
	CHECK(st.stddev >= 3766342355005389765ull - (1ull << 13) &&
	      st.stddev <= 3766342355005389765ull + (1ull << 13));
}

static int check_sorted_like_qsort(uint64_t *v, size_t n)
{
	uint64_t *ref = malloc(n * sizeof(*ref) + 1);
	int bad = 0;

	for (size_t i = 0; i < n; i++)
		ref[i] = v[i];
	qsort(ref, n, sizeof(*ref), cmp_u64);
	stats_sort(v, n);
	for (size_t i = 0; i < n && !bad; i++)
		bad = v[i] != ref[i];
	free(ref);
	return !bad;
}

TEST(sort_random_vs_qsort)
{
	enum { N = 200000 };
	uint64_t *v = malloc(N * sizeof(*v));

	/* Every length up to 64: off-by-ones in the heap show up small. */
	for (size_t n = 0; n <= 64; n++) {
		for (size_t i = 0; i < n; i++)
			v[i] = rng() % 8;
		CHECK(check_sorted_like_qsort(v, n));
		for (size_t i = 0; i < n; i++)
			v[i] = rng();
		CHECK(check_sorted_like_qsort(v, n));
	}
	for (size_t i = 0; i < N; i++)
		v[i] = rng();				/* full range */
	CHECK(check_sorted_like_qsort(v, N));
	for (size_t i = 0; i < N; i++)
		v[i] = 1000 + rng() % 50;		/* many duplicates */
	CHECK(check_sorted_like_qsort(v, N));
	for (size_t i = 0; i < N; i++)
		v[i] = i;				/* sorted */
	CHECK(check_sorted_like_qsort(v, N));
	for (size_t i = 0; i < N; i++)
		v[i] = N - i;				/* reversed */
	CHECK(check_sorted_like_qsort(v, N));
	for (size_t i = 0; i < N; i++)			/* latency-like tail */
		v[i] = 300 + rng() % 20 + (rng() % 100 == 0 ? rng() % 100000 : 0);
	CHECK(check_sorted_like_qsort(v, N));
	free(v);
}

TEST(stats_match_reference)
{
	/*
	 * Mean and stddev against a straightforward long double reference
	 * (no sqrt: the host tests do not link libm, so check that
	 * (s - 1/2)^2 <= var <= (s + 1/2)^2 instead).
	 */
	enum { N = 50000 };
	static uint64_t v[N];
	long double sum = 0, ss = 0, mean, var, lo, hi;
	struct stats st;

	for (size_t i = 0; i < N; i++) {
		v[i] = 5000 + rng() % 3000;
		sum += v[i];
	}
	mean = sum / N;
	for (size_t i = 0; i < N; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	var = ss / N;
	stats_compute(v, N, &st);
	lo = st.stddev - 0.5L;
	hi = st.stddev + 0.5L;
	CHECK(st.mean == (uint64_t)(mean + 0.5L));
	CHECK(st.stddev > 800);		/* uniform over 3000: ~866 */
	CHECK(lo * lo <= var && var <= hi * hi);
	CHECK(st.p50 == v[N / 2 - 1]);	/* rank N/2 */
}

TEST(ns_conversion)
{
	CHECK(cycles_to_ns(3000000000ull, 3000000000ull) == 1000000000ull);
	CHECK_EQ(cycles_to_ns(1, 3000000000ull), 0);	/* 0.33 */
	CHECK_EQ(cycles_to_ns(2, 3000000000ull), 1);	/* 0.67 rounds up */
	CHECK_EQ(cycles_to_ns(1000, 2500000000ull), 400);
	CHECK_EQ(cycles_to_ns(12345, 0), 0);
	CHECK_EQ(cycles_to_ns(0, 1), 0);
	CHECK(cycles_to_ns((1ull << 63) - 1, 1000000000ull) ==
	      (1ull << 63) - 1);
	/* 2^62 cycles at 1 GHz * 4: 2^60 ns, needs the 128-bit product. */
	CHECK(cycles_to_ns(1ull << 62, 4000000000ull) == 1ull << 60);
	CHECK(cycles_to_ns(UINT64_MAX, UINT64_MAX) == 1000000000ull);
	CHECK(cycles_to_ns((1ull << 63) - 1, 1) == UINT64_MAX);	/* saturates */
}

static int count_commas(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == ',';
	return n;
}

TEST(format)
{
	struct stats st = { 100, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0 };
	char buf[256];
	int n;

	n = stats_format(buf, sizeof(buf), &st, 9, 0, 1000000000ull);
	CHECK_STR(buf, "100,1,2,3,4,5,6,7,9,0,NA,NA,2");
	CHECK_EQ(n, (int)strlen(buf));
	CHECK_EQ(count_commas(buf), count_commas(STATS_HEADER));

	stats_format(buf, sizeof(buf), &st, STATS_NA, 0, 1000000000ull);
	CHECK_STR(buf, "100,1,2,3,4,5,6,7,NA,0,NA,NA,2");
	stats_format(buf, sizeof(buf), &st, 9, STATS_NA, 1000000000ull);
	CHECK_STR(buf, "100,1,2,3,4,5,6,7,9,NA,NA,NA,2");
	stats_format(buf, sizeof(buf), &st, 9, 0, 0);
	CHECK_STR(buf, "100,1,2,3,4,5,6,7,9,0,NA,NA,NA");

	/* p50 = 2 cycles at 2 GHz = 1 ns. */
	stats_format(buf, sizeof(buf), &st, 9, 0, 2000000000ull);
	CHECK_STR(buf, "100,1,2,3,4,5,6,7,9,0,NA,NA,1");

	/* With a confidence interval: between ts_dominated and p50_ns. */
	st.ci_rank = 40;
	st.p50_lo = 11;
	st.p50_hi = 12;
	stats_format(buf, sizeof(buf), &st, 9, 0, 1000000000ull);
	CHECK_STR(buf, "100,1,2,3,4,5,6,7,9,0,11,12,2");
}

TEST(format_empty)
{
	struct stats st = { 0 };
	char buf[256];

	stats_format(buf, sizeof(buf), &st, 5, 1, 1000000000ull);
	CHECK_STR(buf, "0,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA");
	CHECK_EQ(count_commas(buf), count_commas(STATS_HEADER));
}

TEST(format_ts_dominated)
{
	struct stats st = { .samples = 10, .p50 = 100 };
	char buf[256];

	stats_format(buf, sizeof(buf), &st, 1, 5, 0);	/* 100 > 100: no */
	CHECK_STR(buf, "10,0,100,0,0,0,0,0,1,0,NA,NA,NA");
	stats_format(buf, sizeof(buf), &st, 1, 6, 0);	/* 120 > 100 */
	CHECK_STR(buf, "10,0,100,0,0,0,0,0,1,1,NA,NA,NA");
	st.p50 = UINT64_MAX;	/* cost*20 must not wrap around */
	stats_format(buf, sizeof(buf), &st, 1, UINT64_MAX - 1, 0);
	CHECK_STR(buf, "10,0,18446744073709551615,0,0,0,0,0,1,1,NA,NA,NA");
	st.p50 = 1000;
	stats_format(buf, sizeof(buf), &st, 1, 1ull << 62, 0);
	CHECK_STR(buf, "10,0,1000,0,0,0,0,0,1,1,NA,NA,NA");
}

TEST(format_truncates)
{
	struct stats st = { 100, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0 };
	char buf[8];
	int n;

	n = stats_format(buf, sizeof(buf), &st, 9, 0, 1000000000ull);
	CHECK_EQ(n, (int)strlen("100,1,2,3,4,5,6,7,9,0,NA,NA,2"));
	CHECK_STR(buf, "100,1,2");
	n = stats_format(buf, 0, &st, 9, 0, 1000000000ull);	/* no write */
	CHECK_EQ(n, 29);
}

/*
 * Brute force: the largest j in [1, n/2] with P(j <= B <= n-j) >= 0.95,
 * B ~ Bin(n, 1/2), summing the binomial probabilities in long double from
 * lgamma (terms more than 13 sigma below the centre are < 1e-36: skipped).
 */
static size_t ci_rank_brute(size_t n)
{
	long double lo_tail = 0, sigma = sqrtl((long double)n) / 2;
	size_t best = 0, start = 0;

	if ((long double)n / 2 > 26 * sigma)
		start = (size_t)((long double)n / 2 - 26 * sigma);
	for (size_t j = 1; j <= n / 2; j++) {
		size_t i = j - 1;	/* P(B < j) gains P(B = j-1) */

		if (i >= start)
			lo_tail += expl(lgammal(n + 1.0L) - lgammal(i + 1.0L) -
					lgammal((long double)(n - i) + 1.0L) -
					(long double)n * logl(2.0L));
		if (1 - 2 * lo_tail >= 0.95L)
			best = j;
		else
			break;
	}
	return best;
}

TEST(median_ci_rank_vs_binomial)
{
	static const size_t big[] = { 201, 255, 500, 999, 1000, 1001, 4096,
				      10000, 65537, 1000000, 10000000 };
	size_t bad = 0;

	for (size_t n = 0; n <= 200; n++)
		if (stats_median_ci_rank(n) != ci_rank_brute(n)) {
			printf("#   n=%zu: rank %zu, binomial %zu\n", n,
			       stats_median_ci_rank(n), ci_rank_brute(n));
			bad++;
		}
	for (size_t k = 0; k < ARRAY_N(big); k++)
		if (stats_median_ci_rank(big[k]) != ci_rank_brute(big[k])) {
			printf("#   n=%zu: rank %zu, binomial %zu\n", big[k],
			       stats_median_ci_rank(big[k]), ci_rank_brute(big[k]));
			bad++;
		}
	CHECK_EQ(bad, 0);
	/* Values from a binomial table, independent of both computations. */
	CHECK_EQ(stats_median_ci_rank(5), 0);	/* [min,max]: 1 - 2/32 < 0.95 */
	CHECK_EQ(stats_median_ci_rank(6), 1);	/* 1 - 2/64 = 0.969 */
	CHECK_EQ(stats_median_ci_rank(10), 2);	/* 1 - 2*11/1024 = 0.979 */
	CHECK_EQ(stats_median_ci_rank(100), 40);	/* x(40)..x(61) */
	/* The interval narrows like 1.96 sqrt(n) / 2 ranks either side. */
	size_t j = stats_median_ci_rank(1000000);
	CHECK(j > 500000 - 982 && j < 500000 - 978);
}

TEST(median_ci_in_stats)
{
	uint64_t v[100];
	struct stats st;

	for (int i = 0; i < 100; i++)
		v[i] = 10 * (i + 1);
	shuffle(v, 100);
	stats_compute(v, 100, &st);
	CHECK_EQ(st.ci_rank, 40);
	CHECK_EQ(st.p50_lo, 400);	/* rank 40 */
	CHECK_EQ(st.p50_hi, 610);	/* rank 61 */
	CHECK(st.p50_lo <= st.p50 && st.p50 <= st.p50_hi);

	uint64_t w[5] = { 1, 2, 3, 4, 5 };

	stats_compute(w, 5, &st);
	CHECK_EQ(st.ci_rank, 0);
	CHECK_EQ(st.p50_lo, 0);
	CHECK_EQ(st.p50_hi, 0);
}

TEST(sort_big_timing)
{
	/* 2M samples: O(n log n) keeps this well under a second or two. */
	enum { N = 2000000 };
	uint64_t *v = malloc(N * sizeof(*v));
	struct stats st;
	int ok = 1;

	for (size_t i = 0; i < N; i++)
		v[i] = rng() % 1000000;
	stats_compute(v, N, &st);
	for (size_t i = 1; i < N && ok; i++)
		ok = v[i - 1] <= v[i];
	CHECK(ok);
	CHECK_EQ(st.samples, N);
	free(v);
}

int main(void)
{
	RUN(small_known);
	RUN(empty);
	RUN(one_sample);
	RUN(two_samples);
	RUN(hundred);
	RUN(ranks_across_thousands);
	RUN(duplicates);
	RUN(stddev_exact);
	RUN(stddev_large_exact);
	RUN(near_2_63);
	RUN(wide_spread_scaled);
	RUN(sort_random_vs_qsort);
	RUN(stats_match_reference);
	RUN(ns_conversion);
	RUN(format);
	RUN(format_empty);
	RUN(format_ts_dominated);
	RUN(format_truncates);
	RUN(median_ci_rank_vs_binomial);
	RUN(median_ci_in_stats);
	RUN(sort_big_timing);
	return check_done();
}
