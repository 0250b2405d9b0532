/* SPDX-License-Identifier: MIT */
/*
 * The run's plan (core/plan.c does the choosing): made once, after the TSC
 * exchange and before the first benchmark, printed as the `plan` table.
 * Every per-pair table (ipi_rtt, csd sync, floor cacheline_rtt) takes its
 * pairs from bench_plan_next(); the row parts ask bench_row_next(). The
 * budget (budget=) is the whole run's, shared out as the parts begin
 * (bench/plan.c says how).
 */
#ifndef VOLLEY_BENCH_PLAN_H
#define VOLLEY_BENCH_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include "core/plan.h"

/* Plans the CPUs of bench_cpus under budget= / pairs=; prints it. */
void bench_plan_make(void);
/*
 * A per-pair table's pass over the pairs: begin() starts its share of
 * the budget; once that time is really spent (a slower machine than the
 * cost model, an emulator) next() gives no more pairs, and end() says how
 * many were left out.
 */
void bench_plan_begin(const char *table);
void bench_plan_end(void);
/*
 * The chosen pairs in the plan's order (core/plan.h: representatives, the
 * boot CPU's row and column, the rest), as dense CPU numbers. Inside a
 * begin/end pass: once the pass's time is spent, no more (the rest are
 * counted as not measured).
 */
void bench_plan_start(struct plan_iter *it);
bool bench_plan_next(struct plan_iter *it, unsigned *a, unsigned *b);

/*
 * A part of the run made of rows (ipi_bcast, csd_rows, tlb): begin() gives
 * it its share of the budget; before each row (or k rows measured
 * interleaved) bench_row_next(k) says whether there is time for it, and
 * sets row_allow_cycles, the time each of those rows may take (the
 * harness's row budget reads it); end() says how many rows were left out.
 */
void bench_rows_begin(const char *part, unsigned rows);
bool bench_row_next(unsigned k);
void bench_rows_end(void);

/* After the last benchmark: the time taken against budget=. */
void bench_plan_finish(void);

/* tlb's and ipi_bcast's target counts: 1, 2, 4, ... below n-1, then n-1. */
unsigned bench_target_counts(unsigned n, unsigned *list, unsigned max);
/*
 * The order a row part measures them, so that a budget cut keeps what
 * matters most: 1 target, all of them, then the counts between. The
 * index into that list of the oi-th measured.
 */
static inline unsigned bench_target_order(unsigned oi, unsigned count)
{
	return oi == 0 ? 0 : oi == 1 ? count - 1 : oi - 1;
}

/* csd batch rows: K = 1, 2, 4, ... CSD_BATCH_MAX calls per batch. */
#define CSD_BATCH_MAX	64

/* Pages per shootdown of the tlb rows (bench/tlb.c measures them). */
static const unsigned tlb_pages[] = { 1, 2, 4, 8, 16, 32, 33, 64, 128, 256, 512 };
#define TLB_NP	(sizeof(tlb_pages) / sizeof(tlb_pages[0]))

/* Ordered pairs the plan measures. */
uint64_t bench_plan_pairs(void);
/* The closest level CPUs a and b share (the plan's classes). */
enum rel bench_relation(unsigned a, unsigned b);

#endif
