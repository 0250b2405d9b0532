/* SPDX-License-Identifier: MIT */
/*
 * The screen console's bitmap font: printable ASCII, generated at build time
 * from a Debian console font (scripts/psf2c.c writes $(BUILD)/gen/font.c).
 */
#ifndef VOLLEY_CORE_FONT_H
#define VOLLEY_CORE_FONT_H

#include <stdint.h>

#define FONT_FIRST	0x20	/* ' ' */
#define FONT_COUNT	95	/* ' ' .. '~' */

struct font {
	uint8_t width, height;	/* pixels */
	uint8_t stride;		/* bytes per row, MSB = leftmost pixel */
	const uint8_t *bits;	/* FONT_COUNT glyphs of height * stride bytes */
	const char *name;	/* the source font's file name */
};

extern const struct font font_console;

#endif
