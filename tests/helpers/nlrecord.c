/* SPDX-License-Identifier: MIT */
/* nlrecord.c - record raw inet_diag dumps (NETLINK_SOCK_DIAG) to files that unit tests replay.
 *
 *   nlrecord [--states MASK] OUTBASE
 *
 * Run it inside a private network namespace (unshare -n) filled by sockgen.
 * For each family it writes two files:
 *
 *   OUTBASE.inet.bin, OUTBASE.inet6.bin
 *       every buffer one recvmsg() returned during the dump, concatenated
 *       byte for byte, NLMSG_DONE included. Each buffer holds whole
 *       netlink messages, so the file is itself a valid message stream.
 *   OUTBASE.inet.bufs, OUTBASE.inet6.bufs   (the sidecar)
 *       '#' comment lines, then one line per buffer, in order:
 *       "LEN SEQ" - the byte length of that recvmsg() buffer and the
 *       sequence number of the dump request it answers. The lengths add
 *       up to the size of the .bin file, so a test can replay each
 *       buffer separately, exactly as twa_nl_dump() saw it.
 *
 * MASK is the TWA_TCPF() state mask asked for (default: every state).
 * On stdout it prints the per-state counts it parsed, one "FAMILY STATE N"
 * line per non-zero state, the format of the fixtures' .ss.txt files, so
 * they can be compared with ss at recording time. Exit 0, or 1 with a
 * message on stderr.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/facts/addr.h"
#include "advisor/inspect/diag.h"
#include "advisor/inspect/netlink.h"
#include "advisor/util/parse.h"
#include "advisor/facts/tcpstate.h"

struct rec {
	FILE *bin, *bufs;
	uint64_t states[TWA_TCP_STATE_MAX];
	struct twa_diag_walk walk;
	struct twa_err err;
	unsigned nbufs;
};

static int count_sock(const struct twa_sock *s, void *ctx)
{
	struct rec *rc = ctx;

	rc->states[s->state]++;
	return 0;
}

/* Save the buffer first, then parse it: stop (1) once NLMSG_DONE is seen. */
static int on_buf(const void *buf, size_t len, uint32_t seq, void *ctx)
{
	struct rec *rc = ctx;
	int r;

	if (fwrite(buf, 1, len, rc->bin) != len ||
	    fprintf(rc->bufs, "%zu %" PRIu32 "\n", len, seq) < 0)
		return twa_err_set(&rc->err, -EIO, "write failed: %s", strerror(errno));
	rc->nbufs++;
	r = twa_diag_parse(buf, len, seq, count_sock, rc, &rc->walk, &rc->err);
	if (r < 0)
		return r;
	return rc->walk.done ? 1 : 0;
}

static int record_family(struct twa_nl *nl, int family, const char *name,
			 const char *base, unsigned states)
{
	char path[4096];
	struct rec rc;
	unsigned st;
	int r;

	memset(&rc, 0, sizeof(rc));
	snprintf(path, sizeof(path), "%s.%s.bin", base, name);
	rc.bin = fopen(path, "wb");
	snprintf(path, sizeof(path), "%s.%s.bufs", base, name);
	rc.bufs = fopen(path, "w");
	if (!rc.bin || !rc.bufs) {
		fprintf(stderr, "nlrecord: cannot create %s: %s\n", path, strerror(errno));
		r = -EIO;
		goto out;
	}
	fprintf(rc.bufs, "# nlrecord: %s inet_diag dump, states mask 0x%x\n"
		"# one line per recvmsg() buffer: LEN SEQ\n", name, states);
	r = twa_nl_dump_raw(nl, family, states, on_buf, &rc, &rc.err);
	if (r < 0) {
		fprintf(stderr, "nlrecord: %s dump: %s\n", name, rc.err.msg);
		goto out;
	}
	if (!rc.walk.done) {
		fprintf(stderr, "nlrecord: %s dump ended without NLMSG_DONE\n", name);
		r = -EIO;
		goto out;
	}
	if (rc.walk.interrupted)
		fprintf(stderr, "nlrecord: warning: %s dump flagged NLM_F_DUMP_INTR\n", name);
	for (st = 1; st < TWA_TCP_STATE_MAX; st++)
		if (rc.states[st])
			printf("%s %s %" PRIu64 "\n", name, twa_tcp_state_name(st),
			       rc.states[st]);
	fprintf(stderr, "nlrecord: %s: %" PRIu64 " sockets in %u buffers\n", name,
		rc.walk.sockets, rc.nbufs);
out:
	if (rc.bin && fclose(rc.bin) != 0 && r == 0)
		r = -EIO;
	if (rc.bufs && fclose(rc.bufs) != 0 && r == 0)
		r = -EIO;
	return r;
}

int main(int argc, char **argv)
{
	unsigned states = TWA_TCPF_ALL;
	struct twa_err err = { 0 };
	struct twa_nl nl;
	const char *base;
	int r;

	if (argc == 4 && !strcmp(argv[1], "--states")) {
		uint64_t v;

		if (twa_parse_u64_str(argv[2], &v) < 0 || !v || v > TWA_TCPF_ALL) {
			fprintf(stderr, "nlrecord: bad --states '%s'\n", argv[2]);
			return 64;
		}
		states = (unsigned)v;
		base = argv[3];
	} else if (argc == 2 && argv[1][0] != '-') {
		base = argv[1];
	} else {
		fprintf(stderr, "usage: nlrecord [--states MASK] OUTBASE\n");
		return 64;
	}
	if (twa_nl_open(&nl, &err) < 0) {
		fprintf(stderr, "nlrecord: %s\n", err.msg);
		return 1;
	}
	r = record_family(&nl, TWA_AF_INET, "inet", base, states);
	if (r == 0)
		r = record_family(&nl, TWA_AF_INET6, "inet6", base, states);
	twa_nl_close(&nl);
	return r < 0 ? 1 : 0;
}
