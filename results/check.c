/* SPDX-License-Identifier: MIT */
/*
 * The value checker: see check.h. Where a rule restates how the kernel
 * derives a value, the kernel file that does it is named; the stats
 * themselves are recomputed with the kernel's own core/stats.c.
 */
#include <stdarg.h>
#include "results/check.h"
#include "bench/report.h"	/* BATCH_M, BATCH_REPS */
#include "core/stats.h"
#include "core/str.h"

#define NOROW	((size_t)-1)

struct vc {
	const struct vc_run *run;
	size_t violations;
	/* from meta */
	uint64_t tsc_hz;	/* 0: unknown */
	bool have_iters;
	bool may_cut;		/* no iters= on the command line: the budget may cut rows */
	uint64_t iters, warmup;
	bool raw;
	uint64_t timeout_ms;	/* 0: unknown */
	bool emulated;		/* meta emulated=1 or hypervisor TCG (the Linux side) */
	bool virtualized;	/* emulated, or any hypervisor (meta hypervisor not none) */
#define EMULATED_BATCH_SLACK	16
#define EMULATED_BATCH_SLACK_S	"16"
	/*
	 * meta side=linux: a run of the Linux side (linux/volley_lkm.c,
	 * linux/tlbbench.c; HACKING.md "Values on the Linux side"), whose
	 * tables differ where that side documents it; nothing else changes.
	 */
	bool linux_side;
};

/* linux/volley_lkm.c BLOCKS: warm-up iterations before each of 4 blocks. */
#define LINUX_BLOCKS	4

/* ---- small parsers ------------------------------------------------------ */

static bool is_na(const char *s)
{
	return str_eq(s, "NA");
}

static bool parse_u64(const char *s, uint64_t *v)
{
	uint64_t x = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (d > 9 || x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

static bool parse_s64(const char *s, int64_t *v)
{
	uint64_t u;
	bool neg = *s == '-';

	if (!parse_u64(s + neg, &u) || u > (uint64_t)INT64_MAX)
		return false;
	*v = neg ? -(int64_t)u : (int64_t)u;
	return true;
}

/* "K.DD" (ipis_per_batch) as K * 100 + DD. */
static bool parse_x100(const char *s, uint64_t *v)
{
	char ip[24];
	size_t i = 0;
	uint64_t a, b;

	while (s[i] && s[i] != '.' && i < sizeof(ip) - 1) {
		ip[i] = s[i];
		i++;
	}
	ip[i] = 0;
	if (s[i] != '.' || !parse_u64(ip, &a) || str_len(s + i + 1) != 2 ||
	    !parse_u64(s + i + 1, &b) || a > UINT64_MAX / 100 - 1)
		return false;
	*v = a * 100 + b;
	return true;
}

/* Is word one of the space-separated words of set? */
static bool in_set(const char *word, const char *set)
{
	size_t n = str_len(word);

	while (*set) {
		size_t k = 0;

		while (set[k] && set[k] != ' ')
			k++;
		if (k == n && !str_ncmp(word, set, n))
			return true;
		set += k;
		while (*set == ' ')
			set++;
	}
	return false;
}

/* ---- tables --------------------------------------------------------------- */

static const struct vc_table *table(const struct vc *c, const char *name)
{
	for (size_t i = 0; i < c->run->ntables; i++)
		if (str_eq(c->run->tables[i].name, name))
			return &c->run->tables[i];
	return NULL;
}

static int col(const struct vc_table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (str_eq(t->head[i], name))
			return (int)i;
	return -1;
}

/* The cell, or NULL when the column does not exist. */
static const char *cell(const struct vc_table *t, size_t r, const char *name)
{
	int k = col(t, name);

	return k < 0 ? NULL : t->cell[r * t->ncols + (size_t)k];
}

/* Does the cell exist and hold word? */
static bool cell_is(const struct vc_table *t, size_t r, const char *name, const char *word)
{
	const char *s = cell(t, r, name);

	return s && str_eq(s, word);
}

/* ---- reporting ------------------------------------------------------------ */

static void vout(struct vc *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_v(c->run->out, c->run->ctx, fmt, ap);
	va_end(ap);
}

/*
 * One violation: "TABLE row R [KEY] COL=VAL: RULE: detail". col NULL for a
 * row-level problem, row NOROW for the table as a whole.
 */
static void violate(struct vc *c, const struct vc_table *t, size_t r,
		    const char *colname, const char *rule, const char *fmt, ...)
{
	va_list ap;

	c->violations++;
	vout(c, "%s", t->name);
	if (r != NOROW) {
		int ks = col(t, "samples");
		size_t nk = ks > 0 ? (size_t)ks : 1;

		vout(c, " row %zu [", r);
		for (size_t k = 0; k < nk && k < t->ncols; k++)
			vout(c, "%s%s", k ? "," : "", t->cell[r * t->ncols + k]);
		vout(c, "]");
		if (colname) {
			const char *v = cell(t, r, colname);

			vout(c, " %s=%s", colname, v ? v : "(missing)");
		}
	}
	vout(c, ": %s: ", rule);
	va_start(ap, fmt);
	fmt_v(c->run->out, c->run->ctx, fmt, ap);
	va_end(ap);
	vout(c, "\n");
}

/*
 * The cell if it holds a value: NULL (and a violation) when the column
 * exists but holds NA; NULL silently when it is missing (the columns rule
 * has said so) or when na_ok and the cell is NA.
 */
static const char *need_value(struct vc *c, const struct vc_table *t, size_t r,
			      const char *name, bool na_ok)
{
	const char *s = cell(t, r, name);

	if (!s)
		return NULL;
	if (is_na(s)) {
		if (!na_ok)
			violate(c, t, r, name, "na", "must be a number here");
		return NULL;
	}
	return s;
}

/* The cell as an unsigned number (need_value(), plus the number rule). */
static bool need_u64(struct vc *c, const struct vc_table *t, size_t r,
		     const char *name, bool na_ok, uint64_t *v)
{
	const char *s = need_value(c, t, r, name, na_ok);
	bool ok = s && parse_u64(s, v);

	if (s && !ok)
		violate(c, t, r, name, "number", "not an unsigned integer");
	return ok;
}

static bool need_s64(struct vc *c, const struct vc_table *t, size_t r,
		     const char *name, bool na_ok, int64_t *v)
{
	const char *s = need_value(c, t, r, name, na_ok);
	bool ok = s && parse_s64(s, v);

	if (s && !ok)
		violate(c, t, r, name, "number", "not an integer");
	return ok;
}

static void need_na(struct vc *c, const struct vc_table *t, size_t r,
		    const char *name, const char *why)
{
	const char *s = cell(t, r, name);

	if (s && !is_na(s))
		violate(c, t, r, name, "na", "must be NA: %s", why);
}

static void need_word(struct vc *c, const struct vc_table *t, size_t r,
		      const char *name, const char *set)
{
	const char *s = cell(t, r, name);

	if (s && !in_set(s, set))
		violate(c, t, r, name, "value", "not one of: %s", set);
}

/* ---- the column contract (HACKING.md) -------------------------------------- */

/* The STATS block is core/stats.h's: one definition for the writer and the checker. */
#define STATS_COLS	STATS_HEADER

static const struct {
	const char *name, *header;
	bool stats;
} contract[] = {
	{ "meta", "key,value", false },
	{ "cpus", "cpu,apic_id,acpi_id,package,die,core,thread,node,online,start_us,tsc_offset,llc", false },
	{ "errors", "where,cpu,what,waited_us", false },
	{ "ipi_rtt", "src,dst,wait,relation," STATS_COLS ",oneway_ns", true },
	{ "ipi_bcast", "method,targets," STATS_COLS ",first_seen_ns,last_seen_ns", true },
	{ "csd", "test,queue,kick,src,dst,wait,senders,batch," STATS_COLS
		 ",per_call_ns,ipis_per_batch,calls,lost", true },
	{ "tlb", "strategy,pages,targets," STATS_COLS ",verify", true },
	{ "tlb_ceiling", "targets,ceiling_pages", false },
	{ "floor", "test,src,dst," STATS_COLS, true },
	{ "summary", "metric,value,unit,note", false },
};
#define NCONTRACT	(sizeof(contract) / sizeof(contract[0]))

static void check_header(struct vc *c, const struct vc_table *t, const char *want)
{
	char have[1024];
	struct fmt_sbuf sb = { have, sizeof(have), 0 };

	have[0] = 0;
	for (size_t i = 0; i < t->ncols; i++)
		fmt_to(fmt_sbuf_out, &sb, "%s%s", i ? "," : "", t->head[i]);
	if (!str_eq(have, want))
		violate(c, t, NOROW, NULL, "columns", "header is \"%s\", the contract says \"%s\"",
			have, want);
}

/* ---- meta and cpus ---------------------------------------------------------- */

static const char *meta_value(const struct vc *c, const char *key)
{
	const struct vc_table *t = table(c, "meta");

	if (!t || t->ncols < 2)
		return NULL;
	for (size_t r = 0; r < t->nrows; r++)
		if (str_eq(t->cell[r * t->ncols], key))
			return t->cell[r * t->ncols + 1];
	return NULL;
}

/* "k=v" in meta's config line (space-separated words). */
static bool config_u64(const char *config, const char *key, uint64_t *v)
{
	size_t n = str_len(key);

	while (config && *config) {
		size_t k = 0;
		char w[32];

		while (config[k] && config[k] != ' ')
			k++;
		if (k > n && k - n - 1 < sizeof(w) && !str_ncmp(config, key, n) &&
		    config[n] == '=') {
			mem_copy(w, config + n + 1, k - n - 1);
			w[k - n - 1] = 0;
			return parse_u64(w, v);
		}
		config += k;
		while (*config == ' ')
			config++;
	}
	return false;
}

static void check_meta(struct vc *c)
{
	const struct vc_table *t = table(c, "meta"), *cpus = table(c, "cpus");
	const char *hz = meta_value(c, "tsc_hz"), *cfg = meta_value(c, "config");
	const char *online = meta_value(c, "cpus_online");
	uint64_t v;

	if (!t) {
		struct vc_table none = { .name = "meta" };

		violate(c, &none, NOROW, NULL, "meta", "no meta table: tsc_hz and the config are unknown");
		return;
	}
	if (!hz || !parse_u64(hz, &c->tsc_hz))
		violate(c, t, NOROW, NULL, "meta", "no numeric tsc_hz (got %s)", hz ? hz : "nothing");
	c->have_iters = config_u64(cfg, "iters", &c->iters) &&
			config_u64(cfg, "warmup", &c->warmup);
	/* bench/harness.h: without iters= a row may stop early (budget=, ROW_BUDGET_MS) */
	c->may_cut = !config_u64(meta_value(c, "cmdline"), "iters", &v);
	if (!c->have_iters && table(c, "csd"))
		violate(c, t, NOROW, NULL, "meta", "config lacks iters= or warmup=: csd counts cannot be checked");
	c->raw = config_u64(cfg, "raw", &v) && v == 1;
	if (!config_u64(cfg, "timeout_ms", &c->timeout_ms))
		c->timeout_ms = 0;
	c->emulated = (meta_value(c, "emulated") && str_eq(meta_value(c, "emulated"), "1")) ||
		      (meta_value(c, "hypervisor") &&
		       str_eq(meta_value(c, "hypervisor"), "TCGTCGTCGTCG"));
	c->linux_side = meta_value(c, "side") && str_eq(meta_value(c, "side"), "linux");
	c->virtualized = c->emulated ||
			 (meta_value(c, "hypervisor") && !str_eq(meta_value(c, "hypervisor"), "none"));
	if (online && cpus && col(cpus, "online") >= 0) {
		uint64_t want, n = 0;

		for (size_t r = 0; r < cpus->nrows; r++)
			n += str_eq(cell(cpus, r, "online"), "1");
		if (!parse_u64(online, &want) || want != n)
			violate(c, t, NOROW, NULL, "cpus", "cpus_online is %s, the cpus table has %lu online",
				online, n);
	}
}

static void check_cpus(struct vc *c, const struct vc_table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		uint64_t cpu;

		if (need_u64(c, t, r, "cpu", false, &cpu) && cpu != r)
			violate(c, t, r, "cpu", "cpus", "cpu numbers are dense: want %zu", r);
		need_u64(c, t, r, "apic_id", false, &cpu);
		need_word(c, t, r, "online", "0 1");
	}
}

/* ---- one stats row ---------------------------------------------------------- */

struct srow {
	uint64_t samples, min, p50, p90, p99, max, mean, stddev;
	bool ok;		/* samples > 0 and every value above parsed */
	bool have_ns;
	uint64_t p50_ns;
};

static const char *const stats_after_samples[] = {
	"min", "p50", "p90", "p99", "max", "mean", "stddev", "batch_mean",
	"ts_dominated", "p50_lo", "p50_hi", "p50_ns",
};

/* The checks every stats row shares; batch_na: batch_mean may be NA. */
static void stats_checks(struct vc *c, const struct vc_table *t, size_t r,
			 bool batch_na, struct srow *s)
{
	uint64_t bm, lo, hi, ns, want;
	size_t rank;

	*s = (struct srow){ 0 };
	if (!need_u64(c, t, r, "samples", false, &s->samples))
		return;
	if (!s->samples) {
		for (size_t k = 0; k < sizeof(stats_after_samples) / sizeof(*stats_after_samples); k++)
			need_na(c, t, r, stats_after_samples[k], "samples is 0");
		return;
	}
	/* Every column is looked at (and reported), not just up to the first bad one. */
	unsigned have = 0;

	have += need_u64(c, t, r, "min", false, &s->min);
	have += need_u64(c, t, r, "p50", false, &s->p50);
	have += need_u64(c, t, r, "p90", false, &s->p90);
	have += need_u64(c, t, r, "p99", false, &s->p99);
	have += need_u64(c, t, r, "max", false, &s->max);
	have += need_u64(c, t, r, "mean", false, &s->mean);
	have += need_u64(c, t, r, "stddev", false, &s->stddev);
	s->ok = have == 7;
	if (!s->ok)
		return;
	if (!(s->min <= s->p50 && s->p50 <= s->p90 && s->p90 <= s->p99 && s->p99 <= s->max))
		violate(c, t, r, NULL, "order", "min %lu, p50 %lu, p90 %lu, p99 %lu, max %lu not ascending",
			s->min, s->p50, s->p90, s->p99, s->max);
	if (s->mean < s->min || s->mean > s->max)
		violate(c, t, r, "mean", "mean", "outside [min %lu, max %lu]", s->min, s->max);
	/* Popoviciu: a population's stddev is at most half its range (+1: rounding). */
	if (s->stddev > (s->max - s->min) / 2 + 1)
		violate(c, t, r, "stddev", "stddev", "above half the range (max - min) / 2 = %lu",
			(s->max - s->min) / 2);
	/*
	 * A row whose target halts (wait hlt|mwait): each of batch_mean's
	 * operations also waits for the target to be back asleep plus
	 * SETTLE_CYCLES (bench/harness.h receiver_await_sleep; bench/ipi_rtt.c,
	 * bench/csd.c), which the timed samples leave out: it may exceed max,
	 * but no operation outlives timeout_ms (else the row fails).
	 */
	/*
	 * Under an emulator (TCG) every vCPU is a host thread: a batch of
	 * BATCH_M ops is descheduled by the host where a row's few samples
	 * were not, on enough batches to move their median (seen with 4
	 * vCPUs on 2 host cores, iters=10: 63787 against a max of 11322).
	 * Under a hypervisor back-to-back ops queue behind each other's VM
	 * exits (seen on kvm_pvm: tlb full,1,1 batch_mean 1035229 against a
	 * max of 900452). A loaded host descheduling a batch for a whole time
	 * slice moves it further (seen: 1703350 against a max of 98998, TCG,
	 * 64 vCPUs on a busy 2-core host). The bound there is the larger of
	 * EMULATED_BATCH_SLACK x max and timeout_ms (no op outlives it, else
	 * the row fails): loose enough for the host, tight enough that a
	 * timestamp (2^63 + ...) still fails. On hardware: max.
	 */
	bool asleep = cell_is(t, r, "wait", "hlt") || cell_is(t, r, "wait", "mwait");
	uint64_t bm_max = s->max;
	const char *bound = "max";

	if (asleep) {
		bm_max = c->timeout_ms && c->tsc_hz ? c->timeout_ms * (c->tsc_hz / 1000) : UINT64_MAX;
		bound = "timeout_ms in cycles";
	} else if (c->virtualized) {
		uint64_t to = c->timeout_ms && c->tsc_hz ? c->timeout_ms * (c->tsc_hz / 1000) : 0;

		bm_max = s->max > UINT64_MAX / EMULATED_BATCH_SLACK ? UINT64_MAX :
			 s->max * EMULATED_BATCH_SLACK;
		bound = "max x " EMULATED_BATCH_SLACK_S " (virtualized)";
		if (to > bm_max) {
			bm_max = to;
			bound = "timeout_ms in cycles (virtualized)";
		}
	}
	if (need_u64(c, t, r, "batch_mean", batch_na, &bm) && (bm == 0 || bm > bm_max))
		violate(c, t, r, "batch_mean", "batch_mean", "%s (%s %lu)",
			bm ? "above its bound" : "zero", bound, bm_max);
	if (cell(t, r, "ts_dominated") && !in_set(cell(t, r, "ts_dominated"), "0 1"))
		violate(c, t, r, "ts_dominated", "ts_dominated", "must be 0 or 1");
	rank = stats_median_ci_rank(s->samples);
	if (!rank) {
		need_na(c, t, r, "p50_lo", "fewer than 6 samples have no 95% interval");
		need_na(c, t, r, "p50_hi", "fewer than 6 samples have no 95% interval");
	} else if (need_u64(c, t, r, "p50_lo", false, &lo) +
		   need_u64(c, t, r, "p50_hi", false, &hi) == 2) {
		if (!(s->min <= lo && lo <= s->p50 && s->p50 <= hi && hi <= s->max))
			violate(c, t, r, NULL, "ci", "want min %lu <= p50_lo %lu <= p50 %lu <= p50_hi %lu <= max %lu",
				s->min, lo, s->p50, hi, s->max);
	}
	if (!c->tsc_hz) {
		need_na(c, t, r, "p50_ns", "tsc_hz is unknown");
	} else if (need_u64(c, t, r, "p50_ns", false, &ns)) {
		want = cycles_to_ns(s->p50, c->tsc_hz);
		if (ns + 1 < want || ns > want + 1)
			violate(c, t, r, "p50_ns", "p50_ns", "p50 %lu cycles at tsc_hz %lu is %lu ns (+-1)",
				s->p50, c->tsc_hz, want);
		s->have_ns = true;
		s->p50_ns = ns;
	}
}

/* ---- per table -------------------------------------------------------------- */

static void row_ipi_rtt(struct vc *c, const struct vc_table *t, size_t r)
{
	struct srow s;
	uint64_t u;
	int64_t ow;

	need_u64(c, t, r, "src", false, &u);
	need_u64(c, t, r, "dst", false, &u);
	need_word(c, t, r, "wait", "spin hlt mwait");
	need_word(c, t, r, "relation", "self smt llc core package node");
	/*
	 * The Linux side has batch_mean in spin rows only (linux/volley_lkm.c
	 * rtt_fn: back to back, a hlt target would never get back into hlt).
	 */
	if (c->linux_side && cell_is(t, r, "wait", "hlt"))
		need_na(c, t, r, "batch_mean", "the Linux side's hlt rows have none");
	stats_checks(c, t, r, c->linux_side && cell_is(t, r, "wait", "hlt"), &s);
	if (!s.samples) {
		need_na(c, t, r, "oneway_ns", "samples is 0");
		return;
	}
	if (need_s64(c, t, r, "oneway_ns", true, &ow) && s.have_ns && ow > (int64_t)s.p50_ns)
		violate(c, t, r, "oneway_ns", "oneway", "above the round trip's p50_ns %lu", s.p50_ns);
}

static void row_ipi_bcast(struct vc *c, const struct vc_table *t, size_t r)
{
	struct srow s;
	uint64_t u;
	int64_t first, last;
	bool hf, hl;

	need_word(c, t, r, "method", "shorthand mask logical");
	need_u64(c, t, r, "targets", false, &u);
	stats_checks(c, t, r, false, &s);
	if (!s.samples) {
		need_na(c, t, r, "first_seen_ns", "samples is 0");
		need_na(c, t, r, "last_seen_ns", "samples is 0");
		return;
	}
	hf = need_s64(c, t, r, "first_seen_ns", true, &first);
	hl = need_s64(c, t, r, "last_seen_ns", true, &last);
	if (hf && hl && first > last)
		violate(c, t, r, "first_seen_ns", "seen", "above last_seen_ns %ld", (long)last);
	if (hl && s.have_ns && last > (int64_t)s.p50_ns)
		violate(c, t, r, "last_seen_ns", "seen", "above the round's p50_ns %lu", s.p50_ns);
}

/*
 * csd counts, as bench/csd.c makes them (w = warmup, i = iters), per row:
 * interleaved variants (reset_vars/interleave) each count their own calls,
 * w warm-up and i measured samples per variant, so a row's counts are
 * those of a test of one variant:
 *   sync      samples i, calls w + i + BATCH_REPS * BATCH_M (the
 *             batch_mean calls too: the median of BATCH_REPS batches)
 *   batch     samples i, calls (w + i) * batch
 *   many      samples senders * i, calls senders * (w + i)
 *   each      samples i, calls (w + i) * (batch + 1): batch = the other
 *             CPUs, plus the call on the caller itself (as on_each_cpu)
 *   alltoall  samples senders (one per CPU), calls senders * batch
 *             (batch = each CPU's quota)
 * ipis_per_batch is IPIs / batches with two decimals, so kick=always is
 * exactly batch (every call kicks) and kick=empty at most batch.
 */
static void row_csd(struct vc *c, const struct vc_table *t, size_t r)
{
	const char *test = cell(t, r, "test"), *kick = cell(t, r, "kick");
	struct srow s;
	uint64_t senders = 0, batch = 0, calls, lost, x100, pc, u;
	uint64_t want_s = 0, want_c = 0, w = c->warmup, i = c->iters;
	bool sync = test && str_eq(test, "sync"), known = true;

	need_word(c, t, r, "test", "sync batch many each alltoall");
	need_word(c, t, r, "queue", "lock llist");
	need_word(c, t, r, "kick", "empty always");
	/*
	 * bench/csd.c csd_waits: sync targets spin or halt, every other test
	 * spins; the Linux side's each rows too have both (volley_lkm.c).
	 */
	need_word(c, t, r, "wait", sync || (c->linux_side && test && str_eq(test, "each")) ?
		  "spin hlt" : "spin");
	bool hlt = cell_is(t, r, "wait", "hlt");

	if (c->linux_side) {
		/* Linux's call_single_queue: an llist kicked when found empty. */
		need_word(c, t, r, "queue", "llist");
		need_word(c, t, r, "kick", "empty");
		if (sync && hlt)
			need_na(c, t, r, "batch_mean", "the Linux side's hlt rows have none");
	}
	need_u64(c, t, r, "src", test && in_set(test, "many alltoall"), &u);
	need_u64(c, t, r, "dst", test && in_set(test, "each alltoall"), &u);
	need_u64(c, t, r, "senders", false, &senders);
	need_u64(c, t, r, "batch", false, &batch);
	stats_checks(c, t, r, !sync || (c->linux_side && hlt), &s);
	if (!need_u64(c, t, r, "calls", false, &calls))
		calls = UINT64_MAX;
	need_u64(c, t, r, "lost", false, &lost);
	if (!s.samples) {
		need_na(c, t, r, "per_call_ns", "samples is 0");
		need_na(c, t, r, "ipis_per_batch", "samples is 0");
		return;
	}
	if (lost)
		violate(c, t, r, "lost", "csd_lost", "every call must run exactly once");
	if (!test)
		return;
	if (sync) {
		want_s = i;
		want_c = w + i + BATCH_REPS * BATCH_M;
	} else if (str_eq(test, "batch")) {
		want_s = i;
		want_c = (w + i) * batch;
	} else if (str_eq(test, "many")) {
		want_s = senders * i;
		want_c = senders * (w + i);
	} else if (str_eq(test, "each")) {
		want_s = i;
		want_c = (w + i) * (batch + 1);
	} else if (str_eq(test, "alltoall")) {
		want_s = senders;
		want_c = senders * batch;
	} else {
		known = false;
	}
	/*
	 * The Linux side (volley_lkm.c sync_row, each): warm-up before each
	 * of LINUX_BLOCKS blocks of sync and each; sync's batch_mean calls
	 * in spin rows only.
	 */
	if (c->linux_side && sync)
		want_c = w * LINUX_BLOCKS + i + (hlt ? 0 : BATCH_REPS * BATCH_M);
	else if (c->linux_side && str_eq(test, "each"))
		want_c = (w * LINUX_BLOCKS + i) * (batch + 1);
	/*
	 * many and each cut short by the budget (bench/csd.c): fewer samples
	 * (at least ROW_FLOOR_SAMPLES per sender) and a shorter warm-up, so
	 * calls lie between the samples' and the full count.
	 */
	if (known && c->have_iters && c->may_cut && !c->linux_side &&
	    in_set(test, "many each") && s.samples < want_s) {
		uint64_t per = str_eq(test, "each") ? batch + 1 : 1;
		uint64_t rounds = s.samples;	/* each: one per sample; many: one call */

		if (s.samples < (str_eq(test, "many") ? senders : 16))
			violate(c, t, r, "samples", "csd_samples",
				"a row cut by the budget keeps at least 16 samples (many: 1 per sender)");
		if (calls != UINT64_MAX && (calls % per || calls < rounds * per || calls > want_c))
			violate(c, t, r, "calls", "csd_calls",
				"cut row: want a multiple of %lu between %lu and %lu", per,
				rounds * per, want_c);
		known = false;
	}
	if (known && (c->have_iters || str_eq(test, "alltoall"))) {
		if (s.samples != want_s)
			violate(c, t, r, "samples", "csd_samples", "want %lu (iters %lu, warmup %lu)",
				want_s, i, w);
		if (calls != UINT64_MAX && calls != want_c)
			violate(c, t, r, "calls", "csd_calls", "want %lu (iters %lu, warmup %lu, batch_mean %u x %u)",
				want_c, i, w, BATCH_REPS, BATCH_M);
	}
	if (cell(t, r, "ipis_per_batch")) {
		const char *ipb = cell(t, r, "ipis_per_batch");

		if (!parse_x100(ipb, &x100)) {
			violate(c, t, r, "ipis_per_batch", is_na(ipb) ? "na" : "number",
				"want IPIs per batch as K.DD");
		} else if (kick && str_eq(kick, "always") && x100 != batch * 100) {
			violate(c, t, r, "ipis_per_batch", "csd_ipis",
				"kick=always sends one IPI per call: want %lu.00", batch);
		} else if (kick && str_eq(kick, "empty") && x100 > batch * 100 &&
			   !c->linux_side) {
			/*
			 * Not on the Linux side: there it is the target's
			 * irq_call_count delta, which also counts the call IPIs
			 * the rest of the kernel sent it meanwhile (meta
			 * csd_ipis_counted).
			 */
			violate(c, t, r, "ipis_per_batch", "csd_ipis",
				"kick=empty sends at most one IPI per call: above batch %lu", batch);
		}
	}
	/* bench/csd.c: cycles_to_ns(p50) / batch. */
	if (need_u64(c, t, r, "per_call_ns", false, &pc) && s.have_ns && batch &&
	    pc != s.p50_ns / batch)
		violate(c, t, r, "per_call_ns", "per_call_ns", "want p50_ns / batch = %lu",
			s.p50_ns / batch);
}

static void row_tlb(struct vc *c, const struct vc_table *t, size_t r)
{
	const char *v = cell(t, r, "verify");
	struct srow s;
	uint64_t u;

	need_word(c, t, r, "strategy", c->linux_side ? "madvise mprotect munmap" :
		  "invlpg full invpcid invlpgb");
	need_u64(c, t, r, "pages", false, &u);
	need_u64(c, t, r, "targets", false, &u);
	/* linux/tlbbench.c: the operation cannot repeat without a restore. */
	if (c->linux_side)
		need_na(c, t, r, "batch_mean", "the Linux side's tlb has none");
	stats_checks(c, t, r, c->linux_side, &s);
	if (!v)
		return;
	if (str_eq(v, "fail"))
		violate(c, t, r, "verify", "verify", "a target read a stale translation");
	else if (s.samples)
		need_word(c, t, r, "verify", "ok fail");
	else
		need_word(c, t, r, "verify", "NA fail");
}

static void row_floor(struct vc *c, const struct vc_table *t, size_t r)
{
	struct srow s;
	uint64_t u;

	need_word(c, t, r, "test", "cacheline_rtt rdtsc rdtscp icr_write self_ipi");
	need_u64(c, t, r, "src", false, &u);
	need_u64(c, t, r, "dst", false, &u);
	stats_checks(c, t, r, false, &s);
}

static void row_errors(struct vc *c, const struct vc_table *t, size_t r)
{
	int64_t v;
	uint64_t u;

	need_s64(c, t, r, "cpu", false, &v);
	need_u64(c, t, r, "waited_us", false, &u);
}

/* ---- tlb_ceiling (bench/tlb.c ceiling_print) -------------------------------- */

/* The row of tlb for (strategy, pages, targets) that completed with verify ok. */
static bool tlb_p50(const struct vc_table *tlb, const char *strategy,
		    const char *pages, const char *targets, uint64_t *p50)
{
	for (size_t r = 0; r < tlb->nrows; r++) {
		uint64_t n;
		const char *s = cell(tlb, r, "strategy"), *p = cell(tlb, r, "pages");
		const char *tg = cell(tlb, r, "targets"), *v = cell(tlb, r, "verify");

		if (s && p && tg && v && str_eq(s, strategy) && str_eq(p, pages) &&
		    str_eq(tg, targets))
			return str_eq(v, "ok") && parse_u64(cell(tlb, r, "samples"), &n) && n &&
			       parse_u64(cell(tlb, r, "p50"), p50);
	}
	return false;
}

static void check_tlb_ceiling(struct vc *c, const struct vc_table *t)
{
	const struct vc_table *tlb = table(c, "tlb");
	uint64_t u;

	for (size_t r = 0; r < t->nrows; r++) {
		const char *tg = cell(t, r, "targets"), *got = cell(t, r, "ceiling_pages");
		const char *want = "NA";

		need_u64(c, t, r, "targets", false, &u);
		need_u64(c, t, r, "ceiling_pages", true, &u);
		if (!tlb || !tg || !got || col(tlb, "p50") < 0)
			continue;
		/* Pages in the table's (ascending) order: the first where full wins. */
		for (size_t k = 0; k < tlb->nrows; k++) {
			const char *p = cell(tlb, k, "pages");
			uint64_t pf, pi;

			if (!str_eq(cell(tlb, k, "strategy"), "invlpg") ||
			    !str_eq(cell(tlb, k, "targets"), tg))
				continue;
			if (tlb_p50(tlb, "full", p, tg, &pf) && tlb_p50(tlb, "invlpg", p, tg, &pi) &&
			    pf < pi) {
				want = p;
				break;
			}
		}
		if (!str_eq(got, want))
			violate(c, t, r, "ceiling_pages", "tlb_ceiling",
				"the first pages where full p50 < invlpg p50 (verify ok) is %s", want);
	}
}

/* ---- summary (bench/report.c summary_print and the summary_offer calls) ----- */

static const char *const volley_metrics[] = {
	"ipi_rtt_spin_p50", "ipi_rtt_hlt_p50", "ipi_rtt_mwait_p50",
	"bcast_all_shorthand_p50", "bcast_all_mask_p50", "bcast_all_logical_p50",
	"csd_sync_lock_p50", "csd_sync_llist_p50",
	"csd_sync_lock_hlt_p50", "csd_sync_llist_hlt_p50", "csd_many_lock_p50",
	"csd_many_llist_p50", "csd_each_lock_p50", "csd_each_llist_p50",
	"csd_per_call_k64_lock", "csd_per_call_k64_llist",
	"tlb_1page_1target_invlpg_p50", "tlb_1page_1target_full_p50",
	"tlb_1page_1target_other_p50",
	"cacheline_rtt_p50", "icr_write_p50", "self_ipi_p50",
};
#define NMETRICS	(sizeof(volley_metrics) / sizeof(volley_metrics[0]))

/* The Linux side's (linux/volley_lkm.c summary_offer calls). */
static const char *const linux_metrics[] = {
	"ipi_rtt_spin_p50", "ipi_rtt_hlt_p50",
	"csd_sync_spin_p50", "csd_sync_hlt_p50", "csd_per_call_k64", "csd_many_p50",
	"csd_each_spin_p50", "csd_each_hlt_p50",
	"cacheline_rtt_p50",
};
#define NLINUX_METRICS	(sizeof(linux_metrics) / sizeof(linux_metrics[0]))
_Static_assert(NLINUX_METRICS <= NMETRICS, "seen[] holds either list");

/* "prefix" + a + "_" + b ... equal to m? */
static bool name_is(const char *m, const char *a, const char *b, const char *c3)
{
	char buf[64];

	fmt_buf(buf, sizeof(buf), "%s%s%s", a, b, c3);
	return str_eq(m, buf);
}

/* The largest targets of ipi_bcast: the "all" rows (bench/bcast.c: n - 1). */
static uint64_t bcast_all(const struct vc_table *t)
{
	uint64_t best = 0, v;

	for (size_t r = 0; r < t->nrows; r++)
		if (parse_u64(cell(t, r, "targets"), &v) && v > best)
			best = v;
	return best;
}

/*
 * Does row r of t offer a value (cycles) to metric m? Only rows that were
 * measured (samples > 0) offer, as the benchmarks call summary_offer only
 * for those. csd: csd_offers().
 */
static bool offers(const struct vc_table *t, size_t r, const char *m, uint64_t all,
		   uint64_t *cycles)
{
	uint64_t n, p50, v;
	const char *x;

	if (!parse_u64(cell(t, r, "samples"), &n) || !n || !parse_u64(cell(t, r, "p50"), &p50))
		return false;
	*cycles = p50;
	if (str_eq(t->name, "ipi_rtt"))
		return name_is(m, "ipi_rtt_", cell(t, r, "wait"), "_p50");
	if (str_eq(t->name, "ipi_bcast"))
		return parse_u64(cell(t, r, "targets"), &v) && v == all &&
		       name_is(m, "bcast_all_", cell(t, r, "method"), "_p50");
	if (str_eq(t->name, "floor"))
		return in_set(cell(t, r, "test"), "cacheline_rtt icr_write self_ipi") &&
		       name_is(m, cell(t, r, "test"), "_p50", "");
	if (str_eq(t->name, "tlb")) {
		x = cell(t, r, "strategy");
		if (!str_eq(cell(t, r, "pages"), "1") || !str_eq(cell(t, r, "targets"), "1"))
			return false;
		return name_is(m, "tlb_1page_1target_", in_set(x, "invlpg full") ? x : "other", "_p50");
	}
	return false;
}

/*
 * csd's offers, kept apart: names from three columns (bench/csd.c
 * measure_row): sync rows with wait=spin offer csd_sync_<queue>_p50, with
 * wait=hlt csd_sync_<queue>_hlt_p50; many and each (which spin) their own.
 */
static bool csd_offers(const struct vc_table *t, size_t r, const char *m, uint64_t *cycles)
{
	uint64_t n, p50, b;
	const char *x = cell(t, r, "test"), *q = cell(t, r, "queue");
	const char *w = cell(t, r, "wait");
	char buf[64];

	if (!parse_u64(cell(t, r, "samples"), &n) || !n || !parse_u64(cell(t, r, "p50"), &p50))
		return false;
	if (str_eq(x, "sync") && cell_is(t, r, "wait", "hlt")) {
		fmt_buf(buf, sizeof(buf), "csd_sync_%s_hlt_p50", q);
		*cycles = p50;
		return str_eq(m, buf);
	}
	if (w && !str_eq(w, "spin"))
		return false;
	if (in_set(x, "sync many each")) {
		fmt_buf(buf, sizeof(buf), "csd_%s_%s_p50", x, q);
		*cycles = p50;
		return str_eq(m, buf);
	}
	/* bench/csd.c: batch == BATCH_MAX (64), kick=empty, p50 / batch. */
	if (str_eq(x, "batch") && str_eq(cell(t, r, "kick"), "empty") &&
	    parse_u64(cell(t, r, "batch"), &b) && b == 64) {
		fmt_buf(buf, sizeof(buf), "csd_per_call_k64_%s", q);
		*cycles = p50 / b;
		return str_eq(m, buf);
	}
	return false;
}

/*
 * The Linux side's csd offers (volley_lkm.c csd_row): sync and each by
 * wait, many, and batch 64 per call (one queue, one kick mode).
 */
static bool linux_csd_offers(const struct vc_table *t, size_t r, const char *m,
			     uint64_t *cycles)
{
	uint64_t n, p50, b;
	const char *x = cell(t, r, "test"), *w = cell(t, r, "wait");
	char buf[64];

	if (!parse_u64(cell(t, r, "samples"), &n) || !n || !parse_u64(cell(t, r, "p50"), &p50))
		return false;
	*cycles = p50;
	if (in_set(x, "sync each") && w) {
		fmt_buf(buf, sizeof(buf), "csd_%s_%s_p50", x, w);
		return str_eq(m, buf);
	}
	if (str_eq(x, "many"))
		return str_eq(m, "csd_many_p50");
	if (str_eq(x, "batch") && parse_u64(cell(t, r, "batch"), &b) && b == 64) {
		*cycles = p50 / b;
		return str_eq(m, "csd_per_call_k64");
	}
	return false;
}

static const char *const source_tables[] = { "ipi_rtt", "ipi_bcast", "csd", "tlb", "floor" };
#define NSOURCES	(sizeof(source_tables) / sizeof(source_tables[0]))

/*
 * Does table k of source_tables feed the summary? On the Linux side tlb
 * comes from a separate program (linux/tlbbench.c), not the module whose
 * summary this is: neither its rows nor its stats rows count there.
 */
static bool summary_source(const struct vc *c, size_t k)
{
	return !(c->linux_side && str_eq(source_tables[k], "tlb"));
}

/*
 * Collects metric m's offers in table order into scratch (the first
 * VC_SCRATCH_MIN, as report.c keeps) and returns how many were offered.
 */
static size_t collect(struct vc *c, const char *m, size_t *kept)
{
	size_t offered = 0;

	*kept = 0;
	for (size_t k = 0; k < NSOURCES; k++) {
		const struct vc_table *t = table(c, source_tables[k]);
		uint64_t all, v;

		if (!t || col(t, "samples") < 0 || col(t, "p50") < 0 || !summary_source(c, k))
			continue;
		all = str_eq(t->name, "ipi_bcast") ? bcast_all(t) : 0;
		for (size_t r = 0; r < t->nrows; r++) {
			bool o = !str_eq(t->name, "csd") ? offers(t, r, m, all, &v) :
				 c->linux_side ? linux_csd_offers(t, r, m, &v) :
				 csd_offers(t, r, m, &v);

			if (!o)
				continue;
			offered++;
			if (*kept < VC_SCRATCH_MIN && *kept < c->run->scratch_n)
				c->run->scratch[(*kept)++] = v;
		}
	}
	return offered;
}

/* Stats rows with samples > 0, and how many say ts_dominated=1. */
static void count_stats_rows(struct vc *c, uint64_t *rows, uint64_t *dominated)
{
	*rows = *dominated = 0;
	for (size_t k = 0; k < NSOURCES; k++) {
		const struct vc_table *t = summary_source(c, k) ? table(c, source_tables[k]) : NULL;
		uint64_t n;

		for (size_t r = 0; t && r < t->nrows; r++) {
			if (!parse_u64(cell(t, r, "samples"), &n) || !n)
				continue;
			(*rows)++;
			*dominated += str_eq(cell(t, r, "ts_dominated"), "1");
		}
	}
}

/* The table a metric's offers come from (by its name's prefix). */
static const char *metric_source(const char *m)
{
	if (!str_ncmp(m, "ipi_rtt_", 8))
		return "ipi_rtt";
	if (!str_ncmp(m, "bcast_", 6))
		return "ipi_bcast";
	if (!str_ncmp(m, "csd_", 4))
		return "csd";
	if (!str_ncmp(m, "tlb_", 4))
		return "tlb";
	return "floor";
}

static bool any_source(const struct vc *c)
{
	for (size_t k = 0; k < NSOURCES; k++)
		if (table(c, source_tables[k]))
			return true;
	return false;
}

static void check_summary(struct vc *c, const struct vc_table *t)
{
	bool seen[NMETRICS] = { false };
	const char *const *metrics = c->linux_side ? linux_metrics : volley_metrics;
	size_t nmetrics = c->linux_side ? NLINUX_METRICS : NMETRICS;

	for (size_t r = 0; r < t->nrows; r++) {
		const char *m = cell(t, r, "metric"), *note = cell(t, r, "note");
		uint64_t v, rows, dom;
		size_t k, kept, offered;
		char want_note[64];

		if (!m || !need_u64(c, t, r, "value", false, &v))
			continue;
		if (str_eq(m, "rdtsc_cost"))
			continue;	/* report_init's own measurement: in no table */
		if (str_eq(m, "ts_dominated_rows") && !any_source(c))
			continue;
		if (str_eq(m, "ts_dominated_rows")) {
			count_stats_rows(c, &rows, &dom);
			fmt_buf(want_note, sizeof(want_note), "of %lu stats rows", rows);
			if (v != dom)
				violate(c, t, r, "value", "summary",
					"%lu stats rows say ts_dominated=1", dom);
			if (note && str_ncmp(note, want_note, str_len(want_note)))
				violate(c, t, r, "note", "summary", "want \"%s ...\"", want_note);
			continue;
		}
		for (k = 0; k < nmetrics && !str_eq(metrics[k], m); k++)
			;
		if (k < nmetrics && !table(c, metric_source(m)))
			continue;	/* e.g. a QR code capture: meta and summary only */
		if (k == nmetrics) {
			violate(c, t, r, "metric", "summary", "no rule knows this metric's source rows");
			continue;
		}
		if (seen[k])
			violate(c, t, r, "metric", "summary", "printed twice");
		seen[k] = true;
		offered = collect(c, m, &kept);
		if (!offered) {
			violate(c, t, r, "metric", "summary", "no measured row offers it");
			continue;
		}
		stats_sort(c->run->scratch, kept);
		uint64_t want = cycles_to_ns(stats_percentile(c->run->scratch, kept, 500), c->tsc_hz);

		if (v != want)
			violate(c, t, r, "value", "summary",
				"the median of its %zu source rows' p50 is %lu ns", offered, want);
		if (offered > 1)
			fmt_buf(want_note, sizeof(want_note), "median of %zu", offered);
		else
			want_note[0] = 0;
		if (note && !str_eq(note, want_note))
			violate(c, t, r, "note", "summary", "want \"%s\" (%zu source rows)",
				want_note, offered);
	}
	for (size_t k = 0; k < nmetrics; k++) {
		size_t kept;

		if (!seen[k] && collect(c, metrics[k], &kept))
			violate(c, t, NOROW, NULL, "summary", "%s is offered by measured rows but missing",
				metrics[k]);
	}
}

/* ---- raw_<table> (bench/report.c raw_keep/raw_flush) ------------------------- */

static void check_raw(struct vc *c, const struct vc_table *t, const struct vc_table *raw)
{
	size_t k = 0;	/* raw cursor */
	uint64_t last = 0;

	for (size_t r = 0; r <= t->nrows; r++) {
		uint64_t samples = 0, row, i, v;
		size_t n = 0;

		if (r < t->nrows && !parse_u64(cell(t, r, "samples"), &samples))
			samples = 0;
		/* This row's raw samples: consecutive rows with row == r. */
		for (; k < raw->nrows; k++) {
			if (!parse_u64(cell(raw, k, "row"), &row) ||
			    !parse_u64(cell(raw, k, "i"), &i) ||
			    !parse_u64(cell(raw, k, "cycles"), &v)) {
				violate(c, raw, k, NULL, "raw", "row, i and cycles must be numbers");
				continue;
			}
			if (row < last || (row > r && r < t->nrows))
				break;
			last = row;
			if (row != r || r == t->nrows) {
				violate(c, raw, k, "row", "raw", "%s", r == t->nrows ?
					"no such row in the table" : "rows out of order");
				continue;
			}
			if (i != n)
				violate(c, raw, k, "i", "raw", "want %zu", n);
			if (n < c->run->scratch_n)
				c->run->scratch[n] = v;
			n++;
		}
		if (r == t->nrows)
			break;
		if (k < raw->nrows && parse_u64(cell(raw, k, "row"), &row) && row < last) {
			violate(c, raw, k, "row", "raw", "rows out of order");
			return;
		}
		if (n != samples) {
			violate(c, t, r, "samples", "raw", "%s has %zu samples for this row",
				raw->name, n);
			continue;
		}
		if (!n || n > c->run->scratch_n)
			continue;
		struct stats st;

		stats_compute(c->run->scratch, n, &st);
		const struct { const char *col; uint64_t v; bool na; } want[] = {
			{ "min", st.min, false }, { "p50", st.p50, false },
			{ "p90", st.p90, false }, { "p99", st.p99, false },
			{ "max", st.max, false }, { "mean", st.mean, false },
			{ "stddev", st.stddev, false },
			{ "p50_lo", st.p50_lo, !st.ci_rank }, { "p50_hi", st.p50_hi, !st.ci_rank },
		};
		for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
			const char *s = cell(t, r, want[w].col);
			uint64_t got;

			if (!s || want[w].na)
				continue;
			if (!parse_u64(s, &got) || got != want[w].v)
				violate(c, t, r, want[w].col, "raw",
					"core/stats.c over the %zu raw samples gives %lu", n, want[w].v);
		}
	}
}

/* ---- the whole run -------------------------------------------------------- */

size_t vc_check(const struct vc_run *run, struct vc_result *res)
{
	struct vc c = { .run = run };
	size_t tables = 0, rows = 0;

	check_meta(&c);
	for (size_t i = 0; i < run->ntables; i++) {
		const struct vc_table *t = &run->tables[i];

		tables++;
		rows += t->nrows;
		for (size_t k = 0; k < NCONTRACT; k++)
			if (str_eq(t->name, contract[k].name))
				check_header(&c, t, contract[k].header);
		if (!str_ncmp(t->name, "raw_", 4))
			check_header(&c, t, "row,i,cycles");
		for (size_t r = 0; r < t->nrows; r++) {
			if (str_eq(t->name, "ipi_rtt"))
				row_ipi_rtt(&c, t, r);
			else if (str_eq(t->name, "ipi_bcast"))
				row_ipi_bcast(&c, t, r);
			else if (str_eq(t->name, "csd"))
				row_csd(&c, t, r);
			else if (str_eq(t->name, "tlb"))
				row_tlb(&c, t, r);
			else if (str_eq(t->name, "floor"))
				row_floor(&c, t, r);
			else if (str_eq(t->name, "errors"))
				row_errors(&c, t, r);
		}
		if (str_eq(t->name, "cpus"))
			check_cpus(&c, t);
		else if (str_eq(t->name, "tlb_ceiling"))
			check_tlb_ceiling(&c, t);
		else if (str_eq(t->name, "summary"))
			check_summary(&c, t);
	}
	/* raw=1: every stats table's rows against its raw samples. */
	for (size_t k = 0; k < NCONTRACT; k++) {
		const struct vc_table *t = table(&c, contract[k].name), *raw;
		char name[40];

		if (!t || !contract[k].stats)
			continue;
		fmt_buf(name, sizeof(name), "raw_%s", t->name);
		raw = table(&c, name);
		if (raw)
			check_raw(&c, t, raw);
		else if (c.raw)
			violate(&c, t, NOROW, NULL, "raw", "raw=1 but no %s table", name);
	}
	if (res)
		*res = (struct vc_result){ c.violations, tables, rows };
	return c.violations;
}
