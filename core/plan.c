/* SPDX-License-Identifier: MIT */
#include "plan.h"

const char *const rel_name[REL_COUNT] = {
	"self", "smt", "llc", "core", "package", "node",
};

enum rel plan_relation(const struct plan_cpu *a, const struct plan_cpu *b)
{
	if (a == b)
		return REL_SELF;
	if (a->node != b->node)
		return REL_NODE;
	if (a->package != b->package)
		return REL_PACKAGE;
	if (a->die == b->die && a->core == b->core)
		return REL_SMT;
	if (a->llc != PLAN_NO_LLC && a->llc == b->llc)
		return REL_LLC;
	return REL_CORE;
}

/*
 * The uniform part's order: a pseudo-random permutation of the pair
 * indices 0..m-1 (m = n*n), so that any prefix of it is a uniform sample
 * with no lattice that could alias with the topology's strides. A
 * bijective mixer on the k bits that hold m-1 (xorshifts and odd
 * multiplies modulo 2^k), cycle-walked until it lands below m (fewer than
 * two steps on average, as 2^k < 2m). rank() is its inverse: the position
 * of a pair in the order.
 */
#define MIX1	0x9e3779b97f4a7c15ull	/* odd */
#define MIX2	0xbf58476d1ce4e5b9ull	/* odd */

static unsigned mix_bits(uint64_t m)
{
	unsigned k = 1;

	while (k < 63 && (1ull << k) < m)
		k++;
	return k;
}

static uint64_t xorshift_inv(uint64_t x, unsigned s, unsigned k)
{
	uint64_t y = x;

	for (unsigned t = s; t < k; t += s)
		y = x ^ (y >> s);
	return y;
}

static uint64_t mul_inv(uint64_t c)	/* c * r == 1 mod 2^64, c odd (Newton) */
{
	uint64_t r = c;

	for (int i = 0; i < 6; i++)
		r *= 2 - c * r;
	return r;
}

static uint64_t mix(uint64_t x, unsigned k)
{
	uint64_t mask = (1ull << k) - 1;
	unsigned s1 = (k + 1) / 2, s2 = k / 3 + 1;

	x ^= x >> s1;
	x = (x * MIX1) & mask;
	x ^= x >> s2;
	x = (x * MIX2) & mask;
	x ^= x >> s1;
	return x;
}

static uint64_t unmix(uint64_t x, unsigned k)
{
	uint64_t mask = (1ull << k) - 1;
	unsigned s1 = (k + 1) / 2, s2 = k / 3 + 1;

	x = xorshift_inv(x, s1, k);
	x = (x * mul_inv(MIX2)) & mask;
	x = xorshift_inv(x, s2, k);
	x = (x * mul_inv(MIX1)) & mask;
	x = xorshift_inv(x, s1, k);
	return x;
}

/* The pair index at position r of the order (r < m). */
static uint64_t order_at(uint64_t r, uint64_t m)
{
	unsigned k = mix_bits(m);

	do
		r = mix(r, k);
	while (r >= m);
	return r;
}

/* The position of pair index idx in the order (idx < m). */
static uint64_t rank(uint64_t idx, uint64_t m)
{
	unsigned k = mix_bits(m);

	do
		idx = unmix(idx, k);
	while (idx >= m);
	return idx;
}

static bool is_rep(const struct plan *p, unsigned a, unsigned b)
{
	enum rel c = plan_relation(&p->cpus[a], &p->cpus[b]);

	for (unsigned i = 0; i < p->nrep[c]; i++)
		if (p->rep_a[c][i] == a && p->rep_b[c][i] == b)
			return true;
	return false;
}

bool plan_has(const struct plan *p, unsigned a, unsigned b)
{
	uint64_t nn = (uint64_t)p->n * p->n;

	if (a == b || a >= p->n || b >= p->n)
		return false;
	if (!p->sampled)
		return true;
	if (p->boot_rowcol && (a == 0 || b == 0))
		return true;
	if (is_rep(p, a, b))
		return true;
	return rank((uint64_t)a * p->n + b, nn) < p->thresh;
}

/* Taken before the uniform part: a representative or the boot row/column. */
static bool fixed_pair(const struct plan *p, unsigned a, unsigned b)
{
	return ((!p->sampled || p->boot_rowcol) && (a == 0 || b == 0)) || is_rep(p, a, b);
}

void plan_iter_start(const struct plan *p, struct plan_iter *it)
{
	*it = (struct plan_iter){ 0 };
	(void)p;
}

bool plan_next(const struct plan *p, struct plan_iter *it, unsigned *a, unsigned *b)
{
	uint64_t nn = (uint64_t)p->n * p->n;

	if (p->n < 2)
		return false;
	/* 0: representatives, class after class (REL_COUNT slots per round) */
	while (it->phase == 0) {
		uint64_t k = it->k++;
		unsigned c = (unsigned)(k % REL_COUNT), i = (unsigned)(k / REL_COUNT);

		if (i >= PLAN_PER_REL) {
			it->phase = 1, it->k = 0;
			break;
		}
		if (i < p->nrep[c]) {
			*a = p->rep_a[c][i];
			*b = p->rep_b[c][i];
			return true;
		}
	}
	/* 1: the boot CPU's row and column, (0, x) then (x, 0) */
	while (it->phase == 1) {
		uint64_t k = it->k++;
		unsigned x = (unsigned)(k / 2) + 1;

		if (x >= p->n || (p->sampled && !p->boot_rowcol)) {
			it->phase = 2, it->k = 0;
			break;
		}
		*a = k & 1 ? x : 0;
		*b = k & 1 ? 0 : x;
		if (!is_rep(p, *a, *b))
			return true;
	}
	/* 2: the uniform part: rank(idx) < thresh, in rank order */
	while (it->phase == 2) {
		uint64_t k = it->k++, idx;

		if (k >= (p->sampled ? p->thresh : nn)) {
			it->phase = 3;
			break;
		}
		idx = order_at(k, nn);
		*a = (unsigned)(idx / p->n);
		*b = (unsigned)(idx % p->n);
		if (*a != *b && !fixed_pair(p, *a, *b))
			return true;
	}
	return false;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Counts the chosen pairs, per class too. */
static void count(struct plan *p)
{
	p->chosen = 0;
	for (unsigned c = 0; c < REL_COUNT; c++)
		p->rel_chosen[c] = 0;
	for (unsigned a = 0; a < p->n; a++)
		for (unsigned b = 0; b < p->n; b++)
			if (plan_has(p, a, b)) {
				p->chosen++;
				p->rel_chosen[plan_relation(&p->cpus[a], &p->cpus[b])]++;
			}
}

void plan_make(struct plan *p, unsigned n, const struct plan_cpu *cpus,
	       const struct plan_cost *cost, uint64_t budget_ns, uint64_t max_pairs)
{
	uint64_t fixed = 0, nn = (uint64_t)n * n;

	*p = (struct plan){ .n = n, .cpus = cpus };
	p->total = n > 1 ? (uint64_t)n * (n - 1) : 0;
	/*
	 * One pass: the class of every pair, and per class up to PLAN_PER_REL
	 * representatives, one per slice of source CPUs, each with the nearest
	 * following destination of that class (so they spread over both).
	 */
	for (unsigned a = 0; a < n; a++) {
		unsigned slot = (unsigned)((uint64_t)a * PLAN_PER_REL / n);
		bool took[REL_COUNT] = { false };

		for (unsigned j = 1; j < n; j++) {
			unsigned b = (a + j) % n;
			enum rel r = plan_relation(&cpus[a], &cpus[b]);

			p->rel_total[r]++;
			/* <= slot: a class absent from earlier slices catches up */
			if (!took[r] && p->nrep[r] <= slot && p->nrep[r] < PLAN_PER_REL) {
				p->rep_a[r][p->nrep[r]] = a;
				p->rep_b[r][p->nrep[r]] = b;
				p->nrep[r]++;
				took[r] = true;
			}
		}
	}

	p->want = p->total;
	if (budget_ns && cost->pair_ns)
		p->want = min64(p->want, budget_ns / cost->pair_ns);
	if (budget_ns && cost->pair_bytes)
		p->want = min64(p->want, PLAN_SERIAL_MAX / cost->pair_bytes);
	if (max_pairs)
		p->want = min64(p->want, max_pairs);
	if (p->want >= p->total) {
		p->chosen = p->total;
		for (unsigned c = 0; c < REL_COUNT; c++)
			p->rel_chosen[c] = p->rel_total[c];
		goto est;
	}

	p->sampled = true;
	for (unsigned c = 0; c < REL_COUNT; c++)
		fixed += p->nrep[c];
	/* The boot CPU's row and column when they fit beside the classes. */
	if (fixed + 2ull * (n - 1) <= p->want) {
		p->boot_rowcol = true;
		fixed += 2ull * (n - 1);	/* overlap with the classes: counted below */
	}
	if (p->want > fixed && p->total > fixed)
		p->thresh = (p->want - fixed) * nn / (p->total - fixed);
	count(p);
	/* The uniform part also hits fixed pairs: top it up once. */
	if (p->chosen < p->want && p->thresh) {
		p->thresh += (p->want - p->chosen) * nn / (p->total - fixed);
		count(p);
	}
	for (unsigned tries = 0; tries < 4 && p->chosen > p->want && p->thresh; tries++) {
		uint64_t over = p->chosen - p->want, step = over * nn / p->total;

		p->thresh -= step < 1 ? 1 : step > p->thresh ? p->thresh : step;
		count(p);
		if (p->chosen <= p->want || over <= p->want / 100)
			break;
	}
est:
	p->est_ns = p->chosen * cost->pair_ns;
	p->est_bytes = p->chosen * cost->pair_bytes;
}
