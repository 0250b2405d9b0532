/* SPDX-License-Identifier: MIT */
#include "lrow.h"
#include "core/tsc_read.h"

/* Linux has made LFENCE serializing where it can (init_amd): lfence; rdtsc. */
bool tsc_fence_mfence;

uint64_t lrow_stats(struct lrow *r, struct csv *t, const char *prefix,
		    uint64_t *v, size_t n, uint64_t batch_mean,
		    const char *suffix, struct stats *st)
{
	struct stats s;
	char buf[256];

	stats_compute(v, n, &s);
	if (n) {
		r->rows++;
		if (r->rdtsc_cost * 20 > s.p50)
			r->ts_dominated++;
	}
	stats_format(buf, sizeof(buf), &s, batch_mean, r->rdtsc_cost, r->tsc_hz);
	if (suffix && *suffix)
		csv_row(t, "%s,%s,%s", prefix, buf, suffix);
	else
		csv_row(t, "%s,%s", prefix, buf);
	if (st)
		*st = s;
	return s.p50;
}

uint64_t lrow_rdtsc_cost(uint64_t *v)
{
	for (int i = 0; i < 256; i++) {
		uint64_t a = rdtsc_fenced();
		uint64_t b = rdtsc_fenced();

		v[i] = b - a;
	}
	stats_sort(v, 256);
	return stats_percentile(v, 256, 500);
}
