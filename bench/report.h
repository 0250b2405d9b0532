/* SPDX-License-Identifier: MIT */
/*
 * What every benchmark shares: its vectors, sample buffers, the stats
 * columns of a row, the relation of two CPUs, raw-sample dumps.
 */
#ifndef VOLLEY_BENCH_REPORT_H
#define VOLLEY_BENCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/csv.h"
#include "core/stats.h"

/* Interrupt vectors of the benchmarks (apic/apic_regs.h has the rest). */
#define VEC_PING	0x40	/* ipi_rtt: to the responder */
#define VEC_PONG	0x41	/* ipi_rtt: back to the initiator */
#define VEC_BCAST	0x42	/* ipi_bcast */
#define VEC_CSD		0x43	/* csd: call_single_queue kick */
#define VEC_TLB		0x44	/* tlb: flush request */
#define VEC_SELF	0x45	/* floor: self-IPI */
#define VEC_NOP		0x46	/* floor: ICR write target, handler only EOIs */

/*
 * A probe is running (suite_probe(): one pair measured for the plan's cost
 * model): its rows go to report_null_out, and summary_offer(), raw_keep()
 * and the benchmarks' own tallies ignore it.
 */
extern bool report_probing;
void report_null_out(void *ctx, const char *s, size_t n);

/* Cost of one fenced rdtsc (p50, cycles), measured first. */
extern uint64_t rdtsc_cost;
void report_init(void);

/*
 * The sample arena: one allocation at start, sized from iters and the CPU
 * count for the largest row. false (with the reason and the largest iters
 * that fits in err) when it does not fit: the run stops with status 2.
 */
bool samples_init(unsigned ncpus, char *err, size_t errlen);
/* The arena, for a row of n samples (one job's rows at a time). */
uint64_t *samples_buf(size_t n);

/* Emits "prefix,STATS,suffix" (suffix may be NULL); sorts v. Returns p50. */
uint64_t stats_row(struct csv *t, const char *prefix, uint64_t *v, size_t n,
		   uint64_t batch_mean, const char *suffix);
/*
 * The same for a row derived from other rows (ipi_rtt_rel: STATS over the
 * pairs' p50s): no batch_mean, and not counted in the summary's
 * ts_dominated_rows, which counts measured rows.
 */
uint64_t stats_row_derived(struct csv *t, const char *prefix, uint64_t *v,
			   size_t n, const char *suffix);
/* STATS columns of an incomplete measurement: samples 0, all NA. */
void stats_row_na(struct csv *t, const char *prefix, const char *suffix);

/* smt / core / package / node (see HACKING.md), or self. */
const char *cpu_relation(unsigned a, unsigned b);

/* raw=1: keep a row's samples (before sorting) for a raw_<table> dump. */
void raw_keep(unsigned row, const uint64_t *v, size_t n);
void raw_flush(const char *table);

/*
 * The `summary` table: benchmarks offer headline values (p50 cycles) under
 * a metric name; the table prints, per metric, the median of all offers in
 * ns (e.g. the median over CPU pairs), with how many there were.
 */
void summary_offer(const char *metric, uint64_t cycles);
void summary_print(void);

/* Iterations: warmup + iters, the command line's or the quick suite's. */
unsigned bench_iters(void);
unsigned bench_warmup(void);
/*
 * batch_mean: BATCH_REPS batches of BATCH_M back-to-back operations, each
 * batch timed between two timestamps and divided by BATCH_M; the row's
 * batch_mean is the median of the batches.
 */
#define BATCH_M		16
#define BATCH_REPS	5
/*
 * A figure that needs a timestamp on a second CPU (one-way, first/last
 * seen) comes from a separate pass of at most STAMP_ROUNDS rounds, so the
 * timed samples and batch_mean hold no remote timestamp.
 */
#define STAMP_ROUNDS	256
/*
 * Rows compared with each other are measured in one job, interleaved in
 * blocks (bcast: the methods; csd: the queues, the kick modes): at most
 * INTERLEAVE_MAX rows of iters samples each share the arena.
 */
#define INTERLEAVE_MAX	4
/* The median of n batch means (sorts b). */
uint64_t batch_median(uint64_t *b, unsigned n);

#endif
