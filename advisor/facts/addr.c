/* SPDX-License-Identifier: MIT */
/* addr.c - address formatting without the socket headers. */
#include "advisor/facts/addr.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int format_v4(const uint8_t *a, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);

	return n < 0 || (size_t)n >= size ? -ENOSPC : 0;
}

static int format_v6(const uint8_t *a, char *buf, size_t size)
{
	unsigned words[8];
	int best = -1, best_len = 0, cur = -1, cur_len = 0, i;
	char tmp[TWA_ADDRSTRLEN], *p = tmp;

	for (i = 0; i < 8; i++)
		words[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (i = 0; i < 8; i++) {
		if (words[i] == 0) {
			if (cur < 0) {
				cur = i;
				cur_len = 0;
			}
			cur_len++;
			if (cur_len > best_len) {
				best = cur;
				best_len = cur_len;
			}
		} else {
			cur = -1;
		}
	}
	if (best_len < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				*p++ = ':';
			continue;
		}
		if (i)
			*p++ = ':';
		/* Embedded IPv4: ::a.b.c.d and ::ffff:a.b.c.d, as glibc prints. */
		if (i == 6 && best == 0 &&
		    (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
			if (format_v4(a + 12, p, sizeof(tmp) - (size_t)(p - tmp)))
				return -ENOSPC;
			p += strlen(p);
			break;
		}
		p += snprintf(p, sizeof(tmp) - (size_t)(p - tmp), "%x", words[i]);
	}
	if (best >= 0 && best + best_len == 8)
		*p++ = ':';
	*p = '\0';
	if ((size_t)(p - tmp) >= size)
		return -ENOSPC;
	memcpy(buf, tmp, (size_t)(p - tmp) + 1);
	return 0;
}

int twa_addr_format(int family, const uint8_t *addr, char *buf, size_t size)
{
	if (family == TWA_AF_INET)
		return format_v4(addr, buf, size);
	if (family == TWA_AF_INET6)
		return format_v6(addr, buf, size);
	return -EAFNOSUPPORT;
}

bool twa_addr_is_v4mapped(const uint8_t *addr)
{
	static const uint8_t prefix[12] = { [10] = 0xff, [11] = 0xff };

	return !memcmp(addr, prefix, sizeof(prefix));
}

const char *twa_addr_port(const char *addr, unsigned port, char *buf, size_t size)
{
	snprintf(buf, size, strchr(addr, ':') ? "[%s]:%u" : "%s:%u", addr, port);
	return buf;
}

bool twa_addr_is_loopback(int family, const uint8_t *addr)
{
	static const uint8_t v6_loopback[16] = { [15] = 1 };
	static const uint8_t v4_mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (family == TWA_AF_INET)
		return addr[0] == 127;
	if (family != TWA_AF_INET6)
		return false;
	if (!memcmp(addr, v6_loopback, sizeof(v6_loopback)))
		return true;
	return !memcmp(addr, v4_mapped, sizeof(v4_mapped)) && addr[12] == 127;
}

bool twa_addr_text_is_loopback(const char *text)
{
	if (!strncmp(text, "127.", 4) || !strncmp(text, "::ffff:127.", 11))
		return true;
	return !strcmp(text, "::1");
}
