/* sysctl_conf.c - parsing sysctl.d files. */
#include "sysctl_conf.h"

#include <errno.h>
#include <string.h>

#include "parse.h"

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

int twa_sysctl_conf_parse(const char *text, size_t len, const char *file,
			  twa_sysctl_conf_cb cb, void *ctx, struct twa_err *err)
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
		if (!eq)
			return twa_err_set_at(err, -EBADMSG, file, lineno, 1,
					      "expected 'key = value'");
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
