/* SPDX-License-Identifier: MIT */
/*
 * vsplit LOG OUTDIR: split a volley serial log into OUTDIR/<table>.csv.
 *
 * Each complete table is written as header + rows with LF line ends; when a
 * table appears more than once the last complete occurrence wins. Incomplete
 * tables are named on stderr and leave no file (an earlier complete
 * occurrence stays). Exit: 0 all tables complete, 1 some incomplete,
 * 2 usage or I/O error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "results/split.h"

struct out {
	const char *dir;
	FILE *f;		/* the open table's temporary file */
	char tmp[4096];
	char path[4096];
	int io_error;
	size_t written;
};

static void io_fail(struct out *o, const char *what, const char *path)
{
	fprintf(stderr, "vsplit: %s %s: %s\n", what, path, strerror(errno));
	o->io_error = 1;
}

static void put_line(struct out *o, const char *s, size_t len)
{
	if (!o->f)
		return;
	if (fwrite(s, 1, len, o->f) != len || fputc('\n', o->f) == EOF) {
		io_fail(o, "writing", o->tmp);
		fclose(o->f);
		remove(o->tmp);
		o->f = NULL;
	}
}

static void on_begin(void *ctx, const char *name, const char *header, size_t len)
{
	struct out *o = ctx;

	/* Write to a hidden temporary and rename at @end, so an incomplete
	 * repeat never clobbers a complete earlier occurrence. */
	snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.csv.tmp", o->dir, name);
	o->f = fopen(o->tmp, "w");
	if (!o->f) {
		io_fail(o, "creating", o->tmp);
		return;
	}
	put_line(o, header, len);
}

static void on_row(void *ctx, const char *name, const char *row, size_t len)
{
	(void)name;
	put_line(ctx, row, len);
}

static void on_end(void *ctx, const char *name, size_t rows, bool complete,
		   const char *reason)
{
	struct out *o = ctx;
	bool ok = o->f != NULL;

	(void)rows;
	if (o->f && fclose(o->f) != 0) {
		io_fail(o, "closing", o->tmp);
		ok = false;
	}
	o->f = NULL;
	if (!complete) {
		fprintf(stderr, "vsplit: table %s incomplete: %s\n", name, reason);
		if (ok)
			remove(o->tmp);
		return;
	}
	if (!ok)
		return;
	snprintf(o->path, sizeof(o->path), "%s/%s.csv", o->dir, name);
	if (rename(o->tmp, o->path) != 0) {
		io_fail(o, "renaming to", o->path);
		remove(o->tmp);
		return;
	}
	o->written++;
}

static const struct split_ops ops = {
	.begin = on_begin,
	.row = on_row,
	.end = on_end,
};

/* One struct split holds a 64 KiB line buffer: keep it off the stack. */
static struct split sp;

int main(int argc, char **argv)
{
	struct out o = { 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *in;

	if (argc != 3) {
		fprintf(stderr, "usage: vsplit LOG OUTDIR\n");
		return 2;
	}
	if (strlen(argv[2]) > 3000) {
		fprintf(stderr, "vsplit: OUTDIR path too long\n");
		return 2;
	}
	in = strcmp(argv[1], "-") ? fopen(argv[1], "rb") : stdin;
	if (!in) {
		fprintf(stderr, "vsplit: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (mkdir(argv[2], 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "vsplit: mkdir %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	o.dir = argv[2];
	split_init(&sp, &ops, &o);
	/* getline keeps NULs; the splitter drops them with the other noise. */
	while ((n = getline(&line, &cap, in)) >= 0) {
		size_t len = (size_t)n;

		if (len > 0 && line[len - 1] == '\n')
			len--;
		split_feed_line(&sp, line, len);
	}
	if (ferror(in)) {
		fprintf(stderr, "vsplit: reading %s: %s\n", argv[1], strerror(errno));
		o.io_error = 1;
	}
	split_finish(&sp);
	free(line);
	if (in != stdin)
		fclose(in);

	printf("vsplit: %zu complete, %zu incomplete table(s) -> %s, ",
	       sp.complete, sp.incomplete, argv[2]);
	if (sp.have_done)
		printf("done status=%d\n", sp.done_status);
	else
		printf("no '# volley: done' line\n");
	if (o.io_error)
		return 2;
	return sp.incomplete ? 1 : 0;
}
