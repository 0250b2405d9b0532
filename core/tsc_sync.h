/* SPDX-License-Identifier: MIT */
/*
 * TSC offsets between CPUs, measured before any one-way figure is reported
 * (as Linux's arch/x86/kernel/tsc_sync.c checks them at CPU bring-up).
 *
 * A ping-pong over one shared line: the source (boot CPU) reads t0 and
 * writes a request; the target reads its TSC t1 and answers; the source
 * reads t3. With symmetric one-way delays t1 = (t0 + t3) / 2 + offset, and
 * the error is at most (t3 - t0) / 2; the round with the smallest round
 * trip is kept. The two halves run on the two CPUs at once: the caller
 * runs tsc_sync_target() on the target (a harness job) and
 * tsc_sync_source() on the boot CPU.
 */
#ifndef VOLLEY_CORE_TSC_SYNC_H
#define VOLLEY_CORE_TSC_SYNC_H

#include <stdbool.h>
#include <stdint.h>

/* Before each exchange: resets the line; both halves give up after timeout_ms. */
void tsc_sync_prepare(uint32_t timeout_ms);
/* The target's half (a job: arg unused). */
void tsc_sync_target(void *arg);
/*
 * The boot CPU's half against cpu: sets per_cpu(cpu)->tsc_offset and
 * tsc_offset_err (UINT64_MAX: unknown) and the maxima below. False when the
 * target never answered.
 */
bool tsc_sync_source(unsigned cpu);

/* Largest |offset| and largest error bound over the CPUs measured. */
extern uint64_t tsc_sync_max_offset, tsc_sync_max_err;

#endif
