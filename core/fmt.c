/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdbool.h>
#include "fmt.h"
#include "str.h"

struct spec {
	bool left;		/* '-' */
	bool zero;		/* '0' */
	int width;
	int prec;		/* -1: none */
};

static int pad(out_fn out, void *ctx, char c, int n)
{
	int done = 0;

	for (; n > 0; n--, done++)
		out(ctx, &c, 1);
	return done;
}

static int emit(out_fn out, void *ctx, const struct spec *sp,
		const char *s, int n, const char *prefix)
{
	int plen = prefix ? (int)str_len(prefix) : 0;
	int fill = sp->width - n - plen;
	int done = 0;

	if (!sp->left && !sp->zero)
		done += pad(out, ctx, ' ', fill);
	if (plen) {
		out(ctx, prefix, (size_t)plen);
		done += plen;
	}
	if (!sp->left && sp->zero)
		done += pad(out, ctx, '0', fill);
	out(ctx, s, (size_t)n);
	done += n;
	if (sp->left)
		done += pad(out, ctx, ' ', fill);
	return done;
}

static int number(out_fn out, void *ctx, const struct spec *sp,
		  uint64_t v, unsigned base, bool upper, bool neg,
		  const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
		v /= base;
	} while (v);
	return emit(out, ctx, sp, tmp + sizeof(tmp) - n, n,
		    neg ? "-" : prefix);
}

int fmt_v(out_fn out, void *ctx, const char *fmt, va_list ap)
{
	int done = 0;

	while (*fmt) {
		const char *start = fmt;
		struct spec sp = { .prec = -1 };
		int lng = 0;

		while (*fmt && *fmt != '%')
			fmt++;
		if (fmt != start) {
			out(ctx, start, (size_t)(fmt - start));
			done += (int)(fmt - start);
		}
		if (!*fmt)
			break;
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else
				break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			sp.width = sp.width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				sp.prec = sp.prec * 10 + (*fmt++ - '0');
		}
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		if (*fmt == 'z') {
			lng = 2;
			fmt++;
		}

		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, long long) : va_arg(ap, int);
			uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

			done += number(out, ctx, &sp, u, 10, false, v < 0, NULL);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v = lng ? va_arg(ap, unsigned long long)
					 : va_arg(ap, unsigned int);
			unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;

			done += number(out, ctx, &sp, v, base, *fmt == 'X',
				       false, NULL);
			break;
		}
		case 'p':
			done += number(out, ctx, &sp,
				       (uint64_t)(uintptr_t)va_arg(ap, void *),
				       16, false, false, "0x");
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			done += emit(out, ctx, &sp, &c, 1, NULL);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n;

			if (!s)
				s = "(null)";
			n = sp.prec >= 0 ? str_nlen(s, (size_t)sp.prec)
					 : str_len(s);
			sp.zero = false;
			done += emit(out, ctx, &sp, s, (int)n, NULL);
			break;
		}
		case '%':
			out(ctx, "%", 1);
			done++;
			break;
		case '\0':
			return done;
		default:	/* unknown conversion: print it as is */
			out(ctx, fmt - 1, 2);
			done += 2;
			break;
		}
		fmt++;
	}
	return done;
}

int fmt_to(out_fn out, void *ctx, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_v(out, ctx, fmt, ap);
	va_end(ap);
	return n;
}

void fmt_sbuf_out(void *ctx, const char *s, size_t n)
{
	struct fmt_sbuf *sb = ctx;

	for (size_t i = 0; i < n; i++, sb->len++)
		if (sb->len + 1 < sb->size)
			sb->buf[sb->len] = s[i];
	if (sb->size)
		sb->buf[sb->len < sb->size ? sb->len : sb->size - 1] = 0;
}

int fmt_vbuf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_sbuf sb = { .buf = buf, .size = size, .len = 0 };

	if (size)
		buf[0] = 0;
	fmt_v(fmt_sbuf_out, &sb, fmt, ap);
	return (int)sb.len;
}

int fmt_buf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vbuf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
