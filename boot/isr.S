/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry: one stub per vector pushes a dummy error
 * code where the CPU pushes none, then the vector number, then all general
 * registers, and calls isr_dispatch(struct regs *) (core/idt.c). The layout
 * pushed here is struct regs in core/idt.h.
 */
	.code64
	.text

/* Vectors for which the CPU pushes an error code (SDM vol. 3A 6.13). */

.macro stub v
	.balign 16
isr_stub_\v:
	.if !((\v == 8) || (\v >= 10 && \v <= 14) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30))
	pushq	$0
	.endif
	pushq	$\v
	jmp	isr_common
.endm

	.balign 16
	.globl isr_stubs
isr_stubs:
.altmacro
.set v, 0
.rept 256
	stub %v
	.set v, v + 1
.endr

isr_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	mov	%rsp, %rdi
	/* The ABI wants RSP 16-byte aligned at the call; the CPU aligned it
	 * before pushing its frame, we pushed 17 quadwords more. */
	mov	%rsp, %rbx
	and	$-16, %rsp
	cld
	call	isr_dispatch
	mov	%rbx, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	add	$16, %rsp			/* vector and error code */
	iretq

/* Each stub is 16 bytes apart: the IDT setup computes addresses from that. */
	.section .rodata
	.globl isr_stub_size
isr_stub_size:
	.quad	16

	.section .note.GNU-stack, "", @progbits
