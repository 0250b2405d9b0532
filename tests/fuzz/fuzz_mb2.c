/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the multiboot2 information parser: any bytes, copied
 * to an 8-aligned buffer of exactly that size, must parse or be refused with
 * a message, and never be read past (ASan), whatever total_size claims.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/mb2.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct boot_info bi;
	char err[128];
	uint64_t *buf;

	if (n > MB2_INFO_MAX)
		return 0;
	buf = malloc(n ? n : 1);
	memcpy(buf, d, n);
	if (mb2_parse(buf, n, &bi, err, sizeof(err)) == 0) {
		/* Accepted strings lie inside the buffer and are terminated. */
		if (bi.nmem > MB2_MMAP_MAX || strlen(bi.cmdline) >= n + 1)
			abort();
	} else if (!memchr(err, 0, sizeof(err))) {
		abort();
	}
	free(buf);
	return 0;
}
