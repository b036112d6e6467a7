/* SPDX-License-Identifier: MIT */
/* test_diag.c - unit tests for advisor/diag.h: walking inet_diag netlink buffers, synthetic and recorded. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>

#include <cmocka.h>

#include "advisor/facts/addr.h"
#include "advisor/inspect/diag.h"
#include "advisor/facts/tcpstate.h"

#include "tests/unit/testlib.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- building buffers -------------------------------------------------- */

struct nlbuf {
	_Alignas(struct nlmsghdr) uint8_t data[16384];
	size_t len;
};

static void put_msg(struct nlbuf *b, uint16_t type, uint16_t flags, uint32_t seq,
		    const void *payload, size_t plen)
{
	struct nlmsghdr h = {
		.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + plen),
		.nlmsg_type = type,
		.nlmsg_flags = flags,
		.nlmsg_seq = seq,
	};

	assert_true(b->len + NLMSG_ALIGN(h.nlmsg_len) <= sizeof(b->data));
	memset(b->data + b->len, 0, NLMSG_ALIGN(h.nlmsg_len));
	memcpy(b->data + b->len, &h, sizeof(h));
	if (plen)
		memcpy(b->data + b->len + NLMSG_HDRLEN, payload, plen);
	b->len += NLMSG_ALIGN(h.nlmsg_len);
}

struct sockspec {
	uint8_t family, state, timer;
	const char *src, *dst;
	uint16_t sport, dport;
	uint32_t rqueue, wqueue, inode, expires;
};

/* One SOCK_DIAG_BY_FAMILY message; with_attr appends an
 * INET_DIAG_SHUTDOWN attribute as the kernel does for full sockets. */
static void put_sock(struct nlbuf *b, uint32_t seq, uint16_t flags,
		     const struct sockspec *s, int with_attr)
{
	uint8_t payload[sizeof(struct inet_diag_msg) + 8];
	struct inet_diag_msg m;
	int af = s->family == TWA_AF_INET6 ? AF_INET6 : AF_INET;

	memset(&m, 0, sizeof(m));
	m.idiag_family = s->family;
	m.idiag_state = s->state;
	m.idiag_timer = s->timer;
	m.id.idiag_sport = htons(s->sport);
	m.id.idiag_dport = htons(s->dport);
	assert_int_equal(inet_pton(af, s->src, m.id.idiag_src), 1);
	assert_int_equal(inet_pton(af, s->dst, m.id.idiag_dst), 1);
	m.id.idiag_cookie[0] = 0xdeadbeef;
	m.idiag_expires = s->expires;
	m.idiag_rqueue = s->rqueue;
	m.idiag_wqueue = s->wqueue;
	m.idiag_inode = s->inode;
	memcpy(payload, &m, sizeof(m));
	if (with_attr) {
		struct rtattr a = { .rta_len = RTA_LENGTH(1), .rta_type = INET_DIAG_SHUTDOWN };

		memset(payload + sizeof(m), 0, 8);
		memcpy(payload + sizeof(m), &a, sizeof(a));
		payload[sizeof(m) + sizeof(a)] = 1;
	}
	put_msg(b, SOCK_DIAG_BY_FAMILY, flags, seq, payload,
		sizeof(m) + (with_attr ? RTA_LENGTH(1) : 0));
}

static void put_done(struct nlbuf *b, uint32_t seq, int32_t status)
{
	put_msg(b, NLMSG_DONE, NLM_F_MULTI, seq, &status, sizeof(status));
}

static void put_error(struct nlbuf *b, uint32_t seq, int32_t error)
{
	struct nlmsgerr e;

	memset(&e, 0, sizeof(e));
	e.error = error;
	put_msg(b, NLMSG_ERROR, 0, seq, &e, sizeof(e));
}

/* ---- collecting what the walker hands out ------------------------------ */

struct collect {
	struct twa_sock socks[64];
	size_t n;
	uint64_t states[2][TWA_TCP_STATE_MAX];
	uint64_t calls;
	uint64_t stop_at;	/* return -ECANCELED at this call (1-based); 0 never */
};

static int collect_cb(const struct twa_sock *s, void *ctx)
{
	struct collect *c = ctx;

	c->calls++;
	if (c->n < N(c->socks))
		c->socks[c->n++] = *s;
	c->states[s->family == TWA_AF_INET6][s->state]++;
	if (c->stop_at && c->calls == c->stop_at)
		return -ECANCELED;
	return 0;
}

static const struct sockspec three[] = {
	{ TWA_AF_INET, TWA_TCP_LISTEN, 0, "0.0.0.0", "0.0.0.0", 8080, 0, 3, 4096, 111, 0 },
	{ TWA_AF_INET, TWA_TCP_TIME_WAIT, 3, "10.0.0.1", "10.0.0.2", 40000, 443, 0, 0, 0, 59123 },
	{ TWA_AF_INET6, TWA_TCP_ESTABLISHED, 2, "2001:db8::1", "::ffff:1.2.3.4", 0xfffe, 1, 7, 9, 4294967295u, 200 },
};

static void check_sock(const struct twa_sock *got, const struct sockspec *want)
{
	char src[TWA_ADDRSTRLEN], dst[TWA_ADDRSTRLEN];

	assert_int_equal(got->family, want->family);
	assert_int_equal(got->state, want->state);
	assert_int_equal(got->timer, want->timer);
	assert_int_equal(got->sport, want->sport);	/* host order */
	assert_int_equal(got->dport, want->dport);
	assert_int_equal(twa_addr_format(got->family, got->src, src, sizeof(src)), 0);
	assert_int_equal(twa_addr_format(got->family, got->dst, dst, sizeof(dst)), 0);
	assert_string_equal(src, want->src);
	assert_string_equal(dst, want->dst);
	assert_int_equal(got->rqueue, want->rqueue);
	assert_int_equal(got->wqueue, want->wqueue);
	assert_int_equal(got->inode, want->inode);
	assert_int_equal(got->expires_ms, want->expires);
	/* inet_diag's wqueue is the listen backlog for LISTEN only */
	assert_int_equal(got->have_backlog, want->state == TWA_TCP_LISTEN);
}

static void test_fields(void **state)
{
	struct nlbuf b = { .len = 0 };
	struct collect c;
	struct twa_diag_walk walk = { 0 };
	struct twa_err err = { 0 };
	size_t i;

	(void)state;
	memset(&c, 0, sizeof(c));
	for (i = 0; i < N(three); i++)
		put_sock(&b, 5, NLM_F_MULTI, &three[i], (int)(i % 2));
	put_done(&b, 5, 0);
	assert_int_equal(twa_diag_parse(b.data, b.len, 5, collect_cb, &c, &walk, &err), 0);
	assert_true(walk.done);
	assert_false(walk.interrupted);
	assert_int_equal(walk.sockets, 3);
	assert_int_equal(c.n, 3);
	for (i = 0; i < N(three); i++)
		check_sock(&c.socks[i], &three[i]);
}

/* A dump spans buffers: no DONE yet is fine, and walk adds up. */
static void test_across_buffers(void **state)
{
	struct nlbuf a = { .len = 0 }, b = { .len = 0 };
	struct collect c;
	struct twa_diag_walk walk = { 0 };

	(void)state;
	memset(&c, 0, sizeof(c));
	put_sock(&a, 1, NLM_F_MULTI, &three[0], 1);
	put_sock(&a, 1, NLM_F_MULTI, &three[1], 0);
	put_sock(&b, 1, NLM_F_MULTI, &three[2], 1);
	put_done(&b, 1, 0);
	assert_int_equal(twa_diag_parse(a.data, a.len, 1, collect_cb, &c, &walk, NULL), 0);
	assert_false(walk.done);
	assert_int_equal(walk.sockets, 2);
	assert_int_equal(twa_diag_parse(b.data, b.len, 1, collect_cb, &c, &walk, NULL), 0);
	assert_true(walk.done);
	assert_int_equal(walk.sockets, 3);
	assert_int_equal(c.calls, 3);
	/* an empty buffer is nothing */
	assert_int_equal(twa_diag_parse(b.data, 0, 1, collect_cb, &c, &walk, NULL), 0);
	assert_int_equal(c.calls, 3);
}

static void test_done_variants(void **state)
{
	struct nlbuf b = { .len = 0 };
	struct collect c;
	struct twa_diag_walk walk = { 0 };
	struct twa_err err = { 0 };

	(void)state;
	memset(&c, 0, sizeof(c));
	/* DONE without the status word */
	put_msg(&b, NLMSG_DONE, NLM_F_MULTI, 9, NULL, 0);
	assert_int_equal(twa_diag_parse(b.data, b.len, 9, collect_cb, &c, &walk, &err), 0);
	assert_true(walk.done);
	/* messages after DONE are not looked at */
	b.len = 0;
	memset(&walk, 0, sizeof(walk));
	put_done(&b, 9, 0);
	put_sock(&b, 9, NLM_F_MULTI, &three[0], 0);
	assert_int_equal(twa_diag_parse(b.data, b.len, 9, collect_cb, &c, &walk, &err), 0);
	assert_true(walk.done);
	assert_int_equal(c.calls, 0);
	/* DONE carrying an error: the dump failed */
	b.len = 0;
	memset(&walk, 0, sizeof(walk));
	put_sock(&b, 9, NLM_F_MULTI, &three[0], 0);
	put_done(&b, 9, -ENOBUFS);
	assert_int_equal(twa_diag_parse(b.data, b.len, 9, collect_cb, &c, &walk, &err), -ENOBUFS);
	assert_int_equal(err.code, -ENOBUFS);
	assert_string_equal(err.msg, "netlink: dump ended with error 105");
	assert_int_equal(c.calls, 1);
}

static void test_error_messages(void **state)
{
	struct nlbuf b = { .len = 0 };
	struct collect c;
	struct twa_diag_walk walk = { 0 };
	struct twa_err err = { 0 };

	(void)state;
	memset(&c, 0, sizeof(c));
	put_error(&b, 3, -EPERM);
	assert_int_equal(twa_diag_parse(b.data, b.len, 3, collect_cb, &c, &walk, &err), -EPERM);
	assert_string_equal(err.msg, "netlink: kernel refused the dump (error 1)");
	/* error 0 is an acknowledgement: go on */
	b.len = 0;
	put_error(&b, 3, 0);
	put_sock(&b, 3, NLM_F_MULTI, &three[1], 0);
	put_done(&b, 3, 0);
	assert_int_equal(twa_diag_parse(b.data, b.len, 3, collect_cb, &c, &walk, &err), 0);
	assert_int_equal(c.calls, 1);
	assert_true(walk.done);
}

static void test_dump_intr(void **state)
{
	struct nlbuf b = { .len = 0 };
	struct collect c;
	struct twa_diag_walk walk = { 0 };

	(void)state;
	memset(&c, 0, sizeof(c));
	put_sock(&b, 2, NLM_F_MULTI, &three[0], 0);
	put_sock(&b, 2, NLM_F_MULTI | NLM_F_DUMP_INTR, &three[1], 0);
	assert_int_equal(twa_diag_parse(b.data, b.len, 2, collect_cb, &c, &walk, NULL), 0);
	assert_true(walk.interrupted);
	assert_false(walk.done);
	assert_int_equal(c.calls, 2);
}

/* The callback's negative return stops the walk and comes back as is. */
static void test_callback_stops(void **state)
{
	struct nlbuf b = { .len = 0 };
	struct collect c;
	struct twa_diag_walk walk = { 0 };
	size_t i;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.stop_at = 2;
	for (i = 0; i < N(three); i++)
		put_sock(&b, 1, NLM_F_MULTI, &three[i], 0);
	put_done(&b, 1, 0);
	assert_int_equal(twa_diag_parse(b.data, b.len, 1, collect_cb, &c, &walk, NULL),
			 -ECANCELED);
	assert_int_equal(c.calls, 2);
	assert_false(walk.done);
}

/* Malformed buffers: -EBADMSG with a message naming the problem. */
static void test_malformed(void **state)
{
	enum { TRUNC_HDR, TRUNC_HDR_LATER, LEN_ZERO, LEN_SHORT, LEN_LONG, BAD_SEQ,
	       BAD_TYPE, SHORT_DIAG, BAD_FAMILY, STATE_ZERO, STATE_HIGH, SHORT_ERROR };
	static const struct {
		int kind;
		const char *msg;
	} cases[] = {
		{ TRUNC_HDR, "netlink: truncated message header at byte 0" },
		{ TRUNC_HDR_LATER, "netlink: truncated message header at byte 88" },
		{ LEN_ZERO, "netlink: bad message length 0 at byte 0" },
		{ LEN_SHORT, "netlink: bad message length 15 at byte 0" },
		{ LEN_LONG, "netlink: bad message length 4096 at byte 0" },
		{ BAD_SEQ, "netlink: unexpected sequence number 8 (want 7)" },
		{ BAD_TYPE, "netlink: unexpected message type 99" },
		{ SHORT_DIAG, "netlink: truncated inet_diag message (56 bytes)" },
		{ BAD_FAMILY, "netlink: bad inet_diag message (family 1, state 1)" },
		{ STATE_ZERO, "netlink: bad inet_diag message (family 2, state 0)" },
		{ STATE_HIGH, "netlink: bad inet_diag message (family 10, state 13)" },
		{ SHORT_ERROR, "netlink: truncated error message" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct nlbuf b = { .len = 0 };
		struct collect c;
		struct twa_diag_walk walk = { 0 };
		struct twa_err err = { 0 };
		struct sockspec s = three[0];
		struct nlmsghdr h;
		uint8_t junk[40] = { 0 };
		int r;

		memset(&c, 0, sizeof(c));
		switch (cases[i].kind) {
		case TRUNC_HDR:
			put_sock(&b, 7, NLM_F_MULTI, &three[0], 0);
			b.len = 10;
			break;
		case TRUNC_HDR_LATER:
			put_sock(&b, 7, NLM_F_MULTI, &three[0], 0);
			assert_int_equal(b.len, 88);
			put_done(&b, 7, 0);
			b.len = 88 + 12;
			break;
		case LEN_ZERO:
		case LEN_SHORT:
		case LEN_LONG:
			put_sock(&b, 7, NLM_F_MULTI, &three[0], 0);
			memcpy(&h, b.data, sizeof(h));
			h.nlmsg_len = cases[i].kind == LEN_ZERO ? 0 :
				      cases[i].kind == LEN_SHORT ? 15 : 4096;
			memcpy(b.data, &h, sizeof(h));
			break;
		case BAD_SEQ:
			put_sock(&b, 8, NLM_F_MULTI, &three[0], 0);
			break;
		case BAD_TYPE:
			put_msg(&b, 99, 0, 7, junk, sizeof(junk));
			break;
		case SHORT_DIAG:
			put_msg(&b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 7, junk, sizeof(junk));
			break;
		case BAD_FAMILY:
			put_sock(&b, 7, NLM_F_MULTI, &three[0], 0);
			b.data[NLMSG_HDRLEN] = 1;	/* AF_UNIX */
			b.data[NLMSG_HDRLEN + 1] = 1;
			break;
		case STATE_ZERO:
			s.state = 0;
			put_sock(&b, 7, NLM_F_MULTI, &s, 0);
			break;
		case STATE_HIGH:
			s = three[2];
			s.state = TWA_TCP_STATE_MAX;
			put_sock(&b, 7, NLM_F_MULTI, &s, 0);
			break;
		case SHORT_ERROR:
			put_msg(&b, NLMSG_ERROR, 0, 7, NULL, 0);
			break;
		}
		r = twa_diag_parse(b.data, b.len, 7, collect_cb, &c, &walk, &err);
		if (r != -EBADMSG)
			fail_msg("case %zu: %d, want -EBADMSG (%s)", i, r, err.msg);
		if (strcmp(err.msg, cases[i].msg))
			fail_msg("case %zu: '%s', want '%s'", i, err.msg, cases[i].msg);
		assert_int_equal(c.calls, cases[i].kind == TRUNC_HDR_LATER ? 1 : 0);
	}
}

/* A last message whose length is not a multiple of 4 ends the buffer. */
static void test_unaligned_tail(void **state)
{
	struct nlbuf b = { .len = 0 };
	struct collect c;
	struct twa_diag_walk walk = { 0 };
	uint8_t three_bytes[3] = { 1, 2, 3 };

	(void)state;
	memset(&c, 0, sizeof(c));
	put_sock(&b, 1, NLM_F_MULTI, &three[0], 0);
	put_error(&b, 1, 0);
	put_msg(&b, NLMSG_DONE, NLM_F_MULTI, 1, three_bytes, 3);
	b.len -= 1;	/* nlmsg_len 19, buffer ends right after it */
	assert_int_equal(twa_diag_parse(b.data, b.len, 1, collect_cb, &c, &walk, NULL), 0);
	assert_true(walk.done);
	assert_int_equal(c.calls, 1);
}

/* ---- recorded dumps ----------------------------------------------------- */

struct recording {
	uint8_t *bin;
	size_t len;
	size_t lens[256];
	uint32_t seqs[256];
	size_t nbufs;
};

static void load_recording(struct recording *rec, const char *base, const char *fam)
{
	char path[4096], line[256];
	size_t total = 0;
	FILE *f;
	long size;

	memset(rec, 0, sizeof(*rec));
	snprintf(path, sizeof(path), "%s/netlink/%s.%s.bin", tl_fixtures(), base, fam);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (set FIXTURES or run from the repo root)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	rec->bin = malloc((size_t)size);
	assert_non_null(rec->bin);
	assert_int_equal(fread(rec->bin, 1, (size_t)size, f), (size_t)size);
	rec->len = (size_t)size;
	fclose(f);
	snprintf(path, sizeof(path), "%s/netlink/%s.%s.bufs", tl_fixtures(), base, fam);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		unsigned long len, seq;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%lu %lu", &len, &seq) != 2 || rec->nbufs == N(rec->lens))
			fail_msg("%s: bad line '%s'", path, line);
		rec->lens[rec->nbufs] = len;
		rec->seqs[rec->nbufs++] = (uint32_t)seq;
		total += len;
	}
	fclose(f);
	if (total != rec->len)
		fail_msg("%s: buffers add up to %zu bytes, the .bin has %zu", path, total, rec->len);
}

/* The ss counts captured at recording time: "FAMILY STATE COUNT". */
static void load_ss(const char *base, uint64_t want[2][TWA_TCP_STATE_MAX])
{
	char path[4096], line[256];
	unsigned lines = 0;
	FILE *f;

	memset(want, 0, sizeof(uint64_t) * 2 * TWA_TCP_STATE_MAX);
	snprintf(path, sizeof(path), "%s/netlink/%s.ss.txt", tl_fixtures(), base);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		char fam[16], st[32];
		unsigned long long n;
		unsigned s = 0;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%15s %31s %llu", fam, st, &n) != 3 ||
		    !(s = twa_tcp_state_from_name(st)) ||
		    (strcmp(fam, "inet") && strcmp(fam, "inet6")))
			fail_msg("%s: bad line '%s'", path, line);
		want[!strcmp(fam, "inet6")][s] = n;
		lines++;
	}
	fclose(f);
	assert_int_equal(lines, 22);	/* 11 ss states, two families */
}

static void check_counts(const char *what, const uint64_t *got, const uint64_t *want)
{
	unsigned s;

	for (s = 1; s < TWA_TCP_STATE_MAX; s++)
		if (got[s] != want[s])
			fail_msg("%s %s: %llu sockets, ss counted %llu", what,
				 twa_tcp_state_name(s), (unsigned long long)got[s],
				 (unsigned long long)want[s]);
}

/* Count per destination port too, to check the byte order of real data. */
struct tally {
	uint64_t states[2][TWA_TCP_STATE_MAX];
	uint64_t tw_to[3];	/* TIME_WAIT toward 20000, 20001, 20002 */
	uint64_t listeners;
	uint64_t bad_listener;
};

static int tally_cb(const struct twa_sock *s, void *ctx)
{
	struct tally *t = ctx;

	t->states[s->family == TWA_AF_INET6][s->state]++;
	if (s->state == TWA_TCP_TIME_WAIT && s->dport >= 20000 && s->dport <= 20002)
		t->tw_to[s->dport - 20000]++;
	if (s->state == TWA_TCP_LISTEN) {
		/* the recording's listeners: port -> listen() backlog, queue */
		static const struct {
			uint16_t port;
			uint32_t backlog, queue;
		} want[] = { { 20013, 4, 5 }, { 45000, 16, 0 }, { 21013, 2, 3 }, { 50000, 8, 0 } };
		size_t i;
		int ok = 0;

		for (i = 0; i < N(want); i++)
			if (s->sport == want[i].port && s->have_backlog &&
			    s->wqueue == want[i].backlog && s->rqueue == want[i].queue &&
			    s->inode)
				ok = 1;
		t->listeners++;
		t->bad_listener += !ok;
	}
	return 0;
}

static void replay_family(const char *fam, int idx)
{
	uint64_t want[2][TWA_TCP_STATE_MAX];
	struct recording rec;
	struct tally t, whole;
	struct twa_diag_walk walk = { 0 };
	struct twa_err err = { 0 };
	size_t i, off = 0;

	load_ss("busy-host", want);
	load_recording(&rec, "busy-host", fam);
	memset(&t, 0, sizeof(t));
	/* each recvmsg() buffer separately, as twa_nl_dump saw them */
	for (i = 0; i < rec.nbufs; i++) {
		int r = twa_diag_parse(rec.bin + off, rec.lens[i], rec.seqs[i], tally_cb, &t,
				       &walk, &err);

		if (r != 0)
			fail_msg("%s buffer %zu: %d %s", fam, i, r, err.msg);
		/* DONE comes in the last buffer, not before */
		assert_int_equal(walk.done, i + 1 == rec.nbufs);
		off += rec.lens[i];
	}
	assert_false(walk.interrupted);
	check_counts(fam, t.states[idx], want[idx]);
	/* nothing of the other family */
	for (i = 1; i < TWA_TCP_STATE_MAX; i++)
		assert_int_equal(t.states[!idx][i], 0);
	assert_int_equal(t.listeners, 2);
	assert_int_equal(t.bad_listener, 0);
	if (idx == 0) {
		/* sockgen --tw 3000:20000,20001,20002 goes round robin */
		assert_int_equal(t.tw_to[0], 1000);
		assert_int_equal(t.tw_to[1], 1000);
		assert_int_equal(t.tw_to[2], 1000);
	}
	/* the whole recording as one buffer gives the same */
	memset(&whole, 0, sizeof(whole));
	memset(&walk, 0, sizeof(walk));
	assert_int_equal(twa_diag_parse(rec.bin, rec.len, rec.seqs[0], tally_cb, &whole,
					 &walk, &err), 0);
	assert_true(walk.done);
	assert_memory_equal(whole.states, t.states, sizeof(t.states));
	free(rec.bin);
}

static void test_recorded_inet(void **state)
{
	(void)state;
	replay_family("inet", 0);
}

static void test_recorded_inet6(void **state)
{
	(void)state;
	replay_family("inet6", 1);
}

static int count_only(const struct twa_sock *s, void *ctx)
{
	(void)s;
	++*(uint64_t *)ctx;
	return 0;
}

/* Cut anywhere: a cut on a message boundary is a shorter dump, anywhere
 * else it is -EBADMSG, never a crash or a read past the end. */
static void test_recorded_truncated(void **state)
{
	struct recording rec;
	size_t cut;
	unsigned boundaries = 0, bad = 0;

	(void)state;
	load_recording(&rec, "busy-host", "inet6");
	for (cut = 0; cut < rec.len; cut += 1 + cut / 8) {
		struct twa_diag_walk walk = { 0 };
		uint64_t n = 0;
		uint8_t *copy = malloc(cut ? cut : 1);
		int r;

		assert_non_null(copy);
		memcpy(copy, rec.bin, cut);
		r = twa_diag_parse(copy, cut, rec.seqs[0], count_only, &n, &walk, NULL);
		free(copy);
		if (r == 0)
			boundaries++;
		else if (r == -EBADMSG)
			bad++;
		else
			fail_msg("cut at %zu: %d", cut, r);
	}
	assert_true(bad > 0);
	assert_true(boundaries > 0);
	free(rec.bin);
}

static uint64_t rnd_state = 0x243f6a8885a308d3ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* Flipped bytes in a real buffer: any result but a crash. */
static void test_recorded_corrupted(void **state)
{
	struct recording rec;
	size_t len;
	unsigned i;

	(void)state;
	load_recording(&rec, "busy-host", "inet6");
	len = rec.lens[0] < 4096 ? rec.lens[0] : 4096;
	for (i = 0; i < 3000; i++) {
		uint8_t *copy = malloc(len);
		struct twa_diag_walk walk = { 0 };
		uint64_t n = 0;
		unsigned k, flips = 1 + (unsigned)(rnd() % 4);
		int r;

		assert_non_null(copy);
		memcpy(copy, rec.bin, len);
		for (k = 0; k < flips; k++)
			copy[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
		r = twa_diag_parse(copy, len, rec.seqs[0], count_only, &n, &walk, NULL);
		assert_true(r <= 0);
		free(copy);
	}
	free(rec.bin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_across_buffers),
		cmocka_unit_test(test_done_variants),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_dump_intr),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_unaligned_tail),
		cmocka_unit_test(test_recorded_inet),
		cmocka_unit_test(test_recorded_inet6),
		cmocka_unit_test(test_recorded_truncated),
		cmocka_unit_test(test_recorded_corrupted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
