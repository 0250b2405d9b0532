/* SPDX-License-Identifier: MIT */
/*
 * One stats row of a Linux-side table (pure: the module and tlbbench). The
 * statistics and the CSV writer are volley's own core/stats.c and core/csv.c,
 * compiled in; this only adds the row bookkeeping the kernel's bench/report.c
 * does for volley (the ts_dominated count behind the summary).
 */
#ifndef VOLLEY_LINUX_LROW_H
#define VOLLEY_LINUX_LROW_H

#include <stddef.h>
#include <stdint.h>
#include "core/csv.h"
#include "core/stats.h"

struct lrow {
	uint64_t rdtsc_cost;	/* one fenced rdtsc, p50 cycles */
	uint64_t tsc_hz;	/* 0: unknown (p50_ns NA) */
	unsigned rows;		/* stats rows emitted */
	unsigned ts_dominated;	/* of which rdtsc_cost * 20 > p50 */
};

/*
 * Emits "prefix,STATS[,suffix]" (suffix may be NULL or ""); sorts v.
 * n == 0 gives an all-NA row. Fills *st (may be NULL). Returns p50.
 */
uint64_t lrow_stats(struct lrow *r, struct csv *t, const char *prefix,
		    uint64_t *v, size_t n, uint64_t batch_mean,
		    const char *suffix, struct stats *st);

/* The cost of one fenced rdtsc: median of 256 back-to-back pairs. */
uint64_t lrow_rdtsc_cost(uint64_t *scratch256);

#endif
