/* SPDX-License-Identifier: MIT */
#include "harness.h"
#include "apic/apic.h"
#include "apic/smpboot.h"
#include "core/console.h"
#include "core/cpuinfo.h"
#include "core/errors.h"
#include "core/exit.h"
#include "core/idt.h"
#include "core/kmain.h"
#include "core/panic.h"
#include "core/percpu.h"

const char *const wait_mode_name[WM_COUNT] = { "spin", "hlt", "mwait" };

static struct mailbox mailboxes[NR_CPUS];
struct cpumask bench_cpus;

static uint64_t watchdog_deadline;

bool deadline_passed(uint64_t deadline)
{
	uint64_t now = rdtsc();

	if (watchdog_deadline && (int64_t)(now - watchdog_deadline) > 0 &&
	    smp_processor_id() == 0) {
		watchdog_deadline = 0;
		error_add("watchdog", 0, (uint64_t)WATCHDOG_S * 1000000,
			  "the run exceeded %d s and was stopped", WATCHDOG_S);
		klog("volley: watchdog: the run exceeded %d s; stopping", WATCHDOG_S);
		errors_print();
		volley_exit(STATUS_ERRORS);
	}
	return (int64_t)(now - deadline) > 0;
}

bool wait_mode_available(enum wait_mode m)
{
	return m != WM_MWAIT || cpuinfo.mwait;
}

void harness_init(void)
{
	unsigned cpu;

	watchdog_deadline = rdtsc() + tsc_ms((uint64_t)WATCHDOG_S * 1000);
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
		mb->started = seq;
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
	uint64_t start_by = start + tsc_ms(config.timeout_ms);

	/* A CPU that never picks its job up is dead or deaf: don't wait long. */
	while (__atomic_load_n(&mb->started, __ATOMIC_ACQUIRE) != mb->seq) {
		if (deadline_passed(start_by)) {
			error_add(where, (int)cpu, config.timeout_ms * 1000,
				  "cpu did not pick up its job (no wake-up IPI taken?); dropped from the run");
			cpumask_clear_cpu(cpu, &bench_cpus);
			return false;
		}
		cpu_pause();
	}
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
			pc->tsc_offset_err = UINT64_MAX;	/* unknown */
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

/* ---- fault injection -------------------------------------------------------
 * For tests and for users checking their setup; each ends in the documented
 * status with nothing hanging.
 *   mute:N     CPU N raises its task priority to 15: no fixed interrupt
 *              (IPI) is delivered to it any more (NMI still is).
 *   drop:N:K   CPU N ignores every K-th benchmark IPI it receives (EOIs it,
 *              does not run the handler): a lost IPI.
 *   apfault:N  CPU N takes an exception (#GP): the panic path stops the
 *              other CPUs with an NMI and prints one register dump; status 3.
 *   panic      the boot CPU does the same.
 *   noap:N     CPU N is never sent its start-up IPIs (apic/smpboot.c).
 */
static uint64_t drop_count;

static bool drop_filter(unsigned vector)
{
	if (vector < 0x40 || vector >= 0xf0 ||
	    smp_processor_id() != config.inject_cpu)
		return false;
	if (++drop_count % config.inject_every)
		return false;
	apic_eoi();
	return true;
}

static void mute_self(void *arg)
{
	(void)arg;
	apic_write(APIC_TPR, 0xf0);	/* class 15: blocks every vector */
}

static void fault(void *arg)
{
	(void)arg;
	/* A non-canonical address: #GP, on every CPU model. */
	*(volatile uint64_t *)0x8000000000000000ULL = 0;
}

static bool inject_cpu_ok(void)
{
	if (config.inject_cpu < nr_cpu_ids &&
	    cpumask_test_cpu(config.inject_cpu, &bench_cpus))
		return true;
	klog("inject: cpu %u is not online; nothing injected", config.inject_cpu);
	return false;
}

void inject_setup(void)
{
	switch (config.inject) {
	case INJECT_MUTE:
		if (!inject_cpu_ok())
			break;
		klog("inject: cpu %u stops taking interrupts", config.inject_cpu);
		if (config.inject_cpu == 0)
			mute_self(0);
		else {
			bench_post(config.inject_cpu, mute_self, 0);
			bench_wait(config.inject_cpu, config.timeout_ms, "inject");
		}
		break;
	case INJECT_DROP:
		if (!inject_cpu_ok())
			break;
		klog("inject: cpu %u drops every %u-th IPI", config.inject_cpu,
		     config.inject_every);
		idt_set_filter(drop_filter);
		break;
	default:
		break;
	}
}

/* After meta and cpus: exceptions on purpose. */
void inject_late(void)
{
	if (config.inject == INJECT_PANIC) {
		klog("inject: exception on the boot CPU");
		fault(0);
	}
	if (config.inject == INJECT_APFAULT && inject_cpu_ok()) {
		klog("inject: exception on cpu %u", config.inject_cpu);
		if (config.inject_cpu == 0)
			fault(0);
		bench_post(config.inject_cpu, fault, 0);
		bench_wait(config.inject_cpu, config.timeout_ms, "inject");
	}
}
