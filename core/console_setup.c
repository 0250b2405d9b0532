/* SPDX-License-Identifier: MIT */
#include "console_setup.h"
#include "acpi.h"
#include "console.h"
#include "fbcon.h"
#include "fmt.h"
#include "screen.h"
#include "serial.h"
#include "vm.h"
#include "x86_regs.h"

#define EARLY_MAP_TOP	(4ULL << 30)	/* boot/entry.S maps the first 4 GiB */

static const struct boot_fb *screen_fb;
static bool screen_late;		/* the framebuffer lies above the early map */
static char serial_how[96] = "com1 0x3f8 (default)";

static void screen_setup(const struct boot_fb *fb)
{
	if (!screen_attach(fb)) {
		console_screen_ready();
		klog("screen: none (%s)", fb->present ? "framebuffer unusable"
						       : "no framebuffer from the boot loader");
		return;
	}
	console_screen_ready();
	klog("screen: %s", screen_describe());
}

void console_setup_early(const struct boot_info *bi, const struct config *cfg)
{
	const struct boot_fb *fb = &bi->fb;

	if (!cfg->serial_spcr && cfg->serial_port != 0x3f8) {
		if (serial_init_pio(cfg->serial_port)) {
			fmt_buf(serial_how, sizeof(serial_how), "port 0x%x (serial=)",
				cfg->serial_port);
		} else {
			serial_init_pio(0x3f8);
			klog("serial: no UART at 0x%x, staying on 0x3f8", cfg->serial_port);
			fmt_buf(serial_how, sizeof(serial_how),
				"com1 0x3f8 (no UART at 0x%x)", cfg->serial_port);
		}
	}
	screen_fb = fb;
	if (fb->present && fb->addr + (uint64_t)fb->pitch * fb->height > EARLY_MAP_TOP)
		screen_late = true;	/* after vm_init maps it */
	else
		screen_setup(fb);
}

/* serial=spcr: the UART the firmware names in ACPI SPCR. */
static void serial_spcr(void)
{
	const struct spcr_info *s = &acpi.spcr_info;
	bool ok = false;

	if (!acpi.spcr)
		klog("serial: serial=spcr but there is no usable SPCR table; staying on 0x3f8");
	else if (s->space == ACPI_GAS_IO)
		ok = serial_init_pio((uint16_t)s->addr);
	else if (s->space == ACPI_GAS_MEM) {
		vm_map_mmio(s->addr, PAGE_SIZE);
		ok = serial_init_mmio(s->addr, s->access_size == 3 ? 2 : 0);
	}
	if (!ok) {
		serial_init_pio(0x3f8);
		if (acpi.spcr)
			klog("serial: SPCR UART (type %u at 0x%lx) did not answer; staying on 0x3f8",
			     s->iftype, s->addr);
		fmt_buf(serial_how, sizeof(serial_how), "com1 0x3f8 (serial=spcr: %s)",
			acpi.spcr ? "SPCR UART did not answer" : "no usable SPCR");
	} else {
		klog("serial: console on the SPCR UART at 0x%lx", s->addr);
		fmt_buf(serial_how, sizeof(serial_how), "spcr %s 0x%lx",
			s->space == ACPI_GAS_IO ? "io" : "mmio", s->addr);
	}
}

void console_setup_acpi(const struct config *cfg)
{
	uint64_t pa, len;

	if (screen_late) {
		vm_map_mmio(screen_fb->addr, (uint64_t)screen_fb->pitch * screen_fb->height);
		screen_setup(screen_fb);
	} else {
		fbcon_range(&pa, &len);
		if (len)
			vm_map_mmio(pa, len);	/* MMIO: uncached, not the RAM map's WB */
	}
	if (cfg->serial_spcr)
		serial_spcr();
}

void console_meta(struct csv *t)
{
	csv_row(t, "console_serial,%s", serial_current()->present ? serial_how : "none");
	csv_row(t, "console_screen,%s", screen_describe());
}
