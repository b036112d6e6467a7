/* SPDX-License-Identifier: MIT */
/* rules_listen.c - rules about listening sockets: overflows, somaxconn, SYN backlog. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "advisor/rules/rule_helpers.h"
#include "advisor/rules/rules_builtin.h"

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
	"and ListenDrops since boot, and how they moved: their rates with --samples,\n"
	"else their increase since the last check (the counter history kept per network\n"
	"namespace, see --no-history); somaxconn. When the counters rose and no queue\n"
	"is full at this instant, the likely listeners are named (a non-empty queue\n"
	"first, then the smallest backlog) with their process and port.\n"
	"\n"
	"Severity (kind: health): critical when a queue is full now or the counters grow\n"
	"during --samples; warning when a queue is at 'near_full' (default 80%) of its\n"
	"limit or the counters grew since the last check; info when they are above zero\n"
	"but there is nothing to compare with (first check, reboot, counter reset,\n"
	"--no-history) or they stood still during --samples. So a past burst is reported\n"
	"once, by the next check, and the check after it is OK again.\n"
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

/* The listeners' queues now: how many are full, nearly full, the fullest. */
struct queues {
	size_t full, nearly;
	const struct twa_listener *worst;
};

static int scan_queues(const struct twa_rule_ctx *ctx, struct twa_finding *out,
		       struct queues *q)
{
	const struct twa_facts *f = ctx->facts;
	double near = twa_rule_param(ctx, "near_full"), worst_fill = 0;
	size_t i;

	memset(q, 0, sizeof(*q));
	for (i = 0; i < f->n_listeners; i++) {
		const struct twa_listener *l = &f->listeners[i];
		double fill;

		if (l->backlog < 0)
			continue;
		fill = l->backlog ? (double)l->queue / (double)l->backlog :
				    l->queue ? 2 : 0;
		/* sk_acceptq_is_full(): ack_backlog > max_ack_backlog. */
		if ((int64_t)l->queue > l->backlog)
			q->full++;
		else if (fill >= near)
			q->nearly++;
		else
			continue;
		if (fill > worst_fill) {
			worst_fill = fill;
			q->worst = l;
		}
		RULE_OOM(twa_finding_evidence(out, "listener", f->sockets.source,
					      "%s:%u queue %" PRIu64 " of %" PRId64 "%s%s%s", l->local,
					      l->port, l->queue, l->backlog,
					      l->process.pid ? " (" : "", l->process.comm,
					      l->process.pid ? ")" : ""));
	}
	return 0;
}

/* Likelier to have overflowed: a queue now (fuller first), then the
 * smaller backlog. */
static bool likelier(const struct twa_listener *a, const struct twa_listener *b)
{
	double fa = a->backlog ? (double)a->queue / (double)a->backlog : (double)a->queue;
	double fb = b->backlog ? (double)b->queue / (double)b->backlog : (double)b->queue;

	if ((a->queue > 0) != (b->queue > 0))
		return a->queue > 0;
	if (fa != fb)
		return fa > fb;
	return a->backlog < b->backlog;
}

#define SUSPECTS 3

/* Overflows rose and no queue is full now: name the listeners whose
 * backlog or queue makes them the likely ones, the likeliest in who. */
static int name_suspects(const struct twa_facts *f, struct twa_finding *out,
			 const struct twa_listener **ret_first, char *who, size_t size)
{
	const struct twa_listener *top[SUSPECTS] = { NULL };
	size_t i, k, n = 0;

	for (i = 0; i < f->n_listeners; i++) {
		const struct twa_listener *l = &f->listeners[i];

		if (l->backlog < 0)
			continue;
		for (k = n < SUSPECTS ? n++ : SUSPECTS; k > 0 && likelier(l, top[k - 1]); k--)
			if (k < SUSPECTS)
				top[k] = top[k - 1];
		if (k < SUSPECTS)
			top[k] = l;
	}
	for (i = 0; i < n; i++)
		RULE_OOM(twa_finding_evidence(out, "suspect listener", f->sockets.source,
					      "%s[%d] on %s:%u: backlog %" PRId64 ", queue %" PRIu64,
					      top[i]->process.pid ? top[i]->process.comm : "?",
					      top[i]->process.pid, top[i]->local, top[i]->port,
					      top[i]->backlog, top[i]->queue));
	*ret_first = n ? top[0] : NULL;
	if (n && top[0]->process.pid)
		snprintf(who, size, "; likely %s[%d] on %s:%u (backlog %" PRId64 ", queue %" PRIu64 ")",
			 top[0]->process.comm, top[0]->process.pid, top[0]->local, top[0]->port,
			 top[0]->backlog, top[0]->queue);
	else if (n)
		snprintf(who, size, "; likely the listener on %s:%u (backlog %" PRId64 ", queue %" PRIu64 ")",
			 top[0]->local, top[0]->port, top[0]->backlog, top[0]->queue);
	return 0;
}

/* What to change: the application first; somaxconn only when it caps l. */
static int recommend_backlog(const struct twa_facts *f, struct twa_finding *out,
			     const struct twa_listener *l)
{
	int64_t somaxconn = -1;
	char to[32];

	twa_finding_recommend(out, "Make the application accept() faster (more workers, less work per accept) and give listen() a larger backlog in its configuration.");
	rule_sysctl_i64(f, "net.core.somaxconn", &somaxconn);
	if (!l)
		return 0;
	if (somaxconn >= 0 && l->backlog >= somaxconn) {
		snprintf(to, sizeof(to), "%" PRId64, somaxconn * 4 > 65535 ? somaxconn * 4 : 65535);
		RULE_OOM(twa_finding_change(out, "net.core.somaxconn",
					    twa_facts_sysctl(f, "net.core.somaxconn"), to));
		twa_finding_recommend(out, "This listener's backlog is capped by net.core.somaxconn (%" PRId64
				      "): raise it, then restart the service so listen() takes the larger backlog.",
				      somaxconn);
	} else {
		twa_finding_recommend(out, "Its backlog (%" PRId64 ") is the application's own listen() setting, below net.core.somaxconn: no sysctl change helps.",
				      l->backlog);
	}
	return 0;
}

static int rule_listen_overflow(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	const struct twa_listener *target;
	struct rule_rise ov, dr;
	const struct rule_rise *judged;
	struct queues q;
	char who[192] = "", what[160];

	rule_counter_rise(f, "ListenOverflows", &ov);
	rule_counter_rise(f, "ListenDrops", &dr);
	RULE_OOM(rule_ev_rise(out, "ListenOverflows", &ov));
	RULE_OOM(rule_ev_rise(out, "ListenDrops", &dr));
	RULE_OOM(rule_ev_sysctl(out, f, "net.core.somaxconn"));
	RULE_OOM(scan_queues(ctx, out, &q));
	/* ListenDrops also counts SYNs dropped for other reasons than a full
	 * accept queue: it speaks only when it rose and ListenOverflows did not. */
	judged = rule_rising(&dr) && !rule_rising(&ov) ? &dr : &ov;
	rule_raise(out, rule_rise_severity(judged));
	if (q.nearly)
		rule_raise(out, TWA_SEV_WARNING);
	if (q.full)
		rule_raise(out, TWA_SEV_CRITICAL);
	if (out->severity == TWA_SEV_OK)
		return 0;
	rule_rise_phrase(judged, judged == &ov ? "listen overflows" : "listen drops",
			 what, sizeof(what));
	target = q.worst;
	if (q.worst) {
		if (q.worst->process.pid)
			snprintf(who, sizeof(who), " (%s[%d])", q.worst->process.comm,
				 q.worst->process.pid);
		twa_finding_summary(out, "accept queue %s on %s:%u%s: %" PRIu64 " waiting, limit %" PRId64 "; %s",
				    (int64_t)q.worst->queue > q.worst->backlog ? "full" : "nearly full",
				    q.worst->local, q.worst->port, who, q.worst->queue,
				    q.worst->backlog, what);
	} else if (rule_rising(judged)) {
		RULE_OOM(name_suspects(f, out, &target, who, sizeof(who)));
		twa_finding_summary(out, "%s: an accept queue was full, none is now%s", what, who);
	} else {
		twa_finding_summary(out, "%s: connections were dropped because an accept queue was full at some time; none is full now",
				    what);
	}
	return recommend_backlog(f, out, target);
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
	"so only the old 128 default is flagged). Kind: compliance (a deviation from the\n"
	"profile; overflows are listen-overflow's evidence).\n"
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
	out->kind = TWA_KIND_COMPLIANCE;	/* overflows themselves are listen-overflow's */
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
	"Severity: warning below the profile's minimum (kind: compliance), or when SYNs\n"
	"were dropped for a full SYN queue while SYN cookies are off (kind: health):\n"
	"during --samples or since the last check; info when the drops are only known\n"
	"since boot (no earlier check, reboot, counter reset, --no-history).\n"
	"\n"
	"Sources: Documentation/networking/ip-sysctl.rst (tcp_max_syn_backlog,\n"
	"tcp_syncookies); net/ipv4/tcp_input.c (tcp_conn_request).\n";

static int rule_syn_backlog_low(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	struct rule_rise drops;
	char desc[512], what[160];
	int64_t cookies = 1;
	int r;

	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_syncookies"));
	r = rule_want_mismatch(ctx, "net.ipv4.tcp_max_syn_backlog", out, desc, sizeof(desc));
	if (r < 0)
		return r;
	if (r) {
		out->severity = TWA_SEV_WARNING;
		out->kind = TWA_KIND_COMPLIANCE;
		twa_finding_summary(out, "%s", desc);
		twa_finding_recommend(out, "Raise net.ipv4.tcp_max_syn_backlog so bursts of new connections are not dropped before the handshake completes.");
		return 0;
	}
	rule_counter_rise(f, "TCPReqQFullDrop", &drops);
	if (rule_rise_severity(&drops) == TWA_SEV_OK ||
	    !rule_sysctl_i64(f, "net.ipv4.tcp_syncookies", &cookies) || cookies != 0)
		return 0;
	RULE_OOM(rule_ev_rise(out, "TCPReqQFullDrop", &drops));
	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_max_syn_backlog"));
	/* Dropped SYNs are live evidence, but at most a warning here. */
	out->severity = rule_rise_severity(&drops) > TWA_SEV_WARNING ? TWA_SEV_WARNING :
			rule_rise_severity(&drops);
	rule_rise_phrase(&drops, "SYNs dropped for a full SYN queue", what, sizeof(what));
	twa_finding_summary(out, "%s, and SYN cookies are off", what);
	RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_syncookies",
				    twa_facts_sysctl(f, "net.ipv4.tcp_syncookies"), "1"));
	twa_finding_recommend(out, "Turn SYN cookies on (net.ipv4.tcp_syncookies=1, the default) and raise net.ipv4.tcp_max_syn_backlog.");
	return 0;
}

const struct twa_rule_entry twa_rule_syn_backlog_low_entry = {
	.rule = &twa_rules[TWA_RULE_SYN_BACKLOG_LOW],
	.explain = explain_syn_backlog_low,
	.eval = rule_syn_backlog_low,
};
