/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_APIC_SMPBOOT_H
#define VOLLEY_APIC_SMPBOOT_H

#include <stdbool.h>
#include <stdint.h>
#include "core/cpumask.h"

/* Every CPU the MADT lists, started or not, in dense-number order. */
struct cpu_slot {
	uint32_t apic_id, acpi_id;
	bool enabled;		/* MADT: usable */
	bool online_capable;
	bool started;		/* we tried to start it */
	const char *state;	/* online, disabled, not-started, no-answer, ... */
};

extern struct cpumask cpu_possible_mask, cpu_present_mask, cpu_online_mask;
/* Rows of the cpus table: online CPUs first are numbered 0..n-1. */
extern struct cpu_slot cpu_slots[NR_CPUS];
extern unsigned nr_cpu_slots;
/* True when every present CPU came up: all-but-self shorthands are safe. */
extern bool smp_all_present_online;

/*
 * Starts the APs one at a time with INIT-SIPI-SIPI. Each AP sets up its
 * per-CPU area, IDT and APIC and then calls ap_loop(), which must not
 * return. A CPU that does not answer within timeout_ms becomes an `errors`
 * row and stays offline. Returns the number of CPUs online.
 */
unsigned smp_boot(void (*ap_loop)(void), unsigned max_cpus,
		  uint32_t timeout_ms, int noap_cpu);

#endif
