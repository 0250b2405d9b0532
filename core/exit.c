/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include "exit.h"
#include "console.h"
#include "tsc.h"
#include "x86.h"

/* QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4). */
#define QEMU_EXIT_PORT	0xf4
/* The 8042 keyboard controller's pulse-reset and the 0xcf9 reset register. */
#define KBC_CMD_PORT	0x64
#define RESET_CF9	0xcf9

static enum exit_mode exit_how = EXIT_AUTO;
static uint32_t exit_hold_ms;

void exit_set_mode(enum exit_mode how, uint32_t hold_ms)
{
	exit_how = how;
	exit_hold_ms = hold_ms;
}

/* CPUID.1:ECX[31]: set by hypervisors, clear on bare metal. */
static bool under_hypervisor(void)
{
	return cpuid(1, 0).ecx & (1u << 31);
}

static void reboot(void)
{
	outb(RESET_CF9, 0x02);
	outb(RESET_CF9, 0x06);		/* hard reset */
	for (int i = 0; i < 100000; i++)
		cpu_pause();
	outb(KBC_CMD_PORT, 0xfe);	/* pulse the reset line */
	for (int i = 0; i < 100000; i++)
		cpu_pause();
	/* Last resort: a triple fault through an empty IDT. */
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) z = { 0, 0 };
	asm volatile("lidt %0; ud2" : : "m"(z));
}

void volley_exit(int status)
{
	enum exit_mode how = exit_how;

	kprintf("# volley: done status=%d\n", status);
	cli();
	if (how == EXIT_AUTO)
		how = under_hypervisor() ? EXIT_QEMU : EXIT_HALT;
	if (how == EXIT_REBOOT)
		reboot();
	if (how == EXIT_QEMU) {
		/* hold_ms=: let a screen test's periodic screendump see the end page. */
		uint64_t t0 = rdtsc();

		while (tsc_hz && rdtsc() - t0 < (uint64_t)exit_hold_ms * (tsc_hz / 1000))
			cpu_pause();
		outl(QEMU_EXIT_PORT, (uint32_t)status);
	}
	/* On bare metal (or if the port is not there) stop here. */
	for (;;)
		hlt();
}
