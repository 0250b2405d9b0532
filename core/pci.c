/* SPDX-License-Identifier: MIT */
#include "pci.h"
#include "x86.h"

/* Configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2). */
static uint32_t conf_addr(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	return 0x80000000u | (bus & 0xff) << 16 | (dev & 0x1f) << 11 |
	       (fn & 7) << 8 | (off & 0xfc);
}

uint32_t pci_conf_read32(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	outl(PCI_CONF_ADDR, conf_addr(bus, dev, fn, off));
	return inl(PCI_CONF_DATA);
}

void pci_conf_write32(unsigned bus, unsigned dev, unsigned fn, unsigned off, uint32_t v)
{
	outl(PCI_CONF_ADDR, conf_addr(bus, dev, fn, off));
	outl(PCI_CONF_DATA, v);
}
