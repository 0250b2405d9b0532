/* SPDX-License-Identifier: MIT */
/*
 * Which consoles volley talks to, and why: the policy behind core/console.c.
 * Early (before page tables and ACPI): the serial port the command line
 * names, or COM1, and the screen GRUB left. After ACPI: the SPCR UART when
 * asked for, and the framebuffer mapped uncached.
 */
#ifndef VOLLEY_CORE_CONSOLE_SETUP_H
#define VOLLEY_CORE_CONSOLE_SETUP_H

#include "cmdline.h"
#include "csv.h"
#include "mb2.h"

void console_setup_early(const struct boot_info *bi, const struct config *cfg);
/* After vm_init and acpi_init. */
void console_setup_acpi(const struct config *cfg);
/* meta rows: console_serial, console_screen. */
void console_meta(struct csv *t);

#endif
