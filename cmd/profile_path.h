/* SPDX-License-Identifier: MIT */
/* profile_path.h - where commands look for profiles, and loading one (or fetching it) for them. */
#ifndef TWA_CMD_PROFILE_PATH_H
#define TWA_CMD_PROFILE_PATH_H

#include "advisor/profile/profile.h"
#include "advisor/profile/profile_load.h"
#include "advisor/util/err.h"
#include "advisor/util/strbuf.h"

/* Load a profile by name, path or URL from the usual places
 * ($TWADVISE_PROFILE_PATH, /etc/twadvise/profiles, the share directory, the
 * source tree when run from it). Prints the error and returns its exit code. */
int twa_cmd_load_profile(const char *spec, struct twa_profile *p);
/* The profile search path (storage owned by this module). */
void twa_cmd_profile_search(struct twa_profile_search *s);
/* Time limits of remote profiles: each attempt, each URL (its attempts
 * and backoff together), and a whole extends chain. */
#define TWA_FETCH_ATTEMPT_MS 5000
#define TWA_FETCH_URL_MS 10000
#define TWA_FETCH_CHAIN_MS 20000

/* The chain's deadline, started before its first fetch. */
struct twa_fetch_budget {
	long end_ms;	/* CLOCK_MONOTONIC */
};
void twa_fetch_budget_start(struct twa_fetch_budget *b);

/* Fetch an https:// profile (libcurl, TLS verified, size-capped), within
 * TWA_FETCH_URL_MS and what is left of the budget ctx (NULL: none). */
int twa_cmd_fetch_profile(const char *url, struct strbuf *out,
			  struct twa_err *err, void *ctx);

#endif
