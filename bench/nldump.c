/* SPDX-License-Identifier: MIT */
/* nldump.c - the bench's baseline: a bare inet_diag dump that only counts states.
 *
 *   nldump [--total]
 *
 * One NETLINK_SOCK_DIAG dump of TCP sockets per family (AF_INET, then
 * AF_INET6), states ESTABLISHED..NEW_SYN_RECV, no extensions requested, received into a 32 KiB
 * buffer (the kernel never builds a dump message larger than that), each
 * message's idiag_state counted, nothing else looked at. Prints "STATE
 * COUNT" per non-empty state and "total N"; --total prints only N.
 *
 * Deliberately self-contained: it uses nothing from libtwadvise, so it is an
 * honest lower bound for what `twadvise inspect` spends on the same dump.
 * Exit 0, or 1 with a message when the dump fails or the kernel says it was
 * interrupted (NLM_F_DUMP_INTR) three times in a row.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#define BUF_SIZE 32768
#define ATTEMPTS 3
#define NSTATES 13	/* TCP_ESTABLISHED (1) .. TCP_NEW_SYN_RECV (12) */

static const char *const state_names[NSTATES] = {
	"UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
	"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN",
	"CLOSING", "NEW_SYN_RECV",
};

/* Counts one family's dump into counts. Returns 0, 1 when the kernel
 * flagged the dump inconsistent, -1 on failure (message printed), or
 * -ENOENT when the kernel has no such family (IPv6 disabled). */
static int dump(int fd, int family, uint32_t seq, uint64_t *counts)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	_Alignas(struct nlmsghdr) char buf[BUF_SIZE];
	int intr = 0;

	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.nlh.nlmsg_seq = seq;
	msg.req.sdiag_family = (uint8_t)family;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	/* States 1..12 only, as twadvise asks. Not ~0u: since Linux 6.8 bit 13
	 * is the pseudo-state TCP_BOUND_INACTIVE, which makes the kernel also
	 * walk the whole bind hash table (about 50 ms here) for bound-only
	 * sockets. */
	msg.req.idiag_states = (1u << NSTATES) - 2;
	if (sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		fprintf(stderr, "nldump: cannot send dump request: %s\n",
			strerror(errno));
		return -1;
	}
	for (int guard = 0; guard < 1 << 24; guard++) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
		size_t left;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "nldump: receive failed: %s\n", strerror(errno));
			return -1;
		}
		if (n == 0) {
			fprintf(stderr, "nldump: dump ended without NLMSG_DONE\n");
			return -1;
		}
		left = (size_t)n;
		for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = 1;
			if (h->nlmsg_type == NLMSG_DONE)
				return intr;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					continue;
				if (e->error == -ENOENT && family == AF_INET6)
					return -ENOENT;
				if (e->error) {
					fprintf(stderr, "nldump: kernel refused the dump: %s\n",
						strerror(-e->error));
					return -1;
				}
				continue;
			}
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				continue;
			uint8_t st = ((const struct inet_diag_msg *)NLMSG_DATA(h))->idiag_state;

			counts[st < NSTATES ? st : 0]++;
		}
	}
	fprintf(stderr, "nldump: dump did not end\n");
	return -1;
}

int main(int argc, char **argv)
{
	static const int families[] = { AF_INET, AF_INET6 };
	uint64_t counts[NSTATES], total = 0;
	uint32_t seq = 0;
	int only_total = argc > 1 && !strcmp(argv[1], "--total");
	int fd, attempt, r = 0;

	if (argc > 2 || (argc == 2 && !only_total)) {
		fprintf(stderr, "usage: nldump [--total]\n");
		return 64;
	}
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0) {
		fprintf(stderr, "nldump: netlink sock_diag unavailable: %s\n",
			strerror(errno));
		return 1;
	}
	for (attempt = 0; attempt < ATTEMPTS; attempt++) {
		int intr = 0;

		memset(counts, 0, sizeof(counts));
		for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
			r = dump(fd, families[i], ++seq, counts);
			if (r == -ENOENT)
				r = 0;
			if (r < 0)
				break;
			intr |= r;
		}
		if (r < 0 || !intr)
			break;
	}
	close(fd);
	if (r < 0)
		return 1;
	if (attempt == ATTEMPTS) {
		fprintf(stderr, "nldump: dump interrupted %d times in a row\n", ATTEMPTS);
		return 1;
	}
	for (int st = 0; st < NSTATES; st++) {
		total += counts[st];
		if (counts[st] && !only_total)
			printf("%s %llu\n", state_names[st], (unsigned long long)counts[st]);
	}
	if (only_total)
		printf("%llu\n", (unsigned long long)total);
	else
		printf("total %llu\n", (unsigned long long)total);
	return 0;
}
