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

/* Set by apic/: stops every other CPU (NMI), so one dump is printed. */
extern void (*panic_stop_others)(void);

#define assert(cond)							\
	do {								\
		if (!(cond))						\
			panic("assertion failed: %s (%s:%d)", #cond,	\
			      __FILE__, __LINE__);			\
	} while (0)

#endif
