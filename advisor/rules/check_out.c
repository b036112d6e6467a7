/* check_out.c - Nagios and Prometheus output of a check. */
#include "advisor/rules/check_out.h"

#include <errno.h>
#include <inttypes.h>
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

/* Perfdata labels must not contain '=' or quotes; ours never do. */
int twa_check_write_nagios(const struct twa_facts *f,
			   const struct twa_findings *fs,
			   const struct twa_profile *p, struct strbuf *out)
{
	static const char *const label[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	size_t crit = twa_findings_count(fs, TWA_SEV_CRITICAL);
	size_t warn = twa_findings_count(fs, TWA_SEV_WARNING);
	int64_t buckets = 0, ov;
	size_t i;

	strbuf_addf(out, "TWADVISE %s - %zu critical, %zu warning", label[fs->status],
		    crit, warn);
	if (fs->n && fs->v[0].severity >= TWA_SEV_WARNING) {
		strbuf_addstr(out, ": ");
		add_plain(out, fs->v[0].summary);
	}
	strbuf_addstr(out, " |");
	if (f->sockets.present) {
		uint64_t tw = twa_facts_state(f, TWA_TCP_TIME_WAIT);

		if (twa_facts_sysctl_int(f, "net.ipv4.tcp_max_tw_buckets", &buckets) == 0 &&
		    buckets > 0)
			strbuf_addf(out, " time_wait=%" PRIu64 ";%.0f;%" PRId64 ";0", tw,
				    param(p, "time-wait-volume", "bucket_warning") * (double)buckets,
				    buckets);
		else
			strbuf_addf(out, " time_wait=%" PRIu64 ";;;0", tw);
		strbuf_addf(out, " close_wait=%" PRIu64 ";%.0f;%.0f;0",
			    twa_facts_state(f, TWA_TCP_CLOSE_WAIT),
			    param(p, "close-wait-leak", "warning"),
			    param(p, "close-wait-leak", "critical"));
		strbuf_addf(out, " fin_wait2=%" PRIu64 ";;;0 established=%" PRIu64 ";;;0",
			    twa_facts_state(f, TWA_TCP_FIN_WAIT2),
			    twa_facts_state(f, TWA_TCP_ESTABLISHED));
	}
	if (f->ephemeral.present && f->ephemeral.usable) {
		double share = f->ephemeral.n_dest ? f->ephemeral.dest[0].share :
			       (double)f->ephemeral.bound / f->ephemeral.usable;

		strbuf_addf(out, " ephemeral_worst=%.1f%%;%.0f;%.0f;0;100", 100 * share,
			    100 * param(p, "ephemeral-exhaustion", "warning"),
			    100 * param(p, "ephemeral-exhaustion", "critical"));
	}
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

int twa_check_write_prometheus(const struct twa_facts *f,
			       const struct twa_findings *fs,
			       struct strbuf *out)
{
	size_t i;

	twa_facts_write_prometheus(f, out);
	twa_prom_family(out, "twadvise_check_status", "gauge",
			"Result of the last check: 0 ok, 1 warning, 2 critical, 3 unknown.");
	{
		const char *l[] = { "profile", fs->profile, NULL };

		twa_prom_sample(out, "twadvise_check_status", l, fs->status);
	}
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
