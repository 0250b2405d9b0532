/* SPDX-License-Identifier: MIT */
/*
 * The one wait primitive: poll a condition against a TSC deadline.
 *
 * Every wait in volley (an AP answering its start-up IPIs, a pong, a csd
 * unlock, a flush acknowledgement, a job finishing) is a condition polled
 * with `pause` until it holds or its deadline passes; nothing waits
 * forever. The clock is read only once every WAIT_CHECK polls: under a
 * hypervisor that traps rdtsc (about 30,000 cycles on our nested KVM) a read
 * per poll would be most of the loop, and inside a timed span it would be
 * timed too. For the same reason wait_progress() re-arms the deadline
 * without reading the clock: the new deadline is taken at the next read.
 *
 *	struct wait w;
 *	wait_start(&w, timeout_ms);
 *	if (!wait_until(&w, flag == want))
 *		... the deadline passed: an `errors` row, the run goes on ...
 *
 * The whole-run watchdog (watchdog_start()) is checked at those same clock
 * reads on the boot CPU: a run that overstays it ends with status 1.
 */
#ifndef VOLLEY_CORE_WAIT_H
#define VOLLEY_CORE_WAIT_H

#include <stdbool.h>
#include <stdint.h>
#include "x86.h"

#define WAIT_CHECK	1024	/* polls per clock read */

struct wait {
	uint64_t deadline;	/* TSC */
	uint64_t span;		/* cycles from a clock read to the deadline */
	uint32_t polls;
	bool rearm;		/* progress seen: new deadline at the next read */
	/* wait_watch(), wait_watch32(): words whose moving counts as progress too */
	const volatile uint64_t *watch;
	const volatile uint32_t *watch32;
	uint64_t watch_seen;
	uint32_t watch32_seen;
};

/* A deadline span cycles from now (reads the clock once). */
void wait_start_cycles(struct wait *w, uint64_t span);
/* The same, timeout_ms milliseconds from now. */
void wait_start(struct wait *w, uint64_t timeout_ms);

/* Progress was made: the deadline moves a whole span past the next read. */
static inline void wait_progress(struct wait *w)
{
	w->rearm = true;
}

/*
 * A wait for a shared resource (a csd target serving hundreds of callers,
 * the lock in front of it): whenever *ctr has moved since the last clock
 * read, the deadline moves too, so only a resource that stopped for the
 * whole span is a miss. One word of each size; looked at only at clock
 * reads.
 * After wait_start().
 */
static inline void wait_watch(struct wait *w, const volatile uint64_t *ctr)
{
	w->watch = ctr;
	w->watch_seen = *ctr;
}
static inline void wait_watch32(struct wait *w, const volatile uint32_t *ctr)
{
	w->watch32 = ctr;
	w->watch32_seen = *ctr;
}

/* The slow path of wait_expired(): reads the clock. */
bool wait_check_clock(struct wait *w);

/* One poll: true once the deadline has passed (clock read every WAIT_CHECK). */
static inline bool wait_expired(struct wait *w)
{
	if (++w->polls % WAIT_CHECK)
		return false;
	return wait_check_clock(w);
}

/*
 * Polls cond (an expression, re-evaluated) until it holds: true, or false
 * when the deadline passed first. cond is evaluated once more after the
 * deadline, so a condition met at the last moment still counts.
 */
#define wait_until(w, cond) ({						\
	bool ok_ = true;						\
	while (!(cond)) {						\
		if (wait_expired(w)) {					\
			ok_ = (cond);					\
			break;						\
		}							\
		cpu_pause();						\
	}								\
	ok_;								\
})

/*
 * Polls until ctr >= want, where ctr only grows (arrivals at a barrier):
 * each arrival re-arms the deadline, so a barrier of hundreds of CPUs on
 * an overcommitted host fails only when nobody arrived for a whole span.
 */
#define wait_until_count(w, ctr, want) ({				\
	uint64_t seen_ = (ctr);						\
	bool ok_ = true;						\
	while (seen_ < (uint64_t)(want)) {				\
		uint64_t now_;						\
		if (wait_expired(w)) {					\
			ok_ = (uint64_t)(ctr) >= (uint64_t)(want);	\
			break;						\
		}							\
		cpu_pause();						\
		now_ = (ctr);						\
		if (now_ != seen_) {					\
			seen_ = now_;					\
			wait_progress(w);				\
		}							\
	}								\
	ok_;								\
})

/* bool (*)(void *) form for pure code that takes a callback (csd_queue). */
bool wait_expired_cb(void *w);

/*
 * The whole-run watchdog: from watchdog_start(s) on, a wait whose clock
 * read on the boot CPU finds the run older than s seconds ends the run:
 * an `errors` row, the errors table, status 1.
 */
void watchdog_start(unsigned seconds);

#endif
