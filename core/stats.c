/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include "core/stats.h"
#include "core/fmt.h"

typedef unsigned __int128 u128;

/*
 * Move v[root] down until the max-heap property holds in v[0..n).
 * Bottom-up (Floyd): walk the larger child down to a leaf without comparing
 * against the moving value, then climb back to where it belongs. Most values
 * sink to the bottom anyway, so this needs about half the comparisons.
 */
static void sift_down(uint64_t *v, size_t root, size_t n)
{
	uint64_t x = v[root];
	size_t i = root, c;

	/* Children of i are 2i+1 and 2i+2. */
	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && v[c + 1] > v[c])
			c++;
		v[i] = v[c];
		i = c;
	}
	/* Climb back: the hole at i moves up while its parent is smaller. */
	while (i > root) {
		size_t p = (i - 1) / 2;

		if (v[p] >= x)
			break;
		v[i] = v[p];
		i = p;
	}
	v[i] = x;
}

void stats_sort(uint64_t *v, size_t n)
{
	if (n < 2)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	for (size_t end = n - 1; end > 0; end--) {
		uint64_t t = v[0];

		v[0] = v[end];
		v[end] = t;
		sift_down(v, 0, end);
	}
}

uint64_t stats_percentile(const uint64_t *sorted, size_t n, unsigned pct_x10)
{
	size_t q, r, rank;

	if (!n)
		return 0;
	if (pct_x10 > 1000)
		pct_x10 = 1000;
	/*
	 * rank = ceil(n * pct / 1000) without overflow: with n = 1000q + r,
	 * n * pct / 1000 = q * pct + r * pct / 1000, and the first term is an
	 * integer, so only the second needs the ceiling.
	 */
	q = n / 1000;
	r = n % 1000;
	rank = q * pct_x10 + (r * pct_x10 + 999) / 1000;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

/*
 * Binomial weights in fixed point: w(i) = C(n, i) / C(n, h) * 2^60 with
 * h = floor(n/2), walked from the centre down, w(i-1) = w(i) * i / (n-i+1).
 * Every step truncates (an absolute error below 1 in 2^60 of the centre
 * weight), and once w reaches 0 every further weight would be 0 too: the
 * walk is about sqrt(21 n) steps. The total is <= 2^60 * (n + 1), so nothing
 * here overflows 128 bits. Coverage of ranks [j, n+1-j] is
 * central(j) / total, central(j) = sum of w(i) for i in [j, n-j] =
 * 2 * (w(j) + ... + w(h)) minus w(h) once when n is even (i = h = n-h).
 * The truncation errors (about 2^-54 of the total) cannot flip the test
 * 20 * central >= 19 * total except within 2^-50 of a coverage of exactly
 * 95%, which no n reaches (it would need 2^n divisible by 5);
 * tests/unit/test_stats.c checks every n <= 200 and a few large ones
 * against a floating-point binomial sum.
 */
#define CI_ONE	((u128)1 << 60)

size_t stats_median_ci_rank(size_t n)
{
	u128 w = CI_ONE, half = 0, total, upper = 0, mid;
	size_t h = n / 2, i;

	if (n < 2)
		return 0;
	mid = n % 2 ? 0 : CI_ONE;	/* w(h) counted once for even n */
	for (i = h;; i--) {
		half += w;
		if (i == 0)
			break;
		w = w * i / (n - i + 1);
		if (!w)
			break;
	}
	total = 2 * half - mid;
	w = CI_ONE;
	for (i = h; i >= 1; i--) {
		upper += w;
		if (20 * (2 * upper - mid) >= 19 * total)
			return i;
		w = w * i / (n - i + 1);
	}
	return 0;
}

static unsigned bits64(uint64_t x)
{
	unsigned b = 0;

	/* A loop, not __builtin_clzll: no libgcc call, no lzcnt/popcnt. */
	while (x) {
		b++;
		x >>= 1;
	}
	return b;
}

/* floor(sqrt(x)), bit by bit: 64 steps, no division, no floating point. */
static uint64_t isqrt128(u128 x)
{
	u128 res = 0, bit = (u128)1 << 126;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= res + bit) {
			x -= res + bit;
			res = (res >> 1) + bit;
		} else {
			res >>= 1;
		}
		bit >>= 2;
	}
	return (uint64_t)res;
}

void stats_compute(uint64_t *v, size_t n, struct stats *st)
{
	u128 sum = 0, sd = 0, sd2 = 0, num;
	unsigned shift = 0, room;

	*st = (struct stats){ .samples = n };
	if (!n)
		return;
	stats_sort(v, n);
	st->min = v[0];
	st->max = v[n - 1];
	st->p50 = stats_percentile(v, n, 500);
	st->p90 = stats_percentile(v, n, 900);
	st->p99 = stats_percentile(v, n, 990);
	st->ci_rank = stats_median_ci_rank(n);
	if (st->ci_rank) {
		st->p50_lo = v[st->ci_rank - 1];
		st->p50_hi = v[n - st->ci_rank];
	}

	/* n * 2^64 fits in 128 bits, so the plain sum cannot overflow. */
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	st->mean = (uint64_t)((sum + n / 2) / n);

	/*
	 * Population variance from deviations d = x - min (shift-invariant,
	 * so samples near 2^63 with a small spread stay exact):
	 *   n^2 * var = n * sum(d^2) - sum(d)^2 =: num.
	 * Both terms are <= (n * range)^2, and we need 4 * num below, so
	 * bits(n) + bits(range) <= 62 keeps all of it in 128 bits, exactly;
	 * wider spreads are scaled down by 2^shift first.
	 */
	room = 62 - bits64((uint64_t)n);
	if (bits64(st->max - st->min) > room)
		shift = bits64(st->max - st->min) - room;
	for (size_t i = 0; i < n; i++) {
		uint64_t d = (v[i] - st->min) >> shift;

		sd += d;
		sd2 += (u128)d * d;
	}
	/* sum(d)^2 <= n * sum(d^2) (Cauchy-Schwarz): num cannot wrap. */
	num = n * sd2 - sd * sd;
	/*
	 * stddev = sqrt(num) / n, rounded to nearest:
	 * floor(sqrt(num) / n + 1/2) = floor((sqrt(4 num) + n) / 2n), and
	 * the sqrt may be floored first because the divisor is an integer.
	 * sqrt(4 num) = 2 n stddev <= n * range < 2^62: 64-bit from here.
	 */
	st->stddev = ((isqrt128(4 * num) + n) / (2 * (uint64_t)n)) << shift;
}

uint64_t cycles_to_ns(uint64_t cycles, uint64_t tsc_hz)
{
	u128 ns;

	if (!tsc_hz)
		return 0;
	/* cycles * 1e9 < 2^94: no overflow; + hz/2 rounds to nearest. */
	ns = ((u128)cycles * 1000000000u + tsc_hz / 2) / tsc_hz;
	return ns > UINT64_MAX ? UINT64_MAX : (uint64_t)ns;
}

/* Appends ",<v>" or ",NA". */
static void put_col(struct fmt_sbuf *sb, bool known, uint64_t v)
{
	if (known)
		fmt_to(fmt_sbuf_out, sb, ",%lu", v);
	else
		fmt_to(fmt_sbuf_out, sb, ",NA");
}

int stats_format(char *buf, size_t size, const struct stats *st,
		 uint64_t batch_mean, uint64_t rdtsc_cost, uint64_t tsc_hz)
{
	struct fmt_sbuf sb = { .buf = buf, .size = size, .len = 0 };
	bool have = st->samples != 0;

	if (size)
		buf[0] = 0;
	fmt_to(fmt_sbuf_out, &sb, "%lu", st->samples);
	put_col(&sb, have, st->min);
	put_col(&sb, have, st->p50);
	put_col(&sb, have, st->p90);
	put_col(&sb, have, st->p99);
	put_col(&sb, have, st->max);
	put_col(&sb, have, st->mean);
	put_col(&sb, have, st->stddev);
	put_col(&sb, have && batch_mean != STATS_NA, batch_mean);
	/* 128-bit product: rdtsc_cost * 20 must not wrap for huge costs. */
	put_col(&sb, have && rdtsc_cost != STATS_NA,
		(u128)rdtsc_cost * 20 > st->p50);
	put_col(&sb, have && st->ci_rank, st->p50_lo);
	put_col(&sb, have && st->ci_rank, st->p50_hi);
	put_col(&sb, have && tsc_hz, cycles_to_ns(st->p50, tsc_hz));
	return (int)sb.len;
}
