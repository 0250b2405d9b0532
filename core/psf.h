/* SPDX-License-Identifier: MIT */
/*
 * PC screen fonts (the Linux console's PSF1 and PSF2, as Debian's
 * console-setup and kbd packages ship them), parsed from a byte buffer.
 * Pure: the build-time font generator (scripts/psf2c.c) uses it on the host;
 * nothing in the kernel reads PSF at run time.
 */
#ifndef VOLLEY_CORE_PSF_H
#define VOLLEY_CORE_PSF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PSF1_MAGIC0		0x36
#define PSF1_MAGIC1		0x04
#define   PSF1_MODE512		0x01	/* 512 glyphs, not 256 */
#define   PSF1_MODEHASTAB	0x02	/* a Unicode table follows the glyphs */
#define   PSF1_MODESEQ		0x04	/* the table has sequences */
#define PSF1_SEPARATOR		0xffff	/* ends one glyph's entries */
#define PSF1_STARTSEQ		0xfffe
#define PSF2_MAGIC		0x864ab572u	/* bytes 72 b5 4a 86 */
#define   PSF2_HAS_UNICODE_TABLE 0x01
#define PSF2_SEPARATOR		0xff
#define PSF2_STARTSEQ		0xfe
#define PSF_MAX_DIM		64	/* width and height bound */

struct psf_font {
	uint32_t width, height;		/* pixels */
	uint32_t stride;		/* bytes per glyph row: (width + 7) / 8 */
	uint32_t glyph_bytes;		/* height * stride */
	uint32_t nglyphs;
	const uint8_t *glyphs;		/* nglyphs * glyph_bytes, MSB = leftmost */
	const uint8_t *table;		/* Unicode table, NULL when absent */
	size_t table_len;
	bool psf2;
};

/* Returns 0, or -1 with a one-line reason in err. */
int psf_parse(const void *buf, size_t len, struct psf_font *f,
	      char *err, size_t errlen);
/*
 * The glyph drawn for code point cp: from the Unicode table when there is
 * one (single code points only; sequences are skipped), else glyph cp itself.
 * -1 when the font has none.
 */
long psf_glyph_for(const struct psf_font *f, uint32_t cp);

#endif
