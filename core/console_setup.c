/* SPDX-License-Identifier: MIT */
/*
 * serial=auto, the default: the UART ACPI's SPCR names when there is a
 * usable one (servers whose console is an MMIO UART or COM2), else COM1 if
 * it answers, else none; the screen stays either way. Until ACPI is parsed
 * the boot lines go to COM1 if it answers; a later switch replays them on
 * the new UART, so it carries the whole stream.
 */
#include "console_setup.h"
#include "acpi.h"
#include "console.h"
#include "fbcon.h"
#include "fmt.h"
#include "pci.h"
#include "screen.h"
#include "serial.h"
#include "vm.h"
#include "x86_regs.h"

#define EARLY_MAP_TOP	(4ULL << 30)	/* boot/entry.S maps the first 4 GiB */
#define COM1		0x3f8

static const struct boot_fb *screen_fb;
static bool screen_late;		/* the framebuffer lies above the early map */
static char serial_how[128] = "none";

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

static bool com1(void)
{
	return serial_init_pio(COM1);
}

void console_setup_early(const struct boot_info *bi, const struct config *cfg)
{
	const struct boot_fb *fb = &bi->fb;

	switch (cfg->serial) {
	case SERIAL_NONE:
		serial_off();
		fmt_buf(serial_how, sizeof(serial_how), "none (serial=none)");
		break;
	case SERIAL_PORT:
		if (serial_init_pio(cfg->serial_port)) {
			fmt_buf(serial_how, sizeof(serial_how), "io 0x%x (serial=)",
				cfg->serial_port);
		} else if (com1()) {
			klog("serial: no UART at 0x%x, staying on 0x3f8", cfg->serial_port);
			fmt_buf(serial_how, sizeof(serial_how), "io 0x3f8 (no UART at 0x%x)",
				cfg->serial_port);
		}
		break;
	default:	/* auto, spcr, mmio: COM1 until ACPI and the page tables */
		if (com1())
			fmt_buf(serial_how, sizeof(serial_how), "io 0x3f8 (COM1 answers)");
		break;
	}
	screen_fb = fb;
	if (fb->present && fb->addr + (uint64_t)fb->pitch * fb->height > EARLY_MAP_TOP)
		screen_late = true;	/* after vm_init maps it */
	else
		screen_setup(fb);
}

/* Switches to want; on success the early lines are replayed there. */
static bool switch_to(const struct serial_port *want)
{
	const struct serial_port *cur = serial_current();
	bool same = cur->present && cur->mmio == want->mmio && cur->base == want->base;

	if (want->mmio)
		vm_map_mmio(want->base, PAGE_SIZE);
	if (!serial_init(want))
		return false;
	if (!same)
		console_replay_serial();
	return true;
}

/* A PCI UART's address from its BAR 0 (segment 0, through 0xcf8). */
static bool spcr_pci_bar(const struct spcr_info *s, struct serial_port *p)
{
	uint32_t bar, cmd;

	if (s->pci_segment != 0) {
		klog("serial: SPCR UART at PCI %x:%02x:%02x.%x: segment not reachable "
		     "through 0xcf8", s->pci_segment, s->pci_bus, s->pci_device, s->pci_function);
		return false;
	}
	bar = pci_conf_read32(s->pci_bus, s->pci_device, s->pci_function, PCI_BAR0);
	if (bar == 0xffffffffu || bar == 0)
		return false;
	cmd = pci_conf_read32(s->pci_bus, s->pci_device, s->pci_function, PCI_COMMAND);
	if (bar & PCI_BAR_IO) {
		p->mmio = false;
		p->base = bar & ~3u;
		cmd |= PCI_COMMAND_IO;
	} else {
		p->mmio = true;
		p->base = bar & ~0xfu;
		if ((bar & 6) == PCI_BAR_MEM64)
			p->base |= (uint64_t)pci_conf_read32(s->pci_bus, s->pci_device,
							     s->pci_function, PCI_BAR0 + 4) << 32;
		cmd |= PCI_COMMAND_MEM;
	}
	pci_conf_write32(s->pci_bus, s->pci_device, s->pci_function, PCI_COMMAND, cmd);
	return p->base != 0;
}

/* The SPCR UART, as the table describes it; false when unusable or silent. */
static bool serial_spcr(void)
{
	const struct spcr_info *s = &acpi.spcr_info;
	struct serial_port p = { .mmio = s->space == ACPI_GAS_MEM, .base = s->addr,
				 .width = s->width, .reg_shift = s->reg_shift,
				 .clock = s->clock, .baud = s->baud };
	char where[64];

	if (!acpi.spcr)
		return false;
	if (!p.base && s->pci && !spcr_pci_bar(s, &p)) {
		klog("serial: SPCR UART at PCI %02x:%02x.%x has no usable BAR",
		     s->pci_bus, s->pci_device, s->pci_function);
		return false;
	}
	/* The PC's COM ports have the PC's clock even when SPCR does not say. */
	if (!p.mmio && !p.clock)
		p.clock = UART_CLOCK_PC;
	fmt_buf(where, sizeof(where), "%s 0x%lx", p.mmio ? "mmio" : "io", p.base);
	if (!switch_to(&p)) {
		if (com1()) {
			klog("serial: the SPCR UART (type %u, %s) did not answer; console on COM1 0x3f8",
			     s->iftype, where);
			fmt_buf(serial_how, sizeof(serial_how),
				"io 0x3f8 (COM1; SPCR UART %s did not answer)", where);
		} else {
			fmt_buf(serial_how, sizeof(serial_how),
				"none (SPCR UART %s did not answer; no COM1)", where);
		}
		return true;	/* decided, with a line saying so */
	}
	fmt_buf(serial_how, sizeof(serial_how),
		"spcr %s width %u stride %u clock %u baud %u%s", where, p.mmio ? p.width : 1,
		1u << (p.mmio ? p.reg_shift : 0), p.clock, s->baud,
		(p.clock && s->baud) ? "" : " (firmware divisor kept)");
	klog("serial: console on the SPCR UART, %s", serial_how + 5);
	return true;
}

static void serial_mmio(const struct config *cfg)
{
	struct serial_port p = { .mmio = true, .base = cfg->serial_mmio,
				 .width = cfg->serial_width,
				 .reg_shift = cfg->serial_width == 4 ? 2 : cfg->serial_width == 2 ? 1 : 0 };

	if (switch_to(&p)) {
		fmt_buf(serial_how, sizeof(serial_how),
			"mmio 0x%lx width %u (serial=; firmware divisor kept)",
			cfg->serial_mmio, cfg->serial_width);
		return;
	}
	if (com1()) {
		klog("serial: no UART at mmio 0x%lx; console on COM1 0x3f8", cfg->serial_mmio);
		fmt_buf(serial_how, sizeof(serial_how), "io 0x3f8 (no UART at mmio 0x%lx)",
			cfg->serial_mmio);
	} else {
		fmt_buf(serial_how, sizeof(serial_how), "none (no UART at mmio 0x%lx)",
			cfg->serial_mmio);
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
	switch (cfg->serial) {
	case SERIAL_AUTO:
	case SERIAL_SPCR:
		if (!serial_spcr()) {
			if (cfg->serial == SERIAL_SPCR)
				klog("serial: serial=spcr but there is no usable SPCR table");
			if (serial_current()->present)
				fmt_buf(serial_how, sizeof(serial_how), "io 0x3f8 (no usable SPCR; COM1 answers)");
			else
				fmt_buf(serial_how, sizeof(serial_how), "none (no usable SPCR; no COM1)");
		}
		break;
	case SERIAL_MMIO:
		serial_mmio(cfg);
		break;
	default:
		break;
	}
	console_early_done();
}

void console_meta(struct csv *t)
{
	char buf[160];

	csv_field(buf, sizeof(buf), serial_how);
	csv_row(t, "console_serial,%s", buf);
	csv_field(buf, sizeof(buf), screen_describe());
	csv_row(t, "console_screen,%s", buf);
}
