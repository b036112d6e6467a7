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
	"the SYN queue (request sockets, SYN_RECV); completed connections wait in the\n"
	"accept queue until the application calls accept(). Both are bounded by the\n"
	"listener's own backlog: the value given to listen(), capped by\n"
	"net.core.somaxconn (sk_max_ack_backlog). inet_diag reports a listener's accept\n"
	"queue in rqueue and its limit in wqueue (net/ipv4/tcp_diag.c), as 'ss -lnt'\n"
	"shows in Recv-Q/Send-Q. This rule is about the accept queue; the SYN queue is\n"
	"syn-backlog-low's.\n"
	"\n"
	"When the accept queue is full (sk_acceptq_is_full(): more than the backlog\n"
	"waiting), the kernel drops the SYN (tcp_conn_request() in net/ipv4/tcp_input.c)\n"
	"or the handshake's last ACK (tcp_v4_syn_recv_sock() in net/ipv4/tcp_ipv4.c) and\n"
	"counts TcpExt ListenOverflows, and ListenDrops too. ListenDrops counts every\n"
	"SYN or ACK a listener dropped, SYN queue drops included, so it alone is not\n"
	"judged here. Clients see delays of 1, 3, 7 seconds (SYN retransmissions) or\n"
	"timeouts.\n"
	"\n"
	"Evidence: every listener's queue and limit, with its process; ListenOverflows\n"
	"and ListenDrops since boot, and how they moved: their rates with --samples,\n"
	"else their increase since the last check (the counter history kept per network\n"
	"namespace, see --no-history); somaxconn. When ListenOverflows rose and no queue\n"
	"is full at this instant, the likely listeners are named (a non-empty queue\n"
	"first, then the smallest backlog) with their process and port.\n"
	"\n"
	"Severity (kind: health): critical when a queue is full now or ListenOverflows\n"
	"grows during --samples; warning when a queue is at 'near_full' (default 80%) of\n"
	"its limit or ListenOverflows grew since the last check; info when it is above\n"
	"zero but there is nothing to compare with (first check, reboot, counter reset,\n"
	"--no-history) or it stood still during --samples. So a past burst is reported\n"
	"once, by the next check, and the check after it is OK again.\n"
	"\n"
	"What to do: first the application: accept() faster (more workers, less work in\n"
	"the accept loop); a larger listen() backlog (nginx 'listen ... backlog=N', the\n"
	"server's own setting); raise net.core.somaxconn when the backlog is capped by it\n"
	"(proposed only then). tcp_max_syn_backlog does not bound the accept queue. What\n"
	"not to do: tcp_abort_on_overflow=1 (it turns a short overload into connection\n"
	"resets).\n"
	"\n"
	"Sources: net/ipv4/tcp_input.c (tcp_conn_request), net/ipv4/tcp_ipv4.c\n"
	"(tcp_v4_syn_recv_sock), include/net/sock.h (sk_acceptq_is_full),\n"
	"net/ipv4/tcp_diag.c, Documentation/networking/ip-sysctl.rst (somaxconn,\n"
	"tcp_abort_on_overflow), listen(2).\n";

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
					      "%s queue %" PRIu64 " of %" PRId64 "%s%s%s",
					      TWA_ADDR_PORT(l->local, l->port), l->queue, l->backlog,
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
					      "%s[%d] on %s: backlog %" PRId64 ", queue %" PRIu64,
					      top[i]->process.pid ? top[i]->process.comm : "?",
					      top[i]->process.pid, TWA_ADDR_PORT(top[i]->local, top[i]->port),
					      top[i]->backlog, top[i]->queue));
	*ret_first = n ? top[0] : NULL;
	if (n && top[0]->process.pid)
		snprintf(who, size, "; likely %s[%d] on %s (backlog %" PRId64 ", queue %" PRIu64 ")",
			 top[0]->process.comm, top[0]->process.pid, TWA_ADDR_PORT(top[0]->local, top[0]->port),
			 top[0]->backlog, top[0]->queue);
	else if (n)
		snprintf(who, size, "; likely the listener on %s (backlog %" PRId64 ", queue %" PRIu64 ")",
			 TWA_ADDR_PORT(top[0]->local, top[0]->port), top[0]->backlog, top[0]->queue);
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
	/* ListenDrops counts every dropped SYN or ACK of a listener, a full
	 * accept queue (ListenOverflows) among them; the rest are SYN queue
	 * drops, syn-backlog-low's. Only ListenOverflows is judged here. */
	judged = &ov;
	rule_raise(out, rule_rise_severity(judged));
	if (q.nearly)
		rule_raise(out, TWA_SEV_WARNING);
	if (q.full)
		rule_raise(out, TWA_SEV_CRITICAL);
	if (out->severity == TWA_SEV_OK)
		return 0;
	rule_rise_phrase(judged, "listen overflows", what, sizeof(what));
	target = q.worst;
	if (q.worst) {
		if (q.worst->process.pid)
			snprintf(who, sizeof(who), " (%s[%d])", q.worst->process.comm,
				 q.worst->process.pid);
		twa_finding_summary(out, "accept queue %s on %s%s: %" PRIu64 " waiting, limit %" PRId64 "; %s",
				    (int64_t)q.worst->queue > q.worst->backlog ? "full" : "nearly full",
				    TWA_ADDR_PORT(q.worst->local, q.worst->port), who, q.worst->queue,
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
	"A SYN to a listener becomes a request socket (SYN_RECV) in its SYN queue until\n"
	"the handshake completes. tcp_conn_request() (net/ipv4/tcp_input.c) decides,\n"
	"in this order:\n"
	"  1. The listener's own queue: when it holds more request sockets than the\n"
	"     listener's backlog (inet_csk_reqsk_queue_is_full(): the listen() backlog,\n"
	"     capped by net.core.somaxconn), tcp_syn_flood_action() answers with a SYN\n"
	"     cookie when tcp_syncookies is 1 (TcpExt TCPReqQFullDoCookies and\n"
	"     SyncookiesSent; nothing is dropped) or else drops the SYN\n"
	"     (TCPReqQFullDrop and ListenDrops).\n"
	"  2. A full accept queue drops it (ListenOverflows, listen-overflow's).\n"
	"  3. Only with tcp_syncookies=0: once the listener's SYN queue passes 3/4 of\n"
	"     net.ipv4.tcp_max_syn_backlog (max_syn_backlog - queue < max_syn_backlog/4)\n"
	"     a SYN from a peer not proven alive (no TCP metrics for it) is dropped,\n"
	"     counted in ListenDrops alone.\n"
	"With tcp_syncookies=1 (the default), tcp_max_syn_backlog bounds nothing; with\n"
	"2, every SYN gets a cookie (and counts in TCPReqQFullDoCookies).\n"
	"Measured on Linux 6.18 with 400 SYNs whose SYN-ACKs never came back:\n"
	"cookies off, listen(16): TCPReqQFullDrop = ListenDrops, queue 17; cookies off,\n"
	"listen(1024), max_syn_backlog 128: ListenDrops only, queue 97; cookies on,\n"
	"listen(16): TCPReqQFullDoCookies = SyncookiesSent, no drops; cookies on,\n"
	"listen(1024), max_syn_backlog 128: 400 queued, nothing counted.\n"
	"\n"
	"Evidence: ListenDrops, ListenOverflows, TCPReqQFullDrop, TCPReqQFullDoCookies\n"
	"and SyncookiesSent, judged as counters (rate with --samples, else the increase\n"
	"since the last check, else since boot); ListenDrops less ListenOverflows and\n"
	"TCPReqQFullDrop are the drops of rule 3. tcp_syncookies, tcp_max_syn_backlog,\n"
	"somaxconn, and each listener's SYN queue now (its SYN_RECV sockets) against\n"
	"its backlog, with its process.\n"
	"\n"
	"Severity (kind: health): SYNs dropped at a listener's own backlog or at\n"
	"tcp_max_syn_backlog: critical while they grow during --samples, warning when\n"
	"they grew since the last check, info when known only since boot. SYN cookies\n"
	"sent for a full queue (tcp_syncookies=1): at most a warning, and it says that\n"
	"nothing was dropped. Kind compliance: tcp_max_syn_backlog below the profile's\n"
	"minimum, a warning while cookies are off, info while they are on (it then\n"
	"bounds nothing).\n"
	"\n"
	"What to do: when a listener's own backlog is the limit, raise the application's\n"
	"listen() backlog (and net.core.somaxconn when it caps it; proposed only then),\n"
	"and keep or turn SYN cookies on; tcp_max_syn_backlog is proposed only when it is\n"
	"the binding limit, with cookies off. What not to do: raise tcp_max_syn_backlog\n"
	"for a listener whose listen() backlog is the limit (it changes nothing).\n"
	"\n"
	"Sources: net/ipv4/tcp_input.c (tcp_conn_request, tcp_syn_flood_action),\n"
	"include/net/inet_connection_sock.h (inet_csk_reqsk_queue_is_full),\n"
	"include/net/sock.h (sk_acceptq_is_full), net/ipv4/syncookies.c,\n"
	"Documentation/networking/ip-sysctl.rst (tcp_max_syn_backlog, tcp_syncookies).\n";

/* The counters tcp_conn_request() moves, on one basis each. */
struct synq {
	struct rule_rise drops, overflows, full_drop, full_cookies, sent;
	struct rule_rise rest;	/* drops - overflows - full_drop: rule 3 */
	int64_t cookies;	/* tcp_syncookies (1 when absent: the default) */
	int64_t max_syn;	/* tcp_max_syn_backlog, -1 when absent */
};

static int synq_read(const struct twa_facts *f, struct twa_finding *out, struct synq *s)
{
	struct rule_rise tmp;

	rule_counter_rise(f, "ListenDrops", &s->drops);
	rule_counter_rise(f, "ListenOverflows", &s->overflows);
	rule_counter_rise(f, "TCPReqQFullDrop", &s->full_drop);
	rule_counter_rise(f, "TCPReqQFullDoCookies", &s->full_cookies);
	rule_counter_rise(f, "SyncookiesSent", &s->sent);
	rule_rise_minus(&s->drops, &s->overflows, &tmp);
	rule_rise_minus(&tmp, &s->full_drop, &s->rest);
	if (!rule_sysctl_i64(f, "net.ipv4.tcp_syncookies", &s->cookies))
		s->cookies = 1;
	if (!rule_sysctl_i64(f, "net.ipv4.tcp_max_syn_backlog", &s->max_syn))
		s->max_syn = -1;
	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_syncookies"));
	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_max_syn_backlog"));
	RULE_OOM(rule_ev_rise(out, "ListenDrops", &s->drops));
	RULE_OOM(rule_ev_rise(out, "ListenOverflows", &s->overflows));
	RULE_OOM(rule_ev_rise(out, "TCPReqQFullDrop", &s->full_drop));
	RULE_OOM(rule_ev_rise(out, "TCPReqQFullDoCookies", &s->full_cookies));
	RULE_OOM(rule_ev_rise(out, "SyncookiesSent", &s->sent));
	return 0;
}

/* The listener whose SYN queue is fullest against its backlog now; else
 * (the burst is over) the one with the smallest backlog. *now says which. */
static const struct twa_listener *synq_listener(const struct twa_facts *f, bool *now)
{
	const struct twa_listener *best = NULL, *small = NULL;
	double best_fill = 0;
	size_t i;

	for (i = 0; i < f->n_listeners; i++) {
		const struct twa_listener *l = &f->listeners[i];
		double fill;

		if (l->backlog < 0)
			continue;
		fill = (double)l->syn_recv / (double)(l->backlog + 1);
		if (l->syn_recv && fill > best_fill) {
			best_fill = fill;
			best = l;
		}
		if (!small || l->backlog < small->backlog)
			small = l;
	}
	*now = best != NULL;
	return best ? best : small;
}

static int synq_ev_listeners(const struct twa_facts *f, struct twa_finding *out)
{
	size_t i, n = 0;

	for (i = 0; i < f->n_listeners && n < 5; i++) {
		const struct twa_listener *l = &f->listeners[i];

		if (!l->syn_recv)
			continue;
		n++;
		RULE_OOM(twa_finding_evidence(out, "SYN queue", f->sockets.source,
					      "%s: %" PRIu64 " SYN_RECV, backlog %" PRId64 "%s%s%s",
					      TWA_ADDR_PORT(l->local, l->port), l->syn_recv, l->backlog,
					      l->process.pid ? " (" : "", l->process.comm,
					      l->process.pid ? ")" : ""));
	}
	return 0;
}

static void synq_name(const struct twa_listener *l, bool now, char *buf, size_t size)
{
	if (!l)
		snprintf(buf, size, "a listener");
	else if (l->process.pid)
		snprintf(buf, size, "%s%s[%d] on %s", now ? "" : "likely ", l->process.comm,
			 l->process.pid, TWA_ADDR_PORT(l->local, l->port));
	else
		snprintf(buf, size, "%sthe listener on %s", now ? "" : "likely ",
			 TWA_ADDR_PORT(l->local, l->port));
}

/* The listener's own backlog is the limit: the application's listen(),
 * and somaxconn only when it caps it. */
static int synq_advise_backlog(const struct twa_facts *f, struct twa_finding *out,
			       const struct twa_listener *l)
{
	int64_t somaxconn = -1;
	char to[32];

	twa_finding_recommend(out, "Give the application a larger listen() backlog (its own setting, e.g. nginx 'listen ... backlog=N'): it bounds this listener's SYN queue as well as its accept queue.");
	if (l && rule_sysctl_i64(f, "net.core.somaxconn", &somaxconn) && somaxconn >= 0 &&
	    l->backlog >= somaxconn) {
		snprintf(to, sizeof(to), "%" PRId64, somaxconn * 4 > 65535 ? somaxconn * 4 : 65535);
		RULE_OOM(twa_finding_change(out, "net.core.somaxconn",
					    twa_facts_sysctl(f, "net.core.somaxconn"), to));
		twa_finding_recommend(out, "Its backlog is capped by net.core.somaxconn (%" PRId64 "): raise it, then restart the service.",
				      somaxconn);
	}
	twa_finding_recommend(out, "net.ipv4.tcp_max_syn_backlog is not the limit here: raising it changes nothing.");
	return 0;
}

/* Rules 1 (drop or cookie at the listener's backlog). 1 when judged. */
static int synq_judge_listener(const struct twa_facts *f, struct twa_finding *out,
			       const struct synq *s)
{
	const struct rule_rise *r = &s->full_drop;
	const struct twa_listener *l;
	char what[160], who[160];
	bool now;

	/* TCPReqQFullDrop grows only while cookies are off: a total from
	 * before they were turned on is history, not a limit now. */
	if (s->cookies != 0 || rule_rise_severity(r) == TWA_SEV_OK)
		r = rule_rise_severity(&s->full_cookies) >= rule_rise_severity(&s->sent) ?
		    &s->full_cookies : &s->sent;
	/* With 2 every SYN gets a cookie: not a queue that filled. */
	if (rule_rise_severity(r) == TWA_SEV_OK || (r != &s->full_drop && s->cookies == 2))
		return 0;
	l = synq_listener(f, &now);
	synq_name(l, now, who, sizeof(who));
	if (r == &s->full_drop) {
		out->severity = rule_rise_severity(r);
		rule_rise_phrase(r, "SYNs dropped", what, sizeof(what));
		twa_finding_summary(out, "%s: the SYN queue of %s reached its listen() backlog (%" PRId64 ") and SYN cookies are off",
				    what, who, l ? l->backlog : -1);
		RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_syncookies",
					    twa_facts_sysctl(f, "net.ipv4.tcp_syncookies"), "1"));
		twa_finding_recommend(out, "Turn SYN cookies on (net.ipv4.tcp_syncookies=1, the default): a full SYN queue then answers with cookies instead of dropping.");
	} else {
		out->severity = rule_rise_severity(r) > TWA_SEV_WARNING ? TWA_SEV_WARNING :
				rule_rise_severity(r);
		rule_rise_phrase(r, "SYN cookies sent", what, sizeof(what));
		twa_finding_summary(out, "%s: the SYN queue of %s reached its listen() backlog (%" PRId64 "); SYN cookies answered, no SYN was dropped",
				    what, who, l ? l->backlog : -1);
		twa_finding_recommend(out, "If this is legitimate load (not a SYN flood), cookies are a fallback that loses TCP options when timestamps are off.");
	}
	RULE_OOM(synq_advise_backlog(f, out, l));
	return 1;
}

/* Rule 3: cookies off, drops at 3/4 of tcp_max_syn_backlog. 1 when judged. */
static int synq_judge_max_syn(const struct twa_facts *f, struct twa_finding *out,
			      const struct synq *s)
{
	const struct twa_listener *l;
	int64_t need = s->max_syn * 2;
	char what[160], who[160], to[32];
	bool now;
	size_t i;

	if (s->cookies != 0 || s->max_syn < 0 || rule_rise_severity(&s->rest) == TWA_SEV_OK)
		return 0;
	l = synq_listener(f, &now);
	synq_name(l, now, who, sizeof(who));
	out->severity = rule_rise_severity(&s->rest);
	rule_rise_phrase(&s->rest, "SYNs dropped", what, sizeof(what));
	twa_finding_summary(out, "%s: the SYN queue of %s passed 3/4 of net.ipv4.tcp_max_syn_backlog (%" PRId64 ") with SYN cookies off",
			    what, who, s->max_syn);
	/* Enough that every listener's own backlog binds first. */
	for (i = 0; i < f->n_listeners; i++)
		if (f->listeners[i].backlog * 4 / 3 + 1 > need)
			need = f->listeners[i].backlog * 4 / 3 + 1;
	snprintf(to, sizeof(to), "%" PRId64, need > 1024 ? need : 1024);
	RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_max_syn_backlog",
				    twa_facts_sysctl(f, "net.ipv4.tcp_max_syn_backlog"), to));
	twa_finding_recommend(out, "Raise net.ipv4.tcp_max_syn_backlog: with SYN cookies off it drops SYNs once a SYN queue passes 3/4 of it, before the listener's own backlog (%" PRId64 ") is reached. Better still, turn SYN cookies on (net.ipv4.tcp_syncookies=1): then it bounds nothing.",
			      l ? l->backlog : -1);
	return 1;
}

static int synq_judge_compliance(const struct twa_rule_ctx *ctx, struct twa_finding *out,
				 const struct synq *s)
{
	char desc[512];
	int r = rule_want_mismatch(ctx, "net.ipv4.tcp_max_syn_backlog", out, desc, sizeof(desc));

	if (r <= 0)
		return r;
	out->kind = TWA_KIND_COMPLIANCE;
	if (s->cookies != 0) {
		out->severity = TWA_SEV_INFO;
		twa_finding_summary(out, "%s (with tcp_syncookies=%" PRId64 " it bounds no SYN queue)",
				    desc, s->cookies);
		twa_finding_recommend(out, "With SYN cookies on, tcp_max_syn_backlog limits nothing; a listener's SYN queue is bounded by its listen() backlog. The profile's value matters only if cookies are turned off.");
		return 0;
	}
	out->severity = TWA_SEV_WARNING;
	twa_finding_summary(out, "%s", desc);
	twa_finding_recommend(out, "Raise net.ipv4.tcp_max_syn_backlog: with SYN cookies off, SYNs are dropped once a SYN queue passes 3/4 of it.");
	return 0;
}

static int rule_syn_backlog_low(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	struct synq s;
	int r;

	RULE_OOM(synq_read(f, out, &s));
	RULE_OOM(synq_ev_listeners(f, out));
	r = synq_judge_listener(f, out, &s);
	if (r == 0)
		r = synq_judge_max_syn(f, out, &s);
	if (r == 0)
		r = synq_judge_compliance(ctx, out, &s);
	return r < 0 ? r : 0;
}

const struct twa_rule_entry twa_rule_syn_backlog_low_entry = {
	.rule = &twa_rules[TWA_RULE_SYN_BACKLOG_LOW],
	.explain = explain_syn_backlog_low,
	.eval = rule_syn_backlog_low,
};
