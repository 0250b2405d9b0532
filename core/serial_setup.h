/* SPDX-License-Identifier: MIT */
/*
 * Which UART is the console: policy over the 16550 driver (core/serial.c).
 * COM1 from the first line of kmain; the command line's port once it is
 * parsed; the UART the firmware names in ACPI SPCR once the tables are read.
 */
#ifndef VOLLEY_CORE_SERIAL_SETUP_H
#define VOLLEY_CORE_SERIAL_SETUP_H

#include <stdbool.h>
#include <stdint.h>

/* serial=PORT: that port if a UART answers there, else stays on COM1. */
void serial_setup_port(uint16_t port);
/* serial=spcr (after acpi_init()): the SPCR UART, else stays on COM1. */
void serial_setup_spcr(void);

#endif
