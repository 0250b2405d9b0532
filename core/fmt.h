/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting into a sink (pure: kernel and host tests).
 * Conversions: %d %i %u %x %X %o %c %s %p %%, length modifiers l, ll, z;
 * flags '-' and '0', field width (number or '*'), precision for %s.
 */
#ifndef VOLLEY_CORE_FMT_H
#define VOLLEY_CORE_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*out_fn)(void *ctx, const char *s, size_t n);

int fmt_v(out_fn out, void *ctx, const char *fmt, va_list ap);
int fmt_to(out_fn out, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* snprintf: always terminates, returns the length it wanted to write. */
int fmt_buf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int fmt_vbuf(char *buf, size_t size, const char *fmt, va_list ap);

/* A sink that appends to a fixed buffer, for building one line at a time. */
struct fmt_sbuf {
	char *buf;
	size_t size;	/* capacity including the terminator */
	size_t len;	/* wanted length; may exceed size - 1 when truncated */
};
void fmt_sbuf_out(void *ctx, const char *s, size_t n);

#endif
