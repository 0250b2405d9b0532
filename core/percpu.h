/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data: one struct per CPU; GS base points at the CPU's own copy,
 * whose first field points back at itself. Hot fields get typed accessors
 * (one macro line each) that compile to a single `mov %gs:off, reg`.
 */
#ifndef VOLLEY_CORE_PERCPU_H
#define VOLLEY_CORE_PERCPU_H

#include <stddef.h>
#include <stdint.h>
#include "cpumask.h"
#include "topology.h"

struct percpu {
	struct percpu *self;		/* must be first: this_cpu_ptr() */
	uint32_t cpu;			/* dense CPU number, 0 = boot CPU */
	uint32_t apic_id;		/* not dense; may exceed 255 */
	uint32_t acpi_id;
	uint32_t online;
	uint64_t irq_count;		/* interrupts handled on this CPU */
	uint64_t stack_top;
	uint64_t start_tsc;		/* when the CPU reached C */
	uint64_t start_us;		/* bring-up start to online, as seen by the boot CPU */
	int64_t tsc_offset;		/* this CPU's TSC minus the boot CPU's */
	uint64_t tsc_offset_err;	/* +- bound on tsc_offset, cycles */
	struct cpu_topo topo;
	void *bench;			/* the benchmark harness's per-CPU state */
	uint64_t fixup_rip;		/* core/msr.c: where a #GP resumes, or 0 */
	/* Fault (IST) stack and TSS: a double fault on a bad stack still dumps. */
	uint8_t tss[104] __attribute__((aligned(16)));
	uint8_t fault_stack[4096] __attribute__((aligned(16)));
} __attribute__((aligned(64)));

extern struct percpu percpu_area[NR_CPUS];

#define DEFINE_THIS_CPU_READ(type, field)				\
	static inline type this_cpu_read_##field(void)			\
	{								\
		type v;							\
		_Static_assert(sizeof(type) == sizeof(((struct percpu *)0)->field), \
			       #field);					\
		asm volatile("mov %%gs:%c1, %0" : "=r"(v)		\
			     : "i"(offsetof(struct percpu, field)));	\
		return v;						\
	}

DEFINE_THIS_CPU_READ(struct percpu *, self)
DEFINE_THIS_CPU_READ(uint32_t, cpu)
DEFINE_THIS_CPU_READ(uint32_t, apic_id)

static inline struct percpu *this_cpu_ptr(void)
{
	return this_cpu_read_self();
}

/* Before percpu_init_boot() GS base is 0: percpu_ready guards early users. */
extern int percpu_ready;

static inline unsigned smp_processor_id(void)
{
	return percpu_ready ? this_cpu_read_cpu() : 0;
}

static inline struct percpu *per_cpu(unsigned cpu)
{
	return &percpu_area[cpu];
}

/* Points GS base at CPU `cpu`'s area (boot CPU and each AP, once). */
void percpu_init(unsigned cpu);

#endif
