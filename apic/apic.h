/* SPDX-License-Identifier: MIT */
/*
 * One interface over xAPIC (MMIO) and x2APIC (MSRs), chosen once at boot.
 * IPI send: physical unicast, mask (one ICR write per target), logical
 * (xAPIC flat / x2APIC cluster), shorthands self / all / all-but-self.
 */
#ifndef VOLLEY_APIC_APIC_H
#define VOLLEY_APIC_APIC_H

#include <stdbool.h>
#include <stdint.h>
#include "apic_regs.h"
#include "core/cmdline.h"
#include "core/cpus.h"

enum apic_mode { APIC_XAPIC, APIC_X2APIC };

extern enum apic_mode apic_mode;
extern bool apic_x2apic_by_firmware;	/* EXTD was already set at boot */
const char *apic_mode_name(void);

/* Boot CPU: choose and enable the mode; 0 or -1 with a reason in err. */
int apic_init(enum apic_mode_req req, uint32_t max_apic_id, char *err,
	      unsigned errlen);
/* Every CPU: enable in the chosen mode, mask LVTs, timer off, vectors. */
void apic_setup_cpu(void);

uint32_t apic_read(unsigned reg);
void apic_write(unsigned reg, uint32_t v);
uint32_t apic_id(void);
static inline void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* Low-level ICR write. Returns false if the ICR stayed busy past the deadline. */
bool apic_icr_write(uint32_t low, uint32_t dest);

bool apic_send_ipi(uint32_t apic_id, unsigned vector);
/* One physical ICR write per CPU in mask (dense CPU numbers). */
bool apic_send_ipi_mask(const struct cpumask *mask, unsigned vector);
/* Logical destination: xAPIC flat (<= 8 CPUs) or x2APIC cluster. */
bool apic_logical_possible(const struct cpumask *mask);
bool apic_send_ipi_logical(const struct cpumask *mask, unsigned vector);
/*
 * All but this CPU: the shorthand when every present CPU is online, else
 * one ICR write per online CPU (see apic.c). The __ variant is the bare
 * shorthand, for the benchmark that measures it (and checks it may).
 */
bool apic_send_ipi_allbutself(unsigned vector);
bool __apic_send_ipi_allbutself(unsigned vector);
bool apic_send_ipi_all(unsigned vector);
bool apic_send_ipi_self(unsigned vector);
bool apic_send_nmi_allbutself(void);

/* x2APIC ICR writes are fenced (mfence; lfence): not on AMD/Hygon. */
extern bool apic_icr_fence;

/* The ICR writes in the last send (for the bcast table's method notes). */
extern uint32_t apic_icr_writes;
/* Count of APIC error interrupts and the last ESR value seen. */
extern volatile uint32_t apic_errors, apic_last_esr;

/* x2APIC logical ID (LDR) of each CPU, read on that CPU. */
extern uint32_t cpu_ldr[NR_CPUS];

#endif
