/* SPDX-License-Identifier: MIT */
#include "report.h"
#include "harness.h"
#include "plan.h"
#include "core/console.h"
#include "core/fmt.h"
#include "run.h"
#include "core/panic.h"
#include "core/percpu.h"
#include "core/str.h"
#include "core/vm.h"
#include "core/x86.h"

uint64_t rdtsc_cost;

static uint64_t *buf;
static size_t buf_n;

/* Left to the rest of the run (page tables, the TLB frames, raw=1). */
#define SAMPLES_RESERVE	(16ull << 20)

/*
 * The largest job: csd many keeps (CPUs - 1) x iters, interleaved rows
 * INTERLEAVE_MAX x iters, ipi_rtt iters + 1.
 */
static uint64_t samples_per_iter(unsigned ncpus)
{
	uint64_t senders = ncpus > 2 ? ncpus - 1 : 1;

	return senders > INTERLEAVE_MAX ? senders : INTERLEAVE_MAX;
}

static uint64_t samples_need(uint64_t iters, unsigned ncpus)
{
	return samples_per_iter(ncpus) * iters + 1;
}

bool samples_init(unsigned ncpus, char *err, size_t errlen)
{
	uint64_t need = samples_need(config.iters, ncpus), avail = pmm_largest_contig();
	uint64_t free = pmm_free_bytes();
	unsigned pages;

	if (free < SAMPLES_RESERVE)
		avail = 0;
	else if (avail > free - SAMPLES_RESERVE)
		avail = free - SAMPLES_RESERVE;
	if (need * 8 > avail) {
		uint64_t fits = avail / 8 > 1 ? (avail / 8 - 1) / samples_per_iter(ncpus) : 0;

		fmt_buf(err, errlen,
			"iters=%u needs %lu MiB of sample memory with %u CPUs, %lu MiB "
			"are available: the largest iters that fits is %lu",
			config.iters, (need * 8 + (1 << 20) - 1) >> 20, ncpus, avail >> 20, fits);
		return false;
	}
	pages = (unsigned)((need * 8 + PAGE_SIZE - 1) / PAGE_SIZE);
	buf = (uint64_t *)(uintptr_t)pmm_alloc_contig(pages);
	if (!buf) {
		fmt_buf(err, errlen, "no memory for %lu samples", need);
		return false;
	}
	buf_n = (size_t)pages * PAGE_SIZE / 8;
	return true;
}

uint64_t *samples_buf(size_t n)
{
	/* samples_init sized the arena for the largest row: more is a bug. */
	if (n > buf_n)
		panic("bench: a row wants %zu samples, the arena holds %zu", n, buf_n);
	return buf;
}

uint64_t batch_median(uint64_t *b, unsigned n)
{
	stats_sort(b, n);
	return stats_percentile(b, n, 500);
}

unsigned bench_iters(void)
{
	return config.iters;
}

unsigned bench_warmup(void)
{
	return config.warmup;
}

/* The timestamp's own cost: back-to-back fenced reads, median of many. */
void report_init(void)
{
	uint64_t v[256];

	for (int i = 0; i < 256; i++) {
		uint64_t a = rdtsc_fenced();
		uint64_t b = rdtsc_fenced();

		v[i] = b - a;
	}
	stats_sort(v, 256);
	rdtsc_cost = v[128];
}

static unsigned ts_dominated_rows, stats_rows;
bool report_probing;

static uint64_t __stats_row(struct csv *t, const char *prefix, uint64_t *v,
			    size_t n, uint64_t batch_mean, const char *suffix,
			    bool measured)
{
	char s[320];	/* 13 columns of up to 20 digits */
	struct stats st;

	stats_compute(v, n, &st);
	if (measured && !report_probing) {	/* a probe's rows are printed nowhere */
		stats_rows++;
		if (n && rdtsc_cost * 20 > st.p50)
			ts_dominated_rows++;
	}
	stats_format(s, sizeof(s), &st, batch_mean, rdtsc_cost, tsc_hz);
	if (suffix)
		csv_row(t, "%s,%s,%s", prefix, s, suffix);
	else
		csv_row(t, "%s,%s", prefix, s);
	harness_row_note(t->name, prefix);
	return st.p50;
}

uint64_t stats_row(struct csv *t, const char *prefix, uint64_t *v, size_t n,
		   uint64_t batch_mean, const char *suffix)
{
	return __stats_row(t, prefix, v, n, batch_mean, suffix, true);
}

uint64_t stats_row_derived(struct csv *t, const char *prefix, uint64_t *v,
			   size_t n, const char *suffix)
{
	return __stats_row(t, prefix, v, n, STATS_NA, suffix, false);
}

void stats_row_na(struct csv *t, const char *prefix, const char *suffix)
{
	struct stats st = { 0 };
	char s[320];	/* 13 columns of up to 20 digits */

	stats_format(s, sizeof(s), &st, STATS_NA, rdtsc_cost, tsc_hz);
	if (suffix)
		csv_row(t, "%s,%s,%s", prefix, s, suffix);
	else
		csv_row(t, "%s,%s", prefix, s);
}

const char *cpu_relation(unsigned a, unsigned b)
{
	return rel_name[bench_relation(a, b)];
}

/* ---- raw samples ---------------------------------------------------------
 * Kept in one arena while a table is printed, dumped after it as
 * raw_<table> (row,i,cycles): the row is the 0-based row of the table.
 */
#define RAW_MAX		(8u << 20)	/* samples kept at most (64 MiB) */

static uint64_t *raw;
static uint32_t *raw_row;
static size_t raw_n;
static bool raw_full;

void report_null_out(void *ctx, const char *s, size_t n)
{
	(void)ctx, (void)s, (void)n;
}

void raw_keep(unsigned row, const uint64_t *v, size_t n)
{
	if (!config.raw || report_probing)
		return;
	if (!raw) {
		raw = (uint64_t *)(uintptr_t)pmm_alloc_contig(RAW_MAX * 8 / PAGE_SIZE);
		raw_row = (uint32_t *)(uintptr_t)pmm_alloc_contig(RAW_MAX * 4 / PAGE_SIZE);
		if (!raw || !raw_row) {
			klog("raw: not enough memory for raw samples; raw=1 ignored");
			config.raw = false;
			return;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (raw_n == RAW_MAX) {
			raw_full = true;
			return;
		}
		raw[raw_n] = v[i];
		raw_row[raw_n++] = row;
	}
}

void raw_flush(const char *table)
{
	struct csv t;
	char name[40];
	unsigned last = ~0u, i = 0;

	if (!config.raw)
		return;
	fmt_buf(name, sizeof(name), "raw_%s", table);
	csv_begin(&t, console_out, 0, name, "row,i,cycles");
	for (size_t k = 0; k < raw_n; k++) {
		if (raw_row[k] != last) {
			last = raw_row[k];
			i = 0;
		}
		csv_row(&t, "%u,%u,%lu", raw_row[k], i++, raw[k]);
	}
	csv_end(&t);
	if (raw_full)
		klog("raw: more than %u samples; raw_%s is cut short", RAW_MAX, table);
	raw_n = 0;
	raw_full = false;
}

/* ---- summary -------------------------------------------------------------- */
#define SUMMARY_METRICS	32
#define SUMMARY_VALUES	1024	/* per metric; later offers are dropped */

static struct {
	const char *metric;
	unsigned n, offered;
	uint64_t v[SUMMARY_VALUES];
} summary[SUMMARY_METRICS];

void summary_offer(const char *metric, uint64_t cycles)
{
	if (report_probing)
		return;
	for (unsigned i = 0; i < SUMMARY_METRICS; i++) {
		if (summary[i].metric && !str_eq(summary[i].metric, metric))
			continue;
		summary[i].metric = metric;
		summary[i].offered++;
		if (summary[i].n < SUMMARY_VALUES)
			summary[i].v[summary[i].n++] = cycles;
		return;
	}
}

void summary_print(void)
{
	struct csv t;

	csv_begin(&t, console_out, 0, "summary", "metric,value,unit,note");
	for (unsigned i = 0; i < SUMMARY_METRICS && summary[i].metric; i++) {
		uint64_t med;

		stats_sort(summary[i].v, summary[i].n);
		med = stats_percentile(summary[i].v, summary[i].n, 500);
		if (summary[i].offered > 1)
			csv_row(&t, "%s,%lu,ns,median of %u", summary[i].metric,
				cycles_to_ns(med, tsc_hz), summary[i].offered);
		else
			csv_row(&t, "%s,%lu,ns,", summary[i].metric,
				cycles_to_ns(med, tsc_hz));
	}
	csv_row(&t, "rdtsc_cost,%lu,ns,one fenced rdtsc", cycles_to_ns(rdtsc_cost, tsc_hz));
	csv_row(&t, "ts_dominated_rows,%u,rows,of %u stats rows the timestamp costs >5%% of p50",
		ts_dominated_rows, stats_rows);
	csv_end(&t);
	if (ts_dominated_rows)
		klog("summary: in %u of %u rows one rdtsc costs more than 5%% of the p50: "
		     "those figures measure the clock as much as the operation (see batch_mean)",
		     ts_dominated_rows, stats_rows);
}
