/* SPDX-License-Identifier: MIT */
#include "acpi.h"
#include "console.h"
#include "str.h"
#include "tsc.h"
#include "vm.h"
#include "x86.h"

struct acpi_state acpi;

/* No sane table is larger; a bigger length field is a corrupt header. */
#define ACPI_TABLE_MAX	(16u << 20)

static const void *phys(uint64_t pa)
{
	/* Hide the constant from the compiler: address 0x40e is real, not NULL+k. */
	asm("" : "+r"(pa));
	return (const void *)(uintptr_t)pa;
}

/* RSDP: multiboot2 tags first, then (BIOS) the EBDA and 0xE0000-0xFFFFF. */
static const void *find_rsdp(const struct boot_info *bi, size_t *avail)
{
	if (bi->rsdp) {
		*avail = bi->rsdp_len;
		return bi->rsdp;
	}
	if (bi->efi)
		return 0;	/* UEFI has no legacy areas to scan */
	uint64_t ebda = (uint64_t)*(const volatile uint16_t *)phys(0x40e) << 4;
	uint64_t areas[2][2] = { { ebda, ebda + 1024 }, { 0xe0000, 0x100000 } };

	for (int a = 0; a < 2; a++) {
		if (areas[a][0] < 0x400 || areas[a][1] > 0x100000)
			continue;
		for (uint64_t p = areas[a][0]; p + 20 <= areas[a][1]; p += 16) {
			if (mem_cmp(phys(p), "RSD PTR ", 8))
				continue;
			/* The extended part may run past the area; 36 is still below 1 MiB. */
			*avail = 36;
			uint64_t sdt;
			bool x;
			if (acpi_rsdp_check(phys(p), *avail, &sdt, &x) == ACPI_OK)
				return phys(p);
		}
	}
	return 0;
}

/* A table at pa, checked; NULL (and a line) when it is bad. */
static const void *table(uint64_t pa, const char *sig)
{
	uint32_t len;
	enum acpi_status st;

	if (!pa || pa + 36 > vm_identity_top()) {
		klog("acpi: table %s at 0x%lx is outside mapped memory, skipped",
		     sig ? sig : "?", pa);
		return 0;
	}
	len = acpi_sdt_length(phys(pa));
	if (len > ACPI_TABLE_MAX || pa + len > vm_identity_top())
		len = 36;	/* let the check report the bad length */
	st = acpi_sdt_check(phys(pa), len, sig);
	if (st != ACPI_OK) {
		char s[5] = { 0 };

		mem_copy(s, phys(pa), 4);
		for (int i = 0; i < 4; i++)
			if (s[i] < 32 || s[i] > 126)
				s[i] = '?';
		klog("acpi: table %s at 0x%lx: %s, skipped", s, pa,
		     acpi_strerror(st));
		return 0;
	}
	return phys(pa);
}

static void madt_cpu(void *ctx, const struct madt_cpu *c)
{
	(void)ctx;
	/* Some firmware lists a CPU as both type 0 and type 9: keep one. */
	for (unsigned i = 0; i < acpi.ncpus; i++)
		if (acpi.cpus[i].apic_id == c->apic_id)
			return;
	if (acpi.ncpus == NR_CPUS) {
		acpi.ncpus_dropped++;
		return;
	}
	acpi.cpus[acpi.ncpus++] = (struct acpi_cpu){
		.apic_id = c->apic_id, .acpi_uid = c->acpi_uid,
		.enabled = c->enabled, .online_capable = c->online_capable,
	};
}

static void srat_cpu(void *ctx, const struct srat_cpu *c)
{
	(void)ctx;
	for (unsigned i = 0; i < acpi.ncpus; i++)
		if (acpi.cpus[i].apic_id == c->apic_id)
			acpi.cpus[i].node = c->domain;
}

static void parse(const void *t)
{
	const char *sig = t;
	enum acpi_status st;

	if (!mem_cmp(sig, "APIC", 4)) {
		struct madt_info mi;

		st = acpi_madt_parse(t, &mi, madt_cpu, 0);
		if (st != ACPI_OK)
			klog("acpi: MADT: %s (%zu bad entries)%s", acpi_strerror(st),
			     mi.bad_entries, mi.stopped ? ", walk stopped" : "");
		acpi.lapic_addr = mi.lapic_addr;
		acpi.pcat_compat = mi.flags & ACPI_MADT_PCAT_COMPAT;
	} else if (!mem_cmp(sig, "HPET", 4)) {
		if (acpi_hpet_parse(t, &acpi.hpet_base) != ACPI_OK)
			acpi.hpet_base = 0;
	} else if (!mem_cmp(sig, "FACP", 4)) {
		if (acpi_fadt_pm_timer(t, &acpi.pm) != ACPI_OK)
			mem_set(&acpi.pm, 0, sizeof(acpi.pm));
	} else if (!mem_cmp(sig, "SPCR", 4)) {
		acpi.spcr = acpi_spcr_parse(t, &acpi.spcr_info) == ACPI_OK;
	}
}

void acpi_init(const struct boot_info *bi)
{
	size_t avail = 0;
	const void *rsdp = find_rsdp(bi, &avail);
	const void *sdt, *srat = 0;
	uint64_t sdt_pa;
	enum acpi_status st;

	if (!rsdp) {
		klog("acpi: no RSDP found: only the boot CPU will run");
		return;
	}
	st = acpi_rsdp_check(rsdp, avail, &sdt_pa, &acpi.xsdt);
	if (st != ACPI_OK) {
		klog("acpi: RSDP: %s", acpi_strerror(st));
		return;
	}
	acpi.revision = ((const uint8_t *)rsdp)[15];
	mem_copy(acpi.oem_id, (const char *)rsdp + 9, 6);
	sdt = table(sdt_pa, acpi.xsdt ? "XSDT" : "RSDT");
	if (!sdt)
		return;
	acpi.found = true;
	for (size_t i = 0; i < acpi_sdt_entries(sdt, acpi.xsdt); i++) {
		const void *t = table(acpi_sdt_entry(sdt, acpi.xsdt, i), 0);

		if (!t)
			continue;
		if (!mem_cmp(t, "SRAT", 4))
			srat = t;	/* after the MADT: it annotates its CPUs */
		else
			parse(t);
	}
	if (srat) {
		st = acpi_srat_parse(srat, srat_cpu, 0);
		acpi.srat = true;
		if (st != ACPI_OK)
			klog("acpi: SRAT: %s", acpi_strerror(st));
	}
	if (acpi.ncpus_dropped)
		klog("acpi: %u CPUs beyond NR_CPUS=%d ignored", acpi.ncpus_dropped,
		     NR_CPUS);
	klog("acpi: rev %u %s, %u CPUs in MADT, lapic 0x%lx, hpet 0x%lx, pm timer %s 0x%lx%s%s",
	     acpi.revision, acpi.xsdt ? "XSDT" : "RSDT", acpi.ncpus, acpi.lapic_addr,
	     acpi.hpet_base, acpi.pm.mmio ? "mmio" : "port", acpi.pm.addr,
	     acpi.srat ? ", SRAT" : "", acpi.spcr ? ", SPCR" : "");
}

/* ---- TSC references -------------------------------------------------- */

#define HPET_CAP	0x000	/* bits 63:32: period in femtoseconds */
#define HPET_CFG	0x010
#define   HPET_CFG_ENABLE	1
#define HPET_COUNTER	0x0f0

static uint64_t hpet_read(void)
{
	return *(volatile uint64_t *)(uintptr_t)(acpi.hpet_base + HPET_COUNTER);
}

static uint64_t pm_read(void)
{
	if (acpi.pm.mmio)
		return *(volatile uint32_t *)(uintptr_t)acpi.pm.addr;
	return inl((uint16_t)acpi.pm.port);
}

void acpi_register_refclocks(void)
{
	if (acpi.hpet_base && acpi.hpet_base + 0x100 <= vm_identity_top()) {
		volatile uint64_t *cfg;
		uint64_t period;

		vm_map_mmio(acpi.hpet_base, 0x400);
		period = *(volatile uint64_t *)(uintptr_t)(acpi.hpet_base + HPET_CAP) >> 32;
		cfg = (volatile uint64_t *)(uintptr_t)(acpi.hpet_base + HPET_CFG);
		/* The spec bounds the period to 100 ns; anything else is not a HPET. */
		if (period && period <= 100000000ULL) {
			*cfg |= HPET_CFG_ENABLE;
			tsc_add_refclock(&(struct refclock){
				.name = "hpet", .hz = 1000000000000000ULL / period,
				.bits = 32,	/* 32-bit HPETs exist: use the low half */
				.read = hpet_read });
		}
	}
	if (acpi.pm.port || acpi.pm.mmio) {
		if (acpi.pm.mmio)
			vm_map_mmio(acpi.pm.addr, 4);
		tsc_add_refclock(&(struct refclock){
			.name = "pmtimer", .hz = 3579545,
			.bits = acpi.pm.ext32 ? 32 : 24, .read = pm_read });
	}
}
