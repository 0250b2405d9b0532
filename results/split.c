/* SPDX-License-Identifier: MIT */
/* Streaming splitter for volley's serial stream: see split.h. */
#include "results/split.h"

#include "core/fmt.h"
#include "core/str.h"

#define ESC 0x1b

static const char MARK_TABLE[] = "@table";
static const char MARK_END[] = "@end";
static const char MARK_DONE[] = "# volley: done status=";

void split_init(struct split *s, const struct split_ops *ops, void *ctx)
{
	mem_set(s, 0, sizeof(*s));
	s->ops = ops;
	s->ctx = ctx;
	s->state = SPLIT_OUTSIDE;
}

size_t split_count_fields(const char *line, size_t len)
{
	size_t n = 1;
	bool quoted = false;

	/* A doubled quote inside quotes toggles twice: no special case needed. */
	for (size_t i = 0; i < len; i++) {
		if (line[i] == '"')
			quoted = !quoted;
		else if (line[i] == ',' && !quoted)
			n++;
	}
	return n;
}

/* Index just past the escape sequence that starts at line[i] == ESC. */
static size_t skip_escape(const char *line, size_t len, size_t i)
{
	unsigned char c;

	i++;
	if (i >= len)
		return i;
	c = (unsigned char)line[i++];
	if (c == '[') {
		/* CSI: parameter and intermediate bytes, then one final byte. */
		while (i < len) {
			c = (unsigned char)line[i++];
			if (c >= 0x40 && c <= 0x7e)
				break;
			if (c < 0x20 || c > 0x3f)
				break;	/* malformed: stop at the odd byte */
		}
		return i;
	}
	if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
		/* OSC/DCS/SOS/PM/APC: a string ended by BEL or ESC '\'. */
		while (i < len) {
			c = (unsigned char)line[i++];
			if (c == 0x07)
				break;
			if (c == ESC) {
				if (i < len && line[i] == '\\')
					i++;
				break;
			}
		}
		return i;
	}
	if ((c == '(' || c == ')' || c == '*' || c == '+' || c == '#') && i < len)
		return i + 1;	/* charset designation and the like: one more */
	return i;		/* two-byte sequence such as ESC 7 */
}

size_t split_clean(char *out, size_t size, const char *line, size_t len)
{
	size_t n = 0;
	bool full = false;

	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)line[i];

		if (c == ESC) {
			i = skip_escape(line, len, i);
			continue;
		}
		i++;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			continue;
		if (n + 1 >= size) {
			full = true;
			break;
		}
		out[n++] = (char)c;
	}
	while (!full && n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
		n--;
	if (size > 0)
		out[n < size ? n : size - 1] = '\0';
	return full ? size : n;
}

/* Where "@table"/"@end" followed by a blank first occurs in line, or len. */
static size_t find_marker(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t m;

		if (line[i] != '@')
			continue;
		if (len - i > sizeof(MARK_TABLE) - 1 &&
		    !mem_cmp(line + i, MARK_TABLE, sizeof(MARK_TABLE) - 1))
			m = sizeof(MARK_TABLE) - 1;
		else if (len - i > sizeof(MARK_END) - 1 &&
			 !mem_cmp(line + i, MARK_END, sizeof(MARK_END) - 1))
			m = sizeof(MARK_END) - 1;
		else
			continue;
		if (line[i + m] == ' ' || line[i + m] == '\t')
			return i;
	}
	return len;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/*
 * Reads a table name at p into name. Names are [A-Za-z0-9_-]+: they become
 * file names on the host, so nothing else may pass. Returns the end, or NULL.
 */
static const char *parse_name(const char *p, char *name)
{
	size_t n = 0;

	while (is_name_char(p[n])) {
		if (n + 1 >= SPLIT_NAME_MAX)
			return NULL;
		name[n] = p[n];
		n++;
	}
	if (n == 0 || (p[n] != '\0' && p[n] != ' ' && p[n] != '\t'))
		return NULL;
	name[n] = '\0';
	return p + n;
}

/* Decimal digits at p into *v (saturating); returns the end, or NULL. */
static const char *parse_size(const char *p, size_t *v)
{
	size_t x = 0;
	const char *q = p;

	while (*q >= '0' && *q <= '9') {
		size_t d = (size_t)(*q - '0');

		x = x > ((size_t)-1 - d) / 10 ? (size_t)-1 : x * 10 + d;
		q++;
	}
	if (q == p)
		return NULL;
	*v = x;
	return q;
}

static void mark_bad(struct split *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Records the first reason the open table is incomplete. */
static void mark_bad(struct split *s, const char *fmt, ...)
{
	va_list ap;

	if (s->bad)
		return;
	s->bad = true;
	va_start(ap, fmt);
	fmt_vbuf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
}

static void close_table(struct split *s)
{
	bool complete = !s->bad;

	if (complete)
		s->complete++;
	else
		s->incomplete++;
	if (s->ops && s->ops->end)
		s->ops->end(s->ctx, s->name, s->rows, complete,
			    complete ? NULL : s->reason);
	s->state = SPLIT_OUTSIDE;
	s->bad = false;
	s->reason[0] = '\0';
}

static void open_table(struct split *s, const char *name)
{
	str_copy(s->name, name, sizeof(s->name));
	s->state = SPLIT_HEADER;
	s->fields = 0;
	s->rows = 0;
	s->bad = false;
	s->reason[0] = '\0';
}

static void on_table(struct split *s, const char *p)
{
	char name[SPLIT_NAME_MAX];

	if (!parse_name(skip_blanks(p), name))
		return;		/* not a marker after all: noise */
	if (s->state != SPLIT_OUTSIDE) {
		mark_bad(s, "cut off by @table %s at line %zu", name, s->lines);
		close_table(s);
	}
	open_table(s, name);
}

static void on_end(struct split *s, const char *p)
{
	char name[SPLIT_NAME_MAX];
	size_t k = 0;
	const char *q;

	if (s->state == SPLIT_OUTSIDE)
		return;		/* a stray @end closes nothing */
	q = parse_name(skip_blanks(p), name);
	if (!q) {
		mark_bad(s, "malformed @end at line %zu", s->lines);
	} else if (!str_eq(name, s->name)) {
		mark_bad(s, "@end %s at line %zu closes it", name, s->lines);
	} else {
		q = skip_blanks(q);
		if (str_ncmp(q, "rows=", 5) || !(q = parse_size(q + 5, &k)) ||
		    *skip_blanks(q) != '\0')
			mark_bad(s, "@end without rows=K at line %zu", s->lines);
		else if (s->state == SPLIT_HEADER)
			mark_bad(s, "no header");
		else if (k != s->rows)
			mark_bad(s, "@end says rows=%zu, saw %zu", k, s->rows);
	}
	close_table(s);
}

static void on_done(struct split *s, const char *line, size_t len)
{
	size_t m = sizeof(MARK_DONE) - 1, v;

	for (size_t i = 0; i + m < len; i++) {
		char digits[12];
		size_t n = 0;

		if (line[i] != '#' || mem_cmp(line + i, MARK_DONE, m))
			continue;
		/* The status is small: copy its digits to parse them safely. */
		while (i + m + n < len && n + 1 < sizeof(digits) &&
		       line[i + m + n] >= '0' && line[i + m + n] <= '9') {
			digits[n] = line[i + m + n];
			n++;
		}
		digits[n] = '\0';
		if (n > 0 && n < 10 && parse_size(digits, &v)) {
			s->have_done = true;
			s->done_status = (int)v;
		}
		return;
	}
}

static void on_line(struct split *s, size_t n, bool too_long)
{
	const char *l = s->line;

	if (s->state == SPLIT_HEADER) {
		if (too_long) {
			mark_bad(s, "header longer than %d bytes at line %zu",
				 SPLIT_LINE_MAX - 1, s->lines);
		} else {
			s->fields = split_count_fields(l, n);
			if (s->ops && s->ops->begin)
				s->ops->begin(s->ctx, s->name, l, n);
		}
		s->state = SPLIT_ROWS;
		return;
	}
	s->rows++;
	if (s->bad)
		return;
	if (too_long) {
		mark_bad(s, "row %zu longer than %d bytes at line %zu", s->rows,
			 SPLIT_LINE_MAX - 1, s->lines);
		return;
	}
	size_t f = split_count_fields(l, n);
	if (f != s->fields) {
		mark_bad(s, "row %zu has %zu fields, header %zu, at line %zu",
			 s->rows, f, s->fields, s->lines);
		return;
	}
	if (s->ops && s->ops->row)
		s->ops->row(s->ctx, s->name, l, n);
}

void split_feed_line(struct split *s, const char *line, size_t len)
{
	size_t at, n;
	bool too_long;

	s->lines++;
	on_done(s, line, len);
	/* Garbage before a marker on the same line (GRUB's escapes, another
	 * CPU's half line) is dropped: the marker starts the line that counts. */
	at = find_marker(line, len);
	if (at == len)
		at = 0;
	n = split_clean(s->line, sizeof(s->line), line + at, len - at);
	too_long = n == sizeof(s->line);
	if (too_long)
		n = str_len(s->line);

	if (!str_ncmp(s->line, MARK_TABLE, sizeof(MARK_TABLE) - 1) &&
	    (s->line[sizeof(MARK_TABLE) - 1] == ' ' ||
	     s->line[sizeof(MARK_TABLE) - 1] == '\t')) {
		on_table(s, s->line + sizeof(MARK_TABLE) - 1);
		return;
	}
	if (!str_ncmp(s->line, MARK_END, sizeof(MARK_END) - 1) &&
	    (s->line[sizeof(MARK_END) - 1] == ' ' ||
	     s->line[sizeof(MARK_END) - 1] == '\t')) {
		on_end(s, s->line + sizeof(MARK_END) - 1);
		return;
	}
	if (s->state == SPLIT_OUTSIDE)
		return;
	/* People's lines and blank lines may fall between a table's rows. */
	if (n == 0 || s->line[0] == '#')
		return;
	on_line(s, n, too_long);
}

void split_finish(struct split *s)
{
	if (s->state == SPLIT_OUTSIDE)
		return;
	mark_bad(s, "cut off: no @end before the end of the log");
	close_table(s);
}
