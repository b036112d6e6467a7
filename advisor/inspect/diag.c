/* SPDX-License-Identifier: MIT */
/* diag.c - parsing inet_diag netlink messages from a byte buffer. */
#include "advisor/inspect/diag.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "advisor/facts/addr.h"
#include "advisor/facts/tcpstate.h"

static int diag_to_sock(const struct inet_diag_msg *m, struct twa_sock *s)
{
	memset(s, 0, sizeof(*s));
	if (m->idiag_family != TWA_AF_INET && m->idiag_family != TWA_AF_INET6)
		return -EBADMSG;
	if (!m->idiag_state || m->idiag_state >= TWA_TCP_STATE_MAX)
		return -EBADMSG;
	s->family = m->idiag_family;
	s->state = m->idiag_state;
	s->timer = m->idiag_timer;
	s->sport = (uint16_t)(((const uint8_t *)&m->id.idiag_sport)[0] << 8 |
			      ((const uint8_t *)&m->id.idiag_sport)[1]);
	s->dport = (uint16_t)(((const uint8_t *)&m->id.idiag_dport)[0] << 8 |
			      ((const uint8_t *)&m->id.idiag_dport)[1]);
	memcpy(s->src, m->id.idiag_src, 16);
	memcpy(s->dst, m->id.idiag_dst, 16);
	s->rqueue = m->idiag_rqueue;
	s->wqueue = m->idiag_wqueue;
	/* For LISTEN, inet_diag reports sk_ack_backlog in rqueue and
	 * sk_max_ack_backlog in wqueue (net/ipv4/tcp_diag.c). */
	s->have_backlog = m->idiag_state == TWA_TCP_LISTEN;
	s->inode = m->idiag_inode;
	s->expires_ms = m->idiag_expires;
	return 0;
}

/* Only -4095..-1 are errnos (MAX_ERRNO): anything else in an NLMSG_DONE
 * status or an NLMSG_ERROR is a malformed message, and -INT32_MIN does
 * not exist. */
#define IS_ERRNO(e) ((e) < 0 && (e) >= -4095)

/* NLMSG_DONE: the dump's end, with its status. msg is the whole message. */
static int on_done(const uint8_t *msg, size_t mlen, struct twa_diag_walk *walk,
		   struct twa_err *err)
{
	int32_t status = 0;

	if (mlen >= sizeof(struct nlmsghdr) + sizeof(status))
		memcpy(&status, msg + sizeof(struct nlmsghdr), sizeof(status));
	walk->done = true;
	if (status < 0 && !IS_ERRNO(status))
		return twa_err_set(err, -EBADMSG,
				   "netlink: dump ended with status %" PRId32 ", not an errno",
				   status);
	if (status < 0)
		return twa_err_set(err, status, "netlink: dump ended with error %d", -status);
	return 0;
}

/* NLMSG_ERROR: an error, or an acknowledgement (0) to go past. */
static int on_error(const uint8_t *msg, size_t mlen, struct twa_err *err)
{
	struct nlmsgerr e;

	if (mlen < sizeof(struct nlmsghdr) + sizeof(e.error))
		return twa_err_set(err, -EBADMSG, "netlink: truncated error message");
	memcpy(&e.error, msg + sizeof(struct nlmsghdr), sizeof(e.error));
	if (e.error < 0 && !IS_ERRNO(e.error))
		return twa_err_set(err, -EBADMSG, "netlink: error message with %d, not an errno",
				   e.error);
	if (e.error < 0)
		return twa_err_set(err, e.error, "netlink: kernel refused the dump (error %d)",
				   -e.error);
	return 0;
}

/* The attributes after the message: INET_DIAG_SOCKOPT's
 * bind_address_no_port (filled by inet_diag_msg_attrs_fill() for every
 * full socket since 5.10). A malformed attribute ends the walk: the
 * message itself stays good. */
static void on_attrs(const uint8_t *p, size_t len, struct twa_sock *s)
{
	while (len >= NLA_HDRLEN) {
		struct nlattr a;
		size_t step;

		memcpy(&a, p, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > len)
			return;
		if ((a.nla_type & NLA_TYPE_MASK) == INET_DIAG_SOCKOPT &&
		    a.nla_len >= NLA_HDRLEN + sizeof(struct inet_diag_sockopt)) {
			struct inet_diag_sockopt o;

			memcpy(&o, p + NLA_HDRLEN, sizeof(o));
			s->bind_no_port = o.bind_address_no_port;
		}
		step = (size_t)NLA_ALIGN(a.nla_len);
		if (step >= len)
			return;
		p += step;
		len -= step;
	}
}

/* One inet_diag_msg, handed to cb as a twa_sock. */
static int on_sock(const uint8_t *msg, size_t mlen, twa_sock_cb cb, void *ctx,
		   struct twa_diag_walk *walk, struct twa_err *err)
{
	struct inet_diag_msg m;
	struct twa_sock s;

	if (mlen < sizeof(struct nlmsghdr) + sizeof(m))
		return twa_err_set(err, -EBADMSG,
				   "netlink: truncated inet_diag message (%zu bytes)", mlen);
	memcpy(&m, msg + sizeof(struct nlmsghdr), sizeof(m));
	if (diag_to_sock(&m, &s) < 0)
		return twa_err_set(err, -EBADMSG,
				   "netlink: bad inet_diag message (family %u, state %u)",
				   m.idiag_family, m.idiag_state);
	{
		size_t head = NLMSG_ALIGN(sizeof(struct nlmsghdr) + sizeof(m));

		if (mlen > head)
			on_attrs(msg + head, mlen - head, &s);
	}
	walk->sockets++;
	return cb(&s, ctx);
}

int twa_diag_parse(const void *buf, size_t len, uint32_t seq, twa_sock_cb cb,
		   void *ctx, struct twa_diag_walk *walk, struct twa_err *err)
{
	const uint8_t *p = buf;
	size_t off = 0;

	while (off < len) {
		struct nlmsghdr h;
		size_t mlen;
		int r;

		if (len - off < sizeof(h))
			return twa_err_set(err, -EBADMSG,
					   "netlink: truncated message header at byte %zu",
					   off);
		memcpy(&h, p + off, sizeof(h));
		mlen = h.nlmsg_len;
		if (mlen < sizeof(h) || mlen > len - off)
			return twa_err_set(err, -EBADMSG,
					   "netlink: bad message length %zu at byte %zu",
					   mlen, off);
		if (h.nlmsg_seq != seq)
			return twa_err_set(err, -EBADMSG,
					   "netlink: unexpected sequence number %u (want %u)",
					   h.nlmsg_seq, seq);
		if (h.nlmsg_flags & NLM_F_DUMP_INTR)
			walk->interrupted = true;
		if (h.nlmsg_type == NLMSG_DONE)
			return on_done(p + off, mlen, walk, err);
		if (h.nlmsg_type == NLMSG_ERROR)
			r = on_error(p + off, mlen, err);
		/* The one-walk (compat) dump answers with its request type. */
		else if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY || h.nlmsg_type == TCPDIAG_GETSOCK)
			r = on_sock(p + off, mlen, cb, ctx, walk, err);
		else
			r = twa_err_set(err, -EBADMSG, "netlink: unexpected message type %u",
					h.nlmsg_type);
		if (r < 0)
			return r;
		off += NLMSG_ALIGN(mlen) < len - off ? NLMSG_ALIGN(mlen) : len - off;
	}
	return 0;
}
