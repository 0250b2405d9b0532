/* SPDX-License-Identifier: MIT */
/* x86 architectural constants shared by assembly and C (Intel SDM vol. 3). */
#ifndef VOLLEY_CORE_X86_REGS_H
#define VOLLEY_CORE_X86_REGS_H

/* CR0 */
#define CR0_PE		(1 << 0)	/* protected mode */
#define CR0_MP		(1 << 1)	/* monitor coprocessor */
#define CR0_ET		(1 << 4)	/* extension type (always 1) */
#define CR0_NE		(1 << 5)	/* native FPU errors */
#define CR0_WP		(1 << 16)	/* ring 0 honours read-only pages */
#define CR0_PG		(1 << 31)	/* paging */
#define CR0_LONG_MODE	(CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG)

/* CR4 */
#define CR4_PSE		(1 << 4)
#define CR4_PAE		(1 << 5)	/* required for long mode */
#define CR4_PGE		(1 << 7)	/* global pages */
#define CR4_OSFXSR	(1 << 9)
#define CR4_PCIDE	(1 << 17)

/* MSRs */
#define MSR_APIC_BASE	0x1b
#define   APIC_BASE_BSP		(1 << 8)
#define   APIC_BASE_EXTD	(1 << 10)	/* x2APIC mode */
#define   APIC_BASE_EN		(1 << 11)	/* APIC global enable */
#define MSR_MISC_ENABLE	0x1a0
#define MSR_EFER	0xc0000080
#define   EFER_SCE		(1 << 0)
#define   EFER_LME		(1 << 8)	/* long mode enable */
#define   EFER_LMA		(1 << 10)
#define   EFER_NXE		(1 << 11)
#define MSR_FS_BASE	0xc0000100
#define MSR_GS_BASE	0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_TSC_AUX	0xc0000103

/* Page-table entry bits */
#define PTE_P		(1 << 0)	/* present */
#define PTE_W		(1 << 1)	/* writable */
#define PTE_U		(1 << 2)
#define PTE_PWT		(1 << 3)	/* write-through */
#define PTE_PCD		(1 << 4)	/* cache disable */
#define PTE_A		(1 << 5)
#define PTE_D		(1 << 6)
#define PTE_PS		(1 << 7)	/* 2 MiB / 1 GiB leaf */
#define PTE_G		(1 << 8)

/* Selectors in the kernel GDT (boot/entry.S) */
#define GDT_CODE64	0x08
#define GDT_DATA	0x10
#define GDT_CODE32	0x18
#define GDT_TSS		0x20		/* 16-byte descriptor */

/* RFLAGS */
#define RFLAGS_IF	(1 << 9)

#define PAGE_SIZE	4096
#define PAGE_SHIFT	12
#define LARGE_PAGE_SIZE	(2 * 1024 * 1024)

/* Multiboot2 (boot information format) */
#define MB2_HEADER_MAGIC	0xe85250d6
#define MB2_BOOT_MAGIC		0x36d76289

#define BOOT_STACK_SIZE	16384

#endif
