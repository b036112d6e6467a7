/* SPDX-License-Identifier: MIT */
/* check_out.c - Nagios and Prometheus output of a check. */
#include "advisor/rules/check_out.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "advisor/facts/facts_text.h"
#include "advisor/rules/rules.h"

static double param(const struct twa_profile *p, const char *rule,
		    const char *name)
{
	struct twa_rule_ctx ctx = { NULL, p, twa_rule_find(rule) };

	return ctx.rule ? twa_rule_param(&ctx, name) : 0;
}

/* Plugin output: '|' starts perfdata and a newline starts a line. Text
 * from the host (process names in summaries) must forge neither. */
static void add_plain(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		strbuf_addch(out, c == '|' ? '/' : c < 0x20 || c == 0x7f ? ' ' : (char)c);
	}
}

/* A rule's parameter, or NAN when the profile disables the rule. */
static double threshold(const struct twa_profile *p, const char *rule, const char *name)
{
	const struct twa_rule *r = twa_rule_find(rule);

	return r && twa_rule_enabled(p, r) ? param(p, rule, name) : (double)NAN;
}

/*
 * Perfdata ranges as the Nagios plugin guidelines read them: "@T:" alerts
 * when T <= value (inclusive), which is how every rule judges ("critical
 * at 80%" means value >= 80). A plain "80" would alert only above 80. For
 * a count, T is the smallest integer the rule alerts at.
 */
static void add_count_range(struct strbuf *out, double t)
{
	strbuf_addch(out, ';');
	if (!isnan(t))
		strbuf_addf(out, "@%.0f:", ceil(t));
}

/* The worst share as the rule judges it (the larger of the share taken and
 * the share the close rate sustains), in percent on the 0.01 grid, moved
 * by at most 0.01 where rounding would put it on the other side of a
 * threshold than the rule's judgement. */
static double ephemeral_pct(double judged, double warn, double crit, double *tw, double *tc)
{
	double v = round(judged * 10000) / 100;

	*tw = round(warn * 10000) / 100;
	*tc = round(crit * 10000) / 100;
	if (!isnan(crit) && judged >= crit && v < *tc)
		v = *tc;
	else if (!isnan(crit) && judged < crit && v >= *tc)
		v = *tc - 0.01;
	if (!isnan(warn) && judged >= warn && v < *tw)
		v = *tw;
	else if (!isnan(warn) && judged < warn && v >= *tw)
		v = *tw - 0.01;
	return v;
}

static void perf_ephemeral(const struct twa_facts *f, const struct twa_profile *p,
			   struct strbuf *out)
{
	const struct twa_ephemeral *e = &f->ephemeral;
	const struct twa_destination *d = twa_facts_worst_destination(f);
	double warn = threshold(p, "ephemeral-exhaustion", "warning");
	double crit = threshold(p, "ephemeral-exhaustion", "critical");
	double judged, tw, tc, v;

	if (!e->dumped || !d) {
		/* Not judged (sockstat ruled exhaustion out): no thresholds. */
		strbuf_addf(out, " ephemeral_worst=%.2f%%;;;0;100",
			    100.0 * (double)e->bound / e->usable);
		return;
	}
	judged = (double)d->in_use / e->usable;
	if (d->have_rate && d->projected_time_wait / e->usable > judged)
		judged = d->projected_time_wait / e->usable;
	v = ephemeral_pct(judged, warn, crit, &tw, &tc);
	strbuf_addf(out, " ephemeral_worst=%.2f%%;", v);
	if (!isnan(warn))
		strbuf_addf(out, "@%.2f:", tw);
	strbuf_addch(out, ';');
	if (!isnan(crit))
		strbuf_addf(out, "@%.2f:", tc);
	strbuf_addstr(out, ";0;100");
}

static void perf_states(const struct twa_facts *f, const struct twa_profile *p,
			struct strbuf *out)
{
	int64_t buckets = 0;

	strbuf_addf(out, " time_wait=%" PRIu64, twa_facts_state(f, TWA_TCP_TIME_WAIT));
	if (twa_facts_sysctl_int(f, "net.ipv4.tcp_max_tw_buckets", &buckets) == 0 &&
	    buckets > 0) {
		/* time-wait-volume warns at bucket_warning x buckets; no rule
		 * turns the count itself critical (time-wait-overflow reads the
		 * overflow counter). */
		add_count_range(out, threshold(p, "time-wait-volume", "bucket_warning") *
				(double)buckets);
		strbuf_addf(out, ";;0;%" PRId64, buckets);
	} else {
		strbuf_addstr(out, ";;;0");
	}
	strbuf_addf(out, " close_wait=%" PRIu64, twa_facts_state(f, TWA_TCP_CLOSE_WAIT));
	add_count_range(out, threshold(p, "close-wait-leak", "warning"));
	add_count_range(out, threshold(p, "close-wait-leak", "critical"));
	strbuf_addstr(out, ";0");
	strbuf_addf(out, " fin_wait2=%" PRIu64 ";;;0 established=%" PRIu64 ";;;0",
		    twa_facts_state(f, TWA_TCP_FIN_WAIT2),
		    twa_facts_state(f, TWA_TCP_ESTABLISHED));
}

/* Perfdata labels must not contain '=' or quotes; ours never do. */
int twa_check_write_nagios(const struct twa_facts *f,
			   const struct twa_findings *fs,
			   const struct twa_profile *p, struct strbuf *out)
{
	static const char *const label[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	size_t crit = twa_findings_count(fs, TWA_SEV_CRITICAL);
	size_t warn = twa_findings_count(fs, TWA_SEV_WARNING);
	int64_t ov;
	size_t i;

	strbuf_addf(out, "TWADVISE %s - %zu critical, %zu warning", label[fs->status],
		    crit, warn);
	if (fs->n && fs->v[0].severity >= TWA_SEV_WARNING) {
		strbuf_addstr(out, ": ");
		add_plain(out, fs->v[0].summary);
	}
	strbuf_addstr(out, " |");
	if (f->sockets.present)
		perf_states(f, p, out);
	if (f->ephemeral.present && f->ephemeral.usable)
		perf_ephemeral(f, p, out);
	if (twa_facts_counter(f, "ListenOverflows", &ov))
		strbuf_addf(out, " listen_overflows=%" PRId64 "c", ov);
	if (twa_facts_counter(f, "TCPTimeWaitOverflow", &ov))
		strbuf_addf(out, " time_wait_overflow=%" PRId64 "c", ov);
	strbuf_addch(out, '\n');
	for (i = 0; i < fs->n; i++) {
		strbuf_addf(out, "%s %s: ", twa_severity_label(fs->v[i].severity),
			    fs->v[i].rule);
		add_plain(out, fs->v[i].summary);
		strbuf_addch(out, '\n');
	}
	return strbuf_failed(out) ? -ENOMEM : 0;
}

int twa_check_write_nagios_unknown(const char *reason, struct strbuf *out)
{
	strbuf_addstr(out, "TWADVISE UNKNOWN - ");
	add_plain(out, reason);
	strbuf_addch(out, '\n');
	return strbuf_failed(out) ? -ENOMEM : 0;
}

static void prom_status(const char *profile, enum twa_status status, struct strbuf *out)
{
	const char *l[] = { "profile", profile, NULL };

	twa_prom_family(out, "twadvise_check_status", "gauge",
			"Result of the last check: 0 ok, 1 warning, 2 critical, 3 unknown.");
	twa_prom_sample(out, "twadvise_check_status", l, status);
}

int twa_check_write_prometheus_unknown(const char *profile, struct strbuf *out)
{
	prom_status(profile, TWA_STATUS_UNKNOWN, out);
	return strbuf_failed(out) ? -ENOMEM : 0;
}

int twa_check_write_prometheus(const struct twa_facts *f,
			       const struct twa_findings *fs,
			       struct strbuf *out)
{
	size_t i;

	twa_facts_write_prometheus(f, out);
	prom_status(fs->profile, fs->status, out);
	twa_prom_family(out, "twadvise_finding", "gauge",
			"Findings of the last check by rule: 1 info, 2 warning, 3 critical.");
	for (i = 0; i < fs->n; i++) {
		const char *l[] = { "rule", fs->v[i].rule, "severity",
				    twa_severity_name(fs->v[i].severity), NULL };

		twa_prom_sample(out, "twadvise_finding", l, fs->v[i].severity);
	}
	twa_prom_family(out, "twadvise_check_findings", "gauge",
			"Number of findings of the last check per severity.");
	for (i = TWA_SEV_INFO; i <= TWA_SEV_CRITICAL; i++) {
		const char *l[] = { "severity", twa_severity_name((enum twa_severity)i), NULL };

		twa_prom_sample(out, "twadvise_check_findings", l,
				(double)twa_findings_count(fs, (enum twa_severity)i));
	}
	return strbuf_failed(out) ? -ENOMEM : 0;
}
