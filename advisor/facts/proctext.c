/* SPDX-License-Identifier: MIT */
/* proctext.c - parsers for /proc/net/{sockstat,netstat,snmp,tcp,tcp6} text. */
#include "advisor/facts/proctext.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/facts/addr.h"
#include "advisor/util/parse.h"
#include "advisor/facts/tcpstate.h"

/* Find the next line in [*p, end); returns false at end. */
static bool next_line(const char **p, const char *end, const char **ret_line,
		      size_t *ret_len)
{
	const char *s = *p, *nl;

	if (s >= end)
		return false;
	nl = memchr(s, '\n', (size_t)(end - s));
	*ret_line = s;
	*ret_len = (size_t)((nl ? nl : end) - s);
	*p = nl ? nl + 1 : end;
	return true;
}

static unsigned col_of(const char *line, const char *at)
{
	return (unsigned)(at - line) + 1;
}

/* The values of the line starting with prefix ("TCP:"), each name
 * followed by suffix in out ("inuse" + "6" for sockstat6). */
static int sockstat_line(const char *text, size_t len, const char *prefix,
			 const char *suffix, const char *file,
			 struct twa_named_vec *out, struct twa_err *err)
{
	const char *p = text, *end = text + len, *line;
	size_t llen, plen = strlen(prefix);
	unsigned lineno = 0;

	while (next_line(&p, end, &line, &llen)) {
		const char *q = line + plen, *lend = line + llen, *name, *val;
		size_t nlen, vlen;

		lineno++;
		if (llen < plen || memcmp(line, prefix, plen))
			continue;
		while (twa_next_field(&q, lend, &name, &nlen)) {
			char key[64];
			int64_t v;

			if (!twa_next_field(&q, lend, &val, &vlen))
				return twa_err_set_at(err, -EBADMSG, file, lineno,
						      col_of(line, name),
						      "'%.*s' has no value",
						      (int)nlen, name);
			if (nlen + strlen(suffix) >= sizeof(key) ||
			    twa_parse_i64(val, vlen, &v) < 0)
				return twa_err_set_at(err, -EBADMSG, file, lineno,
						      col_of(line, val),
						      "bad value '%.*s' for '%.*s'",
						      (int)(vlen > 32 ? 32 : vlen), val,
						      (int)(nlen > 32 ? 32 : nlen), name);
			memcpy(key, name, nlen);
			twa_strlcpy(key + nlen, suffix, sizeof(key) - nlen);
			if (twa_named_set(out, key, v) < 0)
				return twa_err_set(err, -ENOMEM, "out of memory");
		}
		return 0;
	}
	return twa_err_set_at(err, -EBADMSG, file, 0, 0, "no '%s' line", prefix);
}

int twa_sockstat_parse(const char *text, size_t len, const char *file,
		       struct twa_named_vec *out, struct twa_err *err)
{
	return sockstat_line(text, len, "TCP:", "", file, out, err);
}

int twa_sockstat6_parse(const char *text, size_t len, const char *file,
			struct twa_named_vec *out, struct twa_err *err)
{
	return sockstat_line(text, len, "TCP6:", "6", file, out, err);
}

int twa_snmp_parse(const char *text, size_t len, const char *section,
		   const char *file, struct twa_named_vec *out,
		   struct twa_err *err)
{
	const char *p = text, *end = text + len, *hdr, *val;
	size_t slen = strlen(section), hlen, vlen;
	unsigned lineno = 0;
	int count = 0;

	while (next_line(&p, end, &hdr, &hlen)) {
		const char *hq, *vq, *name, *num;
		size_t nlen, numlen;

		lineno++;
		if (hlen <= slen || memcmp(hdr, section, slen) || hdr[slen] != ':')
			continue;
		if (!next_line(&p, end, &val, &vlen) || vlen <= slen ||
		    memcmp(val, section, slen) || val[slen] != ':')
			return twa_err_set_at(err, -EBADMSG, file, lineno + 1, 1,
					      "'%s:' header without a value line",
					      section);
		lineno++;
		hq = hdr + slen + 1;
		vq = val + slen + 1;
		while (twa_next_field(&hq, hdr + hlen, &name, &nlen)) {
			char key[64];
			int64_t v;

			if (!twa_next_field(&vq, val + vlen, &num, &numlen))
				return twa_err_set_at(err, -EBADMSG, file, lineno,
						      (unsigned)vlen + 1,
						      "fewer values than names in '%s:' (no value for '%.*s')",
						      section, (int)(nlen > 48 ? 48 : nlen), name);
			if (nlen >= sizeof(key))
				return twa_err_set_at(err, -EBADMSG, file, lineno - 1,
						      col_of(hdr, name),
						      "counter name too long");
			if (twa_parse_i64(num, numlen, &v) < 0)
				return twa_err_set_at(err, -EBADMSG, file, lineno,
						      col_of(val, num),
						      "bad value '%.*s' for %s %.*s",
						      (int)(numlen > 32 ? 32 : numlen), num,
						      section, (int)nlen, name);
			memcpy(key, name, nlen);
			key[nlen] = '\0';
			if (twa_named_set(out, key, v) < 0)
				return twa_err_set(err, -ENOMEM, "out of memory");
			count++;
		}
		if (twa_next_field(&vq, val + vlen, &num, &numlen))
			return twa_err_set_at(err, -EBADMSG, file, lineno,
					      col_of(val, num),
					      "more values than names in '%s:'",
					      section);
		return count;
	}
	return 0;
}

/* "0100007F:4E20" (v4) or 32 hex digits ":" port (v6). */
static int parse_hexaddr(const char *s, size_t len, int family,
			 uint8_t *addr, uint16_t *port)
{
	size_t alen = family == TWA_AF_INET ? 8 : 32, i;
	uint64_t v;

	if (len != alen + 5 || s[alen] != ':')
		return -EINVAL;
	memset(addr, 0, 16);
	for (i = 0; i < alen / 8; i++) {
		uint32_t w;

		if (twa_parse_hex_u64(s + 8 * i, 8, &v) < 0)
			return -EINVAL;
		/* The kernel printed the 32-bit word as a host integer. */
		w = (uint32_t)v;
		memcpy(addr + 4 * i, &w, 4);
	}
	if (twa_parse_hex_u64(s + alen + 1, 4, &v) < 0)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int twa_proctcp_parse_line(const char *line, size_t len, int family,
			   const char *file, unsigned lineno,
			   struct twa_sock *ret, struct twa_err *err)
{
	const char *p = line, *end = line + len, *f[10];
	size_t fl[10];
	struct twa_sock s;
	uint64_t v, v2;
	const char *colon;
	int i;

	for (i = 0; i < 10; i++)
		if (!twa_next_field(&p, end, &f[i], &fl[i]))
			break;
	if (i > 0 && twa_token_eq(f[0], fl[0], "sl"))
		return 1;
	if (i < 10)
		return twa_err_set_at(err, -EBADMSG, file, lineno,
				      (unsigned)len + 1,
				      "truncated line: %d of 10 fields", i);
	memset(&s, 0, sizeof(s));
	s.family = (uint8_t)family;
	if (fl[0] < 2 || f[0][fl[0] - 1] != ':' ||
	    twa_parse_u64(f[0], fl[0] - 1, &v) < 0)
		goto bad0;
	if (parse_hexaddr(f[1], fl[1], family, s.src, &s.sport) < 0)
		goto bad1;
	if (parse_hexaddr(f[2], fl[2], family, s.dst, &s.dport) < 0)
		goto bad2;
	if (twa_parse_hex_u64(f[3], fl[3], &v) < 0 || !v ||
	    v >= TWA_TCP_STATE_MAX)
		goto bad3;
	s.state = (uint8_t)v;
	colon = memchr(f[4], ':', fl[4]);
	if (!colon ||
	    twa_parse_hex_u64(f[4], (size_t)(colon - f[4]), &v) < 0 ||
	    twa_parse_hex_u64(colon + 1, fl[4] - (size_t)(colon + 1 - f[4]),
			      &v2) < 0 || v > UINT32_MAX || v2 > UINT32_MAX)
		goto bad4;
	s.wqueue = (uint32_t)v;	/* tx_queue */
	s.rqueue = (uint32_t)v2;	/* rx_queue; accept queue for LISTEN */
	colon = memchr(f[5], ':', fl[5]);
	if (!colon ||
	    twa_parse_hex_u64(f[5], (size_t)(colon - f[5]), &v) < 0 ||
	    twa_parse_hex_u64(colon + 1, fl[5] - (size_t)(colon + 1 - f[5]),
			      &v2) < 0 || v > 255)
		goto bad5;
	s.timer = (uint8_t)v;
	/* tm->when is in USER_HZ (100/s) clock ticks. */
	s.expires_ms = v2 > UINT32_MAX / 10 ? UINT32_MAX : (uint32_t)(v2 * 10);
	if (twa_parse_u64(f[9], fl[9], &v) < 0 || v > UINT32_MAX)
		return twa_err_set_at(err, -EBADMSG, file, lineno,
				      col_of(line, f[9]), "bad inode '%.*s'",
				      (int)(fl[9] > 24 ? 24 : fl[9]), f[9]);
	s.inode = (uint32_t)v;
	*ret = s;
	return 0;

#define BAD(n, what) \
	bad##n: return twa_err_set_at(err, -EBADMSG, file, lineno, \
				      col_of(line, f[n]), "bad %s '%.*s'", what, \
				      (int)(fl[n] > 40 ? 40 : fl[n]), f[n])
	BAD(0, "slot");
	BAD(1, "local address");
	BAD(2, "remote address");
	BAD(3, "state");
	BAD(4, "queue");
	BAD(5, "timer");
#undef BAD
}

static int parse_port(const char *s, size_t len, unsigned *ret)
{
	uint64_t v;

	if (twa_parse_u64(s, len, &v) < 0 || v > 65535)
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

int twa_port_range_parse(const char *text, unsigned *ret_low,
			 unsigned *ret_high, struct twa_err *err)
{
	const char *p = text, *end = text + strlen(text), *a, *b, *c;
	size_t al, bl, cl;
	unsigned lo, hi;

	if (!twa_next_field(&p, end, &a, &al) ||
	    !twa_next_field(&p, end, &b, &bl) ||
	    twa_next_field(&p, end, &c, &cl) ||
	    parse_port(a, al, &lo) < 0 || parse_port(b, bl, &hi) < 0 ||
	    lo < 1 || lo > hi)
		return twa_err_set(err, -EBADMSG,
				   "bad port range '%.40s': want two ports LOW HIGH with 1 <= LOW <= HIGH <= 65535",
				   text);
	*ret_low = lo;
	*ret_high = hi;
	return 0;
}

int twa_reserved_ports_parse(const char *text, struct twa_portrange **ret,
			     size_t *ret_n, struct twa_err *err)
{
	struct twa_portrange *v = NULL;
	size_t n = 0, alloc = 0;
	const char *p = text;

	while (*p == ' ' || *p == '\t')
		p++;
	while (*p) {
		const char *comma = strchr(p, ','), *dash;
		const char *item_end = comma ? comma : p + strlen(p);
		unsigned lo, hi;

		while (item_end > p && (item_end[-1] == ' ' || item_end[-1] == '\t'))
			item_end--;
		dash = memchr(p, '-', (size_t)(item_end - p));
		if (dash) {
			if (parse_port(p, (size_t)(dash - p), &lo) < 0 ||
			    parse_port(dash + 1, (size_t)(item_end - dash - 1), &hi) < 0 ||
			    lo > hi)
				goto bad;
		} else {
			if (parse_port(p, (size_t)(item_end - p), &lo) < 0)
				goto bad;
			hi = lo;
		}
		if (n == alloc) {
			size_t na = alloc ? alloc * 2 : 8;
			struct twa_portrange *nv = realloc(v, na * sizeof(*v));

			if (!nv) {
				free(v);
				return twa_err_set(err, -ENOMEM, "out of memory");
			}
			v = nv;
			alloc = na;
		}
		v[n].lo = lo;
		v[n++].hi = hi;
		if (!comma)
			break;
		p = comma + 1;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			goto bad;
	}
	*ret = v;
	*ret_n = n;
	return 0;
bad:
	free(v);
	return twa_err_set(err, -EBADMSG,
			   "bad reserved port list '%.60s': want PORT or LOW-HIGH items separated by commas",
			   text);
}

/* Set bits lo..hi (lo <= hi <= 65535) of a 65536-bit map, a word at a
 * time. */
static void set_bits(uint64_t *map, unsigned lo, unsigned hi)
{
	unsigned a = lo / 64, b = hi / 64;
	uint64_t first = ~(uint64_t)0 << (lo % 64);
	uint64_t last = ~(uint64_t)0 >> (63 - hi % 64);

	if (a == b) {
		map[a] |= first & last;
		return;
	}
	map[a] |= first;
	while (++a < b)
		map[a] = ~(uint64_t)0;
	map[b] |= last;
}

unsigned twa_usable_ports(unsigned low, unsigned high,
			  const struct twa_portrange *reserved, size_t n)
{
	unsigned usable = high >= low ? high - low + 1 : 0;
	uint64_t map[65536 / 64] = { 0 };
	size_t i;

	/* Reserved ranges may overlap: count each reserved port once. A
	 * bitmap filled a word at a time, not a port at a time: a facts file
	 * can hold a million "1-65535" items. */
	for (i = 0; i < n; i++) {
		unsigned lo = reserved[i].lo > low ? reserved[i].lo : low;
		unsigned hi = reserved[i].hi < high ? reserved[i].hi : high;

		if (hi > 65535)
			hi = 65535;
		if (lo <= hi)
			set_bits(map, lo, hi);
	}
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		usable -= (unsigned)__builtin_popcountll(map[i]);
	return usable;
}
