/* SPDX-License-Identifier: MIT */
/*
 * The AP trampoline, copied to a free page P below 1 MiB; the start-up IPI
 * vector is P >> 12, so the AP starts here in real mode with CS = P >> 4,
 * IP = 0. It goes 16 -> 32 -> 64 bit on the kernel's GDT and page tables,
 * then jumps to the C entry with its own stack. Everything is addressed
 * relative to the page: the code is position-independent by construction.
 */
#include "core/x86_regs.h"
#include "boot/trampoline_regs.h"
#include "boot/longmode.h"

	.section .rodata
	.code16
	.globl trampoline_start, trampoline_end
	.globl tramp_pm32, tramp_lm64
trampoline_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lock incl TRAMP_ALIVE		/* tell the boot CPU one more AP runs */
	xor	%esi, %esi
	mov	%ax, %si
	shl	$4, %esi		/* ESI = physical base of the page */
	lgdtl	TRAMP_GDTR
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	*TRAMP_JMP32		/* to tramp_pm32, CS = 32-bit code */

	.code32
tramp_pm32 = . - trampoline_start
	mov	$GDT_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	enter_long_mode TRAMP_CR3(%esi)
	ljmpl	*TRAMP_JMP64(%esi)	/* to tramp_lm64, CS = 64-bit code */

	.code64
tramp_lm64 = . - trampoline_start
	load_data_segments
	mov	%esi, %esi
	/* APs of a batch run this at once: each takes its own stack by ticket. */
	mov	$1, %edi
	lock xaddl %edi, TRAMP_TICKET(%rsi)	/* EDI = my ticket, zero-extended */
	cmp	TRAMP_NSTACKS(%rsi), %edi
	jae	1f
	mov	TRAMP_STACKS(%rsi), %rax
	mov	(%rax,%rdi,8), %rsp
	xor	%ebp, %ebp
	pushq	$0			/* fake return address: ends backtraces */
	jmp	*TRAMP_ENTRY(%rsi)
1:	cli				/* more APs than stacks: stay parked */
	hlt
	jmp	1b
trampoline_end:

	.section .note.GNU-stack, "", @progbits
