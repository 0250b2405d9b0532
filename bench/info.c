/* SPDX-License-Identifier: MIT */
/* The `meta` and `cpus` tables: what was measured on, before any number. */
#include "info.h"
#include "suite.h"
#include "harness.h"
#include "core/str.h"
#include "run.h"
#include "apic/apic.h"
#include "core/console_setup.h"
#include "core/acpi.h"
#include "core/console.h"
#include "core/cpuinfo.h"
#include "core/csv.h"
#include "core/percpu.h"
#include "core/tsc.h"
#include "core/tsc_sync.h"
#include "core/vm.h"

void meta_print(void)
{
	struct csv t;
	char buf[CMDLINE_MAX + 64];
	char cfgs[CMDLINE_MAX];

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
	/*
	 * An emulator's figures are its own timings, not the hardware's.
	 * Bochs sets no hypervisor bit (its CPU models are real parts'
	 * CPUID); its BIOS's ACPI tables say OEM "BOCHS " (QEMU's too, but
	 * QEMU has the bit).
	 */
	csv_row(&t, "emulated,%d", str_eq(cpuinfo.hypervisor, "TCGTCGTCGTCG") ||
		(str_eq(cpuinfo.hypervisor, "none") && str_eq(acpi.oem_id, "BOCHS ")) ? 1 : 0);
	if (mwait_waits < 0)
		csv_row(&t, "mwait_waits,NA");
	else
		csv_row(&t, "mwait_waits,%d", mwait_waits);
	csv_row(&t, "firmware,%s", boot_info.efi ? "uefi" : "bios");
	csv_field(buf, sizeof(buf), boot_info.loader);
	csv_row(&t, "boot_loader,%s", buf);
	csv_field(buf, sizeof(buf), boot_info.cmdline);
	csv_row(&t, "cmdline,%s", buf);
	config_format(&config, suite_names(), cfgs, sizeof(cfgs));
	csv_field(buf, sizeof(buf), cfgs);
	csv_row(&t, "config,%s", buf);
	csv_row(&t, "tsc_hz,%lu", tsc_hz);
	csv_row(&t, "tsc_source,%s", tsc_source);
	if (tsc_hz_cpuid)
		csv_row(&t, "tsc_hz_cpuid,%lu", tsc_hz_cpuid);
	else
		csv_row(&t, "tsc_hz_cpuid,NA");
	if (tsc_hz_measured) {
		csv_row(&t, "tsc_hz_measured,%lu", tsc_hz_measured);
		csv_row(&t, "tsc_hz_measured_source,%s", tsc_measured_source);
		csv_row(&t, "tsc_hz_measured_err_ppm,%lu", tsc_hz_bracket_ppm);
	} else {
		csv_row(&t, "tsc_hz_measured,NA");
	}
	if (tsc_disagree_ppm() != UINT64_MAX)
		csv_row(&t, "tsc_hz_disagree_ppm,%lu", tsc_disagree_ppm());
	else
		csv_row(&t, "tsc_hz_disagree_ppm,NA");
	csv_row(&t, "tsc_invariant,%d", tsc_invariant ? 1 : 0);
	csv_row(&t, "tsc_fence,%s", tsc_fence);
	csv_row(&t, "mem_bytes,%lu", pmm_total_bytes());
	console_meta(&t);
	csv_row(&t, "apic_mode,%s", apic_mode_name());
	csv_row(&t, "x2apic_by_firmware,%d", apic_x2apic_by_firmware ? 1 : 0);
	/* the boot CPU's: which CPUID leaves gave package/die/core/thread */
	csv_row(&t, "topology_source,%s", per_cpu(0)->topo.source);
	csv_row(&t, "cpus_listed,%u", nr_cpu_slots);
	csv_row(&t, "cpus_present,%u", cpumask_weight(&cpu_present_mask));
	csv_row(&t, "cpus_online,%u", cpumask_weight(&cpu_online_mask));
	csv_row(&t, "acpi,%s", acpi.found ? (acpi.xsdt ? "xsdt" : "rsdt") : "none");
	csv_row(&t, "tsc_offset_max,%lu", tsc_sync_max_offset);
	csv_row(&t, "tsc_offset_err,%lu", tsc_sync_max_err);
	/* Offsets within their own measurement error are indistinguishable from 0. */
	csv_row(&t, "tsc_offsets_within_bound,%d",
		tsc_sync_max_offset <= tsc_sync_max_err ? 1 : 0);
	csv_end(&t);
}

void cpus_print(void)
{
	struct csv t;

	csv_begin(&t, console_out, 0, "cpus",
		  "cpu,apic_id,acpi_id,package,die,core,thread,node,online,start_us,tsc_offset,llc");
	for (unsigned cpu = 0; cpu < nr_cpu_slots; cpu++) {
		struct percpu *pc = per_cpu(cpu);
		const struct cpu_slot *s = &cpu_slots[cpu];
		bool on = cpumask_test_cpu(cpu, &cpu_online_mask);
		char off[24], llc[24];

		if (pc->tsc_offset_err == UINT64_MAX)
			fmt_buf(off, sizeof(off), "NA");
		else
			fmt_buf(off, sizeof(off), "%ld", pc->tsc_offset);
		if (on && pc->topo.llc_level)
			fmt_buf(llc, sizeof(llc), "L%u:%u", pc->topo.llc_level, pc->topo.llc);
		else
			fmt_buf(llc, sizeof(llc), "NA");
		if (on)
			csv_row(&t, "%u,%u,%u,%u,%u,%u,%u,%u,1,%lu,%s,%s", cpu,
				s->apic_id, s->acpi_id, pc->topo.package,
				pc->topo.die, pc->topo.core, pc->topo.thread,
				pc->topo.node, pc->start_us, off, llc);
		else
			csv_row(&t, "%u,%u,%u,NA,NA,NA,NA,NA,0,NA,NA,NA", cpu,
				s->apic_id, s->acpi_id);
	}
	csv_end(&t);
	for (unsigned cpu = 0; cpu < nr_cpu_slots; cpu++)
		if (!cpumask_test_cpu(cpu, &cpu_online_mask))
			klog("cpu %u (apic_id %u): %s", cpu, cpu_slots[cpu].apic_id,
			     cpu_slots[cpu].state);
}
