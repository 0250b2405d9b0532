/* SPDX-License-Identifier: MIT */
#include "vm.h"
#include "console.h"
#include "panic.h"
#include "str.h"
#include "x86.h"

#define MAX_RANGES	64
#define LOW_MEM_TOP	0x100000ULL	/* below this: real-mode area, trampoline */
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

struct range {
	uint64_t base, end;	/* page-aligned, [base, end) */
};

static struct range ranges[MAX_RANGES];	/* free memory above 1 MiB */
static unsigned nranges;
static struct range low[16];		/* free memory below 1 MiB */
static unsigned nlow;
static uint64_t free_list;		/* freed frames: next pointer in the frame */
static uint64_t total_bytes, free_bytes, top_of_ram;

extern char _kernel_start[], _kernel_end[];

static void add_range(struct range *r, unsigned *n, unsigned max,
		      uint64_t base, uint64_t end)
{
	if (base >= end)
		return;
	if (*n == max) {
		klog("pmm: more than %u free ranges, ignoring %lx-%lx", max,
		     base, end);
		return;
	}
	r[(*n)++] = (struct range){ base, end };
}

/* Removes [b, e) from one set of free ranges. */
static void reserve_in(struct range *rs, unsigned *n, unsigned max,
		       uint64_t b, uint64_t e)
{
	for (unsigned i = 0; i < *n; i++) {
		struct range *r = &rs[i];

		if (e <= r->base || b >= r->end)
			continue;
		if (b > r->base && e < r->end) {	/* split in two */
			uint64_t tail = r->end;

			r->end = b;
			add_range(rs, n, max, e, tail);
		} else if (b <= r->base) {
			r->base = e < r->end ? e : r->end;
		} else {
			r->end = b;
		}
	}
}

/*
 * Removes [b, e) from the free memory (the kernel, the boot information),
 * below 1 MiB too: a loader may leave the information there, and the AP
 * trampoline page must not land on it.
 */
static void reserve(uint64_t b, uint64_t e)
{
	b &= ~(uint64_t)(PAGE_SIZE - 1);
	e = (e + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	reserve_in(ranges, &nranges, MAX_RANGES, b, e);
	reserve_in(low, &nlow, 16, b, e);
}

void pmm_init(const struct boot_info *bi, uint64_t info_phys)
{
	for (size_t i = 0; i < bi->nmem; i++) {
		const struct mem_range *m = &bi->mem[i];
		uint64_t b = (m->base + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		uint64_t e = (m->base + m->len) & ~(uint64_t)(PAGE_SIZE - 1);

		if (m->type != MB2_MEM_AVAILABLE || m->base + m->len < m->base)
			continue;
		total_bytes += m->len;
		if (m->base + m->len > top_of_ram)
			top_of_ram = m->base + m->len;
		/* Page 0 holds the real-mode IVT and BIOS data: never hand it out. */
		if (b < PAGE_SIZE)
			b = PAGE_SIZE;
		if (b < LOW_MEM_TOP)
			add_range(low, &nlow, 16, b, e < LOW_MEM_TOP ? e : LOW_MEM_TOP);
		if (e > LOW_MEM_TOP)
			add_range(ranges, &nranges, MAX_RANGES,
				  b > LOW_MEM_TOP ? b : LOW_MEM_TOP, e);
	}
	reserve((uint64_t)(uintptr_t)_kernel_start, (uint64_t)(uintptr_t)_kernel_end);
	reserve(info_phys, info_phys + bi->total_size);
	for (unsigned i = 0; i < nranges; i++)
		free_bytes += ranges[i].end - ranges[i].base;
	if (!nranges)
		panic("pmm: the memory map has no usable RAM above 1 MiB");
}

uint64_t pmm_alloc(void)
{
	uint64_t pa = 0;

	if (free_list) {
		pa = free_list;
		free_list = *(uint64_t *)(uintptr_t)pa;
	} else {
		/* Lowest range first: early allocations must sit below 4 GiB. */
		for (unsigned i = 0; i < nranges; i++) {
			if (ranges[i].base < ranges[i].end) {
				pa = ranges[i].base;
				ranges[i].base += PAGE_SIZE;
				break;
			}
		}
	}
	if (pa) {
		free_bytes -= PAGE_SIZE;
		mem_set((void *)(uintptr_t)pa, 0, PAGE_SIZE);
	}
	return pa;
}

void pmm_free(uint64_t pa)
{
	*(uint64_t *)(uintptr_t)pa = free_list;
	free_list = pa;
	free_bytes += PAGE_SIZE;
}

uint64_t pmm_alloc_low(void)
{
	/* The highest free page below the EBDA/VGA area, far from page 0. */
	for (unsigned i = nlow; i-- > 0; ) {
		uint64_t end = low[i].end > 0x9f000 ? 0x9f000 : low[i].end;

		if (end >= low[i].base + PAGE_SIZE) {
			uint64_t pa = end - PAGE_SIZE;

			low[i].end = pa;
			return pa;
		}
	}
	return 0;
}

uint64_t pmm_total_bytes(void)
{
	return total_bytes;
}

uint64_t pmm_free_bytes(void)
{
	return free_bytes;
}

uint64_t pmm_largest_contig(void)
{
	uint64_t best = 0;

	for (unsigned i = 0; i < nranges; i++)
		if (ranges[i].end - ranges[i].base > best)
			best = ranges[i].end - ranges[i].base;
	return best;
}

/* ---- page tables ------------------------------------------------------- */

static uint64_t *pml4;
static uint64_t identity_top = 4ULL << 30;	/* the early tables' */

uint64_t vm_identity_top(void)
{
	return identity_top;
}

uint64_t pmm_alloc_contig(unsigned n)
{
	for (unsigned i = 0; i < nranges; i++) {
		if (ranges[i].end - ranges[i].base >= (uint64_t)n * PAGE_SIZE) {
			uint64_t pa = ranges[i].base;

			ranges[i].base += (uint64_t)n * PAGE_SIZE;
			free_bytes -= (uint64_t)n * PAGE_SIZE;
			mem_set((void *)(uintptr_t)pa, 0, (size_t)n * PAGE_SIZE);
			return pa;
		}
	}
	return 0;
}

static uint64_t *table_alloc(void)
{
	uint64_t pa = pmm_alloc();

	if (!pa)
		panic("vm: out of memory for page tables");
	return (uint64_t *)(uintptr_t)pa;
}

/* The next-level table behind entry e, created when missing. */
static uint64_t *next_table(uint64_t *e, bool create)
{
	if (!(*e & PTE_P)) {
		if (!create)
			return 0;
		*e = (uint64_t)(uintptr_t)table_alloc() | PTE_P | PTE_W;
	}
	if (*e & PTE_PS)
		panic("vm: large page where a table was expected");
	return (uint64_t *)(uintptr_t)(*e & PTE_ADDR_MASK);
}

static uint64_t *pde_for(uint64_t va, bool create)
{
	uint64_t *pdpt = next_table(&pml4[(va >> 39) & 511], create);

	if (!pdpt)
		return 0;
	uint64_t *pd = next_table(&pdpt[(va >> 30) & 511], create);

	return pd ? &pd[(va >> 21) & 511] : 0;
}

void vm_init(void)
{
	/* Identity-map max(4 GiB, top of RAM): the low 4 GiB hold the MMIO. */
	uint64_t top = top_of_ram > (4ULL << 30) ? top_of_ram : (4ULL << 30);

	top = (top + LARGE_PAGE_SIZE - 1) & ~(uint64_t)(LARGE_PAGE_SIZE - 1);
	pml4 = table_alloc();
	for (uint64_t a = 0; a < top; a += LARGE_PAGE_SIZE)
		*pde_for(a, true) = a | PTE_P | PTE_W | PTE_PS;
	/* The top 32 MiB below 4 GiB is MMIO on PCs (LAPIC, I/O APIC, HPET). */
	vm_map_mmio(0xfe000000ULL, 0x2000000ULL);
	write_cr3((uint64_t)(uintptr_t)pml4);
	identity_top = top;
}

uint64_t vm_cr3(void)
{
	return (uint64_t)(uintptr_t)pml4;
}

void vm_map_mmio(uint64_t pa, uint64_t len)
{
	for (uint64_t a = pa & ~(uint64_t)(LARGE_PAGE_SIZE - 1); a < pa + len;
	     a += LARGE_PAGE_SIZE) {
		uint64_t *pde = pde_for(a, true);

		*pde = a | PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT;
		invlpg((void *)(uintptr_t)a);
	}
}

static void check_region(uint64_t va)
{
	if (va < VM_REGION_BASE || va >= VM_REGION_BASE + VM_REGION_SIZE ||
	    (va & (PAGE_SIZE - 1)))
		panic("vm: %lx is not a page in the 4 KiB region", va);
}

volatile uint64_t *vm_pte(uint64_t va)
{
	uint64_t *pde;

	check_region(va);
	pde = pde_for(va, false);
	if (!pde || !(*pde & PTE_P))
		return 0;
	return &((uint64_t *)(uintptr_t)(*pde & PTE_ADDR_MASK))[(va >> 12) & 511];
}

volatile uint64_t *vm_map_page(uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *pde;
	volatile uint64_t *pte;

	check_region(va);
	pde = pde_for(va, true);
	next_table(pde, true);
	pte = vm_pte(va);
	*pte = (pa & PTE_ADDR_MASK) | flags | PTE_P;
	return pte;
}

void vm_unmap_page(uint64_t va)
{
	volatile uint64_t *pte = vm_pte(va);

	if (pte)
		*pte = 0;
	invlpg((void *)(uintptr_t)va);
}
