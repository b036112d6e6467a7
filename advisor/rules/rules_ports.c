/* SPDX-License-Identifier: MIT */
/* rules_ports.c - rules about ephemeral ports: exhaustion, range, listeners in it. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "advisor/util/parse.h"
#include "advisor/facts/proctext.h"
#include "advisor/rules/rule_helpers.h"
#include "advisor/rules/rule_trace.h"
#include "advisor/rules/rules_builtin.h"

/* The range proposed when a profile names none: wide, above the
 * registered ports most services use, and of different parity ends as
 * ip-sysctl.rst recommends. */
#define WIDE_RANGE "10000 65535"

/* ---- ephemeral-exhaustion ----------------------------------------------- */

static const char explain_ephemeral_exhaustion[] =
	"An outgoing connection needs a unique 4-tuple (source address, source port,\n"
	"destination address, destination port). connect() without bind() picks a source\n"
	"port from net.ipv4.ip_local_port_range minus ip_local_reserved_ports and only\n"
	"checks that the 4-tuple is free (__inet_hash_connect() and\n"
	"__inet_check_established() in net/ipv4/inet_hashtables.c). So ports run out per\n"
	"destination: with the default range 32768-60999 (28232 ports), a host can hold at\n"
	"most 28232 connections, TIME_WAIT included, toward one address:port from one\n"
	"source address. When they are all taken, connect() fails with EADDRNOTAVAIL\n"
	"('Cannot assign requested address'). A proxy closing its upstream connections\n"
	"first at 500 per second holds 30000 of them in TIME_WAIT (60 s each): the\n"
	"classic case.\n"
	"\n"
	"A TIME_WAIT socket does not always hold its port: when connect() meets one of\n"
	"the same 4-tuple, tcp_twsk_unique() (net/ipv4/tcp_ipv4.c; IPv6 uses the same\n"
	"function) takes it over if tcp_tw_reuse is 1, or 2 and the pair is loopback\n"
	"(127.0.0.0/8, ::1, v4-mapped loopback, or bound to lo), the socket carries a\n"
	"timestamp (tcp_timestamps), and it is older than tcp_tw_reuse_delay ms (1000 by\n"
	"default; about a second on kernels before 6.13, which lack the knob). So the\n"
	"ports truly unavailable toward a destination are those in use minus the\n"
	"TIME_WAIT the kernel could reuse now.\n"
	"\n"
	"An IPv6 socket connected to a v4-mapped address (::ffff:a.b.c.d) goes through\n"
	"tcp_v4_connect() (net/ipv6/tcp_ipv6.c) and takes its port in the IPv4 4-tuple\n"
	"space: it counts with the IPv4 sockets toward a.b.c.d.\n"
	"\n"
	"Ports taken by bind() are lost to EVERY destination: __inet_hash_connect() skips\n"
	"a port whose bind bucket bind() made (tb->fastreuse or fastreuseport >= 0) and\n"
	"uses only its own buckets (-1). bind(addr, 0) before connect() takes such a port\n"
	"(inet_csk_get_port() / inet_csk_find_open_port(), net/ipv4/inet_connection_sock.c)\n"
	"unless IP_BIND_ADDRESS_NO_PORT is set; a listener's port is one too. So the ports\n"
	"unavailable toward a destination also count the bind-bucket ports that other\n"
	"destinations hold. The dump does not show bind buckets; twadvise estimates them:\n"
	"a listener's port is one; a port shared by two destinations, or a socket with\n"
	"IP_BIND_ADDRESS_NO_PORT (INET_DIAG_SOCKOPT, 5.10+), is connect()'s; otherwise the\n"
	"parity (since 4.6 connect() tries ports of the parity of the range's low end\n"
	"first, bind() to port 0 the other one): a port of bind()'s parity counts when its\n"
	"destination holds more ports of that parity than of connect()'s and connect()\n"
	"toward it had not run out of its own; when bind()'s parity is full, the other\n"
	"ports of those destinations count too. It misses explicit bind() to a port of\n"
	"connect()'s parity and bind() mixed with more plain connects, and may count a\n"
	"socket with a per-socket IP_LOCAL_PORT_RANGE (6.3+). Their owners are named\n"
	"(/proc/PID/fd), and the finding names the pattern when these ports are at least\n"
	"a quarter of the unavailable ones.\n"
	"\n"
	"Evidence: for the destination with the most unavailable ports among the top\n"
	"ones (per local address, remote address, remote port): ports held, reusable\n"
	"now, bind buckets held elsewhere and unavailable; the ports taken by bind()\n"
	"before connect() and who takes them; every other destination over the warning\n"
	"line (the first 5, then how many more); whether reuse applies there and why;\n"
	"the TIME_WAIT younger than tcp_tw_reuse_delay (from each socket's timer; with\n"
	"--samples also the close\n"
	"rate x the delay, the larger wins); TcpExt TWRecycled, and its rate with\n"
	"--samples (rising: reuse works). With --samples, the unavailable ports the close\n"
	"rate sustains (rate x 60 s of TIME_WAIT, or only the young ones where reuse\n"
	"applies). When /proc/net/sockstat shows fewer TCP sockets in total than the\n"
	"warning share of the range, no destination can reach it and the dump is skipped.\n"
	"\n"
	"Severity: warning at 'warning' (default 50%) of the usable range unavailable\n"
	"toward one destination, critical at 'critical' (default 80%), judged on the\n"
	"larger of the share now and the projected share.\n"
	"\n"
	"What to do, best first: open fewer connections (HTTP keep-alive, connection\n"
	"pools to the upstream); spread them over more 4-tuples (several source\n"
	"addresses, with IP_BIND_ADDRESS_NO_PORT before bind() so the port is still\n"
	"chosen per 4-tuple; more destination ports or backends); tcp_tw_reuse=1 so\n"
	"connect() can take over TIME_WAIT ports safely (timestamps required), proposed\n"
	"only where it changes reusability for that destination (reuse 0, or 2 toward\n"
	"a non-loopback one) and TIME_WAIT is at least a quarter of the ports held;\n"
	"widen ip_local_port_range, reserving the ports local services listen on.\n"
	"\n"
	"What not to do: bind() to port 0 before connect() (the port is then taken\n"
	"exclusively, for every destination); lower tcp_fin_timeout (TIME_WAIT is fixed\n"
	"at 60 s); enable tcp_tw_recycle (gone since 4.12).\n"
	"\n"
	"Sources: net/ipv4/inet_hashtables.c (__inet_hash_connect,\n"
	"__inet_check_established); net/ipv4/inet_connection_sock.c\n"
	"(inet_csk_find_open_port); net/ipv6/tcp_ipv6.c (tcp_v6_connect, v4-mapped);\n"
	"net/ipv4/inet_diag.c (INET_DIAG_SOCKOPT); net/ipv4/tcp_ipv4.c (tcp_twsk_unique);\n"
	"Documentation/networking/ip-sysctl.rst (ip_local_port_range,\n"
	"ip_local_reserved_ports, tcp_tw_reuse, tcp_tw_reuse_delay); ip(7)\n"
	"(IP_BIND_ADDRESS_NO_PORT).\n";

/* The range to propose (profile's, else WIDE_RANGE) when it adds ports. */
static int propose_range(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	const struct twa_sysctl_want *w = twa_profile_want(ctx->profile,
							   "net.ipv4.ip_local_port_range");
	const char *target = w && (w->has & TWA_WANT_VALUE) ? w->value : WIDE_RANGE;
	unsigned lo, hi;

	/* A profile's range that adds no ports (default's is the kernel's
	 * own) must not stop the widening exhaustion calls for. */
	if (twa_port_range_parse(target, &lo, &hi, NULL) < 0 ||
	    hi - lo + 1 <= f->ephemeral.high - f->ephemeral.low + 1) {
		target = WIDE_RANGE;
		if (twa_port_range_parse(target, &lo, &hi, NULL) < 0 ||
		    hi - lo + 1 <= f->ephemeral.high - f->ephemeral.low + 1)
			return 0;
	}
	RULE_OOM(twa_finding_change(out, "net.ipv4.ip_local_port_range",
				    twa_facts_sysctl(f, "net.ipv4.ip_local_port_range"),
				    target));
	return rule_reserve_listeners(out, f, lo, hi);
}

/* Why TIME_WAIT toward the destination is or is not reusable, and how
 * many are too young. */
static int ev_reuse(struct twa_finding *out, const struct twa_facts *f,
		    const struct rule_port_model *m)
{
	const char *why;

	if (m->reuse < 0)
		why = "no: the kernel has no tcp_tw_reuse";
	else if (!m->reuse_applies)
		why = m->reuse == 0 ? "no: tcp_tw_reuse is 0" :
		      "no: tcp_tw_reuse is 2 (loopback only) and neither address is loopback";
	else if (!m->timestamps)
		why = "no: tcp_timestamps is 0, TIME_WAIT sockets carry no timestamp";
	else
		why = m->reuse == 1 ? "yes: tcp_tw_reuse is 1" :
		      "yes: tcp_tw_reuse is 2 and the pair is loopback";
	RULE_OOM(twa_finding_evidence(out, "TIME_WAIT reusable toward it", "tcp_twsk_unique",
				      "%s", why));
	return twa_finding_evidence(out, "TIME_WAIT younger than tcp_tw_reuse_delay",
				    m->young_estimated ? "--samples" : f->sockets.source,
				    "%" PRIu64 " (%s %u ms)", m->young,
				    m->young_estimated ? "close rate x" : "timer, delay",
				    m->delay_ms);
}

static int ev_destination(struct twa_finding *out, const struct twa_facts *f,
			  const struct twa_destination *d, const struct rule_port_model *m)
{
	const struct twa_ephemeral *e = &f->ephemeral;
	char dst[TWA_ADDRPORTSTRLEN];

	RULE_OOM(twa_finding_evidence(out, "worst destination", f->sockets.source,
				      "%s -> %s: %" PRIu64 " ports (%.1f%%), %" PRIu64 " in TIME_WAIT%s",
				      d->local, twa_addr_port(d->remote, d->remote_port, dst, sizeof(dst)),
				      d->in_use, 100 * d->share, d->time_wait,
				      d->loopback ? ", loopback" : ""));
	if (m->bind_lost)
		RULE_OOM(twa_finding_evidence(out, "ports toward it", f->sockets.source,
					      "held %" PRIu64 " / reusable now %" PRIu64 " / bind buckets elsewhere %" PRIu64 " / unavailable %" PRIu64,
					      d->in_use, m->reusable, m->bind_lost, m->unavailable));
	else
		RULE_OOM(twa_finding_evidence(out, "ports toward it", f->sockets.source,
					      "held %" PRIu64 " / reusable now %" PRIu64 " / unavailable %" PRIu64,
					      d->in_use, m->reusable, m->unavailable));
	if (d->time_wait)
		RULE_OOM(ev_reuse(out, f, m));
	if (e->untracked)
		RULE_OOM(twa_finding_evidence(out, "sockets of untracked destinations",
					      f->sockets.source, "%" PRIu64, e->untracked));
	if (d->have_rate)
		RULE_OOM(twa_finding_evidence(out, "new TIME_WAIT toward it", "--samples",
					      "%.1f/s, sustaining %.0f unavailable ports",
					      d->close_rate, m->projected));
	return 0;
}

/* "python3[412] (600 sockets), nginx[9] (3)": the owners of the ports
 * bind() took before connect(), the first few. */
static void bind_owner_names(const struct twa_ephemeral *e, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < e->n_bind_owners && i < 3 && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s[%d] (%" PRIu64 " socket%s)",
					i ? ", " : "", e->bind_owners[i].comm,
					e->bind_owners[i].pid, e->bind_owners[i].count,
					e->bind_owners[i].count == 1 ? "" : "s");
	if (e->n_bind_owners > 3 && len < size)
		snprintf(buf + len, size - len, ", ...");
}

/* The ports that bind buckets take from every destination, and who. */
static int ev_bind(struct twa_finding *out, const struct twa_facts *f)
{
	const struct twa_ephemeral *e = &f->ephemeral;
	char who[256];

	if (!e->have_bind || (!e->bind_ports && !e->listener_ports))
		return 0;
	if (e->bind_ports)
		RULE_OOM(twa_finding_evidence(out, "ports taken by bind() before connect()",
					      f->sockets.source,
					      "%" PRIu64 " (lost to connect() toward every destination; estimated from port parity)",
					      e->bind_ports));
	if (e->listener_ports)
		RULE_OOM(twa_finding_evidence(out, "listening ports inside the range",
					      f->sockets.source, "%" PRIu64, e->listener_ports));
	if (!e->bind_ports || !e->bind_searched)
		return 0;
	bind_owner_names(e, who, sizeof(who));
	return twa_finding_evidence(out, "who binds before connect()", f->sources.owners,
				    "%s", who[0] ? who : "no readable process holds them");
}

/* Item: every other destination over the warning line, the first few by
 * unavailable ports (top destinations kept in the facts), then a count. */
#define OTHERS_SHOWN 5
static int ev_others(struct twa_finding *out, const struct twa_facts *f,
		     const struct twa_destination *worst, double warn, size_t *over)
{
	const struct twa_ephemeral *e = &f->ephemeral;
	char dst[TWA_ADDRPORTSTRLEN];
	size_t i, shown = 0;

	*over = 0;
	for (i = 0; i < e->n_dest; i++) {
		const struct twa_destination *d = &e->dest[i];
		struct rule_port_model m;
		double share;

		if (d == worst)
			continue;
		rule_port_model(f, d, &m);
		share = (double)m.unavailable / e->usable;
		if (share < warn && m.projected / e->usable < warn)
			continue;
		if (++*over > OTHERS_SHOWN)
			continue;
		shown++;
		RULE_OOM(twa_finding_evidence(out, "also over the line", f->sockets.source,
					      "%s -> %s: %" PRIu64 " of %u unavailable (%.1f%%)",
					      d->local, twa_addr_port(d->remote, d->remote_port,
								      dst, sizeof(dst)),
					      m.unavailable, e->usable, 100 * share));
	}
	if (*over > shown)
		RULE_OOM(twa_finding_evidence(out, "also over the line", f->sockets.source,
					      "and %zu more destination%s", *over - shown,
					      *over - shown == 1 ? "" : "s"));
	return 0;
}

/* tcp_tw_reuse=1 (and timestamps) where it changes what the kernel may
 * reuse toward d, and TIME_WAIT is a real part (a quarter) of the use. */
static int propose_reuse(struct twa_finding *out, const struct twa_facts *f,
			 const struct twa_destination *d, const struct rule_port_model *m)
{
	bool reuse = rule_reuse1_changes(m);
	char dst[TWA_ADDRPORTSTRLEN];

	if (d->time_wait * 4 < d->in_use || (!reuse && m->timestamps) ||
	    (!reuse && !m->reuse_applies))
		return 0;
	if (reuse)
		RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_tw_reuse",
					    twa_facts_sysctl(f, "net.ipv4.tcp_tw_reuse"), "1"));
	if (!m->timestamps)
		RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_timestamps",
					    twa_facts_sysctl(f, "net.ipv4.tcp_timestamps"), "1"));
	twa_finding_recommend(out, "tcp_tw_reuse=1 with timestamps lets connect() take over a TIME_WAIT port toward %s once it is older than tcp_tw_reuse_delay (%u ms).",
			      twa_addr_port(d->remote, d->remote_port, dst, sizeof(dst)),
			      m->delay_ms);
	return 0;
}

/* The one line and what to do, naming bind() before connect() when the
 * ports it takes are a real part (a quarter) of what is unavailable. */
static void summarize(struct twa_finding *out, const struct twa_facts *f,
		      const struct twa_destination *d, const struct rule_port_model *m,
		      double share, double projected, size_t others)
{
	const struct twa_ephemeral *e = &f->ephemeral;
	bool bind = e->bind_ports && m->bind_lost * 4 >= m->unavailable;
	char dst[TWA_ADDRPORTSTRLEN], cause[160] = "", more[64] = "", rate[160] = "", who[256];

	twa_addr_port(d->remote, d->remote_port, dst, sizeof(dst));
	if (bind)
		snprintf(cause, sizeof(cause), "; %" PRIu64 " ports are taken by bind() before connect() and lost to every destination",
			 e->bind_ports);
	if (others)
		snprintf(more, sizeof(more), "; %zu more destination%s over the line",
			 others, others == 1 ? "" : "s");
	if (projected > share)
		snprintf(rate, sizeof(rate), "; at the current close rate (%.1f/s) TIME_WAIT would leave %.0f ports unavailable (%.1f%%)",
			 d->close_rate, m->projected, 100 * projected);
	twa_finding_summary(out, "%.1f%% of the usable ephemeral ports toward %s (from %s) are unavailable: %" PRIu64
			    " of %u (%" PRIu64 " held, %" PRIu64 " in TIME_WAIT, %" PRIu64 " of them reusable now)%s%s%s",
			    100 * share, dst, d->local, m->unavailable, e->usable, d->in_use,
			    d->time_wait, m->reusable, cause, more, rate);
	twa_finding_recommend(out, "connect() fails with EADDRNOTAVAIL when no port is left toward this destination. Open fewer connections: keep-alive and connection pools to %s. Spread connections over more source addresses (IP_BIND_ADDRESS_NO_PORT, then bind() and connect()) or destination ports. Do not bind() to port 0 before connect().",
			      dst);
	if (!bind)
		return;
	bind_owner_names(e, who, sizeof(who));
	twa_finding_recommend(out, "%s bind%s sockets to port 0 (or a fixed port) before connect(): such a port gets a bind bucket that __inet_hash_connect() skips for every destination. Set IP_BIND_ADDRESS_NO_PORT before that bind() (the port is then chosen at connect() per 4-tuple), or do not bind() at all.",
			      who[0] ? who : "A process whose owner could not be read",
			      e->n_bind_owners == 1 ? "s" : "");
}

static int rule_ephemeral_exhaustion_snapshot(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	const struct twa_ephemeral *e = &f->ephemeral;
	double warn = twa_rule_param(ctx, "warning"), crit = twa_rule_param(ctx, "critical");
	struct rule_port_model m;
	const struct twa_destination *d;
	double share, projected = 0, judged;
	bool recycling;
	size_t others;

	if (!e->present)
		return 0;
	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.ip_local_port_range"));
	RULE_OOM(twa_finding_evidence(out, "usable ephemeral ports", "/proc/sys", "%u",
				      e->usable));
	if (!e->dumped) {
		RULE_OOM(twa_finding_evidence(out, "TCP sockets in total (bound)",
					      "/proc/net/sockstat", "%" PRIu64, e->bound));
		return 0;
	}
	d = rule_worst_unavailable(f, &m);
	if (!d || !e->usable)
		return 0;
	RULE_OOM(ev_destination(out, f, d, &m));
	RULE_OOM(ev_bind(out, f));
	RULE_OOM(rule_ev_tw_recycled(out, f, &recycling));
	share = (double)m.unavailable / e->usable;
	projected = m.projected / e->usable;
	judged = share > projected ? share : projected;
	if (judged < warn)
		return 0;
	out->severity = judged >= crit ? TWA_SEV_CRITICAL : TWA_SEV_WARNING;
	RULE_OOM(ev_others(out, f, d, warn, &others));
	summarize(out, f, d, &m, share, projected, others);
	RULE_OOM(propose_reuse(out, f, d, &m));
	RULE_OOM(propose_range(ctx, out));
	if (recycling)
		twa_finding_recommend(out, "TWRecycled is rising: connect() is already reusing TIME_WAIT ports; what is left unavailable is not TIME_WAIT that reuse could take.");
	return 0;
}

/* What the socket table shows, then what the tracer saw (check --trace). */
static int rule_ephemeral_exhaustion(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	int r = rule_ephemeral_exhaustion_snapshot(ctx, out);

	if (r < 0)
		return r;
	RULE_OOM(rule_trace_exhaustion(ctx->facts, out));
	return r;
}

const struct twa_rule_entry twa_rule_ephemeral_exhaustion_entry = {
	.rule = &twa_rules[TWA_RULE_EPHEMERAL_EXHAUSTION],
	.explain = explain_ephemeral_exhaustion,
	.eval = rule_ephemeral_exhaustion,
};

/* ---- ephemeral-range-narrow --------------------------------------------- */

static const char explain_ephemeral_range_narrow[] =
	"net.ipv4.ip_local_port_range bounds how many outgoing connections a host can\n"
	"hold toward one destination from one source address (see ephemeral-exhaustion).\n"
	"The default, 32768-60999, gives 28232 ports. A profile for a host that opens\n"
	"many connections (reverse-proxy, high-churn-client) asks for a wider range with\n"
	"'min_size' and the range to propose with 'value'. ip-sysctl.rst recommends ends\n"
	"of different parity (connect() and bind() prefer ports of different parity).\n"
	"\n"
	"Widening the range downward can make connect() take a port a local service\n"
	"wants to listen on after a restart. twadvise therefore also proposes adding\n"
	"the ports of the current listeners inside the new range to\n"
	"ip_local_reserved_ports (see listener-in-ephemeral-range). Services that are\n"
	"not running now are not seen: reserve their ports too.\n"
	"\n"
	"Evidence: the current range and usable count, the profile's wanted size.\n"
	"Severity: warning when the range is smaller than the profile wants.\n"
	"\n"
	"Sources: Documentation/networking/ip-sysctl.rst (ip_local_port_range,\n"
	"ip_local_reserved_ports).\n";

static int rule_ephemeral_range_narrow(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	char desc[512];
	int r;

	r = rule_want_mismatch(ctx, "net.ipv4.ip_local_port_range", out, desc, sizeof(desc));
	if (r <= 0)
		return r;
	out->severity = TWA_SEV_WARNING;
	out->kind = TWA_KIND_COMPLIANCE;	/* exhaustion itself is ephemeral-exhaustion's */
	twa_finding_summary(out, "%s (now %u usable ports)", desc, f->ephemeral.usable);
	if (out->n_changes) {
		unsigned lo, hi;

		if (twa_port_range_parse(out->changes[0].to, &lo, &hi, NULL) == 0)
			RULE_OOM(rule_reserve_listeners(out, f, lo, hi));
	}
	twa_finding_recommend(out, "Widen the range so connections toward one destination have more ports; the listening ports inside the new range are reserved with it. Reserve the ports of services that are not running now as well.");
	return 0;
}

const struct twa_rule_entry twa_rule_ephemeral_range_narrow_entry = {
	.rule = &twa_rules[TWA_RULE_EPHEMERAL_RANGE_NARROW],
	.explain = explain_ephemeral_range_narrow,
	.eval = rule_ephemeral_range_narrow,
};

/* ---- listener-in-ephemeral-range ---------------------------------------- */

static const char explain_listener_in_ephemeral_range[] =
	"A service listening on a port inside ip_local_port_range that is not in\n"
	"ip_local_reserved_ports works until it restarts: in the meantime any outgoing\n"
	"connection (or bind() to port 0) may be given that port as its source port, and\n"
	"the service's bind() then fails with EADDRINUSE. ip_local_reserved_ports takes\n"
	"ports out of automatic selection; explicit bind() to them still works.\n"
	"\n"
	"Evidence: each listening socket's port against the range and the reserved\n"
	"list, with its owning process where /proc/PID/fd can be read.\n"
	"Severity: warning.\n"
	"\n"
	"What to do: add the ports to net.ipv4.ip_local_reserved_ports (proposed), or move\n"
	"the service below the range. What not to do: shrink the range for one service.\n"
	"\n"
	"Sources: Documentation/networking/ip-sysctl.rst (ip_local_reserved_ports);\n"
	"net/ipv4/inet_connection_sock.c (inet_csk_get_port).\n";

static int rule_listener_in_ephemeral_range(const struct twa_rule_ctx *ctx,
					    struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	struct strbuf names = STRBUF_INIT;
	char at[TWA_ADDRPORTSTRLEN];
	size_t i, n = 0;

	if (!f->ephemeral.present)
		return 0;
	for (i = 0; i < f->n_listeners; i++) {
		const struct twa_listener *l = &f->listeners[i];

		if (!l->in_ephemeral_range)
			continue;
		if (n < 5) {
			if (l->process.pid)
				strbuf_addf(&names, "%s%s (%s[%d])", n ? ", " : "",
					    twa_addr_port(l->local, l->port, at, sizeof(at)),
					    l->process.comm, l->process.pid);
			else
				strbuf_addf(&names, "%s%s", n ? ", " : "",
					    twa_addr_port(l->local, l->port, at, sizeof(at)));
		}
		n++;
		if (twa_finding_evidence(out, "listener in range", f->sockets.source,
					 "%s", twa_addr_port(l->local, l->port, at, sizeof(at))) < 0) {
			strbuf_release(&names);
			return -ENOMEM;
		}
	}
	if (n) {
		out->severity = TWA_SEV_WARNING;
		/* A hazard of configuration for the next restart, not a failure now. */
		out->kind = TWA_KIND_COMPLIANCE;
		twa_finding_summary(out, "%zu listening socket%s inside the ephemeral range %u-%u and not reserved: %s%s",
				    n, n == 1 ? " lies" : "s lie", f->ephemeral.low,
				    f->ephemeral.high, names.buf, n > 5 ? ", ..." : "");
		twa_finding_recommend(out, "Reserve these ports (net.ipv4.ip_local_reserved_ports) so outgoing connections cannot take them while the service restarts, or move the service below the range.");
		if (rule_reserve_listeners(out, f, f->ephemeral.low, f->ephemeral.high) < 0) {
			strbuf_release(&names);
			return -ENOMEM;
		}
	}
	strbuf_release(&names);
	return 0;
}

const struct twa_rule_entry twa_rule_listener_in_ephemeral_range_entry = {
	.rule = &twa_rules[TWA_RULE_LISTENER_IN_EPHEMERAL_RANGE],
	.explain = explain_listener_in_ephemeral_range,
	.eval = rule_listener_in_ephemeral_range,
};
