/* SPDX-License-Identifier: MIT */
/*
 * ipi_rtt: IPI round trip for every ordered pair (a, b) and every wait mode.
 *
 * a sends VEC_PING to b; b's handler EOIs and sends VEC_PONG back; a's
 * handler counts it. One sample is a's fenced rdtsc before the ICR write to
 * a's fenced rdtsc after it sees the count move: one clock, no offsets.
 * b waits with interrupts enabled in one of three ways: spinning (pause),
 * in hlt (the idle wake-up, as a reschedule IPI to an idle CPU), or in
 * mwait on a monitored line. Only a and b are active; the rest sit in hlt.
 * hlt means halted: b goes to sleep with `cli; check; announce; sti; hlt`
 * (receiver_sleep, bench/harness.h), and a sends the next ping only once
 * b has announced it is at its hlt and SETTLE_CYCLES more have passed
 * (a calibrated pause spin, before t0: not in the sample). In hlt and
 * mwait rows batch_mean's rounds include that wait and spin.
 *
 * A second, shorter pass stamps b's TSC at handler entry: with the TSC
 * offsets measured at boot this gives the one-way time a -> b, printed
 * only where the two offset errors add up to at most 10% of it (else NA;
 * a klog line after the table gives the bound) and where it is at most
 * both that pass's round-trip p50 and the row's (else the pass was
 * disturbed: NA, and a klog line). It is a
 * separate pass because the extra timestamp in the handler would add to
 * the round trip (under a hypervisor that traps rdtsc, a lot).
 */
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
#include "core/vm.h"
#include "core/wait.h"
#include "core/x86.h"

#define ONEWAY_MAX	STAMP_ROUNDS	/* samples in the one-way pass */

static struct {
	uint32_t src, dst;		/* dense CPU numbers of the pair */
	enum wait_mode wait;
	uint32_t src_apic, dst_apic;
	volatile uint32_t ready;	/* the responder waits with IF=1 */
	volatile uint32_t stop;		/* the responder's loop ends */
	bool oneway;			/* stamp the responder's TSC */
	uint64_t oneway_base;		/* pings before the one-way pass */
	bool failed;
	uint64_t *samples;
	unsigned n;
} pair __cacheline_aligned;

static volatile uint64_t pongs __cacheline_aligned;	/* on the initiator */
static volatile uint64_t pings __cacheline_aligned;	/* on the responder */
/* The responder's announcement: pings handled when it went to sleep. */
static struct { volatile uint64_t v; } halting __cacheline_aligned;
static uint64_t oneway_recv[ONEWAY_MAX], oneway_send[ONEWAY_MAX];
static uint64_t oneway_rtt[ONEWAY_MAX];	/* the one-way pass's own round trips */

static void on_ping(struct regs *r)
{
	(void)r;
	if (pair.oneway && pings - pair.oneway_base < ONEWAY_MAX)
		oneway_recv[pings - pair.oneway_base] = rdtsc_fenced();
	pings++;
	apic_eoi();
	apic_send_ipi(pair.src_apic, VEC_PONG);
}

static void on_pong(struct regs *r)
{
	(void)r;
	apic_eoi();
	pongs++;
}

static void responder(void)
{
	pings = 0;
	sti();
	__atomic_store_n(&pair.ready, 1, __ATOMIC_RELEASE);
	while (receiver_sleep(pair.wait, &pair.stop, &halting.v, pings))
		;
}

/*
 * One round trip; false after the deadline. w is armed once per row and
 * re-armed here without a clock read: each round trip gets timeout_ms.
 */
static bool round_trip(struct wait *w, uint64_t *cycles, uint64_t *sent_at)
{
	uint64_t before = pongs, t0, t1;

	wait_progress(w);
	if (!receiver_await_sleep(w, pair.wait, &halting.v, before))
		return false;
	t0 = rdtsc_fenced();
	apic_send_ipi(pair.dst_apic, VEC_PING);
	if (!wait_until(w, pongs != before))
		return false;
	t1 = rdtsc_fenced();
	*cycles = t1 - t0;
	if (sent_at)
		*sent_at = t0;
	return true;
}

static void initiator(void)
{
	unsigned warm = bench_warmup(), iters = bench_iters(), i;
	struct wait w;
	uint64_t c, t0;

	pongs = 0;
	sti();
	wait_start(&w, config.timeout_ms);
	if (!wait_until(&w, __atomic_load_n(&pair.ready, __ATOMIC_ACQUIRE)))
		goto fail;
	for (i = 0; i < warm; i++)
		if (!round_trip(&w, &c, 0))
			goto fail;
	for (i = 0; i < iters; i++)
		if (!round_trip(&w, &pair.samples[i], 0))
			goto fail;
	pair.n = iters;
	/*
	 * batch_mean: BATCH_M round trips back to back between two stamps,
	 * the median of BATCH_REPS such batches (as bcast and floor).
	 */
	uint64_t bm[BATCH_REPS];

	for (unsigned k = 0; k < BATCH_REPS; k++) {
		t0 = rdtsc_fenced();
		for (i = 0; i < BATCH_M; i++) {
			uint64_t before = pongs;

			wait_progress(&w);
			if (!receiver_await_sleep(&w, pair.wait, &halting.v, before))
				goto fail;
			apic_send_ipi(pair.dst_apic, VEC_PING);
			if (!wait_until(&w, pongs != before))
				goto fail;
		}
		bm[k] = (rdtsc_fenced() - t0) / BATCH_M;
	}
	pair.samples[iters] = batch_median(bm, BATCH_REPS);
	/* The one-way pass: the responder stamps its TSC at handler entry. */
	pair.oneway_base = pongs;	/* = pings: every ping has been answered */
	pair.oneway = true;
	for (i = 0; i < ONEWAY_MAX && i < iters; i++)
		if (!round_trip(&w, &oneway_rtt[i], &oneway_send[i]))
			goto fail;
	pair.oneway = false;
	goto out;
fail:
	pair.failed = true;
out:
	pair.oneway = false;
	__atomic_store_n(&pair.stop, 1, __ATOMIC_RELEASE);
	apic_send_ipi(pair.dst_apic, VEC_WAKE);	/* out of hlt/mwait */
	cli();
}

static void pair_job(void *arg)
{
	(void)arg;
	if (smp_processor_id() == pair.src)
		initiator();
	else
		responder();
}

/*
 * The one-way figure only where the clock allows it: the two CPUs' TSC
 * offset errors (cpus table, measured at boot) add up to at most 10% of it.
 */
#define ONEWAY_ERR_PCT	10
static uint64_t oneway_bound_max;	/* the largest bound of a printed figure */
static unsigned oneway_na;		/* figures withheld by the bound */
static unsigned oneway_disturbed;	/* figures withheld: the pass was slower */

/* The two CPUs' offset error in cycles, or UINT64_MAX when unknown. */
static uint64_t offset_bound(unsigned a, unsigned b)
{
	uint64_t ea = a ? per_cpu(a)->tsc_offset_err : 0;
	uint64_t eb = b ? per_cpu(b)->tsc_offset_err : 0;

	/* 0 off the boot CPU: never measured; UINT64_MAX: no answer. */
	if ((a && (!ea || ea == UINT64_MAX)) || (b && (!eb || eb == UINT64_MAX)))
		return UINT64_MAX;
	return ea + eb;
}

/*
 * p50 of the one-way times in ns on cpu 0's clock, or NA. rtt_p50 is the
 * row's round-trip p50 (cycles). Each one-way time lies inside its own
 * round trip (the stamp is taken between the ping's send and the pong's
 * arrival), so on a sound clock the one-way p50 is at most the pass's own
 * round-trip p50. The pass is separate and short: on a loaded host it can
 * run slower than the row's samples, and a one-way figure above the row's
 * round trip describes that disturbance, not the IPI. Either way it is NA
 * (counted in oneway_disturbed, said in a klog line after the table).
 */
static void oneway_field(char *buf, size_t size, unsigned n, uint64_t rtt_p50)
{
	const struct percpu *a = per_cpu(pair.src), *b = per_cpu(pair.dst);
	uint64_t v[ONEWAY_MAX], bound = offset_bound(pair.src, pair.dst), mag;

	if (!n || bound == UINT64_MAX) {
		fmt_buf(buf, size, "NA");
		return;
	}
	for (unsigned i = 0; i < n; i++)
		v[i] = stats_s2u((int64_t)(oneway_recv[i] - oneway_send[i]) -
				 (b->tsc_offset - a->tsc_offset));
	stats_sort(v, n);
	int64_t p = stats_u2s(stats_percentile(v, n, 500));

	mag = p < 0 ? (uint64_t)-p : (uint64_t)p;
	if (bound * 100 > mag * ONEWAY_ERR_PCT) {
		oneway_na++;
		fmt_buf(buf, size, "NA");
		return;
	}
	mem_copy(v, oneway_rtt, n * sizeof(v[0]));
	stats_sort(v, n);
	if (p > 0 && ((uint64_t)p > stats_percentile(v, n, 500) || (uint64_t)p > rtt_p50)) {
		oneway_disturbed++;
		fmt_buf(buf, size, "NA");
		return;
	}
	if (bound > oneway_bound_max)
		oneway_bound_max = bound;
	fmt_buf(buf, size, "%s%lu", p < 0 ? "-" : "", cycles_to_ns(mag, tsc_hz));
}

/*
 * ipi_rtt_rel: one row per relation class and wait mode, STATS over the
 * p50s of every pair measured (samples = pairs): the full statistics stay
 * in the per-pair rows, this is what fits on one screen at 1000 CPUs.
 */
static uint64_t *rel_p50;
static uint8_t *rel_tag;	/* rel * WM_COUNT + wait */
static size_t rel_n, rel_cap;

static void rel_keep(unsigned a, unsigned b, unsigned w, uint64_t p50)
{
	if (rel_n < rel_cap) {
		rel_p50[rel_n] = p50;
		rel_tag[rel_n++] = (uint8_t)(bench_relation(a, b) * WM_COUNT + w);
	}
}

static void rel_alloc(void)
{
	size_t want = (size_t)bench_plan_pairs() * WM_COUNT;
	unsigned pages = (unsigned)((want * 9 + PAGE_SIZE - 1) / PAGE_SIZE);
	uint64_t pa = want ? pmm_alloc_contig(pages) : 0;

	rel_n = 0;
	rel_cap = pa ? want : 0;
	if (!pa)
		return;
	rel_p50 = (uint64_t *)(uintptr_t)pa;
	rel_tag = (uint8_t *)(rel_p50 + want);
}

static void rel_print(void)
{
	uint64_t *v = samples_buf(rel_n + 1);
	struct csv t;

	csv_begin(&t, console_out, 0, "ipi_rtt_rel", "relation,wait," STATS_HEADER);
	for (unsigned r = REL_SMT; r < REL_COUNT; r++) {
		for (unsigned w = 0; w < WM_COUNT; w++) {
			size_t k = 0;
			char prefix[32];

			for (size_t i = 0; i < rel_n; i++)
				if (rel_tag[i] == r * WM_COUNT + w)
					v[k++] = rel_p50[i];
			if (!k)
				continue;
			fmt_buf(prefix, sizeof(prefix), "%s,%s", rel_name[r], wait_mode_name[w]);
			stats_row_derived(&t, prefix, v, k, NULL);
		}
	}
	csv_end(&t);
}

/* The rows of the ordered pair (a, b): one per wait mode. */
static void ipi_pair(struct csv *t, unsigned *row, unsigned a, unsigned b)
{
	for (unsigned w = 0; w < WM_COUNT; w++) {
		char prefix[64], ow[24];
		struct cpumask m;

		if (!(config.wait & (1u << w)) || !wait_mode_available(w))
			continue;
		if (!cpumask_test_cpu(a, &bench_cpus) || !cpumask_test_cpu(b, &bench_cpus))
			break;	/* dropped after a missed deadline */
		pair.src = a;
		pair.dst = b;
		pair.wait = w;
		pair.src_apic = cpu_apic_id[a];
		pair.dst_apic = cpu_apic_id[b];
		pair.ready = pair.stop = 0;
		halting.v = UINT64_MAX;
		pair.failed = false;
		pair.n = 0;
		cpumask_clear(&m);
		cpumask_set_cpu(a, &m);
		cpumask_set_cpu(b, &m);
		bench_run_on(&m, pair_job, 0,
			     (uint64_t)config.timeout_ms *
			     (bench_iters() + 64 + BATCH_REPS * BATCH_M) + 1000,
			     "ipi_rtt");
		fmt_buf(prefix, sizeof(prefix), "%u,%u,%s,%s", a, b,
			wait_mode_name[w], cpu_relation(a, b));
		if (pair.failed) {
			error_add("ipi_rtt", (int)b, config.timeout_ms * 1000,
				  "no reply from cpu %u to cpu %u (%s)", b, a,
				  wait_mode_name[w]);
			stats_row_na(t, prefix, "NA");
		} else {
			uint64_t batch = pair.samples[pair.n], p50;
			/* stats_row sorts; the one-way field needs p50 first. */
			struct stats st;
			uint64_t *v = pair.samples;

			raw_keep(*row, pair.samples, pair.n);
			stats_compute(v, pair.n, &st);
			p50 = st.p50;
			oneway_field(ow, sizeof(ow),
				     pair.n < ONEWAY_MAX ? pair.n : ONEWAY_MAX, p50);
			stats_row(t, prefix, v, pair.n, batch, ow);
			if (!report_probing)
				rel_keep(a, b, w, p50);
			summary_offer(w == WM_SPIN ? "ipi_rtt_spin_p50" :
				      w == WM_HLT ? "ipi_rtt_hlt_p50" :
				      "ipi_rtt_mwait_p50", p50);
		}
		(*row)++;
	}
}

static void setup(void)
{
	oneway_na = 0;
	oneway_disturbed = 0;
	oneway_bound_max = 0;
	idt_set_handler(VEC_PING, on_ping);
	idt_set_handler(VEC_PONG, on_pong);
	pair.samples = samples_buf(bench_iters() + 1);
}

/* The plan's cost model: one pair's rows, printed nowhere. */
static void probe(unsigned a, unsigned b)
{
	struct csv t;
	unsigned row = 0;

	setup();
	csv_begin(&t, report_null_out, 0, "ipi_rtt",
		  "src,dst,wait,relation," STATS_HEADER ",oneway_ns");
	ipi_pair(&t, &row, a, b);
	csv_end(&t);
}

static void run(void)
{
	unsigned total = (unsigned)bench_plan_pairs(), idx = 0;
	unsigned row = 0, a, b;
	struct plan_iter it;
	struct csv t;

	setup();
	bench_plan_begin("ipi_rtt");
	rel_alloc();
	csv_begin(&t, console_out, 0, "ipi_rtt",
		  "src,dst,wait,relation," STATS_HEADER ",oneway_ns");
	bench_plan_start(&it);
	while (bench_plan_next(&it, &a, &b)) {	/* the run plan's pairs, in its order */
		progress(idx++, total);
		ipi_pair(&t, &row, a, b);
	}
	csv_end(&t);
	klog("ipi_rtt: oneway_ns is NA unless the two CPUs' TSC offset errors add up to "
	     "at most %u%% of it: %u withheld; printed ones carry at most +-%lu ns",
	     ONEWAY_ERR_PCT, oneway_na, cycles_to_ns(oneway_bound_max, tsc_hz));
	if (oneway_disturbed)
		klog("ipi_rtt: %u oneway_ns withheld (NA): the one-way pass was disturbed, "
		     "its p50 above that pass's or the row's round-trip p50", oneway_disturbed);
	raw_flush("ipi_rtt");
	rel_print();
	bench_plan_end();
}

const struct benchmark bench_ipi = {
	.name = "ipi", .min_cpus = 2, .run = run, .probe = probe,
	.waits = 1u << WM_SPIN | 1u << WM_HLT | 1u << WM_MWAIT,
};
