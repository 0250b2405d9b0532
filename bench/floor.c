/* SPDX-License-Identifier: MIT */
/*
 * floor: what every cross-CPU figure stands on. Reported as measured, never
 * subtracted from anything.
 *
 *   rdtsc, rdtscp  (0,0) back-to-back rdtsc_fenced() / rdtscp_fenced();
 *                  a sample is the difference of two consecutive reads (the
 *                  loop's store and compare included, ~2 cycles).
 *   self_ipi       (0,0) interrupts on; t0, apic_send_ipi_self(VEC_SELF),
 *                  spin until the handler has bumped cpu 0's counter, t1.
 *   icr_write      (0,dst) the first other CPU of bench_cpus (0,0 alone):
 *                  t0, apic_icr_write(fixed, VEC_NOP, dst), then the end
 *                  stamp mfence; lfence; rdtsc, so the write's store has
 *                  drained (SDM: LFENCE alone does not wait for stores).
 *                  The write exactly as the IPI paths do it (x2APIC:
 *                  [Intel: mfence; lfence;] WRMSR, xAPIC: check ICR idle,
 *                  two MMIO writes). What it includes is in a klog line
 *                  (floor: icr_write = ...). The target
 *                  spins (sti; pause); each IPI is handled (its counter
 *                  moves) before the next write, outside the timed span.
 *   cacheline_rtt  (src,dst) every ordered pair of bench_cpus: ONE line
 *                  holding a counter. src: t0, writes 2r-1, spins until it
 *                  reads 2r, t1. dst: spins until it reads 2r-1, writes 2r.
 *                  Both spin with pause (cpu_relax, as every kernel wait).
 *                  The line is alone in a 128-byte block (no adjacent-line
 *                  prefetch partner).
 * Warm-up rounds are discarded. batch_mean: BATCH_M operations back to back
 * between two timestamps, divided by BATCH_M, median of BATCH_REPS batches
 * (icr_write batches: the IPIs may coalesce in the target's IRR; the
 * writes are what is timed).
 * Every spin checks the clock only each WAIT_CHECK polls (core/wait.h): under nested
 * KVM rdtsc traps and costs ~30k cycles.
 */
#include "harness.h"
#include "plan.h"
#include "report.h"
#include "core/progress.h"
#include "core/str.h"
#include "suite.h"
#include "apic/apic.h"
#include "apic/smpboot.h"
#include "core/compiler.h"
#include "core/console.h"
#include "core/cpuinfo.h"
#include "core/csv.h"
#include "core/errors.h"
#include "core/fmt.h"
#include "core/idt.h"
#include "run.h"
#include "core/percpu.h"
#include "core/stats.h"
#include "core/tsc.h"
#include "core/wait.h"
#include "core/x86.h"

/* Per-CPU handled counters, each on the handling CPU's own line. */
struct counter {
	volatile uint64_t n;
} __cacheline_aligned;

static struct counter self_count[NR_CPUS], nop_count[NR_CPUS];

/* The bounced line, alone in its 128-byte block. */
static struct {
	volatile uint64_t v;
	char pad[120];
} cl_line __aligned(128);
/* Written once: either side gave up (or the row is over). */
static struct { volatile uint32_t flag; } fl_stop __cacheline_aligned;
static struct { volatile uint32_t n; } fl_ready __cacheline_aligned;
/* Sides of a cacheline_rtt pair that have returned. */
static struct { volatile uint32_t n; } fl_done __cacheline_aligned;

static void self_irq(struct regs *r)
{
	(void)r;
	self_count[smp_processor_id()].n++;
	apic_eoi();
}

static void nop_irq(struct regs *r)
{
	(void)r;
	nop_count[smp_processor_id()].n++;
	apic_eoi();
}

/*
 * Waits on w (re-armed: timeout_ms for this round, no clock read) until
 * *p == want; false past the deadline or once fl_stop is set.
 */
static bool line_is(struct wait *w, volatile uint64_t *p, uint64_t want)
{
	wait_progress(w);
	return wait_until(w, *p == want || fl_stop.flag) && *p == want;
}

/* The same until a handled-counter moves past old. */
static bool count_moved(struct wait *w, volatile uint64_t *p, uint64_t old)
{
	wait_progress(w);
	return wait_until(w, *p != old);
}

static void row_out(struct csv *t, unsigned *row, const char *test,
		    unsigned src, unsigned dst, uint64_t *v, unsigned n,
		    uint64_t batch)
{
	char prefix[48];

	fmt_buf(prefix, sizeof(prefix), "%s,%u,%u", test, src, dst);
	raw_keep(*row, v, n);
	{
		uint64_t p50 = stats_row(t, prefix, v, n, batch, NULL);

		/* Static names: summary_offer keeps the pointer. */
		if (str_eq(test, "cacheline_rtt"))
			summary_offer("cacheline_rtt_p50", p50);
		else if (str_eq(test, "icr_write"))
			summary_offer("icr_write_p50", p50);
		else if (str_eq(test, "self_ipi"))
			summary_offer("self_ipi_p50", p50);
	}
	(*row)++;
}

static void row_na(struct csv *t, unsigned *row, const char *test,
		   unsigned src, unsigned dst)
{
	char prefix[48];

	fmt_buf(prefix, sizeof(prefix), "%s,%u,%u", test, src, dst);
	stats_row_na(t, prefix, NULL);
	(*row)++;
}

/* ---- rdtsc / rdtscp ---------------------------------------------------- */

static void do_rdtsc(struct csv *t, unsigned *row, bool p)
{
	unsigned warm = bench_warmup(), iters = bench_iters();
	uint64_t *v = samples_buf(iters), b[BATCH_REPS], prev, x;

	prev = p ? rdtscp_fenced(0) : rdtsc_fenced();
	for (unsigned i = 0; i < warm + iters; i++) {
		x = p ? rdtscp_fenced(0) : rdtsc_fenced();
		if (i >= warm)
			v[i - warm] = x - prev;
		prev = x;
	}
	/* t0, BATCH_M - 1 reads, t1: BATCH_M gaps. */
	for (unsigned k = 0; k < BATCH_REPS; k++) {
		uint64_t t0 = p ? rdtscp_fenced(0) : rdtsc_fenced(), t1;

		for (unsigned m = 1; m < BATCH_M; m++)
			x = p ? rdtscp_fenced(0) : rdtsc_fenced();
		t1 = p ? rdtscp_fenced(0) : rdtsc_fenced();
		b[k] = (t1 - t0) / BATCH_M;
	}
	row_out(t, row, p ? "rdtscp" : "rdtsc", 0, 0, v, iters,
		batch_median(b, BATCH_REPS));
}

/* ---- self_ipi ---------------------------------------------------------- */

static void do_self_ipi(struct csv *t, unsigned *row)
{
	unsigned warm = bench_warmup(), iters = bench_iters();
	uint64_t *v = samples_buf(iters), b[BATCH_REPS];
	volatile uint64_t *cnt = &self_count[0].n;
	bool was_on = read_rflags() & (1u << 9);	/* RFLAGS.IF */
	bool ok = true;
	struct wait w;

	wait_start(&w, config.timeout_ms);
	sti();
	for (unsigned i = 0; ok && i < warm + iters; i++) {
		uint64_t c = *cnt, t0, t1;

		t0 = rdtsc_fenced();
		apic_send_ipi_self(VEC_SELF);
		ok = count_moved(&w, cnt, c);
		t1 = rdtsc_fenced();
		if (i >= warm)
			v[i - warm] = t1 - t0;
	}
	for (unsigned k = 0; ok && k < BATCH_REPS; k++) {
		uint64_t t0 = rdtsc_fenced(), t1;

		for (unsigned m = 0; ok && m < BATCH_M; m++) {
			uint64_t c = *cnt;

			apic_send_ipi_self(VEC_SELF);
			ok = count_moved(&w, cnt, c);
		}
		t1 = rdtsc_fenced();
		b[k] = (t1 - t0) / BATCH_M;
	}
	if (!was_on)
		cli();
	if (!ok) {
		error_add("floor", 0, config.timeout_ms * 1000ull,
			  "self_ipi: handler never ran (counter %lu)", *cnt);
		row_na(t, row, "self_ipi", 0, 0);
		return;
	}
	row_out(t, row, "self_ipi", 0, 0, v, iters, batch_median(b, BATCH_REPS));
}

/* ---- icr_write --------------------------------------------------------- */

struct icr_job {
	unsigned dst;
	uint64_t *v;
	uint64_t b[BATCH_REPS];
	const char *fail;	/* what went wrong, or NULL */
};

/*
 * The target: interrupts on, a pause loop until the sender is done. It
 * gives up only after 2 x timeout_ms without an IPI (the sender is gone).
 */
static void icr_target(unsigned cpu)
{
	uint64_t idle = tsc_ms(2 * (uint64_t)config.timeout_ms + 10);
	uint64_t last = nop_count[cpu].n;
	struct wait w;

	wait_start_cycles(&w, idle);
	sti();
	__atomic_fetch_add(&fl_ready.n, 1, __ATOMIC_RELEASE);
	while (!fl_stop.flag) {
		if (nop_count[cpu].n != last) {	/* IPIs still come: still wanted */
			last = nop_count[cpu].n;
			wait_progress(&w);
		}
		if (wait_expired(&w))
			break;
		cpu_pause();
	}
	cli();
}

/*
 * One ICR write, timed. For dst == 0 (alone) interrupts stay off over the
 * write, so the self-targeted IPI is taken after t1, then let in.
 */
static bool icr_once(struct wait *w, unsigned dst, uint32_t id, uint64_t *dt)
{
	volatile uint64_t *cnt = &nop_count[dst].n;
	uint64_t c = *cnt, t0, t1;
	bool ok;

	t0 = rdtsc_fenced();
	ok = apic_icr_write(APIC_DM_FIXED | VEC_NOP, id);
	mfence();	/* the end stamp after the store: mfence; lfence; rdtsc */
	t1 = rdtsc_fenced();
	*dt = t1 - t0;
	if (dst == 0)
		sti();
	ok = ok && count_moved(w, cnt, c);
	if (dst == 0)
		cli();
	return ok;
}

static void icr_sender(struct icr_job *j)
{
	unsigned warm = bench_warmup(), iters = bench_iters(), dst = j->dst;
	uint32_t id = cpu_apic_id[dst];
	struct wait w;
	uint64_t dt;

	wait_start(&w, config.timeout_ms);
	if (dst != 0 &&
	    !wait_until(&w, __atomic_load_n(&fl_ready.n, __ATOMIC_ACQUIRE))) {
		j->fail = "target never reached its loop";
		goto out;
	}
	for (unsigned i = 0; i < warm + iters; i++) {
		if (!icr_once(&w, dst, id, &dt)) {
			j->fail = "IPI not handled (or ICR stuck busy)";
			goto out;
		}
		if (i >= warm)
			j->v[i - warm] = dt;
	}
	for (unsigned k = 0; k < BATCH_REPS; k++) {
		volatile uint64_t *cnt = &nop_count[dst].n;
		uint64_t c = *cnt, t0, t1;

		t0 = rdtsc_fenced();
		for (unsigned m = 0; m < BATCH_M; m++)
			apic_icr_write(APIC_DM_FIXED | VEC_NOP, id);
		mfence();
		t1 = rdtsc_fenced();
		j->b[k] = (t1 - t0) / BATCH_M;
		if (dst == 0)
			sti();
		if (!count_moved(&w, cnt, c)) {
			if (dst == 0)
				cli();
			j->fail = "batch IPIs not handled";
			goto out;
		}
		if (dst == 0)
			cli();
	}
out:
	fl_stop.flag = 1;
}

static void icr_job_fn(void *arg)
{
	struct icr_job *j = arg;

	if (j->dst != 0 && smp_processor_id() == j->dst)
		icr_target(j->dst);
	else
		icr_sender(j);
}

static void do_icr_write(struct csv *t, unsigned *row)
{
	struct icr_job j = { .dst = 0, .v = samples_buf(bench_iters()) };
	struct cpumask m;
	unsigned cpu;

	for_each_cpu(cpu, &bench_cpus)
		if (cpu != 0) {
			j.dst = cpu;
			break;
		}
	cpumask_clear(&m);
	cpumask_set_cpu(0, &m);
	cpumask_set_cpu(j.dst, &m);
	fl_stop.flag = 0;
	fl_ready.n = 0;
	if (!bench_run_on(&m, icr_job_fn, &j, config.timeout_ms, "floor") ||
	    j.fail) {
		if (j.fail)
			error_add("floor", (int)j.dst, config.timeout_ms * 1000ull,
				  "icr_write 0->%u: %s", j.dst, j.fail);
		row_na(t, row, "icr_write", 0, j.dst);
		return;
	}
	row_out(t, row, "icr_write", 0, j.dst, j.v, bench_iters(),
		batch_median(j.b, BATCH_REPS));
}

/* ---- cacheline_rtt ----------------------------------------------------- */

struct cl_job {
	unsigned src, dst;
	uint64_t *v;
	uint64_t b[BATCH_REPS];
	int failed_cpu;		/* the side that gave up, or -1 */
	uint64_t failed_round;
};

static void cl_fail(struct cl_job *j, unsigned r)
{
	if (j->failed_cpu < 0) {
		j->failed_cpu = (int)smp_processor_id();
		j->failed_round = r;
	}
	fl_stop.flag = 1;
}

static void cl_src(struct cl_job *j)
{
	unsigned warm = bench_warmup(), iters = bench_iters(), r = 1;
	struct wait w;

	wait_start(&w, config.timeout_ms);
	for (unsigned i = 0; i < warm + iters; i++, r++) {
		uint64_t t0 = rdtsc_fenced(), t1;

		cl_line.v = 2 * (uint64_t)r - 1;
		if (!line_is(&w, &cl_line.v, 2 * (uint64_t)r)) {
			cl_fail(j, r);
			return;
		}
		t1 = rdtsc_fenced();
		if (i >= warm)
			j->v[i - warm] = t1 - t0;
	}
	for (unsigned k = 0; k < BATCH_REPS; k++) {
		uint64_t t0 = rdtsc_fenced();

		for (unsigned m = 0; m < BATCH_M; m++, r++) {
			cl_line.v = 2 * (uint64_t)r - 1;
			if (!line_is(&w, &cl_line.v, 2 * (uint64_t)r)) {
				cl_fail(j, r);
				return;
			}
		}
		j->b[k] = (rdtsc_fenced() - t0) / BATCH_M;
	}
}

static void cl_dst(struct cl_job *j)
{
	unsigned rounds = bench_warmup() + bench_iters() + BATCH_REPS * BATCH_M;
	struct wait w;

	wait_start(&w, config.timeout_ms);
	for (unsigned r = 1; r <= rounds; r++) {
		if (!line_is(&w, &cl_line.v, 2 * (uint64_t)r - 1)) {
			cl_fail(j, r);
			return;
		}
		cl_line.v = 2 * (uint64_t)r;
	}
}

static void cl_job_fn(void *arg)
{
	struct cl_job *j = arg;

	if (smp_processor_id() == j->src)
		cl_src(j);
	else
		cl_dst(j);
	__atomic_fetch_add(&fl_done.n, 1, __ATOMIC_RELEASE);
}

/*
 * Runs the pair's job on src and dst. A slow pair is not a dead one: when
 * cpu 0 is not in the pair it waits for both sides with a deadline that
 * moves on while the line's counter does (read once per timeout_ms, so it
 * barely touches the line), and stops both past it. A job left running
 * would keep writing the line under the next pair.
 */
static bool cl_run(const struct cpumask *m, struct cl_job *j)
{
	uint64_t last = 0;
	bool ok = true;
	unsigned cpu;
	struct wait w;

	fl_done.n = 0;
	for_each_cpu(cpu, m)
		if (cpu != 0)
			bench_post(cpu, cl_job_fn, j);
	if (cpumask_test_cpu(0, m)) {
		cl_job_fn(j);
	} else {
		wait_start(&w, config.timeout_ms);
		while (!boot_idle_until(&w, fl_done.n >= 2)) {	/* cpu 0 sleeps */
			if (cl_line.v == last) {
				fl_stop.flag = 1;	/* no progress: stop both */
				break;
			}
			last = cl_line.v;
			wait_start(&w, config.timeout_ms);
		}
	}
	for_each_cpu(cpu, m)
		if (cpu != 0)
			ok &= bench_wait(cpu, config.timeout_ms, "floor");
	return ok;
}

static void cl_pair(struct csv *t, unsigned *row, unsigned src, unsigned dst)
{
	struct cl_job j = {
		.src = src, .dst = dst, .v = samples_buf(bench_iters()),
		.failed_cpu = -1,
	};
	struct cpumask m;

	if (!cpumask_test_cpu(src, &bench_cpus) ||
	    !cpumask_test_cpu(dst, &bench_cpus)) {
		row_na(t, row, "cacheline_rtt", src, dst);	/* dropped earlier */
		return;
	}
	cpumask_clear(&m);
	cpumask_set_cpu(src, &m);
	cpumask_set_cpu(dst, &m);
	cl_line.v = 0;
	fl_stop.flag = 0;
	if (!cl_run(&m, &j) || j.failed_cpu >= 0 || fl_stop.flag) {
		if (j.failed_cpu >= 0)
			error_add("floor", j.failed_cpu, config.timeout_ms * 1000ull,
				  "cacheline_rtt %u->%u: no answer in round %lu (line holds %lu)",
				  src, dst, j.failed_round, cl_line.v);
		else if (fl_stop.flag)
			error_add("floor", -1, config.timeout_ms * 1000ull,
				  "cacheline_rtt %u->%u: no progress, stopped",
				  src, dst);
		row_na(t, row, "cacheline_rtt", src, dst);
		return;
	}
	row_out(t, row, "cacheline_rtt", src, dst, j.v, bench_iters(),
		batch_median(j.b, BATCH_REPS));
}

static void do_cacheline(struct csv *t, unsigned *row)
{
	struct cpumask cpus;
	unsigned n, src, dst;
	struct plan_iter it;

	cpumask_copy(&cpus, &bench_cpus);	/* a dropped CPU keeps its rows */
	n = cpumask_weight(&cpus);
	if (n < 2) {
		klog("floor: cacheline_rtt: needs 2 CPUs, no rows");
		return;
	}
	bench_plan_begin("floor");
	bench_plan_start(&it);
	while (bench_plan_next(&it, &src, &dst))	/* the run plan's pairs, in its order */
		if (cpumask_test_cpu(src, &cpus) && cpumask_test_cpu(dst, &cpus))
			cl_pair(t, row, src, dst);
	bench_plan_end();
}

static void run(void)
{
	struct csv t;
	unsigned row = 0;

	idt_set_handler(VEC_SELF, self_irq);
	idt_set_handler(VEC_NOP, nop_irq);
	klog("floor: rdtsc=fenced back-to-back; self_ipi=send..handler ran; "
	     "cacheline_rtt=one line, counter 2r-1/2r, pause spins");
	klog("floor: icr_write = %s, then mfence; %s; rdtsc: the write issued and "
	     "its store drained, not the IPI's delivery",
	     apic_mode != APIC_X2APIC ? "ICR idle check + ICR2 and ICR MMIO stores" :
	     apic_icr_fence ? "mfence; lfence; WRMSR to the x2APIC ICR (Intel: not serializing)" :
	     "WRMSR to the x2APIC ICR (AMD: serializing, no fence)",
	     tsc_fence_mfence ? "mfence" : "lfence");
	csv_begin(&t, console_out, 0, "floor", "test,src,dst," STATS_HEADER);
	do_rdtsc(&t, &row, false);
	if (cpuinfo.rdtscp)
		do_rdtsc(&t, &row, true);
	else
		klog("floor: rdtscp skipped: CPUID 0x80000001 EDX.RDTSCP is 0");
	progress(2, 5);
	do_self_ipi(&t, &row);
	do_icr_write(&t, &row);
	do_cacheline(&t, &row);
	csv_end(&t);
	raw_flush("floor");
}

/* The plan's cost model: one cacheline_rtt pair, printed nowhere. */
static void probe(unsigned a, unsigned b)
{
	struct csv t;
	unsigned row = 0;

	csv_begin(&t, report_null_out, 0, "floor", "test,src,dst," STATS_HEADER);
	cl_pair(&t, &row, a, b);
	csv_end(&t);
}

const struct benchmark bench_floor = { .name = "floor", .run = run, .probe = probe };
