/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlock (pure: kernel and host tests).
 *
 * A ticket lock rather than test-and-test-and-set because it is FIFO-fair:
 * with many senders on one csd queue every sender waits its turn, so the
 * per-sender latency we measure is not skewed by one CPU winning the line
 * again and again. It is also what Linux used when call_single_queue was a
 * spinlock-protected list (x86 ticket locks, 2.6.25 .. 4.1).
 *
 * `next` is the next ticket to hand out, `owner` the ticket now being served;
 * the lock is free when they are equal. They are two 32-bit words, each only
 * ever accessed as a whole, so no mixed-size atomics are needed; 2^32 tickets
 * in flight would be needed to wrap, so wrap-around is not a concern.
 */
#ifndef VOLLEY_CORE_SPINLOCK_H
#define VOLLEY_CORE_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include "core/compiler.h"

struct spinlock {
	uint32_t owner;
	uint32_t next;
};

#define SPINLOCK_INIT	{ 0, 0 }

static inline void spin_lock_init(struct spinlock *l)
{
	l->owner = 0;
	l->next = 0;
}

static inline void spin_lock(struct spinlock *l)
{
	/* Relaxed: taking a ticket orders nothing; the owner load below does. */
	uint32_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	/* Acquire: the previous holder's critical section happens before ours. */
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		cpu_relax();
}

/*
 * Take the lock only if it is free right now. If `owner` (read first) equals
 * `next`, claiming ticket `owner` makes us the holder at once. A stale owner
 * read cannot fool us: owner only grows and never passes next, so if next
 * still equals the value we read, owner does too.
 */
static inline bool spin_trylock(struct spinlock *l)
{
	/*
	 * Acquire: reads the value the previous holder's spin_unlock stored
	 * with release, so its critical section happens before ours.
	 */
	uint32_t t = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);

	/*
	 * Acquire on success: no access of our critical section may move
	 * before the claim. Relaxed on failure: we got nothing to order.
	 */
	return __atomic_compare_exchange_n(&l->next, &t, t + 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * spin_lock with a deadline: spins with trylock until it succeeds or
 * expired(ctx) says time is up. A taken ticket cannot be handed back, so this
 * variant does not queue: it is not fair, but it can give up. Returns true
 * with the lock held, false on timeout (lock not held).
 */
static inline bool spin_lock_deadline(struct spinlock *l,
				      bool (*expired)(void *ctx), void *ctx)
{
	for (;;) {
		/* Relaxed: only a hint to avoid hammering the line with CAS. */
		if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) ==
		    __atomic_load_n(&l->next, __ATOMIC_RELAXED) &&
		    spin_trylock(l))
			return true;
		if (expired(ctx))
			return false;
		cpu_relax();
	}
}

static inline void spin_unlock(struct spinlock *l)
{
	/*
	 * Only the holder writes owner, so a plain read-increment is race-free.
	 * Release: our critical section happens before the next holder's.
	 */
	uint32_t o = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);

	__atomic_store_n(&l->owner, o + 1, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(struct spinlock *l)
{
	/* Relaxed: a snapshot for assertions and tests, orders nothing. */
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

#endif
