/* SPDX-License-Identifier: MIT */
/*
 * tlb: TLB shootdown, the way an OS does it in one address space.
 *
 * Set-up: P_MAX pages in VM_REGION, each mapped to a frame A[i]; a second set
 * B[i]; every frame holds a marker (its physical address ^ TLB_MAGIC), so a
 * reader knows which frame a virtual page really reaches.
 *
 * One round, for a strategy, P pages and T targets:
 *   untimed  touch phase: the initiator (cpu 0) and every target read the
 *            marker of each of the P pages, so the translations are in their
 *            TLBs, and check it is the current frame's (the verify pass);
 *   timed    on cpu 0, from a fenced rdtsc before the first PTE write to one
 *            after the last ack: remap the P PTEs to the other set, flush
 *            locally, write flush_gen, IPI the T targets (VEC_TLB, one ICR
 *            write each); each target's handler EOIs, invalidates the P pages
 *            and stores flush_gen in its own cache line; cpu 0 waits for all.
 * Each target starts the next touch phase in its job loop right after its
 * ack (cpu 0 waits for it before the next round); that pass verifies this
 * round's remap, and a final touch closes each row (after batch_mean's
 * back-to-back shootdowns). A stale marker anywhere makes verify "fail" and
 * an errors row: a missing invalidation is caught (tested by building with
 * KEXTRA=-DTLB_SELFTEST_BROKEN_FLUSH, which drops the targets' flush: every
 * row fails but those where the TLB evicted the stale entries on its own;
 * under TCG, whose softmmu TLB is small, that was P >= 128 with invlpg).
 *
 * Strategies: invlpg (one per page, initiator and targets), full (CR3
 * reload), invpcid (type 0, PCID 0, one per page) and invlpgb (AMD's
 * broadcast INVLPGB + TLBSYNC from the initiator alone: no IPIs; the
 * targets still touch and verify, on command).
 *
 * Linux's order differs slightly: flush_tlb_mm_range() sends the IPIs first
 * and flushes the local TLB while they fly. Here the local flush comes
 * before the IPIs, so the figure is the sum of both, not their overlap.
 */
#include "harness.h"
#include "report.h"
#include "suite.h"
#include "apic/apic.h"
#include "core/progress.h"
#include "core/console.h"
#include "core/cpuinfo.h"
#include "core/errors.h"
#include "core/idt.h"
#include "plan.h"
#include "run.h"
#include "core/percpu.h"
#include "core/str.h"
#include "core/vm.h"
#include "core/wait.h"
#include "core/x86.h"

#define TLB_PAGES_MAX	512		/* one page table: the PT entries of a 2 MiB slot */
#define TLB_VA_BASE	VM_REGION_BASE	/* 2 MiB aligned: the pages share one PT */
#define TLB_MAGIC	0x766f6c6c65790000UL	/* "volley": marker = pa ^ magic */
#define TLB_NT_MAX	16		/* T values: powers of two below N-1, and N-1 */

/*
 * The round cap: a budget of page touches per row. A round costs about
 * P * (T + 1) page walks in the touch phase and P invalidations per CPU;
 * under TCG a walk after a flush is a softmmu refill of ~1 us, so 1000
 * rounds of 512 pages on 4 CPUs alone would take seconds per row. A row gets
 * at most max(TLB_CAP_MIN, TLB_CAP_PAGE_ROUNDS / P) rounds (iters=1000:
 * P <= 64 uncapped, P = 512 gets 128); warm-up shrinks in proportion. The
 * samples column shows the count, and the log says when the cap applies.
 */
#define TLB_CAP_PAGE_ROUNDS	65536u
#define TLB_CAP_MIN		64u


enum tlb_strategy { S_INVLPG, S_FULL, S_INVPCID, S_INVLPGB, S_COUNT };
static const char *const strategy_name[S_COUNT] = {
	"invlpg", "full", "invpcid", "invlpgb",
};

enum tlb_cmd { CMD_NONE, CMD_TOUCH, CMD_QUIT };

/* Written by cpu 0 only; read by the targets' job loop and IPI handler. */
static struct {
	volatile uint64_t cmd_seq;	/* moves once per command */
	volatile uint32_t cmd;		/* enum tlb_cmd */
	volatile uint32_t npages;	/* pages of the row: touched, flushed */
	volatile uint32_t strategy;
	volatile uint64_t flush_gen;	/* moves once per shootdown */
	volatile uint32_t retouch;	/* targets touch right after their ack */
} ctl __cacheline_aligned;

/* Each CPU answers in its own line: acks never bounce between targets. */
struct tlb_ack {
	volatile uint64_t touch_seq;	/* last touch phase finished */
	volatile uint64_t flush_gen;	/* last shootdown handled */
	volatile uint32_t bad;		/* stale pages seen in that touch phase */
	volatile uint32_t bad_page;	/* the first of them */
	volatile uint64_t bad_seen;	/* the marker read there */
	volatile uint64_t touch_gen;	/* last shootdown followed by a touch */
	volatile uint64_t touch_want;	/* set by the handler: touch after gen */
} __cacheline_aligned;
static struct tlb_ack acks[NR_CPUS];

static uint64_t frames[2][TLB_PAGES_MAX];	/* A = set 0, B = set 1 */
static volatile uint64_t *ptes[TLB_PAGES_MAX];
static volatile uint8_t cur_set[TLB_PAGES_MAX];	/* changed by cpu 0 while targets idle */
static uint64_t job_seq0;		/* cmd_seq when a job was posted */
static unsigned invlpgb_max = 1;	/* pages per INVLPGB (CPUID 0x80000008 EDX) */

/* The measurement of one (strategy, T): cpu 0 plus the targets. */
struct tlb_job {
	unsigned strategy, targets_n, ti;
	struct cpumask targets, all;	/* all = targets + cpu 0 */
	uint64_t gen;			/* flush_gen of the last shootdown */
	/* (cpu, verify pass) pairs of the row that saw an old frame; the first. */
	unsigned stale;
	int stale_cpu;
	uint32_t stale_page;
	uint64_t stale_seen;
	struct wait w;			/* cpu 0's waits, armed per row */
};

static unsigned t_list[TLB_NT_MAX], t_count;
static uint64_t p50[S_COUNT][TLB_NP][TLB_NT_MAX];
static bool done[S_COUNT][TLB_NP][TLB_NT_MAX];
static unsigned table_row;
static struct csv table;

static inline volatile uint64_t *page_va(unsigned i)
{
	return (volatile uint64_t *)(uintptr_t)(TLB_VA_BASE + (uint64_t)i * PAGE_SIZE);
}

static inline uint64_t marker(uint64_t pa)
{
	return pa ^ TLB_MAGIC;
}

/* AMD APM vol. 3 INVLPGB: rAX = VA | valid-VA bit, ECX[15:0] = extra pages. */
static void invlpgb_pages(unsigned n)
{
	uint64_t va = TLB_VA_BASE;

	while (n) {
		unsigned k = n < invlpgb_max ? n : invlpgb_max;

		asm volatile(".byte 0x0f, 0x01, 0xfe"	/* INVLPGB */
			     : : "a"(va | 1), "c"(k - 1), "d"(0) : "memory");
		va += (uint64_t)k * PAGE_SIZE;
		n -= k;
	}
	asm volatile(".byte 0x0f, 0x01, 0xff" ::: "memory");	/* TLBSYNC */
}

/* This CPU's part of a shootdown of pages 0..n-1. */
static void flush_local(unsigned strategy, unsigned n)
{
	switch (strategy) {
	case S_INVLPG:
		for (unsigned i = 0; i < n; i++)
			invlpg(page_va(i));
		break;
	case S_FULL:
		write_cr3(read_cr3());	/* our pages are not global (no PTE_G) */
		break;
	case S_INVPCID:
		/* CR4.PCIDE is off: every translation is tagged PCID 0. */
		for (unsigned i = 0; i < n; i++)
			invpcid(0, 0, (uint64_t)(uintptr_t)page_va(i));
		break;
	default:
		break;
	}
}

static void tlb_irq(struct regs *r)
{
	unsigned cpu = smp_processor_id();
	uint64_t gen = __atomic_load_n(&ctl.flush_gen, __ATOMIC_ACQUIRE);

	(void)r;
	/* EOI first, as Linux's sysvec handlers do; IF stays 0 until iret. */
	apic_eoi();
#ifndef TLB_SELFTEST_BROKEN_FLUSH
	flush_local(ctl.strategy, ctl.npages);
#endif
	if (ctl.retouch)
		acks[cpu].touch_want = gen;
	__atomic_store_n(&acks[cpu].flush_gen, gen, __ATOMIC_RELEASE);
}

/* Reads every page's marker (filling the TLB) and records stale ones. */
static void touch_verify(unsigned cpu, unsigned n)
{
	uint32_t bad = 0, first = 0;
	uint64_t seen = 0;

	for (unsigned i = 0; i < n; i++) {
		uint64_t v = *page_va(i);

		if (v != marker(frames[cur_set[i]][i]) && !bad++) {
			first = i;
			seen = v;
		}
	}
	acks[cpu].bad = bad;
	acks[cpu].bad_page = first;
	acks[cpu].bad_seen = seen;
}

/*
 * cpu 0 waits for every target's acks[cpu].<field> == want, each with
 * j->w re-armed (timeout_ms from the next clock read, none taken here: the
 * wait may be inside a timed span). A miss is an `errors` row: "no <what>".
 */
#define targets_acked(j, field, want, n, what) ({				bool ok_ = true;							unsigned c_;								for_each_cpu(c_, &(j)->targets) {						wait_progress(&(j)->w);							if (!wait_until(&(j)->w, __atomic_load_n(&acks[c_].field, \
					 __ATOMIC_ACQUIRE) == (want))) { \
			ack_missed(j, c_, n, what);						ok_ = false;								break;								}								}									ok_;								})

static void ack_missed(const struct tlb_job *j, unsigned cpu, unsigned n,
		       const char *what)
{
	error_add("tlb", (int)cpu, config.timeout_ms * 1000,
		  "no %s (%s, %u pages, %u targets)", what,
		  strategy_name[j->strategy], n, j->targets_n);
}

/*
 * A target's job: spin with interrupts enabled (the shootdown IPI arrives
 * here), running touch phases when cmd_seq moves, until CMD_QUIT. A target
 * that hears nothing (no command, no shootdown) for timeout_ms leaves; cpu 0
 * reports the missing acks.
 */
static void tlb_target(void)
{
	unsigned cpu = smp_processor_id();
	uint64_t seen = job_seq0, flushes = acks[cpu].flush_gen;
	uint64_t touched = acks[cpu].touch_want;
	struct wait w;

	/*
	 * While this CPU was not a target, cpu 0 remapped pages without telling
	 * it: like a CPU switching to an mm whose tlb_gen moved on, start
	 * from an empty TLB.
	 */
	write_cr3(read_cr3());
	sti();
	/* cpu 0 serves every target in turn: its silence may last a barrier */
	wait_start(&w, barrier_timeout_ms(cpumask_weight(&bench_cpus)));
	for (;;) {
		uint64_t s = __atomic_load_n(&ctl.cmd_seq, __ATOMIC_ACQUIRE);

		if (s == seen && acks[cpu].touch_want != touched) {
			/* The next round's touch phase, right after the ack. */
			touched = acks[cpu].touch_want;
			touch_verify(cpu, ctl.npages);
			__atomic_store_n(&acks[cpu].touch_gen, touched, __ATOMIC_RELEASE);
			wait_progress(&w);
			continue;
		}
		if (s == seen) {
			if (acks[cpu].flush_gen != flushes) {	/* shootdowns still come */
				flushes = acks[cpu].flush_gen;
				wait_progress(&w);
			}
			if (wait_expired(&w))
				break;
			cpu_pause();
			continue;
		}
		seen = s;
		if (ctl.cmd == CMD_QUIT)
			break;
		touch_verify(cpu, ctl.npages);
		__atomic_store_n(&acks[cpu].touch_seq, s, __ATOMIC_RELEASE);
		wait_progress(&w);
	}
	cli();
}

/* Counts the CPUs that saw an old frame in the last touch phase. */
static void collect_stale(struct tlb_job *j)
{
	unsigned cpu;

	for_each_cpu(cpu, &j->all) {
		if (!acks[cpu].bad)
			continue;
		if (!j->stale++) {
			j->stale_cpu = (int)cpu;
			j->stale_page = acks[cpu].bad_page;
			j->stale_seen = acks[cpu].bad_seen;
		}
	}
}

/* An untimed touch phase on command (row start, after the batch, invlpgb). */
static bool touch_all(struct tlb_job *j, unsigned n)
{
	uint64_t s = ctl.cmd_seq + 1;

	ctl.npages = n;
	ctl.cmd = CMD_TOUCH;
	__atomic_store_n(&ctl.cmd_seq, s, __ATOMIC_RELEASE);
	touch_verify(0, n);
	if (!targets_acked(j, touch_seq, s, n, "answer to the touch phase"))
		return false;
	collect_stale(j);
	return true;
}

/*
 * The touch phase after a timed shootdown with IPIs: each target already
 * started it in its job loop right after acking (the handler saw
 * ctl.retouch), while cpu 0 was still timing the slower targets; the
 * touches read pages nobody writes, so they do not slow the acks. Saves
 * one command round trip per round.
 */
static bool retouch_wait(struct tlb_job *j, unsigned n, uint64_t gen)
{
	touch_verify(0, n);
	if (!targets_acked(j, touch_gen, gen, n, "touch after the shootdown"))
		return false;
	collect_stale(j);
	return true;
}

/* The timed part: remap pages 0..n-1 to the other set, flush everywhere. */
static bool shootdown(struct tlb_job *j, unsigned n, bool retouch)
{
	uint64_t gen;

	for (unsigned i = 0; i < n; i++) {
		unsigned set = cur_set[i] ^ 1;

		cur_set[i] = (uint8_t)set;
		*ptes[i] = frames[set][i] | PTE_P;
	}
	if (j->strategy == S_INVLPGB) {
		invlpgb_pages(n);	/* every CPU, this one included; no IPIs */
		return true;
	}
	/* invlpg, mov cr3 and invpcid serialize: the PTEs are visible first. */
	flush_local(j->strategy, n);
	ctl.retouch = retouch;
	gen = j->gen = ctl.flush_gen + 1;
	__atomic_store_n(&ctl.flush_gen, gen, __ATOMIC_RELEASE);
	apic_send_ipi_mask(&j->targets, VEC_TLB);
	return targets_acked(j, flush_gen, gen, n, "shootdown ack");
}

static unsigned rounds_for(unsigned pages, unsigned n)
{
	unsigned cap = TLB_CAP_PAGE_ROUNDS / pages;

	if (cap < TLB_CAP_MIN)
		cap = TLB_CAP_MIN;
	return n < cap ? n : cap;
}

/* One row of the table; false when a deadline was missed (row is NA). */
static bool tlb_row(struct tlb_job *j, unsigned pi)
{
	unsigned pages = tlb_pages[pi], iters = rounds_for(pages, bench_iters());
	unsigned warm = bench_warmup();
	bool ipis = j->strategy != S_INVLPGB;
	uint64_t *v = samples_buf(iters), t0, t1, batch = STATS_NA;
	char prefix[48];
	bool ok;

	if (warm > iters / 10 && iters < bench_iters())
		warm = iters / 10;	/* the cap shortens warm-up in proportion */
	j->stale = 0;
	/* per ack; the row's first touch is a barrier of every target */
	wait_start(&j->w, barrier_timeout_ms(j->targets_n));
	ctl.strategy = j->strategy;
	ctl.npages = pages;
	fmt_buf(prefix, sizeof(prefix), "%s,%u,%u", strategy_name[j->strategy],
		pages, j->targets_n);

	ok = touch_all(j, pages);
	uint64_t row_start = rdtsc();

	for (unsigned r = 0; ok && r < warm + iters; r++) {
		if (r < warm && !warmup_more(r, warm, row_start, 1))
			warm = r;	/* the budget shortens the warm-up */
		t0 = rdtsc_fenced();
		ok = shootdown(j, pages, ipis);
		t1 = rdtsc_fenced();
		if (r >= warm)
			v[r - warm] = t1 - t0;
		/* Touch again for the next round; verifies this one. */
		if (ok)
			ok = ipis ? retouch_wait(j, pages, j->gen) : touch_all(j, pages);
		if (ok && r >= warm && row_budget_spent(r - warm + 1, row_start)) {
			iters = r - warm + 1;
			break;
		}
	}
	/*
	 * batch_mean: BATCH_M shootdowns back to back between two timestamps,
	 * BATCH_REPS times, the median.
	 * Nobody re-touches the pages in between, so only the first finds the
	 * entries in the TLBs; the rest invalidate entries already gone (the
	 * instructions cost about the same; a full flush has less to drop).
	 */
	if (ok) {
		uint64_t bm[BATCH_REPS];
		unsigned nb = 0;

		/* The median of BATCH_REPS batches, as bcast and floor. */
		for (; ok && batch_rep_more(nb, BATCH_REPS, row_start, 1); nb++) {
			t0 = rdtsc_fenced();
			for (unsigned m = 0; ok && m < BATCH_M; m++)
				ok = shootdown(j, pages, false);
			t1 = rdtsc_fenced();
			bm[nb] = (t1 - t0) / BATCH_M;
		}
		if (ok)
			batch = batch_median(bm, nb);
	}
	/* The last verify pass of the row. */
	if (ok)
		ok = touch_all(j, pages);

	if (j->stale)
		error_add("tlb", j->stale_cpu, 0,
			  "stale TLB: %s pages=%u targets=%u: page %u reads old frame %lx; x%u",
			  strategy_name[j->strategy], pages, j->targets_n,
			  j->stale_page, (uint64_t)(j->stale_seen ^ TLB_MAGIC), j->stale);
	if (!ok) {
		/* Verify not finished: unknown unless a stale read was already seen. */
		stats_row_na(&table, prefix, j->stale ? "fail" : "NA");
		table_row++;
		return false;
	}
	raw_keep(table_row++, v, iters);
	p50[j->strategy][pi][j->ti] =
		stats_row(&table, prefix, v, iters, batch, j->stale ? "fail" : "ok");
	if (pages == 1 && j->targets_n == 1)
		summary_offer(j->strategy == S_INVLPG ? "tlb_1page_1target_invlpg_p50" :
			      j->strategy == S_FULL ? "tlb_1page_1target_full_p50" :
			      "tlb_1page_1target_other_p50",
			      p50[j->strategy][pi][j->ti]);
	done[j->strategy][pi][j->ti] = !j->stale;
	return true;
}

static void tlb_job_fn(void *arg)
{
	struct tlb_job *j = arg;
	unsigned pi = 0;

	if (smp_processor_id() != 0) {
		tlb_target();
		return;
	}
	write_cr3(read_cr3());	/* same start as the targets */
	for (; pi < TLB_NP; pi++) {
		if (!bench_row_next(1))
			continue;	/* the budget's share of tlb is spent */
		if (!tlb_row(j, pi))
			break;
	}
	/* After a missed deadline the rest of this (strategy, T) is NA. */
	while (++pi < TLB_NP) {
		char prefix[48];

		fmt_buf(prefix, sizeof(prefix), "%s,%u,%u",
			strategy_name[j->strategy], tlb_pages[pi], j->targets_n);
		stats_row_na(&table, prefix, "NA");
		table_row++;
	}
	ctl.cmd = CMD_QUIT;
	__atomic_store_n(&ctl.cmd_seq, ctl.cmd_seq + 1, __ATOMIC_RELEASE);
}

/* Full flush everywhere: leaves no translation of the region behind. */
static void flush_all_fn(void *arg)
{
	(void)arg;
	write_cr3(read_cr3());
}

/* Which strategies run here; the reason for each one that does not. */
static bool strategy_usable(unsigned s, const char **why)
{
	switch (s) {
	case S_INVPCID:
		if (!cpuinfo.invpcid) {
			*why = "CPUID.7.EBX[10] INVPCID not set";
			return false;
		}
		/*
		 * Under the nested KVM of our development machines an INVPCID
		 * that exits can reach KVM's instruction emulator, which may not
		 * know it: the guest takes #UD and the run dies. Off under any
		 * "KVMKVMKVM" hypervisor; TCG and bare metal run it.
		 */
		if (str_eq(cpuinfo.hypervisor, "KVMKVMKVM")) {
			*why = "INVPCID is not trusted under KVM (nested instruction emulator may lack it)";
			return false;
		}
		return true;
	case S_INVLPGB:
		if (!cpuinfo.invlpgb) {
			*why = "CPUID.80000008.EBX[3] INVLPGB not set";
			return false;
		}
		return true;
	default:
		return true;
	}
}

/*
 * tlb_ceiling: for each T, the smallest measured P where a full flush is
 * cheaper (p50) than per-page invlpg. Linux's tlb_single_page_flush_ceiling
 * is 33: flush_tlb_mm_range() uses INVLPG per page up to 33 pages, a full
 * flush above. Its reasoning (arch/x86/mm/tlb.c, Documentation/arch/x86/
 * tlb.rst): 33 covers >95% of ranges, one INVLPG is ~100 ns so the ceiling
 * caps the per-page cost at ~3 us, and a full flush, although one cheap
 * instruction, throws away every other translation, whose refills (page
 * walks, not measured here) are paid later by whoever runs next. This
 * table counts only the shootdown itself, so it is a lower bound on where
 * the ceiling should be: refills would move the crossover to larger P.
 */
static void ceiling_print(void)
{
	struct csv t;

	csv_begin(&t, console_out, 0, "tlb_ceiling", "targets,ceiling_pages");
	for (unsigned ti = 0; ti < t_count; ti++) {
		unsigned pi;

		for (pi = 0; pi < TLB_NP; pi++)
			if (done[S_FULL][pi][ti] && done[S_INVLPG][pi][ti] &&
			    p50[S_FULL][pi][ti] < p50[S_INVLPG][pi][ti])
				break;
		if (pi < TLB_NP)
			csv_row(&t, "%u,%u", t_list[ti], tlb_pages[pi]);
		else
			csv_row(&t, "%u,NA", t_list[ti]);
	}
	csv_end(&t);
}

static bool tlb_setup(void)
{
	for (unsigned i = 0; i < TLB_PAGES_MAX; i++) {
		for (unsigned s = 0; s < 2; s++) {
			uint64_t pa = pmm_alloc();

			if (!pa) {
				error_add("tlb", -1, 0, "out of memory for %u frames",
					  2 * TLB_PAGES_MAX);
				return false;
			}
			frames[s][i] = pa;
			*(volatile uint64_t *)(uintptr_t)pa = marker(pa);
		}
		cur_set[i] = 0;
		ptes[i] = vm_map_page((uint64_t)(uintptr_t)page_va(i), frames[0][i], 0);
		invlpg(page_va(i));
	}
	if (cpuinfo.invlpgb)
		invlpgb_max = (cpuid(0x80000008, 0).edx & 0xffff) + 1;
	idt_set_handler(VEC_TLB, tlb_irq);
	return true;
}

static void tlb_teardown(void)
{
	for (unsigned i = 0; i < TLB_PAGES_MAX; i++)
		if (ptes[i])
			vm_unmap_page((uint64_t)(uintptr_t)page_va(i));	/* + local invlpg */
	/* Targets that left early, and bystanders, may still hold entries. */
	bench_run_on(&bench_cpus, flush_all_fn, 0, config.timeout_ms, "tlb");
	for (unsigned i = 0; i < TLB_PAGES_MAX; i++) {
		for (unsigned s = 0; s < 2; s++)
			if (frames[s][i])
				pmm_free(frames[s][i]);
		frames[0][i] = frames[1][i] = 0;
		ptes[i] = 0;
	}
}

/* The rows of strategy s at t_list[ti] targets: one job on cpu 0 and them. */
static void tlb_strategy_targets(struct tlb_job *job, unsigned s, unsigned ti)
{
	unsigned want = t_list[ti], cpu;

	job->strategy = s;
	job->ti = ti;
	job->targets_n = 0;
	cpumask_clear(&job->targets);
	for_each_cpu(cpu, &bench_cpus) {
		if (cpu == 0 || job->targets_n == want)
			continue;
		cpumask_set_cpu(cpu, &job->targets);
		job->targets_n++;
	}
	cpumask_copy(&job->all, &job->targets);
	cpumask_set_cpu(0, &job->all);
	if (job->targets_n < want) {
		/* CPUs were dropped earlier in the run. */
		error_add("tlb", -1, 0, "%s: only %u of %u targets left",
			  strategy_name[s], job->targets_n, want);
		for (unsigned pi = 0; pi < TLB_NP; pi++) {
			char prefix[48];

			fmt_buf(prefix, sizeof(prefix), "%s,%u,%u",
				strategy_name[s], tlb_pages[pi], want);
			stats_row_na(&table, prefix, "NA");
			table_row++;
		}
		return;
	}
	job->targets_n = want;
	job_seq0 = ctl.cmd_seq;
	bench_run_on(&job->all, tlb_job_fn, job, config.timeout_ms, "tlb");
}

static void tlb_run(void)
{
	unsigned n = cpumask_weight(&bench_cpus), iters = bench_iters();
	bool use[S_COUNT];
	static struct tlb_job job;

	t_count = bench_target_counts(n, t_list, TLB_NT_MAX);

	for (unsigned s = 0; s < S_COUNT; s++) {
		const char *why = "";

		use[s] = strategy_usable(s, &why);
		if (!use[s])
			klog("tlb: strategy %s skipped: %s", strategy_name[s], why);
	}
	if (iters > rounds_for(TLB_PAGES_MAX, iters))
		klog("tlb: rounds capped at max(%u, %u / pages): %u of %u for 512 pages",
		     TLB_CAP_MIN, TLB_CAP_PAGE_ROUNDS, rounds_for(TLB_PAGES_MAX, iters),
		     iters);
	if (!tlb_setup()) {
		tlb_teardown();
		return;
	}

	table_row = 0;
	mem_set(done, 0, sizeof(done));
	csv_begin(&table, console_out, 0, "tlb",
		  "strategy,pages,targets," STATS_HEADER ",verify");
	/* Target counts outermost, in bench_target_order(); every usable strategy at each. */
	unsigned nuse = 0;

	for (unsigned s = 0; s < S_COUNT; s++)
		nuse += use[s];
	bench_rows_begin("tlb", nuse * t_count * (unsigned)TLB_NP);
	for (unsigned oi = 0; oi < t_count; oi++) {
		unsigned ti = bench_target_order(oi, t_count);

		for (unsigned s = 0; s < S_COUNT; s++) {
			if (use[s]) {
				progress(oi * S_COUNT + s, S_COUNT * t_count);
				tlb_strategy_targets(&job, s, ti);
			}
		}
	}
	bench_rows_end();
	csv_end(&table);
	raw_flush("tlb");
	ceiling_print();
	tlb_teardown();
}

/* 2 CPUs: an initiator and at least one target. */
const struct benchmark bench_tlb = { .name = "tlb", .min_cpus = 2, .run = tlb_run };
