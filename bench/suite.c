/* SPDX-License-Identifier: MIT */
/*
 * volley_run: everything after the core is up. Brings the APIC and the APs
 * up, measures TSC offsets, prints meta and cpus, runs the benchmarks the
 * command line selects, then errors, summary and the final status.
 */
#include "suite.h"
#include "harness.h"
#include "report.h"
#include "apic/apic.h"
#include "apic/smpboot.h"
#include "core/acpi.h"
#include "core/console.h"
#include "core/csv.h"
#include "core/errors.h"
#include "core/exit.h"
#include "core/kmain.h"
#include "core/panic.h"
#include "core/percpu.h"
#include "core/x86.h"

/*
 * The suite, in order: the floor first (what everything else stands on),
 * then the IPI, broadcast, csd and TLB benchmarks. Each lives in its own
 * file; weak references let the image build while one is missing.
 */
#define BENCH(x) extern const struct benchmark x __attribute__((weak))
BENCH(bench_floor);
BENCH(bench_ipi);
BENCH(bench_bcast);
BENCH(bench_csd);
BENCH(bench_tlb);

static const struct benchmark *const benchmarks[] = {
	&bench_floor, &bench_ipi, &bench_bcast, &bench_csd, &bench_tlb,
};

static void meta_more(struct csv *t)
{
	csv_row(t, "apic_mode,%s", apic_mode_name());
	csv_row(t, "x2apic_by_firmware,%d", apic_x2apic_by_firmware ? 1 : 0);
	csv_row(t, "cpus_listed,%u", nr_cpu_slots);
	csv_row(t, "cpus_present,%u", cpumask_weight(&cpu_present_mask));
	csv_row(t, "cpus_online,%u", cpumask_weight(&cpu_online_mask));
	csv_row(t, "acpi,%s", acpi.found ? (acpi.xsdt ? "xsdt" : "rsdt") : "none");
	csv_row(t, "tsc_offset_max,%lu", tsc_sync_max_offset);
	csv_row(t, "tsc_offset_err,%lu", tsc_sync_max_err);
	/* Offsets within their own measurement error are indistinguishable from 0. */
	csv_row(t, "tsc_offsets_within_bound,%d",
		tsc_sync_max_offset <= tsc_sync_max_err ? 1 : 0);
}

static void cpus_print(void)
{
	struct csv t;

	csv_begin(&t, console_out, 0, "cpus",
		  "cpu,apic_id,acpi_id,package,die,core,thread,node,online,start_us,tsc_offset");
	for (unsigned cpu = 0; cpu < nr_cpu_slots; cpu++) {
		struct percpu *pc = per_cpu(cpu);
		const struct cpu_slot *s = &cpu_slots[cpu];
		bool on = cpumask_test_cpu(cpu, &cpu_online_mask);

		char off[24];

		if (pc->tsc_offset_err == UINT64_MAX)
			fmt_buf(off, sizeof(off), "NA");
		else
			fmt_buf(off, sizeof(off), "%ld", pc->tsc_offset);
		if (on)
			csv_row(&t, "%u,%u,%u,%u,%u,%u,%u,%u,1,%lu,%s", cpu,
				s->apic_id, s->acpi_id, pc->topo.package,
				pc->topo.die, pc->topo.core, pc->topo.thread,
				pc->topo.node, pc->start_us, off);
		else
			csv_row(&t, "%u,%u,%u,NA,NA,NA,NA,NA,0,NA,NA", cpu,
				s->apic_id, s->acpi_id);
	}
	csv_end(&t);
	for (unsigned cpu = 0; cpu < nr_cpu_slots; cpu++)
		if (!cpumask_test_cpu(cpu, &cpu_online_mask))
			klog("cpu %u (apic_id %u): %s", cpu, cpu_slots[cpu].apic_id,
			     cpu_slots[cpu].state);
}

static void stop_others(void)
{
	apic_send_nmi_allbutself();
}

void volley_run(void)
{
	char err[200];
	uint32_t max_id = 0;
	unsigned online;

	for (unsigned i = 0; i < acpi.ncpus; i++)
		if (acpi.cpus[i].apic_id > max_id)
			max_id = acpi.cpus[i].apic_id;
	if (apic_init(config.apic, max_id, err, sizeof(err))) {
		kprintf("volley: bad command line: %s\n", err);
		volley_exit(STATUS_BADCMD);
	}
	/* The legacy PICs stay masked: no timer or device interrupts. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	apic_setup_cpu();
	panic_stop_others = stop_others;
	klog("apic: %s%s, boot cpu apic_id %u", apic_mode_name(),
	     apic_x2apic_by_firmware ? " (x2APIC enabled by firmware)" : "",
	     apic_id());

	online = smp_boot(bench_ap_loop, config.cpus, config.timeout_ms,
			  config.inject == INJECT_NOAP ? (int)config.inject_cpu : -1);
	klog("smp: %u of %u listed CPUs online (%u present)", online,
	     nr_cpu_slots, cpumask_weight(&cpu_present_mask));
	harness_init();
	inject_setup();		/* inject=mute|drop: before anything measures */
	report_init();		/* the rdtsc cost, for ts_dominated */
	tsc_sync_measure();	/* before any one-way figure */

	meta_print(meta_more);
	cpus_print();
	inject_late();		/* inject=panic|apfault */

	for (unsigned i = 0; i < sizeof(benchmarks) / sizeof(benchmarks[0]); i++) {
		const struct benchmark *b = benchmarks[i];
		const char *why = "";

		if (!b)
			continue;
		if (!(config.bench & b->bit))
			continue;
		if (b->valid && !b->valid(&why)) {
			klog("bench %s: skipped: %s", b->name, why);
			continue;
		}
		uint64_t t0 = rdtsc();

		klog("bench %s: start", b->name);
		b->run();
		klog("bench %s: done in %lu ms", b->name, (rdtsc() - t0) / (tsc_hz / 1000));
	}

	klog("run: %lu ms from kmain to the end", (rdtsc() - boot_tsc) / (tsc_hz / 1000));
	summary_print();
	errors_print();
	volley_exit(error_count() ? STATUS_ERRORS : STATUS_OK);
}
