/* SPDX-License-Identifier: MIT */
/* strbuf.h - a growable, always NUL-terminated byte buffer (after git's). */
#ifndef TWA_STRBUF_H
#define TWA_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * The contract, as in git:
 *
 * - `buf` is never NULL. STRBUF_INIT and strbuf_init() point it at
 *   strbuf_slopbuf, a shared static "" that must never be written or freed;
 *   so does strbuf_release(), strbuf_detach() and a failed strbuf_grow() on
 *   an empty buffer. `alloc == 0` means "buf is the slop buffer". Callers
 *   may print `sb.buf` without checks. (A zeroed struct, e.g. inside a
 *   calloc'd object, is tolerated by every function here.)
 * - Failure is sticky. When growing fails, `failed` is set, the content is
 *   left as it was (a prefix of what the caller meant to write) and every
 *   later add is a no-op returning -ENOMEM. A writer therefore adds without
 *   checking each call and asks strbuf_failed() once at the end, returning
 *   -ENOMEM rather than truncated output. Only strbuf_release() and
 *   strbuf_detach() clear the flag; strbuf_reset() keeps it, so a writer
 *   that empties its buffer midway still learns at the end that something
 *   it meant to write was lost.
 * - The adders still return 0 or a negative errno, for callers that stop
 *   early.
 */
struct strbuf {
	char *buf;	/* never NULL: strbuf_slopbuf ("") until the first add */
	size_t len;
	size_t alloc;	/* 0 while buf is strbuf_slopbuf */
	bool failed;	/* an add could not be completed; see strbuf_failed() */
};

extern char strbuf_slopbuf[1];
#define STRBUF_INIT { .buf = strbuf_slopbuf }

void strbuf_init(struct strbuf *sb, size_t hint);
/* Free the memory; sb is left as STRBUF_INIT (buf "", not failed). */
void strbuf_release(struct strbuf *sb);
/* Make room for extra more bytes; returns -ENOMEM (and marks sb failed) on
 * failure, or when sb has already failed. */
int strbuf_grow(struct strbuf *sb, size_t extra);
int strbuf_add(struct strbuf *sb, const void *data, size_t len);
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addch(struct strbuf *sb, char c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A format error (vsnprintf < 0) returns -EINVAL and marks sb failed too:
 * the text is incomplete either way. */
int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Append n copies of c. */
int strbuf_addchars(struct strbuf *sb, char c, size_t n);
/* Empty sb, keeping its memory and its failure flag. */
void strbuf_reset(struct strbuf *sb);
/* True once an add has failed: the content is incomplete. */
bool strbuf_failed(const struct strbuf *sb);
/* Give the text to the caller, who frees it; sb is left as STRBUF_INIT.
 * The result is always malloc'd, "" for an empty buffer, never the slop
 * buffer. NULL when sb had failed (its partial text is freed, never handed
 * on) or when memory for "" cannot be had. */
char *strbuf_detach(struct strbuf *sb, size_t *ret_len);
/* sb->buf, or "" for a zeroed struct. */
const char *strbuf_str(const struct strbuf *sb);

#endif
