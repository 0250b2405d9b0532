/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 header and the boot CPU's way from GRUB's 32-bit protected mode
 * (paging off, EAX = magic, EBX = boot information; the same on BIOS and on
 * UEFI once GRUB has exited boot services) into 64-bit C.
 *
 * Early page tables identity-map the first 4 GiB with 2 MiB pages; core/vm.c
 * replaces them with tables covering all RAM.
 */
#include "core/x86_regs.h"
#include "boot/longmode.h"

#define MB2_TAG_END		0
#define MB2_TAG_INFO_REQ	1
#define MB2_TAG_FRAMEBUFFER	5
#define MB2_TAG_OPTIONAL	1

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long	MB2_HEADER_MAGIC
	.long	0				/* i386 protected mode */
	.long	mb2_header_end - mb2_header
	.long	-(MB2_HEADER_MAGIC + 0 + (mb2_header_end - mb2_header))

	/* Ask for the tags we use; all optional, core/mb2.c copes. */
	.balign 8
info_req:
	.short	MB2_TAG_INFO_REQ
	.short	MB2_TAG_OPTIONAL
	.long	info_req_end - info_req
	.long	1		/* command line */
	.long	2		/* boot loader name */
	.long	6		/* memory map */
	.long	8		/* framebuffer */
	.long	14		/* ACPI old RSDP */
	.long	15		/* ACPI new RSDP */
	.long	17		/* EFI memory map */
	.long	18		/* EFI boot services not terminated */
info_req_end:

	/*
	 * A framebuffer for the screen console (core/fbcon.c): 1024x768x32
	 * preferred, any mode GRUB can set accepted, and optional, so a BIOS
	 * machine left in EGA text mode boots too (its tag then says text).
	 * Without this tag GRUB on UEFI hands over no console at all.
	 */
	.balign 8
fb_req:
	.short	MB2_TAG_FRAMEBUFFER
	.short	MB2_TAG_OPTIONAL
	.long	fb_req_end - fb_req
	.long	1024		/* width */
	.long	768		/* height */
	.long	32		/* depth */
fb_req_end:

	.balign 8
	.short	MB2_TAG_END
	.short	0
	.long	8
mb2_header_end:

	.section .text.boot, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	mov	$boot_stack_top, %esp
	mov	%eax, %edi			/* magic: 1st argument of kmain */
	mov	%ebx, %esi			/* info:  2nd argument */

	/* Long mode needs CPUID leaf 0x80000001 EDX bit 29. */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	no_long_mode
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	no_long_mode

	/* PML4[0] -> PDPT; PDPT[0..3] -> four PDs of 512 x 2 MiB. */
	mov	$early_pml4, %ebx
	mov	$early_pdpt, %eax
	or	$(PTE_P | PTE_W), %eax
	mov	%eax, (%ebx)

	mov	$early_pdpt, %ebx
	mov	$early_pd, %eax
	or	$(PTE_P | PTE_W), %eax
	mov	$4, %ecx
1:	mov	%eax, (%ebx)
	add	$4096, %eax
	add	$8, %ebx
	loop	1b

	mov	$early_pd, %ebx
	mov	$(PTE_P | PTE_W | PTE_PS), %eax
	xor	%edx, %edx			/* high dword of each entry */
	mov	$2048, %ecx
1:	mov	%eax, (%ebx)
	mov	%edx, 4(%ebx)
	add	$LARGE_PAGE_SIZE, %eax
	adc	$0, %edx
	add	$8, %ebx
	loop	1b

	enter_long_mode $early_pml4

	lgdt	gdt_ptr
	ljmp	$GDT_CODE64, $long_mode

no_long_mode:
	mov	$no_lm_msg, %esi
	mov	$0x3f8, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, %dx
	jmp	1b
2:	mov	$0xf4, %dx			/* QEMU isa-debug-exit: status 3 */
	mov	$3, %eax
	out	%eax, %dx
3:	hlt
	jmp	3b

	.code64
long_mode:
	load_data_segments
	mov	$boot_stack_top, %rsp
	xor	%ebp, %ebp			/* end of the frame-pointer chain */
	/* zero-extend the 32-bit arguments kept in EDI/ESI */
	mov	%edi, %edi
	mov	%esi, %esi
	call	kmain
1:	cli
	hlt
	jmp	1b

	.section .rodata
no_lm_msg:
	.asciz	"volley: this CPU has no long mode (x86-64)\r\n"

/*
 * The GDT: flat 64-bit code and data, a 32-bit code segment for the AP
 * trampoline's protected-mode step, and a TSS slot filled in by core/idt.c.
 */
	.section .data
	.balign 16
	.globl gdt
gdt:
	.quad	0				/* null */
	.quad	0x00209a0000000000		/* 0x08: code, 64-bit (L=1) */
	.quad	0x00cf92000000ffff		/* 0x10: data, flat 4 GiB */
	.quad	0x00cf9a000000ffff		/* 0x18: code, 32-bit flat */
	.quad	0, 0				/* 0x20: TSS (16 bytes) */
gdt_end:
	.globl gdt_ptr
gdt_ptr:
	.short	gdt_end - gdt - 1
	.quad	gdt

	.section .bss
	.balign 4096
	.globl early_pml4
early_pml4:	.skip 4096
early_pdpt:	.skip 4096
early_pd:	.skip 4096 * 4
	.balign 16
	.globl boot_stack
boot_stack:	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
