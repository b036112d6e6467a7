/* SPDX-License-Identifier: MIT */
/* test_sha256.c - unit tests for advisor/sha256.h: FIPS 180-4 / NIST vectors, block boundaries, split updates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/util/sha256.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void hex(const uint8_t d[32], char out[65])
{
	int i;

	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Digest of data fed in pieces of the given sizes (cycled); 0 means whole. */
static void digest_split(const void *data, size_t len, const size_t *pieces,
			 size_t n_pieces, char out[65])
{
	struct twa_sha256 c;
	const uint8_t *p = data;
	uint8_t d[32];
	size_t off = 0, k = 0;

	twa_sha256_init(&c);
	while (off < len) {
		size_t take = n_pieces ? pieces[k++ % n_pieces] : len;

		if (take > len - off)
			take = len - off;
		twa_sha256_update(&c, p + off, take);
		off += take;
	}
	twa_sha256_final(&c, d);
	hex(d, out);
}

/* "abcdefghij..." repeated: lengths around the 55/56/64-byte padding edges. */
static char *alphabet(size_t n)
{
	char *s = malloc(n + 1);
	size_t i;

	assert_non_null(s);
	for (i = 0; i < n; i++)
		s[i] = (char)('a' + i % 26);
	s[n] = '\0';
	return s;
}

static const struct {
	const char *msg;
	const char *digest;
} fips[] = {
	/* FIPS 180-4 examples (NIST CSRC "SHA256.pdf") */
	{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	/* NIST SHA256ShortMsg */
	{ "\xbd", "68325720aabd7c82f30f554b313d0570c95accbb7dc4b5aae11204c08ffe732b" },
	{ "\xc9\x8c\x8e\x55", "7abc22c0ae5af26ce93dbb94433a0e0b2e119d014f8e7f65bd56c61ccccd9504" },
};

static const struct {
	size_t len;
	const char *digest;
} edges[] = {
	{ 55, "595615dbe4f0f407ae397d08b4c2cb870cb9b0e11937416f950c5160acf9c005" },
	{ 56, "784f623b787495078e93ff28a25b581df0584055a7e71d8cd90c454716b92f51" },
	{ 63, "5ca3e1ef5207490eac01a795e5cc94d59582a5118bf9534665c8668d87aa647c" },
	{ 64, "2fcd5a0d60e4c941381fcc4e00a4bf8be422c3ddfafb93c809e8d1e2bfffae8e" },
	{ 65, "1b3cd1877ab2f2f19f7be001722554f336cb799df0329de0bb4c118dc6abc06d" },
	{ 111, "11166d480c33d5cf2023d33251a2e024a4e9436cb3f061d99a1908fd1111c829" },
	{ 112, "43b9d01284b7170bc99bce5d032307646c76361e98da0f82360cc81884893852" },
	{ 119, "faef67da856d6fd9c8d12f9ed0a4fefd3cf0ce085ab43e2907418d457e3c354b" },
	{ 120, "c9512b08619c19fbb503c7da6b46ef20301e5f7a7a5f43989182398536f5c5c8" },
	{ 127, "1b9907986f18ddc2b37e18be502d82d69d6e18bb9dff9e16f2aceea7d88cb933" },
	{ 128, "6c05be2c4268843ae47e68e611277ce62c02153f2f4d2e1e2a1a4b44f766cf74" },
	{ 1000, "915e53a44c18b19bb06ba5b3f5fcaf1dc4651e8404c63425cfc6174e74659d87" },
};

static const size_t splits[][4] = {
	{ 0 }, { 1 }, { 3 }, { 63 }, { 64 }, { 65 }, { 55, 1, 8 }, { 7, 64, 1, 120 },
};

static void test_fips_vectors(void **state)
{
	size_t i, s;

	(void)state;
	for (i = 0; i < N(fips); i++) {
		char got[65];

		twa_sha256_hex(fips[i].msg, strlen(fips[i].msg), got);
		if (strcmp(got, fips[i].digest))
			fail_msg("vector %zu: %s, want %s", i, got, fips[i].digest);
		for (s = 0; s < N(splits); s++) {
			size_t np = 0;

			while (np < 4 && splits[s][np])
				np++;
			digest_split(fips[i].msg, strlen(fips[i].msg), splits[s], np, got);
			if (strcmp(got, fips[i].digest))
				fail_msg("vector %zu split %zu: %s", i, s, got);
		}
	}
}

static void test_block_edges(void **state)
{
	size_t i, s;

	(void)state;
	for (i = 0; i < N(edges); i++) {
		char *msg = alphabet(edges[i].len), got[65];

		twa_sha256_hex(msg, edges[i].len, got);
		if (strcmp(got, edges[i].digest))
			fail_msg("%zu bytes: %s, want %s", edges[i].len, got, edges[i].digest);
		for (s = 0; s < N(splits); s++) {
			size_t np = 0;

			while (np < 4 && splits[s][np])
				np++;
			digest_split(msg, edges[i].len, splits[s], np, got);
			if (strcmp(got, edges[i].digest))
				fail_msg("%zu bytes split %zu: %s", edges[i].len, s, got);
		}
		free(msg);
	}
}

/* FIPS 180-4: one million 'a', in one call and in uneven pieces. */
static void test_million_a(void **state)
{
	static const char want[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	static const size_t pieces[] = { 1, 1000, 7, 4096, 63 };
	char *a = malloc(1000000), got[65];
	struct twa_sha256 c;
	uint8_t d[32];
	int i;

	(void)state;
	assert_non_null(a);
	memset(a, 'a', 1000000);
	twa_sha256_hex(a, 1000000, got);
	assert_string_equal(got, want);
	digest_split(a, 1000000, pieces, N(pieces), got);
	assert_string_equal(got, want);
	/* a byte at a time, a thousand times a thousand */
	twa_sha256_init(&c);
	for (i = 0; i < 1000000; i++)
		twa_sha256_update(&c, "a", 1);
	twa_sha256_final(&c, d);
	hex(d, got);
	assert_string_equal(got, want);
	free(a);
}

/* All 256 byte values, and zero-length updates change nothing. */
static void test_binary_and_empty_updates(void **state)
{
	uint8_t buf[1024];
	struct twa_sha256 c;
	uint8_t d[32];
	char got[65];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	twa_sha256_init(&c);
	twa_sha256_update(&c, NULL, 0);
	for (i = 0; i < sizeof(buf); i += 256) {
		twa_sha256_update(&c, buf + i, 256);
		twa_sha256_update(&c, buf, 0);
	}
	twa_sha256_final(&c, d);
	hex(d, got);
	assert_string_equal(got, "785b0751fc2c53dc14a4ce3d800e69ef9ce1009eb327ccf458afe09c242c26c9");
	/* a context can be reused after init */
	twa_sha256_init(&c);
	twa_sha256_update(&c, "abc", 3);
	twa_sha256_final(&c, d);
	hex(d, got);
	assert_string_equal(got, fips[0].digest);
	/* one different bit, a different digest */
	buf[500] ^= 1;
	twa_sha256_hex(buf, sizeof(buf), got);
	assert_string_not_equal(got, "785b0751fc2c53dc14a4ce3d800e69ef9ce1009eb327ccf458afe09c242c26c9");
	/* the hex form is lowercase and NUL-terminated */
	memset(got, 'X', sizeof(got));
	twa_sha256_hex("abc", 3, got);
	assert_int_equal(strlen(got), 64);
	for (i = 0; i < 64; i++)
		assert_true((got[i] >= '0' && got[i] <= '9') || (got[i] >= 'a' && got[i] <= 'f'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fips_vectors),
		cmocka_unit_test(test_block_edges),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_binary_and_empty_updates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
