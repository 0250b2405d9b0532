/* SPDX-License-Identifier: MIT */
/*
 * The screen, cell by cell: a linear framebuffer drawn with core/font.h's
 * font (scaled up on large screens), or EGA text at 0xb8000. core/screen.c
 * decides what goes where; this file only puts characters and rectangles.
 */
#ifndef VOLLEY_CORE_FBCON_H
#define VOLLEY_CORE_FBCON_H

#include <stdbool.h>
#include <stdint.h>
#include "mb2.h"

enum fb_colour { FB_BLACK, FB_GREY, FB_WHITE, FB_RED, FB_GREEN, FB_YELLOW, FB_COLOURS };

struct fbcon {
	bool on;
	bool text;			/* EGA text: cells only, no pixels */
	unsigned cols, rows;		/* character cells */
	unsigned width, height;		/* pixels (cells for EGA text) */
	unsigned cell_w, cell_h;	/* pixels a cell, font size times scale */
	unsigned scale;
};

extern struct fbcon fbcon;

/* Takes the framebuffer GRUB described; false (screen off) when unusable. */
bool fbcon_init(const struct boot_fb *fb);
/* The framebuffer's physical range, to map it uncached after vm_init. */
void fbcon_range(uint64_t *pa, uint64_t *len);
void fbcon_put(unsigned col, unsigned row, char c, enum fb_colour fg);
/* Pixel rectangle (framebuffer only). */
void fbcon_fill(unsigned x, unsigned y, unsigned w, unsigned h, enum fb_colour c);
void fbcon_clear(void);

#endif
