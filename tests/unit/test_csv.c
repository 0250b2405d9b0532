/* SPDX-License-Identifier: MIT */
/* Host tests for the CSV table writer (core/csv.c). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "core/csv.h"

/* A sink that records everything and how many out() calls it took. */
struct sink {
	char buf[8192];
	size_t len;
	unsigned calls;
	char last[1024];	/* the bytes of the last call */
};

static void sink_out(void *ctx, const char *s, size_t n)
{
	struct sink *k = ctx;

	if (k->len + n < sizeof(k->buf)) {
		memcpy(k->buf + k->len, s, n);
		k->len += n;
		k->buf[k->len] = 0;
	}
	if (n < sizeof(k->last)) {
		memcpy(k->last, s, n);
		k->last[n] = 0;
	}
	k->calls++;
}

static struct sink *sink_new(void)
{
	return calloc(1, sizeof(struct sink));
}

TEST(whole_table)
{
	struct sink *k = sink_new();
	struct csv t;

	csv_begin(&t, sink_out, k, "floor", "test,src,dst,samples");
	CHECK_EQ(k->calls, 1);	/* tag and header together */
	CHECK_EQ(t.ncols, 4);
	CHECK_EQ(t.rows, 0);
	CHECK(!t.bad);
	csv_row(&t, "%s,%u,%u,%llu", "rdtsc", 0u, 0u, 1000ull);
	csv_row(&t, "%s,%d,%s,%d", "icr_write", 3, "NA", -1);
	CHECK_EQ(k->calls, 3);	/* one call per row */
	CHECK_STR(k->last, "icr_write,3,NA,-1\n");
	CHECK_EQ(t.rows, 2);
	csv_end(&t);
	CHECK_EQ(k->calls, 4);
	CHECK(!t.bad);
	CHECK_STR(k->buf, "@table floor\n"
		  "test,src,dst,samples\n"
		  "rdtsc,0,0,1000\n"
		  "icr_write,3,NA,-1\n"
		  "@end floor rows=2\n");
	free(k);
}

TEST(empty_table)
{
	struct sink *k = sink_new();
	struct csv t;

	csv_begin(&t, sink_out, k, "errors", "where,cpu,what,waited_us");
	csv_end(&t);
	CHECK(!t.bad);
	CHECK_STR(k->buf, "@table errors\nwhere,cpu,what,waited_us\n"
		  "@end errors rows=0\n");
	free(k);
}

TEST(row_counting)
{
	struct sink *k = sink_new();
	struct csv t;

	csv_begin(&t, sink_out, k, "cpus", "cpu");
	for (unsigned i = 0; i < 123; i++)
		csv_row(&t, "%u", i);
	CHECK_EQ(t.rows, 123);
	csv_end(&t);
	CHECK_STR(k->last, "@end cpus rows=123\n");
	CHECK(!t.bad);
	free(k);
}

TEST(field_count_check)
{
	struct sink *k = sink_new();
	struct csv t;

	csv_begin(&t, sink_out, k, "meta", "key,value");
	CHECK_EQ(t.ncols, 2);
	csv_row(&t, "version,%s", "1.0");
	CHECK(!t.bad);
	/* Commas inside quotes are not separators. */
	csv_row(&t, "brand,%s", "\"Intel(R), Xeon\"");
	CHECK(!t.bad);
	csv_row(&t, "quote,\"a \"\"b\"\", c\"");
	CHECK(!t.bad);
	csv_row(&t, "empty,");
	CHECK(!t.bad);
	/* Too few and too many: still emitted and counted, but bad. */
	csv_row(&t, "lonely");
	CHECK(t.bad);
	CHECK_STR(k->last, "lonely\n");
	CHECK_EQ(t.rows, 5);
	t.bad = false;
	csv_row(&t, "a,b,c");
	CHECK(t.bad);
	CHECK_STR(k->last, "a,b,c\n");
	t.bad = false;
	csv_row(&t, "%s", "");
	CHECK(t.bad);	/* an empty row is one field */
	t.bad = false;
	/* A comma smuggled in through an argument counts too. */
	csv_row(&t, "brand,%s", "Intel(R), Xeon");
	CHECK(t.bad);
	csv_end(&t);
	CHECK_STR(k->last, "@end meta rows=8\n");
	free(k);
}

TEST(malformed_rows)
{
	struct sink *k = sink_new();
	struct csv t;

	csv_begin(&t, sink_out, k, "m", "a,b");
	csv_row(&t, "x,\"open");		/* unbalanced quote */
	CHECK(t.bad);
	t.bad = false;
	csv_row(&t, "x,%s", "two\nlines");	/* breaks the line format */
	CHECK(t.bad);
	t.bad = false;
	csv_row(&t, "x,%s", "cr\r");
	CHECK(t.bad);
	t.bad = false;
	csv_row(&t, "@end m,rows=1");		/* looks like a marker */
	CHECK(t.bad);
	t.bad = false;
	csv_row(&t, "# not data,1");
	CHECK(t.bad);
	t.bad = false;
	csv_row(&t, "x,@ok");			/* only the first byte matters */
	CHECK(!t.bad);
	free(k);
}

TEST(header_checks)
{
	struct sink *k = sink_new();
	struct csv t;

	csv_begin(&t, sink_out, k, "x", "a,\"b");
	CHECK(t.bad);
	csv_begin(&t, sink_out, k, "x", NULL);
	CHECK(t.bad);
	csv_begin(&t, sink_out, k, "x", "a");
	CHECK(!t.bad);	/* begin resets */
	CHECK_EQ(t.ncols, 1);
	csv_begin(&t, sink_out, k, "ipi_rtt",
		  "src,dst,wait,relation,samples,min,p50,p90,p99,max,mean,"
		  "stddev,batch_mean,ts_dominated,p50_ns,oneway_ns");
	CHECK_EQ(t.ncols, 16);
	free(k);
}

TEST(long_rows)
{
	struct sink *k = sink_new();
	struct csv t;
	char big[CSV_LINE_MAX + 100];
	char want[CSV_LINE_MAX + 200];

	csv_begin(&t, sink_out, k, "l", "a,b");
	/* The longest row that fits: CSV_LINE_MAX - 2 bytes + "\n". */
	memset(big, 'x', sizeof(big));
	big[CSV_LINE_MAX - 2 - 2] = 0;
	unsigned before = k->calls;
	csv_row(&t, "1,%s", big);
	CHECK(!t.bad);
	CHECK_EQ(k->calls, before + 1);
	CHECK_EQ(strlen(k->last), CSV_LINE_MAX - 1);
	/* One more byte: emitted in full (data kept), but bad. */
	big[CSV_LINE_MAX - 2 - 2] = 'x';
	big[CSV_LINE_MAX - 2 - 1] = 0;
	size_t start = k->len;
	csv_row(&t, "1,%s", big);
	CHECK(t.bad);
	snprintf(want, sizeof(want), "1,%s\n", big);
	CHECK_STR(k->buf + start, want);
	CHECK_EQ(t.rows, 2);
	/* Far too long too. */
	t.bad = false;
	big[sizeof(big) - 1] = 0;
	start = k->len;
	csv_row(&t, "2,%s", big);
	CHECK(t.bad);
	snprintf(want, sizeof(want), "2,%s\n", big);
	CHECK_STR(k->buf + start, want);
	CHECK_EQ(t.rows, 3);
	free(k);
}

TEST(long_names)
{
	struct sink *k = sink_new();
	struct csv t;
	char name[700];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	csv_begin(&t, sink_out, k, name, "a");
	csv_end(&t);
	CHECK(strncmp(k->buf, "@table nnn", 10) == 0);
	CHECK(strstr(k->buf, "\na\n@end nnnn"));
	CHECK(strstr(k->buf, "n rows=0\n"));
	CHECK_EQ(k->len, 2 * (sizeof(name) - 1) + strlen("@table \na\n@end  rows=0\n"));
	free(k);
}

TEST(field_quoting)
{
	char d[64];

	CHECK(csv_field(d, sizeof(d), "GenuineIntel"));
	CHECK_STR(d, "GenuineIntel");
	CHECK(csv_field(d, sizeof(d), ""));
	CHECK_STR(d, "");
	CHECK(csv_field(d, sizeof(d), NULL));
	CHECK_STR(d, "NA");
	CHECK(csv_field(d, sizeof(d), "Intel(R) Xeon(R), 2.2GHz"));
	CHECK_STR(d, "\"Intel(R) Xeon(R), 2.2GHz\"");
	CHECK(csv_field(d, sizeof(d), "say \"hi\""));
	CHECK_STR(d, "\"say \"\"hi\"\"\"");
	CHECK(csv_field(d, sizeof(d), "\""));
	CHECK_STR(d, "\"\"\"\"");
	CHECK(csv_field(d, sizeof(d), "tab\there\nnl\x7f\x1b"));
	CHECK_STR(d, "tab?here?nl??");
	CHECK(csv_field(d, sizeof(d), "#comment"));
	CHECK_STR(d, "\"#comment\"");
	CHECK(csv_field(d, sizeof(d), "@table x"));
	CHECK_STR(d, "\"@table x\"");
	CHECK(csv_field(d, sizeof(d), "a#b@c"));
	CHECK_STR(d, "a#b@c");
	CHECK(csv_field(d, sizeof(d), "caf\xc3\xa9"));	/* UTF-8 kept */
	CHECK_STR(d, "caf\xc3\xa9");

	/* The quoted field is one field to the writer's counter. */
	bool ok;

	csv_field(d, sizeof(d), "iters=5 bench=ipi,tlb \"x\"");
	CHECK_EQ(csv_count_fields(d, strlen(d), &ok), 1);
	CHECK(ok);
}

TEST(field_truncation)
{
	char d[16];

	/* Plain: size - 1 bytes. */
	memset(d, 'Z', sizeof(d));
	CHECK(!csv_field(d, 6, "abcdefgh"));
	CHECK_STR(d, "abcde");
	CHECK_EQ(d[6], 'Z');
	CHECK(csv_field(d, 6, "abcde"));	/* exactly fits */
	CHECK_STR(d, "abcde");
	/* Quoted: the closing quote survives. */
	memset(d, 'Z', sizeof(d));
	CHECK(!csv_field(d, 8, "a,bcdefgh"));
	CHECK_STR(d, "\"a,bcd\"");
	CHECK_EQ(d[8], 'Z');
	CHECK(!csv_field(d, 8, "a,bcde"));
	CHECK(csv_field(d, 9, "a,bcde"));	/* exactly fits */
	CHECK_STR(d, "\"a,bcde\"");
	/* A doubled quote is never cut in half. */
	CHECK(!csv_field(d, 6, "ab\"c"));	/* "ab"" + " needs 7 */
	CHECK_STR(d, "\"ab\"");
	CHECK(!csv_field(d, 5, "a\"\"b"));
	CHECK_STR(d, "\"a\"");
	/* Too small for any quoted field: empty. */
	CHECK(!csv_field(d, 2, ","));
	CHECK_STR(d, "");
	CHECK(csv_field(d, 3, ""));
	CHECK_STR(d, "");
	CHECK(!csv_field(d, 1, "a"));
	CHECK_STR(d, "");
	memset(d, 'Z', sizeof(d));
	CHECK(!csv_field(d, 0, "a"));
	CHECK_EQ(d[0], 'Z');

	/* Every truncation is still one balanced field. */
	for (size_t size = 1; size <= sizeof(d); size++) {
		bool ok;

		csv_field(d, size, "x\"\",y\"z,\"");
		CHECK(strlen(d) < size);
		CHECK_EQ(csv_count_fields(d, strlen(d), &ok), 1);
		CHECK(ok);
	}
}

TEST(count_fields)
{
	bool ok;

	CHECK_EQ(csv_count_fields("", 0, &ok), 1);
	CHECK(ok);
	CHECK_EQ(csv_count_fields(",,", 2, &ok), 3);
	CHECK_EQ(csv_count_fields("a,\"b,c\",d", 9, &ok), 3);
	CHECK(ok);
	CHECK_EQ(csv_count_fields("a,\"b", 4, &ok), 2);
	CHECK(!ok);
	CHECK_EQ(csv_count_fields("a,b", 1, NULL), 1);	/* only n bytes */
}

/* Two tables written interleaved keep their own state (reentrant). */
TEST(two_tables)
{
	struct sink *k1 = sink_new(), *k2 = sink_new();
	struct csv a, b;

	csv_begin(&a, sink_out, k1, "a", "x");
	csv_begin(&b, sink_out, k2, "b", "x,y");
	csv_row(&a, "1");
	csv_row(&b, "1,2");
	csv_row(&b, "3,4");
	csv_end(&a);
	csv_end(&b);
	CHECK(!a.bad && !b.bad);
	CHECK_STR(k1->buf, "@table a\nx\n1\n@end a rows=1\n");
	CHECK_STR(k2->buf, "@table b\nx,y\n1,2\n3,4\n@end b rows=2\n");
	free(k1);
	free(k2);
}

int main(void)
{
	RUN(whole_table);
	RUN(empty_table);
	RUN(row_counting);
	RUN(field_count_check);
	RUN(malformed_rows);
	RUN(header_checks);
	RUN(long_rows);
	RUN(long_names);
	RUN(field_quoting);
	RUN(field_truncation);
	RUN(count_fields);
	RUN(two_tables);
	return check_done();
}
