/* SPDX-License-Identifier: MIT */
/* The run plan: pair counts, estimates within the limits, every class kept. */
#include <stdlib.h>
#include "check.h"
#include "core/plan.h"

/* The default run's per-pair cost model of bench/plan (ipi 3 waits + floor + csd). */
static const struct plan_cost hw_cost = {
	.pair_ns = 8500000, .pair_bytes = 560, .rows_per_pair = 6,
};

/* sockets x cores x threads, cores_per_llc cores share an L3, nodes = sockets. */
static struct plan_cpu *topo(unsigned sockets, unsigned cores, unsigned threads,
			     unsigned cores_per_llc, unsigned *n)
{
	struct plan_cpu *c;
	unsigned k = 0;

	*n = sockets * cores * threads;
	c = calloc(*n, sizeof(*c));
	for (unsigned s = 0; s < sockets; s++)
		for (unsigned co = 0; co < cores; co++)
			for (unsigned t = 0; t < threads; t++, k++)
				c[k] = (struct plan_cpu){
					.package = s, .core = co, .node = sockets > 2 ? s / 2 : 0,
					.llc = cores_per_llc ? s * 1000 + co / cores_per_llc
							     : PLAN_NO_LLC,
				};
	return c;
}

static uint64_t brute_count(const struct plan *p)
{
	uint64_t k = 0;

	for (unsigned a = 0; a < p->n; a++)
		for (unsigned b = 0; b < p->n; b++)
			k += plan_has(p, a, b);
	return k;
}

/*
 * plan_next yields exactly the chosen pairs, each once, and its first
 * pairs hold every class present: a table cut short keeps them.
 */
static void check_order(const struct plan *p)
{
	unsigned char *seen = calloc((size_t)p->n * p->n, 1);
	bool early[REL_COUNT] = { false };
	struct plan_iter it;
	uint64_t k = 0, reps = 0;
	unsigned a, b;

	for (unsigned c = 0; c < REL_COUNT; c++)
		reps += p->nrep[c];
	plan_iter_start(p, &it);
	while (plan_next(p, &it, &a, &b)) {
		CHECK(a < p->n && b < p->n && a != b);
		CHECK(plan_has(p, a, b));
		CHECK(!seen[(size_t)a * p->n + b]);
		seen[(size_t)a * p->n + b] = 1;
		if (k < REL_COUNT)	/* the first round: one of every class */
			early[plan_relation(&p->cpus[a], &p->cpus[b])] = true;
		k++;
	}
	CHECK_EQ(k, p->chosen);
	CHECK(reps <= k);
	for (unsigned c = REL_SMT; c < REL_COUNT; c++)
		if (p->rel_total[c])
			CHECK(early[c]);
	free(seen);
}

static void check_sampled(unsigned sockets, unsigned cores, unsigned threads,
			  unsigned per_llc)
{
	unsigned n;
	struct plan_cpu *c = topo(sockets, cores, threads, per_llc, &n);
	struct plan *p = malloc(sizeof(*p));

	plan_make(p, n, c, &hw_cost, PLAN_DEFAULT_BUDGET_MS * 1000000ull, 0);
	CHECK(p->sampled);
	CHECK_EQ(p->total, (uint64_t)n * (n - 1));
	CHECK_EQ(brute_count(p), p->chosen);
	CHECK(p->est_bytes <= PLAN_SERIAL_MAX);
	CHECK(p->est_ns <= PLAN_DEFAULT_BUDGET_MS * 1000000ull);
	/* within 2% of what the budget allows, not far below */
	CHECK(p->chosen <= p->want + p->want / 50);
	CHECK(p->chosen >= p->want - p->want / 50);
	for (unsigned r = REL_SMT; r < REL_COUNT; r++)
		if (p->rel_total[r])
			CHECK(p->rel_chosen[r] >= (p->rel_total[r] < PLAN_PER_REL ?
						    p->rel_total[r] : PLAN_PER_REL));
	if (threads > 1)
		CHECK(p->rel_chosen[REL_SMT] > 0);
	if (per_llc)
		CHECK(p->rel_chosen[REL_LLC] > 0);
	if (sockets > 1)
		CHECK(p->rel_chosen[REL_PACKAGE] > 0);
	if (sockets > 2)
		CHECK(p->rel_chosen[REL_NODE] > 0);
	CHECK(p->boot_rowcol);
	for (unsigned x = 1; x < n; x++) {
		CHECK(plan_has(p, 0, x));
		CHECK(plan_has(p, x, 0));
	}
	CHECK(!plan_has(p, 5, 5));
	check_order(p);
	printf("# plan %ux%ux%u llc/%u: %u CPUs, %llu of %llu pairs, %llu s, %llu bytes\n",
	       sockets, cores, threads, per_llc, n, (unsigned long long)p->chosen,
	       (unsigned long long)p->total, (unsigned long long)(p->est_ns / 1000000000),
	       (unsigned long long)p->est_bytes);
	free(p);
	free(c);
}

TEST(one_cpu)
{
	unsigned n;
	struct plan_cpu *c = topo(1, 1, 1, 0, &n);
	struct plan p;

	plan_make(&p, n, c, &hw_cost, PLAN_DEFAULT_BUDGET_MS * 1000000ull, 0);
	CHECK_EQ(p.total, 0);
	CHECK_EQ(p.chosen, 0);
	CHECK(!p.sampled);
	CHECK_EQ(p.est_ns, 0);
	free(c);
}

TEST(two_cpus_all)
{
	unsigned n;
	struct plan_cpu *c = topo(1, 1, 2, 0, &n);
	struct plan p;

	plan_make(&p, n, c, &hw_cost, PLAN_DEFAULT_BUDGET_MS * 1000000ull, 0);
	CHECK_EQ(p.chosen, 2);
	CHECK(plan_has(&p, 0, 1) && plan_has(&p, 1, 0));
	CHECK_EQ(p.rel_chosen[REL_SMT], 2);
	check_order(&p);
	free(c);
}

TEST(sixty_four_full_matrix)
{
	unsigned n;
	struct plan_cpu *c = topo(2, 16, 2, 8, &n);
	struct plan p;

	plan_make(&p, n, c, &hw_cost, PLAN_DEFAULT_BUDGET_MS * 1000000ull, 0);
	CHECK_EQ(n, 64);
	CHECK(!p.sampled);
	CHECK_EQ(p.chosen, 64 * 63);
	CHECK_EQ(brute_count(&p), 64 * 63);
	/* 2 threads x 32 cores: 64 smt pairs; llc of 8 cores: 2*4*(16*16-... ) */
	CHECK_EQ(p.rel_total[REL_SMT], 64);
	CHECK_EQ(p.rel_total[REL_LLC], 4 * 16 * 14);
	CHECK_EQ(p.rel_total[REL_CORE], 2 * 32 * 16);
	CHECK_EQ(p.rel_total[REL_PACKAGE], 64 * 32);
	CHECK_EQ(p.rel_total[REL_SMT] + p.rel_total[REL_LLC] + p.rel_total[REL_CORE] +
		 p.rel_total[REL_PACKAGE], 64 * 63);
	check_order(&p);
	free(c);
}

TEST(sample_k_keeps_classes)
{
	unsigned n;
	struct plan_cpu *c = topo(2, 16, 2, 8, &n);
	struct plan p;

	plan_make(&p, n, c, &hw_cost, 0, 200);
	CHECK(p.sampled);
	CHECK(p.chosen >= 190 && p.chosen <= 210);
	CHECK_EQ(brute_count(&p), p.chosen);
	for (unsigned r = REL_SMT; r <= REL_PACKAGE; r++)
		CHECK(p.rel_chosen[r] >= PLAN_PER_REL);
	check_order(&p);
	/* 16 pairs only: the classes are kept even above K */
	plan_make(&p, n, c, &hw_cost, 0, 16);
	CHECK(p.chosen >= 4 * PLAN_PER_REL);
	CHECK(!p.boot_rowcol);
	check_order(&p);
	free(c);
}

TEST(no_budget_all_pairs)
{
	unsigned n;
	struct plan_cpu *c = topo(2, 72, 2, 0, &n);
	struct plan p;

	plan_make(&p, n, c, &hw_cost, 0, 0);
	CHECK(!p.sampled);
	CHECK_EQ(p.chosen, 288ull * 287);
	check_order(&p);
	free(c);
}

TEST(big_288) { check_sampled(2, 72, 2, 8); }
TEST(big_1024) { check_sampled(2, 256, 2, 8); }
TEST(big_1024_4node) { check_sampled(4, 128, 2, 0); }
TEST(big_4096) { check_sampled(8, 256, 2, 16); }
TEST(big_4096_nosmt) { check_sampled(4, 1024, 1, 8); }

int main(void)
{
	RUN(one_cpu);
	RUN(two_cpus_all);
	RUN(sixty_four_full_matrix);
	RUN(sample_k_keeps_classes);
	RUN(no_budget_all_pairs);
	RUN(big_288);
	RUN(big_1024);
	RUN(big_1024_4node);
	RUN(big_4096);
	RUN(big_4096_nosmt);
	return check_done();
}
