/* SPDX-License-Identifier: MIT */
/* netns.h - enter another network namespace before inspecting it (edge). */
#ifndef TWA_NETNS_H
#define TWA_NETNS_H

#include <stdint.h>

#include "advisor/util/err.h"

/* spec is a name under /run/netns or a path (contains '/'), e.g.
 * /proc/PID/ns/net. -ENOENT when absent, -EPERM/-EACCES without the right,
 * -EINVAL when the file is not a network namespace. */
int twa_netns_enter(const char *spec, struct twa_err *err);

/* An fd on the namespace this thread is in now, to come back to (close
 * it after). Negative errno on failure. */
int twa_netns_open_current(struct twa_err *err);

/* Enter path only if it still is namespace inode: -ENOENT or -ESTALE when
 * it vanished (its process exited, the pid was reused), -EPERM/-EACCES
 * without the right. */
int twa_netns_enter_inode(const char *path, uint64_t inode, struct twa_err *err);

/* Go back to the namespace of fd (from twa_netns_open_current). */
int twa_netns_return(int fd, struct twa_err *err);

#endif
