/* SPDX-License-Identifier: MIT */
/*
 * ipi_bcast: one sender (cpu 0) interrupts a set of targets with VEC_BCAST
 * and waits until every target has acknowledged, by three methods:
 *
 *   shorthand  one ICR write, destination shorthand all-but-self. Only when
 *              every present CPU is online (as Linux: a shorthand also hits
 *              a CPU never started) and every online CPU is in bench_cpus
 *              (it would hit a dropped CPU too); targets = all others.
 *   mask       one physical unicast ICR write per target.
 *   logical    logical destination: xAPIC flat (one write, <= 8 CPUs) or
 *              x2APIC cluster (one write per cluster).
 *
 * mask and logical sweep the number of targets 1, 2, 4, ... and N-1 (measured
 * in bench_target_order(): 1, N-1, then the rest, for a budget cut): the
 * first k CPUs of bench_cpus other than 0; the other CPUs sit in hlt. The
 * methods at one target count (shorthand only at N-1) are measured in one
 * job, interleaved in blocks of BC_BLOCK rounds, and printed one row each.
 *
 * Method of one round:
 *   sender   seq++ (its own line); t0 = fenced rdtsc; send; spin (pause)
 *            until every target's ack line holds seq; t1 = fenced rdtsc.
 *            Sample = t1 - t0, on cpu 0's clock.
 *   target   spins in a pause loop with interrupts on until the stop flag
 *            (a line nobody writes during the rows). Its handler EOIs
 *            first (as Linux's sysvec handlers do), then writes seq into
 *            the target's own ack line. It reads no clock in these rounds.
 * first_seen_ns / last_seen_ns: a separate, shorter stamping pass after
 * the timed rounds and the batches (STAMP_ROUNDS rounds at most, as many
 * as the row took samples), where the handler takes a fenced rdtsc at
 * entry: per round, min and max over the targets of (handler-entry TSC -
 * tsc_offset - t0), i.e. on cpu 0's clock; the p50 over rounds, in ns.
 * Includes the target's rdtsc and the offset error (meta tsc_offset_err);
 * NA when a target's offset was never measured, or when the targets'
 * largest offset error is more than 10% of the figure (SEEN_ERR_PCT). A separate pass because
 * the stamp would otherwise be inside every timed round (a fenced rdtsc,
 * ~36k cycles under a hypervisor that traps it).
 * batch_mean: BATCH_M whole rounds back to back between two timestamps,
 * divided by BATCH_M; the median of BATCH_REPS such batches; no target
 * reads its clock in them.
 * Every ack wait has a deadline (timeout_ms per round); a missing ack is an
 * errors row naming the CPUs, and the row is printed with NA stats.
 */
#include "harness.h"
#include "plan.h"
#include "report.h"
#include "suite.h"
#include "apic/apic.h"
#include "apic/smpboot.h"
#include "core/progress.h"
#include "core/compiler.h"
#include "core/console.h"
#include "core/str.h"
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


enum bc_method { BC_SHORTHAND, BC_MASK, BC_LOGICAL, BC_METHODS };
/*
 * QEMU's TCG APIC model loses flat-logical IPIs to CPUs beyond a gap in the
 * APIC IDs (observed with QEMU 7.2, -smp 6,sockets=2,cores=3: IDs 4 and 5
 * never see them, while physical and shorthand IPIs arrive). That is the
 * emulator, not the method: skip it there, say so, measure it elsewhere.
 */
static bool tcg_sparse_quirk(void)
{
	unsigned cpu;

	if (apic_mode != APIC_XAPIC || !str_eq(cpuinfo.hypervisor, "TCGTCGTCGTCG"))
		return false;
	for_each_cpu(cpu, &cpu_online_mask)
		if (cpu_apic_id[cpu] != cpu)
			return true;
	return false;
}

static const char *const bc_method_name[] = { "shorthand", "mask", "logical" };

/* A target's acknowledgement: written only by that target. */
struct bc_ack {
	volatile uint64_t seq;	/* the round last acknowledged */
	volatile uint64_t tsc;	/* handler entry, the target's clock */
} __cacheline_aligned;

static struct bc_ack bc_ack[NR_CPUS];
/* Written by the sender before each send, read by the handlers. */
static struct {
	volatile uint64_t seq;
	volatile uint32_t stamp;	/* the stamping pass: handlers read the TSC */
} bc_seq __cacheline_aligned;
/* Written once per row: targets spin reading it, so it stays shared. */
static struct { volatile uint32_t stop; } bc_stop __cacheline_aligned;
static struct { volatile uint32_t n; } bc_ready __cacheline_aligned;
/* inject=drop:N: handled-count of the injected CPU's VEC_BCAST. */
static uint64_t bc_drop_count;

/* One row: a method's samples over the job's target set. */
struct bc_row {
	enum bc_method method;
	uint64_t *samples;			/* iters entries */
	unsigned n;				/* samples taken (row budget) */
	uint64_t first[STAMP_ROUNDS], last[STAMP_ROUNDS];	/* stamping pass */
	unsigned nstamp;
	uint64_t batch[BATCH_REPS];
	unsigned nbatch;
	uint32_t icr_writes;	/* ICR writes of all sends in the row */
	unsigned sends;
};

/*
 * One job: the methods compared at one target set, measured interleaved
 * in blocks of BC_BLOCK rounds (method A, B, C, A, B, C, ...), so a drift
 * over time (host load, frequency, another helper's boot) lands on every
 * row alike instead of on whichever ran last.
 */
#define BC_BLOCK	16
struct bc_job {
	struct cpumask targets;
	unsigned ntargets;
	struct bc_row row[BC_METHODS];
	unsigned nrows;
	bool failed;
	struct cpumask missing;	/* targets that did not ack (failed) */
	uint64_t missed_round;
	enum bc_method missed_method;
	bool not_ready;		/* targets never reached their loop */
	uint64_t start;		/* TSC: the job's first round (the budget's row time) */
};

static void bcast_irq(struct regs *r)
{
	uint64_t t = bc_seq.stamp ? rdtsc_fenced() : 0;
	unsigned cpu = smp_processor_id();

	(void)r;
	apic_eoi();
	if (config.inject == INJECT_DROP && cpu == config.inject_cpu &&
	    ++bc_drop_count % config.inject_every == 0)
		return;		/* fault injection: this IPI is "lost" */
	bc_ack[cpu].tsc = t;
	__atomic_store_n(&bc_ack[cpu].seq, bc_seq.seq, __ATOMIC_RELEASE);
}

static void bcast_target(void *arg)
{
	unsigned cpu = smp_processor_id();
	/* The sender may wait timeout_ms for another target: outlast it. */
	uint64_t idle = tsc_ms(2 * (uint64_t)config.timeout_ms + 10);
	uint64_t last = bc_ack[cpu].seq;
	struct wait w;

	(void)arg;
	wait_start_cycles(&w, idle);
	sti();
	__atomic_fetch_add(&bc_ready.n, 1, __ATOMIC_RELEASE);
	while (!bc_stop.stop) {
		if (bc_ack[cpu].seq != last) {	/* a round went by: still wanted */
			last = bc_ack[cpu].seq;
			wait_progress(&w);
		}
		if (wait_expired(&w))
			break;	/* the sender is gone; never spin forever */
		cpu_pause();
	}
	cli();
}

static bool bc_send(const struct bc_job *j, enum bc_method method)
{
	switch (method) {
	case BC_SHORTHAND:
		return __apic_send_ipi_allbutself(VEC_BCAST);
	case BC_MASK:
		return apic_send_ipi_mask(&j->targets, VEC_BCAST);
	default:
		return apic_send_ipi_logical(&j->targets, VEC_BCAST);
	}
}

/*
 * Waits for every target's ack of seq (w re-armed per ack: its span
 * without a new one, barrier_timeout_ms(), so hundreds of targets on an
 * overcommitted host are not a miss); once one is missing the rest are
 * only looked at. Records the missing ones.
 */
static bool bc_wait_acks(struct bc_job *j, uint64_t seq, struct wait *w)
{
	bool ok = true;
	unsigned cpu;

	for_each_cpu(cpu, &j->targets) {
		volatile uint64_t *ack = &bc_ack[cpu].seq;

		wait_progress(w);	/* the deadline: timeout_ms without a new ack */

		if (ok ? !wait_until(w, __atomic_load_n(ack, __ATOMIC_ACQUIRE) == seq)
		       : __atomic_load_n(ack, __ATOMIC_ACQUIRE) != seq) {
			cpumask_set_cpu(cpu, &j->missing);
			ok = false;
		}
	}
	if (!ok)
		j->missed_round = seq;
	return ok;
}

/* One round of row r: a new seq, t0 (sent_at, if wanted), the send, every ack. */
static bool bc_round(struct bc_job *j, struct bc_row *r, struct wait *w,
		     uint64_t *sent_at)
{
	uint64_t seq = bc_seq.seq + 1;
	uint32_t writes = apic_icr_writes;
	bool ok;

	r->sends++;
	__atomic_store_n(&bc_seq.seq, seq, __ATOMIC_RELEASE);
	if (sent_at)
		*sent_at = rdtsc_fenced();
	bc_send(j, r->method);
	r->icr_writes += apic_icr_writes - writes;
	ok = bc_wait_acks(j, seq, w);
	if (!ok)
		j->missed_method = r->method;
	return ok;
}

/* The untimed stamping pass of row r: first/last seen on cpu 0's clock. */
static bool bc_stamp_pass(struct bc_job *j, struct bc_row *r, struct wait *w)
{
	unsigned cpu;

	bc_seq.stamp = 1;
	for (r->nstamp = 0; r->nstamp < STAMP_ROUNDS && r->nstamp < r->n &&
	     (r->nstamp < 4 || !row_allow_used(j->start, j->nrows, 4)); r->nstamp++) {
		int64_t lo = INT64_MAX, hi = INT64_MIN;
		uint64_t t0;

		if (!bc_round(j, r, w, &t0)) {
			bc_seq.stamp = 0;
			return false;
		}
		for_each_cpu(cpu, &j->targets) {
			int64_t d = (int64_t)(bc_ack[cpu].tsc -
					      (uint64_t)per_cpu(cpu)->tsc_offset - t0);

			if (d < lo)
				lo = d;
			if (d > hi)
				hi = d;
		}
		r->first[r->nstamp] = stats_s2u(lo);
		r->last[r->nstamp] = stats_s2u(hi);
	}
	bc_seq.stamp = 0;
	return true;
}

static void bcast_sender(struct bc_job *j)
{
	unsigned warm = bench_warmup(), iters = bench_iters(), n = 0;
	struct wait w;

	wait_start(&w, barrier_timeout_ms(j->ntargets));
	if (!wait_until_count(&w, __atomic_load_n(&bc_ready.n, __ATOMIC_ACQUIRE),
			      j->ntargets)) {
		j->not_ready = j->failed = true;
		goto out;
	}
	/*
	 * The rounds: each ack may take a barrier's deadline (timeout_ms per
	 * 32 targets): on an overcommitted host the next target to look at
	 * may wait for a host scheduler rotation of hundreds of spinning
	 * vCPUs (seen: over 1 s for 254 targets under TCG on 2 cores).
	 */
	wait_start(&w, barrier_timeout_ms(j->ntargets));
	/* Warm-up, the rows in turn (shortened under the budget: harness.h). */
	uint64_t row_start = j->start = rdtsc();

	for (unsigned r = 0; warmup_more(r, warm, row_start, j->nrows); r++)
		for (unsigned k = 0; k < j->nrows; k++)
			if (!bc_round(j, &j->row[k], &w, 0))
				goto fail;
	/* Timed rounds: BC_BLOCK of each row in turn; every row has n samples. */

	while (n < iters) {
		unsigned b = iters - n < BC_BLOCK ? iters - n : BC_BLOCK;

		for (unsigned k = 0; k < j->nrows; k++) {
			struct bc_row *r = &j->row[k];

			for (unsigned i = 0; i < b; i++) {
				uint64_t t0, t1;

				if (!bc_round(j, r, &w, &t0))
					goto fail;
				t1 = rdtsc_fenced();
				r->samples[n + i] = t1 - t0;
			}
			r->n = n + b;
		}
		n += b;
		if (rows_budget_spent(n, row_start, j->nrows))
			break;
	}
	/* batch_mean: BATCH_M rounds between two stamps, the rows in turn. */
	for (unsigned rep = 0; batch_rep_more(rep, BATCH_REPS, row_start, j->nrows); rep++) {
		for (unsigned k = 0; k < j->nrows; k++) {
			struct bc_row *r = &j->row[k];
			uint64_t t0 = rdtsc_fenced();

			for (unsigned m = 0; m < BATCH_M; m++)
				if (!bc_round(j, r, &w, 0))
					goto fail;
			r->batch[r->nbatch++] = (rdtsc_fenced() - t0) / BATCH_M;
		}
	}
	for (unsigned k = 0; k < j->nrows; k++)
		if (!bc_stamp_pass(j, &j->row[k], &w))
			goto fail;
	goto out;
fail:
	j->failed = true;
out:
	bc_stop.stop = 1;
}

static void bcast_job(void *arg)
{
	if (smp_processor_id() == 0)
		bcast_sender(arg);
	else
		bcast_target(arg);
}

/*
 * The largest TSC offset error of the targets (cpu 0's is 0: it is the
 * reference), or UINT64_MAX when one was never measured (0 off cpu 0) or
 * had no answer (UINT64_MAX).
 */
static uint64_t offsets_bound(const struct cpumask *m)
{
	uint64_t err = 0;
	unsigned cpu;

	if (!tsc_hz)
		return UINT64_MAX;
	for_each_cpu(cpu, m) {
		uint64_t e = per_cpu(cpu)->tsc_offset_err;

		if (cpu != 0 && (e == 0 || e == UINT64_MAX))
			return UINT64_MAX;
		if (e > err)
			err = e;
	}
	return err;
}

/*
 * A signed cycle count as ns ("-12" allowed: offset error, rdtsc skew),
 * or NA unless the offset error bound is at most SEEN_ERR_PCT of it.
 */
#define SEEN_ERR_PCT	10
static unsigned seen_na, seen_disturbed;

static void fmt_seen(char *b, size_t n, int64_t c, uint64_t bound)
{
	uint64_t mag = c < 0 ? (uint64_t)-c : (uint64_t)c;

	if (bound == UINT64_MAX || bound * 100 > mag * SEEN_ERR_PCT) {
		seen_na += bound != UINT64_MAX;
		fmt_buf(b, n, "NA");
	} else {
		fmt_buf(b, n, "%s%lu", c < 0 ? "-" : "", cycles_to_ns(mag, tsc_hz));
	}
}

/* Prints row r of a finished job. */
static void bcast_print(struct csv *t, unsigned *row, struct bc_job *j,
			struct bc_row *r)
{
	unsigned n = j->ntargets;
	char prefix[48], suffix[48];

	struct stats st;

	fmt_buf(prefix, sizeof(prefix), "%s,%u", bc_method_name[r->method], n);
	stats_compute(r->samples, r->n, &st);	/* the seen fields need p50 first */
	if (r->nstamp) {
		uint64_t bound = offsets_bound(&j->targets);
		int64_t first, last;
		char a[24], b[24];

		stats_sort(r->first, r->nstamp);
		stats_sort(r->last, r->nstamp);
		first = stats_u2s(stats_percentile(r->first, r->nstamp, 500));
		last = stats_u2s(stats_percentile(r->last, r->nstamp, 500));
		if (last > 0 && (uint64_t)last > st.p50) {
			/* the stamping pass was disturbed: slower than the timed rounds */
			seen_disturbed++;
			fmt_buf(suffix, sizeof(suffix), "NA,NA");
		} else {
			fmt_seen(a, sizeof(a), first, bound);
			fmt_seen(b, sizeof(b), last, bound);
			fmt_buf(suffix, sizeof(suffix), "%s,%s", a, b);
		}
	} else {
		fmt_buf(suffix, sizeof(suffix), "NA,NA");
	}
	raw_keep(*row, r->samples, r->n);
	uint64_t p50 = stats_row(t, prefix, r->samples, r->n,
				 batch_median(r->batch, r->nbatch), suffix);

	if (n == cpumask_weight(&bench_cpus) - 1)
		summary_offer(r->method == BC_SHORTHAND ? "bcast_all_shorthand_p50" :
			      r->method == BC_MASK ? "bcast_all_mask_p50" :
			      "bcast_all_logical_p50", p50);
	if (r->method == BC_LOGICAL && r->sends)
		klog("ipi_bcast: logical targets=%u: %u ICR write%s per send", n,
		     r->icr_writes / r->sends, r->icr_writes / r->sends == 1 ? "" : "s");
	(*row)++;
}

/* The rows of methods[0..nm) at one target set, measured interleaved. */
static void bcast_rows(struct csv *t, unsigned *row, const enum bc_method *methods,
		       unsigned nm, const struct cpumask *targets)
{
	unsigned iters = bench_iters(), n = cpumask_weight(targets);
	static struct bc_job j;	/* STAMP_ROUNDS arrays per row: not on the stack */
	uint64_t *buf = samples_buf((size_t)nm * iters);
	struct cpumask run;
	char list[128], names[48] = "";
	bool ran;

	if (!bench_row_next(nm))
		return;		/* the budget's share of ipi_bcast is spent */
	j = (struct bc_job){ .targets = *targets, .ntargets = n, .nrows = nm };
	for (unsigned k = 0; k < nm; k++) {
		j.row[k].method = methods[k];
		j.row[k].samples = buf + (size_t)k * iters;
		fmt_buf(names + str_len(names), sizeof(names) - str_len(names), "%s%s",
			k ? "+" : "", bc_method_name[methods[k]]);
	}
	cpumask_copy(&run, targets);
	cpumask_set_cpu(0, &run);
	bc_stop.stop = 0;
	bc_ready.n = 0;
	ran = bench_run_on(&run, bcast_job, &j, config.timeout_ms, "ipi_bcast");

	if (j.failed || !ran) {
		uint64_t us = barrier_timeout_ms(n) * 1000ull;	/* the rounds' per-ack deadline */

		if (j.not_ready) {
			error_add("ipi_bcast", -1, us, "%s targets=%u: targets not ready",
				  names, n);
		} else if (j.failed) {
			cpumask_format(list, sizeof(list), &j.missing);
			error_add("ipi_bcast", (int)cpumask_first(&j.missing), us,
				  "%s targets=%u: no ack from cpu %s (round %lu)",
				  bc_method_name[j.missed_method], n, list, j.missed_round);
		}
		for (unsigned k = 0; k < nm; k++) {
			char prefix[48];

			fmt_buf(prefix, sizeof(prefix), "%s,%u", bc_method_name[methods[k]], n);
			stats_row_na(t, prefix, "NA,NA");
			(*row)++;
		}
		return;
	}
	for (unsigned k = 0; k < nm; k++)
		bcast_print(t, row, &j, &j.row[k]);
}

/* The first k CPUs of bench_cpus other than 0. */
static void first_targets(struct cpumask *m, unsigned k)
{
	unsigned cpu;

	cpumask_clear(m);
	for_each_cpu(cpu, &bench_cpus) {
		if (!k)
			break;
		if (cpu == 0)
			continue;
		cpumask_set_cpu(cpu, m);
		k--;
	}
}

static void run(void)
{
	struct cpumask m, others;
	unsigned n = cpumask_weight(&bench_cpus), row = 0, cpu;
	bool shorthand = false, logical = true;
	uint64_t err = 0;
	struct csv t;

	idt_set_handler(VEC_BCAST, bcast_irq);
	klog("ipi_bcast: sender cpu 0, targets spin (sti; pause), ack on own line; "
	     "first/last_seen_ns on cpu 0's clock via tsc_offset");
	klog("ipi_bcast: the methods at one target count are measured interleaved, "
	     "%u rounds of each in turn", BC_BLOCK);
	csv_begin(&t, console_out, 0, "ipi_bcast",
		  "method,targets," STATS_HEADER ",first_seen_ns,last_seen_ns");

	first_targets(&others, n - 1);
	for_each_cpu(cpu, &others)
		if (per_cpu(cpu)->tsc_offset_err > err)
			err = per_cpu(cpu)->tsc_offset_err;
	klog("ipi_bcast: first/last_seen_ns carry up to +-%lu ns of TSC offset error; "
	     "NA where that is more than %u%% of the value",
	     cycles_to_ns(err, tsc_hz), SEEN_ERR_PCT);
	if (!cpus_all_present_online())
		klog("ipi_bcast: shorthand skipped: not every present CPU is online "
		     "(all-but-self would wake a CPU never started)");
	else if (!cpumask_equal(&bench_cpus, &cpu_online_mask))
		klog("ipi_bcast: shorthand skipped: a CPU was dropped from the run "
		     "but all-but-self would still hit it");
	else
		shorthand = true;
	if (tcg_sparse_quirk()) {
		logical = false;
		klog("ipi_bcast: logical skipped: under QEMU TCG (seen with 7.2) flat "
		     "logical IPIs to CPUs past a gap in the APIC IDs are never "
		     "delivered; measured only where IDs are dense");
	}

	/* Per target count: the methods that can reach it, interleaved. */
	unsigned counts[16], nc = bench_target_counts(n, counts, 16);

	bench_rows_begin("ipi_bcast", 2 * nc + 1);
	for (unsigned oi = 0; oi < nc; oi++) {	/* 1, all, then between */
		unsigned k = counts[bench_target_order(oi, nc)];
		enum bc_method methods[BC_METHODS];
		unsigned nm = 0;

		progress(oi, nc);	/* per target count */
		first_targets(&m, k);
		if (shorthand && k == n - 1)
			methods[nm++] = BC_SHORTHAND;
		methods[nm++] = BC_MASK;
		if (logical && apic_logical_possible(&m))
			methods[nm++] = BC_LOGICAL;
		else if (logical)
			klog("ipi_bcast: logical targets=%u skipped: no logical "
			     "ID for every target (%s)", k,
			     apic_mode == APIC_XAPIC ? "xAPIC flat: first 8 CPUs only"
						     : "x2APIC LDR missing");
		bcast_rows(&t, &row, methods, nm, &m);
	}
	bench_rows_end();
	csv_end(&t);
	if (seen_disturbed)
		klog("ipi_bcast: %u rows' first/last_seen_ns withheld (NA): the stamping pass "
		     "was disturbed, its last-seen median above the row's round-trip p50",
		     seen_disturbed);
	if (seen_na)
		klog("ipi_bcast: %u first/last_seen_ns figures withheld (NA): offset error "
		     "above %u%% of the value", seen_na, SEEN_ERR_PCT);
	raw_flush("ipi_bcast");
}

const struct benchmark bench_bcast = { .name = "bcast", .min_cpus = 2, .run = run };
