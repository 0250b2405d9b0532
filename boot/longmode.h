/* SPDX-License-Identifier: MIT */
/*
 * The switch from 32-bit protected mode into long mode, shared by the boot
 * CPU (boot/entry.S) and the APs (boot/trampoline.S). SDM vol. 3A 10.8.5:
 * PAE first, then CR3, then EFER.LME, then CR0.PG; the CPU is in
 * compatibility mode until the far jump to a 64-bit code segment that
 * follows. Clobbers EAX, ECX, EDX.
 */
#ifndef VOLLEY_BOOT_LONGMODE_H
#define VOLLEY_BOOT_LONGMODE_H

#include "core/x86_regs.h"

.macro enter_long_mode cr3
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	\cr3, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	$CR0_LONG_MODE, %eax
	mov	%eax, %cr0
.endm

/* In 64-bit mode: flat data segments, FS and GS null (GS base is set later). */
.macro load_data_segments
	mov	$GDT_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	xor	%eax, %eax
	mov	%ax, %fs
	mov	%ax, %gs
.endm

#endif
