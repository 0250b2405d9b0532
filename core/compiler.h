/* SPDX-License-Identifier: MIT */
/*
 * Compiler helpers shared by kernel and host code (pure: no libc, no
 * hardware access beyond `pause`).
 */
#ifndef VOLLEY_CORE_COMPILER_H
#define VOLLEY_CORE_COMPILER_H

#include <stddef.h>

/* Stop the compiler from caching memory across this point (no CPU fence). */
#define barrier()	asm volatile("" ::: "memory")

#ifdef VOLLEY_HOST
/* The one libc call a pure header makes, and only in host test builds. */
int sched_yield(void);
#endif

/*
 * Spin-wait hint: `pause` frees pipeline resources for the SMT sibling and
 * avoids the memory-order machine clear when the awaited store lands; the
 * "memory" clobber makes every spin loop re-read what it waits on.
 *
 * Host tests run more threads than there are CPUs, where a spinner can burn
 * its whole time slice waiting for a thread that is not running (a ticket
 * lock convoys: every hand-off waits for one particular thread to be
 * scheduled). There cpu_relax also yields. In the kernel each CPU runs one
 * thread, so it never needs to.
 */
static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
#ifdef VOLLEY_HOST
	sched_yield();
#endif
}

/*
 * Single, untorn accesses to data another CPU touches. Relaxed atomics rather
 * than Linux's volatile cast: same code on x86 (a plain mov), but the host's
 * ThreadSanitizer then knows the race is intended. Scalars and pointers only.
 */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define __aligned(x)		__attribute__((aligned(x)))
#define CACHELINE_SIZE		64
/* One writer's hot data per line: no false sharing between CPUs. */
#define __cacheline_aligned	__aligned(CACHELINE_SIZE)

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* The second term breaks the build when given a pointer instead of an array. */
#define ARRAY_SIZE(a)							\
	(sizeof(a) / sizeof((a)[0]) +					\
	 0 * sizeof(struct { _Static_assert(				\
		!__builtin_types_compatible_p(__typeof__(a),		\
					      __typeof__(&(a)[0])),	\
		"ARRAY_SIZE of a pointer"); int dummy_; }))

#endif
