/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_CORE_TOPOLOGY_H
#define VOLLEY_CORE_TOPOLOGY_H

#include <stdint.h>

/* Where a CPU sits, from its own APIC ID and CPUID. */
struct cpu_topo {
	uint32_t x2apic_id;	/* from CPUID (0xB/0x1F EDX, else leaf 1) */
	uint32_t package, die, core, thread;
	uint32_t package_shift;	/* APIC ID bits below the package */
	uint32_t node;		/* NUMA node (SRAT), filled by the caller */
	uint32_t llc;		/* last-level cache domain: APIC ID >> its sharing bits */
	uint32_t llc_level;	/* its cache level (3, 2), 0: unknown (llc = package) */
	const char *source;	/* "amd26", "cpuid1f", "cpuidb", "amd1e", "amd", "legacy" */
};

/* One CPUID leaf/subleaf's registers. */
struct topo_cpuid {
	uint32_t eax, ebx, ecx, edx;
};
typedef struct topo_cpuid (*topo_cpuid_fn)(uint32_t leaf, uint32_t subleaf);

/*
 * Where the CPU whose CPUID f reads sits (pure: host tests pass tables of
 * real CPUs' leaves).
 */
void topology_decode(struct cpu_topo *t, topo_cpuid_fn f);

/* Runs on the CPU being described: topology_decode() of its own CPUID. */
void topology_detect(struct cpu_topo *t);

#endif
