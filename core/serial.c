/* SPDX-License-Identifier: MIT */
#include "serial.h"
#include "x86.h"

/* 16550 registers (offsets in register units) */
#define UART_THR	0	/* transmit holding (DLAB=0) */
#define UART_DLL	0	/* divisor latch low (DLAB=1) */
#define UART_IER	1
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define   LCR_8N1	0x03
#define   LCR_DLAB	0x80
#define UART_MCR	4
#define   MCR_DTR_RTS	0x03
#define UART_LSR	5
#define   LSR_THRE	0x20	/* transmit holding register empty */
#define UART_SCR	7

/* Bound the wait for THRE: a UART that never drains must not hang us. */
#define UART_SPIN_MAX	100000

static struct serial_port uart;

static uint8_t reg_read(unsigned reg)
{
	uintptr_t a;

	if (!uart.mmio)
		return inb((uint16_t)(uart.base + reg));
	a = (uintptr_t)(uart.base + ((uint64_t)reg << uart.reg_shift));
	switch (uart.width) {
	case 4: return (uint8_t)*(volatile uint32_t *)a;
	case 2: return (uint8_t)*(volatile uint16_t *)a;
	default: return *(volatile uint8_t *)a;
	}
}

static void reg_write(unsigned reg, uint8_t v)
{
	uintptr_t a;

	if (!uart.mmio) {
		outb((uint16_t)(uart.base + reg), v);
		return;
	}
	a = (uintptr_t)(uart.base + ((uint64_t)reg << uart.reg_shift));
	switch (uart.width) {
	case 4: *(volatile uint32_t *)a = v; break;
	case 2: *(volatile uint16_t *)a = v; break;
	default: *(volatile uint8_t *)a = v; break;
	}
}

static bool uart_setup(void)
{
	/* A missing port reads back 0xff: check that the scratch register holds values. */
	reg_write(UART_SCR, 0x5a);
	if (reg_read(UART_SCR) != 0x5a)
		return false;
	reg_write(UART_SCR, 0xa5);
	if (reg_read(UART_SCR) != 0xa5)
		return false;

	reg_write(UART_IER, 0);			/* polled: no interrupts */
	/*
	 * The divisor only when both clock and rate are known; otherwise the
	 * firmware's stays (SPCR baud 0 means "as configured", and an MMIO
	 * UART's clock is rarely the PC's 1.8432 MHz).
	 */
	if (uart.clock && uart.baud && uart.clock / 16 / uart.baud) {
		unsigned div = uart.clock / 16 / uart.baud;

		reg_write(UART_LCR, LCR_DLAB);
		reg_write(UART_DLL, div & 0xff);
		reg_write(UART_DLM, (div >> 8) & 0xff);
	}
	reg_write(UART_LCR, LCR_8N1);
	reg_write(UART_FCR, 0x07);		/* enable and clear FIFOs */
	reg_write(UART_MCR, MCR_DTR_RTS);
	return true;
}

bool serial_init(const struct serial_port *want)
{
	uart = *want;
	if (!uart.mmio)
		uart.width = 1, uart.reg_shift = 0;
	if (uart.width != 2 && uart.width != 4)
		uart.width = 1;
	uart.present = uart_setup();
	return uart.present;
}

bool serial_init_pio(uint16_t port)
{
	return serial_init(&(struct serial_port){ .base = port, .clock = UART_CLOCK_PC,
						   .baud = UART_BAUD });
}

void serial_off(void)
{
	uart.present = false;
}

const struct serial_port *serial_current(void)
{
	return &uart;
}

static void put(char c)
{
	for (unsigned i = 0; i < UART_SPIN_MAX; i++)
		if (reg_read(UART_LSR) & LSR_THRE)
			break;
	reg_write(UART_THR, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
	if (!uart.present)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
}
