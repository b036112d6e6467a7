/* SPDX-License-Identifier: MIT */
/* resolve.c - one target per sysctl: when several findings propose a value for the same key, the engine settles on one. */
#include "advisor/rules/resolve.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/parse.h"
#include "advisor/facts/proctext.h"
#include "advisor/facts/sysctl_db.h"
#include "advisor/facts/sysctl_key.h"
#include "advisor/profile/want.h"

/* Integer sysctls that are limits: more never hurts what a rule needs. */
static const char *const at_least_keys[] = {
	"net.core.somaxconn",
	"net.core.netdev_max_backlog",
	"net.ipv4.tcp_max_syn_backlog",
	"net.ipv4.tcp_max_tw_buckets",
	"net.ipv4.tcp_max_orphans",
	"net.netfilter.nf_conntrack_max",
	NULL,
};

enum twa_resolve_kind twa_resolve_kind_of(const char *key)
{
	const struct twa_sysctl_def *d = twa_sysctl_def_find(key);
	size_t i;

	if (d && d->type == TWA_SYSCTL_RANGE)
		return TWA_RESOLVE_WIDEST;
	if (d && d->type == TWA_SYSCTL_PORTLIST)
		return TWA_RESOLVE_UNION;
	for (i = 0; at_least_keys[i]; i++)
		if (!strcmp(at_least_keys[i], key))
			return TWA_RESOLVE_AT_LEAST;
	return TWA_RESOLVE_EXACT;
}

/* One proposal of the key being resolved. */
struct proposal {
	struct twa_finding *f;
	size_t k;		/* index in f->changes */
};

static struct twa_change *prop_change(const struct proposal *p)
{
	return &p->f->changes[p->k];
}

/* Every proposal of key, in precedence order: evidence first, then
 * profile copies, each in finding order. */
static int collect(struct twa_findings *fs, const char *key,
		   struct proposal **ret, size_t *ret_n)
{
	struct proposal *v = NULL;
	size_t i, k, n = 0;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < fs->n; i++)
			for (k = 0; k < fs->v[i].n_changes; k++) {
				struct twa_change *c = &fs->v[i].changes[k];
				struct proposal *nv;

				if (strcmp(c->key, key) || c->profile != (pass == 1))
					continue;
				nv = realloc(v, (n + 1) * sizeof(*v));
				if (!nv) {
					free(v);
					return -ENOMEM;
				}
				v = nv;
				v[n++] = (struct proposal){ &fs->v[i], k };
			}
	*ret = v;
	*ret_n = n;
	return 0;
}

static uint64_t range_width(const char *value, bool *ret_ok)
{
	unsigned lo, hi;

	*ret_ok = twa_port_range_parse(value, &lo, &hi, NULL) == 0 && hi >= lo;
	return *ret_ok ? (uint64_t)hi - lo + 1 : 0;
}

/* The index of the proposal whose value is the target (AT_LEAST and
 * WIDEST); unparsable values lose to parsable ones. */
static size_t pick_largest(const struct proposal *v, size_t n,
			   enum twa_resolve_kind kind)
{
	size_t i, best = 0;
	bool have = false;
	int64_t best_v = 0;

	for (i = 0; i < n; i++) {
		const char *to = prop_change(&v[i])->to;
		int64_t x = 0;
		bool ok;

		if (kind == TWA_RESOLVE_WIDEST)
			x = (int64_t)range_width(to, &ok);
		else
			ok = twa_parse_i64(to, strlen(to), &x) == 0;
		if (ok && (!have || x > best_v)) {
			best = i;
			best_v = x;
			have = true;
		}
	}
	return best;
}

/* The union of every list proposed, in the kernel's canonical form. */
static void union_lists(const struct proposal *v, size_t n, char *out, size_t size)
{
	size_t i;

	twa_strlcpy(out, prop_change(&v[0])->to, size);
	for (i = 1; i < n; i++) {
		struct twa_sysctl_want w = { .has = TWA_WANT_VALUE };
		char merged[TWA_SYSCTL_VALUE_SIZE];
		bool ok;

		twa_strlcpy(w.key, prop_change(&v[i])->key, sizeof(w.key));
		twa_strlcpy(w.value, prop_change(&v[i])->to, sizeof(w.value));
		twa_want_check(&w, out, &ok, merged, sizeof(merged));
		if (!ok && merged[0])
			twa_strlcpy(out, merged, size);
	}
}

/* Drop change k of f; the finding says where its proposal went. */
static void supersede(struct twa_finding *f, size_t k, const struct twa_finding *owner,
		      const char *target)
{
	char key[96], to[TWA_SYSCTL_VALUE_SIZE];

	twa_strlcpy(key, f->changes[k].key, sizeof(key));
	twa_strlcpy(to, f->changes[k].to, sizeof(to));
	memmove(&f->changes[k], &f->changes[k + 1],
		(f->n_changes - k - 1) * sizeof(*f->changes));
	f->n_changes--;
	twa_finding_recommend(f, "%s: see %s, which proposes %s (one target per key; this rule alone would propose %s).",
			      key, owner->rule, target, to);
}

/* Settle key: the owner carries the target, others agree or point to it. */
static int resolve_key(struct twa_findings *fs, const char *key)
{
	enum twa_resolve_kind kind = twa_resolve_kind_of(key);
	struct proposal *v = NULL;
	char target[TWA_SYSCTL_VALUE_SIZE];
	size_t n = 0, i, owner = 0;
	struct twa_finding *of;

	if (collect(fs, key, &v, &n) < 0)
		return -ENOMEM;
	if (n < 2) {
		free(v);
		return 0;
	}
	if (kind == TWA_RESOLVE_AT_LEAST || kind == TWA_RESOLVE_WIDEST)
		owner = pick_largest(v, n, kind);
	twa_strlcpy(target, prop_change(&v[owner])->to, sizeof(target));
	if (kind == TWA_RESOLVE_UNION) {
		union_lists(v, n, target, sizeof(target));
		for (i = 0; i < n; i++)
			if (twa_sysctl_value_equal(prop_change(&v[i])->to, target))
				break;
		owner = i < n ? i : 0;
		twa_strlcpy(prop_change(&v[owner])->to, target, sizeof(target));
	}
	of = v[owner].f;
	/* Back to front: removing a change shifts the later ones of its finding. */
	for (i = n; i-- > 0;)
		if (i != owner && !twa_sysctl_value_equal(prop_change(&v[i])->to, target))
			supersede(v[i].f, v[i].k, of, target);
	free(v);
	return 0;
}

static bool seen(char (*keys)[96], size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(keys[i], key))
			return true;
	return false;
}

int twa_findings_resolve(struct twa_findings *fs)
{
	char (*keys)[96] = NULL;
	size_t n = 0, i, k;
	int r = 0;

	/* The keys first: resolving one may remove changes of any finding. */
	for (i = 0; i < fs->n; i++)
		for (k = 0; k < fs->v[i].n_changes; k++) {
			const char *key = fs->v[i].changes[k].key;
			char (*nk)[96];

			if (seen(keys, n, key))
				continue;
			nk = realloc(keys, (n + 1) * sizeof(*keys));
			if (!nk) {
				free(keys);
				return -ENOMEM;
			}
			keys = nk;
			twa_strlcpy(keys[n++], key, sizeof(*keys));
		}
	for (i = 0; i < n && !r; i++)
		r = resolve_key(fs, keys[i]);
	free(keys);
	return r;
}
