/* SPDX-License-Identifier: MIT */
/* <stddef.h> inside the Linux kernel: see stdint.h here. */
#ifndef VOLLEY_LINUX_COMPAT_STDDEF_H
#define VOLLEY_LINUX_COMPAT_STDDEF_H
#include <linux/stddef.h>
#include <linux/types.h>
#endif
