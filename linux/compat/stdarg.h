/* SPDX-License-Identifier: MIT */
/* <stdarg.h> inside the Linux kernel: see stdint.h here. */
#ifndef VOLLEY_LINUX_COMPAT_STDARG_H
#define VOLLEY_LINUX_COMPAT_STDARG_H
#include <linux/stdarg.h>
#endif
