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

#define UART_CLOCK	1843200
#define UART_BAUD	115200

/* Bound the wait for THRE: a UART that never drains must not hang us. */
#define UART_SPIN_MAX	100000

static struct serial_port uart;

static uint8_t reg_read(unsigned reg)
{
	if (uart.mmio)
		return (uint8_t)*(volatile uint32_t *)(uintptr_t)
			(uart.base + ((uint64_t)reg << uart.reg_shift));
	return inb((uint16_t)(uart.base + reg));
}

static void reg_write(unsigned reg, uint8_t v)
{
	if (uart.mmio)
		*(volatile uint32_t *)(uintptr_t)
			(uart.base + ((uint64_t)reg << uart.reg_shift)) = v;
	else
		outb((uint16_t)(uart.base + reg), v);
}

static bool uart_setup(void)
{
	unsigned div = UART_CLOCK / 16 / UART_BAUD;

	/* A missing port reads back 0xff: check that the scratch register holds values. */
	reg_write(UART_SCR, 0x5a);
	if (reg_read(UART_SCR) != 0x5a)
		return false;
	reg_write(UART_SCR, 0xa5);
	if (reg_read(UART_SCR) != 0xa5)
		return false;

	reg_write(UART_IER, 0);			/* polled: no interrupts */
	reg_write(UART_LCR, LCR_DLAB);
	reg_write(UART_DLL, div & 0xff);
	reg_write(UART_DLM, div >> 8);
	reg_write(UART_LCR, LCR_8N1);
	reg_write(UART_FCR, 0x07);		/* enable and clear FIFOs */
	reg_write(UART_MCR, MCR_DTR_RTS);
	return true;
}

bool serial_init_pio(uint16_t port)
{
	uart = (struct serial_port){ .mmio = false, .base = port };
	uart.present = uart_setup();
	return uart.present;
}

bool serial_init_mmio(uint64_t base, unsigned reg_shift)
{
	uart = (struct serial_port){ .mmio = true, .base = base,
				     .reg_shift = reg_shift };
	uart.present = uart_setup();
	return uart.present;
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
