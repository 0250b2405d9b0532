/* SPDX-License-Identifier: MIT */
/*
 * Host tests for bench/csd_queue.c and core/spinlock.h: single-threaded
 * semantics first, then producers hammering one queue from threads while a
 * consumer plays the IPI handler.
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include "tests/unit/check.h"
#include "bench/csd_queue.h"

/* ---- deadlines -------------------------------------------------------- */

/* Gives up after `left` checks. */
struct countdown {
	long left;
	long calls;
};

static bool countdown_expired(void *ctx)
{
	struct countdown *c = ctx;

	c->calls++;
	return c->left-- <= 0;
}

/*
 * Wall-clock deadline. Every check also yields: the test box may have fewer
 * CPUs than threads, and a spinner that never yields would starve the thread
 * it waits for for a whole time slice.
 */
struct wall {
	struct timespec end;
};

static void wall_init(struct wall *w, int seconds)
{
	clock_gettime(CLOCK_MONOTONIC, &w->end);
	w->end.tv_sec += seconds;
}

static bool wall_expired(void *ctx)
{
	struct wall *w = ctx;
	struct timespec now;

	sched_yield();
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > w->end.tv_sec ||
	       (now.tv_sec == w->end.tv_sec && now.tv_nsec >= w->end.tv_nsec);
}

/* ---- spinlock --------------------------------------------------------- */

TEST(spin_try_and_deadline)
{
	struct spinlock l = SPINLOCK_INIT;
	struct countdown c = { .left = 100 };

	CHECK(!spin_is_locked(&l));
	CHECK(spin_trylock(&l));
	CHECK(spin_is_locked(&l));
	CHECK(!spin_trylock(&l));
	CHECK(!spin_lock_deadline(&l, countdown_expired, &c));
	CHECK_EQ(c.calls, 101);
	CHECK(spin_is_locked(&l));	/* the failed waiter took no ticket */
	spin_unlock(&l);
	CHECK(!spin_is_locked(&l));
	c.left = 0;
	c.calls = 0;
	CHECK(spin_lock_deadline(&l, countdown_expired, &c));
	CHECK_EQ(c.calls, 0);		/* free: no wait at all */
	spin_unlock(&l);
	spin_lock(&l);
	CHECK(!spin_trylock(&l));
	spin_unlock(&l);
	CHECK(spin_trylock(&l));
	spin_unlock(&l);
	CHECK(!spin_is_locked(&l));
}

enum { LOCK_THREADS = 4, LOCK_ITERS = 50000 };

struct lock_test {
	struct spinlock l;
	uint64_t counter;	/* plain: only touched under the lock */
	uint64_t timeouts;	/* atomic */
};

static void *lock_worker(void *arg)
{
	struct lock_test *t = arg;
	struct wall w;

	wall_init(&w, 20);
	for (int i = 0; i < LOCK_ITERS; i++) {
		/* Mix the three ways in; all must exclude each other. */
		switch (i % 3) {
		case 0:
			spin_lock(&t->l);
			break;
		case 1:
			while (!spin_trylock(&t->l))
				sched_yield();
			break;
		default:
			if (!spin_lock_deadline(&t->l, wall_expired, &w)) {
				__atomic_fetch_add(&t->timeouts, 1,
						   __ATOMIC_RELAXED);
				continue;
			}
		}
		/* A non-atomic read-modify-write: lost updates show races. */
		uint64_t v = t->counter;

		if (i % 64 == 0)
			sched_yield();	/* hold it across a reschedule */
		t->counter = v + 1;
		spin_unlock(&t->l);
	}
	return NULL;
}

TEST(spin_mutual_exclusion)
{
	static struct lock_test t;
	pthread_t th[LOCK_THREADS];

	spin_lock_init(&t.l);
	for (int i = 0; i < LOCK_THREADS; i++)
		pthread_create(&th[i], NULL, lock_worker, &t);
	for (int i = 0; i < LOCK_THREADS; i++)
		pthread_join(th[i], NULL);
	CHECK_EQ(t.timeouts, 0);
	CHECK_EQ(t.counter, (uint64_t)LOCK_THREADS * LOCK_ITERS);
	CHECK(!spin_is_locked(&t.l));
}

/* ---- llist -------------------------------------------------------------- */

TEST(llist_basics)
{
	struct llist_head h = { NULL };
	struct llist_node n[4], *l;

	CHECK(llist_del_all(&h) == NULL);
	CHECK(llist_reverse_order(NULL) == NULL);
	CHECK(llist_add(&n[0], &h));	/* was empty */
	CHECK(!llist_add(&n[1], &h));
	CHECK(!llist_add(&n[2], &h));
	l = llist_del_all(&h);
	CHECK(h.first == NULL);
	/* LIFO as detached... */
	CHECK(l == &n[2] && l->next == &n[1] && l->next->next == &n[0] &&
	      n[0].next == NULL);
	/* ...FIFO after reversal. */
	l = llist_reverse_order(l);
	CHECK(l == &n[0] && n[0].next == &n[1] && n[1].next == &n[2] &&
	      n[2].next == NULL);
	CHECK(llist_add(&n[3], &h));	/* empty again after del_all */
	CHECK(llist_del_all(&h) == &n[3] && n[3].next == NULL);
}

/* ---- csd queue, one thread ---------------------------------------------- */

struct rec_call {
	struct csd *csd;
	int order[8];
	bool locked_in_func[8];
	int n;
};

static struct rec_call rec;

static void rec_func(void *info)
{
	int id = (int)(intptr_t)info;

	rec.order[rec.n] = id;
	rec.locked_in_func[rec.n] = csd_is_locked(rec.csd);
	rec.n++;
}

static void queue_fifo_kind(enum csd_qkind kind)
{
	static struct csd_queue q;
	struct csd c[3];
	struct countdown cd = { .left = 0 };

	csd_queue_init(&q, kind);
	CHECK(csd_queue_empty(&q));
	CHECK_EQ(csd_queue_run(&q), 0);
	rec = (struct rec_call){ 0 };
	rec.csd = &c[0];
	for (int i = 0; i < 3; i++) {
		c[i] = (struct csd)CSD_INIT(rec_func, (void *)(intptr_t)(i + 10));
		CHECK(csd_lock(&c[i], 0, countdown_expired, &cd));
		CHECK(csd_is_locked(&c[i]));
		CHECK(csd_enqueue(&q, &c[i]) == (i == 0));	/* kick if empty */
	}
	CHECK(!csd_queue_empty(&q));
	CHECK_EQ(csd_queue_run(&q), 3);
	CHECK_EQ(rec.n, 3);
	CHECK_EQ(rec.order[0], 10);	/* oldest first */
	CHECK_EQ(rec.order[1], 11);
	CHECK_EQ(rec.order[2], 12);
	CHECK(csd_queue_empty(&q));
	for (int i = 0; i < 3; i++)
		CHECK(!csd_is_locked(&c[i]));
	/* Empty again: the next enqueue owes the kick. */
	CHECK(csd_lock(&c[1], 0, countdown_expired, &cd));
	CHECK(csd_enqueue(&q, &c[1]));
	CHECK_EQ(csd_queue_run(&q), 1);
	CHECK_EQ(rec.order[3], 11);
	CHECK_EQ(csd_queue_run(&q), 0);
}

TEST(queue_fifo_lock)
{
	queue_fifo_kind(CSD_Q_LOCK);
}

TEST(queue_fifo_llist)
{
	queue_fifo_kind(CSD_Q_LLIST);
}

static void unlock_order_kind(enum csd_qkind kind)
{
	static struct csd_queue q;
	struct csd a = CSD_INIT(rec_func, (void *)1);
	struct csd s = CSD_INIT(rec_func, (void *)2);
	struct countdown cd = { .left = 0 };

	csd_queue_init(&q, kind);
	rec = (struct rec_call){ 0 };

	/* Async: already unlocked while func runs (caller may reuse it). */
	rec.csd = &a;
	CHECK(csd_lock(&a, 0, countdown_expired, &cd));
	csd_enqueue(&q, &a);
	CHECK_EQ(csd_queue_run(&q), 1);
	CHECK_EQ(rec.n, 1);
	CHECK(!rec.locked_in_func[0]);

	/* Sync: still locked while func runs (the caller waits on it). */
	rec.csd = &s;
	CHECK(csd_lock(&s, CSD_FLAG_SYNC, countdown_expired, &cd));
	csd_enqueue(&q, &s);
	CHECK_EQ(csd_queue_run(&q), 1);
	CHECK_EQ(rec.n, 2);
	CHECK(rec.locked_in_func[1]);
	CHECK(!csd_is_locked(&s));
	CHECK_EQ(s.flags & CSD_FLAG_LOCK, 0);
}

TEST(unlock_order_lock)
{
	unlock_order_kind(CSD_Q_LOCK);
}

TEST(unlock_order_llist)
{
	unlock_order_kind(CSD_Q_LLIST);
}

TEST(sync_wait_timeout)
{
	static struct csd_queue q;
	struct csd s = CSD_INIT(rec_func, (void *)3);
	struct countdown cd = { .left = 1000 };

	csd_queue_init(&q, CSD_Q_LLIST);
	rec = (struct rec_call){ .csd = &s };
	CHECK(csd_lock_wait(&s, countdown_expired, &cd));	/* never locked */
	CHECK_EQ(cd.calls, 0);
	CHECK(csd_lock(&s, CSD_FLAG_SYNC, countdown_expired, &cd));
	CHECK_EQ(s.flags, CSD_FLAG_LOCK | CSD_FLAG_SYNC);
	CHECK(csd_enqueue(&q, &s));
	/* Nobody runs the queue: the wait must give up, not hang. */
	CHECK(!csd_lock_wait(&s, countdown_expired, &cd));
	CHECK_EQ(cd.calls, 1001);
	/* A second csd_lock on a busy csd times out and leaves it alone. */
	cd = (struct countdown){ .left = 10 };
	CHECK(!csd_lock(&s, 0, countdown_expired, &cd));
	CHECK_EQ(s.flags, CSD_FLAG_LOCK | CSD_FLAG_SYNC);
	CHECK_EQ(rec.n, 0);
	/* The handler runs: the wait now succeeds without expiring. */
	CHECK_EQ(csd_queue_run(&q), 1);
	CHECK_EQ(rec.n, 1);
	cd = (struct countdown){ .left = 0 };
	CHECK(csd_lock_wait(&s, countdown_expired, &cd));
	CHECK_EQ(cd.calls, 0);
}

/* An async func may lock and requeue its own csd: it was freed before. */
struct requeue {
	struct csd csd;
	struct csd_queue *q;
	int runs;
	bool relock_ok, kicked;
};

static void requeue_func(void *info)
{
	struct requeue *r = info;
	struct countdown cd = { .left = 0 };

	if (r->runs++ == 0) {
		r->relock_ok = csd_lock(&r->csd, 0, countdown_expired, &cd);
		if (r->relock_ok)
			/* The queue was detached: empty, so it owes a kick. */
			r->kicked = csd_enqueue(r->q, &r->csd);
	}
}

static void requeue_kind(enum csd_qkind kind)
{
	static struct csd_queue q;
	static struct requeue r;

	csd_queue_init(&q, kind);
	r = (struct requeue){ .q = &q };
	r.csd = (struct csd)CSD_INIT(requeue_func, &r);
	CHECK(csd_lock(&r.csd, 0, countdown_expired, &(struct countdown){ 0 }));
	CHECK(csd_enqueue(&q, &r.csd));
	CHECK_EQ(csd_queue_run(&q), 1);	/* the requeue waits for the next */
	CHECK(r.relock_ok);
	CHECK(r.kicked);
	CHECK_EQ(r.runs, 1);
	CHECK_EQ(csd_queue_run(&q), 1);
	CHECK_EQ(r.runs, 2);
	CHECK(csd_queue_empty(&q));
	CHECK(!csd_is_locked(&r.csd));
}

TEST(requeue_from_func_lock)
{
	requeue_kind(CSD_Q_LOCK);
}

TEST(requeue_from_func_llist)
{
	requeue_kind(CSD_Q_LLIST);
}

/* ---- csd queue, many producers, one consumer ---------------------------- */

enum { POOL = 16, MAX_PROD = 8 };

struct call_rec {
	uint32_t ran;		/* consumer: times func ran */
	uint32_t pos;		/* consumer: position in its drain */
	bool was_empty;		/* producer: csd_enqueue's answer */
};

struct hammer {
	struct csd_queue q;
	enum csd_qkind kind;
	bool sync;
	unsigned nprod, calls;		/* per producer */
	uint32_t kick;			/* "IPI pending"; atomic */
	uint64_t kicks_sent;		/* atomic */
	uint64_t ran;			/* atomic: written by the consumer */
	struct call_rec *recs;		/* [nprod * calls] */
	/* Not on the producers' stacks: a timed-out test must not leave
	 * freed memory queued. */
	struct csd pool[MAX_PROD][POOL];
	/* consumer only */
	uint32_t next_seq[MAX_PROD];
	uint64_t fifo_errors, count_errors, kicks_handled, empty_drains;
	uint32_t pos;			/* position in the running drain */
	/* producers, atomic */
	uint64_t prod_timeouts, sync_errors;
	bool consumer_timeout;
};

struct producer {
	struct hammer *h;
	unsigned id;
};

static struct hammer *cur;	/* the func's view; one test at a time */

/*
 * info carries the call number itself, not a pointer into the csd: for an
 * async call the producer may already be refilling the csd while func runs.
 */
static void hammer_func(void *info)
{
	uintptr_t idx = (uintptr_t)info - 1;
	unsigned prod = idx / cur->calls, seq = idx % cur->calls;
	struct call_rec *r = &cur->recs[idx];

	if (cur->next_seq[prod] != seq)
		cur->fifo_errors++;
	cur->next_seq[prod] = seq + 1;
	/* Relaxed: read back after pthread_join (or by the sync waiter). */
	__atomic_store_n(&r->ran, r->ran + 1, __ATOMIC_RELAXED);
	r->pos = cur->pos++;
}

static void kick(struct hammer *h)
{
	__atomic_fetch_add(&h->kicks_sent, 1, __ATOMIC_RELAXED);
	/* Release: the enqueue happens before the consumer sees the kick. */
	__atomic_store_n(&h->kick, 1, __ATOMIC_RELEASE);
}

static void *producer_main(void *arg)
{
	struct producer *p = arg;
	struct hammer *h = p->h;
	struct csd *pool = h->pool[p->id];
	struct wall w;

	wall_init(&w, 120);
	for (int i = 0; i < POOL; i++)
		pool[i] = (struct csd)CSD_INIT(hammer_func, NULL);
	for (unsigned seq = 0; seq < h->calls; seq++) {
		/* Sync: one csd, wait each time; async: round-robin a pool. */
		struct csd *c = &pool[h->sync ? 0 : seq % POOL];
		uintptr_t idx = (uintptr_t)p->id * h->calls + seq;
		bool empty;

		if (!csd_lock(c, h->sync ? CSD_FLAG_SYNC : 0, wall_expired, &w)) {
			__atomic_fetch_add(&h->prod_timeouts, 1,
					   __ATOMIC_RELAXED);
			break;
		}
		c->func = hammer_func;
		c->info = (void *)(idx + 1);
		empty = csd_enqueue(&h->q, c);
		h->recs[idx].was_empty = empty;
		if (empty)
			kick(h);
		if (h->sync) {
			if (!csd_lock_wait(c, wall_expired, &w)) {
				__atomic_fetch_add(&h->prod_timeouts, 1,
						   __ATOMIC_RELAXED);
				break;
			}
			/* Sync: func finished before the unlock we saw. */
			if (__atomic_load_n(&h->recs[idx].ran,
					    __ATOMIC_RELAXED) != 1)
				__atomic_fetch_add(&h->sync_errors, 1,
						   __ATOMIC_RELAXED);
		}
	}
	/* Done only when no call of ours is still in flight. */
	for (int i = 0; i < POOL; i++)
		if (!csd_lock_wait(&pool[i], wall_expired, &w))
			__atomic_fetch_add(&h->prod_timeouts, 1,
					   __ATOMIC_RELAXED);
	return NULL;
}

static void *consumer_main(void *arg)
{
	struct hammer *h = arg;
	uint64_t total = (uint64_t)h->nprod * h->calls;
	struct wall w;

	wall_init(&w, 120);
	while (__atomic_load_n(&h->ran, __ATOMIC_RELAXED) < total) {
		unsigned got;

		/*
		 * The IPI: clear "pending" before draining (acquire: see the
		 * enqueue behind the kick), as an APIC clears IRR->ISR before
		 * the handler runs; a kick sent during the drain is not lost.
		 */
		if (!__atomic_exchange_n(&h->kick, 0, __ATOMIC_ACQUIRE)) {
			if (wall_expired(&w)) {
				h->consumer_timeout = true;
				break;
			}
			continue;
		}
		h->kicks_handled++;
		h->pos = 0;
		got = csd_queue_run(&h->q);
		if (got != h->pos)
			h->count_errors++;
		if (!got)
			h->empty_drains++;
		__atomic_store_n(&h->ran, h->ran + got, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void hammer(enum csd_qkind kind, bool sync, unsigned nprod,
		   unsigned calls)
{
	static struct hammer h;
	struct producer p[MAX_PROD];
	pthread_t pt[MAX_PROD], ct;
	uint64_t total = (uint64_t)nprod * calls, firsts = 0;
	uint64_t bad_ran = 0, bad_empty = 0;

	h = (struct hammer){ .kind = kind, .sync = sync, .nprod = nprod,
			     .calls = calls };
	h.recs = calloc(total, sizeof(*h.recs));
	csd_queue_init(&h.q, kind);
	cur = &h;
	pthread_create(&ct, NULL, consumer_main, &h);
	for (unsigned i = 0; i < nprod; i++) {
		p[i] = (struct producer){ .h = &h, .id = i };
		pthread_create(&pt[i], NULL, producer_main, &p[i]);
	}
	for (unsigned i = 0; i < nprod; i++)
		pthread_join(pt[i], NULL);
	pthread_join(ct, NULL);

	CHECK(!h.consumer_timeout);	/* a lost wake-up ends here */
	CHECK_EQ(h.prod_timeouts, 0);
	CHECK_EQ(h.ran, total);
	CHECK_EQ(h.fifo_errors, 0);
	CHECK_EQ(h.count_errors, 0);
	CHECK_EQ(h.sync_errors, 0);
	for (unsigned i = 0; i < nprod; i++)
		CHECK_EQ(h.next_seq[i], calls);
	for (uint64_t i = 0; i < total; i++) {
		struct call_rec *r = &h.recs[i];

		bad_ran += r->ran != 1;
		/*
		 * "Was empty" is exact: every drain detaches one list, whose
		 * oldest entry (run first) found the queue empty and every
		 * other entry found it non-empty.
		 */
		bad_empty += r->was_empty != (r->pos == 0);
		firsts += r->pos == 0;
	}
	CHECK_EQ(bad_ran, 0);
	CHECK_EQ(bad_empty, 0);
	CHECK_EQ(h.kicks_sent, firsts);
	CHECK(h.kicks_sent <= total);
	/* A kick whose entries an earlier drain took may still be pending. */
	if (__atomic_exchange_n(&h.kick, 0, __ATOMIC_ACQUIRE)) {
		h.kicks_handled++;
		h.empty_drains++;
		CHECK_EQ(csd_queue_run(&h.q), 0);
	}
	CHECK_EQ(h.kicks_handled, h.kicks_sent);
	CHECK(csd_queue_empty(&h.q));
	printf("#   %s %s %ux%u: kicks %lu (%.1f calls/kick), empty drains %lu\n",
	       kind == CSD_Q_LOCK ? "lock" : "llist", sync ? "sync" : "async",
	       nprod, calls, (unsigned long)h.kicks_sent,
	       h.kicks_sent ? (double)total / h.kicks_sent : 0.0,
	       (unsigned long)h.empty_drains);
	free(h.recs);
	cur = NULL;
}

TEST(hammer_async_lock)
{
	hammer(CSD_Q_LOCK, false, 4, 100000);
}

TEST(hammer_async_llist)
{
	hammer(CSD_Q_LLIST, false, 4, 100000);
}

TEST(hammer_sync_lock)
{
	hammer(CSD_Q_LOCK, true, 4, 50000);
}

TEST(hammer_sync_llist)
{
	hammer(CSD_Q_LLIST, true, 4, 50000);
}

int main(void)
{
	RUN(spin_try_and_deadline);
	RUN(spin_mutual_exclusion);
	RUN(llist_basics);
	RUN(queue_fifo_lock);
	RUN(queue_fifo_llist);
	RUN(unlock_order_lock);
	RUN(unlock_order_llist);
	RUN(sync_wait_timeout);
	RUN(requeue_from_func_lock);
	RUN(requeue_from_func_llist);
	RUN(hammer_async_lock);
	RUN(hammer_async_llist);
	RUN(hammer_sync_lock);
	RUN(hammer_sync_llist);
	return check_done();
}
