/* SPDX-License-Identifier: MIT */
/* rules_system.c - CLOSE_WAIT leaks, orphans, conntrack, profile sysctls, boot-time truth. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "advisor/rules/rule_helpers.h"
#include "advisor/rules/rule_trace.h"
#include "advisor/rules/rules_builtin.h"
#include "advisor/facts/sysctl_db.h"

/* ---- close-wait-leak ---------------------------------------------------- */

static const char explain_close_wait_leak[] =
	"CLOSE_WAIT means the peer has closed its side (its FIN arrived) and the local\n"
	"application has not yet called close() on its socket. The kernel cannot finish\n"
	"the connection on its own: only the process can, by closing the descriptor. A\n"
	"handful that come and go is normal; many that stay mean a leak: a client library\n"
	"whose responses are never closed, a pool that keeps dead connections, an error\n"
	"path that skips close(). Each holds a file descriptor and memory until the\n"
	"process closes it or exits.\n"
	"\n"
	"No sysctl fixes this: not tcp_fin_timeout (FIN_WAIT2 orphans only), not\n"
	"tcp_keepalive_* (the connection is already half closed by the peer), not\n"
	"tcp_max_orphans (these sockets are not orphans). twadvise therefore proposes no\n"
	"change and names the processes instead.\n"
	"\n"
	"Evidence: the CLOSE_WAIT count (inet_diag), the owning processes found by socket\n"
	"inode in /proc/PID/fd (complete only as root), the rate with --samples.\n"
	"Severity: info from 'info' (10), warning from 'warning' (100), critical from\n"
	"'critical' (1000) sockets.\n"
	"\n"
	"What to do: fix the application to close sockets after reading EOF (0 from\n"
	"read()); restart it as a stopgap. What not to do: tune sysctls; kill the peer.\n"
	"\n"
	"Sources: RFC 9293 section 3.3.2 (state diagram); net/ipv4/tcp_input.c\n"
	"(tcp_fin: ESTABLISHED -> CLOSE_WAIT); proc(5) (/proc/PID/fd).\n";

static int rule_close_wait_leak_snapshot(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	const struct twa_owners *o = &f->close_wait;
	uint64_t n = twa_facts_state(f, TWA_TCP_CLOSE_WAIT);
	struct strbuf who = STRBUF_INIT;
	double rate = 0;
	size_t i;

	RULE_OOM(rule_ev_state(out, f, TWA_TCP_CLOSE_WAIT));
	for (i = 0; i < f->rates.states.n; i++)
		if (!strcmp(f->rates.states.v[i].name, "CLOSE_WAIT"))
			rate = f->rates.states.v[i].per_sec;
	if ((double)n < twa_rule_param(ctx, "info"))
		return 0;
	out->severity = (double)n >= twa_rule_param(ctx, "critical") ? TWA_SEV_CRITICAL :
			(double)n >= twa_rule_param(ctx, "warning") ? TWA_SEV_WARNING :
			TWA_SEV_INFO;
	for (i = 0; i < o->n; i++) {
		if (i < 3)
			strbuf_addf(&who, "%s%s[%d] holds %" PRIu64, i ? ", " : "",
				    o->v[i].comm, o->v[i].pid, o->v[i].count);
		if (twa_finding_evidence(out, "CLOSE_WAIT owner", f->sources.owners,
					 "%s[%d]: %" PRIu64, o->v[i].comm, o->v[i].pid,
					 o->v[i].count) < 0) {
			strbuf_release(&who);
			return -ENOMEM;
		}
	}
	if (o->unattributed)
		RULE_OOM(twa_finding_evidence(out, "CLOSE_WAIT without a readable owner",
					      f->sources.owners, "%" PRIu64 " (%u processes unreadable)",
					      o->unattributed, o->unreadable));
	if (rate != 0)
		RULE_OOM(twa_finding_evidence(out, "CLOSE_WAIT change", "--samples",
					      "%+.1f/s", rate));
	if (f->sockets.fin_wait2_orphans_local_peer)
		RULE_OOM(twa_finding_evidence(out, "their local peers, orphaned in FIN_WAIT2",
					      f->sockets.source, "%" PRIu64,
					      f->sockets.fin_wait2_orphans_local_peer));
	twa_finding_summary(out, "%" PRIu64 " sockets in CLOSE_WAIT: the peer closed, the application never did%s%s%s",
			    n, who.len ? "; " : "", who.len ? who.buf : "",
			    rate > 0 ? " (growing)" : "");
	strbuf_release(&who);
	twa_finding_recommend(out, "Fix the application: it must close() a socket once read() returns 0 (the peer's FIN); look for responses or connections that are never closed and pools that keep dead connections. Restarting it releases them for now. No sysctl can close sockets a process holds.");
	if (o->unattributed && o->unreadable)
		twa_finding_recommend(out, "Run as root to see every owner.");
	return 0;
}

/* What the socket table shows, then what the tracer saw (check --trace). */
static int rule_close_wait_leak(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	int r = rule_close_wait_leak_snapshot(ctx, out);

	if (r < 0)
		return r;
	RULE_OOM(rule_trace_close_wait(ctx->facts, out));
	return r;
}

const struct twa_rule_entry twa_rule_close_wait_leak_entry = {
	.rule = &twa_rules[TWA_RULE_CLOSE_WAIT_LEAK],
	.explain = explain_close_wait_leak,
	.eval = rule_close_wait_leak,
};

/* ---- orphans-near-limit ------------------------------------------------- */

static const char explain_orphans_near_limit[] =
	"An orphan is a TCP socket no process holds any more but that still has work to\n"
	"do: sending the rest of its data and its FIN (FIN_WAIT1, LAST_ACK, CLOSING) or\n"
	"waiting in FIN_WAIT2. net.ipv4.tcp_max_orphans caps them host-wide: beyond it,\n"
	"orphans are reset at once and the kernel counts TcpExt TCPAbortOnMemory (also\n"
	"counted when TCP runs out of tcp_mem). Each orphan may pin up to about 64 KB of\n"
	"unswappable memory. Both the count (/proc/net/sockstat 'orphan') and the limit\n"
	"are global, not per network namespace; inside a container the limit is not\n"
	"visible.\n"
	"\n"
	"Evidence: sockstat orphan, tcp_max_orphans, TCPAbortOnMemory since boot and\n"
	"how it moved (its rate with --samples, else its increase since the last check).\n"
	"Severity (kind: health): warning at 'warning' (50%), critical at 'critical'\n"
	"(80%) of the limit; TCPAbortOnMemory growing during --samples is critical,\n"
	"grown since the last check a warning, above zero with nothing to compare with\n"
	"(first check, reboot, counter reset, --no-history) info.\n"
	"\n"
	"What to do: find why closed connections linger (peers that stop reading, lossy\n"
	"paths); tcp_orphan_retries shortens how long FIN_WAIT1 orphans retransmit\n"
	"(fin-wait1-orphans); raising tcp_max_orphans needs the memory to back it.\n"
	"\n"
	"Inside a network namespace other than the initial one, tcp_max_orphans does not\n"
	"exist (it is registered for the initial namespace only) and 'orphan' counts the\n"
	"whole host: the rule is then listed as not judged, with that reason, unless\n"
	"TCPAbortOnMemory (per namespace) moved.\n"
	"\n"
	"Sources: Documentation/networking/ip-sysctl.rst (tcp_max_orphans,\n"
	"tcp_orphan_retries); net/ipv4/tcp.c (tcp_check_oom, tcp_too_many_orphans).\n";

/* TCPAbortOnMemory: connections the kernel reset for memory or for
 * tcp_max_orphans, judged as a counter (rate, since the last check). */
static int judge_aborts(const struct twa_facts *f, struct twa_finding *out, char *what,
			size_t size)
{
	struct rule_rise ab;
	char phrase[160];

	rule_counter_rise(f, "TCPAbortOnMemory", &ab);
	RULE_OOM(rule_ev_rise(out, "TCPAbortOnMemory", &ab));
	rule_raise(out, rule_rise_severity(&ab));
	rule_rise_phrase(&ab, "connections reset for memory (TCPAbortOnMemory)", phrase,
			 sizeof(phrase));
	if (rule_rise_severity(&ab) == TWA_SEV_OK)
		snprintf(what, size, " (TCPAbortOnMemory %" PRId64 ")", ab.total);
	else
		snprintf(what, size, "; %s", phrase);
	return 0;
}

static int rule_orphans_near_limit(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	int64_t orphan = 0, max = 0;
	double share = 0;
	char to[32], what[192];
	bool have;

	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_max_orphans"));
	have = twa_facts_sockstat(f, "orphan", &orphan) &&
	       rule_sysctl_i64(f, "net.ipv4.tcp_max_orphans", &max) && max > 0;
	if (have) {
		RULE_OOM(twa_finding_evidence(out, "orphan", "/proc/net/sockstat", "%" PRId64, orphan));
		share = (double)orphan / (double)max;
	}
	RULE_OOM(judge_aborts(f, out, what, sizeof(what)));
	if (!twa_facts_sysctl(f, "net.ipv4.tcp_max_orphans") && out->severity == TWA_SEV_OK) {
		/* Registered for the initial namespace only (ipv4_table): a
		 * child sees neither the limit nor a per-namespace count. */
		snprintf(out->not_judged, sizeof(out->not_judged), "net.ipv4.tcp_max_orphans is host-global and not visible in this network namespace; sockstat 'orphan' counts the whole host: judge it on the host");
		return 0;
	}
	if (have && share >= twa_rule_param(ctx, "warning"))
		rule_raise(out, share >= twa_rule_param(ctx, "critical") ? TWA_SEV_CRITICAL :
				TWA_SEV_WARNING);
	else if (out->severity == TWA_SEV_OK)
		return have ? 0 : TWA_RULE_NOT_JUDGED;	/* no limit to judge against */
	else {
		twa_finding_summary(out, "%s; %" PRId64 " orphaned sockets now", what + 2, orphan);
		twa_finding_recommend(out, "The kernel reset connections because TCP ran short of memory (tcp_mem) or orphans exceeded net.ipv4.tcp_max_orphans: check tcp_mem pressure in /proc/net/sockstat and why closed connections linger.");
		return 0;
	}
	twa_finding_summary(out, "%" PRId64 " orphaned sockets, %.0f%% of tcp_max_orphans (%" PRId64
			    "): beyond it the kernel resets them%s",
			    orphan, 100 * share, max, what);
	snprintf(to, sizeof(to), "%" PRId64, max * 2);
	RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_max_orphans",
				    twa_facts_sysctl(f, "net.ipv4.tcp_max_orphans"), to));
	twa_finding_recommend(out, "Find why closed connections linger (FIN_WAIT1/LAST_ACK toward peers that stopped reading); raise net.ipv4.tcp_max_orphans only with the memory to back it (up to ~64 KB each).");
	return 0;
}

const struct twa_rule_entry twa_rule_orphans_near_limit_entry = {
	.rule = &twa_rules[TWA_RULE_ORPHANS_NEAR_LIMIT],
	.explain = explain_orphans_near_limit,
	.eval = rule_orphans_near_limit,
};

/* ---- fin-wait1-orphans -------------------------------------------------- */

static const char explain_fin_wait1_orphans[] =
	"A socket the application closed while its FIN (or data before it) is not yet\n"
	"acknowledged sits in FIN_WAIT1, owned by no process: an orphan. Toward a peer\n"
	"that vanished (host gone, firewall dropping, link down) it retransmits its FIN\n"
	"with exponential backoff until net.ipv4.tcp_orphan_retries is used up (0, the\n"
	"default, means 8 while the socket is alive: over 100 s at the minimal 200 ms\n"
	"RTO, minutes on slow paths); the kernel then aborts it and counts TcpExt\n"
	"TCPAbortOnTimeout. Past net.ipv4.tcp_max_orphans (host-wide) or under tcp_mem\n"
	"pressure they are reset at once (TCPAbortOnMemory; orphans-near-limit).\n"
	"tcp_fin_timeout does not apply: it governs FIN_WAIT2, where our FIN was\n"
	"acknowledged and the peer's is awaited (fin-wait2-orphans).\n"
	"\n"
	"Evidence: FIN_WAIT1 sockets without an owning socket (inet_diag: no inode),\n"
	"sockstat 'orphan' (host-wide), tcp_orphan_retries, tcp_max_orphans where the\n"
	"namespace has it, TCPAbortOnTimeout and TCPAbortOnMemory as counters (rate with\n"
	"--samples, else since the last check).\n"
	"Severity (kind: health): warning from 'warning' (500) orphaned FIN_WAIT1\n"
	"sockets.\n"
	"\n"
	"What to do: find the peers that stopped answering (the remote addresses in\n"
	"'ss -tn state fin-wait-1'); lower net.ipv4.tcp_orphan_retries (per network\n"
	"namespace; proposed: 'orphan_retries', 3) so such orphans give up sooner. What\n"
	"not to do: lower tcp_fin_timeout for them (it changes nothing in FIN_WAIT1).\n"
	"\n"
	"Sources: net/ipv4/tcp_timer.c (tcp_orphan_retries, tcp_out_of_resources,\n"
	"tcp_write_timeout), net/ipv4/tcp.c (tcp_close, tcp_check_oom),\n"
	"Documentation/networking/ip-sysctl.rst (tcp_orphan_retries, tcp_max_orphans).\n";

/* How long an orphan retransmits with n retries from the minimal 200 ms
 * RTO (TCP_RTO_MIN, doubling each time, capped at TCP_RTO_MAX 120 s). */
static double orphan_lifetime(int64_t n)
{
	double rto = 0.2, total = 0;
	int64_t i;

	for (i = 0; i <= n && i < 32; i++) {
		total += rto;
		rto = rto * 2 > 120 ? 120 : rto * 2;
	}
	return total;
}

static int rule_fin_wait1_orphans(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	uint64_t n = f->sockets.fin_wait1_orphans;
	int64_t retries = 0, eff, orphan = 0, target = (int64_t)twa_rule_param(ctx, "orphan_retries");
	struct rule_rise tmo, mem;
	char to[32];

	rule_counter_rise(f, "TCPAbortOnTimeout", &tmo);
	rule_counter_rise(f, "TCPAbortOnMemory", &mem);
	if ((double)n < twa_rule_param(ctx, "warning"))
		return 0;
	RULE_OOM(rule_ev_state(out, f, TWA_TCP_FIN_WAIT1));
	RULE_OOM(twa_finding_evidence(out, "orphaned FIN_WAIT1", f->sockets.source, "%" PRIu64, n));
	if (twa_facts_sockstat(f, "orphan", &orphan))
		RULE_OOM(twa_finding_evidence(out, "orphan (host-wide)", "/proc/net/sockstat",
					      "%" PRId64, orphan));
	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_orphan_retries"));
	RULE_OOM(rule_ev_sysctl(out, f, "net.ipv4.tcp_max_orphans"));
	RULE_OOM(rule_ev_rise(out, "TCPAbortOnTimeout", &tmo));
	RULE_OOM(rule_ev_rise(out, "TCPAbortOnMemory", &mem));
	rule_sysctl_i64(f, "net.ipv4.tcp_orphan_retries", &retries);
	eff = retries == 0 ? 8 : retries;	/* tcp_orphan_retries(): 0 means 8 */
	out->severity = TWA_SEV_WARNING;
	twa_finding_summary(out, "%" PRIu64 " orphaned sockets in FIN_WAIT1: closed here, their FIN never acknowledged (peers gone or silent); tcp_orphan_retries %" PRId64 " keeps each retransmitting for %.0f s or more",
			    n, retries, orphan_lifetime(eff));
	if (eff > target) {
		snprintf(to, sizeof(to), "%" PRId64, target);
		RULE_OOM(twa_finding_change(out, "net.ipv4.tcp_orphan_retries",
					    twa_facts_sysctl(f, "net.ipv4.tcp_orphan_retries"), to));
	}
	twa_finding_recommend(out, "Find the peers that stopped answering ('ss -tn state fin-wait-1' shows them). Lower net.ipv4.tcp_orphan_retries (%" PRId64 ": about %.0f s) so these orphans give up sooner. tcp_fin_timeout does not apply to FIN_WAIT1 (only to FIN_WAIT2).",
			      target, orphan_lifetime(target));
	return 0;
}

const struct twa_rule_entry twa_rule_fin_wait1_orphans_entry = {
	.rule = &twa_rules[TWA_RULE_FIN_WAIT1_ORPHANS],
	.explain = explain_fin_wait1_orphans,
	.eval = rule_fin_wait1_orphans,
};

/* ---- conntrack-near-full ------------------------------------------------ */

static const char explain_conntrack_near_full[] =
	"When netfilter connection tracking is loaded, every connection, TIME_WAIT ones\n"
	"included (conntrack keeps its own TIME_WAIT timeout, 120 s by default), takes an\n"
	"entry. When net.netfilter.nf_conntrack_count reaches nf_conntrack_max, new\n"
	"connections are dropped and the kernel logs 'nf_conntrack: table full, dropping\n"
	"packet'. Hosts with many short connections reach it before they run out of\n"
	"ports.\n"
	"\n"
	"Evidence: nf_conntrack_count and nf_conntrack_max (absent when the module is\n"
	"not loaded). Severity: warning at 'warning' (75%), critical at 'critical' (90%).\n"
	"\n"
	"What to do: raise nf_conntrack_max (and the hash size) with memory to spare, or\n"
	"exempt high-volume flows from tracking (NOTRACK rules).\n"
	"\n"
	"In a network namespace other than the initial one nf_conntrack_max is read-only\n"
	"(nf_conntrack_standalone.c) and nf_conntrack_count counts this namespace's\n"
	"entries only: the finding then says to raise the limit on the host, and plan\n"
	"lists the change under 'not_proposed' (never applied: the namespace cannot\n"
	"write it). Below the warning share the rule says it did not judge: the table\n"
	"is shared by every namespace, so a low share here proves nothing about the\n"
	"host; run the check there.\n"
	"\n"
	"Sources: Documentation/networking/nf_conntrack-sysctl.rst,\n"
	"net/netfilter/nf_conntrack_standalone.c.\n";

static int rule_conntrack_near_full(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_facts *f = ctx->facts;
	int64_t count, max;
	char desc[512], to[32];
	double share;
	int r;

	r = rule_want_mismatch(ctx, "net.netfilter.nf_conntrack_max", out, desc, sizeof(desc));
	if (r < 0)
		return r;
	/* Without the conntrack module there is nothing to track or tune. */
	if (!rule_sysctl_i64(f, "net.netfilter.nf_conntrack_count", &count) ||
	    !rule_sysctl_i64(f, "net.netfilter.nf_conntrack_max", &max) || max <= 0)
		return 0;
	RULE_OOM(rule_ev_sysctl(out, f, "net.netfilter.nf_conntrack_count"));
	RULE_OOM(rule_ev_sysctl(out, f, "net.netfilter.nf_conntrack_max"));
	share = (double)count / (double)max;
	/* In a child namespace the table (and its max) is the host's and the
	 * count only this namespace's share: a high share is host pressure,
	 * a low one proves nothing about the host. */
	if (share < twa_rule_param(ctx, "warning") && !r && out->severity == TWA_SEV_OK &&
	    twa_facts_sysctl_readonly(f, "net.netfilter.nf_conntrack_max")) {
		snprintf(out->not_judged, sizeof(out->not_judged), "the conntrack table is the host's (nf_conntrack_max is read-only in this network namespace) and nf_conntrack_count here is this namespace's share only: judge it on the host");
		return TWA_RULE_NOT_JUDGED;
	}
	if (share >= twa_rule_param(ctx, "warning")) {
		out->severity = share >= twa_rule_param(ctx, "critical") ? TWA_SEV_CRITICAL :
				TWA_SEV_WARNING;
		twa_finding_summary(out, "connection tracking holds %" PRId64 " of %" PRId64
				    " entries (%.0f%%): when full, new connections are dropped",
				    count, max, 100 * share);
		if (twa_facts_sysctl_readonly(f, "net.netfilter.nf_conntrack_max"))
			twa_finding_recommend(out, "nf_conntrack_max is read-only in this network namespace (the table is the host's, shared by every namespace; the count here is this namespace's share): raise it on the host, in the initial network namespace; plan will not propose it here.");
		if (!out->n_changes) {
			snprintf(to, sizeof(to), "%" PRId64, max * 2);
			RULE_OOM(twa_finding_change(out, "net.netfilter.nf_conntrack_max",
						    twa_facts_sysctl(f, "net.netfilter.nf_conntrack_max"),
						    to));
		}
		twa_finding_recommend(out, "Raise net.netfilter.nf_conntrack_max (memory permitting) or exempt high-volume flows from tracking.");
	} else if (r) {
		out->severity = TWA_SEV_WARNING;
		out->kind = TWA_KIND_COMPLIANCE;
		twa_finding_summary(out, "%s", desc);
		twa_finding_recommend(out, "Raise net.netfilter.nf_conntrack_max to what the profile wants before the table fills (memory permitting).");
	}
	return 0;
}

const struct twa_rule_entry twa_rule_conntrack_near_full_entry = {
	.rule = &twa_rules[TWA_RULE_CONNTRACK_NEAR_FULL],
	.explain = explain_conntrack_near_full,
	.eval = rule_conntrack_near_full,
};

/* ---- sysctl-mismatch ---------------------------------------------------- */

static const char explain_sysctl_mismatch[] =
	"A profile may want values for sysctls no dedicated rule judges (keepalive\n"
	"timings, tcp_max_tw_buckets, SYN retries, ...). This rule compares each of them\n"
	"with the host and proposes the profile's value. Keys a dedicated rule owns are\n"
	"judged there, with the reasoning that belongs to them: tcp_tw_reuse\n"
	"(tw-reuse-off), tcp_timestamps (tw-reuse-without-timestamps), tcp_fin_timeout\n"
	"(fin-timeout-misconception), ip_local_port_range (ephemeral-range-narrow),\n"
	"somaxconn (somaxconn-low), tcp_max_syn_backlog (syn-backlog-low),\n"
	"tcp_tw_recycle (tw-recycle-enabled), nf_conntrack_max (conntrack-near-full).\n"
	"\n"
	"Any other sysctl a profile names (vm.dirty_ratio, net.core.busy_poll, ... as\n"
	"a TuneD profile imported with 'twadvise profiles import' does) is judged here\n"
	"too: it must exist on the target and its value must have the shape of the\n"
	"kernel's (one integer, a vector of integers or a string). Keys outside net.\n"
	"are host-wide even inside a network namespace.\n"
	"\n"
	"Sysctls twadvise knows (typed and bounded):\n"
	"  net.ipv4.tcp_tw_reuse, tcp_tw_reuse_delay, tcp_timestamps, tcp_fin_timeout,\n"
	"  tcp_max_tw_buckets, ip_local_port_range, ip_local_reserved_ports,\n"
	"  net.core.somaxconn, tcp_max_syn_backlog, tcp_syncookies,\n"
	"  tcp_abort_on_overflow, tcp_max_orphans, tcp_orphan_retries, tcp_tw_recycle,\n"
	"  tcp_keepalive_time, tcp_keepalive_intvl, tcp_keepalive_probes,\n"
	"  tcp_syn_retries, tcp_synack_retries, net.core.netdev_max_backlog,\n"
	"  net.netfilter.nf_conntrack_max.\n"
	"Most of net.ipv4.tcp_* and somaxconn are per network namespace: a change applies\n"
	"to the namespace inspected. tcp_max_orphans and netdev_max_backlog are global.\n"
	"\n"
	"Severity: warning for a value the profile wants and the host lacks; info when\n"
	"the kernel has no such sysctl. Kind: compliance ('check --evidence-only' shows\n"
	"it as info and leaves the status to live evidence).\n"
	"\n"
	"Sources: Documentation/networking/ip-sysctl.rst.\n";

static int rule_sysctl_mismatch(const struct twa_rule_ctx *ctx, struct twa_finding *out)
{
	const struct twa_profile *p = ctx->profile;
	struct strbuf keys = STRBUF_INIT;
	size_t i, n = 0, absent = 0;

	for (i = 0; p && i < p->n_wants; i++) {
		const struct twa_sysctl_def *d = twa_sysctl_def_find(p->wants[i].key);
		const char *key = p->wants[i].key;
		char desc[512];
		int r;

		if (d && d->rule)
			continue;	/* a dedicated rule judges this key */
		r = rule_want_mismatch(ctx, key, out, desc, sizeof(desc));
		if (r < 0) {
			strbuf_release(&keys);
			return r;
		}
		if (!r)
			continue;
		if (!twa_facts_sysctl(ctx->facts, key))
			absent++;
		else
			n++;
		strbuf_addf(&keys, "%s%s", keys.len ? "; " : "", desc);
	}
	if (n || absent) {
		out->severity = n ? TWA_SEV_WARNING : TWA_SEV_INFO;
		out->kind = TWA_KIND_COMPLIANCE;
		twa_finding_summary(out, "%zu sysctl%s differ%s from profile '%s': %s", n + absent,
				    n + absent == 1 ? "" : "s", n + absent == 1 ? "s" : "",
				    p->name, keys.buf);
		twa_finding_recommend(out, "Apply the profile's values with 'twadvise plan' and 'twadvise apply'.");
	}
	strbuf_release(&keys);
	return 0;
}

const struct twa_rule_entry twa_rule_sysctl_mismatch_entry = {
	.rule = &twa_rules[TWA_RULE_SYSCTL_MISMATCH],
	.explain = explain_sysctl_mismatch,
	.eval = rule_sysctl_mismatch,
};

/* ---- sysctl-persist-overridden ------------------------------------------ */

static const char explain_sysctl_persist_overridden[] =
	"'twadvise apply --persist' writes /etc/sysctl.d/90-twadvise.conf so its values\n"
	"survive a reboot. At boot, systemd-sysctl reads /etc/sysctl.d, /run/sysctl.d,\n"
	"/usr/local/lib/sysctl.d and /usr/lib/sysctl.d; a file name in an earlier\n"
	"directory masks the same name in a later one; the files are applied in\n"
	"lexicographic order of their names and the last setting of a key wins.\n"
	"/etc/sysctl.conf comes last (procps 'sysctl --system' reads it last, systemd\n"
	"through the 99-sysctl.conf link). So a 95-foo.conf or /etc/sysctl.conf setting\n"
	"the same key silently undoes the fix at the next boot.\n"
	"\n"
	"Evidence: the keys in twadvise's persisted file whose boot-time value comes from\n"
	"another file, with that file and value.\n"
	"Severity: warning.\n"
	"\n"
	"What to do: remove or change the other setting, or give the fix a later name.\n"
	"\n"
	"Sources: sysctl.d(5), systemd-sysctl.service(8), sysctl(8).\n";

static int rule_sysctl_persist_overridden(const struct twa_rule_ctx *ctx,
					  struct twa_finding *out)
{
	const struct twa_boot *b = &ctx->facts->boot;
	struct strbuf what = STRBUF_INIT;
	size_t i;

	if (!b->present || !b->n_overrides)
		return 0;
	for (i = 0; i < b->n_overrides; i++) {
		const struct twa_boot_override *o = &b->overrides[i];

		if (twa_finding_evidence(out, o->key, o->file, "%s at boot instead of %s",
					 o->theirs, o->ours) < 0) {
			strbuf_release(&what);
			return -ENOMEM;
		}
		if (i < 3)
			strbuf_addf(&what, "%s%s=%s from %s", i ? ", " : "", o->key,
				    o->theirs, o->file);
	}
	out->severity = TWA_SEV_WARNING;
	out->kind = TWA_KIND_COMPLIANCE;	/* the next boot's values, not today's traffic */
	twa_finding_summary(out, "%zu key%s persisted in %s would be overridden at the next boot: %s%s",
			    b->n_overrides, b->n_overrides == 1 ? "" : "s", b->file,
			    what.buf, b->n_overrides > 3 ? ", ..." : "");
	twa_finding_recommend(out, "Remove or align the later setting, otherwise the host silently loses the fix at reboot.");
	strbuf_release(&what);
	return 0;
}

const struct twa_rule_entry twa_rule_sysctl_persist_overridden_entry = {
	.rule = &twa_rules[TWA_RULE_SYSCTL_PERSIST_OVERRIDDEN],
	.explain = explain_sysctl_persist_overridden,
	.eval = rule_sysctl_persist_overridden,
};
