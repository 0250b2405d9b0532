/* SPDX-License-Identifier: MIT */
/*
 * ACPI as volley uses it: the CPUs the MADT lists (enabled or not), their
 * NUMA nodes from SRAT, HPET and the PM timer as TSC references, and SPCR
 * for serial=spcr. Tables are parsed by core/acpi_tables.c; this file finds
 * and checks them in memory.
 */
#ifndef VOLLEY_CORE_ACPI_H
#define VOLLEY_CORE_ACPI_H

#include <stdbool.h>
#include <stdint.h>
#include "acpi_tables.h"
#include "cpumask.h"
#include "mb2.h"

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t acpi_uid;
	uint32_t node;		/* SRAT proximity domain, 0 without SRAT */
	bool enabled;		/* MADT says usable: we start it */
	bool online_capable;
};

struct acpi_state {
	bool found;		/* an RSDP and a valid RSDT/XSDT */
	uint8_t revision;
	char oem_id[7];		/* the RSDP's OEM ID, NUL-terminated */
	bool xsdt;
	uint64_t lapic_addr;	/* from the MADT, 0 without one */
	bool pcat_compat;	/* legacy 8259 PICs present: mask them */
	unsigned ncpus;		/* entries in cpus[] */
	struct acpi_cpu cpus[NR_CPUS];
	unsigned ncpus_dropped;	/* MADT entries beyond NR_CPUS */
	bool srat;
	uint64_t hpet_base;	/* 0: none */
	struct fadt_pm pm;
	bool spcr;
	struct spcr_info spcr_info;
};

extern struct acpi_state acpi;

/* Finds and parses the tables; a bad table is reported and skipped. */
void acpi_init(const struct boot_info *bi);
/* Registers HPET and PM timer as TSC calibration references. */
void acpi_register_refclocks(void);

#endif
