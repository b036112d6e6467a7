/* SPDX-License-Identifier: MIT */
/* report.c - building a host's report: sysctl rows, fix and rollback commands, verdict, twadvise.report/1.
 *
 * twadvise.report/1 (report --format json):
 *
 *   {
 *     "schema": "twadvise.report/1",
 *     "version": "0.1.0",                     twadvise that wrote it
 *     "generated": "2026-01-01T00:00:00Z",    when the report was written (UTC)
 *     "host": {"hostname": "...", "kernel": "6.1.0", "netns": "net:[4026531840]",
 *              "time": "...",                 when the facts were gathered
 *              "sockets_source": "netlink"},  where the socket counts came from
 *     "profile": "reverse-proxy",
 *     "profile_chain": "reverse-proxy -> web-server -> default",
 *     "profile_source": "/usr/share/twadvise/profiles/reverse-proxy.yaml",
 *     "status": "ok" | "warning" | "critical",
 *     "verdict": "WARNING: 0 critical, 2 warning, 1 info on web1 (profile ...): ...",
 *     "counts": {"critical": 0, "warning": 2, "info": 1},
 *     "sysctls": [{"key": "net.ipv4.tcp_tw_reuse", "present": true,
 *                  "current": "2", "wanted": "= 1", "proposed": "1",
 *                  "status": "change" | "not met" | "absent" | "ok",
 *                  "rules": "tw-reuse-off"}],
 *     "commands": {
 *       "apply": "twadvise plan --profile reverse-proxy -o plan.json && twadvise apply plan.json",
 *       "apply_persist": "... && twadvise apply --persist plan.json",
 *       "sysctl": ["sysctl -w net.ipv4.tcp_tw_reuse=1", ...],
 *       "rollback": "twadvise rollback --last",
 *       "sysctl_rollback": ["sysctl -w net.ipv4.tcp_tw_reuse=2", ...]
 *     },                                      apply, apply_persist, rollback: null
 *                                             and the lists empty when no change
 *                                             is proposed
 *     "facts": { twadvise.facts/1 },
 *     "findings": { twadvise.findings/1 }
 *   }
 *
 * The sysctl -w lines do what the plan would, without its snapshot, drift
 * check or persistence: they are for hosts where twadvise is not installed.
 */
#include "advisor/report/report.h"
#include "advisor/report/report_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/facts/facts_json.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"
#include "advisor/apply/plan.h"
#include "advisor/rules/rules.h"

const struct twa_field twa_report_sysctl_fields[] = {
	TWA_FIELD(struct twa_report_sysctl, key, "key", "SYSCTL", TWA_F_STR),
	TWA_FIELD(struct twa_report_sysctl, present, "present", NULL, TWA_F_BOOL),
	TWA_FIELD(struct twa_report_sysctl, current, "current", "CURRENT", TWA_F_STR),
	TWA_FIELD(struct twa_report_sysctl, wanted, "wanted", "PROFILE WANTS", TWA_F_STR),
	TWA_FIELD(struct twa_report_sysctl, proposed, "proposed", "PROPOSED", TWA_F_STR),
	TWA_FIELD(struct twa_report_sysctl, status, "status", "STATUS", TWA_F_STR),
	TWA_FIELD(struct twa_report_sysctl, rules, "rules", "WHY", TWA_F_STR),
	{ 0 },
};

static void strvec_release(struct twa_strvec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

/* Takes the buffer's text. */
static int strvec_push(struct twa_strvec *v, struct strbuf *sb)
{
	char **nv;

	if (strbuf_failed(sb))
		return -ENOMEM;
	nv = realloc(v->v, (v->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	v->v = nv;
	v->v[v->n] = strdup(sb->buf);
	if (!v->v[v->n])
		return -ENOMEM;
	v->n++;
	strbuf_reset(sb);
	return 0;
}

void twa_report_init(struct twa_report *r)
{
	memset(r, 0, sizeof(*r));
}

void twa_report_release(struct twa_report *r)
{
	if (!r)
		return;
	free(r->sysctls);
	strvec_release(&r->cmds.sysctl);
	strvec_release(&r->cmds.sysctl_rollback);
	twa_report_init(r);
}

/* Characters a POSIX shell never treats specially inside a word. */
static bool shell_safe(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-./:=,@%+", *s))
			return false;
	return true;
}

int twa_shell_quote(struct strbuf *out, const char *s)
{
	if (shell_safe(s))
		return strbuf_addstr(out, s);
	strbuf_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_addstr(out, "'\\''");
		else
			strbuf_addch(out, *s);
	}
	return strbuf_addch(out, '\'');
}

/* A sysctl value as one line: tabs and newlines become spaces. */
void twa_report_value(char *dst, const char *src, size_t size)
{
	size_t i;

	twa_strlcpy(dst, src ? src : "", size);
	for (i = 0; dst[i]; i++)
		if (dst[i] == '\t' || dst[i] == '\n' || dst[i] == '\r')
			dst[i] = ' ';
}

#define one_line twa_report_value

static struct twa_report_sysctl *find_row(struct twa_report *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->n_sysctls; i++)
		if (!strcmp(r->sysctls[i].key, key))
			return &r->sysctls[i];
	return NULL;
}

static struct twa_report_sysctl *add_row(struct twa_report *r, const char *key)
{
	struct twa_report_sysctl *v = realloc(r->sysctls, (r->n_sysctls + 1) * sizeof(*v));
	const char *cur;

	if (!v)
		return NULL;
	r->sysctls = v;
	v = &v[r->n_sysctls++];
	memset(v, 0, sizeof(*v));
	twa_strlcpy(v->key, key, sizeof(v->key));
	cur = twa_facts_sysctl(r->facts, key);
	v->present = cur != NULL;
	one_line(v->current, cur, sizeof(v->current));
	return v;
}

static void add_rule_name(char *rules, size_t size, const char *rule)
{
	size_t len = strlen(rule);
	const char *p;

	/* already listed? */
	for (p = strstr(rules, rule); p; p = strstr(p + 1, rule))
		if ((p == rules || p[-1] == ' ') && (p[len] == ',' || !p[len]))
			return;
	if (*rules)
		strncat(rules, ", ", size - strlen(rules) - 1);
	strncat(rules, rule, size - strlen(rules) - 1);
}

static int status_rank(const char *status)
{
	static const char *const order[] = { "change", "not met", "absent", "ok" };
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(order[i], status))
			return i;
	return 4;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct twa_report_sysctl *x = a, *y = b;
	int d = status_rank(x->status) - status_rank(y->status);

	return d ? d : strcmp(x->key, y->key);
}

/* The rows: first the plan's changes (twadvise plan makes the same plan
 * from the same findings, so the sysctl lines below match it), then the
 * proposals the plan leaves out (already in place, or absent on this
 * kernel), then the profile's other wants. */
static int build_rows(struct twa_report *r, const struct twa_profile *p,
		      struct twa_err *err)
{
	const struct twa_findings *fs = r->findings;
	struct twa_plan plan;
	size_t i, k;
	int ret;

	twa_plan_init(&plan);
	ret = twa_plan_from_findings(r->facts, fs, &plan, err);
	for (i = 0; ret >= 0 && i < plan.n; i++) {
		struct twa_report_sysctl *row = add_row(r, plan.changes[i].key);

		if (!row) {
			ret = -ENOMEM;
			break;
		}
		one_line(row->current, plan.changes[i].from, sizeof(row->current));
		one_line(row->proposed, plan.changes[i].to, sizeof(row->proposed));
		twa_strlcpy(row->status, "change", sizeof(row->status));
	}
	twa_plan_release(&plan);
	if (ret < 0)
		return ret;
	for (i = 0; i < fs->n; i++)
		for (k = 0; k < fs->v[i].n_changes; k++) {
			const struct twa_change *c = &fs->v[i].changes[k];
			struct twa_report_sysctl *row = find_row(r, c->key);

			if (!row) {
				row = add_row(r, c->key);
				if (!row)
					return -ENOMEM;
				if (!row->present)
					one_line(row->current, c->from, sizeof(row->current));
				twa_strlcpy(row->status, row->present ? "ok" : "absent",
					    sizeof(row->status));
			}
			add_rule_name(row->rules, sizeof(row->rules), fs->v[i].rule);
		}
	for (i = 0; p && i < p->n_wants; i++) {
		const struct twa_sysctl_want *w = &p->wants[i];
		struct twa_report_sysctl *row = find_row(r, w->key);
		const char *cur = twa_facts_sysctl(r->facts, w->key);
		char proposal[256];
		bool ok = false;

		if (!row && !(row = add_row(r, w->key)))
			return -ENOMEM;
		twa_want_describe(w, row->wanted, sizeof(row->wanted));
		if (row->status[0])
			continue;	/* a finding proposes it */
		twa_want_check(w, cur, &ok, proposal, sizeof(proposal));
		twa_strlcpy(row->status, ok ? "ok" : cur ? "not met" : "absent",
			    sizeof(row->status));
	}
	if (r->n_sysctls)
		qsort(r->sysctls, r->n_sysctls, sizeof(*r->sysctls), cmp_rows);
	return 0;
}

/* "twadvise [--netns X] [--state-dir D] [--sysctl-dir D] " */
static void tw_prefix(struct strbuf *sb, const struct twa_report_opts *o,
		      bool dirs)
{
	strbuf_addstr(sb, "twadvise ");
	if (o->netns) {
		strbuf_addstr(sb, "--netns ");
		twa_shell_quote(sb, o->netns);
		strbuf_addch(sb, ' ');
	}
	if (dirs && o->state_dir) {
		strbuf_addstr(sb, "--state-dir ");
		twa_shell_quote(sb, o->state_dir);
		strbuf_addch(sb, ' ');
	}
	if (dirs && o->sysctl_dir) {
		strbuf_addstr(sb, "--sysctl-dir ");
		twa_shell_quote(sb, o->sysctl_dir);
		strbuf_addch(sb, ' ');
	}
}

/* sysctl -w key=value, inside the namespace the report was made for. */
static void sysctl_line(struct strbuf *sb, const struct twa_report_opts *o,
			const char *key, const char *value)
{
	struct strbuf word = STRBUF_INIT;

	if (o->netns && strchr(o->netns, '/')) {
		strbuf_addf(&word, "--net=%s", o->netns);
		strbuf_addstr(sb, "nsenter ");
		twa_shell_quote(sb, word.buf);
		strbuf_addch(sb, ' ');
		strbuf_reset(&word);
	} else if (o->netns) {
		strbuf_addstr(sb, "ip netns exec ");
		twa_shell_quote(sb, o->netns);
		strbuf_addch(sb, ' ');
	}
	strbuf_addf(&word, "%s=%s", key, value);
	strbuf_addstr(sb, "sysctl -w ");
	twa_shell_quote(sb, word.buf);
	strbuf_release(&word);
}

/* Reserving ports before widening the range leaves no moment in which an
 * outgoing connection can take a listener's port; rollback runs in
 * reverse, narrowing first. */
static int apply_rank(const char *key)
{
	return strcmp(key, "net.ipv4.ip_local_reserved_ports") ? 1 : 0;
}

static int build_commands(struct twa_report *r, const struct twa_report_opts *o)
{
	struct twa_report_commands *c = &r->cmds;
	const struct twa_report_sysctl *order[64];
	struct strbuf sb = STRBUF_INIT;
	size_t i, n = 0;
	int rank, ret = 0;

	for (rank = 0; rank <= 1; rank++)
		for (i = 0; i < r->n_sysctls && n < 64; i++)
			if (!strcmp(r->sysctls[i].status, "change") &&
			    apply_rank(r->sysctls[i].key) == rank)
				order[n++] = &r->sysctls[i];
	if (!n)
		return 0;
	tw_prefix(&sb, o, false);
	strbuf_addstr(&sb, "plan --profile ");
	twa_shell_quote(&sb, o->profile_spec ? o->profile_spec : r->profile);
	strbuf_addstr(&sb, " -o plan.json && ");
	tw_prefix(&sb, o, true);
	twa_strlcpy(c->apply_persist, sb.buf, sizeof(c->apply_persist));
	strbuf_addstr(&sb, "apply plan.json");
	twa_strlcpy(c->apply, sb.buf, sizeof(c->apply));
	strncat(c->apply_persist, "apply --persist plan.json",
		sizeof(c->apply_persist) - strlen(c->apply_persist) - 1);
	strbuf_reset(&sb);
	tw_prefix(&sb, o, true);
	strbuf_addstr(&sb, "rollback --last");
	twa_strlcpy(c->rollback, sb.buf, sizeof(c->rollback));
	strbuf_reset(&sb);
	for (i = 0; i < n && ret == 0; i++) {
		sysctl_line(&sb, o, order[i]->key, order[i]->proposed);
		ret = strvec_push(&c->sysctl, &sb);
	}
	for (i = n; i-- > 0 && ret == 0;) {
		if (!order[i]->present)
			continue;	/* nothing to restore */
		sysctl_line(&sb, o, order[i]->key, order[i]->current);
		ret = strvec_push(&c->sysctl_rollback, &sb);
	}
	strbuf_release(&sb);
	return ret;
}

int twa_report_build(struct twa_report *r, const struct twa_facts *f,
		     const struct twa_findings *fs, const struct twa_profile *p,
		     const struct twa_report_opts *o, struct twa_err *err)
{
	struct twa_rule_ctx ctx = { f, p, twa_rule_find("ephemeral-exhaustion") };
	int ret;

	twa_report_release(r);
	r->facts = f;
	r->findings = fs;
	twa_strlcpy(r->version, o->version ? o->version : "", sizeof(r->version));
	twa_strlcpy(r->time, o->time ? o->time : f->host.time, sizeof(r->time));
	twa_strlcpy(r->profile, p ? p->name : fs->profile, sizeof(r->profile));
	twa_strlcpy(r->profile_chain, p && p->chain[0] ? p->chain : r->profile,
		    sizeof(r->profile_chain));
	twa_strlcpy(r->profile_source, p ? p->source : "", sizeof(r->profile_source));
	if (ctx.rule) {
		r->port_warning = twa_rule_param(&ctx, "warning");
		r->port_critical = twa_rule_param(&ctx, "critical");
	}
	ret = build_rows(r, p, err);
	if (ret == -ENOMEM || (ret >= 0 && build_commands(r, o) < 0))
		ret = twa_err_set(err, -ENOMEM, "out of memory");
	if (ret < 0)
		twa_report_release(r);
	return ret < 0 ? ret : 0;
}

void twa_report_verdict(const struct twa_report *r, char *buf, size_t size)
{
	const struct twa_findings *fs = r->findings;
	size_t crit = twa_findings_count(fs, TWA_SEV_CRITICAL);
	size_t warn = twa_findings_count(fs, TWA_SEV_WARNING);
	size_t info = twa_findings_count(fs, TWA_SEV_INFO);
	const char *host = r->facts->host.hostname[0] ? r->facts->host.hostname : "this host";
	int n;

	n = snprintf(buf, size, "%s: %zu critical, %zu warning, %zu info on %s (profile %s)",
		     fs->status == TWA_STATUS_CRITICAL ? "CRITICAL" :
		     fs->status == TWA_STATUS_WARNING ? "WARNING" :
		     fs->status == TWA_STATUS_OK ? "OK" : "UNKNOWN",
		     crit, warn, info, host, r->profile);
	if (n < 0 || (size_t)n >= size)
		return;
	if (fs->n && fs->v[0].severity >= TWA_SEV_WARNING)
		snprintf(buf + n, size - (size_t)n, ": %s", fs->v[0].summary);
	else if (fs->status == TWA_STATUS_OK)
		snprintf(buf + n, size - (size_t)n, ": nothing to fix");
}

static json_object *str_or_null(const char *s)
{
	return *s ? json_object_new_string(s) : NULL;
}

static json_object *strvec_to_json(const struct twa_strvec *v)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; a && i < v->n; i++)
		json_object_array_add(a, json_object_new_string(v->v[i]));
	return a;
}

json_object *twa_report_to_json(const struct twa_report *r)
{
	const struct twa_facts *f = r->facts;
	json_object *o = json_object_new_object(), *h, *c, *rows;
	char verdict[1024];
	size_t i;

	if (!o)
		return NULL;
	json_object_object_add(o, "schema", json_object_new_string(TWA_REPORT_SCHEMA));
	json_object_object_add(o, "version", json_object_new_string(r->version));
	json_object_object_add(o, "generated", json_object_new_string(r->time));
	h = json_object_new_object();
	json_object_object_add(h, "hostname", json_object_new_string(f->host.hostname));
	json_object_object_add(h, "kernel", json_object_new_string(f->host.kernel));
	json_object_object_add(h, "netns", json_object_new_string(f->host.netns));
	json_object_object_add(h, "time", json_object_new_string(f->host.time));
	json_object_object_add(h, "machine_id", f->host.machine_id[0] ?
			       json_object_new_string(f->host.machine_id) : NULL);
	json_object_object_add(h, "sockets_source",
			       json_object_new_string(f->sockets.present ? f->sockets.source : ""));
	json_object_object_add(o, "host", h);
	json_object_object_add(o, "profile", json_object_new_string(r->profile));
	json_object_object_add(o, "profile_chain", json_object_new_string(r->profile_chain));
	json_object_object_add(o, "profile_source", json_object_new_string(r->profile_source));
	json_object_object_add(o, "status",
			       json_object_new_string(twa_status_name(r->findings->status)));
	twa_report_verdict(r, verdict, sizeof(verdict));
	json_object_object_add(o, "verdict", json_object_new_string(verdict));
	c = json_object_new_object();
	json_object_object_add(c, "critical", json_object_new_int64(
		(int64_t)twa_findings_count(r->findings, TWA_SEV_CRITICAL)));
	json_object_object_add(c, "warning", json_object_new_int64(
		(int64_t)twa_findings_count(r->findings, TWA_SEV_WARNING)));
	json_object_object_add(c, "info", json_object_new_int64(
		(int64_t)twa_findings_count(r->findings, TWA_SEV_INFO)));
	json_object_object_add(o, "counts", c);
	rows = json_object_new_array();
	for (i = 0; i < r->n_sysctls; i++)
		json_object_array_add(rows, twa_rec_to_json(twa_report_sysctl_fields,
							    &r->sysctls[i]));
	json_object_object_add(o, "sysctls", rows);
	c = json_object_new_object();
	json_object_object_add(c, "apply", str_or_null(r->cmds.apply));
	json_object_object_add(c, "apply_persist", str_or_null(r->cmds.apply_persist));
	json_object_object_add(c, "sysctl", strvec_to_json(&r->cmds.sysctl));
	json_object_object_add(c, "rollback", str_or_null(r->cmds.rollback));
	json_object_object_add(c, "sysctl_rollback", strvec_to_json(&r->cmds.sysctl_rollback));
	json_object_object_add(o, "commands", c);
	json_object_object_add(o, "facts", twa_facts_to_json(f));
	json_object_object_add(o, "findings", twa_findings_to_json(r->findings));
	return o;
}

/* ---- rows shared by the Markdown and HTML writers ----------------------- */

const struct twa_field twa_report_state_fields[] = {
	TWA_FIELD(struct twa_report_state, state, "state", "STATE", TWA_F_STR),
	TWA_FIELD(struct twa_report_state, v4, "inet", "IPv4", TWA_F_U64),
	TWA_FIELD(struct twa_report_state, v6, "inet6", "IPv6", TWA_F_U64),
	TWA_FIELD(struct twa_report_state, total, "total", "TOTAL", TWA_F_U64),
	TWA_FIELD(struct twa_report_state, note, "note", "NOTE", TWA_F_STR),
	{ 0 },
};

size_t twa_report_states(const struct twa_report *r, struct twa_report_state *rows)
{
	const struct twa_sockets *s = &r->facts->sockets;
	size_t n = 0;
	unsigned st;

	if (!s->present)
		return 0;
	for (st = 1; st < TWA_TCP_STATE_MAX; st++) {
		uint64_t v4 = s->states[TWA_FAM_INET][st], v6 = s->states[TWA_FAM_INET6][st];
		struct twa_report_state *row = &rows[n];

		if (!(v4 + v6) && st != TWA_TCP_TIME_WAIT && st != TWA_TCP_CLOSE_WAIT &&
		    st != TWA_TCP_ESTABLISHED)
			continue;
		memset(row, 0, sizeof(*row));
		twa_strlcpy(row->state, twa_tcp_state_name(st), sizeof(row->state));
		row->v4 = v4;
		row->v6 = v6;
		row->total = v4 + v6;
		if (s->skipped & TWA_TCPF(st))
			twa_strlcpy(row->note, st == TWA_TCP_TIME_WAIT ?
				    "from sockstat: not dumped" : "not dumped", sizeof(row->note));
		else if (st == TWA_TCP_FIN_WAIT2 && s->fin_wait2_orphans)
			snprintf(row->note, sizeof(row->note), "%" PRIu64 " orphaned",
				 s->fin_wait2_orphans);
		n++;
	}
	return n;
}

const struct twa_field twa_report_meta_fields[] = {
	TWA_FIELD(struct twa_report_meta, name, "name", "FIELD", TWA_F_STR),
	TWA_FIELD(struct twa_report_meta, value, "value", "VALUE", TWA_F_STR),
	{ 0 },
};

static void meta_add(struct twa_report_meta *rows, size_t *n, const char *name,
		     const char *value)
{
	if (*n >= TWA_REPORT_META_MAX)
		return;
	twa_strlcpy(rows[*n].name, name, sizeof(rows[*n].name));
	twa_strlcpy(rows[*n].value, value && *value ? value : "-", sizeof(rows[*n].value));
	(*n)++;
}

size_t twa_report_meta(const struct twa_report *r, struct twa_report_meta *rows)
{
	const struct twa_facts *f = r->facts;
	char buf[640];
	size_t n = 0;

	meta_add(rows, &n, "Hostname", f->host.hostname);
	meta_add(rows, &n, "Kernel", f->host.kernel);
	meta_add(rows, &n, "Network namespace", f->host.netns);
	meta_add(rows, &n, "Facts gathered", f->host.time);
	meta_add(rows, &n, "Report written", r->time);
	if (f->sockets.present) {
		snprintf(buf, sizeof(buf), "%s%s%s", f->sockets.source,
			 f->sockets.fallback[0] ? " (netlink failed: " : "",
			 f->sockets.fallback[0] ? f->sockets.fallback : "");
		if (f->sockets.fallback[0])
			strncat(buf, ")", sizeof(buf) - strlen(buf) - 1);
		meta_add(rows, &n, "Socket counts from", buf);
	} else {
		meta_add(rows, &n, "Socket counts from", "not counted");
	}
	meta_add(rows, &n, "twadvise version", r->version);
	meta_add(rows, &n, "Profile", r->profile_chain);
	meta_add(rows, &n, "Profile source", r->profile_source);
	snprintf(buf, sizeof(buf), "%zu", r->findings->n_checked);
	meta_add(rows, &n, "Rules checked", buf);
	return n;
}

const struct twa_field twa_report_rate_fields[] = {
	TWA_FIELD(struct twa_report_rate, name, "name", "COUNTER", TWA_F_STR),
	TWA_FIELD(struct twa_report_rate, per_sec, "per_sec", "PER SECOND", TWA_F_DOUBLE),
	{ 0 },
};

size_t twa_report_rates(const struct twa_report *r, struct twa_report_rate *rows)
{
	static const char *const counters[] = {
		"ActiveOpens", "PassiveOpens", "TW", "TWRecycled", "TWKilled",
		"TCPTimeWaitOverflow", "ListenOverflows", "ListenDrops",
		"AttemptFails", "EstabResets", "TCPAbortOnMemory", NULL,
	};
	static const char *const states[] = {
		"ESTABLISHED", "TIME_WAIT", "CLOSE_WAIT", "FIN_WAIT2", NULL,
	};
	const struct twa_rates *rt = &r->facts->rates;
	size_t i, k, n = 0;

	if (!rt->present)
		return 0;
	for (i = 0; counters[i] && n < TWA_REPORT_RATES_MAX; i++)
		for (k = 0; k < rt->counters.n; k++)
			if (!strcmp(rt->counters.v[k].name, counters[i])) {
				twa_strlcpy(rows[n].name, counters[i], sizeof(rows[n].name));
				rows[n++].per_sec = rt->counters.v[k].per_sec;
			}
	for (i = 0; states[i] && n < TWA_REPORT_RATES_MAX; i++)
		for (k = 0; k < rt->states.n; k++)
			if (!strcmp(rt->states.v[k].name, states[i])) {
				snprintf(rows[n].name, sizeof(rows[n].name), "%s sockets", states[i]);
				rows[n++].per_sec = rt->states.v[k].per_sec;
			}
	return n;
}

size_t twa_report_listeners(const struct twa_report *r, struct twa_listener *rows)
{
	const struct twa_facts *f = r->facts;
	size_t i, n = 0;

	for (i = 0; i < f->n_listeners && n < TWA_REPORT_MAX_LISTENERS; i++)
		if (twa_listener_notable(&f->listeners[i]))
			rows[n++] = f->listeners[i];
	return n;
}

void twa_report_range(const struct twa_report *r, char *buf, size_t size)
{
	const struct twa_ephemeral *e = &r->facts->ephemeral;
	size_t i, len;

	snprintf(buf, size, "%u-%u (%u usable ports", e->low, e->high, e->usable);
	for (i = 0; i < e->n_reserved; i++) {
		len = strlen(buf);
		if (len + 1 >= size)
			break;
		if (e->reserved[i].lo == e->reserved[i].hi)
			snprintf(buf + len, size - len, "%s%u", i ? "," : "; reserved ",
				 e->reserved[i].lo);
		else
			snprintf(buf + len, size - len, "%s%u-%u", i ? "," : "; reserved ",
				 e->reserved[i].lo, e->reserved[i].hi);
	}
	len = strlen(buf);
	if (len + 1 < size)
		snprintf(buf + len, size - len, ")");
}
