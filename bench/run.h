/* SPDX-License-Identifier: MIT */
/* What the top (bench/main.c) sets up for every benchmark. */
#ifndef VOLLEY_BENCH_RUN_H
#define VOLLEY_BENCH_RUN_H

#include <stdint.h>
#include "core/cmdline.h"
#include "core/mb2.h"

extern struct config config;		/* the parsed command line */
extern struct boot_info boot_info;	/* the multiboot2 information */
extern uint64_t boot_tsc;		/* TSC when kmain started */
extern const char volley_version[];

#endif
