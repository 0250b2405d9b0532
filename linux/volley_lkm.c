// SPDX-License-Identifier: MIT OR GPL-2.0
/*
 * volley_lkm: volley's csd, ipi_rtt and floor tables measured through Linux's
 * own paths, so a Linux guest and a volley boot on the same machine can be
 * put side by side (make compare).
 *
 * Method, as volley's (shared/DESIGN.md): fenced TSC reads (core/tsc_read.h),
 * warm-up iterations discarded, every sample kept, the statistics and the CSV
 * writer are volley's own core/stats.c and core/csv.c compiled in, batch_mean
 * over BATCH_M back-to-back operations (the median of BATCH_REPS such
 * batches: under TCG a batch's first run includes translating its code),
 * ts_dominated against the measured cost
 * of one rdtsc. The target of a measurement waits either
 *   spin  in a kthread bound to it, spinning with interrupts enabled, or
 *   hlt   with nothing to run: the kernel's idle loop (boot with idle=halt
 *         for a plain hlt; the handler checks the interrupted task is idle).
 * Comparable rows (spin and hlt) are measured interleaved in BLOCKS blocks.
 *
 * Everything runs at module load (insmod returns when done); the tables are
 * read from /proc/volley. Unloading stops nothing because nothing is left
 * running: every kthread is stopped before insmod returns.
 *
 * Paths measured:
 *   csd sync    smp_call_function_single(dst, f, NULL, wait=1)
 *   csd batch   K x smp_call_function_single_async(dst, csd[k]), timed until
 *               all K ran; IPIs per batch from the target's irq_call_count
 *               (/proc/interrupts CAL: CALL_FUNCTION + CALL_FUNCTION_SINGLE)
 *   csd many    every other CPU calls one target with wait=1 at once
 *   csd each    on_each_cpu(f, NULL, wait=1) from the first CPU
 *   ipi_rtt     async csd to dst whose handler sends an async csd back: the
 *               cheapest IPI path a module reaches (an IPI each way, with
 *               Linux's call_single_queue on both ends)
 *   floor       cache-line round trip between two bound kthreads; rdtsc and
 *               rdtscp cost
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kthread.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/proc_fs.h>
#include <linux/vmalloc.h>
#include <linux/delay.h>
#include <linux/utsname.h>
#include <linux/topology.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/string.h>
#include <linux/hardirq.h>
#include <linux/atomic.h>
#include <asm/hardirq.h>
#include <asm/tsc.h>
#include <asm/apic.h>
#include <asm/processor.h>

#include "core/tsc_read.h"
#include "core/csv.h"
#include "core/fmt.h"
#include "core/stats.h"
#include "lrow.h"

#ifndef VOLLEY_VERSION
#define VOLLEY_VERSION "unknown"
#endif

#define BATCH_M		16	/* back-to-back operations for batch_mean */
#define BATCH_REPS	5	/* batch_mean: the median of this many batches */
#define BATCH_MAX	64	/* csd batch sizes 1, 2, 4 ... 64 */
#define BLOCKS		4	/* interleaved blocks of spin and hlt samples */
#define HLT_GAP_US	50	/* let a hlt target get back into hlt */
#define OUT_MAX		(8u << 20)

static unsigned int iters = 200;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "measured iterations per row (default 200)");
static unsigned int warmup = 20;
module_param(warmup, uint, 0444);
MODULE_PARM_DESC(warmup, "discarded iterations before each block (default 20)");
static unsigned int timeout_ms = 2000;
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms, "bound on any one wait (default 2000)");
static char *bench = "csd,ipi,floor";
module_param(bench, charp, 0444);
MODULE_PARM_DESC(bench, "comma list of csd,ipi,floor (default all)");
static char *waits = "spin,hlt";
module_param_named(wait, waits, charp, 0444);
MODULE_PARM_DESC(wait, "target wait states: spin,hlt (default both)");

static char *cpus = "";
module_param(cpus, charp, 0444);
MODULE_PARM_DESC(cpus, "the CPUs to measure, a cpulist such as 0-3,8 (default: every online CPU)");

/* The CPUs measured: cpus= within the online ones. */
static struct cpumask bench_mask;
#define for_each_bench_cpu(c)	for_each_cpu(c, &bench_mask)

enum wait_mode { W_SPIN, W_HLT, W_N };
static const char *const wait_name[W_N] = { "spin", "hlt" };
static bool wait_on[W_N];

/* ---- output: /proc/volley -------------------------------------------------- */

static char *obuf;
static size_t olen;
static bool otrunc;

static void out_buf(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (olen + n > OUT_MAX) {
		otrunc = true;
		return;
	}
	memcpy(obuf + olen, s, n);
	olen += n;
}

static void say(const char *fmt, ...) __printf(1, 2);
static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vbuf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fmt_to(out_buf, NULL, "# volley_lkm: %s\n", line);
	pr_info("volley: %s\n", line);
}

static ssize_t proc_read(struct file *f, char __user *u, size_t n, loff_t *pos)
{
	return simple_read_from_buffer(u, n, pos, obuf, olen);
}

static const struct proc_ops volley_proc_ops = {
	.proc_read = proc_read,
	.proc_lseek = default_llseek,
};

/* ---- errors ----------------------------------------------------------------- */

#define ERRORS_MAX	64
static struct {
	char where[16], what[160];
	int cpu;
	unsigned long waited_us;
} errs[ERRORS_MAX];
static unsigned int nerrs, errs_dropped;

static void error_add(const char *where, int cpu, unsigned long waited_us,
		      const char *fmt, ...) __printf(4, 5);
static void error_add(const char *where, int cpu, unsigned long waited_us,
		      const char *fmt, ...)
{
	va_list ap;

	if (nerrs == ERRORS_MAX) {
		errs_dropped++;
		return;
	}
	strscpy(errs[nerrs].where, where, sizeof(errs[nerrs].where));
	va_start(ap, fmt);
	fmt_vbuf(errs[nerrs].what, sizeof(errs[nerrs].what), fmt, ap);
	va_end(ap);
	errs[nerrs].cpu = cpu;
	errs[nerrs].waited_us = waited_us;
	pr_warn("volley: %s: %s\n", where, errs[nerrs].what);
	nerrs++;
}

/* ---- kthreads --------------------------------------------------------------- */

/*
 * A job is a function run by a kthread bound to one CPU. The thread parks
 * until kthread_stop() after the function returns, so job_finish() always
 * stops a live thread: none is left when the module's init returns.
 */
struct job {
	int (*fn)(void *arg);
	void *arg;
	int ret;
	struct completion done;
	struct task_struct *task;
};

static int job_main(void *p)
{
	struct job *j = p;

	j->ret = j->fn(j->arg);
	complete(&j->done);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static int job_start(struct job *j, unsigned int cpu, int (*fn)(void *), void *arg)
{
	j->fn = fn;
	j->arg = arg;
	j->ret = -EINPROGRESS;
	init_completion(&j->done);
	j->task = kthread_create(job_main, j, "volley/%u", cpu);
	if (IS_ERR(j->task)) {
		int err = PTR_ERR(j->task);

		j->task = NULL;
		error_add("kthread", cpu, 0, "kthread_create failed: %d", err);
		return err;
	}
	kthread_bind(j->task, cpu);
	wake_up_process(j->task);
	return 0;
}

/* Every job's functions poll `abort_all`: a missed deadline ends them all. */
static int abort_all;

static int job_finish(struct job *j)
{
	if (!j->task)
		return -ENOENT;
	if (!wait_for_completion_timeout(&j->done, msecs_to_jiffies(timeout_ms * 4 + 1000))) {
		WRITE_ONCE(abort_all, 1);
		wait_for_completion(&j->done);
	}
	kthread_stop(j->task);
	j->task = NULL;
	return j->ret;
}

/*
 * Spin for cond with a TSC deadline; false on timeout or abort. The clock is
 * read every 1024 polls only, the first time to set the deadline: a wait
 * that ends sooner (every timed one) reads no timestamp of its own.
 */
static u64 tsc_per_ms;

#define SPIN_UNTIL(cond) ({						\
	u64 __dl = 0;							\
	bool __ok = true;						\
	unsigned int __n = 0;						\
	while (!(cond)) {						\
		cpu_relax();						\
		if ((++__n & 1023) != 0)				\
			continue;					\
		if (!__dl)						\
			__dl = rdtsc_fenced() + (u64)timeout_ms * tsc_per_ms; \
		else if (READ_ONCE(abort_all) || rdtsc_fenced() > __dl) { \
			__ok = (cond);					\
			break;						\
		}							\
	}								\
	__ok;								\
})

/*
 * out = the median over BATCH_REPS batches of the time per op of BATCH_M
 * back-to-back ops (op: an expression, true on success); false if one failed.
 */
#define BATCH_MEDIAN(out, op) ({					\
	u64 __r[BATCH_REPS], __t;					\
	unsigned int __k, __j;						\
	bool __ok = true;						\
	for (__k = 0; __k < BATCH_REPS && __ok; __k++) {		\
		__t = rdtsc_fenced();					\
		for (__j = 0; __j < BATCH_M && __ok; __j++)		\
			__ok = (op);					\
		__r[__k] = (rdtsc_fenced() - __t) / BATCH_M;		\
	}								\
	if (__ok) {							\
		stats_sort(__r, BATCH_REPS);				\
		out = __r[BATCH_REPS / 2];				\
	}								\
	__ok;								\
})

/*
 * The orchestrator (insmod's process) may share a CPU with the thread it
 * waits for: it sleeps between looks, never spins.
 */
static bool sleep_until_ready(atomic_t *v, unsigned int n)
{
	unsigned long dl = jiffies + msecs_to_jiffies(timeout_ms);

	while (atomic_read(v) < (int)n) {
		if (time_after(jiffies, dl))
			return false;
		usleep_range(20, 50);
	}
	return true;
}

/* The busy target: spins with interrupts enabled until told to stop. */
static struct {
	int stop;
	atomic_t ready;
} spin_ctl ____cacheline_aligned;

static int spin_fn(void *arg)
{
	unsigned int n = 0;

	(void)arg;
	atomic_inc(&spin_ctl.ready);
	while (!READ_ONCE(spin_ctl.stop) && !READ_ONCE(abort_all)) {
		cpu_relax();
		/* Let the watchdog's stopper and RCU in now and then. */
		if ((++n & 0xfffff) == 0)
			cond_resched();
	}
	return 0;
}

/* Starts spinners on mask; false if one did not come up. */
static bool spinners_start(struct job *jobs, const struct cpumask *mask)
{
	unsigned int cpu, n = 0;

	spin_ctl.stop = 0;
	atomic_set(&spin_ctl.ready, 0);
	for_each_cpu(cpu, mask) {
		if (job_start(&jobs[cpu], cpu, spin_fn, NULL) == 0)
			n++;
	}
	if (!sleep_until_ready(&spin_ctl.ready, n) || n != cpumask_weight(mask)) {
		error_add("spin", -1, timeout_ms * 1000UL, "spinning target did not start");
		return false;
	}
	return true;
}

static void spinners_stop(struct job *jobs, const struct cpumask *mask)
{
	unsigned int cpu;

	WRITE_ONCE(spin_ctl.stop, 1);
	for_each_cpu(cpu, mask)
		job_finish(&jobs[cpu]);
}

/* ---- shared state of the tests ---------------------------------------------- */

static struct job *jobs;	/* per CPU: at most one job each */
static u64 *samples;		/* the current row's samples */
static u64 rdtsc_cost;
static struct lrow lr;
static struct csv *tab;

static atomic64_t runs;		/* calls that ran */
static atomic64_t not_idle;	/* hlt rows: calls that found a task running */
static int hlt_row;		/* the current row expects an idle target */

static void count_call(void *info)
{
	(void)info;
	atomic64_inc(&runs);
	if (READ_ONCE(hlt_row) && !is_idle_task(current))
		atomic64_inc(&not_idle);
}

static unsigned long cal_count(unsigned int cpu)
{
	return per_cpu(irq_stat, cpu).irq_call_count;
}

static void gap(enum wait_mode w)
{
	if (w == W_HLT)
		udelay(HLT_GAP_US);
}

/* ---- csd sync and ipi_rtt: one sender, one target ---------------------------- */

struct pair {
	unsigned int src, dst;
	enum wait_mode w;
	unsigned int n;		/* samples to take into out[] */
	u64 *out;
	u64 batch_mean;		/* written when want_bm */
	bool want_bm;
	bool each;		/* on_each_cpu instead of one call to dst */
	bool ok;
};

static int sync_fn(void *arg)
{
	struct pair *p = arg;
	unsigned int i;
	u64 t0;

	for (i = 0; i < warmup + p->n; i++) {
		if (i == warmup)	/* on_each_cpu's local call is never idle */
			WRITE_ONCE(hlt_row, p->w == W_HLT && !p->each);
		gap(p->w);
		t0 = rdtsc_fenced();
		if (p->each)
			on_each_cpu(count_call, NULL, 1);
		else
			smp_call_function_single(p->dst, count_call, NULL, 1);
		if (i >= warmup)
			p->out[i - warmup] = rdtsc_fenced() - t0;
		if ((i & 63) == 63)
			cond_resched();
		if (READ_ONCE(abort_all))
			return -EINTR;
	}
	if (p->want_bm && p->w == W_SPIN)
		BATCH_MEDIAN(p->batch_mean,
			     smp_call_function_single(p->dst, count_call, NULL, 1) == 0);
	p->ok = true;
	return 0;
}

static call_single_data_t ping_csd, pong_csd;
static unsigned int rtt_src;
static int pong_seen ____cacheline_aligned;

static void pong_fn(void *info)
{
	(void)info;
	WRITE_ONCE(pong_seen, 1);
}

static void ping_fn(void *info)
{
	(void)info;
	atomic64_inc(&runs);
	if (READ_ONCE(hlt_row) && !is_idle_task(current))
		atomic64_inc(&not_idle);
	smp_call_function_single_async(rtt_src, &pong_csd);
}

/* One round trip; false on a missed deadline. */
static bool rtt_once(unsigned int dst)
{
	WRITE_ONCE(pong_seen, 0);
	if (smp_call_function_single_async(dst, &ping_csd))
		return false;
	return SPIN_UNTIL(READ_ONCE(pong_seen));
}

static int rtt_fn(void *arg)
{
	struct pair *p = arg;
	unsigned int i;
	u64 t0, t1;

	rtt_src = p->src;
	for (i = 0; i < warmup + p->n; i++) {
		if (i == warmup)
			WRITE_ONCE(hlt_row, p->w == W_HLT);
		gap(p->w);
		t0 = rdtsc_fenced();
		if (!rtt_once(p->dst))
			goto fail;
		t1 = rdtsc_fenced();
		if (i >= warmup)
			p->out[i - warmup] = t1 - t0;
		if ((i & 63) == 63)
			cond_resched();
	}
	/* spin only: back to back, a hlt target would never get back into hlt */
	if (p->want_bm && p->w == W_SPIN && !BATCH_MEDIAN(p->batch_mean, rtt_once(p->dst)))
		goto fail;
	p->ok = true;
	return 0;
fail:
	error_add("ipi_rtt", p->dst, timeout_ms * 1000UL, "%u->%u %s: no pong in time",
		  p->src, p->dst, wait_name[p->w]);
	return -ETIMEDOUT;
}

/* Runs fn on p->src with p->dst waiting as p->w says. */
static bool run_pair(int (*fn)(void *), struct pair *p)
{
	static struct cpumask m;	/* NR_CPUS bits: too big for the stack */
	bool ok;

	cpumask_clear(&m);
	cpumask_set_cpu(p->dst, &m);
	p->ok = false;
	WRITE_ONCE(hlt_row, 0);		/* the sender sets it after its warm-up */
	if (p->w == W_SPIN && !spinners_start(jobs, &m)) {
		spinners_stop(jobs, &m);
		return false;
	}
	ok = job_start(&jobs[p->src], p->src, fn, p) == 0;
	if (ok)
		job_finish(&jobs[p->src]);
	if (p->w == W_SPIN)
		spinners_stop(jobs, &m);
	WRITE_ONCE(hlt_row, 0);
	return ok && p->ok;
}

/*
 * Per ordered pair: BLOCKS blocks, each taking a share of the samples with
 * every wait mode in turn, so spin and hlt see the same conditions. Emits one
 * row per wait mode through row().
 */
typedef void (*pair_row_fn)(unsigned int src, unsigned int dst, enum wait_mode w,
			    u64 *v, size_t n, u64 batch_mean, bool ok, u64 calls, u64 ipis);

static void measure_pairs(int (*fn)(void *), pair_row_fn row)
{
	unsigned int a, b, blk;
	int w;

	for_each_bench_cpu(a) {
		for_each_bench_cpu(b) {
			u64 bm[W_N] = { STATS_NA, STATS_NA };
			bool ok[W_N] = { true, true };
			u64 calls0[W_N] = { 0 }, calls[W_N] = { 0 };
			u64 idle0[W_N] = { 0 }, notidle[W_N] = { 0 }, ipis[W_N] = { 0 };
			unsigned int got = 0;

			if (a == b)
				continue;
			for (blk = 0; blk < BLOCKS; blk++) {
				unsigned int share = iters / BLOCKS + (blk < iters % BLOCKS);

				for (w = 0; w < W_N; w++) {
					struct pair p = {
						.src = a, .dst = b, .w = w, .n = share,
						.out = samples + (size_t)w * iters + got,
						.want_bm = blk == BLOCKS - 1,
						.batch_mean = STATS_NA,
					};

					if (!wait_on[w] || !ok[w])
						continue;
					unsigned long cal0 = cal_count(b);

					calls0[w] = atomic64_read(&runs);
					idle0[w] = atomic64_read(&not_idle);
					ok[w] = run_pair(fn, &p);
					calls[w] += atomic64_read(&runs) - calls0[w];
					ipis[w] += cal_count(b) - cal0;
					notidle[w] += atomic64_read(&not_idle) - idle0[w];
					if (p.want_bm)
						bm[w] = p.batch_mean;
				}
				got += share;
			}
			for (w = 0; w < W_N; w++) {
				if (!wait_on[w])
					continue;
				/*
				 * A measured call that interrupted a task, not the
				 * idle loop: a stray kworker, say. Noted; an error
				 * when it is more than 5% of the samples.
				 */
				if (notidle[w] * 20 > iters)
					error_add(fn == sync_fn ? "csd" : "ipi_rtt", b, 0,
						  "%u->%u hlt: %llu of %u measured calls found the target busy, not idle",
						  a, b, notidle[w], iters);
				else if (notidle[w])
					say("%s %u->%u hlt: %llu of %u measured calls found the target busy",
					    fn == sync_fn ? "csd" : "ipi_rtt", a, b, notidle[w], iters);
				row(a, b, w, samples + (size_t)w * iters, iters, bm[w], ok[w], calls[w],
				    ipis[w]);
			}
		}
	}
}

/* ---- the csd table ------------------------------------------------------------ */

static const char *relation(unsigned int a, unsigned int b)
{
	if (a == b)
		return "self";
	if (cpu_to_node(a) != cpu_to_node(b))
		return "node";
	if (topology_physical_package_id(a) != topology_physical_package_id(b))
		return "package";
	if (cpumask_test_cpu(b, topology_sibling_cpumask(a)))
		return "smt";
	return "core";
}

/* Summary offers: per metric, the median over rows (pairs). */
#define SUMMARY_METRICS	16
#define SUMMARY_VALUES	256
static struct {
	const char *metric;
	unsigned int n;
	u64 v[SUMMARY_VALUES];
} summary[SUMMARY_METRICS];

static void summary_offer(const char *metric, u64 cycles)
{
	unsigned int i;

	for (i = 0; i < SUMMARY_METRICS; i++) {
		if (summary[i].metric && strcmp(summary[i].metric, metric))
			continue;
		summary[i].metric = metric;
		if (summary[i].n < SUMMARY_VALUES)
			summary[i].v[summary[i].n++] = cycles;
		return;
	}
}

static u64 ns(u64 cycles)
{
	return cycles_to_ns(cycles, lr.tsc_hz);
}

/*
 * One csd row: test,queue,kick,src,dst,wait,senders,batch,STATS,
 * per_call_ns,ipis_per_batch,calls,lost. Linux's call_single_queue is an
 * llist kicked when the enqueue found it empty: queue=llist, kick=empty.
 */
static void csd_row(const char *test, const char *src, const char *dst,
		    enum wait_mode w, unsigned int senders, unsigned int batch,
		    u64 *v, size_t n, u64 batch_mean, bool ok, u64 calls, u64 ran,
		    long ipis_x100)
{
	char prefix[96], suffix[96], ipb[24];
	struct stats st;
	u64 lost = calls > ran ? calls - ran : 0;

	fmt_buf(prefix, sizeof(prefix), "%s,llist,empty,%s,%s,%s,%u,%u", test, src, dst,
		wait_name[w], senders, batch);
	if (ipis_x100 < 0)
		fmt_buf(ipb, sizeof(ipb), "NA");
	else
		fmt_buf(ipb, sizeof(ipb), "%lu.%02lu", (unsigned long)ipis_x100 / 100,
			(unsigned long)ipis_x100 % 100);
	if (!ok)
		n = 0;
	stats_compute(v, n, &st);
	fmt_buf(suffix, sizeof(suffix), "%s,%s,%lu,%lu", "NA", ipb, (unsigned long)calls,
		(unsigned long)lost);
	if (n)
		fmt_buf(suffix, sizeof(suffix), "%lu,%s,%lu,%lu",
			(unsigned long)(ns(st.p50) / batch), ipb, (unsigned long)calls,
			(unsigned long)lost);
	lrow_stats(&lr, tab, prefix, v, n, batch_mean, suffix, &st);
	if (lost)
		error_add("csd", -1, 0, "%s %s->%s: %llu calls made, %llu ran", test, src, dst,
			  calls, ran);
	if (!n)
		return;
	if (!strcmp(test, "sync"))
		summary_offer(w == W_SPIN ? "csd_sync_spin_p50" : "csd_sync_hlt_p50", st.p50);
	else if (!strcmp(test, "each"))
		summary_offer(w == W_SPIN ? "csd_each_spin_p50" : "csd_each_hlt_p50", st.p50);
	else if (!strcmp(test, "many"))
		summary_offer("csd_many_p50", st.p50);
	else if (batch == BATCH_MAX)
		summary_offer("csd_per_call_k64", st.p50 / batch);
}

static void sync_row(unsigned int src, unsigned int dst, enum wait_mode w,
		     u64 *v, size_t n, u64 batch_mean, bool ok, u64 calls, u64 ipis)
{
	char s[12], d[12];
	/* every call is counted when it runs, and made with wait=1: made == ran */
	u64 made = ok ? (u64)(warmup * BLOCKS + n + (w == W_SPIN ? BATCH_REPS * BATCH_M : 0)) : calls;

	fmt_buf(s, sizeof(s), "%u", src);
	fmt_buf(d, sizeof(d), "%u", dst);
	csd_row("sync", s, d, w, 1, 1, v, n, batch_mean, ok, made, calls,
		calls ? (long)(ipis * 100 / calls) : -1);
}

/* batch: K async calls, timed until all K ran. */
static call_single_data_t bcsd[BATCH_MAX];
static struct {
	unsigned int dst, k;
	unsigned long cal0, cal1;
	u64 made;
	bool ok;
} bt;

static int batch_fn(void *arg)
{
	unsigned int i, j;
	u64 expect = atomic64_read(&runs), t0;

	(void)arg;
	for (i = 0; i < warmup + iters; i++) {
		if (i == warmup)
			bt.cal0 = cal_count(bt.dst);
		t0 = rdtsc_fenced();
		for (j = 0; j < bt.k; j++, bt.made++)
			if (smp_call_function_single_async(bt.dst, &bcsd[j]))
				goto fail;
		expect += bt.k;
		if (!SPIN_UNTIL(atomic64_read(&runs) >= expect))
			goto fail;
		if (i >= warmup)
			samples[i - warmup] = rdtsc_fenced() - t0;
		if ((i & 63) == 63)
			cond_resched();
	}
	bt.cal1 = cal_count(bt.dst);
	bt.ok = true;
	return 0;
fail:
	error_add("csd", bt.dst, timeout_ms * 1000UL, "batch %u: calls did not run in time", bt.k);
	return -ETIMEDOUT;
}

/* many: every other CPU sync-calls one target at once. */
static struct {
	unsigned int target, nsenders;
	atomic_t go;
	int failed;
} mt;

static int many_fn(void *arg)
{
	unsigned int slot = (unsigned int)(uintptr_t)arg, i;
	u64 t0;

	atomic_inc(&mt.go);
	if (!SPIN_UNTIL(atomic_read(&mt.go) >= mt.nsenders)) {
		WRITE_ONCE(mt.failed, 1);
		return -ETIMEDOUT;
	}
	for (i = 0; i < warmup + iters; i++) {
		t0 = rdtsc_fenced();
		smp_call_function_single(mt.target, count_call, NULL, 1);
		if (i >= warmup)
			samples[(size_t)slot * iters + i - warmup] = rdtsc_fenced() - t0;
		if ((i & 63) == 63)
			cond_resched();
		if (READ_ONCE(abort_all))
			return -EINTR;
	}
	return 0;
}

/* each: on_each_cpu(f, wait=1) from the first CPU, through sync_fn. */
static struct pair each_p;

static void bench_csd(void)
{
	unsigned int n = cpumask_weight(&bench_mask), first = cpumask_first(&bench_mask);
	unsigned int second = cpumask_next(first, &bench_mask), cpu, slot, k, blk;
	static struct cpumask others, m;	/* NR_CPUS bits: not on the stack */
	struct csv t;
	char s1[12], s2[12];
	int w;

	csv_begin(&t, out_buf, NULL, "csd",
		  "test,queue,kick,src,dst,wait,senders,batch," STATS_HEADER
		  ",per_call_ns,ipis_per_batch,calls,lost");
	tab = &t;
	say("csd: sync per pair (%s), batches, many, each", waits);
	measure_pairs(sync_fn, sync_row);

	/* batch: first -> second, K = 1..64, the target spinning */
	fmt_buf(s1, sizeof(s1), "%u", first);
	fmt_buf(s2, sizeof(s2), "%u", second);
	for (k = 1; k <= BATCH_MAX; k *= 2) {
		u64 r0 = atomic64_read(&runs);

		cpumask_clear(&m);
		cpumask_set_cpu(second, &m);
		bt.dst = second;
		bt.k = k;
		bt.ok = false;
		bt.made = 0;
		if (spinners_start(jobs, &m) && job_start(&jobs[first], first, batch_fn, NULL) == 0)
			job_finish(&jobs[first]);
		spinners_stop(jobs, &m);
		csd_row("batch", s1, s2, W_SPIN, 1, k, samples, iters, STATS_NA, bt.ok,
			bt.made, atomic64_read(&runs) - r0,
			bt.ok ? (long)((bt.cal1 - bt.cal0) * 100 / iters) : -1);
	}

	/* many: every other CPU calls `first`, which spins */
	{
		u64 r0 = atomic64_read(&runs);
		unsigned long cal0 = cal_count(first);
		bool ok;

		cpumask_clear(&m);
		cpumask_set_cpu(first, &m);
		mt.target = first;
		mt.nsenders = n - 1;
		mt.failed = 0;
		atomic_set(&mt.go, 0);
		ok = spinners_start(jobs, &m);
		slot = 0;
		if (ok) {
			for_each_bench_cpu(cpu)
				if (cpu != first)
					ok &= job_start(&jobs[cpu], cpu, many_fn,
							(void *)(uintptr_t)slot++) == 0;
			for_each_bench_cpu(cpu)
				if (cpu != first && job_finish(&jobs[cpu]))
					ok = false;
		}
		spinners_stop(jobs, &m);
		ok = ok && !mt.failed;
		csd_row("many", "NA", s1, W_SPIN, n - 1, 1, samples, (size_t)(n - 1) * iters,
			STATS_NA, ok, ok ? (u64)(n - 1) * (warmup + iters) : atomic64_read(&runs) - r0,
			atomic64_read(&runs) - r0,
			(long)((cal_count(first) - cal0) * 100 / max_t(u64, 1, atomic64_read(&runs) - r0)));
	}

	/* each: on_each_cpu from `first`, the others spinning or idle, interleaved */
	cpumask_copy(&others, &bench_mask);
	cpumask_clear_cpu(first, &others);
	{
		bool ok[W_N] = { true, true };
		u64 ran[W_N] = { 0 }, ipis[W_N] = { 0 };
		unsigned int got = 0;

		for (blk = 0; blk < BLOCKS; blk++) {
			unsigned int share = iters / BLOCKS + (blk < iters % BLOCKS);

			for (w = 0; w < W_N; w++) {
				u64 r0 = atomic64_read(&runs), c0 = 0;

				if (!wait_on[w] || !ok[w])
					continue;
				for_each_cpu(cpu, &others)
					c0 += cal_count(cpu);
				each_p = (struct pair){ .src = first, .w = w, .n = share, .each = true,
							.out = samples + (size_t)w * iters + got };
				WRITE_ONCE(hlt_row, 0);
				if (w == W_SPIN && !spinners_start(jobs, &others))
					ok[w] = false;
				if (ok[w] && job_start(&jobs[first], first, sync_fn, &each_p) == 0)
					job_finish(&jobs[first]);
				if (w == W_SPIN)
					spinners_stop(jobs, &others);
				ok[w] = ok[w] && each_p.ok;
				ran[w] += atomic64_read(&runs) - r0;
				for_each_cpu(cpu, &others)
					ipis[w] += cal_count(cpu);
				ipis[w] -= c0;
			}
			got += share;
		}
		for (w = 0; w < W_N; w++)
			if (wait_on[w])
				csd_row("each", s1, "NA", w, 1, n - 1, samples + (size_t)w * iters,
					iters, STATS_NA, ok[w],
					ok[w] ? (u64)n * (warmup * BLOCKS + iters) : ran[w], ran[w],
					ran[w] ? (long)(ipis[w] * 100 * n / ran[w]) : -1);
	}
	csv_end(&t);
}

/* ---- ipi_rtt ---------------------------------------------------------------------- */

static void rtt_row(unsigned int src, unsigned int dst, enum wait_mode w,
		    u64 *v, size_t n, u64 batch_mean, bool ok, u64 calls, u64 ipis)
{
	char prefix[64];
	struct stats st;

	(void)calls;
	(void)ipis;
	fmt_buf(prefix, sizeof(prefix), "%u,%u,%s,%s", src, dst, wait_name[w], relation(src, dst));
	lrow_stats(&lr, tab, prefix, v, ok ? n : 0, batch_mean, "NA", &st);
	if (ok && n)
		summary_offer(w == W_SPIN ? "ipi_rtt_spin_p50" : "ipi_rtt_hlt_p50", st.p50);
}

static void bench_ipi(void)
{
	struct csv t;

	INIT_CSD(&ping_csd, ping_fn, NULL);
	INIT_CSD(&pong_csd, pong_fn, NULL);
	csv_begin(&t, out_buf, NULL, "ipi_rtt",
		  "src,dst,wait,relation," STATS_HEADER ",oneway_ns");
	tab = &t;
	say("ipi_rtt: async csd ping, async csd pong, per pair (%s)", waits);
	measure_pairs(rtt_fn, rtt_row);
	csv_end(&t);
}

/* ---- floor ------------------------------------------------------------------------- */

static u64 cl_line ____cacheline_aligned;
static struct { unsigned int n; bool ok; u64 bm; } cl;

/* The far end: answers every odd value with the next even one. */
static int cl_echo(void *arg)
{
	u64 want = 1;

	(void)arg;
	while (want < 2ULL * (warmup + cl.n + BATCH_REPS * BATCH_M)) {
		if (!SPIN_UNTIL(READ_ONCE(cl_line) == want))
			return -ETIMEDOUT;
		WRITE_ONCE(cl_line, want + 1);
		want += 2;
	}
	return 0;
}

/* One round trip on the line: write the next odd value, wait for the echo. */
static bool cl_once(u64 *v)
{
	WRITE_ONCE(cl_line, *v);
	if (!SPIN_UNTIL(READ_ONCE(cl_line) == *v + 1))
		return false;
	*v += 2;
	return true;
}

static int cl_ping(void *arg)
{
	u64 v = 1, t0;
	unsigned int i;

	(void)arg;
	for (i = 0; i < warmup + cl.n; i++) {
		t0 = rdtsc_fenced();
		if (!cl_once(&v))
			return -ETIMEDOUT;
		if (i >= warmup)
			samples[i - warmup] = rdtsc_fenced() - t0;
	}
	if (!BATCH_MEDIAN(cl.bm, cl_once(&v)))
		return -ETIMEDOUT;
	cl.ok = true;
	return 0;
}

static int tsc_cost_fn(void *arg)
{
	bool p = arg != NULL;
	unsigned int i;
	u32 aux;
	u64 a, b;

	for (i = 0; i < warmup + iters; i++) {
		a = p ? rdtscp_fenced(&aux) : rdtsc_fenced();
		b = p ? rdtscp_fenced(&aux) : rdtsc_fenced();
		if (i >= warmup)
			samples[i - warmup] = b - a;
	}
	BATCH_MEDIAN(cl.bm, ((b = p ? rdtscp_fenced(&aux) : rdtsc_fenced()), true));
	(void)b;
	return 0;
}

static void bench_floor(void)
{
	unsigned int a, b, first = cpumask_first(&bench_mask);
	char prefix[48];
	struct stats st;
	struct csv t;
	int p;

	csv_begin(&t, out_buf, NULL, "floor", "test,src,dst," STATS_HEADER);
	tab = &t;
	say("floor: rdtsc, rdtscp, cache-line round trip per pair");
	for (p = 0; p < 2; p++) {
		if (job_start(&jobs[first], first, tsc_cost_fn, p ? (void *)1 : NULL) == 0)
			job_finish(&jobs[first]);
		fmt_buf(prefix, sizeof(prefix), "%s,%u,%u", p ? "rdtscp" : "rdtsc", first, first);
		lrow_stats(&lr, &t, prefix, samples, iters, cl.bm, NULL, NULL);
	}
	for_each_bench_cpu(a) {
		for_each_bench_cpu(b) {
			bool ok;

			if (a == b)
				continue;
			WRITE_ONCE(cl_line, 0);
			cl.n = iters;
			cl.ok = false;
			ok = job_start(&jobs[b], b, cl_echo, NULL) == 0;
			ok = ok && job_start(&jobs[a], a, cl_ping, NULL) == 0;
			if (jobs[a].task)
				job_finish(&jobs[a]);
			if (!cl.ok)
				WRITE_ONCE(abort_all, 1);	/* release the echo */
			if (jobs[b].task)
				job_finish(&jobs[b]);
			WRITE_ONCE(abort_all, 0);
			if (!cl.ok)
				error_add("floor", b, timeout_ms * 1000UL,
					  "cacheline_rtt %u->%u: no echo in time", a, b);
			fmt_buf(prefix, sizeof(prefix), "cacheline_rtt,%u,%u", a, b);
			lrow_stats(&lr, &t, prefix, samples, ok && cl.ok ? iters : 0,
				   cl.bm, NULL, &st);
			if (ok && cl.ok)
				summary_offer("cacheline_rtt_p50", st.p50);
		}
	}
	csv_end(&t);
}

/* ---- meta, cpus, errors, summary ----------------------------------------------------- */

/* First line of a small text file (/proc/cmdline, sysfs), or "NA". */
static void read_line(const char *path, char *buf, size_t size)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	strscpy(buf, "NA", size);
	if (IS_ERR(f))
		return;
	n = kernel_read(f, buf, size - 1, &pos);
	filp_close(f, NULL);
	if (n <= 0) {
		strscpy(buf, "NA", size);
		return;
	}
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

static void meta_kv(struct csv *t, const char *k, const char *v)
{
	char f[512];

	csv_field(f, sizeof(f), v);
	csv_row(t, "%s,%s", k, f);
}

static const char *preempt_model(void)
{
	if (preempt_model_full())
		return "full";
	if (preempt_model_voluntary())
		return "voluntary";
	if (preempt_model_none())
		return "none";
	return "unknown";
}

static void hypervisor_name(char *buf, size_t size)
{
	unsigned int a, b, c, d;

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR)) {
		strscpy(buf, "none", size);
		return;
	}
	cpuid(0x40000000, &a, &b, &c, &d);
	memcpy(buf, &b, 4);
	memcpy(buf + 4, &c, 4);
	memcpy(buf + 8, &d, 4);
	buf[12] = 0;
}

static void print_meta(void)
{
	char v[512], hv[16];
	struct csv t;

	csv_begin(&t, out_buf, NULL, "meta", "key,value");
	meta_kv(&t, "side", "linux");
	meta_kv(&t, "version", VOLLEY_VERSION);
	fmt_buf(v, sizeof(v), "%s %s", init_utsname()->release, init_utsname()->version);
	meta_kv(&t, "kernel", v);
	read_line("/proc/cmdline", v, sizeof(v));
	meta_kv(&t, "kernel_cmdline", v);
	fmt_buf(v, sizeof(v), "iters=%u warmup=%u timeout_ms=%u bench=%s wait=%s cpus=%s", iters,
		warmup, timeout_ms, bench, waits, *cpus ? cpus : "all");
	meta_kv(&t, "cmdline", v);
	meta_kv(&t, "config", v);
	read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource", v, sizeof(v));
	meta_kv(&t, "clocksource", v);
	meta_kv(&t, "preempt", preempt_model());
	read_line("/sys/devices/system/cpu/cpuidle/current_driver", v, sizeof(v));
	meta_kv(&t, "cpuidle_driver", v);
	fmt_buf(v, sizeof(v), "%u", HZ);
	meta_kv(&t, "hz", v);
	meta_kv(&t, "cpu_vendor", boot_cpu_data.x86_vendor_id);
	meta_kv(&t, "cpu_brand", boot_cpu_data.x86_model_id);
	hypervisor_name(hv, sizeof(hv));
	meta_kv(&t, "hypervisor", hv);
	meta_kv(&t, "apic_mode", x2apic_mode ? "x2apic" : "xapic");
	fmt_buf(v, sizeof(v), "%s", apic ? apic->name : "NA");
	meta_kv(&t, "apic_driver", v);
	fmt_buf(v, sizeof(v), "%lu", (unsigned long)lr.tsc_hz);
	meta_kv(&t, "tsc_hz", v);
	meta_kv(&t, "tsc_source", "tsc_khz");
	meta_kv(&t, "tsc_invariant", boot_cpu_has(X86_FEATURE_CONSTANT_TSC) &&
		boot_cpu_has(X86_FEATURE_NONSTOP_TSC) ? "1" : "0");
	fmt_buf(v, sizeof(v), "%u", num_online_cpus());
	meta_kv(&t, "nr_cpus", v);
	meta_kv(&t, "cpus_online", v);
	meta_kv(&t, "csd_path", "smp_call_function_single / _async / on_each_cpu (kernel/smp.c)");
	meta_kv(&t, "csd_ipis_counted",
		"target irq_call_count delta (/proc/interrupts CAL: CALL_FUNCTION + CALL_FUNCTION_SINGLE)");
	meta_kv(&t, "ipi_rtt_path",
		"smp_call_function_single_async to dst, whose handler sends one back: an IPI each way");
	meta_kv(&t, "wait_spin", "target: kthread bound to it spinning with interrupts enabled");
	meta_kv(&t, "wait_hlt", "target: nothing to run, the kernel idle loop (idle=halt: hlt)");
	csv_end(&t);
}

static void print_cpus(void)
{
	unsigned int cpu;
	struct csv t;

	csv_begin(&t, out_buf, NULL, "cpus",
		  "cpu,apic_id,acpi_id,package,die,core,thread,node,online,start_us,tsc_offset,llc");
	for_each_online_cpu(cpu) {
		unsigned int thread = 0, s;

		for_each_cpu(s, topology_sibling_cpumask(cpu))
			if (s < cpu)
				thread++;
		/* llc: NA, volley's own cpus table reads it from CPUID (not here) */
		csv_row(&t, "%u,%u,NA,%d,%d,%d,%u,%d,1,NA,NA,NA", cpu, cpu_data(cpu).apicid,
			topology_physical_package_id(cpu), topology_die_id(cpu),
			topology_core_id(cpu), thread, cpu_to_node(cpu));
	}
	csv_end(&t);
}

static void print_errors(void)
{
	unsigned int i;
	struct csv t;
	char f[200];

	csv_begin(&t, out_buf, NULL, "errors", "where,cpu,what,waited_us");
	for (i = 0; i < nerrs; i++) {
		csv_field(f, sizeof(f), errs[i].what);
		if (errs[i].cpu < 0)
			csv_row(&t, "%s,NA,%s,%lu", errs[i].where, f, errs[i].waited_us);
		else
			csv_row(&t, "%s,%d,%s,%lu", errs[i].where, errs[i].cpu, f, errs[i].waited_us);
	}
	if (errs_dropped)
		csv_row(&t, "errors,NA,%u more errors not kept,0", errs_dropped);
	csv_end(&t);
}

static void print_summary(void)
{
	unsigned int i;
	struct csv t;
	u64 med;

	csv_begin(&t, out_buf, NULL, "summary", "metric,value,unit,note");
	for (i = 0; i < SUMMARY_METRICS && summary[i].metric; i++) {
		stats_sort(summary[i].v, summary[i].n);
		med = ns(stats_percentile(summary[i].v, summary[i].n, 500));
		/* As volley's bench/report.c: a note only for a median of several. */
		if (summary[i].n > 1)
			csv_row(&t, "%s,%lu,ns,median of %u", summary[i].metric,
				(unsigned long)med, summary[i].n);
		else
			csv_row(&t, "%s,%lu,ns,", summary[i].metric, (unsigned long)med);
	}
	csv_row(&t, "rdtsc_cost,%lu,ns,one fenced rdtsc", (unsigned long)ns(rdtsc_cost));
	csv_row(&t, "ts_dominated_rows,%u,rows,of %u stats rows the timestamp costs >5%% of p50",
		lr.ts_dominated, lr.rows);
	csv_end(&t);
}

/* ---- module ---------------------------------------------------------------------- */

static bool listed(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

static struct proc_dir_entry *proc;

static int __init volley_init(void)
{
	unsigned int ncpu = num_possible_cpus();
	static u64 scratch[256];
	int w;

	if (!iters || iters > 1000000) {
		pr_err("volley: iters=%u: want 1..1000000\n", iters);
		return -EINVAL;
	}
	for (w = 0; w < W_N; w++)
		wait_on[w] = listed(waits, wait_name[w]);
	if (*cpus) {
		if (cpulist_parse(cpus, &bench_mask)) {
			pr_err("volley: cpus=%s: want a cpulist such as 0-3,8\n", cpus);
			return -EINVAL;
		}
		cpumask_and(&bench_mask, &bench_mask, cpu_online_mask);
	} else {
		cpumask_copy(&bench_mask, cpu_online_mask);
	}
	obuf = vmalloc(OUT_MAX);
	jobs = kcalloc(nr_cpu_ids, sizeof(*jobs), GFP_KERNEL);
	samples = vmalloc(array_size(max_t(unsigned int, ncpu, W_N) * sizeof(u64), iters + 1));
	if (!obuf || !jobs || !samples) {
		vfree(obuf);
		kfree(jobs);
		vfree(samples);
		return -ENOMEM;
	}
	tsc_per_ms = tsc_khz ? tsc_khz : 1000000;
	for (w = 0; w < BATCH_MAX; w++)
		INIT_CSD(&bcsd[w], count_call, NULL);
	rdtsc_cost = lrow_rdtsc_cost(scratch);
	lr.rdtsc_cost = rdtsc_cost;
	lr.tsc_hz = (u64)tsc_khz * 1000;

	print_meta();
	print_cpus();
	say("%u of %u online CPUs, iters=%u warmup=%u, rdtsc %llu cycles",
	    cpumask_weight(&bench_mask), num_online_cpus(), iters,
	    warmup, rdtsc_cost);
	if (cpumask_weight(&bench_mask) < 2) {
		error_add("volley", -1, 0, "needs 2 online CPUs (cpus=%s)", cpus);
	} else {
		if (listed(bench, "floor"))
			bench_floor();
		if (listed(bench, "ipi"))
			bench_ipi();
		if (listed(bench, "csd"))
			bench_csd();
	}
	if (otrunc)
		error_add("volley", -1, 0, "output over %u bytes: cut short", OUT_MAX);
	print_errors();
	print_summary();
	fmt_to(out_buf, NULL, "# volley_lkm: done errors=%u\n", nerrs);
	proc = proc_create("volley", 0444, NULL, &volley_proc_ops);
	if (!proc) {
		vfree(obuf);
		kfree(jobs);
		vfree(samples);
		return -ENOMEM;
	}
	return 0;
}

static void __exit volley_exit(void)
{
	proc_remove(proc);
	vfree(obuf);
	kfree(jobs);
	vfree(samples);
}

module_init(volley_init);
module_exit(volley_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("volley: Linux's smp_call_function/IPI costs in volley's tables");
MODULE_VERSION("1");
