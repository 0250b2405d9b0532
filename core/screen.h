/* SPDX-License-Identifier: MIT */
/*
 * What a person sees on the screen (core/fbcon.c draws it). The console
 * hands it every byte it sends to serial; the screen shows the lines for
 * people (tables are kept out), errors in red, a progress line at the bottom
 * that updates in place, and when `# volley: done status=N` arrives after a
 * summary, an end page: status, headline figures, and a QR code carrying the
 * meta, summary (and cpus, while it fits) tables in the serial stream's own
 * format. All calls come under the console lock (core/console.c).
 */
#ifndef VOLLEY_CORE_SCREEN_H
#define VOLLEY_CORE_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include "mb2.h"

/* Takes over the framebuffer GRUB left; false when there is none to use. */
bool screen_attach(const struct boot_fb *fb);
bool screen_on(void);
/* The console's bytes, any chunking. */
void screen_write(const char *s, size_t n);
/* Replaces the bottom (progress) line; "" clears it. */
void screen_status(const char *line);
/* One line naming the screen mode, for meta and the boot log. */
const char *screen_describe(void);

#endif
