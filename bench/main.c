/* SPDX-License-Identifier: MIT */
/*
 * kmain: the boot CPU's whole path, from boot/entry.S to the last line, as
 * a table of contents. One init call per line; ordering constraints are
 * written where they bite. It sits above every layer it calls
 * (boot -> core <- apic <- bench <- here) and nothing calls back up.
 */
#include "harness.h"
#include "info.h"
#include "plan.h"
#include "inject.h"
#include "report.h"
#include "run.h"
#include "suite.h"
#include "apic/apic.h"
#include "apic/smpboot.h"
#include "core/acpi.h"
#include "core/console.h"
#include "core/console_setup.h"
#include "core/cpuinfo.h"
#include "core/cpus.h"
#include "core/errors.h"
#include "core/exit.h"
#include "core/idt.h"
#include "core/panic.h"
#include "core/percpu.h"
#include "core/pic.h"
#include "core/serial.h"
#include "core/tsc.h"
#include "core/vm.h"
#include "core/wait.h"
#include "core/x86.h"

/* The whole run's bound: a run that goes on longer stops with status 1. */
#define WATCHDOG_S	3600

struct config config;
struct boot_info boot_info;
uint64_t boot_tsc;

void kmain(uint32_t magic, uint64_t info_phys);

static void badcmd(const char *err)
{
	kprintf("volley: bad command line: %s\n", err);
	volley_exit(STATUS_BADCMD);
}

static void stop_others(void)
{
	apic_send_nmi_allbutself();
}

void kmain(uint32_t magic, uint64_t info_phys)
{
	char err[256];
	unsigned online;

	boot_tsc = rdtsc();
	percpu_init(0);			/* GS base: smp_processor_id() works */
	serial_init_pio(0x3f8);		/* COM1 if it answers, until the command line is read */
	idt_init();			/* exceptions now give a register dump */
	idt_load();
	cpuinfo_init();
	tsc_fence_init();		/* before any fenced rdtsc: the fence it uses */

	klog("volley %s", volley_version);
	if (magic != MB2_BOOT_MAGIC)
		panic("not started by a multiboot2 loader (magic 0x%x)", magic);
	/* The information lies in identity-mapped low memory (early page tables). */
	if (mb2_parse((void *)(uintptr_t)info_phys,
		      *(uint32_t *)(uintptr_t)info_phys, &boot_info, err, sizeof(err)))
		panic("%s", err);
	if (boot_info.efi_bs_active)
		panic("UEFI boot services are still active; boot through GRUB's multiboot2");

	if (cmdline_parse(boot_info.cmdline, suite_names(), &config, err, sizeof(err)))
		badcmd(err);
	exit_set_mode(config.exit, config.hold_ms);	/* after parsing: exit=, hold_ms= */
	console_setup_early(&boot_info, &config);	/* serial=, the screen GRUB left */
	klog("cpu: %s %s family %u model %u stepping %u, hypervisor %s",
	     cpuinfo.vendor, cpuinfo.brand, cpuinfo.family, cpuinfo.model,
	     cpuinfo.stepping, cpuinfo.hypervisor);
	klog("boot: %s via %s, cmdline \"%s\"", boot_info.efi ? "UEFI" : "BIOS",
	     boot_info.loader, boot_info.cmdline);

	pmm_init(&boot_info, info_phys);	/* frames: keeps the info and the kernel */
	vm_init();				/* all RAM identity-mapped, MMIO uncached */
	acpi_init(&boot_info);			/* after vm_init: tables anywhere in RAM */
	console_setup_acpi(&config);		/* framebuffer mapping, serial=spcr */
	acpi_register_refclocks();
	tsc_init();				/* after ACPI: HPET/PM timer references */
	klog("tsc: %lu Hz from %s, invariant %s", tsc_hz, tsc_source,
	     tsc_invariant ? "yes" : "no");
	watchdog_start(WATCHDOG_S);		/* after tsc_init: every wait checks it */

	if (apic_init(config.apic, cpus_max_apic_id(), err, sizeof(err)))
		badcmd(err);
	pic_mask_all();				/* no timer or device interrupts */
	apic_setup_cpu();
	cpus_enumerate(apic_id());		/* after apic_init: dense numbers, boot CPU 0 */
	panic_set_stop_others(stop_others);	/* after apic_init: NMIs work */
	klog("apic: %s%s, boot cpu apic_id %u", apic_mode_name(),
	     apic_x2apic_by_firmware ? " (x2APIC enabled by firmware)" : "",
	     apic_id());

	harness_prepare();	/* before smp_boot(): started APs sleep, not spin */
	/* after apic_setup_cpu(): APs need the IDT and the APIC mode */
	online = smp_boot(bench_ap_loop, config.cpus, config.timeout_ms,
			  inject_noap_cpu());
	klog("smp: %u of %u listed CPUs online (%u present), %lu ms since kmain",
	     online, nr_cpu_slots, cpumask_weight(&cpu_present_mask), ms_since(boot_tsc));
	harness_init();		/* every online CPU in its mailbox loop */
	if (!samples_init(cpumask_weight(&bench_cpus), err, sizeof(err)))
		badcmd(err);	/* iters= too large for memory: status 2 */
	inject_setup();		/* inject=mute|drop: before anything measures */
	report_init();		/* the rdtsc cost, for ts_dominated */
	bench_tsc_sync();	/* before any one-way figure */
	klog("tsc_sync: done, %lu ms since kmain", ms_since(boot_tsc));

	meta_print();
	cpus_print();
	klog("cpus: printed, %lu ms since kmain", ms_since(boot_tsc));
	inject_late();		/* inject=panic|apfault */
	bench_plan_make();	/* after tsc_sync and topology: which pairs, how long */

	suite_run();		/* the benchmarks bench= selects, in table order */
	bench_plan_finish();	/* the time taken against budget= */

	klog("run: %lu ms from kmain to the end", ms_since(boot_tsc));
	summary_print();
	errors_print();
	klog("serial: %lu bytes written before this line", console_bytes());
	volley_exit(error_count() ? STATUS_ERRORS : STATUS_OK);
}
