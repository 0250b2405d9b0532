/* SPDX-License-Identifier: MIT */
#include "plan.h"
#include "harness.h"
#include "report.h"
#include "run.h"
#include "suite.h"
#include "core/console.h"
#include "core/csv.h"
#include "core/panic.h"
#include "core/str.h"
#include "core/percpu.h"
#include "core/tsc.h"
#include "core/x86.h"

/*
 * The cost model: each per-pair benchmark's probe (suite_probe) measures
 * the boot CPU's first pair as the run will, before the plan is made; the
 * nominal figures of a current server below are its fallback and, scaled
 * by probe/nominal, the row parts' model (an IPI round trip about 2 us, a
 * cache-line round trip about 300 ns, a job post and wait about 50 us,
 * 200 ns per extra target). Pairs of other relations, and rows with many
 * targets on an overcommitted host, cost otherwise; the budget (budget=)
 * is therefore enforced as the run goes, part by part (below).
 *
 * The budget is the whole run's; 85% of it (BUDGET_PLANNED_PCT) is shared
 * out part by part in run order, the rest absorbs overruns:
 * the per-pair passes (floor, ipi_rtt, csd sync) and the row parts
 * (ipi_bcast, csd batch/many/each, tlb). When a part begins it gets the
 * time still left times its weight over the weights of the parts still
 * to come; a weight is half its share of the estimate and half an even
 * share, so a part the nominal model underrates (hundreds of spinning
 * targets under an emulator) still gets time, and what a part leaves
 * unused goes to the ones after it; a part gets at least a quarter of
 * its first share even when the parts before it overran. A pair pass stops taking pairs when
 * its time is spent (the plan's order keeps the representatives); a row
 * part gives each row its time left over its rows left, and a row keeps
 * at least ROW_FLOOR_SAMPLES; rows past the part's end are not measured.
 */
#define IPI_ROUND_NS	2000
#define LINE_ROUND_NS	300
#define CSD_CALL_NS	3000
#define JOB_NS		50000
#define IPI_ROW_BYTES	120	/* a row of ipi_rtt, with its STATS */
#define FLOOR_ROW_BYTES	100
#define CSD_ROW_BYTES	130
#define ONEWAY_ROUNDS	256
#define TLB_PAGE_NS	100	/* a page's invalidation and re-touch */
#define TARGET_NS	200	/* one more target's ack */
#define BUDGET_PLANNED_PCT	85	/* of budget=: what the parts share out */

/* The parts of the run the budget is shared out to, in run order. */
enum part { P_FLOOR, P_IPI, P_BCAST, P_CSD_PAIRS, P_CSD_ROWS, P_TLB, P_COUNT };
static const char *const part_name[P_COUNT] = {
	"floor", "ipi_rtt", "ipi_bcast", "csd", "csd_rows", "tlb",
};
static struct {
	uint64_t est_ns[P_COUNT];	/* nominal; 0: not in this run */
	unsigned rows[P_COUNT];		/* row parts: rows estimated */
	bool done[P_COUNT];
	uint64_t run_deadline;		/* TSC; 0: no budget */
	/* the part running now */
	int cur;
	uint64_t deadline;
	unsigned rows_left;
	uint64_t skipped;
} led = { .cur = -1 };
uint64_t row_allow_cycles;

static struct plan plan;
static struct plan_cpu pcpu[NR_CPUS];
static uint16_t idx_of[NR_CPUS];	/* dense CPU number -> plan index */
static uint16_t cpu_of[NR_CPUS];	/* plan index -> dense CPU number */
static bool made;

static struct plan_cpu plan_cpu_of(unsigned cpu)
{
	const struct cpu_topo *t = &per_cpu(cpu)->topo;

	return (struct plan_cpu){ .package = t->package, .die = t->die,
				  .core = t->core, .node = t->node,
				  /* the package's id space is not the llc's: tag both */
				  .llc = t->llc_level ? t->llc : PLAN_NO_LLC };
}

enum rel bench_relation(unsigned a, unsigned b)
{
	struct plan_cpu x = plan_cpu_of(a), y = plan_cpu_of(b);

	return a == b ? REL_SELF : plan_relation(&x, &y);
}

static enum part part_of(const char *name)
{
	for (unsigned i = 0; i < P_COUNT; i++)
		if (str_eq(part_name[i], name))
			return (enum part)i;
	panic("plan: no budget part %s", name);
}

static uint64_t weight(unsigned i, uint64_t total, unsigned nparts)
{
	/* in 2^20ths: half the estimate's share, half an even share */
	return led.est_ns[i] ? (led.est_ns[i] << 19) / total + (1u << 19) / nparts : 0;
}

/* Part `name` begins: its deadline from the time left and the weights. */
static void part_begin(const char *name)
{
	enum part p = part_of(name);
	uint64_t total = 0, w_rest = 0, now = rdtsc();
	unsigned nparts = 0;

	led.cur = (int)p;
	led.deadline = 0;
	led.skipped = 0;
	row_allow_cycles = 0;
	if (!led.run_deadline)
		return;
	for (unsigned i = 0; i < P_COUNT; i++)
		if (led.est_ns[i]) {
			total += led.est_ns[i];
			nparts++;
		}
	for (unsigned i = p; i < P_COUNT; i++)
		if (!led.done[i])
			w_rest += weight(i, total, nparts);
	/*
	 * At least a quarter of its first share, even when the parts before
	 * overran: every part keeps its first rows (the run then ends late,
	 * and says so).
	 */
	uint64_t wsum = 0, share, floor_cyc;

	for (unsigned i = 0; i < P_COUNT; i++)
		wsum += weight(i, total, nparts);
	floor_cyc = wsum ? tsc_ms(config.budget_ms) / 100 * BUDGET_PLANNED_PCT / wsum *
			   weight(p, total, nparts) / 4 : 0;
	share = (int64_t)(led.run_deadline - now) > 0 && w_rest ?
		(led.run_deadline - now) / w_rest * weight(p, total, nparts) : 0;
	led.deadline = now + (share > floor_cyc ? share : floor_cyc);
}

static void part_end(const char *what)
{
	if (led.skipped)
		klog("plan: %s: its share of budget=%u s spent: %lu %s not measured",
		     part_name[led.cur], config.budget_ms / 1000, led.skipped, what);
	if (led.cur >= 0)
		led.done[led.cur] = true;
	led.cur = -1;
	led.deadline = 0;
	led.skipped = 0;
	row_allow_cycles = 0;
}

void bench_plan_begin(const char *table)
{
	part_begin(table);
}

void bench_plan_end(void)
{
	part_end("pairs");
}

void bench_rows_begin(const char *part, unsigned rows)
{
	part_begin(part);
	led.rows_left = rows ? rows : 1;
}

void bench_rows_end(void)
{
	part_end("rows");
}

bool bench_row_next(unsigned k)
{
	uint64_t now;

	if (!led.deadline)
		return true;	/* no budget: every row, ROW_BUDGET_MS only */
	now = rdtsc();
	if (led.rows_left == 0 || (int64_t)(now - led.deadline) > 0) {
		led.skipped += k;
		return false;
	}
	/* this row's (or these k interleaved rows') time: the part's left over its rows left */
	row_allow_cycles = (led.deadline - now) / (led.rows_left > k ? led.rows_left : k);
	led.rows_left = led.rows_left > k ? led.rows_left - k : 0;
	return true;
}

bool bench_plan_next(struct plan_iter *it, unsigned *a, unsigned *b)
{
	unsigned x, y;

	if (!made)
		return false;
	if (!plan_next(&plan, it, &x, &y))
		return false;
	if (led.deadline && (int64_t)(rdtsc() - led.deadline) > 0) {
		led.skipped++;
		while (plan_next(&plan, it, &x, &y))
			led.skipped++;
		return false;
	}
	*a = cpu_of[x];
	*b = cpu_of[y];
	return true;
}

void bench_plan_start(struct plan_iter *it)
{
	plan_iter_start(&plan, it);
}

uint64_t bench_plan_pairs(void)
{
	return plan.chosen;
}

static unsigned nwaits(void)
{
	unsigned k = 0;

	for (unsigned w = 0; w < WM_COUNT; w++)
		if ((config.wait & (1u << w)) && wait_mode_available(w))
			k++;
	return k;
}

/* A probe's cost in ns (suite_probe), or the nominal one without. */
static uint64_t probe_ns(const char *name, uint64_t nominal)
{
	uint64_t c = nominal ? suite_probe(name, cpu_of[0], cpu_of[1]) : 0;

	return c ? cycles_to_ns(c, tsc_hz) : nominal;
}

unsigned bench_target_counts(unsigned n, unsigned *list, unsigned max)
{
	unsigned k = 0;

	if (n < 2)
		return 0;
	for (unsigned t = 1; t < n - 1 && k < max - 1; t *= 2)
		list[k++] = t;
	list[k++] = n - 1;
	return k;
}

/* The row parts' nominal cost: bcast, csd batch/many/each, tlb. */
static void rows_estimate(unsigned n, unsigned warm, unsigned iters)
{
	unsigned tl[16], nt = bench_target_counts(n, tl, 16);
	uint64_t rounds = warm + iters + BATCH_REPS * BATCH_M;

	if (suite_selected("bcast") && n >= 2) {
		for (unsigned i = 0; i < nt; i++) {
			unsigned rows = 2 + (i == nt - 1);	/* mask, logical; shorthand */

			led.rows[P_BCAST] += rows;
			led.est_ns[P_BCAST] += rows * (rounds + iters) *
					       (IPI_ROUND_NS + (uint64_t)tl[i] * TARGET_NS);
		}
	}
	if (suite_selected("csd") && n >= 2) {
		for (unsigned k = 1; k <= CSD_BATCH_MAX; k *= 2) {
			led.rows[P_CSD_ROWS] += 4;
			led.est_ns[P_CSD_ROWS] += 4 * (warm + iters) * (k * CSD_CALL_NS) + JOB_NS;
		}
		/* many and each, both queues */
		led.rows[P_CSD_ROWS] += 4;
		led.est_ns[P_CSD_ROWS] += 2 * (uint64_t)(warm + iters) *
					  ((n - 1) * (uint64_t)CSD_CALL_NS +
					   CSD_CALL_NS + (n - 1) * (uint64_t)TARGET_NS);
	}
	if (suite_selected("tlb") && n >= 2) {
		for (unsigned i = 0; i < nt; i++)
			for (unsigned pi = 0; pi < TLB_NP; pi++) {
				uint64_t r = 65536 / tlb_pages[pi];

				r = r < 64 ? 64 : r;
				r = (r < iters ? r : iters) + warm + BATCH_REPS * BATCH_M;
				led.rows[P_TLB] += 2;	/* invlpg and full; more where usable */
				led.est_ns[P_TLB] += 2 * r * (IPI_ROUND_NS +
							      tlb_pages[pi] * (uint64_t)TLB_PAGE_NS +
							      tl[i] * (uint64_t)TARGET_NS);
			}
	}
}

void bench_plan_make(void)
{
	unsigned n = 0, cpu, warm = bench_warmup(), iters = bench_iters();
	bool ipi = suite_selected("ipi"), floor = suite_selected("floor"),
	     csd = suite_selected("csd");
	uint64_t ipi_ns = 0, floor_ns = 0, csd_ns = 0, budget_ns, pair_budget, rows_ns = 0;
	uint64_t total = 0, wsum = 0;
	unsigned nparts = 0;
	struct plan_cost cost = { 0 };
	struct csv t;

	for_each_cpu(cpu, &bench_cpus) {
		idx_of[cpu] = (uint16_t)n;
		cpu_of[n] = (uint16_t)cpu;
		pcpu[n++] = plan_cpu_of(cpu);
	}
	if (ipi) {
		ipi_ns = nwaits() * ((uint64_t)(warm + iters + BATCH_M +
				     (iters < ONEWAY_ROUNDS ? iters : ONEWAY_ROUNDS)) *
				     IPI_ROUND_NS + JOB_NS);
		cost.pair_bytes += nwaits() * IPI_ROW_BYTES;
		cost.rows_per_pair += nwaits();
	}
	if (floor) {
		floor_ns = (uint64_t)(warm + iters + BATCH_REPS * BATCH_M) * LINE_ROUND_NS + JOB_NS;
		cost.pair_bytes += FLOOR_ROW_BYTES;
		cost.rows_per_pair++;
	}
	if (csd) {	/* sync rows: lock and llist */
		csd_ns = 2 * ((uint64_t)(warm + iters + BATCH_M) * CSD_CALL_NS + JOB_NS);
		cost.pair_bytes += 2 * CSD_ROW_BYTES;
		cost.rows_per_pair += 2;
	}
	/*
	 * The cost model measured: each per-pair benchmark's probe measures
	 * the boot CPU's first pair exactly as the run will (printed
	 * nowhere). The row parts keep the nominal model, scaled by how much
	 * slower (or faster) the probes found this machine than nominal.
	 */
	uint64_t nominal = cost.pair_ns = ipi_ns + floor_ns + csd_ns, scale = 1000;

	if (n >= 2 && nominal) {
		uint64_t m_ipi = probe_ns("ipi", ipi_ns), m_floor = probe_ns("floor", floor_ns),
			 m_csd = probe_ns("csd", csd_ns);

		klog("plan: cost per pair measured on cpus %u and %u (nominal in brackets): "
		     "ipi_rtt %lu us (%lu), floor %lu us (%lu), csd %lu us (%lu)",
		     cpu_of[0], cpu_of[1], m_ipi / 1000, ipi_ns / 1000, m_floor / 1000,
		     floor_ns / 1000, m_csd / 1000, csd_ns / 1000);
		ipi_ns = m_ipi, floor_ns = m_floor, csd_ns = m_csd;
		cost.pair_ns = ipi_ns + floor_ns + csd_ns;
		scale = cost.pair_ns * 1000 / nominal;
		scale = scale < 250 ? 250 : scale;
	}
	rows_estimate(n, warm, iters);
	for (unsigned i = 0; i < P_COUNT; i++)
		led.est_ns[i] = led.est_ns[i] / 1000 * scale;
	rows_ns = led.est_ns[P_BCAST] + led.est_ns[P_CSD_ROWS] + led.est_ns[P_TLB];
	/*
	 * The pairs get the time the ledger will give the per-pair parts
	 * (part_begin's weights): P = B * (P / (P + R) + kp / np) / 2 for
	 * kp per-pair parts of np, found by iterating from P = B - R.
	 */
	budget_ns = (uint64_t)config.budget_ms * 10000ull * BUDGET_PLANNED_PCT;
	pair_budget = budget_ns > 2 * rows_ns ? budget_ns - rows_ns : budget_ns / 2;
	{
		unsigned kp = !!ipi + !!floor + !!csd, np = kp + !!led.est_ns[P_BCAST] +
			      !!led.est_ns[P_CSD_ROWS] + !!led.est_ns[P_TLB];

		for (unsigned it = 0; np && budget_ns && it < 16; it++) {
			uint64_t full = (uint64_t)n * (n - 1) * cost.pair_ns;
			uint64_t p_us = (pair_budget < full ? pair_budget : full) / 1000;
			uint64_t r_us = rows_ns / 1000;
			/* in millionths */
			uint64_t share = p_us * 500000 / (p_us + r_us + 1) + 500000ull * kp / np;

			pair_budget = budget_ns / 1000000 * share;
		}
	}
	if (budget_ns && !pair_budget)
		pair_budget = 1;	/* 0 would mean no budget: every pair */
	plan_make(&plan, n, pcpu, &cost, pair_budget, config.pairs_sample);
	made = true;
	led.est_ns[P_FLOOR] = plan.chosen * floor_ns + (floor ? JOB_NS : 0);
	led.est_ns[P_IPI] = plan.chosen * ipi_ns;
	led.est_ns[P_CSD_PAIRS] = plan.chosen * csd_ns;
	/*
	 * The parts share out 85% of the budget: the rest absorbs the rows
	 * that keep their minimum past their time (hundreds of targets on an
	 * overcommitted host), so that the whole run still ends inside it.
	 */
	if (config.budget_ms)
		led.run_deadline = rdtsc() + tsc_ms(config.budget_ms) / 100 * BUDGET_PLANNED_PCT;
	for (unsigned i = 0; i < P_COUNT; i++)
		if (led.est_ns[i]) {
			total += led.est_ns[i];
			nparts++;
		}
	for (unsigned i = 0; i < P_COUNT; i++)
		wsum += weight(i, total, nparts);

	klog("plan: %u CPUs, %lu of %lu ordered pairs%s, budget=%u s (0: none) for the whole run, serial cap %u bytes",
	     n, plan.chosen, plan.total,
	     plan.sampled ? " (sampled: every relation class, the boot CPU's row and column, the rest uniformly)" : " (all)",
	     config.budget_ms / 1000, PLAN_SERIAL_MAX);
	klog("plan: est_ms: per-pair tables from the probes; ipi_bcast, csd_rows, tlb from nominal "
	     "costs (IPI round trip %u ns, csd call %u ns, job %u us, %u ns per extra target) x %lu.%03lu "
	     "(the probes against nominal); share_ms: the budget's first split, redone as each part begins",
	     IPI_ROUND_NS, CSD_CALL_NS, JOB_NS / 1000, TARGET_NS, scale / 1000, scale % 1000);
	csv_begin(&t, console_out, 0, "plan",
		  "table,relation,pairs,of_pairs,rows,samples_per_row,est_ms,est_bytes,share_ms");
	for (unsigned r = REL_SMT; r < REL_COUNT; r++)
		if (plan.rel_total[r])
			csv_row(&t, "pairs,%s,%lu,%lu,NA,NA,NA,NA,NA", rel_name[r],
				plan.rel_chosen[r], plan.rel_total[r]);
#define SHARE(p) (config.budget_ms && wsum ? (uint64_t)config.budget_ms * BUDGET_PLANNED_PCT / \
		  100 * weight(p, total, nparts) / wsum : 0)
	if (floor)
		csv_row(&t, "floor,all,%lu,%lu,%lu,%u,%lu,%lu,%lu", plan.chosen, plan.total,
			plan.chosen, iters, led.est_ns[P_FLOOR] / 1000000,
			plan.chosen * FLOOR_ROW_BYTES, SHARE(P_FLOOR));
	if (ipi)
		csv_row(&t, "ipi_rtt,all,%lu,%lu,%lu,%u,%lu,%lu,%lu", plan.chosen, plan.total,
			plan.chosen * nwaits(), iters, led.est_ns[P_IPI] / 1000000,
			plan.chosen * nwaits() * IPI_ROW_BYTES, SHARE(P_IPI));
	if (led.est_ns[P_BCAST])
		csv_row(&t, "ipi_bcast,NA,NA,NA,%u,%u,%lu,%lu,%lu", led.rows[P_BCAST], iters,
			led.est_ns[P_BCAST] / 1000000, led.rows[P_BCAST] * (uint64_t)IPI_ROW_BYTES,
			SHARE(P_BCAST));
	if (csd)
		csv_row(&t, "csd,all,%lu,%lu,%lu,%u,%lu,%lu,%lu", plan.chosen, plan.total,
			plan.chosen * 2, iters, led.est_ns[P_CSD_PAIRS] / 1000000,
			plan.chosen * 2 * CSD_ROW_BYTES, SHARE(P_CSD_PAIRS));
	if (led.est_ns[P_CSD_ROWS])
		csv_row(&t, "csd_rows,NA,NA,NA,%u,%u,%lu,%lu,%lu", led.rows[P_CSD_ROWS], iters,
			led.est_ns[P_CSD_ROWS] / 1000000,
			led.rows[P_CSD_ROWS] * (uint64_t)CSD_ROW_BYTES, SHARE(P_CSD_ROWS));
	if (led.est_ns[P_TLB])
		csv_row(&t, "tlb,NA,NA,NA,%u,%u,%lu,%lu,%lu", led.rows[P_TLB], iters,
			led.est_ns[P_TLB] / 1000000, led.rows[P_TLB] * (uint64_t)IPI_ROW_BYTES,
			SHARE(P_TLB));
#undef SHARE
	csv_row(&t, "total,all,%lu,%lu,%lu,%u,%lu,%lu,%u", plan.chosen, plan.total,
		plan.chosen * cost.rows_per_pair + led.rows[P_BCAST] + led.rows[P_CSD_ROWS] +
		led.rows[P_TLB], iters, total / 1000000,
		plan.est_bytes + (led.rows[P_BCAST] + led.rows[P_TLB]) * (uint64_t)IPI_ROW_BYTES +
		led.rows[P_CSD_ROWS] * (uint64_t)CSD_ROW_BYTES, config.budget_ms);
	csv_end(&t);
}

void bench_plan_finish(void)
{
	if (!led.run_deadline)
		return;
	int64_t left = (int64_t)(led.run_deadline - rdtsc()) +
		       (int64_t)(tsc_ms(config.budget_ms) / 100 * (100 - BUDGET_PLANNED_PCT));

	klog("plan: the benchmarks took %ld ms of budget=%u s (%s %ld ms%s)",
	     (long)(tsc_ms(config.budget_ms) - left) / (long)(tsc_hz / 1000),
	     config.budget_ms / 1000, left >= 0 ? "within it," : "over it by",
	     (long)(left >= 0 ? left : -left) / (long)(tsc_hz / 1000),
	     left >= 0 ? " left" : ": rows keep their minimum samples, parts a quarter of their share");
}
