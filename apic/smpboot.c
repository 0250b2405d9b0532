/* SPDX-License-Identifier: MIT */
/*
 * AP start-up: the universal INIT-SIPI-SIPI sequence (Intel SDM vol. 3A
 * 9.4.4.1 "Typical BSP initialization sequence" and 9.4.4.2; MP spec B.4).
 */
#include "smpboot.h"
#include "apic.h"
#include "boot/trampoline_regs.h"
#include "core/console.h"
#include "core/cpus.h"
#include "core/errors.h"
#include "core/idt.h"
#include "core/panic.h"
#include "core/percpu.h"
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

static void (*ap_loop_fn)(void);
static volatile uint32_t ap_online;	/* set by the AP starting now */

static void ap_entry(uint64_t cpu);

/* Runs on the AP, on its own stack, in 64-bit mode. */
static void ap_entry(uint64_t cpu)
{
	struct percpu *pc;

	percpu_init((unsigned)cpu);
	pc = this_cpu_ptr();
	pc->start_tsc = rdtsc();
	idt_load();		/* GDT TSS slot: APs come up one at a time */
	apic_setup_cpu();
	topology_detect(&pc->topo);
	pc->apic_id = apic_id();
	__atomic_store_n(&ap_online, 1, __ATOMIC_RELEASE);
	ap_loop_fn();
	panic("ap_loop returned on cpu %lu", cpu);
}

static uint64_t tramp_page;

static void trampoline_setup(void)
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
	assert(gdt_ptr.base < (1ULL << 32) && vm_cr3() < (1ULL << 32));
}

static bool start_one(unsigned cpu, uint32_t timeout_ms, bool send_sipi)
{
	struct tramp_params *p = (struct tramp_params *)(uintptr_t)(tramp_page + TRAMP_PARAMS);
	uint64_t stack = pmm_alloc_contig(AP_STACK_PAGES);
	uint32_t id = cpu_slots[cpu].apic_id;
	uint8_t vector = (uint8_t)(tramp_page >> 12);
	struct wait w;
	uint64_t t0;

	if (!stack)
		panic("smpboot: no memory for the stack of cpu %u", cpu);
	per_cpu(cpu)->apic_id = id;
	per_cpu(cpu)->acpi_id = cpu_slots[cpu].acpi_id;
	p->stack = stack + AP_STACK_PAGES * PAGE_SIZE;
	p->arg = cpu;
	p->alive = 0;
	ap_online = 0;
	cpu_slots[cpu].started = true;

	t0 = rdtsc();
	/* INIT: level assert; xAPIC also the de-assert older parts need. */
	apic_icr_write(APIC_DM_INIT | APIC_LEVEL_ASSERT | APIC_TRIGGER_LEVEL, id);
	if (apic_mode == APIC_XAPIC)
		apic_icr_write(APIC_DM_INIT | APIC_TRIGGER_LEVEL, id);
	udelay(10000);		/* SDM 9.4.4.1: wait 10 ms after INIT */
	if (send_sipi) {
		apic_icr_write(APIC_DM_STARTUP | vector, id);
		udelay(200);	/* SDM: 200 us between the two SIPIs */
		/*
		 * The second SIPI covers a first one lost before the CPU was
		 * ready (MP spec B.4); an AP already running ignores it.
		 */
		if (!p->alive) {
			apic_icr_write(APIC_DM_STARTUP | vector, id);
			udelay(200);
		}
	}
	wait_start(&w, timeout_ms);
	if (!wait_until(&w, __atomic_load_n(&ap_online, __ATOMIC_ACQUIRE))) {
		uint64_t waited = (rdtsc() - t0) / (tsc_hz / 1000000 ? tsc_hz / 1000000 : 1);

		cpu_slots[cpu].state = p->alive ? "stuck" : "no-answer";
		error_add("smpboot", (int)cpu, waited,
			  "apic_id %u: %s after INIT-SIPI-SIPI", id,
			  p->alive ? "started but never reached C" : "no answer");
		/* Park it in wait-for-SIPI, so a late start cannot reuse the trampoline. */
		apic_icr_write(APIC_DM_INIT | APIC_LEVEL_ASSERT | APIC_TRIGGER_LEVEL, id);
		pmm_free(stack);
		return false;
	}
	per_cpu(cpu)->start_us = (rdtsc() - t0) / (tsc_hz / 1000000 ? tsc_hz / 1000000 : 1);
	cpu_set_online(cpu);
	return true;
}

unsigned smp_boot(void (*ap_loop)(void), unsigned max_cpus, uint32_t timeout_ms,
		  int noap_cpu)
{
	unsigned online = 1;

	ap_loop_fn = ap_loop;
	per_cpu(0)->apic_id = cpu_slots[0].apic_id;
	per_cpu(0)->acpi_id = cpu_slots[0].acpi_id;
	topology_detect(&per_cpu(0)->topo);
	if (nr_cpu_slots > 1)
		trampoline_setup();
	for (unsigned cpu = 1; cpu < nr_cpu_slots; cpu++) {
		if (!cpu_slots[cpu].enabled)
			continue;
		if (max_cpus && online >= max_cpus) {
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
		if (start_one(cpu, timeout_ms, (int)cpu != noap_cpu))
			online++;
	}
	cpus_assign_nodes();
	return online;
}
