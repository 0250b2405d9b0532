/* SPDX-License-Identifier: MIT */
/*
 * Reading volley's CSV tables by column name (pure: host tools and tests).
 *
 * A table is a header line of column names, then rows. Columns are looked up
 * by name, so a table that gains columns (or reorders them) still reads. The
 * caller owns every line buffer: table_split() cuts a line in place.
 *
 * Values follow HACKING.md: "NA" (and "", "nan", "-") mean unknown. No libc
 * (HACKING.md's pure files); reading and printing numbers is the tool's
 * business (results/vplot.c).
 */
#ifndef VOLLEY_RESULTS_TABLE_H
#define VOLLEY_RESULTS_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#define TABLE_COLS_MAX 128	/* fields per line; more are left in the last */

struct table_row {
	size_t n;			/* fields in this line */
	char *f[TABLE_COLS_MAX];	/* each NUL-terminated, inside the line */
};

/*
 * Splits line (NUL-terminated, modified in place) into r. A trailing LF and
 * CR go first. Commas outside double quotes separate fields; a field's double
 * quotes are removed and "" inside them becomes ". An empty line is one empty
 * field. Returns r->n.
 */
size_t table_split(char *line, struct table_row *r);

/* The header: split like a row, each name trimmed of blanks and quotes. */
void table_header(struct table_row *h, char *line);

/* Index of the column called name in header h, -1 when there is none. */
int table_find(const struct table_row *h, const char *name);

/*
 * Field idx of row r: "NA" when idx < 0 (no such column), "" when the row is
 * shorter than that.
 */
const char *table_get(const struct table_row *r, int idx);

/* Unknown: "", "NA", "nan" or "-". */
bool table_na(const char *s);

#endif
