/* SPDX-License-Identifier: MIT */
/* netns.c - enter the network namespace --netns names, once, before inspecting or writing. */
#include "cmd/netns.h"

#include "advisor/inspect/netns.h"
#include "cmd/errors.h"

int twa_enter_netns(const struct twa_globals *g)
{
	struct twa_err err = { 0 };

	if (!g->netns)
		return 0;
	if (twa_netns_enter(g->netns, &err) < 0)
		return twa_fail(&err);
	return 0;
}
