/* SPDX-License-Identifier: MIT */
/*
 * The suite, in order: the floor first (what everything else stands on),
 * then the IPI, broadcast, csd and TLB benchmarks, one file each. The
 * order of this table is the order of the bench= bits and of the run.
 */
#include "suite.h"
#include "harness.h"
#include "report.h"
#include "run.h"
#include "core/console.h"
#include "core/fmt.h"
#include "core/str.h"
#include "core/tsc.h"
#include "core/progress.h"
#include "core/x86.h"

extern const struct benchmark bench_floor, bench_ipi, bench_bcast, bench_csd,
	bench_tlb;

static const struct benchmark *const benchmarks[] = {
	&bench_floor,
	&bench_ipi,
	&bench_bcast,
	&bench_csd,
	&bench_tlb,
};
#define NBENCH	(sizeof(benchmarks) / sizeof(benchmarks[0]))

static const char *bench_names[NBENCH];
static struct cmdline_names names = {
	.bench = bench_names, .nbench = NBENCH,
	.wait = wait_mode_name, .nwait = WM_COUNT,
};

const struct cmdline_names *suite_names(void)
{
	for (unsigned i = 0; i < NBENCH; i++)
		bench_names[i] = benchmarks[i]->name;
	return &names;
}

bool suite_selected(const char *name)
{
	for (unsigned i = 0; i < NBENCH; i++)
		if (str_eq(benchmarks[i]->name, name))
			return (config.bench & (1u << i)) != 0;
	return false;
}

/* Why b cannot run here, or NULL. */
static const char *skip_reason(const struct benchmark *b)
{
	static char why_cpus[48];
	const char *why = "";

	if (cpumask_weight(&bench_cpus) < b->min_cpus) {
		fmt_buf(why_cpus, sizeof(why_cpus), "needs %u CPUs", b->min_cpus);
		return why_cpus;
	}
	if (b->valid && !b->valid(&why))
		return why;
	return NULL;
}

uint64_t suite_probe(const char *name, unsigned a, unsigned b)
{
	for (unsigned i = 0; i < NBENCH; i++) {
		const struct benchmark *bm = benchmarks[i];
		uint64_t t0;

		if (!str_eq(bm->name, name) || !(config.bench & (1u << i)) || !bm->probe ||
		    skip_reason(bm))
			continue;
		report_probing = true;
		t0 = rdtsc();
		bm->probe(a, b);
		t0 = rdtsc() - t0;
		report_probing = false;
		return t0;
	}
	return 0;
}

void suite_run(void)
{
	for (unsigned i = 0; i < NBENCH; i++) {
		const struct benchmark *b = benchmarks[i];
		const char *why;
		uint64_t t0;

		if (!(config.bench & (1u << i)))
			continue;
		why = skip_reason(b);
		if (why) {
			klog("bench %s: skipped: %s", b->name, why);
			continue;
		}
		t0 = rdtsc();
		klog("bench %s: start", b->name);
		progress_begin(b->name);
		b->run();
		progress_end();
		klog("bench %s: done in %lu ms", b->name, (rdtsc() - t0) / (tsc_hz / 1000));
	}
}
