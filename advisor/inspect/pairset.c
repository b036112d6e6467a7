/* SPDX-License-Identifier: MIT */
/* pairset.c - open-addressing set of connection hashes, matching the two local ends of a connection. */
#include "advisor/inspect/pairset.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/facts/addr.h"

#define INITIAL_SLOTS 256u

int twa_pairset_init(struct twa_pairset *ps)
{
	memset(ps, 0, sizeof(*ps));
	ps->max_slots = TWA_PAIRSET_MAX_SLOTS;
	ps->slots = calloc(INITIAL_SLOTS, sizeof(*ps->slots));
	if (!ps->slots)
		return -ENOMEM;
	ps->mask = INITIAL_SLOTS - 1;
	return 0;
}

void twa_pairset_release(struct twa_pairset *ps)
{
	if (!ps)
		return;
	free(ps->slots);
	memset(ps, 0, sizeof(*ps));
}

/* address (v4 as ::ffff:a.b.c.d) and port, 18 bytes. */
static void endpoint(uint8_t family, const uint8_t *addr, uint16_t port, uint8_t out[18])
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (family == TWA_AF_INET) {
		memcpy(out, mapped, 12);
		memcpy(out + 12, addr, 4);
	} else {
		memcpy(out, addr, 16);
	}
	out[16] = (uint8_t)(port >> 8);
	out[17] = (uint8_t)port;
}

static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
	while (n--) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* The same for both ends of one connection. */
static uint64_t pair_hash(const struct twa_sock *s)
{
	uint8_t a[18], b[18];
	uint64_t h = 0xcbf29ce484222325ull;
	bool swap;

	endpoint(s->family, s->src, s->sport, a);
	endpoint(s->family, s->dst, s->dport, b);
	swap = memcmp(a, b, sizeof(a)) > 0;
	h = fnv1a(h, swap ? b : a, sizeof(a));
	h = fnv1a(h, swap ? a : b, sizeof(b));
	return h ? h : 1;
}

static struct twa_pairent *probe(struct twa_pairent *slots, size_t mask, uint64_t hash)
{
	size_t i = (size_t)(hash ^ (hash >> 32)) & mask;

	while (slots[i].hash && slots[i].hash != hash)
		i = (i + 1) & mask;
	return &slots[i];
}

static int grow(struct twa_pairset *ps)
{
	size_t n = (ps->mask + 1) * 2, i;
	struct twa_pairent *slots;

	if (n > ps->max_slots || !(slots = calloc(n, sizeof(*slots))))
		return -ENOSPC;
	for (i = 0; i <= ps->mask; i++)
		if (ps->slots[i].hash)
			*probe(slots, n - 1, ps->slots[i].hash) = ps->slots[i];
	free(ps->slots);
	ps->slots = slots;
	ps->mask = n - 1;
	return 0;
}

int twa_pairset_add(struct twa_pairset *ps, const struct twa_sock *s, uint32_t end)
{
	uint64_t hash = pair_hash(s);
	struct twa_pairent *e;

	if (!ps->slots)
		return -ENOMEM;	/* a failed re-init after a reset */
	e = probe(ps->slots, ps->mask, hash);

	if (e->hash) {
		/* The other end completes the pair; the same end twice does not. */
		if ((e->ends & end) || (e->ends | end) != (TWA_PAIR_CLOSE_WAIT | TWA_PAIR_FIN_WAIT2))
			return 0;
		e->ends |= end;
		ps->matched++;
		return 1;
	}
	if ((ps->used + 1) * 4 > (ps->mask + 1) * 3) {
		if (grow(ps) < 0) {
			ps->dropped++;
			return -ENOSPC;
		}
		e = probe(ps->slots, ps->mask, hash);
	}
	e->hash = hash;
	e->ends = end;
	ps->used++;
	return 0;
}
