/* SPDX-License-Identifier: MIT */
/* Reading CSV tables by column name: see table.h. */
#include "results/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t table_split(char *line, struct table_row *r)
{
	size_t len = strlen(line);
	char *rd = line, *wr = line;
	bool quoted = false;

	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	if (len && line[len - 1] == '\r')
		line[--len] = '\0';
	r->n = 1;
	r->f[0] = line;
	for (; *rd; rd++) {
		if (*rd == '"') {
			if (quoted && rd[1] == '"')
				*wr++ = *rd++;	/* "" inside quotes */
			else
				quoted = !quoted;
		} else if (*rd == ',' && !quoted && r->n < TABLE_COLS_MAX) {
			*wr++ = '\0';
			r->f[r->n++] = wr;
		} else {
			*wr++ = *rd;
		}
	}
	*wr = '\0';
	return r->n;
}

static bool trim_char(char c)
{
	return c == ' ' || c == '\t' || c == '"';
}

void table_header(struct table_row *h, char *line)
{
	table_split(line, h);
	for (size_t i = 0; i < h->n; i++) {
		char *s = h->f[i];
		size_t len;

		while (trim_char(*s))
			s++;
		len = strlen(s);
		while (len && trim_char(s[len - 1]))
			s[--len] = '\0';
		h->f[i] = s;
	}
}

int table_find(const struct table_row *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->f[i], name))
			return (int)i;
	return -1;
}

const char *table_get(const struct table_row *r, int idx)
{
	if (idx < 0)
		return "NA";
	return (size_t)idx < r->n ? r->f[idx] : "";
}

bool table_na(const char *s)
{
	return !*s || !strcmp(s, "NA") || !strcmp(s, "nan") || !strcmp(s, "-");
}

double table_num(const char *s)
{
	return strtod(s, NULL);
}

char *table_fmt_num(char *buf, double d)
{
	if (d >= -2147483647.0 && d <= 2147483647.0 && d == (double)(long long)d)
		snprintf(buf, TABLE_NUM_MAX, "%lld", (long long)d);
	else
		snprintf(buf, TABLE_NUM_MAX, "%.6g", d);
	return buf;
}
