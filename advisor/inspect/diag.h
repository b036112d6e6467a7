/* SPDX-License-Identifier: MIT */
/* diag.h - walk a buffer of NETLINK_SOCK_DIAG inet_diag replies (pure). */
#ifndef TWA_DIAG_H
#define TWA_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "advisor/util/err.h"
#include "advisor/facts/sock.h"

/* Outcome of one buffer. */
struct twa_diag_walk {
	bool done;		/* NLMSG_DONE seen: the dump is complete */
	bool interrupted;	/* NLM_F_DUMP_INTR: the dump is inconsistent */
	uint64_t sockets;	/* sockets handed to the callback */
};

/*
 * Parse the netlink messages in [buf, buf+len) as received from one
 * recvmsg() of an inet_diag dump with sequence number seq. Each socket is
 * passed to cb. Returns 0, a negative errno from the kernel's NLMSG_ERROR,
 * -EBADMSG for a malformed buffer (err says where), or what cb returned.
 */
int twa_diag_parse(const void *buf, size_t len, uint32_t seq, twa_sock_cb cb,
		   void *ctx, struct twa_diag_walk *walk, struct twa_err *err);

#endif
