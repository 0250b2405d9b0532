/* SPDX-License-Identifier: MIT */
/*
 * The QR encoder against an independent decoder: each payload is encoded,
 * drawn as a PGM with a 4-module quiet zone and decoded by zbarimg
 * (zbar-tools); the bytes must come back exactly. Payload sizes cover every
 * size class: version 1, the last 8-bit-count version (9), the first 16-bit
 * one (10), the middle, version 40 full, and one byte too many.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"
#include "core/qr.h"

static struct qr q;
static char pgm[64];

static void payload(char *buf, size_t n, unsigned seed)
{
	/* Table-like text: what the kernel puts in the code. */
	static const char text[] = "@table meta\nkey,value\nversion,0123abc\n"
		"cpu_brand,\"QEMU TCG CPU version 2.5+\"\n@end meta rows=2\n";

	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (i / 64) % 2 ? text[i % (sizeof(text) - 1)]
				      : (char)(' ' + (seed >> 16) % 95);
	}
	buf[n] = 0;
}

/* Writes q as a PGM, 3 pixels a module; returns 0. */
static int write_pgm(const char *path)
{
	int px = 3, quiet = 4, side = (q.size + 2 * quiet) * px;
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	fprintf(f, "P5\n%d %d\n255\n", side, side);
	for (int y = 0; y < side; y++)
		for (int x = 0; x < side; x++) {
			int mx = x / px - quiet, my = y / px - quiet;
			bool d = mx >= 0 && my >= 0 && mx < q.size && my < q.size &&
				 qr_module(&q, mx, my);

			fputc(d ? 0 : 255, f);
		}
	return fclose(f);
}

/* zbarimg's bytes for the image, without the newline it adds; NULL on failure. */
static char *decode(const char *path, size_t *n)
{
	static char out[8192];
	char cmd[256];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "zbarimg --quiet --raw -Sdisable -Sqrcode.enable '%s' 2>/dev/null", path);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	*n = fread(out, 1, sizeof(out) - 1, p);
	if (pclose(p) != 0)
		return NULL;
	if (*n && out[*n - 1] == '\n')
		(*n)--;
	out[*n] = 0;
	return out;
}

static void roundtrip(size_t len, int want_version)
{
	static char buf[4096];
	size_t n = 0;
	char *got;

	payload(buf, len, (unsigned)len);
	CHECK_EQ(qr_encode((const uint8_t *)buf, len, QR_VERSION_MAX, &q), 0);
	if (want_version)
		CHECK_EQ(q.version, want_version);
	CHECK_EQ(q.size, 17 + 4 * q.version);
	CHECK(q.mask >= 0 && q.mask < 8);
	CHECK_EQ(write_pgm(pgm), 0);
	got = decode(pgm, &n);
	CHECK(got != NULL);
	if (!got)
		return;
	CHECK_EQ(n, len);
	CHECK(n == len && memcmp(got, buf, len) == 0);
}

TEST(capacities_at_level_m)
{
	CHECK_EQ(qr_capacity(1), 14);
	CHECK_EQ(qr_capacity(2), 26);
	CHECK_EQ(qr_capacity(9), 180);
	CHECK_EQ(qr_capacity(10), 213);
	CHECK_EQ(qr_capacity(20), 666);
	CHECK_EQ(qr_capacity(40), 2331);
	CHECK_EQ(qr_capacity(0), 0);
	CHECK_EQ(qr_capacity(41), 0);
}

TEST(zbar_decodes_version_1) { roundtrip(1, 1); roundtrip(14, 1); }
TEST(zbar_decodes_version_2_to_9) { roundtrip(15, 2); roundtrip(100, 0); roundtrip(180, 9); }
TEST(zbar_decodes_16_bit_counts) { roundtrip(181, 10); roundtrip(213, 10); roundtrip(214, 11); }
TEST(zbar_decodes_middle_versions)
{
	/* every version from 11 to 40 once */
	for (int v = 11; v <= 40; v++)
		roundtrip(qr_capacity(v), v);
}
TEST(zbar_decodes_version_40_full) { roundtrip(2331, 40); }

TEST(too_long_is_refused)
{
	static uint8_t buf[2400];

	memset(buf, 'a', sizeof(buf));
	CHECK_EQ(qr_encode(buf, 2332, QR_VERSION_MAX, &q), -1);
	CHECK_EQ(qr_encode(buf, 100, 5, &q), -1);	/* version 5 holds 84 */
	CHECK_EQ(qr_encode(buf, 84, 5, &q), 0);
	CHECK_EQ(q.version, 5);
}

int main(void)
{
	snprintf(pgm, sizeof(pgm), "/tmp/volley-test-qr.%d.pgm", (int)getpid());
	RUN(capacities_at_level_m);
	RUN(zbar_decodes_version_1);
	RUN(zbar_decodes_version_2_to_9);
	RUN(zbar_decodes_16_bit_counts);
	RUN(zbar_decodes_middle_versions);
	RUN(zbar_decodes_version_40_full);
	RUN(too_long_is_refused);
	unlink(pgm);
	return check_done();
}
