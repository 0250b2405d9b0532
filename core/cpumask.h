/* SPDX-License-Identifier: MIT */
/*
 * CPU masks, Linux style (pure: kernel and host tests). A CPU here is the
 * kernel's dense logical number (0 = boot CPU), not an APIC ID.
 *
 * Range rules: set/clear/test accept any cpu < NR_CPUS and ignore the rest
 * (array safety). Queries (weight, first, next, for_each_cpu, empty, equal,
 * format) look only at cpus < nr_cpu_ids, as Linux's nr_cpumask_bits does,
 * so a mask never reports a CPU the machine does not have.
 */
#ifndef VOLLEY_CORE_CPUMASK_H
#define VOLLEY_CORE_CPUMASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * x2APIC IDs are 32 bits and machines with more than 1024 CPUs exist, but
 * per-CPU arrays are static: 1024 keeps them small. The kernel counts and
 * reports CPUs beyond it instead of starting them.
 */
#define NR_CPUS		1024
#define CPUMASK_WORDS	(NR_CPUS / 64)
_Static_assert(NR_CPUS % 64 == 0, "whole words");

struct cpumask {
	uint64_t bits[CPUMASK_WORDS];
};

/* Number of possible CPUs; NR_CPUS until the kernel sets it after ACPI. */
extern unsigned nr_cpu_ids;

/* First set bit at or after start in a bitmap of nbits; nbits when none. */
size_t find_next_bit(const uint64_t *addr, size_t nbits, size_t start);

static inline void cpumask_clear(struct cpumask *m)
{
	for (size_t i = 0; i < CPUMASK_WORDS; i++)
		m->bits[i] = 0;
}

/* Sets cpus 0 .. nr_cpu_ids-1 and clears the rest. */
void cpumask_setall(struct cpumask *m);

static inline void cpumask_set_cpu(unsigned cpu, struct cpumask *m)
{
	if (cpu < NR_CPUS)
		m->bits[cpu / 64] |= 1ull << (cpu % 64);
}

static inline void cpumask_clear_cpu(unsigned cpu, struct cpumask *m)
{
	if (cpu < NR_CPUS)
		m->bits[cpu / 64] &= ~(1ull << (cpu % 64));
}

static inline bool cpumask_test_cpu(unsigned cpu, const struct cpumask *m)
{
	return cpu < NR_CPUS && (m->bits[cpu / 64] >> (cpu % 64) & 1);
}

/* Not atomic: for masks only one CPU writes. Returns the old bit. */
static inline bool cpumask_test_and_set_cpu(unsigned cpu, struct cpumask *m)
{
	bool old = cpumask_test_cpu(cpu, m);

	cpumask_set_cpu(cpu, m);
	return old;
}

/*
 * Atomic variants for masks several CPUs write at once (CPUs acknowledging
 * a shootdown, say). Sequentially consistent: a lock-prefixed RMW on x86
 * anyway, and it orders the caller's earlier stores before the bit flips.
 */
static inline void cpumask_set_cpu_atomic(unsigned cpu, struct cpumask *m)
{
	if (cpu < NR_CPUS)
		__atomic_fetch_or(&m->bits[cpu / 64], 1ull << (cpu % 64),
				  __ATOMIC_SEQ_CST);
}

static inline void cpumask_clear_cpu_atomic(unsigned cpu, struct cpumask *m)
{
	if (cpu < NR_CPUS)
		__atomic_fetch_and(&m->bits[cpu / 64], ~(1ull << (cpu % 64)),
				   __ATOMIC_SEQ_CST);
}

static inline bool cpumask_test_and_set_cpu_atomic(unsigned cpu,
						   struct cpumask *m)
{
	uint64_t bit = 1ull << (cpu % 64);

	if (cpu >= NR_CPUS)
		return false;
	return __atomic_fetch_or(&m->bits[cpu / 64], bit,
				 __ATOMIC_SEQ_CST) & bit;
}

/* Acquire load: for spinning on a bit another CPU changes. */
static inline bool cpumask_test_cpu_atomic(unsigned cpu,
					   const struct cpumask *m)
{
	return cpu < NR_CPUS &&
	       (__atomic_load_n(&m->bits[cpu / 64], __ATOMIC_ACQUIRE) >>
		(cpu % 64) & 1);
}

static inline void cpumask_copy(struct cpumask *dst, const struct cpumask *src)
{
	*dst = *src;
}

/* Whole-word operations; the bool ones return false when dst is empty. */
bool cpumask_and(struct cpumask *dst, const struct cpumask *a,
		 const struct cpumask *b);
void cpumask_or(struct cpumask *dst, const struct cpumask *a,
		const struct cpumask *b);
bool cpumask_andnot(struct cpumask *dst, const struct cpumask *a,
		    const struct cpumask *b);
bool cpumask_equal(const struct cpumask *a, const struct cpumask *b);
bool cpumask_empty(const struct cpumask *m);

/* Set bits below nr_cpu_ids; a portable count (the kernel has no POPCNT). */
unsigned cpumask_weight(const struct cpumask *m);

/*
 * First / next set cpu (next: strictly after n, so n = -1 starts at 0);
 * a value >= nr_cpu_ids when there is none.
 */
unsigned cpumask_first(const struct cpumask *m);
unsigned cpumask_next(int n, const struct cpumask *m);

#define for_each_cpu(cpu, mask)						\
	for ((cpu) = cpumask_first(mask); (cpu) < nr_cpu_ids;		\
	     (cpu) = cpumask_next((int)(cpu), (mask)))

/*
 * Range list such as "0-3,8,10-11" ("none" when empty) into buf; always
 * terminated when size > 0. Returns the length it wanted, like snprintf.
 */
int cpumask_format(char *buf, size_t size, const struct cpumask *m);

#endif
