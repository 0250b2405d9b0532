/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdint.h>
#include "console.h"
#include "screen.h"
#include "serial.h"
#include "str.h"
#include "x86.h"

static volatile int console_lock;
static volatile bool lock_broken;

/*
 * A test-and-test-and-set lock. The wait is bounded (about a second at
 * worst under emulation): a CPU that died holding it must not silence the
 * others, and losing mutual exclusion only garbles a line.
 */
static void lock(void)
{
	unsigned long spins = 0;

	while (!lock_broken) {
		if (!__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
			return;
		while (__atomic_load_n(&console_lock, __ATOMIC_RELAXED)) {
			if (++spins > 100000000UL) {
				lock_broken = true;
				return;
			}
			cpu_pause();
		}
	}
}

static void unlock(void)
{
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

void console_break_lock(void)
{
	lock_broken = true;
}

/*
 * What was said before the consoles were settled (the first boot lines),
 * replayed onto the screen when it comes up and onto a UART that ACPI's SPCR
 * names, so each carries the whole stream.
 */
static char early[4096];
static size_t early_len;
static bool early_done;

static uint64_t bytes_out;

uint64_t console_bytes(void)
{
	return bytes_out;
}

void console_out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	lock();
	serial_write(s, n);
	screen_write(s, n);
	bytes_out += n;		/* under the lock */
	if (!early_done) {
		size_t k = n < sizeof(early) - early_len ? n : sizeof(early) - early_len;

		mem_copy(early + early_len, s, k);
		early_len += k;
	}
	unlock();
}

void console_screen_ready(void)
{
	lock();
	if (!early_done)
		screen_write(early, early_len);
	unlock();
}

void console_replay_serial(void)
{
	lock();
	if (!early_done)
		serial_write(early, early_len);
	unlock();
}

void console_early_done(void)
{
	early_done = true;
}

void console_status(const char *line)
{
	lock();
	screen_status(line);
	unlock();
}

#define LINE_MAX 1024

/* Format into a line buffer first so one line is one locked write. */
static int vprint(const char *prefix, const char *fmt, va_list ap, bool nl)
{
	char line[LINE_MAX];
	struct fmt_sbuf sb = { .buf = line, .size = sizeof(line) - 1 };

	if (prefix)
		fmt_sbuf_out(&sb, prefix, 2);
	fmt_v(fmt_sbuf_out, &sb, fmt, ap);
	if (sb.len > sizeof(line) - 2)
		sb.len = sizeof(line) - 2;
	if (nl)
		line[sb.len++] = '\n';
	console_out(NULL, line, sb.len);
	return (int)sb.len;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprint(NULL, fmt, ap, false);
	va_end(ap);
	return n;
}

void klog(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("# ", fmt, ap, true);
	va_end(ap);
}
