// SPDX-License-Identifier: MIT
/*
 * vratio: Linux/volley ratios of the like-for-like rows of two run folders,
 * for `make compare` (results/compare.sh calls it once).
 *
 *   vratio RUN...     the first volley run (meta side != linux) against
 *                     every Linux run (meta side,linux); text on stdout
 *
 * Per comparison, the p50_ns of each side's row; where a table has a row
 * per CPU pair, the median over pairs (core/stats.c, as everywhere). Each
 * line says what the two rows bracket. Exit: 0 printed, 1 no pair of a
 * volley and a Linux run among the folders, 2 usage or I/O error.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"
#include "results/table.h"

#define LINE_MAX_	65536
#define VALUES_MAX	4096

/* A whole CSV file in memory, split by results/table.c. */
struct table {
	char *hline;
	struct table_row head;
	char **lines;
	struct table_row *rows;
	unsigned nrows;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("vratio");
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d) {
		perror("vratio");
		exit(2);
	}
	return d;
}

/* false when the file is missing or has no header. */
static bool table_load(struct table *t, const char *dir, const char *name)
{
	static char line[LINE_MAX_];
	char path[4096];
	FILE *fp;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
	fp = fopen(path, "r");
	if (!fp)
		return false;
	if (!fgets(line, sizeof(line), fp)) {
		fclose(fp);
		return false;
	}
	t->hline = xstrdup(line);
	table_header(&t->head, t->hline);
	while (fgets(line, sizeof(line), fp)) {
		if (line[0] == '\n' || line[0] == '\r' || !line[0])
			continue;
		t->lines = xrealloc(t->lines, (t->nrows + 1) * sizeof(*t->lines));
		t->rows = xrealloc(t->rows, (t->nrows + 1) * sizeof(*t->rows));
		t->lines[t->nrows] = xstrdup(line);
		table_split(t->lines[t->nrows], &t->rows[t->nrows]);
		t->nrows++;
	}
	fclose(fp);
	return true;
}

static void table_free(struct table *t)
{
	for (unsigned r = 0; r < t->nrows; r++)
		free(t->lines[r]);
	free(t->hline);
	free(t->lines);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

static int col(const struct table *t, const char *name)
{
	return table_find(&t->head, name);
}

static const char *cell(const struct table *t, unsigned r, const char *name)
{
	return table_get(&t->rows[r], col(t, name));
}

/*
 * A row filter: up to 4 column=value conditions. A condition on a column
 * the table lacks holds when `absent_ok` (volley's csd rows before the wait
 * column: their targets spin).
 */
struct cond {
	const char *col, *val;
	bool absent_ok;
};

/* Median of p50_ns over the matching rows; false when none has a value. */
static bool median_p50(const char *dir, const char *table, const struct cond *c,
		       unsigned nc, uint64_t *out, unsigned *nrows)
{
	static uint64_t v[VALUES_MAX];
	struct table t;
	unsigned n = 0;

	*nrows = 0;
	if (!table_load(&t, dir, table))
		return false;
	for (unsigned r = 0; r < t.nrows && n < VALUES_MAX; r++) {
		bool match = true;
		const char *p;
		char *end;

		for (unsigned k = 0; k < nc && match; k++) {
			if (!c[k].col)
				continue;
			if (col(&t, c[k].col) < 0)
				match = c[k].absent_ok;
			else
				match = !strcmp(cell(&t, r, c[k].col), c[k].val);
		}
		if (!match)
			continue;
		/* stats tables carry p50_ns; the summary table its value in ns */
		p = cell(&t, r, col(&t, "p50_ns") >= 0 ? "p50_ns" : "value");
		v[n] = strtoull(p, &end, 10);
		if (*p && !*end)
			n++;
	}
	table_free(&t);
	if (!n)
		return false;
	stats_sort(v, n);
	*out = stats_percentile(v, n, 500);
	*nrows = n;
	return true;
}

static bool meta_get(const char *dir, const char *key, char *val, size_t size)
{
	struct table t;
	bool found = false;

	if (!table_load(&t, dir, "meta"))
		return false;
	for (unsigned r = 0; r < t.nrows && !found; r++)
		if (!strcmp(cell(&t, r, "key"), key)) {
			snprintf(val, size, "%s", cell(&t, r, "value"));
			found = true;
		}
	table_free(&t);
	return found;
}

static bool is_linux(const char *dir)
{
	char v[64];

	return meta_get(dir, "side", v, sizeof(v)) && !strcmp(v, "linux");
}

#define IS(c, v)	 { c, v, false }
#define ABSENT_OR(c, v)	 { c, v, true }

/* One like-for-like comparison. */
struct cmp {
	const char *what;
	const char *vtable;
	struct cond vc[4];
	const char *ltable;
	struct cond lc[4];
	const char *vbrackets, *lbrackets;
};

static const struct cmp cmps[] = {
	{ "csd sync, target spinning",
	  "csd", { IS("test", "sync"), IS("queue", "llist"), IS("kick", "empty"),
		   ABSENT_OR("wait", "spin") },
	  "csd", { IS("test", "sync"), IS("wait", "spin") },
	  "csd_lock, llist enqueue, IPI if the queue was empty, the handler drains the queue and "
	  "unlocks, the caller sees the unlock (bench/csd.c)",
	  "smp_call_function_single(wait=1) from a kthread: the same design in kernel/smp.c, plus "
	  "Linux's IDT entry/exit and irq accounting on the target" },
	{ "csd sync, target halted",
	  "csd", { IS("test", "sync"), IS("queue", "llist"), IS("kick", "empty"),
		   IS("wait", "hlt") },
	  "csd", { IS("test", "sync"), IS("wait", "hlt") },
	  "as above, the target in hlt",
	  "as above, the target in the idle loop's hlt (idle=halt): wake-up, irq entry, the "
	  "idle loop's exit and re-entry" },
	{ "IPI round trip, target spinning",
	  "ipi_rtt", { IS("wait", "spin") },
	  "ipi_rtt", { IS("wait", "spin") },
	  "a bare IPI there and one back (ICR write, handler, EOI)",
	  "an async csd there whose handler sends one back: two IPIs with call_single_queue on "
	  "both ends" },
	{ "IPI round trip, target halted",
	  "ipi_rtt", { IS("wait", "hlt") },
	  "ipi_rtt", { IS("wait", "hlt") },
	  "as above, the responder in hlt",
	  "as above, the responder in the idle loop's hlt" },
	{ "broadcast to all: on_each_cpu",
	  "csd", { IS("test", "each"), IS("queue", "llist"), IS("kick", "empty"),
		   ABSENT_OR("wait", "spin") },
	  "csd", { IS("test", "each"), IS("wait", "spin") },
	  "csd to every other CPU, the local call, wait for every csd (volley's on_each_cpu)",
	  "on_each_cpu(f, wait=1): smp_call_function_many's mask IPI (or all-but-self "
	  "shorthand), the local call, csd_lock_wait on each" },
	{ "broadcast to all: bare IPI vs on_each_cpu",
	  "summary", { IS("metric", "bcast_all_shorthand_p50") },
	  "csd", { IS("test", "each"), IS("wait", "spin") },
	  "the all-but-self shorthand IPI to every other CPU, until the last ack (ipi_bcast)",
	  "on_each_cpu(f, wait=1), as above: what a kernel broadcast costs over the bare IPI" },
	{ "shootdown, 1 page, 1 target",
	  "tlb", { IS("strategy", "invlpg"), IS("pages", "1"), IS("targets", "1") },
	  "tlb", { IS("strategy", "madvise"), IS("pages", "1"), IS("targets", "1") },
	  "change the PTE, invlpg locally, IPI the target to invlpg, wait for its ack",
	  "madvise(MADV_DONTNEED) of 1 page from user space: the system call, zap_page_range, "
	  "flush_tlb_mm_range's IPI to the target thread's CPU, the wait; the freed page" },
	{ "shootdown, 1 page, 1 target (mprotect)",
	  "tlb", { IS("strategy", "invlpg"), IS("pages", "1"), IS("targets", "1") },
	  "tlb", { IS("strategy", "mprotect"), IS("pages", "1"), IS("targets", "1") },
	  "as above",
	  "mprotect(PROT_NONE) of 1 page: the system call, VMA split, change_protection, the "
	  "flush IPI and wait" },
	{ "shootdown, 1 page, 1 target (munmap)",
	  "tlb", { IS("strategy", "invlpg"), IS("pages", "1"), IS("targets", "1") },
	  "tlb", { IS("strategy", "munmap"), IS("pages", "1"), IS("targets", "1") },
	  "as above",
	  "munmap of 1 page: the system call, VMA split and unmap, the flush IPI and wait" },
};

static void compare(const char *vdir, const char *ldir)
{
	char vk[256] = "?", lk[256] = "?";

	meta_get(vdir, "version", vk, sizeof(vk));
	meta_get(ldir, "kernel", lk, sizeof(lk));
	printf("Linux/volley ratios (p50 ns; median over CPU pairs where the table has a row per pair)\n");
	printf("  volley: %s (volley %s)\n  linux:  %s (%s)\n\n", vdir, vk, ldir, lk);
	printf("  %-40s %12s %12s %8s\n", "row", "volley_ns", "linux_ns", "ratio");
	for (size_t i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		const struct cmp *c = &cmps[i];
		uint64_t v = 0, l = 0;
		unsigned nv = 0, nl = 0;
		bool hv = median_p50(vdir, c->vtable, c->vc, 4, &v, &nv);
		bool hl = median_p50(ldir, c->ltable, c->lc, 4, &l, &nl);
		char vs[24] = "-", ls[24] = "-", rs[24] = "-";

		if (hv)
			snprintf(vs, sizeof(vs), "%llu", (unsigned long long)v);
		if (hl)
			snprintf(ls, sizeof(ls), "%llu", (unsigned long long)l);
		if (hv && hl && v)
			snprintf(rs, sizeof(rs), "%.3g", (double)l / (double)v);
		printf("  %-40s %12s %12s %8s\n", c->what, vs, ls, rs);
	}
	printf("\nwhat each side's row brackets (from the first timestamp to the second):\n");
	for (size_t i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		printf("  %s\n    volley: %s\n    linux:  %s\n", cmps[i].what, cmps[i].vbrackets,
		       cmps[i].lbrackets);
	}
}

int main(int argc, char **argv)
{
	const char *vdir = NULL;
	int printed = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: vratio RUN_DIR RUN_DIR...\n");
		return 2;
	}
	for (int i = 1; i < argc && !vdir; i++)
		if (!is_linux(argv[i]))
			vdir = argv[i];
	for (int i = 1; vdir && i < argc; i++) {
		if (!is_linux(argv[i]))
			continue;
		if (printed++)
			printf("\n");
		compare(vdir, argv[i]);
	}
	if (!printed) {
		printf("no Linux/volley ratios: the runs need one volley run and one Linux run "
		       "(make linux-run)\n");
		return 1;
	}
	return 0;
}
