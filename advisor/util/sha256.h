/* SPDX-License-Identifier: MIT */
/* sha256.h - SHA-256 (FIPS 180-4), for plan fingerprints (pure). */
#ifndef TWA_SHA256_H
#define TWA_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct twa_sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t n;
};

void twa_sha256_init(struct twa_sha256 *c);
void twa_sha256_update(struct twa_sha256 *c, const void *data, size_t len);
void twa_sha256_final(struct twa_sha256 *c, uint8_t out[32]);
/* Lowercase hex of the digest of data: 65 bytes with the NUL. */
void twa_sha256_hex(const void *data, size_t len, char out[65]);

#endif
