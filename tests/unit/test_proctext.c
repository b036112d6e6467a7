/* SPDX-License-Identifier: MIT */
/* test_proctext.c - unit tests for advisor/proctext.h: sockstat, netstat/snmp, /proc/net/tcp{,6} lines, port ranges. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/facts/addr.h"
#include "advisor/facts/facts.h"
#include "advisor/facts/proctext.h"
#include "advisor/facts/tcpstate.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Fail unless err says exactly this file, line, col and contains msg. */
static void check_err(const char *what, int r, const struct twa_err *err,
		      const char *file, unsigned line, unsigned col,
		      const char *msg)
{
	if (r != -EBADMSG)
		fail_msg("%s: returned %d, want -EBADMSG", what, r);
	if (err->code != -EBADMSG)
		fail_msg("%s: err.code %d", what, err->code);
	if (strcmp(err->file, file))
		fail_msg("%s: err.file '%s', want '%s'", what, err->file, file);
	if (err->line != line || err->col != col)
		fail_msg("%s: at %u:%u, want %u:%u (%s)", what, err->line, err->col,
			 line, col, err->msg);
	if (!strstr(err->msg, msg))
		fail_msg("%s: message '%s' lacks '%s'", what, err->msg, msg);
}

static int64_t named(const struct twa_named_vec *v, const char *name)
{
	const struct twa_named *n = twa_named_get(v, name);

	if (!n)
		fail_msg("'%s' missing", name);
	return n->value;
}

/* ---- /proc/net/sockstat ---------------------------------------------- */

static const char sockstat_good[] =
	"sockets: used 2\n"
	"TCP: inuse 129 orphan 0 tw 3646 alloc 171 mem 385\n"
	"UDP: inuse 0 mem 0\n"
	"UDPLITE: inuse 0\n"
	"RAW: inuse 0\n"
	"FRAG: inuse 0 memory 0\n";

static void test_sockstat_good(void **state)
{
	struct twa_named_vec v = { 0 };
	struct twa_err err = { 0 };

	(void)state;
	assert_int_equal(twa_sockstat_parse(sockstat_good, strlen(sockstat_good),
					    "sockstat", &v, &err), 0);
	assert_int_equal(v.n, 5);
	assert_int_equal(named(&v, "inuse"), 129);
	assert_int_equal(named(&v, "orphan"), 0);
	assert_int_equal(named(&v, "tw"), 3646);
	assert_int_equal(named(&v, "alloc"), 171);
	assert_int_equal(named(&v, "mem"), 385);
	/* UDP's inuse did not leak in */
	assert_null(twa_named_get(&v, "memory"));
	twa_named_release(&v);
}

static void test_sockstat_bad(void **state)
{
	static const struct {
		const char *text;
		unsigned line, col;
		const char *msg;
	} cases[] = {
		/* missing value: the last name of the line */
		{ "sockets: used 2\nTCP: inuse 2 orphan\n", 2, 14, "'orphan' has no value" },
		/* truncated file, mid-line, no newline */
		{ "TCP: inuse 2 orphan 0 tw 7 alloc 3 mem", 1, 36, "'mem' has no value" },
		/* larger than INT64_MAX */
		{ "TCP: inuse 9223372036854775808 orphan 0\n", 1, 12,
		  "bad value '9223372036854775808' for 'inuse'" },
		{ "TCP: inuse 99999999999999999999999 orphan 0\n", 1, 12, "bad value" },
		{ "TCP: inuse 1 orphan 0x1\n", 1, 21, "bad value '0x1' for 'orphan'" },
		{ "TCP: inuse 2x\n", 1, 12, "bad value '2x' for 'inuse'" },
		/* a name longer than the model holds */
		{ "TCP: a234567890123456789012345678901234567890123456789012345678901234 1\n",
		  1, 71, "bad value '1'" },
		/* no TCP line at all: no position */
		{ "sockets: used 2\nUDP: inuse 0 mem 0\n", 0, 0, "no 'TCP:' line" },
		{ "TCP6: inuse 1\n", 0, 0, "no 'TCP:' line" },
		{ "TC", 0, 0, "no 'TCP:' line" },
		{ "", 0, 0, "no 'TCP:' line" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct twa_named_vec v = { 0 };
		struct twa_err err = { 0 };
		char what[64];
		int r = twa_sockstat_parse(cases[i].text, strlen(cases[i].text),
					   "/x/sockstat", &v, &err);

		snprintf(what, sizeof(what), "sockstat case %zu", i);
		check_err(what, r, &err, "/x/sockstat", cases[i].line, cases[i].col,
			  cases[i].msg);
		twa_named_release(&v);
	}
}

/* Names the parser has never heard of are kept: a newer kernel's. */
static void test_sockstat_unknown_names(void **state)
{
	static const char text[] = "TCP: inuse 1 future_counter 9 tw -1\n";
	struct twa_named_vec v = { 0 };

	(void)state;
	assert_int_equal(twa_sockstat_parse(text, strlen(text), "s", &v, NULL), 0);
	assert_int_equal(named(&v, "future_counter"), 9);
	assert_int_equal(named(&v, "tw"), -1);
	twa_named_release(&v);
	/* only len bytes are parsed: the same text cut after "inuse 1" */
	assert_int_equal(twa_sockstat_parse(text, 12, "s", &v, NULL), 0);
	assert_int_equal(v.n, 1);
	assert_int_equal(named(&v, "inuse"), 1);
	twa_named_release(&v);
}

/* ---- /proc/net/netstat and /proc/net/snmp ---------------------------- */

static const char snmp_good[] =
	"Ip: Forwarding DefaultTTL InReceives\n"
	"Ip: 1 64 51234\n"
	"Icmp: InMsgs InErrors\n"
	"Icmp: 0 0\n"
	"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails "
	"EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n"
	"Tcp: 1 200 120000 -1 3711 3701 7 0 142 50000 50001 3 0 9 0\n"
	"Udp: InDatagrams NoPorts\n"
	"Udp: 0 0\n";

static const char netstat_good[] =
	"TcpExt: SyncookiesSent SyncookiesRecv TW TWRecycled TWKilled ListenOverflows "
	"ListenDrops TCPTimeWaitOverflow TCPAbortOnMemory SomeFutureCounter\n"
	"TcpExt: 0 0 3646 2 0 20 20 0 0 77\n"
	"IpExt: InNoRoutes InTruncatedPkts\n"
	"IpExt: 0 0\n"
	"MPTcpExt: MPCapableSYNRX\n"
	"MPTcpExt: 0\n";

static void test_snmp_good(void **state)
{
	struct twa_named_vec v = { 0 };
	struct twa_err err = { 0 };

	(void)state;
	assert_int_equal(twa_snmp_parse(snmp_good, strlen(snmp_good), "Tcp", "snmp",
					&v, &err), 15);
	assert_int_equal(v.n, 15);
	assert_int_equal(named(&v, "MaxConn"), -1);
	assert_int_equal(named(&v, "ActiveOpens"), 3711);
	assert_int_equal(named(&v, "PassiveOpens"), 3701);
	assert_int_equal(named(&v, "CurrEstab"), 142);
	assert_int_equal(named(&v, "OutSegs"), 50001);
	assert_int_equal(named(&v, "InCsumErrors"), 0);
	assert_null(twa_named_get(&v, "InReceives"));	/* Ip's, not Tcp's */
	/* TcpExt goes into the same vector */
	assert_int_equal(twa_snmp_parse(netstat_good, strlen(netstat_good), "TcpExt",
					"netstat", &v, &err), 10);
	assert_int_equal(v.n, 25);
	assert_int_equal(named(&v, "TW"), 3646);
	assert_int_equal(named(&v, "TWRecycled"), 2);
	assert_int_equal(named(&v, "ListenOverflows"), 20);
	assert_int_equal(named(&v, "SomeFutureCounter"), 77);	/* unknown: kept */
	assert_null(twa_named_get(&v, "MPCapableSYNRX"));
	twa_named_release(&v);
}

/* "Tcp" must not match "TcpExt:" nor "MPTcpExt:"; an absent section is 0. */
static void test_snmp_section_match(void **state)
{
	struct twa_named_vec v = { 0 };

	(void)state;
	assert_int_equal(twa_snmp_parse(netstat_good, strlen(netstat_good), "Tcp",
					"netstat", &v, NULL), 0);
	assert_int_equal(twa_snmp_parse(snmp_good, strlen(snmp_good), "TcpExt",
					"snmp", &v, NULL), 0);
	assert_int_equal(twa_snmp_parse("", 0, "Tcp", "snmp", &v, NULL), 0);
	assert_int_equal(twa_snmp_parse(netstat_good, strlen(netstat_good), "Ext",
					"netstat", &v, NULL), 0);
	assert_int_equal(v.n, 0);
	twa_named_release(&v);
}

static void test_snmp_bad(void **state)
{
	static const struct {
		const char *text, *section;
		unsigned line, col;
		const char *msg;
	} cases[] = {
		/* header without a value line: at the end, or another line next */
		{ "TcpExt: A B\n", "TcpExt", 2, 1, "'TcpExt:' header without a value line" },
		{ "TcpExt: A B", "TcpExt", 2, 1, "'TcpExt:' header without a value line" },
		{ "TcpExt: A B\nIpExt: 1 2\n", "TcpExt", 2, 1, "header without a value line" },
		{ "Ip: a\nIp: 1\nTcp: A B\n\nTcp: 1 2\n", "Tcp", 4, 1, "header without a value line" },
		/* value count mismatch, both ways */
		{ "TcpExt: A B C\nTcpExt: 1 2\n", "TcpExt", 2, 12,
		  "fewer values than names in 'TcpExt:' (no value for 'C')" },
		{ "TcpExt: A B C\nTcpExt: 1 2", "TcpExt", 2, 12, "no value for 'C'" },
		{ "TcpExt: A B\nTcpExt: 1 2 3\n", "TcpExt", 2, 13, "more values than names in 'TcpExt:'" },
		{ "TcpExt: A\nTcpExt:\n", "TcpExt", 2, 8, "no value for 'A'" },
		/* line numbers count the lines before */
		{ "Ip: a\nIp: 1\nIcmp: b\nIcmp: 2\nTcp: X Y\nTcp: 1\n", "Tcp", 6, 7,
		  "no value for 'Y'" },
		/* bad values */
		{ "TcpExt: A B\nTcpExt: 1 9223372036854775808\n", "TcpExt", 2, 11,
		  "bad value '9223372036854775808' for TcpExt B" },
		{ "Tcp: MaxConn\nTcp: -9223372036854775809\n", "Tcp", 2, 6,
		  "bad value '-9223372036854775809' for Tcp MaxConn" },
		{ "TcpExt: A\nTcpExt: x1\n", "TcpExt", 2, 9, "bad value 'x1' for TcpExt A" },
		{ "TcpExt: A B\nTcpExt: 1 2.5\n", "TcpExt", 2, 11, "bad value '2.5'" },
		/* a counter name too long for the model */
		{ "TcpExt: A B234567890123456789012345678901234567890123456789012345678901234\n"
		  "TcpExt: 1 2\n", "TcpExt", 1, 11, "counter name too long" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct twa_named_vec v = { 0 };
		struct twa_err err = { 0 };
		char what[64];
		int r = twa_snmp_parse(cases[i].text, strlen(cases[i].text),
				       cases[i].section, "/x/netstat", &v, &err);

		snprintf(what, sizeof(what), "snmp case %zu", i);
		check_err(what, r, &err, "/x/netstat", cases[i].line, cases[i].col,
			  cases[i].msg);
		twa_named_release(&v);
	}
}

/* ---- /proc/net/tcp and tcp6 lines ------------------------------------ */

/* Lines as this kernel prints them (from the busy-host recording),
 * trailing blanks included. */
static const char tcp_header[] =
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     ";
static const char tcp6_header[] =
	"  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

struct line_case {
	const char *line;
	int family;
	uint8_t state, timer;
	const char *src, *dst;
	uint16_t sport, dport;
	uint32_t rqueue, wqueue, inode, expires_ms;
};

static const struct line_case good_lines[] = {
	/* TIME_WAIT: timer 3, no inode, tm->when in 1/100 s */
	{ "   0: 0100007F:B87A 0100007F:4E20 06 00000000:00000000 03:0000170B 00000000     0        0 0 3 000000002411b2be                                      ",
	  TWA_AF_INET, TWA_TCP_TIME_WAIT, 3, "127.0.0.1", "127.0.0.1", 0xB87A, 20000, 0, 0, 0, 58990 },
	/* CLOSE_WAIT with one unread byte (the FIN does not count; data does) */
	{ "   7: 0100007F:4E2A 0100007F:9580 08 00000000:00000001 00:00000000 00000000     0        0 1320521 1 0000000061e7a8ab 20 4 0 10 -1                   ",
	  TWA_AF_INET, TWA_TCP_CLOSE_WAIT, 0, "127.0.0.1", "127.0.0.1", 20010, 0x9580, 1, 0, 1320521, 0 },
	/* LISTEN: rx_queue is the accept queue */
	{ "   0: 0100007F:4E2D 00000000:0000 0A 00000000:00000005 00:00000000 00000000     0        0 2168070 6 00000000f44eadfb 100 0 0 10 0                   ",
	  TWA_AF_INET, TWA_TCP_LISTEN, 0, "127.0.0.1", "0.0.0.0", 20013, 0, 5, 0, 2168070, 0 },
	/* SYN_SENT: one byte (the SYN) in tx_queue, retransmit timer */
	{ "2147: 0100007F:ABD4 0100007F:4E2D 02 00000001:00000000 01:00000026 00000001     0        0 2168076 2 00000000cdbf2a8d 100 0 0 1 -1                   ",
	  TWA_AF_INET, TWA_TCP_SYN_SENT, 1, "127.0.0.1", "127.0.0.1", 0xABD4, 20013, 0, 1, 2168076, 380 },
	{ "   1: 0A0B0C0D:0050 FFFFFFFF:FFFF 01 FFFFFFFF:7FFFFFFF 02:FFFFFFFFFFFFFFFF 00000000  1000        0 4294967295 1 0",
	  TWA_AF_INET, TWA_TCP_ESTABLISHED, 2, "13.12.11.10", "255.255.255.255", 80, 65535,
	  0x7fffffff, 0xffffffff, 4294967295u, UINT32_MAX },
	{ "9: 00000000:0016 00000000:0000 0C 00000000:00000000 00:00000000 00000000 0 0 0",
	  TWA_AF_INET, TWA_TCP_NEW_SYN_RECV, 0, "0.0.0.0", "0.0.0.0", 22, 0, 0, 0, 0, 0 },
	/* IPv6: ::1, each 32-bit word printed as a host integer */
	{ "  43: 00000000000000000000000001000000:D9BE 00000000000000000000000001000000:5208 06 00000000:00000000 03:000016EE 00000000     0        0 0 3 00000000685db850",
	  TWA_AF_INET6, TWA_TCP_TIME_WAIT, 3, "::1", "::1", 0xD9BE, 21000, 0, 0, 0, 58700 },
	{ "   1: 00000000000000000000000001000000:5215 00000000000000000000000000000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 2169707 4 00000000c81609b0 100 0 0 10 0",
	  TWA_AF_INET6, TWA_TCP_LISTEN, 0, "::1", "::", 21013, 0, 3, 0, 2169707, 0 },
	/* v4-mapped, and a global address */
	{ "   2: 0000000000000000FFFF00000100007F:1F90 B80D0120000000000000000001000000:01BB 01 00000000:00000000 00:00000000 00000000     0        0 99 1 0",
	  TWA_AF_INET6, TWA_TCP_ESTABLISHED, 0, "::ffff:127.0.0.1", "2001:db8::1", 8080, 443, 0, 0, 99, 0 },
};

static void test_tcp_good_lines(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(good_lines); i++) {
		const struct line_case *c = &good_lines[i];
		struct twa_err err = { 0 };
		struct twa_sock s;
		char src[TWA_ADDRSTRLEN], dst[TWA_ADDRSTRLEN];
		int r;

		memset(&s, 0xa5, sizeof(s));
		r = twa_proctcp_parse_line(c->line, strlen(c->line), c->family, "tcp",
					   (unsigned)i + 2, &s, &err);
		if (r != 0)
			fail_msg("line %zu: %d %s", i, r, err.msg);
		assert_int_equal(s.family, c->family);
		assert_int_equal(s.state, c->state);
		assert_int_equal(s.timer, c->timer);
		assert_int_equal(twa_addr_format(c->family, s.src, src, sizeof(src)), 0);
		assert_int_equal(twa_addr_format(c->family, s.dst, dst, sizeof(dst)), 0);
		assert_string_equal(src, c->src);
		assert_string_equal(dst, c->dst);
		assert_int_equal(s.sport, c->sport);
		assert_int_equal(s.dport, c->dport);
		assert_int_equal(s.rqueue, c->rqueue);
		assert_int_equal(s.wqueue, c->wqueue);
		assert_int_equal(s.inode, c->inode);
		assert_int_equal(s.expires_ms, c->expires_ms);
		/* /proc has no listen backlog */
		assert_false(s.have_backlog);
		/* v4 leaves the rest of the 16 bytes zero */
		if (c->family == TWA_AF_INET) {
			static const uint8_t zero[12];

			assert_memory_equal(s.src + 4, zero, 12);
			assert_memory_equal(s.dst + 4, zero, 12);
		}
	}
}

static void test_tcp_header(void **state)
{
	struct twa_sock s;

	(void)state;
	memset(&s, 0x5a, sizeof(s));
	assert_int_equal(twa_proctcp_parse_line(tcp_header, strlen(tcp_header),
						TWA_AF_INET, "tcp", 1, &s, NULL), 1);
	assert_int_equal(twa_proctcp_parse_line(tcp6_header, strlen(tcp6_header),
						TWA_AF_INET6, "tcp6", 1, &s, NULL), 1);
	assert_int_equal(s.family, 0x5a);	/* untouched */
}

#define TW_LINE "   0: 0100007F:B87A 0100007F:4E20 06 00000000:00000000 03:0000170B 00000000     0        0 0 3 0"

static void test_tcp_bad_lines(void **state)
{
	static const struct {
		const char *line;
		int family;
		unsigned col;
		const char *msg;
	} cases[] = {
		{ "", TWA_AF_INET, 1, "truncated line: 0 of 10 fields" },
		{ "    ", TWA_AF_INET, 5, "truncated line: 0 of 10 fields" },
		/* cut by a short read: fields missing */
		{ "   0: 0100007F:B87A 0100007F:4E20 06 00000000:00000000", TWA_AF_INET, 55,
		  "truncated line: 5 of 10 fields" },
		{ "   0: 0100007F:B87A 0100007F:4E20 06 00000000:00000000 03:0000170B 00000000     0        0",
		  TWA_AF_INET, 91, "truncated line: 9 of 10 fields" },
		{ "   0: 0100007F:B87", TWA_AF_INET, 19, "truncated line: 2 of 10 fields" },
		/* slot */
		{ "   0 0100007F:B87A 0100007F:4E20 06 0:0 0:0 0 0 0 0", TWA_AF_INET, 4, "bad slot '0'" },
		{ "   x: 0100007F:B87A 0100007F:4E20 06 0:0 0:0 0 0 0 0", TWA_AF_INET, 4, "bad slot 'x:'" },
		{ ": 0100007F:B87A 0100007F:4E20 06 0:0 0:0 0 0 0 0", TWA_AF_INET, 1, "bad slot ':'" },
		/* addresses: non-hex, wrong length, wrong family, no port */
		{ "   0: 0100007G:B87A 0100007F:4E20 06 0:0 0:0 0 0 0 0", TWA_AF_INET, 7,
		  "bad local address '0100007G:B87A'" },
		{ "   0: 0100007F:B87A 0100007F:4E2Z 06 0:0 0:0 0 0 0 0", TWA_AF_INET, 21,
		  "bad remote address '0100007F:4E2Z'" },
		{ "   0: 100007F:B87A 0100007F:4E20 06 0:0 0:0 0 0 0 0", TWA_AF_INET, 7, "bad local address" },
		{ "   0: 0100007F:B87 0100007F:4E20 06 0:0 0:0 0 0 0 0", TWA_AF_INET, 7, "bad local address" },
		{ "   0: 0100007F-B87A 0100007F:4E20 06 0:0 0:0 0 0 0 0", TWA_AF_INET, 7, "bad local address" },
		{ "   0: 0100007F 0100007F:4E20 06 0:0 0:0 0 0 0 0 0", TWA_AF_INET, 7, "bad local address" },
		{ "   0: 00000000000000000000000001000000:D9BE 00000000000000000000000001000000:5208 06 0:0 0:0 0 0 0 0",
		  TWA_AF_INET, 7, "bad local address" },
		{ TW_LINE, TWA_AF_INET6, 7, "bad local address '0100007F:B87A'" },
		{ "   0: 0000000000000000000000000100000G:D9BE 00000000000000000000000001000000:5208 06 0:0 0:0 0 0 0 0",
		  TWA_AF_INET6, 7, "bad local address" },
		/* states outside 1..12 */
		{ "   0: 0100007F:B87A 0100007F:4E20 00 0:0 0:0 0 0 0 0", TWA_AF_INET, 35, "bad state '00'" },
		{ "   0: 0100007F:B87A 0100007F:4E20 0D 0:0 0:0 0 0 0 0", TWA_AF_INET, 35, "bad state '0D'" },
		{ "   0: 0100007F:B87A 0100007F:4E20 FF 0:0 0:0 0 0 0 0", TWA_AF_INET, 35, "bad state 'FF'" },
		{ "   0: 0100007F:B87A 0100007F:4E20 0G 0:0 0:0 0 0 0 0", TWA_AF_INET, 35, "bad state '0G'" },
		/* queues and timer */
		{ "   0: 0100007F:B87A 0100007F:4E20 06 00000000 0:0 0 0 0 0", TWA_AF_INET, 38, "bad queue '00000000'" },
		{ "   0: 0100007F:B87A 0100007F:4E20 06 100000000:0 0:0 0 0 0 0", TWA_AF_INET, 38, "bad queue" },
		{ "   0: 0100007F:B87A 0100007F:4E20 06 0:100000000 0:0 0 0 0 0", TWA_AF_INET, 38, "bad queue" },
		{ "   0: 0100007F:B87A 0100007F:4E20 06 0: 0:0 0 0 0 0 0", TWA_AF_INET, 38, "bad queue '0:'" },
		{ "   0: 0100007F:B87A 0100007F:4E20 06 0:0 100:0 0 0 0 0", TWA_AF_INET, 42, "bad timer '100:0'" },
		{ "   0: 0100007F:B87A 0100007F:4E20 06 0:0 03 0 0 0 0", TWA_AF_INET, 42, "bad timer '03'" },
		{ "   0: 0100007F:B87A 0100007F:4E20 06 0:0 03:10000000000000000 0 0 0 0", TWA_AF_INET, 42, "bad timer" },
		/* inode */
		{ "   0: 0100007F:B87A 0100007F:4E20 06 0:0 0:0 0 0 0 4294967296", TWA_AF_INET, 52,
		  "bad inode '4294967296'" },
		{ "   0: 0100007F:B87A 0100007F:4E20 06 0:0 0:0 0 0 0 12a", TWA_AF_INET, 52, "bad inode '12a'" },
		{ "   0: 0100007F:B87A 0100007F:4E20 06 0:0 0:0 0 0 0 -1", TWA_AF_INET, 52, "bad inode '-1'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct twa_err err = { 0 };
		struct twa_sock s;
		char what[64];
		int r;

		memset(&s, 0x5a, sizeof(s));
		r = twa_proctcp_parse_line(cases[i].line, strlen(cases[i].line),
					   cases[i].family, "/x/net/tcp", 1234, &s, &err);
		snprintf(what, sizeof(what), "tcp bad line %zu", i);
		check_err(what, r, &err, "/x/net/tcp", 1234, cases[i].col, cases[i].msg);
		assert_int_equal(s.family, 0x5a);	/* ret untouched on failure */
	}
}

/* Only len bytes count: a line is not NUL-terminated in the line reader. */
static void test_tcp_line_len(void **state)
{
	static const char line[] =
		"   0: 0100007F:B87A 0100007F:4E20 01 00000000:00000000 00:00000000 00000000     0        0 12345";
	static const char tail[] = "99 3 trailing\n   1: 0100007F";
	char buf[256];
	struct twa_sock s;
	size_t len = strlen(line);

	(void)state;
	memcpy(buf, line, len);
	memcpy(buf + len, tail, sizeof(tail));	/* would make the inode 1234599 */
	assert_int_equal(twa_proctcp_parse_line(buf, len, TWA_AF_INET, "tcp", 2, &s, NULL), 0);
	assert_int_equal(s.inode, 12345);
	assert_int_equal(twa_proctcp_parse_line(buf, len - 2, TWA_AF_INET, "tcp", 2, &s,
						NULL), 0);
	assert_int_equal(s.inode, 123);
	/* without the inode field: truncated */
	assert_int_equal(twa_proctcp_parse_line(buf, len - 5, TWA_AF_INET, "tcp", 2, &s,
						NULL), -EBADMSG);
}

/* ---- ports ------------------------------------------------------------ */

static void test_port_range(void **state)
{
	static const struct {
		const char *text;
		int ret;
		unsigned lo, hi;
	} cases[] = {
		{ "32768\t60999", 0, 32768, 60999 },
		{ "1024 65535", 0, 1024, 65535 },
		{ "  1\t\t1  ", 0, 1, 1 },
		{ "40000 40000", 0, 40000, 40000 },
		{ "0 100", -EBADMSG, 0, 0 },
		{ "100 99", -EBADMSG, 0, 0 },
		{ "1 65536", -EBADMSG, 0, 0 },
		{ "1", -EBADMSG, 0, 0 },
		{ "1 2 3", -EBADMSG, 0, 0 },
		{ "", -EBADMSG, 0, 0 },
		{ "a b", -EBADMSG, 0, 0 },
		{ "-1 5", -EBADMSG, 0, 0 },
		{ "32768,60999", -EBADMSG, 0, 0 },
		{ "32768\n60999", -EBADMSG, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct twa_err err = { 0 };
		unsigned lo = 7, hi = 7;
		int r = twa_port_range_parse(cases[i].text, &lo, &hi, &err);

		if (r != cases[i].ret)
			fail_msg("port range '%s': %d, want %d", cases[i].text, r, cases[i].ret);
		if (r == 0) {
			assert_int_equal(lo, cases[i].lo);
			assert_int_equal(hi, cases[i].hi);
			continue;
		}
		assert_int_equal(lo, 7);
		assert_int_equal(hi, 7);
		if (!strstr(err.msg, "want two ports LOW HIGH with 1 <= LOW <= HIGH <= 65535") ||
		    strncmp(err.msg, "bad port range '", 16))
			fail_msg("port range '%s': message '%s'", cases[i].text, err.msg);
	}
}

static void test_reserved_ports(void **state)
{
	static const struct {
		const char *text;
		int ret;
		size_t n;
		struct twa_portrange want[4];
	} cases[] = {
		{ "", 0, 0, { { 0, 0 } } },
		{ "   ", 0, 0, { { 0, 0 } } },
		{ "8080", 0, 1, { { 8080, 8080 } } },
		{ "8080,9000-9010", 0, 2, { { 8080, 8080 }, { 9000, 9010 } } },
		{ "50000-50010,55555", 0, 2, { { 50000, 50010 }, { 55555, 55555 } } },
		{ " 1 , 2-3 ,65535", 0, 3, { { 1, 1 }, { 2, 3 }, { 65535, 65535 } } },
		{ "0", 0, 1, { { 0, 0 } } },
		{ "5-5", 0, 1, { { 5, 5 } } },
		{ "9010-9000", -EBADMSG, 0, { { 0, 0 } } },
		{ "8080,", -EBADMSG, 0, { { 0, 0 } } },
		{ "8080, ", -EBADMSG, 0, { { 0, 0 } } },
		{ ",8080", -EBADMSG, 0, { { 0, 0 } } },
		{ "8080,,9000", -EBADMSG, 0, { { 0, 0 } } },
		{ "70000", -EBADMSG, 0, { { 0, 0 } } },
		{ "1-70000", -EBADMSG, 0, { { 0, 0 } } },
		{ "1-2-3", -EBADMSG, 0, { { 0, 0 } } },
		{ "-5", -EBADMSG, 0, { { 0, 0 } } },
		{ "5-", -EBADMSG, 0, { { 0, 0 } } },
		{ "a", -EBADMSG, 0, { { 0, 0 } } },
		{ "8080 9000", -EBADMSG, 0, { { 0, 0 } } },
		{ "8080;9000", -EBADMSG, 0, { { 0, 0 } } },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct twa_portrange *v = (struct twa_portrange *)&v;
		struct twa_err err = { 0 };
		size_t n = 99;
		int r = twa_reserved_ports_parse(cases[i].text, &v, &n, &err);

		if (r != cases[i].ret)
			fail_msg("reserved '%s': %d, want %d", cases[i].text, r, cases[i].ret);
		if (r < 0) {
			if (strncmp(err.msg, "bad reserved port list '", 24) ||
			    !strstr(err.msg, "want PORT or LOW-HIGH items separated by commas"))
				fail_msg("reserved '%s': message '%s'", cases[i].text, err.msg);
			assert_int_equal(n, 99);	/* untouched */
			continue;
		}
		assert_int_equal(n, cases[i].n);
		if (!n)
			assert_null(v);
		for (k = 0; k < n; k++) {
			assert_int_equal(v[k].lo, cases[i].want[k].lo);
			assert_int_equal(v[k].hi, cases[i].want[k].hi);
		}
		free(v);
	}
}

/* More items than the first allocation holds. */
static void test_reserved_many(void **state)
{
	char text[1024] = "";
	struct twa_portrange *v = NULL;
	size_t n = 0, k;

	(void)state;
	for (k = 0; k < 100; k++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%zu-%zu",
			 k ? "," : "", 1000 + 10 * k, 1000 + 10 * k + 4);
	assert_int_equal(twa_reserved_ports_parse(text, &v, &n, NULL), 0);
	assert_int_equal(n, 100);
	for (k = 0; k < n; k++) {
		assert_int_equal(v[k].lo, 1000 + 10 * k);
		assert_int_equal(v[k].hi, 1000 + 10 * k + 4);
	}
	assert_int_equal(twa_usable_ports(1000, 1999, v, n), 500);
	free(v);
}

static void test_usable_ports(void **state)
{
	static const struct {
		unsigned lo, hi;
		size_t n;
		struct twa_portrange res[4];
		unsigned want;
	} cases[] = {
		{ 32768, 60999, 0, { { 0, 0 } }, 28232 },
		{ 1024, 65535, 0, { { 0, 0 } }, 64512 },
		{ 1, 65535, 0, { { 0, 0 } }, 65535 },
		{ 40000, 40000, 0, { { 0, 0 } }, 1 },
		{ 32768, 60999, 2, { { 50000, 50010 }, { 55555, 55555 } }, 28220 },
		/* outside the range: no effect */
		{ 32768, 60999, 2, { { 80, 80 }, { 61000, 65535 } }, 28232 },
		/* straddling the ends */
		{ 32768, 60999, 2, { { 32000, 32777 }, { 60990, 61010 } }, 28232 - 10 - 10 },
		/* overlapping reserved ranges count once */
		{ 32768, 60999, 3, { { 40000, 40099 }, { 40050, 40149 }, { 40100, 40100 } }, 28232 - 150 },
		/* everything reserved */
		{ 32768, 60999, 1, { { 1, 65535 } }, 0 },
		{ 65000, 65535, 1, { { 65535, 65535 } }, 535 },
		{ 100, 99, 0, { { 0, 0 } }, 0 },
		{ 100, 99, 1, { { 99, 100 } }, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		unsigned got = twa_usable_ports(cases[i].lo, cases[i].hi, cases[i].res,
						cases[i].n);

		if (got != cases[i].want)
			fail_msg("usable case %zu (%u-%u): %u, want %u", i, cases[i].lo,
				 cases[i].hi, got, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sockstat_good),
		cmocka_unit_test(test_sockstat_bad),
		cmocka_unit_test(test_sockstat_unknown_names),
		cmocka_unit_test(test_snmp_good),
		cmocka_unit_test(test_snmp_section_match),
		cmocka_unit_test(test_snmp_bad),
		cmocka_unit_test(test_tcp_good_lines),
		cmocka_unit_test(test_tcp_header),
		cmocka_unit_test(test_tcp_bad_lines),
		cmocka_unit_test(test_tcp_line_len),
		cmocka_unit_test(test_port_range),
		cmocka_unit_test(test_reserved_ports),
		cmocka_unit_test(test_reserved_many),
		cmocka_unit_test(test_usable_ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
