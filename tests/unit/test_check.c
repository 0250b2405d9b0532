/* SPDX-License-Identifier: MIT */
/*
 * Host tests for results/check.c: a small run that is right in every value
 * passes; for every rule, the same run with one value made wrong fails with
 * exactly that rule named.
 */
#include <stdint.h>
#include <stdlib.h>
#include "tests/unit/check.h"
#include "results/check.h"
#include "results/table.h"

/*
 * 10 samples 100..109: min 100, p50 104 (rank 5), p90 108, p99 109, max 109,
 * mean 104.5 -> 105, stddev 2.87 -> 3, 95% CI ranks 2 and 9: 101..108.
 * tsc_hz is 1 GHz, so ns = cycles.
 */
#define S	"10,100,104,108,109,109,105,3,104,0,101,108,104"
#define SNA	"10,100,104,108,109,109,105,3,NA,0,101,108,104"
/* 50..59: p50 54 */
#define S2	"10,50,54,58,59,59,55,3,54,0,51,58,54"
/* 2 samples 1000, 2000: no CI */
#define S_TWO	"2,1000,1000,2000,2000,2000,1500,500,NA,0,NA,NA,1000"
#define STATS_H	"samples,min,p50,p90,p99,max,mean,stddev,batch_mean,ts_dominated,p50_lo,p50_hi,p50_ns"

struct fx {
	const char *name, *text;
};

static const struct fx good[] = {
	{ "meta", "key,value\n"
		  "tsc_hz,1000000000\n"
		  "config,\"bench=all iters=10 warmup=2 wait=spin,hlt raw=0\"\n"
		  "cpus_online,2\n" },
	{ "cpus", "cpu,apic_id,acpi_id,package,die,core,thread,node,online,start_us,tsc_offset,llc\n"
		  "0,0,0,0,0,0,0,0,1,0,0,NA\n"
		  "1,1,1,0,0,1,0,0,1,1000,-40,L3:0\n" },
	{ "errors", "where,cpu,what,waited_us\n" },
	{ "ipi_rtt", "src,dst,wait,relation," STATS_H ",oneway_ns\n"
		     "0,1,spin,core," S ",50\n"
		     "1,0,spin,core," S ",NA\n" },
	{ "ipi_bcast", "method,targets," STATS_H ",first_seen_ns,last_seen_ns\n"
		       "mask,1," S ",30,60\n" },
	{ "csd", "test,queue,kick,src,dst,wait,senders,batch," STATS_H
		 ",per_call_ns,ipis_per_batch,calls,lost\n"
		 "sync,lock,empty,0,1,spin,1,1," S ",104,1.00,92,0\n"
		 "batch,lock,empty,0,1,spin,1,64," SNA ",1,1.50,768,0\n"
		 "batch,lock,always,0,1,spin,1,4," SNA ",26,4.00,48,0\n"
		 "many,lock,empty,NA,0,spin,1,1," SNA ",104,1.00,12,0\n"
		 "each,lock,empty,0,NA,spin,1,1," SNA ",104,1.00,24,0\n"
		 "alltoall,lock,empty,NA,NA,spin,2,500," S_TWO ",2,250.00,1000,0\n"
		 "sync,lock,empty,0,1,hlt,1,1," S2 ",54,1.00,92,0\n" },
	{ "tlb", "strategy,pages,targets," STATS_H ",verify\n"
		 "invlpg,1,1," S ",ok\n"
		 "invlpg,2,1," S ",ok\n"
		 "full,1,1," S ",ok\n"
		 "full,2,1," S2 ",ok\n" },
	{ "tlb_ceiling", "targets,ceiling_pages\n1,2\n" },
	{ "floor", "test,src,dst," STATS_H "\n"
		   "rdtsc,0,0," S2 "\n"
		   "self_ipi,0,0," S "\n"
		   "icr_write,0,1," S "\n"
		   "cacheline_rtt,0,1," S "\n" },
	{ "summary", "metric,value,unit,note\n"
		     "self_ipi_p50,104,ns,\n"
		     "icr_write_p50,104,ns,\n"
		     "cacheline_rtt_p50,104,ns,\n"
		     "ipi_rtt_spin_p50,104,ns,median of 2\n"
		     "bcast_all_mask_p50,104,ns,\n"
		     "csd_sync_lock_p50,104,ns,\n"
		     "csd_per_call_k64_lock,1,ns,\n"
		     "csd_many_lock_p50,104,ns,\n"
		     "csd_each_lock_p50,104,ns,\n"
		     "tlb_1page_1target_invlpg_p50,104,ns,\n"
		     "tlb_1page_1target_full_p50,104,ns,\n"
		     "rdtsc_cost,10,ns,one fenced rdtsc\n"
		     "ts_dominated_rows,0,rows,of 18 stats rows the timestamp costs >5% of p50\n"
		     "csd_sync_lock_hlt_p50,54,ns,\n" },
};
#define NGOOD	(sizeof(good) / sizeof(good[0]))

/*
 * A Linux-side run (meta side,linux; linux/volley_lkm.c, linux/tlbbench.c):
 * hlt rows without batch_mean, llist/empty only, warm-up before each of 4
 * blocks (sync spin 2 * 4 + 10 + 5 * 16 = 98 calls, hlt 18; each
 * (8 + 10) * 2), ipis_per_batch above 1 (other call IPIs count too), tlb
 * strategies of its own and no batch_mean, tlb not in the summary.
 */
#define S2NA	"10,50,54,58,59,59,55,3,NA,0,51,58,54"
static const struct fx linux_good[] = {
	{ "meta", "key,value\n"
		  "side,linux\n"
		  "tsc_hz,1000000000\n"
		  "config,\"iters=10 warmup=2 bench=csd,ipi,floor wait=spin,hlt\"\n"
		  "cpus_online,2\n" },
	{ "ipi_rtt", "src,dst,wait,relation," STATS_H ",oneway_ns\n"
		     "0,1,spin,core," S ",NA\n"
		     "0,1,hlt,core," S2NA ",NA\n" },
	{ "csd", "test,queue,kick,src,dst,wait,senders,batch," STATS_H
		 ",per_call_ns,ipis_per_batch,calls,lost\n"
		 "sync,llist,empty,0,1,spin,1,1," S ",104,1.03,98,0\n"
		 "sync,llist,empty,0,1,hlt,1,1," S2NA ",54,1.00,18,0\n"
		 "batch,llist,empty,0,1,spin,1,64," SNA ",1,2.51,768,0\n"
		 "many,llist,empty,NA,0,spin,1,1," SNA ",104,1.00,12,0\n"
		 "each,llist,empty,0,NA,spin,1,1," SNA ",104,1.05,36,0\n"
		 "each,llist,empty,0,NA,hlt,1,1," SNA ",104,1.02,36,0\n" },
	{ "tlb", "strategy,pages,targets," STATS_H ",verify\n"
		 "madvise,1,1," SNA ",ok\n"
		 "munmap,1,1," SNA ",ok\n" },
	{ "floor", "test,src,dst," STATS_H "\n"
		   "cacheline_rtt,0,1," S "\n" },
	{ "summary", "metric,value,unit,note\n"
		     "cacheline_rtt_p50,104,ns,\n"
		     "ipi_rtt_spin_p50,104,ns,\n"
		     "ipi_rtt_hlt_p50,54,ns,\n"
		     "csd_sync_spin_p50,104,ns,\n"
		     "csd_sync_hlt_p50,54,ns,\n"
		     "csd_per_call_k64,1,ns,\n"
		     "csd_many_p50,104,ns,\n"
		     "csd_each_spin_p50,104,ns,\n"
		     "csd_each_hlt_p50,104,ns,\n"
		     "rdtsc_cost,10,ns,one fenced rdtsc\n"
		     "ts_dominated_rows,0,rows,of 9 stats rows the timestamp costs >5% of p50\n" },
};
#define NLINUX_GOOD	(sizeof(linux_good) / sizeof(linux_good[0]))

/* ---- building tables from text ----------------------------------------------- */

static struct vc_table tabs[32];
static size_t ntabs;
static char *texts[32];

static void add(const char *name, const char *text)
{
	char *copy = strdup(text), *p = copy;
	const char **head = calloc(64, sizeof(*head)), **cells = calloc(64 * 64, sizeof(*cells));
	size_t ncols = 0, nrows = 0;

	texts[ntabs] = copy;
	while (*p) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = 0;
		static struct table_row row;

		if (!ncols) {
			table_header(&row, p);
			ncols = row.n;
			memcpy(head, row.f, ncols * sizeof(*head));
		} else {
			table_split(p, &row);
			memcpy(cells + nrows++ * ncols, row.f, ncols * sizeof(*cells));
		}
		p = nl ? nl + 1 : p + strlen(p);
	}
	tabs[ntabs++] = (struct vc_table){ name, ncols, nrows, head, cells };
}

static void load_good(void)
{
	ntabs = 0;
	for (size_t i = 0; i < NGOOD; i++)
		add(good[i].name, good[i].text);
}

static void load_linux(void)
{
	ntabs = 0;
	for (size_t i = 0; i < NLINUX_GOOD; i++)
		add(linux_good[i].name, linux_good[i].text);
}

static void free_all(void)
{
	for (size_t i = 0; i < ntabs; i++) {
		free((void *)tabs[i].head);
		free((void *)tabs[i].cell);
		free(texts[i]);
	}
	ntabs = 0;
}

static struct vc_table *tab(const char *name)
{
	for (size_t i = 0; i < ntabs; i++)
		if (!strcmp(tabs[i].name, name))
			return &tabs[i];
	return NULL;
}

static void drop(const char *name)
{
	struct vc_table *t = tab(name);
	size_t i = (size_t)(t - tabs);

	free((void *)t->head);
	free((void *)t->cell);
	free(texts[i]);
	for (; i + 1 < ntabs; i++) {
		tabs[i] = tabs[i + 1];
		texts[i] = texts[i + 1];
	}
	ntabs--;
}

/* Overwrites row r's column colname (the value must outlive the check). */
static void set(const char *name, size_t r, const char *colname, const char *v)
{
	struct vc_table *t = tab(name);

	for (size_t k = 0; k < t->ncols; k++)
		if (!strcmp(t->head[k], colname)) {
			((const char **)t->cell)[r * t->ncols + k] = v;
			return;
		}
	printf("#   no column %s in %s\n", colname, name);
	abort();
}

static void rename_col(const char *name, const char *from, const char *to)
{
	struct vc_table *t = tab(name);

	for (size_t k = 0; k < t->ncols; k++)
		if (!strcmp(t->head[k], from))
			((const char **)t->head)[k] = to;
}

/* ---- running the checker ------------------------------------------------------- */

static char outbuf[65536];
static size_t outlen;

static void sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (outlen + n < sizeof(outbuf)) {
		memcpy(outbuf + outlen, s, n);
		outlen += n;
		outbuf[outlen] = 0;
	}
}

static size_t run_check(void)
{
	static uint64_t scratch[4096];
	struct vc_run run = { tabs, ntabs, scratch, 4096, sink, NULL };

	outlen = 0;
	outbuf[0] = 0;
	return vc_check(&run, NULL);
}

/* Every violation line names `rule`, and there is at least one. */
static int only_rule(const char *rule)
{
	char want[64];
	const char *p = outbuf;
	int lines = 0;

	snprintf(want, sizeof(want), ": %s: ", rule);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (!strstr(line, want)) {
			printf("#   want rule %s, got: %s\n", rule, line);
			return 0;
		}
		lines++;
		p += n + (nl != NULL);
	}
	if (!lines)
		printf("#   want a %s violation, got none\n", rule);
	return lines > 0;
}

/* One mutation must fail with exactly rule; then the fixture is reset. */
/* Fails with only that rule, then the fixture is loaded afresh by reload(). */
#define EXPECT_RULE_THEN(rule, reload)                                       \
	do {                                                                 \
		CHECK(run_check() > 0);                                      \
		CHECK(only_rule(rule));                                      \
		free_all();                                                  \
		reload();                                                    \
	} while (0)
#define EXPECT_RULE(rule)	EXPECT_RULE_THEN(rule, load_good)

/* ---- tests ------------------------------------------------------------------------ */

TEST(good_run_passes)
{
	load_good();
	CHECK_EQ(run_check(), 0);
	if (outlen)
		printf("#   %s", outbuf);
	free_all();
}

TEST(rule_columns)
{
	load_good();
	rename_col("csd", "p50_lo", "p50_low");
	EXPECT_RULE("columns");
	rename_col("floor", "p50_ns", "p50ns");
	run_check();
	CHECK(strstr(outbuf, "floor: columns: ") != NULL);
	free_all();
}

TEST(rule_number_and_na)
{
	load_good();
	set("ipi_rtt", 0, "p90", "12x");
	EXPECT_RULE("number");
	set("ipi_rtt", 0, "min", "NA");
	EXPECT_RULE("na");
	set("csd", 0, "batch_mean", "NA");	/* sync rows have one */
	EXPECT_RULE("na");
	set("csd", 5, "p50_lo", "1000");	/* 2 samples: no interval */
	EXPECT_RULE("na");
	set("floor", 0, "samples", "0");	/* samples 0: all NA */
	set("summary", 12, "note", "of 17 stats rows");	/* one row less */
	EXPECT_RULE("na");
	set("csd", 0, "calls", "NA");
	EXPECT_RULE("na");
	set("csd", 0, "src", "NA");		/* sync has a sender */
	EXPECT_RULE("na");
	set("meta", 0, "value", "0");		/* unknown tsc_hz: p50_ns NA */
	CHECK(run_check() > 0);
	CHECK(strstr(outbuf, "p50_ns=104: na: must be NA: tsc_hz is unknown") != NULL);
	free_all();
}

TEST(rule_value)
{
	load_good();
	set("ipi_rtt", 1, "relation", "far");
	EXPECT_RULE("value");
	set("csd", 2, "kick", "never");
	EXPECT_RULE("value");
	set("tlb", 0, "verify", "maybe");
	EXPECT_RULE("value");
	free_all();
}

TEST(rule_order_mean_stddev)
{
	load_good();
	set("ipi_rtt", 0, "p90", "100");	/* below p50 */
	EXPECT_RULE("order");
	set("tlb", 0, "p99", "107");		/* below p90 */
	EXPECT_RULE("order");
	set("floor", 1, "mean", "99");
	EXPECT_RULE("mean");
	set("floor", 1, "stddev", "6");		/* (109 - 100) / 2 + 1 = 5 */
	EXPECT_RULE("stddev");
	set("floor", 1, "stddev", "5");
	CHECK_EQ(run_check(), 0);
	free_all();
}

TEST(rule_batch_mean)
{
	load_good();
	set("ipi_rtt", 0, "batch_mean", "0");
	EXPECT_RULE("batch_mean");
	/* issue 10: a timestamp printed as csd sync's batch_mean */
	set("csd", 0, "batch_mean", "9223372036854780911");
	EXPECT_RULE("batch_mean");
	set("floor", 2, "batch_mean", "110");
	EXPECT_RULE("batch_mean");
	set("floor", 2, "batch_mean", "109");
	CHECK_EQ(run_check(), 0);
	free_all();
	/*
	 * A halting target's row: batch_mean includes the wait for it to be
	 * back asleep, so it may exceed max; not timeout_ms (no timeout_ms in
	 * the fixture's config: only zero is wrong), not zero.
	 */
	load_good();
	set("csd", 6, "batch_mean", "500");
	CHECK_EQ(run_check(), 0);
	set("csd", 6, "batch_mean", "0");
	EXPECT_RULE("batch_mean");
	set("csd", 0, "batch_mean", "500");	/* the spin row: above max */
	EXPECT_RULE("batch_mean");
	set("meta", 1, "value", "bench=all iters=10 warmup=2 wait=spin,hlt raw=0 timeout_ms=1");
	set("csd", 6, "batch_mean", "1000000");	/* 1 ms at 1 GHz: the bound */
	CHECK_EQ(run_check(), 0);
	set("csd", 6, "batch_mean", "1000001");
	EXPECT_RULE("batch_mean");
	free_all();
	/* Under TCG (meta emulated,1) spin rows are bounded by 16 x max. */
	load_good();
	add("meta", "key,value\n"
		    "tsc_hz,1000000000\n"
		    "config,\"bench=all iters=10 warmup=2 wait=spin,hlt raw=0 timeout_ms=1\"\n"
		    "cpus_online,2\n"
		    "emulated,1\n");
	drop("meta");		/* the first meta: the emulated one is kept */
	set("csd", 0, "batch_mean", "500");
	CHECK_EQ(run_check(), 0);
	if (outlen)
		printf("#   %s", outbuf);
	set("csd", 0, "batch_mean", "1000001");
	CHECK(run_check() > 0);
	CHECK(only_rule("batch_mean"));
	set("csd", 0, "batch_mean", "9223372036854780911");	/* a timestamp */
	CHECK(run_check() > 0);
	CHECK(only_rule("batch_mean"));
	free_all();
}

TEST(rule_ts_dominated)
{
	load_good();
	set("tlb", 1, "ts_dominated", "2");
	EXPECT_RULE("ts_dominated");
	free_all();
}

TEST(rule_ci)
{
	load_good();
	set("ipi_rtt", 0, "p50_lo", "105");	/* above p50 */
	EXPECT_RULE("ci");
	set("ipi_rtt", 0, "p50_hi", "103");	/* below p50 */
	EXPECT_RULE("ci");
	set("ipi_bcast", 0, "p50_hi", "110");	/* above max */
	EXPECT_RULE("ci");
	set("ipi_bcast", 0, "p50_lo", "99");	/* below min */
	EXPECT_RULE("ci");
	free_all();
}

TEST(rule_p50_ns)
{
	load_good();
	set("floor", 3, "p50_ns", "106");
	EXPECT_RULE("p50_ns");
	set("floor", 3, "p50_ns", "102");
	EXPECT_RULE("p50_ns");
	set("floor", 3, "p50_ns", "105");	/* within the 1 ns stated */
	CHECK_EQ(run_check(), 0);
	free_all();
}

TEST(rule_oneway)
{
	load_good();
	set("ipi_rtt", 0, "oneway_ns", "105");
	EXPECT_RULE("oneway");
	set("ipi_rtt", 0, "oneway_ns", "104");
	CHECK_EQ(run_check(), 0);
	free_all();
}

TEST(rule_seen)
{
	load_good();
	set("ipi_bcast", 0, "first_seen_ns", "61");
	EXPECT_RULE("seen");
	set("ipi_bcast", 0, "last_seen_ns", "105");
	EXPECT_RULE("seen");
	set("ipi_bcast", 0, "first_seen_ns", "-3");	/* offset error: allowed */
	CHECK_EQ(run_check(), 0);
	free_all();
}

TEST(rule_csd_counts)
{
	load_good();
	set("csd", 0, "samples", "11");
	EXPECT_RULE("csd_samples");
	set("csd", 3, "samples", "20");		/* many: senders * iters */
	EXPECT_RULE("csd_samples");
	set("csd", 0, "calls", "28");		/* w + i + BATCH_REPS * BATCH_M = 92 */
	EXPECT_RULE("csd_calls");
	set("csd", 1, "calls", "767");		/* (w + i) * 64 */
	EXPECT_RULE("csd_calls");
	set("csd", 4, "calls", "12");		/* each: (w + i) * (batch + 1) */
	EXPECT_RULE("csd_calls");
	set("csd", 5, "calls", "999");		/* alltoall: senders * batch */
	EXPECT_RULE("csd_calls");
	set("csd", 2, "lost", "1");
	EXPECT_RULE("csd_lost");
	free_all();
}

TEST(rule_csd_ipis_and_per_call)
{
	load_good();
	set("csd", 2, "ipis_per_batch", "3.99");	/* kick=always: exactly 4 */
	EXPECT_RULE("csd_ipis");
	set("csd", 1, "ipis_per_batch", "64.01");	/* kick=empty: <= 64 */
	EXPECT_RULE("csd_ipis");
	set("csd", 1, "ipis_per_batch", "64.00");
	CHECK_EQ(run_check(), 0);
	free_all();
	load_good();
	set("csd", 0, "per_call_ns", "103");
	EXPECT_RULE("per_call_ns");
	set("csd", 2, "per_call_ns", "27");	/* 104 / 4 = 26 */
	EXPECT_RULE("per_call_ns");
	free_all();
}

TEST(rule_verify)
{
	load_good();
	set("tlb", 0, "verify", "fail");
	EXPECT_RULE("verify");
	free_all();
}

TEST(rule_tlb_ceiling)
{
	load_good();
	set("tlb_ceiling", 0, "ceiling_pages", "NA");
	EXPECT_RULE("tlb_ceiling");
	set("tlb_ceiling", 0, "ceiling_pages", "1");
	EXPECT_RULE("tlb_ceiling");
	/* full no longer cheaper at 2 pages: NA is right */
	set("tlb", 1, "min", "50");	/* invlpg,2,1: p50 54 = full's */
	set("tlb", 1, "p50", "54");
	set("tlb", 1, "p50_lo", "51");
	set("tlb", 1, "p50_ns", "54");
	set("tlb_ceiling", 0, "ceiling_pages", "NA");
	CHECK_EQ(run_check(), 0);
	if (outlen)
		printf("#   %s", outbuf);
	free_all();
}

TEST(rule_summary)
{
	load_good();
	set("summary", 3, "value", "105");		/* ipi_rtt_spin_p50 */
	EXPECT_RULE("summary");
	set("summary", 3, "note", "");			/* median of 2 */
	EXPECT_RULE("summary");
	set("summary", 6, "value", "104");		/* per call: p50 / 64 */
	EXPECT_RULE("summary");
	set("summary", 12, "value", "1");		/* ts_dominated_rows */
	EXPECT_RULE("summary");
	set("summary", 12, "note", "of 17 stats rows");
	EXPECT_RULE("summary");
	set("summary", 4, "metric", "bcast_all_mesh_p50");	/* unknown, and mask missing */
	EXPECT_RULE("summary");
	set("summary", 9, "metric", "tlb_1page_1target_full_p50");	/* twice */
	EXPECT_RULE("summary");
	/* a source row changes: the summary no longer matches */
	set("ipi_rtt", 1, "p50", "108");
	set("ipi_rtt", 1, "p50_ns", "108");
	set("ipi_rtt", 1, "p50_hi", "108");
	set("ipi_rtt", 1, "p90", "108");
	CHECK_EQ(run_check(), 0);	/* the lower median of 104, 108 is 104 */
	set("ipi_rtt", 0, "p50", "106");
	set("ipi_rtt", 0, "p50_ns", "106");
	EXPECT_RULE("summary");	/* now 106 */
	/* csd_each: the each row only (the good run passes with no "median of 2": the alltoall row is not an offer) */
	set("summary", 8, "value", "1000");
	EXPECT_RULE("summary");
	free_all();
}

/* issue 10: csd's wait column, and the summary's sync metrics split by it. */
TEST(rule_csd_wait)
{
	load_good();
	set("csd", 3, "wait", "hlt");		/* many: targets spin only */
	CHECK(run_check() > 0);
	CHECK(strstr(outbuf, "wait=hlt: value: not one of: spin\n") != NULL);
	set("csd", 3, "wait", "spin");
	set("csd", 0, "wait", "mwait");		/* sync: spin or hlt */
	CHECK(run_check() > 0);
	CHECK(strstr(outbuf, "wait=mwait: value: not one of: spin hlt\n") != NULL);
	set("csd", 0, "wait", "spin");
	CHECK_EQ(run_check(), 0);
	/* csd_sync_lock_p50 is the spin rows' only: with the hlt row it would be 54 */
	set("summary", 5, "value", "54");
	EXPECT_RULE("summary");
	set("summary", 5, "note", "median of 2");
	EXPECT_RULE("summary");
	/* csd_sync_lock_hlt_p50 is the hlt row's */
	set("summary", 13, "value", "104");
	EXPECT_RULE("summary");
	/* a spin row offers no hlt metric: made spin, no row offers it */
	set("csd", 6, "wait", "spin");
	EXPECT_RULE("summary");
	free_all();
	/* a csd table without the wait column (before issue 10): named, no crash */
	load_good();
	rename_col("csd", "wait", "wayt");
	CHECK(run_check() > 0);
	CHECK(strstr(outbuf, "csd: columns: ") != NULL);
	free_all();
	/* the hlt metric missing while a hlt row was measured */
	load_good();
	set("summary", 13, "metric", "csd_sync_llist_hlt_p50");
	EXPECT_RULE("summary");
	free_all();
}

#define EXPECT_LINUX_RULE(rule)	EXPECT_RULE_THEN(rule, load_linux)

/* The Linux side's documented differences pass; its own rules still fail. */
TEST(linux_side)
{
	load_linux();
	CHECK_EQ(run_check(), 0);
	if (outlen)
		printf("#   %s", outbuf);
	set("tlb", 0, "strategy", "invlpg");		/* volley's, not Linux's */
	EXPECT_LINUX_RULE("value");
	set("tlb", 0, "batch_mean", "104");		/* tlbbench has none */
	EXPECT_LINUX_RULE("na");
	set("ipi_rtt", 0, "batch_mean", "NA");		/* spin rows have one */
	EXPECT_LINUX_RULE("na");
	set("ipi_rtt", 1, "batch_mean", "54");		/* hlt rows have none */
	EXPECT_LINUX_RULE("na");
	set("csd", 1, "batch_mean", "54");
	EXPECT_LINUX_RULE("na");
	set("csd", 0, "calls", "26");			/* volley's count, not 98 */
	EXPECT_LINUX_RULE("csd_calls");
	set("csd", 1, "calls", "98");			/* hlt: no batch_mean calls */
	EXPECT_LINUX_RULE("csd_calls");
	set("csd", 5, "calls", "24");			/* each: (w * 4 + i) * 2 */
	EXPECT_LINUX_RULE("csd_calls");
	set("csd", 2, "queue", "lock");			/* one queue on Linux */
	EXPECT_LINUX_RULE("value");
	set("csd", 3, "wait", "hlt");			/* many: spin only */
	CHECK(run_check() > 0);
	CHECK(strstr(outbuf, "wait=hlt: value: not one of: spin\n") != NULL);
	free_all();
	load_linux();
	set("csd", 2, "ipis_per_batch", "2.50");	/* still a K.DD number */
	CHECK_EQ(run_check(), 0);
	set("csd", 2, "ipis_per_batch", "NA");
	EXPECT_LINUX_RULE("na");
	set("summary", 4, "value", "104");		/* csd_sync_hlt_p50: the hlt row */
	EXPECT_LINUX_RULE("summary");
	set("summary", 5, "value", "104");		/* per call: p50 / 64 */
	EXPECT_LINUX_RULE("summary");
	set("summary", 10, "note", "of 11 stats rows");	/* tlb rows are not counted */
	EXPECT_LINUX_RULE("summary");
	set("summary", 3, "metric", "csd_sync_llist_p50");	/* volley's name */
	EXPECT_LINUX_RULE("summary");
	free_all();
	/* Without side,linux the same tables are volley's, and wrong. */
	load_good();
	set("tlb", 0, "strategy", "madvise");
	CHECK(run_check() > 0);
	CHECK(strstr(outbuf, "strategy=madvise: value: not one of: invlpg full invpcid invlpgb\n") != NULL);
	free_all();
	load_good();
	set("tlb", 0, "batch_mean", "NA");
	EXPECT_RULE("na");
	set("csd", 1, "ipis_per_batch", "64.01");
	EXPECT_RULE("csd_ipis");
	free_all();
}

TEST(summary_without_sources)
{
	/* A QR code capture: meta and summary only. Nothing to compare with. */
	load_good();
	drop("ipi_rtt");
	drop("ipi_bcast");
	drop("csd");
	drop("tlb");
	drop("tlb_ceiling");
	drop("floor");
	CHECK_EQ(run_check(), 0);
	if (outlen)
		printf("#   %s", outbuf);
	free_all();
	/* Without ipi_rtt only: the other metrics are still checked. */
	load_good();
	drop("ipi_rtt");
	set("summary", 0, "value", "105");	/* self_ipi_p50 */
	EXPECT_RULE("summary");
	free_all();
}

TEST(rule_meta_cpus)
{
	load_good();
	set("meta", 0, "key", "tsc_khz");
	run_check();
	CHECK(strstr(outbuf, "meta: meta: no numeric tsc_hz") != NULL);
	free_all();
	load_good();
	set("meta", 1, "value", "bench=all warmup=2");	/* no iters= */
	EXPECT_RULE("meta");
	set("meta", 2, "value", "3");
	EXPECT_RULE("cpus");
	set("cpus", 1, "cpu", "2");
	EXPECT_RULE("cpus");
	drop("meta");
	run_check();
	CHECK(strstr(outbuf, "meta: meta: no meta table") != NULL);
	free_all();
}

/* raw=1: a floor row and its raw samples (values 100..109, shuffled). */
static void load_raw(void)
{
	ntabs = 0;
	add("meta", "key,value\ntsc_hz,1000000000\nconfig,\"iters=10 warmup=2 raw=1\"\n");
	add("floor", "test,src,dst," STATS_H "\nrdtsc,0,0," S "\nrdtsc,0,0,0,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA\n");
	add("raw_floor", "row,i,cycles\n0,0,107\n0,1,100\n0,2,109\n0,3,101\n0,4,104\n"
			 "0,5,103\n0,6,102\n0,7,108\n0,8,106\n0,9,105\n");
}

TEST(rule_raw)
{
	load_raw();
	CHECK_EQ(run_check(), 0);
	if (outlen)
		printf("#   %s", outbuf);
	set("raw_floor", 4, "cycles", "105");	/* the median moves: 105 */
	CHECK(run_check() > 0);
	CHECK(only_rule("raw"));
	CHECK(strstr(outbuf, "p50=104: raw: core/stats.c over the 10 raw samples gives 105") != NULL);
	free_all();
	load_raw();
	set("floor", 0, "p50_lo", "102");
	set("floor", 0, "min", "101");		/* both stay plausible, both are wrong */
	CHECK(run_check() > 0);
	CHECK(only_rule("raw"));
	free_all();
	load_raw();
	set("raw_floor", 9, "row", "1");	/* a sample of a row with samples 0 */
	CHECK(run_check() > 0);
	CHECK(only_rule("raw"));
	free_all();
	load_raw();
	set("raw_floor", 3, "i", "7");
	CHECK(run_check() > 0);
	CHECK(only_rule("raw"));
	free_all();
	load_raw();
	drop("raw_floor");
	CHECK(run_check() > 0);
	CHECK(only_rule("raw"));
	free_all();
}

int main(void)
{
	RUN(good_run_passes);
	RUN(rule_columns);
	RUN(rule_number_and_na);
	RUN(rule_value);
	RUN(rule_order_mean_stddev);
	RUN(rule_batch_mean);
	RUN(rule_ts_dominated);
	RUN(rule_ci);
	RUN(rule_p50_ns);
	RUN(rule_oneway);
	RUN(rule_seen);
	RUN(rule_csd_counts);
	RUN(rule_csd_ipis_and_per_call);
	RUN(rule_csd_wait);
	RUN(linux_side);
	RUN(rule_verify);
	RUN(rule_tlb_ceiling);
	RUN(rule_summary);
	RUN(summary_without_sources);
	RUN(rule_meta_cpus);
	RUN(rule_raw);
	return check_done();
}
