/* SPDX-License-Identifier: MIT */
/*
 * The IDT: 256 gates into boot/isr.S's stubs. Exceptions (0..31) end the run
 * with a register dump and status 3; vectors 32..255 go to the handlers
 * that apic/ and bench/ install.
 */
#include <stddef.h>
#include "idt.h"
#include "console.h"
#include "msr.h"
#include "panic.h"
#include "percpu.h"
#include "x86.h"

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;		/* interrupt stack table index, 0 = none */
	uint8_t type;		/* 0x8e: present, DPL 0, 64-bit interrupt gate */
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "SDM vol. 3A fig. 6-8");

struct tss {
	uint32_t rsvd0;
	uint64_t rsp[3];
	uint64_t rsvd1;
	uint64_t ist[7];
	uint64_t rsvd2;
	uint16_t rsvd3;
	uint16_t iomap;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "SDM vol. 3A fig. 8-11");

#define IST_FAULT	1	/* double fault, NMI and machine check stack */

static struct idt_gate idt[256] __attribute__((aligned(16)));
static irq_handler_t handlers[256];
static bool (*irq_filter)(unsigned vector);

void idt_set_filter(bool (*filter)(unsigned vector))
{
	irq_filter = filter;
}

extern char isr_stubs[];
extern uint64_t gdt[];

void idt_set_handler(unsigned vector, irq_handler_t fn)
{
	if (vector < 32 || vector > 255)
		panic("idt_set_handler: vector %u is reserved", vector);
	handlers[vector] = fn;
}

static void gate(unsigned v, uint8_t ist)
{
	uint64_t a = (uint64_t)(uintptr_t)(isr_stubs + 16 * v);

	idt[v] = (struct idt_gate){
		.off_lo = a & 0xffff, .sel = GDT_CODE64, .ist = ist,
		.type = 0x8e, .off_mid = (a >> 16) & 0xffff,
		.off_hi = (uint32_t)(a >> 32),
	};
}

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++)
		gate(v, (v == 2 || v == 8 || v == 18) ? IST_FAULT : 0);
}

/*
 * Each CPU has its own TSS (in its per-CPU area) for the fault stack, so a
 * double fault on a broken stack still gets a dump. The descriptor in the
 * shared GDT is rewritten and loaded one CPU at a time (the caller holds
 * apic/smpboot.c's lock: APs start in parallel); LTR marks the descriptor
 * busy, so it is rewritten before each reuse.
 */
void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1,
					   (uint64_t)(uintptr_t)idt };
	struct percpu *pc = this_cpu_ptr();
	struct tss *tss = (struct tss *)pc->tss;
	uint64_t base = (uint64_t)(uintptr_t)tss;
	uint64_t limit = sizeof(*tss) - 1;

	_Static_assert(sizeof(pc->tss) >= sizeof(struct tss), "tss space");
	tss->ist[IST_FAULT - 1] = (uint64_t)(uintptr_t)(pc->fault_stack +
							sizeof(pc->fault_stack));
	tss->iomap = sizeof(*tss);
	gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			   (0x89ULL << 40) |	/* present, 64-bit TSS available */
			   (((limit >> 16) & 0xf) << 48) |
			   (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS / 8 + 1] = base >> 32;
	asm volatile("lidt %0" : : "m"(idtr));
	asm volatile("ltr %w0" : : "r"(GDT_TSS));
}

static const char *const exc_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved 15",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection",
	"reserved 22", "reserved 23", "reserved 24", "reserved 25",
	"reserved 26", "reserved 27", "#HV hypervisor injection",
	"#VC VMM communication", "#SX security", "reserved 31",
};

void isr_dispatch(struct regs *r);
void isr_dispatch(struct regs *r)
{
	irq_handler_t fn = handlers[r->vector];

	if (r->vector >= 32 && fn) {
		if (irq_filter && irq_filter((unsigned)r->vector))
			return;
		fn(r);
		return;
	}
	if (msr_fixup(r))	/* rdmsr_safe/wrmsr_safe: an MSR that is not there */
		return;
	panic_regs(r, r->vector < 32 ? exc_names[r->vector]
				     : "unexpected interrupt");
}
