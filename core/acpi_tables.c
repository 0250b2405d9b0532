/* SPDX-License-Identifier: MIT */
/*
 * ACPI table parsers (pure). See acpi_tables.h for the trust model: the two
 * check functions validate against the bytes the kernel mapped, the parsers
 * then stay inside the header length of a checked table.
 */
#include "core/acpi_tables.h"
#include "core/str.h"

const char *acpi_strerror(enum acpi_status st)
{
	switch (st) {
	case ACPI_OK:		return "ok";
	case ACPI_ETRUNC:	return "truncated";
	case ACPI_ECSUM:	return "bad checksum";
	case ACPI_ESIG:		return "wrong signature";
	case ACPI_EBADENTRY:	return "malformed entry";
	case ACPI_ELEN:		return "length too small";
	case ACPI_EADDR:	return "unusable address";
	}
	return "unknown acpi status";
}

static uint8_t sum8(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (n--)
		s += *b++;
	return s;
}

enum acpi_status acpi_rsdp_check(const void *p, size_t avail,
				 uint64_t *sdt_addr, bool *is_xsdt)
{
	const struct acpi_rsdp *r = p;

	*sdt_addr = 0;
	*is_xsdt = false;
	if (avail < ACPI_RSDP_V1_LEN)
		return ACPI_ETRUNC;
	if (mem_cmp(r->signature, "RSD PTR ", 8))
		return ACPI_ESIG;
	if (sum8(r, ACPI_RSDP_V1_LEN))
		return ACPI_ECSUM;
	if (r->revision >= 2) {
		/* length lives past the v1 part: need it mapped to read it. */
		if (avail < sizeof(*r))
			return ACPI_ETRUNC;
		if (r->length < sizeof(*r))
			return ACPI_ELEN;
		if (r->length > avail)
			return ACPI_ETRUNC;
		if (sum8(r, r->length))
			return ACPI_ECSUM;
		if (r->xsdt_addr) {
			*sdt_addr = r->xsdt_addr;
			*is_xsdt = true;
			return ACPI_OK;
		}
		/* A 2.0 RSDP with only an RSDT: firmware may do that. */
	}
	if (!r->rsdt_addr)
		return ACPI_EADDR;
	*sdt_addr = r->rsdt_addr;
	return ACPI_OK;
}

enum acpi_status acpi_sdt_check(const void *p, size_t avail, const char *sig4)
{
	const struct acpi_sdt_header *h = p;

	if (avail < sizeof(*h))
		return ACPI_ETRUNC;
	if (sig4 && mem_cmp(h->signature, sig4, 4))
		return ACPI_ESIG;
	if (h->length < sizeof(*h))
		return ACPI_ELEN;
	if (h->length > avail)
		return ACPI_ETRUNC;
	if (sum8(h, h->length))
		return ACPI_ECSUM;
	return ACPI_OK;
}

uint32_t acpi_sdt_length(const void *hdr)
{
	return ((const struct acpi_sdt_header *)hdr)->length;
}

size_t acpi_sdt_entries(const void *sdt, bool is_xsdt)
{
	uint32_t len = acpi_sdt_length(sdt);

	if (len < sizeof(struct acpi_sdt_header))
		return 0;
	return (len - sizeof(struct acpi_sdt_header)) / (is_xsdt ? 8 : 4);
}

uint64_t acpi_sdt_entry(const void *sdt, bool is_xsdt, size_t i)
{
	const uint8_t *e = (const uint8_t *)sdt + sizeof(struct acpi_sdt_header);
	uint64_t v64;
	uint32_t v32;

	if (i >= acpi_sdt_entries(sdt, is_xsdt))
		return 0;
	/* XSDT entries start at offset 36: 4-aligned at best. */
	if (is_xsdt) {
		mem_copy(&v64, e + i * 8, 8);
		return v64;
	}
	mem_copy(&v32, e + i * 4, 4);
	return v32;
}

/*
 * Entry walker shared by the MADT and SRAT (same 2-byte type/length entry
 * header). An entry that cannot be delimited ends the walk, since nothing
 * after it can be trusted to start on an entry boundary.
 */
struct walk {
	const uint8_t *base;
	uint32_t len;		/* table length from the header */
	uint32_t off;		/* next entry */
	size_t bad;
	bool stopped;
};

static void walk_init(struct walk *w, const void *table, uint32_t first)
{
	w->base = table;
	w->len = acpi_sdt_length(table);
	w->off = first;
	w->bad = 0;
	w->stopped = false;
}

static const struct acpi_madt_entry *walk_next(struct walk *w)
{
	const struct acpi_madt_entry *e;
	uint32_t left;

	if (w->stopped || w->off >= w->len)
		return NULL;
	left = w->len - w->off;
	e = (const struct acpi_madt_entry *)(w->base + w->off);
	if (left < sizeof(*e) || e->length < sizeof(*e) || e->length > left) {
		w->bad++;
		w->stopped = true;
		return NULL;
	}
	w->off += e->length;
	return e;
}

/* Known types shorter than their layout are skipped and counted. */
static bool walk_fits(struct walk *w, const struct acpi_madt_entry *e,
		      size_t need)
{
	if (e->length >= need)
		return true;
	w->bad++;
	return false;
}

static enum acpi_status table_hdr_check(const void *t, const char *sig4,
					size_t min_len)
{
	const struct acpi_sdt_header *h = t;

	if (mem_cmp(h->signature, sig4, 4))
		return ACPI_ESIG;
	if (h->length < min_len)
		return ACPI_ELEN;
	return ACPI_OK;
}

enum acpi_status acpi_madt_parse(const void *madt, struct madt_info *info,
				 void (*cb)(void *ctx, const struct madt_cpu *),
				 void *ctx)
{
	const struct acpi_madt *m = madt;
	const struct acpi_madt_entry *e;
	enum acpi_status st;
	struct madt_cpu cpu;
	struct walk w;

	mem_set(info, 0, sizeof(*info));
	st = table_hdr_check(madt, "APIC", sizeof(*m));
	if (st)
		return st;
	info->lapic_addr = m->lapic_addr;
	info->flags = m->flags;

	walk_init(&w, madt, sizeof(*m));
	while ((e = walk_next(&w))) {
		mem_set(&cpu, 0, sizeof(cpu));
		switch (e->type) {
		case ACPI_MADT_LAPIC: {
			const struct acpi_madt_lapic *l = (const void *)e;

			if (!walk_fits(&w, e, sizeof(*l)) || l->apic_id == 0xff)
				continue;
			cpu.apic_id = l->apic_id;
			cpu.acpi_uid = l->acpi_uid;
			cpu.enabled = l->flags & ACPI_MADT_ENABLED;
			cpu.online_capable = l->flags & ACPI_MADT_ONLINE_CAPABLE;
			break;
		}
		case ACPI_MADT_X2APIC: {
			const struct acpi_madt_x2apic *x = (const void *)e;

			if (!walk_fits(&w, e, sizeof(*x)) ||
			    x->x2apic_id == 0xffffffffu)
				continue;
			cpu.apic_id = x->x2apic_id;
			cpu.acpi_uid = x->acpi_uid;
			cpu.enabled = x->flags & ACPI_MADT_ENABLED;
			cpu.online_capable = x->flags & ACPI_MADT_ONLINE_CAPABLE;
			cpu.x2apic_entry = true;
			break;
		}
		case ACPI_MADT_IOAPIC:
			if (walk_fits(&w, e, sizeof(struct acpi_madt_ioapic)))
				info->nioapic++;
			continue;
		case ACPI_MADT_LAPIC_OVERRIDE: {
			const struct acpi_madt_lapic_override *o = (const void *)e;

			if (walk_fits(&w, e, sizeof(*o)))
				info->lapic_addr = o->addr;
			continue;
		}
		case ACPI_MADT_ISO:
			walk_fits(&w, e, sizeof(struct acpi_madt_iso));
			continue;
		case ACPI_MADT_LAPIC_NMI:
			walk_fits(&w, e, sizeof(struct acpi_madt_lapic_nmi));
			continue;
		case ACPI_MADT_X2APIC_NMI:
			walk_fits(&w, e, sizeof(struct acpi_madt_x2apic_nmi));
			continue;
		default:
			/* I/O SAPIC, GIC, wakeup mailbox...: not ours. */
			continue;
		}
		info->ncpus++;
		if (cpu.enabled)
			info->nenabled++;
		if (cb)
			cb(ctx, &cpu);
	}
	info->bad_entries = w.bad;
	info->stopped = w.stopped;
	return w.bad ? ACPI_EBADENTRY : ACPI_OK;
}

enum acpi_status acpi_hpet_parse(const void *hpet, uint64_t *base)
{
	const struct acpi_hpet *h = hpet;
	enum acpi_status st;

	*base = 0;
	st = table_hdr_check(hpet, "HPET", sizeof(*h));
	if (st)
		return st;
	if (h->base.space_id != ACPI_GAS_MEM || !h->base.address)
		return ACPI_EADDR;
	*base = h->base.address;
	return ACPI_OK;
}

/* True when [off, off + size) lies inside a table of length len. */
static bool has_field(uint32_t len, size_t off, size_t size)
{
	return off + size <= len;
}

enum acpi_status acpi_fadt_pm_timer(const void *fadt, struct fadt_pm *pm)
{
	const struct acpi_fadt *f = fadt;
	uint32_t len = acpi_sdt_length(fadt);
	uint32_t flags = 0;
	enum acpi_status st;

	mem_set(pm, 0, sizeof(*pm));
	st = table_hdr_check(fadt, "FACP", sizeof(struct acpi_sdt_header));
	if (st)
		return st;
	if (has_field(len, offsetof(struct acpi_fadt, flags), 4))
		flags = f->flags;
	if (flags & ACPI_FADT_HW_REDUCED)
		return ACPI_OK;
	pm->ext32 = flags & ACPI_FADT_TMR_VAL_EXT;

	if (has_field(len, offsetof(struct acpi_fadt, x_pm_tmr_blk),
		      sizeof(struct acpi_gas))) {
		const struct acpi_gas *g = &f->x_pm_tmr_blk;

		if (g->address && g->space_id == ACPI_GAS_MEM) {
			pm->mmio = true;
			pm->addr = g->address;
			return ACPI_OK;
		}
		/* x86 I/O space is 16 bits: anything wider is garbage. */
		if (g->address && g->space_id == ACPI_GAS_IO &&
		    g->address <= 0xffff) {
			pm->port = (uint32_t)g->address;
			pm->addr = g->address;
			return ACPI_OK;
		}
	}
	if (has_field(len, offsetof(struct acpi_fadt, pm_tmr_blk), 4) &&
	    f->pm_tmr_blk && f->pm_tmr_blk <= 0xffff) {
		pm->port = f->pm_tmr_blk;
		pm->addr = f->pm_tmr_blk;
	}
	return ACPI_OK;
}

static uint32_t srat_cpu_domain(const struct acpi_srat_cpu *c)
{
	return c->domain_lo | (uint32_t)c->domain_hi[0] << 8 |
	       (uint32_t)c->domain_hi[1] << 16 |
	       (uint32_t)c->domain_hi[2] << 24;
}

/* One SRAT walk serving both public walkers; the unused callback is NULL. */
static enum acpi_status srat_walk(const void *srat,
				  void (*cpu_cb)(void *, const struct srat_cpu *),
				  void (*mem_cb)(void *, const struct srat_mem *),
				  void *ctx)
{
	const struct acpi_madt_entry *e;
	enum acpi_status st;
	struct walk w;

	st = table_hdr_check(srat, "SRAT", sizeof(struct acpi_srat));
	if (st)
		return st;
	walk_init(&w, srat, sizeof(struct acpi_srat));
	while ((e = walk_next(&w))) {
		struct srat_cpu c;
		struct srat_mem m;

		switch (e->type) {
		case ACPI_SRAT_CPU: {
			const struct acpi_srat_cpu *s = (const void *)e;

			if (!walk_fits(&w, e, sizeof(*s)) ||
			    !(s->flags & ACPI_SRAT_ENABLED) || !cpu_cb)
				break;
			c.apic_id = s->apic_id;
			c.domain = srat_cpu_domain(s);
			cpu_cb(ctx, &c);
			break;
		}
		case ACPI_SRAT_X2APIC: {
			const struct acpi_srat_x2apic *s = (const void *)e;

			if (!walk_fits(&w, e, sizeof(*s)) ||
			    !(s->flags & ACPI_SRAT_ENABLED) || !cpu_cb)
				break;
			c.apic_id = s->x2apic_id;
			c.domain = s->domain;
			cpu_cb(ctx, &c);
			break;
		}
		case ACPI_SRAT_MEM: {
			const struct acpi_srat_mem *s = (const void *)e;

			if (!walk_fits(&w, e, sizeof(*s)) ||
			    !(s->flags & ACPI_SRAT_ENABLED) || !mem_cb)
				break;
			m.base = s->base;
			m.length = s->length;
			m.domain = s->domain;
			m.hotplug = s->flags & ACPI_SRAT_MEM_HOTPLUG;
			m.nonvolatile = s->flags & ACPI_SRAT_MEM_NONVOL;
			mem_cb(ctx, &m);
			break;
		}
		default:
			/* GICC, ITS, generic initiator...: not ours. */
			break;
		}
	}
	return w.bad ? ACPI_EBADENTRY : ACPI_OK;
}

enum acpi_status acpi_srat_parse(const void *srat,
				 void (*cb)(void *ctx, const struct srat_cpu *),
				 void *ctx)
{
	return srat_walk(srat, cb, NULL, ctx);
}

enum acpi_status acpi_srat_parse_mem(const void *srat,
				     void (*cb)(void *ctx, const struct srat_mem *),
				     void *ctx)
{
	return srat_walk(srat, NULL, cb, ctx);
}

/* SPCR "configured baud rate" codes; the rest are reserved. */
static uint32_t spcr_baud(uint8_t code)
{
	switch (code) {
	case 3:	return 9600;
	case 4:	return 19200;
	case 6:	return 57600;
	case 7:	return 115200;
	}
	return 0;	/* 0 = as firmware left it */
}

enum acpi_status acpi_spcr_parse(const void *spcr, struct spcr_info *out)
{
	const struct acpi_spcr *s = spcr;
	uint32_t len = acpi_sdt_length(spcr);
	enum acpi_status st;

	mem_set(out, 0, sizeof(*out));
	/* Revisions 1 and 2 end at the PCI segment + 4 reserved bytes. */
	st = table_hdr_check(spcr, "SPCR", ACPI_SPCR_V2_LEN);
	if (st)
		return st;
	out->iftype = s->interface_type;
	out->space = s->base.space_id;
	out->access_size = s->base.access_size;
	out->addr = s->base.address;
	out->baud = spcr_baud(s->baud_code);
	/* Before revision 4 these bytes were reserved, maybe not zero. */
	if (s->hdr.revision >= 4 &&
	    has_field(len, offsetof(struct acpi_spcr, precise_baud), 4) &&
	    s->precise_baud)
		out->baud = s->precise_baud;
	if (s->hdr.revision >= 3 &&
	    has_field(len, offsetof(struct acpi_spcr, uart_clock), 4))
		out->clock = s->uart_clock;
	/* Width: access size 1..3 = byte, word, dword; 0 = legacy, go by bit width. */
	switch (s->base.access_size) {
	case 1: out->width = 1; break;
	case 2: out->width = 2; break;
	case 3: out->width = 4; break;
	case 4: out->width = 4; break;	/* qword: 16550 registers are 32 bits at most */
	default:
		out->width = s->base.bit_width == 32 ? 4 : s->base.bit_width == 16 ? 2 : 1;
		break;
	}
	if (out->space == ACPI_GAS_IO)
		out->width = 1;
	out->reg_shift = out->width == 4 ? 2 : out->width == 2 ? 1 : 0;
	/* 0 is no vendor either: zeroed fields in old tables are not PCI 00:00.0. */
	if (s->pci_device_id != SPCR_PCI_NONE && s->pci_vendor_id != SPCR_PCI_NONE &&
	    s->pci_vendor_id != 0) {
		out->pci = true;
		out->pci_segment = s->pci_segment;
		out->pci_bus = s->pci_bus;
		out->pci_device = s->pci_device;
		out->pci_function = s->pci_function;
	}
	if (out->space != ACPI_GAS_MEM && out->space != ACPI_GAS_IO)
		return ACPI_EADDR;
	if (!out->addr && !out->pci)
		return ACPI_EADDR;
	return ACPI_OK;
}
