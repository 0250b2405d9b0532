/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_CORE_PANIC_H
#define VOLLEY_CORE_PANIC_H

#include <stdint.h>

struct regs;

/* Ends the run with status 3 after a message and a backtrace. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* The exception path: message, register dump, status 3. */
void panic_regs(const struct regs *r, const char *what) __attribute__((noreturn));
void backtrace(uint64_t rbp, uint64_t rip);

/*
 * How a panic stops every other CPU (an NMI through apic/, so one dump is
 * printed), registered by the top once the APIC is up. The one call from
 * core into a layer above it, and only at a panic: see HACKING.md.
 */
void panic_set_stop_others(void (*fn)(void));

#define assert(cond)							\
	do {								\
		if (!(cond))						\
			panic("assertion failed: %s (%s:%d)", #cond,	\
			      __FILE__, __LINE__);			\
	} while (0)

#endif
