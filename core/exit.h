/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_CORE_EXIT_H
#define VOLLEY_CORE_EXIT_H

/* Image status (DESIGN: isa-debug-exit value). */
enum volley_status {
	STATUS_OK = 0,		/* all done, no errors */
	STATUS_ERRORS = 1,	/* done, with rows in `errors` */
	STATUS_BADCMD = 2,	/* bad command line */
	STATUS_PANIC = 3,	/* exception, failed invariant */
	STATUS_SMP = 4,		/* SMP bring-up failed */
};

#include "cmdline.h"

/* hold_ms: exit=qemu waits this long first, so a screendump sees the end page. */
void exit_set_mode(enum exit_mode how, uint32_t hold_ms);
/* Prints "# volley: done status=N" last, then leaves as configured. */
void volley_exit(int status) __attribute__((noreturn));

#endif
