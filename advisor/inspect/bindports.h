/* SPDX-License-Identifier: MIT */
/* bindports.h - which ports of the ephemeral range bind() took (pure). */
#ifndef TWA_BINDPORTS_H
#define TWA_BINDPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "advisor/inspect/destmap.h"

/*
 * __inet_hash_connect() (net/ipv4/inet_hashtables.c) skips every port
 * whose bind bucket was made by bind() (tb->fastreuse or fastreuseport
 * >= 0): a port taken by bind() before connect(), or a listener's, is
 * lost to connect() toward EVERY destination. A dump does not say which
 * bucket a socket sits in, so this table keeps, per port of the range,
 * the first destination, an inode and what the kernel does show, then
 * judges at the end:
 *
 *  - a listener's port is a bind bucket (certain);
 *  - a port shared by sockets toward two destinations, or held by a
 *    socket with IP_BIND_ADDRESS_NO_PORT (INET_DIAG_SOCKOPT), is a
 *    connect() bucket (certain);
 *  - otherwise parity: __inet_hash_connect() tries ports of the parity of
 *    the range's low end first, inet_csk_find_open_port() (bind() to
 *    port 0) the other parity first (since 4.6). A port of bind()'s
 *    parity is taken as bind()'s when its destination has more sockets
 *    on that parity than on the other one and connect() toward it cannot
 *    have run out of ports of its own parity; when every port of bind()'s
 *    parity is occupied, bind() spilled over: the other-parity ports of
 *    the destinations found so are counted too.
 *
 * Missed: explicit bind() to a port of connect()'s parity, bind() mixed
 * with more plain connects toward one destination. Wrongly counted: at
 * most the odd socket of a per-socket IP_LOCAL_PORT_RANGE (6.3+; no
 * parity preference then), which no dump shows.
 */
enum {
	TWA_PORT_MULTI = 1 << 0,	/* sockets toward two destinations */
	TWA_PORT_NO_PORT = 1 << 1,	/* IP_BIND_ADDRESS_NO_PORT seen */
	TWA_PORT_LISTEN = 1 << 2,	/* a listener */
	TWA_PORT_BIND = 1 << 3,		/* judged a bind() bucket */
};

struct twa_portent {
	struct twa_destkey key;	/* of the first socket seen on the port */
	uint32_t inode;		/* a socket on it with an inode, 0: none */
	uint32_t n;		/* sockets on the port */
	uint8_t flags;
};

struct twa_bindports {
	unsigned low, high;
	struct twa_portent *ports;	/* [port - low]; NULL: not kept */
	uint64_t bind;			/* ports judged bind() + connect() */
	uint64_t listen;		/* listeners' ports */
};

int twa_bindports_init(struct twa_bindports *b, unsigned low, unsigned high);
void twa_bindports_release(struct twa_bindports *b);
void twa_bindports_clear(struct twa_bindports *b);
/* bind() prefers this parity (the one __inet_hash_connect() does not). */
bool twa_bindports_bind_parity(const struct twa_bindports *b, unsigned port);
void twa_bindports_sock(struct twa_bindports *b, unsigned port,
			const struct twa_destkey *key, uint32_t inode,
			bool no_port);
void twa_bindports_listener(struct twa_bindports *b, unsigned port);
/* Judge every port (usable: bitmap of the range minus reserved ports)
 * and count the bind-held ports of each destination in dests. */
void twa_bindports_classify(struct twa_bindports *b, const uint8_t *usable,
			    struct twa_destmap *dests);

#endif
