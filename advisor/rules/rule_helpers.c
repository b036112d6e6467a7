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

static const char *boot_why(enum twa_history_state s)
{
	switch (s) {
	case TWA_HISTORY_REBOOT:
		return "rebooted since the last check";
	case TWA_HISTORY_RESET:
		return "counters reset since the last check";
	case TWA_HISTORY_DISABLED:
		return "--no-history";
	case TWA_HISTORY_VALID:
		return "not in the last check's sample";
	default:
		return "no earlier check to compare with";
	}
}

void rule_counter_rise(const struct twa_facts *f, const char *name, struct rule_rise *ret)
{
	const struct twa_named *d;
	size_t i;

	memset(ret, 0, sizeof(*ret));
	if (!twa_facts_counter(f, name, &ret->total))
		return;
	if (f->rates.present) {
		ret->basis = RULE_BASIS_SAMPLES;
		for (i = 0; i < f->rates.counters.n; i++)
			if (!strcmp(f->rates.counters.v[i].name, name))
				ret->rate = f->rates.counters.v[i].per_sec;
		return;
	}
	d = f->history.state == TWA_HISTORY_VALID ?
	    twa_named_get(&f->history.deltas, name) : NULL;
	if (d) {
		ret->basis = RULE_BASIS_HISTORY;
		ret->delta = d->value;
		ret->interval = f->history.interval;
		return;
	}
	ret->basis = RULE_BASIS_BOOT;
	ret->why = boot_why(f->history.state);
}

void rule_rise_minus(const struct rule_rise *a, const struct rule_rise *b,
		     struct rule_rise *ret)
{
	*ret = *a;
	if (b->basis != a->basis)
		return;		/* b absent: nothing to take away */
	ret->total = a->total > b->total ? a->total - b->total : 0;
	ret->rate = a->rate > b->rate ? a->rate - b->rate : 0;
	ret->delta = a->delta > b->delta ? a->delta - b->delta : 0;
}

bool rule_rising(const struct rule_rise *r)
{
	return (r->basis == RULE_BASIS_SAMPLES && r->rate > 0) ||
	       (r->basis == RULE_BASIS_HISTORY && r->delta > 0);
}

enum twa_severity rule_rise_severity(const struct rule_rise *r)
{
	if (r->basis == RULE_BASIS_SAMPLES && r->rate > 0)
		return TWA_SEV_CRITICAL;
	if (r->basis == RULE_BASIS_HISTORY)
		return r->delta > 0 ? TWA_SEV_WARNING : TWA_SEV_OK;
	return r->total > 0 ? TWA_SEV_INFO : TWA_SEV_OK;
}

void rule_ago(double secs, char *buf, size_t size)
{
	if (secs < 1)
		snprintf(buf, size, "less than a second");
	else if (secs < 120)
		snprintf(buf, size, "%.0f s", secs);
	else if (secs < 2 * 3600)
		snprintf(buf, size, "%.0f min", secs / 60);
	else if (secs < 2 * 86400)
		snprintf(buf, size, "%.0f h", secs / 3600);
	else
		snprintf(buf, size, "%.0f days", secs / 86400);
}

void rule_rise_phrase(const struct rule_rise *r, const char *noun, char *buf, size_t size)
{
	char ago[32];

	switch (r->basis) {
	case RULE_BASIS_SAMPLES:
		if (r->rate > 0)
			snprintf(buf, size, "%s at %.1f/s now (%" PRId64 " since boot)", noun,
				 r->rate, r->total);
		else
			snprintf(buf, size, "no %s during --samples (%" PRId64 " since boot)", noun,
				 r->total);
		break;
	case RULE_BASIS_HISTORY:
		rule_ago(r->interval, ago, sizeof(ago));
		snprintf(buf, size, "%" PRId64 " %s since the last check %s ago", r->delta, noun, ago);
		break;
	case RULE_BASIS_BOOT:
		snprintf(buf, size, "%" PRId64 " %s since boot (%s)", r->total, noun, r->why);
		break;
	default:
		snprintf(buf, size, "%s: no counter", noun);
	}
}

int rule_ev_rise(struct twa_finding *out, const char *name, const struct rule_rise *r)
{
	char ev[96], ago[32];

	if (r->basis == RULE_BASIS_ABSENT)
		return twa_finding_evidence(out, name, "/proc/net/netstat", "absent");
	if (twa_finding_evidence(out, name, "/proc/net/netstat", "%" PRId64 " since boot",
				 r->total) < 0)
		return -ENOMEM;
	snprintf(ev, sizeof(ev), "%s rate", name);
	if (r->basis == RULE_BASIS_SAMPLES)
		return twa_finding_evidence(out, ev, "--samples", "%.1f/s", r->rate);
	if (r->basis != RULE_BASIS_HISTORY)
		return 0;
	rule_ago(r->interval, ago, sizeof(ago));
	snprintf(ev, sizeof(ev), "%s since the last check", name);
	return twa_finding_evidence(out, ev, "history", "%" PRId64 " in %s", r->delta, ago);
}

int rule_want_mismatch(const struct twa_rule_ctx *ctx, const char *key,
		       struct twa_finding *out, char *desc, size_t size)
{
	const struct twa_sysctl_want *w = twa_profile_want(ctx->profile, key);
	const char *cur = twa_facts_sysctl(ctx->facts, key);
	char proposal[TWA_SYSCTL_VALUE_SIZE], want[160], curbuf[160];
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
	if (proposal[0] && twa_facts_sysctl_readonly(ctx->facts, key)) {
		/* A host-global key seen from a child namespace: plan lists
		 * the change as one to make on the host, never applies it. */
		size_t n = strlen(desc);

		snprintf(desc + n, size - n, " (read-only in this network namespace: change it on the host)");
	}
	if (proposal[0]) {
		RULE_OOM(twa_finding_change(out, key, cur, proposal));
		rule_change_from_profile(out, key);
	}
	return 1;
}

uint64_t rule_tw_buckets_target(const struct twa_facts *f, int64_t buckets,
				uint64_t floor)
{
	uint64_t tw = twa_facts_state(f, TWA_TCP_TIME_WAIT);
	uint64_t need = tw + (tw / 2 > 1024 ? tw / 2 : 1024);
	uint64_t target = floor;

	if (buckets > 0 && (uint64_t)buckets * 2 > target)
		target = (uint64_t)buckets * 2;
	return need > target ? need : target;
}

uint64_t rule_fin_wait2_remote_orphans(const struct twa_facts *f)
{
	uint64_t all = f->sockets.fin_wait2_orphans;
	uint64_t local = f->sockets.fin_wait2_orphans_local_peer;

	return local < all ? all - local : 0;
}

void rule_change_from_profile(struct twa_finding *out, const char *key)
{
	size_t i;

	for (i = 0; i < out->n_changes; i++)
		if (!strcmp(out->changes[i].key, key))
			out->changes[i].profile = true;
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
		char canon[TWA_SYSCTL_VALUE_SIZE];

		/* Write it back in the kernel's canonical, sorted form. */
		if (twa_reserved_ports_parse(sb.buf, &all, &na, NULL) == 0) {
			struct twa_sysctl_want w = { .key = "net.ipv4.ip_local_reserved_ports",
						     .has = TWA_WANT_VALUE };
			bool ok;

			/* A list too long to keep whole is no proposal, never a cut one. */
			if (twa_sysctl_value_copy(w.value, sizeof(w.value), sb.buf) < 0 ||
			    twa_want_check(&w, cur ? cur : "", &ok, canon, sizeof(canon)) < 0)
				ok = true;
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

void rule_port_model(const struct twa_facts *f, const struct twa_destination *d,
		     struct rule_port_model *ret)
{
	int64_t ts = 1;
	uint64_t young = d->have_tw_recent ? d->tw_recent : 0;
	double est = 0;

	memset(ret, 0, sizeof(*ret));
	ret->reuse = -1;
	rule_sysctl_i64(f, "net.ipv4.tcp_tw_reuse", &ret->reuse);
	rule_sysctl_i64(f, "net.ipv4.tcp_timestamps", &ts);
	ret->timestamps = ts != 0;
	ret->reuse_applies = ret->reuse == 1 || (ret->reuse == 2 && d->loopback);
	ret->delay_ms = twa_facts_tw_reuse_delay_ms(f);
	/* The timer gives each socket's age; with --samples the close rate
	 * also tells how many enter TIME_WAIT per delay: take the larger. */
	if (d->have_rate) {
		est = d->close_rate * ret->delay_ms / 1000.0;
		if (est > (double)young) {
			young = (uint64_t)(est + 0.5);
			ret->young_estimated = true;
		}
	}
	ret->young = young < d->time_wait ? young : d->time_wait;
	if (ret->reuse_applies && ret->timestamps)
		ret->reusable = d->time_wait - ret->young;
	ret->unavailable = d->in_use > ret->reusable ? d->in_use - ret->reusable : 0;
	if (f->ephemeral.have_bind) {
		uint64_t lost = f->ephemeral.bind_ports + f->ephemeral.listener_ports;
		uint64_t own = d->have_bind_held ? d->bind_held : 0;

		ret->bind_lost = lost > own ? lost - own : 0;
		ret->unavailable += ret->bind_lost;
		if (ret->unavailable > f->ephemeral.usable && f->ephemeral.usable)
			ret->unavailable = f->ephemeral.usable;
	}
	if (d->have_rate) {
		double busy = (double)(d->in_use - (d->in_use < d->time_wait ?
						     d->in_use : d->time_wait));

		ret->projected = busy + (double)ret->bind_lost +
				 (ret->reuse_applies && ret->timestamps ?
				  est : d->projected_time_wait);
	}
}

const struct twa_destination *rule_worst_unavailable(const struct twa_facts *f,
						      struct rule_port_model *ret)
{
	const struct twa_destination *worst = NULL;
	struct rule_port_model m;
	size_t i;

	memset(ret, 0, sizeof(*ret));
	for (i = 0; i < f->ephemeral.n_dest; i++) {
		const struct twa_destination *d = &f->ephemeral.dest[i];

		rule_port_model(f, d, &m);
		if (!worst || m.unavailable > ret->unavailable) {
			worst = d;
			*ret = m;
		}
	}
	return worst;
}

bool rule_reuse1_changes(const struct rule_port_model *m)
{
	return m->reuse == 0 || (m->reuse == 2 && !m->reuse_applies);
}

int rule_ev_tw_recycled(struct twa_finding *out, const struct twa_facts *f,
			bool *rising)
{
	size_t i;

	*rising = false;
	RULE_OOM(rule_ev_counter(out, f, "TWRecycled"));
	for (i = 0; i < f->rates.counters.n; i++) {
		const struct twa_rate *r = &f->rates.counters.v[i];

		if (strcmp(r->name, "TWRecycled"))
			continue;
		*rising = r->per_sec > 0;
		return twa_finding_evidence(out, "TWRecycled rate", "--samples",
					    "%.1f/s%s", r->per_sec,
					    *rising ? ": connect() is reusing TIME_WAIT ports" : "");
	}
	return 0;
}
