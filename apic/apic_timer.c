/* SPDX-License-Identifier: MIT */
#include "apic_timer.h"
#include "apic.h"
#include "core/idt.h"
#include "core/tsc.h"

#define APIC_TIMER_CUR	0x390	/* current count */
#define APIC_TIMER_DIV16	0x3	/* divide configuration: by 16 */
#define CALIBRATE_US	10000

uint64_t apic_timer_hz;

static void timer_irq(struct regs *r)
{
	(void)r;	/* only there to end a hlt */
	apic_eoi();
}

bool apic_timer_init(void)
{
	uint32_t left;

	idt_set_handler(VEC_TIMER, timer_irq);
	apic_write(APIC_TIMER_DIV, APIC_TIMER_DIV16);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | VEC_TIMER);	/* one-shot */
	apic_write(APIC_TIMER_INIT, 0xffffffffu);
	udelay(CALIBRATE_US);
	left = apic_read(APIC_TIMER_CUR);
	apic_write(APIC_TIMER_INIT, 0);
	apic_write(APIC_LVT_TIMER, VEC_TIMER);		/* unmasked, stopped */
	if (left == 0 || left == 0xffffffffu) {
		apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | VEC_TIMER);
		return false;
	}
	apic_timer_hz = (uint64_t)(0xffffffffu - left) * 1000000 / CALIBRATE_US;
	return apic_timer_hz != 0;
}

void apic_timer_oneshot_us(uint64_t us)
{
	uint64_t ticks = us * (apic_timer_hz / 1000) / 1000 + 1;

	apic_write(APIC_TIMER_INIT, ticks > 0xffffffffu ? 0xffffffffu : (uint32_t)ticks);
}

void apic_timer_stop(void)
{
	apic_write(APIC_TIMER_INIT, 0);
}
