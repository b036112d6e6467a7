/* SPDX-License-Identifier: MIT */
/* test_sockagg.c - unit tests for advisor/sockagg.h: states, destinations, listeners, CLOSE_WAIT, FIN_WAIT2, close rates. */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/facts/facts.h"
#include "advisor/facts/proctext.h"
#include "advisor/inspect/sockagg.h"
#include "advisor/facts/tcpstate.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define V4 TWA_AF_INET
#define V6 TWA_AF_INET6

/* facts with an ephemeral range, as the inspector fills them before a dump. */
static void setup_facts(struct twa_facts *f, unsigned lo, unsigned hi,
			const char *reserved)
{
	twa_facts_init(f);
	f->ephemeral.present = true;
	f->ephemeral.low = lo;
	f->ephemeral.high = hi;
	assert_int_equal(twa_reserved_ports_parse(reserved, &f->ephemeral.reserved,
						  &f->ephemeral.n_reserved, NULL), 0);
	f->ephemeral.usable = twa_usable_ports(lo, hi, f->ephemeral.reserved,
					       f->ephemeral.n_reserved);
}

static struct twa_sock mk(int family, unsigned state, const char *src,
			  unsigned sport, const char *dst, unsigned dport,
			  uint32_t inode)
{
	int af = family == V6 ? AF_INET6 : AF_INET;
	struct twa_sock s;

	memset(&s, 0, sizeof(s));
	s.family = (uint8_t)family;
	s.state = (uint8_t)state;
	s.sport = (uint16_t)sport;
	s.dport = (uint16_t)dport;
	assert_int_equal(inet_pton(af, src, s.src), 1);
	assert_int_equal(inet_pton(af, dst, s.dst), 1);
	s.inode = inode;
	return s;
}

static void add(struct twa_sockagg *agg, struct twa_sock s)
{
	assert_int_equal(twa_sockagg_add(&s, agg), 0);
}

static const struct twa_destination *dest(const struct twa_facts *f,
					  const char *local, const char *remote,
					  unsigned port)
{
	size_t i;

	for (i = 0; i < f->ephemeral.n_dest; i++) {
		const struct twa_destination *d = &f->ephemeral.dest[i];

		if (!strcmp(d->local, local) && !strcmp(d->remote, remote) &&
		    d->remote_port == port)
			return d;
	}
	fail_msg("no destination %s -> %s:%u", local, remote, port);
	return NULL;
}

static void test_states(void **state)
{
	static const struct {
		int family;
		unsigned state, n;
	} feed[] = {
		{ V4, TWA_TCP_ESTABLISHED, 7 }, { V4, TWA_TCP_TIME_WAIT, 11 },
		{ V6, TWA_TCP_TIME_WAIT, 5 }, { V4, TWA_TCP_LISTEN, 2 },
		{ V6, TWA_TCP_LISTEN, 1 }, { V4, TWA_TCP_CLOSE_WAIT, 3 },
		{ V6, TWA_TCP_SYN_SENT, 4 }, { V4, TWA_TCP_SYN_RECV, 1 },
		{ V4, TWA_TCP_FIN_WAIT1, 1 }, { V6, TWA_TCP_FIN_WAIT2, 2 },
		{ V4, TWA_TCP_CLOSE, 1 }, { V4, TWA_TCP_LAST_ACK, 1 },
		{ V6, TWA_TCP_CLOSING, 1 }, { V4, TWA_TCP_NEW_SYN_RECV, 1 },
	};
	uint64_t want[2][TWA_TCP_STATE_MAX] = { { 0 } }, total = 0;
	struct twa_sockagg agg;
	struct twa_facts f;
	size_t i;
	unsigned k, s;

	(void)state;
	setup_facts(&f, 32768, 60999, "");
	assert_int_equal(twa_sockagg_init(&agg, &f, 0, 0), 0);
	for (i = 0; i < N(feed); i++)
		for (k = 0; k < feed[i].n; k++) {
			add(&agg, mk(feed[i].family, feed[i].state,
				     feed[i].family == V6 ? "::1" : "127.0.0.1", 40000 + k,
				     feed[i].family == V6 ? "::1" : "127.0.0.1", 80, 0));
			want[feed[i].family == V6][feed[i].state]++;
			total++;
		}
	for (s = 0; s < TWA_TCP_STATE_MAX; s++) {
		assert_int_equal(f.sockets.states[TWA_FAM_INET][s], want[0][s]);
		assert_int_equal(f.sockets.states[TWA_FAM_INET6][s], want[1][s]);
	}
	assert_int_equal(twa_facts_total(&f), total);
	assert_int_equal(twa_facts_state(&f, TWA_TCP_TIME_WAIT), 16);
	/* no flags: nothing else is collected */
	assert_int_equal(twa_sockagg_finish(&agg), 0);
	assert_false(f.ephemeral.dumped);
	assert_int_equal(f.ephemeral.n_dest, 0);
	assert_int_equal(f.ephemeral.dest_total, 0);
	assert_int_equal(f.n_listeners, 0);
	assert_int_equal(agg.close_wait.used, 0);
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
}

/* Only local ports inside the ephemeral range and not reserved count
 * toward a destination; LISTEN never does. */
static void test_destinations(void **state)
{
	static const struct {
		int family;
		unsigned st;
		const char *src;
		unsigned sport;
		const char *dst;
		unsigned dport;
	} feed[] = {
		/* counted toward 10.0.0.1 -> 10.0.0.2:443 */
		{ V4, TWA_TCP_ESTABLISHED, "10.0.0.1", 33000, "10.0.0.2", 443 },
		{ V4, TWA_TCP_ESTABLISHED, "10.0.0.1", 33001, "10.0.0.2", 443 },
		{ V4, TWA_TCP_TIME_WAIT, "10.0.0.1", 33002, "10.0.0.2", 443 },
		{ V4, TWA_TCP_TIME_WAIT, "10.0.0.1", 33003, "10.0.0.2", 443 },
		{ V4, TWA_TCP_FIN_WAIT2, "10.0.0.1", 33004, "10.0.0.2", 443 },
		{ V4, TWA_TCP_SYN_SENT, "10.0.0.1", 32768, "10.0.0.2", 443 },	/* low edge */
		{ V4, TWA_TCP_CLOSE_WAIT, "10.0.0.1", 60999, "10.0.0.2", 443 },	/* high edge */
		{ V4, TWA_TCP_TIME_WAIT, "10.0.0.1", 40010, "10.0.0.2", 443 },	/* just past reserved */
		/* not counted: outside the range, reserved, listening */
		{ V4, TWA_TCP_ESTABLISHED, "10.0.0.1", 32767, "10.0.0.2", 443 },
		{ V4, TWA_TCP_TIME_WAIT, "10.0.0.1", 61000, "10.0.0.2", 443 },
		{ V4, TWA_TCP_ESTABLISHED, "10.0.0.1", 443, "10.0.0.9", 51000 },
		{ V4, TWA_TCP_TIME_WAIT, "10.0.0.1", 40000, "10.0.0.2", 443 },
		{ V4, TWA_TCP_TIME_WAIT, "10.0.0.1", 40009, "10.0.0.2", 443 },
		{ V4, TWA_TCP_ESTABLISHED, "10.0.0.1", 55555, "10.0.0.2", 443 },
		{ V4, TWA_TCP_LISTEN, "10.0.0.1", 33333, "0.0.0.0", 0 },
		/* other destinations: remote port, local address, family */
		{ V4, TWA_TCP_ESTABLISHED, "10.0.0.1", 33000, "10.0.0.2", 80 },
		{ V4, TWA_TCP_ESTABLISHED, "10.0.0.3", 33000, "10.0.0.2", 443 },
		{ V6, TWA_TCP_TIME_WAIT, "2001:db8::1", 50000, "2001:db8::2", 443 },
		{ V6, TWA_TCP_ESTABLISHED, "2001:db8::1", 50001, "2001:db8::2", 443 },
		{ V6, TWA_TCP_ESTABLISHED, "::ffff:10.0.0.1", 50002, "::ffff:10.0.0.2", 443 },
	};
	const struct twa_destination *d;
	struct twa_sockagg agg;
	struct twa_facts f;
	size_t i;

	(void)state;
	setup_facts(&f, 32768, 60999, "40000-40009,55555");
	assert_int_equal(f.ephemeral.usable, 28232 - 11);
	assert_int_equal(twa_sockagg_init(&agg, &f, TWA_AGG_DESTINATIONS, 0), 0);
	for (i = 0; i < N(feed); i++)
		add(&agg, mk(feed[i].family, feed[i].st, feed[i].src, feed[i].sport,
			     feed[i].dst, feed[i].dport, (uint32_t)i + 1));
	assert_int_equal(twa_sockagg_finish(&agg), 0);
	assert_true(f.ephemeral.dumped);
	/* The v4-mapped socket shares the IPv4 port space (tcp_v4_connect). */
	assert_int_equal(f.ephemeral.dest_total, 4);
	assert_int_equal(f.ephemeral.n_dest, 4);
	assert_int_equal(f.ephemeral.untracked, 0);
	d = &f.ephemeral.dest[0];	/* the largest first */
	assert_string_equal(d->local, "10.0.0.1");
	assert_string_equal(d->remote, "10.0.0.2");
	assert_int_equal(d->remote_port, 443);
	assert_int_equal(d->family, V4);
	assert_int_equal(d->in_use, 9);
	assert_int_equal(d->time_wait, 3);
	assert_true(fabs(d->share - 9.0 / 28221) < 1e-12);
	assert_false(d->have_rate);
	d = &f.ephemeral.dest[1];
	assert_string_equal(d->local, "2001:db8::1");
	assert_string_equal(d->remote, "2001:db8::2");
	assert_int_equal(d->family, V6);
	assert_int_equal(d->in_use, 2);
	assert_int_equal(d->time_wait, 1);
	assert_int_equal(dest(&f, "10.0.0.1", "10.0.0.2", 80)->in_use, 1);
	assert_int_equal(dest(&f, "10.0.0.3", "10.0.0.2", 443)->in_use, 1);
	for (i = 1; i < f.ephemeral.n_dest; i++)
		assert_true(f.ephemeral.dest[i - 1].in_use >= f.ephemeral.dest[i].in_use);
	/* TIME_WAIT on usable ephemeral ports: 33002, 33003, 40010, v6 50000 */
	assert_int_equal(f.ephemeral.time_wait, 4);
	/* the states were counted all the same */
	assert_int_equal(twa_facts_total(&f), N(feed));
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
}

/* Without an ephemeral range there is nothing to count against. */
static void test_no_ephemeral(void **state)
{
	struct twa_sockagg agg;
	struct twa_facts f;

	(void)state;
	twa_facts_init(&f);
	assert_int_equal(twa_sockagg_init(&agg, &f, TWA_AGG_DESTINATIONS | TWA_AGG_LISTENERS, 0), 0);
	add(&agg, mk(V4, TWA_TCP_TIME_WAIT, "10.0.0.1", 40000, "10.0.0.2", 443, 0));
	add(&agg, mk(V4, TWA_TCP_LISTEN, "0.0.0.0", 40001, "0.0.0.0", 0, 5));
	assert_int_equal(twa_sockagg_finish(&agg), 0);
	assert_int_equal(f.ephemeral.n_dest, 0);
	assert_int_equal(f.ephemeral.dest_total, 0);
	assert_int_equal(f.n_listeners, 1);
	assert_false(f.listeners[0].in_ephemeral_range);
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
}

static void test_listeners(void **state)
{
	struct twa_sockagg agg;
	struct twa_facts f;
	struct twa_sock s;
	const struct twa_listener *l;

	(void)state;
	setup_facts(&f, 32768, 60999, "45001-45010");
	assert_int_equal(twa_sockagg_init(&agg, &f, TWA_AGG_LISTENERS | TWA_AGG_DESTINATIONS, 0), 0);
	/* netlink: wqueue is the backlog */
	s = mk(V4, TWA_TCP_LISTEN, "0.0.0.0", 8080, "0.0.0.0", 0, 1111);
	s.have_backlog = true;
	s.rqueue = 3;
	s.wqueue = 4096;
	add(&agg, s);
	/* inside the range, not reserved */
	s = mk(V6, TWA_TCP_LISTEN, "::", 45000, "::", 0, 2222);
	s.have_backlog = true;
	s.wqueue = 511;
	add(&agg, s);
	/* inside the range but reserved */
	s = mk(V4, TWA_TCP_LISTEN, "127.0.0.1", 45005, "0.0.0.0", 0, 3333);
	s.have_backlog = true;
	add(&agg, s);
	/* /proc: no backlog known; tx_queue must not be taken for one */
	s = mk(V6, TWA_TCP_LISTEN, "fe80::1", 32768, "::", 0, 4444);
	s.rqueue = 2;
	s.wqueue = 77;
	add(&agg, s);
	/* not listeners */
	add(&agg, mk(V4, TWA_TCP_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 40000, 5));
	add(&agg, mk(V4, TWA_TCP_SYN_RECV, "127.0.0.1", 8080, "127.0.0.1", 40001, 0));
	assert_int_equal(twa_sockagg_finish(&agg), 0);
	assert_int_equal(f.n_listeners, 4);
	l = &f.listeners[0];
	assert_int_equal(l->family, V4);
	assert_string_equal(l->local, "0.0.0.0");
	assert_int_equal(l->port, 8080);
	assert_int_equal(l->queue, 3);
	assert_int_equal(l->backlog, 4096);
	assert_false(l->in_ephemeral_range);
	assert_int_equal(l->inode, 1111);
	assert_int_equal(l->process.pid, 0);
	l = &f.listeners[1];
	assert_int_equal(l->family, V6);
	assert_string_equal(l->local, "::");
	assert_int_equal(l->port, 45000);
	assert_int_equal(l->backlog, 511);
	assert_true(l->in_ephemeral_range);
	l = &f.listeners[2];
	assert_int_equal(l->port, 45005);
	assert_false(l->in_ephemeral_range);
	l = &f.listeners[3];
	assert_string_equal(l->local, "fe80::1");
	assert_int_equal(l->queue, 2);
	assert_int_equal(l->backlog, -1);
	assert_true(l->in_ephemeral_range);
	/* listeners in the range take no destination's ports; the
	 * accepted sockets' local port 8080 is outside the range */
	assert_int_equal(f.ephemeral.dest_total, 0);
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
}

static void test_close_wait_inodes(void **state)
{
	static const uint32_t inodes[] = { 100, 101, 101, 0, 4294967295u };
	struct twa_sockagg agg;
	struct twa_facts f;
	size_t i;

	(void)state;
	setup_facts(&f, 32768, 60999, "");
	assert_int_equal(twa_sockagg_init(&agg, &f, TWA_AGG_CLOSE_WAIT, 0), 0);
	for (i = 0; i < N(inodes); i++)
		add(&agg, mk(V4, TWA_TCP_CLOSE_WAIT, "127.0.0.1", 20010, "127.0.0.1",
			     40000 + (unsigned)i, inodes[i]));
	/* other states' inodes are not remembered */
	add(&agg, mk(V4, TWA_TCP_ESTABLISHED, "127.0.0.1", 20010, "127.0.0.1", 41000, 555));
	add(&agg, mk(V4, TWA_TCP_LAST_ACK, "127.0.0.1", 20010, "127.0.0.1", 41001, 556));
	assert_int_equal(agg.close_wait.used, 3);
	assert_non_null(twa_inomap_get(&agg.close_wait, 100));
	assert_non_null(twa_inomap_get(&agg.close_wait, 101));
	assert_non_null(twa_inomap_get(&agg.close_wait, 4294967295u));
	assert_int_equal(twa_inomap_get(&agg.close_wait, 100)->value, 0);
	assert_null(twa_inomap_get(&agg.close_wait, 555));
	assert_null(twa_inomap_get(&agg.close_wait, 556));
	assert_int_equal(twa_facts_state(&f, TWA_TCP_CLOSE_WAIT), 5);
	twa_sockagg_release(&agg);
	/* without the flag: counted, not remembered */
	assert_int_equal(twa_sockagg_init(&agg, &f, 0, 0), 0);
	add(&agg, mk(V4, TWA_TCP_CLOSE_WAIT, "127.0.0.1", 20010, "127.0.0.1", 40000, 100));
	assert_int_equal(agg.close_wait.used, 0);
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
}

/* An orphaned FIN_WAIT2 whose 4-tuple reversed is a local CLOSE_WAIT
 * socket is counted as having a local peer, whichever end the dump gives
 * first, across families (a v4 client of a dual-stack server), once per
 * pair; a FIN_WAIT2 held by a process or toward a remote peer is not. */
static void test_fin_wait2_local_peer(void **state)
{
	struct twa_sockagg agg;
	struct twa_facts f;
	struct twa_sock s;

	(void)state;
	setup_facts(&f, 32768, 60999, "");
	assert_int_equal(twa_sockagg_init(&agg, &f, TWA_AGG_CLOSE_WAIT, 0), 0);
	/* CLOSE_WAIT first, then its client's orphan */
	add(&agg, mk(V4, TWA_TCP_CLOSE_WAIT, "127.0.0.1", 20000, "127.0.0.1", 40000, 11));
	add(&agg, mk(V4, TWA_TCP_FIN_WAIT2, "127.0.0.1", 40000, "127.0.0.1", 20000, 0));
	/* the orphan first */
	add(&agg, mk(V4, TWA_TCP_FIN_WAIT2, "127.0.0.1", 40001, "127.0.0.1", 20000, 0));
	add(&agg, mk(V4, TWA_TCP_CLOSE_WAIT, "127.0.0.1", 20000, "127.0.0.1", 40001, 12));
	/* the server end as IPv6 v4-mapped (dual-stack listener) */
	add(&agg, mk(V6, TWA_TCP_CLOSE_WAIT, "::ffff:127.0.0.1", 20000, "::ffff:127.0.0.1", 40002, 13));
	add(&agg, mk(V4, TWA_TCP_FIN_WAIT2, "127.0.0.1", 40002, "127.0.0.1", 20000, 0));
	/* IPv6 loopback */
	add(&agg, mk(V6, TWA_TCP_FIN_WAIT2, "::1", 40003, "::1", 20000, 0));
	add(&agg, mk(V6, TWA_TCP_CLOSE_WAIT, "::1", 20000, "::1", 40003, 14));
	/* a FIN_WAIT2 held by a process is not an orphan */
	add(&agg, mk(V4, TWA_TCP_CLOSE_WAIT, "127.0.0.1", 20000, "127.0.0.1", 40004, 15));
	add(&agg, mk(V4, TWA_TCP_FIN_WAIT2, "127.0.0.1", 40004, "127.0.0.1", 20000, 99));
	/* an orphan toward a remote peer, and one that matches nothing */
	add(&agg, mk(V4, TWA_TCP_FIN_WAIT2, "10.0.0.1", 40005, "10.0.0.2", 80, 0));
	add(&agg, mk(V4, TWA_TCP_CLOSE_WAIT, "127.0.0.1", 20000, "127.0.0.1", 40006, 16));
	/* the same end twice (a dump that repeats) does not count again */
	s = mk(V4, TWA_TCP_FIN_WAIT2, "127.0.0.1", 40000, "127.0.0.1", 20000, 0);
	add(&agg, s);
	assert_int_equal(f.sockets.fin_wait2_orphans, 6);
	assert_int_equal(f.sockets.fin_wait2_orphans_local_peer, 4);
	assert_int_equal(agg.pairs.dropped, 0);
	twa_sockagg_reset(&agg);
	assert_int_equal(f.sockets.fin_wait2_orphans_local_peer, 0);
	add(&agg, mk(V4, TWA_TCP_FIN_WAIT2, "127.0.0.1", 40001, "127.0.0.1", 20000, 0));
	assert_int_equal(f.sockets.fin_wait2_orphans_local_peer, 0);
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
}

/* FIN_WAIT2 without an owning socket is an orphan; with the timewait
 * timer it is a minisock (which sockstat's tw also counts). */
static void test_fin_wait2(void **state)
{
	struct twa_sockagg agg;
	struct twa_facts f;
	struct twa_sock s;

	(void)state;
	setup_facts(&f, 32768, 60999, "");
	assert_int_equal(twa_sockagg_init(&agg, &f, 0, 0), 0);
	s = mk(V4, TWA_TCP_FIN_WAIT2, "127.0.0.1", 40000, "127.0.0.1", 20010, 0);
	s.timer = 3;	/* timewait minisock */
	add(&agg, s);
	add(&agg, s);
	s.timer = 0;	/* orphaned full socket (tcp_fin_timeout > 60) */
	s.sport = 40001;
	add(&agg, s);
	s = mk(V6, TWA_TCP_FIN_WAIT2, "::1", 40002, "::1", 20011, 0);
	s.timer = 3;
	add(&agg, s);
	/* held by a process: not an orphan */
	s = mk(V4, TWA_TCP_FIN_WAIT2, "127.0.0.1", 40003, "127.0.0.1", 20011, 999);
	s.timer = 2;
	add(&agg, s);
	/* inode 0 in other states is not a FIN_WAIT2 orphan */
	add(&agg, mk(V4, TWA_TCP_TIME_WAIT, "127.0.0.1", 40004, "127.0.0.1", 20000, 0));
	add(&agg, mk(V4, TWA_TCP_LAST_ACK, "127.0.0.1", 40005, "127.0.0.1", 20000, 0));
	assert_int_equal(f.sockets.fin_wait2_orphans, 4);
	assert_int_equal(agg.fin_wait2_minisocks, 3);
	assert_int_equal(twa_facts_state(&f, TWA_TCP_FIN_WAIT2), 5);
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
}

/*
 * Close rates: a TIME_WAIT socket whose timer has more than
 * 60 s - window left entered TIME_WAIT within the window. With a 10 s
 * window, expires > 50000 ms is young.
 */
static void test_young_time_wait(void **state)
{
	static const uint32_t expires[] = { 59990, 55000, 50001, 50000, 49999, 1000, 0 };
	struct twa_sockagg agg;
	struct twa_facts f;
	const struct twa_destination *d;
	size_t i;

	(void)state;
	setup_facts(&f, 32768, 60999, "");
	assert_int_equal(twa_sockagg_init(&agg, &f, TWA_AGG_DESTINATIONS, 10), 0);
	assert_int_equal(agg.young_after_ms, 50000);
	for (i = 0; i < N(expires); i++) {
		struct twa_sock s = mk(V4, TWA_TCP_TIME_WAIT, "10.0.0.1", 33000 + (unsigned)i,
				       "10.0.0.2", 443, 0);

		s.timer = 3;
		s.expires_ms = expires[i];
		add(&agg, s);
	}
	/* an ESTABLISHED socket with a large timer is not a close */
	{
		struct twa_sock s = mk(V4, TWA_TCP_ESTABLISHED, "10.0.0.1", 34000, "10.0.0.2", 443, 9);

		s.expires_ms = 59000;
		add(&agg, s);
	}
	/* a destination without young ones has rate 0 */
	{
		struct twa_sock s = mk(V4, TWA_TCP_TIME_WAIT, "10.0.0.1", 34001, "10.0.0.3", 443, 0);

		s.expires_ms = 20000;
		add(&agg, s);
	}
	assert_int_equal(twa_sockagg_finish(&agg), 0);
	d = dest(&f, "10.0.0.1", "10.0.0.2", 443);
	assert_int_equal(d->in_use, 8);
	assert_int_equal(d->time_wait, 7);
	assert_true(d->have_rate);
	assert_true(fabs(d->close_rate - 0.3) < 1e-9);	/* 3 in 10 s */
	assert_true(fabs(d->projected_time_wait - 18) < 1e-9);	/* 0.3/s x 60 s */
	d = dest(&f, "10.0.0.1", "10.0.0.3", 443);
	assert_true(d->have_rate);
	assert_true(d->close_rate == 0);
	assert_true(d->projected_time_wait == 0);
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
}

/* The window decides what "young" means; none or >= 60 s gives no rates. */
static void test_rate_windows(void **state)
{
	static const struct {
		double window;
		uint32_t young_after;
	} cases[] = {
		{ 0, 0 }, { -1, 0 }, { 60, 0 }, { 61, 0 }, { 59, 1000 }, { 1, 59000 },
		{ 0.5, 59500 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct twa_sockagg agg;
		struct twa_facts f;
		struct twa_sock s = mk(V4, TWA_TCP_TIME_WAIT, "10.0.0.1", 33000, "10.0.0.2", 443, 0);

		setup_facts(&f, 32768, 60999, "");
		assert_int_equal(twa_sockagg_init(&agg, &f, TWA_AGG_DESTINATIONS, cases[i].window), 0);
		if (agg.young_after_ms != cases[i].young_after)
			fail_msg("window %g: young after %u ms, want %u", cases[i].window,
				 agg.young_after_ms, cases[i].young_after);
		s.expires_ms = 59999;
		add(&agg, s);
		assert_int_equal(twa_sockagg_finish(&agg), 0);
		assert_int_equal(f.ephemeral.n_dest, 1);
		assert_int_equal(f.ephemeral.dest[0].have_rate, cases[i].young_after != 0);
		if (cases[i].young_after)
			assert_true(fabs(f.ephemeral.dest[0].close_rate - 1 / cases[i].window) < 1e-9);
		twa_sockagg_release(&agg);
		twa_facts_release(&f);
	}
}

/* More destinations than the facts keep: the top ones, all counted. */
static void test_top_destinations(void **state)
{
	struct twa_sockagg agg;
	struct twa_facts f;
	unsigned i, k;

	(void)state;
	setup_facts(&f, 32768, 60999, "");
	assert_int_equal(twa_sockagg_init(&agg, &f, TWA_AGG_DESTINATIONS, 0), 0);
	for (i = 1; i <= 30; i++)
		for (k = 0; k < i; k++)
			add(&agg, mk(V4, TWA_TCP_TIME_WAIT, "10.0.0.1", 33000 + k, "10.0.1.1",
				     1000 + i, 0));
	assert_int_equal(twa_sockagg_finish(&agg), 0);
	assert_int_equal(f.ephemeral.dest_total, 30);
	assert_int_equal(f.ephemeral.n_dest, TWA_TOP_DESTINATIONS);
	for (i = 0; i < TWA_TOP_DESTINATIONS; i++) {
		assert_int_equal(f.ephemeral.dest[i].in_use, 30 - i);
		assert_int_equal(f.ephemeral.dest[i].remote_port, 1030 - i);
	}
	assert_ptr_equal(twa_facts_worst_destination(&f), &f.ephemeral.dest[0]);
	/* finish again: replaced, not leaked or appended */
	assert_int_equal(twa_sockagg_finish(&agg), 0);
	assert_int_equal(f.ephemeral.n_dest, TWA_TOP_DESTINATIONS);
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
}

/* The destination table's cap shows in facts as untracked sockets. */
static void test_untracked(void **state)
{
	struct twa_sockagg agg;
	struct twa_facts f;
	unsigned i;

	(void)state;
	setup_facts(&f, 32768, 60999, "");
	assert_int_equal(twa_sockagg_init(&agg, &f, TWA_AGG_DESTINATIONS, 0), 0);
	agg.dests.max_slots = 1024;	/* 768 destinations fit */
	for (i = 0; i < 800; i++) {
		char remote[32];

		snprintf(remote, sizeof(remote), "10.1.%u.%u", i / 256, i % 256);
		add(&agg, mk(V4, TWA_TCP_TIME_WAIT, "10.0.0.1", 40000, remote, 443, 0));
	}
	assert_int_equal(twa_sockagg_finish(&agg), 0);
	assert_int_equal(f.ephemeral.dest_total, 768);
	assert_int_equal(f.ephemeral.untracked, 32);
	/* untracked sockets still count as ephemeral TIME_WAIT */
	assert_int_equal(f.ephemeral.time_wait, 800);
	assert_int_equal(twa_facts_state(&f, TWA_TCP_TIME_WAIT), 800);
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
}

/* A restarted dump starts from zero. */
static void test_reset(void **state)
{
	struct twa_sockagg agg;
	struct twa_facts f;
	struct twa_sock s;
	unsigned st;

	(void)state;
	setup_facts(&f, 32768, 60999, "");
	assert_int_equal(twa_sockagg_init(&agg, &f, TWA_AGG_DESTINATIONS | TWA_AGG_LISTENERS |
					  TWA_AGG_CLOSE_WAIT, 0), 0);
	add(&agg, mk(V4, TWA_TCP_TIME_WAIT, "10.0.0.1", 40000, "10.0.0.2", 443, 0));
	add(&agg, mk(V4, TWA_TCP_CLOSE_WAIT, "10.0.0.1", 40001, "10.0.0.2", 443, 77));
	add(&agg, mk(V4, TWA_TCP_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0, 78));
	s = mk(V4, TWA_TCP_FIN_WAIT2, "10.0.0.1", 40002, "10.0.0.2", 443, 0);
	s.timer = 3;
	add(&agg, s);
	assert_int_equal(f.ephemeral.time_wait, 1);
	twa_sockagg_reset(&agg);
	assert_int_equal(f.ephemeral.time_wait, 0);
	for (st = 0; st < TWA_TCP_STATE_MAX; st++)
		assert_int_equal(twa_facts_state(&f, st), 0);
	assert_int_equal(f.sockets.fin_wait2_orphans, 0);
	assert_int_equal(agg.fin_wait2_minisocks, 0);
	assert_int_equal(f.n_listeners, 0);
	assert_int_equal(agg.dests.used, 0);
	assert_null(twa_inomap_get(&agg.close_wait, 77));
	/* and counts again */
	add(&agg, mk(V4, TWA_TCP_CLOSE_WAIT, "10.0.0.1", 40001, "10.0.0.2", 443, 79));
	assert_non_null(twa_inomap_get(&agg.close_wait, 79));
	assert_int_equal(twa_sockagg_finish(&agg), 0);
	assert_int_equal(f.ephemeral.dest_total, 1);
	assert_int_equal(f.ephemeral.dest[0].in_use, 1);
	twa_sockagg_release(&agg);
	twa_sockagg_release(NULL);
	twa_facts_release(&f);
}

/* Feed the next n ports from *cursor on (step 2: one parity) toward
 * 127.0.0.2:dport. */
static void feed_ports(struct twa_sockagg *agg, unsigned *cursor, unsigned n,
		       unsigned dport, uint32_t *inode)
{
	for (; n; n--, *cursor += 2)
		add(agg, mk(V4, TWA_TCP_ESTABLISHED, "127.0.0.1", *cursor, "127.0.0.2",
			    dport, ++*inode));
}

/* issue 18: 600 bind(addr, 0) + connect() over six destinations take the
 * 500 odd ports (bind()'s parity when the range starts even) and spill
 * into 100 even ones; 400 plain connects toward a seventh take the rest
 * of the even ports. All 600 are bind buckets, lost to the seventh. */
static void test_bind_before_connect(void **state)
{
	struct twa_sockagg agg;
	struct twa_facts f;
	uint32_t inode = 0;
	unsigned k, odd = 40001, even = 40000;
	size_t i;

	(void)state;
	setup_facts(&f, 40000, 40999, "");
	assert_int_equal(twa_sockagg_init(&agg, &f, TWA_AGG_DESTINATIONS, 0), 0);
	for (k = 0; k < 6; k++) {
		/* 83 or 84 odd and 16 or 17 even ports each */
		feed_ports(&agg, &odd, k < 2 ? 84 : 83, 9001 + k, &inode);
		feed_ports(&agg, &even, k < 4 ? 17 : 16, 9001 + k, &inode);
	}
	feed_ports(&agg, &even, 399, 9100, &inode);
	/* the last even port: a listener (a bind bucket, certain) */
	add(&agg, mk(V4, TWA_TCP_LISTEN, "0.0.0.0", 40998, "0.0.0.0", 0, ++inode));
	assert_int_equal(twa_sockagg_finish(&agg), 0);
	assert_true(f.ephemeral.have_bind);
	assert_int_equal(f.ephemeral.bind_ports, 600);
	assert_int_equal(f.ephemeral.listener_ports, 1);
	for (i = 0; i < f.ephemeral.n_dest; i++) {
		const struct twa_destination *d = &f.ephemeral.dest[i];

		assert_true(d->have_bind_held);
		if (d->remote_port == 9100)
			assert_int_equal(d->bind_held, 0);
		else
			assert_int_equal(d->bind_held, d->in_use);
	}
	assert_int_equal(agg.bind_inodes.used, 600);
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
}

/* Plain connects that ran out of connect()'s parity spill into bind()'s:
 * not bind() (850 toward one destination, 500 even + 350 odd); ports
 * shared by two destinations and IP_BIND_ADDRESS_NO_PORT sockets are
 * connect() buckets whatever their parity. */
static void test_bind_not_connect(void **state)
{
	struct twa_sockagg agg;
	struct twa_facts f;
	struct twa_sock s;
	uint32_t inode = 0;
	unsigned odd = 40001, even = 40000;

	(void)state;
	setup_facts(&f, 40000, 40999, "");
	assert_int_equal(twa_sockagg_init(&agg, &f, TWA_AGG_DESTINATIONS, 0), 0);
	feed_ports(&agg, &even, 500, 20000, &inode);
	feed_ports(&agg, &odd, 350, 20000, &inode);
	/* a small client on odd ports, each port shared with another destination */
	odd = 40701;
	feed_ports(&agg, &odd, 10, 80, &inode);
	odd = 40701;
	feed_ports(&agg, &odd, 10, 81, &inode);
	/* IP_BIND_ADDRESS_NO_PORT on an odd port */
	s = mk(V4, TWA_TCP_ESTABLISHED, "127.0.0.1", 40901, "127.0.0.5", 80, ++inode);
	s.bind_no_port = true;
	add(&agg, s);
	assert_int_equal(twa_sockagg_finish(&agg), 0);
	assert_int_equal(f.ephemeral.bind_ports, 0);
	assert_int_equal(f.ephemeral.listener_ports, 0);
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
}

/* An IPv6 socket connected to ::ffff:127.0.0.1 counts with the IPv4
 * sockets toward 127.0.0.1: one 4-tuple space (tcp_v4_connect). */
static void test_v4mapped_one_space(void **state)
{
	struct twa_sockagg agg;
	struct twa_facts f;

	(void)state;
	setup_facts(&f, 40000, 40999, "");
	assert_int_equal(twa_sockagg_init(&agg, &f, TWA_AGG_DESTINATIONS, 0), 0);
	add(&agg, mk(V4, TWA_TCP_ESTABLISHED, "127.0.0.1", 40000, "127.0.0.1", 9100, 1));
	add(&agg, mk(V6, TWA_TCP_ESTABLISHED, "::ffff:127.0.0.1", 40002, "::ffff:127.0.0.1", 9100, 2));
	add(&agg, mk(V6, TWA_TCP_TIME_WAIT, "::ffff:127.0.0.1", 40004, "::ffff:127.0.0.1", 9100, 0));
	add(&agg, mk(V6, TWA_TCP_ESTABLISHED, "::1", 40006, "::1", 9100, 3));
	assert_int_equal(twa_sockagg_finish(&agg), 0);
	assert_int_equal(f.ephemeral.n_dest, 2);
	assert_string_equal(f.ephemeral.dest[0].remote, "127.0.0.1");
	assert_int_equal(f.ephemeral.dest[0].family, V4);
	assert_int_equal(f.ephemeral.dest[0].in_use, 3);
	assert_int_equal(f.ephemeral.dest[0].time_wait, 1);
	assert_true(f.ephemeral.dest[0].loopback);
	assert_string_equal(f.ephemeral.dest[1].remote, "::1");
	assert_int_equal(f.sockets.states[TWA_FAM_INET6][TWA_TCP_ESTABLISHED], 2);
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_destinations),
		cmocka_unit_test(test_bind_before_connect),
		cmocka_unit_test(test_bind_not_connect),
		cmocka_unit_test(test_v4mapped_one_space),
		cmocka_unit_test(test_no_ephemeral),
		cmocka_unit_test(test_listeners),
		cmocka_unit_test(test_close_wait_inodes),
		cmocka_unit_test(test_fin_wait2),
		cmocka_unit_test(test_young_time_wait),
		cmocka_unit_test(test_rate_windows),
		cmocka_unit_test(test_top_destinations),
		cmocka_unit_test(test_untracked),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_fin_wait2_local_peer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
