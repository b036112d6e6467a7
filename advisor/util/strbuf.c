/* SPDX-License-Identifier: MIT */
/* strbuf.c - growable string buffer with a sticky failure flag (see strbuf.h). */
#include "advisor/util/strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shared by every empty buffer; stays "" because nothing writes to a
 * buffer whose alloc is 0. */
char strbuf_slopbuf[1];

void strbuf_init(struct strbuf *sb, size_t hint)
{
	sb->buf = strbuf_slopbuf;
	sb->len = 0;
	sb->alloc = 0;
	sb->failed = false;
	if (hint)
		strbuf_grow(sb, hint);
}

void strbuf_release(struct strbuf *sb)
{
	if (!sb)
		return;
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, 0);
}

static int fail(struct strbuf *sb, int r)
{
	sb->failed = true;
	return r;
}

int strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want, n;
	char *p;

	if (!sb->buf)
		strbuf_init(sb, 0);
	if (sb->failed)
		return -ENOMEM;
	/* Refused without asking the allocator: half the address space. */
	if (extra >= (size_t)-1 / 2 - sb->len)
		return fail(sb, -ENOMEM);
	want = sb->len + extra + 1;
	if (want <= sb->alloc)
		return 0;
	n = sb->alloc ? sb->alloc : 64;
	while (n < want)
		n *= 2;
	p = sb->alloc ? realloc(sb->buf, n) : malloc(n);
	if (!p)
		return fail(sb, -ENOMEM);
	if (!sb->alloc)
		p[0] = '\0';
	sb->buf = p;
	sb->alloc = n;
	return 0;
}

int strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	int r = strbuf_grow(sb, len);

	if (r < 0)
		return r;
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return 0;
}

int strbuf_addstr(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int strbuf_addch(struct strbuf *sb, char c)
{
	return strbuf_add(sb, &c, 1);
}

int strbuf_addchars(struct strbuf *sb, char c, size_t n)
{
	int r = strbuf_grow(sb, n);

	if (r < 0)
		return r;
	memset(sb->buf + sb->len, c, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n, r;

	if (sb->failed)
		return -ENOMEM;
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return fail(sb, -EINVAL);
	r = strbuf_grow(sb, (size_t)n);
	if (r < 0)
		return r;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return r;
}

void strbuf_reset(struct strbuf *sb)
{
	if (!sb->buf)
		strbuf_init(sb, 0);
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

bool strbuf_failed(const struct strbuf *sb)
{
	return sb->failed;
}

char *strbuf_detach(struct strbuf *sb, size_t *ret_len)
{
	char *p = NULL;
	size_t len = 0;

	if (!sb->failed && (sb->alloc || strbuf_grow(sb, 0) == 0)) {
		p = sb->buf;
		len = sb->len;
	} else if (sb->alloc) {
		free(sb->buf);
	}
	if (ret_len)
		*ret_len = len;
	strbuf_init(sb, 0);
	return p;
}

const char *strbuf_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}
