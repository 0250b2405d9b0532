/* SPDX-License-Identifier: MIT */
/*
 * The value checker (pure: host tool build/host/vcheck and host tests).
 *
 * It reads a run's tables (as the splitter leaves them, one CSV each) and
 * checks that the values make sense, not only that the tables exist: the
 * rules are listed in vc_check() below and in HACKING.md. Every violation is
 * one line through the sink:
 *
 *   TABLE row R [KEY] COLUMN=VALUE: RULE: what is wrong
 *
 * R is the 0-based data row (the header is not a row; raw_<table>'s `row`
 * column counts the same way), KEY the row's key columns (those before
 * `samples` in a stats table, else the first column). A whole-table problem
 * prints "TABLE: RULE: ...".
 */
#ifndef VOLLEY_RESULTS_CHECK_H
#define VOLLEY_RESULTS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/fmt.h"

/*
 * One table in memory: cells are unquoted, NUL-terminated strings (lines
 * cut by results/table.h's table_split()).
 */
struct vc_table {
	const char *name;		/* "csd", "raw_csd", ... */
	size_t ncols, nrows;
	const char *const *head;	/* ncols column names */
	const char *const *cell;	/* nrows * ncols values, row-major */
};

struct vc_run {
	const struct vc_table *tables;
	size_t ntables;
	/*
	 * Room for recomputing stats: at least the largest row's sample count
	 * of any raw_<table>, and at least VC_SCRATCH_MIN (summary medians).
	 */
	uint64_t *scratch;
	size_t scratch_n;
	out_fn out;
	void *ctx;
};

#define VC_SCRATCH_MIN	1024	/* summary keeps at most 1024 offers per metric */

struct vc_result {
	size_t violations;
	size_t tables, rows;		/* what was looked at */
};

/*
 * Checks every table of run and prints one line per violation. Rules
 * (the word after the column in each line):
 *   columns      a known table's header differs from the contract (HACKING.md)
 *   number, na   a value that is not a number, or NA where the table does not
 *                allow it (or a value where it must be NA: samples 0, fewer
 *                than 6 samples for p50_lo/p50_hi, tsc_hz unknown for p50_ns)
 *   value        a word outside its column's set (wait, method, test, ...)
 *   order        min <= p50 <= p90 <= p99 <= max broken
 *   mean, stddev mean outside [min, max]; stddev above (max - min) / 2
 *   batch_mean   batch_mean 0 or above max
 *   ts_dominated not 0 or 1
 *   ci           min <= p50_lo <= p50 <= p50_hi <= max broken
 *   p50_ns       more than 1 ns from p50 * 1e9 / tsc_hz (the kernel rounds
 *                to nearest; 1 ns of slack for a writer that truncates)
 *   oneway       ipi_rtt oneway_ns above the round trip's p50_ns
 *   seen         ipi_bcast first_seen_ns > last_seen_ns, or last_seen_ns
 *                above the round's p50_ns (the last target saw the IPI after
 *                the sender had seen every ack)
 *   csd_samples, csd_calls, csd_lost, csd_ipis, per_call_ns
 *                csd counts not as bench/csd.c makes them (see check.c),
 *                lost != 0, ipis_per_batch above batch (kick=empty) or not
 *                equal to it (kick=always), per_call_ns != p50_ns / batch
 *   verify       tlb verify=fail (a normal build must never see it)
 *   tlb_ceiling  ceiling_pages not the first pages where full < invlpg
 *   summary      a summary value or count that differs from its source rows,
 *                a metric the rows offer but summary lacks, or one no rule knows
 *   raw          with raw_<table>: the printed samples..p50_hi differ from
 *                core/stats.c over the raw samples, or the samples are missing
 *   meta, cpus   meta lacks tsc_hz or the config's iters/warmup (csd needs
 *                them); cpus_online differs from the cpus table
 * Returns the number of violations; res (may be NULL) gets the counts.
 */
size_t vc_check(const struct vc_run *run, struct vc_result *res);

#endif
