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
/* Fetch an https:// profile (libcurl, TLS verified, size-capped). */
int twa_cmd_fetch_profile(const char *url, struct strbuf *out,
			  struct twa_err *err, void *ctx);

#endif
