/* SPDX-License-Identifier: MIT */
/* CPU masks (pure). See cpumask.h for which bits each operation looks at. */
#include "core/cpumask.h"
#include "core/fmt.h"

unsigned nr_cpu_ids = NR_CPUS;

/* Bits the queries consider; clamped in case nr_cpu_ids was set too high. */
static size_t mask_bits(void)
{
	return nr_cpu_ids < NR_CPUS ? nr_cpu_ids : NR_CPUS;
}

/* Words holding those bits, and the valid-bit mask of the last one. */
static size_t mask_words(void)
{
	return (mask_bits() + 63) / 64;
}

static uint64_t last_word_mask(void)
{
	size_t r = mask_bits() % 64;

	return r ? (1ull << r) - 1 : ~0ull;
}

/* Word i of m restricted to cpus < nr_cpu_ids (i < mask_words()). */
static uint64_t word(const struct cpumask *m, size_t i)
{
	return i + 1 == mask_words() ? m->bits[i] & last_word_mask() : m->bits[i];
}

size_t find_next_bit(const uint64_t *addr, size_t nbits, size_t start)
{
	size_t i, nwords = (nbits + 63) / 64, r;
	uint64_t w;

	if (start >= nbits)
		return nbits;
	i = start / 64;
	w = addr[i] & (~0ull << (start % 64));
	for (;;) {
		if (w) {
			/* BSF (or REP BSF = TZCNT-or-BSF) on x86-64; w != 0. */
			r = i * 64 + (size_t)__builtin_ctzll(w);
			return r < nbits ? r : nbits;
		}
		if (++i >= nwords)
			return nbits;
		w = addr[i];
	}
}

void cpumask_setall(struct cpumask *m)
{
	size_t i, n = mask_words();

	for (i = 0; i < CPUMASK_WORDS; i++)
		m->bits[i] = i < n ? ~0ull : 0;
	if (n)
		m->bits[n - 1] = last_word_mask();
}

bool cpumask_and(struct cpumask *dst, const struct cpumask *a,
		 const struct cpumask *b)
{
	for (size_t i = 0; i < CPUMASK_WORDS; i++)
		dst->bits[i] = a->bits[i] & b->bits[i];
	return !cpumask_empty(dst);
}

void cpumask_or(struct cpumask *dst, const struct cpumask *a,
		const struct cpumask *b)
{
	for (size_t i = 0; i < CPUMASK_WORDS; i++)
		dst->bits[i] = a->bits[i] | b->bits[i];
}

bool cpumask_andnot(struct cpumask *dst, const struct cpumask *a,
		    const struct cpumask *b)
{
	for (size_t i = 0; i < CPUMASK_WORDS; i++)
		dst->bits[i] = a->bits[i] & ~b->bits[i];
	return !cpumask_empty(dst);
}

bool cpumask_equal(const struct cpumask *a, const struct cpumask *b)
{
	for (size_t i = 0; i < mask_words(); i++)
		if (word(a, i) != word(b, i))
			return false;
	return true;
}

bool cpumask_empty(const struct cpumask *m)
{
	for (size_t i = 0; i < mask_words(); i++)
		if (word(m, i))
			return false;
	return true;
}

/*
 * SWAR bit count (Hacker's Delight 5-1). No POPCNT in the kernel build and
 * __builtin_popcountll could become a libgcc call; GCC only turns this idiom
 * back into popcount when the target has the instruction.
 */
static unsigned popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

unsigned cpumask_weight(const struct cpumask *m)
{
	unsigned n = 0;

	for (size_t i = 0; i < mask_words(); i++)
		n += popcount64(word(m, i));
	return n;
}

unsigned cpumask_first(const struct cpumask *m)
{
	return (unsigned)find_next_bit(m->bits, mask_bits(), 0);
}

unsigned cpumask_next(int n, const struct cpumask *m)
{
	/* n = -1 means "from the start"; below that is a caller bug. */
	size_t start = n < 0 ? 0 : (size_t)n + 1;

	return (unsigned)find_next_bit(m->bits, mask_bits(), start);
}

int cpumask_format(char *buf, size_t size, const struct cpumask *m)
{
	struct fmt_sbuf sb = { .buf = buf, .size = size, .len = 0 };
	size_t nbits = mask_bits(), lo, hi;
	const char *sep = "";

	if (size)
		buf[0] = 0;
	lo = find_next_bit(m->bits, nbits, 0);
	if (lo >= nbits) {
		fmt_to(fmt_sbuf_out, &sb, "none");
		return (int)sb.len;
	}
	while (lo < nbits) {
		/* hi = last cpu of the run starting at lo. */
		hi = lo;
		while (hi + 1 < nbits && cpumask_test_cpu((unsigned)hi + 1, m))
			hi++;
		if (hi == lo)
			fmt_to(fmt_sbuf_out, &sb, "%s%zu", sep, lo);
		else
			fmt_to(fmt_sbuf_out, &sb, "%s%zu-%zu", sep, lo, hi);
		sep = ",";
		lo = find_next_bit(m->bits, nbits, hi + 1);
	}
	return (int)sb.len;
}
