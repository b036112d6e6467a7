/* SPDX-License-Identifier: MIT */
/* sockagg.h - aggregate a socket dump while it streams: counts, never lists. */
#ifndef TWA_SOCKAGG_H
#define TWA_SOCKAGG_H

#include <stdbool.h>
#include <stdint.h>

#include "advisor/inspect/bindports.h"
#include "advisor/inspect/destmap.h"
#include "advisor/facts/facts.h"
#include "advisor/inspect/inomap.h"
#include "advisor/inspect/pairset.h"
#include "advisor/facts/sock.h"

enum {
	TWA_AGG_DESTINATIONS = 1 << 0,	/* per-destination port use */
	TWA_AGG_LISTENERS = 1 << 1,	/* record listening sockets */
	TWA_AGG_CLOSE_WAIT = 1 << 2,	/* remember CLOSE_WAIT inodes */
};

struct twa_sockagg {
	struct twa_facts *facts;	/* states and listeners go here */
	unsigned flags;
	/* TIME_WAIT sockets whose timer has more than this left entered
	 * TIME_WAIT within the rate window (0: no rates). */
	uint32_t young_after_ms;
	/* TIME_WAIT sockets whose timer has more than this left are younger
	 * than tcp_tw_reuse_delay: connect() cannot take them over yet. */
	uint32_t recent_after_ms;
	struct twa_destmap dests;
	struct twa_inomap close_wait;	/* CLOSE_WAIT inodes -> 0 */
	/* CLOSE_WAIT and orphaned FIN_WAIT2 ends, to count the orphans whose
	 * peer is a local CLOSE_WAIT socket (sockets.fin_wait2_orphans_local_peer). */
	struct twa_pairset pairs;
	uint64_t fin_wait2_minisocks;	/* FIN_WAIT2 kept as timewait socks */
	/* Per port of the range: which ones bind() took (bindports.h). */
	struct twa_bindports bindports;
	/* After finish: inodes of the sockets on those ports, for owners. */
	struct twa_inomap bind_inodes;
	/* With TWA_AGG_LISTENERS: request sockets (SYN_RECV) per local
	 * port, the listeners' SYN queues; allocated at the first one. */
	uint32_t *syn_recv;
	uint8_t usable[65536 / 8];	/* ephemeral and not reserved */
};

/* facts->ephemeral (range, reserved) and the sysctls must be filled
 * before init. */
int twa_sockagg_init(struct twa_sockagg *agg, struct twa_facts *facts,
		     unsigned flags, double rate_window_s);
void twa_sockagg_release(struct twa_sockagg *agg);
/* Forget everything counted so far (a dump to be restarted). */
void twa_sockagg_reset(struct twa_sockagg *agg);
/* A twa_sock_cb: ctx is the aggregator. */
int twa_sockagg_add(const struct twa_sock *s, void *ctx);
/* Write the top destinations and totals into facts->ephemeral. */
int twa_sockagg_finish(struct twa_sockagg *agg);

#endif
