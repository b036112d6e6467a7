/* SPDX-License-Identifier: MIT */
/* netns.h - entering --netns for the runner and the pipeline. */
#ifndef TWA_CMD_NETNS_H
#define TWA_CMD_NETNS_H

#include "cmd/cmd.h"

/* Enter --netns when given; returns 0 or an exit code after printing. */
int twa_enter_netns(const struct twa_globals *g);

#endif
