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
	const char *file;
	struct twa_err *err;
};

static int collect_setting(const char *key, const char *value, unsigned line,
			   void *ctx)
{
	struct collect *c = ctx;
	size_t i;

	/* Kept whole or refused: a cut key would merge two settings. */
	if (strlen(key) > TWA_SYSCTL_KEY_MAX || strlen(value) > TWA_SYSCTL_VALUE_MAX)
		return twa_err_set_at(c->err, -EBADMSG, c->file, line, 1,
				      "key or value too long (at most %d and %d bytes)",
				      TWA_SYSCTL_KEY_MAX, TWA_SYSCTL_VALUE_MAX);
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
	twa_sysctl_value_copy(c->v[i].value, sizeof(c->v[i].value), value);	/* fits */
	return 0;
}

int twa_sysctl_conf_settings(const char *text, size_t len, const char *file,
			     struct twa_conf_setting **ret, size_t *ret_n,
			     struct twa_err *err)
{
	struct collect c = { NULL, 0, file, err };
	int r = twa_sysctl_conf_parse(text, len, file, collect_setting, &c, err);

	if (r < 0) {
		free(c.v);
		return r == -ENOMEM ? twa_err_set(err, r, "out of memory") : r;
	}
	*ret = c.v;
	*ret_n = c.n;
	return 0;
}

/* A header field: text from a plan or snapshot never starts a line of its
 * own (a newline or any control character comes out as \xNN). */
static void header_field(struct strbuf *out, const char *label, const char *text)
{
	size_t i;

	strbuf_addf(out, "# %s: ", label);
	for (i = 0; text[i] && i < 256; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c >= 0x20 && c < 0x7f)
			strbuf_addch(out, (char)c);
		else
			strbuf_addf(out, "\\x%02x", c);
	}
	strbuf_addch(out, '\n');
}

static bool is_named(const char *key, const char *const *named, size_t n_named)
{
	size_t i;

	for (i = 0; i < n_named; i++)
		if (!strcmp(named[i], key))
			return true;
	return false;
}

/* One setting the persisted file may hold: a key of the grammar that the
 * plan or snapshot names, a value of the grammar. */
static int setting_check(const struct twa_conf_setting *v, const char *const *named,
			 size_t n_named, struct twa_err *err)
{
	if (twa_sysctl_key_check(v->key, err) < 0 || twa_sysctl_value_check(v->value, err) < 0) {
		twa_err_prefix(err, "refusing to write %.96s to the persisted file", v->key);
		return twa_err_recode(err, -EINVAL);
	}
	if (!is_named(v->key, named, n_named))
		return twa_err_set(err, -EINVAL,
				   "refusing to write %s to the persisted file: neither the plan nor the snapshot names it",
				   v->key);
	return 0;
}

int twa_persist_render(const char *profile, const char *snapshot,
		       const char *date, const struct twa_conf_setting *v,
		       size_t n, const char *const *named, size_t n_named,
		       struct strbuf *out, struct twa_err *err)
{
	size_t i;
	int r;

	strbuf_addstr(out, "# Written by twadvise: do not edit by hand.\n"
			   "# 'twadvise rollback' restores the previous content of this file.\n");
	header_field(out, "profile", profile);
	header_field(out, "snapshot", snapshot);
	header_field(out, "date", date);
	for (i = 0; i < n; i++) {
		char value[TWA_SYSCTL_VALUE_SIZE];

		r = setting_check(&v[i], named, n_named, err);
		if (r < 0)
			return r;
		twa_sysctl_value_display(v[i].value, value, sizeof(value));
		strbuf_addf(out, "%s = %s\n", v[i].key, value);
	}
	return strbuf_failed(out) ? twa_err_set(err, -ENOMEM, "out of memory") : 0;
}

struct content_ctx {
	const char *file;
	struct twa_err *err;
};

static int content_setting(const char *key, const char *value, unsigned line, void *ctx)
{
	const struct content_ctx *c = ctx;
	struct twa_err e = { 0 };

	if (twa_sysctl_key_check(key, &e) < 0 || twa_sysctl_value_check(value, &e) < 0)
		return twa_err_set_at(c->err, -EBADMSG, c->file, line, 1, "%s", e.msg);
	return 0;
}

int twa_persist_content_check(const char *text, size_t len, const char *file,
			      struct twa_err *err)
{
	struct content_ctx c = { file, err };
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch != '\n' && ch != '\t' && (ch < 0x20 || ch > 0x7e))
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "persisted file content has a control or non-ASCII byte at %zu: refusing it",
					      i + 1);
	}
	return twa_sysctl_conf_parse(text, len, file, content_setting, &c, err) < 0 ? -EBADMSG : 0;
}
