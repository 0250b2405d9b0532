/* SPDX-License-Identifier: MIT */
/*
 * <stdint.h> inside the Linux kernel (which builds with -nostdinc): volley's
 * pure files (core/stats.c, fmt.c, str.c, csv.c) compile into the module
 * unchanged on top of the kernel's own types.
 */
#ifndef VOLLEY_LINUX_COMPAT_STDINT_H
#define VOLLEY_LINUX_COMPAT_STDINT_H
#include <linux/types.h>
#include <linux/limits.h>
#ifndef UINT64_MAX
#define UINT64_MAX	U64_MAX
#endif
#ifndef UINT32_MAX
#define UINT32_MAX	U32_MAX
#endif
#ifndef INT64_MAX
#define INT64_MAX	S64_MAX
#endif
#ifndef INT32_MAX
#define INT32_MAX	S32_MAX
#endif
#ifndef UINTPTR_MAX
#define UINTPTR_MAX	ULONG_MAX
#endif
#endif
