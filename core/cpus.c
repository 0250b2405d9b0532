/* SPDX-License-Identifier: MIT */
#include "cpus.h"
#include "acpi.h"
#include "percpu.h"

struct cpumask cpu_possible_mask, cpu_present_mask, cpu_online_mask;
struct cpu_slot cpu_slots[NR_CPUS];
unsigned nr_cpu_slots;
uint32_t cpu_apic_id[NR_CPUS];

void cpus_enumerate(uint32_t self)
{
	unsigned n = 0;

	cpu_slots[n++] = (struct cpu_slot){ .apic_id = self, .enabled = true,
					    .started = true, .state = "online" };
	for (unsigned i = 0; i < acpi.ncpus; i++) {
		const struct acpi_cpu *c = &acpi.cpus[i];

		if (c->apic_id == self) {
			cpu_slots[0].acpi_id = c->acpi_uid;
			continue;
		}
		if (n == NR_CPUS)
			break;
		cpu_slots[n++] = (struct cpu_slot){
			.apic_id = c->apic_id, .acpi_id = c->acpi_uid,
			.enabled = c->enabled, .online_capable = c->online_capable,
			.state = c->enabled ? "not-started" : "disabled",
		};
	}
	nr_cpu_slots = n;
	nr_cpu_ids = n;
	for (unsigned i = 0; i < n; i++) {
		if (cpu_slots[i].enabled || cpu_slots[i].online_capable)
			cpumask_set_cpu(i, &cpu_possible_mask);
		if (cpu_slots[i].enabled)
			cpumask_set_cpu(i, &cpu_present_mask);
		cpu_apic_id[i] = cpu_slots[i].apic_id;
	}
	cpumask_set_cpu(0, &cpu_online_mask);
}

void cpu_set_online(unsigned cpu)
{
	cpu_slots[cpu].state = "online";
	cpumask_set_cpu(cpu, &cpu_online_mask);
}

bool cpus_all_present_online(void)
{
	return cpumask_equal(&cpu_online_mask, &cpu_present_mask);
}

uint32_t cpus_max_apic_id(void)
{
	uint32_t max_id = 0;

	for (unsigned i = 0; i < acpi.ncpus; i++)
		if (acpi.cpus[i].apic_id > max_id)
			max_id = acpi.cpus[i].apic_id;
	return max_id;
}

void cpus_assign_nodes(void)
{
	/* SRAT proximity domains, matched by APIC ID (0 without SRAT). */
	for (unsigned cpu = 0; cpu < nr_cpu_slots; cpu++)
		for (unsigned i = 0; i < acpi.ncpus; i++)
			if (acpi.cpus[i].apic_id == cpu_slots[cpu].apic_id)
				per_cpu(cpu)->topo.node = acpi.cpus[i].node;
}
