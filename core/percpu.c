/* SPDX-License-Identifier: MIT */
#include "percpu.h"
#include "x86.h"

struct percpu percpu_area[NR_CPUS];
int percpu_ready;

void percpu_init(unsigned cpu)
{
	struct percpu *pc = &percpu_area[cpu];

	pc->self = pc;
	pc->cpu = cpu;
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)pc);
	percpu_ready = 1;
}
