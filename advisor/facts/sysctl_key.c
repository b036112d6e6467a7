/* SPDX-License-Identifier: MIT */
/* sysctl_key.c - sysctl name grammar, value checks and normalization. */
#include "advisor/facts/sysctl_key.h"

#include <errno.h>
#include <string.h>

int twa_sysctl_key_check(const char *key, struct twa_err *err)
{
	size_t len = strlen(key), i, seg = 0;

	if (!len)
		return twa_err_set(err, -EINVAL, "empty sysctl name");
	if (len > TWA_SYSCTL_KEY_MAX)
		return twa_err_set(err, -EINVAL, "sysctl name too long (%zu bytes)", len);
	if (strncmp(key, "net.", 4))
		return twa_err_set(err, -EINVAL,
				   "sysctl '%.96s' is outside net.: twadvise only manages network sysctls",
				   key);
	for (i = 0; i < len; i++) {
		char c = key[i];

		if (c == '.') {
			if (!seg)
				return twa_err_set(err, -EINVAL,
						   "sysctl '%s' has an empty segment", key);
			seg = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return twa_err_set(err, -EINVAL,
					   "sysctl '%.96s' has a bad character at %zu: names are dot-separated [a-z0-9_-] segments",
					   key, i + 1);
		seg++;
	}
	if (!seg)
		return twa_err_set(err, -EINVAL, "sysctl '%s' ends with a dot", key);
	return 0;
}

bool twa_sysctl_key_valid(const char *key)
{
	return twa_sysctl_key_check(key, NULL) == 0;
}

int twa_sysctl_value_check(const char *value, struct twa_err *err)
{
	size_t i, len = strlen(value);

	if (len > TWA_SYSCTL_VALUE_MAX)
		return twa_err_set(err, -EINVAL, "value too long (%zu bytes)", len);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];

		if (c == '\t')
			continue;
		if (c < 0x20 || c > 0x7e)
			return twa_err_set(err, -EINVAL,
					   "value has a control or non-ASCII character at byte %zu",
					   i + 1);
	}
	return 0;
}

int twa_sysctl_key_to_path(const char *key, char *buf, size_t size)
{
	size_t i, len = strlen(key);

	if (!twa_sysctl_key_valid(key))
		return -EINVAL;
	if (len + 1 > size)
		return -ENAMETOOLONG;
	for (i = 0; i <= len; i++)
		buf[i] = key[i] == '.' ? '/' : key[i];
	return 0;
}

void twa_sysctl_value_normalize(const char *in, char *out, size_t size)
{
	size_t o = 0;
	bool blank = false;

	if (!size)
		return;
	while (*in == ' ' || *in == '\t' || *in == '\n')
		in++;
	for (; *in && o + 1 < size; in++) {
		if (*in == ' ' || *in == '\t' || *in == '\n') {
			blank = true;
			continue;
		}
		if (blank) {
			/* The space and the next byte must both fit: keep a
			 * prefix rather than glue two words together. */
			if (o + 2 >= size)
				break;
			out[o++] = ' ';
		}
		blank = false;
		out[o++] = *in;
	}
	out[o] = '\0';
}

bool twa_sysctl_value_equal(const char *a, const char *b)
{
	char na[4096], nb[4096];

	twa_sysctl_value_normalize(a, na, sizeof(na));
	twa_sysctl_value_normalize(b, nb, sizeof(nb));
	return !strcmp(na, nb);
}

void twa_sysctl_value_display(const char *in, char *out, size_t size)
{
	size_t i;

	if (!size)
		return;
	for (i = 0; in[i] && i + 1 < size; i++)
		out[i] = in[i] == '\t' ? ' ' : in[i];
	out[i] = '\0';
}
