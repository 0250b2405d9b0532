/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_CORE_IDT_H
#define VOLLEY_CORE_IDT_H

#include <stdbool.h>
#include <stdint.h>

#include "regs.h"

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

#endif
