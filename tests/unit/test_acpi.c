/* SPDX-License-Identifier: MIT */
/*
 * Host tests for core/acpi_tables.c. Tables are built in a scratch buffer,
 * then copied into a heap block of exactly their length, so any read past
 * the end is an ASan error rather than a silent pass.
 */
#include <stdlib.h>

#include "core/acpi_tables.h"
#include "tests/unit/check.h"

/* ---- table builder -------------------------------------------------------- */

struct tb {
	uint8_t b[4096];
	size_t len;
};

static void tb_start(struct tb *t, const char *sig, uint8_t rev, size_t hdr)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, sig, 4);
	t->b[8] = rev;
	memcpy(t->b + 10, "VOLLEY", 6);
	t->len = hdr;
}

static void tb_put(struct tb *t, const void *p, size_t n)
{
	memcpy(t->b + t->len, p, n);
	t->len += n;
}

static void tb_fix_sum(uint8_t *b, size_t len, size_t at)
{
	uint8_t s = 0;

	b[at] = 0;
	for (size_t i = 0; i < len; i++)
		s += b[i];
	b[at] = (uint8_t)-s;
}

/* Write the length field (as given) and fix the checksum over len bytes. */
static void tb_finish_len(struct tb *t, uint32_t length)
{
	memcpy(t->b + 4, &length, 4);
	tb_fix_sum(t->b, t->len, 9);
}

static void tb_finish(struct tb *t)
{
	tb_finish_len(t, (uint32_t)t->len);
}

/* Heap copy of exactly n bytes; free with free(). */
static void *exact(const void *p, size_t n)
{
	void *q = malloc(n ? n : 1);

	memcpy(q, p, n);
	return q;
}

/* ---- RSDP ----------------------------------------------------------------- */

static void make_rsdp(struct acpi_rsdp *r, uint8_t rev, uint32_t rsdt,
		      uint64_t xsdt)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, "VOLLEY", 6);
	r->revision = rev;
	r->rsdt_addr = rsdt;
	r->length = sizeof(*r);
	r->xsdt_addr = xsdt;
	tb_fix_sum((uint8_t *)r, ACPI_RSDP_V1_LEN, 8);
	tb_fix_sum((uint8_t *)r, sizeof(*r), 32);
}

TEST(rsdp_v1)
{
	struct acpi_rsdp r;
	uint64_t addr = 99;
	bool x = true;
	void *p;

	make_rsdp(&r, 0, 0x7fe1234, 0);
	p = exact(&r, ACPI_RSDP_V1_LEN);
	CHECK_EQ(acpi_rsdp_check(p, ACPI_RSDP_V1_LEN, &addr, &x), ACPI_OK);
	CHECK_EQ(addr, 0x7fe1234);
	CHECK(!x);
	CHECK_EQ(acpi_rsdp_check(p, ACPI_RSDP_V1_LEN - 1, &addr, &x),
		 ACPI_ETRUNC);
	free(p);

	/* v1 ignores the v2 fields even when they are garbage. */
	r.length = 3;
	r.ext_checksum ^= 0x55;
	CHECK_EQ(acpi_rsdp_check(&r, sizeof(r), &addr, &x), ACPI_OK);

	make_rsdp(&r, 0, 0x1000, 0);
	r.oem_id[0] ^= 1;
	CHECK_EQ(acpi_rsdp_check(&r, sizeof(r), &addr, &x), ACPI_ECSUM);
	CHECK_EQ(addr, 0);

	make_rsdp(&r, 0, 0x1000, 0);
	r.signature[7] = 'X';
	CHECK_EQ(acpi_rsdp_check(&r, sizeof(r), &addr, &x), ACPI_ESIG);

	make_rsdp(&r, 0, 0, 0);
	CHECK_EQ(acpi_rsdp_check(&r, sizeof(r), &addr, &x), ACPI_EADDR);
}

TEST(rsdp_v2)
{
	struct acpi_rsdp r;
	uint64_t addr;
	bool x;
	void *p;

	make_rsdp(&r, 2, 0x1000, 0x123456789aull);
	p = exact(&r, sizeof(r));
	CHECK_EQ(acpi_rsdp_check(p, sizeof(r), &addr, &x), ACPI_OK);
	CHECK_EQ(addr, 0x123456789aull);
	CHECK(x);
	/* Only the v1 part mapped: cannot see the length, so truncated. */
	CHECK_EQ(acpi_rsdp_check(p, ACPI_RSDP_V1_LEN, &addr, &x), ACPI_ETRUNC);
	CHECK_EQ(acpi_rsdp_check(p, sizeof(r) - 1, &addr, &x), ACPI_ETRUNC);
	free(p);

	/* Extended checksum covers the XSDT address. */
	make_rsdp(&r, 2, 0x1000, 0x2000);
	r.xsdt_addr = 0x3000;
	CHECK_EQ(acpi_rsdp_check(&r, sizeof(r), &addr, &x), ACPI_ECSUM);
	CHECK_EQ(addr, 0);
	CHECK(!x);

	/* No XSDT: fall back to the RSDT. */
	make_rsdp(&r, 2, 0x1000, 0);
	CHECK_EQ(acpi_rsdp_check(&r, sizeof(r), &addr, &x), ACPI_OK);
	CHECK_EQ(addr, 0x1000);
	CHECK(!x);

	make_rsdp(&r, 2, 0, 0);
	CHECK_EQ(acpi_rsdp_check(&r, sizeof(r), &addr, &x), ACPI_EADDR);

	/* Bad length field. */
	make_rsdp(&r, 2, 0x1000, 0x2000);
	r.length = 20;
	tb_fix_sum((uint8_t *)&r, sizeof(r), 32);
	CHECK_EQ(acpi_rsdp_check(&r, sizeof(r), &addr, &x), ACPI_ELEN);
	r.length = 40;	/* says more than is mapped */
	CHECK_EQ(acpi_rsdp_check(&r, sizeof(r), &addr, &x), ACPI_ETRUNC);
}

/* ---- SDT header, RSDT, XSDT ------------------------------------------------- */

TEST(sdt_check)
{
	struct tb t;
	uint8_t pad[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	void *p;

	tb_start(&t, "TEST", 1, 36);
	tb_put(&t, pad, sizeof(pad));
	tb_finish(&t);
	p = exact(t.b, t.len);
	CHECK_EQ(acpi_sdt_check(p, t.len, "TEST"), ACPI_OK);
	CHECK_EQ(acpi_sdt_check(p, t.len, NULL), ACPI_OK);
	CHECK_EQ(acpi_sdt_check(p, t.len, "APIC"), ACPI_ESIG);
	CHECK_EQ(acpi_sdt_check(p, t.len - 1, "TEST"), ACPI_ETRUNC);
	CHECK_EQ(acpi_sdt_check(p, 35, NULL), ACPI_ETRUNC);
	CHECK_EQ(acpi_sdt_length(p), 44);
	free(p);

	/* A flipped byte at the very end breaks the checksum. */
	t.b[43] ^= 0x80;
	CHECK_EQ(acpi_sdt_check(t.b, t.len, "TEST"), ACPI_ECSUM);
	t.b[43] ^= 0x80;
	/* The checksum covers `length` bytes, not what is available. */
	t.b[44] = 0x33;
	CHECK_EQ(acpi_sdt_check(t.b, 100, "TEST"), ACPI_OK);

	tb_finish_len(&t, 35);
	CHECK_EQ(acpi_sdt_check(t.b, t.len, NULL), ACPI_ELEN);
	tb_finish_len(&t, 0);
	CHECK_EQ(acpi_sdt_check(t.b, t.len, NULL), ACPI_ELEN);
	tb_finish_len(&t, 0xffffffffu);
	CHECK_EQ(acpi_sdt_check(t.b, t.len, NULL), ACPI_ETRUNC);
}

TEST(rsdt_xsdt_entries)
{
	struct tb t;
	uint64_t x[3] = { 0x1122334455667788ull, 0xfee00000ull, 0x100000000ull };
	uint32_t r[2] = { 0xdeadbee0, 0x7fff0000 };
	uint8_t *odd;

	tb_start(&t, "XSDT", 1, 36);
	tb_put(&t, x, sizeof(x));
	tb_finish(&t);
	/* Place it at an odd address so the 8-byte entries are misaligned. */
	odd = malloc(t.len + 1);
	memcpy(odd + 1, t.b, t.len);
	CHECK_EQ(acpi_sdt_check(odd + 1, t.len, "XSDT"), ACPI_OK);
	CHECK_EQ(acpi_sdt_entries(odd + 1, true), 3);
	CHECK(acpi_sdt_entry(odd + 1, true, 0) == x[0]);
	CHECK(acpi_sdt_entry(odd + 1, true, 1) == x[1]);
	CHECK(acpi_sdt_entry(odd + 1, true, 2) == x[2]);
	CHECK(acpi_sdt_entry(odd + 1, true, 3) == 0);
	CHECK(acpi_sdt_entry(odd + 1, true, (size_t)-1) == 0);
	free(odd);

	/* A trailing partial entry is not an entry. */
	tb_start(&t, "XSDT", 1, 36);
	tb_put(&t, x, 12);
	tb_finish(&t);
	odd = exact(t.b, t.len);
	CHECK_EQ(acpi_sdt_entries(odd, true), 1);
	CHECK(acpi_sdt_entry(odd, true, 1) == 0);
	free(odd);

	tb_start(&t, "RSDT", 1, 36);
	tb_put(&t, r, sizeof(r));
	tb_finish(&t);
	odd = exact(t.b, t.len);
	CHECK_EQ(acpi_sdt_entries(odd, false), 2);
	CHECK_EQ(acpi_sdt_entry(odd, false, 0), 0xdeadbee0u);
	CHECK_EQ(acpi_sdt_entry(odd, false, 1), 0x7fff0000u);
	CHECK_EQ(acpi_sdt_entry(odd, false, 2), 0);
	free(odd);

	/* Empty table and a nonsense header length. */
	tb_start(&t, "RSDT", 1, 36);
	tb_finish(&t);
	CHECK_EQ(acpi_sdt_entries(t.b, false), 0);
	tb_finish_len(&t, 10);
	CHECK_EQ(acpi_sdt_entries(t.b, true), 0);
	CHECK_EQ(acpi_sdt_entry(t.b, true, 0), 0);
}

/* ---- MADT ------------------------------------------------------------------- */

#define MAXCPUS 32
struct cpus {
	size_t n;
	struct madt_cpu c[MAXCPUS];
};

static void collect(void *ctx, const struct madt_cpu *c)
{
	struct cpus *l = ctx;

	if (l->n < MAXCPUS)
		l->c[l->n] = *c;
	l->n++;
}

static void madt_start(struct tb *t, uint32_t lapic, uint32_t flags)
{
	tb_start(t, "APIC", 5, 36);
	tb_put(t, &lapic, 4);
	tb_put(t, &flags, 4);
}

static void put_lapic(struct tb *t, uint8_t uid, uint8_t id, uint32_t flags)
{
	struct acpi_madt_lapic e = { { ACPI_MADT_LAPIC, 8 }, uid, id, flags };

	tb_put(t, &e, sizeof(e));
}

static void put_x2apic(struct tb *t, uint32_t uid, uint32_t id, uint32_t flags)
{
	struct acpi_madt_x2apic e = { { ACPI_MADT_X2APIC, 16 }, 0, id, flags,
				      uid };

	tb_put(t, &e, sizeof(e));
}

/* Check, copy exactly, parse. */
static enum acpi_status madt_run(struct tb *t, struct madt_info *info,
				 struct cpus *l)
{
	enum acpi_status st;
	void *p = exact(t->b, t->len);

	memset(l, 0, sizeof(*l));
	st = acpi_sdt_check(p, t->len, "APIC");
	if (st == ACPI_OK)
		st = acpi_madt_parse(p, info, collect, l);
	free(p);
	return st;
}

TEST(madt_mixed_entries)
{
	struct acpi_madt_ioapic io = { { ACPI_MADT_IOAPIC, 12 }, 8, 0,
				       0xfec00000, 0 };
	struct acpi_madt_iso iso = { { ACPI_MADT_ISO, 10 }, 0, 0, 2, 0 };
	struct acpi_madt_lapic_nmi nmi = { { ACPI_MADT_LAPIC_NMI, 6 }, 0xff,
					   5, 1 };
	struct acpi_madt_x2apic_nmi xnmi = { { ACPI_MADT_X2APIC_NMI, 12 }, 5,
					     0xffffffff, 1, { 0 } };
	struct madt_info info;
	struct cpus l;
	struct tb t;

	madt_start(&t, 0xfee00000, ACPI_MADT_PCAT_COMPAT);
	put_lapic(&t, 0, 0, ACPI_MADT_ENABLED);
	tb_put(&t, &io, sizeof(io));
	put_lapic(&t, 1, 2, ACPI_MADT_ENABLED);		/* sparse: id 1 missing */
	tb_put(&t, &iso, sizeof(iso));
	put_lapic(&t, 2, 6, 0);				/* disabled, not capable */
	put_lapic(&t, 3, 7, ACPI_MADT_ONLINE_CAPABLE);	/* hot-pluggable */
	tb_put(&t, &nmi, sizeof(nmi));
	put_x2apic(&t, 300, 0x100, ACPI_MADT_ENABLED);
	put_x2apic(&t, 301, 0xfffffffe, ACPI_MADT_ENABLED | ACPI_MADT_ONLINE_CAPABLE);
	tb_put(&t, &xnmi, sizeof(xnmi));
	tb_put(&t, &io, sizeof(io));
	tb_finish(&t);

	CHECK_EQ(madt_run(&t, &info, &l), ACPI_OK);
	CHECK_EQ(info.lapic_addr, 0xfee00000);
	CHECK_EQ(info.flags, ACPI_MADT_PCAT_COMPAT);
	CHECK_EQ(info.ncpus, 6);
	CHECK_EQ(info.nenabled, 4);
	CHECK_EQ(info.nioapic, 2);
	CHECK_EQ(info.bad_entries, 0);
	CHECK(!info.stopped);
	CHECK_EQ(l.n, 6);
	CHECK_EQ(l.c[0].apic_id, 0);
	CHECK(l.c[0].enabled && !l.c[0].online_capable && !l.c[0].x2apic_entry);
	CHECK_EQ(l.c[1].apic_id, 2);
	CHECK_EQ(l.c[1].acpi_uid, 1);
	CHECK_EQ(l.c[2].apic_id, 6);
	CHECK(!l.c[2].enabled && !l.c[2].online_capable);
	CHECK_EQ(l.c[3].apic_id, 7);
	CHECK(!l.c[3].enabled && l.c[3].online_capable);
	CHECK_EQ(l.c[4].apic_id, 0x100);
	CHECK_EQ(l.c[4].acpi_uid, 300);
	CHECK(l.c[4].enabled && l.c[4].x2apic_entry);
	CHECK_EQ(l.c[5].apic_id, 0xfffffffe);
	CHECK(l.c[5].enabled && l.c[5].online_capable && l.c[5].x2apic_entry);

	/* A NULL callback still counts. */
	{
		void *p = exact(t.b, t.len);

		CHECK_EQ(acpi_madt_parse(p, &info, NULL, NULL), ACPI_OK);
		CHECK_EQ(info.ncpus, 6);
		free(p);
	}
}

TEST(madt_lapic_override)
{
	struct acpi_madt_lapic_override o = { { ACPI_MADT_LAPIC_OVERRIDE, 12 },
					      0, 0x123400000000ull };
	struct madt_info info;
	struct cpus l;
	struct tb t;

	madt_start(&t, 0xfee00000, 0);
	put_lapic(&t, 0, 0, 1);
	tb_put(&t, &o, sizeof(o));
	tb_finish(&t);
	CHECK_EQ(madt_run(&t, &info, &l), ACPI_OK);
	CHECK(info.lapic_addr == 0x123400000000ull);
	CHECK_EQ(info.flags, 0);

	/* A short override is ignored and reported. */
	madt_start(&t, 0xfee00000, 0);
	o.e.length = 11;
	tb_put(&t, &o, 11);
	put_lapic(&t, 0, 0, 1);
	tb_finish(&t);
	CHECK_EQ(madt_run(&t, &info, &l), ACPI_EBADENTRY);
	CHECK_EQ(info.lapic_addr, 0xfee00000);
	CHECK_EQ(info.bad_entries, 1);
	CHECK(!info.stopped);
	CHECK_EQ(l.n, 1);
}

TEST(madt_unknown_types_skipped)
{
	uint8_t gicc[80] = { 0xb, 80 };
	uint8_t odd[3] = { 0x7f, 3, 0xaa };
	uint8_t sapic[16] = { 7, 16 };
	struct madt_info info;
	struct cpus l;
	struct tb t;

	madt_start(&t, 0xfee00000, 0);
	tb_put(&t, gicc, sizeof(gicc));
	put_lapic(&t, 0, 1, 1);
	tb_put(&t, odd, sizeof(odd));
	tb_put(&t, sapic, sizeof(sapic));
	put_x2apic(&t, 1, 2, 1);
	tb_finish(&t);
	CHECK_EQ(madt_run(&t, &info, &l), ACPI_OK);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(l.c[0].apic_id, 1);
	CHECK_EQ(l.c[1].apic_id, 2);
	CHECK_EQ(info.bad_entries, 0);
}

TEST(madt_entry_length_zero_stops)
{
	uint8_t zero[2] = { ACPI_MADT_LAPIC, 0 };
	uint8_t one[2] = { 0x42, 1 };
	struct madt_info info;
	struct cpus l;
	struct tb t;

	madt_start(&t, 0xfee00000, 0);
	put_lapic(&t, 0, 0, 1);
	tb_put(&t, zero, 2);
	put_lapic(&t, 1, 1, 1);	/* unreachable */
	tb_finish(&t);
	CHECK_EQ(madt_run(&t, &info, &l), ACPI_EBADENTRY);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(info.ncpus, 1);
	CHECK_EQ(info.bad_entries, 1);
	CHECK(info.stopped);

	madt_start(&t, 0xfee00000, 0);
	tb_put(&t, one, 2);
	put_lapic(&t, 1, 1, 1);
	tb_finish(&t);
	CHECK_EQ(madt_run(&t, &info, &l), ACPI_EBADENTRY);
	CHECK_EQ(l.n, 0);
	CHECK(info.stopped);
}

TEST(madt_entry_past_end_stops)
{
	struct madt_info info;
	struct cpus l;
	struct tb t;

	/* x2APIC entry claims 16 bytes, only 10 are in the table. */
	madt_start(&t, 0xfee00000, 0);
	put_lapic(&t, 0, 3, 1);
	put_x2apic(&t, 1, 4, 1);
	t.len -= 6;
	tb_finish(&t);
	CHECK_EQ(madt_run(&t, &info, &l), ACPI_EBADENTRY);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(l.c[0].apic_id, 3);
	CHECK(info.stopped);

	/* One stray byte at the end: no room for an entry header. */
	madt_start(&t, 0xfee00000, 0);
	put_lapic(&t, 0, 3, 1);
	t.b[t.len++] = ACPI_MADT_LAPIC;
	tb_finish(&t);
	CHECK_EQ(madt_run(&t, &info, &l), ACPI_EBADENTRY);
	CHECK_EQ(l.n, 1);
	CHECK(info.stopped);
	CHECK_EQ(info.bad_entries, 1);

	/* Length 255 on the last entry. */
	madt_start(&t, 0xfee00000, 0);
	put_lapic(&t, 0, 3, 1);
	t.b[t.len - 7] = 255;
	tb_finish(&t);
	CHECK_EQ(madt_run(&t, &info, &l), ACPI_EBADENTRY);
	CHECK_EQ(l.n, 0);
}

TEST(madt_wrong_length_known_types)
{
	uint8_t short_lapic[6] = { ACPI_MADT_LAPIC, 6, 0, 9, 1, 0 };
	uint8_t short_ioapic[8] = { ACPI_MADT_IOAPIC, 8 };
	uint8_t short_x2[12] = { ACPI_MADT_X2APIC, 12 };
	uint8_t short_nmi[4] = { ACPI_MADT_LAPIC_NMI, 4 };
	uint8_t short_iso[9] = { ACPI_MADT_ISO, 9 };
	uint8_t short_xnmi[11] = { ACPI_MADT_X2APIC_NMI, 11 };
	uint8_t long_lapic[12] = { ACPI_MADT_LAPIC, 12, 5, 42, 1, 0, 0, 0,
				   0xee, 0xee, 0xee, 0xee };
	struct madt_info info;
	struct cpus l;
	struct tb t;

	madt_start(&t, 0xfee00000, 0);
	tb_put(&t, short_lapic, sizeof(short_lapic));
	tb_put(&t, short_ioapic, sizeof(short_ioapic));
	tb_put(&t, short_x2, sizeof(short_x2));
	tb_put(&t, short_nmi, sizeof(short_nmi));
	tb_put(&t, short_iso, sizeof(short_iso));
	tb_put(&t, short_xnmi, sizeof(short_xnmi));
	tb_put(&t, long_lapic, sizeof(long_lapic));	/* longer: accepted */
	put_lapic(&t, 6, 43, 1);
	tb_finish(&t);
	CHECK_EQ(madt_run(&t, &info, &l), ACPI_EBADENTRY);
	CHECK_EQ(info.bad_entries, 6);
	CHECK(!info.stopped);
	CHECK_EQ(info.nioapic, 0);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(l.c[0].apic_id, 42);
	CHECK_EQ(l.c[0].acpi_uid, 5);
	CHECK_EQ(l.c[1].apic_id, 43);
}

TEST(madt_placeholder_ids_skipped)
{
	struct madt_info info;
	struct cpus l;
	struct tb t;

	madt_start(&t, 0xfee00000, 0);
	put_lapic(&t, 0, 0xff, 0);
	put_lapic(&t, 1, 0xfe, 1);
	put_x2apic(&t, 2, 0xffffffff, 0);
	put_x2apic(&t, 3, 0xff, 1);	/* 0xff is a real x2APIC ID */
	tb_finish(&t);
	CHECK_EQ(madt_run(&t, &info, &l), ACPI_OK);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(l.c[0].apic_id, 0xfe);
	CHECK_EQ(l.c[1].apic_id, 0xff);
	CHECK(l.c[1].x2apic_entry);
}

TEST(madt_bad_tables)
{
	struct madt_info info;
	struct cpus l;
	struct tb t;
	void *p;

	/* Bad checksum and truncation are caught by the check. */
	madt_start(&t, 0xfee00000, 0);
	put_lapic(&t, 0, 0, 1);
	tb_finish(&t);
	t.b[t.len - 1] ^= 1;
	CHECK_EQ(madt_run(&t, &info, &l), ACPI_ECSUM);
	t.b[t.len - 1] ^= 1;
	p = exact(t.b, t.len - 4);
	CHECK_EQ(acpi_sdt_check(p, t.len - 4, "APIC"), ACPI_ETRUNC);
	free(p);

	/* Header too short to hold the MADT fields. */
	tb_start(&t, "APIC", 1, 40);
	tb_finish(&t);
	p = exact(t.b, t.len);
	CHECK_EQ(acpi_sdt_check(p, t.len, "APIC"), ACPI_OK);
	CHECK_EQ(acpi_madt_parse(p, &info, collect, &l), ACPI_ELEN);
	free(p);

	/* Not an MADT. */
	madt_start(&t, 0xfee00000, 0);
	memcpy(t.b, "APIX", 4);
	tb_finish(&t);
	CHECK_EQ(acpi_madt_parse(t.b, &info, collect, &l), ACPI_ESIG);

	/* Empty MADT is fine. */
	madt_start(&t, 0xfee00000, 1);
	tb_finish(&t);
	CHECK_EQ(madt_run(&t, &info, &l), ACPI_OK);
	CHECK_EQ(info.ncpus, 0);
	CHECK_EQ(info.flags, 1);
}

/* ---- HPET ------------------------------------------------------------------- */

static void make_hpet(struct tb *t, uint8_t space, uint64_t addr)
{
	struct acpi_hpet h;

	memset(&h, 0, sizeof(h));
	tb_start(t, "HPET", 1, 36);
	h.block_id = 0x8086a201;
	h.base.space_id = space;
	h.base.bit_width = 64;
	h.base.address = addr;
	tb_put(t, (uint8_t *)&h + 36, sizeof(h) - 36);
	tb_finish(t);
}

TEST(hpet)
{
	uint64_t base = 1;
	struct tb t;
	void *p;

	make_hpet(&t, ACPI_GAS_MEM, 0xfed00000);
	CHECK_EQ(t.len, 56);
	p = exact(t.b, t.len);
	CHECK_EQ(acpi_sdt_check(p, t.len, "HPET"), ACPI_OK);
	CHECK_EQ(acpi_hpet_parse(p, &base), ACPI_OK);
	CHECK_EQ(base, 0xfed00000);
	free(p);

	make_hpet(&t, ACPI_GAS_IO, 0xfed00000);
	CHECK_EQ(acpi_hpet_parse(t.b, &base), ACPI_EADDR);
	CHECK_EQ(base, 0);
	make_hpet(&t, ACPI_GAS_MEM, 0);
	CHECK_EQ(acpi_hpet_parse(t.b, &base), ACPI_EADDR);

	make_hpet(&t, ACPI_GAS_MEM, 0xfed00000);
	t.len = 55;
	tb_finish(&t);
	p = exact(t.b, t.len);
	CHECK_EQ(acpi_hpet_parse(p, &base), ACPI_ELEN);
	free(p);
	memcpy(t.b, "HPEU", 4);
	CHECK_EQ(acpi_hpet_parse(t.b, &base), ACPI_ESIG);
}

/* ---- FADT ------------------------------------------------------------------- */

/* A full 276-byte FADT in t.b; callers shorten it with fadt_len(). */
static void make_fadt(struct tb *t, uint32_t port, uint32_t flags,
		      uint8_t xspace, uint64_t xaddr)
{
	struct acpi_fadt f;

	memset(&f, 0, sizeof(f));
	f.pm_tmr_blk = port;
	f.pm_tmr_len = port ? 4 : 0;
	f.flags = flags;
	f.x_pm_tmr_blk.space_id = xspace;
	f.x_pm_tmr_blk.bit_width = 32;
	f.x_pm_tmr_blk.address = xaddr;
	tb_start(t, "FACP", 6, 36);
	tb_put(t, (uint8_t *)&f + 36, sizeof(f) - 36);
	tb_finish(t);
}

/* Cut to len bytes (fields after it stay in the scratch buffer only). */
static enum acpi_status fadt_run(struct tb *t, uint32_t len, struct fadt_pm *pm)
{
	enum acpi_status st;
	void *p;

	t->len = len;
	tb_finish(t);
	p = exact(t->b, len);
	st = acpi_sdt_check(p, len, "FACP");
	if (st == ACPI_OK)
		st = acpi_fadt_pm_timer(p, pm);
	free(p);
	return st;
}

TEST(fadt_long_prefers_x_block)
{
	struct fadt_pm pm;
	struct tb t;

	make_fadt(&t, 0x608, ACPI_FADT_TMR_VAL_EXT, ACPI_GAS_IO, 0x1808);
	CHECK_EQ(fadt_run(&t, 276, &pm), ACPI_OK);
	CHECK_EQ(pm.port, 0x1808);
	CHECK_EQ(pm.addr, 0x1808);
	CHECK(!pm.mmio);
	CHECK(pm.ext32);

	make_fadt(&t, 0x608, 0, ACPI_GAS_MEM, 0xfe000008);
	CHECK_EQ(fadt_run(&t, 244, &pm), ACPI_OK);	/* ACPI 3.0 length */
	CHECK(pm.mmio);
	CHECK_EQ(pm.addr, 0xfe000008);
	CHECK_EQ(pm.port, 0);
	CHECK(!pm.ext32);

	/* X block zero, or an I/O address wider than 16 bits: legacy port. */
	make_fadt(&t, 0x608, 0, ACPI_GAS_IO, 0);
	CHECK_EQ(fadt_run(&t, 276, &pm), ACPI_OK);
	CHECK_EQ(pm.port, 0x608);
	CHECK(!pm.mmio);
	make_fadt(&t, 0x608, 0, ACPI_GAS_IO, 0x10000);
	CHECK_EQ(fadt_run(&t, 276, &pm), ACPI_OK);
	CHECK_EQ(pm.port, 0x608);
	make_fadt(&t, 0x608, 0, 3 /* PCI config */, 0x1808);
	CHECK_EQ(fadt_run(&t, 276, &pm), ACPI_OK);
	CHECK_EQ(pm.port, 0x608);

	/* Hardware-reduced: no PM timer whatever the fields say. */
	make_fadt(&t, 0x608, ACPI_FADT_HW_REDUCED | ACPI_FADT_TMR_VAL_EXT,
		  ACPI_GAS_IO, 0x1808);
	CHECK_EQ(fadt_run(&t, 276, &pm), ACPI_OK);
	CHECK_EQ(pm.port, 0);
	CHECK(!pm.mmio);
	CHECK_EQ(pm.addr, 0);

	/* Nothing at all. */
	make_fadt(&t, 0, 0, 0, 0);
	CHECK_EQ(fadt_run(&t, 276, &pm), ACPI_OK);
	CHECK_EQ(pm.port, 0);
	CHECK(!pm.mmio);
}

TEST(fadt_short_revisions)
{
	struct fadt_pm pm;
	struct tb t;

	/* ACPI 1.0: 116 bytes; the X block lies beyond and must be ignored. */
	make_fadt(&t, 0xb008, ACPI_FADT_TMR_VAL_EXT, ACPI_GAS_IO, 0x1808);
	CHECK_EQ(fadt_run(&t, 116, &pm), ACPI_OK);
	CHECK_EQ(pm.port, 0xb008);
	CHECK(pm.ext32);
	CHECK(!pm.mmio);

	/* Ends inside the X block: not read. */
	make_fadt(&t, 0xb008, 0, ACPI_GAS_MEM, 0xfe000000);
	CHECK_EQ(fadt_run(&t, 219, &pm), ACPI_OK);
	CHECK_EQ(pm.port, 0xb008);
	CHECK(!pm.mmio);

	/* Ends before the flags: 24-bit assumed, hw-reduced bit not seen. */
	make_fadt(&t, 0xb008, ACPI_FADT_TMR_VAL_EXT | ACPI_FADT_HW_REDUCED,
		  0, 0);
	CHECK_EQ(fadt_run(&t, 112, &pm), ACPI_OK);
	CHECK_EQ(pm.port, 0xb008);
	CHECK(!pm.ext32);
	CHECK_EQ(fadt_run(&t, 80, &pm), ACPI_OK);
	CHECK_EQ(pm.port, 0xb008);

	/* Ends before PM_TMR_BLK: no timer. */
	make_fadt(&t, 0xb008, 0, 0, 0);
	CHECK_EQ(fadt_run(&t, 79, &pm), ACPI_OK);
	CHECK_EQ(pm.port, 0);
	CHECK_EQ(fadt_run(&t, 36, &pm), ACPI_OK);
	CHECK_EQ(pm.port, 0);

	make_fadt(&t, 0xb008, 0, 0, 0);
	memcpy(t.b, "FADT", 4);
	tb_finish(&t);
	CHECK_EQ(acpi_fadt_pm_timer(t.b, &pm), ACPI_ESIG);
}

/* ---- SRAT ------------------------------------------------------------------- */

struct srat_log {
	size_t ncpu, nmem;
	struct srat_cpu c[8];
	struct srat_mem m[8];
};

static void srat_cpu_cb(void *ctx, const struct srat_cpu *c)
{
	struct srat_log *l = ctx;

	if (l->ncpu < 8)
		l->c[l->ncpu] = *c;
	l->ncpu++;
}

static void srat_mem_cb(void *ctx, const struct srat_mem *m)
{
	struct srat_log *l = ctx;

	if (l->nmem < 8)
		l->m[l->nmem] = *m;
	l->nmem++;
}

static void srat_start(struct tb *t)
{
	uint8_t rsv[12] = { 1 };

	tb_start(t, "SRAT", 3, 36);
	tb_put(t, rsv, sizeof(rsv));
}

static void put_srat_cpu(struct tb *t, uint8_t id, uint32_t dom, uint32_t fl)
{
	struct acpi_srat_cpu e = {
		{ ACPI_SRAT_CPU, 16 }, (uint8_t)dom, id, fl, 0,
		{ (uint8_t)(dom >> 8), (uint8_t)(dom >> 16), (uint8_t)(dom >> 24) },
		0
	};

	tb_put(t, &e, sizeof(e));
}

static void put_srat_x2(struct tb *t, uint32_t id, uint32_t dom, uint32_t fl)
{
	struct acpi_srat_x2apic e = { { ACPI_SRAT_X2APIC, 24 }, 0, dom, id,
				      fl, 0, 0 };

	tb_put(t, &e, sizeof(e));
}

static void put_srat_mem(struct tb *t, uint64_t base, uint64_t len,
			 uint32_t dom, uint32_t fl)
{
	struct acpi_srat_mem e = { { ACPI_SRAT_MEM, 40 }, dom, 0, base, len,
				   0, fl, 0 };

	tb_put(t, &e, sizeof(e));
}

static enum acpi_status srat_run(struct tb *t, struct srat_log *l)
{
	enum acpi_status st, st2;
	void *p = exact(t->b, t->len);

	memset(l, 0, sizeof(*l));
	st = acpi_sdt_check(p, t->len, "SRAT");
	if (st == ACPI_OK) {
		st = acpi_srat_parse(p, srat_cpu_cb, l);
		st2 = acpi_srat_parse_mem(p, srat_mem_cb, l);
		CHECK_EQ(st, st2);
	}
	free(p);
	return st;
}

TEST(srat_entries)
{
	struct srat_log l;
	uint8_t gicc[18] = { 3, 18 };
	struct tb t;

	srat_start(&t);
	put_srat_cpu(&t, 0, 0, ACPI_SRAT_ENABLED);
	put_srat_mem(&t, 0, 0xa0000, 0, ACPI_SRAT_ENABLED);
	put_srat_cpu(&t, 1, 0x04030201, ACPI_SRAT_ENABLED);
	put_srat_cpu(&t, 2, 1, 0);			/* disabled */
	tb_put(&t, gicc, sizeof(gicc));			/* unknown type */
	put_srat_x2(&t, 0x1234, 7, ACPI_SRAT_ENABLED);
	put_srat_x2(&t, 0x1235, 7, 0);			/* disabled */
	put_srat_mem(&t, 0x100000000ull, 0x40000000ull, 1,
		     ACPI_SRAT_ENABLED | ACPI_SRAT_MEM_HOTPLUG |
		     ACPI_SRAT_MEM_NONVOL);
	put_srat_mem(&t, 0x200000000ull, 0x1000, 2, 0);	/* disabled */
	tb_finish(&t);

	CHECK_EQ(srat_run(&t, &l), ACPI_OK);
	CHECK_EQ(l.ncpu, 3);
	CHECK_EQ(l.c[0].apic_id, 0);
	CHECK_EQ(l.c[0].domain, 0);
	CHECK_EQ(l.c[1].apic_id, 1);
	CHECK_EQ(l.c[1].domain, 0x04030201);
	CHECK_EQ(l.c[2].apic_id, 0x1234);
	CHECK_EQ(l.c[2].domain, 7);
	CHECK_EQ(l.nmem, 2);
	CHECK_EQ(l.m[0].base, 0);
	CHECK_EQ(l.m[0].length, 0xa0000);
	CHECK(!l.m[0].hotplug && !l.m[0].nonvolatile);
	CHECK(l.m[1].base == 0x100000000ull);
	CHECK(l.m[1].length == 0x40000000ull);
	CHECK_EQ(l.m[1].domain, 1);
	CHECK(l.m[1].hotplug && l.m[1].nonvolatile);
}

TEST(srat_malformed)
{
	uint8_t short_cpu[12] = { ACPI_SRAT_CPU, 12, 0, 9, 1 };
	uint8_t short_x2[20] = { ACPI_SRAT_X2APIC, 20 };
	uint8_t zero[2] = { ACPI_SRAT_MEM, 0 };
	struct srat_log l;
	struct tb t;
	void *p;

	srat_start(&t);
	tb_put(&t, short_cpu, sizeof(short_cpu));
	tb_put(&t, short_x2, sizeof(short_x2));
	put_srat_cpu(&t, 5, 1, ACPI_SRAT_ENABLED);
	tb_finish(&t);
	CHECK_EQ(srat_run(&t, &l), ACPI_EBADENTRY);
	CHECK_EQ(l.ncpu, 1);
	CHECK_EQ(l.c[0].apic_id, 5);

	srat_start(&t);
	put_srat_cpu(&t, 5, 1, ACPI_SRAT_ENABLED);
	tb_put(&t, zero, sizeof(zero));
	put_srat_cpu(&t, 6, 1, ACPI_SRAT_ENABLED);
	tb_finish(&t);
	CHECK_EQ(srat_run(&t, &l), ACPI_EBADENTRY);
	CHECK_EQ(l.ncpu, 1);

	/* Memory entry running past the end. */
	srat_start(&t);
	put_srat_mem(&t, 0, 0x1000, 0, ACPI_SRAT_ENABLED);
	t.len -= 1;
	tb_finish(&t);
	CHECK_EQ(srat_run(&t, &l), ACPI_EBADENTRY);
	CHECK_EQ(l.nmem, 0);

	/* Header shorter than the SRAT fields. */
	tb_start(&t, "SRAT", 3, 44);
	tb_finish(&t);
	p = exact(t.b, t.len);
	CHECK_EQ(acpi_srat_parse(p, srat_cpu_cb, &l), ACPI_ELEN);
	CHECK_EQ(acpi_srat_parse_mem(p, NULL, NULL), ACPI_ELEN);
	free(p);
	memcpy(t.b, "SRAU", 4);
	CHECK_EQ(acpi_srat_parse(t.b, NULL, NULL), ACPI_ESIG);
}

/* ---- SPCR ------------------------------------------------------------------- */

static void make_spcr(struct tb *t, uint8_t rev, uint8_t space, uint64_t addr,
		      uint8_t code, uint32_t precise)
{
	struct acpi_spcr s;

	memset(&s, 0, sizeof(s));
	s.interface_type = 0;
	s.base.space_id = space;
	s.base.bit_width = 8;
	s.base.access_size = 1;
	s.base.address = addr;
	s.baud_code = code;
	s.precise_baud = precise;
	tb_start(t, "SPCR", rev, 36);
	tb_put(t, (uint8_t *)&s + 36, sizeof(s) - 36);
	tb_finish(t);
}

static enum acpi_status spcr_run(struct tb *t, uint32_t len,
				 struct spcr_info *si)
{
	enum acpi_status st;
	void *p;

	t->len = len;
	tb_finish(t);
	p = exact(t->b, len);
	st = acpi_sdt_check(p, len, "SPCR");
	if (st == ACPI_OK)
		st = acpi_spcr_parse(p, si);
	free(p);
	return st;
}

TEST(spcr)
{
	static const struct { uint8_t code; uint32_t baud; } codes[] = {
		{ 0, 0 }, { 3, 9600 }, { 4, 19200 }, { 5, 0 }, { 6, 57600 },
		{ 7, 115200 }, { 8, 0 }, { 255, 0 },
	};
	struct spcr_info si;
	struct tb t;

	make_spcr(&t, 2, ACPI_GAS_IO, 0x3f8, 7, 0);
	CHECK_EQ(spcr_run(&t, 80, &si), ACPI_OK);
	CHECK_EQ(si.space, ACPI_GAS_IO);
	CHECK_EQ(si.addr, 0x3f8);
	CHECK_EQ(si.baud, 115200);
	CHECK_EQ(si.iftype, 0);
	CHECK_EQ(si.access_size, 1);

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		make_spcr(&t, 2, ACPI_GAS_IO, 0x2f8, codes[i].code, 0);
		CHECK_EQ(spcr_run(&t, 80, &si), ACPI_OK);
		CHECK_EQ(si.baud, codes[i].baud);
	}

	/* Revision 4: the precise rate wins when nonzero. */
	make_spcr(&t, 4, ACPI_GAS_MEM, 0xfe030000ull, 7, 1500000);
	CHECK_EQ(spcr_run(&t, 84, &si), ACPI_OK);
	CHECK_EQ(si.space, ACPI_GAS_MEM);
	CHECK_EQ(si.addr, 0xfe030000ull);
	CHECK_EQ(si.baud, 1500000);
	make_spcr(&t, 4, ACPI_GAS_MEM, 0xfe030000ull, 6, 0);
	CHECK_EQ(spcr_run(&t, 84, &si), ACPI_OK);
	CHECK_EQ(si.baud, 57600);
	/* Revision 2 with junk where rev 4 keeps the precise rate: ignored. */
	make_spcr(&t, 2, ACPI_GAS_IO, 0x3f8, 4, 1500000);
	CHECK_EQ(spcr_run(&t, 84, &si), ACPI_OK);
	CHECK_EQ(si.baud, 19200);
	/* Revision 4 claimed but the table ends at 80: not read. */
	make_spcr(&t, 4, ACPI_GAS_IO, 0x3f8, 4, 1500000);
	CHECK_EQ(spcr_run(&t, 80, &si), ACPI_OK);
	CHECK_EQ(si.baud, 19200);

	make_spcr(&t, 2, ACPI_GAS_IO, 0, 7, 0);
	CHECK_EQ(spcr_run(&t, 80, &si), ACPI_EADDR);
	make_spcr(&t, 2, 2 /* PCI config */, 0x3f8, 7, 0);
	CHECK_EQ(spcr_run(&t, 80, &si), ACPI_EADDR);
	CHECK_EQ(si.addr, 0x3f8);	/* still filled */
	make_spcr(&t, 2, ACPI_GAS_IO, 0x3f8, 7, 0);
	CHECK_EQ(spcr_run(&t, 79, &si), ACPI_ELEN);
	make_spcr(&t, 2, ACPI_GAS_IO, 0x3f8, 7, 0);
	memcpy(t.b, "SPCX", 4);
	tb_finish(&t);
	CHECK_EQ(acpi_spcr_parse(t.b, &si), ACPI_ESIG);
}

/* SPCR with every field the console setup reads, for the width/PCI/clock cases. */
static void make_spcr_full(struct tb *t, uint8_t rev, uint8_t space, uint64_t addr,
			   uint8_t bits, uint8_t access, uint16_t dev, uint16_t ven,
			   uint32_t clock)
{
	struct acpi_spcr s;

	memset(&s, 0, sizeof(s));
	s.base.space_id = space;
	s.base.bit_width = bits;
	s.base.access_size = access;
	s.base.address = addr;
	s.baud_code = 0;	/* as firmware left it */
	s.pci_device_id = dev;
	s.pci_vendor_id = ven;
	s.pci_bus = 3;
	s.pci_device = 0x1f;
	s.pci_function = 7;
	s.pci_segment = 1;
	s.uart_clock = clock;
	tb_start(t, "SPCR", rev, 36);
	tb_put(t, (uint8_t *)&s + 36, sizeof(s) - 36);
	tb_finish(t);
}

TEST(spcr_widths_strides_clock_pci)
{
	static const struct { uint8_t bits, access, width, shift; } w[] = {
		{ 8, 1, 1, 0 }, { 32, 1, 1, 0 },	/* access size wins */
		{ 16, 2, 2, 1 }, { 32, 3, 4, 2 }, { 64, 4, 4, 2 },
		{ 32, 0, 4, 2 }, { 16, 0, 2, 1 }, { 8, 0, 1, 0 }, { 0, 0, 1, 0 },
	};
	struct spcr_info si;
	struct tb t;

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		make_spcr_full(&t, 2, ACPI_GAS_MEM, 0xfe030000ull, w[i].bits, w[i].access,
			       0xffff, 0xffff, 0);
		CHECK_EQ(spcr_run(&t, 80, &si), ACPI_OK);
		CHECK_EQ(si.width, w[i].width);
		CHECK_EQ(si.reg_shift, w[i].shift);
		CHECK(!si.pci);
		CHECK_EQ(si.baud, 0);		/* keep the firmware's divisor */
		CHECK_EQ(si.clock, 0);		/* revision 2: unknown */
	}
	/* I/O ports are bytes whatever the GAS says. */
	make_spcr_full(&t, 2, ACPI_GAS_IO, 0x2f8, 32, 3, 0xffff, 0xffff, 0);
	CHECK_EQ(spcr_run(&t, 80, &si), ACPI_OK);
	CHECK_EQ(si.width, 1);
	CHECK_EQ(si.reg_shift, 0);
	/* Revision 3+: the UART clock. Revision 2: those bytes are not read. */
	make_spcr_full(&t, 3, ACPI_GAS_MEM, 0xfe030000ull, 32, 3, 0xffff, 0xffff, 48000000);
	CHECK_EQ(spcr_run(&t, 84, &si), ACPI_OK);
	CHECK_EQ(si.clock, 48000000);
	make_spcr_full(&t, 2, ACPI_GAS_MEM, 0xfe030000ull, 32, 3, 0xffff, 0xffff, 48000000);
	CHECK_EQ(spcr_run(&t, 84, &si), ACPI_OK);
	CHECK_EQ(si.clock, 0);
	/* A PCI UART: its location; a zero base is fine (the BAR has it). */
	make_spcr_full(&t, 2, ACPI_GAS_MEM, 0, 8, 1, 0x9a13, 0x8086, 0);
	CHECK_EQ(spcr_run(&t, 80, &si), ACPI_OK);
	CHECK(si.pci);
	CHECK_EQ(si.pci_segment, 1);
	CHECK_EQ(si.pci_bus, 3);
	CHECK_EQ(si.pci_device, 0x1f);
	CHECK_EQ(si.pci_function, 7);
	CHECK_EQ(si.addr, 0);
	/* Vendor 0xffff or 0 is no PCI device: a zero base stays an error. */
	make_spcr_full(&t, 2, ACPI_GAS_MEM, 0, 8, 1, 0x9a13, 0xffff, 0);
	CHECK_EQ(spcr_run(&t, 80, &si), ACPI_EADDR);
	CHECK(!si.pci);
	make_spcr_full(&t, 2, ACPI_GAS_MEM, 0, 8, 1, 0, 0, 0);
	CHECK_EQ(spcr_run(&t, 80, &si), ACPI_EADDR);
}

TEST(strerror_names_every_status)
{
	const char *s[ACPI_EADDR + 1];

	for (int i = 0; i <= ACPI_EADDR; i++) {
		s[i] = acpi_strerror((enum acpi_status)i);
		CHECK(s[i] && s[i][0]);
		for (int j = 0; j < i; j++)
			CHECK(strcmp(s[i], s[j]));
	}
	CHECK_STR(acpi_strerror(ACPI_OK), "ok");
	CHECK(acpi_strerror((enum acpi_status)99) != NULL);
}

int main(void)
{
	RUN(rsdp_v1);
	RUN(rsdp_v2);
	RUN(sdt_check);
	RUN(rsdt_xsdt_entries);
	RUN(madt_mixed_entries);
	RUN(madt_lapic_override);
	RUN(madt_unknown_types_skipped);
	RUN(madt_entry_length_zero_stops);
	RUN(madt_entry_past_end_stops);
	RUN(madt_wrong_length_known_types);
	RUN(madt_placeholder_ids_skipped);
	RUN(madt_bad_tables);
	RUN(hpet);
	RUN(fadt_long_prefers_x_block);
	RUN(fadt_short_revisions);
	RUN(srat_entries);
	RUN(srat_malformed);
	RUN(spcr);
	RUN(spcr_widths_strides_clock_pci);
	RUN(strerror_names_every_status);
	return check_done();
}
