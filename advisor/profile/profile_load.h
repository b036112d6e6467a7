/* SPDX-License-Identifier: MIT */
/* profile_load.h - find and load profiles by name, path or URL, resolving extends (edge). */
#ifndef TWA_PROFILE_LOAD_H
#define TWA_PROFILE_LOAD_H

#include <stddef.h>

#include "advisor/util/err.h"
#include "advisor/profile/profile.h"
#include "advisor/util/strbuf.h"

/* Directories searched for NAME.yaml, first match wins. */
struct twa_profile_search {
	const char *const *dirs;
	size_t n;
};

/* Fetches an https:// profile into out (capped by the fetcher). Supplied
 * by the caller so this module needs no HTTP library. */
typedef int (*twa_profile_fetch_fn)(const char *url, struct strbuf *out,
				    struct twa_err *err, void *ctx);

#define TWA_PROFILE_MAX_EXTENDS 8

/*
 * spec: a name (looked up in s), a path (contains '/' or ends in .yaml/.yml)
 * or an https:// URL (needs fetch). A parent named by extends is looked up
 * beside its child first, then in s. Errors: -ENOENT (not found, names
 * where it looked), -EBADMSG (file:line:col), cycles in extends.
 */
int twa_profile_load(const char *spec, const struct twa_profile_search *s,
		     twa_profile_fetch_fn fetch, void *fetch_ctx,
		     struct twa_profile *ret, struct twa_err *err);

/* Read a profile file (regular file, at most TWA_YAML_MAX_BYTES). */
int twa_profile_read_file(const char *path, struct strbuf *out,
			  struct twa_err *err);

/* Every profile name in s (first directory wins), with its file. */
typedef int (*twa_profile_list_cb)(const char *name, const char *path,
				   void *ctx);
int twa_profile_list(const struct twa_profile_search *s,
		     twa_profile_list_cb cb, void *ctx);

#endif
