/* SPDX-License-Identifier: MIT */
/*
 * The name lists the command-line tests hand to the parser, as the kernel's
 * benchmark table (bench/suite.c) and wait modes (bench/harness.c) do: the
 * parser knows no benchmark by name.
 */
#ifndef VOLLEY_TESTS_NAMES_H
#define VOLLEY_TESTS_NAMES_H

#include "core/cmdline.h"

static const char *const test_bench_names[] = { "floor", "ipi", "bcast", "csd", "tlb" };
static const char *const test_wait_names[] = { "spin", "hlt", "mwait" };
static const struct cmdline_names test_names = {
	.bench = test_bench_names, .nbench = 5,
	.wait = test_wait_names, .nwait = 3,
};

enum {
	BENCH_FLOOR	= 1,
	BENCH_IPI	= 2,
	BENCH_BCAST	= 4,
	BENCH_CSD	= 8,
	BENCH_TLB	= 16,
	BENCH_ALL	= 31,
};

enum {
	WAIT_SPIN	= 1,
	WAIT_HLT	= 2,
	WAIT_MWAIT	= 4,
	WAIT_ALL	= 7,
};

#endif
