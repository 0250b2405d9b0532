/* SPDX-License-Identifier: MIT */
/* <stdbool.h> inside the Linux kernel: see stdint.h here. */
#ifndef VOLLEY_LINUX_COMPAT_STDBOOL_H
#define VOLLEY_LINUX_COMPAT_STDBOOL_H
#include <linux/types.h>
#endif
