/* SPDX-License-Identifier: MIT */
#include "mb2.h"
#include "fmt.h"
#include "str.h"

/* Multiboot2 spec 3.6: fixed part is total_size, reserved; tags are 8-aligned. */
static int fail(char *err, size_t errlen, const char *what, uint32_t off)
{
	fmt_buf(err, errlen, "multiboot2 info: %s (at offset %u)", what, off);
	return -1;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	mem_copy(&v, p, sizeof(v));
	return v;
}

static int parse_mmap(const uint8_t *tag, uint32_t size, struct boot_info *bi,
		      char *err, size_t errlen, uint32_t off)
{
	uint32_t esize, i;

	if (size < 16)
		return fail(err, errlen, "memory map tag too short", off);
	esize = rd32(tag + 8);
	if (esize < sizeof(struct mb2_mmap_entry) || esize % 8)
		return fail(err, errlen, "memory map entry size invalid", off);
	for (i = 16; i + esize <= size; i += esize) {
		struct mb2_mmap_entry e;

		mem_copy(&e, tag + i, sizeof(e));
		if (bi->nmem == MB2_MMAP_MAX) {
			bi->mem_dropped++;
			continue;
		}
		bi->mem[bi->nmem++] = (struct mem_range){
			.base = e.base, .len = e.len, .type = e.type };
	}
	return 0;
}

static int parse_fb(const uint8_t *tag, uint32_t size, struct boot_info *bi,
		    char *err, size_t errlen, uint32_t off)
{
	struct mb2_fb_common c;
	struct boot_fb *fb = &bi->fb;

	if (size < 8 + sizeof(c))
		return fail(err, errlen, "framebuffer tag too short", off);
	mem_copy(&c, tag + 8, sizeof(c));
	*fb = (struct boot_fb){ .type = c.type, .bpp = c.bpp, .addr = c.addr,
				.pitch = c.pitch, .width = c.width, .height = c.height };
	if (c.type == MB2_FB_RGB) {
		const uint8_t *ci = tag + 8 + sizeof(c);

		if (size < 8 + sizeof(c) + 6)
			return fail(err, errlen, "framebuffer tag without its colour fields", off);
		fb->red_pos = ci[0], fb->red_size = ci[1];
		fb->green_pos = ci[2], fb->green_size = ci[3];
		fb->blue_pos = ci[4], fb->blue_size = ci[5];
	}
	/* Geometry must hold together; anything odd leaves the screen off. */
	if (!c.addr || !c.width || !c.height || c.width > 65536 || c.height > 65536)
		return 0;
	if (c.type == MB2_FB_RGB) {
		if ((c.bpp != 16 && c.bpp != 24 && c.bpp != 32 && c.bpp != 15) ||
		    (uint64_t)c.pitch < (uint64_t)c.width * ((c.bpp + 7) / 8))
			return 0;
		if (fb->red_pos + fb->red_size > c.bpp || fb->green_pos + fb->green_size > c.bpp ||
		    fb->blue_pos + fb->blue_size > c.bpp)
			return 0;
	} else if (c.type == MB2_FB_EGA_TEXT) {
		if (c.pitch < c.width * 2)
			return 0;
	} else {
		return 0;	/* indexed colour: not drawn */
	}
	fb->present = true;
	return 0;
}

int mb2_parse(const void *info, size_t avail, struct boot_info *bi,
	      char *err, size_t errlen)
{
	const uint8_t *p = info;
	uint32_t total, off;
	bool end = false;

	mem_set(bi, 0, sizeof(*bi));
	bi->cmdline = "";
	bi->loader = "unknown";
	if (!info || ((uintptr_t)info & 7))
		return fail(err, errlen, "pointer missing or not 8-byte aligned", 0);
	if (avail < 16)
		return fail(err, errlen, "shorter than its fixed part", 0);
	total = rd32(p);
	if (total < 16 || total > avail || total > MB2_INFO_MAX)
		return fail(err, errlen, "total_size out of range", 0);
	bi->total_size = total;

	for (off = 8; off + 8 <= total; ) {
		uint32_t type = rd32(p + off), size = rd32(p + off + 4);
		const uint8_t *tag = p + off;

		if (size < 8 || size > total - off)
			return fail(err, errlen, "tag size runs past the end", off);
		switch (type) {
		case MB2_TAG_END:
			if (size != 8)
				return fail(err, errlen, "end tag size is not 8", off);
			end = true;
			break;
		case MB2_TAG_CMDLINE:
		case MB2_TAG_LOADER:
			/* The string must end inside the tag. */
			if (size == 8 || str_nlen((const char *)tag + 8, size - 8) == size - 8)
				return fail(err, errlen, "string tag not terminated", off);
			if (type == MB2_TAG_CMDLINE)
				bi->cmdline = (const char *)tag + 8;
			else
				bi->loader = (const char *)tag + 8;
			break;
		case MB2_TAG_MMAP:
			if (parse_mmap(tag, size, bi, err, errlen, off))
				return -1;
			break;
		case MB2_TAG_FRAMEBUFFER:
			if (parse_fb(tag, size, bi, err, errlen, off))
				return -1;
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			if (size < 8 + 20)
				return fail(err, errlen, "ACPI RSDP tag too short", off);
			/* Prefer the 2.0+ copy, whichever order they come in. */
			if (type == MB2_TAG_ACPI_NEW || !bi->rsdp_new) {
				bi->rsdp = tag + 8;
				bi->rsdp_len = size - 8;
				bi->rsdp_new = type == MB2_TAG_ACPI_NEW;
			}
			break;
		case MB2_TAG_EFI32:
		case MB2_TAG_EFI64:
		case MB2_TAG_EFI_MMAP:
		case MB2_TAG_EFI32_IH:
		case MB2_TAG_EFI64_IH:
			bi->efi = true;
			break;
		case MB2_TAG_EFI_BS:
			bi->efi = true;
			bi->efi_bs_active = true;
			break;
		default:	/* tags we did not ask for are skipped */
			break;
		}
		if (end)
			break;
		off += (size + 7) & ~7u;
	}
	if (!end)
		return fail(err, errlen, "no end tag", off);
	return 0;
}
