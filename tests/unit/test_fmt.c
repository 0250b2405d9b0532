/* SPDX-License-Identifier: MIT */
/* The kernel's printf engine against the C library's, on the same formats. */
#include <stdint.h>
#include <stdio.h>
#include "check.h"
#include "core/fmt.h"
#include "core/str.h"

static char a[256], b[256];

#define SAME(...)                                                           \
	do {                                                                \
		int na = fmt_buf(a, sizeof(a), __VA_ARGS__);                \
		int nb = snprintf(b, sizeof(b), __VA_ARGS__);               \
		CHECK_STR(a, b);                                            \
		CHECK_EQ(na, nb);                                           \
	} while (0)

TEST(integers)
{
	SAME("%d %i %u", -42, 7, 3000000000u);
	SAME("%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX);
	SAME("%lld %llu", -1LL, 18446744073709551615ULL);
	SAME("%x %X %lx %o", 0xdeadbeefu, 0xabcu, 0x123456789abcdefUL, 8u);
	SAME("%zu", (size_t)12345);
	SAME("%d", 0);
}

TEST(widths_and_flags)
{
	SAME("[%5d] [%-5d] [%05d] [%016lx]", 42, 42, -42, 0x3f8UL);
	SAME("[%*d] [%-*u]", 6, -3, 4, 9u);
	SAME("[%8s] [%-8s] [%.3s] [%c]", "ab", "cd", "abcdef", 'z');
	SAME("100%% %s", "done");
}

TEST(pointer)
{
	void *p = (void *)0x1234abcdUL;

	fmt_buf(a, sizeof(a), "%p", p);
	CHECK_STR(a, "0x1234abcd");
}

TEST(truncation_keeps_terminator_and_wanted_length)
{
	char small[8];
	int n = fmt_buf(small, sizeof(small), "%s-%d", "volley", 12345);

	CHECK_EQ(n, 12);
	CHECK_STR(small, "volley-");
	CHECK_EQ(fmt_buf(small, 1, "abc"), 3);
	CHECK_STR(small, "");
}

TEST(strings_helpers)
{
	char d[4];

	CHECK_EQ(str_len("abc"), 3);
	CHECK(str_eq("x", "x") && !str_eq("x", "xy"));
	CHECK_EQ(str_copy(d, "abcdef", sizeof(d)), 3);
	CHECK_STR(d, "abc");
	CHECK_EQ(str_copy(d, "abc", 0), 0);
	CHECK(str_ncmp("abc", "abd", 2) == 0 && str_ncmp("abc", "abd", 3) < 0);
	CHECK_EQ(str_nlen("abcdef", 4), 4);
}

int main(void)
{
	RUN(integers);
	RUN(widths_and_flags);
	RUN(pointer);
	RUN(truncation_keeps_terminator_and_wanted_length);
	RUN(strings_helpers);
	return check_done();
}
