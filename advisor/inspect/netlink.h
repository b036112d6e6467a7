/* SPDX-License-Identifier: MIT */
/* netlink.h - the NETLINK_SOCK_DIAG socket: send a dump request, receive (edge). */
#ifndef TWA_NETLINK_H
#define TWA_NETLINK_H

#include <stddef.h>
#include <stdint.h>

#include "advisor/inspect/diag.h"
#include "advisor/util/err.h"
#include "advisor/facts/sock.h"

/* The kernel never builds a dump message larger than 32 KiB
 * (netlink_recvmsg caps max_recvmsg_len), so this buffer always fits one. */
#define TWA_NL_BUF 32768

struct twa_nl {
	int fd;
	uint32_t seq;
};

/* -EIO (with the reason) when netlink inet_diag is not available. */
int twa_nl_open(struct twa_nl *nl, struct twa_err *err);
void twa_nl_close(struct twa_nl *nl);

/* Called with each buffer as received; return negative to stop. */
typedef int (*twa_nl_buf_cb)(const void *buf, size_t len, uint32_t seq,
			     void *ctx);

/* Both families in one dump (family argument of the two calls below). */
#define TWA_NL_ANY_FAMILY 0

/* Dump TCP sockets of family (TWA_AF_INET/6) in the TWA_TCPF() states
 * mask, handing every raw buffer to cb. TWA_NL_ANY_FAMILY sends the older
 * TCPDIAG_GETSOCK request, whose dump is not filtered by family: the kernel
 * walks its established hash once instead of once per family. A kernel
 * without it answers with an error (then dump per family). */
int twa_nl_dump_raw(struct twa_nl *nl, int family, unsigned states,
		    twa_nl_buf_cb cb, void *ctx, struct twa_err *err);

/* Same, parsed: each socket to sock_cb. walk says whether the dump was
 * complete and whether the kernel flagged it as interrupted. */
int twa_nl_dump(struct twa_nl *nl, int family, unsigned states,
		twa_sock_cb sock_cb, void *ctx, struct twa_diag_walk *walk,
		struct twa_err *err);

#endif
