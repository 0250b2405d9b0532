/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "csv.h"
#include "fmt.h"
#include "str.h"

unsigned csv_count_fields(const char *s, size_t n, bool *ok)
{
	unsigned fields = 1;
	bool quoted = false, good = true;

	for (size_t i = 0; i < n; i++) {
		/* A doubled quote toggles twice: no special case needed. */
		if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == ',' && !quoted)
			fields++;
		else if (s[i] == '\n' || s[i] == '\r')
			good = false;	/* the splitter reads lines */
	}
	if (ok)
		*ok = good && !quoted;
	return fields;
}

static const char *safe_name(const char *name)
{
	return name ? name : "?";
}

void csv_begin(struct csv *t, out_fn out, void *ctx, const char *name,
	       const char *header)
{
	char line[CSV_LINE_MAX];
	struct fmt_sbuf sb = { .buf = line, .size = sizeof(line), .len = 0 };
	bool ok;

	t->out = out;
	t->ctx = ctx;
	t->name = safe_name(name);
	t->rows = 0;
	t->bad = false;
	if (!header) {
		header = "";
		t->bad = true;
	}
	t->ncols = csv_count_fields(header, str_len(header), &ok);
	if (!ok)
		t->bad = true;
	fmt_to(fmt_sbuf_out, &sb, "@table %s\n%s\n", t->name, header);
	if (sb.len < sb.size) {
		out(ctx, line, sb.len);
	} else {
		t->bad = true;
		fmt_to(out, ctx, "@table %s\n%s\n", t->name, header);
	}
}

void csv_vrow(struct csv *t, const char *fmt, va_list ap)
{
	char line[CSV_LINE_MAX];
	struct fmt_sbuf sb = { .buf = line, .size = sizeof(line), .len = 0 };
	va_list again;
	bool ok;

	va_copy(again, ap);
	fmt_v(fmt_sbuf_out, &sb, fmt, ap);
	/* Room for the "\n" too: len + 1 bytes plus the terminator. */
	if (sb.len + 1 < sb.size) {
		if (csv_count_fields(line, sb.len, &ok) != t->ncols || !ok ||
		    line[0] == '@' || line[0] == '#')
			t->bad = true;
		line[sb.len] = '\n';
		t->out(t->ctx, line, sb.len + 1);
	} else {
		/* Too long to check or to send whole: keep the data anyway. */
		t->bad = true;
		fmt_v(t->out, t->ctx, fmt, again);
		t->out(t->ctx, "\n", 1);
	}
	va_end(again);
	t->rows++;
}

void csv_row(struct csv *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	csv_vrow(t, fmt, ap);
	va_end(ap);
}

void csv_end(struct csv *t)
{
	char line[CSV_LINE_MAX];
	int n = fmt_buf(line, sizeof(line), "@end %s rows=%u\n", t->name,
			t->rows);

	if (n < (int)sizeof(line))
		t->out(t->ctx, line, (size_t)n);
	else
		fmt_to(t->out, t->ctx, "@end %s rows=%u\n", t->name, t->rows);
}

static bool needs_quotes(const char *s)
{
	if (*s == '@' || *s == '#')
		return true;
	for (; *s; s++)
		if (*s == ',' || *s == '"')
			return true;
	return false;
}

bool csv_field(char *dst, size_t size, const char *src)
{
	size_t len = 0;
	bool quote;

	if (!size)
		return false;
	if (!src)
		src = "NA";
	quote = needs_quotes(src);
	/* Reserve the closing quote and the terminator. */
	if (quote && size < 3) {
		dst[0] = 0;
		return false;
	}
	if (quote)
		dst[len++] = '"';
	for (; *src; src++) {
		unsigned char c = (unsigned char)*src;
		size_t need = c == '"' ? 2 : 1;

		if (len + need + (quote ? 1 : 0) + 1 > size)
			break;
		if (c < 0x20 || c == 0x7f)
			c = '?';
		dst[len++] = (char)c;
		if (c == '"')
			dst[len++] = '"';
	}
	if (quote)
		dst[len++] = '"';
	dst[len] = 0;
	return *src == 0;
}
