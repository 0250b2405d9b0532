/* SPDX-License-Identifier: MIT */
/* Fault injection (inject=mute|drop|apfault|panic|noap): see inject.c. */
#ifndef VOLLEY_BENCH_INJECT_H
#define VOLLEY_BENCH_INJECT_H

/* Before anything measures: inject=mute|drop. */
void inject_setup(void);
/* After meta and cpus: inject=panic|apfault, exceptions on purpose. */
void inject_late(void);
/* The CPU inject=noap leaves unstarted, or -1. */
int inject_noap_cpu(void);

#endif
