/* SPDX-License-Identifier: MIT */
/* PCI configuration space through the legacy 0xcf8/0xcfc ports (segment 0). */
#ifndef VOLLEY_CORE_PCI_H
#define VOLLEY_CORE_PCI_H

#include <stdint.h>

#define PCI_CONF_ADDR	0xcf8
#define PCI_CONF_DATA	0xcfc
#define PCI_COMMAND	0x04
#define   PCI_COMMAND_IO	0x1
#define   PCI_COMMAND_MEM	0x2
#define PCI_BAR0	0x10
#define   PCI_BAR_IO		0x1	/* bit 0: I/O space */
#define   PCI_BAR_MEM64		0x4	/* bits 2:1 = 2: 64-bit memory BAR */

uint32_t pci_conf_read32(unsigned bus, unsigned dev, unsigned fn, unsigned off);
void pci_conf_write32(unsigned bus, unsigned dev, unsigned fn, unsigned off, uint32_t v);

#endif
