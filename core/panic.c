/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include "panic.h"
#include "console.h"
#include "exit.h"
#include "regs.h"
#include "percpu.h"
#include "x86.h"

static void (*stop_others)(void);

void panic_set_stop_others(void (*fn)(void))
{
	stop_others = fn;
}
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
	if (stop_others)
		stop_others();
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

/* The fixed-format register dump (kvm-unit-tests style). */
static void regs_dump(const struct regs *r, const char *what)
{
	klog("vector=%lu (%s) error=0x%lx cpu=%u", r->vector, what, r->error,
	     smp_processor_id());
	klog("rip=%016lx rflags=%016lx cs=%04lx rsp=%016lx ss=%04lx",
	     r->rip, r->rflags, r->cs, r->rsp, r->ss);
	klog("rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx",
	     r->rax, r->rbx, r->rcx, r->rdx);
	klog("rsi=%016lx rdi=%016lx rbp=%016lx r8 =%016lx",
	     r->rsi, r->rdi, r->rbp, r->r8);
	klog("r9 =%016lx r10=%016lx r11=%016lx r12=%016lx",
	     r->r9, r->r10, r->r11, r->r12);
	klog("r13=%016lx r14=%016lx r15=%016lx", r->r13, r->r14, r->r15);
	klog("cr0=%016lx cr2=%016lx cr3=%016lx cr4=%016lx",
	     read_cr0(), read_cr2(), read_cr3(), read_cr4());
	backtrace(r->rbp, r->rip);
}

void panic_regs(const struct regs *r, const char *what)
{
	claim_or_halt();
	console_break_lock();	/* the faulting CPU may hold it */
	klog("PANIC on cpu %u: exception %s", smp_processor_id(), what);
	regs_dump(r, what);
	volley_exit(STATUS_PANIC);
}
