/* SPDX-License-Identifier: MIT */
/* netlink.c - inet_diag dumps over NETLINK_SOCK_DIAG. */
#include "advisor/inspect/netlink.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

int twa_nl_open(struct twa_nl *nl, struct twa_err *err)
{
	nl->seq = 0;
	nl->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl->fd < 0)
		return twa_err_set(err, -EIO, "netlink sock_diag unavailable: %s",
				   strerror(errno));
	return 0;
}

void twa_nl_close(struct twa_nl *nl)
{
	if (nl && nl->fd >= 0) {
		close(nl->fd);
		nl->fd = -1;
	}
}

int twa_nl_dump_raw(struct twa_nl *nl, int family, unsigned states,
		    twa_nl_buf_cb cb, void *ctx, struct twa_err *err)
{
	union {
		struct {
			struct nlmsghdr nlh;
			struct inet_diag_req_v2 req;
		} v2;
		struct {
			struct nlmsghdr nlh;
			struct inet_diag_req req;
		} compat;
	} msg;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	_Alignas(struct nlmsghdr) char buf[TWA_NL_BUF];
	size_t len;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	if (family == TWA_NL_ANY_FAMILY) {
		/* inet_diag_dump_compat(): sdiag_family AF_UNSPEC, protocol
		 * from the message type; idiag_family is not a filter. */
		len = sizeof(msg.compat);
		msg.compat.nlh.nlmsg_type = TCPDIAG_GETSOCK;
		msg.compat.req.idiag_family = AF_INET;
		msg.compat.req.idiag_states = states;
	} else {
		len = sizeof(msg.v2);
		msg.v2.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
		msg.v2.req.sdiag_family = (uint8_t)family;
		msg.v2.req.sdiag_protocol = IPPROTO_TCP;
		msg.v2.req.idiag_states = states;
	}
	msg.v2.nlh.nlmsg_len = (uint32_t)len;
	msg.v2.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.v2.nlh.nlmsg_seq = ++nl->seq;
	if (sendto(nl->fd, &msg, len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return twa_err_set(err, -EIO, "netlink: cannot send dump request: %s",
				   strerror(errno));
	for (;;) {
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		int r;

		n = recvmsg(nl->fd, &mh, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return twa_err_set(err, -EIO, "netlink: receive failed: %s",
					   strerror(errno));
		}
		if (mh.msg_flags & MSG_TRUNC)
			return twa_err_set(err, -EBADMSG, "netlink: message truncated");
		if (!n)
			return twa_err_set(err, -EBADMSG,
					   "netlink: dump ended without NLMSG_DONE");
		r = cb(buf, (size_t)n, nl->seq, ctx);
		if (r)
			return r < 0 ? r : 0;
	}
}

struct parse_ctx {
	twa_sock_cb sock_cb;
	void *ctx;
	struct twa_diag_walk *walk;
	struct twa_err *err;
};

/* Returns 1 to stop at NLMSG_DONE. */
static int parse_buf(const void *buf, size_t len, uint32_t seq, void *ctx)
{
	struct parse_ctx *pc = ctx;
	int r = twa_diag_parse(buf, len, seq, pc->sock_cb, pc->ctx, pc->walk,
			       pc->err);

	if (r < 0)
		return r;
	return pc->walk->done ? 1 : 0;
}

int twa_nl_dump(struct twa_nl *nl, int family, unsigned states,
		twa_sock_cb sock_cb, void *ctx, struct twa_diag_walk *walk,
		struct twa_err *err)
{
	struct parse_ctx pc = { sock_cb, ctx, walk, err };

	memset(walk, 0, sizeof(*walk));
	return twa_nl_dump_raw(nl, family, states, parse_buf, &pc, err);
}
