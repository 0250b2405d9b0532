/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_APIC_SMPBOOT_H
#define VOLLEY_APIC_SMPBOOT_H

#include <stdbool.h>
#include <stdint.h>
#include "core/cpus.h"

/*
 * Starts the APs of cpu_slots (cpus_enumerate() first) one at a time
 * with INIT-SIPI-SIPI. Each AP sets up its per-CPU area, IDT and APIC and
 * then calls ap_loop(), which must not return. A CPU that does not answer within timeout_ms becomes an `errors`
 * row and stays offline. Returns the number of CPUs online.
 */
unsigned smp_boot(void (*ap_loop)(void), unsigned max_cpus,
		  uint32_t timeout_ms, int noap_cpu);

#endif
