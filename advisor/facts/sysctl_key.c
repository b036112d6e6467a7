/* SPDX-License-Identifier: MIT */
/* sysctl_key.c - sysctl name grammar, value checks and normalization. */
#include "advisor/facts/sysctl_key.h"

#include <errno.h>
#include <string.h>

/* The top-level directories of /proc/sys: a key starts with one of them
 * and a dot. */
static const char *const tops[] = { "abi.", "crypto.", "debug.", "dev.", "fs.",
				    "kernel.", "net.", "sunrpc.", "user.", "vm.", NULL };

static bool top_known(const char *key)
{
	size_t i;

	for (i = 0; tops[i]; i++)
		if (!strncmp(key, tops[i], strlen(tops[i])))
			return true;
	return false;
}

/* Keys whose value is a program (or a pipe to one) the kernel starts as
 * root: a profile, plan or snapshot that names them is refused. */
static const char *const program_keys[] = { "kernel.core_pattern", "kernel.modprobe",
					    "kernel.hotplug", "kernel.poweroff_cmd", NULL };

static bool runs_program(const char *key)
{
	size_t i;

	for (i = 0; program_keys[i]; i++)
		if (!strcmp(key, program_keys[i]))
			return true;
	return false;
}

bool twa_sysctl_key_host_wide(const char *key)
{
	return strncmp(key, "net.", 4) != 0;
}

int twa_sysctl_key_check(const char *key, struct twa_err *err)
{
	size_t len = strlen(key), i, seg = 0;

	if (!len)
		return twa_err_set(err, -EINVAL, "empty sysctl name");
	if (len > TWA_SYSCTL_KEY_MAX)
		return twa_err_set(err, -EINVAL, "sysctl name too long (%zu bytes)", len);
	if (!top_known(key))
		return twa_err_set(err, -EINVAL,
				   "sysctl '%.96s' is not under a /proc/sys tree (abi, crypto, debug, dev, fs, kernel, net, sunrpc, user, vm)",
				   key);
	if (runs_program(key))
		return twa_err_set(err, -EINVAL,
				   "sysctl '%.96s' names a program the kernel runs as root: twadvise never sets it",
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

int twa_text_line_check(const char *value, size_t max, struct twa_err *err)
{
	size_t i, len = strlen(value);

	if (len > max)
		return twa_err_set(err, -EINVAL, "value too long (%zu bytes, at most %zu)",
				   len, max);
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

int twa_sysctl_value_check(const char *value, struct twa_err *err)
{
	return twa_text_line_check(value, TWA_SYSCTL_VALUE_MAX, err);
}

int twa_sysctl_value_copy(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size) {
		if (size)
			dst[0] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
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

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The next word of a value: *p moves past it and the blanks before it. */
static size_t next_word(const char **p, const char **word)
{
	size_t n = 0;

	while (is_blank(**p))
		(*p)++;
	*word = *p;
	while ((*p)[n] && !is_blank((*p)[n]))
		n++;
	*p += n;
	return n;
}

/* Word by word, so values of any length compare whole (no buffer). */
bool twa_sysctl_value_equal(const char *a, const char *b)
{
	for (;;) {
		const char *wa, *wb;
		size_t na = next_word(&a, &wa), nb = next_word(&b, &wb);

		if (na != nb || memcmp(wa, wb, na))
			return false;
		if (!na)
			return true;
	}
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
