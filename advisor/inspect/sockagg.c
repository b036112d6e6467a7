/* SPDX-License-Identifier: MIT */
/* sockagg.c - the streaming aggregator behind every socket dump. */
#include "advisor/inspect/sockagg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* TCP_TIMEWAIT_LEN, include/net/tcp.h: TIME_WAIT lasts 60 s. */
#define TIMEWAIT_LEN_MS 60000u
/* idiag_timer / /proc/net/tcp "tr" value of the timewait timer. */
#define TIMER_TIMEWAIT 3

static void mark_usable(struct twa_sockagg *agg)
{
	const struct twa_ephemeral *e = &agg->facts->ephemeral;
	unsigned port;

	memset(agg->usable, 0, sizeof(agg->usable));
	if (!e->present)
		return;
	for (port = e->low; port <= e->high && port <= 65535; port++)
		if (twa_ephemeral_contains(e, port))
			agg->usable[port / 8] |= (uint8_t)(1u << (port % 8));
}

int twa_sockagg_init(struct twa_sockagg *agg, struct twa_facts *facts,
		     unsigned flags, double rate_window_s)
{
	int r;

	memset(agg, 0, sizeof(*agg));
	agg->facts = facts;
	agg->flags = flags;
	if (rate_window_s > 0 && rate_window_s * 1000 < TIMEWAIT_LEN_MS)
		agg->young_after_ms = TIMEWAIT_LEN_MS -
				      (uint32_t)(rate_window_s * 1000);
	{
		uint32_t delay = twa_facts_tw_reuse_delay_ms(facts);

		agg->recent_after_ms = delay < TIMEWAIT_LEN_MS ?
				       TIMEWAIT_LEN_MS - delay : 0;
	}
	r = twa_destmap_init(&agg->dests, 0);
	if (r < 0)
		return r;
	r = twa_inomap_init(&agg->close_wait);
	if (r < 0) {
		twa_destmap_release(&agg->dests);
		return r;
	}
	r = twa_pairset_init(&agg->pairs);
	if (r == 0 && (flags & TWA_AGG_DESTINATIONS) && facts->ephemeral.present)
		r = twa_bindports_init(&agg->bindports, facts->ephemeral.low,
				       facts->ephemeral.high);
	if (r == 0)
		r = twa_inomap_init(&agg->bind_inodes);
	if (r < 0) {
		twa_sockagg_release(agg);
		return r;
	}
	mark_usable(agg);
	return 0;
}

void twa_sockagg_release(struct twa_sockagg *agg)
{
	if (!agg)
		return;
	twa_destmap_release(&agg->dests);
	twa_inomap_release(&agg->close_wait);
	twa_pairset_release(&agg->pairs);
	twa_bindports_release(&agg->bindports);
	twa_inomap_release(&agg->bind_inodes);
	free(agg->syn_recv);
	agg->syn_recv = NULL;
}

void twa_sockagg_reset(struct twa_sockagg *agg)
{
	struct twa_facts *f = agg->facts;

	memset(f->sockets.states, 0, sizeof(f->sockets.states));
	f->ephemeral.time_wait = 0;
	f->sockets.fin_wait2_orphans = 0;
	f->sockets.fin_wait1_orphans = 0;
	free(agg->syn_recv);
	agg->syn_recv = NULL;
	f->sockets.fin_wait2_orphans_local_peer = 0;
	f->n_listeners = 0;
	agg->fin_wait2_minisocks = 0;
	twa_destmap_clear(&agg->dests);
	twa_bindports_clear(&agg->bindports);
	twa_inomap_release(&agg->close_wait);
	twa_inomap_init(&agg->close_wait);
	twa_pairset_release(&agg->pairs);
	twa_pairset_init(&agg->pairs);
}

static bool port_usable(const struct twa_sockagg *agg, unsigned port)
{
	return agg->usable[port / 8] & (1u << (port % 8));
}

/* The destination as the kernel keys the 4-tuple: an IPv6 socket on
 * v4-mapped addresses connected through tcp_v4_connect() and takes its
 * port in the IPv4 space (__inet_hash_connect() with the IPv4 tuple), so
 * it counts with IPv4 sockets toward the same address. */
static void dest_key(const struct twa_sock *s, struct twa_destkey *key)
{
	memset(key, 0, sizeof(*key));
	key->family = s->family;
	key->remote_port = s->dport;
	if (s->family == TWA_AF_INET6 && twa_addr_is_v4mapped(s->dst) &&
	    twa_addr_is_v4mapped(s->src)) {
		key->family = TWA_AF_INET;
		memcpy(key->local, s->src + 12, 4);
		memcpy(key->remote, s->dst + 12, 4);
		return;
	}
	memcpy(key->local, s->src, s->family == TWA_AF_INET ? 4 : 16);
	memcpy(key->remote, s->dst, s->family == TWA_AF_INET ? 4 : 16);
}

/* One socket on an ephemeral port: its destination's counts, its port. */
static void count_destination(struct twa_sockagg *agg, const struct twa_sock *s)
{
	struct twa_destkey key;
	struct twa_destent *e;

	dest_key(s, &key);
	e = twa_destmap_add(&agg->dests, &key);
	twa_bindports_sock(&agg->bindports, s->sport, &key, s->inode, s->bind_no_port);
	if (e && twa_bindports_bind_parity(&agg->bindports, s->sport))
		e->bind_parity++;
	if (s->state == TWA_TCP_TIME_WAIT)
		agg->facts->ephemeral.time_wait++;
	if (e && s->state == TWA_TCP_TIME_WAIT) {
		e->time_wait++;
		if (agg->young_after_ms && s->expires_ms > agg->young_after_ms)
			e->tw_young++;
		/* The age is TCP_TIMEWAIT_LEN minus the timer left. */
		if (s->expires_ms > agg->recent_after_ms)
			e->tw_recent++;
	}
}

int twa_sockagg_add(const struct twa_sock *s, void *ctx)
{
	struct twa_sockagg *agg = ctx;
	struct twa_facts *f = agg->facts;
	int fam = s->family == TWA_AF_INET6 ? TWA_FAM_INET6 : TWA_FAM_INET;

	f->sockets.states[fam][s->state]++;
	switch (s->state) {
	case TWA_TCP_LISTEN:
		if (agg->flags & TWA_AGG_LISTENERS) {
			struct twa_listener l;

			memset(&l, 0, sizeof(l));
			l.family = s->family;
			twa_addr_format(s->family, s->src, l.local, sizeof(l.local));
			l.port = s->sport;
			l.queue = s->rqueue;
			l.backlog = s->have_backlog ? (int64_t)s->wqueue : -1;
			l.in_ephemeral_range = port_usable(agg, s->sport);
			l.inode = s->inode;
			if (twa_facts_add_listener(f, &l) < 0)
				return -ENOMEM;
		}
		if (port_usable(agg, s->sport))
			twa_bindports_listener(&agg->bindports, s->sport);
		return 0;
	case TWA_TCP_SYN_RECV:
		if ((agg->flags & TWA_AGG_LISTENERS) && !agg->syn_recv &&
		    !(agg->syn_recv = calloc(65536, sizeof(*agg->syn_recv))))
			return -ENOMEM;
		if (agg->syn_recv && agg->syn_recv[s->sport] < UINT32_MAX)
			agg->syn_recv[s->sport]++;
		break;
	case TWA_TCP_FIN_WAIT1:
		if (!s->inode)
			f->sockets.fin_wait1_orphans++;
		break;
	case TWA_TCP_CLOSE_WAIT:
		if ((agg->flags & TWA_AGG_CLOSE_WAIT) && s->inode)
			twa_inomap_put(&agg->close_wait, s->inode, 0);
		if (twa_pairset_add(&agg->pairs, s, TWA_PAIR_CLOSE_WAIT) == 1)
			f->sockets.fin_wait2_orphans_local_peer++;
		break;
	case TWA_TCP_FIN_WAIT2:
		if (!s->inode) {
			f->sockets.fin_wait2_orphans++;
			if (twa_pairset_add(&agg->pairs, s, TWA_PAIR_FIN_WAIT2) == 1)
				f->sockets.fin_wait2_orphans_local_peer++;
		}
		if (s->timer == TIMER_TIMEWAIT)
			agg->fin_wait2_minisocks++;
		break;
	default:
		break;
	}
	if ((agg->flags & TWA_AGG_DESTINATIONS) && port_usable(agg, s->sport))
		count_destination(agg, s);
	return 0;
}

/* Judge the ports bind() took; keep the inodes of the sockets on them
 * (bounded by the inode table) to name their owners. */
static void finish_bind(struct twa_sockagg *agg)
{
	struct twa_ephemeral *e = &agg->facts->ephemeral;
	struct twa_bindports *b = &agg->bindports;
	unsigned port;

	if (!b->ports)
		return;
	twa_bindports_classify(b, agg->usable, &agg->dests);
	e->have_bind = true;
	e->bind_ports = b->bind;
	e->listener_ports = b->listen;
	for (port = b->low; port <= b->high; port++) {
		const struct twa_portent *p = &b->ports[port - b->low];

		if ((p->flags & TWA_PORT_BIND) && p->inode)
			twa_inomap_put(&agg->bind_inodes, p->inode, 0);
	}
}

int twa_sockagg_finish(struct twa_sockagg *agg)
{
	const struct twa_destent *top[TWA_TOP_DESTINATIONS];
	struct twa_ephemeral *e = &agg->facts->ephemeral;
	size_t n, i;

	/* A request socket's local port is its listener's. */
	for (i = 0; agg->syn_recv && i < agg->facts->n_listeners; i++)
		agg->facts->listeners[i].syn_recv =
			agg->syn_recv[agg->facts->listeners[i].port & 0xffff];
	free(e->dest);
	e->dest = NULL;
	e->n_dest = 0;
	e->dest_total = agg->dests.used;
	e->untracked = agg->dests.untracked;
	e->dumped = (agg->flags & TWA_AGG_DESTINATIONS) != 0;
	if (!e->dumped)
		return 0;
	finish_bind(agg);
	n = twa_destmap_top(&agg->dests, top, TWA_TOP_DESTINATIONS);
	if (!n)
		return 0;
	e->dest = calloc(n, sizeof(*e->dest));
	if (!e->dest)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct twa_destination *d = &e->dest[i];

		d->family = top[i]->key.family;
		twa_addr_format(d->family, top[i]->key.local, d->local,
				sizeof(d->local));
		twa_addr_format(d->family, top[i]->key.remote, d->remote,
				sizeof(d->remote));
		d->remote_port = top[i]->key.remote_port;
		d->in_use = top[i]->in_use;
		d->time_wait = top[i]->time_wait;
		d->have_tw_recent = true;
		d->tw_recent = top[i]->tw_recent;
		d->have_bind_held = e->have_bind;
		d->bind_held = top[i]->bind_held;
		d->have_loopback = true;
		d->loopback = twa_addr_is_loopback(d->family, top[i]->key.local) ||
			      twa_addr_is_loopback(d->family, top[i]->key.remote);
		d->share = e->usable ? (double)d->in_use / e->usable : 0;
		if (agg->young_after_ms) {
			double window = (TIMEWAIT_LEN_MS - agg->young_after_ms) / 1000.0;

			d->have_rate = true;
			d->close_rate = top[i]->tw_young / window;
			d->projected_time_wait = d->close_rate * (TIMEWAIT_LEN_MS / 1000.0);
		}
	}
	e->n_dest = n;
	return 0;
}
