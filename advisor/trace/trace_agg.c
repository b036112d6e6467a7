/* SPDX-License-Identifier: MIT */
/* trace_agg.c - fold the tracer's maps into trace facts. */
#include "advisor/trace/trace_agg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>


void twa_trace_dump_release(struct twa_trace_dump *d)
{
	free(d->rows);
	free(d->socks);
	memset(d, 0, sizeof(*d));
}

/* A row under construction: its key (to find it again) and the raw sums. */
struct acc {
	struct twa_tr_key key;
	struct twa_tr_stats s;
	uint64_t still_open, cw_open, cw_live_ns;
};

static int key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct twa_tr_key));
}

static const char *role_name(unsigned role)
{
	return role == TWA_TR_ROLE_SERVER ? "server" :
	       role == TWA_TR_ROLE_ADOPTED ? "adopted" : "client";
}

static void fill_identity(struct twa_trace_row *r, const struct twa_tr_key *k)
{
	size_t n = strnlen(k->comm, sizeof(k->comm));

	r->netns = k->netns;
	r->pid = (int)k->tgid;
	memcpy(r->comm, k->comm, n);
	r->comm[n] = '\0';
	r->cgroup = k->cgroup;
	strcpy(r->role, role_name(k->role));
	r->family = k->family == TWA_AF_INET6 ? TWA_AF_INET6 : TWA_AF_INET;
	r->port = k->port;
	if (twa_addr_format(r->family, k->addr, r->addr, sizeof(r->addr)) < 0)
		strcpy(r->addr, "?");
}

static void fill_row(struct twa_trace_row *r, const struct acc *a)
{
	const struct twa_tr_stats *s = &a->s;
	uint64_t cw = s->close_wait + a->cw_open, life_n = 0;
	double max_ns = (double)s->close_wait_max_ns;
	unsigned i;

	fill_identity(r, &a->key);
	r->opened = s->opened;
	r->closed = s->closed;
	r->active_close = s->active_close;
	r->passive_close = s->passive_close;
	r->aborted = s->aborted;
	r->still_open = a->still_open;
	r->close_wait = cw;
	r->close_wait_open = a->cw_open;
	if (cw)
		r->close_wait_mean_ms = ((double)s->close_wait_ns + (double)a->cw_live_ns) / (double)cw / 1e6;
	r->close_wait_max_ms = max_ns / 1e6;
	for (i = 0; i < TWA_TRACE_HIST && i < TWA_TR_HIST_SLOTS; i++) {
		r->lifetime[i] = s->lifetime_hist[i];
		life_n += s->lifetime_hist[i];
	}
	if (life_n)
		r->lifetime_mean_ms = (double)s->lifetime_ns / (double)life_n / 1e6;
	r->lifetime_median_ms = twa_trace_hist_median_ms(r->lifetime);
	for (i = 0; i < TWA_TRACE_ERRNO_MAX && i < TWA_TR_ERR_MAX; i++) {
		r->connect_errors[i] = s->connect_err[i];
		r->connect_failed += s->connect_err[i];
	}
}

/* A socket still open when tracing stopped: still_open, who closed first
 * if one did, and its CLOSE_WAIT so far. */
static void fold_sock(struct acc *a, const struct twa_tr_sock *k, uint64_t now)
{
	uint64_t dwell;

	if (k->established_ns)
		a->still_open++;
	if (k->established_ns > 1)	/* 1: before tracing began */
		a->s.opened++;
	/* Who closed first is known before the socket ends. */
	if (k->closed_first == 1)
		a->s.active_close++;
	else if (k->closed_first == 2)
		a->s.passive_close++;
	if (!k->cw_start_ns)
		return;
	dwell = k->cw_done ? k->cw_dwell_ns : (now > k->cw_start_ns ? now - k->cw_start_ns : 0);
	if (!k->cw_done)
		a->cw_open++;
	else
		a->s.close_wait++;	/* ended, the socket lingers in LAST_ACK */
	a->cw_live_ns += dwell;
	if (dwell > a->s.close_wait_max_ns)
		a->s.close_wait_max_ns = dwell;
}

static int significance(const void *pa, const void *pb)
{
	const struct twa_trace_row *a = pa, *b = pb;

	if (a->connect_failed != b->connect_failed)
		return a->connect_failed < b->connect_failed ? 1 : -1;
	if (a->opened != b->opened)
		return a->opened < b->opened ? 1 : -1;
	if (a->active_close != b->active_close)
		return a->active_close < b->active_close ? 1 : -1;
	if (a->close_wait != b->close_wait)
		return a->close_wait < b->close_wait ? 1 : -1;
	return a->pid - b->pid;
}

static void fold_socks(const struct twa_trace_dump *d, struct acc *acc, size_t n)
{
	size_t i;

	for (i = 0; i < d->n_socks; i++) {
		const struct twa_tr_sock *k = &d->socks[i];
		struct acc *a;

		if (!k->key.tgid)
			continue;	/* not accepted yet: no process to name */
		a = bsearch(&k->key, acc, n, sizeof(*acc), key_cmp);
		if (a)
			fold_sock(a, k, d->now_ns);
	}
}

int twa_trace_aggregate(const struct twa_trace_dump *d, double duration, bool all_netns,
			struct twa_trace *t, struct twa_err *err)
{
	struct acc *acc = calloc(d->n_rows ? d->n_rows : 1, sizeof(*acc));
	size_t i;

	twa_trace_release(t);
	t->requested = true;
	t->rows = calloc(d->n_rows ? d->n_rows : 1, sizeof(*t->rows));
	if (!acc || !t->rows) {
		free(acc);
		return twa_err_set(err, -ENOMEM, "out of memory");
	}
	for (i = 0; i < d->n_rows; i++) {
		acc[i].key = d->rows[i].key;
		acc[i].s = d->rows[i].stats;
	}
	qsort(acc, d->n_rows, sizeof(*acc), key_cmp);
	fold_socks(d, acc, d->n_rows);
	for (i = 0; i < d->n_rows; i++)
		fill_row(&t->rows[i], &acc[i]);
	t->n_rows = d->n_rows;
	qsort(t->rows, t->n_rows, sizeof(*t->rows), significance);
	free(acc);
	t->present = true;
	t->duration = duration;
	t->all_netns = all_netns;
	t->netns = d->netns;
	t->socks_overflow = d->counters[TWA_TR_CTR_SOCKS_OVERFLOW];
	t->rows_overflow = d->counters[TWA_TR_CTR_STATS_OVERFLOW];
	t->unowned = d->counters[TWA_TR_CTR_UNOWNED];
	return 0;
}
