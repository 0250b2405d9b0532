/* SPDX-License-Identifier: MIT */
/* Reading CSV tables by column name: see table.h. */
#include "results/table.h"
#include "core/str.h"

size_t table_split(char *line, struct table_row *r)
{
	size_t len = str_len(line);
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
		len = str_len(s);
		while (len && trim_char(s[len - 1]))
			s[--len] = '\0';
		h->f[i] = s;
	}
}

int table_find(const struct table_row *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (str_eq(h->f[i], name))
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
	return !*s || str_eq(s, "NA") || str_eq(s, "nan") || str_eq(s, "-");
}
