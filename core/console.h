/* SPDX-License-Identifier: MIT */
/*
 * The console: everything volley says goes to the serial port and the
 * screen (core/screen.c) through here, one whole line at a time under a lock,
 * so lines from different CPUs never interleave. Lines for people start with '#'; tables are written through
 * core/csv.h with console_out as the sink.
 */
#ifndef VOLLEY_CORE_CONSOLE_H
#define VOLLEY_CORE_CONSOLE_H

#include <stddef.h>
#include <stdint.h>
#include "fmt.h"

/* printf to the console, as is. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "# " + message + "\n": a line for people. */
void klog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An out_fn sink for fmt/csv: writes the bytes under the console lock. */
void console_out(void *ctx, const char *s, size_t n);
/* The screen is set up: replay the boot lines said before onto it. */
void console_screen_ready(void);
/* A new UART took over: replay the boot lines onto it. */
void console_replay_serial(void);
/* The consoles are settled: stop keeping boot lines. */
void console_early_done(void);
/* The screen's bottom line (progress), not sent to serial. */
void console_status(const char *line);
/* Bytes written to the console so far (the run's serial output). */
uint64_t console_bytes(void);
/* Panic path: stop honouring the lock (its holder may be dead). */
void console_break_lock(void);

#endif
