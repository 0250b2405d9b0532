/* SPDX-License-Identifier: MIT */
/*
 * The benchmark table (bench/suite.c): each benchmark's name (its bench=
 * item and its table), the CPUs it needs, a predicate for anything else it
 * needs (with the reason printed when it is skipped), the wait modes it
 * measures, and its run function. A new benchmark is its own file defining
 * one `const struct benchmark` plus one entry in the table.
 */
#ifndef VOLLEY_BENCH_SUITE_H
#define VOLLEY_BENCH_SUITE_H

#include <stdbool.h>
#include "core/cmdline.h"

struct benchmark {
	const char *name;
	unsigned min_cpus;		/* skipped with fewer CPUs answering */
	bool (*valid)(const char **why);	/* NULL: nothing else needed */
	unsigned waits;			/* bit per enum wait_mode it measures */
	void (*run)(void);
	/*
	 * A per-pair benchmark: measures the pair (a, b) exactly as run()
	 * would, every row of it, into a table printed nowhere (a csv on
	 * report_null_out). The plan times it for its cost model. NULL: none.
	 */
	void (*probe)(unsigned a, unsigned b);
};

/* The names bench= and wait= accept: the table's and the harness's. */
const struct cmdline_names *suite_names(void);

/* Does config.bench select the benchmark of this name? */
bool suite_selected(const char *name);

/*
 * The cost of one pair of benchmark `name`, in TSC cycles: its probe run
 * on (a, b) with report_probing set. 0 when not selected, not runnable
 * here, or without a probe.
 */
uint64_t suite_probe(const char *name, unsigned a, unsigned b);

/* Runs every benchmark config.bench selects, in table order. */
void suite_run(void);

#endif
