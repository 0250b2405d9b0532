/* SPDX-License-Identifier: MIT */
/*
 * Physical frames and the kernel page tables. All RAM is identity-mapped
 * with 2 MiB pages; 4 KiB pages can be mapped and unmapped in a region
 * above RAM (the TLB shootdown benchmark remaps pages there).
 */
#ifndef VOLLEY_CORE_VM_H
#define VOLLEY_CORE_VM_H

#include <stdbool.h>
#include <stdint.h>
#include "mb2.h"

/* Where 4 KiB mappings live: PML4 slot 2, far above any identity-mapped RAM. */
#define VM_REGION_BASE	0x0000010000000000ULL
#define VM_REGION_SIZE	(1ULL << 30)

void pmm_init(const struct boot_info *bi, uint64_t info_phys);
/* One zeroed 4 KiB frame, or 0 when memory is exhausted. */
uint64_t pmm_alloc(void);
void pmm_free(uint64_t pa);
/* A free 4 KiB frame below 1 MiB (AP trampoline), removed from the pool. */
uint64_t pmm_alloc_low(void);
uint64_t pmm_total_bytes(void);	/* usable RAM in the memory map */
uint64_t pmm_free_bytes(void);
uint64_t pmm_largest_contig(void);	/* bytes: the most pmm_alloc_contig can give */

void vm_init(void);
/* Marks [pa, pa+len) uncacheable in the identity map (MMIO). */
void vm_map_mmio(uint64_t pa, uint64_t len);
/* Maps one 4 KiB page at va (inside VM_REGION) to pa; returns the PTE. */
volatile uint64_t *vm_map_page(uint64_t va, uint64_t pa, uint64_t flags);
void vm_unmap_page(uint64_t va);
/* The PTE for a VM_REGION address, or NULL when its table is missing. */
volatile uint64_t *vm_pte(uint64_t va);
uint64_t vm_cr3(void);
/* End of the identity map: max(4 GiB, top of RAM), 2 MiB aligned. */
uint64_t vm_identity_top(void);
/* n physically contiguous zeroed frames (stacks), or 0. */
uint64_t pmm_alloc_contig(unsigned n);

#endif
