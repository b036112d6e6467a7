/* SPDX-License-Identifier: MIT */
/* pairset.h - match the two local ends of loopback connections while a dump streams: FIN_WAIT2 orphans against CLOSE_WAIT sockets. */
#ifndef TWA_PAIRSET_H
#define TWA_PAIRSET_H

#include <stddef.h>
#include <stdint.h>

#include "advisor/facts/sock.h"

/*
 * The classic CLOSE_WAIT leak on one host: a local client closed (its end
 * sits orphaned in FIN_WAIT2), the local server never did (CLOSE_WAIT).
 * Both ends are in the same dump, in no guaranteed order. Each end is
 * stored as a 64-bit hash of its connection, the two endpoints in a
 * canonical order (IPv4 as v4-mapped IPv6), so an end matches the other
 * whichever comes first; a matched pair is counted once. Nothing but these
 * hashes is kept, and only for the two states, capped like the CLOSE_WAIT
 * inode map: past TWA_PAIRSET_MAX_SLOTS new ends are not stored (counted
 * in dropped) and the count becomes a lower bound.
 */
#define TWA_PAIRSET_MAX_SLOTS (1u << 18)

enum {
	TWA_PAIR_CLOSE_WAIT = 1 << 0,
	TWA_PAIR_FIN_WAIT2 = 1 << 1,	/* an orphaned one */
};

struct twa_pairent {
	uint64_t hash;		/* 0: empty slot */
	uint32_t ends;		/* TWA_PAIR_* seen */
};

struct twa_pairset {
	struct twa_pairent *slots;
	size_t mask, used, max_slots;
	uint64_t matched;	/* pairs with both ends seen */
	uint64_t dropped;	/* ends not stored: table full */
};

int twa_pairset_init(struct twa_pairset *ps);
void twa_pairset_release(struct twa_pairset *ps);
/* One end, TWA_PAIR_CLOSE_WAIT or TWA_PAIR_FIN_WAIT2. Returns 1 when it
 * completed a pair, 0 when stored, -ENOSPC when the table is full. */
int twa_pairset_add(struct twa_pairset *ps, const struct twa_sock *s, uint32_t end);

#endif
