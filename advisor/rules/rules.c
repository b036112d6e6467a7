/* rules.c - the rule table, the engine that runs it, and helpers rules share. */
#include "advisor/rules/rules.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/parse.h"
#include "advisor/facts/proctext.h"
#include "advisor/rules/rules_impl.h"
#include "advisor/facts/sysctl_db.h"
#include "advisor/facts/sysctl_key.h"

#define S TWA_WANT_STATES
#define D TWA_WANT_DESTINATIONS
#define L TWA_WANT_LISTENERS
#define LO TWA_WANT_LISTENER_OWNERS_NOTABLE
#define CO TWA_WANT_CLOSE_WAIT_OWNERS
#define C TWA_WANT_COUNTERS
#define Y TWA_WANT_SYSCTLS

#define RULE(id, title, needs, name) \
	{ id, title, needs, params_##name, rule_##name, explain_##name }

const struct twa_rule twa_rules[] = {
	RULE("ephemeral-exhaustion", "ephemeral ports toward one destination",
	     D | Y, ephemeral_exhaustion),
	RULE("time-wait-overflow", "TIME_WAIT table overflows", C | Y | S,
	     time_wait_overflow),
	RULE("tw-recycle-enabled", "tcp_tw_recycle (removed in 4.12) is on", Y,
	     tw_recycle_enabled),
	RULE("listen-overflow", "accept queues overflowing", L | LO | C | Y,
	     listen_overflow),
	RULE("close-wait-leak", "sockets the application never closed",
	     S | CO, close_wait_leak),
	RULE("time-wait-volume", "how many sockets wait in TIME_WAIT", S | D | Y,
	     time_wait_volume),
	RULE("tw-reuse-off", "TIME_WAIT reuse for outgoing connections", D | Y,
	     tw_reuse_off),
	RULE("tw-reuse-without-timestamps", "tcp_tw_reuse without timestamps", Y,
	     tw_reuse_without_timestamps),
	RULE("ephemeral-range-narrow", "size of the ephemeral port range", Y | L,
	     ephemeral_range_narrow),
	RULE("listener-in-ephemeral-range", "listening ports inside the ephemeral range",
	     L | LO | Y, listener_in_ephemeral_range),
	RULE("fin-wait2-orphans", "orphaned FIN_WAIT2 sockets", S | Y,
	     fin_wait2_orphans),
	RULE("fin-timeout-misconception", "tcp_fin_timeout and TIME_WAIT", S | Y,
	     fin_timeout_misconception),
	RULE("somaxconn-low", "net.core.somaxconn", Y | L, somaxconn_low),
	RULE("syn-backlog-low", "net.ipv4.tcp_max_syn_backlog", Y | C,
	     syn_backlog_low),
	RULE("orphans-near-limit", "orphaned sockets against tcp_max_orphans",
	     C | Y, orphans_near_limit),
	RULE("conntrack-near-full", "connection tracking table", Y,
	     conntrack_near_full),
	RULE("sysctl-mismatch", "sysctls the profile wants", Y, sysctl_mismatch),
	RULE("sysctl-persist-overridden", "persisted sysctls lost at boot", Y,
	     sysctl_persist_overridden),
	{ NULL, NULL, 0, NULL, NULL, NULL },
};

const struct twa_rule *twa_rule_find(const char *id)
{
	const struct twa_rule *r;

	for (r = twa_rules; r->id; r++)
		if (!strcmp(r->id, id))
			return r;
	return NULL;
}

const struct twa_rule_param *twa_rule_param_find(const struct twa_rule *r,
						 const char *name)
{
	const struct twa_rule_param *p;

	for (p = r->params; p && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

double twa_rule_param(const struct twa_rule_ctx *ctx, const char *name)
{
	const struct twa_rule_param *p = twa_rule_param_find(ctx->rule, name);
	double v;

	if (!p)
		return 0;
	if (twa_profile_setting(ctx->profile, ctx->rule->id, name, &v))
		return v;
	return p->def;
}

bool twa_rule_enabled(const struct twa_profile *p, const struct twa_rule *r)
{
	return twa_profile_toggle(p, r->id) != 0;
}

unsigned twa_rules_needs(const struct twa_profile *p, double *ret_floor)
{
	const struct twa_rule *r;
	unsigned needs = 0;
	double floor = 1;

	for (r = twa_rules; r->id; r++) {
		struct twa_rule_ctx ctx = { NULL, p, r };

		if (!twa_rule_enabled(p, r))
			continue;
		needs |= r->needs;
		if (!strcmp(r->id, "ephemeral-exhaustion") &&
		    twa_rule_param(&ctx, "warning") < floor)
			floor = twa_rule_param(&ctx, "warning");
		if (!strcmp(r->id, "tw-reuse-off") &&
		    twa_rule_param(&ctx, "tw_share") < floor)
			floor = twa_rule_param(&ctx, "tw_share");
		if (!strcmp(r->id, "time-wait-volume") && (r->needs & D) &&
		    twa_rule_param(&ctx, "client_share") < floor)
			floor = twa_rule_param(&ctx, "client_share");
	}
	if (ret_floor)
		*ret_floor = floor;
	return needs;
}

int twa_rules_evaluate(const struct twa_facts *f, const struct twa_profile *p,
		       struct twa_findings *fs, struct twa_err *err)
{
	const struct twa_rule *r;

	if (p)
		twa_strlcpy(fs->profile, p->name, sizeof(fs->profile));
	for (r = twa_rules; r->id; r++) {
		struct twa_rule_ctx ctx = { f, p, r };
		struct twa_finding out;
		char **checked;
		int ret;

		if (!twa_rule_enabled(p, r))
			continue;
		memset(&out, 0, sizeof(out));
		twa_strlcpy(out.rule, r->id, sizeof(out.rule));
		ret = r->eval(&ctx, &out);
		if (ret < 0) {
			twa_finding_release(&out);
			return twa_err_set(err, ret, "rule %s: %s", r->id, strerror(-ret));
		}
		checked = realloc(fs->checked, (fs->n_checked + 1) * sizeof(*checked));
		if (!checked || !(checked[fs->n_checked] = strdup(r->id))) {
			if (checked)
				fs->checked = checked;
			twa_finding_release(&out);
			return twa_err_set(err, -ENOMEM, "out of memory");
		}
		fs->checked = checked;
		fs->n_checked++;
		if (out.severity == TWA_SEV_OK) {
			fs->n_ok++;
			twa_finding_release(&out);
			continue;
		}
		if (twa_findings_add(fs, &out) < 0) {
			twa_finding_release(&out);
			return twa_err_set(err, -ENOMEM, "out of memory");
		}
	}
	twa_findings_finish(fs);
	return 0;
}

/* ---- helpers ----------------------------------------------------------- */

bool rule_sysctl_i64(const struct twa_facts *f, const char *key, int64_t *ret)
{
	return twa_facts_sysctl_int(f, key, ret) == 0;
}

int rule_ev_sysctl(struct twa_finding *out, const struct twa_facts *f,
		   const char *key)
{
	const char *v = twa_facts_sysctl(f, key);
	char buf[160];

	if (!v)
		return twa_finding_evidence(out, key, "/proc/sys", "absent");
	twa_sysctl_value_display(v, buf, sizeof(buf));
	return twa_finding_evidence(out, key, "/proc/sys", "%s", buf);
}

int rule_ev_state(struct twa_finding *out, const struct twa_facts *f,
		  unsigned state)
{
	const char *src = f->sockets.source[0] ? f->sockets.source : "facts";

	if (f->sockets.skipped & TWA_TCPF(state))
		src = state == TWA_TCP_TIME_WAIT ? "/proc/net/sockstat" : "not dumped";
	return twa_finding_evidence(out, twa_tcp_state_name(state), src,
				    "%" PRIu64, twa_facts_state(f, state));
}

int rule_ev_counter(struct twa_finding *out, const struct twa_facts *f,
		    const char *name)
{
	int64_t v;

	if (!twa_facts_counter(f, name, &v))
		return twa_finding_evidence(out, name, "/proc/net/netstat", "absent");
	return twa_finding_evidence(out, name, "/proc/net/netstat", "%" PRId64, v);
}

void rule_raise(struct twa_finding *out, enum twa_severity s)
{
	if (s > out->severity)
		out->severity = s;
}

int rule_want_mismatch(const struct twa_rule_ctx *ctx, const char *key,
		       struct twa_finding *out, char *desc, size_t size)
{
	const struct twa_sysctl_want *w = twa_profile_want(ctx->profile, key);
	const char *cur = twa_facts_sysctl(ctx->facts, key);
	char proposal[256], want[160], curbuf[160];
	bool ok;

	if (!w)
		return 0;
	twa_want_check(w, cur, &ok, proposal, sizeof(proposal));
	if (ok)
		return 0;
	twa_want_describe(w, want, sizeof(want));
	RULE_OOM(rule_ev_sysctl(out, ctx->facts, key));
	if (!cur) {
		snprintf(desc, size, "%s is absent on this kernel; profile '%s' wants %s",
			 key, w->origin, want);
		return 1;
	}
	twa_sysctl_value_display(cur, curbuf, sizeof(curbuf));
	snprintf(desc, size, "%s is %s; profile '%s' wants %s%s%s", key, curbuf,
		 w->origin, want, w->reason[0] ? ": " : "", w->reason);
	if (proposal[0])
		RULE_OOM(twa_finding_change(out, key, cur, proposal));
	return 1;
}

int rule_reserve_listeners(struct twa_finding *out, const struct twa_facts *f,
			   unsigned low, unsigned high)
{
	const char *cur = twa_facts_sysctl(f, "net.ipv4.ip_local_reserved_ports");
	struct twa_portrange *have = NULL;
	size_t nh = 0, i, j;
	struct strbuf sb = STRBUF_INIT;
	unsigned added = 0;
	int r = 0;

	if (cur && twa_reserved_ports_parse(cur, &have, &nh, NULL) < 0)
		return 0;	/* unreadable list: leave it alone */
	strbuf_addstr(&sb, cur ? cur : "");
	for (i = 0; i < f->n_listeners; i++) {
		unsigned port = f->listeners[i].port;
		bool covered = port < low || port > high;

		for (j = 0; j < nh && !covered; j++)
			covered = port >= have[j].lo && port <= have[j].hi;
		/* The same port on v4 and v6 is reserved once. */
		for (j = 0; j < i && !covered; j++)
			covered = f->listeners[j].port == port &&
				  f->listeners[j].port >= low && f->listeners[j].port <= high;
		if (covered)
			continue;
		strbuf_addf(&sb, "%s%u", sb.len ? "," : "", port);
		added++;
	}
	if (added) {
		struct twa_portrange *all = NULL;
		size_t na = 0;
		char canon[256];

		/* Write it back in the kernel's canonical, sorted form. */
		if (twa_reserved_ports_parse(sb.buf, &all, &na, NULL) == 0) {
			struct twa_sysctl_want w = { .key = "net.ipv4.ip_local_reserved_ports",
						     .has = TWA_WANT_VALUE };
			bool ok;

			twa_strlcpy(w.value, sb.buf, sizeof(w.value));
			twa_want_check(&w, cur ? cur : "", &ok, canon, sizeof(canon));
			if (!ok && canon[0])
				r = twa_finding_change(out, "net.ipv4.ip_local_reserved_ports",
						       cur ? cur : "", canon);
		}
		free(all);
	}
	free(have);
	strbuf_release(&sb);
	return r;
}
