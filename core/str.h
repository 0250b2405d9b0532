/* SPDX-License-Identifier: MIT */
/* Freestanding string and memory helpers (pure: kernel and host tests). */
#ifndef VOLLEY_CORE_STR_H
#define VOLLEY_CORE_STR_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

size_t str_len(const char *s);
size_t str_nlen(const char *s, size_t max);
bool str_eq(const char *a, const char *b);
int str_ncmp(const char *a, const char *b, size_t n);
/* Copies at most size-1 bytes and always terminates (size > 0). */
size_t str_copy(char *dst, const char *src, size_t size);
void *mem_copy(void *dst, const void *src, size_t n);
void *mem_set(void *dst, int c, size_t n);
int mem_cmp(const void *a, const void *b, size_t n);

#endif
