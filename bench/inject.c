/* SPDX-License-Identifier: MIT */
/*
 * Fault injection (inject=), for tests and for users checking their setup;
 * each ends in the documented status with nothing hanging.
 *   mute:N     CPU N raises its task priority to 15: no fixed interrupt
 *              (IPI) is delivered to it any more (NMI still is).
 *   drop:N:K   CPU N ignores every K-th benchmark IPI it receives (EOIs it,
 *              does not run the handler): a lost IPI.
 *   apfault:N  CPU N takes an exception (#GP): the panic path stops the
 *              other CPUs with an NMI and prints one register dump; status 3.
 *   panic      the boot CPU does the same.
 *   noap:N     CPU N is never sent its start-up IPIs (apic/smpboot.c).
 */
#include "inject.h"
#include "harness.h"
#include "run.h"
#include "apic/apic.h"
#include "core/console.h"
#include "core/idt.h"
#include "core/percpu.h"

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

int inject_noap_cpu(void)
{
	return config.inject == INJECT_NOAP ? (int)config.inject_cpu : -1;
}
