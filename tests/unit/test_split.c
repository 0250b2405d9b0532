/* SPDX-License-Identifier: MIT */
/* Host tests of the serial-log splitter (results/split.c). */
#include <stdlib.h>

#include "tests/unit/check.h"
#include "results/split.h"

/* Every callback appends one line to a transcript the tests compare. */
static char events[1 << 20];
static size_t events_len;
static size_t row_bytes;	/* total bytes of rows seen, for long lines */

static void ev(const char *fmt, const char *name, const char *text, size_t len)
{
	int n = snprintf(events + events_len, sizeof(events) - events_len, fmt,
			 name, (int)len, text);

	if (n > 0)
		events_len += (size_t)n;
	if (events_len >= sizeof(events))
		events_len = sizeof(events) - 1;
}

static void on_begin(void *ctx, const char *name, const char *h, size_t len)
{
	(void)ctx;
	CHECK_EQ(strlen(h), len);	/* terminated at len */
	ev("B %s [%.*s]\n", name, h, len);
}

static void on_row(void *ctx, const char *name, const char *r, size_t len)
{
	(void)ctx;
	CHECK_EQ(strlen(r), len);
	row_bytes += len;
	if (len > 200)
		ev("R %s [%.*s...]\n", name, r, 20);
	else
		ev("R %s [%.*s]\n", name, r, len);
}

static void on_end(void *ctx, const char *name, size_t rows, bool complete,
		   const char *reason)
{
	int n;

	(void)ctx;
	CHECK(complete == (reason == NULL));
	n = snprintf(events + events_len, sizeof(events) - events_len,
		     "E %s %zu %s%s%s\n", name, rows,
		     complete ? "complete" : "incomplete",
		     reason ? ": " : "", reason ? reason : "");
	if (n > 0)
		events_len += (size_t)n;
}

static const struct split_ops ops = { on_begin, on_row, on_end };
static struct split sp;

/* Feeds text (len bytes, may hold NULs) line by line, then finishes. */
static void feed_n(const char *text, size_t len)
{
	size_t start = 0;

	events_len = 0;
	events[0] = '\0';
	row_bytes = 0;
	split_init(&sp, &ops, NULL);
	for (size_t i = 0; i <= len; i++) {
		if (i == len || text[i] == '\n') {
			if (i > start || i < len)
				split_feed_line(&sp, text + start, i - start);
			start = i + 1;
		}
	}
	split_finish(&sp);
	events[events_len] = '\0';
}

static void feed(const char *text)
{
	feed_n(text, strlen(text));
}

/* Events up to the first ':' of each end reason, for stable comparisons. */
static int has_event(const char *prefix)
{
	return strstr(events, prefix) != NULL;
}

static const char sample_log[] =
	"SeaBIOS (version 1.16)\n"
	"# volley 0.1 booting\n"
	"@table meta\n"
	"key,value\n"
	"version,0.1\n"
	"cmdline,\"quick iters=10\"\n"
	"@end meta rows=2\n"
	"# bringing up CPUs\n"
	"@table cpus\n"
	"cpu,apic_id,online\n"
	"0,0,1\n"
	"1,2,1\n"
	"@end cpus rows=2\n"
	"# volley: done status=0\n";

TEST(normal_log)
{
	feed(sample_log);
	CHECK_STR(events,
		  "B meta [key,value]\n"
		  "R meta [version,0.1]\n"
		  "R meta [cmdline,\"quick iters=10\"]\n"
		  "E meta 2 complete\n"
		  "B cpus [cpu,apic_id,online]\n"
		  "R cpus [0,0,1]\n"
		  "R cpus [1,2,1]\n"
		  "E cpus 2 complete\n");
	CHECK_EQ(sp.complete, 2);
	CHECK_EQ(sp.incomplete, 0);
	CHECK(sp.have_done);
	CHECK_EQ(sp.done_status, 0);
}

TEST(crlf_and_nul)
{
	static const char log[] =
		"@table meta\r\nkey,value\r\nversion,0.1\r\r\n\0\r\n"
		"@end meta rows=1\r\n# volley: done status=1\r\n";

	feed_n(log, sizeof(log) - 1);
	CHECK_STR(events, "B meta [key,value]\nR meta [version,0.1]\n"
			  "E meta 1 complete\n");
	CHECK_EQ(sp.done_status, 1);
}

TEST(ansi_escape_noise)
{
	feed("\x1b[2J\x1b[1;1H\x1b[0m\x1b(B@table floor\n"
	     "\x1b[0mtest,p50\x1b[K\n"
	     "rdtsc,\x1b]0;title\x07" "40\n"
	     "\x1b[1m# progress 50%\x1b[0m\n"
	     "\x1b[?25l@end floor rows=1\x1b[?25h\n");
	CHECK_STR(events, "B floor [test,p50]\nR floor [rdtsc,40]\n"
			  "E floor 1 complete\n");
}

TEST(garbage_before_marker)
{
	feed("GRUB loading.  Welcome to GRUB!   booting@table meta\n"
	     "key,value\n"
	     "a,b\n"
	     "half a line from another CPU@end meta rows=1\n"
	     "junk# volley: done status=4\n");
	CHECK_STR(events, "B meta [key,value]\nR meta [a,b]\n"
			  "E meta 1 complete\n");
	CHECK(sp.have_done);
	CHECK_EQ(sp.done_status, 4);
}

TEST(noise_between_tables_ignored)
{
	feed("noise, with, commas\n"
	     "@table a\nx,y\n1,2\n@end a rows=1\n"
	     "more,noise\n@end a rows=7\n"
	     "@table b\nz\n# a person's line, with, commas\n\n3\n@end b rows=1\n"
	     "trailing noise\n");
	CHECK_STR(events, "B a [x,y]\nR a [1,2]\nE a 1 complete\n"
			  "B b [z]\nR b [3]\nE b 1 complete\n");
	CHECK_EQ(sp.incomplete, 0);
	CHECK(!sp.have_done);
}

TEST(truncated_at_eof)
{
	feed("@table ipi_rtt\nsrc,dst\n0,1\n1,0\n");
	CHECK(has_event("E ipi_rtt 2 incomplete: cut off: no @end"));
	CHECK_EQ(sp.complete, 0);
	CHECK_EQ(sp.incomplete, 1);
}

TEST(truncated_by_new_table)
{
	feed("@table a\nx\n1\n@table b\ny\n2\n@end b rows=1\n");
	CHECK(has_event("E a 1 incomplete: cut off by @table b"));
	CHECK(has_event("B b [y]\nR b [2]\nE b 1 complete\n"));
	CHECK_EQ(sp.complete, 1);
	CHECK_EQ(sp.incomplete, 1);
}

TEST(truncated_before_header)
{
	feed("@table a\n# panic: #GP\n");
	CHECK_STR(events, "E a 0 incomplete: cut off: no @end before the end of the log\n");
	feed("@table a\n@end a rows=0\n");
	CHECK(has_event("E a 0 incomplete: no header"));
}

TEST(end_of_other_table)
{
	feed("@table a\nx\n1\n@end b rows=1\n2\n");
	CHECK(has_event("E a 1 incomplete: @end b at line 4 closes it"));
	/* the table is closed: the following line is noise */
	CHECK_EQ(sp.state, SPLIT_OUTSIDE);
	CHECK_EQ(sp.incomplete, 1);
}

TEST(end_without_rows)
{
	feed("@table a\nx\n1\n@end a\n");
	CHECK(has_event("E a 1 incomplete: @end without rows=K"));
	feed("@table a\nx\n1\n@end a rows=1x\n");
	CHECK(has_event("E a 1 incomplete: @end without rows=K"));
	feed("@table a\nx\n1\n@end a rows=\n");
	CHECK(has_event("E a 1 incomplete: @end without rows=K"));
}

TEST(row_count_mismatch)
{
	feed("@table a\nx\n1\n2\n@end a rows=3\n");
	CHECK(has_event("E a 2 incomplete: @end says rows=3, saw 2"));
	feed("@table a\nx\n1\n2\n@end a rows=1\n");
	CHECK(has_event("E a 2 incomplete: @end says rows=1, saw 2"));
	feed("@table a\nx\n@end a rows=99999999999999999999999\n");
	CHECK(has_event("E a 0 incomplete: @end says rows="));
}

TEST(field_count_mismatch)
{
	feed("@table a\nx,y,z\n1,2,3\n1,2\n4,5,6\n@end a rows=3\n");
	CHECK(has_event("E a 3 incomplete: row 2 has 2 fields, header 3"));
	/* rows after the bad one are not passed on */
	CHECK(!has_event("R a [4,5,6]"));
	feed("@table a\nx,y\n1,2,3\n@end a rows=1\n");
	CHECK(has_event("E a 1 incomplete: row 1 has 3 fields, header 2"));
}

TEST(quoted_commas)
{
	CHECK_EQ(split_count_fields("a,\"b,c\",d", 9), 3);
	CHECK_EQ(split_count_fields("\"x\"\"y,z\"", 8), 1);
	CHECK_EQ(split_count_fields("", 0), 1);
	CHECK_EQ(split_count_fields(",,", 2), 3);
	feed("@table meta\nkey,value\ncmdline,\"bench=ipi,csd iters=5\"\n"
	     "note,\"say \"\"hi, there\"\"\"\n@end meta rows=2\n");
	CHECK(has_event("E meta 2 complete"));
}

TEST(repeated_table)
{
	feed("@table a\nx\n1\n@end a rows=1\n@table a\nx\n2\n@end a rows=1\n");
	CHECK_STR(events, "B a [x]\nR a [1]\nE a 1 complete\n"
			  "B a [x]\nR a [2]\nE a 1 complete\n");
	CHECK_EQ(sp.complete, 2);
}

TEST(done_status)
{
	feed("# volley: done status=0\nnoise\n# volley: done status=3\r\n");
	CHECK(sp.have_done);
	CHECK_EQ(sp.done_status, 3);
	feed("# volley: done status=\n# volley: done status=x\n");
	CHECK(!sp.have_done);
	feed("# volley: done status=12345678901234567890\n");
	CHECK(!sp.have_done);
	feed("# volley: done\n# volley: dune status=1\n");
	CHECK(!sp.have_done);
}

TEST(bad_names_are_noise)
{
	/* names become file names: nothing but [A-Za-z0-9_-] */
	feed("@table ../etc/x\nk\n1\n@end ../etc/x rows=1\n@table\n@tablex y\n");
	CHECK_STR(events, "");
	CHECK_EQ(sp.complete + sp.incomplete, 0);
	feed("@table a b\nk\n@end a rows=0 \n");
	CHECK_STR(events, "B a [k]\nE a 0 complete\n");
}

TEST(very_long_lines)
{
	size_t big = 3 * SPLIT_LINE_MAX;
	char *log = malloc(big + SPLIT_LINE_MAX + 4096);
	size_t n = 0;

	/* a long noise line ending in a marker, then a long (fitting) row */
	memset(log, 'z', big);
	n = big;
	n += (size_t)sprintf(log + n, "@table long\nk,v\nrow,");
	memset(log + n, 'v', SPLIT_LINE_MAX - 100);
	n += SPLIT_LINE_MAX - 100;
	n += (size_t)sprintf(log + n, "\n@end long rows=1\n");
	feed_n(log, n);
	CHECK(has_event("E long 1 complete"));
	CHECK_EQ(row_bytes, 4 + SPLIT_LINE_MAX - 100);

	/* a row longer than the buffer makes the table incomplete */
	n = (size_t)sprintf(log, "@table long\nk,v\nrow,");
	memset(log + n, 'v', 2 * SPLIT_LINE_MAX);
	n += 2 * SPLIT_LINE_MAX;
	n += (size_t)sprintf(log + n, "\nr,2\n@end long rows=2\n");
	feed_n(log, n);
	CHECK(has_event("E long 2 incomplete: row 1 longer than"));
	CHECK_EQ(row_bytes, 0);
	free(log);
}

TEST(clean)
{
	char out[8];

	CHECK_EQ(split_clean(out, sizeof(out), "a\x1b[31mb\r\0c ", 11), 3);
	CHECK_STR(out, "abc");
	CHECK_EQ(split_clean(out, sizeof(out), "0123456789", 10), sizeof(out));
	CHECK_STR(out, "0123456");
	CHECK_EQ(split_clean(out, sizeof(out), "\x1b", 1), 0);
	CHECK_EQ(split_clean(out, sizeof(out), "\x1b[", 2), 0);
	CHECK_EQ(split_clean(out, sizeof(out), "x\x1b]unterminated", 15), 1);
	CHECK_STR(out, "x");
}

int main(void)
{
	RUN(normal_log);
	RUN(crlf_and_nul);
	RUN(ansi_escape_noise);
	RUN(garbage_before_marker);
	RUN(noise_between_tables_ignored);
	RUN(truncated_at_eof);
	RUN(truncated_by_new_table);
	RUN(truncated_before_header);
	RUN(end_of_other_table);
	RUN(end_without_rows);
	RUN(row_count_mismatch);
	RUN(field_count_mismatch);
	RUN(quoted_commas);
	RUN(repeated_table);
	RUN(done_status);
	RUN(bad_names_are_noise);
	RUN(very_long_lines);
	RUN(clean);
	return check_done();
}
