/* SPDX-License-Identifier: MIT */
/*
 * MSR access that survives a #GP: an MSR this CPU, its family or the
 * hypervisor does not have (DE_CFG on a guest, MSR_SMI_COUNT on AMD,
 * APERF/MPERF under TCG). The #GP handler (core/idt.c) resumes at the
 * fixup address this CPU armed just before the instruction.
 */
#ifndef VOLLEY_CORE_MSR_H
#define VOLLEY_CORE_MSR_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_SMI_COUNT	0x034		/* Intel: SMIs since reset (bits 31:0) */
#define MSR_MPERF	0x0e7		/* TSC-rate counter while in C0 */
#define MSR_APERF	0x0e8		/* actual-clock counter while in C0 */
#define MSR_AMD_DE_CFG	0xc0011029	/* AMD families 10h+: decode config */
#define   MSR_AMD_DE_CFG_LFENCE_SERIALIZE	(1ull << 1)

/* false (and *v = 0) when the access raised #GP. */
bool rdmsr_safe(uint32_t msr, uint64_t *v);
bool wrmsr_safe(uint32_t msr, uint64_t v);

struct regs;
/* For the #GP handler: resumes at an armed fixup; false if none was armed. */
bool msr_fixup(struct regs *r);

#endif
