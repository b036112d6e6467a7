/* SPDX-License-Identifier: MIT */
/* parse.h - strict number and token parsing shared by every text parser. */
#ifndef TWA_PARSE_H
#define TWA_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decimal, no sign, no spaces, the whole of [s, s+len). -EINVAL on junk,
 * -ERANGE on overflow. ret is written only on success. */
int twa_parse_u64(const char *s, size_t len, uint64_t *ret);
/* As above, optional leading '-'. */
int twa_parse_i64(const char *s, size_t len, int64_t *ret);
/* Hexadecimal digits only (no 0x), at most 16 of them. */
int twa_parse_hex_u64(const char *s, size_t len, uint64_t *ret);
/* Whole NUL-terminated string; convenience for argv and YAML scalars. */
int twa_parse_u64_str(const char *s, uint64_t *ret);
/* A decimal number with optional fraction ("0.8", "80"); no exponent. */
int twa_parse_double_str(const char *s, double *ret);

/* Field splitting on blanks (space, tab). *p advances; returns false at end. */
bool twa_next_field(const char **p, const char *end,
		    const char **ret_start, size_t *ret_len);

/* True when [s, s+len) equals the NUL-terminated word. */
bool twa_token_eq(const char *s, size_t len, const char *word);

/* Trim trailing whitespace (newlines from /proc/sys reads) in place. */
void twa_rstrip(char *s);

/* Copy a NUL-terminated string into a fixed buffer, truncating; returns
 * the source length, like strlcpy. */
size_t twa_strlcpy(char *dst, const char *src, size_t size);

/* Levenshtein distance (capped at 255), for "did you mean" hints. */
unsigned twa_edit_distance(const char *a, const char *b);

/* The candidate closest to word, at most max_edits away, or NULL.
 * name_at(i) gives the candidates in turn and NULL after the last. */
const char *twa_closest(const char *word, unsigned max_edits,
			const char *(*name_at)(size_t i));

#endif
