/* SPDX-License-Identifier: MIT */
/* tracefacts.c - the trace facts: names, release, histogram median. */
#include "advisor/facts/tracefacts.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/jsonutil.h"

const char *twa_trace_errno_name(unsigned i)
{
	static const char *const names[TWA_TRACE_ERRNO_MAX] = {
		"EADDRNOTAVAIL", "ECONNREFUSED", "ETIMEDOUT", "ENETUNREACH",
		"EHOSTUNREACH", "other",
	};

	return i < TWA_TRACE_ERRNO_MAX ? names[i] : "other";
}

void twa_trace_release(struct twa_trace *t)
{
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

double twa_trace_hist_median_ms(const uint64_t *hist)
{
	uint64_t total = 0, seen = 0;
	unsigned i;

	for (i = 0; i < TWA_TRACE_HIST; i++)
		total += hist[i];
	if (!total)
		return 0;
	for (i = 0; i < TWA_TRACE_HIST; i++) {
		seen += hist[i];
		if (seen * 2 >= total)
			break;
	}
	if (i >= TWA_TRACE_HIST)
		i = TWA_TRACE_HIST - 1;
	return (double)(UINT64_C(1) << (i + 1)) / 1000.0;
}

static json_object *u64(uint64_t v)
{
	return json_object_new_int64(v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

static json_object *lifetime_to_json(const struct twa_trace_row *r)
{
	json_object *o = json_object_new_object(), *h = json_object_new_array();
	unsigned i;

	json_object_object_add(o, "mean_ms", twa_json_double(r->lifetime_mean_ms));
	json_object_object_add(o, "median_ms", twa_json_double(r->lifetime_median_ms));
	for (i = 0; i < TWA_TRACE_HIST; i++) {
		json_object *b;

		if (!r->lifetime[i])
			continue;
		b = json_object_new_object();
		json_object_object_add(b, "below_us", u64(UINT64_C(1) << (i + 1)));
		json_object_object_add(b, "count", u64(r->lifetime[i]));
		json_object_array_add(h, b);
	}
	json_object_object_add(o, "histogram", h);
	return o;
}

static json_object *row_to_json(const struct twa_trace_row *r)
{
	json_object *o = json_object_new_object(), *cw = json_object_new_object();
	json_object *errs = json_object_new_object();
	unsigned i;

	json_object_object_add(o, "netns", u64(r->netns));
	json_object_object_add(o, "pid", json_object_new_int(r->pid));
	json_object_object_add(o, "comm", json_object_new_string(r->comm));
	json_object_object_add(o, "cgroup", u64(r->cgroup));
	json_object_object_add(o, "role", json_object_new_string(r->role));
	json_object_object_add(o, "address", json_object_new_string(r->addr));
	json_object_object_add(o, "port", json_object_new_int((int)r->port));
	json_object_object_add(o, "opened", u64(r->opened));
	json_object_object_add(o, "closed", u64(r->closed));
	json_object_object_add(o, "active_close", u64(r->active_close));
	json_object_object_add(o, "passive_close", u64(r->passive_close));
	json_object_object_add(o, "aborted", u64(r->aborted));
	json_object_object_add(o, "still_open", u64(r->still_open));
	json_object_object_add(cw, "count", u64(r->close_wait));
	json_object_object_add(cw, "still_in_close_wait", u64(r->close_wait_open));
	json_object_object_add(cw, "mean_ms", twa_json_double(r->close_wait_mean_ms));
	json_object_object_add(cw, "max_ms", twa_json_double(r->close_wait_max_ms));
	json_object_object_add(o, "close_wait", cw);
	json_object_object_add(o, "lifetime", lifetime_to_json(r));
	for (i = 0; i < TWA_TRACE_ERRNO_MAX; i++)
		json_object_object_add(errs, twa_trace_errno_name(i), u64(r->connect_errors[i]));
	json_object_object_add(o, "connect_errors", errs);
	json_object_object_add(o, "connect_failed", u64(r->connect_failed));
	return o;
}

json_object *twa_trace_to_json(const struct twa_trace *t)
{
	json_object *o, *ov, *rows;
	size_t i;

	if (!t->requested)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "available", json_object_new_boolean(t->present));
	json_object_object_add(o, "reason", t->present ? NULL : json_object_new_string(t->unavailable));
	json_object_object_add(o, "duration_seconds", twa_json_double(t->duration));
	json_object_object_add(o, "all_netns", json_object_new_boolean(t->all_netns));
	json_object_object_add(o, "netns", t->all_netns ? NULL : u64(t->netns));
	ov = json_object_new_object();
	json_object_object_add(ov, "sockets", u64(t->socks_overflow));
	json_object_object_add(ov, "rows", u64(t->rows_overflow));
	json_object_object_add(o, "overflow", ov);
	json_object_object_add(o, "closed_unaccepted", u64(t->unowned));
	json_object_object_add(o, "listen_drops", json_object_new_string(
		"not per listener: see the global ListenDrops/ListenOverflows counters"));
	rows = json_object_new_array();
	for (i = 0; i < t->n_rows; i++)
		json_object_array_add(rows, row_to_json(&t->rows[i]));
	json_object_object_add(o, "rows", rows);
	return o;
}

static void row_text(const struct twa_trace_row *r, struct strbuf *out)
{
	char who[64], dest[TWA_ADDRSTRLEN + 10];
	unsigned i;

	snprintf(who, sizeof(who), "%s[%d]", r->pid ? r->comm : "(not accepted)", r->pid);
	snprintf(dest, sizeof(dest), r->family == TWA_AF_INET6 ? "[%s]:%u" : "%s:%u",
		 r->addr, r->port);
	strbuf_addf(out, "%-24s %-7s %-22s %7" PRIu64 " %6" PRIu64 " %7" PRIu64 " %5" PRIu64
		    " %5" PRIu64 " %9.1f", who, r->role, dest, r->opened, r->active_close,
		    r->passive_close, r->aborted, r->still_open, r->lifetime_median_ms);
	strbuf_addf(out, "  %3" PRIu64 "/%-3" PRIu64 " %9.1f %9.1f", r->close_wait,
		    r->close_wait_open, r->close_wait_mean_ms, r->close_wait_max_ms);
	for (i = 0; i < TWA_TRACE_ERRNO_MAX; i++)
		if (r->connect_errors[i])
			strbuf_addf(out, " %s=%" PRIu64, twa_trace_errno_name(i), r->connect_errors[i]);
	strbuf_addch(out, '\n');
}

int twa_trace_write_text(const struct twa_trace *t, struct strbuf *out)
{
	size_t i;

	if (!t->present) {
		strbuf_addf(out, "trace: unavailable (%s)\n", t->unavailable);
		return strbuf_failed(out) ? -ENOMEM : 0;
	}
	strbuf_addf(out, "trace: %.1f s, %s", t->duration, t->all_netns ? "all network namespaces" : "network namespace ");
	if (!t->all_netns)
		strbuf_addf(out, "%u", t->netns);
	strbuf_addf(out, "; %zu rows\n", t->n_rows);
	strbuf_addf(out, "%-24s %-7s %-22s %7s %6s %7s %5s %5s %9s  %7s %9s %9s %s\n", "PROCESS",
		    "ROLE", "DESTINATION", "OPENED", "ACTIVE", "PASSIVE", "RESET", "OPEN",
		    "LIFE_MS", "CW/OPEN", "CW_MS", "CW_MAX", "CONNECT_ERRORS");
	for (i = 0; i < t->n_rows; i++)
		row_text(&t->rows[i], out);
	if (t->socks_overflow || t->rows_overflow)
		strbuf_addf(out, "overflow: %" PRIu64 " sockets not tracked (map full), %" PRIu64
			    " events without a row (map full)\n", t->socks_overflow, t->rows_overflow);
	if (t->unowned)
		strbuf_addf(out, "%" PRIu64 " server sockets closed before accept()\n", t->unowned);
	strbuf_addstr(out, "listen drops: not per listener (see ListenDrops, ListenOverflows)\n");
	return strbuf_failed(out) ? -ENOMEM : 0;
}
