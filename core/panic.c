/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include "panic.h"
#include "console.h"
#include "exit.h"
#include "idt.h"
#include "percpu.h"
#include "x86.h"

void (*panic_stop_others)(void);
static volatile int panicking;

/*
 * The first CPU to panic owns the report; any other CPU that faults after
 * (or takes the stop NMI) halts quietly, so the dump is printed once.
 */
static void claim_or_halt(void)
{
	cli();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL)) {
		for (;;)
			hlt();
	}
	if (panic_stop_others)
		panic_stop_others();
}

extern char _kernel_start[], _kernel_end[];

void backtrace(uint64_t rbp, uint64_t rip)
{
	klog("backtrace: %016lx", rip);
	for (int depth = 0; depth < 16 && rbp; depth++) {
		uint64_t *frame = (uint64_t *)(uintptr_t)rbp;

		/* Follow only frames that lie in identity-mapped low memory. */
		if (rbp & 7 || rbp < 0x1000 || rbp > 0xffffffffULL)
			break;
		klog("backtrace: %016lx", frame[1]);
		rbp = frame[0];
	}
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	uint64_t rbp;

	claim_or_halt();
	va_start(ap, fmt);
	fmt_vbuf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	klog("PANIC on cpu %u: %s", smp_processor_id(), msg);
	asm volatile("mov %%rbp, %0" : "=r"(rbp));
	backtrace(rbp, (uint64_t)(uintptr_t)__builtin_return_address(0));
	volley_exit(STATUS_PANIC);
}

void panic_regs(const struct regs *r, const char *what)
{
	claim_or_halt();
	console_break_lock();	/* the faulting CPU may hold it */
	klog("PANIC on cpu %u: exception %s", smp_processor_id(), what);
	regs_dump(r);
	volley_exit(STATUS_PANIC);
}
