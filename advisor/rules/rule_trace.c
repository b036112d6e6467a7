/* SPDX-License-Identifier: MIT */
/* rule_trace.c - the tracer's evidence in findings. */
#include "advisor/rules/rule_trace.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "advisor/rules/rule_helpers.h"

#define TOP 3
#define SRC "trace (eBPF)"

/* 4100 -> "4,100" */
static const char *grouped(double v, char *buf, size_t size)
{
	char raw[32];
	size_t n, i, o = 0;

	snprintf(raw, sizeof(raw), "%.0f", v);
	n = strlen(raw);
	for (i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = raw[i];
	}
	buf[o] = '\0';
	return buf;
}

static const char *who(const struct twa_trace_row *r, char *buf, size_t size)
{
	snprintf(buf, size, "%s[%d]", r->pid ? r->comm : "(not accepted)", r->pid);
	return buf;
}

static const char *where(const struct twa_trace_row *r, char *buf, size_t size)
{
	snprintf(buf, size, r->family == TWA_AF_INET6 ? "[%s]:%u" : "%s:%u", r->addr, r->port);
	return buf;
}

int rule_trace_unavailable(const struct twa_facts *f, struct twa_finding *out)
{
	if (!f->trace.requested || f->trace.present)
		return 0;
	return twa_finding_evidence(out, "tracing", SRC, "unavailable: %s", f->trace.unavailable);
}

static const struct twa_trace_row *worst_failing(const struct twa_trace *t, uint64_t *total)
{
	const struct twa_trace_row *w = NULL;
	size_t i;

	*total = 0;
	for (i = 0; i < t->n_rows; i++) {
		uint64_t n = t->rows[i].connect_errors[TWA_TRACE_EADDRNOTAVAIL];

		*total += n;
		if (n && (!w || n > w->connect_errors[TWA_TRACE_EADDRNOTAVAIL]))
			w = &t->rows[i];
	}
	return w;
}

int rule_trace_exhaustion(const struct twa_facts *f, struct twa_finding *out)
{
	const struct twa_trace *t = &f->trace;
	const struct twa_trace_row *w;
	char p[64], d[TWA_ADDRSTRLEN + 10], rate[32];
	uint64_t total;
	size_t i;

	RULE_OOM(rule_trace_unavailable(f, out));
	if (!t->present || !(w = worst_failing(t, &total)))
		return 0;
	for (i = 0; i < t->n_rows; i++) {
		const struct twa_trace_row *r = &t->rows[i];

		if (!r->connect_errors[TWA_TRACE_EADDRNOTAVAIL])
			continue;
		RULE_OOM(twa_finding_evidence(out, "connect() failed with EADDRNOTAVAIL", SRC,
					      "%s toward %s: %" PRIu64 " in %.1f s (opened %" PRIu64
					      ", median lifetime %.3g ms)", who(r, p, sizeof(p)),
					      where(r, d, sizeof(d)),
					      r->connect_errors[TWA_TRACE_EADDRNOTAVAIL], t->duration,
					      r->opened, r->lifetime_median_ms));
	}
	out->severity = TWA_SEV_CRITICAL;
	twa_finding_summary(out, "%s: %" PRIu64 " connect() calls failed with EADDRNOTAVAIL toward %s in %.3g s; it opened %s/s, median lifetime %.3g ms: enable keep-alive (connection reuse) toward it%s",
			    who(w, p, sizeof(p)), w->connect_errors[TWA_TRACE_EADDRNOTAVAIL],
			    where(w, d, sizeof(d)), t->duration,
			    grouped(t->duration > 0 ? (double)w->opened / t->duration : 0, rate, sizeof(rate)),
			    w->lifetime_median_ms,
			    total > w->connect_errors[TWA_TRACE_EADDRNOTAVAIL] ? " (and other processes too)" : "");
	twa_finding_recommend(out, "Observed, not projected: connect() already fails. Short-lived connections to one destination are what keep-alive or a connection pool removes (nginx: upstream keepalive; HTTP clients: reuse the client).");
	return 0;
}

int rule_trace_active_closers(const struct twa_facts *f, struct twa_finding *out)
{
	const struct twa_trace *t = &f->trace;
	char p[64], d[TWA_ADDRSTRLEN + 10];
	size_t i, shown = 0;

	RULE_OOM(rule_trace_unavailable(f, out));
	if (!t->present)
		return 0;
	for (i = 0; i < t->n_rows && shown < TOP; i++) {
		const struct twa_trace_row *r = &t->rows[i];

		if (!r->active_close)
			continue;
		shown++;
		RULE_OOM(twa_finding_evidence(out, "closes first (holds the TIME_WAIT)", SRC,
					      "%s, %s %s: %" PRIu64 " in %.1f s (%.1f/s)",
					      who(r, p, sizeof(p)), r->role, where(r, d, sizeof(d)),
					      r->active_close, t->duration,
					      t->duration > 0 ? (double)r->active_close / t->duration : 0));
	}
	if (!shown)
		return twa_finding_evidence(out, "closes first (holds the TIME_WAIT)", SRC,
					    "no process closed a connection first in %.1f s", t->duration);
	return 0;
}

int rule_trace_close_wait(const struct twa_facts *f, struct twa_finding *out)
{
	const struct twa_trace *t = &f->trace;
	char p[64], d[TWA_ADDRSTRLEN + 10];
	size_t i, shown = 0;

	RULE_OOM(rule_trace_unavailable(f, out));
	if (!t->present)
		return 0;
	for (i = 0; i < t->n_rows && shown < TOP; i++) {
		const struct twa_trace_row *r = &t->rows[i];

		if (!r->close_wait || !r->pid)
			continue;
		shown++;
		RULE_OOM(twa_finding_evidence(out, "CLOSE_WAIT dwell", SRC,
					      "%s, %s %s: %" PRIu64 " sockets, %" PRIu64
					      " still in CLOSE_WAIT; mean %.1f ms, longest %.1f ms",
					      who(r, p, sizeof(p)), r->role, where(r, d, sizeof(d)),
					      r->close_wait, r->close_wait_open,
					      r->close_wait_mean_ms, r->close_wait_max_ms));
	}
	return 0;
}
