/* SPDX-License-Identifier: MIT */
/*
 * The AP trampoline's parameter block, at the end of its page: apic/smpboot.c
 * fills it before each INIT-SIPI-SIPI, boot/trampoline.S reads it.
 *   TRAMP_GDTR    6-byte lgdt operand: the kernel GDT (below 4 GiB)
 *   TRAMP_JMP32   far pointer (offset, selector) to the 32-bit step
 *   TRAMP_CR3     the kernel page tables
 *   TRAMP_STACK   the AP's stack top; TRAMP_ENTRY its C entry; TRAMP_ARG its argument
 *   TRAMP_ALIVE   the AP writes 1 here as soon as it runs (real mode)
 */
#ifndef VOLLEY_BOOT_TRAMPOLINE_REGS_H
#define VOLLEY_BOOT_TRAMPOLINE_REGS_H

#define TRAMP_PARAMS	0xf00	/* offset of the block in the page */
#define TRAMP_GDTR	(TRAMP_PARAMS + 0x00)	/* u16 limit, u32 base (+pad) */
#define TRAMP_JMP32	(TRAMP_PARAMS + 0x08)	/* u32 offset, u16 selector */
#define TRAMP_JMP64	(TRAMP_PARAMS + 0x10)	/* u32 offset, u16 selector */
#define TRAMP_CR3	(TRAMP_PARAMS + 0x18)
#define TRAMP_STACK	(TRAMP_PARAMS + 0x20)
#define TRAMP_ENTRY	(TRAMP_PARAMS + 0x28)
#define TRAMP_ARG	(TRAMP_PARAMS + 0x30)
#define TRAMP_ALIVE	(TRAMP_PARAMS + 0x38)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>
struct tramp_params {
	uint16_t gdt_limit;
	uint32_t gdt_base;
	uint16_t pad0;
	uint32_t jmp32_off;
	uint16_t jmp32_sel;
	uint16_t pad1;
	uint32_t jmp64_off;
	uint16_t jmp64_sel;
	uint16_t pad2;
	uint64_t cr3;
	uint64_t stack;
	uint64_t entry;
	uint64_t arg;
	volatile uint32_t alive;
} __attribute__((packed));
_Static_assert(offsetof(struct tramp_params, jmp32_off) == TRAMP_JMP32 - TRAMP_PARAMS, "jmp32");
_Static_assert(offsetof(struct tramp_params, jmp64_off) == TRAMP_JMP64 - TRAMP_PARAMS, "jmp64");
_Static_assert(offsetof(struct tramp_params, cr3) == TRAMP_CR3 - TRAMP_PARAMS, "cr3");
_Static_assert(offsetof(struct tramp_params, stack) == TRAMP_STACK - TRAMP_PARAMS, "stack");
_Static_assert(offsetof(struct tramp_params, entry) == TRAMP_ENTRY - TRAMP_PARAMS, "entry");
_Static_assert(offsetof(struct tramp_params, arg) == TRAMP_ARG - TRAMP_PARAMS, "arg");
_Static_assert(offsetof(struct tramp_params, alive) == TRAMP_ALIVE - TRAMP_PARAMS, "alive");
#endif

#endif
