/* SPDX-License-Identifier: MIT */
#include "psf.h"
#include "fmt.h"
#include "str.h"

static int fail(char *err, size_t errlen, const char *what)
{
	fmt_buf(err, errlen, "psf: %s", what);
	return -1;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int psf_parse(const void *buf, size_t len, struct psf_font *f,
	      char *err, size_t errlen)
{
	const uint8_t *p = buf;
	uint64_t body;
	size_t hdr;
	bool table;

	mem_set(f, 0, sizeof(*f));
	if (len >= 4 && p[0] == PSF1_MAGIC0 && p[1] == PSF1_MAGIC1) {
		/* PSF1: magic[2], mode, charsize (= height); width is 8. */
		hdr = 4;
		f->width = 8;
		f->height = p[3];
		f->nglyphs = (p[2] & PSF1_MODE512) ? 512 : 256;
		table = p[2] & (PSF1_MODEHASTAB | PSF1_MODESEQ);
	} else if (len >= 32 && rd32(p) == PSF2_MAGIC) {
		/* PSF2: magic, version, headersize, flags, length, charsize, height, width. */
		hdr = rd32(p + 8);
		if (hdr < 32 || hdr > len)
			return fail(err, errlen, "PSF2 header size out of range");
		f->psf2 = true;
		f->nglyphs = rd32(p + 16);
		f->height = rd32(p + 24);
		f->width = rd32(p + 28);
		table = rd32(p + 12) & PSF2_HAS_UNICODE_TABLE;
		if (f->width == 0 || f->width > PSF_MAX_DIM)
			return fail(err, errlen, "width out of range");
		if (rd32(p + 20) != f->height * ((f->width + 7) / 8))
			return fail(err, errlen, "charsize is not height * row bytes");
	} else {
		return fail(err, errlen, "not a PSF1 or PSF2 font (bad magic)");
	}
	if (f->height == 0 || f->height > PSF_MAX_DIM)
		return fail(err, errlen, "height out of range");
	if (f->nglyphs == 0 || f->nglyphs > 65536)
		return fail(err, errlen, "glyph count out of range");
	f->stride = (f->width + 7) / 8;
	f->glyph_bytes = f->height * f->stride;
	body = (uint64_t)f->nglyphs * f->glyph_bytes;
	if (body > len - hdr)
		return fail(err, errlen, "file shorter than its glyphs");
	f->glyphs = p + hdr;
	if (table) {
		f->table = p + hdr + body;
		f->table_len = len - hdr - (size_t)body;
	}
	return 0;
}

/* One UTF-8 code point at t[*i] (PSF2 tables); UINT32_MAX when malformed. */
static uint32_t utf8_next(const uint8_t *t, size_t n, size_t *i)
{
	uint32_t c = t[*i], need, cp;

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if ((c & 0xe0) == 0xc0)
		need = 1, cp = c & 0x1f;
	else if ((c & 0xf0) == 0xe0)
		need = 2, cp = c & 0x0f;
	else if ((c & 0xf8) == 0xf0)
		need = 3, cp = c & 0x07;
	else {
		(*i)++;
		return UINT32_MAX;
	}
	(*i)++;
	while (need--) {
		if (*i >= n || (t[*i] & 0xc0) != 0x80)
			return UINT32_MAX;
		cp = cp << 6 | (t[(*i)++] & 0x3f);
	}
	return cp;
}

long psf_glyph_for(const struct psf_font *f, uint32_t cp)
{
	const uint8_t *t = f->table;
	size_t n = f->table_len, i = 0;

	if (!t)
		return cp < f->nglyphs ? (long)cp : -1;
	for (uint32_t g = 0; g < f->nglyphs && i < n; g++) {
		bool seq = false;

		if (!f->psf2) {
			/* PSF1: little-endian UCS-2 entries. */
			for (; i + 1 < n; i += 2) {
				uint32_t u = (uint32_t)t[i] | (uint32_t)t[i + 1] << 8;

				if (u == PSF1_SEPARATOR) {
					i += 2;
					break;
				}
				if (u == PSF1_STARTSEQ)
					seq = true;
				else if (!seq && u == cp)
					return g;
			}
			continue;
		}
		while (i < n) {
			uint32_t u;

			if (t[i] == PSF2_SEPARATOR) {
				i++;
				break;
			}
			if (t[i] == PSF2_STARTSEQ) {
				seq = true;
				i++;
				continue;
			}
			u = utf8_next(t, n, &i);
			if (!seq && u == cp)
				return g;
		}
	}
	return -1;
}
