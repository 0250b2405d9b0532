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
#include "core/cpumask.h"

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
 * Spin loops read the clock once every SPIN_CHECK iterations: under a
 * hypervisor that traps rdtsc (about 30,000 cycles on our nested KVM) a read
 * per iteration would be most of the loop. spin_expired(n, d) is the check
 * for the n-th iteration.
 */
#define SPIN_CHECK	1024
#define spin_expired(n, deadline) \
	((n) % SPIN_CHECK == 0 && deadline_passed(deadline))

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
static inline bool row_budget_spent(unsigned have, uint64_t row_start);

/* A TSC deadline in the future / a check on it. */
static inline uint64_t deadline_after_ms(uint64_t ms);
bool deadline_passed(uint64_t deadline);

/*
 * The whole-run watchdog: every wait checks its deadline through
 * deadline_passed(), which also ends a run that has gone on longer than
 * WATCHDOG_S with a clear line and status 1.
 */
#define WATCHDOG_S	3600

/* Fault injection (inject=mute|drop|apfault|panic): see harness.c. */
void inject_setup(void);
void inject_late(void);

/* Measures every online CPU's TSC offset against the boot CPU. */
void tsc_sync_measure(void);
extern uint64_t tsc_sync_max_offset, tsc_sync_max_err;

#include "core/kmain.h"
#include "core/tsc.h"
#include "core/x86.h"
static inline uint64_t deadline_after_ms(uint64_t ms)
{
	return rdtsc() + tsc_ms(ms);
}

static inline bool row_budget_spent(unsigned have, uint64_t row_start)
{
	return !config.iters_given && have >= ROW_MIN_SAMPLES && have % 16 == 0 &&
	       rdtsc() - row_start > tsc_ms(ROW_BUDGET_MS);
}

#endif
