/* SPDX-License-Identifier: MIT */
/* addr.h - socket addresses as the inspector sees them, and their text form. */
#ifndef TWA_ADDR_H
#define TWA_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Address family numbers as the kernel uses them (AF_INET, AF_INET6), so
 * that pure modules need not include <sys/socket.h>. */
#define TWA_AF_INET 2
#define TWA_AF_INET6 10

#define TWA_ADDRSTRLEN 46	/* INET6_ADDRSTRLEN */

/* Format a network-order address like inet_ntop(3) does (RFC 5952 with
 * glibc's choices: longest zero run of two or more groups compressed,
 * ::ffff:a.b.c.d for v4-mapped). Returns -EAFNOSUPPORT for other families. */
int twa_addr_format(int family, const uint8_t *addr, char *buf, size_t size);

/* ::ffff:a.b.c.d: an IPv6 socket on it runs the IPv4 code (tcp_v6_connect()
 * hands a v4-mapped destination to tcp_v4_connect(), net/ipv6/tcp_ipv6.c),
 * so its 4-tuple lives in the IPv4 port space. */
bool twa_addr_is_v4mapped(const uint8_t *addr);

/* "addr:port" for people: "[addr]:port" when addr (text) is IPv6, so the
 * port cannot be read as part of the address. Returns buf. */
const char *twa_addr_port(const char *addr, unsigned port, char *buf, size_t size);
#define TWA_ADDRPORTSTRLEN (TWA_ADDRSTRLEN + 8)
/* twa_addr_port() into a buffer of its own (a compound literal, alive to
 * the end of the enclosing block): for one argument of a printf call. */
#define TWA_ADDR_PORT(addr, port) \
	twa_addr_port((addr), (port), (char[TWA_ADDRPORTSTRLEN]){ 0 }, TWA_ADDRPORTSTRLEN)

/* The kernel's loopback test of tcp_twsk_unique() (net/ipv4/tcp_ipv4.c) for
 * one address: 127.0.0.0/8, ::1, or v4-mapped 127.0.0.0/8. */
bool twa_addr_is_loopback(int family, const uint8_t *addr);
/* The same for an address as twa_addr_format() writes it. */
bool twa_addr_text_is_loopback(const char *text);

#endif
