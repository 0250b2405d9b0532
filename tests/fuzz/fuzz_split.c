/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the serial-log splitter:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *	tests/fuzz/fuzz_split.c results/split.c core/fmt.c core/str.c
 *   ./a.out tests/fuzz/corpus/split
 * Besides memory safety it checks the splitter's promises: one end() per
 * table, begin() before rows, rows that match the header's field count, and
 * table names that are safe as file names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "results/split.h"

struct seen {
	size_t begins, ends, complete;
	bool open;		/* begin() without end() yet */
	size_t fields;
};

static void check_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= SPLIT_NAME_MAX)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-", name[i]))
			abort();
}

static void on_begin(void *ctx, const char *name, const char *h, size_t len)
{
	struct seen *s = ctx;

	check_name(name);
	if (s->open || strlen(h) != len || len >= SPLIT_LINE_MAX)
		abort();
	s->open = true;
	s->begins++;
	s->fields = split_count_fields(h, len);
}

static void on_row(void *ctx, const char *name, const char *r, size_t len)
{
	struct seen *s = ctx;

	check_name(name);
	if (!s->open || strlen(r) != len || r[0] == '#' || len == 0 ||
	    split_count_fields(r, len) != s->fields)
		abort();
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)r[i] < 0x20 && r[i] != '\t')
			abort();
}

static void on_end(void *ctx, const char *name, size_t rows, bool complete,
		   const char *reason)
{
	struct seen *s = ctx;

	(void)rows;
	check_name(name);
	if (complete != (reason == NULL) || (complete && !s->open))
		abort();
	s->open = false;
	s->ends++;
	s->complete += complete;
}

static const struct split_ops ops = { on_begin, on_row, on_end };
static struct split sp;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct seen s = { 0 };
	size_t start = 0;

	split_init(&sp, &ops, &s);
	for (size_t i = 0; i < size; i++) {
		if (p[i] == '\n') {
			split_feed_line(&sp, p + start, i - start);
			start = i + 1;
		}
	}
	if (start < size)
		split_feed_line(&sp, p + start, size - start);
	split_finish(&sp);
	if (s.open || s.begins > s.ends || sp.complete != s.complete ||
	    sp.complete + sp.incomplete != s.ends || sp.state != SPLIT_OUTSIDE)
		abort();
	return 0;
}
