/* SPDX-License-Identifier: MIT */
/* fleet.c - merging hosts' reports into one fleet report, and its JSON, Markdown and HTML.
 *
 * twadvise.fleet/1 (report --merge ... --format json):
 *
 *   {
 *     "schema": "twadvise.fleet/1",
 *     "version": "0.1.0", "generated": "2026-01-01T00:00:00Z",
 *     "status": "critical",                       the worst host's
 *     "verdict": "CRITICAL: 3 hosts: 1 critical, 1 warning, 0 unknown, 1 ok",
 *     "hosts": [                                  worst first
 *       {"hostname": "web1", "file": "web1.json", "status": "critical",
 *        "profile": "reverse-proxy", "kernel": "6.1.0", "time": "...",
 *        "counts": {"critical": 1, "warning": 2, "info": 0},
 *        "findings": {"ephemeral-exhaustion": "critical", ...}}],
 *     "rules": [                                  the matrix's columns, in order
 *       {"rule": "ephemeral-exhaustion", "critical": 1, "warning": 1,
 *        "info": 0, "ok": 1, "unchecked": 0}],
 *     "quiet_rules": 15                           checked, no finding on any host
 *   }
 */
#include "advisor/report/fleet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/facts/facts.h"
#include "advisor/facts/facts_json.h"
#include "advisor/util/jsonutil.h"
#include "advisor/report/markup.h"
#include "advisor/util/parse.h"
#include "advisor/report/report.h"
#include "advisor/rules/rules.h"
#include "advisor/report/svg.h"

void twa_fleet_init(struct twa_fleet *fl)
{
	memset(fl, 0, sizeof(*fl));
}

static void host_release(struct twa_fleet_host *h)
{
	size_t i;

	free(h->found);
	for (i = 0; i < h->n_checked; i++)
		free(h->checked[i]);
	free(h->checked);
	h->found = NULL;
	h->checked = NULL;
	h->n_found = h->n_checked = 0;
}

void twa_fleet_release(struct twa_fleet *fl)
{
	size_t i;

	if (!fl)
		return;
	for (i = 0; i < fl->n_hosts; i++)
		host_release(&fl->hosts[i]);
	free(fl->hosts);
	free(fl->rules);
	twa_fleet_init(fl);
}

static int parse_status(const char *s, enum twa_status *ret)
{
	unsigned i;

	for (i = 0; i <= TWA_STATUS_UNKNOWN; i++)
		if (!strcmp(twa_status_name((enum twa_status)i), s)) {
			*ret = (enum twa_status)i;
			return 0;
		}
	return -EINVAL;
}

/* The findings of one host's report: its counts per severity and each rule
 * found once, at its worst severity. */
static int host_findings_from_json(json_object *findings, const char *file,
				   struct twa_fleet_host *h, struct twa_err *err)
{
	struct twa_findings fs;
	size_t i, k;
	int r;

	twa_findings_init(&fs);
	r = twa_findings_from_json(findings, file, &fs, err);
	if (r >= 0) {
		/* keep the rules evaluated: "ok" cells, not "not checked" */
		h->checked = fs.checked;
		h->n_checked = fs.n_checked;
		fs.checked = NULL;
		fs.n_checked = 0;
	}
	if (r >= 0 && fs.n > TWA_FLEET_MAX_RULES)
		r = twa_err_set_at(err, -EBADMSG, file, 0, 0, "more than %d findings",
				   TWA_FLEET_MAX_RULES);
	if (r >= 0 && !(h->found = calloc(fs.n ? fs.n : 1, sizeof(*h->found))))
		r = twa_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; r >= 0 && i < fs.n; i++) {
		const struct twa_finding *x = &fs.v[i];

		if (x->severity == TWA_SEV_OK)
			continue;
		h->counts[x->severity]++;
		for (k = 0; k < h->n_found; k++)
			if (!strcmp(h->found[k].rule, x->rule))
				break;
		if (k == h->n_found) {
			twa_strlcpy(h->found[k].rule, x->rule, sizeof(h->found[k].rule));
			h->found[k].severity = (int)x->severity;
			h->n_found++;
		} else if ((int)x->severity > h->found[k].severity) {
			h->found[k].severity = (int)x->severity;
		}
	}
	twa_findings_release(&fs);
	return r < 0 ? r : 0;
}

/* The parts of a report the fleet needs; the facts are decoded too, so a
 * damaged report is refused rather than half-read. */
static int host_from_json(json_object *o, const char *file,
			  struct twa_fleet_host *h, struct twa_err *err)
{
	json_object *host = NULL, *facts = NULL, *findings = NULL;
	struct twa_facts f;
	char schema[64], status[16];
	int r;

	if (!json_object_is_type(o, json_type_object))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "expected a JSON object with \"schema\": \"%s\"",
				      TWA_REPORT_SCHEMA);
	r = twa_json_get_str(o, "schema", true, file, "report", schema, sizeof(schema), err);
	if (r < 0)
		return r;
	if (strcmp(schema, TWA_REPORT_SCHEMA))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "schema '%s' is not %s (make it with 'twadvise report --format json')",
				      schema, TWA_REPORT_SCHEMA);
	if ((r = twa_json_get_obj(o, "host", true, file, "report", &host, err)) < 0 ||
	    (r = twa_json_get_str(host, "hostname", true, file, "host", h->hostname,
				  sizeof(h->hostname), err)) < 0 ||
	    (r = twa_json_get_str(host, "kernel", false, file, "host", h->kernel,
				  sizeof(h->kernel), err)) < 0 ||
	    (r = twa_json_get_str(host, "time", false, file, "host", h->time,
				  sizeof(h->time), err)) < 0 ||
	    (r = twa_json_get_str(o, "profile", false, file, "report", h->profile,
				  sizeof(h->profile), err)) < 0 ||
	    (r = twa_json_get_str(o, "status", true, file, "report", status,
				  sizeof(status), err)) < 0 ||
	    (r = twa_json_get_obj(o, "facts", true, file, "report", &facts, err)) < 0 ||
	    (r = twa_json_get_obj(o, "findings", true, file, "report", &findings, err)) < 0)
		return r;
	if (parse_status(status, &h->status) < 0)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "report.status: '%s' is not ok, warning, critical or unknown",
				      status);
	twa_facts_init(&f);
	r = twa_facts_from_json(facts, file, &f, err);
	twa_strlcpy(h->machine_id, f.host.machine_id, sizeof(h->machine_id));
	twa_facts_release(&f);
	if (r < 0) {
		twa_err_prefix(err, "facts");
		return r;
	}
	return host_findings_from_json(findings, file, h, err);
}

int twa_fleet_add(struct twa_fleet *fl, const char *buf, size_t len,
		  const char *file, struct twa_err *err)
{
	struct twa_fleet_host *v, h;
	json_object *o;
	int r;

	if (fl->n_hosts >= TWA_FLEET_MAX_HOSTS)
		return twa_err_set(err, -EINVAL, "more than %d reports", TWA_FLEET_MAX_HOSTS);
	if (len > TWA_REPORT_FILE_MAX)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "larger than %u bytes",
				      TWA_REPORT_FILE_MAX);
	r = twa_json_parse(buf, len, file, &o, err);
	if (r < 0)
		return r;
	memset(&h, 0, sizeof(h));
	twa_strlcpy(h.file, file, sizeof(h.file));
	r = host_from_json(o, file, &h, err);
	json_object_put(o);
	if (r < 0) {
		host_release(&h);
		return r;
	}
	v = realloc(fl->hosts, (fl->n_hosts + 1) * sizeof(*v));
	if (!v) {
		host_release(&h);
		return twa_err_set(err, -ENOMEM, "out of memory");
	}
	fl->hosts = v;
	fl->hosts[fl->n_hosts++] = h;
	return 0;
}

/* critical, warning, unknown (could not evaluate), ok */
static int status_rank(enum twa_status s)
{
	switch (s) {
	case TWA_STATUS_CRITICAL:
		return 3;
	case TWA_STATUS_WARNING:
		return 2;
	case TWA_STATUS_UNKNOWN:
		return 1;
	default:
		return 0;
	}
}

static int cmp_hosts(const void *a, const void *b)
{
	const struct twa_fleet_host *x = a, *y = b;
	int d = status_rank(y->status) - status_rank(x->status), s, c;

	if (d)
		return d;
	for (s = TWA_SEV_CRITICAL; s >= TWA_SEV_INFO; s--)
		if (x->counts[s] != y->counts[s])
			return x->counts[s] < y->counts[s] ? 1 : -1;
	c = strcmp(x->hostname, y->hostname);
	if (!c)
		c = strcmp(x->machine_id, y->machine_id);
	return c ? c : strcmp(x->file, y->file);
}

/* A host's identity: its machine-id, else its hostname. */
static const char *host_key(const struct twa_fleet_host *x)
{
	return x->machine_id[0] ? x->machine_id : x->hostname;
}

/* Rows keyed by machine-id: two hosts sharing a hostname get their
 * machine-id's first 8 digits, two reports of one identity their file. */
static void fleet_labels(struct twa_fleet *fl)
{
	size_t h, k;

	for (h = 0; h < fl->n_hosts; h++) {
		struct twa_fleet_host *x = &fl->hosts[h];
		bool same_name = false, same_key = false;

		for (k = 0; k < fl->n_hosts; k++) {
			if (k == h)
				continue;
			same_name |= !strcmp(fl->hosts[k].hostname, x->hostname) &&
				     strcmp(host_key(&fl->hosts[k]), host_key(x));
			same_key |= !strcmp(host_key(&fl->hosts[k]), host_key(x));
		}
		snprintf(x->label, sizeof(x->label), "%s", x->hostname);
		if (same_name && x->machine_id[0])
			snprintf(x->label + strlen(x->label), sizeof(x->label) - strlen(x->label),
				 " [%.8s]", x->machine_id);
		if (same_key)
			snprintf(x->label + strlen(x->label), sizeof(x->label) - strlen(x->label),
				 " (%s)", x->file);
	}
}

static int rule_index(const char *id)
{
	const struct twa_rule *r;

	for (r = twa_rules; r->id; r++)
		if (!strcmp(r->id, id))
			return (int)(r - twa_rules);
	return 1000;
}

static int cmp_rules(const void *a, const void *b)
{
	const struct twa_fleet_rule *x = a, *y = b;
	int s, d;

	for (s = TWA_SEV_CRITICAL; s >= TWA_SEV_INFO; s--)
		if (x->hosts[s] != y->hosts[s])
			return x->hosts[s] < y->hosts[s] ? 1 : -1;
	d = rule_index(x->rule) - rule_index(y->rule);
	return d ? d : strcmp(x->rule, y->rule);
}

static bool checked(const struct twa_fleet_host *h, const char *rule)
{
	size_t i;

	for (i = 0; i < h->n_checked; i++)
		if (!strcmp(h->checked[i], rule))
			return true;
	return false;
}

int twa_fleet_cell(const struct twa_fleet *fl, size_t h, size_t c)
{
	const struct twa_fleet_host *host = &fl->hosts[h];
	const char *rule = fl->rules[c].rule;
	size_t i;

	for (i = 0; i < host->n_found; i++)
		if (!strcmp(host->found[i].rule, rule))
			return host->found[i].severity;
	return checked(host, rule) ? TWA_SEV_OK : TWA_FLEET_UNCHECKED;
}

/* The columns: every rule found on some host, once. */
static int fleet_columns(struct twa_fleet *fl, struct twa_err *err)
{
	size_t h, i, c;

	free(fl->rules);
	fl->rules = NULL;
	fl->n_rules = 0;
	for (h = 0; h < fl->n_hosts; h++)
		for (i = 0; i < fl->hosts[h].n_found; i++) {
			const char *rule = fl->hosts[h].found[i].rule;
			struct twa_fleet_rule *v;

			for (c = 0; c < fl->n_rules; c++)
				if (!strcmp(fl->rules[c].rule, rule))
					break;
			if (c < fl->n_rules)
				continue;
			if (fl->n_rules >= TWA_FLEET_MAX_RULES)
				return twa_err_set(err, -EBADMSG, "more than %d distinct rules",
						   TWA_FLEET_MAX_RULES);
			v = realloc(fl->rules, (fl->n_rules + 1) * sizeof(*v));
			if (!v)
				return twa_err_set(err, -ENOMEM, "out of memory");
			fl->rules = v;
			memset(&v[fl->n_rules], 0, sizeof(*v));
			twa_strlcpy(v[fl->n_rules].rule, rule, sizeof(v->rule));
			fl->n_rules++;
		}
	return 0;
}

/* How many rules were checked somewhere and found nothing anywhere. */
static int fleet_count_quiet(struct twa_fleet *fl, struct twa_err *err)
{
	char **quiet = NULL;
	size_t h, i, c, n_quiet = 0;

	for (h = 0; h < fl->n_hosts; h++)
		for (i = 0; i < fl->hosts[h].n_checked; i++) {
			const char *rule = fl->hosts[h].checked[i];
			size_t k;
			char **v;

			for (c = 0; c < fl->n_rules; c++)
				if (!strcmp(fl->rules[c].rule, rule))
					break;
			for (k = 0; k < n_quiet; k++)
				if (!strcmp(quiet[k], rule))
					break;
			if (c < fl->n_rules || k < n_quiet)
				continue;
			v = realloc(quiet, (n_quiet + 1) * sizeof(*v));
			if (!v) {
				free(quiet);
				return twa_err_set(err, -ENOMEM, "out of memory");
			}
			quiet = v;
			quiet[n_quiet++] = fl->hosts[h].checked[i];
		}
	free(quiet);	/* borrowed strings: only the count is kept */
	fl->n_quiet = n_quiet;
	return 0;
}

int twa_fleet_finish(struct twa_fleet *fl, const char *version,
		     const char *time, struct twa_err *err)
{
	size_t h, c;
	int worst = 0, r;

	twa_strlcpy(fl->version, version ? version : "", sizeof(fl->version));
	twa_strlcpy(fl->time, time ? time : "", sizeof(fl->time));
	if (fl->n_hosts)
		qsort(fl->hosts, fl->n_hosts, sizeof(*fl->hosts), cmp_hosts);
	fleet_labels(fl);
	fl->status = TWA_STATUS_OK;
	for (h = 0; h < fl->n_hosts; h++)
		if (status_rank(fl->hosts[h].status) > worst) {
			worst = status_rank(fl->hosts[h].status);
			fl->status = fl->hosts[h].status;
		}
	r = fleet_columns(fl, err);
	if (r < 0)
		return r;
	for (c = 0; c < fl->n_rules; c++)
		for (h = 0; h < fl->n_hosts; h++) {
			int cell = twa_fleet_cell(fl, h, c);

			if (cell == TWA_FLEET_UNCHECKED)
				fl->rules[c].unchecked++;
			else
				fl->rules[c].hosts[cell]++;
		}
	if (fl->n_rules)
		qsort(fl->rules, fl->n_rules, sizeof(*fl->rules), cmp_rules);
	return fleet_count_quiet(fl, err);
}

static const char *status_label(enum twa_status s)
{
	switch (s) {
	case TWA_STATUS_CRITICAL:
		return "CRITICAL";
	case TWA_STATUS_WARNING:
		return "WARNING";
	case TWA_STATUS_OK:
		return "OK";
	default:
		return "UNKNOWN";
	}
}

void twa_fleet_verdict(const struct twa_fleet *fl, char *buf, size_t size)
{
	size_t per[TWA_STATUS_UNKNOWN + 1] = { 0 }, h;
	int n;

	for (h = 0; h < fl->n_hosts; h++)
		per[fl->hosts[h].status <= TWA_STATUS_UNKNOWN ? fl->hosts[h].status :
		    TWA_STATUS_UNKNOWN]++;
	n = snprintf(buf, size, "%s: %zu host%s: %zu critical, %zu warning, %zu unknown, %zu ok",
		     status_label(fl->status), fl->n_hosts, fl->n_hosts == 1 ? "" : "s",
		     per[TWA_STATUS_CRITICAL], per[TWA_STATUS_WARNING],
		     per[TWA_STATUS_UNKNOWN], per[TWA_STATUS_OK]);
	if (n > 0 && (size_t)n < size && fl->n_rules &&
	    fl->rules[0].hosts[TWA_SEV_CRITICAL] + fl->rules[0].hosts[TWA_SEV_WARNING])
		snprintf(buf + n, size - (size_t)n, "; most widespread: %s on %zu",
			 fl->rules[0].rule,
			 fl->rules[0].hosts[TWA_SEV_CRITICAL] + fl->rules[0].hosts[TWA_SEV_WARNING]);
}

static const char *cell_name(int cell)
{
	return cell == TWA_FLEET_UNCHECKED ? "unchecked" :
	       twa_severity_name((enum twa_severity)cell);
}

json_object *twa_fleet_to_json(const struct twa_fleet *fl)
{
	json_object *o = json_object_new_object(), *hosts, *rules;
	char verdict[512];
	size_t h, c, i;

	if (!o)
		return NULL;
	json_object_object_add(o, "schema", json_object_new_string(TWA_FLEET_SCHEMA));
	json_object_object_add(o, "version", json_object_new_string(fl->version));
	json_object_object_add(o, "generated", json_object_new_string(fl->time));
	json_object_object_add(o, "status", json_object_new_string(twa_status_name(fl->status)));
	twa_fleet_verdict(fl, verdict, sizeof(verdict));
	json_object_object_add(o, "verdict", json_object_new_string(verdict));
	hosts = json_object_new_array();
	for (h = 0; h < fl->n_hosts; h++) {
		const struct twa_fleet_host *x = &fl->hosts[h];
		json_object *e = json_object_new_object(), *counts = json_object_new_object();
		json_object *found = json_object_new_object();

		json_object_object_add(e, "hostname", json_object_new_string(x->hostname));
		json_object_object_add(e, "machine_id", x->machine_id[0] ?
				       json_object_new_string(x->machine_id) : NULL);
		json_object_object_add(e, "id", json_object_new_string(host_key(x)));
		json_object_object_add(e, "label", json_object_new_string(x->label));
		json_object_object_add(e, "file", json_object_new_string(x->file));
		json_object_object_add(e, "status", json_object_new_string(twa_status_name(x->status)));
		json_object_object_add(e, "profile", json_object_new_string(x->profile));
		json_object_object_add(e, "kernel", json_object_new_string(x->kernel));
		json_object_object_add(e, "time", json_object_new_string(x->time));
		for (i = TWA_SEV_CRITICAL; i >= TWA_SEV_INFO; i--)
			json_object_object_add(counts, twa_severity_name((enum twa_severity)i),
					       json_object_new_int64((int64_t)x->counts[i]));
		json_object_object_add(e, "counts", counts);
		for (c = 0; c < fl->n_rules; c++) {
			int cell = twa_fleet_cell(fl, h, c);

			if (cell > TWA_SEV_OK)
				json_object_object_add(found, fl->rules[c].rule,
						       json_object_new_string(cell_name(cell)));
		}
		json_object_object_add(e, "findings", found);
		json_object_array_add(hosts, e);
	}
	json_object_object_add(o, "hosts", hosts);
	rules = json_object_new_array();
	for (c = 0; c < fl->n_rules; c++) {
		const struct twa_fleet_rule *r = &fl->rules[c];
		json_object *e = json_object_new_object();

		json_object_object_add(e, "rule", json_object_new_string(r->rule));
		for (i = TWA_SEV_CRITICAL + 1; i-- > 0;)
			json_object_object_add(e, twa_severity_name((enum twa_severity)i),
					       json_object_new_int64((int64_t)r->hosts[i]));
		json_object_object_add(e, "unchecked", json_object_new_int64((int64_t)r->unchecked));
		json_object_array_add(rules, e);
	}
	json_object_object_add(o, "rules", rules);
	json_object_object_add(o, "quiet_rules", json_object_new_int64((int64_t)fl->n_quiet));
	return o;
}

/* ---- Markdown ----------------------------------------------------------- */

static const char *md_cell(int cell)
{
	switch (cell) {
	case TWA_SEV_CRITICAL:
		return "**CRITICAL**";
	case TWA_SEV_WARNING:
		return "**WARNING**";
	case TWA_SEV_INFO:
		return "INFO";
	case TWA_SEV_OK:
		return "ok";
	default:
		return "-";
	}
}

static const char *md_status(enum twa_status s)
{
	switch (s) {
	case TWA_STATUS_CRITICAL:
		return "**CRITICAL**";
	case TWA_STATUS_WARNING:
		return "**WARNING**";
	case TWA_STATUS_OK:
		return "OK";
	default:
		return "UNKNOWN";
	}
}

int twa_fleet_write_markdown(const struct twa_fleet *fl, struct strbuf *out)
{
	char verdict[512], *colon;
	size_t h, c;

	strbuf_addf(out, "# twadvise fleet report: %zu host%s\n\n", fl->n_hosts,
		    fl->n_hosts == 1 ? "" : "s");
	twa_fleet_verdict(fl, verdict, sizeof(verdict));
	colon = strchr(verdict, ':');	/* always there: "STATUS: ..." */
	if (colon)
		*colon++ = '\0';
	strbuf_addf(out, "**%s**:", verdict);
	twa_md_escape(out, colon ? colon : "");
	strbuf_addstr(out, ".\n\n## Findings per host\n\n");
	if (!fl->n_rules) {
		strbuf_addstr(out, "No host has a finding.\n\n");
	} else {
		strbuf_addstr(out, "Worst hosts first. Cells: the finding's severity; ok: checked, "
				   "nothing found; -: not checked.\n\n| Host | Status |");
		for (c = 0; c < fl->n_rules; c++) {
			strbuf_addch(out, ' ');
			twa_md_escape(out, fl->rules[c].rule);
			strbuf_addstr(out, " |");
		}
		strbuf_addstr(out, "\n| --- | --- |");
		for (c = 0; c < fl->n_rules; c++)
			strbuf_addstr(out, " --- |");
		strbuf_addch(out, '\n');
		for (h = 0; h < fl->n_hosts; h++) {
			strbuf_addstr(out, "| ");
			twa_md_escape(out, fl->hosts[h].label);
			strbuf_addf(out, " | %s |", md_status(fl->hosts[h].status));
			for (c = 0; c < fl->n_rules; c++)
				strbuf_addf(out, " %s |", md_cell(twa_fleet_cell(fl, h, c)));
			strbuf_addch(out, '\n');
		}
		strbuf_addstr(out, "\n## Totals per rule\n\nHosts per result.\n\n"
				   "| Rule | Critical | Warning | Info | OK | Not checked |\n"
				   "| --- | ---: | ---: | ---: | ---: | ---: |\n");
		for (c = 0; c < fl->n_rules; c++) {
			const struct twa_fleet_rule *r = &fl->rules[c];

			strbuf_addstr(out, "| ");
			twa_md_code(out, r->rule);
			strbuf_addf(out, " | %zu | %zu | %zu | %zu | %zu |\n",
				    r->hosts[TWA_SEV_CRITICAL], r->hosts[TWA_SEV_WARNING],
				    r->hosts[TWA_SEV_INFO], r->hosts[TWA_SEV_OK], r->unchecked);
		}
		strbuf_addch(out, '\n');
	}
	if (fl->n_quiet)
		strbuf_addf(out, "%zu further rule%s checked without a finding on any host.\n\n",
			    fl->n_quiet, fl->n_quiet == 1 ? "" : "s");
	strbuf_addstr(out, "## Hosts\n\n| Host | Status | Critical | Warning | Info | Profile | Kernel | Facts gathered | Report |\n"
			   "| --- | --- | ---: | ---: | ---: | --- | --- | --- | --- |\n");
	for (h = 0; h < fl->n_hosts; h++) {
		const struct twa_fleet_host *x = &fl->hosts[h];
		const char *cols[] = { x->profile, x->kernel, x->time, x->file };
		size_t k;

		strbuf_addstr(out, "| ");
		twa_md_escape(out, x->label);
		strbuf_addf(out, " | %s | %zu | %zu | %zu |", md_status(x->status),
			    x->counts[TWA_SEV_CRITICAL], x->counts[TWA_SEV_WARNING],
			    x->counts[TWA_SEV_INFO]);
		for (k = 0; k < 4; k++) {
			strbuf_addch(out, ' ');
			twa_md_escape(out, cols[k]);
			strbuf_addstr(out, " |");
		}
		strbuf_addch(out, '\n');
	}
	strbuf_addstr(out, "\nWritten by twadvise ");
	twa_md_escape(out, fl->version);
	strbuf_addstr(out, " at ");
	twa_md_escape(out, fl->time);
	return strbuf_addstr(out, ".\n") < 0 ? -ENOMEM : 0;
}

/* ---- HTML --------------------------------------------------------------- */

static const char *html_cell_cls(int cell)
{
	switch (cell) {
	case TWA_SEV_CRITICAL:
		return "cell-critical";
	case TWA_SEV_WARNING:
		return "cell-warning";
	case TWA_SEV_INFO:
		return "cell-info";
	default:
		return "cell-none";
	}
}

static void fleet_html_header(const struct twa_fleet *fl, const char *title,
			      struct strbuf *out)
{
	const char *st = twa_status_name(fl->status);
	char verdict[512], *colon;

	twa_html_begin(out, title);
	strbuf_addstr(out, "<header>\n<h1>");
	twa_html_escape(out, title);
	strbuf_addstr(out, "</h1>\n");
	twa_fleet_verdict(fl, verdict, sizeof(verdict));
	colon = strchr(verdict, ':');	/* always there: "STATUS: ..." */
	if (colon)
		*colon++ = '\0';
	strbuf_addf(out, "<p class=\"verdict %s\" id=\"verdict\"><span class=\"sev %s\">", st, st);
	twa_html_escape(out, verdict);
	strbuf_addstr(out, "</span>");
	twa_html_escape(out, colon ? colon : "");
	strbuf_addstr(out, "</p>\n</header>\n<main>\n");
}

static void fleet_html_matrix_row(const struct twa_fleet *fl, size_t h,
				  struct strbuf *out)
{
	const char *hs = twa_status_name(fl->hosts[h].status);
	size_t c;

	strbuf_addstr(out, "<tr><th scope=\"row\">");
	twa_html_escape(out, fl->hosts[h].label);
	strbuf_addf(out, "</th><td><span class=\"sev %s\">%s</span></td>", hs,
		    status_label(fl->hosts[h].status));
	for (c = 0; c < fl->n_rules; c++) {
		int cell = twa_fleet_cell(fl, h, c);

		strbuf_addf(out, "<td class=\"%s\">%s</td>", html_cell_cls(cell),
			    cell == TWA_FLEET_UNCHECKED ? "&#8211;" :
			    cell == TWA_SEV_OK ? "ok" :
			    twa_severity_label((enum twa_severity)cell));
	}
	strbuf_addstr(out, "</tr>\n");
}

/* Hosts x rules, worst hosts first. */
static void fleet_html_matrix(const struct twa_fleet *fl, struct strbuf *out)
{
	size_t h, c;

	strbuf_addstr(out, "<section id=\"matrix\">\n<h2>Findings per host</h2>\n");
	if (!fl->n_rules) {
		strbuf_addstr(out, "<p>No host has a finding.</p>\n");
	} else {
		strbuf_addstr(out, "<p>Worst hosts first. Cells: the finding's severity; ok: checked, "
				   "nothing found; &#8211;: not checked.</p>\n"
				   "<div class=\"wrap\"><table class=\"matrix\"><thead><tr><th>Host</th><th>Status</th>");
		for (c = 0; c < fl->n_rules; c++) {
			strbuf_addstr(out, "<th><code>");
			twa_html_escape(out, fl->rules[c].rule);
			strbuf_addstr(out, "</code></th>");
		}
		strbuf_addstr(out, "</tr></thead>\n<tbody>\n");
		for (h = 0; h < fl->n_hosts; h++)
			fleet_html_matrix_row(fl, h, out);
		strbuf_addstr(out, "</tbody></table></div>\n");
	}
	strbuf_addstr(out, "</section>\n");
}

/* The bar chart of hosts with a warning or worse, per rule. */
static int fleet_html_totals_chart(const struct twa_fleet *fl, struct strbuf *out)
{
	struct twa_svg_bar *bars = calloc(fl->n_rules, sizeof(*bars));
	char (*texts)[48] = calloc(fl->n_rules, sizeof(*texts));
	size_t c;

	if (!bars || !texts) {
		free(bars);
		free(texts);
		return -ENOMEM;
	}
	strbuf_addstr(out, "<section id=\"totals\">\n<h2>Totals per rule</h2>\n<div class=\"charts\"><figure>\n");
	for (c = 0; c < fl->n_rules; c++) {
		const struct twa_fleet_rule *r = &fl->rules[c];
		size_t bad = r->hosts[TWA_SEV_CRITICAL] + r->hosts[TWA_SEV_WARNING];

		snprintf(texts[c], sizeof(texts[c]), "%zu of %zu", bad, fl->n_hosts);
		bars[c].label = r->rule;
		bars[c].value = (double)bad;
		bars[c].text = texts[c];
		bars[c].cls = r->hosts[TWA_SEV_CRITICAL] ? "critical" : bad ? "warning" : "muted";
	}
	twa_svg_hbars(out, "Hosts with a warning or critical finding, per rule", bars,
		      fl->n_rules, (double)fl->n_hosts, NULL, 0);
	free(bars);
	free(texts);
	strbuf_addstr(out, "<figcaption>Hosts with a warning or critical finding per rule, "
			   "of all hosts (the full bar).</figcaption>\n</figure></div>\n");
	return 0;
}

static int fleet_html_totals(const struct twa_fleet *fl, struct strbuf *out)
{
	size_t c;
	int r;

	if (!fl->n_rules)
		return 0;
	r = fleet_html_totals_chart(fl, out);
	if (r < 0)
		return r;
	strbuf_addstr(out, "<div class=\"wrap\"><table class=\"cards totals\"><thead><tr><th>Rule</th>"
			   "<th class=\"num\">Critical</th><th class=\"num\">Warning</th>"
			   "<th class=\"num\">Info</th><th class=\"num\">OK</th>"
			   "<th class=\"num\">Not checked</th></tr></thead>\n<tbody>\n");
	for (c = 0; c < fl->n_rules; c++) {
		const struct twa_fleet_rule *ru = &fl->rules[c];

		strbuf_addstr(out, "<tr><td data-label=\"Rule\"><code>");
		twa_html_escape(out, ru->rule);
		strbuf_addf(out, "</code></td><td data-label=\"Critical\" class=\"num\">%zu</td>"
			    "<td data-label=\"Warning\" class=\"num\">%zu</td>"
			    "<td data-label=\"Info\" class=\"num\">%zu</td>"
			    "<td data-label=\"OK\" class=\"num\">%zu</td>"
			    "<td data-label=\"Not checked\" class=\"num\">%zu</td></tr>\n",
			    ru->hosts[TWA_SEV_CRITICAL], ru->hosts[TWA_SEV_WARNING],
			    ru->hosts[TWA_SEV_INFO], ru->hosts[TWA_SEV_OK], ru->unchecked);
	}
	strbuf_addstr(out, "</tbody></table></div>\n");
	if (fl->n_quiet)
		strbuf_addf(out, "<p>%zu further rule%s checked without a finding on any host.</p>\n",
			    fl->n_quiet, fl->n_quiet == 1 ? "" : "s");
	strbuf_addstr(out, "</section>\n");
	return 0;
}

static void fleet_html_hosts(const struct twa_fleet *fl, struct strbuf *out)
{
	static const char *const labels[] = { "Profile", "Kernel", "Facts gathered", "Report" };
	size_t h, k;

	strbuf_addstr(out, "<section id=\"hosts\">\n<h2>Hosts</h2>\n<div class=\"wrap\"><table class=\"cards hosts\"><thead><tr>"
			   "<th>Host</th><th>Status</th><th class=\"num\">Critical</th><th class=\"num\">Warning</th>"
			   "<th class=\"num\">Info</th><th>Profile</th><th>Kernel</th><th>Facts gathered</th>"
			   "<th>Report</th></tr></thead>\n<tbody>\n");
	for (h = 0; h < fl->n_hosts; h++) {
		const struct twa_fleet_host *x = &fl->hosts[h];
		const char *cols[] = { x->profile, x->kernel, x->time, x->file };

		strbuf_addstr(out, "<tr><td data-label=\"Host\">");
		twa_html_escape(out, x->label);
		strbuf_addf(out, "</td><td data-label=\"Status\"><span class=\"sev %s\">%s</span></td>"
			    "<td data-label=\"Critical\" class=\"num\">%zu</td>"
			    "<td data-label=\"Warning\" class=\"num\">%zu</td>"
			    "<td data-label=\"Info\" class=\"num\">%zu</td>",
			    twa_status_name(x->status), status_label(x->status),
			    x->counts[TWA_SEV_CRITICAL], x->counts[TWA_SEV_WARNING],
			    x->counts[TWA_SEV_INFO]);
		for (k = 0; k < 4; k++) {
			strbuf_addf(out, "<td data-label=\"%s\">", labels[k]);
			twa_html_escape(out, cols[k]);
			strbuf_addstr(out, "</td>");
		}
		strbuf_addstr(out, "</tr>\n");
	}
	strbuf_addstr(out, "</tbody></table></div>\n</section>\n");
}

/* One function per section: header, matrix, totals, hosts. */
int twa_fleet_write_html(const struct twa_fleet *fl, struct strbuf *out)
{
	char title[96];
	int r;

	snprintf(title, sizeof(title), "twadvise fleet report: %zu host%s", fl->n_hosts,
		 fl->n_hosts == 1 ? "" : "s");
	fleet_html_header(fl, title, out);
	fleet_html_matrix(fl, out);
	r = fleet_html_totals(fl, out);
	if (r < 0)
		return r;
	fleet_html_hosts(fl, out);
	strbuf_addstr(out, "</main>\n<footer>Written by twadvise ");
	twa_html_escape(out, fl->version);
	strbuf_addstr(out, " at ");
	twa_html_escape(out, fl->time);
	strbuf_addstr(out, ". Self-contained: no scripts, fonts or remote resources.</footer>\n");
	return twa_html_end(out);
}
