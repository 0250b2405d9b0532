/* SPDX-License-Identifier: MIT */
/*
 * csd call queues: Linux's smp_call_function_single design (kernel/smp.c),
 * pure so that the host tests can hammer it with threads.
 *
 * A caller fills a call_single_data (csd) with func/info, enqueues it on the
 * target CPU's queue, and sends an IPI only when csd_enqueue() reports the
 * queue was empty ("kick if empty"): a non-empty queue already has an IPI on
 * its way whose handler has not yet detached the list, and that handler will
 * run the new entry too. The handler (csd_queue_run) drains everything.
 *
 * Two queue implementations behind one interface, to measure the difference:
 *   CSD_Q_LOCK   a spinlock-protected FIFO list (call_single_queue as it was
 *                up to Linux 3.14: list_add_tail under a spinlock).
 *   CSD_Q_LLIST  a lock-free LIFO stack (Linux since 3.14, lib/llist.c):
 *                push with compare-and-swap, drain by exchanging the head
 *                with NULL, reverse to FIFO.
 *
 * The csd lock and the flags:
 *   CSD_FLAG_LOCK  set by csd_lock() while the csd is in flight (queued or
 *                  running); cleared by the handler through csd_unlock().
 *                  The owner must not touch func/info/node while it is set.
 *   CSD_FLAG_SYNC  the caller waits for the call to finish (Linux's
 *                  CSD_FLAG_SYNCHRONOUS, smp_call_function_single(wait=1)).
 *                  The handler unlocks AFTER func returns, so the caller's
 *                  csd_lock_wait() returning means func has completed (and
 *                  its effects are visible: the unlock is a release).
 *   neither        asynchronous: the handler copies func/info and unlocks
 *                  BEFORE calling func, so the caller may reuse the csd (e.g.
 *                  its one per-CPU csd) while func still runs.
 *
 * Every wait takes a deadline as expired(ctx): the kernel passes a TSC
 * deadline check, the host tests a counter or clock. A wait returns false on
 * timeout; nothing spins forever.
 */
#ifndef VOLLEY_BENCH_CSD_QUEUE_H
#define VOLLEY_BENCH_CSD_QUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include "core/compiler.h"
#include "core/spinlock.h"

typedef bool (*csd_expired_fn)(void *ctx);

/* A singly linked node, shared by both queue kinds. */
struct llist_node {
	struct llist_node *next;
};

struct llist_head {
	struct llist_node *first;
};

/*
 * Lock-free list (lib/llist.c semantics): any number of concurrent
 * llist_add()ers and one llist_del_all()er; no single-entry delete, so there
 * is no ABA problem.
 */
/* Push; true when the list was empty before. */
bool llist_add(struct llist_node *node, struct llist_head *head);
/* Detach the whole list (newest first); NULL when empty. */
struct llist_node *llist_del_all(struct llist_head *head);
/* Reverse a detached list: newest-first becomes oldest-first. */
struct llist_node *llist_reverse_order(struct llist_node *first);

#define CSD_FLAG_LOCK	0x01u
#define CSD_FLAG_SYNC	0x02u

struct csd {
	struct llist_node node;		/* first: queued by its node */
	void (*func)(void *info);
	void *info;
	uint32_t flags;			/* CSD_FLAG_*; atomics only */
};

#define CSD_INIT(f, i)	{ .node = { 0 }, .func = (f), .info = (i), .flags = 0 }

/* True while in flight. Acquire: a false result orders later accesses. */
bool csd_is_locked(const struct csd *csd);

/*
 * Wait until the csd is unlocked (the previous call finished for a sync csd,
 * was taken by the handler for an async one). True when unlocked, false when
 * expired(ctx) fired first.
 */
bool csd_lock_wait(const struct csd *csd, csd_expired_fn expired, void *ctx);

/*
 * csd_lock_wait, then mark the csd in flight: flags = LOCK | type, where
 * type is CSD_FLAG_SYNC or 0 (async). Then set func/info and csd_enqueue().
 * Only the csd's owner locks it (one locker, like Linux's per-CPU csd), so
 * no atomic read-modify-write is needed. False on timeout (csd untouched).
 */
bool csd_lock(struct csd *csd, uint32_t type, csd_expired_fn expired,
	      void *ctx);

/* Clear LOCK with release: everything the handler did is visible first. */
void csd_unlock(struct csd *csd);

enum csd_qkind { CSD_Q_LOCK, CSD_Q_LLIST };

/*
 * One per target CPU, on its own cache line(s) so that queues of different
 * CPUs never share a line. Only the members of `kind` are used.
 */
struct csd_queue {
	enum csd_qkind kind;
	/* CSD_Q_LOCK: FIFO list under the lock, append at tail. */
	struct spinlock lock;
	struct llist_node *head, *tail;
	/* CSD_Q_LLIST: LIFO stack, lock-free. */
	struct llist_head list;
} __cacheline_aligned;

void csd_queue_init(struct csd_queue *q, enum csd_qkind kind);

/*
 * Queue a locked csd (csd_lock() done, func/info set). Returns true when the
 * queue was empty before: the caller must then send the IPI. Returns false
 * when an earlier enqueue already owes the kick and its drain has not yet
 * detached the list, which will then include this csd.
 */
bool csd_enqueue(struct csd_queue *q, struct csd *csd);

/*
 * The IPI handler body: detach everything queued and run it oldest first.
 * For each csd: read func, info and flags (and the next pointer) while we
 * still own it; an async csd is unlocked before func is called, a sync csd
 * after func returns. Returns the number of calls run (0 is possible: a kick
 * can find its entries already taken by the drain before it).
 */
unsigned csd_queue_run(struct csd_queue *q);

/* Snapshot: true when nothing is queued (tests, sanity checks). */
bool csd_queue_empty(struct csd_queue *q);

#endif
