/* SPDX-License-Identifier: MIT */
/*
 * vplot: the data side of volley's plots. The shell scripts in results/ only
 * loop over what it prints and run gnuplot on the files it writes.
 *
 *   vplot plot DIR TMP           gnuplot data for every plot of run folder
 *                                DIR, into TMP; prints the plan (below)
 *   vplot summary [--tsv] DIR    DIR/summary.txt, or the headline figures as
 *                                id<TAB>value_ns<TAB>label lines on stdout
 *   vplot compare OUT TMP DIR... two or more runs side by side: OUT/compare.txt,
 *                                gnuplot data into TMP; prints the plan
 *
 * The plan, one tab-separated line each, in drawing order:
 *   begin                        a group of plots starts (one per table)
 *   draw NAME GP W H VARS        draw NAME.png/.svg with results/GP, W x H,
 *                                after the gnuplot assignments VARS
 *   note TEXT                    tell the user (a plot skipped, and why)
 *   skip                         the group's table is missing: not a failure
 *   end                          a group without a drawn plot and without
 *                                skip failed
 *
 * Tables are read by column name (results/table.h); medians come from
 * core/stats.c, as on the kernel's side of the serial line. Every file and
 * number is written as results/plot.sh's awk wrote it before (see
 * tests/plot_golden.sh). Exit: 0 · 2 no folder, no meta.csv, bad usage or
 * I/O error.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/stats.h"
#include "results/table.h"

static const char *prog = "vplot";

/* A short-lived tool: what it allocates goes back when it exits. (The host
 * build runs it under AddressSanitizer; its leak report would be noise.) */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xrealloc(NULL, n), s, n);
}

/* ---- growable strings and arrays ---------------------------------------- */

struct str {
	char *s;
	size_t len, cap;
};

static void sadd(struct str *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			die("formatting failed");
		if ((size_t)n < room)
			break;
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	b->len += (size_t)n;
}

static const char *sget(const struct str *b)
{
	return b->s ? b->s : "";
}

struct dvec {
	double *v;
	size_t n, cap;
};

static void dpush(struct dvec *a, double x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 16;
		a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = x;
}

/* Names seen, in first-seen order. */
struct names {
	char **s;
	size_t n;
};

static long nfind(const struct names *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->s[i], s))
			return (long)i;
	return -1;
}

static size_t nadd(struct names *l, const char *s)
{
	long i = nfind(l, s);

	if (i >= 0)
		return (size_t)i;
	l->s = xrealloc(l->s, (l->n + 1) * sizeof(*l->s));
	l->s[l->n] = xstrdup(s);
	return l->n++;
}

/* ---- numbers as awk read and printed them ----------------------------- */

#define AWK_NUM_MAX 32

/* The longest numeric prefix of s (after leading blanks), 0 when none. */
static double awk_num(const char *s)
{
	return strtod(s, NULL);
}

/*
 * d as mawk prints a number: an integer value between -(2^31 - 1) and
 * 2^31 - 1 as an integer, anything else with "%.6g". buf holds at least
 * AWK_NUM_MAX bytes; returns buf.
 */
static char *awk_fmt_num(char *buf, double d)
{
	if (d >= -2147483647.0 && d <= 2147483647.0 && d == (double)(long long)d)
		snprintf(buf, AWK_NUM_MAX, "%lld", (long long)d);
	else
		snprintf(buf, AWK_NUM_MAX, "%.6g", d);
	return buf;
}

#define NA NAN			/* a value that is not known */
#define isna(x) isnan(x)

/* A ring of buffers, so that one printf can take several. */
static const char *num(double d)
{
	static char ring[16][AWK_NUM_MAX];
	static unsigned k;

	return awk_fmt_num(ring[k++ % 16], d);
}

/* a followed by b, in one of a ring of buffers */
static const char *cat(const char *a, const char *b)
{
	static char ring[8][512];
	static unsigned k;
	char *r = ring[k++ % 8];

	snprintf(r, 512, "%s%s", a, b);
	return r;
}

/* A value as text, "NaN" when not known. */
static const char *num_or_nan(double d)
{
	return isna(d) ? "NaN" : num(d);
}

static const char *fmtns(double x)
{
	static char ring[8][32];
	static unsigned k;
	char *b = ring[k++ % 8];

	if (x >= 1e7)
		snprintf(b, 32, "%.0fM", x / 1e6);
	else if (x >= 1e5)
		snprintf(b, 32, "%.0fk", x / 1e3);
	else if (x >= 1e4)
		snprintf(b, 32, "%.1fk", x / 1e3);
	else
		snprintf(b, 32, "%lld", (long long)(x + 0.5));
	return b;
}

/*
 * Nearest-rank median of a[0..n) by core/stats.c: the doubles are mapped to
 * integers of the same order (IEEE bit patterns, negatives flipped), sorted
 * and ranked there, then mapped back. Reorders nothing in a.
 */
static uint64_t order_key(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return (u >> 63) ? ~u : u | (1ULL << 63);
}

static double order_val(uint64_t u)
{
	double d;

	u = (u >> 63) ? u & ~(1ULL << 63) : ~u;
	memcpy(&d, &u, sizeof(d));
	return d;
}

static double median(const double *a, size_t n)
{
	uint64_t *k;
	double m;

	if (!n)
		return NA;
	k = xrealloc(NULL, n * sizeof(*k));
	for (size_t i = 0; i < n; i++)
		k[i] = order_key(a[i]);
	stats_sort(k, n);
	m = order_val(stats_percentile(k, n, 500));
	free(k);
	return m;
}

/* ---- output files, opened on first write (as awk's print > file) --------- */

static const char *tmpdir;
static struct names ofile_names;
static FILE **ofiles;

static FILE *out(const char *fmt, ...)
{
	char name[1024], path[4096];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (nfind(&ofile_names, name) < 0) {
		i = nadd(&ofile_names, name);
		ofiles = xrealloc(ofiles, ofile_names.n * sizeof(*ofiles));
		snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
		ofiles[i] = fopen(path, "w");
		if (!ofiles[i])
			die("cannot write %s", path);
	}
	return ofiles[nfind(&ofile_names, name)];
}

static bool written(const char *name)
{
	return nfind(&ofile_names, name) >= 0;
}

static void close_all(void)
{
	for (size_t i = 0; i < ofile_names.n; i++) {
		if (ofiles[i] && fclose(ofiles[i]))
			die("writing %s/%s failed", tmpdir, ofile_names.s[i]);
		ofiles[i] = NULL;
	}
}

/* ---- tables ---------------------------------------------------------------- */

struct tab {
	FILE *f;
	char *hline, *line;
	size_t hcap, cap;
	struct table_row h, r;
	int p50, p50_ns;	/* for ns() */
};

static bool file_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* Opens DIR/NAME.csv and reads its header; false when there is none. */
static bool tab_open(struct tab *t, const char *dir, const char *name)
{
	char path[4096];

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
	t->f = fopen(path, "r");
	if (!t->f)
		return false;
	if (getline(&t->hline, &t->hcap, t->f) < 0) {
		t->hline = xstrdup("");
		t->hcap = 1;
	}
	table_header(&t->h, t->hline);
	t->p50 = table_find(&t->h, "p50");
	t->p50_ns = table_find(&t->h, "p50_ns");
	return true;
}

static bool tab_next(struct tab *t)
{
	if (getline(&t->line, &t->cap, t->f) < 0)
		return false;
	table_split(t->line, &t->r);
	return true;
}

static void tab_close(struct tab *t)
{
	if (t->f)
		fclose(t->f);
	free(t->line);
	free(t->hline);
	memset(t, 0, sizeof(*t));
}

static int col(const struct tab *t, const char *name)
{
	return table_find(&t->h, name);
}

static const char *get(const struct tab *t, int idx)
{
	return table_get(&t->r, idx);
}

static double getnum(const struct tab *t, int idx)
{
	return awk_num(get(t, idx));
}

static bool getna(const struct tab *t, int idx)
{
	return table_na(get(t, idx));
}

/* A line with something other than blanks in it (awk's NF > 0). */
static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n')
			return false;
	return true;
}

/* The table exists and has at least one row that is not blank. */
static bool has(const char *dir, const char *name)
{
	char path[4096], *line = NULL;
	size_t cap = 0, n = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && getline(&line, &cap, f) >= 0)
		found = n++ > 0 && !blank(line);
	free(line);
	fclose(f);
	return found;
}

/* ---- a run folder ---------------------------------------------------------- */

struct kv {
	struct names k;
	char **v;
};

static void kv_set(struct kv *m, const char *k, const char *v)
{
	long i = nfind(&m->k, k);

	if (i < 0) {
		i = (long)nadd(&m->k, k);
		m->v = xrealloc(m->v, m->k.n * sizeof(*m->v));
	} else {
		free(m->v[i]);
	}
	m->v[i] = xstrdup(v);
}

/* bash's ${M[k]:-def}: def when unset or empty */
static const char *kv_or(const struct kv *m, const char *k, const char *def)
{
	long i = nfind(&m->k, k);

	return i >= 0 && *m->v[i] ? m->v[i] : def;
}

struct run {
	const char *dir;
	struct kv meta, env;
	char ncpus[32];
	double k;		/* cycles -> ns, 0: use the row's p50_ns/p50 */
};

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* strips tabs at both ends, as bash's read with IFS=tab does */
static char *trim_tabs(char *s)
{
	size_t n;

	while (*s == '\t')
		s++;
	n = strlen(s);
	while (n && s[n - 1] == '\t')
		s[--n] = '\0';
	return s;
}

static size_t count_rows(const char *dir, const char *name)
{
	char path[4096], *line = NULL;
	size_t cap = 0, n = 0, rows = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (getline(&line, &cap, f) >= 0)
		rows += n++ > 0 && !blank(line);
	free(line);
	fclose(f);
	return rows;
}

/* meta.csv (key,value: values with commas are quoted) and run.env (parsed,
 * never sourced: it comes from a folder someone may have handed us). */
static void run_load(struct run *r, const char *dir)
{
	char path[4096], *line = NULL;
	size_t cap = 0, n = 0;
	struct stat st;
	FILE *f;

	memset(r, 0, sizeof(*r));
	r->dir = dir;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		die("no such run folder: %s", dir);
	snprintf(path, sizeof(path), "%s/meta.csv", dir);
	f = fopen(path, "r");
	if (!f)
		die("%s has no meta.csv: not a volley run folder (split the serial log first: make results LOG=...)", dir);
	while (getline(&line, &cap, f) >= 0) {
		char *c, *v;
		size_t len;

		chomp(line);
		if (n++ == 0 && !strncmp(line, "key,", 4))
			continue;
		c = strchr(line, ',');
		if (!c)
			continue;
		*c = '\0';
		v = c + 1;
		len = strlen(v);
		if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
			char *w = v;

			v[len - 1] = '\0';
			for (char *p = v + 1; *p; p++) {
				*w++ = *p;
				if (p[0] == '"' && p[1] == '"')
					p++;
			}
			*w = '\0';
		}
		for (char *p = v; *p; p++)
			if (*p == '\t')
				*p = ' ';
		if (*line)
			kv_set(&r->meta, line, trim_tabs(v));
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/run.env", dir);
	f = fopen(path, "r");
	while (f && getline(&line, &cap, f) >= 0) {
		char *s = line, *e, *v;
		size_t len;

		chomp(s);
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		if (!strncmp(s, "export", 6) && (s[6] == ' ' || s[6] == '\t'))
			for (s += 6; *s == ' ' || *s == '\t'; s++)
				;
		e = strchr(s, '=');
		if (!e)
			continue;
		*e = '\0';
		v = e + 1;
		len = strlen(v);
		if (len >= 2 && ((v[0] == '\'' && v[len - 1] == '\'') ||
				 (v[0] == '"' && v[len - 1] == '"'))) {
			v[len - 1] = '\0';
			v++;
		}
		if (*s)
			kv_set(&r->env, s, trim_tabs(v));
	}
	if (f)
		fclose(f);
	free(line);

	const char *nc = kv_or(&r->meta, "nr_cpus", "");
	if ((!*nc || !strcmp(nc, "NA")) && has(dir, "cpus")) {
		snprintf(r->ncpus, sizeof(r->ncpus), "%zu", count_rows(dir, "cpus"));
	} else {
		snprintf(r->ncpus, sizeof(r->ncpus), "%s", nc);
	}
	if (!*r->ncpus || !strcmp(r->ncpus, "NA")) {
		snprintf(r->ncpus, sizeof(r->ncpus), "%s", kv_or(&r->env, "smp", ""));
		r->ncpus[strcspn(r->ncpus, ",")] = '\0';
	}
	if (!*r->ncpus)
		strcpy(r->ncpus, "?");
	/* the awk scripts got 1e9/tsc_hz as text, to six digits */
	double hz = awk_num(kv_or(&r->meta, "tsc_hz", "NA"));
	r->k = hz > 0 ? awk_num(num(1e9 / hz)) : 0;
}

static bool prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* What ran the image, in words. */
static const char *accel_words(const struct run *r, char *buf, size_t size)
{
	const char *a = kv_or(&r->env, "accel", ""), *kind = kv_or(&r->env, "kvm_kind", "");
	const char *hv = kv_or(&r->meta, "hypervisor", "NA");

	if (!*a)
		a = prefix(hv, "KVMKVMKVM") ? "kvm" : prefix(hv, "TCGTCGTCGTCG") ? "tcg" :
		    !strcmp(hv, "none") ? "metal" : !strcmp(hv, "NA") ? "unknown" : "other";
	if (!strcmp(a, "kvm"))
		snprintf(buf, size, "%s", !strcmp(kind, "pvm") ? "KVM on kvm_pvm (nested, software)" :
			 !strcmp(kind, "hw") ? "KVM (hardware-assisted)" : "KVM");
	else if (!strcmp(a, "tcg"))
		snprintf(buf, size, "TCG (emulated)");
	else if (!strcmp(a, "metal"))
		snprintf(buf, size, "bare metal");
	else if (!strcmp(a, "other"))
		snprintf(buf, size, "hypervisor %s", hv);
	else
		snprintf(buf, size, "%s", a);
	return buf;
}

/* Short label of one run in compare plots. */
static void run_label(const struct run *r, char *buf, size_t size)
{
	const char *a = kv_or(&r->env, "accel", ""), *hv = kv_or(&r->meta, "hypervisor", "NA");
	char low[256];

	if (!*a) {
		if (prefix(hv, "KVMKVMKVM"))
			a = "kvm";
		else if (prefix(hv, "TCGTCGTCGTCG"))
			a = "tcg";
		else if (!strcmp(hv, "none"))
			a = "metal";
		else {
			snprintf(low, sizeof(low), "%s", hv);
			for (char *p = low; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p += 'a' - 'A';
			a = low;
		}
	}
	if (!strcmp(a, "kvm") && !strcmp(kv_or(&r->env, "kvm_kind", ""), "pvm"))
		a = "kvm-pvm";
	snprintf(buf, size, "%s%s %s %scpu", !strcmp(kv_or(&r->meta, "side", ""), "linux") ? "linux " : "",
		 a, kv_or(&r->meta, "apic_mode", "?apic"), r->ncpus);
}

/* deletes every occurrence of pat in s */
static void cut_all(char *s, const char *pat)
{
	size_t n = strlen(pat);

	for (char *p; (p = strstr(s, pat));)
		memmove(p, p + n, strlen(p + n) + 1);
}

/* Second title line of every plot: CPU | accelerator | apic mode | CPUs. */
static void subtitle(const struct run *r, struct str *s)
{
	const char *a = kv_or(&r->env, "accel", ""), *hv = kv_or(&r->meta, "hypervisor", "NA");
	char brand[1024], acc[256], *p, *w;

	/* "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz" -> "Intel Xeon Gold 6248 @ 2.50GHz" */
	snprintf(brand, sizeof(brand), "%s", kv_or(&r->meta, "cpu_brand",
		 kv_or(&r->meta, "cpu_vendor", "unknown CPU")));
	cut_all(brand, "(R)"); cut_all(brand, "(r)"); cut_all(brand, "(C)"); cut_all(brand, "(c)");
	cut_all(brand, "(TM)");
	if ((p = strstr(brand, " CPU ")))
		memmove(p + 1, p + 5, strlen(p + 5) + 1);
	if ((p = strstr(brand, " Processor")))
		memmove(p, p + 10, strlen(p + 10) + 1);
	for (p = w = brand; *p; p++)
		if (!(*p == ' ' && w > brand && w[-1] == ' '))
			*w++ = *p;
	*w = '\0';
	p = brand + (brand[0] == ' ');
	if (*p && p[strlen(p) - 1] == ' ')
		p[strlen(p) - 1] = '\0';
	sadd(s, "%s | %s", p, accel_words(r, acc, sizeof(acc)));
	/* the CPUID signature only when the accelerator name does not say it */
	bool plain = !strcmp(hv, "none") || !strcmp(hv, "NA") || !*hv ||
		     ((!strcmp(a, "kvm") || !*a) && prefix(hv, "KVMKVMKVM")) ||
		     ((!strcmp(a, "tcg") || !*a) && prefix(hv, "TCGTCGTCGTCG"));
	if (!plain)
		sadd(s, " [%s]", hv);
	sadd(s, " | %s | %s CPUs", kv_or(&r->meta, "apic_mode", "apic ?"), r->ncpus);
}

/* gnuplot single-quoted string: only '' needs escaping there */
static void gq(struct str *s, const char *v)
{
	sadd(s, "'");
	for (; *v; v++)
		sadd(s, *v == '\'' ? "''" : "%c", *v);
	sadd(s, "'");
}

/* A stats column in ns; p50 prefers the kernel's own p50_ns. */
static double ns(const struct run *run, const struct tab *t, int c)
{
	double k = run->k;

	if (c == t->p50 && !getna(t, t->p50_ns))
		return getnum(t, t->p50_ns);
	if (k <= 0) {
		double p = getnum(t, t->p50);

		k = !getna(t, t->p50) && !getna(t, t->p50_ns) && p > 0 ?
		    getnum(t, t->p50_ns) / p : 0;
	}
	return getna(t, c) || k == 0 ? NA : getnum(t, c) * k;
}

/* ---- the plan ---------------------------------------------------------------- */

static struct str common;	/* "subtitle='...'; " */

static void plan_draw(const char *name, const char *gp, int w, int h, const char *fmt, ...)
{
	char vars[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vars, sizeof(vars), fmt, ap);
	va_end(ap);
	printf("draw\t%s\t%s\t%d\t%d\t%s%s\n", name, gp, w, h, sget(&common), vars);
}

static void plan_note(const char *fmt, ...)
{
	va_list ap;

	printf("note\t");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* ---- ipi_rtt heat maps -------------------------------------------------------- */

/*
 * Topology boundaries along the CPU axis, from the cpus table's columns: a
 * level is drawn where its columns change between neighbouring CPUs and
 * those of the levels above do not. A level whose columns the table lacks
 * is left out, so a shared-L3 column appears on the maps once cpus has it.
 */
static const struct level {
	const char *cols[3];
	const char *style;
	const char *flag;	/* gnuplot variable: 1 when a boundary was drawn */
	bool always;		/* print the flag even without the columns */
} levels[] = {
	{ { "package", "node" }, "lc rgb \"#ffffff\" lw 1.5 dt 2", "haspkg", true },
	{ { "llc" }, "lc rgb \"#ffffff\" lw 0.8 dt 3", "hasl3", false },
};
#define NLEVELS (sizeof(levels) / sizeof(levels[0]))

/* Largest matrix drawn cell by cell; beyond it, blocks of CPUs are binned. */
#define HEAT_CELLS_MAX 256
/* CPU numbers above this are not CPU numbers */
#define HEAT_CPU_MAX (1u << 22)

/* One ordered pair's figure; rows kept sparse, so memory follows the rows
 * measured (pairs=sample:K), not the square of the CPU count. */
struct pair {
	uint32_t s, d;
	double v, c;		/* p50 in ns; p50 in cycles or NA */
	size_t seq;		/* row order: a later row of a pair wins */
};

struct pairs {
	struct pair *p;
	size_t n, cap;
};

static void ppush(struct pairs *a, uint32_t s, uint32_t d, double v, double c)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 256;
		a->p = xrealloc(a->p, a->cap * sizeof(*a->p));
	}
	a->p[a->n] = (struct pair){ s, d, v, c, a->n };
	a->n++;
}

static int pair_cmp(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;

	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* sorted by (src, dst), one entry per pair: its last row */
static void pairs_settle(struct pairs *a)
{
	size_t k = 0;

	if (a->n)
		qsort(a->p, a->n, sizeof(*a->p), pair_cmp);
	for (size_t i = 0; i < a->n; i++) {
		if (k && a->p[k - 1].s == a->p[i].s && a->p[k - 1].d == a->p[i].d)
			k--;
		a->p[k++] = a->p[i];
	}
	a->n = k;
}

static const struct pair *pairs_find(const struct pairs *a, uint32_t s, uint32_t d)
{
	size_t lo = 0, hi = a->n;

	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		const struct pair *p = &a->p[m];

		if (p->s == s && p->d == d)
			return p;
		if (p->s < s || (p->s == s && p->d < d))
			lo = m + 1;
		else
			hi = m;
	}
	return NULL;
}

struct heat {
	struct names waits;
	struct pairs *pw;		/* per wait */
	struct pairs cl;		/* cacheline_rtt p50 cycles (in v) */
	bool has_level[NLEVELS];
	struct pairs cpus;		/* s = CPU, seq = its row in keys[] */
	char **keys[NLEVELS];		/* per cpus row, per level */
	uint32_t *id;			/* the CPUs that appear, in order */
	size_t n;
	const char **key[NLEVELS];	/* per dense CPU index: NULL unknown */
};

static bool cpu_id(const char *s, uint32_t *out)
{
	double d = awk_num(s);

	if (table_na(s) || d < 0 || d >= HEAT_CPU_MAX)
		return false;
	*out = (uint32_t)d;
	return true;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* dense index of CPU c (which appears) */
static size_t heat_index(const struct heat *h, uint32_t c)
{
	const uint32_t *p = bsearch(&c, h->id, h->n, sizeof(*h->id), u32_cmp);

	return (size_t)(p - h->id);
}

static void heat_load(struct heat *h, const struct run *run)
{
	struct tab t;
	uint32_t s, d;

	memset(h, 0, sizeof(*h));
	for (size_t l = 0; l < NLEVELS; l++)
		h->has_level[l] = levels[l].always;
	if (has(run->dir, "cpus") && tab_open(&t, run->dir, "cpus")) {
		int c = col(&t, "cpu"), lc[NLEVELS][3];
		size_t rows = 0;

		for (size_t l = 0; l < NLEVELS; l++) {
			h->has_level[l] = true;
			for (int i = 0; i < 3 && levels[l].cols[i]; i++) {
				lc[l][i] = col(&t, levels[l].cols[i]);
				if (lc[l][i] < 0 && !levels[l].always)
					h->has_level[l] = false;
			}
		}
		while (tab_next(&t)) {
			/* awk's col("cpu") + 0: NA reads as CPU 0 */
			double cv = awk_num(get(&t, c));

			if (cv >= HEAT_CPU_MAX)
				continue;
			ppush(&h->cpus, cv < 0 ? 0 : (uint32_t)cv, 0, NA, NA);
			for (size_t l = 0; l < NLEVELS; l++) {
				struct str k = { 0 };

				for (int i = 0; i < 3 && levels[l].cols[i]; i++)
					sadd(&k, "%s%s", i ? "/" : "", get(&t, lc[l][i]));
				h->keys[l] = xrealloc(h->keys[l], (rows + 1) * sizeof(char *));
				h->keys[l][rows] = xstrdup(sget(&k));
				free(k.s);
			}
			rows++;
		}
		tab_close(&t);
		pairs_settle(&h->cpus);
	}
	if (has(run->dir, "floor") && tab_open(&t, run->dir, "floor")) {
		int ct = col(&t, "test"), cs = col(&t, "src"), cd = col(&t, "dst");

		while (tab_next(&t))
			/* ratio in cycles when both sides have them: no ns rounding */
			if (!strcmp(get(&t, ct), "cacheline_rtt") && cpu_id(get(&t, cs), &s) &&
			    cpu_id(get(&t, cd), &d) && !getna(&t, t.p50))
				ppush(&h->cl, s, d, getnum(&t, t.p50), NA);
		tab_close(&t);
		pairs_settle(&h->cl);
	}
	if (!tab_open(&t, run->dir, "ipi_rtt"))
		return;
	int cw = col(&t, "wait"), cs = col(&t, "src"), cd = col(&t, "dst");
	struct dvec used = { 0 };
	while (tab_next(&t)) {
		const char *w = get(&t, cw);
		size_t wi;
		double v;

		if (table_na(w) || !cpu_id(get(&t, cs), &s) || !cpu_id(get(&t, cd), &d))
			continue;
		if (nfind(&h->waits, w) < 0) {
			wi = nadd(&h->waits, w);
			h->pw = xrealloc(h->pw, h->waits.n * sizeof(*h->pw));
			memset(&h->pw[wi], 0, sizeof(*h->pw));
		}
		wi = (size_t)nfind(&h->waits, w);
		v = ns(run, &t, t.p50);
		if (isna(v))
			continue;
		ppush(&h->pw[wi], s, d, v, getna(&t, t.p50) ? NA : getnum(&t, t.p50));
		dpush(&used, s);
		dpush(&used, d);
	}
	tab_close(&t);
	for (size_t w = 0; w < h->waits.n; w++)
		pairs_settle(&h->pw[w]);
	/* dense index over the CPUs that appear, in CPU order (cpus= may skip some) */
	h->id = xrealloc(NULL, (used.n + 1) * sizeof(*h->id));
	for (size_t i = 0; i < used.n; i++)
		h->id[i] = (uint32_t)used.v[i];
	if (used.n)
		qsort(h->id, used.n, sizeof(*h->id), u32_cmp);
	for (size_t i = 0; i < used.n; i++)
		if (!h->n || h->id[h->n - 1] != h->id[i])
			h->id[h->n++] = h->id[i];
	free(used.v);
	for (size_t l = 0; l < NLEVELS; l++) {
		h->key[l] = xrealloc(NULL, (h->n + 1) * sizeof(char *));
		for (size_t i = 0; i < h->n; i++) {
			const struct pair *p = NULL;

			/* the CPU's last row in cpus */
			for (size_t a = 0, b = h->cpus.n; a < b;) {
				size_t m = a + (b - a) / 2;

				if (h->cpus.p[m].s == h->id[i]) {
					p = &h->cpus.p[m];
					break;
				}
				if (h->cpus.p[m].s < h->id[i])
					a = m + 1;
				else
					b = m;
			}
			h->key[l][i] = p ? h->keys[l][p->seq] : NULL;
		}
	}
}

/* The value of pair p, NA when there is none. */
static double heat_value(const struct heat *h, bool ratio, const struct pair *p)
{
	const struct pair *c;
	double r = NA;

	if (!ratio)
		return p->v;
	if (isna(p->c))
		return NA;
	/* a pair measured one way only stands for both directions */
	if ((c = pairs_find(&h->cl, p->s, p->d)))
		r = c->v;
	if ((isna(r) || !r) && (c = pairs_find(&h->cl, p->d, p->s)))
		r = c->v;
	return !isna(r) && r > 0 ? p->c / r : NA;
}

struct cellv {
	size_t cell;
	double v;
};

static int cellv_cmp(const void *pa, const void *pb)
{
	const struct cellv *a = pa, *b = pb;

	return a->cell < b->cell ? -1 : a->cell > b->cell;
}

static bool heat_map(const struct heat *h, bool ratio, size_t w)
{
	const char *kind = ratio ? "ratio" : "heat", *wn = h->waits.s[w];
	size_t N = h->n, bin = (N + HEAT_CELLS_MAX - 1) / HEAT_CELLS_MAX, C, nv = 0;
	const struct pairs *pw = &h->pw[w];
	struct cellv *cv;
	struct dvec all = { 0 };
	double lo = 0, hi = 0, *M;
	bool lg, pb;
	FILE *f;

	if (bin < 1)
		bin = 1;
	C = (N + bin - 1) / bin;	/* cells per axis */
	cv = xrealloc(NULL, (pw->n + 1) * sizeof(*cv));
	for (size_t i = 0; i < pw->n; i++) {
		double v = heat_value(h, ratio, &pw->p[i]);
		size_t x = heat_index(h, pw->p[i].s), y = heat_index(h, pw->p[i].d);

		if (isna(v))
			continue;
		if (!all.n || v < lo)
			lo = v;
		if (!all.n || v > hi)
			hi = v;
		dpush(&all, v);
		cv[nv++] = (struct cellv){ (y / bin) * C + x / bin, v };
	}
	if (!all.n) {
		free(cv);
		return false;
	}
	/* a cell: its pair, or the median of the measured pairs of its block */
	M = xrealloc(NULL, C * C * sizeof(*M));
	for (size_t i = 0; i < C * C; i++)
		M[i] = NA;
	qsort(cv, nv, sizeof(*cv), cellv_cmp);
	for (size_t i = 0, j; i < nv; i = j) {
		struct dvec g = { 0 };

		for (j = i; j < nv && cv[j].cell == cv[i].cell; j++)
			dpush(&g, cv[j].v);
		M[cv[i].cell] = median(g.v, g.n);
		free(g.v);
	}
	free(cv);
	double med = median(all.v, all.n);
	/* a colour scale at least +-12% wide: a 1% spread must not look like 2x */
	if (hi < lo * 1.25) {
		double g = sqrt(lo * hi);

		lo = g / 1.12;
		hi = g * 1.12;
	}
	lg = hi / lo > 20;
	for (size_t y = 0; y < C; y++) {
		f = out("%s_%s.mat", kind, wn);
		for (size_t x = 0; x < C; x++)
			fprintf(f, "%s%s", x ? " " : "", num_or_nan(M[y * C + x]));
		fputc('\n', f);
	}
	/* per-cell numbers only while the cells are big enough to hold them */
	if (C <= 12) {
		for (size_t y = 0; y < C; y++)
			for (size_t x = 0; x < C; x++) {
				double v = M[y * C + x], fr;
				char lab[32];

				if (isna(v))
					continue;
				fr = lg ? log(v / lo) / log(hi / lo) : (v - lo) / (hi - lo);
				if (ratio)
					snprintf(lab, sizeof(lab), "%.1f", v);
				else
					snprintf(lab, sizeof(lab), "%s", fmtns(v));
				fprintf(out("%s_%s.lbl", kind, wn), "%zu %zu \"%s\" %d\n", x, y, lab,
					fr < 0.6 ? 16777215 : 0);
			}
	}
	/* tics: every CPU up to 24, then a power-of-two step (<= 20 labels) */
	size_t step = 1;
	struct str tics = { 0 };

	while ((double)C / step > 24 && step < 1024)
		step *= 2;
	for (size_t i = 0; i < C; i += step)
		sadd(&tics, "%s\"%u\" %zu", tics.len ? ", " : "", h->id[i * bin], i);
	f = out("%s_%s.gpi", kind, wn);
	fprintf(f, "N = %zu; npairs = %zu; median = %.6g; cblo = %.6g; cbhi = %.6g; cblog = %d; haslbl = %d\n",
		C, all.n, med, lo, hi, lg, C <= 12);
	if (bin > 1)
		fprintf(f, "binned = %zu\n", bin);
	fprintf(f, "set xtics (%s) out nomirror\nset ytics (%s) out nomirror\n", sget(&tics), sget(&tics));
	/* topology boundaries along the (sorted) CPU axis, outer levels first */
	for (size_t l = 0; l < NLEVELS; l++) {
		if (!h->has_level[l])
			continue;
		pb = false;
		for (size_t i = 1; i < N; i++) {
			const char *a = h->key[l][i], *b = h->key[l][i - 1];
			bool outer = false;
			double at = (double)i / bin - 0.5;

			if (!a || !b || !strcmp(a, b))
				continue;
			for (size_t o = 0; o < l; o++) {
				const char *oa = h->key[o][i], *ob = h->key[o][i - 1];

				outer |= h->has_level[o] && oa && ob && strcmp(oa, ob);
			}
			if (outer)
				continue;	/* drawn by the outer level */
			fprintf(f, "set arrow from %g, graph 0 to %g, graph 1 nohead front %s\n", at, at, levels[l].style);
			fprintf(f, "set arrow from graph 0, first %g to graph 1, first %g nohead front %s\n", at, at, levels[l].style);
			pb = true;
		}
		fprintf(f, "%s = %d\n", levels[l].flag, pb);
	}
	free(tics.s);
	free(all.v);
	free(M);
	return true;
}

static void plot_heat(const struct run *run)
{
	struct heat h;
	bool any_ratio = false;

	printf("begin\n");
	if (!has(run->dir, "ipi_rtt")) {
		plan_note("skip ipi_rtt heat maps: no ipi_rtt.csv");
		printf("skip\nend\n");
		return;
	}
	heat_load(&h, run);
	for (size_t w = 0; w < h.waits.n; w++) {
		const char *wn = h.waits.s[w];
		struct str q = { 0 };

		gq(&q, wn);
		if (heat_map(&h, false, w))
			plan_draw(cat("ipi_rtt_heatmap_", wn), "ipi_heat.gp", 960, 900,
				  "kind='heat'; wmode=%s; mat='%s/heat_%s.mat'; lbl='%s/heat_%s.lbl'; load '%s/heat_%s.gpi'",
				  sget(&q), tmpdir, wn, tmpdir, wn, tmpdir, wn);
		if (heat_map(&h, true, w)) {
			any_ratio = true;
			plan_draw(cat("ipi_rtt_ratio_", wn), "ipi_heat.gp", 960, 900,
				  "kind='ratio'; wmode=%s; mat='%s/ratio_%s.mat'; lbl='%s/ratio_%s.lbl'; load '%s/ratio_%s.gpi'",
				  sget(&q), tmpdir, wn, tmpdir, wn, tmpdir, wn);
		}
		free(q.s);
	}
	close_all();
	if (!any_ratio)
		plan_note("skip ipi_rtt ratio maps: no cacheline_rtt rows in floor.csv");
	printf("end\n");
}

/* ---- ipi_rtt distributions by relation ---------------------------------------- */

static const char *const stat_cols[5] = { "min", "p50", "p90", "p99", "max" };

struct dgroup {
	size_t w;
	char *rel;
	struct dvec st[5];	/* per row, NA kept so rows line up */
};

static void plot_dist(const struct run *run)
{
	static const char *const rel_order[] = { "self", "smt", "core", "package", "node", "unknown" };
	struct names waits = { 0 };
	struct dgroup *g = NULL;
	size_t ng = 0;
	struct tab t;

	printf("begin\n");
	if (!has(run->dir, "ipi_rtt") || !tab_open(&t, run->dir, "ipi_rtt")) {
		plan_note("skip ipi_rtt distributions: no ipi_rtt.csv");
		printf("skip\nend\n");
		return;
	}
	int cw = col(&t, "wait"), cr = col(&t, "relation"), cs[5];
	for (int s = 0; s < 5; s++)
		cs[s] = col(&t, stat_cols[s]);
	while (tab_next(&t)) {
		const char *w = get(&t, cw), *r = get(&t, cr);
		size_t wi, i;

		if (table_na(w))
			continue;
		if (table_na(r))
			r = "unknown";
		wi = nadd(&waits, w);
		for (i = 0; i < ng; i++)
			if (g[i].w == wi && !strcmp(g[i].rel, r))
				break;
		if (i == ng) {
			g = xrealloc(g, ++ng * sizeof(*g));
			memset(&g[i], 0, sizeof(*g));
			g[i].w = wi;
			g[i].rel = xstrdup(r);
		}
		for (int s = 0; s < 5; s++)
			dpush(&g[i].st[s], ns(run, &t, cs[s]));
	}
	tab_close(&t);
	for (size_t w = 0; w < waits.n; w++) {
		const char *wn = waits.s[w];
		struct str tics = { 0 };
		double lo = 0, hi = 0;
		int x = 0;

		for (size_t j = 0; j < sizeof(rel_order) / sizeof(rel_order[0]); j++) {
			struct dgroup *gr = NULL;
			struct dvec a = { 0 };

			for (size_t i = 0; i < ng; i++)
				if (g[i].w == w && !strcmp(g[i].rel, rel_order[j]))
					gr = &g[i];
			if (!gr)
				continue;
			size_t n = gr->st[0].n;
			FILE *f = out("dist_%s.dat", wn);

			fprintf(f, "%d %s", x, gr->rel);
			for (int s = 0; s < 5; s++) {
				a.n = 0;
				for (size_t k = 0; k < n; k++) {
					double v = gr->st[s].v[k];

					if (isna(v))
						continue;
					if (lo == 0 || v < lo)
						lo = v;
					if (v > hi)
						hi = v;
					dpush(&a, v);
				}
				fprintf(f, " %s", a.n ? num(median(a.v, a.n)) : "NaN");
			}
			fprintf(f, " %zu\n", n);
			free(a.v);
			/* every pair as a dot (at most ~1500 per relation, evenly picked) */
			double stepk = n > 1500 ? n / 1500.0 : 1;
			for (double kk = 1; kk <= n; kk += stepk) {
				size_t k = (size_t)kk;
				double v = gr->st[1].v[k - 1];

				if (isna(v))
					continue;
				fprintf(out("dist_%s.dots", wn), "%.4f %s\n",
					x - 0.3 + 0.6 * fmod(k * 0.618034, 1), num(v));
			}
			sadd(&tics, "%s\"%s\\n%zu pairs\" %d", tics.len ? ", " : "", gr->rel, n, x);
			x++;
		}
		if (x) {
			fprintf(out("dist_%s.gpi", wn), "ngroups = %d; ylo = %.6g; yhi = %.6g\nset xtics (%s)\n",
				x, lo, hi, sget(&tics));
			struct str q = { 0 };

			gq(&q, wn);
			plan_draw(cat("ipi_rtt_dist_", wn), "ipi_dist.gp", 900, 600,
				  "wmode=%s; dat='%s/dist_%s.dat'; dots='%s/dist_%s.dots'; load '%s/dist_%s.gpi'",
				  sget(&q), tmpdir, wn, tmpdir, wn, tmpdir, wn);
			free(q.s);
		}
		free(tics.s);
	}
	close_all();
	printf("end\n");
}

/* ---- broadcast ------------------------------------------------------------------ */

/* a series of (x, y, z) points, z NA when unknown */
struct pts {
	char *name;
	struct dvec x, y, z;
};

static struct pts *pts_get(struct pts **p, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*p)[i].name, name))
			return &(*p)[i];
	*p = xrealloc(*p, (*n + 1) * sizeof(**p));
	memset(&(*p)[*n], 0, sizeof(**p));
	(*p)[*n].name = xstrdup(name);
	return &(*p)[(*n)++];
}

/* stable insertion sort by x, as the awk scripts sorted */
static void pts_sort(struct pts *p)
{
	for (size_t a = 1; a < p->x.n; a++)
		for (size_t b = a; b > 0 && p->x.v[b - 1] > p->x.v[b]; b--) {
			double t;

			t = p->x.v[b]; p->x.v[b] = p->x.v[b - 1]; p->x.v[b - 1] = t;
			t = p->y.v[b]; p->y.v[b] = p->y.v[b - 1]; p->y.v[b - 1] = t;
			t = p->z.v[b]; p->z.v[b] = p->z.v[b - 1]; p->z.v[b - 1] = t;
		}
}

/* names in a fixed order first (so colours mean the same in every run), then
 * the others in the order seen */
static size_t ordered(const char *const *order, size_t no, struct pts *p, size_t n, struct pts **outv)
{
	size_t k = 0;

	for (size_t i = 0; i < no; i++)
		for (size_t j = 0; j < n; j++)
			if (!strcmp(p[j].name, order[i]))
				outv[k++] = &p[j];
	for (size_t j = 0; j < n; j++) {
		bool known = false;

		for (size_t i = 0; i < no; i++)
			known |= !strcmp(p[j].name, order[i]);
		if (!known)
			outv[k++] = &p[j];
	}
	return k;
}

static void plot_bcast(const struct run *run)
{
	static const char *const order[] = { "shorthand", "mask", "logical" };
	struct pts *p = NULL, **mo;
	size_t np = 0, k;
	double xmin = NA, xmax = NA;
	struct tab t;

	printf("begin\n");
	if (!has(run->dir, "ipi_bcast") || !tab_open(&t, run->dir, "ipi_bcast")) {
		plan_note("skip ipi_bcast: no ipi_bcast.csv");
		printf("skip\nend\n");
		return;
	}
	int cm = col(&t, "method"), ct = col(&t, "targets"), c90 = col(&t, "p90");
	while (tab_next(&t)) {
		double v = ns(run, &t, t.p50), x = getnum(&t, ct);
		struct pts *s;

		if (getna(&t, cm) || getna(&t, ct) || isna(v))
			continue;
		s = pts_get(&p, &np, get(&t, cm));
		dpush(&s->x, x);
		dpush(&s->y, v);
		dpush(&s->z, ns(run, &t, c90));
		if (isna(xmax) || x > xmax)
			xmax = x;
		if (isna(xmin) || x < xmin)
			xmin = x;
	}
	tab_close(&t);
	mo = xrealloc(NULL, (np + 1) * sizeof(*mo));
	k = ordered(order, 3, p, np, mo);
	struct str names = { 0 };
	for (size_t i = 0; i < k; i++) {
		FILE *f = out("bcast.dat");

		pts_sort(mo[i]);
		for (size_t a = 0; a < mo[i]->x.n; a++)
			fprintf(f, "%s %s %s\n", num(mo[i]->x.v[a]), num(mo[i]->y.v[a]),
				num(isna(mo[i]->z.v[a]) ? mo[i]->y.v[a] : mo[i]->z.v[a]));
		fprintf(f, "\n\n");
		sadd(&names, "%s%s", i ? " " : "", mo[i]->name);
	}
	if (k) {
		fprintf(out("bcast.gpi"), "nmeth = %zu; methods = \"%s\"; xmin = %g; xmax = %g\n",
			k, sget(&names), xmin, xmax);
		plan_draw("ipi_bcast", "bcast.gp", 900, 600, "dat='%s/bcast.dat'; load '%s/bcast.gpi'",
			  tmpdir, tmpdir);
	} else {
		plan_note("skip ipi_bcast: no usable rows");
		printf("skip\n");
	}
	close_all();
	free(names.s);
	free(mo);
	printf("end\n");
}

/* ---- csd ------------------------------------------------------------------------ */

/* per-call cost: per_call_ns, else p50 / batch */
static double percall(const struct run *run, const struct tab *t, int cpc, int cb)
{
	double v;

	if (!getna(t, cpc))
		return getnum(t, cpc);
	v = ns(run, t, t->p50);
	if (isna(v))
		return NA;
	return getna(t, cb) || getnum(t, cb) < 1 ? v : v / getnum(t, cb);
}

struct bar {
	char *group, *queue;
	double v;
};

static void plot_csd(const struct run *run)
{
	static const char *const qo[2] = { "lock", "llist" }, *const ko[2] = { "empty", "always" };
	struct pts *lines = NULL;	/* per "queue kick": batch, per call, ipis */
	struct names ipis = { 0 };	/* ipis_per_batch as written, by index in z */
	struct names groups = { 0 }, queues = { 0 };
	struct dvec gs = { 0 };
	struct bar *bars = NULL;
	size_t nl = 0, nb = 0;
	double bmin = NA, bmax = NA;
	struct tab t;

	printf("begin\n");
	if (!has(run->dir, "csd") || !tab_open(&t, run->dir, "csd")) {
		plan_note("skip csd: no csd.csv");
		printf("skip\nend\n");
		return;
	}
	int ct = col(&t, "test"), cq = col(&t, "queue"), ck = col(&t, "kick");
	int cpc = col(&t, "per_call_ns"), cb = col(&t, "batch"), cs = col(&t, "senders");
	int cipb = col(&t, "ipis_per_batch"), cw = col(&t, "wait");
	while (tab_next(&t)) {
		const char *te = get(&t, ct), *q = get(&t, cq), *kk = get(&t, ck);
		const char *w = get(&t, cw);	/* csd.wait: sync rows spin|hlt */
		double v;

		if (table_na(te))
			continue;
		v = percall(run, &t, cpc, cb);
		if (isna(v))
			continue;
		if (!strcmp(te, "batch")) {
			struct str key = { 0 };
			struct pts *s;
			double b = getnum(&t, cb);

			sadd(&key, "%s %s", q, kk);
			s = pts_get(&lines, &nl, sget(&key));
			free(key.s);
			dpush(&s->x, b);
			dpush(&s->y, v);
			dpush(&s->z, (double)nadd(&ipis, get(&t, cipb)));
			if (isna(bmax) || b > bmax)
				bmax = b;
			if (isna(bmin) || b < bmin)
				bmin = b;
			continue;
		}
		/* bars: one group per test (+kick, +senders when they vary), one bar per queue */
		struct str g = { 0 };

		sadd(&g, "%s", te);
		if (strcmp(kk, "empty") && !table_na(kk))
			sadd(&g, " kick=%s", kk);
		if (!strcmp(te, "sync") && !table_na(w) && strcmp(w, "spin"))
			sadd(&g, " %s", w);
		if (!strcmp(te, "many") && !getna(&t, cs))
			sadd(&g, " %s→1", get(&t, cs));
		if (!strcmp(te, "each") && !getna(&t, cs))
			sadd(&g, " →%s", get(&t, cs));
		if (nfind(&groups, sget(&g)) < 0) {
			nadd(&groups, sget(&g));
			dpush(&gs, (!strcmp(te, "sync") ? (strcmp(sget(&g), te) ? 2 : 1) :
				    !strcmp(te, "each") ? 3 : 4) * 100000 + getnum(&t, cs));
		}
		nadd(&queues, q);
		size_t i;
		for (i = 0; i < nb; i++)
			if (!strcmp(bars[i].group, sget(&g)) && !strcmp(bars[i].queue, q))
				break;
		if (i == nb) {
			bars = xrealloc(bars, ++nb * sizeof(*bars));
			bars[i].group = xstrdup(sget(&g));
			bars[i].queue = xstrdup(q);
		}
		bars[i].v = v;
		free(g.s);
	}
	tab_close(&t);
	/* lines in a fixed order: queue sets the colour, kick the dash */
	struct str legend = { 0 };
	int nk = 0;
	for (int a = 0; a < 2; a++)
		for (int b = 0; b < 2; b++) {
			struct str key = { 0 };
			struct pts *s = NULL;

			sadd(&key, "%s %s", qo[a], ko[b]);
			for (size_t i = 0; i < nl; i++)
				if (!strcmp(lines[i].name, sget(&key)))
					s = &lines[i];
			free(key.s);
			if (!s)
				continue;
			pts_sort(s);
			FILE *f = out("csd_batch.dat");
			for (size_t i = 0; i < s->x.n; i++) {
				const char *ipb = ipis.s[(size_t)s->z.v[i]];

				fprintf(f, "%s %s %s\n", num(s->x.v[i]), num(s->y.v[i]),
					table_na(ipb) ? "NaN" : ipb);
			}
			fprintf(f, "\n\n");
			sadd(&legend, "%s%s:%s", nk++ ? " " : "", qo[a], ko[b]);
		}
	if (nk)
		fprintf(out("csd_batch.gpi"), "nline = %d; lines = \"%s\"; bmin = %g; bmax = %g\n",
			nk, sget(&legend), bmin, bmax);
	/* groups sorted: sync, each, then many by senders */
	for (size_t i = 1; i < groups.n; i++)
		for (size_t j = i; j > 0 && gs.v[j - 1] > gs.v[j]; j--) {
			char *ts = groups.s[j];
			double tv = gs.v[j];

			groups.s[j] = groups.s[j - 1]; groups.s[j - 1] = ts;
			gs.v[j] = gs.v[j - 1]; gs.v[j - 1] = tv;
		}
	struct names ql = { 0 };
	for (int a = 0; a < 2; a++)
		if (nfind(&queues, qo[a]) >= 0)
			nadd(&ql, qo[a]);
	for (size_t i = 0; i < queues.n; i++)
		nadd(&ql, queues.s[i]);
	if (groups.n) {
		struct str tics = { 0 }, qn = { 0 };
		double lo = 0, hi = 0, nq = (double)ql.n;

		for (size_t i = 0; i < groups.n; i++) {
			for (size_t a = 0; a < ql.n; a++) {
				double x = (double)i + ((double)(a + 1) - (nq + 1) / 2) * (0.8 / nq), v = NA;

				for (size_t k = 0; k < nb; k++)
					if (!strcmp(bars[k].group, groups.s[i]) && !strcmp(bars[k].queue, ql.s[a]))
						v = bars[k].v;
				fprintf(out("csd_bars_%zu.dat", a + 1), "%.4f %s \"%s\"\n", x, num_or_nan(v),
					isna(v) ? "" : fmtns(v));
				if (!isna(v)) {
					if (lo == 0 || v < lo)
						lo = v;
					if (v > hi)
						hi = v;
				}
			}
			sadd(&tics, "%s\"%s\" %zu", i ? ", " : "", groups.s[i], i);
		}
		for (size_t a = 0; a < ql.n; a++)
			sadd(&qn, "%s%s", a ? " " : "", ql.s[a]);
		fprintf(out("csd_bars.gpi"),
			"ngroups = %zu; nq = %zu; queues = \"%s\"; ylo = %.6g; yhi = %.6g; bw = %.4f\nset xtics (%s)\n",
			groups.n, ql.n, sget(&qn), lo, hi, 0.8 / nq, sget(&tics));
		free(tics.s);
		free(qn.s);
	}
	if (nk) {
		plan_draw("csd_batch", "csd_batch.gp", 900, 600,
			  "what='percall'; dat='%s/csd_batch.dat'; load '%s/csd_batch.gpi'", tmpdir, tmpdir);
		plan_draw("csd_ipis", "csd_batch.gp", 900, 600,
			  "what='ipis'; dat='%s/csd_batch.dat'; load '%s/csd_batch.gpi'", tmpdir, tmpdir);
	} else {
		plan_note("skip csd_batch, csd_ipis: no test=batch rows in csd.csv");
	}
	if (groups.n)
		plan_draw("csd_bars", "csd_bars.gp", 1000, 600,
			  "datp='%s/csd_bars_'; load '%s/csd_bars.gpi'", tmpdir, tmpdir);
	else
		plan_note("skip csd_bars: no sync/many/each rows in csd.csv");
	close_all();
	free(legend.s);
	printf("end\n");
}

/* ---- TLB shootdown ------------------------------------------------------------------ */

/* p50 of (strategy, targets, pages), NA when not measured */
static double tlb_value(struct pts *v, size_t nv, const char *s, double tg, double pg)
{
	char key[256];

	snprintf(key, sizeof(key), "%s %s", s, num(tg));
	for (size_t i = 0; i < nv; i++)
		if (!strcmp(v[i].name, key))
			for (size_t j = 0; j < v[i].x.n; j++)
				if (v[i].x.v[j] == pg)
					return v[i].y.v[j];
	return NA;
}

static void plot_tlb(const struct run *run)
{
	/* volley's strategies, then the Linux side's (linux/tlbbench.c) */
	static const char *const so[] = { "invlpg", "full", "invpcid", "invlpgb",
					  "madvise", "mprotect", "munmap" };
	enum { NS = 7 };
	struct names ceil = { 0 };	/* "targets\tceiling_pages" */
	struct dvec tv = { 0 }, pv = { 0 };
	struct pts *v = NULL;		/* per "strategy targets": pages, p50 */
	size_t nv = 0;
	bool hasceil = false, sseen[NS] = { 0 };
	struct tab t;

	printf("begin\n");
	if (!has(run->dir, "tlb") || !tab_open(&t, run->dir, "tlb")) {
		plan_note("skip tlb: no tlb.csv");
		printf("skip\nend\n");
		return;
	}
	struct tab c;
	if (has(run->dir, "tlb_ceiling") && tab_open(&c, run->dir, "tlb_ceiling")) {
		int ctg = col(&c, "targets"), ccp = col(&c, "ceiling_pages");

		while (tab_next(&c)) {
			struct str e = { 0 };

			if (getna(&c, ctg))
				continue;
			sadd(&e, "%s\t%s", num(getnum(&c, ctg)), get(&c, ccp));
			nadd(&ceil, sget(&e));
			free(e.s);
			hasceil = true;
		}
		tab_close(&c);
	}
	int cs = col(&t, "strategy"), cp = col(&t, "pages"), ctg = col(&t, "targets");
	int cv = col(&t, "verify");
	double tmax = 0;
	while (tab_next(&t)) {
		double val = ns(run, &t, t.p50), p = getnum(&t, cp), tg = getnum(&t, ctg);
		struct str key = { 0 };
		struct pts *s;
		size_t i;

		if (getna(&t, cs) || getna(&t, cp) || getna(&t, ctg) || isna(val))
			continue;
		for (i = 0; i < NS; i++)
			if (!strcmp(get(&t, cs), so[i]))
				sseen[i] = true;
		sadd(&key, "%s %s", get(&t, cs), num(tg));
		s = pts_get(&v, &nv, sget(&key));
		free(key.s);
		for (i = 0; i < s->x.n && s->x.v[i] != p; i++)
			;
		if (i == s->x.n) {
			dpush(&s->x, p);
			dpush(&s->y, val);
		}
		s->y.v[i] = val;
		for (i = 0; i < tv.n && tv.v[i] != tg; i++)
			;
		if (i == tv.n)
			dpush(&tv, tg);
		for (i = 0; i < pv.n && pv.v[i] != p; i++)
			;
		if (i == pv.n)
			dpush(&pv, p);
		if (!strcmp(get(&t, cv), "fail"))
			fprintf(out("tlb_fail.dat"), "%s %s\n", num(p), num(val));
		if (tg > tmax)
			tmax = tg;
	}
	tab_close(&t);
	/* target counts: the integers 0..tmax that occur; pages sorted */
	struct dvec tl = { 0 };
	for (double x = 0; x <= tmax; x++)
		for (size_t i = 0; i < tv.n; i++)
			if (tv.v[i] == x) {
				dpush(&tl, x);
				break;
			}
	for (size_t i = 1; i < pv.n; i++)
		for (size_t j = i; j > 0 && pv.v[j - 1] > pv.v[j]; j--) {
			double x = pv.v[j];

			pv.v[j] = pv.v[j - 1];
			pv.v[j - 1] = x;
		}
	/* V(strategy, targets, pages), NA when not measured */
#define V(si, tg, pg) tlb_value(v, nv, so[si], tg, pg)
	struct str snames = { 0 };
	size_t nst = 0, sl[NS];
	for (size_t i = 0; i < NS; i++)
		if (sseen[i]) {
			sadd(&snames, "%s%s", nst ? " " : "", so[i]);
			sl[nst++] = i;
		}
	/* one block per (strategy, targets): index = s * nt + t */
	for (size_t a = 0; a < nst; a++)
		for (size_t i = 0; i < tl.n; i++) {
			FILE *f = out("tlb.dat");

			for (size_t j = 0; j < pv.n; j++) {
				double y = V(sl[a], tl.v[i], pv.v[j]);

				if (!isna(y))
					fprintf(f, "%s %s\n", num(pv.v[j]), num(y));
			}
			fprintf(f, "\n\n");
		}
	/* crossover: the kernel's tlb_ceiling, else the same rule on our data */
	int nc = 0;
	for (size_t i = 0; i < tl.n; i++) {
		double tg = tl.v[i], cpg = NA, y;
		const char *cs_ = NULL;

		if (hasceil) {
			for (size_t j = 0; j < ceil.n; j++) {
				const char *tab = strchr(ceil.s[j], '\t');

				if ((size_t)(tab - ceil.s[j]) == strlen(num(tg)) &&
				    !strncmp(ceil.s[j], num(tg), (size_t)(tab - ceil.s[j])))
					cs_ = tab + 1;	/* the last row of a target wins */
			}
			if (!cs_ || table_na(cs_))
				continue;
			cpg = awk_num(cs_);
		} else if (sseen[0] && sseen[1]) {
			for (size_t j = 0; j < pv.n; j++) {
				double f = V(1, tg, pv.v[j]), iv = V(0, tg, pv.v[j]);

				if (!isna(f) && !isna(iv) && f < iv) {
					cpg = pv.v[j];
					break;
				}
			}
			if (isna(cpg))
				continue;
		} else {
			continue;
		}
		y = V(0, tg, cpg);
		if (isna(y))
			y = V(1, tg, cpg);
		if (!isna(y)) {
			fprintf(out("tlb_ceil.dat"), "%g %g %zu\n", cpg, y, i);
			nc++;
		}
	}
	struct str tn = { 0 };
	for (size_t i = 0; i < tl.n; i++)
		sadd(&tn, "%s%s", i ? " " : "", num(tl.v[i]));
	fprintf(out("tlb.gpi"), "nt = %zu; nstrat = %zu; strats = \"%s\"; targets = \"%s\"; pmin = %g; pmax = %g; nceil = %d\n",
		tl.n, nst, sget(&snames), sget(&tn), pv.n ? pv.v[0] : 0, pv.n ? pv.v[pv.n - 1] : 0, nc);
	/* gnuplot cannot choose a file in an expression: give it files that
	 * exist, a NaN row standing for "none" */
	bool fail = written("tlb_fail.dat");
	if (!written("tlb_ceil.dat"))
		fprintf(out("tlb_ceil.dat"), "NaN NaN 0\n");
	if (!fail)
		fprintf(out("tlb_fail.dat"), "NaN NaN\n");
	close_all();
	plan_draw("tlb", "tlb.gp", 1000, 650,
		  "dat='%s/tlb.dat'; ceil='%s/tlb_ceil.dat'; fail='%s/tlb_fail.dat'; hasfail=%d; load '%s/tlb.gpi'",
		  tmpdir, tmpdir, tmpdir, fail, tmpdir);
	free(snames.s);
	free(tn.s);
	printf("end\n");
#undef V
}

/* ---- the floor ----------------------------------------------------------------------- */

static const char *const floor_order[] = { "cacheline_rtt", "rdtsc", "rdtscp", "icr_write", "self_ipi" };
#define NFLOOR (sizeof(floor_order) / sizeof(floor_order[0]))

/* p50 in ns of every floor row, per known test */
static void floor_load(const struct run *run, struct dvec vals[NFLOOR])
{
	struct tab t;

	memset(vals, 0, NFLOOR * sizeof(*vals));
	if (!tab_open(&t, run->dir, "floor"))
		return;
	int ct = col(&t, "test");
	while (tab_next(&t)) {
		double v = ns(run, &t, t.p50);

		if (getna(&t, ct) || isna(v))
			continue;
		for (size_t i = 0; i < NFLOOR; i++)
			if (!strcmp(get(&t, ct), floor_order[i]))
				dpush(&vals[i], v);
	}
	tab_close(&t);
}

static void plot_floor(const struct run *run)
{
	struct dvec vals[NFLOOR];
	struct str tics = { 0 };
	double lo = NA, hi = NA;
	int x = 0;

	printf("begin\n");
	if (!has(run->dir, "floor")) {
		plan_note("skip floor: no floor.csv");
		printf("skip\nend\n");
		return;
	}
	floor_load(run, vals);
	for (size_t i = 0; i < NFLOOR; i++) {
		size_t n = vals[i].n;
		double mn, mx, med;

		if (!n)
			continue;
		mn = mx = vals[i].v[0];
		for (size_t k = 0; k < n; k++) {
			if (vals[i].v[k] < mn)
				mn = vals[i].v[k];
			if (vals[i].v[k] > mx)
				mx = vals[i].v[k];
		}
		med = median(vals[i].v, n);
		fprintf(out("floor.dat"), "%d %g %g %g \"%s ns\"\n", x, med, mn, mx, fmtns(med));
		if (n > 1)
			sadd(&tics, "%s\"%s\\n(median of %zu pairs)\" %d", x ? ", " : "", floor_order[i], n, x);
		else
			sadd(&tics, "%s\"%s\" %d", x ? ", " : "", floor_order[i], x);
		if (isna(lo) || mn < lo)
			lo = mn;
		if (isna(hi) || mx > hi)
			hi = mx;
		x++;
		free(vals[i].v);
	}
	if (x) {
		fprintf(out("floor.gpi"), "nbars = %d; ylo = %g; yhi = %g\nset xtics (%s)\n", x, lo, hi, sget(&tics));
		plan_draw("floor", "floor.gp", 900, 600, "dat='%s/floor.dat'; load '%s/floor.gpi'", tmpdir, tmpdir);
	} else {
		plan_note("skip floor: no known tests in floor.csv");
		printf("skip\n");
	}
	close_all();
	free(tics.s);
	printf("end\n");
}

/* ---- headline figures ------------------------------------------------------------------ */

struct metric {
	char id[96];
	double v;
	char label[256];
};

struct metrics {
	struct metric *m;
	size_t n;
	struct names errors;	/* errors.csv rows, as written */
	size_t nerr;
	size_t tsd[5];		/* ts_dominated=1 rows, per tsd_order table */
};

/* the tables whose ts_dominated rows summary.txt counts, in the order the
 * awk version listed them */
static const char *const tsd_order[5] = { "floor", "ipi_rtt", "tlb", "csd", "ipi_bcast" };

static void metric(struct metrics *ms, const char *id, double v, const char *fmt, ...)
{
	struct metric *m;
	va_list ap;

	if (isna(v))
		return;
	ms->m = xrealloc(ms->m, (ms->n + 1) * sizeof(*ms->m));
	m = &ms->m[ms->n++];
	snprintf(m->id, sizeof(m->id), "%s", id);
	m->v = v;
	va_start(ap, fmt);
	vsnprintf(m->label, sizeof(m->label), fmt, ap);
	va_end(ap);
}

static void count_tsd(struct metrics *ms, const struct tab *t, const char *name)
{
	int c = col(t, "ts_dominated");

	if (strcmp(get(t, c), "1"))
		return;
	for (int i = 0; i < 5; i++)
		if (!strcmp(name, tsd_order[i]))
			ms->tsd[i]++;
}

/* a value per name, the names in first-seen order */
struct named {
	struct names k;
	struct dvec v, aux;
};

static size_t named_at(struct named *n, const char *k, bool *fresh)
{
	long i = nfind(&n->k, k);

	*fresh = i < 0;
	if (i >= 0)
		return (size_t)i;
	nadd(&n->k, k);
	dpush(&n->v, NA);
	dpush(&n->aux, NA);
	return n->k.n - 1;
}

static void metrics_load(const struct run *run, struct metrics *ms)
{
	static const char *const wo[3] = { "spin", "hlt", "mwait" }, *const mo[3] = { "shorthand", "mask", "logical" };
	static const char *const qo[2] = { "lock", "llist" }, *const ko[2] = { "empty", "always" };
	struct names waits = { 0 };
	struct dvec *wv = NULL;
	struct named bc = { 0 }, sy = { 0 }, syh = { 0 }, cb = { 0 }, tl = { 0 };
	struct tab t;
	bool fresh;

	memset(ms, 0, sizeof(*ms));
	if (tab_open(&t, run->dir, "ipi_rtt")) {
		int cw = col(&t, "wait");

		while (tab_next(&t)) {
			double v = ns(run, &t, t.p50);

			count_tsd(ms, &t, "ipi_rtt");
			if (getna(&t, cw) || isna(v))
				continue;
			if (nfind(&waits, get(&t, cw)) < 0) {
				nadd(&waits, get(&t, cw));
				wv = xrealloc(wv, waits.n * sizeof(*wv));
				memset(&wv[waits.n - 1], 0, sizeof(*wv));
			}
			dpush(&wv[nfind(&waits, get(&t, cw))], v);
		}
		tab_close(&t);
	}
	if (tab_open(&t, run->dir, "ipi_bcast")) {
		int cm = col(&t, "method"), ct = col(&t, "targets");

		while (tab_next(&t)) {
			double v = ns(run, &t, t.p50), tg = getnum(&t, ct);
			size_t i;

			count_tsd(ms, &t, "ipi_bcast");
			if (getna(&t, cm) || isna(v))
				continue;
			i = named_at(&bc, get(&t, cm), &fresh);
			if (fresh || tg > bc.aux.v[i]) {
				bc.aux.v[i] = tg;
				bc.v.v[i] = v;
			}
		}
		tab_close(&t);
	}
	if (tab_open(&t, run->dir, "csd")) {
		int ct = col(&t, "test"), cq = col(&t, "queue"), ck = col(&t, "kick");
		int cpc = col(&t, "per_call_ns"), cbt = col(&t, "batch"), cw = col(&t, "wait");

		while (tab_next(&t)) {
			const char *x = get(&t, ct), *q = get(&t, cq), *w = get(&t, cw);
			/* sync rows to a spinning target (no wait column: spinning), to a halted one */
			struct named *sn = table_na(w) || !strcmp(w, "spin") ? &sy :
					   !strcmp(w, "hlt") ? &syh : NULL;
			size_t i;

			count_tsd(ms, &t, "csd");
			if (!strcmp(x, "sync") && sn && nfind(&sn->k, q) < 0) {
				double v = ns(run, &t, t.p50);

				if (!isna(v)) {
					size_t i = named_at(sn, q, &fresh);

					sn->v.v[i] = v;
				}
			}
			if (!strcmp(x, "batch")) {
				double b = getnum(&t, cbt), v;
				char key[256];

				if (!getna(&t, cpc)) {
					v = getnum(&t, cpc);
				} else {
					v = ns(run, &t, t.p50);
					if (!isna(v) && b > 0)
						v /= b;
				}
				snprintf(key, sizeof(key), "%s\t%s", q, get(&t, ck));
				if (isna(v))
					continue;
				i = named_at(&cb, key, &fresh);
				if (fresh || b > cb.aux.v[i]) {
					cb.aux.v[i] = b;
					cb.v.v[i] = v;
				}
			}
		}
		tab_close(&t);
	}
	if (tab_open(&t, run->dir, "tlb")) {
		int cp = col(&t, "pages"), ctg = col(&t, "targets"), cs = col(&t, "strategy");

		while (tab_next(&t)) {
			double v;

			count_tsd(ms, &t, "tlb");
			if (strcmp(get(&t, cp), "1") || strcmp(get(&t, ctg), "1"))
				continue;
			v = ns(run, &t, t.p50);
			if (!isna(v)) {
				size_t i = named_at(&tl, get(&t, cs), &fresh);

				tl.v.v[i] = v;
			}
		}
		tab_close(&t);
	}
	struct dvec fl[NFLOOR];
	floor_load(run, fl);
	if (tab_open(&t, run->dir, "floor")) {
		while (tab_next(&t))
			count_tsd(ms, &t, "floor");
		tab_close(&t);
	}
	if (tab_open(&t, run->dir, "errors")) {
		while (getline(&t.line, &t.cap, t.f) >= 0) {
			chomp(t.line);
			ms->nerr++;
			/* summary.txt showed a row up to its first tab */
			t.line[strcspn(t.line, "\t")] = '\0';
			ms->errors.s = xrealloc(ms->errors.s, ms->nerr * sizeof(char *));
			ms->errors.s[ms->errors.n++] = xstrdup(t.line);
		}
		tab_close(&t);
	}

	/* the metrics, in summary.txt's order */
	struct names wl = { 0 };
	for (int i = 0; i < 3; i++)
		if (nfind(&waits, wo[i]) >= 0)
			nadd(&wl, wo[i]);
	for (size_t i = 0; i < waits.n; i++)
		nadd(&wl, waits.s[i]);
	for (size_t i = 0; i < wl.n; i++) {
		struct dvec *a = &wv[nfind(&waits, wl.s[i])];

		metric(ms, cat("ipi_", wl.s[i]), median(a->v, a->n),
		       "IPI round trip, %s wait (median of %zu pairs)", wl.s[i], a->n);
	}
	struct names ml = { 0 };
	for (int i = 0; i < 3; i++)
		if (nfind(&bc.k, mo[i]) >= 0)
			nadd(&ml, mo[i]);
	for (size_t i = 0; i < bc.k.n; i++)
		nadd(&ml, bc.k.s[i]);
	for (size_t i = 0; i < ml.n; i++) {
		size_t j = (size_t)nfind(&bc.k, ml.s[i]);

		metric(ms, cat("bcast_", ml.s[i]), bc.v.v[j], "broadcast, %s, to %lld targets: last ack",
		       ml.s[i], (long long)bc.aux.v[j]);
	}
	for (int a = 0; a < 2; a++)
		if (nfind(&sy.k, qo[a]) >= 0)
			metric(ms, cat("csd_sync_", qo[a]), sy.v.v[nfind(&sy.k, qo[a])], "csd sync call, %s queue", qo[a]);
	for (int a = 0; a < 2; a++)
		if (nfind(&syh.k, qo[a]) >= 0)
			metric(ms, cat("csd_sync_hlt_", qo[a]), syh.v.v[nfind(&syh.k, qo[a])],
			       "csd sync call to a halted target, %s queue", qo[a]);
	for (int a = 0; a < 2; a++)
		for (int b = 0; b < 2; b++) {
			char key[64], id[96];
			long j;

			snprintf(key, sizeof(key), "%s\t%s", qo[a], ko[b]);
			j = nfind(&cb.k, key);
			if (j < 0)
				continue;
			snprintf(id, sizeof(id), "csd_batch_%s_%s", qo[a], ko[b]);
			metric(ms, id, cb.v.v[j], "csd per call at batch %lld, %s queue, kick %s",
			       (long long)cb.aux.v[j], qo[a], ko[b]);
		}
	if (nfind(&tl.k, "invlpg") >= 0)
		metric(ms, "tlb_1p_1t", tl.v.v[nfind(&tl.k, "invlpg")], "TLB shootdown, 1 page, 1 target (invlpg)");
	else if (nfind(&tl.k, "madvise") >= 0)	/* the Linux side */
		metric(ms, "tlb_1p_1t", tl.v.v[nfind(&tl.k, "madvise")], "TLB shootdown, 1 page, 1 target (madvise)");
	else if (tl.k.n)
		metric(ms, "tlb_1p_1t", tl.v.v[0], "TLB shootdown, 1 page, 1 target (%s)", tl.k.s[0]);
	for (size_t i = 0; i < NFLOOR; i++) {
		if (!fl[i].n)
			continue;
		if (fl[i].n > 1)
			metric(ms, floor_order[i], median(fl[i].v, fl[i].n), "%s (median of %zu pairs)",
			       floor_order[i], fl[i].n);
		else
			metric(ms, floor_order[i], fl[i].v[0], "%s", floor_order[i]);
	}
}

/* the value as summary.sh --tsv printed it, to six digits */
static const char *metric_text(const struct metric *m, char *buf, size_t size)
{
	snprintf(buf, size, "%.6g", m->v);
	return buf;
}

static void summary_tsv(const struct run *run)
{
	struct metrics ms;
	char b[64];

	metrics_load(run, &ms);
	for (size_t i = 0; i < ms.n; i++)
		printf("%s\t%s\t%s\n", ms.m[i].id, metric_text(&ms.m[i], b, sizeof(b)), ms.m[i].label);
}

static void summary_txt(const struct run *run)
{
	char path[4096], acc[256], ghz[64], b[64];
	struct metrics ms;
	double hz = awk_num(kv_or(&run->meta, "tsc_hz", "NA"));
	FILE *f;

	metrics_load(run, &ms);
	snprintf(path, sizeof(path), "%s/summary.txt", run->dir);
	f = fopen(path, "w");
	if (!f)
		die("cannot write %s", path);
	if (hz > 0)
		snprintf(ghz, sizeof(ghz), "%.3f GHz", hz / 1e9);
	else
		snprintf(ghz, sizeof(ghz), "unknown");
	if (!strcmp(kv_or(&run->meta, "side", ""), "linux")) {
		fprintf(f, "volley Linux-side run summary: %s\n", run->dir);
		fprintf(f, "%-12s %s\n%-12s preempt %s, clocksource %s, HZ %s\n%-12s cmdline %s\n",
			"kernel", kv_or(&run->meta, "kernel", "?"), "", kv_or(&run->meta, "preempt", "?"),
			kv_or(&run->meta, "clocksource", "?"), kv_or(&run->meta, "hz", "?"), "",
			kv_or(&run->meta, "kernel_cmdline", "?"));
	} else {
		fprintf(f, "volley run summary: %s\n", run->dir);
	}
	fprintf(f, "%-12s %s (%s)\n", "cpu", kv_or(&run->meta, "cpu_brand", "?"), kv_or(&run->meta, "cpu_vendor", "?"));
	fprintf(f, "%-12s %s [hypervisor %s]\n", "accelerator", accel_words(run, acc, sizeof(acc)),
		kv_or(&run->meta, "hypervisor", "NA"));
	fprintf(f, "%-12s %s, %s CPUs\n", "apic", kv_or(&run->meta, "apic_mode", "?"), run->ncpus);
	fprintf(f, "%-12s %s (source %s, invariant %s)\n", "tsc", ghz, kv_or(&run->meta, "tsc_source", "?"),
		kv_or(&run->meta, "tsc_invariant", "?"));
	fprintf(f, "%-12s %s\n", "firmware", kv_or(&run->meta, "firmware", kv_or(&run->env, "firmware", "?")));
	fprintf(f, "%-12s %s\n", "version", kv_or(&run->meta, "version", "?"));
	fprintf(f, "%-12s %s\n", "cmdline", kv_or(&run->meta, "cmdline", ""));
	/* meta says what the machine is: an emulator's timings are not hardware's */
	if (!strcmp(kv_or(&run->meta, "emulated", "0"), "1"))
		fprintf(f, "\nNOTE: emulated CPU (%s): these figures are emulator timings, not hardware's.\n",
			kv_or(&run->meta, "hypervisor", "?"));
	if (!strcmp(kv_or(&run->meta, "mwait_waits", "NA"), "0"))
		fprintf(f, "NOTE: mwait here returns at once without a store: the mwait rows time a spinning receiver.\n");
	fprintf(f, "\nheadline figures (p50, ns)\n");
	for (size_t i = 0; i < ms.n; i++)
		fprintf(f, "  %-58s %12.0f ns\n", ms.m[i].label, awk_num(metric_text(&ms.m[i], b, sizeof(b))));
	if (!ms.n)
		fprintf(f, "  (no stats tables in this run)\n");
	fprintf(f, "\n");
	snprintf(path, sizeof(path), "%s/errors.csv", run->dir);
	if (!file_exists(path)) {
		fprintf(f, "errors: no errors.csv\n");
	} else if (!ms.nerr) {
		fprintf(f, "errors: none\n");
	} else {
		fprintf(f, "errors: %zu row(s) (where,cpu,what,waited_us):\n", ms.nerr);
		for (size_t i = 0; i < ms.errors.n; i++)
			fprintf(f, "  %s\n", ms.errors.s[i]);
	}
	size_t sum = 0;
	struct str l = { 0 };
	for (int i = 0; i < 5; i++)
		if (ms.tsd[i]) {
			sum += ms.tsd[i];
			sadd(&l, "%s%s %zu", l.len ? ", " : "", tsd_order[i], ms.tsd[i]);
		}
	if (sum)
		fprintf(f, "WARNING: ts_dominated=1 in %zu rows (%s): rdtsc costs more than 5%% of their p50, so those p50s are largely the timestamp; read batch_mean for them.\n",
			sum, sget(&l));
	if (has(run->dir, "summary")) {
		struct tab t;

		fprintf(f, "\nkernel summary table (summary.csv):\n");
		tab_open(&t, run->dir, "summary");
		while (getline(&t.line, &t.cap, t.f) >= 0) {
			chomp(t.line);
			if (!blank(t.line))
				fprintf(f, "  %s\n", t.line);
		}
		tab_close(&t);
	}
	if (fclose(f))
		die("writing %s/summary.txt failed", run->dir);
	free(l.s);
}

/* ---- compare ------------------------------------------------------------------------- */

/* one point of a curve: key (method, queue:kick), x, y as awk printed them */
struct cpoint {
	char *key, *x, *y, *line;
	double xv;
};

static int strcmp_p(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cpoint_cmp(const void *pa, const void *pb)
{
	const struct cpoint *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	/* sort -k1,1 -k2,2n, then the whole line */
	if (c)
		return c;
	if (a->xv != b->xv)
		return a->xv < b->xv ? -1 : 1;
	return strcmp(a->line, b->line);
}

struct curve {
	struct cpoint *p;
	size_t n;
};

static void cpush(struct curve *c, const char *key, double x, const char *y)
{
	struct cpoint *p;
	struct str l = { 0 };

	c->p = xrealloc(c->p, (c->n + 1) * sizeof(*c->p));
	p = &c->p[c->n++];
	p->key = xstrdup(key);
	p->x = xstrdup(num(x));
	p->xv = x;
	p->y = xstrdup(y);
	sadd(&l, "%s %s %s", key, p->x, y);
	p->line = l.s;
}

/* the curves compare draws from one run: 0 bcast, 1 tlb, 2 csd */
static void curves_load(const struct run *run, struct curve c[3])
{
	struct tab t;

	memset(c, 0, 3 * sizeof(*c));
	if (tab_open(&t, run->dir, "ipi_bcast")) {
		int cm = col(&t, "method"), ct = col(&t, "targets");

		while (tab_next(&t)) {
			double v = ns(run, &t, t.p50);

			if (!isna(v))
				cpush(&c[0], get(&t, cm), getnum(&t, ct), num(v));
		}
		tab_close(&t);
	}
	if (tab_open(&t, run->dir, "tlb")) {
		int cs = col(&t, "strategy"), ct = col(&t, "targets"), cp = col(&t, "pages");

		while (tab_next(&t)) {
			double v;

			/* invlpg, or madvise for the Linux side */
			if ((strcmp(get(&t, cs), "invlpg") && strcmp(get(&t, cs), "madvise")) ||
			    strcmp(get(&t, ct), "1"))
				continue;
			v = ns(run, &t, t.p50);
			if (!isna(v))
				cpush(&c[1], get(&t, cs), getnum(&t, cp), num(v));
		}
		tab_close(&t);
	}
	if (tab_open(&t, run->dir, "csd")) {
		int cte = col(&t, "test"), cq = col(&t, "queue"), ck = col(&t, "kick");
		int cpc = col(&t, "per_call_ns"), cb = col(&t, "batch");

		while (tab_next(&t)) {
			char key[256];
			const char *y;

			if (strcmp(get(&t, cte), "batch"))
				continue;
			if (!getna(&t, cpc)) {
				y = get(&t, cpc);
			} else {
				double v = ns(run, &t, t.p50);

				if (isna(v))
					continue;
				y = num(v / getnum(&t, cb));
			}
			snprintf(key, sizeof(key), "%s:%s", get(&t, cq), get(&t, ck));
			cpush(&c[2], key, getnum(&t, cb), y);
		}
		tab_close(&t);
	}
	for (int i = 0; i < 3; i++)
		if (c[i].n)
			qsort(c[i].p, c[i].n, sizeof(*c[i].p), cpoint_cmp);
}

/* headline groups: short tic labels, the group says the metric, the key the run */
static void short_name(struct str *s, const char *id)
{
	if (prefix(id, "ipi_")) {
		sadd(s, "IPI RTT\\n%s", id + 4);
	} else if (prefix(id, "bcast_")) {
		sadd(s, "bcast all\\n%s", id + 6);
	} else if (prefix(id, "csd_sync_")) {
		sadd(s, "csd sync\\n%s", id + 9);
	} else if (prefix(id, "csd_batch_")) {
		char r[96], *u;

		snprintf(r, sizeof(r), "%s", id + 10);
		if ((u = strchr(r, '_')))
			*u = ' ';
		sadd(s, "csd/call\\n%s", r);
	} else if (!strcmp(id, "tlb_1p_1t")) {
		sadd(s, "TLB 1pg\\n1 target");
	} else if (!strcmp(id, "cacheline_rtt")) {
		sadd(s, "cache-line\\nRTT");
	} else {
		for (; *id; id++)
			sadd(s, "%c", *id == '_' ? ' ' : *id);
	}
}

static int rank(const char *id)
{
	return prefix(id, "ipi_") ? 1 : prefix(id, "bcast_") ? 2 : prefix(id, "csd_sync") ? 3 :
	       prefix(id, "csd_batch") ? 4 : prefix(id, "tlb") ? 5 : !strcmp(id, "cacheline_rtt") ? 6 : 7;
}

static void do_compare(const char *outdir, int n, char **dirs)
{
	struct run *runs = xrealloc(NULL, (size_t)n * sizeof(*runs));
	struct metrics *ms = xrealloc(NULL, (size_t)n * sizeof(*ms));
	struct curve (*cv)[3] = xrealloc(NULL, (size_t)n * sizeof(*cv));
	char (*label)[512] = xrealloc(NULL, (size_t)n * sizeof(*label));
	struct str labels = { 0 }, vs = { 0 };
	char path[4096], b[64];

	for (int i = 0; i < n; i++) {
		char *w, *r;

		run_load(&runs[i], dirs[i]);
		run_label(&runs[i], label[i], sizeof(label[i]));
		for (r = w = label[i]; *r; r++)
			if (*r != '"')
				*w++ = *r;
		*w = '\0';
		metrics_load(&runs[i], &ms[i]);
		curves_load(&runs[i], cv[i]);
	}
	/* labels must tell runs apart: add the folder name when two are the same */
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			char base[512], *p, dn[4096];

			snprintf(base, sizeof(base), "%s", label[j]);
			if ((p = strstr(base, " (")))
				*p = '\0';
			if (i == j || strcmp(label[i], base))
				continue;
			snprintf(dn, sizeof(dn), "%s", dirs[i]);
			for (size_t l = strlen(dn); l > 1 && dn[l - 1] == '/'; l--)
				dn[l - 1] = '\0';
			p = strrchr(dn, '/');
			p = p && p[1] ? p + 1 : dn;
			size_t l = strlen(label[i]);
			snprintf(label[i] + l, sizeof(label[i]) - l, " (%s)", p);
			break;
		}
	for (int i = 0; i < n; i++) {
		sadd(&labels, "\"%s\" ", label[i]);
		sadd(&vs, "%s%s", i ? "  vs  " : "", label[i]);
	}
	common.len = 0;
	sadd(&common, "subtitle=");
	gq(&common, sget(&vs));
	sadd(&common, "; ");

	/* ---- headline bars: a group per metric, a bar per run */
	struct names ids = { 0 };
	struct dvec seen = { 0 };
	size_t line = 0;
	for (int r = 0; r < n; r++)
		for (size_t k = 0; k < ms[r].n; k++) {
			const char *id = ms[r].m[k].id;
			long g = nfind(&ids, id);
			double rk = rank(id) * 1000.0 + (double)++line;

			if (g < 0) {
				nadd(&ids, id);
				dpush(&seen, rk);
			} else if (rk < seen.v[g]) {
				seen.v[g] = rk;
			}
		}
	for (size_t i = 1; i < ids.n; i++)
		for (size_t j = i; j > 0 && seen.v[j - 1] > seen.v[j]; j--) {
			char *t = ids.s[j];
			double x = seen.v[j];

			ids.s[j] = ids.s[j - 1]; ids.s[j - 1] = t;
			seen.v[j] = seen.v[j - 1]; seen.v[j - 1] = x;
		}
	if (ids.n) {
		double w = 0.8 / n, lo = NA, hi = NA;
		struct str tics = { 0 }, tab = { 0 };

		sadd(&tab, "%-28s", "metric (p50 ns)");
		for (int r = 0; r < n; r++) {
			char rn[32];

			snprintf(rn, sizeof(rn), "run%d", r + 1);
			sadd(&tab, " %14s", rn);
		}
		sadd(&tab, "\n");
		for (size_t g = 0; g < ids.n; g++) {
			sadd(&tab, "%-28s", ids.s[g]);
			for (int r = 0; r < n; r++) {
				double x = (double)g + (r - (n - 1) / 2.0) * w;
				const char *val = "NaN";

				/* the last of a run's figures with this id */
				for (size_t k = 0; k < ms[r].n; k++)
					if (!strcmp(ms[r].m[k].id, ids.s[g]))
						val = metric_text(&ms[r].m[k], b, sizeof(b));
				fprintf(out("bars.%d", r), "%s %s\n", num(x), val);
				if (strcmp(val, "NaN")) {
					double d = awk_num(val);
					char c[64];

					if (isna(lo) || d < lo)
						lo = d;
					if (isna(hi) || d > hi)
						hi = d;
					snprintf(c, sizeof(c), "%.0f", d);
					sadd(&tab, " %14s", c);
				} else {
					sadd(&tab, " %14s", "-");
				}
			}
			sadd(&tab, "\n");
			sadd(&tics, "%s\"", g ? ", " : "");
			short_name(&tics, ids.s[g]);
			sadd(&tics, "\" %zu", g);
		}
		fprintf(out("bars.gpi"), "ngroups = %zu; ylo = %g; yhi = %g; bw = %g\nset xtics (%s)\n",
			ids.n, isna(lo) ? 0 : lo, isna(hi) ? 0 : hi, w, sget(&tics));
		snprintf(path, sizeof(path), "%s/compare.txt", outdir);
		FILE *f = fopen(path, "w");
		if (!f)
			die("cannot write %s", path);
		for (int i = 0; i < n; i++)
			fprintf(f, "run%d = %s: %s\n", i + 1, label[i], dirs[i]);
		fprintf(f, "\n%s", sget(&tab));
		if (fclose(f))
			die("writing %s failed", path);
		long width = 160 + (long)ids.n * (40 + 18 * n);
		width = width < 900 ? 900 : width > 2400 ? 2400 : width;
		struct str v = { 0 };
		sadd(&v, "nruns=%d; labels=", n);
		gq(&v, sget(&labels));
		sadd(&v, "; datp='%s/bars.'; load '%s/bars.gpi'", tmpdir, tmpdir);
		plan_draw("compare_headline", "compare_bars.gp", (int)width, 650, "%s", sget(&v));
		free(v.s);
		free(tics.s);
		free(tab.s);
	} else {
		plan_note("compare: skip compare_headline: no headline figures in any run");
	}

	/* ---- overlaid curves: one block per (run, key), colour = run, dash = key */
	static const struct {
		const char *name, *tab, *title, *xl, *yl;
	} cs[3] = {
		{ "compare_bcast", "ipi_bcast", "Broadcast IPI: last ack p50 vs targets", "targets (log2 scale)",
		  "last ack, p50 (ns, log scale)" },
		{ "compare_tlb", "tlb", "TLB shootdown, invlpg, 1 target: p50 vs pages", "pages changed (log2 scale)",
		  "p50 (ns, log scale)" },
		{ "compare_csd", "csd", "csd queue: cost per call vs batch size", "calls queued per batch (log2 scale)",
		  "p50 per call (ns, log scale)" },
	};
	for (int c = 0; c < 3; c++) {
		struct names keys = { 0 };
		struct str titles = { 0 }, runidx = { 0 }, keyidx = { 0 }, v = { 0 };
		int nb = 0;

		for (int r = 0; r < n; r++)
			for (size_t k = 0; k < cv[r][c].n; k++)
				nadd(&keys, cv[r][c].p[k].key);
		qsort(keys.s, keys.n, sizeof(*keys.s), strcmp_p);
		for (int r = 0; r < n; r++)
			for (size_t ki = 0; ki < keys.n; ki++) {
				bool any = false;

				for (size_t k = 0; k < cv[r][c].n; k++) {
					const struct cpoint *p = &cv[r][c].p[k];

					if (strcmp(p->key, keys.s[ki]))
						continue;
					fprintf(out("%s.dat", cs[c].name), "%s %s\n", p->x, p->y);
					any = true;
				}
				if (!any)
					continue;
				fprintf(out("%s.dat", cs[c].name), "\n\n");
				nb++;
				if (keys.n > 1)
					sadd(&titles, "\"%s: %s\" ", label[r], keys.s[ki]);
				else
					sadd(&titles, "\"%s\" ", label[r]);
				sadd(&runidx, "%d ", r + 1);
				sadd(&keyidx, "%zu ", ki + 1);
			}
		if (!nb) {
			plan_note("compare: skip %s: no %s rows in any run", cs[c].name, cs[c].tab);
			continue;
		}
		sadd(&v, "tt=");
		gq(&v, cs[c].title);
		sadd(&v, "; xl=");
		gq(&v, cs[c].xl);
		sadd(&v, "; yl=");
		gq(&v, cs[c].yl);
		sadd(&v, "; logy=1; nb=%d; titles=", nb);
		gq(&v, sget(&titles));
		sadd(&v, "; runidx='%s'; keyidx='%s'; dat='%s/%s.dat'", sget(&runidx), sget(&keyidx), tmpdir, cs[c].name);
		plan_draw(cs[c].name, "compare_lines.gp", 1000, 620, "%s", sget(&v));
		free(v.s);
		free(titles.s);
		free(runidx.s);
		free(keyidx.s);
	}
	close_all();
}

/* ---- main ------------------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: vplot plot DIR TMP | vplot summary [--tsv] DIR | vplot compare OUT TMP DIR DIR...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct run run;

	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "plot") && argc == 4) {
		prog = "plot.sh";
		tmpdir = argv[3];
		run_load(&run, argv[2]);
		sadd(&common, "subtitle=");
		struct str st = { 0 };
		subtitle(&run, &st);
		gq(&common, sget(&st));
		sadd(&common, "; ");
		free(st.s);
		plot_heat(&run);
		plot_dist(&run);
		plot_bcast(&run);
		plot_csd(&run);
		plot_tlb(&run);
		plot_floor(&run);
	} else if (!strcmp(argv[1], "summary") && (argc == 3 || (argc == 4 && !strcmp(argv[2], "--tsv")))) {
		prog = "summary.sh";
		run_load(&run, argv[argc - 1]);
		if (argc == 4)
			summary_tsv(&run);
		else
			summary_txt(&run);
	} else if (!strcmp(argv[1], "compare") && argc >= 6) {
		prog = "compare.sh";
		tmpdir = argv[3];
		do_compare(argv[2], argc - 4, argv + 4);
	} else {
		usage();
	}
	if (fflush(stdout) || ferror(stdout))
		die("writing the plan failed");
	return 0;
}
