/* SPDX-License-Identifier: MIT */
/* history.c - the history file's codec and the deltas since the last run. */
#include "advisor/facts/history.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "advisor/util/jsondispatch.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"

const char *const twa_history_counters[] = {
	"ListenOverflows", "ListenDrops",		/* listen-overflow */
	"TCPTimeWaitOverflow",				/* time-wait-overflow */
	"TCPAbortOnMemory",				/* orphans-near-limit */
	"TCPReqQFullDrop", "TCPReqQFullDoCookies",	/* syn-backlog-low */
	"SyncookiesSent",
	"TCPAbortOnTimeout",				/* fin-wait1-orphans */
	"TWRecycled", "TW", "TWKilled",			/* TIME_WAIT reuse and churn */
	"ActiveOpens", "PassiveOpens", "AttemptFails", "EstabResets",
	NULL,
};

void twa_history_init(struct twa_history *h)
{
	memset(h, 0, sizeof(*h));
}

void twa_history_release(struct twa_history *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->n; i++) {
		twa_named_release(&h->v[i].last.counters);
		twa_named_release(&h->v[i].base.counters);
	}
	free(h->v);
	twa_history_init(h);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int twa_rfc3339_parse(const char *s, int64_t *ret)
{
	unsigned y, mo, d, h, mi, sec;
	char z = 0;
	int n = 0;

	if (strlen(s) != 20 ||
	    sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2u%c%n", &y, &mo, &d, &h, &mi, &sec, &z, &n) != 7 ||
	    n != 20 || z != 'Z' || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 60)
		return -EINVAL;
	*ret = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}

/* ---- the file: {"schema", "namespaces": {NETNS: {"boot_id", "time",
 * "counters", "base": {"boot_id", "time", "counters"}}}} ---- */

static int sample_from_json(json_object *o, const char *file, const char *path,
			    struct twa_history_sample *smp, struct twa_err *err)
{
	json_object *c;
	int64_t t;
	int r;

	r = twa_json_get_str(o, "boot_id", true, file, path, smp->boot_id,
			     sizeof(smp->boot_id), err);
	if (r == 0)
		r = twa_json_get_str(o, "time", true, file, path, smp->time, sizeof(smp->time), err);
	if (r == 0 && twa_rfc3339_parse(smp->time, &t) < 0)
		r = twa_err_set_at(err, -EBADMSG, file, 0, 0, "%s.time: not RFC 3339 UTC", path);
	if (r == 0)
		r = twa_json_get_obj(o, "counters", true, file, path, &c, err);
	if (r < 0)
		return r;
	if (json_object_object_length(c) > TWA_HISTORY_MAX_COUNTERS)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "%s.counters: too many", path);
	json_object_object_foreach(c, key, val) {
		int64_t v;

		if (strlen(key) >= sizeof(smp->counters.v->name))
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "%s.counters: name too long", path);
		r = twa_json_as_i64(val, file, path, 0, INT64_MAX, &v, err);
		if (r < 0)
			return r;
		if (twa_named_set(&smp->counters, key, v) < 0)
			return twa_err_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

static int entry_from_json(json_object *o, const char *file, const char *netns,
			   struct twa_history_entry *e, struct twa_err *err)
{
	char path[96], bpath[104];
	json_object *base = NULL;
	int r;

	snprintf(path, sizeof(path), "namespaces.%.64s", netns);
	if (strlen(netns) >= sizeof(e->netns) || !json_object_is_type(o, json_type_object))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "%s: not a namespace sample", path);
	twa_strlcpy(e->netns, netns, sizeof(e->netns));
	r = sample_from_json(o, file, path, &e->last, err);
	if (r == 0)
		r = twa_json_get_obj(o, "base", false, file, path, &base, err);
	if (r < 0 || !base)
		return r;
	snprintf(bpath, sizeof(bpath), "%s.base", path);
	return sample_from_json(base, file, bpath, &e->base, err);
}

static int history_from_json(json_object *obj, const char *file, struct twa_history *h,
			     struct twa_err *err)
{
	json_object *ns;
	size_t n;
	int r;

	if (!json_object_is_type(obj, json_type_object))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "not a twadvise history file");
	r = twa_json_check_schema(obj, file, "history", TWA_HISTORY_SCHEMA, err);
	if (r == 0)
		r = twa_json_get_obj(obj, "namespaces", true, file, "history", &ns, err);
	if (r < 0)
		return r;
	n = (size_t)json_object_object_length(ns);
	if (n > TWA_HISTORY_MAX_NS)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "more than %d namespaces",
				      TWA_HISTORY_MAX_NS);
	h->v = calloc(n ? n : 1, sizeof(*h->v));
	if (!h->v)
		return twa_err_set(err, -ENOMEM, "out of memory");
	json_object_object_foreach(ns, key, val) {
		r = entry_from_json(val, file, key, &h->v[h->n], err);
		h->n++;
		if (r < 0)
			return r;
	}
	return 0;
}

int twa_history_parse(const char *buf, size_t len, const char *file,
		      struct twa_history *h, struct twa_err *err)
{
	json_object *obj = NULL;
	int r;

	twa_history_init(h);
	if (len > TWA_HISTORY_FILE_MAX)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "larger than %d bytes",
				      TWA_HISTORY_FILE_MAX);
	r = twa_json_parse(buf, len, file, &obj, err);
	if (r < 0)
		return -EBADMSG;
	r = history_from_json(obj, file, h, err);
	json_object_put(obj);
	if (r < 0) {
		twa_history_release(h);
		return r == -ENOMEM ? r : -EBADMSG;
	}
	return 0;
}

static json_object *sample_to_json(const struct twa_history_sample *smp)
{
	json_object *o = json_object_new_object(), *c = json_object_new_object();
	size_t k;

	json_object_object_add(o, "boot_id", json_object_new_string(smp->boot_id));
	json_object_object_add(o, "time", json_object_new_string(smp->time));
	for (k = 0; k < smp->counters.n; k++)
		json_object_object_add(c, smp->counters.v[k].name,
				       json_object_new_int64(smp->counters.v[k].value));
	json_object_object_add(o, "counters", c);
	return o;
}

/* o as compact JSON, without a newline; o is put. */
static int add_json(json_object *o, struct strbuf *out)
{
	const char *s = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;
	int r = s ? strbuf_addstr(out, s) : -ENOMEM;

	json_object_put(o);
	return r;
}

/* One namespace at a time: json-c's tree of a whole file with hundreds of
 * namespaces costs megabytes (a hash table per object), one entry's a few
 * kilobytes. The text is what json-c would write for the whole tree. */
int twa_history_encode(const struct twa_history *h, struct strbuf *out)
{
	size_t i;
	int r;

	r = strbuf_addstr(out, "{\"schema\":");
	if (r == 0)
		r = add_json(json_object_new_string(TWA_HISTORY_SCHEMA), out);
	if (r == 0)
		r = strbuf_addstr(out, ",\"namespaces\":{");
	for (i = 0; r == 0 && i < h->n; i++) {
		const struct twa_history_entry *e = &h->v[i];
		json_object *eo = sample_to_json(&e->last);

		if (e->base.time[0])
			json_object_object_add(eo, "base", sample_to_json(&e->base));
		r = i ? strbuf_addch(out, ',') : 0;
		if (r == 0)
			r = add_json(json_object_new_string(e->netns), out);
		if (r == 0)
			r = strbuf_addch(out, ':');
		if (r == 0)
			r = add_json(eo, out);
		else
			json_object_put(eo);
	}
	if (r == 0)
		r = strbuf_addstr(out, "}}\n");
	return r;
}

/* ---- deltas ---- */

/* The index of netns's sample, or h->n. */
static size_t find(const struct twa_history *h, const char *netns)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (!strcmp(h->v[i].netns, netns))
			break;
	return i;
}

/* Deltas of the kept counters both samples have; RESET when one fell. */
static int fill_deltas(const struct twa_history_sample *e, const struct twa_facts *f,
		       struct twa_history_view *ret)
{
	size_t i;

	for (i = 0; twa_history_counters[i]; i++) {
		const struct twa_named *prev = twa_named_get(&e->counters, twa_history_counters[i]);
		int64_t now;

		if (!prev || !twa_facts_counter(f, twa_history_counters[i], &now))
			continue;
		if (now < prev->value) {
			twa_named_release(&ret->deltas);
			ret->state = TWA_HISTORY_RESET;
			return 0;
		}
		if (twa_named_set(&ret->deltas, prev->name, now - prev->value) < 0)
			return -ENOMEM;
	}
	ret->state = TWA_HISTORY_VALID;
	return 0;
}

int twa_history_compare(const struct twa_history *h, const struct twa_facts *f,
			bool as_reader, struct twa_history_view *ret)
{
	size_t i = f->host.netns[0] ? find(h, f->host.netns) : h->n;
	const struct twa_history_sample *e = NULL;
	int64_t then, now;

	/* A reader after the first check: that check had no baseline either. */
	if (i < h->n)
		e = !as_reader ? &h->v[i].last : h->v[i].base.time[0] ? &h->v[i].base : NULL;
	twa_named_release(&ret->deltas);
	memset(ret, 0, sizeof(*ret));
	ret->state = TWA_HISTORY_NONE;
	/* A clock that went backwards gives no interval to judge by. */
	if (!e || twa_rfc3339_parse(e->time, &then) < 0 ||
	    twa_rfc3339_parse(f->host.time, &now) < 0 || now < then)
		return 0;
	if (strcmp(e->boot_id, f->host.boot_id)) {
		ret->state = TWA_HISTORY_REBOOT;
		return 0;
	}
	twa_strlcpy(ret->previous_time, e->time, sizeof(ret->previous_time));
	ret->interval = (double)(now - then);
	return fill_deltas(e, f, ret);
}

/* The slot for netns: its own, a new one, or the oldest one's when full. */
static struct twa_history_entry *slot(struct twa_history *h, const char *netns)
{
	size_t i = find(h, netns), oldest = 0;
	struct twa_history_entry *v;

	if (i < h->n)
		return &h->v[i];
	if (h->n >= TWA_HISTORY_MAX_NS) {
		for (i = 1; i < h->n; i++)
			if (strcmp(h->v[i].last.time, h->v[oldest].last.time) < 0)
				oldest = i;
		return &h->v[oldest];
	}
	v = realloc(h->v, (h->n + 1) * sizeof(*v));
	if (!v)
		return NULL;
	h->v = v;
	memset(&v[h->n], 0, sizeof(*v));
	return &v[h->n++];
}

int twa_history_record(struct twa_history *h, const struct twa_facts *f)
{
	struct twa_history_entry *e;
	struct twa_history_sample *smp;
	int64_t t, v;
	size_t i;

	if (!f->host.netns[0] || twa_rfc3339_parse(f->host.time, &t) < 0)
		return 0;
	e = slot(h, f->host.netns);
	if (!e)
		return -ENOMEM;
	if (strcmp(e->netns, f->host.netns)) {	/* a recycled slot */
		twa_named_release(&e->last.counters);
		memset(&e->last, 0, sizeof(e->last));
	}
	/* The last sample becomes the baseline; its counters move. */
	twa_named_release(&e->base.counters);
	e->base = e->last;
	memset(&e->last, 0, sizeof(e->last));
	smp = &e->last;
	twa_strlcpy(e->netns, f->host.netns, sizeof(e->netns));
	twa_strlcpy(smp->boot_id, f->host.boot_id, sizeof(smp->boot_id));
	twa_strlcpy(smp->time, f->host.time, sizeof(smp->time));
	for (i = 0; twa_history_counters[i]; i++)
		if (twa_facts_counter(f, twa_history_counters[i], &v) && v >= 0 &&
		    twa_named_set(&smp->counters, twa_history_counters[i], v) < 0)
			return -ENOMEM;
	return 0;
}
