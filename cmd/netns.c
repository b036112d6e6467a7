/* SPDX-License-Identifier: MIT */
/* netns.c - enter the network namespace --netns names, once, before inspecting or writing. */
#include "cmd/netns.h"

#include "advisor/inspect/netns.h"
#include "advisor/inspect/nsdisc.h"
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

bool twa_netns_identity(const struct twa_globals *g, struct twa_ns_ident *id)
{
	struct twa_nsdisc_opts o = { .pods_dir = g->pods_dir };
	struct twa_err err = { 0 };

	if (!g->netns || g->proc_root)
		return false;
	if (twa_ns_identify(&o, g->netns, id, &err) < 0) {
		twa_warnf("cannot tell who lives in %s: %s", g->netns, err.msg);
		return false;
	}
	return true;
}
