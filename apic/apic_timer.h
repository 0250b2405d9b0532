/* SPDX-License-Identifier: MIT */
/*
 * The local APIC timer, one-shot, as a deadline for a CPU that sleeps in
 * hlt outside a measurement (the boot CPU waiting for a job): it fires
 * only if the wake-up it waits for never comes, so a normal run takes no
 * timer interrupt. Calibrated once against the TSC.
 */
#ifndef VOLLEY_APIC_APIC_TIMER_H
#define VOLLEY_APIC_APIC_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#define VEC_TIMER	0xef	/* one-shot deadline; the handler only EOIs */

/* Measures the timer's rate on this CPU; false if it does not count. */
bool apic_timer_init(void);
/* Ticks per second (0 before apic_timer_init or when it failed). */
extern uint64_t apic_timer_hz;
/* Fires VEC_TIMER once, about us microseconds from now (capped). */
void apic_timer_oneshot_us(uint64_t us);
/* Stops it; an expiry already pending stays pending (see apic_timer.c). */
void apic_timer_stop(void);

#endif
