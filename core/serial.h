/* SPDX-License-Identifier: MIT */
/* 16550 UART, polled, 115200 8N1. */
#ifndef VOLLEY_CORE_SERIAL_H
#define VOLLEY_CORE_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Port I/O or MMIO (32-bit registers, as ACPI SPCR may describe). */
struct serial_port {
	bool present;
	bool mmio;
	uint64_t base;
	unsigned reg_shift;
};

/* Probes the UART through its scratch register; absent -> output dropped. */
bool serial_init_pio(uint16_t port);
bool serial_init_mmio(uint64_t base, unsigned reg_shift);
void serial_write(const char *s, size_t n);
const struct serial_port *serial_current(void);

#endif
