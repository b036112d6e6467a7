/* SPDX-License-Identifier: MIT */
/* rules_listen.c - rules about listening sockets: overflows, somaxconn, SYN backlog. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "advisor/rules/rule_helpers.h"
#include "advisor/rules/rules_builtin.h"

static double counter_rate(const struct twa_facts *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->rates.counters.n; i++)
		if (!strcmp(f->rates.counters.v[i].name, name))
			return f->rates.counters.v[i].per_sec;
	return 0;
}

/* ---- listen-overflow ---------------------------------------------------- */

static const char explain_listen_overflow[] =
	"A listening socket has two queues. Half-open connections (SYN received) wait in\n"
	"the SYN queue, bounded by net.ipv4.tcp_max_syn_backlog (and SYN cookies when\n"
	"tcp_syncookies is on). Completed connections wait in the accept queue until the\n"
	"application calls accept(); its limit is the backlog given to listen(), capped\n"
	"by net.core.somaxconn. inet_diag reports a listener's accept queue in rqueue and\n"
	"its limit in wqueue (net/ipv4/tcp_diag.c), as 'ss -lnt' shows in Recv-Q/Send-Q.\n"
	"When the accept queue is full the kernel drops the SYN or the final ACK and counts\n"
	"TcpExt ListenOverflows and ListenDrops (tcp_conn_request() in\n"
	"net/ipv4/tcp_input.c, tcp_v4_syn_recv_sock() in net/ipv4/tcp_ipv4.c); clients see\n"
	"connection delays of 1, 3, 7 seconds (SYN retransmissions) or timeouts.\n"
	"\n"
	"Evidence: every listener's queue and limit, with its process; ListenOverflows\n"
	"and ListenDrops (since boot, or their rates with --samples); somaxconn and\n"
	"tcp_max_syn_backlog.\n"
	"\n"
	"Severity: critical when a queue is full now or the counters grow during\n"
	"--samples; warning when a queue is at 'near_full' (default 80%) of its limit or\n"
	"the counters are above zero since boot.\n"
	"\n"
	"What to do: first the application: accept() faster (more workers, less work in\n"
	"the accept loop); a larger listen() backlog (nginx 'listen ... backlog=N', the\n"
	"server's own setting); raise net.core.somaxconn when the backlog is capped by it\n"
	"(proposed only then) and tcp_max_syn_backlog for SYN floods of legitimate\n"
	"clients. What not to do: tcp_abort_on_overflow=1 (it turns a short overload into\n"
	"connection resets).\n"
	"\n"
	"Sources: net/ipv4/tcp_input.c (tcp_conn_request), net/ipv4/tcp_ipv4.c,\n"
	"net/ipv4/tcp_diag.c, Documentation/networking/ip-sysctl.rst (somaxconn,\n"
	"tcp_max_syn_backlog, tcp_abort_on_overflow), listen(2).\n";

static int rule_listen_overflow(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	const struct twa_listener *worst = NULL;
	double near = twa_rule_param(ctx, "near_full"), worst_fill = 0;
	int64_t ov = 0, somaxconn = -1;
	double ov_rate = counter_rate(f, "ListenOverflows");
	size_t i, full = 0, nearly = 0;
	char who[160] = "";

	RULE_OOM(rule_ev_counter(out, f, "ListenOverflows"));
	RULE_OOM(rule_ev_counter(out, f, "ListenDrops"));
	RULE_OOM(rule_ev_sysctl(out, f, "net.core.somaxconn"));
	twa_facts_counter(f, "ListenOverflows", &ov);
	rule_sysctl_i64(f, "net.core.somaxconn", &somaxconn);
	for (i = 0; i < f->n_listeners; i++) {
		const struct twa_listener *l = &f->listeners[i];
		double fill;

		if (l->backlog < 0)
			continue;
		fill = l->backlog ? (double)l->queue / (double)l->backlog :
				    l->queue ? 2 : 0;
		/* sk_acceptq_is_full(): ack_backlog > max_ack_backlog. */
		if ((int64_t)l->queue > l->backlog)
			full++;
		else if (fill >= near)
			nearly++;
		else
			continue;
		if (fill > worst_fill) {
			worst_fill = fill;
			worst = l;
		}
		RULE_OOM(twa_finding_evidence(out, "listener", f->sockets.source,
					      "%s:%u queue %" PRIu64 " of %" PRId64 "%s%s%s", l->local,
					      l->port, l->queue, l->backlog,
					      l->process.pid ? " (" : "", l->process.comm,
					      l->process.pid ? ")" : ""));
	}
	if (worst) {
		if (worst->process.pid)
			snprintf(who, sizeof(who), " (%s[%d])", worst->process.comm,
				 worst->process.pid);
	}
	if (ov_rate > 0)
		RULE_OOM(twa_finding_evidence(out, "ListenOverflows rate", "--samples",
					      "%.1f/s", ov_rate));
	if (full || ov_rate > 0)
		out->severity = TWA_SEV_CRITICAL;
	else if (nearly || ov > 0)
		out->severity = TWA_SEV_WARNING;
	else
		return 0;
	if (worst)
		twa_finding_summary(out, "accept queue %s on %s:%u%s: %" PRIu64 " waiting, limit %" PRId64
				    "; ListenOverflows %" PRId64 " since boot%s",
				    (int64_t)worst->queue > worst->backlog ? "full" : "nearly full",
				    worst->local, worst->port, who, worst->queue, worst->backlog, ov,
				    ov_rate > 0 ? ", growing now" : "");
	else
		twa_finding_summary(out, "ListenOverflows is %" PRId64 "%s: connections were dropped because an accept queue was full",
				    ov, ov_rate > 0 ? " and growing now" : " since boot (no queue is full now)");
	twa_finding_recommend(out, "Make the application accept() faster (more workers, less work per accept) and give listen() a larger backlog in its configuration.");
	if (worst && somaxconn >= 0 && worst->backlog >= somaxconn) {
		char to[32];

		snprintf(to, sizeof(to), "%" PRId64, somaxconn * 4 > 65535 ? somaxconn * 4 : 65535);
		RULE_OOM(twa_finding_change(out, "net.core.somaxconn",
					    twa_facts_sysctl(f, "net.core.somaxconn"), to));
		twa_finding_recommend(out, "This listener's backlog is capped by net.core.somaxconn (%" PRId64
				      "): raise it, then restart the service so listen() takes the larger backlog.",
				      somaxconn);
	} else if (worst) {
		twa_finding_recommend(out, "Its backlog (%" PRId64 ") is the application's own listen() setting, below net.core.somaxconn: no sysctl change helps.",
				      worst->backlog);
	}
	return 0;
}

const struct twa_rule_entry twa_rule_listen_overflow_entry = {
	.rule = &twa_rules[TWA_RULE_LISTEN_OVERFLOW],
	.explain = explain_listen_overflow,
	.eval = rule_listen_overflow,
};

/* ---- somaxconn-low ------------------------------------------------------ */

static const char explain_somaxconn_low[] =
	"net.core.somaxconn caps the backlog any listen() call gets: a server asking for\n"
	"listen(fd, 4096) on a host with somaxconn=128 gets 128. Linux raised the default\n"
	"from 128 to 4096 in 5.4. It is per network namespace; a new namespace starts\n"
	"from the kernel default, not from its parent's value. The value is read when\n"
	"listen() is called: services must restart to benefit.\n"
	"\n"
	"Evidence: somaxconn and the profile's minimum.\n"
	"Severity: warning below the profile's minimum (the default profile wants 1024,\n"
	"so only the old 128 default is flagged).\n"
	"\n"
	"Sources: Documentation/networking/ip-sysctl.rst (somaxconn); net/socket.c\n"
	"(__sys_listen caps the backlog at somaxconn).\n";

static int rule_somaxconn_low(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	char desc[512];
	int r = rule_want_mismatch(ctx, "net.core.somaxconn", out, desc, sizeof(desc));

	if (r <= 0)
		return r;
	out->severity = TWA_SEV_WARNING;
	twa_finding_summary(out, "%s", desc);
	twa_finding_recommend(out, "Raise net.core.somaxconn; listen() backlogs above it are silently capped. Restart the services afterwards: the backlog is fixed when listen() is called.");
	return 0;
}

const struct twa_rule_entry twa_rule_somaxconn_low_entry = {
	.rule = &twa_rules[TWA_RULE_SOMAXCONN_LOW],
	.explain = explain_somaxconn_low,
	.eval = rule_somaxconn_low,
};

/* ---- syn-backlog-low ---------------------------------------------------- */

static const char explain_syn_backlog_low[] =
	"net.ipv4.tcp_max_syn_backlog bounds the connection requests (SYN received, not\n"
	"yet acknowledged) a listener remembers. Beyond it, with tcp_syncookies=1, the\n"
	"kernel answers with SYN cookies (TcpExt TCPReqQFullDoCookies), else it drops\n"
	"the SYN (TCPReqQFullDrop). The default scales with memory, from 128 up. A\n"
	"request socket costs about 304 bytes.\n"
	"\n"
	"Evidence: tcp_max_syn_backlog, tcp_syncookies, the profile's minimum,\n"
	"TCPReqQFullDrop and TCPReqQFullDoCookies.\n"
	"Severity: warning below the profile's minimum, or when SYNs were dropped for a\n"
	"full SYN queue while SYN cookies are off.\n"
	"\n"
	"Sources: Documentation/networking/ip-sysctl.rst (tcp_max_syn_backlog,\n"
	"tcp_syncookies); net/ipv4/tcp_input.c (tcp_conn_request).\n";

static int rule_syn_backlog_low(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	char desc[512];
	int64_t drops = 0, cookies = 1;
	int r;

	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_syncookies"));
	r = rule_want_mismatch(ctx, "net.ipv4.tcp_max_syn_backlog", out, desc, sizeof(desc));
	if (r < 0)
		return r;
	if (r) {
		out->severity = TWA_SEV_WARNING;
		twa_finding_summary(out, "%s", desc);
		twa_finding_recommend(out, "Raise net.ipv4.tcp_max_syn_backlog so bursts of new connections are not dropped before the handshake completes.");
		return 0;
	}
	if (twa_facts_counter(f, "TCPReqQFullDrop", &drops) && drops > 0 &&
	    rule_sysctl_i64(f, "net.ipv4.tcp_syncookies", &cookies) && cookies == 0) {
		RULE_OOM(rule_ev_counter(out, f, "TCPReqQFullDrop"));
		RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_max_syn_backlog"));
		out->severity = TWA_SEV_WARNING;
		twa_finding_summary(out, "%" PRId64 " SYNs were dropped for a full SYN queue and SYN cookies are off", drops);
		RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_syncookies",
					    twa_facts_sysctl(f, "net.ipv4.tcp_syncookies"), "1"));
		twa_finding_recommend(out, "Turn SYN cookies on (net.ipv4.tcp_syncookies=1, the default) and raise net.ipv4.tcp_max_syn_backlog.");
	}
	return 0;
}

const struct twa_rule_entry twa_rule_syn_backlog_low_entry = {
	.rule = &twa_rules[TWA_RULE_SYN_BACKLOG_LOW],
	.explain = explain_syn_backlog_low,
	.eval = rule_syn_backlog_low,
};
