/* SPDX-License-Identifier: MIT */
/* parse.c - strict number and token parsing. */
#include "advisor/util/parse.h"

#include <errno.h>
#include <string.h>

int twa_parse_u64(const char *s, size_t len, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i;

	/* No early length limit: the overflow check below catches big
	 * numbers, and junk of any length is -EINVAL. */
	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*ret = v;
	return 0;
}

int twa_parse_i64(const char *s, size_t len, int64_t *ret)
{
	bool neg = len && s[0] == '-';
	uint64_t v;
	int r;

	r = twa_parse_u64(s + neg, len - neg, &v);
	if (r < 0)
		return r;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*ret = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > INT64_MAX)
			return -ERANGE;
		*ret = (int64_t)v;
	}
	return 0;
}

int twa_parse_hex_u64(const char *s, size_t len, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	if (len > 16)
		return -ERANGE;
	for (i = 0; i < len; i++) {
		unsigned d;
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*ret = v;
	return 0;
}

int twa_parse_u64_str(const char *s, uint64_t *ret)
{
	return twa_parse_u64(s, strlen(s), ret);
}

int twa_parse_double_str(const char *s, double *ret)
{
	const char *dot = strchr(s, '.');
	uint64_t ip = 0, fp = 0;
	size_t flen = 0;
	double v, scale = 1;
	int r;

	if (!dot)
		dot = s + strlen(s);
	if (dot == s && !*dot)
		return -EINVAL;
	if (dot > s) {
		r = twa_parse_u64(s, (size_t)(dot - s), &ip);
		if (r < 0)
			return r;
	}
	if (*dot) {
		flen = strlen(dot + 1);
		if (!flen && dot == s)
			return -EINVAL;
		if (flen > 15)
			return -ERANGE;
		if (flen) {
			r = twa_parse_u64(dot + 1, flen, &fp);
			if (r < 0)
				return r;
		}
	}
	while (flen--)
		scale *= 10;
	v = (double)ip + (double)fp / scale;
	*ret = v;
	return 0;
}

bool twa_next_field(const char **p, const char *end,
		    const char **ret_start, size_t *ret_len)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s >= end)
		return false;
	*ret_start = s;
	while (s < end && *s != ' ' && *s != '\t')
		s++;
	*ret_len = (size_t)(s - *ret_start);
	*p = s;
	return true;
}

bool twa_token_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

void twa_rstrip(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t' ||
		     s[n - 1] == '\r'))
		s[--n] = '\0';
}

size_t twa_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

unsigned twa_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned d[64];

	if (la > 62 || lb > 62)
		return 255;
	for (j = 0; j <= lb; j++)
		d[j] = (unsigned)j;
	for (i = 1; i <= la; i++) {
		unsigned prev = d[0];

		d[0] = (unsigned)i;
		for (j = 1; j <= lb; j++) {
			unsigned cur = d[j];
			unsigned best = prev + (a[i - 1] != b[j - 1]);

			if (d[j] + 1 < best)
				best = d[j] + 1;
			if (d[j - 1] + 1 < best)
				best = d[j - 1] + 1;
			d[j] = best;
			prev = cur;
		}
	}
	return d[lb] > 255 ? 255 : d[lb];
}

const char *twa_closest(const char *word, unsigned max_edits,
			const char *(*name_at)(size_t i))
{
	const char *best = NULL, *s;
	unsigned best_d = max_edits + 1;
	size_t i;

	for (i = 0; (s = name_at(i)); i++) {
		unsigned d = twa_edit_distance(word, s);

		if (d < best_d) {
			best_d = d;
			best = s;
		}
	}
	return best;
}
