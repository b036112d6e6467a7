/* SPDX-License-Identifier: MIT */
/* ns_out.c - results per network namespace and their writers (pure). */
#include "advisor/rules/ns_out.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/facts/facts_text.h"
#include "advisor/facts/sysctl_db.h"
#include "advisor/rules/nsfix.h"
#include "advisor/util/jsonutil.h"

void twa_ns_results_init(struct twa_ns_results *rs)
{
	memset(rs, 0, sizeof(*rs));
}

void twa_ns_results_release(struct twa_ns_results *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		twa_findings_release(&rs->v[i].findings);
	free(rs->v);
	rs->v = NULL;
	rs->n = rs->alloc = 0;
}

struct twa_ns_result *twa_ns_results_add(struct twa_ns_results *rs,
					 const struct twa_ns_ident *id)
{
	struct twa_ns_result *r;

	if (rs->n == rs->alloc) {
		size_t na = rs->alloc ? rs->alloc * 2 : 16;

		r = realloc(rs->v, na * sizeof(*r));
		if (!r)
			return NULL;
		rs->v = r;
		rs->alloc = na;
	}
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->id = *id;
	twa_findings_init(&r->findings);
	return r;
}

/* Every change of f is of a key that is not per namespace. */
static bool host_wide_only(const struct twa_finding *f)
{
	const struct twa_sysctl_def *d;
	size_t k;

	for (k = 0; k < f->n_changes; k++) {
		d = twa_sysctl_def_find(f->changes[k].key);
		if (!d || d->per_netns)
			return false;
	}
	return f->n_changes > 0;
}

void twa_ns_result_take(struct twa_ns_result *r, const struct twa_facts *f)
{
	struct twa_findings *fs = &r->findings;
	size_t i, k = 0;

	r->have_sockets = f->sockets.present;
	r->sockets = twa_facts_total(f);
	r->time_wait = twa_facts_state(f, TWA_TCP_TIME_WAIT);
	if (f->ephemeral.present) {
		r->port_lo = f->ephemeral.low;
		r->port_hi = f->ephemeral.high;
	}
	for (i = 0; i < fs->n; i++) {
		if (!r->id.current && host_wide_only(&fs->v[i])) {
			twa_finding_release(&fs->v[i]);
			continue;
		}
		fs->v[k++] = fs->v[i];
	}
	fs->n = k;
	twa_findings_finish(fs);
	r->status = fs->status;
}

/* Nagios aggregation: CRITICAL > WARNING > UNKNOWN > OK; gone last. */
static int rank(const struct twa_ns_result *r)
{
	static const int by_status[] = { 1, 3, 4, 2 };

	if (r->state == TWA_NS_GONE)
		return 0;
	return by_status[r->status <= TWA_STATUS_UNKNOWN ? r->status : TWA_STATUS_UNKNOWN];
}

static int cmp(const void *a, const void *b)
{
	const struct twa_ns_result *x = a, *y = b;
	int d = rank(y) - rank(x);

	if (d)
		return d;
	/* stable enough: discovery order is by inode of first sight */
	return (x->id.pid > y->id.pid) - (x->id.pid < y->id.pid);
}

void twa_ns_results_finish(struct twa_ns_results *rs)
{
	static const enum twa_status of_rank[] = { TWA_STATUS_OK, TWA_STATUS_OK,
		TWA_STATUS_UNKNOWN, TWA_STATUS_WARNING, TWA_STATUS_CRITICAL };
	int worst = rs->unreadable_procs ? 2 : 1;
	size_t i;

	if (rs->n)
		qsort(rs->v, rs->n, sizeof(rs->v[0]), cmp);
	for (i = 0; i < rs->n; i++)
		if (rank(&rs->v[i]) > worst)
			worst = rank(&rs->v[i]);
	rs->status = of_rank[worst];
}

void twa_ns_results_rejudge(struct twa_ns_results *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (rs->v[i].state == TWA_NS_JUDGED)
			rs->v[i].status = rs->v[i].findings.status;
	twa_ns_results_finish(rs);
}

bool twa_ns_results_any_unknown(const struct twa_ns_results *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (rs->v[i].state == TWA_NS_UNREADABLE)
			return true;
	return rs->unreadable_procs > 0;
}

void twa_ns_host_wide_keys(struct strbuf *out)
{
	const struct twa_sysctl_def *d;
	bool first = true;

	for (d = twa_sysctl_defs; d->key; d++)
		if (!d->per_netns) {
			strbuf_addf(out, "%s%s", first ? "" : ", ", d->key);
			first = false;
		}
}

static size_t count(const struct twa_ns_results *rs, enum twa_ns_state st, int status)
{
	size_t i, n = 0;

	for (i = 0; i < rs->n; i++)
		n += rs->v[i].state == st && (status < 0 || (int)rs->v[i].status == status);
	return n;
}

static const char *label(const struct twa_ns_result *r, char *buf, size_t size)
{
	return twa_ns_ident_label(&r->id, buf, size);
}

/* ---- text ---- */

static const char *const status_label[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

static void text_head(const struct twa_ns_result *r, struct strbuf *out)
{
	char l[256], ns[48];

	twa_ns_ident_netns(&r->id, ns, sizeof(ns));
	strbuf_addf(out, "== %s  %s  %s", r->state == TWA_NS_GONE ? "GONE" :
		    r->status == TWA_STATUS_UNKNOWN ? "UNKNOWN" :
		    r->status == TWA_STATUS_CRITICAL ? "CRITICAL" :
		    r->status == TWA_STATUS_WARNING ? "WARNING" : "OK",
		    label(r, l, sizeof(l)), ns);
	if (r->id.pid && strcmp(twa_ns_ident_kind(&r->id), "process"))
		strbuf_addf(out, " pid %d (%s)", r->id.pid, r->id.comm);
	if (r->have_sockets)
		strbuf_addf(out, ", %" PRIu64 " sockets, %" PRIu64 " TIME_WAIT", r->sockets,
			    r->time_wait);
	if (r->port_hi)
		strbuf_addf(out, ", ports %u-%u", r->port_lo, r->port_hi);
	strbuf_addch(out, '\n');
}

static void text_one(const struct twa_ns_results *rs, const struct twa_ns_result *r,
		     bool verbose, bool color, struct strbuf *out)
{
	text_head(r, out);
	if (r->state == TWA_NS_GONE) {
		strbuf_addf(out, "   gone before it could be entered: %s\n", r->error);
		return;
	}
	if (r->state == TWA_NS_UNREADABLE) {
		strbuf_addf(out, "   not judged: %s\n", r->error);
		return;
	}
	if (r->findings.n || verbose)
		twa_findings_write_text(&r->findings, verbose, color, out);
	twa_nsfix_write_text(&r->id, &r->findings, rs->profile, out);
}

int twa_ns_write_text(const struct twa_ns_results *rs, bool verbose, bool color,
		      struct strbuf *out)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		text_one(rs, &rs->v[i], verbose, color, out);
	if (rs->unreadable_procs)
		strbuf_addf(out, "UNKNOWN: the namespace of %u process%s could not be read (pid %d: %s): run as root\n",
			    rs->unreadable_procs, rs->unreadable_procs == 1 ? "" : "es",
			    rs->unreadable_pid, rs->unreadable_why);
	strbuf_addf(out, "%s: %zu namespaces: %zu critical, %zu warning, %zu unknown, %zu ok, %zu gone%s (profile %s)\nhost-wide keys judged once, in twadvise's own namespace: ",
		    status_label[rs->status], rs->n,
		    count(rs, TWA_NS_JUDGED, TWA_STATUS_CRITICAL),
		    count(rs, TWA_NS_JUDGED, TWA_STATUS_WARNING),
		    count(rs, TWA_NS_UNREADABLE, -1), count(rs, TWA_NS_JUDGED, TWA_STATUS_OK),
		    count(rs, TWA_NS_GONE, -1), rs->truncated ? " (discovery stopped at its limit)" : "",
		    rs->profile);
	twa_ns_host_wide_keys(out);
	strbuf_addch(out, '\n');
	return strbuf_failed(out) ? -ENOMEM : 0;
}

/* ---- JSON: twadvise.netns-findings/1 ---- */

static json_object *str_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

json_object *twa_ns_result_to_json(const struct twa_ns_results *rs, const struct twa_ns_result *r)
{
	json_object *o = twa_ns_ident_to_json(&r->id, json_object_new_object()), *s = NULL;
	bool judged = r->state == TWA_NS_JUDGED;
	struct strbuf cmd = STRBUF_INIT;

	json_object_object_add(o, "state", json_object_new_string(twa_ns_state_name(r->state)));
	json_object_object_add(o, "status", r->state == TWA_NS_GONE ? NULL :
			       json_object_new_string(twa_status_name(r->status)));
	json_object_object_add(o, "error", str_or_null(judged ? NULL : r->error));
	if (judged && r->have_sockets) {
		s = json_object_new_object();
		json_object_object_add(s, "total", json_object_new_int64((int64_t)r->sockets));
		json_object_object_add(s, "time_wait", json_object_new_int64((int64_t)r->time_wait));
	}
	json_object_object_add(o, "sockets", s);
	json_object_object_add(o, "ephemeral_ports", r->port_hi ?
			       json_object_new_array_ext(2) : NULL);
	if (r->port_hi) {
		json_object *a = json_object_object_get(o, "ephemeral_ports");

		json_object_array_add(a, json_object_new_int((int)r->port_lo));
		json_object_array_add(a, json_object_new_int((int)r->port_hi));
	}
	twa_nsfix_command(&r->id, rs->profile, &cmd);
	json_object_object_add(o, "fix_command", judged && r->findings.n ?
			       json_object_new_string(cmd.buf) : NULL);
	strbuf_release(&cmd);
	json_object_object_add(o, "ephemeral", json_object_new_boolean(twa_nsfix_ephemeral(&r->id)));
	json_object_object_add(o, "remediation", judged ? twa_nsfix_to_json(&r->id, &r->findings) : NULL);
	json_object_object_add(o, "findings", judged ? twa_findings_to_json(&r->findings) : NULL);
	return o;
}

json_object *twa_ns_counts_to_json(const struct twa_ns_results *rs)
{
	json_object *c = json_object_new_object();

	json_object_object_add(c, "critical", json_object_new_int64((int64_t)count(rs, TWA_NS_JUDGED, TWA_STATUS_CRITICAL)));
	json_object_object_add(c, "warning", json_object_new_int64((int64_t)count(rs, TWA_NS_JUDGED, TWA_STATUS_WARNING)));
	json_object_object_add(c, "unknown", json_object_new_int64((int64_t)count(rs, TWA_NS_UNREADABLE, -1)));
	json_object_object_add(c, "ok", json_object_new_int64((int64_t)count(rs, TWA_NS_JUDGED, TWA_STATUS_OK)));
	json_object_object_add(c, "gone", json_object_new_int64((int64_t)count(rs, TWA_NS_GONE, -1)));
	return c;
}

json_object *twa_ns_host_wide_json(void)
{
	const struct twa_sysctl_def *d;
	json_object *a = json_object_new_array();

	for (d = twa_sysctl_defs; d->key; d++)
		if (!d->per_netns)
			json_object_array_add(a, json_object_new_string(d->key));
	return a;
}

int twa_ns_write_json(const struct twa_ns_results *rs, struct strbuf *out)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array(), *u = NULL;
	size_t i;
	int r;

	json_object_object_add(o, "schema", json_object_new_string(TWA_NETNS_FINDINGS_SCHEMA));
	json_object_object_add(o, "status", json_object_new_string(twa_status_name(rs->status)));
	json_object_object_add(o, "profile", json_object_new_string(rs->profile));
	json_object_object_add(o, "counts", twa_ns_counts_to_json(rs));
	json_object_object_add(o, "host_wide_keys", twa_ns_host_wide_json());
	if (rs->unreadable_procs) {
		u = json_object_new_object();
		json_object_object_add(u, "count", json_object_new_int64(rs->unreadable_procs));
		json_object_object_add(u, "first_pid", json_object_new_int(rs->unreadable_pid));
		json_object_object_add(u, "reason", json_object_new_string(rs->unreadable_why));
	}
	json_object_object_add(o, "unreadable_processes", u);
	json_object_object_add(o, "truncated", json_object_new_boolean(rs->truncated));
	for (i = 0; i < rs->n; i++)
		json_object_array_add(a, twa_ns_result_to_json(rs, &rs->v[i]));
	json_object_object_add(o, "namespaces", a);
	json_object_object_add(o, "error", NULL);
	r = twa_json_write(o, true, out);
	json_object_put(o);
	return r;
}

/* ---- Nagios ---- */

static void plain(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		strbuf_addch(out, *s == '|' ? '/' : *s == '\n' ? ' ' : *s);
}

int twa_ns_write_nagios(const struct twa_ns_results *rs, struct strbuf *out)
{
	static const char *const lab[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	const struct twa_ns_result *w = rs->n ? &rs->v[0] : NULL;
	char l[256];
	size_t i;

	strbuf_addf(out, "TWADVISE %s - %zu namespaces, %zu critical, %zu warning, %zu unknown",
		    lab[rs->status], rs->n, count(rs, TWA_NS_JUDGED, TWA_STATUS_CRITICAL),
		    count(rs, TWA_NS_JUDGED, TWA_STATUS_WARNING), count(rs, TWA_NS_UNREADABLE, -1));
	if (w && w->state != TWA_NS_GONE && w->status != TWA_STATUS_OK) {
		strbuf_addstr(out, "; worst: ");
		plain(out, label(w, l, sizeof(l)));
		if (w->findings.n) {
			strbuf_addstr(out, ": ");
			plain(out, w->findings.v[0].summary);
		}
	}
	strbuf_addf(out, " | namespaces=%zu critical=%zu warning=%zu unknown=%zu gone=%zu\n", rs->n,
		    count(rs, TWA_NS_JUDGED, TWA_STATUS_CRITICAL),
		    count(rs, TWA_NS_JUDGED, TWA_STATUS_WARNING),
		    count(rs, TWA_NS_UNREADABLE, -1), count(rs, TWA_NS_GONE, -1));
	for (i = 0; i < rs->n && rank(&rs->v[i]) > 1; i++) {
		strbuf_addf(out, "%s ", lab[rs->v[i].status]);
		plain(out, label(&rs->v[i], l, sizeof(l)));
		strbuf_addf(out, " (%s): ", rs->v[i].id.path);
		plain(out, rs->v[i].state != TWA_NS_JUDGED ? rs->v[i].error :
		      rs->v[i].findings.n ? rs->v[i].findings.v[0].summary : "");
		strbuf_addch(out, '\n');
	}
	return strbuf_failed(out) ? -ENOMEM : 0;
}

/* ---- Prometheus: netns, container and pod labels, at most TWA_NS_PROM_MAX namespaces ---- */

static void prom_labels(const struct twa_ns_result *r, char *ns, size_t nsz, char *pod, size_t psz)
{
	snprintf(ns, nsz, "%" PRIu64, r->id.inode);
	if (r->id.pod_name[0])
		snprintf(pod, psz, "%s/%s", r->id.pod_namespace, r->id.pod_name);
	else
		snprintf(pod, psz, "%s", r->id.pod_uid);
}

static void prom_one(const struct twa_ns_result *r, bool findings, struct strbuf *out)
{
	char ns[32], pod[200], cid[16];
	size_t i;

	prom_labels(r, ns, sizeof(ns), pod, sizeof(pod));
	snprintf(cid, sizeof(cid), "%.12s", r->id.container);
	if (!findings) {
		const char *l[] = { "netns", ns, "name", r->id.name, "container", cid, "pod", pod, NULL };

		twa_prom_sample(out, "twadvise_netns_status", l, r->status);
		return;
	}
	for (i = 0; i < r->findings.n; i++) {
		const char *l[] = { "netns", ns, "container", cid, "pod", pod,
				    "rule", r->findings.v[i].rule, "severity",
				    twa_severity_name(r->findings.v[i].severity), NULL };

		twa_prom_sample(out, "twadvise_netns_finding", l, r->findings.v[i].severity);
	}
}

int twa_ns_write_prometheus(const struct twa_ns_results *rs, struct strbuf *out)
{
	static const char *const st[] = { "critical", "warning", "unknown", "ok", "gone" };
	size_t i, n = 0, c[5];
	const char *pl[] = { "profile", rs->profile, NULL };

	twa_prom_family(out, "twadvise_check_status", "gauge",
			"Result of the last check: 0 ok, 1 warning, 2 critical, 3 unknown.");
	twa_prom_sample(out, "twadvise_check_status", pl, rs->status);
	c[0] = count(rs, TWA_NS_JUDGED, TWA_STATUS_CRITICAL);
	c[1] = count(rs, TWA_NS_JUDGED, TWA_STATUS_WARNING);
	c[2] = count(rs, TWA_NS_UNREADABLE, -1);
	c[3] = count(rs, TWA_NS_JUDGED, TWA_STATUS_OK);
	c[4] = count(rs, TWA_NS_GONE, -1);
	twa_prom_family(out, "twadvise_netns", "gauge", "Network namespaces checked, by status.");
	for (i = 0; i < 5; i++) {
		const char *l[] = { "status", st[i], NULL };

		twa_prom_sample(out, "twadvise_netns", l, (double)c[i]);
	}
	twa_prom_family(out, "twadvise_netns_status", "gauge",
			"Status per network namespace (worst first, at most 50): 0 ok, 1 warning, 2 critical, 3 unknown.");
	for (i = 0; i < rs->n && n < TWA_NS_PROM_MAX; i++)
		if (rs->v[i].state != TWA_NS_GONE && ++n)
			prom_one(&rs->v[i], false, out);
	twa_prom_family(out, "twadvise_netns_finding", "gauge",
			"Findings per network namespace by rule: 1 info, 2 warning, 3 critical.");
	for (i = 0, n = 0; i < rs->n && n < TWA_NS_PROM_MAX; i++)
		if (rs->v[i].state == TWA_NS_JUDGED && ++n)
			prom_one(&rs->v[i], true, out);
	twa_prom_family(out, "twadvise_netns_omitted", "gauge",
			"Namespaces left out of the per-namespace series (cardinality bound).");
	twa_prom_sample(out, "twadvise_netns_omitted", NULL,
			rs->n - c[4] > TWA_NS_PROM_MAX ? (double)(rs->n - c[4] - TWA_NS_PROM_MAX) : 0);
	return strbuf_failed(out) ? -ENOMEM : 0;
}
