/* SPDX-License-Identifier: MIT */
/*
 * TSC frequency: CPUID leaf 0x15 (crystal ratio) or 0x16 (base frequency)
 * when they say, the hypervisor timing leaf 0x40000010 next, otherwise
 * calibrated against HPET, the ACPI PM timer, or PIT channel 2, in that
 * order. The source is named in `meta`. Where CPUID gives a rate and HPET
 * or the PM timer exists, the rate is measured too and `meta` shows both
 * and how far apart they are. Each reference read is bracketed by two
 * TSC reads and the tightest bracket kept.
 */
#include "tsc.h"
#include "console.h"
#include "cpuinfo.h"
#include "msr.h"
#include "str.h"
#include "x86.h"

uint64_t tsc_hz;
const char *tsc_source = "none";
bool tsc_invariant;

#define MAX_REFCLOCKS	4
static struct refclock refclocks[MAX_REFCLOCKS];
static unsigned nrefclocks;

void tsc_add_refclock(const struct refclock *rc)
{
	if (nrefclocks < MAX_REFCLOCKS)
		refclocks[nrefclocks++] = *rc;
}

bool tsc_fence_mfence;
const char *tsc_fence = "lfence";

/*
 * As Linux's init_amd: on AMD (and Hygon) families 10h-18h but 11h, LFENCE
 * serializes dispatch only with DE_CFG[1] set; firmware and hypervisors
 * usually set it, a guest may not be allowed to (the access may #GP:
 * safe accessors). Families 0Fh and 11h have a serializing LFENCE and no
 * such bit; from 19h on it is always set. Read back: only a set bit counts.
 */
void tsc_fence_init(void)
{
	bool amd = str_eq(cpuinfo.vendor, "AuthenticAMD") ||
		   str_eq(cpuinfo.vendor, "HygonGenuine");
	uint64_t v;

	/* Intel; AMD 0Fh/11h (no bit); 19h+ (always set, even if unreadable) */
	if (!amd || cpuinfo.family < 0x10 || cpuinfo.family == 0x11 ||
	    cpuinfo.family >= 0x19)
		return;
	if (rdmsr_safe(MSR_AMD_DE_CFG, &v) && (v & MSR_AMD_DE_CFG_LFENCE_SERIALIZE))
		return;		/* already set by firmware or the hypervisor */
	if (rdmsr_safe(MSR_AMD_DE_CFG, &v) &&
	    wrmsr_safe(MSR_AMD_DE_CFG, v | MSR_AMD_DE_CFG_LFENCE_SERIALIZE) &&
	    rdmsr_safe(MSR_AMD_DE_CFG, &v) && (v & MSR_AMD_DE_CFG_LFENCE_SERIALIZE)) {
		tsc_fence = "lfence_decfg";
		return;
	}
	tsc_fence_mfence = true;
	tsc_fence = "mfence";
	klog("tsc: AMD family %xh: LFENCE not made dispatch-serializing (DE_CFG "
	     "C001_1029[1] not settable); timestamps use mfence; rdtsc", cpuinfo.family);
}

uint64_t tsc_ms(uint64_t ms)
{
	return tsc_hz / 1000 * ms;
}

uint64_t tsc_us(uint64_t us)
{
	return tsc_hz / 1000000 * us;
}

uint64_t us_since(uint64_t t0)
{
	uint64_t per_us = tsc_hz / 1000000;

	return (rdtsc() - t0) / (per_us ? per_us : 1);
}

uint64_t ms_since(uint64_t t0)
{
	return us_since(t0) / 1000;
}

void udelay(uint64_t us)
{
	uint64_t end = rdtsc() + tsc_us(us);

	while ((int64_t)(rdtsc() - end) < 0)
		cpu_pause();
}

static uint64_t from_cpuid(const char **src)
{
	uint32_t max = cpuid(0, 0).eax;

	if (max >= 0x15) {
		struct cpuid_regs r = cpuid(0x15, 0);

		/* TSC = crystal (ECX Hz) * EBX / EAX (SDM vol. 3B 18.7.3). */
		if (r.eax && r.ebx && r.ecx) {
			*src = "cpuid15";
			return (uint64_t)r.ecx * r.ebx / r.eax;
		}
	}
	if (max >= 0x16) {
		struct cpuid_regs r = cpuid(0x16, 0);

		if (r.eax & 0xffff) {
			*src = "cpuid16";
			return (uint64_t)(r.eax & 0xffff) * 1000000;
		}
	}
	/* Hypervisor timing leaf (KVM/VMware convention): EAX = TSC kHz. */
	if (cpuid(1, 0).ecx & (1u << 31)) {
		uint32_t hmax = cpuid(0x40000000, 0).eax;

		if (hmax >= 0x40000010 && hmax < 0x40010000) {
			struct cpuid_regs r = cpuid(0x40000010, 0);

			if (r.eax) {
				*src = "hypervisor";
				return (uint64_t)r.eax * 1000;
			}
		}
	}
	return 0;
}

/*
 * One reference read bracketed by two TSC reads, the tightest of
 * BRACKET_TRIES: *tsc is the bracket's middle, the return its width. A
 * read that was delayed (an SMI, a VM exit) shows as a wide bracket and
 * loses to a tight one, instead of biasing the rate.
 */
#define BRACKET_TRIES	8
static uint64_t bracket_read(const struct refclock *rc, uint64_t *ref, uint64_t *tsc)
{
	uint64_t best = ~0ULL;

	for (int i = 0; i < BRACKET_TRIES; i++) {
		uint64_t t0 = rdtsc_fenced(), r = rc->read(), t1 = rdtsc_fenced();

		if (t1 - t0 < best) {
			best = t1 - t0;
			*ref = r;
			*tsc = t0 + (t1 - t0) / 2;
		}
	}
	return best;
}

/* The last calibration's uncertainty: bracket widths over the span, ppm. */
uint64_t tsc_hz_bracket_ppm;

/*
 * TSC ticks over ~10 ms of a reference counter, three runs; the run whose
 * two brackets are the tightest is kept (not the lowest rate: that keeps
 * the runs whose first read was delayed).
 */
static uint64_t calibrate_ref(const struct refclock *rc)
{
	uint64_t mask = rc->bits >= 64 ? ~0ULL : (1ULL << rc->bits) - 1;
	uint64_t span = rc->hz / 100, best = 0, best_w = ~0ULL, best_dt = 1;

	for (int run = 0; run < 3; run++) {
		uint64_t r0 = 0, r1 = 0, t0 = 0, t1 = 0, w, spins = 0;

		w = bracket_read(rc, &r0, &t0);
		do {
			if (++spins > 100000000ULL)
				return 0;	/* the counter does not move */
		} while (((rc->read() - r0) & mask) < span);
		w += bracket_read(rc, &r1, &t1);
		if (!((r1 - r0) & mask) || t1 <= t0)
			continue;
		if (w < best_w) {
			best_w = w;
			best_dt = t1 - t0;
			best = (t1 - t0) * rc->hz / ((r1 - r0) & mask);
		}
	}
	/* Each end is known to half its bracket: the two halves over the span. */
	if (best)
		tsc_hz_bracket_ppm = best_w / 2 * 1000000 / best_dt;
	return best;
}

#define PIT_HZ		1193182
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61	/* bit 0 gate, bit 1 speaker, bit 5 OUT2 */

/* PIT channel 2 in mode 0 counts down ~10 ms; OUT2 goes high at zero. */
static uint64_t calibrate_pit(void)
{
	uint16_t count = PIT_HZ / 100;
	uint64_t best = 0, best_w = ~0ULL;

	for (int run = 0; run < 3; run++) {
		uint64_t t0, t1, tb, spins = 0;
		uint8_t gate;

		outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);
		outb(PIT_CMD, 0xb0);	/* channel 2, lo/hi byte, mode 0 */
		outb(PIT_CH2, count & 0xff);
		tb = rdtsc_fenced();
		outb(PIT_CH2, count >> 8);	/* counting starts with this write */
		t0 = rdtsc_fenced();
		uint64_t w0 = t0 - tb;

		t0 -= w0 / 2;
		/* The edge lies between the last poll that saw OUT2 low and this one. */
		uint64_t prev = t0;

		tb = t0;
		do {
			prev = tb;
			tb = rdtsc_fenced();
			gate = inb(PIT_GATE);
			if (++spins > 50000000ULL)
				return 0;	/* no PIT */
		} while (!(gate & 0x20));
		t1 = rdtsc_fenced();
		tb = prev;
		uint64_t w = w0 + (t1 - tb);

		t1 -= (t1 - tb) / 2;
		/* As calibrate_ref: the tightest brackets win, not the lowest rate. */
		if (w < best_w) {
			best_w = w;
			best = (t1 - t0) * PIT_HZ / count;
		}
	}
	return best;
}

uint64_t tsc_hz_cpuid, tsc_hz_measured;
/* 25%: six times the 4% seen on a real server, far below an emulator's 70x. */
#define TSC_CPUID_TRUST_PPM	250000
const char *tsc_measured_source = "none";

void tsc_init(void)
{
	struct cpuid_regs r = cpuid(0x80000000, 0);
	const char *cpuid_src = "none";

	/* CPUID 0x80000007 EDX[8]: the TSC rate is constant in all states. */
	if (r.eax >= 0x80000007)
		tsc_invariant = cpuid(0x80000007, 0).edx & (1u << 8);

	/*
	 * Both the CPUID rate and a measured one where there are both: a
	 * server has been seen whose CPUID said 1896 MHz where HPET and the
	 * PM timer said 1975. CPUID wins (it is the rate the firmware
	 * declares); `meta` shows how far the measurement disagrees. Unless
	 * it is off by more than TSC_CPUID_TRUST_PPM: then the leaf describes
	 * some other clock, as under Bochs, whose CPU models carry the real
	 * part's CPUID 0x16 (3500 MHz for Skylake-X) while its TSC, HPET and
	 * PM timer all tick at the configured ips (50 MHz): trusting CPUID
	 * there made every ns figure 70 times too small and every wait 70
	 * times too long.
	 */
	tsc_hz_cpuid = from_cpuid(&cpuid_src);
	for (unsigned i = 0; !tsc_hz_measured && i < nrefclocks; i++) {
		tsc_hz_measured = calibrate_ref(&refclocks[i]);
		if (tsc_hz_measured)
			tsc_measured_source = refclocks[i].name;
	}
	if (tsc_hz_cpuid && !(tsc_hz_measured && tsc_disagree_ppm() > TSC_CPUID_TRUST_PPM)) {
		tsc_hz = tsc_hz_cpuid;
		tsc_source = cpuid_src;
	} else if (tsc_hz_measured) {
		tsc_hz = tsc_hz_measured;
		tsc_source = tsc_measured_source;
	}
	if (!tsc_hz) {
		tsc_hz = calibrate_pit();
		if (tsc_hz)
			tsc_source = "pit";
	}
	if (!tsc_hz) {
		/* Nothing to measure against: say so rather than guess quietly. */
		tsc_hz = 1000000000ULL;
		tsc_source = "assumed";
		klog("tsc: no frequency source (no CPUID 0x15/0x16, HPET, PM timer or PIT); assuming 1 GHz, ns figures are wrong");
	}
	if (tsc_hz_cpuid && tsc_hz_measured) {
		uint64_t ppm = tsc_disagree_ppm();

		klog("tsc: %s says %lu Hz, %s measures %lu Hz (+-%lu ppm): %lu ppm apart",
		     cpuid_src, tsc_hz_cpuid, tsc_measured_source, tsc_hz_measured,
		     tsc_hz_bracket_ppm, ppm);
	}
}

uint64_t tsc_disagree_ppm(void)
{
	uint64_t a = tsc_hz_cpuid, b = tsc_hz_measured;

	if (!a || !b)
		return UINT64_MAX;
	return (a > b ? a - b : b - a) * 1000000 / a;
}
