/* SPDX-License-Identifier: MIT */
/*
 * The run's plan (core/plan.c does the choosing): made once, after the TSC
 * exchange and before the first benchmark, printed as the `plan` table.
 * Every per-pair table (ipi_rtt, csd sync, floor cacheline_rtt) asks
 * bench_plan_has() which pairs to measure.
 */
#ifndef VOLLEY_BENCH_PLAN_H
#define VOLLEY_BENCH_PLAN_H

#include <stdbool.h>
#include "core/plan.h"

/* Plans the CPUs of bench_cpus under config.budget_ms / pairs=; prints it. */
void bench_plan_make(void);
/*
 * A per-pair table's pass over the pairs: begin() starts its share of
 * budget_ms (its part of the plan's estimate); once that time is really
 * spent (a slower machine than the cost model, an emulator) has() says no
 * to the rest, and end() says how many pairs were left out.
 */
void bench_plan_begin(const char *table);
void bench_plan_end(void);
/* Is the ordered pair (a, b) of dense CPU numbers measured? */
bool bench_plan_has(unsigned a, unsigned b);
/* Ordered pairs the plan measures. */
uint64_t bench_plan_pairs(void);
/* The closest level CPUs a and b share (the plan's classes). */
enum rel bench_relation(unsigned a, unsigned b);

#endif
