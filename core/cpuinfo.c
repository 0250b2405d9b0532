/* SPDX-License-Identifier: MIT */
#include "cpuinfo.h"
#include "topology.h"
#include "str.h"
#include "x86.h"

struct cpuinfo cpuinfo;

static void regs_to_str(char *dst, const uint32_t *r, int n)
{
	mem_copy(dst, r, (size_t)n * 4);
	dst[n * 4] = 0;
}

void cpuinfo_init(void)
{
	struct cpuid_regs r = cpuid(0, 0);
	uint32_t v[3] = { r.ebx, r.edx, r.ecx }, max = r.eax, xmax;
	struct cpuinfo *c = &cpuinfo;

	regs_to_str(c->vendor, v, 3);
	r = cpuid(1, 0);
	/* SDM vol. 2A CPUID: display family/model from the extended fields. */
	c->family = (r.eax >> 8) & 0xf;
	c->model = (r.eax >> 4) & 0xf;
	c->stepping = r.eax & 0xf;
	if (c->family == 0xf)
		c->family += (r.eax >> 20) & 0xff;
	if (c->family == 0x6 || c->family >= 0xf)
		c->model |= ((r.eax >> 16) & 0xf) << 4;
	c->x2apic = r.ecx & (1u << 21);
	c->mwait = r.ecx & (1u << 3);
	c->pcid = r.ecx & (1u << 17);
	if (max >= 7)
		c->invpcid = cpuid(7, 0).ebx & (1u << 10);

	str_copy(c->hypervisor, "none", sizeof(c->hypervisor));
	if (r.ecx & (1u << 31)) {
		struct cpuid_regs h = cpuid(0x40000000, 0);
		uint32_t s[3] = { h.ebx, h.ecx, h.edx };

		regs_to_str(c->hypervisor, s, 3);
		/* Signatures are NUL-padded ("KVMKVMKVM\0\0\0"); keep printable. */
		for (int i = 0; i < 12; i++)
			if (c->hypervisor[i] && (c->hypervisor[i] < 32 || c->hypervisor[i] > 126))
				c->hypervisor[i] = '?';
		if (!c->hypervisor[0])
			str_copy(c->hypervisor, "unknown", sizeof(c->hypervisor));
	}

	xmax = cpuid(0x80000000, 0).eax;
	if (xmax >= 0x80000001) {
		r = cpuid(0x80000001, 0);
		c->rdtscp = r.edx & (1u << 27);
		c->pdpe1gb = r.edx & (1u << 26);
	}
	if (xmax >= 0x80000008)
		c->invlpgb = cpuid(0x80000008, 0).ebx & (1u << 3);
	if (xmax >= 0x80000004) {
		uint32_t b[12];

		for (int i = 0; i < 3; i++) {
			r = cpuid(0x80000002 + i, 0);
			b[i * 4] = r.eax;
			b[i * 4 + 1] = r.ebx;
			b[i * 4 + 2] = r.ecx;
			b[i * 4 + 3] = r.edx;
		}
		regs_to_str(c->brand, b, 12);
	}
	/* Brand strings are often padded with leading spaces. */
	char *p = c->brand;
	while (*p == ' ')
		p++;
	if (p != c->brand)
		mem_copy(c->brand, p, str_len(p) + 1);
	if (!c->brand[0])
		str_copy(c->brand, "unknown", sizeof(c->brand));
}

/* topology_decode() on this CPU's own CPUID (core/topology.c is pure). */
static struct topo_cpuid cpuid_here(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r = cpuid(leaf, subleaf);

	return (struct topo_cpuid){ r.eax, r.ebx, r.ecx, r.edx };
}

void topology_detect(struct cpu_topo *t)
{
	topology_decode(t, cpuid_here);
}
