/* SPDX-License-Identifier: MIT */
/*
 * Local APIC registers (Intel SDM vol. 3A ch. 11), as byte offsets of the
 * xAPIC MMIO page. The x2APIC MSR of each is 0x800 + offset / 16.
 */
#ifndef VOLLEY_APIC_APIC_REGS_H
#define VOLLEY_APIC_APIC_REGS_H

#define APIC_ID		0x020	/* xAPIC: ID in bits 31:24; x2APIC: 32-bit ID */
#define APIC_VERSION	0x030
#define APIC_TPR	0x080	/* task priority */
#define APIC_EOI	0x0b0
#define APIC_LDR	0x0d0	/* logical destination */
#define APIC_DFR	0x0e0	/* destination format (xAPIC only) */
#define   APIC_DFR_FLAT		0xffffffffu
#define APIC_SVR	0x0f0	/* spurious vector */
#define   APIC_SVR_ENABLE	(1u << 8)
#define APIC_ISR	0x100	/* in-service, 8 x 32 bits */
#define APIC_IRR	0x200	/* request, 8 x 32 bits */
#define APIC_ESR	0x280	/* error status */
#define APIC_ICR	0x300	/* interrupt command (low; x2APIC: all 64 bits) */
#define   APIC_ICR_VECTOR	0x000ffu
#define   APIC_DM_FIXED		(0u << 8)
#define   APIC_DM_NMI		(4u << 8)
#define   APIC_DM_INIT		(5u << 8)
#define   APIC_DM_STARTUP	(6u << 8)
#define   APIC_DEST_LOGICAL	(1u << 11)
#define   APIC_ICR_BUSY		(1u << 12)	/* delivery status (xAPIC) */
#define   APIC_LEVEL_ASSERT	(1u << 14)
#define   APIC_TRIGGER_LEVEL	(1u << 15)
#define   APIC_DEST_SELF	(1u << 18)	/* shorthands, bits 19:18 */
#define   APIC_DEST_ALL		(2u << 18)
#define   APIC_DEST_ALLBUT	(3u << 18)
#define APIC_ICR2	0x310	/* xAPIC: destination in bits 31:24 */
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_THERMAL 0x330
#define APIC_LVT_PERF	0x340
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_LINT1	0x360
#define APIC_LVT_ERROR	0x370
#define   APIC_LVT_MASKED	(1u << 16)
#define APIC_TIMER_INIT	0x380
#define APIC_TIMER_DIV	0x3e0
#define APIC_SELF_IPI	0x3f0	/* x2APIC only */

#define X2APIC_MSR_BASE	0x800

/* Vectors volley uses; the rest of 32..255 belong to the benchmarks. */
#define VEC_SPURIOUS	0xff
#define VEC_APIC_ERROR	0xfe
#define VEC_WAKE	0xf0	/* wakes a CPU waiting in hlt for its mailbox */

#endif
