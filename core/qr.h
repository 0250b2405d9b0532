/* SPDX-License-Identifier: MIT */
/*
 * QR code encoder (ISO/IEC 18004, model 2): byte mode, error correction
 * level M, the smallest version (1..40) that holds the data, the mask with
 * the lowest penalty. Pure: the kernel draws its result on the screen at the
 * end of a run; the host tests decode it with zbarimg.
 */
#ifndef VOLLEY_CORE_QR_H
#define VOLLEY_CORE_QR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QR_VERSION_MAX	40
#define QR_SIZE_MAX	(17 + 4 * QR_VERSION_MAX)	/* modules a side */
#define QR_CODEWORDS_MAX 3706				/* version 40 */

struct qr {
	int version;		/* 1..40 */
	int size;		/* 17 + 4 * version */
	int mask;		/* 0..7 */
	uint8_t dark[QR_SIZE_MAX * QR_SIZE_MAX];	/* row-major, 1 = dark */
	/* scratch */
	uint8_t func[QR_SIZE_MAX * QR_SIZE_MAX];	/* function patterns */
	uint8_t data[QR_CODEWORDS_MAX];
	uint8_t out[QR_CODEWORDS_MAX];
};

/* Payload bytes a version holds in byte mode at level M. */
size_t qr_capacity(int version);
/* The modules a side of a version. */
static inline int qr_size(int version) { return 17 + 4 * version; }
/*
 * Encodes len bytes into q with the smallest version <= max_version.
 * Returns 0, or -1 when the data does not fit.
 */
int qr_encode(const uint8_t *bytes, size_t len, int max_version, struct qr *q);

static inline bool qr_module(const struct qr *q, int x, int y)
{
	return q->dark[y * q->size + x];
}

#endif
