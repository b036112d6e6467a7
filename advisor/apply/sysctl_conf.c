/* SPDX-License-Identifier: MIT */
/* sysctl_conf.c - parsing sysctl.d files. */
#include "advisor/apply/sysctl_conf.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/parse.h"
#include "advisor/util/strbuf.h"
#include "advisor/facts/sysctl_key.h"

void twa_sysctl_conf_key(const char *in, char *out, size_t size)
{
	size_t first = strcspn(in, "./"), i;

	twa_strlcpy(out, in, size);
	if (in[first] != '/')
		return;
	/* sysctl.d(5): with '/' as the first separator, '/' and '.' swap. */
	for (i = 0; out[i]; i++)
		out[i] = out[i] == '/' ? '.' : out[i] == '.' ? '/' : out[i];
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int conf_parse(const char *text, size_t len, const char *file,
		      twa_sysctl_conf_cb cb, void *ctx, bool lenient,
		      struct twa_err *err)
{
	const char *p = text, *end = text + len;
	unsigned lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t llen = (size_t)((nl ? nl : end) - p);
		char line[4096], key[256], *k, *v, *eq;
		int r;

		lineno++;
		if (llen >= sizeof(line))
			return twa_err_set_at(err, -EBADMSG, file, lineno, 1, "line too long");
		memcpy(line, p, llen);
		line[llen] = '\0';
		p = nl ? nl + 1 : end;
		k = trim(line);
		if (!*k || *k == '#' || *k == ';')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			if (lenient)
				continue;
			return twa_err_set_at(err, -EBADMSG, file, lineno, 1,
					      "expected 'key = value'");
		}
		*eq = '\0';
		v = trim(eq + 1);
		k = trim(k);
		if (*k == '-')
			k = trim(k + 1);
		twa_sysctl_conf_key(k, key, sizeof(key));
		r = cb(key, v, lineno, ctx);
		if (r < 0)
			return r;
	}
	return 0;
}

int twa_sysctl_conf_parse(const char *text, size_t len, const char *file,
			  twa_sysctl_conf_cb cb, void *ctx, struct twa_err *err)
{
	return conf_parse(text, len, file, cb, ctx, false, err);
}

int twa_sysctl_conf_replay(const char *text, size_t len, const char *file,
			   twa_sysctl_conf_cb cb, void *ctx)
{
	return conf_parse(text, len, file, cb, ctx, true, NULL);
}

struct collect {
	struct twa_conf_setting *v;
	size_t n;
};

static int collect_setting(const char *key, const char *value, unsigned line,
			   void *ctx)
{
	struct collect *c = ctx;
	size_t i;

	(void)line;
	for (i = 0; i < c->n && strcmp(c->v[i].key, key); i++)
		;
	if (i == c->n) {
		struct twa_conf_setting *nv = realloc(c->v, (c->n + 1) * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		c->v = nv;
		c->n++;
		twa_strlcpy(c->v[i].key, key, sizeof(c->v[i].key));
	}
	twa_strlcpy(c->v[i].value, value, sizeof(c->v[i].value));
	return 0;
}

int twa_sysctl_conf_settings(const char *text, size_t len, const char *file,
			     struct twa_conf_setting **ret, size_t *ret_n,
			     struct twa_err *err)
{
	struct collect c = { NULL, 0 };
	int r = twa_sysctl_conf_parse(text, len, file, collect_setting, &c, err);

	if (r < 0) {
		free(c.v);
		return r == -ENOMEM ? twa_err_set(err, r, "out of memory") : r;
	}
	*ret = c.v;
	*ret_n = c.n;
	return 0;
}

int twa_persist_render(const char *profile, const char *snapshot,
		       const char *date, const struct twa_conf_setting *v,
		       size_t n, struct strbuf *out)
{
	size_t i;

	strbuf_addstr(out, "# Written by twadvise: do not edit by hand.\n"
			   "# 'twadvise rollback' restores the previous content of this file.\n");
	strbuf_addf(out, "# profile: %s\n# snapshot: %s\n# date: %s\n", profile, snapshot, date);
	for (i = 0; i < n; i++) {
		char value[256];

		twa_sysctl_value_display(v[i].value, value, sizeof(value));
		strbuf_addf(out, "%s = %s\n", v[i].key, value);
	}
	return strbuf_failed(out) ? -ENOMEM : 0;
}
