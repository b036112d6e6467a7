/* SPDX-License-Identifier: MIT */
/* test_inomap.c - unit tests for advisor/inomap.h: socket inode map, growth, the cap, misses. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/inspect/inomap.h"

/* Spread-out inodes like the kernel's, with neighbours that collide in
 * the low bits. */
static uint32_t inode_of(uint32_t i)
{
	return 1000000u + i * 4096u + (i & 7);
}

static void test_put_get(void **state)
{
	struct twa_inomap m;
	struct twa_inoent *e;

	(void)state;
	assert_int_equal(twa_inomap_init(&m), 0);
	assert_null(twa_inomap_get(&m, 42));
	assert_int_equal(twa_inomap_put(&m, 42, 7), 0);
	assert_int_equal(twa_inomap_put(&m, 4294967295u, 8), 0);
	e = twa_inomap_get(&m, 42);
	assert_non_null(e);
	assert_int_equal(e->inode, 42);
	assert_int_equal(e->value, 7);
	assert_int_equal(twa_inomap_get(&m, 4294967295u)->value, 8);
	assert_null(twa_inomap_get(&m, 43));
	assert_int_equal(m.used, 2);
	/* overwrite: same entry, new value, no new slot */
	assert_int_equal(twa_inomap_put(&m, 42, 9), 0);
	assert_int_equal(twa_inomap_get(&m, 42)->value, 9);
	assert_int_equal(m.used, 2);
	/* the entry is writable in place (owners.c marks found inodes) */
	twa_inomap_get(&m, 42)->value = 1;
	assert_int_equal(twa_inomap_get(&m, 42)->value, 1);
	/* inode 0 means "no socket": refused, never found */
	assert_int_equal(twa_inomap_put(&m, 0, 1), -EINVAL);
	assert_null(twa_inomap_get(&m, 0));
	assert_int_equal(m.used, 2);
	assert_int_equal(m.dropped, 0);
	twa_inomap_release(&m);
	/* a released map finds nothing; release is safe twice and on NULL */
	assert_null(twa_inomap_get(&m, 42));
	twa_inomap_release(&m);
	twa_inomap_release(NULL);
}

static void test_growth(void **state)
{
	struct twa_inomap m;
	uint32_t i, n = 50000;
	size_t first_mask;

	(void)state;
	assert_int_equal(twa_inomap_init(&m), 0);
	first_mask = m.mask;
	for (i = 0; i < n; i++)
		assert_int_equal(twa_inomap_put(&m, inode_of(i), i), 0);
	assert_true(m.mask > first_mask);
	assert_int_equal(m.used, n);
	assert_true(m.used * 4 <= (m.mask + 1) * 3);
	for (i = 0; i < n; i++) {
		struct twa_inoent *e = twa_inomap_get(&m, inode_of(i));

		if (!e || e->value != i)
			fail_msg("inode %u: %s", inode_of(i), e ? "wrong value" : "lost");
	}
	/* misses between the stored ones */
	for (i = 0; i < 1000; i++)
		assert_null(twa_inomap_get(&m, inode_of(i) + 8));
	twa_inomap_release(&m);
}

/* At 3/4 of max_slots new inodes are refused (-ENOSPC) and counted;
 * stored ones can still be found and updated. */
static void test_cap(void **state)
{
	struct twa_inomap m;
	uint32_t i, fits;

	(void)state;
	assert_int_equal(twa_inomap_init(&m), 0);
	m.max_slots = 1024;
	fits = 1024 / 4 * 3;
	for (i = 0; i < fits; i++)
		if (twa_inomap_put(&m, inode_of(i), i) != 0)
			fail_msg("inode %u refused below the cap", i);
	assert_int_equal(m.used, fits);
	for (i = 0; i < 5; i++)
		assert_int_equal(twa_inomap_put(&m, inode_of(fits + i), 1), -ENOSPC);
	assert_int_equal(m.dropped, 5);
	assert_int_equal(m.used, fits);
	assert_int_equal(m.mask + 1, 1024);
	assert_null(twa_inomap_get(&m, inode_of(fits)));
	assert_int_equal(twa_inomap_put(&m, inode_of(3), 77), 0);
	assert_int_equal(twa_inomap_get(&m, inode_of(3))->value, 77);
	for (i = 0; i < fits; i++)
		assert_non_null(twa_inomap_get(&m, inode_of(i)));
	twa_inomap_release(&m);
}

/* The real cap: TWA_INOMAP_MAX_SLOTS * 3/4 CLOSE_WAIT inodes. */
static void test_default_cap(void **state)
{
	struct twa_inomap m;
	uint32_t i, fits = TWA_INOMAP_MAX_SLOTS / 4 * 3;

	(void)state;
	assert_int_equal(twa_inomap_init(&m), 0);
	assert_int_equal(m.max_slots, TWA_INOMAP_MAX_SLOTS);
	for (i = 1; i <= fits; i++)
		if (twa_inomap_put(&m, i, 0) != 0)
			fail_msg("inode %u refused below the default cap", i);
	assert_int_equal(twa_inomap_put(&m, fits + 1, 0), -ENOSPC);
	assert_int_equal(m.dropped, 1);
	assert_int_equal(m.mask + 1, TWA_INOMAP_MAX_SLOTS);
	twa_inomap_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_default_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
