/* SPDX-License-Identifier: MIT */
/* profile.c - parsing and validating workload profiles against the sysctl database and the rule catalogue (pure). */
#include "advisor/profile/profile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/parse.h"
#include "advisor/profile/catalog.h"
#include "advisor/facts/proctext.h"
#include "advisor/facts/sysctl_db.h"
#include "advisor/facts/sysctl_key.h"
#include "advisor/profile/yamltree.h"

void twa_profile_init(struct twa_profile *p)
{
	memset(p, 0, sizeof(*p));
}

void twa_profile_release(struct twa_profile *p)
{
	if (!p)
		return;
	free(p->wants);
	free(p->settings);
	free(p->toggles);
	twa_profile_init(p);
}

struct pctx {
	const char *file;
	struct twa_profile *p;
	struct twa_err *err;
};

static int at(struct pctx *c, const struct twa_ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int at(struct pctx *c, const struct twa_ynode *n, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return twa_err_set_at(c->err, -EBADMSG, c->file, n ? n->line : 0,
			      n ? n->col : 0, "%s", msg);
}

static const char *type_name(const struct twa_ynode *n)
{
	return n->type == TWA_Y_MAP ? "a map" : n->type == TWA_Y_SEQ ? "a list" :
	       "a scalar";
}

static int want_scalar(struct pctx *c, const struct twa_ynode *n,
		       const char *what)
{
	if (n->type != TWA_Y_SCALAR)
		return at(c, n, "%s must be a scalar, not %s", what, type_name(n));
	return 0;
}

/* "did you mean" over a list of candidates given by a callback index. */
static void suggest(char *buf, size_t size, const char *word,
		    const char *(*cand)(size_t i))
{
	const char *best = twa_closest(word, 3, cand);

	buf[0] = '\0';
	if (best)
		snprintf(buf, size, "; did you mean '%s'?", best);
}

static const char *cand_rule(size_t i)
{
	return twa_rules[i].id;
}

static const char *const top_keys[] = { "name", "description", "extends",
					"sysctls", "rules", NULL };
static const char *cand_top(size_t i)
{
	return top_keys[i];
}

static const char *const want_keys[] = { "value", "min", "max", "min_size",
					 "reason", NULL };
static const char *cand_want(size_t i)
{
	return want_keys[i];
}

static bool valid_name(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n > 63)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

static int int_scalar(struct pctx *c, const struct twa_ynode *n,
		      const char *what, int64_t lo, int64_t hi, int64_t *ret)
{
	int64_t v;
	int r = want_scalar(c, n, what);

	if (r < 0)
		return r;
	if (twa_parse_i64(n->value, strlen(n->value), &v) < 0)
		return at(c, n, "%s must be an integer, not '%.64s'", what, n->value);
	if (v < lo || v > hi)
		return at(c, n, "%s %" PRId64 " is out of range [%" PRId64 ", %" PRId64 "]",
			  what, v, lo, hi);
	*ret = v;
	return 0;
}

/* Check a value for the sysctl's type; returns 0 or an error at n. */
static int check_value(struct pctx *c, const struct twa_ynode *n,
		       const struct twa_sysctl_def *d, const char *value)
{
	struct twa_err sub = { 0 };
	int64_t v;

	if (twa_sysctl_value_check(value, &sub) < 0)
		return at(c, n, "%s: %s", d->key, sub.msg);
	switch (d->type) {
	case TWA_SYSCTL_INT:
		if (twa_parse_i64(value, strlen(value), &v) < 0)
			return at(c, n, "%s wants an integer, not '%.64s'", d->key, value);
		if (v < d->min || v > d->max)
			return at(c, n, "%s = %" PRId64 " is out of range [%" PRId64 ", %" PRId64 "]",
				  d->key, v, d->min, d->max);
		return 0;
	case TWA_SYSCTL_RANGE: {
		unsigned lo, hi;

		if (twa_port_range_parse(value, &lo, &hi, &sub) < 0)
			return at(c, n, "%s: %s", d->key, sub.msg);
		return 0;
	}
	case TWA_SYSCTL_PORTLIST: {
		struct twa_portrange *pr = NULL;
		size_t np;

		if (twa_reserved_ports_parse(value, &pr, &np, &sub) < 0)
			return at(c, n, "%s: %s", d->key, sub.msg);
		free(pr);
		return 0;
	}
	}
	return 0;
}

/* One key of a sysctl's want map (value, min, max, min_size, reason). */
static int parse_want_key(struct pctx *c, const struct twa_sysctl_def *d,
			  const struct twa_ynode *k, const struct twa_ynode *v,
			  struct twa_sysctl_want *w)
{
	char hint[160];
	int r;

	if (!strcmp(k->value, "value")) {
		if ((r = want_scalar(c, v, "value")) < 0 ||
		    (r = check_value(c, v, d, v->value)) < 0)
			return r;
		twa_strlcpy(w->value, v->value, sizeof(w->value));
		w->has |= TWA_WANT_VALUE;
	} else if (!strcmp(k->value, "min") || !strcmp(k->value, "max")) {
		bool is_min = k->value[1] == 'i';

		if (d->type != TWA_SYSCTL_INT)
			return at(c, k, "%s is not a single integer: '%s' does not apply (ranges take min_size)",
				  d->key, k->value);
		r = int_scalar(c, v, k->value, d->min, d->max,
			       is_min ? &w->min : &w->max);
		if (r < 0)
			return r;
		w->has |= is_min ? TWA_WANT_MIN : TWA_WANT_MAX;
	} else if (!strcmp(k->value, "min_size")) {
		if (d->type != TWA_SYSCTL_RANGE)
			return at(c, k, "min_size applies to port ranges, not %s", d->key);
		r = int_scalar(c, v, "min_size", 1, 65535, &w->min_size);
		if (r < 0)
			return r;
		w->has |= TWA_WANT_MIN_SIZE;
	} else if (!strcmp(k->value, "reason")) {
		if ((r = want_scalar(c, v, "reason")) < 0)
			return r;
		twa_strlcpy(w->reason, v->value, sizeof(w->reason));
	} else {
		suggest(hint, sizeof(hint), k->value, cand_want);
		return at(c, k, "unknown key '%.64s' in %s%s (value, min, max, min_size, reason)",
			  k->value, d->key, hint);
	}
	return 0;
}

/* A want map read whole: does it say something, and hang together? */
static int check_want(struct pctx *c, const struct twa_ynode *val,
		      const struct twa_sysctl_def *d,
		      const struct twa_sysctl_want *w)
{
	if (!(w->has & ~0u))
		return at(c, val, "%s: say what is wanted: value, min, max or min_size", d->key);
	if ((w->has & TWA_WANT_MIN) && (w->has & TWA_WANT_MAX) && w->min > w->max)
		return at(c, val, "%s: min %" PRId64 " is above max %" PRId64, d->key,
			  w->min, w->max);
	if ((w->has & TWA_WANT_MIN_SIZE) && !(w->has & TWA_WANT_VALUE))
		return at(c, val, "%s: min_size needs a value to propose (e.g. value: \"10000 65535\")",
			  d->key);
	if (w->has & TWA_WANT_VALUE) {
		char proposal[TWA_SYSCTL_VALUE_SIZE];
		bool ok;

		/* The value to propose must itself satisfy the bounds. */
		twa_want_check(w, w->value, &ok, proposal, sizeof(proposal));
		if (!ok)
			return at(c, val, "%s: value '%s' does not meet its own min/max/min_size",
				  d->key, w->value);
	}
	return 0;
}

/* One key of an unknown sysctl's want map: value, min, max, reason. The
 * value's shape is checked against the target's (twa_profile_check_target). */
static int parse_any_want_key(struct pctx *c, const struct twa_ynode *k,
			      const struct twa_ynode *v, struct twa_sysctl_want *w)
{
	struct twa_err sub = { 0 };
	int r;

	if (!strcmp(k->value, "value")) {
		if ((r = want_scalar(c, v, "value")) < 0)
			return r;
		if (twa_sysctl_value_check(v->value, &sub) < 0)
			return at(c, v, "%s: %s", w->key, sub.msg);
		twa_strlcpy(w->value, v->value, sizeof(w->value));
		w->has |= TWA_WANT_VALUE;
		return 0;
	}
	if (!strcmp(k->value, "min") || !strcmp(k->value, "max")) {
		bool is_min = k->value[1] == 'i';

		r = int_scalar(c, v, k->value, INT64_MIN, INT64_MAX,
			       is_min ? &w->min : &w->max);
		if (r == 0)
			w->has |= is_min ? TWA_WANT_MIN : TWA_WANT_MAX;
		return r;
	}
	if (!strcmp(k->value, "reason")) {
		if ((r = want_scalar(c, v, "reason")) < 0)
			return r;
		twa_strlcpy(w->reason, v->value, sizeof(w->reason));
		return 0;
	}
	return at(c, k, "unknown key '%.64s' in %s (value, min, max, reason)", k->value, w->key);
}

/* A sysctl twadvise does not know: any key of the grammar; it must exist
 * on the target with a value of the same shape, which only the target can
 * tell (twa_profile_check_target, once the facts are read). */
static int parse_any_want(struct pctx *c, const struct twa_ynode *key,
			  const struct twa_ynode *val, struct twa_sysctl_want *w)
{
	struct twa_err sub = { 0 };
	size_t i;
	int r;

	if (twa_sysctl_key_check(key->value, &sub) < 0)
		return at(c, key, "%s", sub.msg);
	if (val->type == TWA_Y_SCALAR) {
		if (twa_sysctl_value_check(val->value, &sub) < 0)
			return at(c, val, "%s: %s", w->key, sub.msg);
		twa_strlcpy(w->value, val->value, sizeof(w->value));
		w->has = TWA_WANT_VALUE;
		return 0;
	}
	if (val->type != TWA_Y_MAP)
		return at(c, val, "%s wants a value or a map of value/min/max/reason, not %s",
			  w->key, type_name(val));
	for (i = 0; i + 1 < val->n; i += 2)
		if ((r = parse_any_want_key(c, val->kids[i], val->kids[i + 1], w)) < 0)
			return r;
	if (!w->has)
		return at(c, val, "%s: say what is wanted: value, min or max", w->key);
	if ((w->has & TWA_WANT_MIN) && (w->has & TWA_WANT_MAX) && w->min > w->max)
		return at(c, val, "%s: min %" PRId64 " is above max %" PRId64, w->key,
			  w->min, w->max);
	return 0;
}

static int parse_want(struct pctx *c, const struct twa_ynode *key,
		      const struct twa_ynode *val, struct twa_sysctl_want *w)
{
	const struct twa_sysctl_def *d = twa_sysctl_def_find(key->value);
	size_t i;
	int r;

	memset(w, 0, sizeof(*w));
	twa_strlcpy(w->key, key->value, sizeof(w->key));
	twa_strlcpy(w->origin, c->p->name, sizeof(w->origin));
	twa_strlcpy(w->source, c->file, sizeof(w->source));
	w->line = key->line;
	w->col = key->col;
	if (!d)
		return parse_any_want(c, key, val, w);
	if (d->read_only)
		return at(c, key, "%s is a measurement, not a setting", d->key);
	if (val->type == TWA_Y_SCALAR) {
		r = check_value(c, val, d, val->value);
		if (r < 0)
			return r;
		twa_strlcpy(w->value, val->value, sizeof(w->value));
		w->has = TWA_WANT_VALUE;
		return 0;
	}
	if (val->type != TWA_Y_MAP)
		return at(c, val, "%s wants a value or a map of value/min/max/min_size/reason, not %s",
			  d->key, type_name(val));
	for (i = 0; i + 1 < val->n; i += 2)
		if ((r = parse_want_key(c, d, val->kids[i], val->kids[i + 1], w)) < 0)
			return r;
	return check_want(c, val, d, w);
}

static int parse_sysctls(struct pctx *c, const struct twa_ynode *n)
{
	size_t i;
	int r;

	if (n->type != TWA_Y_MAP)
		return at(c, n, "sysctls must be a map of sysctl names, not %s", type_name(n));
	c->p->wants = calloc(n->n / 2 + 1, sizeof(*c->p->wants));
	if (!c->p->wants)
		return twa_err_set(c->err, -ENOMEM, "out of memory");
	for (i = 0; i + 1 < n->n; i += 2) {
		r = parse_want(c, n->kids[i], n->kids[i + 1],
			       &c->p->wants[c->p->n_wants]);
		if (r < 0)
			return r;
		c->p->n_wants++;
	}
	return 0;
}

static int parse_rule(struct pctx *c, const struct twa_ynode *key,
		      const struct twa_ynode *val)
{
	const struct twa_rule *rule = twa_rule_find(key->value);
	char hint[160];
	size_t i;

	if (!rule) {
		suggest(hint, sizeof(hint), key->value, cand_rule);
		return at(c, key, "unknown rule '%.64s'%s", key->value, hint);
	}
	if (val->type != TWA_Y_MAP)
		return at(c, val, "rule %s wants a map (enabled, and its parameters), not %s",
			  rule->id, type_name(val));
	for (i = 0; i + 1 < val->n; i += 2) {
		const struct twa_ynode *k = val->kids[i], *v = val->kids[i + 1];
		const struct twa_rule_param *pd;
		double d;
		int r;

		if (!strcmp(k->value, "enabled")) {
			struct twa_rule_toggle *t;

			if ((r = want_scalar(c, v, "enabled")) < 0)
				return r;
			if (strcmp(v->value, "true") && strcmp(v->value, "false"))
				return at(c, v, "enabled must be true or false, not '%.32s'", v->value);
			t = realloc(c->p->toggles, (c->p->n_toggles + 1) * sizeof(*t));
			if (!t)
				return twa_err_set(c->err, -ENOMEM, "out of memory");
			c->p->toggles = t;
			t = &t[c->p->n_toggles++];
			twa_strlcpy(t->rule, rule->id, sizeof(t->rule));
			t->enabled = v->value[0] == 't';
			continue;
		}
		pd = twa_rule_param_find(rule, k->value);
		if (!pd) {
			char names[256] = "";
			const struct twa_rule_param *q;

			for (q = rule->params; q && q->name; q++)
				snprintf(names + strlen(names), sizeof(names) - strlen(names),
					 "%s%s", names[0] ? ", " : "", q->name);
			return at(c, k, "rule %s has no parameter '%.48s' (it has: enabled%s%s)",
				  rule->id, k->value, names[0] ? ", " : "", names);
		}
		if ((r = want_scalar(c, v, k->value)) < 0)
			return r;
		if (!v->plain || twa_parse_double_str(v->value, &d) < 0)
			return at(c, v, "%s.%s must be a number, not '%.32s'", rule->id,
				  pd->name, v->value);
		if (d < pd->min || d > pd->max)
			return at(c, v, "%s.%s = %g is out of range [%g, %g]", rule->id,
				  pd->name, d, pd->min, pd->max);
		{
			struct twa_rule_setting *s = realloc(c->p->settings,
					(c->p->n_settings + 1) * sizeof(*s));

			if (!s)
				return twa_err_set(c->err, -ENOMEM, "out of memory");
			c->p->settings = s;
			s = &s[c->p->n_settings++];
			twa_strlcpy(s->rule, rule->id, sizeof(s->rule));
			twa_strlcpy(s->param, pd->name, sizeof(s->param));
			s->value = d;
		}
	}
	return 0;
}

/* Every top-level key is one a profile has. */
static int check_top_keys(struct pctx *c, const struct twa_ynode *root)
{
	char hint[160];
	size_t i, j;

	for (i = 0; i + 1 < root->n; i += 2) {
		const struct twa_ynode *k = root->kids[i];

		for (j = 0; top_keys[j] && strcmp(top_keys[j], k->value); j++)
			;
		if (!top_keys[j]) {
			suggest(hint, sizeof(hint), k->value, cand_top);
			return at(c, k, "unknown key '%.64s'%s (a profile has name, description, extends, sysctls, rules)",
				  k->value, hint);
		}
	}
	return 0;
}

static int parse_name(struct pctx *c, const struct twa_ynode *root)
{
	const struct twa_ynode *n = twa_ynode_get(root, "name");
	int r;

	if (!n)
		return at(c, root, "missing 'name'");
	if ((r = want_scalar(c, n, "name")) < 0)
		return r;
	if (!valid_name(n->value))
		return at(c, n, "name '%.64s' must be 1-63 characters of [a-z0-9_-]", n->value);
	twa_strlcpy(c->p->name, n->value, sizeof(c->p->name));
	twa_strlcpy(c->p->chain, c->p->name, sizeof(c->p->chain));
	return 0;
}

static int parse_extends(struct pctx *c, const struct twa_ynode *n,
			 unsigned *extends_line, unsigned *extends_col)
{
	struct twa_profile *p = c->p;
	int r;

	if ((r = want_scalar(c, n, "extends")) < 0)
		return r;
	if (!valid_name(n->value) && !strchr(n->value, '/'))
		return at(c, n, "extends '%.64s' is not a profile name", n->value);
	if (strlen(n->value) >= sizeof(p->extends))
		return at(c, n, "extends '%.64s...' is longer than %zu bytes", n->value,
			  sizeof(p->extends) - 1);
	if (!strcmp(n->value, p->name))
		return at(c, n, "profile '%s' extends itself", p->name);
	twa_strlcpy(p->extends, n->value, sizeof(p->extends));
	if (extends_line)
		*extends_line = n->line;
	if (extends_col)
		*extends_col = n->col;
	return 0;
}

/* rules: a map of rule ids; empty (a bare "rules:") is allowed. */
static int parse_rules(struct pctx *c, const struct twa_ynode *n)
{
	size_t i;
	int r;

	if (n->type == TWA_Y_SCALAR && !n->value[0])
		return 0;
	if (n->type != TWA_Y_MAP)
		return at(c, n, "rules must be a map of rule ids, not %s", type_name(n));
	for (i = 0; i + 1 < n->n; i += 2)
		if ((r = parse_rule(c, n->kids[i], n->kids[i + 1])) < 0)
			return r;
	return 0;
}

/* The top-level keys, read in a fixed order whatever the document's. */
static int parse_root(struct pctx *c, const struct twa_ynode *root,
		      unsigned *extends_line, unsigned *extends_col)
{
	const struct twa_ynode *n;
	int r;

	if ((r = check_top_keys(c, root)) < 0 || (r = parse_name(c, root)) < 0)
		return r;
	if ((n = twa_ynode_get(root, "description"))) {
		if ((r = want_scalar(c, n, "description")) < 0)
			return r;
		twa_strlcpy(c->p->description, n->value, sizeof(c->p->description));
	}
	if ((n = twa_ynode_get(root, "extends")) &&
	    (r = parse_extends(c, n, extends_line, extends_col)) < 0)
		return r;
	if ((n = twa_ynode_get(root, "sysctls")) && n->type != TWA_Y_SCALAR &&
	    (r = parse_sysctls(c, n)) < 0)
		return r;
	if (n && n->type == TWA_Y_SCALAR && n->value[0])
		return at(c, n, "sysctls must be a map of sysctl names, not a scalar");
	if ((n = twa_ynode_get(root, "rules")))
		return parse_rules(c, n);
	return 0;
}

int twa_profile_parse(const char *buf, size_t len, const char *file,
		      struct twa_profile *p, unsigned *extends_line,
		      unsigned *extends_col, struct twa_err *err)
{
	struct pctx c = { file, p, err };
	struct twa_ynode *root = NULL;
	int r;

	r = twa_yaml_parse(buf, len, file, &root, err);
	if (r < 0)
		return r;
	twa_strlcpy(p->source, file, sizeof(p->source));
	if (!root)
		r = twa_err_set_at(err, -EBADMSG, file, 1, 1, "empty profile: it needs at least a name");
	else if (root->type != TWA_Y_MAP)
		r = at(&c, root, "a profile is a map (name, description, extends, sysctls, rules), not %s",
		       type_name(root));
	else
		r = parse_root(&c, root, extends_line, extends_col);
	twa_ynode_free(root);
	return r;
}

int twa_profile_inherit(struct twa_profile *child,
			const struct twa_profile *parent)
{
	size_t i;

	for (i = 0; i < parent->n_wants; i++) {
		struct twa_sysctl_want *w;

		if (twa_profile_want(child, parent->wants[i].key))
			continue;
		w = realloc(child->wants, (child->n_wants + 1) * sizeof(*w));
		if (!w)
			return -ENOMEM;
		child->wants = w;
		w[child->n_wants++] = parent->wants[i];
	}
	for (i = 0; i < parent->n_settings; i++) {
		struct twa_rule_setting *s;
		double d;

		if (twa_profile_setting(child, parent->settings[i].rule,
					parent->settings[i].param, &d))
			continue;
		s = realloc(child->settings, (child->n_settings + 1) * sizeof(*s));
		if (!s)
			return -ENOMEM;
		child->settings = s;
		s[child->n_settings++] = parent->settings[i];
	}
	for (i = 0; i < parent->n_toggles; i++) {
		struct twa_rule_toggle *t;

		if (twa_profile_toggle(child, parent->toggles[i].rule) >= 0)
			continue;
		t = realloc(child->toggles, (child->n_toggles + 1) * sizeof(*t));
		if (!t)
			return -ENOMEM;
		child->toggles = t;
		t[child->n_toggles++] = parent->toggles[i];
	}
	if (!child->description[0])
		twa_strlcpy(child->description, parent->description,
			    sizeof(child->description));
	snprintf(child->chain + strlen(child->chain),
		 sizeof(child->chain) - strlen(child->chain), " -> %s", parent->chain);
	return 0;
}

const struct twa_sysctl_want *twa_profile_want(const struct twa_profile *p,
					       const char *key)
{
	size_t i;

	for (i = 0; p && i < p->n_wants; i++)
		if (!strcmp(p->wants[i].key, key))
			return &p->wants[i];
	return NULL;
}

bool twa_profile_setting(const struct twa_profile *p, const char *rule,
			 const char *param, double *ret)
{
	size_t i;

	for (i = 0; p && i < p->n_settings; i++)
		if (!strcmp(p->settings[i].rule, rule) &&
		    !strcmp(p->settings[i].param, param)) {
			*ret = p->settings[i].value;
			return true;
		}
	return false;
}

int twa_profile_toggle(const struct twa_profile *p, const char *rule)
{
	size_t i;

	for (i = 0; p && i < p->n_toggles; i++)
		if (!strcmp(p->toggles[i].rule, rule))
			return p->toggles[i].enabled;
	return -1;
}
