/* SPDX-License-Identifier: MIT */
#include "tsc_sync.h"
#include "compiler.h"
#include "percpu.h"
#include "wait.h"
#include "x86.h"

#define SYNC_ROUNDS	64

static struct {
	volatile uint64_t req;
	volatile uint64_t ack;
	volatile uint64_t t1;
	uint32_t timeout_ms;
} sync_line __cacheline_aligned;

uint64_t tsc_sync_max_offset, tsc_sync_max_err;

void tsc_sync_prepare(uint32_t timeout_ms)
{
	sync_line.req = 0;
	sync_line.ack = 0;
	sync_line.timeout_ms = timeout_ms;
}

void tsc_sync_target(void *arg)
{
	struct wait w;

	(void)arg;
	wait_start(&w, sync_line.timeout_ms);
	for (uint64_t i = 1; i <= SYNC_ROUNDS; i++) {
		if (!wait_until(&w, sync_line.req == i))
			return;
		sync_line.t1 = rdtsc_fenced();
		__atomic_store_n(&sync_line.ack, i, __ATOMIC_RELEASE);
	}
}

bool tsc_sync_source(unsigned cpu)
{
	struct percpu *pc = per_cpu(cpu);
	uint64_t best_rtt = ~0ULL, mag;
	int64_t best_off = 0;
	struct wait w;

	wait_start(&w, sync_line.timeout_ms);
	for (uint64_t i = 1; i <= SYNC_ROUNDS; i++) {
		uint64_t t0 = rdtsc_fenced(), t3;

		__atomic_store_n(&sync_line.req, i, __ATOMIC_RELEASE);
		if (!wait_until(&w, __atomic_load_n(&sync_line.ack,
						    __ATOMIC_ACQUIRE) == i))
			break;
		t3 = rdtsc_fenced();
		if (t3 - t0 < best_rtt) {
			best_rtt = t3 - t0;
			best_off = (int64_t)(sync_line.t1 - (t0 + (t3 - t0) / 2));
		}
	}
	if (best_rtt == ~0ULL) {
		pc->tsc_offset_err = UINT64_MAX;	/* unknown */
		return false;
	}
	pc->tsc_offset = best_off;
	pc->tsc_offset_err = best_rtt / 2;
	mag = best_off < 0 ? (uint64_t)-best_off : (uint64_t)best_off;
	if (mag > tsc_sync_max_offset)
		tsc_sync_max_offset = mag;
	if (best_rtt / 2 > tsc_sync_max_err)
		tsc_sync_max_err = best_rtt / 2;
	return true;
}
