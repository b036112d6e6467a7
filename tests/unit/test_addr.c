/* SPDX-License-Identifier: MIT */
/* test_addr.c - unit tests for advisor/addr.h: twa_addr_format against inet_ntop(3), tables and random addresses. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/facts/addr.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Text in (any valid form) -> the text inet_ntop and twa_addr_format must
 * both print. The expected text is written out so that a change in libc
 * would show too, instead of being trusted. */
static const struct {
	const char *in, *want;
} v6_cases[] = {
	{ "::", "::" },
	{ "::1", "::1" },
	{ "1::", "1::" },
	{ "::1:0", "::0.1.0.0" },	/* six zero groups: glibc prints v4-compatible */
	{ "fe80::1", "fe80::1" },
	{ "2001:db8::", "2001:db8::" },
	{ "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
	/* a single zero group is never compressed */
	{ "1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7" },
	{ "0:1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7" },
	{ "1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0" },
	{ "0:1:0:1:0:1:0:1", "0:1:0:1:0:1:0:1" },
	/* runs of two: compressed */
	{ "1:0:0:2:3:4:5:6", "1::2:3:4:5:6" },
	{ "0:0:1:2:3:4:5:6", "::1:2:3:4:5:6" },
	{ "1:2:3:4:5:6:0:0", "1:2:3:4:5:6::" },
	/* the longest run wins; on a tie the first */
	{ "1:0:0:2:0:0:0:3", "1:0:0:2::3" },
	{ "1:0:0:0:2:0:0:3", "1::2:0:0:3" },
	{ "1:0:0:2:0:0:3:4", "1::2:0:0:3:4" },
	{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
	{ "0:0:1:0:0:1:0:0", "::1:0:0:1:0:0" },
	/* embedded IPv4 */
	{ "::ffff:1.2.3.4", "::ffff:1.2.3.4" },
	{ "::ffff:127.0.0.1", "::ffff:127.0.0.1" },
	{ "::ffff:0.0.0.0", "::ffff:0.0.0.0" },
	{ "::ffff:255.255.255.255", "::ffff:255.255.255.255" },
	{ "::1.2.3.4", "::1.2.3.4" },
	{ "::0.1.0.0", "::0.1.0.0" },
	{ "::0.0.0.2", "::2" },
	{ "::ffff:0:1.2.3.4", "::ffff:0:102:304" },	/* SIIT: not mapped */
	{ "64:ff9b::1.2.3.4", "64:ff9b::102:304" },	/* NAT64: not mapped */
	{ "::fffe:1.2.3.4", "::fffe:102:304" },
	{ "0:0:0:0:0:1:0:0", "::1:0:0" },
	{ "1::ffff:1.2.3.4", "1::ffff:102:304" },
	{ "abcd:ef01:2345:6789:abcd:ef01:2345:6789", "abcd:ef01:2345:6789:abcd:ef01:2345:6789" },
	{ "0:a:0:b:0:c::", "0:a:0:b:0:c::" },
};

static const struct {
	const char *in;
} v4_cases[] = {
	{ "0.0.0.0" }, { "127.0.0.1" }, { "255.255.255.255" }, { "10.1.200.3" },
	{ "1.0.0.1" }, { "192.168.100.254" },
};

/* Compare one address with inet_ntop; fail_msg on the first difference. */
static void check_one(int family, const uint8_t *a, const char *want)
{
	char ours[TWA_ADDRSTRLEN], libc[INET6_ADDRSTRLEN];
	int r;

	memset(ours, 'x', sizeof(ours));
	r = twa_addr_format(family, a, ours, sizeof(ours));
	if (r != 0)
		fail_msg("twa_addr_format failed: %d", r);
	if (!inet_ntop(family == TWA_AF_INET ? AF_INET : AF_INET6, a, libc, sizeof(libc)))
		fail_msg("inet_ntop failed");
	if (strcmp(ours, libc))
		fail_msg("twa_addr_format gives '%s', inet_ntop '%s'", ours, libc);
	if (want && strcmp(ours, want))
		fail_msg("twa_addr_format gives '%s', want '%s'", ours, want);
}

static void test_family_constants(void **state)
{
	(void)state;
	assert_int_equal(TWA_AF_INET, AF_INET);
	assert_int_equal(TWA_AF_INET6, AF_INET6);
	assert_int_equal(TWA_ADDRSTRLEN, INET6_ADDRSTRLEN);
}

static void test_v6_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(v6_cases); i++) {
		uint8_t a[16];

		if (inet_pton(AF_INET6, v6_cases[i].in, a) != 1)
			fail_msg("bad test address '%s'", v6_cases[i].in);
		check_one(TWA_AF_INET6, a, v6_cases[i].want);
	}
}

static void test_v4_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(v4_cases); i++) {
		uint8_t a[4];

		if (inet_pton(AF_INET, v4_cases[i].in, a) != 1)
			fail_msg("bad test address '%s'", v4_cases[i].in);
		check_one(TWA_AF_INET, a, v4_cases[i].in);
	}
}

/* xorshift64: a fixed seed, so a failure replays. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* A random address shaped to hit the formatter's branches: many zero
 * groups (runs of every length, ties), v4-mapped and v4-compatible forms,
 * groups with leading zeros. */
static void random_v6(uint8_t *a)
{
	unsigned shape = (unsigned)(rnd() % 8), i;
	uint16_t w[8];

	for (i = 0; i < 8; i++) {
		uint64_t x = rnd();

		switch (x % 4) {
		case 0:
		case 1:
			w[i] = 0;
			break;
		case 2:
			w[i] = (uint16_t)((x >> 8) % 16);	/* "0" .. "f" */
			break;
		default:
			w[i] = (uint16_t)(x >> 16);
		}
	}
	if (shape == 0) {		/* ::ffff:a.b.c.d */
		memset(w, 0, 5 * sizeof(w[0]));
		w[5] = 0xffff;
	} else if (shape == 1) {	/* ::a.b.c.d (and :: and ::1 sometimes) */
		memset(w, 0, 6 * sizeof(w[0]));
		if (rnd() % 4 == 0)
			w[6] = 0;
		if (rnd() % 8 == 0)
			w[7] = (uint16_t)(rnd() % 2);
	} else if (shape == 2) {	/* near-mapped: one group off */
		memset(w, 0, 5 * sizeof(w[0]));
		w[5] = 0xffff;
		w[rnd() % 5] = (uint16_t)(1 + rnd() % 0xffff);
	}
	for (i = 0; i < 8; i++) {
		a[2 * i] = (uint8_t)(w[i] >> 8);
		a[2 * i + 1] = (uint8_t)w[i];
	}
}

static void test_v6_random(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		uint8_t a[16];

		random_v6(a);
		check_one(TWA_AF_INET6, a, NULL);
	}
}

/* Every one of the 256 patterns of zero / non-zero groups, with two
 * different non-zero fillers: all run lengths, positions and ties. */
static void test_v6_all_zero_patterns(void **state)
{
	unsigned mask, i, filler;

	(void)state;
	for (filler = 0; filler < 2; filler++)
		for (mask = 0; mask < 256; mask++) {
			uint8_t a[16];

			for (i = 0; i < 8; i++) {
				uint16_t w = (mask >> i) & 1 ?
					     (uint16_t)(filler ? 0xffff : i + 1) : 0;

				a[2 * i] = (uint8_t)(w >> 8);
				a[2 * i + 1] = (uint8_t)w;
			}
			check_one(TWA_AF_INET6, a, NULL);
		}
}

static void test_v4_random(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		uint64_t x = rnd();
		uint8_t a[4];

		memcpy(a, &x, 4);
		if (i % 3 == 0)
			a[i % 4] = 0;
		check_one(TWA_AF_INET, a, NULL);
	}
}

/* A buffer too small is refused, never overrun: the exact size fits. */
static void test_small_buffers(void **state)
{
	static const struct {
		int family;
		const char *in;
	} cases[] = {
		{ TWA_AF_INET, "255.255.255.255" },
		{ TWA_AF_INET, "1.2.3.4" },
		{ TWA_AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
		{ TWA_AF_INET6, "::ffff:255.255.255.255" },
		{ TWA_AF_INET6, "::" },
		{ TWA_AF_INET6, "1::" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		uint8_t a[16];
		char buf[64];
		size_t need = strlen(cases[i].in) + 1;

		assert_int_equal(inet_pton(cases[i].family == TWA_AF_INET ? AF_INET : AF_INET6,
					   cases[i].in, a), 1);
		memset(buf, '#', sizeof(buf));
		assert_int_equal(twa_addr_format(cases[i].family, a, buf, need), 0);
		assert_string_equal(buf, cases[i].in);
		memset(buf, '#', sizeof(buf));
		if (twa_addr_format(cases[i].family, a, buf, need - 1) != -ENOSPC)
			fail_msg("'%s' in %zu bytes: want -ENOSPC", cases[i].in, need - 1);
		/* nothing written past the size given */
		assert_int_equal(buf[need - 1], '#');
	}
}

static void test_bad_family(void **state)
{
	uint8_t a[16] = { 0 };
	char buf[64] = "untouched";

	(void)state;
	assert_int_equal(twa_addr_format(0, a, buf, sizeof(buf)), -EAFNOSUPPORT);
	assert_int_equal(twa_addr_format(1, a, buf, sizeof(buf)), -EAFNOSUPPORT);
	assert_int_equal(twa_addr_format(17, a, buf, sizeof(buf)), -EAFNOSUPPORT);
	assert_string_equal(buf, "untouched");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_constants),
		cmocka_unit_test(test_v6_table),
		cmocka_unit_test(test_v4_table),
		cmocka_unit_test(test_v6_random),
		cmocka_unit_test(test_v6_all_zero_patterns),
		cmocka_unit_test(test_v4_random),
		cmocka_unit_test(test_small_buffers),
		cmocka_unit_test(test_bad_family),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
