/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_APIC_SMPBOOT_H
#define VOLLEY_APIC_SMPBOOT_H

#include <stdbool.h>
#include <stdint.h>
#include "core/cpus.h"

/*
 * Starts the APs of cpu_slots (cpus_enumerate() first) with INIT-SIPI-SIPI,
 * in parallel batches. Each AP sets up its per-CPU area, IDT and APIC and
 * then calls ap_loop(), which must not return. A batch waits as long as
 * its APs keep arriving, timeout_ms after the last arrival (a deadline per
 * AP); a CPU not online by then becomes an `errors` row and stays offline.
 * per_cpu(cpu)->start_us: when the boot CPU saw it online, in us from the
 * start of the bring-up. Returns the number of CPUs online.
 */
unsigned smp_boot(void (*ap_loop)(void), unsigned max_cpus,
		  uint32_t timeout_ms, int noap_cpu);

#endif
