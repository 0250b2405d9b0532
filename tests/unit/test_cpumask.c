/* SPDX-License-Identifier: MIT */
/* Host tests for core/cpumask.c: word boundaries, nr_cpu_ids limits, atomics. */
#include <pthread.h>
#include <stdlib.h>

#include "core/cpumask.h"
#include "tests/unit/check.h"

static unsigned naive_weight(const struct cpumask *m, unsigned n)
{
	unsigned w = 0;

	for (unsigned i = 0; i < n; i++)
		w += (m->bits[i / 64] >> (i % 64)) & 1;
	return w;
}

TEST(set_test_clear_word_boundaries)
{
	static const unsigned cpus[] = { 0, 1, 62, 63, 64, 65, 127, 128,
					 NR_CPUS - 2, NR_CPUS - 1 };
	struct cpumask m;

	nr_cpu_ids = NR_CPUS;
	cpumask_clear(&m);
	for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		CHECK(!cpumask_test_cpu(cpus[i], &m));
		cpumask_set_cpu(cpus[i], &m);
		CHECK(cpumask_test_cpu(cpus[i], &m));
		CHECK_EQ(cpumask_weight(&m), i + 1);
	}
	CHECK_EQ(m.bits[0], 0x8000000000000003ull | (1ull << 62));
	CHECK_EQ(m.bits[1], 0x8000000000000003ull);
	CHECK_EQ(m.bits[2], 1);
	CHECK_EQ(m.bits[CPUMASK_WORDS - 1], 0xc000000000000000ull);
	/* Neighbours untouched. */
	CHECK(!cpumask_test_cpu(2, &m));
	CHECK(!cpumask_test_cpu(66, &m));
	CHECK(!cpumask_test_cpu(129, &m));

	cpumask_clear_cpu(64, &m);
	CHECK(!cpumask_test_cpu(64, &m));
	CHECK(cpumask_test_cpu(63, &m));
	CHECK(cpumask_test_cpu(65, &m));
	cpumask_clear_cpu(NR_CPUS - 1, &m);
	CHECK(!cpumask_test_cpu(NR_CPUS - 1, &m));
	CHECK(cpumask_test_cpu(NR_CPUS - 2, &m));
	CHECK_EQ(cpumask_weight(&m), 8);
}

TEST(out_of_range_cpus_are_ignored)
{
	struct cpumask m, zero;

	nr_cpu_ids = NR_CPUS;
	cpumask_clear(&m);
	cpumask_clear(&zero);
	cpumask_set_cpu(NR_CPUS, &m);
	cpumask_set_cpu(NR_CPUS + 64, &m);
	cpumask_set_cpu_atomic(NR_CPUS, &m);
	CHECK(!cpumask_test_and_set_cpu_atomic(NR_CPUS, &m));
	CHECK(!memcmp(&m, &zero, sizeof(m)));
	CHECK(!cpumask_test_cpu(NR_CPUS, &m));
	CHECK(!cpumask_test_cpu(~0u, &m));
	cpumask_setall(&m);
	cpumask_clear_cpu(NR_CPUS, &m);
	cpumask_clear_cpu_atomic(NR_CPUS + 1, &m);
	CHECK_EQ(cpumask_weight(&m), NR_CPUS);
}

TEST(test_and_set)
{
	struct cpumask m;

	nr_cpu_ids = NR_CPUS;
	cpumask_clear(&m);
	CHECK(!cpumask_test_and_set_cpu(64, &m));
	CHECK(cpumask_test_and_set_cpu(64, &m));
	CHECK(!cpumask_test_and_set_cpu_atomic(63, &m));
	CHECK(cpumask_test_and_set_cpu_atomic(63, &m));
	CHECK(cpumask_test_cpu_atomic(63, &m));
	CHECK(!cpumask_test_cpu_atomic(65, &m));
	CHECK_EQ(cpumask_weight(&m), 2);
	cpumask_clear_cpu_atomic(63, &m);
	CHECK(!cpumask_test_cpu(63, &m));
	CHECK(cpumask_test_cpu(64, &m));
}

TEST(setall_follows_nr_cpu_ids)
{
	static const unsigned ns[] = { 1, 63, 64, 65, 128, 1000, NR_CPUS };
	struct cpumask m;

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		nr_cpu_ids = ns[i];
		memset(&m, 0xa5, sizeof(m));
		cpumask_setall(&m);
		/* Count over all NR_CPUS bits: nothing beyond nr_cpu_ids. */
		CHECK_EQ(naive_weight(&m, NR_CPUS), ns[i]);
		CHECK(cpumask_test_cpu(ns[i] - 1, &m));
		CHECK(!cpumask_test_cpu(ns[i], &m));
		CHECK_EQ(cpumask_weight(&m), ns[i]);
		CHECK_EQ(cpumask_first(&m), 0);
	}
	nr_cpu_ids = NR_CPUS;
}

TEST(queries_ignore_bits_beyond_nr_cpu_ids)
{
	struct cpumask m, e;

	nr_cpu_ids = NR_CPUS;
	cpumask_clear(&m);
	cpumask_clear(&e);
	cpumask_set_cpu(65, &m);
	cpumask_set_cpu(200, &m);
	nr_cpu_ids = 65;	/* 65 is just outside */
	CHECK(cpumask_empty(&m));
	CHECK_EQ(cpumask_weight(&m), 0);
	CHECK(cpumask_first(&m) >= nr_cpu_ids);
	CHECK(cpumask_equal(&m, &e));
	nr_cpu_ids = 66;
	CHECK(!cpumask_empty(&m));
	CHECK_EQ(cpumask_weight(&m), 1);
	CHECK_EQ(cpumask_first(&m), 65);
	CHECK(cpumask_next(65, &m) >= nr_cpu_ids);
	CHECK(!cpumask_equal(&m, &e));
	/* A too-large nr_cpu_ids is clamped, not read past the array. */
	nr_cpu_ids = NR_CPUS * 4;
	CHECK_EQ(cpumask_weight(&m), 2);
	CHECK_EQ(cpumask_next(200, &m), NR_CPUS);
	nr_cpu_ids = NR_CPUS;
}

TEST(first_next_for_each)
{
	static const unsigned want[] = { 0, 63, 64, 65, 127, 128, 700,
					 NR_CPUS - 1 };
	unsigned got[16], n = 0, cpu;
	struct cpumask m;

	nr_cpu_ids = NR_CPUS;
	cpumask_clear(&m);
	CHECK_EQ(cpumask_first(&m), NR_CPUS);
	for_each_cpu(cpu, &m)
		n++;
	CHECK_EQ(n, 0);

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cpumask_set_cpu(want[i], &m);
	for_each_cpu(cpu, &m) {
		if (n < 16)
			got[n] = cpu;
		n++;
	}
	CHECK_EQ(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n && i < 16; i++)
		CHECK_EQ(got[i], want[i]);
	CHECK_EQ(cpumask_next(-1, &m), 0);
	CHECK_EQ(cpumask_next(0, &m), 63);
	CHECK_EQ(cpumask_next(62, &m), 63);
	CHECK_EQ(cpumask_next(63, &m), 64);
	CHECK_EQ(cpumask_next(128, &m), 700);
	CHECK_EQ(cpumask_next(NR_CPUS - 2, &m), NR_CPUS - 1);
	CHECK(cpumask_next(NR_CPUS - 1, &m) >= nr_cpu_ids);

	cpumask_clear_cpu(0, &m);
	CHECK_EQ(cpumask_first(&m), 63);
}

TEST(find_next_bit_edges)
{
	uint64_t b[3] = { 0, 0, 0 };

	CHECK_EQ(find_next_bit(b, 192, 0), 192);
	CHECK_EQ(find_next_bit(b, 0, 0), 0);
	b[1] = 1ull << 5;	/* bit 69 */
	b[2] = 1ull << 63;	/* bit 191 */
	CHECK_EQ(find_next_bit(b, 192, 0), 69);
	CHECK_EQ(find_next_bit(b, 192, 69), 69);
	CHECK_EQ(find_next_bit(b, 192, 70), 191);
	CHECK_EQ(find_next_bit(b, 192, 191), 191);
	CHECK_EQ(find_next_bit(b, 192, 192), 192);
	CHECK_EQ(find_next_bit(b, 192, 5000), 192);
	/* A set bit beyond nbits inside the last word does not count. */
	CHECK_EQ(find_next_bit(b, 100, 70), 100);
	CHECK_EQ(find_next_bit(b, 69, 0), 69);
	CHECK_EQ(find_next_bit(b, 70, 0), 69);
	/* nbits = 64 must not look at word 1. */
	CHECK_EQ(find_next_bit(b, 64, 0), 64);
}

TEST(weight_matches_naive_count)
{
	struct cpumask m;

	nr_cpu_ids = NR_CPUS;
	srand(12345);
	for (int round = 0; round < 200; round++) {
		for (int i = 0; i < CPUMASK_WORDS; i++)
			m.bits[i] = (uint64_t)rand() << 42 ^
				    (uint64_t)rand() << 21 ^ (uint64_t)rand() ^
				    (round & 1 ? ~0ull << (round % 64) : 0);
		CHECK_EQ(cpumask_weight(&m), naive_weight(&m, NR_CPUS));
	}
	memset(&m, 0xff, sizeof(m));
	CHECK_EQ(cpumask_weight(&m), NR_CPUS);
	nr_cpu_ids = 100;
	CHECK_EQ(cpumask_weight(&m), 100);
	nr_cpu_ids = NR_CPUS;
}

TEST(set_operations)
{
	struct cpumask a, b, d, c;

	nr_cpu_ids = NR_CPUS;
	cpumask_clear(&a);
	cpumask_clear(&b);
	cpumask_set_cpu(1, &a);
	cpumask_set_cpu(64, &a);
	cpumask_set_cpu(1023, &a);
	cpumask_set_cpu(64, &b);
	cpumask_set_cpu(500, &b);

	CHECK(cpumask_and(&d, &a, &b));
	CHECK_EQ(cpumask_weight(&d), 1);
	CHECK(cpumask_test_cpu(64, &d));

	cpumask_or(&d, &a, &b);
	CHECK_EQ(cpumask_weight(&d), 4);
	CHECK(cpumask_test_cpu(500, &d) && cpumask_test_cpu(1023, &d));

	CHECK(cpumask_andnot(&d, &a, &b));
	CHECK_EQ(cpumask_weight(&d), 2);
	CHECK(!cpumask_test_cpu(64, &d));
	CHECK(cpumask_test_cpu(1, &d) && cpumask_test_cpu(1023, &d));

	CHECK(!cpumask_andnot(&d, &a, &a));
	CHECK(cpumask_empty(&d));
	cpumask_clear_cpu(64, &b);
	CHECK(!cpumask_and(&d, &a, &b));
	CHECK(cpumask_empty(&d));

	cpumask_copy(&c, &a);
	CHECK(cpumask_equal(&c, &a));
	cpumask_set_cpu(1022, &c);
	CHECK(!cpumask_equal(&c, &a));
	CHECK(!cpumask_empty(&a));
}

static void fmt_of(const char *want, const unsigned *cpus, size_t n)
{
	struct cpumask m;
	char buf[256];

	cpumask_clear(&m);
	for (size_t i = 0; i < n; i++)
		cpumask_set_cpu(cpus[i], &m);
	CHECK_EQ(cpumask_format(buf, sizeof(buf), &m), strlen(want));
	CHECK_STR(buf, want);
}

TEST(format_ranges)
{
	static const unsigned c1[] = { 0, 1, 2, 3, 8, 10, 11 };
	static const unsigned c2[] = { 63, 64, 65 };
	static const unsigned c3[] = { 5 };
	static const unsigned c4[] = { 0, 2, 4, 1023 };
	static const unsigned c5[] = { 1022, 1023 };
	struct cpumask m;
	char buf[64];

	nr_cpu_ids = NR_CPUS;
	fmt_of("none", NULL, 0);
	fmt_of("0-3,8,10-11", c1, 7);
	fmt_of("63-65", c2, 3);
	fmt_of("5", c3, 1);
	fmt_of("0,2,4,1023", c4, 4);
	fmt_of("1022-1023", c5, 2);

	cpumask_setall(&m);
	CHECK_EQ(cpumask_format(buf, sizeof(buf), &m), 6);
	CHECK_STR(buf, "0-1023");

	/* A run is cut at nr_cpu_ids. */
	nr_cpu_ids = 65;
	CHECK_EQ(cpumask_format(buf, sizeof(buf), &m), 4);
	CHECK_STR(buf, "0-64");
	nr_cpu_ids = NR_CPUS;

	/* Truncation: terminated, returns the wanted length. */
	cpumask_clear(&m);
	for (unsigned i = 0; i < 1024; i += 2)
		cpumask_set_cpu(i, &m);
	CHECK(cpumask_format(buf, 8, &m) > 8);
	CHECK_STR(buf, "0,2,4,6");
	CHECK_EQ(cpumask_format(buf, 1, &m), cpumask_format(NULL, 0, &m));
	CHECK_STR(buf, "");
	cpumask_clear(&m);
	CHECK_EQ(cpumask_format(buf, 3, &m), 4);
	CHECK_STR(buf, "no");
}

/* Threads flip their own bits in shared words; a non-atomic RMW loses some. */
#define NTHREADS 8
#define FLIPS 200000
static struct cpumask shared;

static void *flipper(void *arg)
{
	unsigned t = (unsigned)(uintptr_t)arg;

	for (int i = 0; i < FLIPS; i++) {
		for (unsigned c = t; c < 128; c += NTHREADS)
			cpumask_set_cpu_atomic(c, &shared);
		for (unsigned c = t; c < 128; c += NTHREADS)
			if (i + 1 < FLIPS || c % 2)
				cpumask_clear_cpu_atomic(c, &shared);
	}
	return NULL;
}

TEST(atomic_ops_under_contention)
{
	pthread_t th[NTHREADS];

	nr_cpu_ids = NR_CPUS;
	cpumask_clear(&shared);
	for (unsigned t = 0; t < NTHREADS; t++)
		pthread_create(&th[t], NULL, flipper, (void *)(uintptr_t)t);
	for (unsigned t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	/* Every thread leaves its even cpus set and odd ones clear. */
	CHECK_EQ(shared.bits[0], 0x5555555555555555ull);
	CHECK_EQ(shared.bits[1], 0x5555555555555555ull);
	CHECK_EQ(cpumask_weight(&shared), 64);
}

int main(void)
{
	RUN(set_test_clear_word_boundaries);
	RUN(out_of_range_cpus_are_ignored);
	RUN(test_and_set);
	RUN(setall_follows_nr_cpu_ids);
	RUN(queries_ignore_bits_beyond_nr_cpu_ids);
	RUN(first_next_for_each);
	RUN(find_next_bit_edges);
	RUN(weight_matches_naive_count);
	RUN(set_operations);
	RUN(format_ranges);
	RUN(atomic_ops_under_contention);
	return check_done();
}
