/* SPDX-License-Identifier: MIT */
#include "serial_setup.h"
#include "acpi.h"
#include "console.h"
#include "serial.h"
#include "vm.h"
#include "x86.h"

void serial_setup_port(uint16_t port)
{
	if (port != 0x3f8 && !serial_init_pio(port)) {
		serial_init_pio(0x3f8);
		klog("serial: no UART at 0x%x, staying on 0x3f8", port);
	}
}

void serial_setup_spcr(void)
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
		klog("serial: SPCR UART (type %u at 0x%lx) did not answer; staying on 0x3f8",
		     s->iftype, s->addr);
	} else {
		klog("serial: console on the SPCR UART at 0x%lx", s->addr);
	}
}
