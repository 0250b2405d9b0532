/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_BENCH_SUITE_H
#define VOLLEY_BENCH_SUITE_H

#include <stdbool.h>

/*
 * A benchmark: its table name, the bench= bit that selects it, a predicate
 * saying whether it can run here (with the reason when not), and the run.
 */
struct benchmark {
	const char *name;
	unsigned bit;
	bool (*valid)(const char **why);
	void (*run)(void);
};

#endif
