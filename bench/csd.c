/* SPDX-License-Identifier: MIT */
/*
 * csd: Linux's smp_call_function_single design (kernel/smp.c) measured with
 * two queue implementations (bench/csd_queue.c): a spinlock-protected list,
 * as the original generic_exec_single, and today's lock-free llist.
 *
 * Each CPU has a call_single_queue; a caller locks a csd, fills func/info,
 * enqueues it on the target's queue and sends VEC_CSD only when the enqueue
 * found the queue empty ("kick if empty"); the handler drains the whole
 * queue. So calls that arrive while a kick is pending batch behind it.
 * "kick always" sends an IPI per call, for comparison.
 *
 * Tests (table `csd`):
 *   sync   one synchronous call (wait=1) per sample, every ordered pair;
 *   batch  K async calls to one target, timed until all K ran,
 *          K = 1, 2, 4, ... 64, both kick modes: per-call cost and IPIs/batch;
 *   many   every other CPU makes sync calls to one target at once;
 *   each   on_each_cpu(func, wait=1) from cpu 0 (smp_call_function_many);
 *   alltoall  (stress=N) every CPU sends N/cpus async calls round-robin to
 *          all the others while taking theirs: a stress test whose counts
 *          must come out exact.
 * Every call must run exactly once: counted per test, a mismatch is an
 * `errors` row and the `lost` column.
 * Targets wait with interrupts enabled, spinning, or for sync also halted
 * (`wait` column: spin|hlt, bench_csd.waits), as a Linux idle target of
 * smp_call_function_single(wait=1): `cli; check; announce; sti; hlt`
 * (receiver_sleep), and the caller makes the next call only once the
 * target has announced it is at its hlt plus SETTLE_CYCLES (outside the
 * sample; inside batch_mean's calls).
 */
#include "csd_queue.h"
#include "harness.h"
#include "plan.h"
#include "report.h"
#include "suite.h"
#include "apic/apic.h"
#include "apic/smpboot.h"
#include "core/progress.h"
#include "core/console.h"
#include "core/errors.h"
#include "core/idt.h"
#include "run.h"
#include "core/percpu.h"
#include "core/str.h"
#include "core/wait.h"
#include "core/x86.h"

#define BATCH_MAX	CSD_BATCH_MAX

/* One queue per CPU and kind: the kinds of one job live side by side. */
static struct csd_queue queues[2][NR_CPUS];

/*
 * A variant: the queue kind and the kick mode of one row. Rows compared
 * with each other (sync: lock vs llist; batch: both queues x both kick
 * modes) are the variants of one job, measured interleaved in blocks of
 * CSD_BLOCK samples, each into its own sample array and counters.
 */
#define CSD_BLOCK	16
struct variant {
	enum csd_qkind kind;
	bool kick_always;
};

/* Per-caller state: its csds and counters, one caller per line set. */
struct caller {
	struct csd csd[BATCH_MAX];
	uint64_t ipis[INTERLEAVE_MAX];	/* kicks this caller sent, per variant */
	uint64_t calls[INTERLEAVE_MAX];	/* calls this caller made, per variant */
	uint64_t calls_all;		/* all variants */
} __cacheline_aligned;
static struct caller callers[NR_CPUS];
/* each: one sync csd per target, as on_each_cpu has one per CPU (cfd). */
static struct csd each_csd[NR_CPUS];
/* alltoall: the CPUs of the run in order (a sender's targets, any count). */
static unsigned a2a_cpus[NR_CPUS];

static struct {
	volatile uint32_t stop;		/* targets leave their loop */
	volatile uint32_t go;		/* many: senders start together */
	volatile uint32_t ready;	/* targets waiting with IF=1 */
	volatile uint32_t failed;
	volatile uint32_t finished;	/* many: senders done */
	struct variant var[INTERLEAVE_MAX];
	unsigned nvar;
	volatile unsigned v;		/* the variant being measured now */
	uint64_t batch_mean[INTERLEAVE_MAX];	/* STATS_NA unless the test has one */
	enum wait_mode wait;		/* how targets wait (sync: spin or hlt) */
	unsigned target;
	unsigned batch;
	uint64_t *samples;
	unsigned nsenders;
	/* many/each cut short by the budget: samples kept (0: all) */
	size_t got;
	uint64_t row_start;		/* many: when every sender was ready */
	const char *why;		/* the first failed step, for the errors row */
} ctl __cacheline_aligned;
/* many: samples each sender kept (its slot's first many_n[slot]) */
static unsigned many_n[NR_CPUS];

/* Calls actually run: every func increments its variant's count once. */
static struct {
	volatile uint64_t v[INTERLEAVE_MAX];
	volatile uint64_t all;
} runs __cacheline_aligned;
/* A halting target's announcement: the calls that had run when it slept. */
static struct { volatile uint64_t v; } halting __cacheline_aligned;

static void on_csd(struct regs *r)
{
	(void)r;
	apic_eoi();	/* as Linux: ack first, then drain */
	/* Blocks change only once every call ran: one kind is queued at a time. */
	csd_queue_run(&queues[ctl.var[ctl.v].kind][smp_processor_id()]);
}

static void count_call(void *info)
{
	__atomic_fetch_add(&runs.v[(uintptr_t)info], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&runs.all, 1, __ATOMIC_RELAXED);
}

/*
 * Lock csd, fill it, queue it on cpu's list, kick as the mode says. w is
 * the caller's wait (core/wait.h), re-armed by the caller per call: no
 * clock read here, this is inside timed spans.
 */
static bool call_async(struct caller *c, struct csd *csd, unsigned cpu,
		       uint32_t type, struct wait *w)
{
	unsigned v = ctl.v;
	const struct variant *x = &ctl.var[v];

	if (!csd_lock(csd, type, wait_expired_cb, w))
		return false;
	csd->func = count_call;
	csd->info = (void *)(uintptr_t)v;
	c->calls[v]++;
	c->calls_all++;
	/*
	 * Interrupts off around the enqueue, as Linux's spin_lock_irqsave in
	 * generic_exec_single: a CPU holding a target's queue lock must not
	 * take its own kick, whose handler needs its own queue's lock, which
	 * a third CPU may hold while waiting the same way (all-to-all).
	 */
	uint64_t irq = irq_save();

	if (csd_enqueue(&queues[x->kind][cpu], csd) || x->kick_always) {
		c->ipis[v]++;
		apic_send_ipi(cpu_apic_id[cpu], VEC_CSD);
	}
	irq_restore(irq);
	return true;
}

/* smp_call_function_single(cpu, func, info, wait=1). */
static bool call_sync(struct caller *c, unsigned cpu, struct wait *w)
{
	struct csd *csd = &c->csd[0];

	return call_async(c, csd, cpu, CSD_FLAG_SYNC, w) &&
	       csd_lock_wait(csd, wait_expired_cb, w);
}

/* The whole test's bound: every call may take up to timeout_ms. */
static uint64_t test_timeout_ms(void)
{
	return config.timeout_ms * (uint64_t)(bench_iters() + bench_warmup() + 64 +
					      BATCH_REPS * BATCH_M) *
	       (ctl.nvar ? ctl.nvar : 1) + 1000;
}

static void target_loop(void)
{
	struct wait w;

	wait_start(&w, test_timeout_ms());
	sti();
	__atomic_fetch_add(&ctl.ready, 1, __ATOMIC_RELEASE);
	if (ctl.wait != WM_SPIN) {
		/* Woken by each kick, and by the caller's VEC_WAKE at the end. */
		while (receiver_sleep(ctl.wait, &ctl.stop, &halting.v, runs.all))
			;
	} else if (!wait_until(&w, ctl.stop)) {
		ctl.failed = 1;
	}
	/* A kick may still be pending: let it land before interrupts go off. */
	for (int i = 0; i < 1000; i++)
		cpu_pause();
}

/* Arms w and waits for n targets to be ready. */
static bool wait_ready(struct wait *w, unsigned n)
{
	wait_start(w, barrier_timeout_ms(cpumask_weight(&bench_cpus)));
	if (!wait_until_count(w, __atomic_load_n(&ctl.ready, __ATOMIC_ACQUIRE), n))
		return false;
	wait_start(w, config.timeout_ms);	/* from here: per call */
	return true;
}

/* A new test of nvar variants (var[0..nvar)); variant 0 first. */
static void reset_vars(const struct variant *var, unsigned nvar)
{
	for (unsigned k = 0; k < 2; k++)
		for (unsigned cpu = 0; cpu < nr_cpu_ids; cpu++)
			csd_queue_init(&queues[k][cpu], k);
	for (unsigned cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct caller *c = &callers[cpu];

		mem_set(c->ipis, 0, sizeof(c->ipis));
		mem_set(c->calls, 0, sizeof(c->calls));
		c->calls_all = 0;
		for (int k = 0; k < BATCH_MAX; k++)
			c->csd[k].flags = 0;
		each_csd[cpu].flags = 0;
	}
	for (unsigned v = 0; v < INTERLEAVE_MAX; v++) {
		ctl.var[v] = v < nvar ? var[v] : var[0];
		ctl.batch_mean[v] = STATS_NA;
		runs.v[v] = 0;
	}
	ctl.nvar = nvar;
	ctl.v = 0;
	ctl.wait = WM_SPIN;
	halting.v = UINT64_MAX;
	ctl.stop = ctl.go = ctl.ready = ctl.failed = ctl.finished = 0;
	runs.all = 0;
}

/* A test of one variant. */
static void reset(enum csd_qkind kind, bool kick_always)
{
	const struct variant one = { kind, kick_always };

	reset_vars(&one, 1);
}

/* ---- sync: one pair ------------------------------------------------------ */

static struct { unsigned src, dst; } sp;

/*
 * The interleaving of a one-pair test: warm-up rounds of each variant,
 * then CSD_BLOCK samples of each in turn (variant v's into ctl.samples +
 * v * iters) until each has iters. sample() makes one timed sample of
 * variant ctl.v (cycles NULL: warm-up).
 */
typedef bool (*sample_fn)(struct caller *c, struct wait *w, uint64_t *cycles,
			  uint64_t *expect);
static bool interleave(struct caller *c, struct wait *w, sample_fn sample,
		       uint64_t *expect)
{
	unsigned warm = bench_warmup(), iters = bench_iters();

	for (unsigned v = 0; v < ctl.nvar; v++) {
		ctl.v = v;
		for (unsigned i = 0; i < warm; i++)
			if (!sample(c, w, NULL, expect))
				return false;
		c->ipis[v] = 0;		/* IPIs of the measured samples only */
	}
	for (unsigned n = 0; n < iters; n += CSD_BLOCK) {
		unsigned b = iters - n < CSD_BLOCK ? iters - n : CSD_BLOCK;

		for (unsigned v = 0; v < ctl.nvar; v++) {
			uint64_t *out = ctl.samples + (size_t)v * iters + n;

			ctl.v = v;
			for (unsigned i = 0; i < b; i++)
				if (!sample(c, w, &out[i], expect))
					return false;
		}
	}
	return true;
}

/* One synchronous call to sp.dst, timed; the target asleep first (hlt). */
static bool sync_sample(struct caller *c, struct wait *w, uint64_t *cycles,
			uint64_t *expect)
{
	uint64_t t0;

	(void)expect;
	wait_progress(w);
	if (!receiver_await_sleep(w, ctl.wait, &halting.v, c->calls_all))
		return false;
	t0 = rdtsc_fenced();
	if (!call_sync(c, sp.dst, w))
		return false;
	if (cycles)
		*cycles = rdtsc_fenced() - t0;
	return true;
}

/*
 * sp.src's side of the sync test; false on a missed deadline. The
 * interleaved samples, then per variant batch_mean: BATCH_M calls back to
 * back between two timestamps and none inside, BATCH_REPS times, the
 * median (as bcast and floor).
 */
static bool sync_send(struct wait *w)
{
	struct caller *c = &callers[sp.src];

	if (!interleave(c, w, sync_sample, NULL))
		return false;
	for (unsigned v = 0; v < ctl.nvar; v++) {
		uint64_t bm[BATCH_REPS];

		ctl.v = v;
		for (unsigned k = 0; k < BATCH_REPS; k++) {
			uint64_t t0 = rdtsc_fenced();

			for (unsigned i = 0; i < BATCH_M; i++)
				if (!sync_sample(c, w, NULL, NULL))
					return false;
			bm[k] = (rdtsc_fenced() - t0) / BATCH_M;
		}
		ctl.batch_mean[v] = batch_median(bm, BATCH_REPS);
	}
	return true;
}

/* ---- batch: K async calls to one target ------------------------------------ */

/* One batch of variant ctl.v, timed: K async calls, then all of them ran. */
static bool batch_sample(struct caller *c, struct wait *w, uint64_t *cycles,
			 uint64_t *expect)
{
	unsigned k = ctl.batch, v = ctl.v;
	uint64_t t0 = rdtsc_fenced();

	wait_progress(w);
	for (unsigned j = 0; j < k; j++)
		if (!call_async(c, &c->csd[j], sp.dst, 0, w))
			return false;
	expect[v] += k;
	if (!wait_until(w, __atomic_load_n(&runs.v[v], __ATOMIC_ACQUIRE) >= expect[v]))
		return false;
	if (cycles)
		*cycles = rdtsc_fenced() - t0;
	return true;
}

static bool batch_send(struct wait *w)
{
	uint64_t expect[INTERLEAVE_MAX] = { 0 };

	return interleave(&callers[sp.src], w, batch_sample, expect);
}

/*
 * A one-pair test: sp.dst takes calls in target_loop() while sp.src runs the
 * test's sender, then releases it. arg is the sender (struct pair_test).
 */
struct pair_test {
	bool (*send)(struct wait *w);
};
static const struct pair_test sync_test = { sync_send };
static const struct pair_test batch_test = { batch_send };

static void pair_job(void *arg)
{
	const struct pair_test *pt = arg;
	struct wait w;

	if (smp_processor_id() != sp.src) {
		target_loop();
		return;
	}
	if (!wait_ready(&w, 1) || !pt->send(&w))
		ctl.failed = 1;
	__atomic_store_n(&ctl.stop, 1, __ATOMIC_RELEASE);
	if (ctl.wait != WM_SPIN)
		apic_send_ipi(cpu_apic_id[sp.dst], VEC_WAKE);	/* out of hlt */
}

/* ---- many: every other CPU calls one target --------------------------------- */

static void many_job(void *arg)
{
	unsigned me = smp_processor_id(), iters = bench_iters(), warm = bench_warmup();
	struct caller *c = &callers[me];
	struct wait w;
	unsigned slot;

	(void)arg;
	if (me == ctl.target) {
		target_loop();
		return;
	}
	/* My slot among the senders: samples are stored side by side. */
	slot = 0;
	for (unsigned cpu = 0; cpu < me; cpu++)
		if (cpu != ctl.target && cpumask_test_cpu(cpu, &bench_cpus))
			slot++;
	if (!wait_ready(&w, 1)) {
		ctl.why = "the target was not ready";
		goto fail;
	}
	/* The start line and each call: the target serves every sender. */
	wait_start(&w, barrier_timeout_ms(ctl.nsenders));
	__atomic_fetch_add(&ctl.go, 1, __ATOMIC_ACQ_REL);
	wait_progress(&w);
	if (!wait_until_count(&w, __atomic_load_n(&ctl.go, __ATOMIC_ACQUIRE), ctl.nsenders)) {
		ctl.why = "not every sender reached the start line";
		goto fail;
	}
	/*
	 * The target serves every sender: its calls running count as
	 * progress, and so do the tickets of its queue's lock (a ticket lock
	 * hands over only when the next holder runs: on an overcommitted host
	 * one host scheduling per handover, lock-waiter preemption).
	 */
	wait_watch(&w, &runs.all);
	wait_watch32(&w, &queues[ctl.var[0].kind][ctl.target].lock.owner);
	many_n[slot] = 0;
	for (unsigned i = 0; i < warm + iters; i++) {
		uint64_t t0;

		/*
		 * Under the budget: a shorter warm-up and fewer samples, one
		 * call each at least (a round of calls from every sender
		 * can take minutes where the lock hands over per host
		 * scheduling).
		 */
		if (i < warm && i >= 1 && row_allow_used(ctl.row_start, 1, 1))
			warm = i;
		if (i >= warm + 1 && row_allow_used(ctl.row_start, 1, 3))
			break;
		wait_progress(&w);
		t0 = rdtsc_fenced();
		if (!call_sync(c, ctl.target, &w)) {
			ctl.why = "a call did not complete";
			goto fail;
		}
		if (i >= warm)
			ctl.samples[(uint64_t)slot * iters + many_n[slot]++] =
				rdtsc_fenced() - t0;
	}
	goto out;
fail:
	ctl.failed = 1;
out:
	/* The last sender out releases the target. */
	if (__atomic_add_fetch(&ctl.finished, 1, __ATOMIC_ACQ_REL) == ctl.nsenders ||
	    ctl.failed)
		__atomic_store_n(&ctl.stop, 1, __ATOMIC_RELEASE);
}

/* ---- each: on_each_cpu(func, wait=1) from cpu 0 ----------------------------- */

static void each_job(void *arg)
{
	unsigned me = smp_processor_id(), iters = bench_iters(), warm = bench_warmup(), cpu;
	uint64_t start;
	struct caller *c = &callers[me];
	struct wait w;

	(void)arg;
	if (me != 0) {
		target_loop();
		return;
	}
	if (!wait_ready(&w, cpumask_weight(&bench_cpus) - 1))
		goto fail;
	/* per target: a barrier's deadline (the targets spin on a shared host) */
	wait_start(&w, barrier_timeout_ms(cpumask_weight(&bench_cpus)));
	start = rdtsc();
	for (unsigned i = 0; i < warm + iters; i++) {
		uint64_t t0;

		/* under the budget: a shorter warm-up, ROW_FLOOR_SAMPLES at least */
		if (i < warm && !warmup_more(i, warm, start, 1))
			warm = i;
		if (i >= warm + ROW_FLOOR_SAMPLES && row_allow_used(start, 1, 3)) {
			ctl.got = i - warm;
			break;
		}
		wait_progress(&w);
		t0 = rdtsc_fenced();
		for_each_cpu(cpu, &bench_cpus)
			if (cpu != me &&
			    !call_async(c, &each_csd[cpu], cpu, CSD_FLAG_SYNC, &w))
				goto fail;
		c->calls[0]++;		/* and on this CPU, as on_each_cpu does */
		c->calls_all++;
		count_call(0);
		for_each_cpu(cpu, &bench_cpus) {
			wait_progress(&w);	/* timeout_ms per target, not for all */
			if (cpu != me &&
			    !csd_lock_wait(&each_csd[cpu], wait_expired_cb, &w))
				goto fail;
		}
		if (i >= warm)
			ctl.samples[i - warm] = rdtsc_fenced() - t0;
	}
	goto out;
fail:
	ctl.failed = 1;
out:
	__atomic_store_n(&ctl.stop, 1, __ATOMIC_RELEASE);
}

/* ---- alltoall: stress=N async calls, every CPU to every other ------------------ */

static void alltoall_job(void *arg)
{
	unsigned me = smp_processor_id(), n = ctl.nsenders, slot = 0;
	struct caller *c = &callers[me];
	uint64_t quota = config.stress / n, t0;
	struct wait w;

	(void)arg;
	while (slot < n && a2a_cpus[slot] != me)
		slot++;
	sti();		/* take the others' calls while making ours */
	__atomic_fetch_add(&ctl.go, 1, __ATOMIC_ACQ_REL);
	wait_start(&w, config.timeout_ms);
	if (!wait_until_count(&w, __atomic_load_n(&ctl.go, __ATOMIC_ACQUIRE), n))
		goto fail;
	t0 = rdtsc_fenced();
	for (uint64_t i = 0; i < quota; i++) {
		wait_progress(&w);
		/* every other CPU in turn, each sender starting elsewhere */
		unsigned to = a2a_cpus[(slot + 1 + (i + me) % (n - 1)) % n];

		if (!call_async(c, &c->csd[i % BATCH_MAX], to, 0, &w))
			goto fail;
	}
	ctl.samples[slot] = rdtsc_fenced() - t0;
	__atomic_fetch_add(&ctl.finished, 1, __ATOMIC_ACQ_REL);
	/*
	 * Keep taking calls until every sender is done and every call ran.
	 * The others may be far behind: the deadline is on progress (no call
	 * ran for timeout_ms), not on the whole wait.
	 */
	uint64_t seen = ~0ULL;

	for (;;) {
		uint64_t ran = __atomic_load_n(&runs.all, __ATOMIC_ACQUIRE);

		if (__atomic_load_n(&ctl.finished, __ATOMIC_ACQUIRE) == n &&
		    ran >= quota * n)
			break;
		if (ran != seen) {
			seen = ran;
			wait_progress(&w);
		}
		if (ctl.failed || wait_expired(&w))
			goto fail;
		cpu_pause();
	}
	return;
fail:
	ctl.failed = 1;
}

/* ---- reporting ------------------------------------------------------------ */

static const char *const qname[] = { "lock", "llist" };

static uint64_t total_ipis(unsigned v)
{
	uint64_t n = 0;

	for (unsigned cpu = 0; cpu < nr_cpu_ids; cpu++)
		n += callers[cpu].ipis[v];
	return n;
}

static uint64_t total_calls(unsigned v)
{
	uint64_t n = 0;

	for (unsigned cpu = 0; cpu < nr_cpu_ids; cpu++)
		n += callers[cpu].calls[v];
	return n;
}

/* Prints variant v's row of a finished job (ok: no deadline missed). */
static void measure_row(struct csv *t, unsigned *row, unsigned v, bool ok,
			const char *test, const char *src, const char *dst,
			unsigned senders, unsigned batch, size_t nsamples,
			uint64_t expect_calls, uint64_t batches)
{
	const struct variant *x = &ctl.var[v];
	uint64_t *samples = ctl.samples + v * nsamples;
	uint64_t ran = runs.v[v], calls = total_calls(v), ipis = total_ipis(v), lost;
	char prefix[96], suffix[96];

	lost = calls > ran ? calls - ran : 0;
	if (expect_calls && ran != expect_calls && !ctl.failed)
		lost = expect_calls > ran ? expect_calls - ran : 0;
	fmt_buf(prefix, sizeof(prefix), "%s,%s,%s,%s,%s,%s,%u,%u", test,
		qname[x->kind], x->kick_always ? "always" : "empty", src, dst,
		wait_mode_name[ctl.wait], senders, batch);
	if (!ok) {
		error_add("csd", -1, config.timeout_ms * 1000,
			  "%s %s %s->%s batch %u: %s in time", test, qname[x->kind], src, dst,
			  batch, ctl.why ? ctl.why : "a call did not complete");
		fmt_buf(suffix, sizeof(suffix), "NA,NA,%lu,%lu", calls, lost);
		stats_row_na(t, prefix, suffix);
	} else {
		struct stats st;
		uint64_t x100 = batches ? ipis * 100 / batches : 0;

		if (ran != calls)
			error_add("csd", -1, 0, "%s %s: %lu calls made, %lu ran",
				  test, qname[x->kind], calls, ran);
		raw_keep(*row, samples, nsamples);
		stats_compute(samples, nsamples, &st);
		fmt_buf(suffix, sizeof(suffix), "%lu,%lu.%02lu,%lu,%lu",
			cycles_to_ns(st.p50, tsc_hz) / batch, x100 / 100, x100 % 100,
			calls, ran > calls ? ran - calls : lost);
		stats_row(t, prefix, samples, nsamples, ctl.batch_mean[v], suffix);
		if (str_eq(test, "alltoall"))
			;	/* a stress test: no headline figure */
		else if (str_eq(test, "sync") && ctl.wait == WM_HLT)
			summary_offer(x->kind ? "csd_sync_llist_hlt_p50" : "csd_sync_lock_hlt_p50",
				      st.p50);
		else if (!str_eq(test, "batch"))
			summary_offer(str_eq(test, "sync") ?
				      (x->kind ? "csd_sync_llist_p50" : "csd_sync_lock_p50") :
				      str_eq(test, "many") ?
				      (x->kind ? "csd_many_llist_p50" : "csd_many_lock_p50") :
				      (x->kind ? "csd_each_llist_p50" : "csd_each_lock_p50"),
				      st.p50);
		else if (batch == BATCH_MAX && !x->kick_always)
			summary_offer(x->kind ? "csd_per_call_k64_llist" : "csd_per_call_k64_lock",
				      st.p50 / batch);
	}
	(*row)++;
}

/*
 * Runs job on mask, waits, and prints one csd row per variant of the job
 * (reset_vars). Per variant: nsamples samples, expect_calls (0: calls
 * made), batches (the ipis_per_batch divisor).
 */
static void measure(struct csv *t, unsigned *row, const char *test,
		    const struct cpumask *mask, void (*job)(void *), const void *arg,
		    const char *src, const char *dst, unsigned senders,
		    unsigned batch, size_t nsamples, uint64_t expect_calls,
		    uint64_t batches)
{
	bool ok;

	ctl.got = 0;
	ctl.why = NULL;
	ctl.row_start = rdtsc();
	ok = bench_run_on(mask, job, (void *)arg, test_timeout_ms(), "csd");
	/* Let in-flight handlers finish before reading the counters. */
	udelay(1000);
	if (job == many_job) {	/* the senders' kept samples, side by side */
		size_t k = 0, per = nsamples / (senders ? senders : 1);

		for (unsigned slot = 0; slot < senders; slot++)
			for (unsigned i = 0; i < many_n[slot]; i++)
				ctl.samples[k++] = ctl.samples[(size_t)slot * per + i];
		nsamples = k;
		batches = total_calls(0);	/* each call its own batch, warm-up too */
	} else if (ctl.got) {
		nsamples = ctl.got;
		batches = total_calls(0) / (batch + 1);	/* each: rounds made */
	}
	for (unsigned v = 0; v < ctl.nvar; v++)
		measure_row(t, row, v, ok && !ctl.failed, test, src, dst, senders,
			    batch, nsamples, expect_calls, batches);
}

/* The wait modes of csd's targets (bench_csd.waits). */
static const unsigned csd_waits = 1u << WM_SPIN | 1u << WM_HLT;

/* A one-pair test from a to b: sp, the pair's mask, its src and dst fields. */
static void pair_prepare(unsigned a, unsigned b, struct cpumask *m,
			 char s1[12], char s2[12])
{
	sp.src = a;
	sp.dst = b;
	cpumask_clear(m);
	cpumask_set_cpu(a, m);
	cpumask_set_cpu(b, m);
	fmt_buf(s1, 12, "%u", a);
	fmt_buf(s2, 12, "%u", b);
}

/* The queues compared in sync rows, and the batch rows' four variants. */
static const struct variant sync_vars[] = {
	{ CSD_Q_LOCK, false }, { CSD_Q_LLIST, false },
};
static const struct variant batch_vars[] = {
	{ CSD_Q_LOCK, false }, { CSD_Q_LOCK, true }, { CSD_Q_LLIST, false }, { CSD_Q_LLIST, true },
};
_Static_assert(sizeof(batch_vars) / sizeof(batch_vars[0]) <= INTERLEAVE_MAX,
	       "the arena holds INTERLEAVE_MAX interleaved rows");

/* The sync rows of a calling b, b waiting in mode w: both queues interleaved. */
static void sync_rows(struct csv *t, unsigned *row, enum wait_mode w,
		      unsigned a, unsigned b)
{
	unsigned iters = bench_iters();
	struct cpumask m;
	char s1[12], s2[12];

	reset_vars(sync_vars, 2);
	ctl.wait = w;
	pair_prepare(a, b, &m, s1, s2);
	measure(t, row, "sync", &m, pair_job, &sync_test, s1, s2, 1, 1,
		iters, 0, iters + BATCH_REPS * BATCH_M);	/* ipis: after the warm-up */
}

static void setup(void)
{
	unsigned n = cpumask_weight(&bench_cpus);

	idt_set_handler(VEC_CSD, on_csd);
	ctl.samples = samples_buf((size_t)(n - 1 > INTERLEAVE_MAX ? n - 1 : INTERLEAVE_MAX) *
				  bench_iters());
}

/* Every sync row of a calling b, each wait mode. */
static void sync_pair(struct csv *t, unsigned *row, unsigned a, unsigned b)
{
	for (unsigned w = 0; w < WM_COUNT; w++)
		if (csd_waits & config.wait & (1u << w) && wait_mode_available(w))
			sync_rows(t, row, w, a, b);
}

/* The plan's cost model: one pair's sync rows, printed nowhere. */
static void probe(unsigned a, unsigned b)
{
	struct csv t;
	unsigned row = 0;

	setup();
	csv_begin(&t, report_null_out, 0, "csd", "test");
	sync_pair(&t, &row, a, b);
	csv_end(&t);
}

static void run(void)
{
	unsigned n = cpumask_weight(&bench_cpus), iters = bench_iters();
	unsigned row = 0, a, b, first = cpumask_first(&bench_cpus);
	struct plan_iter it;
	unsigned second = cpumask_next((int)first, &bench_cpus);
	struct cpumask m;
	struct csv t;
	char s1[12], s2[12];

	setup();
	klog("csd: compared rows are measured interleaved, %u samples of each in turn: "
	     "sync lock+llist per pair and wait, batch lock/llist x empty/always per K",
	     CSD_BLOCK);
	csv_begin(&t, console_out, 0, "csd",
		  "test,queue,kick,src,dst,wait,senders,batch," STATS_HEADER
		  ",per_call_ns,ipis_per_batch,calls,lost");

	/* sync, every ordered pair of the run plan, each wait mode */
	progress(0, 3);		/* sync, batch, then many and each */
	bench_plan_begin("csd");
	bench_plan_start(&it);
	while (bench_plan_next(&it, &a, &b)) {
		if (cpumask_test_cpu(a, &bench_cpus) && cpumask_test_cpu(b, &bench_cpus))
			sync_pair(&t, &row, a, b);	/* else dropped after a missed deadline */
	}
	bench_plan_end();
	bench_rows_begin("csd_rows", 4 * 7 + 4);
	/* batch: first -> second, K = 1..64, both queues x both kick modes */
	progress(1, 3);
	for (unsigned k = 1; k <= BATCH_MAX; k *= 2) {
		if (!bench_row_next(4))
			continue;	/* the budget's share is spent */
		reset_vars(batch_vars, 4);
		ctl.batch = k;
		pair_prepare(first, second, &m, s1, s2);
		measure(&t, &row, "batch", &m, pair_job, &batch_test, s1, s2, 1, k,
			iters, 0, iters);
	}
	progress(2, 3);
	for (int k = 0; k < 2; k++) {
		int kind = 1 - k;	/* llist (Linux's) first, for a budget cut */

		/* many: every other CPU calls `first` */
		if (!bench_row_next(first == 0 ? 2 : 1))
			continue;
		reset(kind, false);
		ctl.target = first;
		ctl.nsenders = n - 1;
		fmt_buf(s2, sizeof(s2), "%u", first);
		measure(&t, &row, "many", &bench_cpus, many_job, NULL, "NA", s2, n - 1, 1,
			(size_t)(n - 1) * iters, 0,
			(uint64_t)(n - 1) * (bench_warmup() + iters));
		/* each: on_each_cpu from cpu 0 */
		if (first == 0) {
			reset(kind, false);
			measure(&t, &row, "each", &bench_cpus, each_job, NULL, "0", "NA", 1,
				n - 1, iters, 0, bench_warmup() + iters);
		}
	}
	/* stress=N: all-to-all async calls; per-sender time, counts exact */
	for (int kind = 0; config.stress && kind < 2; kind++) {
		uint64_t quota = config.stress / n;

		unsigned k = 0, cpu;

		for_each_cpu(cpu, &bench_cpus)
			a2a_cpus[k++] = cpu;
		reset(kind, false);
		ctl.nsenders = n;
		klog("csd: alltoall %s: %lu async calls from each of %u CPUs",
		     qname[kind], quota, n);
		measure(&t, &row, "alltoall", &bench_cpus, alltoall_job, NULL, "NA", "NA",
			n, (unsigned)quota, n, quota * n, n);
	}
	bench_rows_end();
	csv_end(&t);
	raw_flush("csd");
}

const struct benchmark bench_csd = {
	.name = "csd", .min_cpus = 2, .run = run, .probe = probe,
	.waits = csd_waits,
};
