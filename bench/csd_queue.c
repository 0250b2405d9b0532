/* SPDX-License-Identifier: MIT */
#include "bench/csd_queue.h"

_Static_assert(offsetof(struct csd, node) == 0, "csd node must come first");
_Static_assert(sizeof(struct csd_queue) % CACHELINE_SIZE == 0,
	       "csd_queue must fill whole cache lines");

bool llist_add(struct llist_node *node, struct llist_head *head)
{
	/* Relaxed: the value only seeds the CAS, which rechecks it. */
	struct llist_node *first = __atomic_load_n(&head->first,
						   __ATOMIC_RELAXED);

	do {
		/* Plain store: the node is still ours until the CAS succeeds. */
		node->next = first;
		/*
		 * Release on success: the csd's contents and node->next are
		 * visible to the drainer that acquires the head. Relaxed on
		 * failure: `first` is just reloaded for the next try.
		 */
	} while (!__atomic_compare_exchange_n(&head->first, &first, node, true,
					      __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	return first == NULL;
}

struct llist_node *llist_del_all(struct llist_head *head)
{
	/*
	 * Acquire: pairs with the release of every llist_add whose node we
	 * take, so their contents are visible. (Acquire on an RMW reads the
	 * latest value in modification order, so the release sequence of
	 * earlier pushes is covered too.)
	 */
	return __atomic_exchange_n(&head->first, NULL, __ATOMIC_ACQUIRE);
}

struct llist_node *llist_reverse_order(struct llist_node *first)
{
	struct llist_node *rev = NULL;

	while (first) {
		struct llist_node *next = first->next;

		first->next = rev;
		rev = first;
		first = next;
	}
	return rev;
}

bool csd_is_locked(const struct csd *csd)
{
	/* Acquire: once unlocked is seen, the handler's work is visible. */
	return __atomic_load_n(&csd->flags, __ATOMIC_ACQUIRE) & CSD_FLAG_LOCK;
}

bool csd_lock_wait(const struct csd *csd, csd_expired_fn expired, void *ctx)
{
	while (csd_is_locked(csd)) {
		if (expired(ctx))
			/* One last look: it may have unlocked meanwhile. */
			return !csd_is_locked(csd);
		cpu_relax();
	}
	return true;
}

bool csd_lock(struct csd *csd, uint32_t type, csd_expired_fn expired,
	      void *ctx)
{
	if (!csd_lock_wait(csd, expired, ctx))
		return false;
	/*
	 * Relaxed: the owner is the only writer while unlocked, and the
	 * release in csd_enqueue publishes this store with func/info.
	 */
	__atomic_store_n(&csd->flags, CSD_FLAG_LOCK | (type & CSD_FLAG_SYNC),
			 __ATOMIC_RELAXED);
	return true;
}

void csd_unlock(struct csd *csd)
{
	/* Relaxed: the handler is the only writer while the csd is locked. */
	uint32_t f = __atomic_load_n(&csd->flags, __ATOMIC_RELAXED);

	/*
	 * Release: our reads of func/info/next (and, for a sync csd, all of
	 * func's effects) happen before the owner reuses the csd.
	 */
	__atomic_store_n(&csd->flags, f & ~CSD_FLAG_LOCK, __ATOMIC_RELEASE);
}

void csd_queue_init(struct csd_queue *q, enum csd_qkind kind)
{
	q->kind = kind;
	spin_lock_init(&q->lock);
	q->head = NULL;
	q->tail = NULL;
	q->list.first = NULL;
}

bool csd_enqueue(struct csd_queue *q, struct csd *csd)
{
	bool was_empty;

	if (q->kind == CSD_Q_LLIST)
		return llist_add(&csd->node, &q->list);

	csd->node.next = NULL;
	/* The lock's acquire/release order the list with the drainer. */
	spin_lock(&q->lock);
	was_empty = q->head == NULL;
	if (was_empty)
		q->head = &csd->node;
	else
		q->tail->next = &csd->node;
	q->tail = &csd->node;
	spin_unlock(&q->lock);
	return was_empty;
}

/* Detach everything queued, oldest first. */
static struct llist_node *csd_queue_take(struct csd_queue *q)
{
	struct llist_node *first;

	if (q->kind == CSD_Q_LLIST)
		return llist_reverse_order(llist_del_all(&q->list));

	spin_lock(&q->lock);
	first = q->head;
	q->head = NULL;
	q->tail = NULL;
	spin_unlock(&q->lock);
	return first;
}

unsigned csd_queue_run(struct csd_queue *q)
{
	struct llist_node *n = csd_queue_take(q);
	unsigned ran = 0;

	while (n) {
		struct csd *csd = container_of(n, struct csd, node);
		/*
		 * Read everything before the unlock: after it the owner may
		 * rewrite func/info and enqueue the csd again (relinking
		 * node.next into another list).
		 */
		struct llist_node *next = n->next;
		void (*func)(void *) = csd->func;
		void *info = csd->info;
		/* Relaxed: ordered by the queue's acquire like func/info. */
		uint32_t flags = __atomic_load_n(&csd->flags, __ATOMIC_RELAXED);

		if (flags & CSD_FLAG_SYNC) {
			/* The caller waits for func's result: unlock after. */
			func(info);
			csd_unlock(csd);
		} else {
			/* Nobody waits: free the csd for reuse at once. */
			csd_unlock(csd);
			func(info);
		}
		ran++;
		n = next;
	}
	return ran;
}

bool csd_queue_empty(struct csd_queue *q)
{
	bool empty;

	/* Relaxed: a snapshot; it orders nothing. */
	if (q->kind == CSD_Q_LLIST)
		return __atomic_load_n(&q->list.first, __ATOMIC_RELAXED) == NULL;
	/* head is written under the lock with plain stores: read it so too. */
	spin_lock(&q->lock);
	empty = q->head == NULL;
	spin_unlock(&q->lock);
	return empty;
}
