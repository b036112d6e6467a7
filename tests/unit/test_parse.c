/* SPDX-License-Identifier: MIT */
/* test_parse.c - unit tests for advisor/parse.h: strict numbers, fields, tokens, string helpers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/util/parse.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SENTINEL_U 0x5a5a5a5a5a5a5a5aull
#define SENTINEL_I ((int64_t)0x1234567876543210ll)

struct u64_case {
	const char *in;
	int ret;
	uint64_t want;
};

static const struct u64_case u64_cases[] = {
	{ "0", 0, 0 },
	{ "7", 0, 7 },
	{ "42", 0, 42 },
	{ "007", 0, 7 },
	{ "4294967296", 0, 4294967296ull },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "18446744073709551620", -ERANGE, 0 },
	{ "99999999999999999999", -ERANGE, 0 },
	{ "184467440737095516150", -ERANGE, 0 },
	{ "", -EINVAL, 0 },
	{ " 1", -EINVAL, 0 },
	{ "1 ", -EINVAL, 0 },
	{ "+1", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "1a", -EINVAL, 0 },
	{ "0x10", -EINVAL, 0 },
	{ "1.5", -EINVAL, 0 },
	{ "1\n", -EINVAL, 0 },
	{ "١", -EINVAL, 0 },	/* a non-ASCII digit */
};

static void test_u64_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(u64_cases); i++) {
		const struct u64_case *c = &u64_cases[i];
		uint64_t v = SENTINEL_U;
		int r = twa_parse_u64(c->in, strlen(c->in), &v);

		if (r != c->ret)
			fail_msg("twa_parse_u64(\"%s\") = %d, want %d", c->in, r, c->ret);
		if (c->ret == 0 && v != c->want)
			fail_msg("twa_parse_u64(\"%s\") gave %llu, want %llu", c->in,
				 (unsigned long long)v, (unsigned long long)c->want);
		/* ret is written only on success */
		if (c->ret != 0 && v != SENTINEL_U)
			fail_msg("twa_parse_u64(\"%s\") failed but wrote ret", c->in);
		/* the _str form agrees */
		v = SENTINEL_U;
		assert_int_equal(twa_parse_u64_str(c->in, &v), c->ret);
		if (c->ret == 0)
			assert_true(v == c->want);
	}
}

/* The length bounds the parse: bytes after it are never looked at. */
static void test_u64_length_bounds(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(twa_parse_u64("123xyz", 3, &v), 0);
	assert_true(v == 123);
	assert_int_equal(twa_parse_u64("123xyz", 4, &v), -EINVAL);
	assert_int_equal(twa_parse_u64("9", 0, &v), -EINVAL);
}

/*
 * parse.h: "-EINVAL on junk, -ERANGE on overflow". Input longer than 20
 * bytes is refused with -ERANGE before its characters are looked at, so
 * long junk reads as an overflow and a number with leading zeros
 * ("000...042", which does not overflow) is refused.
 */
static void test_u64_long_input(void **state)
{
	uint64_t v = SENTINEL_U;

	(void)state;
	/* BUG (advisor/parse.c twa_parse_u64): 25 bytes of junk give -ERANGE, not -EINVAL. */
	assert_int_equal(twa_parse_u64_str("abcdefghijklmnopqrstuvwxy", &v), -EINVAL);
	/* BUG (same): 42 with leading zeros, 24 bytes, is not an overflow. */
	assert_int_equal(twa_parse_u64_str("000000000000000000000042", &v), 0);
	assert_true(v == 42);
}

struct i64_case {
	const char *in;
	int ret;
	int64_t want;
};

static const struct i64_case i64_cases[] = {
	{ "0", 0, 0 },
	{ "-0", 0, 0 },
	{ "-1", 0, -1 },
	{ "12345", 0, 12345 },
	{ "9223372036854775807", 0, INT64_MAX },
	{ "9223372036854775808", -ERANGE, 0 },
	{ "-9223372036854775808", 0, INT64_MIN },
	{ "-9223372036854775809", -ERANGE, 0 },
	{ "18446744073709551615", -ERANGE, 0 },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "-", -EINVAL, 0 },
	{ "--1", -EINVAL, 0 },
	{ "+1", -EINVAL, 0 },
	{ "1-", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
	{ " -1", -EINVAL, 0 },
};

static void test_i64_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(i64_cases); i++) {
		const struct i64_case *c = &i64_cases[i];
		int64_t v = SENTINEL_I;
		int r = twa_parse_i64(c->in, strlen(c->in), &v);

		if (r != c->ret)
			fail_msg("twa_parse_i64(\"%s\") = %d, want %d", c->in, r, c->ret);
		if (c->ret == 0 && v != c->want)
			fail_msg("twa_parse_i64(\"%s\") gave %lld, want %lld", c->in,
				 (long long)v, (long long)c->want);
		if (c->ret != 0 && v != SENTINEL_I)
			fail_msg("twa_parse_i64(\"%s\") failed but wrote ret", c->in);
	}
}

static const struct u64_case hex_cases[] = {
	{ "0", 0, 0 },
	{ "0A", 0, 10 },
	{ "0a", 0, 10 },
	{ "ff", 0, 255 },
	{ "0100007F", 0, 0x0100007f },
	{ "DeadBeef", 0, 0xdeadbeef },
	{ "FFFFFFFFFFFFFFFF", 0, UINT64_MAX },
	{ "0000000000000001", 0, 1 },
	{ "10000000000000000", -ERANGE, 0 },	/* 17 digits: more than 16 */
	{ "", -EINVAL, 0 },
	{ "0x1", -EINVAL, 0 },
	{ "g", -EINVAL, 0 },
	{ "12 ", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "1:2", -EINVAL, 0 },
};

static void test_hex_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(hex_cases); i++) {
		const struct u64_case *c = &hex_cases[i];
		uint64_t v = SENTINEL_U;
		int r = twa_parse_hex_u64(c->in, strlen(c->in), &v);

		if (r != c->ret)
			fail_msg("twa_parse_hex_u64(\"%s\") = %d, want %d", c->in, r, c->ret);
		if (c->ret == 0 && v != c->want)
			fail_msg("twa_parse_hex_u64(\"%s\") gave %llx, want %llx", c->in,
				 (unsigned long long)v, (unsigned long long)c->want);
		if (c->ret != 0 && v != SENTINEL_U)
			fail_msg("twa_parse_hex_u64(\"%s\") failed but wrote ret", c->in);
	}
}

struct double_case {
	const char *in;
	int ret;
	double want;
};

static const struct double_case double_cases[] = {
	{ "0", 0, 0 },
	{ "80", 0, 80 },
	{ "0.8", 0, 0.8 },
	{ "0.25", 0, 0.25 },
	{ ".5", 0, 0.5 },
	{ "1.", 0, 1 },
	{ "12.125", 0, 12.125 },
	{ "0.000001", 0, 0.000001 },
	{ "", -EINVAL, 0 },
	{ ".", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "+1", -EINVAL, 0 },
	{ "1e5", -EINVAL, 0 },
	{ "1.2.3", -EINVAL, 0 },
	{ "1,5", -EINVAL, 0 },
	{ " 1", -EINVAL, 0 },
	{ "nan", -EINVAL, 0 },
	{ "inf", -EINVAL, 0 },
	{ "0.1234567890123456", -ERANGE, 0 },	/* 16 fraction digits */
};

static void test_double_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(double_cases); i++) {
		const struct double_case *c = &double_cases[i];
		double v = -42;
		int r = twa_parse_double_str(c->in, &v);

		if (r != c->ret)
			fail_msg("twa_parse_double_str(\"%s\") = %d, want %d", c->in, r, c->ret);
		if (c->ret == 0 && (v < c->want - 1e-12 || v > c->want + 1e-12))
			fail_msg("twa_parse_double_str(\"%s\") gave %.17g, want %.17g",
				 c->in, v, c->want);
		if (c->ret != 0 && v != -42)
			fail_msg("twa_parse_double_str(\"%s\") failed but wrote ret", c->in);
	}
}

/* Fields of a line split on spaces and tabs, like /proc files are. */
static void test_next_field(void **state)
{
	static const struct {
		const char *line;
		const char *fields[8];
	} cases[] = {
		{ "a b c", { "a", "b", "c" } },
		{ "  lead and trail  ", { "lead", "and", "trail" } },
		{ "tab\tsep\t\tmixed \t x", { "tab", "sep", "mixed", "x" } },
		{ "", { NULL } },
		{ " \t ", { NULL } },
		{ "one", { "one" } },
		{ "   0: 0100007F:4E20 00000000:0000 0A", { "0:", "0100007F:4E20", "00000000:0000", "0A" } },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		const char *p = cases[i].line, *end = p + strlen(p), *f;
		size_t flen;

		for (k = 0; twa_next_field(&p, end, &f, &flen); k++) {
			if (k >= 8 || !cases[i].fields[k])
				fail_msg("\"%s\": extra field %zu '%.*s'", cases[i].line, k,
					 (int)flen, f);
			if (!twa_token_eq(f, flen, cases[i].fields[k]))
				fail_msg("\"%s\": field %zu is '%.*s', want '%s'",
					 cases[i].line, k, (int)flen, f, cases[i].fields[k]);
		}
		if (k < 8 && cases[i].fields[k])
			fail_msg("\"%s\": only %zu fields, missing '%s'", cases[i].line, k,
				 cases[i].fields[k]);
	}
}

/* The end pointer limits the walk even with more text after it. */
static void test_next_field_end(void **state)
{
	const char *line = "ab cd ef", *p = line, *f;
	size_t flen;

	(void)state;
	assert_true(twa_next_field(&p, line + 4, &f, &flen));
	assert_true(twa_token_eq(f, flen, "ab"));
	assert_true(twa_next_field(&p, line + 4, &f, &flen));
	assert_true(twa_token_eq(f, flen, "c"));
	assert_false(twa_next_field(&p, line + 4, &f, &flen));
}

static void test_token_eq(void **state)
{
	(void)state;
	assert_true(twa_token_eq("TcpExt:", 6, "TcpExt"));
	assert_false(twa_token_eq("TcpExt:", 7, "TcpExt"));
	assert_false(twa_token_eq("Tcp", 3, "TcpExt"));
	assert_false(twa_token_eq("tcp", 3, "Tcp"));
	assert_true(twa_token_eq("", 0, ""));
	assert_false(twa_token_eq("x", 1, ""));
}

static void test_rstrip(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "2\n", "2" },
		{ "32768\t60999\n", "32768\t60999" },
		{ "a \t\r\n\n", "a" },
		{ "  lead", "  lead" },
		{ "\n\n", "" },
		{ "", "" },
		{ "mid dle", "mid dle" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		char buf[64];

		strcpy(buf, cases[i].in);
		twa_rstrip(buf);
		assert_string_equal(buf, cases[i].want);
	}
}

static void test_strlcpy(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(twa_strlcpy(buf, "abc", sizeof(buf)), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(twa_strlcpy(buf, "abcdefghij", sizeof(buf)), 10);
	assert_string_equal(buf, "abcdefg");
	assert_int_equal(twa_strlcpy(buf, "abcdefg", sizeof(buf)), 7);
	assert_string_equal(buf, "abcdefg");
	/* size 0 writes nothing */
	buf[0] = 'Q';
	assert_int_equal(twa_strlcpy(buf, "zz", 0), 2);
	assert_int_equal(buf[0], 'Q');
	assert_int_equal(twa_strlcpy(buf, "zz", 1), 2);
	assert_string_equal(buf, "");
}

static void test_edit_distance(void **state)
{
	static const struct {
		const char *a, *b;
		unsigned want;
	} cases[] = {
		{ "", "", 0 },
		{ "tcp_tw_reuse", "tcp_tw_reuse", 0 },
		{ "", "abc", 3 },
		{ "abc", "", 3 },
		{ "kitten", "sitting", 3 },
		{ "flaw", "lawn", 2 },
		{ "tcp_tw_reuse", "tcp_tw_resue", 2 },
		{ "tcp_fin_timout", "tcp_fin_timeout", 1 },
		{ "somaxconn", "somaxcon", 1 },
		{ "web-server", "web_server", 1 },
		{ "abc", "xyz", 3 },
	};
	char long_a[80], long_b[80];
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		unsigned d = twa_edit_distance(cases[i].a, cases[i].b);

		if (d != cases[i].want)
			fail_msg("distance('%s', '%s') = %u, want %u", cases[i].a, cases[i].b,
				 d, cases[i].want);
		assert_int_equal(twa_edit_distance(cases[i].b, cases[i].a), d);
	}
	/* past 62 bytes: capped, without reading past its table */
	memset(long_a, 'a', sizeof(long_a) - 1);
	long_a[sizeof(long_a) - 1] = '\0';
	memcpy(long_b, long_a, sizeof(long_b));
	assert_int_equal(twa_edit_distance(long_a, long_b), 255);
	long_a[62] = '\0';
	long_b[62] = '\0';
	long_b[0] = 'b';
	assert_int_equal(twa_edit_distance(long_a, long_b), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64_table),
		cmocka_unit_test(test_u64_length_bounds),
		cmocka_unit_test(test_u64_long_input),
		cmocka_unit_test(test_i64_table),
		cmocka_unit_test(test_hex_table),
		cmocka_unit_test(test_double_table),
		cmocka_unit_test(test_next_field),
		cmocka_unit_test(test_next_field_end),
		cmocka_unit_test(test_token_eq),
		cmocka_unit_test(test_rstrip),
		cmocka_unit_test(test_strlcpy),
		cmocka_unit_test(test_edit_distance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
