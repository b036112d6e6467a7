/* SPDX-License-Identifier: MIT */
/* destmap.h - ephemeral ports in use per (local addr, remote addr, remote port). */
#ifndef TWA_DESTMAP_H
#define TWA_DESTMAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * connect() needs a unique 4-tuple, so ephemeral ports run out per
 * destination, not per host. This open-addressing table counts, per
 * destination, the local ports taken; it is the one aggregate of the
 * inspector that grows with the data, and it is capped: past
 * TWA_DESTMAP_MAX_SLOTS, sockets of new destinations are counted as
 * untracked rather than silently dropped.
 */
#define TWA_DESTMAP_MAX_SLOTS (1u << 17)

struct twa_destkey {
	uint8_t family;
	uint8_t pad;
	uint16_t remote_port;
	uint8_t local[16];
	uint8_t remote[16];
};

struct twa_destent {
	struct twa_destkey key;
	uint32_t in_use;	/* 0: empty slot */
	uint32_t time_wait;
	uint32_t tw_young;	/* TIME_WAIT entered within the rate window */
	uint32_t tw_recent;	/* TIME_WAIT younger than tcp_tw_reuse_delay */
	uint32_t bind_parity;	/* on ports of the parity bind() prefers */
	uint32_t bind_held;	/* on ports judged bind buckets (finish) */
};

struct twa_destmap {
	struct twa_destent *slots;
	size_t mask;		/* slots - 1 */
	size_t used;
	size_t max_slots;
	uint64_t untracked;
};

int twa_destmap_init(struct twa_destmap *m, size_t max_slots);
void twa_destmap_release(struct twa_destmap *m);
void twa_destmap_clear(struct twa_destmap *m);
/* Count one socket; returns the entry, or NULL when the table is full
 * (counted in untracked) or memory ran out. */
struct twa_destent *twa_destmap_add(struct twa_destmap *m,
				    const struct twa_destkey *key);

/* The entry of key, or NULL. */
struct twa_destent *twa_destmap_find(const struct twa_destmap *m,
				     const struct twa_destkey *key);

/* Fill ret (room for max) with the entries of largest in_use, descending;
 * ties broken by key for a stable order. Returns how many. */
size_t twa_destmap_top(const struct twa_destmap *m,
		       const struct twa_destent **ret, size_t max);

#endif
