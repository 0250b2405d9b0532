/* SPDX-License-Identifier: MIT */
/*
 * The compiler may emit calls to memcpy/memset/memmove/memcmp even in a
 * freestanding kernel (struct copies, zeroing); provide them.
 */
#include <stddef.h>
#include "str.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
	return mem_copy(dst, src, n);
}

void *memset(void *dst, int c, size_t n)
{
	return mem_set(dst, c, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s)
		return mem_copy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	return mem_cmp(a, b, n);
}
