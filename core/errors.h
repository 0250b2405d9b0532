/* SPDX-License-Identifier: MIT */
/*
 * The `errors` table: every missed deadline, lost IPI, dead CPU or failed
 * check becomes a row (where, cpu, what, waited_us), printed at the end of
 * the run; any row makes the run's status 1.
 */
#ifndef VOLLEY_CORE_ERRORS_H
#define VOLLEY_CORE_ERRORS_H

#include <stdint.h>

/* cpu < 0: not about one CPU. waited_us: how long was waited, or 0. */
void error_add(const char *where, int cpu, uint64_t waited_us,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
unsigned error_count(void);
void errors_print(void);

#endif
