/* SPDX-License-Identifier: MIT */
/*
 * The machine's CPUs and their numbering. Every CPU the MADT lists gets a
 * dense number (0 = the boot CPU, then MADT order) and a slot, started or
 * not; the masks say which numbers are possible, present and online, as
 * Linux's do. apic/smpboot.c starts them; everyone else reads this.
 */
#ifndef VOLLEY_CORE_CPUS_H
#define VOLLEY_CORE_CPUS_H

#include <stdbool.h>
#include <stdint.h>
#include "cpumask.h"

struct cpu_slot {
	uint32_t apic_id, acpi_id;
	bool enabled;		/* MADT: usable */
	bool online_capable;
	bool started;		/* we tried to start it */
	const char *state;	/* online, disabled, not-started, no-answer, ... */
};

extern struct cpumask cpu_possible_mask, cpu_present_mask, cpu_online_mask;
/* Rows of the cpus table, in dense-number order. */
extern struct cpu_slot cpu_slots[NR_CPUS];
extern unsigned nr_cpu_slots;
/* Dense CPU number -> APIC ID (not dense; may exceed 255). */
extern uint32_t cpu_apic_id[NR_CPUS];

/*
 * Numbers the CPUs of the MADT (acpi_init() first): the boot CPU, whose APIC
 * ID is self_apic_id, is 0; disabled entries are listed, not present.
 * Sets nr_cpu_ids. CPU 0 is online from here on.
 */
void cpus_enumerate(uint32_t self_apic_id);

/* Marks cpu online (its start-up finished). */
void cpu_set_online(unsigned cpu);

/*
 * True when every present CPU is online: only then may an all-but-self
 * shorthand be sent (it also reaches CPUs that were never started).
 */
bool cpus_all_present_online(void);

/* Fills each CPU's topo.node from SRAT (after the CPUs have started). */
void cpus_assign_nodes(void);

/* The largest APIC ID the MADT lists (for the APIC mode choice). */
uint32_t cpus_max_apic_id(void);

#endif
