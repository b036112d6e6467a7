/* SPDX-License-Identifier: MIT */
/* inomap.c - open-addressing map of socket inodes. */
#include "advisor/inspect/inomap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_SLOTS 256u

int twa_inomap_init(struct twa_inomap *m)
{
	memset(m, 0, sizeof(*m));
	m->max_slots = TWA_INOMAP_MAX_SLOTS;
	m->slots = calloc(INITIAL_SLOTS, sizeof(*m->slots));
	if (!m->slots)
		return -ENOMEM;
	m->mask = INITIAL_SLOTS - 1;
	return 0;
}

void twa_inomap_release(struct twa_inomap *m)
{
	if (!m)
		return;
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static struct twa_inoent *probe(struct twa_inoent *slots, size_t mask,
				uint32_t inode)
{
	size_t i = (inode * 2654435761u) & mask;

	while (slots[i].inode && slots[i].inode != inode)
		i = (i + 1) & mask;
	return &slots[i];
}

int twa_inomap_put(struct twa_inomap *m, uint32_t inode, uint32_t value)
{
	struct twa_inoent *e;

	if (!inode)
		return -EINVAL;
	e = probe(m->slots, m->mask, inode);
	if (!e->inode && (m->used + 1) * 4 > (m->mask + 1) * 3) {
		size_t n = (m->mask + 1) * 2, i;
		struct twa_inoent *slots;

		if (n > m->max_slots || !(slots = calloc(n, sizeof(*slots)))) {
			m->dropped++;
			return -ENOSPC;
		}
		for (i = 0; i <= m->mask; i++)
			if (m->slots[i].inode)
				*probe(slots, n - 1, m->slots[i].inode) = m->slots[i];
		free(m->slots);
		m->slots = slots;
		m->mask = n - 1;
		e = probe(m->slots, m->mask, inode);
	}
	if (!e->inode)
		m->used++;
	e->inode = inode;
	e->value = value;
	return 0;
}

struct twa_inoent *twa_inomap_get(const struct twa_inomap *m, uint32_t inode)
{
	struct twa_inoent *e;

	if (!inode || !m->slots)
		return NULL;
	e = probe(m->slots, m->mask, inode);
	return e->inode ? e : NULL;
}
