/* SPDX-License-Identifier: MIT */
/* netns.h - enter another network namespace before inspecting it (edge). */
#ifndef TWA_NETNS_H
#define TWA_NETNS_H

#include "advisor/util/err.h"

/* spec is a name under /run/netns or a path (contains '/'), e.g.
 * /proc/PID/ns/net. -ENOENT when absent, -EPERM/-EACCES without the right,
 * -EINVAL when the file is not a network namespace. */
int twa_netns_enter(const char *spec, struct twa_err *err);

#endif
