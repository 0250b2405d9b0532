/* SPDX-License-Identifier: MIT */
/*
 * The benchmark harness. Each AP runs bench_ap_loop(): one loop on its own
 * cache-line-aligned mailbox, waiting (spin, hlt or monitor/mwait) for the
 * boot CPU to post a function, running it, and marking it done. The boot
 * CPU orchestrates; in a measurement only the CPUs in it are active.
 */
#ifndef VOLLEY_BENCH_HARNESS_H
#define VOLLEY_BENCH_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include "core/compiler.h"
#include "run.h"
#include "core/cpumask.h"
#include "core/tsc.h"
#include "core/x86.h"

enum wait_mode { WM_SPIN, WM_HLT, WM_MWAIT, WM_COUNT };
extern const char *const wait_mode_name[WM_COUNT];

struct mailbox {
	/* Written by the boot CPU. */
	volatile uint64_t seq;
	void (*fn)(void *arg);
	void *arg;
	volatile uint32_t idle_wait;	/* enum wait_mode between jobs */
	/* Written by the AP: its own line, so polling it does not bounce seq. */
	volatile uint64_t done __cacheline_aligned;
	volatile uint64_t started;	/* seq of the job it picked up */
} __cacheline_aligned;

/* CPUs online and answering; a CPU that misses a deadline is removed. */
extern struct cpumask bench_cpus;

void bench_ap_loop(void) __attribute__((noreturn));
void harness_init(void);

void bench_post(unsigned cpu, void (*fn)(void *), void *arg);
/* Waits for cpu's job; false plus an `errors` row past timeout_ms. */
bool bench_wait(unsigned cpu, uint64_t timeout_ms, const char *where);
/*
 * Runs fn(arg) on every CPU of mask at once (the boot CPU inline, after
 * posting to the others) and waits for all; CPUs that miss the deadline
 * are reported and dropped from bench_cpus. Returns true if all finished.
 */
bool bench_run_on(const struct cpumask *mask, void (*fn)(void *), void *arg,
		  uint64_t timeout_ms, const char *where);
void bench_set_idle_wait(unsigned cpu, enum wait_mode m);
bool wait_mode_available(enum wait_mode m);

/*
 * A row stops taking samples once it has ROW_MIN_SAMPLES and has run for
 * ROW_BUDGET_MS (checked every 16 samples; the samples column shows how
 * many it kept). On real hardware 1000 rounds take milliseconds and never
 * reach it; it bounds rows whose rounds cost a host scheduler quantum, as
 * under an emulator with more vCPUs than host cores. An explicit iters=
 * on the command line is taken at its word: no budget.
 */
#define ROW_BUDGET_MS	250
#define ROW_MIN_SAMPLES	64
static inline bool row_budget_spent(unsigned have, uint64_t row_start)
{
	return !config.iters_given && have >= ROW_MIN_SAMPLES && have % 16 == 0 &&
	       rdtsc() - row_start > tsc_ms(ROW_BUDGET_MS);
}

/* Measures every online CPU's TSC offset against the boot CPU (core/tsc_sync.c). */
void bench_tsc_sync(void);

#endif
