/* SPDX-License-Identifier: MIT */
/* bindports.c - per-port table of the ephemeral range, judged at the end. */
#include "advisor/inspect/bindports.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int twa_bindports_init(struct twa_bindports *b, unsigned low, unsigned high)
{
	memset(b, 0, sizeof(*b));
	if (!low || high < low || high > 65535)
		return 0;
	b->ports = calloc(high - low + 1, sizeof(*b->ports));
	if (!b->ports)
		return -ENOMEM;
	b->low = low;
	b->high = high;
	return 0;
}

void twa_bindports_release(struct twa_bindports *b)
{
	if (!b)
		return;
	free(b->ports);
	memset(b, 0, sizeof(*b));
}

void twa_bindports_clear(struct twa_bindports *b)
{
	if (b->ports)
		memset(b->ports, 0, (b->high - b->low + 1) * sizeof(*b->ports));
	b->bind = b->listen = 0;
}

bool twa_bindports_bind_parity(const struct twa_bindports *b, unsigned port)
{
	return ((port ^ b->low) & 1) != 0;
}

static struct twa_portent *ent(const struct twa_bindports *b, unsigned port)
{
	if (!b->ports || port < b->low || port > b->high)
		return NULL;
	return &b->ports[port - b->low];
}

void twa_bindports_sock(struct twa_bindports *b, unsigned port,
			const struct twa_destkey *key, uint32_t inode,
			bool no_port)
{
	struct twa_portent *p = ent(b, port);

	if (!p)
		return;
	if (!p->n)
		p->key = *key;
	else if (memcmp(&p->key, key, sizeof(*key)))
		p->flags |= TWA_PORT_MULTI;
	if (!p->inode)
		p->inode = inode;
	if (no_port)
		p->flags |= TWA_PORT_NO_PORT;
	if (p->n < UINT32_MAX)
		p->n++;
}

void twa_bindports_listener(struct twa_bindports *b, unsigned port)
{
	struct twa_portent *p = ent(b, port);

	if (p)
		p->flags |= TWA_PORT_LISTEN;
}

static bool is_usable(const uint8_t *usable, unsigned port)
{
	return usable[port / 8] & (1u << (port % 8));
}

/* A port whose sockets could be bind()'s: one destination, no sign of
 * connect(), no listener. Its destination, or NULL. */
static struct twa_destent *candidate(const struct twa_portent *p,
				     const struct twa_destmap *dests)
{
	if (!p->n || (p->flags & (TWA_PORT_MULTI | TWA_PORT_NO_PORT | TWA_PORT_LISTEN)))
		return NULL;
	return twa_destmap_find(dests, &p->key);
}

struct tally {
	uint64_t cap_connect, cap_bind;	/* usable ports of each parity */
	uint64_t listen_connect;	/* listeners on connect()'s parity */
	uint64_t busy_bind;		/* bind()'s parity ports occupied */
};

static void count(const struct twa_bindports *b, const uint8_t *usable,
		  struct tally *t)
{
	unsigned port;

	memset(t, 0, sizeof(*t));
	for (port = b->low; port <= b->high; port++) {
		const struct twa_portent *p = ent(b, port);
		bool bp = twa_bindports_bind_parity(b, port);

		if (!is_usable(usable, port))
			continue;
		if (bp)
			t->cap_bind++;
		else
			t->cap_connect++;
		if (bp && (p->n || (p->flags & TWA_PORT_LISTEN)))
			t->busy_bind++;
		if (!bp && (p->flags & TWA_PORT_LISTEN))
			t->listen_connect++;
	}
}

static void mark(struct twa_bindports *b, struct twa_portent *p,
		 struct twa_destent *d)
{
	p->flags |= TWA_PORT_BIND;
	d->bind_held++;
	b->bind++;
}

void twa_bindports_classify(struct twa_bindports *b, const uint8_t *usable,
			    struct twa_destmap *dests)
{
	struct tally t;
	unsigned port;

	b->bind = b->listen = 0;
	if (!b->ports)
		return;
	count(b, usable, &t);
	for (port = b->low; port <= b->high; port++) {
		struct twa_portent *p = ent(b, port);
		struct twa_destent *d;
		uint64_t other;

		if (!is_usable(usable, port))
			continue;
		if (p->flags & TWA_PORT_LISTEN) {
			b->listen++;
			if (p->n && (d = twa_destmap_find(dests, &p->key)))
				d->bind_held++;
			continue;
		}
		if (!twa_bindports_bind_parity(b, port) || !(d = candidate(p, dests)))
			continue;
		other = d->in_use - d->bind_parity;
		/* Mostly on bind()'s parity, and connect() toward it still
		 * had ports of its own parity: bind() chose this port. */
		if (d->bind_parity > other && other + t.listen_connect < t.cap_connect)
			mark(b, p, d);
	}
	if (t.busy_bind < t.cap_bind)
		return;
	/* Every port of bind()'s parity is taken: bind() went on with the
	 * other parity, for the same clients. */
	for (port = b->low; port <= b->high; port++) {
		struct twa_portent *p = ent(b, port);
		struct twa_destent *d;

		if (!is_usable(usable, port) || twa_bindports_bind_parity(b, port) ||
		    (p->flags & TWA_PORT_BIND))
			continue;
		d = candidate(p, dests);
		if (d && d->bind_held)
			mark(b, p, d);
	}
}
