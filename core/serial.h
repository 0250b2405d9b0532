/* SPDX-License-Identifier: MIT */
/*
 * 16550 UART, polled, 8N1: on I/O ports or MMIO with 8-, 16- or 32-bit
 * registers at their own stride (as ACPI SPCR, memtest86+'s mmio16/mmio32
 * and Linux describe them). Which UART is chosen is core/console_setup.c's.
 */
#ifndef VOLLEY_CORE_SERIAL_H
#define VOLLEY_CORE_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UART_CLOCK_PC	1843200		/* the PC's COM ports */
#define UART_BAUD	115200

struct serial_port {
	bool present;
	bool mmio;
	uint64_t base;		/* I/O port or physical address (identity-mapped) */
	unsigned width;		/* bytes per register access: 1, 2, 4 */
	unsigned reg_shift;	/* register stride = 1 << reg_shift bytes */
	uint32_t clock;		/* Hz; 0 = unknown: keep the firmware's divisor */
	uint32_t baud;		/* 0: keep the firmware's divisor */
};

/* Probes the UART through its scratch register; absent -> output dropped. */
bool serial_init(const struct serial_port *want);
/* A PC COM port at 115200 (clock 1.8432 MHz). */
bool serial_init_pio(uint16_t port);
/* No serial output at all (serial=none). */
void serial_off(void);
void serial_write(const char *s, size_t n);
const struct serial_port *serial_current(void);

#endif
