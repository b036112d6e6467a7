/* SPDX-License-Identifier: MIT */
/* profile_path.c - where commands look for profiles, and loading one for them. */
#include "cmd/profile_path.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "advisor/util/parse.h"
#include "advisor/util/http.h"
#include "advisor/profile/profile_load.h"
#include "advisor/profile/yamltree.h"
#include "cmd/cmd.h"
#include "cmd/errors.h"

#ifndef TWA_DATADIR
#define TWA_DATADIR "/usr/local/share/twadvise"
#endif
#ifndef TWA_SYSCONFDIR
#define TWA_SYSCONFDIR "/etc"
#endif

#define MAX_DIRS 16

static char dir_store[MAX_DIRS][PATH_MAX];
static const char *dirs[MAX_DIRS];

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The source tree's profiles/ when this binary was built there
 * (build/twadvise or build/sanitize/twadvise next to a Makefile). */
static bool source_tree_profiles(char *buf, size_t size)
{
	char exe[PATH_MAX], probe[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int up;

	if (n <= 0)
		return false;
	exe[n] = '\0';
	for (up = 0; up < 3; up++) {
		char *slash = strrchr(exe, '/');

		if (!slash)
			return false;
		*slash = '\0';
		snprintf(probe, sizeof(probe), "%s/Makefile", exe);
		if (access(probe, F_OK) == 0) {
			snprintf(probe, sizeof(probe), "%s/profiles", exe);
			if (is_dir(probe) && strlen(probe) < size) {
				twa_strlcpy(buf, probe, size);
				return true;
			}
		}
	}
	return false;
}

void twa_cmd_profile_search(struct twa_profile_search *s)
{
	const char *env = getenv("TWADVISE_PROFILE_PATH");
	size_t n = 0;

	if (env && *env) {
		const char *p = env;

		while (*p && n < MAX_DIRS - 3) {
			size_t len = strcspn(p, ":");

			if (len && len < PATH_MAX) {
				memcpy(dir_store[n], p, len);
				dir_store[n][len] = '\0';
				n++;
			}
			p += len + (p[len] == ':');
		}
	}
	snprintf(dir_store[n++], PATH_MAX, "%s/twadvise/profiles", TWA_SYSCONFDIR);
	snprintf(dir_store[n++], PATH_MAX, "%s/profiles", TWA_DATADIR);
	if (source_tree_profiles(dir_store[n], PATH_MAX))
		n++;
	for (size_t i = 0; i < n; i++)
		dirs[i] = dir_store[i];
	s->dirs = dirs;
	s->n = n;
}

int twa_cmd_load_profile(const char *spec, struct twa_profile *p)
{
	struct twa_profile_search s;
	struct twa_err err = { 0 };

	struct twa_fetch_budget budget;

	twa_cmd_profile_search(&s);
	twa_fetch_budget_start(&budget);
	if (twa_profile_load(spec, &s, twa_cmd_fetch_profile, &budget, p, &err) < 0)
		return twa_fail(&err);
	return 0;
}

static long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void twa_fetch_budget_start(struct twa_fetch_budget *b)
{
	b->end_ms = mono_ms() + TWA_FETCH_CHAIN_MS;
}

int twa_cmd_fetch_profile(const char *url, struct strbuf *out,
			  struct twa_err *err, void *ctx)
{
	const struct twa_fetch_budget *b = ctx;
	struct twa_http_opts o = { .retries = TWA_HTTP_MAX_RETRIES,
				   .timeout_ms = TWA_FETCH_ATTEMPT_MS,
				   .connect_timeout_ms = TWA_FETCH_ATTEMPT_MS,
				   .deadline_ms = TWA_FETCH_URL_MS,
				   .max_body = TWA_YAML_MAX_BYTES,
				   .cacert = getenv("TWADVISE_CACERT") };
	struct twa_http_response resp;
	long left = b ? b->end_ms - mono_ms() : TWA_FETCH_URL_MS;
	int r;

	if (left < 100)
		return twa_err_set(err, -ETIMEDOUT,
				   "%s: not fetched: the profile chain's deadline of %d s has passed",
				   url, TWA_FETCH_CHAIN_MS / 1000);
	if (left < o.deadline_ms)
		o.deadline_ms = left;
	r = twa_http_request("GET", url, NULL, NULL, 0, &o, &resp, err);
	if (r == -EFBIG)	/* too big is bad input, like a local profile */
		r = twa_err_recode(err, -EBADMSG);
	if (r == 0 && (resp.status < 200 || resp.status > 299))
		r = twa_err_set(err, resp.status >= 500 ? -EIO : -ENOENT,
				"%s: the server answered HTTP %ld", url, resp.status);
	if (r == 0)
		r = strbuf_add(out, resp.body.buf, resp.body.len) < 0 ? -ENOMEM : 0;
	twa_http_response_release(&resp);
	return r;
}
