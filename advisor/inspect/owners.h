/* SPDX-License-Identifier: MIT */
/* owners.h - find the processes that hold sockets, by inode, in /proc/PID/fd (edge). */
#ifndef TWA_OWNERS_H
#define TWA_OWNERS_H

#include <stdbool.h>

#include "advisor/util/err.h"
#include "advisor/facts/facts.h"
#include "advisor/inspect/inomap.h"

/*
 * One pass over /proc/PID/fd of every process (under root when set).
 * close_wait (may be NULL) holds the CLOSE_WAIT inodes of interest: their
 * owners go to facts->close_wait, the largest count first. With
 * listeners, each listener's owner is filled in. Processes whose fds
 * cannot be read are counted, not fatal. Only readlink(2) per fd: no
 * per-process work beyond that unless one of its fds matches.
 */
enum twa_owners_listeners {
	TWA_OWNERS_NO_LISTENERS,
	TWA_OWNERS_ALL_LISTENERS,
	TWA_OWNERS_NOTABLE_LISTENERS,	/* twa_listener_notable() ones */
};

/* bind (may be NULL): inodes of sockets on ports bind() took before
 * connect(); their owners go to facts->ephemeral.bind_owners. */
int twa_owners_scan(const char *root, struct twa_inomap *close_wait,
		    struct twa_inomap *bind, struct twa_facts *facts,
		    enum twa_owners_listeners which, struct twa_err *err);

#endif
