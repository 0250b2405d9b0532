/* SPDX-License-Identifier: MIT */
/*
 * ACPI table layouts and parsers (pure: kernel and host tests).
 *
 * The kernel finds and maps a table and hands over a pointer plus how many
 * bytes it mapped. acpi_rsdp_check() and acpi_sdt_check() validate signature,
 * length and checksum against that; every other parser takes a table that
 * acpi_sdt_check() accepted and trusts only its header length: no read goes
 * past it, entries are bounds-checked one by one, and unaligned fields are
 * read through packed structs or mem_copy().
 *
 * Field layouts follow the ACPI 6.5 specification (section numbers below).
 */
#ifndef VOLLEY_CORE_ACPI_TABLES_H
#define VOLLEY_CORE_ACPI_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum acpi_status {
	ACPI_OK = 0,
	ACPI_ETRUNC,	/* fewer bytes available than the table says it has */
	ACPI_ECSUM,	/* checksum does not sum to zero */
	ACPI_ESIG,	/* wrong signature */
	ACPI_EBADENTRY,	/* a sub-table entry with a bad length or type */
	ACPI_ELEN,	/* length field too small for the table type */
	ACPI_EADDR,	/* a needed address is zero or in an unusable space */
};

const char *acpi_strerror(enum acpi_status st);

/* ---- layouts ------------------------------------------------------------ */

/* Generic Address Structure (5.2.3.2). */
struct acpi_gas {
	uint8_t space_id;
#define ACPI_GAS_MEM	0	/* system memory */
#define ACPI_GAS_IO	1	/* system I/O ports */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS is 12 bytes");

/* Root System Description Pointer (5.2.5.3); v1 is the first 20 bytes. */
struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	uint8_t checksum;	/* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;	/* 0 = ACPI 1.0, 2 = ACPI 2.0+ */
	uint32_t rsdt_addr;
	/* revision >= 2 */
	uint32_t length;	/* whole structure, 36 today */
	uint64_t xsdt_addr;
	uint8_t ext_checksum;	/* over `length` bytes */
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP v2 is 36 bytes");
#define ACPI_RSDP_V1_LEN	20

/* Header shared by every System Description Table (5.2.6). */
struct acpi_sdt_header {
	char signature[4];
	uint32_t length;	/* whole table including this header */
	uint8_t revision;
	uint8_t checksum;	/* all `length` bytes sum to 0 mod 256 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "SDT header is 36 bytes");

/* MADT, signature "APIC" (5.2.12). Entries follow the 44-byte header. */
struct acpi_madt {
	struct acpi_sdt_header hdr;
	uint32_t lapic_addr;	/* 32-bit local APIC base; type 5 overrides */
	uint32_t flags;
#define ACPI_MADT_PCAT_COMPAT	(1u << 0)	/* legacy 8259 PICs present */
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT header is 44 bytes");

struct acpi_madt_entry {
	uint8_t type;
	uint8_t length;		/* including these two bytes */
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_entry) == 2, "entry header");

enum {
	ACPI_MADT_LAPIC = 0,
	ACPI_MADT_IOAPIC = 1,
	ACPI_MADT_ISO = 2,		/* interrupt source override */
	ACPI_MADT_NMI_SRC = 3,
	ACPI_MADT_LAPIC_NMI = 4,
	ACPI_MADT_LAPIC_OVERRIDE = 5,
	ACPI_MADT_X2APIC = 9,
	ACPI_MADT_X2APIC_NMI = 0xa,
};

/* Local APIC flags, shared by types 0 and 9 (Table 5.23). */
#define ACPI_MADT_ENABLED		(1u << 0)
#define ACPI_MADT_ONLINE_CAPABLE	(1u << 1)	/* ACPI 6.3+: may be hot-added */

struct acpi_madt_lapic {	/* type 0 (5.2.12.2) */
	struct acpi_madt_entry e;
	uint8_t acpi_uid;	/* ACPI processor UID */
	uint8_t apic_id;
	uint32_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "MADT type 0");

struct acpi_madt_ioapic {	/* type 1 (5.2.12.3) */
	struct acpi_madt_entry e;
	uint8_t ioapic_id;
	uint8_t reserved;
	uint32_t addr;
	uint32_t gsi_base;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_ioapic) == 12, "MADT type 1");

struct acpi_madt_iso {		/* type 2 (5.2.12.5) */
	struct acpi_madt_entry e;
	uint8_t bus;		/* 0 = ISA */
	uint8_t source;		/* ISA IRQ */
	uint32_t gsi;
	uint16_t flags;		/* polarity, trigger mode */
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_iso) == 10, "MADT type 2");

struct acpi_madt_lapic_nmi {	/* type 4 (5.2.12.7) */
	struct acpi_madt_entry e;
	uint8_t acpi_uid;	/* 0xff = all processors */
	uint16_t flags;
	uint8_t lint;		/* LINT0 or LINT1 */
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_lapic_nmi) == 6, "MADT type 4");

struct acpi_madt_lapic_override {	/* type 5 (5.2.12.8) */
	struct acpi_madt_entry e;
	uint16_t reserved;
	uint64_t addr;		/* 64-bit local APIC base */
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_lapic_override) == 12, "MADT type 5");

struct acpi_madt_x2apic {	/* type 9 (5.2.12.12) */
	struct acpi_madt_entry e;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t acpi_uid;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_x2apic) == 16, "MADT type 9");

struct acpi_madt_x2apic_nmi {	/* type 0xa (5.2.12.13) */
	struct acpi_madt_entry e;
	uint16_t flags;
	uint32_t acpi_uid;	/* 0xffffffff = all processors */
	uint8_t lint;
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_x2apic_nmi) == 12, "MADT type 0xa");

/* HPET description table, signature "HPET" (IA-PC HPET spec 1.0a, 3.2.4). */
struct acpi_hpet {
	struct acpi_sdt_header hdr;
	uint32_t block_id;	/* copy of the capabilities register's low half */
	struct acpi_gas base;	/* must be system memory */
	uint8_t hpet_number;
	uint16_t min_tick;
	uint8_t page_protection;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_hpet) == 56, "HPET table is 56 bytes");

/*
 * FADT, signature "FACP" (5.2.9). Only what the PM timer needs is named; the
 * rest is padding with the spec offsets checked below. Old revisions are
 * shorter (ACPI 1.0: 116 bytes), so fields past `length` must not be read.
 */
struct acpi_fadt {
	struct acpi_sdt_header hdr;
	uint8_t pad0[76 - 36];
	uint32_t pm_tmr_blk;	/* I/O port of the PM timer, 0 = none */
	uint8_t pad1[91 - 80];
	uint8_t pm_tmr_len;	/* 4 when the timer exists */
	uint8_t pad2[112 - 92];
	uint32_t flags;
#define ACPI_FADT_TMR_VAL_EXT	(1u << 8)	/* 32-bit counter, else 24 */
#define ACPI_FADT_HW_REDUCED	(1u << 20)	/* no fixed hardware: no PM timer */
	uint8_t pad3[208 - 116];
	struct acpi_gas x_pm_tmr_blk;	/* ACPI 2.0+: preferred when nonzero */
	uint8_t pad4[276 - 220];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT 6.x is 276 bytes");
_Static_assert(offsetof(struct acpi_fadt, pm_tmr_blk) == 76, "PM_TMR_BLK");
_Static_assert(offsetof(struct acpi_fadt, pm_tmr_len) == 91, "PM_TMR_LEN");
_Static_assert(offsetof(struct acpi_fadt, flags) == 112, "FADT flags");
_Static_assert(offsetof(struct acpi_fadt, x_pm_tmr_blk) == 208, "X_PM_TMR_BLK");

/* SRAT, signature "SRAT" (5.2.16). Entries follow the 48-byte header. */
struct acpi_srat {
	struct acpi_sdt_header hdr;
	uint32_t table_revision;	/* reserved, 1 */
	uint64_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_srat) == 48, "SRAT header is 48 bytes");

enum {
	ACPI_SRAT_CPU = 0,	/* processor local APIC/SAPIC affinity */
	ACPI_SRAT_MEM = 1,
	ACPI_SRAT_X2APIC = 2,
};
#define ACPI_SRAT_ENABLED	(1u << 0)	/* all three types */
#define ACPI_SRAT_MEM_HOTPLUG	(1u << 1)
#define ACPI_SRAT_MEM_NONVOL	(1u << 2)

struct acpi_srat_cpu {		/* type 0 (5.2.16.1) */
	struct acpi_madt_entry e;
	uint8_t domain_lo;	/* proximity domain bits 7:0 */
	uint8_t apic_id;
	uint32_t flags;
	uint8_t sapic_eid;
	uint8_t domain_hi[3];	/* proximity domain bits 31:8 */
	uint32_t clock_domain;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_srat_cpu) == 16, "SRAT type 0");

struct acpi_srat_mem {		/* type 1 (5.2.16.2) */
	struct acpi_madt_entry e;
	uint32_t domain;
	uint16_t reserved1;
	uint64_t base;		/* two 32-bit halves in the spec, contiguous */
	uint64_t length;
	uint32_t reserved2;
	uint32_t flags;
	uint64_t reserved3;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_srat_mem) == 40, "SRAT type 1");

struct acpi_srat_x2apic {	/* type 2 (5.2.16.3) */
	struct acpi_madt_entry e;
	uint16_t reserved1;
	uint32_t domain;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t clock_domain;
	uint32_t reserved2;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_srat_x2apic) == 24, "SRAT type 2");

/* SPCR, signature "SPCR" (Microsoft Serial Port Console Redirection table). */
struct acpi_spcr {
	struct acpi_sdt_header hdr;
	uint8_t interface_type;	/* 0 = full 16550, 1 = 16450, 0x12 = 16550 w/ GAS */
	uint8_t reserved[3];
	struct acpi_gas base;
	uint8_t interrupt_type;
	uint8_t irq;
	uint32_t gsi;
	uint8_t baud_code;	/* 0 = as configured, 3/4/6/7 = 9600..115200 */
	uint8_t parity;
	uint8_t stop_bits;
	uint8_t flow_control;
	uint8_t terminal_type;
	uint8_t language;
	uint16_t pci_device_id;
	uint16_t pci_vendor_id;
	uint8_t pci_bus;
	uint8_t pci_device;
	uint8_t pci_function;
	uint32_t pci_flags;
	uint8_t pci_segment;
	uint32_t uart_clock;	/* revision 3+ */
	uint32_t precise_baud;	/* revision 4+: overrides baud_code when nonzero */
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_spcr) == 84, "SPCR rev 4 fixed part");
_Static_assert(offsetof(struct acpi_spcr, baud_code) == 58, "SPCR baud");
_Static_assert(offsetof(struct acpi_spcr, precise_baud) == 80, "SPCR precise");
#define ACPI_SPCR_V2_LEN	80

/* ---- parsers ------------------------------------------------------------- */

/*
 * RSDP at p with avail readable bytes: signature, v1 checksum over 20 bytes;
 * for revision >= 2 also length (>= 36, <= avail) and the extended checksum.
 * On ACPI_OK *sdt_addr is the XSDT (revision >= 2 and nonzero, *is_xsdt =
 * true) or else the RSDT. ACPI_EADDR when both are zero.
 */
enum acpi_status acpi_rsdp_check(const void *p, size_t avail,
				 uint64_t *sdt_addr, bool *is_xsdt);

/*
 * Any SDT at p with avail readable bytes: avail >= 36, the signature (sig4,
 * four characters, or NULL for any), 36 <= length <= avail, and all `length`
 * bytes summing to 0. Checked in that order.
 */
enum acpi_status acpi_sdt_check(const void *p, size_t avail, const char *sig4);

/*
 * The header's length field, so the kernel knows how much to map after
 * mapping the first 8 bytes. Unchecked: validate with acpi_sdt_check().
 */
uint32_t acpi_sdt_length(const void *hdr);

/* Pointer count of a checked RSDT (4-byte) or XSDT (8-byte, unaligned). */
size_t acpi_sdt_entries(const void *sdt, bool is_xsdt);
/* Entry i, or 0 when i is out of range. */
uint64_t acpi_sdt_entry(const void *sdt, bool is_xsdt, size_t i);

struct madt_cpu {
	uint32_t apic_id;
	uint32_t acpi_uid;
	bool enabled;		/* usable now */
	bool online_capable;	/* not enabled, but could be hot-added */
	bool x2apic_entry;	/* came from a type 9 entry */
};

struct madt_info {
	uint64_t lapic_addr;	/* after any type-5 override */
	uint32_t flags;		/* ACPI_MADT_PCAT_COMPAT */
	size_t ncpus;		/* entries passed to cb */
	size_t nenabled;	/* of those, with the enabled flag */
	size_t nioapic;
	size_t bad_entries;	/* short known entries skipped + a walk stopper */
	bool stopped;		/* the walk ended early at a malformed entry */
};

/*
 * Walk a checked MADT ("APIC"). cb (may be NULL) runs for each local APIC and
 * local x2APIC entry in table order, disabled ones too: the kernel lists them
 * as not started. IDs 0xff (type 0) and 0xffffffff (type 9) are placeholders
 * some firmware emits for absent CPUs and are skipped, as Linux does. The
 * same CPU may appear as both types on some firmware: deduplicate by apic_id.
 *
 * An entry with length < 2 or running past the table end stops the walk
 * (stopped = true). A known type shorter than its structure is skipped;
 * longer is accepted (later spec revisions append fields). Both count in
 * bad_entries and make the result ACPI_EBADENTRY; *info still holds all that
 * was found. ESIG / ELEN when the table is not an MADT or shorter than 44.
 */
enum acpi_status acpi_madt_parse(const void *madt, struct madt_info *info,
				 void (*cb)(void *ctx, const struct madt_cpu *),
				 void *ctx);

/* HPET base address; ACPI_EADDR unless the GAS is system memory and nonzero. */
enum acpi_status acpi_hpet_parse(const void *hpet, uint64_t *base);

/*
 * The ACPI PM timer from a checked FADT ("FACP"). The 64-bit X_PM_TMR_BLK is
 * preferred when the table is long enough to hold it and it is nonzero in
 * system memory or I/O space (an I/O address must fit 16 bits); else the
 * 32-bit PM_TMR_BLK port when inside `length`. Hardware-reduced platforms
 * have no PM timer. No timer is ACPI_OK with port == 0 and mmio == false.
 */
struct fadt_pm {
	uint32_t port;	/* I/O port when !mmio; 0 = no timer */
	bool ext32;	/* TMR_VAL_EXT: counter is 32 bits, else 24 */
	bool mmio;	/* timer is memory-mapped at addr */
	uint64_t addr;	/* the timer's address: MMIO, or the port again */
};
enum acpi_status acpi_fadt_pm_timer(const void *fadt, struct fadt_pm *pm);

/*
 * Walk a checked SRAT: cb for each enabled processor affinity entry (type 0
 * with the 32-bit domain assembled from its lo byte and 3 hi bytes, type 2),
 * in table order. Malformed entries as in acpi_madt_parse: a stopper ends
 * the walk, a short known entry is skipped; either gives ACPI_EBADENTRY.
 */
struct srat_cpu {
	uint32_t apic_id;
	uint32_t domain;
};
enum acpi_status acpi_srat_parse(const void *srat,
				 void (*cb)(void *ctx, const struct srat_cpu *),
				 void *ctx);

/* The same walk for enabled memory affinity entries (type 1). */
struct srat_mem {
	uint64_t base;
	uint64_t length;
	uint32_t domain;
	bool hotplug;
	bool nonvolatile;
};
enum acpi_status acpi_srat_parse_mem(const void *srat,
				     void (*cb)(void *ctx, const struct srat_mem *),
				     void *ctx);

/*
 * The console UART from a checked SPCR. baud is in bits/s, 0 when the table
 * says "as configured by firmware" or uses a code we do not know. *out is
 * filled even on ACPI_EADDR (zero base or a space other than memory / I/O).
 * A PCI UART with a zero base is ACPI_OK: its BAR gives the address.
 */
struct spcr_info {
	uint8_t iftype;	/* interface type, see struct acpi_spcr */
	uint8_t space;	/* ACPI_GAS_MEM or ACPI_GAS_IO */
	uint8_t access_size;	/* GAS access size: 1 byte .. 4 qword, 0 legacy */
	uint64_t addr;
	uint32_t baud;
	/*
	 * How to reach the registers, as Linux reads SPCR: the access width
	 * in bytes (1, 2, 4: from the GAS access size, else its bit width,
	 * else bytes), which is also the register stride (mmio16/mmio32);
	 * I/O ports are always bytes at stride 1.
	 */
	uint8_t width;
	uint8_t reg_shift;	/* log2 of the stride */
	uint32_t clock;		/* Hz from revision 3+, 0 = unknown */
	/* A PCI UART (device ID not 0xffff): where it sits. */
	bool pci;
	uint8_t pci_segment, pci_bus, pci_device, pci_function;
};
#define SPCR_PCI_NONE	0xffff
enum acpi_status acpi_spcr_parse(const void *spcr, struct spcr_info *out);

#endif
