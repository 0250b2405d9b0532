/* SPDX-License-Identifier: MIT */
/*
 * core/topology.c on CPUID tables laid out as the SDM (leaves 1, 4, 0xB,
 * 0x1F) and the APM (0x80000008, 0x8000001D, 0x8000001E, 0x80000026)
 * describe them: which leaf wins, and where the APIC ID's bits go.
 */
#include <stdint.h>
#include "check.h"
#include "core/topology.h"

#define AMD	0x68747541u	/* "Auth" */
#define INTEL	0x756e6547u	/* "Genu" */
#define ANY	0xffffffffu

struct leaf {
	uint32_t leaf, sub;
	struct topo_cpuid r;
};

static const struct leaf *cur;

static struct topo_cpuid fake(uint32_t leaf, uint32_t sub)
{
	for (const struct leaf *l = cur; l->leaf || l->r.eax || l->r.ebx; l++)
		if (l->leaf == leaf && (l->sub == ANY || l->sub == sub))
			return l->r;
	return (struct topo_cpuid){ 0, 0, 0, 0 };
}

static struct cpu_topo decode(const struct leaf *t)
{
	struct cpu_topo topo;

	cur = t;
	topology_decode(&topo, fake);
	return topo;
}

/* An extended-topology subleaf: shift, type, x2APIC ID. */
#define EXT(l, s, shift, type, id) { l, s, { shift, 1, (type) << 8 | (s), id } }
/* A cache subleaf (CPUID 4 / 0x8000001D): type, level, sharing threads. */
#define CACHE(l, s, type, level, share) \
	{ l, s, { (type) | (level) << 5 | ((share) - 1) << 14, 0, 0, 0 } }

/*
 * A Zen 4 part (Genoa-like): 2 threads per core, 8 cores per CCX, one CCX
 * per CCD, up to 16 CCDs per socket. APIC ID of socket 1, CCD 5, core 3,
 * thread 1: 1 << 8 | 5 << 4 | 3 << 1 | 1 = 0x157. Its 0xB leaf is left
 * wrong on purpose: 0x80000026 must win on AMD.
 */
static const struct leaf zen4[] = {
	{ 0, ANY, { 0x10, AMD, 0, 0 } },
	{ 0x80000000, ANY, { 0x80000026, 0, 0, 0 } },
	{ 1, ANY, { 0, 0x157u << 24 | 32 << 16, 0, 1u << 28 } },
	EXT(0xb, 0, 2, 1, 0x157), EXT(0xb, 1, 9, 2, 0x157),
	EXT(0x80000026, 0, 1, 1, 0x157), EXT(0x80000026, 1, 4, 2, 0x157),
	EXT(0x80000026, 2, 4, 3, 0x157), EXT(0x80000026, 3, 8, 4, 0x157),
	{ 0x80000001, ANY, { 0, 0, 1u << 22, 0 } },
	CACHE(0x8000001d, 0, 1, 1, 2), CACHE(0x8000001d, 1, 2, 1, 2),
	CACHE(0x8000001d, 2, 3, 2, 2), CACHE(0x8000001d, 3, 3, 3, 16),
	{ 0, 0, { 0, 0, 0, 0 } },
};

TEST(amd_0x80000026_wins)
{
	struct cpu_topo t = decode(zen4);

	CHECK_STR(t.source, "amd26");
	CHECK_EQ(t.x2apic_id, 0x157);
	CHECK_EQ(t.thread, 1);
	CHECK_EQ(t.core, 3);
	CHECK_EQ(t.die, 5);		/* the CCX/CCD */
	CHECK_EQ(t.package, 1);
	CHECK_EQ(t.llc_level, 3);	/* the L3 of 16 threads: the CCX */
	CHECK_EQ(t.llc, 0x157 >> 4);
}

/*
 * Intel with dies (0x1F): SMT shift 1, core shift 6, die shift 7. APIC ID
 * of package 2, die 1, core 5, thread 0. The L3 is shared by the die.
 */
static const struct leaf intel_dies[] = {
	{ 0, ANY, { 0x1f, INTEL, 0, 0 } },
	{ 0x80000000, ANY, { 0x80000008, 0, 0, 0 } },
	{ 1, ANY, { 0, 0, 0, 1u << 28 } },
	EXT(0x1f, 0, 1, 1, 0x14a), EXT(0x1f, 1, 6, 2, 0x14a), EXT(0x1f, 2, 7, 5, 0x14a),
	EXT(0xb, 0, 1, 1, 0x14a), EXT(0xb, 1, 7, 2, 0x14a),
	CACHE(4, 0, 1, 1, 2), CACHE(4, 1, 2, 1, 2), CACHE(4, 2, 3, 2, 2),
	CACHE(4, 3, 3, 3, 128),
	{ 0, 0, { 0, 0, 0, 0 } },
};

TEST(intel_0x1f_dies)
{
	struct cpu_topo t = decode(intel_dies);

	CHECK_STR(t.source, "cpuid1f");
	CHECK_EQ(t.package, 2);
	CHECK_EQ(t.die, 1);
	CHECK_EQ(t.core, 5);
	CHECK_EQ(t.thread, 0);
	CHECK_EQ(t.llc_level, 3);
	CHECK_EQ(t.llc, 0x14a >> 7);
}

/*
 * A Zen 2-like part without extended topology leaves: 0x80000008's NC
 * counts threads there, so only 0x8000001E (TOPOEXT) says 2 per core.
 * 16 logical CPUs; APIC ID 13 is core 6, thread 1.
 */
static struct leaf zen2[] = {
	{ 0, ANY, { 0xa, AMD, 0, 0 } },
	{ 0x80000000, ANY, { 0x8000001e, 0, 0, 0 } },
	{ 1, ANY, { 0, 13u << 24 | 16 << 16, 0, 1u << 28 } },
	{ 0x80000001, ANY, { 0, 0, 1u << 22, 0 } },
	{ 0x80000008, ANY, { 0, 0, 15, 0 } },
	{ 0x8000001e, ANY, { 13, 1 << 8 | 6, 0, 0 } },
	{ 0, 0, { 0, 0, 0, 0 } },
};

TEST(amd_0x8000001e_threads)
{
	struct cpu_topo t = decode(zen2);

	CHECK_STR(t.source, "amd1e");
	CHECK_EQ(t.thread, 1);
	CHECK_EQ(t.core, 6);
	CHECK_EQ(t.package, 0);
	/* without TOPOEXT NC is all there is: 16 single-thread cores */
	zen2[3].r.ecx = 0;
	t = decode(zen2);
	CHECK_STR(t.source, "amd");
	CHECK_EQ(t.thread, 0);
	CHECK_EQ(t.core, 13);
	zen2[3].r.ecx = 1u << 22;
}

/* Leaf 1 and 4 only: 8 logical, 4 cores per package; APIC ID 0xb. */
static const struct leaf legacy[] = {
	{ 0, ANY, { 4, INTEL, 0, 0 } },
	{ 0x80000000, ANY, { 0x80000004, 0, 0, 0 } },
	{ 1, ANY, { 0, 0xbu << 24 | 8 << 16, 0, 1u << 28 } },
	{ 4, ANY, { 3u << 26 | 1, 0, 0, 0 } },
	{ 0, 0, { 0, 0, 0, 0 } },
};

TEST(legacy_leaf_1_and_4)
{
	struct cpu_topo t = decode(legacy);

	CHECK_STR(t.source, "legacy");
	CHECK_EQ(t.package, 1);
	CHECK_EQ(t.core, 1);
	CHECK_EQ(t.thread, 1);
}

/*
 * Bochs 2.7's Skylake-X at count=2:2:1, the CPU of APIC ID 3: leaf 0xB is
 * generated (core level shift 1, then a typeless package level), leaf 4 is
 * the real part's fixed table (an L3 of 16 sharers). The L3 must not join
 * the two packages.
 */
static const struct leaf bochs_skx[] = {
	{ 0, ANY, { 0x16, INTEL, 0, 0 } },
	{ 0x80000000, ANY, { 0x80000008, 0, 0, 0 } },
	{ 1, ANY, { 0, 3u << 24 | 2 << 16, 0, 0 } },
	EXT(0xb, 0, 1, 2, 3), EXT(0xb, 1, 1, 0, 3),
	CACHE(4, 0, 1, 1, 2), CACHE(4, 1, 2, 1, 2), CACHE(4, 2, 3, 2, 2),
	CACHE(4, 3, 3, 3, 16),
	{ 0, 0, { 0, 0, 0, 0 } },
};

TEST(llc_within_the_package)
{
	struct cpu_topo t = decode(bochs_skx);

	CHECK_STR(t.source, "cpuidb");
	CHECK_EQ(t.package, 1);
	CHECK_EQ(t.core, 1);
	CHECK_EQ(t.thread, 0);
	CHECK_EQ(t.llc_level, 3);
	CHECK_EQ(t.llc, 1);		/* clamped to the package, not 3 >> 4 = 0 */
}

int main(void)
{
	RUN(amd_0x80000026_wins);
	RUN(intel_0x1f_dies);
	RUN(amd_0x8000001e_threads);
	RUN(legacy_leaf_1_and_4);
	RUN(llc_within_the_package);
	return check_done();
}
