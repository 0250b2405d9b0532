/* SPDX-License-Identifier: MIT */
#include "harness.h"
#include "apic/apic.h"
#include "apic/smpboot.h"
#include "core/console.h"
#include "core/cpuinfo.h"
#include "core/errors.h"
#include "core/kmain.h"
#include "core/panic.h"
#include "core/percpu.h"

const char *const wait_mode_name[WM_COUNT] = { "spin", "hlt", "mwait" };

static struct mailbox mailboxes[NR_CPUS];
struct cpumask bench_cpus;

bool deadline_passed(uint64_t deadline)
{
	return (int64_t)(rdtsc() - deadline) > 0;
}

bool wait_mode_available(enum wait_mode m)
{
	return m != WM_MWAIT || cpuinfo.mwait;
}

void harness_init(void)
{
	unsigned cpu;

	cpumask_copy(&bench_cpus, &cpu_online_mask);
	/*
	 * CPUs not in a measurement sleep in hlt: a spinning bystander takes
	 * a core from the pair under test (SMT sibling, or a host CPU under
	 * emulation) and bounces nothing useful.
	 */
	for_each_cpu(cpu, &bench_cpus)
		if (cpu != 0)
			bench_set_idle_wait(cpu, WM_HLT);
}

/* Waits, interrupts off except inside hlt/mwait, until seq moves past seen. */
static void wait_for_job(struct mailbox *mb, uint64_t seen)
{
	while (mb->seq == seen) {
		switch (mb->idle_wait) {
		case WM_HLT:
			sti_hlt();	/* woken by VEC_WAKE */
			cli();
			break;
		case WM_MWAIT:
			monitor(&mb->seq);
			if (mb->seq != seen)
				return;
			sti_mwait(0, 0);	/* the store to seq wakes us */
			cli();
			break;
		default:
			cpu_pause();
			break;
		}
	}
}

void bench_ap_loop(void)
{
	struct mailbox *mb = &mailboxes[smp_processor_id()];

	this_cpu_ptr()->bench = mb;
	for (;;) {
		uint64_t seq;

		cli();
		wait_for_job(mb, mb->done);
		seq = __atomic_load_n(&mb->seq, __ATOMIC_ACQUIRE);
		mb->fn(mb->arg);
		cli();	/* a job may leave interrupts on */
		__atomic_store_n(&mb->done, seq, __ATOMIC_RELEASE);
	}
}

void bench_set_idle_wait(unsigned cpu, enum wait_mode m)
{
	mailboxes[cpu].idle_wait = m;
	/* A CPU in hlt keeps sleeping in its old mode until woken: wake it. */
	if (cpu != 0)
		apic_send_ipi(cpu_apic_id[cpu], VEC_WAKE);
}

void bench_post(unsigned cpu, void (*fn)(void *), void *arg)
{
	struct mailbox *mb = &mailboxes[cpu];

	mb->fn = fn;
	mb->arg = arg;
	__atomic_store_n(&mb->seq, mb->seq + 1, __ATOMIC_RELEASE);
	if (mb->idle_wait == WM_HLT)
		apic_send_ipi(cpu_apic_id[cpu], VEC_WAKE);
}

bool bench_wait(unsigned cpu, uint64_t timeout_ms, const char *where)
{
	struct mailbox *mb = &mailboxes[cpu];
	uint64_t start = rdtsc(), deadline = start + tsc_ms(timeout_ms);

	while (__atomic_load_n(&mb->done, __ATOMIC_ACQUIRE) != mb->seq) {
		if (deadline_passed(deadline)) {
			error_add(where, (int)cpu, timeout_ms * 1000,
				  "job did not finish; cpu dropped from the run");
			cpumask_clear_cpu(cpu, &bench_cpus);
			return false;
		}
		cpu_pause();
	}
	return true;
}

bool bench_run_on(const struct cpumask *mask, void (*fn)(void *), void *arg,
		  uint64_t timeout_ms, const char *where)
{
	bool ok = true, self = false;
	unsigned cpu;

	for_each_cpu(cpu, mask) {
		if (cpu == smp_processor_id())
			self = true;
		else
			bench_post(cpu, fn, arg);
	}
	if (self)
		fn(arg);
	for_each_cpu(cpu, mask)
		if (cpu != smp_processor_id())
			ok &= bench_wait(cpu, timeout_ms, where);
	return ok;
}

/* ---- TSC offsets ---------------------------------------------------------
 * A ping-pong over one shared line: the boot CPU reads t0 and writes a
 * request; the AP reads its TSC t1 and answers; the boot CPU reads t3. With
 * symmetric one-way delays t1 = (t0 + t3) / 2 + offset; the error is at most
 * (t3 - t0) / 2. The sample with the smallest round trip is kept.
 */
#define SYNC_ROUNDS	64

static struct {
	volatile uint64_t req;
	volatile uint64_t ack;
	volatile uint64_t t1;
} sync_line __cacheline_aligned;

uint64_t tsc_sync_max_offset, tsc_sync_max_err;

static void sync_ap(void *arg)
{
	uint64_t deadline = deadline_after_ms(config.timeout_ms);

	(void)arg;
	for (uint64_t i = 1; i <= SYNC_ROUNDS; i++) {
		while (sync_line.req != i)
			if (deadline_passed(deadline))
				return;
		sync_line.t1 = rdtsc_fenced();
		__atomic_store_n(&sync_line.ack, i, __ATOMIC_RELEASE);
	}
}

void tsc_sync_measure(void)
{
	unsigned cpu;

	for_each_cpu(cpu, &bench_cpus) {
		struct percpu *pc = per_cpu(cpu);
		uint64_t best_rtt = ~0ULL, deadline;
		int64_t best_off = 0;

		if (cpu == 0)
			continue;
		sync_line.req = 0;
		sync_line.ack = 0;
		bench_post(cpu, sync_ap, 0);
		deadline = deadline_after_ms(config.timeout_ms);
		for (uint64_t i = 1; i <= SYNC_ROUNDS; i++) {
			uint64_t t0 = rdtsc_fenced(), t3;

			__atomic_store_n(&sync_line.req, i, __ATOMIC_RELEASE);
			while (__atomic_load_n(&sync_line.ack, __ATOMIC_ACQUIRE) != i)
				if (deadline_passed(deadline))
					goto out;
			t3 = rdtsc_fenced();
			if (t3 - t0 < best_rtt) {
				best_rtt = t3 - t0;
				best_off = (int64_t)(sync_line.t1 - (t0 + (t3 - t0) / 2));
			}
		}
out:
		bench_wait(cpu, config.timeout_ms, "tsc_sync");
		if (best_rtt == ~0ULL) {
			error_add("tsc_sync", (int)cpu, config.timeout_ms * 1000,
				  "no answer to the TSC exchange");
			continue;
		}
		pc->tsc_offset = best_off;
		pc->tsc_offset_err = best_rtt / 2;
		uint64_t mag = best_off < 0 ? (uint64_t)-best_off : (uint64_t)best_off;
		if (mag > tsc_sync_max_offset)
			tsc_sync_max_offset = mag;
		if (best_rtt / 2 > tsc_sync_max_err)
			tsc_sync_max_err = best_rtt / 2;
	}
}
