/* SPDX-License-Identifier: MIT */
/* sock.h - one TCP socket as a parser hands it to the aggregator (never stored). */
#ifndef TWA_SOCK_H
#define TWA_SOCK_H

#include <stdbool.h>
#include <stdint.h>

struct twa_sock {
	uint8_t family;		/* TWA_AF_INET or TWA_AF_INET6 */
	uint8_t state;		/* enum twa_tcp_state */
	uint8_t timer;		/* 3: TIME_WAIT timer */
	bool have_backlog;	/* wqueue is the listen backlog (netlink only) */
	/* IP_BIND_ADDRESS_NO_PORT was set: bind() left the port to connect()
	 * (INET_DIAG_SOCKOPT, kernel 5.10+, full sockets only). */
	bool bind_no_port;
	uint16_t sport, dport;	/* host order */
	uint8_t src[16], dst[16];	/* network order; v4 uses the first 4 */
	uint32_t rqueue, wqueue;
	uint32_t inode;		/* 0: no owning socket (orphan, TIME_WAIT) */
	uint32_t expires_ms;	/* timer remaining */
};

/* Called once per socket while a dump streams; a negative return stops it. */
typedef int (*twa_sock_cb)(const struct twa_sock *s, void *ctx);

#endif
