/* facts_json.c - encoding and decoding twadvise.facts/1. */
#include "advisor/facts/facts_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	TWA_FIELD(struct twa_listener, in_ephemeral_range, "in_ephemeral_range",
		  "EPHEMERAL", TWA_F_BOOL),
	TWA_FIELD(struct twa_listener, process, "process", "PROCESS", TWA_F_PROCESS),
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
	skipped = json_object_new_array();
	for (st = 1; st < TWA_TCP_STATE_MAX; st++)
		if (s->skipped & TWA_TCPF(st))
			json_object_array_add(skipped,
					      json_object_new_string(twa_tcp_state_name(st)));
	json_object_object_add(o, "skipped", skipped);
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
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	size_t i;

	json_object_object_add(o, "file", json_object_new_string(b->file));
	for (i = 0; i < b->n_overrides; i++) {
		json_object *x = json_object_new_object();

		json_object_object_add(x, "key", json_object_new_string(b->overrides[i].key));
		json_object_object_add(x, "ours", json_object_new_string(b->overrides[i].ours));
		json_object_object_add(x, "theirs", json_object_new_string(b->overrides[i].theirs));
		json_object_object_add(x, "file", json_object_new_string(b->overrides[i].file));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "overrides", a);
	return o;
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
	json_object_object_add(o, "host", h);
	src = json_object_new_object();
	if (f->sockets.present)
		json_object_object_add(src, "sockets", json_object_new_string(f->sockets.source));
	if (f->sources.sockstat[0])
		json_object_object_add(src, "sockstat", json_object_new_string(f->sources.sockstat));
	if (f->sources.counters[0])
		json_object_object_add(src, "counters", json_object_new_string(f->sources.counters));
	if (f->sources.sysctls[0])
		json_object_object_add(src, "sysctls", json_object_new_string(f->sources.sysctls));
	if (f->sources.owners[0])
		json_object_object_add(src, "owners", json_object_new_string(f->sources.owners));
	json_object_object_add(o, "sources", src);
	if (f->sockets.present)
		json_object_object_add(o, "sockets", sockets_to_json(f));
	if (f->have_sockstat)
		json_object_object_add(o, "sockstat", named_to_json(&f->sockstat));
	json_object_object_add(o, "counters", named_to_json(&f->counters));
	sys = json_object_new_object();
	for (i = 0; i < f->n_sysctls; i++)
		json_object_object_add(sys, f->sysctls[i].key,
				       json_object_new_string(f->sysctls[i].value));
	json_object_object_add(o, "sysctls", sys);
	if (f->ephemeral.present)
		json_object_object_add(o, "ephemeral", ephemeral_to_json(&f->ephemeral));
	if (f->have_listeners)
		json_object_object_add(o, "listeners",
				       records_to_json(twa_listener_fields, f->listeners,
						       f->n_listeners, sizeof(*f->listeners)));
	if (f->close_wait.searched) {
		json_object_object_add(o, "close_wait_owners",
				       records_to_json(twa_owner_fields, f->close_wait.v,
						       f->close_wait.n,
						       sizeof(*f->close_wait.v)));
		json_object_object_add(o, "close_wait_unattributed",
				       json_object_new_int64((int64_t)f->close_wait.unattributed));
		json_object_object_add(o, "processes_unreadable",
				       json_object_new_int64(f->close_wait.unreadable));
	}
	if (f->rates.present)
		json_object_object_add(o, "rates", rates_group_to_json(&f->rates));
	if (f->boot.present)
		json_object_object_add(o, "boot", boot_to_json(&f->boot));
	return o;
}

/* ---- decoding ---------------------------------------------------------- */

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

static int sockets_from_json(json_object *o, const char *file,
			     struct twa_facts *f, struct twa_err *err)
{
	struct twa_sockets *s = &f->sockets;
	json_object *states = NULL, *fam = NULL, *v = NULL, *skipped = NULL;
	int64_t x;
	size_t i;
	int r;

	r = twa_json_get_str(o, "source", true, file, "sockets", s->source,
			     sizeof(s->source), err);
	if (r < 0)
		return r;
	r = twa_json_get_str(o, "fallback", false, file, "sockets", s->fallback,
			     sizeof(s->fallback), err);
	if (r < 0)
		return r;
	r = twa_json_get_obj(o, "families", false, file, "sockets", &fam, err);
	if (r < 0)
		return r;
	if (fam) {
		/* Per family when present: more precise than the sum. */
		if ((r = twa_json_get_obj(fam, "inet", true, file, "sockets.families", &v, err)) < 0 ||
		    (r = states_from_json(v, file, "sockets.families.inet",
					  s->states[TWA_FAM_INET], err)) < 0 ||
		    (r = twa_json_get_obj(fam, "inet6", true, file, "sockets.families", &v, err)) < 0 ||
		    (r = states_from_json(v, file, "sockets.families.inet6",
					  s->states[TWA_FAM_INET6], err)) < 0)
			return r;
	} else {
		r = twa_json_get_obj(o, "states", true, file, "sockets", &states, err);
		if (r < 0)
			return r;
		r = states_from_json(states, file, "sockets.states",
				     s->states[TWA_FAM_INET], err);
		if (r < 0)
			return r;
	}
	x = 0;
	r = twa_json_get_i64(o, "fin_wait2_orphans", false, file, "sockets", 0,
			     INT64_MAX, &x, err);
	if (r < 0)
		return r;
	s->fin_wait2_orphans = (uint64_t)x;
	r = twa_json_get_array(o, "skipped", false, file, "sockets", &skipped, err);
	if (r < 0)
		return r;
	for (i = 0; skipped && i < json_object_array_length(skipped); i++) {
		json_object *e = json_object_array_get_idx(skipped, i);
		unsigned st = json_object_is_type(e, json_type_string) ?
			      twa_tcp_state_from_name(json_object_get_string(e)) : 0;

		if (!st)
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "sockets.skipped[%zu]: not a TCP state name", i);
		s->skipped |= TWA_TCPF(st);
	}
	s->present = true;
	return 0;
}

static int ephemeral_from_json(json_object *o, const char *file,
			       struct twa_facts *f, struct twa_err *err)
{
	struct twa_ephemeral *e = &f->ephemeral;
	json_object *dests = NULL, *res = NULL;
	int64_t lo, hi, x;
	size_t i;
	int r;

	if ((r = twa_json_get_i64(o, "low", true, file, "ephemeral", 1, 65535, &lo, err)) < 0 ||
	    (r = twa_json_get_i64(o, "high", true, file, "ephemeral", 1, 65535, &hi, err)) < 0)
		return r;
	if (lo > hi)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "ephemeral: low %lld is above high %lld",
				      (long long)lo, (long long)hi);
	e->low = (unsigned)lo;
	e->high = (unsigned)hi;
	r = twa_json_get_array(o, "reserved", false, file, "ephemeral", &res, err);
	if (r < 0)
		return r;
	if (res && json_object_array_length(res)) {
		struct strbuf list = STRBUF_INIT;

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
		if (r < 0) {
			twa_err_prefix(err, "%s: ephemeral.reserved", file);
			return r;
		}
	}
	e->usable = twa_usable_ports(e->low, e->high, e->reserved, e->n_reserved);
	e->dumped = true;
	r = twa_json_get_bool(o, "complete", false, file, "ephemeral", &e->dumped, err);
	if (r < 0)
		return r;
	x = 0;
	if ((r = twa_json_get_i64(o, "bound", false, file, "ephemeral", 0, INT64_MAX, &x, err)) < 0)
		return r;
	e->bound = (uint64_t)x;
	x = 0;
	if ((r = twa_json_get_i64(o, "destinations_total", false, file, "ephemeral", 0, INT64_MAX, &x, err)) < 0)
		return r;
	e->dest_total = (uint64_t)x;
	x = 0;
	if ((r = twa_json_get_i64(o, "untracked", false, file, "ephemeral", 0, INT64_MAX, &x, err)) < 0)
		return r;
	e->untracked = (uint64_t)x;
	x = 0;
	if ((r = twa_json_get_i64(o, "time_wait", false, file, "ephemeral", 0, INT64_MAX, &x, err)) < 0)
		return r;
	e->time_wait = (uint64_t)x;
	r = twa_json_get_array(o, "destinations", false, file, "ephemeral", &dests, err);
	if (r < 0)
		return r;
	if (dests) {
		r = records_from_json(dests, twa_destination_fields, sizeof(*e->dest),
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
	}
	e->present = true;
	return 0;
}

/* rates.states and rates.series: the state counts of every sample, which
 * the HTML report charts over time. */
static int rates_series_from_json(json_object *v, const char *file,
				  struct twa_rates *rt, struct twa_err *err)
{
	json_object *st = NULL, *series = NULL;
	size_t i, n;
	int r;

	if ((r = twa_json_get_obj(v, "states", false, file, "rates", &st, err)) < 0 ||
	    (r = twa_json_get_array(v, "series", false, file, "rates", &series, err)) < 0)
		return r;
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

/* boot: {"file": ..., "overrides": [{"key", "ours", "theirs", "file"}]} */
static int boot_from_json(json_object *o, const char *file, struct twa_boot *b,
			  struct twa_err *err)
{
	json_object *a = NULL;
	size_t n, i;
	int r;

	if ((r = twa_json_get_str(o, "file", false, file, "boot", b->file,
				  sizeof(b->file), err)) < 0 ||
	    (r = twa_json_get_array(o, "overrides", false, file, "boot", &a, err)) < 0)
		return r;
	n = a ? json_object_array_length(a) : 0;
	if (n > 10000)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "boot.overrides: more than 10000 entries");
	b->overrides = calloc(n ? n : 1, sizeof(*b->overrides));
	if (!b->overrides)
		return twa_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(a, i);
		struct twa_boot_override *x = &b->overrides[i];
		char path[64];

		snprintf(path, sizeof(path), "boot.overrides[%zu]", i);
		if (!json_object_is_type(it, json_type_object))
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "%s: expected an object", path);
		if ((r = twa_json_get_str(it, "key", true, file, path, x->key, sizeof(x->key), err)) < 0 ||
		    (r = twa_json_get_str(it, "ours", true, file, path, x->ours, sizeof(x->ours), err)) < 0 ||
		    (r = twa_json_get_str(it, "theirs", true, file, path, x->theirs, sizeof(x->theirs), err)) < 0 ||
		    (r = twa_json_get_str(it, "file", true, file, path, x->file, sizeof(x->file), err)) < 0)
			return r;
		b->n_overrides = i + 1;
	}
	b->present = true;
	return 0;
}

int twa_facts_from_json(json_object *obj, const char *file,
			struct twa_facts *f, struct twa_err *err)
{
	json_object *v = NULL;
	char schema[64];
	int64_t x;
	int r;

	if (!json_object_is_type(obj, json_type_object))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "expected a JSON object with \"schema\": \"%s\"",
				      TWA_FACTS_SCHEMA);
	r = twa_json_get_str(obj, "schema", true, file, "facts", schema,
			     sizeof(schema), err);
	if (r < 0)
		return r;
	if (strcmp(schema, TWA_FACTS_SCHEMA))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "schema '%s' is not %s", schema, TWA_FACTS_SCHEMA);
	if ((r = twa_json_get_obj(obj, "host", false, file, "facts", &v, err)) < 0)
		return r;
	if (v) {
		struct twa_host *h = &f->host;

		if ((r = twa_json_get_str(v, "hostname", false, file, "host", h->hostname, sizeof(h->hostname), err)) < 0 ||
		    (r = twa_json_get_str(v, "kernel", false, file, "host", h->kernel, sizeof(h->kernel), err)) < 0 ||
		    (r = twa_json_get_str(v, "netns", false, file, "host", h->netns, sizeof(h->netns), err)) < 0 ||
		    (r = twa_json_get_str(v, "time", false, file, "host", h->time, sizeof(h->time), err)) < 0)
			return r;
	}
	v = NULL;
	if ((r = twa_json_get_obj(obj, "sources", false, file, "facts", &v, err)) < 0)
		return r;
	/* "sources.sockets" is sockets.source again: read there. */
	if (v && ((r = twa_json_get_str(v, "sockstat", false, file, "sources", f->sources.sockstat, sizeof(f->sources.sockstat), err)) < 0 ||
		  (r = twa_json_get_str(v, "counters", false, file, "sources", f->sources.counters, sizeof(f->sources.counters), err)) < 0 ||
		  (r = twa_json_get_str(v, "sysctls", false, file, "sources", f->sources.sysctls, sizeof(f->sources.sysctls), err)) < 0 ||
		  (r = twa_json_get_str(v, "owners", false, file, "sources", f->sources.owners, sizeof(f->sources.owners), err)) < 0))
		return r;
	v = NULL;
	if ((r = twa_json_get_obj(obj, "sockets", false, file, "facts", &v, err)) < 0)
		return r;
	if (v && (r = sockets_from_json(v, file, f, err)) < 0)
		return r;
	v = NULL;
	if ((r = twa_json_get_obj(obj, "sockstat", false, file, "facts", &v, err)) < 0)
		return r;
	if (v) {
		if ((r = named_from_json(v, file, "sockstat", &f->sockstat, err)) < 0)
			return r;
		f->have_sockstat = true;
	}
	v = NULL;
	if ((r = twa_json_get_obj(obj, "counters", false, file, "facts", &v, err)) < 0)
		return r;
	if (v && (r = named_from_json(v, file, "counters", &f->counters, err)) < 0)
		return r;
	v = NULL;
	if ((r = twa_json_get_obj(obj, "sysctls", false, file, "facts", &v, err)) < 0)
		return r;
	if (v) {
		json_object_object_foreach(v, key, val) {
			if (!json_object_is_type(val, json_type_string) &&
			    !json_object_is_type(val, json_type_int))
				return twa_err_set_at(err, -EBADMSG, file, 0, 0,
						      "sysctls.%.96s: expected a string", key);
			if (strlen(key) > 95 || strlen(json_object_get_string(val)) > 4095)
				return twa_err_set_at(err, -EBADMSG, file, 0, 0,
						      "sysctls.%.96s: name or value too long", key);
			if (twa_facts_set_sysctl(f, key, json_object_get_string(val)) < 0)
				return twa_err_set(err, -ENOMEM, "out of memory");
		}
	}
	v = NULL;
	if ((r = twa_json_get_obj(obj, "ephemeral", false, file, "facts", &v, err)) < 0)
		return r;
	if (v && (r = ephemeral_from_json(v, file, f, err)) < 0)
		return r;
	v = NULL;
	if ((r = twa_json_get_array(obj, "listeners", false, file, "facts", &v, err)) < 0)
		return r;
	if (v) {
		size_t i;

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
		f->have_listeners = true;
	}
	v = NULL;
	if ((r = twa_json_get_array(obj, "close_wait_owners", false, file, "facts", &v, err)) < 0)
		return r;
	if (v) {
		r = records_from_json(v, twa_owner_fields, sizeof(*f->close_wait.v),
				      100000, file, "close_wait_owners",
				      (void **)&f->close_wait.v, &f->close_wait.n, err);
		if (r < 0)
			return r;
		f->close_wait.searched = true;
		x = 0;
		if ((r = twa_json_get_i64(obj, "close_wait_unattributed", false, file, "facts", 0, INT64_MAX, &x, err)) < 0)
			return r;
		f->close_wait.unattributed = (uint64_t)x;
		x = 0;
		if ((r = twa_json_get_i64(obj, "processes_unreadable", false, file, "facts", 0, INT32_MAX, &x, err)) < 0)
			return r;
		f->close_wait.unreadable = (unsigned)x;
	}
	v = NULL;
	if ((r = twa_json_get_obj(obj, "rates", false, file, "facts", &v, err)) < 0)
		return r;
	if (v) {
		json_object *c = NULL;

		x = 0;
		if ((r = twa_json_get_i64(v, "samples", false, file, "rates", 0, 1000000, &x, err)) < 0 ||
		    (r = twa_json_get_double(v, "interval", false, file, "rates", &f->rates.interval, err)) < 0 ||
		    (r = twa_json_get_double(v, "elapsed", false, file, "rates", &f->rates.elapsed, err)) < 0 ||
		    (r = twa_json_get_obj(v, "counters", false, file, "rates", &c, err)) < 0)
			return r;
		f->rates.samples = (unsigned)x;
		if (c) {
			json_object_object_foreach(c, key, val) {
				if (!json_object_is_type(val, json_type_double) &&
				    !json_object_is_type(val, json_type_int))
					return twa_err_set_at(err, -EBADMSG, file, 0, 0,
							      "rates.counters.%.64s: expected a number", key);
				if (strlen(key) >= 64)
					return twa_err_set_at(err, -EBADMSG, file, 0, 0,
							      "rates.counters: name too long");
				if (twa_rate_add(&f->rates.counters, key,
						 json_object_get_double(val)) < 0)
					return twa_err_set(err, -ENOMEM, "out of memory");
			}
		}
		if ((r = rates_series_from_json(v, file, &f->rates, err)) < 0)
			return r;
		f->rates.present = true;
	}
	v = NULL;
	if ((r = twa_json_get_obj(obj, "boot", false, file, "facts", &v, err)) < 0)
		return r;
	if (v && (r = boot_from_json(v, file, &f->boot, err)) < 0)
		return r;
	return 0;
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
