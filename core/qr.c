/* SPDX-License-Identifier: MIT */
#include "qr.h"
#include "str.h"

/* ISO/IEC 18004 table 9, level M: error-correction codewords per block and blocks. */
static const uint8_t ecc_per_block[QR_VERSION_MAX + 1] = { 0,
	10, 16, 26, 18, 24, 16, 18, 22, 22, 26,
	30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
	26, 28, 28, 28, 28, 28, 28, 28, 28, 28,
	28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
};
static const uint8_t nblocks[QR_VERSION_MAX + 1] = { 0,
	1, 1, 1, 2, 2, 4, 4, 4, 5, 5,
	5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
	17, 17, 18, 20, 21, 23, 25, 26, 28, 29,
	31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
};
#define FORMAT_LEVEL_M	0	/* the two level bits of the format information */

/* Data modules of a version: everything but the function patterns. */
static int raw_modules(int v)
{
	int r = (16 * v + 128) * v + 64;

	if (v >= 2) {
		int n = v / 7 + 2;

		r -= (25 * n - 10) * n - 55;	/* alignment patterns, less timing overlap */
		if (v >= 7)
			r -= 36;		/* two version blocks */
	}
	return r;
}

static int data_codewords(int v)
{
	return raw_modules(v) / 8 - ecc_per_block[v] * nblocks[v];
}

size_t qr_capacity(int v)
{
	if (v < 1 || v > QR_VERSION_MAX)
		return 0;
	/* mode (4 bits) and count (8 bits below version 10, else 16) */
	return (size_t)(data_codewords(v) * 8 - 4 - (v < 10 ? 8 : 16)) / 8;
}

/* ---- Reed-Solomon over GF(256), polynomial x^8+x^4+x^3+x^2+1 -------------- */
static uint8_t gf_mul(uint8_t a, uint8_t b)
{
	unsigned r = 0;

	for (int i = 7; i >= 0; i--) {
		r = (r << 1) ^ ((r >> 7) * 0x11d);
		r ^= ((b >> i) & 1) * a;
	}
	return (uint8_t)r;
}

/* Generator (x - a^0)...(x - a^(n-1)), leading 1 dropped, highest first. */
static void rs_generator(int n, uint8_t *g)
{
	uint8_t root = 1;

	mem_set(g, 0, (size_t)n);
	g[n - 1] = 1;
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++) {
			g[j] = gf_mul(g[j], root);
			if (j + 1 < n)
				g[j] ^= g[j + 1];
		}
		root = gf_mul(root, 2);
	}
}

static void rs_remainder(const uint8_t *d, int len, const uint8_t *g, int n, uint8_t *r)
{
	mem_set(r, 0, (size_t)n);
	for (int i = 0; i < len; i++) {
		uint8_t f = d[i] ^ r[0];

		mem_copy(r, r + 1, (size_t)n - 1);
		r[n - 1] = 0;
		for (int j = 0; j < n; j++)
			r[j] ^= gf_mul(g[j], f);
	}
}

/* ---- function patterns ------------------------------------------------------ */
static void set(struct qr *q, int x, int y, bool dark, bool func)
{
	q->dark[y * q->size + x] = dark;
	if (func)
		q->func[y * q->size + x] = 1;
}

static void finder(struct qr *q, int cx, int cy)
{
	for (int dy = -4; dy <= 4; dy++)
		for (int dx = -4; dx <= 4; dx++) {
			int x = cx + dx, y = cy + dy, d;

			if (x < 0 || y < 0 || x >= q->size || y >= q->size)
				continue;
			d = dx < 0 ? -dx : dx;
			if ((dy < 0 ? -dy : dy) > d)
				d = dy < 0 ? -dy : dy;
			set(q, x, y, d != 2 && d != 4, true);	/* rings 0,1,3 dark */
		}
}

static void alignment(struct qr *q, int cx, int cy)
{
	for (int dy = -2; dy <= 2; dy++)
		for (int dx = -2; dx <= 2; dx++) {
			int d = dx < 0 ? -dx : dx;

			if ((dy < 0 ? -dy : dy) > d)
				d = dy < 0 ? -dy : dy;
			set(q, cx + dx, cy + dy, d != 1, true);
		}
}

/* Alignment pattern centres (annex E): 6, then evenly spaced to size - 7. */
static int align_positions(int v, int *pos)
{
	int n, step, size = qr_size(v);

	if (v == 1)
		return 0;
	n = v / 7 + 2;
	step = v == 32 ? 26 : (v * 4 + n * 2 + 1) / (n * 2 - 2) * 2;
	pos[0] = 6;
	for (int i = n - 1, p = size - 7; i >= 1; i--, p -= step)
		pos[i] = p;
	return n;
}

/* BCH(15,5) format information, masked with 0x5412 (7.9). */
static void format_bits(struct qr *q, int mask)
{
	int data = FORMAT_LEVEL_M << 3 | mask, rem = data, bits, s = q->size;

	for (int i = 0; i < 10; i++)
		rem = (rem << 1) ^ ((rem >> 9) * 0x537);
	bits = (data << 10 | rem) ^ 0x5412;
#define BIT(i) ((bits >> (i)) & 1)
	for (int i = 0; i <= 5; i++)
		set(q, 8, i, BIT(i), true);
	set(q, 8, 7, BIT(6), true);
	set(q, 8, 8, BIT(7), true);
	set(q, 7, 8, BIT(8), true);
	for (int i = 9; i < 15; i++)
		set(q, 14 - i, 8, BIT(i), true);
	for (int i = 0; i < 8; i++)
		set(q, s - 1 - i, 8, BIT(i), true);
	for (int i = 8; i < 15; i++)
		set(q, 8, s - 15 + i, BIT(i), true);
	set(q, 8, s - 8, true, true);		/* the dark module */
#undef BIT
}

/* BCH(18,6) version information, versions 7 and up (7.10). */
static void version_bits(struct qr *q)
{
	int rem = q->version;
	long bits;

	if (q->version < 7)
		return;
	for (int i = 0; i < 12; i++)
		rem = (rem << 1) ^ ((rem >> 11) * 0x1f25);
	bits = (long)q->version << 12 | rem;
	for (int i = 0; i < 18; i++) {
		int a = q->size - 11 + i % 3, b = i / 3;
		bool d = (bits >> i) & 1;

		set(q, a, b, d, true);
		set(q, b, a, d, true);
	}
}

static void function_patterns(struct qr *q)
{
	int pos[7], n, s = q->size;

	for (int i = 0; i < s; i++) {
		set(q, 6, i, i % 2 == 0, true);	/* timing */
		set(q, i, 6, i % 2 == 0, true);
	}
	finder(q, 3, 3);
	finder(q, s - 4, 3);
	finder(q, 3, s - 4);
	n = align_positions(q->version, pos);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			if (!((i == 0 && j == 0) || (i == 0 && j == n - 1) ||
			      (i == n - 1 && j == 0)))
				alignment(q, pos[i], pos[j]);
	format_bits(q, 0);	/* reserve the area; rewritten with the mask */
	version_bits(q);
}

/* ---- data --------------------------------------------------------------------- */
static void put_bits(uint8_t *buf, int *bitpos, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--, (*bitpos)++)
		if ((v >> i) & 1)
			buf[*bitpos >> 3] |= 0x80 >> (*bitpos & 7);
}

/* Data codewords with their error correction, interleaved (7.6) into q->out. */
static void codewords(struct qr *q, const uint8_t *bytes, size_t len)
{
	int v = q->version, nd = data_codewords(v), bit = 0;
	int nb = nblocks[v], ecc = ecc_per_block[v];
	int raw = raw_modules(v) / 8, nshort = nb - raw % nb, short_len = raw / nb;
	uint8_t gen[30], rem[30];
	int k = 0;

	mem_set(q->data, 0, sizeof(q->data));
	put_bits(q->data, &bit, 0x4, 4);			/* byte mode */
	put_bits(q->data, &bit, (unsigned)len, v < 10 ? 8 : 16);
	for (size_t i = 0; i < len; i++)
		put_bits(q->data, &bit, bytes[i], 8);
	bit += 4;						/* terminator */
	if (bit > nd * 8)
		bit = nd * 8;
	for (int i = (bit + 7) / 8, pad = 0xec; i < nd; i++, pad ^= 0xec ^ 0x11)
		q->data[i] = (uint8_t)pad;

	/* Block b holds short_len - ecc data codewords, one more for the long ones. */
	rs_generator(ecc, gen);
	for (int i = 0; i < short_len - ecc + 1; i++)
		for (int b = 0, off = 0; b < nb; b++) {
			int dlen = short_len - ecc + (b >= nshort);

			if (i < dlen)
				q->out[k++] = q->data[off + i];
			off += dlen;
		}
	for (int b = 0, off = 0; b < nb; b++) {
		int dlen = short_len - ecc + (b >= nshort);

		rs_remainder(q->data + off, dlen, gen, ecc, rem);
		for (int i = 0; i < ecc; i++)
			q->out[k + i * nb + b] = rem[i];
		off += dlen;
	}
}

/* Zigzag placement (7.7.3): two-module columns from the right, up and down. */
static void place(struct qr *q)
{
	int s = q->size, nbits = raw_modules(q->version) / 8 * 8, i = 0;

	for (int right = s - 1; right >= 1; right -= 2) {
		if (right == 6)
			right = 5;		/* skip the vertical timing pattern */
		for (int vert = 0; vert < s; vert++)
			for (int j = 0; j < 2; j++) {
				int x = right - j;
				bool up = ((right + 1) & 2) == 0;
				int y = up ? s - 1 - vert : vert;

				if (q->func[y * s + x])
					continue;
				if (i < nbits) {
					q->dark[y * s + x] = (q->out[i >> 3] >> (7 - (i & 7))) & 1;
					i++;
				} else {
					q->dark[y * s + x] = 0;	/* remainder bits */
				}
			}
	}
}

static bool mask_bit(int m, int x, int y)
{
	switch (m) {
	case 0: return (x + y) % 2 == 0;
	case 1: return y % 2 == 0;
	case 2: return x % 3 == 0;
	case 3: return (x + y) % 3 == 0;
	case 4: return (x / 3 + y / 2) % 2 == 0;
	case 5: return x * y % 2 + x * y % 3 == 0;
	case 6: return (x * y % 2 + x * y % 3) % 2 == 0;
	default: return ((x + y) % 2 + x * y % 3) % 2 == 0;
	}
}

static void apply_mask(struct qr *q, int m)
{
	for (int y = 0; y < q->size; y++)
		for (int x = 0; x < q->size; x++)
			if (!q->func[y * q->size + x] && mask_bit(m, x, y))
				q->dark[y * q->size + x] ^= 1;
}

static int at(const struct qr *q, int x, int y, bool transpose)
{
	if (x < 0 || y < 0 || x >= q->size || y >= q->size)
		return 0;
	return transpose ? q->dark[x * q->size + y] : q->dark[y * q->size + x];
}

/* Penalty (7.8.3): runs, 2x2 blocks, finder look-alikes, dark balance. */
static long penalty(const struct qr *q)
{
	static const int finder_like[11] = { 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0 };
	int s = q->size;
	long p = 0, dark = 0;

	for (int t = 0; t < 2; t++)
		for (int y = 0; y < s; y++) {
			int run = 0, prev = -1;

			for (int x = 0; x < s; x++) {
				int c = at(q, x, y, t);

				if (c == prev) {
					if (++run == 5)
						p += 3;
					else if (run > 5)
						p++;
				} else {
					prev = c;
					run = 1;
				}
			}
			for (int x = -4; x < s; x++) {
				bool fwd = true, back = true;

				for (int k = 0; k < 11; k++) {
					fwd = fwd && at(q, x + k, y, t) == finder_like[k];
					back = back && at(q, x + k, y, t) == finder_like[10 - k];
				}
				p += 40 * (fwd + back);
			}
		}
	for (int y = 0; y + 1 < s; y++)
		for (int x = 0; x + 1 < s; x++) {
			int c = at(q, x, y, false);

			if (c == at(q, x + 1, y, false) && c == at(q, x, y + 1, false) &&
			    c == at(q, x + 1, y + 1, false))
				p += 3;
		}
	for (int i = 0; i < s * s; i++)
		dark += q->dark[i];
	{
		long total = (long)s * s, dev = dark * 20 - total * 10;
		long k;

		if (dev < 0)
			dev = -dev;
		k = (dev + total - 1) / total - 1;
		if (k > 0)
			p += k * 10;
	}
	return p;
}

int qr_encode(const uint8_t *bytes, size_t len, int max_version, struct qr *q)
{
	int v, best = 0;
	long best_p = -1;

	if (max_version > QR_VERSION_MAX)
		max_version = QR_VERSION_MAX;
	for (v = 1; v <= max_version && qr_capacity(v) < len; v++)
		;
	if (v > max_version)
		return -1;
	q->version = v;
	q->size = qr_size(v);
	mem_set(q->dark, 0, sizeof(q->dark));
	mem_set(q->func, 0, sizeof(q->func));
	function_patterns(q);
	codewords(q, bytes, len);
	place(q);
	for (int m = 0; m < 8; m++) {
		long p;

		apply_mask(q, m);
		format_bits(q, m);
		p = penalty(q);
		if (best_p < 0 || p < best_p) {
			best_p = p;
			best = m;
		}
		apply_mask(q, m);	/* XOR again: undone */
	}
	apply_mask(q, best);
	format_bits(q, best);
	q->mask = best;
	return 0;
}
