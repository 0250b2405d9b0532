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
#define MB2_TAG_FRAMEBUFFER	8
#define MB2_TAG_EFI32		11
#define MB2_TAG_EFI64		12
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15
#define MB2_TAG_EFI_MMAP	17
#define MB2_TAG_EFI_BS		18
#define MB2_TAG_EFI32_IH	19
#define MB2_TAG_EFI64_IH	20

/* Framebuffer tag (spec 3.6.12) types */
#define MB2_FB_INDEXED		0
#define MB2_FB_RGB		1
#define MB2_FB_EGA_TEXT		2	/* addr 0xb8000, width/height in characters */

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

/* The fixed part of the framebuffer tag, after type and size. */
struct mb2_fb_common {
	uint64_t addr;
	uint32_t pitch;		/* bytes per line */
	uint32_t width, height;	/* pixels, or characters for EGA text */
	uint8_t bpp;
	uint8_t type;		/* MB2_FB_* */
	uint16_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct mb2_fb_common) == 24, "multiboot2 framebuffer tag");

struct boot_fb {
	bool present;
	uint8_t type;		/* MB2_FB_* */
	uint8_t bpp;
	uint64_t addr;
	uint32_t pitch, width, height;
	/* MB2_FB_RGB: each colour's lowest bit and width in the pixel */
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

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
	struct boot_fb fb;		/* the framebuffer GRUB set up, if any */
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
