/* SPDX-License-Identifier: MIT */
/* report_html.c - a host's report as one self-contained HTML file: inline CSS and SVG, every string escaped. */
#include "advisor/report/report.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/facts/facts_json.h"
#include "advisor/report/markup.h"
#include "advisor/report/report_impl.h"
#include "advisor/report/svg.h"

#define esc twa_html_escape

static const char *status_cls(enum twa_status s)
{
	return twa_status_name(s);
}

static void html_findings(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_findings *fs = r->findings;
	size_t i, k;

	strbuf_addstr(out, "<section id=\"findings\">\n<h2>Findings</h2>\n");
	if (!fs->n) {
		strbuf_addf(out, "<p>No findings: all %zu rules checked passed.</p>\n</section>\n",
			    fs->n_checked);
		return;
	}
	strbuf_addstr(out, "<div class=\"wrap\"><table class=\"cards findings\"><thead><tr>"
			   "<th>Severity</th><th>Rule</th><th>Finding</th><th>Evidence</th>"
			   "<th>Recommendation</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < fs->n; i++) {
		const struct twa_finding *f = &fs->v[i];
		const char *sev = twa_severity_name(f->severity);

		strbuf_addf(out, "<tr class=\"finding %s\"><td data-label=\"Severity\">"
			    "<span class=\"sev %s\">%s</span></td>", sev, sev,
			    twa_severity_label(f->severity));
		strbuf_addstr(out, "<td data-label=\"Rule\"><code class=\"rule\">");
		esc(out, f->rule);
		strbuf_addstr(out, "</code></td><td data-label=\"Finding\" class=\"summary\">");
		esc(out, f->summary);
		strbuf_addstr(out, "</td><td data-label=\"Evidence\">");
		if (f->n_evidence) {
			strbuf_addstr(out, "<ul class=\"ev\">");
			for (k = 0; k < f->n_evidence; k++) {
				const struct twa_evidence *e = &f->evidence[k];

				strbuf_addstr(out, "<li>");
				esc(out, e->name);
				strbuf_addstr(out, ": <strong>");
				esc(out, e->value);
				strbuf_addstr(out, "</strong>");
				if (e->source[0]) {
					strbuf_addstr(out, " <span class=\"muted\">(");
					esc(out, e->source);
					strbuf_addstr(out, ")</span>");
				}
				strbuf_addstr(out, "</li>");
			}
			strbuf_addstr(out, "</ul>");
		}
		strbuf_addstr(out, "</td><td data-label=\"Recommendation\">");
		esc(out, f->recommendation);
		for (k = 0; k < f->n_changes; k++) {
			char from[256], to[256];

			twa_report_value(from, f->changes[k].from, sizeof(from));
			twa_report_value(to, f->changes[k].to, sizeof(to));
			strbuf_addstr(out, "<br>Proposed: <code>");
			esc(out, f->changes[k].key);
			strbuf_addstr(out, "</code> <code>");
			esc(out, from[0] ? from : "(empty)");
			strbuf_addstr(out, "</code> \xe2\x86\x92 <code>");
			esc(out, to[0] ? to : "(empty)");
			strbuf_addstr(out, "</code>");
		}
		strbuf_addstr(out, "</td></tr>\n");
	}
	strbuf_addstr(out, "</tbody></table></div>\n</section>\n");
}

static void chart_states(const struct twa_report *r, struct strbuf *out)
{
	struct twa_report_state rows[TWA_TCP_STATE_MAX];
	struct twa_svg_bar bars[TWA_TCP_STATE_MAX];
	size_t n = twa_report_states(r, rows), i;

	for (i = 0; i < n; i++) {
		bars[i].label = rows[i].state;
		bars[i].value = (double)rows[i].total;
		bars[i].text = NULL;
		bars[i].cls = rows[i].note[0] && strstr(rows[i].note, "dumped") ? "muted" : "bar";
	}
	strbuf_addstr(out, "<figure id=\"chart-states\">\n");
	twa_svg_hbars(out, "TCP sockets per state", bars, n, 0, NULL, 0);
	strbuf_addf(out, "<figcaption>TCP sockets per state, %" PRIu64 " in all, counted from ",
		    twa_facts_total(r->facts));
	esc(out, r->facts->sockets.source);
	strbuf_addstr(out, ".</figcaption>\n</figure>\n");
}

static void chart_ports(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_ephemeral *e = &r->facts->ephemeral;
	struct twa_svg_bar bars[TWA_REPORT_TOP + 1];
	char labels[TWA_REPORT_TOP + 1][TWA_ADDRSTRLEN + 16], texts[TWA_REPORT_TOP + 1][48];
	char warn[48], crit[48];
	struct twa_svg_mark marks[2] = {
		{ r->port_warning, warn, "warning" },
		{ r->port_critical, crit, "critical" },
	};
	size_t n = 0, i;

	if (!e->usable)
		return;
	snprintf(warn, sizeof(warn), "warning %.0f%%", 100 * r->port_warning);
	snprintf(crit, sizeof(crit), "critical %.0f%%", 100 * r->port_critical);
	if (!e->dumped) {
		/* no destination can hold more ports than there are sockets */
		snprintf(labels[0], sizeof(labels[0]), "any (upper bound)");
		snprintf(texts[0], sizeof(texts[0]), "\xe2\x89\xa4 %" PRIu64, e->bound);	/* U+2264 */
		bars[n].label = labels[0];
		bars[n].value = (double)e->bound / e->usable;
		bars[n].text = texts[0];
		bars[n++].cls = "muted";
	}
	for (i = 0; e->dumped && i < e->n_dest && i < TWA_REPORT_TOP; i++) {
		const struct twa_destination *d = &e->dest[i];
		double share = (double)d->in_use / e->usable;

		snprintf(labels[n], sizeof(labels[n]), strchr(d->remote, ':') ? "[%s]:%u" : "%s:%u",
			 d->remote, d->remote_port);
		snprintf(texts[n], sizeof(texts[n]), "%" PRIu64 " (%.1f%%)", d->in_use, 100 * share);
		bars[n].label = labels[n];
		bars[n].value = share;
		bars[n].text = texts[n];
		bars[n++].cls = share >= r->port_critical ? "critical" :
				share >= r->port_warning ? "warning" : "bar";
	}
	strbuf_addstr(out, "<figure id=\"chart-ports\">\n");
	twa_svg_hbars(out, "Ephemeral ports in use per destination", bars, n, 1, marks, 2);
	strbuf_addf(out, "<figcaption>Local ports in use toward each destination, as a share of the "
		    "%u usable ephemeral ports (the full bar); dashed lines: ephemeral-exhaustion's "
		    "warning and critical shares.</figcaption>\n</figure>\n", e->usable);
}

struct state_max {
	unsigned state;
	uint64_t max;
};

static int cmp_state_max(const void *a, const void *b)
{
	const struct state_max *x = a, *y = b;

	if (x->max != y->max)
		return x->max < y->max ? 1 : -1;
	return (int)x->state - (int)y->state;
}

static int chart_rates(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_rates *rt = &r->facts->rates;
	struct twa_svg_series series[TWA_SVG_MAX_SERIES];
	struct state_max sm[TWA_TCP_STATE_MAX];
	double *x = NULL, *y = NULL;
	size_t i, k, n = 0, ns = 0;

	if (!rt->present || rt->n_series < 2)
		return 0;
	for (k = 1; k < TWA_TCP_STATE_MAX; k++) {
		uint64_t max = 0;

		for (i = 0; i < rt->n_series; i++)
			if (rt->series[i].states[k] > max)
				max = rt->series[i].states[k];
		if (max)
			sm[n++] = (struct state_max){ (unsigned)k, max };
	}
	if (!n)
		return 0;
	qsort(sm, n, sizeof(sm[0]), cmp_state_max);
	ns = n < TWA_SVG_MAX_SERIES ? n : TWA_SVG_MAX_SERIES;
	x = calloc(rt->n_series, sizeof(*x));
	y = calloc(rt->n_series * ns, sizeof(*y));
	if (!x || !y) {
		free(x);
		free(y);
		return -ENOMEM;
	}
	for (i = 0; i < rt->n_series; i++)
		x[i] = rt->series[i].t;
	for (k = 0; k < ns; k++) {
		for (i = 0; i < rt->n_series; i++)
			y[k * rt->n_series + i] = (double)rt->series[i].states[sm[k].state];
		series[k].label = twa_tcp_state_name(sm[k].state);
		series[k].y = &y[k * rt->n_series];
	}
	strbuf_addstr(out, "<figure id=\"chart-rates\">\n");
	twa_svg_lines(out, "TCP sockets per state over time", "s", x, rt->n_series, series, ns);
	strbuf_addf(out, "<figcaption>Sockets per state in each of the %zu samples, %.1f s apart.</figcaption>\n</figure>\n",
		    rt->n_series, rt->interval);
	free(x);
	free(y);
	return 0;
}

static void html_charts(const struct twa_report *r, struct strbuf *out)
{
	if (!r->facts->sockets.present && !r->facts->ephemeral.present)
		return;
	strbuf_addstr(out, "<section id=\"charts\">\n<h2>Charts</h2>\n<div class=\"charts\">\n");
	if (r->facts->sockets.present)
		chart_states(r, out);
	if (r->facts->ephemeral.present)
		chart_ports(r, out);
	chart_rates(r, out);
	strbuf_addstr(out, "</div>\n</section>\n");
}

static void section(struct strbuf *out, const char *id, const char *title)
{
	strbuf_addf(out, "<section id=\"%s\">\n<h2>%s</h2>\n", id, title);
}

static void para(struct strbuf *out, const char *text)
{
	strbuf_addstr(out, "<p>");
	esc(out, text);
	strbuf_addstr(out, "</p>\n");
}

static void html_sysctls(const struct twa_report *r, struct strbuf *out)
{
	section(out, "sysctls", "Sysctls: current vs recommended");
	if (r->n_sysctls)
		twa_html_rec_table(out, twa_report_sysctl_fields, r->sysctls, r->n_sysctls,
				   sizeof(*r->sysctls), "cards");
	else
		para(out, "The profile wants no sysctl values and no finding proposes a change.");
	strbuf_addstr(out, "</section>\n");
}

static void html_states(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_facts *f = r->facts;
	struct twa_report_state states[TWA_TCP_STATE_MAX];
	char buf[768];
	size_t n, i;

	section(out, "states", "Socket states");
	if (f->sockets.present) {
		snprintf(buf, sizeof(buf), "%" PRIu64 " TCP sockets, counted from %s.",
			 twa_facts_total(f), f->sockets.source);
		para(out, buf);
		n = twa_report_states(r, states);
		twa_html_rec_table(out, twa_report_state_fields, states, n, sizeof(states[0]), "cards");
		if (f->have_sockstat) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_addstr(&sb, "/proc/net/sockstat TCP:");
			for (i = 0; i < f->sockstat.n; i++)
				strbuf_addf(&sb, "%s%s %" PRId64, i ? ", " : " ",
					    f->sockstat.v[i].name, f->sockstat.v[i].value);
			strbuf_addch(&sb, '.');
			para(out, sb.buf);
			strbuf_release(&sb);
		}
	} else {
		para(out, "Not counted.");
	}
	strbuf_addstr(out, "</section>\n");
}

/* The per-destination part of html_destinations(). */
static void html_destination_rows(const struct twa_ephemeral *e,
				  struct strbuf *out)
{
	char buf[768];

	if (!e->dumped) {
		snprintf(buf, sizeof(buf), "Not counted per destination: at most %" PRIu64
			 " TCP sockets exist (/proc/net/sockstat), too few to exhaust the range.",
			 e->bound);
		para(out, buf);
	} else if (!e->n_dest) {
		para(out, "No local port of the range is in use.");
	} else {
		twa_html_rec_table(out, twa_destination_fields, e->dest,
				   e->n_dest > TWA_REPORT_TOP ? TWA_REPORT_TOP : e->n_dest,
				   sizeof(*e->dest), "cards");
		if (e->dest_total > TWA_REPORT_TOP) {
			snprintf(buf, sizeof(buf), "%" PRIu64 " destinations in all; the top %d are shown.",
				 e->dest_total, TWA_REPORT_TOP);
			para(out, buf);
		}
	}
}

static void html_destinations(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_ephemeral *e = &r->facts->ephemeral;
	char buf[768], range[512];

	section(out, "destinations", "Top destinations by ephemeral port use");
	if (!e->present) {
		para(out, "Not inspected.");
	} else {
		twa_report_range(r, range, sizeof(range));
		snprintf(buf, sizeof(buf), "Ephemeral port range %s. ephemeral-exhaustion warns at %.0f%% "
			 "and is critical at %.0f%% of the usable ports in use toward one destination.",
			 range, 100 * r->port_warning, 100 * r->port_critical);
		para(out, buf);
		html_destination_rows(e, out);
	}
	strbuf_addstr(out, "</section>\n");
}

static void html_close_wait(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_facts *f = r->facts;
	const struct twa_owners *o = &f->close_wait;
	char buf[768];

	section(out, "close-wait", "Top CLOSE_WAIT owners");
	if (!o->searched && !f->sockets.present) {
		para(out, "Not inspected.");
	} else if (!o->searched) {
		snprintf(buf, sizeof(buf), "%" PRIu64 " sockets in CLOSE_WAIT; owners not searched.",
			 twa_facts_state(f, TWA_TCP_CLOSE_WAIT));
		para(out, buf);
	} else {
		if (o->n)
			twa_html_rec_table(out, twa_owner_fields, o->v,
					   o->n > TWA_REPORT_TOP ? TWA_REPORT_TOP : o->n,
					   sizeof(*o->v), "cards");
		else
			para(out, "No process holds a CLOSE_WAIT socket.");
		if (o->unattributed) {
			snprintf(buf, sizeof(buf), "%" PRIu64 " CLOSE_WAIT sockets not attributed (%u processes "
				 "unreadable: run as root to see all).", o->unattributed, o->unreadable);
			para(out, buf);
		}
	}
	strbuf_addstr(out, "</section>\n");
}

static void html_listeners(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_facts *f = r->facts;
	struct twa_listener listeners[TWA_REPORT_MAX_LISTENERS];
	char buf[768];
	size_t n;

	section(out, "listeners", "Listeners near their limits");
	if (!f->have_listeners) {
		para(out, "Not inspected.");
	} else {
		n = twa_report_listeners(r, listeners);
		snprintf(buf, sizeof(buf), "%zu listening sockets; shown: accept queue at least %.0f%% of "
			 "its backlog, or on an unreserved port of the ephemeral range.",
			 f->n_listeners, 100 * TWA_LISTENER_NEAR_LIMIT);
		para(out, buf);
		if (n)
			twa_html_rec_table(out, twa_listener_fields, listeners, n,
					   sizeof(listeners[0]), "cards");
		else
			para(out, "None.");
	}
	strbuf_addstr(out, "</section>\n");
}

static void html_rates(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_facts *f = r->facts;
	struct twa_report_rate rates[TWA_REPORT_RATES_MAX];
	char buf[768];
	size_t n;

	if (!f->rates.present)
		return;
	section(out, "rates", "Rates");
	snprintf(buf, sizeof(buf), "Per second over %.1f s (%u samples).", f->rates.elapsed,
		 f->rates.samples);
	para(out, buf);
	n = twa_report_rates(r, rates);
	twa_html_rec_table(out, twa_report_rate_fields, rates, n, sizeof(rates[0]), "cards");
	strbuf_addstr(out, "</section>\n");
}

/* One section each, in the order of the navigation. */
static void html_tables(const struct twa_report *r, struct strbuf *out)
{
	html_sysctls(r, out);
	html_states(r, out);
	html_destinations(r, out);
	html_close_wait(r, out);
	html_listeners(r, out);
	html_rates(r, out);
}

static void pre_lines(struct strbuf *out, const char *const *lines, size_t n)
{
	size_t i;

	strbuf_addstr(out, "<pre><code>");
	for (i = 0; i < n; i++) {
		esc(out, lines[i]);
		strbuf_addch(out, '\n');
	}
	strbuf_addstr(out, "</code></pre>\n");
}

static void html_commands(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_report_commands *c = &r->cmds;

	section(out, "commands", "Commands");
	if (!c->apply[0]) {
		para(out, "No sysctl change is proposed: nothing to apply or roll back.");
		strbuf_addstr(out, "</section>\n");
		return;
	}
	{
		const char *apply[] = { c->apply, c->apply_persist };
		const char *rollback[] = { c->rollback };

		strbuf_addstr(out, "<p>Apply the fix: make the plan, review <code>plan.json</code>, apply it "
				   "(a snapshot is taken first); <code>--persist</code> also writes it to "
				   "sysctl.d for the next boot:</p>\n");
		pre_lines(out, apply, 2);
		para(out, "The same changes with sysctl alone (no snapshot, lost at reboot):");
		pre_lines(out, (const char *const *)c->sysctl.v, c->sysctl.n);
		strbuf_addstr(out, "<p>Roll back what <code>twadvise apply</code> changed (values and "
				   "persisted file):</p>\n");
		pre_lines(out, rollback, 1);
	}
	if (c->sysctl_rollback.n) {
		para(out, "Or restore the values this report found, after the sysctl lines:");
		pre_lines(out, (const char *const *)c->sysctl_rollback.v, c->sysctl_rollback.n);
	}
	strbuf_addstr(out, "</section>\n");
}

static void html_host(const struct twa_report *r, struct strbuf *out)
{
	struct twa_report_meta rows[TWA_REPORT_META_MAX];
	size_t n = twa_report_meta(r, rows), i;

	section(out, "host", "Host");
	strbuf_addstr(out, "<dl class=\"meta\">\n");
	for (i = 0; i < n; i++) {
		strbuf_addstr(out, "<dt>");
		esc(out, rows[i].name);
		strbuf_addstr(out, "</dt><dd>");
		esc(out, rows[i].value);
		strbuf_addstr(out, "</dd>\n");
	}
	strbuf_addstr(out, "</dl>\n</section>\n");
}

int twa_report_write_html(const struct twa_report *r, struct strbuf *out)
{
	const char *host = r->facts->host.hostname[0] ? r->facts->host.hostname : "unknown host";
	const char *st = status_cls(r->findings->status);
	char verdict[1024], title[512], *colon;

	snprintf(title, sizeof(title), "twadvise report: %s", host);
	twa_html_begin(out, title);
	strbuf_addstr(out, "<header>\n<h1>");
	esc(out, title);
	strbuf_addstr(out, "</h1>\n");
	twa_report_verdict(r, verdict, sizeof(verdict));
	colon = strchr(verdict, ':');
	strbuf_addf(out, "<p class=\"verdict %s\" id=\"verdict\"><span class=\"sev %s\">", st, st);
	if (colon) {
		*colon = '\0';
		esc(out, verdict);
		strbuf_addstr(out, "</span>");
		esc(out, colon + 1);
	} else {
		strbuf_addstr(out, "</span> ");
		esc(out, verdict);
	}
	strbuf_addstr(out, "</p>\n</header>\n<main>\n");
	html_findings(r, out);
	html_charts(r, out);
	html_tables(r, out);
	html_commands(r, out);
	html_host(r, out);
	strbuf_addstr(out, "</main>\n<footer>Written by twadvise ");
	esc(out, r->version);
	strbuf_addstr(out, " at ");
	esc(out, r->time);
	strbuf_addstr(out, ". Self-contained: no scripts, fonts or remote resources.</footer>\n");
	return twa_html_end(out);
}
