/* SPDX-License-Identifier: MIT */
/* Single instructions as static inline functions; nothing else lives here. */
#ifndef VOLLEY_CORE_X86_H
#define VOLLEY_CORE_X86_H

#include <stdbool.h>
#include <stdint.h>
#include "x86_regs.h"
#include "tsc_read.h"

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	asm volatile("cpuid"
		     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
		     : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr"
		     : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
		     : "memory");
}

/* Unfenced: may execute before earlier instructions complete. */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_pause(void)
{
	asm volatile("pause" ::: "memory");
}

static inline void hlt(void)
{
	asm volatile("hlt" ::: "memory");
}

static inline void sti(void)
{
	asm volatile("sti" ::: "memory");
}

static inline void cli(void)
{
	asm volatile("cli" ::: "memory");
}

/* STI's one-instruction shadow makes "sti; hlt" atomic w.r.t. interrupts. */
static inline void sti_hlt(void)
{
	asm volatile("sti; hlt" ::: "memory");
}

static inline uint64_t read_rflags(void)
{
	uint64_t f;

	asm volatile("pushfq; popq %0" : "=r"(f) : : "memory");
	return f;
}

/* Interrupts off, returning whether they were on (Linux's local_irq_save). */
static inline uint64_t irq_save(void)
{
	uint64_t f = read_rflags();

	cli();
	return f & RFLAGS_IF;
}

static inline void irq_restore(uint64_t was_on)
{
	if (was_on)
		sti();
}

static inline void mfence(void)
{
	asm volatile("mfence" ::: "memory");
}

static inline void lfence(void)
{
	asm volatile("lfence" ::: "memory");
}

static inline void invlpg(const volatile void *va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint64_t v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* INVPCID type 0: one address in one PCID (SDM vol. 2A INVPCID). */
static inline void invpcid(unsigned long type, uint64_t pcid, uint64_t addr)
{
	struct { uint64_t pcid, addr; } desc = { pcid, addr };

	asm volatile("invpcid %0, %1" : : "m"(desc), "r"(type) : "memory");
}

static inline void monitor(const volatile void *addr)
{
	asm volatile("monitor" : : "a"(addr), "c"(0), "d"(0) : "memory");
}

static inline void mwait(uint32_t hints, uint32_t ext)
{
	asm volatile("mwait" : : "a"(hints), "c"(ext) : "memory");
}

/* MWAIT with interrupts enabled by STI's shadow, like sti_hlt(). */
static inline void sti_mwait(uint32_t hints, uint32_t ext)
{
	asm volatile("sti; mwait" : : "a"(hints), "c"(ext) : "memory");
}

#endif
