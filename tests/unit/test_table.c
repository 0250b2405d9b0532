/* SPDX-License-Identifier: MIT */
/* Host tests of reading CSV tables by column name (results/table.c). */
#include "tests/unit/check.h"
#include "results/table.h"

TEST(split_plain_and_crlf)
{
	char line[] = "0,1,spin,smt\r\n";
	struct table_row r;

	CHECK_EQ(table_split(line, &r), 4);
	CHECK_STR(r.f[0], "0");
	CHECK_STR(r.f[2], "spin");
	CHECK_STR(r.f[3], "smt");	/* CR and LF gone */
}

TEST(split_quotes)
{
	char line[] = "cmdline,\"bench=ipi,tlb wait=\"\"spin\"\"\",x";
	struct table_row r;

	CHECK_EQ(table_split(line, &r), 3);
	CHECK_STR(r.f[0], "cmdline");
	CHECK_STR(r.f[1], "bench=ipi,tlb wait=\"spin\"");
	CHECK_STR(r.f[2], "x");
}

TEST(split_empty_fields)
{
	char line[] = ",,", empty[] = "";
	struct table_row r;

	CHECK_EQ(table_split(line, &r), 3);
	CHECK_STR(r.f[1], "");
	CHECK_EQ(table_split(empty, &r), 1);
	CHECK_STR(r.f[0], "");
}

TEST(header_by_name)
{
	char h[] = "src, dst ,\"wait\",p50,p50_lo,p50_hi,p50_ns\n";
	char row[] = "3,4,hlt,100,90,110,38";
	char shortrow[] = "3,4";
	struct table_row hd, r;

	table_header(&hd, h);
	CHECK_EQ(table_find(&hd, "dst"), 1);	/* blanks trimmed */
	CHECK_EQ(table_find(&hd, "wait"), 2);	/* quotes trimmed */
	CHECK_EQ(table_find(&hd, "p50_ns"), 6);	/* new columns do not shift it */
	CHECK_EQ(table_find(&hd, "relation"), -1);
	table_split(row, &r);
	CHECK_STR(table_get(&r, table_find(&hd, "p50_ns")), "38");
	CHECK_STR(table_get(&r, table_find(&hd, "relation")), "NA");
	table_split(shortrow, &r);
	CHECK_STR(table_get(&r, table_find(&hd, "wait")), "");
}

TEST(na_values)
{
	CHECK(table_na(""));
	CHECK(table_na("NA"));
	CHECK(table_na("nan"));
	CHECK(table_na("-"));
	CHECK(!table_na("0"));
	CHECK(!table_na("NaN x"));
}

int main(void)
{
	RUN(split_plain_and_crlf);
	RUN(split_quotes);
	RUN(split_empty_fields);
	RUN(header_by_name);
	RUN(na_values);
	return check_done();
}
