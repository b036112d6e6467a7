/* SPDX-License-Identifier: MIT */
/* nsreport.c - report --all-netns: a section per namespace, worst first, as
 * Markdown, HTML or twadvise.netns-report/1 JSON (pure). */
#include "advisor/report/nsreport.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "advisor/report/markup.h"
#include "advisor/rules/nsfix.h"
#include "advisor/util/jsonutil.h"

/* Namespaces by what became of them: critical, warning, unknown, ok, gone. */
struct tally {
	size_t c[5];
};

static int bucket(const struct twa_ns_result *r)
{
	if (r->state == TWA_NS_GONE)
		return 4;
	if (r->state == TWA_NS_UNREADABLE)
		return 2;
	return r->status == TWA_STATUS_CRITICAL ? 0 : r->status == TWA_STATUS_WARNING ? 1 :
	       r->status == TWA_STATUS_OK ? 3 : 2;
}

static void tally(const struct twa_ns_results *rs, size_t from, struct tally *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = from; i < rs->n; i++)
		t->c[bucket(&rs->v[i])]++;
}

static size_t shown(const struct twa_ns_results *rs, const struct twa_nsreport_opts *o)
{
	size_t max = o->max_sections ? o->max_sections : TWA_NSREPORT_MAX_SECTIONS;

	return rs->n < max ? rs->n : max;
}

static const char *word(const struct twa_ns_result *r)
{
	static const char *const w[] = { "CRITICAL", "WARNING", "UNKNOWN", "OK", "GONE" };

	return w[bucket(r)];
}

static const char *const overall[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

static void tally_text(const struct tally *t, struct strbuf *out)
{
	strbuf_addf(out, "%zu critical, %zu warning, %zu unknown, %zu ok, %zu gone",
		    t->c[0], t->c[1], t->c[2], t->c[3], t->c[4]);
}

/* "net:[I], path P, pid N (comm), S sockets, T TIME_WAIT, ports A-B" */
static void facts_line(const struct twa_ns_result *r, struct strbuf *out)
{
	char ns[48];

	twa_ns_ident_netns(&r->id, ns, sizeof(ns));
	strbuf_addf(out, "%s, %s", ns, r->id.path);
	if (r->id.pid)
		strbuf_addf(out, ", pid %d (%s)", r->id.pid, r->id.comm);
	if (r->have_sockets)
		strbuf_addf(out, ", %" PRIu64 " sockets, %" PRIu64 " TIME_WAIT", r->sockets,
			    r->time_wait);
	if (r->port_hi)
		strbuf_addf(out, ", ports %u-%u", r->port_lo, r->port_hi);
}

/* What a namespace's section says about the fix: the command and, for a
 * container, the spec snippets (nsfix); "" when nothing to fix. */
static void fix_text(const struct twa_ns_results *rs, const struct twa_ns_result *r,
		     struct strbuf *out)
{
	struct strbuf raw = STRBUF_INIT;
	const char *p;

	twa_nsfix_write_text(&r->id, &r->findings, rs->profile, &raw);
	/* nsfix indents for the text output: not needed in a code block */
	for (p = raw.buf; *p;) {
		size_t len = strcspn(p, "\n");
		size_t lead = strspn(p, " ") >= 10 ? 10 : 0;

		strbuf_add(out, p + lead, len - lead);
		strbuf_addch(out, '\n');
		p += len + (p[len] == '\n');
	}
	strbuf_release(&raw);
}

/* ---- Markdown ---- */

static void md_findings(const struct twa_findings *fs, struct strbuf *out)
{
	size_t i;

	if (!fs->n) {
		strbuf_addf(out, "No findings: all %zu rules checked passed.\n\n", fs->n_checked);
		return;
	}
	strbuf_addstr(out, "| Severity | Rule | Finding | Recommendation |\n| --- | --- | --- | --- |\n");
	for (i = 0; i < fs->n; i++) {
		strbuf_addf(out, "| %s | ", twa_severity_label(fs->v[i].severity));
		twa_md_code(out, fs->v[i].rule);
		strbuf_addstr(out, " | ");
		twa_md_escape(out, fs->v[i].summary);
		strbuf_addstr(out, " | ");
		twa_md_escape(out, fs->v[i].recommendation);
		strbuf_addstr(out, " |\n");
	}
	strbuf_addch(out, '\n');
}

static void md_section(const struct twa_ns_results *rs, const struct twa_ns_result *r,
		       size_t nth, struct strbuf *out)
{
	struct strbuf tmp = STRBUF_INIT;
	char l[256];

	strbuf_addf(out, "## %zu. %s: ", nth, word(r));
	twa_md_escape(out, twa_ns_ident_label(&r->id, l, sizeof(l)));
	strbuf_addstr(out, "\n\n");
	facts_line(r, &tmp);
	twa_md_escape(out, tmp.buf);
	strbuf_addstr(out, "\n\n");
	if (r->state != TWA_NS_JUDGED) {
		strbuf_addstr(out, r->state == TWA_NS_GONE ? "Gone before it could be entered: " :
			      "Not judged: ");
		twa_md_escape(out, r->error);
		strbuf_addstr(out, "\n\n");
	} else {
		md_findings(&r->findings, out);
		strbuf_reset(&tmp);
		fix_text(rs, r, &tmp);
		if (tmp.len) {
			strbuf_addstr(out, "Fix:\n\n");
			twa_md_fence(out, "text", tmp.buf);
			strbuf_addch(out, '\n');
		}
	}
	strbuf_release(&tmp);
}

static void md_tail(const struct twa_ns_results *rs, size_t n, struct strbuf *out)
{
	struct strbuf keys = STRBUF_INIT;
	struct tally rest;

	if (n < rs->n) {
		tally(rs, n, &rest);
		strbuf_addf(out, "%zu more namespaces have no section here (at most %zu): ",
			    rs->n - n, n);
		tally_text(&rest, out);
		strbuf_addstr(out, ". `twadvise check --all-netns` lists them all.\n\n");
	}
	if (rs->unreadable_procs) {
		strbuf_addf(out, "UNKNOWN: the namespace of %u process%s could not be read (pid %d: ",
			    rs->unreadable_procs, rs->unreadable_procs == 1 ? "" : "es",
			    rs->unreadable_pid);
		twa_md_escape(out, rs->unreadable_why);
		strbuf_addstr(out, "): run as root.\n\n");
	}
	twa_ns_host_wide_keys(&keys);
	strbuf_addstr(out, "Host-wide keys, judged once in twadvise's own namespace: ");
	twa_md_escape(out, keys.buf);
	strbuf_addstr(out, "\n");
	strbuf_release(&keys);
}

int twa_nsreport_write_markdown(const struct twa_ns_results *rs,
				const struct twa_nsreport_opts *o, struct strbuf *out)
{
	size_t n = shown(rs, o), i;
	struct tally all;

	tally(rs, 0, &all);
	strbuf_addstr(out, "# twadvise report: every network namespace\n\n");
	strbuf_addf(out, "**%s**: %zu namespaces: ", overall[rs->status], rs->n);
	tally_text(&all, out);
	strbuf_addstr(out, rs->truncated ? " (discovery stopped at its limit)" : "");
	strbuf_addstr(out, "\n\n- Profile: ");
	twa_md_code(out, rs->profile);
	strbuf_addstr(out, "\n- Written: ");
	twa_md_escape(out, o->time);
	strbuf_addstr(out, " by twadvise ");
	twa_md_escape(out, o->version);
	strbuf_addstr(out, "\n\n");
	for (i = 0; i < n; i++)
		md_section(rs, &rs->v[i], i + 1, out);
	md_tail(rs, n, out);
	return strbuf_failed(out) ? -ENOMEM : 0;
}

/* ---- HTML: one self-contained page ---- */

#define esc twa_html_escape

static const char *cls(const struct twa_ns_result *r)
{
	static const char *const c[] = { "critical", "warning", "unknown", "ok", "ok" };

	return c[bucket(r)];
}

static void html_findings(const struct twa_findings *fs, struct strbuf *out)
{
	size_t i;

	if (!fs->n) {
		strbuf_addf(out, "<p>No findings: all %zu rules checked passed.</p>\n", fs->n_checked);
		return;
	}
	strbuf_addstr(out, "<div class=\"wrap\"><table class=\"cards findings\"><thead><tr>"
			   "<th>Severity</th><th>Rule</th><th>Finding</th><th>Recommendation</th>"
			   "</tr></thead>\n<tbody>\n");
	for (i = 0; i < fs->n; i++) {
		const char *sev = twa_severity_name(fs->v[i].severity);

		strbuf_addf(out, "<tr class=\"finding %s\"><td data-label=\"Severity\">"
			    "<span class=\"sev %s\">%s</span></td><td data-label=\"Rule\"><code class=\"rule\">",
			    sev, sev, twa_severity_label(fs->v[i].severity));
		esc(out, fs->v[i].rule);
		strbuf_addstr(out, "</code></td><td data-label=\"Finding\" class=\"summary\">");
		esc(out, fs->v[i].summary);
		strbuf_addstr(out, "</td><td data-label=\"Recommendation\">");
		esc(out, fs->v[i].recommendation);
		strbuf_addstr(out, "</td></tr>\n");
	}
	strbuf_addstr(out, "</tbody></table></div>\n");
}

static void html_section(const struct twa_ns_results *rs, const struct twa_ns_result *r,
			 size_t nth, struct strbuf *out)
{
	struct strbuf tmp = STRBUF_INIT;
	char l[256];

	strbuf_addf(out, "<section class=\"netns\" id=\"ns-%zu\">\n<h2><span class=\"sev %s\">%s</span> ",
		    nth, cls(r), word(r));
	esc(out, twa_ns_ident_label(&r->id, l, sizeof(l)));
	strbuf_addstr(out, "</h2>\n<p class=\"muted\">");
	facts_line(r, &tmp);
	esc(out, tmp.buf);
	strbuf_addstr(out, "</p>\n");
	if (r->state != TWA_NS_JUDGED) {
		strbuf_addstr(out, r->state == TWA_NS_GONE ? "<p>Gone before it could be entered: " :
			      "<p>Not judged: ");
		esc(out, r->error);
		strbuf_addstr(out, "</p>\n");
	} else {
		html_findings(&r->findings, out);
		strbuf_reset(&tmp);
		fix_text(rs, r, &tmp);
		if (tmp.len) {
			strbuf_addstr(out, "<h3>Fix</h3>\n<pre><code>");
			esc(out, tmp.buf);
			strbuf_addstr(out, "</code></pre>\n");
		}
	}
	strbuf_addstr(out, "</section>\n");
	strbuf_release(&tmp);
}

static void html_tail(const struct twa_ns_results *rs, size_t n, struct strbuf *out)
{
	struct strbuf tmp = STRBUF_INIT;
	struct tally rest;

	if (n < rs->n) {
		tally(rs, n, &rest);
		strbuf_addf(&tmp, "%zu more namespaces have no section here (at most %zu): ",
			    rs->n - n, n);
		tally_text(&rest, &tmp);
		strbuf_addstr(&tmp, ". twadvise check --all-netns lists them all.");
	}
	if (rs->unreadable_procs)
		strbuf_addf(&tmp, "%sUNKNOWN: the namespace of %u process%s could not be read (pid %d: %s): run as root.",
			    tmp.len ? " " : "", rs->unreadable_procs,
			    rs->unreadable_procs == 1 ? "" : "es", rs->unreadable_pid,
			    rs->unreadable_why);
	if (tmp.len) {
		strbuf_addstr(out, "<p id=\"omitted\">");
		esc(out, tmp.buf);
		strbuf_addstr(out, "</p>\n");
	}
	strbuf_reset(&tmp);
	twa_ns_host_wide_keys(&tmp);
	strbuf_addstr(out, "<p class=\"muted\">Host-wide keys, judged once in twadvise's own namespace: ");
	esc(out, tmp.buf);
	strbuf_addstr(out, "</p>\n");
	strbuf_release(&tmp);
}

int twa_nsreport_write_html(const struct twa_ns_results *rs,
			    const struct twa_nsreport_opts *o, struct strbuf *out)
{
	static const char *const st[] = { "ok", "warning", "critical", "unknown" };
	struct strbuf tmp = STRBUF_INIT;
	size_t n = shown(rs, o), i;
	struct tally all;

	tally(rs, 0, &all);
	twa_html_begin(out, "twadvise report: every network namespace");
	strbuf_addf(out, "<header>\n<h1>twadvise report: every network namespace</h1>\n"
		    "<p class=\"verdict %s\" id=\"verdict\"><span class=\"sev %s\">%s</span> ",
		    st[rs->status], st[rs->status], overall[rs->status]);
	strbuf_addf(&tmp, "%zu namespaces: ", rs->n);
	tally_text(&all, &tmp);
	strbuf_addf(&tmp, "%s (profile %s)", rs->truncated ? " (discovery stopped at its limit)" : "",
		    rs->profile);
	esc(out, tmp.buf);
	strbuf_addstr(out, "</p>\n</header>\n<main>\n");
	for (i = 0; i < n; i++)
		html_section(rs, &rs->v[i], i + 1, out);
	html_tail(rs, n, out);
	strbuf_addstr(out, "</main>\n<footer>Written by twadvise ");
	esc(out, o->version);
	strbuf_addstr(out, " at ");
	esc(out, o->time);
	strbuf_addstr(out, "</footer>\n");
	twa_html_end(out);
	strbuf_release(&tmp);
	return strbuf_failed(out) ? -ENOMEM : 0;
}

/* ---- JSON: twadvise.netns-report/1 ---- */

static json_object *omitted_json(const struct twa_ns_results *rs, size_t n)
{
	static const char *const name[] = { "critical", "warning", "unknown", "ok", "gone" };
	json_object *o = json_object_new_object();
	struct tally t;
	size_t i;

	tally(rs, n, &t);
	json_object_object_add(o, "count", json_object_new_int64((int64_t)(rs->n - n)));
	for (i = 0; i < 5; i++)
		json_object_object_add(o, name[i], json_object_new_int64((int64_t)t.c[i]));
	return o;
}

static json_object *unreadable_json(const struct twa_ns_results *rs)
{
	json_object *u;

	if (!rs->unreadable_procs)
		return NULL;
	u = json_object_new_object();
	json_object_object_add(u, "count", json_object_new_int64(rs->unreadable_procs));
	json_object_object_add(u, "first_pid", json_object_new_int(rs->unreadable_pid));
	json_object_object_add(u, "reason", json_object_new_string(rs->unreadable_why));
	return u;
}

int twa_nsreport_write_json(const struct twa_ns_results *rs,
			    const struct twa_nsreport_opts *o, struct strbuf *out)
{
	json_object *d = json_object_new_object(), *a = json_object_new_array();
	size_t n = shown(rs, o), i;
	int r;

	json_object_object_add(d, "schema", json_object_new_string(TWA_NETNS_REPORT_SCHEMA));
	json_object_object_add(d, "version", json_object_new_string(o->version));
	json_object_object_add(d, "time", json_object_new_string(o->time));
	json_object_object_add(d, "status", json_object_new_string(twa_status_name(rs->status)));
	json_object_object_add(d, "profile", json_object_new_string(rs->profile));
	json_object_object_add(d, "counts", twa_ns_counts_to_json(rs));
	json_object_object_add(d, "host_wide_keys", twa_ns_host_wide_json());
	json_object_object_add(d, "unreadable_processes", unreadable_json(rs));
	json_object_object_add(d, "truncated", json_object_new_boolean(rs->truncated));
	json_object_object_add(d, "max_sections", json_object_new_int64((int64_t)(o->max_sections ? o->max_sections : TWA_NSREPORT_MAX_SECTIONS)));
	for (i = 0; i < n; i++)
		json_object_array_add(a, twa_ns_result_to_json(rs, &rs->v[i]));
	json_object_object_add(d, "namespaces", a);
	json_object_object_add(d, "omitted", omitted_json(rs, n));
	r = twa_json_write(d, true, out);
	json_object_put(d);
	return r;
}
