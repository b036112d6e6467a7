/* strbuf.h - a growable, always NUL-terminated byte buffer (after git's). */
#ifndef TWA_STRBUF_H
#define TWA_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;	/* never NULL after strbuf_init: "" when empty */
	size_t len;
	size_t alloc;
};

#define STRBUF_INIT { 0 }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Make room for extra more bytes; returns -ENOMEM on failure. */
int strbuf_grow(struct strbuf *sb, size_t extra);
int strbuf_add(struct strbuf *sb, const void *data, size_t len);
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addch(struct strbuf *sb, char c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Append n copies of c. */
int strbuf_addchars(struct strbuf *sb, char c, size_t n);
void strbuf_reset(struct strbuf *sb);
/* Give the buffer to the caller (who frees it); sb is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *ret_len);
const char *strbuf_str(const struct strbuf *sb);

#endif
