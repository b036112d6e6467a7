/* SPDX-License-Identifier: MIT */
/* rules_timewait.c - rules about TIME_WAIT, its reuse, and FIN_WAIT2. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/rules/rule_helpers.h"
#include "advisor/rules/rule_trace.h"
#include "advisor/rules/rules_builtin.h"

/* ---- time-wait-volume -------------------------------------------------- */

static const char explain_time_wait_volume[] =
	"TIME_WAIT is the state a TCP endpoint enters after it has sent the last ACK of a\n"
	"connection that it closed first (active close). It is normal and necessary: it\n"
	"lets delayed segments of the old connection die out (RFC 9293, 2*MSL) and lets the\n"
	"final ACK be retransmitted if the peer's FIN comes again. Linux keeps a TIME_WAIT\n"
	"socket for a fixed 60 seconds (TCP_TIMEWAIT_LEN in include/net/tcp.h); no sysctl\n"
	"shortens it. A TIME_WAIT socket is a small minisock (struct tcp_timewait_sock, a\n"
	"few hundred bytes) with no file descriptor and no buffers.\n"
	"\n"
	"Whoever closes first holds TIME_WAIT. A server that closes its client connections\n"
	"first (HTTP/1.0, Connection: close) holds one per closed connection: at 1000\n"
	"connections per second, about 60000 at any moment. That is harmless. TIME_WAIT\n"
	"hurts in two cases only: when, on the side that opened the connections, it pins\n"
	"the ephemeral ports toward one destination so connect() fails with EADDRNOTAVAIL\n"
	"(rule ephemeral-exhaustion), and when the namespace's tcp_max_tw_buckets is\n"
	"reached, after which closing sockets skip TIME_WAIT (rule time-wait-overflow).\n"
	"\n"
	"Evidence: the TIME_WAIT count (netlink inet_diag, or /proc/net/sockstat 'tw', which\n"
	"also counts FIN_WAIT2 sockets kept as timewait minisocks), how many sit on\n"
	"ephemeral local ports (connections this host opened), net.ipv4.tcp_max_tw_buckets.\n"
	"\n"
	"Severity: info from 'info' sockets (default 10000), to explain them; warning when\n"
	"TIME_WAIT fills 'bucket_warning' (default 80%) of tcp_max_tw_buckets, proposing the\n"
	"larger of twice the limit and the TIME_WAIT present plus headroom (half again, at\n"
	"least 1024): never a limit below the sockets already there. When time-wait-overflow\n"
	"proposes too, the engine keeps one target, the larger.\n"
	"\n"
	"What to do: usually nothing. To have fewer, open fewer connections: keep-alive and\n"
	"connection pools. If the server should not hold them, let the client close first.\n"
	"\n"
	"What not to do: do not lower tcp_fin_timeout (it governs orphaned FIN_WAIT2, not\n"
	"TIME_WAIT); do not look for tcp_tw_recycle (removed in Linux 4.12, it broke clients\n"
	"behind NAT); do not lower tcp_max_tw_buckets to 'clean up' (the kernel then skips\n"
	"TIME_WAIT, exposing new connections to old duplicates); do not kill TIME_WAIT\n"
	"sockets with 'ss -K' or SO_LINGER 0 resets to work around a design issue.\n"
	"\n"
	"Sources: include/net/tcp.h (TCP_TIMEWAIT_LEN); net/ipv4/tcp_minisocks.c\n"
	"(tcp_time_wait); Documentation/networking/ip-sysctl.rst (tcp_max_tw_buckets,\n"
	"tcp_fin_timeout); RFC 9293 section 3.6.\n";

static int rule_time_wait_volume_snapshot(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	uint64_t tw = twa_facts_state(f, TWA_TCP_TIME_WAIT);
	int64_t buckets = 0;
	bool have_buckets = rule_sysctl_i64(f, "net.ipv4.tcp_max_tw_buckets", &buckets);
	char held[160] = "";

	RULE_OOM(rule_ev_state(out, f, TWA_TCP_TIME_WAIT));
	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_max_tw_buckets"));
	if (f->ephemeral.present && f->ephemeral.dumped) {
		RULE_OOM(twa_finding_evidence(out, "TIME_WAIT on ephemeral local ports",
					      f->sockets.source, "%" PRIu64,
					      f->ephemeral.time_wait));
		snprintf(held, sizeof(held),
			 " (%" PRIu64 " from connections this host opened, %" PRIu64
			 " from connections it accepted)", f->ephemeral.time_wait,
			 tw > f->ephemeral.time_wait ? tw - f->ephemeral.time_wait : 0);
	}
	if (have_buckets && buckets > 0 &&
	    (double)tw >= twa_rule_param(ctx, "bucket_warning") * (double)buckets) {
		char to[32];

		out->severity = TWA_SEV_WARNING;
		twa_finding_summary(out, "%" PRIu64 " TIME_WAIT sockets fill %.0f%% of tcp_max_tw_buckets (%" PRId64
				    "): past it, closing sockets skip TIME_WAIT", tw,
				    100.0 * (double)tw / (double)buckets, buckets);
		snprintf(to, sizeof(to), "%" PRIu64, rule_tw_buckets_target(f, buckets, 0));
		RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_max_tw_buckets",
					    twa_facts_sysctl(f, "net.ipv4.tcp_max_tw_buckets"), to));
		twa_finding_recommend(out, "Raise net.ipv4.tcp_max_tw_buckets (each TIME_WAIT socket is a few hundred bytes of kernel memory), and open fewer connections: keep-alive, connection pools.");
		return 0;
	}
	if ((double)tw >= twa_rule_param(ctx, "info")) {
		out->severity = TWA_SEV_INFO;
		twa_finding_summary(out, "%" PRIu64 " sockets in TIME_WAIT%s: normal for the side that closes first; each lasts a fixed 60 s",
				    tw, held);
		twa_finding_recommend(out, "Nothing to fix by itself: TIME_WAIT cannot be shortened or safely deleted. It only matters when it pins the ephemeral ports toward one destination (see ephemeral-exhaustion) or fills tcp_max_tw_buckets. Lowering tcp_fin_timeout does not affect it.");
	}
	return 0;
}

/* What the socket table shows, then what the tracer saw (check --trace). */
static int rule_time_wait_volume(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	int r = rule_time_wait_volume_snapshot(ctx, out);

	if (r < 0)
		return r;
	RULE_OOM(rule_trace_active_closers(ctx->facts, out));
	return r;
}

const struct twa_rule_entry twa_rule_time_wait_volume_entry = {
	.rule = &twa_rules[TWA_RULE_TIME_WAIT_VOLUME],
	.explain = explain_time_wait_volume,
	.eval = rule_time_wait_volume,
};

/* ---- time-wait-overflow ------------------------------------------------ */

static const char explain_time_wait_overflow[] =
	"When a socket should enter TIME_WAIT but the network namespace already holds\n"
	"net.ipv4.tcp_max_tw_buckets timewait sockets, the kernel skips TIME_WAIT: the\n"
	"socket is closed at once and the TcpExt counter TCPTimeWaitOverflow grows\n"
	"(tcp_time_wait() in net/ipv4/tcp_minisocks.c; inet_twsk_alloc() refuses when\n"
	"tw_refcount reaches the limit). Current kernels print nothing to the kernel log\n"
	"for this: read the counter, not dmesg. The default limit is half the size of\n"
	"the established-connections hash table, and it is per network namespace.\n"
	"\n"
	"Skipping TIME_WAIT removes its protection: a late segment of the old connection\n"
	"can be accepted by a new connection on the same 4-tuple, and a lost final ACK\n"
	"gets a reset instead of a retransmission.\n"
	"\n"
	"Evidence: TCPTimeWaitOverflow (/proc/net/netstat, since boot or since the\n"
	"namespace was created), its rate with --samples, else its increase since the\n"
	"last check (the counter history, see --no-history), TIME_WAIT count,\n"
	"tcp_max_tw_buckets.\n"
	"\n"
	"Severity (kind: health): critical when it grew during a --samples run (it is\n"
	"happening now); warning when it grew since the last check; info when it is\n"
	"above zero with nothing to compare with (first check, reboot, counter reset,\n"
	"--no-history) or stood still during --samples.\n"
	"\n"
	"What to do: raise tcp_max_tw_buckets (the kernel's documentation: 'you must not\n"
	"lower the limit artificially, but rather increase it'), and reduce connection\n"
	"churn: keep-alive, pooling.\n"
	"\n"
	"What not to do: lower it, or treat the kernel log's silence as health.\n"
	"\n"
	"Sources: net/ipv4/tcp_minisocks.c (tcp_time_wait), net/ipv4/inet_timewait_sock.c\n"
	"(inet_twsk_alloc), Documentation/networking/ip-sysctl.rst (tcp_max_tw_buckets).\n";

static int rule_time_wait_overflow(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	int64_t buckets = 0;
	struct rule_rise ov;
	char to[32], what[160];

	rule_counter_rise(f, "TCPTimeWaitOverflow", &ov);
	RULE_OOM(rule_ev_rise(out, "TCPTimeWaitOverflow", &ov));
	out->severity = rule_rise_severity(&ov);
	if (out->severity == TWA_SEV_OK)
		return 0;
	RULE_OOM(rule_ev_state(out, f, TWA_TCP_TIME_WAIT));
	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_max_tw_buckets"));
	rule_sysctl_i64(f, "net.ipv4.tcp_max_tw_buckets", &buckets);
	rule_rise_phrase(&ov, "closing sockets skipped TIME_WAIT", what, sizeof(what));
	if (out->severity == TWA_SEV_CRITICAL)
		twa_finding_summary(out, "closing sockets are skipping TIME_WAIT now (%.1f/s, %" PRId64
				    " since boot): tcp_max_tw_buckets (%" PRId64 ") is full", ov.rate,
				    ov.total, buckets);
	else
		twa_finding_summary(out, "%s because tcp_max_tw_buckets (%" PRId64 ") was full",
				    what, buckets);
	if (buckets >= 0) {
		uint64_t tw = twa_facts_state(f, TWA_TCP_TIME_WAIT);
		uint64_t base = (uint64_t)buckets > tw ? (uint64_t)buckets : tw;

		snprintf(to, sizeof(to), "%" PRIu64,
			 rule_tw_buckets_target(f, buckets, base < 65536 ? 131072 : base * 2));
		RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_max_tw_buckets",
					    twa_facts_sysctl(f, "net.ipv4.tcp_max_tw_buckets"), to));
	}
	twa_finding_recommend(out, "Raise net.ipv4.tcp_max_tw_buckets so closing connections keep their TIME_WAIT protection; open fewer connections (keep-alive, pooling). The kernel logs nothing for this: watch TCPTimeWaitOverflow.");
	return 0;
}

const struct twa_rule_entry twa_rule_time_wait_overflow_entry = {
	.rule = &twa_rules[TWA_RULE_TIME_WAIT_OVERFLOW],
	.explain = explain_time_wait_overflow,
	.eval = rule_time_wait_overflow,
};

/* ---- tw-reuse-off ------------------------------------------------------ */

static const char explain_tw_reuse_off[] =
	"net.ipv4.tcp_tw_reuse lets connect() take over a TIME_WAIT socket of the same\n"
	"4-tuple for a new outgoing connection when that is safe. tcp_twsk_unique() in\n"
	"net/ipv4/tcp_ipv4.c (IPv6 uses the same function) allows it when all hold:\n"
	"  - tcp_tw_reuse is 1, or 2 and the pair is loopback: the TIME_WAIT socket's\n"
	"    local or remote address is 127.0.0.0/8, ::1 or v4-mapped 127.0.0.0/8, or it\n"
	"    is bound to lo. A connection to one of the host's own non-loopback\n"
	"    addresses goes through lo but does not count;\n"
	"  - the TIME_WAIT socket carries the peer's timestamp (tcp_timestamps on both\n"
	"    ends), so PAWS tells old segments from new ones;\n"
	"  - it is older than tcp_tw_reuse_delay ms (1000 by default; kernels before\n"
	"    6.13 lack the knob and wait about a second since the last timestamp).\n"
	"Each reuse counts in TcpExt TWRecycled. Values: 0 off, 1 on, 2 loopback only\n"
	"(the default since 4.18).\n"
	"\n"
	"It helps only the side that opens connections and holds TIME_WAIT on its\n"
	"ephemeral ports: a proxy toward its upstreams, a client toward a database. It\n"
	"does nothing for a server accepting connections, and an explicit bind() with\n"
	"SO_REUSEADDR bypasses it. It needs net.ipv4.tcp_timestamps (see\n"
	"tw-reuse-without-timestamps).\n"
	"\n"
	"Evidence: tcp_tw_reuse, the profile's wanted value, the TIME_WAIT sockets on\n"
	"ephemeral ports toward the destination where reuse does not apply now,\n"
	"whether the pair is loopback, and TWRecycled.\n"
	"\n"
	"Severity: warning when the profile wants a value the host does not have, or when\n"
	"tcp_tw_reuse=1 would change what the kernel may reuse (it is 0, or 2 toward a\n"
	"non-loopback destination) while TIME_WAIT holds 'tw_share' (default 25%) of\n"
	"the range toward that destination. With tcp_tw_reuse=2 and only loopback\n"
	"destinations, 1 changes nothing and is not proposed.\n"
	"\n"
	"What to do: tcp_tw_reuse=1 on hosts that open many short outgoing connections.\n"
	"What not to do: confuse it with the removed tcp_tw_recycle; expect it to help a\n"
	"server with inbound connections.\n"
	"\n"
	"Sources: Documentation/networking/ip-sysctl.rst (tcp_tw_reuse,\n"
	"tcp_tw_reuse_delay); net/ipv4/tcp_ipv4.c (tcp_twsk_unique);\n"
	"net/ipv4/inet_hashtables.c (__inet_check_established, __inet_hash_connect);\n"
	"net/ipv6/inet6_hashtables.c (__inet6_check_established).\n";

/* The destination with the most TIME_WAIT among those where tcp_tw_reuse=1
 * would change reusability, or NULL; its model in ret. */
static const struct twa_destination *reuse_would_help(const struct twa_facts *f,
						      struct rule_port_model *ret)
{
	const struct twa_destination *best = NULL;
	struct rule_port_model m;
	size_t i;

	for (i = 0; i < f->ephemeral.n_dest; i++) {
		const struct twa_destination *d = &f->ephemeral.dest[i];

		rule_port_model(f, d, &m);
		if (rule_reuse1_changes(&m) && (!best || d->time_wait > best->time_wait)) {
			best = d;
			*ret = m;
		}
	}
	return best;
}

static int rule_tw_reuse_off(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	const struct twa_destination *d;
	char dst[TWA_ADDRPORTSTRLEN];
	struct rule_port_model m;
	char desc[512];
	bool recycling;
	int r;

	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_tw_reuse"));
	r = rule_want_mismatch(ctx, "net.ipv4.tcp_tw_reuse", out, desc, sizeof(desc));
	if (r < 0)
		return r;
	if (r) {
		out->severity = TWA_SEV_WARNING;
		out->kind = TWA_KIND_COMPLIANCE;	/* the profile's want, no pressure measured */
		twa_finding_summary(out, "%s", desc);
		twa_finding_recommend(out, "With tcp_tw_reuse=1, connect() may take over a TIME_WAIT port toward the same destination once it is older than tcp_tw_reuse_delay, which needs TCP timestamps. It helps hosts that open many outgoing connections, not servers.");
		return 0;
	}
	d = reuse_would_help(f, &m);
	if (!d || !f->ephemeral.usable ||
	    (double)d->time_wait < twa_rule_param(ctx, "tw_share") * f->ephemeral.usable)
		return 0;
	out->severity = TWA_SEV_WARNING;
	RULE_OOM(twa_finding_evidence(out, "TIME_WAIT toward worst destination",
				      f->sockets.source, "%" PRIu64 " (%s, %s)",
				      d->time_wait, twa_addr_port(d->remote, d->remote_port, dst, sizeof(dst)),
				      d->loopback ? "loopback" : "not loopback"));
	RULE_OOM(rule_ev_tw_recycled(out, f, &recycling));
	if (m.reuse == 0)
		twa_finding_summary(out, "tcp_tw_reuse is 0 while TIME_WAIT holds %.0f%% of the ephemeral ports toward %s",
				    100.0 * (double)d->time_wait / f->ephemeral.usable, dst);
	else
		twa_finding_summary(out, "tcp_tw_reuse is 2 (loopback only) while TIME_WAIT holds %.0f%% of the ephemeral ports toward %s, which is not loopback",
				    100.0 * (double)d->time_wait / f->ephemeral.usable, dst);
	RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_tw_reuse",
				    twa_facts_sysctl(f, "net.ipv4.tcp_tw_reuse"), "1"));
	twa_finding_recommend(out, "Enable net.ipv4.tcp_tw_reuse=1 so outgoing connections can reuse TIME_WAIT ports safely (timestamps required).");
	return 0;
}

const struct twa_rule_entry twa_rule_tw_reuse_off_entry = {
	.rule = &twa_rules[TWA_RULE_TW_REUSE_OFF],
	.explain = explain_tw_reuse_off,
	.eval = rule_tw_reuse_off,
};

/* ---- tw-reuse-without-timestamps ---------------------------------------- */

static const char explain_tw_reuse_without_timestamps[] =
	"tcp_tw_reuse only reuses a TIME_WAIT socket whose connection carried TCP\n"
	"timestamps: tcp_twsk_unique() checks tw_ts_recent_stamp, because only the\n"
	"timestamps (PAWS, RFC 7323) let the new connection reject segments of the old\n"
	"one. With net.ipv4.tcp_timestamps=0 the kernel never sends them, so\n"
	"tcp_tw_reuse=1 silently does nothing.\n"
	"\n"
	"Evidence: tcp_tw_reuse (current, or the profile's wanted value) and\n"
	"tcp_timestamps.\n"
	"\n"
	"Severity: warning when tcp_tw_reuse is 1 and timestamps are off; info when it is\n"
	"2 (loopback only). Also a warning when the profile wants a tcp_timestamps value\n"
	"the host lacks.\n"
	"\n"
	"What to do: tcp_timestamps=1 (the default; 2 also sends timestamps, without the\n"
	"per-connection random offset). What not to do: turn timestamps off to hide the\n"
	"uptime: since Linux 4.10 each connection gets a random timestamp offset, and\n"
	"without timestamps the host also loses PAWS and precise RTT measurement.\n"
	"\n"
	"Sources: net/ipv4/tcp_ipv4.c (tcp_twsk_unique); Documentation/networking/\n"
	"ip-sysctl.rst (tcp_timestamps, tcp_tw_reuse); RFC 7323.\n";

static int rule_tw_reuse_without_timestamps(const struct twa_rule_ctx *ctx,
					    struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	const struct twa_sysctl_want *w = twa_profile_want(ctx->profile,
							   "net.ipv4.tcp_tw_reuse");
	int64_t reuse = 0, ts = 1;
	char desc[512];
	int r;

	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_tw_reuse"));
	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_timestamps"));
	r = rule_want_mismatch(ctx, "net.ipv4.tcp_timestamps", out, desc, sizeof(desc));
	if (r < 0)
		return r;
	rule_sysctl_i64(f, "net.ipv4.tcp_tw_reuse", &reuse);
	if (w && (w->has & TWA_WANT_VALUE) && !strcmp(w->value, "1"))
		reuse = 1;	/* what the host will have once the plan applies */
	if (!rule_sysctl_i64(f, "net.ipv4.tcp_timestamps", &ts) || ts != 0) {
		if (r) {
			out->severity = TWA_SEV_WARNING;
			out->kind = TWA_KIND_COMPLIANCE;
			twa_finding_summary(out, "%s", desc);
			twa_finding_recommend(out, "Set net.ipv4.tcp_timestamps as the profile wants; tcp_tw_reuse and PAWS rely on timestamps.");
		}
		return 0;
	}
	if (reuse == 0 && !r)
		return 0;
	out->kind = TWA_KIND_COMPLIANCE;	/* settings only: nothing measured fails */
	out->severity = reuse == 1 || r ? TWA_SEV_WARNING : TWA_SEV_INFO;
	if (reuse)
		twa_finding_summary(out, "tcp_tw_reuse=%" PRId64 " has no effect while tcp_timestamps=0: reuse needs the old connection's timestamps",
				    reuse);
	else
		twa_finding_summary(out, "%s", desc);
	RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_timestamps",
				    twa_facts_sysctl(f, "net.ipv4.tcp_timestamps"), "1"));
	twa_finding_recommend(out, "Turn TCP timestamps back on (net.ipv4.tcp_timestamps=1, the default); tcp_tw_reuse relies on them to tell old segments from new ones.");
	return 0;
}

const struct twa_rule_entry twa_rule_tw_reuse_without_timestamps_entry = {
	.rule = &twa_rules[TWA_RULE_TW_REUSE_WITHOUT_TIMESTAMPS],
	.explain = explain_tw_reuse_without_timestamps,
	.eval = rule_tw_reuse_without_timestamps,
};

/* ---- tw-recycle-enabled ------------------------------------------------- */

static const char explain_tw_recycle_enabled[] =
	"net.ipv4.tcp_tw_recycle made the kernel drop SYNs whose timestamp was lower than\n"
	"the last one seen from the same IP address. Behind NAT, many clients share one\n"
	"address with unrelated timestamp clocks, so their connections failed at random.\n"
	"It was removed in Linux 4.12 (commit 4396e46187ca, 'tcp: remove\n"
	"tcp_tw_recycle'); since 4.10 timestamps are randomized per connection, which made\n"
	"it unusable anyway.\n"
	"\n"
	"Evidence: whether /proc/sys/net/ipv4/tcp_tw_recycle exists and its value.\n"
	"\n"
	"Severity: critical when it exists and is not 0.\n"
	"\n"
	"What to do: set it to 0, and use tcp_tw_reuse=1 on the hosts that open the\n"
	"connections. What not to do: copy old tuning guides that recommend it.\n"
	"\n"
	"Sources: kernel commit 4396e46187ca (Linux 4.12); Documentation/networking/\n"
	"ip-sysctl.rst of 4.11 and earlier.\n";

static int rule_tw_recycle_enabled(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	int64_t v;

	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_tw_recycle"));
	if (!rule_sysctl_i64(f, "net.ipv4.tcp_tw_recycle", &v) || v == 0)
		return 0;
	out->severity = TWA_SEV_CRITICAL;
	twa_finding_summary(out, "tcp_tw_recycle is %" PRId64 ": clients behind NAT fail to connect at random", v);
	RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_tw_recycle",
				    twa_facts_sysctl(f, "net.ipv4.tcp_tw_recycle"), "0"));
	twa_finding_recommend(out, "Set net.ipv4.tcp_tw_recycle=0 (Linux 4.12 removed it). On hosts that open many outgoing connections use tcp_tw_reuse=1 instead.");
	return 0;
}

const struct twa_rule_entry twa_rule_tw_recycle_enabled_entry = {
	.rule = &twa_rules[TWA_RULE_TW_RECYCLE_ENABLED],
	.explain = explain_tw_recycle_enabled,
	.eval = rule_tw_recycle_enabled,
};

/* ---- fin-wait2-orphans -------------------------------------------------- */

static const char explain_fin_wait2_orphans[] =
	"FIN_WAIT2: this host closed its side (sent FIN, got the ACK) and waits for the\n"
	"peer's FIN. When the application has close()d the socket it is orphaned: no\n"
	"process can read it any more, and without a limit it could wait forever for a\n"
	"peer that never closes. net.ipv4.tcp_fin_timeout (default 60 s) is that limit:\n"
	"'the length of time an orphaned connection will remain in the FIN_WAIT_2 state\n"
	"before it is aborted'. That is its whole job. Up to 60 s the kernel keeps such\n"
	"sockets as timewait minisocks, which also count in /proc/net/sockstat 'tw' and\n"
	"against tcp_max_tw_buckets. A FIN_WAIT2 socket a process still holds (it called\n"
	"shutdown(SHUT_WR)) is not orphaned and tcp_fin_timeout does not apply to it.\n"
	"\n"
	"Causes before symptoms: when a local client closes and the local server never\n"
	"does (the classic CLOSE_WAIT leak), the client's end waits orphaned in FIN_WAIT2\n"
	"for a FIN the server's CLOSE_WAIT socket will never send. Those orphans are the\n"
	"leak's symptom: the inspector counts the ones whose 4-tuple reversed is a local\n"
	"CLOSE_WAIT socket (sockets.fin_wait2_orphans_local_peer; both ends match in\n"
	"one dump whatever their order), and this rule attributes them to that socket's\n"
	"owner (see close-wait-leak) with no tcp_fin_timeout advice.\n"
	"\n"
	"Evidence: FIN_WAIT2 sockets and how many are orphaned (inet_diag reports no\n"
	"inode for them), how many of those have a local CLOSE_WAIT peer and its owner,\n"
	"tcp_fin_timeout.\n"
	"\n"
	"Severity: warning from 'warning' orphans (default 1000) not explained by a\n"
	"local CLOSE_WAIT peer; proposes tcp_fin_timeout = 'fin_timeout' (default 30)\n"
	"when it is higher. Info, with no change, when the local CLOSE_WAIT leak explains\n"
	"enough of them that the rest stay below 'warning'.\n"
	"\n"
	"What to do: find the peers that never finish closing (dead clients, middleboxes\n"
	"dropping FINs); lowering tcp_fin_timeout is the right tool here.\n"
	"What not to do: lower tcp_fin_timeout for TIME_WAIT: it does not touch it.\n"
	"\n"
	"Sources: Documentation/networking/ip-sysctl.rst (tcp_fin_timeout);\n"
	"net/ipv4/tcp.c (tcp_close) and net/ipv4/tcp_input.c (FIN_WAIT1 -> FIN_WAIT2 of\n"
	"orphans, tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)).\n";

/* The orphans whose peer is a local CLOSE_WAIT socket: the cause is that
 * socket's owner, not a peer that never closes. */
static int fin_wait2_local_peers(const struct twa_facts *f, struct twa_finding *out,
				 uint64_t local)
{
	const struct twa_owners *o = &f->close_wait;
	char who[96] = "";

	RULE_OOM(twa_finding_evidence(out, "FIN_WAIT2 orphaned, peer a local CLOSE_WAIT socket",
				      f->sockets.source, "%" PRIu64, local));
	if (o->n) {
		snprintf(who, sizeof(who), " (%s[%d] holds %" PRIu64 ")", o->v[0].comm,
			 o->v[0].pid, o->v[0].count);
		RULE_OOM(twa_finding_evidence(out, "CLOSE_WAIT owner", f->sources.owners,
					      "%s[%d]: %" PRIu64, o->v[0].comm, o->v[0].pid,
					      o->v[0].count));
	}
	twa_finding_recommend(out, "%" PRIu64 " of the orphans are the closed ends of local connections whose other end sits in CLOSE_WAIT%s: a local server never closes its side. See close-wait-leak and fix that process; tcp_fin_timeout only hides the symptom.",
			      local, who);
	return 0;
}

static int rule_fin_wait2_orphans(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	uint64_t orphans = f->sockets.fin_wait2_orphans;
	uint64_t remote = rule_fin_wait2_remote_orphans(f), local = orphans - remote;
	uint64_t fw2 = twa_facts_state(f, TWA_TCP_FIN_WAIT2);
	double target = twa_rule_param(ctx, "fin_timeout"), warn = twa_rule_param(ctx, "warning");
	int64_t fin;

	RULE_OOM(rule_ev_state(out, f, TWA_TCP_FIN_WAIT2));
	RULE_OOM(twa_finding_evidence(out, "FIN_WAIT2 orphaned", f->sockets.source,
				      "%" PRIu64, orphans));
	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_fin_timeout"));
	if ((double)orphans < warn)
		return 0;
	if ((double)remote < warn) {
		/* Causes before symptoms: close-wait-leak carries the severity. */
		out->severity = TWA_SEV_INFO;
		twa_finding_summary(out, "%" PRIu64 " orphaned sockets wait in FIN_WAIT2 (of %" PRIu64
				    "), %" PRIu64 " of them for a local CLOSE_WAIT socket that is never closed: see close-wait-leak",
				    orphans, fw2, local);
		return fin_wait2_local_peers(f, out, local);
	}
	out->severity = TWA_SEV_WARNING;
	twa_finding_summary(out, "%" PRIu64 " orphaned sockets wait in FIN_WAIT2 (of %" PRIu64
			    "): this host closed, their peers never sent a FIN", remote, fw2);
	if (local)
		RULE_OOM(fin_wait2_local_peers(f, out, local));
	if (rule_sysctl_i64(f, "net.ipv4.tcp_fin_timeout", &fin) && fin > target) {
		char to[32];

		snprintf(to, sizeof(to), "%.0f", target);
		RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_fin_timeout",
					    twa_facts_sysctl(f, "net.ipv4.tcp_fin_timeout"), to));
		twa_finding_recommend(out, "Lower net.ipv4.tcp_fin_timeout to %.0f s: it caps how long an orphaned socket waits in FIN_WAIT2 (this is what it is for; it does nothing for TIME_WAIT).",
				      target);
	}
	twa_finding_recommend(out, "Find the peers that never finish closing (dead clients, firewalls dropping FINs).");
	return 0;
}

const struct twa_rule_entry twa_rule_fin_wait2_orphans_entry = {
	.rule = &twa_rules[TWA_RULE_FIN_WAIT2_ORPHANS],
	.explain = explain_fin_wait2_orphans,
	.eval = rule_fin_wait2_orphans,
};

/* ---- fin-timeout-misconception ------------------------------------------ */

static const char explain_fin_timeout_misconception[] =
	"A common piece of folklore says 'lower tcp_fin_timeout to get rid of TIME_WAIT'.\n"
	"It is wrong. TIME_WAIT lasts a fixed 60 seconds (TCP_TIMEWAIT_LEN, include/net/\n"
	"tcp.h): tcp_time_wait() sets the timer to TCP_TIMEWAIT_LEN for TCP_TIME_WAIT\n"
	"whatever tcp_fin_timeout says. tcp_fin_timeout only limits how long an orphaned\n"
	"socket waits in FIN_WAIT2 for the peer's FIN (see fin-wait2-orphans).\n"
	"\n"
	"This rule owns net.ipv4.tcp_fin_timeout in profiles. When a profile asks for a\n"
	"value below the kernel's 60 s while there are few orphaned FIN_WAIT2 sockets, the\n"
	"change would not do what its author expects: twadvise says so and does not\n"
	"propose it. With many orphans it is the right tool, and it is proposed. A host\n"
	"already running with a lowered value and many TIME_WAIT sockets gets an info\n"
	"finding saying the setting does not help them.\n"
	"\n"
	"Evidence: tcp_fin_timeout (current and wanted, with the profile's reason),\n"
	"TIME_WAIT count, orphaned FIN_WAIT2 count.\n"
	"\n"
	"What to do about TIME_WAIT instead: see time-wait-volume and\n"
	"ephemeral-exhaustion (keep-alive, pooling, tcp_tw_reuse=1 on clients, more\n"
	"4-tuples).\n"
	"\n"
	"Sources: include/net/tcp.h (TCP_TIMEWAIT_LEN, TCP_FIN_TIMEOUT);\n"
	"net/ipv4/tcp_minisocks.c (tcp_time_wait); Documentation/networking/\n"
	"ip-sysctl.rst (tcp_fin_timeout).\n";

static int rule_fin_timeout_misconception(const struct twa_rule_ctx *ctx,
					  struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	const struct twa_sysctl_want *w = twa_profile_want(ctx->profile,
							   "net.ipv4.tcp_fin_timeout");
	/* fin-wait2-orphans' threshold says when lowering it is right. */
	struct twa_rule_ctx fctx = { f, ctx->profile,
				     &twa_rules[TWA_RULE_FIN_WAIT2_ORPHANS] };
	uint64_t tw = twa_facts_state(f, TWA_TCP_TIME_WAIT);
	bool many_orphans = (double)rule_fin_wait2_remote_orphans(f) >=
			    twa_rule_param(&fctx, "warning");
	int64_t cur = TWA_FIN_TIMEOUT_DEFAULT, wanted = -1;
	char desc[512];
	int r;

	out->kind = TWA_KIND_COMPLIANCE;	/* about settings and wants, not failures */
	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_fin_timeout"));
	RULE_OOM(rule_ev_state(out, f, TWA_TCP_TIME_WAIT));
	RULE_OOM(twa_finding_evidence(out, "FIN_WAIT2 orphaned", f->sockets.source,
				      "%" PRIu64, f->sockets.fin_wait2_orphans));
	rule_sysctl_i64(f, "net.ipv4.tcp_fin_timeout", &cur);
	if (w && (w->has & TWA_WANT_VALUE))
		wanted = strtoll(w->value, NULL, 10);
	if (w && (w->has & TWA_WANT_MAX) && (wanted < 0 || w->max < wanted))
		wanted = w->max;
	if (w && wanted >= 0 && wanted < TWA_FIN_TIMEOUT_DEFAULT && !many_orphans) {
		out->severity = TWA_SEV_WARNING;
		RULE_OOM(twa_finding_evidence(out, "wanted tcp_fin_timeout", w->origin,
					      "%" PRId64 "%s%s", wanted, w->reason[0] ? ": " : "",
					      w->reason));
		twa_finding_summary(out, "profile '%s' lowers tcp_fin_timeout to %" PRId64
				    ", which does not shorten TIME_WAIT (fixed 60 s); not proposed",
				    w->origin, wanted);
		twa_finding_recommend(out, "tcp_fin_timeout only limits orphaned FIN_WAIT2 sockets (%" PRIu64
				      " here). For TIME_WAIT: keep-alive and pooling, tcp_tw_reuse=1 on hosts that open the connections, more source addresses or destination ports. Remove tcp_fin_timeout from the profile, or set it by hand if you want it for FIN_WAIT2.",
				      f->sockets.fin_wait2_orphans);
		return 0;
	}
	r = rule_want_mismatch(ctx, "net.ipv4.tcp_fin_timeout", out, desc, sizeof(desc));
	if (r < 0)
		return r;
	if (r) {
		out->severity = many_orphans ? TWA_SEV_INFO : TWA_SEV_WARNING;
		twa_finding_summary(out, "%s", desc);
		if (many_orphans)
			twa_finding_recommend(out, "Lowering tcp_fin_timeout is right here: it caps how long the orphaned FIN_WAIT2 sockets wait.");
		else
			twa_finding_recommend(out, "tcp_fin_timeout only limits orphaned FIN_WAIT2 sockets; it does not change TIME_WAIT (fixed 60 s).");
		return 0;
	}
	if (cur < TWA_FIN_TIMEOUT_DEFAULT && (double)tw >= twa_rule_param(ctx, "time_wait") &&
	    !many_orphans) {
		out->severity = TWA_SEV_INFO;
		twa_finding_summary(out, "tcp_fin_timeout is %" PRId64 " s: this does nothing for the %" PRIu64
				    " TIME_WAIT sockets (TIME_WAIT lasts a fixed 60 s)", cur, tw);
		twa_finding_recommend(out, "Leave tcp_fin_timeout for orphaned FIN_WAIT2 sockets; see time-wait-volume and ephemeral-exhaustion for TIME_WAIT.");
	}
	return 0;
}

const struct twa_rule_entry twa_rule_fin_timeout_misconception_entry = {
	.rule = &twa_rules[TWA_RULE_FIN_TIMEOUT_MISCONCEPTION],
	.explain = explain_fin_timeout_misconception,
	.eval = rule_fin_timeout_misconception,
};
