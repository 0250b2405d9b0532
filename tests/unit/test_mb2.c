/* SPDX-License-Identifier: MIT */
/* Multiboot2 information parsing on crafted buffers. */
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "core/mb2.h"

/* A builder for boot information blocks, 8-byte aligned like GRUB's. */
struct mb {
	uint64_t words[512];
	size_t len;	/* bytes */
};

static uint8_t *bytes(struct mb *m)
{
	return (uint8_t *)m->words;
}

static void start(struct mb *m)
{
	memset(m, 0, sizeof(*m));
	m->len = 8;
}

static void tag(struct mb *m, uint32_t type, const void *payload, uint32_t n)
{
	uint8_t *p = bytes(m) + m->len;
	uint32_t size = 8 + n;

	memcpy(p, &type, 4);
	memcpy(p + 4, &size, 4);
	if (n)
		memcpy(p + 8, payload, n);
	m->len += (size + 7) & ~7u;
}

static void finish(struct mb *m)
{
	uint32_t total;

	tag(m, MB2_TAG_END, 0, 0);
	total = (uint32_t)m->len;
	memcpy(bytes(m), &total, 4);
}

static void mmap_tag(struct mb *m, const struct mb2_mmap_entry *e, int n,
		     uint32_t esize)
{
	uint8_t buf[8 + 24 * 16] = { 0 };
	uint32_t ver = 0;

	memcpy(buf, &esize, 4);
	memcpy(buf + 4, &ver, 4);
	for (int i = 0; i < n; i++)
		memcpy(buf + 8 + i * esize, &e[i], sizeof(*e));
	tag(m, MB2_TAG_MMAP, buf, 8 + (uint32_t)n * esize);
}

static struct boot_info bi;
static char err[200];

TEST(full_bios_info)
{
	struct mb m;
	struct mb2_mmap_entry e[2] = {
		{ .base = 0, .len = 0x9fc00, .type = 1 },
		{ .base = 0x100000, .len = 0x1ff00000, .type = 1 },
	};
	uint8_t rsdp[20] = "RSD PTR ";

	start(&m);
	tag(&m, MB2_TAG_CMDLINE, "quick iters=5", 14);
	tag(&m, MB2_TAG_LOADER, "GRUB 2.06", 10);
	mmap_tag(&m, e, 2, 24);
	tag(&m, MB2_TAG_ACPI_OLD, rsdp, sizeof(rsdp));
	finish(&m);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), 0);
	CHECK_STR(bi.cmdline, "quick iters=5");
	CHECK_STR(bi.loader, "GRUB 2.06");
	CHECK_EQ(bi.nmem, 2);
	CHECK_EQ(bi.mem[1].base, 0x100000);
	CHECK_EQ(bi.mem[1].len, 0x1ff00000);
	CHECK(bi.rsdp != NULL);
	CHECK(!bi.rsdp_new);
	CHECK(!bi.efi);
}

TEST(efi_tags_mean_uefi_and_new_rsdp_wins)
{
	struct mb m;
	uint8_t r1[20] = "RSD PTR ", r2[36] = "RSD PTR ";
	uint64_t st = 0x12345678;

	start(&m);
	tag(&m, MB2_TAG_ACPI_NEW, r2, sizeof(r2));
	tag(&m, MB2_TAG_ACPI_OLD, r1, sizeof(r1));
	tag(&m, MB2_TAG_EFI64, &st, 8);
	finish(&m);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), 0);
	CHECK(bi.efi);
	CHECK(bi.rsdp_new);
	CHECK_EQ(bi.rsdp_len, 36);
	CHECK_STR(bi.cmdline, "");
	CHECK_STR(bi.loader, "unknown");
}

TEST(larger_mmap_entries_are_stepped_by_entry_size)
{
	struct mb m;
	struct mb2_mmap_entry e[3] = {
		{ .base = 0x1000, .len = 0x1000, .type = 1 },
		{ .base = 0x2000, .len = 0x2000, .type = 2 },
		{ .base = 0x4000, .len = 0x3000, .type = 3 },
	};

	start(&m);
	mmap_tag(&m, e, 3, 32);
	finish(&m);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), 0);
	CHECK_EQ(bi.nmem, 3);
	CHECK_EQ(bi.mem[2].base, 0x4000);
	CHECK_EQ(bi.mem[2].type, 3);
}

TEST(bad_inputs_are_errors_not_reads)
{
	struct mb m;
	uint32_t v;

	CHECK_EQ(mb2_parse(NULL, 100, &bi, err, sizeof(err)), -1);
	start(&m);
	tag(&m, MB2_TAG_LOADER, "x", 2);
	finish(&m);
	/* total_size larger than what may be read */
	CHECK_EQ(mb2_parse(m.words, m.len - 1, &bi, err, sizeof(err)), -1);
	CHECK(strstr(err, "total_size") != NULL);
	/* misaligned pointer */
	CHECK_EQ(mb2_parse(bytes(&m) + 4, m.len, &bi, err, sizeof(err)), -1);
	/* no end tag: total_size cuts it off */
	start(&m);
	tag(&m, MB2_TAG_LOADER, "x", 2);
	v = (uint32_t)m.len;
	memcpy(bytes(&m), &v, 4);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), -1);
	CHECK(strstr(err, "end tag") != NULL);
	/* a tag whose size runs past the end */
	start(&m);
	tag(&m, MB2_TAG_LOADER, "x", 2);
	finish(&m);
	v = 4000;
	memcpy(bytes(&m) + 12, &v, 4);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), -1);
	CHECK(strstr(err, "tag size") != NULL);
	/* a string without its terminator */
	start(&m);
	tag(&m, MB2_TAG_CMDLINE, "abcd", 4);
	finish(&m);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), -1);
	CHECK(strstr(err, "not terminated") != NULL);
	/* a memory map entry size that is too small */
	start(&m);
	{
		struct mb2_mmap_entry e = { .base = 0, .len = 1, .type = 1 };

		mmap_tag(&m, &e, 1, 16);
	}
	finish(&m);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), -1);
	CHECK(strstr(err, "entry size") != NULL);
	/* an end tag of the wrong size */
	start(&m);
	tag(&m, MB2_TAG_END, "12345678", 8);
	v = (uint32_t)m.len;
	memcpy(bytes(&m), &v, 4);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), -1);
}

TEST(too_many_mmap_entries_are_counted_not_overflowed)
{
	static struct mb m;
	struct mb2_mmap_entry e[16];
	uint8_t buf[8 + 24 * (MB2_MMAP_MAX + 5)];
	uint32_t esize = 24, ver = 0;

	memset(e, 0, sizeof(e));
	start(&m);
	memcpy(buf, &esize, 4);
	memcpy(buf + 4, &ver, 4);
	for (int i = 0; i < MB2_MMAP_MAX + 5; i++) {
		struct mb2_mmap_entry x = { .base = (uint64_t)i << 20, .len = 4096, .type = 1 };

		memcpy(buf + 8 + i * 24, &x, 24);
	}
	tag(&m, MB2_TAG_MMAP, buf, sizeof(buf));
	finish(&m);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), 0);
	CHECK_EQ(bi.nmem, MB2_MMAP_MAX);
	CHECK_EQ(bi.mem_dropped, 5);
}

/* A framebuffer tag as GRUB writes it: common part, then (RGB) six colour bytes. */
static void fb_tag(struct mb *m, uint64_t addr, uint32_t pitch, uint32_t w,
		   uint32_t h, uint8_t bpp, uint8_t type, bool colours)
{
	uint8_t buf[30] = { 0 };
	struct mb2_fb_common c = { .addr = addr, .pitch = pitch, .width = w,
				   .height = h, .bpp = bpp, .type = type };
	const uint8_t rgb[6] = { 16, 8, 8, 8, 0, 8 };

	memcpy(buf, &c, sizeof(c));
	if (colours)
		memcpy(buf + sizeof(c), rgb, sizeof(rgb));
	tag(m, MB2_TAG_FRAMEBUFFER, buf, sizeof(c) + (colours ? 6 : 0));
}

TEST(framebuffer_rgb_and_ega_text)
{
	struct mb m;

	start(&m);
	fb_tag(&m, 0xfd000000, 4096, 1024, 768, 32, MB2_FB_RGB, true);
	finish(&m);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), 0);
	CHECK(bi.fb.present);
	CHECK_EQ(bi.fb.type, MB2_FB_RGB);
	CHECK_EQ(bi.fb.addr, 0xfd000000);
	CHECK_EQ(bi.fb.pitch, 4096);
	CHECK_EQ(bi.fb.width, 1024);
	CHECK_EQ(bi.fb.height, 768);
	CHECK_EQ(bi.fb.bpp, 32);
	CHECK_EQ(bi.fb.red_pos, 16);
	CHECK_EQ(bi.fb.green_size, 8);
	CHECK_EQ(bi.fb.blue_pos, 0);

	start(&m);
	fb_tag(&m, 0xb8000, 160, 80, 25, 16, MB2_FB_EGA_TEXT, false);
	finish(&m);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), 0);
	CHECK(bi.fb.present);
	CHECK_EQ(bi.fb.type, MB2_FB_EGA_TEXT);
	CHECK_EQ(bi.fb.width, 80);

	/* No tag: no screen. */
	start(&m);
	finish(&m);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), 0);
	CHECK(!bi.fb.present);
}

TEST(framebuffer_odd_geometry_leaves_screen_off)
{
	struct mb m;

	/* pitch shorter than a line */
	start(&m);
	fb_tag(&m, 0xfd000000, 1000, 1024, 768, 32, MB2_FB_RGB, true);
	finish(&m);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), 0);
	CHECK(!bi.fb.present);
	/* indexed colour, 8 bpp */
	start(&m);
	fb_tag(&m, 0xfd000000, 1024, 1024, 768, 8, MB2_FB_INDEXED, false);
	finish(&m);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), 0);
	CHECK(!bi.fb.present);
	/* a colour field past the pixel */
	start(&m);
	fb_tag(&m, 0xfd000000, 2048, 1024, 768, 16, MB2_FB_RGB, true);
	finish(&m);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), 0);
	CHECK(!bi.fb.present);
	/* RGB without its colour bytes is malformed */
	start(&m);
	fb_tag(&m, 0xfd000000, 4096, 1024, 768, 32, MB2_FB_RGB, false);
	finish(&m);
	CHECK_EQ(mb2_parse(m.words, m.len, &bi, err, sizeof(err)), -1);
	CHECK(strstr(err, "colour") != NULL);
}

int main(void)
{
	RUN(full_bios_info);
	RUN(efi_tags_mean_uefi_and_new_rsdp_wins);
	RUN(larger_mmap_entries_are_stepped_by_entry_size);
	RUN(bad_inputs_are_errors_not_reads);
	RUN(too_many_mmap_entries_are_counted_not_overflowed);
	RUN(framebuffer_rgb_and_ega_text);
	RUN(framebuffer_odd_geometry_leaves_screen_off);
	return check_done();
}
