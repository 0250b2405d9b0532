/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 boot information (pure: built into the kernel and host tests).
 * Every size and alignment is checked; a malformed tag is an error with a
 * message, never a read past the end.
 */
#ifndef VOLLEY_CORE_MB2_H
#define VOLLEY_CORE_MB2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER		2
#define MB2_TAG_MMAP		6
#define MB2_TAG_EFI32		11
#define MB2_TAG_EFI64		12
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15
#define MB2_TAG_EFI_MMAP	17
#define MB2_TAG_EFI_BS		18
#define MB2_TAG_EFI32_IH	19
#define MB2_TAG_EFI64_IH	20

#define MB2_MEM_AVAILABLE	1
#define MB2_MEM_ACPI		3
#define MB2_MMAP_MAX		128
#define MB2_INFO_MAX		(1u << 20)	/* sanity bound on total_size */

struct mb2_tag {
	uint32_t type;
	uint32_t size;
} __attribute__((packed));
_Static_assert(sizeof(struct mb2_tag) == 8, "multiboot2 tag header");

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "multiboot2 mmap entry");

struct mem_range {
	uint64_t base, len;
	uint32_t type;
};

struct boot_info {
	const char *cmdline;		/* "" when absent */
	const char *loader;		/* "unknown" when absent */
	const void *rsdp;		/* copy inside the info; NULL when absent */
	size_t rsdp_len;
	bool rsdp_new;			/* from the ACPI 2.0+ tag */
	bool efi;			/* booted from UEFI */
	bool efi_bs_active;		/* boot services not exited (we refuse) */
	size_t nmem;
	struct mem_range mem[MB2_MMAP_MAX];
	size_t mem_dropped;		/* entries beyond MB2_MMAP_MAX */
	uint32_t total_size;
};

/*
 * Parses the information at `info`, of which `avail` bytes may be read.
 * Returns 0, or -1 with a one-line reason in err.
 */
int mb2_parse(const void *info, size_t avail, struct boot_info *bi,
	      char *err, size_t errlen);

#endif
