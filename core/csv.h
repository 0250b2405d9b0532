/* SPDX-License-Identifier: MIT */
/*
 * CSV tables on the serial stream (pure: kernel and host tests):
 *
 *   @table NAME
 *   col1,col2,...
 *   v1,v2,...
 *   @end NAME rows=K
 *
 * Each piece (the @table line with the header, each row, the @end line) goes
 * to the sink in one out() call, so a sink that locks per call never splits
 * a row. Reentrant: all state is in struct csv; the caller serialises the
 * sink (the kernel does so with its console lock).
 */
#ifndef VOLLEY_CORE_CSV_H
#define VOLLEY_CORE_CSV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "fmt.h"

#define CSV_LINE_MAX	512	/* a formatted row, "\n" included */

struct csv {
	out_fn out;
	void *ctx;
	const char *name;
	unsigned ncols;		/* fields in the header */
	unsigned rows;		/* rows emitted so far */
	bool bad;		/* a programming error: see csv_row() */
};

/* Emits "@table NAME\nHEADER\n"; header is "a,b,c". */
void csv_begin(struct csv *t, out_fn out, void *ctx, const char *name,
	       const char *header);

/*
 * Emits one whole row (printf-style, no "\n": the writer adds it) and
 * counts it. A row whose field count differs from the header's, that holds
 * a line break or an unbalanced quote, that starts with '@' or '#' (the
 * splitter's markers), or that does not fit CSV_LINE_MAX is still emitted
 * in full, but sets t->bad: the caller has a bug, and the data stays visible.
 */
void csv_row(struct csv *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void csv_vrow(struct csv *t, const char *fmt, va_list ap);

/* Emits "@end NAME rows=K\n". */
void csv_end(struct csv *t);

/*
 * Fields of one CSV line s[0..n): commas outside double quotes, plus one.
 * *ok (may be NULL) is false when quotes are unbalanced or a line break
 * sits in the line.
 */
unsigned csv_count_fields(const char *s, size_t n, bool *ok);

/*
 * Copies free text (CPU brand, command line) as one safe field: control
 * characters become '?', and the field is quoted RFC 4180 style ("..." with
 * inner quotes doubled) only when it holds ',' or '"' or starts with '@' or
 * '#'. NULL becomes NA. Truncates to size (size > 0) without ever cutting a
 * doubled quote or dropping the closing quote; returns false if it truncated.
 */
bool csv_field(char *dst, size_t size, const char *src);

#endif
