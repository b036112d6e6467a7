/* SPDX-License-Identifier: MIT */
/* test_destmap.c - unit tests for advisor/destmap.h: counting per destination, growth, the cap, top-N order. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/facts/addr.h"
#include "advisor/inspect/destmap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Destination number i: distinct remote address and port per i. */
static struct twa_destkey key_of(uint32_t i, int family)
{
	struct twa_destkey k;

	memset(&k, 0, sizeof(k));
	k.family = (uint8_t)family;
	k.remote_port = (uint16_t)(1 + i % 60000);
	k.local[0] = 10;
	k.local[3] = 1;
	k.remote[0] = 192;
	k.remote[1] = (uint8_t)(i >> 16);
	k.remote[2] = (uint8_t)(i >> 8);
	k.remote[3] = (uint8_t)i;
	if (family == TWA_AF_INET6)
		k.remote[15] = 0x77;
	return k;
}

/* The live entry for key, looked up by scanning the table. */
static const struct twa_destent *find(const struct twa_destmap *m,
				      const struct twa_destkey *k)
{
	size_t i;

	for (i = 0; i <= m->mask; i++)
		if (m->slots[i].in_use && !memcmp(&m->slots[i].key, k, sizeof(*k)))
			return &m->slots[i];
	return NULL;
}

static void test_count_same_key(void **state)
{
	struct twa_destmap m;
	struct twa_destkey k = key_of(1, TWA_AF_INET), k6 = key_of(1, TWA_AF_INET6);
	struct twa_destent *e = NULL;
	unsigned i;

	(void)state;
	assert_int_equal(twa_destmap_init(&m, 0), 0);
	assert_int_equal(m.max_slots, TWA_DESTMAP_MAX_SLOTS);
	for (i = 0; i < 500; i++) {
		struct twa_destent *x = twa_destmap_add(&m, &k);

		assert_non_null(x);
		if (e)
			assert_ptr_equal(x, e);	/* the same entry every time */
		e = x;
	}
	assert_int_equal(e->in_use, 500);
	assert_int_equal(e->time_wait, 0);
	assert_int_equal(m.used, 1);
	/* the same bytes, another family: another destination */
	assert_non_null(twa_destmap_add(&m, &k6));
	assert_int_equal(m.used, 2);
	assert_int_equal(find(&m, &k)->in_use, 500);
	assert_int_equal(find(&m, &k6)->in_use, 1);
	/* the remote port alone makes a destination */
	k.remote_port++;
	assert_non_null(twa_destmap_add(&m, &k));
	assert_int_equal(m.used, 3);
	assert_int_equal(m.untracked, 0);
	twa_destmap_release(&m);
}

/* Far past the first allocation: every count survives the rehashes. */
static void test_growth(void **state)
{
	struct twa_destmap m;
	uint32_t i, n = 20000;
	size_t first_mask;

	(void)state;
	assert_int_equal(twa_destmap_init(&m, 0), 0);
	first_mask = m.mask;
	for (i = 0; i < n; i++) {
		struct twa_destkey k = key_of(i, TWA_AF_INET);
		uint32_t c;

		for (c = 0; c < 1 + i % 3; c++)
			assert_non_null(twa_destmap_add(&m, &k));
	}
	assert_true(m.mask > first_mask);
	assert_int_equal(m.used, n);
	assert_int_equal(m.untracked, 0);
	/* load stays under 3/4 */
	assert_true(m.used * 4 <= (m.mask + 1) * 3);
	for (i = 0; i < n; i++) {
		struct twa_destkey k = key_of(i, TWA_AF_INET);
		const struct twa_destent *e = find(&m, &k);

		if (!e || e->in_use != 1 + i % 3)
			fail_msg("destination %u: %u, want %u", i, e ? e->in_use : 0, 1 + i % 3);
	}
	twa_destmap_release(&m);
}

/*
 * Capped at max_slots: at 3/4 load of the largest table, sockets toward
 * new destinations are counted as untracked; known ones still count.
 */
static void test_cap(void **state)
{
	struct twa_destmap m;
	const size_t max = 4096, fits = max / 4 * 3;
	struct twa_destkey k;
	uint32_t i;

	(void)state;
	assert_int_equal(twa_destmap_init(&m, max), 0);
	for (i = 0; i < fits; i++) {
		k = key_of(i, TWA_AF_INET6);
		if (!twa_destmap_add(&m, &k))
			fail_msg("destination %u refused below the cap", i);
	}
	assert_int_equal(m.used, fits);
	assert_int_equal(m.mask + 1, max);
	assert_int_equal(m.untracked, 0);
	/* the next new ones are refused and counted, one per socket */
	for (i = 0; i < 10; i++) {
		k = key_of((uint32_t)fits + i % 4, TWA_AF_INET6);
		assert_null(twa_destmap_add(&m, &k));
	}
	assert_int_equal(m.untracked, 10);
	assert_int_equal(m.used, fits);
	assert_int_equal(m.mask + 1, max);	/* never past the cap */
	/* known destinations still count */
	k = key_of(7, TWA_AF_INET6);
	assert_non_null(twa_destmap_add(&m, &k));
	assert_int_equal(find(&m, &k)->in_use, 2);
	/* clear forgets entries and the untracked count */
	twa_destmap_clear(&m);
	assert_int_equal(m.used, 0);
	assert_int_equal(m.untracked, 0);
	assert_null(find(&m, &k));
	assert_non_null(twa_destmap_add(&m, &k));
	assert_int_equal(find(&m, &k)->in_use, 1);
	twa_destmap_release(&m);
}

/* The default cap holds TWA_DESTMAP_MAX_SLOTS * 3/4 destinations. */
static void test_default_cap(void **state)
{
	struct twa_destmap m;
	const uint32_t fits = TWA_DESTMAP_MAX_SLOTS / 4 * 3;
	struct twa_destkey k;
	uint32_t i;

	(void)state;
	assert_int_equal(twa_destmap_init(&m, 0), 0);
	for (i = 0; i < fits; i++) {
		k = key_of(i, TWA_AF_INET);
		k.local[1] = (uint8_t)(i >> 24);
		if (!twa_destmap_add(&m, &k))
			fail_msg("destination %u refused below the default cap", i);
	}
	k = key_of(i, TWA_AF_INET);
	k.local[1] = 0xee;
	assert_null(twa_destmap_add(&m, &k));
	assert_int_equal(m.untracked, 1);
	assert_int_equal(m.mask + 1, TWA_DESTMAP_MAX_SLOTS);
	twa_destmap_release(&m);
}

static void test_top_order(void **state)
{
	/* in_use per destination index, inserted in this order */
	static const unsigned counts[] = { 5, 90, 1, 90, 33, 7, 90, 2, 60, 33, 1, 100 };
	const struct twa_destent *top[32];
	struct twa_destmap m;
	size_t i, n;
	uint32_t c;

	(void)state;
	assert_int_equal(twa_destmap_init(&m, 0), 0);
	for (i = 0; i < N(counts); i++) {
		struct twa_destkey k = key_of((uint32_t)(N(counts) - i), TWA_AF_INET);

		for (c = 0; c < counts[i]; c++)
			assert_non_null(twa_destmap_add(&m, &k));
	}
	/* all of them: descending, ties by key bytes */
	n = twa_destmap_top(&m, top, N(top));
	assert_int_equal(n, N(counts));
	for (i = 1; i < n; i++) {
		if (top[i - 1]->in_use < top[i]->in_use)
			fail_msg("top[%zu] %u before top[%zu] %u", i - 1, top[i - 1]->in_use,
				 i, top[i]->in_use);
		if (top[i - 1]->in_use == top[i]->in_use &&
		    memcmp(&top[i - 1]->key, &top[i]->key, sizeof(top[i]->key)) >= 0)
			fail_msg("tie at %zu not ordered by key", i);
	}
	assert_int_equal(top[0]->in_use, 100);
	assert_int_equal(top[1]->in_use, 90);
	assert_int_equal(top[3]->in_use, 90);
	assert_int_equal(top[4]->in_use, 60);
	assert_int_equal(top[n - 1]->in_use, 1);
	/* the first 4 of a smaller request are the same 4 */
	{
		const struct twa_destent *four[4];

		assert_int_equal(twa_destmap_top(&m, four, 4), 4);
		for (i = 0; i < 4; i++)
			assert_ptr_equal(four[i], top[i]);
	}
	/* one */
	{
		const struct twa_destent *one[1];

		assert_int_equal(twa_destmap_top(&m, one, 1), 1);
		assert_int_equal(one[0]->in_use, 100);
	}
	twa_destmap_release(&m);
}

/* Top-N of many against a full sort done here. */
static int cmp_desc(const void *a, const void *b)
{
	const struct twa_destent *x = *(const struct twa_destent *const *)a;
	const struct twa_destent *y = *(const struct twa_destent *const *)b;

	if (x->in_use != y->in_use)
		return x->in_use > y->in_use ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

static void test_top_many(void **state)
{
	const struct twa_destent *top[20], **all;
	struct twa_destmap m;
	uint32_t i, c, n = 3000;
	size_t k, got;

	(void)state;
	assert_int_equal(twa_destmap_init(&m, 0), 0);
	for (i = 0; i < n; i++) {
		struct twa_destkey key = key_of(i, i % 2 ? TWA_AF_INET6 : TWA_AF_INET);
		uint32_t want = 1 + (i * 2654435761u) % 97;	/* scattered, many ties */

		for (c = 0; c < want; c++)
			assert_non_null(twa_destmap_add(&m, &key));
	}
	all = calloc(n, sizeof(*all));
	assert_non_null(all);
	for (k = 0, i = 0; k <= m.mask; k++)
		if (m.slots[k].in_use)
			all[i++] = &m.slots[k];
	assert_int_equal(i, n);
	qsort(all, n, sizeof(*all), cmp_desc);
	got = twa_destmap_top(&m, top, N(top));
	assert_int_equal(got, N(top));
	for (k = 0; k < got; k++)
		if (top[k] != all[k])
			fail_msg("top[%zu] is %u, a full sort says %u", k, top[k]->in_use,
				 all[k]->in_use);
	free(all);
	twa_destmap_release(&m);
}

static void test_top_edges(void **state)
{
	const struct twa_destent *top[4] = { NULL };
	struct twa_destmap m;
	struct twa_destkey k = key_of(3, TWA_AF_INET);

	(void)state;
	assert_int_equal(twa_destmap_init(&m, 0), 0);
	/* empty table */
	assert_int_equal(twa_destmap_top(&m, top, N(top)), 0);
	assert_non_null(twa_destmap_add(&m, &k));
	/* BUG (advisor/destmap.c twa_destmap_top): max 0 reads and writes ret[-1]. */
	assert_int_equal(twa_destmap_top(&m, top + 1, 0), 0);
	assert_null(top[0]);
	assert_int_equal(twa_destmap_top(&m, top, N(top)), 1);
	twa_destmap_release(&m);
	/* release is safe twice and on NULL */
	twa_destmap_release(&m);
	twa_destmap_release(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count_same_key),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_default_cap),
		cmocka_unit_test(test_top_order),
		cmocka_unit_test(test_top_many),
		cmocka_unit_test(test_top_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
