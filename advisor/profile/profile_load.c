/* SPDX-License-Identifier: MIT */
/* profile_load.c - locating profile files and resolving extends chains. */
#include "advisor/profile/profile_load.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advisor/util/fsutil.h"
#include "advisor/util/parse.h"
#include "advisor/profile/yamltree.h"

int twa_profile_read_file(const char *path, struct strbuf *out,
			  struct twa_err *err)
{
	struct stat st;
	int fd, r;

	fd = twa_file_open(path, O_RDONLY, 0, "profile", &st, err);
	if (fd < 0)
		return fd;
	if (st.st_size > (off_t)TWA_YAML_MAX_BYTES) {
		close(fd);
		return twa_err_set_at(err, -EBADMSG, path, 0, 0,
				      "profile larger than %u bytes", TWA_YAML_MAX_BYTES);
	}
	r = twa_fd_read_all(fd, path, TWA_YAML_MAX_BYTES, -EBADMSG, out, err);
	close(fd);
	return r;
}

static bool is_path(const char *spec)
{
	size_t n = strlen(spec);

	return strchr(spec, '/') || (n > 5 && !strcmp(spec + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(spec + n - 4, ".yml"));
}

static bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* NAME.yaml in dir (if given) then in the search path. */
static int find_named(const char *name, const char *dir,
		      const struct twa_profile_search *s, char *path, size_t size,
		      struct twa_err *err)
{
	struct strbuf tried = STRBUF_INIT;
	size_t i;

	if (dir) {
		snprintf(path, size, "%s/%s.yaml", dir, name);
		if (file_exists(path))
			return 0;
	}
	for (i = 0; s && i < s->n; i++) {
		snprintf(path, size, "%s/%s.yaml", s->dirs[i], name);
		if (file_exists(path)) {
			strbuf_release(&tried);
			return 0;
		}
		strbuf_addf(&tried, "%s%s", tried.len ? ", " : "", s->dirs[i]);
	}
	twa_err_set(err, -ENOENT,
		    "no profile named '%s' (looked in %s%s%s); 'twadvise profiles list' shows the available ones",
		    name, dir ? dir : "", dir && tried.len ? ", " : "", tried.buf);
	strbuf_release(&tried);
	return -ENOENT;
}

static bool is_url(const char *spec)
{
	return !strncmp(spec, "https://", 8) || !strncmp(spec, "http://", 7);
}

/* scheme://host[:port] of url into buf, lowercased, without a default
 * :443; false when it has none. */
static bool url_origin(const char *url, char *buf, size_t size)
{
	const char *auth = strstr(url, "://");
	size_t len;

	if (!auth)
		return false;
	auth += 3;
	len = (size_t)(auth - url) + strcspn(auth, "/?#");
	if (len >= size || len == (size_t)(auth - url))
		return false;
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)tolower((unsigned char)url[i]);
	buf[len] = '\0';
	if (len > 4 && !strcmp(buf + len - 4, ":443") && !strncmp(buf, "https", 5))
		buf[len - 4] = '\0';
	return true;
}

/* A shipped (or site) profile's name: looked up only in the search path. */
static bool is_plain_name(const char *s)
{
	if (!*s || *s == '.' || is_path(s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

/* What a remote profile (url) may extend: a profile of its own origin or
 * a name from the search path, never a local path: a server must not
 * make twadvise read, and echo in errors, files of this host. */
static int remote_extends_check(const char *url, const char *extends, unsigned line,
				unsigned col, struct twa_err *err)
{
	char a[512], b[512];

	if (is_plain_name(extends))
		return 0;
	if (is_url(extends) && url_origin(url, a, sizeof(a)) &&
	    url_origin(extends, b, sizeof(b)) && !strcmp(a, b))
		return 0;
	return twa_err_set_at(err, -EBADMSG, url, line, col,
			      "extends '%.200s': a remote profile may extend only a profile of its own origin (%s) or a shipped profile name, never a local path or another server",
			      extends, url_origin(url, a, sizeof(a)) ? a : "?");
}

struct chain {
	char names[TWA_PROFILE_MAX_EXTENDS + 1][64];
	size_t n;
};

/* Read spec (URL, path or name) into buf; path names it, dir (may stay "")
 * is where its relative extends are looked for first. */
static int read_spec(const char *spec, const char *near_dir,
		     const struct twa_profile_search *s, twa_profile_fetch_fn fetch,
		     void *fetch_ctx, struct strbuf *buf, char path[1024],
		     char dir[1024], struct twa_err *err)
{
	int r;

	if (is_url(spec)) {
		if (!fetch)
			return twa_err_set(err, -EINVAL, "cannot fetch '%s' here", spec);
		if (strncmp(spec, "https://", 8))
			return twa_err_set(err, -EINVAL,
					   "profile URL '%s' is not https: profiles are only fetched over TLS",
					   spec);
		r = fetch(spec, buf, err, fetch_ctx);
		if (r < 0)
			return r;
		twa_strlcpy(path, spec, 1024);
		return 0;
	}
	if (is_path(spec)) {
		twa_strlcpy(path, spec, 1024);
	} else {
		r = find_named(spec, near_dir, s, path, 1024, err);
		if (r < 0)
			return r;
	}
	r = twa_profile_read_file(path, buf, err);
	if (r < 0)
		return r;
	twa_strlcpy(dir, path, 1024);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	else
		twa_strlcpy(dir, ".", 1024);
	return 0;
}

/* The index in seen of name, or -1. */
static int chain_find(const struct chain *seen, const char *name)
{
	size_t i;

	for (i = 0; i < seen->n; i++)
		if (!strcmp(seen->names[i], name))
			return (int)i;
	return -1;
}

/* "a -> b -> a": seen from its entry from on, closed by last. A file
 * names where the cycle closes (its extends key), or none. */
static int cycle_error(const struct chain *seen, size_t from, const char *last,
		       const char *file, unsigned line, unsigned col,
		       struct twa_err *err)
{
	struct strbuf cyc = STRBUF_INIT;
	size_t k;
	int r;

	for (k = from; k < seen->n; k++)
		strbuf_addf(&cyc, "%s -> ", seen->names[k]);
	strbuf_addstr(&cyc, last);
	if (file)
		r = twa_err_set_at(err, -EBADMSG, file, line, col, "extends cycle: %s",
				   cyc.buf);
	else
		r = twa_err_set(err, -EBADMSG, "extends cycle: %s", cyc.buf);
	strbuf_release(&cyc);
	return r;
}

static int load_chain(const char *spec, const char *near_dir,
		      const struct twa_profile_search *s,
		      twa_profile_fetch_fn fetch, void *fetch_ctx,
		      struct chain *seen, struct twa_profile *ret,
		      struct twa_err *err)
{
	struct strbuf buf = STRBUF_INIT;
	char path[1024], dir[1024] = "";
	unsigned eline = 0, ecol = 0;
	struct twa_profile parent;
	int r, i;

	r = read_spec(spec, near_dir, s, fetch, fetch_ctx, &buf, path, dir, err);
	if (r < 0)
		goto out;
	r = twa_profile_parse(buf.buf, buf.len, path, ret, &eline, &ecol, err);
	if (r < 0)
		goto out;
	if ((i = chain_find(seen, ret->name)) >= 0) {
		r = cycle_error(seen, (size_t)i, ret->name, NULL, 0, 0, err);
		goto out;
	}
	if (seen->n > TWA_PROFILE_MAX_EXTENDS) {
		r = twa_err_set_at(err, -EBADMSG, path, eline, ecol,
				   "extends chain deeper than %d profiles", TWA_PROFILE_MAX_EXTENDS);
		goto out;
	}
	twa_strlcpy(seen->names[seen->n++], ret->name, sizeof(seen->names[0]));
	if (!ret->extends[0])
		goto out;
	if (is_url(path) &&
	    (r = remote_extends_check(path, ret->extends, eline, ecol, err)) < 0)
		goto out;
	/* A parent already on the chain closes a cycle: say where. */
	if ((i = chain_find(seen, ret->extends)) >= 0) {
		r = cycle_error(seen, (size_t)i, ret->extends, path, eline, ecol, err);
		goto out;
	}
	twa_profile_init(&parent);
	r = load_chain(ret->extends, dir[0] ? dir : NULL, s, fetch, fetch_ctx,
		       seen, &parent, err);
	if (r == 0)
		r = twa_profile_inherit(ret, &parent) < 0 ?
		    twa_err_set(err, -ENOMEM, "out of memory") : 0;
	else if (err && !err->file[0])
		twa_err_prefix(err, "%s:%u:%u: extends '%s'", path, eline, ecol,
			       ret->extends);
	twa_profile_release(&parent);
out:
	strbuf_release(&buf);
	return r;
}

int twa_profile_load(const char *spec, const struct twa_profile_search *s,
		     twa_profile_fetch_fn fetch, void *fetch_ctx,
		     struct twa_profile *ret, struct twa_err *err)
{
	struct chain seen = { .n = 0 };
	int r;

	twa_profile_init(ret);
	r = load_chain(spec, NULL, s, fetch, fetch_ctx, &seen, ret, err);
	if (r < 0)
		twa_profile_release(ret);
	return r;
}

struct listed {
	char name[64];
	char path[1024];
};

static int cmp_listed(const void *a, const void *b)
{
	return strcmp(((const struct listed *)a)->name, ((const struct listed *)b)->name);
}

int twa_profile_list(const struct twa_profile_search *s,
		     twa_profile_list_cb cb, void *ctx)
{
	struct listed *v = NULL;
	size_t n = 0, i, j;
	int r = 0;

	for (i = 0; i < s->n && r == 0; i++) {
		DIR *d = opendir(s->dirs[i]);
		struct dirent *de;

		if (!d)
			continue;
		while ((de = readdir(d))) {
			size_t len = strlen(de->d_name);
			struct listed e, *nv;

			if (len <= 5 || len - 5 >= sizeof(e.name) ||
			    strcmp(de->d_name + len - 5, ".yaml"))
				continue;
			memcpy(e.name, de->d_name, len - 5);
			e.name[len - 5] = '\0';
			snprintf(e.path, sizeof(e.path), "%s/%s", s->dirs[i], de->d_name);
			/* An earlier directory masks the same name in a later one. */
			for (j = 0; j < n && strcmp(v[j].name, e.name); j++)
				;
			if (j < n || !file_exists(e.path))
				continue;
			nv = realloc(v, (n + 1) * sizeof(*v));
			if (!nv) {
				r = -ENOMEM;
				break;
			}
			v = nv;
			v[n++] = e;
		}
		closedir(d);
	}
	if (r == 0 && n)	/* qsort(NULL, 0) is undefined */
		qsort(v, n, sizeof(*v), cmp_listed);
	for (i = 0; i < n && r == 0; i++)
		r = cb(v[i].name, v[i].path, ctx);
	free(v);
	return r;
}
