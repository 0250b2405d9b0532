/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_CORE_CPUINFO_H
#define VOLLEY_CORE_CPUINFO_H

#include <stdbool.h>
#include <stdint.h>

struct cpuinfo {
	char vendor[13];
	char brand[49];
	char hypervisor[13];	/* CPUID 0x40000000 signature, or "none" */
	unsigned family, model, stepping;
	bool x2apic, mwait, invpcid, pcid, invlpgb, rdtscp, pdpe1gb;
};

extern struct cpuinfo cpuinfo;
void cpuinfo_init(void);

#endif
