/* SPDX-License-Identifier: MIT */
/*
 * kmain: the boot CPU's path from boot/entry.S to the last line. One init
 * call per line; ordering constraints are written where they bite.
 */
#include "kmain.h"
#include "acpi.h"
#include "console.h"
#include "cpuinfo.h"
#include "csv.h"
#include "errors.h"
#include "exit.h"
#include "idt.h"
#include "panic.h"
#include "percpu.h"
#include "serial.h"
#include "str.h"
#include "tsc.h"
#include "vm.h"
#include "x86.h"

struct config config;
struct boot_info boot_info;
uint64_t boot_tsc;

void kmain(uint32_t magic, uint64_t info_phys);

void meta_print(void (*more)(struct csv *t))
{
	struct csv t;
	char buf[CMDLINE_MAX + 64];

	csv_begin(&t, console_out, 0, "meta", "key,value");
	csv_row(&t, "version,%s", volley_version);
	csv_row(&t, "cpu_vendor,%s", cpuinfo.vendor);
	csv_field(buf, sizeof(buf), cpuinfo.brand);
	csv_row(&t, "cpu_brand,%s", buf);
	csv_row(&t, "cpu_family,%u", cpuinfo.family);
	csv_row(&t, "cpu_model,%u", cpuinfo.model);
	csv_row(&t, "cpu_stepping,%u", cpuinfo.stepping);
	csv_field(buf, sizeof(buf), cpuinfo.hypervisor);
	csv_row(&t, "hypervisor,%s", buf);
	csv_row(&t, "firmware,%s", boot_info.efi ? "uefi" : "bios");
	csv_field(buf, sizeof(buf), boot_info.loader);
	csv_row(&t, "boot_loader,%s", buf);
	csv_field(buf, sizeof(buf), boot_info.cmdline);
	csv_row(&t, "cmdline,%s", buf);
	{
		char cfgs[CMDLINE_MAX];

		config_format(&config, cfgs, sizeof(cfgs));
		csv_field(buf, sizeof(buf), cfgs);
		csv_row(&t, "config,%s", buf);
	}
	csv_row(&t, "tsc_hz,%lu", tsc_hz);
	csv_row(&t, "tsc_source,%s", tsc_source);
	csv_row(&t, "tsc_invariant,%d", tsc_invariant ? 1 : 0);
	csv_row(&t, "mem_bytes,%lu", pmm_total_bytes());
	if (more)
		more(&t);
	csv_end(&t);
}

/* Serial first, so that every later failure can be reported. */
static void serial_setup(void)
{
	if (config.serial_spcr)
		return;		/* after ACPI; until then, COM1 */
	if (config.serial_port != 0x3f8 && !serial_init_pio(config.serial_port)) {
		serial_init_pio(0x3f8);
		klog("serial: no UART at 0x%x, staying on 0x3f8", config.serial_port);
	}
}

/* serial=spcr: the UART the firmware names in ACPI SPCR. */
static void serial_spcr(void)
{
	const struct spcr_info *s = &acpi.spcr_info;
	bool ok = false;

	if (!config.serial_spcr)
		return;
	if (!acpi.spcr)
		klog("serial: serial=spcr but there is no usable SPCR table; staying on 0x3f8");
	else if (s->space == ACPI_GAS_IO)
		ok = serial_init_pio((uint16_t)s->addr);
	else if (s->space == ACPI_GAS_MEM) {
		vm_map_mmio(s->addr, PAGE_SIZE);
		ok = serial_init_mmio(s->addr, s->access_size == 3 ? 2 : 0);
	}
	if (!ok) {
		serial_init_pio(0x3f8);
		klog("serial: SPCR UART (type %u at 0x%lx) did not answer; staying on 0x3f8",
		     s->iftype, s->addr);
	} else {
		klog("serial: console on the SPCR UART at 0x%lx", s->addr);
	}
}

void kmain(uint32_t magic, uint64_t info_phys)
{
	char err[256];

	boot_tsc = rdtsc();
	percpu_init(0);			/* GS base: smp_processor_id() works */
	serial_init_pio(0x3f8);		/* COM1 until the command line says otherwise */
	idt_init();			/* exceptions now give a register dump */
	idt_load();
	cpuinfo_init();

	klog("volley %s", volley_version);
	if (magic != MB2_BOOT_MAGIC)
		panic("not started by a multiboot2 loader (magic 0x%x)", magic);
	/* The information lies in identity-mapped low memory (early page tables). */
	if (mb2_parse((void *)(uintptr_t)info_phys,
		      *(uint32_t *)(uintptr_t)info_phys, &boot_info, err, sizeof(err)))
		panic("%s", err);
	if (boot_info.efi_bs_active)
		panic("UEFI boot services are still active; boot through GRUB's multiboot2");

	if (cmdline_parse(boot_info.cmdline, &config, err, sizeof(err))) {
		kprintf("volley: bad command line: %s\n", err);
		volley_exit(STATUS_BADCMD);
	}
	exit_set_mode(config.exit);	/* after parsing: exit=halt|reboot|qemu */
	serial_setup();
	klog("cpu: %s %s family %u model %u stepping %u, hypervisor %s",
	     cpuinfo.vendor, cpuinfo.brand, cpuinfo.family, cpuinfo.model,
	     cpuinfo.stepping, cpuinfo.hypervisor);
	klog("boot: %s via %s, cmdline \"%s\"", boot_info.efi ? "UEFI" : "BIOS",
	     boot_info.loader, boot_info.cmdline);

	pmm_init(&boot_info, info_phys);	/* frames: keeps the info and the kernel */
	vm_init();				/* all RAM identity-mapped, MMIO uncached */
	acpi_init(&boot_info);			/* after vm_init: tables anywhere in RAM */
	serial_spcr();				/* serial=spcr needs the tables */
	acpi_register_refclocks();
	tsc_init();				/* after ACPI: HPET/PM timer references */
	klog("tsc: %lu Hz from %s, invariant %s", tsc_hz, tsc_source,
	     tsc_invariant ? "yes" : "no");

	volley_run();				/* bench/suite.c: APIC, CPUs, benchmarks */
}
