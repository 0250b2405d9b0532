/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_CORE_TSC_H
#define VOLLEY_CORE_TSC_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A reference clock to calibrate the TSC against (HPET, ACPI PM timer),
 * registered by core/acpi.c before tsc_init(). `read` returns a counter of
 * `bits` width that ticks at `hz`.
 */
struct refclock {
	const char *name;
	uint64_t hz;
	unsigned bits;
	uint64_t (*read)(void);
};

void tsc_add_refclock(const struct refclock *rc);
/*
 * Makes LFENCE dispatch-serializing where it can (AMD DE_CFG) and chooses
 * rdtsc_fenced()'s leading fence; tsc_fence names it for `meta`: lfence,
 * lfence_decfg (we set the bit), mfence (could not). Before any timing.
 */
void tsc_fence_init(void);
extern const char *tsc_fence;
void tsc_init(void);

extern uint64_t tsc_hz;
extern const char *tsc_source;	/* cpuid15, cpuid16, hypervisor, hpet, pmtimer, pit, assumed */
extern bool tsc_invariant;
/* CPUID's (or the hypervisor leaf's) rate and the measured one; 0 if none. */
extern uint64_t tsc_hz_cpuid, tsc_hz_measured;
extern const char *tsc_measured_source;	/* hpet, pmtimer or none */
extern uint64_t tsc_hz_bracket_ppm;	/* the measurement's own uncertainty */
/* |cpuid - measured| / cpuid in ppm; UINT64_MAX unless both exist. */
uint64_t tsc_disagree_ppm(void);

/* Cycles for ms milliseconds / us microseconds at the calibrated rate. */
uint64_t tsc_ms(uint64_t ms);
uint64_t tsc_us(uint64_t us);
/* Microseconds / milliseconds from TSC value t0 to now. */
uint64_t us_since(uint64_t t0);
uint64_t ms_since(uint64_t t0);
/* Busy-waits for us microseconds (SDM delays in the start-up sequence). */
void udelay(uint64_t us);

#endif
