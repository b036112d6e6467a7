/* SPDX-License-Identifier: MIT */
/* report_md.c - a host's report as Markdown for tickets (GitHub, GitLab, Jira): escaped cells, no raw HTML. */
#include "advisor/report/report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "advisor/facts/facts_json.h"
#include "advisor/report/markup.h"
#include "advisor/report/report_impl.h"

static const char *md_severity(enum twa_severity s)
{
	switch (s) {
	case TWA_SEV_CRITICAL:
		return "**CRITICAL**";
	case TWA_SEV_WARNING:
		return "**WARNING**";
	case TWA_SEV_INFO:
		return "INFO";
	default:
		return "OK";
	}
}

static void md_findings(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_findings *fs = r->findings;
	size_t i, k;

	strbuf_addstr(out, "## Findings\n\n");
	if (!fs->n) {
		strbuf_addf(out, "No findings: all %zu rules checked passed.\n\n", fs->n_checked);
		return;
	}
	strbuf_addstr(out, "| Severity | Rule | Finding | Evidence | Recommendation |\n"
			   "| --- | --- | --- | --- | --- |\n");
	for (i = 0; i < fs->n; i++) {
		const struct twa_finding *f = &fs->v[i];

		strbuf_addf(out, "| %s | ", md_severity(f->severity));
		twa_md_code(out, f->rule);
		strbuf_addstr(out, " | ");
		twa_md_escape(out, f->summary);
		strbuf_addstr(out, " | ");
		for (k = 0; k < f->n_evidence; k++) {
			const struct twa_evidence *e = &f->evidence[k];

			if (k)
				strbuf_addstr(out, "; ");
			twa_md_escape(out, e->name);
			strbuf_addstr(out, ": ");
			twa_md_escape(out, e->value);
			if (e->source[0]) {
				strbuf_addstr(out, " (");
				twa_md_escape(out, e->source);
				strbuf_addch(out, ')');
			}
		}
		strbuf_addstr(out, " | ");
		twa_md_escape(out, f->recommendation);
		for (k = 0; k < f->n_changes; k++) {
			char from[256], to[256];

			twa_report_value(from, f->changes[k].from, sizeof(from));
			twa_report_value(to, f->changes[k].to, sizeof(to));
			strbuf_addstr(out, k ? "; " : (f->recommendation[0] ? " Proposed: " : "Proposed: "));
			twa_md_code(out, f->changes[k].key);
			strbuf_addch(out, ' ');
			if (from[0])
				twa_md_code(out, from);
			else
				strbuf_addstr(out, "(empty)");
			strbuf_addstr(out, " \xe2\x86\x92 ");	/* U+2192 */
			if (to[0])
				twa_md_code(out, to);
			else
				strbuf_addstr(out, "(empty)");
		}
		strbuf_addstr(out, " |\n");
	}
	strbuf_addch(out, '\n');
}

static void md_sysctls(const struct twa_report *r, struct strbuf *out)
{
	strbuf_addstr(out, "## Sysctls: current vs recommended\n\n");
	if (!r->n_sysctls) {
		strbuf_addstr(out, "The profile wants no sysctl values and no finding proposes a change.\n\n");
		return;
	}
	twa_md_rec_table(out, twa_report_sysctl_fields, r->sysctls, r->n_sysctls,
			 sizeof(*r->sysctls));
	strbuf_addch(out, '\n');
}

static void md_states(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_facts *f = r->facts;
	struct twa_report_state rows[TWA_TCP_STATE_MAX];
	size_t n = twa_report_states(r, rows), i;

	strbuf_addstr(out, "## Socket states\n\n");
	if (!f->sockets.present) {
		strbuf_addstr(out, "Not counted.\n\n");
		return;
	}
	strbuf_addf(out, "%" PRIu64 " TCP sockets, counted from ", twa_facts_total(f));
	twa_md_escape(out, f->sockets.source);
	strbuf_addstr(out, ".\n\n");
	twa_md_rec_table(out, twa_report_state_fields, rows, n, sizeof(rows[0]));
	if (f->have_sockstat) {
		strbuf_addstr(out, "\n/proc/net/sockstat TCP:");
		for (i = 0; i < f->sockstat.n; i++) {
			strbuf_addstr(out, i ? ", " : " ");
			twa_md_escape(out, f->sockstat.v[i].name);
			strbuf_addf(out, " %" PRId64, f->sockstat.v[i].value);
		}
		strbuf_addstr(out, ".\n");
	}
	strbuf_addch(out, '\n');
}

static void md_destinations(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_ephemeral *e = &r->facts->ephemeral;
	char range[512];

	strbuf_addstr(out, "## Top destinations by ephemeral port use\n\n");
	if (!e->present) {
		strbuf_addstr(out, "Not inspected.\n\n");
		return;
	}
	twa_report_range(r, range, sizeof(range));
	strbuf_addstr(out, "Ephemeral port range ");
	twa_md_escape(out, range);
	strbuf_addf(out, ". ephemeral-exhaustion warns at %.0f%% and is critical at %.0f%% "
		    "of the usable ports in use toward one destination.\n\n",
		    100 * r->port_warning, 100 * r->port_critical);
	if (!e->dumped) {
		strbuf_addf(out, "Not counted per destination: at most %" PRIu64
			    " TCP sockets exist (/proc/net/sockstat), too few to exhaust the range.\n\n",
			    e->bound);
		return;
	}
	if (!e->n_dest) {
		strbuf_addstr(out, "No local port of the range is in use.\n\n");
		return;
	}
	twa_md_rec_table(out, twa_destination_fields, e->dest,
			 e->n_dest > TWA_REPORT_TOP ? TWA_REPORT_TOP : e->n_dest,
			 sizeof(*e->dest));
	if (e->dest_total > TWA_REPORT_TOP)
		strbuf_addf(out, "\n%" PRIu64 " destinations in all; the top %d are shown.\n",
			    e->dest_total, TWA_REPORT_TOP);
	strbuf_addch(out, '\n');
}

static void md_owners(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_owners *o = &r->facts->close_wait;

	strbuf_addstr(out, "## Top CLOSE_WAIT owners\n\n");
	if (!o->searched && !r->facts->sockets.present) {
		strbuf_addstr(out, "Not inspected.\n\n");
		return;
	}
	if (!o->searched) {
		strbuf_addf(out, "%" PRIu64 " sockets in CLOSE_WAIT; owners not searched.\n\n",
			    twa_facts_state(r->facts, TWA_TCP_CLOSE_WAIT));
		return;
	}
	if (o->n)
		twa_md_rec_table(out, twa_owner_fields, o->v,
				 o->n > TWA_REPORT_TOP ? TWA_REPORT_TOP : o->n, sizeof(*o->v));
	else
		strbuf_addstr(out, "No process holds a CLOSE_WAIT socket.\n");
	if (o->unattributed)
		strbuf_addf(out, "\n%" PRIu64 " CLOSE_WAIT sockets not attributed (%u processes unreadable: run as root to see all).\n",
			    o->unattributed, o->unreadable);
	strbuf_addch(out, '\n');
}

static void md_listeners(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_facts *f = r->facts;
	struct twa_listener rows[TWA_REPORT_MAX_LISTENERS];
	size_t n;

	strbuf_addstr(out, "## Listeners near their limits\n\n");
	if (!f->have_listeners) {
		strbuf_addstr(out, "Not inspected.\n\n");
		return;
	}
	n = twa_report_listeners(r, rows);
	strbuf_addf(out, "%zu listening sockets; shown: accept queue at least %.0f%% of its backlog, "
		    "or on an unreserved port of the ephemeral range.\n\n",
		    f->n_listeners, 100 * TWA_LISTENER_NEAR_LIMIT);
	if (n)
		twa_md_rec_table(out, twa_listener_fields, rows, n, sizeof(rows[0]));
	else
		strbuf_addstr(out, "None.\n");
	strbuf_addch(out, '\n');
}

static void md_rates(const struct twa_report *r, struct strbuf *out)
{
	struct twa_report_rate rows[TWA_REPORT_RATES_MAX];
	size_t n = twa_report_rates(r, rows);

	if (!r->facts->rates.present)
		return;
	strbuf_addf(out, "## Rates\n\nPer second over %.1f s (%u samples).\n\n",
		    r->facts->rates.elapsed, r->facts->rates.samples);
	twa_md_rec_table(out, twa_report_rate_fields, rows, n, sizeof(rows[0]));
	strbuf_addch(out, '\n');
}

static void fence_lines(struct strbuf *out, const struct twa_strvec *v)
{
	struct strbuf text = STRBUF_INIT;
	size_t i;

	for (i = 0; i < v->n; i++)
		strbuf_addf(&text, "%s\n", v->v[i]);
	twa_md_fence(out, "sh", text.buf);
	strbuf_release(&text);
}

static void md_commands(const struct twa_report *r, struct strbuf *out)
{
	const struct twa_report_commands *c = &r->cmds;
	struct strbuf lines = STRBUF_INIT;

	strbuf_addstr(out, "## Commands\n\n");
	if (!c->apply[0]) {
		strbuf_addstr(out, "No sysctl change is proposed: nothing to apply or roll back.\n\n");
		return;
	}
	strbuf_addstr(out, "Apply the fix: make the plan, review `plan.json`, apply it (a snapshot is "
			   "taken first); `--persist` also writes it to sysctl.d for the next boot:\n\n");
	strbuf_addf(&lines, "%s\n%s\n", c->apply, c->apply_persist);
	twa_md_fence(out, "sh", lines.buf);
	strbuf_addstr(out, "\nThe same changes with sysctl alone (no snapshot, lost at reboot):\n\n");
	fence_lines(out, &c->sysctl);
	strbuf_addstr(out, "\nRoll back what `twadvise apply` changed (values and persisted file):\n\n");
	strbuf_reset(&lines);
	strbuf_addf(&lines, "%s\n", c->rollback);
	twa_md_fence(out, "sh", lines.buf);
	strbuf_release(&lines);
	if (c->sysctl_rollback.n) {
		strbuf_addstr(out, "\nOr restore the values this report found, after the sysctl lines:\n\n");
		fence_lines(out, &c->sysctl_rollback);
	}
	strbuf_addch(out, '\n');
}

static void md_host(const struct twa_report *r, struct strbuf *out)
{
	struct twa_report_meta rows[TWA_REPORT_META_MAX];
	size_t n = twa_report_meta(r, rows);

	strbuf_addstr(out, "## Host\n\n");
	twa_md_rec_table(out, twa_report_meta_fields, rows, n, sizeof(rows[0]));
}

int twa_report_write_markdown(const struct twa_report *r, struct strbuf *out)
{
	char verdict[1024], *colon;

	strbuf_addstr(out, "# twadvise report: ");
	twa_md_escape(out, r->facts->host.hostname[0] ? r->facts->host.hostname : "unknown host");
	strbuf_addstr(out, "\n\n");
	twa_report_verdict(r, verdict, sizeof(verdict));
	colon = strchr(verdict, ':');
	if (colon) {
		/* the status word in bold, the rest as text */
		*colon = '\0';
		strbuf_addf(out, "**%s**:", verdict);
		twa_md_escape(out, colon + 1);
	} else {
		twa_md_escape(out, verdict);
	}
	strbuf_addstr(out, "\n\n");
	md_findings(r, out);
	md_sysctls(r, out);
	md_states(r, out);
	md_destinations(r, out);
	md_owners(r, out);
	md_listeners(r, out);
	md_rates(r, out);
	md_commands(r, out);
	md_host(r, out);
	return strbuf_failed(out) ? -ENOMEM : 0;
}
