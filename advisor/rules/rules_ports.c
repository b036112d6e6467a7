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
	"Evidence: for the destination with the most unavailable ports among the top\n"
	"ones (per local address, remote address, remote port): ports held, reusable\n"
	"now and unavailable; whether reuse applies there and why; the TIME_WAIT younger\n"
	"than tcp_tw_reuse_delay (from each socket's timer; with --samples also the close\n"
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
	"__inet_check_established); net/ipv4/tcp_ipv4.c (tcp_twsk_unique);\n"
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

	RULE_OOM(twa_finding_evidence(out, "worst destination", f->sockets.source,
				      "%s -> %s:%u: %" PRIu64 " ports (%.1f%%), %" PRIu64 " in TIME_WAIT%s",
				      d->local, d->remote, d->remote_port, d->in_use,
				      100 * d->share, d->time_wait,
				      d->loopback ? ", loopback" : ""));
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

/* tcp_tw_reuse=1 (and timestamps) where it changes what the kernel may
 * reuse toward d, and TIME_WAIT is a real part (a quarter) of the use. */
static int propose_reuse(struct twa_finding *out, const struct twa_facts *f,
			 const struct twa_destination *d, const struct rule_port_model *m)
{
	bool reuse = rule_reuse1_changes(m);

	if (d->time_wait * 4 < d->in_use || (!reuse && m->timestamps) ||
	    (!reuse && !m->reuse_applies))
		return 0;
	if (reuse)
		RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_tw_reuse",
					    twa_facts_sysctl(f, "net.ipv4.tcp_tw_reuse"), "1"));
	if (!m->timestamps)
		RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_timestamps",
					    twa_facts_sysctl(f, "net.ipv4.tcp_timestamps"), "1"));
	twa_finding_recommend(out, "tcp_tw_reuse=1 with timestamps lets connect() take over a TIME_WAIT port toward %s:%u once it is older than tcp_tw_reuse_delay (%u ms).",
			      d->remote, d->remote_port, m->delay_ms);
	return 0;
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
	char more[160] = "";

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
	RULE_OOM(rule_ev_tw_recycled(out, f, &recycling));
	share = (double)m.unavailable / e->usable;
	projected = m.projected / e->usable;
	judged = share > projected ? share : projected;
	if (judged < warn)
		return 0;
	if (projected > share)
		snprintf(more, sizeof(more), "; at the current close rate (%.1f/s) TIME_WAIT would leave %.0f ports unavailable (%.1f%%)",
			 d->close_rate, m.projected, 100 * projected);
	out->severity = judged >= crit ? TWA_SEV_CRITICAL : TWA_SEV_WARNING;
	twa_finding_summary(out, "%.1f%% of the usable ephemeral ports toward %s:%u (from %s) are unavailable: %" PRIu64
			    " of %u (%" PRIu64 " held, %" PRIu64 " in TIME_WAIT, %" PRIu64 " of them reusable now)%s",
			    100 * share, d->remote, d->remote_port, d->local, m.unavailable,
			    e->usable, d->in_use, d->time_wait, m.reusable,
			    more);
	twa_finding_recommend(out, "connect() fails with EADDRNOTAVAIL when no port is left toward this destination. Open fewer connections: keep-alive and connection pools to %s:%u. Spread connections over more source addresses (IP_BIND_ADDRESS_NO_PORT, then bind() and connect()) or destination ports. Do not bind() to port 0 before connect().",
			      d->remote, d->remote_port);
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
	size_t i, n = 0;

	if (!f->ephemeral.present)
		return 0;
	for (i = 0; i < f->n_listeners; i++) {
		const struct twa_listener *l = &f->listeners[i];

		if (!l->in_ephemeral_range)
			continue;
		if (n < 5) {
			if (l->process.pid)
				strbuf_addf(&names, "%s%s:%u (%s[%d])", n ? ", " : "", l->local,
					    l->port, l->process.comm, l->process.pid);
			else
				strbuf_addf(&names, "%s%s:%u", n ? ", " : "", l->local, l->port);
		}
		n++;
		if (twa_finding_evidence(out, "listener in range", f->sockets.source,
					 "%s:%u", l->local, l->port) < 0) {
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
