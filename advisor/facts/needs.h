/* SPDX-License-Identifier: MIT */
/* needs.h - which kinds of facts a caller needs gathered: shared by the rule catalogue, which declares them, and the inspector, which honours them. */
#ifndef TWA_NEEDS_H
#define TWA_NEEDS_H

/* A mask of facts; the inspector does no more than asked. */
enum {
	TWA_NEED_STATES = 1 << 0,	/* every socket state counted */
	TWA_NEED_DESTINATIONS = 1 << 1,	/* ephemeral use per destination */
	TWA_NEED_LISTENERS = 1 << 2,	/* listening sockets and queues */
	TWA_NEED_CLOSE_WAIT_OWNERS = 1 << 3,
	TWA_NEED_LISTENER_OWNERS = 1 << 4,
	TWA_NEED_COUNTERS = 1 << 5,	/* sockstat, TcpExt, Tcp */
	TWA_NEED_SYSCTLS = 1 << 6,
	TWA_NEED_ALL = (1 << 7) - 1,
	/* Owners only of listeners worth naming (near full, or on an
	 * unreserved ephemeral port): what check needs, at less cost. */
	TWA_NEED_LISTENER_OWNERS_NOTABLE = 1 << 7,
};

#endif
