/* SPDX-License-Identifier: MIT */
/*
 * vcheck RUN_DIR: check the values of a run folder's tables (results/check.h).
 *
 * Reads RUN_DIR/<table>.csv for the tables of the contract and raw_<table>
 * for the stats tables, prints one line per violation and a last line
 * "vcheck: ok: ..." or "vcheck: FAIL: N violations ...".
 * Exit: 0 no violation, 1 violations, 2 usage or I/O error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/check.h"
#include "results/table.h"

static const char *const names[] = {
	"meta", "cpus", "errors", "ipi_rtt", "ipi_bcast", "csd", "tlb",
	"tlb_ceiling", "floor", "summary", "raw_ipi_rtt", "raw_ipi_bcast",
	"raw_csd", "raw_tlb", "raw_floor",
};
#define NNAMES	(sizeof(names) / sizeof(names[0]))

static void out_stdout(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	fwrite(s, 1, n, stdout);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 65536 + 1 > cap) {
			cap = (n + 65536 + 1) * 2;
			buf = realloc(buf, cap);
			if (!buf) {
				fclose(f);
				return NULL;
			}
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

/* What load() allocated for one table. */
static char *bufs[NNAMES];

/* Loads dir/name.csv into t; 0 ok, 1 absent, 2 I/O error; *bad counts malformed lines. */
static int load(const char *dir, const char *name, struct vc_table *t, size_t *bad,
		char **keep)
{
	char path[4096];
	size_t len, lines = 0, ncols, cap = 0;
	char *buf, *p;
	const char **cells = NULL, **head;

	snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
	buf = slurp(path, &len);
	if (!buf) {
		if (errno == ENOENT)
			return 1;
		fprintf(stderr, "vcheck: %s: %s\n", path, strerror(errno));
		return 2;
	}
	for (p = buf; *p; p++)
		lines += *p == '\n';
	lines++;
	*keep = buf;
	/* The header, then every non-empty line as a row. */
	struct table_row *row = malloc(sizeof(*row));
	char *nl = strchr(buf, '\n');

	if (!row) {
		fprintf(stderr, "vcheck: %s: out of memory\n", path);
		return 2;
	}
	p = nl ? nl + 1 : buf + strlen(buf);
	if (nl)
		*nl = 0;
	table_header(row, buf);
	ncols = row->n;
	head = calloc(ncols, sizeof(*head));
	cap = lines * ncols;
	cells = calloc(cap ? cap : 1, sizeof(*cells));
	if (!head || !cells) {
		fprintf(stderr, "vcheck: %s: out of memory\n", path);
		return 2;
	}
	memcpy(head, row->f, ncols * sizeof(*head));
	size_t line = 1, nrows = 0;

	while (*p) {
		line++;
		nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		if (*p && *p != '\r') {
			if (table_split(p, row) != ncols || ncols >= TABLE_COLS_MAX) {
				printf("%s.csv:%zu: %zu fields, the header has %zu\n", name, line,
				       row->n, ncols);
				(*bad)++;
			} else {
				memcpy(cells + nrows++ * ncols, row->f, ncols * sizeof(*cells));
			}
		}
		p = nl ? nl + 1 : p + strlen(p);
	}
	free(row);
	*t = (struct vc_table){ name, ncols, nrows, head, cells };
	return 0;
}

int main(int argc, char **argv)
{
	struct vc_table tables[NNAMES];
	size_t nt = 0, bad = 0, scratch_n = VC_SCRATCH_MIN;
	struct vc_result res;
	struct vc_run run;

	if (argc != 2) {
		fprintf(stderr, "usage: vcheck RUN_DIR\n");
		return 2;
	}
	for (size_t i = 0; i < NNAMES; i++) {
		int rc = load(argv[1], names[i], &tables[nt], &bad, &bufs[i]);

		if (rc == 2)
			return 2;
		if (rc == 0) {
			if (!strncmp(names[i], "raw_", 4) && tables[nt].nrows > scratch_n)
				scratch_n = tables[nt].nrows;
			nt++;
		}
	}
	if (!nt) {
		fprintf(stderr, "vcheck: %s: no tables (no <table>.csv files)\n", argv[1]);
		return 2;
	}
	run = (struct vc_run){ tables, nt, malloc(scratch_n * sizeof(uint64_t)), scratch_n,
			       out_stdout, NULL };
	if (!run.scratch) {
		fprintf(stderr, "vcheck: out of memory\n");
		return 2;
	}
	vc_check(&run, &res);
	res.violations += bad;
	if (res.violations)
		printf("vcheck: FAIL: %s: %zu violations (%zu tables, %zu rows)\n", argv[1],
		       res.violations, res.tables, res.rows);
	else
		printf("vcheck: ok: %s: %zu tables, %zu rows, no violations\n", argv[1],
		       res.tables, res.rows);
	for (size_t i = 0; i < nt; i++) {
		free((void *)tables[i].head);
		free((void *)tables[i].cell);
	}
	for (size_t i = 0; i < NNAMES; i++)
		free(bufs[i]);
	free(run.scratch);
	return res.violations ? 1 : 0;
}
