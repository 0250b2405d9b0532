/* SPDX-License-Identifier: MIT */
/*
 * AP start-up: the universal INIT-SIPI-SIPI sequence (Intel SDM vol. 3A
 * 9.4.4.1 "Typical BSP initialization sequence" and 9.4.4.2; MP spec B.4),
 * sent to batches of APs at once, as Linux brings them up in parallel
 * since 6.5 (arch/x86/kernel/smpboot.c, CONFIG_HOTPLUG_PARALLEL).
 *
 * Every AP of a batch runs the same trampoline with the same parameter
 * block: it takes a stack by ticket there, and in C finds its own dense
 * number by its APIC ID (CPUID) in cpu_apic_id[]. Each slot's state is
 * one word both sides change with compare-and-swap (sent -> online on the
 * AP, sent -> late on the boot CPU at the deadline): an AP that reaches C
 * just after its deadline either wins and is kept, or sees it lost and
 * parks itself; never both.
 */
#include "smpboot.h"
#include "apic.h"
#include "boot/trampoline_regs.h"
#include "core/console.h"
#include "core/cpuinfo.h"
#include "core/cpus.h"
#include "core/errors.h"
#include "core/exit.h"
#include "core/idt.h"
#include "core/panic.h"
#include "core/percpu.h"
#include "core/spinlock.h"
#include "core/str.h"
#include "core/tsc.h"
#include "core/vm.h"
#include "core/wait.h"
#include "core/x86.h"

extern char trampoline_start[], trampoline_end[];
extern char tramp_pm32[], tramp_lm64[];
extern uint64_t gdt[];
extern struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdt_ptr;

#define AP_STACK_PAGES	4
/*
 * APs sent INIT-SIPI-SIPI together. On hardware the batch only bounds how
 * many APs contend for the trampoline's ticket line at once; under an
 * emulator it bounds how many new vCPU threads compete for the host.
 */
#define SMP_BATCH	64

enum { AP_IDLE, AP_SENT, AP_ONLINE, AP_LATE };

static void (*ap_loop_fn)(void);
static uint32_t ap_state[NR_CPUS];	/* enum above, CAS by both sides */
static uint64_t ap_stacks[NR_CPUS];	/* by ticket, read by the trampoline */
static struct tramp_params *tramp;
static uint64_t tramp_page;
static uint64_t smp_t0;			/* start of the bring-up */
/* The shared GDT's TSS slot: one CPU at a time loads its TSS (core/idt.c). */
static struct spinlock tss_lock = SPINLOCK_INIT;

static void ap_entry(uint64_t ticket);

static void __attribute__((noreturn)) ap_park(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

/* Dense number of the CPU with this APIC ID, or -1. */
static int cpu_of_apic_id(uint32_t id)
{
	for (unsigned cpu = 1; cpu < nr_cpu_slots; cpu++)
		if (cpu_apic_id[cpu] == id)
			return (int)cpu;
	return -1;
}

/* Runs on the AP, on the stack its ticket chose, in 64-bit mode. */
static void ap_entry(uint64_t ticket)
{
	struct cpu_topo topo;
	struct percpu *pc;
	uint32_t sent = AP_SENT;
	int cpu;

	/* Who am I: the APIC ID from CPUID (0x1F/0xB, else leaf 1). */
	topology_detect(&topo);
	cpu = cpu_of_apic_id(topo.x2apic_id);
	if (cpu < 0 || __atomic_load_n(&ap_state[cpu], __ATOMIC_ACQUIRE) != AP_SENT)
		ap_park();	/* not ours, or already given up on */
	percpu_init((unsigned)cpu);
	pc = this_cpu_ptr();
	pc->start_tsc = rdtsc();
	pc->stack_top = ap_stacks[ticket];
	{
		struct wait w;

		wait_start(&w, 1000);	/* a few instructions per holder */
		if (!spin_lock_deadline(&tss_lock, wait_expired_cb, &w))
			ap_park();	/* never marked online: an errors row */
		idt_load();
		spin_unlock(&tss_lock);
	}
	apic_setup_cpu();
	pc->topo = topo;
	pc->apic_id = apic_id();
	if (!__atomic_compare_exchange_n(&ap_state[cpu], &sent, AP_ONLINE, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		ap_park();	/* the boot CPU gave up on us first */
	ap_loop_fn();
	panic("ap_loop returned on cpu %d", cpu);
}

static void trampoline_setup(unsigned nstacks)
{
	size_t len = (size_t)(trampoline_end - trampoline_start);
	struct tramp_params *p;

	tramp_page = pmm_alloc_low();
	if (!tramp_page)
		panic("smpboot: no free page below 1 MiB for the AP trampoline");
	assert(len <= TRAMP_PARAMS);
	/* Poison first: an AP that strays anywhere in the page faults (int3). */
	mem_set((void *)(uintptr_t)tramp_page, 0xcc, PAGE_SIZE);
	mem_copy((void *)(uintptr_t)tramp_page, trampoline_start, len);
	p = (struct tramp_params *)(uintptr_t)(tramp_page + TRAMP_PARAMS);
	p->gdt_limit = gdt_ptr.limit;
	p->gdt_base = (uint32_t)gdt_ptr.base;
	p->jmp32_off = (uint32_t)(tramp_page + (uintptr_t)tramp_pm32);
	p->jmp32_sel = GDT_CODE32;
	p->jmp64_off = (uint32_t)(tramp_page + (uintptr_t)tramp_lm64);
	p->jmp64_sel = GDT_CODE64;
	p->cr3 = vm_cr3();
	p->entry = (uint64_t)(uintptr_t)ap_entry;
	p->stacks = (uint64_t)(uintptr_t)ap_stacks;
	p->ticket = 0;
	p->nstacks = nstacks;
	p->alive = 0;
	assert(gdt_ptr.base < (1ULL << 32) && vm_cr3() < (1ULL << 32));
	tramp = p;
}

/*
 * The delay after INIT: SDM 9.4.4.1 says 10 ms; Linux drops it on "modern"
 * CPUs, Intel family 6 and later and AMD family 0Fh and later (and Hygon),
 * whose INIT completes at once, and then waits 10 us instead of 300/200 us
 * around each SIPI (smp_quirk_init_udelay() and
 * wakeup_secondary_cpu_via_init() in arch/x86/kernel/smpboot.c).
 */
static bool init_delay_needed(void)
{
	if (str_eq(cpuinfo.vendor, "GenuineIntel"))
		return cpuinfo.family < 6;
	if (str_eq(cpuinfo.vendor, "AuthenticAMD"))
		return cpuinfo.family < 0xf;
	if (str_eq(cpuinfo.vendor, "HygonGenuine"))
		return false;
	return true;
}

/* INIT-SIPI-SIPI to n APs at once, then wait for them. Returns how many came up. */
static unsigned start_batch(const unsigned *cpus, unsigned n, uint32_t timeout_ms,
			    int noap_cpu, bool slow)
{
	uint8_t vector = (uint8_t)(tramp_page >> 12);
	unsigned up = 0, alive0 = tramp->alive, reached0 = tramp->ticket;
	uint64_t t0 = rdtsc();
	struct wait w;

	for (unsigned i = 0; i < n; i++) {
		unsigned cpu = cpus[i];

		per_cpu(cpu)->apic_id = cpu_slots[cpu].apic_id;
		per_cpu(cpu)->acpi_id = cpu_slots[cpu].acpi_id;
		cpu_slots[cpu].started = true;
		__atomic_store_n(&ap_state[cpu], AP_SENT, __ATOMIC_RELEASE);
	}
	/* INIT: level assert; xAPIC also the de-assert older parts need. */
	for (unsigned i = 0; i < n; i++) {
		uint32_t id = cpu_slots[cpus[i]].apic_id;

		apic_icr_write(APIC_DM_INIT | APIC_LEVEL_ASSERT | APIC_TRIGGER_LEVEL, id);
		if (apic_mode == APIC_XAPIC)
			apic_icr_write(APIC_DM_INIT | APIC_TRIGGER_LEVEL, id);
	}
	if (slow)
		udelay(10000);	/* SDM 9.4.4.1: wait 10 ms after INIT */
	/*
	 * Two SIPIs: the second covers a first one lost before the CPU was
	 * ready (MP spec B.4); an AP already running ignores it.
	 */
	for (unsigned sipi = 0; sipi < 2; sipi++) {
		for (unsigned i = 0; i < n; i++)
			if ((int)cpus[i] != noap_cpu)
				apic_icr_write(APIC_DM_STARTUP | vector,
					       cpu_slots[cpus[i]].apic_id);
		udelay(slow ? 200 : 10);	/* SDM: 200 us between the SIPIs */
	}

	/*
	 * A deadline per AP: the batch waits while APs keep arriving, each
	 * arrival re-arming timeout_ms (wait_progress), so an AP late behind
	 * a slow host is kept as long as the one before it came in time.
	 */
	wait_start(&w, timeout_ms);
	for (;;) {
		bool pending = false;

		for (unsigned i = 0; i < n; i++) {
			unsigned cpu = cpus[i];

			if (cpumask_test_cpu(cpu, &cpu_online_mask))
				continue;
			if (__atomic_load_n(&ap_state[cpu], __ATOMIC_ACQUIRE) == AP_ONLINE) {
				per_cpu(cpu)->start_us = us_since(smp_t0);
				cpu_set_online(cpu);
				up++;
				wait_progress(&w);
			} else {
				pending = true;
			}
		}
		if (!pending || wait_expired(&w))
			break;
		cpu_pause();
	}

	for (unsigned i = 0; i < n; i++) {
		unsigned cpu = cpus[i];
		uint32_t sent = AP_SENT;
		unsigned ran = tramp->alive - alive0, took = tramp->ticket - reached0;

		if (cpumask_test_cpu(cpu, &cpu_online_mask))
			continue;
		if (!__atomic_compare_exchange_n(&ap_state[cpu], &sent, AP_LATE, false,
						 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			/* It won the race at the last moment: keep it. */
			per_cpu(cpu)->start_us = us_since(smp_t0);
			cpu_set_online(cpu);
			up++;
			continue;
		}
		cpu_slots[cpu].state = "no-answer";
		error_add("smpboot", (int)cpu, us_since(t0),
			  "apic_id %u: no answer after INIT-SIPI-SIPI (%u of this batch's %u APs ran the trampoline, %u reached 64-bit mode)",
			  cpu_slots[cpu].apic_id, ran, n, took);
		/* Park it in wait-for-SIPI, so a late start cannot run on. */
		apic_icr_write(APIC_DM_INIT | APIC_LEVEL_ASSERT | APIC_TRIGGER_LEVEL,
			       cpu_slots[cpu].apic_id);
	}
	return up;
}

unsigned smp_boot(void (*ap_loop)(void), unsigned max_cpus, uint32_t timeout_ms,
		  int noap_cpu)
{
	static unsigned todo[NR_CPUS];
	unsigned online = 1, ntodo = 0;
	bool slow = init_delay_needed();

	smp_t0 = rdtsc();
	ap_loop_fn = ap_loop;
	per_cpu(0)->apic_id = cpu_slots[0].apic_id;
	per_cpu(0)->acpi_id = cpu_slots[0].acpi_id;
	topology_detect(&per_cpu(0)->topo);
	for (unsigned cpu = 1; cpu < nr_cpu_slots; cpu++) {
		if (!cpu_slots[cpu].enabled)
			continue;
		if (max_cpus && 1 + ntodo >= max_cpus) {
			cpu_slots[cpu].state = "not-started";	/* cpus= */
			continue;
		}
		if (apic_mode == APIC_XAPIC && cpu_slots[cpu].apic_id >= 0xff) {
			cpu_slots[cpu].state = "needs-x2apic";
			error_add("smpboot", (int)cpu, 0,
				  "apic_id %u is not addressable in xAPIC mode",
				  cpu_slots[cpu].apic_id);
			continue;
		}
		todo[ntodo++] = cpu;
	}
	if (!ntodo)
		goto out;
	/* One stack per AP we start; an AP takes any free one by ticket. */
	for (unsigned i = 0; i < ntodo; i++) {
		uint64_t stack = pmm_alloc_contig(AP_STACK_PAGES);

		if (!stack) {
			/* A limit, not a fault: refused with status 2, naming it. */
			kprintf("volley: limit: memory: the stacks of %u APs need %lu KiB "
				"(%u KiB each), only %u fitted; give the machine more memory "
				"or start fewer CPUs (cpus=%u)\n", ntodo,
				(uint64_t)ntodo * AP_STACK_PAGES * PAGE_SIZE / 1024,
				AP_STACK_PAGES * PAGE_SIZE / 1024, i, i + 1);
			volley_exit(STATUS_BADCMD);
		}
		ap_stacks[i] = stack + AP_STACK_PAGES * PAGE_SIZE;
	}
	trampoline_setup(ntodo);
	klog("smp: starting %u APs in batches of %u, %s INIT delay, start deadline %u ms per AP",
	     ntodo, SMP_BATCH, slow ? "10 ms" : "no", timeout_ms);
	for (unsigned i = 0; i < ntodo; i += SMP_BATCH) {
		unsigned n = ntodo - i < SMP_BATCH ? ntodo - i : SMP_BATCH;

		online += start_batch(todo + i, n, timeout_ms, noap_cpu, slow);
	}
out:
	cpus_assign_nodes();
	return online;
}
