/* SPDX-License-Identifier: MIT */
/* rule_helpers.c - evidence, severity and proposal helpers the rule files share. */
#include "advisor/rules/rule_helpers.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/parse.h"
#include "advisor/util/strbuf.h"
#include "advisor/facts/proctext.h"
#include "advisor/facts/sysctl_key.h"

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
