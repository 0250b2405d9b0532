/* SPDX-License-Identifier: MIT */
#include "wait.h"
#include "console.h"
#include "errors.h"
#include "exit.h"
#include "percpu.h"
#include "tsc.h"

static uint64_t watchdog_deadline;
static unsigned watchdog_seconds;

void watchdog_start(unsigned seconds)
{
	watchdog_seconds = seconds;
	watchdog_deadline = rdtsc() + tsc_ms((uint64_t)seconds * 1000);
}

static void watchdog_check(uint64_t now)
{
	if (!watchdog_deadline || (int64_t)(now - watchdog_deadline) <= 0 ||
	    smp_processor_id() != 0)
		return;
	watchdog_deadline = 0;
	error_add("watchdog", 0, (uint64_t)watchdog_seconds * 1000000,
		  "the run exceeded %u s and was stopped", watchdog_seconds);
	klog("volley: watchdog: the run exceeded %u s; stopping", watchdog_seconds);
	errors_print();
	volley_exit(STATUS_ERRORS);
}

void wait_start_cycles(struct wait *w, uint64_t span)
{
	w->span = span;
	w->deadline = rdtsc() + span;
	w->polls = 0;
	w->rearm = false;
	w->watch = 0;
	w->watch32 = 0;
}

void wait_start(struct wait *w, uint64_t timeout_ms)
{
	wait_start_cycles(w, tsc_ms(timeout_ms));
}

bool wait_check_clock(struct wait *w)
{
	uint64_t now = rdtsc();

	watchdog_check(now);
	if (w->watch && *w->watch != w->watch_seen) {
		w->watch_seen = *w->watch;
		w->rearm = true;
	}
	if (w->watch32 && *w->watch32 != w->watch32_seen) {
		w->watch32_seen = *w->watch32;
		w->rearm = true;
	}
	if (w->rearm) {
		w->rearm = false;
		w->deadline = now + w->span;
		return false;
	}
	return (int64_t)(now - w->deadline) > 0;
}

bool wait_expired_cb(void *w)
{
	return wait_expired(w);
}
