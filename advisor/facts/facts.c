/* SPDX-License-Identifier: MIT */
/* facts.c - facts lifecycle and lookups. */
#include "advisor/facts/facts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/facts/sysctl_key.h"
#include "advisor/util/parse.h"

void twa_facts_init(struct twa_facts *f)
{
	memset(f, 0, sizeof(*f));
}

void twa_named_release(struct twa_named_vec *vec)
{
	free(vec->v);
	memset(vec, 0, sizeof(*vec));
}

void twa_rate_release(struct twa_rate_vec *vec)
{
	free(vec->v);
	memset(vec, 0, sizeof(*vec));
}

void twa_facts_release(struct twa_facts *f)
{
	size_t i;

	if (!f)
		return;
	twa_named_release(&f->sockstat);
	twa_named_release(&f->counters);
	for (i = 0; i < f->n_sysctls; i++)
		free(f->sysctls[i].value);
	free(f->sysctls);
	free(f->ephemeral.reserved);
	free(f->ephemeral.dest);
	free(f->ephemeral.bind_owners);
	free(f->listeners);
	free(f->close_wait.v);
	twa_rate_release(&f->rates.counters);
	twa_rate_release(&f->rates.states);
	free(f->rates.series);
	twa_named_release(&f->history.deltas);
	free(f->boot.overrides);
	twa_trace_release(&f->trace);
	twa_facts_init(f);
}

static const char *const history_states[] = {
	[TWA_HISTORY_UNSET] = "unset",
	[TWA_HISTORY_NONE] = "none",
	[TWA_HISTORY_VALID] = "valid",
	[TWA_HISTORY_REBOOT] = "reboot",
	[TWA_HISTORY_RESET] = "reset",
	[TWA_HISTORY_DISABLED] = "disabled",
};

const char *twa_history_state_name(enum twa_history_state s)
{
	return (unsigned)s < sizeof(history_states) / sizeof(*history_states) ?
	       history_states[s] : "unset";
}

int twa_history_state_from_name(const char *name, enum twa_history_state *ret)
{
	unsigned i;

	for (i = TWA_HISTORY_NONE; i < sizeof(history_states) / sizeof(*history_states); i++)
		if (!strcmp(history_states[i], name)) {
			*ret = (enum twa_history_state)i;
			return 0;
		}
	return -EINVAL;
}

/* Grow *v (of elem-sized items, *alloc allocated) to hold one more. */
static int grow_one(void **v, size_t n, size_t *alloc, size_t elem)
{
	size_t na;
	void *p;

	if (n < *alloc)
		return 0;
	na = *alloc ? *alloc * 2 : 16;
	p = realloc(*v, na * elem);
	if (!p)
		return -ENOMEM;
	*v = p;
	*alloc = na;
	return 0;
}

int twa_named_set(struct twa_named_vec *vec, const char *name, int64_t value)
{
	size_t i;
	int r;

	for (i = 0; i < vec->n; i++)
		if (!strcmp(vec->v[i].name, name)) {
			vec->v[i].value = value;
			return 0;
		}
	if (strlen(name) >= sizeof(vec->v->name))
		return -ENAMETOOLONG;
	r = grow_one((void **)&vec->v, vec->n, &vec->alloc, sizeof(*vec->v));
	if (r < 0)
		return r;
	twa_strlcpy(vec->v[vec->n].name, name, sizeof(vec->v->name));
	vec->v[vec->n++].value = value;
	return 0;
}

const struct twa_named *twa_named_get(const struct twa_named_vec *vec,
				      const char *name)
{
	size_t i;

	for (i = 0; i < vec->n; i++)
		if (!strcmp(vec->v[i].name, name))
			return &vec->v[i];
	return NULL;
}

int twa_rate_add(struct twa_rate_vec *vec, const char *name, double per_sec)
{
	int r;

	if (strlen(name) >= sizeof(vec->v->name))
		return -ENAMETOOLONG;
	r = grow_one((void **)&vec->v, vec->n, &vec->alloc, sizeof(*vec->v));
	if (r < 0)
		return r;
	twa_strlcpy(vec->v[vec->n].name, name, sizeof(vec->v->name));
	vec->v[vec->n++].per_sec = per_sec;
	return 0;
}

int twa_facts_set_sysctl(struct twa_facts *f, const char *key, const char *value)
{
	char *copy;
	size_t i;
	int r;

	if (strlen(key) >= sizeof(f->sysctls->key))
		return -ENAMETOOLONG;
	copy = strdup(value);
	if (!copy)
		return -ENOMEM;
	/* Kernel text normalised at the boundary (recorded facts too): one
	 * space between values, never the kernel's tab. */
	twa_sysctl_value_normalize(value, copy, strlen(value) + 1);
	for (i = 0; i < f->n_sysctls; i++)
		if (!strcmp(f->sysctls[i].key, key)) {
			free(f->sysctls[i].value);
			f->sysctls[i].value = copy;
			return 0;
		}
	r = grow_one((void **)&f->sysctls, f->n_sysctls, &f->alloc_sysctls,
		     sizeof(*f->sysctls));
	if (r < 0) {
		free(copy);
		return r;
	}
	twa_strlcpy(f->sysctls[f->n_sysctls].key, key, sizeof(f->sysctls->key));
	f->sysctls[f->n_sysctls].readonly = false;
	f->sysctls[f->n_sysctls++].value = copy;
	return 0;
}

const char *twa_facts_sysctl(const struct twa_facts *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->n_sysctls; i++)
		if (!strcmp(f->sysctls[i].key, key))
			return f->sysctls[i].value;
	return NULL;
}

bool twa_facts_sysctl_readonly(const struct twa_facts *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->n_sysctls; i++)
		if (!strcmp(f->sysctls[i].key, key))
			return f->sysctls[i].readonly;
	return false;
}

int twa_facts_sysctl_int(const struct twa_facts *f, const char *key,
			 int64_t *ret)
{
	const char *v = twa_facts_sysctl(f, key);

	if (!v)
		return -ENOENT;
	return twa_parse_i64(v, strlen(v), ret);
}

int twa_facts_add_listener(struct twa_facts *f, const struct twa_listener *l)
{
	int r = grow_one((void **)&f->listeners, f->n_listeners,
			 &f->alloc_listeners, sizeof(*f->listeners));

	if (r < 0)
		return r;
	f->listeners[f->n_listeners++] = *l;
	return 0;
}

uint64_t twa_facts_state(const struct twa_facts *f, unsigned state)
{
	if (!state || state >= TWA_TCP_STATE_MAX)
		return 0;
	return f->sockets.states[TWA_FAM_INET][state] +
	       f->sockets.states[TWA_FAM_INET6][state];
}

uint64_t twa_facts_total(const struct twa_facts *f)
{
	uint64_t total = 0;
	unsigned s;

	for (s = 1; s < TWA_TCP_STATE_MAX; s++)
		total += twa_facts_state(f, s);
	return total;
}

bool twa_facts_counter(const struct twa_facts *f, const char *name,
		       int64_t *ret)
{
	const struct twa_named *n = twa_named_get(&f->counters, name);

	if (n && ret)
		*ret = n->value;
	return n != NULL;
}

bool twa_facts_sockstat(const struct twa_facts *f, const char *name,
			int64_t *ret)
{
	const struct twa_named *n = twa_named_get(&f->sockstat, name);

	if (n && ret)
		*ret = n->value;
	return n != NULL;
}

uint32_t twa_facts_tw_reuse_delay_ms(const struct twa_facts *f)
{
	int64_t v;

	if (twa_facts_sysctl_int(f, "net.ipv4.tcp_tw_reuse_delay", &v) < 0 ||
	    v < 0 || v > UINT32_MAX)
		return TWA_TW_REUSE_DELAY_DEFAULT_MS;
	return (uint32_t)v;
}

const struct twa_destination *twa_facts_worst_destination(const struct twa_facts *f)
{
	return f->ephemeral.n_dest ? &f->ephemeral.dest[0] : NULL;
}

bool twa_listener_near_limit(const struct twa_listener *l)
{
	return l->backlog > 0 &&
	       (double)l->queue >= TWA_LISTENER_NEAR_LIMIT * (double)l->backlog;
}

bool twa_listener_notable(const struct twa_listener *l)
{
	/* A SYN queue at its limit too (inet_csk_reqsk_queue_is_full), or
	 * past 3/4 of the smallest tcp_max_syn_backlog (128): the least a
	 * queue holds when cookies are off and SYNs drop at that bound. */
	return twa_listener_near_limit(l) || l->in_ephemeral_range ||
	       (l->backlog >= 0 && (int64_t)l->syn_recv > l->backlog) || l->syn_recv > 96;
}

bool twa_ephemeral_contains(const struct twa_ephemeral *e, unsigned port)
{
	size_t i;

	if (!e->present || port < e->low || port > e->high)
		return false;
	for (i = 0; i < e->n_reserved; i++)
		if (port >= e->reserved[i].lo && port <= e->reserved[i].hi)
			return false;
	return true;
}

bool twa_counter_is_gauge(const char *name)
{
	static const char *const gauges[] = {
		"CurrEstab", "MaxConn", "RtoAlgorithm", "RtoMin", "RtoMax", NULL,
	};
	size_t i;

	for (i = 0; gauges[i]; i++)
		if (!strcmp(name, gauges[i]))
			return true;
	return false;
}
