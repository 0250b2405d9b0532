/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_BENCH_INFO_H
#define VOLLEY_BENCH_INFO_H

/* The meta table: version, CPU, firmware, command line, TSC, APIC, CPUs. */
void meta_print(void);
/* The cpus table: one row per CPU the MADT lists, online or not. */
void cpus_print(void);

#endif
