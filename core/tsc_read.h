/* SPDX-License-Identifier: MIT */
/*
 * The fenced TSC reads, alone: volley's kernel (through x86.h), its Linux
 * module and its user-space programs (linux/) time with the same instructions.
 * Nothing else here, so the file builds inside the Linux kernel too.
 */
#ifndef VOLLEY_CORE_TSC_READ_H
#define VOLLEY_CORE_TSC_READ_H

#include <stdint.h>

#include <stdbool.h>

/*
 * SDM vol. 2B RDTSC: "If software requires RDTSC to be executed only after
 * all previous instructions have executed and all previous loads are
 * globally visible, it can execute LFENCE immediately before RDTSC." On AMD
 * LFENCE is dispatch-serializing only on families 0Fh/11h, on 19h and
 * later, and on 10h-17h once MSR C001_1029[1] is set: tsc_fence_init()
 * (core/tsc.c) sets it and reads it back; where it cannot,
 * tsc_fence_mfence makes the leading fence MFENCE, which AMD documents as
 * ordering RDTSC (Linux's X86_FEATURE_MFENCE_RDTSC). `meta` tsc_fence says
 * which. The trailing LFENCE keeps later instructions from starting
 * before the read. The Linux side defines tsc_fence_mfence false: Linux's
 * init_amd has already made LFENCE serializing there.
 */
extern bool tsc_fence_mfence;

static inline uint64_t rdtsc_fenced(void)
{
	uint32_t lo, hi;

	if (tsc_fence_mfence)
		asm volatile("mfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	else
		asm volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* RDTSCP waits for earlier instructions; the LFENCE holds later ones. */
static inline uint64_t rdtscp_fenced(uint32_t *aux)
{
	uint32_t lo, hi, c;

	asm volatile("rdtscp; lfence" : "=a"(lo), "=d"(hi), "=c"(c) : : "memory");
	if (aux)
		*aux = c;
	return ((uint64_t)hi << 32) | lo;
}

#endif
