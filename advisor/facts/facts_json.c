/* SPDX-License-Identifier: MIT */
/* facts_json.c - encoding and decoding twadvise.facts/1. */
#include "advisor/facts/facts_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/jsondispatch.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"
#include "advisor/facts/proctext.h"

const struct twa_field twa_destination_fields[] = {
	TWA_FIELD(struct twa_destination, local, "local", "LOCAL", TWA_F_STR),
	TWA_FIELD(struct twa_destination, remote, "remote", "REMOTE", TWA_F_STR),
	TWA_FIELD(struct twa_destination, remote_port, "remote_port", "PORT", TWA_F_UINT),
	TWA_FIELD(struct twa_destination, in_use, "in_use", "IN USE", TWA_F_U64),
	TWA_FIELD(struct twa_destination, share, "share", "SHARE", TWA_F_SHARE),
	TWA_FIELD(struct twa_destination, time_wait, "time_wait", "TIME_WAIT", TWA_F_U64),
	/* Optional when decoding: older facts lack them (loopback is then
	 * derived from the addresses, below). */
	TWA_FIELD_OPT(struct twa_destination, tw_recent, have_tw_recent, "tw_recent",
		      NULL, TWA_F_U64),
	TWA_FIELD_OPT(struct twa_destination, loopback, have_loopback, "loopback",
		      NULL, TWA_F_BOOL),
	TWA_FIELD_OPT(struct twa_destination, bind_held, have_bind_held, "bind_held",
		      NULL, TWA_F_U64),
	TWA_FIELD_OPT(struct twa_destination, close_rate, have_rate, "close_rate",
		      "CLOSES/S", TWA_F_DOUBLE),
	TWA_FIELD_OPT(struct twa_destination, projected_time_wait, have_rate,
		      "projected_time_wait", "PROJECTED TW", TWA_F_DOUBLE),
	{ 0 },
};

const struct twa_field twa_listener_fields[] = {
	TWA_FIELD(struct twa_listener, local, "local", "LOCAL", TWA_F_STR),
	TWA_FIELD(struct twa_listener, port, "port", "PORT", TWA_F_UINT),
	TWA_FIELD(struct twa_listener, queue, "queue", "QUEUE", TWA_F_U64),
	TWA_FIELD(struct twa_listener, backlog, "backlog", "BACKLOG", TWA_F_I64_OPT),
	TWA_FIELD_MAYBE(struct twa_listener, syn_recv, "syn_recv", "SYN_RECV", TWA_F_U64),
	TWA_FIELD(struct twa_listener, in_ephemeral_range, "in_ephemeral_range",
		  "EPHEMERAL", TWA_F_BOOL),
	TWA_FIELD(struct twa_listener, process, "process", "PROCESS", TWA_F_PROCESS),
	{ 0 },
};

/* JSON only: the text and report writers show overrides their own way. */
const struct twa_field twa_boot_override_fields[] = {
	TWA_FIELD(struct twa_boot_override, key, "key", NULL, TWA_F_STR),
	TWA_FIELD(struct twa_boot_override, ours, "ours", NULL, TWA_F_STR),
	TWA_FIELD(struct twa_boot_override, theirs, "theirs", NULL, TWA_F_STR),
	TWA_FIELD(struct twa_boot_override, file, "file", NULL, TWA_F_STR),
	{ 0 },
};

const struct twa_field twa_owner_fields[] = {
	TWA_FIELD(struct twa_owner, pid, "pid", "PID", TWA_F_INT),
	TWA_FIELD(struct twa_owner, comm, "comm", "COMMAND", TWA_F_STR),
	TWA_FIELD(struct twa_owner, count, "count", "CLOSE_WAIT", TWA_F_U64),
	{ 0 },
};

static json_object *named_to_json(const struct twa_named_vec *v)
{
	json_object *o = json_object_new_object();
	size_t i;

	for (i = 0; i < v->n; i++)
		json_object_object_add(o, v->v[i].name,
				       json_object_new_int64(v->v[i].value));
	return o;
}

static json_object *rates_to_json(const struct twa_rate_vec *v)
{
	json_object *o = json_object_new_object();
	size_t i;

	for (i = 0; i < v->n; i++)
		json_object_object_add(o, v->v[i].name, twa_json_double(v->v[i].per_sec));
	return o;
}

static json_object *states_to_json(const uint64_t *states)
{
	json_object *o = json_object_new_object();
	unsigned s;

	for (s = 1; s < TWA_TCP_STATE_MAX; s++)
		json_object_object_add(o, twa_tcp_state_name(s),
				       json_object_new_int64((int64_t)states[s]));
	return o;
}

static json_object *records_to_json(const struct twa_field *fields,
				    const void *recs, size_t n, size_t stride)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, twa_rec_to_json(fields,
					(const char *)recs + i * stride));
	return a;
}

static json_object *sockets_to_json(const struct twa_facts *f)
{
	const struct twa_sockets *s = &f->sockets;
	json_object *o = json_object_new_object(), *fam, *skipped;
	uint64_t both[TWA_TCP_STATE_MAX];
	unsigned st;

	for (st = 0; st < TWA_TCP_STATE_MAX; st++)
		both[st] = s->states[TWA_FAM_INET][st] + s->states[TWA_FAM_INET6][st];
	json_object_object_add(o, "source", json_object_new_string(s->source));
	if (s->fallback[0])
		json_object_object_add(o, "fallback", json_object_new_string(s->fallback));
	json_object_object_add(o, "total", json_object_new_int64((int64_t)twa_facts_total(f)));
	json_object_object_add(o, "states", states_to_json(both));
	fam = json_object_new_object();
	json_object_object_add(fam, "inet", states_to_json(s->states[TWA_FAM_INET]));
	json_object_object_add(fam, "inet6", states_to_json(s->states[TWA_FAM_INET6]));
	json_object_object_add(o, "families", fam);
	json_object_object_add(o, "fin_wait2_orphans",
			       json_object_new_int64((int64_t)s->fin_wait2_orphans));
	json_object_object_add(o, "fin_wait2_orphans_local_peer",
			       json_object_new_int64((int64_t)s->fin_wait2_orphans_local_peer));
	json_object_object_add(o, "fin_wait1_orphans",
			       json_object_new_int64((int64_t)s->fin_wait1_orphans));
	skipped = json_object_new_array();
	for (st = 1; st < TWA_TCP_STATE_MAX; st++)
		if (s->skipped & TWA_TCPF(st))
			json_object_array_add(skipped,
					      json_object_new_string(twa_tcp_state_name(st)));
	json_object_object_add(o, "skipped", skipped);
	return o;
}

/* Ports whose bind bucket connect() skips (additive, optional). */
static json_object *bind_to_json(const struct twa_ephemeral *e)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "ports", json_object_new_int64((int64_t)e->bind_ports));
	json_object_object_add(o, "listener_ports",
			       json_object_new_int64((int64_t)e->listener_ports));
	if (e->bind_searched)
		json_object_object_add(o, "owners",
				       records_to_json(twa_owner_fields, e->bind_owners,
						       e->n_bind_owners,
						       sizeof(*e->bind_owners)));
	return o;
}

static json_object *ephemeral_to_json(const struct twa_ephemeral *e)
{
	json_object *o = json_object_new_object(), *res = json_object_new_array();
	size_t i;

	json_object_object_add(o, "low", json_object_new_int64(e->low));
	json_object_object_add(o, "high", json_object_new_int64(e->high));
	for (i = 0; i < e->n_reserved; i++) {
		char buf[16];

		if (e->reserved[i].lo == e->reserved[i].hi)
			snprintf(buf, sizeof(buf), "%u", e->reserved[i].lo);
		else
			snprintf(buf, sizeof(buf), "%u-%u", e->reserved[i].lo,
				 e->reserved[i].hi);
		json_object_array_add(res, json_object_new_string(buf));
	}
	json_object_object_add(o, "reserved", res);
	json_object_object_add(o, "usable", json_object_new_int64(e->usable));
	json_object_object_add(o, "complete", json_object_new_boolean(e->dumped));
	if (!e->dumped)
		json_object_object_add(o, "bound", json_object_new_int64((int64_t)e->bound));
	json_object_object_add(o, "destinations",
			       records_to_json(twa_destination_fields, e->dest,
					       e->n_dest, sizeof(*e->dest)));
	json_object_object_add(o, "time_wait", json_object_new_int64((int64_t)e->time_wait));
	json_object_object_add(o, "destinations_total",
			       json_object_new_int64((int64_t)e->dest_total));
	json_object_object_add(o, "untracked",
			       json_object_new_int64((int64_t)e->untracked));
	if (e->have_bind)
		json_object_object_add(o, "bind_before_connect", bind_to_json(e));
	return o;
}

static json_object *rates_group_to_json(const struct twa_rates *r)
{
	json_object *o = json_object_new_object(), *series = json_object_new_array();
	size_t i;

	json_object_object_add(o, "samples", json_object_new_int64(r->samples));
	json_object_object_add(o, "interval", twa_json_double(r->interval));
	json_object_object_add(o, "elapsed", twa_json_double(r->elapsed));
	json_object_object_add(o, "counters", rates_to_json(&r->counters));
	json_object_object_add(o, "states", rates_to_json(&r->states));
	for (i = 0; i < r->n_series; i++) {
		json_object *s = json_object_new_object();

		json_object_object_add(s, "t", twa_json_double(r->series[i].t));
		json_object_object_add(s, "states", states_to_json(r->series[i].states));
		json_object_array_add(series, s);
	}
	json_object_object_add(o, "series", series);
	return o;
}

static json_object *boot_to_json(const struct twa_boot *b)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "file", json_object_new_string(b->file));
	json_object_object_add(o, "overrides",
			       records_to_json(twa_boot_override_fields, b->overrides,
					       b->n_overrides, sizeof(*b->overrides)));
	return o;
}

/* {"state": "valid", "previous_time", "interval_seconds", "deltas": {...}}
 * or {"state": "none|reboot|reset|disabled"}. */
static json_object *history_to_json(const struct twa_history_view *h)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "state", json_object_new_string(twa_history_state_name(h->state)));
	if (h->state != TWA_HISTORY_VALID)
		return o;
	json_object_object_add(o, "previous_time", json_object_new_string(h->previous_time));
	json_object_object_add(o, "interval_seconds", twa_json_double(h->interval));
	json_object_object_add(o, "deltas", named_to_json(&h->deltas));
	return o;
}

static json_object *str_or_null(const char *s)
{
	return s[0] ? json_object_new_string(s) : NULL;
}

/* Searched, or nothing to search (no CLOSE_WAIT socket): the owners, the
 * unattributed count and the unreadable processes; null when CLOSE_WAIT
 * sockets exist but their owners were not looked up. */
static void close_wait_to_json(const struct twa_facts *f, json_object *o)
{
	bool known = f->close_wait.searched ||
		     (f->sockets.present && !twa_facts_state(f, TWA_TCP_CLOSE_WAIT));

	json_object_object_add(o, "close_wait_owners", !known ? NULL :
			       records_to_json(twa_owner_fields, f->close_wait.v,
					       f->close_wait.n, sizeof(*f->close_wait.v)));
	json_object_object_add(o, "close_wait_unattributed", !known ? NULL :
			       json_object_new_int64((int64_t)f->close_wait.unattributed));
	json_object_object_add(o, "processes_unreadable", !known ? NULL :
			       json_object_new_int64(f->close_wait.unreadable));
}

json_object *twa_facts_to_json(const struct twa_facts *f)
{
	json_object *o = json_object_new_object(), *h, *src, *sys;
	size_t i;

	if (!o)
		return NULL;
	json_object_object_add(o, "schema", json_object_new_string(TWA_FACTS_SCHEMA));
	h = json_object_new_object();
	json_object_object_add(h, "hostname", json_object_new_string(f->host.hostname));
	json_object_object_add(h, "kernel", json_object_new_string(f->host.kernel));
	json_object_object_add(h, "netns", json_object_new_string(f->host.netns));
	json_object_object_add(h, "time", json_object_new_string(f->host.time));
	json_object_object_add(h, "boot_id", str_or_null(f->host.boot_id));
	json_object_object_add(h, "machine_id", str_or_null(f->host.machine_id));
	json_object_object_add(o, "host", h);
	src = json_object_new_object();
	json_object_object_add(src, "sockets", str_or_null(f->sockets.present ?
							    f->sockets.source : ""));
	json_object_object_add(src, "sockstat", str_or_null(f->sources.sockstat));
	json_object_object_add(src, "counters", str_or_null(f->sources.counters));
	json_object_object_add(src, "sysctls", str_or_null(f->sources.sysctls));
	json_object_object_add(src, "owners", str_or_null(f->sources.owners));
	json_object_object_add(o, "sources", src);
	/* Every member is always there: null when it was not gathered. */
	json_object_object_add(o, "sockets", f->sockets.present ? sockets_to_json(f) : NULL);
	json_object_object_add(o, "sockstat",
			       f->have_sockstat ? named_to_json(&f->sockstat) : NULL);
	json_object_object_add(o, "counters", named_to_json(&f->counters));
	sys = json_object_new_object();
	for (i = 0; i < f->n_sysctls; i++)
		json_object_object_add(sys, f->sysctls[i].key,
				       json_object_new_string(f->sysctls[i].value));
	json_object_object_add(o, "sysctls", sys);
	sys = json_object_new_array();
	for (i = 0; i < f->n_sysctls; i++)
		if (f->sysctls[i].readonly)
			json_object_array_add(sys, json_object_new_string(f->sysctls[i].key));
	/* Keys this namespace cannot write (host-global ones in a child). */
	json_object_object_add(o, "sysctls_readonly", sys);
	json_object_object_add(o, "ephemeral", f->ephemeral.present ?
			       ephemeral_to_json(&f->ephemeral) : NULL);
	json_object_object_add(o, "listeners", f->have_listeners ?
			       records_to_json(twa_listener_fields, f->listeners,
					       f->n_listeners, sizeof(*f->listeners)) : NULL);
	close_wait_to_json(f, o);
	json_object_object_add(o, "rates", f->rates.present ?
			       rates_group_to_json(&f->rates) : NULL);
	json_object_object_add(o, "history", f->history.state != TWA_HISTORY_UNSET ?
			       history_to_json(&f->history) : NULL);
	json_object_object_add(o, "boot", f->boot.present ? boot_to_json(&f->boot) : NULL);
	/* Only when tracing was asked for (check/report --trace): additive. */
	if (f->trace.requested)
		json_object_object_add(o, "trace", twa_trace_to_json(&f->trace));
	return o;
}

/* ---- decoding ---------------------------------------------------------- */

/* The tables below run in document order: the first row that fails is the
 * message the user sees, so their order is part of the format. */
#define FACT(m) struct twa_facts, m
#define FACTS(rec) ((struct twa_facts *)(rec))

static int named_from_json(json_object *o, const char *file, const char *path,
			   struct twa_named_vec *out, struct twa_err *err)
{
	json_object_object_foreach(o, key, val) {
		char sub[128];
		int64_t v;
		int r;

		snprintf(sub, sizeof(sub), "%s.%.64s", path, key);
		if (strlen(key) >= sizeof(out->v->name))
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "%s: name too long", sub);
		r = twa_json_as_i64(val, file, sub, INT64_MIN, INT64_MAX, &v, err);
		if (r < 0)
			return r;
		if (twa_named_set(out, key, v) < 0)
			return twa_err_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

static int states_from_json(json_object *o, const char *file, const char *path,
			    uint64_t *states, struct twa_err *err)
{
	json_object_object_foreach(o, key, val) {
		unsigned st = twa_tcp_state_from_name(key);
		char sub[128];
		int64_t v;
		int r;

		snprintf(sub, sizeof(sub), "%s.%.64s", path, key);
		if (!st)
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "%s: unknown TCP state", sub);
		r = twa_json_as_i64(val, file, sub, 0, INT64_MAX, &v, err);
		if (r < 0)
			return r;
		states[st] = (uint64_t)v;
	}
	return 0;
}

static int records_from_json(json_object *a, const struct twa_field *fields,
			     size_t stride, size_t max, const char *file,
			     const char *what, void **ret, size_t *ret_n,
			     struct twa_err *err)
{
	size_t n = json_object_array_length(a), i;
	char *recs;
	int r;

	if (n > max)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "%s: more than %zu entries", what, max);
	recs = calloc(n ? n : 1, stride);
	if (!recs)
		return twa_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		char path[96];

		snprintf(path, sizeof(path), "%s[%zu]", what, i);
		r = twa_rec_from_json(fields, json_object_array_get_idx(a, i),
				      recs + i * stride, file, path, err);
		if (r < 0) {
			free(recs);
			return r;
		}
	}
	*ret = recs;
	*ret_n = n;
	return 0;
}

static const struct twa_json_field host_fields[] = {
	TWA_JD_STR(FACT(host.hostname), "hostname", false),
	TWA_JD_STR(FACT(host.kernel), "kernel", false),
	TWA_JD_STR(FACT(host.netns), "netns", false),
	TWA_JD_STR(FACT(host.time), "time", false),
	TWA_JD_STR(FACT(host.boot_id), "boot_id", false),
	TWA_JD_STR(FACT(host.machine_id), "machine_id", false),
	{ 0 },
};

/* "sources.sockets" is sockets.source again: read there. */
static const struct twa_json_field sources_fields[] = {
	TWA_JD_STR(FACT(sources.sockstat), "sockstat", false),
	TWA_JD_STR(FACT(sources.counters), "counters", false),
	TWA_JD_STR(FACT(sources.sysctls), "sysctls", false),
	TWA_JD_STR(FACT(sources.owners), "owners", false),
	{ 0 },
};

/* ---- sockets ---- */

static int inet_from_json(json_object *v, const char *file, void *rec,
			  struct twa_err *err)
{
	return states_from_json(v, file, "sockets.families.inet",
				FACTS(rec)->sockets.states[TWA_FAM_INET], err);
}

static int inet6_from_json(json_object *v, const char *file, void *rec,
			   struct twa_err *err)
{
	return states_from_json(v, file, "sockets.families.inet6",
				FACTS(rec)->sockets.states[TWA_FAM_INET6], err);
}

/* Per family when present: more precise than the sum. */
static const struct twa_json_field families_fields[] = {
	TWA_JD_OBJECT("inet", true, inet_from_json),
	TWA_JD_OBJECT("inet6", true, inet6_from_json),
	{ 0 },
};

static int skipped_from_json(json_object *a, const char *file, void *rec,
			     struct twa_err *err)
{
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++) {
		json_object *e = json_object_array_get_idx(a, i);
		unsigned st = json_object_is_type(e, json_type_string) ?
			      twa_tcp_state_from_name(json_object_get_string(e)) : 0;

		if (!st)
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "sockets.skipped[%zu]: not a TCP state name", i);
		FACTS(rec)->sockets.skipped |= TWA_TCPF(st);
	}
	return 0;
}

static const struct twa_json_field sockets_head_fields[] = {
	TWA_JD_STR(FACT(sockets.source), "source", true),
	TWA_JD_STR(FACT(sockets.fallback), "fallback", false),
	{ 0 },
};

static const struct twa_json_field sockets_tail_fields[] = {
	TWA_JD_INT(FACT(sockets.fin_wait2_orphans), "fin_wait2_orphans", false,
		   0, INT64_MAX),
	TWA_JD_INT(FACT(sockets.fin_wait2_orphans_local_peer), "fin_wait2_orphans_local_peer",
		   false, 0, INT64_MAX),
	TWA_JD_INT(FACT(sockets.fin_wait1_orphans), "fin_wait1_orphans", false, 0, INT64_MAX),
	TWA_JD_ARRAY("skipped", false, skipped_from_json),
	{ 0 },
};

/* Between the head and the tail: "families", or else the sum "states"
 * (required then, and kept as inet). */
static int sockets_from_json(json_object *o, const char *file, void *rec,
			     struct twa_err *err)
{
	json_object *fam = NULL, *states = NULL;
	int r;

	if ((r = twa_json_dispatch(o, sockets_head_fields, file, "sockets", rec, err)) < 0 ||
	    (r = twa_json_get_obj(o, "families", false, file, "sockets", &fam, err)) < 0)
		return r;
	if (fam)
		r = twa_json_dispatch(fam, families_fields, file, "sockets.families",
				      rec, err);
	else if ((r = twa_json_get_obj(o, "states", true, file, "sockets", &states,
				       err)) >= 0)
		r = states_from_json(states, file, "sockets.states",
				     FACTS(rec)->sockets.states[TWA_FAM_INET], err);
	if (r < 0)
		return r;
	return twa_json_dispatch(o, sockets_tail_fields, file, "sockets", rec, err);
}

/* ---- named values and sysctls ---- */

static int sockstat_from_json(json_object *v, const char *file, void *rec,
			      struct twa_err *err)
{
	return named_from_json(v, file, "sockstat", &FACTS(rec)->sockstat, err);
}

static int counters_from_json(json_object *v, const char *file, void *rec,
			      struct twa_err *err)
{
	return named_from_json(v, file, "counters", &FACTS(rec)->counters, err);
}

static int sysctls_from_json(json_object *v, const char *file, void *rec,
			     struct twa_err *err)
{
	json_object_object_foreach(v, key, val) {
		if (!json_object_is_type(val, json_type_string) &&
		    !json_object_is_type(val, json_type_int))
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "sysctls.%.96s: expected a string", key);
		if (strlen(key) > 95 || strlen(json_object_get_string(val)) > 4095)
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "sysctls.%.96s: name or value too long", key);
		if (twa_facts_set_sysctl(FACTS(rec), key, json_object_get_string(val)) < 0)
			return twa_err_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

/* "sysctls_readonly": keys of "sysctls" nobody may write in that
 * namespace; names of absent keys are ignored. */
static int readonly_from_json(json_object *v, const char *file, void *rec,
			      struct twa_err *err)
{
	struct twa_facts *f = FACTS(rec);
	size_t i, k, n = json_object_array_length(v);

	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(v, i);

		if (!json_object_is_type(e, json_type_string))
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "sysctls_readonly[%zu]: expected a key", i);
		for (k = 0; k < f->n_sysctls; k++)
			if (!strcmp(f->sysctls[k].key, json_object_get_string(e)))
				f->sysctls[k].readonly = true;
	}
	return 0;
}

/* ---- ephemeral ---- */

static int ephemeral_range_check(json_object *v, const char *file, void *rec,
				 struct twa_err *err)
{
	const struct twa_ephemeral *e = &FACTS(rec)->ephemeral;

	(void)v;
	if (e->low > e->high)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "ephemeral: low %u is above high %u",
				      e->low, e->high);
	return 0;
}

/* ["PORT" or "LOW-HIGH" or PORT, ...]: the ip_local_reserved_ports list. */
static int reserved_from_json(json_object *res, const char *file, void *rec,
			      struct twa_err *err)
{
	struct twa_ephemeral *e = &FACTS(rec)->ephemeral;
	struct strbuf list = STRBUF_INIT;
	size_t i;
	int r;

	if (!json_object_array_length(res))
		return 0;
	for (i = 0; i < json_object_array_length(res); i++) {
		json_object *it = json_object_array_get_idx(res, i);

		if (!json_object_is_type(it, json_type_string) &&
		    !json_object_is_type(it, json_type_int)) {
			strbuf_release(&list);
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "ephemeral.reserved[%zu]: expected \"PORT\" or \"LOW-HIGH\"", i);
		}
		strbuf_addf(&list, "%s%s", i ? "," : "", json_object_get_string(it));
	}
	r = twa_reserved_ports_parse(list.buf, &e->reserved, &e->n_reserved, err);
	strbuf_release(&list);
	if (r < 0)
		twa_err_prefix(err, "%s: ephemeral.reserved", file);
	return r;
}

static int destinations_from_json(json_object *a, const char *file, void *rec,
				  struct twa_err *err)
{
	struct twa_ephemeral *e = &FACTS(rec)->ephemeral;
	size_t i;
	int r;

	r = records_from_json(a, twa_destination_fields, sizeof(*e->dest),
			      100000, file, "ephemeral.destinations",
			      (void **)&e->dest, &e->n_dest, err);
	if (r < 0)
		return r;
	for (i = 0; i < e->n_dest; i++) {
		if (e->dest[i].remote_port > 65535)
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "ephemeral.destinations[%zu].remote_port: %u is not a port",
					      i, e->dest[i].remote_port);
		e->dest[i].family = strchr(e->dest[i].remote, ':') ?
				    TWA_AF_INET6 : TWA_AF_INET;
		if (!e->dest[i].have_loopback)
			e->dest[i].loopback =
				twa_addr_text_is_loopback(e->dest[i].local) ||
				twa_addr_text_is_loopback(e->dest[i].remote);
		e->dest[i].have_loopback = true;
	}
	if (!e->dest_total)
		e->dest_total = e->n_dest;
	return 0;
}

static int bind_owners_from_json(json_object *v, const char *file, void *rec,
				 struct twa_err *err)
{
	struct twa_ephemeral *e = &FACTS(rec)->ephemeral;

	return records_from_json(v, twa_owner_fields, sizeof(*e->bind_owners), 100000,
				 file, "ephemeral.bind_before_connect.owners",
				 (void **)&e->bind_owners, &e->n_bind_owners, err);
}

static const struct twa_json_field bind_fields[] = {
	TWA_JD_INT(FACT(ephemeral.bind_ports), "ports", true, 0, 65536),
	TWA_JD_INT(FACT(ephemeral.listener_ports), "listener_ports", false, 0, 65536),
	{ .key = "owners", .type = TWA_JSON_ARRAY, .fn = bind_owners_from_json,
	  .have_off = offsetof(struct twa_facts, ephemeral.bind_searched) },
	{ 0 },
};

static const struct twa_json_field ephemeral_fields[] = {
	TWA_JD_INT(FACT(ephemeral.low), "low", true, 1, 65535),
	{ .key = "high", .type = TWA_JSON_INT, .required = true,
	  .off = offsetof(struct twa_facts, ephemeral.high),
	  .size = sizeof(unsigned), .min = 1, .max = 65535,
	  .fn = ephemeral_range_check },
	TWA_JD_ARRAY("reserved", false, reserved_from_json),
	TWA_JD_BOOL(FACT(ephemeral.dumped), "complete", false),
	TWA_JD_INT(FACT(ephemeral.bound), "bound", false, 0, INT64_MAX),
	TWA_JD_INT(FACT(ephemeral.dest_total), "destinations_total", false, 0, INT64_MAX),
	TWA_JD_INT(FACT(ephemeral.untracked), "untracked", false, 0, INT64_MAX),
	TWA_JD_INT(FACT(ephemeral.time_wait), "time_wait", false, 0, INT64_MAX),
	TWA_JD_ARRAY("destinations", false, destinations_from_json),
	{ .key = "bind_before_connect", .type = TWA_JSON_NESTED, .sub = bind_fields,
	  .have_off = offsetof(struct twa_facts, ephemeral.have_bind) },
	{ 0 },
};

static int ephemeral_from_json(json_object *o, const char *file, void *rec,
			       struct twa_err *err)
{
	struct twa_ephemeral *e = &FACTS(rec)->ephemeral;
	int r;

	e->dumped = true;	/* "complete" is absent from older documents */
	r = twa_json_dispatch(o, ephemeral_fields, file, "ephemeral", rec, err);
	if (r < 0)
		return r;
	e->usable = twa_usable_ports(e->low, e->high, e->reserved, e->n_reserved);
	return 0;
}

/* ---- listeners and CLOSE_WAIT owners ---- */

static int listeners_from_json(json_object *v, const char *file, void *rec,
			       struct twa_err *err)
{
	struct twa_facts *f = FACTS(rec);
	size_t i;
	int r;

	r = records_from_json(v, twa_listener_fields, sizeof(*f->listeners),
			      1000000, file, "listeners", (void **)&f->listeners,
			      &f->n_listeners, err);
	if (r < 0)
		return r;
	f->alloc_listeners = f->n_listeners;
	for (i = 0; i < f->n_listeners; i++) {
		if (f->listeners[i].port > 65535)
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "listeners[%zu].port: %u is not a port",
					      i, f->listeners[i].port);
		f->listeners[i].family = strchr(f->listeners[i].local, ':') ?
					 TWA_AF_INET6 : TWA_AF_INET;
	}
	return 0;
}

static int owners_from_json(json_object *v, const char *file, void *rec,
			    struct twa_err *err)
{
	struct twa_owners *cw = &FACTS(rec)->close_wait;

	return records_from_json(v, twa_owner_fields, sizeof(*cw->v), 100000,
				 file, "close_wait_owners", (void **)&cw->v,
				 &cw->n, err);
}

/* ---- rates ---- */

static int rate_counters_from_json(json_object *c, const char *file,
				   void *rec, struct twa_err *err)
{
	json_object_object_foreach(c, key, val) {
		if (!json_object_is_type(val, json_type_double) &&
		    !json_object_is_type(val, json_type_int))
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "rates.counters.%.64s: expected a number", key);
		if (strlen(key) >= 64)
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "rates.counters: name too long");
		if (twa_rate_add(&FACTS(rec)->rates.counters, key,
				 json_object_get_double(val)) < 0)
			return twa_err_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

/* rates.states and rates.series: the state counts of every sample, which
 * the HTML report charts over time. Their types were checked by the
 * table; their contents are read after both. */
static int rates_series_from_json(json_object *v, const char *file,
				  struct twa_rates *rt, struct twa_err *err)
{
	json_object *st = NULL, *series = NULL;
	size_t i, n;
	int r;

	json_object_object_get_ex(v, "states", &st);
	json_object_object_get_ex(v, "series", &series);
	if (st) {
		json_object_object_foreach(st, key, val) {
			if (!twa_tcp_state_from_name(key) ||
			    (!json_object_is_type(val, json_type_double) &&
			     !json_object_is_type(val, json_type_int)))
				return twa_err_set_at(err, -EBADMSG, file, 0, 0,
						      "rates.states.%.64s: expected a TCP state and a number", key);
			if (twa_rate_add(&rt->states, key, json_object_get_double(val)) < 0)
				return twa_err_set(err, -ENOMEM, "out of memory");
		}
	}
	n = series ? json_object_array_length(series) : 0;
	if (!n)
		return 0;
	if (n > 100000)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "rates.series: more than 100000 samples");
	rt->series = calloc(n, sizeof(*rt->series));
	if (!rt->series)
		return twa_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(series, i), *states = NULL;
		char path[64];

		snprintf(path, sizeof(path), "rates.series[%zu]", i);
		if (!json_object_is_type(e, json_type_object))
			return twa_err_set_at(err, -EBADMSG, file, 0, 0, "%s: expected an object", path);
		if ((r = twa_json_get_double(e, "t", true, file, path, &rt->series[i].t, err)) < 0 ||
		    (r = twa_json_get_obj(e, "states", true, file, path, &states, err)) < 0)
			return r;
		snprintf(path, sizeof(path), "rates.series[%zu].states", i);
		if ((r = states_from_json(states, file, path, rt->series[i].states, err)) < 0)
			return r;
		rt->n_series = i + 1;
	}
	return 0;
}

static const struct twa_json_field rates_fields[] = {
	TWA_JD_INT(FACT(rates.samples), "samples", false, 0, 1000000),
	TWA_JD_DOUBLE(FACT(rates.interval), "interval", false),
	TWA_JD_DOUBLE(FACT(rates.elapsed), "elapsed", false),
	TWA_JD_OBJECT("counters", false, rate_counters_from_json),
	TWA_JD_OBJECT("states", false, NULL),
	TWA_JD_ARRAY("series", false, NULL),
	{ 0 },
};

static int rates_from_json(json_object *v, const char *file, void *rec,
			   struct twa_err *err)
{
	int r = twa_json_dispatch(v, rates_fields, file, "rates", rec, err);

	return r < 0 ? r : rates_series_from_json(v, file, &FACTS(rec)->rates, err);
}

/* ---- boot: {"file": ..., "overrides": [{"key", "ours", "theirs", "file"}]} ---- */

static int overrides_from_json(json_object *a, const char *file, void *rec,
			       struct twa_err *err)
{
	struct twa_boot *b = &FACTS(rec)->boot;

	return records_from_json(a, twa_boot_override_fields,
				 sizeof(*b->overrides), 10000, file,
				 "boot.overrides", (void **)&b->overrides,
				 &b->n_overrides, err);
}

static const struct twa_json_field boot_fields[] = {
	TWA_JD_STR(FACT(boot.file), "file", false),
	TWA_JD_ARRAY("overrides", false, overrides_from_json),
	{ 0 },
};

/* ---- history: recorded facts carry their own "since the last run" ---- */

static int history_deltas_from_json(json_object *v, const char *file, void *rec,
				    struct twa_err *err)
{
	return named_from_json(v, file, "history.deltas", &FACTS(rec)->history.deltas, err);
}

static const struct twa_json_field history_fields[] = {
	TWA_JD_STR(FACT(history.previous_time), "previous_time", false),
	TWA_JD_DOUBLE(FACT(history.interval), "interval_seconds", false),
	TWA_JD_OBJECT("deltas", false, history_deltas_from_json),
	{ 0 },
};

static int history_from_json(json_object *v, const char *file, void *rec,
			     struct twa_err *err)
{
	struct twa_history_view *h = &FACTS(rec)->history;
	char state[16] = "";
	int r;

	r = twa_json_get_str(v, "state", false, file, "history", state, sizeof(state), err);
	if (r < 0)
		return r;
	r = twa_json_dispatch(v, history_fields, file, "history", rec, err);
	if (r < 0)
		return r;
	/* The state may be left out when the deltas are there. */
	if (!state[0])
		h->state = h->previous_time[0] ? TWA_HISTORY_VALID : TWA_HISTORY_NONE;
	else if (twa_history_state_from_name(state, &h->state) < 0)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "history.state: '%s' is not none, valid, reboot, reset or disabled",
				      state);
	if (h->state == TWA_HISTORY_VALID && !(h->interval >= 0))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "history.interval_seconds: must be zero or more");
	if (h->state != TWA_HISTORY_VALID)
		twa_named_release(&h->deltas);
	return 0;
}

/* ---- the document ---- */

#define HAVE(m) .have_off = offsetof(struct twa_facts, m)
#define WHEN(m) .when_off = offsetof(struct twa_facts, m)

static const struct twa_json_field facts_fields[] = {
	TWA_JD_NESTED("host", host_fields),
	TWA_JD_NESTED("sources", sources_fields),
	{ "sockets", TWA_JSON_OBJECT, .fn = sockets_from_json, HAVE(sockets.present) },
	{ "sockstat", TWA_JSON_OBJECT, .fn = sockstat_from_json, HAVE(have_sockstat) },
	TWA_JD_OBJECT("counters", false, counters_from_json),
	TWA_JD_OBJECT("sysctls", false, sysctls_from_json),
	TWA_JD_ARRAY("sysctls_readonly", false, readonly_from_json),
	{ "ephemeral", TWA_JSON_OBJECT, .fn = ephemeral_from_json, HAVE(ephemeral.present) },
	{ "listeners", TWA_JSON_ARRAY, .fn = listeners_from_json, HAVE(have_listeners) },
	{ "close_wait_owners", TWA_JSON_ARRAY, .fn = owners_from_json,
	  HAVE(close_wait.searched) },
	{ "close_wait_unattributed", TWA_JSON_INT,
	  .off = offsetof(struct twa_facts, close_wait.unattributed),
	  .size = sizeof(uint64_t), .max = INT64_MAX, WHEN(close_wait.searched) },
	{ "processes_unreadable", TWA_JSON_INT,
	  .off = offsetof(struct twa_facts, close_wait.unreadable),
	  .size = sizeof(unsigned), .max = INT32_MAX, WHEN(close_wait.searched) },
	{ "rates", TWA_JSON_OBJECT, .fn = rates_from_json, HAVE(rates.present) },
	TWA_JD_OBJECT("history", false, history_from_json),
	{ "boot", TWA_JSON_NESTED, .sub = boot_fields, HAVE(boot.present) },
	{ 0 },
};

int twa_facts_from_json(json_object *obj, const char *file,
			struct twa_facts *f, struct twa_err *err)
{
	int r;

	if (!json_object_is_type(obj, json_type_object))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "expected a JSON object with \"schema\": \"%s\"",
				      TWA_FACTS_SCHEMA);
	r = twa_json_check_schema(obj, file, "facts", TWA_FACTS_SCHEMA, err);
	if (r < 0)
		return r;
	return twa_json_dispatch(obj, facts_fields, file, "facts", f, err);
}

int twa_facts_parse(const char *buf, size_t len, const char *file,
		    struct twa_facts *f, struct twa_err *err)
{
	json_object *obj;
	int r;

	if (len > TWA_FACTS_FILE_MAX)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "larger than %u bytes", TWA_FACTS_FILE_MAX);
	r = twa_json_parse(buf, len, file, &obj, err);
	if (r < 0)
		return r;
	r = twa_facts_from_json(obj, file, f, err);
	json_object_put(obj);
	return r;
}
