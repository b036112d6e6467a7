/* SPDX-License-Identifier: MIT */
/* netns.h - entering --netns for the runner and the pipeline. */
#ifndef TWA_CMD_NETNS_H
#define TWA_CMD_NETNS_H

#include <stdbool.h>

#include "advisor/facts/nsident.h"
#include "cmd/cmd.h"

/* Enter --netns when given; returns 0 or an exit code after printing. */
int twa_enter_netns(const struct twa_globals *g);

/* --netns given: who lives there (nsdisc), into id; false (with a
 * warning) when it cannot be told, or without --netns. */
bool twa_netns_identity(const struct twa_globals *g, struct twa_ns_ident *id);

#endif
