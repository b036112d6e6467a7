/* SPDX-License-Identifier: MIT */
/* test_report.c - unit tests for advisor/report.h, markup.h and fleet.h: golden Markdown, escaping of hostile strings, JSON, commands, the fleet merge. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/facts/facts.h"
#include "advisor/facts/facts_json.h"
#include "advisor/rules/findings.h"
#include "advisor/report/fleet.h"
#include "advisor/util/jsonutil.h"
#include "advisor/report/markup.h"
#include "advisor/profile/profile.h"
#include "advisor/profile/profile_load.h"
#include "advisor/report/report.h"
#include "advisor/rules/rules.h"
#include "advisor/util/strbuf.h"

#include "tests/unit/testlib.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Volatile fields made fixed, so the golden files are stable. */
#define T_VERSION "0.1.0"
#define T_TIME "2026-01-01T00:00:00Z"
#define T_PROFILE_SOURCE "tests/fixtures/report/profile.yaml"

static void read_fixture(const char *name, struct strbuf *out)
{
	char rel[512], *buf;
	size_t len;

	snprintf(rel, sizeof(rel), "report/%s", name);
	buf = tl_read_fixture(rel, &len);
	assert_int_equal(strbuf_add(out, buf, len), 0);
	free(buf);
}

/* TWA_UPDATE_GOLDEN=1 rewrites a golden file instead of comparing. */
static void golden(const char *name, const struct strbuf *got)
{
	struct strbuf want = STRBUF_INIT;
	size_t line = 1, i;

	if (getenv("TWA_UPDATE_GOLDEN")) {
		char path[4096];
		FILE *fp;

		snprintf(path, sizeof(path), "%s/report/%s", tl_fixtures(), name);
		fp = fopen(path, "wb");
		assert_non_null(fp);
		assert_int_equal(fwrite(got->buf, 1, got->len, fp), got->len);
		fclose(fp);
		return;
	}
	read_fixture(name, &want);
	for (i = 0; i < want.len && i < got->len && want.buf[i] == got->buf[i]; i++)
		if (want.buf[i] == '\n')
			line++;
	if (i < want.len || i < got->len) {
		const char *w = want.buf + i, *g = got->buf + i;

		while (w > want.buf && w[-1] != '\n')
			w--, g--;
		print_error("%s differs at line %zu:\n  want: %.*s\n  got:  %.*s\n"
			    "(TWA_UPDATE_GOLDEN=1 rewrites it after a deliberate change)\n",
			    name, line, (int)strcspn(w, "\n"), w, (int)strcspn(g, "\n"), g);
		strbuf_release(&want);
		fail();
	}
	strbuf_release(&want);
}

struct fixture {
	struct twa_facts facts;
	struct twa_findings findings;
	struct twa_profile profile;
	struct twa_report report;
};

static void load_fixture(struct fixture *fx)
{
	struct twa_profile_search none = { NULL, 0 };
	struct strbuf buf = STRBUF_INIT;
	struct twa_err err = { 0 };
	struct twa_report_opts ro = { .version = T_VERSION, .time = T_TIME,
				      .profile_spec = "report-fixture" };
	char path[4096];
	json_object *o;

	twa_facts_init(&fx->facts);
	twa_findings_init(&fx->findings);
	twa_report_init(&fx->report);
	read_fixture("facts.json", &buf);
	if (twa_facts_parse(buf.buf, buf.len, "facts.json", &fx->facts, &err) < 0)
		fail_msg("facts.json: %s", err.msg);
	strbuf_reset(&buf);
	read_fixture("findings.json", &buf);
	assert_int_equal(twa_json_parse(buf.buf, buf.len, "findings.json", &o, &err), 0);
	if (twa_findings_from_json(o, "findings.json", &fx->findings, &err) < 0)
		fail_msg("findings.json: %s", err.msg);
	json_object_put(o);
	strbuf_release(&buf);
	snprintf(path, sizeof(path), "%s/report/profile.yaml", tl_fixtures());
	if (twa_profile_load(path, &none, NULL, NULL, &fx->profile, &err) < 0)
		fail_msg("profile.yaml: %s", err.msg);
	/* the loader records the absolute path: make it the same everywhere */
	snprintf(fx->profile.source, sizeof(fx->profile.source), "%s", T_PROFILE_SOURCE);
	assert_int_equal(twa_report_build(&fx->report, &fx->facts, &fx->findings,
					  &fx->profile, &ro, &err), 0);
}

static void release_fixture(struct fixture *fx)
{
	twa_report_release(&fx->report);
	twa_profile_release(&fx->profile);
	twa_findings_release(&fx->findings);
	twa_facts_release(&fx->facts);
}

/* ---- the golden Markdown ------------------------------------------------- */

static void test_golden_markdown(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct fixture fx;

	(void)state;
	load_fixture(&fx);
	assert_int_equal(twa_report_write_markdown(&fx.report, &out), 0);
	golden("expected.md", &out);
	strbuf_release(&out);
	release_fixture(&fx);
}

/* Every table row of a Markdown document has as many unescaped pipes as
 * its header: an escaped pipe in a cell cannot split it. */
static void assert_md_tables_intact(const char *md)
{
	const char *line = md;
	int cols = -1, fence = 0;

	while (*line) {
		size_t len = strcspn(line, "\n");
		int pipes = 0;
		size_t i;

		if (len >= 3 && !strncmp(line, "```", 3))
			fence = !fence;
		if (!fence && len && line[0] == '|') {
			for (i = 0; i < len; i++) {
				if (line[i] == '\\') {
					i++;
					continue;
				}
				pipes += line[i] == '|';
			}
			if (cols < 0)
				cols = pipes;
			else if (pipes != cols)
				fail_msg("table row with %d pipes, header has %d: %.*s", pipes, cols,
					 (int)len, line);
		} else {
			cols = -1;
		}
		line += len + (line[len] == '\n');
	}
}

/* Outside code blocks and spans, no '<' of the input survives unescaped. */
static void assert_md_no_raw_html(const char *md)
{
	const char *p;
	int fence = 0;

	for (p = md; *p; p++) {
		if ((p == md || p[-1] == '\n') && !strncmp(p, "```", 3))
			fence = !fence;
		if (!fence && *p == '<' && (p == md || p[-1] != '\\'))
			fail_msg("raw '<' in Markdown: %.40s", p);
	}
}

static void test_markdown_content(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct fixture fx;

	(void)state;
	load_fixture(&fx);
	twa_report_write_markdown(&fx.report, &out);
	assert_md_tables_intact(out.buf);
	assert_md_no_raw_html(out.buf);
	/* the verdict is the first paragraph after the title */
	assert_non_null(strstr(out.buf, "# twadvise report: busy-host\n\n**CRITICAL**: 1 critical, 6 warning, 2 info on busy-host"));
	/* the owner "java|pool" stays in its cell, "<worker>" is not a tag */
	assert_non_null(strstr(out.buf, "java\\|pool"));
	assert_non_null(strstr(out.buf, "\\<worker>"));
	/* sysctl -w for every change of the plan, and the way back */
	assert_non_null(strstr(out.buf, "sysctl -w net.ipv4.tcp_tw_reuse=1\n"));
	assert_non_null(strstr(out.buf, "sysctl -w net.ipv4.tcp_tw_reuse=2\n"));
	assert_non_null(strstr(out.buf, "sysctl -w 'net.ipv4.ip_local_port_range=10000 65535'\n"));
	assert_non_null(strstr(out.buf, "sysctl -w 'net.ipv4.ip_local_port_range=32768 60999'\n"));
	assert_non_null(strstr(out.buf, "twadvise plan --profile report-fixture -o plan.json && twadvise apply plan.json\n"));
	assert_non_null(strstr(out.buf, "twadvise rollback --last\n"));
	assert_non_null(strstr(out.buf, "| Profile | report-fixture |"));
	assert_non_null(strstr(out.buf, "## Rates"));
	strbuf_release(&out);
	release_fixture(&fx);
}

/* ---- the model: rows and commands -------------------------------------- */

static const struct twa_report_sysctl *row(const struct twa_report *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->n_sysctls; i++)
		if (!strcmp(r->sysctls[i].key, key))
			return &r->sysctls[i];
	fail_msg("no sysctl row %s", key);
	return NULL;
}

static void test_sysctl_rows(void **state)
{
	struct fixture fx;
	const struct twa_report_sysctl *s;
	size_t i;

	(void)state;
	load_fixture(&fx);
	s = row(&fx.report, "net.ipv4.tcp_tw_reuse");
	assert_string_equal(s->current, "2");
	assert_string_equal(s->wanted, "= 1");
	assert_string_equal(s->proposed, "1");
	assert_string_equal(s->status, "change");
	assert_string_equal(s->rules, "ephemeral-exhaustion, tw-reuse-off");
	/* tabs of the kernel's value become a space */
	s = row(&fx.report, "net.ipv4.ip_local_port_range");
	assert_string_equal(s->current, "32768 60999");
	assert_string_equal(s->proposed, "10000 65535");
	/* two rules propose the reserved ports: the first one's value wins,
	 * as in the plan, and both are named */
	s = row(&fx.report, "net.ipv4.ip_local_reserved_ports");
	assert_string_equal(s->status, "change");
	assert_non_null(strstr(s->rules, "ephemeral-range-narrow"));
	assert_non_null(strstr(s->rules, "listener-in-ephemeral-range"));
	assert_string_equal(s->proposed, "20013,21013,45000,50000-50010,55555");
	s = row(&fx.report, "net.ipv4.tcp_timestamps");
	assert_string_equal(s->status, "ok");
	assert_string_equal(s->proposed, "");
	/* changes first */
	for (i = 1; i < fx.report.n_sysctls; i++)
		if (!strcmp(fx.report.sysctls[i].status, "change"))
			assert_string_equal(fx.report.sysctls[i - 1].status, "change");
	/* reserved ports before the wider range; rollback in reverse */
	assert_non_null(strstr(fx.report.cmds.sysctl.v[0], "ip_local_reserved_ports="));
	assert_non_null(strstr(fx.report.cmds.sysctl_rollback.v[fx.report.cmds.sysctl_rollback.n - 1],
			       "ip_local_reserved_ports="));
	assert_int_equal(fx.report.cmds.sysctl.n, fx.report.cmds.sysctl_rollback.n);
	assert_true(fx.report.port_warning == 0.4);
	assert_true(fx.report.port_critical == 0.7);
	release_fixture(&fx);
}

static void test_commands_netns_and_quoting(void **state)
{
	static const struct {
		const char *netns, *profile, *want_plan, *want_sysctl;
	} cases[] = {
		{ "blue", "reverse-proxy",
		  "twadvise --netns blue plan --profile reverse-proxy -o plan.json && twadvise --netns blue --state-dir /tmp/st apply plan.json",
		  "ip netns exec blue sysctl -w net.ipv4.tcp_tw_reuse=1" },
		{ "/proc/42/ns/net", "./my profile's.yaml",
		  "twadvise --netns /proc/42/ns/net plan --profile './my profile'\\''s.yaml' -o plan.json && twadvise --netns /proc/42/ns/net --state-dir /tmp/st apply plan.json",
		  "nsenter --net=/proc/42/ns/net sysctl -w net.ipv4.tcp_tw_reuse=1" },
		{ NULL, "https://cfg.example/p.yaml?x=1&y=2",
		  "twadvise plan --profile 'https://cfg.example/p.yaml?x=1&y=2' -o plan.json && twadvise --state-dir /tmp/st apply plan.json",
		  "sysctl -w net.ipv4.tcp_tw_reuse=1" },
	};
	struct fixture fx;
	size_t i, k;

	(void)state;
	load_fixture(&fx);
	for (i = 0; i < N(cases); i++) {
		struct twa_report_opts ro = { .version = T_VERSION, .time = T_TIME,
					      .profile_spec = cases[i].profile,
					      .netns = cases[i].netns, .state_dir = "/tmp/st" };
		struct twa_report r;
		bool found = false;

		twa_report_init(&r);
		assert_int_equal(twa_report_build(&r, &fx.facts, &fx.findings, &fx.profile, &ro, NULL), 0);
		assert_string_equal(r.cmds.apply, cases[i].want_plan);
		for (k = 0; k < r.cmds.sysctl.n; k++)
			found |= !strcmp(r.cmds.sysctl.v[k], cases[i].want_sysctl);
		if (!found)
			fail_msg("case %zu: no line '%s'", i, cases[i].want_sysctl);
		twa_report_release(&r);
	}
	release_fixture(&fx);
}

static void test_shell_quote(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "default", "default" },
		{ "a b", "'a b'" },
		{ "it's", "'it'\\''s'" },
		{ "", "''" },
		{ "$(reboot)", "'$(reboot)'" },
		{ "x;rm -rf /", "'x;rm -rf /'" },
		{ "key=1,2:3/4", "key=1,2:3/4" },
		{ "tab\there", "'tab\there'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct strbuf sb = STRBUF_INIT;

		twa_shell_quote(&sb, cases[i].in);
		assert_string_equal(sb.buf, cases[i].out);
		strbuf_release(&sb);
	}
}

static void test_nothing_to_change(void **state)
{
	struct twa_findings fs;
	struct twa_report r;
	struct twa_report_opts ro = { .version = T_VERSION, .time = T_TIME };
	struct strbuf md = STRBUF_INIT;
	struct fixture fx;
	json_object *o, *c, *v;

	(void)state;
	load_fixture(&fx);
	twa_findings_init(&fs);
	strcpy(fs.profile, "report-fixture");
	fs.status = TWA_STATUS_OK;
	twa_report_init(&r);
	assert_int_equal(twa_report_build(&r, &fx.facts, &fs, NULL, &ro, NULL), 0);
	assert_int_equal(r.n_sysctls, 0);
	assert_string_equal(r.cmds.apply, "");
	assert_int_equal(r.cmds.sysctl.n, 0);
	twa_report_write_markdown(&r, &md);
	assert_non_null(strstr(md.buf, "**OK**: 0 critical, 0 warning, 0 info on busy-host (profile report-fixture): nothing to fix"));
	assert_non_null(strstr(md.buf, "No sysctl change is proposed"));
	assert_null(strstr(md.buf, "sysctl -w"));
	o = twa_report_to_json(&r);
	assert_true(json_object_object_get_ex(o, "commands", &c));
	assert_true(json_object_object_get_ex(c, "apply", &v));
	assert_null(v);		/* JSON null */
	assert_true(json_object_object_get_ex(c, "sysctl", &v));
	assert_int_equal(json_object_array_length(v), 0);
	json_object_put(o);
	strbuf_release(&md);
	twa_report_release(&r);
	twa_findings_release(&fs);
	release_fixture(&fx);
}

/* ---- JSON -------------------------------------------------------------- */

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		fail_msg("no string member '%s'", key);
	return json_object_get_string(v);
}

static void test_json(void **state)
{
	struct twa_err err = { 0 };
	struct strbuf text = STRBUF_INIT;
	struct twa_findings fs;
	struct twa_facts f;
	struct fixture fx;
	json_object *o, *back, *v, *h;

	(void)state;
	load_fixture(&fx);
	o = twa_report_to_json(&fx.report);
	assert_non_null(o);
	assert_int_equal(twa_json_write(o, true, &text), 0);
	json_object_put(o);
	/* what a consumer sees, reparsed from the text */
	assert_int_equal(twa_json_parse(text.buf, text.len, "report.json", &back, &err), 0);
	assert_string_equal(jstr(back, "schema"), "twadvise.report/1");
	assert_string_equal(jstr(back, "version"), T_VERSION);
	assert_string_equal(jstr(back, "generated"), T_TIME);
	assert_string_equal(jstr(back, "status"), "critical");
	assert_string_equal(jstr(back, "profile"), "report-fixture");
	assert_string_equal(jstr(back, "profile_chain"), "report-fixture");
	assert_true(json_object_object_get_ex(back, "host", &h));
	assert_string_equal(jstr(h, "hostname"), "busy-host");
	assert_string_equal(jstr(h, "sockets_source"), "proc");
	assert_true(json_object_object_get_ex(back, "commands", &v));
	assert_string_equal(jstr(v, "rollback"), "twadvise rollback --last");
	assert_true(json_object_object_get_ex(v, "sysctl", &h));
	assert_int_equal(json_object_array_length(h), fx.report.cmds.sysctl.n);
	assert_true(json_object_object_get_ex(back, "sysctls", &v));
	assert_int_equal(json_object_array_length(v), fx.report.n_sysctls);
	/* the embedded documents are the facts and findings, intact */
	assert_true(json_object_object_get_ex(back, "facts", &v));
	twa_facts_init(&f);
	if (twa_facts_from_json(v, "report.json", &f, &err) < 0)
		fail_msg("facts: %s", err.msg);
	assert_int_equal(twa_facts_state(&f, TWA_TCP_TIME_WAIT), 14600);
	assert_int_equal(f.rates.n_series, 3);	/* the series survive */
	twa_facts_release(&f);
	assert_true(json_object_object_get_ex(back, "findings", &v));
	assert_string_equal(jstr(v, "schema"), "twadvise.findings/1");
	twa_findings_init(&fs);
	assert_int_equal(twa_findings_from_json(v, "report.json", &fs, &err), 0);
	assert_int_equal(fs.n, fx.findings.n);
	assert_string_equal(fs.v[0].rule, fx.findings.v[0].rule);
	twa_findings_release(&fs);
	json_object_put(back);
	strbuf_release(&text);
	release_fixture(&fx);
}

/* ---- HTML: escaping and self-containment ------------------------------- */

static const char *const html_tags[] = {
	"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p",
	"span", "main", "section", "div", "table", "thead", "tbody", "tr", "th",
	"td", "code", "ul", "li", "strong", "br", "figure", "figcaption", "svg",
	"g", "rect", "text", "line", "polyline", "circle", "pre", "dl", "dt", "dd",
	"footer", NULL,
};
static const char *const void_tags[] = { "meta", "br", NULL };

static bool in_list(const char *const *list, const char *name, size_t len)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (strlen(list[i]) == len && !strncmp(list[i], name, len))
			return true;
	return false;
}

/* Every tag is one the writer emits, and they nest properly: a string
 * that got through unescaped would show up as a foreign or unbalanced
 * tag. No attribute loads anything. */
static void assert_html_sound(const char *html)
{
	const char *stack[256], *p;
	size_t depth = 0, slen[256];

	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "@import"));
	for (p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		bool close = p[1] == '/';
		const char *name = p + 1 + close, *end = strchr(p, '>'), *a;
		size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");

		assert_non_null(end);
		if (!strncmp(p, "<!DOCTYPE html>", 15))
			continue;
		if (!len || !in_list(html_tags, name, len))
			fail_msg("unexpected tag: %.60s", p);
		/* no attribute that loads or runs anything */
		for (a = p; a < end; a++)
			if (a[0] == ' ' && (!strncmp(a, " src=", 5) || !strncmp(a, " href=", 6) ||
					    !strncmp(a, " xlink:href=", 12) ||
					    (a[1] == 'o' && a[2] == 'n' && a[3] >= 'a' && a[3] <= 'z')))
				fail_msg("attribute in tag: %.*s", (int)(end - p + 1), p);
		if (close) {
			if (!depth || slen[depth - 1] != len || strncmp(stack[depth - 1], name, len))
				fail_msg("unbalanced </%.*s>", (int)len, name);
			depth--;
		} else if (end[-1] != '/' && !in_list(void_tags, name, len)) {
			assert_true(depth < N(stack));
			stack[depth] = name;
			slen[depth++] = len;
		}
	}
	assert_int_equal(depth, 0);
}

static void test_html_fixture(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct fixture fx;

	(void)state;
	load_fixture(&fx);
	assert_int_equal(twa_report_write_html(&fx.report, &out), 0);
	assert_html_sound(out.buf);
	/* nothing to fetch: no URL at all */
	assert_null(strstr(out.buf, "http://"));
	assert_null(strstr(out.buf, "https://"));
	assert_null(strstr(out.buf, "<script"));
	assert_non_null(strstr(out.buf, "<meta name=\"viewport\""));
	assert_non_null(strstr(out.buf, "@media print"));
	assert_non_null(strstr(out.buf, "Content-Security-Policy"));
	assert_non_null(strstr(out.buf, "id=\"chart-states\""));
	assert_non_null(strstr(out.buf, "id=\"chart-ports\""));
	assert_non_null(strstr(out.buf, "id=\"chart-rates\""));	/* the fixture has 3 samples */
	assert_non_null(strstr(out.buf, "warning 40%"));
	assert_non_null(strstr(out.buf, "critical 70%"));
	assert_non_null(strstr(out.buf, "java|pool"));
	assert_non_null(strstr(out.buf, "&lt;worker&gt;"));
	assert_non_null(strstr(out.buf, "<code class=\"rule\">listen-overflow</code>"));
	strbuf_release(&out);
	release_fixture(&fx);
}

static void test_html_hostile_strings(void **state)
{
	static const char *const hostile[] = {
		"<script>alert(1)</script>",
		"\"><img src=x onerror=alert(1)>",
		"</td></tr></table><h1>pwned",
		"a&b<!--c-->'d'",
		"ctl\x01\x1b[31mred",
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(hostile); i++) {
		struct strbuf out = STRBUF_INIT, md = STRBUF_INIT;
		struct fixture fx;
		struct twa_report_opts ro = { .version = hostile[i], .time = hostile[i],
					      .profile_spec = hostile[i] };
		struct twa_finding *f;

		load_fixture(&fx);
		snprintf(fx.facts.host.hostname, sizeof(fx.facts.host.hostname), "%s", hostile[i]);
		snprintf(fx.facts.host.kernel, sizeof(fx.facts.host.kernel), "%s", hostile[i]);
		snprintf(fx.facts.sockets.source, sizeof(fx.facts.sockets.source), "%.15s", hostile[i]);
		snprintf(fx.facts.close_wait.v[0].comm, sizeof(fx.facts.close_wait.v[0].comm), "%s", hostile[i]);
		snprintf(fx.facts.listeners[0].process.comm, sizeof(fx.facts.listeners[0].process.comm),
			 "%s", hostile[i]);
		snprintf(fx.facts.ephemeral.dest[0].remote, sizeof(fx.facts.ephemeral.dest[0].remote),
			 "%s", hostile[i]);
		f = &fx.findings.v[0];
		snprintf(f->rule, sizeof(f->rule), "%s", hostile[i]);
		snprintf(f->summary, sizeof(f->summary), "%s", hostile[i]);
		snprintf(f->recommendation, sizeof(f->recommendation), "%s", hostile[i]);
		snprintf(f->evidence[0].value, sizeof(f->evidence[0].value), "%s", hostile[i]);
		snprintf(fx.profile.chain, sizeof(fx.profile.chain), "%s", hostile[i]);
		assert_int_equal(twa_report_build(&fx.report, &fx.facts, &fx.findings,
						  &fx.profile, &ro, NULL), 0);
		assert_int_equal(twa_report_write_html(&fx.report, &out), 0);
		assert_html_sound(out.buf);
		assert_null(memchr(out.buf, '\x1b', out.len));
		assert_null(memchr(out.buf, '\x01', out.len));
		assert_int_equal(twa_report_write_markdown(&fx.report, &md), 0);
		assert_md_tables_intact(md.buf);
		assert_md_no_raw_html(md.buf);
		assert_null(memchr(md.buf, '\x1b', md.len));
		strbuf_release(&out);
		strbuf_release(&md);
		release_fixture(&fx);
	}
}

static void test_escapers(void **state)
{
	static const struct { const char *in, *html, *md; } cases[] = {
		{ "plain", "plain", "plain" },
		{ "a|b", "a|b", "a\\|b" },
		{ "<b>&amp;", "&lt;b&gt;&amp;amp;", "\\<b>\\&amp;" },
		{ "\"q\" 'a'", "&quot;q&quot; &#39;a&#39;", "\"q\" 'a'" },
		{ "TIME_WAIT", "TIME_WAIT", "TIME_WAIT" },
		{ "_x_ *y*", "_x_ *y*", "\\_x\\_ \\*y\\*" },
		{ "[t](http://e)", "[t](http://e)", "[t\\](http://e)" },
		{ "sockgen[42]", "sockgen[42]", "sockgen[42]" },
		{ ">= 8192", "&gt;= 8192", "\\>= 8192" },
		{ "a >= b", "a &gt;= b", "a >= b" },
		{ "`x` \\ ~", "`x` \\ ~", "\\`x\\` \\\\ \\~" },
		{ "new\nline\ttab", "new\nline\ttab", "new line tab" },
		{ "bell\x07", "bell\xef\xbf\xbd", "bell " },
		{ "caf\xc3\xa9", "caf\xc3\xa9", "caf\xc3\xa9" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct strbuf h = STRBUF_INIT, m = STRBUF_INIT;

		twa_html_escape(&h, cases[i].in);
		twa_md_escape(&m, cases[i].in);
		if (strcmp(h.buf, cases[i].html))
			fail_msg("html case %zu: got '%s', want '%s'", i, h.buf, cases[i].html);
		if (strcmp(m.buf, cases[i].md))
			fail_msg("md case %zu: got '%s', want '%s'", i, m.buf, cases[i].md);
		strbuf_release(&h);
		strbuf_release(&m);
	}
}

static void test_md_code_and_fence(void **state)
{
	static const struct { const char *in, *out; } spans[] = {
		{ "key", "`key`" },
		{ "a`b", "``a`b``" },
		{ "`x`", "`` `x` ``" },
		{ "a|b", "a\\|b" },	/* a pipe: escaped text instead */
		{ "", "" },
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < N(spans); i++) {
		strbuf_reset(&sb);
		twa_md_code(&sb, spans[i].in);
		if (strcmp(sb.buf, spans[i].out))
			fail_msg("span case %zu: got '%s', want '%s'", i, sb.buf, spans[i].out);
	}
	strbuf_reset(&sb);
	twa_md_fence(&sb, "sh", "echo ```\n");
	assert_string_equal(sb.buf, "````sh\necho ```\n````\n");
	strbuf_reset(&sb);
	twa_md_fence(&sb, NULL, "x");
	assert_string_equal(sb.buf, "```\nx\n```\n");
	strbuf_release(&sb);
}

/* ---- the fleet merge --------------------------------------------------- */

static void load_fleet(struct twa_fleet *fl)
{
	static const char *const files[] = {
		"host-c.report.json", "host-a.report.json", "host-b.report.json",
	};
	struct twa_err err = { 0 };
	size_t i;

	twa_fleet_init(fl);
	for (i = 0; i < N(files); i++) {
		struct strbuf buf = STRBUF_INIT;

		read_fixture(files[i], &buf);
		if (twa_fleet_add(fl, buf.buf, buf.len, files[i], &err) < 0)
			fail_msg("%s: %s", files[i], err.msg);
		strbuf_release(&buf);
	}
	assert_int_equal(twa_fleet_finish(fl, T_VERSION, T_TIME, &err), 0);
}

static void test_merge(void **state)
{
	static const char *const columns[] = {
		"listen-overflow", "tw-reuse-off", "ephemeral-range-narrow",
		"listener-in-ephemeral-range", "somaxconn-low", "sysctl-mismatch",
		"ephemeral-exhaustion", "close-wait-leak", "time-wait-volume",
	};
	/* rows: web-a, web-b, db-c; U: not checked */
	enum { O = TWA_SEV_OK, I = TWA_SEV_INFO, W = TWA_SEV_WARNING,
	       C = TWA_SEV_CRITICAL, U = TWA_FLEET_UNCHECKED };
	static const int matrix[3][9] = {
		{ C, W, W, W, W, W, W, I, I },
		{ W, W, W, W, W, W, O, I, O },
		{ O, O, O, O, O, O, U, O, O },
	};
	/* per column: critical, warning, info, ok, unchecked */
	static const size_t totals[9][5] = {
		{ 1, 1, 0, 1, 0 }, { 0, 2, 0, 1, 0 }, { 0, 2, 0, 1, 0 },
		{ 0, 2, 0, 1, 0 }, { 0, 2, 0, 1, 0 }, { 0, 2, 0, 1, 0 },
		{ 0, 1, 0, 1, 1 }, { 0, 0, 2, 1, 0 }, { 0, 0, 1, 2, 0 },
	};
	struct twa_fleet fl;
	char verdict[512];
	size_t h, c;

	(void)state;
	load_fleet(&fl);
	assert_int_equal(fl.n_hosts, 3);
	assert_string_equal(fl.hosts[0].hostname, "web-a");
	assert_string_equal(fl.hosts[1].hostname, "web-b");
	assert_string_equal(fl.hosts[2].hostname, "db-c");
	assert_int_equal(fl.hosts[0].status, TWA_STATUS_CRITICAL);
	assert_int_equal(fl.hosts[0].counts[TWA_SEV_WARNING], 6);
	assert_int_equal(fl.status, TWA_STATUS_CRITICAL);
	assert_int_equal(fl.n_rules, N(columns));
	for (c = 0; c < N(columns); c++) {
		assert_string_equal(fl.rules[c].rule, columns[c]);
		assert_int_equal(fl.rules[c].hosts[TWA_SEV_CRITICAL], totals[c][0]);
		assert_int_equal(fl.rules[c].hosts[TWA_SEV_WARNING], totals[c][1]);
		assert_int_equal(fl.rules[c].hosts[TWA_SEV_INFO], totals[c][2]);
		assert_int_equal(fl.rules[c].hosts[TWA_SEV_OK], totals[c][3]);
		assert_int_equal(fl.rules[c].unchecked, totals[c][4]);
		for (h = 0; h < 3; h++)
			if (twa_fleet_cell(&fl, h, c) != matrix[h][c])
				fail_msg("cell %s x %s: %d, want %d", fl.hosts[h].hostname,
					 columns[c], twa_fleet_cell(&fl, h, c), matrix[h][c]);
	}
	assert_int_equal(fl.n_quiet, 9);
	twa_fleet_verdict(&fl, verdict, sizeof(verdict));
	assert_string_equal(verdict, "CRITICAL: 3 hosts: 1 critical, 1 warning, 0 unknown, 1 ok; "
				     "most widespread: listen-overflow on 2");
	twa_fleet_release(&fl);
}

static void test_merge_writers(void **state)
{
	struct strbuf md = STRBUF_INIT, html = STRBUF_INIT, js = STRBUF_INIT;
	struct twa_err err = { 0 };
	struct twa_fleet fl;
	json_object *o, *v, *e;

	(void)state;
	load_fleet(&fl);
	assert_int_equal(twa_fleet_write_markdown(&fl, &md), 0);
	golden("expected-fleet.md", &md);
	assert_md_tables_intact(md.buf);
	assert_md_no_raw_html(md.buf);
	assert_int_equal(twa_fleet_write_html(&fl, &html), 0);
	assert_html_sound(html.buf);
	assert_non_null(strstr(html.buf, "<td class=\"cell-critical\">CRITICAL</td>"));
	o = twa_fleet_to_json(&fl);
	twa_json_write(o, true, &js);
	json_object_put(o);
	assert_int_equal(twa_json_parse(js.buf, js.len, "fleet.json", &o, &err), 0);
	assert_string_equal(jstr(o, "schema"), "twadvise.fleet/1");
	assert_string_equal(jstr(o, "status"), "critical");
	assert_true(json_object_object_get_ex(o, "hosts", &v));
	assert_int_equal(json_object_array_length(v), 3);
	e = json_object_array_get_idx(v, 0);
	assert_string_equal(jstr(e, "hostname"), "web-a");
	assert_true(json_object_object_get_ex(e, "findings", &e));
	assert_string_equal(jstr(e, "listen-overflow"), "critical");
	assert_true(json_object_object_get_ex(o, "rules", &v));
	e = json_object_array_get_idx(v, 0);
	assert_string_equal(jstr(e, "rule"), "listen-overflow");
	json_object_put(o);
	strbuf_release(&md);
	strbuf_release(&html);
	strbuf_release(&js);
	twa_fleet_release(&fl);
}

static void test_merge_bad_input(void **state)
{
	static const struct {
		const char *doc, *want;
		unsigned line, col;
	} cases[] = {
		{ "{\n  \"schema\": \"twadvise.report/1\",\n  \"host\": {,}\n}", "bad JSON", 3, 12 },
		{ "", "unexpected end", 1, 1 },
		{ "[]", "expected a JSON object", 0, 0 },
		{ "{\"schema\": \"twadvise.facts/1\"}", "is not twadvise.report/1", 0, 0 },
		{ "{\"schema\": \"twadvise.report/1\"}", "host: missing", 0, 0 },
		{ "{\"schema\": \"twadvise.report/1\", \"host\": {\"hostname\": \"h\"}, \"status\": \"fine\","
		  " \"facts\": {\"schema\": \"twadvise.facts/1\"}, \"findings\": {\"status\": \"ok\", \"findings\": []}}",
		  "'fine' is not ok", 0, 0 },
		{ "{\"schema\": \"twadvise.report/1\", \"host\": {\"hostname\": \"h\"}, \"status\": \"ok\","
		  " \"facts\": {\"schema\": \"twadvise.facts/2\"}, \"findings\": {\"status\": \"ok\", \"findings\": []}}",
		  "schema 'twadvise.facts/2'", 0, 0 },
		{ "{\"schema\": \"twadvise.report/1\", \"host\": {\"hostname\": \"h\"}, \"status\": \"ok\","
		  " \"facts\": {\"schema\": \"twadvise.facts/1\"}, \"findings\": {\"status\": \"ok\","
		  " \"findings\": [{\"rule\": \"x\", \"severity\": \"dire\", \"summary\": \"s\"}]}}",
		  "'dire' is not ok", 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct twa_err err = { 0 };
		struct twa_fleet fl;
		int r;

		twa_fleet_init(&fl);
		r = twa_fleet_add(&fl, cases[i].doc, strlen(cases[i].doc), "bad.json", &err);
		if (r != -EBADMSG)
			fail_msg("case %zu: returned %d, want -EBADMSG", i, r);
		assert_string_equal(err.file, "bad.json");
		if (!strstr(err.msg, cases[i].want))
			fail_msg("case %zu: message '%s' lacks '%s'", i, err.msg, cases[i].want);
		if (cases[i].line) {
			assert_int_equal(err.line, cases[i].line);
			assert_int_equal(err.col, cases[i].col);
		}
		assert_int_equal(fl.n_hosts, 0);
		twa_fleet_release(&fl);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_markdown),
		cmocka_unit_test(test_markdown_content),
		cmocka_unit_test(test_sysctl_rows),
		cmocka_unit_test(test_commands_netns_and_quoting),
		cmocka_unit_test(test_shell_quote),
		cmocka_unit_test(test_nothing_to_change),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_html_fixture),
		cmocka_unit_test(test_html_hostile_strings),
		cmocka_unit_test(test_escapers),
		cmocka_unit_test(test_md_code_and_fence),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_writers),
		cmocka_unit_test(test_merge_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
