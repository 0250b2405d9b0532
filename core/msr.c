/* SPDX-License-Identifier: MIT */
#include <stddef.h>
#include "msr.h"
#include "percpu.h"
#include "regs.h"

/*
 * The instruction runs with this CPU's fixup_rip pointing at the label
 * after it; a #GP there makes msr_fixup() resume at that label with
 * fault set. fixup_rip is cleared on both paths.
 */
bool rdmsr_safe(uint32_t msr, uint64_t *v)
{
	uint32_t lo = 0, hi = 0;
	uint8_t fault = 0;

	asm volatile("leaq 1f(%%rip), %%r11\n\t"
		     "movq %%r11, %%gs:%c[fx]\n\t"
		     "rdmsr\n\t"
		     "jmp 2f\n"
		     "1:\tmovb $1, %[f]\n"
		     "2:\tmovq $0, %%gs:%c[fx]"
		     : "+a"(lo), "+d"(hi), [f] "+q"(fault)
		     : "c"(msr), [fx] "i"(offsetof(struct percpu, fixup_rip))
		     : "r11", "memory");
	*v = fault ? 0 : ((uint64_t)hi << 32) | lo;
	return !fault;
}

bool wrmsr_safe(uint32_t msr, uint64_t v)
{
	uint8_t fault = 0;

	asm volatile("leaq 1f(%%rip), %%r11\n\t"
		     "movq %%r11, %%gs:%c[fx]\n\t"
		     "wrmsr\n\t"
		     "jmp 2f\n"
		     "1:\tmovb $1, %[f]\n"
		     "2:\tmovq $0, %%gs:%c[fx]"
		     : [f] "+q"(fault)
		     : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)),
		       [fx] "i"(offsetof(struct percpu, fixup_rip))
		     : "r11", "memory");
	return !fault;
}

bool msr_fixup(struct regs *r)
{
	struct percpu *pc = this_cpu_ptr();

	if (r->vector != 13 || !pc->fixup_rip)
		return false;
	r->rip = pc->fixup_rip;
	pc->fixup_rip = 0;
	return true;
}
