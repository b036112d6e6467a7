/* SPDX-License-Identifier: MIT */
/* destmap.c - open-addressing hash table of per-destination port counts. */
#include "advisor/inspect/destmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_SLOTS 1024u

int twa_destmap_init(struct twa_destmap *m, size_t max_slots)
{
	memset(m, 0, sizeof(*m));
	m->max_slots = max_slots ? max_slots : TWA_DESTMAP_MAX_SLOTS;
	m->slots = calloc(INITIAL_SLOTS, sizeof(*m->slots));
	if (!m->slots)
		return -ENOMEM;
	m->mask = INITIAL_SLOTS - 1;
	return 0;
}

void twa_destmap_release(struct twa_destmap *m)
{
	if (!m)
		return;
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

void twa_destmap_clear(struct twa_destmap *m)
{
	memset(m->slots, 0, (m->mask + 1) * sizeof(*m->slots));
	m->used = 0;
	m->untracked = 0;
}

/* Runs once per socket of a dump. A word-by-word chain of multiplies is
 * ~55 cycles of latency for this 36-byte key; these lanes are independent,
 * so the CPU overlaps their multiplies. */
static uint64_t lane(uint64_t x, uint64_t k)
{
	x ^= k;
	x *= 0xff51afd7ed558ccdu;
	return x ^ (x >> 32);
}

static uint32_t key_hash(const struct twa_destkey *k)
{
	uint64_t l[2], r[2], h;
	uint32_t head;

	memcpy(&head, k, sizeof(head));
	memcpy(l, k->local, sizeof(l));
	memcpy(r, k->remote, sizeof(r));
	h = lane(head, 0x9e3779b97f4a7c15u) ^ lane(l[0], 0xc2b2ae3d27d4eb4fu) ^
	    lane(l[1], 0x165667b19e3779f9u) ^ lane(r[0], 0x27d4eb2f165667c5u) ^
	    lane(r[1], 0x85ebca77c2b2ae63u);
	h *= 0xc4ceb9fe1a85ec53u;
	return (uint32_t)(h ^ (h >> 29));
}

static struct twa_destent *probe(struct twa_destent *slots, size_t mask,
				 const struct twa_destkey *key)
{
	size_t i = key_hash(key) & mask;

	for (;;) {
		struct twa_destent *e = &slots[i];

		if (!e->in_use || !memcmp(&e->key, key, sizeof(*key)))
			return e;
		i = (i + 1) & mask;
	}
}

static int grow(struct twa_destmap *m)
{
	size_t n = (m->mask + 1) * 2, i;
	struct twa_destent *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i <= m->mask; i++)
		if (m->slots[i].in_use)
			*probe(slots, n - 1, &m->slots[i].key) = m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->mask = n - 1;
	return 0;
}

struct twa_destent *twa_destmap_add(struct twa_destmap *m,
				    const struct twa_destkey *key)
{
	struct twa_destent *e = probe(m->slots, m->mask, key);

	if (e->in_use) {
		e->in_use++;
		return e;
	}
	/* A new destination: keep the load under 3/4. */
	if ((m->used + 1) * 4 > (m->mask + 1) * 3) {
		if ((m->mask + 1) * 2 > m->max_slots || grow(m) < 0) {
			m->untracked++;
			return NULL;
		}
		e = probe(m->slots, m->mask, key);
	}
	e->key = *key;
	e->in_use = 1;
	m->used++;
	return e;
}

struct twa_destent *twa_destmap_find(const struct twa_destmap *m,
				     const struct twa_destkey *key)
{
	struct twa_destent *e = probe(m->slots, m->mask, key);

	return e->in_use ? e : NULL;
}

static int cmp_ent(const void *a, const void *b)
{
	const struct twa_destent *x = *(const struct twa_destent *const *)a;
	const struct twa_destent *y = *(const struct twa_destent *const *)b;

	if (x->in_use != y->in_use)
		return x->in_use > y->in_use ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

size_t twa_destmap_top(const struct twa_destmap *m,
		       const struct twa_destent **ret, size_t max)
{
	size_t i, n = 0, k;

	if (!max)
		return 0;
	/* A bounded insertion into a sorted array of max: O(slots * max)
	 * at worst, but max is small and most entries lose at once. */
	for (i = 0; i <= m->mask; i++) {
		const struct twa_destent *e = &m->slots[i];

		if (!e->in_use)
			continue;
		if (n == max && cmp_ent(&e, &ret[n - 1]) >= 0)
			continue;
		k = n < max ? n++ : n - 1;
		while (k > 0 && cmp_ent(&e, &ret[k - 1]) < 0) {
			ret[k] = ret[k - 1];
			k--;
		}
		ret[k] = e;
	}
	return n;
}
