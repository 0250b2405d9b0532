/* SPDX-License-Identifier: MIT */
/*
 * The run plan (pure: kernel and host tests). Before anything is measured
 * the plan decides which ordered CPU pairs the per-pair tables (ipi_rtt,
 * csd sync/batch, floor cacheline_rtt) measure, from the CPU count, the
 * topology, a cost model and the budget (time and serial bytes), and
 * estimates what the run will take.
 *
 * When every pair fits, every pair is measured. Otherwise the pairs are
 * sampled by topology: first up to PLAN_PER_REL pairs of every relation
 * class present (smt, llc, core, package, node), spread over the CPUs;
 * then the boot CPU's row and column (0 -> x and x -> 0); then the rest
 * uniformly (a fixed pseudo-random permutation of the pair indices, so the
 * choice is deterministic and free of lattices). One implementation for
 * every per-pair table.
 */
#ifndef VOLLEY_CORE_PLAN_H
#define VOLLEY_CORE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How close two CPUs are: the closest level they share. */
enum rel { REL_SELF, REL_SMT, REL_LLC, REL_CORE, REL_PACKAGE, REL_NODE, REL_COUNT };
extern const char *const rel_name[REL_COUNT];

#define PLAN_NO_LLC	UINT32_MAX	/* llc unknown: no llc class */

/* Where a CPU sits (a copy of what the plan needs from struct cpu_topo). */
struct plan_cpu {
	uint32_t package, die, core, node;
	uint32_t llc;		/* id of its last-level cache domain, or PLAN_NO_LLC */
};

enum rel plan_relation(const struct plan_cpu *a, const struct plan_cpu *b);

/* Pairs of each relation class the sample always keeps (when present). */
#define PLAN_PER_REL	16
/* Serial bytes the per-pair tables may take under a budget. */
#define PLAN_SERIAL_MAX	(8u << 20)
/* The default time budget (budget_ms=): the full matrix up to 64 CPUs. */
#define PLAN_DEFAULT_BUDGET_MS	600000u

/* The cost model of one ordered pair, summed over the per-pair tables. */
struct plan_cost {
	uint64_t pair_ns;	/* measuring one pair, every table and wait mode */
	uint64_t pair_bytes;	/* its rows on the serial line */
	uint32_t rows_per_pair;
};

struct plan {
	unsigned n;			/* CPUs (indices 0..n-1; 0 = boot CPU) */
	const struct plan_cpu *cpus;
	uint64_t total;			/* ordered pairs n*(n-1) */
	uint64_t want;			/* pairs the budget allows */
	uint64_t chosen;		/* pairs selected (== total: all) */
	bool sampled;
	uint64_t rel_total[REL_COUNT];	/* pairs of each class */
	uint64_t rel_chosen[REL_COUNT];	/* of them selected */
	uint64_t est_ns, est_bytes;	/* of the per-pair tables */
	/* The selection: representatives, then row/col 0, then hash < thresh. */
	uint32_t rep_a[REL_COUNT][PLAN_PER_REL], rep_b[REL_COUNT][PLAN_PER_REL];
	unsigned nrep[REL_COUNT];
	bool boot_rowcol;
	uint64_t thresh;		/* uniform part: hash(idx) % total < thresh */
};

/*
 * Plans n CPUs. budget_ns 0: no budget (every pair); max_pairs 0: no cap
 * (pairs=sample:K gives K). The serial cap PLAN_SERIAL_MAX applies with a
 * budget. O(n^2) time, no allocation.
 */
void plan_make(struct plan *p, unsigned n, const struct plan_cpu *cpus,
	       const struct plan_cost *cost, uint64_t budget_ns, uint64_t max_pairs);

/* Is the ordered pair (a, b), a != b, measured? */
bool plan_has(const struct plan *p, unsigned a, unsigned b);

/*
 * The chosen pairs in the order they are measured, so that a table stopped
 * early (its share of the budget spent) keeps the most telling ones: first
 * the representatives, a pair of every class in turn; then the boot CPU's
 * row and column; then the rest in the uniform part's own hash order (any
 * prefix of it is itself a uniform sample). Each chosen pair exactly once.
 */
struct plan_iter {
	unsigned phase;
	uint64_t k;
};
void plan_iter_start(const struct plan *p, struct plan_iter *it);
bool plan_next(const struct plan *p, struct plan_iter *it, unsigned *a, unsigned *b);

#endif
