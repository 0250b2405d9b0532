/* SPDX-License-Identifier: MIT */
/*
 * A very small host unit-test framework. Each test is a function; RUN() calls
 * it and prints one TAP-like line, "ok - suite/name" or "not ok - suite/name".
 * scripts/test.sh counts those lines across all test programs.
 *
 *   TEST(parses_iters) { CHECK(x == 1); CHECK_EQ(a, b); }
 *   int main(void) { RUN(parses_iters); return check_done(); }
 */
#ifndef VOLLEY_TESTS_CHECK_H
#define VOLLEY_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed_now;	/* failures inside the running test */
static int check_pass, check_fail;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stdout, "#   %s:%d: CHECK(%s) failed\n",     \
				__FILE__, __LINE__, #cond);                  \
			check_failed_now++;                                  \
		}                                                            \
	} while (0)

#define CHECK_EQ(a, b)                                                       \
	do {                                                                 \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b); \
		if (check_a_ != check_b_) {                                  \
			fprintf(stdout, "#   %s:%d: %s == %s: %lld != %lld\n", \
				__FILE__, __LINE__, #a, #b, check_a_, check_b_); \
			check_failed_now++;                                  \
		}                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *check_a_ = (a), *check_b_ = (b);                 \
		if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_)) {  \
			fprintf(stdout, "#   %s:%d: %s == %s: \"%s\" != \"%s\"\n", \
				__FILE__, __LINE__, #a, #b,                  \
				check_a_ ? check_a_ : "(null)",              \
				check_b_ ? check_b_ : "(null)");             \
			check_failed_now++;                                  \
		}                                                            \
	} while (0)

#define RUN(name) check_run(__FILE__, #name, name)

static inline void check_run(const char *file, const char *name,
			     void (*fn)(void))
{
	const char *suite = strrchr(file, '/');

	check_failed_now = 0;
	fn();
	suite = suite ? suite + 1 : file;
	if (check_failed_now) {
		check_fail++;
		printf("not ok - %s/%s\n", suite, name);
	} else {
		check_pass++;
		printf("ok - %s/%s\n", suite, name);
	}
	fflush(stdout);
}

static inline int check_done(void)
{
	printf("# %d passed, %d failed\n", check_pass, check_fail);
	return check_fail ? 1 : 0;
}

#endif
