/* SPDX-License-Identifier: MIT */
/* findings.c - findings: building, ordering, JSON and text. */
#include "advisor/rules/findings.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"

static const char *const sev_names[] = { "ok", "info", "warning", "critical" };
static const char *const sev_labels[] = { "OK", "INFO", "WARNING", "CRITICAL" };
static const char *const status_names[] = { "ok", "warning", "critical", "unknown" };

const char *twa_severity_name(enum twa_severity s)
{
	return s <= TWA_SEV_CRITICAL ? sev_names[s] : "unknown";
}

const char *twa_severity_label(enum twa_severity s)
{
	return s <= TWA_SEV_CRITICAL ? sev_labels[s] : "UNKNOWN";
}

int twa_severity_from_name(const char *name, enum twa_severity *ret)
{
	unsigned i;

	for (i = 0; i <= TWA_SEV_CRITICAL; i++)
		if (!strcmp(sev_names[i], name)) {
			*ret = (enum twa_severity)i;
			return 0;
		}
	return -EINVAL;
}

const char *twa_status_name(enum twa_status s)
{
	return s <= TWA_STATUS_UNKNOWN ? status_names[s] : "unknown";
}

static const char *const kind_names[] = { "health", "compliance" };

const char *twa_kind_name(enum twa_finding_kind k)
{
	return k <= TWA_KIND_COMPLIANCE ? kind_names[k] : "health";
}

int twa_kind_from_name(const char *name, enum twa_finding_kind *ret)
{
	unsigned i;

	for (i = 0; i <= TWA_KIND_COMPLIANCE; i++)
		if (!strcmp(kind_names[i], name)) {
			*ret = (enum twa_finding_kind)i;
			return 0;
		}
	return -EINVAL;
}

void twa_findings_init(struct twa_findings *fs)
{
	memset(fs, 0, sizeof(*fs));
}

void twa_finding_release(struct twa_finding *f)
{
	if (!f)
		return;
	free(f->evidence);
	free(f->changes);
	f->evidence = NULL;
	f->changes = NULL;
	f->n_evidence = f->n_changes = 0;
}

void twa_findings_release(struct twa_findings *fs)
{
	size_t i;

	if (!fs)
		return;
	for (i = 0; i < fs->n; i++)
		twa_finding_release(&fs->v[i]);
	free(fs->v);
	for (i = 0; i < fs->n_checked; i++)
		free(fs->checked[i]);
	free(fs->checked);
	free(fs->not_judged);
	twa_findings_init(fs);
}

int twa_findings_mark_checked(struct twa_findings *fs, const char *id)
{
	char **v = realloc(fs->checked, (fs->n_checked + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	fs->checked = v;
	v[fs->n_checked] = strdup(id);
	if (!v[fs->n_checked])
		return -ENOMEM;
	fs->n_checked++;
	return 0;
}

int twa_findings_add_not_judged(struct twa_findings *fs, const char *rule,
				const char *reason)
{
	struct twa_unjudged *v = realloc(fs->not_judged,
					 (fs->n_not_judged + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	fs->not_judged = v;
	twa_strlcpy(v[fs->n_not_judged].rule, rule, sizeof(v->rule));
	twa_strlcpy(v[fs->n_not_judged].reason, reason, sizeof(v->reason));
	fs->n_not_judged++;
	return 0;
}

int twa_finding_evidence(struct twa_finding *f, const char *name,
			 const char *source, const char *fmt, ...)
{
	struct twa_evidence *e = realloc(f->evidence,
					 (f->n_evidence + 1) * sizeof(*e));
	va_list ap;
	size_t i;

	if (!e)
		return -ENOMEM;
	f->evidence = e;
	e = &e[f->n_evidence];
	twa_strlcpy(e->name, name, sizeof(e->name));
	twa_strlcpy(e->source, source ? source : "", sizeof(e->source));
	va_start(ap, fmt);
	vsnprintf(e->value, sizeof(e->value), fmt, ap);
	va_end(ap);
	/* One item once: two helpers may name the same sysctl. */
	for (i = 0; i < f->n_evidence; i++)
		if (!strcmp(f->evidence[i].name, e->name) &&
		    !strcmp(f->evidence[i].source, e->source) &&
		    !strcmp(f->evidence[i].value, e->value))
			return 0;
	f->n_evidence++;
	return 0;
}

int twa_finding_change(struct twa_finding *f, const char *key,
		       const char *from, const char *to)
{
	struct twa_change *c;
	size_t i;

	/* A value that does not fit is refused, never cut. */
	if (strlen(from ? from : "") > TWA_SYSCTL_VALUE_MAX || strlen(to) > TWA_SYSCTL_VALUE_MAX)
		return -E2BIG;
	for (i = 0; i < f->n_changes; i++)
		if (!strcmp(f->changes[i].key, key))
			break;
	if (i == f->n_changes) {
		c = realloc(f->changes, (f->n_changes + 1) * sizeof(*c));
		if (!c)
			return -ENOMEM;
		f->changes = c;
		f->n_changes++;
	}
	c = &f->changes[i];
	twa_strlcpy(c->key, key, sizeof(c->key));
	twa_strlcpy(c->from, from ? from : "", sizeof(c->from));
	twa_strlcpy(c->to, to, sizeof(c->to));
	c->profile = false;
	return 0;
}

void twa_finding_summary(struct twa_finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->summary, sizeof(f->summary), fmt, ap);
	va_end(ap);
}

void twa_finding_recommend(struct twa_finding *f, const char *fmt, ...)
{
	size_t len = strlen(f->recommendation);
	va_list ap;

	if (len && len + 1 < sizeof(f->recommendation))
		f->recommendation[len++] = ' ';
	va_start(ap, fmt);
	vsnprintf(f->recommendation + len, sizeof(f->recommendation) - len, fmt, ap);
	va_end(ap);
}

int twa_findings_add(struct twa_findings *fs, struct twa_finding *f)
{
	struct twa_finding *v = realloc(fs->v, (fs->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	fs->v = v;
	v[fs->n++] = *f;
	memset(f, 0, sizeof(*f));
	return 0;
}

void twa_findings_finish(struct twa_findings *fs)
{
	size_t i, j;
	enum twa_severity worst = TWA_SEV_OK;

	/* Insertion sort: stable, and the list is short. */
	for (i = 1; i < fs->n; i++) {
		struct twa_finding x = fs->v[i];

		for (j = i; j > 0 && fs->v[j - 1].severity < x.severity; j--)
			fs->v[j] = fs->v[j - 1];
		fs->v[j] = x;
	}
	for (i = 0; i < fs->n; i++)
		if (fs->v[i].severity > worst)
			worst = fs->v[i].severity;
	fs->status = worst == TWA_SEV_CRITICAL ? TWA_STATUS_CRITICAL :
		     worst == TWA_SEV_WARNING ? TWA_STATUS_WARNING : TWA_STATUS_OK;
}

void twa_findings_evidence_only(struct twa_findings *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		struct twa_finding *f = &fs->v[i];

		if (f->kind != TWA_KIND_COMPLIANCE || f->severity <= TWA_SEV_INFO)
			continue;
		f->demoted = true;
		f->demoted_from = f->severity;
		f->severity = TWA_SEV_INFO;
	}
	fs->evidence_only = true;
	twa_findings_finish(fs);
}

size_t twa_findings_count(const struct twa_findings *fs, enum twa_severity s)
{
	size_t i, n = 0;

	for (i = 0; i < fs->n; i++)
		n += fs->v[i].severity == s;
	return n;
}

json_object *twa_findings_to_json(const struct twa_findings *fs)
{
	json_object *o = json_object_new_object(), *list = json_object_new_array();
	json_object *checked = json_object_new_array();
	size_t i, k;

	json_object_object_add(o, "schema", json_object_new_string(TWA_FINDINGS_SCHEMA));
	json_object_object_add(o, "status", json_object_new_string(twa_status_name(fs->status)));
	json_object_object_add(o, "profile", json_object_new_string(fs->profile));
	if (fs->evidence_only)
		json_object_object_add(o, "evidence_only", json_object_new_boolean(true));
	for (i = 0; i < fs->n; i++) {
		const struct twa_finding *f = &fs->v[i];
		json_object *x = json_object_new_object(), *ev = json_object_new_array();
		json_object *ch = json_object_new_array();

		json_object_object_add(x, "rule", json_object_new_string(f->rule));
		json_object_object_add(x, "severity",
				       json_object_new_string(twa_severity_name(f->severity)));
		json_object_object_add(x, "kind", json_object_new_string(twa_kind_name(f->kind)));
		if (f->demoted)
			json_object_object_add(x, "demoted_from", json_object_new_string(
				twa_severity_name(f->demoted_from)));
		json_object_object_add(x, "summary", json_object_new_string(f->summary));
		for (k = 0; k < f->n_evidence; k++) {
			json_object *e = json_object_new_object();

			json_object_object_add(e, "name", json_object_new_string(f->evidence[k].name));
			json_object_object_add(e, "value", json_object_new_string(f->evidence[k].value));
			json_object_object_add(e, "source", json_object_new_string(f->evidence[k].source));
			json_object_array_add(ev, e);
		}
		json_object_object_add(x, "evidence", ev);
		json_object_object_add(x, "recommendation",
				       json_object_new_string(f->recommendation));
		for (k = 0; k < f->n_changes; k++) {
			json_object *c = json_object_new_object();

			json_object_object_add(c, "key", json_object_new_string(f->changes[k].key));
			json_object_object_add(c, "from", json_object_new_string(f->changes[k].from));
			json_object_object_add(c, "to", json_object_new_string(f->changes[k].to));
			json_object_array_add(ch, c);
		}
		json_object_object_add(x, "changes", ch);
		json_object_array_add(list, x);
	}
	json_object_object_add(o, "findings", list);
	for (i = 0; i < fs->n_checked; i++)
		json_object_array_add(checked, json_object_new_string(fs->checked[i]));
	json_object_object_add(o, "checked", checked);
	list = json_object_new_array();
	for (i = 0; i < fs->n_not_judged; i++) {
		json_object *x = json_object_new_object();

		json_object_object_add(x, "rule", json_object_new_string(fs->not_judged[i].rule));
		json_object_object_add(x, "reason", json_object_new_string(fs->not_judged[i].reason));
		json_object_array_add(list, x);
	}
	json_object_object_add(o, "not_judged", list);
	return o;
}

static int finding_from_json(json_object *x, const char *file, const char *path,
			     struct twa_finding *f, struct twa_err *err)
{
	json_object *ev = NULL, *ch = NULL;
	char sev[16], kind[16] = "health";
	size_t k;
	int r;

	memset(f, 0, sizeof(*f));
	if (!json_object_is_type(x, json_type_object))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "%s: expected an object", path);
	if ((r = twa_json_get_str(x, "rule", true, file, path, f->rule, sizeof(f->rule), err)) < 0 ||
	    (r = twa_json_get_str(x, "severity", true, file, path, sev, sizeof(sev), err)) < 0 ||
	    (r = twa_json_get_str(x, "kind", false, file, path, kind, sizeof(kind), err)) < 0 ||
	    (r = twa_json_get_str(x, "summary", true, file, path, f->summary, sizeof(f->summary), err)) < 0 ||
	    (r = twa_json_get_str(x, "recommendation", false, file, path, f->recommendation,
				  sizeof(f->recommendation), err)) < 0 ||
	    (r = twa_json_get_array(x, "evidence", false, file, path, &ev, err)) < 0 ||
	    (r = twa_json_get_array(x, "changes", false, file, path, &ch, err)) < 0)
		return r;
	if (twa_severity_from_name(sev, &f->severity) < 0)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "%s.severity: '%s' is not ok, info, warning or critical",
				      path, sev);
	if (twa_kind_from_name(kind, &f->kind) < 0)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "%s.kind: '%s' is not health or compliance",
				      path, kind);
	for (k = 0; ev && k < json_object_array_length(ev) && k < 1000; k++) {
		json_object *e = json_object_array_get_idx(ev, k);
		char name[96] = "", value[160] = "", source[96] = "", sub[96];

		snprintf(sub, sizeof(sub), "%s.evidence[%zu]", path, k);
		if (!json_object_is_type(e, json_type_object))
			return twa_err_set_at(err, -EBADMSG, file, 0, 0, "%s: expected an object", sub);
		if ((r = twa_json_get_str(e, "name", true, file, sub, name, sizeof(name), err)) < 0 ||
		    (r = twa_json_get_str(e, "value", true, file, sub, value, sizeof(value), err)) < 0 ||
		    (r = twa_json_get_str(e, "source", false, file, sub, source, sizeof(source), err)) < 0)
			return r;
		if (twa_finding_evidence(f, name, source, "%s", value) < 0)
			return twa_err_set(err, -ENOMEM, "out of memory");
	}
	for (k = 0; ch && k < json_object_array_length(ch) && k < 1000; k++) {
		json_object *c = json_object_array_get_idx(ch, k);
		char key[96] = "", from[TWA_SYSCTL_VALUE_SIZE] = "", to[TWA_SYSCTL_VALUE_SIZE] = "", sub[96];

		snprintf(sub, sizeof(sub), "%s.changes[%zu]", path, k);
		if (!json_object_is_type(c, json_type_object))
			return twa_err_set_at(err, -EBADMSG, file, 0, 0, "%s: expected an object", sub);
		if ((r = twa_json_get_str(c, "key", true, file, sub, key, sizeof(key), err)) < 0 ||
		    (r = twa_json_get_str(c, "from", false, file, sub, from, sizeof(from), err)) < 0 ||
		    (r = twa_json_get_str(c, "to", true, file, sub, to, sizeof(to), err)) < 0)
			return r;
		if (twa_finding_change(f, key, from, to) < 0)
			return twa_err_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

/* "checked": the ids of the rules evaluated (optional). */
static int checked_from_json(json_object *obj, const char *file,
			     struct twa_findings *fs, struct twa_err *err)
{
	json_object *list = NULL;
	size_t i, n;
	int r;

	if ((r = twa_json_get_array(obj, "checked", false, file, "findings", &list, err)) < 0)
		return r;
	n = list ? json_object_array_length(list) : 0;
	if (n > 1000)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "findings.checked: too many rules");
	if (!n)
		return 0;
	fs->checked = calloc(n, sizeof(*fs->checked));
	if (!fs->checked)
		return twa_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(list, i);

		if (!json_object_is_type(v, json_type_string) ||
		    json_object_get_string_len(v) >= 48)
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "findings.checked[%zu]: expected a rule id", i);
		fs->checked[i] = strdup(json_object_get_string(v));
		if (!fs->checked[i])
			return twa_err_set(err, -ENOMEM, "out of memory");
		fs->n_checked = i + 1;
	}
	return 0;
}

/* "not_judged": [{"rule", "reason"}] (optional). */
static int not_judged_from_json(json_object *obj, const char *file,
				struct twa_findings *fs, struct twa_err *err)
{
	json_object *list = NULL;
	size_t i, n;
	int r;

	if ((r = twa_json_get_array(obj, "not_judged", false, file, "findings", &list, err)) < 0)
		return r;
	n = list ? json_object_array_length(list) : 0;
	if (n > 1000)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "findings.not_judged: too many rules");
	for (i = 0; i < n; i++) {
		json_object *x = json_object_array_get_idx(list, i);
		char rule[48], reason[256];

		if ((r = twa_json_get_str(x, "rule", true, file, "findings.not_judged", rule,
					  sizeof(rule), err)) < 0 ||
		    (r = twa_json_get_str(x, "reason", true, file, "findings.not_judged", reason,
					  sizeof(reason), err)) < 0)
			return r;
		if (twa_findings_add_not_judged(fs, rule, reason) < 0)
			return twa_err_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

int twa_findings_from_json(json_object *obj, const char *file,
			   struct twa_findings *fs, struct twa_err *err)
{
	json_object *list = NULL;
	char status[16];
	size_t i;
	int r;

	if (!json_object_is_type(obj, json_type_object))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "findings: expected an object");
	if ((r = twa_json_get_str(obj, "status", true, file, "findings", status, sizeof(status), err)) < 0 ||
	    (r = twa_json_get_str(obj, "profile", false, file, "findings", fs->profile,
				  sizeof(fs->profile), err)) < 0 ||
	    (r = twa_json_get_array(obj, "findings", true, file, "findings", &list, err)) < 0)
		return r;
	for (i = 0; i <= TWA_STATUS_UNKNOWN; i++)
		if (!strcmp(status_names[i], status))
			break;
	if (i > TWA_STATUS_UNKNOWN)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "findings.status: '%s' is not ok, warning, critical or unknown", status);
	fs->status = (enum twa_status)i;
	if (json_object_array_length(list) > 10000)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "too many findings");
	if ((r = checked_from_json(obj, file, fs, err)) < 0 ||
	    (r = not_judged_from_json(obj, file, fs, err)) < 0)
		return r;
	for (i = 0; i < json_object_array_length(list); i++) {
		struct twa_finding f;
		char path[48];

		snprintf(path, sizeof(path), "findings[%zu]", i);
		r = finding_from_json(json_object_array_get_idx(list, i), file, path, &f, err);
		if (r < 0 || (r = twa_findings_add(fs, &f)) < 0) {
			twa_finding_release(&f);
			return r < 0 ? r : twa_err_set(err, -ENOMEM, "out of memory");
		}
	}
	return 0;
}

static const char *sev_color(enum twa_severity s)
{
	switch (s) {
	case TWA_SEV_CRITICAL:
		return "\033[1;31m";
	case TWA_SEV_WARNING:
		return "\033[1;33m";
	case TWA_SEV_INFO:
		return "\033[1;36m";
	default:
		return "\033[1;32m";
	}
}

/* Wrap text at width, each line after the first indented. */
static void add_wrapped(struct strbuf *out, const char *text, size_t indent,
			size_t width)
{
	size_t col = indent;
	const char *p = text;

	while (*p) {
		const char *w = p;
		size_t len;

		while (*w == ' ')
			w++;
		len = strcspn(w, " ");
		if (!len)
			break;
		if (col > indent && col + 1 + len > width) {
			strbuf_addch(out, '\n');
			strbuf_addchars(out, ' ', indent);
			col = indent;
		} else if (col > indent) {
			strbuf_addch(out, ' ');
			col++;
		}
		strbuf_add(out, w, len);
		col += len;
		p = w + len;
	}
	strbuf_addch(out, '\n');
}

int twa_findings_write_text(const struct twa_findings *fs, bool verbose,
			    bool color, struct strbuf *out)
{
	size_t i, k, crit, warn, info;
	const char *reset = color ? "\033[0m" : "";
	char not_judged[48];

	for (i = 0; i < fs->n; i++) {
		const struct twa_finding *f = &fs->v[i];

		/* Health is the rule; compliance findings say what they are. */
		strbuf_addf(out, "%s%-8s%s  %s: %s%s%s\n", color ? sev_color(f->severity) : "",
			    twa_severity_label(f->severity), reset, f->rule, f->summary,
			    f->kind == TWA_KIND_COMPLIANCE ? " [compliance" : "",
			    !f->kind ? "" : f->demoted ? ", not judged with --evidence-only]" : "]");
		if (f->recommendation[0]) {
			strbuf_addstr(out, "          -> ");
			add_wrapped(out, f->recommendation, 13, 100);
		}
		for (k = 0; k < f->n_changes; k++)
			strbuf_addf(out, "          change %s: %s -> %s\n", f->changes[k].key,
				    f->changes[k].from, f->changes[k].to);
		if (verbose)
			for (k = 0; k < f->n_evidence; k++)
				strbuf_addf(out, "          evidence %s = %s%s%s%s\n",
					    f->evidence[k].name, f->evidence[k].value,
					    f->evidence[k].source[0] ? " (" : "",
					    f->evidence[k].source,
					    f->evidence[k].source[0] ? ")" : "");
	}
	for (i = 0; i < fs->n_not_judged; i++)
		strbuf_addf(out, "%-8s  %s: %s\n", "N/A", fs->not_judged[i].rule,
			    fs->not_judged[i].reason);
	snprintf(not_judged, sizeof(not_judged), ", %zu not judged", fs->n_not_judged);
	crit = twa_findings_count(fs, TWA_SEV_CRITICAL);
	warn = twa_findings_count(fs, TWA_SEV_WARNING);
	info = twa_findings_count(fs, TWA_SEV_INFO);
	strbuf_addf(out, "%s%s%s: %zu critical, %zu warning, %zu info; %zu rules checked%s (profile %s)\n",
		    color ? sev_color(fs->status == TWA_STATUS_CRITICAL ? TWA_SEV_CRITICAL :
				      fs->status == TWA_STATUS_WARNING ? TWA_SEV_WARNING :
				      TWA_SEV_OK) : "",
		    fs->status == TWA_STATUS_CRITICAL ? "CRITICAL" :
		    fs->status == TWA_STATUS_WARNING ? "WARNING" :
		    fs->status == TWA_STATUS_OK ? "OK" : "UNKNOWN", reset,
		    crit, warn, info, fs->n_checked, fs->n_not_judged ? not_judged : "",
		    fs->profile);
	return strbuf_failed(out) ? -ENOMEM : 0;
}
