/* SPDX-License-Identifier: MIT */
#include "harness.h"
#include "run.h"
#include "apic/apic.h"
#include "apic/apic_timer.h"
#include "core/console.h"
#include "core/cpuinfo.h"
#include "core/msr.h"
#include "core/str.h"
#include "core/errors.h"
#include "core/tsc_sync.h"
#include "core/wait.h"
#include "core/percpu.h"

const char *const wait_mode_name[WM_COUNT] = { "spin", "hlt", "mwait" };

static struct mailbox mailboxes[NR_CPUS];
struct cpumask bench_cpus;
/* The boot CPU sleeps in boot_idle_until(): a finished job wakes it. */
static struct { volatile uint32_t v; } boot_idle __cacheline_aligned;
static bool boot_timer;		/* the APIC timer bounds its sleep */

uint64_t boot_idle_enter(void)
{
	uint64_t was_on = irq_save();

	if (boot_timer) {
		__atomic_store_n(&boot_idle.v, 1, __ATOMIC_RELAXED);
		mfence();	/* the flag before the caller's check of cond */
	}
	return was_on;
}

bool boot_idle_sleep(struct wait *w)
{
	uint64_t now, left;

	if (!boot_timer) {
		cpu_pause();
		return wait_expired(w);
	}
	if (wait_check_clock(w))	/* one clock read per wake-up */
		return true;
	now = rdtsc();
	left = (int64_t)(w->deadline - now) > 0 ? w->deadline - now : 0;
	apic_timer_oneshot_us(left / (tsc_hz / 1000000 ? tsc_hz / 1000000 : 1) + 1);
	sti_hlt();	/* VEC_WAKE from a finished job, or the timer */
	cli();
	return false;
}

void boot_idle_leave(uint64_t was_on)
{
	if (boot_timer) {
		__atomic_store_n(&boot_idle.v, 0, __ATOMIC_RELAXED);
		apic_timer_stop();
		/* An expiry that raced the stop is taken here, not in a measurement. */
		sti();
		asm volatile("nop");
		cli();
	}
	irq_restore(was_on);
}

bool wait_mode_available(enum wait_mode m)
{
	return m != WM_MWAIT || cpuinfo.mwait;
}

unsigned settle_pauses;

/* Pauses per SETTLE_CYCLES: the cheapest of a few timed runs of 256. */
static void settle_calibrate(void)
{
	uint64_t best = ~0ULL;

	for (int run = 0; run < 8; run++) {
		uint64_t t0 = rdtsc_fenced();

		for (int i = 0; i < 256; i++)
			cpu_pause();
		uint64_t dt = rdtsc_fenced() - t0;

		if (dt < best)
			best = dt;
	}
	settle_pauses = (unsigned)(SETTLE_CYCLES * 256 / (best ? best : 1));
	if (settle_pauses < 1)
		settle_pauses = 1;
	if (settle_pauses > 100000)
		settle_pauses = 100000;
	klog("harness: hlt settle: %u pauses (~%u cycles, %lu cycles per 256 pauses) "
	     "after a receiver announces it halts, before the next timed wake-up",
	     settle_pauses, SETTLE_CYCLES, best);
}

bool receiver_sleep(enum wait_mode m, volatile uint32_t *stop,
		    volatile uint64_t *halting, uint64_t token)
{
	switch (m) {
	case WM_HLT:
		cli();
		if (*stop) {
			sti();
			return false;
		}
		__atomic_store_n(halting, token, __ATOMIC_RELEASE);
		sti_hlt();	/* the wake-up's handler runs here */
		return true;
	case WM_MWAIT:
		cli();
		__atomic_store_n(halting, token, __ATOMIC_RELEASE);
		monitor(stop);	/* the final stop store wakes it, as an interrupt does */
		if (*stop) {
			sti();
			return false;
		}
		sti_mwait(0, 0);
		return true;
	default:
		if (*stop)
			return false;
		cpu_pause();
		return true;
	}
}

bool receiver_await_sleep(struct wait *w, enum wait_mode m,
			  volatile uint64_t *halting, uint64_t token)
{
	if (m == WM_SPIN)
		return true;
	if (!wait_until(w, __atomic_load_n(halting, __ATOMIC_ACQUIRE) == token))
		return false;
	for (unsigned i = 0; i < settle_pauses; i++)
		cpu_pause();
	return true;
}

int mwait_waits = -1;

/*
 * Does mwait really wait? Armed on a line nobody writes, with the APIC
 * timer one-shot 1 ms out as the only wake-up: an mwait that comes back
 * well before it (three times) does not wait; its rows time a spinning
 * receiver. Under QEMU TCG with more than one CPU it returns at once.
 */
static void mwait_check(void)
{
	static struct { volatile uint64_t v; } line __cacheline_aligned;
	unsigned early = 0;

	if (!cpuinfo.mwait || !boot_timer)
		return;
	for (int i = 0; i < 3; i++) {
		uint64_t t0 = rdtsc_fenced();

		monitor(&line.v);
		apic_timer_oneshot_us(1000);
		sti_mwait(0, 0);
		cli();
		apic_timer_stop();
		if (rdtsc_fenced() - t0 < tsc_us(500))
			early++;
	}
	sti();	/* a timer expiry racing the stop lands here */
	asm volatile("nop");
	cli();
	mwait_waits = early == 3 ? 0 : 1;
	if (!mwait_waits)
		klog("harness: mwait returns at once without a store to the monitored "
		     "line (measured): mwait rows time a spinning receiver");
}

/* ---- per-job counters: SMIs and APERF/MPERF ------------------------------- */

static bool smi_readable, aperf_readable;
static struct job_counters {
	uint64_t smi, aperf, mperf;	/* deltas over the CPU's last job */
	bool fresh;			/* not yet reported with a row */
} job_delta[NR_CPUS];

static void counters_read(struct job_counters *c)
{
	if (smi_readable && !rdmsr_safe(MSR_SMI_COUNT, &c->smi))
		c->smi = 0;
	if (aperf_readable && (!rdmsr_safe(MSR_APERF, &c->aperf) ||
			       !rdmsr_safe(MSR_MPERF, &c->mperf)))
		c->aperf = c->mperf = 0;
}

/* Runs a job between two counter reads (outside anything it times). */
static void run_counted(void (*fn)(void *), void *arg)
{
	struct job_counters a = { 0 }, b = { 0 };
	unsigned cpu = smp_processor_id();

	counters_read(&a);
	fn(arg);
	counters_read(&b);
	job_delta[cpu].smi = (uint32_t)(b.smi - a.smi);	/* 32-bit counter */
	job_delta[cpu].aperf = b.aperf - a.aperf;
	job_delta[cpu].mperf = b.mperf - a.mperf;
	job_delta[cpu].fresh = true;
}

static void counters_init(void)
{
	uint64_t v;

	smi_readable = str_eq(cpuinfo.vendor, "GenuineIntel") &&
		       rdmsr_safe(MSR_SMI_COUNT, &v);
	/* The #GP fixup at work: an Intel CPU has no AMD DE_CFG (emulators may return 0). */
	if (str_eq(cpuinfo.vendor, "GenuineIntel") && !rdmsr_safe(MSR_AMD_DE_CFG, &v))
		klog("harness: rdmsr of absent MSR C001_1029 raised #GP and was survived "
		     "(safe MSR accessors)");
	aperf_readable = cpuid(0, 0).eax >= 6 && (cpuid(6, 0).ecx & 1) &&
			 rdmsr_safe(MSR_APERF, &v) && rdmsr_safe(MSR_MPERF, &v);
	klog("harness: per job, SMI count (MSR 0x34) %s, APERF/MPERF %s; a row hit by "
	     "an SMI or a clock off its TSC rate by more than 5%% gets a 'counters:' line",
	     smi_readable ? "read" : "not readable (Intel only)",
	     aperf_readable ? "read" : "not readable");
}

void harness_row_note(const char *table, const char *row)
{
	char buf[160];
	unsigned cpu, len = 0;
	bool hit = false;

	if (!smi_readable && !aperf_readable)
		return;
	buf[0] = 0;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct job_counters *d = &job_delta[cpu];
		uint64_t pct = d->mperf ? d->aperf * 100 / d->mperf : 100;

		if (!d->fresh)
			continue;
		d->fresh = false;
		if (d->smi || (d->mperf && (pct < 95 || pct > 105)))
			hit = true;
		if (len < sizeof(buf) - 40)
			len += (unsigned)fmt_buf(buf + len, sizeof(buf) - len,
						 " cpu%u smi+%lu aperf/mperf=%lu%%", cpu,
						 d->smi, pct);
	}
	if (hit)
		klog("counters: %s %s:%s", table, row, buf);
}

void harness_prepare(void)
{
	/*
	 * An AP reaching its loop during bring-up sleeps in hlt: hundreds
	 * of spinning APs would take the host's cores from the ones still
	 * starting (under TCG each AP's start grew with the number already
	 * online: 380 ms each at 255 CPUs on 2 host cores).
	 */
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		mailboxes[cpu].idle_wait = WM_HLT;
}

void harness_init(void)
{
	unsigned cpu;

	settle_calibrate();
	boot_timer = apic_timer_init();
	mwait_check();
	counters_init();
	if (boot_timer)
		klog("harness: cpu 0 waits for jobs in hlt, woken by the job's end "
		     "(deadline: APIC timer one-shot, %lu Hz)", apic_timer_hz);
	else
		klog("harness: APIC timer does not count: cpu 0 waits for jobs spinning");

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
		run_counted(mb->fn, mb->arg);
		cli();	/* a job may leave interrupts on */
		__atomic_store_n(&mb->done, seq, __ATOMIC_RELEASE);
		mfence();	/* done before the flag read: see boot_idle_until */
		if (__atomic_load_n(&boot_idle.v, __ATOMIC_RELAXED))
			apic_send_ipi(cpu_apic_id[0], VEC_WAKE);
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
	struct wait w;

	/* A CPU that never picks its job up is dead or deaf: don't wait long. */
	wait_start(&w, config.timeout_ms);
	if (!wait_until(&w, __atomic_load_n(&mb->started, __ATOMIC_ACQUIRE) == mb->seq)) {
		error_add(where, (int)cpu, config.timeout_ms * 1000,
			  "cpu did not pick up its job (no wake-up IPI taken?); dropped from the run");
		cpumask_clear_cpu(cpu, &bench_cpus);
		return false;
	}
	wait_start(&w, timeout_ms);
	if (!boot_idle_until(&w, __atomic_load_n(&mb->done, __ATOMIC_ACQUIRE) == mb->seq)) {
		error_add(where, (int)cpu, timeout_ms * 1000,
			  "job did not finish; cpu dropped from the run");
		cpumask_clear_cpu(cpu, &bench_cpus);
		return false;
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
		run_counted(fn, arg);
	for_each_cpu(cpu, mask)
		if (cpu != smp_processor_id())
			ok &= bench_wait(cpu, timeout_ms, where);
	return ok;
}


void bench_tsc_sync(void)
{
	unsigned cpu;

	for_each_cpu(cpu, &bench_cpus) {
		if (cpu == 0)
			continue;
		tsc_sync_prepare(config.timeout_ms);
		bench_post(cpu, tsc_sync_target, 0);
		bool ok = tsc_sync_source(cpu);

		bench_wait(cpu, config.timeout_ms, "tsc_sync");
		if (!ok)
			error_add("tsc_sync", (int)cpu, config.timeout_ms * 1000,
				  "no answer to the TSC exchange");
	}
}
