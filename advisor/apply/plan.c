/* SPDX-License-Identifier: MIT */
/* plan.c - building, encoding, decoding and validating plans (pure). */
#include "advisor/apply/plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/jsondispatch.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"
#include "advisor/facts/proctext.h"
#include "advisor/facts/record.h"
#include "advisor/util/sha256.h"
#include "advisor/facts/sysctl_db.h"
#include "advisor/facts/sysctl_key.h"

void twa_plan_init(struct twa_plan *p)
{
	memset(p, 0, sizeof(*p));
}

void twa_plan_release(struct twa_plan *p)
{
	if (!p)
		return;
	free(p->changes);
	free(p->host_only);
	twa_plan_init(p);
}

static struct twa_plan_change *plan_find(const struct twa_plan *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->changes[i].key, key))
			return &p->changes[i];
	return NULL;
}

static int plan_add(struct twa_plan *p, const struct twa_plan_change *c)
{
	struct twa_plan_change *v;

	if (p->n >= TWA_PLAN_MAX_CHANGES)
		return -E2BIG;
	v = realloc(p->changes, (p->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->changes = v;
	v[p->n++] = *c;
	return 0;
}

/* A change the namespace cannot make: kept apart, once per key. */
static int plan_add_host_only(struct twa_plan *p, const struct twa_plan_change *c)
{
	struct twa_plan_change *v;
	size_t i;

	for (i = 0; i < p->n_host_only; i++)
		if (!strcmp(p->host_only[i].key, c->key))
			return 0;
	v = realloc(p->host_only, (p->n_host_only + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->host_only = v;
	v[p->n_host_only] = *c;
	twa_strlcpy(v[p->n_host_only].reason, "read-only in this network namespace (a host-global key): change it on the host, in the initial network namespace",
		    sizeof(v->reason));
	p->n_host_only++;
	return 0;
}

int twa_plan_from_findings(const struct twa_facts *f,
			   const struct twa_findings *fs, struct twa_plan *p,
			   struct twa_err *err)
{
	size_t i, k;

	twa_strlcpy(p->host, f->host.hostname, sizeof(p->host));
	twa_strlcpy(p->netns, f->host.netns, sizeof(p->netns));
	twa_strlcpy(p->profile, fs->profile, sizeof(p->profile));
	twa_strlcpy(p->created, f->host.time, sizeof(p->created));
	for (i = 0; i < fs->n; i++) {
		const struct twa_finding *fd = &fs->v[i];

		for (k = 0; k < fd->n_changes; k++) {
			const struct twa_change *ch = &fd->changes[k];
			const char *cur = twa_facts_sysctl(f, ch->key);
			struct twa_plan_change c;
			int r;

			if (plan_find(p, ch->key) || !cur ||
			    twa_sysctl_value_equal(cur, ch->to))
				continue;
			memset(&c, 0, sizeof(c));
			twa_strlcpy(c.key, ch->key, sizeof(c.key));
			if (twa_sysctl_value_copy(c.from, sizeof(c.from), cur) < 0 ||
			    twa_sysctl_value_copy(c.to, sizeof(c.to), ch->to) < 0)
				return twa_err_set(err, -EFBIG, "plan: %s: value longer than %d bytes",
						   ch->key, TWA_SYSCTL_VALUE_MAX);
			twa_strlcpy(c.rule, fd->rule, sizeof(c.rule));
			twa_strlcpy(c.reason, fd->summary, sizeof(c.reason));
			r = twa_facts_sysctl_readonly(f, ch->key) ? plan_add_host_only(p, &c) :
			    plan_add(p, &c);
			if (r < 0)
				return twa_err_set(err, r, "plan: %s", strerror(-r));
		}
	}
	twa_plan_fingerprint(p, false, p->fingerprint, sizeof(p->fingerprint));
	return 0;
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const struct twa_plan_change *const *)a)[0]->key,
		      ((const struct twa_plan_change *const *)b)[0]->key);
}

void twa_plan_fingerprint(const struct twa_plan *p, bool use_to, char *out,
			  size_t size)
{
	const struct twa_plan_change **sorted = calloc(p->n ? p->n : 1, sizeof(*sorted));
	struct twa_sha256 c;
	uint8_t d[32];
	char hex[65];
	size_t i;

	twa_sha256_init(&c);
	for (i = 0; sorted && i < p->n; i++)
		sorted[i] = &p->changes[i];
	if (sorted)
		qsort(sorted, p->n, sizeof(*sorted), cmp_change);
	for (i = 0; sorted && i < p->n; i++) {
		char v[TWA_SYSCTL_VALUE_SIZE];

		twa_sysctl_value_normalize(use_to ? sorted[i]->to : sorted[i]->from, v,
					   sizeof(v));
		twa_sha256_update(&c, sorted[i]->key, strlen(sorted[i]->key));
		twa_sha256_update(&c, "=", 1);
		twa_sha256_update(&c, v, strlen(v));
		twa_sha256_update(&c, "\n", 1);
	}
	free(sorted);
	twa_sha256_final(&c, d);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	snprintf(out, size, "sha256:%s", hex);
}

/* One change: the encoder and the decoder share this table. */
static const struct twa_field plan_change_fields[] = {
	TWA_FIELD(struct twa_plan_change, key, "key", NULL, TWA_F_STR),
	TWA_FIELD(struct twa_plan_change, from, "from", NULL, TWA_F_STR),
	TWA_FIELD(struct twa_plan_change, to, "to", NULL, TWA_F_STR),
	TWA_FIELD_MAYBE(struct twa_plan_change, rule, "rule", NULL, TWA_F_STR),
	TWA_FIELD_MAYBE(struct twa_plan_change, reason, "reason", NULL, TWA_F_STR),
	{ 0 },
};

json_object *twa_plan_to_json(const struct twa_plan *p)
{
	json_object *o = json_object_new_object(), *list = json_object_new_array();
	size_t i;

	json_object_object_add(o, "schema", json_object_new_string(TWA_PLAN_SCHEMA));
	json_object_object_add(o, "host", json_object_new_string(p->host));
	json_object_object_add(o, "netns", json_object_new_string(p->netns));
	json_object_object_add(o, "profile", json_object_new_string(p->profile));
	json_object_object_add(o, "created", json_object_new_string(p->created));
	json_object_object_add(o, "fingerprint", json_object_new_string(p->fingerprint));
	for (i = 0; i < p->n; i++)
		json_object_array_add(list, twa_rec_to_json(plan_change_fields,
							    &p->changes[i]));
	json_object_object_add(o, "changes", list);
	list = json_object_new_array();
	for (i = 0; i < p->n_host_only; i++)
		json_object_array_add(list, twa_rec_to_json(plan_change_fields,
							    &p->host_only[i]));
	json_object_object_add(o, "not_proposed", list);
	json_object_object_add(o, "netns_identity", p->has_ident ?
			       twa_plan_ident_json(p, &p->ident) : NULL);
	return o;
}

size_t twa_plan_fix_kv(const struct twa_plan *p, struct twa_nsfix_kv *v, size_t max)
{
	size_t i;

	for (i = 0; i < p->n && i < max; i++)
		v[i] = (struct twa_nsfix_kv){ p->changes[i].key, p->changes[i].to };
	return i;
}

json_object *twa_plan_ident_json(const struct twa_plan *p, const struct twa_ns_ident *id)
{
	json_object *o = twa_ns_ident_to_json(id, json_object_new_object());
	struct twa_nsfix_kv v[32];

	json_object_object_add(o, "ephemeral", json_object_new_boolean(twa_nsfix_ephemeral(id)));
	if (p)
		json_object_object_add(o, "lasting_fix",
				       twa_nsfix_spec_json(id, v, twa_plan_fix_kv(p, v, 32)));
	return o;
}

void twa_plan_write_ephemeral(const struct twa_plan *p, const struct twa_ns_ident *id,
			      struct strbuf *out)
{
	struct twa_nsfix_kv v[32];
	char label[256];

	if (!twa_nsfix_ephemeral(id))
		return;
	strbuf_addf(out, "ephemeral: %s belongs to %s; a sysctl written into its network namespace is lost when the container restarts\n",
		    id->path, twa_ns_ident_label(id, label, sizeof(label)));
	if (!p->n)
		return;
	strbuf_addstr(out, "the lasting fix, in the workload's own spec:\n");
	twa_nsfix_spec_text(id, v, twa_plan_fix_kv(p, v, 32), out);
}

int twa_plan_check_value(const char *key, const char *value, struct twa_err *err)
{
	const struct twa_sysctl_def *d = twa_sysctl_def_find(key);
	int64_t v;
	int r;

	r = twa_sysctl_value_check(value, err);
	if (r < 0)
		return r;
	if (!d)
		return 0;
	if (d->read_only)
		return twa_err_set(err, -EINVAL, "%s is read-only (a measurement)", key);
	switch (d->type) {
	case TWA_SYSCTL_INT:
		if (twa_parse_i64(value, strlen(value), &v) < 0)
			return twa_err_set(err, -EINVAL, "%s wants an integer, not '%.40s'", key, value);
		if (v < d->min || v > d->max)
			return twa_err_set(err, -EINVAL, "%s = %" PRId64 " is out of range [%" PRId64 ", %" PRId64 "]",
					   key, v, d->min, d->max);
		return 0;
	case TWA_SYSCTL_RANGE: {
		unsigned lo, hi;

		r = twa_port_range_parse(value, &lo, &hi, err);
		if (r < 0)
			twa_err_prefix(err, "%s", key);
		return r < 0 ? r : 0;
	}
	case TWA_SYSCTL_PORTLIST: {
		struct twa_portrange *pr = NULL;
		size_t n;

		r = twa_reserved_ports_parse(value, &pr, &n, err);
		free(pr);
		if (r < 0)
			twa_err_prefix(err, "%s", key);
		return r < 0 ? r : 0;
	}
	}
	return 0;
}

/* rule and reason are shown, never written to a file: any text (UTF-8
 * too) but one line without control characters. */
static int one_line(const char *text, struct twa_err *err)
{
	size_t i;

	for (i = 0; text[i]; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			return twa_err_set(err, -EINVAL, "rule or reason has a control character at byte %zu",
					   i + 1);
	return 0;
}

static int changes_from_json(json_object *list, const char *file, void *rec,
			     struct twa_err *err)
{
	struct twa_plan *p = rec;
	size_t i, n = json_object_array_length(list);
	int r;

	if (n > TWA_PLAN_MAX_CHANGES)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "plan has %zu changes, more than %d", n,
				      TWA_PLAN_MAX_CHANGES);
	for (i = 0; i < n; i++) {
		struct twa_plan_change c;
		char path[48];

		memset(&c, 0, sizeof(c));
		snprintf(path, sizeof(path), "changes[%zu]", i);
		r = twa_rec_from_json(plan_change_fields,
				      json_object_array_get_idx(list, i), &c, file,
				      path, err);
		if (r < 0)
			return r;
		if (twa_sysctl_key_check(c.key, err) < 0 ||
		    twa_sysctl_value_check(c.from, err) < 0 ||
		    twa_plan_check_value(c.key, c.to, err) < 0 ||
		    one_line(c.rule, err) < 0 || one_line(c.reason, err) < 0) {
			twa_err_prefix(err, "%s: %s", file, path);
			return twa_err_recode(err, -EBADMSG);
		}
		if (plan_find(p, c.key))
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "%s: %s appears twice", path, c.key);
		r = plan_add(p, &c);
		if (r < 0)
			return twa_err_set(err, r, "out of memory");
	}
	return 0;
}

#define PLAN(m) struct twa_plan, m

static const struct twa_json_field plan_fields[] = {
	TWA_JD_STR(PLAN(host), "host", false),
	TWA_JD_STR(PLAN(netns), "netns", false),
	TWA_JD_STR(PLAN(profile), "profile", false),
	TWA_JD_STR(PLAN(created), "created", false),
	TWA_JD_STR(PLAN(fingerprint), "fingerprint", false),
	TWA_JD_ARRAY("changes", true, changes_from_json),
	{ 0 },
};

/* The plan's own fields reach the persisted file's header and messages:
 * one printable line each, like values. */
static int plan_fields_check(const struct twa_plan *p, const char *file,
			     struct twa_err *err)
{
	const struct {
		const char *name, *text;
	} f[] = {
		{ "host", p->host }, { "netns", p->netns }, { "profile", p->profile },
		{ "created", p->created }, { "fingerprint", p->fingerprint },
	};
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (twa_text_line_check(f[i].text, TWA_SYSCTL_VALUE_MAX, err) < 0) {
			twa_err_prefix(err, "%s: %s", file, f[i].name);
			return twa_err_recode(err, -EBADMSG);
		}
	return 0;
}

int twa_plan_parse(const char *buf, size_t len, const char *file,
		   struct twa_plan *p, struct twa_err *err)
{
	json_object *o = NULL;
	int r;

	if (len > TWA_PLAN_MAX_BYTES)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "plan larger than %u bytes",
				      TWA_PLAN_MAX_BYTES);
	r = twa_json_parse(buf, len, file, &o, err);
	if (r < 0)
		return r;
	if (!json_object_is_type(o, json_type_object))
		r = twa_err_set_at(err, -EBADMSG, file, 0, 0, "a plan is a JSON object");
	else if ((r = twa_json_check_schema(o, file, "plan", TWA_PLAN_SCHEMA, err)) >= 0)
		r = twa_json_dispatch(o, plan_fields, file, "plan", p, err);
	if (r >= 0)
		r = plan_fields_check(p, file, err);
	json_object_put(o);
	return r < 0 ? r : 0;
}

enum twa_change_state twa_plan_change_state(const struct twa_plan_change *c,
					    const char *current)
{
	if (!current)
		return TWA_CHANGE_ABSENT;
	if (twa_sysctl_value_equal(current, c->to))
		return TWA_CHANGE_DONE;
	if (twa_sysctl_value_equal(current, c->from))
		return TWA_CHANGE_PENDING;
	return TWA_CHANGE_DRIFTED;
}

static void write_host_only(const struct twa_plan *p, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < p->n_host_only; i++)
		strbuf_addf(out, "  not proposed: %s %s -> %s (%s): read-only in this network namespace; change it on the host\n",
			    p->host_only[i].key, p->host_only[i].from, p->host_only[i].to,
			    p->host_only[i].rule);
}

int twa_plan_write_text(const struct twa_plan *p, struct strbuf *out)
{
	size_t i;

	if (!p->n) {
		if (p->n_host_only)
			strbuf_addf(out, "nothing this network namespace can change (profile '%s')\n",
				    p->profile);
		else
			strbuf_addf(out, "nothing to change: %s meets profile '%s'\n",
				    p->host[0] ? p->host : "this host", p->profile);
		write_host_only(p, out);
		return strbuf_failed(out) ? -ENOMEM : 0;
	}
	strbuf_addf(out, "plan for %s (%s), profile %s: %zu change%s\n", p->host, p->netns,
		    p->profile, p->n, p->n == 1 ? "" : "s");
	for (i = 0; i < p->n; i++) {
		char from[TWA_SYSCTL_VALUE_SIZE], to[TWA_SYSCTL_VALUE_SIZE];

		twa_sysctl_value_display(p->changes[i].from, from, sizeof(from));
		twa_sysctl_value_display(p->changes[i].to, to, sizeof(to));
		strbuf_addf(out, "  %-36s %s -> %s\n", p->changes[i].key, from, to);
		strbuf_addf(out, "  %-36s   (%s: %.160s)\n", "", p->changes[i].rule,
			    p->changes[i].reason);
		if (twa_sysctl_key_host_wide(p->changes[i].key))
			strbuf_addf(out, "  %-36s   host-wide: outside net., one value for the whole host even inside a network namespace ('apply --netns' refuses it)\n",
				    "");
	}
	write_host_only(p, out);
	if (p->has_ident)
		twa_plan_write_ephemeral(p, &p->ident, out);
	return strbuf_failed(out) ? -ENOMEM : 0;
}
