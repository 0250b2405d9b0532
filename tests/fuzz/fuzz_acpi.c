/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for core/acpi_tables.c. Every input is tried twice:
 * raw (the checks must reject or accept it without reading past `size`),
 * and repaired (known signature, sane length, fixed checksum) so that the
 * sub-table walkers see deep, well-formed-looking tables. Inputs live in a
 * heap block of exactly their size so ASan flags any overread.
 *
 *   clang -g -fsanitize=fuzzer,address,undefined -I. tests/fuzz/fuzz_acpi.c \
 *	core/acpi_tables.c core/str.c core/fmt.c -o fz && ./fz tests/fuzz/corpus/acpi
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/acpi_tables.h"

static const char *const sigs[] = {
	"APIC", "HPET", "FACP", "SRAT", "SPCR", "XSDT", "RSDT",
};
#define NSIGS (sizeof(sigs) / sizeof(sigs[0]))

static size_t ncb;

static void madt_cb(void *ctx, const struct madt_cpu *c)
{
	(void)ctx;
	/* Placeholder IDs must have been filtered. */
	if ((!c->x2apic_entry && c->apic_id == 0xff) ||
	    c->apic_id == 0xffffffffu ||
	    (!c->x2apic_entry && c->apic_id > 0xff))
		__builtin_trap();
	ncb++;
}

static void srat_cb(void *ctx, const struct srat_cpu *c)
{
	(void)ctx;
	(void)c;
	ncb++;
}

static void srat_mem_cb(void *ctx, const struct srat_mem *m)
{
	(void)ctx;
	(void)m;
	ncb++;
}

static void fix_sum(uint8_t *b, size_t len, size_t at)
{
	uint8_t s = 0;

	b[at] = 0;
	for (size_t i = 0; i < len; i++)
		s += b[i];
	b[at] = (uint8_t)-s;
}

/* Every parser on a table acpi_sdt_check() accepted. */
static void parse_all(const uint8_t *t)
{
	struct madt_info mi;
	struct fadt_pm pm;
	struct spcr_info si;
	enum acpi_status st;
	uint64_t base;
	size_t n;

	ncb = 0;
	st = acpi_madt_parse(t, &mi, madt_cb, NULL);
	if (st == ACPI_OK || st == ACPI_EBADENTRY) {
		if (ncb != mi.ncpus || mi.nenabled > mi.ncpus)
			__builtin_trap();
		if ((st == ACPI_OK) != (mi.bad_entries == 0))
			__builtin_trap();
		if (mi.stopped && !mi.bad_entries)
			__builtin_trap();
	}
	acpi_hpet_parse(t, &base);
	if (acpi_fadt_pm_timer(t, &pm) == ACPI_OK && pm.port > 0xffff)
		__builtin_trap();
	acpi_srat_parse(t, srat_cb, NULL);
	acpi_srat_parse(t, NULL, NULL);
	acpi_srat_parse_mem(t, srat_mem_cb, NULL);
	acpi_spcr_parse(t, &si);
	for (int x = 0; x < 2; x++) {
		n = acpi_sdt_entries(t, x);
		for (size_t i = 0; i <= n; i++)
			acpi_sdt_entry(t, x, i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	uint64_t addr;
	uint32_t len;
	bool x;
	size_t k;

	memcpy(buf, data, size);

	/* Raw. */
	acpi_rsdp_check(buf, size, &addr, &x);
	if (acpi_sdt_check(buf, size, NULL) == ACPI_OK)
		parse_all(buf);

	/* Repaired RSDP: both checksums fixed, length clamped to size. */
	if (size >= ACPI_RSDP_V1_LEN) {
		memcpy(buf, "RSD PTR ", 8);
		if (size >= sizeof(struct acpi_rsdp)) {
			memcpy(&len, buf + 20, 4);
			if (len > size)
				len = (uint32_t)size;
			memcpy(buf + 20, &len, 4);
			if (len >= 33)
				fix_sum(buf, len, 32);
		}
		fix_sum(buf, ACPI_RSDP_V1_LEN, 8);
		acpi_rsdp_check(buf, size, &addr, &x);
		memcpy(buf, data, size);
	}

	/* Repaired SDT: keep a known signature or pick one from byte 0. */
	if (size >= sizeof(struct acpi_sdt_header)) {
		for (k = 0; k < NSIGS; k++)
			if (!memcmp(buf, sigs[k], 4))
				break;
		if (k == NSIGS)
			memcpy(buf, sigs[data[0] % NSIGS], 4);
		memcpy(&len, buf + 4, 4);
		if (len < sizeof(struct acpi_sdt_header) || len > size)
			len = (uint32_t)size;
		memcpy(buf + 4, &len, 4);
		fix_sum(buf, len, 9);
		if (acpi_sdt_check(buf, size, NULL) != ACPI_OK)
			__builtin_trap();
		parse_all(buf);
	}
	free(buf);
	return 0;
}
