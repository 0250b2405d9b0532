// SPDX-License-Identifier: MIT OR GPL-2.0
/*
 * 128-bit division for core/stats.c inside the module: gcc calls __udivti3
 * for unsigned __int128 '/', which volley's kernel takes from libgcc and
 * the Linux kernel does not provide. Shift-and-subtract; the callers divide
 * a few times per stats row.
 */
#include <linux/types.h>

typedef unsigned __int128 u128;

u128 __udivti3(u128 n, u128 d);
u128 __umodti3(u128 n, u128 d);
__int128 __divti3(__int128 n, __int128 d);

static u128 divmod(u128 n, u128 d, u128 *rem)
{
	u128 q = 0, r = 0;
	int i;

	if (!(n >> 64) && !(d >> 64)) {
		*rem = (u64)n % (u64)d;
		return (u64)n / (u64)d;
	}
	for (i = 127; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= (u128)1 << i;
		}
	}
	*rem = r;
	return q;
}

u128 __udivti3(u128 n, u128 d)
{
	u128 r;

	return divmod(n, d, &r);
}

u128 __umodti3(u128 n, u128 d)
{
	u128 r;

	divmod(n, d, &r);
	return r;
}

/* gcc names it for stats.c's object although no signed division is done there. */
__int128 __divti3(__int128 n, __int128 d)
{
	bool neg = (n < 0) != (d < 0);
	u128 r, q = divmod(n < 0 ? -(u128)n : (u128)n, d < 0 ? -(u128)d : (u128)d, &r);

	return neg ? -(__int128)q : (__int128)q;
}
