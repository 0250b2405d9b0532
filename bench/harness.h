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
#include "core/wait.h"
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
/* Before smp_boot(): APs idle in hlt from their first loop on. */
void harness_prepare(void);
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
 * under an emulator with more vCPUs than host cores. Under the run's
 * budget a row also has row_allow_cycles (bench/plan.c: its part's time
 * left over its rows left): past it the row stops at ROW_FLOOR_SAMPLES,
 * its warm-up after a quarter of it, its batch_mean after one batch. An
 * explicit iters= on the command line is taken at its word: no budget.
 */
/*
 * The deadline of a barrier of ncpus CPUs (every target ready, every
 * sender at the start line): timeout_ms, plus timeout_ms per 32 CPUs. On
 * hardware a barrier takes microseconds and this only delays a failure's
 * report; on an overcommitted host each CPU may need a host scheduler
 * quantum first, while those already there spin.
 */
static inline uint64_t barrier_timeout_ms(unsigned ncpus)
{
	return config.timeout_ms * (1 + ncpus / 32);
}

#define ROW_BUDGET_MS	250
#define ROW_MIN_SAMPLES	64
#define ROW_FLOOR_SAMPLES	16
extern uint64_t row_allow_cycles;	/* set by bench_row_next(); 0: no budget */

/* Has a row (or `rows` interleaved rows) begun at start used quarters/4 of its allowance? */
static inline bool row_allow_used(uint64_t start, unsigned rows, unsigned quarters)
{
	return !config.iters_given && row_allow_cycles &&
	       rdtsc() - start > row_allow_cycles / 4 * quarters * rows;
}
/* A job of `rows` interleaved rows: each row keeps its budget. */
static inline bool rows_budget_spent(unsigned have, uint64_t start, unsigned rows)
{
	if (config.iters_given || have < ROW_FLOOR_SAMPLES || have % 16)
		return false;
	return (have >= ROW_MIN_SAMPLES && rdtsc() - start > tsc_ms(ROW_BUDGET_MS) * rows) ||
	       row_allow_used(start, rows, 3);
}
/* Warm-up round `done` of rows begun at start: another one? */
static inline bool warmup_more(unsigned done, unsigned warm, uint64_t start, unsigned rows)
{
	return done < warm && (done < 2 || !row_allow_used(start, rows, 1));
}
/* batch_mean repetition `done`: another one (of BATCH_REPS)? */
static inline bool batch_rep_more(unsigned done, unsigned reps, uint64_t start, unsigned rows)
{
	return done < reps && (done == 0 || !row_allow_used(start, rows, 4));
}
static inline bool row_budget_spent(unsigned have, uint64_t row_start)
{
	return rows_budget_spent(have, row_start, 1);
}

/*
 * A measured receiver that sleeps (ipi_rtt's responder, csd's target):
 * hlt means halted. receiver_sleep() turns interrupts off, checks *stop,
 * announces `token` in *halting and only then enables interrupts in the
 * instruction before hlt (or mwait, the monitor armed on *stop before
 * the check): a wake-up that arrives after the check is taken by
 * the hlt itself, never lost (cli; check; sti; hlt). Returns false once
 * *stop is set. WM_SPIN: one pause with interrupts on, no announcement.
 *
 * The sender, before each timed wake-up, calls receiver_await_sleep():
 * it waits until the receiver has announced `token` (it is at its hlt)
 * and then spins SETTLE_CYCLES more, counted in pauses calibrated once at
 * start (no clock read: it may sit inside a batch_mean span), so the
 * receiver has really halted when the IPI goes out. kvm-unit-tests'
 * ipi_halt spins about 2000 cycles for the same reason.
 */
#define SETTLE_CYCLES	2000
bool receiver_sleep(enum wait_mode m, volatile uint32_t *stop,
		    volatile uint64_t *halting, uint64_t token);
bool receiver_await_sleep(struct wait *w, enum wait_mode m,
			  volatile uint64_t *halting, uint64_t token);
/* The pauses the settle spin takes (measured by harness_init). */
extern unsigned settle_pauses;

/*
 * The boot CPU outside the measured set is a bystander too: it waits for a
 * job in hlt, not spinning. boot_idle_until(w, cond) sleeps until cond
 * holds or w's deadline passes. The wake-up: an AP that finishes a job
 * sends VEC_WAKE to the boot CPU when it has announced it is asleep
 * (boot_idle_enter: flag, mfence, then cond is checked with interrupts
 * off; the AP: done, mfence, flag read; so one of the two sees the
 * other). The deadline: the local APIC timer, one-shot at w's deadline,
 * fires only if that wake-up never comes (no timer interrupt in a normal
 * run); each wake-up reads the clock once, on this idle CPU only. Without
 * a working APIC timer it spins as wait_until() does.
 */
#define boot_idle_until(w, cond) ({					\
	bool ok_ = true;						\
	uint64_t if_ = boot_idle_enter();				\
	for (;;) {							\
		if (cond)						\
			break;						\
		if (boot_idle_sleep(w)) {				\
			ok_ = (cond);					\
			break;						\
		}							\
	}								\
	boot_idle_leave(if_);						\
	ok_;								\
})
uint64_t boot_idle_enter(void);
/* One sleep (or poll, without a timer); true once the deadline passed. */
bool boot_idle_sleep(struct wait *w);
void boot_idle_leave(uint64_t was_on);

/* Does mwait really wait here: 1, 0 (returns at once), -1 (not checked). */
extern int mwait_waits;
/*
 * After a row: a 'counters:' klog line when an SMI (Intel MSR 0x34) or an
 * APERF/MPERF ratio off 100% by more than 5% hit a job run since the last
 * row (each job is counted around, outside what it times). Nothing where
 * the MSRs are not readable.
 */
void harness_row_note(const char *table, const char *row);

/* Measures every online CPU's TSC offset against the boot CPU (core/tsc_sync.c). */
void bench_tsc_sync(void);

#endif
