/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_CORE_IDT_H
#define VOLLEY_CORE_IDT_H

#include <stdbool.h>
#include <stdint.h>

/* What boot/isr.S pushes, lowest address first. */
struct regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};
_Static_assert(sizeof(struct regs) == 22 * 8, "struct regs mirrors isr.S");

typedef void (*irq_handler_t)(struct regs *r);

/* Builds the IDT and TSS on the boot CPU. */
void idt_init(void);
/* Loads IDT and TSS on the calling CPU (the boot CPU and each AP). */
void idt_load(void);
/* Installs a handler for an interrupt vector (32..255). */
void idt_set_handler(unsigned vector, irq_handler_t fn);
/*
 * A filter that sees every interrupt (vector >= 32) before its handler and
 * may swallow it (return true): fault injection drops IPIs this way.
 */
void idt_set_filter(bool (*filter)(unsigned vector));
/* Writes the fixed-format register dump. */
void regs_dump(const struct regs *r);

#endif
