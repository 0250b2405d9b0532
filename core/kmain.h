/* SPDX-License-Identifier: MIT */
/* What kmain() sets up for everyone else. */
#ifndef VOLLEY_CORE_KMAIN_H
#define VOLLEY_CORE_KMAIN_H

#include "cmdline.h"
#include "mb2.h"

extern struct config config;		/* the parsed command line */
extern struct boot_info boot_info;	/* the multiboot2 information */
extern const char volley_version[];
extern uint64_t boot_tsc;		/* TSC when kmain started */

/* Implemented above core (bench/suite.c): APIC, SMP, benchmarks, exit. */
void volley_run(void) __attribute__((noreturn));

/* Extra meta rows from later subsystems (APIC mode, CPUs, TSC skew). */
struct csv;
void meta_print(void (*more)(struct csv *t));

#endif
