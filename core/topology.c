/* SPDX-License-Identifier: MIT */
/*
 * CPU topology from CPUID (SDM vol. 3A 9.9 "Programming considerations for
 * hardware multi-threading capable processors"): the extended topology
 * leaves 0x1F (preferred) or 0xB give, per level, the number of APIC ID bits
 * below the next level up; AMD's 0x80000026 (Zen 4 on, APM vol. 3) has the
 * same layout with level types 1 core, 2 complex (CCX), 3 die (CCD), 4
 * socket, and is taken first on AMD as Linux does: its complex level is
 * the core boundary, so CCX and CCD land in `die`. Without them, leaf 1 /
 * leaf 4 (Intel) or 0x80000008 (AMD) give the logical-per-package and core
 * counts, and on AMD with TOPOEXT 0x8000001E EBX[15:8] the threads per
 * core.
 */
#include <stdbool.h>
#include "topology.h"

#define LEVEL_SMT	1
#define LEVEL_CORE	2

static unsigned bits_for(unsigned n)
{
	unsigned b = 0;

	while ((1u << b) < n)
		b++;
	return b;
}

static void split(struct cpu_topo *t, unsigned smt_bits, unsigned core_bits,
		  unsigned die_bits)
{
	/* core_bits/die_bits: APIC ID bits below the core/die level boundary */
	uint32_t id = t->x2apic_id;

	t->thread = id & ((1u << smt_bits) - 1);
	t->core = (id >> smt_bits) & ((1u << (core_bits - smt_bits)) - 1);
	t->die = (id >> core_bits) & ((1u << (die_bits - core_bits)) - 1);
	t->package = id >> die_bits;
	t->package_shift = die_bits;
}

static int extended(struct cpu_topo *t, uint32_t leaf, topo_cpuid_fn f)
{
	unsigned smt = 0, core = 0, last = 0;
	bool any = false;

	for (uint32_t sub = 0; sub < 8; sub++) {
		struct topo_cpuid r = f(leaf, sub);
		unsigned type = (r.ecx >> 8) & 0xff, shift = r.eax & 0x1f;

		if (!type)
			break;
		any = true;
		t->x2apic_id = r.edx;
		if (type == LEVEL_SMT)
			smt = shift;
		else if (type == LEVEL_CORE)
			core = shift;
		last = shift;	/* the top level's shift separates the package */
	}
	if (!any || !last)
		return -1;
	if (core < smt)
		core = smt;
	/* Levels between core and package (module, tile, die) count as die. */
	split(t, smt, core, last);
	return 0;
}

/*
 * The last-level cache and who shares it: the deterministic cache
 * parameters leaf, CPUID 4 (Intel, SDM vol. 2A) or 0x8000001D (AMD with
 * TOPOEXT, APM vol. 3), subleaf per cache: EAX[4:0] type (0 = no more),
 * EAX[7:5] level, EAX[25:14] logical processors sharing it - 1. CPUs whose
 * APIC IDs agree above the sharing bits share the cache (as Linux's
 * cacheinfo does with cpuid4's num_threads_sharing).
 */
static void last_level_cache(struct cpu_topo *t, uint32_t max, uint32_t xmax, bool amd,
			     topo_cpuid_fn f)
{
	uint32_t leaf = 0;

	/* TOPOEXT announces it; without, the leaf reads as zeros (no cache) */
	if (amd && xmax >= 0x8000001d && f(0x8000001d, 0).eax & 0x1f)
		leaf = 0x8000001d;
	else if (max >= 4)
		leaf = 4;	/* reserved (zero) on AMD parts; emulators fill it */
	t->llc_level = 0;
	t->llc = t->package;
	if (!leaf)
		return;
	for (uint32_t sub = 0; sub < 16; sub++) {
		struct topo_cpuid r = f(leaf, sub);
		unsigned type = r.eax & 0x1f, level = (r.eax >> 5) & 7;
		unsigned sharing = ((r.eax >> 14) & 0xfff) + 1;

		if (!type)
			break;
		if (type == 2 || level < t->llc_level)	/* instruction cache */
			continue;
		/*
		 * A cache lives inside one package. A table claiming more
		 * sharers than the package holds is the part's fixed table,
		 * not this machine's (Bochs: the real Skylake-X / Ryzen leaf
		 * with an L3 of 16 / 8 sharers in a 2-CPU package), and would
		 * join packages into one LLC: clamp it to the package.
		 */
		unsigned bits = bits_for(sharing);

		if (bits > t->package_shift)
			bits = t->package_shift;
		t->llc_level = level;
		t->llc = t->x2apic_id >> bits;
	}
}

static void detect(struct cpu_topo *t, topo_cpuid_fn f);

/* AMD or Hygon (their topology and cache leaves) */
static bool is_amd(topo_cpuid_fn f)
{
	uint32_t v = f(0, 0).ebx;

	return v == 0x68747541 /* "Auth" */ || v == 0x6f677948 /* "Hygo" */;
}

void topology_decode(struct cpu_topo *t, topo_cpuid_fn f)
{
	uint32_t max = f(0, 0).eax, xmax = f(0x80000000, 0).eax;

	detect(t, f);
	last_level_cache(t, max, xmax, is_amd(f), f);
}

static void detect(struct cpu_topo *t, topo_cpuid_fn f)
{
	uint32_t max = f(0, 0).eax, xmax = f(0x80000000, 0).eax;
	struct topo_cpuid l1 = f(1, 0);
	unsigned logical, cores = 1, smt_bits, core_bits;
	bool amd = is_amd(f);

	t->node = 0;
	if (amd && xmax >= 0x80000026 && !extended(t, 0x80000026, f)) {
		t->source = "amd26";
		return;
	}
	if (max >= 0x1f && !extended(t, 0x1f, f)) {
		t->source = "cpuid1f";
		return;
	}
	if (max >= 0xb && !extended(t, 0xb, f)) {
		t->source = "cpuidb";
		return;
	}
	t->x2apic_id = l1.ebx >> 24;
	logical = (l1.edx & (1u << 28)) ? (l1.ebx >> 16) & 0xff : 1;
	if (!logical)
		logical = 1;
	if (l1.ebx == 0 && l1.ecx == 0)
		logical = 1;
	if (xmax >= 0x80000008 && amd) {
		unsigned c = (f(0x80000008, 0).ecx & 0xff) + 1;

		cores = c;
		t->source = "amd";
		/* TOPOEXT: threads per core from 0x8000001E, not the ratio */
		if (xmax >= 0x8000001e && (f(0x80000001, 0).ecx & (1u << 22))) {
			unsigned tpc = ((f(0x8000001e, 0).ebx >> 8) & 0xff) + 1;

			if (tpc <= logical)
				cores = logical / tpc;
			t->source = "amd1e";
		}
	} else if (max >= 4) {
		cores = ((f(4, 0).eax >> 26) & 0x3f) + 1;
		t->source = "legacy";
	} else {
		t->source = "legacy";
	}
	if (cores > logical)
		cores = logical;
	smt_bits = bits_for(logical / cores);
	core_bits = bits_for(logical);
	split(t, smt_bits, core_bits, core_bits);
}
