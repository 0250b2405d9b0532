/* SPDX-License-Identifier: MIT */
#include "fbcon.h"
#include "font.h"
#include "x86.h"

struct fbcon fbcon;

static struct {
	volatile uint8_t *base;
	uint64_t pa, len;
	uint32_t pitch;
	unsigned bytespp;
	uint32_t pixel[FB_COLOURS];
} fb;

/* VGA text attributes (background black) for the same colours. */
static const uint8_t ega_attr[FB_COLOURS] = { 0x00, 0x07, 0x0f, 0x0c, 0x0a, 0x0e };
static const uint8_t rgb[FB_COLOURS][3] = {
	{ 0, 0, 0 }, { 0xc0, 0xc0, 0xc0 }, { 0xff, 0xff, 0xff },
	{ 0xff, 0x50, 0x50 }, { 0x50, 0xff, 0x50 }, { 0xff, 0xff, 0x50 },
};

#define CRTC_INDEX	0x3d4
#define CRTC_DATA	0x3d5
#define   CRTC_CURSOR_START	0x0a
#define   CURSOR_OFF		0x20

static uint32_t channel(uint8_t v, uint8_t pos, uint8_t size)
{
	if (!size)
		return 0;
	return (uint32_t)(v >> (8 - (size > 8 ? 8 : size))) << pos;
}

/*
 * The largest integer scale that still leaves 100 columns and 30 rows: an
 * 8x16 font stays 8x16 up to 1600x960, doubles on 1920x1080-class screens
 * and grows again on 4K ones.
 */
static unsigned pick_scale(unsigned w, unsigned h)
{
	unsigned s = 1;

	while (w / (font_console.width * (s + 1)) >= 100 &&
	       h / (font_console.height * (s + 1)) >= 30)
		s++;
	return s;
}

bool fbcon_init(const struct boot_fb *b)
{
	fbcon.on = false;
	if (!b->present)
		return false;
	fb.base = (volatile uint8_t *)(uintptr_t)b->addr;
	fb.pa = b->addr;
	fb.pitch = b->pitch;
	if (b->type == MB2_FB_EGA_TEXT) {
		fbcon = (struct fbcon){ .on = true, .text = true, .cols = b->width,
			.rows = b->height, .width = b->width, .height = b->height,
			.cell_w = 1, .cell_h = 1, .scale = 1 };
		fb.len = (uint64_t)b->pitch * b->height;
		outb(CRTC_INDEX, CRTC_CURSOR_START);
		outb(CRTC_DATA, CURSOR_OFF);
		fbcon_clear();
		return true;
	}
	fb.bytespp = (b->bpp + 7) / 8;
	fb.len = (uint64_t)b->pitch * b->height;
	for (int i = 0; i < FB_COLOURS; i++)
		fb.pixel[i] = channel(rgb[i][0], b->red_pos, b->red_size) |
			      channel(rgb[i][1], b->green_pos, b->green_size) |
			      channel(rgb[i][2], b->blue_pos, b->blue_size);
	fbcon.scale = pick_scale(b->width, b->height);
	fbcon.cell_w = font_console.width * fbcon.scale;
	fbcon.cell_h = font_console.height * fbcon.scale;
	fbcon.width = b->width;
	fbcon.height = b->height;
	fbcon.cols = b->width / fbcon.cell_w;
	fbcon.rows = b->height / fbcon.cell_h;
	if (fbcon.cols < 20 || fbcon.rows < 5)
		return false;
	fbcon.on = true;
	fbcon_clear();
	return true;
}

void fbcon_range(uint64_t *pa, uint64_t *len)
{
	*pa = fbcon.on ? fb.pa : 0;
	*len = fbcon.on ? fb.len : 0;
}

/* One run of n pixels of one colour starting at (x, y). */
static void hline(unsigned x, unsigned y, unsigned n, uint32_t v)
{
	volatile uint8_t *p = fb.base + (uint64_t)y * fb.pitch + (uint64_t)x * fb.bytespp;

	switch (fb.bytespp) {
	case 4:
		for (unsigned i = 0; i < n; i++)
			((volatile uint32_t *)p)[i] = v;
		break;
	case 3:
		for (unsigned i = 0; i < n; i++, p += 3) {
			p[0] = (uint8_t)v;
			p[1] = (uint8_t)(v >> 8);
			p[2] = (uint8_t)(v >> 16);
		}
		break;
	default:
		for (unsigned i = 0; i < n; i++)
			((volatile uint16_t *)p)[i] = (uint16_t)v;
		break;
	}
}

void fbcon_fill(unsigned x, unsigned y, unsigned w, unsigned h, enum fb_colour c)
{
	if (!fbcon.on || fbcon.text || x >= fbcon.width || y >= fbcon.height)
		return;
	if (w > fbcon.width - x)
		w = fbcon.width - x;
	if (h > fbcon.height - y)
		h = fbcon.height - y;
	for (unsigned i = 0; i < h; i++)
		hline(x, y + i, w, fb.pixel[c]);
}

void fbcon_clear(void)
{
	if (!fbcon.on)
		return;
	if (fbcon.text) {
		for (unsigned r = 0; r < fbcon.rows; r++)
			for (unsigned c = 0; c < fbcon.cols; c++)
				fbcon_put(c, r, ' ', FB_GREY);
		return;
	}
	fbcon_fill(0, 0, fbcon.width, fbcon.height, FB_BLACK);
}

void fbcon_put(unsigned col, unsigned row, char ch, enum fb_colour fg)
{
	unsigned s = fbcon.scale, x0, y0;
	const uint8_t *g;
	uint32_t on, off;

	if (!fbcon.on || col >= fbcon.cols || row >= fbcon.rows)
		return;
	if (fbcon.text) {
		volatile uint16_t *cell = (volatile uint16_t *)(fb.base +
			(uint64_t)row * fb.pitch) + col;

		*cell = (uint16_t)((uint8_t)ch | ega_attr[fg] << 8);
		return;
	}
	if ((unsigned char)ch < FONT_FIRST || (unsigned char)ch >= FONT_FIRST + FONT_COUNT)
		ch = '?';
	g = font_console.bits + (size_t)((unsigned char)ch - FONT_FIRST) *
		font_console.height * font_console.stride;
	on = fb.pixel[fg];
	off = fb.pixel[FB_BLACK];
	x0 = col * fbcon.cell_w;
	y0 = row * fbcon.cell_h;
	for (unsigned gy = 0; gy < font_console.height; gy++) {
		const uint8_t *bits = g + gy * font_console.stride;

		for (unsigned sy = 0; sy < s; sy++) {
			unsigned y = y0 + gy * s + sy;

			for (unsigned gx = 0; gx < font_console.width; gx++) {
				bool lit = (bits[gx / 8] >> (7 - gx % 8)) & 1;

				hline(x0 + gx * s, y, s, lit ? on : off);
			}
		}
	}
}
