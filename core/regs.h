/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_CORE_REGS_H
#define VOLLEY_CORE_REGS_H

#include <stdint.h>

/* What boot/isr.S pushes, lowest address first. */
struct regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};
_Static_assert(sizeof(struct regs) == 22 * 8, "struct regs mirrors isr.S");

#endif
