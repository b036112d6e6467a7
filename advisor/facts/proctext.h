/* SPDX-License-Identifier: MIT */
/* proctext.h - parsers for the text files of /proc/net and /proc/sys (pure). */
#ifndef TWA_PROCTEXT_H
#define TWA_PROCTEXT_H

#include <stddef.h>

#include "advisor/util/err.h"
#include "advisor/facts/facts.h"
#include "advisor/facts/sock.h"

/* /proc/net/sockstat: the values of the "TCP:" line into out.
 * file names the source in errors. */
int twa_sockstat_parse(const char *text, size_t len, const char *file,
		       struct twa_named_vec *out, struct twa_err *err);

/* /proc/net/sockstat6: its "TCP6:" line, names suffixed with 6 ("inuse6"):
 * sockstat's inuse counts IPv4 sockets only. */
int twa_sockstat6_parse(const char *text, size_t len, const char *file,
			struct twa_named_vec *out, struct twa_err *err);

/* /proc/net/netstat and /proc/net/snmp: header/value line pairs. Every
 * value of the named section ("TcpExt", "Tcp") goes into out. Returns the
 * number of values, 0 when the section is absent. */
int twa_snmp_parse(const char *text, size_t len, const char *section,
		   const char *file, struct twa_named_vec *out,
		   struct twa_err *err);

/* One line of /proc/net/tcp or tcp6 (family says which). Returns 0 and
 * fills ret, 1 for the header line, -EBADMSG with err for a bad line.
 * Addresses are hex words in host byte order, as the kernel prints them. */
int twa_proctcp_parse_line(const char *line, size_t len, int family,
			   const char *file, unsigned lineno,
			   struct twa_sock *ret, struct twa_err *err);

/* net.ipv4.ip_local_port_range: "32768\t60999". */
int twa_port_range_parse(const char *text, unsigned *ret_low,
			 unsigned *ret_high, struct twa_err *err);

/* net.ipv4.ip_local_reserved_ports: "" or "8080,9000-9010". On success
 * *ret is a malloc'd array (NULL when empty). */
int twa_reserved_ports_parse(const char *text, struct twa_portrange **ret,
			     size_t *ret_n, struct twa_err *err);

/* Ports of [low, high] outside the reserved ranges. */
unsigned twa_usable_ports(unsigned low, unsigned high,
			  const struct twa_portrange *reserved, size_t n);

#endif
