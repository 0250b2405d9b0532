/* SPDX-License-Identifier: MIT */
/*
 * The AP trampoline's parameter block, at the end of its page: apic/smpboot.c
 * fills it once; every AP of every batch reads the same block (APs start in
 * parallel), so nothing in it is per AP.
 *   TRAMP_GDTR    6-byte lgdt operand: the kernel GDT (below 4 GiB)
 *   TRAMP_JMP32   far pointer (offset, selector) to the 32-bit step
 *   TRAMP_CR3     the kernel page tables
 *   TRAMP_STACKS  array of stack tops; an AP takes entry TRAMP_TICKET++
 *                 (lock xadd) if below TRAMP_NSTACKS, else halts
 *   TRAMP_ENTRY   the C entry, called with the ticket
 *   TRAMP_ALIVE   each AP increments it as soon as it runs (real mode)
 */
#ifndef VOLLEY_BOOT_TRAMPOLINE_REGS_H
#define VOLLEY_BOOT_TRAMPOLINE_REGS_H

#define TRAMP_PARAMS	0xf00	/* offset of the block in the page */
#define TRAMP_GDTR	(TRAMP_PARAMS + 0x00)	/* u16 limit, u32 base (+pad) */
#define TRAMP_JMP32	(TRAMP_PARAMS + 0x08)	/* u32 offset, u16 selector */
#define TRAMP_JMP64	(TRAMP_PARAMS + 0x10)	/* u32 offset, u16 selector */
#define TRAMP_CR3	(TRAMP_PARAMS + 0x18)
#define TRAMP_STACKS	(TRAMP_PARAMS + 0x20)
#define TRAMP_ENTRY	(TRAMP_PARAMS + 0x28)
#define TRAMP_TICKET	(TRAMP_PARAMS + 0x30)	/* u32 */
#define TRAMP_NSTACKS	(TRAMP_PARAMS + 0x34)	/* u32 */
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
	uint64_t stacks;		/* physical = virtual address of uint64_t[] */
	uint64_t entry;
	volatile uint32_t ticket;
	uint32_t nstacks;
	volatile uint32_t alive;
} __attribute__((packed));
_Static_assert(offsetof(struct tramp_params, jmp32_off) == TRAMP_JMP32 - TRAMP_PARAMS, "jmp32");
_Static_assert(offsetof(struct tramp_params, jmp64_off) == TRAMP_JMP64 - TRAMP_PARAMS, "jmp64");
_Static_assert(offsetof(struct tramp_params, cr3) == TRAMP_CR3 - TRAMP_PARAMS, "cr3");
_Static_assert(offsetof(struct tramp_params, stacks) == TRAMP_STACKS - TRAMP_PARAMS, "stacks");
_Static_assert(offsetof(struct tramp_params, entry) == TRAMP_ENTRY - TRAMP_PARAMS, "entry");
_Static_assert(offsetof(struct tramp_params, ticket) == TRAMP_TICKET - TRAMP_PARAMS, "ticket");
_Static_assert(offsetof(struct tramp_params, nstacks) == TRAMP_NSTACKS - TRAMP_PARAMS, "nstacks");
_Static_assert(offsetof(struct tramp_params, alive) == TRAMP_ALIVE - TRAMP_PARAMS, "alive");
#endif

#endif
