/* SPDX-License-Identifier: MIT */
#include "plan.h"
#include "harness.h"
#include "report.h"
#include "run.h"
#include "suite.h"
#include "core/console.h"
#include "core/csv.h"
#include "core/percpu.h"
#include "core/tsc.h"
#include "core/x86.h"

/*
 * The cost model: nominal figures of a current server (an IPI round trip
 * about 2 us, a cache-line round trip about 300 ns, a job post and wait
 * about 50 us). A machine or emulator that is slower takes longer than
 * planned; budget_ms= also stops ipi_rtt when the time is really spent.
 */
#define IPI_ROUND_NS	2000
#define LINE_ROUND_NS	300
#define CSD_CALL_NS	3000
#define JOB_NS		50000
#define IPI_ROW_BYTES	120	/* a row of ipi_rtt, with its STATS */
#define FLOOR_ROW_BYTES	100
#define CSD_ROW_BYTES	130
#define ONEWAY_ROUNDS	256

static struct plan plan;
static struct plan_cpu pcpu[NR_CPUS];
static uint16_t idx_of[NR_CPUS];	/* dense CPU number -> plan index */
static bool made;
static uint64_t share_ns[3];		/* ipi, floor, csd: their part of the budget */
static struct {
	const char *table;
	uint64_t deadline;		/* TSC; 0: none */
	uint64_t skipped;
} pass;

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

void bench_plan_begin(const char *table)
{
	/* the table's share of the budget: its part of the pair cost */
	uint64_t ns = table[0] == 'i' ? share_ns[0] : table[0] == 'f' ? share_ns[1] :
		      share_ns[2];	/* csd: lock and llist interleaved */
	uint64_t cost = plan.chosen ? ns : 0;

	pass.table = table;
	pass.skipped = 0;
	pass.deadline = 0;
	if (config.budget_ms && cost)
		pass.deadline = rdtsc() + tsc_us(cost / 1000 + 1);
}

void bench_plan_end(void)
{
	if (pass.skipped)
		klog("plan: %s: its share of budget_ms=%u spent: %lu pairs not measured",
		     pass.table, config.budget_ms, pass.skipped);
	pass.deadline = 0;
	pass.skipped = 0;
}

bool bench_plan_has(unsigned a, unsigned b)
{
	if (!made)
		return a != b;
	if (!plan_has(&plan, idx_of[a], idx_of[b]))
		return false;
	if (pass.deadline && (int64_t)(rdtsc() - pass.deadline) > 0) {
		pass.skipped++;
		return false;
	}
	return true;
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

void bench_plan_make(void)
{
	unsigned n = 0, cpu, warm = bench_warmup(), iters = bench_iters();
	bool ipi = suite_selected("ipi"), floor = suite_selected("floor"),
	     csd = suite_selected("csd");
	uint64_t ipi_ns = 0, floor_ns = 0, csd_ns = 0;
	struct plan_cost cost = { 0 };
	struct csv t;

	for_each_cpu(cpu, &bench_cpus) {
		idx_of[cpu] = (uint16_t)n;
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
	cost.pair_ns = ipi_ns + floor_ns + csd_ns;
	plan_make(&plan, n, pcpu, &cost, (uint64_t)config.budget_ms * 1000000ull,
		  config.pairs_sample);
	made = true;
	/* Each table's share of the budget, in proportion to its estimate. */
	if (cost.pair_ns) {
		uint64_t b = (uint64_t)config.budget_ms * 1000000ull;

		share_ns[0] = b / cost.pair_ns * ipi_ns + b % cost.pair_ns * ipi_ns / cost.pair_ns;
		share_ns[1] = b / cost.pair_ns * floor_ns + b % cost.pair_ns * floor_ns / cost.pair_ns;
		share_ns[2] = b / cost.pair_ns * csd_ns + b % cost.pair_ns * csd_ns / cost.pair_ns;
	}

	klog("plan: %u CPUs, %lu of %lu ordered pairs%s, budget_ms=%u (0: none), serial cap %u bytes",
	     n, plan.chosen, plan.total,
	     plan.sampled ? " (sampled: every relation class, the boot CPU's row and column, the rest uniformly)" : " (all)",
	     config.budget_ms, PLAN_SERIAL_MAX);
	csv_begin(&t, console_out, 0, "plan",
		  "table,relation,pairs,of_pairs,rows,samples_per_row,est_ms,est_bytes");
	for (unsigned r = REL_SMT; r < REL_COUNT; r++)
		if (plan.rel_total[r])
			csv_row(&t, "pairs,%s,%lu,%lu,NA,NA,NA,NA", rel_name[r],
				plan.rel_chosen[r], plan.rel_total[r]);
	if (ipi)
		csv_row(&t, "ipi_rtt,all,%lu,%lu,%lu,%u,%lu,%lu", plan.chosen, plan.total,
			plan.chosen * nwaits(), iters, plan.chosen * ipi_ns / 1000000,
			plan.chosen * nwaits() * IPI_ROW_BYTES);
	if (floor)
		csv_row(&t, "floor,all,%lu,%lu,%lu,%u,%lu,%lu", plan.chosen, plan.total,
			plan.chosen, iters, plan.chosen * floor_ns / 1000000,
			plan.chosen * FLOOR_ROW_BYTES);
	if (csd)
		csv_row(&t, "csd,all,%lu,%lu,%lu,%u,%lu,%lu", plan.chosen, plan.total,
			plan.chosen * 2, iters, plan.chosen * csd_ns / 1000000,
			plan.chosen * 2 * CSD_ROW_BYTES);
	csv_row(&t, "total,all,%lu,%lu,%lu,%u,%lu,%lu", plan.chosen, plan.total,
		plan.chosen * cost.rows_per_pair, iters, plan.est_ns / 1000000,
		plan.est_bytes);
	csv_end(&t);
}
