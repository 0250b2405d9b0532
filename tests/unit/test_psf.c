/* SPDX-License-Identifier: MIT */
/* PSF1/PSF2 parsing and Unicode lookup on crafted fonts (scripts/psf2c.c's input). */
#include <stdint.h>
#include "check.h"
#include "core/psf.h"

static uint8_t buf[8192];

static void put16(uint8_t *p, unsigned v) { p[0] = v & 0xff; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = v >> (8 * i); }

/* 256 glyphs of 8x4; glyph g's first byte is g; table maps glyph g to 'A'+g... */
static size_t psf1(bool with_table)
{
	size_t n = 4;

	buf[0] = PSF1_MAGIC0, buf[1] = PSF1_MAGIC1;
	buf[2] = with_table ? PSF1_MODEHASTAB : 0;
	buf[3] = 4;
	for (unsigned g = 0; g < 256; g++) {
		memset(buf + n, 0, 4);
		buf[n] = (uint8_t)g;
		n += 4;
	}
	if (!with_table)
		return n;
	for (unsigned g = 0; g < 256; g++) {
		if (g == 1) {
			/* glyph 1: a sequence "x" + combining mark first: not a match for 'x' */
			put16(buf + n, PSF1_STARTSEQ); n += 2;
			put16(buf + n, 'x'); n += 2;
			put16(buf + n, 0x301); n += 2;
		} else if (g == 2) {
			put16(buf + n, 'x'); n += 2;
			put16(buf + n, 0x2500); n += 2;	/* two code points, one glyph */
		} else if (g >= 3 && g < 3 + 26) {
			put16(buf + n, 'a' + g - 3); n += 2;
		}
		put16(buf + n, PSF1_SEPARATOR); n += 2;
	}
	return n;
}

TEST(psf1_table)
{
	struct psf_font f;
	char err[80];
	size_t n = psf1(true);

	CHECK_EQ(psf_parse(buf, n, &f, err, sizeof(err)), 0);
	CHECK_EQ(f.width, 8);
	CHECK_EQ(f.height, 4);
	CHECK_EQ(f.stride, 1);
	CHECK_EQ(f.nglyphs, 256);
	CHECK(!f.psf2);
	CHECK_EQ(psf_glyph_for(&f, 'x'), 2);
	CHECK_EQ(psf_glyph_for(&f, 0x2500), 2);
	CHECK_EQ(psf_glyph_for(&f, 'a'), 3);
	CHECK_EQ(psf_glyph_for(&f, 'z'), 28);
	CHECK_EQ(psf_glyph_for(&f, 'A'), -1);
	CHECK_EQ(f.glyphs[28 * f.glyph_bytes], 28);
}

TEST(psf1_no_table_is_identity)
{
	struct psf_font f;
	char err[80];
	size_t n = psf1(false);

	CHECK_EQ(psf_parse(buf, n, &f, err, sizeof(err)), 0);
	CHECK(!f.table);
	CHECK_EQ(psf_glyph_for(&f, 'A'), 'A');
	CHECK_EQ(psf_glyph_for(&f, 300), -1);
}

TEST(psf1_truncated)
{
	struct psf_font f;
	char err[80];

	psf1(false);
	CHECK_EQ(psf_parse(buf, 4 + 255 * 4, &f, err, sizeof(err)), -1);
	CHECK(strstr(err, "shorter") != NULL);
	buf[1] = 0;
	CHECK_EQ(psf_parse(buf, 4 + 256 * 4, &f, err, sizeof(err)), -1);
	CHECK(strstr(err, "magic") != NULL);
}

/* PSF2, 10x3 (2 bytes a row), 3 glyphs, UTF-8 table. */
static size_t psf2(uint32_t charsize)
{
	size_t n = 32;

	memset(buf, 0, sizeof(buf));
	put32(buf, PSF2_MAGIC);
	put32(buf + 8, 32);
	put32(buf + 12, PSF2_HAS_UNICODE_TABLE);
	put32(buf + 16, 3);
	put32(buf + 20, charsize);
	put32(buf + 24, 3);
	put32(buf + 28, 10);
	for (unsigned g = 0; g < 3; g++) {
		buf[n] = 0xa0 + g;
		n += 6;
	}
	buf[n++] = 'A'; buf[n++] = PSF2_SEPARATOR;
	/* glyph 1: U+00E9 as C3 A9, then a sequence holding 'B' */
	buf[n++] = 0xc3; buf[n++] = 0xa9;
	buf[n++] = PSF2_STARTSEQ; buf[n++] = 'B'; buf[n++] = 0xcc; buf[n++] = 0x81;
	buf[n++] = PSF2_SEPARATOR;
	/* glyph 2: U+2588 (E2 96 88) and 'B' */
	buf[n++] = 0xe2; buf[n++] = 0x96; buf[n++] = 0x88; buf[n++] = 'B';
	buf[n++] = PSF2_SEPARATOR;
	return n;
}

TEST(psf2_table)
{
	struct psf_font f;
	char err[80];
	size_t n = psf2(6);

	CHECK_EQ(psf_parse(buf, n, &f, err, sizeof(err)), 0);
	CHECK(f.psf2);
	CHECK_EQ(f.width, 10);
	CHECK_EQ(f.stride, 2);
	CHECK_EQ(f.glyph_bytes, 6);
	CHECK_EQ(psf_glyph_for(&f, 'A'), 0);
	CHECK_EQ(psf_glyph_for(&f, 0xe9), 1);
	CHECK_EQ(psf_glyph_for(&f, 'B'), 2);
	CHECK_EQ(psf_glyph_for(&f, 0x2588), 2);
	CHECK_EQ(psf_glyph_for(&f, 'C'), -1);
	CHECK_EQ(f.glyphs[2 * 6], 0xa2);
}

TEST(psf2_bad_charsize)
{
	struct psf_font f;
	char err[80];
	size_t n = psf2(5);

	CHECK_EQ(psf_parse(buf, n, &f, err, sizeof(err)), -1);
	CHECK(strstr(err, "charsize") != NULL);
}

int main(void)
{
	RUN(psf1_table);
	RUN(psf1_no_table_is_identity);
	RUN(psf1_truncated);
	RUN(psf2_table);
	RUN(psf2_bad_charsize);
	return check_done();
}
