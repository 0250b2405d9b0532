/* SPDX-License-Identifier: MIT */
#include "apic.h"
#include "core/console.h"
#include "core/cpuinfo.h"
#include "core/errors.h"
#include "core/fmt.h"
#include "core/idt.h"
#include "core/percpu.h"
#include "core/str.h"
#include "core/tsc.h"
#include "core/vm.h"
#include "core/wait.h"
#include "core/x86.h"

enum apic_mode apic_mode;
bool apic_x2apic_by_firmware;
uint32_t apic_icr_writes;
bool apic_icr_fence = true;
volatile uint32_t apic_errors, apic_last_esr;
uint32_t cpu_ldr[NR_CPUS];

static volatile uint8_t *xapic_base;

/* An ICR that stays busy this long is stuck: report and go on. */
#define ICR_IDLE_MS	10

const char *apic_mode_name(void)
{
	return apic_mode == APIC_X2APIC ? "x2apic" : "xapic";
}

uint32_t apic_read(unsigned reg)
{
	if (apic_mode == APIC_X2APIC)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + reg / 16);
	return *(volatile uint32_t *)(xapic_base + reg);
}

void apic_write(unsigned reg, uint32_t v)
{
	if (apic_mode == APIC_X2APIC)
		wrmsr(X2APIC_MSR_BASE + reg / 16, v);
	else
		*(volatile uint32_t *)(xapic_base + reg) = v;
}

uint32_t apic_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return apic_mode == APIC_X2APIC ? id : id >> 24;
}

/*
 * Brings this CPU's APIC into the chosen mode following the valid state
 * transitions of SDM vol. 3A 11.12.5 (fig. 11-27): disabled -> xAPIC ->
 * x2APIC, and x2APIC -> disabled (-> xAPIC). x2APIC -> xAPIC directly is
 * invalid and raises #GP.
 */
static void mode_enter(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	bool en = base & APIC_BASE_EN, extd = base & APIC_BASE_EXTD;

	if (apic_mode == APIC_XAPIC) {
		if (extd) {
			base &= ~(uint64_t)(APIC_BASE_EN | APIC_BASE_EXTD);
			wrmsr(MSR_APIC_BASE, base);
			en = false;
		}
		if (!en)
			wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN);
	} else {
		if (!en)
			wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN);
		if (!extd)
			wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
	}
}

int apic_init(enum apic_mode_req req, uint32_t max_apic_id, char *err,
	      unsigned errlen)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	apic_icr_fence = !str_eq(cpuinfo.vendor, "AuthenticAMD") &&
			 !str_eq(cpuinfo.vendor, "HygonGenuine");
	apic_x2apic_by_firmware = (base & (APIC_BASE_EN | APIC_BASE_EXTD)) ==
				  (APIC_BASE_EN | APIC_BASE_EXTD);
	switch (req) {
	case APIC_REQ_X2APIC:
		if (!cpuinfo.x2apic) {
			fmt_buf(err, errlen, "apic: x2apic requested but this CPU has no x2APIC (accepts auto|xapic)");
			return -1;
		}
		apic_mode = APIC_X2APIC;
		break;
	case APIC_REQ_XAPIC:
		/* xAPIC destinations are 8 bits; 0xff is broadcast. */
		if (max_apic_id >= 0xff) {
			fmt_buf(err, errlen, "apic: xapic refused: APIC IDs up to %u need x2APIC (accepts auto|x2apic)",
				max_apic_id);
			return -1;
		}
		apic_mode = APIC_XAPIC;
		break;
	default:
		apic_mode = cpuinfo.x2apic ? APIC_X2APIC : APIC_XAPIC;
		break;
	}
	if (apic_mode == APIC_XAPIC) {
		uint64_t pa = base & ~0xfffULL & ((1ULL << 52) - 1);

		vm_map_mmio(pa, PAGE_SIZE);
		xapic_base = (volatile uint8_t *)(uintptr_t)pa;
	}
	return 0;
}

static void spurious(struct regs *r)
{
	(void)r;	/* SDM 11.9: no EOI for the spurious vector */
}

static void apic_error(struct regs *r)
{
	(void)r;
	apic_write(APIC_ESR, 0);	/* latch the error bits, then read */
	apic_last_esr = apic_read(APIC_ESR);
	__atomic_fetch_add(&apic_errors, 1, __ATOMIC_RELAXED);
	apic_eoi();
}

static void wake(struct regs *r)
{
	(void)r;	/* only there to end a hlt */
	apic_eoi();
}

void apic_setup_cpu(void)
{
	unsigned cpu = smp_processor_id();
	unsigned maxlvt;

	mode_enter();
	maxlvt = (apic_read(APIC_VERSION) >> 16) & 0xff;
	apic_write(APIC_TPR, 0);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | VEC_SPURIOUS);
	/* No timer and no external interrupts while measuring. */
	apic_write(APIC_TIMER_INIT, 0);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
	if (maxlvt >= 4)
		apic_write(APIC_LVT_PERF, APIC_LVT_MASKED);
	if (maxlvt >= 5)
		apic_write(APIC_LVT_THERMAL, APIC_LVT_MASKED);
	apic_write(APIC_LVT_ERROR, VEC_APIC_ERROR);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
	if (apic_mode == APIC_XAPIC) {
		/* Flat model: one LDR bit per CPU, for the first 8 CPUs. */
		apic_write(APIC_DFR, APIC_DFR_FLAT);
		apic_write(APIC_LDR, cpu < 8 ? 1u << (24 + cpu) : 0);
		cpu_ldr[cpu] = cpu < 8 ? 1u << cpu : 0;
	} else {
		/* x2APIC LDR is read-only: cluster in 31:16, member bit in 15:0. */
		cpu_ldr[cpu] = apic_read(APIC_LDR);
	}
	apic_eoi();	/* drop anything left in service by firmware */
	if (cpu == 0) {
		idt_set_handler(VEC_SPURIOUS, spurious);
		idt_set_handler(VEC_APIC_ERROR, apic_error);
		idt_set_handler(VEC_WAKE, wake);
	}
}

/*
 * Every IPI send passes here, inside timed spans: the clock is read only
 * once the ICR is found busy (core/wait.h), never on the common path.
 */
static bool xapic_wait_idle(void)
{
	volatile uint32_t *icr = (volatile uint32_t *)(xapic_base + APIC_ICR);
	struct wait w;

	if (!(*icr & APIC_ICR_BUSY))
		return true;
	wait_start(&w, ICR_IDLE_MS);
	if (wait_until(&w, !(*icr & APIC_ICR_BUSY)))
		return true;
	error_add("icr", (int)smp_processor_id(), ICR_IDLE_MS * 1000,
		  "ICR delivery status stuck busy");
	return false;
}

bool apic_icr_write(uint32_t low, uint32_t dest)
{
	apic_icr_writes++;
	if (apic_mode == APIC_X2APIC) {
		/*
		 * On Intel WRMSR to the x2APIC ICR is not serializing (SDM
		 * vol. 3A 11.12.3): fence so that the stores the target will
		 * look for are globally visible before the IPI can arrive, as
		 * Linux's weak_wrmsr_fence(). On AMD the write is serializing
		 * and Linux fences nothing (X86_FEATURE_APIC_MSRS_FENCE unset).
		 */
		if (apic_icr_fence)
			asm volatile("mfence; lfence" ::: "memory");
		wrmsr(X2APIC_MSR_BASE + APIC_ICR / 16, ((uint64_t)dest << 32) | low);
		return true;
	}
	if (!xapic_wait_idle())
		return false;
	*(volatile uint32_t *)(xapic_base + APIC_ICR2) = dest << 24;
	*(volatile uint32_t *)(xapic_base + APIC_ICR) = low;
	return true;
}

bool apic_send_ipi(uint32_t id, unsigned vector)
{
	return apic_icr_write(APIC_DM_FIXED | vector, id);
}

bool apic_send_ipi_mask(const struct cpumask *mask, unsigned vector)
{
	bool ok = true;
	unsigned cpu;

	for_each_cpu(cpu, mask)
		ok &= apic_icr_write(APIC_DM_FIXED | vector, cpu_apic_id[cpu]);
	return ok;
}

bool apic_logical_possible(const struct cpumask *mask)
{
	unsigned cpu;

	for_each_cpu(cpu, mask)
		if (!cpu_ldr[cpu])
			return false;
	return true;
}

bool apic_send_ipi_logical(const struct cpumask *mask, unsigned vector)
{
	unsigned cpu;

	if (apic_mode == APIC_XAPIC) {
		uint32_t dest = 0;

		for_each_cpu(cpu, mask)
			dest |= cpu_ldr[cpu];
		return apic_icr_write(APIC_DM_FIXED | APIC_DEST_LOGICAL | vector,
				      dest);
	}
	/* x2APIC cluster mode: one ICR write per cluster (LDR bits 31:16). */
	struct cpumask left;
	bool ok = true;

	cpumask_copy(&left, mask);
	while (!cpumask_empty(&left)) {
		unsigned first = cpumask_first(&left);
		uint32_t cluster = cpu_ldr[first] & 0xffff0000u, bits = 0;

		for_each_cpu(cpu, &left) {
			if ((cpu_ldr[cpu] & 0xffff0000u) == cluster) {
				bits |= cpu_ldr[cpu] & 0xffff;
				cpumask_clear_cpu(cpu, &left);
			}
		}
		ok &= apic_icr_write(APIC_DM_FIXED | APIC_DEST_LOGICAL | vector,
				     cluster | bits);
	}
	return ok;
}

bool __apic_send_ipi_allbutself(unsigned vector)
{
	return apic_icr_write(APIC_DM_FIXED | APIC_DEST_ALLBUT | vector, 0);
}

/*
 * The all-but-self shorthand reaches every APIC on the bus, including CPUs
 * that were never started or were parked with INIT after failing to start;
 * an NMI or a fixed vector there would run code that is not set up. So, as
 * Linux's default_send_IPI_allbutself guards its shorthand, the shorthand
 * only when every present CPU is online; otherwise one ICR write per
 * online CPU.
 */
static bool send_allbutself(uint32_t low)
{
	struct cpumask others;
	bool ok = true;
	unsigned cpu, self = smp_processor_id();

	if (cpus_all_present_online())
		return apic_icr_write(low | APIC_DEST_ALLBUT, 0);
	cpumask_copy(&others, &cpu_online_mask);
	cpumask_clear_cpu(self, &others);
	for_each_cpu(cpu, &others)
		ok &= apic_icr_write(low, cpu_apic_id[cpu]);
	return ok;
}

bool apic_send_ipi_allbutself(unsigned vector)
{
	return send_allbutself(APIC_DM_FIXED | vector);
}

bool apic_send_ipi_all(unsigned vector)
{
	return apic_icr_write(APIC_DM_FIXED | APIC_DEST_ALL | vector, 0);
}

bool apic_send_ipi_self(unsigned vector)
{
	if (apic_mode == APIC_X2APIC) {
		apic_icr_writes++;
		wrmsr(X2APIC_MSR_BASE + APIC_SELF_IPI / 16, vector);
		return true;
	}
	return apic_icr_write(APIC_DM_FIXED | APIC_DEST_SELF | vector, 0);
}

bool apic_send_nmi_allbutself(void)
{
	return send_allbutself(APIC_DM_NMI);
}
