// SPDX-License-Identifier: MIT
/*
 * tlbbench: what a Linux program pays for a TLB shootdown, in volley's `tlb`
 * table (strategy,pages,targets,STATS,verify).
 *
 * The main thread, pinned on the first CPU, changes `pages` pages of private
 * anonymous memory while `targets` threads, each pinned on another CPU,
 * spin in user space in the same mm after touching every page (so the
 * entries are in their TLBs, and their CPUs are in the mm's cpumask and not
 * lazy: Linux must IPI them). One sample is the system call, timed with the
 * fenced TSC around it:
 *   madvise   madvise(MADV_DONTNEED): the pages are zapped
 *   mprotect  mprotect(PROT_NONE)
 *   munmap    munmap
 * Then every target checks every page (verify): after madvise it must read
 * 0 (the old contents mean a stale TLB entry), after mprotect and munmap the
 * read must fault. The pages are restored (untimed) and the round repeats.
 * The strategies are measured interleaved, in BLOCKS blocks per row.
 * Threads that are not targets of a row sleep, so their CPUs go idle.
 *
 * batch_mean is NA: the operation cannot be repeated back to back without
 * a restore between, which would sit inside the timed span.
 *
 * Statistics and the CSV writer are volley's own (core/stats.c, core/csv.c).
 * Options: --tsc-hz=N (else calibrated against CLOCK_MONOTONIC_RAW),
 * --iters=N --warmup=N --quick --pages=LIST --targets=LIST --ops=LIST,
 * --timeout-ms=N (per wait; default 10000: a loaded host can stall a TCG
 * vCPU for seconds), --inject=noop (test only: skip the operation, so
 * verify must fail). Exit: 0 all verified, 1 a verify failed or a wait timed
 * out, 2 bad option.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/fmt.h"
#include "core/stats.h"
#include "core/tsc_read.h"
#include "linux/lrow.h"

#define PAGE		4096u
#define MAX_PAGES	512u
#define MAX_THREADS	256u
#define BLOCKS		4

enum op { OP_MADVISE, OP_MPROTECT, OP_MUNMAP, OP_N };
static const char *const op_name[OP_N] = { "madvise", "mprotect", "munmap" };

/* Commands: (round << 3) | phase; the targets ack each. */
enum phase { PH_TOUCH = 1, PH_VERIFY = 2, PH_END = 3 };

static struct {
	_Atomic uint64_t cmd;
	_Atomic unsigned acks;
	_Atomic int failed;	/* a wait timed out */
	_Atomic unsigned ready;	/* targets that entered the row */
	unsigned pages;		/* this row's */
	enum op op;		/* this round's */
	uint64_t pattern;	/* this round's page contents */
} ctl __attribute__((aligned(64)));

static struct tgt {
	pthread_t th;
	unsigned cpu;
	bool active;		/* a target of the current row */
	uint64_t bad;		/* pages that verified wrong */
} tgts[MAX_THREADS];

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static unsigned gen;		/* row generation, under mu */
static bool quit;

static volatile uint8_t *region;
static uint64_t tsc_hz, timeout_cycles;
static bool inject_noop;

/* ---- faults: a probe read that may SIGSEGV -------------------------------------- */

static __thread sigjmp_buf probe_jmp;
static __thread volatile sig_atomic_t in_probe;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (in_probe)
		siglongjmp(probe_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Reads *p; false if the read faulted. */
static bool probe(volatile uint64_t *p, uint64_t *v)
{
	if (sigsetjmp(probe_jmp, 1)) {
		in_probe = 0;
		return false;
	}
	in_probe = 1;
	*v = *p;
	in_probe = 0;
	return true;
}

/* ---- waits ------------------------------------------------------------------ */

static bool wait_acks(unsigned n)
{
	uint64_t dl = rdtsc_fenced() + timeout_cycles;
	unsigned spin = 0;

	while (atomic_load_explicit(&ctl.acks, memory_order_acquire) < n) {
		__builtin_ia32_pause();
		if ((++spin & 1023) == 0 && rdtsc_fenced() > dl) {
			atomic_store(&ctl.failed, 1);
			return false;
		}
	}
	return true;
}

static void command(uint64_t round, enum phase ph)
{
	atomic_store_explicit(&ctl.acks, 0, memory_order_relaxed);
	atomic_store_explicit(&ctl.cmd, (round << 3) | ph, memory_order_release);
}

/* ---- targets ------------------------------------------------------------------ */

static void pin(unsigned cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	if (sched_setaffinity(0, sizeof(s), &s)) {
		perror("tlbbench: sched_setaffinity");
		exit(2);
	}
}

/* One row as a target: touch, verify, until PH_END. */
static void target_row(struct tgt *t)
{
	uint64_t seen = atomic_load(&ctl.cmd), dl = rdtsc_fenced() + timeout_cycles;
	unsigned spin = 0;

	/* The main side sends nothing before every target has its `seen`. */
	atomic_fetch_add_explicit(&ctl.ready, 1, memory_order_release);
	for (;;) {
		uint64_t c = atomic_load_explicit(&ctl.cmd, memory_order_acquire);

		if (c == seen) {
			__builtin_ia32_pause();
			if ((++spin & 1023) == 0 && rdtsc_fenced() > dl) {
				atomic_store(&ctl.failed, 1);
				return;
			}
			continue;
		}
		seen = c;
		dl = rdtsc_fenced() + timeout_cycles;
		if ((c & 7) == PH_END) {
			atomic_fetch_add_explicit(&ctl.acks, 1, memory_order_release);
			return;
		}
		for (unsigned p = 0; p < ctl.pages; p++) {
			volatile uint64_t *w = (volatile uint64_t *)(region + (size_t)p * PAGE);
			uint64_t v = 0;
			bool ok = probe(w, &v);

			if ((c & 7) == PH_TOUCH)
				t->bad += !ok || v != ctl.pattern;
			else if (ctl.op == OP_MADVISE)
				t->bad += !ok || v != 0;
			else
				t->bad += ok;	/* mprotect, munmap: must fault */
		}
		atomic_fetch_add_explicit(&ctl.acks, 1, memory_order_release);
	}
}

static void *target_main(void *arg)
{
	struct tgt *t = arg;
	unsigned seen = 0;

	pin(t->cpu);
	for (;;) {
		bool act;

		pthread_mutex_lock(&mu);
		while (gen == seen && !quit)
			pthread_cond_wait(&cv, &mu);
		seen = gen;
		act = t->active;
		pthread_mutex_unlock(&mu);
		if (quit)
			return NULL;
		if (act)
			target_row(t);
	}
}

/* ---- the main side -------------------------------------------------------------- */

static void fill(unsigned pages, uint64_t pattern)
{
	for (unsigned p = 0; p < pages; p++)
		*(volatile uint64_t *)(region + (size_t)p * PAGE) = pattern;
}

static void *map_region(void *at, unsigned pages)
{
	void *r = mmap(at, (size_t)pages * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | (at ? MAP_FIXED : 0), -1, 0);

	if (r == MAP_FAILED) {
		perror("tlbbench: mmap");
		exit(1);
	}
	/* 4 KiB pages: a huge page would make this another measurement. */
	madvise(r, (size_t)pages * PAGE, MADV_NOHUGEPAGE);
	return r;
}

/* The timed operation. */
static int do_op(enum op op, unsigned pages)
{
	size_t len = (size_t)pages * PAGE;
	void *r = (void *)region;

	if (inject_noop)
		return 0;
	switch (op) {
	case OP_MADVISE:
		return madvise(r, len, MADV_DONTNEED);
	case OP_MPROTECT:
		return mprotect(r, len, PROT_NONE);
	default:
		return munmap(r, len);
	}
}

/* Untimed: back to pages of `pattern`, mapped read-write. */
static void restore(enum op op, unsigned pages, uint64_t pattern)
{
	void *r = (void *)region;

	if (!inject_noop) {
		if (op == OP_MPROTECT)
			mprotect(r, (size_t)pages * PAGE, PROT_READ | PROT_WRITE);
		else if (op == OP_MUNMAP)
			map_region(r, pages);
	}
	fill(pages, pattern);
}

static uint64_t round_no = 1;

/* n rounds of op with `ntargets` active targets; samples into v (n >= 0). */
static bool run_rounds(enum op op, unsigned pages, unsigned ntargets, unsigned warm,
		       uint64_t *v, unsigned n)
{
	for (unsigned i = 0; i < warm + n; i++, round_no++) {
		uint64_t t0, t1;

		ctl.op = op;
		command(round_no, PH_TOUCH);
		if (!wait_acks(ntargets))
			return false;
		t0 = rdtsc_fenced();
		if (do_op(op, pages)) {
			perror("tlbbench: operation");
			return false;
		}
		t1 = rdtsc_fenced();
		command(round_no, PH_VERIFY);
		if (!wait_acks(ntargets))
			return false;
		if (i >= warm)
			v[i - warm] = t1 - t0;
		ctl.pattern = (round_no + 1) * 0x9e3779b97f4a7c15ull | 1;
		restore(op, pages, ctl.pattern);
	}
	return true;
}

static bool set_row(unsigned ntargets, unsigned pages)
{
	uint64_t dl = rdtsc_fenced() + timeout_cycles;

	pthread_mutex_lock(&mu);
	atomic_store(&ctl.ready, 0);
	for (unsigned i = 0; i < MAX_THREADS; i++)
		tgts[i].active = i < ntargets;
	ctl.pages = pages;
	fill(pages, ctl.pattern);	/* the touch checks every page's contents */
	gen++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	while (atomic_load_explicit(&ctl.ready, memory_order_acquire) < ntargets)
		if (rdtsc_fenced() > dl)
			return false;
	return true;
}

static void end_row(unsigned ntargets)
{
	command(round_no++, PH_END);
	wait_acks(ntargets);
}

/* ---- options, output -------------------------------------------------------------- */

static void out_stdout(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	fwrite(s, 1, n, stdout);
}

/* "1,8,64" -> list; false on junk. */
static bool parse_list(const char *s, unsigned *v, unsigned *n, unsigned max_n, unsigned max_v)
{
	char *end;

	*n = 0;
	while (*s) {
		unsigned long x = strtoul(s, &end, 10);

		if (end == s || x == 0 || x > max_v || *n == max_n)
			return false;
		v[(*n)++] = (unsigned)x;
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			return false;
	}
	return *n > 0;
}

/* A whole decimal number; false on junk or overflow. */
static bool num(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && !errno;
}

static bool num32(const char *s, unsigned *v)
{
	uint64_t x;

	if (!num(s, &x) || x > 100000000)
		return false;
	*v = (unsigned)x;
	return true;
}

static uint64_t calibrate_tsc(void)
{
	struct timespec a, b;
	uint64_t t0, t1;

	clock_gettime(CLOCK_MONOTONIC_RAW, &a);
	t0 = rdtsc_fenced();
	usleep(100000);
	clock_gettime(CLOCK_MONOTONIC_RAW, &b);
	t1 = rdtsc_fenced();
	return (t1 - t0) * 1000000000ull /
	       (uint64_t)((b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec));
}

static int usage(const char *bad)
{
	fprintf(stderr, "tlbbench: bad option %s\n"
		"usage: tlbbench [--tsc-hz=N] [--iters=N] [--warmup=N] [--quick] [--pages=LIST]\n"
		"                [--targets=LIST] [--ops=madvise,mprotect,munmap] [--timeout-ms=N]\n"
		"                [--inject=noop]\n", bad);
	return 2;
}

int main(int argc, char **argv)
{
	unsigned iters = 200, warmup = 20, timeout_ms = 10000, npages = 0, ntl = 0, nops = 0;
	unsigned pages[16], tl[64], cpus[MAX_THREADS + 1], ncpus = 0;
	enum op ops[OP_N];
	bool quick = false, all_ok = true;
	struct sigaction sa;
	struct lrow lr = { 0 };
	uint64_t scratch[256], *v;
	cpu_set_t set;
	struct csv t;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "--tsc-hz=", 9)) {
			if (!num(a + 9, &tsc_hz))
				return usage(a);
		} else if (!strncmp(a, "--iters=", 8)) {
			if (!num32(a + 8, &iters) || !iters)
				return usage(a);
		} else if (!strncmp(a, "--warmup=", 9)) {
			if (!num32(a + 9, &warmup))
				return usage(a);
		} else if (!strncmp(a, "--timeout-ms=", 13)) {
			if (!num32(a + 13, &timeout_ms) || !timeout_ms)
				return usage(a);
		} else if (!strcmp(a, "--quick")) {
			quick = true;
		} else if (!strcmp(a, "--inject=noop")) {
			inject_noop = true;
		} else if (!strncmp(a, "--pages=", 8)) {
			if (!parse_list(a + 8, pages, &npages, 16, MAX_PAGES))
				return usage(a);
		} else if (!strncmp(a, "--targets=", 10)) {
			if (!parse_list(a + 10, tl, &ntl, 64, MAX_THREADS))
				return usage(a);
		} else if (!strncmp(a, "--ops=", 6)) {
			char *s = strdup(a + 6), *tok, *save = NULL;

			for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				int k;

				for (k = 0; k < OP_N && strcmp(tok, op_name[k]); k++)
					;
				if (k == OP_N || nops == OP_N)
					return usage(a);
				ops[nops++] = (enum op)k;
			}
			free(s);
			if (!nops)
				return usage(a);
		} else {
			return usage(a);
		}
	}
	if (!npages) {
		static const unsigned full[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512 };
		static const unsigned q[] = { 1, 8, 64, 512 };
		const unsigned *src = quick ? q : full;

		npages = quick ? 4 : 10;
		memcpy(pages, src, npages * sizeof(*pages));
	}
	if (!nops) {
		for (int k = 0; k < OP_N; k++)
			ops[k] = (enum op)k;
		nops = OP_N;
	}

	/* The CPUs we may run on: the first is ours, the others targets'. */
	if (sched_getaffinity(0, sizeof(set), &set)) {
		perror("tlbbench: sched_getaffinity");
		return 1;
	}
	for (unsigned c = 0; c < CPU_SETSIZE && ncpus < MAX_THREADS + 1; c++)
		if (CPU_ISSET(c, &set))
			cpus[ncpus++] = c;
	if (ncpus < 2) {
		fprintf(stderr, "tlbbench: needs 2 CPUs, has %u\n", ncpus);
		return 1;
	}
	if (!ntl) {
		for (unsigned k = 1; k < ncpus; k *= 2)
			tl[ntl++] = k;
		if (tl[ntl - 1] != ncpus - 1)
			tl[ntl++] = ncpus - 1;
	}
	for (unsigned k = 0; k < ntl; k++)
		if (tl[k] > ncpus - 1) {
			fprintf(stderr, "tlbbench: %u targets, but only %u other CPUs\n", tl[k], ncpus - 1);
			return 2;
		}

	if (!tsc_hz)
		tsc_hz = calibrate_tsc();
	timeout_cycles = tsc_hz / 1000 * timeout_ms;
	pin(cpus[0]);
	lr.rdtsc_cost = lrow_rdtsc_cost(scratch);
	lr.tsc_hz = tsc_hz;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	region = map_region(NULL, MAX_PAGES);
	ctl.pattern = 0x5555555555555555ull;
	fill(MAX_PAGES, ctl.pattern);
	for (unsigned i = 0; i < ncpus - 1; i++) {
		tgts[i].cpu = cpus[i + 1];
		if (pthread_create(&tgts[i].th, NULL, target_main, &tgts[i])) {
			perror("tlbbench: pthread_create");
			return 1;
		}
	}
	v = calloc((size_t)nops * iters, sizeof(*v));
	if (!v)
		return 1;

	printf("# tlbbench: %u CPUs, tsc_hz %llu, rdtsc %llu cycles, iters=%u warmup=%u%s\n",
	       ncpus, (unsigned long long)tsc_hz, (unsigned long long)lr.rdtsc_cost, iters, warmup,
	       inject_noop ? ", inject=noop (verify must fail)" : "");
	fflush(stdout);
	csv_begin(&t, out_stdout, NULL, "tlb", "strategy,pages,targets," STATS_HEADER ",verify");
	for (unsigned pi = 0; pi < npages; pi++) {
		for (unsigned ti = 0; ti < ntl; ti++) {
			unsigned nt = tl[ti], got = 0;
			bool ok[OP_N];
			uint64_t bad[OP_N] = { 0 };

			bool in = set_row(nt, pages[pi]);

			for (unsigned k = 0; k < nops; k++)
				ok[k] = in;
			/* Interleaved: each block takes a share of every op's samples. */
			for (unsigned blk = 0; blk < BLOCKS; blk++) {
				unsigned share = iters / BLOCKS + (blk < iters % BLOCKS);

				for (unsigned k = 0; k < nops; k++) {
					uint64_t before = 0;

					for (unsigned i = 0; i < nt; i++)
						before += tgts[i].bad;
					if (ok[k])
						ok[k] = run_rounds(ops[k], pages[pi], nt,
								   blk ? 0 : warmup,
								   v + (size_t)k * iters + got, share);
					for (unsigned i = 0; i < nt; i++)
						bad[k] += tgts[i].bad;
					bad[k] -= before;
				}
				got += share;
			}
			end_row(nt);
			for (unsigned k = 0; k < nops; k++) {
				char prefix[64];
				bool good = ok[k] && !bad[k];

				fmt_buf(prefix, sizeof(prefix), "%s,%u,%u", op_name[ops[k]], pages[pi], nt);
				lrow_stats(&lr, &t, prefix, v + (size_t)k * iters, ok[k] ? iters : 0,
					   STATS_NA, good ? "ok" : "fail", NULL);
				if (!good) {
					all_ok = false;
					fflush(stdout);
					fprintf(stdout, "# tlbbench: %s pages=%u targets=%u: %s, %llu bad page reads\n",
						op_name[ops[k]], pages[pi], nt,
						ok[k] ? "verify failed" : "a wait timed out",
						(unsigned long long)bad[k]);
				}
			}
			fflush(stdout);
		}
	}
	csv_end(&t);
	printf("# tlbbench: %s; %u of %u rows: the timestamp costs >5%% of p50\n",
	       all_ok ? "every shootdown verified" : "VERIFY FAILED", lr.ts_dominated, lr.rows);
	fflush(stdout);
	pthread_mutex_lock(&mu);
	quit = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	for (unsigned i = 0; i < ncpus - 1; i++)
		pthread_join(tgts[i].th, NULL);
	return all_ok ? 0 : 1;
}
