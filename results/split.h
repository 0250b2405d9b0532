/* SPDX-License-Identifier: MIT */
/*
 * Streaming splitter for volley's serial stream (pure: host tools and tests).
 *
 * Feed it the log one line at a time (without the '\n'); it reports tables
 *
 *	@table NAME
 *	header
 *	row...
 *	@end NAME rows=K
 *
 * through callbacks. It is tolerant of what a serial capture really holds:
 * CR, NUL and other control bytes and ANSI escape sequences are dropped,
 * garbage before "@table"/"@end" on the same line is skipped, noise lines
 * outside tables are ignored and '#' lines inside a table are skipped.
 *
 * Every "@table" leads to exactly one end() call. begin() comes when the header
 * line arrives, so a table cut off before its header gets end() only. A table
 * is incomplete when it is cut off (a new @table before its @end, or end of log
 * at split_finish()), when @end names another table or lacks rows=K, when K is
 * not the number of rows seen, when a row's field count differs from the
 * header's (commas outside double quotes), or when a line is too long.
 * row() is called only for rows that were accepted.
 */
#ifndef VOLLEY_RESULTS_SPLIT_H
#define VOLLEY_RESULTS_SPLIT_H

#include <stdbool.h>
#include <stddef.h>

#define SPLIT_NAME_MAX 64	/* table name, including the terminator */
#define SPLIT_LINE_MAX 65536	/* a header or row after cleaning, incl. NUL */
#define SPLIT_REASON_MAX 128

struct split_ops {
	/* header: cleaned, NUL-terminated, len bytes */
	void (*begin)(void *ctx, const char *name, const char *header,
		      size_t len);
	void (*row)(void *ctx, const char *name, const char *row, size_t len);
	/* rows: rows seen; reason: NULL when complete */
	void (*end)(void *ctx, const char *name, size_t rows, bool complete,
		    const char *reason);
};

enum split_state {
	SPLIT_OUTSIDE,	/* between tables */
	SPLIT_HEADER,	/* after @table, waiting for the header */
	SPLIT_ROWS,	/* header seen */
};

struct split {
	const struct split_ops *ops;
	void *ctx;
	enum split_state state;
	char name[SPLIT_NAME_MAX];
	size_t fields;		/* header's field count */
	size_t rows;		/* rows seen, accepted or not */
	bool bad;		/* the open table is already incomplete */
	char reason[SPLIT_REASON_MAX];	/* why, first cause wins */

	/* results over the whole log */
	size_t complete, incomplete;
	bool have_done;		/* saw "# volley: done status=N" */
	int done_status;	/* N of the last such line */
	size_t lines;		/* lines fed */

	char line[SPLIT_LINE_MAX];	/* the cleaned current line */
};

void split_init(struct split *s, const struct split_ops *ops, void *ctx);
void split_feed_line(struct split *s, const char *line, size_t len);
/* End of log: an open table is reported incomplete. */
void split_finish(struct split *s);

/* Field count of a CSV line: commas outside double quotes, plus one. */
size_t split_count_fields(const char *line, size_t len);
/*
 * Copies line into out (size bytes incl. terminator) without CR, NUL, other
 * control bytes except tab, and ANSI escape sequences; trailing blanks go too.
 * Returns the cleaned length, or size when it did not fit (out then holds a
 * truncated, terminated prefix).
 */
size_t split_clean(char *out, size_t size, const char *line, size_t len);

#endif
